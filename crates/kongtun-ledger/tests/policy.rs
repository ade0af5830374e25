//! The collection policy pack: what it holds, and every way it can be wrong, with its line.

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_ledger::policy::Policies;

const GOOD: &str = "kind: collection-policy
id: collection
version: \"2568\"
effective: { from: 2024-10-01, to: 2025-09-30 }
age_bands: [30, 60, 90, 180, 365]
collection_period:
  targets: { UC: 60, CSMBS: 60, SSS: 120 }
dunning:
  letters:
    SELF: [30, 60, 90]
    default: [30, 60]
  committee_after_days: 30
";

fn load(files: &[(&str, &str)]) -> Result<Policies, Vec<String>> {
    let sources: Vec<(String, String)> = files.iter().map(|(f, t)| (f.to_string(), t.to_string())).collect();
    Policies::from_sources(&sources).map_err(|e| e.iter().map(ToString::to_string).collect())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn the_version_in_force_gives_bands_targets_and_letters() {
    let p = load(&[("c.yaml", GOOD)]).expect("loads");
    let v = p.in_force(day(2025, 3, 1)).expect("in force");
    assert_eq!(v.band_labels(), ["0-30", "31-60", "61-90", "91-180", "181-365", "> 365"]);
    assert_eq!((v.band_of(0), v.band_of(30), v.band_of(31), v.band_of(365), v.band_of(366)), (0, 0, 1, 4, 5));
    assert_eq!((v.target(&FundId::new("SSS")), v.target(&FundId::new("LGO"))), (Some(120), None));
    assert_eq!(v.letters_for(&FundId::new("SELF")), [30, 60, 90]);
    assert_eq!(v.letters_for(&FundId::new("UC")), [30, 60]);
    let e = p.in_force(day(2025, 10, 1)).expect_err("FY2569 has no version");
    assert!(
        e.to_string().contains("no collection policy in force on 2025-10-01; versions: 2568 2024-10-01..2025-09-30"),
        "{e}"
    );
}

#[test]
fn a_wrong_policy_is_reported_with_its_file_and_line() {
    let typo = GOOD.replace("committee_after_days", "committee_after_day");
    let e = load(&[("c.yaml", &typo)]).expect_err("unknown key");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("c.yaml:12:") && e[0].contains("unknown field `committee_after_day`"), "{e:?}");

    let bands = GOOD.replace("[30, 60, 90, 180, 365]", "[30, 30, 90]");
    let e = load(&[("c.yaml", &bands)]).expect_err("bands");
    assert!(e[0].contains("age_bands: expected upper bounds in days above 0, strictly increasing"), "{e:?}");

    let letters = GOOD.replace("SELF: [30, 60, 90]", "SELF: [30, 60, 90, 120]");
    let e = load(&[("c.yaml", &letters)]).expect_err("letters");
    assert!(e[0].contains("dunning.letters.SELF: expected 1 to 3 letters"), "{e:?}");

    let next = GOOD.replace("version: \"2568\"", "version: \"2569\"").replace("to: 2025-09-30", "to: 2026-09-30");
    let e = load(&[("a.yaml", GOOD), ("b.yaml", &next)]).expect_err("overlap");
    assert!(e[0].starts_with("b.yaml:4:"), "{e:?}");
    assert!(e[0].contains("collection@2569: effective range overlaps version 2568 in a.yaml"), "{e:?}");
}

#[test]
fn other_documents_are_left_alone() {
    let fund_pack = "kind: fund-pack\nid: uc\n";
    let not_yaml = "kind: fund-pack\n  bad: [";
    let p = load(&[("c.yaml", GOOD), ("uc.yaml", fund_pack), ("broken.yaml", not_yaml)]).expect("loads");
    assert_eq!(p.versions().len(), 1);
}
