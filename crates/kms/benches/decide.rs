//! How long one decision takes: against a 10-statement key policy like the
//! documents', and against a key policy at KMS's 32 KB limit.
//! Run: `cargo bench -p kmsplay-kms --bench decide`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kmsplay_kms::catalogue;
use kmsplay_kms::{authorize, Identity, Key, KmsRequest};
use kmsplay_policy::{parse_text, PolicyKind, Principal};

const KEY_ARN: &str = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// Ten statements in the shape of the CloudTrail document's policy.
fn ten_statements() -> String {
    let mut s = Vec::new();
    s.push(r#"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}"#.to_string());
    s.push(r#"{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}}"#.to_string());
    s.push(r#"{"Sid":"Allow CloudTrail to describe key","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"}}}"#.to_string());
    for i in 0..6 {
        s.push(format!(r#"{{"Sid":"Allow principals in the account to decrypt log files {i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::22222222222{i}:root"}},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*","Condition":{{"StringEquals":{{"kms:CallerAccount":"22222222222{i}"}},"StringLike":{{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}}}}}"#));
    }
    s.push(r#"{"Sid":"Enable cross account log decryption","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"kms:Decrypt","Resource":"*","Condition":{"Null":{"kms:EncryptionContext:aws:cloudtrail:arn":"false"}}}"#.to_string());
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        s.join(",")
    )
}

/// Statements repeated until the policy is just under 32 KB.
fn at_limit() -> String {
    let one = r#"{"Sid":"Reader NNNN","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:user/readerNNNN"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-west-2.amazonaws.com"},"Null":{"kms:EncryptionContext:aws:cloudtrail:arn":"false"}}}"#;
    let mut stmts = vec![ten_statements()
        .trim_start_matches(r#"{"Version":"2012-10-17","Statement":["#)
        .trim_end_matches("]}")
        .to_string()];
    let mut i = 0;
    loop {
        let next = one.replace("NNNN", &format!("{i:04}"));
        let candidate = format!(
            r#"{{"Version":"2012-10-17","Statement":[{},{}]}}"#,
            stmts.join(","),
            next
        );
        if candidate.len() > kmsplay_policy::KEY_POLICY_MAX_BYTES {
            break;
        }
        stmts.push(next);
        i += 1;
    }
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        stmts.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let alice = Principal::parse("arn:aws:iam::333333333333:user/Alice").unwrap();
    let ec = vec![(
        "aws:cloudtrail:arn".to_string(),
        "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default".to_string(),
    )];
    let identities = vec![Identity {
        arn: "arn:aws:iam::333333333333:user/Alice".into(),
        policies: vec![parse_text(
            &format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{KEY_ARN}"}}]}}"#),
            PolicyKind::Identity,
        )
        .policy],
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
