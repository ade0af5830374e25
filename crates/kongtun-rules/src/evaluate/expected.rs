//! Phase 6, the expected payment: when the main pack knows the DRG rate its fund actually
//! pays (UC re-runs its global budget and pays less than the announced rate), what the fund
//! is expected to pay of its claimable amount. The claim keeps the announced amount; the
//! expected figure sits beside it for the books.

use chrono::NaiveDate;
use kongtun_core::money::{round_satang, Money};
use kongtun_core::outcome::{Outcome, PayerStatus};
use rust_decimal::Decimal;

use super::narration::{Observer, Step};
use super::{narrate, Evaluation};
use crate::pack::Pack;

/// Sets `expected` on the main fund's claimable amount. `drg` is the announced rate and
/// what the DRG paid before coordination, late cuts and expiry; `priced` is all the fund
/// paid then. The gap between the announced and the expected rate shrinks in proportion
/// when those later phases lowered the fund's payment.
pub(super) fn apply<O: Observer>(
    ev: &Evaluation<'_>,
    main: &Pack,
    as_of: NaiveDate,
    (drg_rate, priced): (Option<Money>, Money),
    out: &mut Outcome,
    obs: &mut O,
) {
    let (Some(x), Some(announced), Some(adj_rw)) = (&main.expected_payment, drg_rate, ev.claim.adj_rw) else {
        return;
    };
    let Some(rate) = x.drg_rate_on(as_of) else { return };
    let Some(entry) = out.payers.iter_mut().find(|p| p.payer == main.fund && p.status == PayerStatus::Claimable) else {
        return;
    };
    let gap = round_satang((announced.as_decimal() - rate) * adj_rw);
    // Later phases (coordination, late cut, expiry, holds) scale the gap with the payment.
    let scaled = scaled_gap(gap, entry.amount, priced);
    let Some(Ok(scaled)) = scaled.map(Money::new) else { return };
    let expected = (entry.amount - scaled).max(Money::ZERO);
    narrate!(obs, Step::ExpectedPayment { rule: &x.id, adj_rw, announced, rate, claimable: entry.amount, expected });
    obs.fired(main, &x.id);
    // Only a figure that differs is written: none means "expected as claimed".
    entry.expected = (expected != entry.amount).then_some(expected);
}

/// `gap x amount / priced`, rounded to the satang (none on overflow): the gap between the
/// announced and the expected payment (`gap`, to the satang), shrunk with the payment.
fn scaled_gap(gap: Decimal, amount: Money, priced: Money) -> Option<Decimal> {
    // Both under 2^47 satang: `gap x amount` is exact (under 2^94), so when nothing lowered
    // the payment (`amount == priced`, most claims) the division gives `gap` back exactly,
    // already to the satang.
    let small = |m: i128| m.unsigned_abs() < 1 << 47;
    if amount == priced && !priced.is_zero() && small(gap.mantissa()) && small(amount.as_decimal().mantissa()) {
        return Some(gap);
    }
    scaled_gap_exactly(gap, amount, priced)
}

/// [`scaled_gap`] in `Decimal` arithmetic, for every input.
fn scaled_gap_exactly(gap: Decimal, amount: Money, priced: Money) -> Option<Decimal> {
    if priced.is_zero() {
        return Some(Decimal::ZERO);
    }
    gap.checked_mul(amount.as_decimal()).and_then(|v| v.checked_div(priced.as_decimal())).map(round_satang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut for an unlowered payment gives what the arithmetic gives, gaps of any
        /// sign and size included.
        #[test]
        fn an_unlowered_payment_keeps_the_gap_the_arithmetic_gives(
            gap in -(1i64 << 52)..(1 << 52), satang in -1_000_000_000_000i64..=1_000_000_000_000, scale in 0u32..=4,
        ) {
            let gap = round_satang(Decimal::new(gap, scale));
            let amount = Money::new(Decimal::new(satang, 2)).expect("within the largest amount");
            prop_assert_eq!(scaled_gap(gap, amount, amount), scaled_gap_exactly(gap, amount, amount));
        }
    }
}
