//! Writes generated claims as JSON Lines, for load tests of `kongtun evaluate`:
//!
//! ```text
//! cargo run --release --example generate_claims -- 1000000 > claims.jsonl
//! cargo run --release --example generate_claims -- 1000 --seed 7 > small.jsonl
//! cargo run --release --example generate_claims -- 10000 --fiscal-year 2569 > fy2569.jsonl
//! cargo run --release --example generate_claims -- 500 --hcode 10703 --typical > hospital-10703.jsonl
//! ```
//!
//! `--typical` gives ordinary claims (a hospital's mix of funds, ordinary prices) instead of
//! the varied edge cases the tests want.
//!
//! Claims are varied (every fund, OP and IP, every special item; see `kongtun_testkit::generate`),
//! deterministic for a seed (default 2568), in FY2568 unless `--fiscal-year` moves them
//! (every date by whole years).

use std::io::{BufWriter, Write};

use kongtun::model::claim::Setting;
use kongtun_testkit::generate::{shift_years, ClaimGenerator};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut count: u64 = 1000;
    let mut seed: u64 = 2568;
    let mut year: i32 = 2568;
    let mut hcode: Option<String> = None;
    let mut typical = false;
    while let Some(arg) = args.next() {
        let parsed = if arg == "--seed" {
            args.next().and_then(|s| s.parse().ok()).map(|s| seed = s)
        } else if arg == "--typical" {
            typical = true;
            Some(())
        } else if arg == "--hcode" {
            args.next().map(|h| hcode = Some(h))
        } else if arg == "--fiscal-year" {
            args.next().and_then(|s| s.parse().ok()).map(|y| year = y)
        } else {
            arg.parse().ok().map(|n| count = n)
        };
        if parsed.is_none() {
            eprintln!("usage: generate_claims [COUNT] [--seed N] [--fiscal-year BE] [--hcode CODE] [--typical]");
            std::process::exit(2);
        }
    }
    let mut gen = ClaimGenerator::new(seed);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    // A hospital's mix of funds for --typical, by weight (of 100): UC 60, CSMBS 10, SSS 12,
    // LGO 6, SELF 12; one admission in five.
    let mut pick = seed;
    let mut next = move |below: u64| {
        pick = pick.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (pick >> 33) % below
    };
    for _ in 0..count {
        let mut claim = if typical {
            let fund = match next(100) {
                0..=59 => "UC",
                60..=69 => "CSMBS",
                70..=81 => "SSS",
                82..=87 => "LGO",
                _ => "SELF",
            };
            let setting = if next(5) == 0 { Setting::Ip } else { Setting::Op };
            let lines = 2 + next(10) as usize;
            gen.typical_claim(fund, setting, lines)
        } else {
            gen.any_claim()
        };
        if year != 2568 {
            shift_years(&mut claim, year - 2568);
        }
        if let Some(h) = &hcode {
            // The hospital gave the care; claim ids stay unique across hospitals.
            claim.hcode = Some(h.clone());
            claim.id = format!("{h}-{year}-{}", claim.id);
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
