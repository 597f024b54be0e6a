//! A small JSON parser that remembers where everything came from.
//!
//! `serde_json` throws positions away once a value is built, but the
//! playground must underline the exact statement, key or value a finding is
//! about, in the text the user pasted. This crate parses JSON (RFC 8259) into
//! a tree whose every node carries its byte [`Span`], reports errors with a
//! code and a span, refuses duplicate object keys (IAM rejects them too), and
//! bounds nesting depth so no input can exhaust the stack.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::fmt;

pub mod borrowed;

/// The deepest nesting accepted. IAM policies need about six levels; the
/// bound protects the recursive parser from stack exhaustion.
pub const MAX_DEPTH: usize = 64;

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
/// [`Node`] (owned strings) and [`borrowed::Node`] (strings borrowed from
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

/// Appends `s` as a JSON string literal.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    write_string_content(s, out);
    out.push('"');
}

/// Appends `s` escaped as inside a JSON string literal, without the
/// quotes: a literal written in several pieces is `"`, each piece's
/// content, `"`.
pub fn write_string_content(s: &str, out: &mut String) {
    let mut rest = s;
    loop {
        // Copy the run that needs no escape in one go.
        let plain = plain_prefix_len(rest.as_bytes());
        out.push_str(&rest[..plain]);
        let Some(&b) = rest.as_bytes().get(plain) else {
            break;
        };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
        // The byte is ASCII, so the next one starts a character.
        rest = &rest[plain + 1..];
    }
}

/// The length of `s` written by [`write_string`].
fn string_json_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut len = 2;
    let mut at = 0;
    loop {
        let plain = plain_prefix_len(&bytes[at..]);
        len += plain;
        at += plain;
        match bytes.get(at) {
            None => return len,
            Some(b'"' | b'\\' | b'\n' | b'\r' | b'\t') => len += 2,
            Some(_) => len += 6,
        }
        at += 1;
    }
}

/// The length of the longest prefix of `bytes` without a `"`, a `\\` or
/// a control character (below U+0020): the bytes a JSON string holds as
/// they are, in both directions. Eight bytes at a time.
pub fn plain_prefix_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        // A byte's high bit ends up set when some byte is zero (below
        // 0x20): the usual "has zero / has less" tests. A borrow may flag
        // bytes above the first such byte too, never below it: the lowest
        // flag is where the run ends.
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x))
            & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// What went wrong while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is empty or only white space.
    Empty,
    /// The text ended in the middle of a value.
    UnexpectedEnd,
    /// A character that cannot stand here, and what could.
    UnexpectedChar(char, Expected),
    /// Something follows the complete value.
    TrailingCharacters,
    /// A malformed number.
    InvalidNumber,
    /// A malformed `\` escape in a string.
    InvalidEscape,
    /// A raw control character (such as a newline or NUL) inside a string.
    ControlCharacter,
    /// The same key twice in one object.
    DuplicateKey(String),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
}

impl ErrorKind {
    /// A stable code for the error, used by message catalogues and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Empty => "json-empty",
            ErrorKind::UnexpectedEnd => "json-unexpected-end",
            ErrorKind::UnexpectedChar(_, _) => "json-unexpected-char",
            ErrorKind::TrailingCharacters => "json-trailing-characters",
            ErrorKind::InvalidNumber => "json-invalid-number",
            ErrorKind::InvalidEscape => "json-invalid-escape",
            ErrorKind::ControlCharacter => "json-control-character",
            ErrorKind::DuplicateKey(_) => "json-duplicate-key",
            ErrorKind::TooDeep => "json-too-deep",
            ErrorKind::InvalidUtf8 => "json-invalid-utf8",
        }
    }

    /// The named parameters a message about this error needs.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            ErrorKind::UnexpectedChar(c, expected) => {
                let shown = if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                };
                vec![("char", shown), ("expected", expected.code().to_string())]
            }
            ErrorKind::DuplicateKey(k) => vec![("key", k.clone())],
            ErrorKind::TooDeep => vec![("max", MAX_DEPTH.to_string())],
            _ => Vec::new(),
        }
    }
}

/// What the parser was looking for when it met something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A value: object, array, string, number, `true`, `false` or `null`.
    Value,
    /// A `"key"` (or `}` to close the object).
    Key,
    /// The `:` after a key.
    Colon,
    /// A `,` or the `}` closing the object.
    CommaOrBrace,
    /// A `,` or the `]` closing the array.
    CommaOrBracket,
    /// The rest of `true`, `false` or `null`.
    Literal,
}

impl Expected {
    /// A stable code naming what was expected.
    pub fn code(self) -> &'static str {
        match self {
            Expected::Value => "value",
            Expected::Key => "key",
            Expected::Colon => "colon",
            Expected::CommaOrBrace => "comma-or-brace",
            Expected::CommaOrBracket => "comma-or-bracket",
            Expected::Literal => "literal",
        }
    }
}

/// A parse error: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where (a zero-width span at the end of the text for [`ErrorKind::UnexpectedEnd`]).
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A plain English rendering for logs and panics; people see the
        // catalogue's text instead.
        write!(f, "{} at byte {}", self.kind.code(), self.span.start)?;
        for (k, v) in self.kind.params() {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// Parses UTF-8 bytes, reporting the first invalid byte as an error.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let at = e.valid_up_to();
            Err(ParseError {
                kind: ErrorKind::InvalidUtf8,
                span: Span::new(at, at + e.error_len().unwrap_or(1)),
            })
        }
    }
}

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    parse_as::<Owned>(text)
}

/// Parses one JSON document into a tree that borrows its strings from
/// `text` where it can (see [`borrowed`]): the same checks, errors and
/// spans as [`parse`].
pub fn parse_borrowed(text: &str) -> Result<borrowed::Node<'_>, ParseError> {
    parse_as::<Borrowed>(text)
}

fn parse_as<'a, T: Tree<'a>>(text: &'a str) -> Result<T::Node, ParseError> {
    Parser::<T>::new(text).document()
}

impl<'a, T: Tree<'a>> Parser<'a, T> {
    fn new(text: &'a str) -> Self {
        Parser {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            tree: std::marker::PhantomData,
        }
    }

    /// The whole text as one value, white space around it allowed.
    fn document(&mut self) -> Result<T::Node, ParseError> {
        self.skip_ws();
        if self.pos == self.bytes.len() {
            return Err(ParseError {
                kind: ErrorKind::Empty,
                span: Span::new(0, self.text.len()),
            });
        }
        let node = self.value(0)?;
        self.skip_ws();
        if self.pos != self.bytes.len() {
            return Err(self.error_here(ErrorKind::TrailingCharacters));
        }
        Ok(node)
    }
}

/// What the parser builds: [`Node`] with owned strings, or
/// [`borrowed::Node`] with strings borrowed from the text. One parser for
/// both, so that they accept and refuse exactly the same texts.
trait Tree<'a> {
    /// A string of the tree.
    type Str: AsRef<str>;
    /// A value with its span.
    type Node;
    /// A value.
    type Value;
    /// An object's member.
    type Member;
    /// A string without escapes, as it stands in the text.
    fn plain(s: &'a str) -> Self::Str;
    /// A string whose escapes were replaced.
    fn unescaped(s: String) -> Self::Str;
    fn into_string(s: Self::Str) -> String;
    fn null() -> Self::Value;
    fn boolean(b: bool) -> Self::Value;
    fn number(n: &'a str) -> Self::Value;
    fn string(s: Self::Str) -> Self::Value;
    fn array(items: Vec<Self::Node>) -> Self::Value;
    fn object(members: Vec<Self::Member>) -> Self::Value;
    fn node(value: Self::Value, span: Span) -> Self::Node;
    fn member(key: Self::Str, key_span: Span, value: Self::Node) -> Self::Member;
    fn key(member: &Self::Member) -> &str;
}

/// Builds [`Node`].
struct Owned;

impl<'a> Tree<'a> for Owned {
    type Str = String;
    type Node = Node;
    type Value = Value;
    type Member = Member;
    fn plain(s: &'a str) -> String {
        s.to_string()
    }
    fn unescaped(s: String) -> String {
        s
    }
    fn into_string(s: String) -> String {
        s
    }
    fn null() -> Value {
        Value::Null
    }
    fn boolean(b: bool) -> Value {
        Value::Bool(b)
    }
    fn number(n: &'a str) -> Value {
        Value::Number(n.to_string())
    }
    fn string(s: String) -> Value {
        Value::String(s)
    }
    fn array(items: Vec<Node>) -> Value {
        Value::Array(items)
    }
    fn object(members: Vec<Member>) -> Value {
        Value::Object(members)
    }
    fn node(value: Value, span: Span) -> Node {
        Node { value, span }
    }
    fn member(key: String, key_span: Span, value: Node) -> Member {
        Member {
            key,
            key_span,
            value,
        }
    }
    fn key(member: &Member) -> &str {
        &member.key
    }
}

/// Builds [`borrowed::Node`].
struct Borrowed;

impl<'a> Tree<'a> for Borrowed {
    type Str = Cow<'a, str>;
    type Node = borrowed::Node<'a>;
    type Value = borrowed::Value<'a>;
    type Member = borrowed::Member<'a>;
    fn plain(s: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(s)
    }
    fn unescaped(s: String) -> Cow<'a, str> {
        Cow::Owned(s)
    }
    fn into_string(s: Cow<'a, str>) -> String {
        s.into_owned()
    }
    fn null() -> borrowed::Value<'a> {
        borrowed::Value::Null
    }
    fn boolean(b: bool) -> borrowed::Value<'a> {
        borrowed::Value::Bool(b)
    }
    fn number(n: &'a str) -> borrowed::Value<'a> {
        borrowed::Value::Number(n)
    }
    fn string(s: Cow<'a, str>) -> borrowed::Value<'a> {
        borrowed::Value::String(s)
    }
    fn array(items: Vec<borrowed::Node<'a>>) -> borrowed::Value<'a> {
        borrowed::Value::Array(items)
    }
    fn object(members: Vec<borrowed::Member<'a>>) -> borrowed::Value<'a> {
        borrowed::Value::Object(members)
    }
    fn node(value: borrowed::Value<'a>, span: Span) -> borrowed::Node<'a> {
        borrowed::Node { value, span }
    }
    fn member(
        key: Cow<'a, str>,
        key_span: Span,
        value: borrowed::Node<'a>,
    ) -> borrowed::Member<'a> {
        borrowed::Member {
            key,
            key_span,
            value,
        }
    }
    fn key<'m>(member: &'m borrowed::Member<'a>) -> &'m str {
        &member.key
    }
}

struct Parser<'a, T> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    tree: std::marker::PhantomData<T>,
}

impl<'a, T: Tree<'a>> Parser<'a, T> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn error_here(&self, kind: ErrorKind) -> ParseError {
        let len = self.char_len_at(self.pos);
        ParseError {
            kind,
            span: Span::new(self.pos, self.pos + len),
        }
    }

    fn char_len_at(&self, pos: usize) -> usize {
        self.text[pos..].chars().next().map_or(0, char::len_utf8)
    }

    fn unexpected(&self, expected: Expected) -> ParseError {
        match self.text[self.pos..].chars().next() {
            None => ParseError {
                kind: ErrorKind::UnexpectedEnd,
                span: Span::new(self.pos, self.pos),
            },
            Some(c) => self.error_here(ErrorKind::UnexpectedChar(c, expected)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<T::Node, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(ErrorKind::TooDeep));
        }
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => T::string(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", T::boolean(true))?,
            Some(b'f') => self.literal("false", T::boolean(false))?,
            Some(b'n') => self.literal("null", T::null())?,
            _ => return Err(self.unexpected(Expected::Value)),
        };
        Ok(T::node(value, Span::new(start, self.pos)))
    }

    fn literal(&mut self, word: &str, value: T::Value) -> Result<T::Value, ParseError> {
        for expected in word.bytes() {
            if self.bytes.get(self.pos) != Some(&expected) {
                return Err(self.unexpected(Expected::Literal));
            }
            self.pos += 1;
        }
        Ok(value)
    }

    fn object(&mut self, depth: usize) -> Result<T::Value, ParseError> {
        self.pos += 1; // '{'
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(T::object(Vec::new()));
        }
        // Room for a policy statement's or a request's members: most
        // objects never grow (and move) then.
        let mut members: Vec<T::Member> = Vec::with_capacity(8);
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected(Expected::Key));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            if members.iter().any(|m| T::key(m) == key.as_ref()) {
                return Err(ParseError {
                    kind: ErrorKind::DuplicateKey(T::into_string(key)),
                    span: key_span,
                });
            }
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.unexpected(Expected::Colon));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(T::member(key, key_span, value));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(T::object(members));
                }
                _ => return Err(self.unexpected(Expected::CommaOrBrace)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<T::Value, ParseError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(T::array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(T::array(items));
                }
                _ => return Err(self.unexpected(Expected::CommaOrBracket)),
            }
        }
    }

    fn string(&mut self) -> Result<T::Str, ParseError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.pos += plain_prefix_len(&self.bytes[self.pos..]);
        if self.bytes.get(self.pos) == Some(&b'"') {
            // No escape, the usual case: one exact allocation, or none.
            self.pos += 1;
            return Ok(T::plain(&self.text[start..self.pos - 1]));
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            self.pos += plain_prefix_len(&self.bytes[self.pos..]);
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                None => return Err(self.unexpected(Expected::Value)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(T::unescaped(out));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.error_here(ErrorKind::ControlCharacter)),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let start = self.pos;
        self.pos += 1; // backslash
        let bad = |p: &Self, end: usize| ParseError {
            kind: ErrorKind::InvalidEscape,
            span: Span::new(start, end.min(p.bytes.len())),
        };
        let c = match self.bytes.get(self.pos) {
            None => return Err(self.unexpected(Expected::Value)),
            Some(&c) => c,
        };
        self.pos += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let first = self.hex4().ok_or_else(|| bad(self, self.pos + 4))?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by an escaped low one.
                    if self.bytes.get(self.pos) != Some(&b'\\')
                        || self.bytes.get(self.pos + 1) != Some(&b'u')
                    {
                        return Err(bad(self, self.pos));
                    }
                    self.pos += 2;
                    let second = self.hex4().ok_or_else(|| bad(self, self.pos + 4))?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(bad(self, self.pos));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => return Err(bad(self, self.pos)),
                }
            }
            _ => return Err(bad(self, self.pos + self.char_len_at(self.pos - 1) - 1)),
        }
        Ok(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(v)
    }

    fn number(&mut self) -> Result<T::Value, ParseError> {
        let start = self.pos;
        let invalid = |p: &Self| ParseError {
            kind: ErrorKind::InvalidNumber,
            span: Span::new(start, p.pos.max(start + 1)),
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(invalid(self)),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(invalid(self));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(invalid(self));
            }
            self.digits();
        }
        if let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.bytes.get(self.pos) {
            self.pos += 1;
            return Err(invalid(self));
        }
        Ok(T::number(&self.text[start..self.pos]))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }
}

/// Turns byte offsets into 1-based line and column numbers.
///
/// Columns count characters (not bytes), so a caret under a Japanese
/// string lands where a person expects it.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

/// A 1-based position in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The position of byte `offset` (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        Position {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

/// Sorts `items` by a pair of offsets (a span's start and end, say),
/// keeping the order of items with equal keys, as `sort_by_key` would.
///
/// Every caller shares one sort routine (of `(usize, usize, usize)`
/// triples): the page's wasm has a size budget, and each `sort_by_key`
/// with its own closure adds a copy of the standard library's sort.
pub fn sort_by_offsets<T>(items: &mut Vec<T>, key: impl Fn(&T) -> (usize, usize)) {
    let mut order: Vec<(usize, usize, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (a, b) = key(item);
            (a, b, i)
        })
        .collect();
    if order.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&(_, _, i)| slots.get_mut(i).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn sort_by_offsets_is_a_stable_sort() {
        let mut items: Vec<(usize, usize, char)> = vec![
            (5, 9, 'a'),
            (1, 2, 'b'),
            (5, 9, 'c'),
            (1, 1, 'd'),
            (5, 7, 'e'),
            (1, 2, 'f'),
        ];
        let mut want = items.clone();
        want.sort_by_key(|t| (t.0, t.1));
        super::sort_by_offsets(&mut items, |t| (t.0, t.1));
        assert_eq!(items, want);
        let mut empty: Vec<(usize, usize, char)> = Vec::new();
        super::sort_by_offsets(&mut empty, |t| (t.0, t.1));
        assert!(empty.is_empty());
    }

    use super::*;

    fn err(text: &str) -> (String, usize) {
        let e = parse(text).unwrap_err();
        (e.kind.code().to_string(), e.span.start)
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b": "x\ny\u00e9\ud83d\ude00"} "#;
        let node = parse(text).unwrap();
        assert_eq!(node.span, Span::new(1, text.len() - 1));
        let a = node.get("a").unwrap();
        assert_eq!(&text[a.span.start..a.span.end], "[1, -2.5e3, true, null]");
        assert_eq!(node.get("b").unwrap().as_str(), Some("x\nyé😀"));
        let members = node.as_object().unwrap();
        assert_eq!(
            &text[members[1].key_span.start..members[1].key_span.end],
            "\"b\""
        );
    }

    #[test]
    fn errors_name_code_and_place() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "json-empty", 0),
            ("   \n ", "json-empty", 0),
            ("{", "json-unexpected-end", 1),
            ("{\"a\" 1}", "json-unexpected-char", 5),
            ("{} x", "json-trailing-characters", 3),
            ("[01]", "json-invalid-number", 1),
            ("[1.]", "json-invalid-number", 1),
            ("[-]", "json-invalid-number", 1),
            ("\"\\x\"", "json-invalid-escape", 1),
            ("\"\\ud800\"", "json-invalid-escape", 1),
            ("\"a\nb\"", "json-control-character", 2),
            ("\"a\0b\"", "json-control-character", 2),
            ("{\"a\":1,\"a\":2}", "json-duplicate-key", 7),
            ("[1,]", "json-unexpected-char", 3),
            ("{\"a\":1,}", "json-unexpected-char", 7),
            ("tru", "json-unexpected-end", 3),
            ("nul!", "json-unexpected-char", 3),
            ("'a'", "json-unexpected-char", 0),
        ];
        for &(text, code, at) in cases {
            assert_eq!(err(text), (code.to_string(), at), "input {text:?}");
            assert_eq!(parse_borrowed(text).err(), parse(text).err(), "{text:?}");
        }
    }

    #[test]
    fn the_borrowed_tree_is_the_owned_one() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(!texts.is_empty());
        texts.extend(
            [
                r#"{"a\n\u00e9\ud83d\ude00": ["x\"y", 1.5e3, -0, true, false, null, {}, []]}"#,
                r#"  "plain"  "#,
                "[[[[1]]], {\"k\": {\"k\": \"v\"}}]",
            ]
            .map(String::from),
        );
        for text in &texts {
            let owned = parse(text).unwrap();
            let borrowed = parse_borrowed(text).unwrap();
            assert_eq!(borrowed.to_owned_node(), owned);
            // Strings without escapes point into the text.
            fn no_copies(n: &borrowed::Node<'_>) -> bool {
                use std::borrow::Cow;
                match &n.value {
                    borrowed::Value::String(s) => {
                        matches!(s, Cow::Borrowed(_))
                            || s.contains(['"', '\\', '\n', '\u{e9}', '\u{1f600}'])
                    }
                    borrowed::Value::Array(items) => items.iter().all(no_copies),
                    borrowed::Value::Object(members) => members.iter().all(|m| no_copies(&m.value)),
                    _ => true,
                }
            }
            assert!(no_copies(&borrowed), "{text}");
        }
    }

    #[test]
    fn depth_is_bounded_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep).0, "json-too-deep");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.span.start, 7);
    }

    #[test]
    fn huge_numbers_are_kept_as_written() {
        let n = parse("123456789012345678901234567890e999").unwrap();
        assert_eq!(n.scalar_text(), Some("123456789012345678901234567890e999"));
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\n日本語x\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x), Position { line: 2, column: 4 });
        assert_eq!(idx.line_text(2), "日本語x");
        assert_eq!(idx.position(text.len()), Position { line: 3, column: 2 });
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn writes_back_compact_json() {
        let n = parse("{ \"a\" : [ 1 , \"q\\\"\" ] }").unwrap();
        assert_eq!(n.to_json(), r#"{"a":[1,"q\""]}"#);
        for text in [
            r#"{ "a" : [ 1 , "q\"", null, true, false, {}, [] ], "k\u0001\\": "\n\t\r\u001f日本" }"#,
            "[]",
            "\"\"",
            "-1.5e3",
        ] {
            let n = parse(text).unwrap();
            assert_eq!(n.json_len(), n.to_json().len(), "{text}");
        }
    }

    #[test]
    fn plain_prefix_stops_at_the_first_byte_to_escape() {
        let base = "abcdefghijklmnopqrstuvwxyz日本語 0123456789";
        for at in 0..=base.len() {
            if !base.is_char_boundary(at) {
                continue;
            }
            for special in ["\"", "\\", "\n", "\u{0}", "\u{1f}"] {
                let text = format!("{}{special}{}", &base[..at], &base[at..]);
                assert_eq!(plain_prefix_len(text.as_bytes()), at, "{text:?}");
            }
        }
        assert_eq!(plain_prefix_len(base.as_bytes()), base.len());
        assert_eq!(plain_prefix_len(b"\x7f\x20 ~"), 4);
        // Bytes just past the first special one, which the eight-byte test
        // may flag as well (a borrow), do not move the answer.
        for at in 0..16 {
            let mut bytes = vec![b'a'; 24];
            bytes[at] = b'"';
            bytes[at + 1] = 0x01;
            bytes[at + 2] = b'"' ^ 0x01;
            bytes[at + 3] = 0x21;
            assert_eq!(plain_prefix_len(&bytes), at);
        }
    }

    #[test]
    fn writes_strings_as_json_escapes_them() {
        for s in [
            "",
            "plain",
            "q\"uote\\",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}x",
            "日本語 ✓ and a long tail",
        ] {
            let mut out = String::new();
            write_string(s, &mut out);
            let parsed = parse(&out).unwrap();
            assert_eq!(parsed.as_str(), Some(s), "{out}");
        }
        let mut out = String::new();
        write_string("\u{1}\u{8}\u{c}", &mut out);
        assert_eq!(out, r#""\u0001\u0008\u000c""#);
    }
}
