//! `kmsplay check …` and `kmsplay who-can` through the binary: exit 0
//! pass, 1 fail, 2 bad input (with a position); text, JSON whose
//! counterexamples are playground-file requests, and SARIF 2.1.0.

use serde_json::Value;
use std::process::{Command, Output};

fn kmsplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(args)
        .env("LANG", "C")
        .output()
        .expect("kmsplay runs")
}

fn file(name: &str, text: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("check");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const OLD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
const NEW: &str = r#"{"Version":"2012-10-17","Statement":[
{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
const LOCKED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#;

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON on standard output")
}

#[test]
fn no_new_access_exit_codes_and_json() {
    let (old, new) = (file("old.json", OLD), file("new.json", NEW));
    let fail = kmsplay(&["check", "no-new-access", &old, &new, "--format", "json"]);
    assert_eq!(fail.status.code(), Some(1));
    let v = json(&fail);
    assert_eq!(v["result"], "fail");
    let c = &v["counterexamples"][0];
    assert_eq!(c["request"]["action"], "kms:Decrypt");
    assert!(c["request"]["principal"]
        .as_str()
        .unwrap()
        .contains("444455556666"));
    assert!(c["identities"].is_array());
    let pass = kmsplay(&["check", "no-new-access", &new, &old]);
    assert_eq!(pass.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&pass.stdout).starts_with("PASS"));
}

#[test]
fn a_counterexample_pastes_into_a_playground_file_and_is_allowed() {
    let (old, new) = (file("old2.json", OLD), file("new2.json", NEW));
    let v = json(&kmsplay(&[
        "check",
        "no-new-access",
        &old,
        &new,
        "--format",
        "json",
    ]));
    let c = &v["counterexamples"][0];
    let mut request = c["request"].clone();
    request["expect"] = "allowed".into();
    let playground = serde_json::json!({
        "version": 1,
        "key": {
            "arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "policy": serde_json::from_str::<Value>(NEW).unwrap(),
        },
        "identities": c["identities"],
        "requests": [request],
    });
    let path = file("pasted.json", &playground.to_string());
    let out = kmsplay(&["simulate", &path]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn public_lockout_and_access_not_granted() {
    let new = file("new3.json", NEW);
    assert_eq!(
        kmsplay(&["check", "no-public-access", &new]).status.code(),
        Some(1)
    );
    let old = file("old3.json", OLD);
    assert_eq!(
        kmsplay(&["check", "no-public-access", &old]).status.code(),
        Some(0)
    );
    assert_eq!(kmsplay(&["check", "lockout", &old]).status.code(), Some(0));
    let locked = file("locked.json", LOCKED);
    let out = kmsplay(&["check", "lockout", &locked, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["result"], "fail");
    let granted = kmsplay(&[
        "check",
        "access-not-granted",
        &new,
        "--action",
        "kms:Decrypt",
        "--principal",
        "444455556666",
    ]);
    assert_eq!(granted.status.code(), Some(1));
    let not = kmsplay(&[
        "check",
        "access-not-granted",
        &new,
        "--action",
        "kms:ScheduleKeyDeletion",
        "--principal",
        "444455556666",
    ]);
    assert_eq!(not.status.code(), Some(0));
}

#[test]
fn bad_input_is_exit_2_with_a_position() {
    let bad = file(
        "bad.json",
        "{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\",}]}",
    );
    let out = kmsplay(&["check", "lockout", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:2:"), "{err}");
    let ok = file("ok.json", OLD);
    let out = kmsplay(&["check", "access-not-granted", &ok, "--action", "kms:Nope"]);
    assert_eq!(out.status.code(), Some(2));
    // Two playground files for different keys.
    let a = file(
        "a.json",
        &format!(
            r#"{{"version":1,"key":{{"arn":"arn:aws:kms:us-east-1:111122223333:key/a","policy":{OLD}}},"requests":[]}}"#
        ),
    );
    let b = file(
        "b.json",
        &format!(
            r#"{{"version":1,"key":{{"arn":"arn:aws:kms:us-east-1:111122223333:key/b","policy":{OLD}}},"requests":[]}}"#
        ),
    );
    let out = kmsplay(&["check", "no-new-access", &a, &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.json:1:1"));
}

#[test]
fn sarif_places_the_failure_at_the_statement() {
    let (old, new) = (file("old4.json", OLD), file("new4.json", NEW));
    let out = kmsplay(&["check", "no-new-access", &old, &new, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "kmsplay/no-new-access");
    assert_eq!(result["level"], "error");
    // The Partner statement is on line 3.
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    let pass = kmsplay(&["check", "no-new-access", &new, &old, "--format", "sarif"]);
    assert_eq!(
        json(&pass)["runs"][0]["results"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn who_can_lists_the_classes() {
    let new = file("new5.json", NEW);
    let out = kmsplay(&[
        "who-can",
        &new,
        "--action",
        "kms:Decrypt",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let classes: Vec<&str> = v["callers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert!(
        classes.contains(&"account-iam") && classes.contains(&"other-account"),
        "{classes:?}"
    );
    let text = kmsplay(&["who-can", &new, "--action", "kms:Decrypt"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("444455556666"));
}

#[test]
fn lint_speaks_sarif_too() {
    let typo = file(
        "typo.json",
        "{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:Decrpyt\",\"Resource\":\"*\"}]}",
    );
    let out = kmsplay(&["lint", &typo, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "kmsplay/unknown-action")
        .expect("the typo is a result");
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
}
