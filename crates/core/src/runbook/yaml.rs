//! YAML as a tree with the line and column of every node, and typed values read from it.
//!
//! serde-saphyr parses (with its budgets, duplicate-key refusal and alias handling), but its
//! deserializer is instantiated once, for [`Node`]. Every model (runbooks, scenarios,
//! matrices, the linter's position mirrors) then deserializes from the tree through the small
//! [`serde::Deserializer`] below, whose errors carry the position of the node they are about.
//! Instantiating serde-saphyr's deserializer for each of some forty model types was a quarter
//! of the web app's code.
//!
//! Plain scalars keep their text, so a field that wants text takes `version: 1.0` as `1.0`
//! (as YAML authors expect) while a field that wants a number or a boolean gets one.
//! [`Positioned`] asks the tree for where a value stands, for the linter's diagnostics.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// One node of the document: where it starts, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub line: u64,
    pub column: u64,
    pub kind: Kind,
    /// Byte offset and length of the node in the source, when the parser knows them.
    bytes: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    /// A plain scalar YAML reads as a boolean or a number, with its text as written.
    Bool(bool, String),
    Int(i128, String),
    Float(f64, String),
    /// Any other scalar: a quoted one, or a plain one that is text.
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A value and where it stands in the source (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Positioned<T> {
    pub line: u64,
    pub column: u64,
    pub value: T,
}

/// A problem with a node, and the node's position once known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Reads YAML `text` into a tree; errors are serde-saphyr's, with their positions.
pub(crate) fn read(
    text: &str,
    options: serde_saphyr::Options,
) -> Result<Node, serde_saphyr::Error> {
    let mut node: Node = serde_saphyr::from_str_with_options(text, options)?;
    node.recover_text(text);
    Ok(node)
}

/// A typed value from the tree.
pub(crate) fn from_node<'de, T: Deserialize<'de>>(node: &Node) -> Result<T, TreeError> {
    T::deserialize(De { node }).map_err(|e| e.at(node))
}

impl Node {
    /// Plain scalars were read by type; their text as written is taken back from `source`.
    fn recover_text(&mut self, source: &str) {
        let written = self
            .bytes
            .and_then(|(at, len)| source.get(at..at + len))
            .map(str::to_owned);
        match &mut self.kind {
            Kind::Bool(_, text) | Kind::Int(_, text) | Kind::Float(_, text) => {
                if let Some(written) = written {
                    *text = written;
                }
            }
            Kind::Seq(items) => items.iter_mut().for_each(|n| n.recover_text(source)),
            Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.recover_text(source);
                v.recover_text(source);
            }),
            Kind::Null | Kind::Str(_) => {}
        }
    }

    fn what(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "nothing",
            Kind::Bool(..) => "a boolean",
            Kind::Int(..) | Kind::Float(..) => "a number",
            Kind::Str(_) => "a text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// The node as text, if it is a scalar.
    fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) | Kind::Bool(_, s) | Kind::Int(_, s) | Kind::Float(_, s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let bytes = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(at, len)| Some((usize::try_from(at).ok()?, usize::try_from(len).ok()?)));
        Ok(Node {
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
            kind: spanned.value,
            bytes,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Kind, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v, v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(i128::from(v), v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Int(i128::from(v), v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind::Int(v, v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
        Ok(match i128::try_from(v) {
            Ok(i) => Kind::Int(i, v.to_string()),
            Err(_) => Kind::Str(v.to_string()),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v, v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Kind::Seq(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        // Keys are read as text: every key of our formats is one, and a key the parser must
        // capture as a whole node costs it a replay of that node's events.
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let key = Node {
                line: key.referenced.line(),
                column: key.referenced.column(),
                kind: Kind::Str(key.value),
                bytes: None,
            };
            entries.push((key, map.next_value::<Node>()?));
        }
        Ok(Kind::Map(entries))
    }
}

impl TreeError {
    fn at(mut self, node: &Node) -> TreeError {
        if self.line == 0 {
            self.line = node.line;
            self.column = node.column;
        }
        self
    }

    fn new(node: &Node, message: impl Into<String>) -> TreeError {
        TreeError {
            line: node.line,
            column: node.column,
            message: message.into(),
        }
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TreeError {}

impl de::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> TreeError {
        TreeError {
            line: 0,
            column: 0,
            message: msg.to_string(),
        }
    }

    // The phrasing YAML authors read (no backticks around every expected name).
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> TreeError {
        de::Error::custom(if expected.is_empty() {
            format!("unknown field `{field}`, there are no fields")
        } else {
            format!(
                "unknown field `{field}`, expected one of {}",
                expected.join(", ")
            )
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> TreeError {
        de::Error::custom(format!(
            "unknown variant `{variant}`, expected one of {}",
            expected.join(", ")
        ))
    }
}

/// The deserializer over one node.
#[derive(Clone, Copy)]
struct De<'a> {
    node: &'a Node,
}

/// The name [`Positioned`] asks for, so that the deserializer hands it the node's position.
const POSITIONED: &str = "$stepwise::Positioned";

impl<'de, 'a> de::Deserializer<'de> for De<'a> {
    type Error = TreeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        let result = match &self.node.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b, _) => visitor.visit_bool(*b),
            Kind::Int(i, _) => match (u64::try_from(*i), i64::try_from(*i)) {
                (Ok(u), _) => visitor.visit_u64(u),
                (_, Ok(s)) => visitor.visit_i64(s),
                _ => visitor.visit_i128(*i),
            },
            Kind::Float(f, _) => visitor.visit_f64(*f),
            Kind::Str(s) => visitor.visit_str(s),
            Kind::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.iter(),
            }),
            Kind::Map(entries) => visitor.visit_map(MapDe::new(entries)),
        };
        result.map_err(|e| e.at(self.node))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node.text() {
            Some(text) => visitor
                .visit_str::<TreeError>(text)
                .map_err(|e| e.at(self.node)),
            None => Err(TreeError::new(self.node, "expected a text here")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Bool(b, _) => visitor
                .visit_bool::<TreeError>(*b)
                .map_err(|e| e.at(self.node)),
            _ => Err(TreeError::new(self.node, "expected `true` or `false`")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Null => visitor.visit_unit(),
            _ => Err(TreeError::new(
                self.node,
                format!("expected nothing, found {}", self.node.what()),
            )),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Seq(items) => visitor
                .visit_seq(SeqDe {
                    items: items.iter(),
                })
                .map_err(|e| e.at(self.node)),
            _ => Err(TreeError::new(self.node, "expected a list here")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Map(entries) => {
                let mut access = MapDe::new(entries);
                let value = visitor.visit_map(&mut access);
                // A field found missing after the last key is reported at that key, as the
                // author reads it: where the mapping ended without it.
                value.map_err(|e| match access.last_key {
                    Some(key) => e.at(key),
                    None => e.at(self.node),
                })
            }
            _ => Err(TreeError::new(
                self.node,
                "expected a mapping of `key: value` lines here",
            )),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        if name == POSITIONED {
            return visitor.visit_map(PositionDe {
                node: self.node,
                step: 0,
            });
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        match (&self.node.kind, self.node.text()) {
            (_, Some(text)) => visitor
                .visit_enum(text.into_deserializer())
                .map_err(|e: TreeError| e.at(self.node)),
            (Kind::Map(entries), _) if entries.len() == 1 => visitor
                .visit_enum(EnumDe {
                    key: &entries[0].0,
                    value: &entries[0].1,
                })
                .map_err(|e| e.at(self.node)),
            _ => Err(TreeError::new(
                self.node,
                "expected one of the names listed for this field",
            )),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        visitor.visit_unit()
    }

    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, TreeError> {
        self.number(v)
    }

    serde::forward_to_deserialize_any! {
        u128 i128 bytes byte_buf unit_struct tuple tuple_struct
    }
}

impl De<'_> {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match &self.node.kind {
            Kind::Int(..) | Kind::Float(..) => de::Deserializer::deserialize_any(self, visitor),
            _ => Err(TreeError::new(
                self.node,
                format!("expected a number, found {}", self.node.what()),
            )),
        }
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
}

impl<'de, 'a> de::SeqAccess<'de> for SeqDe<'a> {
    type Error = TreeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TreeError> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(De { node })
                .map(Some)
                .map_err(|e| e.at(node)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    entries: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a Node>,
    last_key: Option<&'a Node>,
}

impl<'a> MapDe<'a> {
    fn new(entries: &'a [(Node, Node)]) -> MapDe<'a> {
        MapDe {
            entries: entries.iter(),
            value: None,
            last_key: None,
        }
    }
}

impl<'de, 'a> de::MapAccess<'de> for MapDe<'a> {
    type Error = TreeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                self.last_key = Some(key);
                seed.deserialize(De { node: key })
                    .map(Some)
                    .map_err(|e| e.at(key))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        let node = self
            .value
            .take()
            .ok_or_else(|| <TreeError as de::Error>::custom("a value without its key"))?;
        seed.deserialize(De { node }).map_err(|e| e.at(node))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumDe<'a> {
    key: &'a Node,
    value: &'a Node,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumDe<'a> {
    type Error = TreeError;
    type Variant = De<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, De<'a>), TreeError> {
        let variant = seed
            .deserialize(De { node: self.key })
            .map_err(|e| e.at(self.key))?;
        Ok((variant, De { node: self.value }))
    }
}

impl<'de, 'a> de::VariantAccess<'de> for De<'a> {
    type Error = TreeError;

    fn unit_variant(self) -> Result<(), TreeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, TreeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// The synthetic mapping `{line, column, value}` a [`Positioned`] reads.
struct PositionDe<'a> {
    node: &'a Node,
    step: u8,
}

impl<'de, 'a> de::MapAccess<'de> for PositionDe<'a> {
    type Error = TreeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        let key = match self.step {
            0 => "line",
            1 => "column",
            2 => "value",
            _ => return Ok(None),
        };
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(self.node.line.into_deserializer()),
            2 => seed.deserialize(self.node.column.into_deserializer()),
            _ => seed.deserialize(De { node: self.node }),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Positioned<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Positioned<T>, D::Error> {
        struct PositionedVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PositionedVisitor<T> {
            type Value = Positioned<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value with its position")
            }

            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Positioned<T>, A::Error> {
                let (mut line, mut column, mut value) = (0, 0, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "line" => line = map.next_value()?,
                        "column" => column = map.next_value()?,
                        _ => value = Some(map.next_value()?),
                    }
                }
                let value =
                    value.ok_or_else(|| de::Error::custom("a position without its value"))?;
                Ok(Positioned {
                    line,
                    column,
                    value,
                })
            }
        }

        deserializer.deserialize_struct(
            POSITIONED,
            &["line", "column", "value"],
            PositionedVisitor(std::marker::PhantomData),
        )
    }
}
