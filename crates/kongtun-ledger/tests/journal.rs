//! The journal on the MOPH chart of accounts over the shipped sample books: every entry
//! balances, the receivable accounts equal the aging to the satang, each receivable lands on
//! the account its fund, setting and place give, and the ReportRatio figures by hand.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::money::Money;
use kongtun_ledger::accounts::Charts;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::receivable::{read_evaluated, Ledger};
use kongtun_ledger::report::{Aging, CollectionRatio, Journal, TrialBalance};
use kongtun_ledger::Book;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(name: &str) -> PathBuf {
    root().join("examples/receivables").join(name)
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 30).expect("date")
}

fn book() -> Book {
    let claims = [sample("evaluated-fy2566-2567.jsonl"), sample("evaluated-fy2568.jsonl")];
    let claims: Vec<&Path> = claims.iter().map(PathBuf::as_path).collect();
    Book::from_files(&claims, &[&sample("statements.csv")], &[&sample("events.jsonl")], as_of())
}

fn charts() -> &'static Charts {
    static CHARTS: std::sync::OnceLock<Charts> = std::sync::OnceLock::new();
    CHARTS.get_or_init(|| Charts::load(&root().join("rules")).expect("the chart of accounts loads"))
}

fn m(s: &str) -> Money {
    s.parse().expect("amount")
}

#[test]
fn every_entry_balances_and_the_receivable_accounts_equal_the_aging() {
    let book = book();
    let charts = charts();
    let j = Journal::of(&book, charts, NaiveDate::from_ymd_opt(2022, 10, 1).expect("date"));
    assert!(j.errors.is_empty(), "{:?}", j.errors);
    assert_eq!(j.debit, j.credit);
    let entries = j.lines.last().expect("lines").entry;
    for n in 1..=entries {
        let (d, c) = j
            .lines
            .iter()
            .filter(|l| l.entry == n)
            .fold((Money::ZERO, Money::ZERO), |(d, c), l| (d + l.debit, c + l.credit));
        assert_eq!(d, c, "entry {n}");
        assert!(!d.is_zero(), "entry {n} moves nothing");
    }
    let tb = TrialBalance::of(&book, charts);
    assert!(tb.errors.is_empty(), "{:?}", tb.errors);
    let policies = Policies::load(&root().join("rules")).expect("policy");
    let aging = Aging::of(&book, policies.in_force(as_of()).expect("policy"));
    assert_eq!(tb.receivables, aging.total);
    assert_eq!(tb.receivables, m("622610"));
    let (debit, credit) = tb.rows.iter().fold((Money::ZERO, Money::ZERO), |(d, c), r| (d + r.debit, c + r.credit));
    assert_eq!(debit, credit);
    // The cash account holds every payment received: statements and the patients'.
    let cash = tb.rows.iter().find(|r| r.account == "1101030102.101").expect("cash");
    assert_eq!(cash.balance, m("1009654"));
}

#[test]
fn a_period_takes_only_its_movements() {
    let book = book();
    let from = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
    let j = Journal::of(&book, charts(), from);
    assert!(j.lines.iter().all(|l| l.date >= from && l.date <= as_of()));
    assert_eq!(j.debit, j.credit);
    let all = Journal::of(&book, charts(), NaiveDate::from_ymd_opt(2022, 10, 1).expect("date"));
    assert!(j.lines.len() < all.lines.len());
}

/// A ledger of one claim, from its evaluate record.
fn one(record: &str) -> Book {
    let read = read_evaluated(record, "c.jsonl");
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let mut ledger = Ledger::new();
    for row in read.rows {
        ledger.open(row.value).expect("opens");
    }
    Book { ledger, as_of: as_of(), errors: Vec::new(), later_events: 0, already_posted: 0 }
}

fn record(fund: &str, setting: &str, place: &str, payer: &str) -> String {
    format!(
        r#"{{"id":"C1","fund":"{fund}","setting":"{setting}","service_date":"2025-03-01","claim_date":"2025-03-01","fiscal_year":2568,{place}"charged":"1000.00","payers":[{{"payer":"{payer}","amount":"1000.00","status":"claimable"}}],"patient":"0.00","penalty":"0.00","difference":"0.00"}}"#
    )
}

fn account(fund: &str, setting: &str, place: &str, payer: &str) -> String {
    let book = one(&record(fund, setting, place, payer));
    let j = Journal::of(&book, charts(), NaiveDate::from_ymd_opt(2024, 10, 1).expect("date"));
    assert!(j.errors.is_empty(), "{:?}", j.errors);
    j.lines.iter().find(|l| l.debit > Money::ZERO).map(|l| l.account.clone()).expect("a debit")
}

#[test]
fn each_receivable_lands_on_its_account() {
    let inside = r#""hcode":"10703","hospmain":"10703","#;
    let outside = r#""hcode":"10703","hospmain":"11111","#;
    let refer = r#""hcode":"10703","hospmain":"11111","visit_type":"refer_out_of_province","#;
    let emergency = r#""hcode":"10703","hospmain":"11111","visit_type":"emergency","#;
    for (fund, setting, place, payer, want) in [
        ("UC", "op", inside, "UC", "1102050101.201"),
        ("UC", "op", "", "UC", "1102050101.201"),
        ("UC", "op", outside, "UC", "1102050101.203"),
        ("UC", "op", refer, "UC", "1102050101.222"),
        ("UC", "ip", outside, "UC", "1102050101.202"),
        ("SSS", "op", inside, "SSS", "1102050101.301"),
        ("SSS", "op", outside, "SSS", "1102050101.303"),
        ("SSS", "ip", inside, "SSS", "1102050101.302"),
        ("SSS", "ip", outside, "SSS", "1102050101.304"),
        ("SSS", "op", emergency, "SSS", "1102050101.308"),
        ("SSS", "op", inside, "WCF", "1102050101.307"),
        ("CSMBS", "op", "", "CSMBS", "1102050101.401"),
        ("CSMBS", "ip", "", "CSMBS", "1102050101.402"),
        ("LGO", "op", "", "LGO", "1102050102.801"),
        ("LGO", "ip", "", "LGO", "1102050102.802"),
        ("UC", "op", "", "PRB", "1102050102.602"),
        ("UC", "ip", "", "PRB", "1102050102.603"),
        ("SELF", "op", "", "SELF", "1102050102.106"),
        ("SELF", "ip", "", "SELF", "1102050102.107"),
    ] {
        assert_eq!(account(fund, setting, place, payer), want, "{fund} {setting} {place} {payer}");
    }
}

#[test]
fn a_receivable_no_rule_fits_is_named_not_dropped() {
    let book = one(&record("XYZ", "op", "", "XYZ"));
    let j = Journal::of(&book, charts(), NaiveDate::from_ymd_opt(2024, 10, 1).expect("date"));
    assert!(j.lines.is_empty());
    assert_eq!(j.errors.len(), 1);
    assert!(
        j.errors[0].contains("claim C1: no account of moph-receivables@2567 fits the receivable of payer XYZ"),
        "{}",
        j.errors[0]
    );
}

#[test]
fn the_collection_ratio_follows_the_moph_formula() {
    let r = CollectionRatio::of(&book(), charts());
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.months, 12);
    let uc = r.rows.iter().find(|x| x.group == "UC").expect("UC");
    // UC-IP (.202) only in the samples: opening 49,500 (FY2566-2567 claims still open on
    // 30 Sep 2024), closing 182,460; revenue = UC-IP set up in FY2568.
    assert_eq!((uc.opening, uc.closing, uc.average), (m("49500"), m("182460"), m("115980")));
    assert_eq!(uc.revenue, m("520139"));
    // 115,980 / 520,139 x 30 x 12 = 80.27 -> 80.3
    assert_eq!(uc.days.map(|d| d.to_string()), Some("80.3".into()));
    // September is month 12, October month 1.
    let oct = Book::from_files(&[], &[], &[], NaiveDate::from_ymd_opt(2024, 10, 31).expect("date"));
    assert_eq!(CollectionRatio::of(&oct, charts()).months, 1);
}
