//! What the readers return: the good rows with where they came from ([`Rows`], [`Located`]),
//! and a [`Diagnostic`] for each bad row or refused event.

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use std::sync::Arc;

use kongtun_core::yaml;

/// An error at a line of a file.
pub(crate) fn at(file: &str, line: u64, kind: DiagnosticKind, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(kind, file, message).at_line(line)
}

/// An error about a whole file (unreadable, not the expected format).
pub(crate) fn whole_file(file: &str, kind: DiagnosticKind, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(kind, file, message)
}

/// A value read from a file, with the file and line it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The file, as given.
    pub file: Arc<str>,
    /// The line (from 1) where the row starts.
    pub line: u64,
    /// The value.
    pub value: T,
}

/// What a reader got from a file: the good rows, and an error for every bad one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rows<T> {
    /// The rows read, in file order.
    pub rows: Vec<Located<T>>,
    /// The rows skipped, in file order.
    pub errors: Vec<Diagnostic>,
}

impl<T> Default for Rows<T> {
    fn default() -> Rows<T> {
        Rows { rows: Vec::new(), errors: Vec::new() }
    }
}

impl<T> Rows<T> {
    /// Appends another reader's rows and errors.
    pub fn extend(&mut self, other: Rows<T>) {
        self.rows.extend(other.rows);
        self.errors.extend(other.errors);
    }

    /// The values alone, in order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.rows.iter().map(|r| &r.value)
    }
}

/// A CSV reader over `text` (fields trimmed) and its header row, or the one error (line 1)
/// that says why the header cannot be read. Shared by every CSV input of the receivables.
pub fn csv_with_header<'t>(
    text: &'t str,
    file: &str,
) -> Result<(csv::Reader<&'t [u8]>, csv::StringRecord), Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) => {
            let headers = h.clone();
            Ok((reader, headers))
        }
        Err(e) => Err(at(file, 1, DiagnosticKind::Syntax, e.to_string())),
    }
}

/// The last row of a file, when a field of it holds a line break: a quote opened and never
/// closed, which made the rest of the file one value. The row is refused with this error
/// (its column said), so the rows it swallowed are not lost without a word. (A quoted field
/// over several lines that closes, as Excel writes a cell with a line break, is a value.)
pub(crate) fn open_quote(record: &csv::StringRecord, file: &str, line: u64) -> Option<Diagnostic> {
    let column = record.iter().position(|f| f.contains(['\n', '\r']))? + 1;
    let swallowed = record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    let message = format!(
        "field {column} runs on past the end of its line, over {swallowed} more lines (a quote opened and not closed?): a row's fields hold no line breaks"
    );
    Some(at(file, line, DiagnosticKind::Syntax, message))
}

/// The line (from 1) where each CSV record starts, for records met in file order: the csv
/// crate's byte position through [`kongtun_core::text::RecordLines`] (its own line count is one
/// short after a CRLF).
pub(crate) struct CsvLines<'t>(kongtun_core::text::RecordLines<'t>);

impl<'t> CsvLines<'t> {
    /// Over the text the CSV reader reads.
    pub(crate) fn new(text: &'t str) -> CsvLines<'t> {
        CsvLines(kongtun_core::text::RecordLines::new(text))
    }

    /// The line of a record (or of an error) at `position`; 0 when the reader gave none.
    pub(crate) fn line(&mut self, position: Option<&csv::Position>) -> u64 {
        position.map_or(0, |p| self.0.line_at(usize::try_from(p.byte()).unwrap_or(usize::MAX)))
    }
}

/// Reads a whole file, or gives the one error that says why not.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path)
        .map_err(|e| whole_file(&path.display().to_string(), DiagnosticKind::Io, kongtun_core::files::io_message(&e)))
}

/// The error of one JSON row that serde refused: a syntax error as serde_json reports it;
/// otherwise the row is read again through the positioned tree, whose errors are typed
/// (missing, unknown or invalid field) and name the field and column.
///
/// `start` is where the row's text starts in its file (line, column), so that a row of a
/// one-line JSON list is placed at its own column.
pub(crate) fn json_row_error<T: serde::de::DeserializeOwned>(
    file: &str,
    start: yaml::Pos,
    claim_id: Option<&str>,
    text: &str,
    e: &serde_json::Error,
) -> Diagnostic {
    use serde_json::error::Category;
    let line = u64::from(start.line);
    // A position inside the row's text, moved to the file.
    let place = |p: yaml::Pos| {
        let column = if p.line == 1 { p.column + start.column - 1 } else { p.column };
        yaml::Pos::new(start.line as usize + p.line as usize - 1, column as usize)
    };
    if matches!(e.classify(), Category::Syntax | Category::Eof | Category::Io) {
        let message = strip_position(&e.to_string(), e.line());
        let at = place(yaml::Pos::new(e.line().max(1), e.column().max(1)));
        return Diagnostic::error(DiagnosticKind::Syntax, file, message).at(at).claim_opt(claim_id);
    }
    let located = match yaml::parse(text) {
        Ok(Some(node)) => yaml::from_node::<T>(&node).err(),
        _ => None,
    };
    match located {
        Some(de) => {
            let d = Diagnostic::error(de.kind.diagnostic_kind(), file, de.kind.to_string()).claim_opt(claim_id);
            let d = match de.pos {
                Some(p) => d.at(place(p)),
                None => d.at(start),
            };
            d.field(de.field())
        }
        // The tree reads it where serde_json did not: report serde_json's own words.
        None => Diagnostic::error(DiagnosticKind::InvalidValue, file, strip_position(&e.to_string(), e.line()))
            .at_line(line)
            .claim_opt(claim_id),
    }
}

/// serde_json appends " at line L column C" of the fragment it read: the row's line says more.
fn strip_position(text: &str, line: usize) -> String {
    match text.rfind(" at line ") {
        Some(i) if line > 0 => text[..i].to_string(),
        _ => text.to_string(),
    }
}
