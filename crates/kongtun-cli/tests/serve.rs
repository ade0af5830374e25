//! `kongtun serve` as a process: it answers with the CLI's own records, reloads its packs on
//! SIGHUP, stops cleanly on SIGTERM, and will not serve claims on a public address without
//! tokens. The service's routes are tested in depth in `crates/kongtun-server/tests/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kongtun() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kongtun"));
    c.current_dir(root());
    c
}

/// `kongtun evaluate --format json` over each sample file prints exactly the golden records,
/// the same bytes the service and the C example are checked against.
#[test]
fn the_cli_prints_the_golden_records() {
    for stem in ["uc", "csmbs-lgo", "road-accident", "sss-self", "all-special-items"] {
        let file = format!("examples/claims/{stem}.yaml");
        let o = kongtun()
            .args(["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", &file])
            .output();
        let o = o.unwrap_or_else(|e| panic!("run kongtun: {e}"));
        let golden = std::fs::read_to_string(root().join(format!("tests/golden/{stem}.jsonl"))).unwrap_or_default();
        assert!(!golden.is_empty(), "{stem}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), golden, "{stem}");
    }
}

/// A running `kongtun serve`, its stderr drained by a thread.
struct Served {
    child: Child,
    addr: SocketAddr,
    log: mpsc::Receiver<String>,
}

fn serve(rules: &Path, extra: &[&str]) -> Served {
    let mut child = kongtun()
        .args(["serve", "--rules"])
        .arg(rules)
        .args(["--addr", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn kongtun serve: {e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let (tx, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let Ok(line) = log.recv_timeout(deadline.saturating_duration_since(Instant::now())) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kongtun serve did not say where it listens");
        };
        if let Some(addr) = line.split("listening on ").nth(1).and_then(|a| a.split_whitespace().next()) {
            let addr = addr.parse().unwrap_or_else(|e| panic!("{addr}: {e}"));
            return Served { child, addr, log };
        }
    }
}

impl Drop for Served {
    /// A test that fails half-way leaves no server running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP/1.1 exchange on a fresh connection: the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    stream.write_all(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill").args([name, &child.id().to_string()]).status().is_ok_and(|s| s.success());
    assert!(ok, "kill {name} failed");
}

/// A copy of the fund packs, to change under a running server.
fn rules_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for fund in ["uc", "csmbs", "sss", "lgo", "prb", "self"] {
        std::fs::create_dir_all(dir.join(fund)).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(root().join("rules").join(fund)).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            std::fs::copy(&path, dir.join(fund).join(path.file_name().unwrap_or_default()))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dir
}

#[test]
fn kongtun_serve_answers_as_the_cli_reloads_on_sighup_and_stops_on_sigterm() {
    let rules = rules_copy("hup");
    let mut s = serve(&rules, &[]);
    let claims = std::fs::read_to_string(root().join("examples/eclaim16.jsonl")).unwrap_or_default();
    let (status, served) = http(s.addr, "POST", "/v1/evaluate?as_of=2025-05-05", "application/x-ndjson", &claims);
    assert_eq!(status, 200, "{served}");
    let cli = kongtun()
        .args(["evaluate", "--rules"])
        .arg(&rules)
        .args(["--as-of", "2025-05-05", "--format", "json", "examples/eclaim16.jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(served, String::from_utf8_lossy(&cli.stdout));
    assert!(served.contains("\"payer\":\"UC\",\"amount\":\"1500.00\""), "{served}");

    // A new haemodialysis rate, then SIGHUP: the next answers use it.
    let pack = rules.join("uc/fy2568.yaml");
    let text = std::fs::read_to_string(&pack).unwrap_or_default();
    std::fs::write(&pack, text.replace("hd_session: { value: 1500,", "hd_session: { value: 1600,"))
        .unwrap_or_else(|e| panic!("{e}"));
    signal(&s.child, "-HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, metrics) = http(s.addr, "GET", "/metrics", "text/plain", "");
        if metrics.contains("kongtun_pack_reloads_total{result=\"ok\"} 1") {
            break;
        }
        assert!(Instant::now() < deadline, "no reload after SIGHUP:\n{metrics}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let first = claims.lines().next().unwrap_or_default();
    let (_, after) = http(s.addr, "POST", "/v1/evaluate?as_of=2025-05-05", "application/json", first);
    assert!(after.contains("\"payer\":\"UC\",\"amount\":\"1600.00\""), "{after}");

    signal(&s.child, "-TERM");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(status)) = s.child.try_wait() {
            break status;
        }
        assert!(Instant::now() < deadline, "kongtun serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let log: Vec<String> = s.log.try_iter().collect();
    assert!(log.iter().any(|l| l.contains("packs reloaded")), "{log:?}");
    // The log names requests, never what the claims hold.
    assert!(log.iter().any(|l| l.contains("route=\"/v1/evaluate\"") && l.contains("claims=4")), "{log:?}");
    for secret in ["3100200234567", "0002002", "680408001", "N18.5"] {
        assert!(!log.iter().any(|l| l.contains(secret)), "{secret} logged: {log:?}");
    }
    let _ = std::fs::remove_dir_all(&rules);
}

#[test]
fn a_public_address_without_tokens_is_refused_with_the_way_out() {
    let o =
        kongtun().args(["serve", "--rules", "rules", "--addr", "0.0.0.0:0"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--token-file") && err.contains("--allow-unauthenticated"), "{err}");
}
