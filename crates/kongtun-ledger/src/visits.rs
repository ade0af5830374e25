//! The visit list (CSV) that Claim Missing is counted against: every OP visit and admission
//! the hospital served, by the id its claim carries.
//!
//! Columns: `visit` (the claim id the visit's claim would have: VN or AN), `hn`, `fund`,
//! `date` (the claim date: the visit, or the discharge; CE or BE), and optionally `name` (the
//! patient's, for the dunning letters).

use kongtun_core::diagnostic::DiagnosticKind;
use std::path::Path;
use std::sync::Arc;

use crate::receivable::{csv_with_header, Located, Rows};
use chrono::NaiveDate;
use kongtun_core::calendar::parse_date;
use kongtun_core::fund::FundId;
use serde::Deserialize;

/// One visit served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The id its claim carries.
    pub visit: String,
    /// Hospital number.
    pub hn: String,
    /// The patient's fund.
    pub fund: FundId,
    /// The claim date.
    pub date: NaiveDate,
    /// The patient's name, when the list gives it (empty otherwise).
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VisitRow {
    visit: String,
    hn: String,
    fund: String,
    date: String,
    #[serde(default)]
    name: String,
}

/// Reads a visit list; every bad row is an error with its line, the rest are read.
///
/// ```
/// use kongtun_ledger::visits::read_visits;
/// let read = read_visits("visit,hn,fund,date\nV1,001,UC,2568-01-15\nV2,002,UC,2025-02-30\n", "visits.csv");
/// assert_eq!(read.rows[0].value.date.to_string(), "2025-01-15");
/// assert_eq!(read.errors[0].to_string(), "visits.csv:3: date: `2025-02-30` is not a day of the calendar");
/// ```
pub fn read_visits(text: &str, file: &str) -> Rows<Visit> {
    let name: Arc<str> = Arc::from(file);
    let mut out = Rows::default();
    let (mut reader, headers) = match csv_with_header(text, file) {
        Ok(opened) => opened,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    // A header without the columns is said once, not once for each row.
    let missing: Vec<&str> =
        ["visit", "hn", "fund", "date"].into_iter().filter(|c| !headers.iter().any(|h| h == *c)).collect();
    if !missing.is_empty() {
        let message = format!(
            "the header has no {} column: a visit list's header is visit,hn,fund,date (and name, if the letters need it)",
            missing.join(", ")
        );
        out.errors.push(crate::receivable::error::at(file, 1, DiagnosticKind::MissingField, message));
        return out;
    }
    let mut lines = crate::receivable::error::CsvLines::new(text);
    // Where each visit was first listed: a visit listed twice keeps its first row (a letter
    // must not go to another patient because a later row reuses the id).
    let mut first: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut records = reader.records().peekable();
    while let Some(record) = records.next() {
        let last = records.peek().is_none();
        let (line, row) = match record {
            Ok(record) => {
                let line = lines.line(record.position());
                if let Some(e) = crate::receivable::error::open_quote(&record, file, line).filter(|_| last) {
                    out.errors.push(e);
                    continue;
                }
                match record.deserialize::<VisitRow>(Some(&headers)) {
                    Ok(row) => (line, row),
                    Err(e) => {
                        out.errors.push(crate::receivable::error::at(
                            file,
                            line,
                            DiagnosticKind::InvalidValue,
                            csv_message(&e),
                        ));
                        continue;
                    }
                }
            }
            Err(e) => {
                let line = lines.line(e.position());
                out.errors.push(crate::receivable::error::at(file, line, DiagnosticKind::Syntax, csv_message(&e)));
                continue;
            }
        };
        if let Some(at) = first.get(row.visit.trim()) {
            let message = format!("visit {} is listed again (first on line {at}): each visit once", row.visit.trim());
            out.errors
                .push(crate::receivable::error::at(file, line, DiagnosticKind::DuplicateId, message).field("visit"));
            continue;
        }
        first.insert(row.visit.trim().to_string(), line);
        match parse_date(&row.date) {
            Ok(date) => out.rows.push(Located {
                file: name.clone(),
                line,
                value: Visit { visit: row.visit, hn: row.hn, fund: FundId::new(&row.fund), date, name: row.name },
            }),
            Err(e) => out.errors.push(
                crate::receivable::error::at(file, line, DiagnosticKind::InvalidValue, e.to_string())
                    .claim_opt(None)
                    .field("date"),
            ),
        }
    }
    out
}

/// The csv crate's message without its own position prefix (the row's line is given apart).
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields, expected {expected_len} as in the header")
        }
        _ => e.to_string(),
    }
}

/// Reads a visit-list file (see [`read_visits`]).
pub fn read_visit_file(path: &Path) -> Rows<Visit> {
    match std::fs::read_to_string(path) {
        Ok(text) => read_visits(&text, &path.display().to_string()),
        Err(e) => Rows {
            rows: Vec::new(),
            errors: vec![crate::receivable::error::whole_file(
                &path.display().to_string(),
                DiagnosticKind::Io,
                e.to_string(),
            )],
        },
    }
}
