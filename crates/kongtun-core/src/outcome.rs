//! The outcome of evaluating a claim: where every baht of the charges goes, and why.
//!
//! Filled by the rule interpreter (`kongtun-rules`), read by audit and receivables code.
//! For every outcome, exactly:
//! `charged = sum(payers.amount) + patient + penalty + difference`
//! ([`Outcome::balances`]); the difference may be negative when a DRG pays more than the
//! charges. Every amount is traced to the rule and the lines it came from.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::calendar::FiscalYear;
use crate::claim::{Setting, VisitType};
use crate::fund::FundId;
use crate::money::Money;

/// Whether a payer's amount can be claimed now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayerStatus {
    /// Claimable now.
    Claimable,
    /// Due once a condition settles (e.g. พรบ. tier 2 while the fault case is pending).
    Pending,
    /// Held by an error the fund enforces (a device line without its serial, an accident
    /// claim without an external-cause code): not payable until the claim is fixed and sent
    /// again, so not money coming.
    Held,
}

impl PayerStatus {
    /// The name used in JSON, pack tests and reports: `claimable`, `pending` or `held`.
    pub fn as_str(self) -> &'static str {
        match self {
            PayerStatus::Claimable => "claimable",
            PayerStatus::Pending => "pending",
            PayerStatus::Held => "held",
        }
    }

    /// How an amount with this status is marked beside its payer: nothing when claimable,
    /// else ` (pending)` or ` (held)`.
    pub fn suffix(self) -> &'static str {
        match self {
            PayerStatus::Claimable => "",
            PayerStatus::Pending => " (pending)",
            PayerStatus::Held => " (held)",
        }
    }
}

/// An amount owed by one payer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerAmount {
    /// The fund that owes it.
    pub payer: FundId,
    /// How much.
    pub amount: Money,
    /// Claimable now, or pending.
    pub status: PayerStatus,
    /// What the fund is expected to actually pay of `amount`, when its pack knows a paid rate
    /// below the announced one (UC's DRG rate after NHSO re-runs the global budget); absent
    /// when it is expected to pay the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Money>,
}

impl PayerAmount {
    /// An amount owed by `payer`, with no expected figure beside it.
    pub fn new(payer: FundId, amount: Money, status: PayerStatus) -> PayerAmount {
        PayerAmount { payer, amount, status, expected: None }
    }

    /// What the fund is expected to pay: `expected` when known, else `amount`.
    pub fn expected_or_amount(&self) -> Money {
        self.expected.unwrap_or(self.amount)
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The fund would reject the claim: it is stuck (ติด C) until fixed.
    Error,
    /// Money is at risk (late, near a limit).
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A text in English and Thai.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// English.
    pub en: Arc<str>,
    /// Thai.
    pub th: Arc<str>,
}

/// The language of messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Thai.
    Th,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Th => &self.th,
        }
    }
}

/// Indexes of charge lines; up to four are kept inline, so typical findings do not allocate.
pub type LineList = smallvec::SmallVec<[u32; 4]>;

/// A check that fired on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable code, e.g. `NO_ADJRW`, `LATE`.
    pub code: Arc<str>,
    /// How serious.
    pub severity: Severity,
    /// The rule id that raised it.
    pub rule: Arc<str>,
    /// What it means, in English and Thai.
    pub message: Text,
    /// The charge lines it concerns (indexes into the claim's items), if any.
    #[serde(default, skip_serializing_if = "LineList::is_empty")]
    pub lines: LineList,
}

/// Where an amount went.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Bucket {
    /// A payer (claimable or pending, see [`TraceEntry::pending`]).
    Payer(FundId),
    /// Billed to the patient (excess, ส่วนเกิน, and non-claimable lines).
    Patient,
    /// Cut for late submission.
    Penalty,
    /// Absorbed by the hospital (ส่วนต่าง); negative when a payer pays above the charges.
    Difference,
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bucket::Payer(p) => f.write_str(p.as_str()),
            Bucket::Patient => f.write_str("patient"),
            Bucket::Penalty => f.write_str("penalty"),
            Bucket::Difference => f.write_str("difference"),
        }
    }
}

impl From<Bucket> for String {
    fn from(b: Bucket) -> String {
        b.to_string()
    }
}

impl TryFrom<String> for Bucket {
    type Error = String;
    fn try_from(s: String) -> Result<Bucket, String> {
        Ok(match s.as_str() {
            "patient" => Bucket::Patient,
            "penalty" => Bucket::Penalty,
            "difference" => Bucket::Difference,
            "" => return Err("empty bucket".into()),
            payer => Bucket::Payer(FundId::new(payer)),
        })
    }
}

/// One contribution to a bucket: `amount` (possibly negative, e.g. a penalty taken from a
/// payer) put in `bucket` by `rule`, from `lines`. Per bucket, the contributions add up to
/// the bucket's total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    /// The rule id.
    pub rule: Arc<str>,
    /// Where the amount went.
    pub bucket: Bucket,
    /// How much (may be negative).
    pub amount: Money,
    /// True when the amount is a pending payer amount.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
    /// True when the amount is held by a blocking error (see [`PayerStatus::Held`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// The charge lines it came from (indexes into the claim's items).
    pub lines: Vec<u32>,
}

impl TraceEntry {
    /// The status of the payer amount it moves: pending, held, else claimable.
    pub fn status(&self) -> PayerStatus {
        match (self.pending, self.held) {
            (true, _) => PayerStatus::Pending,
            (_, true) => PayerStatus::Held,
            _ => PayerStatus::Claimable,
        }
    }
}

/// The evaluation of one claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The claim id.
    pub id: String,
    /// The claim's main fund.
    pub fund: Option<FundId>,
    /// Outpatient or in-patient.
    pub setting: Option<Setting>,
    /// Visit or admission date.
    pub service_date: Option<NaiveDate>,
    /// The date deadlines run from: discharge for IP, visit for OP.
    pub claim_date: Option<NaiveDate>,
    /// The fiscal year of the claim date.
    pub fiscal_year: Option<FiscalYear>,
    /// The day the claim was sent, if given.
    pub submitted: Option<NaiveDate>,
    /// The day of the road accident, when the claim follows one (PRB deadlines run from it).
    pub accident_date: Option<NaiveDate>,
    /// The hospital that gave the care (the claim's `hcode`); empty when not known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hcode: String,
    /// The patient's registered main unit (`hospmain`); empty when not known.
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
    /// What the primary payers (PRB) had already paid or owed for this victim and accident
    /// before this claim: their limits were that much smaller.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub primary_taken_before: Money,
    /// Each pack version used, as `id@version sha256`, in the order applied.
    pub packs: Vec<Arc<str>>,
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
    /// Checks that fired.
    pub findings: Vec<Finding>,
    /// Where every amount came from (empty when tracing is off).
    pub trace: Vec<TraceEntry>,
}

impl Outcome {
    /// Sum of the payer amounts, claimable and pending.
    pub fn paid_by_payers(&self) -> Money {
        self.payers.iter().map(|p| p.amount).sum()
    }

    /// True when `charged = payers + patient + penalty + difference`, to the satang.
    pub fn balances(&self) -> bool {
        self.charged == self.paid_by_payers() + self.patient + self.penalty + self.difference
    }

    /// The amount a payer owes with a status (zero if absent).
    pub fn payer_amount(&self, payer: &str, status: PayerStatus) -> Money {
        self.payers.iter().filter(|p| p.payer.as_str() == payer && p.status == status).map(|p| p.amount).sum()
    }

    /// True when a finding of severity error fired: the fund would not pay as sent.
    pub fn is_stuck(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The JSON record of `kongtun evaluate --format json`, fields in the documented order
    /// (the claim's dates and fiscal year follow `fund`, so receivables can be opened from it),
    /// amounts as decimal strings, finding messages in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::to_value(RecordView { o: self, lang }).unwrap_or_default()
    }

    /// Appends the JSON record (see [`Outcome::to_json`]) to `buf`, without building a tree.
    pub fn write_json(&self, lang: Lang, buf: &mut Vec<u8>) {
        // Serializing plain strings, numbers and sequences into a Vec cannot fail.
        let _ = serde_json::to_writer(buf, &RecordView { o: self, lang });
    }

    /// Clears every field, keeping allocated capacity for reuse.
    pub fn clear(&mut self) {
        self.id.clear();
        self.fund = None;
        self.setting = None;
        self.service_date = None;
        self.claim_date = None;
        self.fiscal_year = None;
        self.accident_date = None;
        self.hcode.clear();
        self.hospmain.clear();
        self.sub_fund.clear();
        self.visit_type = None;
        self.work_injury = false;
        self.primary_taken_before = Money::ZERO;
        self.submitted = None;
        self.packs.clear();
        self.charged = Money::ZERO;
        self.payers.clear();
        self.patient = Money::ZERO;
        self.penalty = Money::ZERO;
        self.difference = Money::ZERO;
        self.findings.clear();
        self.trace.clear();
    }
}

fn is_zero(m: &Money) -> bool {
    m.is_zero()
}

/// The evaluate record of an outcome, borrowed: field order is the documented one.
struct RecordView<'a> {
    o: &'a Outcome,
    lang: Lang,
}

impl Serialize for RecordView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let o = self.o;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &o.id)?;
        map.serialize_entry("fund", &o.fund)?;
        map.serialize_entry("setting", &o.setting)?;
        map.serialize_entry("service_date", &o.service_date)?;
        map.serialize_entry("claim_date", &o.claim_date)?;
        map.serialize_entry("fiscal_year", &o.fiscal_year)?;
        if let Some(d) = o.submitted {
            map.serialize_entry("submitted", &d)?;
        }
        if let Some(d) = o.accident_date {
            map.serialize_entry("accident_date", &d)?;
        }
        for (key, value) in [("hcode", &o.hcode), ("hospmain", &o.hospmain), ("sub_fund", &o.sub_fund)] {
            if !value.is_empty() {
                map.serialize_entry(key, value)?;
            }
        }
        if let Some(v) = o.visit_type {
            map.serialize_entry("visit_type", &v)?;
        }
        if o.work_injury {
            map.serialize_entry("work_injury", &true)?;
        }
        if !o.primary_taken_before.is_zero() {
            map.serialize_entry("primary_taken_before", &o.primary_taken_before)?;
        }
        map.serialize_entry("packs", &o.packs)?;
        map.serialize_entry("charged", &o.charged)?;
        map.serialize_entry("payers", &o.payers)?;
        map.serialize_entry("patient", &o.patient)?;
        map.serialize_entry("penalty", &o.penalty)?;
        map.serialize_entry("difference", &o.difference)?;
        map.serialize_entry("findings", &FindingsView { findings: &o.findings, lang: self.lang })?;
        map.serialize_entry("trace", &o.trace)?;
        map.end()
    }
}

struct FindingsView<'a> {
    findings: &'a [Finding],
    lang: Lang,
}

impl Serialize for FindingsView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            struct One<'a>(&'a Finding, Lang);
            impl Serialize for One<'_> {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let f = self.0;
                    let mut map = serializer.serialize_map(None)?;
                    map.serialize_entry("code", &f.code)?;
                    map.serialize_entry("severity", &f.severity)?;
                    map.serialize_entry("rule", &f.rule)?;
                    map.serialize_entry("message", f.message.get(self.1))?;
                    if !f.lines.is_empty() {
                        map.serialize_entry("lines", &f.lines)?;
                    }
                    map.end()
                }
            }
            seq.serialize_element(&One(f, self.lang))?;
        }
        seq.end()
    }
}
