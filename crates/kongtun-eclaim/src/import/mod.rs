//! Reading a set into claims: one [`Record`] per OPD or IPD row, in file order (OPD first),
//! each a claim or the reason it was rejected; then one record for each row of another file
//! that joins no visit. Notes (files skipped, encodings, rows left out under
//! [`BrokenRows::Remainder`]) and the further errors of a rejected visit go to the sink as
//! notes.
//!
//! ```
//! use kongtun_core::document::Record;
//! use kongtun_eclaim::codemap::CodeMap;
//! use kongtun_eclaim::import::{import_set, Options};
//! use kongtun_eclaim::source::SetFiles;
//!
//! let set = SetFiles::from_memory("set", vec![
//!     ("INS.txt".into(), b"HN|INSCL|SEQ\n001|UCS|V1\n".to_vec()),
//!     ("PAT.txt".into(), b"HCODE|HN\n10703|001\n".to_vec()),
//!     ("OPD.txt".into(), b"HN|CLINIC|DATEOPD|TIMEOPD|SEQ\n001|0100|20250115|0930|V1\n".to_vec()),
//!     ("CHA.txt".into(), b"HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ\n001||20250115|71|120.00||V1\n".to_vec()),
//! ]).unwrap();
//! let options = Options::new(CodeMap::new("funds", "funds.yaml", &[("UCS", "UC")]));
//! let mut records: Vec<Record> = Vec::new();
//! let summary = import_set(set, &options, &mut records).unwrap();
//! assert_eq!((summary.visits, summary.claims, summary.rejected), (1, 1, 0));
//! let claim = records[0].claim.as_ref().unwrap();
//! assert_eq!((claim.id.as_str(), claim.fund.as_str(), claim.hcode.as_deref()), ("V1", "UC", Some("10703")));
//! assert_eq!(claim.items[0].code, "CHA-71");
//! ```

mod charges;
mod columns;
mod index;
mod labs;
mod visit;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::document::{DuplicateIds, Record, Sink, MAX_LINES_PER_CLAIM};
use kongtun_core::yaml::Pos;

use crate::adjrw::AdjRwTable;
use crate::codemap::CodeMap;
use crate::encoding::{decode, TextEncoding};
use crate::error::SetError;
use crate::layout::FileKind;
use crate::source::SetFiles;
use crate::table::Table;
use columns::{Col, Cols};
use index::{Index, Part};

pub(crate) use charges::adp_type;

/// What a row that cannot be read (a column missing or added, a field that does not parse)
/// does when it is an itemised ADP or DRU row. Rows of other files always reject their visit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BrokenRows {
    /// The visit is rejected, naming the row (the default: its money cannot be trusted).
    #[default]
    Reject,
    /// The row is left out with a warning; its amount stays in its CHA line's remainder
    /// (`CHA-<CHRGITEM>`), so the claim is evaluated with the charge, just not itemised.
    Remainder,
}

/// How to read a set.
#[derive(Clone, Debug)]
pub struct Options {
    /// INSCL → fund: the fund map (`rules/codes/funds.yaml`).
    pub inscl: CodeMap,
    /// Read every file in this encoding (default: each file's own, detected).
    pub encoding: Option<TextEncoding>,
    /// The hospital that gave the care, for every claim (default: PAT, DRU or LAB HCODE).
    pub hcode: Option<String>,
    /// The day the claims are sent (`submitted`); `None` leaves it out, so timeliness counts
    /// to the evaluation's as-of date. The command line gives today by default.
    pub submitted: Option<NaiveDate>,
    /// Adj.RW by AN.
    pub adjrw: Option<AdjRwTable>,
    /// What a broken ADP or DRU row does.
    pub broken_rows: BrokenRows,
    /// Most charge lines in one claim.
    pub max_lines_per_claim: usize,
}

impl Options {
    /// Defaults, with the INSCL map.
    pub fn new(inscl: CodeMap) -> Options {
        Options {
            inscl,
            encoding: None,
            hcode: None,
            submitted: None,
            adjrw: None,
            broken_rows: BrokenRows::Reject,
            max_lines_per_claim: MAX_LINES_PER_CLAIM,
        }
    }
}

/// What a read made of a set. `visits == claims + rejected` always: every OPD and IPD row
/// ends as a claim or a rejection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// OPD and IPD rows read.
    pub visits: usize,
    /// Claims made.
    pub claims: usize,
    /// Visits rejected.
    pub rejected: usize,
    /// Rows of other files that join no visit, and broken PAT rows (each also a rejected
    /// record).
    pub unmatched: usize,
    /// Notes: files skipped, encodings, rows left out.
    pub notes: usize,
}

/// Reads the set at `path` (a folder or a `.zip`) into `sink`.
pub fn import(path: &Path, options: &Options, sink: &mut dyn Sink) -> Result<Summary, SetError> {
    import_set(SetFiles::open(path)?, options, sink)
}

/// Reads a set already opened into `sink`.
pub fn import_set(mut set: SetFiles, options: &Options, sink: &mut dyn Sink) -> Result<Summary, SetError> {
    set.check_required()?;
    let mut summary = Summary::default();
    let note = |d: Diagnostic, summary: &mut Summary, sink: &mut dyn Sink| {
        summary.notes += 1;
        sink.note(d);
    };
    for other in set.others() {
        let what = if crate::source::is_lab(other.rsplit(['/', '\\']).next().unwrap_or(other)) {
            "skipped: lab results are not part of a claim (read only for HCODE)"
        } else {
            "skipped: not one of the 16 files (LAB, CHR and the other 17- and 18-file additions are not used)"
        };
        note(Diagnostic::warning(DiagnosticKind::NotAClaim, other.as_str(), what), &mut summary, sink);
    }
    let labs = labs::hcodes(set.labs(), options.encoding);
    let mut tables: HashMap<FileKind, Table> = HashMap::new();
    for kind in FileKind::ALL {
        let Some(file) = set.take(kind) else { continue };
        if !kind.is_used() {
            // A file with a header and no rows is how exporters write "none": nothing to say.
            if file.bytes.split(|b| *b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).count() <= 1 {
                continue;
            }
            let what = match kind {
                FileKind::Lvd => "skipped: leave days have no place in a claim",
                _ => "skipped: referrals have no place in a claim",
            };
            note(Diagnostic::warning(DiagnosticKind::NotAClaim, file.name.as_str(), what), &mut summary, sink);
            continue;
        }
        let decoded = decode(file.bytes, options.encoding, &file.name)?;
        if decoded.encoding == TextEncoding::Tis620 && options.encoding.is_none() {
            let d = Diagnostic::warning(
                DiagnosticKind::Syntax,
                file.name.as_str(),
                "read as TIS-620 / Windows-874 (the file is not UTF-8)",
            );
            note(d, &mut summary, sink);
        }
        if decoded.undefined_bytes > 0 {
            let message = format!(
                "{} bytes are neither UTF-8 nor TIS-620 / Windows-874 text; each is read as \u{FFFD}",
                decoded.undefined_bytes
            );
            note(Diagnostic::warning(DiagnosticKind::Syntax, file.name.as_str(), message), &mut summary, sink);
        }
        let table = Table::parse(kind, Arc::from(file.name.as_str()), decoded.text);
        if !table.has_header() && !table.rows().is_empty() {
            let message = "no header row: the fields are read in the standard order of the current layout";
            note(Diagnostic::warning(DiagnosticKind::Syntax, file.name.as_str(), message), &mut summary, sink);
        }
        tables.insert(kind, table);
    }
    let mut part = |kind: FileKind, cols: &'static [Col]| -> Result<Option<Part>, SetError> {
        match tables.remove(&kind) {
            Some(table) => Ok(Some(Part { cols: Cols::resolve(&table, cols)?, table })),
            None => Ok(None),
        }
    };
    let parts = visit::Parts {
        opd: part(FileKind::Opd, columns::opd::COLS)?,
        ipd: part(FileKind::Ipd, columns::ipd::COLS)?,
        ins: part(FileKind::Ins, columns::ins::COLS)?,
        pat: part(FileKind::Pat, columns::pat::COLS)?,
        odx: part(FileKind::Odx, columns::dx::ODX)?,
        idx: part(FileKind::Idx, columns::dx::IDX)?,
        oop: part(FileKind::Oop, columns::oper::OOP)?,
        iop: part(FileKind::Iop, columns::oper::IOP)?,
        cht: part(FileKind::Cht, columns::cht::COLS)?,
        cha: part(FileKind::Cha, columns::cha::COLS)?,
        aer: part(FileKind::Aer, columns::aer::COLS)?,
        adp: part(FileKind::Adp, columns::adp::COLS)?,
        dru: part(FileKind::Dru, columns::dru::COLS)?,
    };
    let index = Index::build(parts.opd.as_ref(), parts.ipd.as_ref());
    let (ctx, unmatched) = visit::Ctx::new(&parts, &index, options, &labs);
    let mut ids = DuplicateIds::default();
    for v in 0..index.visits.len() {
        let built = ctx.build(v);
        summary.visits += 1;
        let record = ids.check(built.record);
        if record.claim.is_ok() {
            summary.claims += 1;
        } else {
            summary.rejected += 1;
        }
        sink.record(record);
        for d in built.notes {
            summary.notes += 1;
            sink.note(d);
        }
    }
    if let Some(table) = &options.adjrw {
        for (an, line) in table.admissions() {
            if !index.has_admission(an) {
                let d = Diagnostic::warning(
                    DiagnosticKind::Unmatched,
                    table.file(),
                    format!("AN {an} is no admission of this set"),
                )
                .at_line(u64::from(line))
                .field("an");
                summary.notes += 1;
                sink.note(d);
            }
        }
    }
    for d in unmatched {
        // Rows that join no visit, and PAT rows that cannot be read.
        summary.unmatched += 1;
        let pos = d.line.map(|l| Pos::new(l as usize, 1));
        sink.record(Record { file: d.file.to_string(), pos, claim: Err(d) });
    }
    Ok(summary)
}

/// Reads a set into a list of records and a list of notes.
pub fn read(path: &Path, options: &Options) -> Result<(Vec<Record>, Vec<Diagnostic>, Summary), SetError> {
    struct Collect(Vec<Record>, Vec<Diagnostic>);
    impl Sink for Collect {
        fn record(&mut self, record: Record) {
            self.0.push(record);
        }
        fn note(&mut self, note: Diagnostic) {
            self.1.push(note);
        }
    }
    let mut c = Collect(Vec::new(), Vec::new());
    let summary = import(path, options, &mut c)?;
    Ok((c.0, c.1, summary))
}
