//! Pack tests: cases kept beside the packs, each a claim, an as-of date and the expected
//! outcome (any of: payer amounts with status, patient, penalty, difference, finding codes,
//! or the error a claim must get).
//!
//! ```yaml
//! kind: pack-test
//! as_of: 2025-10-15                  # default for the cases below
//! cases:
//!   - name: UC knee prosthesis above the ceiling
//!     claim_from: ../../examples/claims/uc.yaml   # relative to this file
//!     claim_id: UC-IP-TKA
//!     expect:
//!       payers: [{ payer: UC, amount: 79025 }]   # status defaults to claimable
//!       difference: -15755
//!       findings: []                            # exactly these codes
//!   - name: inline claim
//!     claim: { id: T1, hn: "1", setting: op, fund: UC, service_date: 2025-01-15, items: [...] }
//!     expect: { difference: 50 }
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::calendar::opt_date_text;
use kongtun_core::claim::Claim;
use kongtun_core::document::{claim_from_node, read_path};
use kongtun_core::money::Money;
use kongtun_core::outcome::{Outcome, PayerStatus};
use kongtun_core::rulebook::{DocumentKind, RuleDocument, Rulebook};
use kongtun_core::yaml::{self, Node, NodeKind, Pos, Spanned};
use kongtun_rules::{Engine, Options};
use serde::Deserialize;

use crate::coverage::{CaseHits, Coverage};

/// The `kind:` of pack-test files.
pub const KIND: &str = "pack-test";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[allow(dead_code)]
    kind: String,
    #[serde(default, with = "opt_date_text")]
    as_of: Option<NaiveDate>,
    cases: Vec<CaseDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDoc {
    name: Spanned<String>,
    #[serde(default, with = "opt_date_text")]
    as_of: Option<NaiveDate>,
    /// Read from the raw node, so it gets the claim-document checks.
    #[serde(default)]
    #[allow(dead_code)]
    claim: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    claim_from: Option<String>,
    #[serde(default)]
    claim_id: Option<String>,
    expect: Expect,
}

/// What a case expects; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Payer amounts; any payer with a non-zero amount not listed is a failure.
    #[serde(default)]
    pub payers: Option<Vec<PayerExpect>>,
    /// Billed to the patient.
    #[serde(default)]
    pub patient: Option<Money>,
    /// Late penalty.
    #[serde(default)]
    pub penalty: Option<Money>,
    /// Hospital's difference.
    #[serde(default)]
    pub difference: Option<Money>,
    /// Exactly these finding codes (order does not matter).
    #[serde(default)]
    pub findings: Option<Vec<String>>,
    /// The claim must not evaluate, with this error kind (e.g. `no_pack`).
    #[serde(default)]
    pub error: Option<String>,
}

/// One expected payer amount.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerExpect {
    /// Fund id.
    pub payer: String,
    /// Amount.
    pub amount: Money,
    /// `claimable` (default), `pending` or `held`.
    #[serde(default = "claimable")]
    pub status: PayerStatus,
    /// What the fund is expected to actually pay of `amount` (its pack's paid rate).
    #[serde(default)]
    pub expected: Option<Money>,
}

fn claimable() -> PayerStatus {
    PayerStatus::Claimable
}

/// The result of one case.
#[derive(Debug)]
pub struct CaseResult {
    /// Test file.
    pub file: String,
    /// Where the case starts.
    pub pos: Option<Pos>,
    /// Its name.
    pub name: String,
    /// Each field that differed: `field: expected X, actual Y`; empty when it passed.
    pub failures: Vec<String>,
    /// The rule trace of the outcome, for failures.
    pub trace: Vec<String>,
}

impl CaseResult {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Everything a test run found.
#[derive(Debug)]
pub struct TestRun {
    /// Case results in file and case order.
    pub cases: Vec<CaseResult>,
    /// Rule and row coverage over every case.
    pub coverage: Coverage,
}

impl TestRun {
    /// (passed, failed).
    pub fn counts(&self) -> (usize, usize) {
        let passed = self.cases.iter().filter(|c| c.passed()).count();
        (passed, self.cases.len() - passed)
    }
}

/// Runs every pack test under `dir` against `engine`.
pub fn run_dir(engine: &Engine, dir: &Path) -> TestRun {
    run_rulebook(engine, &Rulebook::load(dir))
}

/// Runs every pack test (`kind: pack-test`) of a rules directory already read.
pub fn run_rulebook(engine: &Engine, book: &Rulebook) -> TestRun {
    let mut run = TestRun { cases: Vec::new(), coverage: Coverage::of(engine) };
    for doc in book.of_kind(DocumentKind::PackTest) {
        run_document(engine, doc, &mut run);
    }
    run
}

fn broken(file: &str, pos: Option<Pos>, name: &str, why: String) -> CaseResult {
    CaseResult { file: file.to_string(), pos, name: name.to_string(), failures: vec![why], trace: Vec::new() }
}

fn run_document(engine: &Engine, document: &RuleDocument, run: &mut TestRun) {
    let file = document.file.to_string();
    let path = Path::new(&file);
    let root = &document.root;
    let doc: FileDoc = match yaml::from_node(root) {
        Ok(doc) => doc,
        Err(e) => return run.cases.push(broken(&file, e.pos, "(file)", format!("{}: {}", e.field(), e.kind))),
    };
    let case_nodes: &[Node] = match root.get("cases").map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    };
    let base = path.parent().unwrap_or(Path::new("."));
    for (case, node) in doc.cases.iter().zip(case_nodes) {
        let name = case.name.value.as_str();
        let as_of = case.as_of.or(doc.as_of);
        let Some(as_of) = as_of else {
            run.cases.push(broken(&file, Some(node.pos), name, "no as_of: give one per case or per file".into()));
            continue;
        };
        let claim = match load_claim(case, node, base, &file) {
            Ok(c) => c,
            Err(why) => {
                run.cases.push(broken(&file, Some(node.pos), name, why));
                continue;
            }
        };
        let mut hits = CaseHits::default();
        let mut outcome = Outcome::default();
        let result = engine.evaluate_observed(&claim, as_of, Options { trace: true }, &mut outcome, &mut hits);
        let failures = match result {
            Ok(()) => compare(&case.expect, &outcome),
            Err(e) => match &case.expect.error {
                Some(kind) if kind == e.kind() => Vec::new(),
                Some(kind) => vec![format!("error: expected {kind}, actual {}: {e}", e.kind())],
                None => vec![format!("the claim did not evaluate: {e}")],
            },
        };
        run.coverage.add(&hits);
        let trace = outcome
            .trace
            .iter()
            .map(|t| {
                format!(
                    "{:<24} {:<11}{:>14}{}  lines {:?}",
                    t.rule,
                    t.bucket.to_string(),
                    t.amount.grouped(),
                    t.status().suffix(),
                    t.lines
                )
            })
            .collect();
        run.cases.push(CaseResult { file: file.clone(), pos: Some(node.pos), name: name.to_string(), failures, trace });
    }
}

fn load_claim(case: &CaseDoc, node: &Node, base: &Path, file: &str) -> Result<Claim, String> {
    match (node.get("claim"), &case.claim_from, &case.claim_id) {
        (Some(inline), None, None) => claim_from_node(inline, file).map_err(|e| e.to_string()),
        (None, Some(from), Some(id)) => {
            let path = base.join(from);
            let record = read_path(&path)
                .into_iter()
                .find(|r| r.id() == Some(id.as_str()))
                .ok_or_else(|| format!("no claim {id} in {}", path.display()))?;
            record.claim.map_err(|e| e.to_string())
        }
        _ => Err("give either `claim:` (inline) or both `claim_from:` and `claim_id:`".into()),
    }
}

fn compare(expect: &Expect, o: &Outcome) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(kind) = &expect.error {
        failures.push(format!("error: expected {kind}, actual: the claim evaluated"));
    }
    if let Some(payers) = &expect.payers {
        for p in payers {
            let actual = o.payer_amount(&p.payer.to_ascii_uppercase(), p.status);
            if actual != p.amount {
                failures.push(format!(
                    "payer {} {}: expected {}, actual {}",
                    p.payer,
                    p.status.as_str(),
                    p.amount.grouped(),
                    actual.grouped()
                ));
            }
            if let Some(want) = p.expected {
                let got: Money = o
                    .payers
                    .iter()
                    .filter(|a| a.payer.as_str().eq_ignore_ascii_case(&p.payer) && a.status == p.status)
                    .map(|a| a.expected_or_amount())
                    .sum();
                if got != want {
                    failures.push(format!(
                        "payer {} {} expected to be paid: expected {}, actual {}",
                        p.payer,
                        p.status.as_str(),
                        want.grouped(),
                        got.grouped()
                    ));
                }
            }
        }
        for a in &o.payers {
            let listed = payers.iter().any(|p| p.payer.eq_ignore_ascii_case(a.payer.as_str()) && p.status == a.status);
            if !listed && !a.amount.is_zero() {
                failures.push(format!(
                    "payer {} {}: expected none, actual {}",
                    a.payer,
                    a.status.as_str(),
                    a.amount.grouped()
                ));
            }
        }
    }
    for (name, expected, actual) in [
        ("patient", expect.patient, o.patient),
        ("penalty", expect.penalty, o.penalty),
        ("difference", expect.difference, o.difference),
    ] {
        if let Some(e) = expected {
            if e != actual {
                failures.push(format!("{name}: expected {}, actual {}", e.grouped(), actual.grouped()));
            }
        }
    }
    if let Some(codes) = &expect.findings {
        let want: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = o.findings.iter().map(|f| &*f.code).collect();
        if want != got {
            failures.push(format!("findings: expected {want:?}, actual {got:?}"));
        }
    }
    failures
}

/// Renders a run: each failure with expected vs actual and the trace, then `N passed, M failed`.
pub fn report(run: &TestRun) -> String {
    let mut out = String::new();
    for c in &run.cases {
        let at = c.pos.map(|p| format!(":{}", p.line)).unwrap_or_default();
        if c.passed() {
            out.push_str(&format!("ok   {}{at} {}\n", c.file, c.name));
            continue;
        }
        out.push_str(&format!("FAIL {}{at} {}\n", c.file, c.name));
        for f in &c.failures {
            out.push_str(&format!("       {f}\n"));
        }
        if !c.trace.is_empty() {
            out.push_str("     trace:\n");
            for t in &c.trace {
                out.push_str(&format!("       {t}\n"));
            }
        }
    }
    let (passed, failed) = run.counts();
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    out
}
