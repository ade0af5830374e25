//! Evaluating one claim: primary tiers, main-fund pricing, coordination of benefits,
//! timeliness, checks. Every amount is added to its bucket and, when tracing, recorded
//! with the rule and lines it came from, so the buckets always add up to the charges.
//!
//! Order of work for a claim:
//! 1. each primary pack that applies (e.g. พรบ.) pays its tiers from the charges of the lines
//!    it covers, in order, each tier up to its limit;
//! 2. the main fund's rules price every line, first matching rule wins; a `drg` rule pays
//!    Adj.RW x rate once for the claim and collects every claimable line not yet taken;
//!    lines no rule takes go to the difference (finding `UNPRICED`);
//! 3. if a primary paid, the main fund pays at most the balance it left (coordination of
//!    benefits); the patient still owes excess only up to what is left uncovered;
//! 4. the main fund's timeliness: past the deadline its payment goes to the difference;
//!    otherwise, late, a percentage of its payment goes to the penalty;
//! 5. checks raise findings.
//!
//! An [`Observer`] sees which rules fired (coverage) and, when it asks, a narration of every
//! decision and its arithmetic (explain). The default observer does nothing and costs
//! nothing: the narration is never formatted.

use std::cell::RefCell;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use kongtun_core::calendar::FiscalYear;
use kongtun_core::claim::Claim;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// The most a rule's amount can be: a thousand times the largest accepted price
/// (10^13 baht), so a pack's arithmetic can never pay an absurd sum.
const MAX_PAYABLE: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);
use kongtun_core::outcome::{Bucket, Finding, LineList, Outcome, PayerAmount, PayerStatus, Severity, Text, TraceEntry};
use rust_decimal::Decimal;

use crate::error::EvalError;
use crate::expr::{self, ArithmeticError, EvalContext, Expr};
use crate::expr::{Conjunct, Split};
use crate::format::Destination;
use crate::pack::{Deadline, Pack, PriceBase, Rule};

/// Rule id of the coordination-of-benefits adjustment in traces.
pub const COB_RULE: &str = "cob";
/// Rule id of lines no rule priced.
pub const UNPRICED_RULE: &str = "unpriced";

/// Evaluation options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Record the trace (where every amount came from). Costs allocations.
    pub trace: bool,
}

/// Watches an evaluation: which rules and table rows fired, and (if it asks) why.
pub trait Observer {
    /// True to receive [`Observer::note`] narration (formatting it costs time).
    fn narrating(&self) -> bool {
        false
    }
    /// One step of the narration: a decision, the values it read, the arithmetic.
    fn note(&mut self, _text: String) {}
    /// A rule, tier, check or timeliness rule of `pack` fired (took lines, paid, raised).
    fn fired(&mut self, _pack: &Pack, _rule: &str) {}
    /// Row `row` of table `table` of `pack` matched a line that its rule then took.
    fn row_hit(&mut self, _pack: &Pack, _table: usize, _row: usize) {}
}

/// The observer that watches nothing.
pub struct Quiet;

impl Observer for Quiet {}

/// Narrates only when the observer wants it; the text is never built otherwise.
macro_rules! note {
    ($obs:expr, $($arg:tt)*) => {
        if $obs.narrating() {
            $obs.note(format!($($arg)*));
        }
    };
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
    /// Per line, the main pack's rules that name its code ([`Pack::code_index`]).
    masks: Vec<u64>,
    covered: Vec<bool>,
    state: Vec<LineState>,
    taken: Vec<u32>,
    lines: Vec<u32>,
    keys: Vec<NaiveDate>,
    group: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

struct Run<'a> {
    claim: &'a Claim,
    charges: &'a [Money],
    masks: &'a [u64],
    charged: Money,
    claimable_charged: Money,
    opts: Options,
}

impl<'a> Run<'a> {
    fn ctx(&'a self, line: Option<usize>, outputs: &'a [Decimal]) -> EvalContext<'a> {
        EvalContext {
            claim: self.claim,
            charged: self.charged,
            claimable_charged: self.claimable_charged,
            line: line.map(|i| (&self.claim.items[i], self.charges[i])),
            outputs,
        }
    }

    fn test(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal], rule: &str) -> Result<bool, EvalError> {
        e.test(&self.ctx(line, outputs)).map_err(|f| fault(rule, f))
    }

    /// An amount; an absent value (an optional field the claim lacks) pays nothing.
    fn money(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal], rule: &str) -> Result<Money, EvalError> {
        let n = e.number(&self.ctx(line, outputs)).map_err(|f| fault(rule, f))?;
        Ok(Money::rounded(n.unwrap_or_default().clamp(Decimal::ZERO, MAX_PAYABLE)))
    }

    fn number(
        &'a self,
        e: &Expr,
        line: Option<usize>,
        outputs: &'a [Decimal],
        rule: &str,
    ) -> Result<Option<Decimal>, EvalError> {
        e.number(&self.ctx(line, outputs)).map_err(|f| fault(rule, f))
    }

    fn trace(&self, out: &mut Outcome, rule: &Arc<str>, bucket: Bucket, amount: Money, pending: bool, lines: &[u32]) {
        if self.opts.trace && !amount.is_zero() {
            out.trace.push(TraceEntry { rule: rule.clone(), bucket, amount, pending, lines: lines.to_vec() });
        }
    }

    /// `line 2 ROOM-WARD 5 x 600.00`
    fn line_label(&self, i: usize) -> String {
        let l = &self.claim.items[i];
        format!("line {i} {} {} x {}", l.code, l.qty, l.price.grouped())
    }

    /// `(line.code = "ROOM-WARD", line.qty = 5)`: the values a condition read.
    fn values_read(&'a self, e: &Expr, line: Option<usize>, outputs: &'a [Decimal]) -> String {
        let mut fields = Vec::new();
        e.fields(&mut fields);
        fields.dedup();
        let ctx = self.ctx(line, outputs);
        let parts: Vec<String> = fields.iter().map(|f| format!("{} = {}", f.name(), expr::field(*f, &ctx))).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }
}

/// Shows an optional value, or `absent`, without building a string.
struct OptDisplay<T>(Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for OptDisplay<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("absent"),
        }
    }
}

fn fault(rule: &str, f: ArithmeticError) -> EvalError {
    EvalError::Arithmetic { rule: rule.to_string(), message: f.0 }
}

/// `49,800.00 (tka_ceiling)`: an amount and the parameter or table row it came from.
fn amount_source(e: &Expr, value: Money, pack: &Pack, table_row: Option<(usize, usize)>) -> String {
    match e {
        Expr::Param(name, _) => format!("{} ({name})", value.grouped()),
        Expr::Output(o) => match table_row {
            Some((t, r)) => {
                let table = &pack.tables[t];
                let src = table.rows[r].sources.get(*o).cloned().flatten();
                let named = src.map(|p| format!("{p}, ")).unwrap_or_default();
                format!("{} ({named}table {} row {})", value.grouped(), table.name, r + 1)
            }
            None => value.grouped(),
        },
        _ => value.grouped(),
    }
}

fn dest_name(d: Destination) -> &'static str {
    match d {
        Destination::Patient => "patient",
        Destination::Difference => "difference",
    }
}

/// Evaluates `claim` under `main` and the `primaries` that apply, into `out`.
pub(crate) fn evaluate<O: Observer>(
    main: &Pack,
    primaries: &[&Pack],
    claim: &Claim,
    as_of: NaiveDate,
    opts: Options,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => evaluate_with(main, primaries, claim, as_of, opts, out, obs, &mut scratch),
        // Re-entered from an observer: use fresh buffers rather than fail.
        Err(_) => evaluate_with(main, primaries, claim, as_of, opts, out, obs, &mut Scratch::default()),
    })
}

#[allow(clippy::too_many_arguments)]
fn evaluate_with<O: Observer>(
    main: &Pack,
    primaries: &[&Pack],
    claim: &Claim,
    as_of: NaiveDate,
    opts: Options,
    out: &mut Outcome,
    obs: &mut O,
    scratch: &mut Scratch,
) -> Result<(), EvalError> {
    out.clear();
    let Scratch { charges, masks, covered, state, taken, lines, keys, group } = scratch;
    charges.clear();
    charges.extend(claim.items.iter().map(|l| l.charged()));
    masks.clear();
    if !main.code_index.is_empty() {
        masks.extend(claim.items.iter().map(|l| main.code_index.mask(&l.code)));
    }
    let charged: Money = charges.iter().sum();
    let claimable_charged = claim.items.iter().zip(charges.iter()).filter(|(l, _)| l.claimable).map(|(_, c)| *c).sum();
    let run = Run { claim, charges, masks, charged, claimable_charged, opts };
    out.id.push_str(&claim.id);
    out.fund = Some(claim.fund.clone());
    out.setting = Some(claim.setting);
    out.service_date = Some(claim.service_date);
    out.claim_date = Some(claim.claim_date());
    out.fiscal_year = Some(claim.fiscal_year());
    out.submitted = claim.submitted;
    out.charged = charged;
    note!(
        obs,
        "claim {} ({}, {}), claim date {}: charged {}",
        claim.id,
        claim.fund,
        claim.setting.as_str(),
        claim.claim_date(),
        charged.grouped()
    );

    // 1. primary payers
    covered.clear();
    covered.resize(claim.items.len(), false);
    let mut primary_paid = Money::ZERO;
    let mut basis = Money::ZERO;
    for pack in primaries {
        out.packs.push(pack.label.clone());
        lines.clear();
        for (i, is_covered) in covered.iter_mut().enumerate() {
            if run.test(&pack.covers, Some(i), &[], &pack.id)? {
                if !*is_covered {
                    basis += run.charges[i];
                }
                *is_covered = true;
                lines.push(i as u32);
            }
        }
        note!(obs, "{} pays first (primary): covered lines {lines:?}, charges {}", pack.label, basis.grouped());
        let mut remaining = (basis - primary_paid).max(Money::ZERO);
        for tier in &pack.tiers {
            if let Some(when) = &tier.when {
                if !run.test(when, None, &[], &tier.id)? {
                    let src = tier.when_src.as_deref().unwrap_or_default();
                    note!(obs, "  {}: not paid: `{src}` is false{}", tier.id, run.values_read(when, None, &[]));
                    continue;
                }
            }
            let limit = run.money(&tier.limit, None, &[], &tier.id)?;
            let amount = limit.min(remaining);
            let pending = match &tier.pending_when {
                Some(p) => run.test(p, None, &[], &tier.id)?,
                None => false,
            };
            let status = if pending { PayerStatus::Pending } else { PayerStatus::Claimable };
            note!(
                obs,
                "  {}: min(limit {}, left {}) = {} -> {} {}",
                tier.id,
                amount_source(&tier.limit, limit, pack, None),
                remaining.grouped(),
                amount.grouped(),
                pack.fund,
                if pending { "pending" } else { "claimable" }
            );
            if amount.is_zero() {
                continue;
            }
            obs.fired(pack, &tier.id);
            add_payer(out, &pack.fund, amount, status);
            run.trace(out, &tier.id, Bucket::Payer(pack.fund.clone()), amount, pending, lines);
            remaining -= amount;
            primary_paid += amount;
        }
        run_checks(&run, pack, out, obs)?;
    }
    out.packs.push(main.label.clone());
    note!(
        obs,
        "{} prices the lines (main fund {}; money above a cap goes to the {} by default)",
        main.label,
        main.fund,
        dest_name(main.excess)
    );

    // 2. main fund pricing
    state.clear();
    state.resize(claim.items.len(), LineState::default());
    let mut main_paid = Money::ZERO;
    let mut patient = Money::ZERO;
    let mut patient_covered = Money::ZERO;
    let mut difference = Money::ZERO;
    let mut drg_paid = false;
    let payer = Bucket::Payer(main.fund.clone());
    for (r, rule) in main.rules.iter().enumerate() {
        if let PriceBase::Drg(rate_expr) = &rule.pricing.base {
            if drg_paid {
                continue;
            }
            if let Some(when) = &rule.when {
                if !run.test(when, None, &[], &rule.id)? {
                    let src = rule.when_src.as_deref().unwrap_or_default();
                    note!(obs, "  {}: not paid: `{src}` is false{}", rule.id, run.values_read(when, None, &[]));
                    continue;
                }
            }
            drg_paid = true;
            lines.clear();
            let mut collected = Money::ZERO;
            for (i, st) in state.iter_mut().enumerate() {
                if st.rule.is_none() && claim.items[i].claimable {
                    st.rule = Some(r);
                    collected += run.charges[i];
                    lines.push(i as u32);
                }
            }
            let rate = run.money(rate_expr, None, &[], &rule.id)?;
            let amount = match claim.adj_rw {
                Some(rw) => rate.times(rw),
                None => Money::ZERO,
            };
            match claim.adj_rw {
                Some(rw) => note!(
                    obs,
                    "  {}: Adj.RW {rw} x {} = {} -> {}, once for the admission; lines {lines:?} charged {} - {} = {} -> difference",
                    rule.id,
                    amount_source(rate_expr, rate, main, None),
                    amount.grouped(),
                    main.fund,
                    collected.grouped(),
                    amount.grouped(),
                    (collected - amount).grouped()
                ),
                None => note!(obs, "  {}: no Adj.RW on the claim: DRG pays 0; lines {lines:?} charged {} -> difference", rule.id, collected.grouped()),
            }
            obs.fired(main, &rule.id);
            main_paid += amount;
            difference += collected - amount;
            run.trace(out, &rule.id, payer.clone(), amount, false, lines);
            run.trace(out, &rule.id, Bucket::Difference, collected - amount, false, lines);
            continue;
        }
        price_rule(&run, main, r, rule, state, taken, (keys, group), obs)?;
        if taken.is_empty() {
            continue;
        }
        obs.fired(main, &rule.id);
        let allowed: Money = taken.iter().map(|i| state[*i as usize].allowed).sum();
        let taken_charges: Money = taken.iter().map(|i| run.charges[*i as usize]).sum();
        let rest = taken_charges - allowed;
        main_paid += allowed;
        run.trace(out, &rule.id, payer.clone(), allowed, false, taken);
        match rule.rest {
            Destination::Patient => {
                patient += rest;
                patient_covered += taken
                    .iter()
                    .filter(|i| covered[**i as usize])
                    .map(|i| run.charges[*i as usize] - state[*i as usize].allowed)
                    .sum::<Money>();
                run.trace(out, &rule.id, Bucket::Patient, rest, false, taken);
            }
            Destination::Difference => {
                difference += rest;
                run.trace(out, &rule.id, Bucket::Difference, rest, false, taken);
            }
        }
    }
    let unpriced: LineList = (0..claim.items.len()).filter(|i| state[*i].rule.is_none()).map(|i| i as u32).collect();
    if !unpriced.is_empty() {
        let amount: Money = unpriced.iter().map(|i| run.charges[*i as usize]).sum();
        note!(obs, "  unpriced: no rule took lines {unpriced:?}: {} -> difference", amount.grouped());
        difference += amount;
        let b = &main.builtin;
        run.trace(out, &b.unpriced, Bucket::Difference, amount, false, &unpriced);
        out.findings.push(Finding {
            code: b.unpriced_code.clone(),
            severity: Severity::Warning,
            rule: b.unpriced.clone(),
            message: b.unpriced_message.clone(),
            lines: unpriced,
        });
    }

    // 3. coordination of benefits: the main fund pays at most the balance a primary left
    if !primary_paid.is_zero() {
        let cob = &main.builtin.cob;
        let balance = (basis - primary_paid).max(Money::ZERO);
        let paid = main_paid.min(balance);
        let cut = main_paid - paid;
        let uncovered = balance - paid;
        let patient_after = (patient - patient_covered) + patient_covered.min(uncovered).max(Money::ZERO);
        let patient_delta = patient_after - patient;
        let difference_delta = cut - primary_paid - patient_delta;
        note!(
            obs,
            "  cob: primary paid {} of {}; {} would pay {}, pays at most the balance {} -> {}; patient owes {} (excess up to what is uncovered)",
            primary_paid.grouped(),
            basis.grouped(),
            main.fund,
            main_paid.grouped(),
            balance.grouped(),
            paid.grouped(),
            patient_after.grouped()
        );
        run.trace(out, cob, payer.clone(), -cut, false, &[]);
        run.trace(out, cob, Bucket::Patient, patient_delta, false, &[]);
        run.trace(out, cob, Bucket::Difference, difference_delta, false, &[]);
        main_paid = paid;
        patient = patient_after;
        difference += difference_delta;
    }

    // 4. timeliness of the main fund's payment
    let sent = claim.submitted.unwrap_or(as_of);
    let sent_basis = if claim.submitted.is_some() { "submitted" } else { "as of" };
    let claim_date = claim.claim_date();
    let mut penalty = Money::ZERO;
    let mut expired = false;
    if let Some(expiry) = &main.expiry {
        let deadline = match &expiry.deadline {
            Deadline::FiscalYears(n) => Some(FiscalYear::of(claim_date).plus(*n as i32).last_day()),
            Deadline::Days(days) => run
                .number(days, None, &[], &expiry.id)?
                .and_then(|d| i64::try_from(d.trunc()).ok())
                .and_then(|d| claim_date.checked_add_signed(chrono::Duration::try_days(d)?)),
        };
        if deadline.is_some_and(|d| sent > d) {
            note!(
                obs,
                "  {}: {sent_basis} {sent} is after the deadline {}: {} -> difference",
                expiry.id,
                deadline.map(|d| d.to_string()).unwrap_or_default(),
                main_paid.grouped()
            );
            obs.fired(main, &expiry.id);
            expired = true;
            run.trace(out, &expiry.id, payer.clone(), -main_paid, false, &[]);
            run.trace(out, &expiry.id, Bucket::Difference, main_paid, false, &[]);
            difference += main_paid;
            main_paid = Money::ZERO;
            push_finding(out, &expiry.finding.code, expiry.finding.severity, &expiry.id, &expiry.finding.message);
        } else {
            note!(
                obs,
                "  {}: {sent_basis} {sent}, deadline {}: in time",
                expiry.id,
                deadline.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
    if let (Some(late), false) = (&main.late, expired) {
        let window = run.number(&late.after_days, None, &[], &late.id)?;
        let days = (sent - claim_date).num_days();
        // Displayed only in narration; formatting it costs nothing when nobody listens.
        let window_text = OptDisplay(window);
        if window.is_some_and(|w| Decimal::from(days) > w) {
            let pct = run.number(&late.penalty_percent, None, &[], &late.id)?.unwrap_or_default();
            let cut = main_paid.percent(pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED));
            note!(obs, "  {}: {sent_basis} {sent}, {days} days after {claim_date} > {window_text}: {pct}% of {} = {} -> penalty", late.id, main_paid.grouped(), cut.grouped());
            obs.fired(main, &late.id);
            run.trace(out, &late.id, payer.clone(), -cut, false, &[]);
            run.trace(out, &late.id, Bucket::Penalty, cut, false, &[]);
            main_paid -= cut;
            penalty += cut;
            push_finding(out, &late.finding.code, late.finding.severity, &late.id, &late.finding.message);
        } else {
            note!(
                obs,
                "  {}: {sent_basis} {sent}, {days} days after {claim_date}, window {window_text}: not late",
                late.id
            );
        }
    }
    add_payer(out, &main.fund, main_paid, PayerStatus::Claimable);
    out.patient = patient;
    out.penalty = penalty;
    out.difference = difference;

    // 5. checks
    run_checks(&run, main, out, obs)?;
    Ok(())
}

/// A line condition through its [`Split`]: the same value and the same faults as testing
/// the condition itself, without re-evaluating the claim-level conjuncts on every line (their
/// value is kept in `claim_part`), and with the common line tests done directly.
fn holds(
    run: &Run<'_>,
    split: &Split,
    id: &str,
    (i, outputs): (usize, &[Decimal]),
    claim_part: &mut Option<bool>,
) -> Result<bool, EvalError> {
    if let Some(claim) = &split.claim {
        let value = match *claim_part {
            Some(v) => v,
            None => *claim_part.insert(run.test(claim, Some(i), outputs, id)?),
        };
        if !value {
            return Ok(false);
        }
    }
    let line = &run.claim.items[i];
    for part in split.line.iter() {
        let ok = match part {
            Conjunct::Fast(test) => test.holds(line),
            Conjunct::Expr(e) => run.test(e, Some(i), outputs, id)?,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Takes every free line the rule matches and sets what the payer allows for it.
#[allow(clippy::needless_range_loop, clippy::too_many_arguments)] // the line index is what rules, tables and traces use
fn price_rule<O: Observer>(
    run: &Run<'_>,
    pack: &Pack,
    r: usize,
    rule: &Rule,
    state: &mut [LineState],
    taken: &mut Vec<u32>,
    (keys, group): (&mut Vec<NaiveDate>, &mut Vec<u32>),
    obs: &mut O,
) -> Result<(), EvalError> {
    taken.clear();
    let table = rule.table.map(|t| (t, &pack.tables[t]));
    // The value of the leading claim-level conjuncts of `when`, once a line reaches them.
    let mut claim_part: Option<bool> = None;
    // Shortcuts that change nothing but the narration, so only taken when no one listens:
    // lines whose code the rule cannot take are passed over, and a rule without a table
    // whose claim-level part is false stops at once (every line would be false).
    let quiet = !obs.narrating();
    let code_bit = rule.code_bit.filter(|_| quiet && !run.masks.is_empty());
    for i in 0..state.len() {
        if state[i].rule.is_some() {
            continue;
        }
        if code_bit.is_some_and(|bit| run.masks[i] & bit == 0) {
            continue;
        }
        if quiet && table.is_none() && claim_part == Some(false) {
            break;
        }
        let row = match table {
            Some((t, tab)) => match tab.lookup(&run.ctx(Some(i), &[])).map_err(|f| fault(&rule.id, f))? {
                Some(row) => Some((t, row)),
                None => {
                    note!(obs, "  {}: {}: no row of table {} matches", rule.id, run.line_label(i), tab.name);
                    continue;
                }
            },
            None => None,
        };
        let outputs: &[Decimal] = match row {
            Some((t, row)) => &pack.tables[t].rows[row].outputs,
            None => &[],
        };
        if let (Some(when), Some(split)) = (&rule.when, &rule.when_split) {
            if !holds(run, split, &rule.id, (i, outputs), &mut claim_part)? {
                let src = rule.when_src.as_deref().unwrap_or_default();
                note!(
                    obs,
                    "  {}: {}: `{src}` is false{}",
                    rule.id,
                    run.line_label(i),
                    run.values_read(when, Some(i), outputs)
                );
                continue;
            }
        }
        if let Some((t, row)) = row {
            obs.row_hit(pack, t, row);
        }
        let line = &run.claim.items[i];
        let charge = run.charges[i];
        // The narration of the arithmetic is only built when an observer asks for it.
        let narrating = obs.narrating();
        let (mut allowed, how) = match &rule.pricing.base {
            PriceBase::Charged => (charge, narrating.then(|| "as charged".to_string())),
            PriceBase::Nothing | PriceBase::Drg(_) => (Money::ZERO, narrating.then(|| "pays nothing".to_string())),
            PriceBase::PerUnit(rate_expr) => {
                let rate = run.money(rate_expr, Some(i), outputs, &rule.id)?;
                let allowed = line.price.min(rate).times(line.qty);
                (allowed, narrating.then(|| format!("cap {} per unit", amount_source(rate_expr, rate, pack, row))))
            }
            PriceBase::Tiered(first_expr, next_expr) => {
                let first = run.money(first_expr, Some(i), outputs, &rule.id)?;
                let next = run.money(next_expr, Some(i), outputs, &rule.id)?;
                let further = (line.qty - Decimal::ONE).max(Decimal::ZERO);
                let cap = first + next.times(further);
                let how = narrating.then(|| {
                    format!(
                        "cap {} + {} x {further} = {}",
                        amount_source(first_expr, first, pack, row),
                        amount_source(next_expr, next, pack, row),
                        cap.grouped()
                    )
                });
                (charge.min(cap), how)
            }
        };
        if let Some(pct) = &rule.pricing.percent {
            let pct = run.number(pct, Some(i), outputs, &rule.id)?.unwrap_or_default();
            allowed = allowed.percent(pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED));
        }
        let allowed = allowed.max(Money::ZERO).min(charge);
        note!(
            obs,
            "  {}: {}: {} -> {} {}; {} -> {}",
            rule.id,
            run.line_label(i),
            how.unwrap_or_default(),
            pack.fund,
            allowed.grouped(),
            (charge - allowed).grouped(),
            dest_name(rule.rest)
        );
        state[i] = LineState { rule: Some(r), allowed };
        taken.push(i as u32);
    }
    if let Some((first_expr, next_expr)) = &rule.pricing.per_day {
        let first = run.money(first_expr, None, &[], &rule.id)?;
        let next = run.money(next_expr, None, &[], &rule.id)?;
        let earliest = taken.iter().map(|i| line_date(run, *i)).min();
        cap_groups(
            taken,
            state,
            (&mut *keys, &mut *group),
            |i| line_date(run, i),
            |key| if Some(key) == earliest { first } else { next },
            |day, total, cap| {
                let which = if Some(day) == earliest { ("first day", first_expr) } else { ("later day", next_expr) };
                note!(
                    obs,
                    "  {}: {} {day}: lines total {} capped at {}",
                    rule.id,
                    which.0,
                    total.grouped(),
                    amount_source(which.1, cap, pack, None)
                );
            },
        );
    }
    if let Some(cap_expr) = &rule.pricing.per_week {
        let cap = run.money(cap_expr, None, &[], &rule.id)?;
        cap_groups(
            taken,
            state,
            (&mut *keys, &mut *group),
            |i| iso_week_start(line_date(run, i)),
            |_| cap,
            |monday, total, cap| {
                note!(
                    obs,
                    "  {}: week of {monday}: lines total {} capped at {}",
                    rule.id,
                    total.grouped(),
                    amount_source(cap_expr, cap, pack, None)
                );
            },
        );
    }
    Ok(())
}

fn line_date(run: &Run<'_>, i: u32) -> NaiveDate {
    run.claim.items[i as usize].date.unwrap_or(run.claim.service_date)
}

/// The Monday of a day's ISO week: the key of per-week caps.
fn iso_week_start(d: NaiveDate) -> NaiveDate {
    d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Caps the allowed amounts of each group of lines; a cut is taken from the group's last
/// lines first, so every line keeps a definite amount. `capped` hears of each cut.
fn cap_groups(
    taken: &[u32],
    state: &mut [LineState],
    (keys, group): (&mut Vec<NaiveDate>, &mut Vec<u32>),
    key: impl Fn(u32) -> NaiveDate,
    cap: impl Fn(NaiveDate) -> Money,
    mut capped: impl FnMut(NaiveDate, Money, Money),
) {
    // Lines sorted by group, in line order within a group: one pass over runs, n log n.
    group.clear();
    group.extend_from_slice(taken);
    group.sort_by_key(|i| (key(*i), *i));
    keys.clear();
    keys.extend(group.iter().map(|i| key(*i)));
    let mut start = 0;
    while start < group.len() {
        let k = keys[start];
        let end = start + keys[start..].iter().take_while(|x| **x == k).count();
        let run = &group[start..end];
        let total: Money = run.iter().map(|i| state[*i as usize].allowed).sum();
        let limit = cap(k);
        if total > limit {
            capped(k, total, limit);
            let mut excess = total - limit;
            for i in run.iter().rev() {
                if excess.is_zero() {
                    break;
                }
                let st = &mut state[*i as usize];
                let cut = st.allowed.min(excess);
                st.allowed -= cut;
                excess -= cut;
            }
        }
        start = end;
    }
}

fn add_payer(out: &mut Outcome, fund: &FundId, amount: Money, status: PayerStatus) {
    match out.payers.iter_mut().find(|p| p.payer == *fund && p.status == status) {
        Some(p) => p.amount += amount,
        None => out.payers.push(PayerAmount { payer: fund.clone(), amount, status }),
    }
}

fn push_finding(out: &mut Outcome, code: &Arc<str>, severity: Severity, rule: &Arc<str>, message: &Text) {
    out.findings.push(Finding {
        code: code.clone(),
        severity,
        rule: rule.clone(),
        message: message.clone(),
        lines: LineList::new(),
    });
}

fn run_checks<O: Observer>(run: &Run<'_>, pack: &Pack, out: &mut Outcome, obs: &mut O) -> Result<(), EvalError> {
    for check in &pack.checks {
        if check.per_line {
            let mut lines = LineList::new();
            let mut claim_part = None;
            for i in 0..run.claim.items.len() {
                if holds(run, &check.when_split, &check.id, (i, &[]), &mut claim_part)? {
                    note!(
                        obs,
                        "  check {} ({}): {}: `{}` is true{}",
                        check.id,
                        check.code,
                        run.line_label(i),
                        check.when_src,
                        run.values_read(&check.when, Some(i), &[])
                    );
                    lines.push(i as u32);
                }
            }
            if lines.is_empty() {
                note!(obs, "  check {} ({}): no line matches `{}`", check.id, check.code, check.when_src);
            } else {
                obs.fired(pack, &check.id);
                out.findings.push(Finding {
                    code: check.code.clone(),
                    severity: check.severity,
                    rule: check.id.clone(),
                    message: check.message.clone(),
                    lines,
                });
            }
        } else if run.test(&check.when, None, &[], &check.id)? {
            note!(
                obs,
                "  check {} ({}): `{}` is true{} -> {}",
                check.id,
                check.code,
                check.when_src,
                run.values_read(&check.when, None, &[]),
                check.severity.as_str()
            );
            obs.fired(pack, &check.id);
            push_finding(out, &check.code, check.severity, &check.id, &check.message);
        } else {
            note!(
                obs,
                "  check {} ({}): `{}` is false{}",
                check.id,
                check.code,
                check.when_src,
                run.values_read(&check.when, None, &[])
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_payable_is_a_thousand_times_the_largest_price() {
        assert_eq!(MAX_PAYABLE, kongtun_core::money::MAX_AMOUNT * Decimal::ONE_THOUSAND);
    }
}
