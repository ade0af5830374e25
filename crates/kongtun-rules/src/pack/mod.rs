//! Compiled rule packs. [`compile`] turns a pack document into a [`Pack`] once, when the
//! packs load; evaluation then only reads it. The compiled form (rules, tables, expressions)
//! is private to this crate: what other crates see of a pack is the small API below.

mod code_index;
mod compile;
mod model;

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::outcome::Text;
use rust_decimal::Decimal;

pub(crate) use compile::{compile, Compiler, Reporter};
pub(crate) use model::*;
pub use model::{Pack, Param};

pub use crate::format::Layer;

impl Pack {
    /// The pack id: `uc`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The fund it decides for.
    pub fn fund(&self) -> &FundId {
        &self.fund
    }

    /// The version label: `2568`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `id@version`: `uc@2568`.
    pub fn name(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// `uc@2568 <sha256 of the file>`: names exactly the rules that produced a number.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The SHA-256 of the pack file, in hex.
    pub fn sha256(&self) -> &str {
        self.label.rsplit(' ').next().unwrap_or_default()
    }

    /// The file it came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// What it is, in English and Thai.
    pub fn title(&self) -> Option<&Text> {
        self.title.as_ref()
    }

    /// First day in force.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day in force (inclusive); `None` = open-ended.
    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// Main (prices the claim) or primary (pays first, e.g. PRB).
    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// True when `date` falls in the pack's effective range.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    /// A parameter's value by name.
    pub fn param(&self, name: &str) -> Option<Decimal> {
        self.params.iter().find(|p| p.name == name).map(|p| p.value)
    }

    /// The parameters, as declared (name, value, unit, source).
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The ids of everything that can fire: pricing rules, tiers, checks, then the late and
    /// expiry rules, in that order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .map(|r| &*r.id)
            .chain(self.tiers.iter().map(|t| &*t.id))
            .chain(self.checks.iter().map(|c| &*c.id))
            .chain(self.late.iter().map(|l| &*l.id))
            .chain(self.expiry.iter().map(|x| &*x.id))
            .chain(self.pays_while_pending.iter().map(|p| &*p.id))
            .chain(self.expected_payment.iter().map(|x| &*x.id))
    }

    /// How to fix the finding a rule of this pack raises (its `fix:` text), if the pack says.
    pub fn fix(&self, rule: &str) -> Option<&Text> {
        let checks = self.checks.iter().filter(|c| &*c.id == rule).find_map(|c| c.fix.as_ref());
        checks
            .or_else(|| self.late.iter().filter(|l| &*l.id == rule).find_map(|l| l.finding.fix.as_ref()))
            .or_else(|| self.expiry.iter().filter(|x| &*x.id == rule).find_map(|x| x.finding.fix.as_ref()))
            .or_else(|| {
                self.pays_while_pending.iter().filter(|p| &*p.id == rule).find_map(|p| p.finding.as_ref()?.fix.as_ref())
            })
    }

    /// True when the check `rule` holds the money it concerns (`holds: true`).
    pub fn holds(&self, rule: &str) -> bool {
        self.checks.iter().any(|c| &*c.id == rule && c.holds)
    }

    /// True when `rule` is an expiry rule of this pack.
    pub fn is_expiry(&self, rule: &str) -> bool {
        self.expiry.iter().any(|x| &*x.id == rule)
    }

    /// Each decision table's name and number of rows, in declaration order (the index
    /// [`crate::Observer::row_hit`] reports).
    pub fn tables(&self) -> impl Iterator<Item = (&str, usize)> {
        self.tables.iter().map(|t| (t.name.as_str(), t.rows.len()))
    }
}
