//! Funds (สิทธิ / กองทุน): an open set of identifiers.
//!
//! A fund is whatever a rule pack names: adding a fund is adding a pack, never a code change.
//! The well-known ids and their NHSO e-Claim INSCL codes are listed here for convenience.
//!
//! ```
//! use kongtun_core::fund::FundId;
//! let uc = FundId::new("uc");
//! assert_eq!(uc.as_str(), "UC"); // ids are upper case
//! assert_eq!(uc.inscl(), Some("UCS"));
//! assert_eq!(FundId::from_inscl("OFC"), Some(FundId::new("CSMBS")));
//! ```

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fund identifier such as `UC`, `CSMBS`, `PRB`. Cheap to clone (shared text).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FundId(Arc<str>);

/// Well-known funds: (id, e-Claim INSCL code, Thai name, English name).
pub const WELL_KNOWN: &[(&str, Option<&str>, &str, &str)] = &[
    ("UC", Some("UCS"), "บัตรทอง / สปสช.", "Universal Coverage (NHSO gold card)"),
    ("CSMBS", Some("OFC"), "ข้าราชการ / กรมบัญชีกลาง", "Civil Servant Medical Benefit Scheme"),
    ("SSS", Some("SSS"), "ประกันสังคม", "Social Security Scheme"),
    ("LGO", Some("LGO"), "อปท.", "Local Government Officers"),
    ("PRB", None, "พรบ. ผู้ประสบภัยจากรถ", "Road Accident Victims Protection Act"),
    ("SELF", None, "ชำระเงินเอง", "Self-pay"),
    ("STP", Some("STP"), "ต่างด้าว / ไร้รัฐ", "Foreign workers and stateless persons"),
];

impl FundId {
    /// A fund id; trimmed and upper-cased so `uc` and `UC` are one fund.
    pub fn new(id: &str) -> FundId {
        let id = id.trim();
        // The well-known ids are made once and shared: reading a claim allocates no fund id.
        if let Some(known) = well_known().iter().find(|k| k.0.eq_ignore_ascii_case(id)) {
            return known.clone();
        }
        FundId(Arc::from(id.to_ascii_uppercase()))
    }

    /// The id text, e.g. `UC`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The NHSO e-Claim INSCL code of a well-known fund (UC -> UCS, CSMBS -> OFC, ...).
    pub fn inscl(&self) -> Option<&'static str> {
        WELL_KNOWN.iter().find(|(id, ..)| *id == &*self.0).and_then(|(_, inscl, ..)| *inscl)
    }

    /// The fund of an e-Claim INSCL code, for the well-known ones.
    pub fn from_inscl(inscl: &str) -> Option<FundId> {
        let code = inscl.trim().to_ascii_uppercase();
        WELL_KNOWN.iter().find(|(_, c, ..)| *c == Some(code.as_str())).map(|(id, ..)| FundId::new(id))
    }
}

impl fmt::Display for FundId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for FundId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FundId({})", self.0)
    }
}

impl Borrow<str> for FundId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for FundId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The well-known ids, each made once.
fn well_known() -> &'static [FundId] {
    static KNOWN: std::sync::OnceLock<Vec<FundId>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| WELL_KNOWN.iter().map(|(id, ..)| FundId(Arc::from(*id))).collect())
}

impl<'de> Deserialize<'de> for FundId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FundId, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = FundId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // What `String`'s visitor says, so errors read as they did.
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FundId, E> {
                if text.trim().is_empty() {
                    return Err(E::custom("a fund id must not be empty"));
                }
                Ok(FundId::new(text))
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<FundId, E> {
                match std::str::from_utf8(v) {
                    Ok(text) => self.visit_str(text),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
                }
            }
        }
        deserializer.deserialize_string(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inscl_both_ways() {
        for (id, inscl) in [("UC", "UCS"), ("CSMBS", "OFC"), ("SSS", "SSS"), ("LGO", "LGO"), ("STP", "STP")] {
            assert_eq!(FundId::new(id).inscl(), Some(inscl));
            assert_eq!(FundId::from_inscl(inscl), Some(FundId::new(id)));
        }
        assert_eq!(FundId::new("PRB").inscl(), None);
        assert_eq!(FundId::from_inscl("XYZ"), None);
    }

    #[test]
    fn new_funds_need_no_code() {
        let bkk = FundId::new(" bkk ");
        assert_eq!(bkk.as_str(), "BKK");
        assert_eq!(bkk.inscl(), None);
    }
}
