//! Counters for `GET /metrics`, in the Prometheus text format (version 0.0.4), written by
//! hand: a few maps behind mutexes, taken once per request.
//!
//! | metric | labels |
//! |---|---|
//! | `kongtun_http_requests_total` (counter) | `route`, `status` |
//! | `kongtun_http_request_duration_seconds` (histogram) | `route`, `status` |
//! | `kongtun_http_requests_in_flight` (gauge) | |
//! | `kongtun_claims_total` (counter) | `route` (evaluate, validate, explain), `result` (ok, rejected) |
//! | `kongtun_findings_total` (counter) | `code` |
//! | `kongtun_pack_reloads_total` (counter) | `result` (ok, failed) |
//! | `kongtun_pack_info` (gauge, 1) | `id`, `version`, `fund`, `sha256` |
//! | `kongtun_ruleset_loaded_timestamp_seconds` (gauge) | |

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::state::Loaded;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Clone, Default)]
struct Series {
    count: u64,
    sum: f64,
    /// Observations at or below each bound (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
}

/// Every counter of the server.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), Series>>,
    claims: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    findings: Mutex<BTreeMap<String, u64>>,
    in_flight: AtomicI64,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

impl Metrics {
    /// A request started.
    pub fn started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    /// A request ended with `status` after `elapsed`.
    pub fn finished(&self, route: &'static str, status: u16, elapsed: Duration) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        if let Ok(mut map) = self.requests.lock() {
            let s = map.entry((route, status)).or_default();
            s.count += 1;
            s.sum += seconds;
            if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
                s.buckets[i] += 1;
            }
        }
    }

    /// Requests being served now.
    pub fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Claims of one request: `ok` evaluated (or valid), `rejected` not.
    pub fn claims(&self, route: &'static str, ok: usize, rejected: usize) {
        if let Ok(mut map) = self.claims.lock() {
            *map.entry((route, "ok")).or_default() += ok as u64;
            *map.entry((route, "rejected")).or_default() += rejected as u64;
        }
    }

    /// Findings of one request, by code.
    pub fn findings(&self, counted: BTreeMap<String, u64>) {
        if counted.is_empty() {
            return;
        }
        if let Ok(mut map) = self.findings.lock() {
            for (code, n) in counted {
                *map.entry(code).or_default() += n;
            }
        }
    }

    /// A reload ended.
    pub fn reloaded(&self, ok: bool) {
        let counter = if ok { &self.reloads_ok } else { &self.reloads_failed };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The text of `GET /metrics`.
    pub fn render(&self, loaded: &Loaded) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("# HELP kongtun_http_requests_total HTTP requests answered, by route and status.\n");
        out.push_str("# TYPE kongtun_http_requests_total counter\n");
        let requests = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        for ((route, status), s) in &requests {
            let _ = writeln!(out, "kongtun_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {}", s.count);
        }
        out.push_str("# HELP kongtun_http_request_duration_seconds Time to answer a request, by route and status.\n");
        out.push_str("# TYPE kongtun_http_request_duration_seconds histogram\n");
        for ((route, status), s) in &requests {
            let labels = format!("route=\"{route}\",status=\"{status}\"");
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "kongtun_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(out, "kongtun_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "kongtun_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "kongtun_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        out.push_str("# HELP kongtun_http_requests_in_flight Requests being answered now.\n");
        out.push_str("# TYPE kongtun_http_requests_in_flight gauge\n");
        let _ = writeln!(out, "kongtun_http_requests_in_flight {}", self.in_flight());
        out.push_str("# HELP kongtun_claims_total Claims read, by route and result (ok: evaluated or valid).\n");
        out.push_str("# TYPE kongtun_claims_total counter\n");
        for ((route, result), n) in self.claims.lock().map(|m| m.clone()).unwrap_or_default() {
            let _ = writeln!(out, "kongtun_claims_total{{route=\"{route}\",result=\"{result}\"}} {n}");
        }
        out.push_str("# HELP kongtun_findings_total Findings of evaluated claims, by code.\n");
        out.push_str("# TYPE kongtun_findings_total counter\n");
        for (code, n) in self.findings.lock().map(|m| m.clone()).unwrap_or_default() {
            let _ = writeln!(out, "kongtun_findings_total{{code=\"{}\"}} {n}", escape(&code));
        }
        out.push_str("# HELP kongtun_pack_reloads_total Pack reloads, by result (failed: the old packs kept).\n");
        out.push_str("# TYPE kongtun_pack_reloads_total counter\n");
        let _ =
            writeln!(out, "kongtun_pack_reloads_total{{result=\"ok\"}} {}", self.reloads_ok.load(Ordering::Relaxed));
        let _ = writeln!(
            out,
            "kongtun_pack_reloads_total{{result=\"failed\"}} {}",
            self.reloads_failed.load(Ordering::Relaxed)
        );
        out.push_str("# HELP kongtun_pack_info The packs in use (value 1).\n");
        out.push_str("# TYPE kongtun_pack_info gauge\n");
        for p in &loaded.packs {
            let _ = writeln!(
                out,
                "kongtun_pack_info{{id=\"{}\",version=\"{}\",fund=\"{}\",sha256=\"{}\"}} 1",
                escape(&p.id),
                escape(&p.version),
                escape(&p.fund),
                escape(&p.sha256)
            );
        }
        out.push_str(
            "# HELP kongtun_ruleset_loaded_timestamp_seconds When the packs in use were loaded (Unix time).\n",
        );
        out.push_str("# TYPE kongtun_ruleset_loaded_timestamp_seconds gauge\n");
        let _ = writeln!(out, "kongtun_ruleset_loaded_timestamp_seconds {}", loaded.loaded_at.timestamp());
        out
    }
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_buckets_are_cumulative_and_end_with_the_count() {
        let m = Metrics::default();
        for ms in [0, 3, 3, 40, 20_000] {
            m.started();
            m.finished("/v1/evaluate", 200, Duration::from_millis(ms));
        }
        let requests = m.requests.lock().map(|r| r.clone()).unwrap_or_default();
        let s = &requests[&("/v1/evaluate", 200)];
        assert_eq!(s.count, 5);
        // 0 ms in the first bucket, 3 ms twice in the 5 ms bucket, 40 ms in 50 ms, 20 s in none
        assert_eq!(s.buckets[0], 1);
        assert_eq!(s.buckets[3], 2);
        assert_eq!(s.buckets[6], 1);
        assert_eq!(s.buckets.iter().sum::<u64>(), 4);
        assert_eq!(m.in_flight(), 0);
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
