//! The ledger: every receivable, and every event posted to them, once per key.

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use std::collections::HashMap;

use super::account::Receivable;
use super::error::{Located, Rows};
use super::evaluated::EvaluatedClaim;
use super::event::{Event, EventKey};
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
    claim_index: HashMap<String, usize>,
    receivables: Vec<Receivable>,
    index: HashMap<(String, FundId), usize>,
    posted: HashMap<EventKey, Event>,
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
        for r in claim.receivables() {
            self.index.insert((r.claim.clone(), r.payer.clone()), self.receivables.len());
            self.receivables.push(r);
        }
        self.claim_index.insert(claim.id.clone(), self.claims.len());
        self.claims.push(claim);
        Ok(())
    }

    /// Opens every claim read; returns an error (file, line) for each duplicate id.
    pub fn open_rows(&mut self, rows: Rows<EvaluatedClaim>) -> Vec<Diagnostic> {
        let mut errors = rows.errors;
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
        let Some(&i) = self.index.get(&(event.claim.clone(), event.payer.clone())) else {
            let known = self.receivables_of(&event.claim).map(|r| r.payer.clone()).collect();
            return Err(PostError::UnknownReceivable { claim: event.claim.clone(), payer: event.payer.clone(), known });
        };
        let excess = self.receivables[i].apply(event).map_err(|r| PostError::Refused(r.0))?;
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

    /// The receivable of a claim owed by a payer.
    pub fn receivable(&self, claim: &str, payer: &str) -> Option<&Receivable> {
        self.index.get(&(claim.to_string(), FundId::new(payer))).map(|i| &self.receivables[*i])
    }

    /// The receivables of a claim.
    pub fn receivables_of<'a>(&'a self, claim: &'a str) -> impl Iterator<Item = &'a Receivable> + 'a {
        self.receivables.iter().filter(move |r| r.claim == claim)
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
