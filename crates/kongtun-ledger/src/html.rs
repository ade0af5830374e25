//! One self-contained HTML page (inline CSS and SVG, no scripts, no network): the aging table
//! by payer and fiscal year, a stacked bar chart of it like the seed slides, the age bands
//! and, when given, the collection periods.

use std::fmt::Write as _;

use kongtun_core::money::Money;
use rust_decimal::prelude::ToPrimitive;

use crate::report::{Aging, CollectionPeriods, Letters, Province};
use crate::table::Table;
use crate::words::{self, Style};

/// Colours of the stacked bars, by payer position (repeats after eight).
const COLOURS: [&str; 8] = ["#1f6fb2", "#e07b24", "#2f9e44", "#c92a2a", "#7048e8", "#0c8599", "#868e96", "#e64980"];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn table_html(t: &Table, id: &str) -> String {
    table_html_marked(t, id, |_| false)
}

/// A table whose body rows `over` picks are marked (class `over`).
fn table_html_marked(t: &Table, id: &str, mut over: impl FnMut(&[crate::table::Cell]) -> bool) -> String {
    let mut out = format!("<h2>{}</h2>\n<table id=\"{id}\">\n<thead><tr>", escape(&t.title));
    for c in &t.columns {
        let _ = write!(out, "<th>{}</th>", escape(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in t.rows.iter().chain(t.total.iter()).enumerate() {
        let total = t.total.is_some() && i == t.rows.len();
        out.push_str(if total {
            "<tr class=\"total\">"
        } else if over(row) {
            "<tr class=\"over\">"
        } else {
            "<tr>"
        });
        for cell in row {
            let (text, num) = match cell {
                crate::table::Cell::Text(s) => (s.clone(), false),
                crate::table::Cell::Number(s) => (s.clone(), true),
                crate::table::Cell::Money(m) => (m.grouped(), true),
                crate::table::Cell::Empty => (String::new(), false),
            };
            let _ = write!(out, "<td{}>{}</td>", if num { " class=\"num\"" } else { "" }, escape(&text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    out
}

fn millions(m: Money) -> f64 {
    // For drawing only: bar heights, never a figure shown as money.
    m.as_decimal().to_f64().unwrap_or(0.0) / 1_000_000.0
}

/// A stacked bar per fiscal year, one segment per payer, with a legend.
fn chart(aging: &Aging, style: Style) -> String {
    let (w, h, left, bottom, top) = (720.0_f64, 360.0_f64, 70.0_f64, 40.0_f64, 20.0_f64);
    let plot_h = h - bottom - top;
    let max = aging.year_totals.iter().map(|m| millions(*m)).fold(0.0_f64, f64::max);
    let max = if max > 0.0 { max * 1.1 } else { 1.0 };
    let n = aging.fiscal_years.len().max(1) as f64;
    let slot = (w - left - 160.0) / n;
    let bar = slot * 0.6;
    let mut svg = format!(
        "<svg id=\"aging-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Receivables by fiscal year and payer\">\n"
    );
    // Axis and four grid lines, labelled in millions of baht.
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = top + plot_h - plot_h * f64::from(i) / 4.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{v:.2} M</text>",
            w - 160.0,
            left - 6.0,
            y + 4.0
        );
    }
    for (yi, fy) in aging.fiscal_years.iter().enumerate() {
        let x = left + slot * yi as f64 + (slot - bar) / 2.0;
        let mut base = top + plot_h;
        for (pi, p) in aging.payers.iter().enumerate() {
            let v = millions(p.by_year[yi]);
            if v <= 0.0 {
                continue;
            }
            let hgt = plot_h * v / max;
            base -= hgt;
            let _ = writeln!(
                svg,
                "<rect class=\"seg\" x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar:.1}\" height=\"{hgt:.1}\" fill=\"{}\"><title>{} {fy}: {} baht</title></rect>",
                COLOURS[pi % COLOURS.len()],
                escape(p.payer.as_str()),
                p.by_year[yi].grouped()
            );
        }
        let label = if style.thai { format!("ปีงบ {}", fy.be_year()) } else { fy.to_string() };
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{label}</text>",
            x + bar / 2.0,
            top + plot_h + 18.0
        );
    }
    for (pi, p) in aging.payers.iter().enumerate() {
        let y = top + 18.0 * pi as f64;
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            w - 140.0,
            COLOURS[pi % COLOURS.len()],
            w - 122.0,
            y + 11.0,
            escape(p.payer.as_str())
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A table in the page's style.
fn styled(mut t: Table, style: Style) -> Table {
    t.localize(style);
    t
}

/// The page, in English or Thai (`style`), dates in the style's calendar.
pub fn page(aging: &Aging, periods: Option<&CollectionPeriods>, style: Style) -> String {
    let lang = if style.thai { "th" } else { "en" };
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"LANG\">\n<head>\n<meta charset=\"utf-8\">\n<title>kongtun receivables</title>\n<style>\n\
         body{font-family:sans-serif;margin:2em;color:#222}\ntable{border-collapse:collapse;margin:1em 0}\n\
         th,td{border:1px solid #ccc;padding:4px 8px}\nth{background:#f1f3f5}\ntd.num{text-align:right;font-variant-numeric:tabular-nums}\n\
         tr.total td{font-weight:bold;border-top:2px solid #888}\n</style>\n</head>\n<body>\n",
    )
    .replace("LANG", lang);
    let as_of = words::date(aging.as_of, style);
    let _ = if style.thai {
        writeln!(
            out,
            "<h1>ลูกหนี้ค่ารักษาพยาบาล ณ วันที่ {as_of}</h1>\n<p>ลูกหนี้คงค้าง {} บาท จำนวน {} รายการ</p>",
            aging.total.grouped(),
            aging.count
        )
    } else {
        writeln!(
            out,
            "<h1>Receivables (ลูกหนี้) as of {as_of}</h1>\n<p>Open balances: {} baht in {} receivables.</p>",
            aging.total.grouped(),
            aging.count
        )
    };
    out.push_str(&table_html(&styled(aging.by_year_table(), style), "aging-by-year"));
    out.push_str(&chart(aging, style));
    out.push_str(&table_html(&styled(aging.by_band_table(), style), "aging-by-band"));
    if let Some(p) = periods {
        out.push_str(&table_html(&styled(p.table(), style), "collection-period"));
    }
    out.push_str("<p><small>Made by kongtun. Amounts in baht.</small></p>\n</body>\n</html>\n");
    out
}

/// A bar per hospital of its open balances, one segment per payer, with a legend.
fn province_chart(p: &Province) -> String {
    let (w, left, top, row_h) = (760.0_f64, 90.0_f64, 10.0_f64, 26.0_f64);
    let h = top * 2.0 + row_h * p.hospitals.len().max(1) as f64 + 20.0;
    let plot_w = w - left - 170.0;
    let max = p.hospitals.iter().map(|x| millions(x.total)).fold(0.0_f64, f64::max);
    let max = if max > 0.0 { max * 1.05 } else { 1.0 };
    let mut svg = format!(
        "<svg id=\"province-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Receivables by hospital and fund\">\n"
    );
    for (hi, hospital) in p.hospitals.iter().enumerate() {
        let y = top + row_h * hi as f64;
        let mut x = left;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 15.0,
            escape(&hospital.hcode)
        );
        for (pi, payer) in p.payers.iter().enumerate() {
            let v = millions(hospital.by_payer[pi]);
            if v <= 0.0 {
                continue;
            }
            let width = plot_w * v / max;
            let _ = writeln!(
                svg,
                "<rect class=\"seg\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"18\" fill=\"{}\"><title>{} {}: {} baht</title></rect>",
                COLOURS[pi % COLOURS.len()],
                escape(&hospital.hcode),
                escape(payer.as_str()),
                hospital.by_payer[pi].grouped()
            );
            x += width;
        }
    }
    for (pi, payer) in p.payers.iter().enumerate() {
        let y = top + 18.0 * pi as f64;
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{} {}%</text>",
            w - 150.0,
            COLOURS[pi % COLOURS.len()],
            w - 132.0,
            y + 11.0,
            escape(payer.as_str()),
            p.shares[pi].map_or_else(String::new, |s| s.to_string())
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The provincial page: receivables by hospital and fund with the funds' shares, a bar per
/// hospital, hospital x fund x fiscal year, and each hospital's collection periods with those
/// over target marked.
pub fn province_page(p: &Province, style: Style) -> String {
    let lang = if style.thai { "th" } else { "en" };
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"LANG\">\n<head>\n<meta charset=\"utf-8\">\n<title>kongtun receivables by hospital</title>\n<style>\n\
         body{font-family:sans-serif;margin:2em;color:#222}\ntable{border-collapse:collapse;margin:1em 0}\n\
         th,td{border:1px solid #ccc;padding:4px 8px}\nth{background:#f1f3f5}\ntd.num{text-align:right;font-variant-numeric:tabular-nums}\n\
         tr.total td{font-weight:bold;border-top:2px solid #888}\ntr.over td{background:#ffe3e3}\n</style>\n</head>\n<body>\n",
    )
    .replace("LANG", lang);
    let over: Vec<&str> = p.hospitals.iter().filter(|h| !h.over_target.is_empty()).map(|h| h.hcode.as_str()).collect();
    let as_of = words::date(p.as_of, style);
    let none = if style.thai { "ไม่มี" } else { "none" };
    let over = if over.is_empty() { none.to_string() } else { escape(&over.join(", ")) };
    let _ = if style.thai {
        writeln!(
            out,
            "<h1>ลูกหนี้ค่ารักษาพยาบาลตามหน่วยบริการ ณ วันที่ {as_of}</h1>\n<p>ลูกหนี้คงค้าง {} บาท จาก {} หน่วยบริการ หน่วยบริการที่ระยะเวลาเรียกเก็บหนี้เกินเป้าหมาย: {over}</p>",
            p.total.grouped(),
            p.hospitals.len()
        )
    } else {
        writeln!(
            out,
            "<h1>Receivables by hospital as of {as_of}</h1>\n<p>Open balances: {} baht in {} hospitals. Over a collection-period target: {over}.</p>",
            p.total.grouped(),
            p.hospitals.len()
        )
    };
    out.push_str(&table_html(&styled(p.by_hospital_table(), style), "by-hospital"));
    out.push_str(&province_chart(p));
    out.push_str(&table_html(&styled(p.by_hospital_year_table(), style), "by-hospital-year"));
    // The periods, rows over target marked (judged on the English words, before translating).
    let periods = p.periods_table();
    let over_rows: Vec<bool> = periods
        .rows
        .iter()
        .map(|row| matches!(row.last(), Some(crate::table::Cell::Text(s)) if s == "OVER TARGET"))
        .collect();
    let periods = styled(periods, style);
    let mut row_index = 0usize;
    out.push_str(&table_html_marked(&periods, "periods-by-hospital", |_| {
        let over = over_rows.get(row_index).copied().unwrap_or(false);
        row_index += 1;
        over
    }));
    out.push_str("<p><small>Made by kongtun. Amounts in baht.</small></p>\n</body>\n</html>\n");
    out
}

/// Dunning letters ready to print, one to a printed page (A4), in the style's language and
/// calendar: the patient's name and HN when the visit list gives them, the visit, the amount
/// still owed, which letter it is and the day to pay by. On screen the list of letters comes
/// first; it is not printed.
pub fn letters_page(letters: &Letters, style: Style) -> String {
    let lang = if style.thai { "th" } else { "en" };
    let date = |d| words::date(d, style);
    let list = styled(letters.table(), style);
    let title = list.title.clone();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
         body {{ font-family: 'Sarabun', 'TH Sarabun New', 'Noto Sans Thai', Tahoma, sans-serif; margin: 2em; }}\n\
         table {{ border-collapse: collapse; margin-bottom: 2em; }}\n\
         th, td {{ border: 1px solid #ccc; padding: 4px 8px; }}\n\
         td.num {{ text-align: right; }}\n\
         .letter {{ max-width: 40em; margin: 3em 0; font-size: 16pt; line-height: 1.6; }}\n\
         .letter .amount {{ font-weight: bold; }}\n\
         @page {{ size: A4; margin: 25mm 20mm; }}\n\
         @media print {{ .list {{ display: none; }} .letter {{ margin: 0; break-after: page; }} }}\n\
         </style>\n</head>\n<body>\n<div class=\"list\">\n",
        escape(&title)
    );
    out.push_str(&table_html(&list, "letters"));
    out.push_str("</div>\n");
    for l in &letters.letters {
        let amount = l.amount.grouped();
        let who = match (l.name.is_empty(), style.thai) {
            (false, _) => l.name.clone(),
            (true, true) => "ผู้รับบริการ".to_string(),
            (true, false) => "Patient".to_string(),
        };
        let hn = if l.hn.is_empty() { String::new() } else { format!(" (HN {})", l.hn) };
        let (heading, body) = if style.thai {
            (
                format!("หนังสือทวงถามหนี้ค่ารักษาพยาบาล ฉบับที่ {}", l.number),
                format!(
                    "<p>วันที่ {}</p>\n<p>เรียน {}{}</p>\n<p>ตามที่ท่านได้รับบริการเมื่อวันที่ {} (เลขที่ {} สิทธิ {}) ยังมียอดค่ารักษาพยาบาลค้างชำระ <span class=\"amount\">{} บาท</span> \
                     จึงขอความกรุณาชำระภายในวันที่ {} ที่งานการเงินของโรงพยาบาล</p>\n<p>หากท่านได้ชำระแล้ว ขออภัยและโปรดละเว้นหนังสือฉบับนี้</p>\n",
                    date(letters.as_of), escape(&who), escape(&hn), date(l.claim_date), escape(&l.claim), escape(l.fund.as_str()), amount, date(l.pay_by)
                ),
            )
        } else {
            (
                format!("Reminder of an unpaid hospital bill, letter {}", l.number),
                format!(
                    "<p>{}</p>\n<p>Dear {}{}</p>\n<p>For the care you received on {} (claim {}, fund {}), <span class=\"amount\">{} baht</span> is still unpaid. \
                     Please pay it by {} at the hospital's finance office.</p>\n<p>If you have paid already, please accept our thanks and disregard this letter.</p>\n",
                    date(letters.as_of), escape(&who), escape(&hn), date(l.claim_date), escape(&l.claim), escape(l.fund.as_str()), amount, date(l.pay_by)
                ),
            )
        };
        let _ = write!(out, "<section class=\"letter\">\n<h2>{}</h2>\n{body}</section>\n", escape(&heading));
    }
    out.push_str("</body>\n</html>\n");
    out
}
