//! A generated ledger with known answers: 3,000 claims over FY2566-FY2568, statements (CSV)
//! and patient payments (event log) made by a seeded generator that keeps, as it goes, what
//! every payer still owes. The reports must agree with it to the satang, posting every
//! statement twice must change nothing, and a malformed row is reported while the rest post.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};
use kongtun::ledger::policy::Policies;
use kongtun::ledger::receivable::{read_evaluated, read_events, read_statements, StatementFormat};
use kongtun::ledger::report::{Aging, Kpis, Reconciliation};
use kongtun::ledger::{Book, NoCalendar};
use kongtun::model::calendar::FiscalYear;
use kongtun::model::diagnostic::DiagnosticKind;
use kongtun::model::money::Money;
use kongtun_testkit::generate::SplitMix64;
use rust_decimal::Decimal;

const CLAIMS: usize = 3_000;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 30).expect("date")
}

/// The generated files and the answers kept while making them.
struct Generated {
    evaluated: String,
    statements: String,
    events: String,
    /// Open balance per (payer, fiscal year).
    open: BTreeMap<(String, i32), Money>,
    /// Claims refused with a C or D error on some statement.
    refused: usize,
    /// Claims answered by a statement.
    answered: usize,
    /// Differences left to adjust (a fund paid less, no error).
    to_adjust: Money,
}

fn satang(n: u64) -> Money {
    Money::new(Decimal::new(n as i64, 2)).expect("in range")
}

fn generate(seed: u64) -> Generated {
    let mut rng = SplitMix64::new(seed);
    let first = NaiveDate::from_ymd_opt(2022, 10, 1).expect("date");
    let funds = ["UC", "CSMBS", "SSS", "LGO"];
    let mut g = Generated {
        evaluated: String::new(),
        statements: String::from("statement,claim,payer,paid,paid_date,error_code,error_type\n"),
        events: String::new(),
        open: BTreeMap::new(),
        refused: 0,
        answered: 0,
        to_adjust: Money::ZERO,
    };
    for i in 0..CLAIMS {
        let id = format!("G{i:05}");
        let fund = funds[i % funds.len()];
        let date = first + Duration::days(rng.below(1095) as i64);
        let fy = FiscalYear::of(date).be_year();
        let expected = satang(10_000 + rng.below(10_000_000));
        let patient = if rng.chance(30) { satang(100 + rng.below(500_000)) } else { Money::ZERO };
        let charged = expected + patient;
        writeln!(
            g.evaluated,
            r#"{{"id":"{id}","fund":"{fund}","service_date":"{date}","claim_date":"{date}","fiscal_year":{fy},"submitted":"{date}","charged":"{charged}","payers":[{{"payer":"{fund}","amount":"{expected}","status":"claimable"}}],"patient":"{patient}","penalty":"0.00","difference":"0.00"}}"#
        )
        .expect("write");
        // A statement comes some days later, if that is still on or before the as-of date.
        let paid_on = date + Duration::days(10 + rng.below(80) as i64);
        let mut open = expected;
        if paid_on <= as_of() {
            match rng.below(5) {
                0 => {} // no answer yet
                1 => {
                    writeln!(g.statements, "S-{i},{id},{fund},{expected},{paid_on},,").expect("write");
                    open = Money::ZERO;
                    g.answered += 1;
                }
                2 => {
                    let short = satang(1 + rng.below(500_000)).min(expected);
                    let paid = expected - short;
                    writeln!(g.statements, "S-{i},{id},{fund},{paid},{paid_on},,").expect("write");
                    open = short;
                    g.to_adjust += short;
                    g.answered += 1;
                }
                3 => {
                    let kind = if rng.chance(50) { "C" } else { "V" };
                    writeln!(g.statements, "S-{i},{id},{fund},,{paid_on},E{},{kind}", rng.below(900)).expect("write");
                    g.answered += 1;
                    g.refused += usize::from(kind == "C");
                }
                _ => {
                    // Denied, corrected, then paid in full by a second statement.
                    writeln!(g.statements, "S-{i}a,{id},{fund},,{paid_on},D{},D", rng.below(90)).expect("write");
                    let later = paid_on + Duration::days(30);
                    if later <= as_of() {
                        writeln!(g.statements, "S-{i}b,{id},{fund},{expected},{later},,").expect("write");
                        open = Money::ZERO;
                    }
                    g.answered += 1;
                    g.refused += 1;
                }
            }
        }
        *g.open.entry((fund.to_string(), fy)).or_default() += open;
        if patient > Money::ZERO {
            let mut owed = patient;
            if rng.chance(50) && paid_on <= as_of() {
                writeln!(
                    g.events,
                    r#"{{"event":"paid_by_patient","claim":"{id}","payer":"PATIENT","date":"{paid_on}","reference":"R-{i}","amount":"{patient}"}}"#
                )
                .expect("write");
                owed = Money::ZERO;
            }
            *g.open.entry(("PATIENT".to_string(), fy)).or_default() += owed;
        }
    }
    g
}

fn book(g: &Generated, statements: &str) -> Book {
    let mut events = read_events(&g.events, "events.jsonl");
    events.extend(read_statements(statements, "statements.csv", StatementFormat::Csv));
    Book::build(read_evaluated(&g.evaluated, "evaluated.jsonl"), events, as_of())
}

fn policy() -> Policies {
    Policies::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("policy")
}

#[test]
fn aging_equals_the_open_balances_kept_by_the_generator() {
    let g = generate(2568);
    let book = book(&g, &g.statements);
    assert!(book.errors.is_empty(), "{:?}", &book.errors[..book.errors.len().min(3)]);
    let policies = policy();
    let aging = Aging::of(&book, policies.in_force(as_of()).expect("policy"));
    assert_eq!(aging.fiscal_years, vec![FiscalYear::new(2566), FiscalYear::new(2567), FiscalYear::new(2568)]);
    let mut got: BTreeMap<(String, i32), Money> = BTreeMap::new();
    for p in &aging.payers {
        for (fy, amount) in aging.fiscal_years.iter().zip(&p.by_year) {
            got.insert((p.payer.as_str().to_string(), fy.be_year()), *amount);
        }
    }
    let want: BTreeMap<_, _> = g.open.iter().map(|(k, v)| (k.clone(), *v)).collect();
    assert_eq!(got, want);
    let sum_open: Money = book.ledger.receivables().iter().map(|r| r.open()).sum();
    assert_eq!(aging.total, sum_open);
    assert_eq!(aging.year_totals.iter().copied().sum::<Money>(), aging.total);
    assert_eq!(aging.band_totals.iter().copied().sum::<Money>(), aging.total);
    assert!(aging.total > Money::baht(10_000_000), "a ledger of real size: {}", aging.total);

    let rec = Reconciliation::of(&book, &NoCalendar);
    assert_eq!(rec.to_adjust, g.to_adjust);
    let kpi = Kpis::of(&book, &[], &NoCalendar);
    assert_eq!((kpi.total.answered, kpi.total.errors), (g.answered, g.refused));
    assert_eq!(kpi.total.claims, CLAIMS);
}

#[test]
fn posting_every_statement_twice_changes_nothing() {
    let g = generate(7);
    let once = book(&g, &g.statements);
    let body = g.statements.split_once('\n').map_or("", |(_, rest)| rest);
    let twice = book(&g, &format!("{}{body}", g.statements));
    assert!(twice.errors.is_empty());
    assert_eq!(twice.already_posted, body.lines().count());
    assert_eq!(once.ledger.receivables(), twice.ledger.receivables());
    let policies = policy();
    let policy = policies.in_force(as_of()).expect("policy");
    assert_eq!(Aging::of(&once, policy), Aging::of(&twice, policy));
}

#[test]
fn a_malformed_statement_row_is_reported_and_the_rest_posted() {
    let g = generate(11);
    let mut lines: Vec<&str> = g.statements.lines().collect();
    let n = lines.len();
    lines.insert(5, "S-bad,G00001,UC,12.345,2025-13-01,,");
    let text = lines.join("\n") + "\n";
    let good = book(&g, &g.statements);
    let bad = book(&g, &text);
    assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
    assert_eq!(bad.errors[0].line, Some(6));
    assert_eq!(bad.errors[0].kind, DiagnosticKind::InvalidValue);
    assert!(bad.errors[0].to_string().starts_with("statements.csv:6: claim G00001: "), "{}", bad.errors[0]);
    assert_eq!(good.ledger.events_posted(), bad.ledger.events_posted());
    assert_eq!(good.ledger.receivables(), bad.ledger.receivables());
    assert_eq!(n + 1, text.lines().count());
}
