//! Laws of policy evaluation, checked on random policies and requests:
//! a Deny can only remove access, an Allow can only add it, and neither the
//! order of statements nor running twice changes a decision.
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>)

use kmsplay_kms::catalogue;
use kmsplay_kms::{authorize, Decision, Grant, GrantConstraint, Identity, Key, KmsRequest};
use kmsplay_policy::{parse_text, ContextValue, PolicyKind, Principal};
use proptest::prelude::*;

const KEY_ARN: &str = "arn:aws:kms:us-west-2:111111111111:key/k1";

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::111111111111:user/Bob",
    "arn:aws:iam::222222222222:user/Alice",
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::111111111111:role/CloudTrailReadRole",
    "arn:aws:sts::111111111111:assumed-role/CloudTrailReadRole/s1",
    "cloudtrail.amazonaws.com",
];

const POLICY_PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"*"}"#,
    r#"{"AWS":"arn:aws:iam::111111111111:root"}"#,
    r#"{"AWS":"111111111111"}"#,
    r#"{"AWS":"arn:aws:iam::222222222222:root"}"#,
    r#"{"AWS":"arn:aws:iam::111111111111:user/Bob"}"#,
    r#"{"AWS":["arn:aws:iam::222222222222:user/Alice","arn:aws:iam::111111111111:role/CloudTrailReadRole"]}"#,
    r#"{"Service":"cloudtrail.amazonaws.com"}"#,
];

const ACTIONS: &[&str] = &[
    r#""kms:*""#,
    r#""kms:Decrypt""#,
    r#"["kms:Encrypt","kms:GenerateDataKey*"]"#,
    r#""kms:Describe*""#,
    r#""*""#,
];

const OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "DescribeKey",
    "CreateGrant",
];

const CONDITIONS: &[&str] = &[
    "",
    r#","Condition":{"Null":{"kms:EncryptionContext:aws:cloudtrail:arn":"false"}}"#,
    r#","Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}"#,
    r#","Condition":{"StringEquals":{"kms:CallerAccount":"222222222222"}}"#,
    r#","Condition":{"StringNotEquals":{"kms:ViaService":"s3.us-west-2.amazonaws.com"}}"#,
    r#","Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["aws:cloudtrail:arn"]}}"#,
    r#","Condition":{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["Department"]}}"#,
    r#","Condition":{"BoolIfExists":{"aws:SecureTransport":"true"}}"#,
];

#[derive(Debug, Clone)]
struct Stmt {
    deny: bool,
    principal: usize,
    not_action: bool,
    action: usize,
    condition: usize,
}

impl Stmt {
    fn json(&self, identity: bool) -> String {
        let principal = if identity {
            String::new()
        } else {
            format!(r#","Principal":{}"#, POLICY_PRINCIPALS[self.principal])
        };
        let action_key = if self.not_action {
            "NotAction"
        } else {
            "Action"
        };
        format!(
            r#"{{"Effect":"{}"{principal},"{action_key}":{},"Resource":"*"{}}}"#,
            if self.deny { "Deny" } else { "Allow" },
            ACTIONS[self.action],
            CONDITIONS[self.condition]
        )
    }
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        0..POLICY_PRINCIPALS.len(),
        prop::bool::weighted(0.15),
        0..ACTIONS.len(),
        0..CONDITIONS.len(),
    )
        .prop_map(|(deny, principal, not_action, action, condition)| Stmt {
            deny,
            principal,
            not_action,
            action,
            condition,
        })
}

fn policy_text(stmts: &[Stmt], identity: bool) -> String {
    let body: Vec<String> = stmts.iter().map(|s| s.json(identity)).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    )
}

#[derive(Debug, Clone)]
struct Case {
    key_policy: Vec<Stmt>,
    identity_policy: Vec<Stmt>,
    principal: usize,
    operation: usize,
    context: usize,
    with_grant: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(stmt(), 0..6),
        prop::collection::vec(stmt(), 0..4),
        0..PRINCIPALS.len(),
        0..OPERATIONS.len(),
        0..4usize,
        any::<bool>(),
    )
        .prop_map(
            |(key_policy, identity_policy, principal, operation, context, with_grant)| Case {
                key_policy,
                identity_policy,
                principal,
                operation,
                context,
                with_grant,
            },
        )
}

fn decide(c: &Case, key_policy: &[Stmt], identity_policy: &[Stmt]) -> Decision {
    let mut key = Key::new(KEY_ARN).unwrap();
    key.policy = parse_text(&policy_text(key_policy, false), PolicyKind::Resource).policy;
    if c.with_grant {
        key.grants.push(Grant {
            id: "g1".into(),
            grantee: "arn:aws:iam::222222222222:user/Alice".into(),
            operations: vec![catalogue::operation("Decrypt").unwrap()],
            constraint: Some(GrantConstraint::Subset(vec![(
                "Department".into(),
                "IT".into(),
            )])),
            retiring_principal: None,
            token: None,
            pending: false,
        });
    }
    let identity_policy =
        parse_text(&policy_text(identity_policy, true), PolicyKind::Identity).policy;
    let identities: Vec<Identity> = [
        "arn:aws:iam::111111111111:user/Bob",
        "arn:aws:iam::222222222222:user/Alice",
        "arn:aws:iam::111111111111:role/CloudTrailReadRole",
    ]
    .iter()
    .map(|arn| Identity {
        arn: arn.to_string(),
        policies: vec![identity_policy.clone()],
        permissions_boundary: None,
    })
    .collect();
    let principal = Principal::parse(PRINCIPALS[c.principal]).unwrap();
    let ec: Vec<(String, String)> = match c.context {
        0 => vec![],
        1 => vec![(
            "aws:cloudtrail:arn".into(),
            "arn:aws:cloudtrail:us-west-2:111111111111:trail/t".into(),
        )],
        2 => vec![("Department".into(), "IT".into())],
        _ => vec![
            ("Department".into(), "IT".into()),
            ("aws:cloudtrail:arn".into(), "x".into()),
        ],
    };
    let context = vec![(
        "kms:ViaService".to_string(),
        ContextValue::Single("s3.us-west-2.amazonaws.com".into()),
    )];
    let req = KmsRequest {
        principal: &principal,
        operation: catalogue::operation(OPERATIONS[c.operation]).unwrap(),
        key: None,
        encryption_context: &ec,
        context: if c.context == 3 { &context } else { &[] },
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    let fast = authorize(&key, &identities, &req, false);
    let traced = authorize(&key, &identities, &req, true);
    // The fast path derives only the keys the policies read; it must decide
    // exactly as the traced path, which derives them all.
    assert_eq!(
        (fast.decision, fast.outcome),
        (traced.decision, traced.outcome)
    );
    fast.decision
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn adding_a_deny_never_grants_access(c in case(), extra in stmt(), to_identity in any::<bool>()) {
        let before = decide(&c, &c.key_policy, &c.identity_policy);
        let deny = Stmt { deny: true, ..extra };
        let (mut kp, mut ip) = (c.key_policy.clone(), c.identity_policy.clone());
        if to_identity { ip.push(deny) } else { kp.push(deny) }
        let after = decide(&c, &kp, &ip);
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn adding_an_allow_never_removes_access(c in case(), extra in stmt(), to_identity in any::<bool>()) {
        let before = decide(&c, &c.key_policy, &c.identity_policy);
        let allow = Stmt { deny: false, ..extra };
        let (mut kp, mut ip) = (c.key_policy.clone(), c.identity_policy.clone());
        if to_identity { ip.push(allow) } else { kp.push(allow) }
        let after = decide(&c, &kp, &ip);
        if before == Decision::Allowed {
            prop_assert_eq!(after, Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn order_and_repetition_do_not_matter(c in case()) {
        let first = decide(&c, &c.key_policy, &c.identity_policy);
        prop_assert_eq!(first, decide(&c, &c.key_policy, &c.identity_policy));
        let mut kp = c.key_policy.clone();
        kp.reverse();
        let mut ip = c.identity_policy.clone();
        let shift = ip.len().min(1);
        ip.rotate_left(shift);
        prop_assert_eq!(first, decide(&c, &kp, &ip));
    }
}
