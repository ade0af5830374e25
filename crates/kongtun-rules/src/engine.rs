//! The engine: every compiled pack, chosen per claim by fund and date.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use kongtun_core::calendar::ClaimTiming;
use kongtun_core::claim::{Claim, Setting};
use kongtun_core::codemap::{CodeMap, CodeMaps};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::Outcome;
use kongtun_core::rulebook::Rulebook;

use crate::accident::AccidentLimits;
use crate::error::{Diagnostic, DiagnosticKind, Diagnostics, EvalError};
use crate::evaluate::narration::{NoObserver, Observer};
use crate::evaluate::{self, Input, Options};
use crate::expr::{EvalContext, Expr};
use crate::format::Layer;
use crate::load;
use crate::pack::Pack;

/// Compiled rule packs, ready to evaluate claims. Immutable; share it across threads.
#[derive(Debug)]
pub struct Engine {
    packs: Vec<Pack>,
    /// Main-pack versions per fund, by start date. foldhash, not SipHash: a handful of funds,
    /// looked up once per claim and never filled from input.
    main: HashMap<FundId, Vec<usize>, foldhash::fast::FixedState>,
    /// Primary packs, in file order.
    primary: Vec<usize>,
    warnings: Vec<Diagnostic>,
    max_lines: usize,
    /// Fund codes and names people write (`UCS`, `บัตรทอง`) to the fund whose packs price the
    /// claim: the code map `funds` (`rules/codes/funds.yaml`).
    fund_names: Option<CodeMap>,
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
        let mut main: HashMap<FundId, Vec<usize>, foldhash::fast::FixedState> = HashMap::default();
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
        let mut warnings = warnings;
        let fund_names = match CodeMaps::from_rulebook(book) {
            Ok(maps) => maps.get(kongtun_core::codemap::FUNDS).cloned(),
            Err(errors) => {
                // `kongtun check` reports each; evaluation goes on with fund ids only.
                let file = errors.first().map(|d| d.file.to_string()).unwrap_or_default();
                let message = format!(
                    "the code maps have {} error(s), so fund names (UCS, บัตรทอง) are not read; claims must give the fund id (run `kongtun check`)",
                    errors.len()
                );
                warnings.push(Diagnostic::warning(DiagnosticKind::Review, file, message));
                None
            }
        };
        Ok(Engine {
            packs,
            main,
            primary,
            warnings,
            max_lines: kongtun_core::document::MAX_LINES_PER_CLAIM,
            fund_names,
        })
    }

    /// Warnings about the packs' dates as of `today`: a fund with no pack in force (its
    /// claims from that day on are rejected), or whose pack in force ends within 60 days
    /// with no next version, so a hospital never finds out from rejected claims.
    pub fn coverage_warnings(&self, today: NaiveDate) -> Vec<Diagnostic> {
        let mut funds: Vec<&FundId> = self.packs.iter().map(|p| &p.fund).collect();
        funds.sort();
        funds.dedup();
        let mut out = Vec::new();
        for fund in funds {
            let versions: Vec<&Pack> = self.packs.iter().filter(|p| p.fund == *fund).collect();
            let newest = versions.iter().max_by_key(|p| p.from).copied();
            let Some(newest) = newest else { continue };
            let warn = |message: String| {
                Diagnostic::warning(DiagnosticKind::Review, newest.file.to_string(), message)
                    .at_opt(newest.effective_pos)
                    .rule(newest.name())
            };
            match versions.iter().find(|p| p.in_force(today)) {
                None => {
                    let ends = newest.to.map_or_else(|| "is not in force yet".to_string(), |to| format!("ended {to}"));
                    out.push(warn(format!(
                        "no {fund} pack is in force today ({today}): the newest {ends}, so {fund} claims dated from then on are rejected; add the next version"
                    )));
                }
                Some(current) => {
                    let next = versions.iter().any(|p| p.from > current.from);
                    if let (Some(to), false) = (current.to, next) {
                        let left = (to - today).num_days();
                        if left <= 60 {
                            out.push(warn(format!(
                                "the {fund} pack in force ends {to}, in {left} days, and no next version is loaded"
                            )));
                        }
                    }
                }
            }
        }
        out
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
        let taken = claim.accident.as_ref().and_then(|a| a.prb_already_paid).unwrap_or(Money::ZERO);
        self.evaluate_taken(claim, as_of, options, taken.max(Money::ZERO), out, observer)
    }

    /// Evaluates a claim whose victim's earlier claims of the same accident may have taken
    /// part of PRB's limits: the tiers pay only what `limits` says is left (with the
    /// accident's `prb_already_paid`), and `limits` then counts what this claim took.
    /// Evaluate a victim's claims in date order (see [`AccidentLimits::order`]).
    ///
    /// ```
    /// # use kongtun_rules::{Engine, Options, accident::AccidentLimits};
    /// # use kongtun_core::{document::{read_claims, Format}, outcome::Outcome};
    /// # let engine = Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap();
    /// let line = |id: &str, setting: &str, dates: &str| format!(
    ///     r#"{{"id":"{id}","hn":"9","setting":"{setting}","fund":"UC",{dates},"adj_rw":"1","diagnoses":["V43.5"],"accident":{{"date":"2025-03-01","role":"passenger","counterparty":true}},"items":[{{"code":"X","category":11,"qty":"1","price":"20000"}}]}}"#
    /// );
    /// let jsonl = [
    ///     line("OP", "op", r#""service_date":"2025-03-01""#),
    ///     line("IP", "ip", r#""an":"68001","service_date":"2025-03-02","discharge_date":"2025-03-05""#),
    /// ]
    /// .join("\n");
    /// let claims: Vec<_> =
    ///     read_claims(&jsonl, "a.jsonl", Format::JsonLines).into_iter().map(|r| r.claim.unwrap()).collect();
    /// let as_of = chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    /// let mut limits = AccidentLimits::new();
    /// let mut out = Outcome::default();
    /// engine.evaluate_sharing(&claims[0], as_of, Options::default(), &mut limits, &mut out).unwrap();
    /// assert_eq!(out.payer_amount("PRB", kongtun_core::outcome::PayerStatus::Claimable).to_string(), "20000.00");
    /// engine.evaluate_sharing(&claims[1], as_of, Options::default(), &mut limits, &mut out).unwrap();
    /// // 10,000 of tier 1 was left for the admission
    /// assert_eq!(out.payer_amount("PRB", kongtun_core::outcome::PayerStatus::Claimable).to_string(), "10000.00");
    /// ```
    pub fn evaluate_sharing(
        &self,
        claim: &Claim,
        as_of: NaiveDate,
        options: Options,
        limits: &mut AccidentLimits,
        out: &mut Outcome,
    ) -> Result<(), EvalError> {
        self.evaluate_taken(claim, as_of, options, limits.taken_before(claim), out, &mut NoObserver)?;
        limits.record(claim, out, |fund| {
            self.primary.iter().any(|i| self.packs[*i].fund == *fund && self.packs[*i].per_accident)
        });
        Ok(())
    }

    /// Evaluates a batch whose claims may share accidents: each victim's claims of one
    /// accident in date order, sharing PRB's limits through `limits` (which then holds what
    /// this batch took, for the next batch); the rest as given. The results are in the
    /// order of `claims`; a claim that fails is an error in its place and takes nothing.
    pub fn evaluate_batch(
        &self,
        claims: &[&Claim],
        as_of: NaiveDate,
        options: Options,
        limits: &mut AccidentLimits,
    ) -> Vec<Result<Outcome, EvalError>> {
        let mut results: Vec<(usize, Result<Outcome, EvalError>)> = AccidentLimits::order(claims)
            .into_iter()
            .map(|i| {
                let mut out = Outcome::default();
                (i, self.evaluate_sharing(claims[i], as_of, options, limits, &mut out).map(|()| out))
            })
            .collect();
        // The order holds every index once: put the results back in the claims' order.
        results.sort_unstable_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }

    /// Evaluates with `taken` already taken from the primaries' limits.
    pub(crate) fn evaluate_taken<O: Observer>(
        &self,
        claim: &Claim,
        as_of: NaiveDate,
        options: Options,
        taken: Money,
        out: &mut Outcome,
        observer: &mut O,
    ) -> Result<(), EvalError> {
        if claim.items.len() > self.max_lines {
            return Err(EvalError::TooLarge { lines: claim.items.len(), max: self.max_lines });
        }
        let date = claim.claim_date();
        // One look-up per claim; a fund as people write it (`UCS`, `บัตรทอง`) is looked up again
        // only when its id has no pack, and the claim evaluated as the fund it names.
        let Some(versions) = self.main.get(&claim.fund) else {
            if let Some(fund) = self.fund_named(claim.fund.as_str()) {
                let named = Claim { fund, ..claim.clone() };
                return self.evaluate_taken(&named, as_of, options, taken, out, observer);
            }
            return Err(self.not_a_main_fund(&claim.fund));
        };
        let main = self.in_force(&claim.fund, versions, date, claim.setting)?;
        let mut primaries: smallvec::SmallVec<[&Pack; 4]> = smallvec::SmallVec::new();
        for i in &self.primary {
            let p = &self.packs[*i];
            if p.in_force(date) && p.fund != claim.fund && self.applies(p, claim)? {
                primaries.push(p);
            }
        }
        evaluate::evaluate(
            &Input { main, primaries: &primaries, claim, as_of, options, primary_taken: taken },
            out,
            observer,
        )
    }

    /// The fund a code or name stands for, through the code map `funds` (`UCS` and `บัตรทอง`
    /// are UC), when it names a fund with a main pack other than itself.
    ///
    /// ```
    /// let engine = kongtun_rules::Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap();
    /// assert_eq!(engine.fund_named("บัตรทอง").unwrap().as_str(), "UC");
    /// assert_eq!(engine.fund_named("ofc").unwrap().as_str(), "CSMBS");
    /// assert!(engine.fund_named("UC").is_none() && engine.fund_named("NOPE").is_none());
    /// ```
    pub fn fund_named(&self, name: &str) -> Option<FundId> {
        let fund = FundId::new(self.fund_names.as_ref()?.get(name)?);
        (fund.as_str() != name && self.main.contains_key(&fund)).then_some(fund)
    }

    /// The main pack of `fund` in force on `date`.
    pub fn main_pack(&self, fund: &FundId, date: NaiveDate, setting: Setting) -> Result<&Pack, EvalError> {
        match self.main.get(fund) {
            Some(versions) => self.in_force(fund, versions, date, setting),
            None => Err(self.not_a_main_fund(fund)),
        }
    }

    /// The version of `fund`'s main pack (`versions`) in force on `date`.
    fn in_force(
        &self,
        fund: &FundId,
        versions: &[usize],
        date: NaiveDate,
        setting: Setting,
    ) -> Result<&Pack, EvalError> {
        let basis = if setting == Setting::Ip { "discharge date" } else { "service date" };
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

    /// Why a fund with no main pack cannot be a claim's main fund: it (or the fund its name
    /// stands for: `พ.ร.บ.`) is a primary payer only, or it is no fund kongtun knows, with
    /// the nearest id or name.
    fn not_a_main_fund(&self, fund: &FundId) -> EvalError {
        let named = self.fund_names.as_ref().and_then(|m| m.get(fund.as_str())).map(FundId::new);
        if let Some(primary) = [Some(fund.clone()), named]
            .into_iter()
            .flatten()
            .find(|f| self.primary.iter().any(|i| self.packs[*i].fund == *f))
        {
            return EvalError::NotMainFund(primary.to_string());
        }
        let mut known: Vec<&str> = self.main.keys().map(FundId::as_str).collect();
        known.sort_unstable();
        // The nearest id or name, ignoring letter case and spaces (`บัตร ทอง`, `uc `).
        let key = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
                .flat_map(char::to_uppercase)
                .collect::<String>()
        };
        let names: Vec<String> = known
            .iter()
            .map(|k| k.to_string())
            .chain(self.fund_names.iter().flat_map(|m| m.codes().chain(m.aliases()).map(|(c, _)| c.to_string())))
            .collect();
        let wanted = key(fund.as_str());
        let suggestion = names.iter().find(|n| key(n) == wanted).cloned().or_else(|| {
            kongtun_core::suggest::closest(&wanted, names.iter().map(String::as_str), 2).map(str::to_string)
        });
        EvalError::UnknownFund { fund: fund.to_string(), suggestion, known: known.join(", ") }
    }

    /// The pack of `payer` in force on `date`: its main pack, or its primary pack (PRB).
    pub fn pack_of(&self, payer: &FundId, date: NaiveDate) -> Option<&Pack> {
        let main = self.main.get(payer).and_then(|v| v.iter().map(|i| &self.packs[*i]).find(|p| p.in_force(date)));
        main.or_else(|| self.primary.iter().map(|i| &self.packs[*i]).find(|p| p.fund == *payer && p.in_force(date)))
    }

    /// The last day a claim is accepted by its payer, by the expiry rule of the payer's pack
    /// in force that fits the claim's setting (`None` when there is none, or when it depends
    /// on the claim's contents).
    pub fn deadline(&self, claim: &ClaimTiming) -> Option<NaiveDate> {
        let pack = self.pack_of(&claim.payer, claim.claim_date)?;
        let expiry = pack.expiry.iter().find(|x| evaluate::fits(x.setting, claim.setting))?;
        evaluate::deadline(expiry, claim.claim_date, claim.accident_date, |days| Ok::<_, ()>(days.constant())).ok()?
    }

    /// Days after the claim date within which a claim is on time, by the late rule of the
    /// payer's pack in force that fits the claim's setting.
    pub fn late_window(&self, claim: &ClaimTiming) -> Option<i64> {
        let pack = self.pack_of(&claim.payer, claim.claim_date)?;
        let late = pack.late.iter().find(|l| evaluate::fits(l.setting, claim.setting))?;
        i64::try_from(late.after_days.constant()?.trunc()).ok()
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
        let test = |e: &Expr| e.test(&ctx).map_err(|f| EvalError::Arithmetic { rule: p.id.to_string(), message: f.0 });
        match p.applies_split.as_ref().filter(|s| s.line.is_empty()) {
            // Its claim tests first (`claim.accident`), then the rest of it.
            Some(split) => split.claim_value(claim, test),
            None => test(cond),
        }
    }
}

impl kongtun_core::calendar::FundCalendar for Engine {
    fn deadline(&self, claim: &ClaimTiming) -> Option<NaiveDate> {
        Engine::deadline(self, claim)
    }
    fn late_window(&self, claim: &ClaimTiming) -> Option<i64> {
        Engine::late_window(self, claim)
    }
}
