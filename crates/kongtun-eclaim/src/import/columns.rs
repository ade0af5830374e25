//! The columns the reader takes from each file, found by name once per file: a file whose
//! header lacks a required column cannot be read ([`SetError::MissingColumn`]); an optional
//! column that is absent reads as blank in every row (older, shorter layouts).

use crate::error::SetError;
use crate::table::Table;

/// A column the reader takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Col {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Col {
    Col { name, required: true }
}

const fn opt(name: &'static str) -> Col {
    Col { name, required: false }
}

/// The positions of a file's columns, in the order of its `Col` list.
#[derive(Clone, Debug)]
pub(crate) struct Cols {
    idx: Vec<Option<usize>>,
    names: &'static [Col],
}

impl Cols {
    /// Finds `cols` in `table`'s header.
    pub fn resolve(table: &Table, cols: &'static [Col]) -> Result<Cols, SetError> {
        let mut idx = Vec::with_capacity(cols.len());
        for c in cols {
            let i = table.column(c.name);
            if i.is_none() && c.required {
                return Err(SetError::MissingColumn {
                    file: table.file().to_string(),
                    column: c.name.to_string(),
                    found: table.names().join("|"),
                });
            }
            idx.push(i);
        }
        Ok(Cols { idx, names: cols })
    }

    /// The value of column `c` (an index into the `Col` list) in a row's fields; blank when
    /// the file has no such column or the row is short.
    pub fn get<'t>(&self, fields: &[&'t str], c: usize) -> &'t str {
        self.idx.get(c).copied().flatten().and_then(|i| fields.get(i).copied()).unwrap_or("")
    }

    /// The name of column `c`.
    pub fn name(&self, c: usize) -> &'static str {
        self.names.get(c).map_or("", |col| col.name)
    }
}

/// OPD: one outpatient visit per row.
pub(crate) mod opd {
    use super::*;
    pub const HN: usize = 0;
    pub const SEQ: usize = 1;
    pub const DATE: usize = 2;
    pub const COLS: &[Col] = &[req("HN"), req("SEQ"), req("DATEOPD")];
}

/// IPD: one admission per row.
pub(crate) mod ipd {
    use super::*;
    pub const HN: usize = 0;
    pub const AN: usize = 1;
    pub const ADM: usize = 2;
    pub const DSC: usize = 3;
    pub const COLS: &[Col] = &[req("HN"), req("AN"), req("DATEADM"), req("DATEDSC")];
}

/// The join keys of the detail files; each file has the ones it has.
pub(crate) mod key {
    pub const HN: usize = 0;
    pub const AN: usize = 1;
    pub const SEQ: usize = 2;
}

/// INS: the patient's right for a visit (AN or SEQ) or for every visit (neither).
pub(crate) mod ins {
    use super::*;
    pub const INSCL: usize = 3;
    pub const SUBTYPE: usize = 4;
    pub const CID: usize = 5;
    pub const HOSPMAIN: usize = 6;
    pub const HOSPSUB: usize = 7;
    pub const PERMITNO: usize = 8;
    pub const SUBINSCL: usize = 9;
    pub const COLS: &[Col] = &[
        req("HN"),
        opt("AN"),
        opt("SEQ"),
        req("INSCL"),
        opt("SUBTYPE"),
        opt("CID"),
        opt("HOSPMAIN"),
        opt("HOSPSUB"),
        opt("PERMITNO"),
        opt("SUBINSCL"),
    ];
}

/// PAT: one patient per row.
pub(crate) mod pat {
    use super::*;
    pub const HN: usize = 0;
    pub const HCODE: usize = 1;
    pub const PERSON_ID: usize = 2;
    pub const COLS: &[Col] = &[req("HN"), opt("HCODE"), opt("PERSON_ID")];
}

/// ODX and IDX: diagnoses.
pub(crate) mod dx {
    use super::*;
    pub const DIAG: usize = 3;
    pub const DXTYPE: usize = 4;
    pub const ODX: &[Col] = &[req("HN"), opt("AN"), req("SEQ"), req("DIAG"), opt("DXTYPE")];
    pub const IDX: &[Col] = &[opt("HN"), req("AN"), opt("SEQ"), req("DIAG"), opt("DXTYPE")];
}

/// OOP and IOP: procedures.
pub(crate) mod oper {
    use super::*;
    pub const OPER: usize = 3;
    pub const OOP: &[Col] = &[req("HN"), opt("AN"), req("SEQ"), req("OPER")];
    pub const IOP: &[Col] = &[opt("HN"), req("AN"), opt("SEQ"), req("OPER")];
}

/// CHT: the visit's total charge.
pub(crate) mod cht {
    use super::*;
    pub const TOTAL: usize = 3;
    pub const COLS: &[Col] = &[req("HN"), opt("AN"), opt("SEQ"), req("TOTAL")];
}

/// CHA: the visit's charge per CHRGITEM.
pub(crate) mod cha {
    use super::*;
    pub const CHRGITEM: usize = 3;
    pub const AMOUNT: usize = 4;
    pub const COLS: &[Col] = &[req("HN"), opt("AN"), opt("SEQ"), req("CHRGITEM"), req("AMOUNT")];
}

/// AER: accidents and emergencies.
pub(crate) mod aer {
    use super::*;
    pub const AETYPE: usize = 3;
    pub const AEDATE: usize = 4;
    pub const UCAE: usize = 5;
    pub const COLS: &[Col] = &[req("HN"), opt("AN"), opt("SEQ"), req("AETYPE"), req("AEDATE"), opt("UCAE")];
}

/// ADP: itemised services and devices.
pub(crate) mod adp {
    use super::*;
    pub const TYPE: usize = 3;
    pub const CODE: usize = 4;
    pub const QTY: usize = 5;
    pub const RATE: usize = 6;
    pub const DATE: usize = 7;
    pub const SERIAL: usize = 8;
    pub const TOTAL: usize = 9;
    pub const COLS: &[Col] = &[
        req("HN"),
        opt("AN"),
        req("SEQ"),
        req("TYPE"),
        req("CODE"),
        req("QTY"),
        req("RATE"),
        opt("DATEOPD"),
        opt("SERIALNO"),
        opt("TOTAL"),
    ];
}

/// DRU: itemised drugs.
pub(crate) mod dru {
    use super::*;
    pub const DID: usize = 3;
    pub const AMOUNT: usize = 4;
    pub const PRICE: usize = 5;
    pub const USE_STATUS: usize = 6;
    pub const DATE: usize = 7;
    pub const TOTAL: usize = 8;
    pub const HCODE: usize = 9;
    pub const COLS: &[Col] = &[
        req("HN"),
        opt("AN"),
        req("SEQ"),
        req("DID"),
        req("AMOUNT"),
        req("DRUGPRIC"),
        opt("USE_STATUS"),
        opt("DATE_SERV"),
        opt("TOTAL"),
        opt("HCODE"),
    ];
}
