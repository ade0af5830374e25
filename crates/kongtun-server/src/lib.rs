//! `kongtun serve`: the rules engine as a local HTTP service, for host systems that are not
//! Rust (HOSxP in Delphi, HospitalOS in Java, PHP and Python tools).
//!
//! A thin layer over the engine: claims are read by the one claim reader, evaluated with
//! `Engine::evaluate_batch` (one request = one batch: a road-accident victim's claims share
//! PRB's limits) and written by `kongtun_audit::records`, so every answer is byte for byte
//! what `kongtun evaluate --format json` prints for the same claims.
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/evaluate?as_of=&lang=&trace=` | a claim, an array, or JSON Lines → the records, in order |
//! | `POST /v1/validate` | the records of `kongtun validate --format json` |
//! | `POST /v1/explain?as_of=&lang=` | one claim → its narration (text) |
//! | `GET /v1/packs` | the packs in use: id, fund, version, dates, SHA-256 |
//! | `POST /v1/admin/reload` | load the packs again (also on SIGHUP); kept on error |
//! | `GET /healthz`, `GET /readyz` | liveness; readiness (503 while shutting down) |
//! | `GET /metrics` | Prometheus text |
//! | `GET /openapi.json` | the OpenAPI document (`docs/openapi.json`) |
//!
//! Safety: a body limit (413), a cap on claims per request (413), a timeout (503), a cap
//! on requests in flight (503 with `Retry-After`), graceful shutdown that drains requests
//! in flight, optional bearer tokens (refused on a non-loopback address without them).
//!
//! ```no_run
//! # async fn start() -> Result<(), kongtun_server::ServeError> {
//! let mut config = kongtun_server::Config::new("rules");
//! config.addr = "127.0.0.1:0".parse().expect("an address");
//! let server = kongtun_server::Server::bind(config).await?;
//! println!("listening on {}", server.local_addr());
//! let reload = server.state();                 // reload from elsewhere: reload.reload().await
//! server.serve(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # drop(reload);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod handlers;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod state;

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

pub use config::{Config, Limits, LogFormat, ServeArgs};
pub use error::{ApiError, ServeError};
pub use state::{Reload, State};

/// A server bound to its address, packs loaded, not yet serving.
pub struct Server {
    state: Arc<State>,
    listener: TcpListener,
    addr: SocketAddr,
    grace: Duration,
}

impl Server {
    /// Checks the exposure ([`Config::check_exposure`]), loads the packs and tokens, and binds.
    pub async fn bind(config: Config) -> Result<Server, ServeError> {
        config.check_exposure()?;
        let state = {
            let config = config.clone();
            tokio::task::spawn_blocking(move || State::load(&config)).await.map_err(|e| ServeError::Io {
                context: "loading the packs".into(),
                source: std::io::Error::other(e.to_string()),
            })??
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Io { context: format!("cannot listen on {}", config.addr), source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServeError::Io { context: "reading the bound address".into(), source })?;
        Ok(Server { state: Arc::new(state), listener, addr, grace: config.shutdown_grace })
    }

    /// The address bound (the port chosen when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's state: [`State::reload`] from a signal handler, or the counters.
    pub fn state(&self) -> Arc<State> {
        Arc::clone(&self.state)
    }

    /// Serves until `shutdown` completes, then stops accepting, lets every request in
    /// flight finish (up to the grace period of [`Config::shutdown_grace`]) and returns.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), ServeError> {
        let app = app(Arc::clone(&self.state));
        let state = Arc::clone(&self.state);
        let (begun_tx, begun_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            state.draining.store(true, Ordering::Relaxed);
            tracing::info!(in_flight = state.metrics.in_flight(), "shutting down: draining requests in flight");
            let _ = begun_tx.send(());
        };
        let served = axum::serve(self.listener, app).with_graceful_shutdown(signal).into_future();
        let grace = self.grace;
        let deadline = async move {
            if begun_rx.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = served => {
                tracing::info!("stopped");
                r.map_err(|source| ServeError::Io { context: "serving".into(), source })
            }
            () = deadline => {
                tracing::warn!(in_flight = self.state.metrics.in_flight(), "the grace period ended with requests in flight; stopping");
                Ok(())
            }
        }
    }
}

/// The application: the routes and the middleware, over `state`.
pub fn app(state: Arc<State>) -> Router {
    routes::router()
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), middleware::pipeline))
        .with_state(state)
}

/// Sets up the log: `filter` as in `--log-level` (else `$KONGTUN_LOG`, else `info`).
pub fn init_logging(filter: Option<&str>, format: LogFormat) -> Result<(), String> {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let text =
        filter.map(str::to_string).or_else(|| std::env::var("KONGTUN_LOG").ok()).unwrap_or_else(|| "info".into());
    let targets: Targets = text.parse().map_err(|e| format!("--log-level {text}: {e}"))?;
    let registry = tracing_subscriber::registry().with(targets);
    let result = match format {
        LogFormat::Text => {
            registry.with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false)).try_init()
        }
        LogFormat::Json => registry
            .with(tracing_subscriber::fmt::layer().json().with_current_span(true).with_writer(std::io::stderr))
            .try_init(),
    };
    result.map_err(|e| e.to_string())
}

/// `kongtun serve`: logs, a runtime, the signals (SIGHUP reloads; SIGTERM and Ctrl-C shut
/// down gracefully), and the server. Returns the exit status: 0 after a clean shutdown, 2
/// when the server could not start.
pub fn run(args: &ServeArgs) -> u8 {
    if let Err(e) = init_logging(args.log_level.as_deref(), args.log_format) {
        return stopped(e);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return stopped(format_args!("cannot start the runtime: {e}")),
    };
    let config = args.config();
    runtime.block_on(async move {
        let server = match Server::bind(config.clone()).await {
            Ok(s) => s,
            Err(e) => return stopped(e),
        };
        let state = server.state();
        let loaded = state.rules.load_full();
        tracing::info!(
            addr = %server.local_addr(),
            rules = %config.rules.display(),
            packs = loaded.packs.len(),
            ruleset = %loaded.ruleset,
            tokens = state.tokens.load().required(),
            "listening on {}", server.local_addr()
        );
        for w in loaded.engine.warnings() {
            tracing::debug!("{w}");
        }
        drop(loaded);
        spawn_reload_on_hangup(Arc::clone(&state));
        match server.serve(terminate()).await {
            Ok(()) => 0,
            Err(e) => stopped(e),
        }
    })
}

/// Says why the server stopped, on standard error, and gives exit status 2. A standard error
/// that cannot be written is passed over rather than panicking: the status still tells.
fn stopped(why: impl std::fmt::Display) -> u8 {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "kongtun: {why}");
    2
}

/// Reloads the packs on every SIGHUP.
fn spawn_reload_on_hangup(state: Arc<State>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload with POST /v1/admin/reload");
            return;
        };
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the packs");
            state.reload().await;
        }
    });
    #[cfg(not(unix))]
    drop(state);
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
async fn terminate() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C"),
        () = term => tracing::info!("SIGTERM"),
    }
}
