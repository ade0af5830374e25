//! One file of the set as a table: its decoded text, its columns by name, and the position of
//! every data row. Fields are cut out of a row only when it is used, so a set's memory is
//! its text plus 12 bytes a row.
//!
//! The file is pipe-delimited text, rows ended by LF or CRLF, fields never quoted or escaped
//! (e-Claim has no way to write a `|` inside a field). Blank lines are passed over but
//! counted, so line numbers are those an editor shows.
//!
//! **A header or not.** The first line is a header row when at least half of its fields are
//! field names this reader knows for that file, in any layout and letter case (data never
//! looks like that: an HN, an AN or an HCODE is not a field name). Otherwise the file has no
//! header and its fields are read in the standard order ([`FileKind::standard_fields`]).
//!
//! ```
//! use kongtun_eclaim::layout::FileKind;
//! use kongtun_eclaim::table::Table;
//!
//! let t = Table::parse(FileKind::Cha, "CHA.txt".into(), "HN|AN|DATE|CHRGITEM|AMOUNT\r\n001||20250115|31|120.00\r\n".into());
//! assert!(t.has_header());
//! let amount = t.column("AMOUNT").unwrap();
//! let row = t.rows()[0];
//! assert_eq!((row.line, t.fields(row)[amount]), (2, "120.00"));
//! let bare = Table::parse(FileKind::Cha, "CHA.txt".into(), "001||20250115|31|120.00|1234|V1\n".into());
//! assert!(!bare.has_header());
//! assert_eq!(bare.fields(bare.rows()[0])[bare.column("SEQ").unwrap()], "V1");
//! ```

use std::sync::Arc;

use crate::layout::FileKind;

/// Where a data row is: its line number (from 1) and its bytes in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Line number, from 1.
    pub line: u32,
    start: u32,
    end: u32,
}

/// A file of the set, read.
#[derive(Clone, Debug)]
pub struct Table {
    kind: FileKind,
    file: Arc<str>,
    text: String,
    names: Vec<String>,
    header: bool,
    rows: Vec<Row>,
}

impl Table {
    /// Cuts a file's text into rows, with its header (or the standard order). Text beyond
    /// 4 GB is not read ([`crate::source::MAX_FILE_BYTES`] keeps files below it).
    pub fn parse(kind: FileKind, file: Arc<str>, text: String) -> Table {
        let mut rows = Vec::new();
        let mut header: Option<Vec<String>> = None;
        let mut first = true;
        let mut offset = 0usize;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            if first {
                first = false;
                let fields: Vec<&str> = line.split('|').collect();
                let known = fields.iter().filter(|f| kind.knows(f)).count();
                if known * 2 >= fields.len() {
                    header = Some(fields.iter().map(|f| kind.canonical(f)).collect());
                    continue;
                }
            }
            let (Ok(line_no), Ok(start), Ok(end)) =
                (u32::try_from(i + 1), u32::try_from(start), u32::try_from(start + line.len()))
            else {
                break;
            };
            rows.push(Row { line: line_no, start, end });
        }
        let has_header = header.is_some();
        let names = header.unwrap_or_else(|| kind.standard_fields().iter().map(|s| s.to_string()).collect());
        Table { kind, file, text, names, header: has_header, rows }
    }

    /// The file's kind.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The file, as named in messages.
    pub fn file(&self) -> &Arc<str> {
        &self.file
    }

    /// Whether the file has a header row.
    pub fn has_header(&self) -> bool {
        self.header
    }

    /// The column names (canonical, upper case), from the header or the standard order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The index of a column by its canonical name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The data rows, in file order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The row's text, without its line ending.
    pub fn line_text(&self, row: Row) -> &str {
        self.text.get(row.start as usize..row.end as usize).unwrap_or("")
    }

    /// The row's fields, each trimmed of surrounding ASCII blanks.
    pub fn fields(&self, row: Row) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.names.len());
        self.fields_into(row, &mut out);
        out
    }

    /// The row's fields into `out` (cleared first), each trimmed.
    pub fn fields_into<'t>(&'t self, row: Row, out: &mut Vec<&'t str>) {
        out.clear();
        out.extend(self.line_text(row).split('|').map(str::trim_ascii));
        // A trailing `|` after the last field (some exporters end every row with one).
        if out.len() == self.names.len() + 1 && out.last() == Some(&"") {
            out.pop();
        }
    }

    /// Whether a row has as many fields as the header: a row with fewer or more is broken (a
    /// column left out shifts every field after it).
    pub fn is_whole(&self, fields: &[&str]) -> bool {
        fields.len() == self.names.len()
    }

    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_as_in_an_editor() {
        let t = Table::parse(
            FileKind::Cha,
            "CHA.txt".into(),
            "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n\n1||20250101|11|1|x|9\r\n2||20250101|11|1|x|9".into(),
        );
        let lines: Vec<u32> = t.rows().iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert_eq!(t.fields(t.rows()[1]).last(), Some(&"9"));
    }

    #[test]
    fn a_trailing_pipe_is_not_a_field() {
        let t = Table::parse(
            FileKind::Cha,
            "CHA.txt".into(),
            "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n1||20250101|11|1|x|9|\n".into(),
        );
        let f = t.fields(t.rows()[0]);
        assert!(t.is_whole(&f));
    }

    #[test]
    fn a_short_row_is_broken() {
        let t = Table::parse(
            FileKind::Cha,
            "CHA.txt".into(),
            "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n1||11|1|x|9\n".into(),
        );
        assert!(!t.is_whole(&t.fields(t.rows()[0])));
    }

    #[test]
    fn header_detection_takes_half_known_names() {
        // An exporter's own extra columns do not hide the header.
        let t = Table::parse(FileKind::Opd, "OPD.txt".into(), "hn|clinic|dateopd|X1|X2|X3\n".into());
        assert!(t.has_header());
        assert_eq!(t.column("DATEOPD"), Some(2));
        let bare = Table::parse(FileKind::Opd, "OPD.txt".into(), "000123|0100|20250115|0930|V1|\n".into());
        assert!(!bare.has_header());
        assert_eq!(bare.rows().len(), 1);
    }
}
