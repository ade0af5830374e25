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
    /// The charge lines it came from (indexes into the claim's items); up to four without a
    /// heap allocation, as most entries have.
    pub lines: LineList,
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
    ///
    /// Written by hand, byte for byte what serde_json writes for [`Outcome::to_json`]'s
    /// fields (a test compares the two): money and dates straight into the buffer, strings
    /// copied whole unless they hold a character JSON escapes.
    pub fn write_json(&self, lang: Lang, buf: &mut Vec<u8>) {
        json::record(self, lang, buf);
    }

    /// [`Outcome::write_json`] through serde_json, the reference it is tested against.
    #[doc(hidden)]
    pub fn write_json_serde(&self, lang: Lang, buf: &mut Vec<u8>) {
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

/// The evaluate record written by hand (see [`Outcome::write_json`]).
mod json {
    use super::{Bucket, Finding, Lang, Outcome, PayerAmount, TraceEntry};
    use crate::money::Money;
    use chrono::{Datelike, NaiveDate};

    pub(super) fn record(o: &Outcome, lang: Lang, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b"{\"id\":");
        string(buf, &o.id);
        buf.extend_from_slice(b",\"fund\":");
        match &o.fund {
            Some(f) => string(buf, f.as_str()),
            None => null(buf),
        }
        buf.extend_from_slice(b",\"setting\":");
        match o.setting {
            Some(s) => string(buf, s.as_str()),
            None => null(buf),
        }
        buf.extend_from_slice(b",\"service_date\":");
        opt_date(buf, o.service_date);
        buf.extend_from_slice(b",\"claim_date\":");
        opt_date(buf, o.claim_date);
        buf.extend_from_slice(b",\"fiscal_year\":");
        match o.fiscal_year {
            Some(fy) => int(buf, i128::from(fy.be_year())),
            None => null(buf),
        }
        if let Some(d) = o.submitted {
            buf.extend_from_slice(b",\"submitted\":");
            date(buf, d);
        }
        if let Some(d) = o.accident_date {
            buf.extend_from_slice(b",\"accident_date\":");
            date(buf, d);
        }
        for (key, value) in
            [(&b",\"hcode\":"[..], &o.hcode), (b",\"hospmain\":", &o.hospmain), (b",\"sub_fund\":", &o.sub_fund)]
        {
            if !value.is_empty() {
                buf.extend_from_slice(key);
                string(buf, value);
            }
        }
        if let Some(v) = o.visit_type {
            buf.extend_from_slice(b",\"visit_type\":");
            string(buf, v.as_str());
        }
        if o.work_injury {
            buf.extend_from_slice(b",\"work_injury\":true");
        }
        if !o.primary_taken_before.is_zero() {
            buf.extend_from_slice(b",\"primary_taken_before\":");
            money(buf, o.primary_taken_before);
        }
        buf.extend_from_slice(b",\"packs\":");
        array(buf, &o.packs, |buf, p| string(buf, p));
        buf.extend_from_slice(b",\"charged\":");
        money(buf, o.charged);
        buf.extend_from_slice(b",\"payers\":");
        array(buf, &o.payers, payer);
        buf.extend_from_slice(b",\"patient\":");
        money(buf, o.patient);
        buf.extend_from_slice(b",\"penalty\":");
        money(buf, o.penalty);
        buf.extend_from_slice(b",\"difference\":");
        money(buf, o.difference);
        buf.extend_from_slice(b",\"findings\":");
        array(buf, &o.findings, |buf, f| finding(buf, f, lang));
        buf.extend_from_slice(b",\"trace\":");
        array(buf, &o.trace, trace);
        buf.push(b'}');
    }

    /// `[a,b,...]`, each item written by `item`.
    #[inline]
    fn array<T>(buf: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
        buf.push(b'[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            item(buf, x);
        }
        buf.push(b']');
    }

    fn payer(buf: &mut Vec<u8>, p: &PayerAmount) {
        buf.extend_from_slice(b"{\"payer\":");
        string(buf, p.payer.as_str());
        buf.extend_from_slice(b",\"amount\":");
        money(buf, p.amount);
        buf.extend_from_slice(b",\"status\":");
        string(buf, p.status.as_str());
        if let Some(e) = p.expected {
            buf.extend_from_slice(b",\"expected\":");
            money(buf, e);
        }
        buf.push(b'}');
    }

    fn finding(buf: &mut Vec<u8>, f: &Finding, lang: Lang) {
        buf.extend_from_slice(b"{\"code\":");
        string(buf, &f.code);
        buf.extend_from_slice(b",\"severity\":");
        string(buf, f.severity.as_str());
        buf.extend_from_slice(b",\"rule\":");
        string(buf, &f.rule);
        buf.extend_from_slice(b",\"message\":");
        string(buf, f.message.get(lang));
        if !f.lines.is_empty() {
            buf.extend_from_slice(b",\"lines\":");
            lines(buf, &f.lines);
        }
        buf.push(b'}');
    }

    fn trace(buf: &mut Vec<u8>, t: &TraceEntry) {
        buf.extend_from_slice(b"{\"rule\":");
        string(buf, &t.rule);
        buf.extend_from_slice(b",\"bucket\":");
        match &t.bucket {
            Bucket::Payer(p) => string(buf, p.as_str()),
            Bucket::Patient => buf.extend_from_slice(b"\"patient\""),
            Bucket::Penalty => buf.extend_from_slice(b"\"penalty\""),
            Bucket::Difference => buf.extend_from_slice(b"\"difference\""),
        }
        buf.extend_from_slice(b",\"amount\":");
        money(buf, t.amount);
        if t.pending {
            buf.extend_from_slice(b",\"pending\":true");
        }
        if t.held {
            buf.extend_from_slice(b",\"held\":true");
        }
        buf.extend_from_slice(b",\"lines\":");
        lines(buf, &t.lines);
        buf.push(b'}');
    }

    fn lines(buf: &mut Vec<u8>, lines: &[u32]) {
        array(buf, lines, |buf, l| int(buf, i128::from(*l)));
    }

    fn null(buf: &mut Vec<u8>) {
        buf.extend_from_slice(b"null");
    }

    /// A decimal integer.
    fn int(buf: &mut Vec<u8>, n: i128) {
        if n < 0 {
            buf.push(b'-');
        }
        digits(buf, n.unsigned_abs());
    }

    fn digits(buf: &mut Vec<u8>, mut n: u128) {
        let mut tmp = [0u8; 40];
        let mut at = tmp.len();
        // Small numbers (every amount of money a claim can carry) divide in 64 bits.
        if let Ok(mut small) = u64::try_from(n) {
            loop {
                at -= 1;
                tmp[at] = b'0' + (small % 10) as u8;
                small /= 10;
                if small == 0 {
                    break;
                }
            }
        } else {
            loop {
                at -= 1;
                tmp[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
        }
        buf.extend_from_slice(&tmp[at..]);
    }

    /// Money as a JSON string with two decimals (its `Display`): `"-3.50"`.
    fn money(buf: &mut Vec<u8>, m: Money) {
        let satang = m.satang();
        buf.push(b'"');
        if satang < 0 {
            buf.push(b'-');
        }
        let abs = satang.unsigned_abs();
        digits(buf, abs / 100);
        let cents = (abs % 100) as u8;
        buf.extend_from_slice(&[b'.', b'0' + cents / 10, b'0' + cents % 10, b'"']);
    }

    fn opt_date(buf: &mut Vec<u8>, d: Option<NaiveDate>) {
        match d {
            Some(d) => date(buf, d),
            None => null(buf),
        }
    }

    /// A date as chrono writes it (`"2025-10-15"`; a year outside 0-9999 with its sign).
    fn date(buf: &mut Vec<u8>, d: NaiveDate) {
        let year = d.year();
        if !(0..=9999).contains(&year) {
            buf.extend_from_slice(format!("\"{d:?}\"").as_bytes());
            return;
        }
        let (y, m, day) = (year as u32, d.month(), d.day());
        let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        let [y1, y2] = two(y / 100);
        let [y3, y4] = two(y % 100);
        let [m1, m2] = two(m);
        let [d1, d2] = two(day);
        buf.extend_from_slice(&[b'"', y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'"']);
    }

    /// A JSON string, escaped as serde_json escapes: `"`, `\\` and control characters.
    pub(super) fn string(buf: &mut Vec<u8>, s: &str) {
        buf.push(b'"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0C => b"\\f",
                0x00..=0x1F => b"",
                _ => continue,
            };
            buf.extend_from_slice(&bytes[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xF) as usize]]);
            } else {
                buf.extend_from_slice(escape);
            }
            start = i + 1;
        }
        buf.extend_from_slice(&bytes[start..]);
        buf.push(b'"');
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn both(o: &Outcome, lang: Lang) -> (String, String) {
        let (mut fast, mut reference) = (Vec::new(), Vec::new());
        o.write_json(lang, &mut fast);
        o.write_json_serde(lang, &mut reference);
        (String::from_utf8(fast).unwrap_or_default(), String::from_utf8(reference).unwrap_or_default())
    }

    #[test]
    fn the_hand_written_record_is_serde_json_byte_for_byte() {
        let text = |s: &str| Text { en: Arc::from(s), th: Arc::from(format!("ไทย {s}")) };
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let mut o = Outcome::default();
        let (fast, reference) = both(&o, Lang::En);
        assert_eq!(fast, reference);
        let odd = "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{1f}j\u{7f}k ก€😀";
        o.id = odd.to_string();
        o.fund = Some(FundId::new("UC"));
        o.setting = Some(Setting::Ip);
        o.service_date = date(2025, 1, 9);
        o.claim_date = date(-44, 12, 31);
        o.fiscal_year = Some(FiscalYear::new(-3));
        o.submitted = date(12345, 6, 7);
        o.accident_date = date(1, 1, 1);
        o.hcode = "10703".into();
        o.hospmain = odd.into();
        o.sub_fund = "x".into();
        o.visit_type = Some(VisitType::ReferOutOfProvince);
        o.work_injury = true;
        o.primary_taken_before = Money::rounded(rust_decimal::Decimal::new(-5, 2));
        o.packs = vec![Arc::from("uc@2568 abc"), Arc::from(odd)];
        o.charged = Money::rounded(rust_decimal::Decimal::MAX);
        o.payers = vec![
            PayerAmount::new(FundId::new("PRB"), Money::baht(-1), PayerStatus::Pending),
            PayerAmount {
                expected: Some(Money::rounded(rust_decimal::Decimal::MIN)),
                ..PayerAmount::new(FundId::new("uc"), Money::ZERO, PayerStatus::Held)
            },
        ];
        o.patient = Money::rounded(rust_decimal::Decimal::new(7, 2));
        o.penalty = Money::rounded(rust_decimal::Decimal::new(123_456_789, 1));
        o.difference = Money::baht(i64::MAX) + Money::baht(i64::MAX);
        o.findings = vec![
            Finding {
                code: Arc::from("LATE"),
                severity: Severity::Warning,
                rule: Arc::from(odd),
                message: text(odd),
                lines: LineList::new(),
            },
            Finding {
                code: Arc::from("X"),
                severity: Severity::Info,
                rule: Arc::from("r"),
                message: text("m"),
                lines: [0, 7, u32::MAX, 3, 9].into_iter().collect(),
            },
        ];
        o.trace = vec![
            TraceEntry {
                rule: Arc::from("r"),
                bucket: Bucket::Payer(FundId::new("SSS")),
                amount: Money::baht(3),
                pending: true,
                held: true,
                lines: LineList::new(),
            },
            TraceEntry {
                rule: Arc::from(odd),
                bucket: Bucket::Patient,
                amount: -Money::baht(3),
                pending: false,
                held: true,
                lines: LineList::from_slice(&[1]),
            },
            TraceEntry {
                rule: Arc::from("p"),
                bucket: Bucket::Penalty,
                amount: Money::ZERO,
                pending: true,
                held: false,
                lines: LineList::from_slice(&[1, 2]),
            },
            TraceEntry {
                rule: Arc::from("d"),
                bucket: Bucket::Difference,
                amount: Money::baht(1),
                pending: false,
                held: false,
                lines: LineList::new(),
            },
        ];
        for lang in [Lang::En, Lang::Th] {
            let (fast, reference) = both(&o, lang);
            assert_eq!(fast, reference);
        }
        o.work_injury = false;
        o.visit_type = None;
        o.submitted = None;
        o.fund = None;
        o.setting = Some(Setting::Op);
        o.fiscal_year = None;
        let (fast, reference) = both(&o, Lang::En);
        assert_eq!(fast, reference);
    }
}
