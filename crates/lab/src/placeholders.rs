//! The documentation's placeholders (`region`, `account-id`, `trail-name`,
//! `key-id`, `username`…): AWS's pages print statements with them where the
//! reader's own values go, and AWS compares them as ordinary text, so a
//! statement pasted as published matches nothing. Shared by the findings
//! (which report them), "Add to my policy" (which fills them in when the
//! scenario's statement of the same Sid has the values) and the fixes.

use kmsplay_json::{Node, Span, Value as Json};
use serde_json::Value;

/// The lower-case words the AWS documentation uses as placeholders (seed
/// 002: `region`, `account-id`, `key-id`, `trail-name`, `username`; seed
/// 000: `account`).
pub(crate) const WORDS: &[&str] = &[
    "account",
    "account-id",
    "account-number",
    "accountid",
    "aws-account-id",
    "aws-region",
    "bucket-name",
    "key-id",
    "region",
    "role-name",
    "secret-arn",
    "trail-name",
    "user-name",
    "username",
];

/// Is `part` (an ARN part, a piece of a resource, or a whole value) one of
/// the documentation's placeholder words?
pub(crate) fn is_word(part: &str) -> bool {
    WORDS.contains(&part)
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
                let mut literal = String::new();
                kmsplay_json::write_string(b, &mut literal);
                edits.push((old.span, literal));
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

/// The parts of an ARN (or the whole value) that a placeholder word can be:
/// the Region, the account, and the pieces of the resource between `/` and
/// `:`. Returns the value with the known words replaced, or None when
/// nothing changed.
pub(crate) fn fill(
    text: &str,
    values: &[(String, String)],
    filled: &mut Vec<String>,
) -> Option<String> {
    let known = |w: &str| values.iter().find(|(k, _)| k == w).map(|(_, v)| v.as_str());
    if is_word(text) {
        let v = known(text)?;
        push_word(filled, text);
        return Some(v.to_string());
    }
    let parts = kmsplay_policy::arn::split(text)?;
    let mut out = parts[..3].join(":");
    let mut changed = false;
    for part in [parts[3], parts[4]] {
        out.push(':');
        match known(part).filter(|_| is_word(part)) {
            Some(v) => {
                out.push_str(v);
                push_word(filled, part);
                changed = true;
            }
            None => out.push_str(part),
        }
    }
    out.push(':');
    let mut piece = String::new();
    for c in parts[5].chars().chain(std::iter::once('\0')) {
        if c == '/' || c == ':' || c == '\0' {
            match known(&piece).filter(|_| is_word(&piece)) {
                Some(v) => {
                    out.push_str(v);
                    push_word(filled, &piece);
                    changed = true;
                }
                None => out.push_str(&piece),
            }
            if c != '\0' {
                out.push(c);
            }
            piece.clear();
        } else {
            piece.push(c);
        }
    }
    changed.then_some(out)
}

fn push_word(filled: &mut Vec<String>, w: &str) {
    if !filled.iter().any(|f| f == w) {
        filled.push(w.to_string());
    }
}

/// Matches template `t` (placeholder words in ARN parts, `*` and `?`
/// wildcards) against the request's value `a` part by part; on a match,
/// records what each placeholder word stood for.
pub(crate) fn align(t: &str, a: &str, values: &mut Vec<(String, String)>) {
    let (Some(tp), Some(ap)) = (kmsplay_policy::arn::split(t), kmsplay_policy::arn::split(a))
    else {
        return;
    };
    let mut found = Vec::new();
    for i in 0..5 {
        if !part_matches(tp[i], ap[i], &mut found) {
            return;
        }
    }
    let tr: Vec<&str> = tp[5].split(['/', ':']).collect();
    let ar: Vec<&str> = ap[5].split(['/', ':']).collect();
    // A trailing `*` may stand for several pieces (`trail/*`).
    let star_tail = tr.last() == Some(&"*");
    if tr.len() != ar.len() && !(star_tail && ar.len() >= tr.len()) {
        return;
    }
    for (x, y) in tr.iter().zip(&ar) {
        if !part_matches(x, y, &mut found) {
            return;
        }
    }
    for (w, v) in found {
        if !values.iter().any(|(k, _)| *k == w) {
            values.push((w, v));
        }
    }
}

fn part_matches(t: &str, a: &str, found: &mut Vec<(String, String)>) -> bool {
    if is_word(t) {
        if a.is_empty() || a.contains(['*', '?']) {
            return false;
        }
        found.push((t.to_string(), a.to_string()));
        return true;
    }
    kmsplay_policy::wildcard::Pattern::new(t, false).matches(a)
}
