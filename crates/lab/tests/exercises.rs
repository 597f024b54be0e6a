//! The exercises: every file reads, is solved by its solution and not by
//! its start, speaks both languages, and is embedded.

use kmsplay_lab::exercises::{
    self, Checklist, Editable, GoalKind, Level, Rule, EXERCISES, EXERCISE_IDS,
};
use kmsplay_messages::{catalogue, Lang};
use std::collections::BTreeSet;
use std::path::Path;

fn unmet(c: &Checklist) -> Vec<String> {
    c.goals
        .iter()
        .filter(|g| !g.met)
        .map(|g| {
            format!(
                "{} (got {:?}): {}",
                g.text_id,
                g.got,
                g.detail
                    .as_ref()
                    .map(|d| d.message(Lang::En))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn every_exercise_file_reads() {
    let errors = exercises::errors();
    assert!(
        errors.is_empty(),
        "{}",
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(exercises::catalogue().len(), EXERCISES.len());
    assert!(EXERCISES.len() >= 15);
}

#[test]
fn the_embedded_list_is_the_directory() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("exercises/ exists")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    let embedded: BTreeSet<String> = EXERCISES.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(embedded, on_disk, "EXERCISES and exercises/*.json differ");
    // The page fetches EXERCISE_IDS: the same files, in the same order.
    let ids: Vec<&str> = EXERCISES.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, EXERCISE_IDS);
    for (id, text) in EXERCISES {
        let file = format!("{}/../../exercises/{id}.json", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            &std::fs::read_to_string(&file).expect("exercise file"),
            text,
            "{id}"
        );
    }
    // Compiled in here: installing is refused and changes nothing.
    assert!(exercises::is_available());
    assert!(!exercises::install(vec![("x".into(), "{}".into())]));
    assert_eq!(exercises::catalogue().len(), EXERCISES.len());
    assert_eq!(embedded.len(), EXERCISES.len(), "an id is listed twice");
    for (id, text) in EXERCISES {
        let on_disk = std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap();
        assert_eq!(*text, on_disk, "{id}: embedded text is not the file's");
    }
    assert!(dir.join("README.md").is_file());
}

#[test]
fn every_solution_meets_every_goal() {
    for ex in exercises::catalogue() {
        let c = ex.check_solution();
        assert!(c.all_met, "{}: solution misses {:#?}", ex.id, unmet(&c));
        assert_eq!(c.met(), ex.goals.len());
    }
}

#[test]
fn no_start_is_already_solved() {
    for ex in exercises::catalogue() {
        let c = ex.check_start();
        assert!(
            !c.all_met,
            "{}: the starting file already meets every goal",
            ex.id
        );
        for g in c.goals.iter().filter(|g| !g.met) {
            assert!(g.detail.is_some(), "{}: {} has no detail", ex.id, g.text_id);
        }
    }
}

#[test]
fn every_message_exists_in_both_languages() {
    for ex in exercises::catalogue() {
        for id in ex.message_ids() {
            assert!(
                id.starts_with(&format!("exercise.{}.", ex.id)),
                "{}: message id {id} is not under exercise.{}.",
                ex.id,
                ex.id
            );
            for lang in Lang::ALL {
                let text = catalogue(lang).text(id);
                assert!(
                    text.is_some_and(|t| !t.trim().is_empty()),
                    "{}: {id} is missing or empty in {}",
                    ex.id,
                    lang.tag()
                );
            }
        }
        assert!(!ex.hints.is_empty(), "{}: no hints", ex.id);
        let label = ex.level.label();
        for lang in Lang::ALL {
            assert!(catalogue(lang).text(&label).is_some());
        }
    }
}

#[test]
fn details_name_messages_that_exist() {
    for ex in exercises::catalogue() {
        for g in ex.check_start().goals {
            if let Some(d) = g.detail {
                assert!(
                    kmsplay_messages::exists(&d.code),
                    "{}: detail {} has no message",
                    ex.id,
                    d.code
                );
                for lang in Lang::ALL {
                    let m = d.message(lang);
                    assert!(!m.contains('{') || m.contains('"'), "{}: {m}", ex.id);
                }
            }
        }
    }
}

#[test]
fn the_catalogue_covers_the_documents() {
    let all = exercises::catalogue();
    for level in [Level::Beginner, Level::Intermediate, Level::Advanced] {
        assert!(
            all.iter().any(|e| e.level == level),
            "no {level:?} exercise"
        );
    }
    // At least one exercise edits an IAM policy as well.
    assert!(all.iter().any(|e| e
        .editable
        .iter()
        .any(|x| matches!(x, Editable::IdentityPolicy { .. }))));
    // Rules, expectations, grants and deny goals are all exercised.
    let kinds: BTreeSet<&str> = all
        .iter()
        .flat_map(|e| &e.goals)
        .map(|g| match &g.kind {
            GoalKind::Request { .. } => "request",
            GoalKind::Expectations => "expectations",
            GoalKind::Rule(r) => r.name(),
        })
        .collect();
    for k in [
        "request",
        "expectations",
        "no-principal-star-without-condition",
        "no-finding-of-severity",
        "no-finding",
        "no-statement-modified",
    ] {
        assert!(kinds.contains(k), "no goal of kind {k}");
    }
    for id in [
        "trail-source-arn",
        "bob-reads-logs",
        "alice-cross-account",
        "read-role-sessions",
        "event-data-store",
        "eventbridge-connection",
        "eventbridge-cross-account",
        "grant-constraint",
        "grant-retired",
        "admin-lockout",
        "deny-outside-s3",
        "documents-placeholders",
        "eleven-digit-account",
    ] {
        assert!(exercises::exercise(id).is_some(), "{id} missing");
    }
}

#[test]
fn alice_needs_both_halves() {
    let ex = exercises::exercise("alice-cross-account").unwrap();
    let alice = ex.solution.identity_policies.clone();
    assert_eq!(alice.len(), 1);
    // The key policy half alone, and the IAM half alone, both fail goal 1.
    let key_only = exercises::check(&ex, &ex.solution.key_policy, &ex.start_identity_policies);
    assert!(!key_only.goals[0].met);
    assert_eq!(
        key_only.goals[0].detail.as_ref().map(|d| d.code.as_str()),
        Some("reason.cross-account-missing-identity")
    );
    let iam_only = exercises::check(&ex, &ex.start_key_policy, &alice);
    assert!(!iam_only.goals[0].met);
    assert_eq!(
        iam_only.goals[0].detail.as_ref().map(|d| d.code.as_str()),
        Some("reason.cross-account-missing-key-policy")
    );
    assert!(exercises::check(&ex, &ex.solution.key_policy, &alice).all_met);
    // A policy the exercise does not let the learner edit is ignored.
    let other = vec![(1, 0, ex.solution.identity_policies[0].2.clone())];
    let c = exercises::check(&ex, &ex.solution.key_policy, &other);
    assert!(!c.goals[0].met);
}

#[test]
fn adding_statements_is_allowed_changing_them_is_not() {
    let ex = exercises::exercise("deny-outside-s3").unwrap();
    let index = ex
        .goals
        .iter()
        .position(|g| g.kind == GoalKind::Rule(Rule::NoStatementModified))
        .unwrap();
    // Re-laid out, Sid renamed and lists reordered: still the same statements.
    let mut v: serde_json::Value = serde_json::from_str(&ex.solution.key_policy).unwrap();
    v["Statement"][0]["Sid"] = serde_json::json!("Root");
    let relaid = serde_json::to_string(&v).unwrap();
    assert!(exercises::check(&ex, &relaid, &[]).goals[index].met);
    // Widening the root statement's condition-free allow to a Deny changes it.
    v["Statement"][0]["Action"] = serde_json::json!(["kms:Describe*"]);
    let changed = exercises::check(&ex, &serde_json::to_string(&v).unwrap(), &[]);
    let g = &changed.goals[index];
    assert!(!g.met);
    assert_eq!(
        g.detail.as_ref().map(|d| d.code.as_str()),
        Some("exercise.detail.statement-modified")
    );
}

#[test]
fn a_too_wide_deny_breaks_cloudtrail() {
    let ex = exercises::exercise("deny-outside-s3").unwrap();
    let wide = ex.solution.key_policy.replace("\"kms:Decrypt\",\n      \"Resource\": \"*\",\n      \"Condition\": {\n        \"StringNotLike\"", "\"kms:*\",\n      \"Resource\": \"*\",\n      \"Condition\": {\n        \"StringNotLike\"");
    assert_ne!(
        wide, ex.solution.key_policy,
        "the replacement found the Deny"
    );
    let c = exercises::check(&ex, &wide, &[]);
    assert!(!c.all_met);
    let delivery = &c.goals[4];
    assert!(!delivery.met);
    assert_eq!(delivery.got.as_deref(), Some("explicitDeny"));
    assert_eq!(
        delivery.detail.as_ref().map(|d| d.code.as_str()),
        Some("reason.denied-by-key-policy")
    );
}

#[test]
fn findings_point_into_the_text() {
    let ex = exercises::exercise("documents-placeholders").unwrap();
    let c = ex.check_start();
    let rule = c.goals.last().unwrap();
    assert!(!rule.met);
    let span = rule.span.expect("a finding has a place");
    let snippet = &ex.start_key_policy[span.start..span.end];
    assert!(
        snippet.contains("account-id") || snippet.contains("region"),
        "{snippet}"
    );
}

#[test]
fn grants_goals_check_the_path() {
    let ex = exercises::exercise("grant-constraint").unwrap();
    let c = ex.check_start();
    // Allowed, but by the key policy: not met, and the detail says so.
    assert!(!c.goals[0].met);
    assert_eq!(c.goals[0].got.as_deref(), Some("allowed"));
    assert_eq!(
        c.goals[0].detail.as_ref().map(|d| d.code.as_str()),
        Some("exercise.detail.allowed-by-key-policy")
    );
    assert!(c.goals[0].span.is_some());
}

#[test]
fn broken_json_fails_goals_without_panicking() {
    for ex in exercises::catalogue() {
        for text in ["", "{", "not json", "{\"Statement\": 3}", "[]"] {
            let c = exercises::check(&ex, text, &[]);
            assert!(!c.all_met, "{}: {text:?} meets every goal", ex.id);
        }
    }
}

#[test]
fn checklists_and_exercises_serialize_for_the_page() {
    for ex in exercises::catalogue() {
        for lang in Lang::ALL {
            let j = ex.to_json(lang);
            assert_eq!(j["id"], ex.id.as_str());
            assert!(!j["title"].as_str().unwrap().starts_with("exercise."));
            assert_eq!(j["goals"].as_array().unwrap().len(), ex.goals.len());
            assert!(
                j["start"]["key"]["policy"].is_string() || j["start"]["key"]["policy"].is_object()
            );
            let c = ex.check_start().to_json(lang);
            assert_eq!(c["all_met"], false);
            assert_eq!(c["total"], ex.goals.len());
        }
    }
}

#[test]
fn reading_work_from_a_playground_file() {
    let ex = exercises::exercise("alice-cross-account").unwrap();
    let mut file = ex.start.clone();
    file["key"]["policy"] = serde_json::from_str(&ex.solution.key_policy).unwrap();
    file["identities"][0]["policies"][0] =
        serde_json::from_str(&ex.solution.identity_policies[0].2).unwrap();
    let text = serde_json::to_string_pretty(&file).unwrap();
    let work = exercises::read_work(&ex, &text);
    assert_eq!(work.identity_policies.len(), 1);
    assert!(exercises::check(&ex, &work.key_policy, &work.identity_policies).all_met);
    // A bare policy is the key policy.
    let work = exercises::read_work(&ex, &ex.solution.key_policy);
    assert_eq!(work.key_policy, ex.solution.key_policy);
    assert!(work.identity_policies.is_empty());
}

#[test]
fn the_template_reads_in_both_languages() {
    for lang in Lang::ALL {
        let t = exercises::new_template_in(lang);
        let v: serde_json::Value = serde_json::from_str(&t).expect("the template is JSON");
        assert!(v["_comment"]
            .as_str()
            .is_some_and(|c| !c.starts_with("exercise.")));
        let ex = exercises::parse("my-exercise", &t).unwrap_or_else(|e| panic!("{e}"));
        assert!(ex.check_solution().all_met);
    }
}

#[test]
fn checking_is_fast_enough_to_run_on_every_keystroke() {
    let ex = exercises::exercise("deny-outside-s3").unwrap();
    let start = std::time::Instant::now();
    for _ in 0..50 {
        assert!(exercises::check(&ex, &ex.solution.key_policy, &[]).all_met);
    }
    // Generous for debug builds on a busy machine: 50 checks well under 5 s.
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

/// Which goals (by number, from 1) are unmet.
fn unmet_numbers(c: &Checklist) -> Vec<usize> {
    c.goals
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.met)
        .map(|(i, _)| i + 1)
        .collect()
}

/// A key policy built from the exercise's solution with one statement
/// (found by Sid) changed.
fn with_statement(
    ex: &exercises::Exercise,
    sid: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> String {
    let mut policy: serde_json::Value = serde_json::from_str(&ex.solution.key_policy).unwrap();
    let st = policy["Statement"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("{sid} in the solution"));
    edit(st);
    policy.to_string()
}

// aws:PrincipalOrgID limits a "*" principal to the organization:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
#[test]
fn perimeter_org_only_start_lets_outsiders_in_and_the_solution_does_not() {
    let ex = exercises::exercise("perimeter-org-only").unwrap();
    assert_eq!(unmet_numbers(&ex.check_start()), [3, 4, 5]);
    let solved = exercises::check(&ex, &ex.solution.key_policy, &[]);
    assert!(solved.all_met, "{:?}", unmet(&solved));
    // The wrong organization id locks the members out too.
    let wrong = with_statement(&ex, "AllowUseInsideTheOrganization", |st| {
        st["Condition"]["StringEquals"]["aws:PrincipalOrgID"] = "o-someoneelse".into();
    });
    assert_eq!(unmet_numbers(&exercises::check(&ex, &wrong, &[])), [1]);
}

// The KMS RCP page's confused-deputy RCP: aws:SourceOrgID, only for AWS
// services, only when aws:SourceAccount is present (Null false):
// https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
#[test]
fn perimeter_confused_deputy_needs_the_null_check() {
    let ex = exercises::exercise("perimeter-confused-deputy").unwrap();
    assert_eq!(unmet_numbers(&ex.check_start()), [2]);
    let solved = exercises::check(&ex, &ex.solution.key_policy, &[]);
    assert!(solved.all_met, "{:?}", unmet(&solved));
    // Without the Null check, a service call without a source account is
    // denied (StringNotEqualsIfExists matches a missing aws:SourceOrgID).
    let no_null = with_statement(&ex, "DenyServicesActingForOutsiders", |st| {
        st["Condition"].as_object_mut().unwrap().remove("Null");
    });
    assert_eq!(unmet_numbers(&exercises::check(&ex, &no_null, &[])), [3]);
    // Without the service check, it denies the organization's own roles too.
    let no_service = with_statement(&ex, "DenyServicesActingForOutsiders", |st| {
        st["Condition"].as_object_mut().unwrap().remove("Bool");
        st["Condition"].as_object_mut().unwrap().remove("Null");
    });
    let c = exercises::check(&ex, &no_service, &[]);
    assert!(unmet_numbers(&c).contains(&4), "{:?}", unmet(&c));
}

// aws:SourceVpce is set only for requests through an interface endpoint:
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition
#[test]
fn perimeter_vpc_endpoint_keeps_services_and_describe_open() {
    let ex = exercises::exercise("perimeter-vpc-endpoint").unwrap();
    assert_eq!(unmet_numbers(&ex.check_start()), [2, 3]);
    let solved = exercises::check(&ex, &ex.solution.key_policy, &[]);
    assert!(solved.all_met, "{:?}", unmet(&solved));
    // Denying kms:* closes DescribeKey as well.
    let all = with_statement(&ex, "DenyDataUseOutsideTheEndpoint", |st| {
        st["Action"] = "kms:*".into();
    });
    assert_eq!(unmet_numbers(&exercises::check(&ex, &all, &[])), [4]);
    // Without the service exemption CloudTrail, which has no endpoint, is denied.
    let no_service = with_statement(&ex, "DenyDataUseOutsideTheEndpoint", |st| {
        st["Condition"].as_object_mut().unwrap().remove("Bool");
    });
    assert_eq!(unmet_numbers(&exercises::check(&ex, &no_service, &[])), [5]);
}

/// "Tidy a policy without granting new access": the two merges that look
/// right are each caught, the one by a request goal, the other by the
/// no-new-access goal with the request that proves it.
#[test]
fn tidying_that_widens_the_policy_fails_no_new_access() {
    let ex = exercises::exercise("tidy-without-new-access").unwrap();
    let goal = ex
        .goals
        .iter()
        .position(|g| g.kind == GoalKind::Rule(Rule::NoNewAccess))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&ex.solution.key_policy).unwrap();
    assert!(exercises::check(&ex, &ex.solution.key_policy, &[]).all_met);
    // The start itself grants nothing new against itself.
    assert!(exercises::check(&ex, &ex.start_key_policy, &[]).goals[goal].met);
    // Decrypt without its encryption-context condition: new access.
    v["Statement"][1]
        .as_object_mut()
        .unwrap()
        .remove("Condition");
    let widened = exercises::check(&ex, &serde_json::to_string(&v).unwrap(), &[]);
    let g = &widened.goals[goal];
    assert!(!g.met, "{:?}", unmet(&widened));
    let detail = g.detail.as_ref().expect("a detail");
    assert_eq!(detail.code, "exercise.detail.new-access");
    let message = detail.message(Lang::En);
    assert!(message.contains("kms:Decrypt"), "{message}");
    assert!(message.contains("111122223333:user/"), "{message}");
    // Everything in one statement under the condition: DescribeKey is lost
    // (no new access, but a request goal fails).
    let mut one: serde_json::Value = serde_json::from_str(&ex.solution.key_policy).unwrap();
    one["Statement"][1]["Action"] = serde_json::json!(["kms:Decrypt", "kms:DescribeKey"]);
    one["Statement"].as_array_mut().unwrap().truncate(2);
    let narrowed = exercises::check(&ex, &serde_json::to_string(&one).unwrap(), &[]);
    assert!(narrowed.goals[goal].met, "{:?}", unmet(&narrowed));
    assert!(!narrowed.all_met);
}
