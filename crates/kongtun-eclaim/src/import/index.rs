//! The visits of a set (one per OPD and IPD row) and the rows of every other file grouped by
//! the visit they belong to.
//!
//! A row joins an admission by its AN when it has one (IP-side rows often leave SEQ blank),
//! else an outpatient visit by HN and SEQ. A row that joins nothing is an `unmatched` error
//! of its own. A broken row (fields missing or extra, so its key may sit in the wrong column)
//! that joins nothing by its key goes to its HN's visit when the HN has exactly one.
//! Grouping is a counting sort: the rows of a visit are in file order, and memory is two
//! 32-bit numbers a row.

use std::collections::HashMap;

use kongtun_core::claim::Setting;
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};

use super::columns::{ipd, key, opd, Cols};
use crate::table::{Row, Table};

/// A file of the set with the columns the reader takes from it.
pub(crate) struct Part {
    pub table: Table,
    pub cols: Cols,
}

/// One OPD or IPD row: a visit, to become one claim or one rejection.
pub(crate) struct Visit<'t> {
    pub setting: Setting,
    pub hn: &'t str,
    /// SEQ (OP) or AN (IP): the claim id.
    pub key: &'t str,
    pub row: Row,
    /// The line of an earlier row with the same key, when this one repeats it.
    pub repeats: Option<u32>,
}

/// Visits by key.
pub(crate) struct Index<'t> {
    pub visits: Vec<Visit<'t>>,
    op: HashMap<(&'t str, &'t str), u32>,
    ip: HashMap<&'t str, u32>,
    by_hn: HashMap<&'t str, Vec<u32>>,
}

/// Rows of one file grouped by visit.
#[derive(Default)]
pub(crate) struct Groups {
    start: Vec<u32>,
    rows: Vec<u32>,
}

impl Groups {
    /// The rows (indices into the table's rows) of visit `v`, in file order.
    pub fn of(&self, v: usize) -> &[u32] {
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(a), Some(b)) => self.rows.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Rows of INS that name no visit (neither AN nor SEQ): the right of every visit of their HN.
pub(crate) type Keyless<'t> = HashMap<&'t str, Vec<u32>>;

const NONE: u32 = u32::MAX;

impl<'t> Index<'t> {
    /// The visits of OPD, then IPD, in file order.
    pub fn build(opd_part: Option<&'t Part>, ipd_part: Option<&'t Part>) -> Index<'t> {
        let mut index = Index { visits: Vec::new(), op: HashMap::new(), ip: HashMap::new(), by_hn: HashMap::new() };
        let mut fields = Vec::new();
        if let Some(p) = opd_part {
            for row in p.table.rows() {
                p.table.fields_into(*row, &mut fields);
                let (hn, seq) = (p.cols.get(&fields, opd::HN), p.cols.get(&fields, opd::SEQ));
                index.add(Setting::Op, hn, seq, *row);
            }
        }
        if let Some(p) = ipd_part {
            for row in p.table.rows() {
                p.table.fields_into(*row, &mut fields);
                let (hn, an) = (p.cols.get(&fields, ipd::HN), p.cols.get(&fields, ipd::AN));
                index.add(Setting::Ip, hn, an, *row);
            }
        }
        index
    }

    fn add(&mut self, setting: Setting, hn: &'t str, key: &'t str, row: Row) {
        let v = u32::try_from(self.visits.len()).unwrap_or(NONE);
        let first = match setting {
            _ if key.is_empty() => None,
            Setting::Op => self.op.get(&(hn, key)).copied(),
            Setting::Ip => self.ip.get(key).copied(),
        };
        let repeats = first.and_then(|f| self.visits.get(f as usize)).map(|f| f.row.line);
        if first.is_none() && !key.is_empty() {
            match setting {
                Setting::Op => self.op.insert((hn, key), v),
                Setting::Ip => self.ip.insert(key, v),
            };
            if !hn.is_empty() {
                self.by_hn.entry(hn).or_default().push(v);
            }
        }
        self.visits.push(Visit { setting, hn, key, row, repeats });
    }

    /// The visit a row joins: by AN, else by HN and SEQ.
    fn resolve(&self, hn: &str, an: &str, seq: &str) -> Option<u32> {
        if !an.is_empty() {
            if let Some(v) = self.ip.get(an) {
                return Some(*v);
            }
        }
        if !seq.is_empty() {
            if let Some(v) = self.op.get(&(hn, seq)) {
                return Some(*v);
            }
        }
        None
    }

    /// Whether the set has an admission with this AN.
    pub fn has_admission(&self, an: &str) -> bool {
        self.ip.contains_key(an)
    }

    /// The only visit of an HN, if it has exactly one.
    fn only_visit_of(&self, hn: &str) -> Option<u32> {
        match self.by_hn.get(hn).map(Vec::as_slice) {
            Some([v]) => Some(*v),
            _ => None,
        }
    }

    /// Groups a detail file's rows by visit; rows that join nothing are `unmatched` errors.
    /// With `keyless`, rows with neither AN nor SEQ (INS) are kept by HN instead.
    pub fn group(
        &self,
        part: &'t Part,
        unmatched: &mut Vec<Diagnostic>,
        mut keyless: Option<&mut Keyless<'t>>,
    ) -> Groups {
        let table = &part.table;
        let mut visit_of = Vec::with_capacity(table.rows().len());
        let mut fields = Vec::new();
        for (i, row) in table.rows().iter().enumerate() {
            table.fields_into(*row, &mut fields);
            let hn = part.cols.get(&fields, key::HN);
            let an = part.cols.get(&fields, key::AN);
            let seq = part.cols.get(&fields, key::SEQ);
            let whole = table.is_whole(&fields);
            if an.is_empty() && seq.is_empty() && whole {
                if let Some(k) = keyless.as_deref_mut() {
                    if self.by_hn.contains_key(hn) {
                        k.entry(hn).or_default().push(u32::try_from(i).unwrap_or(NONE));
                        visit_of.push(NONE);
                        continue;
                    }
                }
            }
            let mut v = self.resolve(hn, an, seq);
            if v.is_none() && !whole {
                v = self.only_visit_of(hn);
            }
            match v {
                Some(v) => visit_of.push(v),
                None => {
                    visit_of.push(NONE);
                    unmatched.push(unmatched_row(part, *row, &fields, hn, an, seq));
                }
            }
        }
        counting_sort(&visit_of, self.visits.len())
    }
}

fn unmatched_row(part: &Part, row: Row, fields: &[&str], hn: &str, an: &str, seq: &str) -> Diagnostic {
    let table = &part.table;
    let (field, named) = match (an.is_empty(), seq.is_empty()) {
        (false, true) => ("AN", format!("AN {an}")),
        (false, false) => ("AN", format!("AN {an} (HN {hn}, SEQ {seq})")),
        (true, false) => ("SEQ", format!("HN {hn}, SEQ {seq}")),
        (true, true) => ("SEQ", format!("HN {hn} with no AN and no SEQ")),
    };
    let mut message = format!("{named}: no such visit in OPD nor admission in IPD");
    if !table.is_whole(fields) {
        message = format!(
            "the row has {} fields where the header has {} (a column left out or added, so fields sit in the wrong columns); {message}",
            fields.len(),
            table.names().len(),
        );
    }
    Diagnostic::error(DiagnosticKind::Unmatched, &**table.file(), message).at_line(u64::from(row.line)).field(field)
}

/// Row indices sorted by visit, stable (file order within a visit); rows of no visit left out.
fn counting_sort(visit_of: &[u32], visits: usize) -> Groups {
    let mut start = vec![0u32; visits + 1];
    for v in visit_of {
        if let Some(c) = start.get_mut(*v as usize + 1) {
            *c += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut rows = vec![0u32; start.last().copied().unwrap_or(0) as usize];
    for (i, v) in visit_of.iter().enumerate() {
        if let Some(slot) = next.get_mut(*v as usize) {
            if let Some(r) = rows.get_mut(*slot as usize) {
                *r = u32::try_from(i).unwrap_or(NONE);
            }
            *slot += 1;
        }
    }
    Groups { start, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_sort_keeps_file_order_and_drops_orphans() {
        let g = counting_sort(&[1, 0, NONE, 1, 0], 2);
        assert_eq!(g.of(0), &[1, 4]);
        assert_eq!(g.of(1), &[0, 3]);
        assert_eq!(g.of(2), &[] as &[u32]);
    }
}
