//! Hostile and broken policies: every one gives a diagnostic with a clear
//! code at the place it is about (checked through the text it spans, and
//! line and column), never a panic; large and pathological policies parse
//! and evaluate to completion.

use kmsplay_policy::{
    evaluate, parse_text, trace, ContextValue, Diagnostic, Policy, PolicyKind, Principal, Request,
    RequestContext, KEY_POLICY_MAX_BYTES,
};

const KEY: &str = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BOB: &str = "arn:aws:iam::111111111111:user/Bob";

fn diagnostics(text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
    let parsed = parse_text(text, kind);
    for d in &parsed.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{d:?} outside the text"
        );
    }
    parsed.diagnostics
}

/// The first diagnostic with `code`, and the text it underlines.
fn find<'t>(text: &'t str, kind: PolicyKind, code: &str) -> (Diagnostic, &'t str) {
    let all = diagnostics(text, kind);
    let d = all
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {all:?}\nfor {text}"))
        .clone();
    let under = &text[d.span.start..d.span.end];
    (d, under)
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let p = kmsplay_json::LineIndex::new(text).position(at);
    (p.line, p.column)
}

fn policy(text: &str, kind: PolicyKind) -> Policy {
    let parsed = parse_text(text, kind);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.policy.expect("a policy")
}

fn bob_request<'a>(bob: &'a Principal, action: &'a str, ctx: &'a RequestContext) -> Request<'a> {
    Request {
        principal: bob,
        action,
        resource: KEY,
        context: ctx,
    }
}

#[test]
fn empty_and_non_json_text() {
    for kind in [PolicyKind::Resource, PolicyKind::Identity] {
        let parsed = parse_text("", kind);
        assert!(parsed.policy.is_none());
        assert_eq!(parsed.diagnostics[0].code, "json-empty");
        for (text, code, at) in [
            ("   \n", "json-empty", 0),
            ("Effect: Allow", "json-unexpected-char", 0),
            (
                "{\"Version\": \"2012-10-17\" \"Statement\": []}",
                "json-unexpected-char",
                25,
            ),
            ("{\"Version\": \"2012-10-17\"", "json-unexpected-end", 24),
            (
                "{\"Statement\": []} trailing",
                "json-trailing-characters",
                18,
            ),
        ] {
            let parsed = parse_text(text, kind);
            assert!(parsed.policy.is_none(), "{text}");
            assert_eq!(parsed.diagnostics.len(), 1, "{text}");
            assert_eq!(parsed.diagnostics[0].code, code, "{text}");
            assert_eq!(parsed.diagnostics[0].span.start, at, "{text}");
        }
    }
}

#[test]
fn json_that_is_not_an_object() {
    for text in [
        "[]",
        "\"a policy\"",
        "42",
        "null",
        "true",
        "[{\"Statement\": []}]",
    ] {
        for kind in [PolicyKind::Resource, PolicyKind::Identity] {
            let (d, under) = find(text, kind, "wrong-type");
            assert_eq!(d.param("element"), Some("policy"));
            assert_eq!(d.param("expected"), Some("object"));
            assert_eq!(under, text);
        }
    }
}

#[test]
fn duplicate_keys_are_refused_where_they_are() {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
    "Action": "kms:*",
    "Action": "kms:Decrypt",
    "Resource": "*"
  }]
}"#;
    let (d, under) = find(text, PolicyKind::Resource, "json-duplicate-key");
    assert_eq!(under, "\"Action\"");
    assert_eq!(d.param("key"), Some("Action"));
    assert_eq!(line_col(text, d.span.start), (7, 5));
    // Inside a condition block too.
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
      "Condition": {"StringEquals": {"kms:ViaService": "a", "kms:ViaService": "b"}}}}"#;
    let (_, under) = find(text, PolicyKind::Identity, "json-duplicate-key");
    assert_eq!(under, "\"kms:ViaService\"");
}

#[test]
fn deep_nesting_in_a_policy() {
    let deep = format!(
        "{{\"Statement\": {{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {}1{}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (d, _) = find(&deep, PolicyKind::Identity, "json-too-deep");
    assert!(d.span.start > 60, "the error is at the too-deep bracket");
}

#[test]
fn key_policy_size_limit_is_exact() {
    // A valid policy padded with spaces to an exact size.
    let body = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let sized = |n: usize| format!("{body}{}", " ".repeat(n - body.len()));
    let at_limit = sized(KEY_POLICY_MAX_BYTES);
    assert_eq!(at_limit.len(), 32_768);
    let parsed = parse_text(&at_limit, PolicyKind::Resource);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert!(parsed.policy.is_some());
    let over = sized(KEY_POLICY_MAX_BYTES + 1);
    let (d, under) = find(&over, PolicyKind::Resource, "policy-too-large");
    assert_eq!(under.len(), over.len(), "the whole text is underlined");
    assert_eq!(d.param("size"), Some("32769"));
    assert_eq!(d.param("max"), Some("32768"));
    assert!(parse_text(&over, PolicyKind::Resource).policy.is_none());
    // Identity policies have their own (IAM) limits; the key-policy one does not apply.
    assert!(parse_text(&over, PolicyKind::Identity).policy.is_some());
    // Ten megabytes of garbage is refused by size before anyone parses it.
    let huge = "[".repeat(10 * 1024 * 1024);
    let (d, _) = find(&huge, PolicyKind::Resource, "policy-too-large");
    assert_eq!(d.param("size"), Some(huge.len().to_string().as_str()));
}

#[test]
fn very_long_strings_are_kept() {
    let long = "s".repeat(10 * 1024 * 1024);
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{long}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
        "Condition":{{"StringEquals":{{"kms:EncryptionContext:Big":"{long}"}}}}}}}}"#
    );
    let p = policy(&text, PolicyKind::Identity);
    assert_eq!(
        p.statements[0].sid.as_ref().unwrap().value.len(),
        long.len()
    );
    let bob = Principal::parse(BOB).unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("kms:EncryptionContext:Big", long.clone());
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        Some(0)
    );
}

#[test]
fn huge_numbers_in_conditions() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
      "Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":[1e999999, "1e400", 3600]},
                   "DateGreaterThan":{"aws:EpochTime":"99999999999999999999999"}}}}"#;
    let all = diagnostics(text, PolicyKind::Identity);
    let invalid: Vec<&str> = all
        .iter()
        .filter(|d| d.code == "invalid-condition-value")
        .map(|d| &text[d.span.start..d.span.end])
        .collect();
    assert_eq!(
        invalid,
        ["1e999999", "\"1e400\"", "\"99999999999999999999999\""],
        "{all:?}"
    );
    // The valid value still counts: the statement is evaluated.
    let p = parse_text(text, PolicyKind::Identity).policy.unwrap();
    let bob = Principal::parse(BOB).unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("aws:MultiFactorAuthAge", "60");
    ctx.set("aws:EpochTime", "1");
    // The date value is unusable, so that condition never holds.
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        None
    );
}

#[test]
fn nul_bytes() {
    // Escaped NUL is a character like any other.
    let text = r#"{"Statement":{"Sid":"a\u0000b","Effect":"Allow","Action":"*","Resource":"*"}}"#;
    assert_eq!(
        policy(text, PolicyKind::Identity).statements[0]
            .sid
            .as_ref()
            .unwrap()
            .value,
        "a\0b"
    );
    // A raw NUL is not.
    let text = "{\"Statement\":{\"Sid\":\"a\0b\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
    let (d, _) = find(text, PolicyKind::Identity, "json-control-character");
    assert_eq!(d.span.start, text.find('\0').unwrap());
}

#[test]
fn five_thousand_statements_parse_and_evaluate() {
    let mut statements: Vec<String> = (0..4_999)
        .map(|i| {
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Encrypt","Resource":"arn:aws:kms:*:111111111111:key/k{i}","Condition":{{"StringEquals":{{"kms:ViaService":"s{i}.amazonaws.com"}}}}}}"#
            )
        })
        .collect();
    statements.push(
        r#"{"Sid":"Last","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#.to_string(),
    );
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    assert!(
        text.len() > KEY_POLICY_MAX_BYTES,
        "larger than a key policy may be"
    );
    let p = policy(&text, PolicyKind::Identity);
    assert_eq!(p.statements.len(), 5_000);
    let bob = Principal::parse(BOB).unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("kms:ViaService", "s4998.amazonaws.com");
    let request = bob_request(&bob, "kms:decrypt", &ctx);
    assert_eq!(evaluate(&p, &request, true).allow_direct, Some(4_999));
    let steps = trace(&p, &request, true);
    assert_eq!(steps.len(), 5_000);
    assert_eq!(steps.iter().filter(|s| s.applies).count(), 1);
    // The same policy text as a key policy is over KMS's limit.
    let (_, _) = find(&text, PolicyKind::Resource, "policy-too-large");
}

#[test]
fn pathological_wildcards_finish() {
    // `*a*a*a…*b` against a long run of `a`: a backtracking matcher takes
    // exponential time; the engine must simply finish (no timing assertion).
    let pattern = format!("{}*b", "*a".repeat(5_000));
    let value = "a".repeat(1_000_000);
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"kms:{pattern}","Resource":"arn:aws:kms:*:*:key/{pattern}",
          "Condition":{{"StringLike":{{"kms:EncryptionContext:Big":"{pattern}"}},"ArnLike":{{"aws:SourceArn":"arn:aws:s3:::{pattern}"}}}}}}}}"#
    );
    let p = policy(&text, PolicyKind::Identity);
    let bob = Principal::parse(BOB).unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("kms:EncryptionContext:Big", value.clone());
    ctx.set("aws:SourceArn", format!("arn:aws:s3:::{value}"));
    let action = format!("kms:{value}");
    let resource = format!("arn:aws:kms:us-west-2:111111111111:key/{value}");
    let request = Request {
        principal: &bob,
        action: &action,
        resource: &resource,
        context: &ctx,
    };
    assert_eq!(evaluate(&p, &request, true).allow_direct, None);
    // With the final `b` present everything matches.
    let mut ctx = RequestContext::new();
    ctx.set("kms:EncryptionContext:Big", format!("{value}b"));
    ctx.set("aws:SourceArn", format!("arn:aws:s3:::{value}b"));
    let action = format!("kms:{value}b");
    let resource = format!("arn:aws:kms:us-west-2:111111111111:key/{value}b");
    let request = Request {
        principal: &bob,
        action: &action,
        resource: &resource,
        context: &ctx,
    };
    assert_eq!(evaluate(&p, &request, true).allow_direct, Some(0));
}

#[test]
fn wrong_types_in_every_element() {
    let st = |inner: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",{inner}}}}}"#
        )
    };
    // (policy text, element param, the text the diagnostic underlines)
    let cases: Vec<(String, &str, &str)> = vec![
        (r#"{"Version": 1, "Statement": []}"#.into(), "Version", "1"),
        (r#"{"Id": ["x"], "Statement": []}"#.into(), "Id", "[\"x\"]"),
        (r#"{"Statement": "Allow everything"}"#.into(), "Statement", "\"Allow everything\""),
        (r#"{"Statement": [1, null]}"#.into(), "Statement", "1"),
        (st(r#""Sid": 5"#), "Sid", "5"),
        (st(r#""Condition": ["StringEquals"]"#), "Condition", "[\"StringEquals\"]"),
        (st(r#""Condition": {"StringEquals": "kms:ViaService"}"#), "StringEquals", "\"kms:ViaService\""),
        (st(r#""Condition": {"StringEquals": {"kms:ViaService": {"a": 1}}}"#), "kms:ViaService", "{\"a\": 1}"),
        (st(r#""Condition": {"StringEquals": {"kms:ViaService": [null]}}"#), "kms:ViaService", "null"),
        (
            r#"{"Statement":{"Effect":true,"Principal":"*","Action":"*","Resource":"*"}}"#.into(),
            "Effect",
            "true",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":5,"Action":"*","Resource":"*"}}"#.into(),
            "Principal",
            "5",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":5},"Action":"*","Resource":"*"}}"#.into(),
            "AWS",
            "5",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":[7]},"Action":"*","Resource":"*"}}"#.into(),
            "AWS",
            "7",
        ),
        (
            r#"{"Statement":{"Effect":"Deny","NotPrincipal":[],"Action":"*","Resource":"*"}}"#.into(),
            "NotPrincipal",
            "[]",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":5,"Resource":"*"}}"#.into(),
            "Action",
            "5",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","NotAction":[false],"Resource":"*"}}"#.into(),
            "NotAction",
            "false",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":{}}}"#.into(),
            "Resource",
            "{}",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","NotResource":null}}"#.into(),
            "NotResource",
            "null",
        ),
    ];
    for (text, element, under) in &cases {
        let all = diagnostics(text, PolicyKind::Resource);
        let d = all
            .iter()
            .find(|d| d.code == "wrong-type" && d.param("element") == Some(element))
            .unwrap_or_else(|| panic!("no wrong-type for {element} in {all:?}\n{text}"));
        assert_eq!(&text[d.span.start..d.span.end], *under, "{text}");
        assert!(d.param("expected").is_some() && d.param("found").is_some());
    }
}

#[test]
fn invalid_values_are_named() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"Version":"2012-10-18","Statement":[]}"#,
            "invalid-version",
            "\"2012-10-18\"",
        ),
        (
            r#"{"Statement":{"Effect":"allow","Principal":"*","Action":"*","Resource":"*"}}"#,
            "invalid-effect",
            "\"allow\"",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::111111111111:root","Action":"*","Resource":"*"}}"#,
            "invalid-principal",
            "\"arn:aws:iam::111111111111:root\"",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"*","Resource":"*"}}"#,
            "principal-wildcard",
            "\"arn:aws:iam::*:root\"",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"Decrypt","Resource":"*"}}"#,
            "invalid-action",
            "\"Decrypt\"",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":[],"Resource":"*"}}"#,
            "empty-element",
            "[]",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"*","Resource":"*"}}"#,
            "notprincipal-with-allow",
            r#""NotPrincipal":{"AWS":"111111111111"}"#,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","NotAction":"kms:Decrypt","Resource":"*"}}"#,
            "conflicting-elements",
            "\"NotAction\"",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}}"#,
            "invalid-condition-value",
            "\"300.1.1.1/8\"",
        ),
    ];
    for (text, code, under) in cases {
        let (_, got) = find(text, PolicyKind::Resource, code);
        assert_eq!(got, *under, "{code}");
    }
    // A Principal in an identity policy.
    let text = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#;
    let (_, got) = find(text, PolicyKind::Identity, "principal-in-identity-policy");
    assert_eq!(got, "\"Principal\"");
}

#[test]
fn unknown_operators_and_elements() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
      "Condition":{"StringEqualz":{"a":"b"},"stringequals":{"a":"b"},"NullIfExists":{"a":"true"},
                   "ForAnyValues:StringLike":{"a":"b"},"StringEqualsIfExistsIfExists":{"a":"b"}}}}"#;
    let unknown: Vec<(&str, Option<&str>)> = diagnostics(text, PolicyKind::Resource)
        .iter()
        .filter(|d| d.code == "unknown-operator")
        .map(|d| (&text[d.span.start..d.span.end], d.param("suggestion")))
        .map(|(t, s)| {
            (
                t,
                s.map(|s| {
                    if s == "StringEquals" {
                        "StringEquals"
                    } else {
                        "other"
                    }
                }),
            )
        })
        .collect();
    assert_eq!(unknown.len(), 5, "{unknown:?}");
    assert_eq!(unknown[0].0, "\"StringEqualz\"");
    assert_eq!(unknown[1], ("\"stringequals\"", Some("StringEquals")));
    assert_eq!(unknown[2].0, "\"NullIfExists\"");
    // Unknown elements, with a suggestion when only the case is wrong.
    let text = r#"{"version":"2012-10-17","Statements":[],"Statement":{"effect":"Allow","Principal":"*","Actions":"*","Resource":"*"}}"#;
    let all = diagnostics(text, PolicyKind::Resource);
    let unknown: Vec<(&str, Option<&str>)> = all
        .iter()
        .filter(|d| d.code == "unknown-element")
        .map(|d| (&text[d.span.start..d.span.end], d.param("suggestion")))
        .collect();
    assert_eq!(
        unknown,
        [
            ("\"version\"", Some("Version")),
            ("\"Statements\"", None),
            ("\"effect\"", Some("Effect")),
            ("\"Actions\"", None),
        ]
    );
    // The missing elements are reported on the statement.
    let missing: Vec<Option<&str>> = all
        .iter()
        .filter(|d| d.code == "missing-element")
        .map(|d| d.param("element"))
        .collect();
    assert_eq!(missing, [Some("Effect"), Some("Action")]);
    // Unknown condition keys are not a parse error (the linter names them);
    // they are simply absent from the request.
    let p = policy(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"kms:NoSuchKey":"x"}}}}"#,
        PolicyKind::Identity,
    );
    let bob = Principal::parse(BOB).unwrap();
    let ctx = RequestContext::new();
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        None
    );
}

#[test]
fn broken_policy_variables() {
    let bob = Principal::parse(BOB).unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("kms:ViaService", "${aws:username");
    ctx.set("aws:username", "Bob");
    let with = |value: &str| {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*",
              "Condition":{{"StringLike":{{"kms:ViaService":"{value}"}}}}}}}}"#
        );
        policy(&text, PolicyKind::Identity)
    };
    // An unterminated variable is literal text.
    let p = with("${aws:username");
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        Some(0)
    );
    // Empty, nested and odd variables: decided without a panic.
    for odd in [
        "${}",
        "${${aws:username}}",
        "${ , ''}",
        "${aws:username, '}",
        "$${*}{?}",
        "${$}{",
    ] {
        let p = with(odd);
        let _ = evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true);
        let _ = trace(&p, &bob_request(&bob, "kms:decrypt", &ctx), true);
    }
    // A multivalued key where a variable wants a single value.
    ctx.insert(
        "aws:username",
        ContextValue::Multi(vec!["Bob".into(), "Alice".into()]),
    );
    let p = with("${aws:username}");
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        None
    );
}

/// ENGINE BUG (found by the differential test, tests/differential; class
/// `missing-key-unresolved-variable`). Ignored until the engine is fixed.
///
/// `condition_holds` (crates/policy/src/eval.rs) fails a condition as soon
/// as one of its values holds a policy variable the request cannot fill,
/// before it looks at whether the condition key is present at all. AWS
/// decides a missing key first: "If the key is not present, evaluate the
/// condition element as true" (…IfExists), "If the policy condition
/// requires that the key is not matched, such as StringNotLike or
/// ArnNotLike, and the right key is not present, the condition is true"
/// (condition operators page), and the policy variables page recommends
/// exactly IfExists "to prevent variables from causing invalid statements".
/// The effect in the playground: a Deny such as
/// `StringNotEqualsIfExists {kms:EncryptionContext:Owner: ${aws:username}}`
/// does not apply to a role (no aws:username) calling without that
/// context, so the simulator shows access AWS refuses.
///
/// Fix: in `condition_holds`, handle the missing key (`let Some(values) =
/// values else { … }`) before the `unresolvable` check, so the check only
/// runs when there are request values to compare.
#[test]
fn missing_key_decides_before_an_unresolvable_policy_variable() {
    let role = Principal::parse("arn:aws:sts::111111111111:assumed-role/Admin/s1").unwrap();
    let ctx = RequestContext::new(); // no aws:username, no encryption context
    let request = Request {
        principal: &role,
        action: "kms:decrypt",
        resource: KEY,
        context: &ctx,
    };
    for (operator, expected) in [
        ("StringEqualsIfExists", true),
        ("StringNotEquals", true),
        ("StringNotEqualsIfExists", true),
        ("StringNotLike", true),
        ("ForAllValues:StringEquals", true),
        ("ArnNotLike", true),
        // Positive operators on a missing key stay false either way.
        ("StringEquals", false),
        ("ForAnyValue:StringEquals", false),
    ] {
        let key = if operator.starts_with("Arn") {
            "aws:SourceArn"
        } else {
            "kms:EncryptionContext:Owner"
        };
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Deny","Action":"*","Resource":"*",
              "Condition":{{"{operator}":{{"{key}":"${{aws:username}}"}}}}}}}}"#
        );
        let p = policy(&text, PolicyKind::Identity);
        assert_eq!(
            evaluate(&p, &request, true).deny.is_some(),
            expected,
            "{operator} on a missing key with an unresolvable ${{aws:username}}"
        );
    }
}

/// ENGINE BUG (found by the differential test, class
/// `resource-trailing-wildcard-crosses-colons`). Ignored until fixed.
///
/// AWS's Resource element page: "If the * wildcard is the last character
/// of a resource ARN segment, it can expand to match beyond the colon
/// boundaries"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
/// So `"Resource": "arn:aws:kms:*"` or `"arn:aws:kms:us-west-2:*"` covers
/// every key. The engine compiles a Resource through `ArnPattern::new`
/// (crates/policy/src/arn.rs), which turns any `arn:` pattern with fewer
/// than six parts into `ArnParts::Never`: the statement silently never
/// applies (an Allow grants nothing, a Deny protects nothing).
///
/// Fix: give Resource/NotResource their own constructor (say
/// `ArnPattern::resource`, used in parse.rs for `Resource`/`NotResource`
/// and in eval.rs `resource_matches` for resolved templates) that, for an
/// `arn:` pattern with fewer than six parts whose last character is `*`,
/// matches the whole ARN text as one wildcard pattern. Keep `ArnPattern::new`
/// for ArnLike/ArnEquals, where "each of the six colon-delimited components
/// of the ARN is checked separately" (condition operators page).
#[test]
fn resource_trailing_wildcard_crosses_colons() {
    let bob = Principal::parse(BOB).unwrap();
    let ctx = RequestContext::new();
    for resource in [
        "arn:aws:kms:*",
        "arn:aws:kms:us-west-2:*",
        "arn:aws:kms:us-west-2:111111111111:*",
        "arn:aws:*",
    ] {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{resource}"}}}}"#
        );
        let p = policy(&text, PolicyKind::Identity);
        assert_eq!(
            evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
            Some(0),
            "{resource} covers {KEY}"
        );
    }
    // A short pattern that does not end with `*` still matches nothing.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-west-2"}}"#,
        PolicyKind::Identity,
    );
    assert_eq!(
        evaluate(&p, &bob_request(&bob, "kms:decrypt", &ctx), true).allow_direct,
        None
    );
}
