//! Each rule of "from the set to claims", one test each.

mod common;

use chrono::NaiveDate;
use common::{adp, dru, options, TestSet, ADP_HEADER, DRU_HEADER};
use kongtun_core::claim::{CaseStatus, Setting};
use kongtun_eclaim::adjrw::AdjRwTable;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn one_claim_per_opd_row_by_seq_and_per_ipd_row_by_an() {
    let out = TestSet::base().read(&options());
    out.assert_count_in_equals_count_out(2);
    let op = out.claim("V1");
    assert_eq!((op.setting, op.hn.as_str(), op.an.as_deref()), (Setting::Op, "001", None));
    assert_eq!(op.service_date, day(2025, 1, 15));
    let ip = out.claim("A1");
    assert_eq!((ip.setting, ip.hn.as_str(), ip.an.as_deref()), (Setting::Ip, "002", Some("A1")));
    assert_eq!((ip.service_date, ip.discharge_date), (day(2025, 1, 10), Some(day(2025, 1, 14))));
    // OPD first, then IPD, in file order.
    let ids: Vec<_> = out.records.iter().map(|r| r.id()).collect();
    assert_eq!(ids, vec![Some("V1"), Some("A1")]);
    assert_eq!(out.records[0].file, "set/OPD.txt");
    assert_eq!(out.records[1].pos.map(|p| p.line), Some(2));
}

#[test]
fn ip_rows_join_on_an_and_op_rows_on_hn_and_seq() {
    // The same SEQ for two patients is two visits; an IP row with a blank SEQ joins by AN.
    let opd = format!("{}{}\n", *common::OPD, common::opd("002", "20250116", "V1"));
    let ins = format!("{}{}\n", *common::INS, common::row(19, &[(0, "002"), (1, "SSS"), (15, "V1")]));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002||20250116|71|80.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("OPD.txt", &opd).with("INS.txt", &ins).with("CHA.txt", cha).read(&options());
    // Two visits with claim id V1: the second is a duplicate id (ids are unique in a batch).
    assert_eq!(out.summary.visits, 3);
    assert_eq!(out.claim("V1").charged().to_string(), "120.00");
    let dup = out.records[1].claim.as_ref().unwrap_err();
    assert!(dup.to_string().contains("duplicate claim id"), "{dup}");
    assert_eq!(out.claim("A1").charged().to_string(), "2000.00");
}

#[test]
fn right_patient_and_hospitals() {
    let out = TestSet::base().read(&options());
    let op = out.claim("V1");
    assert_eq!(op.fund.as_str(), "UC");
    assert_eq!(op.sub_fund.as_deref(), Some("89"));
    assert_eq!(op.cid.as_deref(), Some("1100100000001"));
    assert_eq!(op.approval.as_deref(), Some("AUTH1"));
    assert_eq!(
        (op.hcode.as_deref(), op.hospmain.as_deref(), op.hospsub.as_deref()),
        (Some("10703"), Some("10966"), Some("03697"))
    );
    let ip = out.claim("A1");
    assert_eq!(
        (ip.fund.as_str(), ip.sub_fund.as_deref(), ip.hospmain.as_deref(), ip.approval.as_deref()),
        ("CSMBS", None, None, None)
    );
    // --hcode overrides PAT.
    let mut o = options();
    o.hcode = Some("99999".into());
    assert_eq!(TestSet::base().read(&o).claim("V1").hcode.as_deref(), Some("99999"));
}

#[test]
fn hcode_from_dru_then_lab_and_cid_from_pat() {
    let pat = "HN|PERSON_ID\n001|3333333333333\n002|\n";
    let ins = "HN|INSCL|SEQ|AN\n001|UCS|V1|\n002|OFC||A1\n";
    let dru_rows = format!("{DRU_HEADER}\n11111{}\n", dru("002", "A1", "", "PARA", "10", "1.00", "2", "10.00"));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002|A1|20250114|41|10.00||\n";
    let lab = "HCODE|HN|PERSON_ID|DATESERV|SEQ|LABTEST|LABRESULT\n22222|001||20250115|V1|HbA1c|6.5\n";
    let out = TestSet::base()
        .with("PAT.txt", pat)
        .with("INS.txt", ins)
        .with("DRU.txt", &dru_rows)
        .with("CHA.txt", cha)
        .with("LAB.txt", lab)
        .read(&options());
    assert_eq!(out.claim("A1").hcode.as_deref(), Some("11111"), "DRU HCODE");
    assert_eq!(out.claim("V1").hcode.as_deref(), Some("22222"), "LAB HCODE");
    assert_eq!(out.claim("V1").cid.as_deref(), Some("3333333333333"), "PAT PERSON_ID when INS has no CID");
    assert!(out
        .warnings()
        .iter()
        .any(|w| w.contains("LAB.txt: warning: skipped: lab results are not part of a claim")));
}

#[test]
fn fund_through_the_inscl_map() {
    // INSCL codes, and the fund names the same map knows
    for (inscl, fund) in
        [("UCS", "UC"), ("WEL", "UC"), ("wel", "UC"), ("OFC", "CSMBS"), ("SSS", "SSS"), ("LGO", "LGO"), ("UC", "UC")]
    {
        let ins = format!("HN|INSCL|SEQ|AN\n001|{inscl}|V1|\n002|OFC||A1\n");
        let out = TestSet::base().with("INS.txt", &ins).read(&options());
        assert_eq!(out.claim("V1").fund.as_str(), fund, "{inscl}");
    }
    let out = TestSet::base().with("INS.txt", "HN|INSCL|SEQ|AN\n001|XYZ|V1|\n002|OFC||A1\n").read(&options());
    let e = out.rejection("V1");
    assert!(e.starts_with("set/INS.txt:2: claim V1: INSCL: `XYZ` is not in the INSCL code map ("), "{e}");
    assert!(
        e.ends_with("rules/codes/funds.yaml; known: UCS, WEL, OFC, SSS, LGO): add it there to claim this right"),
        "{e}"
    );
}

#[test]
fn sub_fund_is_subtype_else_subinscl() {
    let ins = "HN|INSCL|SUBTYPE|SUBINSCL|SEQ|AN\n001|UCS||E1|V1|\n002|OFC|12|E2||A1\n";
    let out = TestSet::base().with("INS.txt", ins).read(&options());
    assert_eq!(out.claim("V1").sub_fund.as_deref(), Some("E1"));
    assert_eq!(out.claim("A1").sub_fund.as_deref(), Some("12"));
}

#[test]
fn an_ins_row_without_a_visit_key_is_its_patients_right() {
    let ins = "HN|INSCL|SEQ|AN\n001|SSS||\n002|OFC||A1\n";
    let out = TestSet::base().with("INS.txt", ins).read(&options());
    assert_eq!(out.claim("V1").fund.as_str(), "SSS");
    // The same row twice is one right; two different rows are ambiguous.
    let ins = "HN|INSCL|SEQ|AN\n001|SSS||\n001|SSS||\n002|OFC||A1\n";
    assert_eq!(TestSet::base().with("INS.txt", ins).read(&options()).claim("V1").fund.as_str(), "SSS");
    let ins = "HN|INSCL|SEQ|AN\n001|SSS||\n001|UCS||\n002|OFC||A1\n";
    let e = TestSet::base().with("INS.txt", ins).read(&options()).rejection("V1");
    assert!(e.starts_with("set/INS.txt:3: claim V1: SEQ: HN 001 has several INS rows that name no visit"), "{e}");
}

#[test]
fn submitted_is_the_given_day() {
    let mut o = options();
    assert_eq!(TestSet::base().read(&o).claim("V1").submitted, None);
    o.submitted = Some(day(2025, 2, 1));
    assert_eq!(TestSet::base().read(&o).claim("A1").submitted, Some(day(2025, 2, 1)));
}

#[test]
fn diagnoses_principal_first_and_codes_dotted() {
    let odx = "HN|DATEDX|CLINIC|DIAG|DXTYPE|DRDX|PERSON_ID|SEQ\n001|20250115|0100|I10|2|||V1\n001|20250115|0100|M171|1|||V1\n001|20250115|0100|E119|4|||V1\n";
    let oop = "HN|DATEOPD|CLINIC|OPER|DROPID|PERSON_ID|SEQ|SERVPRICE\n001|20250115|0100|8154|||V1|\n";
    let idx = "AN|DIAG|DXTYPE|DRDX\nA1|S7200|1|\n";
    let iop = "AN|OPER|OPTYPE|DROPID|DATEIN|TIMEIN|DATEOUT|TIMEOUT\nA1|79.35|1|||||\n";
    let out = TestSet::base()
        .with("ODX.txt", odx)
        .with("OOP.txt", oop)
        .with("IDX.txt", idx)
        .with("IOP.txt", iop)
        .read(&options());
    assert!(out.errors().is_empty(), "{:?}", out.errors());
    assert_eq!(out.claim("V1").diagnoses, vec!["M17.1", "I10", "E11.9"]);
    assert_eq!(out.claim("V1").procedures, vec!["81.54"]);
    assert_eq!(out.claim("A1").diagnoses, vec!["S72.00"]);
    assert_eq!(out.claim("A1").procedures, vec!["79.35"]);
}

#[test]
fn adj_rw_by_an() {
    let mut o = options();
    o.adjrw = Some(AdjRwTable::parse("an,adjrw,drg\nA1,2.5,0810\nZZ,1.0,\n", "rw.csv").unwrap());
    let out = TestSet::base().read(&o);
    assert_eq!(out.claim("A1").adj_rw.map(|d| d.to_string()).as_deref(), Some("2.5"));
    assert_eq!(out.claim("V1").adj_rw, None);
    assert!(
        out.warnings().contains(&"rw.csv:3: warning: an: AN ZZ is no admission of this set".to_string()),
        "{:?}",
        out.warnings()
    );
    // Without the file an admission has none (evaluated as today: NO_ADJRW).
    assert_eq!(TestSet::base().read(&options()).claim("A1").adj_rw, None);
}

#[test]
fn accident_from_aer_types_v_and_b() {
    let aer = |t: &str| {
        format!("HN|AN|DATEOPD|AUTHAE|AEDATE|AETIME|AETYPE|REFER_NO|REFMAINI|IREFTYPE|REFMAINO|OREFTYPE|UCAE|EMTYPE|SEQ|AESTATUS|DALERT|TALERT\n001||20250115||20250114|2200|{t}||||||A||V1|||\n")
    };
    for t in ["V", "B", "v"] {
        let out = TestSet::base().with("AER.txt", &aer(t)).read(&options());
        let acc = out.claim("V1").accident.clone().expect("an accident");
        assert_eq!(acc.date, day(2025, 1, 14));
        assert_eq!((acc.role, acc.counterparty, acc.case), (None, false, CaseStatus::Pending));
    }
    for t in ["O", ""] {
        assert!(TestSet::base().with("AER.txt", &aer(t)).read(&options()).claim("V1").accident.is_none(), "{t}");
    }
}

#[test]
fn adp_rows_are_lines_with_the_category_of_their_type() {
    let types = [
        (2, 2),
        (9, 9),
        (10, 1),
        (11, 5),
        (12, 13),
        (13, 15),
        (14, 6),
        (15, 7),
        (16, 8),
        (17, 12),
        (18, 10),
        (19, 11),
        (20, 14),
    ];
    let mut rows = vec![ADP_HEADER.to_string()];
    let mut cha = vec!["HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ".to_string(), "002|A1|20250114|11|2000.00||".into()];
    for (t, c) in types {
        rows.push(adp("001", "", "V1", "20250115", &t.to_string(), &format!("T{t}"), "2", "10.00", "", ""));
        let ch = kongtun_core::category::ChargeCategory::new(c).unwrap().chrgitem_char();
        cha.push(format!("001||20250115|{ch}1|20.00||V1"));
    }
    let out = TestSet::base().with("ADP.txt", &rows.join("\n")).with("CHA.txt", &cha.join("\n")).read(&options());
    let claim = out.claim("V1");
    assert_eq!(claim.items.len(), types.len(), "every CHA row itemised: no remainder");
    for (line, (t, c)) in claim.items.iter().zip(types) {
        assert_eq!((line.code.clone(), i64::from(line.category.number())), (format!("T{t}"), c));
        assert!(line.claimable);
        assert_eq!(line.amount, None, "no TOTAL: qty x price");
        assert_eq!(line.charged().to_string(), "20.00");
    }
}

#[test]
fn adp_serial_total_and_date() {
    let rows = format!(
        "{ADP_HEADER}\n{}\n",
        adp("002", "A1", "", "20250111", "2", "TKA-SET", "1", "60,000.00", "SN-1", "60,000.00")
    );
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002|A1|20250114|21|60,000.00||\n";
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", cha).read(&options());
    let line = &out.claim("A1").items[0];
    assert_eq!((line.code.as_str(), line.category.number(), line.serial.as_deref()), ("TKA-SET", 2, Some("SN-1")));
    assert_eq!(
        (line.price.to_string(), line.amount.map(|a| a.to_string())),
        ("60000.00".into(), Some("60000.00".into()))
    );
    assert_eq!(line.date, Some(day(2025, 1, 11)));
}

#[test]
fn total_is_the_charged_amount_where_qty_times_price_differs() {
    // 6 x 21.33 = 127.98 by price; TOTAL 129.00 is what ties to CHA.
    let rows = format!("{DRU_HEADER}\n{}\n", dru("002", "A1", "", "CEFAZ", "6", "21.33", "1", "129.00"));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002|A1|20250114|31|129.00||\n";
    let out = TestSet::base().with("DRU.txt", &rows).with("CHA.txt", cha).read(&options());
    let claim = out.claim("A1");
    assert_eq!(claim.items.len(), 1);
    assert_eq!(claim.items[0].charged().to_string(), "129.00");
    assert_eq!(claim.items[0].price.times(claim.items[0].qty).to_string(), "127.98");
}

#[test]
fn a_price_beyond_the_satang_keeps_the_amount_exact() {
    let rows = format!("{DRU_HEADER}\n{}\n", dru("002", "A1", "", "TAB", "100", "0.125", "1", ""));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n002|A1|20250114|31|12.50||\n";
    let out = TestSet::base().with("DRU.txt", &rows).with("CHA.txt", cha).read(&options());
    let line = &out.claim("A1").items[0];
    assert_eq!((line.price.to_string(), line.charged().to_string()), ("0.13".into(), "12.50".into()));
}

#[test]
fn dru_use_status_1_is_category_3_else_4() {
    let rows = format!(
        "{DRU_HEADER}\n{}\n{}\n{}\n",
        dru("001", "", "V1", "IN", "1", "10.00", "1", "10.00"),
        dru("001", "", "V1", "HOME", "1", "20.00", "2", "20.00"),
        dru("001", "", "V1", "BLANK", "1", "30.00", "", "30.00"),
    );
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|31|10.00||V1\n001||20250115|41|50.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("DRU.txt", &rows).with("CHA.txt", cha).read(&options());
    let cats: Vec<(&str, u8)> = out.claim("V1").items.iter().map(|l| (l.code.as_str(), l.category.number())).collect();
    assert_eq!(cats, vec![("IN", 3), ("HOME", 4), ("BLANK", 4)]);
}

#[test]
fn cha_remainders_become_lines_claimable_per_their_flag() {
    let rows = format!("{DRU_HEADER}\n{}\n", dru("001", "", "V1", "METF", "60", "0.85", "2", "51.00"));
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|41|51.00||V1\n001||20250115|42|350.00||V1\n001||20250115|c1|50.00||V1\n001||20250115|C1|25.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("DRU.txt", &rows).with("CHA.txt", cha).read(&options());
    let lines: Vec<(&str, u8, String, bool)> = out
        .claim("V1")
        .items
        .iter()
        .map(|l| (l.code.as_str(), l.category.number(), l.charged().to_string(), l.claimable))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("METF", 4, "51.00".into(), true),
            ("CHA-42", 4, "350.00".into(), false),
            ("CHA-C1", 12, "75.00".into(), true)
        ],
        "41 fully itemised: no line; two C1 rows make one"
    );
    let l = &out.claim("V1").items[1];
    assert_eq!((l.qty, l.date, l.amount), (rust_decimal::Decimal::ONE, None, None));
}

#[test]
fn adp_types_1_and_3_to_8_take_the_category_of_their_cha_line() {
    let rows = format!(
        "{ADP_HEADER}\n{}\n{}\n",
        adp("001", "", "V1", "", "15", "CBC", "1", "120.00", "", ""),
        adp("001", "", "V1", "", "5", "WALKIN", "1", "50.00", "", "")
    );
    let cha = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n001||20250115|G1|50.00||V1\n002|A1|20250114|11|2000.00||\n";
    let out = TestSet::base().with("ADP.txt", &rows).with("CHA.txt", cha).read(&options());
    let items = &out.claim("V1").items;
    assert_eq!(items.len(), 2);
    assert_eq!((items[1].code.as_str(), items[1].category.number()), ("WALKIN", 16));
}

#[test]
fn cht_must_equal_the_sum_of_cha() {
    let cht_ok = "HN|AN|DATE|TOTAL|PAID|PTTYPE|PERSON_ID|SEQ\n001||20250115|120.00|0|||V1\n002|A1|20250114|1,000.00|0|||\n002|A1|20250114|1,000.00|0|||\n";
    let out = TestSet::base().with("CHT.txt", cht_ok).read(&options());
    assert_eq!(out.summary.claims, 2, "{:?}", out.errors());
}

#[test]
fn a_set_without_cha_takes_the_items_alone() {
    let rows = format!("{ADP_HEADER}\n{}\n", adp("001", "", "V1", "", "15", "CBC", "1", "120.00", "", ""));
    let out = TestSet::base().with("CHA.txt", "").with("ADP.txt", &rows).read(&options());
    assert_eq!(out.claim("V1").items.len(), 1);
    assert!(out.rejection("A1").contains("no charge lines"), "{}", out.rejection("A1"));
}
