//! EventBridge event patterns: read one (with the position of every part,
//! so a mistake can be underlined) and match events against it with
//! EventBridge's semantics.
//!
//! - <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html>
//!   (a pattern mirrors the event's structure; values are arrays — a field
//!   matches when the event's value is any of them; every field must match)
//! - <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html>
//!   and <https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html>
//!   (`prefix`, `suffix` — both also with `equals-ignore-case` inside —
//!   `anything-but` with a value, a list of strings or of numbers, or a
//!   `prefix` / `suffix` / `equals-ignore-case` / `wildcard` inside,
//!   `numeric` with `=` or up to two comparisons bounding a range, `exists`
//!   — on leaf fields only —, `equals-ignore-case`, `wildcard`, `cidr`,
//!   `$or`)
//! - <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html>
//!   (an array in the event matches when any element matches)
//! - `aws/event-ruler` README, the library EventBridge uses: numbers
//!   compared with six decimal places within ±5.0e9; wildcard `*` with `\*`
//!   and `\\` escapes and no consecutive `**`; `$or` is an array of at least
//!   two objects; a field inside objects of an array must match within one
//!   element ("array-consistent" matching).
//!
//! Choices: `anything-but` needs the field to be present (a missing field
//! is not "anything but x"); its string forms (`prefix`, `suffix`,
//! `equals-ignore-case`, `wildcard`) match only strings. A `$or` that is not
//! an array of two or more objects is reported as a mistake rather than read
//! as a field named `$or`. An empty array in the event counts as absent.
//! Wildcards are matched segment by segment, left to right, which is linear
//! in the length of the value: no pattern makes matching blow up.
#![deny(missing_docs)]

use kmsplay_json::{Member, Node, Span, Value as J};
use serde_json::Value;

/// Why a pattern is not valid: a code, where, and named values.
///
/// Codes starting with `json-` are JSON syntax errors (message ids
/// `diag.<code>`); the others are `events.pattern.<code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Stable code.
    pub code: &'static str,
    /// Byte range in the pattern text.
    pub span: Span,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl PatternError {
    fn new(code: &'static str, span: Span) -> PatternError {
        PatternError {
            code,
            span,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> PatternError {
        self.params.push((name, value.into()));
        self
    }

    /// The message id of the error.
    pub fn message_id(&self) -> String {
        if self.code.starts_with("json-") {
            format!("diag.{}", self.code)
        } else {
            format!("events.pattern.{}", self.code)
        }
    }
}

/// Why an event does not match: the first field that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The field, dotted (`detail.key-id`); empty for the event itself.
    pub path: String,
    /// `field-missing`, `value-not-matched`, `field-present`,
    /// `no-or-branch`, `event-not-object` (message ids `events.mismatch.<code>`).
    pub code: &'static str,
    /// Where the failing part of the pattern is.
    pub span: Span,
    /// Named values for the message (`field`, `actual`, `expected`).
    pub params: Vec<(&'static str, String)>,
}

impl Mismatch {
    /// The message id.
    pub fn message_id(&self) -> String {
        format!("events.mismatch.{}", self.code)
    }
}

/// A literal value of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Num(i128),
    Bool(bool),
    Null,
}

/// Numbers are compared with six decimal places (event-ruler).
const NUMERIC_LIMIT: f64 = 5.0e9;

fn canon(x: f64) -> i128 {
    (x * 1e6).round() as i128
}

impl Lit {
    fn matches(&self, v: &Value) -> bool {
        match (self, v) {
            (Lit::Str(s), Value::String(e)) => s == e,
            (Lit::Num(n), Value::Number(e)) => e.as_f64().is_some_and(|x| canon(x) == *n),
            (Lit::Bool(b), Value::Bool(e)) => b == e,
            (Lit::Null, Value::Null) => true,
            _ => false,
        }
    }
}

/// A `*` pattern, compiled to literal segments.
#[derive(Debug, Clone, PartialEq)]
struct Wildcard {
    segments: Vec<String>,
    leading: bool,
    trailing: bool,
}

impl Wildcard {
    fn parse(text: &str, span: Span) -> Result<Wildcard, PatternError> {
        let mut segments = vec![String::new()];
        let mut chars = text.chars().peekable();
        let mut last_star = false;
        let mut leading = false;
        let mut trailing = false;
        let mut first = true;
        while let Some(c) = chars.next() {
            match c {
                '*' => {
                    if last_star {
                        return Err(
                            PatternError::new("wildcard-consecutive", span).with("pattern", text)
                        );
                    }
                    if first {
                        leading = true;
                    } else {
                        segments.push(String::new());
                    }
                    last_star = true;
                    trailing = true;
                }
                '\\' => {
                    match chars.next() {
                        Some(e @ ('*' | '\\')) => segments.last_mut().expect("one segment").push(e),
                        _ => {
                            return Err(
                                PatternError::new("wildcard-escape", span).with("pattern", text)
                            )
                        }
                    }
                    last_star = false;
                    trailing = false;
                }
                c => {
                    segments.last_mut().expect("one segment").push(c);
                    last_star = false;
                    trailing = false;
                }
            }
            first = false;
        }
        if leading && segments.len() > 1 && segments[0].is_empty() {
            segments.remove(0);
        }
        if trailing && segments.last().is_some_and(String::is_empty) && segments.len() > 1 {
            segments.pop();
        }
        Ok(Wildcard {
            segments,
            leading,
            trailing,
        })
    }

    /// Linear: each literal segment is found once, left to right.
    fn matches(&self, s: &str) -> bool {
        let segs = &self.segments;
        if !self.leading && !self.trailing && segs.len() == 1 {
            return s == segs[0];
        }
        let mut start = 0;
        let mut end = s.len();
        let mut middle = &segs[..];
        if !self.leading {
            let Some(first) = middle.first() else {
                return false;
            };
            if !s.starts_with(first.as_str()) {
                return false;
            }
            start = first.len();
            middle = &middle[1..];
        }
        if !self.trailing {
            let Some(last) = middle.last() else {
                // The pattern was a single segment already used as prefix.
                return start == end;
            };
            if !s[start..].ends_with(last.as_str()) {
                return false;
            }
            end = s.len() - last.len();
            middle = &middle[..middle.len() - 1];
        }
        for seg in middle {
            match s[start..end].find(seg.as_str()) {
                Some(i) => start += i + seg.len(),
                None => return false,
            }
        }
        start <= end
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum AnythingBut {
    Values(Vec<Lit>),
    Prefix(String),
    Suffix(String),
    IgnoreCase(Vec<String>),
    Wildcard(Vec<Wildcard>),
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Exact(Lit),
    Prefix(String, bool),
    Suffix(String, bool),
    IgnoreCase(String),
    Wildcard(Wildcard),
    AnythingBut(AnythingBut),
    Numeric(Vec<(Cmp, i128)>),
    Exists(bool),
    Cidr(std::net::IpAddr, u8),
}

#[derive(Debug, Clone, PartialEq)]
struct Matcher {
    op: Op,
    span: Span,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn in_cidr(ip: std::net::IpAddr, net: std::net::IpAddr, bits: u8) -> bool {
    use std::net::IpAddr::{V4, V6};
    match (ip, net) {
        (V4(a), V4(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (V6(a), V6(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

impl Op {
    /// Does one present (scalar) value match? (`exists` is handled by the caller.)
    fn matches(&self, v: &Value) -> bool {
        let s = v.as_str();
        match self {
            Op::Exact(l) => l.matches(v),
            Op::Prefix(p, false) => s.is_some_and(|s| s.starts_with(p.as_str())),
            Op::Prefix(p, true) => s.is_some_and(|s| lower(s).starts_with(&lower(p))),
            Op::Suffix(p, false) => s.is_some_and(|s| s.ends_with(p.as_str())),
            Op::Suffix(p, true) => s.is_some_and(|s| lower(s).ends_with(&lower(p))),
            Op::IgnoreCase(p) => s.is_some_and(|s| lower(s) == lower(p)),
            Op::Wildcard(w) => s.is_some_and(|s| w.matches(s)),
            Op::AnythingBut(a) => match a {
                AnythingBut::Values(vals) => !vals.iter().any(|l| l.matches(v)),
                AnythingBut::Prefix(p) => s.is_some_and(|s| !s.starts_with(p.as_str())),
                AnythingBut::Suffix(p) => s.is_some_and(|s| !s.ends_with(p.as_str())),
                AnythingBut::IgnoreCase(list) => {
                    s.is_some_and(|s| !list.iter().any(|p| lower(p) == lower(s)))
                }
                AnythingBut::Wildcard(list) => {
                    s.is_some_and(|s| !list.iter().any(|w| w.matches(s)))
                }
            },
            Op::Numeric(cmps) => v.as_f64().is_some_and(|x| {
                let x = canon(x);
                cmps.iter().all(|(c, n)| match c {
                    Cmp::Eq => x == *n,
                    Cmp::Lt => x < *n,
                    Cmp::Le => x <= *n,
                    Cmp::Gt => x > *n,
                    Cmp::Ge => x >= *n,
                })
            }),
            Op::Exists(_) => false,
            Op::Cidr(net, bits) => s
                .and_then(|s| s.parse::<std::net::IpAddr>().ok())
                .is_some_and(|ip| in_cidr(ip, *net, *bits)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Field {
    Nested(Obj),
    Leaf(Vec<Matcher>, Span),
}

#[derive(Debug, Clone, PartialEq)]
struct Obj {
    fields: Vec<(String, Field, Span)>,
    ors: Vec<(Vec<Obj>, Span)>,
}

/// A parsed event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    root: Obj,
}

fn number(node: &Node, text: &str) -> Result<f64, PatternError> {
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| PatternError::new("numeric-range", node.span).with("value", text))
}

fn literal(node: &Node) -> Result<Lit, PatternError> {
    Ok(match &node.value {
        J::String(s) => Lit::Str(s.clone()),
        J::Number(n) => Lit::Num(canon(number(node, n)?)),
        J::Bool(b) => Lit::Bool(*b),
        J::Null => Lit::Null,
        _ => return Err(PatternError::new("invalid-value", node.span)),
    })
}

fn expect_str<'n>(node: &'n Node, operator: &str) -> Result<&'n str, PatternError> {
    node.as_str()
        .ok_or_else(|| PatternError::new("operand-string", node.span).with("operator", operator))
}

/// A string, or `{"equals-ignore-case": "..."}` (for prefix / suffix).
fn str_or_ignore_case(node: &Node, operator: &str) -> Result<(String, bool), PatternError> {
    if let Some(s) = node.as_str() {
        return Ok((s.to_string(), false));
    }
    if let Some([m]) = node.as_object() {
        if m.key == "equals-ignore-case" {
            return Ok((
                expect_str(&m.value, "equals-ignore-case")?.to_string(),
                true,
            ));
        }
    }
    Err(PatternError::new("operand-string", node.span).with("operator", operator))
}

fn string_list(node: &Node, operator: &str) -> Result<Vec<String>, PatternError> {
    match &node.value {
        J::String(s) => Ok(vec![s.clone()]),
        J::Array(items) if !items.is_empty() => items
            .iter()
            .map(|n| expect_str(n, operator).map(str::to_string))
            .collect(),
        _ => Err(PatternError::new("operand-string", node.span).with("operator", operator)),
    }
}

fn anything_but(node: &Node) -> Result<AnythingBut, PatternError> {
    const OP: &str = "anything-but";
    match &node.value {
        J::String(_) | J::Number(_) => Ok(AnythingBut::Values(vec![literal(node)?])),
        J::Array(items) if !items.is_empty() => {
            let strings = items.iter().all(|n| matches!(n.value, J::String(_)));
            let numbers = items.iter().all(|n| matches!(n.value, J::Number(_)));
            if !strings && !numbers {
                return Err(PatternError::new("anything-but-mixed", node.span));
            }
            Ok(AnythingBut::Values(
                items.iter().map(literal).collect::<Result<_, _>>()?,
            ))
        }
        J::Object(members) if members.len() == 1 => {
            let m = &members[0];
            match m.key.as_str() {
                "prefix" => Ok(AnythingBut::Prefix(
                    expect_str(&m.value, "prefix")?.to_string(),
                )),
                "suffix" => Ok(AnythingBut::Suffix(
                    expect_str(&m.value, "suffix")?.to_string(),
                )),
                "equals-ignore-case" => Ok(AnythingBut::IgnoreCase(string_list(
                    &m.value,
                    "equals-ignore-case",
                )?)),
                "wildcard" => Ok(AnythingBut::Wildcard(
                    string_list(&m.value, "wildcard")?
                        .iter()
                        .map(|w| Wildcard::parse(w, m.value.span))
                        .collect::<Result<_, _>>()?,
                )),
                other => Err(PatternError::new("unknown-operator", m.key_span)
                    .with("operator", format!("{OP}/{other}"))),
            }
        }
        _ => Err(PatternError::new("operand-anything-but", node.span).with("operator", OP)),
    }
}

fn numeric(node: &Node) -> Result<Vec<(Cmp, i128)>, PatternError> {
    let J::Array(items) = &node.value else {
        return Err(PatternError::new("numeric-shape", node.span));
    };
    if items.len() != 2 && items.len() != 4 {
        return Err(PatternError::new("numeric-shape", node.span));
    }
    let mut out = Vec::new();
    for pair in items.chunks(2) {
        let op_text = pair[0]
            .as_str()
            .ok_or_else(|| PatternError::new("numeric-shape", pair[0].span))?;
        let cmp = match op_text {
            "=" => Cmp::Eq,
            "<" => Cmp::Lt,
            "<=" => Cmp::Le,
            ">" => Cmp::Gt,
            ">=" => Cmp::Ge,
            other => {
                return Err(
                    PatternError::new("numeric-operator", pair[0].span).with("operator", other)
                )
            }
        };
        let J::Number(text) = &pair[1].value else {
            return Err(
                PatternError::new("operand-number", pair[1].span).with("operator", "numeric")
            );
        };
        let x = number(&pair[1], text)?;
        if x.abs() > NUMERIC_LIMIT {
            return Err(
                PatternError::new("numeric-range", pair[1].span).with("value", text.clone())
            );
        }
        out.push((cmp, canon(x)));
    }
    if out.len() == 2 {
        // Two comparisons bound a range: a lower bound, then an upper one.
        let lower_ok = matches!(out[0].0, Cmp::Gt | Cmp::Ge);
        let upper_ok = matches!(out[1].0, Cmp::Lt | Cmp::Le);
        if !lower_ok || !upper_ok || out[0].1 >= out[1].1 {
            return Err(PatternError::new("numeric-shape", node.span));
        }
    }
    Ok(out)
}

fn cidr(node: &Node) -> Result<Op, PatternError> {
    let text = expect_str(node, "cidr")?;
    let bad = || PatternError::new("cidr-invalid", node.span).with("value", text);
    let (addr, bits) = text.split_once('/').ok_or_else(bad)?;
    let ip: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
    let bits: u8 = bits.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return Err(bad());
    }
    Ok(Op::Cidr(ip, bits))
}

fn matcher(node: &Node) -> Result<Matcher, PatternError> {
    let span = node.span;
    let op = match &node.value {
        J::Object(members) => {
            let [m] = members.as_slice() else {
                return Err(PatternError::new("operator-shape", span));
            };
            let v = &m.value;
            match m.key.as_str() {
                "prefix" => {
                    let (s, ic) = str_or_ignore_case(v, "prefix")?;
                    Op::Prefix(s, ic)
                }
                "suffix" => {
                    let (s, ic) = str_or_ignore_case(v, "suffix")?;
                    Op::Suffix(s, ic)
                }
                "equals-ignore-case" => {
                    Op::IgnoreCase(expect_str(v, "equals-ignore-case")?.to_string())
                }
                "wildcard" => Op::Wildcard(Wildcard::parse(expect_str(v, "wildcard")?, v.span)?),
                "anything-but" => Op::AnythingBut(anything_but(v)?),
                "numeric" => Op::Numeric(numeric(v)?),
                "exists" => match v.value {
                    J::Bool(b) => Op::Exists(b),
                    _ => {
                        return Err(
                            PatternError::new("operand-bool", v.span).with("operator", "exists")
                        )
                    }
                },
                "cidr" => cidr(v)?,
                other => {
                    return Err(
                        PatternError::new("unknown-operator", m.key_span).with("operator", other)
                    )
                }
            }
        }
        J::Array(_) => return Err(PatternError::new("invalid-value", span)),
        _ => Op::Exact(literal(node)?),
    };
    Ok(Matcher { op, span })
}

fn object(node: &Node, members: &[Member]) -> Result<Obj, PatternError> {
    if members.is_empty() {
        return Err(PatternError::new("empty-object", node.span));
    }
    let mut obj = Obj {
        fields: Vec::new(),
        ors: Vec::new(),
    };
    for m in members {
        if m.key == "$or" {
            let branches = match &m.value.value {
                J::Array(items) if items.len() >= 2 => items
                    .iter()
                    .map(|n| match &n.value {
                        J::Object(ms) => object(n, ms),
                        _ => Err(PatternError::new("or-shape", n.span)),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                _ => return Err(PatternError::new("or-shape", m.value.span)),
            };
            obj.ors.push((branches, m.key_span.join(m.value.span)));
            continue;
        }
        let field = match &m.value.value {
            J::Object(ms) => Field::Nested(object(&m.value, ms)?),
            J::Array(items) => {
                if items.is_empty() {
                    return Err(
                        PatternError::new("empty-array", m.value.span).with("field", m.key.clone())
                    );
                }
                Field::Leaf(
                    items.iter().map(matcher).collect::<Result<_, _>>()?,
                    m.value.span,
                )
            }
            _ => {
                return Err(
                    PatternError::new("not-array", m.value.span).with("field", m.key.clone())
                )
            }
        };
        obj.fields.push((m.key.clone(), field, m.key_span));
    }
    Ok(obj)
}

/// Scalars of an event value: an array's elements (nested arrays
/// flattened), objects left out.
fn scalars<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| scalars(i, out)),
        Value::Object(_) => {}
        other => out.push(other),
    }
}

fn objects<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| objects(i, out)),
        Value::Object(_) => out.push(v),
        _ => {}
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn text_of(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Obj {
    /// Matches `event` (an object, or None when absent / not an object).
    fn check(&self, event: Option<&Value>, path: &str) -> Result<(), Mismatch> {
        for (name, field, key_span) in &self.fields {
            let child = event.and_then(|e| e.get(name));
            let p = join(path, name);
            match field {
                Field::Nested(sub) => {
                    let mut objs = Vec::new();
                    if let Some(c) = child {
                        objects(c, &mut objs);
                    }
                    if objs.is_empty() {
                        sub.check(None, &p)?;
                    } else {
                        let mut last = None;
                        let mut ok = false;
                        for o in objs {
                            match sub.check(Some(o), &p) {
                                Ok(()) => {
                                    ok = true;
                                    break;
                                }
                                Err(m) => last = Some(m),
                            }
                        }
                        if !ok {
                            return Err(last.expect("at least one element was tried"));
                        }
                    }
                }
                Field::Leaf(matchers, span) => {
                    let mut values = Vec::new();
                    if let Some(c) = child {
                        scalars(c, &mut values);
                    }
                    let present = !values.is_empty();
                    let hit = matchers.iter().any(|m| match m.op {
                        Op::Exists(want) => want == present,
                        ref op => values.iter().any(|v| op.matches(v)),
                    });
                    if !hit {
                        let code = if !present {
                            "field-missing"
                        } else if matchers.iter().all(|m| m.op == Op::Exists(false)) {
                            "field-present"
                        } else {
                            "value-not-matched"
                        };
                        return Err(Mismatch {
                            path: p.clone(),
                            code,
                            span: key_span.join(*span),
                            params: vec![("field", p), ("actual", text_of(&values))],
                        });
                    }
                }
            }
        }
        for (branches, span) in &self.ors {
            if !branches.iter().any(|b| b.check(event, path).is_ok()) {
                return Err(Mismatch {
                    path: path.to_string(),
                    code: "no-or-branch",
                    span: *span,
                    params: vec![("field", path.to_string())],
                });
            }
        }
        Ok(())
    }
}

impl Pattern {
    /// Reads a pattern from its JSON text.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let root = kmsplay_json::parse(text).map_err(|e| PatternError {
            code: e.kind.code(),
            span: e.span,
            params: e.kind.params(),
        })?;
        Pattern::from_node(&root)
    }

    /// Reads a pattern from an already parsed JSON node (spans are into its text).
    pub fn from_node(root: &Node) -> Result<Pattern, PatternError> {
        let J::Object(members) = &root.value else {
            return Err(PatternError::new("not-object", root.span));
        };
        Ok(Pattern {
            root: object(root, members)?,
        })
    }

    /// Does `event` match?
    pub fn matches(&self, event: &Value) -> bool {
        self.explain(event).is_none()
    }

    /// Why `event` does not match (the first field that fails), or None
    /// when it matches.
    pub fn explain(&self, event: &Value) -> Option<Mismatch> {
        if !event.is_object() {
            return Some(Mismatch {
                path: String::new(),
                code: "event-not-object",
                span: Span::default(),
                params: vec![("field", String::new())],
            });
        }
        self.root.check(Some(event), "").err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(p: &str) -> Wildcard {
        Wildcard::parse(p, Span::default()).unwrap()
    }

    #[test]
    fn wildcards() {
        assert!(w("Simple*Service").matches("SimpleQueueService"));
        assert!(w("Simple*Service").matches("SimpleService"));
        assert!(!w("Simple*Service").matches("SimpleServiceX"));
        assert!(w("*").matches(""));
        assert!(w("*.png").matches("a.png"));
        assert!(w("a*").matches("a"));
        assert!(w("a*b*c").matches("abc"));
        assert!(!w("ab*ba").matches("aba"));
        assert!(w("\\*x").matches("*x"));
        assert!(!w("\\*x").matches("ax"));
        assert!(w("a\\\\b").matches("a\\b"));
        assert!(w("exact").matches("exact"));
        assert!(!w("exact").matches("exactly"));
        assert!(Wildcard::parse("a**b", Span::default()).is_err());
        assert!(Wildcard::parse("a\\b", Span::default()).is_err());
    }
}
