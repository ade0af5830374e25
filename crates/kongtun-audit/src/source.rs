//! Rule packs from a directory, or from a git revision: `git:REV:PATH`
//! (e.g. `git:origin/main:rules`), read with `git ls-tree` and `git show` so that CI can
//! compare a pull request's packs with the base branch without a second checkout.

use std::path::Path;
use std::process::Command;

use kongtun_core::rulebook::Rulebook;

/// Where a set of packs was read from, and why it could not be.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A pack file could not be read.
    #[error("{0}")]
    Read(String),
    /// git failed.
    #[error("git {args}: {message}")]
    Git {
        /// The git arguments.
        args: String,
        /// What git said.
        message: String,
    },
}

/// Reads every `.yaml`/`.yml` file of a spec: a directory, or `git:REV:PATH`. Problems
/// with single files (syntax, unknown kinds) are in [`Rulebook::problems`].
pub fn read(spec: &str) -> Result<Rulebook, SourceError> {
    match spec.strip_prefix("git:") {
        Some(rest) => {
            let (rev, path) = rest.rsplit_once(':').ok_or_else(|| SourceError::Git {
                args: spec.to_string(),
                message: "expected git:REV:PATH, e.g. git:origin/main:rules".into(),
            })?;
            Ok(Rulebook::from_sources(&read_git(rev, path)?))
        }
        None if Path::new(spec).is_dir() => Ok(Rulebook::load(Path::new(spec))),
        None => Err(SourceError::Read(format!("{spec}: no such directory"))),
    }
}

fn git(args: &[&str]) -> Result<String, SourceError> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| SourceError::Git { args: args.join(" "), message: e.to_string() })?;
    if !out.status.success() {
        return Err(SourceError::Git {
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    String::from_utf8(out.stdout).map_err(|e| SourceError::Git { args: args.join(" "), message: e.to_string() })
}

fn read_git(rev: &str, path: &str) -> Result<Vec<(String, String)>, SourceError> {
    let listing = git(&["ls-tree", "-r", "--name-only", rev, "--", path])?;
    let mut files: Vec<&str> =
        listing.lines().filter(|f| kongtun_core::files::has_extension(Path::new(f), &["yaml", "yml"])).collect();
    files.sort_unstable();
    files.into_iter().map(|f| Ok((format!("{rev}:{f}"), git(&["show", &format!("{rev}:{f}")])?))).collect()
}
