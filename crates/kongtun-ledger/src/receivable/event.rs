//! Events on a receivable, their keys, and their one-line JSON form (the event log's rows).

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use kongtun_core::calendar::date_text;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// The type of a fund's error code on a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorType {
    /// Corrective: fix and resend (ติด C).
    C,
    /// Deny.
    D,
    /// Verify: the fund checks before paying.
    V,
}

impl ErrorType {
    /// `C`, `D` or `V`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::C => "C",
            ErrorType::D => "D",
            ErrorType::V => "V",
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ErrorType {
    type Err = String;
    fn from_str(s: &str) -> Result<ErrorType, String> {
        match s.trim() {
            "C" | "c" => Ok(ErrorType::C),
            "D" | "d" => Ok(ErrorType::D),
            "V" | "v" => Ok(ErrorType::V),
            other => Err(format!("`{other}` is not an error type: expected C, D or V")),
        }
    }
}

impl Serialize for ErrorType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ErrorType, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// A fund's error code on a statement row, with its type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatementError {
    /// The fund's code, as given.
    pub code: String,
    /// C, D or V.
    pub kind: ErrorType,
}

/// What happened to a receivable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The claim was sent to the fund.
    ClaimSent,
    /// A fund's statement (STM/REP) answered: paid (possibly 0), and/or an error code.
    Statement {
        /// The statement (or row) id: with claim and payer, the event's key.
        statement: String,
        /// The amount paid.
        paid: Money,
        /// The error the claim is stuck with, if any.
        error: Option<StatementError>,
    },
    /// A corrected claim was re-sent.
    CorrectionSent,
    /// The difference (ส่วนต่าง) adjusted: positive lowers the balance, negative raises it.
    Adjusted {
        /// The adjustment voucher.
        reference: String,
        /// The amount adjusted.
        amount: Money,
    },
    /// A dunning letter (1, 2 or 3) was sent to the patient.
    DunningLetter {
        /// 1, 2 or 3.
        letter: u8,
    },
    /// The write-off committee approved writing off an amount.
    WrittenOff {
        /// The approval's reference.
        reference: String,
        /// The amount written off.
        amount: Money,
    },
    /// The patient paid.
    PaidByPatient {
        /// The receipt number.
        receipt: String,
        /// The amount paid.
        amount: Money,
    },
}

impl EventKind {
    /// The snake_case name used in the event log (`statement`, `write_off`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ClaimSent => "claim_sent",
            EventKind::Statement { .. } => "statement",
            EventKind::CorrectionSent => "correction_sent",
            EventKind::Adjusted { .. } => "adjustment",
            EventKind::DunningLetter { .. } => "dunning_letter",
            EventKind::WrittenOff { .. } => "write_off",
            EventKind::PaidByPatient { .. } => "paid_by_patient",
        }
    }
}

/// One event on the receivable of `claim` owed by `payer`, on `date`.
///
/// ```
/// use kongtun_ledger::receivable::{Event, EventKind};
/// use kongtun_core::fund::FundId;
/// use chrono::NaiveDate;
///
/// let sent = Event {
///     claim: "UC-IP-TKA".into(),
///     payer: FundId::new("UC"),
///     date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap(),
///     kind: EventKind::ClaimSent,
/// };
/// let line = sent.to_json_line();
/// assert_eq!(line, r#"{"event":"claim_sent","claim":"UC-IP-TKA","payer":"UC","date":"2025-03-20"}"#);
/// assert_eq!(Event::from_json_line(&line).unwrap(), sent);
/// assert_eq!(sent.key().to_string(), "claim_sent 2025-03-20 / claim UC-IP-TKA / payer UC");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The claim id.
    pub claim: String,
    /// Who owes: a fund, or `PATIENT`.
    pub payer: FundId,
    /// When it happened (a paid date, the day a letter was sent, ...).
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

/// The identity of an event: posting an event whose key was posted before is a no-op.
///
/// A statement row is keyed by statement id, claim and payer; a write-off, adjustment or
/// patient payment by its reference; a dunning letter by its number; a sending by its date.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    kind: &'static str,
    reference: String,
    claim: String,
    payer: FundId,
}

impl fmt::Display for EventKey {
    /// `statement STM-04 / claim UC-IP-TKA / payer UC`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} / claim {} / payer {}", self.kind, self.reference, self.claim, self.payer)
    }
}

impl Event {
    /// The event's key (see [`EventKey`]).
    pub fn key(&self) -> EventKey {
        let reference = match &self.kind {
            EventKind::ClaimSent | EventKind::CorrectionSent => self.date.to_string(),
            EventKind::Statement { statement, .. } => statement.clone(),
            EventKind::Adjusted { reference, .. } | EventKind::WrittenOff { reference, .. } => reference.clone(),
            EventKind::PaidByPatient { receipt, .. } => receipt.clone(),
            EventKind::DunningLetter { letter } => letter.to_string(),
        };
        EventKey { kind: self.kind.name(), reference, claim: self.claim.clone(), payer: self.payer.clone() }
    }

    /// The event as one line of the event log (JSON, no newline).
    pub fn to_json_line(&self) -> String {
        // Serializing strings and dates cannot fail.
        serde_json::to_string(&EventRecord::from(self)).unwrap_or_default()
    }

    /// Reads one line of the event log.
    pub fn from_json_line(line: &str) -> Result<Event, String> {
        let record: EventRecord = serde_json::from_str(line).map_err(|e| e.to_string())?;
        record.into_event().map_err(|e| format!("{}: {}", e.field, e.message))
    }
}

/// The event's name in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EventType {
    ClaimSent,
    Statement,
    CorrectionSent,
    Adjustment,
    DunningLetter,
    WriteOff,
    PaidByPatient,
}

/// One row of the event log as written: every field any event may have.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventRecord {
    pub event: EventType,
    pub claim: String,
    pub payer: FundId,
    #[serde(with = "date_text")]
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<u8>,
}

impl From<&Event> for EventRecord {
    fn from(e: &Event) -> EventRecord {
        let mut r = EventRecord {
            event: EventType::ClaimSent,
            claim: e.claim.clone(),
            payer: e.payer.clone(),
            date: e.date,
            statement: None,
            reference: None,
            amount: None,
            error_code: None,
            error_type: None,
            letter: None,
        };
        match &e.kind {
            EventKind::ClaimSent => {}
            EventKind::CorrectionSent => r.event = EventType::CorrectionSent,
            EventKind::Statement { statement, paid, error } => {
                r.event = EventType::Statement;
                r.statement = Some(statement.clone());
                r.amount = Some(*paid);
                r.error_code = error.as_ref().map(|e| e.code.clone());
                r.error_type = error.as_ref().map(|e| e.kind);
            }
            EventKind::Adjusted { reference, amount } => {
                r.event = EventType::Adjustment;
                r.reference = Some(reference.clone());
                r.amount = Some(*amount);
            }
            EventKind::DunningLetter { letter } => {
                r.event = EventType::DunningLetter;
                r.letter = Some(*letter);
            }
            EventKind::WrittenOff { reference, amount } => {
                r.event = EventType::WriteOff;
                r.reference = Some(reference.clone());
                r.amount = Some(*amount);
            }
            EventKind::PaidByPatient { receipt, amount } => {
                r.event = EventType::PaidByPatient;
                r.reference = Some(receipt.clone());
                r.amount = Some(*amount);
            }
        }
        r
    }
}

/// A field of a row and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Missing or invalid.
    pub kind: DiagnosticKind,
    /// The field.
    pub field: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
}

impl FieldError {
    pub(crate) fn missing(field: &'static str, message: String) -> FieldError {
        FieldError { kind: DiagnosticKind::MissingField, field, message }
    }

    pub(crate) fn invalid(field: &'static str, message: String) -> FieldError {
        FieldError { kind: DiagnosticKind::InvalidValue, field, message }
    }

    /// The diagnostic of this field at a line of a file.
    pub(crate) fn at(self, file: &str, line: u64) -> Diagnostic {
        Diagnostic::error(self.kind, file, self.message).at_line(line).field(self.field)
    }
}

fn required(value: Option<String>, field: &'static str, what: &str) -> Result<String, FieldError> {
    match value.map(|v| v.trim().to_string()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(FieldError::missing(field, format!("missing: {what} is required"))),
    }
}

fn positive(amount: Option<Money>, what: &str) -> Result<Money, FieldError> {
    match amount {
        Some(a) if a > Money::ZERO => Ok(a),
        Some(a) => Err(FieldError::invalid("amount", format!("{a} is not above 0: {what} must be a positive amount"))),
        None => Err(FieldError::missing("amount", format!("missing: {what} needs an amount"))),
    }
}

impl EventRecord {
    /// The event, once every field fits its type; or the first field that does not.
    pub(crate) fn into_event(self) -> Result<Event, FieldError> {
        if self.claim.trim().is_empty() {
            return Err(FieldError::invalid("claim", "must not be empty".into()));
        }
        let name = |t: EventType| match t {
            EventType::ClaimSent => "claim_sent",
            EventType::Statement => "statement",
            EventType::CorrectionSent => "correction_sent",
            EventType::Adjustment => "adjustment",
            EventType::DunningLetter => "dunning_letter",
            EventType::WriteOff => "write_off",
            EventType::PaidByPatient => "paid_by_patient",
        };
        let allowed: &[&str] = match self.event {
            EventType::ClaimSent | EventType::CorrectionSent => &[],
            EventType::Statement => &["statement", "amount", "error_code", "error_type"],
            EventType::Adjustment | EventType::WriteOff | EventType::PaidByPatient => &["reference", "amount"],
            EventType::DunningLetter => &["letter"],
        };
        let present = [
            ("statement", self.statement.is_some()),
            ("reference", self.reference.is_some()),
            ("amount", self.amount.is_some()),
            ("error_code", self.error_code.is_some()),
            ("error_type", self.error_type.is_some()),
            ("letter", self.letter.is_some()),
        ];
        if let Some((field, _)) = present.iter().find(|(f, here)| *here && !allowed.contains(f)) {
            return Err(FieldError::invalid(field, format!("does not apply to a `{}` event", name(self.event))));
        }
        let kind = match self.event {
            EventType::ClaimSent => EventKind::ClaimSent,
            EventType::CorrectionSent => EventKind::CorrectionSent,
            EventType::Statement => {
                let statement = required(self.statement, "statement", "the statement id")?;
                let error = statement_error(self.error_code, self.error_type)?;
                let paid = match (self.amount, &error) {
                    (Some(a), _) if a.is_negative() => {
                        return Err(FieldError::invalid(
                            "amount",
                            format!("{a} is negative: a statement pays 0 or more"),
                        ))
                    }
                    (Some(a), _) => a,
                    (None, Some(_)) => Money::ZERO,
                    (None, None) => {
                        return Err(FieldError::missing(
                            "amount",
                            "missing: a statement pays an amount or gives an error code".into(),
                        ))
                    }
                };
                EventKind::Statement { statement, paid, error }
            }
            EventType::Adjustment => {
                let reference = required(self.reference, "reference", "the adjustment's reference")?;
                match self.amount {
                    Some(a) if !a.is_zero() => EventKind::Adjusted { reference, amount: a },
                    Some(_) => {
                        return Err(FieldError::invalid("amount", "is 0: an adjustment moves the balance".into()))
                    }
                    None => return Err(FieldError::missing("amount", "missing: an adjustment needs an amount".into())),
                }
            }
            EventType::DunningLetter => match self.letter {
                Some(n @ 1..=3) => EventKind::DunningLetter { letter: n },
                Some(n) => {
                    return Err(FieldError::invalid(
                        "letter",
                        format!("{n} is not a letter number: expected 1, 2 or 3"),
                    ))
                }
                None => return Err(FieldError::missing("letter", "missing: which letter (1, 2 or 3)".into())),
            },
            EventType::WriteOff => EventKind::WrittenOff {
                reference: required(self.reference, "reference", "the committee's approval reference")?,
                amount: positive(self.amount, "a write-off")?,
            },
            EventType::PaidByPatient => EventKind::PaidByPatient {
                receipt: required(self.reference, "reference", "the receipt number")?,
                amount: positive(self.amount, "a patient payment")?,
            },
        };
        Ok(Event { claim: self.claim.trim().to_string(), payer: self.payer, date: self.date, kind })
    }
}

/// An error code and its type come together, or not at all.
pub(crate) fn statement_error(
    code: Option<String>,
    kind: Option<ErrorType>,
) -> Result<Option<StatementError>, FieldError> {
    let code = code.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    match (code, kind) {
        (Some(code), Some(kind)) => Ok(Some(StatementError { code, kind })),
        (None, None) => Ok(None),
        (Some(code), None) => {
            Err(FieldError::missing("error_type", format!("missing: error code `{code}` needs its type C, D or V")))
        }
        (None, Some(kind)) => {
            Err(FieldError::missing("error_code", format!("missing: error type {kind} needs the fund's error code")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_a_log_line() {
        let day = NaiveDate::from_ymd_opt(2025, 4, 25).unwrap();
        let kinds = [
            EventKind::ClaimSent,
            EventKind::CorrectionSent,
            EventKind::Statement {
                statement: "S1".into(),
                paid: Money::ZERO,
                error: Some(StatementError { code: "NO_PDX".into(), kind: ErrorType::C }),
            },
            EventKind::Statement { statement: "S2".into(), paid: Money::baht(100), error: None },
            EventKind::Adjusted { reference: "ADJ-1".into(), amount: -Money::baht(5) },
            EventKind::DunningLetter { letter: 2 },
            EventKind::WrittenOff { reference: "WO-1".into(), amount: Money::baht(7) },
            EventKind::PaidByPatient { receipt: "R-1".into(), amount: Money::baht(9) },
        ];
        for kind in kinds {
            let e = Event { claim: "C1".into(), payer: FundId::new("UC"), date: day, kind };
            assert_eq!(Event::from_json_line(&e.to_json_line()), Ok(e.clone()), "{}", e.to_json_line());
        }
    }

    #[test]
    fn wrong_fields_are_named() {
        let bad = |line: &str| Event::from_json_line(line).unwrap_err();
        let head = r#""claim":"C1","payer":"UC","date":"2568-04-25""#;
        assert!(bad(&format!(r#"{{"event":"claim_sent",{head},"letter":1}}"#)).starts_with("letter: does not apply"));
        assert!(bad(&format!(r#"{{"event":"write_off",{head},"reference":"W","amount":"0"}}"#))
            .starts_with("amount: 0.00 is not above 0"));
        assert!(bad(&format!(r#"{{"event":"dunning_letter",{head},"letter":4}}"#)).starts_with("letter: 4 is not"));
        assert!(bad(&format!(r#"{{"event":"statement",{head},"statement":"S","error_code":"X"}}"#))
            .starts_with("error_type: missing"));
        assert!(bad(&format!(r#"{{"event":"statement",{head},"statement":"S","amont":"1"}}"#))
            .contains("unknown field `amont`"));
        // BE dates are read as the hospital writes them
        let ok = Event::from_json_line(&format!(r#"{{"event":"claim_sent",{head}}}"#)).unwrap();
        assert_eq!(ok.date, NaiveDate::from_ymd_opt(2025, 4, 25).unwrap());
    }

    #[test]
    fn keys_identify_statement_rows_and_references() {
        let day = NaiveDate::from_ymd_opt(2025, 4, 25).unwrap();
        let stm = |id: &str, paid: i64| Event {
            claim: "C1".into(),
            payer: FundId::new("UC"),
            date: day,
            kind: EventKind::Statement { statement: id.into(), paid: Money::baht(paid), error: None },
        };
        assert_eq!(stm("S1", 10).key(), stm("S1", 20).key(), "same row, whatever it says");
        assert_ne!(stm("S1", 10).key(), stm("S2", 10).key());
    }
}
