//! The claim and line fields an expression can read, with their types.
//!
//! Names are resolved to a [`Field`] once, when the pack loads; evaluation matches on the
//! enum and never looks a name up.

use super::Type;

/// A field of the claim or of the current charge line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `claim.setting`: `op` or `ip`.
    Setting,
    /// `claim.fund`
    Fund,
    /// `claim.sub_fund` (optional)
    SubFund,
    /// `claim.hcode` (optional): the hospital that gave the care.
    Hcode,
    /// `claim.hospmain` (optional): the patient's registered main unit.
    Hospmain,
    /// `claim.hospsub` (optional): the patient's registered primary unit.
    Hospsub,
    VisitType,
    WorkInjury,
    /// `claim.service_date`
    ServiceDate,
    /// `claim.discharge_date` (optional)
    DischargeDate,
    /// `claim.date`: discharge for IP, service for OP.
    ClaimDate,
    /// `claim.submitted` (optional)
    Submitted,
    /// `claim.adj_rw` (optional)
    AdjRw,
    /// `claim.diagnoses`
    Diagnoses,
    /// `claim.procedures`
    Procedures,
    /// `claim.pdx`: the principal diagnosis (optional).
    Pdx,
    /// `claim.los`: days in hospital.
    Los,
    /// `claim.charged`: all lines.
    Charged,
    /// `claim.claimable_charged`: lines with `claimable: true`.
    ClaimableCharged,
    /// `claim.lines`: number of lines.
    LineCount,
    /// `claim.accident`: true when the claim has an accident.
    HasAccident,
    /// `accident.date` (optional)
    AccidentDate,
    /// `accident.role` (optional)
    AccidentRole,
    /// `accident.counterparty` (optional)
    AccidentCounterparty,
    /// `accident.case` (optional)
    AccidentCase,
    /// `line.code`
    Code,
    /// `line.category`: 1-16.
    Category,
    /// `line.qty`
    Qty,
    /// `line.price`
    Price,
    /// `line.amount`: qty x price.
    Amount,
    /// `line.date`: the line's date, or the claim's service date.
    LineDate,
    /// `line.claimable`
    Claimable,
    /// `line.serial` (optional)
    Serial,
}

/// Every field: name, field, type, may be absent, the closed set of values (for text).
pub const FIELDS: &[(&str, Field, Type, bool, &[&str])] = &[
    ("claim.setting", Field::Setting, Type::Text, false, &["op", "ip"]),
    ("claim.fund", Field::Fund, Type::Text, false, &[]),
    ("claim.sub_fund", Field::SubFund, Type::Text, true, &[]),
    ("claim.hcode", Field::Hcode, Type::Text, true, &[]),
    ("claim.hospmain", Field::Hospmain, Type::Text, true, &[]),
    ("claim.hospsub", Field::Hospsub, Type::Text, true, &[]),
    ("claim.visit_type", Field::VisitType, Type::Text, true, &kongtun_core::claim::VisitType::NAMES),
    ("claim.work_injury", Field::WorkInjury, Type::Bool, false, &[]),
    ("claim.service_date", Field::ServiceDate, Type::Date, false, &[]),
    ("claim.discharge_date", Field::DischargeDate, Type::Date, true, &[]),
    ("claim.date", Field::ClaimDate, Type::Date, false, &[]),
    ("claim.submitted", Field::Submitted, Type::Date, true, &[]),
    ("claim.adj_rw", Field::AdjRw, Type::Num, true, &[]),
    ("claim.diagnoses", Field::Diagnoses, Type::Codes, false, &[]),
    ("claim.procedures", Field::Procedures, Type::Codes, false, &[]),
    ("claim.pdx", Field::Pdx, Type::Text, true, &[]),
    ("claim.los", Field::Los, Type::Num, false, &[]),
    ("claim.charged", Field::Charged, Type::Num, false, &[]),
    ("claim.claimable_charged", Field::ClaimableCharged, Type::Num, false, &[]),
    ("claim.lines", Field::LineCount, Type::Num, false, &[]),
    ("claim.accident", Field::HasAccident, Type::Bool, false, &[]),
    ("accident.date", Field::AccidentDate, Type::Date, true, &[]),
    ("accident.role", Field::AccidentRole, Type::Text, true, &["driver", "passenger", "pedestrian"]),
    ("accident.counterparty", Field::AccidentCounterparty, Type::Bool, true, &[]),
    ("accident.case", Field::AccidentCase, Type::Text, true, &["pending", "entitled", "not_entitled"]),
    ("line.code", Field::Code, Type::Text, false, &[]),
    ("line.category", Field::Category, Type::Num, false, &[]),
    ("line.qty", Field::Qty, Type::Num, false, &[]),
    ("line.price", Field::Price, Type::Num, false, &[]),
    ("line.amount", Field::Amount, Type::Num, false, &[]),
    ("line.date", Field::LineDate, Type::Date, false, &[]),
    ("line.claimable", Field::Claimable, Type::Bool, false, &[]),
    ("line.serial", Field::Serial, Type::Text, true, &[]),
];

impl Field {
    /// Every field, in the order of [`FIELDS`].
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|f| f.1)
    }

    /// Looks a field up by its dotted name.
    pub fn by_name(name: &str) -> Option<Field> {
        FIELDS.iter().find(|f| f.0 == name).map(|f| f.1)
    }

    fn entry(self) -> &'static (&'static str, Field, Type, bool, &'static [&'static str]) {
        FIELDS.iter().find(|f| f.1 == self).unwrap_or(&FIELDS[0])
    }

    /// The dotted name.
    pub fn name(self) -> &'static str {
        self.entry().0
    }

    /// The type of its value.
    pub fn ty(self) -> Type {
        self.entry().2
    }

    /// True when a claim may lack it.
    pub fn optional(self) -> bool {
        self.entry().3
    }

    /// The closed set of values of a text field (empty when open).
    pub fn values(self) -> &'static [&'static str] {
        self.entry().4
    }

    /// True for `line.*` fields, which only exist while a line is being priced or checked.
    pub fn is_line(self) -> bool {
        self.name().starts_with("line.")
    }

    /// All field names, for "expected one of" messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FIELDS.iter().map(|f| f.0)
    }
}
