//! `kongtun export eclaim16`: claim documents to an NHSO e-Claim 16-file set (a folder), and
//! the admissions' Adj.RW to a CSV beside it; `kongtun import eclaim16` reads it back. The
//! writing is `kongtun_eclaim::export`'s.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::document::{read_input, DuplicateIds, ReadOptions, Record, Sink};
use kongtun_eclaim::codemap::CodeMaps;
use kongtun_eclaim::export::SetWriter;

use crate::exit;

/// Formats `kongtun export` writes.
#[derive(Subcommand)]
pub enum Export {
    /// Claim documents to an NHSO e-Claim 16-file set (UTF-8, CRLF, with header rows). Lines
    /// that are not claimable are written as their CHA rows only (they read back as one
    /// `CHA-<CHRGITEM>` line); the set has no place for `submitted` or an accident's role and
    /// case. Exit 1 when some claim was rejected or could not be written.
    Eclaim16 {
        /// Files or directories of claims.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The folder to write the 16 files into (created if needed).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Where to write the admissions' Adj.RW (`an,adjrw`). Default: DIR.adjrw.csv beside
        /// the folder.
        #[arg(long, value_name = "FILE")]
        adjrw: Option<PathBuf>,
        /// The rules directory whose code map `funds` gives each fund's INSCL code.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
}

/// Runs `kongtun export`.
pub fn run(cmd: Export) -> u8 {
    match cmd {
        Export::Eclaim16 { paths, output, adjrw, rules } => eclaim16(&paths, &output, adjrw.as_deref(), &rules),
    }
}

struct Writer {
    set: SetWriter<std::io::BufWriter<std::fs::File>>,
    ids: DuplicateIds,
    written: usize,
    rejected: usize,
    unreadable: usize,
}

impl Sink for Writer {
    fn record(&mut self, record: Record) {
        let record = self.ids.check(record);
        match &record.claim {
            Ok(claim) => match self.set.write(claim) {
                Ok(()) => self.written += 1,
                Err(e) => {
                    eprintln!("kongtun: {e}");
                    self.rejected += 1;
                }
            },
            Err(e) => {
                eprintln!("rejected {e}");
                if kongtun_audit::records::is_io(e) {
                    self.unreadable += 1;
                } else {
                    self.rejected += 1;
                }
            }
        }
    }

    fn note(&mut self, note: Diagnostic) {
        eprintln!("{note}");
    }
}

fn eclaim16(paths: &[PathBuf], output: &Path, adjrw: Option<&Path>, rules: &Path) -> u8 {
    let inscl = match CodeMaps::load(rules) {
        Ok(maps) => match maps.inscl(&rules.display().to_string()) {
            Ok(map) => map.clone(),
            Err(e) => {
                eprintln!("{e}");
                return exit::FAILURE;
            }
        },
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            return exit::FAILURE;
        }
    };
    let adjrw = adjrw.map(Path::to_path_buf).unwrap_or_else(|| {
        let mut name = output.as_os_str().to_os_string();
        name.push(".adjrw.csv");
        PathBuf::from(name)
    });
    let set = match SetWriter::create(output, &adjrw, inscl) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("kongtun: {}: {e}", output.display());
            return exit::FAILURE;
        }
    };
    let mut writer = Writer { set, ids: DuplicateIds::default(), written: 0, rejected: 0, unreadable: 0 };
    for path in paths {
        read_input(path, &ReadOptions::default(), &mut writer);
    }
    let Writer { set, written, rejected, unreadable, .. } = writer;
    if let Err(e) = set.finish() {
        eprintln!("kongtun: {}: {e}", output.display());
        return exit::FAILURE;
    }
    eprintln!(
        "{} claims: {written} written to {} (Adj.RW in {}), {rejected} rejected",
        written + rejected,
        output.display(),
        adjrw.display()
    );
    exit::of(unreadable, rejected)
}
