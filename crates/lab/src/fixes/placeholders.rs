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

use super::locate::{key_policy_node, policy_text};
use super::model::{Fix, FixTarget};
use crate::placeholders::{align, fill};
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
                let mut literal = String::new();
                kmsplay_json::write_string(&new, &mut literal);
                edits.push((s.span.start, s.span.end, literal));
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
