//! Claims written as a 16-file set and read back: the same claims, as far as the format can
//! say them, and the same money under the seed packs.

mod common;

use std::sync::LazyLock;

use chrono::NaiveDate;
use common::{read_set, root, Out};
use kongtun_core::category::ChargeCategory;
use kongtun_core::claim::{CaseStatus, Claim, Line, Setting};
use kongtun_core::money::Money;
use kongtun_eclaim::adjrw::AdjRwTable;
use kongtun_eclaim::codemap::CodeMap;
use kongtun_eclaim::export::SetWriter;
use kongtun_eclaim::import::Options;
use kongtun_eclaim::source::SetFiles;
use kongtun_rules::Engine;
use kongtun_testkit::generate::ClaimGenerator;
use proptest::prelude::*;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::load(root().join("rules")).expect("the seed packs load"));

/// The shipped map, and SELF (self-pay has no INSCL in e-Claim; the generator makes it).
fn inscl() -> CodeMap {
    let mut pairs: Vec<(String, String)> =
        common::inscl().codes().map(|(c, v)| (c.to_string(), v.to_string())).collect();
    pairs.push(("SELF".into(), "SELF".into()));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
    CodeMap::new("funds", "funds.yaml", &pairs)
}

/// The claim without what a 16-file set has no place for: `submitted`, an outpatient
/// Adj.RW, an accident's details beyond its date, a drug's serial. An admission's id is its
/// AN (the reader's claim id).
fn carried(mut c: Claim) -> Claim {
    if c.setting == Setting::Ip {
        c.id = c.an.clone().expect("an admission has an AN");
    } else {
        c.adj_rw = None;
    }
    c.submitted = None;
    if let Some(a) = &mut c.accident {
        (a.role, a.counterparty, a.case, a.reference, a.prb_already_paid) =
            (None, false, CaseStatus::Pending, None, None);
    }
    for line in &mut c.items {
        if [3, 4].contains(&line.category.number()) {
            line.serial = None;
        }
    }
    c
}

/// The claim as the reader makes it: ADP lines, then DRU lines, then for each CHRGITEM with
/// flag 2 (in order of first use) one line `CHA-<CHRGITEM>` with the sum of its lines.
fn expected(c: Claim) -> Claim {
    let mut c = carried(c);
    let drug = |l: &Line| [3, 4].contains(&l.category.number());
    let mut items: Vec<Line> = c.items.iter().filter(|l| l.claimable && !drug(l)).cloned().collect();
    items.extend(c.items.iter().filter(|l| l.claimable && drug(l)).cloned());
    let mut pots: Vec<(char, Money)> = Vec::new();
    for l in c.items.iter().filter(|l| !l.claimable) {
        let ch = l.category.chrgitem_char();
        match pots.iter_mut().find(|(c, _)| *c == ch) {
            Some((_, sum)) => *sum += l.charged(),
            None => pots.push((ch, l.charged())),
        }
    }
    for (ch, sum) in pots.into_iter().filter(|(_, s)| !s.is_zero()) {
        items.push(Line {
            code: format!("CHA-{ch}2"),
            category: ChargeCategory::from_chrgitem_char(ch).unwrap(),
            qty: rust_decimal::Decimal::ONE,
            price: sum,
            date: None,
            claimable: false,
            serial: None,
            amount: None,
        });
    }
    c.items = items;
    c
}

/// Writes the claims as a set in memory and reads it back.
fn round_trip(claims: &[Claim]) -> Out {
    let map = inscl();
    let mut writer = SetWriter::in_memory(map.clone());
    for c in claims {
        writer.write(c).unwrap();
    }
    let set = writer.finish_in_memory();
    let mut options = Options::new(map);
    options.adjrw = Some(AdjRwTable::parse(std::str::from_utf8(&set.adjrw).unwrap(), "adjrw.csv").unwrap());
    read_set(SetFiles::from_memory("set", set.files).unwrap(), &options)
}

/// The money of an evaluation: charged, each payer, patient, penalty, difference.
fn money(c: &Claim) -> String {
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    match ENGINE.evaluate(c, as_of) {
        Ok(o) => {
            let payers: Vec<String> =
                o.payers.iter().map(|p| format!("{} {} {:?}", p.payer, p.amount, p.status)).collect();
            format!("{} [{}] {} {} {}", o.charged, payers.join(", "), o.patient, o.penalty, o.difference)
        }
        Err(e) => format!("error {e}"),
    }
}

fn check(claims: Vec<Claim>) {
    let out = round_trip(&claims);
    out.assert_count_in_equals_count_out(claims.len());
    assert_eq!(out.summary.unmatched, 0, "{:?}", out.errors());
    // The reader emits OPD rows, then IPD rows, each in the order written.
    let ordered: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.setting == Setting::Op)
        .chain(claims.iter().filter(|c| c.setting == Setting::Ip))
        .collect();
    for (original, record) in ordered.into_iter().zip(&out.records) {
        let want = expected(original.clone());
        if want.items.is_empty() {
            // Only lines that are not claimable, charging nothing: no line to read back.
            assert!(record.claim.is_err(), "{}", original.id);
            continue;
        }
        let back = record.claim.as_ref().unwrap_or_else(|e| panic!("{} rejected: {e}", original.id));
        assert_eq!(back, &want, "claim {}", original.id);
        assert_eq!(money(back), money(&carried(original.clone())), "money of claim {}", original.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn generated_claims_written_as_16_files_read_back_to_the_same_money(seed in any::<u64>(), n in 1usize..60) {
        let mut g = ClaimGenerator::new(seed);
        check((0..n).map(|_| g.any_claim()).collect());
    }
}

#[test]
fn three_thousand_varied_claims_round_trip() {
    let mut g = ClaimGenerator::new(2568);
    check((0..3_000).map(|_| g.any_claim()).collect());
}

#[test]
fn an_imported_claim_written_back_reads_the_same() {
    let out = common::read_set(SetFiles::open(&root().join("examples/eclaim16")).unwrap(), &common::options());
    let claims: Vec<Claim> = out.records.iter().filter_map(|r| r.claim.clone().ok()).collect();
    let again = round_trip(&claims);
    let back: Vec<Claim> = again.records.iter().map(|r| r.claim.clone().unwrap()).collect();
    let mut want = claims.clone();
    // The writer writes OPD then IPD, like the reader; the example's IP claim is last already.
    want.sort_by_key(|c| c.setting == Setting::Ip);
    assert_eq!(back, want);
}

/// Found by the property test: a free category-16 item (TYPE 3, under CHA G1 of 0.00) beside
/// a typed row charging nothing under another claimable line (E1 of 0.00). The free row
/// belongs to the line no row itemises, not to any line with nothing left.
#[test]
fn a_free_untyped_row_goes_to_the_line_no_row_itemises() {
    let mut g = ClaimGenerator::new(3_666_139_642_817_411_340);
    check((0..48).map(|_| g.any_claim()).collect());
}

/// How the patient came (UCAE) and a work injury (AETYPE O, or B with a road accident) go to
/// AER and come back.
#[test]
fn visit_type_and_work_injury_round_trip_through_aer() {
    use kongtun_core::claim::VisitType;
    let mut g = ClaimGenerator::new(77);
    let kinds = [
        VisitType::Accident,
        VisitType::Emergency,
        VisitType::ReferInProvince,
        VisitType::ReferOutOfProvince,
        VisitType::UnitChange,
        VisitType::Outreach,
    ];
    let claims: Vec<Claim> = (0..24)
        .map(|i| {
            let mut c = g.any_claim();
            c.visit_type = (i % 7 != 6).then(|| kinds[i % 6]);
            c.work_injury = i % 2 == 0;
            c
        })
        .collect();
    check(claims);
}
