//! # kongtun
//!
//! A rules engine for Thai hospital claims (เรียกเก็บ) and receivables (ลูกหนี้): fund
//! policies for UC (บัตรทอง / สปสช.), CSMBS (กรมบัญชีกลาง), SSS (ประกันสังคม), LGO (อปท.),
//! road-accident insurance (พรบ.) and self-pay live in YAML rule packs that kongtun loads,
//! checks and evaluates over claims.
//!
//! This crate re-exports the public API of its parts:
//! - [`model`] (`kongtun-core`): money, the Thai fiscal year, funds, charge categories,
//!   claims, claim documents, diagnostics and evaluation outcomes.
//! - [`rules`] (`kongtun-rules`): the rule-pack interpreter; [`Engine`] is the entry point.
//! - [`audit`] (`kongtun-audit`): pack tests with coverage, impact diff, explanations.
//! - [`ledger`] (`kongtun-ledger`): receivables: the model, the books as of a date, aging,
//!   collection period, reconciliation, dunning, 4S4C claim KPIs, HTML.
//! - [`eclaim`] (`kongtun-eclaim`): Thai exchange formats: the NHSO e-Claim 16-file set read
//!   into claims and written from them.
//!
//! ```
//! use kongtun::model::calendar::FiscalYear;
//! use chrono::NaiveDate;
//! let day = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
//! assert_eq!(FiscalYear::of(day).to_string(), "FY2568");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use kongtun_audit as audit;
pub use kongtun_core as model;
pub use kongtun_eclaim as eclaim;
pub use kongtun_ledger as ledger;
pub use kongtun_rules as rules;
pub use kongtun_rules::Engine;
