//! Hostile and broken input to the linter: parser problems come back as
//! error findings with their codes and places, never a panic; large and
//! pathological policies are linted to completion.

use kmsplay_lab::findings::{lint_document, lint_text, message, Finding, LintContext, Severity};
use kmsplay_messages::Lang;
use kmsplay_policy::PolicyKind;

fn ctx(kind: PolicyKind) -> LintContext<'static> {
    LintContext {
        key: None,
        kind,
        scenario: None,
    }
}

fn lint(text: &str, kind: PolicyKind) -> Vec<Finding> {
    let findings = lint_text(text, &ctx(kind));
    for f in &findings {
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{f:?} outside the text"
        );
        // Every finding has words in both languages.
        assert!(!message(f, Lang::En).is_empty());
        assert!(!message(f, Lang::Ja).is_empty());
    }
    findings
}

fn first<'f>(findings: &'f [Finding], code: &str) -> &'f Finding {
    findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {findings:?}"))
}

#[test]
fn broken_json_is_an_error_finding_at_its_place() {
    for kind in [PolicyKind::Resource, PolicyKind::Identity] {
        for (text, code, at) in [
            ("", "json-empty", 0),
            ("not json", "json-unexpected-char", 1),
            ("<Policy/>", "json-unexpected-char", 0),
            ("{\"Statement\": []} }", "json-trailing-characters", 18),
            ("{\"Statement\": [}", "json-unexpected-char", 15),
            (
                "{\"Statement\": [], \"Statement\": []}",
                "json-duplicate-key",
                18,
            ),
            ("{\"Sid\": \"a\0\"}", "json-control-character", 10),
        ] {
            let findings = lint(text, kind);
            assert_eq!(findings.len(), 1, "{text:?}: {findings:?}");
            let f = &findings[0];
            assert_eq!(
                (f.code, f.severity, f.span.start),
                (code, Severity::Error, at),
                "{text:?}"
            );
        }
        let deep = "[".repeat(100_000);
        assert_eq!(lint(&deep, PolicyKind::Identity)[0].code, "json-too-deep");
    }
}

#[test]
fn json_that_is_not_a_policy() {
    for text in ["[]", "42", "\"policy\"", "null"] {
        let f = lint(text, PolicyKind::Resource);
        assert_eq!(first(&f, "wrong-type").severity, Severity::Error);
    }
    let f = lint("{}", PolicyKind::Resource);
    assert_eq!(
        first(&f, "missing-element").param("element"),
        Some("Statement")
    );
}

#[test]
fn oversized_key_policy() {
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111111111111:root"}},"Action":"kms:*","Resource":"*"}}]}}"#,
        "x".repeat(40_000)
    );
    let f = lint(&big, PolicyKind::Resource);
    let too_large = first(&f, "policy-too-large");
    assert_eq!(too_large.severity, Severity::Error);
    assert_eq!((too_large.span.start, too_large.span.end), (0, big.len()));
    // Ten megabytes of anything: refused by size, not parsed.
    let huge = "{".repeat(10 * 1024 * 1024);
    assert_eq!(
        lint(&huge, PolicyKind::Resource)[0].code,
        "policy-too-large"
    );
}

#[test]
fn wrong_types_unknown_operators_and_elements() {
    let text = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"AWS":5},"Action":"kms:Decrypt","Resource":"*"},
  {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEqualsX":{"kms:ViaService":"s3.us-west-2.amazonaws.com"}}},
  {"effect":"Allow","Principal":"*","Actions":"kms:Decrypt","Resource":"*"},
  {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:NoSuchKey":"x"}}}
]}"#;
    let f = lint(text, PolicyKind::Resource);
    let wrong = first(&f, "wrong-type");
    assert_eq!(&text[wrong.span.start..wrong.span.end], "5");
    let op = first(&f, "unknown-operator");
    assert_eq!(&text[op.span.start..op.span.end], "\"StringEqualsX\"");
    assert_eq!(op.param("suggestion"), Some("StringEquals"));
    let el = first(&f, "unknown-element");
    assert_eq!(&text[el.span.start..el.span.end], "\"effect\"");
    let key = first(&f, "unknown-condition-key");
    assert_eq!(&text[key.span.start..key.span.end], "\"kms:NoSuchKey\"");
}

#[test]
fn five_thousand_statements_are_linted() {
    let statements: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-west-2:111111111111:key/k{i}","Condition":{{"StringLike":{{"kms:ViaService":"s3.*.amazonaws.com"}}}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let f = lint(&text, PolicyKind::Identity);
    assert!(
        f.iter().all(|f| f.severity != Severity::Error),
        "{:?}",
        &f[..f.len().min(3)]
    );
    // Duplicate Sids among thousands are still found.
    let dup = text.replacen("\"S4999\"", "\"S0\"", 1);
    assert!(lint(&dup, PolicyKind::Identity)
        .iter()
        .any(|f| f.code == "duplicate-sid"));
}

#[test]
fn pathological_wildcards_are_linted() {
    let pattern = format!("{}*b", "*a".repeat(5_000));
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111111111111:root"}},
          "Action":"kms:{pattern}","Resource":"{pattern}","Condition":{{"StringLike":{{"kms:EncryptionContext:x":"{pattern}"}},
          "ArnLike":{{"aws:SourceArn":"arn:{pattern}:{pattern}:{pattern}:{pattern}:{pattern}"}}}}}}}}"#
    );
    let _ = lint(&text, PolicyKind::Resource);
}

#[test]
fn lint_document_refuses_broken_playground_files_with_their_field() {
    // A playground file (version + key) that is not readable: the file's error.
    let e = lint_document(r#"{"version": 1, "key": {"arn": 7, "policy": {}}}"#, None).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), ("file.wrong-type", "key.arn"));
    // Not JSON at all: linted as a policy, one error finding.
    let policies = lint_document("{{{", None).unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].findings[0].code, "json-unexpected-char");
    // An unknown scenario id lints without a panic.
    let _ = lint_document(r#"{"Statement": []}"#, Some("no-such-scenario")).unwrap();
}
