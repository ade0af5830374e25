//! Rule coverage: which rules, tiers, checks, timeliness rules and table rows the pack
//! tests exercised, and how many cases reached each.

use std::collections::{BTreeMap, BTreeSet};

use kongtun_rules::pack::Pack;
use kongtun_rules::{Engine, Observer};

/// One thing a test can exercise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// A rule, tier, check or timeliness rule: `(pack, rule id)`.
    Rule(String, String),
    /// A table row: `(pack, table, row number from 1)`.
    Row(String, String, usize),
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Rule(pack, id) => write!(f, "{pack} rule {id}"),
            Item::Row(pack, table, row) => write!(f, "{pack} table {table} row {row}"),
        }
    }
}

fn pack_name(p: &Pack) -> String {
    p.name()
}

/// Counts of cases per item, over every pack of an engine.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Item -> number of cases that exercised it.
    pub counts: BTreeMap<Item, usize>,
}

impl Coverage {
    /// Every item of every pack, none exercised yet.
    pub fn of(engine: &Engine) -> Coverage {
        let mut counts = BTreeMap::new();
        for p in engine.packs() {
            let name = pack_name(p);
            for id in p.rule_ids() {
                counts.insert(Item::Rule(name.clone(), id.to_string()), 0);
            }
            for (table, rows) in p.tables() {
                for row in 1..=rows {
                    counts.insert(Item::Row(name.clone(), table.to_string(), row), 0);
                }
            }
        }
        Coverage { counts }
    }

    /// Adds one case's hits.
    pub fn add(&mut self, hits: &CaseHits) {
        for item in &hits.items {
            *self.counts.entry(item.clone()).or_insert(0) += 1;
        }
    }

    /// Items exercised and items in all.
    pub fn covered(&self) -> (usize, usize) {
        (self.counts.values().filter(|n| **n > 0).count(), self.counts.len())
    }

    /// Percentage of items exercised (100 when there are none).
    pub fn percent(&self) -> f64 {
        let (hit, all) = self.covered();
        if all == 0 {
            100.0
        } else {
            // A display figure, never money.
            hit as f64 * 100.0 / all as f64
        }
    }

    /// Items no case reached.
    pub fn unreached(&self) -> Vec<&Item> {
        self.counts.iter().filter(|(_, n)| **n == 0).map(|(i, _)| i).collect()
    }

    /// The report: every item with its count, then the unreached ones and the total.
    pub fn report(&self) -> String {
        let mut out = String::from("coverage (cases per rule and table row):\n");
        for (item, n) in &self.counts {
            out.push_str(&format!("  {n:>4}  {item}\n"));
        }
        let unreached = self.unreached();
        if !unreached.is_empty() {
            out.push_str("not reached by any case:\n");
            for item in unreached {
                out.push_str(&format!("  {item}\n"));
            }
        }
        let (hit, all) = self.covered();
        out.push_str(&format!("coverage: {hit}/{all} = {:.1}%\n", self.percent()));
        out
    }
}

/// The items one case exercised (an [`Observer`]).
#[derive(Default)]
pub struct CaseHits {
    /// What fired.
    pub items: BTreeSet<Item>,
}

impl Observer for CaseHits {
    fn fired(&mut self, pack: &Pack, rule: &str) {
        self.items.insert(Item::Rule(pack_name(pack), rule.to_string()));
    }

    fn row_hit(&mut self, pack: &Pack, table: usize, row: usize) {
        if let Some((name, _)) = pack.tables().nth(table) {
            self.items.insert(Item::Row(pack_name(pack), name.to_string(), row + 1));
        }
    }
}
