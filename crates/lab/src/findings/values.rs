//! Values: placeholders, ARNs, account ids.

use super::finding::{Finding, Severity};
use kmsplay_json::Span;
use kmsplay_policy::{arn, is_account_id};

/// Where a value stands, which decides what it must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueRole {
    /// An `AWS` principal entry (ARN or account id).
    Principal,
    /// A `Resource` entry.
    Resource,
    /// A value of an account-id condition key.
    Account,
    /// Any other condition value.
    ConditionValue,
}

/// The placeholders in a value, comma-separated: documentation words in
/// ARN parts or as the whole value, or `<word>` / `{word}` (but not `${…}`).
pub(super) fn placeholder_in(value: &str) -> Option<String> {
    if let Some(p) = bracketed(value) {
        return Some(p);
    }
    if crate::placeholders::WORDS.contains(&value) {
        return Some(value.to_string());
    }
    let [_, _, _, region, account, resource] = arn::split(value)?;
    let mut found: Vec<&str> = Vec::new();
    let parts = [region, account]
        .into_iter()
        .chain(resource.split(['/', ':']));
    for part in parts {
        if crate::placeholders::WORDS.contains(&part) && !found.contains(&part) {
            found.push(part);
        }
    }
    (!found.is_empty()).then(|| found.join(", "))
}

/// `<account>`, `<ACCOUNT_ID>`, `{account-id}`: a word in angle brackets or
/// in braces not opened by `${`.
fn bracketed(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let close = match b {
            b'<' => b'>',
            b'{' if i == 0 || bytes[i - 1] != b'$' => b'}',
            _ => continue,
        };
        let rest = &value[i + 1..];
        let Some(len) = rest.find(close as char) else {
            continue;
        };
        let word = &rest[..len];
        if !word.is_empty()
            && word
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            && word.bytes().any(|c| c.is_ascii_alphabetic())
        {
            return Some(value[i..i + len + 2].to_string());
        }
    }
    None
}

/// Partitions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Services whose ARNs carry a Region and an account.
const REGIONAL_SERVICES: &[&str] = &[
    "cloudtrail",
    "dynamodb",
    "ec2",
    "events",
    "kms",
    "lambda",
    "logs",
    "secretsmanager",
    "sns",
    "sqs",
];

fn has_wildcard_or_variable(part: &str) -> bool {
    part.contains(['*', '?']) || part.contains("${")
}

/// Looks for a placeholder, a mistyped account id or a malformed ARN.
pub(super) fn check_value(value: &str, span: Span, role: ValueRole, out: &mut Vec<Finding>) {
    if let Some(p) = placeholder_in(value) {
        // Copied from the documentation without filling in the real value:
        // AWS compares it as an ordinary string, so the statement never
        // matches a real request (seed 002's statements).
        out.push(
            Finding::new("placeholder-left-in", Severity::Warning, span)
                .with("value", value.to_string())
                .with("placeholder", p),
        );
        return;
    }
    let bad_account = |account: &str| {
        !account.is_empty()
            && !is_account_id(account)
            && !has_wildcard_or_variable(account)
            && (account.bytes().all(|b| b.is_ascii_digit()) || role != ValueRole::ConditionValue)
    };
    // An account id is 12 digits: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
    // (seed 002 writes 11111111111, eleven digits).
    let account_finding = |account: &str| {
        Finding::new("malformed-account-id", Severity::Warning, span)
            .with("value", value.to_string())
            .with("account", account.to_string())
    };
    if !value.starts_with("arn:") {
        let is_digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        let account_like = match role {
            ValueRole::Account => !has_wildcard_or_variable(value),
            ValueRole::Principal => is_digits,
            _ => false,
        };
        if account_like && bad_account(value) {
            out.push(account_finding(value));
        }
        return;
    }
    if role == ValueRole::ConditionValue
        && has_wildcard_or_variable(value)
        && arn::split(value).is_none()
    {
        return;
    }
    // ARN format: arn:partition:service:region:account-id:resource —
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
    let malformed =
        || Finding::new("malformed-arn", Severity::Warning, span).with("value", value.to_string());
    let Some([_, partition, service, region, account, resource]) = arn::split(value) else {
        out.push(malformed());
        return;
    };
    let partition_ok = PARTITIONS.contains(&partition) || has_wildcard_or_variable(partition);
    let regional = REGIONAL_SERVICES.contains(&service);
    let needs_account = regional || service == "iam" || service == "sts";
    if !partition_ok
        || service.is_empty()
        || resource.is_empty()
        || (regional && region.is_empty())
        || (needs_account && account.is_empty())
    {
        out.push(malformed());
        return;
    }
    if account.bytes().all(|b| b.is_ascii_digit()) && bad_account(account) {
        out.push(account_finding(account));
    }
}
