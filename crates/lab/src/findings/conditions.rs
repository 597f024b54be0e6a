//! Condition keys: their types, which requests carry them, and the
//! conditions that limit a statement.

use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_policy::{arn, Condition, OperatorKind, Parsed, SetQualifier, Statement};

/// A condition key's type, as the key references list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyType {
    String,
    Arn,
    Numeric,
    Date,
    /// aws:EpochTime: Date or Numeric.
    Epoch,
    Bool,
    Ip,
    /// Not sure: no type check.
    Any,
}

impl KeyType {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            KeyType::String | KeyType::Any => "String",
            KeyType::Arn => "ARN",
            KeyType::Numeric => "Numeric",
            KeyType::Date | KeyType::Epoch => "Date",
            KeyType::Bool => "Bool",
            KeyType::Ip => "IPAddress",
        }
    }

    /// An operator of the key's type, to suggest.
    pub(super) fn operator(self) -> &'static str {
        match self {
            KeyType::String | KeyType::Any => "StringEquals",
            KeyType::Arn => "ArnLike",
            KeyType::Numeric => "NumericEquals",
            KeyType::Date | KeyType::Epoch => "DateLessThan",
            KeyType::Bool => "Bool",
            KeyType::Ip => "IpAddress",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct KeyInfo {
    pub(super) ty: KeyType,
    pub(super) multi: bool,
}

/// Global condition keys (lower-cased) and their types:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.
const AWS_KEYS: &[(&str, KeyType, bool)] = &[
    ("aws:assumedroot", KeyType::Any, false),
    ("aws:calledvia", KeyType::String, true),
    ("aws:calledviafirst", KeyType::String, false),
    ("aws:calledvialast", KeyType::String, false),
    ("aws:chatbotsourcearn", KeyType::Arn, false),
    ("aws:currenttime", KeyType::Date, false),
    ("aws:ec2instancesourceprivateipv4", KeyType::Ip, false),
    ("aws:ec2instancesourcevpc", KeyType::String, false),
    ("aws:epochtime", KeyType::Epoch, false),
    ("aws:federatedprovider", KeyType::String, false),
    ("aws:multifactorauthage", KeyType::Numeric, false),
    ("aws:multifactorauthpresent", KeyType::Bool, false),
    ("aws:principalaccount", KeyType::String, false),
    ("aws:principalarn", KeyType::Arn, false),
    ("aws:principalisawsservice", KeyType::Bool, false),
    ("aws:principalorgid", KeyType::String, false),
    ("aws:principalorgpaths", KeyType::String, true),
    ("aws:principalservicename", KeyType::String, false),
    ("aws:principalservicenameslist", KeyType::String, true),
    ("aws:principaltype", KeyType::String, false),
    ("aws:referer", KeyType::String, false),
    ("aws:requestedregion", KeyType::String, false),
    ("aws:resourceaccount", KeyType::String, false),
    ("aws:resourceorgid", KeyType::String, false),
    ("aws:resourceorgpaths", KeyType::String, true),
    ("aws:securetransport", KeyType::Bool, false),
    ("aws:sourceaccount", KeyType::String, false),
    ("aws:sourcearn", KeyType::Arn, false),
    ("aws:sourceidentity", KeyType::String, false),
    ("aws:sourceip", KeyType::Ip, false),
    ("aws:sourceorgid", KeyType::String, false),
    ("aws:sourceorgpaths", KeyType::String, true),
    ("aws:sourcevpc", KeyType::String, false),
    ("aws:sourcevpcarn", KeyType::Arn, false),
    ("aws:sourcevpce", KeyType::String, false),
    ("aws:tagkeys", KeyType::String, true),
    ("aws:tokenissuetime", KeyType::Date, false),
    ("aws:useragent", KeyType::String, false),
    ("aws:userid", KeyType::String, false),
    ("aws:username", KeyType::String, false),
    ("aws:viaawsservice", KeyType::Bool, false),
    ("aws:vpcsourceip", KeyType::Ip, false),
    ("aws:vpceaccount", KeyType::String, false),
    ("aws:vpceorgid", KeyType::String, false),
    ("aws:vpceorgpaths", KeyType::String, true),
];

/// Global key families with a tag name after the slash.
const AWS_TAG_FAMILIES: &[&str] = &["aws:resourcetag/", "aws:requesttag/", "aws:principaltag/"];

/// KMS condition keys whose type is not String, or which are multivalued:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>
/// ("Condition key / Condition type / Value type" of each key).
const KMS_KEY_TYPES: &[(&str, KeyType, bool)] = &[
    ("kms:bypasspolicylockoutsafetycheck", KeyType::Bool, false),
    ("kms:encryptioncontextkeys", KeyType::String, true),
    ("kms:grantisforawsresource", KeyType::Bool, false),
    ("kms:grantoperations", KeyType::String, true),
    ("kms:multiregion", KeyType::Bool, false),
    ("kms:reencryptonsamekey", KeyType::Bool, false),
    ("kms:resourcealiases", KeyType::String, true),
    ("kms:rotationperiodindays", KeyType::Numeric, false),
    (
        "kms:schedulekeydeletionpendingwindowindays",
        KeyType::Numeric,
        false,
    ),
    ("kms:trailingdayswithoutkeyusage", KeyType::Numeric, false),
    ("kms:validto", KeyType::Date, false),
];

/// KMS keys the service authorization reference no longer lists for an
/// action but KMS still accepts (deprecated spellings).
const KMS_EXTRA_KEYS: &[&str] = &["kms:customermasterkeyspec", "kms:customermasterkeyusage"];

/// Keys whose values are account ids.
pub(super) const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:resourceaccount",
    "aws:sourceaccount",
    "aws:vpceaccount",
    "kms:calleraccount",
];

/// Only `aws:` and `kms:` keys (and keys with no service prefix at all)
/// are judged; other services' keys are left alone.
pub(super) fn is_checked_namespace(lower: &str) -> bool {
    match lower.split_once(':') {
        Some((ns, _)) => ns == "aws" || ns == "kms",
        None => true,
    }
}

/// Every `kms:` key of the catalogue, lower-cased (families such as
/// `kms:encryptioncontext:` end with their separator).
fn kms_keys() -> &'static [String] {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = catalogue::OPERATIONS
            .iter()
            .flat_map(|op| op.condition_keys.iter())
            .filter(|k| k.starts_with("kms:"))
            .map(|k| family_prefix(k).to_ascii_lowercase())
            .chain(KMS_EXTRA_KEYS.iter().map(|k| k.to_string()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    })
}

/// `kms:EncryptionContext:${EncryptionContextKey}` → `kms:EncryptionContext:`.
pub(super) fn family_prefix(key: &str) -> &str {
    key.find("${").map_or(key, |i| &key[..i])
}

/// Type and cardinality of a known `aws:` or `kms:` key; None for an
/// unknown key (and for other services' keys).
pub(super) fn key_info(lower: &str) -> Option<KeyInfo> {
    if let Some(&(_, ty, multi)) = AWS_KEYS.iter().find(|(k, _, _)| *k == lower) {
        return Some(KeyInfo { ty, multi });
    }
    let string = Some(KeyInfo {
        ty: KeyType::String,
        multi: false,
    });
    if AWS_TAG_FAMILIES
        .iter()
        .any(|f| lower.len() > f.len() && lower.starts_with(f))
    {
        return string;
    }
    if !lower.starts_with("kms:") {
        return None;
    }
    let known = kms_keys().iter().any(|k| {
        if k.ends_with(':') || k.ends_with('/') {
            lower.len() > k.len() && lower.starts_with(k.as_str())
        } else {
            k == lower
        }
    });
    if !known {
        return None;
    }
    match KMS_KEY_TYPES.iter().find(|(k, _, _)| *k == lower) {
        Some(&(_, ty, multi)) => Some(KeyInfo { ty, multi }),
        None => string,
    }
}

/// Keys whose presence depends on the action: KMS's own keys (but
/// kms:CallerAccount, which every KMS request carries) and the tag keys.
pub(super) fn action_dependent(lower: &str) -> bool {
    (lower.starts_with("kms:") && lower != "kms:calleraccount" && !KMS_EXTRA_KEYS.contains(&lower))
        || lower == "aws:tagkeys"
        || lower.starts_with("aws:requesttag/")
        || lower.starts_with("aws:resourcetag/")
}

/// Does a request for `op` carry condition key `lower`?
pub(super) fn carries(op: &Operation, lower: &str) -> bool {
    // Each operation's keys, lower-cased once, families cut to their prefix
    // (this runs for every condition of every statement on each keystroke).
    static TABLE: std::sync::OnceLock<Vec<Vec<(String, bool)>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        catalogue::OPERATIONS
            .iter()
            .map(|o| {
                o.condition_keys
                    .iter()
                    .map(|k| {
                        let prefix = family_prefix(k);
                        (prefix.to_ascii_lowercase(), prefix.len() != k.len())
                    })
                    .collect()
            })
            .collect()
    });
    let keys = catalogue::OPERATIONS
        .iter()
        .position(|o| o.name == op.name)
        .and_then(|i| table.get(i));
    let Some(keys) = keys else {
        return false;
    };
    keys.iter().any(|(k, family)| {
        if *family {
            lower.len() > k.len() && lower.starts_with(k.as_str())
        } else {
            k == lower
        }
    })
}

/// Is the condition false when its key is missing from the request?
pub(super) fn fails_when_missing(c: &Condition) -> bool {
    if c.operator.kind == OperatorKind::Null {
        // Null "true" holds on a missing key.
        return !c
            .values
            .iter()
            .any(|v| matches!(v.value.parsed, Parsed::Bool(true)));
    }
    !(c.operator.if_exists
        || c.operator.set == Some(SetQualifier::ForAllValues)
        || c.operator.kind.is_negated())
}

/// Keys that limit who can use a statement with a broad principal
/// (the brief's list, after the KMS key policy pages: kms:CallerAccount,
/// kms:ViaService; aws:PrincipalAccount, aws:PrincipalOrgID and the source
/// keys from the global keys page; encryption context keys).
const LIMITING_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "kms:calleraccount",
    "kms:encryptioncontextkeys",
    "kms:viaservice",
];

/// Does some condition of the statement narrow who can use it?
pub(super) fn has_limiting_condition(st: &Statement) -> bool {
    st.conditions.iter().any(|c| {
        let op = c.operator;
        if op.kind == OperatorKind::Null {
            // Null "false" on an encryption context key: the context must
            // be there.
            return c.key_lower.starts_with("kms:encryptioncontext:")
                && c.values
                    .iter()
                    .all(|v| matches!(v.value.parsed, Parsed::Bool(false)));
        }
        if op.if_exists || op.kind.is_negated() || op.set == Some(SetQualifier::ForAllValues) {
            return false;
        }
        let everything = c.values.iter().all(|v| v.value.text == "*");
        if everything || c.values.is_empty() {
            return false;
        }
        if c.key_lower == "aws:principalarn" {
            // Only when each ARN pins the account.
            return c.values.iter().all(|v| {
                arn::account(&v.value.text).is_some_and(|a| !a.contains('*') && !a.contains('?'))
            });
        }
        LIMITING_KEYS.contains(&c.key_lower.as_str())
            || c.key_lower.starts_with("kms:encryptioncontext:")
    })
}

/// `*` or `?` outside `${…}` variables and escapes.
pub(super) fn has_wildcard_outside_variables(text: &str) -> bool {
    let mut rest = text;
    loop {
        match rest.find("${") {
            Some(i) => {
                if rest[..i].contains(['*', '?']) {
                    return true;
                }
                match rest[i..].find('}') {
                    Some(j) => rest = &rest[i + j + 1..],
                    None => return rest[i..].contains(['*', '?']),
                }
            }
            None => return rest.contains(['*', '?']),
        }
    }
}
