//! The receivable model: balances under any sequence of events, idempotent posting, states,
//! and the readers' row errors.

use chrono::NaiveDate;
use kongtun_core::diagnostic::DiagnosticKind;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::{PayerAmount, PayerStatus};
use kongtun_ledger::receivable::{
    read_events, read_statements, ErrorType, EvaluatedClaim, Event, EventKind, Ledger, PostError, Posted, State,
    StatementError, StatementFormat,
};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn baht(text: &str) -> Money {
    text.parse().expect("amount")
}

/// A UC admission owing UC 10,000.00 (of which PRB-style pending 0) and the patient 1,500.50.
fn claim() -> EvaluatedClaim {
    EvaluatedClaim {
        id: "C1".into(),
        fund: FundId::new("UC"),
        setting: None,
        service_date: day(2025, 1, 3),
        claim_date: day(2025, 1, 10),
        fiscal_year: kongtun_core::calendar::FiscalYear::new(2568),
        submitted: Some(day(2025, 1, 20)),
        accident_date: None,
        hcode: "10703".into(),
        hospmain: String::new(),
        sub_fund: String::new(),
        visit_type: None,
        work_injury: false,
        charged: baht("11500.50"),
        payers: vec![PayerAmount::new(FundId::new("UC"), baht("10000.00"), PayerStatus::Claimable)],
        patient: baht("1500.50"),
        penalty: Money::ZERO,
        difference: Money::ZERO,
    }
}

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    l.open(claim()).expect("opens");
    l
}

fn event(payer: &str, date: NaiveDate, kind: EventKind) -> Event {
    Event { claim: "C1".into(), payer: FundId::new(payer), date, kind }
}

fn statement(id: &str, paid: &str, error: Option<(&str, ErrorType)>) -> EventKind {
    EventKind::Statement {
        statement: id.into(),
        paid: baht(paid),
        error: error.map(|(code, kind)| StatementError { code: code.into(), kind }),
    }
}

#[test]
fn opens_one_receivable_per_payer_plus_the_patient() {
    let mut c = claim();
    c.payers.push(PayerAmount::new(FundId::new("PRB"), baht("30000"), PayerStatus::Claimable));
    c.payers.push(PayerAmount::new(FundId::new("PRB"), baht("50000"), PayerStatus::Pending));
    let rs = c.receivables();
    let summary: Vec<(String, String, String, Option<NaiveDate>)> = rs
        .iter()
        .map(|r| (r.payer().to_string(), r.expected().to_string(), r.pending().to_string(), r.sent()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("UC".into(), "10000.00".into(), "0.00".into(), Some(day(2025, 1, 20))),
            ("PRB".into(), "80000.00".into(), "50000.00".into(), Some(day(2025, 1, 20))),
            ("PATIENT".into(), "1500.50".into(), "0.00".into(), None),
        ]
    );
    assert_eq!(rs[2].state(), State::Billed);
    assert_eq!(rs[0].state(), State::Sent);
}

#[test]
fn a_statement_error_sticks_until_a_correction_or_a_later_payment() {
    let mut l = ledger();
    let stuck = event("UC", day(2025, 2, 25), statement("S1", "0", Some(("NO_PDX", ErrorType::C))));
    assert_eq!(l.post(&stuck), Ok(Posted::Applied));
    let uc = l.receivable("C1", "UC").expect("UC");
    assert_eq!(uc.state(), State::Stuck);
    assert_eq!(
        uc.stuck().map(|s| (s.code.as_str(), s.kind, s.since)),
        Some(("NO_PDX", ErrorType::C, day(2025, 2, 25)))
    );
    // older news posted later moves no state
    assert_eq!(l.post(&event("UC", day(2025, 2, 1), EventKind::CorrectionSent)), Ok(Posted::Applied));
    assert_eq!(l.receivable("C1", "UC").map(|r| r.state()), Some(State::Stuck));
    assert_eq!(l.post(&event("UC", day(2025, 3, 2), EventKind::CorrectionSent)), Ok(Posted::Applied));
    assert_eq!(l.receivable("C1", "UC").map(|r| r.state()), Some(State::Sent));
    assert_eq!(l.post(&event("UC", day(2025, 3, 25), statement("S2", "9000.00", None))), Ok(Posted::Applied));
    let uc = l.receivable("C1", "UC").expect("UC");
    assert_eq!((uc.state(), uc.balance().to_string()), (State::PartlyPaid, "1000.00".to_string()));
    assert_eq!((uc.statements(), uc.errors(ErrorType::C), uc.errors(ErrorType::D)), (2, 1, 0));
    let adj = EventKind::Adjusted { reference: "ADJ-1".into(), amount: baht("1000.00") };
    assert_eq!(l.post(&event("UC", day(2025, 4, 1), adj)), Ok(Posted::Applied));
    assert_eq!(l.receivable("C1", "UC").map(|r| r.state()), Some(State::Settled));
}

#[test]
fn same_key_is_a_no_op_and_changed_content_a_conflict() {
    let mut l = ledger();
    let paid = event("UC", day(2025, 2, 25), statement("S1", "10000.00", None));
    assert_eq!(l.post(&paid), Ok(Posted::Applied));
    assert_eq!(l.post(&paid), Ok(Posted::AlreadyPosted));
    let changed = event("UC", day(2025, 2, 25), statement("S1", "9000.00", None));
    let err = l.post(&changed).unwrap_err();
    assert!(matches!(err, PostError::Conflict { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "statement S1 / claim C1 / payer UC was posted before with different content: \
         {\"event\":\"statement\",\"claim\":\"C1\",\"payer\":\"UC\",\"date\":\"2025-02-25\",\"statement\":\"S1\",\"amount\":\"10000.00\"}"
    );
    assert_eq!(l.receivable("C1", "UC").map(|r| r.paid()), Some(baht("10000.00")));
}

#[test]
fn refusals_name_the_reason_and_change_nothing() {
    let mut l = ledger();
    let before = l.receivable("C1", "PATIENT").cloned();
    let too_much = EventKind::WrittenOff { reference: "WO-1".into(), amount: baht("1500.51") };
    assert_eq!(
        l.post(&event("PATIENT", day(2025, 6, 1), too_much)),
        Err(PostError::Refused(
            "a write-off of 1500.51 is more than the open balance 1500.50: expected at most 1500.50".into()
        ))
    );
    assert_eq!(l.receivable("C1", "PATIENT").cloned(), before);
    let letter = EventKind::DunningLetter { letter: 1 };
    assert_eq!(
        l.post(&event("UC", day(2025, 6, 1), letter)),
        Err(PostError::Refused("a dunning letter applies to a patient debt (payer PATIENT or SELF)".into()))
    );
    assert_eq!(
        l.post(&event("PATIENT", day(2025, 6, 1), statement("S1", "1", None))),
        Err(PostError::Refused("a statement applies to a fund's receivable; PATIENT is a debt of the patient".into()))
    );
    assert_eq!(
        l.post(&event("UC", day(2024, 12, 31), EventKind::ClaimSent)).unwrap_err().to_string(),
        "dated 2024-12-31 before the service date 2025-01-03: expected on or after it"
    );
    assert_eq!(
        l.post(&event("SSS", day(2025, 6, 1), EventKind::ClaimSent)).unwrap_err().to_string(),
        "no receivable for claim C1 and payer SSS (its payers: UC, PATIENT)"
    );
    assert_eq!(l.events_posted(), 0);
}

#[test]
fn an_overpayment_is_recorded_and_a_negative_adjustment_clears_it() {
    let mut l = ledger();
    let pay = EventKind::PaidByPatient { receipt: "R1".into(), amount: baht("1600.00") };
    assert_eq!(l.post(&event("PATIENT", day(2025, 1, 10), pay)), Ok(Posted::Overpaid(baht("99.50"))));
    let p = l.receivable("C1", "PATIENT").expect("patient");
    assert_eq!((p.balance(), p.overpaid(), p.state()), (baht("-99.50"), baht("99.50"), State::Overpaid));
    let refund = EventKind::Adjusted { reference: "REFUND-1".into(), amount: baht("-99.50") };
    assert_eq!(l.post(&event("PATIENT", day(2025, 1, 11), refund)), Ok(Posted::Applied));
    let p = l.receivable("C1", "PATIENT").expect("patient");
    assert_eq!((p.balance(), p.state()), (Money::ZERO, State::Settled));
}

#[test]
fn a_malformed_statement_row_is_reported_with_its_line_and_the_rest_read() {
    let csv = "statement,claim,payer,paid,paid_date,error_code,error_type\n\
               S1,C1,UC,100.00,2025-02-25,,\n\
               S1,C2,UC,100.00,2025-02-30,,\n\
               S1,C3,UC,,2025-02-25,X1,Q\n\
               S1,C4,UC,1.005,2025-02-25,,\n\
               S1,C5,UC,100.00\n\
               S1,C6,UC,,2025-02-25,,\n\
               S1,C7,UC,,2568-02-25,X2,d\n";
    let read = read_statements(csv, "stm.csv", StatementFormat::Csv);
    let ok: Vec<(&str, u64)> = read.rows.iter().map(|r| (r.value.claim.as_str(), r.line)).collect();
    assert_eq!(ok, vec![("C1", 2), ("C7", 8)]);
    let errors: Vec<String> = read.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "stm.csv:3: claim C2: paid_date: `2025-02-30` is not a day of the calendar",
            "stm.csv:4: claim C3: error_type: `Q` is not an error type: expected C, D or V",
            "stm.csv:5: claim C4: paid: `1.005` has more than 2 decimals (satang is the smallest unit)",
            "stm.csv:6: 4 fields, expected 7 as in the header",
            "stm.csv:7: claim C6: paid: missing: a row pays an amount or gives an error code",
        ]
    );
    assert_eq!(read.errors[1].kind, DiagnosticKind::InvalidValue);
    assert_eq!(read.errors[4].kind, DiagnosticKind::MissingField);
}

/// The same rows with CRLF (Excel's "CSV" on Windows), LF or CR, with a blank line and a
/// quoted field across lines: every row and error is at the line an editor shows.
#[test]
fn csv_rows_know_their_lines_whatever_the_line_ends() {
    let rows = [
        "statement,claim,payer,paid,paid_date,error_code,error_type",
        "S1,C1,UC,100.00,2025-02-25,,",
        "S1,C2,UC,100.00,2025-02-30,,",
        "S1,C3,UC,100.00",
        "",
        "\"S1\nnext line\",C4,UC,100.00,2025-02-25,,",
        "S1,C5,UC,1.005,2025-02-25,,",
    ];
    for end in ["\r\n", "\n", "\r"] {
        let csv = rows.join(end) + end;
        let read = read_statements(&csv, "stm.csv", StatementFormat::Csv);
        let ok: Vec<(&str, u64)> = read.rows.iter().map(|r| (r.value.claim.as_str(), r.line)).collect();
        assert_eq!(ok, vec![("C1", 2), ("C4", 6)], "{end:?}");
        let errors: Vec<String> = read.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "stm.csv:3: claim C2: paid_date: `2025-02-30` is not a day of the calendar",
                "stm.csv:4: 4 fields, expected 7 as in the header",
                "stm.csv:8: claim C5: paid: `1.005` has more than 2 decimals (satang is the smallest unit)",
            ],
            "{end:?}"
        );
    }
    // The visit list is read the same way.
    let visits = "visit,hn,fund,date\r\nV1,001,UC,2568-01-15\r\nV2,002,UC,2025-02-30\r\n";
    let read = kongtun_ledger::visits::read_visits(visits, "visits.csv");
    assert_eq!(read.rows[0].line, 2);
    assert_eq!(read.errors[0].to_string(), "visits.csv:3: date: `2025-02-30` is not a day of the calendar");
}

#[test]
fn json_statement_rows_know_their_lines() {
    let json = "[\n  {\"statement\": \"S1\", \"claim\": \"C1\", \"payer\": \"UC\", \"paid\": 100.5, \"paid_date\": \"2025-02-25\"},\n\
                \n  {\"statement\": \"S1\", \"claim\": \"C2\", \"payer\": \"UC\",\n   \"payd\": 1, \"paid_date\": \"2025-02-25\"},\n\
                {\"statement\": \"S1\", \"claim\": \"C3\", \"payer\": \"UC\", \"error_code\": 438, \"error_type\": \"C\", \"paid_date\": \"2025-02-25\"}\n]\n";
    let read = read_statements(json, "stm.json", StatementFormat::Json);
    let ok: Vec<(&str, u64)> = read.rows.iter().map(|r| (r.value.claim.as_str(), r.line)).collect();
    assert_eq!(ok, vec![("C1", 2), ("C3", 6)]);
    assert!(matches!(&read.rows[0].value.kind, EventKind::Statement { paid, .. } if *paid == baht("100.50")));
    assert!(matches!(&read.rows[1].value.kind, EventKind::Statement { error: Some(e), .. } if e.code == "438"));
    assert_eq!(read.errors.len(), 1);
    // The row starts on line 4; the unknown field is on line 5, column 4.
    assert_eq!((read.errors[0].line, read.errors[0].column), (Some(5), Some(4)));
    assert_eq!(read.errors[0].kind, DiagnosticKind::UnknownField);
    assert_eq!(read.errors[0].field.as_deref(), Some("payd"));
    assert!(read.errors[0].to_string().starts_with("stm.json:5:4: claim C2: payd: unknown field `payd`"));
}

#[test]
fn event_log_lines_are_checked_one_by_one() {
    let log = concat!(
        r#"{"event":"paid_by_patient","claim":"C1","payer":"PATIENT","date":"2025-02-01","reference":"R1","amount":"500.00"}"#,
        "\n",
        "not json\n",
        r#"{"event":"refund","claim":"C1","payer":"PATIENT","date":"2025-02-01"}"#,
        "\n",
        r#"{"event":"dunning_letter","claim":"C1","payer":"PATIENT","date":"2025-02-01","letter":1}"#,
        "\n",
    );
    let read = read_events(log, "events.jsonl");
    assert_eq!(read.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 4]);
    let lines: Vec<(Option<u32>, DiagnosticKind, Option<&str>)> =
        read.errors.iter().map(|e| (e.line, e.kind, e.claim_id())).collect();
    assert_eq!(
        lines,
        vec![(Some(2), DiagnosticKind::Syntax, None), (Some(3), DiagnosticKind::InvalidValue, Some("C1"))]
    );
    assert_eq!(read.errors[1].field.as_deref(), Some("event"));
}

/// One step of a random history: which receivable, and what happens.
#[derive(Clone, Debug)]
enum Step {
    Statement { id: u8, paid: i64, error: Option<u8> },
    Correction { day: u8 },
    Adjust { reference: u8, satang: i64 },
    WriteOff { reference: u8, satang: i64 },
    PatientPays { receipt: u8, satang: i64 },
    Letter { letter: u8 },
}

fn step() -> impl Strategy<Value = (bool, Step)> {
    let s = prop_oneof![
        (0u8..6, 0i64..1_200_000, proptest::option::of(0u8..3)).prop_map(|(id, paid, error)| Step::Statement {
            id,
            paid,
            error
        }),
        (0u8..60).prop_map(|day| Step::Correction { day }),
        (0u8..6, -300_000i64..1_200_000).prop_map(|(reference, satang)| Step::Adjust { reference, satang }),
        (0u8..6, 1i64..1_200_000).prop_map(|(reference, satang)| Step::WriteOff { reference, satang }),
        (0u8..6, 1i64..300_000).prop_map(|(receipt, satang)| Step::PatientPays { receipt, satang }),
        (1u8..4).prop_map(|letter| Step::Letter { letter }),
    ];
    (any::<bool>(), s)
}

fn to_event(patient: bool, s: &Step) -> Event {
    let payer = if patient { "PATIENT" } else { "UC" };
    let satang = |n: i64| Money::new(rust_decimal::Decimal::new(n, 2)).expect("in range");
    let at = |d: u8| day(2025, 2, 1) + chrono::Duration::days(i64::from(d));
    let (date, kind) = match s {
        Step::Statement { id, paid, error } => (
            at(*id * 5),
            EventKind::Statement {
                statement: format!("S{id}"),
                paid: satang(*paid),
                error: error.map(|e| StatementError {
                    code: format!("E{e}"),
                    kind: [ErrorType::C, ErrorType::D, ErrorType::V][usize::from(e)],
                }),
            },
        ),
        Step::Correction { day } => (at(*day), EventKind::CorrectionSent),
        Step::Adjust { reference, satang: n } => {
            (at(*reference), EventKind::Adjusted { reference: format!("A{reference}"), amount: satang(*n) })
        }
        Step::WriteOff { reference, satang: n } => {
            (at(*reference), EventKind::WrittenOff { reference: format!("W{reference}"), amount: satang(*n) })
        }
        Step::PatientPays { receipt, satang: n } => {
            (at(*receipt), EventKind::PaidByPatient { receipt: format!("R{receipt}"), amount: satang(*n) })
        }
        Step::Letter { letter } => (at(*letter * 30), EventKind::DunningLetter { letter: *letter }),
    };
    event(payer, date, kind)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// For any sequence of events: balance = expected - paid - adjusted - written off, summed
    /// here from the events the ledger accepted; never negative unless the overpayments it
    /// reported cover it; a refused or repeated event changes nothing.
    #[test]
    fn balance_is_expected_less_what_was_accepted(steps in proptest::collection::vec(step(), 0..40)) {
        let mut l = ledger();
        let mut sums = std::collections::HashMap::new();
        for (patient, s) in &steps {
            let e = to_event(*patient, s);
            let before = l.receivable("C1", e.payer.as_str()).cloned();
            let result = l.post(&e);
            let after = l.receivable("C1", e.payer.as_str()).cloned();
            let (paid, adjusted, written_off, overpaid) = sums.entry(e.payer.clone()).or_insert((Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO));
            match result {
                Ok(Posted::AlreadyPosted) | Err(_) => prop_assert_eq!(&before, &after),
                Ok(posted) => {
                    if let Posted::Overpaid(excess) = posted {
                        prop_assert!(excess > Money::ZERO);
                        *overpaid += excess;
                    }
                    match &e.kind {
                        EventKind::Statement { paid: p, .. } | EventKind::PaidByPatient { amount: p, .. } => *paid += *p,
                        EventKind::Adjusted { amount, .. } => *adjusted += *amount,
                        EventKind::WrittenOff { amount, .. } => *written_off += *amount,
                        _ => {}
                    }
                }
            }
            // the same event again is always a no-op or the same refusal
            let again = l.post(&e);
            prop_assert!(matches!(again, Ok(Posted::AlreadyPosted) | Err(_)), "{:?}", again);
            prop_assert_eq!(&l.receivable("C1", e.payer.as_str()).cloned(), &after);
        }
        for r in l.receivables() {
            let (paid, adjusted, written_off, overpaid) =
                sums.get(r.payer()).copied().unwrap_or((Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO));
            prop_assert_eq!(r.paid(), paid);
            prop_assert_eq!(r.adjusted(), adjusted);
            prop_assert_eq!(r.written_off(), written_off);
            prop_assert_eq!(r.overpaid(), overpaid);
            prop_assert_eq!(r.balance(), r.expected() - paid - adjusted - written_off);
            if r.balance().is_negative() {
                prop_assert!(overpaid >= -r.balance(), "balance {} with overpayments {}", r.balance(), overpaid);
                prop_assert_eq!(r.state(), State::Overpaid);
            }
            prop_assert_eq!(r.open(), r.balance().max(Money::ZERO));
        }
    }
}

/// A statement typed into Excel and saved as CSV: amounts with thousands separators (quoted,
/// as Excel writes them), dates as dd/mm/yyyy in BE and with a Thai month; a misplaced
/// separator is an error, not a guess.
#[test]
fn statement_csv_as_excel_writes_it() {
    let csv = "statement,claim,payer,paid,paid_date,error_code,error_type\n\
               S1,C1,UC,\"86,740.00\",30/09/2568,,\n\
               S1,C2,UC,\"1,500\",1 ต.ค. 2568,,\n\
               S1,C3,UC,\"86,74.00\",30/09/2568,,\n";
    let read = read_statements(csv, "stm.csv", StatementFormat::Csv);
    let paid: Vec<(&str, Money, NaiveDate)> = read
        .rows
        .iter()
        .filter_map(|r| match &r.value.kind {
            EventKind::Statement { paid, .. } => Some((r.value.claim.as_str(), *paid, r.value.date)),
            _ => None,
        })
        .collect();
    let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).expect("date");
    assert_eq!(paid, vec![("C1", baht("86740.00"), day(9, 30)), ("C2", baht("1500.00"), day(10, 1))]);
    let errors: Vec<String> = read.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors, vec!["stm.csv:4: claim C3: paid: `86,74.00` is not a decimal number"]);
}

/// A quote never closed in a visit list swallowed every later row, and a visit listed twice
/// took the last row: a dunning letter then carried another patient's name and HN. Both are
/// errors at their line now, and the first row of a visit stands.
#[test]
fn a_visit_list_never_gives_one_patient_another_patients_row() {
    let text = "visit,hn,fund,date,name\nV1,HN1,SELF,2025-07-07,\"ชื่อ \"\"ไม่ปิด\nV2,HN2,SELF,2025-07-08,สอง\nV3,HN3,SELF,2025-07-09,สาม\n";
    let read = kongtun_ledger::visits::read_visits(text, "visits.csv");
    assert!(read.rows.is_empty(), "{:?}", read.rows);
    assert_eq!(read.errors.len(), 1);
    assert!(
        read.errors[0]
            .to_string()
            .starts_with("visits.csv:2: field 5 runs on past the end of its line, over 2 more lines"),
        "{}",
        read.errors[0]
    );
    let text = "visit,hn,fund,date,name\nV1,HN1,SELF,2025-07-07,หนึ่ง\nV1,HN9,SELF,2025-07-07,คนอื่น\n";
    let read = kongtun_ledger::visits::read_visits(text, "visits.csv");
    assert_eq!(read.rows.len(), 1);
    assert_eq!((read.rows[0].value.hn.as_str(), read.rows[0].value.name.as_str()), ("HN1", "หนึ่ง"));
    assert_eq!(
        read.errors[0].to_string(),
        "visits.csv:3: visit: visit V1 is listed again (first on line 2): each visit once"
    );
}

/// A visit list with the wrong header says so once, not once per row.
#[test]
fn a_visit_list_header_without_its_columns_is_one_error() {
    let text = "Visit,HN,fund,date\nV1,HN1,SELF,2025-07-07\nV2,HN2,SELF,2025-07-08\n";
    let read = kongtun_ledger::visits::read_visits(text, "visits.csv");
    assert!(read.rows.is_empty());
    let errors: Vec<String> = read.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors, ["visits.csv:1: the header has no visit, hn column: a visit list's header is visit,hn,fund,date (and name, if the letters need it)"]);
}
