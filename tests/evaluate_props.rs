//! Property tests that guard the money of an evaluation, over claims from the seeded
//! generator (every fund, OP and IP, accidents, every special item) with prices and
//! quantities drawn by proptest.

use std::sync::OnceLock;

use chrono::{Duration, NaiveDate};
use kongtun::model::money::Money;
use kongtun::model::outcome::{Bucket, Outcome, PayerStatus};
use kongtun::rules::Options;
use kongtun::Engine;
use kongtun_testkit::generate::ClaimGenerator;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).expect("seed packs"))
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).expect("date")
}

fn satang(n: u64) -> Money {
    Money::new(Decimal::new(n as i64, 2)).expect("in range")
}

/// A varied claim from `seed`, with line `pick` (mod the line count) re-priced.
fn claim(seed: u64, pick: usize, price: u64, qty: u32) -> kongtun::model::claim::Claim {
    let mut c = ClaimGenerator::new(seed).any_claim();
    let n = c.items.len();
    let line = &mut c.items[pick % n];
    line.price = satang(price);
    line.qty = Decimal::from(qty);
    c
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    /// Every satang charged lands in exactly one bucket; no payer, patient or penalty amount
    /// is negative (only the difference may be: DRG above the charges); amounts are satang.
    #[test]
    fn money_is_conserved_and_never_negative(seed in any::<u64>(), pick in 0usize..30, price in 0u64..20_000_000, qty in 1u32..20) {
        let c = claim(seed, pick, price, qty);
        let o = engine().evaluate(&c, as_of()).expect("evaluates");
        let charged: Money = c.items.iter().map(|l| l.charged()).sum();
        prop_assert_eq!(o.charged, charged);
        prop_assert!(o.balances(), "{} = {} + {} + {} + {}", o.charged, o.paid_by_payers(), o.patient, o.penalty, o.difference);
        for p in &o.payers {
            prop_assert!(!p.amount.is_negative(), "payer {} {}", p.payer, p.amount);
        }
        prop_assert!(!o.patient.is_negative() && !o.penalty.is_negative());
        for m in o.payers.iter().map(|p| p.amount).chain([o.patient, o.penalty, o.difference]) {
            prop_assert!(m.as_decimal().normalize().scale() <= 2, "{m}");
        }
    }

    /// The trace ties out: each bucket is the sum of its trace entries.
    #[test]
    fn the_trace_adds_up_to_every_bucket(seed in any::<u64>()) {
        let c = ClaimGenerator::new(seed).any_claim();
        let o = engine().evaluate(&c, as_of()).expect("evaluates");
        let sum = |want: &dyn Fn(&Bucket, PayerStatus) -> bool| -> Money {
            o.trace.iter().filter(|t| want(&t.bucket, t.status())).map(|t| t.amount).sum()
        };
        prop_assert_eq!(sum(&|b, _| *b == Bucket::Patient), o.patient);
        prop_assert_eq!(sum(&|b, _| *b == Bucket::Penalty), o.penalty);
        prop_assert_eq!(sum(&|b, _| *b == Bucket::Difference), o.difference);
        for p in &o.payers {
            let traced = sum(&|b, status| matches!(b, Bucket::Payer(f) if *f == p.payer) && status == p.status);
            prop_assert_eq!(traced, p.amount, "payer {}", p.payer);
        }
    }

    /// Caps bound what payers pay: the road-accident insurer at most 30,000 claimable in tier
    /// 1 plus 50,000 in tier 2, and never more than the charges. (The main fund's
    /// DRG is paid per admission and may exceed the charges: that is the negative difference.)
    #[test]
    fn caps_bound_the_payers(seed in any::<u64>(), lines in 1usize..30) {
        let c = ClaimGenerator::new(seed).accident_ip_claim(lines);
        let o = engine().evaluate(&c, as_of()).expect("evaluates");
        let prb: Money = o.payers.iter().filter(|p| p.payer.as_str() == "PRB").map(|p| p.amount).sum();
        prop_assert!(prb <= Money::baht(80_000), "PRB {prb}");
        prop_assert!(o.payer_amount("PRB", PayerStatus::Claimable) <= Money::baht(80_000));
        prop_assert!(prb <= o.charged, "PRB {prb} > charged {}", o.charged);
    }

    /// A UC total knee set is paid at most 49,800 per unit, whatever its price.
    #[test]
    fn the_uc_knee_ceiling_holds(seed in any::<u64>(), price in 0u64..20_000_000, qty in 1u32..4) {
        let mut c = ClaimGenerator::new(seed).typical_claim("UC", kongtun::model::claim::Setting::Ip, 1);
        c.items[0].code = "TKA-SET".into();
        c.items[0].category = kongtun::model::category::ChargeCategory::new(2).expect("category 2");
        c.items[0].serial = Some("SN-1".into());
        c.items[0].price = satang(price);
        c.items[0].qty = Decimal::from(qty);
        let o = engine().evaluate(&c, as_of()).expect("evaluates");
        let tka: Money = o.trace.iter().filter(|t| matches!(&t.bucket, Bucket::Payer(f) if f.as_str() == "UC") && t.lines[..] == [0]).map(|t| t.amount).sum();
        prop_assert!(tka <= Money::baht(49_800).times(Decimal::from(qty)), "UC paid {tka} for {qty} x {}", satang(price));
    }

    /// Sending a claim later never raises what the payers pay (5% late cut, then expiry).
    #[test]
    fn sending_later_never_pays_more(seed in any::<u64>(), a in 0i64..800, b in 0i64..800) {
        let mut c = ClaimGenerator::new(seed).ip_claim(10);
        let (early, late) = (a.min(b), a.max(b));
        c.submitted = Some(c.claim_date() + Duration::days(early));
        let first = engine().evaluate(&c, as_of()).expect("evaluates").paid_by_payers();
        c.submitted = Some(c.claim_date() + Duration::days(late));
        let second = engine().evaluate(&c, as_of()).expect("evaluates").paid_by_payers();
        prop_assert!(second <= first, "sent after {early} days: {first}; after {late} days: {second}");
    }

    /// Evaluation is deterministic, and reusing an outcome buffer changes nothing.
    #[test]
    fn evaluation_is_deterministic_and_buffers_are_clean(seed in any::<u64>()) {
        let mut gen = ClaimGenerator::new(seed);
        let (big, small) = (gen.accident_ip_claim(30), gen.any_claim());
        let fresh = engine().evaluate(&small, as_of()).expect("evaluates");
        prop_assert_eq!(&engine().evaluate(&small, as_of()).expect("again"), &fresh);
        let mut reused = Outcome::default();
        engine().evaluate_into(&big, as_of(), Options { trace: true }, &mut reused).expect("big");
        engine().evaluate_into(&small, as_of(), Options { trace: true }, &mut reused).expect("small");
        prop_assert_eq!(&reused, &fresh);
    }
}

#[test]
fn the_engine_is_shared_across_threads_with_the_same_results() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    let mut gen = ClaimGenerator::new(42);
    let claims: Vec<_> = (0..400).map(|_| gen.any_claim()).collect();
    let serial: Vec<Outcome> = claims.iter().map(|c| engine().evaluate(c, as_of()).expect("evaluates")).collect();
    let parallel: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = claims
            .chunks(100)
            .map(|chunk| {
                s.spawn(move || {
                    chunk.iter().map(|c| engine().evaluate(c, as_of()).expect("evaluates")).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
    });
    assert_eq!(serial, parallel);
}
