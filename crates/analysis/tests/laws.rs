//! Laws, for random KMS-flavoured policy pairs: a Pass means a random
//! search of many requests finds nothing; every counterexample is decided
//! by the engine as claimed. The same for public access.

use kmsplay_analysis::*;
use kmsplay_kms::catalogue::OPERATIONS;
use kmsplay_kms::{authorize, Decision, Identity, KmsRequest};
use kmsplay_policy::{parse_text, ContextValue, PolicyKind, Principal};
use proptest::prelude::*;

const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"444455556666"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
    r#"{"AWS":"arn:aws:iam::444455556666:user/Bob"}"#,
    r#"{"Service":"cloudtrail.amazonaws.com"}"#,
];
const ACTIONS: &[&str] = &[
    r#""kms:*""#,
    r#""kms:Decrypt""#,
    r#"["kms:Encrypt","kms:Decrypt"]"#,
    r#""kms:Generate*""#,
    r#""kms:PutKeyPolicy""#,
    r#""kms:*Grant*""#,
];
const CONDITIONS: &[&str] = &[
    "",
    r#","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}"#,
    r#","Condition":{"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"}}"#,
    r#","Condition":{"StringNotEquals":{"kms:CallerAccount":"111122223333"}}"#,
    r#","Condition":{"StringEquals":{"kms:CallerAccount":["111122223333","444455556666"]}}"#,
    r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
    r#","Condition":{"StringEqualsIfExists":{"kms:EncryptionContext:Team":"blue"}}"#,
    r#","Condition":{"Null":{"kms:EncryptionContext:Team":"false"}}"#,
    r#","Condition":{"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":"aws:*"}}"#,
    r#","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#,
    r#","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Adm*"}}"#,
    r#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
    r#","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
    r#","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
];

fn statement() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.75),
        0..PRINCIPALS.len(),
        0..ACTIONS.len(),
        0..CONDITIONS.len(),
    )
        .prop_map(|(allow, p, a, c)| {
            format!(
                r#"{{"Effect":"{}","Principal":{},"Action":{},"Resource":"*"{}}}"#,
                if allow { "Allow" } else { "Deny" },
                PRINCIPALS[p],
                ACTIONS[a],
                CONDITIONS[c]
            )
        })
}

fn policy() -> impl Strategy<Value = String> {
    prop::collection::vec(statement(), 1..5).prop_map(|sts| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            sts.join(",")
        )
    })
}

fn setting(text: &str) -> Setting {
    let policy = parse_text(text, PolicyKind::Resource)
        .policy
        .expect("parses");
    Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("a key ARN")
}

/// A random request: callers, values and contexts from a wider pool than
/// the policies use, so that fresh values are tried too.
#[derive(Debug, Clone)]
struct Random {
    principal: String,
    op: usize,
    context: Vec<(String, ContextValue)>,
    ec: Vec<(String, String)>,
}

fn random_request() -> impl Strategy<Value = Random> {
    let principals = prop::sample::select(vec![
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:user/Carol",
        "arn:aws:sts::111122223333:assumed-role/Admin/s",
        "arn:aws:sts::111122223333:assumed-role/Admins/s",
        "arn:aws:sts::999999999999:assumed-role/AdmX/s",
        "arn:aws:iam::444455556666:root",
        "arn:aws:iam::444455556666:user/Bob",
        "arn:aws:iam::444455556666:user/Eve",
        "arn:aws:iam::555555555555:user/Mallory",
        "cloudtrail.amazonaws.com",
        "logs.amazonaws.com",
    ]);
    let via = prop::sample::select(vec![
        None,
        Some("s3.us-east-1.amazonaws.com"),
        Some("s3.eu-west-1.amazonaws.com"),
        Some("ec2.us-east-1.amazonaws.com"),
        Some("s3..amazonaws.com"),
    ]);
    let org = prop::sample::select(vec![None, Some("o-a1b2c3d4e5"), Some("o-other")]);
    let mfa = prop::sample::select(vec![
        None,
        Some("10"),
        Some("3600"),
        Some("99999"),
        Some("x"),
    ]);
    let ip = prop::sample::select(vec![None, Some("203.0.113.9"), Some("198.51.100.1")]);
    let secure = prop::sample::select(vec![None, Some("true"), Some("false")]);
    let src = prop::sample::select(vec![None, Some("111122223333"), Some("444455556666")]);
    let team = prop::sample::select(vec![None, Some("blue"), Some("red")]);
    let extra = prop::sample::select(vec![None, Some("aws:s3:arn"), Some("Dept")]);
    (
        principals,
        0..OPERATIONS.len(),
        (via, org, mfa, ip, secure, src),
        (team, extra),
    )
        .prop_map(|(p, op, (via, org, mfa, ip, secure, src), (team, extra))| {
            let mut context = Vec::new();
            let mut add = |k: &str, v: Option<&str>| {
                if let Some(v) = v {
                    context.push((k.to_string(), ContextValue::Single(v.to_string())));
                }
            };
            add("kms:ViaService", via);
            if !p.ends_with(".amazonaws.com") {
                add("aws:PrincipalOrgID", org);
            }
            add("aws:MultiFactorAuthAge", mfa);
            add("aws:SourceIp", ip);
            add("aws:SecureTransport", secure);
            add("aws:SourceAccount", src);
            let mut ec = Vec::new();
            if let Some(t) = team {
                ec.push(("Team".to_string(), t.to_string()));
            }
            if let Some(e) = extra {
                ec.push((e.to_string(), "v".to_string()));
            }
            Random {
                principal: p.to_string(),
                op,
                context,
                ec,
            }
        })
}

fn allowed(s: &Setting, r: &Random) -> bool {
    let principal = Principal::parse(&r.principal).unwrap();
    let identities: Vec<Identity> = match &principal {
        Principal::Aws(a) if a.kind != kmsplay_policy::AwsPrincipalKind::Root => vec![Identity {
            arn: principal.principal_arn().unwrap().to_string(),
            policies: vec![Some(allow_everything())],
            permissions_boundary: None,
        }],
        _ => Vec::new(),
    };
    let req = KmsRequest {
        principal: &principal,
        operation: &OPERATIONS[r.op],
        key: None,
        encryption_context: &r.ec,
        context: &r.context,
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    authorize(&s.key, &identities, &req, false).decision == Decision::Allowed
}

/// A counterexample, decided afresh from its JSON (as a file would).
fn decide_json(s: &Setting, c: &Counterexample) -> bool {
    let r = &c.request;
    let principal = Principal::parse(r["principal"].as_str().unwrap()).unwrap();
    let op = kmsplay_kms::catalogue::operation(&r["action"].as_str().unwrap()[4..]).unwrap();
    let context: Vec<(String, ContextValue)> = r["context"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::Array(xs) => ContextValue::Multi(
                            xs.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
                        ),
                        x => ContextValue::Single(x.as_str().unwrap().to_string()),
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    let ec: Vec<(String, String)> = r["encryption_context"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let identities: Vec<Identity> = c
        .identities
        .iter()
        .map(|i| Identity {
            arn: i["arn"].as_str().unwrap().to_string(),
            policies: vec![Some(allow_everything())],
            permissions_boundary: None,
        })
        .collect();
    let req = KmsRequest {
        principal: &principal,
        operation: op,
        key: r["key"].as_str(),
        encryption_context: &ec,
        context: &context,
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    authorize(&s.key, &identities, &req, false).decision == Decision::Allowed
}

proptest! {
    // Issue #18: thousands of random policy pairs, and over 100,000 random
    // requests for each law: 1,024 cases × 128 requests = 131,072.
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn pass_means_no_random_request_is_new_access(
        old in policy(),
        new in policy(),
        requests in prop::collection::vec(random_request(), 128),
    ) {
        let (o, n) = (setting(&old), setting(&new));
        let report = no_new_access(&o, &n);
        match report.result {
            Verdict::Pass => {
                for r in &requests {
                    prop_assert!(
                        !allowed(&n, r) || allowed(&o, r),
                        "Pass, but {r:?} is new access\nold {old}\nnew {new}"
                    );
                }
            }
            Verdict::Fail => {
                prop_assert!(!report.counterexamples.is_empty());
                for c in &report.counterexamples {
                    prop_assert!(decide_json(&n, c) && !decide_json(&o, c), "{c:?}");
                }
            }
            Verdict::Unknown => prop_assert!(!report.limits.is_empty()),
        }
    }

    #[test]
    fn pass_means_no_random_request_is_public(
        text in policy(),
        requests in prop::collection::vec(random_request(), 128),
    ) {
        let s = setting(&text);
        let report = no_public_access(&s);
        let public = |r: &Random| {
            let p = Principal::parse(&r.principal).unwrap();
            let sample = kmsplay_analysis::search::Sample {
                principal: p,
                operation: &OPERATIONS[r.op],
                key_ref: None,
                encryption_context: r.ec.clone(),
                context: r.context.clone(),
                grant_tokens: Vec::new(),
            };
            outside(&s, &sample) && allowed(&s, r)
        };
        match report.result {
            Verdict::Pass => {
                for r in &requests {
                    prop_assert!(!public(r), "Pass, but {r:?} is public\n{text}");
                }
            }
            Verdict::Fail => {
                for c in &report.counterexamples {
                    prop_assert!(decide_json(&s, c), "{c:?}");
                    prop_assert!(outside(&s, &c.sample));
                }
            }
            Verdict::Unknown => prop_assert!(!report.limits.is_empty()),
        }
    }
}
