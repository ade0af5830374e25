//! The double-entry journal of the receivables, on the chart of accounts: one entry per
//! movement of money (a receivable set up from the evaluation, a payment, a difference
//! adjusted, a write-off), debit equal to credit in each; the trial balance of the accounts;
//! and the MOPH average collection period by account group (ReportRatio).
//!
//! Entries, with `R` the receivable's account and `V` its revenue account:
//! - set up: Dr R, Cr V, the amount the evaluation expects;
//! - paid: Dr cash, Cr R by what it settled, Cr overpayment by anything beyond what was open;
//! - difference adjusted: Dr the difference account (or V), Cr R (a negative adjustment
//!   reverses it);
//! - written off: Dr write-off, Cr R.
//!
//! The receivable accounts then hold exactly the open balances, so the trial balance of the
//! receivable accounts equals the aging total to the satang.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use kongtun_core::calendar::FiscalYear;
use kongtun_core::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::accounts::{ChartOfAccounts, Charts};
use crate::book::Book;
use crate::receivable::{Movement, MovementKind};
use crate::table::{Cell, Table};

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JournalLine {
    /// The entry's day.
    pub date: NaiveDate,
    /// The entry's number, from 1 in the period.
    pub entry: u32,
    /// The account code.
    pub account: String,
    /// Its name.
    pub account_name: String,
    /// The claim.
    pub claim: String,
    /// The hospital that gave the care.
    pub hcode: String,
    /// Who owes.
    pub payer: String,
    /// Debit (zero when a credit).
    pub debit: Money,
    /// Credit (zero when a debit).
    pub credit: Money,
    /// What the entry is: `set up`, `paid STM-04`, `adjusted ADJ-1`, `written off WO-3`.
    pub memo: String,
}

/// The journal of a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Journal {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (the books' as-of date).
    pub to: NaiveDate,
    /// The lines, entry by entry.
    pub lines: Vec<JournalLine>,
    /// Sum of the debits.
    pub debit: Money,
    /// Sum of the credits (equal to the debits).
    pub credit: Money,
    /// Movements that could not be booked (no chart in force, no account fits): each names
    /// its claim, never dropped silently.
    pub errors: Vec<String>,
}

/// The signed postings of one movement: (account, amount), debit positive.
type Postings = Vec<(String, Money)>;

fn postings(chart: &ChartOfAccounts, account: &str, m: &Movement) -> Result<Postings, String> {
    let revenue = chart.revenue_of(account).ok_or_else(|| format!("account {account} has no revenue account"))?;
    let j = &chart.journal;
    // What the movement did to the receivable's open balance; the rest of its amount went to
    // (or came from) an overpayment.
    let settled = m.open_change;
    Ok(match m.kind {
        MovementKind::Opened => vec![(account.to_string(), m.open_change), (revenue.to_string(), -m.amount)],
        MovementKind::Paid => vec![
            (j.cash.account.clone(), m.amount),
            (account.to_string(), settled),
            (j.overpayment.account.clone(), -(m.amount + settled)),
        ],
        MovementKind::Adjusted => {
            let difference = chart.difference_of(account).unwrap_or(revenue);
            vec![
                (difference.to_string(), m.amount),
                (account.to_string(), settled),
                (j.overpayment.account.clone(), -(m.amount + settled)),
            ]
        }
        MovementKind::WrittenOff => vec![
            (j.write_off.account.clone(), m.amount),
            (account.to_string(), settled),
            (j.overpayment.account.clone(), -(m.amount + settled)),
        ],
    })
}

fn memo(m: &Movement) -> String {
    let what = match m.kind {
        MovementKind::Opened => "set up",
        MovementKind::Paid => "paid",
        MovementKind::Adjusted => "adjusted",
        MovementKind::WrittenOff => "written off",
    };
    if m.reference.is_empty() {
        what.to_string()
    } else {
        format!("{what} {}", m.reference)
    }
}

/// Every movement booked on the chart: (movement, its postings) or an error naming the claim.
fn booked<'b>(
    book: &'b Book,
    charts: &'b Charts,
) -> impl Iterator<Item = (&'b Movement, Result<(&'b ChartOfAccounts, String, Postings), String>)> + 'b {
    let ledger = &book.ledger;
    ledger.movements().iter().map(move |m| {
        let r = &ledger.receivables()[m.receivable];
        let booked = charts.in_force(m.date).and_then(|chart| {
            let account = chart.account_of(r, ledger.claim(r.claim()))?.to_string();
            let p =
                postings(chart, &account, m).map_err(|e| format!("claim {}: {e} in {}", r.claim(), chart.name()))?;
            Ok((chart, account, p))
        });
        (m, booked.map_err(|e| format!("{} {}: {e}", m.date, r.claim())))
    })
}

impl Journal {
    /// The journal of the movements dated `from` to the book's as-of date.
    pub fn of(book: &Book, charts: &Charts, from: NaiveDate) -> Journal {
        let mut j = Journal {
            from,
            to: book.as_of,
            lines: Vec::new(),
            debit: Money::ZERO,
            credit: Money::ZERO,
            errors: Vec::new(),
        };
        let mut entries: Vec<(&Movement, &ChartOfAccounts, Postings)> = Vec::new();
        for (m, booked) in booked(book, charts) {
            if m.date < from || m.date > book.as_of {
                continue;
            }
            match booked {
                Ok((chart, _, p)) => entries.push((m, chart, p)),
                Err(e) => j.errors.push(e),
            }
        }
        // By date; movements of a day keep the order they were posted in.
        entries.sort_by_key(|(m, _, _)| m.date);
        // Movements that move nothing (a payer owed 0) make no entry.
        entries.retain(|(_, _, p)| p.iter().any(|(_, a)| !a.is_zero()));
        for (n, (m, chart, postings)) in entries.into_iter().enumerate() {
            let r = &book.ledger.receivables()[m.receivable];
            for (account, amount) in postings.into_iter().filter(|(_, a)| !a.is_zero()) {
                let (debit, credit) = if amount.is_negative() { (Money::ZERO, -amount) } else { (amount, Money::ZERO) };
                j.debit += debit;
                j.credit += credit;
                j.lines.push(JournalLine {
                    date: m.date,
                    entry: n as u32 + 1,
                    account_name: chart.account_name(&account).to_string(),
                    account,
                    claim: r.claim().to_string(),
                    hcode: r.hcode().to_string(),
                    payer: r.payer().to_string(),
                    debit,
                    credit,
                    memo: memo(m),
                });
            }
        }
        j
    }

    /// The lines as a table (CSV for the hospital's accounting system).
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Journal {} to {}: {} entries, debit {} = credit {}",
                self.from,
                self.to,
                self.lines.last().map_or(0, |l| l.entry),
                self.debit.grouped(),
                self.credit.grouped()
            ),
            &["date", "entry", "account", "account_name", "claim", "hcode", "payer", "debit", "credit", "memo"],
        );
        for l in &self.lines {
            t.rows.push(vec![
                Cell::text(l.date.to_string()),
                Cell::number(l.entry),
                Cell::text(&l.account),
                Cell::text(&l.account_name),
                Cell::text(&l.claim),
                Cell::text(&l.hcode),
                Cell::text(&l.payer),
                Cell::Money(l.debit),
                Cell::Money(l.credit),
                Cell::text(&l.memo),
            ]);
        }
        t.total = Some(vec![
            Cell::text("total"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Money(self.debit),
            Cell::Money(self.credit),
            Cell::Empty,
        ]);
        t
    }
}

/// One account's totals in the trial balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrialRow {
    /// The account code.
    pub account: String,
    /// Its name.
    pub name: String,
    /// Debits to the as-of date.
    pub debit: Money,
    /// Credits to the as-of date.
    pub credit: Money,
    /// `debit - credit`.
    pub balance: Money,
    /// True for a receivable account (one the chart books receivables on).
    pub receivable: bool,
}

/// Every account's debits and credits from the first movement to the as-of date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrialBalance {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// The accounts, in code order.
    pub rows: Vec<TrialRow>,
    /// The balances of the receivable accounts together: equal to the aging total.
    pub receivables: Money,
    /// Movements that could not be booked.
    pub errors: Vec<String>,
}

impl TrialBalance {
    /// The trial balance of every movement to the book's as-of date.
    pub fn of(book: &Book, charts: &Charts) -> TrialBalance {
        let mut sums: BTreeMap<String, (Money, Money, String, bool)> = BTreeMap::new();
        let mut errors = Vec::new();
        for (_, booked) in booked(book, charts) {
            match booked {
                Ok((chart, account, postings)) => {
                    for (code, amount) in postings {
                        let e = sums.entry(code.clone()).or_insert_with(|| {
                            (Money::ZERO, Money::ZERO, chart.account_name(&code).to_string(), false)
                        });
                        if amount.is_negative() {
                            e.1 -= amount;
                        } else {
                            e.0 += amount;
                        }
                        if code == account {
                            e.3 = true;
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        let rows: Vec<TrialRow> = sums
            .into_iter()
            .map(|(account, (debit, credit, name, receivable))| TrialRow {
                account,
                name,
                debit,
                credit,
                balance: debit - credit,
                receivable,
            })
            .collect();
        let receivables = rows.iter().filter(|r| r.receivable).map(|r| r.balance).sum();
        TrialBalance { as_of: book.as_of, rows, receivables, errors }
    }

    /// The accounts as a table.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("Trial balance as of {}: receivable accounts {}", self.as_of, self.receivables.grouped()),
            &["account", "name", "debit", "credit", "balance"],
        );
        for r in &self.rows {
            t.rows.push(vec![
                Cell::text(&r.account),
                Cell::text(&r.name),
                Cell::Money(r.debit),
                Cell::Money(r.credit),
                Cell::Money(r.balance),
            ]);
        }
        let (debit, credit): (Money, Money) =
            self.rows.iter().fold((Money::ZERO, Money::ZERO), |(d, c), r| (d + r.debit, c + r.credit));
        t.total = Some(vec![
            Cell::text("total"),
            Cell::Empty,
            Cell::Money(debit),
            Cell::Money(credit),
            Cell::Money(debit - credit),
        ]);
        t
    }
}

/// One account group's average collection period, the MOPH way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatioRow {
    /// The group: UC, CSMBS, SSS.
    pub group: String,
    /// Its receivable accounts.
    pub accounts: Vec<String>,
    /// Their balance the day before the fiscal year began.
    pub opening: Money,
    /// Their balance on the as-of date.
    pub closing: Money,
    /// `(opening + closing) / 2`.
    pub average: Money,
    /// Receivables set up on them in the fiscal year to the as-of date.
    pub revenue: Money,
    /// `average / revenue x 30 x months elapsed`, one decimal; none without revenue.
    pub days: Option<Decimal>,
}

/// The average collection period by account group (ReportRatio).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectionRatio {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// The fiscal year of it.
    pub fiscal_year: FiscalYear,
    /// Months of the fiscal year elapsed, October = 1.
    pub months: u32,
    /// One row per group of the chart.
    pub rows: Vec<RatioRow>,
    /// Movements that could not be booked.
    pub errors: Vec<String>,
}

impl CollectionRatio {
    /// The groups of the chart in force on the as-of date.
    pub fn of(book: &Book, charts: &Charts) -> CollectionRatio {
        let fy = FiscalYear::of(book.as_of);
        let start = fy.first_day();
        // October = 1 ... September = 12.
        let months = (book.as_of.month() + 12 - 9) % 12;
        let months = if months == 0 { 12 } else { months };
        let mut errors = Vec::new();
        let groups = match charts.in_force(book.as_of) {
            Ok(chart) => chart.ratio_groups.clone(),
            Err(e) => {
                errors.push(e);
                BTreeMap::new()
            }
        };
        let mut rows: Vec<RatioRow> = groups
            .into_iter()
            .map(|(group, accounts)| RatioRow {
                group,
                accounts,
                opening: Money::ZERO,
                closing: Money::ZERO,
                average: Money::ZERO,
                revenue: Money::ZERO,
                days: None,
            })
            .collect();
        for (m, booked) in booked(book, charts) {
            let (_, account, postings) = match booked {
                Ok(b) => b,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let Some(row) = rows.iter_mut().find(|r| r.accounts.contains(&account)) else { continue };
            let change: Money = postings.iter().filter(|(a, _)| *a == account).map(|(_, v)| *v).sum();
            if m.date < start {
                row.opening += change;
            }
            row.closing += change;
            if m.kind == MovementKind::Opened && m.date >= start {
                row.revenue += m.amount;
            }
        }
        for row in &mut rows {
            row.average = Money::rounded((row.opening.as_decimal() + row.closing.as_decimal()) / Decimal::TWO);
            row.days = (!row.revenue.is_zero()).then(|| {
                (row.average.as_decimal() / row.revenue.as_decimal() * Decimal::from(30 * months)).round_dp(1)
            });
        }
        CollectionRatio { as_of: book.as_of, fiscal_year: fy, months, rows, errors }
    }

    /// The groups as a table.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Average collection period (MOPH ReportRatio), {} to {}: (average receivable / revenue) x 30 x {} months",
                self.fiscal_year.first_day(),
                self.as_of,
                self.months
            ),
            &["group", "opening", "closing", "average", "revenue", "days"],
        );
        for r in &self.rows {
            t.rows.push(vec![
                Cell::text(&r.group),
                Cell::Money(r.opening),
                Cell::Money(r.closing),
                Cell::Money(r.average),
                Cell::Money(r.revenue),
                r.days.map_or(Cell::Empty, Cell::number),
            ]);
        }
        t
    }
}
