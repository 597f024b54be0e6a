//! The benchmarks' synthetic key policies, shared by the criterion benches
//! of several crates (`#[path = "../../../bench/fixtures.rs"] mod fixtures;`)
//! and mirrored by `bench/node/policies.mjs` for the Node comparison.
#![allow(dead_code)]

/// The key every benchmark request is for.
pub const KEY_ARN: &str =
    "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// KMS's limit on a key policy's size.
pub const KEY_POLICY_MAX_BYTES: usize = 32 * 1024;

/// Ten statements in the shape of the CloudTrail document's policy
/// (3.2 KB): root delegation, CloudTrail's encrypt and describe, six
/// readers' accounts with conditions, one cross-account reader.
pub fn ten_statements() -> String {
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

/// The ten statements, then readers' statements until the policy is just
/// under KMS's 32 KB limit (131 statements).
pub fn at_limit() -> String {
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
        if candidate.len() > KEY_POLICY_MAX_BYTES {
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

/// Alice's IAM policy (account 333333333333): Decrypt on the key.
pub fn alice_identity_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{KEY_ARN}"}}]}}"#
    )
}

/// The benchmarks' request: Alice, from another account, decrypts a
/// CloudTrail log file (its encryption context names the trail).
pub const ALICE_REQUEST: &str = r#"{"name":"Alice reads a trail log file","principal":"arn:aws:iam::333333333333:user/Alice","action":"kms:Decrypt","encryption_context":{"aws:cloudtrail:arn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"}}"#;

/// A playground file with `policy` as the key policy, Alice's identity and
/// her request.
pub fn playground_file(policy: &str) -> String {
    format!(
        r#"{{"version":1,"key":{{"arn":"{KEY_ARN}","policy":{policy}}},"identities":[{{"arn":"arn:aws:iam::333333333333:user/Alice","policies":[{}]}}],"requests":[{ALICE_REQUEST}]}}"#,
        alice_identity_policy()
    )
}
