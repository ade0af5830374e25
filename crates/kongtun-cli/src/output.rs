//! Standard output that tolerates a closed pipe (the records themselves: `kongtun_audit::records`).

use std::io::{self, Write};

/// What to tell the user if standard output fails after something was already done (e.g.
/// `post` wrote its events before printing its summary).
static NOTE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Sets the note printed (to stderr) should standard output fail from now on.
pub fn note_on_failure(note: impl Into<String>) {
    if let Ok(mut n) = NOTE.lock() {
        *n = Some(note.into());
    }
}

/// Ends the program after a failed write to standard output, as Unix tools do: quietly
/// (exit 0) when the reader went away (`| head`), with an error (exit 2) otherwise (a full
/// disk, `> /dev/full`).
pub fn stdout_failed(e: &io::Error) -> ! {
    if let Some(note) = NOTE.lock().ok().and_then(|n| n.clone()) {
        eprintln!("kongtun: {note}");
    }
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(crate::exit::OK));
    }
    eprintln!("kongtun: cannot write output: {e}");
    std::process::exit(i32::from(crate::exit::FAILURE));
}

/// Writes text to standard output and flushes it; a failure ends the program
/// ([`stdout_failed`]). Every command prints through this (the `out!` and `outln!` macros).
pub fn print(text: &str) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
}

/// Writes a line to `out`; a failure ends the program ([`stdout_failed`]).
pub fn line(out: &mut impl Write, text: &str) {
    if let Err(e) = writeln!(out, "{text}") {
        stdout_failed(&e);
    }
}
