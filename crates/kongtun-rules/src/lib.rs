//! kongtun-rules: the rule-pack interpreter.
//!
//! Fund policies live in YAML rule packs (`kind: fund-pack`): named parameters, decision
//! tables, pricing rules, payment tiers, checks and timeliness, each pack version in force
//! over an effective range. [`Engine::load`] reads, checks and compiles every pack under a
//! directory once; [`Engine::evaluate`] then prices a claim without parsing or looking up
//! names. The engine is immutable, `Send + Sync`, and can be shared across threads.
//!
//! ```
//! use kongtun_rules::Engine;
//! use kongtun_core::document::{read_claims, Format};
//! use chrono::NaiveDate;
//!
//! let pack = r#"
//! kind: fund-pack
//! id: demo
//! fund: DEMO
//! version: "1"
//! effective: { from: 2024-10-01 }
//! excess: patient
//! params:
//!   visit_cap: { value: 300, unit: baht }
//! rules:
//!   - id: demo-visit
//!     pay: { per_unit: visit_cap }
//! "#;
//! let engine = Engine::from_sources(&[("demo.yaml".into(), pack.into())]).unwrap();
//! let claim = "id: C1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-01-15\nitems: [{code: V, category: 12, qty: 1, price: 500}]\n";
//! let claim = read_claims(claim, "c.yaml", Format::Yaml).remove(0).claim.unwrap();
//! let outcome = engine.evaluate(&claim, NaiveDate::from_ymd_opt(2025, 1, 20).unwrap()).unwrap();
//! assert_eq!(outcome.payers[0].amount.to_string(), "300.00");
//! assert_eq!(outcome.patient.to_string(), "200.00");
//! assert!(outcome.balances());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod accident;
mod engine;
pub mod error;
mod evaluate;
mod expr;
pub mod format;
pub mod load;
pub mod pack;
pub mod schema;
mod table;

pub use engine::Engine;
pub use error::{Diagnostic, DiagnosticKind, Diagnostics, EvalError, Level};
/// The fields rule expressions can read: dotted name (`claim.adj_rw`), type (`a number`),
/// and whether a claim may lack it (then every comparison with it is false).
///
/// ```
/// let (name, ty, optional) = kongtun_rules::expression_fields().find(|f| f.0 == "claim.adj_rw").unwrap();
/// assert_eq!((name, ty.as_str(), optional), ("claim.adj_rw", "a number", true));
/// ```
pub fn expression_fields() -> impl Iterator<Item = (&'static str, String, bool)> {
    expr::Field::all().map(|f| (f.name(), f.ty().to_string(), f.optional()))
}

pub use evaluate::narration::{self, NoObserver, Observer, Step};
pub use evaluate::{Options, COB_RULE, UNPRICED_RULE};
