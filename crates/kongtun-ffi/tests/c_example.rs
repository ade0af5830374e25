//! The C example (`examples/c/evaluate.c`) compiled with the system C compiler against the
//! library this build made, run over the sample claims with the seed packs: its output must
//! be the CLI's (`tests/golden/`, which `kongtun-cli/tests/serve.rs` checks is exactly what
//! `kongtun evaluate --format json` prints). Then again under Valgrind: no invalid read or
//! write, no leak. Valgrind is on the project's machines; where it is missing the second run
//! is skipped with a note, unless KONGTUN_REQUIRE_VALGRIND=1 (CI) makes that a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const STEMS: [&str; 5] = ["uc", "csmbs-lgo", "road-accident", "sss-self", "all-special-items"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder holding this build's `libkongtun_ffi.so` (`target/<profile>/deps`, where the
/// test executable is too).
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let deps = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    for dir in [deps.clone(), deps.parent().map(Path::to_path_buf).unwrap_or_default()] {
        if dir.join("libkongtun_ffi.so").exists() {
            return dir;
        }
    }
    panic!("no libkongtun_ffi.so beside {}", exe.display());
}

fn compile() -> PathBuf {
    let lib = library_dir();
    let out = std::env::temp_dir().join(format!("kongtun-c-example-{}", std::process::id()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-O1", "-I"])
        .arg(root().join("include"))
        .arg(root().join("examples/c/evaluate.c"))
        .arg("-L")
        .arg(&lib)
        .args(["-lkongtun_ffi", "-lpthread"])
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("{cc}: {e} (a C compiler is needed: apt-get install gcc)"));
    assert!(status.success(), "the C example did not compile");
    out
}

fn golden() -> String {
    STEMS
        .iter()
        .map(|s| std::fs::read_to_string(root().join(format!("tests/golden/{s}.jsonl"))).unwrap_or_default())
        .collect()
}

fn run(program: &Path, wrapper: &[&str]) -> Output {
    let (first, rest) = match wrapper.split_first() {
        Some((w, rest)) => {
            (PathBuf::from(w), rest.iter().map(|s| s.to_string()).chain([program.display().to_string()]).collect())
        }
        None => (program.to_path_buf(), Vec::new()),
    };
    Command::new(first)
        .current_dir(root())
        .args(rest)
        .args(["rules", "2025-10-15"])
        .args(STEMS.iter().map(|s| format!("examples/claims/{s}.yaml")))
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

#[test]
fn the_c_example_prints_the_cli_records_and_valgrind_finds_nothing() {
    let program = compile();
    let expected = golden();
    assert!(expected.lines().count() >= 30);

    let plain = run(&program, &[]);
    assert_eq!(plain.status.code(), Some(0), "{}", String::from_utf8_lossy(&plain.stderr));
    assert_eq!(String::from_utf8_lossy(&plain.stdout), expected);

    let has_valgrind = Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_valgrind {
        assert!(
            std::env::var_os("KONGTUN_REQUIRE_VALGRIND").is_none(),
            "KONGTUN_REQUIRE_VALGRIND is set and valgrind is missing"
        );
        eprintln!("note: valgrind not found; the C example was not checked for memory errors");
    } else {
        let checked = run(
            &program,
            &[
                "valgrind",
                "-q",
                "--error-exitcode=99",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite,indirect",
                "--show-leak-kinds=definite,indirect",
            ],
        );
        assert_eq!(checked.status.code(), Some(0), "valgrind: {}", String::from_utf8_lossy(&checked.stderr));
        assert_eq!(String::from_utf8_lossy(&checked.stdout), expected);
    }
    let _ = std::fs::remove_file(&program);
}
