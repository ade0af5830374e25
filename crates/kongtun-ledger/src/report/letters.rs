//! Dunning letters: what a letter to a patient needs, for the letters due on the as-of day —
//! the HN and name (from the visit list, when it has them), the visit, the amount, which letter
//! it is, and the day to pay by (when the next step would fall due). As a table for a mail
//! merge, and as a page of letters ready to print ([`crate::html::letters_page`]).

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use serde::Serialize;

use crate::book::Book;
use crate::policy::CollectionPolicy;
use crate::report::dunning::{DunningList, Step};
use crate::table::{Cell, Table};
use crate::visits::Visit;

/// One letter to send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The claim (visit or admission) the debt comes from.
    pub claim: String,
    /// The patient's hospital number; empty when the visit list does not have the claim.
    pub hn: String,
    /// The patient's name; empty when the visit list does not give it.
    pub name: String,
    /// The claim's fund.
    pub fund: FundId,
    /// The visit, or the discharge.
    pub claim_date: NaiveDate,
    /// Still owed.
    pub amount: Money,
    /// Letter 1, 2 or 3.
    pub number: u8,
    /// The day it fell due to be sent.
    pub due: NaiveDate,
    /// Pay by this day, or the next step is taken (the next letter, or the write-off
    /// committee), by the collection policy's days.
    pub pay_by: NaiveDate,
}

/// The letters due on the as-of day, oldest debt first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Letters {
    /// The day the books are closed on.
    pub as_of: NaiveDate,
    /// The letters.
    pub letters: Vec<Letter>,
    /// What they ask for, in all.
    pub total: Money,
}

impl Letters {
    /// The letters of the dunning list that are due now. `visits` gives HN and name by claim.
    pub fn of(list: &DunningList, book: &Book, policy: &CollectionPolicy, visits: &[Visit]) -> Letters {
        let by_claim: HashMap<&str, &Visit> = visits.iter().map(|v| (v.visit.as_str(), v)).collect();
        let mut letters = Vec::new();
        for row in list.rows.iter().filter(|r| r.due_now) {
            let Step::Letter(number) = row.next else { continue };
            let schedule = policy.letters_for(&row.fund);
            let i = usize::from(number);
            // Days until the next step: the next letter's gap, or the committee's wait.
            let wait = match (schedule.get(i), schedule.get(i.saturating_sub(1))) {
                (Some(next), Some(this)) => next.saturating_sub(*this),
                _ => policy.dunning.committee_after_days,
            };
            let visit = by_claim.get(row.claim.as_str());
            let claim_date = book.ledger.claim(&row.claim).map_or(row.due, |c| c.claim_date);
            letters.push(Letter {
                claim: row.claim.clone(),
                hn: visit.map(|v| v.hn.clone()).unwrap_or_default(),
                name: visit.map(|v| v.name.clone()).unwrap_or_default(),
                fund: row.fund.clone(),
                claim_date,
                amount: row.open,
                number,
                due: row.due,
                pay_by: book.as_of + Duration::days(i64::from(wait)),
            });
        }
        letters.sort_by(|a, b| (a.claim_date, &a.claim).cmp(&(b.claim_date, &b.claim)));
        let total = letters.iter().map(|l| l.amount).sum();
        Letters { as_of: book.as_of, letters, total }
    }

    /// One row per letter, for a mail merge.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("Dunning letters as of {}: {} letters, {}", self.as_of, self.letters.len(), self.total.grouped()),
            &["claim", "hn", "name", "fund", "claim date", "amount", "letter", "due", "pay by"],
        );
        for l in &self.letters {
            t.rows.push(vec![
                Cell::text(&l.claim),
                Cell::text(&l.hn),
                Cell::text(&l.name),
                Cell::text(l.fund.as_str()),
                Cell::text(l.claim_date.to_string()),
                Cell::Money(l.amount),
                Cell::number(l.number),
                Cell::text(l.due.to_string()),
                Cell::text(l.pay_by.to_string()),
            ]);
        }
        t
    }
}
