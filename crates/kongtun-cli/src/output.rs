//! Writing records: JSON objects for rejected claims, and stdout that tolerates a closed pipe.

use std::io::{self, Write};

use kongtun_core::document::{ClaimError, ErrorKind};
use serde_json::{json, Value};

/// The `error` object of a rejected claim's JSON record.
pub fn error_json(e: &ClaimError) -> Value {
    let mut obj = json!({
        "kind": e.kind.as_str(),
        "message": e.to_string(),
        "file": e.file,
    });
    if let Some(pos) = e.pos {
        obj["line"] = json!(pos.line);
        obj["column"] = json!(pos.column);
    }
    if let Some(field) = &e.field {
        obj["field"] = json!(field);
    }
    obj
}

/// True for errors about reading input rather than about a claim.
pub fn is_io(e: &ClaimError) -> bool {
    e.kind == ErrorKind::Io
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
