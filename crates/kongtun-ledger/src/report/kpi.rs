//! Advanced 4S4C claim KPIs per month of the claim date: Claim Missing, Claim Delay, Claim
//! Expiration and Error Claim (C / Deny share).

use std::collections::{BTreeMap, HashSet};

use crate::receivable::{ErrorType, Receivable};
use chrono::{Datelike, NaiveDate};
use kongtun_core::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::book::Book;
use crate::table::{ratio_1dp, Cell, Table};
use crate::visits::Visit;
use kongtun_core::calendar::{ClaimTiming, FundCalendar};

/// One month's KPIs. Shares are percentages rounded half away from zero to one decimal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthKpi {
    /// `YYYY-MM` of the claim date (CE).
    pub month: String,
    /// Visits in the visit list.
    pub visits: usize,
    /// Visits with no claim (Claim Missing).
    pub missing: usize,
    /// Fund claims (a claim with at least one fund receivable).
    pub claims: usize,
    /// Fund claims sent by the as-of date.
    pub sent: usize,
    /// Sent after the fund's late window (Claim Delay).
    pub delayed: usize,
    /// Past the fund's deadline unsent, or sent after it (Claim Expiration).
    pub expired: usize,
    /// What the fund receivables of expired claims still hold open: money lost.
    pub expired_amount: Money,
    /// Cut from the funds' payments for late sending (the evaluated claims' penalty).
    pub penalty: Money,
    /// Claims with a statement (the fund answered).
    pub answered: usize,
    /// Answered claims with a C or D error on any statement (Error Claim).
    pub errors: usize,
    /// missing / visits.
    pub missing_pct: Option<Decimal>,
    /// delayed / sent.
    pub delayed_pct: Option<Decimal>,
    /// expired / claims.
    pub expired_pct: Option<Decimal>,
    /// errors / answered.
    pub error_pct: Option<Decimal>,
}

/// The KPIs of every month with a visit or a claim, oldest first, and all months together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Kpis {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// Per month.
    pub months: Vec<MonthKpi>,
    /// All months.
    pub total: MonthKpi,
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn pct(part: usize, whole: usize) -> Option<Decimal> {
    ratio_1dp(Decimal::from(part as u64) * Decimal::from(100), Decimal::from(whole as u64))
}

impl MonthKpi {
    fn add(&mut self, o: &MonthKpi) {
        self.visits += o.visits;
        self.missing += o.missing;
        self.claims += o.claims;
        self.sent += o.sent;
        self.delayed += o.delayed;
        self.expired += o.expired;
        self.expired_amount += o.expired_amount;
        self.penalty += o.penalty;
        self.answered += o.answered;
        self.errors += o.errors;
    }

    fn shares(&mut self) {
        self.missing_pct = pct(self.missing, self.visits);
        self.delayed_pct = pct(self.delayed, self.sent);
        self.expired_pct = pct(self.expired, self.claims);
        self.error_pct = pct(self.errors, self.answered);
    }
}

impl Kpis {
    /// The KPIs of the book; `visits` is the visit list (empty: Claim Missing not counted).
    pub fn of(book: &Book, visits: &[Visit], calendar: &dyn FundCalendar) -> Kpis {
        let mut months: BTreeMap<String, MonthKpi> = BTreeMap::new();
        let at = |months: &mut BTreeMap<String, MonthKpi>, d: NaiveDate| -> String {
            let key = month(d);
            months.entry(key.clone()).or_insert_with(|| MonthKpi { month: key.clone(), ..MonthKpi::default() });
            key
        };
        let known: HashSet<&str> = book.ledger.claims().iter().map(|c| c.id.as_str()).collect();
        for v in visits.iter().filter(|v| v.date <= book.as_of) {
            let key = at(&mut months, v.date);
            let m = months.entry(key).or_default();
            m.visits += 1;
            if !known.contains(v.visit.as_str()) {
                m.missing += 1;
            }
        }
        for claim in book.ledger.claims() {
            let funds: Vec<&Receivable> =
                book.ledger.receivables_of(&claim.id).filter(|r| !r.is_patient_debt()).collect();
            if funds.is_empty() {
                continue;
            }
            let key = at(&mut months, claim.claim_date);
            let m = months.entry(key).or_default();
            m.claims += 1;
            m.penalty += claim.penalty;
            let sent = funds.iter().filter_map(|r| r.sent()).min();
            // The main fund's timing decides whether the claim was late or expired.
            let timing = ClaimTiming {
                payer: claim.fund.clone(),
                setting: claim.setting,
                claim_date: claim.claim_date,
                accident_date: claim.accident_date,
            };
            if let Some(sent) = sent {
                m.sent += 1;
                let window = calendar.late_window(&timing);
                if window.is_some_and(|w| (sent - claim.claim_date).num_days() > w) {
                    m.delayed += 1;
                }
            }
            if let Some(deadline) = calendar.deadline(&timing) {
                let expired = match sent {
                    Some(sent) => sent > deadline,
                    None => book.as_of > deadline,
                };
                if expired {
                    m.expired += 1;
                    m.expired_amount += funds.iter().map(|r| r.open()).sum::<Money>();
                }
            }
            if funds.iter().any(|r| r.statements() > 0) {
                m.answered += 1;
                if funds.iter().any(|r| r.errors(ErrorType::C) + r.errors(ErrorType::D) > 0) {
                    m.errors += 1;
                }
            }
        }
        let mut total = MonthKpi { month: "total".into(), ..MonthKpi::default() };
        let mut list: Vec<MonthKpi> = months.into_values().collect();
        for m in &mut list {
            m.shares();
            total.add(m);
        }
        total.shares();
        Kpis { as_of: book.as_of, months: list, total }
    }

    /// The KPIs as a table, months as rows.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("Claim KPIs (Advanced 4S4C) by month of the claim date, as of {}", self.as_of),
            &[
                "month",
                "visits",
                "missing",
                "missing %",
                "claims",
                "sent",
                "delayed",
                "delayed %",
                "expired",
                "expired %",
                "lost",
                "late cut",
                "answered",
                "C/D errors",
                "error %",
            ],
        );
        let row = |m: &MonthKpi| -> Vec<Cell> {
            let p = |v: Option<Decimal>| v.map_or(Cell::Empty, Cell::number);
            vec![
                Cell::text(&m.month),
                Cell::number(m.visits),
                Cell::number(m.missing),
                p(m.missing_pct),
                Cell::number(m.claims),
                Cell::number(m.sent),
                Cell::number(m.delayed),
                p(m.delayed_pct),
                Cell::number(m.expired),
                p(m.expired_pct),
                Cell::Money(m.expired_amount),
                Cell::Money(m.penalty),
                Cell::number(m.answered),
                Cell::number(m.errors),
                p(m.error_pct),
            ]
        };
        t.rows = self.months.iter().map(row).collect();
        t.total = Some(row(&self.total));
        t
    }
}
