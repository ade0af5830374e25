//! Input paths as people give them, on the command line or in `kongtun.toml`: files, folders
//! and globs (`evaluated/*.jsonl`), which kongtun expands itself since Windows `cmd` passes
//! `*` through. Every path is checked before anything is read: a missing one is an error
//! naming it, with the near miss in its folder ("did you mean"), never an empty input.

use std::path::{Component, Path, PathBuf};

use kongtun_core::files;

/// What a kind of input is called and the extensions its files have in a folder.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// What its files hold, for messages ("evaluated claims").
    pub what: &'static str,
    /// The extensions of its files (any letter case), for folders and globs.
    pub extensions: &'static [&'static str],
}

/// The JSON Lines of `kongtun evaluate --format json`.
pub const EVALUATED: Kind = Kind { what: "evaluated claims", extensions: &["jsonl", "ndjson", "json"] };
/// Fund statements: kongtun's own, NHSO REP / STM workbooks, CSMBS XML.
pub const STATEMENTS: Kind =
    Kind { what: "statements", extensions: &["csv", "json", "jsonl", "ndjson", "xls", "xlsx", "xml", "zip"] };
/// Event logs.
pub const EVENTS: Kind = Kind { what: "event logs", extensions: &["jsonl", "ndjson"] };
/// Visit lists.
pub const VISITS: Kind = Kind { what: "visit lists", extensions: &["csv"] };
/// Claim documents.
pub const CLAIM_DOCS: Kind = Kind { what: "claim documents", extensions: &["yaml", "yml", "json", "jsonl", "ndjson"] };
/// Any file: what a glob gives the claim commands when `--input` says how to read every file.
pub const ANY_FILE: Kind = Kind { what: "input", extensions: &[] };
/// What the claim commands read from a glob: claim documents, claim sheets, zipped 16-file
/// sets (a 16-file set's folder is matched as a folder).
pub const CLAIMS: Kind = Kind {
    what: "claims",
    extensions: &["yaml", "yml", "json", "jsonl", "ndjson", "csv", "xlsx", "xlsm", "xls", "zip"],
};

/// Why an input path gives no file to read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Nothing at the path.
    #[error("{}: no such file or folder{}{}", path.display(), hint(suggestion.as_deref()), from(path))]
    Missing { path: PathBuf, suggestion: Option<PathBuf> },
    /// A glob that matches no file of its kind.
    #[error("{}: no {what} file matches{}{}", pattern.display(), hint(suggestion.as_deref()), from(pattern))]
    NoMatch { pattern: PathBuf, what: &'static str, suggestion: Option<PathBuf> },
    /// Not a glob kongtun reads.
    #[error("{}: not a valid pattern: {message}{}", pattern.display(), from(pattern))]
    Pattern { pattern: PathBuf, message: String },
    /// A folder without a file of the kind.
    #[error("{}: no {what} in this folder (files ending .{}){}", path.display(), extensions.join(", ."), from(path))]
    EmptyFolder { path: PathBuf, what: &'static str, extensions: &'static [&'static str] },
    /// A folder or file that cannot be listed or read.
    #[error("{}: {message}{}", path.display(), from(path))]
    Unreadable { path: PathBuf, message: String },
}

fn hint(suggestion: Option<&Path>) -> String {
    suggestion.map(|s| format!(" (did you mean {}?)", s.display())).unwrap_or_default()
}

/// ` (set in kongtun.toml:7: receivables.claims)` when the configuration gave the path.
fn from(path: &Path) -> String {
    crate::config::origin(path).map(|o| format!(" (set in {o})")).unwrap_or_default()
}

/// The files that `paths` name, in order: a file as it is (whatever its name); the files of
/// the kind in a folder (and its subfolders) and those a glob matches, sorted. `skipped` gets
/// each file of another kind that a folder or glob held, to be said, never silently dropped.
pub fn expand(paths: &[PathBuf], kind: Kind, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let found = folder(path, kind, skipped)?;
                if found.is_empty() {
                    return Err(InputError::EmptyFolder {
                        path: path.clone(),
                        what: kind.what,
                        extensions: kind.extensions,
                    });
                }
                out.extend(found);
            }
            Ok(_) => out.push(path.clone()),
            // (Windows says "invalid name" of a path with `*`, not "not found")
            Err(_) if is_glob(path) => out.extend(glob(path, kind, skipped)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(InputError::Missing { path: path.clone(), suggestion: near_miss(path) })
            }
            Err(e) => return Err(InputError::Unreadable { path: path.clone(), message: files::io_message(&e) }),
        }
    }
    Ok(out)
}

/// A path with `*`, `?` or `[` in it (and nothing there by that name) is a glob.
fn is_glob(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The files of `kind` under a folder.
fn folder(dir: &Path, kind: Kind, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    let walk = files::walk(dir, |p| files::has_extension(p, kind.extensions));
    if let Some(e) = walk.notes.iter().find(|n| n.is_error()) {
        return Err(InputError::Unreadable { path: PathBuf::from(&*e.file), message: e.message.clone() });
    }
    skipped.extend(walk.other_files);
    Ok(walk.files)
}

/// An expansion ([`expand`], [`expand_globs`]) said on stderr: each file of another kind a
/// folder or glob held (never silently dropped), then why it failed, if it did.
pub fn said(found: Result<Vec<PathBuf>, InputError>, skipped: &[PathBuf], kind: Kind) -> Result<Vec<PathBuf>, ()> {
    for path in skipped {
        let note =
            format!("skipped {}: not {} (files ending .{})", path.display(), kind.what, kind.extensions.join(", ."));
        errln!("{}", crate::output::words(&note));
    }
    found.map_err(|e| errln!("{}: {}", crate::output::words("error"), crate::output::words(&e.to_string())))
}

/// `paths` with each glob (a path with `*`, `?` or `[`, and nothing there by that name)
/// replaced by what it matches, sorted: folders as folders, for the reader to take as it takes
/// any folder, and files of `kind`; `skipped` gets the files of other kinds. Other paths stay
/// as given, for the reader to check. For the claim commands, whose folders may be 16-file
/// sets rather than folders of files.
pub fn expand_globs(paths: &[PathBuf], kind: Kind, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Err(_) if is_glob(path) => {
                let found = glob_matches(path, kind, skipped)?;
                if found.is_empty() {
                    return Err(no_match(path, kind));
                }
                out.extend(found);
            }
            _ => out.push(path.clone()),
        }
    }
    Ok(out)
}

fn glob(pattern: &Path, kind: Kind, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for path in glob_matches(pattern, kind, skipped)? {
        match path.is_dir() {
            true => out.extend(folder(&path, kind, skipped)?),
            false => out.push(path),
        }
    }
    if out.is_empty() {
        return Err(no_match(pattern, kind));
    }
    Ok(out)
}

/// What a glob matches: folders, and files of `kind` (files of other kinds go to `skipped`).
fn glob_matches(pattern: &Path, kind: Kind, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    let text = pattern.to_string_lossy();
    // Windows file names are matched in any letter case, as Explorer and cmd do.
    let options = glob::MatchOptions { case_sensitive: !cfg!(windows), ..glob::MatchOptions::new() };
    // Not a pattern (`x[1.yaml`): most likely a file name with a `[` in it that is not there.
    let matches = glob::glob_with(&text, options).map_err(|e| match near_miss(pattern) {
        Some(suggestion) => InputError::Missing { path: pattern.to_path_buf(), suggestion: Some(suggestion) },
        None => InputError::Pattern { pattern: pattern.to_path_buf(), message: e.msg.to_string() },
    })?;
    let mut out = Vec::new();
    for m in matches {
        let path = m.map_err(|e| InputError::Unreadable {
            path: e.path().to_path_buf(),
            message: files::io_message(e.error()),
        })?;
        if path.is_dir() || kind.extensions.is_empty() || files::has_extension(&path, kind.extensions) {
            out.push(path);
        } else {
            skipped.push(path);
        }
    }
    Ok(out)
}

/// A glob that gave no file of `kind`, with a near miss for the folders before its first
/// wildcard: the likely mistake.
fn no_match(pattern: &Path, kind: Kind) -> InputError {
    let fixed: PathBuf = pattern.components().take_while(|c| !is_glob(Path::new(c.as_os_str()))).collect();
    let suggestion = if fixed.as_os_str().is_empty() || fixed.exists() {
        None
    } else {
        near_miss(&fixed).map(|s| s.join(pattern.strip_prefix(&fixed).unwrap_or(pattern)))
    };
    // Else the path as a file name (`x[1].yml` for `x[1].yaml`): a name with `[` in it reads
    // as a pattern too.
    let suggestion = suggestion.or_else(|| near_miss(pattern));
    InputError::NoMatch { pattern: pattern.to_path_buf(), what: kind.what, suggestion }
}

/// The path that was likely meant when `path` is not there: its first missing part replaced by
/// the closest name in the folder above it (the same name in another letter case first, then
/// the fewest edits, at most about one in four letters), the rest kept.
///
/// `examples/receivables/evaluated-fy2658.jsonl` → `examples/receivables/evaluated-fy2568.jsonl`.
pub fn near_miss(path: &Path) -> Option<PathBuf> {
    let parts: Vec<Component> = path.components().collect();
    let mut there = PathBuf::new();
    for (i, part) in parts.iter().enumerate() {
        let next = there.join(part);
        if next.symlink_metadata().is_ok() {
            there = next;
            continue;
        }
        let Component::Normal(name) = part else { return None };
        let name = name.to_str()?;
        let dir = if there.as_os_str().is_empty() { Path::new(".") } else { there.as_path() };
        let entries: Vec<String> =
            std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
        let best = kongtun_core::suggest::likely(name, &entries.iter().map(String::as_str).collect::<Vec<_>>())?;
        let mut fixed = there.join(best);
        fixed.extend(&parts[i + 1..]);
        return Some(fixed);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kongtun-paths-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("books/sub")).expect("temp dir");
        for f in
            ["books/evaluated-fy2568.jsonl", "books/evaluated-fy2567.jsonl", "books/notes.txt", "books/sub/more.jsonl"]
        {
            std::fs::write(dir.join(f), "").expect("write");
        }
        dir
    }

    #[test]
    fn files_folders_and_globs_expand_and_other_files_are_said() {
        let dir = temp("expand");
        let books = dir.join("books");
        let mut skipped = Vec::new();
        let got = expand(&[books.join("notes.txt"), books.clone()], EVALUATED, &mut skipped).expect("found");
        assert_eq!(
            got,
            [
                books.join("notes.txt"),
                books.join("evaluated-fy2567.jsonl"),
                books.join("evaluated-fy2568.jsonl"),
                books.join("sub/more.jsonl")
            ],
            "a file named is read whatever its name; a folder gives its files of the kind, subfolders too"
        );
        assert_eq!(skipped, [books.join("notes.txt")]);
        skipped.clear();
        let got = expand(&[books.join("*")], EVALUATED, &mut skipped).expect("found");
        assert_eq!(got.len(), 3);
        assert_eq!(skipped, [books.join("notes.txt")]);
        let got = expand(&[books.join("evaluated-*.jsonl")], EVALUATED, &mut skipped).expect("found");
        assert_eq!(got, [books.join("evaluated-fy2567.jsonl"), books.join("evaluated-fy2568.jsonl")]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_missing_path_is_an_error_with_its_near_miss() {
        let dir = temp("missing");
        let books = dir.join("books");
        let mut skipped = Vec::new();
        let e = expand(&[books.join("evaluated-fy2658.jsonl")], EVALUATED, &mut skipped).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: no such file or folder (did you mean {}?)",
                books.join("evaluated-fy2658.jsonl").display(),
                books.join("evaluated-fy2568.jsonl").display()
            )
        );
        // a mistyped folder: the rest of the path is kept
        assert_eq!(near_miss(&dir.join("boks/notes.txt")), Some(books.join("notes.txt")));
        assert_eq!(near_miss(&dir.join("BOOKS")), Some(books.clone()));
        assert_eq!(near_miss(&books.join("zzzzzzzz.csv")), None, "nothing close");
        let e = expand(&[dir.join("boks/*.jsonl")], EVALUATED, &mut skipped).unwrap_err();
        assert!(matches!(&e, InputError::NoMatch { suggestion: Some(s), .. } if *s == books.join("*.jsonl")), "{e}");
        let e = expand(&[books.join("*.csv")], EVALUATED, &mut skipped).unwrap_err();
        assert!(e.to_string().ends_with("*.csv: no evaluated claims file matches"), "{e}");
        std::fs::create_dir_all(dir.join("empty")).expect("dir");
        let e = expand(&[dir.join("empty")], EVENTS, &mut skipped).unwrap_err();
        assert!(e.to_string().ends_with("empty: no event logs in this folder (files ending .jsonl, .ndjson)"), "{e}");
        let e = expand(&[books.join("[")], EVALUATED, &mut skipped).unwrap_err();
        assert!(matches!(e, InputError::Pattern { .. }), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
