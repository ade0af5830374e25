//! The claims every command reads, the same way: one reader (`kongtun_core::document`) over
//! files, directories and standard input, in chunks, so memory stays flat however many claims
//! flow through. JSON Lines are parsed on every core; ids are checked in input order. An
//! NHSO e-Claim 16-file set (a folder holding INS, PAT and OPD or IPD, or a `.zip`, or any
//! path with `--input eclaim16`) is read by `kongtun_eclaim` into the same records.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use kongtun_core::diagnostic::Diagnostic;
use kongtun_eclaim::sheet::{is_sheet, SheetOptions};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{mpsc, Arc, Condvar, Mutex};

use kongtun_core::document::{read_input, walked, DuplicateIds, Format, Limits, RawLines, ReadOptions, Record, Sink};
use rayon::prelude::*;

/// Claims per chunk: large enough to keep both cores busy, small enough that a chunk's
/// claims and output stay a few megabytes.
pub const CHUNK: usize = 1024;

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
        let mut ids = check_ids.then(DuplicateIds::default);
        self.read_chunks(rules, &mut |pending| {
            let mut records = parse_parallel(pending);
            if let Some(ids) = &mut ids {
                records.iter_mut().for_each(|r| ids.check_in_place(r));
            }
            chunk(records)
        })
    }

    /// Reads every claim as [`ClaimInputs::read`] does, through a pipeline that keeps every
    /// core busy: one thread reads, and each worker takes a whole chunk, parses it, passes
    /// it through `ordered` (with the id check, one chunk at a time in input order, with
    /// `state`), then through `work`; `sink` gets the results on this thread, in input order.
    pub fn read_pipelined<S, U, T>(
        &self,
        check_ids: bool,
        rules: &Path,
        state: S,
        ordered: impl Fn(&[Record], &mut S) -> U + Sync,
        work: impl Fn(Vec<Record>, U) -> T + Sync,
        sink: &mut dyn FnMut(T),
    ) -> Result<(), ()>
    where
        S: Send,
        U: Send,
        T: Send,
    {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 64);
        let (to_workers, chunks) = mpsc::sync_channel::<(u64, Vec<Pending>)>(0);
        let chunks = Mutex::new(chunks);
        let (to_sink, results) = mpsc::sync_channel::<(u64, T)>(0);
        let turn =
            Turn { state: Mutex::new((0, state, check_ids.then(DuplicateIds::default), false)), next: Condvar::new() };
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut seq = 0u64;
                self.read_chunks(rules, &mut |pending| {
                    // A closed channel means the workers stopped (a panic): stop reading.
                    let _ = to_workers.send((seq, pending));
                    seq += 1;
                })
            });
            for _ in 0..workers {
                let (chunks, to_sink, turn, ordered, work) = (&chunks, to_sink.clone(), &turn, &ordered, &work);
                scope.spawn(move || {
                    let stop = StopOnPanic(turn);
                    loop {
                        let next = chunks.lock().map_err(drop).and_then(|rx| rx.recv().map_err(drop));
                        let Ok((seq, pending)) = next else { break };
                        let mut records = parse(pending);
                        let Some(u) = turn.take(seq, |ids, state| {
                            if let Some(ids) = ids {
                                records.iter_mut().for_each(|r| ids.check_in_place(r));
                            }
                            ordered(&records, state)
                        }) else {
                            break;
                        };
                        if to_sink.send((seq, work(records, u))).is_err() {
                            break;
                        }
                    }
                    drop(stop);
                });
            }
            drop(to_sink);
            let mut next = 0u64;
            let mut early: BTreeMap<u64, T> = BTreeMap::new();
            for (seq, t) in results.iter() {
                early.insert(seq, t);
                while let Some(t) = early.remove(&next) {
                    sink(t);
                    next += 1;
                }
            }
            reader.join().unwrap_or(Err(()))
        })
    }

    /// The paths to read: globs expanded (not only by the shell: Windows `cmd` passes `*`
    /// through), what they passed over said, and every path there. A path that is not there is
    /// an error naming it, with its near miss, before anything is read: never a report of
    /// nothing. `Err` once that is said.
    fn resolved_paths(&self) -> Result<Vec<PathBuf>, ()> {
        let mut skipped = Vec::new();
        // With --input every file is read as that format, so a glob takes every file.
        let kind = if self.input.is_some() { crate::paths::ANY_FILE } else { crate::paths::CLAIMS };
        let found = crate::paths::expand_globs(&self.paths, kind, &mut skipped);
        // The files of a 16-file set a glob took one by one (`set/*`): the set is read from its
        // folder, so say that once, not "not claims" for each of its files.
        let mut sets: Vec<PathBuf> = Vec::new();
        skipped.retain(|file| match file.parent().filter(|dir| kongtun_eclaim::source::looks_like_set(dir)) {
            Some(dir) => {
                if !sets.iter().any(|s| s == dir) {
                    sets.push(dir.to_path_buf());
                }
                false
            }
            None => true,
        });
        for set in &sets {
            let note = format!("skipped the files of the 16-file set {}: give its folder to read it", set.display());
            errln!("{}", crate::output::words(&note));
        }
        let paths = crate::paths::said(found, &skipped, kind)?;
        for path in paths.iter().filter(|p| p.as_os_str() != "-") {
            if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
                let missing =
                    crate::paths::InputError::Missing { path: path.clone(), suggestion: crate::paths::near_miss(path) };
                errln!("{}: {}", crate::output::words("error"), crate::output::words(&missing.to_string()));
                return Err(());
            }
        }
        Ok(paths)
    }

    /// Reads every input into chunks of [`CHUNK`] claims, not parsed yet.
    fn read_chunks(&self, rules: &Path, chunk: &mut dyn FnMut(Vec<Pending>)) -> Result<(), ()> {
        let paths = self.resolved_paths()?;
        let options = self.options();
        let eclaim = match paths.iter().any(|p| self.is_eclaim(p)) {
            true => Some(self.eclaim.options(rules, self.max_lines_per_claim)?),
            false => None,
        };
        let mut reader = Chunks { pending: Vec::new(), count: 0, chunk };
        let mut sheets = Sheets { rules, options: None };
        for path in &paths {
            match &eclaim {
                Some(eclaim) if self.is_eclaim(path) => {
                    if let Err(e) = kongtun_eclaim::import(path, eclaim, &mut reader) {
                        let d = e.to_diagnostic();
                        reader.record(Record { file: d.file.to_string(), pos: d.pos(), claim: Err(d) });
                    }
                }
                // With --input, every file is read as that format, sheets too.
                _ if self.input.is_some() || path.as_os_str() == "-" => read_input(path, &options, &mut reader),
                _ if path.is_dir() => {
                    let walk = kongtun_core::files::walk(path, |p| Format::of_path(p).is_some() || is_sheet(p));
                    let claims_are =
                        "claims are .yaml, .yml, .json, .jsonl, .ndjson, or sheets .csv, .xlsx, .xlsm, .xls";
                    for file in &walked(walk, claims_are, &mut reader) {
                        match is_sheet(file) {
                            true => sheets.read(file, self.max_lines_per_claim, &mut reader)?,
                            false => read_input(file, &options, &mut reader),
                        }
                    }
                }
                _ if is_sheet(path) => sheets.read(path, self.max_lines_per_claim, &mut reader)?,
                _ => read_input(path, &options, &mut reader),
            }
        }
        reader.flush();
        Ok(())
    }
}

/// Claim sheets (`.csv`, `.xlsx`): the fund map is read from the rules directory, when there
/// is one, at the first sheet, once.
struct Sheets<'r> {
    rules: &'r Path,
    options: Option<SheetOptions>,
}

impl Sheets<'_> {
    /// Reads one sheet into `reader`; a sheet that cannot be read at all is its error record.
    /// `Err` (exit 2) when the rules directory's fund map cannot be read.
    fn read(&mut self, path: &Path, max_lines_per_claim: usize, reader: &mut Chunks<'_>) -> Result<(), ()> {
        let options = match &mut self.options {
            Some(options) => options,
            None => {
                // Without a rules folder (the default one absent) fund names are read as
                // written; the engine still knows them by the same table when it evaluates.
                let funds = match self.rules.is_dir() {
                    true => Some(crate::import::funds_map(self.rules)?),
                    false => None,
                };
                let mut options = SheetOptions::new(funds);
                options.limits.max_lines_per_claim = max_lines_per_claim;
                self.options.insert(options)
            }
        };
        if let Err(e) = kongtun_eclaim::read_sheet(path, options, reader) {
            let d = e.to_diagnostic();
            reader.record(Record { file: d.file.to_string(), pos: d.pos(), claim: Err(d) });
        }
        Ok(())
    }
}

/// The ordered step of the pipeline: whose chunk's turn it is, the caller's state, the id
/// check, and whether a worker failed (then everyone stops).
struct Turn<S> {
    state: Mutex<(u64, S, Option<DuplicateIds>, bool)>,
    next: Condvar,
}

impl<S> Turn<S> {
    /// Waits for chunk `seq`'s turn, runs `f`, hands the turn on; `None` if a worker failed.
    fn take<U>(&self, seq: u64, f: impl FnOnce(Option<&mut DuplicateIds>, &mut S) -> U) -> Option<U> {
        let mut guard = self.state.lock().ok()?;
        while guard.0 != seq && !guard.3 {
            guard = self.next.wait(guard).ok()?;
        }
        if guard.3 {
            return None;
        }
        let (_, state, ids, _) = &mut *guard;
        let u = f(ids.as_mut(), state);
        guard.0 += 1;
        drop(guard);
        self.next.notify_all();
        Some(u)
    }
}

/// Wakes every worker if this one panics, so none waits for a turn that never comes.
struct StopOnPanic<'t, S>(&'t Turn<S>);

impl<S> Drop for StopOnPanic<'_, S> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            if let Ok(mut guard) = self.0.state.lock() {
                guard.3 = true;
            }
            self.0.next.notify_all();
        }
    }
}

/// A record read already (YAML, JSON), or JSON lines still to parse (in parallel, later).
/// Boxed: a record is many times the size of a raw line.
enum Pending {
    Read(Box<Record>),
    Lines(Arc<RawLines>, Range<usize>),
}

/// The records of a chunk, parsed on this thread.
fn parse(pending: Vec<Pending>) -> Vec<Record> {
    let mut records = Vec::with_capacity(CHUNK);
    for p in pending {
        match p {
            Pending::Read(r) => records.push(*r),
            Pending::Lines(block, range) => records.extend(range.map(|i| block.read(i))),
        }
    }
    records
}

/// The records of a chunk, parsed on every core.
fn parse_parallel(pending: Vec<Pending>) -> Vec<Record> {
    enum Item {
        Read(Box<Record>),
        Line(Arc<RawLines>, usize),
    }
    let mut items = Vec::with_capacity(CHUNK);
    for p in pending {
        match p {
            Pending::Read(r) => items.push(Item::Read(r)),
            Pending::Lines(block, range) => items.extend(range.map(|i| Item::Line(block.clone(), i))),
        }
    }
    items
        .into_par_iter()
        .map(|item| match item {
            Item::Read(r) => *r,
            Item::Line(block, i) => block.read(i),
        })
        .collect()
}

struct Chunks<'c> {
    pending: Vec<Pending>,
    /// Claims in `pending`.
    count: usize,
    chunk: &'c mut dyn FnMut(Vec<Pending>),
}

impl Chunks<'_> {
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.count = 0;
        (self.chunk)(std::mem::take(&mut self.pending));
    }
}

impl Sink for Chunks<'_> {
    fn record(&mut self, record: Record) {
        self.pending.push(Pending::Read(Box::new(record)));
        self.count += 1;
        if self.count >= CHUNK {
            self.flush();
        }
    }

    fn json_lines(&mut self, lines: RawLines) {
        let block = Arc::new(lines);
        let mut at = 0;
        while at < block.len() {
            let take = (CHUNK - self.count).min(block.len() - at);
            self.pending.push(Pending::Lines(block.clone(), at..at + take));
            self.count += take;
            at += take;
            if self.count >= CHUNK {
                self.flush();
            }
        }
    }

    fn note(&mut self, note: Diagnostic) {
        errln!("{}", crate::output::say(&note));
    }
}
