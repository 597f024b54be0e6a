//! The documentation's placeholders corrected in place.
//!
//! AWS's pages print statements with `region`, `account-id`, `trail-name`,
//! `key-id`, `username` where the reader's own values go ("replace region,
//! account-id and trail-name with your values"). Pasted as published they
//! match nothing: AWS compares them as ordinary strings. The other fixes
//! never edit an existing statement (seed 002: "do not change any existing
//! sections") and add a narrow one beside it; for a placeholder that is the
//! wrong advice — the statement is not the user's decision, it is a form
//! left unfilled. This fix fills it in, in place: each placeholder word of
//! the statements that hold one becomes the value the request carries in
//! the same position (the caller's ARN, `aws:SourceArn`, the encryption
//! context), or the key's own account, Region and key id. Only the string
//! literals change; every other byte of the policy stays as typed.

use super::{key_policy_node, policy_text, Fix, FixTarget};
use crate::placeholders::is_word;
use kmsplay_json::{Node, Value as Json};
use kmsplay_playground::{PlaygroundFile, RequestSpec};

/// The fix's code (messages `fix.fill-placeholders.*`).
pub(super) const CODE: &str = "fill-placeholders";

/// The words for the key's account, Region and key id.
const ACCOUNT_WORDS: &[&str] = &[
    "account",
    "account-id",
    "account-number",
    "accountid",
    "aws-account-id",
];
const REGION_WORDS: &[&str] = &["region", "aws-region"];

/// The fix that fills in the placeholders of the key policy for request
/// `spec`, or None when the key policy has none it can fill. Not yet
/// verified: the caller runs the engine on it as on every fix.
pub(super) fn correct_in_place(
    file_text: &str,
    root: &Node,
    file: &PlaygroundFile,
    spec: &RequestSpec,
) -> Option<(Fix, usize)> {
    let node = key_policy_node(root)?;
    let (old, _) = policy_text(file_text, node)?;
    let policy = kmsplay_json::parse(&old).ok()?;
    let statements: Vec<&Node> = match policy.get("Statement").map(|s| &s.value) {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(Json::Object(_)) => vec![policy.get("Statement")?],
        _ => return None,
    };
    // What each placeholder stands for: first what the request carries
    // where the statement has it, then the key's own names.
    let mut values: Vec<(String, String)> = Vec::new();
    for st in &statements {
        learn_from_request(st, spec, &mut values);
    }
    let key = &file.key;
    for (words, value) in [
        (ACCOUNT_WORDS, key.account.as_str()),
        (REGION_WORDS, key.region.as_str()),
        (&["key-id"][..], key.key_id.as_str()),
    ] {
        for w in words {
            if !value.is_empty() && !values.iter().any(|(k, _)| k == w) {
                values.push((w.to_string(), value.to_string()));
            }
        }
    }
    // The string literals to rewrite, in text order.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut filled: Vec<String> = Vec::new();
    let mut first_statement = None;
    for (i, st) in statements.iter().enumerate() {
        let before = edits.len();
        strings(st, &mut |s: &Node| {
            let Some(text) = s.as_str() else { return };
            if let Some(new) = fill(text, &values, &mut filled) {
                edits.push((s.span.start, s.span.end, json_string(&new)));
            }
        });
        if edits.len() > before && first_statement.is_none() {
            first_statement = Some(i);
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut new_text = old.clone();
    for (start, end, text) in edits.iter().rev() {
        new_text.replace_range(*start..*end, text);
    }
    let words: Vec<String> = filled
        .iter()
        .map(|w| {
            let v = &values
                .iter()
                .find(|(k, _)| k == w)
                .expect("filled from values")
                .1;
            format!("{w} → {v}")
        })
        .collect();
    let fix = Fix {
        code: CODE,
        params: vec![("placeholders", words.join(", "))],
        target: FixTarget::KeyPolicy,
        new_text,
        diff: String::new(),
        also: None,
    };
    Some((fix, first_statement.unwrap_or(0)))
}

/// Every string inside `node` (object keys excluded).
fn strings(node: &Node, f: &mut dyn FnMut(&Node)) {
    match &node.value {
        Json::String(_) => f(node),
        Json::Array(items) => items.iter().for_each(|n| strings(n, f)),
        Json::Object(members) => members.iter().for_each(|m| strings(&m.value, f)),
        _ => {}
    }
}

/// The parts of an ARN (or the whole value) that a placeholder word can be:
/// the Region, the account, and the pieces of the resource between `/` and
/// `:`. Returns the value with the known words replaced, or None when
/// nothing changed.
fn fill(text: &str, values: &[(String, String)], filled: &mut Vec<String>) -> Option<String> {
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

/// Learns placeholder values from where `statement` and the request meet:
/// a principal template against the caller, a condition template against
/// the request's value of the same key.
fn learn_from_request(statement: &Node, spec: &RequestSpec, values: &mut Vec<(String, String)>) {
    if let Some(p) = statement.get("Principal").and_then(|p| p.get("AWS")) {
        strings(p, &mut |s: &Node| {
            if let Some(t) = s.as_str() {
                align(t, &spec.principal_text, values);
            }
        });
    }
    let Some(conditions) = statement.get("Condition").and_then(Node::as_object) else {
        return;
    };
    for block in conditions {
        for m in block.value.as_object().into_iter().flatten() {
            let Some(actual) = request_values(spec, &m.key) else {
                continue;
            };
            strings(&m.value, &mut |s: &Node| {
                if let Some(t) = s.as_str() {
                    for a in &actual {
                        align(t, a, values);
                    }
                }
            });
        }
    }
}

/// The request's values of condition key `key`, as the file gives them.
fn request_values(spec: &RequestSpec, key: &str) -> Option<Vec<String>> {
    if let Some(name) = key
        .get(..22)
        .filter(|p| p.eq_ignore_ascii_case("kms:EncryptionContext:"))
        .map(|_| &key[22..])
    {
        let v = spec.encryption_context.iter().find(|(k, _)| k == name)?;
        return Some(vec![v.1.clone()]);
    }
    let (_, v) = spec
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))?;
    Some(v.values().to_vec())
}

/// Matches template `t` (placeholder words in ARN parts, `*` and `?`
/// wildcards) against the request's value `a` part by part; on a match,
/// records what each placeholder word stood for.
fn align(t: &str, a: &str, values: &mut Vec<(String, String)>) {
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

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
