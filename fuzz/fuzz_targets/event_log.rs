//! Any bytes as an event log: every line is an event or a located error, never a panic; a
//! log opened for posting ends with a whole line, and its complete lines are kept.
#![no_main]

use kongtun_ledger::receivable::{read_events, EventLog};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let read = read_events(&text, "fuzz.jsonl");
    for e in &read.errors {
        assert!(e.line.is_some(), "a bad line is located: {e}");
    }
    // Open (and so repair) a copy of it as a log.
    let dir = std::env::temp_dir().join(format!("kongtun-fuzz-log-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("log.jsonl");
    let _ = std::fs::remove_file(dir.join("log.jsonl.torn"));
    if std::fs::write(&path, data).is_ok() {
        if let Ok((log, _)) = EventLog::open(&path) {
            drop(log);
            let after = std::fs::read(&path).unwrap_or_default();
            assert!(after.is_empty() || after.ends_with(b"\n"), "the opened log ends with a whole line");
            let whole = data.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            assert!(after.starts_with(&data[..whole]), "every complete line is kept");
        }
    }
});
