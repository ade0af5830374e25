//! Claim sheets: claims kept in a spreadsheet, as a `.csv` or an Excel workbook (`.xlsx`,
//! `.xlsm`, `.xls`), read into the same [`Record`]s as the claim-document reader
//! ([`kongtun_core::document`]), so that `validate` and `evaluate` take them like any claims.
//!
//! # The layout
//!
//! - **One row per charge line**, the claim's own fields repeated on each of its rows. A claim's
//!   later rows may leave its fields blank (they are the claim's); a different value on a later
//!   row is an error naming both rows. A row whose `id` is blank belongs to the claim of the row
//!   above (as Excel leaves merged cells). A claim's rows need not be adjacent: rows are
//!   grouped by `id`, claims in the order of their first row, lines in row order.
//! - **The header row** (the first row that is not blank) names the columns, in English or in
//!   Thai, in any order and letter case; spaces, `_`, `-` and `.` in a name are ignored
//!   (`Service Date` = `service_date`, `Adj.RW` = `adj_rw`). [`COLUMNS`] is the one table of
//!   columns: the reader, the template and the documentation (`docs/claim-sheet.md`) all come
//!   from it. An unknown column is an error (with a "did you mean"), and so is a required column
//!   missing or a column given twice. A column whose header starts with `#` is a note, not
//!   read.
//! - **Blank rows** are skipped. A row whose line columns (`code`, `category`, `qty`, `price`,
//!   ...) are all blank gives the claim's fields only, no line.
//! - **Values**: dates in any form [`kongtun_core::calendar::parse_date`] reads (`2025-09-30`,
//!   `30/09/2568`, `30 ก.ย. 2568`, Thai digits) or Excel date cells; amounts and quantities with
//!   thousands separators (`1,250.00`) or number cells, exactly (a number cell is read back to
//!   the decimal it shows, never used as a float); `fund` through the code map `funds`
//!   (`rules/codes/funds.yaml`: `บัตรทอง` → UC, `OFC` → CSMBS; a fund the map lacks is kept as
//!   typed, upper-cased, and the engine reports that no pack prices it); `setting` as `op`,
//!   `OPD`, `ผู้ป่วยนอก`, `ip`, `IPD`, `ผู้ป่วยใน`; yes/no columns as `true`/`false`, `yes`/`no`,
//!   `y`/`n`, `1`/`0`, `ใช่`/`ไม่ใช่`; `diagnoses` and `procedures` as codes separated by spaces,
//!   commas or semicolons, the principal diagnosis first; `visit_type` also as its e-Claim UCAE
//!   letter (`E` = emergency). A cell that starts with `=`, `+`, `-` or `@` is text like any
//!   other; a formula cell of a workbook gives its last calculated value. `-` alone is blank.
//! - **The same claim** as a YAML document would give: each claim is built as a claim document
//!   and read by the core's claim reader ([`kongtun_core::document::claim_from_node`]), so the
//!   same types, ranges and cross-field checks apply (and [`Limits::max_lines_per_claim`]).
//!
//! A bad cell or claim rejects that claim only: its record is a [`Diagnostic`] naming the file,
//! the row (as the line), the column (its number, and its header as the field) and the claim id;
//! further errors of the same claim go to the sink as notes. The other claims go on. A file that
//! cannot be read at all (missing, not a workbook, no header, a bad header) is a [`SheetError`].
//!
//! A `.csv` is UTF-8 (with or without a byte-order mark) or TIS-620 / Windows-874 (Thai Excel's
//! "CSV"), told apart as the e-Claim reader does ([`crate::encoding`]); rows end with CRLF or
//! LF; fields are separated by commas (or semicolons, or tabs, when the header row has those and
//! no comma) and quoted as Excel quotes them. A workbook is read from its sheet named `claims`
//! or `เคลม` (any letter case), else its first sheet; rows are numbered as Excel numbers them.
//!
//! ```
//! use kongtun_core::document::Record;
//! use kongtun_eclaim::codemap::CodeMap;
//! use kongtun_eclaim::sheet::{read_sheet_text, SheetOptions};
//!
//! let text = "เลขที่เคลม,HN,ประเภทผู้ป่วย,สิทธิ,วันที่รับบริการ,รหัสโรค,รหัสรายการ,หมวด,จำนวน,ราคาต่อหน่วย\n\
//!             C1,0012345,OP,บัตรทอง,30/09/2568,\"J00, R50.9\",OPD-VISIT,12,1,50\n\
//!             ,,,,,,PARA500,4,20,\"1,250.00\"\n";
//! let funds = CodeMap::new("funds", "funds.yaml", &[("UCS", "UC")]).with_aliases(&[("บัตรทอง", "UC")]);
//! let mut records: Vec<Record> = Vec::new();
//! read_sheet_text(text, "claims.csv", &SheetOptions::new(Some(funds)), &mut records).unwrap();
//! let claim = records[0].claim.as_ref().unwrap();
//! assert_eq!((claim.fund.as_str(), claim.service_date.to_string()), ("UC", "2025-09-30".into()));
//! assert_eq!(claim.diagnoses, ["J00", "R50.9"]);
//! assert_eq!(claim.items[1].price.to_string(), "1250.00");
//! ```

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use kongtun_core::calendar::format_thai;
use kongtun_core::category::ChargeCategory;
use kongtun_core::claim::{Claim, Line, Setting, VisitType};
use kongtun_core::codemap::CodeMap;
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::document::{claim_from_node, Limits, Record, Sink};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::yaml::{Node, NodeKind, Pos};
use rust_decimal::Decimal;

use crate::statement::cell;

/// The language of a sheet's header row (and of the values a writer writes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English column names (the claim document's field names); CE dates, plain amounts.
    #[default]
    En,
    /// Thai column names; BE dates (`30/09/2568`), amounts with thousands separators, `ใช่` /
    /// `ไม่ใช่`, `ผู้ป่วยนอก` / `ผู้ป่วยใน`.
    Th,
}

/// What a column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// A field of the claim, repeated (or left blank) on each of its rows.
    Claim,
    /// A field of the claim's road accident (`accident:` in a claim document).
    Accident,
    /// A field of the row's charge line (`items:`).
    Line,
}

/// What a column holds, which says how a cell is read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// Text as typed (an id, a code).
    Text,
    /// A date.
    Date,
    /// An exact decimal number.
    Decimal,
    /// An amount of baht, to the satang.
    Money,
    /// Yes or no.
    YesNo,
    /// Codes separated by spaces, commas or semicolons.
    Codes,
    /// `op` or `ip`.
    Setting,
    /// A fund, through the code map `funds`.
    Fund,
    /// A charge category 1-16.
    Category,
    /// One word of a fixed list (`emergency`, `driver`, `pending`, ...).
    Word,
}

/// One column of a claim sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    /// The English name (the claim document's field name, `accident_` before an accident
    /// field, `line_date` for a line's `date`): what the English template writes.
    pub name: &'static str,
    /// Other English names read for it.
    pub other_names: &'static [&'static str],
    /// Thai names read for it; the first is what the Thai template writes.
    pub thai: &'static [&'static str],
    /// Whether the header must have it.
    pub required: bool,
    /// Claim, accident or line.
    pub level: Level,
    /// The field in the claim document (`date` under `accident` or `items`).
    pub field: &'static str,
    /// How it is read.
    pub kind: ValueKind,
    /// What it means, for the documentation.
    pub meaning: &'static str,
    /// An example value.
    pub example: &'static str,
}

impl Column {
    /// The header written in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.name,
            Lang::Th => self.thai.first().copied().unwrap_or(self.name),
        }
    }

    /// Every name the column is read by: English, other English, Thai.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.other_names.iter().copied()).chain(self.thai.iter().copied())
    }
}

/// One row of [`COLUMNS`], its fields in the struct's order.
macro_rules! col {
    ($name:expr, $other:expr, $thai:expr, $required:expr, $level:expr, $field:expr, $kind:expr, $meaning:expr, $example:expr $(,)?) => {
        Column {
            name: $name,
            other_names: $other,
            thai: $thai,
            required: $required,
            level: $level,
            field: $field,
            kind: $kind,
            meaning: $meaning,
            example: $example,
        }
    };
}

use Level::{Accident as A, Claim as C, Line as L};
use ValueKind as K;

/// The columns of a claim sheet, in the order the writer and the template write them: the one
/// table the reader, the template and the documentation are made from.
#[rustfmt::skip]
pub const COLUMNS: &[Column] = &[
    col!("id", &["claim_id"], &["เลขที่เคลม", "รหัสเคลม"], true, C, "id", K::Text,
        "the claim's id, unique in the batch; blank: the claim of the row above", "UC-OP-0001"),
    col!("hn", &[], &["HN", "เลขประจำตัวผู้ป่วย"], true, C, "hn", K::Text,
        "hospital number (format the column as text to keep leading zeros)", "0012345"),
    col!("cid", &["pid"], &["เลขบัตรประชาชน", "เลขประจำตัวประชาชน"], false, C, "cid", K::Text,
        "the patient's citizen id, 13 digits", "3100100123456"),
    col!("hcode", &[], &["รหัสหน่วยบริการ", "รหัสสถานพยาบาล"], false, C, "hcode", K::Text,
        "the hospital that gave the care, 5 digits", "10703"),
    col!("hospmain", &[], &["หน่วยบริการหลัก"], false, C, "hospmain", K::Text,
        "the patient's registered main unit (UC HOSPMAIN)", "10703"),
    col!("hospsub", &[], &["หน่วยบริการรอง", "หน่วยบริการปฐมภูมิ"], false, C, "hospsub", K::Text,
        "the patient's registered primary unit (UC HOSPSUB)", "03752"),
    col!("approval", &["authen_code", "permitno"], &["รหัสอนุมัติ", "เลขอนุมัติ"], false, C, "approval", K::Text,
        "the visit's approval or authentication code (Authen Code, PERMITNO)", "PP1234567890"),
    col!("an", &[], &["AN", "เลขที่ผู้ป่วยใน"], false, C, "an", K::Text,
        "admission number; required for an in-patient claim", "680001234"),
    col!("setting", &[], &["ประเภทผู้ป่วย"], true, C, "setting", K::Setting,
        "op (outpatient: OP, OPD, ผู้ป่วยนอก) or ip (in-patient: IP, IPD, ผู้ป่วยใน)", "op"),
    col!("fund", &["inscl"], &["สิทธิ", "สิทธิการรักษา", "กองทุน"], true, C, "fund", K::Fund,
        "the patient's main fund: its id, INSCL code or Thai name (UC, UCS, บัตรทอง; CSMBS, OFC, ข้าราชการ; SSS, ประกันสังคม; LGO, อปท.; PRB, พ.ร.บ.; SELF, ชำระเงินเอง)", "UC"),
    col!("sub_fund", &[], &["สิทธิย่อย", "กองทุนย่อย"], false, C, "sub_fund", K::Text,
        "the sub-fund, as the fund names it", "89"),
    col!("service_date", &["visit_date", "admit_date"], &["วันที่รับบริการ", "วันที่รับไว้", "วันที่เข้ารับบริการ"], true, C, "service_date", K::Date,
        "the visit date (OP) or admission date (IP), CE or BE", "2025-09-30"),
    col!("discharge_date", &[], &["วันที่จำหน่าย"], false, C, "discharge_date", K::Date,
        "the discharge date; required for an in-patient claim", "2025-10-03"),
    col!("submitted", &["submitted_date"], &["วันที่ส่งเบิก"], false, C, "submitted", K::Date,
        "the day the claim is sent (blank: the evaluation's as-of date)", "2025-10-02"),
    col!("adj_rw", &[], &["AdjRW"], false, C, "adj_rw", K::Decimal,
        "in-patient adjusted relative weight from the Thai DRG grouper", "3.5"),
    col!("diagnoses", &["diagnosis", "icd10"], &["รหัสโรค", "การวินิจฉัย"], false, C, "diagnoses", K::Codes,
        "ICD-10 codes separated by spaces, commas or semicolons, the principal diagnosis first", "J00, R50.9"),
    col!("procedures", &["procedure", "icd9"], &["หัตถการ", "รหัสหัตถการ"], false, C, "procedures", K::Codes,
        "ICD-9-CM codes separated by spaces, commas or semicolons", "81.54"),
    col!("visit_type", &["ucae"], &["ประเภทการมารับบริการ"], false, C, "visit_type", K::Word,
        "how the patient came: accident, emergency, refer_in_province, refer_out_of_province, unit_change, outreach (or the UCAE letter A, E, I, O, C, Z)", "emergency"),
    col!("work_injury", &[], &["บาดเจ็บจากการทำงาน"], false, C, "work_injury", K::YesNo,
        "an injury at work (the Workmen's Compensation Fund pays first): yes or no", "no"),
    col!("accident_date", &[], &["วันที่เกิดอุบัติเหตุ"], false, A, "date", K::Date,
        "the day of the road accident (พ.ร.บ.); any accident column makes the claim an accident's", "2025-09-29"),
    col!("accident_role", &[], &["สถานะผู้ประสบภัย"], false, A, "role", K::Word,
        "the victim was the driver, a passenger or a pedestrian (blank: not known)", "passenger"),
    col!("accident_counterparty", &[], &["มีคู่กรณี"], false, A, "counterparty", K::YesNo,
        "another vehicle was involved: yes or no", "yes"),
    col!("accident_case", &[], &["ผลคดี"], false, A, "case", K::Word,
        "where the fault case stands: pending, entitled or not_entitled", "pending"),
    col!("accident_reference", &[], &["เลขอ้างอิงอุบัติเหตุ"], false, A, "reference", K::Text,
        "the insurer's or police reference of the accident", "POL-2568-0042"),
    col!("prb_already_paid", &["accident_prb_already_paid"], &["พรบจ่ายแล้ว"], false, A, "prb_already_paid", K::Money,
        "what PRB already paid for this victim and accident on other claims, in baht", "0.00"),
    col!("code", &["item_code"], &["รหัสรายการ"], true, L, "code", K::Text,
        "the line's billing code", "OPD-VISIT"),
    col!("category", &[], &["หมวด", "หมวดค่ารักษา"], true, L, "category", K::Category,
        "the CSMBS charge category, 1 to 16", "12"),
    col!("qty", &["quantity"], &["จำนวน"], true, L, "qty", K::Decimal,
        "quantity, above 0", "1"),
    col!("price", &["unit_price"], &["ราคาต่อหน่วย"], true, L, "price", K::Money,
        "unit price in baht", "50.00"),
    col!("line_date", &["date", "item_date"], &["วันที่รายการ"], false, L, "date", K::Date,
        "the day of this line's service (blank: the claim's service date)", "2025-09-30"),
    col!("claimable", &[], &["เบิกได้"], false, L, "claimable", K::YesNo,
        "yes, or no for an excess the patient pays (blank: yes)", "yes"),
    col!("serial", &["serial_no"], &["หมายเลขอุปกรณ์", "เลขซีเรียล"], false, L, "serial", K::Text,
        "a device's serial number", "ZK-2025-0042"),
    col!("amount", &[], &["จำนวนเงิน"], false, L, "amount", K::Money,
        "the exact amount charged, when it differs from qty x price by rounding", "30.00"),
];

/// Further problems of one claim said after its first (the rest are counted).
const MAX_NOTES_PER_CLAIM: usize = 20;

/// Most characters of a value repeated in a message.
const SHOWN_CHARS: usize = 60;

/// A value as a message shows it: at most [`SHOWN_CHARS`] characters, then `…`.
fn shown_value(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..at])),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Most cells a workbook's sheet may span (its used area, rows x columns as Excel lays them
/// out): 200,000 lines of 40 columns. A single value far out (`XFD1048576`) would otherwise
/// make a grid of 17 billion cells.
pub const MAX_SHEET_CELLS: u64 = 8_000_000;

/// Most bytes a workbook's parts may unpack to, against a zip bomb (a few kilobytes that
/// unpack to gigabytes).
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Why a sheet cannot be read at all (a bad row or claim is a rejected [`Record`] instead).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SheetError {
    /// The file cannot be read.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// Larger than the reader takes.
    #[error("{file}: {size} bytes: a claim sheet is limited to {limit} bytes; split it")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A workbook that cannot be opened.
    #[error("{file}: cannot be read as an Excel workbook (.xlsx, .xlsm or .xls): {message}")]
    NotAWorkbook {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// No header row.
    #[error("{file}: no header row: the sheet is empty (expected a row naming the columns, e.g. {expected})")]
    NoHeader {
        /// The file (and sheet).
        file: String,
        /// The required columns.
        expected: String,
    },
    /// A header the reader does not know.
    #[error("{file}:{row}:{column}: unknown column `{header}`{}; the columns are: {accepted}", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownColumn {
        /// The file.
        file: String,
        /// The header row.
        row: u32,
        /// The column number, from 1.
        column: u32,
        /// The header as written.
        header: String,
        /// The closest known name, when one is close.
        suggestion: Option<&'static str>,
        /// Every column, with its Thai name.
        accepted: String,
    },
    /// Required columns absent from the header.
    #[error("{file}:{row}: the header has no {} column: a claim sheet needs {}", missing.join(", "), required_list())]
    MissingColumns {
        /// The file.
        file: String,
        /// The header row.
        row: u32,
        /// The missing columns, `name (Thai name)`.
        missing: Vec<String>,
    },
    /// A sheet whose used area is larger than a claim sheet can be.
    #[error("{file}: a value at row {row}, column {column} makes the sheet {cells} cells wide and long: a claim sheet is limited to {limit} cells; delete what is far out, or copy the claims to a new sheet")]
    TooWide {
        /// The file (and sheet).
        file: String,
        /// The row of the value farthest out.
        row: u32,
        /// Its column.
        column: u32,
        /// The cells the sheet would span.
        cells: u64,
        /// The limit.
        limit: u64,
    },
    /// A workbook whose parts unpack to more than [`MAX_UNPACKED_BYTES`].
    #[error("{file}: its parts unpack to {unpacked} bytes: a workbook is limited to {limit} unpacked")]
    Unpacks {
        /// The file.
        file: String,
        /// What it would unpack to.
        unpacked: u64,
        /// The limit.
        limit: u64,
    },
    /// A CSV cell that runs past its line: a quote opened and never closed.
    #[error("{file}:{row}:{column}: a quoted cell runs on past the end of its line (a quote opened and not closed?): a claim sheet's cells hold no line breaks")]
    OpenQuote {
        /// The file.
        file: String,
        /// The row the cell starts on.
        row: u32,
        /// Its column.
        column: u32,
    },
    /// A CSV that is neither UTF-8 nor TIS-620: a damaged byte.
    #[error("{file}:{line}:{column}: byte 0x{byte:02X} is not UTF-8, and the file is not TIS-620 text either: save it again as \"CSV UTF-8\"")]
    Encoding {
        /// The file.
        file: String,
        /// The line of the first bad byte.
        line: usize,
        /// Its column (in characters).
        column: usize,
        /// The byte.
        byte: u8,
    },
    /// A column given twice.
    #[error("{file}:{row}:{column}: column `{header}` is `{name}` again (column {first} is `{first_header}`): each column once")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The header row.
        row: u32,
        /// The second column's number.
        column: u32,
        /// Its header.
        header: String,
        /// The column both name.
        name: &'static str,
        /// The first column's number.
        first: u32,
        /// Its header.
        first_header: String,
    },
}

fn required_list() -> String {
    COLUMNS
        .iter()
        .filter(|c| c.required)
        .map(|c| format!("{} ({})", c.name, c.header(Lang::Th)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SheetError {
    /// The error as a [`Diagnostic`] (kind `io` for a file that cannot be read, `unknown_field`,
    /// `missing_field` or `invalid_value` for its header), for printing with the others.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let text = self.to_string();
        let after =
            |prefix: &str| text.strip_prefix(prefix).unwrap_or(&text).trim_start_matches(':').trim().to_string();
        match self {
            SheetError::Io { file, .. }
            | SheetError::TooLarge { file, .. }
            | SheetError::NotAWorkbook { file, .. }
            | SheetError::TooWide { file, .. }
            | SheetError::Unpacks { file, .. } => Diagnostic::error(DiagnosticKind::Io, file.as_str(), after(file)),
            SheetError::OpenQuote { file, row, column } => {
                Diagnostic::error(DiagnosticKind::InvalidValue, file.as_str(), after(&format!("{file}:{row}:{column}")))
                    .at(Pos::new(*row as usize, *column as usize))
            }
            SheetError::Encoding { file, line, column, .. } => {
                Diagnostic::error(DiagnosticKind::Io, file.as_str(), after(&format!("{file}:{line}:{column}")))
                    .at(Pos::new(*line, *column))
            }
            SheetError::NoHeader { file, .. } => {
                Diagnostic::error(DiagnosticKind::NotAClaim, file.as_str(), after(file))
            }
            SheetError::UnknownColumn { file, row, column, header, .. } => {
                Diagnostic::error(DiagnosticKind::UnknownField, file.as_str(), after(&format!("{file}:{row}:{column}")))
                    .at(Pos::new(*row as usize, *column as usize))
                    .field(header.as_str())
            }
            SheetError::MissingColumns { file, row, .. } => {
                Diagnostic::error(DiagnosticKind::MissingField, file.as_str(), after(&format!("{file}:{row}")))
                    .at_line(u64::from(*row))
            }
            SheetError::DuplicateColumn { file, row, column, header, .. } => {
                Diagnostic::error(DiagnosticKind::InvalidValue, file.as_str(), after(&format!("{file}:{row}:{column}")))
                    .at(Pos::new(*row as usize, *column as usize))
                    .field(header.as_str())
            }
        }
    }
}

/// How to read a sheet.
#[derive(Clone, Debug, Default)]
pub struct SheetOptions {
    /// The fund map (`funds`, `rules/codes/funds.yaml`): fund names and codes to funds. Without
    /// it a fund is kept as typed, upper-cased.
    pub funds: Option<CodeMap>,
    /// The caps: [`Limits::max_document_bytes`] for the file, [`Limits::max_lines_per_claim`]
    /// for a claim.
    pub limits: Limits,
}

impl SheetOptions {
    /// Default limits, with the fund map if there is one.
    pub fn new(funds: Option<CodeMap>) -> SheetOptions {
        SheetOptions { funds, limits: Limits::default() }
    }
}

/// What a read made of a sheet: `claims + rejected` records were given to the sink.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SheetSummary {
    /// Rows read below the header that are not blank.
    pub rows: usize,
    /// Claims read.
    pub claims: usize,
    /// Records rejected (a claim, or a row that belongs to none).
    pub rejected: usize,
}

/// Whether a path names a claim sheet, by its extension (`.csv`, `.xlsx`, `.xlsm`, `.xls`, in
/// any letter case).
///
/// ```
/// use kongtun_eclaim::sheet::is_sheet;
/// assert!(is_sheet("claims.CSV".as_ref()) && is_sheet("เคลม.xlsx".as_ref()));
/// assert!(!is_sheet("claims.yaml".as_ref()));
/// ```
pub fn is_sheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("csv" | "xlsx" | "xlsm" | "xls"))
}

/// Reads the claim sheet at `path` (a `.csv`, or a workbook: told by its first bytes) into
/// `sink`, one record per claim.
pub fn read_sheet(path: &Path, options: &SheetOptions, sink: &mut dyn Sink) -> Result<SheetSummary, SheetError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| SheetError::Io { file: name.clone(), message: kongtun_core::files::io_message(&e) };
    let file = std::fs::File::open(path).map_err(io)?;
    let limit = options.limits.max_document_bytes;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(SheetError::TooLarge { file: name, size, limit });
    }
    read_sheet_bytes(&bytes, &name, options, sink)
}

/// Reads a claim sheet from its bytes: a workbook when they start as one (a zip, or the
/// legacy `.xls` compound file), CSV text otherwise. `file` names it in messages.
pub fn read_sheet_bytes(
    bytes: &[u8],
    file: &str,
    options: &SheetOptions,
    sink: &mut dyn Sink,
) -> Result<SheetSummary, SheetError> {
    if bytes.len() as u64 > options.limits.max_document_bytes {
        let limit = options.limits.max_document_bytes;
        return Err(SheetError::TooLarge { file: file.to_string(), size: bytes.len() as u64, limit });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let grid = workbook_grid(bytes, file)?;
        return read_grid(&grid, file, options, sink);
    }
    let text = crate::encoding::decode(bytes.to_vec(), None, file)
        .map_err(|e| SheetError::Io { file: file.to_string(), message: e.to_string() })?;
    if text.encoding == crate::encoding::TextEncoding::Tis620 && (text.undefined_bytes > 0 || looks_like_utf8(bytes)) {
        return Err(bad_byte(bytes, file));
    }
    read_sheet_text(&text.text, file, options, sink)
}

/// Whether bytes that are not valid UTF-8 still hold Thai in UTF-8 (`E0 B8 xx`, `E0 B9 xx`):
/// then a byte was damaged, and reading the file as TIS-620 would turn every Thai letter
/// into two others without a word.
fn looks_like_utf8(bytes: &[u8]) -> bool {
    bytes.windows(3).filter(|w| w[0] == 0xE0 && matches!(w[1], 0xB8 | 0xB9) && (0x80..=0xBF).contains(&w[2])).count()
        >= 2
}

/// The first byte that is not UTF-8, with its line and column.
fn bad_byte(bytes: &[u8], file: &str) -> SheetError {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    SheetError::Encoding { file: file.to_string(), line, column, byte: bytes.get(at).copied().unwrap_or(0) }
}

/// Reads CSV text (already decoded) into `sink`. `file` names it in messages.
pub fn read_sheet_text(
    text: &str,
    file: &str,
    options: &SheetOptions,
    sink: &mut dyn Sink,
) -> Result<SheetSummary, SheetError> {
    let grid = csv_grid(text.strip_prefix('\u{feff}').unwrap_or(text), file)?;
    read_grid(&grid, file, options, sink)
}

/// A sheet's cells: each row with its number (the CSV line it starts on, or Excel's row), and
/// the number of the first column less one.
struct Grid {
    place: String,
    rows: Vec<(u32, Vec<Data>)>,
    first_column: u32,
}

fn csv_grid(text: &str, file: &str) -> Result<Grid, SheetError> {
    let first_line = text.split(['\n', '\r']).find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.contains(',') {
        b','
    } else if first_line.contains(';') {
        b';'
    } else if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The csv crate's own line count is one short after each CRLF (Excel's line end).
    let mut lines = kongtun_core::text::RecordLines::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let offset = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
                let row = u32::try_from(lines.line_at(offset)).unwrap_or(u32::MAX);
                if let Some(j) = record.iter().position(|f| f.contains(['\n', '\r'])) {
                    let column = u32::try_from(j + 1).unwrap_or(u32::MAX);
                    return Err(SheetError::OpenQuote { file: file.to_string(), row, column });
                }
                rows.push((row, record.iter().map(|f| Data::String(f.to_string())).collect()));
            }
            Ok(false) => break,
            // The text is UTF-8 and rows may have any number of fields: this is not expected.
            Err(e) => {
                return Err(SheetError::Io { file: file.to_string(), message: format!("cannot be read as CSV: {e}") })
            }
        }
    }
    Ok(Grid { place: String::new(), rows, first_column: 0 })
}

/// The sheet `claims` or `เคลม` of a workbook, else its first sheet. An `.xlsx` is read cell
/// by cell, its used area checked before any grid is made ([`MAX_SHEET_CELLS`]), and its
/// parts' unpacked size first ([`MAX_UNPACKED_BYTES`]).
fn workbook_grid(bytes: &[u8], file: &str) -> Result<Grid, SheetError> {
    let damaged = |message: String| SheetError::NotAWorkbook { file: file.to_string(), message };
    if bytes.starts_with(b"PK\x03\x04") {
        let unpacked = unpacked_size(bytes).map_err(|e| damaged(format!("not a workbook (zip): {e}")))?;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(SheetError::Unpacks { file: file.to_string(), unpacked, limit: MAX_UNPACKED_BYTES });
        }
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
        let sheet = chosen_sheet(&book.sheet_names()).ok_or_else(|| damaged("it has no sheet".into()))?;
        let place = format!("[{sheet}]");
        let mut cells = book.worksheet_cells_reader(&sheet).map_err(|e| damaged(format!("sheet {sheet}: {e}")))?;
        let mut found: Vec<(u32, u32, Data)> = Vec::new();
        let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0u32, u32::MAX, 0u32);
        while let Some(cell) = cells.next_cell().map_err(|e| damaged(format!("sheet {sheet}: {e}")))? {
            let (row, column) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if value == Data::Empty {
                continue;
            }
            (top, bottom, left, right) = (top.min(row), bottom.max(row), left.min(column), right.max(column));
            let spans = u64::from(bottom - top + 1) * u64::from(right - left + 1);
            if spans > MAX_SHEET_CELLS {
                let file = format!("{file}{place}");
                return Err(SheetError::TooWide {
                    file,
                    row: row + 1,
                    column: column + 1,
                    cells: spans,
                    limit: MAX_SHEET_CELLS,
                });
            }
            found.push((row, column, value));
        }
        return Ok(grid_of(found, left, place));
    }
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let sheet = chosen_sheet(&book.sheet_names()).ok_or_else(|| damaged("it has no sheet".into()))?;
    let range = book.worksheet_range(&sheet).map_err(|e| damaged(format!("sheet {sheet}: {e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows =
        range.rows().enumerate().map(|(i, r)| (top.saturating_add(i as u32).saturating_add(1), r.to_vec())).collect();
    Ok(Grid { place: format!("[{sheet}]"), rows, first_column: left })
}

/// The sheet named `claims` or `เคลม` (any letter case), else the first.
fn chosen_sheet(names: &[String]) -> Option<String> {
    let wanted = |n: &&String| {
        let t = n.trim();
        t.eq_ignore_ascii_case("claims") || t == "เคลม"
    };
    names.iter().find(wanted).or_else(|| names.first()).cloned()
}

/// What a zip's parts unpack to, by their headers.
fn unpacked_size(bytes: &[u8]) -> Result<u64, zip::result::ZipError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i)?.size());
    }
    Ok(total)
}

/// Cells found one by one (0-based row and column), in rows as Excel numbers them, from
/// column `left` on.
fn grid_of(mut found: Vec<(u32, u32, Data)>, left: u32, place: String) -> Grid {
    found.sort_by_key(|(row, column, _)| (*row, *column));
    let left = if found.is_empty() { 0 } else { left };
    let mut rows: Vec<(u32, Vec<Data>)> = Vec::new();
    for (row, column, value) in found {
        if rows.last().is_none_or(|(r, _)| *r != row + 1) {
            rows.push((row + 1, Vec::new()));
        }
        if let Some((_, cells)) = rows.last_mut() {
            let at = (column - left) as usize;
            if cells.len() <= at {
                cells.resize(at + 1, Data::Empty);
            }
            cells[at] = value;
        }
    }
    Grid { place, rows, first_column: left }
}

/// The normal form of a header for matching: lower case, without spaces, `_`, `-` and `.`.
fn header_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.')).flat_map(char::to_lowercase).collect()
}

/// The column a header names.
fn column_of(header: &str) -> Option<usize> {
    let key = header_key(header);
    COLUMNS.iter().position(|c| c.names().any(|n| header_key(n) == key))
}

/// The header: which column of the table each sheet column is (`None`: a blank or `#` note
/// header, not read).
struct Header {
    /// Per sheet column: the table column and the header as written.
    columns: Vec<Option<(usize, String)>>,
    /// Sheet columns whose header starts with `#`: notes, not read.
    notes: Vec<usize>,
    /// Per table column: the sheet column index.
    by_table: Vec<Option<usize>>,
}

fn read_header(grid: &Grid, file: &str) -> Result<(usize, Header), SheetError> {
    let place = format!("{file}{}", grid.place);
    let Some(at) = grid.rows.iter().position(|(_, cells)| cells.iter().any(|c| !cell::is_blank(&cell::text(c)))) else {
        return Err(SheetError::NoHeader { file: place, expected: required_list() });
    };
    let (row, cells) = &grid.rows[at];
    let mut header = Header { columns: Vec::new(), notes: Vec::new(), by_table: vec![None; COLUMNS.len()] };
    for (j, c) in cells.iter().enumerate() {
        let text = cell::text(c);
        let number = grid.first_column + j as u32 + 1;
        if text.starts_with('#') {
            header.notes.push(j);
        }
        if text.is_empty() || text.starts_with('#') {
            header.columns.push(None);
            continue;
        }
        let Some(i) = column_of(&text) else {
            // No column name is long: a long header is no near miss (and the search costs).
            let key: String = header_key(&text).chars().take(64).collect();
            let known: Vec<(String, &'static str)> =
                COLUMNS.iter().flat_map(|c| c.names().map(move |n| (header_key(n), c.name))).collect();
            let suggestion = kongtun_core::suggest::closest(&key, known.iter().map(|(k, _)| k.as_str()), 2)
                .and_then(|k| known.iter().find(|(kk, _)| kk == k).map(|(_, name)| *name));
            let accepted =
                COLUMNS.iter().map(|c| format!("{} ({})", c.name, c.header(Lang::Th))).collect::<Vec<_>>().join(", ");
            return Err(SheetError::UnknownColumn {
                file: place,
                row: *row,
                column: number,
                header: shown_value(&text).into_owned(),
                suggestion,
                accepted,
            });
        };
        if let Some(first) = header.by_table[i] {
            let first_header = header.columns[first].as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
            return Err(SheetError::DuplicateColumn {
                file: place,
                row: *row,
                column: number,
                header: text,
                name: COLUMNS[i].name,
                first: grid.first_column + first as u32 + 1,
                first_header,
            });
        }
        header.by_table[i] = Some(j);
        header.columns.push(Some((i, text)));
    }
    let missing: Vec<String> = COLUMNS
        .iter()
        .zip(&header.by_table)
        .filter(|(c, at)| c.required && at.is_none())
        .map(|(c, _)| format!("{} ({})", c.name, c.header(Lang::Th)))
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns { file: place, row: *row, missing });
    }
    Ok((at, header))
}

/// A value read from a cell, in the form the claim document takes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    /// Text (read as text whatever it looks like).
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A list of codes.
    List(Vec<String>),
}

/// Where a value is: row, column number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At {
    row: u32,
    column: u32,
}

impl At {
    fn pos(self) -> Pos {
        Pos::new(self.row as usize, self.column as usize)
    }
}

/// A line's values by table column, with where each was given.
type LineCells = Vec<(usize, Value, At)>;

/// A claim's rows, gathered.
struct Gathered {
    id: String,
    first_row: u32,
    /// Claim and accident values by table column: the value, where it was first given, and as
    /// it was shown there.
    fields: HashMap<usize, (Value, At, String)>,
    /// Lines: row, and their values by table column with where.
    lines: Vec<(u32, LineCells)>,
    errors: Vec<Diagnostic>,
    rows: usize,
}

/// Reads a grid: the header, then the rows, then each claim.
fn read_grid(grid: &Grid, file: &str, options: &SheetOptions, sink: &mut dyn Sink) -> Result<SheetSummary, SheetError> {
    let (at, header) = read_header(grid, file)?;
    let id_column = header.by_table[0];
    let mut summary = SheetSummary::default();
    // Claims in the order of their first row, and rows that belong to no claim, in order.
    enum Entry {
        Claim(usize),
        Orphan(Diagnostic),
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut claims: Vec<Gathered> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut previous: Option<usize> = None;
    for (row, cells) in &grid.rows[at + 1..] {
        let texts: Vec<String> = cells.iter().map(cell::text).collect();
        if texts.iter().all(|t| cell::is_blank(t)) {
            continue;
        }
        summary.rows += 1;
        let id = id_column.and_then(|j| texts.get(j)).filter(|t| !cell::is_blank(t)).cloned();
        let index = match id {
            Some(id) => match by_id.get(&id) {
                Some(i) => *i,
                None => {
                    claims.push(Gathered {
                        id: id.clone(),
                        first_row: *row,
                        fields: HashMap::new(),
                        lines: Vec::new(),
                        errors: Vec::new(),
                        rows: 0,
                    });
                    by_id.insert(id, claims.len() - 1);
                    entries.push(Entry::Claim(claims.len() - 1));
                    claims.len() - 1
                }
            },
            None => match previous {
                Some(i) => i,
                None => {
                    let column = grid.first_column + id_column.map_or(0, |j| j as u32) + 1;
                    let header_text =
                        id_column.and_then(|j| header.columns[j].as_ref()).map_or("id", |(_, h)| h.as_str());
                    entries.push(Entry::Orphan(
                        Diagnostic::error(
                            DiagnosticKind::MissingField,
                            file,
                            "blank, and no row above it names a claim: expected the claim's id",
                        )
                        .at(Pos::new(*row as usize, column as usize))
                        .field(header_text),
                    ));
                    continue;
                }
            },
        };
        previous = Some(index);
        gather_row(&mut claims[index], *row, cells, &texts, Reading { grid, header: &header, file, options });
    }
    for entry in entries {
        match entry {
            Entry::Orphan(d) => {
                summary.rejected += 1;
                sink.record(Record { file: file.to_string(), pos: d.pos(), claim: Err(d) });
            }
            Entry::Claim(i) => {
                let record = build(&claims[i], Reading { grid, header: &header, file, options }, sink);
                if record.claim.is_ok() {
                    summary.claims += 1;
                } else {
                    summary.rejected += 1;
                }
                sink.record(record);
            }
        }
    }
    Ok(summary)
}

/// What every row and claim of one sheet is read with.
#[derive(Clone, Copy)]
struct Reading<'a> {
    grid: &'a Grid,
    header: &'a Header,
    file: &'a str,
    options: &'a SheetOptions,
}

/// One row into its claim: the claim's fields checked against its earlier rows, the line kept.
fn gather_row(claim: &mut Gathered, row: u32, cells: &[Data], texts: &[String], reading: Reading<'_>) {
    let Reading { grid, header, file, options } = reading;
    claim.rows += 1;
    let mut line = Vec::new();
    for (j, text) in texts.iter().enumerate() {
        if cell::is_blank(text) {
            continue;
        }
        let at = At { row, column: grid.first_column + j as u32 + 1 };
        let error = |field: &str, message: String| {
            Diagnostic::error(DiagnosticKind::InvalidValue, file, message)
                .at(at.pos())
                .claim(claim.id.as_str())
                .field(field)
        };
        if header.notes.contains(&j) {
            continue;
        }
        let Some(Some((i, shown))) = header.columns.get(j) else {
            let what = if j < header.columns.len() { "a column with no header" } else { "no column of the header" };
            let d = error(
                "",
                format!(
                    "`{}` is under {what}: put values under the named columns, or clear the cell",
                    shown_value(text)
                ),
            );
            claim.errors.push(d);
            continue;
        };
        let column = &COLUMNS[*i];
        let value = match read_value(column, &cells[j], text, options) {
            Ok(v) => v,
            Err(message) => {
                claim.errors.push(error(shown, message));
                continue;
            }
        };
        if column.level == Level::Line {
            line.push((*i, value, at));
            continue;
        }
        match claim.fields.get(i) {
            None => {
                claim.fields.insert(*i, (value, at, text.clone()));
            }
            Some((first, first_at, first_text)) if *first != value => {
                let message = format!(
                    "`{}` on row {row} differs from `{}` on row {} of the same claim: a claim's fields are the same on each of its rows (or left blank)",
                    shown_value(text),
                    shown_value(first_text),
                    first_at.row
                );
                claim.errors.push(error(shown, message));
            }
            Some(_) => {}
        }
    }
    if !line.is_empty() {
        claim.lines.push((row, line));
    }
}

/// A cell's value for its column, or what is wrong with it (the message names the value).
fn read_value(column: &Column, raw: &Data, text: &str, options: &SheetOptions) -> Result<Value, String> {
    let text = text.trim();
    // A text marked as text with a leading apostrophe (as kongtun writes a value that a
    // spreadsheet would take for a formula, or `-` for blank) is that text.
    let text = text.strip_prefix('\'').unwrap_or(text);
    if let Data::Error(e) = raw {
        return Err(format!("the cell holds a formula error ({e}): fix the formula, or type the value"));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "`{}` holds a control character (U+{:04X}): expected printable text",
            shown_value(&text.replace(|c: char| c.is_control(), "?")),
            u32::from(c)
        ));
    }
    let kind_of = |raw: &Data| match raw {
        Data::Bool(_) => Some("a TRUE/FALSE cell"),
        Data::DateTime(_) | Data::DateTimeIso(_) => Some("a date cell"),
        _ => None,
    };
    match column.kind {
        ValueKind::Text
        | ValueKind::Category
        | ValueKind::Codes
        | ValueKind::Word
        | ValueKind::Fund
        | ValueKind::Setting => {
            if let Some(kind) = kind_of(raw) {
                return Err(format!("`{}` is {kind}: expected text (format the column as text)", shown_value(text)));
            }
        }
        _ => {}
    }
    if matches!(column.field, "hn" | "cid" | "an" | "hcode" | "hospmain" | "hospsub") && is_scientific(text) {
        return Err(format!(
            "`{text}` is a number Excel wrote in scientific notation, its digits lost: format the column as text and type the number again"
        ));
    }
    match column.kind {
        ValueKind::Text => Ok(Value::Text(text.to_string())),
        ValueKind::Category => {
            // `12.0` is 12 (a number cell shown with a decimal).
            let whole = text.strip_suffix(".0").filter(|t| t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty());
            Ok(Value::Text(whole.unwrap_or(text).to_string()))
        }
        ValueKind::Setting => match Setting::parse(text) {
            Some(s) => Ok(Value::Text(s.as_str().to_string())),
            None => Err(format!("`{text}` is not a setting: expected op (OP, OPD, ผู้ป่วยนอก) or ip (IP, IPD, ผู้ป่วยใน)")),
        },
        ValueKind::Fund => {
            let fund = options.funds.as_ref().and_then(|m| m.get(text)).unwrap_or(text);
            Ok(Value::Text(FundId::new(fund).as_str().to_string()))
        }
        ValueKind::Date => match cell::date(raw) {
            Ok(Some(d)) => Ok(Value::Text(d.to_string())),
            Ok(None) => Ok(Value::Text(String::new())),
            Err(e) => Err(format!("`{text}` {e}")),
        },
        ValueKind::Decimal | ValueKind::Money => match cell::decimal(raw) {
            // A number cell is what Excel shows, not the binary float a formula left
            // (`=100*1.07` is 107.00000000000001): money to the satang, quantities to 6 places.
            Ok(Some(d)) if matches!(raw, Data::Float(_)) => Ok(Value::Text(match column.kind {
                ValueKind::Money => Money::rounded(d).to_string(),
                _ => d
                    .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
                    .to_string(),
            })),
            Ok(Some(d)) => Ok(Value::Text(d.to_string())),
            Ok(None) => Ok(Value::Text(String::new())),
            Err(e) => Err(with_value(text, &e)),
        },
        ValueKind::YesNo => yes_no(text)
            .map(Value::Bool)
            .ok_or_else(|| format!("`{text}` is not yes or no: expected true/false, yes/no, y/n, 1/0 or ใช่/ไม่ใช่")),
        ValueKind::Codes => Ok(Value::List(
            text.split([',', ';', ' ', '\t', '\n', '\r']).filter(|c| !c.is_empty()).map(str::to_string).collect(),
        )),
        ValueKind::Word => {
            if column.name == "visit_type" {
                if let Some(v) = VisitType::from_ucae(text).filter(|_| text.chars().count() == 1) {
                    return Ok(Value::Text(v.as_str().to_string()));
                }
            }
            Ok(Value::Text(text.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join("_")))
        }
    }
}

/// A cell reader's message with the value in front, once and not too long (some messages
/// name the value already: `` `1e60` is not a decimal number ``).
fn with_value(text: &str, message: &str) -> String {
    match message.strip_prefix('`').and_then(|m| m.split_once('`')) {
        Some((value, rest)) => format!("`{}`{rest}", shown_value(value)),
        None => format!("`{}` {message}", shown_value(text)),
    }
}

/// `1.23E+05`: a long number Excel turned into scientific notation (its digits are gone).
fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else { return false };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Yes or no as people write it.
fn yes_no(text: &str) -> Option<bool> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "true" | "yes" | "y" | "1" | "ใช่" | "จริง" => Some(true),
        "false" | "no" | "n" | "0" | "ไม่ใช่" | "เท็จ" => Some(false),
        _ => None,
    }
}

fn scalar(text: &str, plain: bool, at: Pos) -> Node {
    Node { kind: NodeKind::Scalar { text: text.to_string(), plain }, pos: at, block: None }
}

fn value_node(value: &Value, at: Pos) -> Node {
    match value {
        Value::Text(t) => scalar(t, false, at),
        Value::Bool(b) => scalar(if *b { "true" } else { "false" }, true, at),
        Value::List(items) => {
            Node { kind: NodeKind::Seq(items.iter().map(|i| scalar(i, false, at)).collect()), pos: at, block: None }
        }
    }
}

/// The claim of gathered rows: its claim document built and read by the core's claim reader.
fn build(claim: &Gathered, reading: Reading<'_>, sink: &mut dyn Sink) -> Record {
    let Reading { grid, header, file, options } = reading;
    let start = Pos::new(claim.first_row as usize, 1);
    let record = |result: Result<Claim, Diagnostic>| Record { file: file.to_string(), pos: Some(start), claim: result };
    if let Some((first, rest)) = claim.errors.split_first() {
        // A row gone wrong (cells shifted, a paste too wide) may have thousands of bad cells:
        // the first few say it.
        for more in rest.iter().take(MAX_NOTES_PER_CLAIM) {
            sink.note(more.clone());
        }
        if rest.len() > MAX_NOTES_PER_CLAIM {
            let message = format!("and {} more problems in this claim's rows", rest.len() - MAX_NOTES_PER_CLAIM);
            sink.note(Diagnostic::warning(DiagnosticKind::InvalidValue, file, message).claim(claim.id.as_str()));
        }
        return record(Err(first.clone()));
    }
    let max = options.limits.max_lines_per_claim;
    if claim.lines.len() > max {
        let d = Diagnostic::error(
            DiagnosticKind::InvalidValue,
            file,
            format!(
                "{} charge lines: a claim is limited to {max} (a larger one is refused, so that no claim can hold up a batch)",
                claim.lines.len()
            ),
        )
        .at_line(u64::from(claim.first_row))
        .claim(claim.id.as_str());
        return record(Err(d));
    }
    let key = |name: &str, at: Pos| scalar(name, false, at);
    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut accident: Vec<(Node, Node)> = Vec::new();
    for (i, column) in COLUMNS.iter().enumerate() {
        let Some((value, at, _)) = claim.fields.get(&i) else { continue };
        let pair = (key(column.field, at.pos()), value_node(value, at.pos()));
        match column.level {
            Level::Claim => entries.push(pair),
            Level::Accident => accident.push(pair),
            Level::Line => {}
        }
    }
    if !accident.is_empty() {
        entries.push((key("accident", start), Node { kind: NodeKind::Map(accident), pos: start, block: None }));
    }
    let items: Vec<Node> = claim
        .lines
        .iter()
        .map(|(row, values)| {
            let at = Pos::new(*row as usize, 1);
            let pairs =
                values.iter().map(|(i, v, a)| (key(COLUMNS[*i].field, a.pos()), value_node(v, a.pos()))).collect();
            Node { kind: NodeKind::Map(pairs), pos: at, block: None }
        })
        .collect();
    entries.push((key("items", start), Node { kind: NodeKind::Seq(items), pos: start, block: None }));
    let node = Node { kind: NodeKind::Map(entries), pos: start, block: None };
    record(claim_from_node(&node, file).map_err(|d| relocate(d, claim, grid, header, file)))
}

/// A diagnostic of the core's claim reader, about a path of the claim document, moved to the
/// row and column of the sheet it came from.
fn relocate(d: Diagnostic, claim: &Gathered, grid: &Grid, header: &Header, file: &str) -> Diagnostic {
    let path = d.field.as_deref().unwrap_or("");
    let (level, line, field) = if let Some(rest) = path.strip_prefix("items[") {
        let (index, field) = rest.split_once(']').unwrap_or((rest, ""));
        (Level::Line, index.parse::<usize>().ok(), field.trim_start_matches('.'))
    } else if let Some(field) = path.strip_prefix("accident.") {
        (Level::Accident, None, field)
    } else if path == "accident" {
        (Level::Accident, None, "date")
    } else {
        (Level::Claim, None, path)
    };
    let table = COLUMNS.iter().position(|c| c.level == level && c.field == field);
    let row = match (level, line) {
        (Level::Line, Some(i)) => claim.lines.get(i).map_or(claim.first_row, |(row, _)| *row),
        _ => table.and_then(|t| claim.fields.get(&t)).map_or(claim.first_row, |(_, at, _)| at.row),
    };
    let sheet_column = table.and_then(|t| header.by_table[t]);
    let shown = match (table, sheet_column) {
        (_, Some(j)) => header.columns[j].as_ref().map_or("", |(_, h)| h.as_str()).to_string(),
        (Some(t), None) => COLUMNS[t].name.to_string(),
        (None, None) => String::new(),
    };
    let message = if path == "items" && d.message.starts_with("expected at least one charge line") {
        "no charge line: a claim needs at least one row with code, category, qty and price".to_string()
    } else if d.kind == DiagnosticKind::MissingField && d.message.starts_with("missing required field") {
        let example = table.map_or("", |t| COLUMNS[t].example);
        format!("blank: a value is required (e.g. `{example}`)")
    } else {
        d.message.clone()
    };
    let out = Diagnostic::error(d.kind, file, message).claim(claim.id.as_str()).field(shown);
    match sheet_column {
        Some(j) => out.at(Pos::new(row as usize, (grid.first_column + j as u32 + 1) as usize)),
        None => out.at_line(u64::from(row)),
    }
}

// ---------------------------------------------------------------------------------------
// Writing

/// The claims as a claim sheet: a UTF-8 CSV with a byte-order mark (so that Excel shows Thai),
/// CRLF line ends, the header in `lang`, one row per charge line with the claim's fields
/// repeated. Thai writes BE dates (`30/09/2568`), amounts with thousands separators,
/// `ใช่`/`ไม่ใช่` and `ผู้ป่วยนอก`/`ผู้ป่วยใน`; it reads back as the same claims.
pub fn write_csv(claims: &[Claim], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header(lang)).collect();
    push_row(&mut out, headers.iter().copied());
    for claim in claims {
        // A claim with no lines still gets its row (line columns blank): nothing is dropped.
        let lines: Vec<Option<&Line>> =
            if claim.items.is_empty() { vec![None] } else { claim.items.iter().map(Some).collect() };
        for line in lines {
            let cells: Vec<String> = COLUMNS.iter().map(|c| marked(c, cell_text(c, claim, line, lang))).collect();
            push_row(&mut out, cells.iter().map(String::as_str));
        }
    }
    out
}

/// A text value that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) or that
/// the reader takes for blank (`-`), marked as text with a leading apostrophe, which the reader
/// takes off again: what is written reads back as it was, and opening the file runs nothing.
fn marked(column: &Column, text: String) -> String {
    let numeric = matches!(column.kind, ValueKind::Money | ValueKind::Decimal | ValueKind::Date | ValueKind::Category);
    if !numeric && text.starts_with(['=', '+', '-', '@', '\'']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Why `claim` cannot be written as sheet rows that read back as the same claim: a value
/// with a control character (a line break in a code), which a sheet's cell does not hold.
/// `None` when it can.
pub fn unwritable(claim: &Claim) -> Option<String> {
    let lines: Vec<Option<&Line>> =
        if claim.items.is_empty() { vec![None] } else { claim.items.iter().map(Some).collect() };
    for line in lines {
        for column in COLUMNS {
            let text = cell_text(column, claim, line, Lang::En);
            if text.chars().any(char::is_control) {
                return Some(format!(
                    "{}: `{}` holds a control character (a line break?), which a sheet's cell does not hold",
                    column.name,
                    shown_value(&text.replace(|c: char| c.is_control(), "?"))
                ));
            }
        }
    }
    None
}

/// One CSV row, quoted as Excel quotes (a field with a comma, a quote, a line break or
/// surrounding blanks is quoted, quotes doubled), ended by CRLF.
fn push_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quote = cell.contains([',', '"', '\n', '\r', ';']) || cell.trim() != cell;
        if quote {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

fn date_text(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => d.to_string(),
        Lang::Th => format_thai(d),
    }
}

fn money_text(m: Money, lang: Lang) -> String {
    match lang {
        Lang::En => m.to_string(),
        Lang::Th => m.grouped(),
    }
}

fn yes_no_text(b: bool, lang: Lang) -> String {
    match (lang, b) {
        (Lang::En, true) => "yes".into(),
        (Lang::En, false) => "no".into(),
        (Lang::Th, true) => "ใช่".into(),
        (Lang::Th, false) => "ไม่ใช่".into(),
    }
}

/// The text of a line column.
fn line_cell_text(field: &str, line: &Line, lang: Lang) -> String {
    match field {
        "code" => line.code.clone(),
        "category" => line.category.number().to_string(),
        "qty" => line.qty.to_string(),
        "price" => money_text(line.price, lang),
        "date" => line.date.map(|d| date_text(d, lang)).unwrap_or_default(),
        "claimable" => yes_no_text(line.claimable, lang),
        "serial" => line.serial.clone().unwrap_or_default(),
        "amount" => line.amount.map(|m| money_text(m, lang)).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The text of one column on the row of `line` of `claim` (`None`: the row of a claim with
/// no lines).
fn cell_text(column: &Column, claim: &Claim, line: Option<&Line>, lang: Lang) -> String {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let acc = claim.accident.as_ref();
    match (column.level, column.field) {
        (Level::Claim, "id") => claim.id.clone(),
        (Level::Claim, "hn") => claim.hn.clone(),
        (Level::Claim, "cid") => opt(&claim.cid),
        (Level::Claim, "hcode") => opt(&claim.hcode),
        (Level::Claim, "hospmain") => opt(&claim.hospmain),
        (Level::Claim, "hospsub") => opt(&claim.hospsub),
        (Level::Claim, "approval") => opt(&claim.approval),
        (Level::Claim, "an") => opt(&claim.an),
        (Level::Claim, "setting") => match (lang, claim.setting) {
            (Lang::En, s) => s.as_str().to_string(),
            (Lang::Th, Setting::Op) => "ผู้ป่วยนอก".into(),
            (Lang::Th, Setting::Ip) => "ผู้ป่วยใน".into(),
        },
        (Level::Claim, "fund") => claim.fund.as_str().to_string(),
        (Level::Claim, "sub_fund") => opt(&claim.sub_fund),
        (Level::Claim, "service_date") => date_text(claim.service_date, lang),
        (Level::Claim, "discharge_date") => claim.discharge_date.map(|d| date_text(d, lang)).unwrap_or_default(),
        (Level::Claim, "submitted") => claim.submitted.map(|d| date_text(d, lang)).unwrap_or_default(),
        (Level::Claim, "adj_rw") => claim.adj_rw.map(|d| d.to_string()).unwrap_or_default(),
        (Level::Claim, "diagnoses") => claim.diagnoses.join(", "),
        (Level::Claim, "procedures") => claim.procedures.join(", "),
        (Level::Claim, "visit_type") => claim.visit_type.map(|v| v.as_str().to_string()).unwrap_or_default(),
        (Level::Claim, "work_injury") => {
            if claim.work_injury {
                yes_no_text(true, lang)
            } else {
                String::new()
            }
        }
        (Level::Accident, "date") => acc.map(|a| date_text(a.date, lang)).unwrap_or_default(),
        (Level::Accident, "role") => acc.and_then(|a| a.role).map(|r| r.as_str().to_string()).unwrap_or_default(),
        (Level::Accident, "counterparty") => acc.map(|a| yes_no_text(a.counterparty, lang)).unwrap_or_default(),
        (Level::Accident, "case") => acc.map(|a| a.case.as_str().to_string()).unwrap_or_default(),
        (Level::Accident, "reference") => acc.and_then(|a| a.reference.clone()).unwrap_or_default(),
        (Level::Accident, "prb_already_paid") => {
            acc.and_then(|a| a.prb_already_paid).map(|m| money_text(m, lang)).unwrap_or_default()
        }
        (Level::Line, field) => line.map(|line| line_cell_text(field, line, lang)).unwrap_or_default(),
        _ => String::new(),
    }
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        // Evaluated when compiling: a constant that is not a day does not build.
        None => panic!("not a day of the calendar"),
    }
}

/// The worked example of the template: an outpatient visit with two lines.
pub fn template_claim() -> Claim {
    const SERVICE: NaiveDate = day(2025, 9, 30);
    const SUBMITTED: NaiveDate = day(2025, 10, 2);
    Claim {
        id: "UC-OP-0001".into(),
        hn: "0012345".into(),
        cid: Some("3100100123456".into()),
        hcode: Some("10703".into()),
        hospmain: Some("10703".into()),
        hospsub: None,
        approval: None,
        an: None,
        setting: Setting::Op,
        fund: FundId::new("UC"),
        sub_fund: None,
        service_date: SERVICE,
        discharge_date: None,
        submitted: Some(SUBMITTED),
        adj_rw: None,
        diagnoses: vec!["J00".into(), "R50.9".into()],
        procedures: Vec::new(),
        accident: None,
        visit_type: None,
        work_injury: false,
        items: [
            ("OPD-VISIT", 12, Decimal::ONE, Money::baht(50)),
            ("PARA500", 4, Decimal::from(20), Money::rounded(Decimal::new(150, 2))),
        ]
        .into_iter()
        .filter_map(|(code, n, qty, price)| {
            Some(Line {
                code: code.into(),
                category: ChargeCategory::new(n).ok()?,
                qty,
                price,
                date: None,
                claimable: true,
                serial: None,
                amount: None,
            })
        })
        .collect(),
    }
}

/// A claim sheet to fill in: the header in `lang` and one worked example claim (an outpatient
/// visit with two lines). `examples/claim-sheets/claims-template.csv` (English) and
/// `claims-template-th.csv` (Thai) are this text.
pub fn template(lang: Lang) -> String {
    write_csv(&[template_claim()], lang)
}

/// The table of columns as Markdown (English, Thai, required, meaning, example): the table of
/// `docs/claim-sheet.md`, which a test keeps equal to it.
pub fn columns_markdown() -> String {
    let mut out = String::from("| column | Thai | required | meaning | example |\n|---|---|---|---|---|\n");
    for c in COLUMNS {
        let english: Vec<String> =
            std::iter::once(c.name).chain(c.other_names.iter().copied()).map(|n| format!("`{n}`")).collect();
        let thai: Vec<String> = c.thai.iter().map(|n| format!("`{n}`")).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | `{}` |\n",
            english.join(", "),
            thai.join(", "),
            if c.required { "yes" } else { "" },
            c.meaning,
            c.example
        ));
    }
    out
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Th => "th",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_columns_share_a_name() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in COLUMNS {
            for n in c.names() {
                if let Some(other) = seen.insert(header_key(n), c.name) {
                    assert_eq!(other, c.name, "`{n}` names both {other} and {}", c.name);
                }
            }
            assert!(!c.thai.is_empty(), "{} has no Thai name", c.name);
        }
    }

    #[test]
    fn yes_and_no() {
        for t in ["true", "TRUE", "yes", "Y", "1", "ใช่"] {
            assert_eq!(yes_no(t), Some(true), "{t}");
        }
        for t in ["false", "No", "n", "0", "ไม่ใช่"] {
            assert_eq!(yes_no(t), Some(false), "{t}");
        }
        assert_eq!(yes_no("maybe"), None);
    }

    #[test]
    fn a_workbook_is_measured_unpacked_before_it_is_opened() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for name in ["xl/workbook.xml", "xl/sharedStrings.xml"] {
            zip.start_file(name, deflated).expect("an entry");
            zip.write_all(&[b'x'; 100_000]).expect("written");
        }
        let bytes = zip.finish().expect("a zip").into_inner();
        assert!(bytes.len() < 2_000, "compressed to {} bytes", bytes.len());
        assert_eq!(unpacked_size(&bytes).expect("a zip"), 200_000);
        assert!(unpacked_size(b"PK\x03\x04 not a zip").is_err());
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(column_of(" Service Date "), column_of("service_date"));
        assert_eq!(column_of("Adj.RW").map(|i| COLUMNS[i].name), Some("adj_rw"));
        assert_eq!(column_of("ราคาต่อหน่วย").map(|i| COLUMNS[i].name), Some("price"));
        assert_eq!(column_of("prize"), None);
    }
}
