//! `kongtun test`, `kongtun diff`, `kongtun explain`: tools for reviewing rule changes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_audit::{diff, explain, pack_test, source};
use kongtun_core::claim::Claim;
use kongtun_core::document::read_batch;

use crate::input::ClaimInputs;
use kongtun_core::outcome::Lang;
use kongtun_core::rulebook::Rulebook;
use kongtun_rules::Engine;

use crate::{exit, OutputFormat};

fn load(rules: &Path) -> Result<Engine, u8> {
    Engine::load(rules).map_err(|errors| {
        errln!("{errors}");
        errln!("kongtun: the rule packs have errors; run `kongtun check {}`", rules.display());
        exit::FAILURE
    })
}

/// Runs the pack tests under `rules`; exit 1 on a failure or coverage below `min_coverage`.
pub fn test(rules: &Path, coverage: bool, min_coverage: Option<f64>) -> u8 {
    let engine = match load(rules) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let run = pack_test::run_dir(&engine, rules);
    if coverage || min_coverage.is_some() {
        out!("{}", run.coverage.report());
    }
    out!("{}", pack_test::report(&run));
    let (_, failed) = run.counts();
    if run.cases.is_empty() {
        errln!("kongtun: no pack tests (kind: pack-test) under {}", rules.display());
        return exit::REJECTED;
    }
    if let Some(min) = min_coverage {
        if run.coverage.percent() + 1e-9 < min {
            errln!("kongtun: coverage {:.1}% is below the required {min}%", run.coverage.percent());
            return exit::REJECTED;
        }
    }
    if failed > 0 {
        exit::REJECTED
    } else {
        exit::OK
    }
}

/// Claims of a corpus: claim documents (globs expanded, as the other claim commands do);
/// rejected claims are reported on stderr and left out. `Err(2)` after saying why when a glob
/// matches nothing.
fn corpus(paths: &[PathBuf]) -> Result<Vec<Claim>, u8> {
    let mut skipped = Vec::new();
    // Claim documents only: the corpus reader reads no sheets nor 16-file sets.
    let kind = crate::paths::CLAIM_DOCS;
    let found = crate::paths::expand_globs(paths, kind, &mut skipped);
    let paths = crate::paths::said(found, &skipped, kind).map_err(|()| exit::FAILURE)?;
    Ok(read_batch(&paths)
        .into_iter()
        .filter_map(|r| match r.claim {
            Ok(c) => Some(c),
            Err(e) => {
                errln!("kongtun: skipped: {e}");
                None
            }
        })
        .collect())
}

/// Options of `kongtun diff`.
pub struct DiffArgs<'a> {
    /// Base packs: a directory or `git:REV:PATH`.
    pub base: &'a str,
    /// Head packs.
    pub head: &'a str,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Most claims listed.
    pub limit: usize,
    /// Markdown (table) or JSON.
    pub format: OutputFormat,
    /// Exit 1 when anything changed.
    pub fail_on_change: bool,
    /// Claim files.
    pub paths: &'a [PathBuf],
}

/// Compares two sets of packs over a claim corpus.
pub fn diff(args: DiffArgs<'_>) -> u8 {
    let read = |spec: &str| -> Result<(Rulebook, Engine), u8> {
        let sources = source::read(spec).map_err(|e| {
            errln!("kongtun: {spec}: {e}");
            exit::FAILURE
        })?;
        let engine = Engine::from_rulebook(&sources).map_err(|e| {
            errln!("{e}");
            errln!("kongtun: the packs of {spec} have errors");
            exit::FAILURE
        })?;
        Ok((sources, engine))
    };
    let ((base_src, base), (head_src, head)) = match (read(args.base), read(args.head)) {
        (Ok(b), Ok(h)) => (b, h),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let claims = match corpus(args.paths) {
        Ok(claims) => claims,
        Err(code) => return code,
    };
    let changes = diff::pack_changes(&base_src, &head_src);
    let impact = diff::impact(&base, &head, changes, &claims, args.as_of);
    match args.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&impact) {
            Ok(text) => outln!("{text}"),
            Err(e) => {
                errln!("kongtun: {e}");
                return exit::FAILURE;
            }
        },
        OutputFormat::Table => out!("{}", diff::markdown(&impact, args.limit)),
    }
    if args.fail_on_change && (impact.changed() || !impact.pack_changes.is_empty()) {
        exit::REJECTED
    } else {
        exit::OK
    }
}

/// Explains one claim, found by id in the corpus: the story, or every rule with `full`.
/// The claims are read as every command reads them (documents, sheets, 16-file sets).
pub fn explain(rules: &Path, id: &str, as_of: NaiveDate, lang: Lang, full: bool, inputs: &ClaimInputs) -> u8 {
    let engine = match load(rules) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut found = None;
    // The id likeliest meant (a typo), kept as the claims stream by: the best so far first,
    // so that it stays on a tie.
    let mut nearest: Option<String> = None;
    let read = inputs.read(false, rules, &mut |records| {
        if found.is_some() {
            return;
        }
        let ids: Vec<&str> = nearest.as_deref().into_iter().chain(records.iter().filter_map(|r| r.id())).collect();
        nearest = kongtun_core::suggest::likely(id, &ids).map(str::to_string);
        found = records.into_iter().find(|r| r.id() == Some(id));
    });
    if read.is_err() {
        return exit::FAILURE;
    }
    let Some(record) = found else {
        let message = match nearest {
            Some(near) => format!("no claim with id {id} in the given files (did you mean {near}?)"),
            None => format!("no claim with id {id} in the given files"),
        };
        errln!("kongtun: {}", crate::output::words(&message));
        return exit::FAILURE;
    };
    let claim = match record.claim {
        Ok(c) => c,
        Err(e) => {
            outln!("{} {}", crate::output::words("rejected"), crate::output::say(&e));
            return exit::REJECTED;
        }
    };
    let detail = if full { explain::Detail::Full } else { explain::Detail::Story };
    match explain::explain(&engine, &claim, as_of, lang, detail) {
        Ok(text) => {
            out!("{text}");
            exit::OK
        }
        Err(e) => {
            outln!("claim {id} cannot be evaluated: {e}");
            exit::REJECTED
        }
    }
}
