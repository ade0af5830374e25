//! `kongtun import eclaim16`: an NHSO e-Claim 16-file set (a folder or a `.zip`) to claim
//! documents (JSON Lines), and the options every command reads such a set with. The reading
//! itself is `kongtun_eclaim`'s; this module only turns arguments into its options and
//! prints.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::document::{Record, Sink};
use kongtun_eclaim::adjrw::AdjRwTable;
use kongtun_eclaim::codemap::{CodeMap, CodeMaps};
use kongtun_eclaim::encoding::TextEncoding;
use kongtun_eclaim::{BrokenRows, Options};

use crate::{date_arg, exit, today};

/// Formats `kongtun import` reads.
#[derive(Subcommand)]
pub enum Import {
    /// An NHSO e-Claim 16-file set (16 แฟ้ม: INS, PAT, OPD, IPD, CHA, ADP, DRU, ...), a folder
    /// or a .zip, to claim documents as JSON Lines (what `validate` and `evaluate` read).
    /// Rejected visits go to stderr, one per line. Exit 0 when every visit became a claim,
    /// 1 when some was rejected (or some row joined no visit), 2 when the set cannot be read.
    Eclaim16 {
        /// The folder or .zip.
        path: PathBuf,
        /// Where to write the claims (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The rules directory whose code map `funds` gives each claim's fund
        /// (rules/codes/funds.yaml).
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        #[command(flatten)]
        eclaim: EclaimArgs,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::LangArg,
    },
}

/// How to read a 16-file set (`import eclaim16`, and `validate` / `evaluate` given a set).
#[derive(Args, Clone, Debug, Default)]
pub struct EclaimArgs {
    /// 16-file sets: Adj.RW of the admissions, a CSV file with columns `an` and `adjrw`.
    #[arg(long, value_name = "FILE")]
    pub adjrw: Option<PathBuf>,
    /// 16-file sets: the day the claims are sent (CE or BE). Default: today.
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub submitted: Option<NaiveDate>,
    /// 16-file sets: the hospital that gave the care, for every claim (default: the HCODE of
    /// PAT, DRU or LAB).
    #[arg(long, value_name = "CODE")]
    pub hcode: Option<String>,
    /// 16-file sets: read every file in this encoding (default: each file's own, detected:
    /// UTF-8 when it is valid UTF-8, else TIS-620).
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingArg>,
    /// 16-file sets: what an ADP or DRU row that cannot be read does: reject its claim, or
    /// leave it out with a warning, its amount staying in its CHA line's remainder.
    #[arg(long, value_enum, default_value = "reject")]
    pub broken_rows: BrokenRowsArg,
}

/// A text encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Thai TIS-620 (read as Windows-874).
    #[value(name = "tis-620", alias = "tis620", alias = "windows-874", alias = "cp874")]
    Tis620,
}

/// What a broken itemised row does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum BrokenRowsArg {
    /// Reject the visit's claim.
    #[default]
    Reject,
    /// Leave the row out; its amount stays in the CHA remainder.
    Remainder,
}

impl EclaimArgs {
    /// The reader's options, with the INSCL map of `rules`; what cannot be read is printed
    /// to stderr and `Err` returned (exit 2).
    pub fn options(&self, rules: &Path, max_lines_per_claim: usize) -> Result<Options, ()> {
        let inscl = funds_map(rules)?;
        let adjrw = match &self.adjrw {
            Some(path) => match AdjRwTable::read(path) {
                Ok(t) => Some(t),
                Err(e) => {
                    errln!("{e}");
                    return Err(());
                }
            },
            None => None,
        };
        let mut options = Options::new(inscl);
        options.encoding = self.encoding.map(|e| match e {
            EncodingArg::Utf8 => TextEncoding::Utf8,
            EncodingArg::Tis620 => TextEncoding::Tis620,
        });
        options.hcode = self.hcode.clone().filter(|h| !h.trim().is_empty());
        options.submitted = Some(self.submitted.unwrap_or_else(today));
        options.adjrw = adjrw;
        options.broken_rows = match self.broken_rows {
            BrokenRowsArg::Reject => BrokenRows::Reject,
            BrokenRowsArg::Remainder => BrokenRows::Remainder,
        };
        options.max_lines_per_claim = max_lines_per_claim;
        Ok(options)
    }
}

/// Runs `kongtun import`.
pub fn run(cmd: Import) -> u8 {
    match cmd {
        Import::Eclaim16 { path, output, rules, eclaim, .. } => eclaim16(&path, output.as_deref(), &rules, &eclaim),
    }
}

/// Claims as JSON Lines to `out`, everything else to stderr.
struct JsonLines<W: Write> {
    out: W,
}

impl<W: Write> Sink for JsonLines<W> {
    fn record(&mut self, record: Record) {
        match &record.claim {
            Ok(claim) => {
                let written = serde_json::to_writer(&mut self.out, claim)
                    .map_err(io::Error::from)
                    .and_then(|()| self.out.write_all(b"\n"));
                if let Err(e) = written {
                    crate::output::stdout_failed(&e);
                }
            }
            Err(e) => errln!("{} {}", crate::output::words("rejected"), crate::output::say(e)),
        }
    }

    fn note(&mut self, note: Diagnostic) {
        errln!("{}", crate::output::say(&note));
    }
}

fn eclaim16(path: &Path, output: Option<&Path>, rules: &Path, args: &EclaimArgs) -> u8 {
    let Ok(options) = args.options(rules, kongtun_core::document::MAX_LINES_PER_CLAIM) else {
        return exit::FAILURE;
    };
    let out: Box<dyn Write> = match output {
        Some(file) => match std::fs::File::create(file) {
            Ok(f) => Box::new(f),
            Err(e) => {
                errln!("kongtun: {}: {}", file.display(), kongtun_core::files::io_message(&e));
                return exit::FAILURE;
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut sink = JsonLines { out: BufWriter::with_capacity(1 << 16, out) };
    let summary = match kongtun_eclaim::import(path, &options, &mut sink) {
        Ok(summary) => summary,
        Err(e) => {
            errln!("kongtun: {}", crate::output::words(&e.to_string()));
            return exit::FAILURE;
        }
    };
    if let Err(e) = sink.out.flush() {
        crate::output::stdout_failed(&e);
    }
    let unmatched = match summary.unmatched {
        0 => String::new(),
        n => format!("; {n} rows joined no visit"),
    };
    errln!("{} visits: {} claims, {} rejected{unmatched}", summary.visits, summary.claims, summary.rejected);
    exit::of(0, summary.rejected + summary.unmatched)
}

/// The fund map (`funds`: INSCL codes and fund names) of the rules directory; its problems
/// are printed and `Err` returned (exit 2).
pub fn funds_map(rules: &Path) -> Result<CodeMap, ()> {
    crate::config::require_rules_dir(rules).map_err(|_| ())?;
    let maps = match CodeMaps::load(rules) {
        Ok(maps) => maps,
        Err(errors) => {
            for e in errors {
                errln!("{e}");
            }
            errln!(
                "kongtun: the code maps under {} have errors; run `kongtun check {}`",
                rules.display(),
                rules.display()
            );
            return Err(());
        }
    };
    match maps.funds(&rules.display().to_string()) {
        Ok(map) => Ok(map.clone()),
        Err(e) => {
            errln!("{e}");
            Err(())
        }
    }
}
