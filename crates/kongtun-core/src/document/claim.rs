//! A claim from its parsed node: deserialized through the positioned tree, then the checks
//! serde cannot express (ranges, one field against another), every error located.

use super::{MAX_ADJ_RW, MAX_QTY, MAX_QTY_DP};
use crate::claim::{Claim, Setting};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::money::{Money, MAX_AMOUNT};
use crate::yaml::{self, Node, NodeKind, PathSegment, Pos};

/// Reads one claim from a parsed node (e.g. a claim written inline in a pack test), with
/// the same checks as a claim file.
pub fn claim_from_node(node: &Node, file: &str) -> Result<Claim, Diagnostic> {
    read_claim_node(node, file, Shift::NONE, usize::MAX)
}

/// Moves positions found in a piece of text to where the piece lies in its file: `lines`
/// down, and on the piece's first line `columns` right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shift {
    pub lines: usize,
    pub columns: usize,
}

impl Shift {
    pub const NONE: Shift = Shift { lines: 0, columns: 0 };

    /// The shift of a piece starting at `line`, `column` (both from 1).
    pub fn to(line: usize, column: usize) -> Shift {
        Shift { lines: line.saturating_sub(1), columns: column.saturating_sub(1) }
    }

    pub fn apply(self, p: Pos) -> Pos {
        let columns = if p.line == 1 { self.columns } else { 0 };
        Pos::new(p.line as usize + self.lines, p.column as usize + columns)
    }
}

/// Reads one claim node, with its positions moved by `shift`; more than `max_lines` charge
/// lines make the claim too large.
pub(crate) fn read_claim_node(node: &Node, file: &str, shift: Shift, max_lines: usize) -> Result<Claim, Diagnostic> {
    let shift = |p: Pos| shift.apply(p);
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
    if let Err(problem) = check(&claim, max_lines) {
        let pos = locate(node, &problem.field);
        let kind = problem.kind();
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

/// A rule of the claim document format that a claim breaks (one serde cannot express: a
/// range, one field against another, the size limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimProblem {
    field: Vec<PathSegment>,
    message: String,
    missing: bool,
}

impl ClaimProblem {
    /// The field path, e.g. `items[2].qty`.
    pub fn field(&self) -> String {
        yaml::render_path(&self.field)
    }

    /// The index of the charge line it is about, if it is about one.
    pub fn item(&self) -> Option<usize> {
        match self.field.as_slice() {
            [PathSegment::Key(k), PathSegment::Index(i), ..] if k == "items" => Some(*i),
            _ => None,
        }
    }

    /// [`DiagnosticKind::MissingField`] or [`DiagnosticKind::InvalidValue`].
    pub fn kind(&self) -> DiagnosticKind {
        if self.missing {
            DiagnosticKind::MissingField
        } else {
            DiagnosticKind::InvalidValue
        }
    }

    /// What is wrong and what was expected.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The checks every claim read from a document passes beyond its types (ranges, one field
/// against another, at most `max_lines` charge lines), for claims built by other readers
/// (the e-Claim 16-file set), so that they are held to the same rules.
///
/// ```
/// use kongtun_core::document::{check_claim, read_claims, Format};
///
/// let text = "id: A1\nhn: '001'\nsetting: op\nfund: UC\nservice_date: 2025-01-15\nitems: [{code: X, category: 7, qty: 1, price: 120}]\n";
/// let mut claim = read_claims(text, "a.yaml", Format::Yaml).remove(0).claim.unwrap();
/// assert!(check_claim(&claim, 10_000).is_ok());
/// claim.items[0].price = "-1".parse().unwrap();
/// let problem = check_claim(&claim, 10_000).unwrap_err();
/// assert_eq!((problem.field().as_str(), problem.item()), ("items[0].price", Some(0)));
/// ```
pub fn check_claim(claim: &Claim, max_lines: usize) -> Result<(), ClaimProblem> {
    check(claim, max_lines)
}

fn key(k: &str) -> Vec<PathSegment> {
    vec![PathSegment::Key(k.to_string())]
}

fn item(i: usize, k: &str) -> Vec<PathSegment> {
    vec![PathSegment::Key("items".into()), PathSegment::Index(i), PathSegment::Key(k.to_string())]
}

fn invalid(field: Vec<PathSegment>, message: String) -> Result<(), ClaimProblem> {
    Err(ClaimProblem { field, message, missing: false })
}

/// The rules serde cannot express: ranges, one field against another, and the size limit.
pub(crate) fn check(claim: &Claim, max_lines: usize) -> Result<(), ClaimProblem> {
    if claim.items.len() > max_lines {
        return invalid(
            key("items"),
            format!(
                "{} charge lines: a claim is limited to {max_lines} (a larger one is refused, so that no claim can hold up a batch)",
                claim.items.len()
            ),
        );
    }
    for (name, value) in [("id", &claim.id), ("hn", &claim.hn)] {
        if value.trim().is_empty() {
            return invalid(key(name), "must not be empty".into());
        }
    }
    for (name, value) in
        [("cid", &claim.cid), ("hcode", &claim.hcode), ("hospmain", &claim.hospmain), ("hospsub", &claim.hospsub)]
    {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return invalid(key(name), "must not be empty when given".into());
        }
    }
    if claim.setting == Setting::Ip {
        if claim.an.as_deref().is_none_or(|an| an.trim().is_empty()) {
            return Err(ClaimProblem {
                field: key("an"),
                message: "missing: an admission number is required when setting is ip".into(),
                missing: true,
            });
        }
        if claim.discharge_date.is_none() {
            return Err(ClaimProblem {
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
        if let Some(paid) = acc.prb_already_paid.filter(|p| p.is_negative()) {
            return invalid(
                vec![PathSegment::Key("accident".into()), PathSegment::Key("prb_already_paid".into())],
                format!("{paid} is negative: expected what PRB already paid, 0 or more"),
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
        if line.qty.is_zero() || line.qty.is_sign_negative() || line.qty > MAX_QTY {
            return invalid(
                item(i, "qty"),
                format!("{} is out of range: expected above 0 and at most {MAX_QTY}", line.qty),
            );
        }
        // Only a quantity written with more decimals can have too many once trailing zeros go.
        if line.qty.scale() > MAX_QTY_DP && line.qty.normalize().scale() > MAX_QTY_DP {
            return invalid(item(i, "qty"), format!("{} has more than {MAX_QTY_DP} decimals", line.qty));
        }
        if line.price.is_negative() {
            return invalid(
                item(i, "price"),
                format!("{} is negative: expected 0 or more (refunds are not charge lines)", line.price),
            );
        }
        if line.price > Money::MAX {
            return invalid(item(i, "price"), format!("{} is above the {MAX_AMOUNT} baht limit", line.price));
        }
        if let Some(amount) = line.amount {
            if amount.is_negative() || amount > Money::MAX {
                return invalid(
                    item(i, "amount"),
                    format!("{amount} is out of range: expected 0 to {MAX_AMOUNT} baht"),
                );
            }
        }
        if let Some(d) = line.date {
            // An admission's lines fall within the stay; an OP claim may gather several
            // visits (a month of dialysis sessions), but none before its service date.
            let after_stay = claim.setting == Setting::Ip && d > last_day;
            if d < claim.service_date || after_stay {
                let expected = match claim.setting {
                    Setting::Ip => format!("from {} to {last_day}", claim.service_date),
                    Setting::Op => format!("on or after {}", claim.service_date),
                };
                return invalid(item(i, "date"), format!("{d} is outside the visit: expected {expected}"));
            }
        }
    }
    Ok(())
}
