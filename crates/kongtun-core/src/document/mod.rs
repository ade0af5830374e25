//! Claim documents: YAML, JSON or JSON Lines files holding claims.
//!
//! A YAML or JSON file holds one claim, or a list of claims under `claims:` (a bare list is
//! accepted too). A JSON Lines file (`.jsonl`) holds one claim per line. Every claim in the
//! input yields exactly one record: the claim, or a [`Diagnostic`] naming the file, line,
//! column, claim id and field, saying what was wrong and what was expected. A bad claim
//! never stops the others.
//!
//! One reader serves every command ([`read_input`]), whatever names the input (a file, a
//! directory, `-` for standard input), and it reads claim by claim: JSON Lines stream line by
//! line; a document's list is cut into its claims before they are parsed ([`split`]), so
//! memory stays near the size of the text, and a syntax error in one claim costs that claim
//! only. Everything read is capped ([`Limits`]), from a file, a pipe or a device alike.
//!
//! The format is the file's extension (`.yaml`, `.yml`, `.json`, `.jsonl`, `.ndjson`, in any
//! letter case) unless [`ReadOptions::format`] forces one. Standard input, and a file named
//! with another extension, are JSON Lines when their first line that is not blank holds a
//! whole JSON object, and YAML otherwise (JSON is YAML too).
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

mod claim;
mod duplicates;
mod jsonl;
mod source;
mod split;

use std::path::Path;

use rust_decimal::Decimal;

pub use claim::{check_claim, claim_from_node, ClaimProblem};
pub use duplicates::DuplicateIds;
pub use jsonl::{read_json_line, read_json_line_with};
pub use source::{claim_files, read_input, walked, RawLines, Sink};

use crate::claim::Claim;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::yaml::{self, Node, NodeKind, Pos};
use claim::{read_claim_node, Shift};
use split::{Layout, Span};

/// Largest quantity on one line.
pub const MAX_QTY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
/// Most decimals in a quantity.
pub const MAX_QTY_DP: u32 = 4;
/// Largest YAML or JSON claim document read (larger ones: split them, or use JSON Lines,
/// which are streamed).
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;
/// Longest line of a JSON Lines file, and largest single claim: 16 MB.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
/// Most charge lines in one claim (a real admission has hundreds; see [`Limits`]).
pub const MAX_LINES_PER_CLAIM: usize = 10_000;
/// Largest Adj.RW accepted (real values stay below 100).
pub const MAX_ADJ_RW: Decimal = Decimal::from_parts(1_000, 0, 0, false, 0);

/// What the reader accepts: every read is capped, whatever the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest YAML or JSON document, in bytes ([`MAX_DOCUMENT_BYTES`]).
    pub max_document_bytes: u64,
    /// Longest JSON Lines line and largest single claim, in bytes ([`MAX_LINE_BYTES`]).
    pub max_line_bytes: usize,
    /// Most charge lines in one claim ([`MAX_LINES_PER_CLAIM`]); a larger claim is
    /// rejected, so no single claim can hold up a batch or a server.
    pub max_lines_per_claim: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_document_bytes: MAX_DOCUMENT_BYTES,
            max_line_bytes: MAX_LINE_BYTES,
            max_lines_per_claim: MAX_LINES_PER_CLAIM,
        }
    }
}

/// How to read inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read every input as this format, whatever its name (`--input`).
    pub format: Option<Format>,
    /// The caps.
    pub limits: Limits,
}

/// The format of a claim document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.yaml`, `.yml`
    Yaml,
    /// `.json`
    Json,
    /// `.jsonl`, `.ndjson`: one claim per line.
    JsonLines,
}

impl Format {
    /// The format of a file by its extension (any letter case); `None` for other files.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }

    /// The format of text that no name tells: JSON Lines when its first line that is not
    /// blank is a whole JSON object, YAML (of which JSON is part) otherwise.
    pub fn sniff(text: &str) -> Format {
        let first = text.trim_start_matches('\u{feff}').lines().map(str::trim).find(|l| !l.is_empty());
        match first {
            Some(l)
                if l.starts_with('{')
                    && l.ends_with('}')
                    && serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok() =>
            {
                Format::JsonLines
            }
            _ => Format::Yaml,
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

    fn failed(file: &str, pos: Option<Pos>, kind: DiagnosticKind, message: impl Into<String>) -> Record {
        Record { file: file.to_string(), pos, claim: Err(Diagnostic::error(kind, file, message).at_opt(pos)) }
    }
}

/// Reads every claim in a document's text. `file` names it in errors.
pub fn read_claims(text: &str, file: &str, format: Format) -> Vec<Record> {
    let mut records = Vec::new();
    read_text(text, file, format, &Limits::default(), &mut |r| records.push(r));
    records
}

/// Reads every claim of a document's text into `emit`, claim by claim.
pub(crate) fn read_text(text: &str, file: &str, format: Format, limits: &Limits, emit: &mut dyn FnMut(Record)) {
    match format {
        Format::JsonLines => {
            for (i, line) in lines_any_ending(text) {
                if !line.trim().is_empty() {
                    emit(read_json_line_with(line, file, i, limits));
                }
            }
        }
        Format::Yaml | Format::Json => read_document(text, file, format, limits, emit),
    }
}

/// Lines numbered from 1, ended by `\n`, `\r\n` or a lone `\r` (old Mac files), without
/// their ending.
fn lines_any_ending(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut n = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = match rest.as_bytes().get(end) {
            Some(b'\r') if rest.as_bytes().get(end + 1) == Some(&b'\n') => 2,
            Some(_) => 1,
            None => 0,
        };
        rest = &rest[end + skip..];
        Some((n, line))
    })
}

/// The claim id written in a piece of text that may not parse (`id: A1`, `"id": "A1"`), so
/// that even a claim with a syntax error is named.
pub(crate) fn claim_id_hint(text: &str) -> Option<String> {
    for line in text.lines().take(400) {
        let t = line.trim_start().trim_start_matches(['-', '{', ',', ' ']);
        for key in ["\"id\"", "id", "'id'"] {
            let Some(rest) = t.strip_prefix(key) else { continue };
            let Some(value) = rest.trim_start().strip_prefix(':') else { continue };
            let value = value.trim_start();
            let id = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next(),
                Some(_) => value.split([',', '}', ' ', '#']).next(),
                None => None,
            };
            if let Some(id) = id.map(str::trim).filter(|i| !i.is_empty()) {
                return Some(id.to_string());
            }
        }
    }
    None
}

fn read_document(text: &str, file: &str, format: Format, limits: &Limits, emit: &mut dyn FnMut(Record)) {
    match split::layout(text) {
        Layout::Empty => emit(Record::failed(
            file,
            None,
            DiagnosticKind::NotAClaim,
            "the file is empty: expected a claim or `claims:` with a list",
        )),
        Layout::Whole => read_whole(text, file, limits, emit),
        Layout::Block { start, line, indent } => {
            for piece in split::block_items(text, start, line, indent) {
                emit(match piece {
                    Ok(span) => read_block_item(text, span, file, limits),
                    Err(span) => trailing(text, span, file),
                });
            }
        }
        Layout::Flow { open } => {
            for piece in split::flow_items(text, open) {
                emit(match piece {
                    Ok(span) => read_flow_item(text, span, file, format, limits),
                    Err(span) => trailing(text, span, file),
                });
            }
        }
    }
}

/// Text after the list of claims: not a claim, and said so.
fn trailing(text: &str, span: Span, file: &str) -> Record {
    let body = text[span.start..span.end].trim_start_matches(['\n', '\r']);
    let skipped = text[span.start..span.end].len() - body.len();
    let lines_before = text[span.start..span.start + skipped].matches('\n').count();
    let pos = Pos::new(span.line + lines_before, span.column);
    Record::failed(
        file,
        Some(pos),
        DiagnosticKind::NotAClaim,
        "text after the list of claims: a file with `claims:` holds nothing else",
    )
}

/// A document that is not a list: one claim (or an error the parser names).
fn read_whole(text: &str, file: &str, limits: &Limits, emit: &mut dyn FnMut(Record)) {
    if text.len() > limits.max_line_bytes {
        let message = format!(
            "one claim of {} MB: a claim is limited to {} MB; list many claims under `claims:`, or write JSON Lines",
            text.len() / (1024 * 1024),
            limits.max_line_bytes / (1024 * 1024)
        );
        return emit(Record::failed(file, None, DiagnosticKind::NotAClaim, message));
    }
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return emit(Record::failed(
                file,
                None,
                DiagnosticKind::NotAClaim,
                "the file is empty: expected a claim or `claims:` with a list",
            ))
        }
        Err(e) => {
            let record = Record::failed(file, Some(e.pos), DiagnosticKind::Syntax, e.message);
            let hint = claim_id_hint(text);
            return emit(Record { claim: record.claim.map_err(|d| d.claim_opt(hint.as_deref())), ..record });
        }
    };
    match claim_nodes(&root) {
        Ok(nodes) => {
            for node in nodes {
                let claim = read_claim_node(node, file, Shift::NONE, limits.max_lines_per_claim);
                emit(Record { file: file.to_string(), pos: Some(node.pos), claim });
            }
        }
        Err(e) => emit(Record::failed(file, Some(root.pos), DiagnosticKind::NotAClaim, e)),
    }
}

/// The claim nodes of a whole document.
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

/// One item of a block list (`- id: ...` and the lines under it), parsed on its own.
fn read_block_item(text: &str, span: Span, file: &str, limits: &Limits) -> Record {
    let piece = &text[span.start..span.end];
    let shift = Shift::to(span.line, 1);
    let start = Pos::new(span.line, piece.len() - piece.trim_start_matches(' ').len() + 3);
    if piece.len() > limits.max_line_bytes {
        return too_large_claim(piece, file, start, limits);
    }
    match yaml::parse(piece) {
        Ok(Some(Node { kind: NodeKind::Seq(items), .. })) if items.len() == 1 => {
            let node = &items[0];
            let pos = shift.apply(node.pos);
            Record {
                file: file.to_string(),
                pos: Some(pos),
                claim: read_claim_node(node, file, shift, limits.max_lines_per_claim),
            }
        }
        Ok(_) => {
            Record::failed(file, Some(start), DiagnosticKind::NotAClaim, "expected a claim (a mapping) in the list")
        }
        Err(e) => syntax_error(piece, file, start, shift.apply(e.pos), e.message),
    }
}

/// One element of a flow list (`{...}`), parsed on its own (JSON first, when the file is
/// JSON: the fast path).
fn read_flow_item(text: &str, span: Span, file: &str, format: Format, limits: &Limits) -> Record {
    let piece = &text[span.start..span.end];
    let shift = Shift::to(span.line, span.column);
    let start = Pos::new(span.line, span.column);
    if piece.len() > limits.max_line_bytes {
        return too_large_claim(piece, file, start, limits);
    }
    if format == Format::Json {
        match serde_json::from_str::<Claim>(piece) {
            Ok(claim) if claim::check(&claim, limits.max_lines_per_claim).is_ok() && !jsonl::has_long_number(piece) => {
                return Record { file: file.to_string(), pos: Some(start), claim: Ok(claim) };
            }
            // A JSON file is judged as JSON: what JSON refuses is a syntax error, never read
            // more kindly as YAML.
            Err(e) if e.is_syntax() || e.is_eof() => {
                let text = e.to_string();
                let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
                let at = shift.apply(Pos::new(e.line().max(1), e.column().max(1)));
                return syntax_error(piece, file, start, at, format!("not valid JSON: {message}"));
            }
            _ => {}
        }
    }
    match yaml::parse(piece) {
        Ok(Some(node)) => Record {
            file: file.to_string(),
            pos: Some(start),
            claim: read_claim_node(&node, file, shift, limits.max_lines_per_claim),
        },
        Ok(None) => Record::failed(file, Some(start), DiagnosticKind::NotAClaim, "expected a claim, found nothing"),
        Err(e) => syntax_error(piece, file, start, shift.apply(e.pos), e.message),
    }
}

fn syntax_error(piece: &str, file: &str, start: Pos, at: Pos, message: String) -> Record {
    let d = Diagnostic::error(DiagnosticKind::Syntax, file, message).at(at).claim_opt(claim_id_hint(piece).as_deref());
    Record { file: file.to_string(), pos: Some(start), claim: Err(d) }
}

fn too_large_claim(piece: &str, file: &str, start: Pos, limits: &Limits) -> Record {
    let message = format!(
        "one claim of {} MB: a claim is limited to {} MB",
        piece.len() / (1024 * 1024),
        limits.max_line_bytes / (1024 * 1024)
    );
    let d = Diagnostic::error(DiagnosticKind::NotAClaim, file, message)
        .at(start)
        .claim_opt(claim_id_hint(piece).as_deref());
    Record { file: file.to_string(), pos: Some(start), claim: Err(d) }
}

/// Reads every claim under a path (see [`read_input`]), into a list; notes about files
/// passed over (not claim files, links that loop) are left out: use [`read_input`] to
/// hear them.
pub fn read_path(path: &Path) -> Vec<Record> {
    let mut sink = Vec::new();
    read_input(path, &ReadOptions::default(), &mut sink);
    sink
}

/// Reads every path in order, each claim checked for a duplicate id across the batch.
pub fn read_batch<P: AsRef<Path>>(paths: &[P]) -> Vec<Record> {
    let mut ids = DuplicateIds::default();
    paths.iter().flat_map(|p| read_path(p.as_ref())).map(|r| ids.check(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_with_lf_crlf_or_cr() {
        let lines: Vec<(usize, &str)> = lines_any_ending("a\nb\r\nc\rd").collect();
        assert_eq!(lines, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    }

    #[test]
    fn claim_ids_are_found_in_broken_text() {
        assert_eq!(claim_id_hint("  - id: A1\n    hn: [\n"), Some("A1".into()));
        assert_eq!(claim_id_hint("{\"id\": \"J-2\", \"hn\": "), Some("J-2".into()));
        assert_eq!(claim_id_hint("{ hn: 1 }"), None);
    }

    #[test]
    fn sniffing_tells_json_lines_from_yaml() {
        assert_eq!(Format::sniff("\n{\"id\":\"A\"}\n{\"id\":\"B\"}\n"), Format::JsonLines);
        assert_eq!(Format::sniff("{\n  \"id\": \"A\"\n}\n"), Format::Yaml);
        assert_eq!(Format::sniff("claims:\n  - id: A\n"), Format::Yaml);
    }
}
