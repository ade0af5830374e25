//! Aging: open balances by payer x fiscal year (the seed slides' main table), and by age band.

use chrono::NaiveDate;
use kongtun_core::calendar::FiscalYear;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use serde::Serialize;

use crate::book::Book;
use crate::policy::CollectionPolicy;
use crate::table::{Cell, Table};

/// Open balances as of a date, by payer and fiscal year and by age band.
///
/// The fiscal year is the claim date's (discharge for IP, the visit for OP: the day the
/// service is complete, as the fund packs use it). The age runs from the claim date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Aging {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// The fiscal years with an open balance, oldest first.
    pub fiscal_years: Vec<FiscalYear>,
    /// The band labels, youngest first.
    pub bands: Vec<String>,
    /// One row per payer with an open balance, in payer order.
    pub payers: Vec<AgingRow>,
    /// Per fiscal year, all payers.
    pub year_totals: Vec<Money>,
    /// Per band, all payers.
    pub band_totals: Vec<Money>,
    /// All open balances.
    pub total: Money,
    /// The part of `total` held by errors the evaluation found: not money coming until fixed.
    pub held: Money,
    /// Open receivables counted.
    pub count: usize,
}

/// One payer's open balances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgingRow {
    /// Who owes: a fund, or `PATIENT`.
    pub payer: FundId,
    /// Per fiscal year of [`Aging::fiscal_years`].
    pub by_year: Vec<Money>,
    /// Per band of [`Aging::bands`].
    pub by_band: Vec<Money>,
    /// All of the payer's open balances.
    pub total: Money,
    /// The part of `total` held by errors the evaluation found.
    pub held: Money,
    /// Open receivables.
    pub count: usize,
}

impl Aging {
    /// Ages every open receivable of the book.
    pub fn of(book: &Book, policy: &CollectionPolicy) -> Aging {
        let mut fiscal_years: Vec<FiscalYear> = book.open().map(|r| r.fiscal_year()).collect();
        fiscal_years.sort();
        fiscal_years.dedup();
        let bands = policy.band_labels();
        let mut payers: Vec<AgingRow> = Vec::new();
        for r in book.open() {
            let row = match payers.iter().position(|p| &p.payer == r.payer()) {
                Some(i) => &mut payers[i],
                None => {
                    payers.push(AgingRow {
                        payer: r.payer().clone(),
                        by_year: vec![Money::ZERO; fiscal_years.len()],
                        by_band: vec![Money::ZERO; bands.len()],
                        total: Money::ZERO,
                        held: Money::ZERO,
                        count: 0,
                    });
                    let last = payers.len() - 1;
                    &mut payers[last]
                }
            };
            let open = r.open();
            if let Some(y) = fiscal_years.iter().position(|fy| *fy == r.fiscal_year()) {
                row.by_year[y] += open;
            }
            row.by_band[policy.band_of(r.age_days(book.as_of))] += open;
            row.total += open;
            row.held += r.held();
            row.count += 1;
        }
        payers.sort_by_key(|p| payer_order(&p.payer));
        let column = |pick: &dyn Fn(&AgingRow) -> &Vec<Money>, n: usize| -> Vec<Money> {
            (0..n).map(|i| payers.iter().map(|p| pick(p)[i]).sum()).collect()
        };
        let year_totals = column(&|p| &p.by_year, fiscal_years.len());
        let band_totals = column(&|p| &p.by_band, bands.len());
        let total = payers.iter().map(|p| p.total).sum();
        let held = payers.iter().map(|p| p.held).sum();
        let count = payers.iter().map(|p| p.count).sum();
        Aging { as_of: book.as_of, fiscal_years, bands, payers, year_totals, band_totals, total, held, count }
    }

    /// Payer x fiscal year, with totals.
    pub fn by_year_table(&self) -> Table {
        let mut columns = vec!["payer".to_string()];
        columns.extend(self.fiscal_years.iter().map(ToString::to_string));
        columns.extend(["total".to_string(), "of which held".to_string(), "claims".to_string()]);
        let mut t = Table::new(format!("Receivables by payer and fiscal year, as of {}", self.as_of), &[]);
        t.columns = columns;
        for p in &self.payers {
            let mut row = vec![Cell::text(p.payer.as_str())];
            row.extend(p.by_year.iter().map(|m| Cell::Money(*m)));
            row.extend([Cell::Money(p.total), Cell::Money(p.held), Cell::number(p.count)]);
            t.rows.push(row);
        }
        let mut total = vec![Cell::text("total")];
        total.extend(self.year_totals.iter().map(|m| Cell::Money(*m)));
        total.extend([Cell::Money(self.total), Cell::Money(self.held), Cell::number(self.count)]);
        t.total = Some(total);
        t
    }

    /// Payer x age band (days from the claim date), with totals.
    pub fn by_band_table(&self) -> Table {
        let mut t = Table::new(format!("Receivables by age in days, as of {}", self.as_of), &[]);
        t.columns = std::iter::once("payer".to_string())
            .chain(self.bands.iter().cloned())
            .chain(std::iter::once("total".to_string()))
            .collect();
        for p in &self.payers {
            let mut row = vec![Cell::text(p.payer.as_str())];
            row.extend(p.by_band.iter().map(|m| Cell::Money(*m)));
            row.push(Cell::Money(p.total));
            t.rows.push(row);
        }
        let mut total = vec![Cell::text("total")];
        total.extend(self.band_totals.iter().map(|m| Cell::Money(*m)));
        total.push(Cell::Money(self.total));
        t.total = Some(total);
        t
    }
}

/// Funds in the order the seed slides list them, then others alphabetically, the patient last.
pub(crate) fn payer_order(payer: &FundId) -> (usize, String) {
    let s = payer.as_str();
    let rank = match s {
        "UC" => 0,
        "CSMBS" => 1,
        "SSS" => 2,
        "LGO" => 3,
        "PRB" => 4,
        "STP" => 5,
        "SELF" => 7,
        "PATIENT" => 8,
        _ => 6,
    };
    (rank, s.to_string())
}
