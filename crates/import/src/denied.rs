//! AWS's AccessDenied message, read back: who, what, on which resource,
//! and which policy type refused
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>:
//! "User: ARN is not authorized to perform: ACTION on resource: ARN
//! because no TYPE allows the ACTION action", or "… with an explicit deny
//! in a TYPE"). The policy types are the engine's own
//! ([`kmsplay_kms::PolicyType::aws_words`]), so the two are compared word
//! for word.

use kmsplay_kms::PolicyType;

/// What an AccessDenied message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDenied {
    /// The caller's ARN (or service name).
    pub caller: String,
    /// `kms:Decrypt`.
    pub action: String,
    /// The resource's ARN.
    pub resource: String,
    /// The policy type that refused, when the message names one.
    pub policy_type: Option<PolicyType>,
    /// An explicit deny (`with an explicit deny in …`).
    pub explicit: bool,
}

const TYPES: [PolicyType; 7] = [
    PolicyType::ServiceControl,
    PolicyType::ResourceControl,
    PolicyType::VpcEndpoint,
    PolicyType::ResourceBased,
    PolicyType::IdentityBased,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
];

/// Reads an AccessDenied message anywhere in `text` (an SDK's prefix such
/// as `An error occurred (AccessDeniedException) when calling the Decrypt
/// operation: ` is allowed before it). None when there is none.
pub fn parse_access_denied(text: &str) -> Option<AccessDenied> {
    let start = text.find("User: ")?;
    let rest = &text[start + "User: ".len()..];
    let (caller, rest) = rest.split_once(" is not authorized to perform: ")?;
    let (action, rest) = rest.split_once(" on resource: ")?;
    let (resource, tail) = match rest
        .find(" because ")
        .or_else(|| rest.find(" with an explicit deny"))
    {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest.trim_end_matches(['.', '\n', '\r', ' ', '"']), ""),
    };
    let explicit = tail.contains("explicit deny");
    let policy_type = TYPES.into_iter().find(|t| {
        let words = t.aws_words();
        if explicit {
            tail.contains(&format!(" {words}"))
        } else {
            tail.contains(&format!("because no {words} allows"))
        }
    });
    let clean = |s: &str| s.trim().trim_matches('"').to_string();
    let caller = clean(caller);
    let action = clean(action);
    let resource = clean(resource.split_whitespace().next().unwrap_or_default());
    if caller.is_empty() || action.is_empty() || resource.is_empty() {
        return None;
    }
    Some(AccessDenied {
        caller,
        action,
        resource,
        policy_type,
        explicit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms of the IAM user guide's "Troubleshooting access denied
    /// error messages", for a KMS key.
    #[test]
    fn reads_every_form() {
        let key = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let cases: &[(&str, Option<PolicyType>, bool)] = &[
            (
                "because no resource-based policy allows the kms:Decrypt action",
                Some(PolicyType::ResourceBased),
                false,
            ),
            (
                "because no identity-based policy allows the kms:Decrypt action",
                Some(PolicyType::IdentityBased),
                false,
            ),
            (
                "because no permissions boundary allows the kms:Decrypt action",
                Some(PolicyType::PermissionsBoundary),
                false,
            ),
            (
                "because no session policy allows the kms:Decrypt action",
                Some(PolicyType::Session),
                false,
            ),
            (
                "because no VPC endpoint policy allows the kms:Decrypt action",
                Some(PolicyType::VpcEndpoint),
                false,
            ),
            (
                "with an explicit deny in a service control policy",
                Some(PolicyType::ServiceControl),
                true,
            ),
            (
                "with an explicit deny in a resource control policy",
                Some(PolicyType::ResourceControl),
                true,
            ),
            (
                "with an explicit deny in an identity-based policy",
                Some(PolicyType::IdentityBased),
                true,
            ),
            (
                "with an explicit deny in a resource-based policy",
                Some(PolicyType::ResourceBased),
                true,
            ),
            (
                "with an explicit deny in a VPC endpoint policy",
                Some(PolicyType::VpcEndpoint),
                true,
            ),
            ("", None, false),
        ];
        for &(tail, t, explicit) in cases {
            let text = format!("An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:iam::222222222222:user/Alice is not authorized to perform: kms:Decrypt on resource: {key} {tail}");
            let d = parse_access_denied(&text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.caller, "arn:aws:iam::222222222222:user/Alice");
            assert_eq!(d.action, "kms:Decrypt");
            assert_eq!(d.resource, key, "{tail}");
            assert_eq!((d.policy_type, d.explicit), (t, explicit), "{tail}");
        }
        assert_eq!(parse_access_denied("nothing here"), None);
    }

    #[test]
    fn the_engines_own_message_reads_back() {
        for t in TYPES {
            for explicit in [false, true] {
                let m = kmsplay_kms::chain::access_denied_message(
                    "arn:aws:iam::1:user/A",
                    "kms:Encrypt",
                    "arn:aws:kms:us-east-1:1:key/k",
                    t,
                    explicit,
                );
                let d = parse_access_denied(&m).unwrap();
                assert_eq!((d.policy_type, d.explicit), (Some(t), explicit), "{m}");
            }
        }
    }
}
