//! The 16 CSMBS charge categories (หมวด) and the e-Claim `CHRGITEM` code.
//!
//! `CHRGITEM` is two characters: the category character (`1`-`9`, then `A`-`F` for
//! categories 10-15, `G`-`J` for category 16), then `1` = claimable (เบิกได้) or
//! `2` = excess, not claimable (ส่วนเกิน). `K1` marks a road-accident (พรบ.) charge.
//!
//! ```
//! use kongtun_core::category::{ChargeCategory, ChrgItem};
//! let drugs = ChargeCategory::new(3).unwrap();
//! assert_eq!(ChrgItem::Charge { category: drugs, claimable: false }.code(), "32");
//! let procedures = ChargeCategory::new(11).unwrap();
//! assert_eq!(ChrgItem::parse("B1"), Ok(ChrgItem::Charge { category: procedures, claimable: true }));
//! assert_eq!(ChrgItem::parse("K1"), Ok(ChrgItem::RoadAccident));
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A CSMBS charge category, 1-16.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ChargeCategory(u8);

/// English names of categories 1-16.
const NAMES: [&str; 16] = [
    "room and food",
    "prosthetics and devices",
    "drugs used in hospital",
    "take-home drugs",
    "non-drug medical supplies",
    "blood and blood-bank services",
    "lab and pathology",
    "radiology",
    "special investigations",
    "medical equipment",
    "procedures and anaesthesia",
    "nursing services",
    "dental",
    "physical therapy and rehabilitation",
    "acupuncture and Thai traditional medicine",
    "other services not directly treatment",
];

/// Thai names of categories 1-16.
const NAMES_TH: [&str; 16] = [
    "ค่าห้องและค่าอาหาร",
    "ค่าอวัยวะเทียมและอุปกรณ์ในการบำบัดรักษา",
    "ค่ายาและสารอาหารทางเส้นเลือดที่ใช้ในโรงพยาบาล",
    "ค่ายาที่นำไปใช้ต่อที่บ้าน",
    "ค่าเวชภัณฑ์ที่มิใช่ยา",
    "ค่าบริการโลหิตและส่วนประกอบของโลหิต",
    "ค่าตรวจวินิจฉัยทางเทคนิคการแพทย์และพยาธิวิทยา",
    "ค่าตรวจวินิจฉัยและรักษาทางรังสีวิทยา",
    "ค่าตรวจวินิจฉัยโดยวิธีพิเศษอื่นๆ",
    "ค่าอุปกรณ์ของใช้และเครื่องมือทางการแพทย์",
    "ค่าทำหัตถการและวิสัญญี",
    "ค่าบริการทางการพยาบาล",
    "ค่าบริการทางทันตกรรม",
    "ค่าบริการทางกายภาพบำบัดและเวชกรรมฟื้นฟู",
    "ค่าบริการฝังเข็มและการบำบัดของผู้ประกอบโรคศิลปะอื่นๆ",
    "ค่าบริการอื่นๆ ที่ไม่เกี่ยวกับการรักษาพยาบาลโดยตรง",
];

/// Why a category or CHRGITEM is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    /// Outside 1-16.
    #[error("category {0} is outside 1-16")]
    OutOfRange(i64),
    /// Not a known CHRGITEM code.
    #[error("`{0}` is not a CHRGITEM code: expected a category character 1-9, A-J and a flag 1 or 2, or K1")]
    BadChrgItem(String),
}

impl ChargeCategory {
    /// Category `n`, 1-16.
    pub fn new(n: i64) -> Result<ChargeCategory, CategoryError> {
        if (1..=16).contains(&n) {
            Ok(ChargeCategory(n as u8))
        } else {
            Err(CategoryError::OutOfRange(n))
        }
    }

    /// The number 1-16.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The English name.
    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0 - 1)]
    }

    /// The Thai name (หมวด).
    pub fn name_th(self) -> &'static str {
        NAMES_TH[usize::from(self.0 - 1)]
    }

    /// The e-Claim category character; category 16 is written `G`.
    pub fn chrgitem_char(self) -> char {
        match self.0 {
            n @ 1..=9 => char::from(b'0' + n),
            n => char::from(b'A' + (n - 10)),
        }
    }

    /// The category of an e-Claim category character (`G`-`J` are all category 16).
    pub fn from_chrgitem_char(c: char) -> Option<ChargeCategory> {
        match c.to_ascii_uppercase() {
            d @ '1'..='9' => Some(ChargeCategory(d as u8 - b'0')),
            l @ 'A'..='F' => Some(ChargeCategory(l as u8 - b'A' + 10)),
            'G'..='J' => Some(ChargeCategory(16)),
            _ => None,
        }
    }

    /// All 16 categories in order.
    pub fn all() -> impl Iterator<Item = ChargeCategory> {
        (1..=16).map(ChargeCategory)
    }
}

impl fmt::Display for ChargeCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for ChargeCategory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for ChargeCategory {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ChargeCategory, D::Error> {
        ChargeCategory::new(i64::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// An e-Claim `CHRGITEM` code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChrgItem {
    /// A charge in a category, claimable (flag 1) or not (flag 2).
    Charge {
        /// The CSMBS category.
        category: ChargeCategory,
        /// Flag 1 (true) or 2 (false).
        claimable: bool,
    },
    /// `K1`: a road-accident (พรบ.) charge.
    RoadAccident,
}

impl ChrgItem {
    /// Reads a two-character code such as `31`, `B2`, `K1`.
    pub fn parse(code: &str) -> Result<ChrgItem, CategoryError> {
        let bad = || CategoryError::BadChrgItem(code.to_string());
        let mut chars = code.trim().chars();
        let (Some(c), Some(flag), None) = (chars.next(), chars.next(), chars.next()) else {
            return Err(bad());
        };
        if c.eq_ignore_ascii_case(&'K') && flag == '1' {
            return Ok(ChrgItem::RoadAccident);
        }
        let category = ChargeCategory::from_chrgitem_char(c).ok_or_else(bad)?;
        let claimable = match flag {
            '1' => true,
            '2' => false,
            _ => return Err(bad()),
        };
        Ok(ChrgItem::Charge { category, claimable })
    }

    /// The two-character code.
    pub fn code(self) -> String {
        match self {
            ChrgItem::Charge { category, claimable } => {
                format!("{}{}", category.chrgitem_char(), if claimable { '1' } else { '2' })
            }
            ChrgItem::RoadAccident => "K1".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrgitem_round_trips_for_every_category_and_flag() {
        for category in ChargeCategory::all() {
            for claimable in [true, false] {
                let item = ChrgItem::Charge { category, claimable };
                assert_eq!(ChrgItem::parse(&item.code()), Ok(item), "{}", item.code());
            }
        }
    }

    #[test]
    fn chrgitem_characters() {
        let chars: String = ChargeCategory::all().map(ChargeCategory::chrgitem_char).collect();
        assert_eq!(chars, "123456789ABCDEFG");
        for c in ['G', 'H', 'I', 'J'] {
            assert_eq!(ChargeCategory::from_chrgitem_char(c).map(ChargeCategory::number), Some(16));
        }
        assert_eq!(ChrgItem::parse("a1").unwrap().code(), "A1");
    }

    #[test]
    fn rejects_bad_codes() {
        for bad in ["", "1", "13", "Z1", "K2", "111", "L1"] {
            assert!(ChrgItem::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ChargeCategory::new(0), Err(CategoryError::OutOfRange(0)));
        assert_eq!(ChargeCategory::new(17), Err(CategoryError::OutOfRange(17)));
    }

    #[test]
    fn every_category_has_names() {
        for c in ChargeCategory::all() {
            assert!(!c.name().is_empty() && !c.name_th().is_empty());
        }
    }
}
