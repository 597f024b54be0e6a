//! The command-line contract of `playground-file.md`: output shape, exit
//! statuses 0/1/2, `-` for standard input, errors with line and column.

mod common;

use common::{fixture, kmsplay};

use std::io::Write;
use std::process::{Command, Stdio};

const ALICE: &str = r#"{
  "version": 1,
  "key": {
    "arn": "arn:aws:kms:us-west-2:111111111111:key/k1",
    "policy": {"Version": "2012-10-17", "Statement": [
      {"Sid": "Cross account", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
       "Action": "kms:Decrypt", "Resource": "*",
       "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}}]}
  },
  "identities": [{"arn": "arn:aws:iam::222222222222:user/Alice", "policies": [
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111111111111:key/k1"}]}]}],
  "requests": [
    {"name": "Alice reads", "principal": "arn:aws:iam::222222222222:user/Alice", "action": "kms:Decrypt",
     "encryption_context": {"aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"}, "expect": "allowed"},
    {"name": "Alice without context", "principal": "arn:aws:iam::222222222222:user/Alice", "action": "KMS:decrypt", "expect": "implicitDeny"},
    {"name": "no expectation", "principal": "arn:aws:iam::333333333333:user/Eve", "action": "kms:Decrypt"}
  ]
}"#;

#[test]
fn json_results_follow_the_contract() {
    let out = kmsplay(&["simulate", "--format", "json", "-"], Some(ALICE));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["name"], "Alice reads");
    assert_eq!(results[0]["decision"], "allowed");
    assert_eq!(results[0]["outcome"], "Success");
    assert_eq!(results[0]["expect_met"], true);
    assert_eq!(results[1]["decision"], "implicitDeny");
    assert_eq!(results[1]["outcome"], "AccessDeniedException");
    assert_eq!(results[1]["expect_met"], true);
    assert!(
        results[2].get("expect_met").is_none(),
        "no expect, no expect_met"
    );
    assert_eq!(results[0]["reasons"][0]["code"], "allowed-cross-account");
    assert_eq!(
        results[1]["reasons"][0]["code"],
        "cross-account-missing-key-policy"
    );
    assert_eq!(results[0]["cross_account"]["identity_policy"], true);
}

#[test]
fn text_output_has_a_mark_and_a_reason_per_request() {
    let out = kmsplay(&["simulate", "-"], Some(ALICE));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("✓ Alice reads — allowed (Success)"),
        "{stdout}"
    );
    assert!(stdout.contains("both halves are there"), "{stdout}");
    // The summary is a note for people: on standard error.
    assert!(
        stderr.contains("3 requests: 1 allowed, 2 denied"),
        "{stderr}"
    );
    assert!(!stdout.contains("3 requests:"), "{stdout}");
}

#[test]
fn an_unmet_expectation_exits_1() {
    let broken = ALICE.replace(r#""expect": "implicitDeny""#, r#""expect": "allowed""#);
    let out = kmsplay(&["simulate", "-"], Some(&broken));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("✗ Alice without context"));
}

#[test]
fn bad_json_exits_2_with_line_and_column() {
    let out = kmsplay(
        &["simulate", "-"],
        Some("{\n  \"version\": 1,\n  \"key\": {\"arn\": \"x\" \"policy\": {}}\n}"),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("-:3:22: error[json-unexpected-char]"),
        "{stderr}"
    );
    assert!(stderr.contains("is a comma missing"), "{stderr}");
}

#[test]
fn invalid_fields_exit_2_naming_the_field() {
    let cases = [
        (r#"{"key": {}}"#, "version"),
        (r#"{"version": 2, "key": {}}"#, "version"),
        (r#"{"version": 1}"#, "key"),
        (
            r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k", "policy": {"Statement": []}}, "requests": [{"principal": "Bob", "action": "kms:Decrypt"}]}"#,
            "requests[0].principal",
        ),
        (
            r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k", "policy": {"Statement": []}}, "requests": [{"principal": "111111111111", "action": "kms:Frobnicate"}]}"#,
            "requests[0].action",
        ),
        (
            r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k", "policy": {"Statement": []}, "state": "Asleep"}}"#,
            "key.state",
        ),
        ("[]", "playground file must be a JSON object"),
        ("", "empty"),
    ];
    for (input, needle) in cases {
        let out = kmsplay(&["simulate", "-"], Some(input));
        assert_eq!(out.status.code(), Some(2), "{input}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(needle), "{input}: {stderr}");
    }
}

#[test]
fn an_unreadable_policy_exits_2_pointing_into_the_policy_text() {
    let out = kmsplay(
        &[
            "simulate",
            &fixture("invalid/event-data-store-missing-comma.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("(key):4:66: error[json-unexpected-char]"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_exits_2() {
    let out = kmsplay(&["simulate", "/no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn japanese_output_keeps_decisions() {
    let out = kmsplay(&["--lang", "ja", "simulate", "-"], Some(ALICE));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("✓ Alice reads — 許可 (Success)"),
        "{stdout}"
    );
    assert!(stdout.contains("クロスアカウント"), "{stdout}");
    let json = kmsplay(
        &["simulate", "--format", "json", "--lang", "ja", "-"],
        Some(ALICE),
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["results"][0]["decision"], "allowed");
}

#[test]
fn lang_env_is_followed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(["simulate", "-"])
        .env("LANG", "ja_JP.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ALICE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("許可"));
}

#[test]
fn trace_shows_every_statement_and_condition() {
    let out = kmsplay(&["simulate", "--trace", "-"], Some(ALICE));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("statement 1 (Cross account) [Allow]: applies"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Null kms:EncryptionContext:aws:cloudtrail:arn: (missing) against [\"false\"]: false"
        ),
        "{stdout}"
    );
}

#[test]
fn every_fixture_meets_its_expectations_through_the_cli() {
    let dir = format!("{}/../../tests/playground", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let out = kmsplay(&["simulate", path.to_str().unwrap()], None);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}

#[test]
fn help_has_an_example() {
    let out = kmsplay(&["simulate", "--help"], None);
    assert!(String::from_utf8(out.stdout).unwrap().contains("Example:"));
}
