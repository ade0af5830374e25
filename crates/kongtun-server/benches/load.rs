//! Load on `kongtun serve`, measured from a second process on the same machine (a
//! measurement, not a test: nothing here is asserted). See PERFORMANCE.md.
//!
//!     cargo bench -p kongtun-server --bench load -- --seconds 30 --connections 32
//!     cargo bench -p kongtun-server --bench load -- --seconds 30 --reloads 100
//!
//! The bench starts itself again as the server (`--serve`: the seed packs, loopback, an
//! ephemeral port), then keeps `--connections` HTTP/1.1 keep-alive connections busy with
//! `POST /v1/evaluate` of one IP-20 claim each (512 generated UC admissions of 20 lines,
//! seed 2568, in turn; the trace on, as the CLI's JSON). With `--reloads N` it also sends
//! N `POST /v1/admin/reload` spread over the run. It prints requests/s, latency
//! percentiles, and every request that failed. Loopback only; bounded in time.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

struct Args {
    seconds: u64,
    warmup: u64,
    connections: usize,
    reloads: u64,
    trace: bool,
    server_threads: usize,
    client_threads: usize,
}

fn args() -> Args {
    let mut a =
        Args { seconds: 10, warmup: 2, connections: 32, reloads: 0, trace: true, server_threads: 2, client_threads: 2 };
    let argv: Vec<String> = std::env::args().collect();
    let value =
        |name: &str| argv.iter().position(|x| x == name).and_then(|i| argv.get(i + 1)).and_then(|v| v.parse().ok());
    if let Some(v) = value("--seconds") {
        a.seconds = v;
    }
    if let Some(v) = value("--warmup") {
        a.warmup = v;
    }
    if let Some(v) = value("--connections") {
        a.connections = v as usize;
    }
    if let Some(v) = value("--reloads") {
        a.reloads = v;
    }
    if let Some(v) = value("--server-threads") {
        a.server_threads = v as usize;
    }
    if let Some(v) = value("--client-threads") {
        a.client_threads = v as usize;
    }
    if argv.iter().any(|x| x == "--no-trace") {
        a.trace = false;
    }
    a
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The server side: `load --serve THREADS` prints its address, serves until stdin closes.
fn serve(threads: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(threads.max(1)).enable_all().build();
    let Ok(runtime) = runtime else { return };
    runtime.block_on(async {
        let mut config = kongtun_server::Config::new(root().join("rules"));
        config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        config.limits.max_in_flight = 1024;
        let Ok(server) = kongtun_server::Server::bind(config).await else { return };
        println!("{}", server.local_addr());
        let stop = async {
            let _ = tokio::task::spawn_blocking(|| std::io::Read::read(&mut std::io::stdin(), &mut [0u8; 1])).await;
        };
        let _ = server.serve(stop).await;
    });
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if let Some(i) = argv.iter().position(|a| a == "--serve") {
        serve(argv.get(i + 1).and_then(|t| t.parse().ok()).unwrap_or(2));
        return;
    }
    let a = args();
    let Ok(exe) = std::env::current_exe() else { return };
    let child = Command::new(exe)
        .args(["--serve", &a.server_threads.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("cannot start the server");
        return;
    };
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line);
    }
    let Ok(addr) = line.trim().parse::<SocketAddr>() else {
        eprintln!("the server did not start: {line}");
        let _ = child.kill();
        let _ = child.wait();
        return;
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(a.client_threads.max(1)).enable_all().build();
    if let Ok(runtime) = runtime {
        runtime.block_on(load(addr, &a));
    }
    drop(child.stdin.take()); // the server stops when its stdin closes
    let _ = child.wait();
}

/// One keep-alive connection.
async fn connect(addr: SocketAddr) -> Option<hyper::client::conn::http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.ok()?;
    tokio::spawn(connection);
    Some(sender)
}

async fn load(addr: SocketAddr, a: &Args) {
    let mut generator = kongtun_testkit::generate::ClaimGenerator::new(2568);
    let claims: Arc<Vec<Bytes>> = Arc::new(
        (0..512).map(|_| Bytes::from(serde_json::to_vec(&generator.ip_claim(20)).unwrap_or_default())).collect(),
    );
    let path = format!("/v1/evaluate?as_of=2025-10-15{}", if a.trace { "" } else { "&trace=false" });
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in 0..a.connections {
        let (claims, path, measuring, stop, failed) =
            (Arc::clone(&claims), path.clone(), Arc::clone(&measuring), Arc::clone(&stop), Arc::clone(&failed));
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::with_capacity(1 << 20);
            let Some(mut sender) = connect(addr).await else {
                failed.fetch_add(1, Ordering::Relaxed);
                return latencies;
            };
            let mut i = c * 17;
            while !stop.load(Ordering::Relaxed) {
                let body = claims[i % claims.len()].clone();
                i += 1;
                let request = Request::post(path.as_str())
                    .header("host", "127.0.0.1")
                    .header("content-type", "application/json")
                    .body(Full::new(body));
                let Ok(request) = request else { continue };
                let started = Instant::now();
                let ok = match sender.send_request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.into_body().collect().await;
                        status == 200 && body.is_ok_and(|b| b.to_bytes().starts_with(b"{\"id\":"))
                    }
                    Err(_) => false,
                };
                let micros = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                if measuring.load(Ordering::Relaxed) {
                    latencies.push(micros);
                    if !ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if !ok {
                    match connect(addr).await {
                        Some(s) => sender = s,
                        None => break,
                    }
                }
            }
            latencies
        }));
    }
    tokio::time::sleep(Duration::from_secs(a.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let (reloads_ok, reloads_failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let reloader = (a.reloads > 0).then(|| {
        let every = Duration::from_secs(a.seconds).div_f64(a.reloads as f64 + 1.0);
        let (n, ok, bad) = (a.reloads, Arc::clone(&reloads_ok), Arc::clone(&reloads_failed));
        tokio::spawn(async move {
            let Some(mut sender) = connect(addr).await else { return };
            for _ in 0..n {
                tokio::time::sleep(every).await;
                let request =
                    Request::post("/v1/admin/reload").header("host", "127.0.0.1").body(Full::new(Bytes::new()));
                let Ok(request) = request else { continue };
                let done = match sender.send_request(request).await {
                    Ok(r) => r.status() == 200 && r.into_body().collect().await.is_ok(),
                    Err(_) => false,
                };
                let counter = if done { &ok } else { &bad };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        })
    });
    tokio::time::sleep(Duration::from_secs(a.seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    if let Some(r) = reloader {
        let _ = r.await;
    }
    let mut all: Vec<u32> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        f64::from(all[i]) / 1000.0
    };
    println!(
        "{} connections ({} client threads, {} server threads), {} s (after {} s of warm-up), IP-20 claims, trace {}",
        a.connections,
        a.client_threads,
        a.server_threads,
        a.seconds,
        a.warmup,
        if a.trace { "on" } else { "off" }
    );
    println!("requests  {}  ({:.0} requests/s)", all.len(), all.len() as f64 / elapsed.as_secs_f64());
    println!(
        "latency   p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  p99.9 {:.3} ms  max {:.3} ms",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(0.999),
        pct(1.0)
    );
    println!("failed    {}", failed.load(Ordering::Relaxed));
    if a.reloads > 0 {
        println!(
            "reloads   {} ok, {} failed (of {})",
            reloads_ok.load(Ordering::Relaxed),
            reloads_failed.load(Ordering::Relaxed),
            a.reloads
        );
    }
}
