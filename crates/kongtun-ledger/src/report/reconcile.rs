//! Reconciliation: what each fund was expected to pay against what its statements paid, the
//! difference to adjust, claims stuck with C / D / V and the days left before the deadline.

use crate::receivable::{ErrorType, Receivable, State};
use chrono::NaiveDate;
use kongtun_core::calendar::FiscalYear;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use serde::Serialize;

use crate::book::Book;
use crate::table::{Cell, Table};
use kongtun_core::calendar::FundCalendar;

/// What to do about one fund receivable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Stuck with an error: fix and re-send before the deadline.
    FixAndResend,
    /// Held by an error the evaluation found: fix it, then send, before the deadline.
    FixBeforeSending,
    /// Not sent yet: send it before the deadline.
    Send,
    /// Sent, no answer yet.
    AwaitStatement,
    /// What is open is pending (e.g. พรบ. tier 2 while the fault case is open): wait for it.
    AwaitPending,
    /// The fund paid less than expected: adjust the difference (ส่วนต่าง).
    AdjustDifference,
    /// The fund paid more than was open: refund or adjust.
    RefundOverpayment,
    /// The deadline has passed with money open: the money is lost unless the fund agrees.
    Expired,
    /// Nothing left: settled.
    None,
}

impl Action {
    fn label(self) -> &'static str {
        match self {
            Action::FixAndResend => "fix and re-send",
            Action::FixBeforeSending => "fix before sending",
            Action::Send => "send",
            Action::AwaitStatement => "await statement",
            Action::AwaitPending => "await pending case",
            Action::AdjustDifference => "adjust difference",
            Action::RefundOverpayment => "refund overpayment",
            Action::Expired => "EXPIRED",
            Action::None => "",
        }
    }
}

/// One fund receivable, reconciled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReconcileRow {
    /// The claim id.
    pub claim: String,
    /// The fund that owes.
    pub payer: FundId,
    /// Fiscal year of the claim date.
    pub fiscal_year: FiscalYear,
    /// Expected by the evaluation.
    pub expected: Money,
    /// Paid by statements.
    pub paid: Money,
    /// Already adjusted or written off.
    pub adjusted: Money,
    /// `expected - paid - adjusted - written off` (negative = overpaid).
    pub balance: Money,
    /// Where it stands.
    pub state: State,
    /// The error code it is stuck with, and its type.
    pub error: Option<(String, ErrorType)>,
    /// What the error code means (NHSO's Thai text), once described
    /// ([`Reconciliation::describe_errors`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// How to fix it (NHSO's Thai guide), once described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_guide: Option<String>,
    /// The fund's last day to accept the claim, by its pack's expiry rule.
    pub deadline: Option<NaiveDate>,
    /// Days from the as-of date to the deadline (negative once passed).
    pub days_left: Option<i64>,
    /// What to do.
    pub action: Action,
}

/// Every fund receivable that is not settled, and the totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The date the books are closed on.
    pub as_of: NaiveDate,
    /// Rows needing attention, most urgent first (stuck by days left, then the rest).
    pub rows: Vec<ReconcileRow>,
    /// Expected over all fund receivables.
    pub expected: Money,
    /// Paid over all fund receivables.
    pub paid: Money,
    /// Differences to adjust (fund paid less than expected).
    pub to_adjust: Money,
    /// The part of `to_adjust` known in advance: the fund's paid rate below its announced
    /// rate (UC's re-run DRG rate). The rest is unexplained and worth a look.
    pub to_adjust_expected: Money,
    /// Over all fund receivables, what the funds are not expected to pay of what is
    /// claimed (announced minus expected paid rate).
    pub expected_shortfall: Money,
    /// Overpayments to refund or adjust.
    pub overpaid: Money,
    /// Receivables stuck with C, D and V errors.
    pub stuck: [usize; 3],
    /// Open money stuck with errors.
    pub stuck_amount: Money,
    /// Open money held by errors the evaluation found (not money coming until fixed).
    pub held: Money,
}

fn action(r: &Receivable, days_left: Option<i64>) -> Action {
    let expired = days_left.is_some_and(|d| d < 0);
    let only_pending = r.pending() > Money::ZERO && r.open() <= r.pending();
    match r.state() {
        State::PartlyPaid | State::Sent if only_pending => Action::AwaitPending,
        State::Settled => Action::None,
        State::Overpaid => Action::RefundOverpayment,
        State::Stuck if expired => Action::Expired,
        State::Stuck => Action::FixAndResend,
        State::Held if expired => Action::Expired,
        State::Held => Action::FixBeforeSending,
        // Part paid, the rest held: the held lines need the fix, not an adjustment.
        State::PartlyPaid | State::Sent if r.held() > Money::ZERO => Action::FixAndResend,
        State::Unsent if expired => Action::Expired,
        State::Unsent => Action::Send,
        State::PartlyPaid => Action::AdjustDifference,
        // A statement paid nothing more and raised no error: the rest is a difference too.
        State::Sent if r.statements() > 0 => Action::AdjustDifference,
        State::Sent => Action::AwaitStatement,
        State::Billed => Action::None,
    }
}

impl Reconciliation {
    /// Reconciles every fund receivable (patient debts are the dunning report's).
    pub fn of(book: &Book, calendar: &dyn FundCalendar) -> Reconciliation {
        let mut rec = Reconciliation {
            as_of: book.as_of,
            rows: Vec::new(),
            expected: Money::ZERO,
            paid: Money::ZERO,
            to_adjust: Money::ZERO,
            to_adjust_expected: Money::ZERO,
            expected_shortfall: Money::ZERO,
            overpaid: Money::ZERO,
            stuck: [0; 3],
            stuck_amount: Money::ZERO,
            held: Money::ZERO,
        };
        for r in book.ledger.receivables().iter().filter(|r| !r.is_patient_debt()) {
            rec.expected += r.expected();
            rec.paid += r.paid();
            rec.held += r.held();
            rec.expected_shortfall += r.expected_shortfall();
            let deadline = r.timing().and_then(|t| calendar.deadline(&t));
            let days_left = deadline.map(|d| (d - book.as_of).num_days());
            let action = action(r, days_left);
            match action {
                Action::AdjustDifference => {
                    rec.to_adjust += r.open();
                    rec.to_adjust_expected += r.open().min(r.expected_shortfall());
                }
                Action::RefundOverpayment => rec.overpaid -= r.balance(),
                _ => {}
            }
            if let Some(s) = r.stuck().filter(|_| r.open() > Money::ZERO) {
                rec.stuck[s.kind as usize] += 1;
                rec.stuck_amount += r.open();
            }
            if action == Action::None {
                continue;
            }
            rec.rows.push(ReconcileRow {
                claim: r.claim().to_string(),
                payer: r.payer().clone(),
                fiscal_year: r.fiscal_year(),
                expected: r.expected(),
                paid: r.paid(),
                adjusted: r.adjusted() + r.written_off(),
                balance: r.balance(),
                state: r.state(),
                error: r.stuck().map(|s| (s.code.clone(), s.kind)),
                error_description: None,
                error_guide: None,
                deadline,
                days_left,
                action,
            });
        }
        rec.rows.sort_by(|a, b| {
            (a.action, a.days_left.unwrap_or(i64::MAX), &a.claim).cmp(&(
                b.action,
                b.days_left.unwrap_or(i64::MAX),
                &b.claim,
            ))
        });
        rec
    }

    /// The rows as a table, with the totals under it.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Reconciliation as of {}: expected {}, paid {}, to adjust {} ({} expected from paid rates), stuck C/D/V {}/{}/{} ({}), held {}",
                self.as_of,
                self.expected.grouped(),
                self.paid.grouped(),
                self.to_adjust.grouped(),
                self.to_adjust_expected.grouped(),
                self.stuck[0],
                self.stuck[1],
                self.stuck[2],
                self.stuck_amount.grouped(),
                self.held.grouped()
            ),
            &[
                "claim",
                "payer",
                "FY",
                "expected",
                "paid",
                "adjusted",
                "balance",
                "error",
                "deadline",
                "days left",
                "action",
            ],
        );
        for r in &self.rows {
            t.rows.push(vec![
                Cell::text(&r.claim),
                Cell::text(r.payer.as_str()),
                Cell::text(r.fiscal_year.to_string()),
                Cell::Money(r.expected),
                Cell::Money(r.paid),
                Cell::Money(r.adjusted),
                Cell::Money(r.balance),
                r.error.as_ref().map_or(Cell::Empty, |(code, kind)| Cell::text(format!("{code} ({})", kind.as_str()))),
                r.deadline.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                r.days_left.map_or(Cell::Empty, Cell::number),
                Cell::text(r.action.label()),
            ]);
        }
        t
    }
}
