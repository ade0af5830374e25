//! Row errors: a bad row of an input file, or an event the ledger refused, with where it was.

use std::fmt;
use std::sync::Arc;

/// What kind of problem made a row unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not well-formed JSON / CSV.
    Syntax,
    /// A required field is absent or empty.
    MissingField,
    /// A field the format does not have.
    UnknownField,
    /// A value of the wrong type, out of range, or inconsistent with another field.
    InvalidValue,
    /// The claim was rejected by `kongtun evaluate`: no receivable is opened for it.
    NotEvaluated,
    /// The claim id was already opened.
    DuplicateClaim,
    /// No receivable for the event's claim and payer.
    UnknownReceivable,
    /// An event with the same key was posted before with different content.
    Conflict,
    /// The ledger refused the event (e.g. a write-off above the open balance).
    Refused,
}

impl RowErrorKind {
    /// A stable snake_case name, used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            RowErrorKind::Io => "io",
            RowErrorKind::Syntax => "syntax",
            RowErrorKind::MissingField => "missing_field",
            RowErrorKind::UnknownField => "unknown_field",
            RowErrorKind::InvalidValue => "invalid_value",
            RowErrorKind::NotEvaluated => "not_evaluated",
            RowErrorKind::DuplicateClaim => "duplicate_claim",
            RowErrorKind::UnknownReceivable => "unknown_receivable",
            RowErrorKind::Conflict => "conflict",
            RowErrorKind::Refused => "refused",
        }
    }
}

impl fmt::Display for RowErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row skipped, with the file, line, claim id and field it concerns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct RowError {
    /// The file, as given.
    pub file: String,
    /// The line (from 1), where known.
    pub line: Option<u64>,
    /// The claim id, when the row has a readable one.
    pub claim_id: Option<String>,
    /// The field, e.g. `paid_date`.
    pub field: Option<String>,
    /// The kind of problem.
    pub kind: RowErrorKind,
    /// What is wrong and what was expected.
    pub message: String,
}

impl RowError {
    /// An error about a whole file (unreadable, not the expected format).
    pub fn file(file: &str, kind: RowErrorKind, message: impl Into<String>) -> RowError {
        RowError { file: file.to_string(), line: None, claim_id: None, field: None, kind, message: message.into() }
    }

    /// An error at a line of a file.
    pub fn at(file: &str, line: u64, kind: RowErrorKind, message: impl Into<String>) -> RowError {
        RowError { line: Some(line), ..RowError::file(file, kind, message) }
    }

    /// The same error, naming a claim.
    pub fn claim(mut self, claim_id: Option<&str>) -> RowError {
        self.claim_id = claim_id.filter(|c| !c.is_empty()).map(str::to_string);
        self
    }

    /// The same error, naming a field.
    pub fn field(mut self, field: impl Into<String>) -> RowError {
        let field = field.into();
        self.field = Some(field).filter(|f| !f.is_empty());
        self
    }
}

impl fmt::Display for RowError {
    /// `stm.csv:7: claim UC-IP-TKA: paid: `12,50x` is not a decimal number`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(id) = &self.claim_id {
            write!(f, "claim {id}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
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
    pub errors: Vec<RowError>,
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
pub fn csv_with_header<'t>(text: &'t str, file: &str) -> Result<(csv::Reader<&'t [u8]>, csv::StringRecord), RowError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) => {
            let headers = h.clone();
            Ok((reader, headers))
        }
        Err(e) => Err(RowError::at(file, 1, RowErrorKind::Syntax, e.to_string())),
    }
}

/// Reads a whole file, or gives the one error that says why not.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, RowError> {
    std::fs::read_to_string(path)
        .map_err(|e| RowError::file(&path.display().to_string(), RowErrorKind::Io, e.to_string()))
}

/// A serde error of one JSON row, with the field path it concerns.
pub(crate) fn json_row_error(
    file: &str,
    line: u64,
    claim_id: Option<&str>,
    e: serde_path_to_error::Error<serde_json::Error>,
) -> RowError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let text = inner.to_string();
    // serde_json appends " at line L column C" of the fragment it read: the row's line says more.
    let message = match text.rfind(" at line ") {
        Some(i) if inner.line() > 0 => text[..i].to_string(),
        _ => text,
    };
    let kind = if matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof) {
        RowErrorKind::Syntax
    } else if message.starts_with("missing field") {
        RowErrorKind::MissingField
    } else if message.starts_with("unknown field") {
        RowErrorKind::UnknownField
    } else {
        RowErrorKind::InvalidValue
    };
    let mut field = if path == "." { String::new() } else { path };
    if matches!(kind, RowErrorKind::MissingField | RowErrorKind::UnknownField) {
        // A missing field's path ends at its object (an unknown one's already names it):
        // the message names the field itself.
        if let Some(name) = message.split('`').nth(1) {
            if field.is_empty() {
                field = name.to_string();
            } else if field != name && !field.ends_with(&format!(".{name}")) {
                field = format!("{field}.{name}");
            }
        }
    }
    RowError::at(file, line, kind, message).claim(claim_id).field(field)
}
