//! The send-by list: every claim not yet sent (no `submitted` date), per payer it owes money
//! to, with the last day it can go without the late cut and the last day the payer accepts it,
//! the soonest first. What a day's delay costs is worked out by the engine itself: the claim is
//! evaluated as if sent the day it turns late, so the cut shown is the pack's, not a guess.

use chrono::NaiveDate;
use kongtun_core::calendar::ClaimTiming;
use kongtun_core::claim::{Claim, Setting};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Outcome};
use kongtun_rules::{Engine, EvalError, Options};
use serde::Serialize;

/// Where a claim stands against its payer's dates on the as-of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Past the late window: sent now, the cut is taken; still accepted.
    Late,
    /// Within the late window (or the payer has none) and before the deadline.
    InTime,
    /// Past the payer's deadline: it will not pay; appeal or write off.
    Expired,
}

impl Standing {
    /// `late`, `in time`, `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Late => "late",
            Standing::InTime => "in time",
            Standing::Expired => "expired",
        }
    }
}

/// One claim and one payer it is still to be sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendByRow {
    /// The claim.
    pub claim: String,
    /// Its hospital number.
    pub hn: String,
    /// The payer the claim goes to (the main fund, or one that pays first such as PRB).
    pub payer: FundId,
    /// OP or IP.
    pub setting: Setting,
    /// Discharge (IP) or visit (OP): where the payer's days count from.
    pub claim_date: NaiveDate,
    /// The last day to send it without the late cut; `None` when the payer has no late rule.
    pub send_by: Option<NaiveDate>,
    /// Days from the as-of day to `send_by` (negative once late).
    pub days_left: Option<i64>,
    /// The last day the payer accepts it; `None` when its pack sets none.
    pub deadline: Option<NaiveDate>,
    /// Days from the as-of day to the deadline (negative once expired).
    pub days_to_deadline: Option<i64>,
    /// What the payer owes on the claim as evaluated on the as-of day.
    pub owed: Money,
    /// What sending it after `send_by` would cut (0 once late: the cut is already in `owed`).
    pub cut_if_late: Money,
    /// Late, in time or expired on the as-of day.
    pub standing: Standing,
}

/// The claims to send, soonest first, and their totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendByList {
    /// The day the list is made for.
    pub as_of: NaiveDate,
    /// One row per claim and payer: the soonest date that matters first (the send-by day while
    /// in time, else the deadline), expired claims last.
    pub rows: Vec<SendByRow>,
    /// Claims not yet sent (with a payer to send to).
    pub claims: usize,
    /// What their payers owe.
    pub owed: Money,
    /// What sending each in-time claim after its send-by day would cut, in all.
    pub cut_if_late: Money,
    /// Claims that could not be read or evaluated, so are not listed: their deadlines cannot
    /// be told until they are fixed (the worklist lists them first). Set by the caller.
    pub rejected: usize,
}

impl SendByList {
    /// The list for `claims` (with their outcomes as evaluated on `as_of`, in the same order);
    /// claims already sent, and those whose evaluation failed, are left out.
    pub fn of(engine: &Engine, claims: &[&Claim], outcomes: &[Result<Outcome, EvalError>], as_of: NaiveDate) -> Self {
        let rejected = outcomes.iter().filter(|o| o.is_err()).count();
        let mut list =
            SendByList { as_of, rows: Vec::new(), claims: 0, owed: Money::ZERO, cut_if_late: Money::ZERO, rejected };
        for (claim, outcome) in claims.iter().zip(outcomes) {
            let Ok(outcome) = outcome else { continue };
            if claim.submitted.is_some() {
                continue;
            }
            let before = list.rows.len();
            for payer in payers(claim, outcome) {
                let row = row(engine, claim, outcome, payer, as_of);
                // Nothing to send to a payer with no dates that owes nothing (self-pay).
                if row.send_by.is_none() && row.deadline.is_none() && row.owed == Money::ZERO {
                    continue;
                }
                list.owed += row.owed;
                list.cut_if_late += row.cut_if_late;
                list.rows.push(row);
            }
            if list.rows.len() > before {
                list.claims += 1;
            }
        }
        list.rows.sort_by(|a, b| {
            let expired = |r: &SendByRow| r.standing == Standing::Expired;
            expired(a).cmp(&expired(b)).then(next_date(a).cmp(&next_date(b))).then_with(|| a.claim.cmp(&b.claim))
        });
        list
    }
}

/// The payers a claim is still to go to: the main fund, and any other payer it owes money to
/// (a fund that pays first), in the outcome's order.
fn payers(claim: &Claim, outcome: &Outcome) -> Vec<FundId> {
    // The fund the engine priced the claim with (`บัตรทอง` is UC), not the name as typed.
    let mut out = vec![outcome.fund.clone().unwrap_or_else(|| claim.fund.clone())];
    for p in &outcome.payers {
        if p.amount > Money::ZERO && !out.contains(&p.payer) {
            out.push(p.payer.clone());
        }
    }
    out
}

/// The date that matters next: the send-by day while it is ahead, else the deadline; a row
/// with neither sorts last among its kind.
fn next_date(r: &SendByRow) -> NaiveDate {
    let ahead = r.send_by.filter(|_| r.days_left.is_some_and(|d| d >= 0));
    ahead.or(r.deadline).unwrap_or(NaiveDate::MAX)
}

fn row(engine: &Engine, claim: &Claim, outcome: &Outcome, payer: FundId, as_of: NaiveDate) -> SendByRow {
    let timing = ClaimTiming {
        payer: payer.clone(),
        setting: Some(claim.setting),
        claim_date: claim.claim_date(),
        accident_date: claim.accident.as_ref().map(|a| a.date),
    };
    let window = engine.late_window(&timing);
    let deadline = engine.deadline(&timing);
    let send_by = window.and_then(|w| claim.claim_date().checked_add_signed(chrono::Duration::try_days(w)?));
    let days_left = send_by.map(|d| (d - as_of).num_days());
    let days_to_deadline = deadline.map(|d| (d - as_of).num_days());
    let standing = if days_to_deadline.is_some_and(|d| d < 0) {
        Standing::Expired
    } else if days_left.is_some_and(|d| d < 0) {
        Standing::Late
    } else {
        Standing::InTime
    };
    let owed = outcome.payers.iter().filter(|p| p.payer == payer).map(|p| p.amount).sum();
    let cut_if_late = match (standing, send_by) {
        (Standing::InTime, Some(day)) => cut_if_sent(engine, claim, &payer, day.succ_opt().unwrap_or(day), as_of),
        _ => Money::ZERO,
    };
    SendByRow {
        claim: claim.id.clone(),
        hn: claim.hn.clone(),
        payer,
        setting: claim.setting,
        claim_date: claim.claim_date(),
        send_by,
        days_left,
        deadline,
        days_to_deadline,
        owed,
        cut_if_late,
        standing,
    }
}

/// The late cut the payer's pack takes from the claim sent on `day` (0 when evaluating fails).
fn cut_if_sent(engine: &Engine, claim: &Claim, payer: &FundId, day: NaiveDate, as_of: NaiveDate) -> Money {
    let mut sent = claim.clone();
    sent.submitted = Some(day);
    let mut out = Outcome::default();
    if engine.evaluate_into(&sent, as_of.max(day), Options { trace: true }, &mut out).is_err() {
        return Money::ZERO;
    }
    // The penalty the payer's late rule moved out of the payer's share.
    let payer_rules: Vec<&str> = out
        .trace
        .iter()
        .filter(|t| t.bucket == Bucket::Payer(payer.clone()) && t.amount < Money::ZERO)
        .map(|t| &*t.rule)
        .collect();
    out.trace.iter().filter(|t| t.bucket == Bucket::Penalty && payer_rules.contains(&&*t.rule)).map(|t| t.amount).sum()
}
