//! The reports' words in English and Thai, side by side in one catalogue, and the dates in
//! the Thai calendar. A report is built once, in English; [`Table::localize`] turns its title,
//! headings and status words into Thai and its dates into Buddhist-Era `dd/mm/yyyy`.
//!
//! [`Table::localize`]: crate::Table::localize

use chrono::{Datelike, NaiveDate};

/// How a report is written: its language, and whether dates are Buddhist Era.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Thai words (else English).
    pub thai: bool,
    /// Dates as `dd/mm/yyyy` in the Buddhist Era (else ISO, CE).
    pub be_dates: bool,
}

impl Style {
    /// English, ISO dates.
    pub const EN: Style = Style { thai: false, be_dates: false };
    /// Thai, BE dates.
    pub const TH: Style = Style { thai: true, be_dates: true };
}

/// Every heading and status word of the reports: English, Thai.
pub const WORDS: &[(&str, &str)] = &[
    // headings
    ("code", "รหัส"),
    ("type", "ประเภท"),
    ("description", "คำอธิบาย"),
    ("fix", "วิธีแก้ไข"),
    ("payer", "ผู้จ่าย"),
    ("fund", "สิทธิ"),
    ("total", "รวม"),
    ("claims", "จำนวนเคส"),
    ("claim", "เคส"),
    ("of which held", "ในจำนวนนี้ถูกระงับ"),
    ("receivables", "ลูกหนี้คงค้าง"),
    ("revenue", "รายได้"),
    ("days", "จำนวนวัน"),
    ("target", "เป้าหมาย"),
    ("status", "สถานะ"),
    ("FY", "ปีงบ"),
    ("expected", "พึงได้รับ"),
    ("paid", "ได้รับแล้ว"),
    ("adjusted", "ปรับปรุง"),
    ("balance", "คงเหลือ"),
    ("error", "ข้อผิดพลาด"),
    ("deadline", "วันครบกำหนด"),
    ("days left", "เหลืออีก (วัน)"),
    ("action", "สิ่งที่ต้องทำ"),
    ("hospital", "หน่วยบริการ"),
    ("over target", "เกินเป้าหมาย"),
    ("share %", "สัดส่วน %"),
    ("date", "วันที่"),
    ("entry", "รายการที่"),
    ("account", "รหัสบัญชี"),
    ("account_name", "ชื่อบัญชี"),
    ("hcode", "รหัสหน่วยบริการ"),
    ("debit", "เดบิต"),
    ("credit", "เครดิต"),
    ("memo", "คำอธิบาย"),
    ("name", "ชื่อ"),
    ("group", "กลุ่ม"),
    ("opening", "ยอดต้นปี"),
    ("closing", "ยอดปลายงวด"),
    ("average", "ยอดเฉลี่ย"),
    ("month", "เดือน"),
    ("visits", "ผู้มารับบริการ"),
    ("missing", "ไม่ได้ส่งเบิก"),
    ("missing %", "ไม่ได้ส่งเบิก %"),
    ("delayed", "ส่งล่าช้า"),
    ("delayed %", "ส่งล่าช้า %"),
    ("C/D errors", "ติด C/D"),
    ("error %", "ติด C/D %"),
    ("expired", "หมดอายุ"),
    ("expired %", "หมดอายุ %"),
    ("lost", "สูญเสีย"),
    ("late cut", "ถูกหักส่งล่าช้า"),
    ("answered", "ได้รับผลตอบกลับ"),
    ("age", "อายุหนี้"),
    ("open", "คงค้าง"),
    ("letters", "หนังสือทวงถาม"),
    ("step", "ขั้นตอน"),
    ("next", "ถัดไป"),
    ("due", "ครบกำหนด"),
    ("number", "ลำดับ"),
    ("hn", "HN"),
    ("setting", "ประเภท"),
    ("claim date", "วันที่เคลม"),
    ("pay by", "ชำระภายใน"),
    ("letter", "ฉบับที่"),
    ("amount", "จำนวนเงิน"),
    ("send by", "ส่งภายใน"),
    ("days to deadline", "เหลืออีกก่อนหมดอายุ (วัน)"),
    ("owed", "พึงได้รับ"),
    ("cut if late", "ถูกหักหากส่งล่าช้า"),
    ("standing", "สถานะ"),
    ("in time", "ทันกำหนด"),
    ("late", "ล่าช้า"),
    // status words and actions
    ("OVER TARGET", "เกินเป้าหมาย"),
    ("within target", "อยู่ในเป้าหมาย"),
    ("fix and re-send", "แก้ไขและส่งใหม่"),
    ("fix before sending", "แก้ไขก่อนส่ง"),
    ("send", "ส่งเบิก"),
    ("await statement", "รอผลการจ่าย"),
    ("await pending case", "รอผลคดี"),
    ("adjust difference", "ปรับปรุงส่วนต่าง"),
    ("refund overpayment", "คืนเงินที่รับเกิน"),
    ("EXPIRED", "หมดอายุ"),
    ("write-off committee", "เสนอคณะกรรมการตัดหนี้"),
    ("set up", "ตั้งลูกหนี้"),
    ("written off", "ตัดหนี้สูญ"),
    ("now", "ทันที"),
    ("sent", "ส่งแล้ว"),
];

/// The report titles, by their English beginning: English, Thai.
pub const TITLES: &[(&str, &str)] = &[
    ("Error codes (NHSO): what each means and how to fix it", "รหัสข้อผิดพลาด (สปสช.): ความหมายและวิธีแก้ไข"),
    ("Receivables by payer and fiscal year, as of", "ลูกหนี้คงค้างตามผู้จ่ายและปีงบประมาณ ณ วันที่"),
    ("Receivables by age in days, as of", "ลูกหนี้คงค้างตามอายุหนี้ (วัน) ณ วันที่"),
    ("Receivables by hospital and fund, as of", "ลูกหนี้คงค้างตามหน่วยบริการและสิทธิ ณ วันที่"),
    ("Receivables by hospital, fund and fiscal year, as of", "ลูกหนี้คงค้างตามหน่วยบริการ สิทธิ และปีงบประมาณ ณ วันที่"),
    (
        "Average collection period by hospital, fiscal year to",
        "ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้ตามหน่วยบริการ ปีงบประมาณถึงวันที่",
    ),
    ("Average collection period (MOPH ReportRatio),", "ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้ (ReportRatio สป.สธ.)"),
    ("Average collection period,", "ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้"),
    ("Reconciliation as of", "กระทบยอดลูกหนี้ ณ วันที่"),
    ("Dunning letters as of", "หนังสือทวงถามหนี้ ณ วันที่"),
    ("Dunning as of", "การติดตามทวงถามหนี้ ณ วันที่"),
    ("Claim KPIs (Advanced 4S4C) by month of the claim date, as of", "ตัวชี้วัดการเบิกจ่าย (Advanced 4S4C) รายเดือน ณ วันที่"),
    ("Journal", "สมุดรายวันทั่วไป"),
    ("Trial balance as of", "งบทดลอง ณ วันที่"),
    ("Send by, as of", "กำหนดส่งเบิก ณ วันที่"),
];

/// Phrases inside titles after their beginning, longest first: English, Thai.
pub const PHRASES: &[(&str, &str)] = &[
    ("expected from paid rates", "คาดไว้จากอัตราจ่ายจริง"),
    ("claims rejected, not listed (the worklist lists them)", "เคสไม่ผ่านการตรวจ ไม่อยู่ในรายการนี้ (ดูได้ใน worklist)"),
    ("claims not yet sent", "เคสที่ยังไม่ได้ส่งเบิก"),
    ("cut if sent late", "ถูกหักหากส่งล่าช้า"),
    ("owed", "พึงได้รับ"),
    ("to the write-off committee", "เสนอคณะกรรมการตัดหนี้"),
    ("(average receivable / revenue) x 30 x", "(ลูกหนี้เฉลี่ย / รายได้) x 30 x"),
    ("receivable accounts", "บัญชีลูกหนี้"),
    ("letters due 1/2/3", "หนังสือทวงถามครบกำหนด 1/2/3"),
    ("letters", "ฉบับ"),
    ("stuck C/D/V", "ติด C/D/V"),
    ("to adjust", "ต้องปรับปรุง"),
    ("expected", "พึงได้รับ"),
    ("entries", "รายการ"),
    ("months", "เดือน"),
    ("debit", "เดบิต"),
    ("credit", "เครดิต"),
    ("days", "วัน"),
    ("paid", "ได้รับแล้ว"),
    ("held", "ระงับ"),
    (" to ", " ถึง "),
];

/// Words that begin a cell, followed by a number or reference ("letter 2", "paid REP-2567-11").
pub const LEADING: &[(&str, &str)] = &[
    ("letter", "หนังสือฉบับที่"),
    ("paid", "รับชำระ"),
    ("adjusted", "ปรับปรุง"),
    ("set up", "ตั้งลูกหนี้"),
    ("written off", "ตัดหนี้สูญ"),
];

/// A cell's or heading's text in the style: a catalogue word, a leading word and what follows
/// it, a fiscal year (`FY2568` -> `ปีงบ 2568`), a month (`2025-02` -> `02/2568` in BE) and any
/// dates inside. Codes, ids and anything else stay as written.
pub fn cell(text: &str, style: Style) -> String {
    if style.thai {
        if let Some(th) = thai(text) {
            return th.to_string();
        }
        if let Some(year) = text.strip_prefix("FY").filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())) {
            return format!("ปีงบ {year}");
        }
        for (en, th) in LEADING {
            if let Some(rest) = text.strip_prefix(en).and_then(|r| r.strip_prefix(' ')) {
                return format!("{th} {}", dates_in(rest, style));
            }
        }
    }
    if style.be_dates {
        if let Some(month) =
            NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().filter(|_| text.len() == 7)
        {
            return format!("{:02}/{}", month.month(), kongtun_core::calendar::ce_to_be(month.year()));
        }
    }
    dates_in(text, style)
}

/// A word in Thai, if the catalogue has it.
pub fn thai(word: &str) -> Option<&'static str> {
    WORDS.iter().find(|(en, _)| *en == word).map(|(_, th)| *th)
}

/// A date as the style writes it.
pub fn date(d: NaiveDate, style: Style) -> String {
    if style.be_dates {
        kongtun_core::calendar::format_thai(d)
    } else {
        d.to_string()
    }
}

/// `text` with every ISO date (`2025-09-30`) written as the style writes dates.
pub fn dates_in(text: &str, style: Style) -> String {
    if !style.be_dates {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let candidate = text.get(i..i + 10).filter(|_| i + 10 <= bytes.len());
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_digit();
        let parsed = candidate
            .filter(|c| at_word_start && c.as_bytes()[4] == b'-' && c.as_bytes()[7] == b'-')
            .filter(|_| bytes.get(i + 10).is_none_or(|b| !b.is_ascii_digit()))
            .and_then(|c| NaiveDate::parse_from_str(c, "%Y-%m-%d").ok());
        match parsed {
            Some(d) => {
                out.push_str(&date(d, style));
                i += 10;
            }
            None => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// A title in the style: its English beginning in Thai, its dates as the style writes them.
pub fn title(text: &str, style: Style) -> String {
    let text = if style.thai {
        let mut t = match TITLES.iter().find(|(en, _)| text.starts_with(en)) {
            Some((en, th)) => format!("{th}{}", &text[en.len()..]),
            None => text.to_string(),
        };
        for (en, th) in PHRASES {
            t = t.replace(en, th);
        }
        t
    } else {
        text.to_string()
    };
    dates_in(&text, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_both_languages() {
        for (en, th) in WORDS.iter().chain(TITLES).chain(PHRASES).chain(LEADING) {
            assert!(!en.trim().is_empty() && !th.trim().is_empty(), "{en:?} / {th:?}");
            // HN is what Thai staff call it, too.
            let thai = th.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)) || *th == "HN";
            assert!(thai, "{th} is not Thai");
        }
        let mut seen = std::collections::HashSet::new();
        for (en, _) in WORDS {
            assert!(seen.insert(en), "{en} twice");
        }
    }

    #[test]
    fn dates_turn_buddhist_era_and_nothing_else_moves() {
        let be = Style::TH;
        assert_eq!(dates_in("as of 2025-09-30: 1,234.00", be), "as of 30/09/2568: 1,234.00");
        assert_eq!(dates_in("2024-10-01 to 2025-09-30", be), "01/10/2567 to 30/09/2568");
        assert_eq!(dates_in("12025-09-30 2025-13-01 ก.ย.", be), "12025-09-30 2025-13-01 ก.ย.");
        assert_eq!(dates_in("2025-09-30", Style::EN), "2025-09-30");
        assert_eq!(
            title("Reconciliation as of 2025-09-30: expected 5.00, paid 1.00, held 0.00", be),
            "กระทบยอดลูกหนี้ ณ วันที่ 30/09/2568: พึงได้รับ 5.00, ได้รับแล้ว 1.00, ระงับ 0.00"
        );
    }

    #[test]
    fn cells_keep_their_codes_and_numbers() {
        assert_eq!(cell("letter 2", Style::TH), "หนังสือฉบับที่ 2");
        assert_eq!(cell("paid REP-2567-11", Style::TH), "รับชำระ REP-2567-11");
        assert_eq!(cell("FY2568", Style::TH), "ปีงบ 2568");
        assert_eq!(cell("2025-02", Style::TH), "02/2568");
        assert_eq!(cell("2025-02", Style::EN), "2025-02");
        assert_eq!(cell("UC-IP-LATE", Style::TH), "UC-IP-LATE");
        assert_eq!(cell("E116 (C)", Style::TH), "E116 (C)");
        assert_eq!(cell("lettering", Style::TH), "lettering");
        assert_eq!(cell("FY25", Style::TH), "FY25");
    }
}
