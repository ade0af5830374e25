//! One self-contained HTML page (inline CSS and SVG, no scripts, no network): the aging table
//! by payer and fiscal year, a stacked bar chart of it like the seed slides, the age bands
//! and, when given, the collection periods.

use std::fmt::Write as _;

use kongtun_core::money::Money;
use rust_decimal::prelude::ToPrimitive;

use crate::report::{Aging, CollectionPeriods};
use crate::table::Table;

/// Colours of the stacked bars, by payer position (repeats after eight).
const COLOURS: [&str; 8] = ["#1f6fb2", "#e07b24", "#2f9e44", "#c92a2a", "#7048e8", "#0c8599", "#868e96", "#e64980"];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn table_html(t: &Table, id: &str) -> String {
    let mut out = format!("<h2>{}</h2>\n<table id=\"{id}\">\n<thead><tr>", escape(&t.title));
    for c in &t.columns {
        let _ = write!(out, "<th>{}</th>", escape(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in t.rows.iter().chain(t.total.iter()).enumerate() {
        let total = t.total.is_some() && i == t.rows.len();
        out.push_str(if total { "<tr class=\"total\">" } else { "<tr>" });
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
fn chart(aging: &Aging) -> String {
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
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{fy}</text>",
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

/// The page.
pub fn page(aging: &Aging, periods: Option<&CollectionPeriods>) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>kongtun receivables</title>\n<style>\n\
         body{font-family:sans-serif;margin:2em;color:#222}\ntable{border-collapse:collapse;margin:1em 0}\n\
         th,td{border:1px solid #ccc;padding:4px 8px}\nth{background:#f1f3f5}\ntd.num{text-align:right;font-variant-numeric:tabular-nums}\n\
         tr.total td{font-weight:bold;border-top:2px solid #888}\n</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(
        out,
        "<h1>Receivables (ลูกหนี้) as of {}</h1>\n<p>Open balances: {} baht in {} receivables.</p>",
        aging.as_of,
        aging.total.grouped(),
        aging.count
    );
    out.push_str(&table_html(&aging.by_year_table(), "aging-by-year"));
    out.push_str(&chart(aging));
    out.push_str(&table_html(&aging.by_band_table(), "aging-by-band"));
    if let Some(p) = periods {
        out.push_str(&table_html(&p.table(), "collection-period"));
    }
    out.push_str("<p><small>Made by kongtun. Amounts in baht.</small></p>\n</body>\n</html>\n");
    out
}
