//! Receivables (ลูกหนี้): what each payer owes for each claim, and what happened since.
//!
//! A [`Receivable`] is opened per claim per payer from an evaluated claim
//! ([`EvaluatedClaim`], the record `kongtun evaluate --format json` prints): one per fund in
//! its `payers`, and one for the patient's share as payer [`PATIENT`]. [`Event`]s then move
//! it: the claim sent, a fund's statement (paid, or stuck with an error code of type C, D or
//! V), a correction re-sent, an adjustment of the difference (ส่วนต่าง), dunning letters,
//! a write-off approved by the committee, a payment by the patient.
//!
//! For every receivable, `balance = expected - paid - adjusted - written_off`. The balance
//! goes below zero only through a payment larger than what was open, and that excess is
//! recorded as an overpayment. The [`Ledger`] posts each event once: an event whose
//! [`EventKey`] was posted before (the same statement row, the same write-off reference) is
//! a no-op, so posting a statement file twice changes nothing.
//!
//! Inputs are files a hospital has: evaluated claims (JSON Lines), statements (CSV, JSON or
//! JSON Lines, [`read_statements`]) and the event log (JSON Lines, [`read_events`],
//! appended through [`EventLog`]). Every reader returns the good rows and a
//! [`Diagnostic`](kongtun_core::diagnostic::Diagnostic) (file, line, claim id, field) for each bad one; a bad row never stops the others.
//!
//! ```
//! use kongtun_ledger::receivable::{read_evaluated, read_statements, Ledger, Posted, StatementFormat};
//!
//! let claims = concat!(
//!     r#"{"id":"UC-IP-TKA","fund":"UC","setting":"ip","service_date":"2025-03-02","claim_date":"2025-03-07","#,
//!     r#""fiscal_year":2568,"submitted":"2025-03-20","charged":"67270.00","#,
//!     r#""payers":[{"payer":"UC","amount":"79025.00","status":"claimable"}],"#,
//!     r#""patient":"4000.00","penalty":"0.00","difference":"-15755.00"}"#, "\n",
//! );
//! let mut ledger = Ledger::new();
//! assert!(ledger.open_rows(read_evaluated(claims, "evaluated.jsonl")).is_empty());
//!
//! let stm = "statement,claim,payer,paid,paid_date\nSTM-04,UC-IP-TKA,UC,79000.00,2568-04-25\n";
//! let rows = read_statements(stm, "stm.csv", StatementFormat::Csv).rows;
//! assert_eq!(ledger.post(&rows[0].value), Ok(Posted::Applied));
//! assert_eq!(ledger.post(&rows[0].value), Ok(Posted::AlreadyPosted)); // same key: no-op
//!
//! let uc = ledger.receivable("UC-IP-TKA", "UC").unwrap();
//! assert_eq!(uc.balance().to_string(), "25.00"); // the difference to adjust
//! assert_eq!(ledger.receivable("UC-IP-TKA", "PATIENT").unwrap().balance().to_string(), "4000.00");
//! ```

mod account;
pub(crate) mod error;
mod evaluated;
mod event;
mod ledger;
mod log;
mod statement;

pub use account::{Receivable, State, Stuck, PATIENT, SELF_PAY};
pub use error::{csv_with_header, Located, Rows};
pub use evaluated::{read_evaluated, read_evaluated_file, EvaluatedClaim};
pub use event::{ErrorType, Event, EventKey, EventKind, FieldError, StatementError};
pub use ledger::{Ledger, Movement, MovementKind, PostError, PostSummary, Posted};
pub use log::{check as check_log, read_event_file, read_events, torn_path, EventLog, LogCheck, Tail};
pub use statement::{read_statement_file, read_statements, StatementFormat, StatementRow, COLUMNS};
