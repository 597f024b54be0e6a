//! The scenario catalogue: its data, parameters, the playground files it
//! builds, and runs against the documents' own example policies (the
//! fixtures in tests/playground, which hold every document statement).

use kmsplay_lab::scenarios::{self, catalogue, scenario, ParamKind, ParamValue, Params, Verdict};
use kmsplay_lab::snippets;
use kmsplay_messages::{catalogue as messages, parameters, render, Lang};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../../tests/playground/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The key policy of a fixture, as text a user would paste.
fn fixture_policy(name: &str) -> String {
    serde_json::to_string_pretty(&fixture(name)["key"]["policy"]).expect("policy")
}

fn params(id: &str, given: &[(&str, &str)]) -> Params {
    let s = scenario(id).expect("scenario");
    Params::new(s, given).unwrap_or_else(|e| panic!("{id}: {e:?}"))
}

/// request kind id → passed, for every request of a run.
fn run(id: &str, p: &Params, policy: &str) -> Vec<(&'static str, bool)> {
    let s = scenario(id).expect("scenario");
    scenarios::run(s, p, policy)
        .expect("file builds")
        .results
        .iter()
        .map(|r| (r.request, r.passed))
        .collect()
}

fn failing(results: &[(&'static str, bool)]) -> Vec<&'static str> {
    results
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(r, _)| *r)
        .collect()
}

fn own_snippet_policy(id: &str, p: &Params) -> String {
    let s = scenario(id).expect("scenario");
    snippets::pretty(&snippets::snippet(s, p).as_policy(Some(p.text("key_account"))))
}

#[test]
fn catalogue_lists_the_six_scenarios() {
    let ids: Vec<&str> = catalogue().iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "cloudtrail-trail",
            "cloudtrail-event-data-store",
            "cross-account-readers",
            "eventbridge-connection",
            "default-key-policy",
            "data-perimeter"
        ]
    );
    assert!(scenario("nope").is_none());
    for s in catalogue() {
        for common in ["key_account", "region", "key_id"] {
            assert!(s.param(common).is_some(), "{} lacks {common}", s.id);
        }
        let mut names: Vec<&str> = s.params.iter().map(|p| p.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), s.params.len(), "{}: duplicate parameter", s.id);
        assert!(!s.sources.is_empty());
        // Defaults are valid.
        let d = Params::defaults(s);
        assert_eq!(d.values().len(), s.params.len());
    }
}

#[test]
fn every_message_id_exists_in_both_languages_with_the_same_parameters() {
    let mut ids: Vec<String> = Vec::new();
    for s in catalogue() {
        ids.push(s.title.into());
        ids.push(s.summary.into());
        for p in s.params {
            assert_eq!(p.label, format!("scenario.{}.param.{}", s.id, p.name));
            ids.push(p.label.into());
            ids.push(format!("scenario.kind.{}", p.kind.code()));
        }
        for r in s.requests {
            assert_eq!(
                r.purpose,
                format!("scenario.{}.request.{}.purpose", s.id, r.id)
            );
            ids.push(r.purpose.into());
            ids.push(r.consequence.into());
        }
    }
    for lang in Lang::ALL {
        for id in &ids {
            assert!(messages(lang).text(id).is_some(), "{lang:?} lacks {id}");
        }
    }
    for id in &ids {
        assert_eq!(
            parameters(messages(Lang::En).text(id).unwrap_or_default()),
            parameters(messages(Lang::Ja).text(id).unwrap_or_default()),
            "{id}"
        );
    }
}

#[test]
fn every_request_fills_its_messages() {
    // Turn every flag on so every kind of request appears.
    let cases = [
        ("cloudtrail-trail", vec![("s3_bucket_key", "true")]),
        ("cloudtrail-event-data-store", vec![]),
        ("cross-account-readers", vec![]),
        ("eventbridge-connection", vec![("cross_account", "true")]),
        ("default-key-policy", vec![]),
        ("data-perimeter", vec![]),
    ];
    for (id, given) in cases {
        let s = scenario(id).expect("scenario");
        let p = params(id, &given);
        let r = scenarios::run(s, &p, "{}").expect("runs");
        let kinds: Vec<&str> = r.results.iter().map(|o| o.request).collect();
        for k in s.requests {
            assert!(kinds.contains(&k.id), "{id}: no request of kind {}", k.id);
        }
        for o in &r.results {
            for lang in Lang::ALL {
                for m in [o.purpose, o.consequence] {
                    let text = render(lang, m, &o.message_params);
                    assert!(!text.contains('{'), "{id}/{}: {text}", o.request);
                }
            }
        }
    }
}

#[test]
fn parameters_are_typed_and_validated() {
    let s = scenario("cloudtrail-trail").expect("scenario");
    let p = Params::defaults(s);
    assert_eq!(p.text("key_account"), "111111111111");
    assert_eq!(p.list("trail_accounts"), ["111111111111"]);
    assert_eq!(
        p.list("readers"),
        ["arn:aws:iam::111111111111:user/cloudtrail-admin"]
    );
    assert!(!p.flag("s3_bucket_key"));
    assert_eq!(
        s.param("trail_accounts").map(|p| p.kind),
        Some(ParamKind::List(&ParamKind::AccountId))
    );

    // Later defaults follow earlier values.
    let p = Params::parse(
        s,
        &[
            "key_account=999988887777".into(),
            "s3_bucket_key=yes".into(),
            "trail_accounts=999988887777, 222222222222".into(),
        ],
    )
    .expect("valid");
    assert_eq!(
        p.list("readers"),
        ["arn:aws:iam::999988887777:user/cloudtrail-admin"]
    );
    assert_eq!(p.list("trail_accounts"), ["999988887777", "222222222222"]);
    assert!(p.flag("s3_bucket_key"));
    assert_eq!(
        p.get("s3_bucket_key"),
        Some(&ParamValue::Bool(true)),
        "bools are typed"
    );

    let codes = |args: &[&str]| -> Vec<(&'static str, String)> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Params::parse(s, &args)
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.code, e.param))
            .collect()
    };
    assert_eq!(
        codes(&["key_account=11111111111"]),
        [("invalid-account-id", "key_account".to_string())],
        "the 11-digit typo of seed 002"
    );
    assert_eq!(
        codes(&["region=region"]),
        [("invalid-region", "region".into())]
    );
    assert_eq!(
        codes(&["region=us-west-2", "region=us-east-1"])[0].0,
        "duplicate-param"
    );
    assert_eq!(
        codes(&["colour=blue"]),
        [("unknown-param", "colour".into())]
    );
    assert_eq!(codes(&["nonsense"]), [("param-syntax", "nonsense".into())]);
    assert_eq!(codes(&["s3_bucket_key=maybe"])[0].0, "invalid-bool");
    assert_eq!(codes(&["readers= , "])[0].0, "empty-list");
    assert_eq!(codes(&["readers=username"])[0].0, "invalid-arn");
    assert_eq!(
        codes(&["readers=cloudtrail.amazonaws.com"])[0].0,
        "invalid-arn",
        "a service principal does not read logs through S3"
    );
    assert_eq!(codes(&["trail_name=trail/name"])[0].0, "invalid-name");
    assert_eq!(codes(&["key_id=key id"])[0].0, "invalid-key-id");
    // Several errors at once.
    assert_eq!(codes(&["region=x", "key_account=1"]).len(), 2);

    let readers = scenario("cross-account-readers").expect("scenario");
    let e = Params::new(readers, &[("reader_account", "111111111111")]).expect_err("same");
    assert_eq!(e[0].code, "same-account");
    assert_eq!(e[0].message_id(), "scenario.error.same-account");
    for lang in Lang::ALL {
        assert!(!render(lang, &e[0].message_id(), &e[0].message_params()).contains('{'));
    }
}

#[test]
fn build_makes_a_playground_file_that_follows_the_contract() {
    for s in catalogue() {
        let p = Params::defaults(s);
        let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}";
        let file = scenarios::build(s, &p, policy);
        assert_eq!(file["version"], 1);
        assert_eq!(
            file["key"]["policy"], policy,
            "the pasted text is kept as text"
        );
        assert_eq!(file["key"]["arn"], scenarios::key_arn(&p));
        let requests = file["requests"].as_array().expect("requests");
        assert!(!requests.is_empty());
        for r in requests {
            for field in [
                "name",
                "principal",
                "action",
                "expect",
                "purpose",
                "consequence",
            ] {
                assert!(r[field].is_string(), "{}: {field} in {r}", s.id);
            }
            assert!(kmsplay_messages::exists(
                r["purpose"].as_str().unwrap_or_default()
            ));
        }
        // The command line's `simulate` reads it as it is.
        let report = kmsplay_playground::simulate_json(&file.to_string(), Lang::En, false)
            .expect("valid playground file");
        let report_json = report.json();
        assert_eq!(
            report_json["results"].as_array().map(Vec::len),
            Some(requests.len())
        );
        assert!(scenarios::build_file(s, &p, policy).is_ok());
    }
}

#[test]
fn an_empty_policy_fails_every_request_that_should_succeed() {
    for s in catalogue() {
        let p = Params::defaults(s);
        let run =
            scenarios::run(s, &p, r#"{"Version":"2012-10-17","Statement":[]}"#).expect("runs");
        for r in &run.results {
            assert_eq!(
                r.passed,
                r.expect == "AccessDeniedException",
                "{}/{}",
                s.id,
                r.name
            );
        }
        assert!(matches!(run.verdict, Verdict::Fail(_)));
        assert!(run.policy_errors().is_empty());
    }
}

#[test]
fn a_policy_aws_would_refuse_allows_nothing_and_says_why() {
    let s = scenario("cloudtrail-trail").expect("scenario");
    let run = scenarios::run(s, &Params::defaults(s), "{\"Statement\": [").expect("runs");
    assert!(!run.passed());
    assert!(!run.policy_errors().is_empty());
    assert!(run.results[0]
        .authorization
        .reasons
        .iter()
        .any(|r| r.code == "key-policy-invalid"));
}

#[test]
fn each_scenario_passes_against_its_own_snippet_and_the_root_statement() {
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("cloudtrail-trail", vec![]),
        ("cloudtrail-trail", vec![("s3_bucket_key", "true")]),
        (
            "cloudtrail-trail",
            vec![
                ("trail_accounts", "111111111111,222222222222"),
                (
                    "readers",
                    "arn:aws:iam::111111111111:user/cloudtrail-admin,arn:aws:iam::222222222222:user/Alice,arn:aws:sts::333333333333:assumed-role/Auditor/s1",
                ),
            ],
        ),
        ("cloudtrail-event-data-store", vec![]),
        (
            "cloudtrail-event-data-store",
            vec![(
                "users",
                "arn:aws:iam::111111111111:user/LakeAnalyst,arn:aws:iam::111111111111:role/Querier",
            )],
        ),
        ("cross-account-readers", vec![]),
        ("cross-account-readers", vec![("alice_reads", "false")]),
        ("eventbridge-connection", vec![]),
        ("eventbridge-connection", vec![("caller_iam_policy", "false")]),
        (
            "eventbridge-connection",
            vec![("cross_account", "true"), ("caller_iam_policy", "false")],
        ),
        ("default-key-policy", vec![]),
        (
            "default-key-policy",
            vec![(
                "users",
                "arn:aws:iam::111122223333:role/KeyUser,arn:aws:iam::111122223333:user/Dev",
            )],
        ),
        ("data-perimeter", vec![]),
        (
            "data-perimeter",
            vec![
                ("org_id", "o-exampleorgid"),
                ("key_account", "123456789012"),
                ("member_account", "999999999999"),
                ("vpce", "vpce-1a2b3c4d"),
            ],
        ),
    ];
    for (id, given) in cases {
        let p = params(id, &given);
        let results = run(id, &p, &own_snippet_policy(id, &p));
        assert!(failing(&results).is_empty(), "{id} {given:?}: {results:?}");
    }
}

#[test]
fn without_its_statements_only_iam_delegation_is_left() {
    // The root statement alone: services have no IAM policies, so every
    // CloudTrail call fails (reason: service-not-allowed).
    let id = "cloudtrail-trail";
    let p = params(id, &[]);
    let root = snippets::pretty(&snippets::policy_document(vec![snippets::root_statement(
        "111111111111",
    )]));
    let s = scenario(id).expect("scenario");
    let run = scenarios::run(s, &p, &root).expect("runs");
    let failed: Vec<&str> = run
        .results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.request)
        .collect();
    assert_eq!(failed, ["create-check", "delivery", "describe", "read"]);
    assert_eq!(
        run.results[0].authorization.reasons[0].code,
        "service-not-allowed"
    );
}

// --- against the documents' example policies (the fixtures) ---------------------------

#[test]
fn trail_against_the_trail_fixture() {
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    let p = params(
        "cloudtrail-trail",
        &[("key_account", "111122223333"), ("s3_bucket_key", "true")],
    );
    assert!(failing(&run(
        "cloudtrail-trail",
        &p,
        &fixture_policy("cloudtrail-trail")
    ))
    .is_empty());
    // A reader who is not named in the policy cannot read the logs.
    let p = params(
        "cloudtrail-trail",
        &[
            ("key_account", "111122223333"),
            ("readers", "arn:aws:iam::111122223333:user/intern"),
        ],
    );
    assert_eq!(
        failing(&run(
            "cloudtrail-trail",
            &p,
            &fixture_policy("cloudtrail-trail")
        )),
        ["read"]
    );
    // Another trail of the account is kept out by aws:SourceArn (reading
    // its logs is not tied to a trail: the Null condition only asks for
    // the CloudTrail context pair).
    let p = params(
        "cloudtrail-trail",
        &[("key_account", "111122223333"), ("trail_name", "Other")],
    );
    assert_eq!(
        failing(&run(
            "cloudtrail-trail",
            &p,
            &fixture_policy("cloudtrail-trail")
        )),
        ["create-check", "delivery", "describe"]
    );
}

#[test]
fn trail_against_the_multi_account_fixture() {
    // Seed 002's two-account statement (lists of context ARNs and SourceArns)
    // and the aws:SourceAccount describe variant.
    let base = [
        ("region", "us-east-1"),
        ("key_id", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
        ("trail_name", "MainTrail"),
        ("readers", "arn:aws:iam::111111111111:user/SecurityAdmin"),
    ];
    let p = params("cloudtrail-trail", &base);
    let policy = fixture_policy("cloudtrail-trail-multi-account");
    // The fixture's policy has no reader statement (its SecurityAdmin reads
    // through an IAM policy that is not part of this scenario): with
    // encrypt but no decrypt permission the logs stay unreadable.
    assert_eq!(failing(&run("cloudtrail-trail", &p, &policy)), ["read"]);
    // Account 333333333333 is in neither list.
    let mut given = base.to_vec();
    given.push(("trail_accounts", "333333333333"));
    let p = params("cloudtrail-trail", &given);
    assert_eq!(
        failing(&run("cloudtrail-trail", &p, &policy)),
        ["create-check", "delivery", "describe", "read"]
    );
}

#[test]
fn trail_against_the_placeholder_policy_of_the_documents() {
    // Statements pasted with `region`, `account-id`, `trail-name` left in:
    // nothing real matches them.
    let p = params("cloudtrail-trail", &[]);
    let f = failing(&run(
        "cloudtrail-trail",
        &p,
        &fixture_policy("documents-pitfalls"),
    ));
    assert!(
        f.contains(&"create-check") && f.contains(&"delivery") && f.contains(&"describe"),
        "{f:?}"
    );
}

#[test]
fn event_data_store_against_its_fixture_and_against_a_trail_policy() {
    let given = [
        ("region", "us-east-1"),
        ("key_id", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"),
    ];
    let id = "cloudtrail-event-data-store";
    let p = params(id, &given);
    assert!(failing(&run(id, &p, &fixture_policy("event-data-store"))).is_empty());
    // LakeQuerier is not named, and without the root statement IAM cannot help.
    let mut g = given.to_vec();
    g.push(("users", "arn:aws:iam::111111111111:user/LakeQuerier"));
    let p = params(id, &g);
    assert_eq!(
        failing(&run(id, &p, &fixture_policy("event-data-store"))),
        ["user-generate", "user-decrypt"]
    );
    // aws:SourceArn is not supported for event data stores (seed 002): a
    // trail's policy conditioned on it does not let CloudTrail deliver
    // events; only the unconditioned "decrypt a trail" statement still works.
    // The trail's reader statement (Null condition on the CloudTrail context
    // pair, Decrypt only) does not serve the store's users either.
    let p = params(
        id,
        &[
            ("key_account", "111122223333"),
            ("region", "us-west-2"),
            ("key_id", "1234abcd-12ab-34cd-56ef-1234567890ab"),
            ("users", "arn:aws:iam::111122223333:user/cloudtrail-admin"),
        ],
    );
    assert_eq!(
        failing(&run(id, &p, &fixture_policy("cloudtrail-trail"))),
        [
            "service-generate",
            "describe",
            "user-generate",
            "user-decrypt"
        ]
    );
}

#[test]
fn readers_against_the_bob_alice_and_role_fixtures() {
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    let id = "cross-account-readers";
    let bob = params(
        id,
        &[
            ("key_id", "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d"),
            ("alice_reads", "false"),
            ("role_reads", "false"),
        ],
    );
    assert!(failing(&run(id, &bob, &fixture_policy("bob-same-account"))).is_empty());

    let alice = [
        ("key_id", "3c2b1a09-8f7e-4d6c-b5a4-93827160fedc"),
        ("bob_reads", "false"),
        ("role_reads", "false"),
    ];
    let p = params(id, &alice);
    assert!(failing(&run(id, &p, &fixture_policy("alice-cross-account"))).is_empty());
    // Either half alone is an implicit deny: without her IAM policy…
    let mut g = alice.to_vec();
    g.push(("alice_iam_policy", "false"));
    let p = params(id, &g);
    let s = scenario(id).expect("scenario");
    let r = scenarios::run(s, &p, &fixture_policy("alice-cross-account")).expect("runs");
    assert!(!r.passed());
    assert_eq!(
        r.results[0].authorization.reasons[0].code,
        "cross-account-missing-identity"
    );
    // …and with only her IAM policy (the Bob fixture does not allow 222).
    let mut g = alice.to_vec();
    g[0] = ("key_id", "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d");
    let p = params(id, &g);
    let r = scenarios::run(s, &p, &fixture_policy("bob-same-account")).expect("runs");
    assert_eq!(
        r.results[0].authorization.reasons[0].code,
        "cross-account-missing-key-policy"
    );

    let role = params(
        id,
        &[
            ("key_id", "6d5c4b3a-2918-4f7e-8d6c-5b4a39281706"),
            ("bob_reads", "false"),
            ("alice_reads", "false"),
        ],
    );
    assert!(failing(&run(id, &role, &fixture_policy("cloudtrail-read-role"))).is_empty());
}

#[test]
fn readers_against_the_verbatim_document_statements() {
    // Seed 002's Bob and Alice statements pasted with the placeholder
    // Resource `arn:aws:kms:region:account-id:key/key-id`: it never matches.
    let id = "cross-account-readers";
    let doc = fixture("documents-pitfalls-readers");
    let key_id = doc["key"]["arn"]
        .as_str()
        .and_then(|a| a.rsplit('/').next())
        .unwrap_or_default()
        .to_string();
    let region = doc["key"]["arn"]
        .as_str()
        .and_then(|a| a.split(':').nth(3))
        .unwrap_or_default()
        .to_string();
    let p = params(
        id,
        &[
            ("key_id", &key_id),
            ("region", &region),
            ("role_reads", "false"),
        ],
    );
    let f = failing(&run(id, &p, &fixture_policy("documents-pitfalls-readers")));
    assert!(
        f.contains(&"bob-read") && f.contains(&"alice-read"),
        "{f:?}"
    );
}

#[test]
fn eventbridge_against_its_fixtures_and_the_documents_example() {
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html
    let id = "eventbridge-connection";
    let p = params(id, &[]);
    assert!(failing(&run(id, &p, &fixture_policy("eventbridge-connection"))).is_empty());
    // The key policy alone (no IAM policy of the caller): DescribeKey carries
    // neither encryption context nor kms:ViaService, so the recommended
    // condition block cannot allow it.
    let p = params(id, &[("caller_iam_policy", "false")]);
    assert_eq!(
        failing(&run(id, &p, &fixture_policy("eventbridge-connection"))),
        ["describe"]
    );
    // Without the tag, the recommended aws:ResourceTag condition fails.
    let p = params(id, &[("caller_iam_policy", "false"), ("key_tag", "false")]);
    assert_eq!(
        failing(&run(id, &p, &fixture_policy("eventbridge-connection"))),
        ["describe", "generate", "decrypt"]
    );
    // The fixture keeps seed 000's `account` placeholder in the cross-account
    // statement: the other account's role is refused.
    let p = params(id, &[("cross_account", "true")]);
    assert_eq!(
        failing(&run(id, &p, &fixture_policy("eventbridge-connection"))),
        ["cross-decrypt", "cross-describe"]
    );
    // With the placeholder filled in, both halves are there.
    let p = params(
        id,
        &[
            ("key_id", "4d3c2b1a-0f9e-4d8c-b7a6-958473625140"),
            ("cross_account", "true"),
        ],
    );
    assert!(failing(&run(
        id,
        &p,
        &fixture_policy("eventbridge-cross-account-role")
    ))
    .is_empty());

    // Seed 000's own example: the root statement grants every permission
    // through IAM, so the connection works in the key's account…
    let example = r#"{ "Id": "key-policy-example", "Version": "2012-10-17", "Statement": [ { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::012345678901:root" }, "Action": "kms:*", "Resource": "*" } ] }"#;
    let p = params(id, &[]);
    assert!(failing(&run(id, &p, example)).is_empty());
    // …but not from another account, which needs the cross-account statement.
    let p = params(id, &[("cross_account", "true")]);
    assert_eq!(
        failing(&run(id, &p, example)),
        ["cross-decrypt", "cross-describe"]
    );
}

#[test]
fn default_key_policy_against_its_fixture() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    let id = "default-key-policy";
    let p = params(id, &[]);
    assert!(failing(&run(id, &p, &fixture_policy("default-key-policy"))).is_empty());
    // A policy that gives everyone in the account everything breaks the
    // separation of administrators and users.
    let wide = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/KeyAdmin","arn:aws:iam::111122223333:role/KeyUser","arn:aws:iam::111122223333:root"]},"Action":"kms:*","Resource":"*"}]}"#;
    assert_eq!(
        failing(&run(id, &p, wide)),
        ["admin-no-use", "user-no-manage"]
    );
}

#[test]
fn run_reports_which_requests_fail_with_the_engines_reasons() {
    let s = scenario("cloudtrail-trail").expect("scenario");
    let p = Params::defaults(s);
    let run = scenarios::run(s, &p, &fixture_policy("cloudtrail-trail")).expect("runs");
    // Account 111111111111 is not the fixture's 111122223333: the trail's
    // context names another account.
    let Verdict::Fail(failed) = &run.verdict else {
        panic!("expected failures")
    };
    assert!(!failed.is_empty());
    let first = &run.results[failed[0]];
    assert_eq!(first.expect, "Success");
    assert!(!first.authorization.reasons.is_empty());
    assert_eq!(
        run.json["requests"][failed[0]]["consequence"].as_str(),
        Some(first.consequence)
    );
}
