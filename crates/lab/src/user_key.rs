//! The key a person brought: when they paste their own key policy (or a
//! file with a key ARN) and pick a scenario, the scenario runs for *their*
//! account, Region and key id, not for the documents' example ones.
//! Otherwise every request fails on the example account's root statement,
//! the lockout check flags the user's own root statement, and "Add to my
//! policy" adds statements for an account nobody chose.

use kmsplay_policy::{arn, parse_text, Effect, Policy, PolicyKind};

use crate::scenarios::Scenario;

/// Where the account came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    /// The key ARN of the file (account, Region and key id).
    KeyArn,
    /// The account the key policy's root statement names (the statement
    /// that gives `kms:*` to `arn:aws:iam::ACCOUNT:root`, as the default
    /// key policy does).
    RootStatement,
}

/// The user's key: its account, and its Region and key id where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKey {
    /// The key's account.
    pub account: String,
    /// Its Region: from the key ARN, else from an ARN of the same account
    /// that the policy names (a trail's ARN, say); `None` when neither.
    pub region: Option<String>,
    /// Its key id, from the key ARN (or a key ARN the policy names).
    pub key_id: Option<String>,
    /// Where the account came from.
    pub origin: KeyOrigin,
}

impl UserKey {
    /// The user's key: from the file's key ARN, unless the policy's root
    /// statement names another account (a policy pasted over an example
    /// file is for the pasted policy's account: a key policy's root
    /// statement names the key's own account); else from the policy's root
    /// statement. `None` when neither names an account.
    pub fn find(key_arn: Option<&str>, policy_text: &str) -> Option<UserKey> {
        let root = parse_text(policy_text, PolicyKind::Resource)
            .policy
            .as_ref()
            .and_then(root_statement_account);
        if let Some(parts) = key_arn.and_then(arn::split) {
            let agrees = root.as_deref().is_none_or(|r| r == parts[4]);
            if parts[2] == "kms" && is_account(parts[4]) && agrees {
                return Some(UserKey {
                    account: parts[4].to_string(),
                    region: Some(parts[3].to_string()).filter(|r| !r.is_empty()),
                    key_id: parts[5].strip_prefix("key/").map(str::to_string),
                    origin: KeyOrigin::KeyArn,
                });
            }
        }
        let account = root?;
        let mut region = None;
        let mut key_id = None;
        for found in arns(policy_text) {
            let Some(p) = arn::split(found) else { continue };
            if p[4] != account || p[3].is_empty() || p[3].contains(['*', '?', '$']) {
                continue;
            }
            region.get_or_insert_with(|| p[3].to_string());
            if p[2] == "kms" {
                if let Some(id) = p[5]
                    .strip_prefix("key/")
                    .filter(|id| !id.contains(['*', '?']))
                {
                    key_id.get_or_insert_with(|| id.to_string());
                }
            }
        }
        Some(UserKey {
            account,
            region,
            key_id,
            origin: KeyOrigin::RootStatement,
        })
    }

    /// The parameter values this key gives `scenario` (only the ones it
    /// has: `key_account`, `region`, `key_id`).
    pub fn params(&self, scenario: &Scenario) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut add = |name: &'static str, value: Option<&String>| {
            if let (Some(v), Some(_)) = (value, scenario.param(name)) {
                out.push((name, v.clone()));
            }
        };
        add("key_account", Some(&self.account));
        add("region", self.region.as_ref());
        add("key_id", self.key_id.as_ref());
        out
    }
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of the root statement: an unconditional Allow of `kms:*`
/// (or `*`) to an account root (the engine's parser says which principal
/// entries name a whole account: `…:root` or a bare id). Failing that, the
/// account of the first Allow that names an account root at all.
fn root_statement_account(policy: &Policy) -> Option<String> {
    let mut first = None;
    for st in &policy.statements {
        let Some(principal) = st.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        if st.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(account) = principal.items.iter().find_map(|e| e.value.account_root()) else {
            continue;
        };
        let everything = st.action.as_ref().is_some_and(|a| {
            !a.negated
                && a.items
                    .iter()
                    .any(|i| i.value.text == "*" || i.value.text.eq_ignore_ascii_case("kms:*"))
        });
        if everything && st.conditions.is_empty() {
            return Some(account.to_string());
        }
        first.get_or_insert_with(|| account.to_string());
    }
    first
}

/// Every `arn:` string of the text, in order.
fn arns(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("\"arn:").map(move |(i, _)| {
        let rest = &text[i + 1..];
        &rest[..rest.find('"').unwrap_or(rest.len())]
    })
}
