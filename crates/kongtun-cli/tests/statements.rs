//! `kongtun receivables` on the funds' own files: the examples of `examples/statements/`
//! (REP .xls and .xlsx, STM, CSMBS zip) against the evaluated claims of `examples/eclaim16`;
//! matched, unmatched, ambiguous and rejected rows; posting twice; the error codes in reconcile.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kongtun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kongtun")).current_dir(root()).args(args).output().expect("run kongtun")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-statements-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

const FILES: [&str; 4] = [
    "examples/statements/eclaim_10703_OP_25680515_01.xls",
    "examples/statements/eclaim_10703_IP_25680520_01.xlsx",
    "examples/statements/STM_10703_IPUCS256805_01.xlsx",
    "examples/statements/10703_BOCDSTM_20250525.zip",
];

/// The example set evaluated, as `kongtun evaluate --format json` writes it.
fn evaluated(dir: &Path) -> String {
    let out = kongtun(&[
        "evaluate",
        "--rules",
        "rules",
        "--as-of",
        "2025-05-05",
        "--adjrw",
        "examples/eclaim16.adjrw.csv",
        "--submitted",
        "2025-05-05",
        "--broken-rows",
        "remainder",
        "--format",
        "json",
        "examples/eclaim16",
    ]);
    let path = dir.join("evaluated.jsonl");
    std::fs::write(&path, &out.stdout).expect("written");
    path.display().to_string()
}

#[test]
fn post_matches_every_row_or_reports_it_and_a_second_post_is_a_no_op() {
    let dir = scratch("post");
    let claims = evaluated(&dir);
    let log = dir.join("events.jsonl").display().to_string();
    let unmatched = dir.join("unmatched.csv").display().to_string();
    let mut args = vec![
        "receivables",
        "post",
        "--claims",
        &claims,
        "--claim-docs",
        "examples/eclaim16.jsonl",
        "--rules",
        "rules",
        "--log",
        &log,
        "--unmatched",
        &unmatched,
    ];
    args.extend(FILES);
    let first = kongtun(&args);
    let out = text(&first.stdout);
    assert_eq!(first.status.code(), Some(1), "unmatched rows make exit 1\n{out}{}", text(&first.stderr));
    // count in = matched + unmatched + ambiguous + rejected
    assert!(
        out.contains("8 statement rows: 5 matched, 3 unmatched, 0 ambiguous, 0 rejected; MOPH salary deducted from what was posted: 2,210.70"),
        "{out}"
    );
    // the STM row of the IP REP's transaction is the same payment: no second event
    assert!(out.contains("4 events appended to") && out.contains("1 already posted, 0 rows skipped"), "{out}");
    let events = std::fs::read_to_string(&log).expect("the log");
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].contains(r#""claim":"680408001","payer":"UC","date":"2025-05-15","statement":"NHSO TRAN T6805150001","amount":"0.00","error_code":"116","error_type":"C""#), "{}", lines[0]);
    assert!(lines[1].contains(r#""claim":"680412001""#), "matched by HN 3003 + 12/04/2568: {}", lines[1]);
    assert!(lines[2].contains(r#""claim":"680000101","payer":"UC","date":"2025-05-20","statement":"NHSO TRAN T6805200001","amount":"80210.70""#), "{}", lines[2]);
    assert!(lines[3].contains(r#""claim":"680418001","payer":"CSMBS","date":"2025-05-25","statement":"CSMBS 10703_BOCDSTM_256805_01 R0001","amount":"101.00""#), "{}", lines[3]);
    let err = text(&first.stderr);
    assert!(err.contains("unmatched: examples/statements/eclaim_10703_OP_25680515_01.xls[Detail]:10: no evaluated claim matches SEQ 680420009, HN 0009009 on 2025-04-20"), "{err}");
    let report = std::fs::read_to_string(&unmatched).expect("the unmatched report");
    let rows: Vec<&str> = report.lines().collect();
    assert_eq!(rows.len(), 4, "{report}");
    assert!(rows[0].starts_with("reason,file,sheet,row,"));
    assert!(rows[2].starts_with("unmatched,examples/statements/STM_10703_IPUCS256805_01.xlsx,รายละเอียด IP ข้อมูลปกติ,13,STM,NHSO TRAN T6803100077 appeal 6805_IP_01,UC,2025-05-31,"), "{}", rows[2]);

    let again = kongtun(&args);
    assert!(
        text(&again.stdout).contains("0 events appended to") && text(&again.stdout).contains("5 already posted"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(std::fs::read_to_string(&log).expect("the log"), events, "posting the same files twice changes nothing");
}

#[test]
fn reconcile_reads_the_files_and_explains_each_error_code() {
    let dir = scratch("reconcile");
    let claims = evaluated(&dir);
    let run = |format: &str| {
        let mut args = vec![
            "receivables",
            "reconcile",
            "--rules",
            "rules",
            "--claims",
            &claims,
            "--claim-docs",
            "examples/eclaim16.jsonl",
            "--as-of",
            "2025-06-30",
            "--format",
            format,
            "--statements",
        ];
        args.extend(FILES);
        kongtun(&args)
    };
    let out = run("csv");
    let csv = text(&out.stdout);
    assert!(
        csv.contains("680408001,UC,FY2568,1500.00,0.00,0.00,1500.00,116 (C),2025-12-31,184,fix and re-send"),
        "{csv}"
    );
    assert!(
        csv.contains("code,type,claims,open,description,fix\n116,C,1,1500.00,เลขบัตรประชาชนของผู้ป่วย ผิดรูปแบบ,"),
        "{csv}"
    );
    assert!(!csv.contains("680000101"), "settled by the IP REP (the STM the same payment): {csv}");
    assert_eq!(out.status.code(), Some(1), "the unmatched rows are reported");
    let json = run("json");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["rows"][0]["error_description"], "เลขบัตรประชาชนของผู้ป่วย ผิดรูปแบบ");
}

/// CSMBS XML written here: a bill two claims could be (same HN and day, both CSMBS), one no
/// claim has, one without its paid amount, one that matches.
#[test]
fn ambiguous_unmatched_and_rejected_rows_are_counted_and_never_posted() {
    let dir = scratch("ambiguous");
    let claim = |id: &str| {
        format!(
            r#"{{"id":"{id}","fund":"CSMBS","setting":"op","service_date":"2025-04-08","claim_date":"2025-04-08","fiscal_year":2568,"submitted":"2025-04-10","charged":"500.00","payers":[{{"payer":"CSMBS","amount":"500.00","status":"claimable"}}],"patient":"0.00","penalty":"0.00","difference":"0.00"}}"#
        )
    };
    let doc = |id: &str, hn: &str| {
        format!(
            r#"{{"id":"{id}","hn":"{hn}","setting":"op","fund":"CSMBS","service_date":"2025-04-08","items":[{{"code":"X","category":7,"qty":1,"price":500}}]}}"#
        )
    };
    std::fs::write(dir.join("evaluated.jsonl"), [claim("V1"), claim("V2"), claim("V3")].join("\n")).expect("w");
    std::fs::write(dir.join("claims.jsonl"), [doc("V1", "0100"), doc("V2", "0100"), doc("V3", "0300")].join("\n"))
        .expect("w");
    let bill = |hn: &str, paid: &str, rid: &str| {
        format!("<TBill><hn>{hn}</hn><dttran>2025-04-08T08:00:00</dttran><amount>500.00</amount>{paid}<rid>{rid}</rid></TBill>")
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<STM><STMdoc>DOC-9</STMdoc><dateIssue>30 เมษายน 2568</dateIssue><TBills>\n{}\n{}\n{}\n{}\n</TBills></STM>\n",
        bill("100", "<paid>500.00</paid>", "R1"),
        bill("999", "<paid>500.00</paid>", "R2"),
        bill("300", "", "R3"),
        bill("300", "<paid>450.00</paid>", "R4"),
    );
    let xml_path = dir.join("csmbs.xml");
    std::fs::write(&xml_path, xml).expect("w");
    let (claims, docs, log, xml) = (
        dir.join("evaluated.jsonl").display().to_string(),
        dir.join("claims.jsonl").display().to_string(),
        dir.join("events.jsonl").display().to_string(),
        xml_path.display().to_string(),
    );
    let out = kongtun(&["receivables", "post", "--claims", &claims, "--claim-docs", &docs, "--log", &log, &xml]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("4 statement rows: 1 matched, 1 unmatched, 1 ambiguous, 1 rejected"), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("ambiguous: {xml}:3: HN + service date matches 2 claims (V1, V2): none is posted to")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("rejected: {xml}:5: no paid: a CSMBS OP bill says what it pays in paid")),
        "{stderr}"
    );
    let events = std::fs::read_to_string(&log).expect("the log");
    assert_eq!(events.lines().count(), 1);
    assert!(
        events.contains(
            r#""claim":"V3","payer":"CSMBS","date":"2025-04-30","statement":"CSMBS DOC-9 R4","amount":"450.00""#
        ),
        "{events}"
    );
    assert_eq!(out.status.code(), Some(1));
}
