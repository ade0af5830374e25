//! Any bytes as a fund statement (CSV, JSON list, JSON Lines): every row is an event or a
//! located error, never a panic.
#![no_main]

use kongtun_ledger::receivable::{read_statements, StatementFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (format, name) in
        [(StatementFormat::Csv, "s.csv"), (StatementFormat::Json, "s.json"), (StatementFormat::JsonLines, "s.jsonl")]
    {
        let read = read_statements(&text, name, format);
        for e in &read.errors {
            assert!(!e.message.is_empty(), "an error says what is wrong");
        }
    }
});
