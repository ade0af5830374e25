//! Compiling a pack document ([`PackDoc`]) into a [`Pack`], collecting every diagnostic.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use kongtun_core::fund::FundId;
use kongtun_core::outcome::Text;
use kongtun_core::yaml::{Pos, Spanned};
use rust_decimal::Decimal;

use super::code_index::CodeIndex;
use super::model::*;
use crate::error::{Diagnostic, DiagnosticKind};
use crate::expr::{self, Expr, Per, Scope, Type};
use crate::format::{
    CheckDoc, Destination, ExprText, FindingDoc, HitPolicy, Layer, LimitsScope, Ordered, PackDoc, PayDoc, RuleDoc,
    SettingDoc, TableDoc, TextDoc, TierDoc, Unit, WhilePending,
};
use crate::table::{self, Table};

/// Collects the diagnostics of one pack file.
pub struct Reporter {
    /// The file.
    pub file: Arc<str>,
    /// What was found.
    pub found: Vec<Diagnostic>,
}

impl Reporter {
    /// A reporter for `file`.
    pub fn new(file: &str) -> Reporter {
        Reporter { file: Arc::from(file), found: Vec::new() }
    }

    /// Records an error: a rule that cannot work as written.
    pub fn error(&mut self, pos: Option<Pos>, rule: Option<&str>, message: impl Into<String>) {
        self.push(Diagnostic::error(DiagnosticKind::InvalidRule, &*self.file, message), pos, rule);
    }

    /// Records a warning for a reviewer.
    pub fn warn(&mut self, pos: Option<Pos>, rule: Option<&str>, message: impl Into<String>) {
        self.push(Diagnostic::warning(DiagnosticKind::Review, &*self.file, message), pos, rule);
    }

    /// Records a diagnostic of its own kind.
    pub fn push(&mut self, d: Diagnostic, pos: Option<Pos>, rule: Option<&str>) {
        self.found.push(d.at_opt(pos).rule_opt(rule));
    }

    /// True when an error (not a warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.found.iter().any(Diagnostic::is_error)
    }
}

/// Compiles expressions of one pack, remembering which parameters were used.
pub(crate) struct Compiler<'a> {
    pub diag: &'a mut Reporter,
    pub params: Vec<(String, Decimal)>,
    /// The unit of each parameter, for writing its value into a message.
    pub units: Vec<Unit>,
    pub used: BTreeSet<String>,
}

impl Compiler<'_> {
    /// Compiles `text` as `want`, evaluated per claim or per line, with table `outputs` in
    /// scope; reports errors against `owner` and returns `None` on failure.
    pub fn expr(&mut self, text: &ExprText, want: Type, per: Per, outputs: &[String], owner: &str) -> Option<Expr> {
        self.compile(text, Some(want), per, outputs, owner).map(|(e, _)| e)
    }

    /// Like [`Compiler::expr`] for an expression of any type, returning the type found.
    pub fn expr_any(&mut self, text: &ExprText, per: Per, owner: &str) -> Option<(Expr, Type)> {
        self.compile(text, None, per, &[], owner)
    }

    fn compile(
        &mut self,
        text: &ExprText,
        want: Option<Type>,
        per: Per,
        outputs: &[String],
        owner: &str,
    ) -> Option<(Expr, Type)> {
        let mut scope = Scope { params: &self.params, outputs, per, used: BTreeSet::new() };
        let result = expr::compile(&text.value, want, &mut scope);
        self.used.extend(scope.used);
        match result {
            Ok(found) => Some(found),
            Err(e) => {
                let message = format!("{} in `{}`", e.message, text.value);
                self.diag.error(text.pos_at(e.at), Some(owner), message);
                None
            }
        }
    }
}

fn text(doc: &TextDoc) -> Text {
    Text { en: Arc::from(doc.en.as_str()), th: Arc::from(doc.th.as_str()) }
}

impl Compiler<'_> {
    /// A finding message with every `{param}` replaced by the parameter's value in its unit
    /// (`{late_penalty}` -> `5%`), so a message can never disagree with the figure the
    /// evaluation uses; `{{` and `}}` are braces. An unknown name is a load error.
    fn message(&mut self, doc: &TextDoc, owner: &str) -> Text {
        let en = self.fill(&doc.en, owner);
        let th = self.fill(&doc.th, owner);
        Text { en: Arc::from(en.as_str()), th: Arc::from(th.as_str()) }
    }

    fn fill(&mut self, template: &str, owner: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            let close = tail.find('}').filter(|_| tail.starts_with('{'));
            let Some(close) = close else {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
                continue;
            };
            let name = tail[1..close].trim();
            match self.params.iter().position(|(n, _)| n == name) {
                Some(k) => {
                    self.used.insert(name.to_string());
                    out.push_str(&show(self.params[k].1, self.units[k]));
                }
                None => {
                    let known = self.params.iter().map(|(n, _)| n.as_str());
                    let hint = kongtun_core::suggest::closest(name, known, 3)
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    self.diag.error(
                        None,
                        Some(owner),
                        format!("message names `{{{name}}}`, which is not a parameter{hint}"),
                    );
                    out.push_str(&tail[..=close]);
                }
            }
            rest = &tail[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// A parameter's value as a message shows it: `5%`, `30`, `30,000`, `8,350.50`.
fn show(value: Decimal, unit: Unit) -> String {
    let number = if value.fract().is_zero() {
        let whole = value.trunc().to_string();
        let (sign, digits) = whole.strip_prefix('-').map_or(("", whole.as_str()), |d| ("-", d));
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 && matches!(unit, Unit::Baht | Unit::BahtPerAdjrw) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}")
    } else if matches!(unit, Unit::Baht | Unit::BahtPerAdjrw) {
        kongtun_core::money::Money::rounded(value).grouped()
    } else {
        value.normalize().to_string()
    };
    match unit {
        Unit::Percent => format!("{number}%"),
        _ => number,
    }
}

/// The range a parameter's unit allows, or what is wrong with `value` for it.
fn out_of_range(value: Decimal, unit: Unit) -> Option<String> {
    match unit {
        Unit::Percent if value > Decimal::ONE_HUNDRED => {
            Some(format!("{value}% is above 100: a percentage is 0 to 100"))
        }
        Unit::Days | Unit::Count if !value.fract().is_zero() => Some(format!(
            "{value} is not a whole number: {unit} are counted in whole numbers",
            unit = if unit == Unit::Days { "days" } else { "counts" }
        )),
        Unit::Days if value > Decimal::from(36_500) => Some(format!("{value} days is over 100 years")),
        _ => None,
    }
}

/// Compiles a pack document; `None` if it has errors (all recorded in `diag`).
pub fn compile(doc: PackDoc, hash: &str, diag: &mut Reporter) -> Option<Pack> {
    let id = doc.id.value.trim().to_string();
    if doc.kind.value != "fund-pack" {
        diag.error(doc.kind.pos, None, format!("kind `{}`: expected `fund-pack`", doc.kind.value));
    }
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
        diag.error(doc.id.pos, None, format!("pack id `{id}`: expected lower-case letters, digits, `-` or `_`"));
    }
    if let Some(to) = doc.effective.to {
        if to < doc.effective.from {
            diag.error(None, Some(&id), format!("effective.to {to} is before effective.from {}", doc.effective.from));
        }
    }
    let mut params = Vec::new();
    let mut declared: Vec<(String, Decimal)> = Vec::new();
    for (name, p) in &doc.params.0 {
        if declared.iter().any(|(n, _)| *n == name.value) {
            diag.error(name.pos, Some(&name.value), "parameter declared twice");
            continue;
        }
        if !name.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.value.contains('.') {
            diag.error(name.pos, Some(&name.value), "parameter names use letters, digits and `_`");
        }
        if p.value.is_sign_negative() {
            diag.error(
                name.pos,
                Some(&name.value),
                format!("value {} is negative: rates and limits are 0 or more", p.value),
            );
        }
        if let Some(problem) = out_of_range(p.value, p.unit) {
            diag.error(name.pos, Some(&name.value), problem);
        }
        if p.value.abs() > kongtun_core::money::MAX_AMOUNT {
            diag.error(name.pos, Some(&name.value), format!("value {} is above 10,000,000,000", p.value));
        }
        if p.carried_forward {
            diag.warn(
                name.pos,
                Some(&name.value),
                format!(
                    "{} {} is taken from another version of this pack: no figure for this version was found; confirm it when one is published",
                    p.value, p.unit
                ),
            );
        }
        if p.example {
            diag.warn(
                name.pos,
                Some(&name.value),
                format!("{} {} is an example value: replace it with the current official figure", p.value, p.unit),
            );
        }
        declared.push((name.value.clone(), p.value));
        params.push(Param {
            name: name.value.clone(),
            value: p.value,
            unit: p.unit,
            example: p.example,
            carried_forward: p.carried_forward,
            source: p.source.clone(),
            pos: name.pos,
        });
    }
    let units = params.iter().map(|p| p.unit).collect();
    let mut c = Compiler { diag, params: declared, units, used: BTreeSet::new() };

    let mut tables = Vec::new();
    for (name, t) in &doc.tables.0 {
        if let Some(table) = compile_table(&name.value, name.pos, t, &mut c) {
            tables.push(table);
        }
    }

    let excess = match (doc.layer, doc.excess) {
        (_, Some(d)) => d,
        (Layer::Main, None) => {
            c.diag.error(
                doc.id.pos,
                Some(&id),
                "missing `excess:` (patient or difference): where money above a cap goes",
            );
            Destination::Difference
        }
        (Layer::Primary, None) => Destination::Difference,
    };

    let mut ids: HashMap<String, Option<Pos>> = HashMap::new();
    let mut claim_id = |sid: &Spanned<String>, diag: &mut Reporter| {
        if let Some(first) = ids.get(&sid.value) {
            let at = first.map(|p| format!(" (first at line {})", p.line)).unwrap_or_default();
            diag.error(sid.pos, Some(&sid.value), format!("duplicate rule id{at}"));
        }
        ids.insert(sid.value.clone(), sid.pos);
    };

    let mut rules = Vec::new();
    for r in &doc.rules {
        claim_id(&r.id, c.diag);
        if let Some(rule) = compile_rule(r, &tables, &doc.tables, excess, &mut c) {
            rules.push(rule);
        }
    }
    let mut tiers = Vec::new();
    for t in &doc.tiers {
        claim_id(&t.id, c.diag);
        if let Some(tier) = compile_tier(t, &mut c) {
            tiers.push(tier);
        }
    }
    let mut checks = Vec::new();
    for ch in &doc.checks {
        claim_id(&ch.id, c.diag);
        if let Some(check) = compile_check(ch, &mut c) {
            checks.push(check);
        }
    }

    match doc.layer {
        Layer::Main => {
            if rules.is_empty() && doc.rules.is_empty() {
                c.diag.error(doc.id.pos, Some(&id), "a main pack needs `rules:` to price lines");
            }
            if !doc.tiers.is_empty() {
                c.diag.error(doc.id.pos, Some(&id), "`tiers:` belong to primary packs (layer: primary)");
            }
            if doc.applies.is_some() || doc.covers.is_some() || doc.limits != LimitsScope::Claim {
                c.diag.error(
                    doc.id.pos,
                    Some(&id),
                    "`applies:`, `covers:` and `limits:` belong to primary packs (layer: primary)",
                );
            }
        }
        Layer::Primary => {
            if doc.tiers.is_empty() {
                c.diag.error(doc.id.pos, Some(&id), "a primary pack needs `tiers:`");
            }
            if !doc.rules.is_empty() {
                c.diag.error(doc.id.pos, Some(&id), "`rules:` belong to main packs; a primary pack pays in `tiers:`");
            }
            if doc.applies.is_none() {
                c.diag.error(doc.id.pos, Some(&id), "a primary pack needs `applies:` (which claims it pays first)");
            }
        }
    }
    let applies = doc.applies.as_ref().and_then(|a| c.expr(a, Type::Bool, Per::Claim, &[], &id));
    let covers = match &doc.covers {
        Some(cv) => c.expr(cv, Type::Bool, Per::Line, &[], &id),
        None => Some(Expr::Field(expr::Field::Claimable)),
    };

    let (mut late, mut expiry) = (Vec::new(), Vec::new());
    if let Some(t) = &doc.timeliness {
        for l in &t.late {
            claim_id(&l.id, c.diag);
            let after_days = c.expr(&l.after_days, Type::Num, Per::Claim, &[], &l.id.value);
            let penalty_percent = c.expr(&l.penalty_percent, Type::Num, Per::Claim, &[], &l.id.value);
            if let (Some(after_days), Some(penalty_percent)) = (after_days, penalty_percent) {
                let finding = finding(&l.finding, &mut c, &l.id.value);
                let setting = l.setting.map(SettingDoc::setting);
                let warn_before = l.warn_before.as_ref().and_then(|w| {
                    let days = c.expr(&w.days, Type::Num, Per::Claim, &[], &l.id.value)?;
                    Some((days, self::finding(&w.finding, &mut c, &l.id.value)))
                });
                late.push(Late { id: arc(&l.id.value), setting, after_days, penalty_percent, finding, warn_before });
            }
        }
        for x in &t.expiry {
            claim_id(&x.id, c.diag);
            let given = [
                x.fiscal_years_after.is_some(),
                x.months_after_fiscal_year.is_some(),
                x.months_after.is_some(),
                x.days_after.is_some(),
            ];
            let deadline = if given.iter().filter(|g| **g).count() != 1 {
                c.diag.error(
                    x.id.pos,
                    Some(&x.id.value),
                    "expiry needs exactly one of `fiscal_years_after`, `months_after_fiscal_year`, `months_after` or `days_after`",
                );
                None
            } else if let Some(n) = &x.fiscal_years_after {
                Some(Deadline::FiscalYears(n.value))
            } else if let Some(n) = &x.months_after_fiscal_year {
                Some(Deadline::MonthsAfterFiscalYear(n.value))
            } else if let Some(n) = &x.months_after {
                Some(Deadline::Months(n.value))
            } else {
                x.days_after
                    .as_ref()
                    .and_then(|d| c.expr(d, Type::Num, Per::Claim, &[], &x.id.value))
                    .map(Deadline::Days)
            };
            let mut for_tiers = Vec::new();
            for t in x.tiers.iter().flatten() {
                if doc.layer != Layer::Primary {
                    c.diag.error(t.pos, Some(&x.id.value), "`tiers:` of an expiry belong to primary packs");
                } else if !doc.tiers.iter().any(|d| d.id.value == t.value) {
                    let known: Vec<&str> = doc.tiers.iter().map(|d| d.id.value.as_str()).collect();
                    c.diag.error(
                        t.pos,
                        Some(&x.id.value),
                        format!("no tier `{}` in this pack; its tiers: {}", t.value, known.join(", ")),
                    );
                } else {
                    for_tiers.push(arc(&t.value));
                }
            }
            if let Some(deadline) = deadline {
                let finding = finding(&x.finding, &mut c, &x.id.value);
                let setting = x.setting.map(SettingDoc::setting);
                expiry.push(Expiry {
                    id: arc(&x.id.value),
                    setting,
                    from: x.from,
                    deadline,
                    tiers: for_tiers,
                    finding,
                });
            }
        }
    }

    let pays_while_pending = match &doc.after_primary {
        Some(a) if doc.layer == Layer::Primary => {
            c.diag.error(
                a.id.pos,
                Some(&a.id.value),
                "`after_primary:` belongs to main packs: the hand-off is the main fund's",
            );
            None
        }
        Some(a) => {
            claim_id(&a.id, c.diag);
            let finding = a.finding.as_ref().map(|f| finding(f, &mut c, &a.id.value));
            (a.while_pending == WhilePending::Pay).then(|| PaysWhilePending { id: arc(&a.id.value), finding })
        }
        None => None,
    };

    let expected_payment = match &doc.expected_payment {
        Some(x) if doc.layer == Layer::Primary => {
            c.diag.error(x.id.pos, Some(&x.id.value), "`expected_payment:` belongs to main packs");
            None
        }
        Some(x) => {
            claim_id(&x.id, c.diag);
            if x.drg_rate.is_empty() {
                c.diag.error(x.id.pos, Some(&x.id.value), "`drg_rate:` needs at least the announced rate");
            }
            if x.drg_rate.windows(2).any(|w| w[0].from >= w[1].from) {
                c.diag.error(
                    x.id.pos,
                    Some(&x.id.value),
                    "`drg_rate:` dates must increase: each entry is a later re-run",
                );
            }
            if let Some(bad) = x.drg_rate.iter().find(|r| r.value <= Decimal::ZERO) {
                c.diag.error(
                    x.id.pos,
                    Some(&x.id.value),
                    format!("drg_rate from {}: {} is not above 0", bad.from, bad.value),
                );
            }
            if !rules.iter().any(|r| matches!(r.pricing.base, PriceBase::Drg(_))) {
                c.diag.warn(x.id.pos, Some(&x.id.value), "`expected_payment:` has no DRG rule to apply to");
            }
            Some(ExpectedPayment {
                id: arc(&x.id.value),
                drg_rate: x.drg_rate.iter().map(|r| (r.from, r.value)).collect(),
            })
        }
        None => None,
    };

    for p in &params {
        if !c.used.contains(&p.name) {
            c.diag.warn(p.pos, Some(&p.name), "parameter is never used");
        }
    }
    for t in &tables {
        if !rules.iter().any(|r| r.table == tables.iter().position(|x| x.name == t.name)) {
            c.diag.warn(t.pos, Some(&t.name), "table is never looked up by a rule");
        }
    }
    if c.diag.has_errors() {
        return None;
    }
    let version = doc.version.value.trim().to_string();
    let code_index = CodeIndex::build(&mut rules, &mut checks, &tables);
    Some(Pack {
        label: Arc::from(format!("{id}@{version} {hash}")),
        id: arc(&id),
        fund: FundId::new(&doc.fund.value),
        version: arc(&version),
        file: c.diag.file.clone(),
        title: doc.title.as_ref().map(text),
        from: doc.effective.from,
        to: doc.effective.to,
        layer: doc.layer,
        applies_split: applies.as_ref().map(expr::Split::of),
        applies,
        covers: covers.unwrap_or(Expr::Bool(false)),
        per_accident: doc.limits == LimitsScope::Accident,
        excess,
        params,
        tables,
        rules,
        tiers,
        checks,
        late,
        expiry,
        pays_while_pending,
        expected_payment,
        builtin: Builtin::for_pack(&id),
        code_index,
        effective_pos: None,
    })
}

fn finding(doc: &FindingDoc, c: &mut Compiler<'_>, owner: &str) -> FindingSpec {
    FindingSpec {
        code: arc(&doc.code.value),
        severity: doc.severity,
        message: c.message(&doc.message, owner),
        fix: doc.fix.as_ref().map(|f| c.message(f, owner)),
    }
}

fn compile_table(name: &str, pos: Option<Pos>, doc: &TableDoc, c: &mut Compiler<'_>) -> Option<Table> {
    let owner = format!("table {name}");
    let mut inputs = Vec::new();
    for (input, text) in &doc.inputs.0 {
        if let Some((e, ty)) = c.expr_any(text, Per::Line, &owner) {
            inputs.push((input.value.clone(), e, ty));
        }
    }
    if inputs.len() != doc.inputs.0.len() {
        return None;
    }
    table::compile(name, pos, doc.hit == HitPolicy::Unique, inputs, &doc.rows, c)
}

fn compile_rule(
    r: &RuleDoc,
    tables: &[Table],
    declared: &Ordered<TableDoc>,
    excess: Destination,
    c: &mut Compiler<'_>,
) -> Option<Rule> {
    let id = r.id.value.as_str();
    let table = match &r.lookup {
        Some(name) => match tables.iter().position(|t| t.name == name.value) {
            Some(i) => Some(i),
            // The table is declared but did not compile: its own errors say why.
            None if declared.0.iter().any(|(n, _)| n.value == name.value) => return None,
            None => {
                let known: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
                c.diag.error(
                    name.pos,
                    Some(id),
                    format!("lookup of unknown table `{}`; tables are: {}", name.value, known.join(", ")),
                );
                return None;
            }
        },
        None => None,
    };
    let outputs: Vec<String> = table.map(|i| tables[i].outputs.clone()).unwrap_or_default();
    let warn_unknown_codes = |when: &Expr, c: &mut Compiler<'_>| {
        let Some(t) = table.map(|i| &tables[i]) else { return };
        let Some(input) = t.inputs.iter().position(|(_, e, _)| *e == Expr::Field(expr::Field::Code)) else { return };
        let Some(known) = t.known_texts(input) else { return };
        let mut named = Vec::new();
        when.literals_of(expr::Field::Code, &mut named);
        for code in named.iter().filter(|code| !known.contains(&&***code)) {
            let pos = r.when.as_ref().and_then(|w| w.pos);
            c.diag.warn(
                pos,
                Some(id),
                format!(
                    "names code `{code}`, which table {} has no row for: the rule can never take such a line",
                    t.name
                ),
            );
        }
    };
    let pay_pos = r.pay.pos;
    let (base, terms) = match &r.pay.value {
        PayDoc::Word(w) => match w.value.as_str() {
            "charged" => (Some(PriceBase::Charged), None),
            "nothing" => (Some(PriceBase::Nothing), None),
            other => {
                c.diag.error(
                    pay_pos,
                    Some(id),
                    format!("pay `{other}`: expected `charged`, `nothing` or terms such as {{per_unit: rate}}"),
                );
                return None;
            }
        },
        PayDoc::Terms(t) => (None, Some(t)),
    };
    let is_drg = terms.as_ref().is_some_and(|t| t.drg.is_some());
    let when_context = if is_drg { Per::Claim } else { Per::Line };
    let when = r.when.as_ref().map(|w| c.expr(w, Type::Bool, when_context, &outputs, id));
    if matches!(when, Some(None)) {
        return None;
    }
    if let Some(Some(w)) = &when {
        warn_unknown_codes(w, c);
    }
    let pricing = match (base, terms) {
        (Some(base), _) => Pricing { base, caps: Vec::new(), percent: None },
        (None, Some(t)) => {
            let bases = [t.per_unit.is_some(), t.tiered.is_some(), t.drg.is_some()].iter().filter(|b| **b).count();
            if bases > 1 {
                c.diag.error(pay_pos, Some(id), "pay has more than one of per_unit, tiered, drg: choose one");
                return None;
            }
            let grouped = t.per_day.is_some() || t.per_week.is_some() || t.per_month.is_some() || t.per_claim.is_some();
            if t.drg.is_some() && (grouped || t.percent.is_some()) {
                c.diag.error(
                    pay_pos,
                    Some(id),
                    "drg pays once per claim and takes no per_day, per_week, per_month, per_claim or percent",
                );
                return None;
            }
            if r.lookup.is_some() && t.drg.is_some() {
                c.diag.error(pay_pos, Some(id), "drg rules take no lookup");
                return None;
            }
            let num = |c: &mut Compiler<'_>, e: &ExprText, ctx: Per| c.expr(e, Type::Num, ctx, &outputs, id);
            let base = if let Some(e) = &t.per_unit {
                PriceBase::PerUnit(num(c, e, Per::Line)?)
            } else if let Some(fnx) = &t.tiered {
                PriceBase::Tiered(num(c, &fnx.first, Per::Line)?, num(c, &fnx.next, Per::Line)?)
            } else if let Some(e) = &t.drg {
                PriceBase::Drg(num(c, e, Per::Claim)?)
            } else {
                PriceBase::Charged
            };
            let mut caps = Vec::new();
            if let Some(fnx) = &t.per_day {
                caps.push(GroupCap::Day(num(c, &fnx.first, Per::Claim)?, num(c, &fnx.next, Per::Claim)?));
            }
            if let Some(e) = &t.per_week {
                caps.push(GroupCap::Week(num(c, e, Per::Claim)?));
            }
            if let Some(e) = &t.per_month {
                caps.push(GroupCap::Month(num(c, e, Per::Claim)?));
            }
            if let Some(e) = &t.per_claim {
                caps.push(GroupCap::Claim(num(c, e, Per::Claim)?));
            }
            let percent = match &t.percent {
                Some(e) => Some(num(c, e, Per::Line)?),
                None => None,
            };
            Pricing { base, caps, percent }
        }
        (None, None) => return None,
    };
    let when = when.flatten();
    Some(Rule {
        id: arc(id),
        when_split: when.as_ref().map(expr::Split::of),
        when,
        when_src: r.when.as_ref().map(|w| arc(&w.value)),
        table,
        code_bit: None,
        pricing,
        rest: r.rest.unwrap_or(excess),
    })
}

fn compile_tier(t: &TierDoc, c: &mut Compiler<'_>) -> Option<Tier> {
    let id = t.id.value.as_str();
    let limit = c.expr(&t.limit, Type::Num, Per::Claim, &[], id);
    let when = t.when.as_ref().map(|w| c.expr(w, Type::Bool, Per::Claim, &[], id));
    let pending_when = t.pending_when.as_ref().map(|w| c.expr(w, Type::Bool, Per::Claim, &[], id));
    if matches!(when, Some(None)) || matches!(pending_when, Some(None)) {
        return None;
    }
    Some(Tier {
        id: arc(id),
        limit: limit?,
        when: when.flatten(),
        pending_when: pending_when.flatten(),
        when_src: t.when.as_ref().map(|w| arc(&w.value)),
    })
}

fn compile_check(ch: &CheckDoc, c: &mut Compiler<'_>) -> Option<Check> {
    let id = ch.id.value.as_str();
    let code = ch.code.value.as_str();
    if code.is_empty() || !code.chars().all(|x| x.is_ascii_uppercase() || x.is_ascii_digit() || x == '_') {
        c.diag.error(ch.code.pos, Some(id), format!("finding code `{code}`: expected UPPER_SNAKE_CASE, e.g. NO_ADJRW"));
    }
    let per_line = ch.each.is_some();
    let context = if per_line { Per::Line } else { Per::Claim };
    let when = c.expr(&ch.when, Type::Bool, context, &[], id)?;
    Some(Check {
        id: arc(id),
        code: arc(code),
        severity: ch.severity,
        per_line,
        holds: ch.holds,
        when_split: expr::Split::of(&when),
        when,
        when_src: arc(&ch.when.value),
        code_bit: None,
        message: c.message(&ch.message, id),
        fix: ch.fix.as_ref().map(|f| c.message(f, id)),
    })
}
