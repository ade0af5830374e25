//! Golden tests: every sample claim under `examples/claims/`, evaluated with the seed packs
//! under `rules/` as of 2025-10-15, must give exactly the JSON record checked in under
//! `tests/golden/<file stem>.jsonl` (one line per claim, in input order).
//!
//! After a deliberate change, regenerate with `UPDATE_SNAPSHOTS=1 cargo test -p kongtun --test golden`
//! and review the diff of `tests/golden/` like code: it is the money that changed.
//!
//! Every outcome is also checked for the invariants of the evaluation contract: it balances,
//! each bucket's trace entries add up to the bucket, and no payer amount is negative.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::document::read_batch;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Lang, Outcome, PayerStatus};
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, Options};
use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).expect("valid date")
}

/// The claim files under `examples/claims`, sorted by path.
fn claim_files() -> Vec<PathBuf> {
    let dir = root().join("examples/claims");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json" | "jsonl"))
        })
        .collect();
    files.sort();
    files
}

/// A payer bucket key: the payer and whether its amount is pending.
fn bucket_key(bucket: &Bucket, status: PayerStatus) -> String {
    match bucket {
        Bucket::Payer(p) => format!("{p} {}", status.as_str()),
        other => other.to_string(),
    }
}

/// The invariants every outcome keeps; returns what is broken, if anything.
fn invariant_problems(o: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if !o.balances() {
        problems.push(format!(
            "does not balance: charged {} != payers {} + patient {} + penalty {} + difference {}",
            o.charged,
            o.paid_by_payers(),
            o.patient,
            o.penalty,
            o.difference
        ));
    }
    for p in &o.payers {
        if p.amount.is_negative() {
            problems.push(format!("payer {} ({:?}) amount {} is negative", p.payer, p.status, p.amount));
        }
    }
    // Per bucket, the trace must add up exactly to the bucket's total.
    let mut traced: BTreeMap<String, Money> = BTreeMap::new();
    for t in &o.trace {
        *traced.entry(bucket_key(&t.bucket, t.status())).or_insert(Money::ZERO) += t.amount;
        if t.status() != PayerStatus::Claimable && !matches!(t.bucket, Bucket::Payer(_)) {
            problems.push(format!(
                "trace entry of rule {} is {} but its bucket is {}",
                t.rule,
                t.status().as_str(),
                t.bucket
            ));
        }
    }
    let mut totals: BTreeMap<String, Money> = BTreeMap::new();
    for p in &o.payers {
        let key = format!("{} {}", p.payer, p.status.as_str());
        *totals.entry(key).or_insert(Money::ZERO) += p.amount;
    }
    totals.insert("patient".into(), o.patient);
    totals.insert("penalty".into(), o.penalty);
    totals.insert("difference".into(), o.difference);
    for key in traced.keys() {
        if !totals.contains_key(key) {
            totals.insert(key.clone(), Money::ZERO);
        }
    }
    for (key, total) in &totals {
        let sum = traced.get(key).copied().unwrap_or(Money::ZERO);
        if sum != *total {
            problems.push(format!("bucket {key}: total {total} but its trace entries add up to {sum}"));
        }
    }
    problems
}

/// One JSON line per claim of `file`, and the invariant problems found. The file is one
/// batch, as `kongtun evaluate` reads it: claims of one victim and accident share PRB.
fn render(engine: &Engine, file: &Path) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    let records = read_batch(&[file]);
    let claims: Vec<&Claim> = records.iter().filter_map(|r| r.claim.as_ref().ok()).collect();
    let mut outcomes =
        engine.evaluate_batch(&claims, as_of(), Options { trace: true }, &mut AccidentLimits::new()).into_iter();
    for record in &records {
        let value = match &record.claim {
            Err(e) => json!({"id": record.id(), "error": {"kind": e.kind.as_str(), "message": e.message}}),
            Ok(claim) => match outcomes.next().expect("one outcome per claim") {
                Err(e) => json!({"id": claim.id, "error": {"kind": e.kind(), "message": e.to_string()}}),
                Ok(outcome) => {
                    problems
                        .extend(invariant_problems(&outcome).into_iter().map(|p| format!("claim {}: {p}", claim.id)));
                    outcome.to_json(Lang::En)
                }
            },
        };
        lines.push(value.to_string());
    }
    (lines, problems)
}

fn claim_id(line: &str) -> String {
    serde_json::from_str::<Value>(line)
        .ok()
        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "(no id)".into())
}

/// A readable diff: per claim line, the fields that differ, expected vs actual.
fn diff(expected: &[String], actual: &[String]) -> String {
    let mut out = String::new();
    for i in 0..expected.len().max(actual.len()) {
        match (expected.get(i), actual.get(i)) {
            (Some(e), Some(a)) if e == a => {}
            (Some(e), Some(a)) => {
                let (ide, ida) = (claim_id(e), claim_id(a));
                if ide == ida {
                    let _ = writeln!(out, "  line {}: claim {ide}", i + 1);
                } else {
                    let _ = writeln!(out, "  line {}: claim {ide} expected, claim {ida} found", i + 1);
                }
                match (serde_json::from_str::<Value>(e), serde_json::from_str::<Value>(a)) {
                    (Ok(Value::Object(ev)), Ok(Value::Object(av))) => {
                        let keys = ev.keys().chain(av.keys().filter(|k| !ev.contains_key(*k)));
                        for k in keys {
                            let (x, y) = (ev.get(k), av.get(k));
                            if x != y {
                                let show =
                                    |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "(absent)".into());
                                let _ =
                                    writeln!(out, "    {k}:\n      expected {}\n      actual   {}", show(x), show(y));
                            }
                        }
                    }
                    _ => {
                        let _ = writeln!(out, "    expected {e}\n    actual   {a}");
                    }
                }
            }
            (Some(e), None) => {
                let _ = writeln!(out, "  line {}: claim {} expected but missing from the output", i + 1, claim_id(e));
            }
            (None, Some(a)) => {
                let _ =
                    writeln!(out, "  line {}: claim {} in the output but not in the golden file", i + 1, claim_id(a));
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn sample_claims_match_their_golden_outcomes() {
    let engine = Engine::load(root().join("rules")).unwrap_or_else(|e| panic!("seed packs do not load:\n{e}"));
    let update = kongtun_testkit::snapshot::updating();
    let golden_dir = root().join("tests/golden");
    let files = claim_files();
    assert!(!files.is_empty(), "no sample claims under examples/claims");

    let mut failures = String::new();
    let mut claims = 0;
    for file in &files {
        let stem = file.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name");
        let golden = golden_dir.join(format!("{stem}.jsonl"));
        let (actual, problems) = render(&engine, file);
        claims += actual.len();
        for p in &problems {
            let _ = writeln!(failures, "{}: {p}", file.display());
        }
        if update {
            std::fs::create_dir_all(&golden_dir).expect("create tests/golden");
            let mut text = actual.join("\n");
            text.push('\n');
            std::fs::write(&golden, text).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
            continue;
        }
        let expected: Vec<String> = match std::fs::read_to_string(&golden) {
            Ok(text) => text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect(),
            Err(e) => {
                let _ = writeln!(
                    failures,
                    "{}: {e} (run with UPDATE_SNAPSHOTS=1 to create it from {})",
                    golden.display(),
                    file.display()
                );
                continue;
            }
        };
        if expected != actual {
            let _ = writeln!(failures, "{} differs from the outcomes of {}:", golden.display(), file.display());
            failures.push_str(&diff(&expected, &actual));
        }
    }
    // A golden file whose sample claims file is gone is stale.
    if !update {
        if let Ok(entries) = std::fs::read_dir(&golden_dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                if !files.iter().any(|f| f.file_stem().and_then(|s| s.to_str()) == Some(stem.as_str())) {
                    let _ = writeln!(failures, "{}: no examples/claims file has stem `{stem}`", path.display());
                }
            }
        }
    }
    assert!(claims > 0, "the sample claim files hold no claims");
    assert!(
        failures.is_empty(),
        "golden outcomes differ (if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review tests/golden/):\n{failures}"
    );
}

/// The checker itself must catch a broken outcome: a golden test whose invariant check
/// could never fail would prove nothing.
#[test]
fn the_invariant_check_catches_broken_outcomes() {
    let engine = Engine::load(root().join("rules")).unwrap_or_else(|e| panic!("seed packs do not load:\n{e}"));
    let file = root().join("examples/claims/road-accident.yaml");
    let record = read_batch(&[&file]).into_iter().next().expect("a claim");
    let claim = record.claim.expect("a valid claim");
    let outcome = engine.evaluate(&claim, as_of()).expect("evaluates");
    assert!(invariant_problems(&outcome).is_empty(), "{:?}", invariant_problems(&outcome));

    let mut unbalanced = outcome.clone();
    unbalanced.patient += Money::baht(1);
    assert!(invariant_problems(&unbalanced).iter().any(|p| p.contains("does not balance")));

    let mut untraced = outcome.clone();
    let pending = untraced.trace.iter().position(|t| t.pending).expect("a pending PRB tier in the trace");
    untraced.trace.remove(pending);
    assert!(
        invariant_problems(&untraced).iter().any(|p| p.contains("PRB pending")),
        "{:?}",
        invariant_problems(&untraced)
    );

    let mut negative = outcome;
    negative.payers[0].amount = Money::baht(-1);
    assert!(invariant_problems(&negative).iter().any(|p| p.contains("negative")));
}
