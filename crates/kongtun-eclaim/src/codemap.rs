//! Code maps (`kind: code-map` under `rules/`): an exchange format's codes to kongtun's, kept
//! in YAML so that a new code is an edit of policy, not of Rust. The e-Claim reader uses the
//! map `inscl` (`rules/codes/inscl.yaml`): the INSCL code of INS to the claim's fund.
//!
//! ```yaml
//! kind: code-map
//! id: inscl
//! title: e-Claim INSCL (main right) to fund
//! source: where the codes come from
//! codes:
//!   UCS: UC
//!   OFC: CSMBS
//! ```
//!
//! Codes are matched in any letter case; a code listed twice (in any case) is an error.
//!
//! ```
//! use kongtun_core::rulebook::Rulebook;
//! use kongtun_eclaim::codemap::CodeMaps;
//!
//! let book = Rulebook::from_sources(&[(
//!     "codes/inscl.yaml".into(),
//!     "kind: code-map\nid: inscl\ncodes:\n  UCS: UC\n  WEL: UC\n  OFC: CSMBS\n".into(),
//! )]);
//! let maps = CodeMaps::from_rulebook(&book).unwrap();
//! let inscl = maps.get("inscl").unwrap();
//! assert_eq!(inscl.get("ofc"), Some("CSMBS"));
//! assert_eq!(inscl.code_for("UC"), Some("UCS")); // the first code of a value
//! assert_eq!(inscl.get("XYZ"), None);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::rulebook::{DocumentKind, Rulebook};
use kongtun_core::yaml::{self, NodeKind};
use serde::Deserialize;

/// The id of the INSCL-to-fund map.
pub const INSCL: &str = "inscl";

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
}

/// One code map: codes (upper case) to values, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeMap {
    id: String,
    file: Arc<str>,
    pairs: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl CodeMap {
    /// A map from pairs (for hosts and tests); later pairs of the same code are ignored.
    pub fn new(id: &str, file: &str, pairs: &[(&str, &str)]) -> CodeMap {
        let mut map = CodeMap { id: id.to_string(), file: Arc::from(file), pairs: Vec::new(), index: HashMap::new() };
        for (code, value) in pairs {
            map.insert(code, value);
        }
        map
    }

    fn insert(&mut self, code: &str, value: &str) -> bool {
        let key = code.trim().to_ascii_uppercase();
        if self.index.contains_key(&key) {
            return false;
        }
        self.index.insert(key.clone(), self.pairs.len());
        self.pairs.push((key, value.trim().to_string()));
        true
    }

    /// The map's id (`inscl`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The file it was read from, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The value of a code, in any letter case.
    pub fn get(&self, code: &str) -> Option<&str> {
        let i = *self.index.get(&code.trim().to_ascii_uppercase())?;
        Some(self.pairs[i].1.as_str())
    }

    /// The first code (in the order written) whose value is `value` (any letter case): the
    /// code a writer uses.
    pub fn code_for(&self, value: &str) -> Option<&str> {
        self.pairs.iter().find(|(_, v)| v.eq_ignore_ascii_case(value)).map(|(c, _)| c.as_str())
    }

    /// The codes, in the order written.
    pub fn codes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(c, v)| (c.as_str(), v.as_str()))
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
            // Positions of the codes, in the order written (the parsed map is sorted).
            let entries: Vec<(String, yaml::Pos)> = match doc.root.get("codes").map(|n| &n.kind) {
                Some(NodeKind::Map(entries)) => {
                    entries.iter().filter_map(|(k, _)| Some((k.as_text()?.to_string(), k.pos))).collect()
                }
                _ => Vec::new(),
            };
            for (code, pos) in entries {
                let value = parsed.codes.get(&code).map(String::as_str).unwrap_or("");
                let problem = if code.trim().is_empty() || value.trim().is_empty() {
                    Some("a code and its value must not be empty".to_string())
                } else if !map.insert(&code, value) {
                    Some(format!("`{code}` is listed twice (codes are matched in any letter case)"))
                } else {
                    None
                };
                if let Some(message) = problem {
                    errors.push(
                        Diagnostic::error(DiagnosticKind::InvalidValue, file, message)
                            .at(pos)
                            .rule(parsed.id.as_str())
                            .field(format!("codes.{code}")),
                    );
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

    /// The INSCL map, or a diagnostic saying where it should be.
    pub fn inscl(&self, rules: &str) -> Result<&CodeMap, Diagnostic> {
        self.get(INSCL).ok_or_else(|| {
            Diagnostic::error(
                DiagnosticKind::MissingField,
                rules,
                "no code map `inscl` (kind: code-map, id: inscl): the e-Claim reader needs it to tell each claim's fund; kongtun ships rules/codes/inscl.yaml",
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
        let errors = load("kind: code-map\nid: inscl\ncodes:\n  UCS: UC\n  ucs: CSMBS\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("m.yaml:5:3"), "{}", errors[0]);
        assert!(errors[0].message.contains("listed twice"));
    }

    #[test]
    fn unknown_keys_and_empty_values_are_errors() {
        let e = load("kind: code-map\nid: inscl\ncodez: {}\n").unwrap_err();
        assert!(e[0].message.contains("codez"), "{}", e[0]);
        let e = load("kind: code-map\nid: inscl\ncodes:\n  UCS: ''\n").unwrap_err();
        assert!(e[0].message.contains("must not be empty"), "{}", e[0]);
    }

    #[test]
    fn order_is_kept_for_writers() {
        let maps = load("kind: code-map\nid: inscl\ncodes:\n  WEL: UC\n  UCS: UC\n").unwrap();
        assert_eq!(maps.get("inscl").unwrap().code_for("uc"), Some("WEL"));
        assert!(maps.inscl("rules").is_ok());
        assert!(CodeMaps::default().inscl("rules").is_err());
    }
}
