//! Snapshot files: a test's expected output kept in a file beside the test (golden
//! outcomes, the JSON Schema, an HTML page), compared byte for byte.
//!
//! One switch rewrites them all after a deliberate change: run the tests with
//! `UPDATE_SNAPSHOTS=1`, then review the change with `git diff` before committing it.

use std::path::Path;

/// The environment variable that makes [`check`] write the file instead of comparing.
pub const UPDATE: &str = "UPDATE_SNAPSHOTS";

/// True when the run was asked to rewrite snapshots.
pub fn updating() -> bool {
    std::env::var_os(UPDATE).is_some_and(|v| v == "1")
}

/// Compares `actual` with the file at `path`, or writes it there when [`updating`].
/// The error says which file differs and how to review the change.
pub fn check(path: &Path, actual: &str) -> Result<(), String> {
    if updating() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        return std::fs::write(path, actual).map_err(|e| format!("{}: {e}", path.display()));
    }
    let expected = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (run with {UPDATE}=1 to create it)", path.display()))?;
    if expected == actual {
        return Ok(());
    }
    let first = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
    let at = match first {
        Some(i) => format!(
            "first difference at line {}:\n  expected: {}\n  actual:   {}",
            i + 1,
            expected.lines().nth(i).unwrap_or_default(),
            actual.lines().nth(i).unwrap_or_default()
        ),
        None => format!("{} lines expected, {} found", expected.lines().count(), actual.lines().count()),
    };
    Err(format!(
        "{} differs from the output ({at}); if the change is intended, rerun with {UPDATE}=1 and review git diff",
        path.display()
    ))
}

/// [`check`], panicking with its message.
pub fn assert_matches(path: &Path, actual: &str) {
    if let Err(e) = check(path, actual) {
        panic!("{e}");
    }
}
