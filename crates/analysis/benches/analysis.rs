//! A no-new-access check of two 32 KB key policies (the issue's figure:
//! at most 10 ms natively), and the other checks on the same policy.
//! `cargo bench -p kmsplay-analysis`.

use criterion::{criterion_group, criterion_main, Criterion};
use kmsplay_analysis::{
    lockout, no_new_access, no_public_access, who_can, Setting, DEFAULT_KEY_ARN,
};
use kmsplay_policy::{parse_text, PolicyKind};

/// A key policy of about `bytes` bytes: the default root statement, then
/// statements for roles of a few accounts, with conditions of the usual
/// kinds; `extra` adds one more grant at the end.
pub fn big_policy(bytes: usize, extra: bool) -> String {
    let mut statements = vec![
        r#"{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#.to_string(),
    ];
    let mut i = 0;
    while statements.iter().map(String::len).sum::<usize>() < bytes - 900 {
        let account = ["111122223333", "444455556666", "777788889999"][i % 3];
        let st = match i % 4 {
            0 => format!(
                r#"{{"Sid":"Use{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:role/App{i}"}},"Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}}}}"#
            ),
            1 => format!(
                r#"{{"Sid":"Ctx{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:role/Svc{i}"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"kms:EncryptionContext:Team":"team{i}"}}}}}}"#
            ),
            2 => format!(
                r#"{{"Sid":"Grant{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:role/Ops{i}"}},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{{"Bool":{{"kms:GrantIsForAWSResource":"true"}}}}}}"#
            ),
            _ => format!(
                r#"{{"Sid":"Deny{i}","Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{{"StringNotEquals":{{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin{i}"}}}}}}"#
            ),
        };
        statements.push(st);
        i += 1;
    }
    if extra {
        statements.push(r#"{"Sid":"New","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Newcomer"},"Action":"kms:Decrypt","Resource":"*"}"#.to_string());
    }
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn setting(text: &str) -> Setting {
    let policy = parse_text(text, PolicyKind::Resource)
        .policy
        .expect("parses");
    Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("a key ARN")
}

fn bench(c: &mut Criterion) {
    let old_text = big_policy(32 * 1024, false);
    let new_text = big_policy(32 * 1024, true);
    assert!(old_text.len() <= 32 * 1024 && new_text.len() <= 32 * 1024);
    let (old, new) = (setting(&old_text), setting(&new_text));
    let report = no_new_access(&old, &new);
    eprintln!(
        "no-new-access of {} B and {} B: {:?}, {} requests decided",
        old_text.len(),
        new_text.len(),
        report.result,
        report.requests_tried
    );
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").expect("Decrypt");
    for (name, r) in [
        ("no-public-access", no_public_access(&new)),
        ("lockout", lockout(&new)),
    ] {
        eprintln!(
            "{name}: {:?}, {} requests decided",
            r.result, r.requests_tried
        );
    }
    let w = who_can(&new, decrypt);
    eprintln!(
        "who-can kms:Decrypt: {:?}, {} classes",
        w.result,
        w.callers.len()
    );
    c.bench_function("no_new_access_32k", |b| {
        b.iter(|| no_new_access(&old, &new))
    });
    c.bench_function("space_32k", |b| {
        b.iter(|| kmsplay_analysis::space::Space::new(&[&old, &new]))
    });
    c.bench_function("no_new_access_32k_same", |b| {
        b.iter(|| no_new_access(&old, &old))
    });
    // The single-policy checks on the larger of the two policies, so that
    // a speed-up of the shared walk is seen to help (or not hurt) them.
    c.bench_function("no_public_access_32k", |b| {
        b.iter(|| no_public_access(&new))
    });
    c.bench_function("who_can_decrypt_32k", |b| b.iter(|| who_can(&new, decrypt)));
    c.bench_function("lockout_32k", |b| b.iter(|| lockout(&new)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
