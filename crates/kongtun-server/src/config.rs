//! What the server is told: the command line of `kongtun serve` ([`ServeArgs`]) and the
//! plain settings it becomes ([`Config`]), which tests and embedders build directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::error::ServeError;

/// Settings of one server.
///
/// ```
/// let config = kongtun_server::Config::new("rules");
/// assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
/// assert_eq!(config.limits.max_body, 16 * 1024 * 1024);
/// assert!(config.check_exposure().is_ok()); // loopback: no token needed
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// The rules directory, read at start and again on every reload.
    pub rules: PathBuf,
    /// Where to listen (port 0: any free port; see [`crate::Server::local_addr`]).
    pub addr: SocketAddr,
    /// A file of bearer tokens, one a line (blank lines and `#` comments left out); read at
    /// start and on every reload. `None`: no authentication.
    pub token_file: Option<PathBuf>,
    /// Serve on an address other than loopback without tokens.
    pub allow_unauthenticated: bool,
    /// The safety limits.
    pub limits: Limits,
    /// How long a shutdown waits for requests in flight before it gives up on them.
    pub shutdown_grace: Duration,
}

/// What one request may ask of the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, in bytes (413 beyond it).
    pub max_body: usize,
    /// Most claims in one request (413 beyond it).
    pub max_claims: usize,
    /// Longest a request may take, body read included (503 beyond it).
    pub timeout: Duration,
    /// Most requests to `/v1/` at once; beyond it the answer is 503 with `Retry-After`.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_body: 16 * 1024 * 1024, max_claims: 10_000, timeout: Duration::from_secs(30), max_in_flight: 64 }
    }
}

impl Config {
    /// The defaults: `127.0.0.1:8080`, no tokens, the default [`Limits`], 30 s of grace.
    pub fn new(rules: impl Into<PathBuf>) -> Config {
        Config {
            rules: rules.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token_file: None,
            allow_unauthenticated: false,
            limits: Limits::default(),
            shutdown_grace: Duration::from_secs(30),
        }
    }

    /// Refuses to serve claims (patient data) beyond this machine with no token asked for,
    /// unless that was said to be meant (`--allow-unauthenticated`).
    pub fn check_exposure(&self) -> Result<(), ServeError> {
        if self.token_file.is_none() && !self.addr.ip().is_loopback() && !self.allow_unauthenticated {
            return Err(ServeError::Unauthenticated { addr: self.addr });
        }
        Ok(())
    }
}

/// Log line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// `kongtun serve`: the options of the command.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Directory of rule packs (read again on SIGHUP and POST /v1/admin/reload).
    #[arg(long)]
    pub rules: PathBuf,
    /// Address to listen on. An address other than loopback needs --token-file (or
    /// --allow-unauthenticated).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// File of bearer tokens, one a line; every /v1/ request must carry one
    /// (`Authorization: Bearer TOKEN`). /healthz, /readyz, /metrics and /openapi.json stay open.
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Serve on an address other than loopback with no token file (claims are patient data).
    #[arg(long)]
    pub allow_unauthenticated: bool,
    /// Largest request body: bytes, or with KB / MB.
    #[arg(long, value_name = "SIZE", default_value = "16MB", value_parser = parse_size)]
    pub max_body: usize,
    /// Most claims in one request.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_claims)]
    pub max_claims: usize,
    /// Longest a request may take: seconds, or with ms / s / m.
    #[arg(long, value_name = "TIME", default_value = "30s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Most /v1/ requests at once; beyond it: 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_in_flight)]
    pub max_in_flight: usize,
    /// How long SIGTERM / Ctrl-C waits for requests in flight.
    #[arg(long, value_name = "TIME", default_value = "30s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
    /// Log filter: a level (error, warn, info, debug, trace), or `info,kongtun_server=debug`.
    /// Claim contents are never logged at info or above. Default: $KONGTUN_LOG, else info.
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
    /// Log line format.
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

impl ServeArgs {
    /// The settings these options give.
    pub fn config(&self) -> Config {
        Config {
            rules: self.rules.clone(),
            addr: self.addr,
            token_file: self.token_file.clone(),
            allow_unauthenticated: self.allow_unauthenticated,
            limits: Limits {
                max_body: self.max_body,
                max_claims: self.max_claims.max(1),
                timeout: self.timeout,
                max_in_flight: self.max_in_flight.max(1),
            },
            shutdown_grace: self.shutdown_grace,
        }
    }
}

/// `16MB`, `512KB`, `1048576`: a size in bytes (KB and MB count 1024).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim().to_ascii_uppercase();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), ""),
    };
    let n: usize = digits.parse().map_err(|_| format!("`{text}` is not a size: write bytes, or e.g. 512KB, 16MB"))?;
    let scale = match unit.trim() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1024,
        "M" | "MB" | "MIB" => 1024 * 1024,
        other => return Err(format!("unknown size unit `{other}`: use KB or MB")),
    };
    n.checked_mul(scale).filter(|n| *n > 0).ok_or_else(|| format!("`{text}` is not a usable size"))
}

/// `30s`, `500ms`, `2m`, `30`: a duration (plain numbers are seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{text}` is not a duration: write e.g. 30s, 500ms, 2m"))?;
    match unit.trim() {
        "" | "s" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        "m" => Ok(Duration::from_secs(n.saturating_mul(60))),
        other => Err(format!("unknown time unit `{other}`: use ms, s or m")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse() {
        assert_eq!(parse_size("16MB"), Ok(16 * 1024 * 1024));
        assert_eq!(parse_size("512kb"), Ok(512 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12GB").is_err());
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("1h").is_err());
    }

    #[test]
    fn a_public_address_needs_tokens_or_a_word_that_it_is_meant() {
        let mut config = Config::new("rules");
        config.addr = "0.0.0.0:8080".parse().unwrap_or(config.addr);
        let refused = config.check_exposure();
        assert!(matches!(refused, Err(ServeError::Unauthenticated { .. })), "{refused:?}");
        config.allow_unauthenticated = true;
        assert!(config.check_exposure().is_ok());
        config.allow_unauthenticated = false;
        config.token_file = Some("tokens".into());
        assert!(config.check_exposure().is_ok());
        config.token_file = None;
        config.addr = "[::1]:8080".parse().unwrap_or(config.addr);
        assert!(config.check_exposure().is_ok());
    }
}
