//! Writes generated claims as JSON Lines, for load tests of `kongtun evaluate`:
//!
//! ```text
//! cargo run --release --example generate_claims -- 1000000 > claims.jsonl
//! cargo run --release --example generate_claims -- 1000 --seed 7 > small.jsonl
//! cargo run --release --example generate_claims -- 10000 --fiscal-year 2569 > fy2569.jsonl
//! ```
//!
//! Claims are varied (every fund, OP and IP, every special item; see `kongtun_testkit::generate`),
//! deterministic for a seed (default 2568), in FY2568 unless `--fiscal-year` moves them
//! (every date by whole years).

use std::io::{BufWriter, Write};

use kongtun_testkit::generate::{shift_years, ClaimGenerator};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut count: u64 = 1000;
    let mut seed: u64 = 2568;
    let mut year: i32 = 2568;
    while let Some(arg) = args.next() {
        let parsed = if arg == "--seed" {
            args.next().and_then(|s| s.parse().ok()).map(|s| seed = s)
        } else if arg == "--fiscal-year" {
            args.next().and_then(|s| s.parse().ok()).map(|y| year = y)
        } else {
            arg.parse().ok().map(|n| count = n)
        };
        if parsed.is_none() {
            eprintln!("usage: generate_claims [COUNT] [--seed N] [--fiscal-year BE]");
            std::process::exit(2);
        }
    }
    let mut gen = ClaimGenerator::new(seed);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    for _ in 0..count {
        let mut claim = gen.any_claim();
        if year != 2568 {
            shift_years(&mut claim, year - 2568);
        }
        let line = match serde_json::to_string(&claim) {
            Ok(line) => line,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        if writeln!(out, "{line}").is_err() {
            // The reader went away (e.g. `| head`): stop quietly.
            return;
        }
    }
    let _ = out.flush();
}
