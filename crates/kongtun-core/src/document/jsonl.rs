//! One claim per line (JSON Lines): each line read on its own, so one bad line costs that
//! line only, and a file of any size streams.

use super::claim::{check, read_claim_node, Shift};
use super::{claim_id_hint, Limits, Record};
use crate::claim::Claim;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::yaml::{self, NodeKind, Pos};

/// Reads one line of a JSON Lines file (`line_no` counts from 1), with the default limits.
///
/// A well-formed, valid claim takes the fast path (serde_json straight into a [`Claim`]).
/// A line that is not JSON is a JSON syntax error at its column (never read as YAML, so
/// `.5` or `+5` are refused as JSON refuses them). A JSON line that is not a valid claim,
/// and any number too long to pass exactly through a float, is read again through the
/// positioned tree, so that its error names the field and column.
pub fn read_json_line(line: &str, file: &str, line_no: usize) -> Record {
    read_json_line_with(line, file, line_no, &Limits::default())
}

/// [`read_json_line`] with given limits.
pub fn read_json_line_with(line: &str, file: &str, line_no: usize, limits: &Limits) -> Record {
    let start = Pos::new(line_no, 1);
    let failed = |kind, column: usize, message: String| Record {
        file: file.to_string(),
        pos: Some(start),
        claim: Err(Diagnostic::error(kind, file, message)
            .at(Pos::new(line_no, column))
            .claim_opt(claim_id_hint(line).as_deref())),
    };
    if line.len() > limits.max_line_bytes {
        let message = format!(
            "the line is {} MB; one claim is limited to {} MB",
            line.len() / (1024 * 1024),
            limits.max_line_bytes / (1024 * 1024)
        );
        return failed(DiagnosticKind::NotAClaim, 1, message);
    }
    // A number longer than a float carries exactly makes the line take the exact path. Only
    // a decimal that came through a float can have lost digits (a long integer is exact, or
    // out of every field's range), so the line is scanned for one only then.
    crate::decimal::take_float_seen();
    let parsed = serde_json::from_str::<Claim>(line);
    let long_number = crate::decimal::take_float_seen() && has_long_number(line);
    match parsed {
        Ok(claim) if !long_number && check(&claim, limits.max_lines_per_claim).is_ok() => {
            return Record { file: file.to_string(), pos: Some(start), claim: Ok(claim) };
        }
        Ok(_) => {}
        Err(e) if e.is_syntax() || e.is_eof() => {
            let text = e.to_string();
            let message = match text.rfind(" at line ") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            return failed(DiagnosticKind::Syntax, e.column().max(1), format!("not valid JSON: {message}"));
        }
        Err(_) => {}
    }
    let claim = match yaml::parse(line) {
        Ok(Some(node)) if matches!(node.kind, NodeKind::Map(_)) => {
            read_claim_node(&node, file, Shift::to(line_no, 1), limits.max_lines_per_claim)
        }
        Ok(Some(node)) => {
            return failed(
                DiagnosticKind::NotAClaim,
                1,
                format!("expected one claim object per line, found {}", node.describe()),
            )
        }
        Ok(None) => return failed(DiagnosticKind::NotAClaim, 1, "expected one claim object per line".into()),
        Err(e) => return failed(DiagnosticKind::Syntax, e.pos.column as usize, e.message),
    };
    Record { file: file.to_string(), pos: Some(start), claim }
}

/// True when the line holds a number of more than 15 significant characters, which a
/// float would not carry exactly (such lines take the exact, positioned path).
pub(crate) fn has_long_number(line: &str) -> bool {
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
