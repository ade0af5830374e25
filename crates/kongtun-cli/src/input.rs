//! The claims every command reads, the same way: one reader (`kongtun_core::document`) over
//! files, directories and standard input, in chunks, so memory stays flat however many claims
//! flow through. JSON Lines are parsed on every core; ids are checked in input order. An
//! NHSO e-Claim 16-file set (a folder holding INS, PAT and OPD or IPD, or a `.zip`, or any
//! path with `--input eclaim16`) is read by `kongtun_eclaim` into the same records.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::document::{read_input, DuplicateIds, Format, Limits, RawLine, ReadOptions, Record, Sink};
use rayon::prelude::*;

/// Claims per chunk: large enough to keep both cores busy, small enough that a chunk's
/// claims and output stay a few megabytes.
pub const CHUNK: usize = 4096;

/// Where claims come from, and how to read them.
#[derive(Args, Clone, Debug)]
pub struct ClaimInputs {
    /// Files or directories of claims (`-` = standard input).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Read every input as this format, whatever its name (default: by extension; standard
    /// input and other names: JSON Lines when the first line is a JSON object, else YAML).
    #[arg(long, value_enum)]
    pub input: Option<InputFormat>,
    /// Most charge lines in one claim; a larger claim is rejected.
    #[arg(long, value_name = "N", default_value_t = kongtun_core::document::MAX_LINES_PER_CLAIM)]
    pub max_lines_per_claim: usize,
    #[command(flatten)]
    pub eclaim: crate::import::EclaimArgs,
}

/// A claim document format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// YAML (JSON documents too).
    Yaml,
    /// JSON.
    Json,
    /// JSON Lines: one claim per line.
    Jsonl,
    /// An NHSO e-Claim 16-file set: a folder or a .zip (detected without this option).
    Eclaim16,
}

impl ClaimInputs {
    fn options(&self) -> ReadOptions {
        let format = self.input.and_then(|f| match f {
            InputFormat::Yaml => Some(Format::Yaml),
            InputFormat::Json => Some(Format::Json),
            InputFormat::Jsonl => Some(Format::JsonLines),
            InputFormat::Eclaim16 => None,
        });
        ReadOptions { format, limits: Limits { max_lines_per_claim: self.max_lines_per_claim, ..Limits::default() } }
    }

    /// Whether `path` is read as an e-Claim 16-file set.
    fn is_eclaim(&self, path: &Path) -> bool {
        match self.input {
            Some(InputFormat::Eclaim16) => true,
            Some(_) => false,
            None => path.as_os_str() != "-" && kongtun_eclaim::source::looks_like_set(path),
        }
    }

    /// Reads every claim, chunk by chunk, in input order, into `chunk` (each claim's id
    /// checked against the batch when `check_ids`); notes about inputs passed over go to
    /// stderr. A 16-file set takes its INSCL map from `rules`; when that map or the Adj.RW
    /// file cannot be read, nothing is read, the reason is printed and `Err` returned (exit 2).
    pub fn read(&self, check_ids: bool, rules: &Path, chunk: &mut dyn FnMut(Vec<Record>)) -> Result<(), ()> {
        let options = self.options();
        let eclaim = match self.paths.iter().any(|p| self.is_eclaim(p)) {
            true => Some(self.eclaim.options(rules, self.max_lines_per_claim)?),
            false => None,
        };
        let mut reader =
            Chunks { pending: Vec::with_capacity(CHUNK), ids: check_ids.then(DuplicateIds::default), chunk };
        for path in &self.paths {
            match &eclaim {
                Some(eclaim) if self.is_eclaim(path) => {
                    if let Err(e) = kongtun_eclaim::import(path, eclaim, &mut reader) {
                        let d = e.to_diagnostic();
                        reader.record(Record { file: d.file.to_string(), pos: d.pos(), claim: Err(d) });
                    }
                }
                _ => read_input(path, &options, &mut reader),
            }
        }
        reader.flush();
        Ok(())
    }
}

/// A record read already (YAML, JSON), or a JSON line still to parse (in parallel, at the
/// chunk's end). Boxed: a record is many times the size of a raw line.
enum Pending {
    Read(Box<Record>),
    Raw(RawLine),
}

struct Chunks<'c> {
    pending: Vec<Pending>,
    ids: Option<DuplicateIds>,
    chunk: &'c mut dyn FnMut(Vec<Record>),
}

impl Chunks<'_> {
    fn push(&mut self, p: Pending) {
        self.pending.push(p);
        if self.pending.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let records: Vec<Record> = pending
            .into_par_iter()
            .map(|p| match p {
                Pending::Read(r) => *r,
                Pending::Raw(line) => line.read(),
            })
            .collect();
        let records = match &mut self.ids {
            Some(ids) => records.into_iter().map(|r| ids.check(r)).collect(),
            None => records,
        };
        (self.chunk)(records);
    }
}

impl Sink for Chunks<'_> {
    fn record(&mut self, record: Record) {
        self.push(Pending::Read(Box::new(record)));
    }

    fn json_line(&mut self, line: RawLine) {
        self.push(Pending::Raw(line));
    }

    fn note(&mut self, note: Diagnostic) {
        eprintln!("{note}");
    }
}
