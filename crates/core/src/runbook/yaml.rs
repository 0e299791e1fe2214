//! YAML as a tree with the line and column of every node, and typed values read from it.
//!
//! granit-parser (the maintained YAML 1.2 parser under serde-saphyr) turns the text into
//! events; [`read`] builds them into one [`Node`] tree, refusing what our files never need and
//! a hostile file would abuse: more than one document, duplicate keys, keys that are not text,
//! deep nesting, and anchors and aliases beyond [`BUDGET`]. Every model (runbooks, scenarios,
//! matrices, the linter's position mirrors) then deserializes from the tree through the small
//! [`serde::Deserializer`] below, whose errors carry the position of the node they are about.
//! Going through serde-saphyr's own deserializer instead cost a third of the parse time and
//! a tenth of the web app's bundle.
//!
//! Plain scalars keep their text, so a field that wants text takes `version: 1.0` as `1.0`
//! (as YAML authors expect) while a field that wants a number or a boolean gets one.
//! [`Positioned`] asks the tree for where a value stands, for the linter's diagnostics.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;

use super::limits::YAML_MAX_DEPTH;

/// One node of the document: where it starts, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub line: u64,
    pub column: u64,
    pub kind: Kind,
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

/// What reading one file may cost. Far above what a runbook needs, far below what hurts:
/// nesting, aliases and anchors are bounded, so "billion laughs" and deep nesting stop early.
pub(crate) struct Budget {
    pub max_depth: usize,
    pub max_aliases: usize,
    pub max_anchors: usize,
    pub max_nodes: usize,
    /// Nodes that aliases may copy in all.
    pub max_copied_nodes: usize,
}

pub(crate) const BUDGET: Budget = Budget {
    max_depth: YAML_MAX_DEPTH,
    max_aliases: 1_000,
    max_anchors: 1_000,
    max_nodes: 250_000,
    max_copied_nodes: 100_000,
};

/// Reads YAML `text` into a tree; a syntax error or a breach of `budget` is reported at its
/// line and column.
pub(crate) fn read(text: &str, budget: &Budget) -> Result<Node, TreeError> {
    let mut reader = Reader {
        budget,
        stack: Vec::new(),
        anchors: HashMap::new(),
        aliases: 0,
        nodes: 0,
        copied: 0,
        root: None,
    };
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(scan_error)?;
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(error_at(
                        &span,
                        "a second YAML document (`---`): a file holds one",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                reader.count_node(&span)?;
                let node = Node {
                    line: line_of(&span),
                    column: column_of(&span),
                    kind: scalar(value, style, tag.as_deref(), &span)?,
                };
                reader.complete(node, anchor)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                reader.open(&span, anchor, tag.as_deref(), false)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                reader.open(&span, anchor, tag.as_deref(), true)?;
            }
            Event::SequenceEnd | Event::MappingEnd => reader.close()?,
            Event::Alias(id) => {
                let node = reader.alias(id, &span)?;
                reader.complete(node, 0)?;
            }
            // Stream and document ends, and the events the parser's default options never
            // emit (comments, anchor names, unresolved aliases).
            _ => {}
        }
    }
    Ok(reader.root.unwrap_or(Node {
        line: 1,
        column: 1,
        kind: Kind::Null,
    }))
}

/// A collection being read: where it starts, its anchor, and what it holds so far.
struct Frame {
    line: u64,
    column: u64,
    anchor: usize,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        /// A key read, waiting for its value.
        key: Option<Node>,
        /// The keys so far, once there are too many to compare one by one.
        index: Option<HashSet<String>>,
    },
}

/// Up to this many keys, a new key is checked against each; beyond, against a set.
const KEYS_SCANNED: usize = 16;

struct Reader<'a> {
    budget: &'a Budget,
    stack: Vec<Frame>,
    /// Anchored nodes by the parser's anchor id, with their sizes in nodes.
    anchors: HashMap<usize, (Node, usize)>,
    aliases: usize,
    nodes: usize,
    copied: usize,
    root: Option<Node>,
}

impl Reader<'_> {
    fn count_node(&mut self, span: &Span) -> Result<(), TreeError> {
        self.nodes += 1;
        within(self.nodes, self.budget.max_nodes, "YAML nodes", span)
    }

    fn open(
        &mut self,
        span: &Span,
        anchor: usize,
        tag: Option<&Tag>,
        map: bool,
    ) -> Result<(), TreeError> {
        self.count_node(span)?;
        if self.stack.len() >= self.budget.max_depth {
            return Err(error_at(
                span,
                format!(
                    "nested deeper than the limit of {} levels",
                    self.budget.max_depth
                ),
            ));
        }
        if let Some(tag) = tag {
            let expected = if map { "map" } else { "seq" };
            if tag.core_suffix() != Some(expected) {
                return Err(unsupported_tag(tag, span));
            }
        }
        let body = if map {
            Body::Map {
                entries: Vec::new(),
                key: None,
                index: None,
            }
        } else {
            Body::Seq(Vec::new())
        };
        self.stack.push(Frame {
            line: line_of(span),
            column: column_of(span),
            anchor,
            body,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), TreeError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let kind = match frame.body {
            Body::Seq(items) => Kind::Seq(items),
            Body::Map { entries, .. } => Kind::Map(entries),
        };
        let node = Node {
            line: frame.line,
            column: frame.column,
            kind,
        };
        self.complete(node, frame.anchor)
    }

    /// A copy of the node anchored as `id`, standing where the alias does.
    fn alias(&mut self, id: usize, span: &Span) -> Result<Node, TreeError> {
        self.aliases += 1;
        within(
            self.aliases,
            self.budget.max_aliases,
            "YAML aliases (`*name`)",
            span,
        )?;
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(error_at(
                span,
                "this alias refers to the node it stands in, which has no end",
            ));
        };
        self.copied += size;
        if self.copied > self.budget.max_copied_nodes {
            return Err(error_at(
                span,
                format!(
                    "aliases that would copy their anchors beyond the limit of {} nodes (a \"billion laughs\")",
                    self.budget.max_copied_nodes
                ),
            ));
        }
        let mut copy = node.clone();
        copy.line = line_of(span);
        copy.column = column_of(span);
        Ok(copy)
    }

    /// Places a finished node: as the root, an item of its list, or a key or value of its
    /// mapping; and keeps a copy when it is anchored.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), TreeError> {
        if anchor != 0 {
            if self.anchors.len() >= self.budget.max_anchors {
                return Err(TreeError::new(
                    &node,
                    format!(
                        "more YAML anchors (`&name`) than the limit of {}",
                        self.budget.max_anchors
                    ),
                ));
            }
            self.anchors.insert(anchor, (node.clone(), node.size()));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map {
                entries,
                key,
                index,
            } => match key.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    let text = match node.text() {
                        Some(text) => text.to_owned(),
                        None => {
                            return Err(TreeError::new(
                                &node,
                                format!("a mapping key must be a text, not {}", node.what()),
                            ))
                        }
                    };
                    let duplicate = match index {
                        Some(keys) => !keys.insert(text.clone()),
                        None => {
                            let duplicate =
                                entries.iter().any(|(k, _)| k.text() == Some(text.as_str()));
                            if entries.len() >= KEYS_SCANNED {
                                let keys = entries.iter().filter_map(|(k, _)| k.text());
                                let mut keys: HashSet<String> = keys.map(str::to_owned).collect();
                                keys.insert(text.clone());
                                *index = Some(keys);
                            }
                            duplicate
                        }
                    };
                    if duplicate {
                        return Err(TreeError::new(
                            &node,
                            format!("duplicate mapping key: {text}"),
                        ));
                    }
                    *key = Some(Node {
                        line: node.line,
                        column: node.column,
                        kind: Kind::Str(text),
                    });
                }
            },
        }
        Ok(())
    }
}

/// A scalar's value: quoted and block scalars are text; a plain one is read by type.
fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: &Span,
) -> Result<Kind, TreeError> {
    let text = value.into_owned();
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            plain(text)
        } else {
            Kind::Str(text)
        });
    };
    let typed = match tag.core_suffix() {
        Some("str") => return Ok(Kind::Str(text)),
        Some("null") => matches!(plain(text.clone()), Kind::Null).then_some(Kind::Null),
        Some("bool") => yaml11_bool(&text).map(|b| Kind::Bool(b, text.clone())),
        Some("int") => integer(&text).map(|i| Kind::Int(i, text.clone())),
        Some("float") => float(&text)
            .or_else(|| integer(&text).map(|i| i as f64))
            .map(|f| Kind::Float(f, text.clone())),
        _ => return Err(unsupported_tag(tag, span)),
    };
    typed.ok_or_else(|| {
        error_at(
            span,
            format!("`{text}` is not a value of its tag `{}`", tag_text(tag)),
        )
    })
}

/// YAML's reading of a plain scalar: null, a boolean (YAML 1.1's `yes`/`no`/`on`/`off` too,
/// as most YAML tools still read them), an integer, a float, or else text.
fn plain(text: String) -> Kind {
    if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
        return Kind::Null;
    }
    if let Some(b) = yaml11_bool(&text) {
        return Kind::Bool(b, text);
    }
    // Most scalars are words: only these can start a number.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Kind::Str(text);
    }
    if let Some(i) = integer(&text) {
        return Kind::Int(i, text);
    }
    // `0123` is text (an id, a code), not the number 123.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(&text);
    if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit())
    {
        return Kind::Str(text);
    }
    match float(&text) {
        Some(f) => Kind::Float(f, text),
        None => Kind::Str(text),
    }
}

fn yaml11_bool(text: &str) -> Option<bool> {
    if text.len() > 5 {
        return None;
    }
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if is("true") || is("yes") || is("y") || is("on") {
        Some(true)
    } else if is("false") || is("no") || is("n") || is("off") {
        Some(false)
    } else {
        None
    }
}

/// A YAML 1.2 integer: decimal without a leading zero, or `0x`, `0o`, `0b`; optional sign.
fn integer(text: &str) -> Option<i128> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        return None;
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -value } else { value })
}

/// A YAML 1.2 float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`.
fn float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    match unsigned {
        ".inf" | ".Inf" | ".INF" if text.starts_with('-') => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == text.len() => return Some(f64::NAN),
        _ => {}
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if mantissa_ok && exponent_ok {
        text.parse().ok()
    } else {
        None
    }
}

/// The tag as the author spelled it (`!!int`, `!secret`).
fn tag_text(tag: &Tag) -> String {
    tag.original()
}

/// The error for a tag we do not read, at the tag rather than at its value.
fn unsupported_tag(tag: &Tag, span: &Span) -> TreeError {
    let mut error = error_at(
        span,
        format!(
            "the YAML tag `{}` is not supported here; write the value without it",
            tag_text(tag)
        ),
    );
    if let Some(mark) = span.tag_start {
        error.line = mark.line() as u64;
        error.column = mark.col() as u64 + 1;
    }
    error
}

fn line_of(span: &Span) -> u64 {
    span.start.line() as u64
}

fn column_of(span: &Span) -> u64 {
    span.start.col() as u64 + 1
}

/// `count` of `what` is within `limit`, or the error saying so at `span`.
fn within(count: usize, limit: usize, what: &str, span: &Span) -> Result<(), TreeError> {
    if count > limit {
        return Err(error_at(
            span,
            format!("more {what} than the limit of {limit}"),
        ));
    }
    Ok(())
}

fn error_at(span: &Span, message: impl Into<String>) -> TreeError {
    TreeError {
        line: line_of(span),
        column: column_of(span),
        message: message.into(),
    }
}

fn scan_error(error: ScanError) -> TreeError {
    let mark = error.marker();
    TreeError {
        line: mark.line() as u64,
        column: mark.col() as u64 + 1,
        message: error.info(),
    }
}

/// A typed value from the tree.
pub(crate) fn from_node<'de, T: Deserialize<'de>>(node: &Node) -> Result<T, TreeError> {
    T::deserialize(De { node }).map_err(|e| e.at(node))
}

impl Node {
    /// How many nodes this one is, with everything inside it.
    fn size(&self) -> usize {
        1 + match &self.kind {
            Kind::Seq(items) => items.iter().map(Node::size).sum(),
            Kind::Map(entries) => entries.iter().map(|(k, v)| k.size() + v.size()).sum(),
            _ => 0,
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

/// Every numeric `deserialize_*` of [`De`] takes a number node, whatever its width: the
/// visitor says which it wants and refuses one out of its range.
macro_rules! forward_to_number {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
            self.number(visitor)
        })*
    };
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

    forward_to_number! {
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_i8
        deserialize_i16 deserialize_i32 deserialize_i64 deserialize_f32 deserialize_f64
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        match read(text, &BUDGET) {
            Ok(node) => node,
            Err(e) => panic!("{text:?} did not read: {e}"),
        }
    }

    fn refused(text: &str) -> String {
        match read(text, &BUDGET) {
            Ok(node) => panic!("{text:?} was read as {node:?}"),
            Err(e) => format!("{}:{}: {}", e.line, e.column, e.message),
        }
    }

    fn value(text: &str) -> Kind {
        match tree(&format!("v: {text}")).kind {
            Kind::Map(mut entries) => entries.remove(0).1.kind,
            other => panic!("not a mapping: {other:?}"),
        }
    }

    #[test]
    fn plain_scalars_are_typed_and_keep_their_text() {
        assert_eq!(value("~"), Kind::Null);
        assert_eq!(value(""), Kind::Null);
        assert_eq!(value("yes"), Kind::Bool(true, "yes".into()));
        assert_eq!(value("Off"), Kind::Bool(false, "Off".into()));
        assert_eq!(value("-12"), Kind::Int(-12, "-12".into()));
        assert_eq!(value("0x1F"), Kind::Int(31, "0x1F".into()));
        assert_eq!(value("0o17"), Kind::Int(15, "0o17".into()));
        assert_eq!(value("1.0"), Kind::Float(1.0, "1.0".into()));
        assert_eq!(value(".5e3"), Kind::Float(500.0, ".5e3".into()));
        assert_eq!(
            value("-.inf"),
            Kind::Float(f64::NEG_INFINITY, "-.inf".into())
        );
        // Leading zeros, words that Rust alone would read as numbers, and dotted versions
        // are text.
        for text in [
            "0123", "inf", "nan", "1.2.3", "1e", "e5", ".", "0x", "1_000",
        ] {
            assert_eq!(value(text), Kind::Str(text.into()), "{text}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_and_str_tags_are_text() {
        assert_eq!(value("\"12\""), Kind::Str("12".into()));
        assert_eq!(value("'true'"), Kind::Str("true".into()));
        assert_eq!(value("!!str 12"), Kind::Str("12".into()));
        assert_eq!(value("!!int \"12\""), Kind::Int(12, "12".into()));
        assert_eq!(value("|\n  12\n"), Kind::Str("12\n".into()));
        assert_eq!(
            refused("v: !!int twelve"),
            "1:10: `twelve` is not a value of its tag `!!int`"
        );
        assert_eq!(
            refused("v: !secret x"),
            "1:4: the YAML tag `!secret` is not supported here; write the value without it"
        );
    }

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let root = tree("a:\n  - x\n  - {b: 1}\n");
        let Kind::Map(entries) = &root.kind else {
            panic!("{root:?}")
        };
        let (key, list) = &entries[0];
        assert_eq!((key.line, key.column), (1, 1));
        let Kind::Seq(items) = &list.kind else {
            panic!("{list:?}")
        };
        assert_eq!((items[0].line, items[0].column), (2, 5));
        assert_eq!((items[1].line, items[1].column), (3, 5));
    }

    #[test]
    fn duplicate_keys_are_refused_in_small_and_large_mappings() {
        assert_eq!(
            refused("a: 1\nb: 2\na: 3\n"),
            "3:1: duplicate mapping key: a"
        );
        let mut large: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
        large.push_str("k3: again\n");
        assert_eq!(refused(&large), "41:1: duplicate mapping key: k3");
        // Keys that differ only past the scanned ones are fine.
        let distinct: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
        assert!(matches!(tree(&distinct).kind, Kind::Map(e) if e.len() == 40));
    }

    #[test]
    fn keys_must_be_text_and_a_file_holds_one_document() {
        assert_eq!(
            refused("[a]: 1\n"),
            "1:1: a mapping key must be a text, not a list"
        );
        assert_eq!(
            refused("a: 1\n---\nb: 2\n"),
            "2:1: a second YAML document (`---`): a file holds one"
        );
        assert_eq!(tree("").kind, Kind::Null);
        assert!(refused("a: \"open\n").ends_with("unclosed quote"));
    }

    #[test]
    fn an_alias_is_a_copy_of_its_anchor_standing_where_the_alias_does() {
        let root = tree("a: &x [1, 2]\nb: *x\n");
        let Kind::Map(entries) = &root.kind else {
            panic!("{root:?}")
        };
        assert_eq!(entries[0].1.kind, entries[1].1.kind);
        assert_eq!((entries[1].1.line, entries[1].1.column), (2, 4));
        assert_eq!(
            refused("a: &x [*x]\n"),
            "1:8: this alias refers to the node it stands in, which has no end"
        );
    }

    #[test]
    fn the_budget_stops_deep_nesting_and_alias_floods_where_they_break_it() {
        let small = Budget {
            max_depth: 3,
            max_aliases: 2,
            max_anchors: 1,
            max_nodes: 20,
            max_copied_nodes: 6,
        };
        let err = |text: &str| {
            read(text, &small)
                .map(|_| ())
                .map_err(|e| (e.line, e.column, e.message))
        };
        assert!(err("a: [[1]]").is_ok());
        assert_eq!(
            err("a: [[[1]]]"),
            Err((1, 6, "nested deeper than the limit of 3 levels".into()))
        );
        assert_eq!(
            err("a: &x 1\nb: *x\nc: *x\nd: *x\n"),
            Err((
                4,
                4,
                "more YAML aliases (`*name`) than the limit of 2".into()
            ))
        );
        assert_eq!(
            err("a: &x 1\nb: &y 2\n"),
            Err((
                2,
                7,
                "more YAML anchors (`&name`) than the limit of 1".into()
            ))
        );
        let copied = err("a: &x [1, 2, 3]\nb: *x\nc: *x\n");
        assert_eq!(copied.map_err(|e| (e.0, e.1)), Err((3, 4)));
        let many: String = (0..25).map(|i| format!("k{i}: v\n")).collect();
        assert_eq!(
            err(&many).map_err(|e| e.2),
            Err("more YAML nodes than the limit of 20".into())
        );
    }
}
