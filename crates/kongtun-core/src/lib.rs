//! kongtun-core: the domain model of Thai hospital claims.
//!
//! Money ([`money`]), the Thai calendar ([`calendar`]), funds ([`fund`]), charge categories
//! ([`category`]), claims ([`claim`]) and the claim documents they are read from
//! ([`document`]), the code maps of the rules directory ([`codemap`]: e-Claim INSCL codes and
//! fund names to funds), and the outcome of evaluating a claim ([`outcome`]). It knows nothing of
//! rule packs: `kongtun-rules` fills the outcome types defined here, so audit and
//! receivables code depends on this crate alone.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod calendar;
pub mod category;
pub mod claim;
pub mod codemap;
pub mod decimal;
pub mod diagnostic;
pub mod document;
pub mod files;
pub mod fund;
pub mod messages;
pub mod money;
pub mod outcome;
pub mod rulebook;
pub mod suggest;
pub mod text;
pub mod yaml;
