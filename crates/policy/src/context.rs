//! The request being decided: who, what, on which resource, and the
//! condition keys that came with it.

use crate::arn;

/// One condition key's value in the request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key.
    Single(String),
    /// A multivalued key (`kms:EncryptionContextKeys`, `aws:TagKeys`, …).
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one element for a single-valued key).
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(v) => std::slice::from_ref(v),
            ContextValue::Multi(v) => v,
        }
    }
}

/// Condition keys of a request. Key names are case-insensitive, as IAM's
/// are; values keep their case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// Sorted by lower-cased key, for binary search.
    entries: Vec<(String, String, ContextValue)>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> RequestContext {
        RequestContext::default()
    }

    /// Sets `key` (replacing any value under the same key in any case).
    pub fn insert(&mut self, key: &str, value: ContextValue) {
        let lower = key.to_ascii_lowercase();
        match self.entries.binary_search_by(|e| e.0.as_str().cmp(&lower)) {
            Ok(i) => self.entries[i] = (lower, key.to_string(), value),
            Err(i) => self.entries.insert(i, (lower, key.to_string(), value)),
        }
    }

    /// Sets a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.insert(key, ContextValue::Single(value.into()));
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        let lower = key.to_ascii_lowercase();
        if let Ok(i) = self.entries.binary_search_by(|e| e.0.as_str().cmp(&lower)) {
            self.entries.remove(i);
        }
    }

    /// Looks up a key by its lower-cased name.
    pub fn get_lower(&self, lower: &str) -> Option<&ContextValue> {
        self.entries
            .binary_search_by(|e| e.0.as_str().cmp(lower))
            .ok()
            .map(|i| &self.entries[i].2)
    }

    /// Looks up a key in any case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lower(&key.to_ascii_lowercase())
    }

    /// Every key with its value, as first written, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(_, k, v)| (k.as_str(), v))
    }
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An AWS account principal: root, IAM user, role session, federated user.
    Aws(AwsPrincipal),
    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// Anybody, unauthenticated.
    Anonymous,
}

/// The kinds of AWS account principals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsPrincipalKind {
    /// The account's root user (`…:root`).
    Root,
    /// An IAM user.
    User,
    /// An IAM role acting as itself (a shorthand for one of its sessions).
    Role,
    /// A role session; carries the role's ARN, which policies name.
    AssumedRole {
        /// `arn:aws:iam::ACCOUNT:role/NAME`
        role_arn: String,
    },
    /// An STS federated user session.
    FederatedUser,
    /// Anything else with an ARN.
    Other,
}

/// An AWS account principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPrincipal {
    /// The principal's ARN as the request names it.
    pub arn: String,
    /// The 12-digit account.
    pub account: String,
    /// What kind of principal.
    pub kind: AwsPrincipalKind,
}

impl Principal {
    /// Reads a principal from the text a playground file holds: an IAM or
    /// STS ARN, a 12-digit account id (its root), `*` (anonymous) or a
    /// service principal (`name.amazonaws.com`).
    pub fn parse(text: &str) -> Option<Principal> {
        let text = text.trim();
        if text == "*" {
            return Some(Principal::Anonymous);
        }
        if is_account_id(text) {
            return Some(Principal::Aws(AwsPrincipal {
                arn: format!("arn:aws:iam::{text}:root"),
                account: text.to_string(),
                kind: AwsPrincipalKind::Root,
            }));
        }
        if let Some(parts) = arn::split(text) {
            let [_, partition, service, _, account, resource] = parts;
            if account.is_empty() {
                return None;
            }
            let kind = match (service, resource.split_once('/')) {
                ("iam", _) if resource == "root" => AwsPrincipalKind::Root,
                ("iam", Some(("user", _))) => AwsPrincipalKind::User,
                ("iam", Some(("role", _))) => AwsPrincipalKind::Role,
                ("sts", Some(("assumed-role", rest))) => {
                    let role = rest.split('/').next().unwrap_or_default();
                    AwsPrincipalKind::AssumedRole {
                        role_arn: format!("arn:{partition}:iam::{account}:role/{role}"),
                    }
                }
                ("sts", Some(("federated-user", _))) => AwsPrincipalKind::FederatedUser,
                ("iam" | "sts", _) => AwsPrincipalKind::Other,
                _ => return None,
            };
            return Some(Principal::Aws(AwsPrincipal {
                arn: text.to_string(),
                account: account.to_string(),
                kind,
            }));
        }
        if text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn") {
            return Some(Principal::Service(text.to_string()));
        }
        None
    }

    /// The account, for AWS account principals.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Aws(p) => Some(&p.account),
            _ => None,
        }
    }

    /// The ARN that `aws:PrincipalArn` carries (a session's role ARN).
    pub fn principal_arn(&self) -> Option<&str> {
        match self {
            Principal::Aws(AwsPrincipal {
                kind: AwsPrincipalKind::AssumedRole { role_arn },
                ..
            }) => Some(role_arn),
            Principal::Aws(p) => Some(&p.arn),
            _ => None,
        }
    }
}

/// Twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A request to decide.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who.
    pub principal: &'a Principal,
    /// The action, lower-cased (`kms:decrypt`).
    pub action: &'a str,
    /// The resource ARN.
    pub resource: &'a str,
    /// Condition keys.
    pub context: &'a RequestContext,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        let p = Principal::parse("arn:aws:sts::111111111111:assumed-role/CloudTrailReadRole/s1")
            .unwrap();
        assert_eq!(
            p.principal_arn(),
            Some("arn:aws:iam::111111111111:role/CloudTrailReadRole")
        );
        assert_eq!(p.account(), Some("111111111111"));
        let root = Principal::parse("222222222222").unwrap();
        assert_eq!(root.principal_arn(), Some("arn:aws:iam::222222222222:root"));
        assert_eq!(
            Principal::parse("cloudtrail.amazonaws.com"),
            Some(Principal::Service("cloudtrail.amazonaws.com".into()))
        );
        assert_eq!(Principal::parse("*"), Some(Principal::Anonymous));
        assert_eq!(Principal::parse("Bob"), None);
        assert_eq!(Principal::parse("arn:aws:s3:::bucket"), None);
    }

    #[test]
    fn keys_ignore_case_values_keep_it() {
        let mut c = RequestContext::new();
        c.set("kms:EncryptionContext:SecretARN", "Arn");
        c.set("aws:SourceArn", "x");
        assert_eq!(
            c.get("KMS:encryptioncontext:secretarn"),
            Some(&ContextValue::Single("Arn".into()))
        );
        c.set("AWS:SOURCEARN", "y");
        assert_eq!(c.iter().count(), 2);
        assert_eq!(c.get("aws:sourcearn").unwrap().values(), ["y".to_string()]);
        c.remove("aws:sourceARN");
        assert_eq!(c.get("aws:sourcearn"), None);
    }
}
