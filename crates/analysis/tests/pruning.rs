//! No new access skips a caller and operation when the same statements
//! apply to them in both settings. The skip must change no answer: the
//! same check with the skip turned off (a key tag that no policy reads
//! makes the settings' surroundings differ, so every caller and operation
//! is walked) finds the same counterexamples, and its verdict differs
//! only where the walk of a skipped caller and operation would have
//! reported a limit.

use kmsplay_analysis::*;
use kmsplay_policy::{parse_text, PolicyKind};
use proptest::prelude::*;

const STATEMENTS: &[&str] = &[
    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#,
    r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:Decrypt","Resource":"*"}"#,
    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Reader"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#,
    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Reader"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"}}}"#,
    r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
    r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
    r#"{"Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"}}}"#,
    r#"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"kms:*","Resource":"*"}"#,
    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777788889999:role/path/Ops"},"Action":["kms:CreateGrant","kms:ListGrants"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}"#,
    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777788889999:role/Ops"},"Action":"kms:CreateGrant","Resource":"*"}"#,
    r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:DescribeKey","Resource":"*"}"#,
    r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/Admin"]},"Action":"kms:PutKeyPolicy","Resource":"*"}"#,
];

fn setting(statements: &[usize]) -> Setting {
    let body: Vec<&str> = statements.iter().map(|&i| STATEMENTS[i]).collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    );
    let policy = parse_text(&text, PolicyKind::Resource)
        .policy
        .expect("parses");
    Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("a key ARN")
}

/// A policy's statements, and the other's: mostly the same ones, moved
/// about, some dropped, some added.
fn pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    (
        prop::collection::vec(0..STATEMENTS.len(), 1..6),
        prop::collection::vec(0..STATEMENTS.len(), 0..3),
        prop::collection::vec(any::<bool>(), 6),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(old, extra, keep, turn)| {
            let mut new: Vec<usize> = old
                .iter()
                .zip(keep.iter().cycle())
                .filter(|(_, k)| **k)
                .map(|(s, _)| *s)
                .chain(extra)
                .collect();
            if !new.is_empty() {
                let n = turn.index(new.len());
                new.rotate_left(n);
            }
            (old, new)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn skipping_alike_callers_changes_no_answer((old, new) in pair()) {
        let (o, n) = (setting(&old), setting(&new));
        let mut walked = n.clone();
        walked.key.tags.push(("kmsplay-unread".into(), "x".into()));
        let fast = no_new_access(&o, &n);
        let full = no_new_access(&o, &walked);
        let requests = |r: &Report| -> Vec<String> {
            r.counterexamples.iter().map(|c| c.request.to_string()).collect()
        };
        prop_assert_eq!(requests(&fast), requests(&full), "old {:?} new {:?}", old, new);
        prop_assert!(fast.requests_tried <= full.requests_tried);
        prop_assert!(fast.limits.iter().all(|l| full.limits.contains(l)));
        match (fast.result, full.result) {
            (a, b) if a == b => {}
            (Verdict::Pass, Verdict::Unknown) => {
                // Only a walk's own limits may be missing.
                prop_assert!(full
                    .limits
                    .iter()
                    .filter(|l| !fast.limits.contains(l))
                    .all(|l| l.code == "combinations" || l.code == "contexts"));
            }
            (a, b) => prop_assert!(false, "{a:?} against {b:?}, old {old:?} new {new:?}"),
        }
    }

    #[test]
    fn a_policy_moved_about_is_no_new_access((old, _) in pair(), turn in any::<prop::sample::Index>()) {
        let mut moved = old.clone();
        let n = turn.index(moved.len());
        moved.rotate_left(n);
        let r = no_new_access(&setting(&old), &setting(&moved));
        prop_assert_ne!(r.result, Verdict::Fail, "{:?}", r.counterexamples);
    }
}

#[test]
fn the_skip_leaves_the_walk_to_what_changed() {
    let old = setting(&[0, 2, 6]);
    let same = no_new_access(&old, &setting(&[6, 0, 2]));
    assert_eq!(same.result, Verdict::Pass);
    assert_eq!(
        same.requests_tried, 0,
        "nothing differs, nothing is decided"
    );
    let wider = no_new_access(&old, &setting(&[0, 2, 6, 3]));
    assert_eq!(wider.result, Verdict::Fail);
    let c = &wider.counterexamples[0];
    assert!(c.request["principal"]
        .as_str()
        .is_some_and(|p| p.contains("assumed-role/Reader/")));
    assert_eq!(c.statement, Some(3));
}
