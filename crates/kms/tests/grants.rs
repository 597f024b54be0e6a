//! The grant workflow: CreateGrant, RetireGrant, RevokeGrant, ListGrants,
//! eventual consistency and grant tokens, idempotent names, delegation from
//! a grant, the per-key quota. AWS pages beside each test.

use kmsplay_kms::catalogue::{self, KeyState, KeyUsage, Operation};
use kmsplay_kms::grants::{
    at_least_as_strict, create_grant_parameters, list_grants_json, CreateGrantRequest,
    CreatedGrant, EndGrantRequest, GrantFailure, GrantRef, KeyService, CONSISTENCY_SECONDS,
    GRANTS_PER_KEY,
};
use kmsplay_kms::lifecycle::Time;
use kmsplay_kms::records::{self, Call, Json};
use kmsplay_kms::{Decision, GrantConstraint, Identity, Key, KmsRequest, Outcome};
use kmsplay_policy::{parse_text, ContextValue, PolicyKind, Principal};

const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROOT: &str = "arn:aws:iam::111122223333:root";
const ADMIN: &str = "arn:aws:iam::111122223333:role/adminRole";
const BOB: &str = "arn:aws:iam::111122223333:user/Bob";
const CAROL: &str = "arn:aws:iam::111122223333:user/Carol";
const EVE: &str = "arn:aws:iam::111122223333:user/Eve";
const ALICE: &str = "arn:aws:iam::222222222222:user/Alice";

fn t0() -> Time {
    Time::DEFAULT
}

fn op(name: &str) -> &'static Operation {
    catalogue::operation(name).unwrap()
}

fn ops(names: &[&str]) -> Vec<&'static Operation> {
    names.iter().map(|n| op(n)).collect()
}

fn p(arn: &str) -> Principal {
    Principal::parse(arn).unwrap()
}

fn pairs(kv: &[(&str, &str)]) -> Vec<(String, String)> {
    kv.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The default key policy's root statement, plus an administrator who may
/// create, revoke and list grants (`key-policy-default.html`).
fn policy(extra: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[
        {{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"{ROOT}"}},"Action":"kms:*","Resource":"*"}},
        {{"Sid":"Admin","Effect":"Allow","Principal":{{"AWS":"{ADMIN}"}},"Action":["kms:CreateGrant","kms:RevokeGrant","kms:ListGrants"],"Resource":"*"}}
        {extra}]}}"#
    )
}

fn key_with(policy_text: &str) -> Key {
    let mut key = Key::new(KEY).unwrap();
    key.policy = parse_text(policy_text, PolicyKind::Resource).policy;
    assert!(key.policy.is_some(), "test policy parses");
    key
}

fn identity(arn: &str, policy_text: &str) -> Identity {
    Identity {
        arn: arn.into(),
        policies: vec![parse_text(policy_text, PolicyKind::Identity).policy],
        permissions_boundary: None,
    }
}

fn service() -> KeyService {
    KeyService::new(key_with(&policy("")), Vec::new(), t0())
}

fn create(grantee: &str, names: &[&str]) -> CreateGrantRequest {
    CreateGrantRequest {
        principal: p(ADMIN),
        key: None,
        grantee: grantee.into(),
        operations: ops(names),
        constraint: None,
        retiring_principal: None,
        name: None,
        grant_tokens: Vec::new(),
        context: Vec::new(),
    }
}

fn decide(
    s: &mut KeyService,
    who: &str,
    operation: &str,
    ec: &[(&str, &str)],
    tokens: &[String],
    at: Time,
) -> (Decision, Outcome) {
    let principal = p(who);
    let ec = pairs(ec);
    let req = KmsRequest {
        principal: &principal,
        operation: op(operation),
        key: None,
        encryption_context: &ec,
        context: &[],
        grant_tokens: tokens,
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    let a = s.decide(&req, at, false);
    (a.decision, a.outcome)
}

fn ok(r: Result<CreatedGrant, GrantFailure>) -> CreatedGrant {
    match r {
        Ok(c) => c,
        Err(f) => panic!("{} {} {:?}", f.exception, f.code, f.params),
    }
}

fn fails(r: Result<CreatedGrant, GrantFailure>) -> GrantFailure {
    match r {
        Ok(c) => panic!("unexpectedly created {}", c.grant_id),
        Err(f) => f,
    }
}

fn end(who: &str, grant: GrantRef) -> EndGrantRequest {
    EndGrantRequest {
        principal: p(who),
        key: None,
        grant,
        context: Vec::new(),
    }
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
// (returns GrantId and GrantToken);
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-eventual-consistency
// (a new grant takes effect within about five minutes; its token makes it
// usable at once)
#[test]
fn a_new_grant_is_pending_and_usable_at_once_only_with_its_token() {
    let mut s = service();
    let c = ok(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    assert_eq!(c.grant_id.len(), 64);
    assert!(c.grant_id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!c.retry);
    assert_eq!(c.via_grant, None);
    assert!(c.grant_token.len() >= 64, "a base64 token");

    let soon = t0().plus_seconds(10);
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &[], soon),
        (Decision::ImplicitDeny, Outcome::AccessDenied)
    );
    let token = vec![c.grant_token.clone()];
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &token, soon),
        (Decision::Allowed, Outcome::Success)
    );
    // After the consistency delay, no token is needed.
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &[], later),
        (Decision::Allowed, Outcome::Success)
    );
    // The grant allows only its operations.
    assert_eq!(
        decide(&mut s, BOB, "Encrypt", &[], &[], later).0,
        Decision::ImplicitDeny
    );
}

// CreateGrant is authorized like any request (grant-authorization.html):
// no permission → AccessDeniedException; a Deny wins.
#[test]
fn create_grant_needs_kms_create_grant() {
    let mut s = service();
    let mut req = create(BOB, &["Decrypt"]);
    req.principal = p(EVE);
    let f = fails(s.create_grant(&req, t0()));
    assert_eq!(f.exception, "AccessDeniedException");
    assert_eq!(f.code, "grant.error.access-denied");
    assert_eq!(f.authorization.unwrap().decision, Decision::ImplicitDeny);

    let deny = r#",{"Effect":"Deny","Principal":"*","Action":"kms:CreateGrant","Resource":"*"}"#;
    let mut s = KeyService::new(key_with(&policy(deny)), Vec::new(), t0());
    let f = fails(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    assert_eq!(f.authorization.unwrap().decision, Decision::ExplicitDeny);
}

// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
// (kms:GrantOperations, kms:GranteePrincipal, kms:RetiringPrincipal,
// kms:GrantIsForAWSResource, kms:GrantConstraintType on CreateGrant)
#[test]
fn create_grant_fills_the_grant_condition_keys() {
    let extra = format!(
        r#",{{"Sid":"Scoped","Effect":"Allow","Principal":{{"AWS":"{CAROL}"}},"Action":"kms:CreateGrant","Resource":"*",
        "Condition":{{"ForAllValues:StringEquals":{{"kms:GrantOperations":["Decrypt","Encrypt"]}},
                     "StringEquals":{{"kms:GranteePrincipal":"{BOB}","kms:RetiringPrincipal":"{ADMIN}","kms:GrantConstraintType":"EncryptionContextSubset"}}}}}},
        {{"Sid":"ForAWS","Effect":"Allow","Principal":{{"AWS":"{EVE}"}},"Action":"kms:CreateGrant","Resource":"*",
        "Condition":{{"Bool":{{"kms:GrantIsForAWSResource":"true"}}}}}}"#
    );
    let mut s = KeyService::new(key_with(&policy(&extra)), Vec::new(), t0());
    let base = |names: &[&str]| CreateGrantRequest {
        principal: p(CAROL),
        retiring_principal: Some(ADMIN.into()),
        constraint: Some(GrantConstraint::Subset(pairs(&[("Department", "IT")]))),
        ..create(BOB, names)
    };
    ok(s.create_grant(&base(&["Decrypt"]), t0()));
    ok(s.create_grant(&base(&["Decrypt", "Encrypt"]), t0()));
    assert_eq!(
        fails(s.create_grant(&base(&["Decrypt", "ReEncryptFrom"]), t0())).exception,
        "AccessDeniedException"
    );
    let other_grantee = CreateGrantRequest {
        grantee: CAROL.into(),
        ..base(&["Decrypt"])
    };
    assert_eq!(
        fails(s.create_grant(&other_grantee, t0())).exception,
        "AccessDeniedException"
    );
    let no_retiring = CreateGrantRequest {
        retiring_principal: None,
        ..base(&["Decrypt"])
    };
    assert_eq!(
        fails(s.create_grant(&no_retiring, t0())).exception,
        "AccessDeniedException"
    );
    let equals = CreateGrantRequest {
        constraint: Some(GrantConstraint::Equals(pairs(&[("Department", "IT")]))),
        ..base(&["Decrypt"])
    };
    assert_eq!(
        fails(s.create_grant(&equals, t0())).exception,
        "AccessDeniedException"
    );

    // kms:GrantIsForAWSResource is true only when a service calls for the caller.
    let eve = CreateGrantRequest {
        principal: p(EVE),
        ..create(BOB, &["Decrypt"])
    };
    assert_eq!(
        fails(s.create_grant(&eve, t0())).exception,
        "AccessDeniedException"
    );
    let via = CreateGrantRequest {
        context: vec![(
            "kms:ViaService".into(),
            ContextValue::Single("ebs.us-west-2.amazonaws.com".into()),
        )],
        ..eve
    };
    ok(s.create_grant(&via, t0()));
}

// grants.html "Grants for symmetric and asymmetric KMS keys" (seed 003):
// a grant cannot allow an operation the key does not support
// (ValidationError); encryption context constraints only for symmetric
// encryption keys (create-grant-overview.html#grant-constraints).
#[test]
fn grants_for_operations_the_key_cannot_do_are_validation_errors() {
    let mut s = service();
    for bad in ["Sign", "Verify", "GetPublicKey", "GenerateMac"] {
        let f = fails(s.create_grant(&create(BOB, &[bad]), t0()));
        assert_eq!(
            (f.exception, f.code),
            ("ValidationError", "grant.error.unsupported-operation"),
            "{bad}"
        );
    }
    let f = fails(s.create_grant(&create(BOB, &["ScheduleKeyDeletion"]), t0()));
    assert_eq!(
        (f.exception, f.code),
        ("ValidationError", "grant.error.not-grant-operation")
    );
    let f = fails(s.create_grant(&create(BOB, &[]), t0()));
    assert_eq!(f.code, "grant.error.no-operations");
    let f = fails(s.create_grant(&create("cloudtrail.amazonaws.com", &["Decrypt"]), t0()));
    assert_eq!(
        (f.exception, f.code),
        ("ValidationError", "grant.error.invalid-grantee")
    );

    // An RSA signing key: no encryption, no data keys, no constraints.
    let mut key = key_with(&policy(""));
    key.spec = catalogue::key_spec("RSA_2048").unwrap();
    key.usage = KeyUsage::SignVerify;
    let mut s = KeyService::new(key, Vec::new(), t0());
    for bad in [
        "Encrypt",
        "Decrypt",
        "GenerateDataKey",
        "GenerateDataKeyPair",
    ] {
        assert_eq!(
            fails(s.create_grant(&create(BOB, &[bad]), t0())).exception,
            "ValidationError",
            "{bad}"
        );
    }
    ok(s.create_grant(
        &create(BOB, &["Sign", "Verify", "GetPublicKey", "DescribeKey"]),
        t0(),
    ));
    let constrained = CreateGrantRequest {
        constraint: Some(GrantConstraint::Subset(pairs(&[("a", "b")]))),
        ..create(BOB, &["Sign"])
    };
    let f = fails(s.create_grant(&constrained, t0()));
    assert_eq!(
        (f.exception, f.code),
        ("ValidationError", "grant.error.constraint-not-symmetric")
    );

    // An RSA encryption key: encryption yes, signing and data keys no.
    let mut key = key_with(&policy(""));
    key.spec = catalogue::key_spec("RSA_2048").unwrap();
    key.usage = KeyUsage::EncryptDecrypt;
    let mut s = KeyService::new(key, Vec::new(), t0());
    ok(s.create_grant(&create(BOB, &["Encrypt", "Decrypt"]), t0()));
    for bad in ["Sign", "GenerateDataKey"] {
        assert_eq!(
            fails(s.create_grant(&create(BOB, &[bad]), t0())).exception,
            "ValidationError",
            "{bad}"
        );
    }
}

// create-grant-overview.html#grant-creategrant: a grantee with CreateGrant
// from a grant may delegate only operations of that grant, with
// constraints at least as strict.
#[test]
fn a_grant_can_only_delegate_what_it_allows() {
    let mut s = service();
    let parent = ok(s.create_grant(
        &CreateGrantRequest {
            constraint: Some(GrantConstraint::Subset(pairs(&[("Department", "IT")]))),
            ..create(BOB, &["GenerateDataKey", "Decrypt", "CreateGrant"])
        },
        t0(),
    ));
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    let from_bob = |names: &[&str], constraint: Option<GrantConstraint>| CreateGrantRequest {
        principal: p(BOB),
        constraint,
        ..create(CAROL, names)
    };
    // A subset of the operations, the pairs kept and one added: allowed.
    let child = ok(s.create_grant(
        &from_bob(
            &["Decrypt", "CreateGrant"],
            Some(GrantConstraint::Subset(pairs(&[
                ("Department", "IT"),
                ("Purpose", "Test"),
            ]))),
        ),
        later,
    ));
    assert_eq!(child.via_grant.as_deref(), Some(parent.grant_id.as_str()));
    // Subset may become Equals.
    ok(s.create_grant(
        &from_bob(
            &["Decrypt"],
            Some(GrantConstraint::Equals(pairs(&[("Department", "IT")]))),
        ),
        later,
    ));
    // An operation the parent lacks: denied.
    let f = fails(s.create_grant(
        &from_bob(
            &["Decrypt", "ReEncryptFrom"],
            Some(GrantConstraint::Subset(pairs(&[("Department", "IT")]))),
        ),
        later,
    ));
    assert_eq!(
        (f.exception, f.code),
        ("AccessDeniedException", "grant.error.delegation-operations")
    );
    assert_eq!(
        f.params,
        vec![
            ("grant", parent.grant_id.clone()),
            ("operations", "ReEncryptFrom".into())
        ]
    );
    // Dropping the constraint, or changing the pair: denied.
    let f = fails(s.create_grant(&from_bob(&["Decrypt"], None), later));
    assert_eq!(f.code, "grant.error.delegation-constraint");
    let f = fails(s.create_grant(
        &from_bob(
            &["Decrypt"],
            Some(GrantConstraint::Subset(pairs(&[("Department", "HR")]))),
        ),
        later,
    ));
    assert_eq!(f.code, "grant.error.delegation-constraint");
    // Before the parent is consistent, Bob needs its token.
    let mut s2 = service();
    let parent2 = ok(s2.create_grant(&create(BOB, &["Decrypt", "CreateGrant"]), t0()));
    assert_eq!(
        fails(s2.create_grant(&from_bob(&["Decrypt"], None), t0())).exception,
        "AccessDeniedException"
    );
    let with_token = CreateGrantRequest {
        grant_tokens: vec![parent2.grant_token.clone()],
        ..from_bob(&["Decrypt"], None)
    };
    assert_eq!(
        ok(s2.create_grant(&with_token, t0())).via_grant,
        Some(parent2.grant_id)
    );
    // The child grant works for Carol.
    assert_eq!(
        decide(
            &mut s,
            CAROL,
            "Decrypt",
            &[("Department", "IT"), ("Purpose", "Test")],
            &[],
            later.plus_seconds(CONSISTENCY_SECONDS)
        )
        .0,
        Decision::Allowed
    );
}

// "The child grant can change an EncryptionContextSubset constraint to an
// EncryptionContextEquals constraint, but not the reverse"
// (create-grant-overview.html#grant-creategrant).
#[test]
fn constraint_strictness() {
    let sub = |kv: &[(&str, &str)]| Some(GrantConstraint::Subset(pairs(kv)));
    let eq = |kv: &[(&str, &str)]| Some(GrantConstraint::Equals(pairs(kv)));
    let it = [("Department", "IT")];
    let more = [("Department", "IT"), ("Purpose", "Test")];
    assert!(at_least_as_strict(&None, &None));
    assert!(at_least_as_strict(&None, &sub(&it)));
    assert!(!at_least_as_strict(&sub(&it), &None));
    assert!(at_least_as_strict(&sub(&it), &sub(&more)));
    assert!(!at_least_as_strict(&sub(&more), &sub(&it)));
    assert!(at_least_as_strict(&sub(&it), &eq(&more)));
    assert!(at_least_as_strict(&eq(&it), &eq(&it)));
    assert!(!at_least_as_strict(&eq(&it), &eq(&more)));
    assert!(!at_least_as_strict(&eq(&it), &sub(&it)));
    // Case-sensitive.
    assert!(!at_least_as_strict(
        &sub(&it),
        &sub(&[("Department", "it")])
    ));
}

// API_CreateGrant.html, Name: "you can retry a CreateGrant request with
// identical parameters; if the grant already exists, the original GrantId
// is returned … the returned grant token is unique with every CreateGrant
// request … All grant tokens for the same grant ID can be used
// interchangeably."
#[test]
fn a_name_makes_retries_idempotent() {
    let mut s = service();
    let named = CreateGrantRequest {
        name: Some("bob-decrypt".into()),
        ..create(BOB, &["Decrypt", "Encrypt"])
    };
    let first = ok(s.create_grant(&named, t0()));
    let retry = ok(s.create_grant(
        &CreateGrantRequest {
            operations: ops(&["Encrypt", "Decrypt"]),
            ..named.clone()
        },
        t0().plus_seconds(5),
    ));
    assert!(retry.retry);
    assert_eq!(retry.grant_id, first.grant_id);
    assert_ne!(retry.grant_token, first.grant_token);
    assert_eq!(s.active().count(), 1);
    // Either token works while the grant is pending.
    for token in [&first.grant_token, &retry.grant_token] {
        assert_eq!(
            decide(
                &mut s,
                BOB,
                "Decrypt",
                &[],
                std::slice::from_ref(token),
                t0().plus_seconds(6)
            )
            .0,
            Decision::Allowed
        );
    }
    // Same name, other parameters: a new grant.
    let other = ok(s.create_grant(
        &CreateGrantRequest {
            grantee: CAROL.into(),
            ..named.clone()
        },
        t0(),
    ));
    assert_ne!(other.grant_id, first.grant_id);
    // No name: every call creates a grant.
    let a = ok(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    let b = ok(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    assert_ne!(a.grant_id, b.grant_id);
    assert_eq!(s.active().count(), 4);
}

// resource-limits.html: "Grants per KMS key: 50,000"; over it,
// LimitExceededException. Tested with a smaller injected limit.
#[test]
fn the_grant_quota_is_enforced() {
    assert_eq!(GRANTS_PER_KEY, 50_000);
    assert_eq!(service().grant_limit, GRANTS_PER_KEY);
    let mut s = service().with_limit(2);
    let a = ok(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    ok(s.create_grant(&create(BOB, &["Encrypt"]), t0()));
    let f = fails(s.create_grant(&create(BOB, &["DescribeKey"]), t0()));
    assert_eq!(
        (f.exception, f.code),
        ("LimitExceededException", "grant.error.limit")
    );
    assert_eq!(f.params, vec![("limit", "2".into())]);
    // A retry of an existing named grant does not count; a retired grant frees a place.
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    s.revoke_grant(&end(ADMIN, GrantRef::Id(a.grant_id)), later)
        .unwrap();
    ok(s.create_grant(&create(BOB, &["DescribeKey"]), later));
}

// grant-delete.html: RetireGrant by the retiring principal, by the grantee
// if the grant includes RetireGrant, by the account the grant was created
// in; IAM principals it delegates kms:RetireGrant to; kms:RetireGrant in a
// key policy has no effect; a Deny in an IAM policy stops it.
#[test]
fn who_may_retire_a_grant() {
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    let retire =
        |who: &str, ops_: &[&str], retiring: Option<&str>, ids: Vec<Identity>, extra: &str| {
            let mut s = KeyService::new(key_with(&policy(extra)), ids, t0());
            let c = ok(s.create_grant(
                &CreateGrantRequest {
                    retiring_principal: retiring.map(str::to_string),
                    ..create(BOB, ops_)
                },
                t0(),
            ));
            s.retire_grant(&end(who, GrantRef::Id(c.grant_id)), later)
                .map(|e| e.authority)
                .map_err(|f| f.code)
        };
    assert_eq!(
        retire(ADMIN, &["Decrypt"], Some(ADMIN), vec![], ""),
        Ok("retiring-principal")
    );
    assert_eq!(
        retire(BOB, &["Decrypt", "RetireGrant"], None, vec![], ""),
        Ok("grantee")
    );
    assert_eq!(
        retire(BOB, &["Decrypt"], None, vec![], ""),
        Err("grant.error.retire-not-allowed")
    );
    assert_eq!(
        retire(ROOT, &["Decrypt"], None, vec![], ""),
        Ok("issuing-account")
    );
    assert_eq!(
        retire(EVE, &["Decrypt"], None, vec![], ""),
        Err("grant.error.retire-not-allowed")
    );
    let allow_retire = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:RetireGrant","Resource":"*"}]}"#;
    assert_eq!(
        retire(
            EVE,
            &["Decrypt"],
            None,
            vec![identity(EVE, allow_retire)],
            ""
        ),
        Ok("delegated")
    );
    // Another account's user with the same IAM policy is not the key's account.
    assert_eq!(
        retire(
            ALICE,
            &["Decrypt"],
            None,
            vec![identity(ALICE, allow_retire)],
            ""
        ),
        Err("grant.error.retire-not-allowed")
    );
    // A key-policy statement does not let Eve retire.
    let kp = format!(
        r#",{{"Effect":"Allow","Principal":{{"AWS":"{EVE}"}},"Action":"kms:RetireGrant","Resource":"*"}}"#
    );
    assert_eq!(
        retire(EVE, &["Decrypt"], None, vec![], &kp),
        Err("grant.error.retire-not-allowed")
    );
    // An IAM Deny stops even the retiring principal.
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:RetireGrant","Resource":"*"}]}"#;
    assert_eq!(
        retire(
            ADMIN,
            &["Decrypt"],
            Some(ADMIN),
            vec![identity(ADMIN, deny)],
            ""
        ),
        Err("grant.error.retire-denied")
    );
    // A retiring principal that is an account: its IAM principals with kms:RetireGrant.
    assert_eq!(
        retire(
            ALICE,
            &["Decrypt"],
            Some("arn:aws:iam::222222222222:root"),
            vec![identity(ALICE, allow_retire)],
            ""
        ),
        Ok("delegated")
    );
}

// grants.html#terms-eventual-consistency: "the grantee principal might be
// able to use its permissions for a brief period" after a retire or revoke;
// ListGrants no longer shows it.
#[test]
fn a_retired_grant_works_until_consistent() {
    let mut s = service();
    let c = ok(s.create_grant(
        &CreateGrantRequest {
            retiring_principal: Some(ADMIN.into()),
            ..create(BOB, &["Decrypt"])
        },
        t0(),
    ));
    let t1 = t0().plus_seconds(CONSISTENCY_SECONDS);
    let e = s
        .retire_grant(&end(ADMIN, GrantRef::Id(c.grant_id.clone())), t1)
        .unwrap();
    assert_eq!(e.effective_until, t1.plus_seconds(CONSISTENCY_SECONDS));
    assert!(s.grant_list(t1).is_empty());
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &[], t1.plus_seconds(1)).0,
        Decision::Allowed
    );
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &[], e.effective_until).0,
        Decision::ImplicitDeny
    );
    // Gone: retiring again finds nothing.
    let f = s
        .retire_grant(&end(ADMIN, GrantRef::Id(c.grant_id)), e.effective_until)
        .unwrap_err();
    assert_eq!(
        (f.exception, f.code),
        ("NotFoundException", "grant.error.not-found")
    );
}

// grant-delete.html: "If you need to delete a new grant immediately, before
// it is available throughout AWS KMS, use a grant token to retire the
// grant. You cannot use a grant token to revoke a grant."
#[test]
fn a_new_grant_is_retired_with_its_token() {
    let mut s = service();
    let c = ok(s.create_grant(&create(BOB, &["Decrypt", "RetireGrant"]), t0()));
    let f = s
        .retire_grant(&end(BOB, GrantRef::Id(c.grant_id.clone())), t0())
        .unwrap_err();
    assert_eq!(
        (f.exception, f.code),
        ("NotFoundException", "grant.error.not-yet-consistent")
    );
    let f = s
        .revoke_grant(&end(ADMIN, GrantRef::Token(c.grant_token.clone())), t0())
        .unwrap_err();
    assert_eq!(
        (f.exception, f.code),
        ("ValidationError", "grant.error.revoke-token")
    );
    let e = s
        .retire_grant(&end(BOB, GrantRef::Token(c.grant_token)), t0())
        .unwrap();
    assert_eq!(e.authority, "grantee");
}

// grant-delete.html: RevokeGrant is controlled by key policy and IAM
// policies (kms:RevokeGrant).
#[test]
fn revoke_needs_kms_revoke_grant() {
    let mut s = service();
    let c = ok(s.create_grant(&create(BOB, &["Decrypt", "RetireGrant"]), t0()));
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    // The grantee may retire but not revoke.
    let f = s
        .revoke_grant(&end(BOB, GrantRef::Id(c.grant_id.clone())), later)
        .unwrap_err();
    assert_eq!(f.exception, "AccessDeniedException");
    let e = s
        .revoke_grant(&end(ADMIN, GrantRef::Id(c.grant_id)), later)
        .unwrap();
    assert_eq!(e.authority, "policy");
    assert_eq!(e.authorization.unwrap().decision, Decision::Allowed);
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[], &[], later.plus_seconds(1)).0,
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &mut s,
            BOB,
            "Decrypt",
            &[],
            &[],
            later.plus_seconds(CONSISTENCY_SECONDS)
        )
        .0,
        Decision::ImplicitDeny
    );
}

// API_ListGrants.html and the ListGrants output of
// create-grant-overview.html (KeyId, GrantId, Name, CreationDate,
// GranteePrincipal, RetiringPrincipal, IssuingAccount, Operations,
// Constraints); ListGrants returns grant ids, never tokens (seed 003).
#[test]
fn list_grants() {
    let mut s = service();
    let c = ok(s.create_grant(
        &CreateGrantRequest {
            retiring_principal: Some(ADMIN.into()),
            constraint: Some(GrantConstraint::Equals(pairs(&[("Department", "IT")]))),
            ..create(BOB, &["Decrypt"])
        },
        t0(),
    ));
    ok(s.create_grant(&create(CAROL, &["Encrypt"]), t0()));
    let f = s.list_grants(&p(BOB), None, None, None, t0()).unwrap_err();
    assert_eq!(f.exception, "AccessDeniedException");
    let all = s.list_grants(&p(ADMIN), None, None, None, t0()).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|g| g.pending));
    let bob = s
        .list_grants(&p(ADMIN), None, None, Some(BOB), t0())
        .unwrap();
    assert_eq!(bob.len(), 1);
    let one = s
        .list_grants(&p(ADMIN), None, Some(&c.grant_id), None, t0())
        .unwrap();
    assert_eq!(one[0].grant_id, c.grant_id);
    let json = list_grants_json(&bob);
    let g = json.pointer("/Grants/0").unwrap();
    assert_eq!(
        g.keys(),
        [
            "KeyId",
            "GrantId",
            "Name",
            "CreationDate",
            "GranteePrincipal",
            "RetiringPrincipal",
            "IssuingAccount",
            "Operations",
            "Constraints"
        ]
    );
    assert_eq!(g.get("KeyId").and_then(Json::as_str), Some(KEY));
    assert_eq!(g.get("Name").and_then(Json::as_str), Some(""));
    assert_eq!(g.get("IssuingAccount").and_then(Json::as_str), Some(ROOT));
    assert_eq!(
        g.get("CreationDate"),
        Some(&Json::Number("1660149470.0".into()))
    );
    assert_eq!(
        g.get("Constraints").unwrap().to_compact(),
        r#"{"EncryptionContextEquals":{"Department":"IT"}}"#
    );
    assert!(
        !json.to_compact().contains(&c.grant_token),
        "no tokens in ListGrants"
    );
}

// Grant constraints are met by the request's encryption context
// (create-grant-overview.html#grant-constraints) once the grant is in effect.
#[test]
fn constrained_grants_check_the_encryption_context() {
    let mut s = service();
    ok(s.create_grant(
        &CreateGrantRequest {
            constraint: Some(GrantConstraint::Subset(pairs(&[("Department", "IT")]))),
            ..create(BOB, &["Decrypt", "DescribeKey"])
        },
        t0(),
    ));
    let later = t0().plus_seconds(CONSISTENCY_SECONDS);
    assert_eq!(
        decide(
            &mut s,
            BOB,
            "Decrypt",
            &[("Department", "IT"), ("Purpose", "Test")],
            &[],
            later
        )
        .0,
        Decision::Allowed
    );
    assert_eq!(
        decide(&mut s, BOB, "Decrypt", &[("Department", "HR")], &[], later).0,
        Decision::ImplicitDeny
    );
    // DescribeKey has no encryption context: the constraint does not apply.
    assert_eq!(
        decide(&mut s, BOB, "DescribeKey", &[], &[], later).0,
        Decision::Allowed
    );
}

// The key's state refuses an authorized CreateGrant (key-state.html:
// DisabledException; a deleted key is not found), and grants on another
// account's principal work like any grant (grants.html: "a grant can allow
// a principal in another account").
#[test]
fn key_state_and_cross_account_grantees() {
    let mut s = service();
    s.key.state = KeyState::Disabled;
    let f = fails(s.create_grant(&create(BOB, &["Decrypt"]), t0()));
    assert_eq!(
        (f.exception, f.code),
        ("DisabledException", "grant.error.key-disabled")
    );
    s.key.state = KeyState::Enabled;
    ok(s.create_grant(&create(ALICE, &["Decrypt"]), t0()));
    assert_eq!(
        decide(
            &mut s,
            ALICE,
            "Decrypt",
            &[],
            &[],
            t0().plus_seconds(CONSISTENCY_SECONDS)
        )
        .0,
        Decision::Allowed
    );
    s.key.state = KeyState::Deleted;
    let f = s
        .retire_grant(&end(ROOT, GrantRef::Id("x".into())), t0())
        .unwrap_err();
    assert_eq!(f.exception, "NotFoundException");
}

// ct-creategrant.html: the CloudTrail record of CreateGrant carries
// keyId, constraints, operations, granteePrincipal (and retiringPrincipal,
// name), responseElements.grantId, readOnly false.
#[test]
fn the_create_grant_record() {
    let mut s = service();
    let req = CreateGrantRequest {
        principal: p(ADMIN),
        key: Some(KEY.into()),
        constraint: Some(GrantConstraint::Subset(pairs(&[("ContextKey1", "Value1")]))),
        ..create(BOB, &["Encrypt", "RetireGrant"])
    };
    let c = ok(s.create_grant(&req, t0()));
    let ec = pairs(&[("ContextKey1", "Value1")]);
    let kreq = KmsRequest {
        principal: &req.principal,
        operation: op("CreateGrant"),
        key: req.key.as_deref(),
        encryption_context: &ec,
        context: &[],
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    let mut call = Call::new(&s.key, &kreq, Some(&c.authorization), t0(), 0);
    call.extra_parameters = create_grant_parameters(&req);
    call.response = Some(Json::obj([("grantId", Json::str(c.grant_id.clone()))]));
    let r = records::record(&call);
    let params = r.get("requestParameters").unwrap();
    assert_eq!(
        params.keys(),
        ["keyId", "constraints", "operations", "granteePrincipal"]
    );
    assert_eq!(params.get("keyId").and_then(Json::as_str), Some(KEY));
    assert_eq!(
        params.get("constraints").unwrap().to_compact(),
        r#"{"encryptionContextSubset":{"ContextKey1":"Value1"}}"#
    );
    assert_eq!(
        params.get("operations").unwrap().to_compact(),
        r#"["Encrypt","RetireGrant"]"#
    );
    assert_eq!(
        r.pointer("/responseElements/grantId")
            .and_then(Json::as_str),
        Some(c.grant_id.as_str())
    );
    assert_eq!(r.get("readOnly"), Some(&Json::Bool(false)));
    assert_eq!(
        r.get("eventType").and_then(Json::as_str),
        Some("AwsApiCall")
    );
}
