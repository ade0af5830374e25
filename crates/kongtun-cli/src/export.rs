//! `kongtun export eclaim16`: claim documents to an NHSO e-Claim 16-file set (a folder), and
//! the admissions' Adj.RW to a CSV beside it; `kongtun import eclaim16` reads it back. The
//! writing is `kongtun_eclaim::export`'s. `kongtun export sheet`: claims as a claim sheet for
//! Excel (`kongtun_eclaim::sheet`), which `validate` and `evaluate` read back.

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
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::LangArg,
    },
    /// Claims (documents, 16-file sets, sheets) as a claim sheet: a CSV for Excel, one row per
    /// charge line (docs/claim-sheet.md), UTF-8 with a byte-order mark; Thai headers, BE dates
    /// and grouped amounts with `--lang th`. It reads back as the same claims. Exit 1 when some
    /// claim was rejected (it is not written).
    Sheet {
        #[command(flatten)]
        inputs: crate::input::ClaimInputs,
        /// The language of the headers and values.
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::LangArg,
        /// The file to write (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The rules directory whose code map `funds` reads fund names in sheets and 16-file sets.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
}

/// The sheet language of a `--lang`.
pub fn sheet_lang(lang: crate::LangArg) -> kongtun_eclaim::sheet::Lang {
    match lang {
        crate::LangArg::En => kongtun_eclaim::sheet::Lang::En,
        crate::LangArg::Th => kongtun_eclaim::sheet::Lang::Th,
    }
}

/// Writes `text` to `output`, or to standard output. A sheet is written as CSV: a file named
/// `.xlsx` would hold CSV text Excel refuses to open, so that name is refused.
pub fn write_text(text: &str, output: Option<&Path>) -> u8 {
    let workbook = output.and_then(|p| p.extension()).and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if let (Some(path), Some("xlsx" | "xlsm" | "xls")) = (output, workbook.as_deref()) {
        errln!(
            "{}: {}: kongtun writes claim sheets as CSV (UTF-8, which Excel opens); name the file .csv, and save it from Excel as .xlsx if you want a workbook",
            crate::output::words("error"),
            path.display()
        );
        return exit::FAILURE;
    }
    match output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => exit::OK,
            Err(e) => {
                errln!("kongtun: {}: {}", path.display(), kongtun_core::files::io_message(&e));
                exit::FAILURE
            }
        },
        None => {
            crate::output::print(text);
            exit::OK
        }
    }
}

fn sheet(inputs: &crate::input::ClaimInputs, lang: crate::LangArg, output: Option<&Path>, rules: &Path) -> u8 {
    let mut claims = Vec::new();
    let mut rejected = 0usize;
    let read = inputs.read(true, rules, &mut |records| {
        for record in records {
            match record.claim {
                Ok(claim) => match kongtun_eclaim::sheet::unwritable(&claim) {
                    None => claims.push(claim),
                    Some(why) => {
                        errln!("{} {}: {why}", crate::output::words("rejected"), claim.id);
                        rejected += 1;
                    }
                },
                Err(e) => {
                    errln!("{} {}", crate::output::words("rejected"), crate::output::say(&e));
                    rejected += 1;
                }
            }
        }
    });
    if read.is_err() {
        return exit::FAILURE;
    }
    let written = write_text(&kongtun_eclaim::sheet::write_csv(&claims, sheet_lang(lang)), output);
    errln!("{} claims: {} written as a claim sheet, {rejected} rejected", claims.len() + rejected, claims.len());
    match written {
        exit::OK => exit::of(0, rejected),
        failed => failed,
    }
}

/// Runs `kongtun export`.
pub fn run(cmd: Export) -> u8 {
    match cmd {
        Export::Eclaim16 { paths, output, adjrw, rules, .. } => eclaim16(&paths, &output, adjrw.as_deref(), &rules),
        Export::Sheet { inputs, lang, output, rules } => sheet(&inputs, lang, output.as_deref(), &rules),
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
                    errln!("kongtun: {e}");
                    self.rejected += 1;
                }
            },
            Err(e) => {
                errln!("{} {}", crate::output::words("rejected"), crate::output::say(e));
                if kongtun_audit::records::is_io(e) {
                    self.unreadable += 1;
                } else {
                    self.rejected += 1;
                }
            }
        }
    }

    fn note(&mut self, note: Diagnostic) {
        errln!("{}", crate::output::say(&note));
    }
}

fn eclaim16(paths: &[PathBuf], output: &Path, adjrw: Option<&Path>, rules: &Path) -> u8 {
    let inscl = match CodeMaps::load(rules) {
        Ok(maps) => match maps.inscl(&rules.display().to_string()) {
            Ok(map) => map.clone(),
            Err(e) => {
                errln!("{e}");
                return exit::FAILURE;
            }
        },
        Err(errors) => {
            for e in errors {
                errln!("{e}");
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
            errln!("kongtun: {}: {e}", output.display());
            return exit::FAILURE;
        }
    };
    let mut writer = Writer { set, ids: DuplicateIds::default(), written: 0, rejected: 0, unreadable: 0 };
    for path in paths {
        read_input(path, &ReadOptions::default(), &mut writer);
    }
    let Writer { set, written, rejected, unreadable, .. } = writer;
    if let Err(e) = set.finish() {
        errln!("kongtun: {}: {e}", output.display());
        return exit::FAILURE;
    }
    errln!(
        "{} claims: {written} written to {} (Adj.RW in {}), {rejected} rejected",
        written + rejected,
        output.display(),
        adjrw.display()
    );
    exit::of(unreadable, rejected)
}
