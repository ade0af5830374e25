//! `kongtun import eclaim16`, `export eclaim16`, and `validate` / `evaluate` given a 16-file
//! set: the same outcomes as the imported JSON Lines, exit codes, the example's golden output.

use std::io::Write;
use std::path::{Path, PathBuf};
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-cli-eclaim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const SET: &[&str] = &["--adjrw", "examples/eclaim16.adjrw.csv", "--submitted", "2025-05-05"];

fn import(extra: &[&str]) -> Output {
    let mut args = vec!["import", "eclaim16", "examples/eclaim16"];
    args.extend_from_slice(SET);
    args.extend_from_slice(extra);
    kongtun(&args)
}

#[test]
fn import_writes_the_examples_claims_and_names_the_broken_row() {
    let o = import(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    kongtun_testkit::snapshot::assert_matches(&root().join("examples/eclaim16.jsonl"), &stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "rejected examples/eclaim16/ADP.txt:6: claim 680425001: the row has 26 fields where the header has 27"
        ),
        "{err}"
    );
    assert!(err.contains("examples/eclaim16/PAT.txt: warning: read as TIS-620"), "{err}");
    assert!(err.ends_with("5 visits: 4 claims, 1 rejected\n"), "{err}");
    // Leaving the broken row in its CHA remainder converts every visit.
    let o = import(&["--broken-rows", "remainder"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 5);
    assert!(stdout(&o).contains(r#""code":"CHA-71","category":7,"qty":"1","price":"180.00""#), "{}", stdout(&o));
}

#[test]
fn validate_and_evaluate_read_the_set_as_they_read_its_json_lines() {
    let dir = scratch("same");
    let jsonl = dir.join("claims.jsonl");
    let o = import(&["-o", p(&jsonl)]);
    assert_eq!(o.status.code(), Some(1));
    let zip_path = dir.join("set.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for entry in std::fs::read_dir(root().join("examples/eclaim16")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    zip.finish().unwrap();

    let evaluate = |input: &[&str]| {
        let mut args = vec!["evaluate", "--rules", "rules", "--as-of", "2025-05-05", "--format", "json"];
        args.extend_from_slice(SET);
        args.extend_from_slice(input);
        kongtun(&args)
    };
    let from_jsonl = evaluate(&[p(&jsonl)]);
    assert_eq!(from_jsonl.status.code(), Some(0));
    let outcomes = stdout(&from_jsonl);
    assert_eq!(outcomes.lines().count(), 4);
    for input in [vec!["examples/eclaim16"], vec!["--input", "eclaim16", "examples/eclaim16"], vec![p(&zip_path)]] {
        let o = evaluate(&input);
        assert_eq!(o.status.code(), Some(1), "the broken row's visit is rejected: {input:?}");
        let text = stdout(&o);
        let lines: Vec<&str> = text.lines().filter(|l| !l.contains(r#""error""#)).collect();
        assert_eq!(lines.join("\n") + "\n", outcomes, "{input:?}");
        assert!(stdout(&o).contains(r#"{"id":"680425001","error":{"kind":"syntax""#), "{}", stdout(&o));
    }
    let v = kongtun(&["validate", "--submitted", "2025-05-05", "examples/eclaim16"]);
    assert_eq!(v.status.code(), Some(1));
    assert!(stdout(&v).ends_with("5 claims: 4 valid, 1 rejected\n"), "{}", stdout(&v));
    let v = kongtun(&["validate", p(&jsonl)]);
    assert!(stdout(&v).ends_with("4 claims: 4 valid, 0 rejected\n"), "{}", stdout(&v));
}

#[test]
fn unreadable_sets_and_options_exit_2() {
    let dir = scratch("bad");
    std::fs::write(dir.join("PAT.txt"), "HN\n").unwrap();
    std::fs::write(dir.join("OPD.txt"), "HN|SEQ|DATEOPD\n").unwrap();
    let o = kongtun(&["import", "eclaim16", p(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no INS.txt in the set"), "{}", stderr(&o));
    let o = kongtun(&["validate", "--input", "eclaim16", p(&dir)]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert_eq!(kongtun(&["import", "eclaim16", "no/such/set"]).status.code(), Some(2));
    let o = import(&["--rules", "examples/claims"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no code map `funds`"), "{}", stderr(&o));
    let o = kongtun(&["import", "eclaim16", "examples/eclaim16", "--adjrw", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the header must name the columns `an` and `adjrw`"), "{}", stderr(&o));
    let o = kongtun(&["import", "eclaim16", "examples/eclaim16", "--encoding", "utf-8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("PAT.txt:2:"), "{}", stderr(&o));
}

#[test]
fn export_then_import_gives_the_same_claims() {
    let dir = scratch("export");
    let jsonl = dir.join("claims.jsonl");
    import(&["-o", p(&jsonl)]);
    let set = dir.join("set");
    let o = kongtun(&["export", "eclaim16", p(&jsonl), "-o", p(&set)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("4 claims: 4 written"), "{}", stderr(&o));
    let adjrw = dir.join("set.adjrw.csv");
    let o = kongtun(&["import", "eclaim16", p(&set), "--adjrw", p(&adjrw), "--submitted", "2025-05-05"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut want: Vec<String> = std::fs::read_to_string(&jsonl).unwrap().lines().map(str::to_string).collect();
    let mut got: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    // A fund without an INSCL code cannot be written.
    let o = kongtun(&["export", "eclaim16", "examples/claims/sss-self.yaml", "-o", p(&dir.join("self"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fund SELF has no INSCL code"), "{}", stderr(&o));
}

#[test]
fn check_reports_a_broken_code_map() {
    let dir = scratch("codes");
    std::fs::create_dir_all(dir.join("codes")).unwrap();
    std::fs::write(dir.join("codes/funds.yaml"), "kind: code-map\nid: funds\ncodes:\n  UCS: UC\n  ucs: SSS\n").unwrap();
    let o = kongtun(&["check", p(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(
            "codes/funds.yaml:5:3: funds: codes.ucs: `ucs` is listed twice (codes are matched in any letter case)"
        ),
        "{out}"
    );
}
