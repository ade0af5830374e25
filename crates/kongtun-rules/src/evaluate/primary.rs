//! Phase 1, the primary payers' tiers: a primary pack (e.g. พรบ.) pays first, tier by tier,
//! each up to its limit, from the charges of the lines it covers.

use chrono::NaiveDate;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, LineList, Outcome, PayerStatus};

use super::narration::{Observer, SentBy, Step};
use super::timeliness::{deadline, fits};
use super::{add_payer, amount, narrate, push_finding, Deferred, Evaluation, Sums};
use crate::error::EvalError;
use crate::pack::{Expiry, Pack};

/// Marks the lines `pack` covers in `covered` (their charges join `sums.covered`, once) and
/// pays its tiers from what the primaries have not paid yet. Sent after the primary's own
/// deadline (PRB: 180 days from the accident), what its tiers would pay is lost to the
/// difference, and the main fund still pays only what they would have left.
///
/// When the main pack pays while a tier is pending (`after_primary: { while_pending: pay }`),
/// a pending tier is deferred: not owed, not counted, and the main fund pays beyond the rest.
pub(super) fn pay_tiers<O: Observer>(
    ev: &Evaluation<'_>,
    (pack, main): (&Pack, &Pack),
    (covered, lines): (&mut [bool], &mut Vec<u32>),
    as_of: NaiveDate,
    sums: &mut Sums,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    let expired = expired(ev, pack, as_of, obs)?;
    let mut lost = Money::ZERO;
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
        // Earlier claims of this victim and accident used the limits tier by tier, in order,
        // whether or not this claim qualifies for the tier.
        let limit = ev.money(&tier.limit, None, &[], &tier.id)?;
        let taken_before = sums.taken.min(limit);
        sums.taken -= taken_before;
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
        let paid = (limit - taken_before).min(remaining);
        let pending = match &tier.pending_when {
            Some(p) => ev.test(p, None, &[], &tier.id)?,
            None => false,
        };
        let status = if pending { PayerStatus::Pending } else { PayerStatus::Claimable };
        if let (true, Some(handoff)) = (pending, &main.pays_while_pending) {
            // The main fund pays ahead of this tier; the tier stays owed (pending) on what the
            // main fund leaves, settled once the case is decided (coordination).
            let deferred = (limit - taken_before).min(remaining);
            narrate!(
                obs,
                Step::TierDeferred { tier: &tier.id, handoff: &handoff.id, amount: deferred, payer: &pack.fund }
            );
            // Past the primary's deadline nothing stays owed: the main fund just pays first.
            if !deferred.is_zero() {
                obs.fired(main, &handoff.id);
                if !expired.is_some_and(|(x, _)| x.covers_tier(&tier.id)) {
                    if let Some(f) = &handoff.finding {
                        push_finding(out, &f.code, f.severity, &handoff.id, &f.message, LineList::new());
                    }
                    sums.deferred =
                        Some(Deferred { tier: tier.id.clone(), payer: pack.fund.clone(), amount: deferred });
                }
            }
            continue;
        }
        narrate!(
            obs,
            Step::TierPaid {
                tier: &tier.id,
                limit: amount(&tier.limit, limit, pack, None),
                taken_before,
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
        if let Some((expiry, _)) = expired.filter(|(x, _)| x.covers_tier(&tier.id)) {
            ev.record(out, &expiry.id, Bucket::Difference, paid, PayerStatus::Claimable, lines);
            sums.difference += paid;
            lost += paid;
        } else {
            add_payer(out, &pack.fund, paid, status);
            ev.record(out, &tier.id, Bucket::Payer(pack.fund.clone()), paid, status, lines);
        }
        remaining -= paid;
        sums.primary_paid += paid;
    }
    if let Some((expiry, (sent, sent_by, deadline))) = expired {
        narrate!(obs, Step::Expired { rule: &expiry.id, sent_by, sent, deadline, lost });
        let f = &expiry.finding;
        push_finding(out, &f.code, f.severity, &expiry.id, &f.message, LineList::new());
    }
    Ok(())
}

/// When a primary claim was sent, and its deadline.
type Sent = (NaiveDate, SentBy, Option<NaiveDate>);

/// The primary pack's expiry rule when the claim was sent after its deadline.
fn expired<'p, O: Observer>(
    ev: &Evaluation<'_>,
    pack: &'p Pack,
    as_of: NaiveDate,
    obs: &mut O,
) -> Result<Option<(&'p Expiry, Sent)>, EvalError> {
    let claim = ev.claim;
    let Some(expiry) = pack.expiry.iter().find(|x| fits(x.setting, Some(claim.setting))) else { return Ok(None) };
    let (sent, sent_by) = match claim.submitted {
        Some(d) => (d, SentBy::Submitted),
        None => (as_of, SentBy::AsOf),
    };
    let accident = claim.accident.as_ref().map(|a| a.date);
    let deadline = deadline(expiry, claim.claim_date(), accident, |days| ev.number(days, None, &[], &expiry.id))?;
    if deadline.is_some_and(|d| sent > d) {
        obs.fired(pack, &expiry.id);
        Ok(Some((expiry, (sent, sent_by, deadline))))
    } else {
        narrate!(obs, Step::InTime { rule: &expiry.id, sent_by, sent, deadline });
        Ok(None)
    }
}
