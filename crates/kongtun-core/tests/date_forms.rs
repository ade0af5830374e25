//! Every date form kongtun reads gives back the day it was written from, in both eras: ISO CE
//! and BE, the e-Claim `YYYYMMDD`, `dd/mm/yyyy` in BE and CE, Thai month names and
//! abbreviations, Thai digits; and kongtun writes BE as staff do (`30/09/2568`) and reads it back.

use chrono::{Datelike, NaiveDate};
use kongtun_core::calendar::{ce_to_be, format_be, format_thai, parse_date};
use proptest::prelude::*;

const SHORT: [&str; 12] =
    ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];

fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(0x0E50 + (c as u32 - '0' as u32)).unwrap_or(c) } else { c })
        .collect()
}

proptest! {
    #[test]
    fn every_form_reads_back_the_same_day(days in 0i64..(365 * 150)) {
        let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
        let (y, m, day) = (d.year(), d.month(), d.day());
        let be = ce_to_be(y);
        let forms = [
            d.to_string(),
            format_be(d),
            format!("{y:04}{m:02}{day:02}"),
            format!("{be:04}{m:02}{day:02}"),
            format_thai(d),
            format!("{day}/{m}/{y}"),
            format!("{day:02}-{m:02}-{be}"),
            format!("{day} {} {be}", SHORT[m as usize - 1]),
            format!("{day}{}{be}", SHORT[m as usize - 1].replace('.', "")),
            thai_digits(&format_thai(d)),
            thai_digits(&format_be(d)),
        ];
        for text in forms {
            prop_assert_eq!(parse_date(&text), Ok(d), "{}", text);
        }
    }
}
