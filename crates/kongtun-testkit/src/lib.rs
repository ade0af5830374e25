//! kongtun-testkit: what the tests, benchmarks and examples share, kept out of the public
//! API (a dev-dependency only).
//!
//! - [`generate`]: a deterministic, seeded generator of valid claims;
//! - [`snapshot`]: files a test compares its output with, rewritten on request.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod generate;
pub mod snapshot;
