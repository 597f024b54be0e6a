//! Merging statements into a pasted policy by editing its text.

use kmsplay_lab::merge::{merge, normalise, same_statement};
use kmsplay_lab::scenarios::{self, Params};
use kmsplay_lab::snippets;
use proptest::prelude::*;
use serde_json::{json, Value};

fn root() -> Value {
    snippets::root_statement("111111111111")
}

fn bob() -> Value {
    json!({
        "Sid": "Bob",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" },
        "Action": "kms:Decrypt",
        "Resource": "*",
    })
}

fn statements_of(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    match &v["Statement"] {
        Value::Array(a) => a.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    }
}

fn is_subsequence(small: &str, big: &str) -> bool {
    let mut it = big.bytes();
    small.bytes().all(|b| it.any(|c| c == b))
}

const PRETTY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111111111111:root"
      },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}"#;

#[test]
fn appends_after_the_last_statement_with_its_indentation() {
    let r = merge(PRETTY, &[bob()]).expect("merges");
    assert_eq!(r.added, [0]);
    assert_eq!(
        r.text,
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111111111111:root"
      },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Bob",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111111111111:user/Bob"
      },
      "Action": "kms:Decrypt",
      "Resource": "*"
    }
  ]
}"#
    );
}

#[test]
fn follows_four_spaces_tabs_and_crlf() {
    let four = PRETTY.replace("  ", "    ");
    let r = merge(&four, &[bob()]).expect("merges");
    assert!(
        r.text
            .contains("\n        {\n            \"Sid\": \"Bob\",\n"),
        "{}",
        r.text
    );

    let tabs = PRETTY.replace("  ", "\t");
    let r = merge(&tabs, &[bob()]).expect("merges");
    assert!(
        r.text
            .contains("\n\t\t{\n\t\t\t\"Sid\": \"Bob\",\n\t\t\t\"Effect\""),
        "{}",
        r.text
    );

    let crlf = PRETTY.replace('\n', "\r\n");
    let r = merge(&crlf, &[bob()]).expect("merges");
    assert!(
        !r.text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    assert_eq!(statements_of(&r.text).len(), 2);
}

#[test]
fn a_single_statement_object_becomes_an_array() {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
    "Action": "kms:*",
    "Resource": "*"
  }
}"#;
    let r = merge(text, &[bob()]).expect("merges");
    assert!(is_subsequence(text, &r.text));
    assert!(r.text.contains("\"Statement\": [{\n"), "{}", r.text);
    assert!(
        r.text.contains("\n  }, {\n    \"Sid\": \"Bob\",\n"),
        "{}",
        r.text
    );
    assert!(r.text.ends_with("\n  }]\n}"), "{}", r.text);
    assert_eq!(statements_of(&r.text).len(), 2);
}

#[test]
fn fills_an_empty_list_and_adds_a_missing_one() {
    let r = merge(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}",
        &[bob()],
    )
    .expect("ok");
    assert!(
        r.text
            .contains("\"Statement\": [\n    {\n      \"Sid\": \"Bob\","),
        "{}",
        r.text
    );
    assert!(r.text.ends_with("\n    }\n  ]\n}"), "{}", r.text);

    let r = merge("{\n  \"Statement\": [\n  ]\n}", &[bob()]).expect("ok");
    assert_eq!(statements_of(&r.text), [bob()]);
    assert!(r.text.ends_with("\n    }\n  ]\n}"), "{}", r.text);

    let r = merge("{\n  \"Version\": \"2012-10-17\"\n}", &[bob(), root()]).expect("ok");
    assert_eq!(statements_of(&r.text), [bob(), root()]);
    assert!(
        r.text
            .contains("\"2012-10-17\",\n  \"Statement\": [\n    {"),
        "{}",
        r.text
    );

    let r = merge("{}", &[bob()]).expect("ok");
    assert_eq!(statements_of(&r.text), [bob()]);
}

#[test]
fn keeps_a_one_line_policy_on_one_line() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let r = merge(text, &[bob()]).expect("merges");
    assert!(!r.text.contains('\n'));
    assert!(
        r.text.contains(r#"},{"Sid":"Bob","Effect":"Allow","#),
        "{}",
        r.text
    );
    let r = merge(r#"{"Statement": []}"#, &[bob()]).expect("merges");
    assert!(!r.text.contains('\n'));
}

#[test]
fn never_duplicates_a_statement_that_is_already_there() {
    // The same statement written differently: arrays of one, other order,
    // action case, a bare account id, another Sid.
    let written = json!({
        "Sid": "Something else",
        "Resource": ["*"],
        "Action": ["KMS:*"],
        "Effect": "Allow",
        "Principal": { "AWS": ["111111111111"] },
    });
    assert!(same_statement(&written, &root()));
    let r = merge(PRETTY, &[written, root(), bob(), bob()]).expect("merges");
    assert_eq!(r.skipped_duplicates, [0, 1, 3]);
    assert_eq!(r.added, [2]);

    let a = json!({"Effect":"Allow","Principal":"*","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*",
        "Condition":{"StringEquals":{"kms:CallerAccount":["111111111111","222222222222"]}}});
    let b = json!({"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*",
        "Condition":{"StringEquals":{"KMS:CallerAccount":["222222222222","111111111111"]}}});
    assert_eq!(normalise(&a), normalise(&b));
    let c = json!({"Effect":"Deny","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"});
    assert!(!same_statement(&b, &c));
}

#[test]
fn a_taken_sid_is_renamed_and_the_existing_statement_is_untouched() {
    let other = json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" },
        "Action": "kms:Decrypt",
        "Resource": "*",
    });
    let r = merge(PRETTY, &[other]).expect("merges");
    assert_eq!(
        r.renamed_sids,
        [(0, "Enable IAM User Permissions (2)".to_string())]
    );
    let got = statements_of(&r.text);
    assert_eq!(got[0], root());
    assert_eq!(got[1]["Sid"], "Enable IAM User Permissions (2)");
}

#[test]
fn refuses_what_it_cannot_edit() {
    let e = merge("{\"Statement\": [", &[bob()]).expect_err("bad JSON");
    assert!(e.code.starts_with("json-"));
    assert!(kmsplay_messages::exists(&e.message_id()));
    for (text, code) in [
        ("[1, 2]", "not-an-object"),
        ("{\"Statement\": \"x\"}", "statement-not-list"),
    ] {
        let e = merge(text, &[bob()]).expect_err(text);
        assert_eq!(e.code, code);
        assert!(
            kmsplay_messages::exists(&e.message_id()),
            "{}",
            e.message_id()
        );
    }
    let e = merge(PRETTY, &[json!("not a statement")]).expect_err("not an object");
    assert_eq!(e.code, "not-a-statement");
    assert!(kmsplay_messages::exists(&e.message_id()));
    // Nothing to add: the text comes back as it was.
    let r = merge(PRETTY, &[]).expect("ok");
    assert_eq!(r.text, PRETTY);
}

/// Fixture, scenario, parameters.
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

#[test]
fn merging_a_snippet_into_each_document_policy_makes_the_scenario_pass() {
    // The fixtures' policies, pasted as pretty text, with the scenario's
    // snippet merged in (parameters matching each fixture's key).
    let cases: [Case<'_>; 5] = [
        (
            "cloudtrail-trail-multi-account",
            "cloudtrail-trail",
            &[
                ("region", "us-east-1"),
                ("key_id", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
                ("trail_name", "MainTrail"),
            ],
        ),
        (
            "bob-same-account",
            "cross-account-readers",
            &[("key_id", "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d")],
        ),
        (
            "eventbridge-connection",
            "eventbridge-connection",
            &[("caller_iam_policy", "false"), ("cross_account", "true")],
        ),
        ("documents-pitfalls", "cloudtrail-trail", &[]),
        ("deny-rules", "default-key-policy", &[]),
    ];
    for (fixture, id, given) in cases {
        let path = format!(
            "{}/../../tests/playground/{fixture}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
        let policy = serde_json::to_string_pretty(&file["key"]["policy"]).expect("policy");
        let s = scenarios::scenario(id).expect("scenario");
        let p = Params::new(s, given).expect("params");
        let snippet = snippets::snippet(s, &p);
        let r = merge(&policy, &snippet.statements).expect("merges");
        let before = statements_of(&policy);
        if r.filled_in.is_empty() {
            assert!(is_subsequence(&policy, &r.text));
            assert_eq!(statements_of(&r.text)[..before.len()], before[..]);
        } else {
            // The documentation's placeholders filled in where they stood:
            // no statement beside them, the others as they were.
            assert_eq!(fixture, "documents-pitfalls");
            assert_eq!(statements_of(&r.text).len(), before.len() + r.added.len());
            assert!(!r.text.contains("(2)"), "{}", r.text);
        }
        let run = scenarios::run(s, &p, &r.text).expect("runs");
        let failed: Vec<&str> = run
            .results
            .iter()
            .filter(|o| !o.passed)
            .map(|o| o.request)
            .collect();
        // deny-rules holds explicit denies that no added allow can beat.
        if fixture == "deny-rules" {
            continue;
        }
        assert!(failed.is_empty(), "{fixture}: {failed:?}");
    }
}

// --- properties -------------------------------------------------------------------------

fn pool() -> Vec<Value> {
    let mut pool = vec![root(), bob()];
    for s in scenarios::catalogue() {
        let p = Params::defaults(s);
        pool.extend(snippets::snippet(s, &p).statements);
    }
    pool.push(json!({"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}));
    pool.push(json!({"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:user/Bob"]},
        "Action": ["kms:Decrypt"], "Resource": "*"}));
    pool.push(json!({"Sid": "Ünïcode \"quoted\"", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/日本"},
        "Action": "kms:Encrypt", "Resource": "*"}));
    pool
}

#[derive(Debug, Clone)]
enum Shape {
    Missing,
    Single,
    List,
}

/// A policy text in one of several styles people paste.
fn policy_text(statements: &[Value], shape: &Shape, style: u8, unit: &str, eol: &str) -> String {
    let mut doc = serde_json::Map::new();
    doc.insert("Version".into(), json!("2012-10-17"));
    match shape {
        Shape::Missing => {}
        Shape::Single => {
            doc.insert(
                "Statement".into(),
                statements.first().cloned().unwrap_or(json!({})),
            );
        }
        Shape::List => {
            doc.insert("Statement".into(), Value::Array(statements.to_vec()));
        }
    }
    let doc = Value::Object(doc);
    match style {
        0 => snippets::render(&doc, "", unit, eol),
        1 => serde_json::to_string_pretty(&doc)
            .expect("json")
            .replace('\n', eol),
        2 => serde_json::to_string(&doc).expect("json"),
        _ => snippets::compact(&doc, ": ", ", "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn merge_keeps_the_text_and_is_idempotent(
        existing in proptest::collection::vec(0usize..64, 0..4),
        offered in proptest::collection::vec(0usize..64, 0..5),
        shape in prop_oneof![Just(Shape::Missing), Just(Shape::Single), Just(Shape::List)],
        style in 0u8..4,
        unit in prop_oneof![Just("  "), Just("    "), Just("\t")],
        eol in prop_oneof![Just("\n"), Just("\r\n")],
    ) {
        let pool = pool();
        let pick = |i: &usize| pool[i % pool.len()].clone();
        let existing: Vec<Value> = existing.iter().map(pick).collect();
        let offered: Vec<Value> = offered.iter().map(pick).collect();
        let text = policy_text(&existing, &shape, style, unit, eol);
        let before = statements_of(&text);

        let once = merge(&text, &offered).expect("merges");
        // Nothing the user wrote is removed or changed.
        prop_assert!(is_subsequence(&text, &once.text));
        prop_assert_eq!(&statements_of(&once.text)[..before.len()], &before[..]);
        // The result parses, as JSON and as a policy.
        prop_assert!(kmsplay_json::parse(&once.text).is_ok());
        let parsed = kmsplay_policy::parse_text(&once.text, kmsplay_policy::PolicyKind::Resource);
        prop_assert!(parsed.policy.is_some());
        // Every statement offered is there, once.
        let after = statements_of(&once.text);
        for s in &offered {
            prop_assert_eq!(after.iter().filter(|t| same_statement(t, s)).count().min(1), 1);
        }
        prop_assert_eq!(once.added.len() + once.skipped_duplicates.len(), offered.len());
        prop_assert_eq!(after.len(), before.len() + once.added.len());
        // Sids stay unique among what was added.
        let mut sids: Vec<&str> = after[before.len()..].iter().filter_map(|s| s["Sid"].as_str()).collect();
        let n = sids.len();
        sids.sort();
        sids.dedup();
        prop_assert_eq!(sids.len(), n);
        // Merging again changes nothing.
        let twice = merge(&once.text, &offered).expect("merges");
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert!(twice.added.is_empty());
        // Line endings follow the text's.
        if text.contains("\r\n") {
            prop_assert!(!once.text.replace("\r\n", "").contains('\n'));
        }
    }
}

/// Issue #16, item 7: "Add to my policy" on a statement pasted with the
/// documentation's placeholders fills them in where they stand (same Sid)
/// instead of adding "Allow CloudTrail to encrypt logs (2)" beside it.
/// Seed 002 prints the statement with `region`, `account-id` and
/// `trail-name` to replace
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
#[test]
fn placeholders_of_the_same_statement_are_filled_in_place() {
    let policy = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Allow CloudTrail to encrypt logs",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:region:account-id:trail/trail-name"}}
        }
    ]
}"#;
    let new = serde_json::json!({
        "Sid": "Allow CloudTrail to encrypt logs",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Audit"}}
    });
    let r = merge(policy, &[new]).unwrap();
    assert_eq!(r.filled_in, [0]);
    assert!(r.added.is_empty() && r.renamed_sids.is_empty());
    assert!(!r.text.contains("(2)"));
    // Only the value changed; every other byte is the user's.
    assert_eq!(
        r.text,
        policy.replace(
            "region:account-id:trail/trail-name",
            "us-west-2:111111111111:trail/Audit"
        )
    );
}

#[test]
fn a_same_sid_statement_that_differs_otherwise_is_added_beside_it() {
    // Not a placeholder: the user's own trail name. Their statement stays.
    let policy = r#"{"Statement": [{"Sid": "S", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Mine"}}}]}"#;
    let new = serde_json::json!({"Sid": "S", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Audit"}}});
    let r = merge(policy, std::slice::from_ref(&new)).unwrap();
    assert!(r.filled_in.is_empty());
    assert_eq!(r.added, [0]);
    assert!(r.text.contains("trail/Mine"));
    // A placeholder where the new statement has a wildcard is not filled.
    let policy = policy.replace("trail/Mine", "trail/trail-name");
    let mut wild = new;
    wild["Condition"]["StringEquals"]["aws:SourceArn"] =
        "arn:aws:cloudtrail:us-west-2:111111111111:trail/*".into();
    let r = merge(&policy, &[wild]).unwrap();
    assert!(r.filled_in.is_empty());
}

/// A playground file given to merge: the statements go into its key's
/// policy, and nowhere else (the file once got a top-level `Statement`).
#[test]
fn a_playground_file_gets_the_statements_in_its_key_policy() {
    let file = format!(
        r#"{{
  "version": 1,
  "key": {{
    "arn": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "policy": {PRETTY}
  }},
  "requests": []
}}"#
    );
    let out = merge(&file, &[bob()]).expect("merges");
    assert_eq!(out.added, vec![0]);
    assert!(is_subsequence(&file, &out.text), "{}", out.text);
    let v: Value = serde_json::from_str(&out.text).expect("still JSON");
    assert!(v.get("Statement").is_none(), "{}", out.text);
    let policy = &v["key"]["policy"];
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(statements.last(), Some(&bob()));
    assert_eq!(v["requests"], json!([]));

    // The same with the policy as pasted text inside a string.
    let as_string = json!({
        "version": 1,
        "key": { "arn": "arn:aws:kms:us-west-2:111111111111:key/k", "policy": PRETTY },
    })
    .to_string();
    let out = merge(&as_string, &[bob()]).expect("merges");
    let v: Value = serde_json::from_str(&out.text).expect("still JSON");
    let inner = v["key"]["policy"].as_str().expect("still a string");
    assert!(is_subsequence(PRETTY, inner));
    assert_eq!(statements_of(inner).last(), Some(&bob()));

    // An error inside the key's policy points into the file's own text.
    let broken = "{\"version\": 1, \"key\": {\"policy\": {\"Statement\": 7}}}";
    let e = merge(broken, &[bob()]).expect_err("Statement is not a list");
    assert_eq!(e.code, "statement-not-list");
    assert_eq!(&broken[e.span.start..e.span.end], "7");
}
