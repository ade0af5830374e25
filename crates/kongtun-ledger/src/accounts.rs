//! The chart of accounts (`kind: chart-of-accounts` in the rules directory): which MOPH
//! receivable account (ผังบัญชีลูกหนี้ สป.) each receivable is booked on, the revenue account
//! beside it, and the accounts the journal's other side uses. Effective-dated like the fund
//! packs; the journal takes the version in force on each movement's date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::claim::{Setting, VisitType};
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::rulebook::{DocumentKind, Rulebook};
use kongtun_core::yaml;
use serde::Deserialize;

use crate::policy::Effective;
use crate::receivable::{EvaluatedClaim, Receivable};

/// One version of the chart.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartOfAccounts {
    /// Always `chart-of-accounts`.
    pub kind: String,
    /// The chart's id, e.g. `moph-receivables`.
    pub id: String,
    /// The version.
    pub version: String,
    /// The days it is in force.
    pub effective: Effective,
    /// Where the codes come from.
    pub source: String,
    /// Every account the chart uses: code and name.
    pub accounts: BTreeMap<String, String>,
    /// Which account a receivable is booked on: the first rule that fits it.
    pub receivables: Vec<AccountRule>,
    /// The revenue account of each receivable account (the journal's credit when a
    /// receivable is set up, its debit when a difference is adjusted).
    pub revenue: BTreeMap<String, String>,
    /// Where a difference adjusted on a receivable account is debited (ส่วนต่างค่ารักษาที่สูงกว่า
    /// ข้อตกลงในการจ่าย); a receivable account not listed debits its revenue account.
    #[serde(default)]
    pub differences: BTreeMap<String, String>,
    /// The accounts of cash received, write-offs and overpayments.
    pub journal: JournalAccounts,
    /// The account groups of the MOPH average collection period (ReportRatio): group name
    /// and its receivable accounts.
    #[serde(default)]
    pub ratio_groups: BTreeMap<String, Vec<String>>,
    /// The file it was read from (set by the loader).
    #[serde(skip)]
    pub file: PathBuf,
}

/// A rule of [`ChartOfAccounts::receivables`]: the account, and what the receivable must be.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRule {
    /// The account code.
    pub account: String,
    /// Who owes: fund ids, `PATIENT` for the patient's share, `SELF` for self-pay.
    #[serde(default)]
    pub payer: Vec<String>,
    /// `op` or `ip`.
    #[serde(default)]
    pub setting: Option<Setting>,
    /// Care inside or outside the patient's registered unit (`hospmain` against `hcode`; a
    /// claim that does not give `hospmain` is inside).
    #[serde(default)]
    pub cup: Option<Cup>,
    /// How the patient came.
    #[serde(default)]
    pub visit: Vec<VisitType>,
    /// Why, for reviewers.
    #[serde(default)]
    pub note: Option<String>,
}

/// Inside or outside the patient's registered unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cup {
    /// At the patient's registered unit (or the claim does not say).
    Inside,
    /// At another hospital.
    Outside,
}

/// The journal's other accounts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalAccounts {
    /// Where money received goes (the hospital's bank account).
    pub cash: JournalAccount,
    /// Debited when the committee writes a debt off.
    pub write_off: JournalAccount,
    /// Credited with money received beyond what was open.
    pub overpayment: JournalAccount,
}

/// One of the journal's other accounts: the hospital's own choice, so it may be an example.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalAccount {
    /// The account code.
    pub account: String,
    /// True when the code is an example for the hospital to replace with its own.
    #[serde(default)]
    pub example: bool,
}

impl ChartOfAccounts {
    /// `id@version`.
    pub fn name(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The name of an account code (empty when the chart lacks it).
    pub fn account_name(&self, code: &str) -> &str {
        self.accounts.get(code).map_or("", String::as_str)
    }

    /// The account a receivable is booked on: the first rule that fits it and its claim;
    /// an error naming the receivable when none does.
    pub fn account_of(&self, r: &Receivable, claim: Option<&EvaluatedClaim>) -> Result<&str, String> {
        let outside = claim.is_some_and(|c| !c.hospmain.is_empty() && !c.hcode.is_empty() && c.hospmain != c.hcode);
        let visit = claim.and_then(|c| c.visit_type);
        let fits = |rule: &AccountRule| {
            (rule.payer.is_empty() || rule.payer.iter().any(|p| p.eq_ignore_ascii_case(r.payer().as_str())))
                && rule.setting.is_none_or(|s| Some(s) == r.setting())
                && rule.cup.is_none_or(|c| (c == Cup::Outside) == outside)
                && (rule.visit.is_empty() || visit.is_some_and(|v| rule.visit.contains(&v)))
        };
        self.receivables.iter().find(|rule| fits(rule)).map(|rule| rule.account.as_str()).ok_or_else(|| {
            format!(
                "claim {}: no account of {} fits the receivable of payer {} (fund {}, {}, {}): add a rule to its `receivables:`",
                r.claim(),
                self.name(),
                r.payer(),
                r.fund(),
                r.setting().map_or("setting not given", |s| s.as_str()),
                if outside { "outside the CUP" } else { "inside the CUP" },
            )
        })
    }

    /// The revenue account beside a receivable account.
    pub fn revenue_of(&self, receivable_account: &str) -> Option<&str> {
        self.revenue.get(receivable_account).map(String::as_str)
    }

    /// Where a difference adjusted on a receivable account is debited.
    pub fn difference_of(&self, receivable_account: &str) -> Option<&str> {
        self.differences.get(receivable_account).or_else(|| self.revenue.get(receivable_account)).map(String::as_str)
    }

    /// Problems serde cannot see: accounts used but not listed, rules with no payer.
    fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.kind != DocumentKind::ChartOfAccounts.as_str() {
            problems.push(format!("kind: expected chart-of-accounts, found {}", self.kind));
        }
        let mut used: Vec<(&str, String)> = Vec::new();
        for (i, rule) in self.receivables.iter().enumerate() {
            used.push((&rule.account, format!("receivables[{i}]")));
            if !self.revenue.contains_key(&rule.account) {
                problems
                    .push(format!("receivables[{i}]: account {} has no revenue account in `revenue:`", rule.account));
            }
        }
        for (recv, rev) in &self.revenue {
            used.push((recv, "revenue (key)".into()));
            used.push((rev, format!("revenue of {recv}")));
        }
        for (recv, diff) in &self.differences {
            used.push((recv, "differences (key)".into()));
            used.push((diff, format!("differences of {recv}")));
        }
        for (group, codes) in &self.ratio_groups {
            for code in codes {
                used.push((code, format!("ratio_groups.{group}")));
            }
        }
        for (what, a) in [
            ("cash", &self.journal.cash),
            ("write_off", &self.journal.write_off),
            ("overpayment", &self.journal.overpayment),
        ] {
            used.push((&a.account, format!("journal.{what}")));
        }
        for (code, at) in used {
            if !self.accounts.contains_key(code) {
                problems.push(format!("{at}: account {code} is not listed in `accounts:`"));
            }
        }
        problems
    }

    /// The journal accounts that are examples, as warnings to print.
    pub fn example_accounts(&self) -> Vec<String> {
        [
            ("cash", &self.journal.cash),
            ("write_off", &self.journal.write_off),
            ("overpayment", &self.journal.overpayment),
        ]
        .into_iter()
        .filter(|(_, a)| a.example)
        .map(|(what, a)| {
            format!(
                "{}: journal.{what} {} ({}) is an example account: set your hospital's own in {}",
                self.name(),
                a.account,
                self.account_name(&a.account),
                self.file.display()
            )
        })
        .collect()
    }
}

/// Every version of the chart under a rules directory.
#[derive(Clone, Debug, Default)]
pub struct Charts {
    versions: Vec<ChartOfAccounts>,
}

impl Charts {
    /// Reads every `kind: chart-of-accounts` document under `dir`.
    pub fn load(dir: &Path) -> Result<Charts, Vec<Diagnostic>> {
        Charts::from_rulebook(&Rulebook::load(dir))
    }

    /// The charts of a rules directory already read; every problem with its file and line.
    pub fn from_rulebook(book: &Rulebook) -> Result<Charts, Vec<Diagnostic>> {
        let mut versions: Vec<ChartOfAccounts> = Vec::new();
        let mut errors = Vec::new();
        for doc in book.of_kind(DocumentKind::ChartOfAccounts) {
            let file = &*doc.file;
            match yaml::from_node::<ChartOfAccounts>(&doc.root) {
                Ok(mut chart) => {
                    chart.file = PathBuf::from(file);
                    for problem in chart.check() {
                        errors.push(
                            Diagnostic::error(DiagnosticKind::InvalidValue, file, problem)
                                .at_opt(doc.root.key_pos("id"))
                                .rule(chart.name()),
                        );
                    }
                    if let Some(other) =
                        versions.iter().find(|o| o.id == chart.id && o.effective.overlaps(&chart.effective))
                    {
                        errors.push(
                            Diagnostic::error(
                                DiagnosticKind::InvalidRule,
                                file,
                                format!(
                                    "effective range overlaps version {} in {}: versions of one chart must not overlap",
                                    other.version,
                                    other.file.display()
                                ),
                            )
                            .at_opt(doc.root.key_pos("effective"))
                            .rule(chart.name()),
                        );
                    }
                    versions.push(chart);
                }
                Err(e) => errors.push(
                    Diagnostic::error(e.kind.diagnostic_kind(), file, e.kind.to_string())
                        .at_opt(e.pos)
                        .field(e.field()),
                ),
            }
        }
        if errors.is_empty() {
            Ok(Charts { versions })
        } else {
            Err(errors)
        }
    }

    /// The version in force on `date`, or an error naming the versions there are.
    pub fn in_force(&self, date: NaiveDate) -> Result<&ChartOfAccounts, String> {
        self.versions.iter().find(|c| c.effective.covers(date)).ok_or_else(|| {
            let known: Vec<String> = self.versions.iter().map(ChartOfAccounts::name).collect();
            format!(
                "no chart of accounts in force on {date}; versions: {}",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            )
        })
    }

    /// Every version.
    pub fn versions(&self) -> &[ChartOfAccounts] {
        &self.versions
    }
}
