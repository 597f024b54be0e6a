//! The tree of [`crate::parse_borrowed`]: like [`crate::Node`], but a
//! string without escapes (nearly all of them) and a number point into the
//! parsed text instead of being copied. A reader that keeps only some of a
//! document's strings — a playground file's requests, say — then allocates
//! only those: copying every key and value into its own allocation, to free
//! them all moments later, was most of the cost of reading a file.

use crate::{JsonMember, JsonNode, Span, View};
use std::borrow::Cow;

/// A JSON value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value.
    pub value: Value<'a>,
    /// Where it stands in the text.
    pub span: Span,
}

/// A JSON value whose strings borrow from the text when they can.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped (owned only when it had escapes).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object, members in text order.
    Object(Vec<Member<'a>>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// The span of the key including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    /// The same tree with owned strings: what [`crate::parse`] gives for
    /// the same text.
    pub fn to_owned_node(&self) -> crate::Node {
        let value = match &self.value {
            Value::Null => crate::Value::Null,
            Value::Bool(b) => crate::Value::Bool(*b),
            Value::Number(n) => crate::Value::Number(n.to_string()),
            Value::String(s) => crate::Value::String(s.to_string()),
            Value::Array(items) => {
                crate::Value::Array(items.iter().map(Node::to_owned_node).collect())
            }
            Value::Object(members) => crate::Value::Object(
                members
                    .iter()
                    .map(|m| crate::Member {
                        key: m.key.to_string(),
                        key_span: m.key_span,
                        value: m.value.to_owned_node(),
                    })
                    .collect(),
            ),
        };
        crate::Node {
            value,
            span: self.span,
        }
    }
}

impl<'a> JsonNode for Node<'a> {
    type Member = Member<'a>;
    fn span(&self) -> Span {
        self.span
    }
    fn view(&self) -> View<'_, Node<'a>> {
        match &self.value {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n),
            Value::String(s) => View::String(s),
            Value::Array(items) => View::Array(items),
            Value::Object(members) => View::Object(members),
        }
    }
    fn to_owned_node(&self) -> crate::Node {
        Node::to_owned_node(self)
    }
}

impl<'a> JsonMember for Member<'a> {
    type Node = Node<'a>;
    fn key(&self) -> &str {
        &self.key
    }
    fn key_span(&self) -> Span {
        self.key_span
    }
    fn value(&self) -> &Node<'a> {
        &self.value
    }
}
