//! PRB's limits are per victim per accident, not per claim: whatever way a victim's charges
//! are split into claims, batches and evaluation orders, PRB pays at most 30,000 in tier 1
//! and 80,000 in all, and exactly what one claim of all the charges would get.

use std::sync::OnceLock;

use chrono::NaiveDate;
use kongtun::model::claim::Claim;
use kongtun::model::money::Money;
use kongtun::model::outcome::{Bucket, Outcome};
use kongtun::rules::accident::{AccidentKey, AccidentLimits};
use kongtun::rules::Options;
use kongtun::Engine;
use proptest::prelude::*;
use serde_json::json;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).expect("seed packs"))
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).expect("date")
}

/// The accident every claim follows: role, counterparty and case status.
#[derive(Clone, Debug)]
struct Accident {
    role: &'static str,
    counterparty: bool,
    case: &'static str,
}

/// One claim of the victim: fund, in-patient, day offset after the accident, lines as
/// (price in baht, claimable).
type Part = (&'static str, bool, i64, Vec<(u32, bool)>);

fn claim(id: usize, hn: &str, accident: &Accident, (fund, ip, day, lines): &Part) -> Claim {
    let accident_date = NaiveDate::from_ymd_opt(2025, 1, 10).expect("date");
    let service = accident_date + chrono::Duration::days(*day);
    let discharge = service + chrono::Duration::days(3);
    let items: Vec<_> = lines
        .iter()
        .map(|(price, claimable)| json!({"code": "TREATMENT", "category": 11, "qty": "1", "price": format!("{price}.00"), "claimable": claimable}))
        .collect();
    let mut v = json!({
        "id": format!("C{id}"),
        "hn": hn,
        "setting": if *ip { "ip" } else { "op" },
        "fund": fund,
        "service_date": service.to_string(),
        "submitted": (service + chrono::Duration::days(5)).to_string(),
        "diagnoses": ["V43.5"],
        "adj_rw": "1.5",
        "accident": {"date": accident_date.to_string(), "role": accident.role, "counterparty": accident.counterparty, "case": accident.case},
        "items": items,
    });
    if *ip {
        v["an"] = json!(format!("AN{id}"));
        v["discharge_date"] = json!(discharge.to_string());
    }
    serde_json::from_value(v).expect("a valid claim")
}

/// PRB's total on an outcome (claimable, pending and held), and its tier-1 part.
fn prb(o: &Outcome) -> (Money, Money) {
    let total = o.payers.iter().filter(|p| p.payer.as_str() == "PRB").map(|p| p.amount).sum();
    let tier1 = o
        .trace
        .iter()
        .filter(|t| &*t.rule == "prb-tier1" && matches!(&t.bucket, Bucket::Payer(f) if f.as_str() == "PRB"))
        .map(|t| t.amount)
        .sum();
    (total, tier1)
}

fn accidents() -> impl Strategy<Value = Accident> {
    (
        prop_oneof![Just("driver"), Just("passenger"), Just("pedestrian")],
        any::<bool>(),
        prop_oneof![Just("pending"), Just("entitled"), Just("not_entitled")],
    )
        .prop_map(|(role, counterparty, case)| Accident { role, counterparty, case })
}

fn parts() -> impl Strategy<Value = Vec<Part>> {
    let part = (
        prop_oneof![Just("UC"), Just("CSMBS"), Just("LGO"), Just("SSS"), Just("SELF")],
        any::<bool>(),
        0i64..120,
        prop::collection::vec((1u32..40_000, prop::bool::weighted(0.85)), 1..4),
    );
    prop::collection::vec(part, 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Split into claims, shuffled, cut into two batches: PRB pays tier 1 at most 30,000 and
    /// 80,000 in all, exactly what it owes on all the charges together.
    #[test]
    fn prb_limits_hold_across_any_split(
        accident in accidents(),
        parts in parts(),
        order in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
        cut in 0usize..6,
    ) {
        let claims: Vec<Claim> = parts.iter().enumerate().map(|(i, p)| claim(i, "0042", &accident, p)).collect();
        // Any order in the batch: the engine sorts one accident's claims by date.
        let mut refs: Vec<&Claim> = claims.iter().collect();
        let mut seed = order;
        for i in (1..refs.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            refs.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let cut = cut.min(refs.len());
        let mut limits = AccidentLimits::new();
        let mut outcomes = engine().evaluate_batch(&refs[..cut], as_of(), Options { trace: true }, &mut limits);
        outcomes.extend(engine().evaluate_batch(&refs[cut..], as_of(), Options { trace: true }, &mut limits));
        let (mut total, mut tier1) = (Money::ZERO, Money::ZERO);
        for o in &outcomes {
            let o = o.as_ref().expect("evaluates");
            prop_assert!(o.balances(), "{}", o.id);
            let (t, t1) = prb(o);
            total += t;
            tier1 += t1;
        }
        prop_assert!(tier1 <= Money::baht(30_000), "tier 1 {tier1}");
        prop_assert!(total <= Money::baht(80_000), "PRB {total}");
        // PRB covers every line charged, claimable by the main fund or not.
        let charged: Money = claims.iter().flat_map(|c| &c.items).map(|l| l.charged()).sum();
        let lone_driver = accident.role == "driver" && !accident.counterparty;
        let tier2 = if lone_driver || accident.case == "not_entitled" { Money::ZERO } else { Money::baht(50_000) };
        let owed = charged.min(Money::baht(30_000) + tier2);
        // UC pays ahead of a pending tier 2 (its hand-off), so PRB may be owed less.
        let uc_pays_ahead = accident.case == "pending" && parts.iter().any(|p| p.0 == "UC");
        if uc_pays_ahead {
            prop_assert!(total <= owed, "PRB {total} > {owed}");
        } else {
            prop_assert_eq!(total, owed);
        }
        prop_assert_eq!(limits.taken(&AccidentKey::of(&claims[0]).expect("an accident claim")), total);
    }
}

/// The case: an OP visit of 10,000 and an admission of 34,200 after one accident get
/// 30,000 of tier 1 between them, not 40,000 (CSMBS, which waits for the case: tier 2 is
/// pending for the rest).
#[test]
fn a_visit_and_an_admission_share_tier_one() {
    let accident = Accident { role: "passenger", counterparty: true, case: "pending" };
    let visit = claim(1, "0042", &accident, &("CSMBS", false, 0, vec![(10_000, true)]));
    let stay = claim(2, "0042", &accident, &("CSMBS", true, 1, vec![(34_200, true)]));
    // The admission comes first in the batch: the visit, a day earlier, is evaluated first.
    let mut limits = AccidentLimits::new();
    let out = engine().evaluate_batch(&[&stay, &visit], as_of(), Options { trace: true }, &mut limits);
    let (stay_o, visit_o) = (out[0].as_ref().expect("stay"), out[1].as_ref().expect("visit"));
    assert_eq!(prb(visit_o), (Money::baht(10_000), Money::baht(10_000)));
    // 20,000 of tier 1 left, then tier 2 (pending while the case is open) for the rest.
    assert_eq!(prb(stay_o), (Money::baht(34_200), Money::baht(20_000)));
    assert_eq!(stay_o.primary_taken_before, Money::baht(10_000));
    // Another victim of the same crash has limits of their own.
    let other = claim(3, "0043", &accident, &("UC", false, 0, vec![(10_000, true)]));
    let o = engine().evaluate_batch(&[&other], as_of(), Options { trace: true }, &mut limits);
    assert_eq!(prb(o[0].as_ref().expect("other")).1, Money::baht(10_000));
}

/// The victim's citizen id and the accident reference as people type them (dashes, spaces,
/// letter case) are one victim and one accident: tier 1 is paid once (before, 40,000).
#[test]
fn ids_typed_differently_are_one_victim_and_one_accident() {
    let accident = Accident { role: "passenger", counterparty: true, case: "pending" };
    let mut visit = claim(1, "0042", &accident, &("CSMBS", false, 0, vec![(10_000, true)]));
    let mut stay = claim(2, "0099", &accident, &("CSMBS", true, 1, vec![(34_200, true)]));
    visit.cid = Some("3-1007-00123-45-6".into());
    stay.cid = Some(" 3100700123456".into());
    for (c, reference) in [(&mut visit, "pol-2568 0611"), (&mut stay, "POL-2568-0611")] {
        if let Some(a) = c.accident.as_mut() {
            a.reference = Some(reference.into());
        }
    }
    let mut limits = AccidentLimits::new();
    let out = engine().evaluate_batch(&[&visit, &stay], as_of(), Options { trace: true }, &mut limits);
    let tier_one: Money = out.iter().map(|o| prb(o.as_ref().expect("evaluated")).1).sum();
    assert_eq!(tier_one, Money::baht(30_000));
}

/// Claims of earlier batches come in through the accident's `prb_already_paid`.
#[test]
fn already_paid_is_taken_from_tier_one_first() {
    let accident = Accident { role: "driver", counterparty: false, case: "pending" };
    let mut c = claim(1, "0042", &accident, &("UC", false, 0, vec![(10_000, true)]));
    c.accident.as_mut().expect("accident").prb_already_paid = Some(Money::baht(25_000));
    let o = engine().evaluate(&c, as_of()).expect("evaluates");
    // A lone driver gets tier 1 only: 5,000 left of it.
    assert_eq!(prb(&o), (Money::baht(5_000), Money::baht(5_000)));
    assert!(o.balances());
    c.accident.as_mut().expect("accident").prb_already_paid = Some(Money::baht(30_000));
    assert_eq!(prb(&engine().evaluate(&c, as_of()).expect("evaluates")).0, Money::ZERO);
}

/// The evaluation order: one accident's claims by date where the first of them stood, each
/// claim once, others untouched.
#[test]
fn the_order_groups_an_accident_by_date_and_keeps_every_claim() {
    let accident = Accident { role: "passenger", counterparty: true, case: "entitled" };
    let late = claim(1, "0042", &accident, &("UC", false, 30, vec![(100, true)]));
    let mut plain = claim(2, "0099", &accident, &("UC", false, 0, vec![(100, true)]));
    plain.accident = None;
    let early = claim(3, "0042", &accident, &("UC", false, 2, vec![(100, true)]));
    let order = AccidentLimits::order(&[&late, &plain, &early]);
    assert_eq!(order, [2, 0, 1]);
}
