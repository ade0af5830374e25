//! Writing records: JSON objects for rejected claims, and stdout that tolerates a closed pipe.

use std::io::{self, Write};

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use serde_json::Value;

/// The `error` object of a rejected claim's JSON record.
pub fn error_json(e: &Diagnostic) -> Value {
    e.to_json()
}

/// True for errors about reading input rather than about a claim.
pub fn is_io(e: &Diagnostic) -> bool {
    e.kind == DiagnosticKind::Io
}

/// Writes a line to stdout; a closed pipe (`| head`) ends the program quietly.
pub fn line(out: &mut impl Write, text: &str) {
    if let Err(e) = writeln!(out, "{text}") {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("kongtun: cannot write output: {e}");
        std::process::exit(2);
    }
}
