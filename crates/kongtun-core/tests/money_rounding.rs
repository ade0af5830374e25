//! `Money::times`, `Money::percent` and `Money::rounded` take integer shortcuts where they
//! can; these properties hold them to the one rounding rule, computed the long way through
//! `Decimal` and `round_satang`, for any amount and any factor a claim or pack can carry.

use kongtun_core::money::{round_satang, Money, MoneyError, MAX_AMOUNT};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The long way: the decimal product (or percentage), rounded by the one rule, as the
/// decimal a `Money` shows.
fn by_decimal(value: Decimal) -> Decimal {
    round_satang(value)
}

fn amount() -> impl Strategy<Value = Money> {
    // Satang up to +/-10 billion baht, the accepted range.
    (-1_000_000_000_000i64..=1_000_000_000_000).prop_map(|s| Money::rounded(Decimal::new(s, 2)))
}

fn factor() -> impl Strategy<Value = Decimal> {
    // Quantities and percentages as packs and claims write them: up to 8 decimals.
    (-10_000_000_000i64..=10_000_000_000, 0u32..=8).prop_map(|(m, s)| Decimal::new(m, s))
}

proptest! {
    #[test]
    fn times_is_the_decimal_product_rounded_once(a in amount(), f in factor()) {
        prop_assert_eq!(a.times(f).as_decimal(), by_decimal(a.as_decimal() * f));
    }

    #[test]
    fn percent_is_the_decimal_percentage_rounded_once(a in amount(), f in factor()) {
        prop_assert_eq!(a.percent(f).as_decimal(), by_decimal(a.as_decimal() * f / Decimal::ONE_HUNDRED));
    }

    #[test]
    fn rounded_is_round_satang(m in any::<i64>(), s in 0u32..=12) {
        let d = Decimal::new(m, s);
        prop_assert_eq!(Money::rounded(d).as_decimal(), by_decimal(d));
    }
}

#[test]
fn halves_round_away_from_zero_on_the_integer_path() {
    let a: Money = "100.10".parse().unwrap();
    assert_eq!(a.percent(Decimal::new(5, 0)).to_string(), "5.01"); // 5.005
    assert_eq!((-a).percent(Decimal::new(5, 0)).to_string(), "-5.01");
    let p: Money = "0.05".parse().unwrap();
    assert_eq!(p.times(Decimal::new(5, 1)).to_string(), "0.03"); // 0.025
    assert_eq!((-p).times(Decimal::new(5, 1)).to_string(), "-0.03");
    assert_eq!(p.times(Decimal::new(4999, 4)).to_string(), "0.02"); // 0.024995
}

/// `Money::new` as it was written before its integer shortcut: the range, then the
/// precision, through `Decimal`.
fn new_by_decimal(value: Decimal) -> Result<Decimal, MoneyError> {
    if value.abs() > MAX_AMOUNT {
        return Err(MoneyError::OutOfRange(value.to_string()));
    }
    if value.normalize().scale() > 2 {
        return Err(MoneyError::TooPrecise(value.to_string()));
    }
    Ok(round_satang(value))
}

proptest! {
    #[test]
    fn new_accepts_and_refuses_as_the_decimal_checks_do(m in -2_000_000_000_000_000i64..=2_000_000_000_000_000, s in 0u32..=8) {
        let d = Decimal::new(m, s);
        prop_assert_eq!(Money::new(d).map(Money::as_decimal), new_by_decimal(d));
    }
}

#[test]
fn new_refuses_just_past_the_limit_either_way() {
    assert!(Money::new(Decimal::new(1_000_000_000_000, 2)).is_ok());
    assert!(Money::new(Decimal::new(-1_000_000_000_000, 2)).is_ok());
    assert!(matches!(Money::new(Decimal::new(1_000_000_000_001, 2)), Err(MoneyError::OutOfRange(_))));
    assert!(matches!(Money::new(Decimal::new(-1_000_000_000_001, 2)), Err(MoneyError::OutOfRange(_))));
}
