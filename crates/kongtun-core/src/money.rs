//! Money in Thai baht, exact to the satang.
//!
//! Every amount kongtun computes is a [`Money`]: a whole number of satang (0.01 baht), so
//! sums and comparisons are exact integer operations. There is exactly one rounding rule,
//! [`round_satang`]: half away from zero, to the satang. Every product or percentage that can
//! produce more than two decimals is rounded by it, in this module and nowhere else: in
//! integers when the exact product fits (the common case, and the fast one), otherwise as a
//! [`Decimal`] through [`round_satang`]. `tests/money_rounding.rs` holds the two routes equal.
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
///
/// Held as satang in an `i128`: wider than any [`Decimal`] mantissa (96 bits), so every
/// amount a `Decimal` can express converts without loss, and sums are plain integer adds.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

/// Satang of a decimal with two places or fewer (one `round_satang` gave, or one read).
fn satang_of(rounded: Decimal) -> i128 {
    // `round_satang` sets the scale to 2, except for the very largest decimals, whose
    // mantissa has no room for two more digits: those keep a smaller scale.
    let m = rounded.mantissa();
    match rounded.scale() {
        0 => m * 100,
        1 => m * 10,
        _ => m,
    }
}

/// `satang x factor / 10^extra`, rounded by the one rule, in integers: the value the
/// `Decimal` route (multiply, divide by `10^extra`, [`round_satang`]) gives, without it.
/// `None` when that route would not be exact (a product beyond the 96 bits of a `Decimal`
/// mantissa, or too many decimals): the caller then takes the `Decimal` route itself.
fn exact_scaled(satang: i128, factor: Decimal, extra: u32) -> Option<i128> {
    let scale = factor.scale() + extra;
    // Everyday amounts and factors fit 64 bits, where division is a single instruction.
    if let (Ok(a), Ok(b)) = (i64::try_from(satang), i64::try_from(factor.mantissa())) {
        if let (Some(product), true) = (a.checked_mul(b), scale <= 18) {
            let divisor = 10i64.pow(scale);
            let (whole, rest) = (product / divisor, product % divisor);
            let away = i64::from(2 * rest.unsigned_abs() >= divisor.unsigned_abs()) * product.signum();
            return Some(i128::from(whole + away));
        }
    }
    let product = satang.checked_mul(factor.mantissa())?;
    if product.unsigned_abs() >> 96 != 0 || scale > 26 {
        return None;
    }
    let divisor = 10i128.pow(scale);
    let (whole, rest) = (product / divisor, product % divisor);
    // Half away from zero, exactly as `round_satang`.
    Some(if 2 * rest.abs() >= divisor { whole + product.signum() } else { whole })
}

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
    pub const ZERO: Money = Money(0);

    /// [`MAX_AMOUNT`] as money: the largest price or amount a claim may give.
    pub const MAX: Money = Money::baht(10_000_000_000);

    /// An exact amount; fails when `value` has more than two decimals or is out of range.
    pub fn new(value: Decimal) -> Result<Money, MoneyError> {
        // Two decimals or fewer (nearly every amount read): the satang are exact, and the
        // range check is an integer comparison.
        if value.scale() <= SATANG_DP {
            let satang = satang_of(value);
            if satang.unsigned_abs() > Money::MAX.0.unsigned_abs() {
                return Err(MoneyError::OutOfRange(value.to_string()));
            }
            return Ok(Money(satang));
        }
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
        // Two decimals or fewer: nothing to round (what `round_satang` would return).
        match value.scale() <= SATANG_DP {
            true => Money(satang_of(value)),
            false => Money(satang_of(round_satang(value))),
        }
    }

    /// Whole baht, for literals in code and tests (and constants: it is a `const fn`).
    pub const fn baht(whole: i64) -> Money {
        Money(whole as i128 * 100)
    }

    /// The amount as a decimal (scale 2). Amounts beyond what a `Decimal` holds (about
    /// 7.9e26 baht, unreachable from accepted input) come out as the largest decimal.
    pub fn as_decimal(self) -> Decimal {
        let satang = self.0.unsigned_abs();
        if satang >> 96 != 0 {
            return if self.0 < 0 { Decimal::MIN } else { Decimal::MAX };
        }
        // The three 32-bit words of the 96-bit mantissa (truncation intended).
        Decimal::from_parts(satang as u32, (satang >> 32) as u32, (satang >> 64) as u32, self.0 < 0, SATANG_DP)
    }

    /// `self x factor`, rounded to the satang.
    #[inline]
    pub fn times(self, factor: Decimal) -> Money {
        // A whole factor (most quantities) and an everyday amount: one 64-bit multiply,
        // exact, nothing to round. Kept small so that it inlines; the rest is out of line.
        // The factor's words (flags, then the 96-bit mantissa low to high): a whole factor of
        // 32 bits is `lo` with the sign, read without assembling the 128-bit mantissa.
        let words = factor.serialize();
        let word = |i: usize| u32::from_le_bytes([words[i], words[i + 1], words[i + 2], words[i + 3]]);
        let (flags, lo, mid, hi) = (word(0), word(4), word(8), word(12));
        if flags & 0x00FF_0000 == 0 && mid == 0 && hi == 0 {
            let k = if flags & 0x8000_0000 == 0 { i64::from(lo) } else { -i64::from(lo) };
            if let Some(satang) = i64::try_from(self.0).ok().and_then(|s| s.checked_mul(k)) {
                return Money(i128::from(satang));
            }
        }
        self.times_exactly(factor)
    }

    /// [`Money::times`] for the factors and amounts its 64-bit path does not take.
    #[inline(never)]
    fn times_exactly(self, factor: Decimal) -> Money {
        if factor.scale() == 0 {
            if let Ok(k) = i64::try_from(factor.mantissa()) {
                return Money(self.0.saturating_mul(i128::from(k)));
            }
        }
        if let Some(satang) = exact_scaled(self.0, factor, 0) {
            return Money(satang);
        }
        Money::rounded(self.as_decimal().saturating_mul(factor))
    }

    /// `pct` percent of `self`, rounded to the satang.
    pub fn percent(self, pct: Decimal) -> Money {
        if let Some(satang) = exact_scaled(self.0, pct, 2) {
            return Money(satang);
        }
        Money::rounded(self.as_decimal().saturating_mul(pct) / Decimal::ONE_HUNDRED)
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
        // Built from the plain form: sign, whole baht, two satang digits.
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

    /// The amount in satang (hundredths of a baht).
    pub fn satang(self) -> i128 {
        self.0
    }

    /// True when the amount is exactly zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl Money {
    /// Reads an amount as a spreadsheet shows it, thousands separators and all
    /// (`86,740.00`), as well as plain (`86740.00`); see [`crate::decimal::ungrouped`].
    ///
    /// ```
    /// use kongtun_core::money::Money;
    /// assert_eq!(Money::parse_grouped("86,740.00").unwrap(), "86740.00".parse().unwrap());
    /// assert!(Money::parse_grouped("86,74.00").is_err());
    /// ```
    pub fn parse_grouped(text: &str) -> Result<Money, MoneyError> {
        match crate::decimal::ungrouped(text) {
            Some(plain) => plain.parse(),
            None => Err(MoneyError::NotANumber(text.trim().to_string())),
        }
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        use crate::decimal::{parse_decimal, DecimalError};
        match parse_decimal(s) {
            Ok(value) => Money::new(value),
            Err(DecimalError::TooLarge(t)) => Err(MoneyError::OutOfRange(t)),
            Err(DecimalError::TooPrecise(t)) => Err(MoneyError::TooPrecise(t)),
            Err(DecimalError::NotANumber(t)) => Err(MoneyError::NotANumber(t)),
        }
    }
}

impl fmt::Display for Money {
    /// Always two decimals: `1500.00`, `-3.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let satang = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", satang / 100, satang % 100)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_sub(rhs.0);
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
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
    fn satang_arithmetic_is_exact_and_never_overflows() {
        let a: Money = "0.10".parse().unwrap();
        let b: Money = "0.20".parse().unwrap();
        assert_eq!((a + b).to_string(), "0.30");
        assert_eq!((a - b).to_string(), "-0.10");
        assert_eq!((-b).grouped(), "-0.20");
        assert_eq!(Money::rounded(Decimal::new(-5, 3)).to_string(), "-0.01");
        assert_eq!(Money::rounded(Decimal::new(-4, 3)).to_string(), "0.00");
        assert_eq!(Money::baht(7).as_decimal(), Decimal::new(700, 2));
        // Whole and fractional factors agree with decimal arithmetic.
        let price: Money = "1234.57".parse().unwrap();
        assert_eq!(price.times(Decimal::from(3)).to_string(), "3703.71");
        assert_eq!(price.times(Decimal::new(-3, 0)).to_string(), "-3703.71");
        assert_eq!(price.times(Decimal::new(30, 1)).to_string(), "3703.71");
        assert_eq!(price.times(Decimal::new(15, 1)).to_string(), "1851.86"); // 1851.855 -> up
        let huge = Money::rounded(Decimal::MAX);
        assert_eq!(huge.as_decimal(), Decimal::MAX.round_dp(2));
        let _ = (huge + huge + huge).as_decimal(); // saturates, no panic
        assert_eq!(Money::rounded(Decimal::MIN) - huge - huge, Money::rounded(Decimal::MIN) - huge - huge);
    }

    #[test]
    fn max_amount_is_ten_billion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(10_000_000_000_i64));
        assert_eq!(Money::MAX, Money::rounded(MAX_AMOUNT));
    }
}
