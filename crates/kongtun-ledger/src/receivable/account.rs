//! One receivable: what one payer owes for one claim, and what has happened to it.

use chrono::NaiveDate;
use serde::Serialize;

use super::event::{ErrorType, Event, EventKind, StatementError};
use kongtun_core::calendar::FiscalYear;
use kongtun_core::claim::Setting;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// The payer of the patient's share (ส่วนเกิน and non-claimable lines).
pub const PATIENT: &str = "PATIENT";

/// The payer of self-pay claims: like [`PATIENT`], a debt of the patient.
pub const SELF_PAY: &str = "SELF";

/// Where a receivable stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Owed by a fund, not yet sent.
    Unsent,
    /// Sent (or re-sent), no answer yet.
    Sent,
    /// The fund answered with an error code: C, D or V.
    Stuck,
    /// All that is open is held by an error the fund enforces, found by the evaluation
    /// (a device without its serial, an accident without its cause code): fix it before
    /// sending, it is not money coming.
    Held,
    /// The fund paid part of it: the rest is the difference to adjust.
    PartlyPaid,
    /// Owed by the patient.
    Billed,
    /// Nothing left to collect.
    Settled,
    /// More was paid than was owed, recorded as an overpayment.
    Overpaid,
}

impl State {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Unsent => "unsent",
            State::Sent => "sent",
            State::Stuck => "stuck",
            State::Held => "held",
            State::PartlyPaid => "partly_paid",
            State::Billed => "billed",
            State::Settled => "settled",
            State::Overpaid => "overpaid",
        }
    }
}

/// The error a receivable is stuck with, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stuck {
    /// The fund's code.
    pub code: String,
    /// C, D or V.
    pub kind: ErrorType,
    /// The statement's date.
    pub since: NaiveDate,
}

/// What one payer owes for one claim, kept to the satang.
///
/// `balance = expected - paid - adjusted - written_off`, always. The balance is negative
/// only when a payment was larger than what was open: the excess is then recorded as an
/// overpayment ([`Receivable::overpaid`]), never silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receivable {
    pub(crate) claim: String,
    /// The hospital that gave the care (empty when not known): the provincial view groups by it.
    pub(crate) hcode: String,
    pub(crate) payer: FundId,
    pub(crate) fund: FundId,
    pub(crate) setting: Option<Setting>,
    pub(crate) service_date: NaiveDate,
    pub(crate) claim_date: NaiveDate,
    pub(crate) fiscal_year: FiscalYear,
    pub(crate) accident_date: Option<NaiveDate>,
    pub(crate) expected: Money,
    pub(crate) pending: Money,
    pub(crate) held: Money,
    pub(crate) expected_paid: Money,
    pub(crate) submitted: Option<NaiveDate>,
    pub(crate) paid: Money,
    pub(crate) adjusted: Money,
    pub(crate) written_off: Money,
    pub(crate) overpaid: Money,
    pub(crate) sent: Option<NaiveDate>,
    pub(crate) resent: Option<NaiveDate>,
    pub(crate) last_paid: Option<NaiveDate>,
    pub(crate) stuck: Option<Stuck>,
    /// The date of the latest event that set the state (statement, correction): older news
    /// posted later moves money but not the state.
    #[serde(skip)]
    pub(crate) state_date: Option<NaiveDate>,
    pub(crate) letters: [Option<NaiveDate>; 3],
    pub(crate) statements: u32,
    pub(crate) errors: [u32; 3],
}

/// Why the ledger refused an event on a receivable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl Receivable {
    /// A receivable opened for `expected`, of which `pending` waits on a condition and `held`
    /// on a fix.
    pub(crate) fn new(
        claim: &str,
        payer: FundId,
        fund: FundId,
        setting: Option<Setting>,
        dates: (NaiveDate, NaiveDate, FiscalYear, Option<NaiveDate>),
        (expected, pending, held): (Money, Money, Money),
    ) -> Receivable {
        let (service_date, claim_date, fiscal_year, submitted) = dates;
        Receivable {
            claim: claim.to_string(),
            hcode: String::new(),
            payer,
            fund,
            setting,
            service_date,
            claim_date,
            fiscal_year,
            accident_date: None,
            expected,
            pending,
            held,
            expected_paid: expected,
            submitted,
            paid: Money::ZERO,
            adjusted: Money::ZERO,
            written_off: Money::ZERO,
            overpaid: Money::ZERO,
            sent: submitted,
            resent: None,
            last_paid: None,
            stuck: None,
            state_date: None,
            letters: [None; 3],
            statements: 0,
            errors: [0; 3],
        }
    }

    /// The claim id.
    pub fn claim(&self) -> &str {
        &self.claim
    }

    /// The hospital that gave the care (its 5-digit code); empty when the claim did not say.
    pub fn hcode(&self) -> &str {
        &self.hcode
    }

    /// What decides this receivable's deadline: its payer's rules, the setting, the claim
    /// date and the accident date. `None` for the patient's share (no fund deadline).
    pub fn timing(&self) -> Option<kongtun_core::calendar::ClaimTiming> {
        (self.payer.as_str() != PATIENT).then(|| kongtun_core::calendar::ClaimTiming {
            payer: self.payer.clone(),
            setting: self.setting,
            claim_date: self.claim_date,
            accident_date: self.accident_date,
        })
    }

    /// The day of the road accident, when the claim follows one.
    pub fn accident_date(&self) -> Option<NaiveDate> {
        self.accident_date
    }
    /// Who owes: a fund, or [`PATIENT`].
    pub fn payer(&self) -> &FundId {
        &self.payer
    }
    /// The claim's main fund.
    pub fn fund(&self) -> &FundId {
        &self.fund
    }
    /// Outpatient or in-patient.
    pub fn setting(&self) -> Option<Setting> {
        self.setting
    }
    /// Visit or admission date.
    pub fn service_date(&self) -> NaiveDate {
        self.service_date
    }
    /// The date the debt arose and deadlines run from (discharge for IP, visit for OP).
    pub fn claim_date(&self) -> NaiveDate {
        self.claim_date
    }
    /// The fiscal year of the claim date.
    pub fn fiscal_year(&self) -> FiscalYear {
        self.fiscal_year
    }
    /// What the evaluation said this payer owes (claimable and pending).
    pub fn expected(&self) -> Money {
        self.expected
    }
    /// The part of [`Receivable::expected`] that is pending (e.g. พรบ. tier 2).
    pub fn pending(&self) -> Money {
        self.pending
    }
    /// The open part of [`Receivable::expected`] the evaluation held on an error the fund
    /// enforces. Zero once a correction was re-sent or a statement answered for it: from then
    /// on the fund's answer (paid, error) is what stands.
    pub fn held(&self) -> Money {
        if self.resent.is_some() || self.statements > 0 {
            Money::ZERO
        } else {
            self.held.min(self.open())
        }
    }
    /// What the payer is expected to actually pay of [`Receivable::expected`]: less when its
    /// pack knows a paid rate below the announced one (UC's re-run DRG rate).
    pub fn expected_paid(&self) -> Money {
        self.expected_paid
    }
    /// `expected - expected_paid`: the part of the claim the payer is not expected to pay
    /// (a difference to adjust known in advance).
    pub fn expected_shortfall(&self) -> Money {
        (self.expected - self.expected_paid).max(Money::ZERO)
    }
    /// Paid by the payer (statements) or the patient.
    pub fn paid(&self) -> Money {
        self.paid
    }
    /// Adjusted (ส่วนต่าง): positive lowered the balance.
    pub fn adjusted(&self) -> Money {
        self.adjusted
    }
    /// Written off by the committee.
    pub fn written_off(&self) -> Money {
        self.written_off
    }
    /// Payments received beyond what was open at the time, in all.
    pub fn overpaid(&self) -> Money {
        self.overpaid
    }
    /// The first day the claim was sent (the evaluated `submitted`, or a sending event).
    pub fn sent(&self) -> Option<NaiveDate> {
        self.sent
    }
    /// The last day a correction was re-sent.
    pub fn resent(&self) -> Option<NaiveDate> {
        self.resent
    }
    /// The last payment's date.
    pub fn last_paid(&self) -> Option<NaiveDate> {
        self.last_paid
    }
    /// The error the receivable is stuck with, if it is.
    pub fn stuck(&self) -> Option<&Stuck> {
        self.stuck.as_ref()
    }
    /// The day each dunning letter (1, 2, 3) was sent.
    pub fn letters(&self) -> [Option<NaiveDate>; 3] {
        self.letters
    }
    /// The highest dunning letter sent (0 for none).
    pub fn letters_sent(&self) -> u8 {
        self.letters.iter().rposition(Option::is_some).map_or(0, |i| i as u8 + 1)
    }
    /// Statement rows received for it.
    pub fn statements(&self) -> u32 {
        self.statements
    }
    /// Statement rows with an error of type `kind`.
    pub fn errors(&self, kind: ErrorType) -> u32 {
        self.errors[kind as usize]
    }

    /// `expected - paid - adjusted - written_off`; negative only after an overpayment.
    pub fn balance(&self) -> Money {
        self.expected - self.paid - self.adjusted - self.written_off
    }

    /// The balance still to collect: the balance, or zero when overpaid.
    pub fn open(&self) -> Money {
        self.balance().max(Money::ZERO)
    }

    /// True for debts of the patient ([`PATIENT`] or [`SELF_PAY`]): dunning, not statements.
    pub fn is_patient_debt(&self) -> bool {
        matches!(self.payer.as_str(), PATIENT | SELF_PAY)
    }

    /// Days from the claim date to `as_of` (0 when `as_of` is earlier).
    pub fn age_days(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.claim_date).num_days().max(0)
    }

    /// Where it stands.
    pub fn state(&self) -> State {
        let balance = self.balance();
        if balance.is_negative() {
            State::Overpaid
        } else if balance.is_zero() {
            State::Settled
        } else if self.stuck.is_some() {
            State::Stuck
        } else if self.held() == balance {
            State::Held
        } else if self.is_patient_debt() {
            State::Billed
        } else if self.paid > Money::ZERO {
            State::PartlyPaid
        } else if self.sent.is_some() || self.resent.is_some() || self.statements > 0 {
            State::Sent
        } else {
            State::Unsent
        }
    }

    /// Applies an event; returns the excess when a payment was more than was open.
    pub(crate) fn apply(&mut self, event: &Event) -> Result<Option<Money>, Refusal> {
        if event.date < self.service_date {
            return Err(Refusal(format!(
                "dated {} before the service date {}: expected on or after it",
                event.date, self.service_date
            )));
        }
        let patient = self.is_patient_debt();
        let fund_only = |what: &str| {
            Refusal(format!("{what} applies to a fund's receivable; {} is a debt of the patient", self.payer))
        };
        let patient_only =
            |what: &str| Refusal(format!("{what} applies to a patient debt (payer {PATIENT} or {SELF_PAY})"));
        match &event.kind {
            EventKind::ClaimSent if patient => Err(fund_only("sending a claim")),
            EventKind::ClaimSent => {
                self.sent = Some(self.sent.map_or(event.date, |d| d.min(event.date)));
                Ok(None)
            }
            EventKind::CorrectionSent if patient => Err(fund_only("re-sending a correction")),
            EventKind::CorrectionSent => {
                self.resent = Some(self.resent.map_or(event.date, |d| d.max(event.date)));
                if self.takes_state(event.date) {
                    self.stuck = None;
                }
                Ok(None)
            }
            EventKind::Statement { .. } if patient => Err(fund_only("a statement")),
            EventKind::Statement { paid, error, .. } => {
                self.statements += 1;
                if let Some(e) = error {
                    self.errors[e.kind as usize] += 1;
                }
                if self.takes_state(event.date) {
                    self.stuck = error.as_ref().map(|StatementError { code, kind }| Stuck {
                        code: code.clone(),
                        kind: *kind,
                        since: event.date,
                    });
                }
                Ok(self.pay(*paid, event.date))
            }
            EventKind::Adjusted { amount, .. } => {
                self.within_open(*amount, "an adjustment")?;
                self.adjusted += *amount;
                Ok(None)
            }
            EventKind::WrittenOff { amount, .. } => {
                self.within_open(*amount, "a write-off")?;
                self.written_off += *amount;
                Ok(None)
            }
            EventKind::DunningLetter { .. } if !patient => Err(patient_only("a dunning letter")),
            EventKind::DunningLetter { letter } => {
                let slot = usize::from(letter.saturating_sub(1)).min(2);
                self.letters[slot] = Some(event.date);
                Ok(None)
            }
            EventKind::PaidByPatient { .. } if !patient => Err(patient_only("a payment by the patient")),
            EventKind::PaidByPatient { amount, .. } => Ok(self.pay(*amount, event.date)),
        }
    }

    /// True when an event of `date` is the latest news on the state (ties: the later posted).
    fn takes_state(&mut self, date: NaiveDate) -> bool {
        if self.state_date.is_some_and(|d| date < d) {
            return false;
        }
        self.state_date = Some(date);
        true
    }

    /// Adjustments and write-offs may lower the balance to zero, never below: only a payment
    /// can overpay. A negative adjustment raises the balance and is always allowed.
    fn within_open(&self, amount: Money, what: &str) -> Result<(), Refusal> {
        if amount > self.open() {
            return Err(Refusal(format!(
                "{what} of {amount} is more than the open balance {}: expected at most {}",
                self.open(),
                self.open()
            )));
        }
        Ok(())
    }

    fn pay(&mut self, amount: Money, date: NaiveDate) -> Option<Money> {
        let open = self.open();
        self.paid += amount;
        if amount > Money::ZERO {
            self.last_paid = Some(self.last_paid.map_or(date, |d| d.max(date)));
        }
        (amount > open).then(|| {
            let excess = amount - open;
            self.overpaid += excess;
            excess
        })
    }
}
