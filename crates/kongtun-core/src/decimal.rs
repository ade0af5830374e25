//! Exact decimals from documents.
//!
//! kongtun's own reader ([`crate::yaml`], used for YAML and JSON documents) hands a number
//! over as the text it was written as, so it is parsed exactly, whatever its length:
//! `1500.005` and `100.0000000000000001` keep their extra decimals and can be rejected as money.
//! Other parsers (`serde_json`, `serde_yaml`) hand numbers over as `f64`. A float is never
//! used for arithmetic here: it is turned back into the shortest text that reads as the same
//! float (which is the text the author wrote for any number of up to 15 significant digits)
//! and parsed as a [`Decimal`]. Strings are parsed exactly.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

/// Why a value is not an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Not a number at all (or NaN / infinity).
    #[error("`{0}` is not a decimal number")]
    NotANumber(String),
    /// A number beyond what a 96-bit decimal holds (about 7.9e28).
    #[error("`{0}` is too large (at most 28 digits)")]
    TooLarge(String),
    /// A number with more decimal places than a 96-bit decimal holds (28).
    #[error("`{0}` has too many decimal places to hold exactly (at most 28)")]
    TooPrecise(String),
}

/// Parses decimal text exactly: `12.50`, `-3`, `1e3`.
pub fn parse_decimal(text: &str) -> Result<Decimal, DecimalError> {
    let t = text.trim();
    if let Ok(d) = Decimal::from_str_exact(t) {
        return Ok(d);
    }
    if let Ok(d) = Decimal::from_scientific(t) {
        return Ok(d);
    }
    let numeric = !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || "+-.eE_".contains(c));
    if numeric {
        // Beyond the 96-bit range: too large, or too small a fraction to hold exactly.
        let small = t.replace('_', "").parse::<f64>().is_ok_and(|v| v.abs() < 1.0);
        if small {
            Err(DecimalError::TooPrecise(t.to_string()))
        } else {
            Err(DecimalError::TooLarge(t.to_string()))
        }
    } else {
        Err(DecimalError::NotANumber(t.to_string()))
    }
}

/// Text with its thousands separators taken out, when they stand where they belong: between
/// groups of three digits before the point (`86,740.00`, `-1,234,567`). `None` when a comma is
/// misplaced (`1,23.00`, `,5`, `1,234.5,6`), since such a figure is more likely mistyped than meant.
///
/// ```
/// use kongtun_core::decimal::ungrouped;
/// assert_eq!(ungrouped("86,740.00").as_deref(), Some("86740.00"));
/// assert_eq!(ungrouped("1500").as_deref(), Some("1500"));
/// assert_eq!(ungrouped("1,23.00"), None);
/// ```
pub fn ungrouped(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    let t = text.trim();
    if !t.contains(',') {
        return Some(std::borrow::Cow::Borrowed(t));
    }
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let whole = unsigned.split_once('.').map_or(unsigned, |(w, _)| w);
    let groups: Vec<&str> = whole.split(',').collect();
    let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let placed = groups.iter().all(digits) && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    let after_point = unsigned.split_once('.').map_or("", |(_, f)| f);
    (placed && !after_point.contains(',')).then(|| std::borrow::Cow::Owned(t.replace(',', "")))
}

/// A float from a parser, back to the decimal its author wrote.
pub fn decimal_from_f64(value: f64) -> Result<Decimal, DecimalError> {
    if !value.is_finite() {
        return Err(DecimalError::NotANumber(value.to_string()));
    }
    // `{}` on f64 prints the shortest text that parses back to the same float.
    parse_decimal(&format!("{value}"))
}

/// The newtype name by which [`deserialize_exact`] asks a deserializer for a number's text.
///
/// [`crate::yaml`] answers with the scalar as written (`visit_str`), so a number reaches
/// [`parse_decimal`] without passing through an `f64`; any other deserializer treats it as
/// an ordinary newtype and hands over whatever it has.
pub(crate) const EXACT_TEXT: &str = "$kongtun::decimal::ExactText";

/// Deserializes a decimal from a string or a number, exactly (see the module docs).
pub fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_newtype_struct(EXACT_TEXT, ExactDecimal)
}

struct ExactDecimal;

thread_local! {
    /// Set when a decimal came through a float (see [`take_float_seen`]).
    static FLOAT_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a decimal came through a float on this thread since the last call (then its
/// text may have had more digits than the float kept: the JSON Lines reader looks again).
pub(crate) fn take_float_seen() -> bool {
    FLOAT_SEEN.replace(false)
}

impl<'de> Visitor<'de> for ExactDecimal {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a decimal string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        FLOAT_SEEN.set(true);
        decimal_from_f64(v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).map_err(E::custom)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Serde helper for `#[serde(with = "kongtun_core::decimal::text")]`: a decimal as a string.
pub mod text {
    use super::*;
    use serde::Serializer;

    /// Writes the decimal as a string, never a float.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a decimal from a string or a number, exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserialize_exact(deserializer)
    }
}

/// Like [`text`] for optional decimals.
pub mod opt_text {
    use super::*;
    use serde::{Deserialize, Serializer};

    /// Writes the decimal as a string, or nothing.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => serializer.collect_str(d),
            None => serializer.serialize_none(),
        }
    }

    /// Reads an optional decimal exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Exact(#[serde(with = "super::text")] Decimal);
        Ok(Option::<Exact>::deserialize(deserializer)?.map(|e| e.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_only_where_they_belong() {
        for (text, plain) in
            [("1,234.50", "1234.50"), ("-12,345", "-12345"), ("123", "123"), ("1,000,000.00", "1000000.00")]
        {
            assert_eq!(ungrouped(text).as_deref(), Some(plain), "{text}");
        }
        for bad in ["1,23", ",123", "1234,567", "1,234.5,6", "1,,234", "-,123", "1,234,"] {
            assert_eq!(ungrouped(bad), None, "{bad}");
        }
    }

    #[test]
    fn floats_come_back_as_written() {
        assert_eq!(decimal_from_f64(1500.005).unwrap().to_string(), "1500.005");
        assert_eq!(decimal_from_f64(0.1).unwrap().to_string(), "0.1");
        assert_eq!(decimal_from_f64(2.0).unwrap().to_string(), "2");
        assert!(decimal_from_f64(f64::NAN).is_err());
        assert!(decimal_from_f64(f64::INFINITY).is_err());
    }

    #[test]
    fn huge_numbers_are_rejected_not_wrapped() {
        assert!(matches!(parse_decimal("1e30"), Err(DecimalError::TooLarge(_))));
        assert!(matches!(decimal_from_f64(1e30), Err(DecimalError::TooLarge(_))));
        assert!(matches!(parse_decimal("ten"), Err(DecimalError::NotANumber(_))));
    }
}
