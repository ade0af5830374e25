//! A worksheet's detail table: the header row found by its `TRAN_ID` cell, the header band
//! under it (sub-headers of merged cells), each column's label, and the data rows after.
//!
//! Columns are found by their header text, never by position: UCS, LGO and SSS REP files
//! have 120, 58 and 74 columns with different names. A label is the header row's text with
//! the sub-header texts below it (a merged parent such as `ล่าช้า (PS)` or `เงินเดือน` is
//! carried over the columns it spans); it is compared without spaces, line breaks or letter
//! case, so `'เรียกเก็บ\n(1)'` and `ชื่อ - สกุล` match however NHSO wraps them.

use std::sync::Arc;

use calamine::{Data, Range};

use super::cell::text;
use super::error::{Place, StatementError};

/// Rows searched for the header row.
const HEADER_SEARCH: usize = 40;
/// Most sub-header rows under the header row.
const MAX_BAND: usize = 4;

/// A header text as compared: no whitespace, lower case.
pub fn normalize(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// True for the text of a TRAN_ID header (`TRAN_ID`, `TRANS ID`, `Tran ID`).
pub fn is_tran_id(label: &str) -> bool {
    let n = normalize(label).replace(['_', '-', '.'], "");
    n == "tranid" || n == "transid"
}

/// A detail table inside a sheet.
pub struct Table<'r> {
    range: &'r Range<Data>,
    /// The sheet's name.
    pub sheet: Arc<str>,
    /// The file's name.
    pub file: Arc<str>,
    /// Index (into the range's rows) of the header row.
    pub header: usize,
    /// Index of the first data row.
    pub first_data: usize,
    /// Each column's label as written (parts joined by a space).
    pub labels: Vec<String>,
    /// Each column's label, normalized ([`normalize`]).
    pub keys: Vec<String>,
    /// The TRAN_ID column.
    pub tran_id: usize,
}

impl<'r> Table<'r> {
    /// Finds the detail table of a sheet: the first of its first 40 rows with a TRAN_ID
    /// cell. `None` when the sheet has none.
    pub fn find(range: &'r Range<Data>, file: &Arc<str>, sheet: &str) -> Option<Table<'r>> {
        let width = range.width();
        let rows: Vec<&[Data]> = range.rows().take(HEADER_SEARCH + MAX_BAND + 1).collect();
        let (header, tran_id) = rows
            .iter()
            .take(HEADER_SEARCH)
            .enumerate()
            .find_map(|(i, row)| row.iter().position(|c| is_tran_id(&text(c))).map(|col| (i, col)))?;
        // The band: sub-header rows under the header: no TRAN_ID, text only, in two cells or
        // more (a section marker such as `ข้อมูลปกติ` is one cell; a data row has numbers).
        let sub_header = |row: &[Data]| {
            let filled: Vec<&Data> = row.iter().filter(|c| !text(c).is_empty()).collect();
            text(row.get(tran_id).unwrap_or(&Data::Empty)).is_empty()
                && filled.len() >= 2
                && filled.iter().all(|c| matches!(c, Data::String(_)))
        };
        let mut first_data = header + 1;
        while first_data < rows.len() && first_data <= header + MAX_BAND && sub_header(rows[first_data]) {
            first_data += 1;
        }
        let cell = |r: usize, c: usize| rows.get(r).and_then(|row| row.get(c)).map(text).unwrap_or_default();
        let mut labels = Vec::with_capacity(width);
        let mut parent = String::new();
        for c in 0..width {
            let top = cell(header, c);
            let subs: Vec<String> = (header + 1..first_data).map(|r| cell(r, c)).filter(|t| !t.is_empty()).collect();
            // A merged parent is written in its first column only: carry it over the columns
            // that have sub-headers and no text of their own.
            let head = if !top.is_empty() {
                parent = top.clone();
                top
            } else if !subs.is_empty() {
                parent.clone()
            } else {
                parent.clear();
                String::new()
            };
            let mut parts = vec![head];
            parts.extend(subs);
            labels.push(parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "));
        }
        let keys = labels.iter().map(|l| normalize(l)).collect();
        Some(Table { range, sheet: Arc::from(sheet), file: file.clone(), header, first_data, labels, keys, tran_id })
    }

    /// The place of a row of the range (Excel's row number).
    pub fn place(&self, index: usize) -> Place {
        let start = self.range.start().map_or(0, |(r, _)| r as usize);
        Place { file: self.file.clone(), sheet: Some(self.sheet.clone()), row: (start + index + 1) as u32 }
    }

    /// The first column whose normalized label passes `pred`.
    pub fn column(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.keys.iter().position(|k| pred(k))
    }

    /// Every column whose normalized label passes `pred`.
    pub fn columns(&self, pred: impl Fn(&str) -> bool) -> Vec<usize> {
        self.keys.iter().enumerate().filter(|(_, k)| pred(k)).map(|(i, _)| i).collect()
    }

    /// The error for a column the table lacks.
    pub fn missing(&self, field: &'static str, expected: &'static str) -> StatementError {
        let found: Vec<&str> = self.labels.iter().map(String::as_str).filter(|l| !l.is_empty()).collect();
        StatementError::MissingColumn { place: self.place(self.header), field, expected, found: found.join(" | ") }
    }

    /// The data rows, with their index in the range.
    pub fn data(&self) -> impl Iterator<Item = (usize, &'r [Data])> + 'r {
        let first = self.first_data;
        self.range.rows().enumerate().skip(first)
    }

    /// The label of a column, as written.
    pub fn label(&self, column: usize) -> &str {
        self.labels.get(column).map_or("", String::as_str)
    }
}

/// A row's cell (empty beyond its end).
pub fn get(row: &[Data], column: Option<usize>) -> &Data {
    static EMPTY: Data = Data::Empty;
    column.and_then(|c| row.get(c)).unwrap_or(&EMPTY)
}

/// A REP or STM detail row's TRAN_ID; `None` for a row that is no statement row (no TRAN_ID,
/// HN, AN or PID: a heading or total), an error for one that names a patient but no TRAN_ID.
pub fn tran_id(
    row: &[Data],
    tran_id: usize,
    patient: [Option<usize>; 3],
    place: &super::error::Place,
) -> Result<Option<String>, super::error::StatementError> {
    if let Some(id) = super::cell::opt_text(get(row, Some(tran_id))) {
        return Ok(Some(id));
    }
    match patient.iter().any(|c| super::cell::opt_text(get(row, *c)).is_some()) {
        false => Ok(None),
        true => Err(super::error::StatementError::Row {
            place: place.clone(),
            message: "no TRAN_ID, but an HN, AN or PID: a statement row needs NHSO's transaction id".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        if t.is_empty() {
            Data::Empty
        } else {
            Data::String(t.into())
        }
    }

    #[test]
    fn merged_parents_carry_over_their_sub_headers() {
        let mut range = Range::new((0, 0), (5, 5));
        let rows = [
            ["report", "", "", "", "", ""],
            ["REP No.", "TRAN_ID", "ล่าช้า (PS)\n(5)", "", "เงินเดือน", ""],
            ["", "", "flag", "ร้อยละ", "ร้อยละ", "จำนวนเงิน\n(11)"],
            ["1", "T1", "Y", "100", "0", "12.50"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                range.set_value((r as u32, c as u32), s(t));
            }
        }
        let file: Arc<str> = Arc::from("f.xlsx");
        let t = Table::find(&range, &file, "Detail").unwrap();
        assert_eq!((t.header, t.first_data, t.tran_id), (1, 3, 1));
        assert_eq!(
            t.labels,
            [
                "REP No.",
                "TRAN_ID",
                "ล่าช้า (PS)\n(5) flag",
                "ล่าช้า (PS)\n(5) ร้อยละ",
                "เงินเดือน ร้อยละ",
                "เงินเดือน จำนวนเงิน\n(11)"
            ]
        );
        assert_eq!(t.keys[5], "เงินเดือนจำนวนเงิน(11)");
        assert_eq!(t.place(3).to_string(), "f.xlsx[Detail]:4");
        assert!(is_tran_id("TRANS ID") && is_tran_id("tran_id") && !is_tran_id("TRAN"));
    }
}
