//! Impact diff: what changed between two sets of packs, and what it does to money over a
//! corpus of claims. Rendered as Markdown for a pull-request comment, or as JSON.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, Outcome};
use kongtun_core::rulebook::{DocumentKind, Rulebook};
use kongtun_core::yaml::{Node, NodeKind};
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, Options};
use serde::Serialize;

/// A change to the packs, by rule id and parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackChange {
    /// `uc@2568`
    pub pack: String,
    /// What changed: `param tka_ceiling`, `rule uc-drg`, `table special-items`, `pack`.
    pub what: String,
    /// `changed`, `added` or `removed`.
    pub change: &'static str,
    /// Old value (compact YAML), if any.
    pub old: Option<String>,
    /// New value, if any.
    pub new: Option<String>,
}

/// Totals of one bucket of one fund before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BucketImpact {
    /// The claims' main fund.
    pub fund: String,
    /// `UC`, `PRB (pending)`, `patient`, `penalty`, `difference`.
    pub bucket: String,
    /// Total before.
    pub before: Money,
    /// Total after.
    pub after: Money,
    /// after - before.
    pub delta: Money,
    /// Claims whose amount in this bucket changed.
    pub claims_changed: usize,
}

/// One claim whose outcome changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimChange {
    /// Claim id.
    pub id: String,
    /// Main fund.
    pub fund: String,
    /// Bucket -> (before, after), only the buckets that changed.
    pub buckets: BTreeMap<String, (Money, Money)>,
    /// Rules whose contribution changed.
    pub rules: Vec<String>,
    /// Money moved: half the sum of absolute bucket changes.
    pub moved: Money,
    /// Finding codes that appeared.
    pub findings_added: Vec<String>,
    /// Finding codes that disappeared.
    pub findings_removed: Vec<String>,
    /// An error before or after, when one side did not evaluate.
    pub error: Option<String>,
}

/// The whole comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Impact {
    /// Changes to the packs.
    pub pack_changes: Vec<PackChange>,
    /// Per fund and bucket.
    pub buckets: Vec<BucketImpact>,
    /// Changed claims, largest change first (all of them; rendering caps the list).
    pub claims: Vec<ClaimChange>,
    /// Claims compared.
    pub claims_compared: usize,
    /// The as-of date used.
    pub as_of: NaiveDate,
}

impl Impact {
    /// True when anything that matters to money or findings changed.
    pub fn changed(&self) -> bool {
        !self.claims.is_empty()
    }
}

// ---------------------------------------------------------------------------------------
// pack changes

/// Compact one-line YAML of a node: `{code: TKA-SET, cap: tka_ceiling}`.
pub fn compact(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar { text, .. } => text.clone(),
        NodeKind::Seq(items) => format!("[{}]", items.iter().map(compact).collect::<Vec<_>>().join(", ")),
        NodeKind::Map(entries) => format!(
            "{{{}}}",
            entries.iter().map(|(k, v)| format!("{}: {}", compact(k), compact(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The fund packs of a rules directory: `id@version` -> root node.
fn pack_nodes(book: &Rulebook) -> BTreeMap<String, &Node> {
    let mut out = BTreeMap::new();
    for doc in book.of_kind(DocumentKind::FundPack) {
        let root = &doc.root;
        let id = root.get("id").and_then(Node::as_text).unwrap_or("?");
        let version = root.get("version").and_then(Node::as_text).unwrap_or("?");
        out.insert(format!("{id}@{version}"), root);
    }
    out
}

/// Entries of a section keyed by name: a mapping (`params`, `tables`) or a list of
/// mappings with an `id` (`rules`, `tiers`, `checks`).
fn keyed(node: Option<&Node>) -> BTreeMap<String, &Node> {
    let mut out = BTreeMap::new();
    match node.map(|n| &n.kind) {
        Some(NodeKind::Map(entries)) => {
            for (k, v) in entries {
                out.insert(compact(k), v);
            }
        }
        Some(NodeKind::Seq(items)) => {
            for item in items {
                if let Some(id) = item.get("id").and_then(Node::as_text) {
                    out.insert(id.to_string(), item);
                }
            }
        }
        _ => {}
    }
    out
}

/// The packs' changes, by rule id and parameter.
pub fn pack_changes(base: &Rulebook, head: &Rulebook) -> Vec<PackChange> {
    let (base, head) = (pack_nodes(base), pack_nodes(head));
    let mut changes = Vec::new();
    let names: BTreeSet<&String> = base.keys().chain(head.keys()).collect();
    for name in names {
        let change = |what: String, change, old: Option<String>, new: Option<String>| PackChange {
            pack: name.clone(),
            what,
            change,
            old,
            new,
        };
        let (b, h) = match (base.get(name), head.get(name)) {
            (Some(b), Some(h)) => (b, h),
            (None, Some(h)) => {
                changes.push(change("pack".into(), "added", None, h.get("effective").map(compact)));
                continue;
            }
            (Some(b), None) => {
                changes.push(change("pack".into(), "removed", b.get("effective").map(compact), None));
                continue;
            }
            (None, None) => continue,
        };
        // Top-level settings other than the keyed sections.
        for key in ["fund", "effective", "layer", "applies", "covers", "excess", "timeliness", "title"] {
            let (o, n) = (b.get(key).map(compact), h.get(key).map(compact));
            if o != n {
                changes.push(change(key.to_string(), "changed", o, n));
            }
        }
        for (section, label) in
            [("params", "param"), ("tables", "table"), ("rules", "rule"), ("tiers", "tier"), ("checks", "check")]
        {
            let (bs, hs) = (keyed(b.get(section)), keyed(h.get(section)));
            let keys: BTreeSet<&String> = bs.keys().chain(hs.keys()).collect();
            for key in keys {
                let what = format!("{label} {key}");
                // Parameters are compared by value (and unit), the rest as written.
                let render = |n: &Node| {
                    if section == "params" {
                        n.get("value").map(compact).unwrap_or_else(|| compact(n))
                    } else {
                        compact(n)
                    }
                };
                match (bs.get(key), hs.get(key)) {
                    (Some(o), Some(n)) if compact(o) != compact(n) => {
                        if section == "tables" {
                            changes.extend(table_row_changes(name, key, o, n));
                        } else if section == "params" && render(o) == render(n) {
                            // Same value: only where it comes from (or a note) changed.
                            let source = |n: &Node| n.get("source").map(compact);
                            let label = format!("{what} source");
                            changes.push(change(label, "changed", source(o), source(n)));
                        } else {
                            changes.push(change(what, "changed", Some(render(o)), Some(render(n))));
                        }
                    }
                    (None, Some(n)) => changes.push(change(what, "added", None, Some(render(n)))),
                    (Some(o), None) => changes.push(change(what, "removed", Some(render(o)), None)),
                    _ => {}
                }
            }
        }
    }
    changes
}

fn table_row_changes(pack: &str, table: &str, old: &Node, new: &Node) -> Vec<PackChange> {
    let rows = |n: &Node| -> Vec<String> {
        match n.get("rows").map(|r| &r.kind) {
            Some(NodeKind::Seq(items)) => items.iter().map(compact).collect(),
            _ => Vec::new(),
        }
    };
    let (o, n) = (rows(old), rows(new));
    let mut out = Vec::new();
    let mk = |change, old: Option<String>, new: Option<String>| PackChange {
        pack: pack.to_string(),
        what: format!("table {table} row"),
        change,
        old,
        new,
    };
    for r in o.iter().filter(|r| !n.contains(r)) {
        out.push(mk("removed", Some(r.clone()), None));
    }
    for r in n.iter().filter(|r| !o.contains(r)) {
        out.push(mk("added", None, Some(r.clone())));
    }
    let settings = |x: &Node| {
        let mut x = x.clone();
        if let NodeKind::Map(entries) = &mut x.kind {
            entries.retain(|(k, _)| k.as_text() != Some("rows"));
        }
        compact(&x)
    };
    if settings(old) != settings(new) {
        out.push(PackChange {
            pack: pack.to_string(),
            what: format!("table {table}"),
            change: "changed",
            old: Some(settings(old)),
            new: Some(settings(new)),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// money impact

fn bucket_amounts(o: &Outcome) -> BTreeMap<String, Money> {
    let mut m = BTreeMap::new();
    for p in &o.payers {
        let key = format!("{}{}", p.payer, p.status.suffix());
        *m.entry(key).or_insert(Money::ZERO) += p.amount;
        // What the fund is not expected to pay of it (a paid rate below the announced one):
        // a change of paid rate moves no claimed money, but this.
        let shortfall = p.amount - p.expected_or_amount();
        if !shortfall.is_zero() {
            *m.entry(format!("{} expected shortfall", p.payer)).or_insert(Money::ZERO) += shortfall;
        }
    }
    m.insert("patient".into(), o.patient);
    m.insert("penalty".into(), o.penalty);
    m.insert("difference".into(), o.difference);
    m
}

fn rule_amounts(o: &Outcome) -> BTreeMap<(String, String), Money> {
    let mut m = BTreeMap::new();
    for t in &o.trace {
        let bucket = match &t.bucket {
            Bucket::Payer(p) => format!("{p}{}", t.status().suffix()),
            b => b.to_string(),
        };
        *m.entry((t.rule.to_string(), bucket)).or_insert(Money::ZERO) += t.amount;
    }
    m
}

/// Evaluates the corpus under both engines and compares. The corpus is one batch, as
/// `kongtun evaluate` reads it: claims of one victim and accident share PRB's limits.
pub fn impact(
    base: &Engine,
    head: &Engine,
    pack_changes: Vec<PackChange>,
    claims: &[Claim],
    as_of: NaiveDate,
) -> Impact {
    let mut totals: BTreeMap<(String, String), (Money, Money, usize)> = BTreeMap::new();
    let mut changed = Vec::new();
    let refs: Vec<&Claim> = claims.iter().collect();
    let options = Options { trace: true };
    let before = base.evaluate_batch(&refs, as_of, options, &mut AccidentLimits::new());
    let after = head.evaluate_batch(&refs, as_of, options, &mut AccidentLimits::new());
    for ((claim, b), h) in claims.iter().zip(before).zip(after) {
        let fund = claim.fund.to_string();
        let (b, h) = match (b, h) {
            (Ok(b), Ok(h)) => (b, h),
            (Err(e1), Err(e2)) if e1 == e2 => continue,
            (b, h) => {
                let describe = |r: &Result<Outcome, kongtun_rules::EvalError>| match r {
                    Ok(_) => "evaluated".to_string(),
                    Err(e) => format!("error: {e}"),
                };
                changed.push(ClaimChange {
                    id: claim.id.clone(),
                    fund,
                    buckets: BTreeMap::new(),
                    rules: Vec::new(),
                    moved: Money::ZERO,
                    findings_added: Vec::new(),
                    findings_removed: Vec::new(),
                    error: Some(format!("before: {}; after: {}", describe(&b), describe(&h))),
                });
                continue;
            }
        };
        let (bb, hb) = (bucket_amounts(&b), bucket_amounts(&h));
        let mut buckets = BTreeMap::new();
        let keys: BTreeSet<&String> = bb.keys().chain(hb.keys()).collect();
        for key in keys {
            let (x, y) = (bb.get(key).copied().unwrap_or_default(), hb.get(key).copied().unwrap_or_default());
            let t = totals.entry((fund.clone(), key.clone())).or_insert((Money::ZERO, Money::ZERO, 0));
            t.0 += x;
            t.1 += y;
            if x != y {
                t.2 += 1;
                buckets.insert(key.clone(), (x, y));
            }
        }
        let (br, hr) = (rule_amounts(&b), rule_amounts(&h));
        let rules: BTreeSet<String> = br
            .keys()
            .chain(hr.keys())
            .filter(|k| br.get(*k).copied().unwrap_or_default() != hr.get(*k).copied().unwrap_or_default())
            .map(|(rule, _)| rule.clone())
            .collect();
        let codes = |o: &Outcome| -> BTreeSet<String> { o.findings.iter().map(|f| f.code.to_string()).collect() };
        let (bf, hf) = (codes(&b), codes(&h));
        let findings_added: Vec<String> = hf.difference(&bf).cloned().collect();
        let findings_removed: Vec<String> = bf.difference(&hf).cloned().collect();
        if buckets.is_empty() && findings_added.is_empty() && findings_removed.is_empty() {
            continue;
        }
        let moved_twice: Money = buckets.values().map(|(x, y)| (*y - *x).max(*x - *y)).sum();
        changed.push(ClaimChange {
            id: claim.id.clone(),
            fund,
            buckets,
            rules: rules.into_iter().collect(),
            moved: Money::rounded(moved_twice.as_decimal() / rust_decimal::Decimal::TWO),
            findings_added,
            findings_removed,
            error: None,
        });
    }
    changed.sort_by(|a, b| b.moved.cmp(&a.moved).then_with(|| a.id.cmp(&b.id)));
    let buckets = totals
        .into_iter()
        .filter(|(_, (before, after, _))| !(before.is_zero() && after.is_zero()))
        .map(|((fund, bucket), (before, after, claims_changed))| BucketImpact {
            fund,
            bucket,
            before,
            after,
            delta: after - before,
            claims_changed,
        })
        .collect();
    Impact { pack_changes, buckets, claims: changed, claims_compared: claims.len(), as_of }
}

/// Markdown for a pull-request comment; at most `limit` changed claims are listed.
pub fn markdown(impact: &Impact, limit: usize) -> String {
    let mut md = String::from("## kongtun: impact of this rule change\n\n");
    md.push_str(&format!(
        "{} claims compared as of {}; {} changed.\n\n",
        impact.claims_compared,
        impact.as_of,
        impact.claims.len()
    ));
    md.push_str("### Rule changes\n\n");
    if impact.pack_changes.is_empty() {
        md.push_str("No change to the packs.\n\n");
    } else {
        md.push_str("| pack | what | change | old | new |\n|---|---|---|---|---|\n");
        for c in &impact.pack_changes {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.pack,
                c.what,
                c.change,
                cell(c.old.as_deref()),
                cell(c.new.as_deref())
            ));
        }
        md.push('\n');
    }
    md.push_str("### Money impact by fund and bucket\n\n");
    let moved: Vec<&BucketImpact> =
        impact.buckets.iter().filter(|b| !b.delta.is_zero() || b.claims_changed > 0).collect();
    if moved.is_empty() {
        md.push_str("No money moved.\n\n");
    } else {
        md.push_str("| fund | bucket | before | after | delta | claims changed |\n|---|---|---:|---:|---:|---:|\n");
        for b in moved {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                b.fund,
                b.bucket,
                b.before.grouped(),
                b.after.grouped(),
                signed(b.delta),
                b.claims_changed
            ));
        }
        md.push('\n');
    }
    if !impact.claims.is_empty() {
        md.push_str("### Changed claims (largest change first)\n\n");
        md.push_str("| claim | fund | buckets (before → after) | rules | findings |\n|---|---|---|---|---|\n");
        for c in impact.claims.iter().take(limit) {
            let buckets = match &c.error {
                Some(e) => e.clone(),
                None => c
                    .buckets
                    .iter()
                    .map(|(k, (x, y))| format!("{k} {} → {} ({})", x.grouped(), y.grouped(), signed(*y - *x)))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            let mut findings: Vec<String> = c.findings_added.iter().map(|f| format!("+{f}")).collect();
            findings.extend(c.findings_removed.iter().map(|f| format!("−{f}")));
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.id,
                c.fund,
                buckets,
                c.rules.join(", "),
                findings.join(" ")
            ));
        }
        if impact.claims.len() > limit {
            md.push_str(&format!(
                "\n{} more changed claims not shown (raise `--limit`).\n",
                impact.claims.len() - limit
            ));
        }
        md.push('\n');
    }
    let appeared: usize = impact.claims.iter().map(|c| c.findings_added.len()).sum();
    let disappeared: usize = impact.claims.iter().map(|c| c.findings_removed.len()).sum();
    md.push_str(&format!("### Findings\n\n{appeared} appeared, {disappeared} disappeared.\n"));
    md
}

fn cell(text: Option<&str>) -> String {
    text.map(|t| format!("`{}`", t.replace('|', "\\|"))).unwrap_or_else(|| "—".into())
}

fn signed(m: Money) -> String {
    if m.is_negative() || m.is_zero() {
        m.grouped()
    } else {
        format!("+{}", m.grouped())
    }
}
