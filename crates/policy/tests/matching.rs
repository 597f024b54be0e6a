//! Table-driven tests of action, resource and principal matching, and of the
//! parser's diagnostics, through the public API.
//!
//! The expectations come from AWS's documentation, cited beside each table,
//! not from what the engine happens to do.

use kmsplay_policy::{
    evaluate, parse_text, trace, Diagnostic, Policy, PolicyKind, PolicyVerdict, Principal,
    PrincipalMatch, Request, RequestContext, Severity, KEY_POLICY_MAX_BYTES,
};

const ALICE: &str = "arn:aws:iam::111122223333:user/Alice";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

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

fn caller(text: &str) -> Principal {
    Principal::parse(text).unwrap_or_else(|| panic!("not a principal: {text}"))
}

/// Evaluates `policy` for one request and also returns the first
/// statement's principal match from the trace.
fn decide(
    policy: &Policy,
    who: &str,
    action: &str,
    resource: &str,
    ctx: &RequestContext,
) -> (PolicyVerdict, PrincipalMatch) {
    let who = caller(who);
    let request = Request {
        principal: &who,
        action,
        resource,
        context: ctx,
    };
    let verdict = evaluate(policy, &request, false);
    let traced = trace(policy, &request, false);
    // The trace and the fast verdict must tell the same story.
    let applying: Vec<usize> = traced
        .iter()
        .filter(|s| s.applies)
        .map(|s| s.index)
        .collect();
    let decided: Vec<usize> = [verdict.deny, verdict.allow_direct, verdict.allow_account]
        .into_iter()
        .flatten()
        .collect();
    for i in &decided {
        assert!(
            applying.contains(i),
            "verdict {verdict:?} vs trace {applying:?}"
        );
    }
    (verdict, traced[0].principal)
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} row(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Action / NotAction.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// "The prefix and the action name are case insensitive. For example,
// iam:ListAccessKeys is the same as IAM:listaccesskeys." "You can also use
// wildcards (* or ?) as part of the action name." `"Action": "s3:*"` covers
// every S3 action.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
// NotAction "explicitly matches everything except the specified list of
// actions".
// ---------------------------------------------------------------------------

/// (the statement's Action/NotAction member, the request's action as the
/// engine receives it — lower-cased, see `Request::action` — applies?)
const ACTIONS: &[(&str, &str, bool)] = &[
    (r#""Action":"kms:Decrypt""#, "kms:decrypt", true),
    (r#""Action":"KMS:DECRYPT""#, "kms:decrypt", true),
    (r#""Action":"kms:decrypt""#, "kms:decrypt", true),
    (r#""Action":"Kms:DeCrypt""#, "kms:decrypt", true),
    (r#""Action":"kms:Decrypt""#, "kms:encrypt", false),
    (r#""Action":"kms:Decrypt""#, "kms:decryptx", false),
    (r#""Action":"kms:*""#, "kms:decrypt", true),
    (r#""Action":"kms:*""#, "kms:createkey", true),
    (r#""Action":"kms:*""#, "s3:getobject", false),
    (r#""Action":"KMS:*""#, "kms:decrypt", true),
    (r#""Action":"kms:Generate*""#, "kms:generatedatakey", true),
    (
        r#""Action":"kms:Generate*""#,
        "kms:generatedatakeywithoutplaintext",
        true,
    ),
    (r#""Action":"kms:Generate*""#, "kms:generaterandom", true),
    (r#""Action":"kms:Generate*""#, "kms:decrypt", false),
    (r#""Action":"kms:Generate*""#, "kms:regeneratekey", false),
    (
        r#""Action":"kms:*DataKey*""#,
        "kms:generatedatakeypair",
        true,
    ),
    (r#""Action":"kms:*DataKey*""#, "kms:encrypt", false),
    (r#""Action":"*""#, "kms:decrypt", true),
    (r#""Action":"*""#, "s3:getobject", true),
    (r#""Action":"kms:?ncrypt""#, "kms:encrypt", true),
    (r#""Action":"kms:?ncrypt""#, "kms:reencrypt", false),
    (r#""Action":"kms:Re?ncrypt*""#, "kms:reencryptfrom", true),
    (r#""Action":"kms:Decryp?""#, "kms:decrypt", true),
    (r#""Action":"kms:Decryp?""#, "kms:decryp", false),
    (
        r#""Action":["kms:Encrypt","kms:Decrypt"]"#,
        "kms:decrypt",
        true,
    ),
    (
        r#""Action":["kms:Encrypt","kms:Decrypt"]"#,
        "kms:reencryptto",
        false,
    ),
    (r#""Action":"s3:*""#, "kms:decrypt", false),
    (r#""NotAction":"kms:Decrypt""#, "kms:encrypt", true),
    (r#""NotAction":"kms:Decrypt""#, "kms:decrypt", false),
    (r#""NotAction":"KMS:decrypt""#, "kms:decrypt", false),
    (
        r#""NotAction":["kms:Create*","kms:Delete*"]"#,
        "kms:createkey",
        false,
    ),
    (
        r#""NotAction":["kms:Create*","kms:Delete*"]"#,
        "kms:deletealias",
        false,
    ),
    (
        r#""NotAction":["kms:Create*","kms:Delete*"]"#,
        "kms:decrypt",
        true,
    ),
    (r#""NotAction":"kms:*""#, "s3:getobject", true),
    (r#""NotAction":"kms:*""#, "kms:decrypt", false),
    (r#""NotAction":"*""#, "kms:decrypt", false),
];

#[test]
fn action_matching() {
    let mut failures = Vec::new();
    for &(element, action, want) in ACTIONS {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*",{element},"Resource":"*"}}]}}"#
        );
        let policy = parse_clean(&text);
        let (verdict, _) = decide(&policy, ALICE, action, KEY, &RequestContext::new());
        let got = verdict.allow_any().is_some();
        if got != want {
            failures.push(format!("{element} vs {action}: expected {want}, got {got}"));
        }
    }
    report(failures);
}

// ---------------------------------------------------------------------------
// Resource / NotResource.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// "You can use wildcard characters (* and ?) within any ARN segment (the parts
// separated by colons). An asterisk (*) represents any combination of
// characters and a question mark (?) represents any single character." and
// policy variables "in the part of the ARN that identifies the specific
// resource".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// ---------------------------------------------------------------------------

/// (the statement's Resource/NotResource member, the requested resource,
/// aws:username if any, applies?)
const RESOURCES: &[(&str, &str, Option<&str>, bool)] = &[
    (r#""Resource":"*""#, KEY, None, true),
    (
        r#""Resource":"*""#,
        "arn:aws:kms:eu-west-1:444455556666:alias/other",
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab""#,
        KEY,
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab""#,
        "arn:aws:kms:us-east-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/*""#,
        KEY,
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/*""#,
        "arn:aws:kms:us-west-2:111122223333:key/k",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/*""#,
        "arn:aws:kms:us-east-1:111122223333:alias/k",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:*:111122223333:key/*""#,
        "arn:aws:kms:us-west-2:111122223333:key/k",
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:*:111122223333:key/*""#,
        "arn:aws:kms:us-west-2:444455556666:key/k",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:*:*:key/*""#,
        "arn:aws:kms:us-west-2:444455556666:key/k",
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-?:111122223333:key/*""#,
        "arn:aws:kms:us-east-2:111122223333:key/k",
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-?:111122223333:key/*""#,
        "arn:aws:kms:us-west-2:111122223333:key/k",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/????""#,
        "arn:aws:kms:us-east-1:111122223333:key/abcd",
        None,
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/????""#,
        "arn:aws:kms:us-east-1:111122223333:key/abcde",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:*:111122223333:*""#,
        KEY,
        None,
        true,
    ),
    (
        r#""Resource":["arn:aws:kms:*:111122223333:alias/*","arn:aws:kms:*:111122223333:key/*"]"#,
        KEY,
        None,
        true,
    ),
    (
        r#""NotResource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab""#,
        KEY,
        None,
        false,
    ),
    (
        r#""NotResource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab""#,
        "arn:aws:kms:us-east-1:111122223333:key/other",
        None,
        true,
    ),
    (
        r#""NotResource":"arn:aws:kms:*:444455556666:*""#,
        KEY,
        None,
        true,
    ),
    (r#""NotResource":"*""#, KEY, None, false),
    // ${aws:username} in the resource part.
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}""#,
        "arn:aws:kms:us-east-1:111122223333:key/Alice",
        Some("Alice"),
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}""#,
        "arn:aws:kms:us-east-1:111122223333:key/Bob",
        Some("Alice"),
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}""#,
        "arn:aws:kms:us-east-1:111122223333:key/Alice",
        None,
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:*:111122223333:key/${aws:username}-*""#,
        "arn:aws:kms:us-east-1:111122223333:key/Alice-1",
        Some("Alice"),
        true,
    ),
    (
        r#""Resource":"arn:aws:kms:*:111122223333:key/${aws:username}-*""#,
        "arn:aws:kms:us-east-1:111122223333:key/Bob-1",
        Some("Alice"),
        false,
    ),
    (
        r#""Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:userid, 'shared'}""#,
        "arn:aws:kms:us-east-1:111122223333:key/shared",
        None,
        true,
    ),
    (
        r#""NotResource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}""#,
        "arn:aws:kms:us-east-1:111122223333:key/Bob",
        Some("Alice"),
        true,
    ),
    (
        r#""NotResource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}""#,
        "arn:aws:kms:us-east-1:111122223333:key/Alice",
        Some("Alice"),
        false,
    ),
];

#[test]
fn resource_matching() {
    let mut failures = Vec::new();
    for &(element, resource, username, want) in RESOURCES {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"kms:*",{element}}}]}}"#
        );
        let policy = parse_clean(&text);
        let mut ctx = RequestContext::new();
        if let Some(name) = username {
            ctx.set("aws:username", name);
        }
        let (verdict, _) = decide(&policy, ALICE, "kms:decrypt", resource, &ctx);
        let got = verdict.allow_any().is_some();
        if got != want {
            failures.push(format!(
                "{element} vs {resource} (username {username:?}): expected {want}, got {got}"
            ));
        }
    }
    report(failures);
}

#[test]
fn resource_variables_are_literal_in_version_2008_10_17() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    // Without Version 2012-10-17 "variables like ${aws:username} are treated
    // as literal strings".
    let policy = parse_clean(
        r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}"}]}"#,
    );
    let mut ctx = RequestContext::new();
    ctx.set("aws:username", "Alice");
    let allowed = |resource: &str| {
        decide(&policy, ALICE, "kms:decrypt", resource, &ctx)
            .0
            .allow_any()
            .is_some()
    };
    assert!(!allowed("arn:aws:kms:us-east-1:111122223333:key/Alice"));
    assert!(allowed(
        "arn:aws:kms:us-east-1:111122223333:key/${aws:username}"
    ));
}

// ---------------------------------------------------------------------------
// Principal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// - "Principal": "*" and {"AWS": "*"} are equivalent (all principals,
//   anonymous included).
// - An account id or `arn:aws:iam::ID:root` "delegates authority to the
//   account … does not limit permissions to only the root user".
// - A role ARN names the role; its sessions (assumed-role principals) act as
//   it. An assumed-role session ARN names that one session.
// - "the user name part of the ARN is case sensitive".
// - Service principals: `"Service": "name.amazonaws.com"`.
// ---------------------------------------------------------------------------

/// (the statement's Principal member, the caller, expected match)
const PRINCIPALS: &[(&str, &str, PrincipalMatch)] = &[
    (r#""Principal":"*""#, ALICE, PrincipalMatch::Any),
    (r#""Principal":"*""#, "*", PrincipalMatch::Any),
    (
        r#""Principal":"*""#,
        "cloudtrail.amazonaws.com",
        PrincipalMatch::Any,
    ),
    (r#""Principal":{"AWS":"*"}"#, ALICE, PrincipalMatch::Any),
    (r#""Principal":{"AWS":"*"}"#, "*", PrincipalMatch::Any),
    (
        r#""Principal":{"AWS":"*"}"#,
        "arn:aws:sts::444455556666:assumed-role/R/s",
        PrincipalMatch::Any,
    ),
    // The account, as an id or as its root ARN: its users and roles match
    // through the account (the account's own IAM policies decide).
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        ALICE,
        PrincipalMatch::Account,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:root"}"#,
        ALICE,
        PrincipalMatch::Account,
    ),
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        "arn:aws:sts::111122223333:assumed-role/Admin/s1",
        PrincipalMatch::Account,
    ),
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        "arn:aws:iam::444455556666:user/Alice",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        "*",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        "cloudtrail.amazonaws.com",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":["444455556666","111122223333"]}"#,
        ALICE,
        PrincipalMatch::Account,
    ),
    // The root user itself is named by its ARN.
    (
        r#""Principal":{"AWS":"111122223333"}"#,
        "111122223333",
        PrincipalMatch::Exact,
    ),
    // A user ARN names that user only; the user name is case-sensitive.
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/Alice"}"#,
        ALICE,
        PrincipalMatch::Exact,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"}"#,
        ALICE,
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/Bob"}"#,
        ALICE,
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::444455556666:user/Alice"}"#,
        ALICE,
        PrincipalMatch::Unmatched,
    ),
    // Naming the user beats naming its account.
    (
        r#""Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/Alice"]}"#,
        ALICE,
        PrincipalMatch::Exact,
    ),
    // A role ARN matches the role's sessions.
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
        "arn:aws:sts::111122223333:assumed-role/Admin/alice-session",
        PrincipalMatch::Exact,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
        "arn:aws:sts::111122223333:assumed-role/Reader/alice-session",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
        "arn:aws:sts::444455556666:assumed-role/Admin/s",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
        ALICE,
        PrincipalMatch::Unmatched,
    ),
    // A session ARN names one session.
    (
        r#""Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"}"#,
        "arn:aws:sts::111122223333:assumed-role/Admin/s1",
        PrincipalMatch::Exact,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"}"#,
        "arn:aws:sts::111122223333:assumed-role/Admin/s2",
        PrincipalMatch::Unmatched,
    ),
    // Service principals.
    (
        r#""Principal":{"Service":"cloudtrail.amazonaws.com"}"#,
        "cloudtrail.amazonaws.com",
        PrincipalMatch::Exact,
    ),
    (
        r#""Principal":{"Service":["ecs.amazonaws.com","elasticloadbalancing.amazonaws.com"]}"#,
        "elasticloadbalancing.amazonaws.com",
        PrincipalMatch::Exact,
    ),
    (
        r#""Principal":{"Service":"cloudtrail.amazonaws.com"}"#,
        "logs.amazonaws.com",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"Service":"cloudtrail.amazonaws.com"}"#,
        ALICE,
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"Service":"cloudtrail.amazonaws.com"}"#,
        "*",
        PrincipalMatch::Unmatched,
    ),
    (
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/Alice"}"#,
        "*",
        PrincipalMatch::Unmatched,
    ),
];

#[test]
fn principal_matching() {
    let mut failures = Vec::new();
    for &(element, who, want) in PRINCIPALS {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{element},"Action":"kms:Decrypt","Resource":"*"}}]}}"#
        );
        let policy = parse_clean(&text);
        let (verdict, got) = decide(&policy, who, "kms:decrypt", KEY, &RequestContext::new());
        // An account match grants through the account; the others directly.
        let expected_verdict = match want {
            PrincipalMatch::Account => (None, Some(0)),
            PrincipalMatch::Unmatched => (None, None),
            _ => (Some(0), None),
        };
        let got_verdict = (verdict.allow_direct, verdict.allow_account);
        if got != want || got_verdict != expected_verdict || verdict.deny.is_some() {
            failures.push(format!(
                "{element} vs {who}: expected {want:?} {expected_verdict:?}, got {got:?} {got_verdict:?}"
            ));
        }
    }
    report(failures);
}

// ---------------------------------------------------------------------------
// NotPrincipal with Deny.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// "When you use NotPrincipal with Deny, you must also specify the account ARN
// of the not-denied principal. Otherwise, the policy might deny access to the
// entire account containing the principal." For an assumed-role session AWS
// "might validate the account first, then the role, and then the
// assumed-role user", so the session, the role and the account must all be
// listed.
// ---------------------------------------------------------------------------

/// (the Deny statement's NotPrincipal member, the caller, denied?)
const NOT_PRINCIPALS: &[(&str, &str, bool)] = &[
    // The user and its account: exempt.
    (r#""NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]}"#, "arn:aws:iam::444455556666:user/Bob", false),
    (r#""NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","444455556666"]}"#, "arn:aws:iam::444455556666:user/Bob", false),
    // The user alone: still denied (its account is not exempt).
    (r#""NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"}"#, "arn:aws:iam::444455556666:user/Bob", true),
    // The account alone: its users are not exempt, but its root is.
    (r#""NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"}"#, "arn:aws:iam::444455556666:user/Bob", true),
    (r#""NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"}"#, "444455556666", false),
    // Someone else in the same account, or in another account: denied.
    (r#""NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]}"#, "arn:aws:iam::444455556666:user/Carol", true),
    (r#""NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]}"#, ALICE, true),
    // A role session: session, role and account all listed.
    (r#""NotPrincipal":{"AWS":["arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::444455556666:role/cross-account-read-only-role","arn:aws:iam::444455556666:root"]}"#, "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app", false),
    (r#""NotPrincipal":{"AWS":["arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::444455556666:role/cross-account-read-only-role","arn:aws:iam::444455556666:root"]}"#, "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/other-session", true),
    (r#""NotPrincipal":{"AWS":["arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::444455556666:root"]}"#, "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app", true),
    (r#""NotPrincipal":{"AWS":["arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::444455556666:role/cross-account-read-only-role"]}"#, "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app", true),
    // Service principals are exempted by naming the service.
    (r#""NotPrincipal":{"Service":"cloudtrail.amazonaws.com"}"#, "cloudtrail.amazonaws.com", false),
    (r#""NotPrincipal":{"Service":"cloudtrail.amazonaws.com"}"#, "logs.amazonaws.com", true),
];

#[test]
fn not_principal_with_deny() {
    let mut failures = Vec::new();
    for &(element, who, want) in NOT_PRINCIPALS {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny",{element},"Action":"kms:*","Resource":"*"}},{{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}]}}"#
        );
        let policy = parse_clean(&text);
        let (verdict, pm) = decide(&policy, who, "kms:decrypt", KEY, &RequestContext::new());
        let denied = verdict.deny == Some(0);
        let want_pm = if want {
            PrincipalMatch::NotExempted
        } else {
            PrincipalMatch::Unmatched
        };
        if denied != want || pm != want_pm || verdict.allow_direct != Some(1) {
            failures.push(format!(
                "{element} vs {who}: expected denied={want}, got {verdict:?} {pm:?}"
            ));
        }
    }
    report(failures);
}

// ---------------------------------------------------------------------------
// Diagnostics.
// ---------------------------------------------------------------------------

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    parse_text(text, PolicyKind::Resource).diagnostics
}

/// The one error diagnostic with `code`, and the text its span covers.
fn error<'t>(text: &'t str, code: &str) -> (Diagnostic, &'t str) {
    let all = diagnostics(text);
    let found: Vec<_> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "want one {code} in {all:?}\nfor {text}");
    let d = found[0].clone();
    assert_eq!(d.severity, Severity::Error, "{d:?}");
    let covered = &text[d.span.start..d.span.end];
    (d, covered)
}

fn statement(body: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{{{body}}}]}}"#)
}

const GOOD: &str = r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*""#;

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// lists the operators; "You can add IfExists to the end of any condition
// operator name except the Null condition".
#[test]
fn unknown_operator_is_reported_at_the_operator() {
    for op in [
        "StringEqualz",
        "StringMatches",
        "NullIfExists",
        "ForAnyValues:StringEquals",
        "ForAllValue:StringLike",
        "IpAddressRange",
    ] {
        let text = statement(&format!(
            r#"{GOOD},"Condition":{{"{op}":{{"aws:SourceIp":"203.0.113.0/24"}}}}"#
        ));
        let (d, covered) = error(&text, "unknown-operator");
        assert_eq!(covered, format!("\"{op}\""), "{text}");
        assert_eq!(d.param("operator"), Some(op));
    }
    // Every real operator, with and without the qualifiers and IfExists, parses.
    for base in [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
    ] {
        for op in [
            base.to_string(),
            format!("{base}IfExists"),
            format!("ForAnyValue:{base}"),
            format!("ForAllValues:{base}IfExists"),
        ] {
            let text = statement(&format!(
                r#"{GOOD},"Condition":{{"{op}":{{"aws:PrincipalArn":"arn:aws:iam::*:role/x"}}}}"#
            ));
            parse_clean(&text);
        }
    }
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
// "Valid values for Effect are Allow and Deny. The Effect value is case sensitive."
#[test]
fn invalid_effect() {
    for effect in ["allow", "DENY", "Permit", ""] {
        let text = statement(&format!(
            r#""Effect":"{effect}","Principal":"*","Action":"kms:Decrypt","Resource":"*""#
        ));
        let (d, covered) = error(&text, "invalid-effect");
        assert_eq!(covered, format!("\"{effect}\""));
        assert_eq!(d.param("effect"), Some(effect));
        // A statement AWS would reject grants nothing.
        let policy = parse_text(&text, PolicyKind::Resource).policy.unwrap();
        let (verdict, _) = decide(&policy, ALICE, "kms:decrypt", KEY, &RequestContext::new());
        assert_eq!(verdict, PolicyVerdict::default(), "{text}");
    }
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// "Statements must include either an Action or NotAction element."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// "Statements must include either a Resource or a NotResource element."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// "You must use the Principal element in resource-based policies."
#[test]
fn missing_elements() {
    let cases = [
        (
            r#""Effect":"Allow","Principal":"*","Resource":"*""#,
            "Action",
        ),
        (
            r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt""#,
            "Resource",
        ),
        (
            r#""Effect":"Allow","Action":"kms:Decrypt","Resource":"*""#,
            "Principal",
        ),
        (
            r#""Principal":"*","Action":"kms:Decrypt","Resource":"*""#,
            "Effect",
        ),
    ];
    for (body, element) in cases {
        let text = statement(body);
        let all = diagnostics(&text);
        let d = all
            .iter()
            .find(|d| d.code == "missing-element" && d.param("element") == Some(element))
            .unwrap_or_else(|| panic!("no missing {element} in {all:?}"));
        assert_eq!(d.severity, Severity::Error);
        // The span is the statement object.
        assert_eq!(&text[d.span.start..d.span.end], format!("{{{body}}}"));
    }
    // NotAction / NotResource satisfy the requirement.
    parse_clean(&statement(
        r#""Effect":"Deny","Principal":"*","NotAction":"kms:Decrypt","NotResource":"*""#,
    ));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// "NotPrincipal must be used with "Effect":"Deny". Using it with
// "Effect":"Allow" is not supported."
#[test]
fn not_principal_with_allow() {
    let text = statement(
        r#""Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"kms:Decrypt","Resource":"*""#,
    );
    let (_, covered) = error(&text, "notprincipal-with-allow");
    assert!(covered.starts_with("\"NotPrincipal\""), "{covered}");
    // It grants nothing, to anybody.
    let policy = parse_text(&text, PolicyKind::Resource).policy.unwrap();
    for who in [ALICE, "arn:aws:iam::444455556666:user/Bob", "*"] {
        let (verdict, _) = decide(&policy, who, "kms:decrypt", KEY, &RequestContext::new());
        assert_eq!(verdict.allow_any(), None, "{who}");
    }
    // With Deny it is fine.
    parse_clean(&statement(
        r#""Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"kms:Decrypt","Resource":"*""#,
    ));
}

/// (statement members, the element named in the diagnostic, the text its span covers)
const WRONG_TYPES: &[(&str, &str, &str)] = &[
    (
        r#""Effect":"Allow","Principal":"*","Action":5,"Resource":"*""#,
        "Action",
        "5",
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":{"kms":"Decrypt"},"Resource":"*""#,
        "Action",
        r#"{"kms":"Decrypt"}"#,
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":["kms:Decrypt",7],"Resource":"*""#,
        "Action",
        "7",
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":true"#,
        "Resource",
        "true",
    ),
    (
        r#""Effect":true,"Principal":"*","Action":"kms:Decrypt","Resource":"*""#,
        "Effect",
        "true",
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":[]"#,
        "Condition",
        "[]",
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":"x"}"#,
        "StringEquals",
        r#""x""#,
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}"#,
        "aws:username",
        r#"{"a":1}"#,
    ),
    (
        r#""Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:username":[null]}}"#,
        "aws:username",
        "null",
    ),
    (
        r#""Effect":"Allow","Principal":{"AWS":5},"Action":"kms:Decrypt","Resource":"*""#,
        "AWS",
        "5",
    ),
    (
        r#""Effect":"Allow","Principal":["*"],"Action":"kms:Decrypt","Resource":"*""#,
        "Principal",
        r#"["*"]"#,
    ),
    (
        r#""Sid":1,"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*""#,
        "Sid",
        "1",
    ),
];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// (the policy grammar: which elements take strings, arrays and objects)
#[test]
fn wrong_types() {
    let mut failures = Vec::new();
    for &(body, element, at) in WRONG_TYPES {
        let text = statement(body);
        let all = diagnostics(&text);
        let hit = all.iter().find(|d| {
            d.code == "wrong-type"
                && d.param("element") == Some(element)
                && &text[d.span.start..d.span.end] == at
        });
        if hit.is_none() {
            failures.push(format!(
                "{body}: want wrong-type {element} at {at}, got {all:?}"
            ));
        }
    }
    // The top level too.
    for (text, element) in [
        (r#"[]"#, "policy"),
        (r#"{"Version":"2012-10-17","Statement":"x"}"#, "Statement"),
        (r#"{"Version":2012,"Statement":[]}"#, "Version"),
    ] {
        let all = diagnostics(text);
        if !all
            .iter()
            .any(|d| d.code == "wrong-type" && d.param("element") == Some(element))
        {
            failures.push(format!("{text}: want wrong-type {element}, got {all:?}"));
        }
    }
    report(failures);
}

// Numeric values must be numbers and dates ISO 8601 or epoch:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
#[test]
fn invalid_condition_values() {
    for (op, value) in [
        ("NumericEquals", r#""abc""#),
        ("NumericLessThan", r#""ten""#),
        ("DateGreaterThan", r#""yesterday""#),
        ("DateEquals", r#""2025-13-01T00:00:00Z""#),
    ] {
        let text = statement(&format!(
            r#"{GOOD},"Condition":{{"{op}":{{"custom:key":{value}}}}}"#
        ));
        let (d, covered) = error(&text, "invalid-condition-value");
        assert_eq!(covered, value);
        assert_eq!(d.param("operator"), Some(op));
        assert_eq!(
            Some(d.param("value").unwrap()),
            value.strip_prefix('"').and_then(|v| v.strip_suffix('"'))
        );
    }
    // Only the bad value is reported, among good ones.
    let text = statement(&format!(
        r#"{GOOD},"Condition":{{"NumericEquals":{{"s3:max-keys":[10,"abc","20"]}}}}"#
    ));
    let (_, covered) = error(&text, "invalid-condition-value");
    assert_eq!(covered, r#""abc""#);
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// (the elements a policy and a statement may hold)
#[test]
fn unknown_elements() {
    for (text, element, suggestion) in [
        (
            statement(&format!(r#"{GOOD},"Actions":"kms:Encrypt""#)),
            "Actions",
            None,
        ),
        (
            statement(&format!(r#"{GOOD},"Condtion":{{}}"#)),
            "Condtion",
            None,
        ),
        (
            statement(&format!(r#"{GOOD},"condition":{{}}"#)),
            "condition",
            Some("Condition"),
        ),
        (
            r#"{"Version":"2012-10-17","Verison":"x","Statement":[]}"#.to_string(),
            "Verison",
            None,
        ),
    ] {
        let (d, covered) = error(&text, "unknown-element");
        assert_eq!(covered, format!("\"{element}\""));
        assert_eq!(d.param("element"), Some(element));
        assert_eq!(d.param("suggestion"), suggestion);
    }
}

// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html#key-policy-limit
// "The maximum length of a key policy document is 32 KB (32,768 bytes)."
#[test]
fn key_policy_size_limit() {
    assert_eq!(KEY_POLICY_MAX_BYTES, 32_768);
    let sized = |len: usize| {
        let bare = statement(&format!(r#""Sid":"",{GOOD}"#));
        let sid = "x".repeat(len - bare.len());
        let text = statement(&format!(r#""Sid":"{sid}",{GOOD}"#));
        assert_eq!(text.len(), len);
        text
    };
    let at_limit = sized(32_768);
    parse_clean(&at_limit);
    let over = sized(32_769);
    let parsed = parse_text(&over, PolicyKind::Resource);
    let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["policy-too-large"]);
    assert_eq!(parsed.diagnostics[0].param("size"), Some("32769"));
    assert_eq!(parsed.diagnostics[0].param("max"), Some("32768"));
    assert!(parsed.policy.is_none());
}
