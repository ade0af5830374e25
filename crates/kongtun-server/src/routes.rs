//! The routes, in one table: the router is built from it, and so is the OpenAPI document
//! (`crate::openapi`), so the two cannot drift apart.

use std::sync::Arc;

use axum::routing::{get, post, MethodRouter};
use axum::Router;

use crate::handlers;
use crate::state::State;

/// Which handler answers a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST /v1/evaluate`
    Evaluate,
    /// `POST /v1/validate`
    Validate,
    /// `POST /v1/explain`
    Explain,
    /// `GET /v1/packs`
    Packs,
    /// `POST /v1/admin/reload`
    Reload,
    /// `GET /healthz`
    Health,
    /// `GET /readyz`
    Ready,
    /// `GET /metrics`
    Metrics,
    /// `GET /openapi.json`
    OpenApi,
}

/// One route.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path (no parameters in any of them).
    pub path: &'static str,
    /// The handler.
    pub endpoint: Endpoint,
    /// Whether it needs a bearer token (when tokens are set).
    pub protected: bool,
    /// Whether it counts against the in-flight limit (and may answer 503 beyond it).
    pub limited: bool,
    /// The OpenAPI summary.
    pub summary: &'static str,
}

/// Every route the server answers. `/v1/` routes carry claims or control the server: they
/// need a token (when tokens are set) and count against the in-flight limit. The probes,
/// the metrics (no claim data: counts, finding codes, pack hashes) and the API description
/// stay open, so a load balancer or Prometheus needs no secret.
pub const ROUTES: &[Route] = &[
    Route {
        method: "POST",
        path: "/v1/evaluate",
        endpoint: Endpoint::Evaluate,
        protected: true,
        limited: true,
        summary: "Evaluate claims: the records of `kongtun evaluate --format json`, in order",
    },
    Route {
        method: "POST",
        path: "/v1/validate",
        endpoint: Endpoint::Validate,
        protected: true,
        limited: true,
        summary: "Check claim documents: the records of `kongtun validate --format json`, in order",
    },
    Route {
        method: "POST",
        path: "/v1/explain",
        endpoint: Endpoint::Explain,
        protected: true,
        limited: true,
        summary: "Narrate the evaluation of one claim: every rule considered, its values and arithmetic",
    },
    Route {
        method: "GET",
        path: "/v1/packs",
        endpoint: Endpoint::Packs,
        protected: true,
        limited: true,
        summary: "The packs in use: id, fund, version, effective dates, SHA-256",
    },
    Route {
        method: "POST",
        path: "/v1/admin/reload",
        endpoint: Endpoint::Reload,
        protected: true,
        limited: true,
        summary: "Load and check the packs again; swapped in only when free of errors",
    },
    Route {
        method: "GET",
        path: "/healthz",
        endpoint: Endpoint::Health,
        protected: false,
        limited: false,
        summary: "Liveness: 200 while the process serves",
    },
    Route {
        method: "GET",
        path: "/readyz",
        endpoint: Endpoint::Ready,
        protected: false,
        limited: false,
        summary: "Readiness: 200 with packs loaded, 503 once shutdown began",
    },
    Route {
        method: "GET",
        path: "/metrics",
        endpoint: Endpoint::Metrics,
        protected: false,
        limited: false,
        summary: "Prometheus metrics (text format 0.0.4)",
    },
    Route {
        method: "GET",
        path: "/openapi.json",
        endpoint: Endpoint::OpenApi,
        protected: false,
        limited: false,
        summary: "This API, as an OpenAPI 3.1 document",
    },
];

/// The route a request is for, if any (its label in logs and metrics).
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.path == path && r.method == method)
}

/// True when some route has this path (with another method: 405, not 404).
pub fn path_known(path: &str) -> bool {
    ROUTES.iter().any(|r| r.path == path)
}

fn handler(endpoint: Endpoint) -> MethodRouter<Arc<State>> {
    match endpoint {
        Endpoint::Evaluate => post(handlers::evaluate),
        Endpoint::Validate => post(handlers::validate),
        Endpoint::Explain => post(handlers::explain),
        Endpoint::Packs => get(handlers::packs),
        Endpoint::Reload => post(handlers::reload),
        Endpoint::Health => get(handlers::health),
        Endpoint::Ready => get(handlers::ready),
        Endpoint::Metrics => get(handlers::metrics),
        Endpoint::OpenApi => get(handlers::openapi),
    }
}

/// The router of [`ROUTES`], before the middleware.
pub fn router() -> Router<Arc<State>> {
    let mut router = Router::new();
    for route in ROUTES {
        router = router.route(route.path, handler(route.endpoint));
    }
    router.fallback(handlers::not_found)
}
