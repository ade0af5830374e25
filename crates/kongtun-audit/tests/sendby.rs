//! The send-by list over the shipped packs: claims not yet sent, the last day without the late
//! cut and the payer's deadline, what sending late would cut (worked out by the engine), the
//! soonest first and expired claims last; sent claims and self-pay left out.

use std::path::Path;

use chrono::NaiveDate;
use kongtun_audit::sendby::{SendByList, Standing};
use kongtun_core::claim::Claim;
use kongtun_core::document::{read_claims, Format};
use kongtun_core::money::Money;
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, Options};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn money(s: &str) -> Money {
    s.parse().expect("money")
}

const CLAIMS: &str = r#"
{"id":"IN-TIME","hn":"1","an":"1","setting":"ip","fund":"UC","service_date":"2025-12-16","discharge_date":"2025-12-20","adj_rw":"1.0","diagnoses":["A09.0"],"items":[{"code":"NURSING","category":12,"qty":"1","price":"2400"}]}
{"id":"LATE","hn":"2","an":"2","setting":"ip","fund":"UC","service_date":"2025-10-28","discharge_date":"2025-11-01","adj_rw":"1.0","diagnoses":["A09.0"],"items":[{"code":"NURSING","category":12,"qty":"1","price":"2400"}]}
{"id":"SENT","hn":"3","an":"3","setting":"ip","fund":"UC","service_date":"2025-12-16","discharge_date":"2025-12-20","submitted":"2025-12-22","adj_rw":"1.0","diagnoses":["A09.0"],"items":[{"code":"NURSING","category":12,"qty":"1","price":"2400"}]}
{"id":"EXPIRED","hn":"4","an":"4","setting":"ip","fund":"UC","service_date":"2025-01-01","discharge_date":"2025-01-05","adj_rw":"1.0","diagnoses":["A09.0"],"items":[{"code":"NURSING","category":12,"qty":"1","price":"2400"}]}
{"id":"SELF-PAY","hn":"5","setting":"op","fund":"SELF","service_date":"2025-12-20","items":[{"code":"X","category":7,"qty":"1","price":"100"}]}
"#;

fn list(as_of: NaiveDate) -> SendByList {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let engine = Engine::load(&rules).expect("the shipped packs load");
    let claims: Vec<Claim> = read_claims(CLAIMS.trim(), "claims.jsonl", Format::JsonLines)
        .into_iter()
        .map(|r| r.claim.expect("a valid claim"))
        .collect();
    let refs: Vec<&Claim> = claims.iter().collect();
    let outcomes = engine.evaluate_batch(&refs, as_of, Options { trace: true }, &mut AccidentLimits::new());
    SendByList::of(&engine, &refs, &outcomes, as_of)
}

#[test]
fn the_soonest_first_with_the_engines_own_cut() {
    let list = list(day(2026, 1, 5));
    let ids: Vec<&str> = list.rows.iter().map(|r| r.claim.as_str()).collect();
    // In time (its send-by day is next), then late (its deadline is next), expired last;
    // the sent claim and the self-pay visit are not listed.
    assert_eq!(ids, ["IN-TIME", "LATE", "EXPIRED"]);
    assert_eq!(list.claims, 3);

    let in_time = &list.rows[0];
    assert_eq!(in_time.standing, Standing::InTime);
    assert_eq!((in_time.send_by, in_time.days_left), (Some(day(2026, 1, 19)), Some(14)));
    // FY2569 UC claims are accepted until 31 December after the fiscal year.
    assert_eq!((in_time.deadline, in_time.days_to_deadline), (Some(day(2026, 12, 31)), Some(360)));
    // DRG 1.0 x 8,350; sent on 20 January it loses 5%.
    assert_eq!((in_time.owed, in_time.cut_if_late), (money("8350.00"), money("417.50")));

    let late = &list.rows[1];
    assert_eq!(late.standing, Standing::Late);
    assert_eq!((late.send_by, late.days_left), (Some(day(2025, 12, 1)), Some(-35)));
    // Already late: the cut is in what UC owes, nothing more to lose by waiting until the deadline.
    assert_eq!((late.owed, late.cut_if_late), (money("7932.50"), Money::ZERO));

    let expired = &list.rows[2];
    assert_eq!(expired.standing, Standing::Expired);
    // FY2568: accepted until 31 December 2025.
    assert_eq!(expired.deadline, Some(day(2025, 12, 31)));
    assert_eq!(expired.owed, Money::ZERO);

    assert_eq!((list.owed, list.cut_if_late), (money("16282.50"), money("417.50")));
}

#[test]
fn the_last_day_is_still_in_time_and_the_next_is_late() {
    let last = list(day(2026, 1, 19));
    let row = |l: &SendByList| l.rows.iter().find(|r| r.claim == "IN-TIME").cloned().expect("listed");
    assert_eq!((row(&last).standing, row(&last).days_left), (Standing::InTime, Some(0)));
    let next = list(day(2026, 1, 20));
    assert_eq!((row(&next).standing, row(&next).days_left), (Standing::Late, Some(-1)));
    assert_eq!(row(&next).owed, money("7932.50"));
}
