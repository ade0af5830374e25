//! Hostile inputs through the `kongtun` binary: the same bytes give the same answer in every
//! command, every read is bounded, nothing is silently dropped or ignored, and no output can
//! be turned against the reader. Each test names the class of input it guards; extend the
//! suite with one test per new finding.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kongtun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kongtun")).current_dir(root()).args(args).output().expect("run kongtun")
}

fn kongtun_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kongtun"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-hostile-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn claim(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","hn":"1","setting":"op","fund":"UC","service_date":"2025-01-15","submitted":"2025-01-16","diagnoses":["J00"],"items":[{{"code":"X","category":7,"qty":1,"price":120}}]}}"#
    )
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Class: a syntax error inside one claim of a multi-claim document (YAML list, JSON list).
#[test]
fn one_syntax_error_costs_one_claim_and_count_in_equals_count_out() {
    let dir = scratch("syntax");
    let mut yaml = String::from("claims:\n");
    for i in 0..11 {
        let mut c = claim(&format!("Y{i}"));
        if i == 5 {
            c.pop(); // claim 5 never closes its mapping
        }
        yaml.push_str(&format!("  - {c}\n"));
    }
    std::fs::write(dir.join("eleven.yaml"), &yaml).expect("write");
    let json = format!(
        "[{}]",
        (0..11)
            .map(|i| if i == 3 { "{\"id\": \"J3\", \"hn\": }".to_string() } else { claim(&format!("J{i}")) })
            .collect::<Vec<_>>()
            .join(",\n")
    );
    std::fs::write(dir.join("eleven.json"), &json).expect("write");
    for file in ["eleven.yaml", "eleven.json"] {
        let o = kongtun(&["validate", "--format", "json", p(&dir.join(file))]);
        let records: Vec<serde_json::Value> = out(&o).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        assert_eq!(records.len(), 11, "{file}: 11 claims in, 11 records out: {}", out(&o));
        let bad: Vec<&serde_json::Value> = records.iter().filter(|r| r.get("error").is_some()).collect();
        assert_eq!(bad.len(), 1, "{file}: {}", out(&o));
        assert!(bad[0]["id"] == "Y5" || bad[0]["id"] == "J3", "{file}: the bad claim is named: {}", bad[0]);
        assert_eq!(bad[0]["error"]["kind"], "syntax");
        assert_eq!(o.status.code(), Some(1));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: the same bytes read by `validate` and `evaluate`, however they are named.
#[test]
fn validate_and_evaluate_read_the_same_bytes_the_same_way() {
    let dir = scratch("same");
    let mut jsonl = Vec::new();
    for i in 0..3 {
        jsonl.extend_from_slice(claim(&format!("L{i}")).as_bytes());
        jsonl.push(b'\n');
    }
    jsonl.extend_from_slice(b"{\"id\":\"BAD\xff\",\"hn\":\"1\"}\n");
    jsonl.extend_from_slice(claim("L9").as_bytes());
    jsonl.push(b'\n');
    std::fs::write(dir.join("mixed.jsonl"), &jsonl).expect("write");
    let v = kongtun(&["validate", "--format", "json", p(&dir.join("mixed.jsonl"))]);
    let e = kongtun(&["evaluate", "--rules", "rules", "--as-of", "2025-02-01", "--format", "json", p(&dir)]);
    let s = kongtun_stdin(&["validate", "--format", "json", "-"], &jsonl);
    for o in [&v, &e, &s] {
        assert_eq!(o.status.code(), Some(1), "{}{}", out(o), err(o));
        let text = out(o);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{}", out(o));
        assert!(lines[3].contains("not UTF-8 text"), "{}", lines[3]);
        assert!(lines[4].contains("\"L9\""), "{}", lines[4]);
    }
    // YAML on standard input is YAML; JSON Lines on standard input are JSON Lines.
    let yaml = std::fs::read(root().join("examples/claims/uc.yaml")).expect("sample");
    let o = kongtun_stdin(&["validate", "-"], &yaml);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: unbounded sources (a device, a pipe) and special files inside a directory.
#[test]
fn every_read_is_capped_and_special_files_never_block() {
    let o = kongtun(&["validate", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("larger than 32 MB"), "{}", out(&o));
    let dir = scratch("fifo");
    std::fs::copy(root().join("examples/claims/uc.yaml"), dir.join("uc.yaml")).expect("copy");
    let fifo = dir.join("pipe.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink(".", dir.join("loop")).expect("symlink");
    std::fs::write(dir.join("notes.pdf"), "%PDF").expect("write");
    let o = kongtun(&["validate", p(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let e = err(&o);
    assert!(e.contains("pipe.jsonl: warning: skipped: not a regular file"), "{e}");
    assert!(e.contains("loop: warning: skipped: a link back to"), "{e}");
    assert!(e.contains("notes.pdf: warning: skipped: not a claim file"), "{e}");
    assert!(out(&o).contains("claims: 11 valid"), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: rule files that would silently not load (a mistyped kind, an upper-case extension).
#[test]
fn a_mistyped_kind_is_an_error_and_upper_case_extensions_are_read() {
    let dir = scratch("kinds");
    let uc = std::fs::read_to_string(root().join("rules/uc/fy2568.yaml")).expect("uc");
    std::fs::write(dir.join("uc.YAML"), &uc).expect("write");
    let o = kongtun(&["check", p(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("uc@2568"), "{}", out(&o));
    std::fs::write(dir.join("sss.yaml"), "kind: fund-pak\nid: sss\n").expect("write");
    let o = kongtun(&["check", p(&dir)]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("unknown kind `fund-pak` (did you mean `fund-pack`?)"), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: output to a closed pipe or a full disk (standard output, then standard error too),
/// for every command.
#[test]
fn closed_pipes_end_quietly_and_full_disks_are_errors_in_every_command() {
    let b = "examples/receivables";
    let claims = format!("{b}/evaluated-fy2568.jsonl");
    let commands: Vec<Vec<String>> = vec![
        vec!["check".into(), "rules".into()],
        vec!["test".into(), "rules".into(), "--coverage".into()],
        vec!["schema".into()],
        vec![
            "explain".into(),
            "--rules".into(),
            "rules".into(),
            "--as-of".into(),
            "2025-09-30".into(),
            "--id".into(),
            "UC-IP-TKA".into(),
            "examples/claims".into(),
        ],
        vec![
            "diff".into(),
            "--base".into(),
            "rules".into(),
            "--head".into(),
            "rules".into(),
            "--as-of".into(),
            "2025-09-30".into(),
            "examples/claims".into(),
        ],
        vec![
            "evaluate".into(),
            "--rules".into(),
            "rules".into(),
            "--as-of".into(),
            "2025-09-30".into(),
            "examples/claims".into(),
        ],
        vec!["validate".into(), "examples/claims".into()],
        vec![
            "receivables".into(),
            "aging".into(),
            "--rules".into(),
            "rules".into(),
            "--as-of".into(),
            "2025-09-30".into(),
            "--claims".into(),
            claims.clone(),
        ],
        vec![
            "receivables".into(),
            "reconcile".into(),
            "--rules".into(),
            "rules".into(),
            "--as-of".into(),
            "2025-09-30".into(),
            "--claims".into(),
            claims.clone(),
        ],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // A reader that goes away at once: no panic (101), a quiet end.
        let mut child = Command::new(env!("CARGO_BIN_EXE_kongtun"))
            .current_dir(root())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("wait");
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {}", err(&o));
        assert!(!err(&o).contains("panicked"), "{args:?}: {}", err(&o));
        // A full disk: an error, exit 2.
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let o = Command::new(env!("CARGO_BIN_EXE_kongtun"))
            .current_dir(root())
            .args(&args)
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("cannot write output"), "{args:?}: {}", err(&o));
        // A disk so full that standard error fails too (a CI run once met it): still exit 2,
        // not a panic over the message that could not be written.
        let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let status = Command::new(env!("CARGO_BIN_EXE_kongtun"))
            .current_dir(root())
            .args(&args)
            .stdout(full())
            .stderr(full())
            .status()
            .expect("run");
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
    // A message on standard error alone (a missing path): exit 2 with stderr full too.
    let status = Command::new(env!("CARGO_BIN_EXE_kongtun"))
        .current_dir(root())
        .args(["validate", "examples/claimz"])
        .stderr(std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full"))
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2));
}

/// Class: messages that point the wrong way (each names the right cause).
#[test]
fn messages_say_what_is_really_wrong() {
    let dir = scratch("messages");
    let c = claim("M1");
    let cases: Vec<(&str, String, &str)> = vec![
        ("tiny.yaml", c.replace("\"price\":120", "\"price\":1e-30"), "too many decimal places"),
        ("y2400.yaml", c.replace("2025-01-15", "2400-01-01"), "is the year 1857 CE (read as BE 2400)"),
        ("cut.jsonl", c[..c.len() - 10].to_string(), "not valid JSON"),
        ("plus.jsonl", c.replace("\"qty\":1", "\"qty\":+5"), "not valid JSON"),
        ("dot.jsonl", c.replace("\"qty\":1", "\"qty\":.5"), "not valid JSON"),
    ];
    for (name, text, want) in &cases {
        std::fs::write(dir.join(name), format!("{text}\n")).expect("write");
        let o = kongtun(&["validate", p(&dir.join(name))]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", out(&o));
        assert!(out(&o).contains(want), "{name}: wanted `{want}` in {}", out(&o));
        assert!(out(&o).contains("claim M1"), "{name}: the claim is named even when cut: {}", out(&o));
    }
    // UTF-16 says so, and is a rejected file (exit 1), not a usage error.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(c.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(dir.join("u16.json"), utf16).expect("write");
    let o = kongtun(&["validate", p(&dir.join("u16.json"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("UTF-16"), "{}", out(&o));
    // Old Mac line endings: three claims, three records.
    std::fs::write(dir.join("cr.jsonl"), format!("{}\r{}\r{}\r", claim("C1"), claim("C2"), claim("C3")))
        .expect("write");
    let o = kongtun(&["validate", p(&dir.join("cr.jsonl"))]);
    assert!(out(&o).contains("3 claims: 3 valid"), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: ids that would reorder or hide a terminal line, or run as a spreadsheet formula.
#[test]
fn ids_cannot_hide_in_tables_or_run_in_spreadsheets() {
    let dir = scratch("output");
    let sneaky = claim("A\u{202E}1").replace("\"hn\":\"1\"", "\"hn\":\"1\u{0}\"");
    std::fs::write(dir.join("ids.jsonl"), format!("{sneaky}\n")).expect("write");
    let o = kongtun(&["evaluate", "--rules", "rules", "--as-of", "2025-02-01", p(&dir.join("ids.jsonl"))]);
    let text = out(&o);
    assert!(text.contains("A\\u{202E}1"), "{text}");
    assert!(!text.contains('\u{202E}'), "{text}");
    let evaluated = dir.join("evaluated.jsonl");
    let formula = r#"{"id":"=HYPERLINK(\"http://evil\")","fund":"SELF","service_date":"2025-01-10","claim_date":"2025-01-10","fiscal_year":2568,"charged":"100.00","payers":[],"patient":"100.00","penalty":"0.00","difference":"0.00"}"#;
    std::fs::write(&evaluated, format!("{formula}\n")).expect("write");
    let o = kongtun(&[
        "receivables",
        "dunning",
        "--rules",
        "rules",
        "--as-of",
        "2025-09-30",
        "--format",
        "csv",
        "--claims",
        p(&evaluated),
    ]);
    let csv = out(&o);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("=HYPERLINK") || l.contains(",=HYPERLINK")), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Class: implausible parameters (a percent of 500) and messages that could disagree with them.
#[test]
fn parameters_are_checked_by_unit_and_messages_are_built_from_them() {
    let dir = scratch("params");
    let uc = std::fs::read_to_string(root().join("rules/uc/fy2568.yaml")).expect("uc");
    let bad = uc.replacen("late_penalty: { value: 5,", "late_penalty: { value: 500,", 1);
    assert_ne!(bad, uc);
    std::fs::write(dir.join("uc.yaml"), &bad).expect("write");
    let o = kongtun(&["check", p(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("late_penalty: 500% is above 100"), "{}", out(&o));
    let typo = uc.replacen("{late_penalty}", "{late_penalti}", 1);
    std::fs::write(dir.join("uc.yaml"), &typo).expect("write");
    let o = kongtun(&["check", p(&dir)]);
    assert!(
        out(&o).contains("message names `{late_penalti}`, which is not a parameter (did you mean `late_penalty`?)"),
        "{}",
        out(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
