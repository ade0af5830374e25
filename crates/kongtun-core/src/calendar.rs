//! The Thai calendar: Buddhist-Era years and the fiscal year (ปีงบประมาณ).
//!
//! The Thai government fiscal year runs 1 October - 30 September and is named by the
//! Buddhist-Era year it ends in: 1 Oct 2024 - 30 Sep 2025 is FY2568 (BE = CE + 543).
//! Hospital systems store BE dates; e-Claim files use CE. Claim documents accept both:
//! a year of 2400 or more is read as BE.
//!
//! ```
//! use chrono::NaiveDate;
//! use kongtun_core::calendar::{parse_date, FiscalYear};
//!
//! let d = parse_date("2568-01-15").unwrap(); // BE, as hospital staff write it
//! assert_eq!(d, NaiveDate::from_ymd_opt(2025, 1, 15).unwrap());
//! assert_eq!(FiscalYear::of(d), FiscalYear::new(2568));
//! assert_eq!(FiscalYear::new(2568).last_day(), NaiveDate::from_ymd_opt(2025, 9, 30).unwrap());
//! ```

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Years between the Buddhist and the Common Era: BE = CE + 543.
pub const BE_OFFSET: i32 = 543;

/// A year at or above this is read as Buddhist Era in claim documents.
pub const FIRST_BE_YEAR: i32 = 2400;

/// The CE year of a BE year.
pub fn be_to_ce(be_year: i32) -> i32 {
    be_year - BE_OFFSET
}

/// The BE year of a CE year.
pub fn ce_to_be(ce_year: i32) -> i32 {
    ce_year + BE_OFFSET
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not one of the accepted forms.
    #[error(
        "`{0}` is not a date: expected YYYY-MM-DD, dd/mm/yyyy or `30 ก.ย. 2568` (CE, or BE when the year is 2400 or more)"
    )]
    Format(String),
    /// The form is right but no such day exists (30 Feb, month 13, ...).
    #[error("`{0}` is not a day of the calendar")]
    NoSuchDay(String),
    /// A real day, but outside the years accepted (1900-9999 CE).
    #[error("`{text}` is the year {year} CE{be}: only 1900 to 9999 CE are accepted")]
    OutOfRange {
        /// The date as written.
        text: String,
        /// Its year in CE.
        year: i32,
        /// How a BE year was read, e.g. ` (read as BE 2400)`.
        be: String,
    },
}

/// Reads a date as people and systems write it, CE or BE (a year of 2400 or more is BE):
/// `YYYY-MM-DD` and `YYYYMMDD` (e-Claim), `dd/mm/yyyy` (also with `-` or `.`), a Thai month by
/// name or abbreviation (`30 ก.ย. 2568`, `30 กันยายน 2568`, `30 กย 68`: a two-digit year
/// after a Thai month is BE 25xx), in Thai digits too (`๒๕๖๘-๐๙-๓๐`). Years before 1900 CE and
/// after 9999 are rejected rather than guessed.
///
/// ```
/// use kongtun_core::calendar::parse_date;
/// let day = chrono::NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
/// for text in ["2025-09-30", "2568-09-30", "30/09/2568", "30/9/2025", "30 ก.ย. 2568", "๓๐/๐๙/๒๕๖๘"] {
///     assert_eq!(parse_date(text).unwrap(), day, "{text}");
/// }
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    if let Some(ymd) = split_date(t) {
        return ymd_date(t, Some(ymd));
    }
    let western = with_western_digits(t);
    ymd_date(t, split_date(&western).or_else(|| desk_form(&western)))
}

/// Reads only the forms machines write, `YYYY-MM-DD` and `YYYYMMDD` (CE, or BE from 2400):
/// for files whose layout fixes the form, such as the e-Claim 16 files.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    ymd_date(t, split_date(t))
}

/// The date of the year, month and day read from `t`, if they were.
fn ymd_date(t: &str, ymd: Option<(i32, u32, u32)>) -> Result<NaiveDate, DateError> {
    let (y, m, d) = ymd.ok_or_else(|| DateError::Format(t.to_string()))?;
    let year = if y >= FIRST_BE_YEAR { be_to_ce(y) } else { y };
    if !(1900..=9999).contains(&year) {
        let be = if y >= FIRST_BE_YEAR { format!(" (read as BE {y})") } else { String::new() };
        return Err(DateError::OutOfRange { text: t.to_string(), year, be });
    }
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| DateError::NoSuchDay(t.to_string()))
}

/// Thai digits (๐-๙) as ASCII digits; everything else as it is.
fn with_western_digits(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (c as u32 - 0x0E50) as u8),
            other => other,
        })
        .collect()
}

/// Thai months: full name, abbreviation without its dots.
const THAI_MONTHS: [(&str, &str); 12] = [
    ("มกราคม", "มค"),
    ("กุมภาพันธ์", "กพ"),
    ("มีนาคม", "มีค"),
    ("เมษายน", "เมย"),
    ("พฤษภาคม", "พค"),
    ("มิถุนายน", "มิย"),
    ("กรกฎาคม", "กค"),
    ("สิงหาคม", "สค"),
    ("กันยายน", "กย"),
    ("ตุลาคม", "ตค"),
    ("พฤศจิกายน", "พย"),
    ("ธันวาคม", "ธค"),
];

/// The forms people type: `dd/mm/yyyy` (or `-`, `.`) and `dd <Thai month> yyyy`.
fn desk_form(t: &str) -> Option<(i32, u32, u32)> {
    day_month_year(t).or_else(|| thai_month_date(t))
}

/// Up to `max_len` ASCII digits as a number.
fn number(s: &str, max_len: usize) -> Option<u32> {
    (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `dd/mm/yyyy` (or `-`, `.`): day first, as Thai (and British) staff write it; the year in full.
fn day_month_year(t: &str) -> Option<(i32, u32, u32)> {
    match t.split(['/', '-', '.']).collect::<Vec<_>>().as_slice() {
        [d, m, y] if y.len() == 4 => Some((i32::try_from(number(y, 4)?).ok()?, number(m, 2)?, number(d, 2)?)),
        _ => None,
    }
}

/// `30 ก.ย. 2568`, `30 กันยายน 2568`, `30กย68`: day, Thai month, year (two digits are BE 25xx).
fn thai_month_date(t: &str) -> Option<(i32, u32, u32)> {
    let day_end = t.find(|c: char| !c.is_ascii_digit())?;
    let year_start = t.char_indices().rev().find(|(_, c)| !c.is_ascii_digit()).map(|(i, c)| i + c.len_utf8())?;
    let (day, year) = (number(&t[..day_end], 2)?, &t[year_start..]);
    let month_text: String = t[day_end..year_start].chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    let month = THAI_MONTHS.iter().position(|(full, short)| month_text == *full || month_text == *short)?;
    let year = match year.len() {
        4 => number(year, 4)?,
        // `30 ก.ย. 68`: a Thai date with a short year is BE.
        2 => 2500 + number(year, 2)?,
        _ => return None,
    };
    Some((i32::try_from(year).ok()?, u32::try_from(month).ok()? + 1, day))
}

fn split_date(t: &str) -> Option<(i32, u32, u32)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut parts = t.split('-');
    let (y, m, d) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None)
            if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
        {
            (y, m, d)
        }
        // `get`, not indexing: eight bytes need not be eight characters (found by fuzzing).
        (Some(whole), None, ..) if whole.len() == 8 => (whole.get(..4)?, whole.get(4..6)?, whole.get(6..)?),
        _ => return None,
    };
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// Formats a date in BE: `2568-01-15`.
pub fn format_be(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", ce_to_be(date.year()), date.month(), date.day())
}

/// Formats a date the way Thai staff write it: day/month/BE year, `30/09/2568`.
///
/// ```
/// let d = chrono::NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
/// assert_eq!(kongtun_core::calendar::format_thai(d), "30/09/2568");
/// ```
pub fn format_thai(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), ce_to_be(date.year()))
}

/// A Thai fiscal year, named by its BE year (FY2568 = 1 Oct 2024 - 30 Sep 2025).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// The fiscal year named `be_year` (e.g. 2568).
    pub const fn new(be_year: i32) -> FiscalYear {
        FiscalYear(be_year)
    }

    /// The fiscal year a day falls in: October onwards belongs to the next year's FY.
    pub fn of(date: NaiveDate) -> FiscalYear {
        let ce = if date.month() >= 10 { date.year() + 1 } else { date.year() };
        FiscalYear(ce_to_be(ce))
    }

    /// The BE year that names it.
    pub fn be_year(self) -> i32 {
        self.0
    }

    /// 1 October of the CE year before the one it ends in.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(be_to_ce(self.0) - 1, 10, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 30 September of the CE year it ends in.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(be_to_ce(self.0), 9, 30).unwrap_or(NaiveDate::MAX)
    }

    /// The fiscal year `n` years later.
    pub fn plus(self, n: i32) -> FiscalYear {
        FiscalYear(self.0 + n)
    }

    /// True when `date` falls in this fiscal year.
    pub fn contains(self, date: NaiveDate) -> bool {
        FiscalYear::of(date) == self
    }
}

impl fmt::Display for FiscalYear {
    /// `FY2568`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

impl fmt::Debug for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for FiscalYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.0)
    }
}

impl<'de> Deserialize<'de> for FiscalYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FiscalYear, D::Error> {
        let year = i32::deserialize(deserializer)?;
        if year < FIRST_BE_YEAR {
            return Err(serde::de::Error::custom(format!(
                "fiscal year {year} must be a Buddhist-Era year (2400 or more), e.g. 2568"
            )));
        }
        Ok(FiscalYear(year))
    }
}

/// Serde helper for dates that accept CE or BE text: `#[serde(with = "kongtun_core::calendar::date_text")]`.
/// Writes CE `YYYY-MM-DD`.
pub mod date_text {
    use super::*;

    /// Writes the date as CE `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&date.format("%Y-%m-%d"))
    }

    /// Reads CE or BE text (see [`parse_date`](super::parse_date)).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_string(DateText)
    }

    /// A date from its text, read where it lies (no `String` made for it).
    pub(super) struct DateText;

    impl serde::de::Visitor<'_> for DateText {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            // What `String`'s visitor says, so errors read as they did.
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            parse_date(text).map_err(E::custom)
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<NaiveDate, E> {
            match std::str::from_utf8(v) {
                Ok(text) => self.visit_str(text),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
            }
        }
    }
}

/// Like [`date_text`] for optional dates: `#[serde(default, with = "kongtun_core::calendar::opt_date_text")]`.
pub mod opt_date_text {
    use super::*;

    /// Writes the date as CE `YYYY-MM-DD`, or nothing.
    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => serializer.collect_str(&d.format("%Y-%m-%d")),
            None => serializer.serialize_none(),
        }
    }

    /// Reads CE or BE text, or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
        deserializer.deserialize_option(OptDate)
    }

    /// As serde's `Option` visitor, with [`super::date_text`]'s inside.
    struct OptDate;

    impl<'de> serde::de::Visitor<'de> for OptDate {
        type Value = Option<NaiveDate>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("option")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Option<NaiveDate>, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<NaiveDate>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
            deserializer.deserialize_string(super::date_text::DateText).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn fiscal_year_turns_on_first_of_october() {
        assert_eq!(FiscalYear::of(day(2024, 9, 30)), FiscalYear::new(2567));
        assert_eq!(FiscalYear::of(day(2024, 10, 1)), FiscalYear::new(2568));
        assert_eq!(FiscalYear::of(day(2025, 9, 30)), FiscalYear::new(2568));
        assert_eq!(FiscalYear::of(day(2025, 10, 1)), FiscalYear::new(2569));
        assert_eq!(FiscalYear::of(day(2025, 1, 1)), FiscalYear::new(2568));
    }

    #[test]
    fn fiscal_year_bounds() {
        let fy = FiscalYear::new(2568);
        assert_eq!(fy.first_day(), day(2024, 10, 1));
        assert_eq!(fy.last_day(), day(2025, 9, 30));
        assert!(fy.contains(fy.first_day()) && fy.contains(fy.last_day()));
        assert!(!fy.contains(fy.last_day().succ_opt().unwrap()));
        assert_eq!(fy.plus(1).last_day(), day(2026, 9, 30));
        assert_eq!(fy.to_string(), "FY2568");
    }

    #[test]
    fn be_and_ce() {
        assert_eq!(be_to_ce(2568), 2025);
        assert_eq!(ce_to_be(2025), 2568);
        assert_eq!(parse_date("2568-01-15").unwrap(), day(2025, 1, 15));
        assert_eq!(parse_date("2025-01-15").unwrap(), day(2025, 1, 15));
        assert_eq!(parse_date("25680115").unwrap(), day(2025, 1, 15));
        assert_eq!(format_be(day(2025, 1, 15)), "2568-01-15");
        // 29 Feb exists in BE 2567 (= 2024, a leap year) but not in BE 2568
        assert!(parse_date("2567-02-29").is_ok());
        assert!(matches!(parse_date("2568-02-29"), Err(DateError::NoSuchDay(_))));
    }

    #[test]
    fn reads_the_forms_people_type() {
        let d = day(2025, 9, 30);
        for text in [
            "30/09/2568",
            "30/9/2568",
            "30/09/2025",
            "30-09-2568",
            "30.09.2568",
            "30 ก.ย. 2568",
            "30 ก.ย 2568",
            "30 กย 68",
            "30ก.ย.2568",
            "30 กันยายน 2568",
            "30 กันยายน 2025",
            "๒๕๖๘-๐๙-๓๐",
            "๓๐/๐๙/๒๕๖๘",
            "๓๐ ก.ย. ๒๕๖๘",
            " 30/09/2568 ",
        ] {
            assert_eq!(parse_date(text), Ok(d), "{text}");
        }
        for (m, (full, _)) in THAI_MONTHS.iter().enumerate() {
            assert_eq!(parse_date(&format!("1 {full} 2568")), Ok(day(2025, m as u32 + 1, 1)));
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "2025-1",
            "",
            "2025-13-01",
            "abcd-ef-gh",
            "1800-01-01",
            "99999-01-01",
            "15/01/25",
            "15/1",
            "30 ก.ย.",
            "ก.ย. 2568",
            "30 กข 2568",
            "30 ก.ย. 568",
            "๓๐",
            "31/09/2568",
            "1/2/3/2568",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(matches!(parse_date("31 ก.ย. 2568"), Err(DateError::NoSuchDay(_))));
        // Files whose layout fixes the form read only it.
        assert!(parse_iso_date("15/01/2568").is_err());
        assert_eq!(parse_iso_date("25680115").unwrap(), day(2025, 1, 15));
        // year 9999 CE is a real, if distant, date; BE 9999 is CE 9456
        assert_eq!(parse_date("9999-12-31").unwrap(), day(9456, 12, 31));
    }
}

/// What decides a claim's deadline: the payer whose rules apply, OP or IP, the claim date,
/// and for road-accident insurance the day of the accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimTiming {
    /// The payer (a fund) whose deadline is asked for.
    pub payer: crate::fund::FundId,
    /// OP or IP, when known.
    pub setting: Option<crate::claim::Setting>,
    /// Discharge for IP, visit for OP.
    pub claim_date: NaiveDate,
    /// The day of the road accident, when there was one.
    pub accident_date: Option<NaiveDate>,
}

/// When each fund's claims turn late and when they expire: what the receivables books need
/// of the fund rules. The rule interpreter implements it from the packs' timeliness rules
/// (`kongtun_rules::Engine`), so the books never depend on the interpreter.
pub trait FundCalendar {
    /// The last day a claim is accepted by its payer.
    fn deadline(&self, claim: &ClaimTiming) -> Option<NaiveDate>;
    /// Days after the claim date within which a claim is on time.
    fn late_window(&self, claim: &ClaimTiming) -> Option<i64>;
}

/// A calendar with no deadlines (reports then leave those columns empty).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCalendar;

impl FundCalendar for NoCalendar {
    fn deadline(&self, _: &ClaimTiming) -> Option<NaiveDate> {
        None
    }
    fn late_window(&self, _: &ClaimTiming) -> Option<i64> {
        None
    }
}
