//! The source documents' own statements against the linter: with real
//! values in place of the placeholders they produce no `error`, `security`
//! or `warning` finding; pasted verbatim, their placeholders and the
//! 11-digit account are caught. Checked over the playground fixtures (which
//! copy the documents) and over the statements of the documents themselves.

use kmsplay_kms::catalogue;
use kmsplay_kms::Key;
use kmsplay_lab::findings::{lint_document, lint_text, Finding, LintContext, Severity};
use kmsplay_policy::PolicyKind;
use std::path::{Path, PathBuf};

fn serious(f: &Finding) -> bool {
    matches!(
        f.severity,
        Severity::Error | Severity::Security | Severity::Warning
    )
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> Vec<(String, String)> {
    let dir = repo().join("tests/playground");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/playground exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable fixture");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

/// The scenario a fixture's key serves.
fn scenario(file: &str) -> Option<&'static str> {
    match file {
        "event-data-store.json" => Some("cloudtrail-event-data-store"),
        "eventbridge-connection.json" | "eventbridge-cross-account-role.json" => {
            Some("eventbridge-connection")
        }
        "cloudtrail-trail.json"
        | "cloudtrail-trail-multi-account.json"
        | "cloudtrail-read-role.json"
        | "bob-same-account.json"
        | "alice-cross-account.json"
        | "documents-pitfalls.json"
        | "documents-pitfalls-readers.json" => Some("cloudtrail-trail"),
        _ => None,
    }
}

/// The `error`/`security`/`warning` findings each fixture is expected to
/// have, with why. Every other fixture has none. None of these is about a
/// statement of the source documents filled in with real values.
const EXPECTED: &[(&str, &[(&str, usize)])] = &[
    // Fixture additions beyond the documents: a whole account by bare id
    // (DescribeKey) and another account's root for ScheduleKeyDeletion,
    // both without a condition.
    (
        "alice-cross-account.json",
        &[("external-account-unlimited", 2)],
    ),
    // Fixture addition: the literal-star StringEquals test.
    ("conditions-misc.json", &[("literal-wildcard", 1)]),
    // Seed 002 pasted verbatim on purpose: placeholders and the 11-digit
    // account, which the parser refuses as principals.
    (
        "documents-pitfalls.json",
        &[
            ("invalid-principal", 3),
            ("malformed-account-id", 1),
            ("placeholder-left-in", 8),
        ],
    ),
    // Seed 002's reader statements verbatim: the placeholder key ARN.
    (
        "documents-pitfalls-readers.json",
        &[("placeholder-left-in", 2)],
    ),
    // The fixture leaves out the root statement on purpose (IAM policies
    // grant nothing), so nobody may manage the key either.
    (
        "event-data-store.json",
        &[("key-policy-lockout", 1), ("no-root-delegation", 1)],
    ),
    // Seed 000's cross-account statement verbatim with its `account`
    // placeholder.
    (
        "eventbridge-connection.json",
        &[("invalid-principal", 1), ("placeholder-left-in", 1)],
    ),
    // Accounts 222222222222 and 333333333333 are named without a
    // condition, on purpose: the organization's SCPs and RCP decide. The
    // sandbox OU's SCP leaves out kms:GenerateDataKey on purpose (Alice's
    // implicit deny).
    (
        "evaluation-chain.json",
        &[("external-account-unlimited", 2), ("scp-blocks-kms", 1)],
    ),
    // No root statement on purpose; KeyAdmin only has grant operations.
    (
        "grants-pending.json",
        &[("key-policy-lockout", 1), ("no-root-delegation", 1)],
    ),
];

fn tally(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for f in findings.iter().filter(|f| serious(f)) {
        match out.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, n)) => *n += 1,
            None => out.push((f.code, 1)),
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_have_exactly_the_expected_serious_findings() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, text) in fixtures() {
        let linted = lint_document(&text, scenario(&name))
            .unwrap_or_else(|e| panic!("{name}: not a playground file: {e:?}"));
        let all: Vec<Finding> = linted.into_iter().flat_map(|p| p.findings).collect();
        let got = tally(&all);
        let want: Vec<(&str, usize)> = EXPECTED
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, w)| w.to_vec())
            .unwrap_or_default();
        if got != want {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
        seen += 1;
    }
    assert!(seen >= 21, "only {seen} fixtures");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Files whose `_expected_errors` is non-empty keep the documents'
/// placeholders on purpose: the parser's errors and the linter's
/// placeholder / account findings must fire for them.
#[test]
fn files_with_expected_errors_get_their_placeholder_findings() {
    let mut checked = 0;
    for (name, text) in fixtures() {
        let root: serde_json::Value = serde_json::from_str(&text).unwrap();
        let expected: Vec<&str> = root["_expected_errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        if expected.is_empty() {
            continue;
        }
        checked += 1;
        let all: Vec<Finding> = lint_document(&text, scenario(&name))
            .unwrap()
            .into_iter()
            .flat_map(|p| p.findings)
            .collect();
        for code in &expected {
            assert!(
                all.iter()
                    .any(|f| f.code == *code && f.severity == Severity::Error),
                "{name}: {code} did not fire"
            );
        }
        assert!(
            all.iter()
                .any(|f| f.code == "placeholder-left-in" || f.code == "malformed-account-id"),
            "{name}: no placeholder or account finding"
        );
        // Each refused principal is explained by a finding at the same place.
        for e in all.iter().filter(|f| f.code == "invalid-principal") {
            assert!(
                all.iter().any(|f| f.span == e.span
                    && (f.code == "placeholder-left-in" || f.code == "malformed-account-id")),
                "{name}: {:?} unexplained",
                e.param("principal")
            );
        }
    }
    assert_eq!(checked, 2);
}

// ---------------------------------------------------------------------------
// The statements of the source documents
// ---------------------------------------------------------------------------

const TRAIL_KEY: &str =
    "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const CONNECTION_KEY: &str =
    "arn:aws:kms:us-east-1:012345678901:key/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

fn key(arn: &str, tags: &[(&str, &str)]) -> Key {
    let mut k = Key::new(arn).unwrap();
    k.spec = catalogue::key_spec("SYMMETRIC_DEFAULT").unwrap();
    k.tags = tags
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    k
}

/// A key policy of the document's root statement and `statement`.
fn with_root(account: &str, statement: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, "Action": "kms:*", "Resource": "*"}}, {statement}]}}"#
    )
}

enum Doc<'a> {
    /// A key-policy statement, linted after the root statement.
    Statement(&'a str),
    /// A whole policy.
    Policy(&'a str),
    /// An IAM identity policy.
    Identity(&'a str),
}

/// Seed 002 (CloudTrail key policies) with its placeholders filled in:
/// region us-west-2, account 111111111111, trail Default, user Bob, the
/// missing comma after the event data store Sid added, the 11-digit account
/// written with 12 digits. The role's trust policy (sts:AssumeRole) is not a
/// KMS policy and is left out.
const SEED_002: &[(&str, Doc<'static>)] = &[
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Allow CloudTrail to encrypt logs", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": { "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default" }, "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" } } }"#,
        ),
    ),
    (
        "cloudtrail-event-data-store",
        Doc::Statement(
            r#"{ "Sid": "Allow CloudTrail to encrypt event data store", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": [ "kms:GenerateDataKey", "kms:Decrypt" ], "Resource": "*" }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Enable CloudTrail encrypt permissions", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": { "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": [ "arn:aws:cloudtrail:*:111111111111:trail/*", "arn:aws:cloudtrail:*:222222222222:trail/*" ] }, "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default" } } }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Enable CloudTrail log decrypt permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" }, "Action": "kms:Decrypt", "Resource": "*", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Allow CloudTrail to decrypt a trail", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:Decrypt", "Resource": "*" }"#,
        ),
    ),
    (
        "cloudtrail-event-data-store",
        Doc::Statement(
            r#"{ "Sid": "Enable user key permissions for event data stores", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" }, "Action": [ "kms:Decrypt", "kms:GenerateDataKey" ], "Resource": "*" }"#,
        ),
    ),
    (
        "cloudtrail-event-data-store",
        Doc::Statement(
            r#"{ "Sid": "Allow CloudTrail to decrypt an event data store", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:Decrypt", "Resource": "*" }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Enable CloudTrail log decrypt permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Enable encrypted CloudTrail log read access", "Effect": "Allow", "Principal": { "AWS": [ "arn:aws:iam::222222222222:root" ] }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Identity(
            r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/KeyA" } ] }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Enable encrypted CloudTrail log read access", "Effect": "Allow", "Principal": { "AWS": [ "arn:aws:iam::111111111111:role/CloudTrailReadRole" ] }, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } } }"#,
        ),
    ),
    (
        "cloudtrail-trail",
        Doc::Statement(
            r#"{ "Sid": "Allow CloudTrail access", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "kms:DescribeKey", "Resource": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": { "StringEquals": { "aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default" } } }"#,
        ),
    ),
];

/// Seed 000 (EventBridge connections): the example key policy as written,
/// the recommended Condition block on a statement for the key's users, and
/// the cross-account statement with its `account` filled in.
const SEED_000: &[(&str, Doc<'static>)] = &[
    (
        "eventbridge-connection",
        Doc::Policy(
            r#"{ "Id": "key-policy-example", "Version": "2012-10-17", "Statement": [ { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::012345678901:root" }, "Action": "kms:*", "Resource": "*" } ] }"#,
        ),
    ),
    (
        "eventbridge-connection",
        Doc::Statement(
            r#"{ "Sid": "Allow EventBridge connections through Secrets Manager", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::012345678901:role/EventBridgeConnectionManager" }, "Action": [ "kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt" ], "Resource": "*", "Condition": { "StringLike": { "kms:ViaService": "secretsmanager.*.amazonaws.com", "kms:EncryptionContext:SecretARN": [ "arn:aws:secretsmanager:*:*:secret:events!connection/*" ] }, "StringEquals": { "aws:ResourceTag/EventBridgeApiDestinations": "true" } } }"#,
        ),
    ),
    (
        "eventbridge-connection",
        Doc::Statement(
            r#"{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::210987654321:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy" }, "Action": [ "kms:Decrypt", "kms:DescribeKey" ], "Resource": "*" }"#,
        ),
    ),
];

fn lint_doc(scenario: &str, doc: &Doc) -> Vec<Finding> {
    let (k, account) = if scenario.starts_with("eventbridge") {
        (
            key(CONNECTION_KEY, &[("EventBridgeApiDestinations", "true")]),
            "012345678901",
        )
    } else {
        (key(TRAIL_KEY, &[]), "111111111111")
    };
    let (text, kind) = match doc {
        Doc::Statement(s) => (with_root(account, s), PolicyKind::Resource),
        Doc::Policy(p) => (p.to_string(), PolicyKind::Resource),
        Doc::Identity(p) => (p.to_string(), PolicyKind::Identity),
    };
    let ctx = LintContext {
        key: Some(&k),
        kind,
        scenario: Some(scenario),
    };
    lint_text(&text, &ctx)
}

#[test]
fn every_statement_of_the_documents_is_clean_with_real_values() {
    let mut failures = Vec::new();
    for (scenario, doc) in SEED_002.iter().chain(SEED_000) {
        let findings = lint_doc(scenario, doc);
        let bad: Vec<_> = findings
            .iter()
            .filter(|f| serious(f))
            .map(|f| (f.code, f.params.clone()))
            .collect();
        if !bad.is_empty() {
            let text = match doc {
                Doc::Statement(s) | Doc::Policy(s) | Doc::Identity(s) => s,
            };
            failures.push(format!("{scenario}: {text}\n  -> {bad:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The one finding the documents' statements do get: seed 000's condition
/// block also covers kms:DescribeKey, which carries no encryption context.
#[test]
fn the_connection_condition_block_does_not_cover_describe_key() {
    let findings = lint_doc("eventbridge-connection", &SEED_000[1].1);
    let codes: Vec<_> = findings.iter().map(|f| (f.code, f.severity)).collect();
    assert_eq!(
        codes,
        [("condition-key-not-for-action", Severity::Suggestion)]
    );
    assert_eq!(findings[0].param("action"), Some("kms:DescribeKey"));
}

// ---------------------------------------------------------------------------
// Seed 002 read from shared/seeds, when it is there
// ---------------------------------------------------------------------------

fn seed(name: &str) -> Option<String> {
    let path: &Path = &repo().join("../shared/seeds").join(name);
    std::fs::read_to_string(path).ok()
}

/// Fills in seed 002's placeholders (and its two typos) with real values.
fn fill(statement: &str) -> String {
    statement
        .replace("arn:aws:kms:region:account-id:key/key-id", TRAIL_KEY)
        .replace(":region:", ":us-west-2:")
        .replace("account-id", "111111111111")
        .replace("trail-name", "Default")
        .replace("user/username", "user/Bob")
        .replace("::11111111111:", "::111111111111:")
        .replace(
            "\"Enable user key permissions for event data stores\" \"Effect\"",
            "\"Enable user key permissions for event data stores\", \"Effect\"",
        )
}

/// Every one-line JSON object of seed 002, as published: with placeholders
/// the linter says so; filled in, it is clean.
#[test]
fn seed_002_as_published_and_filled_in() {
    let Some(text) = seed("002_4a74c2ab163936f9.txt") else {
        eprintln!("shared/seeds not found: skipped");
        return;
    };
    let mut objects = 0;
    let mut failures = Vec::new();
    for line in text.lines().map(str::trim) {
        if !(line.starts_with('{') && line.ends_with('}')) || line.contains("sts:AssumeRole") {
            continue;
        }
        objects += 1;
        let scenario = if line.contains("event data store") {
            "cloudtrail-event-data-store"
        } else {
            "cloudtrail-trail"
        };
        fn doc(s: &str) -> Doc<'_> {
            if s.contains("\"Version\"") {
                Doc::Identity(s)
            } else {
                Doc::Statement(s)
            }
        }
        // As published.
        let verbatim = lint_doc(scenario, &doc(line));
        let codes: Vec<&str> = verbatim.iter().map(|f| f.code).collect();
        let want = if line.contains("event data stores\" \"Effect\"") {
            // Not JSON: the parser stops before the placeholders.
            Some("json-unexpected-char")
        } else if line.contains("account-id") || line.contains("region") {
            Some("placeholder-left-in")
        } else if line.contains("::11111111111:") {
            Some("malformed-account-id")
        } else {
            None
        };
        match want {
            Some(code) if !codes.contains(&code) => {
                failures.push(format!("verbatim, no {code}: {line}\n  -> {codes:?}"))
            }
            None if verbatim.iter().any(serious) => {
                failures.push(format!("verbatim: {line}\n  -> {codes:?}"))
            }
            _ => {}
        }
        // Filled in.
        let filled = fill(line);
        let findings = lint_doc(scenario, &doc(&filled));
        let bad: Vec<_> = findings
            .iter()
            .filter(|f| serious(f))
            .map(|f| f.code)
            .collect();
        if !bad.is_empty() {
            failures.push(format!("filled in: {filled}\n  -> {bad:?}"));
        }
    }
    assert_eq!(objects, 12, "seed 002's policy statements");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
