//! Phase 5, checks: each check of a pack tests its condition on the claim, or on every line,
//! and raises its finding when true.

use std::sync::Arc;

use kongtun_core::money::Money;
use kongtun_core::outcome::{LineList, Outcome};

use super::narration::{Observer, Step};
use super::{narrate, pricing::line_condition_holds, push_finding, Evaluation};
use crate::error::EvalError;
use crate::pack::Pack;

/// What the pack's holding checks (`holds: true`) flagged: the fund pays nothing on these
/// lines, or on the whole claim, until the finding is fixed.
pub(super) struct Holds<'a> {
    /// The first holding check that fired: the money held is booked to it.
    pub rule: Option<Arc<str>>,
    /// A claim-level holding check fired.
    pub whole_claim: bool,
    /// Lines flagged by per-line holding checks, in order, once each (a reused buffer).
    pub lines: &'a mut Vec<u32>,
}

impl Holds<'_> {
    /// How much of the fund's `claimable` amount is held: all of it for a claim-level hold,
    /// else what the fund pays for the flagged lines (`line_paid`), never more than `claimable`.
    pub(super) fn amount(&self, claimable: Money, line_paid: impl Fn(u32) -> Money) -> Money {
        if self.rule.is_none() || claimable <= Money::ZERO {
            return Money::ZERO;
        }
        if self.whole_claim {
            return claimable;
        }
        self.lines.iter().map(|i| line_paid(*i)).sum::<Money>().min(claimable)
    }
}

/// Runs every check of `pack`, and tells what its holding checks flagged (their lines in
/// `held_lines`, cleared first). `masks` and `any_mask` are the lines' bits in the pack's code
/// index (empty and all ones when they are not this pack's): a per-line check with a bit
/// skips the lines that lack it, which its leading code test would find false anyway.
pub(super) fn run<'h, O: Observer>(
    ev: &Evaluation<'_>,
    (pack, masks, any_mask): (&Pack, &[u64], u64),
    held_lines: &'h mut Vec<u32>,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<Holds<'h>, EvalError> {
    held_lines.clear();
    let mut holds = Holds { rule: None, whole_claim: false, lines: held_lines };
    for check in &pack.checks {
        if check.per_line {
            let mut lines = LineList::new();
            let mut claim_part = None;
            let bit = check.code_bit.filter(|_| !masks.is_empty());
            let lines_to_test = if bit.is_some_and(|b| any_mask & b == 0) { 0 } else { ev.claim.items.len() };
            let may_flag = |i: &usize| bit.is_none_or(|b| masks.get(*i).is_none_or(|m| m & b != 0));
            for i in (0..lines_to_test).filter(may_flag) {
                if line_condition_holds(ev, &check.when_split, &check.id, (i, &[]), &mut claim_part)? {
                    narrate!(
                        obs,
                        Step::CheckLine {
                            check: &check.id,
                            code: &check.code,
                            line: ev.line_ref(i),
                            condition: &check.when_src,
                            values: ev.values_read(&check.when, Some(i), &[]),
                        }
                    );
                    lines.push(i as u32);
                }
            }
            if lines.is_empty() {
                narrate!(obs, Step::CheckNoLine { check: &check.id, code: &check.code, condition: &check.when_src });
            } else {
                obs.fired(pack, &check.id);
                if check.holds {
                    holds.rule.get_or_insert_with(|| check.id.clone());
                    holds.lines.extend(lines.iter().copied());
                }
                push_finding(out, &check.code, check.severity, &check.id, &check.message, lines);
            }
        } else if ev.claim_condition(&check.when, &check.when_split, &check.id)? {
            narrate!(
                obs,
                Step::CheckRaised {
                    check: &check.id,
                    code: &check.code,
                    condition: &check.when_src,
                    values: ev.values_read(&check.when, None, &[]),
                    severity: check.severity,
                }
            );
            obs.fired(pack, &check.id);
            if check.holds {
                holds.rule.get_or_insert_with(|| check.id.clone());
                holds.whole_claim = true;
            }
            push_finding(out, &check.code, check.severity, &check.id, &check.message, LineList::new());
        } else {
            narrate!(
                obs,
                Step::CheckPassed {
                    check: &check.id,
                    code: &check.code,
                    condition: &check.when_src,
                    values: ev.values_read(&check.when, None, &[]),
                }
            );
        }
    }
    holds.lines.sort_unstable();
    holds.lines.dedup();
    Ok(holds)
}
