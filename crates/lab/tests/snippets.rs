//! The generated statements equal the documents' own statements (compared
//! as JSON values) when given the documents' own parameters. The document
//! texts below are copied from the seeds (002: CloudTrail key policy,
//! https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html ;
//! 000: EventBridge connections,
//! https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html),
//! placeholders and all; the tests fill the placeholders the way the
//! documents tell a reader to.

use kmsplay_lab::scenarios::{self, scenario, Params};
use kmsplay_lab::snippets::{self, OtherPolicyKind, Snippet};
use serde_json::{json, Value};

fn params(id: &str, given: &[(&str, &str)]) -> Params {
    Params::new(scenario(id).expect("scenario"), given).unwrap_or_else(|e| panic!("{e:?}"))
}

fn snippet(id: &str, given: &[(&str, &str)]) -> Snippet {
    snippets::snippet(scenario(id).expect("scenario"), &params(id, given))
}

/// A document statement with its placeholders replaced.
fn doc(text: &str, fill: &[(&str, &str)]) -> Value {
    let mut t = text.to_string();
    for (from, to) in fill {
        t = t.replace(from, to);
    }
    serde_json::from_str(&t).unwrap_or_else(|e| panic!("{e}: {t}"))
}

fn by_sid<'s>(s: &'s Snippet, sid: &str) -> &'s Value {
    s.statements
        .iter()
        .find(|v| v["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid} in {:#?}", s.statements))
}

const KEY_ARN_PLACEHOLDER: &str = "arn:aws:kms:region:account-id:key/key-id";

// --- seed 002, verbatim ---------------------------------------------------------------
const ENCRYPT: &str = r#"{ "Sid": "Allow CloudTrail to encrypt logs", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": { "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:region:account-id:trail/trail-name" }, "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:account-id:trail/*" } } }"#;
const ENCRYPT_TWO_ACCOUNTS: &str = r#"{ "Sid": "Enable CloudTrail encrypt permissions", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": { "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": [ "arn:aws:cloudtrail:*:111111111111:trail/*", "arn:aws:cloudtrail:*:222222222222:trail/*" ] }, "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:region:account-id:trail/trail-name" } } }"#;
const READER: &str = r#"{ "Sid": "Enable CloudTrail log decrypt permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::account-id:user/username" }, "Action": "kms:Decrypt", "Resource": "*", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#;
const SERVICE_DECRYPT_TRAIL: &str = r#"{ "Sid": "Allow CloudTrail to decrypt a trail", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:Decrypt", "Resource": "*" }"#;
const DESCRIBE: &str = r#"{ "Sid": "Allow CloudTrail access", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:DescribeKey", "Resource": "arn:aws:kms:region:account-id:key/key-id", "Condition": { "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:region:account-id:trail/trail-name" } } }"#;
const EDS_ENCRYPT: &str = r#"{ "Sid": "Allow CloudTrail to encrypt event data store", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": [ "kms:GenerateDataKey", "kms:Decrypt" ], "Resource": "*" }"#;
/// As published: the comma after the Sid is missing.
const EDS_USERS: &str = r#"{ "Sid": "Enable user key permissions for event data stores" "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::account-id:user/username" }, "Action": [ "kms:Decrypt", "kms:GenerateDataKey" ], "Resource": "*" }"#;
const EDS_DECRYPT: &str = r#"{ "Sid": "Allow CloudTrail to decrypt an event data store", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:Decrypt", "Resource": "*" }"#;
const BOB: &str = r#"{ "Sid": "Enable CloudTrail log decrypt permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:region:account-id:key/key-id", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#;
const ALICE_KEY_POLICY: &str = r#"{ "Sid": "Enable encrypted CloudTrail log read access", "Effect": "Allow", "Principal": { "AWS": [ "arn:aws:iam::222222222222:root" ] }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:region:account-id:key/key-id", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#;
const ALICE_IAM_POLICY: &str = r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/KeyA" } ] }"#;
/// As published: the account has eleven digits.
const READ_ROLE: &str = r#"{ "Sid": "Enable encrypted CloudTrail log read access", "Effect": "Allow", "Principal": { "AWS": [ "arn:aws:iam::11111111111:role/CloudTrailReadRole" ] }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:region:account-id:key/key-id", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#;
const READ_ROLE_TRUST: &str = r#"{ "Version": "2012-10-17", "Statement": [ { "Sid": "Allow CloudTrail access", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::222222222222:root" }, "Action": "sts:AssumeRole" } ] }"#;

// --- seed 000, verbatim -------------------------------------------------------------------
const EVENTBRIDGE_CONDITION: &str = r#"{ "StringLike": { "kms:ViaService": "secretsmanager.*.amazonaws.com", "kms:EncryptionContext:SecretARN": [ "arn:aws:secretsmanager:*:*:secret:events!connection/*" ] }, "StringEquals": { "aws:ResourceTag/EventBridgeApiDestinations": "true" } }"#;
const EVENTBRIDGE_CROSS_ACCOUNT: &str = r#"{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::account:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy" }, "Action": [ "kms:Decrypt", "kms:DescribeKey" ], "Resource": "*" }"#;
const EVENTBRIDGE_EXAMPLE_POLICY: &str = r#"{ "Id": "key-policy-example", "Version": "2012-10-17", "Statement": [ { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::012345678901:root" }, "Action": "kms:*", "Resource": "*" } ] }"#;

const KEY: &str = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn trail_statements_equal_the_documents() {
    let s = snippet("cloudtrail-trail", &[("s3_bucket_key", "true")]);
    let fill = [
        (KEY_ARN_PLACEHOLDER, KEY),
        (":region:", ":us-west-2:"),
        (":account-id:", ":111111111111:"),
        ("trail/trail-name", "trail/Default"),
        ("user/username", "user/cloudtrail-admin"),
    ];
    assert_eq!(s.statements.len(), 4);
    assert_eq!(s.statements[0], doc(ENCRYPT, &fill));
    assert_eq!(by_sid(&s, "Allow CloudTrail access"), &doc(DESCRIBE, &fill));
    assert_eq!(
        by_sid(&s, "Enable CloudTrail log decrypt permissions"),
        &doc(READER, &fill)
    );
    assert_eq!(
        by_sid(&s, "Allow CloudTrail to decrypt a trail"),
        &doc(SERVICE_DECRYPT_TRAIL, &[])
    );
    assert!(s.other_policies.is_empty());
    // Without the S3 Bucket Key, CloudTrail's own Decrypt is not prescribed.
    assert_eq!(snippet("cloudtrail-trail", &[]).statements.len(), 3);
}

#[test]
fn two_accounts_get_the_documents_list_statement() {
    let s = snippet(
        "cloudtrail-trail",
        &[("trail_accounts", "111111111111,222222222222")],
    );
    let mut want = doc(ENCRYPT_TWO_ACCOUNTS, &[]);
    // The document leaves one placeholder trail ARN in aws:SourceArn and
    // says its value is "the trail ARN (or an array of trail ARNs)": one
    // per account's trail here.
    want["Condition"]["StringEquals"]["aws:SourceArn"] = json!([
        "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default",
        "arn:aws:cloudtrail:us-west-2:222222222222:trail/Default"
    ]);
    assert_eq!(s.statements[0], want);
}

#[test]
fn event_data_store_statements_equal_the_documents() {
    let s = snippet("cloudtrail-event-data-store", &[]);
    let key = "arn:aws:kms:us-east-1:111111111111:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    let fill = [
        (":account-id:", ":111111111111:"),
        ("user/username", "user/LakeAnalyst"),
        // The seed's missing comma, put back.
        (
            r#""Enable user key permissions for event data stores" "Effect""#,
            r#""Enable user key permissions for event data stores", "Effect""#,
        ),
    ];
    assert!(
        serde_json::from_str::<Value>(EDS_USERS).is_err(),
        "as published"
    );
    assert_eq!(s.statements[0], doc(EDS_ENCRYPT, &[]));
    assert_eq!(s.statements[1], doc(EDS_USERS, &fill));
    assert_eq!(s.statements[2], doc(EDS_DECRYPT, &[]));
    // The describe statement without aws:SourceArn, which event data
    // stores do not support.
    let mut describe = doc(DESCRIBE, &[(KEY_ARN_PLACEHOLDER, key)]);
    describe
        .as_object_mut()
        .expect("object")
        .remove("Condition");
    assert_eq!(s.statements[3], describe);
    for st in &s.statements {
        let text = st.to_string();
        assert!(!text.contains("aws:SourceArn") && !text.contains("aws:SourceAccount"));
    }
}

#[test]
fn reader_statements_and_the_other_accounts_policies_equal_the_documents() {
    let key = "arn:aws:kms:us-west-2:111111111111:key/KeyA";
    let fill = [(KEY_ARN_PLACEHOLDER, key)];
    let s = snippet("cross-account-readers", &[("role_reads", "false")]);
    assert_eq!(s.statements[0], doc(BOB, &fill));
    assert_eq!(s.statements[1], doc(ALICE_KEY_POLICY, &fill));
    // Alice's IAM policy is exactly the document's, KeyA and all.
    assert_eq!(s.other_policies.len(), 1);
    assert_eq!(s.other_policies[0].kind, OtherPolicyKind::Identity);
    assert_eq!(
        s.other_policies[0].attach_to,
        "arn:aws:iam::222222222222:user/Alice"
    );
    assert_eq!(s.other_policies[0].policy, doc(ALICE_IAM_POLICY, &[]));

    let s = snippet(
        "cross-account-readers",
        &[("bob_reads", "false"), ("alice_reads", "false")],
    );
    // The document's role statement, with its eleven-digit account typo
    // corrected (seed 002 writes 11111111111).
    let role = doc(
        READ_ROLE,
        &[
            (KEY_ARN_PLACEHOLDER, key),
            ("::11111111111:", "::111111111111:"),
        ],
    );
    assert_eq!(s.statements, [role]);
    assert_eq!(s.other_policies[0].kind, OtherPolicyKind::Trust);
    assert_eq!(
        s.other_policies[0].attach_to,
        "arn:aws:iam::111111111111:role/CloudTrailReadRole"
    );
    assert_eq!(s.other_policies[0].policy, doc(READ_ROLE_TRUST, &[]));
}

#[test]
fn alternatives_that_share_a_sid_get_distinct_sids_together() {
    // AWS refuses a policy with duplicate Sids
    // (https://aws.amazon.com/premiumsupport/knowledge-center/kms-policy-error-invalid-principals/).
    let s = snippet("cross-account-readers", &[]);
    let mut sids: Vec<&str> = s
        .statements
        .iter()
        .filter_map(|v| v["Sid"].as_str())
        .collect();
    let n = sids.len();
    sids.sort();
    sids.dedup();
    assert_eq!(sids.len(), n, "{sids:?}");
}

#[test]
fn eventbridge_statements_use_the_documents_conditions() {
    let s = snippet("eventbridge-connection", &[("cross_account", "true")]);
    assert_eq!(
        s.statements[0]["Condition"],
        doc(EVENTBRIDGE_CONDITION, &[])
    );
    assert_eq!(
        s.statements[0]["Action"],
        json!(["kms:GenerateDataKey", "kms:Decrypt"])
    );
    assert_eq!(
        s.statements[1]["Condition"]["StringEquals"]["aws:ResourceTag/EventBridgeApiDestinations"],
        "true"
    );
    assert_eq!(
        s.statements[2],
        doc(
            EVENTBRIDGE_CROSS_ACCOUNT,
            &[("::account:", "::210987654321:")]
        )
    );
    assert_eq!(s.other_policies.len(), 1);
    assert_eq!(s.other_policies[0].kind, OtherPolicyKind::Identity);
    // The document's example policy is the root statement of its account.
    assert_eq!(
        doc(EVENTBRIDGE_EXAMPLE_POLICY, &[])["Statement"][0],
        snippets::root_statement("012345678901")
    );
}

#[test]
fn default_key_policy_equals_the_consoles() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    let path = format!(
        "{}/../../tests/playground/default-key-policy.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let s = snippet("default-key-policy", &[]);
    assert_eq!(
        Value::Array(s.statements.clone()),
        fixture["key"]["policy"]["Statement"]
    );
}

#[test]
fn pretty_output_is_the_documents_layout() {
    let s = snippet("cloudtrail-trail", &[]);
    let text = s.statements_text();
    let back: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(back, Value::Array(s.statements.clone()));
    // Sid, Effect, Principal, Action, Resource, Condition: in that order.
    let first = &text[..text.find("\n  },").expect("first statement")];
    let at = |k: &str| first.find(&format!("\"{k}\"")).expect(k);
    assert!(at("Sid") < at("Effect"));
    assert!(at("Effect") < at("Principal"));
    assert!(at("Principal") < at("Action"));
    assert!(at("Action") < at("Resource"));
    assert!(at("Resource") < at("Condition"));
    assert!(text.starts_with("[\n  {\n    \"Sid\": \"Allow CloudTrail to encrypt logs\",\n"));
    // Compact output keeps the same order.
    let c = snippets::compact(&s.statements[0], ":", ",");
    assert!(c.starts_with(r#"{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","#));
}

#[test]
fn snippets_let_every_request_through_and_policies_stay_valid() {
    for s in scenarios::catalogue() {
        let p = Params::defaults(s);
        let policy =
            snippets::pretty(&snippets::snippet(s, &p).as_policy(Some(p.text("key_account"))));
        let parsed = kmsplay_policy::parse_text(&policy, kmsplay_policy::PolicyKind::Resource);
        let errors: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == kmsplay_policy::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", s.id);
        let run = scenarios::run(s, &p, &policy).expect("runs");
        assert!(run.passed(), "{}", s.id);
    }
}
