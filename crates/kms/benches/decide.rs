//! How long one decision takes: against a 10-statement key policy like the
//! documents', and against a key policy at KMS's 32 KB limit; and how long
//! parsing those policies takes.
//! Run: `cargo bench -p kmsplay-kms --bench decide`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kmsplay_kms::catalogue;
use kmsplay_kms::{authorize, Identity, Key, KmsRequest};
use kmsplay_policy::{parse_text, PolicyKind, Principal};

#[path = "../../../bench/fixtures.rs"]
mod fixtures;
use fixtures::{alice_identity_policy, at_limit, ten_statements, KEY_ARN};

fn bench(c: &mut Criterion) {
    assert_eq!(
        fixtures::KEY_POLICY_MAX_BYTES,
        kmsplay_policy::KEY_POLICY_MAX_BYTES
    );
    let alice = Principal::parse("arn:aws:iam::333333333333:user/Alice").unwrap();
    let ec = vec![(
        "aws:cloudtrail:arn".to_string(),
        "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default".to_string(),
    )];
    let identities = vec![Identity {
        arn: "arn:aws:iam::333333333333:user/Alice".into(),
        policies: vec![parse_text(&alice_identity_policy(), PolicyKind::Identity).policy],
        permissions_boundary: None,
    }];
    let decrypt = catalogue::operation("Decrypt").unwrap();
    for (name, text) in [("10 statements", ten_statements()), ("32 KB", at_limit())] {
        let mut key = Key::new(KEY_ARN).unwrap();
        let parsed = parse_text(&text, PolicyKind::Resource);
        assert!(!parsed.has_errors(), "{name}: {:?}", parsed.diagnostics);
        key.policy = parsed.policy;
        let req = KmsRequest {
            principal: &alice,
            operation: decrypt,
            key: None,
            encryption_context: &ec,
            context: &[],
            grant_tokens: &[],
            organization: None,
            session_policies: &[],
            vpc_endpoint: None,
        };
        assert_eq!(
            authorize(&key, &identities, &req, false).decision,
            kmsplay_kms::Decision::Allowed
        );
        c.bench_function(&format!("decide: {name} ({} bytes)", text.len()), |b| {
            b.iter(|| {
                authorize(
                    black_box(&key),
                    black_box(&identities),
                    black_box(&req),
                    false,
                )
                .decision
            })
        });
        c.bench_function(&format!("decide with trace: {name}"), |b| {
            b.iter(|| {
                authorize(
                    black_box(&key),
                    black_box(&identities),
                    black_box(&req),
                    true,
                )
                .decision
            })
        });
        c.bench_function(&format!("parse: {name}"), |b| {
            b.iter(|| {
                parse_text(black_box(&text), PolicyKind::Resource)
                    .policy
                    .is_some()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
