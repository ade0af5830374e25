//! The service on a real socket: each test starts a server on an ephemeral loopback port
//! and talks to it with hyper's HTTP client (and, where a test needs a body sent slowly or
//! in chunks, with a plain TCP stream).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use kongtun_server::{Config, ServeError, Server, State};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Running {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServeError>>,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Starts the graceful shutdown and waits for the server to return.
    async fn shutdown(mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match tokio::time::timeout(Duration::from_secs(60), self.task).await {
            Ok(Ok(r)) => r,
            other => panic!("the server did not stop: {other:?}"),
        }
    }
}

fn config(rules: &Path) -> Config {
    let mut config = Config::new(rules);
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config
}

async fn start(config: Config) -> Running {
    let server = Server::bind(config).await.unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = server.local_addr();
    let state = server.state();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(async move {
        let _ = stopped.await;
    }));
    Running { addr, state, stop: Some(stop), task }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn lines(&self) -> Vec<Value> {
        self.body.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
    }

    fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
}

async fn send(method: Method, url: &str, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Reply {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = request.body(Full::new(body.into())).unwrap_or_else(|e| panic!("request: {e}"));
    let response = client.request(request).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap_or_else(|e| panic!("body: {e}")).to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn get(url: &str) -> Reply {
    send(Method::GET, url, &[], Bytes::new()).await
}

async fn post(url: &str, content_type: &str, body: impl Into<Bytes>) -> Reply {
    send(Method::POST, url, &[("content-type", content_type)], body).await
}

/// A one-line JSON claim: UC haemodialysis, 2 sessions (hd_session is 1,500 in the seed pack).
fn hd_claim(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","hn":"77","setting":"op","fund":"UC","service_date":"2025-04-08","submitted":"2025-05-05","diagnoses":["N18.5"],"items":[{{"code":"HD","category":11,"qty":"2","price":"2000.00"}}]}}"#
    )
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.trim().parse::<f64>().ok()))
        .unwrap_or_else(|| panic!("no metric {name} in:\n{text}"))
}

/// A copy of the seed rules (fund packs only) that a test may change.
fn rules_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for fund in ["uc", "csmbs", "sss", "lgo", "prb", "self"] {
        let from = root().join("rules").join(fund);
        let to = dir.path().join(fund);
        std::fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(&from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            std::fs::copy(&path, to.join(path.file_name().unwrap_or_default())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers() {
    let s = start(config(&root().join("rules"))).await;

    let health = get(&s.url("/healthz")).await;
    assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok\n"));
    let ready = get(&s.url("/readyz")).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["ready"], true);

    let packs = get(&s.url("/v1/packs")).await;
    assert_eq!(packs.status, StatusCode::OK);
    let listed = packs.json();
    let uc = listed["packs"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] == "uc" && p["version"] == "2568"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (uc["fund"].as_str(), uc["from"].as_str(), uc["to"].as_str()),
        (Some("UC"), Some("2024-10-01"), Some("2025-09-30"))
    );
    assert_eq!(uc["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(packs.header("x-kongtun-ruleset"), listed["ruleset"].as_str().unwrap_or("?"));

    let evaluated =
        post(&s.url("/v1/evaluate?as_of=2025-05-05&trace=false"), "application/json", hd_claim("HD-1")).await;
    assert_eq!(evaluated.status, StatusCode::OK, "{}", evaluated.body);
    assert_eq!(evaluated.header("content-type"), "application/json");
    let record = evaluated.json();
    assert_eq!(record["payers"][0]["amount"], "3000.00");
    assert_eq!(record["trace"], serde_json::json!([]));
    let sha = uc["sha256"].as_str().unwrap_or("?");
    assert_eq!(record["packs"][0].as_str(), Some(format!("uc@2568 {sha}").as_str()));
    assert_eq!(evaluated.header("x-kongtun-ruleset"), listed["ruleset"].as_str().unwrap_or("?"));
    assert_eq!(
        (evaluated.header("x-kongtun-claims"), evaluated.header("x-kongtun-rejected")),
        ("1".into(), "0".into())
    );
    assert!(!evaluated.header("x-request-id").is_empty());

    let traced = post(&s.url("/v1/evaluate?as_of=2025-05-05&lang=th"), "application/json", hd_claim("HD-1")).await;
    assert!(traced.json()["trace"].as_array().is_some_and(|t| !t.is_empty()), "{}", traced.body);

    let array = format!("[{}, {}]", hd_claim("A"), hd_claim("B"));
    let both = post(&s.url("/v1/evaluate?as_of=2025-05-05"), "application/json", array).await;
    let ids: Vec<Value> =
        both.json().as_array().map(|a| a.iter().map(|r| r["id"].clone()).collect()).unwrap_or_default();
    assert_eq!(ids, ["A", "B"]);

    let lines = format!("{}\n{}\n", hd_claim("L1"), hd_claim("L2"));
    let streamed = post(&s.url("/v1/evaluate?as_of=2025-05-05"), "application/x-ndjson", lines.clone()).await;
    assert_eq!(streamed.header("content-type"), "application/x-ndjson");
    assert_eq!(streamed.lines().iter().map(|r| r["id"].clone()).collect::<Vec<_>>(), ["L1", "L2"]);

    let valid = post(&s.url("/v1/validate"), "application/x-ndjson", lines).await;
    assert_eq!(valid.body, "{\"id\":\"L1\",\"ok\":true}\n{\"id\":\"L2\",\"ok\":true}\n");

    let explained = post(&s.url("/v1/explain?as_of=2025-05-05"), "application/json", hd_claim("X")).await;
    assert_eq!(explained.status, StatusCode::OK, "{}", explained.body);
    assert!(
        explained.body.contains("uc-haemodialysis: line 0 HD 2 x 2,000.00: cap 1,500.00 (hd_session) per unit"),
        "{}",
        explained.body
    );
    let two =
        post(&s.url("/v1/explain"), "application/x-ndjson", format!("{}\n{}\n", hd_claim("X"), hd_claim("Y"))).await;
    assert_eq!(two.status, StatusCode::BAD_REQUEST, "{}", two.body);

    let reloaded = post(&s.url("/v1/admin/reload"), "application/json", "").await;
    assert_eq!(reloaded.status, StatusCode::OK, "{}", reloaded.body);
    assert_eq!(
        (reloaded.json()["reloaded"].as_bool(), reloaded.json()["changed"].as_bool()),
        (Some(true), Some(false))
    );

    let metrics = get(&s.url("/metrics")).await;
    assert!(metrics.header("content-type").starts_with("text/plain; version=0.0.4"));
    assert!(
        metrics.body.contains("kongtun_http_requests_total{route=\"/v1/evaluate\",status=\"200\"} 4"),
        "{}",
        metrics.body
    );
    assert!(metrics
        .body
        .contains("kongtun_http_request_duration_seconds_bucket{route=\"/v1/evaluate\",status=\"200\",le=\"+Inf\"} 4"));
    assert_eq!(metric(&metrics.body, "kongtun_claims_total{route=\"evaluate\",result=\"ok\"}"), 6.0);
    assert_eq!(metric(&metrics.body, "kongtun_pack_reloads_total{result=\"ok\"}"), 1.0);
    assert!(metrics
        .body
        .contains(&format!("kongtun_pack_info{{id=\"uc\",version=\"2568\",fund=\"UC\",sha256=\"{sha}\"}} 1")));

    let api = get(&s.url("/openapi.json")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.body, kongtun_server::openapi::text());

    let missing = get(&s.url("/v2/evaluate")).await;
    assert_eq!((missing.status, missing.json()["error"]["kind"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let wrong = get(&s.url("/v1/evaluate")).await;
    assert_eq!((wrong.status, wrong.header("allow")), (StatusCode::METHOD_NOT_ALLOWED, "POST".to_string()));
    let typo = post(&s.url("/v1/evaluate?asof=2025-05-05"), "application/json", hd_claim("T")).await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST);
    assert!(typo.body.contains("unknown query parameter `asof`"), "{}", typo.body);
    let bad_date = post(&s.url("/v1/evaluate?as_of=2025-13-45"), "application/json", hd_claim("T")).await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST, "{}", bad_date.body);

    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_the_cli_records_byte_for_byte() {
    // tests/golden/<stem>.jsonl is what `kongtun evaluate --format json --as-of 2025-10-15`
    // prints for examples/claims/<stem>.yaml (the CLI's test checks that side).
    let s = start(config(&root().join("rules"))).await;
    let mut compared = 0;
    for stem in ["uc", "csmbs-lgo", "road-accident", "sss-self", "all-special-items"] {
        let yaml = std::fs::read_to_string(root().join(format!("examples/claims/{stem}.yaml"))).unwrap_or_default();
        let golden = std::fs::read_to_string(root().join(format!("tests/golden/{stem}.jsonl"))).unwrap_or_default();
        let reply = post(&s.url("/v1/evaluate?as_of=2025-10-15"), "application/yaml", yaml).await;
        assert_eq!(reply.status, StatusCode::OK, "{stem}: {}", reply.body);
        assert!(!golden.is_empty());
        assert_eq!(reply.body, golden, "{stem}");
        compared += golden.lines().count();
    }
    assert!(compared >= 20, "{compared} claims compared");
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_claims_are_error_records_in_place() {
    let s = start(config(&root().join("rules"))).await;
    let zero_qty = hd_claim("ZERO").replace(r#""qty":"2""#, r#""qty":"0""#);
    let no_pack = hd_claim("NOPACK").replace(r#""fund":"UC""#, r#""fund":"XYZ""#);
    let body =
        [hd_claim("GOOD"), zero_qty, r#"{"id":"BROKEN","hn": }"#.into(), hd_claim("GOOD"), no_pack, hd_claim("LAST")]
            .join("\n");
    let reply = post(&s.url("/v1/evaluate?as_of=2025-05-05"), "application/x-ndjson", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let records = reply.lines();
    let kinds: Vec<(Value, Value)> = records.iter().map(|r| (r["id"].clone(), r["error"]["kind"].clone())).collect();
    assert_eq!(
        kinds,
        [
            ("GOOD".into(), Value::Null),
            ("ZERO".into(), "invalid_value".into()),
            ("BROKEN".into(), "syntax".into()),
            ("GOOD".into(), "duplicate_id".into()),
            ("NOPACK".into(), "unknown_fund".into()),
            ("LAST".into(), Value::Null),
        ],
        "{}",
        reply.body
    );
    assert_eq!(records[2]["error"]["line"], 3);
    assert_eq!(reply.header("x-kongtun-rejected"), "4");
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_400_with_a_location_and_big_ones_413() {
    let mut c = config(&root().join("rules"));
    c.limits.max_body = 4096;
    c.limits.max_claims = 3;
    let s = start(c).await;

    let broken = post(&s.url("/v1/evaluate"), "application/json", "{\"id\": \"A\",\n  \"hn\": 1,, }").await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST, "{}", broken.body);
    let e = &broken.json()["error"];
    assert_eq!(
        (e["kind"].as_str(), e["line"].as_u64(), e["column"].as_u64()),
        (Some("syntax"), Some(2), Some(11)),
        "{e}"
    );
    assert!(e["message"].as_str().is_some_and(|m| m.starts_with("request:2:11: not valid JSON")), "{e}");

    let not_utf8 = post(&s.url("/v1/evaluate"), "application/json", Bytes::from_static(b"{\"id\": \"\xff\"}")).await;
    assert_eq!((not_utf8.status, not_utf8.json()["error"]["column"].as_u64()), (StatusCode::BAD_REQUEST, Some(9)));
    let empty = post(&s.url("/v1/evaluate"), "application/json", "  ").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let xml = post(&s.url("/v1/evaluate"), "application/xml", "<claim/>").await;
    assert_eq!(xml.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let big = post(&s.url("/v1/evaluate"), "application/json", vec![b' '; 5000]).await;
    assert_eq!(
        (big.status, big.json()["error"]["kind"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    // Without a Content-Length (chunked), the limit holds as the body comes.
    let chunked = raw_exchange(s.addr, &chunked_request(5000));
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");

    let four = (0..4).map(|i| hd_claim(&format!("C{i}"))).collect::<Vec<_>>().join("\n");
    let many = post(&s.url("/v1/evaluate"), "application/x-ndjson", four).await;
    assert_eq!(
        (many.status, many.json()["error"]["kind"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_many_claims"))
    );
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

fn chunked_request(size: usize) -> Vec<u8> {
    let mut r = b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..size / 1000 {
        r.extend_from_slice(b"3e8\r\n");
        r.extend(std::iter::repeat_n(b' ', 1000));
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(b"0\r\n\r\n");
    r
}

/// Sends raw bytes and reads the answer to the end (the request says `Connection: close`).
fn raw_exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_guard_the_claim_routes_and_leave_the_probes_open() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, "# HOSxP\nsecret-one\nsecret-two\n").unwrap_or_else(|e| panic!("{e}"));
    let mut c = config(&root().join("rules"));
    c.token_file = Some(tokens);
    let s = start(c).await;
    let url = s.url("/v1/evaluate?as_of=2025-05-05");
    let ct = ("content-type", "application/json");

    let none = send(Method::POST, &url, &[ct], hd_claim("A")).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.header("www-authenticate"), "Bearer realm=\"kongtun\"");
    assert!(!none.body.contains("3000.00"));
    let wrong = send(Method::POST, &url, &[ct, ("authorization", "Bearer secret-on")], hd_claim("A")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = send(Method::POST, &url, &[ct, ("authorization", "Bearer secret-two")], hd_claim("A")).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let packs = get(&s.url("/v1/packs")).await;
    assert_eq!(packs.status, StatusCode::UNAUTHORIZED);
    let reload = send(Method::POST, &s.url("/v1/admin/reload"), &[], Bytes::new()).await;
    assert_eq!(reload.status, StatusCode::UNAUTHORIZED);
    for open in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
        assert_eq!(get(&s.url(open)).await.status, StatusCode::OK, "{open}");
    }
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));

    // Without a token file, the same request needs nothing.
    let open = start(config(&root().join("rules"))).await;
    let reply = send(Method::POST, &open.url("/v1/evaluate?as_of=2025-05-05"), &[ct], hd_claim("A")).await;
    assert_eq!(reply.status, StatusCode::OK);
    open.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_address_without_tokens_is_refused() {
    let mut c = config(&root().join("rules"));
    c.addr = SocketAddr::from(([0, 0, 0, 0], 0));
    match Server::bind(c).await {
        Err(ServeError::Unauthenticated { .. }) => {}
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("bound 0.0.0.0 without tokens"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_reload_keeps_the_old_packs_and_a_changed_rate_changes_answers_and_hashes() {
    let rules = rules_copy();
    let s = start(config(rules.path())).await;
    let url = s.url("/v1/evaluate?as_of=2025-05-05");
    let before = post(&url, "application/json", hd_claim("HD")).await;
    assert_eq!(before.json()["payers"][0]["amount"], "3000.00", "{}", before.body);
    let ruleset = before.header("x-kongtun-ruleset");

    let pack = rules.path().join("uc/fy2568.yaml");
    let good = std::fs::read_to_string(&pack).unwrap_or_default();
    assert!(good.contains("hd_session: { value: 1500,"));
    std::fs::write(&pack, good.replace("hd_session: { value: 1500,", "hd_session: { value: [1500,"))
        .unwrap_or_else(|e| panic!("{e}"));
    let failed = post(&s.url("/v1/admin/reload"), "application/json", "").await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", failed.body);
    let report = failed.json();
    assert_eq!((report["reloaded"].as_bool(), report["ruleset"].as_str()), (Some(false), Some(ruleset.as_str())));
    assert!(report["errors"][0]["file"].as_str().is_some_and(|f| f.ends_with("uc/fy2568.yaml")), "{report}");
    let still = post(&url, "application/json", hd_claim("HD")).await;
    assert_eq!(still.body, before.body);
    assert_eq!(still.header("x-kongtun-ruleset"), ruleset);
    let metrics = get(&s.url("/metrics")).await.body;
    assert_eq!(metric(&metrics, "kongtun_pack_reloads_total{result=\"failed\"}"), 1.0);

    std::fs::write(&pack, good.replace("hd_session: { value: 1500,", "hd_session: { value: 1600,"))
        .unwrap_or_else(|e| panic!("{e}"));
    let done = post(&s.url("/v1/admin/reload"), "application/json", "").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["changed"], true);
    let after = post(&url, "application/json", hd_claim("HD")).await;
    assert_eq!(after.json()["payers"][0]["amount"], "3200.00", "{}", after.body);
    assert_ne!(after.header("x-kongtun-ruleset"), ruleset);
    assert_eq!(after.header("x-kongtun-ruleset"), done.json()["ruleset"].as_str().unwrap_or("?"));
    assert_ne!(after.json()["packs"], before.json()["packs"]);
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A request whose body is sent only in part: it holds its place in flight until finished.
struct Slow {
    stream: TcpStream,
    rest: Vec<u8>,
}

impl Slow {
    fn open(addr: SocketAddr, path: &str, body: &str) -> Slow {
        let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let (first, rest) = body.as_bytes().split_at(body.len() / 2);
        stream.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        stream.write_all(first).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.flush();
        Slow { stream, rest: rest.to_vec() }
    }

    fn finish(mut self) -> String {
        self.stream.write_all(&self.rest).unwrap_or_else(|e| panic!("{e}"));
        let mut answer = Vec::new();
        let _ = self.stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

async fn wait_in_flight(state: &State, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while state.metrics.in_flight() < n {
        assert!(Instant::now() < deadline, "only {} requests in flight, waited for {n}", state.metrics.in_flight());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_is_503_with_retry_after_and_a_slow_request_times_out() {
    let mut c = config(&root().join("rules"));
    c.limits.max_in_flight = 1;
    c.limits.timeout = Duration::from_secs(2);
    let s = start(c).await;
    let body = format!("{}\n", hd_claim("SLOW"));
    let holder = tokio::task::spawn_blocking({
        let addr = s.addr;
        let body = body.clone();
        move || {
            let slow = Slow::open(addr, "/v1/evaluate?as_of=2025-05-05", &body);
            std::thread::sleep(Duration::from_millis(2500));
            slow.finish()
        }
    });
    wait_in_flight(&s.state, 1).await;
    let refused = post(&s.url("/v1/evaluate"), "application/json", hd_claim("B")).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
    assert_eq!(
        (refused.header("retry-after"), refused.json()["error"]["kind"].as_str()),
        ("1".into(), Some("overloaded"))
    );
    // The probes are not limited.
    assert_eq!(get(&s.url("/healthz")).await.status, StatusCode::OK);
    let timed_out = holder.await.unwrap_or_default();
    assert!(timed_out.starts_with("HTTP/1.1 503"), "{timed_out}");
    assert!(timed_out.contains("\"kind\":\"timeout\""), "{timed_out}");
    // Its permit is back.
    let after = post(&s.url("/v1/evaluate?as_of=2025-05-05"), "application/json", hd_claim("C")).await;
    assert_eq!(after.status, StatusCode::OK);
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_answers_every_accepted_request() {
    let s = start(config(&root().join("rules"))).await;
    const N: usize = 6;
    let claims: Vec<String> =
        (0..N).map(|r| (0..40).map(|i| format!("{}\n", hd_claim(&format!("R{r}-{i}")))).collect::<String>()).collect();
    // Each request has sent its head and half its body: accepted, in flight.
    let slow: Vec<Slow> = claims.iter().map(|body| Slow::open(s.addr, "/v1/evaluate?as_of=2025-05-05", body)).collect();
    wait_in_flight(&s.state, N as i64).await;
    let addr = s.addr;
    let stopping = tokio::spawn(s.shutdown());
    // Shutdown has begun: new connections are refused...
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(TcpStream::connect(addr).is_err(), "a new connection was accepted after shutdown began");
    // ...and every request in flight is still answered in full.
    let answers = tokio::task::spawn_blocking(move || slow.into_iter().map(Slow::finish).collect::<Vec<String>>())
        .await
        .unwrap_or_default();
    assert_eq!(answers.len(), N);
    for (r, answer) in answers.iter().enumerate() {
        assert!(answer.starts_with("HTTP/1.1 200"), "request {r}: {answer}");
        let records = answer.split("\r\n\r\n").nth(1).unwrap_or_default().lines().count();
        assert_eq!(records, 40, "request {r}");
        assert!(answer.contains(&format!("\"id\":\"R{r}-39\"")));
    }
    match tokio::time::timeout(Duration::from_secs(30), stopping).await {
        Ok(Ok(Ok(()))) => {}
        other => panic!("the server did not stop cleanly: {other:?}"),
    }
    assert!(TcpStream::connect(addr).is_err(), "still accepting after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_claim_schema_lists_the_fields_the_reader_knows() {
    // The reader names every field it accepts when it meets an unknown one; the OpenAPI
    // claim schema must list the same.
    let s = start(config(&root().join("rules"))).await;
    let doc = kongtun_server::openapi::document();
    let claim = &doc["components"]["schemas"]["Claim"];
    let cases = [
        (hd_claim("F").replacen("{", "{\"zzz\":1,", 1), &claim["properties"]),
        (
            hd_claim("F").replace(r#""qty":"2""#, r#""qty":"2","zzz":1"#),
            &claim["properties"]["items"]["items"]["properties"],
        ),
        (
            hd_claim("F").replacen("{", r#"{"accident":{"date":"2025-04-08","zzz":1},"#, 1),
            &claim["properties"]["accident"]["properties"],
        ),
    ];
    for (body, properties) in cases {
        let reply = post(&s.url("/v1/validate"), "application/json", body).await;
        let message = reply.json()["error"]["message"].as_str().unwrap_or_default().to_string();
        let listed = message.split("expected one of: ").nth(1).unwrap_or_else(|| panic!("{message}"));
        let mut known: Vec<&str> = listed.split(", ").map(str::trim).collect();
        known.sort_unstable();
        let mut schema: Vec<&str> =
            properties.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        schema.sort_unstable();
        assert_eq!(schema, known, "{message}");
    }
    s.shutdown().await.unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_committed_openapi_document_is_fresh() {
    kongtun_testkit::snapshot::assert_matches(&root().join("docs/openapi.json"), kongtun_server::openapi::text());
    let doc = kongtun_server::openapi::document();
    for route in kongtun_server::routes::ROUTES {
        let op = &doc["paths"][route.path][route.method.to_ascii_lowercase()];
        assert!(op.is_object(), "{} {} is not described", route.method, route.path);
    }
}
