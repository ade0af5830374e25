//! Standard output that tolerates a closed pipe (the records themselves: `kongtun_audit::records`).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::outcome::Lang;

/// Whether messages to the user are in Thai: the command's `--lang`, set once in `main`.
static THAI: AtomicBool = AtomicBool::new(false);

/// Sets the language of the messages printed from now on (`--lang`, or `lang` in kongtun.toml).
pub fn set_lang(lang: Lang) {
    THAI.store(lang == Lang::Th, Ordering::Relaxed);
}

/// The language of messages.
pub fn lang() -> Lang {
    if THAI.load(Ordering::Relaxed) {
        Lang::Th
    } else {
        Lang::En
    }
}

/// A diagnostic in the language of messages.
pub fn say(d: &Diagnostic) -> String {
    d.display_in(lang())
}

/// A message (or a word of `kongtun_core::messages::WORDS`) in the language of messages.
pub fn words(english: &str) -> String {
    let thai = lang() == Lang::Th;
    match kongtun_core::messages::WORDS.iter().any(|(en, _)| *en == english) {
        true => kongtun_core::messages::word(english, thai).to_string(),
        false => kongtun_core::messages::in_lang(english, thai).into_owned(),
    }
}

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
        errln!("kongtun: {note}");
    }
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(crate::exit::OK));
    }
    errln!("kongtun: cannot write output: {e}");
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

/// Writes text to standard error (the `errln!` macro). A failure is passed over: there is
/// nowhere left to say it, and the exit code still tells what happened.
pub fn print_err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Writes a line to `out`; a failure ends the program ([`stdout_failed`]).
pub fn line(out: &mut impl Write, text: &str) {
    if let Err(e) = writeln!(out, "{text}") {
        stdout_failed(&e);
    }
}
