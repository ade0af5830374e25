//! The narration of an evaluation: structured steps, one per decision, with the values it
//! read and its arithmetic. Evaluation builds them only for an [`Observer`] that asks
//! ([`Observer::narrating`]), so the hot path builds no text; `kongtun-audit` renders them in
//! English or Thai, and tests can match on them.

use chrono::NaiveDate;
use kongtun_core::claim::Setting;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::Severity;
use rust_decimal::Decimal;

use crate::format::Destination;
use crate::pack::Pack;

/// Watches an evaluation: which rules and table rows fired, and (if it asks) why.
pub trait Observer {
    /// True to receive [`Observer::step`] narration (building it costs time).
    fn narrating(&self) -> bool {
        false
    }
    /// One step of the narration: a decision, the values it read, the arithmetic.
    fn step(&mut self, _step: Step<'_>) {}
    /// A rule, tier, check or timeliness rule of `pack` fired (took lines, paid, raised).
    fn fired(&mut self, _pack: &Pack, _rule: &str) {}
    /// Row `row` of table `table` of `pack` matched a line that its rule then took.
    fn row_hit(&mut self, _pack: &Pack, _table: usize, _row: usize) {}
}

/// The observer that watches nothing; it costs nothing.
pub struct NoObserver;

impl Observer for NoObserver {}

/// A charge line as the narration names it: `line 2 ROOM-WARD 5 x 600.00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRef<'a> {
    /// Its index in the claim, from 0.
    pub index: usize,
    /// Its billing code.
    pub code: &'a str,
    /// Quantity.
    pub qty: Decimal,
    /// Unit price.
    pub price: Money,
}

/// Where an amount came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source<'a> {
    /// Written in the expression, or computed.
    Expression,
    /// A pack parameter.
    Param(&'a str),
    /// An output of a decision-table row (row from 1), and the parameter the cell named.
    TableRow {
        /// The parameter named in the cell, if any.
        param: Option<&'a str>,
        /// The table.
        table: &'a str,
        /// The row, from 1.
        row: usize,
    },
}

/// An amount and where it came from: `49,800.00 (tka_ceiling, table special-items row 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount<'a> {
    /// The value.
    pub value: Money,
    /// Its source.
    pub source: Source<'a>,
}

/// A value a condition read: `line.code = "ROOM-WARD"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueRead {
    /// The field's dotted name.
    pub field: &'static str,
    /// The value as the language writes it (`"HD"`, `3.5`, `absent`).
    pub value: String,
}

/// How a rule priced one line, before group caps and percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinePricing<'a> {
    /// The charge, in full.
    AsCharged,
    /// Nothing.
    Nothing,
    /// The unit price capped at a rate, times the quantity.
    CapPerUnit(Amount<'a>),
    /// A cap of `first + next x further` units.
    Tiered {
        /// The first unit's cap.
        first: Amount<'a>,
        /// Each further unit's cap.
        next: Amount<'a>,
        /// Units after the first.
        further: Decimal,
        /// The resulting cap.
        cap: Money,
    },
}

/// A group of lines under one cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The earliest day of the claim's lines.
    FirstDay(NaiveDate),
    /// A later day.
    LaterDay(NaiveDate),
    /// An ISO week, by its Monday.
    Week(NaiveDate),
    /// A calendar month, by its first day.
    Month(NaiveDate),
    /// The whole claim.
    Claim,
}

/// The date timeliness counts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentBy {
    /// The claim's `submitted` date.
    Submitted,
    /// No `submitted` date: the evaluation's as-of date.
    AsOf,
}

/// One decision of an evaluation, in the order the algorithm takes them.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Step<'a> {
    /// The claim evaluated.
    Claim {
        /// Claim id.
        id: &'a str,
        /// Its main fund.
        fund: &'a FundId,
        /// OP or IP.
        setting: Setting,
        /// The date that chose the packs.
        claim_date: NaiveDate,
        /// Sum of the charges.
        charged: Money,
    },
    /// A primary pack (e.g. PRB) pays first for these lines.
    PrimaryCovers {
        /// The pack's label.
        pack: &'a str,
        /// The lines it covers.
        lines: &'a [u32],
        /// The charges covered by every primary so far.
        charges: Money,
    },
    /// A tier or a DRG rule pays nothing: its condition is false.
    NotPaid {
        /// Tier or rule id.
        rule: &'a str,
        /// The condition as written.
        condition: &'a str,
        /// What it read.
        values: Vec<ValueRead>,
    },
    /// A tier paid (possibly zero).
    TierPaid {
        /// Tier id.
        tier: &'a str,
        /// Its limit.
        limit: Amount<'a>,
        /// The part of the limit the victim's earlier claims of the same accident took.
        taken_before: Money,
        /// What the primary's charges had left.
        left: Money,
        /// `min(limit, left)`.
        amount: Money,
        /// The primary fund.
        payer: &'a FundId,
        /// Pending until the case settles.
        pending: bool,
    },
    /// A pending tier deferred: the main fund pays now, beyond what the primaries pay now;
    /// the tier is owed (pending) only on what it leaves, and settled by evaluating the claim
    /// again once the case is decided.
    TierDeferred {
        /// Tier id.
        tier: &'a str,
        /// The main pack's hand-off id.
        handoff: &'a str,
        /// What the tier would pay once decided.
        amount: Money,
        /// The primary fund.
        payer: &'a FundId,
    },
    /// After the main fund paid ahead of a deferred tier: what the tier owes, pending, on
    /// what the main fund left.
    DeferredPending {
        /// Tier id.
        tier: &'a str,
        /// The primary fund.
        payer: &'a FundId,
        /// Pending amount.
        amount: Money,
    },
    /// The main pack takes over the pricing.
    MainPrices {
        /// The pack's label.
        pack: &'a str,
        /// The main fund.
        fund: &'a FundId,
        /// Where money above a cap goes by default.
        excess: Destination,
    },
    /// A DRG rule paid Adj.RW x rate for the admission.
    DrgPaid {
        /// Rule id.
        rule: &'a str,
        /// The claim's Adj.RW.
        adj_rw: Decimal,
        /// The base rate.
        rate: Amount<'a>,
        /// Adj.RW x rate.
        amount: Money,
        /// The fund paying.
        payer: &'a FundId,
        /// The lines it collected.
        lines: &'a [u32],
        /// Their charges.
        collected: Money,
    },
    /// A DRG rule found no Adj.RW: it pays 0, its lines go to the difference.
    DrgWithoutAdjRw {
        /// Rule id.
        rule: &'a str,
        /// The lines it collected.
        lines: &'a [u32],
        /// Their charges.
        collected: Money,
    },
    /// No row of the rule's table matches the line.
    NoTableRow {
        /// Rule id.
        rule: &'a str,
        /// The line.
        line: LineRef<'a>,
        /// The table.
        table: &'a str,
    },
    /// The rule's condition is false for the line.
    LineNotTaken {
        /// Rule id.
        rule: &'a str,
        /// The line.
        line: LineRef<'a>,
        /// The condition as written.
        condition: &'a str,
        /// What it read.
        values: Vec<ValueRead>,
    },
    /// The rule took the line.
    LinePriced {
        /// Rule id.
        rule: &'a str,
        /// The line.
        line: LineRef<'a>,
        /// How it priced it.
        pricing: LinePricing<'a>,
        /// The fund paying.
        payer: &'a FundId,
        /// What the fund allows.
        allowed: Money,
        /// The rest of the charge.
        rest: Money,
        /// Where the rest goes.
        rest_to: Destination,
    },
    /// A group of a rule's lines was capped.
    GroupCapped {
        /// Rule id.
        rule: &'a str,
        /// The group.
        group: Group,
        /// What its lines allowed.
        total: Money,
        /// The cap.
        cap: Amount<'a>,
    },
    /// No rule took these lines: their charges go to the difference.
    Unpriced {
        /// The lines.
        lines: &'a [u32],
        /// Their charges.
        amount: Money,
    },
    /// Coordination of benefits: the main fund pays at most what the primaries left.
    Coordination {
        /// What the primaries paid.
        primary_paid: Money,
        /// The charges they covered.
        covered: Money,
        /// The main fund.
        payer: &'a FundId,
        /// What it would pay alone.
        would_pay: Money,
        /// What the primaries left.
        balance: Money,
        /// What it pays.
        paid: Money,
        /// What the patient owes after.
        patient: Money,
    },
    /// Sent after the deadline: the main fund's payment is lost.
    Expired {
        /// Expiry rule id.
        rule: &'a str,
        /// Which date counted.
        sent_by: SentBy,
        /// That date.
        sent: NaiveDate,
        /// The deadline.
        deadline: Option<NaiveDate>,
        /// The payment lost.
        lost: Money,
    },
    /// Sent by the deadline.
    InTime {
        /// Expiry rule id.
        rule: &'a str,
        /// Which date counted.
        sent_by: SentBy,
        /// That date.
        sent: NaiveDate,
        /// The deadline.
        deadline: Option<NaiveDate>,
    },
    /// Sent late: a percentage of the payment is cut.
    Late {
        /// Late rule id.
        rule: &'a str,
        /// Which date counted.
        sent_by: SentBy,
        /// That date.
        sent: NaiveDate,
        /// Days after the claim date.
        days: i64,
        /// The claim date.
        claim_date: NaiveDate,
        /// The window in days.
        window: Option<Decimal>,
        /// The percentage cut.
        percent: Decimal,
        /// The payment it is taken from.
        of: Money,
        /// The cut.
        cut: Money,
    },
    /// Sent within the window.
    NotLate {
        /// Late rule id.
        rule: &'a str,
        /// Which date counted.
        sent_by: SentBy,
        /// That date.
        sent: NaiveDate,
        /// Days after the claim date.
        days: i64,
        /// The claim date.
        claim_date: NaiveDate,
        /// The window in days.
        window: Option<Decimal>,
    },
    /// A per-line check is true for a line.
    CheckLine {
        /// Check id.
        check: &'a str,
        /// Finding code.
        code: &'a str,
        /// The line.
        line: LineRef<'a>,
        /// The condition as written.
        condition: &'a str,
        /// What it read.
        values: Vec<ValueRead>,
    },
    /// A holding check fired: the fund pays this much only once the claim is fixed.
    Held {
        /// The holding check's id.
        check: &'a str,
        /// The fund whose money is held.
        fund: &'a FundId,
        /// How much is held.
        amount: Money,
        /// The whole claim is held (a claim check), else the flagged lines.
        whole_claim: bool,
        /// The flagged lines (empty for a claim check).
        lines: &'a [u32],
    },
    /// The fund is expected to pay a lower DRG rate than it announced.
    ExpectedPayment {
        /// The pack's expected-payment id.
        rule: &'a str,
        /// The claim's Adj.RW.
        adj_rw: Decimal,
        /// The announced rate.
        announced: Money,
        /// The rate the fund is expected to pay, as known on the as-of date.
        rate: Decimal,
        /// The fund's claimable amount.
        claimable: Money,
        /// What it is expected to pay of it.
        expected: Money,
    },
    /// A per-line check matched no line.
    CheckNoLine {
        /// Check id.
        check: &'a str,
        /// Finding code.
        code: &'a str,
        /// The condition as written.
        condition: &'a str,
    },
    /// A claim check is true: it raises its finding.
    CheckRaised {
        /// Check id.
        check: &'a str,
        /// Finding code.
        code: &'a str,
        /// The condition as written.
        condition: &'a str,
        /// What it read.
        values: Vec<ValueRead>,
        /// The finding's severity.
        severity: Severity,
    },
    /// A claim check is false.
    CheckPassed {
        /// Check id.
        check: &'a str,
        /// Finding code.
        code: &'a str,
        /// The condition as written.
        condition: &'a str,
        /// What it read.
        values: Vec<ValueRead>,
    },
}

impl Step<'_> {
    /// True for a rule or check that was considered and did nothing (its condition false, no
    /// table row, no line matched): what a short story of the evaluation leaves out.
    pub fn only_considered(&self) -> bool {
        matches!(
            self,
            Step::LineNotTaken { .. } | Step::NoTableRow { .. } | Step::CheckNoLine { .. } | Step::CheckPassed { .. }
        )
    }
}
