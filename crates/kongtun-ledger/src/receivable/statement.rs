//! Fund statements (STM/REP) as CSV, JSON or JSON Lines: one row per claim and payer.
//!
//! Columns (CSV header, or JSON keys): `statement` (the statement or row id), `claim`,
//! `payer`, `paid` (baht; may be empty on an error row), `paid_date` (the day paid, or the
//! statement's day on an error row; CE or BE), `error_code`, `error_type` (C, D or V).
//! `statement_id` and `claim_id` are accepted for `statement` and `claim`.

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::yaml::Pos;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::error::{csv_with_header, json_row_error, read_text, CsvLines, Located, Rows};
use super::event::{statement_error, ErrorType, Event, EventKind, FieldError};
use kongtun_core::calendar::parse_date;
use kongtun_core::decimal::decimal_from_f64;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// One statement row as written: text fields, checked by [`StatementRow::to_event`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementRow {
    /// The statement (or row) id.
    #[serde(alias = "statement_id")]
    pub statement: String,
    /// The claim id.
    #[serde(alias = "claim_id")]
    pub claim: String,
    /// The fund that pays.
    pub payer: String,
    /// The amount paid, in baht.
    #[serde(default, deserialize_with = "text_or_number")]
    pub paid: Option<String>,
    /// The day paid (or the statement's day on an error row).
    #[serde(default)]
    pub paid_date: Option<String>,
    /// The fund's error code.
    #[serde(default, deserialize_with = "text_or_number")]
    pub error_code: Option<String>,
    /// C, D or V.
    #[serde(default)]
    pub error_type: Option<String>,
}

/// The CSV columns, in the order written.
pub const COLUMNS: [&str; 7] = ["statement", "claim", "payer", "paid", "paid_date", "error_code", "error_type"];

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl StatementRow {
    /// The statement event this row records, or the first field that is wrong.
    ///
    /// ```
    /// use kongtun_ledger::receivable::{EventKind, StatementRow};
    ///
    /// let row = StatementRow {
    ///     statement: "STM-04".into(),
    ///     claim: "UC-IP-TKA".into(),
    ///     payer: "UC".into(),
    ///     paid: Some("79025.00".into()),
    ///     paid_date: Some("2568-04-25".into()),
    ///     ..Default::default()
    /// };
    /// let event = row.to_event().unwrap();
    /// assert_eq!(event.date.to_string(), "2025-04-25");
    /// assert!(matches!(event.kind, EventKind::Statement { paid, .. } if paid.to_string() == "79025.00"));
    ///
    /// let bad = StatementRow { paid: Some("79,025.x".into()), ..row };
    /// assert_eq!(bad.to_event().unwrap_err().field, "paid");
    /// ```
    pub fn to_event(&self) -> Result<Event, FieldError> {
        let need = |value: &str, field: &'static str| -> Result<String, FieldError> {
            let v = value.trim();
            if v.is_empty() {
                Err(FieldError::missing(field, "missing: must not be empty".into()))
            } else {
                Ok(v.to_string())
            }
        };
        let statement = need(&self.statement, "statement")?;
        let claim = need(&self.claim, "claim")?;
        let payer = FundId::new(&need(&self.payer, "payer")?);
        let kind = match blank(&self.error_type) {
            Some(t) => Some(t.parse::<ErrorType>().map_err(|e| FieldError::invalid("error_type", e))?),
            None => None,
        };
        let error = statement_error(blank(&self.error_code).map(str::to_string), kind)?;
        let paid = match blank(&self.paid) {
            Some(text) => {
                let amount = Money::parse_grouped(text).map_err(|e| FieldError::invalid("paid", format!("{e}")))?;
                if amount.is_negative() {
                    return Err(FieldError::invalid(
                        "paid",
                        format!("{amount} is negative: a statement pays 0 or more"),
                    ));
                }
                amount
            }
            None if error.is_some() => Money::ZERO,
            None => {
                return Err(FieldError::missing("paid", "missing: a row pays an amount or gives an error code".into()))
            }
        };
        let date = match blank(&self.paid_date) {
            Some(text) => parse_date(text).map_err(|e| FieldError::invalid("paid_date", e.to_string()))?,
            None => {
                return Err(FieldError::missing(
                    "paid_date",
                    "missing: the day paid (or of the statement) is required".into(),
                ))
            }
        };
        Ok(Event { claim, payer, date, kind: EventKind::Statement { statement, paid, error } })
    }
}

/// JSON amounts and codes may be written as numbers: keep them as the text they were.
fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl Visitor<'_> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("text or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
            decimal_from_f64(v).map(|d| Some(d.to_string())).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
    }
    deserializer.deserialize_any(Text)
}

/// The format of a statement file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementFormat {
    /// `.csv`, with a header row.
    Csv,
    /// `.json`: a list of row objects.
    Json,
    /// `.jsonl`: one row object per line.
    JsonLines,
}

impl StatementFormat {
    /// The format of a file by its extension.
    pub fn of_path(path: &Path) -> Option<StatementFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(StatementFormat::Csv),
            "json" => Some(StatementFormat::Json),
            "jsonl" | "ndjson" => Some(StatementFormat::JsonLines),
            _ => None,
        }
    }
}

/// Reads statement rows into statement events; every bad row is an error with its line.
///
/// ```
/// use kongtun_ledger::receivable::{read_statements, StatementFormat};
///
/// let csv = "statement,claim,payer,paid,paid_date,error_code,error_type\n\
///            STM-04,UC-IP-TKA,UC,79025.00,2025-04-25,,\n\
///            STM-04,UC-IP-X,UC,12.5x,2025-04-25,,\n\
///            STM-04,UC-IP-Y,UC,,2025-04-25,NO_PDX,C\n";
/// let read = read_statements(csv, "stm.csv", StatementFormat::Csv);
/// assert_eq!(read.rows.len(), 2);
/// assert_eq!(read.errors[0].to_string(), "stm.csv:3: claim UC-IP-X: paid: `12.5x` is not a decimal number");
/// ```
pub fn read_statements(text: &str, file: &str, format: StatementFormat) -> Rows<Event> {
    match format {
        StatementFormat::Csv => read_csv(text, file),
        StatementFormat::Json => read_json(text, file),
        StatementFormat::JsonLines => read_json_lines(text, file),
    }
}

/// Reads a statement file, its format by extension; an unreadable file is one error.
pub fn read_statement_file(path: &Path) -> Rows<Event> {
    let name = path.display().to_string();
    let Some(format) = StatementFormat::of_path(path) else {
        let message = "unknown statement format: expected a .csv, .json or .jsonl file";
        return Rows {
            rows: Vec::new(),
            errors: vec![super::error::whole_file(&name, DiagnosticKind::Syntax, message)],
        };
    };
    match read_text(path) {
        Ok(text) => read_statements(&text, &name, format),
        Err(e) => Rows { rows: Vec::new(), errors: vec![e] },
    }
}

/// Turns a checked row into a located event, or a located error.
fn push(out: &mut Rows<Event>, name: &Arc<str>, start: Pos, row: &StatementRow) {
    let line = u64::from(start.line);
    match row.to_event() {
        Ok(value) => out.rows.push(Located { file: name.clone(), line, value }),
        Err(e) => {
            let d = e.at(name, line).claim(row.claim.trim());
            // A row of a JSON list is placed at its own column (several may share a line).
            let d = if start.column > 1 { Diagnostic { column: Some(start.column), ..d } } else { d };
            out.errors.push(d);
        }
    }
}

fn column(header: &str) -> Option<usize> {
    let name = header.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
    let name = match name.as_str() {
        "statement_id" => "statement",
        "claim_id" => "claim",
        other => other,
    };
    COLUMNS.iter().position(|c| *c == name)
}

fn read_csv(text: &str, file: &str) -> Rows<Event> {
    let name: Arc<str> = Arc::from(file);
    let mut out = Rows::default();
    let (mut reader, headers) = match csv_with_header(text, file) {
        Ok(opened) => opened,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    // index of each known column in this file's header
    let mut at = [None; COLUMNS.len()];
    for (i, h) in headers.iter().enumerate() {
        match column(h) {
            Some(c) => at[c] = Some(i),
            None => {
                let message = format!("unknown column `{h}`; expected: {}", COLUMNS.join(", "));
                out.errors.push(super::error::at(file, 1, DiagnosticKind::UnknownField, message).field(h));
                return out;
            }
        }
    }
    // `paid`, `error_code` and `error_type` may be left out of a file that has no use for them
    for c in [0, 1, 2, 4] {
        if at[c].is_none() {
            let message = format!("missing column `{}`; expected: {}", COLUMNS[c], COLUMNS.join(", "));
            out.errors.push(super::error::at(file, 1, DiagnosticKind::MissingField, message).field(COLUMNS[c]));
            return out;
        }
    }
    let mut lines = CsvLines::new(text);
    let mut records = reader.records().peekable();
    while let Some(record) = records.next() {
        let last = records.peek().is_none();
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.line(e.position());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("{len} fields, expected {expected_len} as in the header")
                    }
                    _ => e.to_string(),
                };
                out.errors.push(super::error::at(file, line, DiagnosticKind::Syntax, message));
                continue;
            }
        };
        let line = lines.line(record.position());
        if let Some(e) = super::error::open_quote(&record, file, line).filter(|_| last) {
            out.errors.push(e);
            continue;
        }
        let get = |c: usize| at[c].and_then(|i| record.get(i)).unwrap_or("").to_string();
        let opt = |c: usize| Some(get(c)).filter(|v| !v.is_empty());
        let row = StatementRow {
            statement: get(0),
            claim: get(1),
            payer: get(2),
            paid: opt(3),
            paid_date: opt(4),
            error_code: opt(5),
            error_type: opt(6),
        };
        push(&mut out, &name, Pos::new(line as usize, 1), &row);
    }
    out
}

fn read_json(text: &str, file: &str) -> Rows<Event> {
    let name: Arc<str> = Arc::from(file);
    let mut out = Rows::default();
    let items: Vec<&serde_json::value::RawValue> = match serde_json::from_str(text) {
        Ok(items) => items,
        Err(e) => {
            let message = format!("expected a JSON list of statement rows: {e}");
            out.errors.push(super::error::at(file, e.line() as u64, DiagnosticKind::Syntax, message));
            return out;
        }
    };
    // Each raw value borrows from `text`: its offset gives the row's line and column,
    // counted forward once over the whole text.
    let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
    for raw in items {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len());
        for (i, b) in text.as_bytes()[at..offset].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = at + i + 1;
            }
        }
        at = offset;
        let column = text[line_start..offset].chars().count() + 1;
        read_json_row(&mut out, &name, Pos::new(line, column), raw.get());
    }
    out
}

fn read_json_lines(text: &str, file: &str) -> Rows<Event> {
    let name: Arc<str> = Arc::from(file);
    let mut out = Rows::default();
    for (i, line) in text.lines().enumerate() {
        if !line.trim().is_empty() {
            read_json_row(&mut out, &name, Pos::new(i + 1, 1), line);
        }
    }
    out
}

fn read_json_row(out: &mut Rows<Event>, name: &Arc<str>, start: Pos, text: &str) {
    let claim = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("claim").or_else(|| v.get("claim_id")).and_then(|c| c.as_str()).map(str::to_string));
    match serde_json::from_str::<StatementRow>(text) {
        Ok(row) => push(out, name, start, &row),
        Err(e) => out.errors.push(json_row_error::<StatementRow>(name, start, claim.as_deref(), text, &e)),
    }
}
