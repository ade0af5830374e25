//! Evaluated claims: the JSON Lines of `kongtun evaluate --format json`, read back to open
//! receivables.

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::yaml::Pos;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::account::{Receivable, PATIENT};
use super::error::{json_row_error, read_text, Located, Rows};
use super::event::FieldError;
use kongtun_core::calendar::{date_text, opt_date_text, FiscalYear};
use kongtun_core::claim::{Setting, VisitType};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Outcome, PayerAmount, PayerStatus};

/// The part of an evaluated claim's record that receivables need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatedClaim {
    /// The claim id.
    pub id: String,
    /// The claim's main fund.
    pub fund: FundId,
    /// Outpatient or in-patient.
    #[serde(default)]
    pub setting: Option<Setting>,
    /// Visit or admission date.
    #[serde(with = "date_text")]
    pub service_date: NaiveDate,
    /// Discharge for IP, visit for OP: the debt arises and deadlines run from it.
    #[serde(with = "date_text")]
    pub claim_date: NaiveDate,
    /// The fiscal year of the claim date.
    pub fiscal_year: FiscalYear,
    /// The day the claim was sent, if it was.
    #[serde(default, with = "opt_date_text")]
    pub submitted: Option<NaiveDate>,
    /// The day of the road accident, when the claim follows one.
    #[serde(default, with = "opt_date_text", skip_serializing_if = "Option::is_none")]
    pub accident_date: Option<NaiveDate>,
    /// The hospital that gave the care; empty when not known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hcode: String,
    /// The patient's registered main unit; empty when not known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hospmain: String,
    /// The claim's sub-fund; empty when not given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_fund: String,
    /// How the patient came, when the claim says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_type: Option<VisitType>,
    /// An injury at work.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub work_injury: bool,
    /// Sum of the charges.
    pub charged: Money,
    /// What each payer owes.
    pub payers: Vec<PayerAmount>,
    /// Billed to the patient.
    pub patient: Money,
    /// Cut for late submission.
    pub penalty: Money,
    /// Absorbed by the hospital (may be negative).
    pub difference: Money,
}

impl EvaluatedClaim {
    /// The record of an outcome, without going through JSON (for hosts that evaluate in
    /// process). `None` when the outcome lacks the claim's dates or fund.
    pub fn from_outcome(o: &Outcome) -> Option<EvaluatedClaim> {
        Some(EvaluatedClaim {
            id: o.id.clone(),
            fund: o.fund.clone()?,
            setting: o.setting,
            service_date: o.service_date?,
            claim_date: o.claim_date?,
            fiscal_year: o.fiscal_year?,
            submitted: o.submitted,
            accident_date: o.accident_date,
            hcode: o.hcode.clone(),
            hospmain: o.hospmain.clone(),
            sub_fund: o.sub_fund.clone(),
            visit_type: o.visit_type,
            work_injury: o.work_injury,
            charged: o.charged,
            payers: o.payers.clone(),
            patient: o.patient,
            penalty: o.penalty,
            difference: o.difference,
        })
    }

    /// The receivables this claim opens: one per payer (its claimable, pending and held
    /// amounts together, pending and held kept apart), plus the patient's share as payer [`PATIENT`] when it is
    /// above zero. A payer owed nothing still gets one, so its sending and statements can be
    /// recorded.
    pub fn receivables(&self) -> Vec<Receivable> {
        let mut out: Vec<Receivable> = Vec::new();
        let dates = (self.service_date, self.claim_date, self.fiscal_year, self.submitted);
        for p in &self.payers {
            let part = |s: PayerStatus| if p.status == s { p.amount } else { Money::ZERO };
            let (pending, held) = (part(PayerStatus::Pending), part(PayerStatus::Held));
            match out.iter_mut().find(|r| r.payer == p.payer) {
                Some(r) => {
                    r.expected += p.amount;
                    r.expected_paid += p.expected_or_amount();
                    r.pending += pending;
                    r.held += held;
                }
                None => {
                    let mut r = Receivable::new(
                        &self.id,
                        p.payer.clone(),
                        self.fund.clone(),
                        self.setting,
                        dates,
                        (p.amount, pending, held),
                    );
                    r.expected_paid = p.expected_or_amount();
                    out.push(r);
                }
            }
        }
        if self.patient > Money::ZERO {
            let patient = FundId::new(PATIENT);
            // the patient's share is billed, never sent
            let dates = (self.service_date, self.claim_date, self.fiscal_year, None);
            out.push(Receivable::new(
                &self.id,
                patient,
                self.fund.clone(),
                self.setting,
                dates,
                (self.patient, Money::ZERO, Money::ZERO),
            ));
        }
        for r in &mut out {
            r.accident_date = self.accident_date;
            r.hcode.clone_from(&self.hcode);
        }
        out
    }

    /// Range and cross-field checks serde cannot express.
    fn check(&self) -> Result<(), FieldError> {
        if self.id.trim().is_empty() {
            return Err(FieldError::invalid("id", "must not be empty".into()));
        }
        if self.claim_date < self.service_date {
            return Err(FieldError::invalid(
                "claim_date",
                format!("{} is before service_date {}", self.claim_date, self.service_date),
            ));
        }
        let fy = FiscalYear::of(self.claim_date);
        if fy != self.fiscal_year {
            return Err(FieldError::invalid(
                "fiscal_year",
                format!("{} does not match claim_date {} (in {fy})", self.fiscal_year.be_year(), self.claim_date),
            ));
        }
        if let Some(i) = self.payers.iter().position(|p| p.amount.is_negative()) {
            return Err(FieldError::invalid(
                "payers",
                format!("payers[{i}].amount {} is negative", self.payers[i].amount),
            ));
        }
        if self.payers.iter().any(|p| p.payer.as_str() == PATIENT) {
            return Err(FieldError::invalid("payers", format!("payer {PATIENT} is reserved for the patient's share")));
        }
        if self.patient.is_negative() {
            return Err(FieldError::invalid("patient", format!("{} is negative", self.patient)));
        }
        Ok(())
    }
}

/// Reads the JSON Lines of `kongtun evaluate --format json`. A claim that evaluate rejected
/// (`{"id":..,"error":{..}}`) is reported as a [`DiagnosticKind::NotEvaluated`] error and
/// skipped, like every unreadable line; `file` names the text in errors.
///
/// ```
/// use kongtun_ledger::receivable::read_evaluated;
///
/// let text = concat!(
///     r#"{"id":"A1","fund":"UC","setting":"op","service_date":"2025-01-15","claim_date":"2025-01-15","#,
///     r#""fiscal_year":2568,"charged":"500.00","payers":[{"payer":"UC","amount":"400.00","status":"claimable"}],"#,
///     r#""patient":"100.00","penalty":"0.00","difference":"0.00","findings":[],"trace":[]}"#, "\n",
///     r#"{"id":"A2","error":{"kind":"no_pack","message":"no pack for fund XX"}}"#, "\n",
/// );
/// let read = read_evaluated(text, "evaluated.jsonl");
/// assert_eq!(read.rows.len(), 1);
/// assert_eq!(read.rows[0].value.receivables().len(), 2); // UC and the patient
/// assert_eq!(read.errors[0].to_string(), "evaluated.jsonl:2: claim A2: not evaluated (no_pack: no pack for fund XX): no receivable opened");
/// ```
pub fn read_evaluated(text: &str, file: &str) -> Rows<EvaluatedClaim> {
    use rayon::prelude::*;
    let name: Arc<str> = Arc::from(file);
    // Lines are read on every core, in chunks, then kept in their order: a province's books
    // are millions of lines.
    let lines: Vec<(u64, &str)> =
        text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect();
    // Errors boxed: most lines are records, and a result as large as a diagnostic would
    // double the transient memory of millions of them.
    let read: Vec<Result<EvaluatedClaim, Box<Diagnostic>>> = lines
        .par_iter()
        .with_min_len(4096)
        .map(|(line_no, line)| read_line(line, *line_no, file).map_err(Box::new))
        .collect();
    let mut out = Rows::default();
    out.rows.reserve(read.len());
    for ((line_no, _), r) in lines.iter().zip(read) {
        match r {
            Ok(claim) => out.rows.push(Located { file: name.clone(), line: *line_no, value: claim }),
            Err(e) => out.errors.push(*e),
        }
    }
    out
}

/// One line of an evaluated-claims file: the record, or why it is not one.
fn read_line(line: &str, line_no: u64, file: &str) -> Result<EvaluatedClaim, Diagnostic> {
    // Straight into the record (the trace and findings are skipped, not built); only a line
    // that is not one is read again as a JSON value, to say why.
    if let Ok(claim) = serde_json::from_str::<EvaluatedClaim>(line) {
        return match claim.check() {
            Ok(()) => Ok(claim),
            Err(e) => {
                let id = claim.id.clone();
                Err(e.at(file, line_no).claim_opt(Some(&id)))
            }
        };
    }
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Err(super::error::at(file, line_no, DiagnosticKind::Syntax, e.to_string())),
    };
    let id = value.get("id").and_then(serde_json::Value::as_str).map(str::to_string);
    if let Some(err) = value.get("error") {
        let kind = err.get("kind").and_then(serde_json::Value::as_str).unwrap_or("error");
        let message = err.get("message").and_then(serde_json::Value::as_str).unwrap_or("");
        let text = format!("not evaluated ({kind}: {message}): no receivable opened");
        return Err(super::error::at(file, line_no, DiagnosticKind::NotEvaluated, text).claim_opt(id.as_deref()));
    }
    let claim: EvaluatedClaim = serde_json::from_value(value)
        .map_err(|e| json_row_error::<EvaluatedClaim>(file, Pos::new(line_no as usize, 1), id.as_deref(), line, &e))?;
    claim.check().map_err(|e| e.at(file, line_no).claim_opt(id.as_deref()))?;
    Ok(claim)
}

/// Reads an evaluated-claims file (see [`read_evaluated`]); an unreadable file is one error.
pub fn read_evaluated_file(path: &Path) -> Rows<EvaluatedClaim> {
    match read_text(path) {
        Ok(text) => read_evaluated(&text, &path.display().to_string()),
        Err(e) => Rows { rows: Vec::new(), errors: vec![e] },
    }
}
