//! What every request goes through, in order: a request id and a log span; 404 / 405 for
//! unknown routes; the bearer token (for `/v1/`); the in-flight limit (503 with
//! `Retry-After` beyond it); the timeout (503); then the handler. Every answer is counted
//! (route, status, latency) and logged in one line: id, method, route, status, time, and for
//! claim routes how many claims, never what they hold.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::error::ApiError;
use crate::handlers::Served;
use crate::routes;
use crate::state::State;

/// The request id header: taken from the request when it is a sane id, else made; always
/// sent back, and in every log line of the request.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request id from the caller: 1 to 64 characters of letters, digits, `-`, `_`, `.`, `:`.
fn caller_id(value: &HeaderValue) -> Option<String> {
    let v = value.to_str().ok()?;
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| v.to_string())
}

/// The middleware around every route.
pub async fn pipeline(AxumState(state): AxumState<Arc<State>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = routes::find(request.method().as_str(), request.uri().path());
    let label = route.map_or("other", |r| r.path);
    let id = request.headers().get(&REQUEST_ID).and_then(caller_id).unwrap_or_else(|| state.request_id());
    let span = tracing::info_span!("request", id = %id, method = %request.method(), route = label);
    state.metrics.started();
    let mut response = guarded(&state, route, request, next).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status();
    state.metrics.finished(label, status.as_u16(), elapsed);
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    let served = response.extensions().get::<Served>().copied();
    span.in_scope(|| log(status, elapsed, served));
    response
}

fn log(status: StatusCode, elapsed: Duration, served: Option<Served>) {
    let ms = format!("{:.3}", elapsed.as_secs_f64() * 1000.0);
    match (served, status.is_server_error()) {
        (Some(s), _) => {
            tracing::info!(status = status.as_u16(), ms = %ms, claims = s.claims, rejected = s.rejected, "answered")
        }
        (None, true) => tracing::warn!(status = status.as_u16(), ms = %ms, "answered"),
        (None, false) => tracing::info!(status = status.as_u16(), ms = %ms, "answered"),
    }
}

async fn guarded(state: &Arc<State>, route: Option<&'static routes::Route>, request: Request, next: Next) -> Response {
    let Some(route) = route else {
        if routes::path_known(request.uri().path()) {
            let allow: Vec<&str> =
                routes::ROUTES.iter().filter(|r| r.path == request.uri().path()).map(|r| r.method).collect();
            let mut response = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{} is not answered here; use {}", request.method(), allow.join(", ")),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                response.headers_mut().insert(header::ALLOW, v);
            }
            return response;
        }
        return next.run(request).await;
    };
    if route.protected && !state.tokens.load().allows(request.headers()) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this route needs `Authorization: Bearer TOKEN` with a token of the server's token file",
        )
        .into_response();
    }
    let _permit = if route.limited {
        match Arc::clone(&state.permits).try_acquire_owned() {
            Ok(p) => Some(p),
            Err(_) => {
                let mut e = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded",
                    format!(
                        "{} requests are being answered (--max-in-flight); try again shortly",
                        state.limits.max_in_flight
                    ),
                );
                e.retry_after = Some(1);
                return e.into_response();
            }
        }
    } else {
        None
    };
    match tokio::time::timeout(state.limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took over {} ms (--timeout); send fewer claims per request",
                state.limits.timeout.as_millis()
            ),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sane_request_ids_are_taken_from_the_caller() {
        let id = |s: &'static str| caller_id(&HeaderValue::from_static(s));
        assert_eq!(id("hosxp-42:7").as_deref(), Some("hosxp-42:7"));
        assert_eq!(id(""), None);
        assert_eq!(id("a b"), None);
        assert_eq!(id("x\"y"), None);
        assert_eq!(caller_id(&HeaderValue::from_str(&"a".repeat(65)).unwrap_or(HeaderValue::from_static(""))), None);
    }
}
