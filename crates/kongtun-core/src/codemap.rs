//! Code maps (`kind: code-map` under `rules/`): an exchange format's codes to kongtun's, kept
//! in YAML so that a new code is an edit of policy, not of Rust. The map `funds`
//! (`rules/codes/funds.yaml`) is the one fund-alias table: the e-Claim reader takes a claim's
//! fund from the INSCL code of INS through it, and the claim-sheet reader the fund a clerk
//! typed (`บัตรทอง`, `OFC`, `ประกันสังคม`).
//!
//! ```yaml
//! kind: code-map
//! id: funds
//! title: fund codes and names to kongtun fund
//! source: where the codes come from
//! codes:          # the exchange codes: a writer writes the first code of a value
//!   UCS: UC
//!   OFC: CSMBS
//! aliases:        # other names read for a value, never written
//!   บัตรทอง: UC
//!   ข้าราชการ: CSMBS
//! ```
//!
//! Codes and aliases are matched trimmed and in any (ASCII) letter case; a name listed twice,
//! in either section and in any case, is an error.
//!
//! ```
//! use kongtun_core::codemap::CodeMaps;
//! use kongtun_core::rulebook::Rulebook;
//!
//! let book = Rulebook::from_sources(&[(
//!     "codes/funds.yaml".into(),
//!     "kind: code-map\nid: funds\ncodes:\n  UCS: UC\n  WEL: UC\n  OFC: CSMBS\naliases:\n  UC: UC\n  บัตรทอง: UC\n  SELF: SELF\n".into(),
//! )]);
//! let maps = CodeMaps::from_rulebook(&book).unwrap();
//! let funds = maps.get("funds").unwrap();
//! assert_eq!(funds.get("ofc"), Some("CSMBS"));
//! assert_eq!(funds.get(" บัตรทอง "), Some("UC")); // an alias reads
//! assert_eq!(funds.code_for("UC"), Some("UCS")); // the first code of a value
//! assert_eq!(funds.code_for("SELF"), None); // an alias is never written as a code
//! assert_eq!(funds.get("XYZ"), None);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::rulebook::{DocumentKind, Rulebook};
use crate::yaml::{self, NodeKind};

/// The id of the fund map (`rules/codes/funds.yaml`): INSCL codes and fund names to funds.
pub const FUNDS: &str = "funds";

/// The id of the map the e-Claim reader takes INSCL codes through: the fund map.
pub const INSCL: &str = FUNDS;

/// The document as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeMapDoc {
    #[allow(dead_code)]
    kind: String,
    id: String,
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    codes: BTreeMap<String, String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

/// One code map: codes and aliases (upper case) to values, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeMap {
    id: String,
    file: Arc<str>,
    /// The exchange codes.
    pairs: Vec<(String, String)>,
    /// Other names read for a value.
    aliases: Vec<(String, String)>,
    /// A name to its place: `(false, i)` in `pairs`, `(true, i)` in `aliases`.
    index: HashMap<String, (bool, usize)>,
}

impl CodeMap {
    /// A map from pairs (for hosts and tests); later pairs of the same code are ignored.
    pub fn new(id: &str, file: &str, pairs: &[(&str, &str)]) -> CodeMap {
        let mut map = CodeMap {
            id: id.to_string(),
            file: Arc::from(file),
            pairs: Vec::new(),
            aliases: Vec::new(),
            index: HashMap::new(),
        };
        for (code, value) in pairs {
            map.insert(code, value, false);
        }
        map
    }

    /// The same map with other names read for values (never written: see
    /// [`CodeMap::code_for`]); a name already listed is ignored.
    pub fn with_aliases(mut self, aliases: &[(&str, &str)]) -> CodeMap {
        for (name, value) in aliases {
            self.insert(name, value, true);
        }
        self
    }

    fn insert(&mut self, code: &str, value: &str, alias: bool) -> bool {
        let key = code.trim().to_ascii_uppercase();
        if self.index.contains_key(&key) {
            return false;
        }
        let list = if alias { &mut self.aliases } else { &mut self.pairs };
        self.index.insert(key.clone(), (alias, list.len()));
        list.push((key, value.trim().to_string()));
        true
    }

    /// The map's id (`funds`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The file it was read from, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The value of a code or an alias, trimmed and in any letter case.
    pub fn get(&self, code: &str) -> Option<&str> {
        let (alias, i) = *self.index.get(&code.trim().to_ascii_uppercase())?;
        let list = if alias { &self.aliases } else { &self.pairs };
        list.get(i).map(|(_, v)| v.as_str())
    }

    /// The first code (in the order written) whose value is `value` (any letter case): the
    /// code a writer uses. Aliases are never written.
    pub fn code_for(&self, value: &str) -> Option<&str> {
        self.pairs.iter().find(|(_, v)| v.eq_ignore_ascii_case(value)).map(|(c, _)| c.as_str())
    }

    /// The codes, in the order written (not the aliases).
    pub fn codes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(c, v)| (c.as_str(), v.as_str()))
    }

    /// The aliases, in the order written.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &str)> {
        self.aliases.iter().map(|(c, v)| (c.as_str(), v.as_str()))
    }
}

/// Every code map of a rules directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeMaps {
    maps: Vec<CodeMap>,
}

impl CodeMaps {
    /// Reads the code maps of a rules directory (every problem is reported with its file
    /// and line; the directory's own reading problems are the fund packs' to report).
    pub fn load(dir: &Path) -> Result<CodeMaps, Vec<Diagnostic>> {
        CodeMaps::from_rulebook(&Rulebook::load(dir))
    }

    /// The code maps of a rules directory already read.
    pub fn from_rulebook(book: &Rulebook) -> Result<CodeMaps, Vec<Diagnostic>> {
        let mut maps: Vec<CodeMap> = Vec::new();
        let mut errors = Vec::new();
        for doc in book.of_kind(DocumentKind::CodeMap) {
            let file = &*doc.file;
            let parsed: CodeMapDoc = match yaml::from_node(&doc.root) {
                Ok(d) => d,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(e.kind.diagnostic_kind(), file, e.kind.to_string())
                            .at_opt(e.pos)
                            .field(e.field()),
                    );
                    continue;
                }
            };
            if parsed.id.trim().is_empty() {
                errors.push(
                    Diagnostic::error(DiagnosticKind::InvalidValue, file, "must not be empty")
                        .at_opt(doc.root.key_pos("id"))
                        .field("id"),
                );
                continue;
            }
            if let Some(other) = maps.iter().find(|m| m.id == parsed.id) {
                errors.push(
                    Diagnostic::error(
                        DiagnosticKind::InvalidRule,
                        file,
                        format!("code map `{}` is also defined in {}: one file per map", parsed.id, other.file),
                    )
                    .at_opt(doc.root.key_pos("id"))
                    .rule(parsed.id.as_str()),
                );
                continue;
            }
            let mut map = CodeMap::new(&parsed.id, file, &[]);
            for (section, values, alias) in [("codes", &parsed.codes, false), ("aliases", &parsed.aliases, true)] {
                // Positions of the names, in the order written (the parsed map is sorted).
                let entries: Vec<(String, yaml::Pos)> = match doc.root.get(section).map(|n| &n.kind) {
                    Some(NodeKind::Map(entries)) => {
                        entries.iter().filter_map(|(k, _)| Some((k.as_text()?.to_string(), k.pos))).collect()
                    }
                    _ => Vec::new(),
                };
                for (code, pos) in entries {
                    let value = values.get(&code).map(String::as_str).unwrap_or("");
                    let problem = if code.trim().is_empty() || value.trim().is_empty() {
                        Some("a code and its value must not be empty".to_string())
                    } else if !map.insert(&code, value, alias) {
                        Some(format!("`{code}` is listed twice (codes are matched in any letter case)"))
                    } else {
                        None
                    };
                    if let Some(message) = problem {
                        errors.push(
                            Diagnostic::error(DiagnosticKind::InvalidValue, file, message)
                                .at(pos)
                                .rule(parsed.id.as_str())
                                .field(format!("{section}.{code}")),
                        );
                    }
                }
            }
            maps.push(map);
        }
        if errors.is_empty() {
            Ok(CodeMaps { maps })
        } else {
            Err(errors)
        }
    }

    /// The map with this id.
    pub fn get(&self, id: &str) -> Option<&CodeMap> {
        self.maps.iter().find(|m| m.id == id)
    }

    /// The fund map (INSCL codes and fund names to funds), or a diagnostic saying where it
    /// should be.
    pub fn inscl(&self, rules: &str) -> Result<&CodeMap, Diagnostic> {
        self.funds(rules)
    }

    /// The fund map (`funds`), or a diagnostic saying where it should be.
    pub fn funds(&self, rules: &str) -> Result<&CodeMap, Diagnostic> {
        self.get(FUNDS).ok_or_else(|| {
            Diagnostic::error(
                DiagnosticKind::MissingField,
                rules,
                "no code map `funds` (kind: code-map, id: funds): the e-Claim and claim-sheet readers need it to tell each claim's fund; kongtun ships rules/codes/funds.yaml",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<CodeMaps, Vec<Diagnostic>> {
        CodeMaps::from_rulebook(&Rulebook::from_sources(&[("m.yaml".into(), text.into())]))
    }

    #[test]
    fn duplicates_in_any_case_are_errors() {
        let errors = load("kind: code-map\nid: funds\ncodes:\n  UCS: UC\n  ucs: CSMBS\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("m.yaml:5:3"), "{}", errors[0]);
        assert!(errors[0].message.contains("listed twice"));
        // across the two sections too
        let errors = load("kind: code-map\nid: funds\ncodes:\n  UCS: UC\naliases:\n  ucs: UC\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "m.yaml:6:3: funds: aliases.ucs: `ucs` is listed twice (codes are matched in any letter case)"
        );
    }

    #[test]
    fn unknown_keys_and_empty_values_are_errors() {
        let e = load("kind: code-map\nid: funds\ncodez: {}\n").unwrap_err();
        assert!(e[0].message.contains("codez"), "{}", e[0]);
        let e = load("kind: code-map\nid: funds\ncodes:\n  UCS: ''\n").unwrap_err();
        assert!(e[0].message.contains("must not be empty"), "{}", e[0]);
    }

    #[test]
    fn order_is_kept_for_writers() {
        let maps = load("kind: code-map\nid: funds\naliases:\n  UC: UC\ncodes:\n  WEL: UC\n  UCS: UC\n").unwrap();
        let funds = maps.get("funds").unwrap();
        assert_eq!(funds.code_for("uc"), Some("WEL"));
        assert_eq!(funds.get("uc"), Some("UC"));
        assert_eq!(funds.aliases().collect::<Vec<_>>(), vec![("UC", "UC")]);
        assert!(maps.inscl("rules").is_ok());
        let missing = CodeMaps::default().funds("rules").unwrap_err();
        assert!(missing.message.starts_with("no code map `funds`"), "{missing}");
    }

    #[test]
    fn aliases_in_code() {
        let map = CodeMap::new("funds", "f.yaml", &[("UCS", "UC")]).with_aliases(&[("บัตรทอง", "UC"), ("ucs", "SSS")]);
        assert_eq!(map.get("บัตรทอง"), Some("UC"));
        assert_eq!(map.get("UCS"), Some("UC")); // a name already listed is ignored
        assert_eq!(map.code_for("UC"), Some("UCS"));
    }
}
