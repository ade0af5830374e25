//! The books as of a date: a [`Ledger`] opened from evaluated claims, with every event
//! dated on or before the as-of date posted, in date order. Reports read a [`Book`].

use kongtun_core::diagnostic::Diagnostic;
use std::path::Path;

use crate::receivable::{
    read_evaluated_file, read_event_file, read_statement_file, EvaluatedClaim, Event, Ledger, Located, Receivable, Rows,
};
use chrono::NaiveDate;

/// The ledger as of a date, and every row that could not be taken, with its file and line.
#[derive(Debug)]
pub struct Book {
    /// The receivables, with the events up to [`Book::as_of`] posted.
    pub ledger: Ledger,
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// Bad or refused rows (file, line, claim, field), in input order.
    pub errors: Vec<Diagnostic>,
    /// Events read but dated after the as-of date, left out.
    pub later_events: usize,
    /// Events whose key was posted before (a statement posted twice): no-ops.
    pub already_posted: usize,
}

impl Book {
    /// Opens every claim whose claim date is on or before `as_of` (a `submitted` date after it
    /// counts as not sent), then posts the events dated on or before `as_of`, oldest first
    /// (stable: same-day events keep their file order).
    pub fn build(claims: Rows<EvaluatedClaim>, events: Rows<Event>, as_of: NaiveDate) -> Book {
        Book::build_for(claims, events, as_of, None)
    }

    /// Like [`Book::build`], keeping only the claims of one hospital (by `hcode`) and the
    /// events of those claims.
    pub fn build_for(
        claims: Rows<EvaluatedClaim>,
        events: Rows<Event>,
        as_of: NaiveDate,
        hospital: Option<&str>,
    ) -> Book {
        let mut ledger = Ledger::new();
        let mut claims = claims;
        claims.rows.retain(|c| c.value.claim_date <= as_of);
        let mut events = events;
        if let Some(code) = hospital {
            claims.rows.retain(|c| c.value.hcode == code);
            let kept: std::collections::HashSet<&str> = claims.rows.iter().map(|c| c.value.id.as_str()).collect();
            events.rows.retain(|e| kept.contains(e.value.claim.as_str()));
        }
        // A claim sent after the as-of date was not sent yet on it.
        for c in &mut claims.rows {
            c.value.submitted = c.value.submitted.filter(|d| *d <= as_of);
        }
        let mut errors = ledger.open_rows(claims);
        errors.extend(events.errors);
        let mut rows: Vec<Located<Event>> = events.rows;
        let before = rows.len();
        rows.retain(|e| e.value.date <= as_of);
        let later_events = before - rows.len();
        rows.sort_by_key(|e| e.value.date);
        let summary = ledger.post_rows(&rows);
        errors.extend(summary.errors);
        Book { ledger, as_of, errors, later_events, already_posted: summary.already_posted }
    }

    /// Reads the files (evaluated claims: JSON Lines; statements: CSV, JSON or JSON Lines;
    /// event logs: JSON Lines) and builds the book.
    pub fn from_files(claims: &[&Path], statements: &[&Path], logs: &[&Path], as_of: NaiveDate) -> Book {
        Book::from_files_for(claims, statements, logs, as_of, None)
    }

    /// Like [`Book::from_files`], for one hospital (see [`Book::build_for`]).
    pub fn from_files_for(
        claims: &[&Path],
        statements: &[&Path],
        logs: &[&Path],
        as_of: NaiveDate,
        hospital: Option<&str>,
    ) -> Book {
        let mut evaluated = Rows::default();
        for path in claims {
            evaluated.extend(read_evaluated_file(path));
        }
        let mut events = Rows::default();
        for path in logs {
            events.extend(read_event_file(path));
        }
        for path in statements {
            events.extend(read_statement_file(path));
        }
        Book::build_for(evaluated, events, as_of, hospital)
    }

    /// Receivables with money still to collect (open balance above zero).
    pub fn open(&self) -> impl Iterator<Item = &Receivable> {
        self.ledger.receivables().iter().filter(|r| r.open() > kongtun_core::money::Money::ZERO)
    }
}
