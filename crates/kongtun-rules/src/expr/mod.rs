//! The rule expression language: parsed and type-checked when a pack loads, then evaluated
//! as a compact tree whose names are already resolved (fields to an enum, parameters to
//! their values, table outputs to an index). No loops, no recursion in the language, and
//! a bounded nesting depth: evaluation always ends.
//!
//! One file per stage, as in a compiler: [`syntax`] (text to a syntax tree), `check` (names
//! and types, to [`Expr`]), `split` (a line condition cut for speed), `eval` (running an
//! [`Expr`] over a claim). The compiled form is private to the crate, so optimising it is
//! never a breaking change.
//!
//! Absent optional values (`claim.adj_rw` on an OP claim, `line.serial` not given) make
//! every comparison false, `!=` included; test for them with `present(...)`.
//!
//! Functions: `present(field)`, `has_code(list, "81.54", "S72*", "V01-V89", ...)` (ICD codes,
//! dots and case ignored; `*` = prefix, `A-B` = range over the pattern's length),
//! `starts_with(text, "prefix")`, `count(list)`, `days_between(date, date)`,
//! `date("2568-01-15")` (CE or BE), `min(a, b)`, `max(a, b)`.

mod check;
mod eval;
mod fields;
mod split;
pub(crate) mod syntax;

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub(crate) use check::compile;
pub(crate) use eval::{field, ArithmeticError, EvalContext, Value};
pub(crate) use fields::Field;
pub(crate) use split::{Conjunct, LineTest, Split};

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
pub enum Per {
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
    /// Evaluated once per claim, or per line.
    pub per: Per,
    /// Parameters the expression used (for "never used" warnings).
    pub used: BTreeSet<String>,
}

impl<'a> Scope<'a> {
    /// A scope over `params`, with no table outputs.
    #[cfg(test)]
    pub fn new(params: &'a [(String, Decimal)], per: Per) -> Scope<'a> {
        Scope { params, outputs: &[], per, used: BTreeSet::new() }
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
}

impl Expr {
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

/// Normalises a code for matching: upper case, no dots or spaces.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| *c != '.' && !c.is_whitespace()).flat_map(char::to_uppercase).collect()
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
