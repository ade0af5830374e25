//! A serde `Deserializer` over the positioned tree: errors are typed (missing, unknown,
//! invalid field) and carry the position and path of the value at fault.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::spanned::{SpannedAccess, SPANNED};
use super::{is_null_text, looks_float, parse_bool, Node, NodeKind, Pos};

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

    pub(super) fn invalid(found: impl Into<String>, expected: impl Into<String>) -> DeError {
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

pub(super) struct NodeDe<'a> {
    pub(super) node: &'a Node,
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
