//! `Spanned<T>`: a value with the position it was read from, kept past deserialization.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Serialize;

use super::de::{DeError, NodeDe};
use super::{NodeKind, Pos};

/// A value with the position it was read from, for errors found after deserialization
/// (an unknown name in a rule's expression, an overlapping table row).
///
/// Only [`from_node`](super::from_node) fills the position; other deserializers leave it `None`.
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

pub(super) const SPANNED: &str = "$kongtun::yaml::Spanned";
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
pub(super) struct SpannedAccess<'a> {
    pub(super) de: Option<NodeDe<'a>>,
    pub(super) step: usize,
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
