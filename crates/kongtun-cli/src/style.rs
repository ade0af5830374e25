//! `--lang` and `--dates`: how the desk reports write words and dates.

use clap::{Args, ValueEnum};
use kongtun_ledger::words::Style;

/// Language and date style of a report.
#[derive(Args, Clone, Debug)]
pub struct StyleArgs {
    /// Language of titles, headings, status words and messages.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: crate::LangArg,
    /// Dates as `be` (dd/mm/yyyy, Buddhist Era) or `ce` (ISO). Default: BE with --lang th.
    #[arg(long, value_enum)]
    pub dates: Option<DateStyle>,
    /// Print every column whole; by default tables fit 100 columns, their longest text cut
    /// with `…` (CSV and JSON are always whole).
    #[arg(long)]
    pub wide: bool,
}

/// The width tables fit by default.
pub const TABLE_WIDTH: usize = 100;

/// How dates are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DateStyle {
    /// Buddhist Era, dd/mm/yyyy.
    Be,
    /// ISO, Common Era.
    Ce,
}

impl StyleArgs {
    /// The style: the language, and dates in BE by default in Thai.
    pub fn style(&self) -> Style {
        let thai = self.lang == crate::LangArg::Th;
        Style { thai, be_dates: self.dates.map_or(thai, |d| d == DateStyle::Be) }
    }

    /// The language of findings and messages.
    pub fn lang(&self) -> kongtun_core::outcome::Lang {
        self.lang.into()
    }

    /// The width a table is fitted to, `None` with `--wide`.
    pub fn width(&self) -> Option<usize> {
        (!self.wide).then_some(TABLE_WIDTH)
    }
}
