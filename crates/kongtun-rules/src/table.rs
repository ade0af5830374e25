//! Decision tables: rows of input tests giving output values, with hit policy `first` or
//! `unique`. Rows of a `unique` table may not overlap (checked when the pack loads), and a
//! table whose first input is text is indexed by that text, so a lookup tries only the rows
//! that can match.
//!
//! Cells: `-` (any), `a | b` (any of), `>= 3`, `< 10`, `1..5` (inclusive), `true`.

use std::collections::HashMap;

use kongtun_core::yaml::{Pos, Spanned};
use rust_decimal::Decimal;

use crate::expr::{ArithmeticError, EvalContext, Expr, Per, Type, Value};
use crate::format::{ExprText, Ordered};
use crate::pack::Compiler;

/// Most inputs a table may have.
pub const MAX_INPUTS: usize = 8;

/// A compiled decision table.
#[derive(Debug)]
pub struct Table {
    /// Name.
    pub name: String,
    /// Where declared.
    pub pos: Option<Pos>,
    /// Input names, expressions, types.
    pub inputs: Vec<(String, Expr, Type)>,
    /// Output names.
    pub outputs: Vec<String>,
    /// Rows.
    pub rows: Vec<Row>,
    index: Option<Index>,
    /// The one input is `line.code`: [`Table::lookup`] goes straight to the index.
    on_line_code_only: bool,
}

/// A row.
#[derive(Debug)]
pub struct Row {
    /// A test per input.
    pub cells: Vec<Cell>,
    /// A value per output.
    pub outputs: Vec<Decimal>,
    /// The parameter each output was written as, if any (for explanations).
    pub sources: Vec<Option<std::sync::Arc<str>>>,
    /// Where written.
    pub pos: Option<Pos>,
}

/// An input test.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Matches anything.
    Any,
    /// Text equal to one of these.
    Texts(Vec<Box<str>>),
    /// This boolean.
    Bool(bool),
    /// A number in one of these intervals.
    Nums(Vec<Interval>),
}

/// A numeric interval; a bound is (value, inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    lo: Option<(Decimal, bool)>,
    hi: Option<(Decimal, bool)>,
}

impl Interval {
    fn point(n: Decimal) -> Interval {
        Interval { lo: Some((n, true)), hi: Some((n, true)) }
    }

    /// True when every number `other` holds, `self` holds too.
    fn covers(&self, other: &Interval) -> bool {
        // A bound of `self` is no tighter than `other`'s: open beats closed at the same number.
        let no_tighter =
            |mine: Option<(Decimal, bool)>, theirs: Option<(Decimal, bool)>, below: bool| match (mine, theirs) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((a, a_inc)), Some((b, b_inc))) => {
                    if a == b {
                        a_inc || !b_inc
                    } else {
                        (a < b) == below
                    }
                }
            };
        no_tighter(self.lo, other.lo, true) && no_tighter(self.hi, other.hi, false)
    }

    /// Orders intervals by their lower bound (none first; at one number, closed before open).
    fn lo_order(&self, other: &Interval) -> std::cmp::Ordering {
        match (self.lo, other.lo) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some((a, a_inc)), Some((b, b_inc))) => a.cmp(&b).then(b_inc.cmp(&a_inc)),
        }
    }

    /// True when `self` starts no later than `earlier` ends (so, sorted by lower bound, they
    /// may meet).
    fn starts_before_end_of(&self, earlier: &Interval) -> bool {
        match (self.lo, earlier.hi) {
            (None, _) | (_, None) => true,
            (Some((lo, _)), Some((hi, _))) => lo <= hi,
        }
    }

    fn contains(&self, n: Decimal) -> bool {
        let above = self.lo.is_none_or(|(lo, inc)| if inc { n >= lo } else { n > lo });
        let below = self.hi.is_none_or(|(hi, inc)| if inc { n <= hi } else { n < hi });
        above && below
    }

    fn overlaps(&self, other: &Interval) -> bool {
        // Two intervals overlap unless one ends before the other starts.
        let ends_before = |a: &Interval, b: &Interval| match (a.hi, b.lo) {
            (Some((hi, hi_inc)), Some((lo, lo_inc))) => hi < lo || (hi == lo && !(hi_inc && lo_inc)),
            _ => false,
        };
        !ends_before(self, other) && !ends_before(other, self)
    }
}

impl Cell {
    fn overlaps(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Any, _) | (_, Cell::Any) => true,
            (Cell::Texts(a), Cell::Texts(b)) => a.iter().any(|x| b.contains(x)),
            (Cell::Bool(a), Cell::Bool(b)) => a == b,
            (Cell::Nums(a), Cell::Nums(b)) => a.iter().any(|x| b.iter().any(|y| x.overlaps(y))),
            _ => false,
        }
    }

    fn matches(&self, v: &Value<'_>) -> bool {
        match (self, v) {
            (Cell::Any, _) => true,
            (Cell::Texts(list), Value::Text(t)) => list.iter().any(|x| &**x == *t),
            (Cell::Bool(b), Value::Bool(x)) => b == x,
            (Cell::Nums(list), Value::Num(n)) => list.iter().any(|i| i.contains(*n)),
            _ => false,
        }
    }
}

/// Rows by the text of the first input; `rest` holds the rows whose first cell is `-`.
#[derive(Debug)]
struct Index {
    // foldhash, not SipHash: codes come from the hospital's own claims, and the index is
    // probed for every line of every claim (SipHash was 7% of an evaluation).
    by_text: HashMap<Box<str>, Box<[u32]>, foldhash::fast::FixedState>,
    rest: Box<[u32]>,
}

fn parse_number(text: &str, c: &Compiler<'_>) -> Result<Decimal, String> {
    let t = text.trim();
    if let Some((_, v)) = c.params.iter().find(|(n, _)| n == t) {
        return Ok(*v);
    }
    Decimal::from_str_exact(t).map_err(|_| format!("`{t}` is not a number or a parameter"))
}

fn parse_cell(text: &str, ty: Type, c: &mut Compiler<'_>) -> Result<Cell, String> {
    let t = text.trim();
    if t == "-" || t == "*" {
        return Ok(Cell::Any);
    }
    match ty {
        Type::Text => Ok(Cell::Texts(t.split('|').map(|x| Box::from(x.trim())).collect())),
        Type::Bool => match t {
            "true" => Ok(Cell::Bool(true)),
            "false" => Ok(Cell::Bool(false)),
            _ => Err(format!("`{t}`: expected true, false or -")),
        },
        Type::Num => {
            let mut intervals = Vec::new();
            for part in t.split('|').map(str::trim) {
                let interval = if let Some(rest) = part.strip_prefix(">=") {
                    Interval { lo: Some((parse_number(rest, c)?, true)), hi: None }
                } else if let Some(rest) = part.strip_prefix("<=") {
                    Interval { lo: None, hi: Some((parse_number(rest, c)?, true)) }
                } else if let Some(rest) = part.strip_prefix('>') {
                    Interval { lo: Some((parse_number(rest, c)?, false)), hi: None }
                } else if let Some(rest) = part.strip_prefix('<') {
                    Interval { lo: None, hi: Some((parse_number(rest, c)?, false)) }
                } else if let Some((lo, hi)) = part.split_once("..") {
                    let (lo, hi) = (parse_number(lo, c)?, parse_number(hi, c)?);
                    if lo > hi {
                        return Err(format!("range `{part}` runs backwards"));
                    }
                    Interval { lo: Some((lo, true)), hi: Some((hi, true)) }
                } else {
                    Interval::point(parse_number(part, c)?)
                };
                intervals.push(interval);
            }
            Ok(Cell::Nums(intervals))
        }
        other => Err(format!("table inputs are text, numbers or true/false, not {other}")),
    }
}

/// Compiles a table's rows against its compiled inputs; errors go to the compiler's diag.
pub(crate) fn compile(
    name: &str,
    pos: Option<Pos>,
    unique: bool,
    inputs: Vec<(String, Expr, Type)>,
    rows_doc: &[Spanned<Ordered<Spanned<String>>>],
    c: &mut Compiler<'_>,
) -> Option<Table> {
    let owner = format!("table {name}");
    if inputs.is_empty() || inputs.len() > MAX_INPUTS {
        c.diag.error(pos, Some(&owner), format!("a table needs 1 to {MAX_INPUTS} inputs"));
        return None;
    }
    if rows_doc.is_empty() {
        c.diag.error(pos, Some(&owner), "a table needs at least one row");
        return None;
    }
    let outputs: Vec<String> = rows_doc[0]
        .value
        .0
        .iter()
        .map(|(k, _)| k.value.clone())
        .filter(|k| !inputs.iter().any(|(n, ..)| n == k))
        .collect();
    if outputs.is_empty() {
        c.diag.error(rows_doc[0].pos, Some(&owner), "rows need at least one output column besides the inputs");
        return None;
    }
    let mut rows = Vec::new();
    let mut ok = true;
    for row in rows_doc {
        let mut cells = vec![Cell::Any; inputs.len()];
        let mut values = vec![None; outputs.len()];
        for (key, cell) in &row.value.0 {
            if let Some(i) = inputs.iter().position(|(n, ..)| *n == key.value) {
                match parse_cell(&cell.value, inputs[i].2, c) {
                    Ok(parsed) => cells[i] = parsed,
                    Err(message) => {
                        c.diag.error(cell.pos, Some(&owner), format!("cell `{}`: {message}", key.value));
                        ok = false;
                    }
                }
            } else if let Some(i) = outputs.iter().position(|o| *o == key.value) {
                let text: ExprText = cell.clone();
                match c.expr(&text, Type::Num, Per::Claim, &[], &owner) {
                    Some(Expr::Num(n)) => values[i] = Some((n, None)),
                    Some(Expr::Param(name, n)) => values[i] = Some((n, Some(name))),
                    Some(_) => {
                        c.diag.error(
                            cell.pos,
                            Some(&owner),
                            format!("output `{}`: expected a number or a parameter", key.value),
                        );
                        ok = false;
                    }
                    None => ok = false,
                }
            } else {
                let known: Vec<&str> =
                    inputs.iter().map(|(n, ..)| n.as_str()).chain(outputs.iter().map(String::as_str)).collect();
                c.diag.error(
                    key.pos,
                    Some(&owner),
                    format!("unknown column `{}`; columns are: {}", key.value, known.join(", ")),
                );
                ok = false;
            }
        }
        if let Some(missing) = outputs.iter().zip(&values).find(|(_, v)| v.is_none()) {
            if ok {
                c.diag.error(row.pos, Some(&owner), format!("row has no value for output `{}`", missing.0));
            }
            ok = false;
            continue;
        }
        let (outputs, sources) = values.into_iter().map(|v| v.unwrap_or_default()).unzip();
        rows.push(Row { cells, outputs, sources, pos: row.pos });
    }
    if !ok {
        return None;
    }
    // Only rows whose cells can meet are compared (candidate_pairs): n log n, not n^2.
    let pairs = candidate_pairs(&inputs, &rows);
    if unique {
        let overlapping: Vec<(u32, u32)> = pairs
            .iter()
            .copied()
            .filter(|&(a, b)| rows[a as usize].cells.iter().zip(&rows[b as usize].cells).all(|(x, y)| x.overlaps(y)))
            .collect();
        for &(a, b) in overlapping.iter().take(MAX_REPORTED) {
            let first = rows[a as usize].pos.map(|p| format!(" at line {}", p.line)).unwrap_or_default();
            c.diag.error(
                rows[b as usize].pos,
                Some(&owner),
                format!("row overlaps the row{first}: a `unique` table needs rows that cannot both match"),
            );
        }
        if overlapping.len() > MAX_REPORTED {
            let more = overlapping.len() - MAX_REPORTED;
            c.diag.error(pos, Some(&owner), format!("and {more} more pairs of overlapping rows"));
        }
        ok = overlapping.is_empty();
    } else {
        // For each row, the first earlier row that matches everything it does.
        let mut shadowed: Vec<Option<u32>> = vec![None; rows.len()];
        for &(a, b) in &pairs {
            let covered = rows[a as usize].cells.iter().zip(&rows[b as usize].cells).all(|(x, y)| covers(x, y));
            if covered && shadowed[b as usize].is_none_or(|first| a < first) {
                shadowed[b as usize] = Some(a);
            }
        }
        for (b, a) in shadowed.iter().enumerate().filter_map(|(b, a)| a.map(|a| (b, a))).take(MAX_REPORTED) {
            let at = rows[a as usize].pos.map(|p| format!(" at line {}", p.line)).unwrap_or_default();
            c.diag.warn(
                rows[b].pos,
                Some(&owner),
                format!("row can never match: the row{at} above matches everything it does"),
            );
        }
    }
    if !ok {
        return None;
    }
    let index = build_index(&inputs, &rows);
    let on_line_code_only = matches!(&inputs[..], [(_, Expr::Field(crate::expr::Field::Code), _)]);
    Some(Table { name: name.to_string(), pos, inputs, outputs, rows, index, on_line_code_only })
}

/// Most overlaps or shadowed rows reported per table (a generated table may have many).
const MAX_REPORTED: usize = 50;

/// The pairs of rows `(a, b)`, `a < b`, whose cells might all meet, found without comparing
/// every row with every other: rows are grouped by the first text input (a row meets only
/// rows sharing one of its texts, or a `-` row), or, with no text input, swept in the
/// order of the first numeric input's intervals. Sorted and without repeats.
fn candidate_pairs(inputs: &[(String, Expr, Type)], rows: &[Row]) -> Vec<(u32, u32)> {
    let n = rows.len() as u32;
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let key = inputs
        .iter()
        .position(|(_, _, t)| *t == Type::Text)
        .or_else(|| inputs.iter().position(|(_, _, t)| *t == Type::Num));
    let mut any = Vec::new();
    match key.map(|k| (k, inputs[k].2)) {
        Some((k, Type::Text)) => {
            let mut groups: HashMap<&str, Vec<u32>> = HashMap::new();
            for (i, row) in rows.iter().enumerate() {
                match &row.cells[k] {
                    Cell::Texts(list) => list.iter().for_each(|t| groups.entry(t).or_default().push(i as u32)),
                    _ => any.push(i as u32),
                }
            }
            for group in groups.values() {
                for (x, a) in group.iter().enumerate() {
                    pairs.extend(group[x + 1..].iter().map(|b| (*a, *b)));
                }
            }
        }
        Some((k, Type::Num)) => {
            // (interval, row) sorted by lower bound; each meets the following ones until one
            // starts after it ends.
            let mut spans: Vec<(Interval, u32)> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                match &row.cells[k] {
                    Cell::Nums(list) => spans.extend(list.iter().map(|iv| (*iv, i as u32))),
                    _ => any.push(i as u32),
                }
            }
            spans.sort_by(|(a, _), (b, _)| a.lo_order(b));
            for (x, (iv, a)) in spans.iter().enumerate() {
                for (other, b) in &spans[x + 1..] {
                    if !other.starts_before_end_of(iv) {
                        break;
                    }
                    if a != b && iv.overlaps(other) {
                        pairs.push(((*a).min(*b), (*a).max(*b)));
                    }
                }
            }
        }
        _ => any.extend(0..n),
    }
    // `-` rows (and tables with no key) meet every row.
    for a in &any {
        pairs.extend((0..n).filter(|b| b != a).map(|b| ((*a).min(b), (*a).max(b))));
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// True when every value `b` matches, `a` matches too (so a later `b` is shadowed).
fn covers(a: &Cell, b: &Cell) -> bool {
    match (a, b) {
        (Cell::Any, _) => true,
        (_, Cell::Any) => false,
        (Cell::Texts(x), Cell::Texts(y)) => y.iter().all(|v| x.contains(v)),
        (Cell::Bool(x), Cell::Bool(y)) => x == y,
        (Cell::Nums(x), Cell::Nums(y)) => y.iter().all(|i| x.iter().any(|outer| outer.covers(i))),
        _ => false,
    }
}

fn build_index(inputs: &[(String, Expr, Type)], rows: &[Row]) -> Option<Index> {
    if inputs[0].2 != Type::Text {
        return None;
    }
    let mut by_text: HashMap<Box<str>, Vec<u32>> = HashMap::new();
    let mut rest = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match &row.cells[0] {
            Cell::Texts(list) => {
                for t in list {
                    by_text.entry(t.clone()).or_default().push(i as u32);
                }
            }
            _ => rest.push(i as u32),
        }
    }
    // Each key's list also holds the `-` rows, in row order, so `first` still means first.
    let by_text = by_text
        .into_iter()
        .map(|(k, mut v)| {
            v.extend(&rest);
            v.sort_unstable();
            v.dedup();
            (k, v.into_boxed_slice())
        })
        .collect();
    Some(Index { by_text, rest: rest.into_boxed_slice() })
}

impl Table {
    /// The codes a line must have for some row to match, when the first input is
    /// `line.code`, every row names its codes and every input is a plain field (so a lookup
    /// of any other line finds nothing and cannot fail).
    pub fn exact_codes(&self) -> Option<impl Iterator<Item = &str>> {
        let index = self.index.as_ref()?;
        let plain = self.inputs.iter().all(|(_, e, _)| matches!(e, Expr::Field(_)));
        let on_code = self.inputs.first().is_some_and(|(_, e, _)| *e == Expr::Field(crate::expr::Field::Code));
        (plain && on_code && index.rest.is_empty()).then(|| index.by_text.keys().map(|k| &**k))
    }

    /// The values of input `input` that some row can match; `None` when a row matches any.
    pub fn known_texts(&self, input: usize) -> Option<Vec<&str>> {
        let mut out = Vec::new();
        for row in &self.rows {
            match row.cells.get(input) {
                Some(Cell::Texts(list)) => out.extend(list.iter().map(|t| &**t)),
                _ => return None,
            }
        }
        Some(out)
    }

    /// The index of the row matching the context, if any.
    pub fn lookup(&self, ctx: &EvalContext<'_>) -> Result<Option<usize>, ArithmeticError> {
        // One input, `line.code` (the special-items shape): the index's first row for the
        // code is the answer. Every row it lists for a code names that code or is a `-` row,
        // so it matches; nothing to evaluate, nothing that can fail.
        if let (Some(index), Some((line, _)), true) = (&self.index, ctx.line, self.on_line_code_only) {
            let candidates = index.by_text.get(&*line.code).unwrap_or(&index.rest);
            return Ok(candidates.first().map(|i| *i as usize));
        }
        self.lookup_evaluated(ctx)
    }

    /// [`Table::lookup`] through the inputs' expressions, for every shape.
    fn lookup_evaluated(&self, ctx: &EvalContext<'_>) -> Result<Option<usize>, ArithmeticError> {
        let mut values = [Value::Missing; MAX_INPUTS];
        for (slot, (_, e, _)) in values.iter_mut().zip(&self.inputs) {
            *slot = e.eval(ctx)?;
        }
        let values = &values[..self.inputs.len()];
        let row_matches = |i: usize| self.rows[i].cells.iter().zip(values).all(|(c, v)| c.matches(v));
        match (&self.index, values[0]) {
            (Some(index), Value::Text(t)) => {
                let candidates = index.by_text.get(t).unwrap_or(&index.rest);
                Ok(candidates.iter().map(|i| *i as usize).find(|i| row_matches(*i)))
            }
            (Some(index), _) => Ok(index.rest.iter().map(|i| *i as usize).find(|i| row_matches(*i))),
            (None, _) => Ok((0..self.rows.len()).find(|i| row_matches(*i))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kongtun_core::money::Money;

    /// A one-input `line.code` table answers from its index what evaluating its input and
    /// matching the rows answers: every seed table of that shape, every code it names, codes
    /// it does not name, and the lines of generated claims.
    #[test]
    fn a_code_table_answers_from_its_index_as_from_its_rows() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let engine = crate::Engine::load(rules).expect("the seed packs load");
        let mut gen = kongtun_testkit::generate::ClaimGenerator::new(2568);
        let claims: Vec<_> = (0..200).map(|_| gen.any_claim()).collect();
        let mut tables = 0;
        let mut hits = 0;
        for table in engine.packs().iter().flat_map(|p| &p.tables).filter(|t| t.on_line_code_only) {
            tables += 1;
            let mut lines: Vec<kongtun_core::claim::Line> = Vec::new();
            let template = claims[0].items[0].clone();
            for code in table.exact_codes().into_iter().flatten().chain(["", "NOPE", "tka-set", "TKA-SET "]) {
                lines.push(kongtun_core::claim::Line { code: code.into(), ..template.clone() });
            }
            for claim in &claims {
                for line in lines.iter().chain(&claim.items) {
                    let ctx = EvalContext {
                        claim,
                        charged: Money::ZERO,
                        claimable_charged: Money::ZERO,
                        line: Some((line, Money::ZERO)),
                        outputs: &[],
                    };
                    let fast = table.lookup(&ctx).expect("a code lookup cannot fail");
                    assert_eq!(fast, table.lookup_evaluated(&ctx).expect("nor can evaluating it"), "{}", line.code);
                    hits += usize::from(fast.is_some());
                }
            }
        }
        assert!(tables > 0 && hits > 0, "{tables} tables, {hits} hits: the test must see both");
    }
}
