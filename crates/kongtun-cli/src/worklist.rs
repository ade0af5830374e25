//! `kongtun worklist`: the claims to fix before sending, one row per finding, most money held
//! up first; as a table, CSV for Excel (UTF-8 with a byte-order mark, formula-looking cells
//! neutralised) or JSON.

use kongtun_audit::worklist::Worklist;
use kongtun_core::outcome::Lang;
use kongtun_ledger::{Cell, Table};

use crate::batch::{DeskArgs, Evaluated};
use crate::exit;
use crate::receivables::ReportFormat as ReportArg;

/// Evaluates every claim under `inputs` and prints the findings to work on.
pub fn run(desk: &DeskArgs) -> u8 {
    let (as_of, format, style) = (desk.as_of(), desk.format, &desk.style);
    let lang = style.lang();
    let Ok(Evaluated { engine, claims, outcomes, rejected, unreadable }) =
        Evaluated::read(&desk.rules, as_of, &desk.inputs)
    else {
        return exit::FAILURE;
    };
    // Every claim read, evaluated or not: the list says how many of them need work.
    let read = claims.len() + unreadable.len();
    let mut list = Worklist::new();
    // A claim that cannot be read or evaluated is on the list too: it is the first to fix.
    for (id, e) in &unreadable {
        list.add_rejected(None, id.as_deref(), &e.display_in(lang), lang);
    }
    for (claim, outcome) in claims.iter().zip(&outcomes) {
        match outcome {
            Ok(o) => list.add(&engine, claim, o, lang),
            Err(e) => list.add_rejected(Some(claim), None, &crate::output::words(&e.to_string()), lang),
        }
    }
    list.finish();
    let th = lang == Lang::Th;
    let be_dates = style.style().be_dates;
    match format {
        ReportArg::Json => match serde_json::to_string_pretty(&list) {
            Ok(text) => outln!("{text}"),
            Err(e) => errln!("error: cannot write JSON: {e}"),
        },
        ReportArg::Table => {
            // On screen the lines concerned, the problem and its fix go under their row,
            // wrapped, not in columns (a cut line would cut its amount).
            let mut t = table(&list, read, th, be_dates);
            let (lines_word, problem, fix) = if th {
                ("รายการ", "ปัญหา", "วิธีแก้ไข")
            } else {
                ("lines", "problem", "fix")
            };
            t.details = list
                .rows
                .iter()
                .map(|r| {
                    let mut lines = Vec::new();
                    if !r.lines.is_empty() {
                        lines.push(format!("{lines_word}: {}", r.lines));
                    }
                    lines.push(format!("{problem}: {}", r.message));
                    if !r.fix.is_empty() {
                        lines.push(format!("{fix}: {}", r.fix));
                    }
                    lines
                })
                .collect();
            // claim, hn, fund, service date, code, leads to, held up
            t.keep_columns(&[0, 1, 2, 3, 4, 5, 7]);
            out!("{}", t.to_text_within(style.width()))
        }
        // Excel opens a CSV as Thai only with the byte-order mark.
        ReportArg::Csv => out!("\u{feff}{}", table(&list, read, th, be_dates).to_csv()),
    }
    exit::of(0, rejected)
}

fn table(list: &Worklist, read: usize, th: bool, be_dates: bool) -> Table {
    let evaluated = read;
    let title = if th {
        format!("รายการที่ต้องแก้ไข: {} เคสจาก {} เคส, เงินที่ค้างอยู่ {} บาท", list.claims, evaluated, list.held_up.grouped())
    } else {
        format!("Worklist: {} of {} claims to fix, {} baht held up", list.claims, evaluated, list.held_up.grouped())
    };
    let columns: &[&str] = if th {
        &["เคส", "HN", "สิทธิ", "วันที่รับบริการ", "รหัส", "ผล", "รายการ", "เงินที่ค้าง", "ปัญหา", "วิธีแก้ไข"]
    } else {
        &["claim", "hn", "fund", "service date", "code", "leads to", "lines", "held up", "problem", "fix"]
    };
    let mut t = Table::new(title, columns);
    for r in &list.rows {
        let date = r.service_date.map_or(String::new(), |d| {
            if be_dates {
                kongtun_core::calendar::format_thai(d)
            } else {
                d.to_string()
            }
        });
        t.rows.push(vec![
            Cell::text(&r.claim),
            Cell::text(&r.hn),
            Cell::text(&r.fund),
            Cell::text(date),
            Cell::text(&r.code),
            Cell::text(r.leads.letter()),
            Cell::text(&r.lines),
            Cell::Money(r.held_up),
            Cell::text(&r.message),
            Cell::text(&r.fix),
        ]);
    }
    let mut total = vec![Cell::text(if th { "รวม" } else { "total" })];
    total.extend(std::iter::repeat_n(Cell::Empty, 6));
    total.extend([Cell::Money(list.held_up), Cell::Empty, Cell::Empty]);
    t.total = Some(total);
    t
}
