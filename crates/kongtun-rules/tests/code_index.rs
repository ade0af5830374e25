//! The code index that lets evaluation skip the lines a rule can never take: which rules it
//! indexes, and that skipping changes no outcome (the seed packs' outcomes are compared with
//! the narrated path, which never skips).

use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::document::read_batch;
use kongtun_core::outcome::Outcome;
use kongtun_rules::{Engine, Observer, Options};

const PACK: &str = r#"kind: fund-pack
id: demo
fund: DEMO
version: "1"
effective: { from: 2024-10-01 }
excess: patient
params:
  cap: { value: 100, unit: baht }
tables:
  exact:
    hit: first
    inputs: { code: line.code }
    rows:
      - { code: "A | B", cap: cap }
  open:
    hit: first
    inputs: { code: line.code }
    rows:
      - { code: C, cap: cap }
      - { code: "-", cap: cap }
rules:
  - id: by-code
    when: line.code in ["X", "Y"] and line.qty > 1
    pay: charged
  - id: by-exact-table
    lookup: exact
    pay: { per_unit: cap }
  - id: by-open-table
    lookup: open
    pay: { per_unit: cap }
  - id: claim-first
    when: claim.setting == "op" and line.code == "Z"
    pay: charged
  - id: any-line
    when: line.claimable
    pay: charged
"#;

#[test]
fn rules_that_name_their_codes_are_indexed() {
    let engine = Engine::from_sources(&[("demo.yaml".to_string(), PACK.to_string())]).expect("loads");
    let pack = &engine.packs()[0];
    let bit = |id: &str| pack.rules.iter().find(|r| &*r.id == id).and_then(|r| r.code_bit);
    assert_eq!(bit("by-code"), Some(1 << 0));
    assert_eq!(bit("by-exact-table"), Some(1 << 1));
    // A `-` row takes any code; a claim-level test first must be evaluated as written.
    assert_eq!((bit("by-open-table"), bit("claim-first"), bit("any-line")), (None, None, None));
    assert_eq!((pack.code_index.mask("X"), pack.code_index.mask("B")), (1, 2));
    assert_eq!((pack.code_index.mask("C"), pack.code_index.mask("Z")), (0, 0));
}

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
