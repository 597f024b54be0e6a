//! `kmsplay lint FILE [--format json|text]` through the binary: exit status
//! 1 for error and security findings, 0 otherwise, 2 for a file that cannot
//! be read; compiler-style text with a caret and help; JSON with positions;
//! Japanese; standard input.

mod common;

use common::{kmsplay, scratch, stderr, stdout};

use serde_json::Value;

use std::process::Command;

const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}
  ]
}
"#;

/// Line 5, column 57 is the `"*"` of the second statement's Principal.
const PUBLIC: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
"#;

/// A comma missing at the end of line 2: the error is at line 3, column 3.
const BROKEN: &str = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}\n";

#[test]
fn a_clean_policy_exits_0() {
    let path = scratch("clean.json", CLEAN);
    let out = kmsplay(&["lint", &path], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // No findings: nothing on standard output, the note on standard error.
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "no findings\n");
    let out = kmsplay(&["lint", "--format", "json", &path], None);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn an_unconditioned_public_principal_exits_1_with_a_caret_and_help() {
    let path = scratch("public.json", PUBLIC);
    let out = kmsplay(&["lint", &path], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let head = format!("{path}:5:57: security[public-principal]: ");
    let at = text.find(&head).unwrap_or_else(|| panic!("{text}"));
    let lines: Vec<&str> = text[at..].lines().collect();
    // The source line, then carets under the `"*"`.
    assert!(lines[1].starts_with(" 5 | "), "{text}");
    assert!(lines[1].ends_with(r#""Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}"#));
    let caret = lines[2].find('^').unwrap();
    assert_eq!(&lines[1][caret..caret + 3], "\"*\"");
    assert!(lines[2].ends_with("^^^"), "{text}");
    assert!(lines[3].starts_with("  = help: "), "{text}");
    // The summary line is a note for people: on standard error.
    assert_eq!(
        stderr(&out),
        "errors: 0, security: 1, warnings: 0, suggestions: 0\n"
    );
    assert!(!text.contains("errors: "), "{text}");
}

#[test]
fn json_findings_carry_code_severity_message_help_and_positions() {
    let path = scratch("public-json.json", PUBLIC);
    let out = kmsplay(&["lint", "--format", "json", &path], None);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["code"] == "public-principal")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(f["severity"], "security");
    assert!(f["message"]
        .as_str()
        .is_some_and(|m| m.contains("Principal")));
    assert!(f["help"].as_str().is_some_and(|h| !h.is_empty()));
    assert_eq!(
        (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
        (
            &Value::from(5),
            &Value::from(57),
            &Value::from(5),
            &Value::from(60)
        )
    );
}

#[test]
fn bad_json_is_an_error_with_line_and_column() {
    let path = scratch("broken.json", BROKEN);
    let out = kmsplay(&["lint", &path], None);
    let code = out.status.code();
    assert!(code == Some(1) || code == Some(2), "{code:?}");
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains(&format!("{path}:3:3: error[json-unexpected-char]")),
        "{all}"
    );
    let out = kmsplay(&["lint", "--format", "json", &path], None);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "json-unexpected-char");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (&f["line"], &f["column"]),
        (&Value::from(3), &Value::from(3))
    );
}

#[test]
fn japanese_with_lang() {
    let path = scratch("public-ja.json", PUBLIC);
    for args in [
        vec!["--lang", "ja", "lint", path.as_str()],
        vec!["lint", "--lang", "ja", path.as_str()],
    ] {
        let out = kmsplay(&args, None);
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(
            text.contains(":5:57: セキュリティ[public-principal]: "),
            "{text}"
        );
        assert!(text.contains("  = ヘルプ: "), "{text}");
    }
    // And from the environment.
    let out = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(["lint", &path])
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("セキュリティ"));
}

#[test]
fn standard_input_with_a_dash() {
    let out = kmsplay(&["lint", "-"], Some(PUBLIC));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("-:5:57: security[public-principal]: "),
        "{}",
        stdout(&out)
    );
    let out = kmsplay(&["lint", "--format", "json", "-"], Some(CLEAN));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["findings"].as_array().unwrap().is_empty());
}

#[test]
fn a_missing_file_exits_2() {
    let out = kmsplay(&["lint", "/nonexistent/policy.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/policy.json"));
    assert!(stdout(&out).is_empty());
}

#[test]
fn playground_files_name_each_policy() {
    let fixture = format!(
        "{}/../../tests/playground/documents-pitfalls.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = kmsplay(&["lint", "--format", "json", &fixture], None);
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["policy"].is_string()));
    // The documents' placeholders are caught in the key policy.
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "placeholder-left-in" && f["policy"] == "key"),
        "{v:#}"
    );
}
