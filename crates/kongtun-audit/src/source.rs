//! Rule packs from a directory, or from a git revision: `git:REV:PATH`
//! (e.g. `git:origin/main:rules`), read with `git ls-tree` and `git show` so that CI can
//! compare a pull request's packs with the base branch without a second checkout.

use std::path::Path;
use std::process::Command;

use kongtun_rules::load;

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

/// Reads every `.yaml`/`.yml` file of a spec: a directory, or `git:REV:PATH`.
/// Returns `(file name, text)` pairs for [`kongtun_rules::Engine::from_sources`].
pub fn read(spec: &str) -> Result<Vec<(String, String)>, SourceError> {
    match spec.strip_prefix("git:") {
        Some(rest) => {
            let (rev, path) = rest.rsplit_once(':').ok_or_else(|| SourceError::Git {
                args: spec.to_string(),
                message: "expected git:REV:PATH, e.g. git:origin/main:rules".into(),
            })?;
            read_git(rev, path)
        }
        None => load::read_dir(Path::new(spec))
            .map(|sources| sources.into_iter().map(|s| (s.name, s.text)).collect())
            .map_err(|errors| SourceError::Read(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))),
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
    let mut files: Vec<&str> = listing.lines().filter(|f| f.ends_with(".yaml") || f.ends_with(".yml")).collect();
    files.sort_unstable();
    files.into_iter().map(|f| Ok((format!("{rev}:{f}"), git(&["show", &format!("{rev}:{f}")])?))).collect()
}
