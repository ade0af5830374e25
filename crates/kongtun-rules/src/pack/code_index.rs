//! The code index: for each line code, the pricing rules that can take a line with that code.

use std::collections::HashMap;

use super::model::{PriceBase, Rule};
use crate::expr;
use crate::table::Table;

/// For each line code, the pricing rules (bits by rule position, the first 64) that can take
/// a line with that code: rules whose condition starts with a code test, or whose table rows
/// all name their codes. The others may take any line. Evaluation then skips, without
/// testing anything, the lines a rule could never take.
#[derive(Debug, Default)]
pub(crate) struct CodeIndex {
    by_code: HashMap<Box<str>, u64, foldhash::fast::FixedState>,
}

impl CodeIndex {
    /// The bits of the rules that name `code`.
    pub(crate) fn mask(&self, code: &str) -> u64 {
        self.by_code.get(code).copied().unwrap_or(0)
    }

    /// True when no rule is indexed.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    pub(crate) fn build(rules: &mut [Rule], tables: &[Table]) -> CodeIndex {
        let mut index = CodeIndex::default();
        for (r, rule) in rules.iter_mut().enumerate().take(64) {
            if matches!(rule.pricing.base, PriceBase::Drg(_)) {
                continue;
            }
            let codes: Option<Vec<&str>> = match rule.table {
                Some(t) => tables[t].exact_codes().map(Iterator::collect),
                // Only with no claim-level part first: its value (or fault) must not be skipped.
                None => match rule.when_split.as_ref() {
                    Some(expr::Split { claim: None, line }) => match line.first() {
                        Some(expr::Conjunct::Fast(expr::LineTest::Codes(codes))) => {
                            Some(codes.iter().map(|c| &**c).collect())
                        }
                        _ => None,
                    },
                    _ => None,
                },
            };
            if let Some(codes) = codes {
                let bit = 1u64 << r;
                for code in codes {
                    *index.by_code.entry(Box::from(code)).or_default() |= bit;
                }
                rule.code_bit = Some(bit);
            }
        }
        index
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
        assert_eq!((pack.code_index.mask("X"), pack.code_index.mask("B")), (1, 2));
        assert_eq!((pack.code_index.mask("C"), pack.code_index.mask("Z")), (0, 0));
    }
}
