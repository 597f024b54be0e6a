//! The documentation's placeholders (`region`, `account-id`, `trail-name`,
//! `key-id`, `username`…): AWS's pages print statements with them where the
//! reader's own values go, and AWS compares them as ordinary text, so a
//! statement pasted as published matches nothing. Shared by the findings
//! (which report them), "Add to my policy" (which fills them in when the
//! scenario's statement of the same Sid has the values) and the fixes.

use crate::findings::PLACEHOLDER_WORDS;
use kmsplay_json::{Node, Span, Value as Json};
use serde_json::Value;

/// Is `part` (an ARN part, a piece of a resource, or a whole value) one of
/// the documentation's placeholder words?
pub(crate) fn is_word(part: &str) -> bool {
    PLACEHOLDER_WORDS.contains(&part)
}

/// When statement `old` (as written) differs from `new` only where `old`
/// has a placeholder word and `new` a value, the edits that write `new`'s
/// strings over `old`'s (spans of `old`'s string literals, new literals);
/// None when anything else differs, or when `old` has no placeholder.
pub(crate) fn filled_in(old: &Node, new: &Value) -> Option<Vec<(Span, String)>> {
    let mut edits = Vec::new();
    same_but_placeholders(old, new, &mut edits)?;
    (!edits.is_empty()).then_some(edits)
}

fn same_but_placeholders(old: &Node, new: &Value, edits: &mut Vec<(Span, String)>) -> Option<()> {
    match (&old.value, new) {
        (Json::String(a), Value::String(b)) => {
            if a != b {
                if !only_placeholders_differ(a, b) {
                    return None;
                }
                edits.push((old.span, Value::String(b.clone()).to_string()));
            }
            Some(())
        }
        // One value written as a string in one and as a one-element array
        // in the other.
        (Json::String(_), Value::Array(items)) if items.len() == 1 => {
            same_but_placeholders(old, &items[0], edits)
        }
        (Json::Array(items), Value::String(_)) if items.len() == 1 => {
            same_but_placeholders(&items[0], new, edits)
        }
        (Json::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .try_for_each(|(x, y)| same_but_placeholders(x, y, edits)),
        (Json::Object(a), Value::Object(b)) if a.len() == b.len() => a
            .iter()
            .try_for_each(|m| same_but_placeholders(&m.value, b.get(&m.key)?, edits)),
        (Json::Bool(a), Value::Bool(b)) if a == b => Some(()),
        (Json::Null, Value::Null) => Some(()),
        (Json::Number(a), Value::Number(b)) if a.parse::<f64>().ok() == b.as_f64() => Some(()),
        _ => None,
    }
}

/// `old` and `new` are the same but where `old` has a placeholder word as a
/// whole, as an ARN's Region or account, or as a piece of its resource.
pub(crate) fn only_placeholders_differ(old: &str, new: &str) -> bool {
    if is_word(old) {
        return !new.is_empty();
    }
    let (Some(a), Some(b)) = (
        kmsplay_policy::arn::split(old),
        kmsplay_policy::arn::split(new),
    ) else {
        return false;
    };
    let mut any = false;
    let mut part = |x: &str, y: &str| {
        if x == y {
            true
        } else if is_word(x) && !y.is_empty() && !y.contains(['*', '?']) {
            any = true;
            true
        } else {
            false
        }
    };
    if a[..3] != b[..3] || !part(a[3], b[3]) || !part(a[4], b[4]) {
        return false;
    }
    let ra: Vec<&str> = a[5].split(['/', ':']).collect();
    let rb: Vec<&str> = b[5].split(['/', ':']).collect();
    let separators = |r: &str| r.matches(['/', ':']).collect::<String>();
    ra.len() == rb.len()
        && separators(a[5]) == separators(b[5])
        && ra.iter().zip(&rb).all(|(x, y)| part(x, y))
        && any
}
