//! Claim documents: YAML, JSON or JSON Lines files holding claims.
//!
//! A YAML or JSON file holds one claim, or a list of claims under `claims:` (a bare list is
//! accepted too). A JSON Lines file (`.jsonl`) holds one claim per line. Every claim in the
//! input yields exactly one record: the claim, or a [`Diagnostic`] naming the file, line,
//! column, claim id and field, saying what was wrong and what was expected. A bad claim
//! never stops the others; a file that cannot be read or parsed at all yields one error.
//!
//! ```
//! use kongtun_core::document::{read_claims, Format};
//!
//! let text = "claims:\n  - id: A1\n    hn: '001'\n    setting: op\n    fund: UC\n    service_date: 2568-01-15\n    items: [{code: X, category: 7, qty: 1, price: 120}]\n  - id: A2\n    hn: '002'\n    setting: op\n    fund: UC\n    service_date: 2025-01-15\n    items: [{code: X, category: 7, qty: 0, price: 120}]\n";
//! let records = read_claims(text, "visits.yaml", Format::Yaml);
//! assert!(records[0].claim.is_ok());
//! let err = records[1].claim.as_ref().unwrap_err();
//! assert_eq!(err.claim_id(), Some("A2"));
//! assert_eq!(err.field.as_deref(), Some("items[0].qty"));
//! assert_eq!(err.line, Some(13));
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::claim::{Claim, Setting};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::money::MAX_AMOUNT;
use crate::yaml::{self, Node, NodeKind, PathSegment, Pos};

/// Largest quantity on one line.
pub const MAX_QTY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
/// Most decimals in a quantity.
pub const MAX_QTY_DP: u32 = 4;
/// Largest YAML or JSON claim document read whole (larger ones: split them, or use JSON
/// Lines, which are streamed). Parsing keeps a tree of the document, several times its size.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;
/// Longest line of a JSON Lines file: one claim.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
/// Largest Adj.RW accepted (real values stay below 100).
pub const MAX_ADJ_RW: Decimal = Decimal::from_parts(1_000, 0, 0, false, 0);

/// The format of a claim document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.yaml`, `.yml`
    Yaml,
    /// `.json`
    Json,
    /// `.jsonl`: one claim per line.
    JsonLines,
}

impl Format {
    /// The format of a file by its extension; `None` for other files.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// One claim read from a document, or why it could not be: the unit of every batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Where the claim starts (file name as given, `-` for standard input; line and column).
    pub file: String,
    /// Line and column of the claim's start, where the format gives one.
    pub pos: Option<Pos>,
    /// The claim, or why it was rejected.
    pub claim: Result<Claim, Diagnostic>,
}

impl Record {
    /// The claim id, from the claim or from the error (if one was readable).
    pub fn id(&self) -> Option<&str> {
        match &self.claim {
            Ok(c) => Some(&c.id),
            Err(e) => e.claim_id(),
        }
    }
}

/// Reads every claim in a document's text. `file` names it in errors.
pub fn read_claims(text: &str, file: &str, format: Format) -> Vec<Record> {
    match format {
        Format::JsonLines => read_json_lines(text, file),
        Format::Yaml | Format::Json => read_document(text, file),
    }
}

fn file_error(file: &str, pos: Option<Pos>, kind: DiagnosticKind, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(kind, file, message).at_opt(pos)
}

fn failed(file: &str, pos: Option<Pos>, kind: DiagnosticKind, message: impl Into<String>) -> Record {
    Record { file: file.to_string(), pos, claim: Err(file_error(file, pos, kind, message)) }
}

fn read_document(text: &str, file: &str) -> Vec<Record> {
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return vec![failed(
                file,
                None,
                DiagnosticKind::NotAClaim,
                "the file is empty: expected a claim or `claims:` with a list",
            )]
        }
        Err(e) => return vec![failed(file, Some(e.pos), DiagnosticKind::Syntax, e.message)],
    };
    match claim_nodes(&root) {
        Ok(nodes) => nodes
            .iter()
            .map(|node| Record { file: file.to_string(), pos: Some(node.pos), claim: read_claim_node(node, file, 0) })
            .collect(),
        Err(e) => vec![failed(file, Some(root.pos), DiagnosticKind::NotAClaim, e)],
    }
}

/// The claim nodes of a document.
fn claim_nodes(root: &Node) -> Result<&[Node], String> {
    match &root.kind {
        NodeKind::Seq(items) => Ok(items.as_slice()),
        NodeKind::Map(entries) => match root.get("claims") {
            Some(Node { kind: NodeKind::Seq(items), .. }) if entries.len() == 1 => Ok(items.as_slice()),
            Some(_) if entries.len() == 1 => Err("`claims:` must be a list of claims".into()),
            Some(_) => Err("a file with `claims:` holds nothing else".into()),
            None => Ok(std::slice::from_ref(root)),
        },
        NodeKind::Scalar { .. } => Err(format!("expected a claim or `claims:` with a list, found {}", root.describe())),
    }
}

fn read_json_lines(text: &str, file: &str) -> Vec<Record> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| read_json_line(line, file, i + 1))
        .collect()
}

/// Reads one line of a JSON Lines file (`line_no` counts from 1).
///
/// A well-formed, valid claim takes the fast path (serde_json straight into a [`Claim`]);
/// anything else, and any number too long to pass exactly through a float, is read again
/// through the positioned tree so that its error names the field and column.
pub fn read_json_line(line: &str, file: &str, line_no: usize) -> Record {
    let start = Pos::new(line_no, 1);
    if line.len() > MAX_LINE_BYTES {
        let message = format!(
            "the line is {} MB; one claim is limited to {} MB",
            line.len() / (1024 * 1024),
            MAX_LINE_BYTES / (1024 * 1024)
        );
        return failed(file, Some(start), DiagnosticKind::NotAClaim, message);
    }
    if !has_long_number(line) {
        if let Ok(claim) = serde_json::from_str::<Claim>(line) {
            if check(&claim).is_ok() {
                return Record { file: file.to_string(), pos: Some(start), claim: Ok(claim) };
            }
        }
    }
    let claim = match yaml::parse(line) {
        Ok(Some(node)) if matches!(node.kind, NodeKind::Map(_)) => read_claim_node(&node, file, line_no - 1),
        Ok(Some(node)) => Err(file_error(
            file,
            Some(start),
            DiagnosticKind::NotAClaim,
            format!("expected one claim object per line, found {}", node.describe()),
        )),
        Ok(None) => Err(file_error(file, Some(start), DiagnosticKind::NotAClaim, "expected one claim object per line")),
        Err(e) => {
            Err(file_error(file, Some(Pos::new(line_no, e.pos.column as usize)), DiagnosticKind::Syntax, e.message))
        }
    };
    Record { file: file.to_string(), pos: Some(start), claim }
}

/// True when the line holds a number of more than 15 significant characters, which a
/// float would not carry exactly (such lines take the exact, positioned path).
fn has_long_number(line: &str) -> bool {
    let mut run = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in line.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                run = 0;
            }
            b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-' => {
                run += 1;
                if run > 15 {
                    return true;
                }
            }
            _ => run = 0,
        }
    }
    false
}

/// Reads one claim from a parsed node (e.g. a claim written inline in a pack test), with
/// the same checks as a claim file.
pub fn claim_from_node(node: &Node, file: &str) -> Result<Claim, Diagnostic> {
    read_claim_node(node, file, 0)
}

/// Reads one claim node; `line_offset` shifts positions for JSON Lines.
fn read_claim_node(node: &Node, file: &str, line_offset: usize) -> Result<Claim, Diagnostic> {
    let shift = |p: Pos| Pos::new(p.line as usize + line_offset, p.column as usize);
    let claim_id = node.get("id").and_then(Node::as_text).map(str::to_string);
    let error = |pos: Option<Pos>, field: Vec<PathSegment>, kind: DiagnosticKind, message: String| {
        Diagnostic::error(kind, file, message)
            .at_opt(pos.map(shift))
            .claim_opt(claim_id.as_deref())
            .field(yaml::render_path(&field))
    };
    if !matches!(node.kind, NodeKind::Map(_)) {
        return Err(error(
            Some(node.pos),
            Vec::new(),
            DiagnosticKind::NotAClaim,
            format!("expected a claim (a mapping), found {}", node.describe()),
        ));
    }
    let claim: Claim = yaml::from_node(node).map_err(|e| {
        Diagnostic::error(e.kind.diagnostic_kind(), file, e.kind.to_string())
            .at_opt(e.pos.map(shift))
            .claim_opt(claim_id.as_deref())
            .field(e.field())
    })?;
    if let Err(problem) = check(&claim) {
        let pos = locate(node, &problem.field);
        let kind = if problem.missing { DiagnosticKind::MissingField } else { DiagnosticKind::InvalidValue };
        return Err(error(Some(pos), problem.field, kind, problem.message));
    }
    Ok(claim)
}

/// The position of the value at `path` below `node`, or of the nearest ancestor present.
fn locate(node: &Node, path: &[PathSegment]) -> Pos {
    let mut cur = node;
    for seg in path {
        let next = match (seg, &cur.kind) {
            (PathSegment::Key(k), NodeKind::Map(_)) => cur.get(k),
            (PathSegment::Index(i), NodeKind::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    cur.pos
}

/// A rule a deserialized claim breaks.
struct Problem {
    field: Vec<PathSegment>,
    message: String,
    missing: bool,
}

fn key(k: &str) -> Vec<PathSegment> {
    vec![PathSegment::Key(k.to_string())]
}

fn item(i: usize, k: &str) -> Vec<PathSegment> {
    vec![PathSegment::Key("items".into()), PathSegment::Index(i), PathSegment::Key(k.to_string())]
}

fn invalid(field: Vec<PathSegment>, message: String) -> Result<(), Problem> {
    Err(Problem { field, message, missing: false })
}

/// The rules serde cannot express: ranges, and one field against another.
fn check(claim: &Claim) -> Result<(), Problem> {
    for (name, value) in [("id", &claim.id), ("hn", &claim.hn)] {
        if value.trim().is_empty() {
            return invalid(key(name), "must not be empty".into());
        }
    }
    if claim.setting == Setting::Ip {
        if claim.an.as_deref().is_none_or(|an| an.trim().is_empty()) {
            return Err(Problem {
                field: key("an"),
                message: "missing: an admission number is required when setting is ip".into(),
                missing: true,
            });
        }
        if claim.discharge_date.is_none() {
            return Err(Problem {
                field: key("discharge_date"),
                message: "missing: a discharge date is required when setting is ip".into(),
                missing: true,
            });
        }
    }
    for (name, date) in [("discharge_date", claim.discharge_date), ("submitted", claim.submitted)] {
        if let Some(d) = date {
            if d < claim.service_date {
                return invalid(
                    key(name),
                    format!("{d} is before service_date {}: expected on or after it", claim.service_date),
                );
            }
        }
    }
    if let Some(rw) = claim.adj_rw {
        if rw.is_sign_negative() || rw > MAX_ADJ_RW {
            return invalid(key("adj_rw"), format!("{rw} is out of range: expected 0 to {MAX_ADJ_RW}"));
        }
    }
    if let Some(acc) = &claim.accident {
        if acc.date > claim.service_date {
            return invalid(
                vec![PathSegment::Key("accident".into()), PathSegment::Key("date".into())],
                format!(
                    "{} is after service_date {}: expected the accident before the visit",
                    acc.date, claim.service_date
                ),
            );
        }
    }
    if claim.items.is_empty() {
        return invalid(key("items"), "expected at least one charge line".into());
    }
    let last_day = claim.claim_date();
    for (i, line) in claim.items.iter().enumerate() {
        if line.code.trim().is_empty() {
            return invalid(item(i, "code"), "must not be empty".into());
        }
        if line.qty <= Decimal::ZERO || line.qty > MAX_QTY {
            return invalid(
                item(i, "qty"),
                format!("{} is out of range: expected above 0 and at most {MAX_QTY}", line.qty),
            );
        }
        if line.qty.normalize().scale() > MAX_QTY_DP {
            return invalid(item(i, "qty"), format!("{} has more than {MAX_QTY_DP} decimals", line.qty));
        }
        if line.price.is_negative() {
            return invalid(
                item(i, "price"),
                format!("{} is negative: expected 0 or more (refunds are not charge lines)", line.price),
            );
        }
        if line.price.as_decimal() > MAX_AMOUNT {
            return invalid(item(i, "price"), format!("{} is above the {MAX_AMOUNT} baht limit", line.price));
        }
        if let Some(d) = line.date {
            // An admission's lines fall within the stay; an OP claim may gather several
            // visits (a month of dialysis sessions), but none before its service date.
            let after_stay = claim.setting == Setting::Ip && d > last_day;
            if d < claim.service_date || after_stay {
                let expected = match claim.setting {
                    Setting::Ip => format!("{} to {last_day}", claim.service_date),
                    Setting::Op => format!("on or after {}", claim.service_date),
                };
                return invalid(item(i, "date"), format!("{d} is outside the visit: expected {expected}"));
            }
        }
    }
    Ok(())
}

/// Reads every claim under a path: a file, or a directory searched recursively for
/// `.yaml`, `.yml`, `.json` and `.jsonl` files in path order. `-` reads standard input
/// as YAML (JSON is YAML too).
pub fn read_path(path: &Path) -> Vec<Record> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        let mut stdin = std::io::Read::take(std::io::stdin(), MAX_DOCUMENT_BYTES + 1);
        return match std::io::Read::read_to_string(&mut stdin, &mut text) {
            Ok(_) if text.len() as u64 > MAX_DOCUMENT_BYTES => vec![too_large("-", None)],
            Ok(_) => read_claims(&text, "-", Format::Yaml),
            Err(e) => vec![failed("-", None, DiagnosticKind::Io, e.to_string())],
        };
    }
    let mut records = Vec::new();
    for file in claim_files(path) {
        match file {
            Ok(file) => {
                let name = file.display().to_string();
                let format = Format::of_path(&file).unwrap_or(Format::Yaml);
                let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
                if size > MAX_DOCUMENT_BYTES && format != Format::JsonLines {
                    records.push(too_large(&name, Some(size)));
                    continue;
                }
                match std::fs::read_to_string(&file) {
                    Ok(text) => records.extend(read_claims(&text, &name, format)),
                    Err(e) => records.push(failed(&name, None, DiagnosticKind::Io, e.to_string())),
                }
            }
            Err(e) => records.push(Record { file: e.file.to_string(), pos: None, claim: Err(e) }),
        }
    }
    records
}

fn too_large(file: &str, size: Option<u64>) -> Record {
    let mb = |n: u64| n / (1024 * 1024);
    let size = size.map(|s| format!(" ({} MB)", mb(s))).unwrap_or_default();
    let message = format!(
        "the document is larger than {} MB{size}: split it, or write it as JSON Lines (.jsonl), which is streamed",
        mb(MAX_DOCUMENT_BYTES)
    );
    failed(file, None, DiagnosticKind::NotAClaim, message)
}

/// The claim files under `path`, sorted; a file given by name is read whatever its
/// extension. A directory is walked once per file (links that loop are reported, special
/// files passed over with a note): each problem is an `Err`.
pub fn claim_files(path: &Path) -> Vec<Result<PathBuf, Diagnostic>> {
    let walk = crate::files::walk(path, |p| Format::of_path(p).is_some());
    walk.notes.into_iter().map(Err).chain(walk.files.into_iter().map(Ok)).collect()
}

/// Rejects claim ids seen before in a batch; the first use stands.
///
/// Ids are remembered as 64-bit hashes with where they were first seen (about 30 bytes per
/// claim), so a stream of millions of claims stays small; two different ids colliding is
/// about as likely as one in 10^8 at ten million claims.
#[derive(Default)]
pub struct DuplicateIds {
    seen: HashMap<u64, (u32, u32)>,
    files: Vec<String>,
}

impl DuplicateIds {
    /// Passes a record through, turning a repeated id into an [`DiagnosticKind::DuplicateId`] error.
    /// A rejected claim's id is reserved too, so each id yields one claim at most.
    pub fn check(&mut self, mut record: Record) -> Record {
        let Some(id) = record.id() else {
            return record;
        };
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish()
        };
        if let Some((file, line)) = self.seen.get(&key) {
            let first = match self.files.get(*file as usize) {
                Some(f) if *line > 0 => format!("{f}:{line}"),
                Some(f) => f.clone(),
                None => "earlier".to_string(),
            };
            if record.claim.is_ok() {
                let message = format!("duplicate claim id, first used at {first}: expected ids unique within a batch");
                record.claim = Err(Diagnostic::error(DiagnosticKind::DuplicateId, record.file.as_str(), message)
                    .at_opt(record.pos)
                    .claim(id)
                    .field("id"));
            }
            return record;
        }
        if self.files.last() != Some(&record.file) {
            self.files.push(record.file.clone());
        }
        let file = u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX);
        let line = record.pos.map_or(0, |p| p.line);
        self.seen.insert(key, (file, line));
        record
    }
}

/// Reads every path in order, each claim checked for a duplicate id across the batch.
pub fn read_batch<P: AsRef<Path>>(paths: &[P]) -> Vec<Record> {
    let mut ids = DuplicateIds::default();
    paths.iter().flat_map(|p| read_path(p.as_ref())).map(|r| ids.check(r)).collect()
}
