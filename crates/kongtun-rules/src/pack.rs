//! A compiled rule pack: every expression type-checked and compiled, every parameter
//! resolved to its value, every table indexed. Built once by [`compile`]; read-only after.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::outcome::{Severity, Text};
use kongtun_core::yaml::{Pos, Spanned};
use rust_decimal::Decimal;

use crate::error::{Level, LoadError};
use crate::expr::{self, Context, Expr, Scope, Type};
use crate::format::{
    CheckDoc, Dest, ExprText, FindingDoc, HitPolicy, Layer, Ordered, PackDoc, PayDoc, RuleDoc, TableDoc, TextDoc,
    TierDoc, Unit,
};
use crate::table::{self, Table};

/// A compiled pack version.
#[derive(Debug)]
pub struct Pack {
    /// Pack id: `uc`.
    pub id: Arc<str>,
    /// The fund it decides for.
    pub fund: FundId,
    /// Version label: `2568`.
    pub version: Arc<str>,
    /// `uc@2568 <sha256 of the file>`: names exactly the rules that produced a number.
    pub label: Arc<str>,
    /// The file it came from.
    pub file: Arc<str>,
    /// What it is.
    pub title: Option<Text>,
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force (inclusive); `None` = open-ended.
    pub to: Option<NaiveDate>,
    /// Main or primary.
    pub layer: Layer,
    /// Primary packs: the claims they pay first for.
    pub applies: Option<Expr>,
    /// Primary packs: the lines the tiers cover.
    pub covers: Expr,
    /// Default destination of money above a cap.
    pub excess: Dest,
    /// Parameters, as written.
    pub params: Vec<Param>,
    /// Decision tables.
    pub tables: Vec<Table>,
    /// Pricing rules, in order.
    pub rules: Vec<Rule>,
    /// Payment tiers, in order.
    pub tiers: Vec<Tier>,
    /// Checks.
    pub checks: Vec<Check>,
    /// Late penalty.
    pub late: Option<Late>,
    /// Expiry.
    pub expiry: Option<Expiry>,
    /// Ids and messages of the engine's own entries, built once so evaluation never allocates them.
    pub builtin: Builtin,
    /// Which pricing rules can take a line, by the line's code.
    pub code_index: CodeIndex,
    /// Where the `effective:` range is written (set by the loader).
    pub effective_pos: Option<Pos>,
}

/// For each line code, the pricing rules (bits by rule position, the first 64) that can take
/// a line with that code: rules whose condition starts with a code test, or whose table rows
/// all name their codes. The others may take any line. Evaluation then skips, without
/// testing anything, the lines a rule could never take.
#[derive(Debug, Default)]
pub struct CodeIndex {
    by_code: HashMap<Box<str>, u64, foldhash::fast::FixedState>,
}

impl CodeIndex {
    /// The bits of the rules that name `code`.
    pub fn mask(&self, code: &str) -> u64 {
        self.by_code.get(code).copied().unwrap_or(0)
    }

    /// True when no rule is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    fn build(rules: &mut [Rule], tables: &[Table]) -> CodeIndex {
        let mut index = CodeIndex::default();
        for (r, rule) in rules.iter_mut().enumerate().take(64) {
            if matches!(rule.pricing.base, Base::Drg(_)) {
                continue;
            }
            let codes: Option<Vec<&str>> = match rule.table {
                Some(t) => tables[t].exact_codes().map(Iterator::collect),
                // Only with no claim-level part first: its value (or fault) must not be skipped.
                None => match rule.when_split.as_ref() {
                    Some(expr::Split { claim: None, line }) => match line.first() {
                        Some(expr::Conjunct::Fast(expr::LineTest::Codes(codes))) => {
                            Some(codes.iter().map(|c| &**c).collect())
                        }
                        _ => None,
                    },
                    _ => None,
                },
            };
            if let Some(codes) = codes {
                let bit = 1u64 << r;
                for code in codes {
                    *index.by_code.entry(Box::from(code)).or_default() |= bit;
                }
                rule.code_bit = Some(bit);
            }
        }
        index
    }
}

/// The engine's own trace ids and finding, shared by every claim.
#[derive(Debug)]
pub struct Builtin {
    /// Rule id of the coordination-of-benefits adjustment.
    pub cob: Arc<str>,
    /// Rule id and finding code of lines no rule priced.
    pub unpriced: Arc<str>,
    /// Finding code `UNPRICED`.
    pub unpriced_code: Arc<str>,
    /// Its message.
    pub unpriced_message: Text,
}

impl Builtin {
    fn for_pack(id: &str) -> Builtin {
        Builtin {
            cob: arc(crate::evaluate::COB_RULE),
            unpriced: arc(crate::evaluate::UNPRICED_RULE),
            unpriced_code: arc("UNPRICED"),
            unpriced_message: Text {
                en: arc(&format!("no rule of {id} priced these lines; their charges go to the difference")),
                th: arc(&format!("ไม่มีกฎของ {id} กำหนดราคารายการเหล่านี้ ยอดเรียกเก็บถูกบันทึกเป็นส่วนต่าง")),
            },
        }
    }
}

/// A named value.
#[derive(Clone, Debug)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Value.
    pub value: Decimal,
    /// Unit.
    pub unit: Unit,
    /// An example to replace with the current official figure.
    pub example: bool,
    /// Where it comes from.
    pub source: Option<String>,
    /// Where it is declared.
    pub pos: Option<Pos>,
}

/// A pricing rule.
#[derive(Debug)]
pub struct Rule {
    /// Id.
    pub id: Arc<str>,
    /// Which lines (or, for DRG, which claims) it takes.
    pub when: Option<Expr>,
    /// The condition as written (for explanations).
    pub when_src: Option<Arc<str>>,
    /// `when`, split for speed (same meaning, same faults).
    pub when_split: Option<expr::Split>,
    /// The table the line must hit.
    pub table: Option<usize>,
    /// This rule's bit in [`Pack::code_index`], when it can only take lines with the codes
    /// indexed there (set when the pack compiles).
    pub code_bit: Option<u64>,
    /// How it pays.
    pub pricing: Pricing,
    /// Where the unpaid part goes.
    pub rest: Dest,
    /// Where it is declared.
    pub pos: Option<Pos>,
}

/// The base of a rule's payment.
#[derive(Debug)]
pub enum Base {
    /// As charged.
    Charged,
    /// Nothing (capitation, not claimable).
    Nothing,
    /// qty x min(price, rate).
    PerUnit(Expr),
    /// min(charged, first + next x (qty - 1)).
    Tiered(Expr, Expr),
    /// Adj.RW x rate, once per claim.
    Drg(Expr),
}

/// A rule's pricing: a base, then group caps, then a percentage.
#[derive(Debug)]
pub struct Pricing {
    /// Per-line base.
    pub base: Base,
    /// Cap per day: earliest day, later days.
    pub per_day: Option<(Expr, Expr)>,
    /// Cap per ISO week.
    pub per_week: Option<Expr>,
    /// Percentage of the allowed amount paid.
    pub percent: Option<Expr>,
}

/// A payment tier.
#[derive(Debug)]
pub struct Tier {
    /// Id.
    pub id: Arc<str>,
    /// Most it pays.
    pub limit: Expr,
    /// When it pays.
    pub when: Option<Expr>,
    /// While true, its amount is pending.
    pub pending_when: Option<Expr>,
    /// The conditions as written (for explanations).
    pub when_src: Option<Arc<str>>,
}

/// A check.
#[derive(Debug)]
pub struct Check {
    /// Rule id.
    pub id: Arc<str>,
    /// Finding code.
    pub code: Arc<str>,
    /// Severity.
    pub severity: Severity,
    /// Evaluated per line.
    pub per_line: bool,
    /// Condition.
    pub when: Expr,
    /// `when`, split for speed (same meaning, same faults).
    pub when_split: expr::Split,
    /// The condition as written (for explanations).
    pub when_src: Arc<str>,
    /// Message.
    pub message: Text,
}

/// A finding template raised by timeliness.
#[derive(Debug)]
pub struct FindingSpec {
    /// Code.
    pub code: Arc<str>,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: Text,
}

/// Late penalty.
#[derive(Debug)]
pub struct Late {
    /// Rule id.
    pub id: Arc<str>,
    /// Window in days after the claim date.
    pub after_days: Expr,
    /// Percentage cut.
    pub penalty_percent: Expr,
    /// Finding.
    pub finding: FindingSpec,
}

/// How the deadline is set.
#[derive(Debug)]
pub enum Deadline {
    /// 30 Sep of the claim's fiscal year + n.
    FiscalYears(u32),
    /// Claim date + days.
    Days(Expr),
}

/// Expiry.
#[derive(Debug)]
pub struct Expiry {
    /// Rule id.
    pub id: Arc<str>,
    /// The deadline.
    pub deadline: Deadline,
    /// Finding.
    pub finding: FindingSpec,
}

impl Pack {
    /// True when `date` falls in the pack's effective range.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    /// A parameter's value by name.
    pub fn param(&self, name: &str) -> Option<Decimal> {
        self.params.iter().find(|p| p.name == name).map(|p| p.value)
    }
}

/// Collects diagnostics for one file.
pub struct Diag {
    /// The file.
    pub file: Arc<str>,
    /// What was found.
    pub found: Vec<LoadError>,
}

impl Diag {
    /// Records an error.
    pub fn error(&mut self, pos: Option<Pos>, rule: Option<&str>, message: impl Into<String>) {
        self.push(Level::Error, pos, rule, message.into());
    }

    /// Records a warning.
    pub fn warn(&mut self, pos: Option<Pos>, rule: Option<&str>, message: impl Into<String>) {
        self.push(Level::Warning, pos, rule, message.into());
    }

    fn push(&mut self, level: Level, pos: Option<Pos>, rule: Option<&str>, message: String) {
        self.found.push(LoadError { level, file: self.file.to_string(), pos, rule: rule.map(str::to_string), message });
    }

    /// True when an error (not a warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.found.iter().any(|e| e.level == Level::Error)
    }
}

/// Compiles expressions of one pack, remembering which parameters were used.
pub(crate) struct Compiler<'a> {
    pub diag: &'a mut Diag,
    pub params: Vec<(String, Decimal)>,
    pub used: BTreeSet<String>,
}

impl Compiler<'_> {
    /// Compiles `text` as `want` in `context`, with table `outputs` in scope; reports errors
    /// against `owner` and returns `None` on failure.
    pub fn expr(
        &mut self,
        text: &ExprText,
        want: Type,
        context: Context,
        outputs: &[String],
        owner: &str,
    ) -> Option<Expr> {
        let mut scope = Scope { params: &self.params, outputs, context, used: BTreeSet::new() };
        let result = expr::compile(&text.value, want, &mut scope);
        self.used.extend(scope.used);
        match result {
            Ok(e) => Some(e),
            Err(e) => {
                let message = format!("{} in `{}`", e.message, text.value);
                self.diag.error(text.pos_at(e.at), Some(owner), message);
                None
            }
        }
    }
}

impl Compiler<'_> {
    /// Like [`Compiler::expr`] for an expression of any type.
    pub fn expr_any(&mut self, text: &ExprText, context: Context, owner: &str) -> Option<(Expr, Type)> {
        let mut scope = Scope { params: &self.params, outputs: &[], context, used: BTreeSet::new() };
        let result = expr::compile_any(&text.value, &mut scope);
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

/// Compiles a pack document; `None` if it has errors (all recorded in `diag`).
pub fn compile(doc: PackDoc, hash: &str, diag: &mut Diag) -> Option<Pack> {
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
        if p.value.abs() > kongtun_core::money::MAX_AMOUNT {
            diag.error(name.pos, Some(&name.value), format!("value {} is above 10,000,000,000", p.value));
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
            source: p.source.clone(),
            pos: name.pos,
        });
    }
    let mut c = Compiler { diag, params: declared, used: BTreeSet::new() };

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
            Dest::Difference
        }
        (Layer::Primary, None) => Dest::Difference,
    };

    let mut ids: HashMap<String, Option<Pos>> = HashMap::new();
    let mut claim_id = |sid: &Spanned<String>, diag: &mut Diag| {
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
            if doc.applies.is_some() || doc.covers.is_some() {
                c.diag.error(
                    doc.id.pos,
                    Some(&id),
                    "`applies:` and `covers:` belong to primary packs (layer: primary)",
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
    let applies = doc.applies.as_ref().and_then(|a| c.expr(a, Type::Bool, Context::Claim, &[], &id));
    let covers = match &doc.covers {
        Some(cv) => c.expr(cv, Type::Bool, Context::Line, &[], &id),
        None => Some(Expr::Field(expr::Field::Claimable)),
    };

    let (mut late, mut expiry) = (None, None);
    if let Some(t) = &doc.timeliness {
        if let Some(l) = &t.late {
            claim_id(&l.id, c.diag);
            let after_days = c.expr(&l.after_days, Type::Num, Context::Claim, &[], &l.id.value);
            let penalty_percent = c.expr(&l.penalty_percent, Type::Num, Context::Claim, &[], &l.id.value);
            if let (Some(after_days), Some(penalty_percent)) = (after_days, penalty_percent) {
                late = Some(Late { id: arc(&l.id.value), after_days, penalty_percent, finding: finding(&l.finding) });
            }
        }
        if let Some(x) = &t.expiry {
            claim_id(&x.id, c.diag);
            let deadline = match (&x.fiscal_years_after, &x.days_after) {
                (Some(n), None) => Some(Deadline::FiscalYears(n.value)),
                (None, Some(d)) => c.expr(d, Type::Num, Context::Claim, &[], &x.id.value).map(Deadline::Days),
                _ => {
                    c.diag.error(
                        x.id.pos,
                        Some(&x.id.value),
                        "expiry needs exactly one of `fiscal_years_after` or `days_after`",
                    );
                    None
                }
            };
            if let Some(deadline) = deadline {
                expiry = Some(Expiry { id: arc(&x.id.value), deadline, finding: finding(&x.finding) });
            }
        }
    }

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
    let code_index = CodeIndex::build(&mut rules, &tables);
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
        applies,
        covers: covers.unwrap_or(Expr::Bool(false)),
        excess,
        params,
        tables,
        rules,
        tiers,
        checks,
        late,
        expiry,
        builtin: Builtin::for_pack(&id),
        code_index,
        effective_pos: None,
    })
}

fn arc(s: &str) -> Arc<str> {
    Arc::from(s)
}

fn finding(doc: &FindingDoc) -> FindingSpec {
    FindingSpec { code: arc(&doc.code.value), severity: doc.severity, message: text(&doc.message) }
}

fn compile_table(name: &str, pos: Option<Pos>, doc: &TableDoc, c: &mut Compiler<'_>) -> Option<Table> {
    let owner = format!("table {name}");
    let mut inputs = Vec::new();
    for (input, text) in &doc.inputs.0 {
        if let Some((e, ty)) = c.expr_any(text, Context::Line, &owner) {
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
    excess: Dest,
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
            "charged" => (Some(Base::Charged), None),
            "nothing" => (Some(Base::Nothing), None),
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
    let when_context = if is_drg { Context::Claim } else { Context::Line };
    let when = r.when.as_ref().map(|w| c.expr(w, Type::Bool, when_context, &outputs, id));
    if matches!(when, Some(None)) {
        return None;
    }
    if let Some(Some(w)) = &when {
        warn_unknown_codes(w, c);
    }
    let pricing = match (base, terms) {
        (Some(base), _) => Pricing { base, per_day: None, per_week: None, percent: None },
        (None, Some(t)) => {
            let bases = [t.per_unit.is_some(), t.tiered.is_some(), t.drg.is_some()].iter().filter(|b| **b).count();
            if bases > 1 {
                c.diag.error(pay_pos, Some(id), "pay has more than one of per_unit, tiered, drg: choose one");
                return None;
            }
            if t.drg.is_some() && (t.per_day.is_some() || t.per_week.is_some() || t.percent.is_some()) {
                c.diag.error(pay_pos, Some(id), "drg pays once per claim and takes no per_day, per_week or percent");
                return None;
            }
            if r.lookup.is_some() && t.drg.is_some() {
                c.diag.error(pay_pos, Some(id), "drg rules take no lookup");
                return None;
            }
            let num = |c: &mut Compiler<'_>, e: &ExprText, ctx: Context| c.expr(e, Type::Num, ctx, &outputs, id);
            let base = if let Some(e) = &t.per_unit {
                Base::PerUnit(num(c, e, Context::Line)?)
            } else if let Some(fnx) = &t.tiered {
                Base::Tiered(num(c, &fnx.first, Context::Line)?, num(c, &fnx.next, Context::Line)?)
            } else if let Some(e) = &t.drg {
                Base::Drg(num(c, e, Context::Claim)?)
            } else {
                Base::Charged
            };
            let per_day = match &t.per_day {
                Some(fnx) => Some((num(c, &fnx.first, Context::Claim)?, num(c, &fnx.next, Context::Claim)?)),
                None => None,
            };
            let per_week = match &t.per_week {
                Some(e) => Some(num(c, e, Context::Claim)?),
                None => None,
            };
            let percent = match &t.percent {
                Some(e) => Some(num(c, e, Context::Line)?),
                None => None,
            };
            if per_day.is_some() && per_week.is_some() {
                c.diag.error(pay_pos, Some(id), "per_day and per_week together: choose one group cap");
                return None;
            }
            Pricing { base, per_day, per_week, percent }
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
        pos: r.id.pos,
    })
}

fn compile_tier(t: &TierDoc, c: &mut Compiler<'_>) -> Option<Tier> {
    let id = t.id.value.as_str();
    let limit = c.expr(&t.limit, Type::Num, Context::Claim, &[], id);
    let when = t.when.as_ref().map(|w| c.expr(w, Type::Bool, Context::Claim, &[], id));
    let pending_when = t.pending_when.as_ref().map(|w| c.expr(w, Type::Bool, Context::Claim, &[], id));
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
    let context = if per_line { Context::Line } else { Context::Claim };
    let when = c.expr(&ch.when, Type::Bool, context, &[], id)?;
    Some(Check {
        id: arc(id),
        code: arc(code),
        severity: ch.severity,
        per_line,
        when_split: expr::Split::of(&when),
        when,
        when_src: arc(&ch.when.value),
        message: text(&ch.message),
    })
}
