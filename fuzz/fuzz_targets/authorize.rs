//! `authorize` on structured input: policies assembled from a realistic
//! vocabulary (and arbitrary strings where the vocabulary runs out), a
//! key, identities and a request. Checks, besides "never panics":
//!
//! - the fast path (`detail = false`, which derives only the condition keys
//!   the policies read) and the traced path decide the same;
//! - `evaluate` and `trace` agree on which statements apply.
#![no_main]

use arbitrary::Arbitrary;
use kmsplay_kms::{authorize, catalogue, Identity, Key, KmsRequest};
use kmsplay_policy::{evaluate, parse_text, trace, ContextValue, PolicyKind, Principal, Request};
use libfuzzer_sys::fuzz_target;

const KEY_ARN: &str = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::111111111111:user/Bob",
    "arn:aws:iam::111111111111:role/Admin",
    "arn:aws:iam::111111111111:role/service-role/Admin",
    "arn:aws:sts::111111111111:assumed-role/Admin/s1",
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::222222222222:user/Alice",
    "arn:aws:sts::222222222222:assumed-role/Reader/s2",
    "arn:aws:sts::222222222222:federated-user/Fed",
    "111111111111",
    "222222222222",
    "cloudtrail.amazonaws.com",
    "*",
];

const OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair",
    "ReEncryptFrom",
    "ReEncryptTo",
    "DescribeKey",
    "CreateGrant",
    "RetireGrant",
    "RevokeGrant",
    "ListGrants",
    "Sign",
    "Verify",
    "GenerateMac",
    "ScheduleKeyDeletion",
    "PutKeyPolicy",
    "EnableKey",
    "DisableKey",
    "CreateKey",
    "ListKeys",
    "GenerateRandom",
];

const ACTIONS: &[&str] = &[
    "*",
    "kms:*",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
    "kms:Describe*",
    "kms:*Grant*",
    "kms:?ecrypt",
    "KMS:DECRYPT",
    "s3:GetObject",
];

const RESOURCES: &[&str] = &[
    "*",
    KEY_ARN,
    "arn:aws:kms:*:111111111111:key/*",
    "arn:aws:kms:us-west-2:111111111111:alias/Trail",
    "arn:aws:kms:*:*:*",
    "arn:aws:kms:us-west-2:111111111111:key/${aws:username}",
    "arn:aws:kms:us-west-2:${aws:PrincipalAccount}:key/*",
];

const KEYS: &[&str] = &[
    "kms:EncryptionContext:Department",
    "kms:EncryptionContext:aws:cloudtrail:arn",
    "kms:EncryptionContextKeys",
    "kms:ViaService",
    "kms:CallerAccount",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:MultiFactorAuthAge",
    "aws:PrincipalIsAWSService",
    "aws:ResourceTag/Env",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:KeySpec",
    "aws:username",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateGreaterThan",
    "DateLessThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotLike",
    "Null",
];

const VALUES: &[&str] = &[
    "IT",
    "*",
    "arn:aws:cloudtrail:*:111111111111:trail/*",
    "arn:aws:iam::111111111111:user/${aws:username}",
    "${aws:username}",
    "${aws:nothere, 'x'}",
    "s3.*.amazonaws.com",
    "true",
    "false",
    "10",
    "2026-01-01T00:00:00Z",
    "1735689600",
    "203.0.113.0/24",
    "2001:db8::/32",
    "111111111111",
    "a${*}b${?}",
    "",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Pick(u8),
    Raw(String),
}

impl Text {
    fn get(&self, table: &[&str]) -> String {
        match self {
            Text::Pick(i) => table[usize::from(*i) % table.len()].to_string(),
            Text::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Cond {
    set: u8,
    operator: Text,
    if_exists: bool,
    key: Text,
    values: Vec<Text>,
}

#[derive(Arbitrary, Debug)]
struct Stmt {
    deny: bool,
    principal_kind: u8,
    principals: Vec<Text>,
    not_action: bool,
    actions: Vec<Text>,
    not_resource: bool,
    resources: Vec<Text>,
    conditions: Vec<Cond>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    key_policy: Vec<Stmt>,
    identity_policy: Vec<Stmt>,
    identity: Text,
    principal: Text,
    operation: u8,
    key_ref: u8,
    encryption_context: Vec<(Text, Text)>,
    context: Vec<(Text, Vec<Text>)>,
    old_version: bool,
}

fn json_str(s: &str) -> String {
    let mut out = String::new();
    kmsplay_json::write_string(s, &mut out);
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| json_str(s)).collect();
    if quoted.len() == 1 {
        quoted[0].clone()
    } else {
        format!("[{}]", quoted.join(","))
    }
}

fn statement(st: &Stmt, resource_policy: bool) -> String {
    let mut members = vec![format!(
        "\"Effect\":\"{}\"",
        if st.deny { "Deny" } else { "Allow" }
    )];
    if resource_policy {
        let principals: Vec<String> = st.principals.iter().map(|p| p.get(PRINCIPALS)).collect();
        let element = if st.principal_kind % 5 == 4 {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let value = match st.principal_kind % 4 {
            0 => "\"*\"".to_string(),
            1 => format!("{{\"Service\":{}}}", list(&principals)),
            _ => format!("{{\"AWS\":{}}}", list(&principals)),
        };
        members.push(format!("\"{element}\":{value}"));
    }
    let actions: Vec<String> = st.actions.iter().map(|a| a.get(ACTIONS)).collect();
    members.push(format!(
        "\"{}\":{}",
        if st.not_action { "NotAction" } else { "Action" },
        list(&actions)
    ));
    let resources: Vec<String> = st.resources.iter().map(|r| r.get(RESOURCES)).collect();
    members.push(format!(
        "\"{}\":{}",
        if st.not_resource {
            "NotResource"
        } else {
            "Resource"
        },
        list(&resources)
    ));
    if !st.conditions.is_empty() {
        // One operator block per condition, numbered so no key repeats.
        let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
        for c in &st.conditions {
            let mut op = c.operator.get(OPERATORS);
            if c.if_exists {
                op.push_str("IfExists");
            }
            op = match c.set % 3 {
                1 => format!("ForAnyValue:{op}"),
                2 => format!("ForAllValues:{op}"),
                _ => op,
            };
            let key = c.key.get(KEYS);
            let values: Vec<String> = c.values.iter().map(|v| v.get(VALUES)).collect();
            let entry = format!("{}:{}", json_str(&key), list(&values));
            match blocks.iter_mut().find(|(o, _)| *o == op) {
                Some((_, entries)) => {
                    if !entries.iter().any(|e| e.starts_with(&json_str(&key))) {
                        entries.push(entry)
                    }
                }
                None => blocks.push((op, vec![entry])),
            }
        }
        let body: Vec<String> = blocks
            .iter()
            .map(|(op, entries)| format!("{}:{{{}}}", json_str(op), entries.join(",")))
            .collect();
        members.push(format!("\"Condition\":{{{}}}", body.join(",")));
    }
    format!("{{{}}}", members.join(","))
}

fn policy(statements: &[Stmt], resource_policy: bool, old_version: bool) -> String {
    let body: Vec<String> = statements
        .iter()
        .map(|s| statement(s, resource_policy))
        .collect();
    format!(
        "{{\"Version\":\"{}\",\"Statement\":[{}]}}",
        if old_version {
            "2008-10-17"
        } else {
            "2012-10-17"
        },
        body.join(",")
    )
}

fuzz_target!(|input: Input| {
    let key_text = policy(&input.key_policy, true, input.old_version);
    let identity_text = policy(&input.identity_policy, false, input.old_version);
    let mut key = Key::new(KEY_ARN).expect("valid key ARN");
    key.policy = parse_text(&key_text, PolicyKind::Resource).policy;
    key.tags = vec![("Env".into(), "prod".into())];
    key.aliases = vec!["alias/Trail".into()];
    let identity = Identity {
        arn: input.identity.get(PRINCIPALS),
        policies: vec![parse_text(&identity_text, PolicyKind::Identity).policy],
        permissions_boundary: None,
    };
    let Some(principal) = Principal::parse(&input.principal.get(PRINCIPALS)) else {
        return;
    };
    let operation =
        catalogue::operation(OPERATIONS[usize::from(input.operation) % OPERATIONS.len()])
            .expect("operation in the catalogue");
    let key_ref = match input.key_ref % 5 {
        0 => None,
        1 => Some(KEY_ARN),
        2 => Some("1234abcd-12ab-34cd-56ef-1234567890ab"),
        3 => Some("alias/Trail"),
        _ => Some("arn:aws:kms:us-west-2:111111111111:alias/Trail"),
    };
    let encryption_context: Vec<(String, String)> = input
        .encryption_context
        .iter()
        .map(|(k, v)| (k.get(&["Department", "aws:cloudtrail:arn"]), v.get(VALUES)))
        .collect();
    let context: Vec<(String, ContextValue)> = input
        .context
        .iter()
        .map(|(k, vs)| {
            let values: Vec<String> = vs.iter().map(|v| v.get(VALUES)).collect();
            let value = if values.len() == 1 {
                ContextValue::Single(values[0].clone())
            } else {
                ContextValue::Multi(values)
            };
            (k.get(KEYS), value)
        })
        .collect();
    let identities = [identity];
    let req = KmsRequest {
        principal: &principal,
        operation,
        key: key_ref,
        encryption_context: &encryption_context,
        context: &context,
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    let fast = authorize(&key, &identities, &req, false);
    let traced = authorize(&key, &identities, &req, true);
    assert_eq!(
        (fast.decision, fast.outcome),
        (traced.decision, traced.outcome),
        "fast path and traced path disagree\nkey policy: {key_text}\nidentity policy: {identity_text}\nrequest: {req:?}"
    );
    // evaluate and trace must agree on every statement of the key policy,
    // with the full context the trace used.
    let detail = traced.detail.expect("detail was asked for");
    if let Some(p) = &key.policy {
        let request = Request {
            principal: &principal,
            action: catalogue::action_lower(operation),
            resource: KEY_ARN,
            context: &detail.context,
        };
        let verdict = evaluate(p, &request, false);
        let steps = trace(p, &request, false);
        let applying: Vec<usize> = steps
            .iter()
            .filter(|s| s.applies)
            .map(|s| s.index)
            .collect();
        for i in [verdict.deny, verdict.allow_direct, verdict.allow_account]
            .into_iter()
            .flatten()
        {
            assert!(
                applying.contains(&i),
                "verdict statement {i} does not apply in the trace"
            );
        }
    }
});
