//! The provincial view (สสจ.): receivables by hospital, as the provincial health office reads
//! them across its hospitals: hospital x fund with each fund's share, hospital x fund x fiscal
//! year, and each hospital's collection periods against the policy's targets.

use std::collections::HashMap;

use chrono::NaiveDate;
use kongtun_core::calendar::FiscalYear;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;

use super::aging::payer_order;
use super::collection::CollectionPeriods;
use crate::book::Book;
use crate::policy::CollectionPolicy;
use crate::table::{Cell, Table};

/// The label of receivables whose claim gave no hospital code.
pub const UNKNOWN_HOSPITAL: &str = "(no hcode)";

/// Open balances by hospital.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Province {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// The payers with an open balance, in payer order.
    pub payers: Vec<FundId>,
    /// The fiscal years with an open balance, oldest first.
    pub fiscal_years: Vec<FiscalYear>,
    /// One row per hospital, by code.
    pub hospitals: Vec<HospitalRow>,
    /// Per payer, all hospitals.
    pub payer_totals: Vec<Money>,
    /// Each payer's share of the total, in percent to two decimals.
    pub shares: Vec<Option<Decimal>>,
    /// All open balances.
    pub total: Money,
}

/// One hospital's open balances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HospitalRow {
    /// The hospital code ([`UNKNOWN_HOSPITAL`] when the claims did not give one).
    pub hcode: String,
    /// Per payer of [`Province::payers`].
    pub by_payer: Vec<Money>,
    /// Per payer, then per fiscal year of [`Province::fiscal_years`].
    pub by_payer_year: Vec<Vec<Money>>,
    /// All of the hospital's open balances.
    pub total: Money,
    /// Open receivables.
    pub count: usize,
    /// The hospital's collection periods.
    pub periods: CollectionPeriods,
    /// The payers whose collection period is over the policy's target.
    pub over_target: Vec<FundId>,
}

fn hospital_of(hcode: &str) -> &str {
    if hcode.is_empty() {
        UNKNOWN_HOSPITAL
    } else {
        hcode
    }
}

impl Province {
    /// Groups every open receivable of the book by hospital.
    pub fn of(book: &Book, policy: &CollectionPolicy) -> Province {
        let open: Vec<_> = book.open().collect();
        // A handful of payers, years and hospitals among millions of receivables: gather
        // them unsorted, then sort the few.
        let mut payers: Vec<FundId> = Vec::new();
        let mut fiscal_years: Vec<FiscalYear> = Vec::new();
        for r in &open {
            if !payers.contains(r.payer()) {
                payers.push(r.payer().clone());
            }
            if !fiscal_years.contains(&r.fiscal_year()) {
                fiscal_years.push(r.fiscal_year());
            }
        }
        payers.sort_by_key(payer_order);
        fiscal_years.sort();
        // The receivables of each hospital, in one pass.
        let mut of_hospital: HashMap<&str, Vec<u32>, foldhash::fast::RandomState> = HashMap::default();
        for (i, r) in book.ledger.receivables().iter().enumerate() {
            of_hospital.entry(hospital_of(r.hcode())).or_default().push(i as u32);
        }
        let mut codes: Vec<&str> = of_hospital.keys().copied().collect();
        codes.sort_unstable();
        let all = book.ledger.receivables();
        let mut hospitals: Vec<HospitalRow> = codes
            .iter()
            .map(|code| {
                let mine = of_hospital.get(code).map(Vec::as_slice).unwrap_or_default();
                let periods =
                    CollectionPeriods::of_receivables(book.as_of, policy, mine.iter().map(|i| &all[*i as usize]));
                let over_target =
                    periods.payers.iter().filter(|p| p.met == Some(false)).map(|p| p.payer.clone()).collect();
                HospitalRow {
                    hcode: code.to_string(),
                    by_payer: vec![Money::ZERO; payers.len()],
                    by_payer_year: vec![vec![Money::ZERO; fiscal_years.len()]; payers.len()],
                    total: Money::ZERO,
                    count: 0,
                    periods,
                    over_target,
                }
            })
            .collect();
        for r in open {
            let (Ok(h), Some(p)) = (
                hospitals.binary_search_by(|x| x.hcode.as_str().cmp(hospital_of(r.hcode()))),
                payers.iter().position(|p| p == r.payer()),
            ) else {
                continue;
            };
            let row = &mut hospitals[h];
            let amount = r.open();
            row.by_payer[p] += amount;
            if let Some(y) = fiscal_years.iter().position(|fy| *fy == r.fiscal_year()) {
                row.by_payer_year[p][y] += amount;
            }
            row.total += amount;
            row.count += 1;
        }
        hospitals.retain(|h| h.count > 0 || !h.periods.payers.is_empty());
        let payer_totals: Vec<Money> =
            (0..payers.len()).map(|p| hospitals.iter().map(|h| h.by_payer[p]).sum()).collect();
        let total: Money = payer_totals.iter().copied().sum();
        let shares = payer_totals
            .iter()
            .map(|m| {
                (!total.is_zero()).then(|| (m.as_decimal() * Decimal::ONE_HUNDRED / total.as_decimal()).round_dp(2))
            })
            .collect();
        Province { as_of: book.as_of, payers, fiscal_years, hospitals, payer_totals, shares, total }
    }

    /// Hospital x payer, with totals and each payer's share of the total.
    pub fn by_hospital_table(&self) -> Table {
        let mut t = Table::new(format!("Receivables by hospital and fund, as of {}", self.as_of), &[]);
        t.columns = std::iter::once("hospital".to_string())
            .chain(self.payers.iter().map(|p| p.to_string()))
            .chain(["total".to_string(), "claims".to_string(), "over target".to_string()])
            .collect();
        for h in &self.hospitals {
            let mut row = vec![Cell::text(&h.hcode)];
            row.extend(h.by_payer.iter().map(|m| Cell::Money(*m)));
            let over: Vec<&str> = h.over_target.iter().map(FundId::as_str).collect();
            row.extend([Cell::Money(h.total), Cell::number(h.count), Cell::text(over.join(" "))]);
            t.rows.push(row);
        }
        let mut total = vec![Cell::text("total")];
        total.extend(self.payer_totals.iter().map(|m| Cell::Money(*m)));
        total.extend([Cell::Money(self.total), Cell::Empty, Cell::Empty]);
        t.rows.push(total);
        let mut share = vec![Cell::text("share %")];
        share.extend(self.shares.iter().map(|s| s.map_or(Cell::Empty, Cell::number)));
        share.extend([Cell::number("100.00"), Cell::Empty, Cell::Empty]);
        t.total = Some(share);
        t
    }

    /// Hospital x payer x fiscal year, one row per hospital and payer with a balance.
    pub fn by_hospital_year_table(&self) -> Table {
        let mut t = Table::new(format!("Receivables by hospital, fund and fiscal year, as of {}", self.as_of), &[]);
        t.columns = ["hospital".to_string(), "fund".to_string()]
            .into_iter()
            .chain(self.fiscal_years.iter().map(ToString::to_string))
            .chain(std::iter::once("total".to_string()))
            .collect();
        for h in &self.hospitals {
            for (p, payer) in self.payers.iter().enumerate() {
                if h.by_payer[p].is_zero() {
                    continue;
                }
                let mut row = vec![Cell::text(&h.hcode), Cell::text(payer.as_str())];
                row.extend(h.by_payer_year[p].iter().map(|m| Cell::Money(*m)));
                row.push(Cell::Money(h.by_payer[p]));
                t.rows.push(row);
            }
        }
        let mut total = vec![Cell::text("total"), Cell::Empty];
        total.extend(
            (0..self.fiscal_years.len()).map(|y| {
                Cell::Money(self.hospitals.iter().flat_map(|h| h.by_payer_year.iter().map(move |v| v[y])).sum())
            }),
        );
        total.push(Cell::Money(self.total));
        t.total = Some(total);
        t
    }

    /// Each hospital's collection period per payer with a target, against it.
    pub fn periods_table(&self) -> Table {
        let mut t = Table::new(
            format!("Average collection period by hospital, fiscal year to {}", self.as_of),
            &["hospital", "payer", "receivables", "revenue", "days", "target", "status"],
        );
        for h in &self.hospitals {
            for p in &h.periods.payers {
                t.rows.push(std::iter::once(Cell::text(&h.hcode)).chain(p.cells()).collect());
            }
        }
        t
    }
}
