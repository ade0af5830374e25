//! Any text as a claim document (YAML, JSON, one JSON Lines line): every record is a claim
//! or an error, never a panic; each valid claim is evaluated under the seed packs.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use kongtun_core::document::{read_claims, read_json_line, Format, Record};
use kongtun_rules::Engine;
use libfuzzer_sys::fuzz_target;

fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules")).ok()).as_ref()
}

fn evaluate(records: Vec<Record>) {
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default();
    if let Some(engine) = engine() {
        for record in records {
            if let Ok(claim) = record.claim {
                if let Ok(outcome) = engine.evaluate(&claim, as_of) {
                    assert!(outcome.balances(), "an outcome does not balance: {}", claim.id);
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    evaluate(read_claims(&text, "fuzz.yaml", Format::Yaml));
    evaluate(read_claims(&text, "fuzz.json", Format::Json));
    if let Some(line) = text.lines().next() {
        evaluate(vec![read_json_line(line, "fuzz.jsonl", 1)]);
    }
});
