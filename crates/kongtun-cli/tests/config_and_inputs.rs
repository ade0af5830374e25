//! The books without retyping paths, and safe failures: `kongtun.toml` (found in the working
//! directory or given by `--config`, overridden by flags), folders and globs that kongtun
//! expands itself, and inputs that are not there: exit 2 naming the path with the near miss,
//! never a report of zeros. Also: a mistyped `--rules` on every command that takes one, and
//! the line of a bad row in a CRLF statement CSV.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn kongtun(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kongtun")).current_dir(dir).args(args).output().expect("run kongtun")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-desk-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A folder of books: the sample receivables under `data/`, and a `notes.txt` beside them.
fn books(test: &str) -> PathBuf {
    let dir = scratch(test);
    std::fs::create_dir_all(dir.join("data")).expect("data dir");
    let samples = root().join("examples/receivables");
    for f in ["evaluated-fy2566-2567.jsonl", "evaluated-fy2568.jsonl", "statements.csv", "events.jsonl", "visits.csv"] {
        std::fs::copy(samples.join(f), dir.join("data").join(f)).expect("copy sample");
    }
    std::fs::write(dir.join("data/notes.txt"), "not a claim file").expect("notes");
    dir
}

/// `rules` as seen from `dir`: the repository's, by absolute path.
fn rules() -> String {
    root().join("rules").display().to_string()
}

const CONFIG: &str = "lang = \"en\"\n\n[receivables]\nclaims = \"data/evaluated-*.jsonl\"\n\
                      statements = \"data/statements.csv\"\nevents = [\"data/events.jsonl\"]\nvisits = \"data/visits.csv\"\n";

/// The aging report of the samples with every input given on the command line, from the
/// repository root: what the configured runs must print.
fn aging_with_flags(claims: &[&str]) -> String {
    let mut args = vec!["receivables", "aging", "--rules", "rules", "--as-of", "2568-09-30", "--claims"];
    args.extend(claims);
    args.extend([
        "--statements",
        "examples/receivables/statements.csv",
        "--events",
        "examples/receivables/events.jsonl",
        "--visits",
        "examples/receivables/visits.csv",
    ]);
    let o = kongtun(&root(), &args);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    stdout(&o)
}

/// The aging report of all the samples (computed once: a debug build takes seconds).
fn aging_of_the_samples() -> &'static str {
    static AGING: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AGING.get_or_init(|| {
        aging_with_flags(&[
            "examples/receivables/evaluated-fy2566-2567.jsonl",
            "examples/receivables/evaluated-fy2568.jsonl",
        ])
    })
}

#[test]
fn a_config_file_in_the_working_directory_runs_the_books_with_no_flags() {
    let dir = books("found");
    std::fs::write(dir.join("kongtun.toml"), format!("rules = {:?}\n{CONFIG}", rules())).expect("config");
    let expected = aging_of_the_samples();
    assert!(expected.contains("total    67,700.00  45,600.00  509,310.00  622,610.00"), "{expected}");
    let o = kongtun(&dir, &["receivables", "aging", "--as-of", "2568-09-30"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), expected);
    // A flag wins over the file: one year's claims only.
    let o =
        kongtun(&dir, &["receivables", "aging", "--as-of", "2568-09-30", "--claims", "data/evaluated-fy2568.jsonl"]);
    // (exit 1: the other years' statement rows and events find no claim, and are said)
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), aging_with_flags(&["examples/receivables/evaluated-fy2568.jsonl"]));
    assert_ne!(stdout(&o), expected);
    // Every report takes the same inputs (all of them share `Books`; one more is run here).
    let o = kongtun(&dir, &["receivables", "kpi", "--as-of", "2568-09-30"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // the visit list of the file was read: a month with a visit and no claim
    assert!(stdout(&o).contains("\n2023-02       1        0"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_language_and_rules_of_the_file_apply_to_every_command_and_flags_override_them() {
    let dir = scratch("lang");
    std::fs::write(dir.join("kongtun.toml"), format!("rules = {:?}\nlang = \"th\"\n", rules())).expect("config");
    let claims = root().join("examples/claims/uc.yaml").display().to_string();
    let thai = kongtun(&dir, &["evaluate", "--as-of", "2025-10-15", &claims]);
    assert_eq!(thai.status.code(), Some(0), "{}", stderr(&thai));
    assert!(stdout(&thai).contains("ไม่มีรหัสวินิจฉัย"), "{}", stdout(&thai));
    let english = kongtun(&dir, &["evaluate", "--as-of", "2025-10-15", "--lang", "en", &claims]);
    assert!(!stdout(&english).contains("ไม่มีรหัสวินิจฉัย"), "{}", stdout(&english));
    // `check` and `test` take the rules folder of the file when none is given.
    let o = kongtun(&dir, &["check", "--as-of", "2025-10-15"]);
    assert!(stdout(&o).contains("packs ok"), "{}{}", stdout(&o), stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_config_given_by_flag_takes_paths_from_its_own_folder() {
    let dir = books("flag");
    std::fs::write(dir.join("books.toml"), format!("rules = {:?}\n{CONFIG}", rules())).expect("config");
    let elsewhere = scratch("flag-cwd");
    let config = dir.join("books.toml").display().to_string();
    let o = kongtun(&elsewhere, &["receivables", "aging", "--as-of", "2568-09-30", "--config", &config]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected = aging_of_the_samples();
    assert_eq!(stdout(&o), expected);
    // before the command too, and as --config=FILE
    let o = kongtun(&elsewhere, &[&format!("--config={config}"), "receivables", "aging", "--as-of", "2568-09-30"]);
    assert_eq!(stdout(&o), expected, "{}", stderr(&o));
    // a mistyped --config is an error with the near miss
    let o = kongtun(&elsewhere, &["receivables", "aging", "--config", &dir.join("bokos.toml").display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bokos.toml: no such file or directory (did you mean"), "{}", stderr(&o));
    assert!(stderr(&o).contains("books.toml?)"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&elsewhere).ok();
}

#[test]
fn an_unknown_or_bad_key_stops_every_command_naming_the_file_line_and_key() {
    let dir = scratch("unknown-key");
    std::fs::write(dir.join("kongtun.toml"), "rules = \"rules\"\nlnag = \"th\"\n").expect("config");
    let o = kongtun(&dir, &["schema"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert_eq!(
        stderr(&o),
        "error: kongtun.toml:2:1: unknown key `lnag` (did you mean `lang`?); expected one of: rules, lang, dates, receivables\n"
    );
    std::fs::write(dir.join("kongtun.toml"), "[receivables]\nclaims = \"x.jsonl\"\nevnets = \"e.jsonl\"\n")
        .expect("config");
    let o = kongtun(&dir, &["receivables", "aging"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .starts_with("error: kongtun.toml:3:1: unknown key `evnets` in [receivables] (did you mean `events`?)"),
        "{}",
        stderr(&o)
    );
    std::fs::write(dir.join("kongtun.toml"), "dates = \"thai\"\n").expect("config");
    let o = kongtun(&dir, &["schema"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: kongtun.toml:1:9: dates: unknown variant `thai`, expected `be` or `ce`"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn folders_and_globs_are_expanded_by_kongtun_and_other_files_are_said() {
    let dir = books("globs");
    let expected = aging_of_the_samples();
    let run = |claims: &str| {
        let o = kongtun(
            &dir,
            &[
                "receivables",
                "aging",
                "--rules",
                &rules(),
                "--as-of",
                "2568-09-30",
                "--claims",
                claims,
                "--statements",
                "data/statement*.csv",
                "--events",
                "data",
                "--visits",
                "data/visits.csv",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{claims}: {}", stderr(&o));
        o
    };
    std::fs::create_dir_all(dir.join("evaluated")).expect("dir");
    for f in ["evaluated-fy2566-2567.jsonl", "evaluated-fy2568.jsonl"] {
        std::fs::rename(dir.join("data").join(f), dir.join("evaluated").join(f)).expect("move");
    }
    std::fs::write(dir.join("evaluated/claims.pdf"), "%PDF").expect("pdf");
    // A glob, passed as it is (no shell here, as with Windows cmd)
    let o = run("evaluated/evaluated-*.jsonl");
    assert_eq!(stdout(&o), expected);
    // A folder: its other files are named on stderr, not silently passed over
    let o = run("evaluated");
    assert_eq!(stdout(&o), expected);
    assert!(
        stderr(&o).contains("skipped evaluated/claims.pdf: not evaluated claims (files ending .jsonl, .ndjson, .json)"),
        "{}",
        stderr(&o)
    );
    // `--events data` took events.jsonl and said it skipped the rest.
    assert!(stderr(&o).contains("skipped data/notes.txt: not event logs"), "{}", stderr(&o));
    // In kongtun.toml, a list of globs and folders
    std::fs::write(
        dir.join("kongtun.toml"),
        format!("rules = {:?}\n[receivables]\nclaims = [\"evaluated/*2566*.jsonl\", \"evaluated/*2568.jsonl\"]\nstatements = \"data/statements.csv\"\nevents = \"data/*.jsonl\"\nvisits = [\"data/visits.csv\"]\n", rules()),
    )
    .expect("config");
    let o = kongtun(&dir, &["receivables", "aging", "--as-of", "2568-09-30"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), expected);
    std::fs::remove_dir_all(&dir).ok();
}

/// The claim commands expand globs too (Windows `cmd` passes `*` through): the files a glob
/// matches are read as if named, a folder it matches as a folder, other files are said, and a
/// glob that matches nothing is exit 2 with the near miss.
#[test]
fn claim_commands_expand_globs_themselves() {
    let dir = scratch("claim-globs");
    let samples = root().join("examples/claims");
    std::fs::create_dir_all(dir.join("claims/more")).expect("dirs");
    for f in ["uc.yaml", "csmbs-lgo.yaml", "road-accident.yaml"] {
        std::fs::copy(samples.join(f), dir.join("claims").join(f)).expect("copy");
    }
    std::fs::copy(samples.join("sss-self.yaml"), dir.join("claims/more/sss-self.yaml")).expect("copy");
    std::fs::write(dir.join("claims/readme.txt"), "not a claim").expect("txt");
    let named = kongtun(&dir, &["validate", "claims/csmbs-lgo.yaml", "claims/road-accident.yaml", "claims/uc.yaml"]);
    let globbed = kongtun(&dir, &["validate", "claims/*.yaml"]);
    assert_eq!(globbed.status.code(), Some(0), "{}", stderr(&globbed));
    assert_eq!(stdout(&globbed), stdout(&named), "the glob's files, sorted, as if named");
    assert!(stdout(&globbed).contains("claims: "), "{}", stdout(&globbed));
    // A glob matching a folder and other files: the folder read whole, the text file said.
    let o = kongtun(&dir, &["validate", "claims/*"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let folder = kongtun(&dir, &["validate", "claims"]);
    assert_eq!(stdout(&o), stdout(&folder), "{}", stderr(&o));
    assert!(stderr(&o).contains("skipped claims/readme.txt: not claims (files ending .yaml,"), "{}", stderr(&o));
    // evaluate and diff take them as well.
    let o = kongtun(&dir, &["evaluate", "--rules", &rules(), "--as-of", "2025-10-15", "claims/*.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let named = kongtun(
        &dir,
        &[
            "evaluate",
            "--rules",
            &rules(),
            "--as-of",
            "2025-10-15",
            "claims/csmbs-lgo.yaml",
            "claims/road-accident.yaml",
            "claims/uc.yaml",
        ],
    );
    assert_eq!(stdout(&o), stdout(&named));
    let o =
        kongtun(&dir, &["diff", "--base", &rules(), "--head", &rules(), "--as-of", "2025-10-15", "claims/*/*.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let named = kongtun(
        &dir,
        &["diff", "--base", &rules(), "--head", &rules(), "--as-of", "2025-10-15", "claims/more/sss-self.yaml"],
    );
    assert_eq!(stdout(&o), stdout(&named));
    assert!(stdout(&o).contains("4 claims compared"), "{}", stdout(&o));
    // With --input every file a glob matches is read as that format, whatever its name.
    std::fs::copy(samples.join("uc.yaml"), dir.join("claims/uc.txt")).expect("copy");
    let o = kongtun(&dir, &["validate", "--input", "yaml", "claims/u*.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&kongtun(&dir, &["validate", "claims/uc.yaml"])));
    // A file name with `[` in it reads as a pattern: when it is not there, the near miss is
    // still named.
    std::fs::copy(samples.join("uc.yaml"), dir.join("claims/x[1].yaml")).expect("copy");
    assert_eq!(
        stdout(&kongtun(&dir, &["validate", "claims/x[1].yaml"])),
        stdout(&kongtun(&dir, &["validate", "claims/uc.yaml"]))
    );
    for typo in ["claims/x[1].yml", "claims/x[1.yaml"] {
        let o = kongtun(&dir, &["validate", typo]);
        assert_eq!(o.status.code(), Some(2), "{typo}");
        assert!(stderr(&o).contains("(did you mean claims/x[1].yaml?)"), "{typo}: {}", stderr(&o));
    }
    // The files of a 16-file set taken one by one: said once, with what to do.
    let set = root().join("examples/eclaim16");
    std::fs::create_dir_all(dir.join("set")).expect("set dir");
    for f in std::fs::read_dir(&set).expect("the sample set") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.join("set").join(f.file_name().expect("a name"))).expect("copy");
    }
    let o = kongtun(&dir, &["validate", "set/*"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "skipped the files of the 16-file set set: give its folder to read it\nerror: set/*: no claims file matches\n"
    );
    // Nothing matched: exit 2, the near miss for the folder, nothing read.
    // (diff reads claim documents only, and says so)
    let diff = ["diff", "--base", &rules(), "--head", &rules(), "--as-of", "2025-10-15"];
    for (command, what) in [(&["validate"][..], "claims"), (&diff[..], "claim documents")] {
        let mut args = command.to_vec();
        args.push("claimz/*.yaml");
        let o = kongtun(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert_eq!(
            stderr(&o).trim(),
            format!("error: claimz/*.yaml: no {what} file matches (did you mean claims/*.yaml?)"),
            "{args:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_input_is_exit_2_naming_it_with_the_near_miss_never_a_report_of_zeros() {
    let dir = books("missing");
    let r = rules();
    let base = ["--rules", r.as_str(), "--as-of", "2568-09-30"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--claims", "data/evaluated-fy2658.jsonl"],
            "error: data/evaluated-fy2658.jsonl: no such file or folder (did you mean data/evaluated-fy2568.jsonl?)",
        ),
        (
            &["--claims", "dta/evaluated-fy2568.jsonl"],
            "error: dta/evaluated-fy2568.jsonl: no such file or folder (did you mean data/evaluated-fy2568.jsonl?)",
        ),
        (
            &["--claims", "dta/*.jsonl"],
            "error: dta/*.jsonl: no evaluated claims file matches (did you mean data/*.jsonl?)",
        ),
        (&["--claims", "data/*.ndjson"], "error: data/*.ndjson: no evaluated claims file matches"),
        (
            &["--claims", "data", "--statements", "data/statments.csv"],
            "error: data/statments.csv: no such file or folder (did you mean data/statements.csv?)",
        ),
        (
            &["--claims", "data", "--events", "data/event.jsonl"],
            "error: data/event.jsonl: no such file or folder (did you mean data/events.jsonl?)",
        ),
        (
            &["--claims", "data", "--visits", "data/visit.csv"],
            "error: data/visit.csv: no such file or folder (did you mean data/visits.csv?)",
        ),
        (&["--claims", "data", "--claim-docs", "claims"], "error: claims: no such file or folder"),
    ];
    for report in ["aging", "collection", "reconcile", "dunning", "kpi", "journal", "trial-balance", "ratio"] {
        for (args, message) in cases {
            let mut all = vec!["receivables", report];
            all.extend(base);
            all.extend(*args);
            let o = kongtun(&dir, &all);
            assert_eq!(o.status.code(), Some(2), "{report} {args:?}: {}", stderr(&o));
            assert!(stdout(&o).is_empty(), "{report} {args:?}: no report: {}", stdout(&o));
            assert!(stderr(&o).lines().any(|l| l == *message), "{report} {args:?}: {}", stderr(&o));
        }
    }
    // An empty folder, a file that is not text, a file with no claim: nothing to report from.
    std::fs::create_dir_all(dir.join("empty")).expect("dir");
    std::fs::write(dir.join("data/latin1.jsonl"), b"{\"id\":\"\xe9\"}\n").expect("write");
    std::fs::write(dir.join("empty.jsonl"), "").expect("write");
    for (args, message) in [
        (
            ["--claims", "empty"],
            "error: empty: no evaluated claims in this folder (files ending .jsonl, .ndjson, .json)",
        ),
        (["--claims", "data/latin1.jsonl"], "error: data/latin1.jsonl: stream did not contain valid UTF-8"),
        (["--claims", "empty.jsonl"], "error: no evaluated claim was read from empty.jsonl"),
        (["--claims", "data/visits.csv"], "error: no evaluated claim was read from data/visits.csv"),
    ] {
        let mut all = vec!["receivables", "aging"];
        all.extend(base);
        all.extend(args);
        let o = kongtun(&dir, &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).lines().any(|l| l == message), "{args:?}: {}", stderr(&o));
    }
    // A path set in kongtun.toml says so.
    std::fs::write(
        dir.join("kongtun.toml"),
        format!("rules = {r:?}\n[receivables]\nclaims = \"data/evaluated-fy2658.jsonl\"\n"),
    )
    .expect("config");
    let o = kongtun(&dir, &["receivables", "aging"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no such file or folder (did you mean data/evaluated-fy2568.jsonl?) (set in kongtun.toml:3: receivables.claims)"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn post_and_check_log_refuse_missing_inputs_and_leave_the_log_alone() {
    let dir = books("post");
    let post = |args: &[&str]| {
        let mut all = vec!["receivables", "post", "--log", "log.jsonl"];
        all.extend(args);
        kongtun(&dir, &all)
    };
    let o = post(&["data/statement.csv", "--claims", "data/evaluated-fy2568.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: data/statement.csv: no such file or folder (did you mean data/statements.csv?)"),
        "{}",
        stderr(&o)
    );
    let o = post(&["data/statements.csv", "--claims", "data/evaluated-fy2658.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::write(dir.join("data/bad.csv"), b"statement,claim\n\xff\n").expect("write");
    let o = post(&["data/bad.csv", "--claims", "data/evaluated-fy2568.jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: data/bad.csv: stream did not contain valid UTF-8"), "{}", stderr(&o));
    assert!(!dir.join("log.jsonl").exists(), "no log is made by a post that read nothing");
    // a folder of claims is fine; a new log near an existing one is warned about
    std::fs::write(dir.join("events.jsonl"), "").expect("log");
    let o = kongtun(&dir, &["receivables", "post", "--claims", "data", "--log", "event.jsonl", "data/statements.csv"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "warning: event.jsonl does not exist and is created as a new event log (did you mean events.jsonl?)"
        ),
        "{}",
        stderr(&o)
    );
    let o = kongtun(&dir, &["receivables", "check-log", "--log", "event.jsonnl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error: event.jsonnl: no such file (did you mean event.jsonl?)"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_mistyped_rules_directory_says_it_does_not_exist_for_every_command() {
    let root = root();
    let claims = "examples/claims/uc.yaml";
    let books = ["--claims", "examples/receivables/evaluated-fy2568.jsonl"];
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["evaluate", "--rules", "rulez", claims],
        vec!["explain", "--rules", "rulez", "--id", "UC-OP-01", claims],
        vec!["check", "rulez"],
        vec!["test", "rulez"],
        vec!["validate", "--rules", "rulez", claims],
        vec!["import", "eclaim16", "--rules", "rulez", "examples/eclaim16"],
        vec!["serve", "--rules", "rulez"],
        [
            &[
                "receivables",
                "post",
                "--rules",
                "rulez",
                "--log",
                "/nonexistent/log.jsonl",
                "examples/receivables/statements.csv",
            ][..],
            &books[..],
        ]
        .concat(),
    ];
    for report in ["aging", "collection", "reconcile", "dunning", "kpi", "journal", "trial-balance", "ratio"] {
        commands.push([&["receivables", report, "--rules", "rulez"][..], &books[..]].concat());
    }
    for args in &commands {
        let o = kongtun(&root, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "error: the rules directory rulez does not exist (did you mean rules?)\n", "{args:?}");
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
    // A file where a directory is expected; and the default `rules` of validate is checked only
    // where it is used (an e-Claim set), so YAML claims validate from any folder.
    let o = kongtun(&root, &["evaluate", "--rules", "README.md", claims]);
    assert_eq!(stderr(&o), "error: the rules directory README.md is not a directory\n");
    let elsewhere = scratch("rules-default");
    let yaml = root.join(claims).display().to_string();
    assert_eq!(kongtun(&elsewhere, &["validate", &yaml]).status.code(), Some(0));
    let set = root.join("examples/eclaim16").display().to_string();
    let o = kongtun(&elsewhere, &["validate", &set]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: the rules directory rules does not exist\n");
    std::fs::remove_dir_all(&elsewhere).ok();
}

#[test]
fn a_bad_row_of_a_crlf_statement_is_reported_at_its_line() {
    let dir = books("crlf");
    let csv = "statement,claim,payer,paid,paid_date\r\nSTM-1,UC-IP-TKA,UC,100.00,2025-02-20\r\nSTM-1,UC-OP-01,UC,12.5x,2025-02-20\r\n";
    std::fs::write(dir.join("crlf.csv"), csv).expect("write");
    let o = kongtun(
        &dir,
        &[
            "receivables",
            "aging",
            "--rules",
            &rules(),
            "--as-of",
            "2568-09-30",
            "--claims",
            "data",
            "--statements",
            "crlf.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped: crlf.csv:3: claim UC-OP-01: paid: `12.5x` is not a decimal number"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}
