//! Where a statement row came from ([`Place`]), and why a file or a row cannot be read
//! ([`StatementError`]).

use std::fmt;
use std::sync::Arc;

/// Where a statement row is: the file, the sheet (a workbook's sheet, or the XML file inside a
/// zip) and the row (the row number Excel shows, from 1; for XML, the line of the element).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    /// The file, as given.
    pub file: Arc<str>,
    /// The sheet, or the XML file inside a zip.
    pub sheet: Option<Arc<str>>,
    /// The row (Excel's number, from 1), or the XML line.
    pub row: u32,
}

impl fmt::Display for Place {
    /// `eclaim_10703_OP_25680515_01.xlsx[Detail]:9`, or `stm.zip[10703_BOCDSTM.xml]:12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{}[{}]:{}", self.file, sheet, self.row),
            None => write!(f, "{}:{}", self.file, self.row),
        }
    }
}

/// Why a statement file, or one of its rows, cannot be read. The file-level kinds stop the
/// file; [`StatementError::Cell`] and [`StatementError::Row`] cost one row (rejected).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementError {
    /// The file cannot be read.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// Not a statement this reader knows.
    #[error("{file}: not a statement file kongtun reads: {expected}")]
    UnknownFormat {
        /// The file.
        file: String,
        /// What was expected.
        expected: String,
    },
    /// The workbook, zip or XML is damaged or not what its name says.
    #[error("{file}: cannot be read as {what}: {message}")]
    Damaged {
        /// The file.
        file: String,
        /// What it was read as (`an Excel workbook`, `a zip archive`, `XML`).
        what: &'static str,
        /// Why.
        message: String,
    },
    /// No sheet with the detail rows.
    #[error("{file}: no sheet has a header row with {expected} (sheets: {sheets})")]
    NoDetailSheet {
        /// The file.
        file: String,
        /// The header cell looked for.
        expected: String,
        /// The sheets found.
        sheets: String,
    },
    /// The header row lacks a column the reader needs.
    #[error("{place}: the header has no {field} column: expected a header such as {expected} (found: {found})")]
    MissingColumn {
        /// The header row.
        place: Place,
        /// The field.
        field: &'static str,
        /// Header texts it would have recognised.
        expected: &'static str,
        /// The header row's texts.
        found: String,
    },
    /// The statement's date (the day paid) is nowhere to be found.
    #[error("{file}: no statement date: {expected}")]
    NoDate {
        /// The file.
        file: String,
        /// Where it was looked for.
        expected: String,
    },
    /// The fund that pays cannot be told.
    #[error("{file}: cannot tell which fund pays: {expected}")]
    NoFund {
        /// The file.
        file: String,
        /// What would say.
        expected: String,
    },
    /// A cell that does not hold what its column should.
    #[error("{place}: column {column}: `{value}` {problem}")]
    Cell {
        /// The row.
        place: Place,
        /// The column's header text.
        column: String,
        /// The cell as read.
        value: String,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// A row that cannot be a statement row.
    #[error("{place}: {message}")]
    Row {
        /// The row.
        place: Place,
        /// What is wrong and what was expected.
        message: String,
    },
}

impl StatementError {
    /// The row's place, for the row-level kinds.
    pub fn place(&self) -> Option<&Place> {
        match self {
            StatementError::Cell { place, .. }
            | StatementError::Row { place, .. }
            | StatementError::MissingColumn { place, .. } => Some(place),
            _ => None,
        }
    }

    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            StatementError::Io { file, .. }
            | StatementError::UnknownFormat { file, .. }
            | StatementError::Damaged { file, .. }
            | StatementError::NoDetailSheet { file, .. }
            | StatementError::NoDate { file, .. }
            | StatementError::NoFund { file, .. } => file,
            StatementError::Cell { place, .. }
            | StatementError::Row { place, .. }
            | StatementError::MissingColumn { place, .. } => &place.file,
        }
    }
}
