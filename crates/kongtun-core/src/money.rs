//! Money in Thai baht, exact to the satang.
//!
//! Every amount kongtun computes is a [`Money`]: a [`Decimal`] that always holds at most two
//! decimal places. There is exactly one rounding rule, [`round_satang`]: half away from zero,
//! to the satang (0.01 baht). Every product or percentage that can produce more than two
//! decimals goes through it, so the rule is applied in one place and nowhere else.
//!
//! ```
//! use kongtun_core::money::Money;
//! use rust_decimal::Decimal;
//!
//! let price: Money = "1500.50".parse().unwrap();
//! let qty = Decimal::new(3, 0);
//! assert_eq!(price.times(qty).to_string(), "4501.50");
//! // 5% of 100.10 is 5.005, rounded half away from zero to 5.01
//! let fee: Money = "100.10".parse().unwrap();
//! assert_eq!(fee.percent(Decimal::new(5, 0)).to_string(), "5.01");
//! ```

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Number of decimal places of a baht amount (satang).
pub const SATANG_DP: u32 = 2;

/// The largest unit price or amount a claim document may carry: ten billion baht.
///
/// Bounding inputs keeps every product and sum far below [`Decimal::MAX`] (about 7.9e28),
/// so evaluation arithmetic can never overflow on accepted input.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_410_065_408, 2, 0, false, 0); // 10_000_000_000

/// The one rounding rule of kongtun: half away from zero, to the satang.
///
/// ```
/// use kongtun_core::money::round_satang;
/// use rust_decimal::Decimal;
/// assert_eq!(round_satang(Decimal::new(1005, 3)), Decimal::new(101, 2)); // 1.005 -> 1.01
/// assert_eq!(round_satang(Decimal::new(-1005, 3)), Decimal::new(-101, 2)); // -1.005 -> -1.01
/// ```
pub fn round_satang(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(SATANG_DP, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(SATANG_DP);
    rounded
}

/// An amount of baht with at most two decimals (satang). May be negative (a difference).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// Why a text or number is not a valid amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text is not a decimal number.
    #[error("`{0}` is not a decimal number")]
    NotANumber(String),
    /// More than two decimals: satang is the smallest unit.
    #[error("`{0}` has more than 2 decimals (satang is the smallest unit)")]
    TooPrecise(String),
    /// Outside +/- [`MAX_AMOUNT`].
    #[error("`{0}` is outside the accepted range of +/-10,000,000,000 baht")]
    OutOfRange(String),
}

impl Money {
    /// Zero baht.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An exact amount; fails when `value` has more than two decimals or is out of range.
    pub fn new(value: Decimal) -> Result<Money, MoneyError> {
        if value.abs() > MAX_AMOUNT {
            return Err(MoneyError::OutOfRange(value.to_string()));
        }
        if value.normalize().scale() > SATANG_DP {
            return Err(MoneyError::TooPrecise(value.to_string()));
        }
        Ok(Money::rounded(value))
    }

    /// Rounds any decimal to money by the one rule ([`round_satang`]).
    pub fn rounded(value: Decimal) -> Money {
        Money(round_satang(value))
    }

    /// Whole baht, for literals in code and tests.
    pub fn baht(whole: i64) -> Money {
        Money::rounded(Decimal::from(whole))
    }

    /// The amount as a decimal (scale 2).
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// `self x factor`, rounded to the satang.
    pub fn times(self, factor: Decimal) -> Money {
        Money::rounded(self.0 * factor)
    }

    /// `pct` percent of `self`, rounded to the satang.
    pub fn percent(self, pct: Decimal) -> Money {
        Money::rounded(self.0 * pct / Decimal::ONE_HUNDRED)
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        Ord::min(self, other)
    }

    /// The larger of two amounts.
    pub fn max(self, other: Money) -> Money {
        Ord::max(self, other)
    }

    /// The amount with thousands separators, for people: `49,800.00`, `-1,234.50`.
    pub fn grouped(self) -> String {
        let text = self.to_string();
        let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, "00"));
        let mut out = String::with_capacity(text.len() + whole.len() / 3);
        out.push_str(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out.push('.');
        out.push_str(frac);
        out
    }

    /// True when the amount is exactly zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        use crate::decimal::{parse_decimal, DecimalError};
        match parse_decimal(s) {
            Ok(value) => Money::new(value),
            Err(DecimalError::TooLarge(t)) => Err(MoneyError::OutOfRange(t)),
            Err(DecimalError::NotANumber(t)) => Err(MoneyError::NotANumber(t)),
        }
    }
}

impl fmt::Display for Money {
    /// Always two decimals: `1500.00`, `-3.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values never carry more than two decimals, so this pads and never rounds.
        write!(f, "{:.2}", self.0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl Serialize for Money {
    /// A decimal string with two decimals, never a float: `"1500.00"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts a decimal string or a number; rejects more than two decimals.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let value = crate::decimal::deserialize_exact(deserializer)?;
        Money::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(Money::rounded(Decimal::new(12345, 3)).to_string(), "12.35");
        assert_eq!(Money::rounded(Decimal::new(12344, 3)).to_string(), "12.34");
        assert_eq!(Money::rounded(Decimal::new(-12345, 3)).to_string(), "-12.35");
    }

    #[test]
    fn always_prints_two_decimals() {
        assert_eq!(Money::baht(49800).to_string(), "49800.00");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!("1.5".parse::<Money>().unwrap().to_string(), "1.50");
    }

    #[test]
    fn rejects_satang_fractions_and_garbage() {
        assert_eq!("1.005".parse::<Money>(), Err(MoneyError::TooPrecise("1.005".into())));
        assert!(matches!("abc".parse::<Money>(), Err(MoneyError::NotANumber(_))));
        assert!(matches!("1e30".parse::<Money>(), Err(MoneyError::OutOfRange(_))));
        assert!(matches!("10000000000.01".parse::<Money>(), Err(MoneyError::OutOfRange(_))));
        assert!("10000000000".parse::<Money>().is_ok());
        // trailing zeros beyond the satang are not extra precision
        assert_eq!("2.500".parse::<Money>().unwrap().to_string(), "2.50");
    }

    #[test]
    fn grouped_for_people() {
        assert_eq!(Money::baht(49800).grouped(), "49,800.00");
        assert_eq!(Money::baht(-1234567).grouped(), "-1,234,567.00");
        assert_eq!(Money::baht(100).grouped(), "100.00");
        assert_eq!(Money::ZERO.grouped(), "0.00");
    }

    #[test]
    fn max_amount_is_ten_billion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(10_000_000_000_i64));
    }
}
