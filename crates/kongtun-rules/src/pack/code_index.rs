//! The code index: for each line code, the pricing rules and per-line checks that can take
//! or flag a line with that code.

use std::collections::HashMap;

use super::model::{Check, PriceBase, Rule};
use crate::expr;
use crate::table::Table;

/// For each line code, the pricing rules and per-line checks (one bit each, the first 64
/// indexed) that can take or flag a line with that code: rules whose condition starts with a
/// code test or whose table rows all name their codes, and checks whose condition starts with
/// a code test. The others may take any line. Evaluation then skips, without testing
/// anything, the lines a rule or check could never concern.
#[derive(Debug, Default)]
pub(crate) struct CodeIndex {
    by_code: HashMap<Box<str>, u64, foldhash::fast::FixedState>,
    /// One bit per [`sketch`] of the indexed codes: most line codes name no rule, and a
    /// clear bit says so without hashing the code.
    sketches: [u64; 4],
}

/// A byte summing up a code (its length and its first and last bytes): equal codes have
/// equal sketches.
fn sketch(code: &str) -> u8 {
    let bytes = code.as_bytes();
    let (first, last) = (bytes.first().copied().unwrap_or(0), bytes.last().copied().unwrap_or(0));
    (bytes.len() as u8).wrapping_mul(37) ^ first ^ last.rotate_left(3)
}

impl CodeIndex {
    /// The bits of the rules and checks that name `code`.
    #[inline]
    pub(crate) fn mask(&self, code: &str) -> u64 {
        let s = sketch(code);
        if self.sketches[usize::from(s >> 6)] & (1 << (s & 63)) == 0 {
            return 0;
        }
        self.by_code.get(code).copied().unwrap_or(0)
    }

    /// True when nothing is indexed.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// Indexes the rules, then the per-line checks, and gives each indexed one its bit.
    pub(crate) fn build(rules: &mut [Rule], checks: &mut [Check], tables: &[Table]) -> CodeIndex {
        let mut index = CodeIndex::default();
        let mut bits = 0..64u32;
        for rule in rules.iter_mut() {
            if matches!(rule.pricing.base, PriceBase::Drg(_)) {
                continue;
            }
            let codes: Option<Vec<&str>> = match rule.table {
                Some(t) => tables[t].exact_codes().map(Iterator::collect),
                None => rule.when_split.as_ref().and_then(leading_codes),
            };
            rule.code_bit = codes.and_then(|codes| index.add(&mut bits, codes));
        }
        for check in checks.iter_mut().filter(|c| c.per_line) {
            check.code_bit = leading_codes(&check.when_split).and_then(|codes| index.add(&mut bits, codes));
        }
        index
    }

    /// Gives `codes` the next free bit, if one is left.
    fn add(&mut self, bits: &mut std::ops::Range<u32>, codes: Vec<&str>) -> Option<u64> {
        let bit = 1u64 << bits.next()?;
        for code in codes {
            let s = sketch(code);
            self.sketches[usize::from(s >> 6)] |= 1 << (s & 63);
            *self.by_code.entry(Box::from(code)).or_default() |= bit;
        }
        Some(bit)
    }
}

/// The codes a line condition starts by testing, when nothing comes before that test: with a
/// claim-level part first, its value (or fault) must not be skipped.
fn leading_codes(split: &expr::Split) -> Option<Vec<&str>> {
    match split {
        expr::Split { claim: None, line, .. } => match line.first() {
            Some(expr::Conjunct::Fast(expr::LineTest::Codes(codes))) => Some(codes.iter().map(|c| &**c).collect()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    const PACK: &str = r#"kind: fund-pack
id: demo
fund: DEMO
version: "1"
effective: { from: 2024-10-01 }
excess: patient
params:
  cap: { value: 100, unit: baht }
tables:
  exact:
    hit: first
    inputs: { code: line.code }
    rows:
      - { code: "A | B", cap: cap }
  open:
    hit: first
    inputs: { code: line.code }
    rows:
      - { code: C, cap: cap }
      - { code: "-", cap: cap }
rules:
  - id: by-code
    when: line.code in ["X", "Y"] and line.qty > 1
    pay: charged
  - id: by-exact-table
    lookup: exact
    pay: { per_unit: cap }
  - id: by-open-table
    lookup: open
    pay: { per_unit: cap }
  - id: claim-first
    when: claim.setting == "op" and line.code == "Z"
    pay: charged
  - id: any-line
    when: line.claimable
    pay: charged
checks:
  - id: x-many
    code: X_MANY
    severity: warning
    each: line
    when: line.code == "X" and line.qty > 1
    message: { en: many X, th: X หลายหน่วย }
  - id: any-many
    code: ANY_MANY
    severity: warning
    each: line
    when: line.qty > 1 and line.code == "X"
    message: { en: many, th: หลายหน่วย }
"#;

    #[test]
    fn rules_that_name_their_codes_are_indexed() {
        let engine = Engine::from_sources(&[("demo.yaml".to_string(), PACK.to_string())]).expect("loads");
        let pack = &engine.packs()[0];
        let bit = |id: &str| pack.rules.iter().find(|r| &*r.id == id).and_then(|r| r.code_bit);
        assert_eq!(bit("by-code"), Some(1 << 0));
        assert_eq!(bit("by-exact-table"), Some(1 << 1));
        // A `-` row takes any code; a claim-level test first must be evaluated as written.
        assert_eq!((bit("by-open-table"), bit("claim-first"), bit("any-line")), (None, None, None));
        // Per-line checks that start with a code test take the next bits; others test every line.
        let check_bit = |id: &str| pack.checks.iter().find(|c| &*c.id == id).and_then(|c| c.code_bit);
        assert_eq!((check_bit("x-many"), check_bit("any-many")), (Some(1 << 2), None));
        assert_eq!((pack.code_index.mask("X"), pack.code_index.mask("B")), (1 | 1 << 2, 2));
        assert_eq!((pack.code_index.mask("C"), pack.code_index.mask("Z")), (0, 0));
    }

    /// Skipping lines by a check's bit flags exactly the lines its condition holds on: the
    /// indexed check and the same condition written the other way round (not indexed) agree.
    #[test]
    fn an_indexed_check_flags_the_lines_its_condition_holds_on() {
        let engine = Engine::from_sources(&[("demo.yaml".to_string(), PACK.to_string())]).expect("loads");
        let claim: kongtun_core::claim::Claim = serde_json::from_str(
            r#"{"id":"C1","hn":"1","setting":"op","fund":"DEMO","service_date":"2025-01-10",
                "items":[{"code":"X","category":12,"qty":"2","price":"1"},{"code":"Y","category":12,"qty":"3","price":"1"},
                         {"code":"X","category":12,"qty":"1","price":"1"},{"code":"X","category":12,"qty":"4","price":"1"}]}"#,
        )
        .expect("a claim");
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 2, 1).expect("date");
        let out = engine.evaluate(&claim, as_of).expect("evaluates");
        let lines = |code: &str| out.findings.iter().find(|f| &*f.code == code).map(|f| f.lines.to_vec());
        assert_eq!(lines("X_MANY"), Some(vec![0, 3]));
        assert_eq!(lines("X_MANY"), lines("ANY_MANY"));
    }
}
