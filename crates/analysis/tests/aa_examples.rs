//! The examples AWS publishes for IAM Access Analyzer's custom policy
//! checks (CheckNoNewAccess, CheckNoPublicAccess, CheckAccessNotGranted),
//! run through our checks with the result AWS documents. Each test cites
//! its page.
//!
//! AWS's examples are mostly S3 policies (and identity policies). Where
//! one is adapted to a KMS key policy, the test says how: `s3:GetObject`
//! becomes `kms:Decrypt`, `s3:PutObject` `kms:Encrypt`, `s3:*` `kms:*`,
//! the bucket a key (`Resource: "*"`, as a key policy names its own key),
//! and an identity policy a key-policy statement whose principal is a
//! caller of the key's account.
//!
//! Where our checks deliberately differ from Access Analyzer, the test says
//! so and asserts our answer: `no_public_access` counts any caller outside
//! the key's account (and organization) as outside, where Access Analyzer's
//! CheckNoPublicAccess passes a policy that names one other account.

use kmsplay_analysis::*;
use kmsplay_kms::catalogue::{Operation, OPERATIONS};
use kmsplay_policy::{parse_text, PolicyKind};

/// A key policy, for a key in `account`.
fn key_policy(account: &str, text: &str) -> Setting {
    let parsed = parse_text(text, PolicyKind::Resource);
    let policy = parsed
        .policy
        .unwrap_or_else(|| panic!("{text}: {:?}", parsed.diagnostics));
    let arn = format!("arn:aws:kms:us-east-1:{account}:key/786b353b-49f1-4dd2-b4b5-573ae99b3670");
    Setting::from_policy(&arn, policy).expect("a key ARN")
}

fn op(name: &str) -> &'static Operation {
    OPERATIONS
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn principal(c: &Counterexample) -> &str {
    c.request["principal"].as_str().unwrap_or_default()
}

fn action(c: &Counterexample) -> &str {
    c.request["action"].as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------
// CheckNoNewAccess
// ---------------------------------------------------------------------

/// The AWS CLI's example: the new policy adds `s3:GetObjectAcl` to the
/// existing statement's `s3:GetObject` and `s3:ListBucket`; FAIL, "New
/// access in the statement with index: 0."
/// <https://docs.aws.amazon.com/cli/latest/reference/accessanalyzer/check-no-new-access.html>
/// (awscli/examples/accessanalyzer/check-no-new-access.rst).
///
/// Adapted: an identity policy of S3 actions becomes a key-policy
/// statement for a role of the key's account, `kms:Decrypt` and
/// `kms:DescribeKey` (read, as GetObject and ListBucket), and the added
/// action `kms:GetKeyPolicy` (reading the permissions, as GetObjectAcl).
#[test]
fn cli_example_new_action_in_statement_0_fails() {
    let existing = key_policy(
        "111122223333",
        r#"{"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/Reader"},
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": "*"}]}"#,
    );
    let new = key_policy(
        "111122223333",
        r#"{"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/Reader"},
            "Action": ["kms:Decrypt", "kms:GetKeyPolicy", "kms:DescribeKey"],
            "Resource": "*"}]}"#,
    );
    let r = no_new_access(&existing, &new);
    assert_eq!(r.result, Verdict::Fail);
    assert!(!r.counterexamples.is_empty());
    for c in &r.counterexamples {
        // The new access is the added action only, by the role, through
        // statement 0 (AWS's reason names statement index 0).
        assert_eq!(action(c), "kms:GetKeyPolicy", "{:?}", c.request);
        assert!(principal(c).contains("role/Reader"), "{:?}", c.request);
        assert_eq!(c.statement, Some(0));
    }
    // The change undone is no new access, and neither is no change.
    assert_eq!(no_new_access(&new, &existing).result, Verdict::Pass);
    assert_eq!(no_new_access(&existing, &existing).result, Verdict::Pass);
}

/// The reference policy of the custom policy check samples ("Check that a
/// resource policy only grants access to specific principals for all
/// actions"), which the CheckNoNewAccess API reference points to: two
/// privileged roles, named in the `Principal` element and allowed through
/// `aws:PrincipalArn`. Candidates 1 and 2 PASS, 3, 4 and 5 FAIL.
/// <https://github.com/aws-samples/iam-access-analyzer-custom-policy-check-samples/blob/main/resource-policies/check-who-is-granted-access/s3-all-actions.md>
/// <https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoNewAccess.html>
///
/// Adapted as the sample itself suggests ("applied to any resource policy
/// by modifying the Action and Resource"): `s3:*` becomes `kms:*`,
/// `s3:GetObject` `kms:Decrypt`, `s3:PutObject` `kms:Encrypt`, the bucket
/// the key (in account 111111111111, the roles' account).
mod reference_policy {
    use super::*;

    const ACCOUNT: &str = "111111111111";

    fn reference() -> Setting {
        key_policy(
            ACCOUNT,
            r#"{"Version": "2012-10-17", "Statement": [
              {"Sid": "AllowPrincipalElement", "Effect": "Allow",
               "Principal": {"AWS": ["arn:aws:iam::111111111111:role/MyPrivilegedRole",
                                     "arn:aws:iam::111111111111:role/MyPrivilegedRole2"]},
               "Action": "kms:*", "Resource": "*"},
              {"Sid": "AllowPrincipalArnKey", "Effect": "Allow",
               "Principal": {"AWS": "*"},
               "Action": "kms:*", "Resource": "*",
               "Condition": {"ArnLike": {"aws:PrincipalArn": [
                 "arn:aws:iam::111111111111:role/MyPrivilegedRole",
                 "arn:aws:iam::111111111111:role/MyPrivilegedRole2"]}}}]}"#,
        )
    }

    fn candidate(statement: &str) -> Setting {
        key_policy(
            ACCOUNT,
            &format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#),
        )
    }

    /// Every counterexample is allowed by the candidate to a caller that
    /// is not one of the privileged roles (nor one of their sessions).
    fn unprivileged(r: &Report) {
        assert!(!r.counterexamples.is_empty());
        for c in &r.counterexamples {
            let p = principal(c);
            assert!(
                !p.contains("/MyPrivilegedRole"),
                "a privileged role is allowed by the reference: {p}"
            );
            assert_eq!(c.statement, Some(0));
        }
    }

    #[test]
    fn candidate_1_principal_arn_condition_passes() {
        let c = candidate(
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/MyPrivilegedRole"}}}"#,
        );
        let r = no_new_access(&reference(), &c);
        assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
    }

    #[test]
    fn candidate_2_principal_element_passes() {
        let c = candidate(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/MyPrivilegedRole"},
                "Action": "kms:Encrypt", "Resource": "*"}"#,
        );
        let r = no_new_access(&reference(), &c);
        assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
    }

    #[test]
    fn candidate_3_public_fails() {
        let c = candidate(
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        );
        let r = no_new_access(&reference(), &c);
        assert_eq!(r.result, Verdict::Fail);
        unprivileged(&r);
        assert!(r.counterexamples.iter().all(|c| action(c) == "kms:Decrypt"));
    }

    #[test]
    fn candidate_4_other_role_in_principal_element_fails() {
        let c = candidate(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/MyOtherRole"},
                "Action": "kms:Encrypt", "Resource": "*"}"#,
        );
        let r = no_new_access(&reference(), &c);
        assert_eq!(r.result, Verdict::Fail);
        unprivileged(&r);
        for c in &r.counterexamples {
            assert!(principal(c).contains("/MyOtherRole"), "{:?}", c.request);
            assert_eq!(action(c), "kms:Encrypt");
        }
    }

    #[test]
    fn candidate_5_other_role_in_principal_arn_fails() {
        let c = candidate(
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Encrypt", "Resource": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/MyOtherRole"}}}"#,
        );
        let r = no_new_access(&reference(), &c);
        assert_eq!(r.result, Verdict::Fail);
        unprivileged(&r);
        for c in &r.counterexamples {
            assert!(principal(c).contains("/MyOtherRole"), "{:?}", c.request);
        }
    }
}

// ---------------------------------------------------------------------
// CheckNoPublicAccess
// ---------------------------------------------------------------------

/// The AWS CLI's example: a statement for one IAM user,
/// `arn:aws:iam::111122223333:user/JohnDoe`, `s3:GetObject`, checked as
/// `AWS::S3::Bucket`; PASS, "The resource policy does not grant public
/// access for the given resource type."
/// <https://docs.aws.amazon.com/cli/latest/reference/accessanalyzer/check-no-public-access.html>
/// (awscli/examples/accessanalyzer/check-no-public-access.rst).
///
/// Adapted: a key of account 111122223333, `kms:Decrypt`, and `Resource:
/// "*"` added (a key-policy statement without `Resource` has no effect).
#[test]
fn cli_example_one_user_of_the_account_is_not_public() {
    let s = key_policy(
        "111122223333",
        r#"{"Version": "2012-10-17", "Statement": [{
            "Sid": "CheckNoPublicAccess", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:user/JohnDoe"},
            "Action": ["kms:Decrypt"], "Resource": "*"}]}"#,
    );
    let r = no_public_access(&s);
    assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
}

/// The same example with JohnDoe in another account. Access Analyzer's
/// CheckNoPublicAccess passes it: one named account is cross-account
/// access, not public access (an external access analyzer reports it as a
/// finding for an account outside the zone of trust,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html>).
/// We deliberately FAIL it: `no_public_access` asks whether any caller
/// outside the key's account and organization can be allowed, which is
/// stricter; the counterexample is that user.
/// <https://docs.aws.amazon.com/cli/latest/reference/accessanalyzer/check-no-public-access.html>
#[test]
fn differs_one_user_of_another_account_is_outside() {
    let s = key_policy(
        "111122223333",
        r#"{"Version": "2012-10-17", "Statement": [{
            "Sid": "CheckNoPublicAccess", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:user/JohnDoe"},
            "Action": ["kms:Decrypt"], "Resource": "*"}]}"#,
    );
    let r = no_public_access(&s);
    assert_eq!(r.result, Verdict::Fail);
    for c in &r.counterexamples {
        assert_eq!(principal(c), "arn:aws:iam::444455556666:user/JohnDoe");
        assert_eq!(action(c), "kms:Decrypt");
        assert_eq!(c.statement, Some(0));
    }
}

/// The AWS Security Blog's KMS example: the default key policy is not
/// public, and the same policy with `"*"` among the `Principal`'s ARNs
/// is (`isPublic: True`, with the operations a caller of any account may
/// call listed in the analysed resource's `actions`).
/// <https://aws.amazon.com/blogs/security/how-to-use-aws-iam-access-analyzer-api-to-automate-detection-of-public-access-to-aws-kms-keys/>
/// (policies and responses in
/// <https://github.com/aws-samples/aws-iam-access-analyzer-kms-blog>:
/// policies/default-kms-key-policy.json, policies/public-kms-key-policy.json,
/// artefacts/get-analyzed-resource-response-positive.json).
///
/// The blog's analyzer reports findings rather than running
/// CheckNoPublicAccess, but the question is the same one.
mod security_blog {
    use super::*;

    const ACCOUNT: &str = "906545278380";

    /// The `actions` of the blog's positive `get-analyzed-resource` answer
    /// (2020), and the three operations KMS added since that other
    /// accounts may call too (GenerateMac and VerifyMac in 2022,
    /// DeriveSharedSecret in 2023):
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>.
    const PUBLIC_ACTIONS: [&str; 20] = [
        "kms:DeriveSharedSecret",
        "kms:GenerateMac",
        "kms:VerifyMac",
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GetKeyRotationStatus",
        "kms:GetPublicKey",
        "kms:ListGrants",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:RetireGrant",
        "kms:RevokeGrant",
        "kms:Sign",
        "kms:Verify",
    ];

    #[test]
    fn the_default_key_policy_is_not_public() {
        let s = key_policy(
            ACCOUNT,
            r#"{"Version": "2012-10-17", "Id": "key-default-policy", "Statement": [{
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::906545278380:root"},
                "Action": "kms:*", "Resource": "*"}]}"#,
        );
        let r = no_public_access(&s);
        assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
    }

    #[test]
    fn a_star_among_the_principals_is_public() {
        let s = key_policy(
            ACCOUNT,
            r#"{"Version": "2012-10-17", "Id": "key-default-policy", "Statement": [{
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::906545278380:root",
                                      "arn:aws:iam::906545278380:user/ilyiny-cert-admin", "*"]},
                "Action": "kms:*", "Resource": "*"}]}"#,
        );
        let r = no_public_access(&s);
        assert_eq!(r.result, Verdict::Fail);
        assert!(!r.counterexamples.is_empty());
        for c in &r.counterexamples {
            let p = principal(c);
            assert!(!p.contains(ACCOUNT), "a caller of the key's account: {p}");
            // What a caller of another account may call is what AWS lists.
            assert!(
                PUBLIC_ACTIONS.contains(&action(c)),
                "{} is not among the operations AWS lists as public",
                action(c)
            );
            assert_eq!(c.statement, Some(0));
        }
        // And each operation AWS lists is one an outside caller can call.
        for name in PUBLIC_ACTIONS {
            let op = op(name.trim_start_matches("kms:"));
            let r = access_not_granted(&s, &[op], &["444455556666".to_string()]);
            assert_eq!(r.result, Verdict::Fail, "{name}");
        }
        // The administrative operations are not: KMS takes them from the
        // key's own account only.
        for name in ["PutKeyPolicy", "ScheduleKeyDeletion", "DisableKey"] {
            let r = access_not_granted(&s, &[op(name)], &["444455556666".to_string()]);
            assert_eq!(r.result, Verdict::Pass, "{name}: {:?}", r.counterexamples);
        }
    }
}

// ---------------------------------------------------------------------
// CheckAccessNotGranted
// ---------------------------------------------------------------------

/// The AWS CLI's example: a policy that allows `s3:GetObject` and
/// `s3:ListBucket`, checked for `s3:DeleteBucket` and
/// `s3:GetBucketLocation`; PASS, "The policy document does not grant
/// access to perform the listed actions."
/// <https://docs.aws.amazon.com/cli/latest/reference/accessanalyzer/check-access-not-granted.html>
/// (awscli/examples/accessanalyzer/check-access-not-granted.rst).
///
/// Adapted: a key-policy statement for a role of the key's account with
/// `kms:Decrypt` and `kms:Encrypt`, checked for `kms:ScheduleKeyDeletion`
/// (deleting the resource, as DeleteBucket) and `kms:DescribeKey` (reading
/// its metadata, as GetBucketLocation).
#[test]
fn cli_example_actions_not_in_the_policy_pass() {
    let s = key_policy(
        "111122223333",
        r#"{"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
            "Action": ["kms:Decrypt", "kms:Encrypt"],
            "Resource": "*"}]}"#,
    );
    let r = access_not_granted(&s, &[op("ScheduleKeyDeletion"), op("DescribeKey")], &[]);
    assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
    // "If the result is FAIL, the specified policy might allow some or all
    // of the permissions in the access object":
    // <https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckAccessNotGranted.html>.
    // One listed action the policy allows is enough, and the
    // counterexample names it.
    let r = access_not_granted(&s, &[op("ScheduleKeyDeletion"), op("Decrypt")], &[]);
    assert_eq!(r.result, Verdict::Fail);
    for c in &r.counterexamples {
        assert_eq!(action(c), "kms:Decrypt");
        assert!(principal(c).contains("role/App"), "{:?}", c.request);
        assert_eq!(c.statement, Some(0));
    }
}
