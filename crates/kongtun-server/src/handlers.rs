//! The handlers: each reads its request, calls the engine or the shared records
//! (`kongtun_audit::records`), and answers. No handler panics on any input; work on a large
//! body runs on the blocking pool, and a panic there (a bug) is a 500, not a dead server.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, Request, State as AxumState};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use kongtun_audit::records::{self, Counts, EvalOptions};
use kongtun_core::calendar::parse_date;
use kongtun_core::outcome::Lang;
use serde_json::json;

use crate::body::{self, Shape};
use crate::error::ApiError;
use crate::state::{Loaded, Reload, State};

type Shared = AxumState<Arc<State>>;

/// The header naming the ruleset (every pack's file and SHA-256, hashed) a response used.
pub const RULESET: HeaderName = HeaderName::from_static("x-kongtun-ruleset");
/// The header counting the claims of a request.
pub const CLAIMS: HeaderName = HeaderName::from_static("x-kongtun-claims");
/// The header counting the claims of a request that were rejected.
pub const REJECTED: HeaderName = HeaderName::from_static("x-kongtun-rejected");

/// Bodies up to this size are worked on in place; larger ones on the blocking pool, so a
/// big batch never holds up the threads that accept and answer other requests.
const INLINE_BYTES: usize = 64 * 1024;

/// What a claim route did, for the log line and the metrics (set on the response).
#[derive(Clone, Copy, Debug, Default)]
pub struct Served {
    /// Claims read.
    pub claims: usize,
    /// Claims rejected.
    pub rejected: usize,
}

/// The query of `/v1/evaluate` and `/v1/explain`.
struct Query {
    as_of: NaiveDate,
    lang: Lang,
    trace: bool,
}

fn query(raw: Option<&str>, allowed: &[&str]) -> Result<Query, ApiError> {
    let mut q = Query { as_of: chrono::Local::now().date_naive(), lang: Lang::En, trace: true };
    for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !allowed.contains(&key) {
            return Err(ApiError::bad_request(format!(
                "unknown query parameter `{}`; expected one of: {}",
                kongtun_core::text::printable(key),
                allowed.join(", ")
            )));
        }
        match key {
            "as_of" => {
                q.as_of = parse_date(value).map_err(|e| ApiError::bad_request(format!("as_of: {e}")))?;
            }
            "lang" => {
                q.lang = match value {
                    "en" => Lang::En,
                    "th" => Lang::Th,
                    _ => return Err(ApiError::bad_request("lang: expected en or th")),
                }
            }
            "trace" => {
                q.trace = match value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(ApiError::bad_request("trace: expected true or false")),
                }
            }
            _ => {}
        }
    }
    Ok(q)
}

/// Reads the whole body, up to the limit: beyond it (by `Content-Length` or as it comes), 413.
async fn read_body(state: &State, request: Request) -> Result<Bytes, ApiError> {
    let max = state.limits.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is over {max} bytes (--max-body); send fewer claims per request"),
        )
    };
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    match Limited::new(request.into_body(), max).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large()),
        Err(e) => Err(ApiError::bad_request(format!("the body could not be read: {e}"))),
    }
}

/// Runs `work` here when the body is small, else on the blocking pool; a panic is a 500.
async fn run<T: Send + 'static>(
    size: usize,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let caught = if size <= INLINE_BYTES {
        catch_unwind(AssertUnwindSafe(work)).map_err(|_| ())
    } else {
        tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(work)))
            .await
            .map_err(|_| ())
            .and_then(|r| r.map_err(|_| ()))
    };
    caught.unwrap_or_else(|()| {
        tracing::error!("a request's work panicked; answered 500");
        Err(ApiError::internal())
    })
}

fn answer(loaded: &Loaded, shape: Shape, lines: Vec<u8>, counts: Counts) -> Response {
    let claims = counts.ok + counts.rejected + counts.unreadable;
    let mut response = (StatusCode::OK, body::respond(lines, shape)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, shape.content_type());
    headers.insert(RULESET, loaded.header.clone());
    headers.insert(CLAIMS, HeaderValue::from(claims));
    headers.insert(REJECTED, HeaderValue::from(counts.rejected + counts.unreadable));
    response.extensions_mut().insert(Served { claims, rejected: counts.rejected + counts.unreadable });
    response
}

/// `POST /v1/evaluate`
pub async fn evaluate(AxumState(state): Shared, RawQuery(raw): RawQuery, request: Request) -> Response {
    match evaluate_inner(&state, raw, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn evaluate_inner(state: &Arc<State>, raw: Option<String>, request: Request) -> Result<Response, ApiError> {
    let q = query(raw.as_deref(), &["as_of", "lang", "trace"])?;
    let headers = request.headers().clone();
    let bytes = read_body(state, request).await?;
    // The engine this request started with; a reload meanwhile does not touch it.
    let loaded = state.rules.load_full();
    let worker = Arc::clone(state);
    let engine = Arc::clone(&loaded);
    let (lines, shape, counts) = run(bytes.len(), move || {
        let text = body::text(&bytes)?;
        let shape = body::shape(&headers, text)?;
        let (batch, shape) = body::read(text, shape, worker.limits.max_claims)?;
        let mut lines = Vec::with_capacity(batch.len() * 1024);
        let mut findings: BTreeMap<String, u64> = BTreeMap::new();
        let options = EvalOptions { as_of: q.as_of, lang: q.lang, trace: q.trace };
        let counts = records::evaluate(&engine.engine, &batch, options, &mut lines, &mut |outcome| {
            for f in &outcome.findings {
                match findings.get_mut(&*f.code) {
                    Some(n) => *n += 1,
                    None => {
                        findings.insert(f.code.to_string(), 1);
                    }
                }
            }
        });
        worker.metrics.findings(findings);
        worker.metrics.claims("evaluate", counts.ok, counts.rejected + counts.unreadable);
        Ok((lines, shape, counts))
    })
    .await?;
    Ok(answer(&loaded, shape, lines, counts))
}

/// `POST /v1/validate`
pub async fn validate(AxumState(state): Shared, RawQuery(raw): RawQuery, request: Request) -> Response {
    let result = async {
        query(raw.as_deref(), &[])?;
        let headers = request.headers().clone();
        let bytes = read_body(&state, request).await?;
        let worker = Arc::clone(&state);
        let (lines, shape, counts) = run(bytes.len(), move || {
            let text = body::text(&bytes)?;
            let shape = body::shape(&headers, text)?;
            let (batch, shape) = body::read(text, shape, worker.limits.max_claims)?;
            let mut lines = Vec::with_capacity(batch.len() * 32);
            let counts = records::validate(&batch, &mut lines);
            worker.metrics.claims("validate", counts.ok, counts.rejected + counts.unreadable);
            Ok((lines, shape, counts))
        })
        .await?;
        Ok::<_, ApiError>(answer(&state.rules.load(), shape, lines, counts))
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /v1/explain`: one claim in, its narration out (`text/plain`), as `kongtun explain`.
pub async fn explain(AxumState(state): Shared, RawQuery(raw): RawQuery, request: Request) -> Response {
    let result = async {
        let q = query(raw.as_deref(), &["as_of", "lang"])?;
        let headers = request.headers().clone();
        let bytes = read_body(&state, request).await?;
        let loaded = state.rules.load_full();
        let engine = Arc::clone(&loaded);
        let worker = Arc::clone(&state);
        let text = run(bytes.len(), move || {
            let text = body::text(&bytes)?;
            let shape = body::shape(&headers, text)?;
            let (batch, _) = body::read(text, shape, 1).map_err(|e| match e.status {
                StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::bad_request("explain takes one claim; send the others one by one")
                }
                _ => e,
            })?;
            let Some(record) = batch.first() else {
                return Err(ApiError::bad_request("explain takes one claim; the body has none"));
            };
            let unprocessable = |record: serde_json::Value| ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                error: record["error"].clone(),
                retry_after: None,
            };
            let claim = match &record.claim {
                Ok(c) => c,
                Err(e) => {
                    worker.metrics.claims("explain", 0, 1);
                    return Err(unprocessable(records::read_error(record.id(), e)));
                }
            };
            match kongtun_audit::explain::explain(
                &engine.engine,
                claim,
                q.as_of,
                q.lang,
                kongtun_audit::explain::Detail::Full,
            ) {
                Ok(text) => {
                    worker.metrics.claims("explain", 1, 0);
                    Ok(text)
                }
                Err(e) => {
                    worker.metrics.claims("explain", 0, 1);
                    Err(unprocessable(records::eval_error(&claim.id, &e)))
                }
            }
        })
        .await?;
        let mut response = (StatusCode::OK, text).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        headers.insert(RULESET, loaded.header.clone());
        response.extensions_mut().insert(Served { claims: 1, rejected: 0 });
        Ok::<_, ApiError>(response)
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

fn json_response(status: StatusCode, value: &serde_json::Value, loaded: &Loaded) -> Response {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(RULESET, loaded.header.clone());
    response
}

/// `GET /v1/packs`
pub async fn packs(AxumState(state): Shared) -> Response {
    let loaded = state.rules.load_full();
    let value = json!({
        "ruleset": loaded.ruleset,
        "loaded_at": loaded.loaded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "packs": loaded.packs,
    });
    json_response(StatusCode::OK, &value, &loaded)
}

/// `POST /v1/admin/reload`: 200 with the new ruleset, or 422 with the errors (old packs kept).
pub async fn reload(AxumState(state): Shared) -> Response {
    let report = state.reload().await;
    let loaded = state.rules.load_full();
    match report {
        Reload::Done { ruleset, changed, packs } => json_response(
            StatusCode::OK,
            &json!({"reloaded": true, "changed": changed, "ruleset": ruleset, "packs": packs}),
            &loaded,
        ),
        Reload::Failed { kept, errors, message } => {
            let mut errors: Vec<serde_json::Value> = errors.iter().map(|d| d.to_json()).collect();
            if let Some(m) = message {
                errors.push(json!({"kind": "reload", "message": m}));
            }
            let value = json!({
                "reloaded": false,
                "ruleset": kept,
                "error": {"kind": "packs", "message": "the packs have errors; the packs in use are kept"},
                "errors": errors,
            });
            json_response(StatusCode::UNPROCESSABLE_ENTITY, &value, &loaded)
        }
    }
}

/// `GET /healthz`
pub async fn health() -> Response {
    let mut response = (StatusCode::OK, "ok\n").into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// `GET /readyz`
pub async fn ready(AxumState(state): Shared) -> Response {
    let loaded = state.rules.load_full();
    if state.is_draining() {
        return json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"ready": false, "reason": "shutting down"}),
            &loaded,
        );
    }
    json_response(
        StatusCode::OK,
        &json!({"ready": true, "ruleset": loaded.ruleset, "packs": loaded.packs.len()}),
        &loaded,
    )
}

/// `GET /metrics`
pub async fn metrics(AxumState(state): Shared) -> Response {
    let text = state.metrics.render(&state.rules.load());
    let mut response = (StatusCode::OK, text).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}

/// `GET /openapi.json`
pub async fn openapi() -> Response {
    let mut response = (StatusCode::OK, Body::from(crate::openapi::text())).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Any other path.
pub async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route; GET /openapi.json lists them").into_response()
}
