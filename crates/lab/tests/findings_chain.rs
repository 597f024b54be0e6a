//! Findings about the organization's policies in a playground file: SCPs
//! and RCPs are linted as what they are, with spans into their own text,
//! and the file-level check that a node's SCPs allow the KMS calls its
//! accounts make.

use kmsplay_lab::findings::{lint_document, Finding, LintedPolicy};
use kmsplay_messages::{catalogue as messages, parameters, Lang};
use kmsplay_playground::PolicySource;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A playground file with the given `scps` and `rcps` maps and requests
/// from 111111111111 (under ou-a1b2-workload) for `actions`.
fn file(scps: &str, rcps: &str, actions: &[&str]) -> String {
    let requests: Vec<String> = actions
        .iter()
        .map(|a| {
            format!(r#"{{ "principal": "arn:aws:iam::111111111111:user/Admin", "action": "{a}" }}"#)
        })
        .collect();
    format!(
        r#"{{
  "version": 1,
  "organization": {{
    "id": "o-a1b2c3d4e5", "root": "r-a1b2", "management_account": "999999999999",
    "accounts": {{ "111111111111": ["ou-a1b2-workload"], "222222222222": [] }},
    "scps": {scps},
    "rcps": {rcps}
  }},
  "key": {{ "arn": "{KEY}", "policy": {{ "Version": "2012-10-17", "Statement": [
    {{ "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::111111111111:root" }}, "Action": "kms:*", "Resource": "*" }} ] }} }},
  "identities": [ {{ "arn": "arn:aws:iam::111111111111:user/Admin",
    "policies": [ {{ "Version": "2012-10-17", "Statement": [ {{ "Effect": "Allow", "Action": "kms:*", "Resource": "*" }} ] }} ] }} ],
  "requests": [ {} ]
}}"#,
        requests.join(", ")
    )
}

fn lint(text: &str) -> Vec<LintedPolicy> {
    lint_document(text, None).expect("a playground file")
}

fn with_code<'a>(linted: &'a [LintedPolicy], code: &str) -> Vec<(&'a LintedPolicy, &'a Finding)> {
    linted
        .iter()
        .flat_map(|p| p.findings.iter().map(move |f| (p, f)))
        .filter(|(_, f)| f.code == code)
        .collect()
}

/// The text a finding's span covers (in the policy's own text when it was
/// a string, else in the file).
fn spanned<'a>(text: &'a str, p: &'a LintedPolicy, f: &Finding) -> &'a str {
    let t = p.text.as_deref().unwrap_or(text);
    &t[f.span.start..f.span.end]
}

fn param<'a>(f: &'a Finding, name: &str) -> &'a str {
    f.params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{} has no {name}", f.code))
}

/// Both languages have the message and help, using only what the finding carries.
fn has_messages(f: &Finding) {
    let names: Vec<&str> = f.params.iter().map(|(n, _)| *n).collect();
    for lang in Lang::ALL {
        for id in [
            format!("finding.{}", f.code),
            format!("finding.{}.help", f.code),
        ] {
            let text = messages(lang)
                .text(&id)
                .unwrap_or_else(|| panic!("{} lacks {id}", lang.tag()));
            for p in parameters(text) {
                assert!(names.contains(&p.as_str()), "{id} uses {{{p}}}");
            }
        }
    }
}

const NO_RCPS: &str = "{}";

// An Allow is needed at every node from the root to the account; a listed
// node has exactly its listed SCPs (FullAWSAccess detached):
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
#[test]
fn an_ou_whose_scps_allow_no_kms_call_of_its_accounts_is_a_finding() {
    let scps = r#"{ "ou-a1b2-workload": [
      { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ] } ] }"#;
    let text = file(
        scps,
        NO_RCPS,
        &["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],
    );
    let linted = lint(&text);
    let hits = with_code(&linted, "scp-blocks-kms");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let (p, f) = hits[0];
    assert_eq!(
        p.source,
        Some(PolicySource::Scp {
            node: "ou-a1b2-workload".into(),
            policy: 0
        })
    );
    assert_eq!(param(f, "node"), "ou-a1b2-workload");
    assert_eq!(param(f, "actions"), "kms:Decrypt, kms:Encrypt");
    // The caret is on the node's policy.
    assert_eq!(spanned(&text, p, f), "{");
    let at = text
        .find(r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*""#);
    assert_eq!(Some(f.span.start), at);
    has_messages(f);
}

#[test]
fn only_the_actions_the_scps_do_not_allow_are_named() {
    let scps = r#"{ "ou-a1b2-workload": [
      { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" } ] } ] }"#;
    let linted = lint(&file(
        scps,
        NO_RCPS,
        &["kms:Decrypt", "kms:GenerateDataKey"],
    ));
    let hits = with_code(&linted, "scp-blocks-kms");
    assert_eq!(hits.len(), 1);
    assert_eq!(param(hits[0].1, "actions"), "kms:GenerateDataKey");
}

#[test]
fn without_requests_from_below_the_node_any_kms_allow_is_enough() {
    // 222222222222 makes no request; its SCP allows nothing of KMS.
    let none = r#"{ "222222222222": [
      { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "ec2:*", "Resource": "*" } ] } ] }"#;
    let linted = lint(&file(none, NO_RCPS, &["kms:Decrypt"]));
    let hits = with_code(&linted, "scp-blocks-kms");
    assert_eq!(hits.len(), 1);
    assert_eq!(param(hits[0].1, "node"), "222222222222");
    assert_eq!(param(hits[0].1, "actions"), "kms:*");
    let some = r#"{ "222222222222": [
      { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Describe*", "Resource": "*" } ] } ] }"#;
    assert!(with_code(
        &lint(&file(some, NO_RCPS, &["kms:Decrypt"])),
        "scp-blocks-kms"
    )
    .is_empty());
}

#[test]
fn scps_that_allow_kms_raise_nothing() {
    for allow in [
        r#""Action": "*""#,
        r#""Action": "kms:*""#,
        r#""Action": ["kms:Decrypt", "kms:Encrypt"]"#,
        r#""NotAction": "s3:*""#,
    ] {
        let scps = format!(
            r#"{{ "r-a1b2": [ {{ "Version": "2012-10-17", "Statement": [ {{ "Effect": "Allow", {allow}, "Resource": "*" }} ] }} ] }}"#
        );
        let linted = lint(&file(&scps, NO_RCPS, &["kms:Decrypt", "kms:Encrypt"]));
        assert!(with_code(&linted, "scp-blocks-kms").is_empty(), "{allow}");
    }
    // A Deny is not an Allow: the root's only SCP denies, so KMS is blocked.
    let deny = r#"{ "r-a1b2": [ { "Version": "2012-10-17", "Statement": [ { "Effect": "Deny", "Action": "kms:*", "Resource": "*" } ] } ] }"#;
    assert_eq!(
        with_code(
            &lint(&file(deny, NO_RCPS, &["kms:Decrypt"])),
            "scp-blocks-kms"
        )
        .len(),
        1
    );
    // SCPs do not apply to the management account.
    let mgmt = r#"{ "999999999999": [ { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ] } ] }"#;
    assert!(with_code(
        &lint(&file(mgmt, NO_RCPS, &["kms:Decrypt"])),
        "scp-blocks-kms"
    )
    .is_empty());
}

// "The kms:RetireGrant permission is not effective in an RCP, even if the
// Action element specifies an asterisk (*) as a wildcard":
// https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
#[test]
fn retire_grant_in_an_rcp_is_a_warning_on_its_entry() {
    let rcps = r#"{ "r-a1b2": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Deny", "Principal": "*", "Action": ["kms:Decrypt", "kms:RetireGrant"], "Resource": "*",
        "Condition": { "StringNotEqualsIfExists": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } } ] } ] }"#;
    let text = file("{}", rcps, &["kms:Decrypt"]);
    let linted = lint(&text);
    let hits = with_code(&linted, "rcp-retire-grant");
    assert_eq!(hits.len(), 1);
    let (p, f) = hits[0];
    assert_eq!(
        p.source,
        Some(PolicySource::Rcp {
            node: "r-a1b2".into(),
            policy: 0
        })
    );
    assert_eq!(spanned(&text, p, f), "\"kms:RetireGrant\"");
    assert_eq!(f.severity, kmsplay_lab::findings::Severity::Warning);
    has_messages(f);
    // The same entry in an SCP applies as usual: no finding.
    let scps = r#"{ "r-a1b2": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Allow", "Action": "*", "Resource": "*" },
      { "Effect": "Deny", "Action": "kms:RetireGrant", "Resource": "*" } ] } ] }"#;
    assert!(with_code(
        &lint(&file(scps, "{}", &["kms:Decrypt"])),
        "rcp-retire-grant"
    )
    .is_empty());
}

#[test]
fn an_rcp_given_as_a_string_has_spans_into_its_own_text() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "kms:RetireGrant", "Resource": "*"}]}"#;
    let rcps = format!(
        r#"{{ "r-a1b2": [ {} ] }}"#,
        serde_json::to_string(policy).unwrap()
    );
    let text = file("{}", &rcps, &["kms:Decrypt"]);
    let linted = lint(&text);
    let hits = with_code(&linted, "rcp-retire-grant");
    assert_eq!(hits.len(), 1);
    let (p, f) = hits[0];
    assert_eq!(p.text.as_deref(), Some(policy));
    assert_eq!(&policy[f.span.start..f.span.end], "\"kms:RetireGrant\"");
}

// The grammar of SCPs and RCPs, from the parser, reaches the lint of a
// playground file with positions in the policy it came from:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
#[test]
fn organization_policy_grammar_errors_are_findings_with_spans() {
    let scps = r#"{ "ou-a1b2-workload": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Allow", "Action": "*", "Resource": "*" },
      { "Effect": "Deny", "Principal": { "AWS": "arn:aws:iam::111111111111:role/Ops" }, "Action": "kms:ScheduleKeyDeletion", "Resource": "*" } ] } ] }"#;
    let rcps = r#"{ "r-a1b2": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Deny", "Principal": { "AWS": "arn:aws:iam::444444444444:root" }, "Action": "kms:*", "Resource": "*" },
      { "Effect": "Deny", "NotPrincipal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "kms:*", "Resource": "*" },
      { "Effect": "Deny", "Principal": "*", "NotAction": "kms:Decrypt", "Resource": "*" } ] } ] }"#;
    let text = file(scps, rcps, &["kms:Decrypt"]);
    let linted = lint(&text);
    let cases = [
        ("principal-in-scp", "\"Principal\""),
        (
            "rcp-principal-not-any",
            "{ \"AWS\": \"arn:aws:iam::444444444444:root\" }",
        ),
        ("notprincipal-in-rcp", "\"NotPrincipal\""),
        ("notaction-in-rcp", "\"NotAction\""),
    ];
    for (code, covered) in cases {
        let hits = with_code(&linted, code);
        assert_eq!(hits.len(), 1, "{code}: {hits:?}");
        let (p, f) = hits[0];
        assert_eq!(f.severity, kmsplay_lab::findings::Severity::Error, "{code}");
        assert_eq!(spanned(&text, p, f), covered, "{code}");
        let want_scp = code == "principal-in-scp";
        assert_eq!(
            matches!(p.source, Some(PolicySource::Scp { .. })),
            want_scp,
            "{code}"
        );
    }
}

// "maximum size of 5,120 characters" for SCPs and RCPs:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
#[test]
fn an_organization_policy_over_5120_characters_is_a_finding() {
    let statement = r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#;
    let many = vec![statement; 5120 / statement.len() + 1].join(", ");
    let policy = format!(r#"{{"Version": "2012-10-17", "Statement": [{many}]}}"#);
    assert!(policy.chars().count() > 5120);
    let scps = format!(
        r#"{{ "r-a1b2": [ {} ] }}"#,
        serde_json::to_string(&policy).unwrap()
    );
    let text = file(&scps, "{}", &["kms:Decrypt"]);
    let linted = lint(&text);
    let hits = with_code(&linted, "organization-policy-too-large");
    assert_eq!(hits.len(), 1);
    let (p, f) = hits[0];
    assert_eq!(p.text.as_deref(), Some(policy.as_str()));
    assert_eq!((f.span.start, f.span.end), (0, policy.len()));
    // The playground report carries it too, with a line and column.
    let report = kmsplay_playground::simulate_json(&text, Lang::En, false).unwrap();
    let report_json = report.json();
    let d = report_json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "organization-policy-too-large")
        .expect("in the report");
    assert_eq!(d["policy"], "organization.scps.r-a1b2[0]");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn the_playground_report_places_scp_and_rcp_diagnostics() {
    let scps = r#"{ "ou-a1b2-workload": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*" } ] } ] }"#;
    let rcps = r#"{ "r-a1b2": [ { "Version": "2012-10-17", "Statement": [
      { "Effect": "Deny", "Principal": { "AWS": "444444444444" }, "Action": "kms:*", "Resource": "*" } ] } ] }"#;
    let text = file(scps, rcps, &["kms:Decrypt"]);
    let report = kmsplay_playground::simulate_json(&text, Lang::Ja, false).unwrap();
    let report_json = report.json();
    let diags = report_json["diagnostics"].as_array().unwrap();
    for (code, policy) in [
        ("principal-in-scp", "organization.scps.ou-a1b2-workload[0]"),
        ("rcp-principal-not-any", "organization.rcps.r-a1b2[0]"),
    ] {
        let d = diags
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {diags:?}"));
        assert_eq!(d["policy"], policy);
        let (start, end) = (
            d["start"].as_u64().unwrap() as usize,
            d["end"].as_u64().unwrap() as usize,
        );
        assert!(
            text[start..end].contains("Principal") || text[start..end].contains("444444444444")
        );
        assert!(d["line"].as_u64().unwrap() > 1);
        assert!(!d["message"].as_str().unwrap().is_empty());
    }
}
