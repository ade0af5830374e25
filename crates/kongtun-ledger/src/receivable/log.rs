//! The event log: JSON Lines, one event per line, appended to and never rewritten.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::files::io_message;
use kongtun_core::yaml::Pos;

use super::error::{json_row_error, whole_file, Located, Rows};
use super::event::{Event, EventKey, EventRecord};

/// Reads an event log's text; every bad line is an error with its line.
///
/// ```
/// use kongtun_ledger::receivable::read_events;
///
/// let log = concat!(
///     r#"{"event":"claim_sent","claim":"A1","payer":"UC","date":"2025-01-20"}"#, "\n",
///     r#"{"event":"write_off","claim":"A1","payer":"PATIENT","date":"2025-09-01","reference":"WO-1"}"#, "\n",
/// );
/// let read = read_events(log, "events.jsonl");
/// assert_eq!(read.rows.len(), 1);
/// assert_eq!(read.errors[0].to_string(), "events.jsonl:2: claim A1: amount: missing: a write-off needs an amount");
/// ```
pub fn read_events(text: &str, file: &str) -> Rows<Event> {
    let name: Arc<str> = Arc::from(file);
    let mut out = Rows::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let claim = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("claim").and_then(|c| c.as_str()).map(str::to_string));
        let record: EventRecord = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(json_row_error::<EventRecord>(
                    file,
                    Pos::new(line_no as usize, 1),
                    claim.as_deref(),
                    line,
                    &e,
                ));
                continue;
            }
        };
        match record.into_event() {
            Ok(value) => out.rows.push(Located { file: name.clone(), line: line_no, value }),
            Err(e) => out.errors.push(e.at(file, line_no).claim_opt(claim.as_deref())),
        }
    }
    out
}

/// Reads an event-log file (see [`read_events`]); an unreadable file is one error. The read
/// waits for a post in progress (a shared lock), so it never sees half an append; a final
/// line without its newline (a post killed mid-write) is left out with a warning that says
/// how to repair it.
pub fn read_event_file(path: &Path) -> Rows<Event> {
    let name = path.display().to_string();
    let text = match std::fs::File::open(path).and_then(|f| {
        f.lock_shared()?;
        read_locked(&f)
    }) {
        Ok(text) => text,
        Err(e) => {
            return Rows { rows: Vec::new(), errors: vec![whole_file(&name, DiagnosticKind::Io, io_message(&e))] }
        }
    };
    let (complete, tail) = split_tail(&text);
    let mut read = read_events(complete, &name);
    if !tail.trim().is_empty() && !tail_is_event(tail) {
        let line = complete.lines().count() as u64 + 1;
        read.errors.push(torn_warning(&name, line, tail.len()));
    } else if !tail.trim().is_empty() {
        // A complete event whose newline is missing (the file was edited by hand).
        let mut last = read_events(tail, &name);
        let line = complete.lines().count() as u64;
        for row in &mut last.rows {
            row.line += line;
        }
        read.extend(last);
    }
    read
}

fn read_locked(mut f: &std::fs::File) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The text up to and including its last newline, and what follows it.
fn split_tail(text: &str) -> (&str, &str) {
    match text.rfind('\n') {
        Some(i) => text.split_at(i + 1),
        None => ("", text),
    }
}

fn tail_is_event(tail: &str) -> bool {
    serde_json::from_str::<EventRecord>(tail.trim()).ok().is_some_and(|r| r.into_event().is_ok())
}

fn torn_warning(file: &str, line: u64, bytes: usize) -> Diagnostic {
    Diagnostic::warning(
        DiagnosticKind::Syntax,
        file,
        format!(
            "the last line ({bytes} bytes) has no end: a post was interrupted while writing it; it is left out \
             (`kongtun receivables check-log --repair` moves it aside)"
        ),
    )
    .at_line(line)
}

/// What opening a log found and did at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tail {
    /// The log ends with a complete line (or is empty).
    Clean,
    /// The last event lacked its newline (written by hand): the newline was added.
    Completed,
    /// The last line was cut off by an interrupted write: its bytes were moved to `aside`
    /// (appended there) and the log truncated to its last complete line.
    Torn {
        /// The line number it had.
        line: u64,
        /// How many bytes were moved.
        bytes: usize,
        /// The file they were moved to.
        aside: PathBuf,
    },
}

/// The event log open for posting: created if absent, held under an exclusive advisory lock
/// from opening (reading the keys it holds) until it is dropped, so concurrent posts take
/// turns and each key is written once. It knows the key of every event it holds, so an
/// event appended twice is written once. Appends are whole lines in one write, synced to
/// disk; a line torn by a killed writer is moved aside when the log is next opened.
///
/// ```
/// use kongtun_ledger::receivable::{Event, EventKind, EventLog, Tail};
/// use kongtun_core::fund::FundId;
/// use chrono::NaiveDate;
///
/// let path = std::env::temp_dir().join(format!("kongtun-doc-log-{}.jsonl", std::process::id()));
/// let _ = std::fs::remove_file(&path);
/// let sent = Event {
///     claim: "A1".into(),
///     payer: FundId::new("UC"),
///     date: NaiveDate::from_ymd_opt(2025, 1, 20).unwrap(),
///     kind: EventKind::ClaimSent,
/// };
/// let (mut log, existing) = EventLog::open(&path).unwrap();
/// assert!(existing.rows.is_empty());
/// assert_eq!(log.append(&[sent.clone(), sent.clone()]).unwrap(), 1);
/// drop(log); // releases the lock
/// let (mut log, existing) = EventLog::open(&path).unwrap();
/// assert_eq!((existing.rows.len(), log.tail()), (1, &Tail::Clean));
/// assert_eq!(log.append(&[sent]).unwrap(), 0); // already there
/// drop(log);
/// std::fs::remove_file(&path).unwrap();
/// ```
#[derive(Debug)]
pub struct EventLog {
    path: PathBuf,
    file: std::fs::File,
    keys: HashSet<EventKey>,
    tail: Tail,
}

impl EventLog {
    /// Opens (creating) a log, waits for its exclusive lock, repairs its end (see [`Tail`])
    /// and returns the events it holds, with an error for every bad line (those lines stay
    /// as they are).
    pub fn open(path: &Path) -> Result<(EventLog, Rows<Event>), Diagnostic> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| whole_file(&name, DiagnosticKind::Io, io_message(&e));
        let file =
            std::fs::OpenOptions::new().create(true).truncate(false).read(true).write(true).open(path).map_err(io)?;
        file.lock().map_err(io)?;
        let text = read_locked(&file).map_err(io)?;
        let (complete, tail_text) = split_tail(&text);
        let mut tail = Tail::Clean;
        let existing;
        if tail_text.trim().is_empty() {
            existing = read_events(&text, &name);
            if !tail_text.is_empty() {
                file.set_len(complete.len() as u64).map_err(io)?;
            }
        } else if tail_is_event(tail_text) {
            existing = read_events(&text, &name);
            (&file).seek(SeekFrom::End(0)).map_err(io)?;
            (&file).write_all(b"\n").map_err(io)?;
            file.sync_data().map_err(io)?;
            tail = Tail::Completed;
        } else {
            let line = complete.lines().count() as u64 + 1;
            let aside = torn_path(path);
            let mut side = std::fs::OpenOptions::new().create(true).append(true).open(&aside).map_err(io)?;
            side.write_all(tail_text.as_bytes()).and_then(|_| side.write_all(b"\n")).map_err(io)?;
            side.sync_data().map_err(io)?;
            // Only once the bytes are safe aside is the log cut back to its last whole line.
            file.set_len(complete.len() as u64).map_err(io)?;
            file.sync_data().map_err(io)?;
            existing = read_events(complete, &name);
            tail = Tail::Torn { line, bytes: tail_text.len(), aside };
        }
        let keys = existing.values().map(Event::key).collect();
        Ok((EventLog { path: path.to_path_buf(), file, keys, tail }, existing))
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What opening found at the end of the log.
    pub fn tail(&self) -> &Tail {
        &self.tail
    }

    /// True when an event with this key is in the log.
    pub fn contains(&self, key: &EventKey) -> bool {
        self.keys.contains(key)
    }

    /// Appends the events whose keys the log does not hold yet, in order, in one write, and
    /// syncs the file. Returns how many were written.
    pub fn append(&mut self, events: &[Event]) -> std::io::Result<usize> {
        let mut text = String::new();
        let mut written = 0;
        for e in events {
            if self.keys.insert(e.key()) {
                text.push_str(&e.to_json_line());
                text.push('\n');
                written += 1;
            }
        }
        if written == 0 {
            return Ok(0);
        }
        (&self.file).seek(SeekFrom::End(0))?;
        (&self.file).write_all(text.as_bytes())?;
        self.file.sync_data()?;
        Ok(written)
    }
}

/// `events.jsonl` -> `events.jsonl.torn`: where torn final lines are kept.
pub fn torn_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".torn");
    log.with_file_name(name)
}

/// What `check` found in a log.
#[derive(Debug)]
pub struct LogCheck {
    /// Events read.
    pub events: usize,
    /// Bad lines, conflicting duplicates, a torn end.
    pub problems: Vec<Diagnostic>,
}

/// Verifies a log without changing it (under a shared lock): every line an event, no key
/// twice with different content, a whole last line.
pub fn check(path: &Path) -> LogCheck {
    let read = read_event_file(path);
    let mut problems = read.errors;
    let mut seen: std::collections::HashMap<EventKey, (u64, &Event)> = std::collections::HashMap::new();
    for row in &read.rows {
        if let Some((first, event)) = seen.get(&row.value.key()) {
            if **event != row.value {
                problems.push(
                    Diagnostic::error(
                        DiagnosticKind::Conflict,
                        &*row.file,
                        format!("the event key {} was logged at line {first} with other content", row.value.key()),
                    )
                    .at_line(row.line)
                    .claim(&*row.value.claim),
                );
            }
        } else {
            seen.insert(row.value.key(), (row.line, &row.value));
        }
    }
    LogCheck { events: read.rows.len(), problems }
}
