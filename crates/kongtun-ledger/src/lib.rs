//! kongtun-ledger: receivables reports computed from evaluated claims, fund statements and the
//! event log, as of a date.
//!
//! The receivable model itself (receivables, events, idempotent posting, the readers) is in
//! `crate::receivable`; this crate closes the books on a date ([`Book`]) and reports:
//!
//! - [`report::Aging`]: open balances by payer x fiscal year, and by age band;
//! - [`report::CollectionPeriods`]: average collection period per payer against the targets
//!   of the collection policy pack ([`policy`], `rules/collection/`);
//! - [`report::Reconciliation`]: expected vs paid, differences to adjust, claims stuck with
//!   C / D / V and the days left before the fund's deadline;
//! - [`report::DunningList`]: patient debts due for letters 1-3, then the write-off committee;
//! - [`report::Kpis`]: Advanced 4S4C claim KPIs per month;
//! - [`html::page`]: one self-contained page with the aging table and a stacked bar chart.
//!
//! Every report turns into a [`Table`] (text, CSV) and serialises to JSON.
//!
//! ```
//! use chrono::NaiveDate;
//! use kongtun_ledger::receivable::{read_evaluated, read_statements, StatementFormat};
//! use kongtun_ledger::{policy::Policies, report::Aging, Book};
//!
//! let claims = concat!(
//!     r#"{"id":"A1","fund":"UC","service_date":"2025-01-10","claim_date":"2025-01-10","fiscal_year":2568,"#,
//!     r#""charged":"1000.00","payers":[{"payer":"UC","amount":"800.00","status":"claimable"}],"#,
//!     r#""patient":"200.00","penalty":"0.00","difference":"0.00"}"#, "\n",
//! );
//! let stm = "statement,claim,payer,paid,paid_date\nSTM-1,A1,UC,800.00,2025-02-20\n";
//! let as_of = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
//! let book = Book::build(read_evaluated(claims, "e.jsonl"), read_statements(stm, "s.csv", StatementFormat::Csv), as_of);
//! assert!(book.errors.is_empty());
//!
//! let policy_text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/collection/fy2568.yaml")).unwrap();
//! let policies = Policies::from_sources(&[("fy2568.yaml".into(), policy_text)]).unwrap();
//! let aging = Aging::of(&book, policies.in_force(as_of).unwrap());
//! assert_eq!(aging.total.to_string(), "200.00"); // UC paid; the patient's share is open
//! assert_eq!(aging.payers[0].payer.as_str(), "PATIENT");
//! assert_eq!(aging.bands[aging.payers[0].by_band.iter().position(|m| !m.is_zero()).unwrap()], "61-90");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod accounts;
mod book;
pub mod error_codes;
pub mod html;
pub mod policy;
pub mod receivable;
pub mod report;
mod table;
pub mod visits;
pub mod words;

pub use book::Book;
pub use kongtun_core::calendar::{FundCalendar, NoCalendar};
pub use table::{Cell, Table};
