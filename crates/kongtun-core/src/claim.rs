//! A claim: one visit's charges sent to one fund, as the rule interpreter sees it.
//!
//! The same types are the claim document format (see [`crate::document`]): field names
//! here are the names users write, unknown fields are refused, and serializing a claim
//! gives a document that reads back unchanged.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{date_text, opt_date_text, FiscalYear};
use crate::category::ChargeCategory;
use crate::decimal;
use crate::fund::FundId;
use crate::money::Money;

/// Outpatient visit or admission. Written `op` or `ip`; read as people write it too, in any
/// letter case: `OP`, `OPD`, `ผู้ป่วยนอก` (outpatient) and `IP`, `IPD`, `ผู้ป่วยใน` (in-patient).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// Outpatient (OPD): one visit, identified by HN and visit sequence.
    Op,
    /// In-patient (IPD): an admission, identified by AN, with admission and discharge dates.
    Ip,
}

impl Setting {
    /// `op` or `ip`.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Op => "op",
            Setting::Ip => "ip",
        }
    }

    /// The setting written as `text`: `op` or `ip`, `opd` or `ipd` in any letter case, or
    /// `ผู้ป่วยนอก` / `ผู้ป่วยใน`; surrounding blanks ignored.
    ///
    /// ```
    /// use kongtun_core::claim::Setting;
    /// assert_eq!(Setting::parse(" OPD "), Some(Setting::Op));
    /// assert_eq!(Setting::parse("ผู้ป่วยใน"), Some(Setting::Ip));
    /// assert_eq!(Setting::parse("er"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Setting> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("op") || t.eq_ignore_ascii_case("opd") || t == "ผู้ป่วยนอก" {
            Some(Setting::Op)
        } else if t.eq_ignore_ascii_case("ip") || t.eq_ignore_ascii_case("ipd") || t == "ผู้ป่วยใน" {
            Some(Setting::Ip)
        } else {
            None
        }
    }
}

impl<'de> Deserialize<'de> for Setting {
    /// Any spelling [`Setting::parse`] reads. (Written by hand rather than with serde aliases,
    /// whose every spelling would be listed in the error message.)
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Setting, D::Error> {
        let text = String::deserialize(deserializer)?;
        Setting::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected one of: op, ip (also OPD, IPD, ผู้ป่วยนอก, ผู้ป่วยใน, in any letter case), found `{text}`"
            ))
        })
    }
}

/// The victim's role in a road accident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccidentRole {
    /// Drove a vehicle.
    Driver,
    /// Rode in a vehicle.
    Passenger,
    /// On foot.
    Pedestrian,
}

impl AccidentRole {
    /// `driver`, `passenger` or `pedestrian`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccidentRole::Driver => "driver",
            AccidentRole::Passenger => "passenger",
            AccidentRole::Pedestrian => "pedestrian",
        }
    }
}

/// Where the road-accident case stands: whether the excess (tier 2) is due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Fault not settled yet: tier 2 waits.
    #[default]
    Pending,
    /// Settled in the victim's favour.
    Entitled,
    /// Settled against the victim.
    NotEntitled,
}

impl CaseStatus {
    /// `pending`, `entitled` or `not_entitled`.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Pending => "pending",
            CaseStatus::Entitled => "entitled",
            CaseStatus::NotEntitled => "not_entitled",
        }
    }
}

/// How the patient came to this visit, as e-Claim's UCAE code says: what decides, for UC, who
/// pays care outside the registered unit, and for SSS the first 72 hours of an emergency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitType {
    /// An accident (UCAE `A`: accident, or accident and emergency).
    Accident,
    /// An emergency (UCAE `E`).
    Emergency,
    /// Referred from a unit in the same province (UCAE `I`).
    ReferInProvince,
    /// Referred from another province (UCAE `O`).
    ReferOutOfProvince,
    /// The patient moved unit and the right began at once (UCAE `C`).
    UnitChange,
    /// Outreach service (UCAE `Z`).
    Outreach,
}

impl VisitType {
    /// The snake_case name rule expressions compare with (`claim.visit_type == "emergency"`).
    pub fn as_str(self) -> &'static str {
        match self {
            VisitType::Accident => "accident",
            VisitType::Emergency => "emergency",
            VisitType::ReferInProvince => "refer_in_province",
            VisitType::ReferOutOfProvince => "refer_out_of_province",
            VisitType::UnitChange => "unit_change",
            VisitType::Outreach => "outreach",
        }
    }

    /// Every name, for the expression checker.
    pub const NAMES: [&'static str; 6] =
        ["accident", "emergency", "refer_in_province", "refer_out_of_province", "unit_change", "outreach"];

    /// From e-Claim's UCAE code (`A E I O C Z`); `None` for `N`, empty or unknown codes.
    pub fn from_ucae(code: &str) -> Option<VisitType> {
        match code.trim() {
            "A" | "a" => Some(VisitType::Accident),
            "E" | "e" => Some(VisitType::Emergency),
            "I" | "i" => Some(VisitType::ReferInProvince),
            "O" | "o" => Some(VisitType::ReferOutOfProvince),
            "C" | "c" => Some(VisitType::UnitChange),
            "Z" | "z" => Some(VisitType::Outreach),
            _ => None,
        }
    }
}

/// A road accident (พรบ.): makes the road-accident insurer the first payer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accident {
    /// Day of the accident.
    #[serde(with = "date_text")]
    pub date: NaiveDate,
    /// Driver, passenger or pedestrian; absent when the record does not say (the 16-file
    /// AER table does not): the PRB pack then treats the victim as not a lone driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<AccidentRole>,
    /// Another vehicle was involved.
    #[serde(default)]
    pub counterparty: bool,
    /// Whether the fault case is settled.
    #[serde(default)]
    pub case: CaseStatus,
    /// The insurer's or police reference of the accident, when known: with the victim, it
    /// says which claims share one accident's PRB limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What PRB already paid (or owes) for this victim and accident on claims outside this
    /// batch, in baht: the tiers pay only what is left of their limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prb_already_paid: Option<Money>,
}

/// One charge line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The fund billing code of the item (e.g. `TKA-SET`, `2006`, `HD`).
    pub code: String,
    /// CSMBS charge category 1-16.
    pub category: ChargeCategory,
    /// Quantity, above 0.
    #[serde(with = "decimal::text")]
    pub qty: Decimal,
    /// Unit price in baht.
    pub price: Money,
    /// Day of service; per-day and per-week limits use it (the claim's service date if absent).
    #[serde(default, with = "opt_date_text", skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// False for CHRGITEM flag 2 (not claimable, billed to the patient).
    #[serde(default = "yes")]
    pub claimable: bool,
    /// Device serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// The exact amount charged for the line, when the hospital's total differs from
    /// `qty x price` by rounding (an e-Claim TOTAL); otherwise `qty x price`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

fn yes() -> bool {
    true
}

impl Line {
    /// The amount charged: `amount` when given, else `qty x price` rounded to the satang.
    pub fn charged(&self) -> Money {
        self.amount.unwrap_or_else(|| self.price.times(self.qty))
    }
}

/// One visit's claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Unique within a batch.
    pub id: String,
    /// Hospital number.
    pub hn: String,
    /// The patient's citizen id (13 digits), when known: with `hn` it identifies the victim
    /// of a road accident across claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    /// The hospital that gave the care (5-digit code), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hcode: Option<String>,
    /// The patient's registered main unit (UC HOSPMAIN), when known: care elsewhere is
    /// outside the CUP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hospmain: Option<String>,
    /// The patient's registered primary unit (UC HOSPSUB), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hospsub: Option<String>,
    /// The approval or authentication code of the visit (PERMITNO, Authen code), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// Admission number (IP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub an: Option<String>,
    /// `op` or `ip`.
    pub setting: Setting,
    /// The patient's main fund.
    pub fund: FundId,
    /// Sub-fund, as the fund names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_fund: Option<String>,
    /// OP visit date or IP admission date.
    #[serde(with = "date_text")]
    pub service_date: NaiveDate,
    /// IP discharge date.
    #[serde(default, with = "opt_date_text", skip_serializing_if = "Option::is_none")]
    pub discharge_date: Option<NaiveDate>,
    /// The day the claim is sent; timeliness uses the evaluation's as-of date if absent.
    #[serde(default, with = "opt_date_text", skip_serializing_if = "Option::is_none")]
    pub submitted: Option<NaiveDate>,
    /// IP adjusted relative weight from the Thai DRG grouper.
    #[serde(default, with = "decimal::opt_text", skip_serializing_if = "Option::is_none")]
    pub adj_rw: Option<Decimal>,
    /// ICD-10 codes, principal first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// ICD-9-CM codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<String>,
    /// Road accident details, when the visit follows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accident: Option<Accident>,
    /// How the patient came (accident, emergency, referral), when the record says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_type: Option<VisitType>,
    /// An injury at work: the Workmen's Compensation Fund (กองทุนเงินทดแทน) pays first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub work_injury: bool,
    /// Charge lines, at least one.
    pub items: Vec<Line>,
}

impl Claim {
    /// The day that decides which pack version applies and when deadlines run from:
    /// discharge for an admission, the visit for an outpatient.
    pub fn claim_date(&self) -> NaiveDate {
        match self.setting {
            Setting::Ip => self.discharge_date.unwrap_or(self.service_date),
            Setting::Op => self.service_date,
        }
    }

    /// The fiscal year of [`Claim::claim_date`].
    pub fn fiscal_year(&self) -> FiscalYear {
        FiscalYear::of(self.claim_date())
    }

    /// Sum of every line's charge.
    pub fn charged(&self) -> Money {
        self.items.iter().map(Line::charged).sum()
    }

    /// Days in hospital (discharge - admission), 0 for an outpatient visit.
    pub fn length_of_stay(&self) -> i64 {
        (self.claim_date() - self.service_date).num_days()
    }
}
