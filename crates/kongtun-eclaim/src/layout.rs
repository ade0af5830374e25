//! The 16 files of the set, their standard field orders and the other names their fields
//! go by.
//!
//! Columns are found by name, so a file may carry an older, shorter layout or a newer, longer
//! one. A file without a header row is read in the standard order below (the order of the
//! issue that specified this reader; see the crate documentation for how a header is told
//! from data).
//!
//! ```
//! use kongtun_eclaim::layout::FileKind;
//!
//! assert_eq!(FileKind::from_file_name("adp.TXT"), Some(FileKind::Adp));
//! assert_eq!(FileKind::Adp.standard_fields()[3], "TYPE");
//! assert_eq!(FileKind::Dru.canonical("DRUGPRICE"), "DRUGPRIC");
//! assert_eq!(FileKind::from_file_name("LAB.txt"), None);
//! ```

use std::fmt;

/// One of the 16 files of an e-Claim set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Rights (INSCL, registered units, approval code).
    Ins,
    /// Patients (HCODE, names, citizen id).
    Pat,
    /// Outpatient visits: one claim each.
    Opd,
    /// Outpatient referrals (not used).
    Orf,
    /// Outpatient diagnoses.
    Odx,
    /// Outpatient procedures.
    Oop,
    /// Admissions: one claim each.
    Ipd,
    /// In-patient referrals (not used).
    Irf,
    /// In-patient diagnoses.
    Idx,
    /// In-patient procedures.
    Iop,
    /// Charge totals per visit.
    Cht,
    /// Charges per CHRGITEM per visit.
    Cha,
    /// Accidents and emergencies.
    Aer,
    /// Itemised services, devices and other items.
    Adp,
    /// Leave days of an admission (not used).
    Lvd,
    /// Itemised drugs.
    Dru,
}

impl FileKind {
    /// The 16 files, in the standard order.
    pub const ALL: [FileKind; 16] = [
        FileKind::Ins,
        FileKind::Pat,
        FileKind::Opd,
        FileKind::Orf,
        FileKind::Odx,
        FileKind::Oop,
        FileKind::Ipd,
        FileKind::Irf,
        FileKind::Idx,
        FileKind::Iop,
        FileKind::Cht,
        FileKind::Cha,
        FileKind::Aer,
        FileKind::Adp,
        FileKind::Lvd,
        FileKind::Dru,
    ];

    /// The file's name without extension, upper case: `INS`, `ADP`, ...
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Ins => "INS",
            FileKind::Pat => "PAT",
            FileKind::Opd => "OPD",
            FileKind::Orf => "ORF",
            FileKind::Odx => "ODX",
            FileKind::Oop => "OOP",
            FileKind::Ipd => "IPD",
            FileKind::Irf => "IRF",
            FileKind::Idx => "IDX",
            FileKind::Iop => "IOP",
            FileKind::Cht => "CHT",
            FileKind::Cha => "CHA",
            FileKind::Aer => "AER",
            FileKind::Adp => "ADP",
            FileKind::Lvd => "LVD",
            FileKind::Dru => "DRU",
        }
    }

    /// The kind of a file named `INS.txt` (any letter case; the extension must be `.txt`).
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        let (stem, ext) = name.rsplit_once('.')?;
        if !ext.eq_ignore_ascii_case("txt") {
            return None;
        }
        FileKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(stem))
    }

    /// Whether the reader takes anything from the file (ORF, IRF and LVD are passed over
    /// with a note: referrals and leave days have no place in a claim).
    pub fn is_used(self) -> bool {
        !matches!(self, FileKind::Orf | FileKind::Irf | FileKind::Lvd)
    }

    /// The current field order, used for a file without a header row.
    pub fn standard_fields(self) -> &'static [&'static str] {
        match self {
            FileKind::Ins => &[
                "HN", "INSCL", "SUBTYPE", "CID", "DATEIN", "DATEEXP", "HOSPMAIN", "HOSPSUB", "GOVCODE", "GOVNAME",
                "PERMITNO", "DOCNO", "OWNRPID", "OWNNAME", "AN", "SEQ", "SUBINSCL", "RELINSCL", "HTYPE",
            ],
            FileKind::Pat => &[
                "HCODE",
                "HN",
                "CHANGWAT",
                "AMPHUR",
                "DOB",
                "SEX",
                "MARRIAGE",
                "OCCUPA",
                "NATION",
                "PERSON_ID",
                "NAMEPAT",
                "TITLE",
                "FNAME",
                "LNAME",
                "IDTYPE",
            ],
            FileKind::Opd => &[
                "HN", "CLINIC", "DATEOPD", "TIMEOPD", "SEQ", "UUC", "DETAIL", "BTEMP", "SBP", "DBP", "PR", "RR",
                "OPTYPE", "TYPEIN", "TYPEOUT",
            ],
            FileKind::Orf => &["HN", "DATEOPD", "CLINIC", "REFER", "REFERTYPE", "SEQ", "REFERDATE"],
            FileKind::Odx => &["HN", "DATEDX", "CLINIC", "DIAG", "DXTYPE", "DRDX", "PERSON_ID", "SEQ"],
            FileKind::Oop => &["HN", "DATEOPD", "CLINIC", "OPER", "DROPID", "PERSON_ID", "SEQ", "SERVPRICE"],
            FileKind::Ipd => &[
                "HN", "AN", "DATEADM", "TIMEADM", "DATEDSC", "TIMEDSC", "DISCHS", "DISCHT", "WARDDSC", "DEPT", "ADM_W",
                "UUC", "SVCTYPE",
            ],
            FileKind::Irf => &["AN", "REFER", "REFERTYPE"],
            FileKind::Idx => &["AN", "DIAG", "DXTYPE", "DRDX"],
            FileKind::Iop => &["AN", "OPER", "OPTYPE", "DROPID", "DATEIN", "TIMEIN", "DATEOUT", "TIMEOUT"],
            FileKind::Cht => &[
                "HN",
                "AN",
                "DATE",
                "TOTAL",
                "PAID",
                "PTTYPE",
                "PERSON_ID",
                "SEQ",
                "OPD_MEMO",
                "INVOICE_NO",
                "INVOICE_LT",
            ],
            FileKind::Cha => &["HN", "AN", "DATE", "CHRGITEM", "AMOUNT", "PERSON_ID", "SEQ"],
            FileKind::Aer => &[
                "HN", "AN", "DATEOPD", "AUTHAE", "AEDATE", "AETIME", "AETYPE", "REFER_NO", "REFMAINI", "IREFTYPE",
                "REFMAINO", "OREFTYPE", "UCAE", "EMTYPE", "SEQ", "AESTATUS", "DALERT", "TALERT",
            ],
            FileKind::Adp => &[
                "HN",
                "AN",
                "DATEOPD",
                "TYPE",
                "CODE",
                "QTY",
                "RATE",
                "SEQ",
                "CAGCODE",
                "DOSE",
                "CA_TYPE",
                "SERIALNO",
                "TOTCOPAY",
                "USE_STATUS",
                "TOTAL",
                "QTYDAY",
                "TMLTCODE",
                "STATUS1",
                "BI",
                "CLINIC",
                "ITEMSRC",
                "PROVIDER",
                "GRAVIDA",
                "GA_WEEK",
                "DCIP/E_SCREEN",
                "LMP",
                "SP_ITEM",
            ],
            FileKind::Lvd => &["SEQLVD", "AN", "DATEOUT", "TIMEOUT", "DATEIN", "TIMEIN", "QTYDAY"],
            FileKind::Dru => &[
                "HCODE",
                "HN",
                "AN",
                "CLINIC",
                "PERSON_ID",
                "DATE_SERV",
                "DID",
                "DIDNAME",
                "AMOUNT",
                "DRUGPRIC",
                "DRUGCOST",
                "DIDSTD",
                "UNIT",
                "UNIT_PACK",
                "SEQ",
                "DRUGTYPE",
                "DRUGREMARK",
                "PA_NO",
                "TOTCOPAY",
                "USE_STATUS",
                "TOTAL",
                "SIGCODE",
                "SIGTEXT",
                "PROVIDER",
            ],
        }
    }

    /// Names that occur in real exports beside the standard ones (other layouts): a header
    /// made of them is recognised as a header.
    fn other_names(self) -> &'static [&'static str] {
        match self {
            // Field 5 is HCODE in FDH exports, DATEIN in the older NHSO layout.
            FileKind::Ins => &["HCODE", "OWNRNAME"],
            FileKind::Adp => &["DCIP", "DCIP/E_SCREEN"],
            FileKind::Dru => &["DRUGPRICE", "SP_ITEM"],
            _ => &[],
        }
    }

    /// The canonical name of a header field (upper case, trimmed): `DRUGPRICE` is `DRUGPRIC`,
    /// `OWNRNAME` is `OWNNAME`, `DCIP` and `DCIP/E_screen` are `DCIP/E_SCREEN`.
    pub fn canonical(self, header_name: &str) -> String {
        let upper = header_name.trim().to_ascii_uppercase();
        let alias = match (self, upper.as_str()) {
            (FileKind::Dru, "DRUGPRICE") => Some("DRUGPRIC"),
            (FileKind::Ins, "OWNRNAME") => Some("OWNNAME"),
            (FileKind::Adp, "DCIP") => Some("DCIP/E_SCREEN"),
            _ => None,
        };
        alias.map_or(upper, str::to_string)
    }

    /// Whether `name` (any letter case) is a field name of this file in some layout.
    pub fn knows(self, name: &str) -> bool {
        let upper = name.trim().to_ascii_uppercase();
        self.standard_fields().contains(&upper.as_str()) || self.other_names().contains(&upper.as_str())
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_file_name(&format!("{}.txt", kind.name())), Some(kind));
            assert_eq!(FileKind::from_file_name(&format!("{}.TXT", kind.name().to_lowercase())), Some(kind));
        }
        assert_eq!(FileKind::from_file_name("ADP.csv"), None);
        assert_eq!(FileKind::from_file_name("ADP"), None);
        assert_eq!(FileKind::from_file_name("LABFU.txt"), None);
    }

    #[test]
    fn layouts_have_the_issue_widths() {
        let widths: Vec<usize> = FileKind::ALL.iter().map(|k| k.standard_fields().len()).collect();
        assert_eq!(widths, vec![19, 15, 15, 7, 8, 8, 13, 3, 4, 8, 11, 7, 18, 27, 7, 24]);
    }

    #[test]
    fn other_names_are_known() {
        assert!(FileKind::Ins.knows("hcode") && FileKind::Ins.knows("DATEIN"));
        assert!(FileKind::Adp.knows("DCIP/E_screen") && FileKind::Adp.knows("dcip"));
        assert_eq!(FileKind::Adp.canonical("DCIP/E_screen"), "DCIP/E_SCREEN");
        assert!(!FileKind::Adp.knows("DID"));
    }
}
