//! Statement files in: REP, STM and CSMBS fixtures written here (made-up data), read back
//! field by field; header mapping with reordered and renamed columns; BE text and Excel dates;
//! rejected rows with their place; matching; and count in = lines + rejected.

#[path = "common/statements.rs"]
mod fixtures;

use chrono::NaiveDate;
use fixtures::{row, RepRow, StmRow, C2};
use kongtun_core::claim::Setting;
use kongtun_core::fund::FundId;
use kongtun_eclaim::statement::matching::{ClaimKey, Found, Matcher, Rule};
use kongtun_eclaim::statement::{detect, read_bytes, Kind, StatementError, StatementRead};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample_rows() -> Vec<RepRow> {
    vec![
        RepRow { seq: "680408001".into(), ..row("T-101", "0002002", "", "08/04/2568", 1500.0) },
        RepRow { error: "116".into(), ..row("T-102", "3003", "", "12/04/2568 09:10:00", 0.0) },
        RepRow {
            disch: "06/04/2568".into(),
            drg: "08260".into(),
            rw: "3.5102".into(),
            adjrw: "3.642".into(),
            ps: "95".into(),
            salary: "2210.70".into(),
            deny_ip: "G40".into(),
            invoice: "INV-77".into(),
            ..row("T-201", "0001001", "680000101", "01/04/2568", 78000.0)
        },
    ]
}

fn rep_read(name: &str, rows: &[RepRow]) -> StatementRead {
    read_bytes(name, &fixtures::rep("6805_OP_01", rows, None)).unwrap()
}

#[test]
fn a_ucs_rep_reads_every_field() {
    let read = rep_read("eclaim_10703_OP_25680515_01.xlsx", &sample_rows());
    assert!(read.rejected.is_empty(), "{:?}", read.rejected);
    // the total row under the detail is passed over, counted
    assert_eq!((read.lines.len(), read.passed_over), (3, 1));
    let [op, err, ip] = &read.lines[..] else { panic!() };
    assert_eq!(op.place.to_string(), "eclaim_10703_OP_25680515_01.xlsx[Detail]:8");
    assert_eq!(op.kind, Kind::Rep);
    assert_eq!(op.statement, "NHSO TRAN T-101");
    assert_eq!(op.document.as_deref(), Some("6805_OP_01"));
    assert_eq!(op.payer, FundId::new("UC"));
    assert_eq!(op.date, day(2025, 5, 15), "the name's BE date");
    assert_eq!((op.hn.as_deref(), op.an.as_deref(), op.seq.as_deref()), (Some("0002002"), None, Some("680408001")));
    assert_eq!(op.admitted, Some(day(2025, 4, 8)));
    assert_eq!(op.paid.to_string(), "1500.00");
    assert_eq!(op.late.as_deref(), None);
    assert_eq!(err.admitted, Some(day(2025, 4, 12)), "a time after the date");
    assert_eq!(err.error_codes, ["116"]);
    assert_eq!(ip.an.as_deref(), Some("680000101"));
    assert_eq!((ip.admitted, ip.discharged), (Some(day(2025, 4, 1)), Some(day(2025, 4, 6))));
    assert_eq!(ip.drg.as_deref(), Some("08260"));
    assert_eq!(ip.rw.map(|d| d.to_string()).as_deref(), Some("3.5102"));
    assert_eq!(ip.adj_rw.map(|d| d.to_string()).as_deref(), Some("3.642"), "AdjRW_NHSO, not AdjRW2");
    // the PS percent is the sub-header saying เปอร์เซ็นต์, not the flag beside it
    assert_eq!((ip.late.as_deref(), ip.late_percent.map(|d| d.to_string())), (Some("95"), Some("95".into())));
    assert_eq!(ip.salary_deduction.to_string(), "2210.70", "เงินเดือน จำนวนเงิน, not its ร้อยละ");
    assert_eq!(ip.error_codes, ["G40"], "a deny column's code");
    assert_eq!(ip.invoice.as_deref(), Some("INV-77"));
    assert_eq!(ip.fund.as_deref(), Some("IP"));
    assert!(ip.is_ip() && !op.is_ip());
}

#[test]
fn columns_are_found_by_header_text_in_any_order_and_spelling() {
    // reversed, with other spellings: REP, TRANS ID, Error  Code, one ชดเชยสุทธิ, RW(1), AdjRW
    let renamed: Vec<(usize, &str)> = fixtures::REP_HEADER
        .iter()
        .enumerate()
        .rev()
        .filter(|(i, _)| ![11, 18, 19, 22, 23].contains(i))
        .map(|(i, h)| {
            let h = match i {
                0 => "REP",
                2 => "TRANS ID",
                10 => "ชดเชยสุทธิ",
                12 => "Error  Code",
                16 => "RW(1)",
                20 => "AdjRW",
                _ => h,
            };
            (i, h)
        })
        .collect();
    let bytes = fixtures::rep("6805_OP_01", &sample_rows(), Some(&renamed));
    let moved = read_bytes("eclaim_10703_OPLGO_25680515_01.xlsx", &bytes).unwrap();
    let standard = rep_read("eclaim_10703_OP_25680515_01.xlsx", &sample_rows());
    assert_eq!(moved.lines.len(), 3);
    for (a, b) in moved.lines.iter().zip(&standard.lines) {
        assert_eq!(
            (&a.hn, &a.an, a.admitted, a.paid, &a.error_codes),
            (&b.hn, &b.an, b.admitted, b.paid, &b.error_codes)
        );
        assert_eq!((&a.rw, &a.adj_rw, &a.statement), (&b.rw, &b.adj_rw, &b.statement));
        assert_eq!(a.payer, FundId::new("LGO"), "OPLGO is LGO's");
    }
}

#[test]
fn be_text_and_excel_dates_are_the_same_day() {
    // 45755 is 8 Apr 2025 in Excel's 1900 system
    let rows = vec![
        RepRow { seq: "S1".into(), ..row("T-1", "1", "", "08/04/2568", 1.0) },
        RepRow { seq: "S2".into(), ..row("T-2", "1", "", "45755", 1.0) },
        RepRow { seq: "S3".into(), ..row("T-3", "1", "", "2025-04-08", 1.0) },
        RepRow { seq: "S4".into(), ..row("T-4", "1", "", "08/04/2025", 1.0) },
    ];
    let read = rep_read("eclaim_10703_OP_25680515_01.xlsx", &rows);
    assert!(read.rejected.is_empty(), "{:?}", read.rejected);
    assert!(
        read.lines.iter().all(|l| l.admitted == Some(day(2025, 4, 8))),
        "{:?}",
        read.lines.iter().map(|l| l.admitted).collect::<Vec<_>>()
    );
}

#[test]
fn bad_rows_are_rejected_with_file_sheet_row_and_column() {
    let rows = vec![
        RepRow { net: C2::Text("12,50".into()), ..row("T-1", "1", "", "08/04/2568", 0.0) },
        row("", "77", "", "08/04/2568", 5.0),
        row("T-3", "1", "", "31/02/2568", 1.0),
        row("T-4", "1", "", "08/04/2568", 9.99),
    ];
    let read = rep_read("eclaim_10703_OP_25680515_01.xlsx", &rows);
    let messages: Vec<String> = read.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "eclaim_10703_OP_25680515_01.xlsx[Detail]:8: column ชดเชยสุทธิ (สปสช.): `12,50` is not a number: expected digits with an optional decimal point (1234.50 or 1,234.50)",
            "eclaim_10703_OP_25680515_01.xlsx[Detail]:9: no TRAN_ID, but an HN, AN or PID: a statement row needs NHSO's transaction id",
            "eclaim_10703_OP_25680515_01.xlsx[Detail]:10: column วันเข้ารักษา: `31/02/2568` is not a day of the calendar",
        ]
    );
    assert_eq!(read.lines.len(), 1);
    assert_eq!(read.lines[0].paid.to_string(), "9.99");
    assert_eq!(read.rows(), rows.len(), "count in = lines + rejected");
}

#[test]
fn a_file_without_what_it_needs_says_so() {
    let header: Vec<(usize, &str)> = vec![(2, "TRAN_ID"), (3, "HN")];
    let bytes = fixtures::rep("R", &[row("T-1", "1", "", "", 1.0)], Some(&header));
    let err = read_bytes("eclaim_10703_OP_25680515_01.xlsx", &bytes).unwrap_err();
    assert!(matches!(err, StatementError::MissingColumn { field: "paid", .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "eclaim_10703_OP_25680515_01.xlsx[Detail]:6: the header has no paid column: expected a header such as ชดเชยสุทธิ (SSS: รวมเงินค่าบริการทั้งหมด) (found: TRAN_ID | HN)"
    );
    let no_date = read_bytes(
        "rep-download.xlsx",
        &fixtures::xlsx(&[fixtures::Sheet {
            name: "Detail".into(),
            rows: vec![vec![fixtures::t("TRAN_ID"), fixtures::t("HN"), fixtures::t("ชดเชยสุทธิ (สปสช.)")]],
        }]),
    );
    assert!(matches!(no_date, Err(StatementError::NoDate { .. })), "{no_date:?}");
    let not_excel = read_bytes("eclaim_10703_OP_25680515_01.xls", b"not a workbook").unwrap_err();
    assert!(
        not_excel.to_string().starts_with("eclaim_10703_OP_25680515_01.xls: cannot be read as an Excel workbook"),
        "{not_excel}"
    );
    assert!(matches!(read_bytes("notes.txt", b"hello"), Err(StatementError::UnknownFormat { .. })));
}

#[test]
fn files_are_told_by_content_when_their_names_say_nothing() {
    let rep = fixtures::rep("R", &sample_rows(), None);
    assert_eq!(detect("download (3).xlsx", &rep), Some(Kind::Rep));
    let read = read_bytes("download (3).xlsx", &rep).unwrap();
    assert_eq!(read.lines[0].payer, FundId::new("UC"), "ชดเชยสุทธิ (สปสช.) is UCS's");
    assert_eq!(read.lines[0].date, day(2025, 5, 15), "the header block's date");
    assert!(read.notes[0].contains("told from the columns"));
    let stm = fixtures::stm("10703_IPUCS256805_01", "20/05/2568", &[], &[]);
    assert_eq!(detect("download (4).xlsx", &stm), Some(Kind::Stm));
    let zip = fixtures::zip(&[("a.xml", b"<x/>")]);
    assert_eq!(detect("download (5)", &zip), Some(Kind::Csmbs));
}

fn stm_row(tran: &str, an: &str, total: f64, salary: f64) -> StmRow {
    StmRow {
        rep: "6805_IP_01".into(),
        tran: tran.into(),
        hn: "0001001".into(),
        an: an.into(),
        admit: "01/04/2568".into(),
        disch: "06/04/2568".into(),
        adjrw: "3.642".into(),
        salary,
        after: total,
        total,
    }
}

#[test]
fn an_stm_reads_header_rows_detail_and_appeal_section() {
    let bytes = fixtures::stm(
        "10703_IPUCS256805_01",
        "20/05/2568",
        &[stm_row("T-201", "680000101", 78000.0, 2210.7)],
        &[stm_row("T-150", "680000050", 1200.5, 0.0)],
    );
    let read = read_bytes("STM_10703_IPUCS256805_01.xlsx", &bytes).unwrap();
    assert!(read.rejected.is_empty(), "{:?}", read.rejected);
    // the ข้อมูลปกติ and ข้อมูลอุทธรณ์ markers are passed over
    assert_eq!((read.lines.len(), read.passed_over), (2, 2));
    let [normal, appeal] = &read.lines[..] else { panic!() };
    assert_eq!(normal.kind, Kind::Stm);
    assert_eq!(normal.place.to_string(), "STM_10703_IPUCS256805_01.xlsx[รายละเอียด IP ข้อมูลปกติ]:11");
    assert_eq!(normal.statement, "NHSO TRAN T-201", "the REP row's key: one payment");
    assert_eq!(normal.date, day(2025, 5, 20), "ออกรายงานวันที่");
    assert_eq!(normal.payer, FundId::new("UC"));
    assert_eq!((normal.paid.to_string(), normal.salary_deduction.to_string()), ("78000.00".into(), "2210.70".into()));
    assert_eq!(normal.adj_rw.map(|d| d.to_string()).as_deref(), Some("3.642"));
    assert_eq!(normal.fund.as_deref(), Some("UCS"));
    assert!(appeal.appeal && !normal.appeal);
    assert_eq!(appeal.statement, "NHSO TRAN T-150 appeal 6805_IP_01");
    assert_eq!(appeal.paid.to_string(), "1200.50");
    // the document no. gives the fund when the name does not
    let renamed = read_bytes("stm-may.xlsx", &bytes).unwrap();
    assert_eq!(renamed.lines[0].payer, FundId::new("UC"));
}

#[test]
fn csmbs_statements_from_a_zip_of_windows_874_xml() {
    let op = fixtures::csmbs_op_xml(
        "11072_SOCDSTM_0001",
        "5  ธันวาคม  2565",
        &[
            ("680418001", "0004004", "2025-04-18T09:30:00", "451.00", "101.00", "R1"),
            ("680499999", "0009999", "2025-04-19T10:00:00", "1,200.00", "1,000.00", "R2"),
            ("680499998", "0009998", "2025-04-19T10:00:00", "50.00", "", "R3"),
        ],
    );
    let zip = fixtures::zip(&[
        ("10703_BOCDSTM_20221205.xml", &op),
        ("10703_BOCDSTMsum_20221205.xml", b"<?xml version=\"1.0\"?><sum><total>1</total></sum>"),
        ("10703_BOCDSTM_20221205.htm", b"<html></html>"),
    ]);
    let read = read_bytes("10703_BOCDSTM_20221205.zip", &zip).unwrap();
    assert_eq!(read.lines.len(), 2);
    assert_eq!(read.notes.len(), 2, "{:?}", read.notes);
    let bill = &read.lines[0];
    assert_eq!(bill.kind, Kind::Csmbs);
    assert_eq!(bill.place.to_string(), "10703_BOCDSTM_20221205.zip[10703_BOCDSTM_20221205.xml]:9");
    assert_eq!(bill.statement, "CSMBS 11072_SOCDSTM_0001 R1");
    assert_eq!(bill.payer, FundId::new("CSMBS"));
    assert_eq!(bill.date, day(2022, 12, 5), "dateIssue in Thai words");
    assert_eq!((bill.invoice.as_deref(), bill.hn.as_deref()), (Some("680418001"), Some("0004004")));
    assert_eq!(bill.admitted, Some(day(2025, 4, 18)));
    assert_eq!((bill.claimed.map(|m| m.to_string()), bill.paid.to_string()), (Some("451.00".into()), "101.00".into()));
    assert_eq!(read.lines[1].paid.to_string(), "1000.00");
    assert_eq!(
        read.rejected[0].to_string(),
        "10703_BOCDSTM_20221205.zip[10703_BOCDSTM_20221205.xml]:31: no paid: a CSMBS OP bill says what it pays in paid"
    );

    let ip = fixtures::csmbs_ip_xml("IPDOC-1", &[("680000101", "2025-04-06", "3.642", "30,410.70")]);
    let read = read_bytes("10703_BIGNSTM_202504.xml", &ip).unwrap();
    let bill = &read.lines[0];
    assert_eq!((bill.an.as_deref(), bill.discharged), (Some("680000101"), Some(day(2025, 4, 6))));
    assert_eq!((bill.paid.to_string(), bill.statement.as_str()), ("30410.70".into(), "CSMBS IPDOC-1 R-680000101"));
    assert_eq!(bill.date, day(2025, 4, 30));
    assert!(bill.is_ip());
    let broken = read_bytes("x.xml", b"<?xml version=\"1.0\"?><STM><TBill><paid>1</paid></STM>").unwrap_err();
    assert!(broken.to_string().starts_with("x.xml: cannot be read as XML: line 1"), "{broken}");
}

#[test]
fn lines_match_their_claims_or_are_reported() {
    let read = rep_read(
        "eclaim_10703_OP_25680515_01.xlsx",
        &[
            sample_rows()[0].clone(),
            sample_rows()[1].clone(),
            sample_rows()[2].clone(),
            row("T-301", "0005005", "", "20/04/2568", 10.0),
            row("T-302", "0009009", "", "21/04/2568", 10.0),
        ],
    );
    let key = |id: &str, setting, hn: &str, d: u32| ClaimKey {
        id: id.into(),
        setting: Some(setting),
        hn: Some(hn.into()),
        an: None,
        service_date: day(2025, 4, d),
        payers: vec![FundId::new("UC")],
    };
    let matcher = Matcher::new(vec![
        key("680408001", Setting::Op, "0002002", 8),
        key("680412001", Setting::Op, "0003003", 12),
        key("680000101", Setting::Ip, "0001001", 1),
        key("V-A", Setting::Op, "0005005", 20),
        key("V-B", Setting::Op, "0005005", 20),
    ]);
    let found: Vec<Found> = read.lines.iter().map(|l| matcher.find_line(l)).collect();
    assert_eq!(
        found,
        [
            Found::Claim { index: 0, rule: Rule::Seq },
            Found::Claim { index: 1, rule: Rule::HnDate },
            Found::Claim { index: 2, rule: Rule::An },
            Found::Ambiguous { rule: Rule::HnDate, candidates: vec![3, 4] },
            Found::Unmatched,
        ]
    );
}

/// A committed example read back: the legacy .xls (written by xlwt, a BIFF8 writer) and its
/// .xlsx twin give the same lines.
#[test]
fn the_legacy_xls_example_reads_like_its_xlsx_twin() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/statements");
    let xls = kongtun_eclaim::statement::read_file(&dir.join("eclaim_10703_OP_25680515_01.xls")).unwrap();
    let xlsx = read_bytes(
        "eclaim_10703_OP_25680515_01.xlsx",
        &std::fs::read(dir.join("twin/eclaim_10703_OP_25680515_01.xlsx")).unwrap(),
    )
    .unwrap();
    assert!(xls.rejected.is_empty(), "{:?}", xls.rejected);
    assert_eq!(xls.lines.len(), xlsx.lines.len());
    for (a, b) in xls.lines.iter().zip(&xlsx.lines) {
        assert_eq!(
            (&a.statement, &a.hn, &a.an, &a.seq, a.admitted, a.paid, &a.error_codes),
            (&b.statement, &b.hn, &b.an, &b.seq, b.admitted, b.paid, &b.error_codes)
        );
        assert_eq!(a.place.row, b.place.row);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any rows: each written row is a line, a rejection or passed over (count in = out), and
    /// every amount written as a number comes back to the satang.
    #[test]
    fn every_row_is_accounted_for_and_money_is_exact(
        rows in prop::collection::vec((0u8..4, 0i64..10_000_000_000i64, any::<bool>()), 1..12)
    ) {
        let written: Vec<RepRow> = rows.iter().enumerate().map(|(i, (shape, satang, text))| {
            let net = if *text { C2::Text(format!("{}.{:02}", satang / 100, satang % 100)) } else { C2::Num(*satang as f64 / 100.0) };
            match shape {
                0 => RepRow { net, ..row(&format!("T{i}"), "1", "", "08/04/2568", 0.0) },
                1 => RepRow { net: C2::Text("x".into()), ..row(&format!("T{i}"), "1", "", "08/04/2568", 0.0) },
                2 => RepRow { net, ..row("", "1", "", "08/04/2568", 0.0) },
                _ => RepRow { net, ..row("", "", "", "", 0.0) },
            }
        }).collect();
        let read = rep_read("eclaim_10703_OP_25680515_01.xlsx", &written);
        let blank = rows.iter().filter(|r| r.0 == 3).count();
        // the fixture's total row is passed over too
        prop_assert_eq!(read.lines.len() + read.rejected.len() + read.passed_over, written.len() + 1);
        prop_assert_eq!(read.passed_over, blank + 1);
        let mut lines = read.lines.iter();
        for (shape, satang, _) in &rows {
            if *shape == 0 {
                let line = lines.next().unwrap();
                prop_assert_eq!(line.paid, kongtun_core::money::Money::rounded(rust_decimal::Decimal::new(*satang, 2)));
            }
        }
    }

    /// Any bytes, under any kind of name, are read or refused with an error: never a panic.
    #[test]
    fn hostile_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), kind in 0usize..4) {
        let name = ["eclaim_10703_OP_25680515_01.xlsx", "STM_10703_IPUCS256805_01.xls", "x.zip", "x.xml"][kind];
        let _ = read_bytes(name, &bytes);
        // and a real REP cut short
        let rep = fixtures::rep("R", &sample_rows(), None);
        let cut = bytes.len() * rep.len() / 600;
        let _ = read_bytes(name, &rep[..cut.min(rep.len())]);
    }
}
