//! Every report on the shipped sample data (`examples/receivables/`, three fiscal years) as of
//! 30 Sep 2025, with the figures checked by hand to the satang (README shows the same output).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::money::Money;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::report::{Action, Aging, CollectionPeriods, DunningList, Kpis, Reconciliation, Step};
use kongtun_ledger::visits::read_visit_file;
use kongtun_ledger::Book;
use kongtun_rules::Engine;

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
    let book = Book::from_files(&claims, &[&sample("statements.csv")], &[&sample("events.jsonl")], as_of());
    assert!(book.errors.is_empty(), "{:?}", book.errors);
    book
}

fn policies() -> Policies {
    Policies::load(&root().join("rules")).expect("the collection policy loads")
}

fn engine() -> Engine {
    Engine::load(root().join("rules")).expect("seed packs")
}

fn m(s: &str) -> Money {
    s.parse().expect("amount")
}

#[test]
fn aging_by_payer_and_fiscal_year() {
    let policies = policies();
    let a = Aging::of(&book(), policies.in_force(as_of()).expect("policy"));
    assert_eq!(a.fiscal_years.iter().map(ToString::to_string).collect::<Vec<_>>(), ["FY2566", "FY2567", "FY2568"]);
    let rows: Vec<(&str, Vec<Money>, Money, usize)> =
        a.payers.iter().map(|p| (p.payer.as_str(), p.by_year.clone(), p.total, p.count)).collect();
    assert_eq!(
        rows,
        vec![
            ("UC", vec![m("12500"), m("5000"), m("168410")], m("185910"), 6),
            ("CSMBS", vec![m("45000"), m("0"), m("172700")], m("217700"), 3),
            ("SSS", vec![m("0"), m("3000"), m("49800")], m("52800"), 2),
            ("LGO", vec![m("0"), m("7600"), m("0")], m("7600"), 1),
            ("PRB", vec![m("0"), m("30000"), m("56450")], m("86450"), 5),
            ("PATIENT", vec![m("10200"), m("0"), m("61950")], m("72150"), 12),
        ]
    );
    assert_eq!(a.year_totals, vec![m("67700"), m("45600"), m("509310")]);
    assert_eq!((a.total, a.count), (m("622610"), 29));
    assert_eq!(a.bands, ["0-30", "31-60", "61-90", "91-180", "181-365", "> 365"]);
    assert_eq!(a.band_totals, vec![m("3450"), m("86740"), m("550"), m("132620"), m("285950"), m("113300")]);
    // UC by band: UC-OP-CATARACT (27 days), UC-IP-SPINE (41), UC-IP-TKA-UNCODED (177),
    // ALL-ITEMS-UC (235), OLD-UC-2566-01 and the UC part of OLD-PRB-2567-04 (over a year).
    assert_eq!(a.payers[0].by_band, vec![m("3450"), m("86740"), m("0"), m("75720"), m("2500"), m("17500")]);
    let text = a.by_year_table().to_text();
    assert!(text.contains("UC       12,500.00   5,000.00  168,410.00  185,910.00           0.00       6"), "{text}");
    // PRB-SELF-NOECODE has no external-cause code: PRB's 1,350 is held, not money coming.
    let prb = a.payers.iter().find(|p| p.payer.as_str() == "PRB").expect("PRB row");
    assert_eq!((prb.held, a.held), (m("1350"), m("1350")));
    let csv = a.by_year_table().to_csv();
    assert!(
        csv.starts_with(
            "payer,FY2566,FY2567,FY2568,total,of which held,claims\nUC,12500.00,5000.00,168410.00,185910.00,0.00,6\n"
        ),
        "{csv}"
    );
    assert!(csv.ends_with("total,67700.00,45600.00,509310.00,622610.00,1350.00,29\n"), "{csv}");
}

#[test]
fn collection_period_against_the_targets() {
    let policies = policies();
    let c = CollectionPeriods::of(&book(), policies.in_force(as_of()).expect("policy"));
    assert_eq!((c.period_from, c.days), (NaiveDate::from_ymd_opt(2024, 10, 1).expect("date"), 365));
    /// payer, receivables, revenue, days, target, met
    type Row<'a> = (&'a str, Money, Money, Option<String>, Option<u32>, Option<bool>);
    let rows: Vec<Row> = c
        .payers
        .iter()
        .map(|p| (p.payer.as_str(), p.receivables, p.revenue, p.days.map(|d| d.to_string()), p.target, p.met))
        .collect();
    let d = |s: &str| Some(s.to_string());
    assert_eq!(
        rows,
        vec![
            // 185,910 x 365 / 525,089 = 129.23 days against 60
            ("UC", m("185910"), m("525089"), d("129.2"), Some(60), Some(false)),
            ("CSMBS", m("217700"), m("258675"), d("307.2"), Some(60), Some(false)),
            ("SSS", m("52800"), m("218300"), d("88.3"), Some(120), Some(true)),
            ("LGO", m("7600"), m("235580"), d("11.8"), None, None),
            ("PRB", m("86450"), m("166450"), d("189.6"), None, None),
            ("PATIENT", m("72150"), m("69650"), d("378.1"), None, None),
        ]
    );
}

#[test]
fn reconciliation_of_expected_and_paid() {
    let r = Reconciliation::of(&book(), &engine());
    assert_eq!((r.expected, r.paid, r.to_adjust, r.overpaid), (m("1554194"), m("1003454"), m("5500"), m("0")));
    assert_eq!(r.held, m("1350"));
    assert_eq!((r.stuck, r.stuck_amount), ([2, 1, 1], m("333220")));
    let first = &r.rows[0];
    assert_eq!((first.claim.as_str(), first.action), ("UC-IP-TKA-UNCODED", Action::FixAndResend));
    assert_eq!(first.error, Some(("E116".to_string(), kongtun_ledger::receivable::ErrorType::C)));
    // The UC pack's expiry from FY2568: 31 Dec after the fiscal year (NHSO C998).
    assert_eq!((first.deadline.map(|d| d.to_string()), first.days_left), (Some("2025-12-31".into()), Some(92)));
    let action_of = |claim: &str, payer: &str| {
        r.rows.iter().find(|x| x.claim == claim && x.payer.as_str() == payer).map(|x| (x.action, x.balance))
    };
    assert_eq!(action_of("ALL-ITEMS-UC", "UC"), Some((Action::AdjustDifference, m("2500"))));
    assert_eq!(action_of("OLD-SSS-2567-01", "SSS"), Some((Action::AdjustDifference, m("3000"))));
    // Held by the evaluation (no external-cause code): fix before sending, not money coming.
    assert_eq!(action_of("PRB-SELF-NOECODE", "PRB"), Some((Action::FixBeforeSending, m("1350"))));
    // PRB tier 2 is pending while the fault case is open: not a difference to adjust.
    assert_eq!(action_of("PRB-UC-IP-PENDING", "PRB"), Some((Action::AwaitPending, m("50000"))));
    // LGO-IP-VA: paid 63,000 of 63,280 and the 280 adjusted: settled, not listed.
    assert_eq!(action_of("LGO-IP-VA", "LGO"), None);
    // Sent on 2026-10-02, after the as-of date: not sent yet on it.
    assert_eq!(action_of("UC-IP-EXPIRED", "UC"), None, "nothing expected: the evaluation expired it");
    assert_eq!(r.rows.len(), 17);
}

#[test]
fn dunning_letters_and_the_write_off_committee() {
    let policies = policies();
    let d = DunningList::of(&book(), policies.in_force(as_of()).expect("policy"));
    assert_eq!((d.letters_due, d.committee), ([9, 1, 0], (2, m("25200"))));
    let top: Vec<(&str, Step, String, bool)> =
        d.rows.iter().take(3).map(|r| (r.claim.as_str(), r.next, r.due.to_string(), r.due_now)).collect();
    assert_eq!(
        top,
        vec![
            // Self-pay: three letters, the last on 2023-05-22, then 30 days.
            ("OLD-SELF-2566-02", Step::Committee, "2023-06-21".into(), true),
            // The patient's share of a CSMBS claim: two letters.
            ("CSMBS-IP-TKA", Step::Committee, "2025-05-21".into(), true),
            // Letter 1 on 2025-08-08: letter 2 at 60 days (2025-09-05) but 30 days after letter 1.
            ("SELF-OP-01", Step::Letter(2), "2025-09-07".into(), true),
        ]
    );
    assert_eq!(d.rows.len(), 12);
}

#[test]
fn claim_kpis_per_month() {
    let visits: Vec<_> = read_visit_file(&sample("visits.csv")).rows.into_iter().map(|r| r.value).collect();
    let k = Kpis::of(&book(), &visits, &engine());
    let t = &k.total;
    assert_eq!(
        (t.visits, t.missing, t.claims, t.sent, t.delayed, t.expired, t.answered, t.errors),
        (39, 3, 34, 33, 1, 0, 21, 4)
    );
    let pct = |v: Option<rust_decimal::Decimal>| v.map(|d| d.to_string());
    assert_eq!(
        (pct(t.missing_pct), pct(t.delayed_pct), pct(t.expired_pct), pct(t.error_pct)),
        (Some("7.7".into()), Some("3.0".into()), Some("0.0".into()), Some("19.0".into()))
    );
    let feb = k.months.iter().find(|m| m.month == "2025-02").expect("February 2025");
    // VN-680211-0042 has no claim; ALL-ITEMS-CSMBS (D07) and ALL-ITEMS-LGO (C21) were refused.
    assert_eq!((feb.visits, feb.missing, feb.claims, feb.answered, feb.errors), (9, 1, 8, 5, 2));
    let jan = k.months.iter().find(|m| m.month == "2025-01").expect("January 2025");
    assert_eq!(jan.delayed, 1, "UC-IP-LATE: sent 50 days after discharge, window 30");
}

#[test]
fn as_of_an_earlier_day_leaves_later_events_out() {
    let claims = [sample("evaluated-fy2566-2567.jsonl"), sample("evaluated-fy2568.jsonl")];
    let claims: Vec<&Path> = claims.iter().map(PathBuf::as_path).collect();
    let day = NaiveDate::from_ymd_opt(2025, 3, 31).expect("date");
    let book = Book::from_files(&claims, &[&sample("statements.csv")], &[&sample("events.jsonl")], day);
    assert!(book.errors.is_empty(), "{:?}", book.errors);
    assert!(book.later_events > 0);
    // UC-IP-TKA was paid on 2025-04-25: still open on 31 March.
    let uc = book.ledger.receivable("UC-IP-TKA", "UC").expect("opened");
    assert_eq!(uc.open(), m("79025"));
    // Claims dated after the day are not in the books at all.
    assert!(book.ledger.claim("UC-IP-SPINE").is_none());
}
