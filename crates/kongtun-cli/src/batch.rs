//! A whole batch of claims read and evaluated at once, for the desk reports that look at all
//! of them together (`worklist`, `send-by`): the claims kept beside their outcomes.

use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::outcome::Outcome;
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, EvalError, Options};

use crate::input::ClaimInputs;

/// What the desk lists (`worklist`, `send-by`) take: the packs, the day, the output and the
/// claims.
#[derive(clap::Args)]
pub struct DeskArgs {
    /// Directory of rule packs.
    #[arg(long)]
    pub rules: std::path::PathBuf,
    /// The day the list is made for, the claims evaluated as of it (CE or BE). Default: today.
    #[arg(long, value_parser = crate::date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Output format (CSV opens in Excel, Thai included).
    #[arg(long, value_enum, default_value = "table")]
    pub format: crate::receivables::ReportFormat,
    #[command(flatten)]
    pub style: crate::style::StyleArgs,
    #[command(flatten)]
    pub inputs: ClaimInputs,
}

impl DeskArgs {
    /// The as-of day: given, or today.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(crate::today)
    }
}

/// The claims read, their outcomes in the same order, and how many were rejected.
pub struct Evaluated {
    /// The engine that evaluated them.
    pub engine: Engine,
    /// Every claim read.
    pub claims: Vec<Claim>,
    /// Each claim's outcome (with its trace), or why it could not be evaluated.
    pub outcomes: Vec<Result<Outcome, EvalError>>,
    /// Claims unreadable or not evaluated (each reported on stderr).
    pub rejected: usize,
    /// The claims that could not be read: the id the reader found, and why.
    pub unreadable: Vec<(Option<String>, kongtun_core::diagnostic::Diagnostic)>,
}

impl Evaluated {
    /// Loads the packs, reads every claim under `inputs` and evaluates them as of `as_of`,
    /// the victims of one accident sharing PRB's limits. `Err` (reported on stderr) when the
    /// packs or the inputs cannot be read at all.
    pub fn read(rules: &Path, as_of: NaiveDate, inputs: &ClaimInputs) -> Result<Evaluated, ()> {
        let engine = match Engine::load(rules) {
            Ok(e) => e,
            Err(errors) => {
                errln!("{errors}");
                errln!("kongtun: the rule packs have errors; run `kongtun check {}`", rules.display());
                return Err(());
            }
        };
        let mut claims: Vec<Claim> = Vec::new();
        let mut rejected = 0usize;
        let mut unreadable = Vec::new();
        inputs.read(true, rules, &mut |records| {
            for r in records {
                let id = r.id().map(str::to_string);
                match r.claim {
                    Ok(c) => claims.push(c),
                    Err(e) => {
                        errln!("{} {}", crate::output::words("rejected"), crate::output::say(&e));
                        rejected += 1;
                        unreadable.push((id, e));
                    }
                }
            }
        })?;
        let refs: Vec<&Claim> = claims.iter().collect();
        let outcomes = engine.evaluate_batch(&refs, as_of, Options { trace: true }, &mut AccidentLimits::new());
        for (claim, outcome) in claims.iter().zip(&outcomes) {
            if let Err(e) = outcome {
                errln!("{} {}: {}", crate::output::words("rejected"), claim.id, crate::output::words(&e.to_string()));
                rejected += 1;
            }
        }
        Ok(Evaluated { engine, claims, outcomes, rejected, unreadable })
    }
}
