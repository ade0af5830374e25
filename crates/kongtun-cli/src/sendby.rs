//! `kongtun send-by`: the claims not yet sent, with the last day each can go without the late
//! cut and the last day its payer accepts it, soonest first; what a day too late would cut.

use chrono::NaiveDate;
use kongtun_audit::sendby::SendByList;
use kongtun_core::claim::Claim;
use kongtun_ledger::words::Style;
use kongtun_ledger::{Cell, Table};

use crate::batch::{DeskArgs, Evaluated};
use crate::exit;
use crate::receivables::ReportFormat as ReportArg;

/// Evaluates every claim under `inputs` and prints those still to send.
pub fn run(desk: &DeskArgs) -> u8 {
    let (as_of, format, style) = (desk.as_of(), desk.format, &desk.style);
    let Ok(Evaluated { engine, claims, outcomes, rejected, unreadable }) =
        Evaluated::read(&desk.rules, as_of, &desk.inputs)
    else {
        return exit::FAILURE;
    };
    let refs: Vec<&Claim> = claims.iter().collect();
    let mut list = SendByList::of(&engine, &refs, &outcomes, as_of);
    list.rejected += unreadable.len();
    match format {
        ReportArg::Json => match serde_json::to_string_pretty(&list) {
            Ok(text) => outln!("{text}"),
            Err(e) => errln!("error: cannot write JSON: {e}"),
        },
        ReportArg::Table => {
            let mut t = table(&list, style.style());
            if style.width().is_some() {
                on_screen(&mut t, &list, style.style());
            }
            out!("{}", t.to_text_within(style.width()))
        }
        // Excel opens a CSV as Thai only with the byte-order mark.
        ReportArg::Csv => out!("\u{feff}{}", table(&list, style.style()).to_csv()),
    }
    exit::of(0, rejected)
}

/// The table fitted to a screen: the HN and the deadline go under each row, so the columns
/// left (claim, payer, setting, claim date, send by, days left, owed, cut, standing) fit 100.
fn on_screen(t: &mut Table, list: &SendByList, style: Style) {
    let (deadline, days) =
        if style.thai { ("วันครบกำหนด", "วัน") } else { ("deadline", "days") };
    t.details = list
        .rows
        .iter()
        .map(|r| {
            let mut under = format!("HN {}", r.hn);
            if let (Some(d), Some(n)) = (r.deadline, r.days_to_deadline) {
                under.push_str(&format!("; {deadline} {} ({n} {days})", kongtun_ledger::words::date(d, style)));
            }
            vec![under]
        })
        .collect();
    t.keep_columns(&[0, 2, 3, 4, 5, 6, 9, 10, 11]);
}

/// The list as a table, in English, then localized.
pub fn table(list: &SendByList, style: Style) -> Table {
    let rejected = match list.rejected {
        0 => String::new(),
        n => format!("; {n} claims rejected, not listed (the worklist lists them)"),
    };
    let mut t = Table::new(
        format!(
            "Send by, as of {}: {} claims not yet sent, {} owed, {} cut if sent late{rejected}",
            list.as_of,
            list.claims,
            list.owed.grouped(),
            list.cut_if_late.grouped()
        ),
        &[
            "claim",
            "hn",
            "payer",
            "setting",
            "claim date",
            "send by",
            "days left",
            "deadline",
            "days to deadline",
            "owed",
            "cut if late",
            "standing",
        ],
    );
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, |d| Cell::text(d.to_string()));
    let days = |n: Option<i64>| n.map_or(Cell::Empty, Cell::number);
    for r in &list.rows {
        t.rows.push(vec![
            Cell::text(&r.claim),
            Cell::text(&r.hn),
            Cell::text(r.payer.as_str()),
            Cell::text(r.setting.as_str().to_uppercase()),
            Cell::text(r.claim_date.to_string()),
            date(r.send_by),
            days(r.days_left),
            date(r.deadline),
            days(r.days_to_deadline),
            Cell::Money(r.owed),
            Cell::Money(r.cut_if_late),
            Cell::text(r.standing.as_str()),
        ]);
    }
    let mut total = vec![Cell::text("total")];
    total.extend(std::iter::repeat_n(Cell::Empty, 8));
    total.extend([Cell::Money(list.owed), Cell::Money(list.cut_if_late), Cell::Empty]);
    t.total = Some(total);
    t.localize(style);
    t
}
