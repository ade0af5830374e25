//! What the server holds: the packs in use (swapped whole on reload), the tokens, the
//! limits and the counters.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::http::HeaderValue;
use chrono::{DateTime, Utc};
use kongtun_core::diagnostic::Diagnostic;
use kongtun_rules::pack::Layer;
use kongtun_rules::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, Semaphore};

use crate::auth::Tokens;
use crate::config::{Config, Limits};
use crate::error::ServeError;
use crate::metrics::Metrics;

/// One pack as `GET /v1/packs` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct PackInfo {
    /// `uc`
    pub id: String,
    /// `UC`
    pub fund: String,
    /// `2568`
    pub version: String,
    /// `main` or `primary` (pays first, as PRB).
    pub layer: &'static str,
    /// First day in force.
    pub from: chrono::NaiveDate,
    /// Last day in force, if it ends.
    pub to: Option<chrono::NaiveDate>,
    /// SHA-256 of the pack file.
    pub sha256: String,
    /// The file, under the rules directory.
    pub file: String,
}

/// An engine with what is said about it: the unit that a reload swaps.
pub struct Loaded {
    /// The compiled packs.
    pub engine: Engine,
    /// The packs, listed.
    pub packs: Vec<PackInfo>,
    /// SHA-256 over every pack's file name and hash: names the whole set in one value
    /// (the `X-Kongtun-Ruleset` header of every response).
    pub ruleset: String,
    /// The ruleset as a header value.
    pub header: HeaderValue,
    /// When it was loaded.
    pub loaded_at: DateTime<Utc>,
}

impl Loaded {
    /// Describes a freshly loaded engine.
    pub fn new(engine: Engine) -> Loaded {
        let mut packs: Vec<PackInfo> = engine
            .packs()
            .iter()
            .map(|p| PackInfo {
                id: p.id().to_string(),
                fund: p.fund().to_string(),
                version: p.version().to_string(),
                layer: match p.layer() {
                    Layer::Main => "main",
                    Layer::Primary => "primary",
                },
                from: p.from(),
                to: p.to(),
                sha256: p.sha256().to_string(),
                file: p.file().to_string(),
            })
            .collect();
        packs.sort_by(|a, b| (&a.id, a.from, &a.file).cmp(&(&b.id, b.from, &b.file)));
        let mut hash = Sha256::new();
        for p in &packs {
            hash.update(p.file.as_bytes());
            hash.update(b"\t");
            hash.update(p.sha256.as_bytes());
            hash.update(b"\n");
        }
        let ruleset: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let header = HeaderValue::from_str(&ruleset).unwrap_or_else(|_| HeaderValue::from_static("unknown"));
        Loaded { engine, packs, ruleset, header, loaded_at: Utc::now() }
    }
}

/// The outcome of a reload.
#[derive(Debug)]
pub enum Reload {
    /// The new packs are in use.
    Done {
        /// The ruleset now in use.
        ruleset: String,
        /// Whether it differs from the one before.
        changed: bool,
        /// How many packs.
        packs: usize,
    },
    /// The packs have errors: the old ones are still in use.
    Failed {
        /// The ruleset still in use.
        kept: String,
        /// What is wrong with the new packs (or the token file).
        errors: Vec<Diagnostic>,
        /// Said when the errors are not pack diagnostics (the token file).
        message: Option<String>,
    },
}

/// Everything a request can reach.
pub struct State {
    /// The rules directory.
    pub rules_dir: PathBuf,
    /// The token file, read again on reload.
    pub token_file: Option<PathBuf>,
    /// The packs in use.
    pub rules: ArcSwap<Loaded>,
    /// The tokens in use.
    pub tokens: ArcSwap<Tokens>,
    /// The limits.
    pub limits: Limits,
    /// The counters.
    pub metrics: Metrics,
    /// Permits for requests to `/v1/`.
    pub permits: Arc<Semaphore>,
    /// Set when shutdown began: `/readyz` then answers 503.
    pub draining: AtomicBool,
    /// One reload at a time.
    reloading: Mutex<()>,
    /// Request ids: a prefix for this process, then a count.
    id_prefix: String,
    next_id: AtomicU64,
}

impl State {
    /// Loads the packs and tokens of `config`.
    pub fn load(config: &Config) -> Result<State, ServeError> {
        let engine =
            Engine::load(&config.rules).map_err(|errors| ServeError::Packs { dir: config.rules.clone(), errors })?;
        let tokens = match &config.token_file {
            Some(path) => Tokens::read(path)?,
            None => Tokens::open(),
        };
        let started = Utc::now();
        Ok(State {
            rules_dir: config.rules.clone(),
            token_file: config.token_file.clone(),
            rules: ArcSwap::from_pointee(Loaded::new(engine)),
            tokens: ArcSwap::from_pointee(tokens),
            limits: config.limits,
            metrics: Metrics::default(),
            permits: Arc::new(Semaphore::new(config.limits.max_in_flight)),
            draining: AtomicBool::new(false),
            reloading: Mutex::new(()),
            id_prefix: format!("{:08x}", (started.timestamp_micros() as u64) & 0xffff_ffff),
            next_id: AtomicU64::new(1),
        })
    }

    /// A new request id, unique in this process and unlikely to repeat across restarts.
    pub fn request_id(&self) -> String {
        format!("{}-{}", self.id_prefix, self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// True once shutdown began.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// Loads and checks the packs (and the token file) again. Swapped in only when all is
    /// well; requests in flight keep the engine they started with.
    pub async fn reload(self: &Arc<State>) -> Reload {
        let _one_at_a_time = self.reloading.lock().await;
        let kept = self.rules.load().ruleset.clone();
        let dir = self.rules_dir.clone();
        let token_file = self.token_file.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            let engine = Engine::load(&dir);
            let tokens = token_file.as_deref().map(Tokens::read).transpose();
            (engine, tokens)
        })
        .await;
        let report = match loaded {
            Ok((Ok(engine), Ok(tokens))) => {
                let loaded = Loaded::new(engine);
                let report = Reload::Done {
                    changed: loaded.ruleset != kept,
                    ruleset: loaded.ruleset.clone(),
                    packs: loaded.packs.len(),
                };
                self.rules.store(Arc::new(loaded));
                if let Some(tokens) = tokens {
                    self.tokens.store(Arc::new(tokens));
                }
                report
            }
            Ok((Err(errors), _)) => Reload::Failed { kept, errors: errors.0, message: None },
            Ok((Ok(_), Err(e))) => Reload::Failed { kept, errors: Vec::new(), message: Some(e.to_string()) },
            Err(e) => Reload::Failed { kept, errors: Vec::new(), message: Some(format!("the reload failed: {e}")) },
        };
        match &report {
            Reload::Done { ruleset, changed, packs } => {
                self.metrics.reloaded(true);
                tracing::info!(ruleset = %ruleset, changed, packs, "packs reloaded");
            }
            Reload::Failed { kept, errors, message } => {
                self.metrics.reloaded(false);
                for e in errors {
                    tracing::warn!("{e}");
                }
                if let Some(m) = message {
                    tracing::warn!("{m}");
                }
                tracing::warn!(ruleset = %kept, errors = errors.len(), "reload failed: the packs in use are kept");
            }
        }
        report
    }
}
