//! Finding, reading and checking pack files, and the checks across packs (overlapping
//! versions of one fund).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kongtun_core::yaml;
use sha2::{Digest, Sha256};

use crate::error::{Level, LoadError};
use crate::format::PackDoc;
use crate::pack::{self, Diag, Pack};

/// A pack source: a name for messages and its text.
#[derive(Clone, Debug)]
pub struct Source {
    /// File name as shown in messages.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// The `.yaml` / `.yml` files under `dir`, recursively, in path order.
pub fn pack_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    for entry in entries {
        let path = entry.map_err(|e| io_error(dir, &e))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(path);
        }
    }
    Ok(())
}

fn io_error(path: &Path, e: &std::io::Error) -> LoadError {
    LoadError { level: Level::Error, file: path.display().to_string(), pos: None, rule: None, message: e.to_string() }
}

/// Reads the pack sources under a directory.
pub fn read_dir(dir: &Path) -> Result<Vec<Source>, Vec<LoadError>> {
    let files = pack_files(dir).map_err(|e| vec![e])?;
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match std::fs::read_to_string(&f) {
            Ok(text) => sources.push(Source { name: f.display().to_string(), text }),
            Err(e) => errors.push(io_error(&f, &e)),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// The `kind:` of a YAML document, if it has one at the top level.
pub fn kind_of(root: &yaml::Node) -> Option<&str> {
    root.get("kind").and_then(yaml::Node::as_text)
}

/// Compiles every `kind: fund-pack` source; other kinds (pack tests, policies) are left to
/// their own readers. Returns the packs and every diagnostic (errors and warnings).
pub fn compile_all(sources: &[Source]) -> (Vec<Pack>, Vec<LoadError>) {
    let mut packs = Vec::new();
    let mut found = Vec::new();
    for src in sources {
        let mut diag = Diag { file: Arc::from(src.name.as_str()), found: Vec::new() };
        match yaml::parse(&src.text) {
            Err(e) => diag.error(Some(e.pos), None, format!("YAML syntax: {}", e.message)),
            Ok(None) => diag.error(None, None, "empty file: expected a rule pack (kind: fund-pack)"),
            Ok(Some(root)) => match kind_of(&root) {
                Some("fund-pack") => {
                    if let Some(doc) = read_pack_doc(&root, &mut diag) {
                        let hash = hex(&Sha256::digest(src.text.as_bytes()));
                        if let Some(mut p) = pack::compile(doc, &hash, &mut diag) {
                            p.effective_pos = root.key_pos("effective");
                            packs.push(p);
                        }
                    }
                }
                Some(_) => {}
                None => diag.error(
                    Some(root.pos),
                    None,
                    "missing `kind:`: expected `kind: fund-pack` (or another kongtun document kind)",
                ),
            },
        }
        found.extend(diag.found);
    }
    found.extend(check_versions(&packs));
    (packs, found)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Two versions of one fund may not be in force on the same day; pack ids name one fund.
fn check_versions(packs: &[Pack]) -> Vec<LoadError> {
    let mut errors = Vec::new();
    for (i, a) in packs.iter().enumerate() {
        for b in &packs[i + 1..] {
            if a.id == b.id && a.fund != b.fund {
                errors.push(LoadError {
                    level: Level::Error,
                    file: b.file.to_string(),
                    pos: None,
                    rule: Some(b.id.to_string()),
                    message: format!(
                        "pack id `{}` is used for fund {} here and for fund {} in {}",
                        b.id, b.fund, a.fund, a.file
                    ),
                });
            }
            if a.fund != b.fund {
                continue;
            }
            let starts_before_end = |x: &Pack, y: &Pack| y.to.is_none_or(|to| x.from <= to);
            if starts_before_end(a, b) && starts_before_end(b, a) {
                let range =
                    |p: &Pack| format!("{}..{}", p.from, p.to.map(|d| d.to_string()).unwrap_or_else(|| "open".into()));
                errors.push(LoadError {
                    level: Level::Error,
                    file: b.file.to_string(),
                    pos: b.effective_pos,
                    rule: Some(format!("{}@{}", b.id, b.version)),
                    message: format!(
                        "versions of fund {} overlap: {} ({}) and {}@{} ({}, {}); a day must have one version",
                        b.fund,
                        range(b),
                        b.file,
                        a.id,
                        a.version,
                        range(a),
                        a.file
                    ),
                });
            }
        }
    }
    errors
}

/// The id of the rule, tier or check a path into a pack points inside
/// (`rules[0].wehn` -> the id of `rules[0]`), so an error there names it.
fn owner_id(root: &yaml::Node, path: &[yaml::Seg]) -> Option<String> {
    let (Some(yaml::Seg::Key(list)), Some(yaml::Seg::Index(i))) = (path.first(), path.get(1)) else {
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
fn read_pack_doc(root: &yaml::Node, diag: &mut Diag) -> Option<PackDoc> {
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
                diag.error(e.pos, owner_id(root, &e.path).as_deref(), format!("{at}{}", e.kind));
                match unknown {
                    Some(key) if removed < MAX_UNKNOWN_KEYS && remove_key(tree.to_mut(), &e.path, &key) => removed += 1,
                    _ => return None,
                }
            }
        }
    }
}

/// Removes `key` from the mapping at `path`; false when there is no such key.
fn remove_key(node: &mut yaml::Node, path: &[yaml::Seg], key: &str) -> bool {
    let mut at = node;
    for seg in path {
        let next = match (&mut at.kind, seg) {
            (yaml::NodeKind::Map(entries), yaml::Seg::Key(k)) => {
                entries.iter_mut().find(|(name, _)| name.as_text() == Some(k.as_str())).map(|(_, v)| v)
            }
            (yaml::NodeKind::Seq(items), yaml::Seg::Index(i)) => items.get_mut(*i),
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
