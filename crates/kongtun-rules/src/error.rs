//! Errors of loading packs (the shared [`Diagnostic`]) and of evaluating claims.

use chrono::NaiveDate;

pub use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics, Level};

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
    /// The claim's fund is neither a fund with packs nor a name of one in the code map `funds`.
    #[error("`{fund}` is not a fund kongtun knows{}: funds with packs: {known}; other names for them are in rules/codes/funds.yaml", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownFund {
        /// The fund as written.
        fund: String,
        /// The nearest fund id or name, when one is near.
        suggestion: Option<String>,
        /// The funds with main packs.
        known: String,
    },
    /// The claim's fund has only a primary pack (e.g. PRB), which cannot be a main fund.
    #[error("fund {0} only has a primary (pays-first) pack; a claim's main fund needs a main pack")]
    NotMainFund(String),
    /// The claim has more charge lines than the engine evaluates (see
    /// [`crate::Engine::set_max_lines_per_claim`]).
    #[error("{lines} charge lines: a claim is limited to {max}, so that no claim can hold up a batch")]
    TooLarge {
        /// Lines in the claim.
        lines: usize,
        /// The limit.
        max: usize,
    },
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
            EvalError::UnknownFund { .. } => "unknown_fund",
            EvalError::TooLarge { .. } => "too_large",
            EvalError::Arithmetic { .. } => "arithmetic",
        }
    }
}
