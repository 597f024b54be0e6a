//! The checks on small policies, including the examples of IAM Access
//! Analyzer's custom policy checks
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html>).

use kmsplay_analysis::*;
use kmsplay_policy::{parse_text, PolicyKind};

fn setting(statements: &str) -> Setting {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    let policy = parse_text(&text, PolicyKind::Resource).policy.unwrap();
    Setting::from_policy(DEFAULT_KEY_ARN, policy).unwrap()
}

const ROOT: &str = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#;

#[test]
fn a_new_account_is_new_access_and_the_counterexample_is_real() {
    let old = setting(ROOT);
    let new = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"kms:Decrypt","Resource":"*"}}"#
    ));
    let r = no_new_access(&old, &new);
    assert_eq!(r.result, Verdict::Fail);
    let c = &r.counterexamples[0];
    assert_eq!(c.request["action"], "kms:Decrypt");
    assert!(c.request["principal"]
        .as_str()
        .unwrap()
        .contains("444455556666"));
    assert_eq!(no_new_access(&new, &old).result, Verdict::Pass);
    assert_eq!(no_new_access(&new, &new).result, Verdict::Pass);
}

#[test]
fn a_narrower_condition_is_no_new_access_a_wider_one_is() {
    let narrow = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}}}}"#
    ));
    let wide = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"StringLike":{{"kms:ViaService":"s3.*.amazonaws.com"}}}}}}"#
    ));
    assert_eq!(no_new_access(&wide, &narrow).result, Verdict::Pass);
    let r = no_new_access(&narrow, &wide);
    assert_eq!(r.result, Verdict::Fail);
    let via = r.counterexamples[0].request["context"]["kms:ViaService"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(via, "s3.us-east-1.amazonaws.com");
}

#[test]
fn public_access_needs_a_caller_outside() {
    let everyone =
        setting(r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}"#);
    let r = no_public_access(&everyone);
    assert_eq!(r.result, Verdict::Fail);
    // Restricted to the organization: callers in it are not public.
    let org = setting(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
    );
    assert_eq!(no_public_access(&org).result, Verdict::Pass);
    // Restricted to the key's account by kms:CallerAccount.
    let own = setting(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
    );
    assert_eq!(no_public_access(&own).result, Verdict::Pass);
    assert_eq!(no_public_access(&setting(ROOT)).result, Verdict::Pass);
}

#[test]
fn lockout_follows_put_key_policy() {
    // The default key policy: the root delegates to IAM.
    let r = lockout(&setting(ROOT));
    assert_eq!(r.result, Verdict::Pass);
    assert!(r.witness.is_some());
    let none = setting(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}"#,
    );
    let r = lockout(&none);
    assert_eq!(r.result, Verdict::Fail);
    assert!(!r.counterexamples.is_empty());
    let admin = setting(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:PutKeyPolicy","Resource":"*"}"#,
    );
    assert_eq!(lockout(&admin).result, Verdict::Pass);
}

#[test]
fn access_not_granted_by_action_and_principal() {
    let s = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:role/Reader"}},"Action":"kms:Decrypt","Resource":"*"}}"#
    ));
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").unwrap();
    let delete = kmsplay_kms::catalogue::operation("ScheduleKeyDeletion").unwrap();
    let outsider = vec!["444455556666".to_string()];
    assert_eq!(
        access_not_granted(&s, &[decrypt], &outsider).result,
        Verdict::Fail
    );
    assert_eq!(
        access_not_granted(&s, &[delete], &outsider).result,
        Verdict::Pass
    );
    assert_eq!(access_not_granted(&s, &[delete], &[]).result, Verdict::Fail);
}

#[test]
fn a_policy_variable_makes_the_answer_unknown_not_pass() {
    let old = setting(ROOT);
    let new = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"aws:SourceAccount":"${{aws:PrincipalAccount}}"}}}}}}"#
    ));
    let r = no_new_access(&old, &new);
    assert_ne!(r.result, Verdict::Pass, "{r:?}");
}

#[test]
fn numeric_and_ip_ranges_are_exact() {
    let a = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.113.0/24"}}}}}}"#
    ));
    let b = setting(&format!(
        r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.112.0/23"}}}}}}"#
    ));
    assert_eq!(no_new_access(&b, &a).result, Verdict::Pass);
    assert_eq!(no_new_access(&a, &b).result, Verdict::Fail);
}

#[test]
fn who_can_lists_each_class_with_its_conditions() {
    let s = setting(&format!(
        r#"{ROOT},{{"Sid":"Reader","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:role/Reader"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}}}},{{"Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"kms:Decrypt","Resource":"*"}}"#
    ));
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").unwrap();
    let w = who_can(&s, decrypt);
    assert_eq!(w.result, Verdict::Pass);
    let classes: Vec<&str> = w.callers.iter().map(|c| c.class).collect();
    assert!(classes.contains(&"account-iam"), "{classes:?}");
    assert!(classes.contains(&"named"), "{classes:?}");
    assert!(classes.contains(&"service"), "{classes:?}");
    assert!(!classes.contains(&"any-account"), "{classes:?}");
    let reader = w.callers.iter().find(|c| c.class == "named").unwrap();
    assert_eq!(reader.statements[0].sid.as_deref(), Some("Reader"));
    assert_eq!(reader.statements[0].conditions[0].key, "kms:ViaService");
}

/// A caller asked about whom no policy names is tried, with the identity
/// policy its administrators could give it: `Principal: "*"` lets any
/// account decrypt, so asking about 444455556666 (or one of its users)
/// fails. (It passed when only the space's fresh account stood for the
/// accounts no policy names: the asked-about callers were not in it.)
#[test]
fn access_not_granted_asks_about_callers_no_policy_names() {
    let everyone = setting(
        r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}"#,
    );
    let decrypt = kmsplay_kms::catalogue::OPERATIONS
        .iter()
        .find(|o| o.name == "Decrypt")
        .unwrap();
    for (asked, caller) in [
        ("444455556666", "arn:aws:iam::444455556666:"),
        (
            "arn:aws:iam::444455556666:user/Bob",
            "arn:aws:iam::444455556666:user/Bob",
        ),
    ] {
        let r = access_not_granted(&everyone, &[decrypt], &[asked.to_string()]);
        assert_eq!(r.result, Verdict::Fail, "{asked}");
        for c in &r.counterexamples {
            let p = c.request["principal"].as_str().unwrap();
            assert!(p.starts_with(caller), "{asked}: {p}");
        }
    }
    // Only the key's account: nobody in 444455556666 can.
    let r = access_not_granted(&setting(ROOT), &[decrypt], &["444455556666".to_string()]);
    assert_eq!(r.result, Verdict::Pass, "{:?}", r.counterexamples);
}
