//! The rules directory: every policy document under it (fund packs, the collection policy,
//! pack tests, and the kinds to come), read and parsed once, sorted by its `kind:`.
//!
//! Each crate compiles the kinds it owns from the parsed documents: `kongtun-rules` the fund
//! packs, `kongtun-ledger` the collection policy, `kongtun-audit` the pack tests,
//! `kongtun-eclaim` the code maps of exchange formats. A YAML
//! file whose kind no crate owns is an error with a "did you mean", so a mistyped `kind:`
//! never leaves a pack silently out.
//!
//! ```
//! use kongtun_core::rulebook::{DocumentKind, Rulebook};
//!
//! let book = Rulebook::from_sources(&[
//!     ("uc.yaml".into(), "kind: fund-pack\nid: uc\n".into()),
//!     ("typo.yaml".into(), "kind: fund-pak\n".into()),
//! ]);
//! assert_eq!(book.of_kind(DocumentKind::FundPack).count(), 1);
//! assert!(book.problems()[0].to_string().contains("did you mean `fund-pack`"));
//! ```

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::files;
use crate::yaml::{self, Node};

/// The kinds of policy document kongtun reads from the rules directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentKind {
    /// A fund's rule pack (`kind: fund-pack`).
    FundPack,
    /// The receivables collection policy (`kind: collection-policy`).
    CollectionPolicy,
    /// Test cases of the packs (`kind: pack-test`).
    PackTest,
    /// A map from an exchange format's codes to kongtun's (`kind: code-map`), e.g. the
    /// e-Claim INSCL codes and the fund names to a fund (`rules/codes/funds.yaml`, read by
    /// [`crate::codemap`]).
    CodeMap,
    /// The receivables chart of accounts (`kind: chart-of-accounts`, read by the ledger).
    ChartOfAccounts,
}

impl DocumentKind {
    /// Every kind, with the name written after `kind:`.
    pub const ALL: [(DocumentKind, &'static str); 5] = [
        (DocumentKind::FundPack, "fund-pack"),
        (DocumentKind::CollectionPolicy, "collection-policy"),
        (DocumentKind::PackTest, "pack-test"),
        (DocumentKind::CodeMap, "code-map"),
        (DocumentKind::ChartOfAccounts, "chart-of-accounts"),
    ];

    /// The name written after `kind:`.
    pub fn as_str(self) -> &'static str {
        DocumentKind::ALL.iter().find(|(k, _)| *k == self).map_or("", |(_, name)| name)
    }

    /// The kind written as `name`.
    pub fn from_name(name: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }
}

/// One policy document: where it came from, its text and its parsed tree.
#[derive(Clone, Debug)]
pub struct RuleDocument {
    /// The file, as shown in messages.
    pub file: Arc<str>,
    /// Its kind.
    pub kind: DocumentKind,
    /// The text as read (for hashes and diffs).
    pub text: Arc<str>,
    /// The parsed document.
    pub root: Node,
}

/// Every policy document of a rules directory, in path order.
#[derive(Clone, Debug, Default)]
pub struct Rulebook {
    documents: Vec<RuleDocument>,
    problems: Vec<Diagnostic>,
}

/// Largest policy document read (a pack is a few kilobytes; a generated table may be large).
pub const MAX_RULE_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl Rulebook {
    /// Reads every `.yaml` / `.yml` file (any letter case) under `dir`: what could be read,
    /// and every problem ([`Rulebook::problems`]): unreadable files, YAML syntax, a missing
    /// or unknown `kind:`.
    pub fn load(dir: &Path) -> Rulebook {
        let walk = files::walk(dir, |p| files::has_extension(p, &["yaml", "yml"]));
        let mut problems = walk.notes;
        if walk.files.is_empty() && problems.iter().all(|d| !d.is_error()) && !dir.is_dir() && !dir.is_file() {
            problems.push(Diagnostic::error(DiagnosticKind::Io, dir.display().to_string(), "no such directory"));
        }
        let mut sources = Vec::new();
        for f in walk.files {
            let name = f.display().to_string();
            match read_capped(&f) {
                Ok(text) => sources.push((name, text)),
                Err(message) => problems.push(Diagnostic::error(DiagnosticKind::Io, name, message)),
            }
        }
        let mut book = Rulebook::from_sources(&sources);
        problems.append(&mut book.problems);
        book.problems = problems;
        book
    }

    /// Like [`Rulebook::load`], from `(file name, text)` pairs (e.g. read from git).
    pub fn from_sources(sources: &[(String, String)]) -> Rulebook {
        let mut book = Rulebook::default();
        let problems = &mut book.problems;
        for (name, text) in sources {
            let error = |kind, message: String| Diagnostic::error(kind, name.as_str(), message);
            let root = match yaml::parse(text) {
                Ok(Some(root)) => root,
                Ok(None) => {
                    problems.push(error(
                        DiagnosticKind::UnknownKind,
                        "empty file: expected a rule pack (kind: fund-pack)".into(),
                    ));
                    continue;
                }
                Err(e) => {
                    problems.push(error(DiagnosticKind::Syntax, format!("YAML syntax: {}", e.message)).at(e.pos));
                    continue;
                }
            };
            let Some(kind_text) = root.get("kind").and_then(Node::as_text) else {
                problems.push(
                    error(
                        DiagnosticKind::UnknownKind,
                        "missing `kind:`: expected `kind: fund-pack` (or another kongtun document kind)".into(),
                    )
                    .at(root.pos),
                );
                continue;
            };
            let Some(kind) = DocumentKind::from_name(kind_text) else {
                let known = DocumentKind::ALL.map(|(_, n)| n);
                let hint = crate::suggest::closest(kind_text, known, 3)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                let pos = root.get("kind").map(|n| n.pos).unwrap_or(root.pos);
                problems.push(
                    error(
                        DiagnosticKind::UnknownKind,
                        format!("unknown kind `{kind_text}`{hint}; kinds are: {}", known.join(", ")),
                    )
                    .at(pos),
                );
                continue;
            };
            book.documents.push(RuleDocument {
                file: Arc::from(name.as_str()),
                kind,
                text: Arc::from(text.as_str()),
                root,
            });
        }
        book
    }

    /// Problems found reading the directory: unreadable files, YAML syntax, a missing or
    /// unknown `kind:` (warnings for links that loop and special files).
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// The documents of one kind, in path order.
    pub fn of_kind(&self, kind: DocumentKind) -> impl Iterator<Item = &RuleDocument> {
        self.documents.iter().filter(move |d| d.kind == kind)
    }

    /// `(file, text)` of every document, in path order (to change and read again).
    pub fn sources(&self) -> Vec<(String, String)> {
        self.documents.iter().map(|d| (d.file.to_string(), d.text.to_string())).collect()
    }

    /// Every document, in path order.
    pub fn documents(&self) -> &[RuleDocument] {
        &self.documents
    }
}

/// Reads a file of at most [`MAX_RULE_FILE_BYTES`], as UTF-8.
fn read_capped(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| files::io_message(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| files::io_message(&e))?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(format!("larger than {} MB: not a policy document", MAX_RULE_FILE_BYTES / (1024 * 1024)));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}
