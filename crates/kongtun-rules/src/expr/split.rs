//! Line conditions cut for speed: the leading claim-level conjuncts tested once per claim,
//! the common line tests (code, category, claimable, serial) done without the evaluator.
//! Same values and the same faults as the condition as written.

use super::{Cmp, Expr, Field};

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

impl Expr {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

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
