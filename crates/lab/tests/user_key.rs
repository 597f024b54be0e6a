//! A scenario run over the user's own key takes the account, Region and key
//! id from that key (issue #16, item 1).

use kmsplay_lab::scenarios::scenario;
use kmsplay_lab::user_key::{KeyOrigin, UserKey};

const ROOT_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Readers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:Decrypt","Resource":"*"},
  {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
  {"Sid":"Trail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
   "Condition":{"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"},
                "StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:eu-west-1:111111111111:trail/main"}}}]}"#;

#[test]
fn the_key_arn_gives_account_region_and_key_id() {
    let k = UserKey::find(
        Some("arn:aws:kms:ap-northeast-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        &ROOT_POLICY.replace("111111111111", "333333333333"),
    )
    .unwrap();
    assert_eq!(k.account, "333333333333");
    assert_eq!(k.region.as_deref(), Some("ap-northeast-1"));
    assert_eq!(
        k.key_id.as_deref(),
        Some("1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    assert_eq!(k.origin, KeyOrigin::KeyArn);
}

#[test]
fn without_a_key_arn_the_root_statement_names_the_account() {
    // The Readers statement names another account first; the root
    // statement (kms:* to an account root, no condition) decides.
    let k = UserKey::find(None, ROOT_POLICY).unwrap();
    assert_eq!(k.account, "111111111111");
    assert_eq!(k.origin, KeyOrigin::RootStatement);
    // The Region of an ARN of that account (wildcard Regions skipped).
    assert_eq!(k.region.as_deref(), Some("eu-west-1"));
    assert_eq!(k.key_id, None);
}

#[test]
fn a_key_arn_of_another_account_than_the_root_statement_gives_way() {
    // A policy pasted over the example file: the example's key ARN is for
    // 333333333333, the pasted policy's root statement for 111111111111.
    let k = UserKey::find(
        Some("arn:aws:kms:ap-northeast-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        ROOT_POLICY,
    )
    .unwrap();
    assert_eq!(k.account, "111111111111");
    assert_eq!(k.origin, KeyOrigin::RootStatement);
    // A policy that names no root keeps the key ARN.
    let k = UserKey::find(Some("arn:aws:kms:ap-northeast-1:333333333333:key/x"), "{}").unwrap();
    assert_eq!(k.origin, KeyOrigin::KeyArn);
}

#[test]
fn a_bare_account_id_is_a_root_principal() {
    let p = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["444455556666"]},"Action":["kms:*"],"Resource":"*"}}"#;
    assert_eq!(UserKey::find(None, p).unwrap().account, "444455556666");
}

#[test]
fn no_account_no_key() {
    let p = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:*","Resource":"*"}]}"#;
    assert_eq!(UserKey::find(None, p), None);
    assert_eq!(UserKey::find(None, "{not json"), None);
    // A role is not an account root.
    let p = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/Admin"},"Action":"kms:*","Resource":"*"}]}"#;
    assert_eq!(UserKey::find(None, p), None);
}

#[test]
fn parameters_only_for_what_the_scenario_has() {
    let k = UserKey::find(None, ROOT_POLICY).unwrap();
    let s = scenario("cloudtrail-trail").unwrap();
    let p = k.params(s);
    assert!(
        p.contains(&("key_account", "111111111111".to_string())),
        "{p:?}"
    );
    assert!(p.contains(&("region", "eu-west-1".to_string())), "{p:?}");
    assert!(!p.iter().any(|(n, _)| *n == "key_id"), "{p:?}");
}
