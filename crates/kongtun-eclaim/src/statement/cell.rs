//! Cell values of statement files: text, money, decimals and dates, whatever a spreadsheet
//! made of them (text, a number, an Excel date), never through float arithmetic.
//!
//! ```
//! use calamine::Data;
//! use kongtun_eclaim::statement::cell::{date, money, text};
//!
//! // a number cell of 1,234.56 is the f64 nearest to it: read back to the decimal written
//! assert_eq!(money(&Data::Float(1234.56)).unwrap().unwrap().to_string(), "1234.56");
//! assert_eq!(money(&Data::String("1,234.50".into())).unwrap().unwrap().to_string(), "1234.50");
//! assert_eq!(money(&Data::String("-".into())).unwrap(), None); // `-` is empty
//! // a formula's float noise is rounded once, to the satang
//! assert_eq!(money(&Data::Float(0.1 + 0.2)).unwrap().unwrap().to_string(), "0.30");
//!
//! // BE text, CE text, an Excel serial date
//! assert_eq!(date(&Data::String("20/12/2568 10:30:00".into())).unwrap().unwrap().to_string(), "2025-12-20");
//! assert_eq!(date(&Data::String("20/12/2025".into())).unwrap().unwrap().to_string(), "2025-12-20");
//! assert_eq!(date(&Data::Float(45646.0)).unwrap().unwrap().to_string(), "2024-12-20");
//! assert!(date(&Data::String("31/02/2568".into())).is_err());
//!
//! // an HN typed as a number keeps no ".0"
//! assert_eq!(text(&Data::Float(2002.0)), "2002");
//! ```

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;
use kongtun_core::calendar::{parse_date, DateError};
use kongtun_core::decimal::decimal_from_f64;
use kongtun_core::money::{Money, MAX_AMOUNT};
use rust_decimal::Decimal;

/// A cell as text, trimmed: numbers as their shortest decimal (`2002`, not `2002.0`), dates as
/// `YYYY-MM-DD`, errors as `#DIV/0!` and the like.
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => decimal_from_f64(*f).map(|d| d.normalize().to_string()).unwrap_or_else(|_| f.to_string()),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d).map(|d| d.to_string()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::Error(e) => e.to_string(),
    }
}

/// True for a cell that says nothing: empty, blank, or `-` (NHSO's "none").
pub fn is_blank(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t == "-"
}

/// The cell's text, `None` when blank (see [`is_blank`]).
pub fn opt_text(cell: &Data) -> Option<String> {
    Some(text(cell)).filter(|t| !is_blank(t))
}

/// A decimal number written in text (thousands commas allowed), exactly.
pub fn decimal_text(t: &str) -> Result<Decimal, String> {
    // the value's own message starts with the text, which the caller shows already
    crate::value::decimal(t).map_err(|e| e.strip_prefix(&format!("`{}` ", t.trim())).map_or(e.clone(), str::to_string))
}

/// A number cell or numeric text, exactly (a float becomes the decimal it was written as);
/// `None` when blank.
pub fn decimal(cell: &Data) -> Result<Option<Decimal>, String> {
    match cell {
        Data::Int(i) => Ok(Some(Decimal::from(*i))),
        Data::Float(f) => decimal_from_f64(*f).map(Some).map_err(|e| e.to_string()),
        Data::Bool(_) | Data::DateTime(_) | Data::Error(_) => {
            Err(format!("is not a number: expected digits such as 1.2345 (the cell holds {})", kind(cell)))
        }
        _ => {
            let t = text(cell);
            if is_blank(&t) {
                Ok(None)
            } else {
                decimal_text(&t).map(Some)
            }
        }
    }
}

fn kind(cell: &Data) -> &'static str {
    match cell {
        Data::Bool(_) => "true/false",
        Data::DateTime(_) | Data::DateTimeIso(_) => "a date",
        Data::Error(_) => "a formula error",
        _ => "text",
    }
}

/// An amount of baht: text (`1,234.50`) or a number cell; may be negative (a claw-back).
///
/// A number cell is an `f64`: it is turned back into the shortest decimal that reads as the
/// same float (what the author typed), then rounded once, half away from zero, to the satang;
/// so `1234.56` stays `1234.56` and a formula's `0.30000000000000004` is `0.30`. No arithmetic
/// is done on floats. `None` when blank.
pub fn money(cell: &Data) -> Result<Option<Money>, String> {
    let Some(d) = decimal(cell).map_err(|e| {
        if e.starts_with("is not") {
            e.replace("digits such as 1.2345", "baht such as 1,234.50")
        } else {
            e
        }
    })?
    else {
        return Ok(None);
    };
    if d.abs() > MAX_AMOUNT {
        return Err("is outside the accepted range of +/-10,000,000,000 baht".into());
    }
    Ok(Some(Money::rounded(d)))
}

/// Days since Excel's 1900 epoch (or 1904's) to a date; the time of day is dropped.
fn excel_date(d: &ExcelDateTime) -> Option<NaiveDate> {
    if !d.is_datetime() || !(1.0..2_958_466.0).contains(&d.as_f64()) {
        return None;
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    be_to_ce(NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))?)
}

/// A year above 2400 is BE: 543 years are taken off. (A date typed in BE into a date cell is
/// stored by Excel as that year.)
fn be_to_ce(d: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    if d.year() > 2400 {
        NaiveDate::from_ymd_opt(d.year() - 543, d.month(), d.day())
    } else {
        Some(d)
    }
}

/// A date in text, any form [`parse_date`] reads (`dd/mm/yyyy`, `yyyy-mm-dd`, `yyyymmdd`, Thai
/// months and digits; a year of 2400 or more is BE), with an optional time after a space or
/// `T` (as in XML) that is dropped.
pub fn date_text(t: &str) -> Result<NaiveDate, String> {
    let t = t.trim();
    let day_part = t.split([' ', 'T']).next().unwrap_or("");
    // The day part first (a time may follow, and nothing else); a Thai month date has spaces
    // of its own.
    let rest = t[day_part.len()..].trim_start_matches([' ', 'T']);
    let read = match parse_date(day_part) {
        Err(DateError::Format(_)) => parse_date(t),
        Ok(_) if !is_time(rest) => parse_date(t),
        read => read,
    };
    match read {
        Ok(d) => Ok(d),
        Err(DateError::Format(_)) => {
            Err("is not a date: expected dd/mm/yyyy (BE or CE, e.g. 20/12/2568), yyyy-mm-dd or an Excel date"
                .to_string())
        }
        Err(DateError::NoSuchDay(_)) => Err("is not a day of the calendar".to_string()),
        Err(DateError::OutOfRange { year, be, .. }) => {
            Err(format!("is the year {year} CE{be}: only 1900 to 9999 CE are accepted"))
        }
    }
}

/// Nothing, or a time of day (`10:30`, `10:30:15`, `10:30:15.250`), with a zone as XML may
/// write it (`Z`, `+07:00`).
fn is_time(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (time, zone) = match text.find(['+', '-']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let whole = |p: &str| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit());
    let mut parts = time.split(':');
    let clock = parts.next().is_some_and(whole)
        && parts.next().is_some_and(whole)
        && parts.next().is_none_or(|s| {
            let (sec, frac) = s.split_once('.').unwrap_or((s, "0"));
            whole(sec) && !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit())
        })
        && parts.next().is_none();
    let zone_ok = zone.is_none_or(|z| {
        let digits: String = z.chars().filter(|c| *c != ':').collect();
        digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit())
    });
    clock && zone_ok
}

/// A date cell: text (see [`date_text`]), an Excel date, or a serial number of days (Excel's
/// 1900 system); `None` when blank.
pub fn date(cell: &Data) -> Result<Option<NaiveDate>, String> {
    match cell {
        Data::DateTime(d) => excel_date(d).map(Some).ok_or_else(|| "is not a date Excel can show".to_string()),
        Data::Float(_) | Data::Int(_) => {
            let serial = match cell {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => 0.0,
            };
            // A plausible serial date: 1 Jan 1950 to 31 Dec 2199.
            if !(18_264.0..109_574.0).contains(&serial) {
                return Err(format!(
                    "is not a date: a number here must be an Excel serial date (days since 1900), and {} is not one between 1950 and 2199",
                    text(cell)
                ));
            }
            let d = ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false);
            excel_date(&d).map(Some).ok_or_else(|| "is not a date".to_string())
        }
        _ => {
            let t = text(cell);
            if is_blank(&t) {
                Ok(None)
            } else {
                date_text(&t).map(Some)
            }
        }
    }
}

/// Thai month names, full and abbreviated, to their number.
const THAI_MONTHS: [(&str, &str); 12] = [
    ("มกราคม", "ม.ค."),
    ("กุมภาพันธ์", "ก.พ."),
    ("มีนาคม", "มี.ค."),
    ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."),
    ("กรกฎาคม", "ก.ค."),
    ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."),
    ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."),
    ("ธันวาคม", "ธ.ค."),
];

/// A date written in Thai words, as CSMBS statement headers have it: `5  ธันวาคม  2565`
/// (also with the abbreviated month, `5 ธ.ค. 2565`); the year BE, or CE below 2400.
///
/// ```
/// use kongtun_eclaim::statement::cell::thai_date;
/// assert_eq!(thai_date("5  ธันวาคม  2565").unwrap().to_string(), "2022-12-05");
/// assert_eq!(thai_date("28 ก.พ. 2568").unwrap().to_string(), "2025-02-28");
/// assert!(thai_date("5 December 2022").is_none());
/// ```
pub fn thai_date(t: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = t.split_whitespace().collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let month = THAI_MONTHS.iter().position(|(full, short)| m == full || m == short)? as u32 + 1;
    let year: i32 = y.parse().ok()?;
    NaiveDate::from_ymd_opt(if year > 2400 { year - 543 } else { year }, month, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_from_floats_is_exact_to_the_satang() {
        let m = |f: f64| money(&Data::Float(f)).unwrap().unwrap().to_string();
        assert_eq!(m(0.0), "0.00");
        assert_eq!(m(79025.0), "79025.00");
        assert_eq!(m(1453.1), "1453.10");
        assert_eq!(m(-150.75), "-150.75");
        assert_eq!(m(12_345_678.91), "12345678.91");
        assert_eq!(m(1.005), "1.01"); // half away from zero, once: not 1.00 as f64 arithmetic would
        assert_eq!(m(2.675), "2.68");
        assert!(money(&Data::Float(f64::NAN)).is_err());
        assert!(money(&Data::Float(1e12)).unwrap_err().contains("outside"));
        assert!(money(&Data::String("12,50".into())).is_err());
        assert!(money(&Data::Bool(true)).unwrap_err().contains("baht such as 1,234.50"));
        assert_eq!(money(&Data::Int(7)).unwrap().unwrap().to_string(), "7.00");
    }

    #[test]
    fn dates_in_every_form() {
        let d = |c: Data| date(&c).map(|o| o.map(|d| d.to_string()));
        assert_eq!(d(Data::String("01/10/2567".into())), Ok(Some("2024-10-01".into())));
        assert_eq!(d(Data::String("1/9/2568 08:05".into())), Ok(Some("2025-09-01".into())));
        assert_eq!(d(Data::String("2568-09-30".into())), Ok(Some("2025-09-30".into())));
        assert_eq!(d(Data::String("2025-09-30T10:11:12".into())), Ok(Some("2025-09-30".into())));
        assert_eq!(d(Data::String("25680930".into())), Ok(Some("2025-09-30".into())));
        assert_eq!(d(Data::String("-".into())), Ok(None));
        assert_eq!(d(Data::Empty), Ok(None));
        // 29 Feb exists in 2567 BE (2024 CE) only once the year is converted
        assert_eq!(d(Data::String("29/02/2567".into())), Ok(Some("2024-02-29".into())));
        assert_eq!(d(Data::Int(45292)), Ok(Some("2024-01-01".into())));
        assert!(d(Data::Float(12.0)).unwrap_err().contains("serial date"));
        // an Excel date cell holding a BE year
        let be = ExcelDateTime::new(243_000.0, ExcelDateTimeType::DateTime, false);
        let shown = be.to_ymd_hms_milli();
        let got = date(&Data::DateTime(be)).unwrap().unwrap();
        assert_eq!(chrono::Datelike::year(&got), i32::from(shown.0) - 543);
        assert!(d(Data::String("32/01/2568".into())).unwrap_err().contains("not a day"));
        assert!(d(Data::String("29/02/2568".into())).unwrap_err().contains("not a day"));
        assert!(d(Data::String("2568/13".into())).unwrap_err().contains("dd/mm/yyyy"));
        // eight bytes that are not eight digits (a Thai letter is three bytes)
        assert!(d(Data::String("12345ก".into())).unwrap_err().contains("dd/mm/yyyy"));
        // a time and a zone may follow the day, nothing else
        assert_eq!(d(Data::String("2025-09-30T10:11:12+07:00".into())), Ok(Some("2025-09-30".into())));
        assert_eq!(d(Data::String("2025-09-30T10:11:12.5Z".into())), Ok(Some("2025-09-30".into())));
        assert!(d(Data::String("30/09/2025 xyz".into())).is_err());
        assert!(d(Data::String("2025-09-30Tgarbage".into())).is_err());
    }
}
