//! `kongtun validate`: read claim documents and report every rejected claim.

use std::io;
use std::path::Path;

use kongtun_audit::records::{self, is_io};

use crate::input::ClaimInputs;
use crate::output::{line, say, words};
use crate::{exit, OutputFormat};

/// Validates every claim of `inputs` (16-file sets with the code maps of `rules`); returns
/// the exit status: 0 all valid, 1 some claim rejected, 2 some input could not be read.
pub fn run(inputs: &ClaimInputs, rules: &Path, format: OutputFormat) -> u8 {
    let mut out = io::stdout().lock();
    let (mut valid, mut rejected, mut io_errors) = (0usize, 0usize, 0usize);
    let read = inputs.read(true, rules, &mut |records| {
        for record in &records {
            match (&record.claim, format) {
                (Ok(claim), OutputFormat::Json) => line(&mut out, &records::valid(&claim.id).to_string()),
                (Ok(_), OutputFormat::Table) => {}
                (Err(e), OutputFormat::Json) => line(&mut out, &records::read_error(record.id(), e).to_string()),
                (Err(e), OutputFormat::Table) => line(&mut out, &format!("{} {}", words("rejected"), say(e))),
            }
            match &record.claim {
                Ok(_) => valid += 1,
                Err(e) if is_io(e) => io_errors += 1,
                Err(_) => rejected += 1,
            }
        }
    });
    if read.is_err() {
        return exit::FAILURE;
    }
    if format == OutputFormat::Table {
        let files = if io_errors > 0 { format!(", {io_errors} unreadable") } else { String::new() };
        line(&mut out, &words(&format!("{} claims: {valid} valid, {rejected} rejected{files}", valid + rejected)));
    }
    exit::of(io_errors, rejected)
}
