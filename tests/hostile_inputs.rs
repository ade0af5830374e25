//! Hostile inputs get a clear error record, never a crash or a hang.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use kongtun::model::diagnostic::DiagnosticKind;
use kongtun::model::document::{
    read_claims, read_json_line, read_json_line_with, read_path, Format, Limits, MAX_LINE_BYTES,
};
use kongtun::rules::EvalError;
use kongtun::Engine;

fn engine() -> Engine {
    Engine::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("seed packs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn line_json(items: usize) -> String {
    let item = r#"{"code":"ROOM-WARD","category":1,"qty":1,"price":"600.00"}"#;
    let mut s = String::with_capacity(200 + items * (item.len() + 1));
    s.push_str(r#"{"id":"BIG","hn":"1","an":"1","setting":"ip","fund":"UC","service_date":"2025-01-01","discharge_date":"2025-01-09","adj_rw":"1.0","diagnoses":["A09.0"],"items":["#);
    for i in 0..items {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str("]}");
    s
}

#[test]
fn yaml_alias_bomb_is_refused_at_once() {
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let started = Instant::now();
    let records = read_claims(&bomb, "bomb.yaml", Format::Yaml);
    assert_eq!(records.len(), 1);
    let err = records[0].claim.as_ref().expect_err("refused");
    assert_eq!(err.kind, DiagnosticKind::Syntax);
    assert!(err.message.contains("anchors") || err.message.contains("aliases"), "{err}");
    let packs = Engine::from_sources(&[("bomb.yaml".into(), format!("kind: fund-pack\n{bomb}"))]);
    let errors = packs.expect_err("refused").0;
    assert!(errors[0].message.contains("not supported"), "{errors:?}");
    assert!(started.elapsed().as_secs() < 5, "refused without expanding");
}

#[test]
fn a_100_mb_claim_file_is_refused_without_reading_it() {
    let dir = temp("100mb");
    let path = dir.join("huge.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse 100 MB file");
    let records = read_path(&path);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(records.len(), 1);
    let err = records[0].claim.as_ref().expect_err("refused");
    assert!(err.message.contains("larger than 32 MB (100 MB)"), "{err}");
    assert!(err.message.contains("JSON Lines"), "says what to do instead: {err}");
}

#[test]
fn a_10000_deep_expression_is_a_load_error() {
    let deep = format!("{}line.qty > 1{}", "(".repeat(10_000), ")".repeat(10_000));
    let pack = format!(
        "kind: fund-pack\nid: deep\nfund: DEEP\nversion: '1'\neffective: {{from: 2024-10-01}}\nexcess: patient\nrules:\n  - id: deep\n    when: \"{deep}\"\n    pay: charged\n"
    );
    let errors = Engine::from_sources(&[("deep.yaml".into(), pack)]).expect_err("refused").0;
    assert_eq!(errors[0].rule_id(), Some("deep"));
    assert!(errors[0].message.contains("longer than") || errors[0].message.contains("nested"), "{errors:?}");
    let nested = format!("{}1{}", "(".repeat(40), ")".repeat(40));
    let pack = format!(
        "kind: fund-pack\nid: deep\nfund: DEEP\nversion: '1'\neffective: {{from: 2024-10-01}}\nexcess: patient\nrules:\n  - id: deep\n    when: \"line.qty > {nested}\"\n    pay: charged\n"
    );
    let errors = Engine::from_sources(&[("deep.yaml".into(), pack)]).expect_err("refused").0;
    assert!(errors[0].message.contains("nested deeper than 32"), "{errors:?}");
    let deep_yaml = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let records = read_claims(&deep_yaml, "deep.yaml", Format::Yaml);
    let err = records[0].claim.as_ref().expect_err("refused");
    assert!(err.message.contains("nested"), "{err}");
}

#[test]
fn a_claim_with_a_million_lines_is_refused_and_one_with_fifty_thousand_is_evaluated_fast_when_allowed() {
    let huge = line_json(1_000_000);
    assert!(huge.len() > MAX_LINE_BYTES);
    let record = read_json_line(&huge, "huge.jsonl", 7);
    drop(huge);
    let err = record.claim.as_ref().expect_err("refused");
    assert_eq!(err.pos().map(|p| p.line), Some(7));
    assert!(err.message.contains("one claim is limited to 16 MB"), "{err}");

    // Class: claims with more charge lines than any real admission. Refused by default
    // (10,000), by the reader and by the engine; evaluated in linear time when allowed.
    let big = line_json(50_000);
    let err = read_json_line(&big, "big.jsonl", 1).claim.expect_err("over the default cap");
    assert!(err.message.contains("50000 charge lines: a claim is limited to 10000"), "{err}");
    let limits = Limits { max_lines_per_claim: 60_000, ..Limits::default() };
    let claim = read_json_line_with(&big, "big.jsonl", 1, &limits).claim.expect("valid");
    let as_of = NaiveDate::from_ymd_opt(2025, 1, 20).expect("date");
    let mut engine = engine();
    assert!(matches!(engine.evaluate(&claim, as_of), Err(EvalError::TooLarge { lines: 50_000, max: 10_000 })));
    engine.set_max_lines_per_claim(60_000);
    let started = Instant::now();
    let outcome = engine.evaluate(&claim, as_of).expect("evaluates");
    assert!(outcome.balances());
    assert_eq!(outcome.charged.to_string(), "30000000.00");
    assert!(started.elapsed().as_secs() < 20, "linear in the lines: {:?}", started.elapsed());
}

#[test]
fn nan_infinite_and_huge_numbers_are_rejected_by_field() {
    let claim = |field: &str| {
        format!(
            "id: N\nhn: '1'\nsetting: ip\nan: '1'\nfund: UC\nservice_date: 2025-01-01\ndischarge_date: 2025-01-02\nadj_rw: 1\nitems:\n  - {{code: X, category: 1, qty: 1, price: 1}}\n{field}\n"
        )
    };
    for (text, field) in [
        (claim("").replace("price: 1}", "price: 1e30}"), "items[0].price"),
        (claim("").replace("price: 1}", "price: .nan}"), "items[0].price"),
        (claim("").replace("price: 1}", "price: NaN}"), "items[0].price"),
        (claim("").replace("price: 1}", "price: .inf}"), "items[0].price"),
        (claim("").replace("price: 1}", "price: 99999999999999999999999999999999}"), "items[0].price"),
        (claim("").replace("qty: 1,", "qty: 1e30,"), "items[0].qty"),
        (claim("").replace("qty: 1,", "qty: -.inf,"), "items[0].qty"),
        (claim("").replace("adj_rw: 1", "adj_rw: 1e30"), "adj_rw"),
    ] {
        let records = read_claims(&text, "n.yaml", Format::Yaml);
        let err = records[0].claim.as_ref().expect_err(&text);
        assert_eq!(err.field.as_deref(), Some(field), "{err}");
        assert_eq!(err.kind, DiagnosticKind::InvalidValue, "{err}");
    }
}

#[test]
fn dates_in_year_9999_are_read_and_then_have_no_pack() {
    // A year of 2400 or more is BE: 9999 BE is 9456 CE, a real if distant day.
    let text = "id: Y\nhn: '1'\nsetting: op\nfund: UC\nservice_date: 9999-12-31\nsubmitted: 9999-12-31\nitems: [{code: X, category: 1, qty: 1, price: 1}]\n";
    let claim = read_claims(text, "y.yaml", Format::Yaml).remove(0).claim.expect("valid date");
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).expect("date");
    match engine().evaluate(&claim, far) {
        Err(EvalError::NoPack { fund, .. }) => assert_eq!(fund, "UC"),
        other => panic!("expected no pack, got {other:?}"),
    }
    // A claim in FY2568 evaluated as of the year 9999 is expired, not an overflow.
    let text = "id: Z\nhn: '1'\nsetting: op\nfund: UC\nservice_date: 2025-01-01\ndiagnoses: [A09]\nitems: [{code: X, category: 1, qty: 1, price: 1}]\n";
    let claim = read_claims(text, "z.yaml", Format::Yaml).remove(0).claim.expect("valid");
    let outcome = engine().evaluate(&claim, far).expect("evaluates");
    assert!(outcome.findings.iter().any(|f| &*f.code == "EXPIRED"));
}
