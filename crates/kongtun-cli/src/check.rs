//! `kongtun check`: read every document under a rules directory once, compile every kind
//! (fund packs, the collection policy, the code maps), and report all errors and warnings,
//! with the packs' dates checked against today.

use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::diagnostic::DiagnosticKind;
use kongtun_core::rulebook::Rulebook;
use kongtun_eclaim::codemap::{CodeMap, CodeMaps};
use kongtun_ledger::accounts::Charts;
use kongtun_ledger::policy::Policies;
use kongtun_rules::{Diagnostic, Engine};

use crate::exit;

/// Checks the documents under `dir` as of `today`; exit 1 on any error.
pub fn run(dir: &Path, today: NaiveDate) -> u8 {
    let book = Rulebook::load(dir);
    let mut problems: Vec<Diagnostic> = Vec::new();
    let engine = match Engine::from_rulebook(&book) {
        Ok(engine) => {
            problems.extend(engine.warnings().iter().cloned());
            problems.extend(engine.coverage_warnings(today));
            Some(engine)
        }
        Err(errors) => {
            problems.extend(errors.0);
            None
        }
    };
    if let Err(errors) = Policies::from_rulebook(&book) {
        problems.extend(errors);
    }
    match Charts::from_rulebook(&book) {
        Ok(charts) => {
            for chart in charts.versions() {
                let file = chart.file.display().to_string();
                problems.extend(chart.example_accounts().into_iter().map(|w| {
                    Diagnostic::warning(kongtun_core::diagnostic::DiagnosticKind::InvalidValue, file.as_str(), w)
                }));
            }
        }
        Err(errors) => problems.extend(errors),
    }
    match CodeMaps::from_rulebook(&book) {
        Ok(maps) => {
            if let (Some(engine), Some(inscl)) = (&engine, maps.get(kongtun_eclaim::codemap::INSCL)) {
                problems.extend(unpriced_funds(engine, inscl));
            }
        }
        Err(errors) => problems.extend(errors),
    }
    for p in &problems {
        outln!("{}", crate::output::say(p));
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    match engine {
        Some(engine) if errors == 0 => {
            let packs: Vec<String> = engine.packs().iter().map(|p| p.name()).collect();
            outln!("{} packs ok ({}), {} warnings", packs.len(), packs.join(", "), problems.len());
            exit::OK
        }
        _ => {
            outln!("{errors} errors");
            exit::REJECTED
        }
    }
}

/// A warning for each INSCL code whose fund no pack prices: its claims would be read and then
/// rejected by evaluation.
fn unpriced_funds(engine: &Engine, inscl: &CodeMap) -> Vec<Diagnostic> {
    inscl
        .codes()
        .filter(|(_, fund)| !engine.packs().iter().any(|p| p.fund().as_str().eq_ignore_ascii_case(fund)))
        .map(|(code, fund)| {
            Diagnostic::warning(
                DiagnosticKind::Review,
                inscl.file(),
                format!("INSCL {code} maps to fund {fund}, which no pack prices: its claims cannot be evaluated"),
            )
            .rule(inscl.id())
        })
        .collect()
}
