//! Adds statements to a pasted key policy by editing its text: every byte
//! the user wrote stays as it was (the original is a subsequence of the
//! result), new statements are indented like the existing ones, a single
//! `Statement` object becomes an array, and a statement that is already
//! there (the same Effect, Principal, Action, Resource and Condition, in
//! any order and whether single values are written as strings or
//! one-element arrays) is not added again. Existing statements are never
//! changed; seed 002: "when adding new sections to the KMS key policy, do
//! not change any existing sections". The one exception is a statement
//! pasted with the documentation's placeholders (`region`, `account-id`,
//! `trail-name`…) that the new statement of the same Sid fills in: that is
//! a form left unfilled, not a section of the user's, and a second copy
//! beside it ("… (2)") would leave the broken one in place. Its string
//! values are then corrected where they stand.

use super::text::{compact, render};
use kmsplay_json::{Node, Span};
use serde_json::{Map, Value};

/// The merged text and what happened to each statement offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeResult {
    /// The policy text with the new statements.
    pub text: String,
    /// Indexes (into the statements offered) of those added.
    pub added: Vec<usize>,
    /// Indexes of those left out because the policy already had them.
    pub skipped_duplicates: Vec<usize>,
    /// Added statements whose Sid was already taken by a different
    /// statement, with the Sid they got instead (AWS refuses duplicate Sids).
    pub renamed_sids: Vec<(usize, String)>,
    /// Indexes of those written over an existing statement of the same Sid
    /// that differed from them only by the documentation's placeholders
    /// (filled in place, not added).
    pub filled_in: Vec<usize>,
}

/// Why the statements could not be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError {
    /// A JSON syntax code (`json-…`, message `diag.<code>`) or one of
    /// `not-an-object`, `statement-not-list`, `not-a-statement`
    /// (message `merge.error.<code>`).
    pub code: &'static str,
    /// Where in the policy text.
    pub span: Span,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl MergeError {
    fn new(code: &'static str, span: Span) -> MergeError {
        MergeError {
            code,
            span,
            params: Vec::new(),
        }
    }

    /// The message id for this error.
    pub fn message_id(&self) -> String {
        if self.code.starts_with("json-") {
            format!("diag.{}", self.code)
        } else {
            format!("merge.error.{}", self.code)
        }
    }
}

/// Merges `statements` (JSON objects) into the policy `policy_text`.
pub fn merge(policy_text: &str, statements: &[Value]) -> Result<MergeResult, MergeError> {
    if let Some(i) = statements.iter().position(|s| !s.is_object()) {
        let mut e = MergeError::new("not-a-statement", Span::default());
        e.params.push(("index", (i + 1).to_string()));
        return Err(e);
    }
    let root = kmsplay_json::parse(policy_text).map_err(|e| MergeError {
        code: e.kind.code(),
        span: e.span,
        params: e.kind.params(),
    })?;
    let members = root
        .as_object()
        .ok_or_else(|| MergeError::new("not-an-object", root.span))?;
    let statement_member = members.iter().find(|m| m.key == "Statement");
    if statement_member.is_none() {
        if let Some(policy) = root.get("key").and_then(|key| key.get("policy")) {
            return merge_into_file_key(policy_text, policy, statements);
        }
    }
    let existing: Vec<&Node> = match statement_member.map(|m| &m.value) {
        None => Vec::new(),
        Some(node) => match &node.value {
            kmsplay_json::Value::Array(items) => items.iter().collect(),
            kmsplay_json::Value::Object(_) => vec![node],
            _ => return Err(MergeError::new("statement-not-list", node.span)),
        },
    };

    let existing_values: Vec<Value> = existing
        .iter()
        .map(|n| serde_json::from_str(&n.to_json()).unwrap_or(Value::Null))
        .collect();
    let mut sids: Vec<String> = existing_values
        .iter()
        .filter_map(|v| v.get("Sid").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut seen: Vec<Value> = existing_values.iter().map(normalise).collect();
    let mut result = MergeResult {
        text: policy_text.to_string(),
        added: Vec::new(),
        skipped_duplicates: Vec::new(),
        renamed_sids: Vec::new(),
        filled_in: Vec::new(),
    };
    let mut new = Vec::new();
    let mut fills: Vec<(Span, String)> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let n = normalise(s);
        if seen.contains(&n) {
            result.skipped_duplicates.push(i);
            continue;
        }
        seen.push(n);
        let same_sid = s.get("Sid").and_then(Value::as_str).and_then(|sid| {
            existing
                .iter()
                .find(|e| e.get("Sid").and_then(Node::as_str) == Some(sid))
        });
        if let Some(edits) = same_sid.and_then(|e| crate::placeholders::filled_in(e, s)) {
            fills.extend(edits);
            result.filled_in.push(i);
            continue;
        }
        let mut s = s.clone();
        if let Some(sid) = s.get("Sid").and_then(Value::as_str).map(str::to_string) {
            let mut unique = sid.clone();
            let mut n = 2;
            while sids.contains(&unique) {
                unique = format!("{sid} ({n})");
                n += 1;
            }
            if unique != sid {
                s["Sid"] = Value::String(unique.clone());
                result.renamed_sids.push((i, unique.clone()));
            }
            sids.push(unique);
        }
        result.added.push(i);
        new.push(s);
    }
    if new.is_empty() {
        let mut text = policy_text.to_string();
        fills.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
        for (span, literal) in fills {
            text.replace_range(span.start..span.end, &literal);
        }
        result.text = text;
        return Ok(result);
    }

    let style = Style::of(policy_text);
    let edits = insertions(policy_text, &root, statement_member, &new, &style);
    let mut text = policy_text.to_string();
    // Insertions and in-place fills, from the end so offsets hold (a fill
    // is always inside an existing statement, never at an insertion point).
    let mut edits: Vec<(usize, usize, String)> = edits
        .into_iter()
        .map(|(at, insert)| (at, at, insert))
        .chain(fills.into_iter().map(|(span, l)| (span.start, span.end, l)))
        .collect();
    edits.sort_by_key(|(at, _, _)| std::cmp::Reverse(*at));
    for (start, end, insert) in edits {
        text.replace_range(start..end, &insert);
    }
    result.text = text;
    Ok(result)
}

/// A playground file (`{"version", "key": {"policy", …}, …}`): the
/// statements go into its key's policy, where it stands, and the rest of
/// the file is kept byte for byte. Without this, the file itself would be
/// taken for a policy with no `Statement` and get one at its top level.
fn merge_into_file_key(
    file_text: &str,
    policy: &Node,
    statements: &[Value],
) -> Result<MergeResult, MergeError> {
    let span = policy.span;
    let splice = |inner: MergeResult, replacement: String| MergeResult {
        text: format!(
            "{}{replacement}{}",
            &file_text[..span.start],
            &file_text[span.end..]
        ),
        ..inner
    };
    match &policy.value {
        kmsplay_json::Value::Object(_) => {
            let merged =
                merge(&file_text[span.start..span.end], statements).map_err(|e| MergeError {
                    span: Span::new(span.start + e.span.start, span.start + e.span.end),
                    ..e
                })?;
            let replacement = merged.text.clone();
            Ok(splice(merged, replacement))
        }
        // The policy as the text a user pasted, inside a JSON string: merged
        // as that text, then written back as a string. An error's position
        // is the string's, as the text inside has its own lines.
        kmsplay_json::Value::String(inner) => {
            let merged = merge(inner, statements).map_err(|e| MergeError { span, ..e })?;
            let replacement = serde_json::to_string(&merged.text).unwrap_or_default();
            Ok(splice(merged, replacement))
        }
        _ => Err(MergeError::new("not-an-object", span)),
    }
}

/// Where the new statements go and the text inserted there: into the
/// `Statement` array (after its last item, or into an empty one), around a
/// single statement object that becomes an array, or as a new `Statement`
/// member.
fn insertions(
    policy_text: &str,
    root: &Node,
    statement_member: Option<&kmsplay_json::Member>,
    new: &[Value],
    style: &Style,
) -> Vec<(usize, String)> {
    match statement_member {
        None => insert_statement_member(policy_text, root, new, style),
        Some(m) => match &m.value.value {
            kmsplay_json::Value::Array(items) if items.is_empty() => {
                insert_into_empty(policy_text, m.key_span.start, m.value.span, new, style)
            }
            kmsplay_json::Value::Array(items) => {
                let gap = match items.len() {
                    n if n >= 2 => {
                        Some(&policy_text[items[n - 2].span.end..items[n - 1].span.start])
                    }
                    _ => None,
                };
                let last = items.last().expect("not empty");
                vec![(
                    last.span.end,
                    after_item(policy_text, last, gap, new, style),
                )]
            }
            _ => {
                // A single statement object: make it the first of an array.
                let obj = &m.value;
                let mut tail = after_item(policy_text, obj, None, new, style);
                tail.push(']');
                vec![(obj.span.start, "[".to_string()), (obj.span.end, tail)]
            }
        },
    }
}

/// The text's line ending and indentation unit.
struct Style {
    eol: &'static str,
    unit: String,
    single_line: bool,
}

impl Style {
    fn of(text: &str) -> Style {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        // The smallest indentation of any indented line is one unit.
        let unit = text
            .lines()
            .filter_map(|l| {
                let ws: &str = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
                (!ws.is_empty() && ws.len() < l.len()).then_some(ws)
            })
            .min_by_key(|ws| ws.len())
            .unwrap_or("  ")
            .to_string();
        Style {
            eol,
            unit,
            single_line: !text.contains('\n'),
        }
    }
}

/// The whitespace before `offset` on its line, when only whitespace
/// precedes it there.
fn indent_before(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    before
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(before)
}

/// The whitespace at the start of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The indentation unit inside an object written over several lines: its
/// first member's indentation less the object's own.
fn unit_inside(text: &str, node: &Node, base: &str) -> Option<String> {
    let first = node.as_object()?.first()?;
    let member = indent_before(text, first.key_span.start)?;
    member
        .strip_prefix(base)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

/// What to insert after an existing statement `last` so that the new
/// statements follow it in the same style.
fn after_item(text: &str, last: &Node, gap: Option<&str>, new: &[Value], style: &Style) -> String {
    let item_text = &text[last.span.start..last.span.end];
    let multi_line = item_text.contains('\n');
    let own_line = indent_before(text, last.span.start);
    let mut out = String::new();
    if multi_line {
        let base = own_line.unwrap_or_else(|| line_indent(text, last.span.end));
        let unit = unit_inside(text, last, base).unwrap_or_else(|| style.unit.clone());
        for s in new {
            match own_line {
                Some(indent) => {
                    out.push(',');
                    out.push_str(style.eol);
                    out.push_str(indent);
                }
                // `}, {` style: the new statement starts on the line where
                // the previous one ends.
                None => out.push_str(", "),
            }
            out.push_str(&render(s, base, &unit, style.eol));
        }
    } else {
        let colon = if item_text.contains("\": ") {
            ": "
        } else {
            ":"
        };
        let comma = if item_text.contains(", ") { ", " } else { "," };
        let sep = match (gap, own_line) {
            (Some(g), _) => g.to_string(),
            (None, Some(indent)) if !style.single_line => format!(",{}{indent}", style.eol),
            (None, _) => format!(",{}", if comma == "," { "" } else { " " }),
        };
        for s in new {
            out.push_str(&sep);
            out.push_str(&compact(s, colon, comma));
        }
    }
    out
}

/// Statements into `"Statement": []`.
fn insert_into_empty(
    text: &str,
    key_start: usize,
    array: Span,
    new: &[Value],
    style: &Style,
) -> Vec<(usize, String)> {
    if style.single_line {
        let items: Vec<String> = new.iter().map(|s| compact(s, ": ", ", ")).collect();
        return vec![(array.end - 1, items.join(", "))];
    }
    let base = line_indent(text, key_start);
    let indent = format!("{base}{}", style.unit);
    let items: Vec<String> = new
        .iter()
        .map(|s| render(s, &indent, &style.unit, style.eol))
        .collect();
    let joined = items.join(&format!(",{}{indent}", style.eol));
    let inner = &text[array.start + 1..array.end - 1];
    if inner.contains('\n') {
        // `[` newline … `]`: the existing line break and indent close it.
        vec![(array.start + 1, format!("{}{indent}{joined}", style.eol))]
    } else {
        vec![(
            array.end - 1,
            format!("{}{indent}{joined}{}{base}", style.eol, style.eol),
        )]
    }
}

/// A `"Statement": [...]` member for a policy that has none.
fn insert_statement_member(
    text: &str,
    root: &Node,
    new: &[Value],
    style: &Style,
) -> Vec<(usize, String)> {
    let members = root.as_object().unwrap_or_default();
    if style.single_line {
        let items: Vec<String> = new.iter().map(|s| compact(s, ": ", ", ")).collect();
        let member = format!("\"Statement\": [{}]", items.join(", "));
        return match members.last() {
            Some(m) => vec![(m.value.span.end, format!(", {member}"))],
            None => vec![(root.span.end - 1, member)],
        };
    }
    let (indent, at, lead) = match members.last() {
        Some(m) => {
            let indent = indent_before(text, m.key_span.start)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}{}", line_indent(text, root.span.start), style.unit));
            (
                indent.clone(),
                m.value.span.end,
                format!(",{}{indent}", style.eol),
            )
        }
        None => {
            let base = line_indent(text, root.span.start);
            let indent = format!("{base}{}", style.unit);
            (
                indent.clone(),
                root.span.start + 1,
                format!("{}{indent}", style.eol),
            )
        }
    };
    let inner = format!("{indent}{}", style.unit);
    let items: Vec<String> = new
        .iter()
        .map(|s| render(s, &inner, &style.unit, style.eol))
        .collect();
    let mut insert = format!(
        "{lead}\"Statement\": [{}{inner}{}{}{indent}]",
        style.eol,
        items.join(&format!(",{}{inner}", style.eol)),
        style.eol
    );
    // Only white space stands between the braces of an empty object; it
    // stays after our member, and closes it when it holds a line break.
    if members.is_empty() && !text[root.span.start + 1..root.span.end - 1].contains('\n') {
        insert.push_str(style.eol);
        insert.push_str(line_indent(text, root.span.start));
    }
    vec![(at, insert)]
}

/// Do `a` and `b` say the same (Sid aside)?
pub fn same_statement(a: &Value, b: &Value) -> bool {
    normalise(a) == normalise(b)
}

/// A statement in a canonical form: no Sid; every list sorted and without
/// repeats, a single string as a list of one; actions and condition keys
/// in lower case (IAM compares them case-insensitively); `"Principal": "*"`
/// as `{"AWS": ["*"]}` and a bare account id as its root ARN.
pub fn normalise(statement: &Value) -> Value {
    let Some(o) = statement.as_object() else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (k, v) in o {
        let n = match k.as_str() {
            "Sid" => continue,
            "Principal" | "NotPrincipal" => principal(v),
            "Action" | "NotAction" => set(v, true),
            "Resource" | "NotResource" => set(v, false),
            "Condition" => condition(v),
            _ => v.clone(),
        };
        out.insert(k.clone(), n);
    }
    Value::Object(out)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn set(v: &Value, lower: bool) -> Value {
    let mut items: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    };
    if lower {
        items.iter_mut().for_each(|s| *s = s.to_lowercase());
    }
    items.sort_unstable();
    items.dedup();
    Value::Array(items.into_iter().map(Value::String).collect())
}

fn principal(v: &Value) -> Value {
    match v {
        Value::String(s) if s == "*" => serde_json::json!({ "AWS": ["*"] }),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(kind, ids)| {
                    let mut n = set(ids, false);
                    if kind == "AWS" {
                        if let Value::Array(items) = &mut n {
                            for item in items.iter_mut() {
                                if let Some(s) =
                                    item.as_str().filter(|s| kmsplay_policy::is_account_id(s))
                                {
                                    *item = Value::String(format!("arn:aws:iam::{s}:root"));
                                }
                            }
                            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                            items.dedup();
                        }
                    }
                    (kind.clone(), n)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn condition(v: &Value) -> Value {
    match v {
        Value::Object(ops) => Value::Object(
            ops.iter()
                .map(|(op, keys)| {
                    let keys = match keys {
                        Value::Object(k) => Value::Object(
                            k.iter()
                                .map(|(key, values)| (key.to_lowercase(), set(values, false)))
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    (op.clone(), keys)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
