//! kongtun-audit: tools for the people who approve rule changes.
//!
//! - [`pack_test`]: test cases kept beside the packs (`kind: pack-test`), run with their
//!   expected amounts and findings, with rule and table-row coverage ([`coverage`]);
//! - [`diff`]: what a rule change does to money over a corpus of claims, as Markdown for a
//!   pull-request comment or as JSON;
//! - [`explain`]: every rule considered for one claim, the values it read and the arithmetic;
//! - [`records`]: the JSON records of evaluated and validated claims, and a batch of claim
//!   text evaluated as one (shared by the CLI, the HTTP service and the C ABI);
//! - [`source`]: rule packs from a directory or from a git revision (`git:REV:PATH`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod coverage;
pub mod diff;
pub mod explain;
pub mod pack_test;
pub mod records;
pub mod sendby;
pub mod source;
pub mod worklist;
