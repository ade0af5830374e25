//! The auditing walkthrough as a test: raising the UC TKA ceiling from 49,800 to 50,000
//! shows the parameter change, +200 per UC TKA claim above the old ceiling, and only those.

use std::path::Path;

use chrono::NaiveDate;
use kongtun::audit::{diff, source};
use kongtun::model::document::read_batch;
use kongtun::model::money::Money;
use kongtun::model::rulebook::Rulebook;
use kongtun::Engine;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn raising_the_uc_tka_ceiling_moves_200_baht_per_uc_tka_claim_above_it() {
    let base_src = source::read(root().join("rules").to_str().expect("utf-8")).expect("seed packs").sources();
    let head_src: Vec<(String, String)> = base_src
        .iter()
        .map(|(name, text)| {
            let text = if name.ends_with("uc/fy2568.yaml") {
                let changed = text.replacen("{ value: 49800,", "{ value: 50000,", 1);
                assert_ne!(&changed, text, "the UC pack declares tka_ceiling as 49800");
                changed
            } else {
                text.clone()
            };
            (name.clone(), text)
        })
        .collect();
    let base = Engine::from_sources(&base_src).expect("base packs");
    let head = Engine::from_sources(&head_src).expect("head packs");
    let claims: Vec<_> = read_batch(&[root().join("examples/claims")])
        .into_iter()
        .map(|r| r.claim.expect("sample claims are valid"))
        .collect();
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");

    let changes = diff::pack_changes(&Rulebook::from_sources(&base_src), &Rulebook::from_sources(&head_src));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].pack, "uc@2568");
    assert_eq!(changes[0].what, "param tka_ceiling");
    assert_eq!((changes[0].old.as_deref(), changes[0].new.as_deref()), (Some("49800"), Some("50000")));

    let impact = diff::impact(&base, &head, changes, &claims, as_of);
    // UC TKA claims priced above 49,800 gain 200 each; UC-IP-TKA-UNCODED (49,000) does not move.
    // ALL-ITEMS-UC has blocking errors, so its 200 is held money, not claimable.
    let ids: Vec<&str> = impact.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ALL-ITEMS-UC", "UC-IP-TKA"]);
    for c in &impact.claims {
        assert_eq!(c.fund, "UC");
        let payer = if c.id == "ALL-ITEMS-UC" { "UC (held)" } else { "UC" };
        let (before, after) = c.buckets[payer];
        assert_eq!(after - before, Money::baht(200), "{}", c.id);
        let (before, after) = c.buckets["difference"];
        assert_eq!(after - before, Money::baht(-200), "{}", c.id);
        assert_eq!(c.buckets.len(), 2, "only UC and the difference move");
        // The hold moves the extra 200 too, booked to the holding check.
        let rules: &[&str] =
            if c.id == "ALL-ITEMS-UC" { &["uc-no-adjrw", "uc-special-items"] } else { &["uc-special-items"] };
        assert_eq!(c.rules, rules);
        assert_eq!(c.moved, Money::baht(200));
    }
    for bucket in ["UC", "UC (held)"] {
        let uc = impact.buckets.iter().find(|b| b.fund == "UC" && b.bucket == bucket).expect("UC bucket");
        assert_eq!((uc.delta, uc.claims_changed), (Money::baht(200), 1), "{bucket}");
    }
    let moved: Vec<_> = impact.buckets.iter().filter(|b| !b.delta.is_zero()).collect();
    assert_eq!(moved.len(), 3, "only UC's claimable and held amounts and the difference move: {moved:?}");

    let md = diff::markdown(&impact, 10);
    assert!(md.contains("| uc@2568 | param tka_ceiling | changed | `49800` | `50000` |"), "{md}");
    assert!(md.contains("| UC | UC | 324,189.00 | 324,389.00 | +200.00 | 1 |"), "{md}");
    assert!(md.contains("| UC | UC (held) | 211,500.00 | 211,700.00 | +200.00 | 1 |"), "{md}");
}

#[test]
fn unchanged_packs_change_nothing() {
    let src = source::read(root().join("rules").to_str().expect("utf-8")).expect("seed packs");
    let engine = Engine::from_rulebook(&src).expect("packs");
    let claims: Vec<_> =
        read_batch(&[root().join("examples/claims")]).into_iter().filter_map(|r| r.claim.ok()).collect();
    let impact = diff::impact(&engine, &engine, diff::pack_changes(&src, &src), &claims, NaiveDate::MIN);
    assert!(impact.pack_changes.is_empty());
    assert!(!impact.changed());
}
