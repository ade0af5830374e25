//! The one place kongtun reads YAML (and JSON, a subset of YAML 1.2).
//!
//! Claim documents and rule packs are parsed into a [`Node`] tree that keeps the line and
//! column of every value and the exact text of every scalar, then deserialized with serde
//! through [`from_node`]. Keeping the source text means:
//! - every error points at a line and column, even errors found after parsing
//!   (a discharge date before the service date, an unknown parameter in a rule);
//! - `code: 2006` reads as the text `2006` when a string is wanted, and `price: 1500.005`
//!   reaches the decimal parser as written, never through a float;
//! - one bad claim in a list fails alone: the rest of the file still deserializes.
//!
//! The parser is `saphyr-parser` (YAML 1.2, spans, no unsafe C). Anchors and aliases are
//! refused and nesting is limited to [`MAX_DEPTH`], so a hostile document (an alias "billion
//! laughs" bomb, a 10,000-deep list) is a clear error, never a hang or a stack overflow.
//! Writing YAML (`to_string`) uses `serde_yaml`. To swap either crate, change this module.
//!
//! ```
//! use kongtun_core::yaml;
//! #[derive(serde::Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct Item { code: String, qty: u32 }
//!
//! let doc = yaml::parse("code: 2006\nqty: 2\n").unwrap().unwrap();
//! let item: Item = yaml::from_node(&doc).unwrap();
//! assert_eq!(item.code, "2006");
//!
//! let doc = yaml::parse("code: X\nqty: 2\nprize: 3\n").unwrap().unwrap();
//! let err = yaml::from_node::<Item>(&doc).err().unwrap();
//! assert_eq!(err.pos.map(|p| p.line), Some(3));
//! assert_eq!(err.field(), "prize");
//! ```

use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::Serialize;

/// Deepest nesting of lists and maps accepted in a document.
pub const MAX_DEPTH: usize = 64;

/// A position in a document, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Pos {
    /// A position from a parser's counts (saturating at `u32::MAX`).
    pub fn new(line: usize, column: usize) -> Pos {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Pos { line: clamp(line), column: clamp(column) }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A parsed value with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: NodeKind,
    /// Where it starts (for a block scalar, `|` or `>`, its first character of content).
    pub pos: Pos,
    /// For a block scalar, the length in characters of each of its source lines after the
    /// indentation, so a position inside the value can be found on its line.
    pub block: Option<Box<[u32]>>,
}

/// The three kinds of YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar as written; `plain` is false for quoted or block scalars, which are always text.
    Scalar {
        /// The scalar's text, escapes resolved.
        text: String,
        /// Unquoted: may be read as null, a boolean or a number.
        plain: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are unique.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The position of the key `key` when this is a mapping.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(k, _)| k.pos),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for a plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if is_null_text(text))
    }

    /// A short description for error messages: "a list", "a mapping", "the text `x`".
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Scalar { text, .. } if text.chars().count() > 40 => {
                format!("`{}...`", text.chars().take(40).collect::<String>())
            }
            NodeKind::Scalar { text, .. } => format!("`{text}`"),
            NodeKind::Seq(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping".to_string(),
        }
    }
}

/// A document that is not well-formed YAML, or uses what kongtun refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct YamlError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
}

/// Parses one document. `Ok(None)` for an empty document; more than one document is an error.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let mut builder = Builder { stack: Vec::new(), root: None, docs: 0, source: text };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            pos: Pos::new(e.marker().line(), e.marker().col() + 1),
            message: match e.info() {
                info if info.contains("recursion limit") => format!("nested too deeply ({info})"),
                info => info.to_string(),
            },
        })?;
        let pos = Pos::new(span.start.line(), span.start.col() + 1);
        builder.event(event, pos, span.end.line())?;
    }
    Ok(builder.root)
}

/// A container being built: its start, its items, and a key waiting for its value.
struct Open {
    pos: Pos,
    items: Vec<Node>,
    is_map: bool,
}

struct Builder<'t> {
    stack: Vec<Open>,
    root: Option<Node>,
    docs: usize,
    source: &'t str,
}

impl Builder<'_> {
    /// The content lengths of the source lines of a block scalar starting at `pos` and ending
    /// before line `end` (1-based), after its indentation.
    fn block_lines(&self, pos: Pos, end: usize) -> Box<[u32]> {
        let first = pos.line as usize;
        let indent = (pos.column as usize).saturating_sub(1);
        let last = end.max(first + 1);
        self.source
            .lines()
            .skip(first.saturating_sub(1))
            .take(last - first)
            .map(|l| l.trim_end_matches('\r').chars().skip(indent).count() as u32)
            .collect()
    }

    fn event(&mut self, event: Event<'_>, pos: Pos, end_line: usize) -> Result<(), YamlError> {
        let refuse =
            |what: &str| YamlError { pos, message: format!("{what} are not supported: write each value out in full") };
        match event {
            Event::DocumentStart(_) => {
                self.docs += 1;
                if self.docs > 1 {
                    return Err(YamlError {
                        pos,
                        message:
                            "more than one YAML document (`---`) in a file; put claims in one list under `claims:`"
                                .into(),
                    });
                }
            }
            Event::Alias(_) => return Err(refuse("aliases (*name)")),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor > 0 {
                    return Err(refuse("anchors (&name)"));
                }
                let plain = style == ScalarStyle::Plain && tag.is_none();
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    .then(|| self.block_lines(pos, end_line));
                self.push(Node { kind: NodeKind::Scalar { text: text.into_owned(), plain }, pos, block })?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor > 0 {
                    return Err(refuse("anchors (&name)"));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(YamlError { pos, message: format!("nested deeper than {MAX_DEPTH} levels") });
                }
                let is_map = matches!(event, Event::MappingStart(..));
                self.stack.push(Open { pos, items: Vec::new(), is_map });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Ok(());
                };
                let kind = if open.is_map { NodeKind::Map(pair_up(open.items)?) } else { NodeKind::Seq(open.items) };
                self.push(Node { kind, pos: open.pos, block: None })?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            Some(open) => open.items.push(node),
            None => self.root = Some(node),
        }
        Ok(())
    }
}

/// Pairs a mapping's alternating keys and values, refusing duplicate and non-text keys.
fn pair_up(items: Vec<Node>) -> Result<Vec<(Node, Node)>, YamlError> {
    let mut entries: Vec<(Node, Node)> = Vec::with_capacity(items.len() / 2);
    let mut it = items.into_iter();
    while let (Some(key), Some(value)) = (it.next(), it.next()) {
        let Some(name) = key.as_text() else {
            return Err(YamlError {
                pos: key.pos,
                message: "a mapping key must be text, not a list or mapping".into(),
            });
        };
        if let Some((first, _)) = entries.iter().find(|(k, _)| k.as_text() == Some(name)) {
            return Err(YamlError {
                pos: key.pos,
                message: format!("duplicate key `{name}` (first at line {})", first.pos.line),
            });
        }
        entries.push((key, value));
    }
    Ok(entries)
}

/// Writes a value as YAML that [`parse`] reads back unchanged.
///
/// `serde_yaml` (libyaml, YAML 1.1) writes U+2028 and U+2029 raw inside quoted text and
/// treats them as line breaks; a YAML 1.2 reader, [`parse`] included, keeps them as text
/// together with the indentation written after them. A value holding either character is
/// therefore written in JSON style, which is YAML 1.2 and reads back exactly.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let text = serde_yaml::to_string(value).map_err(|e| e.to_string())?;
    if !text.contains(['\u{2028}', '\u{2029}']) {
        return Ok(text);
    }
    let mut json = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok(json)
}

fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn looks_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    (t.contains(['.', 'e', 'E']) && t.parse::<f64>().is_ok() && t.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
        || matches!(t, ".inf" | ".Inf" | ".INF")
        || matches!(text, ".nan" | ".NaN" | ".NAN")
}

mod de;
mod spanned;

pub use de::{from_node, render_path, DeError, DeErrorKind, PathSegment};
pub use spanned::Spanned;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Line {
        code: String,
        qty: u32,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        items: Vec<Line>,
    }

    fn doc(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn positions_point_at_the_bad_value() {
        let n = doc("items:\n  - code: A\n    qty: 1\n  - code: B\n    qty: lots\n");
        let e = from_node::<Doc>(&n).unwrap_err();
        assert_eq!(e.pos, Some(Pos { line: 5, column: 10 }));
        assert_eq!(e.field(), "items[1].qty");
    }

    #[test]
    fn missing_field_points_at_its_mapping() {
        let n = doc("items:\n  - code: A\n");
        let e = from_node::<Doc>(&n).unwrap_err();
        assert_eq!(e.kind, DeErrorKind::Missing("qty".into()));
        assert_eq!(e.field(), "items[0].qty");
        assert_eq!(e.pos.map(|p| p.line), Some(2));
    }

    #[test]
    fn unknown_field_suggests_the_near_one() {
        let n = doc("items:\n  - code: A\n    qty: 1\n    nots: x\n");
        let e = from_node::<Doc>(&n).unwrap_err();
        assert_eq!(e.field(), "items[0].nots");
        assert_eq!(e.pos.map(|p| p.line), Some(4));
        assert!(e.to_string().contains("did you mean `note`"), "{e}");
    }

    #[test]
    fn numbers_stay_text_when_text_is_wanted() {
        let n = doc("{\"items\": [{\"code\": 2006, \"qty\": 2, \"note\": 81.50}]}");
        let d: Doc = from_node(&n).unwrap();
        assert_eq!(d.items[0].code, "2006");
        assert_eq!(d.items[0].note.as_deref(), Some("81.50"));
    }

    #[test]
    fn refuses_aliases_duplicates_and_depth() {
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        assert!(parse("a: 1\na: 2\n").unwrap_err().message.contains("duplicate key"));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        assert_eq!(parse("").unwrap(), None);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("items:\n  - code: [A\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e}");
    }

    #[test]
    fn spanned_values_know_where_they_were() {
        #[derive(Deserialize)]
        struct Rule {
            when: Spanned<String>,
        }
        let n = doc("rules:\n  - when: \"line.qty > 2\"\n");
        #[derive(Deserialize)]
        struct Doc {
            rules: Vec<Rule>,
        }
        let d: Doc = from_node(&n).unwrap();
        let when = &d.rules[0].when;
        assert_eq!(when.value, "line.qty > 2");
        assert_eq!(when.pos, Some(Pos { line: 2, column: 11 }));
        assert_eq!(when.pos_at(5), Some(Pos { line: 2, column: 17 }));
    }
}
