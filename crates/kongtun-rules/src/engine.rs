//! The engine: every compiled pack, chosen per claim by fund and date.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::claim::{Claim, Setting};
use kongtun_core::fund::FundId;
use kongtun_core::outcome::Outcome;
use kongtun_core::rulebook::Rulebook;

use crate::error::{Diagnostic, DiagnosticKind, Diagnostics, EvalError};
use crate::evaluate::narration::{NoObserver, Observer};
use crate::evaluate::{self, Input, Options};
use crate::expr::EvalContext;
use crate::format::Layer;
use crate::load;
use crate::pack::Pack;

/// Compiled rule packs, ready to evaluate claims. Immutable; share it across threads.
#[derive(Debug)]
pub struct Engine {
    packs: Vec<Pack>,
    /// Main-pack versions per fund, by start date.
    main: HashMap<FundId, Vec<usize>>,
    /// Primary packs, in file order.
    primary: Vec<usize>,
    warnings: Vec<Diagnostic>,
    max_lines: usize,
}

impl Engine {
    /// Loads, checks and compiles every pack under `dir`. All errors are returned together.
    pub fn load(dir: impl AsRef<Path>) -> Result<Engine, Diagnostics> {
        Engine::from_rulebook(&Rulebook::load(dir.as_ref()))
    }

    /// Builds an engine from `(file name, YAML text)` pairs (e.g. read from git).
    pub fn from_sources(sources: &[(String, String)]) -> Result<Engine, Diagnostics> {
        Engine::from_rulebook(&Rulebook::from_sources(sources))
    }

    /// Compiles the fund packs of a rules directory already read; the rulebook's reading
    /// problems (syntax, unknown kinds) are errors of the engine too.
    pub fn from_rulebook(book: &Rulebook) -> Result<Engine, Diagnostics> {
        let (packs, found) = load::compile_packs(book);
        let (errors, warnings): (Vec<_>, Vec<_>) = found.into_iter().partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        if packs.is_empty() {
            let file = book.documents().first().map(|d| d.file.to_string()).unwrap_or_else(|| "(no files)".into());
            let message = "no rule packs (kind: fund-pack) found";
            return Err(Diagnostics(vec![Diagnostic::error(DiagnosticKind::UnknownKind, file, message)]));
        }
        let mut main: HashMap<FundId, Vec<usize>> = HashMap::new();
        let mut primary = Vec::new();
        for (i, p) in packs.iter().enumerate() {
            match p.layer {
                Layer::Main => main.entry(p.fund.clone()).or_default().push(i),
                Layer::Primary => primary.push(i),
            }
        }
        for versions in main.values_mut() {
            versions.sort_by_key(|i| packs[*i].from);
        }
        Ok(Engine { packs, main, primary, warnings, max_lines: kongtun_core::document::MAX_LINES_PER_CLAIM })
    }

    /// Sets the most charge lines a claim may have (default
    /// [`kongtun_core::document::MAX_LINES_PER_CLAIM`]); a larger claim is
    /// [`EvalError::TooLarge`], so evaluation time is bounded for any claim.
    pub fn set_max_lines_per_claim(&mut self, max: usize) {
        self.max_lines = max;
    }

    /// Warnings found while loading (unused parameters, example values, shadowed rows).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Every compiled pack.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Evaluates one claim as of a date (used for timeliness when the claim has no
    /// `submitted` date), with the trace on.
    pub fn evaluate(&self, claim: &Claim, as_of: NaiveDate) -> Result<Outcome, EvalError> {
        let mut out = Outcome::default();
        self.evaluate_into(claim, as_of, Options { trace: true }, &mut out)?;
        Ok(out)
    }

    /// Evaluates into `out`, reusing its allocations; set `options.trace` to record the trace.
    pub fn evaluate_into(
        &self,
        claim: &Claim,
        as_of: NaiveDate,
        options: Options,
        out: &mut Outcome,
    ) -> Result<(), EvalError> {
        self.evaluate_observed(claim, as_of, options, out, &mut NoObserver)
    }

    /// Like [`Engine::evaluate_into`], with an observer that sees which rules fired and,
    /// if it asks, a narration of every decision (see [`Observer`]).
    pub fn evaluate_observed<O: Observer>(
        &self,
        claim: &Claim,
        as_of: NaiveDate,
        options: Options,
        out: &mut Outcome,
        observer: &mut O,
    ) -> Result<(), EvalError> {
        if claim.items.len() > self.max_lines {
            return Err(EvalError::TooLarge { lines: claim.items.len(), max: self.max_lines });
        }
        let date = claim.claim_date();
        let main = self.main_pack(&claim.fund, date, claim.setting)?;
        let mut primaries: smallvec::SmallVec<[&Pack; 4]> = smallvec::SmallVec::new();
        for i in &self.primary {
            let p = &self.packs[*i];
            if p.in_force(date) && p.fund != claim.fund && self.applies(p, claim)? {
                primaries.push(p);
            }
        }
        evaluate::evaluate(&Input { main, primaries: &primaries, claim, as_of, options }, out, observer)
    }

    /// The main pack of `fund` in force on `date`.
    pub fn main_pack(&self, fund: &FundId, date: NaiveDate, setting: Setting) -> Result<&Pack, EvalError> {
        let basis = if setting == Setting::Ip { "discharge date" } else { "service date" };
        let Some(versions) = self.main.get(fund) else {
            if self.primary.iter().any(|i| self.packs[*i].fund == *fund) {
                return Err(EvalError::NotMainFund(fund.to_string()));
            }
            let mut known: Vec<&str> = self.main.keys().map(FundId::as_str).collect();
            known.sort_unstable();
            return Err(EvalError::NoPack {
                fund: fund.to_string(),
                date,
                basis,
                covered: format!("nothing (funds with packs: {})", known.join(", ")),
            });
        };
        versions.iter().map(|i| &self.packs[*i]).find(|p| p.in_force(date)).ok_or_else(|| EvalError::NoPack {
            fund: fund.to_string(),
            date,
            basis,
            covered: versions
                .iter()
                .map(|i| {
                    let p = &self.packs[*i];
                    format!("{}..{}", p.from, p.to.map(|d| d.to_string()).unwrap_or_else(|| "open".into()))
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The last day a claim of `fund` with this claim date is accepted, by the expiry rule of
    /// the pack in force (`None` when the pack has no expiry, or it depends on the claim).
    pub fn deadline(&self, fund: &FundId, claim_date: NaiveDate) -> Option<NaiveDate> {
        let pack = self.main_pack(fund, claim_date, Setting::Op).ok()?;
        evaluate::deadline(pack.expiry.as_ref()?, claim_date, |days| Ok::<_, ()>(days.constant())).ok()?
    }

    /// Days after the claim date within which a claim of `fund` is on time, by the late
    /// rule of the pack in force (`None` when it has none, or it depends on the claim).
    pub fn late_window(&self, fund: &FundId, claim_date: NaiveDate) -> Option<i64> {
        let pack = self.main_pack(fund, claim_date, Setting::Op).ok()?;
        i64::try_from(pack.late.as_ref()?.after_days.constant()?.trunc()).ok()
    }

    fn applies(&self, p: &Pack, claim: &Claim) -> Result<bool, EvalError> {
        let Some(cond) = &p.applies else { return Ok(false) };
        let ctx = EvalContext {
            claim,
            charged: kongtun_core::money::Money::ZERO,
            claimable_charged: kongtun_core::money::Money::ZERO,
            line: None,
            outputs: &[],
        };
        cond.test(&ctx).map_err(|f| EvalError::Arithmetic { rule: p.id.to_string(), message: f.0 })
    }
}

impl kongtun_core::calendar::FundCalendar for Engine {
    fn deadline(&self, fund: &FundId, claim_date: NaiveDate) -> Option<NaiveDate> {
        Engine::deadline(self, fund, claim_date)
    }
    fn late_window(&self, fund: &FundId, claim_date: NaiveDate) -> Option<i64> {
        Engine::late_window(self, fund, claim_date)
    }
}
