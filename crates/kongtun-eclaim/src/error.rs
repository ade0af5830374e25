//! Why a set cannot be read at all (as opposed to a bad row, which costs one claim and is a
//! [`kongtun_core::diagnostic::Diagnostic`]).

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};

/// A set that cannot be read: the command exits 2 and no claim is made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetError {
    /// The path, a file in it, or the zip cannot be read.
    #[error("{path}: {message}")]
    Io {
        /// The path or file.
        path: String,
        /// Why.
        message: String,
    },
    /// The zip archive is damaged or uses something this reader does not read.
    #[error("{path}: not a readable zip archive: {message}")]
    Zip {
        /// The archive.
        path: String,
        /// Why.
        message: String,
    },
    /// A required file is absent: INS, PAT, and OPD or IPD.
    #[error("{path}: no {file}.txt in the set: an e-Claim 16-file set needs INS, PAT, and OPD or IPD")]
    MissingFile {
        /// The set.
        path: String,
        /// The missing file (`INS`, `PAT`, `OPD or IPD`).
        file: String,
    },
    /// The same file twice (`INS.txt` and `ins.TXT`, or in two folders of a zip).
    #[error("{first} and {second}: two {kind} files in one set")]
    DuplicateFile {
        /// The file kind.
        kind: String,
        /// The first.
        first: String,
        /// The second.
        second: String,
    },
    /// A file, or the set, larger than the reader holds.
    #[error("{file}: {size} bytes: a file of the set, and the set as a whole, are limited ({limit} bytes)")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A file read as UTF-8 (`--encoding utf-8`) that is not.
    #[error("{file}:{line}:{column}: not UTF-8 text, but --encoding utf-8 was given (leave it out to read TIS-620 / Windows-874)")]
    NotUtf8 {
        /// The file.
        file: String,
        /// Line of the first bad byte.
        line: usize,
        /// Its column.
        column: usize,
    },
    /// A header row without a column the reader needs.
    #[error("{file}:1: the header has no {column} column (found: {found})")]
    MissingColumn {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The header's columns.
        found: String,
    },
    /// The Adj.RW file cannot be used.
    #[error("{file}: {message}")]
    AdjRw {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
}

impl SetError {
    /// The error as a [`Diagnostic`] of kind `io` (the set as a whole cannot be read), for
    /// printing with the others.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let text = self.to_string();
        let rest = |file: &str| text.strip_prefix(file).unwrap_or(&text).trim_start_matches(':').trim().to_string();
        match self {
            SetError::Io { path, message } => Diagnostic::error(DiagnosticKind::Io, path.as_str(), message.clone()),
            SetError::Zip { path, .. } | SetError::MissingFile { path, .. } => {
                Diagnostic::error(DiagnosticKind::Io, path.as_str(), rest(path))
            }
            SetError::DuplicateFile { first, second, kind } => Diagnostic::error(
                DiagnosticKind::Io,
                second.as_str(),
                format!("a second {kind} file (the first is {first}): one set holds each file once"),
            ),
            SetError::TooLarge { file, .. } | SetError::AdjRw { file, .. } => {
                Diagnostic::error(DiagnosticKind::Io, file.as_str(), rest(file))
            }
            SetError::NotUtf8 { file, line, column } => Diagnostic::error(
                DiagnosticKind::Io,
                file.as_str(),
                "not UTF-8 text, but --encoding utf-8 was given (leave it out to read TIS-620 / Windows-874)",
            )
            .at(kongtun_core::yaml::Pos::new(*line, *column)),
            SetError::MissingColumn { file, .. } => {
                Diagnostic::error(DiagnosticKind::Io, file.as_str(), rest(file).trim_start_matches("1:").trim())
                    .at_line(1)
            }
        }
    }
}
