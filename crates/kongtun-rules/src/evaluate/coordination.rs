//! Phase 3, coordination of benefits: when a primary paid, the main fund pays at most the
//! balance the primaries left, and the patient owes excess only up to what is still
//! uncovered. A primary tier the main fund pays ahead of (its hand-off) is owed, pending, on
//! what the main fund leaves.

use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Outcome, PayerStatus};

use super::narration::{Observer, Step};
use super::{add_payer, narrate, Evaluation, Sums};
use crate::pack::Pack;

/// Limits the main fund's payment to the balance the primaries left.
pub(super) fn limit_main_fund<O: Observer>(
    ev: &Evaluation<'_>,
    main: &Pack,
    sums: &mut Sums,
    out: &mut Outcome,
    obs: &mut O,
) {
    let cob = &main.builtin.cob;
    let balance = (sums.covered - sums.primary_paid).max(Money::ZERO);
    let paid = sums.main_paid.min(balance);
    let cut = sums.main_paid - paid;
    let mut uncovered = balance - paid;
    // A deferred tier takes what the main fund left, before the patient's excess.
    let deferred = match sums.deferred.take() {
        Some(d) => {
            let pending = d.amount.min(uncovered);
            uncovered -= pending;
            narrate!(obs, Step::DeferredPending { tier: &d.tier, payer: &d.payer, amount: pending });
            if !pending.is_zero() {
                add_payer(out, &d.payer, pending, PayerStatus::Pending);
                ev.record(out, &d.tier, Bucket::Payer(d.payer.clone()), pending, PayerStatus::Pending, &[]);
            }
            pending
        }
        None => Money::ZERO,
    };
    let patient_after = (sums.patient - sums.patient_covered) + sums.patient_covered.min(uncovered).max(Money::ZERO);
    let patient_delta = patient_after - sums.patient;
    let difference_delta = cut - sums.primary_paid - deferred - patient_delta;
    narrate!(
        obs,
        Step::Coordination {
            primary_paid: sums.primary_paid,
            covered: sums.covered,
            payer: &main.fund,
            would_pay: sums.main_paid,
            balance,
            paid,
            patient: patient_after,
        }
    );
    let payer = Bucket::Payer(main.fund.clone());
    ev.record(out, cob, payer, -cut, PayerStatus::Claimable, &[]);
    ev.record(out, cob, Bucket::Patient, patient_delta, PayerStatus::Claimable, &[]);
    ev.record(out, cob, Bucket::Difference, difference_delta, PayerStatus::Claimable, &[]);
    sums.main_paid = paid;
    sums.patient = patient_after;
    sums.difference += difference_delta;
}
