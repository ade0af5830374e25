//! Errors of loading packs and of evaluating claims.

use std::fmt;

use chrono::NaiveDate;
use kongtun_core::yaml::Pos;

/// How serious a load diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The pack cannot be used.
    Error,
    /// The pack works, but a reviewer should look (unused parameter, example value).
    Warning,
}

/// A problem in a rule pack, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// Error or warning.
    pub level: Level,
    /// The pack file.
    pub file: String,
    /// Line and column, where known.
    pub pos: Option<Pos>,
    /// The rule, table, parameter or check id it concerns.
    pub rule: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for LoadError {
    /// `rules/uc/fy2568.yaml:41:17: rule uc-tka: unknown parameter ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(pos) = self.pos {
            write!(f, ":{pos}")?;
        }
        f.write_str(": ")?;
        if self.level == Level::Warning {
            f.write_str("warning: ")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "{rule}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found while loading packs (all of them, not just the first).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Why a claim could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// No version of the claim's fund covers its date.
    #[error("no {fund} pack is in force on {date} (the claim's {basis}); packs for {fund} cover: {covered}")]
    NoPack {
        /// The fund.
        fund: String,
        /// The claim date.
        date: NaiveDate,
        /// "discharge date" or "service date".
        basis: &'static str,
        /// The ranges that exist, or "nothing".
        covered: String,
    },
    /// The claim's fund has only a primary pack (e.g. PRB), which cannot be a main fund.
    #[error("fund {0} only has a primary (pays-first) pack; a claim's main fund needs a main pack")]
    NotMainFund(String),
    /// Arithmetic in a rule could not be carried out.
    #[error("rule {rule}: {message}")]
    Arithmetic {
        /// The rule id.
        rule: String,
        /// What failed.
        message: String,
    },
}

impl EvalError {
    /// A stable snake_case name, used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            EvalError::NoPack { .. } => "no_pack",
            EvalError::NotMainFund(_) => "not_main_fund",
            EvalError::Arithmetic { .. } => "arithmetic",
        }
    }
}
