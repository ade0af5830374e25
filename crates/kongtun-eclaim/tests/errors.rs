//! Every kind of bad row, each named with its file, line, field and claim id; what it does to
//! its visit; and the sets that cannot be read at all.

mod common;

use common::{adp, dru, options, row, TestSet, ADP_HEADER, DRU_HEADER};
use kongtun_core::diagnostic::DiagnosticKind;
use kongtun_eclaim::adjrw::AdjRwTable;
use kongtun_eclaim::encoding::{encode_tis620, TextEncoding};
use kongtun_eclaim::import::{import_set, BrokenRows};
use kongtun_eclaim::source::SetFiles;
use kongtun_eclaim::SetError;

const CHA_V1: &str =
    "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002|A1|20250114|11|2000.00||\n";

/// The base set with one ADP row for V1 (CBC, 120.00 under CHA 71), made broken by `edit`.
fn with_adp(edit: impl Fn(Vec<String>) -> Vec<String>) -> TestSet {
    let fields: Vec<String> = adp("001", "", "V1", "20250115", "15", "CBC", "1", "120.00", "", "120.00")
        .split('|')
        .map(String::from)
        .collect();
    TestSet::base().with("ADP.txt", &format!("{ADP_HEADER}\n{}\n", edit(fields).join("|"))).with("CHA.txt", CHA_V1)
}

#[test]
fn a_row_with_a_column_missing_rejects_its_visit_or_stays_in_the_remainder() {
    // The exporter left out DATEOPD: TYPE sits where DATEOPD belongs, and SEQ moved too.
    let set = with_adp(|mut f| {
        f.remove(2);
        f
    });
    let out = set.read(&options());
    out.assert_count_in_equals_count_out(2);
    assert_eq!(
        out.rejection("V1"),
        "set/ADP.txt:2: claim V1: the row has 26 fields where the header has 27: a column is left out or added, so its fields sit in the wrong columns"
    );
    assert_eq!(
        out.records.iter().find(|r| r.id() == Some("V1")).unwrap().claim.as_ref().unwrap_err().kind,
        DiagnosticKind::Syntax
    );
    assert!(out.claim("A1").items.len() == 1, "the other visit is not affected");

    let mut lenient = options();
    lenient.broken_rows = BrokenRows::Remainder;
    let out = set.read(&lenient);
    let claim = out.claim("V1");
    assert_eq!(claim.items.len(), 1);
    assert_eq!((claim.items[0].code.as_str(), claim.items[0].charged().to_string()), ("CHA-71", "120.00".into()));
    assert_eq!(
        out.warnings(),
        vec!["set/ADP.txt:2: warning: claim V1: the row has 26 fields where the header has 27: a column is left out or added, so its fields sit in the wrong columns (--broken-rows remainder: the row is left out; its amount stays in the CHA remainder)"]
    );
}

#[test]
fn unparseable_and_empty_fields_name_their_column() {
    let cases: Vec<(usize, &str, &str)> = vec![
        (5, "abc", "set/ADP.txt:2: claim V1: QTY: `abc` is not a number: expected digits with an optional decimal point (1234.50 or 1,234.50)"),
        (5, "0", "set/ADP.txt:2: claim V1: QTY: `0` is out of range: expected above 0 and at most 1000000"),
        (6, "-5", "set/ADP.txt:2: claim V1: RATE: `-5` is negative: expected 0 or more"),
        (14, "1.234", "set/ADP.txt:2: claim V1: TOTAL: `1.234` has more than 2 decimals (satang is the smallest unit)"),
        (2, "20251345", "set/ADP.txt:2: claim V1: DATEOPD: `20251345` is not a day of the calendar"),
        (3, "21", "set/ADP.txt:2: claim V1: TYPE: `21` is not an ADP TYPE: expected 1-20"),
        (4, "", "set/ADP.txt:2: claim V1: CODE: empty"),
    ];
    for (i, value, want) in cases {
        let out = with_adp(|mut f| {
            f[i] = value.to_string();
            f
        })
        .read(&options());
        assert_eq!(out.rejection("V1"), want);
    }
    let rows = format!("{DRU_HEADER}\n{}\n", dru("001", "", "V1", "X", "1", "1,2", "1", ""));
    let out = TestSet::base().with("DRU.txt", &rows).with("CHA.txt", CHA_V1).read(&options());
    assert!(
        out.rejection("V1").starts_with("set/DRU.txt:2: claim V1: DRUGPRIC: `1,2` is not a number"),
        "{}",
        out.rejection("V1")
    );
}

#[test]
fn bad_visit_rows() {
    let opd = |date: &str| format!("HN|CLINIC|DATEOPD|TIMEOPD|SEQ\n001|0100|{date}|0930|V1\n");
    let out = TestSet::base().with("OPD.txt", &opd("")).read(&options());
    assert_eq!(out.rejection("V1"), "set/OPD.txt:2: claim V1: DATEOPD: empty: expected a date YYYYMMDD");
    let out = TestSet::base().with("OPD.txt", &opd("15/01/2025")).read(&options());
    assert_eq!(out.rejection("V1"), "set/OPD.txt:2: claim V1: DATEOPD: `15/01/2025` is not a date: expected YYYYMMDD");
    // No SEQ: a rejection with no id, still one record for the row.
    let out =
        TestSet::base().with("OPD.txt", "HN|CLINIC|DATEOPD|TIMEOPD|SEQ\n001|0100|20250115|0930|\n").read(&options());
    out.assert_count_in_equals_count_out(2);
    assert!(
        out.errors().contains(&"set/OPD.txt:2: SEQ: empty: an OPD row needs its SEQ, the claim id".to_string()),
        "{:?}",
        out.errors()
    );
    // A discharge before the admission: the claim checks name the IPD column.
    let ipd = "HN|AN|DATEADM|DATEDSC\n002|A1|20250110|20250109\n";
    let out = TestSet::base().with("IPD.txt", ipd).read(&options());
    assert_eq!(
        out.rejection("A1"),
        "set/IPD.txt:2: claim A1: DATEDSC: 2025-01-09 is before service_date 2025-01-10: expected on or after it"
    );
}

#[test]
fn a_line_date_outside_the_stay_names_its_row() {
    let rows = format!("{ADP_HEADER}\n{}\n", adp("002", "A1", "", "20250120", "10", "ROOM", "1", "2000.00", "", ""));
    let out = TestSet::base().with("ADP.txt", &rows).read(&options());
    assert_eq!(
        out.rejection("A1"),
        "set/ADP.txt:2: claim A1: DATEOPD: 2025-01-20 is outside the visit: expected from 2025-01-10 to 2025-01-14"
    );
}

#[test]
fn a_repeated_visit_row_is_rejected_and_counted() {
    let opd = format!("{}{}\n", *common::OPD, common::opd("001", "20250115", "V1"));
    let out = TestSet::base().with("OPD.txt", &opd).read(&options());
    out.assert_count_in_equals_count_out(3);
    let e = out.records[1].claim.as_ref().unwrap_err();
    assert_eq!(
        e.to_string(),
        "set/OPD.txt:3: claim V1: SEQ: the OPD row of line 2 has the same HN 001 and SEQ: one row per visit"
    );
    assert_eq!(e.kind, DiagnosticKind::DuplicateId);
}

#[test]
fn rows_that_join_no_visit_are_records_of_their_own() {
    let rows = format!(
        "{ADP_HEADER}\n{}\n{}\n",
        adp("001", "", "V9", "", "15", "CBC", "1", "120.00", "", ""),
        adp("009", "A9", "", "", "15", "CBC", "1", "120.00", "", "")
    );
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", CHA_V1).read(&options());
    out.assert_count_in_equals_count_out(2);
    assert_eq!(out.summary.unmatched, 2);
    let errors = out.errors();
    assert!(
        errors.contains(&"set/ADP.txt:2: SEQ: HN 001, SEQ V9: no such visit in OPD nor admission in IPD".to_string()),
        "{errors:?}"
    );
    assert!(
        errors.contains(&"set/ADP.txt:3: AN: AN A9: no such visit in OPD nor admission in IPD".to_string()),
        "{errors:?}"
    );
    let unmatched = out
        .records
        .iter()
        .filter_map(|r| r.claim.as_ref().err())
        .filter(|d| d.kind == DiagnosticKind::Unmatched)
        .count();
    assert_eq!(unmatched, 2);
    // Each file's rows are checked: CHA too.
    let cha = format!("{CHA_V1}001||20250115|71|5.00||V8\n");
    let out = TestSet::base().with("CHA.txt", &cha).read(&options());
    assert!(out
        .errors()
        .contains(&"set/CHA.txt:4: SEQ: HN 001, SEQ V8: no such visit in OPD nor admission in IPD".to_string()));
}

#[test]
fn a_visit_without_ins_is_rejected() {
    let ins = "HN|INSCL|SEQ|AN\n002|OFC||A1\n";
    let out = TestSet::base().with("INS.txt", ins).read(&options());
    assert_eq!(out.rejection("V1"), "set/OPD.txt:2: claim V1: no INS row for this visit (HN 001, SEQ V1): its right (INSCL), and so its fund, is unknown");
    let out = TestSet::base().with("INS.txt", "HN|INSCL|SEQ|AN\n001||V1|\n002|OFC||A1\n").read(&options());
    assert_eq!(out.rejection("V1"), "set/INS.txt:2: claim V1: INSCL: empty: the visit's right decides its fund");
}

#[test]
fn items_above_the_summary_and_cht_mismatches_name_both_amounts() {
    let rows = format!("{ADP_HEADER}\n{}\n", adp("001", "", "V1", "", "15", "CBC", "2", "100.00", "", ""));
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", CHA_V1).read(&options());
    assert_eq!(
        out.rejection("V1"),
        "set/CHA.txt:2: claim V1: AMOUNT: CHA 71 is 120.00 but the ADP and DRU lines of category 7 come to 200.00: the items are above the summary"
    );
    let cht = "HN|AN|DATE|TOTAL|PAID|PTTYPE|PERSON_ID|SEQ\n001||20250115|1,120.00|0|||V1\n";
    let out = TestSet::base().with("CHT.txt", cht).read(&options());
    assert_eq!(
        out.rejection("V1"),
        "set/CHT.txt:2: claim V1: TOTAL: CHT TOTAL is 1,120.00 but the CHA rows of the visit come to 120.00"
    );
}

#[test]
fn ambiguous_types_k1_and_bad_chrgitems() {
    let rows = format!("{ADP_HEADER}\n{}\n", adp("001", "", "V1", "", "8", "REFER", "1", "50.00", "", ""));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n001||20250115|I1|60.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", cha).read(&options());
    assert_eq!(
        out.rejection("V1"),
        "set/ADP.txt:2: claim V1: TYPE: TYPE 8 takes the category of the CHA line it falls under, but it could fall under any of 71 (120.00 left), I1 (60.00 left), and the rows of TYPE 1 and 3-8 (50.00) match none of them exactly: give the row a TYPE that names its category (2, 9-20)"
    );
    let k1 = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|K1|120.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("CHA.txt", k1).read(&options());
    assert!(
        out.rejection("V1").starts_with("set/CHA.txt:2: claim V1: CHRGITEM: K1 (พรบ.) names no charge category"),
        "{}",
        out.rejection("V1")
    );
    let bad = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|7|120.00||V1\n002|A1|20250114|11|2,000|| \n";
    let out = TestSet::base().with("CHA.txt", bad).read(&options());
    assert_eq!(
        out.rejection("V1"),
        "set/CHA.txt:2: claim V1: CHRGITEM: `7` is not a CHRGITEM code: expected a category character 1-9, A-J and a flag 1 or 2, or K1"
    );
    assert_eq!(out.claim("A1").charged().to_string(), "2000.00", "thousands commas");
}

#[test]
fn a_bad_adjrw_rejects_its_admission_naming_the_csv_line() {
    let mut o = options();
    o.adjrw = Some(AdjRwTable::parse("an,adjrw\nA1,n/a\n", "rw.csv").unwrap());
    let out = TestSet::base().read(&o);
    assert!(
        out.rejection("A1").starts_with("rw.csv:2: claim A1: adjrw: `n/a` is not a number"),
        "{}",
        out.rejection("A1")
    );
    o.adjrw = Some(AdjRwTable::parse("an,adjrw\nA1,1500\n", "rw.csv").unwrap());
    let out = TestSet::base().read(&o);
    assert_eq!(out.rejection("A1"), "rw.csv:2: claim A1: adjrw: 1500 is out of range: expected 0 to 1000");
}

#[test]
fn every_further_error_of_a_visit_is_noted() {
    let rows = format!(
        "{ADP_HEADER}\n{}\n{}\n",
        adp("001", "", "V1", "", "15", "CBC", "x", "120.00", "", ""),
        adp("001", "", "V1", "", "15", "CBC", "1", "y", "", "")
    );
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", CHA_V1).read(&options());
    assert!(out.rejection("V1").starts_with("set/ADP.txt:2: claim V1: QTY:"));
    assert!(out.errors().iter().any(|e| e.starts_with("set/ADP.txt:3: claim V1: RATE:")), "{:?}", out.errors());
}

#[test]
fn sets_that_cannot_be_read() {
    let set = |files: Vec<(&str, &str)>| {
        SetFiles::from_memory("set", files.into_iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect())
    };
    let err = |s: Result<SetFiles, SetError>| {
        let mut out = common::Out::default();
        import_set(s.unwrap(), &options(), &mut out).unwrap_err().to_string()
    };
    assert_eq!(
        err(set(vec![("PAT.txt", "HN\n"), ("OPD.txt", "HN\n")])),
        "set: no INS.txt in the set: an e-Claim 16-file set needs INS, PAT, and OPD or IPD"
    );
    assert_eq!(
        err(set(vec![("INS.txt", "HN\n"), ("PAT.txt", "HN\n")])),
        "set: no OPD or IPD.txt in the set: an e-Claim 16-file set needs INS, PAT, and OPD or IPD"
    );
    let e = set(vec![("INS.txt", ""), ("ins.TXT", "")]).unwrap_err().to_string();
    assert_eq!(e, "set/INS.txt and set/ins.TXT: two INS files in one set");
    let e = err(Ok(TestSet::base().with("ADP.txt", "HN|AN|SEQ|TYPE|QTY|RATE\n").read_files()));
    assert_eq!(e, "set/ADP.txt:1: the header has no CODE column (found: HN|AN|SEQ|TYPE|QTY|RATE)");
    let mut utf8 = options();
    utf8.encoding = Some(TextEncoding::Utf8);
    let pat = encode_tis620(&format!("{}{}\n", *common::PAT, row(15, &[(1, "003"), (10, "นาง ใจดี")])));
    let files = TestSet::base().with_bytes("PAT.txt", pat).read_files();
    let mut out = common::Out::default();
    let e = import_set(files, &utf8, &mut out).unwrap_err();
    assert_eq!(
        e.to_string(),
        "set/PAT.txt:4:14: not UTF-8 text, but --encoding utf-8 was given (leave it out to read TIS-620 / Windows-874)"
    );
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces rows are made of, so that most of it looks almost right.
    fn rowish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("|".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("001".to_string()),
            Just("V1".to_string()),
            Just("A1".to_string()),
            Just("20250115".to_string()),
            Just("71".to_string()),
            Just("K1".to_string()),
            Just("120.00".to_string()),
            Just("1,000".to_string()),
            Just("-1".to_string()),
            Just("ใจดี".to_string()),
            Just("\u{feff}".to_string()),
            "[ -~]{0,6}",
        ];
        proptest::collection::vec(piece, 0..80).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever a detail file holds, nothing panics and every visit ends as a claim or
        /// a rejection.
        #[test]
        fn any_detail_file_counts_in_what_it_counts_out(text in rowish(), file in 0usize..6, raw in proptest::collection::vec(any::<u8>(), 0..64)) {
            let name = ["ADP.txt", "DRU.txt", "CHA.txt", "CHT.txt", "AER.txt", "INS.txt"][file];
            let header = match name {
                "ADP.txt" => ADP_HEADER.to_string(),
                "DRU.txt" => DRU_HEADER.to_string(),
                "CHA.txt" => "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ".to_string(),
                "CHT.txt" => "HN|AN|DATE|TOTAL|PAID|PTTYPE|PERSON_ID|SEQ".to_string(),
                "AER.txt" => "HN|AN|DATEOPD|AUTHAE|AEDATE|AETIME|AETYPE|SEQ".to_string(),
                _ => "HN|INSCL|SEQ|AN".to_string(),
            };
            let mut bytes = format!("{header}\n{text}").into_bytes();
            bytes.extend(raw);
            let out = TestSet::base().with_bytes(name, bytes).read(&options());
            out.assert_count_in_equals_count_out(2);
        }
    }
}

#[test]
fn a_broken_pat_row_is_reported_and_not_used() {
    let pat = format!("{}{}\n", *common::PAT, row(14, &[(0, "55555"), (1, "001")]));
    let pat = pat.replacen("10703|001|", "X|", 1);
    let out = TestSet::base().with("PAT.txt", &pat).read(&options());
    out.assert_count_in_equals_count_out(2);
    assert!(
        out.errors().iter().any(|e| e.starts_with("set/PAT.txt:2: the row has 14 fields where the header has 15")),
        "{:?}",
        out.errors()
    );
    assert!(out.errors().iter().any(|e| e.starts_with("set/PAT.txt:4: the row has 14 fields")), "{:?}", out.errors());
    assert_eq!(out.claim("V1").hcode, None, "no usable PAT row for HN 001");
}
