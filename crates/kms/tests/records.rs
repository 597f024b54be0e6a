//! CloudTrail records of simulated calls, compared field by field with the
//! records of seed 004
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>)
//! and the `ct-*.html` examples of the KMS developer guide; and what a
//! trail's calls cost.

use kmsplay_kms::catalogue::{self, KeyState};
use kmsplay_kms::lifecycle::Time;
use kmsplay_kms::records::{
    self, deterministic_uuid, record, service_event_record, trail_cost, Call, Json, ServiceEvent,
    EVENT_VERSION, PRICE_PER_10K_MICRO_USD, TRAIL_DELIVERIES_PER_DAY,
};
use kmsplay_kms::{authorize, Authorization, Identity, Key, KmsRequest};
use kmsplay_policy::{parse_text, ContextValue, PolicyKind, Principal};

const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ALIAS: &str = "arn:aws:kms:us-west-2:111122223333:alias/ExampleAliasForCloudTrailCMK";
const TRAIL: &str = "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default";
const PREFIX: &str = "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/";
const OBJECT: &str = "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/CloudTrail/us-west-2/2015/11/11/111122223333_CloudTrail_us-west-2_20151111T2115Z_7JREEBimdK8d2nC9.json.gz";

/// The key of seed 004 with a policy for the trail, its reader and others.
fn key() -> Key {
    let mut k = Key::new(KEY).unwrap();
    k.aliases = vec!["alias/ExampleAliasForCloudTrailCMK".into()];
    k.policy = parse_text(
        r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
        {"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"},
        {"Sid":"Allow log decryption","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/cloudtrail-admin"},"Action":"kms:Decrypt","Resource":"*"},
        {"Sid":"Readers","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::111122223333:role/CloudTrailReadRole"]},"Action":"kms:Decrypt","Resource":"*"},
        {"Sid":"No Eve","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/Eve"},"Action":"kms:*","Resource":"*"}]}"#,
        PolicyKind::Resource,
    )
    .policy;
    k
}

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

struct Req {
    principal: Principal,
    op: &'static str,
    key: Option<String>,
    ec: Vec<(String, String)>,
    context: Vec<(String, ContextValue)>,
}

fn req(principal: &str, op: &'static str, key: Option<&str>, ec: &[(&str, &str)]) -> Req {
    Req {
        principal: Principal::parse(principal).unwrap(),
        op,
        key: key.map(str::to_string),
        ec: ec
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        context: Vec::new(),
    }
}

/// Decides and records a call at `time`.
fn run(k: &Key, r: &Req, identities: &[Identity], time: Time) -> (Authorization, Json) {
    let kr = KmsRequest {
        principal: &r.principal,
        operation: catalogue::operation(r.op).unwrap(),
        key: r.key.as_deref(),
        encryption_context: &r.ec,
        context: &r.context,
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    let auth = authorize(k, identities, &kr, false);
    let rec = record(&Call::new(k, &kr, Some(&auth), time, 0));
    (auth, rec)
}

fn s<'j>(j: &'j Json, path: &str) -> Option<&'j str> {
    j.pointer(path).and_then(Json::as_str)
}

/// The fields every record shares with seed 004, and the order of the
/// top-level fields (seed 004's, with today's additions in place).
fn assert_common(r: &Json, event_name: &str, event_type: &str) {
    let mut keys = vec![
        "eventVersion",
        "userIdentity",
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
    ];
    if r.get("errorCode").is_some() {
        keys.extend(["errorCode", "errorMessage"]);
    }
    keys.extend([
        "requestParameters",
        "responseElements",
        "requestID",
        "eventID",
        "readOnly",
        "resources",
        "eventType",
        "managementEvent",
        "recipientAccountId",
        "eventCategory",
    ]);
    assert_eq!(r.keys(), keys);
    assert_eq!(s(r, "/eventVersion"), Some(EVENT_VERSION));
    assert_eq!(s(r, "/eventSource"), Some("kms.amazonaws.com"));
    assert_eq!(s(r, "/eventName"), Some(event_name));
    assert_eq!(s(r, "/awsRegion"), Some("us-west-2"));
    assert_eq!(r.get("responseElements"), Some(&Json::Null));
    assert_eq!(s(r, "/resources/0/ARN"), Some(KEY));
    assert_eq!(s(r, "/resources/0/accountId"), Some("111122223333"));
    assert_eq!(s(r, "/resources/0/type"), Some("AWS::KMS::Key"));
    assert_eq!(s(r, "/eventType"), Some(event_type));
    assert_eq!(r.get("managementEvent"), Some(&Json::Bool(true)));
    assert_eq!(s(r, "/recipientAccountId"), Some("111122223333"));
    assert_eq!(s(r, "/eventCategory"), Some("Management"));
    for id in ["/requestID", "/eventID"] {
        let v = s(r, id).unwrap();
        assert_eq!(v.len(), 36, "{id} is UUID-shaped");
    }
}

fn ec_json(pairs: &[(&str, &str)]) -> Json {
    Json::obj(pairs.iter().map(|(k, v)| (k.to_string(), Json::str(*v))))
}

// Seed 004, first record: CloudTrail checks the key when the trail is
// created or updated (GenerateDataKey, key named by alias, encryption
// context with the trail and bucket prefix, AES_256, AwsServiceEvent).
// The document's userIdentity is CloudTrail's own 2015 IAM identity in its
// account 086441151436; the simulation's caller is the service principal,
// recorded as AWSService (user-identity reference).
#[test]
fn cloudtrail_create_check_record() {
    let k = key();
    let r = req(
        "cloudtrail.amazonaws.com",
        "GenerateDataKey",
        Some(ALIAS),
        &[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", PREFIX)],
    );
    let (auth, rec) = run(&k, &r, &[], t("2015-11-11T21:15:33Z"));
    assert_eq!(auth.outcome.as_str(), "Success");
    assert_common(&rec, "GenerateDataKey", "AwsServiceEvent");
    assert_eq!(s(&rec, "/eventTime"), Some("2015-11-11T21:15:33Z"));
    assert_eq!(s(&rec, "/sourceIPAddress"), Some("internal.amazonaws.com"));
    assert_eq!(s(&rec, "/userAgent"), Some("internal.amazonaws.com"));
    assert_eq!(
        rec.get("requestParameters"),
        Some(&Json::obj([
            ("keyId", Json::str(ALIAS)),
            (
                "encryptionContext",
                ec_json(&[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", PREFIX)])
            ),
            ("keySpec", Json::str("AES_256")),
        ]))
    );
    assert_eq!(rec.get("readOnly"), Some(&Json::Bool(true)));
    assert_eq!(
        rec.get("userIdentity").unwrap().to_compact(),
        r#"{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"}"#
    );
}

// Seed 004, second record: each log file delivery (GenerateDataKey with
// the trail and the log object's ARN, key by ARN, AES_256,
// AwsServiceEvent). Order of requestParameters as in the document.
#[test]
fn cloudtrail_delivery_record() {
    let k = key();
    let r = req(
        "cloudtrail.amazonaws.com",
        "GenerateDataKey",
        Some(KEY),
        &[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", OBJECT)],
    );
    let (_, rec) = run(&k, &r, &[], t("2015-11-11T21:15:58Z"));
    assert_common(&rec, "GenerateDataKey", "AwsServiceEvent");
    assert_eq!(s(&rec, "/eventTime"), Some("2015-11-11T21:15:58Z"));
    assert_eq!(
        rec.get("requestParameters"),
        Some(&Json::obj([
            (
                "encryptionContext",
                ec_json(&[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", OBJECT)])
            ),
            ("keyId", Json::str(KEY)),
            ("keySpec", Json::str("AES_256")),
        ]))
    );
}

// Seed 004, third record: S3 decrypts a log file for the IAM user
// cloudtrail-admin (Decrypt, only the encryption context in
// requestParameters, internal.amazonaws.com, AwsApiCall, readOnly true).
// The document's invokedBy is signin.amazonaws.com (a console session); the
// simulation names the service the request came through.
#[test]
fn reader_decrypt_record() {
    let k = key();
    let mut r = req(
        "arn:aws:iam::111122223333:user/cloudtrail-admin",
        "Decrypt",
        None,
        &[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", OBJECT)],
    );
    r.context = vec![(
        "kms:ViaService".into(),
        ContextValue::Single("s3.us-west-2.amazonaws.com".into()),
    )];
    let (auth, rec) = run(&k, &r, &[], t("2015-11-11T21:20:52Z"));
    assert_eq!(auth.outcome.as_str(), "Success");
    assert_common(&rec, "Decrypt", "AwsApiCall");
    assert_eq!(s(&rec, "/sourceIPAddress"), Some("internal.amazonaws.com"));
    assert_eq!(s(&rec, "/userAgent"), Some("internal.amazonaws.com"));
    assert_eq!(
        rec.get("requestParameters"),
        Some(&Json::obj([(
            "encryptionContext",
            ec_json(&[("aws:cloudtrail:arn", TRAIL), ("aws:s3:arn", OBJECT)])
        )]))
    );
    assert_eq!(rec.get("readOnly"), Some(&Json::Bool(true)));
    let u = rec.get("userIdentity").unwrap();
    assert_eq!(
        u.keys(),
        [
            "type",
            "principalId",
            "arn",
            "accountId",
            "accessKeyId",
            "userName",
            "invokedBy"
        ]
    );
    assert_eq!(s(u, "/type"), Some("IAMUser"));
    assert_eq!(
        s(u, "/arn"),
        Some("arn:aws:iam::111122223333:user/cloudtrail-admin")
    );
    assert_eq!(s(u, "/accountId"), Some("111122223333"));
    assert_eq!(s(u, "/userName"), Some("cloudtrail-admin"));
    assert_eq!(s(u, "/invokedBy"), Some("s3.amazonaws.com"));
    assert!(
        s(u, "/principalId").unwrap().starts_with("AIDA")
            && s(u, "/principalId").unwrap().ends_with("EXAMPLE")
    );
    assert!(s(u, "/accessKeyId").unwrap().starts_with("AKIA"));
}

// cloudtrail-event-reference-user-identity.html: AssumedRole with
// sessionContext.sessionIssuer (the role), as seed 004's second record.
#[test]
fn assumed_role_identity() {
    let k = key();
    let r = req(
        "arn:aws:sts::111122223333:assumed-role/CloudTrailReadRole/alice-from-222222222222",
        "Decrypt",
        Some(KEY),
        &[("aws:cloudtrail:arn", TRAIL)],
    );
    let (auth, rec) = run(&k, &r, &[], t("2015-11-11T20:45:25Z"));
    assert_eq!(auth.outcome.as_str(), "Success");
    let u = rec.get("userIdentity").unwrap();
    assert_eq!(
        u.keys(),
        [
            "type",
            "principalId",
            "arn",
            "accountId",
            "accessKeyId",
            "sessionContext"
        ]
    );
    assert_eq!(s(u, "/type"), Some("AssumedRole"));
    assert_eq!(
        s(u, "/arn"),
        Some("arn:aws:sts::111122223333:assumed-role/CloudTrailReadRole/alice-from-222222222222")
    );
    assert!(s(u, "/principalId")
        .unwrap()
        .ends_with(":alice-from-222222222222"));
    assert!(s(u, "/accessKeyId").unwrap().starts_with("ASIA"));
    assert_eq!(
        s(u, "/sessionContext/attributes/mfaAuthenticated"),
        Some("false")
    );
    assert_eq!(
        s(u, "/sessionContext/attributes/creationDate"),
        Some("2015-11-11T20:45:25Z")
    );
    assert_eq!(s(u, "/sessionContext/sessionIssuer/type"), Some("Role"));
    assert_eq!(
        s(u, "/sessionContext/sessionIssuer/arn"),
        Some("arn:aws:iam::111122223333:role/CloudTrailReadRole")
    );
    assert_eq!(
        s(u, "/sessionContext/sessionIssuer/userName"),
        Some("CloudTrailReadRole")
    );
    assert_eq!(
        s(u, "/sessionContext/sessionIssuer/accountId"),
        Some("111122223333")
    );
    assert!(s(u, "/principalId")
        .unwrap()
        .starts_with(s(u, "/sessionContext/sessionIssuer/principalId").unwrap()));
}

// user-identity reference: the root user (type Root, principalId the
// account) and another account's caller, which the key owner's copy shows
// as AWSAccount with only its account.
#[test]
fn root_and_cross_account_identities() {
    let k = key();
    let (_, rec) = run(
        &k,
        &req("arn:aws:iam::111122223333:root", "DescribeKey", None, &[]),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(
        rec.get("userIdentity").unwrap().keys(),
        ["type", "principalId", "arn", "accountId", "accessKeyId"]
    );
    assert_eq!(s(&rec, "/userIdentity/type"), Some("Root"));
    assert_eq!(s(&rec, "/userIdentity/principalId"), Some("111122223333"));
    assert_eq!(s(&rec, "/requestParameters/keyId"), Some(KEY));

    let alice = "arn:aws:iam::222222222222:user/Alice";
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;
    let ids = [Identity {
        arn: alice.into(),
        policies: vec![parse_text(policy, PolicyKind::Identity).policy],
        permissions_boundary: None,
    }];
    let (auth, rec) = run(
        &k,
        &req(
            alice,
            "Decrypt",
            Some(KEY),
            &[("aws:cloudtrail:arn", TRAIL)],
        ),
        &ids,
        Time::DEFAULT,
    );
    assert_eq!(auth.outcome.as_str(), "Success");
    let u = rec.get("userIdentity").unwrap();
    assert_eq!(u.keys(), ["type", "principalId", "accountId"]);
    assert_eq!(s(u, "/type"), Some("AWSAccount"));
    assert_eq!(s(u, "/accountId"), Some("222222222222"));
    assert_eq!(s(&rec, "/recipientAccountId"), Some("111122223333"));
    assert_eq!(s(&rec, "/eventType"), Some("AwsApiCall"));
}

// ct-decrypt.html "Decrypt failure": errorCode and errorMessage follow
// userAgent. A denied call: AccessDenied and KMS's sentence naming the
// missing or denying policy.
#[test]
fn denied_calls_carry_error_code_and_message() {
    let k = key();
    // No statement names Bob (and he has no IAM policy): the IAM half is missing.
    let (auth, rec) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:user/Bob",
            "Decrypt",
            Some(KEY),
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(auth.outcome.as_str(), "AccessDeniedException");
    assert_common(&rec, "Decrypt", "AwsApiCall");
    assert_eq!(s(&rec, "/errorCode"), Some("AccessDenied"));
    assert_eq!(
        s(&rec, "/errorMessage"),
        Some(format!("User: arn:aws:iam::111122223333:user/Bob is not authorized to perform: kms:Decrypt on resource: {KEY} because no identity-based policy allows the kms:Decrypt action").as_str())
    );
    // Another account with no statement for it: the key policy is missing.
    let (_, rec) = run(
        &k,
        &req(
            "arn:aws:iam::333333333333:user/Mallory",
            "Decrypt",
            Some(KEY),
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert!(s(&rec, "/errorMessage")
        .unwrap()
        .ends_with("because no resource-based policy allows the kms:Decrypt action"));
    // An explicit Deny in the key policy.
    let (_, rec) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:user/Eve",
            "Encrypt",
            Some(KEY),
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert!(s(&rec, "/errorMessage")
        .unwrap()
        .ends_with("with an explicit deny in a resource-based policy"));
    // A disabled key: the exception's own name.
    let mut off = key();
    off.state = KeyState::Disabled;
    let (_, rec) = run(
        &off,
        &req(
            "arn:aws:iam::111122223333:user/cloudtrail-admin",
            "Decrypt",
            Some(KEY),
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(s(&rec, "/errorCode"), Some("DisabledException"));
    assert_eq!(
        s(&rec, "/errorMessage"),
        Some(format!("{KEY} is disabled.").as_str())
    );
    // An allowed call has neither.
    let (_, rec) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:user/cloudtrail-admin",
            "Decrypt",
            Some(KEY),
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(rec.get("errorCode"), None);
}

// readOnly comes from the catalogue; an action whose resource is not a key
// has no resources and no request parameters; ids are deterministic.
#[test]
fn read_only_resources_and_ids() {
    let k = key();
    let (_, a) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:root",
            "ScheduleKeyDeletion",
            None,
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(a.get("readOnly"), Some(&Json::Bool(false)));
    let (_, list) = run(
        &k,
        &req("arn:aws:iam::111122223333:root", "ListKeys", None, &[]),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(list.get("requestParameters"), Some(&Json::Null));
    assert_eq!(list.get("resources"), None);
    let (_, b) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:root",
            "ScheduleKeyDeletion",
            None,
            &[],
        ),
        &[],
        Time::DEFAULT,
    );
    assert_eq!(a, b, "the same call gives the same record");
    let (_, c) = run(
        &k,
        &req(
            "arn:aws:iam::111122223333:root",
            "ScheduleKeyDeletion",
            None,
            &[],
        ),
        &[],
        Time::DEFAULT.plus_seconds(1),
    );
    assert_ne!(s(&a, "/eventID"), s(&c, "/eventID"));
    assert_eq!(deterministic_uuid(&["a"]), deterministic_uuid(&["a"]));
}

// ct-rotatekey.html, ct-delete-key.html, ct-deleteexpiredkeymaterial.html:
// records KMS writes itself.
#[test]
fn service_event_records() {
    let k = key();
    for (event, name) in [
        (ServiceEvent::RotateKey, "RotateKey"),
        (ServiceEvent::DeleteKey, "DeleteKey"),
        (
            ServiceEvent::DeleteExpiredKeyMaterial,
            "DeleteExpiredKeyMaterial",
        ),
    ] {
        let r = service_event_record(&k, event, t("2020-07-31T00:07:00Z"), 0);
        assert_eq!(
            r.get("userIdentity").unwrap().to_compact(),
            r#"{"accountId":"111122223333","invokedBy":"AWS Internal"}"#
        );
        assert_eq!(s(&r, "/eventName"), Some(name));
        assert_eq!(s(&r, "/eventTime"), Some("2020-07-31T00:07:00Z"));
        assert_eq!(s(&r, "/sourceIPAddress"), Some("AWS Internal"));
        assert_eq!(s(&r, "/userAgent"), Some("AWS Internal"));
        assert_eq!(r.get("requestParameters"), Some(&Json::Null));
        assert_eq!(r.get("readOnly"), Some(&Json::Bool(false)));
        assert_eq!(s(&r, "/eventType"), Some("AwsServiceEvent"));
        assert_eq!(s(&r, "/resources/0/type"), Some("AWS::KMS::Key"));
        assert_eq!(
            s(&r, "/serviceEventDetails/keyId"),
            Some("1234abcd-12ab-34cd-56ef-1234567890ab")
        );
        assert_eq!(r.get("requestID"), None);
    }
}

// Seed 004: "about 288 … per day, per region, per account"; two regions →
// 576; three accounts × two regions → 1,728. Price: $0.03 per 10,000
// requests (https://aws.amazon.com/kms/pricing/).
#[test]
fn trail_request_volume_and_cost() {
    assert_eq!(TRAIL_DELIVERIES_PER_DAY, 288);
    assert_eq!(PRICE_PER_10K_MICRO_USD, 30_000);
    assert_eq!(trail_cost(1, 1, 0, 1).requests_per_day, 288);
    assert_eq!(trail_cost(2, 1, 0, 1).requests_per_day, 576);
    let c = trail_cost(2, 3, 0, 1);
    assert_eq!(c.deliveries_per_day, 1728);
    let month = trail_cost(2, 3, 100, 30);
    assert_eq!(month.requests_per_day, 1828);
    assert_eq!(month.requests, 54_840);
    // 54,840 / 10,000 × $0.03 = $0.16452
    assert_eq!(month.cost_micro_usd, 164_520);
    assert_eq!(records::dollars(month.cost_micro_usd), "0.16452");
    assert_eq!(month.billable_requests, 34_840);
    assert_eq!(records::dollars(month.billable_micro_usd), "0.10452");
    let params = month.params();
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("deliveries"), Some("1,728"));
    assert_eq!(get("per_day"), Some("1,828"));
    assert_eq!(get("requests"), Some("54,840"));
    assert_eq!(get("price"), Some("0.03"));
    assert_eq!(get("cost"), Some("0.16452"));
}
