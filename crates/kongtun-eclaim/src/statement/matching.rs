//! Finding the claim a statement line is about.
//!
//! The claims are those the books hold ([`ClaimKey`]: the id, the setting, the service
//! date, the payers; the HN and AN when the claim documents are at hand). Rules, in order; the
//! first that finds any claim decides:
//!
//! 1. **AN** (a line with an AN, in-patient): the claim whose AN is it, or whose id is it (the
//!    16-file reader names an admission by its AN).
//! 2. **Invoice no.** (REP `INVOICE NO`, CSMBS `invno`): the claim whose id is it.
//! 3. **SEQ NO** (REP, STM): the claim whose id is it (the 16-file reader names a visit by its
//!    SEQ).
//! 4. **HN + service date**: the claims of that HN whose service date is the line's admission
//!    or visit date, of the line's setting (in-patient when it has an AN) when the claim's is
//!    known.
//!
//! Identifiers are compared trimmed and without leading zeros (Excel drops them from numbers:
//! `0002002` and `2002` are one HN). When a rule finds several claims, those owed by the
//! line's payer are kept; if one is left it is the match, otherwise the line is **ambiguous**
//! and names them all (never posted to a guess). A line no rule matches is **unmatched**.
//! Neither is dropped: the caller reports them with their place (file, sheet, row).
//!
//! ```
//! use chrono::NaiveDate;
//! use kongtun_core::claim::Setting;
//! use kongtun_core::fund::FundId;
//! use kongtun_eclaim::statement::matching::{ClaimKey, Found, Matcher, Rule};
//!
//! let day = NaiveDate::from_ymd_opt(2025, 4, 8).unwrap();
//! let claim = |id: &str, hn: &str, setting| ClaimKey {
//!     id: id.into(),
//!     setting: Some(setting),
//!     hn: Some(hn.into()),
//!     an: None,
//!     service_date: day,
//!     payers: vec![FundId::new("UC")],
//! };
//! let matcher = Matcher::new(vec![
//!     claim("680000101", "0002002", Setting::Ip),
//!     claim("V1", "0002002", Setting::Op),
//!     claim("V2", "0002002", Setting::Op),
//! ]);
//! let uc = FundId::new("UC");
//! // an admission by its AN
//! let found = matcher.find(Some("680000101"), None, None, Some("2002"), Some(day), &uc);
//! assert_eq!(found, Found::Claim { index: 0, rule: Rule::An });
//! // two visits of the HN that day: ambiguous, both named
//! let found = matcher.find(None, None, None, Some("2002"), Some(day), &uc);
//! assert_eq!(found, Found::Ambiguous { rule: Rule::HnDate, candidates: vec![1, 2] });
//! assert_eq!(matcher.find(None, None, None, Some("9"), Some(day), &uc), Found::Unmatched);
//! ```

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use kongtun_core::claim::Setting;
use kongtun_core::fund::FundId;

use super::{id_key, StatementLine};

/// What the books know of a claim, to match statement lines against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimKey {
    /// The claim id.
    pub id: String,
    /// Outpatient or in-patient, when known.
    pub setting: Option<Setting>,
    /// Hospital number, when known.
    pub hn: Option<String>,
    /// Admission number, when known.
    pub an: Option<String>,
    /// The visit or admission date.
    pub service_date: NaiveDate,
    /// Who owes money on it (its fund and the payers of its evaluation).
    pub payers: Vec<FundId>,
}

/// The rule that found a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// By AN.
    An,
    /// By invoice no.
    Invoice,
    /// By SEQ NO.
    Seq,
    /// By HN and service date.
    HnDate,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::An => "AN",
            Rule::Invoice => "invoice no.",
            Rule::Seq => "SEQ NO",
            Rule::HnDate => "HN + service date",
        })
    }
}

/// What matching found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// One claim (its index among the keys given to [`Matcher::new`]).
    Claim {
        /// The claim's index.
        index: usize,
        /// The rule that found it.
        rule: Rule,
    },
    /// Several claims, none preferred: not posted.
    Ambiguous {
        /// The rule that found them.
        rule: Rule,
        /// Their indexes.
        candidates: Vec<usize>,
    },
    /// No claim.
    Unmatched,
}

/// Claims indexed by AN, id and HN + date.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    claims: Vec<ClaimKey>,
    by_an: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, Vec<usize>>,
    by_hn_date: HashMap<(String, NaiveDate), Vec<usize>>,
}

impl Matcher {
    /// Indexes the claims.
    pub fn new(claims: Vec<ClaimKey>) -> Matcher {
        let mut m = Matcher { claims, ..Matcher::default() };
        for (i, c) in m.claims.iter().enumerate() {
            m.by_id.entry(id_key(&c.id).to_string()).or_default().push(i);
            // an AN, or the id of an admission whose AN is not known (the 16-file reader's)
            if let Some(an) = c.an.as_deref().filter(|a| !a.trim().is_empty()) {
                m.by_an.entry(id_key(an).to_string()).or_default().push(i);
            } else if c.setting != Some(Setting::Op) {
                m.by_an.entry(id_key(&c.id).to_string()).or_default().push(i);
            }
            if let Some(hn) = c.hn.as_deref().filter(|h| !h.trim().is_empty()) {
                m.by_hn_date.entry((id_key(hn).to_string(), c.service_date)).or_default().push(i);
            }
        }
        m
    }

    /// The claims, as given.
    pub fn claims(&self) -> &[ClaimKey] {
        &self.claims
    }

    /// The claim of a statement line (see the module docs).
    pub fn find_line(&self, line: &StatementLine) -> Found {
        self.find(
            line.an.as_deref(),
            line.invoice.as_deref(),
            line.seq.as_deref(),
            line.hn.as_deref(),
            line.admitted,
            &line.payer,
        )
    }

    /// The claim of a row with these keys, owed by `payer` (see the module docs).
    pub fn find(
        &self,
        an: Option<&str>,
        invoice: Option<&str>,
        seq: Option<&str>,
        hn: Option<&str>,
        service_date: Option<NaiveDate>,
        payer: &FundId,
    ) -> Found {
        let ip = an.is_some_and(|a| !a.trim().is_empty());
        let look = |map: &HashMap<String, Vec<usize>>, key: Option<&str>| -> Vec<usize> {
            key.filter(|k| !k.trim().is_empty()).and_then(|k| map.get(id_key(k))).cloned().unwrap_or_default()
        };
        let hn_date = match (hn.filter(|h| !h.trim().is_empty()), service_date) {
            (Some(hn), Some(day)) => {
                let setting = if ip { Setting::Ip } else { Setting::Op };
                self.by_hn_date
                    .get(&(id_key(hn).to_string(), day))
                    .map(|v| {
                        v.iter().copied().filter(|&i| self.claims[i].setting.is_none_or(|s| s == setting)).collect()
                    })
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let tries = [
            (Rule::An, look(&self.by_an, an)),
            (Rule::Invoice, look(&self.by_id, invoice)),
            (Rule::Seq, look(&self.by_id, seq)),
            (Rule::HnDate, hn_date),
        ];
        for (rule, candidates) in tries {
            match candidates.len() {
                0 => continue,
                1 => return Found::Claim { index: candidates[0], rule },
                _ => {
                    let owed: Vec<usize> =
                        candidates.iter().copied().filter(|&i| self.claims[i].payers.contains(payer)).collect();
                    return match owed.as_slice() {
                        [one] => Found::Claim { index: *one, rule },
                        _ => Found::Ambiguous { rule, candidates },
                    };
                }
            }
        }
        Found::Unmatched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, setting: Setting, hn: &str, an: Option<&str>, day: u32, payer: &str) -> ClaimKey {
        ClaimKey {
            id: id.into(),
            setting: Some(setting),
            hn: Some(hn.into()),
            an: an.map(Into::into),
            service_date: NaiveDate::from_ymd_opt(2025, 4, day).unwrap_or_default(),
            payers: vec![FundId::new(payer)],
        }
    }

    #[test]
    fn rules_in_order() {
        let d = |day| NaiveDate::from_ymd_opt(2025, 4, day);
        let m = Matcher::new(vec![
            key("C-IP", Setting::Ip, "77", Some("6800123"), 1, "UC"),
            key("680408001", Setting::Op, "77", None, 8, "UC"),
            key("C-OP-SAME-DAY", Setting::Op, "77", None, 1, "UC"),
            key("CSMBS-1", Setting::Op, "88", None, 9, "CSMBS"),
            key("SELF-1", Setting::Op, "88", None, 9, "SELF"),
        ]);
        let uc = FundId::new("UC");
        // AN with leading zeros dropped by Excel
        assert_eq!(m.find(Some("06800123"), None, None, None, None, &uc), Found::Claim { index: 0, rule: Rule::An });
        // an IP row by HN + date takes the admission, not the OP visit of the same day
        assert_eq!(
            m.find(Some("999"), None, None, Some("77"), d(1), &uc),
            Found::Claim { index: 0, rule: Rule::HnDate }
        );
        assert_eq!(m.find(None, None, None, Some("077"), d(1), &uc), Found::Claim { index: 2, rule: Rule::HnDate });
        assert_eq!(m.find(None, None, Some("680408001"), None, None, &uc), Found::Claim { index: 1, rule: Rule::Seq });
        assert_eq!(
            m.find(None, Some("680408001"), Some("x"), None, None, &uc),
            Found::Claim { index: 1, rule: Rule::Invoice }
        );
        // two claims that day, one owed by the payer: that one
        let csmbs = FundId::new("CSMBS");
        assert_eq!(m.find(None, None, None, Some("88"), d(9), &csmbs), Found::Claim { index: 3, rule: Rule::HnDate });
        assert_eq!(
            m.find(None, None, None, Some("88"), d(9), &uc),
            Found::Ambiguous { rule: Rule::HnDate, candidates: vec![3, 4] }
        );
        assert_eq!(m.find(None, None, None, None, None, &uc), Found::Unmatched);
    }
}
