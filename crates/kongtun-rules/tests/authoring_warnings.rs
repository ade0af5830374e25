//! `kongtun check` warnings for pack authors: a pack that loads but has dead parts.

use kongtun_rules::{Engine, Level};

const PACK: &str = r#"kind: fund-pack
id: w
fund: W
version: "1"
effective: { from: 2024-10-01 }
excess: patient
params:
  unused: { value: 1, unit: count }
  rate: { value: 9600, unit: baht_per_adjrw, example: true }
tables:
  items:
    hit: first
    inputs: { code: line.code }
    rows:
      - { code: A | B, cap: 10 }
      - { code: A, cap: 20 }
rules:
  - id: w-items
    when: line.code in ["A", "TKA-SETT"]
    lookup: items
    pay: { per_unit: cap }
  - id: w-drg
    pay: { drg: rate }
"#;

#[test]
fn warns_about_shadowed_rows_unknown_codes_unused_and_example_parameters() {
    let engine = Engine::from_sources(&[("w.yaml".into(), PACK.into())]).expect("warnings do not stop the load");
    let warnings: Vec<String> = engine.warnings().iter().map(|w| w.to_string()).collect();
    assert!(engine.warnings().iter().all(|w| w.level == Level::Warning));
    let expected = [
        "w.yaml:16:9: warning: table items: row can never match: the row at line 15 above matches everything it does",
        "w.yaml:19:11: warning: w-items: names code `TKA-SETT`, which table items has no row for: the rule can never take such a line",
        "w.yaml:8:3: warning: unused: parameter is never used",
        "w.yaml:9:3: warning: rate: 9600 baht per Adj.RW is an example value: replace it with the current official figure",
    ];
    for e in expected {
        assert!(warnings.iter().any(|w| w == e), "missing {e:?} in {warnings:#?}");
    }
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
}
