//! The compiled model of a pack: what evaluation reads. Every expression is compiled, every
//! parameter resolved to its value, every table indexed. Read-only once built.

use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::outcome::{Severity, Text};
use kongtun_core::yaml::Pos;
use rust_decimal::Decimal;

use super::code_index::CodeIndex;
use crate::expr::{self, Expr};
use crate::format::{DeadlineFrom, Destination, Layer, Unit};
use crate::table::Table;
use kongtun_core::claim::Setting;

/// A compiled pack version.
#[derive(Debug)]
pub struct Pack {
    /// Pack id: `uc`.
    pub(crate) id: Arc<str>,
    /// The fund it decides for.
    pub(crate) fund: FundId,
    /// Version label: `2568`.
    pub(crate) version: Arc<str>,
    /// `uc@2568 <sha256 of the file>`: names exactly the rules that produced a number.
    pub(crate) label: Arc<str>,
    /// The file it came from.
    pub(crate) file: Arc<str>,
    /// What it is.
    pub(crate) title: Option<Text>,
    /// First day in force.
    pub(crate) from: NaiveDate,
    /// Last day in force (inclusive); `None` = open-ended.
    pub(crate) to: Option<NaiveDate>,
    /// Main or primary.
    pub(crate) layer: Layer,
    /// Primary packs: the claims they pay first for.
    pub(crate) applies: Option<Expr>,
    /// `applies`, split for speed (same meaning, same faults).
    pub(crate) applies_split: Option<expr::Split>,
    /// Primary packs: the lines the tiers cover.
    pub(crate) covers: Expr,
    /// Primary packs: the tiers' limits are the victim's for one accident, across claims.
    pub(crate) per_accident: bool,
    /// Default destination of money above a cap.
    pub(crate) excess: Destination,
    /// Parameters, as written.
    pub(crate) params: Vec<Param>,
    /// Decision tables.
    pub(crate) tables: Vec<Table>,
    /// Pricing rules, in order.
    pub(crate) rules: Vec<Rule>,
    /// Payment tiers, in order.
    pub(crate) tiers: Vec<Tier>,
    /// Checks.
    pub(crate) checks: Vec<Check>,
    /// Late penalties (the first whose setting fits a claim applies).
    pub(crate) late: Vec<Late>,
    /// Expiry rules (the first whose setting fits a claim applies).
    pub(crate) expiry: Vec<Expiry>,
    /// Main packs that pay while a primary's tier is pending: the hand-off.
    pub(crate) pays_while_pending: Option<PaysWhilePending>,
    /// The DRG rate the fund is expected to pay, beside the announced one.
    pub(crate) expected_payment: Option<ExpectedPayment>,
    /// Ids and messages of the engine's own entries, built once so evaluation never allocates them.
    pub(crate) builtin: Builtin,
    /// Which pricing rules can take a line, by the line's code.
    pub(crate) code_index: CodeIndex,
    /// Where the `effective:` range is written (set by the loader).
    pub(crate) effective_pos: Option<Pos>,
}

/// The engine's own trace ids and finding, shared by every claim.
#[derive(Debug)]
pub(crate) struct Builtin {
    /// Rule id of the coordination-of-benefits adjustment.
    pub(crate) cob: Arc<str>,
    /// Rule id and finding code of lines no rule priced.
    pub(crate) unpriced: Arc<str>,
    /// Finding code `UNPRICED`.
    pub(crate) unpriced_code: Arc<str>,
    /// Its message.
    pub(crate) unpriced_message: Text,
}

impl Builtin {
    pub(crate) fn for_pack(id: &str) -> Builtin {
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
    /// The previous version's value, used for want of a published one.
    pub carried_forward: bool,
    /// Where it comes from.
    pub source: Option<String>,
    /// Where it is declared.
    pub pos: Option<Pos>,
}

/// A pricing rule.
#[derive(Debug)]
pub(crate) struct Rule {
    /// Id.
    pub(crate) id: Arc<str>,
    /// Which lines (or, for DRG, which claims) it takes.
    pub(crate) when: Option<Expr>,
    /// The condition as written (for explanations).
    pub(crate) when_src: Option<Arc<str>>,
    /// `when`, split for speed (same meaning, same faults).
    pub(crate) when_split: Option<expr::Split>,
    /// The table the line must hit.
    pub(crate) table: Option<usize>,
    /// This rule's bit in [`Pack::code_index`], when it can only take lines with the codes
    /// indexed there (set when the pack compiles).
    pub(crate) code_bit: Option<u64>,
    /// How it pays.
    pub(crate) pricing: Pricing,
    /// Where the unpaid part goes.
    pub(crate) rest: Destination,
}

/// The base of a rule's payment.
#[derive(Debug)]
pub(crate) enum PriceBase {
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
pub(crate) struct Pricing {
    /// Per-line base.
    pub(crate) base: PriceBase,
    /// Caps on groups of the lines taken, applied in order: day, then week, then month.
    pub(crate) caps: Vec<GroupCap>,
    /// Percentage of the allowed amount paid.
    pub(crate) percent: Option<Expr>,
}

/// A cap on the total a rule allows for a group of its lines.
#[derive(Debug)]
pub(crate) enum GroupCap {
    /// Per day of service: the earliest day, later days.
    Day(Expr, Expr),
    /// Per ISO week (Monday to Sunday).
    Week(Expr),
    /// Per calendar month.
    Month(Expr),
    /// All the rule's lines of the claim together.
    Claim(Expr),
}

/// A payment tier.
#[derive(Debug)]
pub(crate) struct Tier {
    /// Id.
    pub(crate) id: Arc<str>,
    /// Most it pays.
    pub(crate) limit: Expr,
    /// When it pays.
    pub(crate) when: Option<Expr>,
    /// While true, its amount is pending.
    pub(crate) pending_when: Option<Expr>,
    /// The conditions as written (for explanations).
    pub(crate) when_src: Option<Arc<str>>,
}

/// A check.
#[derive(Debug)]
pub(crate) struct Check {
    /// Rule id.
    pub(crate) id: Arc<str>,
    /// Finding code.
    pub(crate) code: Arc<str>,
    /// Severity.
    pub(crate) severity: Severity,
    /// Evaluated per line.
    pub(crate) per_line: bool,
    /// The fund will not pay what it concerns while it stands.
    pub(crate) holds: bool,
    /// Condition.
    pub(crate) when: Expr,
    /// `when`, split for speed (same meaning, same faults).
    pub(crate) when_split: expr::Split,
    /// The condition as written (for explanations).
    pub(crate) when_src: Arc<str>,
    /// This check's bit in [`Pack::code_index`], when it can only flag lines with the codes
    /// indexed there (set when the pack compiles).
    pub(crate) code_bit: Option<u64>,
    /// Message.
    pub(crate) message: Text,
    /// How to fix it, for the worklist.
    pub(crate) fix: Option<Text>,
}

/// A finding template raised by timeliness.
#[derive(Debug)]
pub(crate) struct FindingSpec {
    /// Code.
    pub(crate) code: Arc<str>,
    /// Severity.
    pub(crate) severity: Severity,
    /// Message.
    pub(crate) message: Text,
    /// How to fix it, for the worklist.
    pub(crate) fix: Option<Text>,
}

/// The DRG rate a fund is expected to pay, as known from each date on.
#[derive(Debug)]
pub(crate) struct ExpectedPayment {
    /// Its id.
    pub(crate) id: Arc<str>,
    /// (from, baht per Adj.RW), by date.
    pub(crate) drg_rate: Vec<(NaiveDate, Decimal)>,
}

impl ExpectedPayment {
    /// The rate known on `as_of`: the latest whose date is on or before it.
    pub(crate) fn drg_rate_on(&self, as_of: NaiveDate) -> Option<Decimal> {
        self.drg_rate.iter().rev().find(|(from, _)| *from <= as_of).map(|(_, v)| *v)
    }
}

/// A main fund that pays beyond what the primaries pay now, deferring their pending tiers.
#[derive(Debug)]
pub(crate) struct PaysWhilePending {
    /// The hand-off's id.
    pub(crate) id: Arc<str>,
    /// Raised when a tier was deferred.
    pub(crate) finding: Option<FindingSpec>,
}

/// Late penalty.
#[derive(Debug)]
pub(crate) struct Late {
    /// Rule id.
    pub(crate) id: Arc<str>,
    /// Only for OP or IP claims.
    pub(crate) setting: Option<Setting>,
    /// Window in days after the claim date.
    pub(crate) after_days: Expr,
    /// Percentage cut.
    pub(crate) penalty_percent: Expr,
    /// Finding.
    pub(crate) finding: FindingSpec,
    /// Days before turning late to warn a claim not yet sent, and the warning.
    pub(crate) warn_before: Option<(Expr, FindingSpec)>,
}

/// How the deadline is set.
#[derive(Debug)]
pub(crate) enum Deadline {
    /// 30 Sep of the claim's fiscal year + n.
    FiscalYears(u32),
    /// The last day of the claim's fiscal year + n calendar months.
    MonthsAfterFiscalYear(u32),
    /// The day counted from + n calendar months.
    Months(u32),
    /// The day counted from + days.
    Days(Expr),
}

/// Expiry.
#[derive(Debug)]
pub(crate) struct Expiry {
    /// Rule id.
    pub(crate) id: Arc<str>,
    /// Only for OP or IP claims.
    pub(crate) setting: Option<Setting>,
    /// The day the deadline counts from.
    pub(crate) from: DeadlineFrom,
    /// The deadline.
    pub(crate) deadline: Deadline,
    /// Primary packs: the tiers it forfeits (empty: every tier).
    pub(crate) tiers: Vec<Arc<str>>,
    /// Finding.
    pub(crate) finding: FindingSpec,
}

impl Expiry {
    /// True when the deadline is for tier `id` (every tier when none is named).
    pub(crate) fn covers_tier(&self, id: &str) -> bool {
        self.tiers.is_empty() || self.tiers.iter().any(|t| &**t == id)
    }
}

/// A shared string.
pub(crate) fn arc(s: &str) -> Arc<str> {
    Arc::from(s)
}
