//! One visit to one claim: its OPD or IPD row, its right (INS), its patient (PAT), its
//! diagnoses, procedures and accident, its charge lines, and the checks every claim passes.
//! Every problem names the file, line and field of the row it is in, and the claim id (the
//! visit's SEQ, or AN for an admission); the first rejects the visit, the others are noted.

use chrono::NaiveDate;
use kongtun_core::category::{ChargeCategory, ChrgItem};
use kongtun_core::claim::{Accident, CaseStatus, Claim, Line, Setting, VisitType};
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::document::{check_claim, Record};
use kongtun_core::fund::FundId;
use kongtun_core::money::{Money, MAX_AMOUNT};
use kongtun_core::yaml::Pos;
use rust_decimal::Decimal;
use std::collections::HashMap;

use super::charges::{self, ChaRow, Item, Src};
use super::columns::{adp, aer, cha, cht, dru, dx, ins, ipd, opd, oper, pat, Cols};
use super::index::{Groups, Index, Keyless, Part};
use super::labs::LabHcodes;
use super::{BrokenRows, Options};
use crate::table::Row;
use crate::value;

/// The files of a set, with their columns.
pub(crate) struct Parts {
    pub opd: Option<Part>,
    pub ipd: Option<Part>,
    pub ins: Option<Part>,
    pub pat: Option<Part>,
    pub odx: Option<Part>,
    pub idx: Option<Part>,
    pub oop: Option<Part>,
    pub iop: Option<Part>,
    pub cht: Option<Part>,
    pub cha: Option<Part>,
    pub aer: Option<Part>,
    pub adp: Option<Part>,
    pub dru: Option<Part>,
}

/// A detail file and its rows by visit.
struct Grouped<'t> {
    part: &'t Part,
    groups: Groups,
}

impl<'t> Grouped<'t> {
    /// The rows of visit `v`, with their fields.
    fn rows(&self, v: usize) -> impl Iterator<Item = (Row, Vec<&'t str>)> + '_ {
        let table = &self.part.table;
        self.groups.of(v).iter().filter_map(move |i| table.rows().get(*i as usize)).map(move |r| (*r, table.fields(*r)))
    }

    fn src(&self, row: Row) -> Src {
        Src { file: self.part.table.file().clone(), line: row.line, kind: self.part.table.kind() }
    }

    fn cols(&self) -> &Cols {
        &self.part.cols
    }
}

/// What building a visit made: its record, and notes (warnings, and the further errors of a
/// rejected visit).
pub(crate) struct Built {
    pub record: Record,
    pub notes: Vec<Diagnostic>,
}

/// Everything the visits of a set are built from.
pub(crate) struct Ctx<'t> {
    index: &'t Index<'t>,
    parts: &'t Parts,
    options: &'t Options,
    labs: &'t LabHcodes,
    pat: HashMap<&'t str, Row>,
    ins: Option<Grouped<'t>>,
    keyless: Keyless<'t>,
    dx: [Option<Grouped<'t>>; 2],
    oper: [Option<Grouped<'t>>; 2],
    cht: Option<Grouped<'t>>,
    cha: Option<Grouped<'t>>,
    aer: Option<Grouped<'t>>,
    adp: Option<Grouped<'t>>,
    dru: Option<Grouped<'t>>,
}

/// Errors found so far, and notes.
struct Problems {
    errors: Vec<Diagnostic>,
    notes: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    /// Groups every detail file by visit; rows that join no visit, and broken PAT rows, are
    /// returned as errors.
    pub fn new(
        parts: &'t Parts,
        index: &'t Index<'t>,
        options: &'t Options,
        labs: &'t LabHcodes,
    ) -> (Ctx<'t>, Vec<Diagnostic>) {
        let mut unmatched = Vec::new();
        let mut keyless = Keyless::new();
        let mut group = |part: &'t Option<Part>, keyless: Option<&mut Keyless<'t>>| {
            part.as_ref().map(|p| Grouped { part: p, groups: index.group(p, &mut unmatched, keyless) })
        };
        let ins = group(&parts.ins, Some(&mut keyless));
        let dx = [group(&parts.odx, None), group(&parts.idx, None)];
        let oper = [group(&parts.oop, None), group(&parts.iop, None)];
        let cht = group(&parts.cht, None);
        let cha = group(&parts.cha, None);
        let aer = group(&parts.aer, None);
        let adp = group(&parts.adp, None);
        let dru = group(&parts.dru, None);
        let mut pat_rows = HashMap::new();
        if let Some(p) = &parts.pat {
            let mut fields = Vec::new();
            for row in p.table.rows() {
                p.table.fields_into(*row, &mut fields);
                if !p.table.is_whole(&fields) {
                    // Its HCODE and PERSON_ID may sit in other columns: not used, and said.
                    let src = Src { file: p.table.file().clone(), line: row.line, kind: p.table.kind() };
                    unmatched.push(broken(&src, "", fields.len(), p.table.names().len()));
                    continue;
                }
                let hn = p.cols.get(&fields, pat::HN);
                if !hn.is_empty() {
                    pat_rows.entry(hn).or_insert(*row);
                }
            }
        }
        let ctx = Ctx { index, parts, options, labs, pat: pat_rows, ins, keyless, dx, oper, cht, cha, aer, adp, dru };
        (ctx, unmatched)
    }

    /// The record of visit `v`.
    pub fn build(&self, v: usize) -> Built {
        let visit = &self.index.visits[v];
        let part = match visit.setting {
            Setting::Op => self.parts.opd.as_ref(),
            Setting::Ip => self.parts.ipd.as_ref(),
        };
        let Some(part) = part else {
            // Unreachable: visits come from these files.
            let d = Diagnostic::error(DiagnosticKind::Io, "", "visit without its file");
            return Built { record: Record { file: String::new(), pos: None, claim: Err(d) }, notes: Vec::new() };
        };
        let file = part.table.file().clone();
        let src = Src { file: file.clone(), line: visit.row.line, kind: part.table.kind() };
        let mut p = Problems { errors: Vec::new(), notes: Vec::new() };
        let claim = self.claim(v, part, &src, &mut p);
        let claim = match (claim, p.errors.is_empty()) {
            (Some(claim), true) => Ok(claim),
            _ => {
                let mut errors = p.errors.into_iter();
                let first = errors.next().unwrap_or_else(|| {
                    src.error(visit.key, DiagnosticKind::InvalidValue, "", "the visit cannot be read".into())
                });
                // The further errors of the visit are noted after it, in the order found.
                let mut notes: Vec<Diagnostic> = errors.collect();
                notes.append(&mut p.notes);
                p.notes = notes;
                Err(first)
            }
        };
        let record = Record { file: file.to_string(), pos: Some(Pos::new(visit.row.line as usize, 1)), claim };
        Built { record, notes: p.notes }
    }

    /// The claim of visit `v`, when every part of it could be read (else `None`, with the
    /// errors in `p`).
    fn claim(&self, v: usize, part: &Part, src: &Src, p: &mut Problems) -> Option<Claim> {
        let visit = &self.index.visits[v];
        let id = visit.key;
        let ip = visit.setting == Setting::Ip;
        let fields = part.table.fields(visit.row);
        let (key_name, key_col) = if ip { ("AN", ipd::AN) } else { ("SEQ", opd::SEQ) };
        if id.is_empty() {
            let what = if ip { "an IPD row needs its AN" } else { "an OPD row needs its SEQ" };
            p.errors.push(src.error(
                id,
                DiagnosticKind::MissingField,
                part.cols.name(key_col),
                format!("empty: {what}, the claim id"),
            ));
            return None;
        }
        if let Some(first) = visit.repeats {
            let message = format!(
                "the {} row of line {first} has the same {}: one row per {}",
                part.table.kind(),
                if ip { "AN".to_string() } else { format!("HN {} and SEQ", visit.hn) },
                if ip { "admission" } else { "visit" }
            );
            p.errors.push(src.error(id, DiagnosticKind::DuplicateId, key_name, message));
            return None;
        }
        if !part.table.is_whole(&fields) {
            p.errors.push(broken(src, id, fields.len(), part.table.names().len()));
        }
        if visit.hn.is_empty() {
            p.errors.push(src.error(id, DiagnosticKind::MissingField, "HN", "empty: the visit needs its HN".into()));
        }
        let (service_col, service_name) = if ip { (ipd::ADM, "DATEADM") } else { (opd::DATE, "DATEOPD") };
        let service = read_date(part.cols.get(&fields, service_col), src, id, service_name, p);
        let discharge = if ip { read_date(part.cols.get(&fields, ipd::DSC), src, id, "DATEDSC", p) } else { None };

        let right = self.right(v, src, p);
        let (hcode_pat, person_id) = self.patient(visit.hn);
        let (diagnoses, procedures) = self.codes(v, id, p);
        let (accident, aer_src) = self.accident(v, id, p);
        let (visit_type, work_injury) = self.visit_type(v);
        let mut items = Vec::new();
        let mut dru_hcode = None;
        self.adp_items(v, id, &mut items, p);
        self.dru_items(v, id, &mut items, &mut dru_hcode, p);
        let cha_rows = self.cha_rows(v, id, p);
        let cht_total = self.cht_total(v, id, p);
        let adj_rw = if ip { self.adj_rw(visit.key, id, p) } else { None };
        if !p.errors.is_empty() {
            return None;
        }
        let (service, right) = (service?, right?);
        let cha_total: Option<Money> = cha_rows.as_ref().map(|rows| rows.iter().map(|r| r.amount).sum());
        let lines = match charges::lines(items, cha_rows, id) {
            Ok(lines) => lines,
            Err(e) => {
                p.errors.push(e);
                return None;
            }
        };
        if let Some((total, cht_src)) = cht_total {
            let summed = cha_total.unwrap_or_else(|| lines.iter().map(|(l, _)| l.charged()).sum());
            if summed != total {
                let what = if cha_total.is_some() {
                    "the CHA rows of the visit come to"
                } else {
                    "the ADP and DRU lines of the visit come to"
                };
                let message = format!("CHT TOTAL is {} but {what} {}", total.grouped(), summed.grouped());
                p.errors.push(cht_src.error(id, DiagnosticKind::InvalidValue, "TOTAL", message));
                return None;
            }
        }
        let hcode = self
            .options
            .hcode
            .clone()
            .or(hcode_pat)
            .or(dru_hcode)
            .or_else(|| self.labs.get(visit.hn, visit.key).map(str::to_string));
        let (items, sources): (Vec<Line>, Vec<Src>) = lines.into_iter().unzip();
        let claim = Claim {
            id: id.to_string(),
            hn: visit.hn.to_string(),
            cid: right.cid.or(person_id),
            hcode,
            hospmain: right.hospmain,
            hospsub: right.hospsub,
            approval: right.approval,
            an: ip.then(|| visit.key.to_string()),
            setting: visit.setting,
            fund: right.fund,
            sub_fund: right.sub_fund,
            service_date: service,
            discharge_date: discharge,
            submitted: self.options.submitted,
            adj_rw,
            diagnoses,
            procedures,
            accident,
            visit_type,
            work_injury,
            items,
        };
        if let Err(problem) = check_claim(&claim, self.options.max_lines_per_claim) {
            let at = |s: &Src, field: &str| s.error(id, problem.kind(), field, problem.message().to_string());
            let d = match (problem.item(), problem.field()) {
                (Some(i), field) => match sources.get(i) {
                    Some(s) => at(s, column_of(s.kind, field.rsplit('.').next().unwrap_or(""))),
                    None => at(src, &field),
                },
                (None, field) => match field.as_str() {
                    "discharge_date" => at(src, "DATEDSC"),
                    "submitted" => {
                        src.error(id, problem.kind(), "submitted", format!("--submitted {}", problem.message()))
                    }
                    "accident.date" => at(aer_src.as_ref().unwrap_or(src), "AEDATE"),
                    "adj_rw" => match &self.options.adjrw {
                        Some(t) => Diagnostic::error(problem.kind(), t.file(), problem.message().to_string())
                            .at_line(u64::from(t.line(visit.key).unwrap_or(0)))
                            .claim(id)
                            .field("adjrw"),
                        None => at(src, "adjrw"),
                    },
                    "items" if claim.items.is_empty() => src.error(
                        id,
                        DiagnosticKind::MissingField,
                        "",
                        "no charge lines: the visit has no CHA, ADP or DRU row".into(),
                    ),
                    _ => at(src, &field),
                },
            };
            p.errors.push(d);
            return None;
        }
        Some(claim)
    }

    /// The visit's right, from its INS row (by AN or SEQ), else its HN's row that names no
    /// visit.
    fn right(&self, v: usize, src: &Src, p: &mut Problems) -> Option<Right> {
        let visit = &self.index.visits[v];
        let id = visit.key;
        let missing = || {
            src.error(
                id,
                DiagnosticKind::MissingField,
                "",
                format!(
                    "no INS row for this visit (HN {}, {} {}): its right (INSCL), and so its fund, is unknown",
                    visit.hn,
                    if visit.setting == Setting::Ip { "AN" } else { "SEQ" },
                    visit.key
                ),
            )
        };
        let Some(g) = &self.ins else {
            p.errors.push(missing());
            return None;
        };
        let table = &g.part.table;
        let row = match g.groups.of(v).first() {
            Some(i) => table.rows().get(*i as usize).copied(),
            None => {
                let rows: Vec<Row> = self
                    .keyless
                    .get(visit.hn)
                    .map(|r| r.iter().filter_map(|i| table.rows().get(*i as usize).copied()).collect())
                    .unwrap_or_default();
                let texts: Vec<Vec<&str>> = rows.iter().map(|r| table.fields(*r)).collect();
                if texts.windows(2).any(|w| w[0] != w[1]) {
                    let at = g.src(rows[1]);
                    let message = format!(
                        "HN {} has several INS rows that name no visit (no AN, no SEQ), and they differ (first on line {}): which right applies is unclear; give each its SEQ or AN",
                        visit.hn, rows[0].line
                    );
                    p.errors.push(at.error(id, DiagnosticKind::InvalidValue, "SEQ", message));
                    return None;
                }
                rows.first().copied()
            }
        };
        let Some(row) = row else {
            p.errors.push(missing());
            return None;
        };
        let fields = table.fields(row);
        let at = g.src(row);
        if !table.is_whole(&fields) {
            p.errors.push(broken(&at, id, fields.len(), table.names().len()));
            return None;
        }
        let cols = g.cols();
        let text = |c: usize| Some(cols.get(&fields, c)).filter(|t| !t.is_empty()).map(str::to_string);
        let inscl = cols.get(&fields, ins::INSCL);
        if inscl.is_empty() {
            p.errors.push(at.error(
                id,
                DiagnosticKind::MissingField,
                "INSCL",
                "empty: the visit's right decides its fund".into(),
            ));
            return None;
        }
        let Some(fund) = self.options.inscl.get(inscl) else {
            let known: Vec<&str> = self.options.inscl.codes().map(|(c, _)| c).collect();
            let message = format!(
                "`{inscl}` is not in the INSCL code map ({}; known: {}): add it there to claim this right",
                self.options.inscl.file(),
                known.join(", ")
            );
            p.errors.push(at.error(id, DiagnosticKind::InvalidValue, "INSCL", message));
            return None;
        };
        Some(Right {
            fund: FundId::new(fund),
            sub_fund: text(ins::SUBTYPE).or_else(|| text(ins::SUBINSCL)),
            cid: text(ins::CID),
            hospmain: text(ins::HOSPMAIN),
            hospsub: text(ins::HOSPSUB),
            approval: text(ins::PERMITNO),
        })
    }

    /// HCODE and PERSON_ID of the patient's PAT row.
    fn patient(&self, hn: &str) -> (Option<String>, Option<String>) {
        let (Some(part), Some(row)) = (&self.parts.pat, self.pat.get(hn)) else {
            return (None, None);
        };
        let fields = part.table.fields(*row);
        let text = |c: usize| Some(part.cols.get(&fields, c)).filter(|t| !t.is_empty()).map(str::to_string);
        (text(pat::HCODE), text(pat::PERSON_ID))
    }

    /// Diagnoses (principal, DXTYPE 1, first; the rest in file order) and procedures,
    /// normalised to their dotted forms.
    fn codes(&self, v: usize, id: &str, p: &mut Problems) -> (Vec<String>, Vec<String>) {
        let (mut principal, mut other, mut procedures) = (Vec::new(), Vec::new(), Vec::new());
        for g in self.dx.iter().flatten() {
            for (row, fields) in g.rows(v) {
                let at = g.src(row);
                if !g.part.table.is_whole(&fields) {
                    p.errors.push(broken(&at, id, fields.len(), g.part.table.names().len()));
                    continue;
                }
                let diag = g.cols().get(&fields, dx::DIAG);
                if diag.is_empty() {
                    p.errors.push(at.error(
                        id,
                        DiagnosticKind::MissingField,
                        "DIAG",
                        "empty: expected an ICD-10 code".into(),
                    ));
                    continue;
                }
                let code = value::icd10(diag);
                if g.cols().get(&fields, dx::DXTYPE) == "1" {
                    principal.push(code);
                } else {
                    other.push(code);
                }
            }
        }
        for g in self.oper.iter().flatten() {
            for (row, fields) in g.rows(v) {
                let at = g.src(row);
                if !g.part.table.is_whole(&fields) {
                    p.errors.push(broken(&at, id, fields.len(), g.part.table.names().len()));
                    continue;
                }
                let code = g.cols().get(&fields, oper::OPER);
                if code.is_empty() {
                    p.errors.push(at.error(
                        id,
                        DiagnosticKind::MissingField,
                        "OPER",
                        "empty: expected an ICD-9-CM code".into(),
                    ));
                    continue;
                }
                procedures.push(value::icd9cm(code));
            }
        }
        principal.append(&mut other);
        (principal, procedures)
    }

    /// The road accident of the first AER row with AETYPE `V` (พรบ.) or `B` (พรบ. and the
    /// workmen's compensation fund): its date; the role is unknown and the case pending.
    fn accident(&self, v: usize, id: &str, p: &mut Problems) -> (Option<Accident>, Option<Src>) {
        let Some(g) = &self.aer else { return (None, None) };
        for (row, fields) in g.rows(v) {
            let at = g.src(row);
            if !g.part.table.is_whole(&fields) {
                p.errors.push(broken(&at, id, fields.len(), g.part.table.names().len()));
                return (None, Some(at));
            }
            let aetype = g.cols().get(&fields, aer::AETYPE);
            if !(aetype.eq_ignore_ascii_case("V") || aetype.eq_ignore_ascii_case("B")) {
                continue;
            }
            let Some(date) = read_date(g.cols().get(&fields, aer::AEDATE), &at, id, "AEDATE", p) else {
                return (None, Some(at));
            };
            let accident = Accident {
                date,
                role: None,
                counterparty: false,
                case: CaseStatus::Pending,
                reference: None,
                prb_already_paid: None,
            };
            return (Some(accident), Some(at));
        }
        (None, None)
    }

    /// How the patient came (the first AER row's UCAE that names a visit type), and whether
    /// an AER row says the workmen's compensation fund pays (AETYPE `O`, or `B` with พรบ.).
    /// Broken rows are reported by [`Ctx::accident`].
    fn visit_type(&self, v: usize) -> (Option<VisitType>, bool) {
        let Some(g) = &self.aer else { return (None, false) };
        let (mut visit_type, mut work_injury) = (None, false);
        for (_, fields) in g.rows(v) {
            if !g.part.table.is_whole(&fields) {
                continue;
            }
            let aetype = g.cols().get(&fields, aer::AETYPE);
            work_injury |= aetype.eq_ignore_ascii_case("O") || aetype.eq_ignore_ascii_case("B");
            visit_type = visit_type.or_else(|| VisitType::from_ucae(g.cols().get(&fields, aer::UCAE)));
        }
        (visit_type, work_injury)
    }

    /// A row of ADP or DRU that cannot be read: an error, or under
    /// [`BrokenRows::Remainder`] a note (the row is left out; its amount stays in the CHA
    /// remainder).
    fn bad_item(&self, d: Diagnostic, p: &mut Problems) {
        match self.options.broken_rows {
            BrokenRows::Reject => p.errors.push(d),
            BrokenRows::Remainder => {
                let mut note = d;
                note.level = kongtun_core::diagnostic::Level::Warning;
                note.message
                    .push_str(" (--broken-rows remainder: the row is left out; its amount stays in the CHA remainder)");
                p.notes.push(note);
            }
        }
    }

    fn adp_items(&self, v: usize, id: &str, items: &mut Vec<Item>, p: &mut Problems) {
        let Some(g) = &self.adp else { return };
        for (row, fields) in g.rows(v) {
            match adp_item(g, row, &fields, id) {
                Ok(item) => items.push(item),
                Err(d) => self.bad_item(d, p),
            }
        }
    }

    fn dru_items(&self, v: usize, id: &str, items: &mut Vec<Item>, hcode: &mut Option<String>, p: &mut Problems) {
        let Some(g) = &self.dru else { return };
        for (row, fields) in g.rows(v) {
            match dru_item(g, row, &fields, id) {
                Ok(item) => {
                    let h = g.cols().get(&fields, dru::HCODE);
                    if hcode.is_none() && !h.is_empty() {
                        *hcode = Some(h.to_string());
                    }
                    items.push(item);
                }
                Err(d) => self.bad_item(d, p),
            }
        }
    }

    /// The visit's CHA rows; `None` when the set has no CHA file.
    fn cha_rows(&self, v: usize, id: &str, p: &mut Problems) -> Option<Vec<ChaRow>> {
        let g = self.cha.as_ref()?;
        let mut rows = Vec::new();
        for (row, fields) in g.rows(v) {
            let at = g.src(row);
            if !g.part.table.is_whole(&fields) {
                p.errors.push(broken(&at, id, fields.len(), g.part.table.names().len()));
                continue;
            }
            let code = g.cols().get(&fields, cha::CHRGITEM).to_ascii_uppercase();
            let item = match ChrgItem::parse(&code) {
                Ok(item) => item,
                Err(e) => {
                    p.errors.push(at.error(id, DiagnosticKind::InvalidValue, "CHRGITEM", e.to_string()));
                    continue;
                }
            };
            match value::money(g.cols().get(&fields, cha::AMOUNT)) {
                Ok(amount) => rows.push(ChaRow { item, code, amount, src: at }),
                Err(m) => p.errors.push(at.error(id, DiagnosticKind::InvalidValue, "AMOUNT", m)),
            }
        }
        Some(rows)
    }

    /// The sum of the visit's CHT TOTAL, and its first row; `None` when it has none.
    fn cht_total(&self, v: usize, id: &str, p: &mut Problems) -> Option<(Money, Src)> {
        let g = self.cht.as_ref()?;
        let mut total: Option<(Money, Src)> = None;
        for (row, fields) in g.rows(v) {
            let at = g.src(row);
            if !g.part.table.is_whole(&fields) {
                p.errors.push(broken(&at, id, fields.len(), g.part.table.names().len()));
                continue;
            }
            match value::money(g.cols().get(&fields, cht::TOTAL)) {
                Ok(amount) => match &mut total {
                    Some((sum, _)) => *sum += amount,
                    None => total = Some((amount, at)),
                },
                Err(m) => p.errors.push(at.error(id, DiagnosticKind::InvalidValue, "TOTAL", m)),
            }
        }
        total
    }

    fn adj_rw(&self, an: &str, id: &str, p: &mut Problems) -> Option<Decimal> {
        match self.options.adjrw.as_ref()?.get(an)? {
            Ok(rw) => Some(rw),
            Err(d) => {
                p.errors.push(d.claim(id));
                None
            }
        }
    }
}

/// The fields of a claim that INS gives.
struct Right {
    fund: FundId,
    sub_fund: Option<String>,
    cid: Option<String>,
    hospmain: Option<String>,
    hospsub: Option<String>,
    approval: Option<String>,
}

fn broken(src: &Src, id: &str, found: usize, want: usize) -> Diagnostic {
    src.error(
        id,
        DiagnosticKind::Syntax,
        "",
        format!("the row has {found} fields where the header has {want}: a column is left out or added, so its fields sit in the wrong columns"),
    )
}

fn read_date(text: &str, src: &Src, id: &str, field: &str, p: &mut Problems) -> Option<NaiveDate> {
    if text.is_empty() {
        p.errors.push(src.error(id, DiagnosticKind::MissingField, field, "empty: expected a date YYYYMMDD".into()));
        return None;
    }
    match value::date(text) {
        Ok(d) => Some(d),
        Err(m) => {
            p.errors.push(src.error(id, DiagnosticKind::InvalidValue, field, m));
            None
        }
    }
}

/// The column a line field comes from, by file.
fn column_of(kind: crate::layout::FileKind, field: &str) -> &'static str {
    use crate::layout::FileKind::{Adp, Cha, Dru};
    match (kind, field) {
        (Adp, "qty") => "QTY",
        (Adp, "price") => "RATE",
        (Adp, "date") => "DATEOPD",
        (Adp, "amount") => "TOTAL",
        (Adp, "serial") => "SERIALNO",
        (Adp, _) => "CODE",
        (Dru, "qty") => "AMOUNT",
        (Dru, "price") => "DRUGPRIC",
        (Dru, "date") => "DATE_SERV",
        (Dru, "amount") => "TOTAL",
        (Dru, _) => "DID",
        (Cha, "price") => "AMOUNT",
        (Cha, _) => "CHRGITEM",
        _ => "",
    }
}

/// Unit price and exact amount: a price with more than two decimals (0.125 baht a tablet)
/// is rounded to the satang for the line's price, and the charged amount stays exact: TOTAL
/// when given, else quantity x the exact price, rounded once.
fn price_and_amount(rate: Decimal, qty: Decimal, total: Option<Money>) -> Result<(Money, Option<Money>), String> {
    if rate > MAX_AMOUNT {
        return Err(format!("`{rate}` is above the {MAX_AMOUNT} baht limit"));
    }
    let price = Money::rounded(rate);
    let amount = match total {
        Some(t) => Some(t),
        None if price.as_decimal() != rate => Some(Money::rounded(rate.checked_mul(qty).unwrap_or(Decimal::MAX))),
        None => None,
    };
    Ok((price, amount))
}

/// A field of an itemised row, parsed, or the row's error naming the field.
fn field<T>(src: &Src, id: &str, name: &str, parsed: Result<T, String>) -> Result<T, Diagnostic> {
    parsed.map_err(|m| src.error(id, DiagnosticKind::InvalidValue, name, m))
}

fn optional<T>(text: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

fn required<'a>(src: &Src, id: &str, name: &str, text: &'a str) -> Result<&'a str, Diagnostic> {
    if text.is_empty() {
        Err(src.error(id, DiagnosticKind::MissingField, name, "empty".into()))
    } else {
        Ok(text)
    }
}

/// An ADP row as a line: CODE, QTY, RATE, SERIALNO, DATEOPD, TOTAL; the category from TYPE.
fn adp_item(g: &Grouped, row: Row, fields: &[&str], id: &str) -> Result<Item, Diagnostic> {
    let src = g.src(row);
    if !g.part.table.is_whole(fields) {
        return Err(broken(&src, id, fields.len(), g.part.table.names().len()));
    }
    let c = g.cols();
    let type_text = required(&src, id, "TYPE", c.get(fields, adp::TYPE))?;
    let type_code: u8 = field(
        &src,
        id,
        "TYPE",
        type_text
            .parse::<u8>()
            .ok()
            .filter(|t| (1..=20).contains(t))
            .ok_or_else(|| format!("`{type_text}` is not an ADP TYPE: expected 1-20")),
    )?;
    let code = required(&src, id, "CODE", c.get(fields, adp::CODE))?;
    let qty = field(&src, id, "QTY", value::quantity(c.get(fields, adp::QTY)))?;
    let rate = field(&src, id, "RATE", value::price(c.get(fields, adp::RATE)))?;
    let total = field(&src, id, "TOTAL", optional(c.get(fields, adp::TOTAL), value::money))?;
    let date = field(&src, id, "DATEOPD", optional(c.get(fields, adp::DATE), value::date))?;
    let (price, amount) = field(&src, id, "RATE", price_and_amount(rate, qty, total))?;
    let category = charges::adp_category(type_code);
    let serial = Some(c.get(fields, adp::SERIAL)).filter(|s| !s.is_empty()).map(str::to_string);
    let line = Line {
        code: code.to_string(),
        // A placeholder for TYPE 1 and 3-8 until the CHA line they fall under is known.
        category: category.unwrap_or_else(|| category_of(16)),
        qty,
        price,
        date,
        claimable: true,
        serial,
        amount,
    };
    Ok(Item { line, src, untyped: category.is_none().then_some(type_code) })
}

/// A DRU row as a line: DID, AMOUNT (the quantity), DRUGPRIC, DATE_SERV, TOTAL; category 3
/// when USE_STATUS is 1 (used in hospital), 4 (take-home) otherwise.
fn dru_item(g: &Grouped, row: Row, fields: &[&str], id: &str) -> Result<Item, Diagnostic> {
    let src = g.src(row);
    if !g.part.table.is_whole(fields) {
        return Err(broken(&src, id, fields.len(), g.part.table.names().len()));
    }
    let c = g.cols();
    let code = required(&src, id, "DID", c.get(fields, dru::DID))?;
    let qty = field(&src, id, "AMOUNT", value::quantity(c.get(fields, dru::AMOUNT)))?;
    let rate = field(&src, id, "DRUGPRIC", value::price(c.get(fields, dru::PRICE)))?;
    let total = field(&src, id, "TOTAL", optional(c.get(fields, dru::TOTAL), value::money))?;
    let date = field(&src, id, "DATE_SERV", optional(c.get(fields, dru::DATE), value::date))?;
    let (price, amount) = field(&src, id, "DRUGPRIC", price_and_amount(rate, qty, total))?;
    let in_hospital = c.get(fields, dru::USE_STATUS) == "1";
    let category = category_of(if in_hospital { 3 } else { 4 });
    let line = Line { code: code.to_string(), category, qty, price, date, claimable: true, serial: None, amount };
    Ok(Item { line, src, untyped: None })
}

/// Category `n`, one of the constants 3, 4 and 16 (never from input).
fn category_of(n: i64) -> ChargeCategory {
    ChargeCategory::new(n).expect("3, 4 and 16 are categories")
}
