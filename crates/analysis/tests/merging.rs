//! The walk tries one value of each kind for a caller and operation:
//! values of a key (and encryption-context values of a pair name) that
//! every condition of the policies taking part treats alike. Merging must
//! lose no answer: for random policies, every caller and operation of the
//! space gets the same set of engine answers (decision and the sources
//! that allow) from the merged walk as from the walk of every value (the
//! keys given as read by the check itself are never merged).

use kmsplay_analysis::search::{narrow, walk, Coverage, Prepared};
use kmsplay_analysis::space::Space;
use kmsplay_analysis::*;
use kmsplay_policy::{parse_text, PolicyKind};
use proptest::prelude::*;
use std::collections::BTreeSet;

const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"444455556666"}"#,
    r#"{"AWS":"arn:aws:iam::444455556666:role/Reader"}"#,
    r#"{"Service":"cloudtrail.amazonaws.com"}"#,
];
const ACTIONS: &[&str] = &[
    r#""kms:*""#,
    r#""kms:Decrypt""#,
    r#"["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey"]"#,
    r#""kms:CreateGrant""#,
];
const CONDITIONS: &[&str] = &[
    "",
    r#","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}"#,
    r#","Condition":{"StringEquals":{"kms:ViaService":["s3.us-east-1.amazonaws.com","ec2.us-east-1.amazonaws.com"]}}"#,
    r#","Condition":{"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"}}"#,
    r#","Condition":{"StringNotEqualsIfExists":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"}}"#,
    r#","Condition":{"StringEquals":{"kms:EncryptionContext:Team":"blue"}}"#,
    r#","Condition":{"StringEquals":{"kms:EncryptionContext:Team":"red"}}"#,
    r#","Condition":{"StringLike":{"kms:EncryptionContext:Team":"r*"}}"#,
    r#","Condition":{"StringEqualsIgnoreCase":{"kms:EncryptionContext:team":"BLUE"}}"#,
    r#","Condition":{"Null":{"kms:EncryptionContext:Team":"false"}}"#,
    r#","Condition":{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["Team","Dept"]}}"#,
    r#","Condition":{"StringEquals":{"kms:EncryptionContext:Dept":"d1"}}"#,
    r#","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#,
    r#","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"60"}}"#,
    r#","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}"#,
    r#","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/25"}}"#,
    r#","Condition":{"StringEquals":{"aws:SourceAccount":["111122223333","444455556666"]}}"#,
    r#","Condition":{"ForAllValues:StringLike":{"kms:GrantOperations":["Decrypt","Encrypt*"]}}"#,
    r#","Condition":{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}"#,
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

fn setting(statements: &[String]) -> Setting {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let policy = parse_text(&text, PolicyKind::Resource)
        .policy
        .expect("parses");
    Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("a key ARN")
}

/// Every engine answer the walk of `principal` and `operation` sees.
fn answers(
    space: &Space,
    s: &Setting,
    prepared: &Prepared<'_>,
    principal: &kmsplay_policy::Principal,
    op: &'static kmsplay_kms::catalogue::Operation,
    check_reads: &[&str],
) -> BTreeSet<String> {
    let narrowed = narrow(prepared, principal, op);
    let mut out = BTreeSet::new();
    let mut coverage = Coverage::default();
    walk(
        space,
        &[s],
        &narrowed.policies(),
        principal,
        op,
        check_reads,
        &mut coverage,
        &mut |sample| {
            let a = narrowed.authorize(sample);
            out.insert(format!("{:?} {:?}", a.decision, a.allowed_by));
            true
        },
    );
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn merged_values_lose_no_answer(statements in prop::collection::vec(statement(), 1..6)) {
        let s = setting(&statements);
        let space = Space::new(&[&s]);
        let prepared = Prepared::new(&s, &space);
        // Every key of the space, and the encryption context, read by
        // "the check": nothing merged.
        let mut every: Vec<&str> = space.domains.keys().map(String::as_str).collect();
        every.push("kms:encryptioncontext:");
        for principal in &space.principals {
            for &op in &space.operations {
                let merged = answers(&space, &s, &prepared, principal, op, &[]);
                let all = answers(&space, &s, &prepared, principal, op, &every);
                prop_assert_eq!(
                    &merged,
                    &all,
                    "{:?} kms:{}\n{}",
                    principal,
                    op.name,
                    statements.join(",\n")
                );
            }
        }
    }
}

#[test]
fn merging_tries_fewer_requests_with_the_same_verdict() {
    // Many readers, each with its own team: for one reader, the other
    // teams' values are alike.
    let statements: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:role/R{i}"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"kms:EncryptionContext:Team":"t{i}"}}}}}}"#
            )
        })
        .collect();
    let old = setting(&statements);
    let mut wider = statements.clone();
    wider[3] = wider[3].replace(r#""t3""#, r#"["t3","t4"]"#);
    let new = setting(&wider);
    let r = no_new_access(&old, &new);
    assert_eq!(r.result, Verdict::Fail);
    let c = &r.counterexamples[0];
    assert!(c.request["principal"].as_str().unwrap().contains("role/R3"));
    assert_eq!(c.request["encryption_context"]["Team"], "t4");
    // R3 and Decrypt: Team absent, t3, t4 and one other value, with and
    // without the fresh name beside it; not each of the twelve teams.
    assert!(r.requests_tried < 20, "{}", r.requests_tried);
    assert_eq!(no_new_access(&new, &old).result, Verdict::Pass);
}
