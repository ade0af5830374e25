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
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
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

// ---------------------------------------------------------------------------------------
// serde

/// One step of the path to a value: a mapping key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A key of a mapping.
    Key(String),
    /// An index into a list, from 0.
    Index(usize),
}

/// Renders a path as `items[2].price`.
pub fn render_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSegment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Why a node could not be turned into the wanted type, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{kind}", pos.map(|p| format!("{p}: ")).unwrap_or_default(), if path.is_empty() { String::new() } else { format!("{}: ", render_path(path)) })]
pub struct DeError {
    /// Where the offending value (or the mapping missing a field) starts.
    pub pos: Option<Pos>,
    /// The path to the offending value, from the node given to [`from_node`].
    pub path: Vec<PathSegment>,
    /// What is wrong.
    pub kind: DeErrorKind,
}

/// What is wrong with a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeErrorKind {
    /// A required field is absent.
    #[error("missing required field `{0}`")]
    Missing(String),
    /// A field that the format does not have (a typo guard).
    #[error("unknown field `{found}`{}; expected one of: {}", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), expected.join(", "))]
    Unknown {
        /// The field as written.
        found: String,
        /// The fields the format has.
        expected: Vec<&'static str>,
        /// The closest known field, when one is close.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong shape or type.
    #[error("expected {expected}, found {found}")]
    Invalid {
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A value refused by its type's own check, e.g. "qty must be above 0".
    #[error("{0}")]
    Rejected(String),
}

impl DeErrorKind {
    /// The kind of diagnostic this is.
    pub fn diagnostic_kind(&self) -> crate::diagnostic::DiagnosticKind {
        use crate::diagnostic::DiagnosticKind;
        match self {
            DeErrorKind::Missing(_) => DiagnosticKind::MissingField,
            DeErrorKind::Unknown { .. } => DiagnosticKind::UnknownField,
            DeErrorKind::Invalid { .. } | DeErrorKind::Rejected(_) => DiagnosticKind::InvalidValue,
        }
    }
}

impl DeError {
    /// The field path including the missing or unknown field's own name: `items[2].prize`.
    pub fn field(&self) -> String {
        let mut path = self.path.clone();
        match &self.kind {
            DeErrorKind::Missing(f) => path.push(PathSegment::Key(f.clone())),
            DeErrorKind::Unknown { found, .. } => path.push(PathSegment::Key(found.clone())),
            DeErrorKind::Invalid { .. } | DeErrorKind::Rejected(_) => {}
        }
        render_path(&path)
    }

    fn invalid(found: impl Into<String>, expected: impl Into<String>) -> DeError {
        DeError {
            pos: None,
            path: Vec::new(),
            kind: DeErrorKind::Invalid { found: found.into(), expected: expected.into() },
        }
    }

    /// Fills in the position and path of the innermost value that failed.
    fn locate(mut self, pos: Pos, path: &Path<'_>) -> DeError {
        if self.pos.is_none() {
            self.pos = Some(pos);
            self.path = path.to_vec();
        }
        self
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> DeError {
        DeError { pos: None, path: Vec::new(), kind: DeErrorKind::Rejected(msg.to_string()) }
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> DeError {
        DeError::invalid(unexp.to_string(), exp.to_string())
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> DeError {
        DeError::invalid(unexp.to_string(), exp.to_string())
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> DeError {
        DeError {
            pos: None,
            path: Vec::new(),
            kind: DeErrorKind::Unknown {
                found: field.to_string(),
                expected: expected.to_vec(),
                suggestion: crate::suggest::closest(field, expected.iter().copied(), 2),
            },
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> DeError {
        DeError::invalid(format!("`{variant}`"), format!("one of: {}", expected.join(", ")))
    }

    fn missing_field(field: &'static str) -> DeError {
        DeError { pos: None, path: Vec::new(), kind: DeErrorKind::Missing(field.to_string()) }
    }
}

/// A value with the position it was read from, for errors found after deserialization
/// (an unknown name in a rule's expression, an overlapping table row).
///
/// Only [`from_node`] fills the position; other deserializers leave it `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// Where the value starts.
    pub pos: Option<Pos>,
    /// True when the value was a quoted scalar (its text starts one column after `pos`).
    pub quoted: bool,
    /// For a block scalar (`|`, `>`), the length of each of its lines: see [`Node::block`].
    pub lines: Option<Box<[u32]>>,
    /// The value.
    pub value: T,
}

impl<T> Spanned<T> {
    /// The position of the character at `offset` (in characters) inside the scalar: on its
    /// one line, or for a block scalar on the line that holds it (each line break of the
    /// value counts one character, as in literal and plainly folded text).
    pub fn pos_at(&self, offset: usize) -> Option<Pos> {
        let p = self.pos?;
        let (mut line, column) = (p.line as usize, p.column as usize);
        let Some(lines) = &self.lines else {
            return Some(Pos::new(line, column + offset + usize::from(self.quoted)));
        };
        let mut rest = offset;
        for (k, len) in lines.iter().enumerate() {
            let len = *len as usize;
            if rest <= len || k + 1 == lines.len() {
                return Some(Pos::new(line, column + rest));
            }
            rest -= len + 1;
            line += 1;
        }
        Some(Pos::new(line, column + rest))
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

const SPANNED: &str = "$kongtun::yaml::Spanned";
const SPANNED_FIELDS: &[&str] = &["line", "column", "quoted", "lines", "value"];

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Spanned<T>, D::Error> {
        struct SpannedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let mut pos = Pos { line: 0, column: 0 };
                let mut quoted = false;
                let mut lines = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "line" => pos.line = map.next_value()?,
                        "column" => pos.column = map.next_value()?,
                        "quoted" => quoted = map.next_value()?,
                        // Line lengths of a block scalar, as `12,14` (empty for other values).
                        "lines" => {
                            let text: String = map.next_value()?;
                            lines = (!text.is_empty())
                                .then(|| text.split(',').filter_map(|n| n.parse().ok()).collect::<Box<[u32]>>());
                        }
                        _ => return Ok(Spanned { pos: Some(pos), quoted, lines, value: map.next_value()? }),
                    }
                }
                Err(de::Error::missing_field("value"))
            }
        }
        // `from_node` recognises the name and hands over the position; any other
        // deserializer sees an ordinary value.
        deserializer.deserialize_struct(SPANNED, SPANNED_FIELDS, SpannedVisitor(std::marker::PhantomData))
    }
}

/// Serves a [`Spanned`] from a node: its position first, then the value.
struct SpannedAccess<'a> {
    de: Option<NodeDe<'a>>,
    step: usize,
}

impl<'de> de::MapAccess<'de> for SpannedAccess<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match SPANNED_FIELDS.get(self.step) {
            Some(name) => seed.deserialize(name.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let step = self.step;
        self.step += 1;
        let Some(de) = self.de.as_ref() else {
            return Err(DeError::invalid("nothing", "a value"));
        };
        let pos = de.node.pos;
        let block = de.node.block.as_deref();
        let quoted = block.is_none() && matches!(de.node.kind, NodeKind::Scalar { plain: false, .. });
        match step {
            0 => seed.deserialize(pos.line.into_deserializer()),
            1 => seed.deserialize(pos.column.into_deserializer()),
            2 => seed.deserialize(quoted.into_deserializer()),
            3 => {
                let text =
                    block.map(|l| l.iter().map(u32::to_string).collect::<Vec<_>>().join(",")).unwrap_or_default();
                seed.deserialize(text.into_deserializer())
            }
            _ => match self.de.take() {
                Some(de) => seed.deserialize(de),
                None => Err(DeError::invalid("nothing", "a value")),
            },
        }
    }
}

/// Deserializes a `T` from a node; errors carry the position and path of the bad value.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(NodeDe { node, path: Path::Root })
}

/// The path to the node being deserialized, as a chain on the stack (rendered only on error).
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn to_vec(self) -> Vec<PathSegment> {
        let mut segs = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                Path::Root => break,
                Path::Key(parent, k) => {
                    segs.push(PathSegment::Key(k.to_string()));
                    cur = *parent;
                }
                Path::Index(parent, i) => {
                    segs.push(PathSegment::Index(i));
                    cur = *parent;
                }
            }
        }
        segs.reverse();
        segs
    }
}

struct NodeDe<'a> {
    node: &'a Node,
    path: Path<'a>,
}

impl<'a> NodeDe<'a> {
    fn scalar(&self) -> Result<(&'a str, bool), DeError> {
        match &self.node.kind {
            NodeKind::Scalar { text, plain } => Ok((text, *plain)),
            _ => Err(DeError::invalid(self.node.describe(), "a single value")),
        }
    }

    fn fail<T>(&self, expected: &str) -> Result<T, DeError> {
        Err(DeError::invalid(self.node.describe(), expected).locate(self.node.pos, &self.path))
    }

    fn here<T>(&self, r: Result<T, DeError>) -> Result<T, DeError> {
        r.map_err(|e| e.locate(self.node.pos, &self.path))
    }

    fn parse_int<T: std::str::FromStr>(&self, expected: &str) -> Result<T, DeError> {
        let (text, _) = self.here(self.scalar())?;
        match text.trim().parse::<T>() {
            Ok(v) => Ok(v),
            Err(_) => self.fail(expected),
        }
    }
}

macro_rules! int_methods {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let v: $ty = self.parse_int(concat!("a whole number (", stringify!($ty), ")"))?;
            self.here(visitor.$visit(v))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.node.kind {
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess { items, index: 0, path: &self.path }),
            NodeKind::Map(entries) => visitor.visit_map(MapAccess { entries, index: 0, path: &self.path }),
            NodeKind::Scalar { text, plain: false } => visitor.visit_str(text),
            NodeKind::Scalar { text, plain: true } => {
                if is_null_text(text) {
                    visitor.visit_unit()
                } else if let Some(b) = parse_bool(text) {
                    visitor.visit_bool(b)
                } else if let Ok(i) = text.parse::<i64>() {
                    visitor.visit_i64(i)
                } else if let Ok(u) = text.parse::<u64>() {
                    visitor.visit_u64(u)
                } else if looks_float(text) {
                    visitor.visit_f64(text.parse::<f64>().unwrap_or(f64::NAN))
                } else {
                    visitor.visit_str(text)
                }
            }
        };
        self.here(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let (text, _) = self.here(self.scalar())?;
        match parse_bool(text) {
            Some(b) => self.here(visitor.visit_bool(b)),
            None => self.fail("true or false"),
        }
    }

    int_methods!(
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let v: f64 = self.parse_int("a number")?;
        self.here(visitor.visit_f64(v))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // A plain `null`, `~` or nothing is no value, not the text "null" (quoted, it is text).
        if self.node.is_null() {
            let found = if self.node.as_text() == Some("") { "nothing".to_string() } else { self.node.describe() };
            return Err(DeError::invalid(found, "text").locate(self.node.pos, &self.path));
        }
        match self.scalar() {
            Ok((text, _)) => self.here(visitor.visit_str(text)),
            Err(_) => self.fail("text"),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            self.here(visitor.visit_none())
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            self.here(visitor.visit_unit())
        } else {
            self.fail("nothing (null)")
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        // An exact decimal gets the scalar as written: never through a float.
        if name == crate::decimal::EXACT_TEXT {
            if let NodeKind::Scalar { text, .. } = &self.node.kind {
                return self.here(visitor.visit_str(text));
            }
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Seq(items) => self.here(visitor.visit_seq(SeqAccess { items, index: 0, path: &self.path })),
            _ => self.fail("a list"),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Map(entries) => self.here(visitor.visit_map(MapAccess { entries, index: 0, path: &self.path })),
            _ => self.fail("a mapping of `key: value`"),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED {
            return visitor.visit_map(SpannedAccess { de: Some(self), step: 0 });
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Scalar { text, .. } => self.here(visitor.visit_enum(text.as_str().into_deserializer())),
            NodeKind::Map(entries) if entries.len() == 1 => {
                let (key, value) = &entries[0];
                let name = key.as_text().unwrap_or_default();
                let path = Path::Key(&self.path, name);
                let access = EnumAccess { name, value: NodeDe { node: value, path } };
                self.here(visitor.visit_enum(access))
            }
            _ => self.fail(&format!("one of: {}", variants.join(", "))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.scalar() {
            Ok((text, _)) => self.here(visitor.visit_str(text)),
            Err(_) => self.fail("a field name"),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a> {
    items: &'a [Node],
    index: usize,
    path: &'a Path<'a>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(node) = self.items.get(self.index) else {
            return Ok(None);
        };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        // Errors raised by the element type after it was read (a range check) land here.
        seed.deserialize(NodeDe { node, path }).map(Some).map_err(|e| e.locate(node.pos, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.index)
    }
}

struct MapAccess<'a> {
    entries: &'a [(Node, Node)],
    index: usize,
    path: &'a Path<'a>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some((key, _)) = self.entries.get(self.index) else {
            return Ok(None);
        };
        // An unknown key is reported at the key itself, under the mapping's path.
        seed.deserialize(NodeDe { node: key, path: *self.path }).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (key, value) = &self.entries[self.index];
        self.index += 1;
        let path = Path::Key(self.path, key.as_text().unwrap_or_default());
        seed.deserialize(NodeDe { node: value, path }).map_err(|e| e.locate(value.pos, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.index)
    }
}

struct EnumAccess<'a> {
    name: &'a str,
    value: NodeDe<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumAccess<'a> {
    type Error = DeError;
    type Variant = NodeDe<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, NodeDe<'a>), DeError> {
        let variant = seed.deserialize(self.name.into_deserializer())?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for NodeDe<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        if self.node.is_null() {
            Ok(())
        } else {
            self.fail("no value")
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

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
