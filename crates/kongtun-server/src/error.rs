//! Errors: why the server could not start ([`ServeError`]), and why a request was refused
//! ([`ApiError`], always a JSON body `{"error":{"kind":…,"message":…}}`).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kongtun_core::diagnostic::{Diagnostic, Diagnostics};
use serde_json::{json, Value};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The rule packs have errors.
    #[error("{errors}\nkongtun: the rule packs under {} have errors; run `kongtun check {}`", dir.display(), dir.display())]
    Packs {
        /// The rules directory.
        dir: PathBuf,
        /// Every error found.
        errors: Diagnostics,
    },
    /// The token file could not be read or holds no token.
    #[error("token file {}: {message}", path.display())]
    Tokens {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A non-loopback address with no tokens, not said to be meant.
    #[error(
        "refusing to serve claims (patient data) on {addr} without authentication: give --token-file FILE \
         (bearer tokens, one a line), listen on 127.0.0.1, or say --allow-unauthenticated if a proxy in \
         front authenticates"
    )]
    Unauthenticated {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The address could not be bound, or the server failed while serving.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

/// A refused request: its status and JSON body, with the headers that go with it.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `error` object: at least `kind` and `message`.
    pub error: Value,
    /// Seconds to wait before trying again (503 when overloaded).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, error: json!({"kind": kind, "message": message.into()}), retry_after: None }
    }

    /// 400 for a body that is not a claim document, located (file, line, column).
    pub fn located(diagnostic: &Diagnostic) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, error: diagnostic.to_json(), retry_after: None }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 500: something that should not happen; the message is logged, not sent.
    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log")
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({"error": self.error})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut bytes = serde_json::to_vec(&self.body()).unwrap_or_default();
        bytes.push(b'\n');
        let mut response = (self.status, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(s) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"kongtun\""));
        }
        response
    }
}
