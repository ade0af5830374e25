//! Dunning: patient debts (self-pay, and the patient's share of fund claims) due for letter
//! 1, 2 or 3 by the policy's day counts, then proposed to the write-off committee.

use chrono::{Duration, NaiveDate};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use serde::Serialize;

use crate::book::Book;
use crate::policy::CollectionPolicy;
use crate::table::{Cell, Table};

/// The next step for a patient debt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "step", content = "number")]
pub enum Step {
    /// Send dunning letter N (1, 2 or 3).
    Letter(u8),
    /// Every letter is out and the wait after the last has passed: propose writing it off.
    Committee,
}

/// One open patient debt and its next step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DunningRow {
    /// The claim id.
    pub claim: String,
    /// `PATIENT` (or `SELF`).
    pub payer: FundId,
    /// The claim's fund (its schedule applies).
    pub fund: FundId,
    /// Still owed.
    pub open: Money,
    /// Days from the claim date.
    pub age_days: i64,
    /// Letters already sent.
    pub letters_sent: u8,
    /// The next step.
    pub next: Step,
    /// The day it falls due.
    pub due: NaiveDate,
    /// True when due on or before the as-of date.
    pub due_now: bool,
}

/// Every open patient debt with its next step, due ones first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DunningList {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// Open patient debts: due now first (committee, then letter 3, 2, 1), then by due date.
    pub rows: Vec<DunningRow>,
    /// Debts due for each letter now.
    pub letters_due: [usize; 3],
    /// Debts to propose to the write-off committee, and their total.
    pub committee: (usize, Money),
}

fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

impl DunningList {
    /// The dunning list of the book under the policy in force.
    pub fn of(book: &Book, policy: &CollectionPolicy) -> DunningList {
        let mut list =
            DunningList { as_of: book.as_of, rows: Vec::new(), letters_due: [0; 3], committee: (0, Money::ZERO) };
        for r in book.open().filter(|r| r.is_patient_debt()) {
            let schedule = policy.letters_for(r.fund());
            if schedule.is_empty() {
                continue;
            }
            let sent = r.letters_sent();
            let (next, due) = if usize::from(sent) < schedule.len() {
                let i = usize::from(sent);
                // Due its days after the claim date, and never sooner after the previous
                // letter than the schedule's gap between the two.
                let mut due = r.claim_date() + days(schedule[i]);
                if let Some(prev) = i.checked_sub(1).and_then(|p| r.letters()[p]) {
                    due = due.max(prev + days(schedule[i] - schedule[i - 1]));
                }
                let n = sent + 1;
                (Step::Letter(n), due)
            } else {
                let last = r.letters()[schedule.len() - 1].unwrap_or(r.claim_date());
                (Step::Committee, last + days(policy.dunning.committee_after_days))
            };
            let due_now = due <= book.as_of;
            if due_now {
                match next {
                    Step::Letter(n) => list.letters_due[usize::from(n - 1).min(2)] += 1,
                    Step::Committee => {
                        list.committee.0 += 1;
                        list.committee.1 += r.open();
                    }
                }
            }
            list.rows.push(DunningRow {
                claim: r.claim().to_string(),
                payer: r.payer().clone(),
                fund: r.fund().clone(),
                open: r.open(),
                age_days: r.age_days(book.as_of),
                letters_sent: sent,
                next,
                due,
                due_now,
            });
        }
        list.rows.sort_by(|a, b| {
            (!a.due_now, std::cmp::Reverse(a.next), a.due, &a.claim).cmp(&(
                !b.due_now,
                std::cmp::Reverse(b.next),
                b.due,
                &b.claim,
            ))
        });
        list
    }

    /// The list as a table.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Dunning as of {}: letters due 1/2/3 = {}/{}/{}; to the write-off committee {} ({})",
                self.as_of,
                self.letters_due[0],
                self.letters_due[1],
                self.letters_due[2],
                self.committee.0,
                self.committee.1.grouped()
            ),
            &["claim", "fund", "open", "age", "letters", "next", "due", "now"],
        );
        for r in &self.rows {
            t.rows.push(vec![
                Cell::text(&r.claim),
                Cell::text(r.fund.as_str()),
                Cell::Money(r.open),
                Cell::number(r.age_days),
                Cell::number(r.letters_sent),
                Cell::text(match r.next {
                    Step::Letter(n) => format!("letter {n}"),
                    Step::Committee => "write-off committee".to_string(),
                }),
                Cell::text(r.due.to_string()),
                Cell::text(if r.due_now { "due" } else { "" }),
            ]);
        }
        t
    }
}
