//! Every finding code: a policy that triggers it and a near-identical one
//! that does not, plus the messages each code needs in both languages.

use kmsplay_kms::catalogue;
use kmsplay_kms::Key;
use kmsplay_lab::findings::{lint_document, lint_file, lint_text, Finding, LintContext, Severity};
use kmsplay_messages::{catalogue as messages, parameters, Lang};
use kmsplay_playground::PolicySource;
use kmsplay_policy::PolicyKind;

const KEY_ARN: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The statement every wrapped policy starts with: the key account's root
/// may do everything, so the whole-policy checks stay quiet.
const ROOT: &str = r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#;

#[derive(Clone, Copy)]
enum Setup {
    /// A key policy of the default key, the statement after ROOT.
    Key,
    /// A key policy of the default key, the text as it is.
    KeyRaw,
    /// An identity policy, the statement alone.
    Identity,
    /// An SCP, the statement alone.
    Scp,
    /// An RCP, the statement alone.
    Rcp,
    /// A key policy of a key of this spec and tags in this scenario.
    Scenario(
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    ),
}

struct Case {
    code: &'static str,
    severity: Severity,
    setup: Setup,
    bad: &'static str,
    good: &'static str,
}

fn key(spec: &str, tags: &[(&str, &str)]) -> Key {
    let mut k = Key::new(KEY_ARN).expect("valid key ARN");
    k.spec = catalogue::key_spec(spec).expect("known spec");
    k.usage = catalogue::default_usage(k.spec);
    k.tags = tags
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    k
}

fn policy_text(setup: Setup, body: &str) -> String {
    match setup {
        Setup::KeyRaw => body.to_string(),
        Setup::Identity | Setup::Scp | Setup::Rcp => {
            format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#)
        }
        Setup::Key | Setup::Scenario(..) => {
            format!(r#"{{"Version": "2012-10-17", "Statement": [{ROOT}, {body}]}}"#)
        }
    }
}

fn lint(setup: Setup, body: &str) -> (String, Vec<Finding>) {
    let text = policy_text(setup, body);
    let (k, kind, scenario) = match setup {
        Setup::Key | Setup::KeyRaw => (key("SYMMETRIC_DEFAULT", &[]), PolicyKind::Resource, None),
        Setup::Identity => (key("SYMMETRIC_DEFAULT", &[]), PolicyKind::Identity, None),
        Setup::Scp => (key("SYMMETRIC_DEFAULT", &[]), PolicyKind::Scp, None),
        Setup::Rcp => (key("SYMMETRIC_DEFAULT", &[]), PolicyKind::Rcp, None),
        Setup::Scenario(scenario, spec, tags) => {
            (key(spec, tags), PolicyKind::Resource, Some(scenario))
        }
    };
    let ctx = LintContext {
        key: Some(&k),
        kind,
        scenario,
    };
    let findings = lint_text(&text, &ctx);
    (text, findings)
}

fn stmt_allow(principal: &str, action: &str, extra: &str) -> String {
    format!(
        r#"{{"Effect": "Allow", "Principal": {principal}, "Action": {action}, "Resource": "*"{extra}}}"#
    )
}

const BOB: &str = r#"{"AWS": "arn:aws:iam::111122223333:user/Bob"}"#;

fn cases() -> Vec<Case> {
    use Setup::*;
    use Severity::*;
    let c = |code, severity, setup, bad, good| Case {
        code,
        severity,
        setup,
        bad,
        good,
    };
    vec![
        // --- parser codes pass through as errors ---------------------------
        c(
            "json-unexpected-char",
            Error,
            KeyRaw,
            // Seed 002's event data store user statement, missing its comma.
            r#"{"Version": "2012-10-17", "Statement": [{ "Sid": "Enable user key permissions for event data stores" "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{ "Sid": "Enable user key permissions for event data stores", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }]}"#,
        ),
        c(
            "notprincipal-with-allow",
            Error,
            Key,
            r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "invalid-principal",
            Error,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::11111111111:role/CloudTrailReadRole"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/CloudTrailReadRole"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        // --- actions -------------------------------------------------------
        c(
            "unknown-action",
            Error,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrpyt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "unknown-action",
            Error,
            Identity,
            r#"{"Effect": "Allow", "Action": "kms:Decode*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "kms:Decr*", "Resource": "*"}"#,
        ),
        c(
            "notaction-with-allow",
            Security,
            Identity,
            r#"{"Effect": "Allow", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
        ),
        // --- condition keys ------------------------------------------------
        c(
            "unknown-condition-key",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContex:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
        ),
        c(
            "unknown-condition-key",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArm": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"}}}"#,
        ),
        c(
            "condition-key-not-in-request",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
        ),
        c(
            "condition-key-not-in-request",
            Warning,
            Identity,
            r#"{"Effect": "Allow", "Action": "kms:Sign", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}}"#,
            r#"{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}}"#,
        ),
        c(
            "condition-key-not-for-action",
            Suggestion,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
        ),
        // --- operators -----------------------------------------------------
        c(
            "operator-type-mismatch",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"NumericEquals": {"kms:EncryptionContext:Size": "10"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Size": "10"}}}"#,
        ),
        c(
            "operator-type-mismatch",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"kms:CallerAccount": "true"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
        ),
        c(
            "operator-type-mismatch",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"aws:SourceIp": "203.0.113.*"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
        ),
        c(
            "operator-type-mismatch",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"DateLessThan": {"kms:CallerAccount": "2030-01-01T00:00:00Z"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}"#,
        ),
        c(
            "literal-wildcard",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
        ),
        c(
            "missing-set-operator",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContextKeys": "Department"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "Department"}}}"#,
        ),
        c(
            "set-operator-on-single-valued-key",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"kms:CallerAccount": "111122223333"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}"#,
        ),
        c(
            "forallvalues-rejected",
            Error,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#,
        ),
        c(
            "forallvalues-rejected",
            Error,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:TagResource", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:RequestTag/Project": "Alpha"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:TagResource", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "Project"}}}"#,
        ),
        c(
            "source-condition-on-event-data-store",
            Error,
            Scenario("cloudtrail-event-data-store", "SYMMETRIC_DEFAULT", &[]),
            r#"{"Sid": "Allow CloudTrail access", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"}}}"#,
            r#"{"Sid": "Allow CloudTrail access", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*"}"#,
        ),
        c(
            "source-condition-on-event-data-store",
            Error,
            Scenario("cloudtrail-event-data-store", "SYMMETRIC_DEFAULT", &[]),
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}"#,
        ),
        // --- values --------------------------------------------------------
        c(
            "placeholder-left-in",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/username"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "placeholder-left-in",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:region:account-id:key/key-id"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
        ),
        c(
            "placeholder-left-in",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:region:account-id:trail/trail-name"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"}}}"#,
        ),
        c(
            "placeholder-left-in",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "<account-id>"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"#,
        ),
        c(
            // Seed 000's cross-account statement, verbatim: the parser
            // refuses the principal, the linter says why.
            "placeholder-left-in",
            Warning,
            Key,
            r#"{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::account:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy" }, "Action": [ "kms:Decrypt", "kms:DescribeKey" ], "Resource": "*" }"#,
            r#"{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::210987654321:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy" }, "Action": [ "kms:Decrypt", "kms:DescribeKey" ], "Resource": "*" }"#,
        ),
        c(
            "malformed-account-id",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::11111111111:role/CloudTrailReadRole"]}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:role/CloudTrailReadRole"]}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "malformed-account-id",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "11111111111"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}"#,
        ),
        c(
            "malformed-account-id",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:11111111111:trail/*"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"}}}"#,
        ),
        c(
            "malformed-arn",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"}}}"#,
        ),
        c(
            "malformed-arn",
            Warning,
            Identity,
            r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:amazon:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
            r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
        ),
        c(
            "malformed-arn",
            Warning,
            Identity,
            r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
            r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
        ),
        // --- principals ----------------------------------------------------
        c(
            "public-principal",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}"#,
        ),
        c(
            "public-principal",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Encrypt", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app-*"}}}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Encrypt", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}}"#,
        ),
        c(
            "public-principal",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEquals": {"kms:CallerAccount": "444455556666"}}}"#,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}"#,
        ),
        c(
            "external-account-unlimited",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}}"#,
        ),
        c(
            "external-account-unlimited",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:DescribeKey", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"}, "Action": "kms:DescribeKey", "Resource": "*"}"#,
        ),
        c(
            "full-access-to-service",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*"}"#,
        ),
        c(
            "full-access-to-other-account",
            Security,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Admin"}, "Action": "*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "*", "Resource": "*"}"#,
        ),
        c(
            "resource-not-this-key",
            Warning,
            Key,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/KeyA"}"#,
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/*"}"#,
        ),
        // --- the policy as a whole -----------------------------------------
        c(
            "duplicate-sid",
            Warning,
            Key,
            r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Sid": "Enable Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "redundant-statement",
            Suggestion,
            Key,
            r#"{"Sid": "Root decrypt", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Sid": "Root decrypt", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
        ),
        c(
            "redundant-statement",
            Suggestion,
            Identity,
            r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}"#,
        ),
        c(
            "missing-version",
            Warning,
            KeyRaw,
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
        ),
        c(
            "old-version",
            Suggestion,
            KeyRaw,
            r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
        ),
        c(
            "key-policy-lockout",
            Error,
            KeyRaw,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy"], "Resource": "*"}]}"#,
        ),
        c(
            "key-policy-lockout",
            Error,
            KeyRaw,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/KeyAdmin"}}}]}"#,
        ),
        c(
            "key-policy-lockout",
            Error,
            KeyRaw,
            // Another account's administrator cannot manage this key.
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/KeyAdmin"}, "Action": "kms:PutKeyPolicy", "Resource": "*"}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:PutKeyPolicy", "Resource": "*"}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#,
        ),
        c(
            "no-root-delegation",
            Warning,
            KeyRaw,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*", "Resource": "*"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
        ),
        c(
            "no-root-delegation",
            Warning,
            KeyRaw,
            // The root of another account does not delegate this key's account.
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::444455556666:root"]}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin", "111122223333"]}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}]}"#,
        ),
        // --- scenarios -----------------------------------------------------
        c(
            "key-spec-unsupported-by-service",
            Error,
            Scenario("cloudtrail-trail", "RSA_2048", &[]),
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*"}"#,
            "",
        ),
        c(
            "key-spec-unsupported-by-service",
            Error,
            Scenario("cloudtrail-event-data-store", "HMAC_256", &[]),
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*"}"#,
            "",
        ),
        c(
            "eventbridge-tag-missing",
            Warning,
            Scenario(
                "eventbridge-connection",
                "SYMMETRIC_DEFAULT",
                &[("EventBridgeApiDestinations", "True")],
            ),
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/EventBridgeConnectionManager"}, "Action": ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}"#,
            "",
        ),
        // --- organization policies -----------------------------------------
        // SCPs have no Principal: they apply to every principal of the
        // accounts below the node.
        // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
        c(
            "principal-in-scp",
            Error,
            Scp,
            r#"{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Ops"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Ops"}}}"#,
        ),
        // RCPs: Principal must be "*", no NotPrincipal, no NotAction, only
        // Deny in the policies you write.
        // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
        c(
            "rcp-principal-not-any",
            Error,
            Rcp,
            r#"{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "444455556666"}}}"#,
        ),
        c(
            "notprincipal-in-rcp",
            Error,
            Rcp,
            r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}"#,
        ),
        c(
            "notaction-in-rcp",
            Error,
            Rcp,
            r#"{"Effect": "Deny", "Principal": "*", "NotAction": "kms:Decrypt", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}"#,
        ),
        c(
            "rcp-allow",
            Error,
            Rcp,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
        ),
        // RCPs never apply to kms:RetireGrant, even with a wildcard:
        // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
        // Naming it is a warning; kms:* (which also covers everything else) is not.
        c(
            "rcp-retire-grant",
            Warning,
            Rcp,
            r#"{"Effect": "Deny", "Principal": "*", "Action": ["kms:Decrypt", "kms:RetireGrant"], "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#,
        ),
        // A pattern that matches only RetireGrant among KMS actions.
        c(
            "rcp-retire-grant",
            Warning,
            Rcp,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:Retire*", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:Re*", "Resource": "*"}"#,
        ),
    ]
}

/// The "good" variant of a scenario case: the same statement with the key
/// the scenario wants.
fn good_setup(case: &Case) -> (Setup, &'static str) {
    match (case.setup, case.good) {
        (Setup::Scenario(s, _, _), "") => (
            Setup::Scenario(
                s,
                "SYMMETRIC_DEFAULT",
                &[("EventBridgeApiDestinations", "true")],
            ),
            case.bad,
        ),
        _ => (case.setup, case.good),
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn every_code_fires_on_its_bad_policy_and_not_on_the_good_one() {
    let mut failures = Vec::new();
    for (i, case) in cases().iter().enumerate() {
        let (text, bad) = lint(case.setup, case.bad);
        let hits: Vec<&Finding> = bad.iter().filter(|f| f.code == case.code).collect();
        if hits.is_empty() {
            failures.push(format!(
                "case {i} `{}`: did not fire on the bad policy; got {:?}",
                case.code,
                codes(&bad)
            ));
        }
        for f in &hits {
            if f.severity != case.severity {
                failures.push(format!(
                    "case {i} `{}`: severity {:?}, want {:?}",
                    case.code, f.severity, case.severity
                ));
            }
            if f.span.end > text.len() || f.span.start >= f.span.end {
                failures.push(format!("case {i} `{}`: bad span {:?}", case.code, f.span));
            }
        }
        let (good_setup, good_body) = good_setup(case);
        let (_, good) = lint(good_setup, good_body);
        if good.iter().any(|f| f.code == case.code) {
            failures.push(format!(
                "case {i} `{}`: fired on the good policy too: {:?}",
                case.code,
                codes(&good)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The good variants are clean: no error or security finding at all, so
/// each pair differs in the one thing its case is about.
#[test]
fn good_policies_have_no_errors_or_security_findings() {
    for case in cases() {
        let (setup, body) = good_setup(&case);
        let (_, findings) = lint(setup, body);
        let serious: Vec<_> = findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Security))
            .map(|f| f.code)
            .collect();
        assert!(serious.is_empty(), "{}: {serious:?} in {body}", case.code);
    }
}

/// Codes the linter itself emits (not the parser's).
fn own_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = cases()
        .iter()
        .map(|c| c.code)
        .filter(|c| !kmsplay_messages::exists(&format!("diag.{c}")))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_code_has_a_table_row() {
    // Keep in step with findings.rs: a new code needs a row above.
    let expected = [
        "condition-key-not-for-action",
        "condition-key-not-in-request",
        "duplicate-sid",
        "eventbridge-tag-missing",
        "external-account-unlimited",
        "forallvalues-rejected",
        "full-access-to-other-account",
        "full-access-to-service",
        "key-policy-lockout",
        "key-spec-unsupported-by-service",
        "literal-wildcard",
        "malformed-account-id",
        "malformed-arn",
        "missing-set-operator",
        "missing-version",
        "no-root-delegation",
        "notaction-with-allow",
        "old-version",
        "operator-type-mismatch",
        "placeholder-left-in",
        "public-principal",
        "rcp-retire-grant",
        "redundant-statement",
        "resource-not-this-key",
        "set-operator-on-single-valued-key",
        "source-condition-on-event-data-store",
        "unknown-action",
        "unknown-condition-key",
    ];
    assert_eq!(own_codes(), expected);
    let source = [
        include_str!("../src/findings/finding.rs"),
        include_str!("../src/findings/lint.rs"),
        include_str!("../src/findings/linter.rs"),
        include_str!("../src/findings/actions.rs"),
        include_str!("../src/findings/conditions.rs"),
        include_str!("../src/findings/values.rs"),
        include_str!("../src/findings/suggest.rs"),
        include_str!("../src/findings/words.rs"),
    ]
    .concat();
    for code in expected {
        assert!(
            source.contains(&format!("\"{code}\"")),
            "{code} is not in src/findings/"
        );
    }
}

/// Each code has a message and a help in both languages, and every
/// parameter they use is one the finding carries.
#[test]
fn every_code_has_messages_whose_parameters_it_carries() {
    let mut failures = Vec::new();
    for case in cases() {
        let (_, findings) = lint(case.setup, case.bad);
        for f in findings.iter().filter(|f| f.code == case.code) {
            let names: Vec<&str> = f.params.iter().map(|(n, _)| *n).collect();
            let own = !kmsplay_messages::exists(&format!("diag.{}", f.code));
            let mut ids = vec![format!("finding.{}.help", f.code)];
            ids.push(if own {
                format!("finding.{}", f.code)
            } else {
                format!("diag.{}", f.code)
            });
            for lang in Lang::ALL {
                for id in &ids {
                    match messages(lang).text(id) {
                        None => failures.push(format!("{} lacks {id}", lang.tag())),
                        Some(text) => {
                            for p in parameters(text) {
                                if !names.contains(&p.as_str()) {
                                    failures.push(format!(
                                        "{id} ({}) uses {{{p}}}, which {} does not carry",
                                        lang.tag(),
                                        f.code
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every code the parser can report has a help line, so the one list of
/// findings says what to do for grammar errors too.
#[test]
fn every_parser_code_has_a_help() {
    let en = messages(Lang::En);
    let mut missing: Vec<String> = en
        .ids()
        .filter_map(|id| id.strip_prefix("diag."))
        .filter(|code| !code.contains('.'))
        .filter(|code| en.text(&format!("finding.{code}.help")).is_none())
        .map(str::to_string)
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "no finding.<code>.help for {missing:?}");
}

#[test]
fn suggestions_for_typos() {
    let (_, f) = lint(Setup::Key, &stmt_allow(BOB, r#""kms:Decrpyt""#, ""));
    let action = f.iter().find(|f| f.code == "unknown-action").unwrap();
    assert_eq!(action.param("suggestion"), Some("kms:Decrypt"));

    let (_, f) = lint(
        Setup::Key,
        &stmt_allow(
            BOB,
            r#""kms:Decrypt""#,
            r#", "Condition": {"Null": {"kms:EncryptionContex:aws:cloudtrail:arn": "false"}}"#,
        ),
    );
    let key = f
        .iter()
        .find(|f| f.code == "unknown-condition-key")
        .unwrap();
    assert_eq!(
        key.param("suggestion"),
        Some("kms:EncryptionContext:aws:cloudtrail:arn")
    );

    let (_, f) = lint(
        Setup::Key,
        &stmt_allow(
            BOB,
            r#""kms:Decrypt""#,
            r#", "Condition": {"StringEquals": {"aws:ResourceTags/Project": "Alpha"}}"#,
        ),
    );
    let key = f
        .iter()
        .find(|f| f.code == "unknown-condition-key")
        .unwrap();
    assert_eq!(key.param("suggestion"), Some("aws:ResourceTag/Project"));

    // A pattern that matches nothing gets no "did you mean".
    let (_, f) = lint(Setup::Key, &stmt_allow(BOB, r#""kms:Decode*""#, ""));
    let action = f.iter().find(|f| f.code == "unknown-action").unwrap();
    assert_eq!(action.param("suggestion"), None);
}

#[test]
fn known_keys_in_any_case_and_other_services_keys_are_not_unknown() {
    let (_, f) = lint(
        Setup::Key,
        &stmt_allow(
            BOB,
            r#""KMS:decrypt""#,
            r#", "Condition": {"StringEquals": {"KMS:EncryptionContext:department": "IT", "AWS:PrincipalTag/team": "x", "s3:prefix": "logs/"}}"#,
        ),
    );
    assert!(
        !f.iter()
            .any(|f| f.code == "unknown-condition-key" || f.code == "unknown-action"),
        "{:?}",
        codes(&f)
    );
}

#[test]
fn forallvalues_in_an_identity_policy_is_a_warning_not_a_rejection() {
    let body = r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:Department": "IT"}}}"#;
    let (_, f) = lint(Setup::Identity, body);
    let c = codes(&f);
    assert!(c.contains(&"set-operator-on-single-valued-key"), "{c:?}");
    assert!(!c.contains(&"forallvalues-rejected"), "{c:?}");
}

#[test]
fn source_arn_is_fine_for_trails() {
    let body = r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"}}}"#;
    for scenario in [None, Some("cloudtrail-trail")] {
        let text = policy_text(Setup::Key, body);
        let k = key("SYMMETRIC_DEFAULT", &[]);
        let ctx = LintContext {
            key: Some(&k),
            kind: PolicyKind::Resource,
            scenario,
        };
        assert!(lint_text(&text, &ctx).is_empty(), "{scenario:?}");
    }
}

#[test]
fn conditions_that_hold_on_a_missing_key_do_not_make_a_statement_dead() {
    // Null "true", IfExists, negated operators and ForAllValues all hold
    // when DescribeKey carries no encryption context.
    for condition in [
        r#"{"Null": {"kms:EncryptionContext:Secret": "true"}}"#,
        r#"{"StringEqualsIfExists": {"kms:EncryptionContext:Dept": "IT"}}"#,
        r#"{"StringNotEquals": {"kms:EncryptionContext:Dept": "IT"}}"#,
        r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "Dept"}}"#,
    ] {
        let body = stmt_allow(
            BOB,
            r#""kms:DescribeKey""#,
            &format!(r#", "Condition": {condition}"#),
        );
        let (_, f) = lint(Setup::Key, &body);
        assert!(
            !codes(&f).contains(&"condition-key-not-in-request"),
            "{condition}: {:?}",
            codes(&f)
        );
    }
}

#[test]
fn findings_are_sorted_by_position() {
    let body = r#"{"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrpyt", "kms:Encrpyt"], "Resource": "arn:aws:kms:region:account-id:key/key-id", "Condition": {"NumericEquals": {"kms:EncryptionContext:Size": "1"}}}"#;
    let (_, f) = lint(Setup::Key, body);
    assert!(f.len() >= 4, "{:?}", codes(&f));
    assert!(f.windows(2).all(|w| w[0].span.start <= w[1].span.start));
}

#[test]
fn bare_policy_without_a_key_still_checks_what_it_can() {
    // No key: the lockout check accepts any account's principals, the root
    // check any account's root, and the other-account checks are skipped.
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
    let ctx = LintContext {
        key: None,
        kind: PolicyKind::Resource,
        scenario: Some("cloudtrail-trail"),
    };
    assert!(lint_text(text, &ctx).is_empty());
    let no_admin = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#;
    let c: Vec<&str> = codes(&lint_text(no_admin, &ctx));
    assert_eq!(c, ["key-policy-lockout", "no-root-delegation"]);
}

#[test]
fn lint_document_reads_policies_and_playground_files() {
    // A key policy (it names principals).
    let key_policy = policy_text(
        Setup::KeyRaw,
        r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}"#,
    );
    let docs = lint_document(&key_policy, None).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].source, None);
    let c = codes(&docs[0].findings);
    assert!(
        c.contains(&"public-principal") && c.contains(&"missing-version"),
        "{c:?}"
    );

    // An identity policy (no principal anywhere): no "missing Principal".
    let identity = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#;
    let docs = lint_document(identity, None).unwrap();
    assert!(docs[0].findings.is_empty(), "{:?}", docs[0].findings);

    // Not JSON: the parser's error, as a finding.
    let docs = lint_document("{\"Version\": \"2012-10-17\",", None).unwrap();
    assert_eq!(codes(&docs[0].findings), ["json-unexpected-end"]);

    // A playground file whose key policy is a string: spans into that string.
    let file = r#"{"version": 1, "scenario": "cloudtrail-trail",
      "key": {"arn": "arn:aws:kms:us-west-2:111122223333:key/k", "spec": "RSA_2048",
        "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}"},
      "identities": [{"arn": "arn:aws:iam::111122223333:user/Bob",
        "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*"}]}]}]}"#;
    let docs = lint_document(file, None).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].source, Some(PolicySource::Key));
    let key_text = docs[0].text.as_deref().expect("policy given as a string");
    assert_eq!(
        codes(&docs[0].findings),
        ["key-spec-unsupported-by-service", "missing-version"]
    );
    assert_eq!(docs[0].findings[0].span.start, 0);
    assert!(key_text.starts_with("{\"Statement\""));
    assert_eq!(
        docs[1].source,
        Some(PolicySource::Identity {
            identity: 0,
            policy: 0
        })
    );
    assert_eq!(docs[1].text, None);
    let action = &docs[1].findings[0];
    assert_eq!(action.code, "unknown-action");
    assert_eq!(&file[action.span.start..action.span.end], "\"kms:Decrpyt\"");

    // A broken playground file is an error, not findings.
    let broken = r#"{"version": 1, "key": {"arn": "not-an-arn", "policy": {}}}"#;
    assert_eq!(
        lint_document(broken, None).unwrap_err().code,
        "file.invalid-key-arn"
    );
}

#[test]
fn lint_file_uses_the_files_key_and_marks_identity_policies() {
    let file = kmsplay_playground::read(
        r#"{"version": 1,
      "key": {"arn": "arn:aws:kms:us-west-2:111122223333:key/k",
        "policy": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}},
      "identities": [{"arn": "arn:aws:iam::444455556666:user/Alice",
        "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}]}]}"#,
    )
    .unwrap();
    let linted = lint_file(&file, None);
    assert_eq!(linted.len(), 2);
    assert_eq!(codes(&linted[0].1), ["external-account-unlimited"]);
    // kms:* in an identity policy is the account's own business.
    assert!(linted[1].1.is_empty(), "{:?}", linted[1].1);
}
