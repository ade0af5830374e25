//! Typed errors of the ledger crate.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a collection policy file: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// The file.
    pub file: PathBuf,
    /// The line, when known.
    pub line: Option<u32>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl PolicyError {
    pub(crate) fn new(file: &Path, line: Option<u32>, message: impl Into<String>) -> PolicyError {
        PolicyError { file: file.to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}
