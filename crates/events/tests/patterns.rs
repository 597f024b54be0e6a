//! EventBridge event patterns: every operator with an event that matches
//! and one that does not, the errors of invalid patterns (code and place),
//! and the KMS events of seed 001.
//!
//! Pages: <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html>,
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html>,
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html>,
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html>,
//! and the `aws/event-ruler` README.

use kmsplay_events::{Pattern, PatternError};
use proptest::prelude::*;
use serde_json::{json, Value};

fn pattern(text: &str) -> Pattern {
    match Pattern::parse(text) {
        Ok(p) => p,
        Err(e) => panic!("{text}: {e:?}"),
    }
}

/// The pattern matches `yes` and not `no`.
fn check(text: &str, yes: Value, no: Value) {
    let p = pattern(text);
    assert!(p.matches(&yes), "{text} should match {yes}");
    assert!(!p.matches(&no), "{text} should not match {no}");
}

fn error(text: &str) -> PatternError {
    match Pattern::parse(text) {
        Ok(_) => panic!("{text} should be refused"),
        Err(e) => e,
    }
}

/// The error's code and the text its span covers.
fn error_at(text: &str) -> (&'static str, String) {
    let e = error(text);
    (e.code, text[e.span.start..e.span.end].to_string())
}

/// Seed 001's deletion event.
fn deletion() -> Value {
    json!({
        "version": "0",
        "id": "e9ce3425-7d22-412a-a699-e7a5fc3fbc9a",
        "detail-type": "KMS CMK Deletion",
        "source": "aws.kms",
        "account": "111122223333",
        "time": "2022-08-10T16:37:50Z",
        "region": "us-west-2",
        "resources": ["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
        "detail": {"key-id": "1234abcd-12ab-34cd-56ef-1234567890ab"}
    })
}

fn with(mut base: Value, path: &[&str], v: Value) -> Value {
    let mut node = &mut base;
    for p in &path[..path.len() - 1] {
        node = &mut node[*p];
    }
    node[path[path.len() - 1]] = v;
    base
}

// eb-event-patterns.html: exact values; the array lists alternatives; all
// fields must match; nested objects follow the event's structure.
#[test]
fn exact_values_arrays_and_nesting() {
    check(
        r#"{"source": ["aws.kms"], "detail-type": ["KMS CMK Rotation", "KMS CMK Deletion"]}"#,
        deletion(),
        with(deletion(), &["detail-type"], json!("KMS CMK Rotation x")),
    );
    check(
        r#"{"detail": {"key-id": ["1234abcd-12ab-34cd-56ef-1234567890ab"]}}"#,
        deletion(),
        with(deletion(), &["detail", "key-id"], json!("other")),
    );
    // Every field must match.
    check(
        r#"{"source": ["aws.kms"], "region": ["us-east-1"]}"#,
        with(deletion(), &["region"], json!("us-east-1")),
        deletion(),
    );
    // Numbers, booleans and null match by value and type.
    check(r#"{"n": [5]}"#, json!({"n": 5.0}), json!({"n": "5"}));
    check(r#"{"b": [true]}"#, json!({"b": true}), json!({"b": "true"}));
    check(r#"{"z": [null]}"#, json!({"z": null}), json!({"z": "null"}));
    // A missing field does not match an exact value.
    check(r#"{"x": ["a"]}"#, json!({"x": "a"}), json!({"y": "a"}));
}

// eb-event-patterns-arrays.html: an array in the event matches when any
// element matches (resources is an array).
#[test]
fn arrays_in_the_event() {
    check(
        r#"{"resources": ["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}"#,
        with(
            deletion(),
            &["resources"],
            json!([
                "arn:other",
                "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            ]),
        ),
        with(deletion(), &["resources"], json!(["arn:other"])),
    );
    // Objects in arrays: fields must match within one element (event-ruler
    // README, "JSON Array Matching").
    let p = pattern(r#"{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}"#);
    let ev = json!({"employees": [{"firstName": "John", "lastName": "Smith"}, {"firstName": "Anna", "lastName": "Jones"}]});
    assert!(!p.matches(&ev));
    let ev = json!({"employees": [[{"firstName": "John", "lastName": "Doe"}], [{"firstName": "Anna", "lastName": "Smith"}]]});
    assert!(p.matches(&ev));
}

#[test]
fn prefix() {
    check(
        r#"{"time": [{"prefix": "2022-08-10"}]}"#,
        deletion(),
        with(deletion(), &["time"], json!("2022-08-11T00:00:00Z")),
    );
    // Prefix matches strings only.
    check(
        r#"{"n": [{"prefix": "1"}]}"#,
        json!({"n": "12"}),
        json!({"n": 12}),
    );
    // With equals-ignore-case inside.
    check(
        r#"{"detail-type": [{"prefix": {"equals-ignore-case": "kms cmk"}}]}"#,
        deletion(),
        with(
            deletion(),
            &["detail-type"],
            json!("AWS API Call via CloudTrail"),
        ),
    );
}

#[test]
fn suffix() {
    check(
        r#"{"detail-type": [{"suffix": "Deletion"}]}"#,
        deletion(),
        with(deletion(), &["detail-type"], json!("KMS CMK Rotation")),
    );
    check(
        r#"{"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}"#,
        json!({"FileName": "photo.PNG"}),
        json!({"FileName": "photo.jpg"}),
    );
}

#[test]
fn equals_ignore_case() {
    check(
        r#"{"source": [{"equals-ignore-case": "AWS.KMS"}]}"#,
        deletion(),
        with(deletion(), &["source"], json!("aws.kmsx")),
    );
}

// Wildcard: `*` any run of characters, `\*` a star (event-ruler README).
#[test]
fn wildcard() {
    check(
        r#"{"detail-type": [{"wildcard": "KMS*Deletion"}]}"#,
        deletion(),
        with(deletion(), &["detail-type"], json!("KMS CMK Deletions")),
    );
    check(
        r#"{"resources": [{"wildcard": "arn:aws:kms:*:111122223333:key/*"}]}"#,
        deletion(),
        with(
            deletion(),
            &["resources"],
            json!(["arn:aws:kms:us-west-2:444455556666:key/x"]),
        ),
    );
    check(
        r#"{"v": [{"wildcard": "a\\*b"}]}"#,
        json!({"v": "a*b"}),
        json!({"v": "axb"}),
    );
}

// anything-but: a value, a list of strings, a list of numbers, prefix,
// suffix, equals-ignore-case, wildcard
// (content-filtering-with-event-patterns.html "Anything-but matching").
#[test]
fn anything_but() {
    check(
        r#"{"detail-type": [{"anything-but": "KMS CMK Rotation"}]}"#,
        deletion(),
        with(deletion(), &["detail-type"], json!("KMS CMK Rotation")),
    );
    check(
        r#"{"x-limit": [{"anything-but": 123}]}"#,
        json!({"x-limit": 124}),
        json!({"x-limit": 123}),
    );
    check(
        r#"{"state": [{"anything-but": ["stopped", "overloaded"]}]}"#,
        json!({"state": "running"}),
        json!({"state": "stopped"}),
    );
    check(
        r#"{"x-limit": [{"anything-but": [100, 200, 300]}]}"#,
        json!({"x-limit": 150}),
        json!({"x-limit": 200}),
    );
    check(
        r#"{"state": [{"anything-but": {"prefix": "init"}}]}"#,
        json!({"state": "running"}),
        json!({"state": "initializing"}),
    );
    check(
        r#"{"FileName": [{"anything-but": {"suffix": ".png"}}]}"#,
        json!({"FileName": "a.jpg"}),
        json!({"FileName": "a.png"}),
    );
    check(
        r#"{"state": [{"anything-but": {"equals-ignore-case": ["Initializing", "STOPPED"]}}]}"#,
        json!({"state": "running"}),
        json!({"state": "INITIALIZING"}),
    );
    check(
        r#"{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#,
        json!({"FilePath": "/usr/bin/x"}),
        json!({"FilePath": "/usr/lib/x"}),
    );
    // A missing field is not "anything but".
    assert!(!pattern(r#"{"state": [{"anything-but": "x"}]}"#).matches(&json!({})));
}

// Numeric: one comparison, a range of two, or "="
// (content-filtering-with-event-patterns.html "Numeric matching").
#[test]
fn numeric() {
    check(
        r#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#,
        json!({"c": 5}),
        json!({"c": 0}),
    );
    check(
        r#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#,
        json!({"c": 0.5}),
        json!({"c": 5.000001}),
    );
    check(
        r#"{"d": [{"numeric": ["<", 10]}]}"#,
        json!({"d": -3}),
        json!({"d": 10}),
    );
    check(
        r#"{"d": [{"numeric": [">=", 10]}]}"#,
        json!({"d": 10}),
        json!({"d": 9.999999}),
    );
    check(
        r#"{"x": [{"numeric": ["=", 3.018e2]}]}"#,
        json!({"x": 301.8}),
        json!({"x": 301.9}),
    );
    // Numeric matches JSON numbers only.
    check(
        r#"{"d": [{"numeric": ["<", 10]}]}"#,
        json!({"d": 1}),
        json!({"d": "1"}),
    );
}

// Exists: presence of a leaf field; an object is not a leaf
// (content-filtering-with-event-patterns.html "Exists matching").
#[test]
fn exists() {
    check(
        r#"{"detail": {"key-id": [{"exists": true}]}}"#,
        deletion(),
        json!({"detail": {}}),
    );
    check(
        r#"{"detail": {"c-count": [{"exists": false}]}}"#,
        deletion(),
        json!({"detail": {"c-count": 5}}),
    );
    // Not a leaf: counts as absent.
    let p = pattern(r#"{"detail": {"c-count": [{"exists": false}]}}"#);
    assert!(p.matches(&json!({"detail": {"c-count": {"c1": 100}}})));
    assert!(!pattern(r#"{"detail": [{"exists": true}]}"#).matches(&deletion()));
    assert!(pattern(r#"{"nothing": {"deeper": [{"exists": false}]}}"#).matches(&deletion()));
}

#[test]
fn cidr() {
    check(
        r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#,
        json!({"ip": "10.0.0.255"}),
        json!({"ip": "10.0.1.1"}),
    );
    check(
        r#"{"ip": [{"cidr": "2001:db8::/32"}]}"#,
        json!({"ip": "2001:db8::1"}),
        json!({"ip": "2001:db9::1"}),
    );
}

// $or (eb-create-pattern-operators.html; event-ruler README "The $or Primitive").
#[test]
fn or() {
    let text = r#"{"source": ["aws.kms"], "$or": [{"detail-type": ["KMS CMK Deletion"]}, {"detail": {"key-id": [{"prefix": "abcd"}]}}]}"#;
    check(
        text,
        deletion(),
        with(deletion(), &["detail-type"], json!("KMS CMK Rotation")),
    );
    let rotation_of_abcd = with(
        with(deletion(), &["detail-type"], json!("KMS CMK Rotation")),
        &["detail", "key-id"],
        json!("abcd-1"),
    );
    assert!(pattern(text).matches(&rotation_of_abcd));
    // Nested $or inside a branch.
    let nested = r#"{"$or": [{"a": [1]}, {"b": [2], "$or": [{"c": [3]}, {"d": [4]}]}]}"#;
    check(nested, json!({"b": 2, "d": 4}), json!({"b": 2, "e": 5}));
}

// Which field failed.
#[test]
fn explain_names_the_failing_field() {
    let p = pattern(r#"{"source": ["aws.kms"], "detail": {"key-id": [{"prefix": "abcd"}]}}"#);
    assert_eq!(
        p.explain(&deletion()).map(|m| (m.path, m.code)),
        Some(("detail.key-id".into(), "value-not-matched"))
    );
    let m = p.explain(&json!({"source": "aws.kms"})).unwrap();
    assert_eq!(
        (m.path.as_str(), m.code),
        ("detail.key-id", "field-missing")
    );
    assert_eq!(m.message_id(), "events.mismatch.field-missing");
    let m = pattern(r#"{"detail": {"key-id": [{"exists": false}]}}"#)
        .explain(&deletion())
        .unwrap();
    assert_eq!(m.code, "field-present");
    let m = pattern(r#"{"$or": [{"a": [1]}, {"b": [2]}]}"#)
        .explain(&json!({"c": 3}))
        .unwrap();
    assert_eq!(m.code, "no-or-branch");
    assert_eq!(
        pattern(r#"{"a": [1]}"#).explain(&json!([1])).unwrap().code,
        "event-not-object"
    );
    assert!(pattern(r#"{"source": ["aws.kms"]}"#)
        .explain(&deletion())
        .is_none());
}

// Invalid patterns: a code and the place.
#[test]
fn invalid_patterns() {
    assert_eq!(
        error_at(r#"["aws.kms"]"#),
        ("not-object", r#"["aws.kms"]"#.into())
    );
    assert_eq!(error_at("{}").0, "empty-object");
    assert_eq!(error_at(r#"{"detail": {}}"#), ("empty-object", "{}".into()));
    assert_eq!(
        error_at(r#"{"source": "aws.kms"}"#),
        ("not-array", r#""aws.kms""#.into())
    );
    assert_eq!(error_at(r#"{"source": []}"#), ("empty-array", "[]".into()));
    assert_eq!(
        error_at(r#"{"source": [["a"]]}"#),
        ("invalid-value", r#"["a"]"#.into())
    );
    assert_eq!(
        error_at(r#"{"source": [{"prefix": "a", "suffix": "b"}]}"#).0,
        "operator-shape"
    );
    assert_eq!(
        error_at(r#"{"source": [{"contains": "kms"}]}"#),
        ("unknown-operator", r#""contains""#.into())
    );
    assert_eq!(
        error_at(r#"{"source": [{"prefix": 5}]}"#),
        ("operand-string", "5".into())
    );
    assert_eq!(
        error_at(r#"{"source": [{"exists": "yes"}]}"#),
        ("operand-bool", r#""yes""#.into())
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": [">", "5"]}]}"#),
        ("operand-number", r#""5""#.into())
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": ["<", 5, ">", 1]}]}"#).0,
        "numeric-shape"
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": [">", 5, "<", 1]}]}"#).0,
        "numeric-shape"
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": ["=", 5, "<", 9]}]}"#).0,
        "numeric-shape"
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": [">", 1, "<"]}]}"#).0,
        "numeric-shape"
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": ["!=", 5]}]}"#),
        ("numeric-operator", r#""!=""#.into())
    );
    assert_eq!(
        error_at(r#"{"n": [{"numeric": ["<", 6e9]}]}"#),
        ("numeric-range", "6e9".into())
    );
    assert_eq!(
        error_at(r#"{"s": [{"anything-but": ["a", 1]}]}"#).0,
        "anything-but-mixed"
    );
    assert_eq!(
        error_at(r#"{"s": [{"anything-but": true}]}"#).0,
        "operand-anything-but"
    );
    assert_eq!(
        error_at(r#"{"s": [{"anything-but": {"numeric": [">", 1]}}]}"#).0,
        "unknown-operator"
    );
    assert_eq!(
        error_at(r#"{"s": [{"wildcard": "a**b"}]}"#).0,
        "wildcard-consecutive"
    );
    assert_eq!(
        error_at(r#"{"s": [{"wildcard": "a\\b"}]}"#).0,
        "wildcard-escape"
    );
    assert_eq!(error_at(r#"{"$or": [{"a": ["x"]}]}"#).0, "or-shape");
    assert_eq!(error_at(r#"{"$or": {"a": ["x"]}}"#).0, "or-shape");
    assert_eq!(
        error_at(r#"{"$or": [{"a": ["x"]}, "b"]}"#),
        ("or-shape", r#""b""#.into())
    );
    assert_eq!(
        error_at(r#"{"ip": [{"cidr": "10.0.0.0/33"}]}"#).0,
        "cidr-invalid"
    );
    // JSON syntax errors keep the JSON parser's codes.
    let e = error(r#"{"source": ["aws.kms"]"#);
    assert!(e.code.starts_with("json-"), "{}", e.code);
    assert!(e.message_id().starts_with("diag.json-"));
    assert_eq!(error("{\"a\": [1]} x").code, "json-trailing-characters");
    assert_eq!(
        error(r#"{"s": [{"x": 1}]}"#).message_id(),
        "events.pattern.unknown-operator"
    );
}

// The seed 001 events, with a rule for each kind.
#[test]
fn kms_lifecycle_rules() {
    let deletions = pattern(r#"{"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}"#);
    let this_key = pattern(
        r#"{"source": ["aws.kms"], "resources": ["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}"#,
    );
    let imported = pattern(r#"{"detail-type": [{"prefix": "KMS Imported"}]}"#);
    let rotation = with(deletion(), &["detail-type"], json!("KMS CMK Rotation"));
    let expiration = with(
        deletion(),
        &["detail-type"],
        json!("KMS Imported Key Material Expiration"),
    );
    assert!(deletions.matches(&deletion()) && !deletions.matches(&rotation));
    assert!(
        this_key.matches(&deletion())
            && this_key.matches(&rotation)
            && this_key.matches(&expiration)
    );
    assert!(imported.matches(&expiration) && !imported.matches(&deletion()));
}

/// A plain backtracking glob matcher, to check the linear one against.
fn naive(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') => (0..=s.len()).any(|i| naive(&p[1..], &s[i..])),
        Some(c) => s.first() == Some(c) && naive(&p[1..], &s[1..]),
    }
}

proptest! {
    // The wildcard matcher agrees with backtracking on small inputs.
    #[test]
    fn wildcard_agrees_with_backtracking(p in "[ab*]{0,8}", s in "[ab]{0,10}") {
        prop_assume!(!p.contains("**"));
        let pattern_text = json!({"v": [{"wildcard": p.clone()}]}).to_string();
        let matched = pattern(&pattern_text).matches(&json!({"v": s.clone()}));
        let pc: Vec<char> = p.chars().collect();
        let sc: Vec<char> = s.chars().collect();
        prop_assert_eq!(matched, naive(&pc, &sc));
    }
}

// Linear wildcard matching: a pattern that makes backtracking explode
// finishes at once.
#[test]
fn wildcard_does_not_blow_up() {
    let stars = format!("{}b", "a*".repeat(2000));
    let p = pattern(&json!({"v": [{"wildcard": stars}]}).to_string());
    let value = "a".repeat(100_000);
    let start = std::time::Instant::now();
    assert!(!p.matches(&json!({"v": value})));
    assert!(start.elapsed().as_secs() < 2);
}
