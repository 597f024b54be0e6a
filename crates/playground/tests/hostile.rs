//! Hostile and broken playground files: each is refused with a code and
//! the field path (or the line and column of bad JSON), never a panic; big
//! files are read and decided.

use kmsplay_json::LineIndex;
use kmsplay_kms::{Decision, Outcome};
use kmsplay_messages::Lang;
use kmsplay_playground::{read, read_bytes, run, simulate_json, FileError};

const KEY: &str = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn refused(text: &str) -> FileError {
    let e = read(text).expect_err("must be refused");
    assert!(
        e.span.start <= e.span.end && e.span.end <= text.len(),
        "{e:?}"
    );
    // The report path refuses it the same way.
    assert_eq!(simulate_json(text, Lang::En, true).unwrap_err(), e);
    e
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let p = LineIndex::new(text).position(at);
    (p.line, p.column)
}

/// A file with a root key policy, Bob's identity policy and `requests`.
fn file(policy: &str, identity_policy: &str, requests: &str) -> String {
    format!(
        r#"{{"version": 1,
  "key": {{"arn": "{KEY}", "policy": {policy}}},
  "identities": [{{"arn": "arn:aws:iam::111111111111:user/Bob", "policies": [{identity_policy}]}}],
  "requests": {requests}}}"#
    )
}

const ROOT_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}"#;
const BOB_DECRYPT: &str =
    r#"[{"principal":"arn:aws:iam::111111111111:user/Bob","action":"kms:Decrypt"}]"#;

#[test]
fn empty_and_non_json_input() {
    for (text, code, at) in [
        ("", "json-empty", 0),
        ("\n\n", "json-empty", 0),
        ("version: 1", "json-unexpected-char", 0),
        ("{\"version\": 1,}", "json-unexpected-char", 14),
        (
            "{\"version\": 1} {\"version\": 1}",
            "json-trailing-characters",
            15,
        ),
        ("{\"version\": 1", "json-unexpected-end", 13),
    ] {
        let e = refused(text);
        assert_eq!(
            (e.code, e.span.start, e.path.as_str()),
            (code, at, ""),
            "{text:?}"
        );
    }
}

#[test]
fn json_that_is_not_an_object() {
    for text in ["[]", "1", "\"playground\"", "null", "[{\"version\": 1}]"] {
        let e = refused(text);
        assert_eq!((e.code, e.path.as_str()), ("file.not-object", ""), "{text}");
        assert_eq!(&text[e.span.start..e.span.end], text);
    }
}

#[test]
fn duplicate_keys_give_line_and_column() {
    let text =
        "{\n  \"version\": 1,\n  \"key\": {\"arn\": \"a\", \"policy\": {}},\n  \"version\": 1\n}";
    let e = refused(text);
    assert_eq!(e.code, "json-duplicate-key");
    assert_eq!(&text[e.span.start..e.span.end], "\"version\"");
    assert_eq!(line_col(text, e.span.start), (4, 3));
    assert_eq!(e.params, vec![("key", "version".to_string())]);
}

#[test]
fn deep_nesting_and_long_strings() {
    let deep = format!("{{\"version\": 1, \"key\": {}", "[".repeat(100_000));
    assert_eq!(refused(&deep).code, "json-too-deep");
    // A 10 MB request name is read and echoed.
    let name = "n".repeat(10 * 1024 * 1024);
    let text = file(
        ROOT_POLICY,
        "",
        &format!(
            r#"[{{"name":"{name}","principal":"arn:aws:iam::111111111111:root","action":"kms:DescribeKey"}}]"#
        ),
    );
    let f = read(&text).unwrap();
    assert_eq!(f.requests[0].name.len(), name.len());
    assert_eq!(run(&f, false)[0].authorization.decision, Decision::Allowed);
}

#[test]
fn invalid_utf8_and_nul_bytes() {
    let mut bytes = file(ROOT_POLICY, "", BOB_DECRYPT).into_bytes();
    let at = bytes.len() - 10;
    bytes[at] = 0xff;
    let e = read_bytes(&bytes).unwrap_err();
    assert_eq!(
        (e.code, e.span.start, e.path.as_str()),
        ("json-invalid-utf8", at, "")
    );
    // Truncated in the middle of a multi-byte character.
    let text = "{\"version\": 1, \"key\": \"日本";
    let cut = &text.as_bytes()[..text.len() - 1];
    assert_eq!(read_bytes(cut).unwrap_err().code, "json-invalid-utf8");
    // Raw NUL in a string value, and between tokens.
    let text = "{\"version\": 1, \"key\": {\"arn\": \"a\0b\"}}";
    let e = refused(text);
    assert_eq!(
        (e.code, e.span.start),
        ("json-control-character", text.find('\0').unwrap())
    );
    let text = "{\"version\": 1,\0 \"key\": {}}";
    assert_eq!(refused(text).code, "json-unexpected-char");
    // read_bytes of valid UTF-8 is read.
    assert!(read_bytes(file(ROOT_POLICY, "", BOB_DECRYPT).as_bytes()).is_ok());
}

#[test]
fn every_field_is_named_when_it_is_wrong() {
    let ok_key = format!(r#"{{"arn": "{KEY}", "policy": {ROOT_POLICY}}}"#);
    let req = |r: &str| {
        format!(
            r#"{{"version": 1, "key": {ok_key}, "requests": [{{"principal":"arn:aws:iam::111111111111:user/Bob","action":"kms:Decrypt"}}, {r}]}}"#
        )
    };
    let cases: Vec<(String, &str, &str, &str)> = vec![
        // (file, code, path, text the error underlines)
        (
            r#"{"key": {}}"#.into(),
            "file.version",
            "version",
            r#"{"key": {}}"#,
        ),
        (
            r#"{"version": "1", "key": {}}"#.into(),
            "file.version",
            "version",
            "\"1\"",
        ),
        (
            r#"{"version": 2, "key": {}}"#.into(),
            "file.version",
            "version",
            "2",
        ),
        (
            r#"{"version": 1e999, "key": {}}"#.into(),
            "file.version",
            "version",
            "1e999",
        ),
        (
            r#"{"version": 1}"#.into(),
            "file.missing-field",
            "key",
            r#"{"version": 1}"#,
        ),
        (
            r#"{"version": 1, "key": []}"#.into(),
            "file.wrong-type",
            "key",
            "[]",
        ),
        (
            r#"{"version": 1, "key": {"policy": {}}}"#.into(),
            "file.missing-field",
            "key.arn",
            r#"{"policy": {}}"#,
        ),
        (
            r#"{"version": 1, "key": {"arn": 7, "policy": {}}}"#.into(),
            "file.wrong-type",
            "key.arn",
            "7",
        ),
        (
            r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:1111:key/k", "policy": {}}}"#
                .into(),
            "file.invalid-key-arn",
            "key.arn",
            "\"arn:aws:kms:us-west-2:1111:key/k\"",
        ),
        (
            format!(r#"{{"version": 1, "key": {{"arn": "{KEY}"}}}}"#),
            "file.missing-field",
            "key.policy",
            "",
        ),
        (
            format!(r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": 5}}}}"#),
            "file.wrong-type",
            "key.policy",
            "5",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "spec": "AES_512", "policy": {{}}}}}}"#
            ),
            "file.unknown-spec",
            "key.spec",
            "\"AES_512\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "state": "Asleep", "policy": {{}}}}}}"#
            ),
            "file.unknown-state",
            "key.state",
            "\"Asleep\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "tags": {{"Env": 1}}, "policy": {{}}}}}}"#
            ),
            "file.wrong-type",
            "key.tags.Env",
            "1",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "aliases": "alias/a", "policy": {{}}}}}}"#
            ),
            "file.wrong-type",
            "key.aliases",
            "\"alias/a\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": {{}}, "grants": [{{"grantee": "x", "operations": ["Decrypt", "Sign2"]}}]}}}}"#
            ),
            "file.unknown-operation",
            "key.grants[0].operations[1]",
            "\"Sign2\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": {{}}, "grants": [{{"grantee": "x", "operations": ["Decrypt"], "pending": "yes"}}]}}}}"#
            ),
            "file.wrong-type",
            "key.grants[0].pending",
            "\"yes\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": {{}}}}, "identities": [{{"arn": "Bob"}}]}}"#
            ),
            "file.invalid-principal",
            "identities[0].arn",
            "\"Bob\"",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": {{}}}}, "identities": [{{"arn": "arn:aws:iam::111111111111:user/Bob", "policies": [{{}}, 5]}}]}}"#
            ),
            "file.wrong-type",
            "identities[0].policies[1]",
            "5",
        ),
        (
            format!(
                r#"{{"version": 1, "key": {{"arn": "{KEY}", "policy": {{}}}}, "requests": {{}}}}"#
            ),
            "file.wrong-type",
            "requests",
            "{}",
        ),
        (
            req(r#"{"action":"kms:Decrypt"}"#),
            "file.missing-field",
            "requests[1].principal",
            r#"{"action":"kms:Decrypt"}"#,
        ),
        (
            req(r#"{"principal":"Bob","action":"kms:Decrypt"}"#),
            "file.invalid-principal",
            "requests[1].principal",
            "\"Bob\"",
        ),
        (
            req(r#"{"principal":"111111111111","action":"kms:Decrypts"}"#),
            "file.unknown-operation",
            "requests[1].action",
            "\"kms:Decrypts\"",
        ),
        (
            req(r#"{"principal":"111111111111","action":"s3:GetObject"}"#),
            "file.unknown-operation",
            "requests[1].action",
            "\"s3:GetObject\"",
        ),
        (
            req(
                r#"{"principal":"111111111111","action":"kms:Decrypt","encryption_context":{"Department":["IT"]}}"#,
            ),
            "file.wrong-type",
            "requests[1].encryption_context.Department",
            "[\"IT\"]",
        ),
        (
            req(
                r#"{"principal":"111111111111","action":"kms:Decrypt","context":{"kms:ViaService":{"a":1}}}"#,
            ),
            "file.wrong-type",
            "requests[1].context.kms:ViaService",
            "{\"a\":1}",
        ),
        (
            req(
                r#"{"principal":"111111111111","action":"kms:Decrypt","context":{"kms:GrantOperations":["Decrypt",null]}}"#,
            ),
            "file.wrong-type",
            "requests[1].context.kms:GrantOperations",
            "null",
        ),
        (
            req(r#"{"principal":"111111111111","action":"kms:Decrypt","grant_tokens":"t"}"#),
            "file.wrong-type",
            "requests[1].grant_tokens",
            "\"t\"",
        ),
        (
            req(r#"{"principal":"111111111111","action":"kms:Decrypt","expect":"allow"}"#),
            "file.invalid-expect",
            "requests[1].expect",
            "\"allow\"",
        ),
        (
            req(r#"{"principal":"111111111111","action":"kms:Decrypt","key":5}"#),
            "file.wrong-type",
            "requests[1].key",
            "5",
        ),
    ];
    for (text, code, path, under) in &cases {
        let e = refused(text);
        assert_eq!((e.code, e.path.as_str()), (*code, *path), "{text}");
        if !under.is_empty() {
            assert_eq!(&text[e.span.start..e.span.end], *under, "{text}");
        }
    }
}

#[test]
fn key_policy_over_the_limit_is_a_diagnostic_and_denies() {
    let body = ROOT_POLICY;
    for as_string in [false, true] {
        // 32,768 bytes: accepted; one more: policy-too-large.
        for (size, too_large) in [(32_768, false), (32_769, true)] {
            let padded = format!("{body}{}", " ".repeat(size - body.len()));
            let policy = if as_string {
                let mut s = String::new();
                kmsplay_json::write_string(&padded, &mut s);
                s
            } else {
                // As an object the compact form is measured: pad with a Sid.
                let sid = "x".repeat(size - body.len() - r#","Id":"""#.len());
                format!(r#"{{"Id":"{sid}",{}"#, &body[1..])
            };
            let text = file(&policy, "", BOB_DECRYPT);
            let f = read(&text).unwrap();
            let codes: Vec<&str> = f.policies[0].diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(
                codes.contains(&"policy-too-large"),
                too_large,
                "{size} {as_string}: {codes:?}"
            );
            assert_eq!(f.key.policy.is_none(), too_large);
            let r = &run(&f, true)[0].authorization;
            if too_large {
                assert_eq!(r.decision, Decision::ImplicitDeny);
                assert_eq!(r.reasons[0].code, "key-policy-invalid");
            }
        }
    }
}

#[test]
fn policy_text_errors_are_placed_in_the_policy_text() {
    // A key policy pasted as a string with a missing comma on its 4th line.
    let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Sid\": \"A\" \"Effect\": \"Allow\"\n  }]\n}";
    let mut quoted = String::new();
    kmsplay_json::write_string(policy, &mut quoted);
    let text = file(&quoted, "", BOB_DECRYPT);
    let f = read(&text).unwrap();
    let d = &f.policies[0].diagnostics[0];
    assert_eq!(d.code, "json-unexpected-char");
    let in_policy = f.policies[0].text.as_deref().unwrap();
    assert_eq!(line_col(in_policy, d.span.start), (4, 16));
    // The report carries it too, and the request is still decided.
    let report = simulate_json(&text, Lang::En, false).unwrap();
    let report_json = report.json();
    assert_eq!(
        report_json["diagnostics"][0]["code"],
        "json-unexpected-char"
    );
    assert_eq!(report_json["results"][0]["decision"], "implicitDeny");
}

#[test]
fn five_thousand_statement_identity_policy() {
    let mut statements: Vec<String> = (0..4_999)
        .map(|i| format!(r#"{{"Effect":"Allow","Action":"kms:Encrypt","Resource":"arn:aws:kms:*:111111111111:key/k{i}"}}"#))
        .collect();
    statements.push(format!(
        r#"{{"Sid":"Last","Effect":"Allow","Action":"kms:Decrypt","Resource":"{KEY}"}}"#
    ));
    let identity = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let text = file(ROOT_POLICY, &identity, BOB_DECRYPT);
    let f = read(&text).unwrap();
    let r = &run(&f, true)[0].authorization;
    assert_eq!(
        (r.decision, r.outcome),
        (Decision::Allowed, Outcome::Success)
    );
    let detail = r.detail.as_ref().unwrap();
    assert_eq!(detail.identity_policies[0].statements.len(), 5_000);
    assert!(detail.identity_policies[0].statements[4_999].applies);
}

#[test]
fn pathological_wildcard_in_a_file_finishes() {
    let pattern = format!("{}*b", "*a".repeat(2_000));
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*",
        "Condition":{{"StringLike":{{"kms:EncryptionContext:Blob":"{pattern}"}}}}}}]}}"#
    );
    let value = "a".repeat(200_000);
    let requests = format!(
        r#"[{{"principal":"arn:aws:iam::111111111111:user/Bob","action":"kms:Decrypt","encryption_context":{{"Blob":"{value}"}}}},
           {{"principal":"arn:aws:iam::111111111111:user/Bob","action":"kms:Decrypt","encryption_context":{{"Blob":"{value}b"}}}}]"#
    );
    let text = file(&policy, "", &requests);
    let report = simulate_json(&text, Lang::En, true).unwrap();
    let report_json = report.json();
    assert_eq!(report_json["results"][0]["decision"], "implicitDeny");
    assert_eq!(report_json["results"][1]["decision"], "allowed");
}

#[test]
fn unknown_fields_are_ignored_and_unknown_operators_reported() {
    // Unknown top-level and request fields are allowed (the format adds
    // fields freely); an unknown condition operator is a diagnostic with
    // its place, and that statement takes no part.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEqualz":{"kms:ViaService":"x"}}}]}"#;
    let text = format!(
        r#"{{"version":1,"_comment":"x","key":{{"arn":"{KEY}","policy":{policy},"extra":true}},
          "requests":[{{"principal":"arn:aws:iam::111111111111:user/Bob","action":"kms:Decrypt","_note":"n"}}]}}"#
    );
    let report = simulate_json(&text, Lang::En, false).unwrap();
    let report_json = report.json();
    let d = &report_json["diagnostics"][0];
    assert_eq!(d["code"], "unknown-operator");
    assert_eq!(report_json["results"][0]["decision"], "implicitDeny");
}
