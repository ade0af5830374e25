//! Explanations: a narrated evaluation of one claim.

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::outcome::{Lang, Outcome, PayerStatus};
use kongtun_rules::{Engine, EvalError, Observer, Options};

/// Collects the narration of an evaluation.
#[derive(Default)]
pub struct Narration {
    /// The steps, in order.
    pub lines: Vec<String>,
}

impl Observer for Narration {
    fn narrating(&self) -> bool {
        true
    }

    fn note(&mut self, text: String) {
        self.lines.push(text);
    }
}

/// Evaluates `claim` with narration and renders the explanation as text.
///
/// ```
/// # use kongtun_rules::Engine;
/// # use kongtun_core::document::{read_claims, Format};
/// # use kongtun_core::outcome::Lang;
/// # let pack = "kind: fund-pack\nid: demo\nfund: DEMO\nversion: '1'\neffective: {from: 2024-10-01}\nexcess: patient\nparams:\n  cap: {value: 300, unit: baht}\nrules:\n  - {id: demo-visit, pay: {per_unit: cap}}\n";
/// # let engine = Engine::from_sources(&[("demo.yaml".into(), pack.into())]).unwrap();
/// # let text = "id: C1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-01-15\nitems: [{code: V, category: 12, qty: 1, price: 500}]\n";
/// # let claim = read_claims(text, "c.yaml", Format::Yaml).remove(0).claim.unwrap();
/// let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 20).unwrap();
/// let text = kongtun_audit::explain::explain(&engine, &claim, as_of, Lang::En).unwrap();
/// assert!(text.contains("demo-visit: line 0 V 1 x 500.00: cap 300.00 (cap) per unit -> DEMO 300.00; 200.00 -> patient"));
/// ```
pub fn explain(engine: &Engine, claim: &Claim, as_of: NaiveDate, lang: Lang) -> Result<String, EvalError> {
    let mut narration = Narration::default();
    let mut outcome = Outcome::default();
    engine.evaluate_observed(claim, as_of, Options { trace: true }, &mut outcome, &mut narration)?;
    let mut out = narration.lines.join("\n");
    out.push_str("\nresult:\n");
    for p in &outcome.payers {
        let status = if p.status == PayerStatus::Pending { " (pending)" } else { "" };
        out.push_str(&format!("  {:<12}{:>14}{status}\n", p.payer.as_str(), p.amount.grouped()));
    }
    for (name, amount) in
        [("patient", outcome.patient), ("penalty", outcome.penalty), ("difference", outcome.difference)]
    {
        out.push_str(&format!("  {name:<12}{:>14}\n", amount.grouped()));
    }
    out.push_str(&format!("  {:<12}{:>14}\n", "charged", outcome.charged.grouped()));
    if !outcome.findings.is_empty() {
        out.push_str("findings:\n");
        for f in &outcome.findings {
            let lines = if f.lines.is_empty() { String::new() } else { format!(" lines {:?}", f.lines) };
            out.push_str(&format!(
                "  {} {} [{}]{lines}: {}\n",
                f.severity.as_str(),
                f.code,
                f.rule,
                f.message.get(lang)
            ));
        }
    }
    out.push_str(&format!("packs: {}\n", outcome.packs.join(", ")));
    Ok(out)
}
