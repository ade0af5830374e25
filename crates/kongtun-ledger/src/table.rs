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
        }
    }

    /// Aligned text, columns two spaces apart, numbers right-aligned.
    pub fn to_text(&self) -> String {
        let all = self.rows.iter().chain(self.total.iter());
        let mut width: Vec<usize> = self.columns.iter().map(|c| c.width()).collect();
        for row in all.clone() {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = width.get_mut(i) {
                    *w = (*w).max(cell.for_people().width());
                }
            }
        }
        let line = |cells: Vec<(String, bool)>| -> String {
            let parts: Vec<String> = cells
                .into_iter()
                .enumerate()
                .map(|(i, (text, right))| {
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
        for row in &self.rows {
            out.push_str(&line(row.iter().map(|c| (c.for_people(), c.right_aligned())).collect()));
            out.push('\n');
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
