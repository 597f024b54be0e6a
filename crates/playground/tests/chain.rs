//! The rest of the evaluation chain: which policy type decided, AWS's
//! AccessDenied message word for word, and bad organization input.
//! Messages: <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.

use kmsplay_messages::Lang;
use serde_json::Value;

const FILE: &str = include_str!("../../../tests/playground/evaluation-chain.json");

fn results() -> Vec<Value> {
    let report = kmsplay_playground::simulate_json(FILE, Lang::En, true).expect("valid file");
    let report_json = report.json();
    report_json["results"].as_array().unwrap().clone()
}

fn find<'a>(results: &'a [Value], prefix: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["name"].as_str().unwrap().starts_with(prefix))
        .unwrap()
}

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn each_decision_names_its_policy_type_and_aws_message() {
    let r = results();
    let cases = [
        ("Admin schedules", "scp", "User: arn:aws:iam::111111111111:user/Admin is not authorized to perform: kms:ScheduleKeyDeletion on resource: KEY with an explicit deny in a service control policy"),
        ("Alice generates", "scp", "User: arn:aws:iam::222222222222:user/Alice is not authorized to perform: kms:GenerateDataKey on resource: KEY because no service control policy allows the kms:GenerateDataKey action"),
        ("Eve outside", "rcp", "User: arn:aws:iam::333333333333:user/Eve is not authorized to perform: kms:Decrypt on resource: KEY with an explicit deny in a resource control policy"),
        ("Bob re-encrypts", "permissions_boundary", "User: arn:aws:iam::111111111111:user/Bob is not authorized to perform: kms:ReEncryptFrom on resource: KEY because no permissions boundary allows the kms:ReEncryptFrom action"),
        ("Ops session generates", "permissions_boundary", "User: arn:aws:sts::111111111111:assumed-role/Ops/s1 is not authorized to perform: kms:GenerateDataKey on resource: KEY with an explicit deny in a permissions boundary"),
        ("Ops session with a session policy for Encrypt", "session_policy", "User: arn:aws:sts::111111111111:assumed-role/Ops/s2 is not authorized to perform: kms:Decrypt on resource: KEY because no session policy allows the kms:Decrypt action"),
        ("Admin through an endpoint whose", "vpc_endpoint_policy", "User: arn:aws:iam::111111111111:user/Admin is not authorized to perform: kms:Decrypt on resource: KEY because no VPC endpoint policy allows the kms:Decrypt action"),
        ("Admin through an endpoint that denies", "vpc_endpoint_policy", "User: arn:aws:iam::111111111111:user/Admin is not authorized to perform: kms:Decrypt on resource: KEY with an explicit deny in a VPC endpoint policy"),
    ];
    for (name, ty, message) in cases {
        let x = find(&r, name);
        assert_eq!(x["policy_type"], ty, "{name}");
        assert_eq!(
            x["access_denied_message"],
            message.replace("KEY", KEY),
            "{name}"
        );
    }
    let allowed = find(&r, "Admin decrypts");
    assert_eq!(allowed["policy_type"], "key_policy");
    assert_eq!(allowed["access_denied_message"], Value::Null);
}

#[test]
fn the_trace_shows_every_layer_and_the_deciding_statement() {
    let r = results();
    let x = find(&r, "Admin schedules");
    let scps = x["trace"]["guardrails"]["scps"].as_array().unwrap();
    let nodes: Vec<&str> = scps.iter().map(|n| n["node"].as_str().unwrap()).collect();
    assert_eq!(nodes, ["r-a1b2", "ou-a1b2-workload", "111111111111"]);
    assert_eq!(scps[0]["default_only"], true);
    assert_eq!(
        x["decided_by"]["policy"],
        "organization.scps.111111111111[0]"
    );
    assert_eq!(x["decided_by"]["statement"], 1);
    let rcps = x["trace"]["guardrails"]["rcps"].as_array().unwrap();
    assert_eq!(rcps[0]["policies"].as_array().unwrap().len(), 1);
    let b = find(&r, "Ops session generates");
    assert_eq!(
        b["trace"]["guardrails"]["permissions_boundary"]["identity"],
        "arn:aws:iam::111111111111:role/Ops"
    );
    let ctx = &find(&r, "Alice decrypts")["trace"]["context"];
    assert_eq!(ctx["aws:PrincipalOrgID"], "o-a1b2c3d4e5");
    assert_eq!(
        ctx["aws:PrincipalOrgPaths"][0],
        "o-a1b2c3d4e5/r-a1b2/ou-a1b2-sandbox/"
    );
    assert_eq!(
        ctx["aws:ResourceOrgPaths"][0],
        "o-a1b2c3d4e5/r-a1b2/ou-a1b2-workload/"
    );
    let e = &find(&r, "Admin through an endpoint whose")["trace"]["context"];
    assert_eq!(e["aws:SourceVpce"], "vpce-1a2b3c4d");
    assert_eq!(e["aws:SourceVpc"], "vpc-11112222");
}

/// The file with `organization` (or another part) replaced.
fn with(from: &str, to: &str) -> String {
    assert!(FILE.contains(from), "{from}");
    FILE.replacen(from, to, 1)
}

#[test]
fn bad_chain_input_gets_a_positioned_error() {
    let cases = [
        (
            with(r#""ou-a1b2-sandbox": ["#, r#""444444444444": ["#),
            "file.unknown-org-node",
        ),
        (
            with(
                r#"["ou-a1b2-workload"]"#,
                r#"["ou-a1b2-workload", "ou-x", "ou-a1b2-workload"]"#,
            ),
            "file.ou-path-loop",
        ),
        (
            with(
                r#""arn": "arn:aws:iam::111111111111:user/Bob","#,
                r#""arn": "111111111111","#,
            ),
            "file.boundary-on-root",
        ),
        (
            with(
                r#""arn": "arn:aws:iam::111111111111:user/Bob","#,
                r#""arn": "cloudtrail.amazonaws.com","#,
            ),
            "file.boundary-on-service",
        ),
        (
            with(
                r#""principal": "arn:aws:sts::111111111111:assumed-role/Ops/s2", "action": "kms:Decrypt","#,
                r#""principal": "arn:aws:iam::111111111111:user/Admin", "action": "kms:Decrypt","#,
            ),
            "file.session-policy-not-session",
        ),
    ];
    for (text, code) in cases {
        let e = kmsplay_playground::read(&text).expect_err(code);
        assert_eq!(e.code, code);
        assert!(e.span.end > e.span.start, "{code} has a span");
        let message = kmsplay_playground::file_error_message(&e, Lang::Ja);
        assert!(
            !message.is_empty() && !message.contains("file."),
            "{message}"
        );
    }
}

#[test]
fn a_policy_of_the_wrong_type_is_a_finding_with_a_span() {
    // A key policy (with Principal) pasted as an SCP, an RCP without "*".
    let text = with(
        r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*" } ] }"#,
        r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*" } ] }"#,
    );
    let file = kmsplay_playground::read(&text).unwrap();
    let scp = file
        .policies
        .iter()
        .find(|p| matches!(p.source, kmsplay_playground::PolicySource::Scp { .. }))
        .unwrap();
    let d = scp
        .diagnostics
        .iter()
        .find(|d| d.code == "principal-in-scp")
        .unwrap();
    assert_eq!(&text[d.span.start..d.span.end], "\"Principal\"");
    let text = with(
        r#""Deny", "Principal": "*""#,
        r#""Deny", "Principal": {"AWS": "111111111111"}"#,
    );
    let file = kmsplay_playground::read(&text).unwrap();
    assert!(file
        .policies
        .iter()
        .flat_map(|p| &p.diagnostics)
        .any(|d| d.code == "rcp-principal-not-any"));
}

#[test]
fn a_policy_path_reads_back_as_its_source() {
    use kmsplay_playground::PolicySource as P;
    let all = [
        P::Key,
        P::Identity {
            identity: 2,
            policy: 10,
        },
        P::Boundary { identity: 0 },
        P::Scp {
            node: "ou-a1b2-sandbox".into(),
            policy: 1,
        },
        P::Rcp {
            node: "r-a1b2".into(),
            policy: 0,
        },
        P::Session {
            request: 12,
            policy: 3,
        },
        P::Endpoint { request: 7 },
    ];
    for source in all {
        assert_eq!(
            P::from_path(&source.path()),
            Some(source.clone()),
            "{}",
            source.path()
        );
    }
    for bad in [
        "",
        "key",
        "organization.scps.[0]",
        "organization.acps.r-a1b2[0]",
        "identities[x].permissions_boundary",
        "requests[1].session_policies",
        "requests[1].vpc_endpoint",
        "identities[0].policies[-1]",
    ] {
        assert_eq!(P::from_path(bad), None, "{bad}");
    }
}
