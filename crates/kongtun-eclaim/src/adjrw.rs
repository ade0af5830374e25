//! Adj.RW by admission, from the DRG grouper's output: a CSV file whose header names the
//! columns `an` and `adjrw` (any letter case, any order; other columns such as `drg` and
//! `rw` may be present and are not used: the claim model has no place for them).
//!
//! A row whose Adj.RW is not a number rejects its admission's claim (naming the CSV file and
//! line), rather than leave it to be paid as if it had not been grouped. An admission listed
//! twice with different values is rejected the same way; twice with the same value is fine.
//! Rows for an AN the set does not hold are noted.
//!
//! ```
//! use kongtun_eclaim::adjrw::AdjRwTable;
//!
//! let table = AdjRwTable::parse("an,drg,rw,adjrw\n6800001,08201,3.1,3.5432\n", "adjrw.csv").unwrap();
//! assert_eq!(table.get("6800001").unwrap().unwrap().to_string(), "3.5432");
//! assert!(table.get("6800002").is_none());
//! ```

use std::collections::HashMap;
use std::path::Path;

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use rust_decimal::Decimal;

use crate::error::SetError;

/// The largest Adj.RW file read.
pub const MAX_ADJRW_BYTES: u64 = 256 * 1024 * 1024;

/// Adj.RW by AN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdjRwTable {
    file: String,
    by_an: HashMap<String, (u32, Result<Decimal, Diagnostic>)>,
}

impl AdjRwTable {
    /// Reads the CSV file at `path`.
    pub fn read(path: &Path) -> Result<AdjRwTable, SetError> {
        use std::io::Read;
        let file = path.display().to_string();
        let io =
            |e: std::io::Error| SetError::AdjRw { file: file.clone(), message: kongtun_core::files::io_message(&e) };
        let mut bytes = Vec::new();
        std::fs::File::open(path).map_err(io)?.take(MAX_ADJRW_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() as u64 > MAX_ADJRW_BYTES {
            return Err(SetError::AdjRw { file, message: format!("larger than {MAX_ADJRW_BYTES} bytes") });
        }
        let text = crate::encoding::decode(bytes, None, &file)?.text;
        AdjRwTable::parse(&text, &file)
    }

    /// Reads CSV text; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<AdjRwTable, SetError> {
        let bad = |message: String| SetError::AdjRw { file: file.to_string(), message };
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| bad(format!("cannot read the header: {e}")))?.clone();
        let find =
            |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
        let (Some(an_col), Some(rw_col)) = (find("an"), find("adjrw")) else {
            let found: Vec<&str> = headers.iter().collect();
            return Err(bad(format!(
                "the header must name the columns `an` and `adjrw` (found: {})",
                found.join(", ")
            )));
        };
        let mut table = AdjRwTable { file: file.to_string(), by_an: HashMap::new() };
        for record in reader.records() {
            let record = record.map_err(|e| bad(format!("not CSV: {e}")))?;
            let line = record.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
            let an = record.get(an_col).unwrap_or("").to_string();
            if an.is_empty() && record.iter().all(str::is_empty) {
                continue;
            }
            let error = |field: &str, message: String| {
                Diagnostic::error(DiagnosticKind::InvalidValue, file, message)
                    .at_line(u64::from(line))
                    .claim(an.as_str())
                    .field(field)
            };
            if an.is_empty() {
                return Err(bad(format!("line {line}: the `an` column is empty")));
            }
            let text = record.get(rw_col).unwrap_or("");
            let value = crate::value::decimal(text).map_err(|m| error("adjrw", m)).and_then(|d| {
                if d.is_sign_negative() && !d.is_zero() {
                    Err(error("adjrw", format!("`{text}` is negative: expected 0 or more")))
                } else {
                    Ok(d)
                }
            });
            match table.by_an.get(&an) {
                None => {
                    table.by_an.insert(an, (line, value));
                }
                Some((_, Ok(old))) if value.as_ref().is_ok_and(|v| v == old) => {}
                Some((first, _)) => {
                    let message = format!("{an} is listed again (first on line {first}) with another Adj.RW");
                    let d = error("an", message);
                    table.by_an.insert(an, (line, Err(d)));
                }
            }
        }
        Ok(table)
    }

    /// The Adj.RW of an admission: `None` when the file does not list it, an error
    /// (naming the CSV file and line) when its value cannot be used.
    pub fn get(&self, an: &str) -> Option<Result<Decimal, Diagnostic>> {
        self.by_an.get(an).map(|(_, v)| v.clone())
    }

    /// The line of an admission's row.
    pub fn line(&self, an: &str) -> Option<u32> {
        self.by_an.get(an).map(|(line, _)| *line)
    }

    /// The ANs listed, with their lines (to note those the set does not hold).
    pub fn admissions(&self) -> impl Iterator<Item = (&str, u32)> {
        self.by_an.iter().map(|(an, (line, _))| (an.as_str(), *line))
    }

    /// The file, as named in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// How many admissions it lists.
    pub fn len(&self) -> usize {
        self.by_an.len()
    }

    /// True when it lists none.
    pub fn is_empty(&self) -> bool {
        self.by_an.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_and_conflicts_name_the_line() {
        let t = AdjRwTable::parse("AN,ADJRW\nA1,abc\nA2,1.5\nA2,1.5\nA3,1\nA3,2\n", "rw.csv").unwrap();
        let e = t.get("A1").unwrap().unwrap_err();
        assert_eq!(e.to_string(), "rw.csv:2: claim A1: adjrw: `abc` is not a number: expected digits with an optional decimal point (1234.50 or 1,234.50)");
        assert_eq!(t.get("A2").unwrap().unwrap().to_string(), "1.5");
        let e = t.get("A3").unwrap().unwrap_err();
        assert!(e.to_string().starts_with("rw.csv:6: claim A3: an: A3 is listed again (first on line 5)"), "{e}");
    }

    #[test]
    fn header_must_name_an_and_adjrw() {
        let e = AdjRwTable::parse("hn,rw\n1,2\n", "rw.csv").unwrap_err();
        assert!(e.to_string().contains("`an` and `adjrw`"), "{e}");
    }
}
