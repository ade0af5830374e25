//! Any bytes as a rule-pack file: loading must end in an engine or in errors, never a panic,
//! a hang or unbounded memory; an engine that loads must evaluate a small claim.
#![no_main]

use chrono::NaiveDate;
use kongtun_core::document::{read_claims, Format};
use kongtun_rules::Engine;
use libfuzzer_sys::fuzz_target;

const CLAIM: &str = "id: F1\nhn: '1'\nsetting: ip\nan: A1\nfund: UC\nservice_date: 2025-01-10\n\
discharge_date: 2025-01-14\nadj_rw: 1.2\ndiagnoses: [S72.0, V43.5]\n\
accident: { date: 2025-01-10, role: passenger, counterparty: true }\n\
items: [{code: TKA-SET, category: 2, qty: 1, price: 60000, serial: S1}, {code: ROOM, category: 1, qty: 4, price: 600}]\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if let Ok(engine) = Engine::from_sources(&[("fuzz.yaml".to_string(), text)]) {
        let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default();
        for record in read_claims(CLAIM, "claim.yaml", Format::Yaml) {
            if let Ok(claim) = record.claim {
                let _ = engine.evaluate(&claim, as_of);
            }
        }
    }
});
