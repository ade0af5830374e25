//! The rule expression language: parsed and type-checked when a pack loads, then evaluated
//! as a compact tree whose names are already resolved (fields to an enum, parameters to
//! their values, table outputs to an index). No loops, no recursion in the language, and
//! a bounded nesting depth: evaluation always ends.
//!
//! Absent optional values (`claim.adj_rw` on an OP claim, `line.serial` not given) make
//! every comparison false, `!=` included; test for them with `present(...)`.
//!
//! Functions: `present(field)`, `has_code(list, "81.54", "S72*", "V01-V89", ...)` (ICD codes,
//! dots and case ignored; `*` = prefix, `A-B` = range over the pattern's length),
//! `starts_with(text, "prefix")`, `count(list)`, `days_between(date, date)`,
//! `date("2568-01-15")` (CE or BE), `min(a, b)`, `max(a, b)`.

mod fields;
pub mod syntax;

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use kongtun_core::calendar::parse_date;
use kongtun_core::claim::{Claim, Line};
use kongtun_core::money::Money;
use rust_decimal::Decimal;

pub use fields::Field;
use syntax::{Ast, AstKind, BinOp};

/// The type of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// true / false
    Bool,
    /// A decimal number (money, quantity, days, Adj.RW).
    Num,
    /// Text.
    Text,
    /// A calendar day.
    Date,
    /// A list of codes (diagnoses, procedures).
    Codes,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "true/false",
            Type::Num => "a number",
            Type::Text => "text",
            Type::Date => "a date",
            Type::Codes => "a list of codes",
        })
    }
}

/// Where an expression is evaluated: for the whole claim, or for one charge line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Only `claim.*` and `accident.*` fields.
    Claim,
    /// `line.*` fields too.
    Line,
}

/// Names an expression may use besides fields.
pub struct Scope<'a> {
    /// Pack parameters and their values.
    pub params: &'a [(String, Decimal)],
    /// Outputs of the decision table the rule looks up, in order.
    pub outputs: &'a [String],
    /// Claim or line context.
    pub context: Context,
    /// Parameters the expression used (for "never used" warnings).
    pub used: BTreeSet<String>,
}

impl<'a> Scope<'a> {
    /// A scope over `params`, with no table outputs.
    pub fn new(params: &'a [(String, Decimal)], context: Context) -> Scope<'a> {
        Scope { params, outputs: &[], context, used: BTreeSet::new() }
    }
}

/// A compile (type) error at a character offset in the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Offset in characters.
    pub at: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A code pattern of `has_code`, normalised (upper case, no dots).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodePattern {
    /// The whole code.
    Exact(Box<str>),
    /// Codes starting with this.
    Prefix(Box<str>),
    /// Codes whose first `lo.len()` characters fall in `lo..=hi`.
    Range(Box<str>, Box<str>),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `min(a, b)`
    Min,
    /// `max(a, b)`
    Max,
}

/// A compiled expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A constant boolean.
    Bool(bool),
    /// A constant number.
    Num(Decimal),
    /// A pack parameter: its name (for explanations) and value.
    Param(std::sync::Arc<str>, Decimal),
    /// A constant text.
    Text(Box<str>),
    /// A constant date.
    Date(NaiveDate),
    /// A field of the claim or line.
    Field(Field),
    /// The `i`-th output of the matched table row.
    Output(usize),
    /// `not x`
    Not(Box<Expr>),
    /// `a and b and ...`
    And(Box<[Expr]>),
    /// `a or b or ...`
    Or(Box<[Expr]>),
    /// `a op b`
    Compare(Cmp, Box<Expr>, Box<Expr>),
    /// Arithmetic on numbers.
    Arith(Arith, Box<Expr>, Box<Expr>),
    /// `-x`
    Neg(Box<Expr>),
    /// `x in ["a", "b"]`
    InText(Box<Expr>, Box<[Box<str>]>),
    /// `x in [1, 2]`
    InNum(Box<Expr>, Box<[Decimal]>),
    /// `present(field)`
    Present(Field),
    /// `has_code(list, patterns...)`
    HasCode(Field, Box<[CodePattern]>),
    /// `starts_with(text, "prefix")`
    StartsWith(Box<Expr>, Box<str>),
    /// `count(list)`
    Count(Field),
    /// `days_between(from, to)`
    DaysBetween(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// True when the value depends on the line being priced: a `line.*` field or a table
    /// output. Anything else has one value per claim.
    pub fn reads_line(&self) -> bool {
        match self {
            Expr::Bool(_) | Expr::Num(_) | Expr::Param(..) | Expr::Text(_) | Expr::Date(_) => false,
            Expr::Field(f) | Expr::Present(f) | Expr::HasCode(f, _) | Expr::Count(f) => f.is_line(),
            Expr::Output(_) => true,
            Expr::Not(e) | Expr::Neg(e) | Expr::InText(e, _) | Expr::InNum(e, _) | Expr::StartsWith(e, _) => {
                e.reads_line()
            }
            Expr::And(es) | Expr::Or(es) => es.iter().any(Expr::reads_line),
            Expr::Compare(_, a, b) | Expr::Arith(_, a, b) | Expr::DaysBetween(a, b) => a.reads_line() || b.reads_line(),
        }
    }

    /// This conjunct as a [`LineTest`] when it has one of the common shapes.
    fn line_test(&self) -> Option<LineTest> {
        let field_vs = |a: &Expr, b: &Expr, f: Field| -> Option<Expr> {
            match (a, b) {
                (Expr::Field(x), other) | (other, Expr::Field(x)) if *x == f => Some(other.clone()),
                _ => None,
            }
        };
        match self {
            Expr::Compare(Cmp::Eq, a, b) => {
                if let Some(Expr::Text(t)) = field_vs(a, b, Field::Code) {
                    return Some(LineTest::Codes(Box::new([t])));
                }
                match field_vs(a, b, Field::Category) {
                    Some(Expr::Num(n)) => u8::try_from(n.to_string().parse::<u32>().ok()?).ok().map(LineTest::Category),
                    _ => None,
                }
            }
            Expr::InText(e, list) if **e == Expr::Field(Field::Code) => Some(LineTest::Codes(list.clone())),
            Expr::Field(Field::Claimable) => Some(LineTest::Claimable(true)),
            Expr::Present(Field::Serial) => Some(LineTest::Serial(true)),
            Expr::Not(e) => match &**e {
                Expr::Field(Field::Claimable) => Some(LineTest::Claimable(false)),
                Expr::Present(Field::Serial) => Some(LineTest::Serial(false)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A common line test, checked without the expression evaluator. None can fail with a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineTest {
    /// `line.code == "X"` or `line.code in ["X", "Y"]`.
    Codes(Box<[Box<str>]>),
    /// `line.category == N`.
    Category(u8),
    /// `line.claimable` (true) or `not line.claimable` (false).
    Claimable(bool),
    /// `present(line.serial)` (true) or `not present(line.serial)` (false).
    Serial(bool),
}

impl LineTest {
    /// The test on a line.
    pub fn holds(&self, line: &kongtun_core::claim::Line) -> bool {
        match self {
            LineTest::Codes(codes) => codes.iter().any(|c| **c == *line.code),
            LineTest::Category(n) => line.category.number() == *n,
            LineTest::Claimable(want) => line.claimable == *want,
            LineTest::Serial(want) => line.serial.is_some() == *want,
        }
    }
}

/// One conjunct of a split line condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Conjunct {
    /// A common shape, tested directly.
    Fast(LineTest),
    /// Anything else, through the evaluator.
    Expr(Expr),
}

/// A line condition split for speed, with the same meaning and the same faults as written:
/// `and` is evaluated left to right, so the leading conjuncts that read no line field give one
/// value per claim (computed at the first line that reaches them, then reused), and the
/// common line tests (code, category, claimable, serial present) are plain comparisons.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The leading conjuncts that read no line field.
    pub claim: Option<Expr>,
    /// The remaining conjuncts, in order.
    pub line: Box<[Conjunct]>,
}

impl Split {
    /// Splits a condition.
    pub fn of(e: &Expr) -> Split {
        let parts: &[Expr] = match e {
            Expr::And(parts) => parts,
            one => std::slice::from_ref(one),
        };
        let k = parts.iter().take_while(|p| !p.reads_line()).count();
        let (claim, after) = parts.split_at(k);
        let claim = match claim {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(Expr::And(many.to_vec().into_boxed_slice())),
        };
        let line =
            after.iter().map(|p| p.line_test().map_or_else(|| Conjunct::Expr(p.clone()), Conjunct::Fast)).collect();
        Split { claim, line }
    }
}

/// Compiles an expression's text, checking names and types; `want` is the type it must have.
pub fn compile(src: &str, want: Type, scope: &mut Scope<'_>) -> Result<Expr, CompileError> {
    let ast = syntax::parse(src).map_err(|e| CompileError { at: e.at, message: e.message })?;
    let (expr, ty) = check(&ast, scope)?;
    if ty != want {
        return Err(CompileError { at: 0, message: format!("expected {want}, but this expression is {ty}") });
    }
    Ok(expr)
}

/// Compiles an expression of any type, returning the type found.
pub fn compile_any(src: &str, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let ast = syntax::parse(src).map_err(|e| CompileError { at: e.at, message: e.message })?;
    check(&ast, scope)
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError { at, message: message.into() })
}

fn closest<'n>(word: &str, names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.collect();
    let mut best: Option<(usize, &str)> = None;
    for n in &names {
        let d = distance(word, n);
        if d <= 3 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, n));
        }
    }
    match best {
        Some((_, n)) => format!(" (did you mean `{n}`?)"),
        None => String::new(),
    }
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

fn check(ast: &Ast, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let at = ast.at;
    Ok(match &ast.kind {
        AstKind::Num(n) => (Expr::Num(*n), Type::Num),
        AstKind::Text(t) => (Expr::Text(t.as_str().into()), Type::Text),
        AstKind::Bool(b) => (Expr::Bool(*b), Type::Bool),
        AstKind::Name(name) => resolve(name, at, scope)?,
        AstKind::Not(inner) => {
            let e = check_as(inner, Type::Bool, "`not`", scope)?;
            (Expr::Not(Box::new(e)), Type::Bool)
        }
        AstKind::Neg(inner) => {
            let e = check_as(inner, Type::Num, "`-`", scope)?;
            (Expr::Neg(Box::new(e)), Type::Num)
        }
        AstKind::Binary(op @ (BinOp::And | BinOp::Or), l, r) => {
            let what = format!("`{}`", op.symbol());
            let (l, r) = (check_as(l, Type::Bool, &what, scope)?, check_as(r, Type::Bool, &what, scope)?);
            let flatten = |e: Expr, out: &mut Vec<Expr>| match (op, e) {
                (BinOp::And, Expr::And(items)) | (BinOp::Or, Expr::Or(items)) => out.extend(items.into_vec()),
                (_, e) => out.push(e),
            };
            let mut items = Vec::new();
            flatten(l, &mut items);
            flatten(r, &mut items);
            let items = items.into_boxed_slice();
            (if *op == BinOp::And { Expr::And(items) } else { Expr::Or(items) }, Type::Bool)
        }
        AstKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), l, r) => {
            let what = format!("`{}`", op.symbol());
            let (l, r) = (check_as(l, Type::Num, &what, scope)?, check_as(r, Type::Num, &what, scope)?);
            let a = match op {
                BinOp::Add => Arith::Add,
                BinOp::Sub => Arith::Sub,
                BinOp::Mul => Arith::Mul,
                _ => Arith::Div,
            };
            (Expr::Arith(a, Box::new(l), Box::new(r)), Type::Num)
        }
        AstKind::Binary(op, l, r) => compare(*op, l, r, at, scope)?,
        AstKind::In(l, list) => member(l, list, scope)?,
        AstKind::List(_) => return err(at, "a list can only follow `in` or be a function argument"),
        AstKind::Call(name, args) => call(name, args, at, scope)?,
    })
}

fn check_as(ast: &Ast, want: Type, what: &str, scope: &mut Scope<'_>) -> Result<Expr, CompileError> {
    let (e, ty) = check(ast, scope)?;
    if ty != want {
        return err(ast.at, format!("{what} needs {want}, found {ty}"));
    }
    Ok(e)
}

fn resolve(name: &str, at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    if name.contains('.') {
        let Some(field) = Field::by_name(name) else {
            return err(
                at,
                format!(
                    "unknown field `{name}`{}; fields are: {}",
                    closest(name, Field::names()),
                    Field::names().collect::<Vec<_>>().join(", ")
                ),
            );
        };
        if field.is_line() && scope.context == Context::Claim {
            return err(at, format!("`{name}` is a line field, but this expression is evaluated once per claim"));
        }
        return Ok((Expr::Field(field), field.ty()));
    }
    if let Some(i) = scope.outputs.iter().position(|o| o == name) {
        return Ok((Expr::Output(i), Type::Num));
    }
    if let Some((_, value)) = scope.params.iter().find(|(n, _)| n == name) {
        scope.used.insert(name.to_string());
        return Ok((Expr::Param(std::sync::Arc::from(name), *value), Type::Num));
    }
    let known = scope.params.iter().map(|(n, _)| n.as_str()).chain(scope.outputs.iter().map(String::as_str));
    let hint = closest(name, known);
    err(
        at,
        format!(
            "unknown parameter `{name}`{hint}: declare it under `params:`, or write a field as `claim.x` / `line.x`"
        ),
    )
}

fn compare(op: BinOp, l: &Ast, r: &Ast, at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let (le, lt) = check(l, scope)?;
    let (re, rt) = check(r, scope)?;
    if lt != rt {
        return err(at, format!("cannot compare {lt} with {rt} using `{}`", op.symbol()));
    }
    let cmp = match op {
        BinOp::Eq => Cmp::Eq,
        BinOp::Ne => Cmp::Ne,
        BinOp::Lt => Cmp::Lt,
        BinOp::Le => Cmp::Le,
        BinOp::Gt => Cmp::Gt,
        _ => Cmp::Ge,
    };
    let ordered = !matches!(cmp, Cmp::Eq | Cmp::Ne);
    if ordered && !matches!(lt, Type::Num | Type::Date) {
        return err(at, format!("`{}` orders numbers and dates; {lt} can only use `==` and `!=`", op.symbol()));
    }
    if lt == Type::Codes {
        return err(at, "compare code lists with has_code(list, \"code\")");
    }
    for (field_side, other) in [(&le, &re), (&re, &le)] {
        if let (Expr::Field(f), Expr::Text(t)) = (field_side, other) {
            check_closed_value(*f, t, at)?;
        }
    }
    Ok((Expr::Compare(cmp, Box::new(le), Box::new(re)), Type::Bool))
}

/// `claim.setting == "opd"` can never be true: say so when the pack loads.
fn check_closed_value(field: Field, text: &str, at: usize) -> Result<(), CompileError> {
    let values = field.values();
    if !values.is_empty() && !values.contains(&text) {
        return err(at, format!("`{}` is never \"{text}\": it is one of {}", field.name(), values.join(", ")));
    }
    Ok(())
}

fn member(l: &Ast, list: &Ast, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let (le, lt) = check(l, scope)?;
    let AstKind::List(items) = &list.kind else {
        return err(list.at, "`in` needs a list of values: x in [\"a\", \"b\"]");
    };
    match lt {
        Type::Text => {
            let mut texts = Vec::new();
            for item in items {
                let AstKind::Text(t) = &item.kind else {
                    return err(item.at, "the list after `in` must hold text values, like \"HD\"");
                };
                if let Expr::Field(f) = &le {
                    check_closed_value(*f, t, item.at)?;
                }
                texts.push(Box::from(t.as_str()));
            }
            Ok((Expr::InText(Box::new(le), texts.into_boxed_slice()), Type::Bool))
        }
        Type::Num => {
            let mut nums = Vec::new();
            for item in items {
                match check(item, scope)? {
                    (Expr::Num(n) | Expr::Param(_, n), _) => nums.push(n),
                    _ => return err(item.at, "the list after `in` must hold numbers or parameters"),
                }
            }
            Ok((Expr::InNum(Box::new(le), nums.into_boxed_slice()), Type::Bool))
        }
        other => err(l.at, format!("`in` works on text and numbers, not {other}")),
    }
}

fn field_arg(args: &[Ast], i: usize, scope: &mut Scope<'_>) -> Result<Field, CompileError> {
    match args.get(i).map(|a| (check(a, scope), a.at)) {
        Some((Ok((Expr::Field(f), _)), _)) => Ok(f),
        Some((Err(e), _)) => Err(e),
        Some((Ok(_), at)) => err(at, "expected a field such as claim.adj_rw"),
        None => err(0, "missing argument"),
    }
}

fn text_literal(arg: Option<&Ast>, fname: &str) -> Result<String, CompileError> {
    match arg {
        Some(Ast { kind: AstKind::Text(t), .. }) => Ok(t.clone()),
        Some(a) => err(a.at, format!("{fname} needs a text literal here, like \"81.54\"")),
        None => err(0, format!("{fname} is missing an argument")),
    }
}

fn call(name: &str, args: &[Ast], at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let arity = |n: usize| -> Result<(), CompileError> {
        if args.len() == n {
            Ok(())
        } else {
            err(at, format!("{name} takes {n} argument(s), found {}", args.len()))
        }
    };
    Ok(match name {
        "present" => {
            arity(1)?;
            (Expr::Present(field_arg(args, 0, scope)?), Type::Bool)
        }
        "count" => {
            arity(1)?;
            let f = field_arg(args, 0, scope)?;
            if f.ty() != Type::Codes {
                return err(args[0].at, "count needs a list: claim.diagnoses or claim.procedures");
            }
            (Expr::Count(f), Type::Num)
        }
        "has_code" => {
            if args.len() < 2 {
                return err(at, "has_code needs a list and at least one code: has_code(claim.procedures, \"81.54\")");
            }
            let f = field_arg(args, 0, scope)?;
            if f.ty() != Type::Codes {
                return err(args[0].at, "has_code needs a list: claim.diagnoses or claim.procedures");
            }
            let mut patterns = Vec::new();
            for a in &args[1..] {
                patterns.push(code_pattern(&text_literal(Some(a), "has_code")?, a.at)?);
            }
            (Expr::HasCode(f, patterns.into_boxed_slice()), Type::Bool)
        }
        "starts_with" => {
            arity(2)?;
            let e = check_as(&args[0], Type::Text, "starts_with", scope)?;
            let prefix = text_literal(args.get(1), "starts_with")?;
            (Expr::StartsWith(Box::new(e), prefix.into()), Type::Bool)
        }
        "days_between" => {
            arity(2)?;
            let a = check_as(&args[0], Type::Date, "days_between", scope)?;
            let b = check_as(&args[1], Type::Date, "days_between", scope)?;
            (Expr::DaysBetween(Box::new(a), Box::new(b)), Type::Num)
        }
        "date" => {
            arity(1)?;
            let text = text_literal(args.first(), "date")?;
            match parse_date(&text) {
                Ok(d) => (Expr::Date(d), Type::Date),
                Err(e) => return err(args[0].at, e.to_string()),
            }
        }
        "min" | "max" => {
            arity(2)?;
            let a = check_as(&args[0], Type::Num, name, scope)?;
            let b = check_as(&args[1], Type::Num, name, scope)?;
            let op = if name == "min" { Arith::Min } else { Arith::Max };
            (Expr::Arith(op, Box::new(a), Box::new(b)), Type::Num)
        }
        other => {
            const FUNCTIONS: [&str; 8] =
                ["present", "has_code", "starts_with", "count", "days_between", "date", "min", "max"];
            return err(
                at,
                format!(
                    "unknown function `{other}`{}; functions are: {}",
                    closest(other, FUNCTIONS.into_iter()),
                    FUNCTIONS.join(", ")
                ),
            );
        }
    })
}

/// Normalises a code for matching: upper case, no dots or spaces.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| *c != '.' && !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

fn code_pattern(text: &str, at: usize) -> Result<CodePattern, CompileError> {
    if let Some(prefix) = text.strip_suffix('*') {
        return Ok(CodePattern::Prefix(normalise_code(prefix).into()));
    }
    if let Some((lo, hi)) = text.split_once('-') {
        let (lo, hi) = (normalise_code(lo), normalise_code(hi));
        if lo.len() != hi.len() || lo.is_empty() || lo > hi {
            return err(at, format!("range \"{text}\" needs two codes of one length, low first, like \"V01-V89\""));
        }
        return Ok(CodePattern::Range(lo.into(), hi.into()));
    }
    Ok(CodePattern::Exact(normalise_code(text).into()))
}

impl CodePattern {
    /// True when `code` matches (compared normalised).
    pub fn matches(&self, code: &str) -> bool {
        // Codes are short; normalise into a stack buffer to avoid allocating per match.
        let mut buf = [0u8; 32];
        let mut len = 0;
        for b in code.bytes() {
            if b == b'.' || b.is_ascii_whitespace() {
                continue;
            }
            if len == buf.len() {
                return false;
            }
            buf[len] = b.to_ascii_uppercase();
            len += 1;
        }
        let code = &buf[..len];
        match self {
            CodePattern::Exact(e) => code == e.as_bytes(),
            CodePattern::Prefix(p) => code.starts_with(p.as_bytes()),
            CodePattern::Range(lo, hi) => {
                code.len() >= lo.len() && &code[..lo.len()] >= lo.as_bytes() && &code[..lo.len()] <= hi.as_bytes()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// evaluation

/// A runtime value, borrowed from the claim or the expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// true / false
    Bool(bool),
    /// A number.
    Num(Decimal),
    /// Text.
    Text(&'a str),
    /// A day.
    Date(NaiveDate),
    /// A list of codes.
    Codes(&'a [String]),
    /// An optional field that the claim does not have.
    Missing,
}

/// What an expression reads: the claim, the current line, and the matched table row.
pub struct Ctx<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// Sum of all lines' charges.
    pub charged: Money,
    /// Sum of claimable lines' charges.
    pub claimable_charged: Money,
    /// The line being priced or checked, with its charge.
    pub line: Option<(&'a Line, Money)>,
    /// Outputs of the matched table row.
    pub outputs: &'a [Decimal],
}

impl std::fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Num(n) => write!(f, "{n}"),
            Value::Text(t) => write!(f, "\"{t}\""),
            Value::Date(d) => write!(f, "{d}"),
            Value::Codes(c) => write!(f, "[{}]", c.join(", ")),
            Value::Missing => f.write_str("absent"),
        }
    }
}

/// Arithmetic that cannot be carried out (overflow, division by zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault(pub String);

impl Expr {
    /// Evaluates to a value.
    pub fn eval<'a>(&'a self, ctx: &Ctx<'a>) -> Result<Value<'a>, Fault> {
        Ok(match self {
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Num(n) | Expr::Param(_, n) => Value::Num(*n),
            Expr::Text(t) => Value::Text(t),
            Expr::Date(d) => Value::Date(*d),
            Expr::Field(f) => field(*f, ctx),
            Expr::Output(i) => ctx.outputs.get(*i).map_or(Value::Missing, |n| Value::Num(*n)),
            Expr::Not(e) => Value::Bool(!e.test(ctx)?),
            Expr::And(items) => {
                for e in items.iter() {
                    if !e.test(ctx)? {
                        return Ok(Value::Bool(false));
                    }
                }
                Value::Bool(true)
            }
            Expr::Or(items) => {
                for e in items.iter() {
                    if e.test(ctx)? {
                        return Ok(Value::Bool(true));
                    }
                }
                Value::Bool(false)
            }
            Expr::Compare(op, l, r) => Value::Bool(compare_values(*op, l.eval(ctx)?, r.eval(ctx)?)),
            Expr::Arith(op, l, r) => match (l.eval(ctx)?, r.eval(ctx)?) {
                (Value::Num(a), Value::Num(b)) => Value::Num(arith(*op, a, b)?),
                _ => Value::Missing,
            },
            Expr::Neg(e) => match e.eval(ctx)? {
                Value::Num(n) => Value::Num(-n),
                _ => Value::Missing,
            },
            Expr::InText(e, list) => match e.eval(ctx)? {
                Value::Text(t) => Value::Bool(list.iter().any(|x| &**x == t)),
                _ => Value::Bool(false),
            },
            Expr::InNum(e, list) => match e.eval(ctx)? {
                Value::Num(n) => Value::Bool(list.contains(&n)),
                _ => Value::Bool(false),
            },
            Expr::Present(f) => Value::Bool(!matches!(field(*f, ctx), Value::Missing)),
            Expr::HasCode(f, patterns) => match field(*f, ctx) {
                Value::Codes(codes) => Value::Bool(codes.iter().any(|c| patterns.iter().any(|p| p.matches(c)))),
                _ => Value::Bool(false),
            },
            Expr::StartsWith(e, prefix) => match e.eval(ctx)? {
                Value::Text(t) => Value::Bool(t.starts_with(&**prefix)),
                _ => Value::Bool(false),
            },
            Expr::Count(f) => match field(*f, ctx) {
                Value::Codes(c) => Value::Num(Decimal::from(c.len())),
                _ => Value::Num(Decimal::ZERO),
            },
            Expr::DaysBetween(a, b) => match (a.eval(ctx)?, b.eval(ctx)?) {
                (Value::Date(a), Value::Date(b)) => Value::Num(Decimal::from((b - a).num_days())),
                _ => Value::Missing,
            },
        })
    }

    /// Evaluates a condition; an absent value is false.
    pub fn test(&self, ctx: &Ctx<'_>) -> Result<bool, Fault> {
        Ok(matches!(self.eval(ctx)?, Value::Bool(true)))
    }

    /// Evaluates a number; `None` when it reads an absent value.
    pub fn number(&self, ctx: &Ctx<'_>) -> Result<Option<Decimal>, Fault> {
        Ok(match self.eval(ctx)? {
            Value::Num(n) => Some(n),
            _ => None,
        })
    }

    /// The value of an expression that reads nothing but literals and parameters.
    pub fn constant(&self) -> Option<Decimal> {
        match self {
            Expr::Num(n) | Expr::Param(_, n) => Some(*n),
            Expr::Neg(e) => e.constant().map(|n| -n),
            _ => None,
        }
    }

    /// The text values the expression compares `field` with (`==` or `in`).
    pub fn literals_of(&self, field: Field, out: &mut Vec<Box<str>>) {
        match self {
            Expr::Compare(Cmp::Eq, a, b) => match (&**a, &**b) {
                (Expr::Field(f), Expr::Text(t)) | (Expr::Text(t), Expr::Field(f)) if *f == field => out.push(t.clone()),
                _ => {}
            },
            Expr::InText(e, list) if **e == Expr::Field(field) => out.extend(list.iter().cloned()),
            Expr::Not(e) => e.literals_of(field, out),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| e.literals_of(field, out)),
            _ => {}
        }
    }

    /// Visits every field the expression reads.
    pub fn fields(&self, out: &mut Vec<Field>) {
        match self {
            Expr::Field(f) | Expr::Present(f) | Expr::HasCode(f, _) | Expr::Count(f) => out.push(*f),
            Expr::Not(e) | Expr::Neg(e) | Expr::InText(e, _) | Expr::InNum(e, _) | Expr::StartsWith(e, _) => {
                e.fields(out)
            }
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| e.fields(out)),
            Expr::Compare(_, a, b) | Expr::Arith(_, a, b) | Expr::DaysBetween(a, b) => {
                a.fields(out);
                b.fields(out);
            }
            Expr::Bool(_) | Expr::Num(_) | Expr::Param(..) | Expr::Text(_) | Expr::Date(_) | Expr::Output(_) => {}
        }
    }
}

fn arith(op: Arith, a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    let r = match op {
        Arith::Add => a.checked_add(b),
        Arith::Sub => a.checked_sub(b),
        Arith::Mul => a.checked_mul(b),
        Arith::Div if b.is_zero() => return Err(Fault("division by zero".into())),
        Arith::Div => a.checked_div(b),
        Arith::Min => Some(a.min(b)),
        Arith::Max => Some(a.max(b)),
    };
    r.ok_or_else(|| Fault(format!("arithmetic overflow in {a} and {b}")))
}

fn compare_values(op: Cmp, a: Value<'_>, b: Value<'_>) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::Num(x), Value::Num(y)) => Some(x.cmp(&y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(&y)),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(&y)),
        _ => None, // an absent value: every comparison is false
    };
    let Some(ord) = ord else { return false };
    match op {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
    }
}

/// The value of a field in a context.
pub fn field<'a>(f: Field, ctx: &Ctx<'a>) -> Value<'a> {
    let c = ctx.claim;
    let opt_text = |t: &'a Option<String>| t.as_deref().map_or(Value::Missing, Value::Text);
    let opt_date = |d: Option<NaiveDate>| d.map_or(Value::Missing, Value::Date);
    let acc = c.accident.as_ref();
    let line = ctx.line;
    match f {
        Field::Setting => Value::Text(c.setting.as_str()),
        Field::Fund => Value::Text(c.fund.as_str()),
        Field::SubFund => opt_text(&c.sub_fund),
        Field::ServiceDate => Value::Date(c.service_date),
        Field::DischargeDate => opt_date(c.discharge_date),
        Field::ClaimDate => Value::Date(c.claim_date()),
        Field::Submitted => opt_date(c.submitted),
        Field::AdjRw => c.adj_rw.map_or(Value::Missing, Value::Num),
        Field::Diagnoses => Value::Codes(&c.diagnoses),
        Field::Procedures => Value::Codes(&c.procedures),
        Field::Pdx => c.diagnoses.first().map_or(Value::Missing, |d| Value::Text(d)),
        Field::Los => Value::Num(Decimal::from(c.length_of_stay())),
        Field::Charged => Value::Num(ctx.charged.as_decimal()),
        Field::ClaimableCharged => Value::Num(ctx.claimable_charged.as_decimal()),
        Field::LineCount => Value::Num(Decimal::from(c.items.len())),
        Field::HasAccident => Value::Bool(acc.is_some()),
        Field::AccidentDate => acc.map_or(Value::Missing, |a| Value::Date(a.date)),
        Field::AccidentRole => acc.map_or(Value::Missing, |a| Value::Text(a.role.as_str())),
        Field::AccidentCounterparty => acc.map_or(Value::Missing, |a| Value::Bool(a.counterparty)),
        Field::AccidentCase => acc.map_or(Value::Missing, |a| Value::Text(a.case.as_str())),
        Field::Code => line.map_or(Value::Missing, |(l, _)| Value::Text(&l.code)),
        Field::Category => line.map_or(Value::Missing, |(l, _)| Value::Num(Decimal::from(l.category.number()))),
        Field::Qty => line.map_or(Value::Missing, |(l, _)| Value::Num(l.qty)),
        Field::Price => line.map_or(Value::Missing, |(l, _)| Value::Num(l.price.as_decimal())),
        Field::Amount => line.map_or(Value::Missing, |(_, amount)| Value::Num(amount.as_decimal())),
        Field::LineDate => line.map_or(Value::Missing, |(l, _)| Value::Date(l.date.unwrap_or(c.service_date))),
        Field::Claimable => line.map_or(Value::Missing, |(l, _)| Value::Bool(l.claimable)),
        Field::Serial => line.map_or(Value::Missing, |(l, _)| opt_text(&l.serial)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_claim(src: &str) -> Result<Expr, CompileError> {
        let params = vec![("tka_ceiling".to_string(), Decimal::from(49800))];
        compile(src, Type::Bool, &mut Scope::new(&params, Context::Line))
    }

    #[test]
    fn type_errors_are_load_errors() {
        let e = compile_claim("claim.setting > 3").unwrap_err();
        assert!(e.message.contains("cannot compare text with a number"), "{}", e.message);
        let e = compile_claim("claim.setting == \"opd\"").unwrap_err();
        assert!(e.message.contains("one of op, ip"), "{}", e.message);
        let e = compile_claim("line.prize > 1").unwrap_err();
        assert!(e.message.contains("did you mean `line.price`"), "{}", e.message);
        let e = compile_claim("line.price > tka_ceilng").unwrap_err();
        assert!(e.message.contains("did you mean `tka_ceiling`"), "{}", e.message);
        assert_eq!(e.at, 13);
        let e = compile_claim("line.price + 1").unwrap_err();
        assert!(e.message.contains("expected true/false"), "{}", e.message);
        let e = compile_claim("has_code(claim.procedures, \"V89-V01\")").unwrap_err();
        assert!(e.message.contains("low first"), "{}", e.message);
        let params = vec![];
        let e = compile("line.code == \"X\"", Type::Bool, &mut Scope::new(&params, Context::Claim)).unwrap_err();
        assert!(e.message.contains("line field"), "{}", e.message);
    }

    #[test]
    fn code_patterns() {
        let p = code_pattern("V01-V89", 0).unwrap();
        assert!(p.matches("V01") && p.matches("v89.9") && p.matches("V435") && !p.matches("V00") && !p.matches("V90"));
        assert!(!p.matches("V0"));
        let p = code_pattern("81.54", 0).unwrap();
        assert!(p.matches("8154") && p.matches("81.54") && !p.matches("81.5"));
        let p = code_pattern("S72*", 0).unwrap();
        assert!(p.matches("S72.0") && !p.matches("S73"));
    }

    #[test]
    fn a_condition_splits_into_claim_part_then_line_tests_in_written_order() {
        let eq = |f: Field, e: Expr| Expr::Compare(Cmp::Eq, Box::new(Expr::Field(f)), Box::new(e));
        let text = |t: &str| Expr::Text(t.into());
        let ip = eq(Field::Setting, text("ip"));
        let when = Expr::And(
            vec![
                ip.clone(),
                Expr::Present(Field::AdjRw),
                eq(Field::Code, text("HD")),
                Expr::Not(Box::new(Expr::Field(Field::Claimable))),
                eq(Field::Category, Expr::Num(Decimal::from(2))),
                Expr::Not(Box::new(Expr::Present(Field::Serial))),
                ip.clone(),
            ]
            .into_boxed_slice(),
        );
        let split = Split::of(&when);
        assert_eq!(split.claim, Some(Expr::And(vec![ip.clone(), Expr::Present(Field::AdjRw)].into_boxed_slice())));
        assert_eq!(
            *split.line,
            [
                Conjunct::Fast(LineTest::Codes(Box::new(["HD".into()]))),
                Conjunct::Fast(LineTest::Claimable(false)),
                Conjunct::Fast(LineTest::Category(2)),
                Conjunct::Fast(LineTest::Serial(false)),
                // A claim-level test after a line test stays where it was written: `and`
                // stops at the first false part, and faults must not move.
                Conjunct::Expr(ip.clone()),
            ]
        );
        // Not an `and`: a claim-level condition alone, or a line condition alone.
        assert_eq!(Split::of(&ip), Split { claim: Some(ip.clone()), line: Box::new([]) });
        let odd = eq(Field::Category, Expr::Num(Decimal::new(25, 1)));
        assert_eq!(*Split::of(&odd).line, [Conjunct::Expr(odd.clone())]);
    }
}
