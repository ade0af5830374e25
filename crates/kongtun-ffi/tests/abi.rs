//! The C functions called as C would call them: bad pointers and text are errors with a
//! message, one handle serves many threads at once, and every answer is the CLI's record.

use std::ffi::{c_char, c_int, CStr, CString};
use std::ptr::{null, null_mut};

use kongtun_ffi::*;

fn rules() -> CString {
    CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap_or_default()
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap_or_default()
}

/// Takes a returned string (and frees it).
fn take(ptr: *mut c_char) -> String {
    assert!(!ptr.is_null(), "no string returned");
    // SAFETY: a string this library returned, freed once here.
    let text = unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned();
    unsafe { kongtun_free(ptr) };
    text
}

struct Engine(*mut KongtunEngine);
// SAFETY: the handle is documented thread-safe (the engine is immutable, Send + Sync).
unsafe impl Send for Engine {}
unsafe impl Sync for Engine {}
impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: a live handle, freed once.
        unsafe { kongtun_engine_free(self.0) };
    }
}

fn load() -> Engine {
    let mut engine = null_mut();
    let mut error = null_mut();
    // SAFETY: valid pointers.
    let status = unsafe { kongtun_engine_load(rules().as_ptr(), &mut engine, &mut error) };
    assert_eq!(status, KONGTUN_OK);
    assert!(error.is_null() && !engine.is_null());
    Engine(engine)
}

fn hd(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","hn":"7","setting":"op","fund":"UC","service_date":"2025-04-08","diagnoses":["N18.5"],"items":[{{"code":"HD","category":11,"qty":"2","price":"2000"}}]}}"#
    )
}

fn evaluate(engine: &Engine, claim: &str, as_of: &str) -> (c_int, String) {
    let mut result = null_mut();
    let (claim, as_of) = (c(claim), c(as_of));
    // SAFETY: valid pointers.
    let status = unsafe { kongtun_evaluate(engine.0, claim.as_ptr(), as_of.as_ptr(), null(), 0, &mut result) };
    (status, take(result))
}

#[test]
fn null_pointers_and_bad_text_are_errors_with_a_message() {
    let engine = load();
    let mut result = null_mut();
    // SAFETY: valid or null pointers, as documented.
    let status = unsafe { kongtun_evaluate(null(), c(&hd("A")).as_ptr(), null(), null(), 0, &mut result) };
    assert_eq!((status, take(result)), (KONGTUN_INVALID_ARGUMENT, "engine is a null pointer".to_string()));
    let status = unsafe { kongtun_evaluate(engine.0, null(), null(), null(), 0, &mut result) };
    assert_eq!((status, take(result)), (KONGTUN_INVALID_ARGUMENT, "claim is a null pointer".to_string()));
    let bad = [0x7b_u8, 0xff, 0xfe, 0];
    let status = unsafe { kongtun_validate(bad.as_ptr().cast(), &mut result) };
    assert_eq!((status, take(result)), (KONGTUN_INVALID_ARGUMENT, "claims is not UTF-8 (at byte 1)".to_string()));
    let status =
        unsafe { kongtun_evaluate(engine.0, c(&hd("A")).as_ptr(), c("2025-02-30").as_ptr(), null(), 0, &mut result) };
    assert_eq!(status, KONGTUN_INVALID_ARGUMENT);
    assert!(take(result).starts_with("as_of: "));
    let status = unsafe { kongtun_evaluate(engine.0, c(&hd("A")).as_ptr(), null(), c("fr").as_ptr(), 0, &mut result) };
    assert_eq!((status, take(result)), (KONGTUN_INVALID_ARGUMENT, "lang `fr`: expected en or th".to_string()));
    let two = format!("{}\n{}", hd("A"), hd("B"));
    let (status, message) = evaluate(&engine, &two, "2025-05-05");
    assert_eq!(status, KONGTUN_INVALID_ARGUMENT);
    assert!(message.contains("found 2"), "{message}");
    // A null result pointer is allowed: the status alone answers.
    let status =
        unsafe { kongtun_evaluate(engine.0, c(&hd("A")).as_ptr(), c("2025-05-05").as_ptr(), null(), 0, null_mut()) };
    assert_eq!(status, KONGTUN_OK);
    let mut none = null_mut();
    let status = unsafe { kongtun_engine_load(null(), &mut none, null_mut()) };
    assert_eq!(status, KONGTUN_INVALID_ARGUMENT);
    assert!(none.is_null());
    let status = unsafe { kongtun_engine_load(c("/no/such/rules").as_ptr(), null_mut(), null_mut()) };
    assert_eq!(status, KONGTUN_INVALID_ARGUMENT);
}

#[test]
fn answers_are_records_and_bad_claims_their_error_records() {
    let engine = load();
    let (status, record) = evaluate(&engine, &hd("A"), "2025-05-05");
    assert_eq!(status, KONGTUN_OK);
    assert!(record.ends_with("}\n") && record.lines().count() == 1);
    let value: serde_json::Value = serde_json::from_str(&record).unwrap_or_default();
    assert_eq!(value["payers"][0]["amount"], "3000.00");
    let (status, record) = evaluate(&engine, &hd("Z").replace(r#""qty":"2""#, r#""qty":"0""#), "2025-05-05");
    assert_eq!(status, KONGTUN_REJECTED);
    assert!(record.starts_with(r#"{"id":"Z","error":{"kind":"invalid_value""#), "{record}");

    let mut result = null_mut();
    let batch = c(&format!("{}\n{{\"id\":\"BAD\"\n{}\n", hd("A"), hd("B")));
    // SAFETY: valid pointers.
    let status = unsafe {
        kongtun_evaluate_batch(engine.0, batch.as_ptr(), c("2025-05-05").as_ptr(), c("th").as_ptr(), 1, &mut result)
    };
    let records = take(result);
    assert_eq!(status, KONGTUN_REJECTED);
    let ids: Vec<String> = records
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap_or_default()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"A\"", "\"BAD\"", "\"B\""]);

    let status = unsafe { kongtun_validate(batch.as_ptr(), &mut result) };
    let validated = take(result);
    assert_eq!(status, KONGTUN_REJECTED);
    assert!(validated.starts_with("{\"id\":\"A\",\"ok\":true}\n{\"id\":\"BAD\",\"error\":"), "{validated}");

    let status =
        unsafe { kongtun_explain(engine.0, c(&hd("X")).as_ptr(), c("2025-05-05").as_ptr(), null(), &mut result) };
    let narration = take(result);
    assert_eq!(status, KONGTUN_OK);
    assert!(narration.contains("uc-haemodialysis: line 0 HD 2 x 2,000.00"), "{narration}");

    let status = unsafe { kongtun_packs(engine.0, &mut result) };
    let packs: serde_json::Value = serde_json::from_str(&take(result)).unwrap_or_default();
    assert_eq!(status, KONGTUN_OK);
    assert!(packs
        .as_array()
        .is_some_and(|p| p.iter().any(|p| p["id"] == "uc" && p["sha256"].as_str().map(str::len) == Some(64))));

    // SAFETY: a static string.
    let version = unsafe { CStr::from_ptr(kongtun_version()) }.to_str().unwrap_or_default();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn one_handle_serves_many_threads_at_once() {
    let engine = load();
    let (_, expected) = evaluate(&engine, &hd("T"), "2025-05-05");
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..50 {
                        let (status, record) = evaluate(&engine, &hd("T"), "2025-05-05");
                        assert_eq!((status, record.as_str()), (KONGTUN_OK, expected.as_str()));
                    }
                })
            })
            .collect();
        for h in handles {
            assert!(h.join().is_ok());
        }
    });
}
