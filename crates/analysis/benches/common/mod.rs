//! The benchmark's key policies, shared by the criterion bench and the
//! profiling example (`examples/profile.rs`), so that both measure the
//! same input.

use kmsplay_analysis::{Setting, DEFAULT_KEY_ARN};
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

/// `policy` (from [`big_policy`]) with every encryption-context value
/// its conditions compare with changed (`team…` becomes `squad…`).
pub fn contexts_changed(policy: &str) -> String {
    policy.replace(r#":"team"#, r#":"squad"#)
}

/// The setting of a bare key policy for the default key.
pub fn setting(text: &str) -> Setting {
    let policy = parse_text(text, PolicyKind::Resource)
        .policy
        .expect("parses");
    Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("a key ARN")
}
