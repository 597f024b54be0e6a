//! `kmsplay grant`, `kmsplay lifecycle`, `kmsplay events`, `kmsplay
//! records`: output shapes, exit statuses, chaining with `--write`, and the
//! records compared with seed 004's examples field by field.

mod common;

use common::{json_out, kmsplay, scratch, stderr, stdout};

use serde_json::{json, Value};

const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ADMIN: &str = "arn:aws:iam::111122223333:role/adminRole";
const BOB: &str = "arn:aws:iam::111122223333:user/Bob";

fn file() -> String {
    json!({
        "version": 1,
        "clock": "2022-08-10T16:37:50Z",
        "key": {
            "arn": KEY,
            "aliases": ["alias/ExampleAliasForCloudTrailCMK"],
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": ["kms:CreateGrant", "kms:RevokeGrant", "kms:ListGrants"], "Resource": "*"},
                {"Sid": "Allow CloudTrail to encrypt logs", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*"},
                {"Sid": "Allow log decryption", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/cloudtrail-admin"}, "Action": "kms:Decrypt", "Resource": "*"}
            ]}
        },
        "rules": [
            {"name": "deletions", "pattern": {"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}},
            {"name": "rotations", "pattern": "{\"detail-type\": [\"KMS CMK Rotation\"]}"}
        ],
        "requests": [
            {"name": "Bob decrypts", "principal": BOB, "action": "kms:Decrypt", "encryption_context": {"Department": "IT"}}
        ]
    })
    .to_string()
}

// ---------------------------------------------------------------------------
// records: seed 004, field by field
// ---------------------------------------------------------------------------

/// Seed 004's three records, as the document prints them.
const SEED_004: [&str; 3] = [
    r#"{ "eventVersion": "1.02", "userIdentity": { "type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE", "arn": "arn:aws:iam::086441151436:user/AWSCloudTrail", "accountId": "086441151436", "accessKeyId": "AKIAI44QH8DHBEXAMPLE", "userName": "AWSCloudTrail", "sessionContext": {"attributes": { "mfaAuthenticated": "false", "creationDate": "2015-11-11T21:15:33Z" }}, "invokedBy": "internal.amazonaws.com" }, "eventTime": "2015-11-11T21:15:33Z", "eventSource": "kms.amazonaws.com", "eventName": "GenerateDataKey", "awsRegion": "us-west-2", "sourceIPAddress": "internal.amazonaws.com", "userAgent": "internal.amazonaws.com", "requestParameters": { "keyId": "arn:aws:kms:us-west-2:111122223333:alias/ExampleAliasForCloudTrailCMK", "encryptionContext": { "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default", "aws:s3:arn": "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/" }, "keySpec": "AES_256" }, "responseElements": null, "requestID": "581f1f11-88b9-11e5-9c9c-595a1fb59ac0", "eventID": "3cdb2457-c035-4890-93b6-181832b9e766", "readOnly": true, "resources": [{ "ARN": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accountId": "111122223333" }], "eventType": "AwsServiceEvent", "recipientAccountId": "111122223333" }"#,
    r#"{ "eventVersion": "1.02", "userIdentity": { "type": "AssumedRole", "principalId": "AROACKCEVSQ6C2EXAMPLE:i-34755b85", "arn": "arn:aws:sts::086441151436:assumed-role/AWSCloudTrail/i-34755b85", "accountId": "086441151436", "accessKeyId": "AKIAI44QH8DHBEXAMPLE", "sessionContext": { "attributes": { "mfaAuthenticated": "false", "creationDate": "2015-11-11T20:45:25Z" }, "sessionIssuer": { "type": "Role", "principalId": "AROACKCEVSQ6C2EXAMPLE", "arn": "arn:aws:iam::086441151436:role/AWSCloudTrail", "accountId": "086441151436", "userName": "AWSCloudTrail" } }, "invokedBy": "internal.amazonaws.com" }, "eventTime": "2015-11-11T21:15:58Z", "eventSource": "kms.amazonaws.com", "eventName": "GenerateDataKey", "awsRegion": "us-west-2", "sourceIPAddress": "internal.amazonaws.com", "userAgent": "internal.amazonaws.com", "requestParameters": { "encryptionContext": { "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default", "aws:s3:arn": "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/CloudTrail/us-west-2/2015/11/11/111122223333_CloudTrail_us-west-2_20151111T2115Z_7JREEBimdK8d2nC9.json.gz" }, "keyId": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "keySpec": "AES_256" }, "responseElements": null, "requestID": "66f3f74a-88b9-11e5-b7fb-63d925c72ffe", "eventID": "7738554f-92ab-4e27-83e3-03354b1aa898", "readOnly": true, "resources": [{ "ARN": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accountId": "111122223333" }], "eventType": "AwsServiceEvent", "recipientAccountId": "111122223333" }"#,
    r#"{ "eventVersion": "1.02", "userIdentity": { "type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE", "arn": "arn:aws:iam::111122223333:user/cloudtrail-admin", "accountId": "111122223333", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "userName": "cloudtrail-admin", "sessionContext": {"attributes": { "mfaAuthenticated": "false", "creationDate": "2015-11-11T20:48:04Z" }}, "invokedBy": "signin.amazonaws.com" }, "eventTime": "2015-11-11T21:20:52Z", "eventSource": "kms.amazonaws.com", "eventName": "Decrypt", "awsRegion": "us-west-2", "sourceIPAddress": "internal.amazonaws.com", "userAgent": "internal.amazonaws.com", "requestParameters": { "encryptionContext": { "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default", "aws:s3:arn": "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/CloudTrail/us-west-2/2015/11/11/111122223333_CloudTrail_us-west-2_20151111T2115Z_7JREEBimdK8d2nC9.json.gz" } }, "responseElements": null, "requestID": "16a0590a-88ba-11e5-b406-436f15c3ac01", "eventID": "9525bee7-5145-42b0-bed5-ab7196a16daa", "readOnly": true, "resources": [{ "ARN": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accountId": "111122223333" }], "eventType": "AwsApiCall", "recipientAccountId": "111122223333" }"#,
];

// https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html
// (seed 004): the simulated records of the same three calls carry every
// field of the document's records with the same value, except the ones
// that are per call (eventTime, requestID, eventID), the record format
// version, and userIdentity (CloudTrail's 2015 identity in its own account;
// a console session's signin.amazonaws.com) — see records.rs.
#[test]
fn records_match_the_documents_examples() {
    let trail = "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default";
    let object = "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/CloudTrail/us-west-2/2015/11/11/111122223333_CloudTrail_us-west-2_20151111T2115Z_7JREEBimdK8d2nC9.json.gz";
    let mut f: Value = serde_json::from_str(&file()).unwrap();
    f["clock"] = json!("2015-11-11T21:15:33Z");
    f["requests"] = json!([
        {"name": "create-check", "principal": "cloudtrail.amazonaws.com", "action": "kms:GenerateDataKey",
         "key": "arn:aws:kms:us-west-2:111122223333:alias/ExampleAliasForCloudTrailCMK",
         "encryption_context": {"aws:cloudtrail:arn": trail, "aws:s3:arn": "arn:aws:s3:::example-bucket-for-CT-logs/AWSLogs/111122223333/"}},
        {"name": "delivery", "principal": "cloudtrail.amazonaws.com", "action": "kms:GenerateDataKey", "key": KEY,
         "encryption_context": {"aws:cloudtrail:arn": trail, "aws:s3:arn": object}},
        {"name": "read", "principal": "arn:aws:iam::111122223333:user/cloudtrail-admin", "action": "kms:Decrypt",
         "encryption_context": {"aws:cloudtrail:arn": trail, "aws:s3:arn": object},
         "context": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}
    ]);
    let out = kmsplay(&["records", "-"], Some(&f.to_string()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = json_out(&out);
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 3);
    for (seed, ours) in SEED_004.iter().zip(records) {
        let seed: Value = serde_json::from_str(seed).unwrap();
        for (field, value) in seed.as_object().unwrap() {
            match field.as_str() {
                "eventTime" | "requestID" | "eventID" | "eventVersion" | "userIdentity" => {
                    assert!(ours.get(field).is_some(), "{field} present");
                }
                "resources" => {
                    // Same ARN and account; today's records add "type".
                    assert_eq!(ours[field][0]["ARN"], value[0]["ARN"]);
                    assert_eq!(ours[field][0]["accountId"], value[0]["accountId"]);
                    assert_eq!(ours[field][0]["type"], "AWS::KMS::Key");
                }
                _ => assert_eq!(&ours[field], value, "{field}"),
            }
        }
        // Field order of the document, today's fields in their place.
        let seed_order: Vec<&String> = seed.as_object().unwrap().keys().collect();
        let our_order: Vec<&String> = ours
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| seed.get(k.as_str()).is_some())
            .collect();
        assert_eq!(our_order, seed_order);
        // requestParameters in the document's order too.
        let seed_params: Vec<&String> = seed["requestParameters"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        let our_params: Vec<&String> = ours["requestParameters"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(our_params, seed_params);
        assert!(ours["userIdentity"]["type"].as_str().is_some());
    }
    // The identities: CloudTrail's calls come from the service principal;
    // the reader is the IAM user the document names.
    assert_eq!(records[0]["userIdentity"]["type"], "AWSService");
    assert_eq!(
        records[0]["userIdentity"]["invokedBy"],
        "cloudtrail.amazonaws.com"
    );
    assert_eq!(records[2]["userIdentity"]["type"], "IAMUser");
    assert_eq!(
        records[2]["userIdentity"]["arn"],
        "arn:aws:iam::111122223333:user/cloudtrail-admin"
    );
    assert_eq!(records[2]["userIdentity"]["userName"], "cloudtrail-admin");
    assert_eq!(records[0]["eventTime"], "2015-11-11T21:15:33Z");
    // Deterministic: the same file gives the same records.
    let again = kmsplay(&["records", "-"], Some(&f.to_string()));
    assert_eq!(stdout(&again), stdout(&out));
}

#[test]
fn records_of_a_denied_call() {
    let out = kmsplay(&["records", "-"], Some(&file()));
    let r = &json_out(&out)[0];
    assert_eq!(r["errorCode"], "AccessDenied");
    assert!(r["errorMessage"]
        .as_str()
        .unwrap()
        .contains("is not authorized to perform: kms:Decrypt"));
    let bad = kmsplay(&["records", "-"], Some("{\"version\": 1}"));
    assert_eq!(bad.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// grant
// ---------------------------------------------------------------------------

fn create_args<'a>(path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "grant",
        "create",
        path,
        "--principal",
        ADMIN,
        "--grantee",
        BOB,
        "--operations",
        "Decrypt,RetireGrant",
        "--constraint-subset",
        "Department=IT",
    ];
    a.extend_from_slice(extra);
    a
}

// Seed 003 / grants.html: create, the pending window, the token, list,
// retire; --write chains the commands through the file.
#[test]
fn grant_workflow_through_the_file() {
    let path = scratch("grants.json", &file());
    let p = path.as_str();
    let out = kmsplay(
        &create_args(p, &["--name", "bob", "--format", "json", "--write"]),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let created = json_out(&out);
    let id = created["GrantId"].as_str().unwrap().to_string();
    let token = created["GrantToken"].as_str().unwrap().to_string();
    assert_eq!(created["retry"], false);
    assert_eq!(created["grant"]["pending"], true);
    assert_eq!(created["grant"]["name"], "bob");
    assert_eq!(created["grant"]["creator"], ADMIN);
    assert_eq!(created["grant"]["created"], "2022-08-10T16:37:50Z");

    // Pending: Bob needs the token; simulate reads the same file.
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["decision"], "implicitDeny");
    assert_eq!(sim["results"][0]["reasons"][0]["code"], "grant-pending");
    let mut with_token: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    with_token["requests"][0]["grant_tokens"] = json!([token]);
    let sim = json_out(&kmsplay(
        &["simulate", "--format", "json", "-"],
        Some(&with_token.to_string()),
    ));
    assert_eq!(sim["results"][0]["decision"], "allowed");

    // A retry with the same name: same id, a new token.
    let retry = json_out(&kmsplay(
        &create_args(p, &["--name", "bob", "--format", "json", "--write"]),
        None,
    ));
    assert_eq!(retry["GrantId"], id.as_str());
    assert_eq!(retry["retry"], true);
    assert_ne!(retry["GrantToken"], token.as_str());

    // List: one grant, pending, no tokens.
    let list = json_out(&kmsplay(&["grant", "list", p, "--format", "json"], None));
    assert_eq!(list["Grants"].as_array().unwrap().len(), 1);
    assert_eq!(list["Grants"][0]["GrantId"], id.as_str());
    assert_eq!(list["Grants"][0]["Pending"], true);
    assert!(!list.to_string().contains(&token));
    let text = stdout(&kmsplay(&["grant", "list", p], None));
    assert!(text.contains(&id) && text.contains("pending"), "{text}");

    // Retiring by id before the grant is consistent: not found; by token: done.
    let by_id = kmsplay(
        &["grant", "retire", p, "--principal", BOB, "--grant-id", &id],
        None,
    );
    assert_eq!(by_id.status.code(), Some(1));
    assert!(
        stderr(&by_id).contains("NotFoundException"),
        "{}",
        stderr(&by_id)
    );

    // A day later the grant works without a token.
    let wait = kmsplay(
        &["lifecycle", p, "--action", "wait", "--days", "1", "--write"],
        None,
    );
    assert_eq!(wait.status.code(), Some(0), "{}", stderr(&wait));
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["decision"], "allowed");

    // Bob (the grantee, RetireGrant in the grant) retires it.
    let retired = kmsplay(
        &[
            "grant",
            "retire",
            p,
            "--principal",
            BOB,
            "--grant-id",
            &id,
            "--format",
            "json",
            "--write",
        ],
        None,
    );
    assert_eq!(retired.status.code(), Some(0), "{}", stderr(&retired));
    let r = json_out(&retired);
    assert_eq!(r["authority"], "grantee");
    assert_eq!(r["effective_until"], "2022-08-11T16:42:50Z");
    // Still works for five minutes, gone from the list at once.
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["decision"], "allowed");
    let list = json_out(&kmsplay(&["grant", "list", p, "--format", "json"], None));
    assert_eq!(list["Grants"].as_array().unwrap().len(), 0);
    kmsplay(
        &["lifecycle", p, "--action", "wait", "--days", "1", "--write"],
        None,
    );
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["decision"], "implicitDeny");
}

#[test]
fn grant_failures_exit_1_with_the_exception() {
    let input = file();
    // Not allowed to create grants.
    let out = kmsplay(
        &[
            "grant",
            "create",
            "-",
            "--principal",
            BOB,
            "--grantee",
            BOB,
            "--operations",
            "Decrypt",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("AccessDeniedException"),
        "{}",
        stderr(&out)
    );
    // An operation a symmetric key does not support.
    let out = kmsplay(
        &[
            "grant",
            "create",
            "-",
            "--principal",
            ADMIN,
            "--grantee",
            BOB,
            "--operations",
            "Sign",
            "--format",
            "json",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    let e = json_out(&out);
    assert_eq!(e["error"]["exception"], "ValidationError");
    assert_eq!(e["error"]["code"], "grant.error.unsupported-operation");
    // Revoke needs kms:RevokeGrant; ListGrants as Bob is denied.
    let out = kmsplay(
        &[
            "grant",
            "revoke",
            "-",
            "--principal",
            BOB,
            "--grant-id",
            "x",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    let out = kmsplay(&["grant", "list", "-", "--principal", BOB], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    // Bad arguments: exit 2.
    let out = kmsplay(
        &[
            "grant",
            "create",
            "-",
            "--principal",
            ADMIN,
            "--grantee",
            BOB,
            "--operations",
            "Bogus",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = kmsplay(
        &[
            "grant",
            "create",
            "-",
            "--principal",
            ADMIN,
            "--grantee",
            BOB,
            "--operations",
            "Decrypt",
            "--write",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(2), "--write needs a file");
    // Japanese messages on request.
    let out = kmsplay(
        &[
            "--lang",
            "ja",
            "grant",
            "create",
            "-",
            "--principal",
            BOB,
            "--grantee",
            BOB,
            "--operations",
            "Decrypt",
        ],
        Some(&input),
    );
    assert!(stderr(&out).contains("許可"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------
// lifecycle
// ---------------------------------------------------------------------------

// Seed 001 and API_ScheduleKeyDeletion.html: schedule (7 days), the end of
// the waiting period sends KMS CMK Deletion twice (same detail, new id),
// the key is gone, the trail breaks, the rules match.
#[test]
fn schedule_and_delete() {
    let path = scratch("lifecycle.json", &file());
    let p = path.as_str();
    let out = kmsplay(
        &[
            "lifecycle",
            p,
            "--action",
            "schedule-deletion",
            "--days",
            "7",
            "--format",
            "json",
            "--write",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json_out(&out);
    assert_eq!(
        (v["before"].as_str(), v["after"].as_str()),
        (Some("Enabled"), Some("PendingDeletion"))
    );
    assert_eq!(v["key"]["deletion_date"], "2022-08-17T16:37:50Z");
    assert_eq!(v["events"], json!([]));
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["outcome"], "AccessDeniedException");

    let out = kmsplay(
        &[
            "lifecycle",
            p,
            "--action",
            "delete",
            "--format",
            "json",
            "--write",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json_out(&out);
    assert_eq!(v["after"], "Deleted");
    assert_eq!(v["clock"], "2022-08-17T16:37:50Z");
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    for e in events {
        assert_eq!(e["detail-type"], "KMS CMK Deletion");
        assert_eq!(e["source"], "aws.kms");
        assert_eq!(e["account"], "111122223333");
        assert_eq!(e["region"], "us-west-2");
        assert_eq!(e["time"], "2022-08-17T16:37:50Z");
        assert_eq!(e["resources"], json!([KEY]));
        assert_eq!(
            e["detail"],
            json!({"key-id": "1234abcd-12ab-34cd-56ef-1234567890ab"})
        );
    }
    assert_ne!(events[0]["id"], events[1]["id"]);
    assert_eq!(v["records"][0]["eventName"], "DeleteKey");
    let trail: Vec<&str> = v["consequences"]["cloudtrail-trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(trail.contains(&"lifecycle.consequence.trail.cannot-deliver"));
    assert!(v["consequences"]["eventbridge-connection"]
        .to_string()
        .contains("deauthorizes the connection"));

    // The file now says so.
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["key"]["state"], "Deleted");
    assert_eq!(written["clock"], "2022-08-17T16:37:50Z");
    assert_eq!(written["events"].as_array().unwrap().len(), 2);
    assert_eq!(
        written["rules"][0]["name"], "deletions",
        "other fields are kept"
    );
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["outcome"], "NotFoundException");

    // The event log against the file's rules.
    let rules = json_out(&kmsplay(&["events", "rules", p, "--format", "json"], None));
    assert_eq!(rules["rules"][0]["rule"], "deletions");
    assert_eq!(rules["rules"][0]["matched"].as_array().unwrap().len(), 2);
    assert_eq!(rules["rules"][1]["matched"], json!([]));
}

// API_CancelKeyDeletion.html: the key comes back disabled; cancelling when
// nothing is scheduled fails (exit 1); a waiting period out of 7–30 fails.
#[test]
fn cancel_rotate_and_refusals() {
    let input = file();
    let out = kmsplay(
        &["lifecycle", "-", "--action", "cancel-deletion"],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("KMSInvalidStateException"),
        "{}",
        stderr(&out)
    );
    let out = kmsplay(
        &[
            "lifecycle",
            "-",
            "--action",
            "schedule-deletion",
            "--days",
            "3",
            "--format",
            "json",
        ],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_out(&out)["error"]["exception"], "ValidationException");

    let path = scratch("cancel.json", &input);
    let p = path.as_str();
    kmsplay(
        &["lifecycle", p, "--action", "schedule-deletion", "--write"],
        None,
    );
    let v = json_out(&kmsplay(
        &[
            "lifecycle",
            p,
            "--action",
            "cancel-deletion",
            "--format",
            "json",
            "--write",
        ],
        None,
    ));
    assert_eq!(
        (v["before"].as_str(), v["after"].as_str()),
        (Some("PendingDeletion"), Some("Disabled"))
    );
    let sim = json_out(&kmsplay(&["simulate", "--format", "json", p], None));
    assert_eq!(sim["results"][0]["outcome"], "AccessDeniedException");
    let v = json_out(&kmsplay(
        &[
            "lifecycle",
            p,
            "--action",
            "enable",
            "--format",
            "json",
            "--write",
        ],
        None,
    ));
    assert_eq!(v["after"], "Enabled");

    // Rotation sends KMS CMK Rotation, which the second rule matches.
    let v = json_out(&kmsplay(
        &[
            "lifecycle",
            p,
            "--action",
            "rotate",
            "--format",
            "json",
            "--write",
        ],
        None,
    ));
    assert_eq!(v["events"][0]["detail-type"], "KMS CMK Rotation");
    assert_eq!(v["records"][0]["eventName"], "RotateKey");
    let rules = json_out(&kmsplay(&["events", "rules", p, "--format", "json"], None));
    assert_eq!(rules["rules"][1]["matched"].as_array().unwrap().len(), 1);

    // Text output names the state change and the event.
    let text = stdout(&kmsplay(
        &["lifecycle", "-", "--action", "rotate"],
        Some(&input),
    ));
    assert!(
        text.contains("Enabled → Enabled") && text.contains("KMS CMK Rotation"),
        "{text}"
    );
    // An unknown action is a usage error.
    assert_eq!(
        kmsplay(&["lifecycle", "-", "--action", "explode"], Some(&input))
            .status
            .code(),
        Some(2)
    );
}

// Imported key material (origin EXTERNAL) that expires: PendingImport and
// the KMS Imported Key Material Expiration event.
#[test]
fn expire_imported_material() {
    let mut f: Value = serde_json::from_str(&file()).unwrap();
    f["key"]["origin"] = json!("EXTERNAL");
    f["key"]["material_expires"] = json!("2022-09-01T00:00:00Z");
    let v = json_out(&kmsplay(
        &[
            "lifecycle",
            "-",
            "--action",
            "expire-import",
            "--format",
            "json",
        ],
        Some(&f.to_string()),
    ));
    assert_eq!(v["after"], "PendingImport");
    assert_eq!(v["clock"], "2022-09-01T00:00:00Z");
    assert_eq!(
        v["events"][0]["detail-type"],
        "KMS Imported Key Material Expiration"
    );
    assert_eq!(v["records"][0]["eventName"], "DeleteExpiredKeyMaterial");
    // Not imported material: UnsupportedOperationException.
    let out = kmsplay(
        &["lifecycle", "-", "--action", "expire-import"],
        Some(&file()),
    );
    assert_eq!(out.status.code(), Some(1));
    // A bad time in the file: exit 2 with the field.
    f["key"]["material_expires"] = json!("next tuesday");
    let out = kmsplay(
        &["lifecycle", "-", "--action", "expire-import"],
        Some(&f.to_string()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("key.material_expires"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------
// events match
// ---------------------------------------------------------------------------

const DELETION_EVENT: &str = r#"{ "version": "0", "id": "e9ce3425-7d22-412a-a699-e7a5fc3fbc9a", "detail-type": "KMS CMK Deletion", "source": "aws.kms", "account": "111122223333", "time": "2022-08-10T16:37:50Z", "region": "us-west-2", "resources": [ "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" ], "detail": { "key-id": "1234abcd-12ab-34cd-56ef-1234567890ab" } }"#;

#[test]
fn events_match_exit_statuses() {
    let event = scratch("event.json", DELETION_EVENT);
    let e = event.as_str();
    let yes = scratch(
        "yes.json",
        r#"{"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}"#,
    );
    let out = kmsplay(
        &["events", "match", "--pattern", yes.as_str(), "--event", e],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("matches"));

    let no = scratch(
        "no.json",
        r#"{"source": ["aws.kms"], "detail": {"key-id": [{"prefix": "abcd"}]}}"#,
    );
    let out = kmsplay(
        &[
            "events",
            "match",
            "--pattern",
            no.as_str(),
            "--event",
            e,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json_out(&out);
    assert_eq!(v["matched"], false);
    assert_eq!(v["mismatch"]["path"], "detail.key-id");

    // An invalid pattern: exit 2, with line and column.
    let bad = scratch(
        "bad.json",
        "{\n  \"source\": [\"aws.kms\"],\n  \"detail-type\": [{\"contains\": \"Deletion\"}]\n}",
    );
    let out = kmsplay(
        &["events", "match", "--pattern", bad.as_str(), "--event", e],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.json:3:20: error[unknown-operator]"),
        "{err}"
    );
    assert!(
        err.contains("`contains` is not an EventBridge operator"),
        "{err}"
    );
    let out = kmsplay(
        &[
            "events",
            "match",
            "--pattern",
            bad.as_str(),
            "--event",
            e,
            "--format",
            "json",
        ],
        None,
    );
    let v = json_out(&out);
    assert_eq!(
        (
            v["valid"].clone(),
            v["error"]["line"].clone(),
            v["error"]["column"].clone()
        ),
        (json!(false), json!(3), json!(20))
    );
    // Broken JSON in the pattern, and in the event.
    let broken = scratch("broken.json", "{\"source\": [\"aws.kms\"]");
    let out = kmsplay(
        &[
            "events",
            "match",
            "--pattern",
            broken.as_str(),
            "--event",
            e,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.json:1:"), "{}", stderr(&out));
    let out = kmsplay(
        &[
            "events",
            "match",
            "--pattern",
            yes.as_str(),
            "--event",
            broken.as_str(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // Standard input for the event.
    let out = kmsplay(
        &["events", "match", "--pattern", yes.as_str(), "--event", "-"],
        Some(DELETION_EVENT),
    );
    assert_eq!(out.status.code(), Some(0));
}
