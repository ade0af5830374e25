//! Fund statements in: NHSO REP and STM workbooks and CSMBS statement XML, read into
//! [`StatementLine`]s, one per row the fund answered, each with where it came from
//! ([`Place`]: file, sheet, row). [`matching`] then finds each line's claim.
//!
//! | file | named | read |
//! |---|---|---|
//! | REP ([`rep`]) | `eclaim_<HCODE>_<TYPE>_<YYYYMMDD BE>_<seq>.xls`/`.xlsx`, TYPE `OP`, `IP`, `ORF`, `OPLGO`, `IPSSS`, `IP_APPEAL`, ... | the `Detail` sheet |
//! | STM ([`stm`]) | `STM_<HCODE>_<IP or OP><UCS, OFC, SSS or LGO><YYYYMM BE>_<seq>.xls`/`.xlsx` | every detail sheet (`รายละเอียด…`), normal and appeal |
//! | CSMBS ([`csmbs`]) | a `.zip` of `.xml` (or one `.xml`) | OP `TBill` and IP `thismonip` elements |
//!
//! A file is told by its name, else by its content ([`detect`]): a workbook whose sheet has
//! a `TRAN_ID` header is a REP, or an STM when it has STM's sheets or its
//! `ยอดชดเชยทั้งสิ้น` column; XML with `TBill` or `thismonip` is a CSMBS statement.
//!
//! # What a line says
//!
//! - `payer`: the fund that pays, from the REP TYPE (`OP`, `IP`, `ORF` = UC; `…LGO` = LGO;
//!   `…SSS` = SSS; `…OFC` = CSMBS; other schemes by their own code), the STM name's fund
//!   (`UCS` = UC, `OFC` = CSMBS), CSMBS for CSMBS files.
//! - `date`: the statement's day, which the ledger takes as the day paid: the REP name's date,
//!   the STM's report date (`ออกรายงานวันที่`; else the last day of the name's month), the CSMBS
//!   `dateIssue` (Thai words; else `dateEnd`, else a date in the name).
//! - `paid`: what the statement pays for the row: REP `ชดเชยสุทธิ` (the sum of the
//!   `ชดเชยสุทธิ` columns: UCS has NHSO's and the agency's; SSS files, which have none,
//!   `รวมเงินค่าบริการทั้งหมด`); STM `ยอดชดเชยทั้งสิ้น` (else `จ่ายชดเชยหลังหัก พรบ.และเงินเดือน`); CSMBS
//!   OP `paid`, IP `gtotal`. It may be negative (an appeal that claws back).
//! - `salary_deduction`: the MOPH salary deducted from the row's compensation (REP
//!   `เงินเดือน จำนวนเงิน`, STM `เงินเดือน`); `paid` is after it, as the STM's
//!   `จ่ายชดเชยหลังหัก พรบ.และเงินเดือน` says.
//! - `statement`: the row's identity in the books. REP and STM rows are keyed by TRAN_ID
//!   (`NHSO TRAN 123`), so a REP row and the STM row of the same transaction are one payment;
//!   rows of an appeal (a `*_APPEAL` REP, an STM's appeal section or sheet) by TRAN_ID and REP
//!   no. (`NHSO TRAN 123 appeal 6811_IP_02`). CSMBS rows by the statement document and the
//!   row id (`CSMBS <STMdoc> <rid>`), else the invoice no. (OP) or AN (IP).
//! - the rest as the file has it: REP no., TRAN_ID, HN, AN, PID, SEQ NO, INVOICE NO, admit and
//!   discharge dates, main fund and sub-fund, DRG, RW, Adj.RW, the late-submission PS (as
//!   written and as a percent), the error codes (the `Error Code` cell and the deny columns; a
//!   deny cell holding only `C`, `D` or `V` gives their type).
//!
//! # Rows that are not read
//!
//! A row with no TRAN_ID (REP, STM) is a heading, a section marker or a total: it is passed
//! over and counted ([`StatementRead::passed_over`]), unless it has an HN, AN or PID, when it
//! is rejected. Every other row is a line or a rejection ([`StatementError`], with its file,
//! sheet, row and column, and what was expected): `rows = lines + rejected`.
//!
//! # Decisions where the formats are silent
//!
//! - **A REP row and its STM row are one payment**: both are keyed by TRAN_ID, so the books
//!   take the first posted and the second is a no-op when it says the same amount (reported
//!   when it does not). An appeal is a payment of its own (keyed with its REP no.).
//! - **UCS REP `paid` adds NHSO's and the agency's `ชดเชยสุทธิ`** (what the public importers do);
//!   an SSS REP, which has no `ชดเชยสุทธิ`, pays `รวมเงินค่าบริการทั้งหมด`.
//! - **The statement's date is the day paid** in the books (the REP name's date, the STM report
//!   date, the CSMBS issue date): the files give no transfer date per row.
//! - **The salary deduction** is kept beside `paid`; the CLI counts `paid + salary_deduction`
//!   as paid to the receivable (the deduction is the hospital's own salary bill paid from its
//!   money) and totals it. Whether a UCS REP's `ชดเชยสุทธิ` is before or after the deduction is
//!   not in any public source: the STM column `จ่ายชดเชยหลังหัก พรบ.และเงินเดือน` says after, and
//!   the same is assumed of the REP. Check it against a real file.
//! - **The PS column** kept as the percent is the one whose sub-header says so, else the second
//!   of two (`ล่าช้า (PS)` flag, then percent, in UCS files), else the only one.
//! - **CSMBS IP bills** are `thismonip` elements wherever they sit: the public importers read
//!   them under the root; a `STMLIST/stmdat` wrapper reads too. A `drg` element is read when
//!   present.
//! - **A negative amount** (an appeal clawing back) is read as such; the CLI refuses to post
//!   it as a payment and asks for an adjustment instead.
//!
//! ```no_run
//! use kongtun_eclaim::statement::read_file;
//!
//! let read = read_file("eclaim_10703_IP_25680515_01.xls".as_ref()).expect("a REP file");
//! for line in &read.lines {
//!     println!("{} {} {:?} {}", line.place, line.statement, line.an, line.paid);
//! }
//! for rejected in &read.rejected {
//!     eprintln!("{rejected}");
//! }
//! ```

pub mod cell;
pub mod csmbs;
mod error;
pub mod matching;
pub mod rep;
pub mod sheet;
pub mod stm;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use rust_decimal::Decimal;

pub use error::{Place, StatementError};

/// The largest statement file read (a REP of 100,000 rows is about 60 MB as .xlsx).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The kind of statement file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An NHSO REP file (the result of processing the claims sent).
    Rep,
    /// An NHSO STM statement (what is paid).
    Stm,
    /// A CSMBS (กรมบัญชีกลาง) statement, XML.
    Csmbs,
}

impl Kind {
    /// `REP`, `STM` or `CSMBS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rep => "REP",
            Kind::Stm => "STM",
            Kind::Csmbs => "CSMBS",
        }
    }
}

/// One row of a statement: what the fund said about one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    /// Where the row is.
    pub place: Place,
    /// The kind of file.
    pub kind: Kind,
    /// The row's identity in the books (see the module docs).
    pub statement: String,
    /// The REP no. (REP, STM) or the statement document (CSMBS).
    pub document: Option<String>,
    /// The fund that pays.
    pub payer: FundId,
    /// The statement's day (the day paid, in the books).
    pub date: NaiveDate,
    /// NHSO's transaction id.
    pub tran_id: Option<String>,
    /// Hospital number.
    pub hn: Option<String>,
    /// Admission number (in-patients).
    pub an: Option<String>,
    /// Citizen id.
    pub pid: Option<String>,
    /// The hospital's visit sequence (SEQ NO).
    pub seq: Option<String>,
    /// The hospital's invoice no. (REP INVOICE NO, CSMBS `invno`).
    pub invoice: Option<String>,
    /// Admission or visit date.
    pub admitted: Option<NaiveDate>,
    /// Discharge date.
    pub discharged: Option<NaiveDate>,
    /// Main fund as the file writes it.
    pub fund: Option<String>,
    /// Sub-fund as the file writes it.
    pub sub_fund: Option<String>,
    /// DRG.
    pub drg: Option<String>,
    /// Relative weight.
    pub rw: Option<Decimal>,
    /// Adjusted relative weight.
    pub adj_rw: Option<Decimal>,
    /// The late-submission cell (PS) as written.
    pub late: Option<String>,
    /// The PS percent, when the file gives one as a number.
    pub late_percent: Option<Decimal>,
    /// What the hospital claimed, when the file says.
    pub claimed: Option<Money>,
    /// What the statement pays for the row (negative: clawed back).
    pub paid: Money,
    /// The MOPH salary deducted from the row's compensation (`paid` is after it).
    pub salary_deduction: Money,
    /// Error and deny codes, in the order found.
    pub error_codes: Vec<String>,
    /// The error type a deny cell gives (`C`, `D` or `V`), if any.
    pub error_type: Option<char>,
    /// An appeal row.
    pub appeal: bool,
}

impl StatementLine {
    /// An in-patient row: it has an AN.
    pub fn is_ip(&self) -> bool {
        self.an.is_some()
    }
}

/// What a statement file gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementRead {
    /// The lines, in file order.
    pub lines: Vec<StatementLine>,
    /// Rows that could not be read, in file order.
    pub rejected: Vec<StatementError>,
    /// Rows that are no statement rows (headings, section markers, totals, blank rows).
    pub passed_over: usize,
    /// Notes about the file (parts of a zip passed over, the kind told from the content).
    pub notes: Vec<String>,
}

impl StatementRead {
    /// The detail rows read: lines and rejections.
    pub fn rows(&self) -> usize {
        self.lines.len() + self.rejected.len()
    }
}

/// The kind of a statement file by its name alone.
///
/// ```
/// use kongtun_eclaim::statement::{kind_by_name, Kind};
/// assert_eq!(kind_by_name("eclaim_10670_IP_25680122_205506156.xls"), Some(Kind::Rep));
/// assert_eq!(kind_by_name("STM_10670_IPUCS256811_01.XLS"), Some(Kind::Stm));
/// assert_eq!(kind_by_name("10978_BOCDSTM_20210402.zip"), Some(Kind::Csmbs));
/// assert_eq!(kind_by_name("statements.csv"), None);
/// ```
pub fn kind_by_name(name: &str) -> Option<Kind> {
    let base = base_name(name);
    let lower = base.to_ascii_lowercase();
    let excel = lower.ends_with(".xls") || lower.ends_with(".xlsx");
    if excel && lower.starts_with("eclaim_") {
        Some(Kind::Rep)
    } else if excel && lower.starts_with("stm_") {
        Some(Kind::Stm)
    } else if lower.ends_with(".zip") || lower.ends_with(".xml") {
        Some(Kind::Csmbs)
    } else {
        None
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Whether a file is a statement this module reads: by name ([`kind_by_name`]), or an
/// `.xls`/`.xlsx`/`.xml`/`.zip` by its first bytes (an Excel workbook, a zip, XML).
pub fn looks_like_statement(path: &Path) -> bool {
    let name = path.to_string_lossy();
    if kind_by_name(&name).is_some() {
        return true;
    }
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = &head[..n];
    head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || head.starts_with(b"PK\x03\x04") || head.starts_with(b"<?xml")
}

/// The kind of a file by its name, else its content: a workbook with a TRAN_ID header is a
/// REP or an STM (see the module docs), a zip or XML a CSMBS statement.
pub fn detect(name: &str, bytes: &[u8]) -> Option<Kind> {
    if let Some(kind) = kind_by_name(name) {
        return Some(kind);
    }
    if bytes.starts_with(b"PK\x03\x04") && !is_xlsx(bytes) {
        return Some(Kind::Csmbs);
    }
    let text_start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text_start.starts_with(b"<?xml") || text_start.starts_with(b"<") {
        return Some(Kind::Csmbs);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || is_xlsx(bytes) {
        return rep::sniff(name, bytes);
    }
    None
}

/// A zip that is an Excel workbook (it holds `xl/workbook.xml`).
fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|z| z.file_names().any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case("xl/workbook.xml"))))
        .unwrap_or(false)
}

/// Reads a statement file (see the module docs); a file that cannot be read at all is an
/// error, a bad row is in [`StatementRead::rejected`].
pub fn read_file(path: &Path) -> Result<StatementRead, StatementError> {
    let name = path.display().to_string();
    let io =
        |e: std::io::Error| StatementError::Io { file: name.clone(), message: kongtun_core::files::io_message(&e) };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(StatementError::Io {
            file: name,
            message: format!("{size} bytes: a statement file is read whole, up to {MAX_FILE_BYTES} bytes"),
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES).read_to_end(&mut bytes).map_err(io)?;
    read_bytes(&name, &bytes)
}

/// Reads a statement from its bytes; `name` is the file's name (it tells the kind, the
/// date and the fund of NHSO files).
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<StatementRead, StatementError> {
    let file: Arc<str> = Arc::from(name);
    match detect(name, bytes) {
        Some(Kind::Rep) => rep::read(&file, bytes),
        Some(Kind::Stm) => stm::read(&file, bytes),
        Some(Kind::Csmbs) => csmbs::read(&file, bytes),
        None => Err(StatementError::UnknownFormat {
            file: name.to_string(),
            expected: "an NHSO REP (eclaim_<HCODE>_<TYPE>_<YYYYMMDD>_<seq>.xls) or STM (STM_<HCODE>_<IP|OP><fund><YYYYMM>_<seq>.xls) workbook, or a CSMBS statement (.zip of .xml, or .xml)".into(),
        }),
    }
}

/// Opens a workbook (legacy `.xls` or `.xlsx`) from bytes.
pub(crate) fn open_workbook<'b>(
    file: &str,
    bytes: &'b [u8],
) -> Result<calamine::Sheets<std::io::Cursor<&'b [u8]>>, StatementError> {
    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| StatementError::Damaged {
        file: file.to_string(),
        what: "an Excel workbook (.xls or .xlsx)",
        message: e.to_string(),
    })
}

/// The codes of an `Error Code` or deny cell: split at commas, semicolons and blanks; `-`
/// is none.
pub(crate) fn codes_of(text: &str, into: &mut Vec<String>) {
    for code in text.split([',', ';', ' ', '\n', '\r', '\t']).map(str::trim) {
        if !cell::is_blank(code) && !into.iter().any(|c| c.eq_ignore_ascii_case(code)) {
            into.push(code.to_string());
        }
    }
}

/// An identifier as compared: trimmed, leading zeros dropped (Excel drops them from a
/// number, so `0002002` and `2002` are one HN).
pub fn id_key(id: &str) -> &str {
    let t = id.trim();
    let stripped = t.trim_start_matches('0');
    if stripped.is_empty() && !t.is_empty() {
        "0"
    } else {
        stripped
    }
}

/// The last day of a month.
pub(crate) fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}
