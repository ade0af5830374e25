//! Field values of the 16 files: dates `YYYYMMDD` (CE; a year of 2400 or more is read as
//! BE), plain decimals with optional thousands commas, and ICD codes written without their
//! dot.
//!
//! ```
//! use kongtun_eclaim::value::{icd10, icd9cm, money, quantity};
//!
//! assert_eq!(money("1,453.00").unwrap().to_string(), "1453.00");
//! assert!(money("12,50").is_err()); // a decimal comma is not a thousands comma
//! assert_eq!(quantity("2.5").unwrap().to_string(), "2.5");
//! assert_eq!(icd10("M171"), "M17.1");
//! assert_eq!(icd10("I10"), "I10");
//! assert_eq!(icd9cm("8154"), "81.54");
//! assert_eq!(icd9cm("81.54"), "81.54");
//! ```

use chrono::NaiveDate;
use kongtun_core::money::Money;
use rust_decimal::Decimal;

/// A date `YYYYMMDD` (also `YYYY-MM-DD`), CE, or BE when the year is 2400 or more.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    kongtun_core::calendar::parse_iso_date(text).map_err(|e| match e {
        kongtun_core::calendar::DateError::Format(t) => format!("`{t}` is not a date: expected YYYYMMDD"),
        other => other.to_string(),
    })
}

/// A decimal number: digits, an optional `.` and decimals, an optional leading `-`, with
/// commas allowed only between groups of three digits before the point.
pub fn decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not a number: expected digits with an optional decimal point (1234.50 or 1,234.50)");
    // Borrowed, not copied, when there is no comma (the common case).
    let plain = kongtun_core::decimal::ungrouped(t).ok_or_else(bad)?;
    let unsigned = plain.strip_prefix('-').unwrap_or(&plain);
    let (whole, frac) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if !(digits(whole) && digits(frac)) {
        return Err(bad());
    }
    Decimal::from_str_exact(&plain).map_err(|_| format!("`{t}` is too large or too precise a number"))
}

/// Digits only, at least one.
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An amount of money: a [`decimal`] with at most two decimals, 0 or more.
pub fn money(text: &str) -> Result<Money, String> {
    let d = decimal(text)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("`{}` is negative: expected 0 or more", text.trim()));
    }
    Money::new(d).map_err(|e| e.to_string())
}

/// A unit price: a [`decimal`], 0 or more, kept exact (a drug may cost 0.125 baht a tablet).
pub fn price(text: &str) -> Result<Decimal, String> {
    let d = decimal(text)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("`{}` is negative: expected 0 or more", text.trim()));
    }
    Ok(d)
}

/// A quantity: a [`decimal`] above 0 with at most 4 decimals, at most 1,000,000.
pub fn quantity(text: &str) -> Result<Decimal, String> {
    let d = decimal(text)?.normalize();
    let max = kongtun_core::document::MAX_QTY;
    if d <= Decimal::ZERO || d > max {
        return Err(format!("`{}` is out of range: expected above 0 and at most {max}", text.trim()));
    }
    if d.scale() > kongtun_core::document::MAX_QTY_DP {
        return Err(format!("`{}` has more than {} decimals", text.trim(), kongtun_core::document::MAX_QTY_DP));
    }
    Ok(d)
}

/// An ICD-10 code in the dotted form the packs use: a letter, two digits, then a dot before
/// the rest (`M171` → `M17.1`, `S7200` → `S72.00`). A code already dotted, or of another
/// shape, is kept as written (upper case).
pub fn icd10(code: &str) -> String {
    let c = code.trim().to_ascii_uppercase();
    let b = c.as_bytes();
    let shape = b.len() > 3
        && b[0].is_ascii_alphabetic()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphanumeric()
        && b[3..].iter().all(u8::is_ascii_alphanumeric);
    if shape {
        format!("{}.{}", &c[..3], &c[3..])
    } else {
        c
    }
}

/// An ICD-9-CM procedure code in the dotted form: two digits, a dot, the rest (`8154` →
/// `81.54`, Thai extensions such as `8154011` → `81.54011`). A code already dotted, or of
/// another shape, is kept as written (upper case).
pub fn icd9cm(code: &str) -> String {
    let c = code.trim().to_ascii_uppercase();
    if c.len() > 2 && c.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}.{}", &c[..2], &c[2..])
    } else {
        c
    }
}

/// The code as e-Claim writes it: without the dot (`M17.1` → `M171`).
pub fn undotted(code: &str) -> String {
    code.trim().chars().filter(|c| *c != '.').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date("20250115"), Ok(NaiveDate::from_ymd_opt(2025, 1, 15).unwrap()));
        assert_eq!(date("25680115"), Ok(NaiveDate::from_ymd_opt(2025, 1, 15).unwrap()));
        assert!(date("20251345").is_err());
        assert!(date("2025011").unwrap_err().contains("YYYYMMDD"));
        assert!(date("").is_err());
    }

    #[test]
    fn numbers_with_and_without_thousands_commas() {
        for (text, want) in [("0", "0"), ("129.00", "129.00"), ("1,453.00", "1453.00"), ("12,345,678.5", "12345678.5")]
        {
            assert_eq!(decimal(text).unwrap().to_string(), want, "{text}");
        }
        for bad in ["", "1.", ".5", "1,23", "1,2345", ",123", "1e3", "abc", "1.2.3", "๑๒", "--1", "+1"] {
            assert!(decimal(bad).is_err(), "{bad}");
        }
        assert!(money("-1").is_err());
        assert!(money("1.005").is_err());
        assert_eq!(price("0.125").unwrap().to_string(), "0.125");
        assert!(quantity("0").is_err());
        assert!(quantity("1.00001").is_err());
        assert_eq!(quantity("6.000").unwrap().to_string(), "6");
    }

    #[test]
    fn codes() {
        assert_eq!(icd10("m171"), "M17.1");
        assert_eq!(icd10("S7200"), "S72.00");
        assert_eq!(icd10("M48.06"), "M48.06");
        assert_eq!(icd10("V89"), "V89");
        assert_eq!(icd10("Z49.1"), "Z49.1");
        assert_eq!(icd9cm("8154011"), "81.54011");
        assert_eq!(icd9cm("990"), "99.0");
        assert_eq!(icd9cm("99"), "99");
        assert_eq!(undotted("M17.1"), "M171");
    }
}
