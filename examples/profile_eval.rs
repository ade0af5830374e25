//! A fixed workload for instruction counts: 20 passes over 512 generated 20-line UC
//! admissions through the seed packs, trace off.
//!
//! ```text
//! cargo build --release --example profile_eval
//! valgrind --tool=callgrind --toggle-collect='*Engine::evaluate_into*' target/release/examples/profile_eval
//! ```
//!
//! Counted inside `Engine::evaluate_into` only (loading the packs is left out), "I refs"
//! divided by the 10,240 claims is what `PERFORMANCE.md` reports per claim; unlike timings
//! the counts repeat exactly.

use kongtun::model::outcome::Outcome;
use kongtun::rules::Options;
use kongtun_testkit::generate::ClaimGenerator;

fn main() {
    let engine = match kongtun::Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("the seed packs do not load:\n{e}");
            std::process::exit(2);
        }
    };
    let mut gen = ClaimGenerator::new(2568);
    let claims: Vec<_> = (0..512).map(|_| gen.ip_claim(20)).collect();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default();
    let mut out = Outcome::default();
    let mut evaluated = 0;
    for _ in 0..20 {
        for claim in &claims {
            if engine.evaluate_into(claim, as_of, Options { trace: false }, &mut out).is_ok() {
                evaluated += 1;
            }
        }
    }
    println!("{evaluated} claims evaluated");
}
