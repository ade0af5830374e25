//! Phase 1, the primary payers' tiers: a primary pack (e.g. พรบ.) pays first, tier by tier,
//! each up to its limit, from the charges of the lines it covers.

use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Outcome, PayerStatus};

use super::narration::{Observer, Step};
use super::{add_payer, amount, narrate, Evaluation, Sums};
use crate::error::EvalError;
use crate::pack::Pack;

/// Marks the lines `pack` covers in `covered` (their charges join `sums.covered`, once) and
/// pays its tiers from what the primaries have not paid yet.
pub(super) fn pay_tiers<O: Observer>(
    ev: &Evaluation<'_>,
    pack: &Pack,
    covered: &mut [bool],
    lines: &mut Vec<u32>,
    sums: &mut Sums,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    out.packs.push(pack.label.clone());
    lines.clear();
    for (i, is_covered) in covered.iter_mut().enumerate() {
        if ev.test(&pack.covers, Some(i), &[], &pack.id)? {
            if !*is_covered {
                sums.covered += ev.charges[i];
            }
            *is_covered = true;
            lines.push(i as u32);
        }
    }
    narrate!(obs, Step::PrimaryCovers { pack: &pack.label, lines, charges: sums.covered });
    let mut remaining = (sums.covered - sums.primary_paid).max(Money::ZERO);
    for tier in &pack.tiers {
        if let Some(when) = &tier.when {
            if !ev.test(when, None, &[], &tier.id)? {
                narrate!(
                    obs,
                    Step::NotPaid {
                        rule: &tier.id,
                        condition: tier.when_src.as_deref().unwrap_or_default(),
                        values: ev.values_read(when, None, &[]),
                    }
                );
                continue;
            }
        }
        let limit = ev.money(&tier.limit, None, &[], &tier.id)?;
        let paid = limit.min(remaining);
        let pending = match &tier.pending_when {
            Some(p) => ev.test(p, None, &[], &tier.id)?,
            None => false,
        };
        narrate!(
            obs,
            Step::TierPaid {
                tier: &tier.id,
                limit: amount(&tier.limit, limit, pack, None),
                left: remaining,
                amount: paid,
                payer: &pack.fund,
                pending,
            }
        );
        if paid.is_zero() {
            continue;
        }
        obs.fired(pack, &tier.id);
        let status = if pending { PayerStatus::Pending } else { PayerStatus::Claimable };
        add_payer(out, &pack.fund, paid, status);
        ev.record(out, &tier.id, Bucket::Payer(pack.fund.clone()), paid, pending, lines);
        remaining -= paid;
        sums.primary_paid += paid;
    }
    Ok(())
}
