//! The event log: JSON Lines, one event per line, appended to and never rewritten.

use kongtun_core::diagnostic::Diagnostic;
use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::{json_row_error, read_text, Located, Rows};
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
                out.errors.push(json_row_error::<EventRecord>(file, line_no, claim.as_deref(), line, &e));
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

/// Reads an event-log file (see [`read_events`]); an unreadable file is one error.
pub fn read_event_file(path: &Path) -> Rows<Event> {
    match read_text(path) {
        Ok(text) => read_events(&text, &path.display().to_string()),
        Err(e) => Rows { rows: Vec::new(), errors: vec![e] },
    }
}

/// An event log open for appending. It knows the key of every event it holds, so an event
/// appended twice is written once.
///
/// ```
/// use kongtun_ledger::receivable::{Event, EventKind, EventLog};
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
/// let (mut log, existing) = EventLog::open(&path).unwrap();
/// assert_eq!(existing.rows.len(), 1);
/// assert_eq!(log.append(&[sent]).unwrap(), 0); // already there
/// std::fs::remove_file(&path).unwrap();
/// ```
#[derive(Debug)]
pub struct EventLog {
    path: PathBuf,
    keys: HashSet<EventKey>,
}

impl EventLog {
    /// Opens a log (a missing file is an empty log, created on the first append) and returns
    /// the events it holds, with an error for every bad line (those lines stay as they are).
    pub fn open(path: &Path) -> Result<(EventLog, Rows<Event>), Diagnostic> {
        let existing = if path.exists() {
            let text = read_text(path)?;
            read_events(&text, &path.display().to_string())
        } else {
            Rows::default()
        };
        let keys = existing.values().map(Event::key).collect();
        Ok((EventLog { path: path.to_path_buf(), keys }, existing))
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
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
        let mut file = std::fs::OpenOptions::new().create(true).read(true).append(true).open(&self.path)?;
        // a log last written by hand may lack its final newline: never glue two events together
        let len = file.seek(SeekFrom::End(0))?;
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                text.insert(0, '\n');
            }
        }
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        Ok(written)
    }
}
