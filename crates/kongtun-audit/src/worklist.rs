//! The claims officer's worklist: only the claims with something to fix, one row per finding
//! of severity error or warning, with the charge lines it concerns (code and amount), the
//! money it holds up, whether the fund would answer with a C (fix and send again) or a Deny,
//! and how to fix it (the pack's `fix:` text). Sorted by the money held up, largest first.

use kongtun_core::claim::Claim;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Lang, Outcome, Severity};
use kongtun_rules::pack::Pack;
use kongtun_rules::Engine;
use serde::Serialize;

/// The code of a worklist row for a claim that could not be read or evaluated.
pub const REJECTED: &str = "REJECTED";

/// What the fund does with the claim as it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leads {
    /// Corrective (C): not paid until fixed and sent again.
    Corrective,
    /// Deny (D): not payable as it stands (past the deadline); appeal or write off.
    Deny,
    /// Paid, but with a cut or a risk (late, near a limit).
    Warning,
}

impl Leads {
    /// `C`, `D` or `W`, as the funds' statements and the officers write it.
    pub fn letter(self) -> &'static str {
        match self {
            Leads::Corrective => "C",
            Leads::Deny => "D",
            Leads::Warning => "W",
        }
    }
}

/// One finding to work on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkRow {
    /// The claim.
    pub claim: String,
    /// Its hospital number.
    pub hn: String,
    /// The patient's fund.
    pub fund: String,
    /// Visit or admission date (`None` for a claim that could not be read).
    pub service_date: Option<chrono::NaiveDate>,
    /// The finding's code.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// C, Deny or a warning.
    pub leads: Leads,
    /// The charge lines it concerns, as `CODE amount` joined by `; ` (empty for the claim).
    pub lines: String,
    /// Money the finding holds up: what a hold keeps from the fund, what an expiry loses, what
    /// a late cut takes.
    pub held_up: Money,
    /// What it means.
    pub message: String,
    /// How to fix it (empty when the pack does not say).
    pub fix: String,
}

/// Every finding to work on, and the totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Worklist {
    /// The rows, most money held up first.
    pub rows: Vec<WorkRow>,
    /// Claims with at least one row.
    pub claims: usize,
    /// Money held up in all.
    pub held_up: Money,
}

/// The pack that raised a finding: one of the outcome's packs, by label.
fn pack_of<'e>(engine: &'e Engine, outcome: &Outcome, rule: &str) -> Option<&'e Pack> {
    outcome
        .packs
        .iter()
        .filter_map(|label| engine.packs().iter().find(|p| p.label() == &**label))
        .find(|p| p.rule_ids().any(|id| id == rule))
}

impl Worklist {
    /// An empty worklist.
    pub fn new() -> Worklist {
        Worklist::default()
    }

    /// Adds a claim's findings of severity error and warning. The outcome needs its trace
    /// (what a finding holds up is read from it).
    pub fn add(&mut self, engine: &Engine, claim: &Claim, outcome: &Outcome, lang: Lang) {
        let before = self.rows.len();
        for f in outcome.findings.iter().filter(|f| f.severity != Severity::Info) {
            let pack = pack_of(engine, outcome, &f.rule);
            let holds = pack.is_some_and(|p| p.holds(&f.rule));
            let expiry = pack.is_some_and(|p| p.is_expiry(&f.rule));
            let leads = match (holds, expiry, f.severity) {
                (_, true, _) => Leads::Deny,
                (true, _, _) | (_, _, Severity::Error) => Leads::Corrective,
                _ => Leads::Warning,
            };
            // Held: what moved to a held status; expired: what went to the difference; a
            // late cut: the penalty.
            let held_up: Money = outcome
                .trace
                .iter()
                .filter(|t| t.rule == f.rule && t.amount > Money::ZERO)
                .filter(|t| match &t.bucket {
                    Bucket::Payer(_) => t.held,
                    Bucket::Difference => expiry,
                    Bucket::Penalty => true,
                    Bucket::Patient => false,
                })
                .map(|t| t.amount)
                .sum();
            let lines: Vec<String> = f
                .lines
                .iter()
                .filter_map(|i| claim.items.get(*i as usize))
                .map(|l| format!("{} {}", l.code, l.charged().grouped()))
                .collect();
            let text = |t: &kongtun_core::outcome::Text| match lang {
                Lang::Th => t.th.to_string(),
                Lang::En => t.en.to_string(),
            };
            self.rows.push(WorkRow {
                claim: claim.id.clone(),
                hn: claim.hn.clone(),
                fund: outcome.fund.as_ref().unwrap_or(&claim.fund).to_string(),
                service_date: Some(claim.service_date),
                code: f.code.to_string(),
                severity: f.severity,
                leads,
                lines: lines.join("; "),
                held_up,
                message: text(&f.message),
                fix: pack.and_then(|p| p.fix(&f.rule)).map(text).unwrap_or_default(),
            });
            self.held_up += held_up;
        }
        if self.rows.len() > before {
            self.claims += 1;
        }
    }

    /// Adds a claim that could not be read or evaluated: it is the first thing to fix, and
    /// what it holds up cannot be told until it is. `claim` is the claim when it was read (it
    /// could not be evaluated), `id` the id the reader found otherwise.
    pub fn add_rejected(&mut self, claim: Option<&Claim>, id: Option<&str>, message: &str, lang: Lang) {
        let fix = match lang {
            Lang::En => "Correct the claim as the message says (kongtun validate checks it), then evaluate it again",
            Lang::Th => "แก้ไขข้อมูลเคลมตามข้อความ (ตรวจได้ด้วย kongtun validate) แล้วประเมินใหม่",
        };
        self.rows.push(WorkRow {
            claim: claim.map(|c| c.id.as_str()).or(id).unwrap_or("-").to_string(),
            hn: claim.map(|c| c.hn.clone()).unwrap_or_default(),
            fund: claim.map(|c| c.fund.to_string()).unwrap_or_default(),
            service_date: claim.map(|c| c.service_date),
            code: REJECTED.to_string(),
            severity: Severity::Error,
            leads: Leads::Corrective,
            lines: String::new(),
            held_up: Money::ZERO,
            message: message.to_string(),
            fix: fix.to_string(),
        });
        self.claims += 1;
    }

    /// Sorts the rows: claims that could not be read or evaluated first (nothing about them
    /// can be told until they are fixed), then most money held up, then C before Deny before warnings, then by
    /// claim.
    pub fn finish(&mut self) {
        self.rows.sort_by(|a, b| {
            (b.code == REJECTED)
                .cmp(&(a.code == REJECTED))
                .then(b.held_up.cmp(&a.held_up))
                .then(a.leads.cmp(&b.leads))
                .then_with(|| a.claim.cmp(&b.claim))
        });
    }
}
