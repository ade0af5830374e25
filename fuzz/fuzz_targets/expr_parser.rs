//! Any text as a rule expression: parsed alone, then as the `when:` of a rule in a small
//! valid pack so that the type checker, the compiler and evaluation run on it too.
#![no_main]

use chrono::NaiveDate;
use kongtun_core::document::{read_claims, Format};
use kongtun_rules::expr::syntax::parse;
use kongtun_rules::Engine;
use libfuzzer_sys::fuzz_target;

const CLAIM: &str = "id: F1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-01-15\n\
diagnoses: [J06.9]\nitems: [{code: X, category: 12, qty: 2, price: 10, date: 2025-01-15}]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse(text);
    if text.contains('\n') || text.contains('\r') {
        return;
    }
    // A single-quoted YAML scalar: only the quote needs escaping.
    let quoted = text.replace('\'', "''");
    let pack = format!(
        "kind: fund-pack\nid: demo\nfund: DEMO\nversion: \"1\"\neffective: {{ from: 2024-10-01 }}\nexcess: patient\n\
         params:\n  cap: {{ value: 100, unit: baht }}\nrules:\n  - id: demo-r\n    when: '{quoted}'\n    pay: charged\n"
    );
    if let Ok(engine) = Engine::from_sources(&[("fuzz.yaml".to_string(), pack)]) {
        let as_of = NaiveDate::from_ymd_opt(2025, 1, 20).unwrap_or_default();
        for record in read_claims(CLAIM, "claim.yaml", Format::Yaml) {
            if let Ok(claim) = record.claim {
                let _ = engine.evaluate(&claim, as_of);
            }
        }
    }
});
