//! The `kongtun` binary end to end: output records and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kongtun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kongtun")).current_dir(root()).args(args).output().expect("run kongtun")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn validate_mixed_directory_prints_every_rejection_and_exits_1() {
    let o = kongtun(&["validate", "examples/claims", "examples/invalid-claims"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let rejected: Vec<&str> = out.lines().filter(|l| l.starts_with("rejected ")).collect();
    assert_eq!(rejected.len(), 8, "{out}");
    assert!(
        out.contains("typos-and-ranges.yaml:11:50: claim BAD-PRIZE: items[0].prize: unknown field `prize`"),
        "{out}"
    );
    assert!(out.contains("claim BAD-CATEGORY: items[0].category: category 17 is outside 1-16"), "{out}");
    assert!(out.ends_with("40 claims: 32 valid, 8 rejected\n"), "{out}");
}

#[test]
fn validate_json_gives_one_record_per_claim() {
    let o = kongtun(&["validate", "--format", "json", "examples/invalid-claims"]);
    assert_eq!(o.status.code(), Some(1));
    let records = json_lines(&o);
    assert_eq!(records.len(), 9);
    let ok = records.iter().filter(|r| r["ok"] == true).count();
    assert_eq!(ok, 1, "only the first GOOD-1 is valid; the second is a duplicate id");
    let qty = records.iter().find(|r| r["id"] == "BAD-QTY").expect("BAD-QTY");
    assert_eq!(qty["error"]["kind"], "invalid_value");
    // `setting: opd` reads as op (as people write it); the quantity 0 is what is wrong.
    assert_eq!(qty["error"]["field"], "items[0].qty");
    assert_eq!(qty["error"]["line"], 8);
}

#[test]
fn validate_good_claims_exits_0_and_missing_path_exits_2() {
    assert_eq!(kongtun(&["validate", "examples/claims"]).status.code(), Some(0));
    assert_eq!(kongtun(&["validate", "no/such/dir"]).status.code(), Some(2));
    assert_eq!(kongtun(&["validate"]).status.code(), Some(2), "usage error");
}

#[test]
fn check_seed_packs_is_clean() {
    let o = kongtun(&["check", "rules", "--as-of", "2026-11-29"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("26 packs ok"), "{}", stdout(&o));
    // Warnings, never errors: figures taken from another year, and example rates.
    assert!(
        stdout(&o).lines().filter(|l| !l.contains("packs ok")).all(|l| l.contains(": warning: ")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_reports_every_error_of_a_broken_pack_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pack = "kind: fund-pack\nid: bad\nfund: BAD\nversion: \"1\"\neffective: { from: 2024-10-01 }\nexcess: patient\n\
                rules:\n  - id: r1\n    when: claim.setting > 3\n    pay: charged\n  - id: r1\n    when: line.prize > 0\n    pay: charged\n";
    std::fs::write(dir.join("bad.yaml"), pack).expect("write pack");
    let o = kongtun(&["check", dir.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("bad.yaml:9:11: r1: cannot compare text with a number"), "{out}");
    assert!(out.contains("bad.yaml:11:9: r1: duplicate rule id (first at line 8)"), "{out}");
    assert!(out.contains("bad.yaml:12:11: r1: unknown field `line.prize` (did you mean `line.price`?)"), "{out}");
    assert!(out.contains("3 errors"), "{out}");
}

#[test]
fn evaluate_json_follows_the_contract() {
    let o = kongtun(&["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", "examples/claims"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let records = json_lines(&o);
    assert_eq!(records.len(), 31);
    // One victim's visit and admission after one accident share PRB's 30,000 of tier 1.
    let ip = records.iter().find(|r| r["id"] == "PRB-UC-VICTIM-IP").expect("the victim's admission");
    assert_eq!(
        (&ip["primary_taken_before"], &ip["payers"][0]["amount"]),
        (&serde_json::json!("10000.00"), &serde_json::json!("20000.00"))
    );
    let r = records.iter().find(|r| r["id"] == "PRB-UC-IP-PENDING").expect("the contract example");
    let keys: Vec<&str> = r.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "fund",
            "setting",
            "service_date",
            "claim_date",
            "fiscal_year",
            "submitted",
            "accident_date",
            "packs",
            "charged",
            "payers",
            "patient",
            "penalty",
            "difference",
            "findings",
            "trace"
        ]
    );
    assert_eq!((&r["claim_date"], &r["fiscal_year"]), (&serde_json::json!("2025-01-12"), &serde_json::json!(2568)));
    assert_eq!(r["charged"], "100000.00");
    assert_eq!(
        r["payers"],
        serde_json::json!([
            {"payer": "PRB", "amount": "30000.00", "status": "claimable"},
            {"payer": "PRB", "amount": "50000.00", "status": "pending"},
            {"payer": "UC", "amount": "16700.00", "status": "claimable"}
        ])
    );
    assert_eq!(r["difference"], "3300.00");
    let packs = r["packs"].as_array().expect("packs");
    assert!(packs[0].as_str().is_some_and(|p| p.starts_with("prb@2568 ") && p.len() == "prb@2568 ".len() + 64));
}

#[test]
fn evaluate_prints_rejected_claims_in_order_and_exits_1() {
    let o = kongtun(&[
        "evaluate",
        "--rules",
        "rules",
        "--as-of",
        "2025-10-15",
        "--format",
        "json",
        "examples/invalid-claims",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let records = json_lines(&o);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap_or("-")).collect();
    assert_eq!(
        ids,
        [
            "BAD-NO-AN",
            "GOOD-1",
            "BAD-QTY",
            "BAD-DATE",
            "BAD-PRIZE",
            "GOOD-1",
            "BAD-CATEGORY",
            "BAD-DISCHARGE",
            "BAD-SATANG"
        ]
    );
    assert!(records[1]["payers"].is_array(), "the valid claim is evaluated");
    assert_eq!(records[0]["error"]["kind"], "missing_field");
}

#[test]
fn evaluate_thai_messages() {
    let o = kongtun(&[
        "evaluate",
        "--rules",
        "rules",
        "--as-of",
        "2025-10-15",
        "--format",
        "json",
        "--lang",
        "th",
        "examples/claims/uc.yaml",
    ]);
    let records = json_lines(&o);
    let late = records.iter().find(|r| r["id"] == "UC-IP-LATE").expect("late claim");
    assert!(late["findings"][0]["message"].as_str().is_some_and(|m| m.contains("ล่าช้า")));
}

/// The table format in Thai: the buckets, statuses, severities and the totals' title in
/// Thai, funds, codes and figures as in English, the totals' labels lined up by display width.
#[test]
fn evaluate_table_in_thai() {
    let run = |lang: &str| {
        let o = kongtun(&["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--lang", lang, "examples/claims"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o)
    };
    let (en, th) = (run("en"), run("th"));
    assert!(en.contains("UC-IP-LATE              UC     charged    11,000.00  UC 9,519.00  patient 0.00  penalty 501.00  difference 980.00\n"), "{en}");
    assert!(th.contains("UC-IP-LATE              UC     เรียกเก็บ    11,000.00  UC 9,519.00  ผู้ป่วย 0.00  หักส่งล่าช้า 501.00  ส่วนต่าง 980.00\n"), "{th}");
    assert!(th.contains("   คำเตือน LATE [uc-late]: ส่งเบิกเกิน 30 วัน"), "{th}");
    assert!(th.contains("\n31 เคลม: ประเมินแล้ว 31, ไม่ผ่าน 0\n"), "{th}");
    assert!(th.contains("\n  PRB (รอผล)   "), "{th}");
    assert!(!th.contains(" charged ") && !th.contains(" (held)") && !th.contains("warning "), "{th}");
    // The same lines and figures in both languages.
    assert_eq!(en.lines().count(), th.lines().count());
    let figures = |t: &str| t.split_whitespace().filter(|w| w.contains(".00")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(figures(&en), figures(&th));
    // The totals' amounts end in one column though Thai vowel and tone marks take none.
    let totals: Vec<&str> = th.lines().skip_while(|l| !l.starts_with("31 เคลม")).skip(1).collect();
    assert!(totals.len() > 10, "{th}");
    let column = |l: &str| unicode_width::UnicodeWidthStr::width(l);
    assert!(totals.iter().all(|l| column(l) == column(totals[0])), "{totals:#?}");
}

#[test]
fn evaluate_with_broken_packs_exits_2() {
    let o = kongtun(&["evaluate", "--rules", "examples/claims", "examples/claims"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn pack_tests_pass_with_full_coverage() {
    let o = kongtun(&["test", "rules", "--coverage", "--min-coverage", "100"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("coverage: 382/382 = 100.0%"), "{out}");
    let last = out.lines().last().unwrap_or_default();
    assert!(last.ends_with("passed, 0 failed"), "{last}");
}

#[test]
fn a_failing_pack_test_shows_expected_actual_and_trace() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tests")).expect("temp dir");
    std::fs::copy(root().join("rules/uc/fy2568.yaml"), dir.join("uc.yaml")).expect("copy pack");
    let case = "kind: pack-test\nas_of: 2025-10-15\ncases:\n  - name: wrong on purpose\n    claim: { id: T1, hn: \"1\", \
                setting: op, fund: UC, service_date: 2025-01-15, submitted: 2025-01-16, diagnoses: [J06.9], \
                items: [{ code: HD, category: 11, qty: 1, price: 2000 }] }\n    expect: { payers: [{ payer: UC, amount: 2000 }], findings: [] }\n";
    std::fs::write(dir.join("tests/t.yaml"), case).expect("write case");
    let o = kongtun(&["test", dir.to_str().expect("utf-8"), "--min-coverage", "90"]);
    let out = stdout(&o);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL "), "{out}");
    assert!(out.contains("payer UC claimable: expected 2,000.00, actual 1,500.00"), "{out}");
    assert!(out.contains("uc-haemodialysis"), "the trace is shown: {out}");
    assert!(out.contains("not reached by any case:"), "{out}");
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
}

#[test]
fn diff_reads_git_revisions_and_reports_no_change_for_equal_packs() {
    let o = kongtun(&[
        "diff",
        "--base",
        "git:HEAD:rules",
        "--head",
        "git:HEAD:rules",
        "--as-of",
        "2025-10-15",
        "--fail-on-change",
        "examples/claims",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("No change to the packs."), "{out}");
    assert!(out.contains("No money moved."), "{out}");
    let o = kongtun(&["diff", "--base", "git:no-such-rev:rules", "--head", "rules", "examples/claims"]);
    assert_eq!(o.status.code(), Some(2));
}

/// An id not in the files: exit 2, the nearest id there (a typo, another letter case), in
/// Thai under `--lang th`.
#[test]
fn explain_of_an_unknown_id_names_the_nearest() {
    let run = |id: &str, lang: &str| {
        let o = kongtun(&[
            "explain",
            "--rules",
            "rules",
            "--as-of",
            "2025-10-15",
            "--lang",
            lang,
            "--id",
            id,
            "examples/claims",
        ]);
        assert_eq!(o.status.code(), Some(2), "{id}");
        assert!(stdout(&o).is_empty(), "{id}: {}", stdout(&o));
        String::from_utf8_lossy(&o.stderr).trim().to_string()
    };
    assert_eq!(
        run("UC-IP-TKX", "en"),
        "kongtun: no claim with id UC-IP-TKX in the given files (did you mean UC-IP-TKA?)"
    );
    assert_eq!(
        run("uc-ip-tka", "en"),
        "kongtun: no claim with id uc-ip-tka in the given files (did you mean UC-IP-TKA?)"
    );
    assert_eq!(run("NOPE", "en"), "kongtun: no claim with id NOPE in the given files");
    assert_eq!(run("UC-IP-TKX", "th"), "kongtun: ไม่พบเคลมรหัส UC-IP-TKX ในไฟล์ที่ระบุ (หมายถึง UC-IP-TKA หรือไม่?)");
}

#[test]
fn explain_narrates_the_arithmetic() {
    let o = kongtun(&["explain", "--rules", "rules", "--id", "UC-IP-TKA", "--as-of", "2025-10-15", "examples/claims"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("uc-special-items: line 0 TKA-SET 1 x 60,000.00: cap 49,800.00 (tka_ceiling, table special-items row 1) per unit -> UC 49,800.00; 10,200.00 -> difference"),
        "{out}"
    );
    assert!(out.contains("uc-drg: Adj.RW 3.5 x 8,350.00 (drg_base_rate) = 29,225.00"), "{out}");
    // The story leaves out the rules that did not apply; --full tells them, and why not.
    let not_taken = "uc-pedicle: line 1 ROOM-WARD 5 x 600.00: `line.code == \"PEDICLE-LEVEL\"` is false (line.code = \"ROOM-WARD\")";
    assert!(!out.contains(not_taken), "{out}");
    assert_eq!(out.lines().count(), 15, "{out}");
    let full = kongtun(&[
        "explain",
        "--rules",
        "rules",
        "--id",
        "UC-IP-TKA",
        "--as-of",
        "2025-10-15",
        "--full",
        "examples/claims",
    ]);
    let full = stdout(&full);
    assert!(full.contains(not_taken), "{full}");
    assert!(full.contains("check uc-no-pdx (NO_PDX): `count(claim.diagnoses) == 0` is false"), "{full}");
    let o = kongtun(&["explain", "--rules", "rules", "--id", "NOPE", "examples/claims"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn evaluate_streams_json_lines_from_stdin_in_order_with_bad_lines_in_place() {
    use std::io::Write;
    let good = |id: &str| {
        format!(
            r#"{{"id":"{id}","hn":"1","setting":"op","fund":"CSMBS","service_date":"2025-01-15","submitted":"2025-01-16","diagnoses":["E11.9"],"items":[{{"code":"X","category":7,"qty":1,"price":"120.00"}}]}}"#
        )
    };
    let mut input = String::new();
    for i in 0..9000 {
        // Two chunks and more; every 1000th line is broken.
        if i % 1000 == 999 {
            input.push_str("{\"id\": \"BROKEN\",\n");
        } else {
            input.push_str(&good(&format!("S{i:05}")));
            input.push('\n');
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_kongtun"))
        .current_dir(root())
        .args(["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let o = child.wait_with_output().expect("run");
    writer.join().expect("writer").expect("write stdin");
    assert_eq!(o.status.code(), Some(1), "broken lines are rejected");
    let records = json_lines(&o);
    assert_eq!(records.len(), 9000, "one record per input line");
    for (i, r) in records.iter().enumerate() {
        if i % 1000 == 999 {
            assert_eq!(r["error"]["kind"], "syntax", "{r}");
            assert_eq!(r["error"]["line"], i + 1);
        } else {
            assert_eq!(r["id"], format!("S{i:05}"), "input order is kept");
            assert_eq!(r["payers"][0]["amount"], "120.00");
        }
    }
}

#[test]
fn evaluate_refuses_a_100_mb_line_without_holding_it() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-100mb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("huge.jsonl");
    std::fs::File::create(&path).and_then(|f| f.set_len(100 * 1024 * 1024)).expect("sparse file");
    let o = kongtun(&["evaluate", "--rules", "rules", "--format", "json", path.to_str().expect("utf-8")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1));
    let records = json_lines(&o);
    assert_eq!(records.len(), 1);
    assert!(records[0]["error"]["message"].as_str().is_some_and(|m| m.contains("limited to")), "{}", records[0]);
}

const BOOKS: [&str; 12] = [
    "--rules",
    "rules",
    "--claims",
    "examples/receivables/evaluated-fy2566-2567.jsonl",
    "examples/receivables/evaluated-fy2568.jsonl",
    "--statements",
    "examples/receivables/statements.csv",
    "--events",
    "examples/receivables/events.jsonl",
    "--visits",
    "examples/receivables/visits.csv",
    "--as-of=2568-09-30",
];

fn receivables(report: &str, extra: &[&str]) -> Output {
    let mut args = vec!["receivables", report];
    args.extend(BOOKS);
    args.extend(extra);
    kongtun(&args)
}

/// Dunning as JSON: the same figures as the table's title, and the letters the list says are
/// due, one per claim whose next step is a letter, adding up to the letters' total.
#[test]
fn receivables_dunning_as_json_agrees_with_its_table() {
    let o = receivables("dunning", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let d = &v["dunning"];
    assert_eq!(d["as_of"], "2025-09-30");
    assert_eq!(d["letters_due"], serde_json::json!([9, 1, 0]));
    assert_eq!(d["committee"], serde_json::json!([2, "25200.00"]));
    let rows = d["rows"].as_array().expect("rows");
    let title = stdout(&receivables("dunning", &[]));
    assert!(title
        .starts_with("Dunning as of 2025-09-30: letters due 1/2/3 = 9/1/0; to the write-off committee 2 (25,200.00)"));
    let due_letters: Vec<&str> =
        rows.iter().filter(|r| r["next"]["step"] == "letter").filter_map(|r| r["claim"].as_str()).collect();
    let letters = v["letters"]["letters"].as_array().expect("letters");
    let mut lettered: Vec<&str> = letters.iter().filter_map(|l| l["claim"].as_str()).collect();
    let mut due = due_letters.clone();
    lettered.sort_unstable();
    due.sort_unstable();
    assert_eq!(lettered, due, "a letter for each claim whose next step is one");
    let satang = |s: &serde_json::Value| {
        s.as_str().and_then(|t| t.replace('.', "").parse::<i64>().ok()).expect("an amount with two decimals")
    };
    let sum: i64 = letters.iter().map(|l| satang(&l["amount"])).sum();
    assert_eq!(sum, satang(&v["letters"]["total"]));
    assert_eq!(v["letters"]["total"], "46950.00");
    let committee: i64 = rows.iter().filter(|r| r["next"]["step"] == "committee").map(|r| satang(&r["open"])).sum();
    assert_eq!(committee, 2_520_000, "the committee's 25,200.00 is its rows' open amounts");
}

#[test]
fn receivables_aging_as_csv_and_json() {
    let o = receivables("aging", &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "\u{feff}payer,FY2566,FY2567,FY2568,total,of which held,claims\nUC,12500.00,5000.00,168410.00,185910.00,0.00,6\n"
        ),
        "{out}"
    );
    assert!(out.contains("total,67700.00,45600.00,509310.00,622610.00,1350.00,29\n"), "{out}");
    let o = receivables("aging", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["total"], "622610.00");
    assert_eq!(v["held"], "1350.00");
    assert_eq!(v["as_of"], "2025-09-30");
}

#[test]
fn receivables_reports_print_their_headline_figures() {
    let text = |report: &str| stdout(&receivables(report, &[]));
    assert!(text("collection").contains("UC        185,910.00  525,089.00  129.2      60  OVER TARGET"));
    assert!(text("reconcile").starts_with(
        "Reconciliation as of 2025-09-30: expected 1,554,194.00, paid 1,003,454.00, to adjust 5,500.00 (0.00 expected from paid rates), stuck C/D/V 2/1/1 (333,220.00), held 1,350.00"
    ));
    // Too many figures to fit 100 columns: the actions and claim ids stay whole (a label cut
    // to `fix befo…` says nothing), the same as `--wide`.
    let reconcile = text("reconcile");
    assert!(reconcile.contains("PRB-SELF-NOECODE         PRB    FY2568    1,350.00"), "{reconcile}");
    assert!(reconcile.contains("46  fix before sending\n"), "{reconcile}");
    assert!(!reconcile.contains('…'), "{reconcile}");
    assert_eq!(reconcile, stdout(&receivables("reconcile", &["--wide"])));
    // The journal cannot fit either: its account names are cut, no shorter than 24 columns.
    let journal = text("journal");
    assert!(journal.contains("  เงินฝากธนาคาร - นอกงบประ…  OLD-UC-2567-03  "), "{journal}");
    assert!(text("dunning")
        .starts_with("Dunning as of 2025-09-30: letters due 1/2/3 = 9/1/0; to the write-off committee 2 (25,200.00)"));
    let kpi = text("kpi");
    assert!(kpi.lines().last().is_some_and(|l| l.starts_with("total        39        3        7.7      34")), "{kpi}");
}

/// The books in Thai: headings, status words and titles from the catalogue, dates in BE,
/// the same figures; CSV with a byte-order mark so Excel reads the Thai.
#[test]
fn receivables_in_thai_with_buddhist_era_dates() {
    let text = stdout(&receivables("collection", &["--lang", "th"]));
    assert!(text.starts_with("ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้ 01/10/2567 ถึง 30/09/2568 (365 วัน)\n"), "{text}");
    assert!(text.contains("UC       185,910.00  525,089.00    129.2       60  เกินเป้าหมาย"), "{text}");
    let dunning = stdout(&receivables("dunning", &["--lang", "th"]));
    assert!(
        dunning.contains(
            "SELF-OP-01             SELF      550.00     85            1  หนังสือฉบับที่ 2        07/09/2568  ครบกำหนด"
        ),
        "{dunning}"
    );
    // --dates ce keeps ISO dates with Thai words.
    let ce = stdout(&receivables("collection", &["--lang", "th", "--dates", "ce"]));
    assert!(ce.starts_with("ระยะเวลาถัวเฉลี่ยในการเรียกเก็บหนี้ 2024-10-01 ถึง 2025-09-30"), "{ce}");
    // The error-code table of reconcile: its title and headings from the catalogue too.
    let reconcile = stdout(&receivables("reconcile", &["--lang", "th"]));
    assert!(reconcile.contains("รหัสข้อผิดพลาด (สปสช.): ความหมายและวิธีแก้ไข\nรหัส   ประเภท  จำนวนเคส"), "{reconcile}");
    let o = receivables("aging", &["--lang", "th", "--format", "csv"]);
    let csv = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(csv.starts_with("\u{feff}ผู้จ่าย,ปีงบ 2566,ปีงบ 2567,ปีงบ 2568,รวม,ในจำนวนนี้ถูกระงับ,จำนวนเคส\n"), "{csv}");
    assert!(csv.contains("\nรวม,67700.00,45600.00,509310.00,622610.00,1350.00,29\n"), "{csv}");
}

#[test]
fn receivables_html_page_is_written() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("aging.html");
    let o = receivables("aging", &["--html", file.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0));
    let page = std::fs::read_to_string(&file).expect("page");
    assert!(page.contains("<table id=\"aging-by-year\">") && page.contains("<svg id=\"aging-chart\""));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn receivables_post_appends_each_statement_row_once() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-post-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let log = dir.join("events.jsonl");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "statement,claim,payer,paid,paid_date\nX1,UC-IP-SPINE,UC,86740.00,2025-09-10\nX2,NO-SUCH,UC,1.00,2025-09-10\n",
    )
    .expect("write");
    let post = |files: &[&str]| {
        let mut args = vec![
            "receivables",
            "post",
            "--claims",
            "examples/receivables/evaluated-fy2568.jsonl",
            "--log",
            log.to_str().expect("utf-8"),
        ];
        args.extend(files);
        kongtun(&args)
    };
    let first = post(&["examples/receivables/statements.csv"]);
    // Rows for FY2566-2567 claims are not in this batch of evaluated claims: reported, skipped.
    assert_eq!(first.status.code(), Some(1));
    assert!(stdout(&first).starts_with("20 events appended"), "{}", stdout(&first));
    let again = post(&["examples/receivables/statements.csv"]);
    assert!(stdout(&again).starts_with("0 events appended"), "{}", stdout(&again));
    assert!(stdout(&again).contains("20 already posted"), "{}", stdout(&again));
    let o = post(&[bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("1 events appended"), "{}", stdout(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("bad.csv:3: claim NO-SUCH:"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&log).expect("log").lines().count(), 21);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn duplicate_ids_are_rejected_unless_the_check_is_off() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("dup.jsonl");
    let claim = r#"{"id":"D1","hn":"1","setting":"op","fund":"UC","service_date":"2025-01-15","submitted":"2025-01-16","diagnoses":["J06.9"],"items":[{"code":"X","category":12,"qty":1,"price":100}]}"#;
    std::fs::write(&file, format!("{claim}\n{claim}\n")).expect("write");
    let path = file.to_str().expect("utf-8");
    let checked = kongtun(&["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", path]);
    assert_eq!(checked.status.code(), Some(1));
    let records = json_lines(&checked);
    assert_eq!(records[1]["error"]["kind"], "duplicate_id", "{records:?}");
    let unchecked = kongtun(&[
        "evaluate",
        "--rules",
        "rules",
        "--as-of",
        "2025-10-15",
        "--format",
        "json",
        "--no-duplicate-check",
        path,
    ]);
    assert_eq!(unchecked.status.code(), Some(0));
    assert!(json_lines(&unchecked).iter().all(|r| r.get("error").is_none()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The provincial reports from the command line: aging by hospital, one hospital's books,
/// and the journal as CSV for the accounting system, balanced.
#[test]
fn receivables_by_hospital_and_the_journal() {
    let books = [
        "--rules",
        "rules",
        "--claims",
        "examples/receivables/province/evaluated-10703.jsonl",
        "examples/receivables/province/evaluated-10704.jsonl",
        "examples/receivables/province/evaluated-10705.jsonl",
        "--statements",
        "examples/receivables/province/statements.csv",
        "--as-of",
        "2568-09-30",
    ];
    let run = |report: &str, extra: &[&str]| {
        let mut args = vec!["receivables", report];
        args.extend(books);
        args.extend(extra);
        kongtun(&args)
    };
    let o = run("aging", &["--by", "hospital", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.starts_with("\u{feff}hospital,UC,CSMBS,SSS,LGO,PATIENT,total,claims,over target\n10703,"), "{out}");
    assert!(out.contains("\nshare %,"), "{out}");
    let o = run("aging", &["--hospital", "10705", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let one = v["total"].as_str().expect("total").to_string();
    assert!(out.contains("10705,"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("10705,") && l.contains(&one)), "{one} in {out}");
    let o = run("journal", &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = stdout(&o);
    assert!(csv.starts_with("\u{feff}date,entry,account,account_name,claim,hcode,payer,debit,credit,memo\n"), "{csv}");
    let total = csv.lines().last().expect("a total line");
    let cells: Vec<&str> = total.split(',').collect();
    assert_eq!(cells[0], "total");
    assert_eq!(cells[7], cells[8], "debit = credit: {total}");
    let o = run("trial-balance", &["--format", "json"]);
    let tb: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let o = run("aging", &["--format", "json"]);
    let aging: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(tb["receivables"], aging["total"]);
}

/// The worklist of the sample claims: only what must be fixed, most money held up first,
/// with the lines by code and amount, C or D, and the fix; as CSV for Excel in Thai.
#[test]
fn the_worklist_puts_the_money_first() {
    let o = kongtun(&["worklist", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", "examples/claims"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!((&v["claims"], &v["held_up"]), (&serde_json::json!(10), &serde_json::json!("712366.00")));
    let rows = v["rows"].as_array().expect("rows");
    let held: Vec<f64> = rows.iter().map(|r| r["held_up"].as_str().expect("amount").parse().expect("number")).collect();
    assert!(held.windows(2).all(|w| w[0] >= w[1]), "sorted by money held up: {held:?}");
    let knee = rows.iter().find(|r| r["claim"] == "UC-IP-TKA-UNCODED").expect("the uncoded knee");
    assert_eq!(knee["code"], "NO_SERIAL");
    assert_eq!(knee["leads"], "corrective");
    assert_eq!(knee["lines"], "TKA-SET 49,000.00");
    assert_eq!(knee["held_up"], "49000.00");
    assert!(knee["fix"].as_str().expect("fix").contains("serial"), "{knee}");
    let expired = rows.iter().find(|r| r["claim"] == "UC-IP-EXPIRED").expect("expired");
    assert_eq!((&expired["leads"], &expired["held_up"]), (&serde_json::json!("deny"), &serde_json::json!("7515.00")));
    // Claims with nothing to fix are not listed.
    assert!(!rows.iter().any(|r| r["claim"] == "UC-IP-TKA"));
    let o = kongtun(&[
        "worklist",
        "--rules",
        "rules",
        "--as-of",
        "2025-10-15",
        "--format",
        "csv",
        "--lang",
        "th",
        "examples/claims",
    ]);
    let csv = stdout(&o);
    assert!(csv.starts_with("\u{feff}เคส,HN,สิทธิ,วันที่รับบริการ,รหัส,ผล,รายการ,เงินที่ค้าง,ปัญหา,วิธีแก้ไข\n"), "{csv}");
    assert!(
        csv.contains("UC-IP-TKA-UNCODED,0023457,UC,01/04/2568,NO_SERIAL,C,\"TKA-SET 49,000.00\",49000.00,"),
        "{csv}"
    );
    // On screen the row fits 100 columns whole; the lines, problem and fix go under it.
    let o = kongtun(&["worklist", "--rules", "rules", "--as-of", "2025-10-15", "examples/claims"]);
    let text = stdout(&o);
    let at = text.find("UC-IP-TKA-UNCODED  0023457").expect("the knee's row whole");
    let under: Vec<&str> = text[at..].lines().skip(1).take(3).collect();
    assert_eq!(under[0], "    lines: TKA-SET 49,000.00", "{text}");
    assert!(under[1].starts_with("    problem: ") && under[2].starts_with("    fix: "), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
}

/// Claims the engine cannot read come first in the worklist (REJECTED: nothing about them is
/// known until fixed), by id, then the rest, most money first; send-by counts them in its
/// title and leaves them to the worklist.
#[test]
fn rejected_claims_head_the_worklist_and_send_by_counts_them() {
    let args = ["--rules", "rules", "--as-of", "2025-10-15", "examples/claims", "examples/invalid-claims"];
    let o = kongtun(&[&["worklist"][..], &args].concat());
    let text = stdout(&o);
    assert!(text.starts_with("Worklist: 19 of 40 claims to fix, 712,366.00 baht held up\n"), "{text}");
    let rows: Vec<(&str, bool)> = text
        .lines()
        .skip(3)
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| Some((l.split_whitespace().next()?, l.contains(" REJECTED "))))
        .collect();
    let rejected: Vec<&str> = rows.iter().take_while(|(_, r)| *r).map(|(id, _)| *id).collect();
    assert_eq!(rejected.len(), 8, "{text}");
    assert!(rejected.windows(2).all(|w| w[0] <= w[1]), "by id: {rejected:?}");
    assert!(rows[8..].iter().all(|(_, r)| !r), "no REJECTED row after the others: {text}");
    let o = kongtun(&[&["send-by"][..], &args].concat());
    let text = stdout(&o);
    assert!(
        text.lines().next().is_some_and(|l| l.ends_with("; 8 claims rejected, not listed (the worklist lists them)")),
        "{text}"
    );
}

/// The send-by list: claims not yet sent, soonest first, with the last day before the late cut,
/// the deadline and what sending late would cut; in Thai with BE dates as CSV for Excel.
#[test]
fn send_by_lists_what_to_send_first() {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-sendby-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("unsent.jsonl");
    let claim = |id: &str, discharge: &str| {
        format!(
            r#"{{"id":"{id}","hn":"1","an":"{id}","setting":"ip","fund":"UC","service_date":"{discharge}","discharge_date":"{discharge}","adj_rw":"1.0","diagnoses":["A09.0"],"items":[{{"code":"NURSING","category":12,"qty":"1","price":"2400"}}]}}"#
        )
    };
    std::fs::write(&file, [claim("LATER", "2025-12-28"), claim("SOONER", "2025-12-10")].join("\n")).expect("write");
    let path = file.to_str().expect("utf-8 path");
    let o = kongtun(&["send-by", "--rules", "rules", "--as-of", "2026-01-05", path]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(
        text.starts_with("Send by, as of 2026-01-05: 2 claims not yet sent, 16,700.00 owed, 835.00 cut if sent late\n"),
        "{text}"
    );
    // (each row's HN and deadline are indented under it, so the table fits 100 columns)
    let order: Vec<&str> = text
        .lines()
        .skip(3)
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .take(2)
        .collect();
    assert_eq!(order, ["SOONER", "LATER"]);
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.contains("\n    HN 1; deadline 2026-12-31 (360 days)\n"), "{text}");
    let o = kongtun(&["send-by", "--rules", "rules", "--as-of", "2026-01-05", "--format", "csv", "--lang", "th", path]);
    let csv = stdout(&o);
    assert!(csv.starts_with("\u{feff}เคส,HN,ผู้จ่าย,ประเภท,วันที่เคลม,ส่งภายใน,"), "{csv}");
    assert!(csv.contains("\nSOONER,1,UC,IP,10/12/2568,09/01/2569,4,31/12/2569,360,8350.00,417.50,ทันกำหนด\n"), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's send-by example, on the sample of claims not yet sent.
#[test]
fn send_by_on_the_samples_not_yet_sent_is_the_readme_s() {
    let o = kongtun(&["send-by", "--rules", "rules", "--as-of", "2569-11-29", "examples/claims-not-sent"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let shown: String = readme
        .lines()
        .skip_while(|l| !l.contains("kongtun send-by --rules rules --as-of 2569-11-29 examples/claims-not-sent"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| format!("{}\n", &l[4..]))
        .collect();
    assert_eq!(text, shown);
}

/// The records of `evaluate --format json` without where they were read from.
fn outcomes(o: &Output) -> Vec<serde_json::Value> {
    json_lines(o)
        .into_iter()
        .map(|mut r| {
            if let Some(r) = r.as_object_mut() {
                r.remove("file");
                r.remove("line");
            }
            r
        })
        .collect()
}

#[test]
fn claims_as_an_excel_sheet_evaluate_as_the_yaml_samples_do_and_a_folder_names_what_it_skips() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for lang in ["en", "th"] {
        let sheet = dir.path().join(format!("claims-{lang}.csv"));
        let sheet = sheet.to_str().expect("a path");
        let export = kongtun(&["export", "sheet", "--lang", lang, "-o", sheet, "examples/claims"]);
        assert_eq!(export.status.code(), Some(0), "{}", String::from_utf8_lossy(&export.stderr));
        let args = |input: &str| {
            ["evaluate", "--rules", "rules", "--as-of", "2025-10-15", "--format", "json", input].map(String::from)
        };
        let yaml = kongtun(&args("examples/claims").each_ref().map(String::as_str));
        let csv = kongtun(&args(sheet).each_ref().map(String::as_str));
        assert_eq!(csv.status.code(), Some(0), "{}", String::from_utf8_lossy(&csv.stderr));
        let (yaml, csv) = (outcomes(&yaml), outcomes(&csv));
        assert_eq!(csv.len(), 31);
        assert_eq!(csv, yaml, "{lang}");
    }
    // A folder: its sheets are read, and a file kongtun cannot read is named, never passed over quietly.
    std::fs::write(dir.path().join("scan.pdf"), "%PDF-1.4").expect("written");
    std::fs::remove_file(dir.path().join("claims-en.csv")).expect("removed"); // the same ids twice
    let folder = kongtun(&["validate", dir.path().to_str().expect("a path")]);
    let err = String::from_utf8_lossy(&folder.stderr);
    assert_eq!(folder.status.code(), Some(0), "{err}");
    assert!(err.contains("scan.pdf: warning: skipped: not a claim file"), "{err}");
    assert!(stdout(&folder).contains("31 claims: 31 valid"), "{}", stdout(&folder));
    // A workbook name is refused: the file would hold CSV text that Excel will not open.
    let wrong = dir.path().join("claims.xlsx");
    let o = kongtun(&["template", "-o", wrong.to_str().expect("a path")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!wrong.exists());
    // The template reads as one claim.
    let template = dir.path().join("template.csv");
    let made = kongtun(&["template", "--lang", "th", "-o", template.to_str().expect("a path")]);
    assert_eq!(made.status.code(), Some(0));
    let read = kongtun(&["validate", template.to_str().expect("a path")]);
    assert!(stdout(&read).contains("1 claims: 1 valid"), "{}", stdout(&read));
}

#[test]
fn dunning_gives_a_mail_merge_csv_and_a_page_of_letters_to_print() {
    let o = receivables("dunning", &["--format", "csv", "--lang", "th"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}เคส,HN,ชื่อ,สิทธิ,วันที่เคลม,จำนวนเงิน,ฉบับที่,ครบกำหนด,ชำระภายใน"),
        "one table, headings first: {csv}"
    );
    assert_eq!(
        lines.next(),
        Some("OLD-CSMBS-2566-03,HN53782,ผู้ป่วยตัวอย่าง 32,CSMBS,01/08/2566,2000.00,1,31/08/2566,30/10/2568")
    );
    assert_eq!(csv.lines().count(), 11, "a heading and 10 letters: {csv}");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("letters.html");
    let o = receivables("dunning", &["--html", page.to_str().expect("a path")]);
    assert_eq!(o.status.code(), Some(0));
    let page = std::fs::read_to_string(&page).expect("the page");
    assert_eq!(page.matches("<section class=\"letter\">").count(), 10, "the letters, not the aging page");
    assert!(!page.contains("aging-chart"));
}

/// Every message a clerk meets on a bad claim file, in Thai: the words around the values are
/// the catalogue's (kongtun_core::messages), nothing English left but the values themselves.
#[test]
fn validate_says_what_is_wrong_in_thai() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "claims:\n\
  - {id: Q1, hn: \"1\", setting: op, fund: UC, service_date: 2025-09-30, items: [{code: X, category: 12, qty: abc, price: 1}]}\n\
  - {id: Q2, hn: \"1\", setting: op, fund: UC, service_date: 31/09/2568, items: [{code: X, category: 12, qty: 1, price: 1}]}\n\
  - {id: Q3, hn: \"1\", setting: op, fund: UC, service_date: 2025-09-30, items: [{code: X, category: x, qty: 1, price: 1}]}\n\
  - {id: Q4, setting: op, fund: UC, service_date: 2025-09-30, items: [{code: X, category: 12, qty: 1, price: 1}]}\n\
  - {id: Q6, hn: \"1\", setting: op, fund: UC, service_date: 2025-09-30, items: []}\n\
  - {id: Q7, hn: \"1\", setting: op, fund: UC, service_date: hello, items: [{code: X, category: 12, qty: 1, price: 1}]}\n\
  - {id: Q8, hn: \"1\", setting: op, fund: UC, service_date: 2025-09-30, items: [{code: X, category: 12, qty: 1, price: 1, claimable: maybe}]}\n\
  - {id: Q9, hn: [1], setting: op, fund: UC, service_date: 2025-09-30, items: [{code: X, category: 12, qty: 1, price: 1}]}\n\
  - {id: Q10, hn: \"1\", setting: er, fund: UC, service_date: 2025-09-30, items: [{code: X, category: 12, qty: 1, price: 1}]}\n\
  - just text\n",
    )
    .expect("written");
    let o = kongtun(&["validate", "--lang", "th", "examples/invalid-claims", bad.to_str().expect("a path")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(out.lines().count(), 19, "{out}");
    assert!(out.ends_with("19 เคลม: ผ่าน 1, ไม่ผ่าน 18\n"), "{out}");
    // kongtun's own dates in the Thai form; a date as typed stays as typed.
    assert!(out.contains("discharge_date: 08/02/2568 อยู่ก่อนวันที่รับบริการ 10/02/2568: "), "{out}");
    assert!(out.contains("`2025-02-30` ไม่ใช่วันที่ที่มีอยู่จริงในปฏิทิน"), "{out}");
    for line in out.lines() {
        // Values (in backticks, and ids, fields, paths, codes) may be English; words may not.
        let message = line.split_once(": ").map_or(line, |(_place, rest)| rest);
        let words: String = message.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        // and paths in the message are values too
        let words: String = words.split(' ').filter(|w| !w.contains('/')).collect::<Vec<_>>().join(" ");
        for english in
            ["expected", "found", " is ", "missing", "unknown", "rejected", "claim ", "no such", "in any", "also"]
        {
            assert!(!words.contains(english), "English left in: {line}");
        }
        assert!(line.starts_with("ไม่ผ่าน ") || line.contains("เคลม:"), "{line}");
    }
    // A claim path that is not there, in Thai, before anything is read: no report at all.
    let o = kongtun(&["validate", "--lang", "th", "examples/invalid-claims", "examples/claimz"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(2), ""));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "ข้อผิดพลาด: examples/claimz: ไม่พบไฟล์หรือโฟลเดอร์นี้ (หมายถึง examples/claims หรือไม่?)\n"
    );
    // A rules folder that is not there, in Thai, before anything is read.
    let o = kongtun(&["evaluate", "--lang", "th", "--rules", "rulez", "examples/claims"]);
    assert_eq!(String::from_utf8_lossy(&o.stderr), "ข้อผิดพลาด: ไม่พบโฟลเดอร์กฎ rulez (หมายถึง rules หรือไม่?)\n");
}

/// `evaluate --format csv`: one row per claim for Excel, the buckets adding up to what was
/// charged, and a claim not evaluated as its row with the reason.
#[test]
fn evaluate_as_csv_for_excel() {
    let o = kongtun(&[
        "evaluate",
        "--rules",
        "rules",
        "--as-of",
        "2025-10-15",
        "--format",
        "csv",
        "examples/claims",
        "examples/invalid-claims",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("\u{feff}id,fund,setting,service_date,claim_date,charged,claimable,held,pending,patient,penalty,difference,payers,findings,error"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.splitn(13, ',').collect()).collect();
    assert_eq!(rows.len(), 40, "31 evaluated and 9 rejected");
    let cents = |s: &str| -> i64 { s.replace('.', "").parse().unwrap_or(0) };
    for r in rows.iter().filter(|r| !r[5].is_empty()) {
        let buckets: i64 = r[6..12].iter().map(|s| cents(s)).sum();
        assert_eq!(buckets, cents(r[5]), "{r:?}");
    }
    let late = rows.iter().find(|r| r[0] == "UC-IP-LATE").expect("UC-IP-LATE");
    assert_eq!(&late[5..12], ["11000.00", "9519.00", "0.00", "0.00", "0.00", "501.00", "980.00"]);
    assert!(
        csv.contains("BAD-QTY,,,,,,,,,,,,,,examples/invalid-claims/missing-and-duplicate.json:8:59: claim BAD-QTY"),
        "{csv}"
    );
}
