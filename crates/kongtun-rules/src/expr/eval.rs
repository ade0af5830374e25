//! Evaluation: an [`Expr`] run over one claim (and one line, and one table row), reading
//! values borrowed from the claim. Never parses, never looks a name up.

use chrono::NaiveDate;
use kongtun_core::claim::{Claim, Line};
use kongtun_core::money::Money;
use rust_decimal::Decimal;

use super::{Arith, Cmp, Expr, Field};

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
pub struct EvalContext<'a> {
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
pub struct ArithmeticError(pub String);

impl Expr {
    /// Evaluates to a value.
    pub fn eval<'a>(&'a self, ctx: &EvalContext<'a>) -> Result<Value<'a>, ArithmeticError> {
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
            Expr::Compare(op, l, r) => Value::Bool(compare_values(*op, l.operand(ctx)?, r.operand(ctx)?)),
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
    pub fn test(&self, ctx: &EvalContext<'_>) -> Result<bool, ArithmeticError> {
        // The boolean shapes directly, without a `Value` in between: what `eval` does for
        // them, and conditions are mostly made of them.
        match self {
            Expr::Bool(b) => Ok(*b),
            Expr::Not(e) => Ok(!e.test(ctx)?),
            Expr::And(items) => {
                for e in items.iter() {
                    if !e.test(ctx)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Expr::Or(items) => {
                for e in items.iter() {
                    if e.test(ctx)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Expr::Compare(op, l, r) => Ok(compare_values(*op, l.operand(ctx)?, r.operand(ctx)?)),
            Expr::Present(f) => Ok(!matches!(field(*f, ctx), Value::Missing)),
            _ => Ok(matches!(self.eval(ctx)?, Value::Bool(true))),
        }
    }

    /// A comparison's operand: its leaves (fields and constants, nearly every operand) read
    /// inline, anything else evaluated.
    #[inline]
    fn operand<'a>(&'a self, ctx: &EvalContext<'a>) -> Result<Value<'a>, ArithmeticError> {
        match self {
            Expr::Field(f) => Ok(field(*f, ctx)),
            Expr::Text(t) => Ok(Value::Text(t)),
            Expr::Num(n) | Expr::Param(_, n) => Ok(Value::Num(*n)),
            _ => self.eval(ctx),
        }
    }

    /// Evaluates a number; `None` when it reads an absent value.
    pub fn number(&self, ctx: &EvalContext<'_>) -> Result<Option<Decimal>, ArithmeticError> {
        Ok(match self.eval(ctx)? {
            Value::Num(n) => Some(n),
            _ => None,
        })
    }
}

fn arith(op: Arith, a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    let r = match op {
        Arith::Add => a.checked_add(b),
        Arith::Sub => a.checked_sub(b),
        Arith::Mul => a.checked_mul(b),
        Arith::Div if b.is_zero() => return Err(ArithmeticError("division by zero".into())),
        Arith::Div => a.checked_div(b),
        Arith::Min => Some(a.min(b)),
        Arith::Max => Some(a.max(b)),
    };
    r.ok_or_else(|| ArithmeticError(format!("arithmetic overflow in {a} and {b}")))
}

fn compare_values(op: Cmp, a: Value<'_>, b: Value<'_>) -> bool {
    use std::cmp::Ordering;
    // Equality of texts (codes, settings, visit types) without ordering them.
    if let (Cmp::Eq | Cmp::Ne, Value::Text(x), Value::Text(y)) = (op, a, b) {
        return (x == y) == (op == Cmp::Eq);
    }
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
pub fn field<'a>(f: Field, ctx: &EvalContext<'a>) -> Value<'a> {
    let c = ctx.claim;
    let opt_text = |t: &'a Option<String>| t.as_deref().map_or(Value::Missing, Value::Text);
    let opt_date = |d: Option<NaiveDate>| d.map_or(Value::Missing, Value::Date);
    let acc = c.accident.as_ref();
    let line = ctx.line;
    match f {
        Field::Setting => Value::Text(c.setting.as_str()),
        Field::Fund => Value::Text(c.fund.as_str()),
        Field::SubFund => opt_text(&c.sub_fund),
        Field::Hcode => opt_text(&c.hcode),
        Field::Hospmain => opt_text(&c.hospmain),
        Field::Hospsub => opt_text(&c.hospsub),
        Field::VisitType => c.visit_type.map_or(Value::Missing, |v| Value::Text(v.as_str())),
        Field::WorkInjury => Value::Bool(c.work_injury),
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
        Field::AccidentRole => acc.and_then(|a| a.role).map_or(Value::Missing, |r| Value::Text(r.as_str())),
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
