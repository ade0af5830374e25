//! Compiling the fund packs of a rules directory (read once by
//! [`kongtun_core::rulebook::Rulebook`]), and the checks across packs (overlapping versions
//! of one fund).

use kongtun_core::rulebook::{DocumentKind, Rulebook};
use kongtun_core::yaml;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, DiagnosticKind};
use crate::format::PackDoc;
use crate::pack::{self, Pack, Reporter};

/// Compiles every fund pack of the rulebook. Returns the packs and every diagnostic
/// (errors and warnings), the rulebook's own reading problems first.
pub fn compile_packs(book: &Rulebook) -> (Vec<Pack>, Vec<Diagnostic>) {
    let mut packs = Vec::new();
    let mut found: Vec<Diagnostic> = book.problems().to_vec();
    for document in book.of_kind(DocumentKind::FundPack) {
        let mut reporter = Reporter::new(&document.file);
        if let Some(doc) = read_pack_doc(&document.root, &mut reporter) {
            let hash = hex(&Sha256::digest(document.text.as_bytes()));
            if let Some(mut p) = pack::compile(doc, &hash, &mut reporter) {
                p.effective_pos = document.root.key_pos("effective");
                packs.push(p);
            }
        }
        found.extend(reporter.found);
    }
    found.extend(check_versions(&packs));
    (packs, found)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Two versions of one fund may not be in force on the same day; pack ids name one fund.
fn check_versions(packs: &[Pack]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, a) in packs.iter().enumerate() {
        for b in &packs[i + 1..] {
            if a.id == b.id && a.fund != b.fund {
                let message = format!(
                    "pack id `{}` is used for fund {} here and for fund {} in {}",
                    b.id, b.fund, a.fund, a.file
                );
                errors.push(Diagnostic::error(DiagnosticKind::InvalidRule, &*b.file, message).rule(&*b.id));
            }
            if a.fund != b.fund {
                continue;
            }
            let starts_before_end = |x: &Pack, y: &Pack| y.to.is_none_or(|to| x.from <= to);
            if starts_before_end(a, b) && starts_before_end(b, a) {
                let range =
                    |p: &Pack| format!("{}..{}", p.from, p.to.map(|d| d.to_string()).unwrap_or_else(|| "open".into()));
                errors.push(
                    Diagnostic::error(
                        DiagnosticKind::InvalidRule,
                        &*b.file,
                        format!(
                            "versions of fund {} overlap: {} ({}) and {}@{} ({}, {}); a day must have one version",
                            b.fund,
                            range(b),
                            b.file,
                            a.id,
                            a.version,
                            range(a),
                            a.file
                        ),
                    )
                    .at_opt(b.effective_pos)
                    .rule(b.name()),
                );
            }
        }
    }
    errors
}

/// The id of the rule, tier or check a path into a pack points inside
/// (`rules[0].wehn` -> the id of `rules[0]`), so an error there names it.
fn owner_id(root: &yaml::Node, path: &[yaml::PathSegment]) -> Option<String> {
    let (Some(yaml::PathSegment::Key(list)), Some(yaml::PathSegment::Index(i))) = (path.first(), path.get(1)) else {
        return None;
    };
    if !matches!(list.as_str(), "rules" | "tiers" | "checks") {
        return None;
    }
    match &root.get(list)?.kind {
        yaml::NodeKind::Seq(items) => items.get(*i)?.get("id")?.as_text().map(str::to_string),
        _ => None,
    }
}

/// Most unknown keys reported for one file before giving up on finding more.
const MAX_UNKNOWN_KEYS: usize = 50;

/// Reads the pack document, reporting every unknown key, not only the first: serde stops at
/// the first, so each one found is reported, taken out of a copy of the tree, and the reading
/// tried again. Once a key was taken out, later errors may be its consequences (a misspelt
/// `pay` is then missing), so they are left for the next run.
fn read_pack_doc(root: &yaml::Node, diag: &mut Reporter) -> Option<PackDoc> {
    let mut tree = std::borrow::Cow::Borrowed(root);
    let mut removed = 0;
    loop {
        match yaml::from_node::<PackDoc>(&tree) {
            Ok(doc) if removed == 0 => return Some(doc),
            Ok(_) => return None,
            Err(e) => {
                let unknown = match &e.kind {
                    yaml::DeErrorKind::Unknown { found, .. } => Some(found.clone()),
                    _ => None,
                };
                if removed > 0 && unknown.is_none() {
                    return None;
                }
                let field = e.field();
                let at = if field.is_empty() { String::new() } else { format!("{field}: ") };
                let d = Diagnostic::error(e.kind.diagnostic_kind(), &*diag.file, format!("{at}{}", e.kind));
                diag.push(d, e.pos, owner_id(root, &e.path).as_deref());
                match unknown {
                    Some(key) if removed < MAX_UNKNOWN_KEYS && remove_key(tree.to_mut(), &e.path, &key) => removed += 1,
                    _ => return None,
                }
            }
        }
    }
}

/// Removes `key` from the mapping at `path`; false when there is no such key.
fn remove_key(node: &mut yaml::Node, path: &[yaml::PathSegment], key: &str) -> bool {
    let mut at = node;
    for seg in path {
        let next = match (&mut at.kind, seg) {
            (yaml::NodeKind::Map(entries), yaml::PathSegment::Key(k)) => {
                entries.iter_mut().find(|(name, _)| name.as_text() == Some(k.as_str())).map(|(_, v)| v)
            }
            (yaml::NodeKind::Seq(items), yaml::PathSegment::Index(i)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
    match &mut at.kind {
        yaml::NodeKind::Map(entries) => {
            let before = entries.len();
            entries.retain(|(name, _)| name.as_text() != Some(key));
            entries.len() < before
        }
        _ => false,
    }
}
