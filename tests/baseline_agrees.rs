//! The hand-written baseline the benchmarks compare against (`benches/baseline.rs`) computes
//! what the interpreter computes, bucket by bucket and finding by finding, on 10,000 varied
//! generated claims: the speed ratio in PERFORMANCE.md compares equal work.

use chrono::NaiveDate;
use kongtun::model::money::Money;
use kongtun::model::outcome::PayerStatus;
use kongtun::Engine;
use kongtun_testkit::generate::ClaimGenerator;

#[path = "../benches/baseline.rs"]
#[allow(dead_code)] // the baseline's public items are also for the benches
mod baseline;

#[test]
fn baseline_and_interpreter_agree_on_10000_generated_claims() {
    let engine = Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).expect("seed packs");
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");
    let mut gen = ClaimGenerator::new(20_250_930);
    let mut compared = 0;
    for _ in 0..10_000 {
        let claim = gen.any_claim();
        let outcome = engine.evaluate(&claim, as_of).expect("a generated claim evaluates");
        let base = baseline::evaluate(&claim, as_of).expect("the baseline covers every generated claim");
        let payer = |who: &str, status: PayerStatus| -> Money {
            outcome.payers.iter().filter(|p| p.payer.as_str() == who && p.status == status).map(|p| p.amount).sum()
        };
        let main = |status: PayerStatus| -> Money {
            outcome.payers.iter().filter(|p| p.payer.as_str() != "PRB" && p.status == status).map(|p| p.amount).sum()
        };
        let mut findings = 0u16;
        for f in &outcome.findings {
            findings |= baseline::finding::bit(&f.code);
        }
        let got = baseline::Baseline {
            prb_claimable: payer("PRB", PayerStatus::Claimable),
            prb_pending: payer("PRB", PayerStatus::Pending),
            prb_held: payer("PRB", PayerStatus::Held),
            main: main(PayerStatus::Claimable),
            main_held: main(PayerStatus::Held),
            patient: outcome.patient,
            penalty: outcome.penalty,
            difference: outcome.difference,
            findings,
        };
        assert_eq!(got, base, "claim {}:\n{}", claim.id, serde_json::to_string_pretty(&claim).unwrap_or_default());
        compared += 1;
    }
    assert_eq!(compared, 10_000);
}
