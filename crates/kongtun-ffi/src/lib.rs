//! kongtun as a C library: a small, stable surface over JSON strings, for host systems that
//! load a shared library (Java through JNA or Panama, Delphi and Free Pascal, Python
//! `ctypes`, PHP FFI) or link a static one (C, C++). The header is `include/kongtun.h`,
//! generated from this file by cbindgen (a test keeps it fresh).
//!
//! Every answer is what the CLI prints: evaluating gives the records of `kongtun evaluate
//! --format json` (JSON Lines, each ended by `\n`), validating those of `kongtun validate
//! --format json`, both written by `kongtun_audit::records`.
//!
//! Conventions, the same for every function:
//! - Strings in and out are NUL-terminated UTF-8. A null or non-UTF-8 pointer where text is
//!   needed is [`KONGTUN_INVALID_ARGUMENT`], never a crash.
//! - Every function returns a status: [`KONGTUN_OK`] (0), [`KONGTUN_REJECTED`] (1: some claim
//!   was rejected; its error record is in place among the others), or an error (2 and up).
//!   On every status, a function with a `result` parameter stores a new string there (the
//!   records, or the error message) when `result` is not null; free it with [`kongtun_free`].
//! - An engine handle is thread-safe: call it from many threads at once. Free it with
//!   [`kongtun_engine_free`] once no call is using it.
//! - No panic crosses the boundary: one is caught and returned as [`KONGTUN_INTERNAL`].
//! - A batch is evaluated as one: the claims of one road-accident victim and accident share
//!   PRB's limits within it; across batches, send what PRB already paid as the accident's
//!   `prb_already_paid`.
//!
//! From Rust (what the C example does):
//!
//! ```
//! use std::ffi::{CStr, CString};
//! use kongtun_ffi::*;
//!
//! let rules = CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap();
//! let mut engine = std::ptr::null_mut();
//! let mut error = std::ptr::null_mut();
//! assert_eq!(unsafe { kongtun_engine_load(rules.as_ptr(), &mut engine, &mut error) }, KONGTUN_OK);
//!
//! let claim = CString::new(r#"{"id":"A1","hn":"1","setting":"op","fund":"UC","service_date":"2025-04-08","diagnoses":["N18.5"],"items":[{"code":"HD","category":11,"qty":"1","price":"2000"}]}"#).unwrap();
//! let as_of = CString::new("2025-05-05").unwrap();
//! let mut result = std::ptr::null_mut();
//! let status = unsafe { kongtun_evaluate(engine, claim.as_ptr(), as_of.as_ptr(), std::ptr::null(), 0, &mut result) };
//! assert_eq!(status, KONGTUN_OK);
//! let record = unsafe { CStr::from_ptr(result) }.to_str().unwrap();
//! assert!(record.contains(r#""payers":[{"payer":"UC","amount":"1500.00","status":"claimable"}]"#), "{record}");
//! unsafe {
//!     kongtun_free(result);
//!     kongtun_engine_free(engine);
//! }
//! ```

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::NaiveDate;
use kongtun_audit::records::{self, Counts, EvalOptions};
use kongtun_core::document::Format;
use kongtun_core::outcome::Lang;
use kongtun_rules::Engine;

/// Every claim evaluated (or valid).
pub const KONGTUN_OK: c_int = 0;
/// Some claim was rejected: the result still holds every record, the error records in place.
pub const KONGTUN_REJECTED: c_int = 1;
/// A null pointer, text that is not UTF-8, a bad date or language, or not one claim where
/// one was expected. The result holds the message.
pub const KONGTUN_INVALID_ARGUMENT: c_int = 2;
/// The rule packs could not be loaded. The error holds every problem, one a line.
pub const KONGTUN_PACK_ERROR: c_int = 3;
/// A bug in kongtun (a panic, caught). The result holds the message.
pub const KONGTUN_INTERNAL: c_int = 4;

/// Compiled rule packs. Opaque to C: made by [`kongtun_engine_load`], freed by
/// [`kongtun_engine_free`], shared freely between threads in between.
pub struct KongtunEngine {
    engine: Engine,
}

/// An error to hand back: a status and a message.
struct Failure(c_int, String);

impl Failure {
    fn invalid(message: impl Into<String>) -> Failure {
        Failure(KONGTUN_INVALID_ARGUMENT, message.into())
    }
}

/// A new C string (NUL bytes, which C text cannot hold, replaced by U+FFFD).
fn c_string(text: String) -> *mut c_char {
    let text = if text.contains('\0') { text.replace('\0', "\u{fffd}") } else { text };
    CString::new(text).map(CString::into_raw).unwrap_or(std::ptr::null_mut())
}

/// Stores `text` in `*out` when `out` is not null.
///
/// # Safety
/// `out` is null or valid for a write of a pointer.
unsafe fn put(out: *mut *mut c_char, text: String) {
    if !out.is_null() {
        // SAFETY: the caller passes null or a valid place for a pointer.
        unsafe { *out = c_string(text) };
    }
}

/// The text behind a C string argument.
///
/// # Safety
/// `ptr` is null or a NUL-terminated string valid for the call.
unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::invalid(format!("{what} is a null pointer")));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes)
        .map_err(|e| Failure::invalid(format!("{what} is not UTF-8 (at byte {})", e.valid_up_to())))
}

/// An optional C string argument: null is `None`.
///
/// # Safety
/// As [`text`].
unsafe fn optional<'a>(ptr: *const c_char, what: &str) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: as the caller promises for `ptr`.
    unsafe { text(ptr, what) }.map(Some)
}

/// The engine behind a handle.
///
/// # Safety
/// `engine` is null or a handle from [`kongtun_engine_load`] not yet freed.
unsafe fn handle<'a>(engine: *const KongtunEngine) -> Result<&'a Engine, Failure> {
    // SAFETY: a non-null handle points to a live `KongtunEngine`.
    unsafe { engine.as_ref() }.map(|e| &e.engine).ok_or_else(|| Failure::invalid("engine is a null pointer"))
}

/// The options of an evaluation: `as_of` (CE or BE date; null is today), `lang` (`en` or
/// `th`; null is `en`), `trace` (non-zero: records carry the trace).
fn options(as_of: Option<&str>, lang: Option<&str>, trace: c_int) -> Result<EvalOptions, Failure> {
    let as_of = match as_of {
        Some(text) => kongtun_core::calendar::parse_date(text).map_err(|e| Failure::invalid(format!("as_of: {e}")))?,
        None => chrono::Local::now().date_naive(),
    };
    let lang = match lang {
        None | Some("en") => Lang::En,
        Some("th") => Lang::Th,
        Some(other) => return Err(Failure::invalid(format!("lang `{other}`: expected en or th"))),
    };
    Ok(EvalOptions { as_of, lang, trace: trace != 0 })
}

/// Runs `body`, catching a panic, and hands its text to `result`.
///
/// # Safety
/// `result` is null or valid for a write of a pointer.
unsafe fn answer(result: *mut *mut c_char, body: impl FnOnce() -> Result<(c_int, String), Failure>) -> c_int {
    let (status, text) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(done)) => done,
        Ok(Err(Failure(status, message))) => (status, message),
        Err(_) => (KONGTUN_INTERNAL, "internal error in kongtun (a panic, caught); please report it".to_string()),
    };
    // SAFETY: as the caller promises for `result`.
    unsafe { put(result, text) };
    status
}

fn status(counts: Counts) -> c_int {
    if counts.rejected + counts.unreadable > 0 {
        KONGTUN_REJECTED
    } else {
        KONGTUN_OK
    }
}

/// The format of a batch's text, as the CLI tells standard input's: JSON Lines when its
/// first line that is not blank is a whole JSON object, else a JSON or YAML document (a
/// claim, an array, or `claims:` with a list).
fn batch_format(text: &str) -> Format {
    Format::sniff(text)
}

/// The format of one claim's text: a JSON object on one line is read as a JSON line (the
/// fast path), one over several lines as a JSON document.
fn one_claim_format(text: &str) -> Result<Format, Failure> {
    if !text.trim_start().starts_with('{') {
        return Err(Failure::invalid("claim: expected one claim, a JSON object"));
    }
    Ok(match Format::sniff(text) {
        Format::JsonLines => Format::JsonLines,
        _ => Format::Json,
    })
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The version of kongtun, e.g. `0.1.0`. A static string: do not free it.
#[no_mangle]
pub extern "C" fn kongtun_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Loads, checks and compiles every rule pack under the directory `rules_dir`.
///
/// On [`KONGTUN_OK`], `*engine` is the new handle (free it with [`kongtun_engine_free`]) and
/// `*error` is set to null. Otherwise `*engine` is null and `*error` (when `error` is not
/// null) holds the problems, one a line (free it with [`kongtun_free`]); the status is
/// [`KONGTUN_PACK_ERROR`] for packs with errors, [`KONGTUN_INVALID_ARGUMENT`] for a bad argument.
///
/// # Safety
/// `rules_dir` is null or a NUL-terminated string; `engine` is null or valid for a write of a
/// pointer; so is `error`.
#[no_mangle]
pub unsafe extern "C" fn kongtun_engine_load(
    rules_dir: *const c_char,
    engine: *mut *mut KongtunEngine,
    error: *mut *mut c_char,
) -> c_int {
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        if engine.is_null() {
            return Err(Failure::invalid("engine is a null pointer: pass the address of a KongtunEngine pointer"));
        }
        // SAFETY: as the caller promises for `rules_dir`.
        let dir = unsafe { text(rules_dir, "rules_dir") }?;
        Engine::load(dir)
            .map(|engine| Box::into_raw(Box::new(KongtunEngine { engine })))
            .map_err(|errors| Failure(KONGTUN_PACK_ERROR, errors.to_string()))
    }));
    let outcome = loaded.unwrap_or_else(|_| {
        Err(Failure(KONGTUN_INTERNAL, "internal error in kongtun (a panic, caught); please report it".into()))
    });
    if !engine.is_null() {
        // SAFETY: checked not null; the caller promises it is valid for a write.
        unsafe { *engine = outcome.as_ref().map_or(std::ptr::null_mut(), |e| *e) };
    }
    match outcome {
        Ok(_) => {
            if !error.is_null() {
                // SAFETY: as the caller promises for `error`.
                unsafe { *error = std::ptr::null_mut() };
            }
            KONGTUN_OK
        }
        Err(Failure(status, message)) => {
            // SAFETY: as the caller promises for `error`.
            unsafe { put(error, message) };
            status
        }
    }
}

/// Frees an engine handle. Null is a no-op.
///
/// # Safety
/// `engine` is null or a handle from [`kongtun_engine_load`], not freed before, that no
/// other call is using.
#[no_mangle]
pub unsafe extern "C" fn kongtun_engine_free(engine: *mut KongtunEngine) {
    if !engine.is_null() {
        // SAFETY: a handle made by `Box::into_raw` in `kongtun_engine_load`, freed once.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(engine) })));
    }
}

/// Frees a string this library returned. Null is a no-op.
///
/// # Safety
/// `text` is null or a string returned by this library, not freed before.
#[no_mangle]
pub unsafe extern "C" fn kongtun_free(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: made by `CString::into_raw` in this library, freed once.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { CString::from_raw(text) })));
    }
}

/// Evaluates one claim, a JSON object, as of `as_of` (CE or BE, e.g. `2025-10-15` or
/// `2568-10-15`; null is today), with finding messages in `lang` (`en` or `th`; null is
/// `en`), the trace when `trace` is not 0. `*result` gets its record: one line of
/// `kongtun evaluate --format json` (ended by `\n`), or its error record
/// (`{"id":…,"error":{"kind":…,"message":…}}`) with [`KONGTUN_REJECTED`].
///
/// # Safety
/// `engine` is null or a live handle; `claim`, `as_of` and `lang` are null or
/// NUL-terminated strings; `result` is null or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn kongtun_evaluate(
    engine: *const KongtunEngine,
    claim: *const c_char,
    as_of: *const c_char,
    lang: *const c_char,
    trace: c_int,
    result: *mut *mut c_char,
) -> c_int {
    // SAFETY: each pointer is as the caller promises.
    unsafe {
        answer(result, || {
            let engine = handle(engine)?;
            let claim = text(claim, "claim")?;
            let options = options(optional(as_of, "as_of")?, optional(lang, "lang")?, trace)?;
            let batch = records::read(claim, "claim", one_claim_format(claim)?);
            if batch.len() != 1 {
                return Err(Failure::invalid(format!(
                    "claim: expected one claim, found {}; use kongtun_evaluate_batch for several",
                    batch.len()
                )));
            }
            let mut out = Vec::with_capacity(2048);
            let counts = records::evaluate(engine, &batch, options, &mut out, &mut |_| {});
            Ok((status(counts), utf8(out)))
        })
    }
}

/// Evaluates a batch: JSON Lines (one claim a line), or a JSON array, or a YAML document,
/// told apart as the CLI tells standard input. Options as [`kongtun_evaluate`]. `*result`
/// gets one record per claim, in order (JSON Lines): [`KONGTUN_OK`] when every claim was
/// evaluated, [`KONGTUN_REJECTED`] when some error record is among them. The claims of one
/// road-accident victim and accident share PRB's limits within the batch.
///
/// # Safety
/// As [`kongtun_evaluate`], with `claims` for `claim`.
#[no_mangle]
pub unsafe extern "C" fn kongtun_evaluate_batch(
    engine: *const KongtunEngine,
    claims: *const c_char,
    as_of: *const c_char,
    lang: *const c_char,
    trace: c_int,
    result: *mut *mut c_char,
) -> c_int {
    // SAFETY: each pointer is as the caller promises.
    unsafe {
        answer(result, || {
            let engine = handle(engine)?;
            let claims = text(claims, "claims")?;
            let options = options(optional(as_of, "as_of")?, optional(lang, "lang")?, trace)?;
            let batch = records::read(claims, "claims", batch_format(claims));
            let mut out = Vec::with_capacity(batch.len() * 2048);
            let counts = records::evaluate(engine, &batch, options, &mut out, &mut |_| {});
            Ok((status(counts), utf8(out)))
        })
    }
}

/// Checks claim documents (a batch, as [`kongtun_evaluate_batch`] reads it) without an
/// engine. `*result` gets the records of `kongtun validate --format json`:
/// `{"id":…,"ok":true}` or the error record, one per claim, in order.
///
/// # Safety
/// `claims` is null or a NUL-terminated string; `result` is null or valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn kongtun_validate(claims: *const c_char, result: *mut *mut c_char) -> c_int {
    // SAFETY: each pointer is as the caller promises.
    unsafe {
        answer(result, || {
            let claims = text(claims, "claims")?;
            let batch = records::read(claims, "claims", batch_format(claims));
            let mut out = Vec::with_capacity(batch.len() * 64);
            let counts = records::validate(&batch, &mut out);
            Ok((status(counts), utf8(out)))
        })
    }
}

/// Narrates the evaluation of one claim (a JSON object) as `kongtun explain` prints it:
/// every rule considered, the values it read and the arithmetic. `*result` gets the text,
/// or with [`KONGTUN_REJECTED`] the claim's error record.
///
/// # Safety
/// As [`kongtun_evaluate`].
#[no_mangle]
pub unsafe extern "C" fn kongtun_explain(
    engine: *const KongtunEngine,
    claim: *const c_char,
    as_of: *const c_char,
    lang: *const c_char,
    result: *mut *mut c_char,
) -> c_int {
    // SAFETY: each pointer is as the caller promises.
    unsafe {
        answer(result, || {
            let engine = handle(engine)?;
            let claim = text(claim, "claim")?;
            let options = options(optional(as_of, "as_of")?, optional(lang, "lang")?, 1)?;
            let batch = records::read(claim, "claim", one_claim_format(claim)?);
            let [record] = batch.as_slice() else {
                return Err(Failure::invalid(format!("claim: expected one claim, found {}", batch.len())));
            };
            let mut out = Vec::new();
            match &record.claim {
                Err(e) => records::write_line(&records::read_error(record.id(), e), &mut out),
                Ok(c) => match kongtun_audit::explain::explain(
                    engine,
                    c,
                    options.as_of,
                    options.lang,
                    kongtun_audit::explain::Detail::Full,
                ) {
                    Ok(text) => return Ok((KONGTUN_OK, text)),
                    Err(e) => records::write_line(&records::eval_error(&c.id, &e), &mut out),
                },
            }
            Ok((KONGTUN_REJECTED, utf8(out)))
        })
    }
}

/// The packs of an engine, as JSON: `[{"id","fund","version","from","to","sha256","file"}]`,
/// so a host can log which rules priced its claims.
///
/// # Safety
/// `engine` is null or a live handle; `result` is null or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn kongtun_packs(engine: *const KongtunEngine, result: *mut *mut c_char) -> c_int {
    // SAFETY: each pointer is as the caller promises.
    unsafe {
        answer(result, || {
            let engine = handle(engine)?;
            let date = |d: Option<NaiveDate>| d.map_or(serde_json::Value::Null, |d| d.to_string().into());
            let packs: Vec<serde_json::Value> = engine
                .packs()
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id(), "fund": p.fund().to_string(), "version": p.version(),
                        "from": p.from().to_string(), "to": date(p.to()), "sha256": p.sha256(), "file": p.file(),
                    })
                })
                .collect();
            Ok((KONGTUN_OK, serde_json::Value::from(packs).to_string()))
        })
    }
}
