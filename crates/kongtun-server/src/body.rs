//! Request bodies to claim records, through the one claim reader
//! (`kongtun_core::document`, by way of `kongtun_audit::records::read`), and records back to
//! a response body of the same shape.
//!
//! | request `Content-Type` | body | read as | response |
//! |---|---|---|---|
//! | `application/json` (or none) | `{…}` one claim | one JSON line (a claim on one line), else a JSON document | the record (`application/json`) |
//! | `application/json` (or none) | `[…]` claims | a JSON document, claim by claim | `[` records `]` (`application/json`) |
//! | `application/x-ndjson` | one claim a line | JSON Lines | one record a line (`application/x-ndjson`) |
//! | `application/yaml` | a claim or `claims:` | a YAML document | one record a line (`application/x-ndjson`) |
//!
//! Every claim gives one record, in order; a bad claim is its error record in place. A body
//! that is not a claim document at all (not UTF-8, not JSON, empty, one object with a syntax
//! error) is a 400 naming the line and column.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use kongtun_audit::records;
use kongtun_core::diagnostic::DiagnosticKind;
use kongtun_core::document::{Format, Record};

use crate::error::ApiError;

/// The name claims of a request go by in error messages (`request:3:14: …`).
pub const FILE: &str = "request";

/// The shape of a request body, and so of its response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One claim, a JSON object.
    Object,
    /// A JSON array of claims.
    Array,
    /// JSON Lines.
    Lines,
    /// A YAML document: one claim, or a list.
    Yaml,
}

impl Shape {
    /// The response's `Content-Type`.
    pub fn content_type(self) -> HeaderValue {
        match self {
            Shape::Object | Shape::Array => HeaderValue::from_static("application/json"),
            Shape::Lines | Shape::Yaml => HeaderValue::from_static("application/x-ndjson"),
        }
    }
}

/// The body as text: UTF-8 (a byte-order mark dropped), else a 400 naming where it breaks.
pub fn text(bytes: &[u8]) -> Result<&str, ApiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: serde_json::json!({
                "kind": "encoding",
                "message": format!("{FILE}:{line}:{column}: the body is not UTF-8 (claims are sent as UTF-8 JSON)"),
                "file": FILE, "line": line, "column": column,
            }),
            retry_after: None,
        }
    })
}

/// The shape of a body, from its `Content-Type` and its first character.
pub fn shape(headers: &HeaderMap, text: &str) -> Result<Shape, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media.as_str() {
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" | "application/json-lines" => {
            return Ok(Shape::Lines)
        }
        "application/yaml" | "application/x-yaml" | "text/yaml" => return Ok(Shape::Yaml),
        // curl's `-d` says form-urlencoded: a body that starts as JSON is read as JSON.
        "" | "application/json" | "text/plain" | "application/x-www-form-urlencoded" => {}
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!(
                    "Content-Type {other} is not read: send application/json (a claim or an array), \
                     application/x-ndjson (a claim a line) or application/yaml"
                ),
            ))
        }
    }
    match text.trim_start().chars().next() {
        Some('{') => Ok(Shape::Object),
        Some('[') => Ok(Shape::Array),
        None => Err(ApiError::bad_request(
            "the body is empty: send a claim (a JSON object), an array of claims, or JSON Lines",
        )),
        Some(_) => Err(ApiError::bad_request(
            "expected a claim (a JSON object) or an array of claims; for JSON Lines send \
             Content-Type: application/x-ndjson, for YAML application/yaml",
        )),
    }
}

/// Reads the claims of a body of `shape`. `max_claims` is checked before anything is parsed
/// where the shape allows (JSON Lines), and after reading otherwise. A body that yields no
/// claim at all, only the reader's complaint about the document, is a located 400.
pub fn read(text: &str, shape: Shape, max_claims: usize) -> Result<(Vec<Record>, Shape), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("the body is empty: send a claim, an array of claims, or JSON Lines"));
    }
    let (format, shape) = match shape {
        // A claim written on one line is read as a JSON line (the fast path); JSON Lines sent
        // as application/json are answered as JSON Lines.
        Shape::Object => match Format::sniff(text) {
            Format::JsonLines if text.trim().lines().filter(|l| !l.trim().is_empty()).count() > 1 => {
                (Format::JsonLines, Shape::Lines)
            }
            Format::JsonLines => (Format::JsonLines, Shape::Object),
            _ => (Format::Json, Shape::Object),
        },
        Shape::Array => (Format::Json, Shape::Array),
        Shape::Lines => (Format::JsonLines, Shape::Lines),
        Shape::Yaml => (Format::Yaml, Shape::Yaml),
    };
    if format == Format::JsonLines {
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        if lines > max_claims {
            return Err(too_many(lines, max_claims));
        }
    }
    let records = records::read(text, FILE, format);
    if records.len() > max_claims {
        return Err(too_many(records.len(), max_claims));
    }
    // A JSON body that yields nothing, or one claim that does not parse: judged as JSON, so
    // the 400 names where JSON breaks.
    let broken = match records.as_slice() {
        [] => true,
        [Record { claim: Err(e), .. }] => {
            e.kind == DiagnosticKind::Syntax && (shape == Shape::Object || e.claim_id().is_none())
        }
        _ => false,
    };
    if broken && matches!(shape, Shape::Object | Shape::Array) {
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            return Err(not_json(&e));
        }
    }
    if let [Record { claim: Err(e), .. }] = records.as_slice() {
        let whole_document = matches!(e.kind, DiagnosticKind::Syntax | DiagnosticKind::NotAClaim)
            && (shape == Shape::Object || e.claim_id().is_none());
        if whole_document {
            return Err(ApiError::located(e));
        }
    }
    Ok((records, shape))
}

/// A 400 for text that is not JSON, at serde_json's line and column.
fn not_json(e: &serde_json::Error) -> ApiError {
    let text = e.to_string();
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    let (line, column) = (e.line().max(1), e.column().max(1));
    ApiError {
        status: StatusCode::BAD_REQUEST,
        error: serde_json::json!({
            "kind": "syntax",
            "message": format!("{FILE}:{line}:{column}: not valid JSON: {message}"),
            "file": FILE, "line": line, "column": column,
        }),
        retry_after: None,
    }
}

fn too_many(n: usize, max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_claims",
        format!("{n} claims in one request; at most {max} (send the rest in further requests)"),
    )
}

/// The response body: `lines` are records, one a line (each ended by `\n`), laid out as
/// `shape` asks (an array's records between `[` and `]`, one a line).
pub fn respond(lines: Vec<u8>, shape: Shape) -> Vec<u8> {
    if shape != Shape::Array {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + 4);
    out.push(b'[');
    for (i, line) in lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'\n');
        out.extend_from_slice(line);
    }
    out.extend_from_slice(b"\n]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(ct) {
            h.insert(header::CONTENT_TYPE, v);
        }
        h
    }

    #[test]
    fn shapes_follow_the_content_type_then_the_first_character() {
        assert_eq!(shape(&typed("application/json; charset=utf-8"), " {\"id\":1}").ok(), Some(Shape::Object));
        assert_eq!(shape(&HeaderMap::new(), "\n[{}]").ok(), Some(Shape::Array));
        assert_eq!(shape(&typed("application/x-ndjson"), "{}\n{}").ok(), Some(Shape::Lines));
        assert_eq!(shape(&typed("application/yaml"), "id: A").ok(), Some(Shape::Yaml));
        assert_eq!(
            shape(&typed("application/xml"), "<a/>").err().map(|e| e.status),
            Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(shape(&HeaderMap::new(), "id: A").err().map(|e| e.status), Some(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn a_body_that_is_not_utf8_is_located() {
        let e = text(b"{\"id\":\n \"\xff\"}").err().map(|e| e.error);
        let e = e.unwrap_or_default();
        assert_eq!((e["line"].as_u64(), e["column"].as_u64()), (Some(2), Some(3)));
        assert_eq!(text(b"\xEF\xBB\xBF{}").ok(), Some("{}"));
    }

    #[test]
    fn an_array_answer_holds_the_records_between_brackets() {
        assert_eq!(
            respond(b"{\"a\":1}\n{\"b\":2}\n".to_vec(), Shape::Array),
            b"[\n{\"a\":1},\n{\"b\":2}\n]\n".to_vec()
        );
        assert_eq!(respond(b"{\"a\":1}\n".to_vec(), Shape::Lines), b"{\"a\":1}\n".to_vec());
    }
}
