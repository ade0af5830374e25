//! Walking a directory of inputs (claims, rule packs) the way ripgrep and walkdir do: every
//! file once, in path order, a symlink loop reported instead of followed, special files
//! (FIFOs, devices, sockets) passed over with a note instead of blocking on them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The files accepted, sorted by path, each once (also when reached through a link).
    pub files: Vec<PathBuf>,
    /// Regular files that were not accepted (their extension is not one asked for).
    pub other_files: Vec<PathBuf>,
    /// Problems: unreadable directories (errors), links that loop and special files (warnings).
    pub notes: Vec<Diagnostic>,
}

/// True when `path` ends in one of `extensions` (without the dot), in any letter case.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The files under `root` that `accept` takes. `root` itself may be a file (then it is the
/// one file, whatever its name).
pub fn walk(root: &Path, accept: impl Fn(&Path) -> bool) -> Walk {
    let mut walk = Walk::default();
    let mut seen_dirs = HashSet::new();
    let mut seen_files = HashSet::new();
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => visit(root, &accept, &mut walk, &mut seen_dirs, &mut seen_files),
        Ok(m) if m.is_file() => walk.files.push(root.to_path_buf()),
        Ok(_) => walk.notes.push(special(root)),
        Err(e) => walk.notes.push(Diagnostic::error(DiagnosticKind::Io, root.display().to_string(), io_message(&e))),
    }
    walk.files.sort();
    walk.other_files.sort();
    walk
}

/// `no such file or directory`, without the OS error number.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

fn special(path: &Path) -> Diagnostic {
    Diagnostic::warning(
        DiagnosticKind::Io,
        path.display().to_string(),
        "skipped: not a regular file (a pipe, device or socket)",
    )
}

fn visit(
    dir: &Path,
    accept: &impl Fn(&Path) -> bool,
    walk: &mut Walk,
    seen_dirs: &mut HashSet<PathBuf>,
    seen_files: &mut HashSet<PathBuf>,
) {
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen_dirs.insert(real.clone()) {
        walk.notes.push(Diagnostic::warning(
            DiagnosticKind::Io,
            dir.display().to_string(),
            format!("skipped: a link back to {}, already read (a loop)", real.display()),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.notes.push(Diagnostic::error(DiagnosticKind::Io, dir.display().to_string(), io_message(&e)));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(e) => walk.notes.push(Diagnostic::error(DiagnosticKind::Io, dir.display().to_string(), io_message(&e))),
        }
    }
    paths.sort();
    for path in paths {
        // Follows links: a link to a file is read as that file (once), a link to a
        // directory is walked unless it was walked already.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => visit(&path, accept, walk, seen_dirs, seen_files),
            Ok(m) if m.is_file() => {
                if !accept(&path) {
                    walk.other_files.push(path);
                    continue;
                }
                let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if seen_files.insert(real) {
                    walk.files.push(path);
                }
            }
            Ok(_) => walk.notes.push(special(&path)),
            Err(e) => {
                walk.notes.push(Diagnostic::error(DiagnosticKind::Io, path.display().to_string(), io_message(&e)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_in_any_case() {
        assert!(has_extension(Path::new("a/B.YAML"), &["yaml", "yml"]));
        assert!(has_extension(Path::new("b.Yml"), &["yaml", "yml"]));
        assert!(!has_extension(Path::new("c.yaml.bak"), &["yaml"]));
        assert!(!has_extension(Path::new("yaml"), &["yaml"]));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_walked_once_and_reported() {
        let dir = std::env::temp_dir().join(format!("kongtun-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("dir");
        std::fs::write(dir.join("sub/a.yaml"), "x").expect("file");
        std::os::unix::fs::symlink(".", dir.join("sub/loop")).expect("link");
        std::os::unix::fs::symlink("a.yaml", dir.join("sub/same.yaml")).expect("link");
        let w = walk(&dir, |p| has_extension(p, &["yaml"]));
        assert_eq!(w.files, vec![dir.join("sub/a.yaml")]);
        assert_eq!(w.notes.len(), 1, "{:?}", w.notes);
        assert!(w.notes[0].message.contains("loop"), "{}", w.notes[0]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
