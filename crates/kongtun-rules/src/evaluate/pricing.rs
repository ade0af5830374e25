//! Phase 2, main-fund pricing: the main pack's rules take the lines, first matching rule
//! wins; a `drg` rule pays Adj.RW x rate once for the claim and collects every claimable
//! line not yet taken; lines no rule takes go to the difference (finding `UNPRICED`).

use chrono::{Datelike, NaiveDate};
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, LineList, Outcome, PayerStatus, Severity};
use rust_decimal::Decimal;

use super::narration::{Group, LinePricing, Observer, Step};
use super::{amount, fault, narrate, push_finding, Evaluation, LineState, Sums};
use crate::error::EvalError;
use crate::expr::{Conjunct, Expr, Split};
use crate::format::Destination;
use crate::pack::{GroupCap, Pack, PriceBase, Rule};

/// The per-line buffers pricing works in (reused across claims).
pub(super) struct Buffers<'s> {
    /// Lines a primary covers.
    pub covered: &'s [bool],
    /// Per line: the rule that took it and what it allows.
    pub state: &'s mut [LineState],
    /// Lines the current rule took.
    pub taken: &'s mut Vec<u32>,
    /// Lines a DRG rule collected.
    pub lines: &'s mut Vec<u32>,
    /// Group keys and members of group caps.
    pub keys: &'s mut Vec<NaiveDate>,
    /// Lines sorted by group.
    pub group: &'s mut Vec<u32>,
}

/// Prices every line under the main pack.
pub(super) fn price_main_fund<O: Observer>(
    ev: &Evaluation<'_>,
    main: &Pack,
    bufs: &mut Buffers<'_>,
    sums: &mut Sums,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    out.packs.push(main.label.clone());
    narrate!(obs, Step::MainPrices { pack: &main.label, fund: &main.fund, excess: main.excess });
    let payer = Bucket::Payer(main.fund.clone());
    let mut drg_paid = false;
    for (r, rule) in main.rules.iter().enumerate() {
        if let PriceBase::Drg(rate_expr) = &rule.pricing.base {
            if drg_paid {
                continue;
            }
            if let (Some(when), Some(split)) = (&rule.when, &rule.when_split) {
                if !ev.claim_condition(when, split, &rule.id)? {
                    narrate!(
                        obs,
                        Step::NotPaid {
                            rule: &rule.id,
                            condition: rule.when_src.as_deref().unwrap_or_default(),
                            values: ev.values_read(when, None, &[]),
                        }
                    );
                    continue;
                }
            }
            drg_paid = true;
            bufs.lines.clear();
            let mut collected = Money::ZERO;
            let lines = bufs.state.iter_mut().zip(&ev.claim.items).zip(ev.charges.iter()).enumerate();
            for (i, ((st, line), charge)) in lines {
                if st.rule.is_none() && line.claimable {
                    st.rule = Some(r);
                    collected += *charge;
                    bufs.lines.push(i as u32);
                }
            }
            let rate = ev.money(rate_expr, None, &[], &rule.id)?;
            let paid = match ev.claim.adj_rw {
                Some(rw) => {
                    sums.drg_rate = Some(rate);
                    rate.times(rw)
                }
                None => Money::ZERO,
            };
            let lines = &bufs.lines[..];
            match ev.claim.adj_rw {
                Some(adj_rw) => narrate!(
                    obs,
                    Step::DrgPaid {
                        rule: &rule.id,
                        adj_rw,
                        rate: amount(rate_expr, rate, main, None),
                        amount: paid,
                        payer: &main.fund,
                        lines,
                        collected,
                    }
                ),
                None => narrate!(obs, Step::DrgWithoutAdjRw { rule: &rule.id, lines, collected }),
            }
            obs.fired(main, &rule.id);
            sums.main_paid += paid;
            sums.difference += collected - paid;
            ev.record(out, &rule.id, payer.clone(), paid, PayerStatus::Claimable, lines);
            ev.record(out, &rule.id, Bucket::Difference, collected - paid, PayerStatus::Claimable, lines);
            continue;
        }
        price_rule(ev, main, r, rule, bufs, obs)?;
        let taken = &bufs.taken[..];
        if taken.is_empty() {
            continue;
        }
        obs.fired(main, &rule.id);
        let allowed: Money = taken.iter().map(|i| bufs.state[*i as usize].allowed).sum();
        let taken_charges: Money = taken.iter().map(|i| ev.charges[*i as usize]).sum();
        let rest = taken_charges - allowed;
        sums.main_paid += allowed;
        ev.record(out, &rule.id, payer.clone(), allowed, PayerStatus::Claimable, taken);
        match rule.rest {
            Destination::Patient => {
                sums.patient += rest;
                sums.patient_covered += taken
                    .iter()
                    .filter(|i| bufs.covered[**i as usize])
                    .map(|i| ev.charges[*i as usize] - bufs.state[*i as usize].allowed)
                    .sum::<Money>();
                ev.record(out, &rule.id, Bucket::Patient, rest, PayerStatus::Claimable, taken);
            }
            Destination::Difference => {
                sums.difference += rest;
                ev.record(out, &rule.id, Bucket::Difference, rest, PayerStatus::Claimable, taken);
            }
        }
    }
    let unpriced: LineList =
        (0..ev.claim.items.len()).filter(|i| bufs.state[*i].rule.is_none()).map(|i| i as u32).collect();
    if !unpriced.is_empty() {
        let amount: Money = unpriced.iter().map(|i| ev.charges[*i as usize]).sum();
        narrate!(obs, Step::Unpriced { lines: &unpriced, amount });
        sums.difference += amount;
        let b = &main.builtin;
        ev.record(out, &b.unpriced, Bucket::Difference, amount, PayerStatus::Claimable, &unpriced);
        push_finding(out, &b.unpriced_code, Severity::Warning, &b.unpriced, &b.unpriced_message, unpriced);
    }
    Ok(())
}

/// A line condition through its [`Split`]: the same value and the same faults as testing
/// the condition itself, without re-evaluating the claim-level conjuncts on every line (their
/// value is kept in `claim_part`), and with the common line tests done directly.
#[inline]
pub(super) fn line_condition_holds(
    ev: &Evaluation<'_>,
    split: &Split,
    id: &str,
    (i, outputs): (usize, &[Decimal]),
    claim_part: &mut Option<bool>,
) -> Result<bool, EvalError> {
    if split.fast {
        return Ok(split.line_tests_hold(&ev.claim.items[i]));
    }
    split_condition_holds(ev, split, id, (i, outputs), claim_part)
}

/// [`line_condition_holds`] for a condition with a claim-level part or an expression.
fn split_condition_holds(
    ev: &Evaluation<'_>,
    split: &Split,
    id: &str,
    (i, outputs): (usize, &[Decimal]),
    claim_part: &mut Option<bool>,
) -> Result<bool, EvalError> {
    if split.claim.is_some() {
        let value = match *claim_part {
            Some(v) => v,
            None => *claim_part.insert(split.claim_value(ev.claim, |rest| ev.test(rest, Some(i), outputs, id))?),
        };
        if !value {
            return Ok(false);
        }
    }
    let line = &ev.claim.items[i];
    for part in split.line.iter() {
        let ok = match part {
            Conjunct::Fast(test) => test.holds(line),
            Conjunct::Expr(e) => ev.test(e, Some(i), outputs, id)?,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Takes every free line the rule matches and sets what the payer allows for it.
fn price_rule<O: Observer>(
    ev: &Evaluation<'_>,
    pack: &Pack,
    r: usize,
    rule: &Rule,
    bufs: &mut Buffers<'_>,
    obs: &mut O,
) -> Result<(), EvalError> {
    bufs.taken.clear();
    let table = rule.table.map(|t| (t, &pack.tables[t]));
    // The value of the leading claim-level conjuncts of `when`, once a line reaches them.
    let mut claim_part: Option<bool> = None;
    // Shortcuts that change nothing but the narration, so only taken when no one listens:
    // lines whose code the rule cannot take are passed over, and a rule without a table
    // whose claim-level part is false stops at once (every line would be false).
    let quiet = !obs.narrating();
    let code_bit = rule.code_bit.filter(|_| quiet && !ev.masks.is_empty());
    // No line has the rule's codes: there is nothing to take.
    let lines_to_test = if code_bit.is_some_and(|bit| ev.any_mask & bit == 0) { 0 } else { bufs.state.len() };
    for i in 0..lines_to_test {
        if bufs.state[i].rule.is_some() {
            continue;
        }
        if code_bit.is_some_and(|bit| ev.masks[i] & bit == 0) {
            continue;
        }
        if quiet && table.is_none() && claim_part == Some(false) {
            break;
        }
        let row = match table {
            Some((t, tab)) => match tab.lookup(&ev.context(Some(i), &[])).map_err(|f| fault(&rule.id, f))? {
                Some(row) => Some((t, row)),
                None => {
                    narrate!(obs, Step::NoTableRow { rule: &rule.id, line: ev.line_ref(i), table: &tab.name });
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
            if !line_condition_holds(ev, split, &rule.id, (i, outputs), &mut claim_part)? {
                narrate!(
                    obs,
                    Step::LineNotTaken {
                        rule: &rule.id,
                        line: ev.line_ref(i),
                        condition: rule.when_src.as_deref().unwrap_or_default(),
                        values: ev.values_read(when, Some(i), outputs),
                    }
                );
                continue;
            }
        }
        if let Some((t, row)) = row {
            obs.row_hit(pack, t, row);
        }
        let line = &ev.claim.items[i];
        let charge = ev.charges[i];
        let (mut allowed, pricing) = match &rule.pricing.base {
            PriceBase::Charged => (charge, LinePricing::AsCharged),
            PriceBase::Nothing | PriceBase::Drg(_) => (Money::ZERO, LinePricing::Nothing),
            PriceBase::PerUnit(rate_expr) => {
                let rate = ev.money(rate_expr, Some(i), outputs, &rule.id)?;
                let allowed = line.price.min(rate).times(line.qty);
                (allowed, LinePricing::CapPerUnit(amount(rate_expr, rate, pack, row)))
            }
            PriceBase::Tiered(first_expr, next_expr) => {
                let first = ev.money(first_expr, Some(i), outputs, &rule.id)?;
                let next = ev.money(next_expr, Some(i), outputs, &rule.id)?;
                let further = (line.qty - Decimal::ONE).max(Decimal::ZERO);
                let cap = first + next.times(further);
                let first = amount(first_expr, first, pack, row);
                let next = amount(next_expr, next, pack, row);
                (charge.min(cap), LinePricing::Tiered { first, next, further, cap })
            }
        };
        if let Some(pct) = &rule.pricing.percent {
            let pct = ev.number(pct, Some(i), outputs, &rule.id)?.unwrap_or_default();
            allowed = allowed.percent(pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED));
        }
        let allowed = allowed.max(Money::ZERO).min(charge);
        narrate!(
            obs,
            Step::LinePriced {
                rule: &rule.id,
                line: ev.line_ref(i),
                pricing,
                payer: &pack.fund,
                allowed,
                rest: charge - allowed,
                rest_to: rule.rest,
            }
        );
        bufs.state[i] = LineState { rule: Some(r), allowed };
        bufs.taken.push(i as u32);
    }
    // With no line taken, caps change nothing; only a cap that could fault must still be
    // evaluated, so that the fault stays.
    if bufs.taken.is_empty() && rule.pricing.caps.iter().all(constant_cap) {
        return Ok(());
    }
    for cap in &rule.pricing.caps {
        match cap {
            GroupCap::Day(first_expr, next_expr) => {
                let first = ev.money(first_expr, None, &[], &rule.id)?;
                let next = ev.money(next_expr, None, &[], &rule.id)?;
                let earliest = bufs.taken.iter().map(|i| line_date(ev, *i)).min();
                cap_groups(
                    bufs,
                    |i| line_date(ev, i),
                    |key| if Some(key) == earliest { first } else { next },
                    |day, total, cap| {
                        let (group, cap_expr) = if Some(day) == earliest {
                            (Group::FirstDay(day), first_expr)
                        } else {
                            (Group::LaterDay(day), next_expr)
                        };
                        let cap = amount(cap_expr, cap, pack, None);
                        narrate!(obs, Step::GroupCapped { rule: &rule.id, group, total, cap });
                    },
                );
            }
            GroupCap::Week(cap_expr) => {
                let cap = ev.money(cap_expr, None, &[], &rule.id)?;
                cap_groups(
                    bufs,
                    |i| iso_week_start(line_date(ev, i)),
                    |_| cap,
                    |monday, total, cap| {
                        let cap = amount(cap_expr, cap, pack, None);
                        narrate!(obs, Step::GroupCapped { rule: &rule.id, group: Group::Week(monday), total, cap });
                    },
                );
            }
            GroupCap::Month(cap_expr) => {
                let cap = ev.money(cap_expr, None, &[], &rule.id)?;
                cap_groups(
                    bufs,
                    |i| month_start(line_date(ev, i)),
                    |_| cap,
                    |first, total, cap| {
                        let cap = amount(cap_expr, cap, pack, None);
                        narrate!(obs, Step::GroupCapped { rule: &rule.id, group: Group::Month(first), total, cap });
                    },
                );
            }
            GroupCap::Claim(cap_expr) => {
                let cap = ev.money(cap_expr, None, &[], &rule.id)?;
                let service = ev.claim.service_date;
                cap_groups(
                    bufs,
                    |_| service,
                    |_| cap,
                    |_, total, cap| {
                        let cap = amount(cap_expr, cap, pack, None);
                        narrate!(obs, Step::GroupCapped { rule: &rule.id, group: Group::Claim, total, cap });
                    },
                );
            }
        }
    }
    Ok(())
}

/// A cap whose amounts are parameters or numbers: evaluating it cannot fault.
fn constant_cap(cap: &GroupCap) -> bool {
    let constant = |e: &Expr| matches!(e, Expr::Num(_) | Expr::Param(..));
    match cap {
        GroupCap::Day(first, next) => constant(first) && constant(next),
        GroupCap::Week(e) | GroupCap::Month(e) | GroupCap::Claim(e) => constant(e),
    }
}

fn line_date(ev: &Evaluation<'_>, i: u32) -> NaiveDate {
    ev.claim.items[i as usize].date.unwrap_or(ev.claim.service_date)
}

/// The first day of a day's month: the key of per-month caps.
fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The Monday of a day's ISO week: the key of per-week caps.
fn iso_week_start(d: NaiveDate) -> NaiveDate {
    d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Caps the allowed amounts of each group of the taken lines; a cut is taken from the
/// group's last lines first, so every line keeps a definite amount. `capped` hears of each
/// cut.
fn cap_groups(
    bufs: &mut Buffers<'_>,
    key: impl Fn(u32) -> NaiveDate,
    cap: impl Fn(NaiveDate) -> Money,
    mut capped: impl FnMut(NaiveDate, Money, Money),
) {
    let Buffers { taken, state, keys, group, .. } = bufs;
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
