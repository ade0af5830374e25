//! The books never double-count or jam: `kongtun receivables post` run by several processes
//! at once writes each row once; a post killed at any point leaves every complete line in
//! place and a log that the next post (or `check-log --repair`) opens; a torn last line is
//! moved aside, never lost.
//!
//! Class of input guarded: one event log shared by concurrent or interrupted writers.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn kongtun(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kongtun")).current_dir(dir).args(args).output().expect("run kongtun")
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-books-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `n` evaluated UC claims of 1,000.00 each, and a statement paying each `paid` baht.
fn books(dir: &Path, n: usize, paid: &str, statement: &str) {
    let mut claims = String::new();
    let mut stm = String::from("statement,claim,payer,paid,paid_date\n");
    for i in 0..n {
        let _ = writeln!(
            claims,
            r#"{{"id":"C{i}","fund":"UC","service_date":"2025-01-10","claim_date":"2025-01-10","fiscal_year":2568,"charged":"1000.00","payers":[{{"payer":"UC","amount":"1000.00","status":"claimable"}}],"patient":"0.00","penalty":"0.00","difference":"0.00"}}"#
        );
        let _ = writeln!(stm, "STM-1,C{i},UC,{paid},2025-02-20");
    }
    std::fs::write(dir.join("claims.jsonl"), claims).expect("claims");
    std::fs::write(dir.join(statement), stm).expect("statement");
}

fn post(dir: &Path, statement: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kongtun"))
        .current_dir(dir)
        .args(["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", statement])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn post")
}

fn log_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("log.jsonl")).unwrap_or_default().lines().map(str::to_string).collect()
}

/// The (claim, statement) keys of the log's lines, each checked to be a whole JSON event.
fn keys(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not an event: {l}: {e}"));
            (v["claim"].as_str().unwrap_or("").to_string(), v["statement"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn concurrent_posts_write_each_row_once() {
    let dir = scratch("concurrent");
    let n = 5_000;
    books(&dir, n, "1000.00", "stm.csv");
    let children: Vec<_> = (0..4).map(|_| post(&dir, "stm.csv")).collect();
    for mut c in children {
        assert!(c.wait().expect("wait").code().is_some());
    }
    let lines = log_lines(&dir);
    assert_eq!(lines.len(), n, "4 posts of {n} rows at once");
    let unique: HashSet<_> = keys(&lines).into_iter().collect();
    assert_eq!(unique.len(), n);
    assert!(lines.iter().all(|l| !l.trim().is_empty()), "no blank lines");
    let again = kongtun(&dir, &["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"]);
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 events appended"), "{again:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn concurrent_conflicting_posts_keep_one_version_of_each_key() {
    let dir = scratch("conflict");
    let n = 3_000;
    books(&dir, n, "1000.00", "a.csv");
    books(&dir, n, "900.00", "b.csv");
    let children = [post(&dir, "a.csv"), post(&dir, "b.csv"), post(&dir, "a.csv"), post(&dir, "b.csv")];
    for mut c in children {
        c.wait().expect("wait");
    }
    let lines = log_lines(&dir);
    assert_eq!(lines.len(), n, "one version of each (statement, claim) key");
    let check = kongtun(&dir, &["receivables", "check-log", "--log", "log.jsonl"]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small deterministic generator for kill times (no dependency for a test).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_post_killed_at_any_point_loses_no_complete_line_and_the_log_opens() {
    let dir = scratch("kill");
    let n = 20_000;
    books(&dir, n, "1000.00", "stm.csv");
    let mut rng = Lcg(2568);
    let mut before: Vec<String> = Vec::new();
    for round in 0..12 {
        let mut child = post(&dir, "stm.csv");
        std::thread::sleep(Duration::from_millis(rng.below(120)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever was complete before this round is still there, in order.
        let now = std::fs::read_to_string(dir.join("log.jsonl")).unwrap_or_default();
        let complete: Vec<String> = match now.rfind('\n') {
            Some(i) => now[..i].lines().map(str::to_string).collect(),
            None => Vec::new(),
        };
        assert!(complete.len() >= before.len(), "round {round}: lines were lost");
        assert_eq!(&complete[..before.len()], &before[..], "round {round}: complete lines changed");
        keys(&complete);
        // The log opens: check-log --repair moves a torn end aside, and the log is whole.
        let repaired = kongtun(&dir, &["receivables", "check-log", "--log", "log.jsonl", "--repair"]);
        assert!(matches!(repaired.status.code(), Some(0) | Some(2)), "{repaired:?}");
        if dir.join("log.jsonl").exists() {
            let after = std::fs::read_to_string(dir.join("log.jsonl")).expect("log");
            assert!(
                after.is_empty() || after.ends_with('\n'),
                "round {round}: the repaired log ends with a whole line"
            );
            before = after.lines().map(str::to_string).collect();
        }
    }
    // A last, uninterrupted post completes the books: each row exactly once.
    let done = kongtun(&dir, &["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"]);
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    let lines = log_lines(&dir);
    assert_eq!(lines.len(), n);
    assert_eq!(keys(&lines).into_iter().collect::<HashSet<_>>().len(), n);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_torn_last_line_is_moved_aside_and_the_books_go_on() {
    let dir = scratch("torn");
    books(&dir, 3, "1000.00", "stm.csv");
    let first = kongtun(&dir, &["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"]);
    assert_eq!(first.status.code(), Some(0));
    let whole = std::fs::read_to_string(dir.join("log.jsonl")).expect("log");
    // A writer killed mid-line: half of a fourth event, no newline.
    std::fs::write(dir.join("log.jsonl"), format!("{whole}{{\"event\":\"statement\",\"claim\":\"C9\",\"pa"))
        .expect("tear");

    // Reports read it with a warning (exit 0), never jam on it.
    let rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let rules = rules.to_str().expect("utf-8 path");
    let aging = kongtun(
        &dir,
        &[
            "receivables",
            "aging",
            "--rules",
            rules,
            "--as-of",
            "2025-09-30",
            "--claims",
            "claims.jsonl",
            "--events",
            "log.jsonl",
        ],
    );
    assert_eq!(aging.status.code(), Some(0), "a warning is not a failure: {aging:?}");
    let err = String::from_utf8_lossy(&aging.stderr);
    assert!(err.contains("has no end: a post was interrupted"), "{err}");

    // check-log says so and exits 1; --repair moves the bytes aside.
    let check = kongtun(&dir, &["receivables", "check-log", "--log", "log.jsonl"]);
    assert_eq!(check.status.code(), Some(1), "{}", String::from_utf8_lossy(&check.stdout));
    let repair = kongtun(&dir, &["receivables", "check-log", "--log", "log.jsonl", "--repair"]);
    assert_eq!(repair.status.code(), Some(0), "{}", String::from_utf8_lossy(&repair.stdout));
    assert!(String::from_utf8_lossy(&repair.stderr).contains("was moved to"), "{repair:?}");
    assert_eq!(std::fs::read_to_string(dir.join("log.jsonl")).expect("log"), whole);
    let aside = std::fs::read_to_string(dir.join("log.jsonl.torn")).expect("aside");
    assert!(aside.starts_with("{\"event\":\"statement\",\"claim\":\"C9\",\"pa"), "{aside}");

    // A post over a torn log repairs it itself and goes on.
    std::fs::write(dir.join("log.jsonl"), format!("{whole}{{\"eve")).expect("tear again");
    let again = kongtun(&dir, &["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("log.jsonl")).expect("log"), whole);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_overpayment_posts_with_a_warning() {
    let dir = scratch("overpaid");
    books(&dir, 1, "1200.00", "stm.csv");
    let o = kongtun(&dir, &["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("claim C0: UC pays 200.00 more than was open"), "{err}");
    assert_eq!(log_lines(&dir).len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn post_says_its_events_were_written_when_stdout_fails() {
    let dir = scratch("devfull");
    books(&dir, 2, "1000.00", "stm.csv");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let o = Command::new(env!("CARGO_BIN_EXE_kongtun"))
        .current_dir(&dir)
        .args(["receivables", "post", "--claims", "claims.jsonl", "--log", "log.jsonl", "stm.csv"])
        .stdout(full)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 events were appended to log.jsonl before the output failed"), "{err}");
    assert_eq!(log_lines(&dir).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}
