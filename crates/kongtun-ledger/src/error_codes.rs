//! The NHSO error codes (`rules/codes/nhso-errors.csv`): each code's type (Corrective = C,
//! Deny = D, Verify = V), its Thai description and the Thai guide to the fix.
//!
//! The file is CSV with the header `code,type,description,guide` (the shipped file keeps its
//! source in comment lines above it). A type is
//! `Corrective`, `Deny`, `Verify` (or `C`, `D`, `V`), or blank when the source gives none.
//! Comment lines (`#`) may open the file, before the header.
//! Codes match in any letter case, trimmed; a code listed twice is an error naming both lines.
//!
//! Statements use it to class a row that gives only a code ([`ErrorCodes::classify`]), and
//! `kongtun receivables reconcile` to print what an error means and how to fix it
//! ([`Reconciliation::describe_errors`], [`Reconciliation::error_table`]).
//!
//! ```
//! use kongtun_ledger::error_codes::ErrorCodes;
//! use kongtun_ledger::receivable::ErrorType;
//!
//! let csv = "# source: a test\ncode,type,description,guide\n\
//!            998,Corrective,ส่งข้อมูลเกินกำหนด,ส่งภายใน 30 ก.ย. ของปีงบประมาณถัดไป\n\
//!            G40,Deny,ไม่เข้าหลักเกณฑ์ ODS,\n\
//!            248,,รหัสการวินิจฉัยโรคไม่ถูกต้อง,\n";
//! let codes = ErrorCodes::parse(csv, "nhso-errors.csv").unwrap();
//! assert_eq!(codes.len(), 3);
//! assert_eq!(codes.get("g40").unwrap().kind, Some(ErrorType::D));
//! assert_eq!(codes.get("998").unwrap().description, "ส่งข้อมูลเกินกำหนด");
//!
//! // A row giving codes 248 (no type in the file) and G40: the deny decides.
//! let classed = codes.classify(&["248".into(), "G40".into()]).unwrap();
//! assert_eq!((classed.code.as_str(), classed.kind), ("G40,248", ErrorType::D));
//! assert_eq!(classed.untyped, ["248"]); // no type in the file: counted as C, and said
//! assert!(codes.classify(&[" ".into()]).is_none());
//!
//! let bad = ErrorCodes::parse("code,type,description,guide\n1,Urgent,x,y\n", "e.csv").unwrap_err();
//! assert_eq!(bad.to_string(), "e.csv:2: type `Urgent` of code 1: expected Corrective, Deny, Verify (or C, D, V) or blank");
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::receivable::ErrorType;
use crate::report::Reconciliation;
use crate::table::{Cell, Table};

/// Where the table lives under a rules directory.
pub const RULES_PATH: &str = "codes/nhso-errors.csv";

/// The columns of the file, in order.
pub const COLUMNS: [&str; 4] = ["code", "type", "description", "guide"];

/// One NHSO error code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    /// The code as written (`998`, `G40`, `256-1`).
    pub code: String,
    /// C, D or V; `None` when the source gives no type.
    pub kind: Option<ErrorType>,
    /// What the error means (Thai).
    pub description: String,
    /// How to fix it (Thai); may be empty.
    pub guide: String,
    /// The line of the file it was read from.
    #[serde(skip)]
    pub line: u64,
}

/// Why the error-code file cannot be used. Each names the file, and the line where one is
/// at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorCodesError {
    /// The file cannot be read.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// The header is not `code,type,description,guide`.
    #[error("{file}:{line}: the header is `{found}`: expected `code,type,description,guide`")]
    Header {
        /// The file.
        file: String,
        /// The header's line.
        line: u64,
        /// The header found.
        found: String,
    },
    /// A row that is not CSV, or has the wrong number of fields.
    #[error("{file}:{line}: {message}")]
    Row {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A row without a code.
    #[error("{file}:{line}: the code is empty: every row names a code")]
    EmptyCode {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
    },
    /// A type that is none of the three.
    #[error("{file}:{line}: type `{value}` of code {code}: expected Corrective, Deny, Verify (or C, D, V) or blank")]
    Type {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The code.
        code: String,
        /// The type written.
        value: String,
    },
    /// The same code twice (in any letter case).
    #[error("{file}:{line}: code {code} is listed twice (first on line {first}): keep one row per code")]
    Duplicate {
        /// The file.
        file: String,
        /// The second row's line.
        line: u64,
        /// The code.
        code: String,
        /// The first row's line.
        first: u64,
    },
}

/// The table of NHSO error codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorCodes {
    file: String,
    codes: Vec<ErrorCode>,
    index: HashMap<String, usize>,
}

/// The error of a statement row, classed through the table (see [`ErrorCodes::classify`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classed {
    /// The codes, the deciding one first, joined with `,`.
    pub code: String,
    /// The deciding type.
    pub kind: ErrorType,
    /// Codes the table lacks or gives no type for (classed C: see [`ErrorCodes::classify`]).
    pub untyped: Vec<String>,
}

fn key(code: &str) -> String {
    code.trim().to_uppercase()
}

fn error_type(text: &str) -> Option<Option<ErrorType>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Some(None),
        "corrective" | "c" => Some(Some(ErrorType::C)),
        "deny" | "d" => Some(Some(ErrorType::D)),
        "verify" | "v" => Some(Some(ErrorType::V)),
        _ => None,
    }
}

impl ErrorCodes {
    /// Reads the table from CSV text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<ErrorCodes, ErrorCodesError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Leading `#` lines are comments, cut off here: the csv crate's own comment support
        // miscounts lines after them.
        let (mut body, mut skipped) = (text, 0u64);
        while body.starts_with('#') {
            body = body.find('\n').map_or("", |i| &body[i + 1..]);
            skipped += 1;
        }
        // csv's line count is off by one after CRLF: lines counted from its byte offsets, once
        // over the text (counting from the start for every row took seconds of a debug build).
        let mut lines = crate::receivable::error::CsvLines::new(body);
        let mut line_of = |p: Option<&csv::Position>| skipped + lines.line(p).max(1);
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(body.as_bytes());
        let header = reader.headers().map_err(|e| ErrorCodesError::Row {
            file: file.to_string(),
            line: line_of(e.position()),
            message: e.to_string(),
        })?;
        let header_line = line_of(header.position());
        let names: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
        if names != COLUMNS {
            return Err(ErrorCodesError::Header {
                file: file.to_string(),
                line: header_line,
                found: header.iter().collect::<Vec<_>>().join(","),
            });
        }
        let mut table = ErrorCodes { file: file.to_string(), ..ErrorCodes::default() };
        for record in reader.records() {
            let record = record.map_err(|e| ErrorCodesError::Row {
                file: file.to_string(),
                line: line_of(e.position()),
                message: e.to_string(),
            })?;
            let line = line_of(record.position());
            if record.len() != COLUMNS.len() {
                return Err(ErrorCodesError::Row {
                    file: file.to_string(),
                    line,
                    message: format!("{} fields: expected 4 (code, type, description, guide)", record.len()),
                });
            }
            let code = record.get(0).unwrap_or("").to_string();
            if code.is_empty() {
                return Err(ErrorCodesError::EmptyCode { file: file.to_string(), line });
            }
            let written = record.get(1).unwrap_or("");
            let Some(kind) = error_type(written) else {
                return Err(ErrorCodesError::Type { file: file.to_string(), line, code, value: written.to_string() });
            };
            if let Some(&first) = table.index.get(&key(&code)) {
                let first = table.codes[first].line;
                return Err(ErrorCodesError::Duplicate { file: file.to_string(), line, code, first });
            }
            table.index.insert(key(&code), table.codes.len());
            table.codes.push(ErrorCode {
                code,
                kind,
                description: record.get(2).unwrap_or("").to_string(),
                guide: record.get(3).unwrap_or("").to_string(),
                line,
            });
        }
        Ok(table)
    }

    /// Reads the table from a file.
    pub fn load(path: &Path) -> Result<ErrorCodes, ErrorCodesError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ErrorCodesError::Io { file: file.clone(), message: kongtun_core::files::io_message(&e) })?;
        ErrorCodes::parse(&text, &file)
    }

    /// The table of a rules directory (`<rules>/codes/nhso-errors.csv`), or `None` when the
    /// directory has none.
    pub fn load_rules(rules: &Path) -> Result<Option<ErrorCodes>, ErrorCodesError> {
        let path: PathBuf = rules.join(RULES_PATH);
        if path.exists() {
            ErrorCodes::load(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The file the table was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when the table holds no code.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Every code, in file order.
    pub fn codes(&self) -> &[ErrorCode] {
        &self.codes
    }

    /// A code, in any letter case.
    pub fn get(&self, code: &str) -> Option<&ErrorCode> {
        self.index.get(&key(code)).map(|&i| &self.codes[i])
    }

    /// Classes the codes a statement row gives (at least one).
    ///
    /// The deciding code is the first of the most severe type, Deny before Corrective before
    /// Verify: a denied part is lost unless appealed, a corrective one comes back once fixed, a
    /// verified one is waiting. A code the table lacks, or gives no type for, counts as
    /// Corrective (the hospital has to look at it) and is listed in [`Classed::untyped`] so the
    /// caller can say so; add its type to the file to change that. `None` for no codes.
    pub fn classify(&self, codes: &[String]) -> Option<Classed> {
        let rank = |k: ErrorType| match k {
            ErrorType::D => 0,
            ErrorType::C => 1,
            ErrorType::V => 2,
        };
        let mut typed: Vec<(ErrorType, &str)> = Vec::new();
        let mut untyped = Vec::new();
        for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            match self.get(code).and_then(|c| c.kind) {
                Some(kind) => typed.push((kind, code)),
                None => {
                    untyped.push(code.to_string());
                    typed.push((ErrorType::C, code));
                }
            }
        }
        // stable: the first code of the most severe type decides
        typed.sort_by_key(|(kind, _)| rank(*kind));
        let kind = typed.first()?.0;
        let code = typed.iter().map(|(_, c)| *c).collect::<Vec<_>>().join(",");
        Some(Classed { code, kind, untyped })
    }

    /// What a statement error code means: the entry of its deciding (first) code, when the
    /// code is `G40,248` as [`ErrorCodes::classify`] writes it.
    pub fn describe(&self, code: &str) -> Option<&ErrorCode> {
        code.split(',').next().and_then(|first| self.get(first))
    }
}

impl Reconciliation {
    /// Fills each stuck row's `error_description` and `error_guide` from the table.
    pub fn describe_errors(&mut self, codes: &ErrorCodes) {
        for row in &mut self.rows {
            if let Some(entry) = row.error.as_ref().and_then(|(code, _)| codes.describe(code)) {
                row.error_description = Some(entry.description.clone());
                row.error_guide = Some(entry.guide.clone()).filter(|g| !g.is_empty());
            }
        }
    }

    /// The error codes the rows are stuck with, once each: code, type, claims, open balance,
    /// the description and the fix (after [`Reconciliation::describe_errors`]); `None` when
    /// no row is stuck.
    pub fn error_table(&self) -> Option<Table> {
        let mut seen: Vec<(String, ErrorType, usize, kongtun_core::money::Money, String, String)> = Vec::new();
        for row in &self.rows {
            let Some((code, kind)) = &row.error else { continue };
            let open = row.balance.max(kongtun_core::money::Money::ZERO);
            match seen.iter_mut().find(|s| &s.0 == code) {
                Some(s) => {
                    s.2 += 1;
                    s.3 += open;
                }
                None => seen.push((
                    code.clone(),
                    *kind,
                    1,
                    open,
                    row.error_description.clone().unwrap_or_default(),
                    row.error_guide.clone().unwrap_or_default(),
                )),
            }
        }
        if seen.is_empty() {
            return None;
        }
        let mut t = Table::new(
            "Error codes (NHSO): what each means and how to fix it",
            &["code", "type", "claims", "open", "description", "fix"],
        );
        for (code, kind, claims, open, description, guide) in seen {
            t.rows.push(vec![
                Cell::text(code),
                Cell::text(kind.as_str()),
                Cell::number(claims as i64),
                Cell::Money(open),
                Cell::text(description),
                Cell::text(guide),
            ]);
        }
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_loads_with_its_counts() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules").join(RULES_PATH);
        let codes = ErrorCodes::load(&path).unwrap();
        assert_eq!(codes.len(), 1069);
        let count = |k: Option<ErrorType>| codes.codes().iter().filter(|c| c.kind == k).count();
        assert_eq!(
            (count(Some(ErrorType::C)), count(Some(ErrorType::D)), count(Some(ErrorType::V)), count(None)),
            (641, 175, 117, 136)
        );
        let late = codes.get("998").unwrap();
        assert_eq!(late.kind, Some(ErrorType::C));
        assert_eq!(late.description, "ส่งข้อมูลเกินกำหนด");
        // the row's line counts the comment lines above the header
        assert_eq!(codes.get("101").unwrap().line, 9);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let head = "code,type,description,guide\n";
        let err = |text: &str| ErrorCodes::parse(text, "e.csv").unwrap_err().to_string();
        assert_eq!(
            err("code,kind,description,guide\n"),
            "e.csv:1: the header is `code,kind,description,guide`: expected `code,type,description,guide`"
        );
        assert_eq!(
            err(&format!("# c\n{head}1,C,a,b\n1,D,c,d\n")),
            "e.csv:4: code 1 is listed twice (first on line 3): keep one row per code"
        );
        assert_eq!(
            err(&format!("{head}a1,C,a,b\nA1,C,a,b\n")),
            "e.csv:3: code A1 is listed twice (first on line 2): keep one row per code"
        );
        assert_eq!(err(&format!("{head}1,C,a\n")), "e.csv:2: 3 fields: expected 4 (code, type, description, guide)");
        assert_eq!(err(&format!("{head},C,a,b\n")), "e.csv:2: the code is empty: every row names a code");
        assert!(ErrorCodes::load(Path::new("/no/such/file.csv"))
            .unwrap_err()
            .to_string()
            .starts_with("/no/such/file.csv: "));
    }

    #[test]
    fn classing_prefers_deny_then_corrective_then_verify() {
        let codes = ErrorCodes::parse("code,type,description,guide\n1,V,a,\n2,C,b,\n3,D,c,\n4,,d,\n", "e.csv").unwrap();
        let class = |list: &[&str]| {
            let c = codes.classify(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
            (c.code, c.kind, c.untyped)
        };
        assert_eq!(class(&["1"]), ("1".into(), ErrorType::V, vec![]));
        assert_eq!(class(&["1", "2"]), ("2,1".into(), ErrorType::C, vec![]));
        assert_eq!(class(&["1", "2", "3"]), ("3,2,1".into(), ErrorType::D, vec![]));
        assert_eq!(class(&["4", "1"]), ("4,1".into(), ErrorType::C, vec!["4".to_string()]));
        assert_eq!(class(&["X9"]), ("X9".into(), ErrorType::C, vec!["X9".to_string()]));
        assert_eq!(codes.describe("3,2").unwrap().description, "c");
    }
}
