//! Claim documents: every rejection of issue 2 named with its file, line, claim id and field;
//! a bad claim never stops the others; BE dates; JSON and JSON Lines; and a property test
//! that any valid claim survives a YAML and a JSON round trip unchanged.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::claim::{Claim, Setting};
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::document::{read_batch, read_claims, read_path, DuplicateIds, Format, Record};

// ---------------------------------------------------------------------------------------
// helpers

/// A document from its lines: line `n` of the document is `lines[n - 1]`.
fn doc(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The one record a single-claim document yields, which must be a rejection.
#[track_caller]
fn only_error(text: &str, file: &str, format: Format) -> Diagnostic {
    let records = read_claims(text, file, format);
    assert_eq!(records.len(), 1, "{records:#?}");
    let record = records.into_iter().next().unwrap();
    assert_eq!(record.file, file);
    match record.claim {
        Ok(claim) => panic!("expected a rejection, the claim was accepted: {claim:#?}"),
        Err(e) => e,
    }
}

/// The error of a record that must be a rejection.
#[track_caller]
fn error_of(record: &Record) -> &Diagnostic {
    match &record.claim {
        Ok(claim) => panic!("expected a rejection, the claim was accepted: {claim:#?}"),
        Err(e) => e,
    }
}

/// The claim of a record that must be accepted.
#[track_caller]
fn claim_of(record: &Record) -> &Claim {
    match &record.claim {
        Ok(claim) => claim,
        Err(e) => panic!("expected the claim to be accepted: {e}"),
    }
}

/// Asserts what a rejection says: kind, file, claim id, field and line, both in the fields
/// and in the message a user reads.
#[track_caller]
fn assert_rejected(
    err: &Diagnostic,
    kind: DiagnosticKind,
    file: &str,
    id: Option<&str>,
    field: Option<&str>,
    line: u32,
) {
    assert_eq!(err.kind, kind, "kind of: {err}");
    assert_eq!(&*err.file, file, "file of: {err}");
    assert_eq!(err.claim_id(), id, "claim id of: {err}");
    assert_eq!(err.field.as_deref(), field, "field of: {err}");
    assert_eq!(err.pos().map(|p| p.line), Some(line), "line of: {err}");
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{file}:{line}:")), "the message must start with file:line: {shown}");
    match id {
        Some(id) => assert!(shown.contains(&format!(": claim {id}: ")), "the message must name claim {id}: {shown}"),
        None => assert!(!shown.contains("claim "), "no claim id to name: {shown}"),
    }
    if let Some(field) = field {
        assert!(shown.contains(&format!(": {field}: ")), "the message must name field {field}: {shown}");
    }
    assert!(!err.message.is_empty());
    // Every rejection a clerk can meet has its Thai in the catalogue (`--lang th`): a message
    // added or reworded without it fails here.
    assert!(kongtun_core::messages::thai(&err.message).is_some(), "no Thai in the catalogue for: {}", err.message);
}

/// A fresh, empty directory under the system temp dir for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-claim-documents-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

// ---------------------------------------------------------------------------------------
// a valid claim, as a reference

#[test]
fn a_valid_claim_is_read_with_every_field() {
    let text = doc(&[
        "id: V1",
        "hn: 000123",
        "an: 6800042",
        "setting: ip",
        "fund: csmbs",
        "sub_fund: direct",
        "service_date: 2025-01-10",
        "discharge_date: 2025-01-14",
        "submitted: 2025-01-20",
        "adj_rw: 2.3517",
        "diagnoses: [H25.9, E11.9]",
        "procedures: [13.41, 81.50]",
        "items:",
        "  - code: 2006",
        "    category: 2",
        "    qty: 1",
        "    price: 2800",
        "    date: 2025-01-11",
        "    serial: LOT-1",
        "  - code: ROOM",
        "    category: 1",
        "    qty: 4.5",
        "    price: 400.50",
        "    claimable: false",
    ]);
    let records = read_claims(&text, "v.yaml", Format::Yaml);
    assert_eq!(records.len(), 1);
    let claim = claim_of(&records[0]);
    assert_eq!(claim.id, "V1");
    assert_eq!(claim.hn, "000123", "a number-like HN keeps its leading zeros");
    assert_eq!(claim.an.as_deref(), Some("6800042"));
    assert_eq!(claim.setting, Setting::Ip);
    assert_eq!(claim.fund.as_str(), "CSMBS");
    assert_eq!(claim.service_date, day(2025, 1, 10));
    assert_eq!(claim.discharge_date, Some(day(2025, 1, 14)));
    assert_eq!(claim.adj_rw.map(|d| d.to_string()).as_deref(), Some("2.3517"));
    assert_eq!(claim.procedures, ["13.41", "81.50"], "a number-like code keeps its trailing zero");
    assert_eq!(claim.items[0].code, "2006");
    assert_eq!(claim.items[0].price.to_string(), "2800.00");
    assert!(claim.items[0].claimable);
    assert_eq!(claim.items[1].qty.to_string(), "4.5");
    assert_eq!(claim.items[1].price.to_string(), "400.50");
    assert!(!claim.items[1].claimable);
    assert_eq!(records[0].pos.map(|p| p.line), Some(1));
}

// ---------------------------------------------------------------------------------------
// one test per rejection

#[test]
fn missing_required_field() {
    let text = doc(&[
        "# a visit without its fund",
        "id: M1",
        "hn: '001'",
        "setting: op",
        "service_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "missing.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::MissingField, "missing.yaml", Some("M1"), Some("fund"), 2);
    assert!(err.message.contains("missing required field `fund`"), "{err}");

    // in a charge line: the line's own mapping is where it is missing
    let text = doc(&[
        "claims:",
        "  - id: M2",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items:",
        "      - code: X",
        "        category: 7",
        "        qty: 1",
        "        price: 120",
        "      - code: Y",
        "        category: 7",
        "        qty: 2",
    ]);
    let err = only_error(&text, "missing.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::MissingField, "missing.yaml", Some("M2"), Some("items[1].price"), 12);

    // the id itself: the claim has no id to name
    let text = doc(&[
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "noid.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::MissingField, "noid.yaml", None, Some("id"), 1);
}

#[test]
fn a_null_required_field_is_not_text() {
    // `hn: null` (or `~`, or nothing) is YAML's null, not a hospital number called "null"
    for value in ["null", "~", "Null", ""] {
        let text = doc(&[
            "id: N1",
            &format!("hn: {value}"),
            "setting: op",
            "fund: UC",
            "service_date: 2025-01-15",
            "items: [{code: X, category: 7, qty: 1, price: 120}]",
        ]);
        let err = only_error(&text, "null.yaml", Format::Yaml);
        assert_eq!(err.field.as_deref(), Some("hn"), "{err}");
        assert_eq!(err.pos().map(|p| p.line), Some(2), "{err}");
        assert!(matches!(err.kind, DiagnosticKind::InvalidValue | DiagnosticKind::MissingField), "{err}");
        assert!(err.to_string().starts_with("null.yaml:2:"), "{err}");
        assert!(err.to_string().contains("claim N1: hn: "), "{err}");
    }
    // JSON null, in a charge line
    let text = r#"{"id": "N2", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2025-01-15",
 "items": [{"code": null, "category": 7, "qty": 1, "price": "120"}]}"#;
    let err = only_error(text, "null.json", Format::Json);
    assert!(matches!(err.kind, DiagnosticKind::InvalidValue | DiagnosticKind::MissingField), "{err}");
    assert_rejected(&err, err.kind, "null.json", Some("N2"), Some("items[0].code"), 2);
    // ... and in a date
    let text = r#"{"id": "N3", "hn": "001", "setting": "op", "fund": "UC", "service_date": null,
 "items": [{"code": "X", "category": 7, "qty": 1, "price": "120"}]}"#;
    let err = only_error(text, "null.json", Format::Json);
    assert!(matches!(err.kind, DiagnosticKind::InvalidValue | DiagnosticKind::MissingField), "{err}");
    assert_rejected(&err, err.kind, "null.json", Some("N3"), Some("service_date"), 1);
    // quoted, "null" is text like any other
    let text = doc(&[
        "id: N4",
        "hn: 'null'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: '~', category: 7, qty: 1, price: 120}]",
    ]);
    let records = read_claims(&text, "quoted.yaml", Format::Yaml);
    assert_eq!(claim_of(&records[0]).hn, "null");
    assert_eq!(claim_of(&records[0]).items[0].code, "~");
}

#[test]
fn unknown_field_prize() {
    let text = doc(&[
        "id: U1",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items:",
        "  - code: X",
        "    category: 7",
        "    qty: 1",
        "    prize: 120",
    ]);
    let err = only_error(&text, "typo.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::UnknownField, "typo.yaml", Some("U1"), Some("items[0].prize"), 10);
    assert!(err.message.contains("did you mean `price`"), "{err}");

    // at the top of the claim
    let text = doc(&[
        "id: U2",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "servce_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "typo.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::UnknownField, "typo.yaml", Some("U2"), Some("servce_date"), 5);
    assert!(err.message.contains("did you mean `service_date`"), "{err}");

    // in the accident
    let text = doc(&[
        "id: U3",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "accident:",
        "  date: 2025-01-15",
        "  role: driver",
        "  counter_party: true",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "typo.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::UnknownField, "typo.yaml", Some("U3"), Some("accident.counter_party"), 9);
}

/// What PRB already paid on the accident cannot be negative (it was taken as 0 silently).
#[test]
fn prb_already_paid_below_zero() {
    let text = doc(&[
        "id: N1",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "accident: {date: 2025-01-15, prb_already_paid: -5}",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "neg.yaml", Format::Yaml);
    assert_eq!(err.kind, DiagnosticKind::InvalidValue, "{err}");
    assert_eq!(err.field.as_deref(), Some("accident.prb_already_paid"), "{err}");
    assert!(err.message.starts_with("-5.00 is negative"), "{err}");
}

#[test]
fn setting_not_op_or_ip() {
    // OP, opd, ผู้ป่วยนอก ... are read (tests/setting_aliases.rs); other words are not
    for (value, file) in [("er", "s.yaml"), ("OPX", "s2.yaml"), ("2", "s3.yaml")] {
        let text = doc(&[
            "id: S1",
            "hn: '001'",
            &format!("setting: {value}"),
            "fund: UC",
            "service_date: 2025-01-15",
            "items: [{code: X, category: 7, qty: 1, price: 120}]",
        ]);
        let err = only_error(&text, file, Format::Yaml);
        assert_rejected(&err, DiagnosticKind::InvalidValue, file, Some("S1"), Some("setting"), 3);
        assert!(err.message.contains(value) && err.message.contains("op, ip"), "{err}");
    }
}

#[test]
fn ip_without_an() {
    let text = doc(&[
        "claims:",
        "  - id: I1",
        "    hn: '001'",
        "    setting: ip",
        "    fund: CSMBS",
        "    service_date: 2025-01-10",
        "    discharge_date: 2025-01-14",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "ip.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::MissingField, "ip.yaml", Some("I1"), Some("an"), 2);
    assert!(err.message.contains("ip"), "{err}");

    // a blank AN is no AN
    let text = text.replace("    setting: ip", "    an: ' '\n    setting: ip");
    let err = only_error(&text, "ip.yaml", Format::Yaml);
    assert_eq!(err.field.as_deref(), Some("an"), "{err}");
    assert_eq!(err.claim_id(), Some("I1"), "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(4), "{err}");
}

#[test]
fn ip_without_discharge_date() {
    let text = doc(&[
        "claims:",
        "  - id: I2",
        "    hn: '001'",
        "    an: '6800001'",
        "    setting: ip",
        "    fund: CSMBS",
        "    service_date: 2025-01-10",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "ip.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::MissingField, "ip.yaml", Some("I2"), Some("discharge_date"), 2);
}

#[test]
fn discharge_before_service_date() {
    let text = doc(&[
        "id: D1",
        "hn: '001'",
        "an: '6800001'",
        "setting: ip",
        "fund: CSMBS",
        "service_date: 2025-01-10",
        "discharge_date: 2025-01-09",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "d.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "d.yaml", Some("D1"), Some("discharge_date"), 7);
    assert!(err.message.contains("2025-01-09") && err.message.contains("service_date"), "{err}");

    // BE on one side, CE on the other: compared as days, not as text
    let text = text.replace("discharge_date: 2025-01-09", "discharge_date: 2568-01-09");
    let err = only_error(&text, "d.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "d.yaml", Some("D1"), Some("discharge_date"), 7);
    // the same day is fine
    let text = text.replace("discharge_date: 2568-01-09", "discharge_date: 2568-01-10");
    assert!(read_claims(&text, "d.yaml", Format::Yaml)[0].claim.is_ok());
}

#[test]
fn submitted_before_service_date() {
    let text = doc(&[
        "id: D2",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-10",
        "submitted: 2024-12-31",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "sub.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "sub.yaml", Some("D2"), Some("submitted"), 6);
    assert!(err.message.contains("2024-12-31"), "{err}");
}

#[test]
fn category_outside_1_to_16() {
    for (value, ok) in [("0", false), ("17", false), ("-1", false), ("1", true), ("16", true)] {
        let text = doc(&[
            "id: C1",
            "hn: '001'",
            "setting: op",
            "fund: UC",
            "service_date: 2025-01-15",
            "items:",
            "  - code: X",
            "    category: 7",
            "    qty: 1",
            "    price: 120",
            "  - code: Y",
            &format!("    category: {value}"),
            "    qty: 1",
            "    price: 120",
        ]);
        if ok {
            let records = read_claims(&text, "cat.yaml", Format::Yaml);
            assert_eq!(claim_of(&records[0]).items[1].category.to_string(), value);
            continue;
        }
        let err = only_error(&text, "cat.yaml", Format::Yaml);
        assert_rejected(&err, DiagnosticKind::InvalidValue, "cat.yaml", Some("C1"), Some("items[1].category"), 12);
        assert!(err.message.contains("1-16"), "{err}");
    }
    // not a number at all
    let text = doc(&[
        "id: C2",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: X, category: lab, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "cat.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "cat.yaml", Some("C2"), Some("items[0].category"), 6);
}

#[test]
fn qty_not_above_zero() {
    for value in ["0", "-1", "0.0000", "-0.5"] {
        let text = doc(&[
            "claims:",
            "  - id: Q1",
            "    hn: '001'",
            "    setting: op",
            "    fund: UC",
            "    service_date: 2025-01-15",
            "    items:",
            "      - code: X",
            "        category: 7",
            &format!("        qty: {value}"),
            "        price: 120",
        ]);
        let err = only_error(&text, "qty.yaml", Format::Yaml);
        assert_rejected(&err, DiagnosticKind::InvalidValue, "qty.yaml", Some("Q1"), Some("items[0].qty"), 10);
        assert!(err.message.contains("above 0"), "{err}");
    }
    // and more than 4 decimals is not a quantity either
    let text = doc(&[
        "id: Q2",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 0.00001, price: 120}]",
    ]);
    let err = only_error(&text, "qty.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "qty.yaml", Some("Q2"), Some("items[0].qty"), 6);
}

#[test]
fn negative_price() {
    let text = doc(&[
        "id: P1",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items:",
        "  - code: REFUND",
        "    category: 16",
        "    qty: 1",
        "    price: -50.25",
    ]);
    let err = only_error(&text, "price.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "price.yaml", Some("P1"), Some("items[0].price"), 10);
    assert!(err.message.contains("-50.25") && err.message.contains("negative"), "{err}");
    // zero is a price (a free item)
    let text = text.replace("price: -50.25", "price: 0");
    assert!(read_claims(&text, "price.yaml", Format::Yaml)[0].claim.is_ok());
}

#[test]
fn money_with_more_than_two_decimals() {
    // plain, quoted, and with more digits than a float holds: all are read as written
    for value in ["1500.005", "'1500.005'", "\"0.001\"", "100.0000000000000001", "1500.0000000000000000001"] {
        let text = doc(&[
            "id: P2",
            "hn: '001'",
            "setting: op",
            "fund: UC",
            "service_date: 2025-01-15",
            "items:",
            "  - code: X",
            "    category: 7",
            "    qty: 1",
            &format!("    price: {value}"),
        ]);
        let err = only_error(&text, "money.yaml", Format::Yaml);
        assert_rejected(&err, DiagnosticKind::InvalidValue, "money.yaml", Some("P2"), Some("items[0].price"), 10);
        assert!(err.message.contains("more than 2 decimals"), "{value}: {err}");
    }
    // JSON numbers too
    let text = r#"{"id": "P3", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2025-01-15",
  "items": [{"code": "X", "category": 7, "qty": 1, "price": 100.0000000000000001}]}"#;
    let err = only_error(text, "money.json", Format::Json);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "money.json", Some("P3"), Some("items[0].price"), 2);
    // trailing zeros are not extra satang
    let text = text.replace("100.0000000000000001", "100.500");
    let records = read_claims(&text, "money.json", Format::Json);
    assert_eq!(claim_of(&records[0]).items[0].price.to_string(), "100.50");
}

#[test]
fn quantities_and_weights_are_read_exactly() {
    // more decimals than a float holds must not be rounded away into an accepted value
    let text = doc(&[
        "id: Q3",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 1.00000000000000001, price: 120}]",
    ]);
    let err = only_error(&text, "qty.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "qty.yaml", Some("Q3"), Some("items[0].qty"), 6);

    let text = doc(&[
        "id: W1",
        "hn: '001'",
        "an: A1",
        "setting: ip",
        "fund: UC",
        "service_date: 2025-01-15",
        "discharge_date: 2025-01-16",
        "adj_rw: 1.23456789012345678901",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let records = read_claims(&text, "rw.yaml", Format::Yaml);
    assert_eq!(claim_of(&records[0]).adj_rw.unwrap().to_string(), "1.23456789012345678901");
}

#[test]
fn duplicate_claim_id_in_two_files() {
    let dir = temp_dir("dup-two-files");
    let a = write(
        &dir,
        "a.yaml",
        &doc(&[
            "id: DUP",
            "hn: '001'",
            "setting: op",
            "fund: UC",
            "service_date: 2025-01-15",
            "items: [{code: X, category: 7, qty: 1, price: 120}]",
        ]),
    );
    let b = write(
        &dir,
        "b.yaml",
        &doc(&[
            "claims:",
            "  - id: OTHER",
            "    hn: '002'",
            "    setting: op",
            "    fund: UC",
            "    service_date: 2025-01-15",
            "    items: [{code: X, category: 7, qty: 1, price: 120}]",
            "  - id: DUP",
            "    hn: '003'",
            "    setting: op",
            "    fund: UC",
            "    service_date: 2025-01-16",
            "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        ]),
    );
    let records = read_batch(&[&a, &b]);
    assert_eq!(records.len(), 3);
    assert_eq!(claim_of(&records[0]).id, "DUP", "the first use stands");
    assert_eq!(claim_of(&records[1]).id, "OTHER");
    let b_name = b.display().to_string();
    let err = error_of(&records[2]);
    assert_rejected(err, DiagnosticKind::DuplicateId, &b_name, Some("DUP"), Some("id"), 8);
    assert!(err.message.contains(&format!("{}:1", a.display())), "names the first use: {err}");
    assert_eq!(records[2].id(), Some("DUP"));

    // the other order: the file read first wins
    let records = read_batch(&[&b, &a]);
    assert!(records[0].claim.is_ok() && records[1].claim.is_ok());
    let err = error_of(&records[2]);
    assert_rejected(err, DiagnosticKind::DuplicateId, &a.display().to_string(), Some("DUP"), Some("id"), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn duplicate_claim_id_in_one_file() {
    let text = doc(&[
        "claims:",
        "  - id: A1",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        "  - id: A2",
        "    hn: '002'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        "  - id: A1",
        "    hn: '003'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    // through DuplicateIds
    let mut ids = DuplicateIds::default();
    let records: Vec<Record> = read_claims(&text, "dup.yaml", Format::Yaml).into_iter().map(|r| ids.check(r)).collect();
    assert_eq!(records.len(), 3);
    assert_eq!(claim_of(&records[0]).hn, "001");
    assert_eq!(claim_of(&records[1]).id, "A2");
    let err = error_of(&records[2]);
    assert_rejected(err, DiagnosticKind::DuplicateId, "dup.yaml", Some("A1"), Some("id"), 14);
    assert!(err.message.contains("dup.yaml:2"), "names the first use: {err}");

    // through read_batch
    let dir = temp_dir("dup-one-file");
    let path = write(&dir, "dup.yaml", &text);
    let records = read_batch(&[&path]);
    assert_eq!(records.len(), 3);
    assert!(records[0].claim.is_ok() && records[1].claim.is_ok());
    assert_rejected(
        error_of(&records[2]),
        DiagnosticKind::DuplicateId,
        &path.display().to_string(),
        Some("A1"),
        Some("id"),
        14,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rejected_claim_still_uses_its_id() {
    // A1 is rejected (qty 0); a second A1 later in the batch is still a second use of the id,
    // or the batch would hold two records for A1 (and JSON output two objects with one id).
    let text = doc(&[
        "claims:",
        "  - id: A1",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 0, price: 120}]",
        "  - id: A1",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let mut ids = DuplicateIds::default();
    let records: Vec<Record> = read_claims(&text, "dup.yaml", Format::Yaml).into_iter().map(|r| ids.check(r)).collect();
    assert_eq!(records.len(), 2);
    let first = error_of(&records[0]);
    assert_rejected(first, DiagnosticKind::InvalidValue, "dup.yaml", Some("A1"), Some("items[0].qty"), 7);
    let second = error_of(&records[1]);
    assert_rejected(second, DiagnosticKind::DuplicateId, "dup.yaml", Some("A1"), Some("id"), 8);
    assert!(second.message.contains("dup.yaml:2"), "{second}");
}

#[test]
fn unparseable_date() {
    for (value, why) in [
        ("2025-02-30", "not a day"),
        ("15/13/2025", "not a day"),
        ("the 15th", "YYYY-MM-DD"),
        ("2568-02-29", "not a day"),
    ] {
        let text = doc(&[
            "id: T1",
            "hn: '001'",
            "setting: op",
            "fund: UC",
            &format!("service_date: {value}"),
            "items: [{code: X, category: 7, qty: 1, price: 120}]",
        ]);
        let err = only_error(&text, "date.yaml", Format::Yaml);
        assert_rejected(&err, DiagnosticKind::InvalidValue, "date.yaml", Some("T1"), Some("service_date"), 5);
        assert!(err.message.contains(value) && err.message.contains(why), "{err}");
    }
    // a charge line's date, and the accident's
    let text = doc(&[
        "id: T2",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items:",
        "  - {code: X, category: 7, qty: 1, price: 120, date: yesterday}",
    ]);
    let err = only_error(&text, "date.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "date.yaml", Some("T2"), Some("items[0].date"), 7);
    let text = doc(&[
        "id: T3",
        "hn: '001'",
        "setting: op",
        "fund: PRB",
        "service_date: 2025-01-15",
        "accident: {date: 2025-13-01, role: pedestrian}",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let err = only_error(&text, "date.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "date.yaml", Some("T3"), Some("accident.date"), 6);
}

#[test]
fn empty_items_list() {
    let text = doc(&["id: E1", "hn: '001'", "setting: op", "fund: UC", "service_date: 2025-01-15", "items: []"]);
    let err = only_error(&text, "empty.yaml", Format::Yaml);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "empty.yaml", Some("E1"), Some("items"), 6);
    assert!(err.message.contains("at least one"), "{err}");
}

#[test]
fn a_yaml_syntax_error_costs_only_its_claim() {
    let text = doc(&[
        "claims:",
        "  - id: Y1",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        "  - id: Y2",
        "    hn: '002",
        "    setting: op",
    ]);
    let records = read_claims(&text, "broken.yaml", Format::Yaml);
    assert_eq!(records.len(), 2, "{records:#?}");
    assert_eq!(claim_of(&records[0]).id, "Y1", "the claim before the error is read");
    let err = error_of(&records[1]);
    assert_eq!(err.kind, DiagnosticKind::Syntax, "{err}");
    assert_eq!(err.claim_id(), Some("Y2"), "named from the text though it does not parse");
    assert_eq!(err.field, None);
    let line = err.pos().expect("a syntax error has a position").line;
    assert!((9..=11).contains(&line), "the error is at or after the unclosed quote: {err}");
    assert!(err.to_string().starts_with(&format!("broken.yaml:{line}:")), "{err}");

    // a tab-indented block: rejected with the line of the tab
    let text = "id: Y3\nhn: '001'\nitems:\n\t- code: X\n";
    let err = only_error(text, "tab.yaml", Format::Yaml);
    assert_eq!(err.kind, DiagnosticKind::Syntax, "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(4), "{err}");
}

#[test]
fn not_a_claim() {
    for (text, line) in [("just text\n", 1), ("claims: none\n", 1), ("\n\nclaims:\n  - 1\n", 4)] {
        let records = read_claims(text, "odd.yaml", Format::Yaml);
        assert_eq!(records.len(), 1, "{text:?}: {records:#?}");
        let err = error_of(&records[0]);
        assert_eq!(err.kind, DiagnosticKind::NotAClaim, "{err}");
        assert_eq!(err.pos().map(|p| p.line), Some(line), "{err}");
        assert!(err.to_string().starts_with(&format!("odd.yaml:{line}:")), "{err}");
    }
    let err = only_error("# nothing here\n", "empty.yaml", Format::Yaml);
    assert_eq!(err.kind, DiagnosticKind::NotAClaim, "{err}");
    assert!(err.to_string().starts_with("empty.yaml: "), "{err}");
}

#[test]
fn a_bad_claim_does_not_stop_the_claims_after_it() {
    let text = doc(&[
        "claims:",
        "  - id: B1",
        "    hn: '001'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        "  - id: B2",
        "    hn: '002'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, prize: 120}]",
        "  - 42",
        "  - id: B3",
        "    hn: '003'",
        "    setting: ip",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
        "  - id: B4",
        "    hn: '004'",
        "    setting: op",
        "    fund: UC",
        "    service_date: 2025-01-15",
        "    items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let records = read_claims(&text, "mixed.yaml", Format::Yaml);
    assert_eq!(records.len(), 5, "every input claim yields exactly one record: {records:#?}");
    assert_eq!(claim_of(&records[0]).id, "B1");
    assert_rejected(
        error_of(&records[1]),
        DiagnosticKind::UnknownField,
        "mixed.yaml",
        Some("B2"),
        Some("items[0].prize"),
        13,
    );
    let err = error_of(&records[2]);
    assert_eq!(err.kind, DiagnosticKind::NotAClaim, "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(14), "{err}");
    assert_rejected(error_of(&records[3]), DiagnosticKind::MissingField, "mixed.yaml", Some("B3"), Some("an"), 15);
    assert_eq!(claim_of(&records[4]).id, "B4");
    let starts: Vec<_> = records.iter().map(|r| r.pos.map(|p| p.line)).collect();
    assert_eq!(starts, [Some(2), Some(8), Some(14), Some(15), Some(21)]);
    let ids: Vec<_> = records.iter().map(Record::id).collect();
    assert_eq!(ids, [Some("B1"), Some("B2"), None, Some("B3"), Some("B4")]);
}

#[test]
fn buddhist_era_dates_read_as_common_era() {
    let text = doc(&[
        "id: BE1",
        "hn: '001'",
        "an: '6800001'",
        "setting: ip",
        "fund: PRB",
        "service_date: 2568-01-15",
        "discharge_date: 2568-01-20",
        "submitted: 25680201",
        "accident: {date: 2568-01-14, role: passenger, counterparty: true}",
        "items:",
        "  - {code: X, category: 7, qty: 1, price: 120, date: 2568-01-16}",
        "  - {code: Y, category: 7, qty: 1, price: 120, date: 2025-01-17}",
    ]);
    let records = read_claims(&text, "be.yaml", Format::Yaml);
    let claim = claim_of(&records[0]);
    assert_eq!(claim.service_date, day(2025, 1, 15));
    assert_eq!(claim.discharge_date, Some(day(2025, 1, 20)));
    assert_eq!(claim.submitted, Some(day(2025, 2, 1)));
    assert_eq!(claim.accident.as_ref().map(|a| a.date), Some(day(2025, 1, 14)));
    assert_eq!(claim.items[0].date, Some(day(2025, 1, 16)));
    assert_eq!(claim.items[1].date, Some(day(2025, 1, 17)));
    assert_eq!(claim.fiscal_year().to_string(), "FY2568");
    // written back, the dates are CE
    let yaml = kongtun_core::yaml::to_string(claim).unwrap();
    assert!(yaml.contains("2025-01-15") && !yaml.contains("2568"), "{yaml}");

    // in JSON, and a BE leap day that does not exist (2568 = 2025)
    let text = r#"{"id": "BE2", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2567-02-29",
  "items": [{"code": "X", "category": 7, "qty": 1, "price": 1}]}"#;
    let records = read_claims(text, "be.json", Format::Json);
    assert_eq!(claim_of(&records[0]).service_date, day(2024, 2, 29));
    let text = text.replace("2567-02-29", "2568-02-29");
    let err = only_error(&text, "be.json", Format::Json);
    assert_rejected(&err, DiagnosticKind::InvalidValue, "be.json", Some("BE2"), Some("service_date"), 1);
}

#[test]
fn json_file() {
    let text = r#"{
  "claims": [
    {
      "id": "J1",
      "hn": "001",
      "setting": "op",
      "fund": "UC",
      "service_date": "2568-01-15",
      "items": [{"code": 2006, "category": 2, "qty": 1, "price": 2800}]
    },
    {
      "id": "J2",
      "hn": "002",
      "setting": "op",
      "fund": "UC",
      "service_date": "2025-01-15",
      "items": [
        {"code": "X", "category": 7, "qty": 1, "price": 120},
        {"code": "Y", "category": 17, "qty": 1, "price": 120}
      ]
    },
    {
      "id": "J3",
      "hn": "003",
      "setting": "op",
      "fund": "UC",
      "service_date": "2025-01-15",
      "submitted": "2025-01-14",
      "items": [{"code": "X", "category": 7, "qty": 1, "price": 120}]
    },
    {"id": "J4", "hn": "004", "setting": "op", "fund": "UC", "service_date": "2025-01-15",
     "items": [{"code": "X", "category": 7, "qty": 1, "price": 120}]}
  ]
}
"#;
    let records = read_claims(text, "claims.json", Format::Json);
    assert_eq!(records.len(), 4, "{records:#?}");
    let j1 = claim_of(&records[0]);
    assert_eq!(j1.service_date, day(2025, 1, 15));
    assert_eq!(j1.items[0].code, "2006");
    assert_rejected(
        error_of(&records[1]),
        DiagnosticKind::InvalidValue,
        "claims.json",
        Some("J2"),
        Some("items[1].category"),
        19,
    );
    assert_rejected(
        error_of(&records[2]),
        DiagnosticKind::InvalidValue,
        "claims.json",
        Some("J3"),
        Some("submitted"),
        28,
    );
    assert_eq!(claim_of(&records[3]).id, "J4");

    // a bare list, and the format chosen by extension when read from disk
    let dir = temp_dir("json-file");
    let path = write(&dir, "list.json", &format!("[{}]", serde_json::to_string(j1).unwrap()));
    let records = read_path(&path);
    assert_eq!(records.len(), 1);
    assert_eq!(claim_of(&records[0]), j1);
    let _ = std::fs::remove_dir_all(&dir);

    // a JSON syntax error
    let err = only_error("{\"id\": \"J5\",\n \"hn\": \"001\" \"002\"}\n", "bad.json", Format::Json);
    assert_eq!(err.kind, DiagnosticKind::Syntax, "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(2), "{err}");
    assert!(err.to_string().starts_with("bad.json:2:"), "{err}");
}

#[test]
fn json_lines_bad_line_fails_alone() {
    let good = |id: &str| {
        format!(
            r#"{{"id": "{id}", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2025-01-15", "items": [{{"code": "X", "category": 7, "qty": 1, "price": "120.00"}}]}}"#
        )
    };
    let lines = [
        good("L1"),
        r#"{"id": "L2", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2025-01-15", "items": [{"code": "X", "#.to_string(),
        String::new(),
        good("L3"),
        r#"{"id": "L4", "hn": "001", "setting": "op", "fund": "UC", "service_date": "2025-01-15", "items": [{"code": "X", "category": 7, "qty": 1, "price": "-1"}]}"#.to_string(),
        "[1, 2]".to_string(),
        good("L5"),
    ];
    let text = lines.join("\r\n");
    let records = read_claims(&text, "batch.jsonl", Format::JsonLines);
    assert_eq!(records.len(), 6, "one record per non-blank line: {records:#?}");
    assert_eq!(claim_of(&records[0]).id, "L1");
    let err = error_of(&records[1]);
    assert_eq!(err.kind, DiagnosticKind::Syntax, "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(2), "{err}");
    assert!(err.to_string().starts_with("batch.jsonl:2:"), "{err}");
    assert_eq!(records[1].pos.map(|p| p.line), Some(2));
    assert_eq!(claim_of(&records[2]).id, "L3");
    assert_rejected(
        error_of(&records[3]),
        DiagnosticKind::InvalidValue,
        "batch.jsonl",
        Some("L4"),
        Some("items[0].price"),
        5,
    );
    let err = error_of(&records[4]);
    assert_eq!(err.kind, DiagnosticKind::NotAClaim, "{err}");
    assert_eq!(err.pos().map(|p| p.line), Some(6), "{err}");
    assert_eq!(claim_of(&records[5]).id, "L5");

    // duplicates across lines, read from disk
    let dir = temp_dir("jsonl");
    let path = write(&dir, "dup.jsonl", &format!("{}\n{}\n", good("L1"), good("L1")));
    let records = read_batch(&[&path]);
    assert_eq!(records.len(), 2);
    assert!(records[0].claim.is_ok());
    assert_rejected(
        error_of(&records[1]),
        DiagnosticKind::DuplicateId,
        &path.display().to_string(),
        Some("L1"),
        Some("id"),
        2,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_is_read_recursively_in_path_order() {
    let dir = temp_dir("walk");
    let claim = |id: &str| {
        doc(&[
            &format!("id: {id}"),
            "hn: '001'",
            "setting: op",
            "fund: UC",
            "service_date: 2025-01-15",
            "items: [{code: X, category: 7, qty: 1, price: 120}]",
        ])
    };
    write(&dir, "b.yml", &claim("W2"));
    write(&dir, "a.yaml", &claim("W1"));
    write(
        &dir,
        "sub/c.json",
        r#"{"id": "W3", "hn": "1", "setting": "op", "fund": "UC", "service_date": "2025-01-15", "items": []}"#,
    );
    write(
        &dir,
        "sub/d.jsonl",
        &format!("{}\n", serde_json::to_string(claim_of(&read_claims(&claim("W4"), "x", Format::Yaml)[0])).unwrap()),
    );
    write(&dir, "notes.txt", "not a claim");
    let records = read_batch(&[&dir]);
    let ids: Vec<_> = records.iter().map(Record::id).collect();
    assert_eq!(ids, [Some("W1"), Some("W2"), Some("W3"), Some("W4")], "{records:#?}");
    let c = dir.join("sub/c.json").display().to_string();
    assert_rejected(error_of(&records[2]), DiagnosticKind::InvalidValue, &c, Some("W3"), Some("items"), 1);
    assert!(records[3].claim.is_ok());

    // a path that does not exist is one I/O record, and the rest of the batch is still read
    let missing = dir.join("nope.yaml");
    let records = read_batch(&[missing.clone(), dir.join("a.yaml")]);
    assert_eq!(records.len(), 2);
    let err = error_of(&records[0]);
    assert_eq!(err.kind, DiagnosticKind::Io);
    assert!(err.to_string().starts_with(&missing.display().to_string()), "{err}");
    assert!(records[1].claim.is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn awkward_text_survives_a_yaml_and_a_json_round_trip() {
    let text = doc(&[
        "id: A1",
        "hn: '001'",
        "setting: op",
        "fund: UC",
        "service_date: 2025-01-15",
        "items: [{code: X, category: 7, qty: 1, price: 120}]",
    ]);
    let base = claim_of(&read_claims(&text, "base.yaml", Format::Yaml)[0]).clone();
    let awkward = [
        "2006",
        "81.50",
        "000123",
        "1e3",
        "0x1F",
        ".inf",
        "true",
        "no",
        "null",
        "~",
        "a\tb",
        "\ta",
        "a\nb",
        "a\n",
        "\na",
        " a\n b",
        "a\r\nb",
        "a\rb",
        "\u{1}",
        "a\u{7f}",
        "\u{85}a",
        "a\u{2028}b",
        "a\u{2029} b",
        "\u{feff}a",
        "a\u{feff}",
        "\u{a0}a",
        "a\u{200b}",
        "\u{1F600}",
        "\u{e000}",
        "'",
        "\"",
        "\\",
        "a # b",
        "#a",
        "a: b",
        "- a",
        "? a",
        "&a",
        "*a",
        "!a",
        "|",
        ">",
        "%a",
        "@a",
        "`a",
        "{a}",
        "[a]",
        ",a",
        "a,",
        " a",
        "a ",
        "...",
        "---",
        "ยาเม็ด 500 มก.",
    ];
    for s in awkward {
        let mut claim = base.clone();
        claim.items[0].code = s.to_string();
        claim.items[0].serial = Some(s.to_string());
        claim.diagnoses = vec![s.to_string()];
        let yaml = kongtun_core::yaml::to_string(&claim).unwrap();
        let back = read_claims(&yaml, "awkward.yaml", Format::Yaml);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].claim.as_ref(), Ok(&claim), "{s:?} in YAML:\n{yaml}");
        let json = serde_json::to_string(&claim).unwrap();
        let back = read_claims(&json, "awkward.json", Format::Json);
        assert_eq!(back[0].claim.as_ref(), Ok(&claim), "{s:?} in JSON:\n{json}");
    }
}

// ---------------------------------------------------------------------------------------
// round trip

mod round_trip {
    use chrono::{Duration, NaiveDate};
    use kongtun_core::category::ChargeCategory;
    use kongtun_core::claim::{Accident, AccidentRole, CaseStatus, Claim, Line, Setting};
    use kongtun_core::document::{read_claims, Format};
    use kongtun_core::fund::FundId;
    use kongtun_core::money::Money;
    use kongtun_core::yaml;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Text fields: number-like codes, YAML keywords, Thai, punctuation.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("2006".to_string()),
            Just("81.50".to_string()),
            Just("000123".to_string()),
            Just("1e3".to_string()),
            Just("0x1F".to_string()),
            Just("true".to_string()),
            Just("no".to_string()),
            Just("null".to_string()),
            Just("~".to_string()),
            Just("-".to_string()),
            Just("TKA-SET".to_string()),
            "[0-9]{1,8}",
            "[0-9]{1,4}\\.[0-9]{1,3}",
            "[A-Z][A-Z0-9.-]{0,9}",
            "[ -~]{1,16}",
            "[ก-๙ ]{1,10}",
            "\\PC{1,12}",
        ]
    }

    fn nonblank() -> impl Strategy<Value = String> {
        text().prop_filter("not blank", |s| !s.trim().is_empty())
    }

    /// A decimal of `0..=max` with `0..=max_dp` decimals, as written with that scale.
    fn decimal(max: i64, max_dp: u32) -> impl Strategy<Value = Decimal> {
        (0..=max_dp).prop_flat_map(move |dp| (0..=max * 10_i64.pow(dp)).prop_map(move |m| Decimal::new(m, dp)))
    }

    fn money() -> impl Strategy<Value = Money> {
        prop_oneof![decimal(10_000_000_000, 2), decimal(100_000, 2), (0..=100_i64).prop_map(Decimal::from)]
            .prop_map(|d| Money::new(d).unwrap())
    }

    fn qty() -> impl Strategy<Value = Decimal> {
        prop_oneof![decimal(1_000_000, 4), decimal(10, 4), (1..=10_i64).prop_map(Decimal::from)]
            .prop_filter("above 0", |q| !q.is_zero())
    }

    /// CE days that cannot be mistaken for BE: every year below 2400.
    fn service_date() -> impl Strategy<Value = NaiveDate> {
        let first = NaiveDate::from_ymd_opt(1900, 3, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(2398, 12, 31).unwrap();
        prop_oneof![
            (0..=(last - first).num_days()).prop_map(move |n| first + Duration::days(n)),
            (0..=4000_i64).prop_map(|n| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(n)),
        ]
    }

    fn accident() -> impl Strategy<Value = (i64, Option<AccidentRole>, bool, CaseStatus)> {
        (
            0..30_i64,
            proptest::option::of(prop_oneof![
                Just(AccidentRole::Driver),
                Just(AccidentRole::Passenger),
                Just(AccidentRole::Pedestrian)
            ]),
            any::<bool>(),
            prop_oneof![Just(CaseStatus::Pending), Just(CaseStatus::Entitled), Just(CaseStatus::NotEntitled)],
        )
    }

    fn line() -> impl Strategy<Value = (String, u8, Decimal, Money, Option<i64>, bool, Option<String>)> {
        (
            nonblank(),
            1..=16_u8,
            qty(),
            money(),
            proptest::option::of(0..=60_i64),
            any::<bool>(),
            proptest::option::of(text()),
        )
    }

    prop_compose! {
        fn claim()(
            id in nonblank(),
            hn in nonblank(),
            an in proptest::option::of(nonblank()),
            ip in any::<bool>(),
            fund in prop_oneof![
                Just("UC".to_string()), Just("CSMBS".to_string()), Just("PRB".to_string()), "[A-Z][A-Z0-9_]{1,7}"
            ],
            sub_fund in proptest::option::of(text()),
            service_date in service_date(),
            stay in proptest::option::of(0..=60_i64),
            submitted in proptest::option::of(0..=400_i64),
            adj_rw in proptest::option::of(decimal(1000, 4)),
            diagnoses in proptest::collection::vec(nonblank(), 0..3),
            procedures in proptest::collection::vec(nonblank(), 0..3),
            accident in proptest::option::of(accident()),
            lines in proptest::collection::vec(line(), 1..4),
            place in proptest::option::of(("[0-9]{5}", "[0-9]{5}", "[0-9]{13}")),
            came in (proptest::option::of(0..6_usize), any::<bool>()),
            amounts in proptest::collection::vec(proptest::option::of(money()), 4),
        ) -> Claim {
            let setting = if ip { Setting::Ip } else { Setting::Op };
            // an admission has its AN and discharge date; a visit may carry them too
            let an = if ip { Some(an.unwrap_or_else(|| "AN1".into())) } else { an };
            let stay = if ip { Some(stay.unwrap_or(0)) } else { stay };
            let discharge_date = stay.map(|d| service_date + Duration::days(d));
            let (hcode, hospmain, cid) = match place {
                Some((h, m, c)) => (Some(h), Some(m), Some(c)),
                None => (None, None, None),
            };
            let mut claim = Claim {
                id,
                hn,
                cid,
                hcode,
                hospmain,
                hospsub: None,
                approval: None,
                an,
                setting,
                fund: FundId::new(&fund),
                sub_fund,
                service_date,
                discharge_date,
                submitted: None,
                adj_rw,
                diagnoses,
                procedures,
                accident: accident.map(|(before, role, counterparty, case)| Accident {
                    date: service_date - Duration::days(before),
                    role,
                    counterparty,
                    case,
                    reference: None,
                    prb_already_paid: None,
                }),
                visit_type: came.0.map(|i| {
                    use kongtun_core::claim::VisitType::*;
                    [Accident, Emergency, ReferInProvince, ReferOutOfProvince, UnitChange, Outreach][i]
                }),
                work_injury: came.1,
                items: Vec::new(),
            };
            let last = claim.claim_date();
            let span = (last - service_date).num_days();
            claim.submitted = submitted.map(|d| last + Duration::days(d));
            claim.items = lines
                .into_iter()
                .zip(amounts)
                .map(|((code, category, qty, price, date, claimable, serial), amount)| Line {
                    code,
                    category: ChargeCategory::new(i64::from(category)).unwrap(),
                    qty,
                    price,
                    date: date.map(|d| service_date + Duration::days(d % (span + 1))),
                    claimable,
                    serial,
                    amount,
                })
                .collect();
            claim
        }
    }

    fn read_one(text: &str, file: &str, format: Format) -> Result<Claim, String> {
        let records = read_claims(text, file, format);
        if records.len() != 1 {
            return Err(format!("{} records from:\n{text}", records.len()));
        }
        records.into_iter().next().unwrap().claim.map_err(|e| format!("{e}\nin:\n{text}"))
    }

    proptest! {
        #[test]
        fn a_valid_claim_survives_yaml(claim in claim()) {
            let text = yaml::to_string(&claim).unwrap();
            let back = read_one(&text, "p.yaml", Format::Yaml).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&back, &claim, "\n{}", text);
            // and the scale of every decimal: written again, the text is the same
            prop_assert_eq!(yaml::to_string(&back).unwrap(), text);
        }

        #[test]
        fn a_valid_claim_survives_json(claim in claim()) {
            let text = serde_json::to_string(&claim).unwrap();
            let back = read_one(&text, "p.json", Format::Json).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&back, &claim, "\n{}", text);
            prop_assert_eq!(serde_json::to_string(&back).unwrap(), text.clone());
            let pretty = serde_json::to_string_pretty(&claim).unwrap();
            prop_assert_eq!(&read_one(&pretty, "p.json", Format::Json).map_err(TestCaseError::fail)?, &claim);
            let line = read_one(&text, "p.jsonl", Format::JsonLines).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&line, &claim);
        }

        #[test]
        fn a_list_of_valid_claims_survives_yaml_and_json(claims in proptest::collection::vec(claim(), 1..4)) {
            let doc = std::collections::BTreeMap::from([("claims", &claims)]);
            let yaml_text = yaml::to_string(&doc).unwrap();
            let json_text = serde_json::to_string(&doc).unwrap();
            let texts = [(yaml_text, Format::Yaml), (json_text, Format::Json)];
            for (text, format) in texts {
                let records = read_claims(&text, "list", format);
                prop_assert_eq!(records.len(), claims.len());
                for (record, claim) in records.iter().zip(&claims) {
                    prop_assert_eq!(record.claim.as_ref().map_err(|e| e.to_string()), Ok(claim), "\n{}", text);
                }
            }
        }
    }
}
