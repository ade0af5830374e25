//! Conditions cut for speed: the leading claim-level conjuncts tested once per claim, the
//! common line tests (code, category, claimable, serial) and claim tests (a text field equal
//! to a constant, an optional field present, no diagnoses, a flag) done without the
//! evaluator. Same values and the same faults as the condition as written.

use kongtun_core::claim::Claim;

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

/// A common claim-level test, checked without the expression evaluator. None can fail with
/// a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimTest {
    /// `claim.<text field> == "x"` (true) or `!= "x"` (false); an absent field is neither.
    Text(Field, Box<str>, bool),
    /// `claim.setting == "ip"` (true) or `!= "ip"` (false), and the same for `op`: the enum
    /// compared, not its text.
    Setting(kongtun_core::claim::Setting, bool),
    /// `present(claim.<field>)` (true) or `not present(...)` (false).
    Present(Field, bool),
    /// `count(claim.<list>) == 0`.
    NoCodes(Field),
    /// `claim.<flag>` (true) or `not claim.<flag>` (false).
    Flag(Field, bool),
}

/// The claim's value of a text field (`None` when absent); only made for the fields
/// [`text_field`] names.
fn claim_text(f: Field, c: &Claim) -> Option<&str> {
    match f {
        Field::Setting => Some(c.setting.as_str()),
        Field::Fund => Some(c.fund.as_str()),
        Field::SubFund => c.sub_fund.as_deref(),
        Field::Hcode => c.hcode.as_deref(),
        Field::Hospmain => c.hospmain.as_deref(),
        Field::Hospsub => c.hospsub.as_deref(),
        Field::VisitType => c.visit_type.map(|v| v.as_str()),
        _ => None,
    }
}

/// The claim-level text fields a [`ClaimTest`] reads through [`claim_text`].
fn text_field(f: Field) -> bool {
    matches!(
        f,
        Field::Setting
            | Field::Fund
            | Field::SubFund
            | Field::Hcode
            | Field::Hospmain
            | Field::Hospsub
            | Field::VisitType
    )
}

/// Whether an optional claim field is there; only made for [`text_field`]s and the
/// optional fields below.
fn claim_present(f: Field, c: &Claim) -> bool {
    match f {
        Field::AdjRw => c.adj_rw.is_some(),
        Field::Submitted => c.submitted.is_some(),
        Field::DischargeDate => c.discharge_date.is_some(),
        _ => claim_text(f, c).is_some(),
    }
}

fn optional_field(f: Field) -> bool {
    text_field(f) || matches!(f, Field::AdjRw | Field::Submitted | Field::DischargeDate)
}

impl ClaimTest {
    /// The test on a claim.
    pub fn holds(&self, claim: &Claim) -> bool {
        match self {
            ClaimTest::Text(f, text, eq) => claim_text(*f, claim).is_some_and(|value| (value == &**text) == *eq),
            ClaimTest::Setting(setting, eq) => (claim.setting == *setting) == *eq,
            ClaimTest::Present(f, want) => claim_present(*f, claim) == *want,
            ClaimTest::NoCodes(Field::Diagnoses) => claim.diagnoses.is_empty(),
            ClaimTest::NoCodes(_) => claim.procedures.is_empty(),
            ClaimTest::Flag(Field::WorkInjury, want) => claim.work_injury == *want,
            ClaimTest::Flag(_, want) => claim.accident.is_some() == *want,
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
    /// The leading conjuncts of `claim` that are [`ClaimTest`]s (they cannot fault)...
    pub claim_tests: Box<[ClaimTest]>,
    /// ...and the rest of `claim`, evaluated only when the tests all hold.
    pub claim_rest: Option<Expr>,
    /// The remaining conjuncts, in order.
    pub line: Box<[Conjunct]>,
    /// No claim-level part, and every line conjunct a [`LineTest`]: [`Split::line_tests_hold`]
    /// gives the condition's value, and it cannot fault.
    pub fast: bool,
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
        let claim_tests: Box<[ClaimTest]> = claim.iter().map_while(Expr::claim_test).collect();
        let claim_rest = conjunction(&claim[claim_tests.len()..]);
        let claim = conjunction(claim);
        let line: Box<[Conjunct]> =
            after.iter().map(|p| p.line_test().map_or_else(|| Conjunct::Expr(p.clone()), Conjunct::Fast)).collect();
        let fast = claim.is_none() && line.iter().all(|c| matches!(c, Conjunct::Fast(_)));
        Split { claim, claim_tests, claim_rest, line, fast }
    }

    /// The value of the claim-level part (true when there is none): its claim tests, then,
    /// only when they all hold, the rest of it through `eval`. Claim tests cannot fault, and
    /// `and` stops at the first false part, so this is the value and the fault of the part as
    /// written.
    #[inline]
    pub fn claim_value<E>(&self, claim: &Claim, eval: impl FnOnce(&Expr) -> Result<bool, E>) -> Result<bool, E> {
        if !self.claim_tests.iter().all(|t| t.holds(claim)) {
            return Ok(false);
        }
        self.claim_rest.as_ref().map_or(Ok(true), eval)
    }

    /// The line tests on a line, in order: the condition's value when [`Split::fast`] is set
    /// (an expression conjunct counts as false).
    #[inline]
    pub fn line_tests_hold(&self, line: &kongtun_core::claim::Line) -> bool {
        self.line.iter().all(|c| match c {
            Conjunct::Fast(test) => test.holds(line),
            Conjunct::Expr(_) => false,
        })
    }
}

/// Conjuncts as one expression: none, the one, or their `and`.
fn conjunction(parts: &[Expr]) -> Option<Expr> {
    match parts {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(Expr::And(many.to_vec().into_boxed_slice())),
    }
}

impl Expr {
    /// This claim-level conjunct as a [`ClaimTest`] when it has one of the common shapes.
    fn claim_test(&self) -> Option<ClaimTest> {
        let flag = |f: Field| matches!(f, Field::WorkInjury | Field::HasAccident);
        match self {
            Expr::Compare(op @ (Cmp::Eq | Cmp::Ne), a, b) => match (&**a, &**b) {
                (Expr::Field(f), Expr::Text(t)) | (Expr::Text(t), Expr::Field(f)) if text_field(*f) => {
                    use kongtun_core::claim::Setting;
                    let setting = [Setting::Op, Setting::Ip].into_iter().find(|s| s.as_str() == &**t);
                    Some(match (f, setting) {
                        (Field::Setting, Some(s)) => ClaimTest::Setting(s, *op == Cmp::Eq),
                        _ => ClaimTest::Text(*f, t.clone(), *op == Cmp::Eq),
                    })
                }
                (Expr::Count(f), Expr::Num(n)) | (Expr::Num(n), Expr::Count(f))
                    if *op == Cmp::Eq && n.is_zero() && matches!(f, Field::Diagnoses | Field::Procedures) =>
                {
                    Some(ClaimTest::NoCodes(*f))
                }
                _ => None,
            },
            Expr::Present(f) if optional_field(*f) => Some(ClaimTest::Present(*f, true)),
            Expr::Field(f) if flag(*f) => Some(ClaimTest::Flag(*f, true)),
            Expr::Not(e) => match &**e {
                Expr::Present(f) if optional_field(*f) => Some(ClaimTest::Present(*f, false)),
                Expr::Field(f) if flag(*f) => Some(ClaimTest::Flag(*f, false)),
                _ => None,
            },
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::EvalContext;
    use kongtun_core::money::Money;
    use rust_decimal::Decimal;

    /// Every shape a [`ClaimTest`] takes gives, on every claim, what the evaluator gives.
    #[test]
    fn claim_tests_agree_with_the_evaluator() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims");
        let mut claims: Vec<Claim> =
            kongtun_core::document::read_batch(&[root]).into_iter().filter_map(|r| r.claim.ok()).collect();
        let mut gen = kongtun_testkit::generate::ClaimGenerator::new(2568);
        claims.extend((0..300).map(|_| gen.any_claim()));
        // And each claim bare: every optional field absent, no codes, no flags.
        let bare: Vec<Claim> = claims
            .iter()
            .map(|c| Claim {
                sub_fund: None,
                hcode: None,
                hospmain: None,
                hospsub: None,
                visit_type: None,
                adj_rw: None,
                submitted: None,
                discharge_date: None,
                accident: None,
                work_injury: !c.work_injury,
                diagnoses: Vec::new(),
                procedures: Vec::new(),
                ..c.clone()
            })
            .collect();
        claims.extend(bare);
        let field = |f| Box::new(Expr::Field(f));
        let text = |t: &str| Box::new(Expr::Text(t.into()));
        let zero = || Box::new(Expr::Num(Decimal::ZERO));
        let mut shapes = Vec::new();
        for (f, values) in [
            (Field::Setting, &["ip", "op", "IP"][..]),
            (Field::Fund, &["UC", "CSMBS"]),
            (Field::SubFund, &["", "X"]),
            (Field::Hcode, &["10703", ""]),
            (Field::Hospmain, &["10703", "11111"]),
            (Field::Hospsub, &["10703"]),
            (Field::VisitType, &["refer_out_of_province", "accident", "emergency"]),
        ] {
            for v in values {
                shapes.push(Expr::Compare(Cmp::Eq, field(f), text(v)));
                shapes.push(Expr::Compare(Cmp::Ne, text(v), field(f)));
            }
            shapes.push(Expr::Present(f));
        }
        for f in [Field::AdjRw, Field::Submitted, Field::DischargeDate] {
            shapes.push(Expr::Present(f));
        }
        for f in [Field::Diagnoses, Field::Procedures] {
            shapes.push(Expr::Compare(Cmp::Eq, Box::new(Expr::Count(f)), zero()));
            shapes.push(Expr::Compare(Cmp::Eq, zero(), Box::new(Expr::Count(f))));
        }
        shapes.push(Expr::Field(Field::WorkInjury));
        shapes.push(Expr::Field(Field::HasAccident));
        let negated: Vec<Expr> = shapes.iter().map(|e| Expr::Not(Box::new(e.clone()))).collect();
        shapes.extend(negated.into_iter().filter(|e| e.claim_test().is_some()));
        for e in &shapes {
            let test = e.claim_test().unwrap_or_else(|| panic!("{e:?} is a claim test"));
            for claim in &claims {
                let ctx = EvalContext {
                    claim,
                    charged: Money::ZERO,
                    claimable_charged: Money::ZERO,
                    line: None,
                    outputs: &[],
                };
                assert_eq!(test.holds(claim), e.test(&ctx).expect("no fault"), "{e:?} on {}", claim.id);
            }
        }
        // Not claim tests: an ordering, a count other than zero, a line field.
        assert!(Expr::Compare(Cmp::Lt, field(Field::Setting), text("ip")).claim_test().is_none());
        let one = Box::new(Expr::Num(Decimal::ONE));
        assert!(Expr::Compare(Cmp::Eq, Box::new(Expr::Count(Field::Diagnoses)), one).claim_test().is_none());
        assert!(Expr::Present(Field::Serial).claim_test().is_none());
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
        assert!(!split.fast);
        assert_eq!(
            Split::of(&ip),
            Split {
                claim: Some(ip.clone()),
                claim_tests: Box::new([ClaimTest::Setting(kongtun_core::claim::Setting::Ip, true)]),
                claim_rest: None,
                line: Box::new([]),
                fast: false
            }
        );
        let serial = Split::of(&Expr::Not(Box::new(Expr::Present(Field::Serial))));
        assert!(serial.fast);
        let odd = eq(Field::Category, Expr::Num(Decimal::new(25, 1)));
        assert_eq!(*Split::of(&odd).line, [Conjunct::Expr(odd.clone())]);
    }
}
