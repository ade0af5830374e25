//! Phase 5, checks: each check of a pack tests its condition on the claim, or on every line,
//! and raises its finding when true.

use kongtun_core::outcome::{LineList, Outcome};

use super::narration::{Observer, Step};
use super::{narrate, pricing::line_condition_holds, push_finding, Evaluation};
use crate::error::EvalError;
use crate::pack::Pack;

/// Runs every check of `pack`.
pub(super) fn run<O: Observer>(
    ev: &Evaluation<'_>,
    pack: &Pack,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    for check in &pack.checks {
        if check.per_line {
            let mut lines = LineList::new();
            let mut claim_part = None;
            for i in 0..ev.claim.items.len() {
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
                push_finding(out, &check.code, check.severity, &check.id, &check.message, lines);
            }
        } else if ev.test(&check.when, None, &[], &check.id)? {
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
    Ok(())
}
