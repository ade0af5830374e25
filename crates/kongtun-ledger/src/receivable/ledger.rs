//! The ledger: every receivable, and every event posted to them, once per key.

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use std::collections::HashMap;

use super::account::Receivable;
use super::error::{Located, Rows};
use super::evaluated::EvaluatedClaim;
use super::event::{Event, EventKey, EventKind};
use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// What posting an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Applied.
    Applied,
    /// Applied; the payment was larger than the open balance by this much, recorded as an
    /// overpayment.
    Overpaid(Money),
    /// An event with the same key and content was posted before: nothing changed.
    AlreadyPosted,
}

/// Why an event was not posted. The ledger is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// No receivable for the claim and payer.
    #[error("no receivable for claim {claim} and payer {payer}{}", known_payers(known))]
    UnknownReceivable {
        /// The claim id.
        claim: String,
        /// The payer.
        payer: FundId,
        /// The payers the claim has receivables with (empty when the claim is unknown).
        known: Vec<FundId>,
    },
    /// The key was posted before with other content (a statement row that changed).
    #[error("{key} was posted before with different content: {first}")]
    Conflict {
        /// The key.
        key: EventKey,
        /// The first event, as its log line.
        first: String,
    },
    /// The receivable refused it (e.g. a write-off above the open balance).
    #[error("{0}")]
    Refused(String),
}

fn known_payers(known: &[FundId]) -> String {
    if known.is_empty() {
        " (no such claim in the evaluated claims)".to_string()
    } else {
        let names: Vec<&str> = known.iter().map(FundId::as_str).collect();
        format!(" (its payers: {})", names.join(", "))
    }
}

impl PostError {
    /// The kind of row error this is reported as.
    pub fn kind(&self) -> DiagnosticKind {
        match self {
            PostError::UnknownReceivable { .. } => DiagnosticKind::UnknownReceivable,
            PostError::Conflict { .. } => DiagnosticKind::Conflict,
            PostError::Refused(_) => DiagnosticKind::Refused,
        }
    }
}

/// What posting a batch of rows did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostSummary {
    /// Indexes (into the rows given) of the events applied.
    pub applied: Vec<usize>,
    /// Rows whose key was already posted with the same content.
    pub already_posted: usize,
    /// Overpayments recorded, with the row index.
    pub overpayments: Vec<(usize, Money)>,
    /// Rows refused, with file and line.
    pub errors: Vec<Diagnostic>,
}

/// Every receivable, opened from evaluated claims, and the events posted to them.
///
/// Posting an event whose key was posted before is a no-op ([`Posted::AlreadyPosted`]);
/// posting it with other content is a [`PostError::Conflict`]. A refused event changes
/// nothing.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    claims: Vec<EvaluatedClaim>,
    /// Claim id to its index in `claims` (foldhash: millions of claims, no untrusted keys
    /// to defend against beyond what the books hold).
    claim_index: HashMap<String, usize, foldhash::fast::RandomState>,
    /// Per claim, its receivables: a claim's receivables are pushed together.
    claim_receivables: Vec<std::ops::Range<u32>>,
    receivables: Vec<Receivable>,
    posted: HashMap<EventKey, Event>,
    movements: Vec<Movement>,
}

/// Money that moved on a receivable: its opening, a payment, an adjustment or a write-off,
/// in the order posted. The journal is written from these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    /// The receivable, as its index in [`Ledger::receivables`].
    pub receivable: usize,
    /// The day it happened (the claim date for an opening).
    pub date: NaiveDate,
    /// What moved.
    pub kind: MovementKind,
    /// The event's amount: what was booked, paid, adjusted or written off.
    pub amount: Money,
    /// How much the receivable's open balance changed (negative when it fell); the rest of
    /// `amount` went to or came from an overpayment.
    pub open_change: Money,
    /// The event's reference (statement, receipt, voucher); empty for an opening.
    pub reference: String,
}

/// What a [`Movement`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovementKind {
    /// The receivable was set up from the evaluation.
    Opened,
    /// The payer (a statement) or the patient paid.
    Paid,
    /// A difference was adjusted (ส่วนต่าง).
    Adjusted,
    /// The committee wrote an amount off.
    WrittenOff,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Opens the receivables of a claim. A claim id opened before is refused (the first
    /// stands); the error says so.
    pub fn open(&mut self, claim: EvaluatedClaim) -> Result<(), String> {
        if self.claim_index.contains_key(&claim.id) {
            return Err(format!("duplicate claim id {}: its receivables were opened already", claim.id));
        }
        let start = self.receivables.len() as u32;
        for r in claim.receivables() {
            self.movements.push(Movement {
                receivable: self.receivables.len(),
                date: r.claim_date,
                kind: MovementKind::Opened,
                amount: r.expected,
                open_change: r.open(),
                reference: String::new(),
            });
            self.receivables.push(r);
        }
        self.claim_receivables.push(start..self.receivables.len() as u32);
        self.claim_index.insert(claim.id.clone(), self.claims.len());
        self.claims.push(claim);
        Ok(())
    }

    /// Opens every claim read; returns an error (file, line) for each duplicate id.
    pub fn open_rows(&mut self, rows: Rows<EvaluatedClaim>) -> Vec<Diagnostic> {
        let mut errors = rows.errors;
        self.claims.reserve(rows.rows.len());
        self.claim_receivables.reserve(rows.rows.len());
        self.claim_index.reserve(rows.rows.len());
        for row in rows.rows {
            let id = row.value.id.clone();
            if let Err(message) = self.open(row.value) {
                errors.push(
                    super::error::at(&row.file, row.line, DiagnosticKind::DuplicateClaim, message)
                        .claim_opt(Some(&id))
                        .field("id"),
                );
            }
        }
        errors
    }

    /// Posts one event.
    pub fn post(&mut self, event: &Event) -> Result<Posted, PostError> {
        let key = event.key();
        if let Some(first) = self.posted.get(&key) {
            return if first == event {
                Ok(Posted::AlreadyPosted)
            } else {
                Err(PostError::Conflict { key, first: first.to_json_line() })
            };
        }
        let Some(i) = self.index_of(&event.claim, &event.payer) else {
            let known = self.receivables_of(&event.claim).map(|r| r.payer.clone()).collect();
            return Err(PostError::UnknownReceivable { claim: event.claim.clone(), payer: event.payer.clone(), known });
        };
        let open_before = self.receivables[i].open();
        let excess = self.receivables[i].apply(event).map_err(|r| PostError::Refused(r.0))?;
        let moved = match &event.kind {
            EventKind::Statement { paid, statement, .. } if !paid.is_zero() => {
                Some((MovementKind::Paid, *paid, statement.clone()))
            }
            EventKind::PaidByPatient { amount, receipt } => Some((MovementKind::Paid, *amount, receipt.clone())),
            EventKind::Adjusted { amount, reference } => Some((MovementKind::Adjusted, *amount, reference.clone())),
            EventKind::WrittenOff { amount, reference } => Some((MovementKind::WrittenOff, *amount, reference.clone())),
            _ => None,
        };
        if let Some((kind, amount, reference)) = moved {
            let open_change = self.receivables[i].open() - open_before;
            self.movements.push(Movement { receivable: i, date: event.date, kind, amount, open_change, reference });
        }
        self.posted.insert(key, event.clone());
        Ok(excess.map_or(Posted::Applied, Posted::Overpaid))
    }

    /// Posts rows in order; every refused row becomes an error with its file and line.
    pub fn post_rows(&mut self, rows: &[Located<Event>]) -> PostSummary {
        let mut summary = PostSummary::default();
        for (i, row) in rows.iter().enumerate() {
            match self.post(&row.value) {
                Ok(Posted::Applied) => summary.applied.push(i),
                Ok(Posted::Overpaid(excess)) => {
                    summary.applied.push(i);
                    summary.overpayments.push((i, excess));
                }
                Ok(Posted::AlreadyPosted) => summary.already_posted += 1,
                Err(e) => summary.errors.push(
                    super::error::at(&row.file, row.line, e.kind(), e.to_string()).claim_opt(Some(&row.value.claim)),
                ),
            }
        }
        summary
    }

    /// Every receivable, in the order opened.
    pub fn receivables(&self) -> &[Receivable] {
        &self.receivables
    }

    /// Every movement of money, in the order posted (openings first, as claims are opened
    /// before events are posted).
    pub fn movements(&self) -> &[Movement] {
        &self.movements
    }

    /// The receivable of a claim owed by a payer.
    pub fn receivable(&self, claim: &str, payer: &str) -> Option<&Receivable> {
        self.index_of(claim, &FundId::new(payer)).map(|i| &self.receivables[i])
    }

    /// The index of a claim's receivable owed by a payer.
    fn index_of(&self, claim: &str, payer: &FundId) -> Option<usize> {
        let range = self.claim_receivables.get(*self.claim_index.get(claim)?)?.clone();
        range.map(|i| i as usize).find(|i| self.receivables[*i].payer == *payer)
    }

    /// The receivables of a claim.
    pub fn receivables_of<'a>(&'a self, claim: &'a str) -> impl Iterator<Item = &'a Receivable> + 'a {
        let range = self.claim_index.get(claim).and_then(|i| self.claim_receivables.get(*i)).cloned().unwrap_or(0..0);
        self.receivables[range.start as usize..range.end as usize].iter()
    }

    /// Every claim opened, in order.
    pub fn claims(&self) -> &[EvaluatedClaim] {
        &self.claims
    }

    /// The claim with this id, if opened.
    pub fn claim(&self, id: &str) -> Option<&EvaluatedClaim> {
        self.claim_index.get(id).map(|i| &self.claims[*i])
    }

    /// The number of events posted (each key once).
    pub fn events_posted(&self) -> usize {
        self.posted.len()
    }

    /// The event posted under this key, if any (a REP row and the STM row of the same
    /// transaction share a key: the second is compared with the first).
    pub fn posted(&self, key: &EventKey) -> Option<&Event> {
        self.posted.get(key)
    }

    /// True when an event with this key was posted.
    pub fn has_posted(&self, key: &EventKey) -> bool {
        self.posted.contains_key(key)
    }
}
