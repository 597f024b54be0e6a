//! The parser: one recursive-descent reader for both trees, its errors
//! with their codes and spans, and the depth bound.

use crate::borrowed;
use crate::escape::plain_prefix_len;
use crate::tree::{Member, Node, Span, Value};
use std::borrow::Cow;
use std::fmt;

/// The deepest nesting accepted. IAM policies need about six levels; the
/// bound protects the recursive parser from stack exhaustion.
pub const MAX_DEPTH: usize = 64;

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

/// Parses one JSON document as [`parse_borrowed`] does, except that the
/// items of the array that is the value of the top-level member `member`
/// are handed to `each`, one at a time and in order, as they are read,
/// instead of being kept: in the tree returned that array is empty (its
/// span is the array's). However long the array, the memory is that of the
/// rest of the document and one item. It accepts and refuses exactly the
/// texts [`parse_borrowed`] does, with the same errors; `each` may have
/// been given items before an error further on is found.
pub fn parse_borrowed_streaming<'a>(
    text: &'a str,
    member: &str,
    each: &mut dyn FnMut(borrowed::Node<'a>),
) -> Result<borrowed::Node<'a>, ParseError> {
    let mut parser = Parser::<Borrowed>::new(text);
    parser.stream = Some(Stream { member, each });
    parser.document()
}

/// The member whose array items [`parse_borrowed_streaming`] hands out.
struct Stream<'c, N> {
    member: &'c str,
    each: &'c mut dyn FnMut(N),
}

impl<'a, 'c, T: Tree<'a>> Parser<'a, 'c, T> {
    fn new(text: &'a str) -> Self {
        Parser {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            tree: std::marker::PhantomData,
            stream: None,
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

struct Parser<'a, 'c, T: Tree<'a>> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    tree: std::marker::PhantomData<T>,
    stream: Option<Stream<'c, T::Node>>,
}

impl<'a, 'c, T: Tree<'a>> Parser<'a, 'c, T> {
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
            let streamed = depth == 0
                && self.bytes.get(self.pos) == Some(&b'[')
                && self
                    .stream
                    .as_ref()
                    .is_some_and(|s| s.member == key.as_ref());
            let value = if streamed {
                self.streamed_array(depth + 1)?
            } else {
                self.value(depth + 1)?
            };
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

    /// An array (at `depth`) whose items go to the stream as they are
    /// read: the same checks as [`Self::array`], the node an empty array.
    fn streamed_array(&mut self, depth: usize) -> Result<T::Node, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(ErrorKind::TooDeep));
        }
        let start = self.pos;
        self.pos += 1; // '['
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(T::node(T::array(Vec::new()), Span::new(start, self.pos)));
        }
        loop {
            self.skip_ws();
            let item = self.value(depth + 1)?;
            if let Some(stream) = self.stream.as_mut() {
                (stream.each)(item);
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(T::node(T::array(Vec::new()), Span::new(start, self.pos)));
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
