//! The data-perimeter scenario: the KMS RCP page's two RCPs at the
//! organization's root, an org-only key policy (aws:PrincipalOrgID) and a
//! network perimeter (aws:SourceVpce). Each request meets its expectation
//! and is decided by the policy type the scenario claims.
//!
//! Sources:
//! - RCPs: <https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>
//! - aws:PrincipalOrgID: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid>
//! - aws:SourceVpce: <https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition>
//! - the evaluation chain and its AccessDenied words:
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>

use kmsplay_kms::{Decision, PolicyType};
use kmsplay_lab::scenarios::{self, scenario, Params};
use kmsplay_lab::snippets::{self, OtherPolicyKind};
use serde_json::{json, Value};

fn perimeter() -> &'static scenarios::Scenario {
    scenario("data-perimeter").expect("the data-perimeter scenario")
}

fn own_policy(p: &Params) -> String {
    snippets::pretty(&snippets::snippet(perimeter(), p).as_policy(Some(p.text("key_account"))))
}

fn fixture() -> Value {
    let path = format!(
        "{}/../../tests/playground/data-perimeter.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

/// request id → (decision, deciding policy type), for every request.
fn answers(p: &Params, policy: &str) -> Vec<(&'static str, Decision, PolicyType)> {
    scenarios::run(perimeter(), p, policy)
        .expect("runs")
        .results
        .iter()
        .map(|r| {
            (
                r.request,
                r.authorization.decision,
                r.authorization.policy_type,
            )
        })
        .collect()
}

#[test]
fn default_run_meets_every_expectation_and_is_decided_by_the_claimed_layer() {
    let s = perimeter();
    let p = Params::defaults(s);
    let run = scenarios::run(s, &p, &own_policy(&p)).expect("runs");
    assert!(run.passed(), "{:?}", run.verdict);
    assert_eq!(run.results.len(), s.requests.len(), "one request per kind");
    for r in &run.results {
        assert!(r.passed, "{}: {:?}", r.name, r.authorization.reasons);
        let layer = r
            .decided_by
            .expect("every perimeter request names its layer");
        assert_eq!(r.authorization.policy_type, layer, "{}", r.name);
    }
    let got: Vec<(&str, Decision, PolicyType)> = answers(&p, &own_policy(&p));
    use Decision::*;
    use PolicyType::*;
    assert_eq!(
        got,
        [
            // In the organization, through the endpoint: allowed by the
            // key policy's aws:PrincipalOrgID statement.
            ("member-through-endpoint", Allowed, ResourceBased),
            ("owner-through-endpoint", Allowed, ResourceBased),
            ("member-describe", Allowed, ResourceBased),
            // Not through the endpoint, or through another one: the key
            // policy's aws:SourceVpce Deny (a negated operator with
            // IfExists matches a missing key).
            ("member-outside-endpoint", ExplicitDeny, ResourceBased),
            ("member-other-endpoint", ExplicitDeny, ResourceBased),
            // The endpoint's own policy allows only DescribeKey: "no VPC
            // endpoint policy allows".
            ("endpoint-policy-limits", ImplicitDeny, VpcEndpoint),
            // Outside the organization, own IAM policy allowing: "an
            // explicit deny in a resource control policy".
            ("outside-account", ExplicitDeny, ResourceControl),
            ("service-for-member", Allowed, ResourceBased),
            // CloudTrail for an outside source account: the confused-deputy RCP.
            ("service-for-outsider", ExplicitDeny, ResourceControl),
        ]
    );
}

#[test]
fn the_rcp_decides_whatever_the_key_policy_says() {
    // RCPs are guardrails: with no key policy statement at all the
    // outsiders are still denied by the RCPs, not by the key policy.
    let p = Params::defaults(perimeter());
    let empty = r#"{"Version":"2012-10-17","Statement":[]}"#;
    for (id, decision, layer) in answers(&p, empty) {
        if id == "outside-account" || id == "service-for-outsider" {
            assert_eq!(
                (decision, layer),
                (Decision::ExplicitDeny, PolicyType::ResourceControl),
                "{id}"
            );
        } else {
            assert_ne!(decision, Decision::Allowed, "{id}");
        }
    }
    // A key policy open to everyone ("Principal": "*", no condition) lets
    // the outsider's IAM policy count, but the identity-perimeter RCP still
    // denies it.
    let open = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*", "Resource": "*"}
    ]})
    .to_string();
    let got = answers(&p, &open);
    let find = |id: &str| got.iter().find(|(r, _, _)| *r == id).expect("request");
    assert_eq!(
        (find("outside-account").1, find("outside-account").2),
        (Decision::ExplicitDeny, PolicyType::ResourceControl)
    );
    assert_eq!(find("service-for-outsider").2, PolicyType::ResourceControl);
    // Without the network Deny, the call from the internet gets through.
    assert_eq!(find("member-outside-endpoint").1, Decision::Allowed);
}

#[test]
fn the_fixtures_key_policy_passes_the_scenario() {
    // tests/playground/data-perimeter.json holds the same perimeter with a
    // CloudTrail statement without a condition: every request still gets
    // what the scenario expects, from the same layer.
    let p = Params::defaults(perimeter());
    let policy = serde_json::to_string_pretty(&fixture()["key"]["policy"]).expect("policy");
    let run = scenarios::run(perimeter(), &p, &policy).expect("runs");
    for r in &run.results {
        assert!(r.passed, "{}", r.name);
        assert_eq!(
            Some(r.authorization.policy_type),
            r.decided_by,
            "{}",
            r.name
        );
    }
}

#[test]
fn the_scenario_file_has_the_fixtures_organization() {
    let p = Params::defaults(perimeter());
    let file = scenarios::build(perimeter(), &p, "{}");
    let f = fixture();
    let org = &file["organization"];
    for field in ["id", "root", "management_account", "accounts"] {
        assert_eq!(org[field], f["organization"][field], "{field}");
    }
    // The page's two RCPs, each its own policy at the root; the fixture
    // holds the same two statements in one policy.
    let rcps = org["rcps"]["r-p3r1"].as_array().expect("RCPs at the root");
    let statements: Vec<&Value> = rcps
        .iter()
        .flat_map(|r| r["Statement"].as_array().expect("statements"))
        .collect();
    let fixture_statements: Vec<&Value> = f["organization"]["rcps"]["r-p3r1"][0]["Statement"]
        .as_array()
        .expect("fixture statements")
        .iter()
        .collect();
    assert_eq!(statements, fixture_statements);
    // The requests name the endpoint with the file's own field.
    let first = &file["requests"][0];
    assert_eq!(first["vpc_endpoint"]["id"], "vpce-0a1b2c3d4e5f");
    // The outsider's IAM policy allows the call; the reader's is the snippet's.
    let arns: Vec<&str> = file["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .filter_map(|i| i["arn"].as_str())
        .collect();
    assert!(arns.contains(&"arn:aws:iam::444444444444:role/Partner"));
    assert!(arns.contains(&"arn:aws:iam::222222222222:role/Reader"));
}

#[test]
fn snippets_are_the_rcp_pages_policies_and_the_two_key_policy_statements() {
    let p = Params::defaults(perimeter());
    let s = snippets::snippet(perimeter(), &p);
    // The KMS RCP page's two examples, word for word, with "my-org-id"
    // replaced by the organization.
    let identity = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "RCPEnforceIdentityPerimeter", "Effect": "Deny", "Principal": "*",
        "Action": "kms:*", "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-p3r1m3t3r0"},
            "Bool": {"aws:PrincipalIsAWSService": "false"}
        }
    }]});
    let deputy = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "RCPEnforceConfusedDeputyProtection", "Effect": "Deny", "Principal": "*",
        "Action": "kms:*", "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": {"aws:SourceOrgID": "o-p3r1m3t3r0"},
            "Bool": {"aws:PrincipalIsAWSService": "true"},
            "Null": {"aws:SourceAccount": "false"}
        }
    }]});
    let rcps: Vec<&Value> = s
        .other_policies
        .iter()
        .filter(|o| o.kind == OtherPolicyKind::Rcp)
        .map(|o| {
            assert_eq!(o.attach_to, "r-p3r1");
            &o.policy
        })
        .collect();
    assert_eq!(rcps, [&identity, &deputy]);
    // They parse as RCPs without errors.
    for rcp in rcps {
        let parsed = kmsplay_policy::parse_text(&rcp.to_string(), kmsplay_policy::PolicyKind::Rcp);
        assert!(
            parsed
                .diagnostics
                .iter()
                .all(|d| d.severity != kmsplay_policy::Severity::Error),
            "{:?}",
            parsed.diagnostics
        );
    }
    let sid = |sid: &str| {
        s.statements
            .iter()
            .find(|st| st["Sid"] == sid)
            .unwrap_or_else(|| panic!("{sid}"))
    };
    assert_eq!(
        sid("AllowUseInsideTheOrganization")["Condition"],
        json!({"StringEquals": {"aws:PrincipalOrgID": "o-p3r1m3t3r0"}})
    );
    assert_eq!(
        sid("DenyDataUseOutsideTheEndpoint")["Condition"],
        json!({
            "StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f"},
            "Bool": {"aws:PrincipalIsAWSService": "false"}
        })
    );
    // The fixture's statements of the same Sids are these.
    let f = fixture();
    for st in f["key"]["policy"]["Statement"]
        .as_array()
        .expect("statements")
    {
        if let Some(mine) = s.statements.iter().find(|m| m["Sid"] == st["Sid"]) {
            assert_eq!(mine, st, "{}", st["Sid"]);
        }
    }
    // Other names follow the parameters.
    let q = Params::new(
        perimeter(),
        &[("org_id", "o-exampleorgid"), ("vpce", "vpce-1a2b3c4d")],
    )
    .expect("params");
    let t = snippets::snippet(perimeter(), &q);
    assert!(snippets::pretty(&t.other_policies[1].policy).contains("o-exampleorgid"));
    assert!(t.statements_text().contains("vpce-1a2b3c4d"));
}

#[test]
fn accounts_must_be_three_different_ones() {
    let s = perimeter();
    let e = Params::new(s, &[("member_account", "111111111111")]).expect_err("same");
    assert_eq!(e[0].code, "same-account");
    let e = Params::new(s, &[("outside_account", "222222222222")]).expect_err("member");
    assert_eq!(e[0].code, "outside-is-member");
    for lang in kmsplay_messages::Lang::ALL {
        let text = kmsplay_messages::render(lang, &e[0].message_id(), &e[0].message_params());
        assert!(!text.contains('{'), "{text}");
    }
}

fn exercise(id: &str) -> Value {
    let path = format!("{}/../../exercises/{id}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("exercise")).expect("JSON")
}

#[test]
fn the_perimeter_exercises_point_at_the_scenario_and_their_answers_are_its_snippets() {
    let p = Params::defaults(perimeter());
    let s = snippets::snippet(perimeter(), &p);
    let org = p.text("org_id");
    for id in [
        "perimeter-org-only",
        "perimeter-confused-deputy",
        "perimeter-vpc-endpoint",
    ] {
        let ex = exercise(id);
        assert_eq!(ex["scenario"], "data-perimeter", "{id}");
        // Same organization and key as the scenario's defaults.
        assert_eq!(ex["start"]["organization"]["id"], org, "{id}");
        assert_eq!(ex["start"]["key"]["arn"], scenarios::key_arn(&p), "{id}");
        let read = kmsplay_lab::exercises::exercise(id).expect("embedded");
        assert_eq!(read.scenario.as_deref(), Some("data-perimeter"));
    }
    let solution = |id: &str| exercise(id)["solution"]["key_policy"]["Statement"].clone();
    let has = |id: &str, st: &Value| {
        solution(id)
            .as_array()
            .expect("statements")
            .iter()
            .any(|x| x == st)
    };
    // The org-only answer is the scenario's aws:PrincipalOrgID statement,
    // the network answer its aws:SourceVpce statement.
    assert!(has(
        "perimeter-org-only",
        &snippets::org_only_statement(org)
    ));
    assert!(has(
        "perimeter-vpc-endpoint",
        &snippets::endpoint_only_statement(p.text("vpce"))
    ));
    assert!(s.statements.contains(&snippets::org_only_statement(org)));
    // The confused-deputy answer is the page's RCP condition, written in
    // the key policy.
    let rcp = snippets::confused_deputy_rcp(org);
    let deny = solution("perimeter-confused-deputy")
        .as_array()
        .expect("statements")
        .iter()
        .find(|x| x["Effect"] == "Deny")
        .cloned()
        .expect("a Deny");
    assert_eq!(deny["Condition"], rcp["Statement"][0]["Condition"]);
}
