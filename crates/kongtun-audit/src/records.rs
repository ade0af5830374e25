//! The JSON records every front end writes for a batch of claims: `kongtun evaluate
//! --format json` and `kongtun validate --format json`, the HTTP service (`kongtun serve`)
//! and the C ABI (`kongtun-ffi`). One place decides their shape, so the three give the
//! same bytes for the same claims.
//!
//! A batch is read by the one claim reader (`kongtun_core::document`), its ids checked
//! unique, and its claims evaluated together with [`Engine::evaluate_batch`]: the claims of
//! one road-accident victim share PRB's limits within the batch. Across batches, a host
//! passes what PRB already paid as the accident's `prb_already_paid`.
//!
//! ```
//! use kongtun_audit::records::{self, Counts, EvalOptions};
//! use kongtun_core::document::Format;
//! use kongtun_rules::Engine;
//!
//! let engine = Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap();
//! let text = concat!(
//!     r#"{"id":"A1","hn":"1","setting":"op","fund":"UC","service_date":"2025-01-15","items":[{"code":"X","category":7,"qty":"1","price":"120"}]}"#,
//!     "\n",
//!     r#"{"id":"A2","hn":"2","setting":"op","fund":"UC","service_date":"2025-01-15","items":[]}"#,
//! );
//! let batch = records::read(text, "-", Format::JsonLines);
//! let options = EvalOptions { as_of: chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(), ..EvalOptions::default() };
//! let mut out = Vec::new();
//! let counts = records::evaluate(&engine, &batch, options, &mut out, &mut |_| {});
//! assert_eq!(counts, Counts { ok: 1, rejected: 1, unreadable: 0 });
//! let text = String::from_utf8(out).unwrap();
//! let lines: Vec<&str> = text.lines().collect();
//! assert!(lines[0].starts_with(r#"{"id":"A1","fund":"UC""#));
//! assert!(lines[1].starts_with(r#"{"id":"A2","error":{"kind":"#));
//! ```

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::document::{read_claims, DuplicateIds, Format, Record};
use kongtun_core::outcome::{Lang, Outcome};
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, EvalError, Options};
use serde_json::{json, Value};

/// The record of a claim that could not be read: `{"id":…,"error":{kind, message, file,
/// line, column, field}}` (the diagnostic's JSON object); `id` is null when none could be read.
pub fn read_error(id: Option<&str>, error: &Diagnostic) -> Value {
    json!({"id": id, "error": error.to_json()})
}

/// The record of a claim that was read but could not be evaluated:
/// `{"id":…,"error":{"kind":…,"message":…}}`.
pub fn eval_error(id: &str, error: &EvalError) -> Value {
    json!({"id": id, "error": {"kind": error.kind(), "message": error.to_string()}})
}

/// The record of a valid claim in `kongtun validate --format json`: `{"id":…,"ok":true}`.
pub fn valid(id: &str) -> Value {
    json!({"id": id, "ok": true})
}

/// Appends a record and its line ending to `buf`.
pub fn write_line(record: &Value, buf: &mut Vec<u8>) {
    // Writing a `Value` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *buf, record);
    buf.push(b'\n');
}

/// Appends an evaluated claim's record ([`Outcome::write_json`]) and its line ending.
pub fn write_outcome(outcome: &Outcome, lang: Lang, buf: &mut Vec<u8>) {
    outcome.write_json(lang, buf);
    buf.push(b'\n');
}

/// True for a read error about the input as a whole (a file or a stream that could not be
/// read), not about one claim.
pub fn is_io(error: &Diagnostic) -> bool {
    error.kind == DiagnosticKind::Io
}

/// Reads the claims of one document's text (`file` names it in errors), each id checked
/// unique within it: one record per claim, in order.
pub fn read(text: &str, file: &str, format: Format) -> Vec<Record> {
    let mut ids = DuplicateIds::default();
    read_claims(text, file, format).into_iter().map(|r| ids.check(r)).collect()
}

/// How a batch is evaluated and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalOptions {
    /// The day of the evaluation (timeliness counts to it when a claim has no `submitted`).
    pub as_of: NaiveDate,
    /// The language of finding messages.
    pub lang: Lang,
    /// Whether records carry the trace (`kongtun evaluate --format json` does).
    pub trace: bool,
}

impl Default for EvalOptions {
    /// As of 1 January 1970 (set it), in English, with the trace.
    fn default() -> EvalOptions {
        EvalOptions { as_of: NaiveDate::default(), lang: Lang::En, trace: true }
    }
}

/// How many records of a batch were evaluated (or valid), rejected, or unreadable input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Evaluated (or, for [`validate`], valid).
    pub ok: usize,
    /// Rejected: a claim that could not be read or evaluated.
    pub rejected: usize,
    /// Input that could not be read at all ([`is_io`]).
    pub unreadable: usize,
}

impl Counts {
    fn add_error(&mut self, error: &Diagnostic) {
        if is_io(error) {
            self.unreadable += 1;
        } else {
            self.rejected += 1;
        }
    }
}

/// Evaluates the readable claims of `records` as one batch (a fresh [`AccidentLimits`]: the
/// claims of one victim and accident share PRB's limits, in date order) and appends one
/// record per input record to `out`, in order: the outcome, or the error in its place.
/// `seen` is shown every outcome (for counting findings, say).
pub fn evaluate(
    engine: &Engine,
    records: &[Record],
    options: EvalOptions,
    out: &mut Vec<u8>,
    seen: &mut dyn FnMut(&Outcome),
) -> Counts {
    let claims: Vec<&Claim> = records.iter().filter_map(|r| r.claim.as_ref().ok()).collect();
    let mut results = engine
        .evaluate_batch(&claims, options.as_of, Options { trace: options.trace }, &mut AccidentLimits::new())
        .into_iter();
    let mut counts = Counts::default();
    for record in records {
        match &record.claim {
            Err(e) => {
                counts.add_error(e);
                write_line(&read_error(record.id(), e), out);
            }
            Ok(claim) => {
                // `evaluate_batch` gives one result per claim, in order; should it ever give
                // fewer, the claim is evaluated on its own, still answered in its place.
                let result = results.next().unwrap_or_else(|| {
                    let mut outcome = Outcome::default();
                    engine
                        .evaluate_into(claim, options.as_of, Options { trace: options.trace }, &mut outcome)
                        .map(|()| outcome)
                });
                match result {
                    Ok(outcome) => {
                        counts.ok += 1;
                        seen(&outcome);
                        write_outcome(&outcome, options.lang, out);
                    }
                    Err(e) => {
                        counts.rejected += 1;
                        write_line(&eval_error(&claim.id, &e), out);
                    }
                }
            }
        }
    }
    counts
}

/// Appends the record of `kongtun validate --format json` for each record to `out`, in order.
pub fn validate(records: &[Record], out: &mut Vec<u8>) -> Counts {
    let mut counts = Counts::default();
    for record in records {
        match &record.claim {
            Ok(claim) => {
                counts.ok += 1;
                write_line(&valid(&claim.id), out);
            }
            Err(e) => {
                counts.add_error(e);
                write_line(&read_error(record.id(), e), out);
            }
        }
    }
    counts
}
