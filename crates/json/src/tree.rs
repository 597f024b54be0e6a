//! The tree a parse gives: every value with the [`Span`] of its text, and
//! the traits that let one reader take this tree or the borrowed one
//! ([`crate::borrowed`]).

use crate::escape::{string_json_len, write_string};

/// A byte range `start..end` into the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A JSON value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it stands in the text.
    pub span: Span,
}

/// A JSON value whose children carry spans.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, kept as written so that huge or precise values survive.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in text order.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The span of the key including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Value {
    /// The JSON type's name as a person would say it, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

impl Node {
    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The first member called `key` (exact), if this is an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// Scalar values as the text IAM compares: strings as they are, numbers
    /// as written, booleans as `true`/`false`. Containers and null give None.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// The length in bytes of [`Node::to_json`]'s text, without writing it.
    pub fn json_len(&self) -> usize {
        JsonNode::json_len(self)
    }

    /// Writes the value back as compact JSON (object members in order).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }
}

/// What a reader needs of a JSON tree, so that one reader takes both
/// [`Node`] (owned strings) and [`crate::borrowed::Node`] (strings borrowed from
/// the text): a policy or a request read from a borrowed tree allocates
/// only the strings it keeps.
pub trait JsonNode: Sized {
    /// An object's member.
    type Member: JsonMember<Node = Self>;
    /// Where it stands in the text.
    fn span(&self) -> Span;
    /// The value, borrowed.
    fn view(&self) -> View<'_, Self>;
    /// The same value as an owned [`Node`].
    fn to_owned_node(&self) -> Node;

    /// The string, if this is a string.
    fn as_str(&self) -> Option<&str> {
        match self.view() {
            View::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    fn as_object(&self) -> Option<&[Self::Member]> {
        match self.view() {
            View::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    fn as_array(&self) -> Option<&[Self]> {
        match self.view() {
            View::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The first member called `key` (exact), if this is an object.
    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object()?
            .iter()
            .find(|m| m.key() == key)
            .map(JsonMember::value)
    }

    /// As [`Node::scalar_text`].
    fn scalar_text(&self) -> Option<&str> {
        match self.view() {
            View::String(s) | View::Number(s) => Some(s),
            View::Bool(true) => Some("true"),
            View::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// As [`Node::json_len`]: the length of the compact JSON text.
    fn json_len(&self) -> usize {
        match self.view() {
            View::Null => 4,
            View::Bool(true) => 4,
            View::Bool(false) => 5,
            View::Number(n) => n.len(),
            View::String(s) => string_json_len(s),
            // Brackets, and a comma between items.
            View::Array(items) => {
                2 + items.len().saturating_sub(1) + items.iter().map(Self::json_len).sum::<usize>()
            }
            // Braces, commas, and a colon per member.
            View::Object(members) => {
                2 + members.len().saturating_sub(1)
                    + members
                        .iter()
                        .map(|m| string_json_len(m.key()) + 1 + m.value().json_len())
                        .sum::<usize>()
            }
        }
    }

    /// As [`Value::type_name`].
    fn type_name(&self) -> &'static str {
        match self.view() {
            View::Null => "null",
            View::Bool(_) => "boolean",
            View::Number(_) => "number",
            View::String(_) => "string",
            View::Array(_) => "array",
            View::Object(_) => "object",
        }
    }
}

/// An object's member, of either tree (see [`JsonNode`]).
pub trait JsonMember {
    /// The tree's node.
    type Node;
    /// The key, unescaped.
    fn key(&self) -> &str;
    /// The span of the key including its quotes.
    fn key_span(&self) -> Span;
    /// The value.
    fn value(&self) -> &Self::Node;
}

/// A JSON value of either tree, borrowed (see [`JsonNode::view`]).
#[derive(Debug)]
pub enum View<'n, N: JsonNode> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(&'n str),
    /// A string, unescaped.
    String(&'n str),
    /// An array.
    Array(&'n [N]),
    /// An object, members in text order.
    Object(&'n [N::Member]),
}

impl JsonNode for Node {
    type Member = Member;
    fn span(&self) -> Span {
        self.span
    }
    fn view(&self) -> View<'_, Node> {
        match &self.value {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n),
            Value::String(s) => View::String(s),
            Value::Array(items) => View::Array(items),
            Value::Object(members) => View::Object(members),
        }
    }
    fn to_owned_node(&self) -> Node {
        self.clone()
    }
}

impl JsonMember for Member {
    type Node = Node;
    fn key(&self) -> &str {
        &self.key
    }
    fn key_span(&self) -> Span {
        self.key_span
    }
    fn value(&self) -> &Node {
        &self.value
    }
}

fn write_json(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(&m.key, out);
                out.push(':');
                write_json(&m.value, out);
            }
            out.push('}');
        }
    }
}
