//! Average collection period per payer against the policy's targets.

use chrono::NaiveDate;
use kongtun_core::calendar::FiscalYear;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;

use super::aging::payer_order;
use crate::book::Book;
use crate::policy::CollectionPolicy;
use crate::receivable::Receivable;
use crate::table::{ratio_1dp, Cell, Table};

/// Average collection period (ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้) per payer:
/// `open receivables / (revenue over the period / days in the period)`, in days, rounded
/// half away from zero to one decimal. The period is the fiscal year to the as-of date;
/// revenue is what the evaluations said each payer owes for claims dated in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectionPeriods {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// First day of the period (1 October).
    pub period_from: NaiveDate,
    /// Days in the period, both ends included.
    pub days: i64,
    /// One row per payer with revenue or receivables.
    pub payers: Vec<CollectionRow>,
}

/// One payer's collection period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectionRow {
    /// Who owes.
    pub payer: FundId,
    /// Open receivables as of the date, all years.
    pub receivables: Money,
    /// Revenue of the period.
    pub revenue: Money,
    /// Average collection period in days; `None` without revenue in the period.
    pub days: Option<Decimal>,
    /// The policy's target, in days.
    pub target: Option<u32>,
    /// True when within the target; `None` without a target or a period.
    pub met: Option<bool>,
}

impl CollectionPeriods {
    /// Computes the collection period of every payer in the book.
    pub fn of(book: &Book, policy: &CollectionPolicy) -> CollectionPeriods {
        CollectionPeriods::of_where(book, policy, |_| true)
    }

    /// Like [`CollectionPeriods::of`], over the receivables `keep` accepts (one hospital's).
    pub fn of_where(book: &Book, policy: &CollectionPolicy, keep: impl Fn(&Receivable) -> bool) -> CollectionPeriods {
        CollectionPeriods::of_receivables(book.as_of, policy, book.ledger.receivables().iter().filter(|r| keep(r)))
    }

    /// Over the given receivables, as of a date.
    pub fn of_receivables<'a>(
        as_of: NaiveDate,
        policy: &CollectionPolicy,
        receivables: impl Iterator<Item = &'a Receivable>,
    ) -> CollectionPeriods {
        let period_from = FiscalYear::of(as_of).first_day();
        let days = (as_of - period_from).num_days() + 1;
        let mut payers: Vec<CollectionRow> = Vec::new();
        for r in receivables {
            let in_period = r.claim_date() >= period_from && r.claim_date() <= as_of;
            if !in_period && r.open().is_zero() {
                continue;
            }
            let row = match payers.iter().position(|p| &p.payer == r.payer()) {
                Some(i) => &mut payers[i],
                None => {
                    payers.push(CollectionRow {
                        payer: r.payer().clone(),
                        receivables: Money::ZERO,
                        revenue: Money::ZERO,
                        days: None,
                        target: policy.target(r.payer()),
                        met: None,
                    });
                    let last = payers.len() - 1;
                    &mut payers[last]
                }
            };
            row.receivables += r.open();
            if in_period {
                row.revenue += r.expected();
            }
        }
        payers.retain(|p| !(p.receivables.is_zero() && p.revenue.is_zero()));
        for row in &mut payers {
            row.days = ratio_1dp(row.receivables.as_decimal() * Decimal::from(days), row.revenue.as_decimal());
            row.met = match (row.days, row.target) {
                (Some(d), Some(t)) => Some(d <= Decimal::from(t)),
                _ => None,
            };
        }
        payers.sort_by_key(|p| payer_order(&p.payer));
        CollectionPeriods { as_of, period_from, days, payers }
    }

    /// The table.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("Average collection period, {} to {} ({} days)", self.period_from, self.as_of, self.days),
            &["payer", "receivables", "revenue", "days", "target", "status"],
        );
        t.rows.extend(self.payers.iter().map(CollectionRow::cells));
        t
    }
}

impl CollectionRow {
    /// The row's cells: payer, receivables, revenue, days, target, status.
    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::text(self.payer.as_str()),
            Cell::Money(self.receivables),
            Cell::Money(self.revenue),
            self.days.map_or(Cell::Empty, Cell::number),
            self.target.map_or(Cell::Empty, Cell::number),
            Cell::text(match self.met {
                Some(true) => "within target",
                Some(false) => "OVER TARGET",
                None => "",
            }),
        ]
    }
}
