//! Criterion benchmarks of the evaluation path (`cargo bench --bench evaluate`).
//!
//! - `claim/*`: one claim through the seed packs, three shapes (OP 5 lines, IP 20 lines,
//!   road-accident IP 30 lines), each measured three ways in the same run: the interpreter
//!   with the trace off (the hot path), with the trace on, and the hand-written baseline
//!   (`baseline.rs`). Throughput is per claim; 512 generated claims per shape, so the branch
//!   predictor cannot learn one claim.
//! - `load/seed-packs`: reading, checking and compiling `rules/`.
//! - `batch/jsonl-1000`: the CLI's inner loop on one core: parse a JSON Lines claim, evaluate,
//!   write the JSON record.
//!
//! PERFORMANCE.md reports the figures and how to read them.

use std::hint::black_box;
use std::path::Path;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kongtun::model::claim::Claim;
use kongtun::model::document::read_json_line;
use kongtun::model::outcome::{Lang, Outcome};
use kongtun::rules::Options;
use kongtun::Engine;
use kongtun_testkit::generate::ClaimGenerator;

#[path = "baseline.rs"]
#[allow(dead_code)] // `finding::bit` serves tests/baseline_agrees.rs
mod baseline;

const PER_SHAPE: usize = 512;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default()
}

fn engine() -> Engine {
    match Engine::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")) {
        Ok(engine) => engine,
        Err(e) => panic!("the seed packs do not load:\n{e}"),
    }
}

fn shapes() -> Vec<(&'static str, Vec<Claim>)> {
    let mut gen = ClaimGenerator::new(2568);
    vec![
        ("op-5", (0..PER_SHAPE).map(|_| gen.op_claim(5)).collect()),
        ("ip-20", (0..PER_SHAPE).map(|_| gen.ip_claim(20)).collect()),
        ("accident-ip-30", (0..PER_SHAPE).map(|_| gen.accident_ip_claim(30)).collect()),
    ]
}

fn claims(c: &mut Criterion) {
    let engine = engine();
    let as_of = as_of();
    for (shape, claims) in shapes() {
        let mut group = c.benchmark_group(format!("claim/{shape}"));
        group.throughput(Throughput::Elements(claims.len() as u64));
        let mut out = Outcome::default();
        for (name, trace) in [("interpreter", false), ("interpreter-trace", true)] {
            group.bench_function(BenchmarkId::new(name, claims.len()), |b| {
                b.iter(|| {
                    for claim in &claims {
                        let done = engine.evaluate_into(black_box(claim), as_of, Options { trace }, &mut out);
                        black_box(done.is_ok());
                    }
                })
            });
        }
        group.bench_function(BenchmarkId::new("baseline", claims.len()), |b| {
            b.iter(|| {
                for claim in &claims {
                    black_box(baseline::evaluate(black_box(claim), as_of));
                }
            })
        });
        group.finish();
    }
}

fn load(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    c.bench_function("load/seed-packs", |b| b.iter(|| black_box(Engine::load(&dir).is_ok())));
}

fn batch(c: &mut Criterion) {
    let engine = engine();
    let as_of = as_of();
    let mut gen = ClaimGenerator::new(1);
    let lines: Vec<String> = (0..1000).map(|_| serde_json::to_string(&gen.any_claim()).unwrap_or_default()).collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(lines.len() as u64));
    let mut out = Outcome::default();
    let mut sink = Vec::with_capacity(1 << 20);
    group.bench_function("jsonl-1000", |b| {
        b.iter(|| {
            sink.clear();
            for (i, line) in lines.iter().enumerate() {
                if let Ok(claim) = read_json_line(line, "bench.jsonl", i + 1).claim {
                    if engine.evaluate_into(&claim, as_of, Options { trace: true }, &mut out).is_ok() {
                        out.write_json(Lang::En, &mut sink);
                    }
                }
            }
            black_box(sink.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = claims, load, batch
}
criterion_main!(benches);
