//! Applying a fix to the file's text, keeping every byte the user wrote.

use super::locate::{
    array, identity_node, key_policy_node, layer_list, layer_node, policies_of, policy_text, stale,
};
use super::model::{Fix, FixTarget};
use super::placeholders;
use crate::snippets::{compact, render};
use kmsplay_json::Node;
use kmsplay_playground::FileError;
use serde_json::{json, Value};

/// Is `needle` a subsequence of `hay` (bytes in order, gaps allowed)?
pub fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.bytes();
    needle.bytes().all(|b| hay.any(|h| h == b))
}

/// Applies a fix to the file text, returning the new playground file text.
/// A key policy given as a string stays a string (its text is the fix's
/// `new_text`, which [`crate::merge::merge`] built keeping every byte of
/// the old one); a policy given as an object is replaced by the new
/// object text in place; a new identity policy (and, when needed, a new
/// identity) is added as a JSON object in the style of the file. A fix
/// that only explains leaves the text as it is. Fails when the file is not
/// JSON or the policy the fix was made for is no longer there as it was
/// (`file.fix-stale`).
pub fn apply(file_text: &str, fix: &Fix) -> Result<String, FileError> {
    if !fix.changes_text() {
        return Ok(file_text.to_string());
    }
    let root = kmsplay_json::parse(file_text).map_err(|e| FileError {
        code: e.kind.code(),
        path: String::new(),
        span: e.span,
        params: e.kind.params(),
    })?;
    let (at, remove, insert) = match &fix.target {
        FixTarget::KeyPolicy => {
            let node = key_policy_node(&root).ok_or_else(|| stale(root.span))?;
            replacement(file_text, node, fix)?
        }
        FixTarget::IdentityPolicy {
            identity,
            policy: Some(j),
        } => {
            let node = identity_node(&root, identity)
                .and_then(|(_, i)| policies_of(i)?.get(*j))
                .ok_or_else(|| stale(root.span))?;
            replacement(file_text, node, fix)?
        }
        FixTarget::IdentityPolicy {
            identity,
            policy: None,
        } => {
            let policy: Value =
                serde_json::from_str(&fix.new_text).map_err(|_| stale(root.span))?;
            let (at, insert) = match identity_node(&root, identity) {
                Some((_, node)) => match node.get("policies") {
                    Some(list) if array(list).is_some() => append_item(file_text, list, &policy),
                    Some(other) => return Err(stale(other.span)),
                    None => add_member(file_text, node, "policies", &json!([policy])),
                },
                None => {
                    let entry = json!({ "arn": identity, "policies": [policy] });
                    match root.get("identities") {
                        Some(list) if array(list).is_some() => append_item(file_text, list, &entry),
                        Some(other) => return Err(stale(other.span)),
                        None => add_member(file_text, &root, "identities", &json!([entry])),
                    }
                }
            };
            (at, 0, insert)
        }
        FixTarget::Layer(source) => match layer_node(&root, source) {
            Some(node) => replacement(file_text, node, fix)?,
            None => {
                // A new policy at the end of its list.
                let list = layer_list(&root, source).ok_or_else(|| stale(root.span))?;
                let policy: Value =
                    serde_json::from_str(&fix.new_text).map_err(|_| stale(root.span))?;
                let (at, insert) = append_item(file_text, list, &policy);
                (at, 0, insert)
            }
        },
    };
    let mut out = String::with_capacity(file_text.len() + insert.len());
    out.push_str(&file_text[..at]);
    out.push_str(&insert);
    out.push_str(&file_text[at + remove..]);
    match &fix.also {
        Some(other) => apply(&out, other),
        None => Ok(out),
    }
}

/// Replace the policy at `node` with `new_text` (as a string when it was one).
fn replacement(
    file_text: &str,
    node: &Node,
    fix: &Fix,
) -> Result<(usize, usize, String), FileError> {
    let new_text = fix.new_text.as_str();
    let (old, is_string) = policy_text(file_text, node).ok_or_else(|| stale(node.span))?;
    // Every byte the user wrote stays, except the placeholders the
    // fill-placeholders fix writes over (it changes string values only).
    if fix.code != placeholders::CODE && !is_subsequence(&old, new_text) {
        return Err(stale(node.span));
    }
    let insert = if is_string {
        let mut s = String::new();
        kmsplay_json::write_string(new_text, &mut s);
        s
    } else {
        new_text.to_string()
    };
    Ok((node.span.start, node.span.end - node.span.start, insert))
}

fn eol_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The smallest indentation of any indented line: one unit.
fn unit_of(text: &str) -> String {
    text.lines()
        .filter_map(|l| {
            let ws = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
            (!ws.is_empty() && ws.len() < l.len()).then_some(ws)
        })
        .min_by_key(|ws| ws.len())
        .unwrap_or("  ")
        .to_string()
}

/// The whitespace at the start of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The whitespace before `offset` when only whitespace precedes it on its line.
fn own_line_indent(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    before
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(before)
}

/// Where and what to insert to add `value` at the end of the array `list`.
pub(super) fn append_item(text: &str, list: &Node, value: &Value) -> (usize, String) {
    let eol = eol_of(text);
    let unit = unit_of(text);
    let items = array(list).unwrap_or_default();
    if let Some(last) = items.last() {
        return match own_line_indent(text, last.span.start) {
            Some(indent) => (
                last.span.end,
                format!(",{eol}{indent}{}", render(value, indent, &unit, eol)),
            ),
            None if text[list.span.start..list.span.end].contains('\n') => {
                let indent = line_indent(text, last.span.end);
                (
                    last.span.end,
                    format!(", {}", render(value, indent, &unit, eol)),
                )
            }
            None => (last.span.end, format!(", {}", compact(value, ": ", ", "))),
        };
    }
    let inside = list.span.start + 1;
    if !text.contains('\n') {
        return (inside, compact(value, ": ", ", "));
    }
    let base = line_indent(text, list.span.start);
    let indent = format!("{base}{unit}");
    let rendered = render(value, &indent, &unit, eol);
    if text[inside..list.span.end - 1].contains('\n') {
        (inside, format!("{eol}{indent}{rendered}"))
    } else {
        (inside, format!("{eol}{indent}{rendered}{eol}{base}"))
    }
}

/// Where and what to insert to add member `key` to the object `object`.
pub(super) fn add_member(text: &str, object: &Node, key: &str, value: &Value) -> (usize, String) {
    let eol = eol_of(text);
    let unit = unit_of(text);
    let mut name = String::new();
    kmsplay_json::write_string(key, &mut name);
    let members = object.as_object().unwrap_or_default();
    if let Some(last) = members.last() {
        return match own_line_indent(text, last.key_span.start) {
            Some(indent) => (
                last.value.span.end,
                format!(
                    ",{eol}{indent}{name}: {}",
                    render(value, indent, &unit, eol)
                ),
            ),
            None => (
                last.value.span.end,
                format!(", {name}: {}", compact(value, ": ", ", ")),
            ),
        };
    }
    let inside = object.span.start + 1;
    if !text.contains('\n') {
        return (inside, format!("{name}: {}", compact(value, ": ", ", ")));
    }
    let base = line_indent(text, object.span.start);
    let indent = format!("{base}{unit}");
    let rendered = render(value, &indent, &unit, eol);
    if text[inside..object.span.end - 1].contains('\n') {
        (inside, format!("{eol}{indent}{name}: {rendered}"))
    } else {
        (
            inside,
            format!("{eol}{indent}{name}: {rendered}{eol}{base}"),
        )
    }
}
