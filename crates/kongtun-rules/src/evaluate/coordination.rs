//! Phase 3, coordination of benefits: when a primary paid, the main fund pays at most the
//! balance the primaries left, and the patient owes excess only up to what is still
//! uncovered.

use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Outcome, PayerStatus};

use super::narration::{Observer, Step};
use super::{narrate, Evaluation, Sums};
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
    let uncovered = balance - paid;
    let patient_after = (sums.patient - sums.patient_covered) + sums.patient_covered.min(uncovered).max(Money::ZERO);
    let patient_delta = patient_after - sums.patient;
    let difference_delta = cut - sums.primary_paid - patient_delta;
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
