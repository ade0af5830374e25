//! Evaluating one claim, in five phases a claims reviewer would name:
//!
//! 1. [`primary`]: each primary pack that applies (e.g. พรบ.) pays its tiers from the charges
//!    of the lines it covers, in order, each tier up to its limit;
//! 2. [`pricing`]: the main fund's rules price every line, first matching rule wins; a `drg`
//!    rule pays Adj.RW x rate once for the claim and collects every claimable line not yet
//!    taken; lines no rule takes go to the difference (finding `UNPRICED`);
//! 3. [`coordination`]: if a primary paid, the main fund pays at most the balance it left;
//!    the patient still owes excess only up to what is left uncovered;
//! 4. [`timeliness`]: past the deadline the main fund's payment goes to the difference;
//!    otherwise, late, a percentage of it goes to the penalty;
//! 5. [`checks`]: checks raise findings.
//!
//! Every amount is added to its bucket and, when tracing, recorded with the rule and lines it
//! came from, so the buckets always add up to the charges. An [`Observer`] sees which rules
//! fired (coverage) and, when it asks, a structured narration of every decision
//! ([`narration::Step`]); the default observer costs nothing.

mod checks;
mod coordination;
mod expected;
pub mod narration;
mod pricing;
mod primary;
mod timeliness;

use std::cell::RefCell;
use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::claim::{Claim, Line};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::Bucket;
use kongtun_core::outcome::{Finding, LineList, Outcome, PayerAmount, PayerStatus, Severity, Text, TraceEntry};
use rust_decimal::Decimal;

use crate::error::EvalError;
use crate::expr::{self, ArithmeticError, EvalContext, Expr, Split};
use crate::pack::Pack;
use narration::{Amount, LineRef, Observer, Source, ValueRead};

pub(crate) use timeliness::{deadline, fits};

/// Rule id of the coordination-of-benefits adjustment in traces.
pub const COB_RULE: &str = "cob";
/// Rule id of lines no rule priced.
pub const UNPRICED_RULE: &str = "unpriced";

/// The most a rule's amount can be: a thousand times the largest accepted price
/// (10^13 baht), so a pack's arithmetic can never pay an absurd sum.
const MAX_PAYABLE: Money = Money::baht(10_000_000_000_000);

/// Evaluation options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Record the trace (where every amount came from). Costs allocations.
    pub trace: bool,
}

/// What one evaluation works on: the packs chosen for the claim, the claim, the date
/// timeliness counts to when the claim has no `submitted` date, and the options.
pub(crate) struct Input<'a> {
    pub main: &'a Pack,
    pub primaries: &'a [&'a Pack],
    pub claim: &'a Claim,
    pub as_of: NaiveDate,
    pub options: Options,
    /// What the per-accident primaries (PRB) already took for this victim and accident before
    /// this claim (see [`crate::accident`]): their tiers pay only what is left of their limits.
    pub primary_taken: Money,
}

/// The running sums of one evaluation, moved from phase to phase.
#[derive(Default)]
struct Sums {
    /// Charges of the lines the primaries cover.
    covered: Money,
    /// What the primaries paid.
    primary_paid: Money,
    /// What the main fund pays.
    main_paid: Money,
    /// What the patient owes.
    patient: Money,
    /// The part of `patient` on lines a primary covers.
    patient_covered: Money,
    /// Written off by the hospital (may be negative when a DRG pays above the charges).
    difference: Money,
    /// Cut for sending late.
    penalty: Money,
    /// Of the primaries' limits, what the victim's earlier claims of this accident took and
    /// the tiers have not yet accounted for (consumed tier by tier, in order).
    taken: Money,
    /// A pending tier deferred by the main fund's hand-off: it is owed (pending) only on what
    /// the main fund leaves unpaid.
    deferred: Option<Deferred>,
    /// The announced DRG rate, when the DRG paid an Adj.RW.
    drg_rate: Option<Money>,
}

/// A primary's pending tier the main fund pays ahead of (`after_primary: { while_pending: pay }`).
struct Deferred {
    /// The tier's id.
    tier: Arc<str>,
    /// The primary fund.
    payer: FundId,
    /// The most the tier would pay.
    amount: Money,
}

/// What happened to one line in the main pack.
#[derive(Clone, Copy, Default)]
struct LineState {
    /// Index of the rule that took it.
    rule: Option<usize>,
    /// What the payer allows for it (not used for DRG lines).
    allowed: Money,
}

/// Working buffers of an evaluation, kept per thread and reused, so that evaluating a claim
/// allocates nothing once the buffers have grown to the largest claim seen.
#[derive(Default)]
struct Scratch {
    charges: Vec<Money>,
    /// Per line, the main pack's rules that name its code (the pack's code index).
    masks: Vec<u64>,
    covered: Vec<bool>,
    state: Vec<LineState>,
    taken: Vec<u32>,
    lines: Vec<u32>,
    keys: Vec<NaiveDate>,
    group: Vec<u32>,
    /// Lines a holding check flagged.
    held: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Narrates a step only when the observer listens; the step is never built otherwise.
macro_rules! narrate {
    ($obs:expr, $step:expr) => {
        if $obs.narrating() {
            $obs.step($step);
        }
    };
}
pub(crate) use narrate;

/// One claim under evaluation: the claim, its line charges and the expression context.
struct Evaluation<'a> {
    claim: &'a Claim,
    charges: &'a [Money],
    /// Per line, the main pack's code-index bits (empty when the pack indexes nothing).
    masks: &'a [u64],
    /// The bits of every line together: a rule or check whose bit is not here has no line.
    any_mask: u64,
    charged: Money,
    claimable_charged: Money,
    trace: bool,
}

impl<'a> Evaluation<'a> {
    fn context(&'a self, line: Option<usize>, outputs: &'a [Decimal]) -> EvalContext<'a> {
        EvalContext {
            claim: self.claim,
            charged: self.charged,
            claimable_charged: self.claimable_charged,
            line: line.map(|i| (&self.claim.items[i], self.charges[i])),
            outputs,
        }
    }

    fn test(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal], rule: &str) -> Result<bool, EvalError> {
        e.test(&self.context(line, outputs)).map_err(|f| fault(rule, f))
    }

    /// A claim-level condition through its [`Split`]: its claim tests first (same value, no
    /// fault possible), then the rest of it as written.
    fn claim_condition(&'a self, when: &Expr, split: &Split, rule: &str) -> Result<bool, EvalError> {
        match split.line.is_empty() {
            true => split.claim_value(self.claim, |rest| self.test(rest, None, &[], rule)),
            false => self.test(when, None, &[], rule),
        }
    }

    /// An amount; an absent value (an optional field the claim lacks) pays nothing.
    fn money(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal], rule: &str) -> Result<Money, EvalError> {
        let n = self.number(e, line, outputs, rule)?;
        // Clamped after rounding: the same as before it, the bounds being whole baht, and
        // cheaper in satang than in `Decimal`.
        Ok(Money::rounded(n.unwrap_or_default()).max(Money::ZERO).min(MAX_PAYABLE))
    }

    #[inline]
    fn number(
        &'a self,
        e: &Expr,
        line: Option<usize>,
        outputs: &'a [Decimal],
        rule: &str,
    ) -> Result<Option<Decimal>, EvalError> {
        match e {
            // A parameter or a table's output (most rates and windows): no context to build.
            Expr::Num(n) | Expr::Param(_, n) => Ok(Some(*n)),
            Expr::Output(o) => Ok(outputs.get(*o).copied()),
            _ => e.number(&self.context(line, outputs)).map_err(|f| fault(rule, f)),
        }
    }

    fn record(
        &self,
        out: &mut Outcome,
        rule: &Arc<str>,
        bucket: Bucket,
        amount: Money,
        status: PayerStatus,
        lines: &[u32],
    ) {
        if self.trace && !amount.is_zero() {
            let (pending, held) = (status == PayerStatus::Pending, status == PayerStatus::Held);
            out.trace.push(TraceEntry {
                rule: rule.clone(),
                bucket,
                amount,
                pending,
                held,
                lines: LineList::from_slice(lines),
            });
        }
    }

    /// The line as the narration names it.
    fn line_ref(&self, i: usize) -> LineRef<'a> {
        let l = &self.claim.items[i];
        LineRef { index: i, code: &l.code, qty: l.qty, price: l.price }
    }

    /// The values a condition read (for narration only).
    fn values_read(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal]) -> Vec<ValueRead> {
        let mut fields = Vec::new();
        e.fields(&mut fields);
        fields.dedup();
        let ctx = self.context(line, outputs);
        fields.iter().map(|f| ValueRead { field: f.name(), value: expr::field(*f, &ctx).to_string() }).collect()
    }
}

fn fault(rule: &str, f: ArithmeticError) -> EvalError {
    EvalError::Arithmetic { rule: rule.to_string(), message: f.0 }
}

/// An amount and the parameter or table row it came from (for narration).
fn amount<'p>(e: &'p Expr, value: Money, pack: &'p Pack, table_row: Option<(usize, usize)>) -> Amount<'p> {
    let source = match e {
        Expr::Param(name, _) => Source::Param(name),
        Expr::Output(o) => match table_row {
            Some((t, r)) => {
                let table = &pack.tables[t];
                let param = table.rows[r].sources.get(*o).and_then(|s| s.as_deref());
                Source::TableRow { param, table: &table.name, row: r + 1 }
            }
            None => Source::Expression,
        },
        _ => Source::Expression,
    };
    Amount { value, source }
}

/// Evaluates `input.claim` under its packs, into `out`.
pub(crate) fn evaluate<O: Observer>(input: &Input<'_>, out: &mut Outcome, obs: &mut O) -> Result<(), EvalError> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => evaluate_with(input, out, obs, &mut scratch),
        // Re-entered from an observer: use fresh buffers rather than fail.
        Err(_) => evaluate_with(input, out, obs, &mut Scratch::default()),
    })
}

fn evaluate_with<O: Observer>(
    input: &Input<'_>,
    out: &mut Outcome,
    obs: &mut O,
    scratch: &mut Scratch,
) -> Result<(), EvalError> {
    let Input { main, primaries, claim, .. } = *input;
    out.clear();
    let Scratch { charges, masks, covered, state, taken, lines, keys, group, held: held_lines } = scratch;
    charges.clear();
    masks.clear();
    let indexed = !main.code_index.is_empty();
    let (mut charged, mut claimable_charged, mut any_mask) = (Money::ZERO, Money::ZERO, 0);
    // The lines' charges and code-index bits, then their sums (each `extend` sized once).
    charges.extend(claim.items.iter().map(Line::charged));
    if indexed {
        masks.extend(claim.items.iter().map(|line| main.code_index.mask(&line.code)));
        any_mask = masks.iter().fold(0, |all, m| all | m);
    }
    for (line, charge) in claim.items.iter().zip(charges.iter()) {
        charged += *charge;
        if line.claimable {
            claimable_charged += *charge;
        }
    }
    let ev = Evaluation { claim, charges, masks, any_mask, charged, claimable_charged, trace: input.options.trace };
    out.id.push_str(&claim.id);
    out.fund = Some(claim.fund.clone());
    out.setting = Some(claim.setting);
    out.service_date = Some(claim.service_date);
    out.claim_date = Some(claim.claim_date());
    out.fiscal_year = Some(claim.fiscal_year());
    out.submitted = claim.submitted;
    out.accident_date = claim.accident.as_ref().map(|a| a.date);
    out.hcode.push_str(claim.hcode.as_deref().unwrap_or_default());
    out.hospmain.push_str(claim.hospmain.as_deref().unwrap_or_default());
    out.sub_fund.push_str(claim.sub_fund.as_deref().unwrap_or_default());
    out.visit_type = claim.visit_type;
    out.work_injury = claim.work_injury;
    out.charged = charged;
    narrate!(
        obs,
        narration::Step::Claim {
            id: &claim.id,
            fund: &claim.fund,
            setting: claim.setting,
            claim_date: claim.claim_date(),
            charged
        }
    );

    let mut sums = Sums::default();
    out.primary_taken_before = input.primary_taken;
    covered.clear();
    covered.resize(claim.items.len(), false);
    for pack in primaries {
        // Only limits shared across a victim's claims start reduced.
        sums.taken = if pack.per_accident { input.primary_taken } else { Money::ZERO };
        primary::pay_tiers(&ev, (pack, main), (covered, lines), input.as_of, &mut sums, out, obs)?;
        // The code index is the main pack's: a primary's checks test every line.
        let holds = checks::run(&ev, (pack, &[], u64::MAX), held_lines, out, obs)?;
        let claimable = payer_amount(out, &pack.fund, PayerStatus::Claimable);
        // A primary pays the charges of the lines it covers, up to its tiers.
        let held = holds.amount(claimable, |i| if covered[i as usize] { ev.charges[i as usize] } else { Money::ZERO });
        hold(&ev, &holds, &pack.fund, held, out, obs);
    }
    state.clear();
    state.resize(claim.items.len(), LineState::default());
    let mut bufs = pricing::Buffers { covered, state, taken, lines, keys, group };
    pricing::price_main_fund(&ev, main, &mut bufs, &mut sums, out, obs)?;
    let priced = sums.main_paid;
    if !sums.primary_paid.is_zero() || sums.deferred.is_some() {
        coordination::limit_main_fund(&ev, main, &mut sums, out, obs);
    }
    timeliness::apply(&ev, main, input.as_of, &mut sums, out, obs)?;
    let holds = checks::run(&ev, (main, ev.masks, ev.any_mask), held_lines, out, obs)?;
    add_payer(out, &main.fund, sums.main_paid, PayerStatus::Claimable);
    let held = holds.amount(sums.main_paid, |i| bufs.state[i as usize].allowed);
    hold(&ev, &holds, &main.fund, held, out, obs);
    expected::apply(&ev, main, input.as_of, (sums.drg_rate, priced), out, obs);
    out.patient = sums.patient;
    out.penalty = sums.penalty;
    out.difference = sums.difference;
    Ok(())
}

/// Moves `amount` of `fund`'s claimable money to held, booked to the holding check.
fn hold<O: Observer>(
    ev: &Evaluation<'_>,
    holds: &checks::Holds,
    fund: &FundId,
    amount: Money,
    out: &mut Outcome,
    obs: &mut O,
) {
    let Some(rule) = &holds.rule else { return };
    if amount.is_zero() {
        return;
    }
    // A claim-level hold concerns the whole claim, not the lines other checks flagged.
    let lines: &[u32] = if holds.whole_claim { &[] } else { holds.lines };
    narrate!(obs, narration::Step::Held { check: rule, fund, amount, whole_claim: holds.whole_claim, lines });
    add_payer(out, fund, -amount, PayerStatus::Claimable);
    add_payer(out, fund, amount, PayerStatus::Held);
    let payer = Bucket::Payer(fund.clone());
    ev.record(out, rule, payer.clone(), -amount, PayerStatus::Claimable, lines);
    ev.record(out, rule, payer, amount, PayerStatus::Held, lines);
}

fn payer_amount(out: &Outcome, fund: &FundId, status: PayerStatus) -> Money {
    out.payers.iter().filter(|p| p.payer == *fund && p.status == status).map(|p| p.amount).sum()
}

fn add_payer(out: &mut Outcome, fund: &FundId, amount: Money, status: PayerStatus) {
    match out.payers.iter_mut().find(|p| p.payer == *fund && p.status == status) {
        Some(p) => p.amount += amount,
        None => out.payers.push(PayerAmount::new(fund.clone(), amount, status)),
    }
}

fn push_finding(
    out: &mut Outcome,
    code: &Arc<str>,
    severity: Severity,
    rule: &Arc<str>,
    message: &Text,
    lines: LineList,
) {
    out.findings.push(Finding { code: code.clone(), severity, rule: rule.clone(), message: message.clone(), lines });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_payable_is_a_thousand_times_the_largest_price() {
        assert_eq!(MAX_PAYABLE, Money::rounded(kongtun_core::money::MAX_AMOUNT * Decimal::ONE_THOUSAND));
    }
}
