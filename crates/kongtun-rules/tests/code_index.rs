//! The code index lets evaluation skip the lines a rule can never take; skipping must change
//! no outcome: the seed packs' outcomes are compared with the narrated path, which never
//! skips. (Which rules it indexes is a unit test in `src/pack/code_index.rs`.)

use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::document::read_batch;
use kongtun_core::outcome::Outcome;
use kongtun_rules::{Engine, Observer, Options};

/// Listens to the narration, which turns every shortcut off.
struct Narrating;

impl Observer for Narrating {
    fn narrating(&self) -> bool {
        true
    }
}

#[test]
fn skipping_lines_changes_no_outcome() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let engine = Engine::load(root.join("rules")).expect("seed packs");
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");
    let claims = read_batch(&[root.join("examples/claims")]);
    assert!(claims.len() >= 29);
    for record in claims {
        let claim = record.claim.expect("sample claims are valid");
        let fast = engine.evaluate(&claim, as_of).expect("evaluates");
        let mut narrated = Outcome::default();
        engine
            .evaluate_observed(&claim, as_of, Options { trace: true }, &mut narrated, &mut Narrating)
            .expect("evaluates");
        assert_eq!(fast, narrated, "claim {}", claim.id);
    }
}
