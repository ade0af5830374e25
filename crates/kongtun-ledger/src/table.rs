//! Every report becomes a [`Table`] for people (aligned text) and spreadsheets (CSV); JSON
//! comes from the report types themselves.

use kongtun_core::money::Money;
use unicode_width::UnicodeWidthStr;

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text, left-aligned.
    Text(String),
    /// Money: grouped (`1,234.50`) in text, plain (`1234.50`) in CSV; right-aligned.
    Money(Money),
    /// A count or other number already formatted; right-aligned.
    Number(String),
    /// Nothing.
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A number cell.
    pub fn number(n: impl ToString) -> Cell {
        Cell::Number(n.to_string())
    }

    fn for_people(&self) -> String {
        match self {
            // Text from inputs (ids, HN): no control or bidi character reaches the terminal.
            Cell::Text(s) => kongtun_core::text::printable(s).into_owned(),
            Cell::Number(s) => s.clone(),
            Cell::Money(m) => m.grouped(),
            Cell::Empty => String::new(),
        }
    }

    fn for_csv(&self) -> String {
        match self {
            // A spreadsheet never runs an id such as `=HYPERLINK(...)` as a formula.
            Cell::Text(s) => kongtun_core::text::csv_safe(s).into_owned(),
            Cell::Number(s) => s.clone(),
            Cell::Money(m) => m.to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn right_aligned(&self) -> bool {
        matches!(self, Cell::Money(_) | Cell::Number(_))
    }
}

/// A titled table with an optional totals row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Printed above the table (not in CSV).
    pub title: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The totals row, printed under a rule (and last in CSV).
    pub total: Option<Vec<Cell>>,
    /// Lines of text printed under a row, indented and wrapped to the table's width (by row
    /// index; not in CSV): a row's long explanation, kept out of its columns.
    pub details: Vec<Vec<String>>,
}

impl Table {
    /// Writes the table in a style: the title, headings and status words in Thai from the
    /// catalogue ([`crate::words`]), dates in the Buddhist Era. Ids, codes and amounts stay.
    pub fn localize(&mut self, style: crate::words::Style) {
        use crate::words;
        self.title = words::title(&self.title, style);
        for c in &mut self.columns {
            *c = words::cell(c, style);
        }
        for cell in self.rows.iter_mut().chain(self.total.iter_mut()).flatten() {
            if let Cell::Text(s) = cell {
                *s = words::cell(s, style);
            }
        }
    }

    /// An empty table.
    pub fn new(title: impl Into<String>, columns: &[&str]) -> Table {
        Table {
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            total: None,
            details: Vec::new(),
        }
    }

    /// Keeps only the columns at `keep`, in that order, in the headings, every row and the
    /// total: how a report drops, on screen, what it prints under each row instead.
    ///
    /// ```
    /// use kongtun_ledger::{Cell, Table};
    /// let mut t = Table::new("", &["claim", "hn", "fund"]);
    /// t.rows.push(vec![Cell::text("C1"), Cell::text("0012345"), Cell::text("UC")]);
    /// t.keep_columns(&[0, 2]);
    /// assert_eq!(t.columns, ["claim", "fund"]);
    /// assert_eq!(t.to_text(), "claim  fund\n-----------\nC1     UC\n");
    /// ```
    pub fn keep_columns(&mut self, keep: &[usize]) {
        let pick = |cells: &[Cell]| keep.iter().filter_map(|&i| cells.get(i).cloned()).collect::<Vec<Cell>>();
        self.columns = keep.iter().filter_map(|&i| self.columns.get(i).cloned()).collect();
        for row in self.rows.iter_mut().chain(self.total.iter_mut()) {
            *row = pick(row);
        }
    }

    /// Aligned text, columns two spaces apart, numbers right-aligned, every column whole
    /// (as wide as it needs: `--wide`).
    pub fn to_text(&self) -> String {
        self.to_text_within(None)
    }

    /// Aligned text at most `max` columns wide when it can be: the widest text columns
    /// (messages, names, ids) are narrowed, their longer cells cut with `…`; amounts, counts
    /// and headings are never cut. When even that cannot make the table fit (too many
    /// figures), text is cut no shorter than [`OVERFLOW_CUT_WIDTH`]: the lines run over either
    /// way, and a label cut to a few letters (`await sta…`) says nothing. `None`: every
    /// column whole.
    pub fn to_text_within(&self, max: Option<usize>) -> String {
        let all = self.rows.iter().chain(self.total.iter());
        let mut width: Vec<usize> = self.columns.iter().map(|c| c.width()).collect();
        // A column is text when none of its cells is right-aligned (money, a count).
        let mut text_column = vec![true; width.len()];
        for row in all.clone() {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = width.get_mut(i) {
                    *w = (*w).max(cell.for_people().width());
                }
                if cell.right_aligned() {
                    if let Some(t) = text_column.get_mut(i) {
                        *t = false;
                    }
                }
            }
        }
        if let Some(max) = max {
            let whole = width.clone();
            if !narrow(&mut width, &text_column, &self.columns, max, MIN_CUT_WIDTH) {
                width = whole;
                narrow(&mut width, &text_column, &self.columns, max, OVERFLOW_CUT_WIDTH);
            }
        }
        let line = |cells: Vec<(String, bool)>| -> String {
            let parts: Vec<String> = cells
                .into_iter()
                .enumerate()
                .map(|(i, (text, right))| {
                    let text = cut(&text, width.get(i).copied().unwrap_or(0));
                    let pad = width.get(i).copied().unwrap_or(0).saturating_sub(text.width());
                    if right {
                        format!("{}{text}", " ".repeat(pad))
                    } else {
                        format!("{text}{}", " ".repeat(pad))
                    }
                })
                .collect();
            parts.join("  ").trim_end().to_string()
        };
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        let header: Vec<(String, bool)> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), self.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::right_aligned)))
            .collect();
        out.push_str(&line(header));
        out.push('\n');
        let rule: usize = width.iter().sum::<usize>() + 2 * width.len().saturating_sub(1);
        out.push_str(&"-".repeat(rule));
        out.push('\n');
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str(&line(row.iter().map(|c| (c.for_people(), c.right_aligned())).collect()));
            out.push('\n');
            for detail in self.details.get(i).into_iter().flatten() {
                let detail = kongtun_core::text::printable(detail);
                for piece in wrap(&detail, max.map(|m| m.saturating_sub(DETAIL_INDENT.len()).max(20))) {
                    out.push_str(DETAIL_INDENT);
                    out.push_str(piece.trim_end());
                    out.push('\n');
                }
            }
        }
        if let Some(total) = &self.total {
            out.push_str(&"-".repeat(rule));
            out.push('\n');
            out.push_str(&line(total.iter().map(|c| (c.for_people(), c.right_aligned())).collect()));
            out.push('\n');
        }
        out
    }

    /// CSV with a header row; the totals row last.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = w.write_record(&self.columns);
        for row in self.rows.iter().chain(self.total.iter()) {
            let _ = w.write_record(row.iter().map(Cell::for_csv));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// The narrowest a text column is cut to: a date (`2025-09-30`, `30/09/2568`) stays whole.
const MIN_CUT_WIDTH: usize = 10;

/// The narrowest a text column is cut to in a table that cannot fit anyway: labels (an
/// action, a status, a fund's name) stay whole, long messages and account names are cut.
const OVERFLOW_CUT_WIDTH: usize = 24;

/// Narrows the widest text columns but the first, one column at a time, until the table fits
/// `max` or no such column is wider than its heading (and `min_cut`): a heading, and the first
/// column, which names the row, are never cut. True when the table fits.
fn narrow(width: &mut [usize], text_column: &[bool], headings: &[String], max: usize, min_cut: usize) -> bool {
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    let floor = |i: usize| headings.get(i).map_or(0, |h| h.width()).max(min_cut);
    while total(width) > max {
        // The first column names the row (a claim id, a payer): cut, two rows could read alike.
        let widest = (1..width.len())
            .filter(|&i| text_column.get(i).copied().unwrap_or(false) && width[i] > floor(i))
            .max_by_key(|&i| width[i]);
        let Some(i) = widest else { break };
        // Take the excess from this column, but no narrower than the next widest (so the
        // cut is shared) nor than its floor.
        let next = (1..width.len())
            .filter(|&j| j != i && text_column.get(j).copied().unwrap_or(false))
            .map(|j| width[j])
            .max()
            .unwrap_or(0);
        let excess = total(width) - max;
        width[i] = width[i].saturating_sub(excess).max(next.min(width[i] - 1)).max(floor(i));
    }
    total(width) <= max
}

/// How far a row's detail lines are indented.
const DETAIL_INDENT: &str = "    ";

/// `text` in pieces at most `width` display columns wide, broken at spaces where it can be
/// (Thai, written without spaces between words, is broken where the width ends). `None`: whole.
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| text.width() > *w) else { return vec![text.to_string()] };
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut used = 0;
    let mut last_space: Option<usize> = None;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && !piece.is_empty() {
            // Back to the last space when there is one in this piece, else break here.
            let rest = match last_space {
                Some(at) => piece.split_off(at).trim_start().to_string(),
                None => String::new(),
            };
            pieces.push(std::mem::take(&mut piece));
            piece = rest;
            used = piece.width();
            last_space = None;
        }
        if c == ' ' {
            last_space = Some(piece.len());
        }
        piece.push(c);
        used += w;
    }
    if !piece.trim().is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// `text` cut to `width` display columns, ending with `…` when cut.
fn cut(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if text.width() <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// `num / den` rounded half away from zero to one decimal, always written with one
/// (`0.0`, `12.5`); `None` when `den` is zero.
pub(crate) fn ratio_1dp(num: rust_decimal::Decimal, den: rust_decimal::Decimal) -> Option<rust_decimal::Decimal> {
    if den.is_zero() {
        return None;
    }
    num.checked_div(den).map(|r| {
        let mut r = r.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        r.rescale(1);
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_columns_line_up_by_display_width() {
        // ผู้จ่าย is seven characters but four columns: its vowel and tone marks stack.
        let mut t = Table::new("", &["ผู้จ่าย", "รวม"]);
        t.rows.push(vec![Cell::Text("UC".into()), Cell::Money(Money::baht(12))]);
        let text = t.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "ผู้จ่าย    รวม");
        assert_eq!(lines[1], "-----------");
        assert_eq!(lines[2], "UC    12.00");
    }

    #[test]
    fn wide_tables_fit_by_cutting_their_text_not_their_figures() {
        let mut t = Table::new("", &["claim", "problem", "held up"]);
        t.rows.push(vec![
            Cell::text("UC-IP-TKA-UNCODED"),
            Cell::text("Prosthesis without a serial number: the fund holds the line until it is sent with one"),
            Cell::Money(Money::baht(49_000)),
        ]);
        let whole = t.to_text();
        assert!(whole.lines().any(|l| l.width() > 100), "{whole}");
        let fit = t.to_text_within(Some(60));
        for line in fit.lines() {
            assert!(line.width() <= 60, "{line:?} is {} wide", line.width());
        }
        let row = fit.lines().nth(2).expect("the row");
        assert!(row.ends_with("49,000.00"), "figures are never cut: {row}");
        assert!(row.contains("Prosthesis without a serial n…"), "{row}");
        assert!(row.starts_with("UC-IP-TKA-UNCODED"), "the id is whole when the message can give: {row}");
        // Nothing to cut: the same as the whole table.
        assert_eq!(t.to_text_within(Some(500)), whole);
        // Dates, and the first column that names the row, are never cut, however narrow the
        // table is asked to be (two ids cut alike would read as one claim).
        let mut d = Table::new("", &["id", "sent", "due"]);
        d.rows.push(vec![Cell::text("IP-2569-0002-LONG"), Cell::text("2026-11-24"), Cell::text("31/12/2570")]);
        let row = d.to_text_within(Some(20)).lines().nth(2).map(str::to_string).unwrap_or_default();
        assert_eq!(row, "IP-2569-0002-LONG  2026-11-24  31/12/2570");
        // Too many figures to fit however short the text: a label stays whole, a long message
        // is cut no shorter than 24 columns.
        let mut many = Table::new("", &["claim", "action", "message", "expected", "paid", "to adjust", "open"]);
        let money = || Cell::Money(Money::baht(1_234_567));
        many.rows.push(vec![
            Cell::text("UC-IP-TKA"),
            Cell::text("await statement"),
            Cell::text("the fund holds the line until it is sent with a serial number"),
            money(),
            money(),
            money(),
            money(),
        ]);
        let row = many.to_text_within(Some(60)).lines().nth(2).map(str::to_string).unwrap_or_default();
        assert!(row.contains("  await statement  the fund holds the line…  "), "{row}");
        // One that can fit is fitted, the label cut if it must.
        let fitted = many.to_text_within(Some(100));
        assert!(fitted.lines().all(|l| l.width() <= 100), "{fitted}");
    }

    #[test]
    fn details_wrap_under_their_row_at_spaces() {
        let mut t = Table::new("", &["claim", "held up"]);
        t.rows.push(vec![Cell::text("C1"), Cell::Money(Money::baht(10))]);
        t.details.push(vec!["problem: one two three four five six seven eight nine ten eleven twelve".into()]);
        let text = t.to_text_within(Some(30));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "C1       10.00");
        assert_eq!(
            &lines[3..],
            ["    problem: one two three", "    four five six seven eight", "    nine ten eleven twelve"]
        );
        for line in &lines {
            assert!(line.width() <= 30, "{line:?}");
        }
        assert!(t.to_csv().lines().all(|l| !l.contains("problem")), "details are not CSV");
    }

    #[test]
    fn localizing_translates_words_and_dates_but_not_codes() {
        let mut t = Table::new("Receivables by payer x fiscal year as of 2025-09-30", &["Payer", "FY2568", "Status"]);
        t.rows.push(vec![Cell::Text("UC".into()), Cell::Money(Money::baht(1)), Cell::Text("OVER TARGET".into())]);
        t.localize(crate::words::Style::TH);
        assert!(t.title.contains("30/09/2568"), "{}", t.title);
        assert_eq!(t.columns[1], "ปีงบ 2568");
        assert_eq!(t.rows[0][0], Cell::Text("UC".into()));
        assert_ne!(t.rows[0][2], Cell::Text("OVER TARGET".into()));
    }
}
