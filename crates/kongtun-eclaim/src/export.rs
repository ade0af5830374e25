//! Writing claims as a 16-file set (UTF-8, CRLF, a header row in every file), so that reading
//! it back gives the same claims, as far as the format can say them:
//!
//! - a claimable line of category 3 or 4 is a DRU row (USE_STATUS 1 or 2); any other
//!   claimable line an ADP row whose TYPE names its category (category 16: TYPE 3, which
//!   falls under CHA `G1`); every line is added to its CHA row, and CHT holds the total;
//! - a line that is not claimable has no row of its own: it is part of its CHA row with flag
//!   2, and reads back as that row's remainder (`CHA-32`, qty 1, the sum of such lines);
//!   a line `CHA-<CHRGITEM>` of an imported claim is written back the same way;
//! - the format has no place for `submitted`, an outpatient Adj.RW, an accident's role,
//!   counterparty, case, reference or what PRB paid, nor a drug's serial: they are not
//!   written. An admission's Adj.RW goes to the Adj.RW CSV (`an,adjrw`).
//!
//! ```
//! use kongtun_core::document::{read_claims, Format, Record};
//! use kongtun_eclaim::codemap::CodeMap;
//! use kongtun_eclaim::export::SetWriter;
//! use kongtun_eclaim::import::{import_set, Options};
//! use kongtun_eclaim::source::SetFiles;
//!
//! let text = "id: V1\nhn: '001'\nsetting: op\nfund: UC\nservice_date: 2025-01-15\nitems: [{code: CBC, category: 7, qty: 1, price: 120}]\n";
//! let claim = read_claims(text, "a.yaml", Format::Yaml).remove(0).claim.unwrap();
//! let inscl = CodeMap::new("funds", "funds.yaml", &[("UCS", "UC")]);
//! let mut writer = SetWriter::in_memory(inscl.clone());
//! writer.write(&claim).unwrap();
//! let set = writer.finish_in_memory();
//! let mut records: Vec<Record> = Vec::new();
//! import_set(SetFiles::from_memory("set", set.files).unwrap(), &Options::new(inscl), &mut records).unwrap();
//! assert_eq!(records[0].claim.as_ref().unwrap(), &claim);
//! ```

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use kongtun_core::category::ChrgItem;
use kongtun_core::claim::{Claim, Line, Setting};
use kongtun_core::money::Money;

use crate::codemap::CodeMap;
use crate::import::adp_type;
use crate::layout::FileKind;
use crate::value::undotted;

/// Why a claim cannot be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The INSCL map has no code for the claim's fund.
    #[error("claim {claim}: fund {fund} has no INSCL code in {map}: add one to write it")]
    NoInscl {
        /// The claim.
        claim: String,
        /// Its fund.
        fund: String,
        /// The map's file.
        map: String,
    },
    /// A text field holds a `|` or a line break, which the format cannot carry.
    #[error("claim {claim}: {field} `{value}` holds a `|` or a line break, which a 16-file set cannot carry")]
    Unwritable {
        /// The claim.
        claim: String,
        /// The field.
        field: String,
        /// Its value.
        value: String,
    },
    /// Writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A set written into memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InMemorySet {
    /// The 16 files (`INS.txt`, ...), for [`crate::source::SetFiles::from_memory`].
    pub files: Vec<(String, Vec<u8>)>,
    /// The Adj.RW CSV (`an,adjrw`).
    pub adjrw: Vec<u8>,
}

/// Writes claims as a 16-file set, claim by claim.
pub struct SetWriter<W: Write> {
    out: Vec<W>,
    adjrw: W,
    inscl: CodeMap,
    patients: HashSet<String>,
    row: String,
}

/// The position of a file in [`FileKind::ALL`].
fn slot(kind: FileKind) -> usize {
    FileKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl SetWriter<Vec<u8>> {
    /// A writer into memory.
    pub fn in_memory(inscl: CodeMap) -> SetWriter<Vec<u8>> {
        let out = FileKind::ALL.iter().map(|_| Vec::new()).collect();
        SetWriter::start(out, Vec::new(), inscl).unwrap_or_else(|_| unreachable!("writing to memory cannot fail"))
    }

    /// The files written.
    pub fn finish_in_memory(self) -> InMemorySet {
        let files = FileKind::ALL.iter().zip(self.out).map(|(k, bytes)| (format!("{}.txt", k.name()), bytes)).collect();
        InMemorySet { files, adjrw: self.adjrw }
    }
}

impl SetWriter<BufWriter<std::fs::File>> {
    /// A writer into a folder (created if needed), with the Adj.RW CSV at `adjrw`.
    pub fn create(dir: &Path, adjrw: &Path, inscl: CodeMap) -> Result<Self, ExportError> {
        std::fs::create_dir_all(dir)?;
        let mut out = Vec::with_capacity(16);
        for kind in FileKind::ALL {
            let file = std::fs::File::create(dir.join(format!("{}.txt", kind.name())))?;
            out.push(BufWriter::with_capacity(1 << 16, file));
        }
        let adjrw = BufWriter::new(std::fs::File::create(adjrw)?);
        SetWriter::start(out, adjrw, inscl)
    }

    /// Flushes every file.
    pub fn finish(self) -> Result<(), ExportError> {
        for mut w in self.out {
            w.flush()?;
        }
        let mut adjrw = self.adjrw;
        adjrw.flush()?;
        Ok(())
    }
}

impl<W: Write> SetWriter<W> {
    fn start(mut out: Vec<W>, mut adjrw: W, inscl: CodeMap) -> Result<SetWriter<W>, ExportError> {
        for (kind, w) in FileKind::ALL.iter().zip(out.iter_mut()) {
            write!(w, "{}\r\n", kind.standard_fields().join("|"))?;
        }
        write!(adjrw, "an,adjrw\r\n")?;
        Ok(SetWriter { out, adjrw, inscl, patients: HashSet::new(), row: String::new() })
    }

    /// Writes one claim's rows.
    pub fn write(&mut self, claim: &Claim) -> Result<(), ExportError> {
        check_text(claim)?;
        let inscl =
            self.inscl.code_for(claim.fund.as_str()).map(str::to_string).ok_or_else(|| ExportError::NoInscl {
                claim: claim.id.clone(),
                fund: claim.fund.to_string(),
                map: self.inscl.file().to_string(),
            })?;
        let inscl = inscl.as_str();
        let ip = claim.setting == Setting::Ip;
        let hn = claim.hn.as_str();
        let an = if ip { claim.an.as_deref().unwrap_or(&claim.id) } else { "" };
        let seq = if ip { "" } else { claim.id.as_str() };
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let date = ymd(claim.service_date);
        let cid = opt(&claim.cid);
        let hcode = opt(&claim.hcode);
        let htype = if ip { "2" } else { "1" };

        let mut ins = [""; 19];
        let sub = opt(&claim.sub_fund);
        let (hospmain, hospsub, permit) = (opt(&claim.hospmain), opt(&claim.hospsub), opt(&claim.approval));
        ins[0] = hn;
        ins[1] = inscl;
        ins[2] = &sub;
        ins[3] = &cid;
        ins[6] = &hospmain;
        ins[7] = &hospsub;
        ins[10] = &permit;
        ins[14] = an;
        ins[15] = seq;
        ins[18] = htype;
        self.put(FileKind::Ins, &ins)?;

        if self.patients.insert(claim.hn.clone()) {
            let mut pat = [""; 15];
            pat[0] = &hcode;
            pat[1] = hn;
            pat[9] = &cid;
            self.put(FileKind::Pat, &pat)?;
        }

        if ip {
            let discharge = claim.discharge_date.map(ymd).unwrap_or_default();
            let mut ipd = [""; 13];
            ipd[0] = hn;
            ipd[1] = an;
            ipd[2] = &date;
            ipd[4] = &discharge;
            self.put(FileKind::Ipd, &ipd)?;
        } else {
            let mut opd = [""; 15];
            opd[0] = hn;
            opd[2] = &date;
            opd[4] = seq;
            self.put(FileKind::Opd, &opd)?;
        }

        for (i, code) in claim.diagnoses.iter().enumerate() {
            let code = undotted(code);
            let dxtype = if i == 0 { "1" } else { "4" };
            if ip {
                self.put(FileKind::Idx, &[an, &code, dxtype, ""])?;
            } else {
                self.put(FileKind::Odx, &[hn, &date, "", &code, dxtype, "", &cid, seq])?;
            }
        }
        for code in &claim.procedures {
            let code = undotted(code);
            if ip {
                self.put(FileKind::Iop, &[an, &code, "", "", "", "", "", ""])?;
            } else {
                self.put(FileKind::Oop, &[hn, &date, "", &code, "", &cid, seq, ""])?;
            }
        }
        if claim.accident.is_some() || claim.visit_type.is_some() || claim.work_injury {
            // AETYPE: V road accident (พรบ.), O workmen's compensation, B both.
            let aetype = match (claim.accident.is_some(), claim.work_injury) {
                (true, true) => "B",
                (false, true) => "O",
                (true, false) => "V",
                (false, false) => "",
            };
            let ucae = claim.visit_type.map_or("", ucae_of);
            let mut aer = [""; 18];
            let aedate = ymd(claim.accident.as_ref().map_or(claim.service_date, |a| a.date));
            aer[0] = hn;
            aer[1] = an;
            aer[2] = &date;
            aer[4] = &aedate;
            aer[6] = aetype;
            aer[12] = ucae;
            aer[14] = seq;
            self.put(FileKind::Aer, &aer)?;
        }

        // CHA pots in order of first use: (CHRGITEM, amount).
        let mut pots: Vec<(String, Money)> = Vec::new();
        let mut add = |code: String, amount: Money| match pots.iter_mut().find(|(c, _)| *c == code) {
            Some((_, sum)) => *sum += amount,
            None => pots.push((code, amount)),
        };
        for line in &claim.items {
            let charged = line.charged();
            let flag = if line.claimable { '1' } else { '2' };
            let code = format!("{}{flag}", line.category.chrgitem_char());
            if !line.claimable || is_remainder(line) {
                add(remainder_code(line).unwrap_or(code), charged);
                continue;
            }
            add(code, charged);
            let qty = line.qty.normalize().to_string();
            let price = line.price.to_string();
            let total = line.amount.map(|a| a.to_string()).unwrap_or_default();
            let day = line.date.map(ymd).unwrap_or_default();
            match line.category.number() {
                3 | 4 => {
                    let mut dru = [""; 24];
                    dru[0] = &hcode;
                    dru[1] = hn;
                    dru[2] = an;
                    dru[4] = &cid;
                    dru[5] = &day;
                    dru[6] = &line.code;
                    dru[8] = &qty;
                    dru[9] = &price;
                    dru[14] = seq;
                    dru[19] = if line.category.number() == 3 { "1" } else { "2" };
                    dru[20] = &total;
                    self.put(FileKind::Dru, &dru)?;
                }
                _ => {
                    let kind = adp_type(line.category).to_string();
                    let serial = line.serial.clone().unwrap_or_default();
                    let mut adp = [""; 27];
                    adp[0] = hn;
                    adp[1] = an;
                    adp[2] = &day;
                    adp[3] = &kind;
                    adp[4] = &line.code;
                    adp[5] = &qty;
                    adp[6] = &price;
                    adp[7] = seq;
                    adp[11] = &serial;
                    adp[14] = &total;
                    self.put(FileKind::Adp, &adp)?;
                }
            }
        }
        for (code, amount) in &pots {
            let amount = amount.to_string();
            self.put(FileKind::Cha, &[hn, an, &date, code, &amount, &cid, seq])?;
        }
        let total = claim.charged().to_string();
        let mut cht = [""; 11];
        cht[0] = hn;
        cht[1] = an;
        cht[2] = &date;
        cht[3] = &total;
        cht[7] = seq;
        self.put(FileKind::Cht, &cht)?;
        if let (true, Some(rw)) = (ip, claim.adj_rw) {
            write!(self.adjrw, "{an},{rw}\r\n")?;
        }
        Ok(())
    }

    /// One row of `kind`, fields in its standard order.
    fn put(&mut self, kind: FileKind, fields: &[&str]) -> Result<(), ExportError> {
        debug_assert_eq!(fields.len(), kind.standard_fields().len(), "{kind}");
        self.row.clear();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.row.push('|');
            }
            self.row.push_str(f);
        }
        self.row.push_str("\r\n");
        self.out[slot(kind)].write_all(self.row.as_bytes())?;
        Ok(())
    }
}

/// A line read back from a CHA remainder: `CHA-<CHRGITEM>` of its own category and flag,
/// qty 1.
fn is_remainder(line: &Line) -> bool {
    remainder_code(line).is_some() && line.qty == rust_decimal::Decimal::ONE
}

/// The CHRGITEM of a line named `CHA-<CHRGITEM>` that matches its category and flag.
fn remainder_code(line: &Line) -> Option<String> {
    let code = line.code.strip_prefix("CHA-")?;
    match ChrgItem::parse(code).ok()? {
        ChrgItem::Charge { category, claimable } if category == line.category && claimable == line.claimable => {
            Some(code.to_ascii_uppercase())
        }
        _ => None,
    }
}

fn ymd(d: chrono::NaiveDate) -> String {
    let mut s = String::with_capacity(8);
    let _ = write!(s, "{}", d.format("%Y%m%d"));
    s
}

/// Refuses text the format cannot carry.
fn check_text(claim: &Claim) -> Result<(), ExportError> {
    let bad = |v: &str| v.contains(['|', '\r', '\n']);
    let mut texts: Vec<(&str, &str)> = vec![("id", &claim.id), ("hn", &claim.hn)];
    for (name, v) in [
        ("an", &claim.an),
        ("cid", &claim.cid),
        ("hcode", &claim.hcode),
        ("hospmain", &claim.hospmain),
        ("hospsub", &claim.hospsub),
        ("approval", &claim.approval),
        ("sub_fund", &claim.sub_fund),
    ] {
        if let Some(v) = v {
            texts.push((name, v));
        }
    }
    texts.extend(claim.diagnoses.iter().map(|d| ("diagnoses", d.as_str())));
    texts.extend(claim.procedures.iter().map(|d| ("procedures", d.as_str())));
    for line in &claim.items {
        texts.push(("items.code", &line.code));
        if let Some(s) = &line.serial {
            texts.push(("items.serial", s));
        }
    }
    match texts.into_iter().find(|(_, v)| bad(v)) {
        Some((field, value)) => {
            Err(ExportError::Unwritable { claim: claim.id.clone(), field: field.into(), value: value.into() })
        }
        None => Ok(()),
    }
}

/// e-Claim's UCAE code of a visit type.
fn ucae_of(v: kongtun_core::claim::VisitType) -> &'static str {
    use kongtun_core::claim::VisitType;
    match v {
        VisitType::Accident => "A",
        VisitType::Emergency => "E",
        VisitType::ReferInProvince => "I",
        VisitType::ReferOutOfProvince => "O",
        VisitType::UnitChange => "C",
        VisitType::Outreach => "Z",
    }
}
