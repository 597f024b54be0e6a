//! Table-driven tests of every condition operator, through the public API.
//!
//! Each row is a `Condition` block (JSON), a request context and whether the
//! statement applies. The helper wraps the block in a one-statement policy
//! (`Allow`, `Principal: "*"`, `kms:Decrypt`, `Resource: "*"`), parses it as a
//! key policy, insists on no error diagnostics, and evaluates it.
//!
//! The expectations come from AWS's documentation, cited beside each table,
//! not from what the engine happens to do.

use kmsplay_policy::{
    evaluate, parse_text, trace, ContextValue, Policy, PolicyKind, Principal, Request,
    RequestContext, Severity,
};

/// One request context value: single-valued or multivalued.
#[derive(Debug, Clone, Copy)]
enum V {
    S(&'static str),
    M(&'static [&'static str]),
}
use V::{M, S};

type Ctx<'a> = &'a [(&'a str, V)];

/// (Condition block, request context, does the statement apply?)
type Row = (&'static str, Ctx<'static>, bool);

/// No condition keys at all.
const NONE: Ctx<'static> = &[];

const V2012: Option<&str> = Some("2012-10-17");

fn policy_text(version: Option<&str>, condition: &str) -> String {
    let version = version
        .map(|v| format!(r#""Version":"{v}","#))
        .unwrap_or_default();
    format!(
        r#"{{{version}"Statement":[{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{condition}}}]}}"#
    )
}

fn parse_clean(text: &str) -> Policy {
    let parsed = parse_text(text, PolicyKind::Resource);
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{text}\nunexpected errors: {errors:?}");
    parsed.policy.expect("a policy")
}

fn context(items: Ctx<'_>) -> RequestContext {
    let mut ctx = RequestContext::new();
    for &(key, value) in items {
        match value {
            S(v) => ctx.set(key, v),
            M(vs) => ctx.insert(
                key,
                ContextValue::Multi(vs.iter().map(|v| v.to_string()).collect()),
            ),
        }
    }
    ctx
}

const CALLER: &str = "arn:aws:iam::111122223333:user/Alice";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn allows(policy: &Policy, ctx: &RequestContext) -> bool {
    let who = Principal::parse(CALLER).expect("caller");
    let request = Request {
        principal: &who,
        action: "kms:decrypt",
        resource: KEY,
        context: ctx,
    };
    evaluate(policy, &request, false).allow_any().is_some()
}

/// Runs rows and reports every failing one at once.
struct Checker {
    version: Option<&'static str>,
    failures: Vec<String>,
}

impl Checker {
    fn new(version: Option<&'static str>) -> Checker {
        Checker {
            version,
            failures: Vec::new(),
        }
    }

    fn row(&mut self, condition: &str, ctx: Ctx<'_>, want: bool) {
        let policy = parse_clean(&policy_text(self.version, condition));
        let got = allows(&policy, &context(ctx));
        if got != want {
            self.failures.push(format!(
                "{condition}  with {ctx:?}: expected {want}, got {got}"
            ));
        }
    }

    fn rows(&mut self, rows: &[Row]) -> &mut Checker {
        for &(condition, ctx, want) in rows {
            self.row(condition, ctx, want);
        }
        self
    }

    fn finish(&mut self) {
        assert!(
            self.failures.is_empty(),
            "{} row(s) failed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

fn check(rows: &[Row]) {
    Checker::new(V2012).rows(rows).finish();
}

// ---------------------------------------------------------------------------
// Every operator: a match, a non-match, the missing key, and …IfExists on a
// missing and on a present key.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// "If the key that you specify in a policy condition is not present in the
// request context, the values do not match and the condition is false. If the
// policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true." and (#Conditions_IfExists) "If the key is not present,
// evaluate the condition element as true."
// ---------------------------------------------------------------------------

/// (operator, key, policy value as JSON, a request value for which the
/// operator holds, one for which it does not, negated operator?)
const OPERATORS: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "StringEquals",
        "aws:PrincipalTag/team",
        r#""blue""#,
        "blue",
        "green",
        false,
    ),
    (
        "StringNotEquals",
        "aws:PrincipalTag/team",
        r#""blue""#,
        "green",
        "blue",
        true,
    ),
    (
        "StringEqualsIgnoreCase",
        "aws:PrincipalTag/team",
        r#""Blue""#,
        "bLUE",
        "green",
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        "aws:PrincipalTag/team",
        r#""Blue""#,
        "green",
        "BLUE",
        true,
    ),
    (
        "StringLike",
        "aws:PrincipalTag/team",
        r#""blue-*""#,
        "blue-sky",
        "navy-blue",
        false,
    ),
    (
        "StringNotLike",
        "aws:PrincipalTag/team",
        r#""blue-*""#,
        "navy-blue",
        "blue-sky",
        true,
    ),
    ("NumericEquals", "s3:max-keys", r#""10""#, "10", "11", false),
    (
        "NumericNotEquals",
        "s3:max-keys",
        r#""10""#,
        "11",
        "10",
        true,
    ),
    (
        "NumericLessThan",
        "s3:max-keys",
        r#""10""#,
        "9",
        "10",
        false,
    ),
    (
        "NumericLessThanEquals",
        "s3:max-keys",
        r#""10""#,
        "10",
        "11",
        false,
    ),
    (
        "NumericGreaterThan",
        "s3:max-keys",
        r#""10""#,
        "11",
        "10",
        false,
    ),
    (
        "NumericGreaterThanEquals",
        "s3:max-keys",
        r#""10""#,
        "10",
        "9",
        false,
    ),
    (
        "DateEquals",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2025-01-01T00:00:00Z",
        "2025-01-01T00:00:01Z",
        false,
    ),
    (
        "DateNotEquals",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2025-01-01T00:00:01Z",
        "2025-01-01T00:00:00Z",
        true,
    ),
    (
        "DateLessThan",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2024-12-31T23:59:59Z",
        "2025-01-01T00:00:00Z",
        false,
    ),
    (
        "DateLessThanEquals",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2025-01-01T00:00:00Z",
        "2025-01-01T00:00:01Z",
        false,
    ),
    (
        "DateGreaterThan",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2025-01-01T00:00:01Z",
        "2025-01-01T00:00:00Z",
        false,
    ),
    (
        "DateGreaterThanEquals",
        "aws:CurrentTime",
        r#""2025-01-01T00:00:00Z""#,
        "2025-01-01T00:00:00Z",
        "2024-12-31T23:59:59Z",
        false,
    ),
    (
        "Bool",
        "aws:SecureTransport",
        r#""true""#,
        "true",
        "false",
        false,
    ),
    (
        "BinaryEquals",
        "custom:Blob",
        r#""QmluYXJ5VmFsdWVJbkJhc2U2NA==""#,
        "QmluYXJ5VmFsdWVJbkJhc2U2NA==",
        "T3RoZXJWYWx1ZQ==",
        false,
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        r#""203.0.113.0/24""#,
        "203.0.113.7",
        "198.51.100.7",
        false,
    ),
    (
        "NotIpAddress",
        "aws:SourceIp",
        r#""203.0.113.0/24""#,
        "198.51.100.7",
        "203.0.113.7",
        true,
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        r#""arn:aws:sns:us-east-1:123456789012:topic""#,
        "arn:aws:sns:us-east-1:123456789012:topic",
        "arn:aws:sns:us-east-1:123456789012:other",
        false,
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        r#""arn:aws:sns:*:123456789012:*""#,
        "arn:aws:sns:eu-west-1:123456789012:t",
        "arn:aws:sns:eu-west-1:210987654321:t",
        false,
    ),
    (
        "ArnNotEquals",
        "aws:SourceArn",
        r#""arn:aws:sns:us-east-1:123456789012:topic""#,
        "arn:aws:sns:us-east-1:123456789012:other",
        "arn:aws:sns:us-east-1:123456789012:topic",
        true,
    ),
    (
        "ArnNotLike",
        "aws:SourceArn",
        r#""arn:aws:sns:*:123456789012:*""#,
        "arn:aws:sns:eu-west-1:210987654321:t",
        "arn:aws:sns:eu-west-1:123456789012:t",
        true,
    ),
];

#[test]
fn every_operator_matches_misses_and_handles_missing_keys() {
    let mut c = Checker::new(V2012);
    for &(op, key, value, hit, miss, negated) in OPERATORS {
        let plain = format!(r#"{{"{op}":{{"{key}":{value}}}}}"#);
        let if_exists = format!(r#"{{"{op}IfExists":{{"{key}":{value}}}}}"#);
        c.row(&plain, &[(key, S(hit))], true);
        c.row(&plain, &[(key, S(miss))], false);
        // Missing: false, except negated operators, which hold.
        c.row(&plain, NONE, negated);
        // IfExists: true when missing, the plain operator when present.
        c.row(&if_exists, NONE, true);
        c.row(&if_exists, &[(key, S(hit))], true);
        c.row(&if_exists, &[(key, S(miss))], false);
    }
    c.finish();
}

// ---------------------------------------------------------------------------
// String operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
// StringEquals: "Exact matching, case sensitive"; StringEqualsIgnoreCase:
// "Exact matching, ignoring case"; StringLike: "Case-sensitive matching. The
// values can include multi-character match wildcards (*) and single-character
// match wildcards (?) anywhere in the string."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// "Context key names are not case-sensitive … Case-sensitivity of context key
// values depends on the condition operator" (StringEquals "john" denies John).
// ---------------------------------------------------------------------------

#[test]
fn string_operators() {
    check(&[
        (
            r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#,
            &[("aws:PrincipalTag/job-category", S("iamuser-admin"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#,
            &[("aws:PrincipalTag/job-category", S("IAMUSER-ADMIN"))],
            false,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#,
            NONE,
            false,
        ),
        (
            r#"{"StringEquals":{"aws:username":"john"}}"#,
            &[("aws:username", S("John"))],
            false,
        ),
        (
            r#"{"StringEquals":{"aws:username":"john"}}"#,
            &[("aws:username", S("john"))],
            true,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:username":"john"}}"#,
            &[("aws:username", S("John"))],
            true,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:username":"john"}}"#,
            &[("aws:username", S("JOHN"))],
            true,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:username":"john"}}"#,
            &[("aws:username", S("johnny"))],
            false,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:username":"john"}}"#,
            &[("aws:username", S("JOHN"))],
            false,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:username":"john"}}"#,
            &[("aws:username", S("jane"))],
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:username":"john"}}"#,
            &[("aws:username", S("John"))],
            true,
        ),
        // StringLike: `*` any run, `?` exactly one character, case-sensitive.
        (
            r#"{"StringLike":{"s3:prefix":"home/*"}}"#,
            &[("s3:prefix", S("home/alice/notes.txt"))],
            true,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"home/*"}}"#,
            &[("s3:prefix", S("home/"))],
            true,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"home/*"}}"#,
            &[("s3:prefix", S("Home/alice"))],
            false,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"home/*"}}"#,
            &[("s3:prefix", S("my/home/alice"))],
            false,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"file-?.txt"}}"#,
            &[("s3:prefix", S("file-1.txt"))],
            true,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"file-?.txt"}}"#,
            &[("s3:prefix", S("file-10.txt"))],
            false,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"file-?.txt"}}"#,
            &[("s3:prefix", S("file-.txt"))],
            false,
        ),
        (
            r#"{"StringLike":{"s3:prefix":"*AccessKey*"}}"#,
            &[("s3:prefix", S("ListAccessKeys"))],
            true,
        ),
        (
            r#"{"StringNotLike":{"s3:prefix":"home/*"}}"#,
            &[("s3:prefix", S("Home/alice"))],
            true,
        ),
        (
            r#"{"StringNotLike":{"s3:prefix":"*"}}"#,
            &[("s3:prefix", S("anything"))],
            false,
        ),
        // StringEquals takes `*` literally (only the …Like operators have wildcards).
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"*"}}"#,
            &[("aws:PrincipalTag/team", S("blue"))],
            false,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"*"}}"#,
            &[("aws:PrincipalTag/team", S("*"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"b?ue"}}"#,
            &[("aws:PrincipalTag/team", S("blue"))],
            false,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"*"}}"#,
            &[("aws:PrincipalTag/team", S("blue"))],
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/team":"*"}}"#,
            &[("aws:PrincipalTag/team", S("blue"))],
            true,
        ),
    ]);
}

#[test]
fn condition_key_names_ignore_case_values_do_not() {
    check(&[
        (
            r#"{"StringEquals":{"AWS:PrincipalTag/Team":"blue"}}"#,
            &[("aws:principaltag/team", S("blue"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:principaltag/team":"blue"}}"#,
            &[("AWS:PRINCIPALTAG/TEAM", S("blue"))],
            true,
        ),
        (
            r#"{"IpAddress":{"AWS:SourceIp":"203.0.113.0/24"}}"#,
            &[("aws:SourceIP", S("203.0.113.9"))],
            true,
        ),
        (
            r#"{"Null":{"AWS:TOKENISSUETIME":"false"}}"#,
            &[("aws:TokenIssueTime", S("2025-01-01T00:00:00Z"))],
            true,
        ),
        (
            r#"{"StringEquals":{"AWS:PrincipalTag/Team":"blue"}}"#,
            &[("aws:principaltag/team", S("Blue"))],
            false,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalTag/team":"Blue*"}}"#,
            &[("aws:PrincipalTag/team", S("blue-sky"))],
            false,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// Numeric operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
// "comparing a key to an integer or decimal value"; the example writes
// `"s3:max-keys": "10"` as a string; JSON numbers are the same value.
// ---------------------------------------------------------------------------

#[test]
fn numeric_operators_with_numbers_and_strings() {
    check(&[
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
            &[("s3:max-keys", S("10"))],
            true,
        ),
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
            &[("s3:max-keys", S("11"))],
            false,
        ),
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":10}}"#,
            &[("s3:max-keys", S("10"))],
            true,
        ),
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":10}}"#,
            &[("s3:max-keys", S("11"))],
            false,
        ),
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":10}}"#,
            NONE,
            false,
        ),
        (
            r#"{"NumericEquals":{"s3:max-keys":10}}"#,
            &[("s3:max-keys", S("10"))],
            true,
        ),
        (
            r#"{"NumericEquals":{"s3:max-keys":"10"}}"#,
            &[("s3:max-keys", S("10.0"))],
            true,
        ),
        (
            r#"{"NumericEquals":{"s3:max-keys":10.5}}"#,
            &[("s3:max-keys", S("10.5"))],
            true,
        ),
        (
            r#"{"NumericNotEquals":{"s3:max-keys":10}}"#,
            &[("s3:max-keys", S("10"))],
            false,
        ),
        (
            r#"{"NumericLessThan":{"custom:ratio":1.5}}"#,
            &[("custom:ratio", S("1.25"))],
            true,
        ),
        (
            r#"{"NumericLessThan":{"custom:ratio":1.5}}"#,
            &[("custom:ratio", S("1.5"))],
            false,
        ),
        (
            r#"{"NumericGreaterThan":{"custom:ratio":"-1"}}"#,
            &[("custom:ratio", S("0"))],
            true,
        ),
        (
            r#"{"NumericGreaterThan":{"custom:ratio":-1}}"#,
            &[("custom:ratio", S("-2"))],
            false,
        ),
        (
            r#"{"NumericGreaterThanEquals":{"custom:ratio":0}}"#,
            &[("custom:ratio", S("0"))],
            true,
        ),
        // Compared as numbers, not text: "9" < "10".
        (
            r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#,
            &[("s3:max-keys", S("9"))],
            true,
        ),
        (
            r#"{"NumericGreaterThan":{"s3:max-keys":"9"}}"#,
            &[("s3:max-keys", S("10"))],
            true,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// Date operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
// "You must specify date/time values with one of the W3C implementations of
// the ISO 8601 date formats or in epoch (UNIX) time." (W3C NOTE-datetime:
// YYYY-MM-DD, hh:mm:ss with an optional fraction, and a Z or ±hh:mm zone.)
// ---------------------------------------------------------------------------

#[test]
fn date_operators_in_iso_and_epoch_formats() {
    check(&[
        // The page's example: credentials issued after 2020-01-01T00:00:01Z.
        (
            r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#,
            &[("aws:TokenIssueTime", S("2020-06-01T12:00:00Z"))],
            true,
        ),
        (
            r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#,
            &[("aws:TokenIssueTime", S("2019-12-31T23:59:59Z"))],
            false,
        ),
        (
            r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#,
            NONE,
            false,
        ),
        // Epoch in the policy, ISO 8601 in the request (2025-01-01T00:00:00Z = 1735689600).
        (
            r#"{"DateLessThan":{"aws:CurrentTime":"1735689600"}}"#,
            &[("aws:CurrentTime", S("2024-12-31T23:59:59Z"))],
            true,
        ),
        (
            r#"{"DateLessThan":{"aws:CurrentTime":"1735689600"}}"#,
            &[("aws:CurrentTime", S("2025-01-01T00:00:00Z"))],
            false,
        ),
        // Epoch written as a JSON number.
        (
            r#"{"DateLessThan":{"aws:CurrentTime":1735689600}}"#,
            &[("aws:CurrentTime", S("2024-12-31T23:59:59Z"))],
            true,
        ),
        (
            r#"{"DateEquals":{"aws:EpochTime":1735689600}}"#,
            &[("aws:EpochTime", S("1735689600"))],
            true,
        ),
        // ISO 8601 in the policy, epoch in the request.
        (
            r#"{"DateGreaterThanEquals":{"aws:EpochTime":"2025-01-01T00:00:00Z"}}"#,
            &[("aws:EpochTime", S("1735689600"))],
            true,
        ),
        (
            r#"{"DateGreaterThanEquals":{"aws:EpochTime":"2025-01-01T00:00:00Z"}}"#,
            &[("aws:EpochTime", S("1735689599"))],
            false,
        ),
        (
            r#"{"DateEquals":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}}"#,
            &[("aws:CurrentTime", S("1735689600"))],
            true,
        ),
        // A time zone offset, and fractional seconds.
        (
            r#"{"DateEquals":{"aws:CurrentTime":"2025-01-01T09:00:00+09:00"}}"#,
            &[("aws:CurrentTime", S("2025-01-01T00:00:00Z"))],
            true,
        ),
        (
            r#"{"DateEquals":{"aws:CurrentTime":"2025-01-01T00:00:00.000Z"}}"#,
            &[("aws:CurrentTime", S("2025-01-01T00:00:00Z"))],
            true,
        ),
        (
            r#"{"DateLessThan":{"aws:CurrentTime":"2025-01-01T00:00:00.500Z"}}"#,
            &[("aws:CurrentTime", S("2025-01-01T00:00:00Z"))],
            true,
        ),
        // A date alone (days apart, so no time zone question arises).
        (
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2025-01-01"}}"#,
            &[("aws:CurrentTime", S("2025-01-03T00:00:00Z"))],
            true,
        ),
        (
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2025-01-01"}}"#,
            &[("aws:CurrentTime", S("2024-12-30T00:00:00Z"))],
            false,
        ),
        (
            r#"{"DateLessThanEquals":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}}"#,
            &[("aws:CurrentTime", S("2020-01-01T00:00:00Z"))],
            true,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// Bool and BinaryEquals.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
// ---------------------------------------------------------------------------

#[test]
fn bool_and_binary() {
    check(&[
        // The page's example: deny when aws:SecureTransport is "false".
        (
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
            &[("aws:SecureTransport", S("false"))],
            true,
        ),
        (
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
            &[("aws:SecureTransport", S("true"))],
            false,
        ),
        (r#"{"Bool":{"aws:SecureTransport":"false"}}"#, NONE, false),
        // JSON booleans mean the same as the strings.
        (
            r#"{"Bool":{"aws:SecureTransport":true}}"#,
            &[("aws:SecureTransport", S("true"))],
            true,
        ),
        (
            r#"{"Bool":{"aws:SecureTransport":true}}"#,
            &[("aws:SecureTransport", S("false"))],
            false,
        ),
        (
            r#"{"Bool":{"aws:SecureTransport":false}}"#,
            &[("aws:SecureTransport", S("false"))],
            true,
        ),
        (
            r#"{"Bool":{"aws:MultiFactorAuthPresent":[true]}}"#,
            &[("aws:MultiFactorAuthPresent", S("true"))],
            true,
        ),
        (
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}"#,
            NONE,
            true,
        ),
        (
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}"#,
            &[("aws:MultiFactorAuthPresent", S("true"))],
            false,
        ),
        // BinaryEquals compares against the base-64 text, byte for byte.
        (
            r#"{"BinaryEquals":{"custom:Blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#,
            &[("custom:Blob", S("QmluYXJ5VmFsdWVJbkJhc2U2NA=="))],
            true,
        ),
        (
            r#"{"BinaryEquals":{"custom:Blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#,
            &[("custom:Blob", S("qmluyxj5vmfsdwvjbkjhc2u2na=="))],
            false,
        ),
        (
            r#"{"BinaryEquals":{"custom:Blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#,
            NONE,
            false,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// IP address operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
// "The value must be in the standard CIDR format (for example, 203.0.113.0/24
// or 2001:DB8:1234:5678::/64). If you specify an IP address without the
// associated routing prefix, IAM uses the default prefix value of /32."
// ---------------------------------------------------------------------------

#[test]
fn ip_address_operators() {
    check(&[
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &[("aws:SourceIp", S("203.0.113.0"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &[("aws:SourceIp", S("203.0.113.255"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &[("aws:SourceIp", S("203.0.114.0"))],
            false,
        ),
        // A bare IPv4 address is a /32.
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#,
            &[("aws:SourceIp", S("203.0.113.7"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#,
            &[("aws:SourceIp", S("203.0.113.8"))],
            false,
        ),
        // IPv6 ranges, written in capitals as on the page.
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#,
            &[("aws:SourceIp", S("2001:db8:1234:5678:abcd::1"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#,
            &[("aws:SourceIp", S("2001:db8:1234:5679::1"))],
            false,
        ),
        // A bare IPv6 address matches itself and not an address outside its /32.
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}"#,
            &[("aws:SourceIp", S("2001:db8::1"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}"#,
            &[("aws:SourceIp", S("2001:db9::1"))],
            false,
        ),
        // The page's mixed IPv4 + IPv6 example: either family may match.
        (
            r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#,
            &[("aws:SourceIp", S("2001:db8:1234:5678::9"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#,
            &[("aws:SourceIp", S("203.0.113.9"))],
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#,
            &[("aws:SourceIp", S("198.51.100.1"))],
            false,
        ),
        // An IPv4 caller never falls in an IPv6-only range.
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:DB8::/32"}}"#,
            &[("aws:SourceIp", S("203.0.113.9"))],
            false,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            &[("aws:SourceIp", S("8.8.8.8"))],
            true,
        ),
        // Missing: the page says the condition returns false (VPC endpoint case).
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            NONE,
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            &[("aws:SourceIp", S("192.0.2.1"))],
            true,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            &[("aws:SourceIp", S("10.1.2.3"))],
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            NONE,
            true,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
            &[("aws:SourceIp", S("2001:db8::5"))],
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
            &[("aws:SourceIp", S("2001:db9::5"))],
            true,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// ARN operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// "Case-sensitive matching of the ARN. Each of the six colon-delimited
// components of the ARN is checked separately and each can include
// multi-character match wildcards (*) or single-character match wildcards
// (?). The ArnEquals and ArnLike condition operators behave identically."
// ---------------------------------------------------------------------------

#[test]
fn arn_operators() {
    const DOC_VALUE: &str =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    let mut c = Checker::new(V2012);
    c.rows(&[
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:123456789012:TOPIC-ID"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-2:123456789012:TOPIC-ID"),
            )],
            true,
        ),
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:123456789012:TOPIC-ID"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-2:123456789012:topic-id"),
            )],
            false,
        ),
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:123456789012:TOPIC-ID"}}"#,
            NONE,
            false,
        ),
        // ArnEquals takes wildcards exactly as ArnLike does.
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-1:123456789012:topic"),
            )],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-1:123456789012:topic"),
            )],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-?:123456789012:topic"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-2:123456789012:topic"),
            )],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-?:123456789012:topic"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-west-2:123456789012:topic"),
            )],
            false,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:SNS:*:123456789012:*"}}"#,
            &[(
                "aws:SourceArn",
                S("arn:aws:sns:us-east-1:123456789012:topic"),
            )],
            false,
        ),
        (
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#,
            &[(
                "aws:PrincipalArn",
                S("arn:aws:iam::123456789012:role/AdminTeam"),
            )],
            true,
        ),
        (
            r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#,
            &[(
                "aws:PrincipalArn",
                S("arn:aws:iam::123456789012:role/Reader"),
            )],
            true,
        ),
        (
            r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#,
            &[(
                "aws:PrincipalArn",
                S("arn:aws:iam::123456789012:role/AdminTeam"),
            )],
            false,
        ),
        (
            r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#,
            &[(
                "aws:PrincipalArn",
                S("arn:aws:iam::123456789012:role/AdminTeam"),
            )],
            false,
        ),
        (
            r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#,
            NONE,
            true,
        ),
    ]);
    // The page's own example: a `*` in ArnLike stays inside one colon-delimited
    // part, while in StringLike it runs across colons.
    c.row(
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
        &[("aws:SourceArn", S(DOC_VALUE))],
        false,
    );
    c.row(
        r#"{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
        &[("aws:SourceArn", S(DOC_VALUE))],
        true,
    );
    c.row(
        r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
        &[("aws:SourceArn", S(DOC_VALUE))],
        true,
    );
    c.finish();
}

// ---------------------------------------------------------------------------
// Null.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
// "use either true (the key doesn't exist — it is null) or false (the key
// exists and its value is not null)."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
// "include a Null condition operator … with a value of false to check if the
// context key in the request exists and its value is not null", guarding
// against "context keys with empty values".
// ---------------------------------------------------------------------------

#[test]
fn null_checks_presence() {
    check(&[
        (r#"{"Null":{"aws:TokenIssueTime":"true"}}"#, NONE, true),
        (
            r#"{"Null":{"aws:TokenIssueTime":"true"}}"#,
            &[("aws:TokenIssueTime", S("2025-01-01T00:00:00Z"))],
            false,
        ),
        (
            r#"{"Null":{"aws:TokenIssueTime":"false"}}"#,
            &[("aws:TokenIssueTime", S("2025-01-01T00:00:00Z"))],
            true,
        ),
        (r#"{"Null":{"aws:TokenIssueTime":"false"}}"#, NONE, false),
        (r#"{"Null":{"aws:TokenIssueTime":true}}"#, NONE, true),
        (r#"{"Null":{"aws:TokenIssueTime":false}}"#, NONE, false),
        (
            r#"{"Null":{"aws:TagKeys":"false"}}"#,
            &[("aws:TagKeys", M(&["a", "b"]))],
            true,
        ),
        (
            r#"{"Null":{"aws:TagKeys":"false"}}"#,
            &[("aws:TagKeys", M(&[]))],
            false,
        ),
        (
            r#"{"Null":{"aws:TagKeys":"true"}}"#,
            &[("aws:TagKeys", M(&[]))],
            true,
        ),
        // Two keys under Null: both must hold.
        (
            r#"{"Null":{"aws:TokenIssueTime":"true","aws:SourceIp":"false"}}"#,
            &[("aws:SourceIp", S("203.0.113.1"))],
            true,
        ),
        (
            r#"{"Null":{"aws:TokenIssueTime":"true","aws:SourceIp":"false"}}"#,
            NONE,
            false,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// …IfExists.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
// ---------------------------------------------------------------------------

#[test]
fn if_exists() {
    check(&[
        // The page's ec2:InstanceType example.
        (
            r#"{"StringLike":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
            NONE,
            false,
        ),
        (
            r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
            NONE,
            true,
        ),
        (
            r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
            &[("ec2:InstanceType", S("t2.micro"))],
            true,
        ),
        (
            r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
            &[("ec2:InstanceType", S("m4.large"))],
            false,
        ),
        (
            r#"{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}"#,
            NONE,
            true,
        ),
        (
            r#"{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}"#,
            &[("aws:PrincipalTag/team", S("blue"))],
            false,
        ),
        (
            r#"{"NumericLessThanIfExists":{"s3:max-keys":10}}"#,
            &[("s3:max-keys", S("100"))],
            false,
        ),
        (
            r#"{"DateLessThanIfExists":{"aws:TokenIssueTime":"1735689600"}}"#,
            NONE,
            true,
        ),
        (
            r#"{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            NONE,
            true,
        ),
        (
            r#"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}"#,
            &[("aws:SourceArn", S("arn:aws:sqs:us-east-1:123456789012:q"))],
            false,
        ),
        // IfExists passes over a missing key, but other conditions still count.
        (
            r#"{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"},"Bool":{"aws:SecureTransport":"true"}}"#,
            NONE,
            false,
        ),
        (
            r#"{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"},"Bool":{"aws:SecureTransport":"true"}}"#,
            &[("aws:SecureTransport", S("true"))],
            true,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// Several values (OR; NOR for negated operators), several keys (AND), several
// operators (AND).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
// "multiple condition operators … logical AND"; "multiple context keys
// attached to a single condition operator … logical AND"; "multiple values
// for a context key … logical OR"; "a single negated matching condition
// operator includes multiple values … logical NOR".
// ---------------------------------------------------------------------------

#[test]
fn several_values_are_or_ed() {
    check(&[
        (
            r#"{"StringEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("audit"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("security"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("dev"))],
            false,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalTag/role":["aud*","sec*"]}}"#,
            &[("aws:PrincipalTag/role", S("security"))],
            true,
        ),
        (
            r#"{"NumericEquals":{"s3:max-keys":[10,"20"]}}"#,
            &[("s3:max-keys", S("20"))],
            true,
        ),
        (
            r#"{"NumericEquals":{"s3:max-keys":[10,"20"]}}"#,
            &[("s3:max-keys", S("15"))],
            false,
        ),
        (
            r#"{"NumericLessThan":{"s3:max-keys":[5,10]}}"#,
            &[("s3:max-keys", S("7"))],
            true,
        ),
        (
            r#"{"DateEquals":{"aws:CurrentTime":["2025-01-01T00:00:00Z","1735776000"]}}"#,
            &[("aws:CurrentTime", S("2025-01-02T00:00:00Z"))],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":["arn:aws:sns:*:111111111111:*","arn:aws:sns:*:222222222222:*"]}}"#,
            &[("aws:SourceArn", S("arn:aws:sns:us-east-1:222222222222:t"))],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":["arn:aws:sns:*:111111111111:*","arn:aws:sns:*:222222222222:*"]}}"#,
            &[("aws:SourceArn", S("arn:aws:sns:us-east-1:333333333333:t"))],
            false,
        ),
        (
            r#"{"Bool":{"aws:SecureTransport":["true","false"]}}"#,
            &[("aws:SecureTransport", S("false"))],
            true,
        ),
    ]);
}

#[test]
fn negated_operators_with_several_values_are_nor_ed() {
    check(&[
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("audit"))],
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("security"))],
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            &[("aws:PrincipalTag/role", S("dev"))],
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#,
            NONE,
            true,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/role":["Audit","Security"]}}"#,
            &[("aws:PrincipalTag/role", S("SECURITY"))],
            false,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/role":["Audit","Security"]}}"#,
            &[("aws:PrincipalTag/role", S("dev"))],
            true,
        ),
        (
            r#"{"StringNotLike":{"aws:PrincipalTag/role":["aud*","sec*"]}}"#,
            &[("aws:PrincipalTag/role", S("security-team"))],
            false,
        ),
        (
            r#"{"StringNotLike":{"aws:PrincipalTag/role":["aud*","sec*"]}}"#,
            &[("aws:PrincipalTag/role", S("dev"))],
            true,
        ),
        (
            r#"{"NumericNotEquals":{"s3:max-keys":[1,"2"]}}"#,
            &[("s3:max-keys", S("2"))],
            false,
        ),
        (
            r#"{"NumericNotEquals":{"s3:max-keys":[1,"2"]}}"#,
            &[("s3:max-keys", S("3"))],
            true,
        ),
        (
            r#"{"DateNotEquals":{"aws:CurrentTime":["2025-01-01T00:00:00Z","1735776000"]}}"#,
            &[("aws:CurrentTime", S("2025-01-02T00:00:00Z"))],
            false,
        ),
        (
            r#"{"DateNotEquals":{"aws:CurrentTime":["2025-01-01T00:00:00Z","1735776000"]}}"#,
            &[("aws:CurrentTime", S("2025-01-03T00:00:00Z"))],
            true,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#,
            &[("aws:SourceIp", S("2001:db8::5"))],
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#,
            &[("aws:SourceIp", S("10.9.9.9"))],
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#,
            &[("aws:SourceIp", S("192.0.2.1"))],
            true,
        ),
        (
            r#"{"ArnNotEquals":{"aws:PrincipalArn":["arn:aws:iam::111111111111:role/A","arn:aws:iam::111111111111:role/B"]}}"#,
            &[("aws:PrincipalArn", S("arn:aws:iam::111111111111:role/B"))],
            false,
        ),
        (
            r#"{"ArnNotEquals":{"aws:PrincipalArn":["arn:aws:iam::111111111111:role/A","arn:aws:iam::111111111111:role/B"]}}"#,
            &[("aws:PrincipalArn", S("arn:aws:iam::111111111111:role/C"))],
            true,
        ),
        (
            r#"{"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/A*","arn:aws:iam::*:role/B*"]}}"#,
            &[("aws:PrincipalArn", S("arn:aws:iam::111111111111:role/Bee"))],
            false,
        ),
        (
            r#"{"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/A*","arn:aws:iam::*:role/B*"]}}"#,
            &[("aws:PrincipalArn", S("arn:aws:iam::111111111111:role/Cee"))],
            true,
        ),
    ]);
}

#[test]
fn several_keys_and_several_operators_are_and_ed() {
    const KEYS: &str = r#"{"StringEquals":{"aws:PrincipalTag/department":"finance","aws:PrincipalTag/role":"audit"}}"#;
    const NOT_KEYS: &str = r#"{"StringNotEquals":{"aws:PrincipalTag/department":"finance","aws:PrincipalTag/role":"audit"}}"#;
    const OPS: &str = r#"{"StringEquals":{"aws:PrincipalTag/department":"finance"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::222222222222:user/*"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#;
    check(&[
        (
            KEYS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalTag/role", S("audit")),
            ],
            true,
        ),
        (
            KEYS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalTag/role", S("dev")),
            ],
            false,
        ),
        (
            KEYS,
            &[
                ("aws:PrincipalTag/department", S("hr")),
                ("aws:PrincipalTag/role", S("audit")),
            ],
            false,
        ),
        (
            KEYS,
            &[("aws:PrincipalTag/department", S("finance"))],
            false,
        ),
        (
            NOT_KEYS,
            &[
                ("aws:PrincipalTag/department", S("hr")),
                ("aws:PrincipalTag/role", S("dev")),
            ],
            true,
        ),
        (
            NOT_KEYS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalTag/role", S("dev")),
            ],
            false,
        ),
        (NOT_KEYS, NONE, true),
        (
            OPS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalArn", S("arn:aws:iam::222222222222:user/Bob")),
                ("aws:SourceIp", S("203.0.113.5")),
            ],
            true,
        ),
        (
            OPS,
            &[
                ("aws:PrincipalTag/department", S("hr")),
                ("aws:PrincipalArn", S("arn:aws:iam::222222222222:user/Bob")),
                ("aws:SourceIp", S("203.0.113.5")),
            ],
            false,
        ),
        (
            OPS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalArn", S("arn:aws:iam::333333333333:user/Bob")),
                ("aws:SourceIp", S("203.0.113.5")),
            ],
            false,
        ),
        (
            OPS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalArn", S("arn:aws:iam::222222222222:user/Bob")),
                ("aws:SourceIp", S("198.51.100.5")),
            ],
            false,
        ),
        (
            OPS,
            &[
                ("aws:PrincipalTag/department", S("finance")),
                ("aws:PrincipalArn", S("arn:aws:iam::222222222222:user/Bob")),
            ],
            false,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// ForAnyValue: / ForAllValues: on multivalued keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// ForAllValues: "returns true if every context key value in the request
// matches at least one context key value in the policy. It also returns true
// if there are no context keys in the request"; ForAnyValue: true if "any one
// of the context key values in the request matches any one of the context key
// values in the policy. For no matching context key or a null dataset, the
// condition returns false."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
// "If the key values in the request resolve to an empty data set … ForAllValues
// returns true, and … ForAnyValue returns false." (and the DynamoDB examples
// used below).
// ---------------------------------------------------------------------------

#[test]
fn set_operators_on_multivalued_keys() {
    const ALL: &str = r#"{"ForAllValues:StringLike":{"dynamodb:requestedAttributes":["PostDateTime","Message","Tags"]}}"#;
    const ANY: &str =
        r#"{"ForAnyValue:StringLike":{"dynamodb:requestedAttributes":["ID","PostDateTime"]}}"#;
    const KEY: &str = "dynamodb:requestedAttributes";
    check(&[
        (ALL, &[(KEY, M(&["PostDateTime", "Message"]))], true),
        (ALL, &[(KEY, M(&["PostDateTime", "UserName"]))], false),
        (ALL, &[(KEY, M(&["Tags"]))], true),
        (ALL, &[(KEY, S("Tags"))], true),
        (ALL, &[(KEY, M(&[]))], true),
        (ALL, NONE, true),
        (
            ANY,
            &[(KEY, M(&["UserName", "Message", "PostDateTime"]))],
            true,
        ),
        (ANY, &[(KEY, M(&["UserName"]))], false),
        (ANY, &[(KEY, S("ID"))], true),
        (ANY, &[(KEY, M(&[]))], false),
        (ANY, NONE, false),
        // Other base operators under the qualifiers.
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}"#,
            &[("aws:TagKeys", M(&["env", "team"]))],
            true,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}"#,
            &[("aws:TagKeys", M(&["env", "Team"]))],
            false,
        ),
        (
            r#"{"ForAnyValue:StringEqualsIgnoreCase":{"aws:TagKeys":"team"}}"#,
            &[("aws:TagKeys", M(&["env", "Team"]))],
            true,
        ),
        (
            r#"{"ForAllValues:NumericLessThan":{"custom:Sizes":10}}"#,
            &[("custom:Sizes", M(&["1", "9"]))],
            true,
        ),
        (
            r#"{"ForAllValues:NumericLessThan":{"custom:Sizes":10}}"#,
            &[("custom:Sizes", M(&["1", "10"]))],
            false,
        ),
        (
            r#"{"ForAnyValue:IpAddress":{"custom:Hops":"203.0.113.0/24"}}"#,
            &[("custom:Hops", M(&["198.51.100.1", "203.0.113.9"]))],
            true,
        ),
        (
            r#"{"ForAnyValue:ArnLike":{"custom:Arns":"arn:aws:sns:*:*:alerts"}}"#,
            &[(
                "custom:Arns",
                M(&[
                    "arn:aws:sqs:us-east-1:111111111111:alerts",
                    "arn:aws:sns:us-east-1:111111111111:alerts",
                ]),
            )],
            true,
        ),
        (
            r#"{"ForAnyValue:ArnLike":{"custom:Arns":"arn:aws:sns:*:*:alerts"}}"#,
            &[(
                "custom:Arns",
                M(&["arn:aws:sqs:us-east-1:111111111111:alerts"]),
            )],
            false,
        ),
        (
            r#"{"ForAllValues:DateLessThan":{"custom:Dates":"2025-01-01T00:00:00Z"}}"#,
            &[("custom:Dates", M(&["2024-01-01T00:00:00Z", "1700000000"]))],
            true,
        ),
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
            NONE,
            false,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"env"}}"#,
            NONE,
            true,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"env"}}"#,
            &[("aws:TagKeys", M(&[]))],
            true,
        ),
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
            &[("aws:TagKeys", M(&[]))],
            false,
        ),
        // Guarding ForAllValues against a missing key with Null (the page's advice).
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"env"},"Null":{"aws:TagKeys":"false"}}"#,
            NONE,
            false,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"env"},"Null":{"aws:TagKeys":"false"}}"#,
            &[("aws:TagKeys", M(&["env"]))],
            true,
        ),
    ]);
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
// The ForAllValues:StringNotLike "key1*" table: [key1:legal] no match,
// [key1:hr, key1:personnel] no match, [key2:audit] match, no aws:TagKeys match.
#[test]
fn set_operators_with_negated_operators() {
    const NOT_LIKE: &str = r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}"#;
    const NOT_EQ: &str = r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}"#;
    const ANY_NOT_EQ: &str = r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}"#;
    check(&[
        (NOT_LIKE, &[("aws:TagKeys", M(&["key1:legal"]))], false),
        (
            NOT_LIKE,
            &[("aws:TagKeys", M(&["key1:hr", "key1:personnel"]))],
            false,
        ),
        (NOT_LIKE, &[("aws:TagKeys", M(&["key2:audit"]))], true),
        (NOT_LIKE, NONE, true),
        (
            NOT_LIKE,
            &[("aws:TagKeys", M(&["key2:audit", "key1:hr"]))],
            false,
        ),
        (NOT_LIKE, &[("aws:TagKeys", M(&[]))], true),
        // Every request value must be outside the policy's list.
        (NOT_EQ, &[("aws:TagKeys", M(&["c", "d"]))], true),
        (NOT_EQ, &[("aws:TagKeys", M(&["a", "c"]))], false),
        (NOT_EQ, &[("aws:TagKeys", M(&["b"]))], false),
        (NOT_EQ, NONE, true),
        // At least one request value outside the list.
        (ANY_NOT_EQ, &[("aws:TagKeys", M(&["a", "c"]))], true),
        (ANY_NOT_EQ, &[("aws:TagKeys", M(&["a", "b"]))], false),
        (ANY_NOT_EQ, NONE, false),
        (ANY_NOT_EQ, &[("aws:TagKeys", M(&[]))], false),
        (
            r#"{"ForAllValues:NotIpAddress":{"custom:Hops":"10.0.0.0/8"}}"#,
            &[("custom:Hops", M(&["192.0.2.1", "10.0.0.1"]))],
            false,
        ),
        (
            r#"{"ForAllValues:ArnNotLike":{"custom:Arns":"arn:aws:iam::*:root"}}"#,
            &[("custom:Arns", M(&["arn:aws:iam::111111111111:user/A"]))],
            true,
        ),
    ]);
}

// ---------------------------------------------------------------------------
// Policy variables.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// Variables need "Version": "2012-10-17"; "If you don't include the Version
// element … variables like ${aws:username} are treated as literal strings";
// key names are case-insensitive; a missing key is "not present" and "any
// attempt to match it fails"; default values are written
// `${aws:userid, 'anonymous'}`; `${*}`, `${?}` and `${$}` stand for the
// literal characters.
// ---------------------------------------------------------------------------

#[test]
fn policy_variables() {
    check(&[
        // The page's StringLike s3:prefix example.
        (
            r#"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
            &[
                ("aws:username", S("Bob")),
                ("s3:prefix", S("home/Bob/notes")),
            ],
            true,
        ),
        (
            r#"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
            &[
                ("aws:username", S("Bob")),
                ("s3:prefix", S("home/Alice/notes")),
            ],
            false,
        ),
        (
            r#"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
            &[("aws:username", S("Bob")), ("s3:prefix", S(""))],
            true,
        ),
        (
            r#"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
            &[("aws:username", S("Bob")), ("s3:prefix", S("home/"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("Bob")),
            ],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("bob")),
            ],
            false,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("BOB")),
            ],
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("Alice")),
            ],
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("Bob")),
            ],
            false,
        ),
        // Variable names are case-insensitive.
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${AWS:UserName}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:ResourceTag/owner", S("Bob")),
            ],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"user-${aws:PrincipalTag/team}-x"}}"#,
            &[
                ("aws:PrincipalTag/team", S("blue")),
                ("aws:ResourceTag/owner", S("user-blue-x")),
            ],
            true,
        ),
        // A variable whose key is missing (and has no default) matches nothing.
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#,
            &[("aws:ResourceTag/owner", S("Bob"))],
            false,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/owner":"${aws:username}*"}}"#,
            &[("aws:ResourceTag/owner", S("Bob"))],
            false,
        ),
        // Defaults.
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:userid, 'anonymous'}"}}"#,
            &[("aws:ResourceTag/owner", S("anonymous"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:userid, 'anonymous'}"}}"#,
            &[
                ("aws:userid", S("AIDAEXAMPLE")),
                ("aws:ResourceTag/owner", S("AIDAEXAMPLE")),
            ],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:userid, 'anonymous'}"}}"#,
            &[
                ("aws:userid", S("AIDAEXAMPLE")),
                ("aws:ResourceTag/owner", S("anonymous")),
            ],
            false,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username, 'default'}"}}"#,
            &[("aws:ResourceTag/owner", S("default"))],
            true,
        ),
        // ${*}, ${?} and ${$}: literal characters, even in StringLike.
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"prefix-${*}"}}"#,
            &[("aws:ResourceTag/name", S("prefix-*"))],
            true,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"prefix-${*}"}}"#,
            &[("aws:ResourceTag/name", S("prefix-abc"))],
            false,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"${*}-*"}}"#,
            &[("aws:ResourceTag/name", S("*-anything"))],
            true,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"${*}-*"}}"#,
            &[("aws:ResourceTag/name", S("x-anything"))],
            false,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"what${?}"}}"#,
            &[("aws:ResourceTag/name", S("what?"))],
            true,
        ),
        (
            r#"{"StringLike":{"aws:ResourceTag/name":"what${?}"}}"#,
            &[("aws:ResourceTag/name", S("whatx"))],
            false,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/name":"cost${$}"}}"#,
            &[("aws:ResourceTag/name", S("cost$"))],
            true,
        ),
        (
            r#"{"StringEquals":{"aws:ResourceTag/name":"${*}"}}"#,
            &[("aws:ResourceTag/name", S("*"))],
            true,
        ),
        // ARN operators take variables too.
        (
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                ("aws:PrincipalArn", S("arn:aws:iam::111122223333:user/Bob")),
            ],
            true,
        ),
        (
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}"#,
            &[
                ("aws:username", S("Bob")),
                (
                    "aws:PrincipalArn",
                    S("arn:aws:iam::111122223333:user/Alice"),
                ),
            ],
            false,
        ),
        (
            r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}"#,
            &[("aws:PrincipalArn", S("arn:aws:iam::111122223333:user/Bob"))],
            false,
        ),
    ]);
}

#[test]
fn policy_variables_are_literal_text_without_version_2012_10_17() {
    for version in [Some("2008-10-17"), None] {
        Checker::new(version)
            .rows(&[
                (r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#, &[("aws:username", S("Bob")), ("aws:ResourceTag/owner", S("Bob"))], false),
                (r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}"#, &[("aws:username", S("Bob")), ("aws:ResourceTag/owner", S("${aws:username}"))], true),
                (r#"{"StringEquals":{"aws:ResourceTag/owner":"${aws:userid, 'anonymous'}"}}"#, &[("aws:ResourceTag/owner", S("anonymous"))], false),
                (r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}"#, &[("aws:username", S("Bob")), ("aws:PrincipalArn", S("arn:aws:iam::111122223333:user/Bob"))], false),
                // The rest of the language is unchanged.
                (r#"{"StringLike":{"aws:ResourceTag/owner":"B*"}}"#, &[("aws:ResourceTag/owner", S("Bob"))], true),
            ])
            .finish();
    }
}

// ---------------------------------------------------------------------------
// The trace records what each condition saw.
// ---------------------------------------------------------------------------

#[test]
fn trace_records_request_values_and_missing_keys() {
    let text = policy_text(
        V2012,
        r#"{"StringEquals":{"aws:PrincipalTag/Team":"blue"},"NumericLessThan":{"s3:max-keys":10},"ForAllValues:StringLike":{"aws:TagKeys":["env","team*"]},"BoolIfExists":{"aws:SecureTransport":true}}"#,
    );
    let policy = parse_clean(&text);
    let ctx = context(&[
        ("aws:principaltag/team", S("blue")),
        ("aws:TagKeys", M(&["env", "team-a"])),
    ]);
    let who = Principal::parse(CALLER).unwrap();
    let request = Request {
        principal: &who,
        action: "kms:decrypt",
        resource: KEY,
        context: &ctx,
    };
    let traced = trace(&policy, &request, false);
    assert_eq!(traced.len(), 1);
    let st = &traced[0];
    assert!(st.valid && st.action && st.resource);
    let conditions: Vec<_> = st
        .conditions
        .iter()
        .map(|c| {
            (
                c.operator.as_str(),
                c.key.as_str(),
                c.policy_values.clone(),
                c.request_values.clone(),
                c.result,
            )
        })
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        conditions,
        vec![
            (
                "StringEquals",
                "aws:PrincipalTag/Team",
                strings(&["blue"]),
                Some(strings(&["blue"])),
                true
            ),
            (
                "NumericLessThan",
                "s3:max-keys",
                strings(&["10"]),
                None,
                false
            ),
            (
                "ForAllValues:StringLike",
                "aws:TagKeys",
                strings(&["env", "team*"]),
                Some(strings(&["env", "team-a"])),
                true
            ),
            (
                "BoolIfExists",
                "aws:SecureTransport",
                strings(&["true"]),
                None,
                true
            ),
        ]
    );
    // The missing s3:max-keys fails the statement; the trace and the verdict agree.
    assert!(!st.applies);
    assert!(!allows(&policy, &ctx));
    // Each condition's span points at its key in the text.
    for c in &st.conditions {
        assert_eq!(&text[c.span.start..c.span.end], format!("\"{}\"", c.key));
    }

    // With the key present (as a decimal string), everything holds.
    let mut ctx = ctx.clone();
    ctx.set("S3:Max-Keys", "9.5");
    let request = Request {
        principal: &who,
        action: "kms:decrypt",
        resource: KEY,
        context: &ctx,
    };
    let st = &trace(&policy, &request, false)[0];
    assert_eq!(
        st.conditions[1].request_values,
        Some(vec!["9.5".to_string()])
    );
    assert!(st.conditions.iter().all(|c| c.result));
    assert!(st.applies);
    assert!(evaluate(&policy, &request, false).allow_any().is_some());
}

// A policy variable with no value makes its condition fail whatever the
// operator, negated ones included: "If there is no value for the key, any
// attempt to match it fails and causes the statement to be invalid."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
#[test]
fn unresolvable_variables_fail_even_negated_operators() {
    check(&[
        (
            r#"{"StringNotEquals":{"aws:userid":"${aws:username}"}}"#,
            &[("aws:userid", S("AIDA"))],
            false,
        ),
        (
            r#"{"StringNotLike":{"aws:userid":"${aws:username}*"}}"#,
            &[("aws:userid", S("AIDA"))],
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:userid":"${aws:username}"}}"#,
            &[("aws:userid", S("AIDA")), ("aws:username", S("Bob"))],
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:userid":"${aws:username, 'nobody'}"}}"#,
            &[("aws:userid", S("AIDA"))],
            true,
        ),
    ]);
}
