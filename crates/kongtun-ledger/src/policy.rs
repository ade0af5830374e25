//! The collection policy pack (`kind: collection-policy` under `rules/`): age bands, average
//! collection period targets per fund, and the dunning schedule. Effective-dated like the fund
//! packs: a report uses the version in force on its as-of date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::calendar::{date_text, opt_date_text};
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::fund::FundId;
use kongtun_core::rulebook::{DocumentKind, Rulebook};
use kongtun_core::yaml;
use serde::{Deserialize, Serialize};

/// The document kind of a collection policy.
pub const KIND: &str = "collection-policy";

/// The fund key of [`Dunning::letters`] that applies to every fund not named.
pub const DEFAULT_FUND: &str = "default";

/// One version of the collection policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionPolicy {
    /// Always `collection-policy`.
    pub kind: String,
    /// The policy's id, e.g. `collection`.
    pub id: String,
    /// The version, e.g. `"2568"`.
    pub version: String,
    /// The days it is in force.
    pub effective: Effective,
    /// Upper bounds of the age bands in days, increasing: `[30, 60]` gives 0-30, 31-60, > 60.
    pub age_bands: Vec<u32>,
    /// Average collection period targets, in days, per fund.
    pub collection_period: CollectionPeriod,
    /// When patient debts get letters and go to the write-off committee.
    pub dunning: Dunning,
    /// The file it was read from (set by the loader).
    #[serde(skip)]
    pub file: PathBuf,
}

/// An effective date range (both ends included; no end = open).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effective {
    /// First day.
    #[serde(with = "date_text")]
    pub from: NaiveDate,
    /// Last day.
    #[serde(default, with = "opt_date_text")]
    pub to: Option<NaiveDate>,
}

impl Effective {
    /// True when `date` is in the range.
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    pub(crate) fn overlaps(&self, other: &Effective) -> bool {
        let end = |e: &Effective| e.to.unwrap_or(NaiveDate::MAX);
        self.from <= end(other) && other.from <= end(self)
    }
}

/// Average collection period targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionPeriod {
    /// Target days per fund, e.g. `UC: 60`.
    pub targets: BTreeMap<String, u32>,
}

/// The dunning schedule of patient debts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dunning {
    /// Days after the claim date each letter is due, per fund of the claim (`default` for the
    /// rest): e.g. `SELF: [30, 60, 90]`, `default: [30, 60]`. One to three letters.
    pub letters: BTreeMap<String, Vec<u32>>,
    /// Days after the last letter before the debt goes to the write-off committee.
    pub committee_after_days: u32,
}

impl CollectionPolicy {
    /// `id@version`: `collection@2568`.
    pub fn name(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The band labels: `0-30`, `31-60`, ..., `> 365`.
    pub fn band_labels(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.age_bands.len() + 1);
        let mut low = 0;
        for &high in &self.age_bands {
            out.push(format!("{low}-{high}"));
            low = high + 1;
        }
        out.push(format!("> {}", self.age_bands.last().copied().unwrap_or(0)));
        out
    }

    /// The band index of an age in days.
    pub fn band_of(&self, age_days: i64) -> usize {
        self.age_bands.iter().position(|&high| age_days <= i64::from(high)).unwrap_or(self.age_bands.len())
    }

    /// The collection period target of a fund, in days.
    pub fn target(&self, fund: &FundId) -> Option<u32> {
        self.targets_get(fund.as_str())
    }

    fn targets_get(&self, fund: &str) -> Option<u32> {
        self.collection_period.targets.get(fund).copied()
    }

    /// The letter schedule of a claim's fund (its own, or `default`).
    pub fn letters_for(&self, fund: &FundId) -> &[u32] {
        self.dunning
            .letters
            .get(fund.as_str())
            .or_else(|| self.dunning.letters.get(DEFAULT_FUND))
            .map_or(&[], Vec::as_slice)
    }

    fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.kind != KIND {
            problems.push(format!("kind: expected `{KIND}`, found `{}`", self.kind));
        }
        if self.effective.to.is_some_and(|to| to < self.effective.from) {
            problems.push("effective: `to` is before `from`".into());
        }
        if self.age_bands.is_empty() || self.age_bands.windows(2).any(|w| w[0] >= w[1]) || self.age_bands[0] == 0 {
            problems.push("age_bands: expected upper bounds in days above 0, strictly increasing".into());
        }
        for (fund, days) in &self.dunning.letters {
            if days.is_empty() || days.len() > 3 || days.windows(2).any(|w| w[0] >= w[1]) {
                problems.push(format!(
                    "dunning.letters.{fund}: expected 1 to 3 letters with strictly increasing days, found {days:?}"
                ));
            }
        }
        problems
    }
}

/// Every version of the collection policy found under a rules directory.
#[derive(Clone, Debug, Default)]
pub struct Policies {
    versions: Vec<CollectionPolicy>,
}

impl Policies {
    /// Reads every `kind: collection-policy` document under `dir`; every problem is reported
    /// with its file and line (the directory's reading problems are the fund packs' to report).
    pub fn load(dir: &Path) -> Result<Policies, Vec<Diagnostic>> {
        Policies::from_rulebook(&Rulebook::load(dir))
    }

    /// Like [`Policies::load`], from `(file name, text)` pairs.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Policies, Vec<Diagnostic>> {
        Policies::from_rulebook(&Rulebook::from_sources(sources))
    }

    /// The collection policies of a rules directory already read.
    pub fn from_rulebook(book: &Rulebook) -> Result<Policies, Vec<Diagnostic>> {
        let mut versions: Vec<CollectionPolicy> = Vec::new();
        let mut errors = Vec::new();
        for doc in book.of_kind(DocumentKind::CollectionPolicy) {
            let file = &*doc.file;
            let root = &doc.root;
            let error = |kind, message: String| Diagnostic::error(kind, file, message);
            match yaml::from_node::<CollectionPolicy>(root) {
                Ok(mut p) => {
                    p.file = PathBuf::from(file);
                    let at = root.key_pos("id");
                    for problem in p.check() {
                        errors.push(error(DiagnosticKind::InvalidValue, problem).at_opt(at).rule(p.name()));
                    }
                    if let Some(other) = versions.iter().find(|o| o.id == p.id && o.effective.overlaps(&p.effective)) {
                        let message = format!(
                            "effective range overlaps version {} in {}: versions of one policy must not overlap",
                            other.version,
                            other.file.display()
                        );
                        errors.push(
                            error(DiagnosticKind::InvalidRule, message)
                                .at_opt(root.key_pos("effective"))
                                .rule(p.name()),
                        );
                    }
                    versions.push(p);
                }
                Err(e) => {
                    errors.push(error(e.kind.diagnostic_kind(), e.kind.to_string()).at_opt(e.pos).field(e.field()))
                }
            }
        }
        if errors.is_empty() {
            Ok(Policies { versions })
        } else {
            Err(errors)
        }
    }

    /// The version in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> Result<&CollectionPolicy, Diagnostic> {
        self.versions.iter().find(|p| p.effective.covers(date)).ok_or_else(|| {
            let known: Vec<String> = self
                .versions
                .iter()
                .map(|p| {
                    let to = p.effective.to.map_or_else(|| "open".to_string(), |d| d.to_string());
                    format!("{} {}..{}", p.version, p.effective.from, to)
                })
                .collect();
            Diagnostic::error(
                DiagnosticKind::InvalidRule,
                "rules",
                format!(
                    "no collection policy in force on {date}; versions: {}",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                ),
            )
        })
    }

    /// Every version, in file order.
    pub fn versions(&self) -> &[CollectionPolicy] {
        &self.versions
    }
}
