//! Fixes for failing requests: each kind proposed for a failing playground
//! file, applied, and checked by running the engine again; explanations for
//! explicit denies and unwanted passes; and a sweep over every fixture with
//! one key-policy statement taken out at a time.

use kmsplay_kms::{Decision, Outcome};
use kmsplay_lab::fixes::{
    apply, explain_unwanted, is_subsequence, problem, suggest, Fix, FixTarget, Problem,
};
use kmsplay_messages::{render, Lang};
use kmsplay_playground::{Expect, PolicySource};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/playground/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture, changed, written out again.
fn edited(name: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&fixture(name)).unwrap();
    change(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn statements(v: &mut Value) -> &mut Vec<Value> {
    v["key"]["policy"]["Statement"].as_array_mut().unwrap()
}

/// The index of the request called `name`.
fn request(text: &str, name: &str) -> usize {
    let v: Value = serde_json::from_str(text).unwrap();
    v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no request {name}"))
}

/// The key policy's text in a file: the string, or the object's bytes.
fn key_policy_text(file_text: &str) -> String {
    let root = kmsplay_json::parse(file_text).unwrap();
    let node = root.get("key").unwrap().get("policy").unwrap();
    match node.as_str() {
        Some(s) => s.to_string(),
        None => file_text[node.span.start..node.span.end].to_string(),
    }
}

/// Both catalogues have the fix's title and detail, every placeholder filled.
fn check_messages(fix: &Fix) {
    for lang in Lang::ALL {
        for part in ["title", "detail"] {
            let id = format!("fix.{}.{part}", fix.code);
            assert!(kmsplay_messages::exists(&id), "{id} is missing");
            let text = render(lang, &id, &fix.params);
            assert!(
                !text.contains('{'),
                "{id} ({lang:?}) left a placeholder: {text}"
            );
        }
    }
    if let Some(also) = &fix.also {
        check_messages(also);
    }
}

/// Lines of the diff marked with one of `marks`, without the mark.
fn diff_lines<'d>(diff: &'d str, marks: &[char]) -> Vec<&'d str> {
    diff.lines()
        .filter(|l| !l.starts_with("@@"))
        .filter(|l| l.chars().next().is_some_and(|c| marks.contains(&c)))
        .map(|l| &l[1..])
        .collect()
}

/// `part` appear in `whole`, in order.
fn in_order(part: &[&str], whole: &[&str]) -> bool {
    let mut it = whole.iter();
    part.iter().all(|p| it.any(|w| w == p))
}

/// Applies `fix` and checks everything a fix promises; returns the new file.
fn check_fix(file_text: &str, index: usize, fix: &Fix) -> String {
    check_messages(fix);
    assert!(fix.changes_text(), "{fix:?}");
    let new = apply(file_text, fix).unwrap_or_else(|e| panic!("{e:?} applying {fix:?}"));
    let before_file = kmsplay_playground::read(file_text).unwrap();
    let after_file = kmsplay_playground::read(&new).unwrap_or_else(|e| panic!("{e:?}\n{new}"));
    let before = kmsplay_playground::run(&before_file, false);
    let after = kmsplay_playground::run(&after_file, false);
    assert_eq!(
        problem(&after_file, index),
        None,
        "request {index} still fails after {}:\n{}",
        fix.code,
        fix.diff
    );
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if b.expect_met == Some(true) {
            assert_eq!(a.expect_met, Some(true), "{} broke request {i}", fix.code);
        }
    }
    // The user's key policy bytes all stay.
    let old_policy = key_policy_text(file_text);
    let new_policy = key_policy_text(&new);
    assert!(is_subsequence(&old_policy, &new_policy));
    if fix.target == FixTarget::KeyPolicy {
        assert_eq!(fix.new_text, new_policy);
    }
    // A key policy given as a string stays a string.
    let was_string = kmsplay_json::parse(file_text)
        .unwrap()
        .get("key")
        .unwrap()
        .get("policy")
        .unwrap()
        .as_str()
        .is_some();
    let is_string = kmsplay_json::parse(&new)
        .unwrap()
        .get("key")
        .unwrap()
        .get("policy")
        .unwrap()
        .as_str()
        .is_some();
    assert_eq!(was_string, is_string);
    if !was_string {
        // Every policy is an object in the file: nothing of it is lost.
        assert!(is_subsequence(file_text, &new));
    }
    // The diff leads from the old text of the target to its new text (both
    // formatted when a line is too long to read).
    let mut f = Some(fix);
    while let Some(fix) = f {
        assert!(fix.diff.starts_with("@@ -"), "{}", fix.diff);
        // Lines in order in the text itself, or in the text formatted (a
        // policy with lines too long to read is compared formatted).
        let fits = |part: &[&str], text: &str| {
            let formatted = serde_json::from_str::<Value>(text)
                .map(|v| kmsplay_lab::snippets::pretty(&v))
                .unwrap_or_default();
            in_order(part, &text.lines().collect::<Vec<_>>())
                || in_order(part, &formatted.lines().collect::<Vec<_>>())
        };
        assert!(
            fits(&diff_lines(&fix.diff, &[' ', '+']), &fix.new_text),
            "{}",
            fix.diff
        );
        assert!(!diff_lines(&fix.diff, &['+']).is_empty());
        if fix.target == FixTarget::KeyPolicy {
            assert!(
                fits(&diff_lines(&fix.diff, &[' ', '-']), &old_policy),
                "{}",
                fix.diff
            );
        }
        f = fix.also.as_deref();
    }
    new
}

fn statement_of(fix: &Fix) -> Value {
    // The one statement added: the last of the new text's statements.
    let v: Value = serde_json::from_str(&fix.new_text).unwrap();
    let list = match &v["Statement"] {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    list.last().cloned().unwrap()
}

// --- (a) cross account: the missing half ----------------------------------------------

#[test]
fn cross_account_missing_identity_half_adds_an_iam_statement() {
    // Alice loses her IAM policy: only the key-policy half is left.
    let text = edited("alice-cross-account.json", |v| {
        v["identities"][0]["policies"] = json!([]);
    });
    let i = request(
        &text,
        "Alice reads a trail log file: key-policy half (account 222 root) + identity-policy half",
    );
    let fixes = suggest(&text, i);
    let fix = &fixes[0];
    assert_eq!(fix.code, "add-identity-half");
    assert_eq!(
        fix.target,
        FixTarget::IdentityPolicy {
            identity: "arn:aws:iam::222222222222:user/Alice".into(),
            policy: None
        }
    );
    assert_eq!(
        fix.param("statement"),
        Some("#2 \"Enable encrypted CloudTrail log read access\"")
    );
    let st = statement_of(fix);
    assert_eq!(st["Effect"], "Allow");
    assert_eq!(st["Action"], "kms:Decrypt");
    assert_eq!(
        st["Resource"],
        "arn:aws:kms:us-west-2:111111111111:key/3c2b1a09-8f7e-4d6c-b5a4-93827160fedc"
    );
    assert!(st.get("Principal").is_none());
    let new = check_fix(&text, i, fix);
    // The "Success" twin passes too; the new policy sits in Alice's list.
    assert_eq!(
        problem(&kmsplay_playground::read(&new).unwrap(), i + 1),
        None
    );
    let v: Value = serde_json::from_str(&new).unwrap();
    assert_eq!(v["identities"][0]["policies"].as_array().unwrap().len(), 1);
}

#[test]
fn cross_account_identity_half_for_a_caller_the_file_does_not_list() {
    let text = edited("alice-cross-account.json", |v| {
        v["identities"].as_array_mut().unwrap().remove(0);
    });
    let i = request(&text, "Alice cross-account outcome Success");
    let fixes = suggest(&text, i);
    assert_eq!(fixes[0].code, "add-identity-half");
    let new = check_fix(&text, i, &fixes[0]);
    let v: Value = serde_json::from_str(&new).unwrap();
    let last = v["identities"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["arn"], "arn:aws:iam::222222222222:user/Alice");
    assert_eq!(last["policies"][0]["Version"], "2012-10-17");
}

#[test]
fn cross_account_missing_key_half_allows_the_account_root() {
    let text = edited("alice-cross-account.json", |v| {
        statements(v).remove(1);
    });
    let i = request(
        &text,
        "Alice reads a trail log file: key-policy half (account 222 root) + identity-policy half",
    );
    let fixes = suggest(&text, i);
    let codes: Vec<&str> = fixes.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["allow-account", "allow-caller-cross-account"]);
    let st = statement_of(&fixes[0]);
    assert_eq!(st["Principal"]["AWS"], "arn:aws:iam::222222222222:root");
    assert_eq!(st["Action"], "kms:Decrypt");
    assert_eq!(st["Resource"], "*");
    // Trail logs only, as seed 002 writes it: the decrypt without the
    // CloudTrail context must stay denied.
    assert_eq!(
        st["Condition"],
        json!({ "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } })
    );
    for fix in &fixes {
        assert_eq!(fix.target, FixTarget::KeyPolicy);
        check_fix(&text, i, fix);
    }
    let st = statement_of(&fixes[1]);
    assert_eq!(
        st["Principal"]["AWS"],
        "arn:aws:iam::222222222222:user/Alice"
    );
}

#[test]
fn both_halves_missing_come_as_one_fix_with_its_companion() {
    let text = edited("alice-cross-account.json", |v| {
        let i = v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["name"] == "Alice Encrypt: neither half allows it")
            .unwrap();
        v["requests"][i]["expect"] = json!("allowed");
    });
    let i = request(&text, "Alice Encrypt: neither half allows it");
    let fixes = suggest(&text, i);
    assert_eq!(fixes.len(), 1, "{fixes:#?}");
    let fix = &fixes[0];
    assert_eq!(fix.code, "both-halves");
    assert_eq!(fix.target, FixTarget::KeyPolicy);
    let also = fix.also.as_deref().expect("the IAM half");
    assert_eq!(also.code, "both-halves-identity");
    assert_eq!(
        also.target,
        FixTarget::IdentityPolicy {
            identity: "arn:aws:iam::222222222222:user/Alice".into(),
            policy: Some(0)
        }
    );
    // Alice's own policy keeps its statement and gains one.
    let new = check_fix(&text, i, fix);
    let v: Value = serde_json::from_str(&new).unwrap();
    let alice = &v["identities"][0]["policies"][0]["Statement"];
    assert_eq!(alice.as_array().unwrap().len(), 2);
}

// --- (b) same account, IAM allows but the key policy does not delegate ----------------

#[test]
fn iam_user_without_root_delegation_gets_the_caller_scoped_statement_first() {
    let text = edited("bob-same-account.json", |v| {
        statements(v).remove(0);
    });
    let i = request(&text, "Carol: IAM policy + root delegation, same account");
    let fixes = suggest(&text, i);
    let codes: Vec<&str> = fixes.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["allow-caller-not-delegated", "enable-iam-policies"]);
    let st = statement_of(&fixes[0]);
    assert_eq!(
        st["Principal"]["AWS"],
        "arn:aws:iam::111111111111:user/Carol"
    );
    assert_eq!(st["Action"], "kms:Decrypt");
    let root = statement_of(&fixes[1]);
    assert_eq!(root["Sid"], "Enable IAM User Permissions");
    assert_eq!(root["Principal"]["AWS"], "arn:aws:iam::111111111111:root");
    assert_eq!(fixes[1].param("account"), Some("111111111111"));
    // The detail of the first names the root statement as the alternative.
    let detail = render(
        Lang::En,
        "fix.allow-caller-not-delegated.detail",
        &fixes[0].params,
    );
    assert!(detail.contains("Enable IAM User Permissions"), "{detail}");
    for fix in &fixes {
        check_fix(&text, i, fix);
    }
}

#[test]
fn the_root_statement_is_dropped_when_it_would_let_in_too_much() {
    // Without the root statement, a request that must stay denied (Carol's
    // GenerateDataKey is not in her IAM policy, but a wider IAM policy of
    // Dave would be let in) decides which fixes survive.
    let text = edited("bob-same-account.json", |v| {
        statements(v).remove(0);
        v["identities"][2]["policies"] = json!([{
            "Version": "2012-10-17",
            "Statement": [{ "Effect": "Allow", "Action": "kms:*", "Resource": "*" }],
        }]);
        // Carol Decrypt should pass; Dave must stay denied.
    });
    let i = request(&text, "Carol: IAM policy + root delegation, same account");
    let codes: Vec<&str> = suggest(&text, i).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["allow-caller-not-delegated"]);
}

// --- (c) a service principal -------------------------------------------------------------

#[test]
fn service_request_gets_a_statement_with_source_arn_and_context_conditions() {
    let text = edited("cloudtrail-trail.json", |v| {
        statements(v).remove(1);
    });
    let i = 0;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["requests"][i]["principal"], "cloudtrail.amazonaws.com");
    let fixes = suggest(&text, i);
    assert_eq!(fixes[0].code, "allow-service");
    assert_eq!(fixes[0].param("service"), Some("cloudtrail.amazonaws.com"));
    let st = statement_of(&fixes[0]);
    assert_eq!(
        st["Principal"],
        json!({ "Service": "cloudtrail.amazonaws.com" })
    );
    assert_eq!(st["Action"], "kms:GenerateDataKey");
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:SourceArn"],
        v["requests"][i]["context"]["aws:SourceArn"]
    );
    assert_eq!(
        st["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"],
        "arn:aws:cloudtrail:*:111122223333:trail/*"
    );
    check_fix(&text, i, &fixes[0]);
}

#[test]
fn service_request_with_no_statement_in_a_root_only_string_policy() {
    // A pasted root-only policy, kept as a string, with its own odd layout.
    let policy = "{\n\t\"Version\":\"2012-10-17\",\n\t\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]\n}\n";
    let file = json!({
        "version": 1,
        "key": { "arn": "arn:aws:kms:us-east-1:111111111111:key/k-1", "policy": policy },
        "requests": [
            {
                "name": "EventBridge's secret encryption",
                "principal": "events.amazonaws.com",
                "action": "kms:Decrypt",
                "encryption_context": { "SecretARN": "arn:aws:secretsmanager:us-east-1:111111111111:secret:events!connection/a" },
                "context": { "aws:SourceAccount": "111111111111" },
                "expect": "allowed"
            },
            {
                "name": "another secret stays closed",
                "principal": "events.amazonaws.com",
                "action": "kms:Decrypt",
                "encryption_context": { "SecretARN": "arn:aws:secretsmanager:us-east-1:111111111111:secret:other" },
                "context": { "aws:SourceAccount": "111111111111" },
                "expect": "implicitDeny"
            }
        ]
    })
    .to_string();
    let fixes = suggest(&file, 0);
    assert_eq!(fixes.len(), 1);
    let st = statement_of(&fixes[0]);
    assert_eq!(
        st["Condition"],
        json!({ "StringEquals": {
            "aws:SourceAccount": "111111111111",
            "kms:EncryptionContext:SecretARN": "arn:aws:secretsmanager:us-east-1:111111111111:secret:events!connection/a",
        }})
    );
    let new = check_fix(&file, 0, &fixes[0]);
    // Still a string, starting with the user's own bytes.
    assert!(key_policy_text(&new)
        .starts_with("{\n\t\"Version\":\"2012-10-17\",\n\t\"Statement\":[{\"Sid\""));
    // Its lines are too long to read: the diff is of the formatted texts.
    assert!(
        fixes[0].diff.lines().all(|l| l.chars().count() <= 162),
        "{}",
        fixes[0].diff
    );
}

// --- (d) an IAM user or role named in the key policy ----------------------------------------

#[test]
fn same_account_user_named_with_the_trail_logs_condition() {
    let text = edited("cloudtrail-trail.json", |v| {
        statements(v).remove(3);
    });
    let i = 17;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["requests"][i]["principal"],
        "arn:aws:iam::111122223333:user/cloudtrail-admin"
    );
    let fixes = suggest(&text, i);
    // The root statement is there: the IAM policy is the natural half,
    // naming the user in the key policy the alternative.
    let codes: Vec<&str> = fixes.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["add-iam-statement", "allow-caller"]);
    let st = statement_of(&fixes[1]);
    assert_eq!(
        st["Principal"]["AWS"],
        "arn:aws:iam::111122223333:user/cloudtrail-admin"
    );
    assert_eq!(st["Resource"], "*");
    assert_eq!(
        st["Condition"],
        json!({ "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } })
    );
    for fix in &fixes {
        check_fix(&text, i, fix);
    }
}

#[test]
fn role_session_is_named_by_its_role() {
    let text = edited("cloudtrail-read-role.json", |v| {
        statements(v).remove(1);
    });
    let i = 0;
    let fixes = suggest(&text, i);
    let caller = fixes
        .iter()
        .find(|f| f.code == "allow-caller")
        .expect("a key policy statement naming the role");
    let st = statement_of(caller);
    assert_eq!(
        st["Principal"]["AWS"],
        "arn:aws:iam::111111111111:role/CloudTrailReadRole"
    );
    check_fix(&text, i, caller);
    // The IAM alternative goes to the role's identity entry, not the session.
    let iam = fixes
        .iter()
        .find(|f| f.code == "add-iam-statement")
        .unwrap();
    assert_eq!(
        iam.target,
        FixTarget::IdentityPolicy {
            identity: "arn:aws:iam::111111111111:role/CloudTrailReadRole".into(),
            policy: None
        }
    );
    check_fix(&text, i, iam);
}

// --- (e) a condition that fails: a new statement, the old one untouched ---------------------

#[test]
fn a_failing_condition_gets_a_new_narrow_statement() {
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Finance data only",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111111111111:role/App"},
      "Action": "kms:Decrypt",
      "Resource": "*",
      "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "Finance"}}
    }
  ]
}"#;
    let file = json!({
        "version": 1,
        "key": { "arn": "arn:aws:kms:us-east-1:111111111111:key/k-2", "policy": policy },
        "requests": [
            { "principal": "arn:aws:iam::111111111111:role/App", "action": "kms:Decrypt",
              "encryption_context": { "Department": "IT" }, "expect": "allowed" },
            { "principal": "arn:aws:iam::111111111111:role/App", "action": "kms:Decrypt",
              "encryption_context": { "Department": "Legal" }, "expect": "implicitDeny" },
            { "principal": "arn:aws:iam::111111111111:role/App", "action": "kms:Decrypt",
              "encryption_context": { "Department": "Finance" }, "expect": "allowed" }
        ]
    })
    .to_string();
    let fixes = suggest(&file, 0);
    assert_eq!(fixes.len(), 1);
    let fix = &fixes[0];
    assert_eq!(fix.code, "condition-not-met");
    assert_eq!(fix.param("statement"), Some("#1 \"Finance data only\""));
    assert_eq!(
        fix.param("condition_key"),
        Some("kms:EncryptionContext:Department")
    );
    assert_eq!(fix.param("expected"), Some("Finance"));
    assert_eq!(fix.param("actual"), Some("IT"));
    let st = statement_of(fix);
    assert_eq!(
        st["Condition"],
        json!({ "StringEquals": { "kms:EncryptionContext:Department": "IT" } })
    );
    let new = check_fix(&file, 0, fix);
    // The existing statement is there, byte for byte.
    let first = &policy[policy.find("    {").unwrap()..policy.find("\n  ]").unwrap()];
    assert!(key_policy_text(&new).contains(first));
    let detail = render(Lang::En, "fix.condition-not-met.detail", &fix.params);
    assert!(
        detail.contains("StringEquals kms:EncryptionContext:Department"),
        "{detail}"
    );
    let ja = render(Lang::Ja, "fix.condition-not-met.detail", &fix.params);
    assert!(ja.contains("条件"), "{ja}");
}

// --- explicit deny: explained, never worked around -----------------------------------------

#[test]
fn explicit_deny_gets_an_explanation_and_no_text() {
    let name = "Bob Decrypt without TLS: Deny (Principal *) beats his allow";
    let text = edited("deny-rules.json", |v| {
        for r in v["requests"].as_array_mut().unwrap() {
            if r["name"] == name {
                r["expect"] = json!("allowed");
            }
        }
    });
    let i = request(&text, name);
    let fixes = suggest(&text, i);
    assert_eq!(fixes.len(), 1, "{fixes:#?}");
    let fix = &fixes[0];
    assert_eq!(fix.code, "blocked-by-deny");
    assert!(!fix.changes_text());
    assert!(fix.diff.is_empty());
    assert_eq!(fix.param("statement"), Some("#3 \"DenyDecryptWithoutTLS\""));
    check_messages(fix);
    assert_eq!(apply(&text, fix).unwrap(), text);

    // A Deny in the caller's own IAM policy.
    let name = "Dave: Deny in his identity policy beats the key policy's direct allow";
    let text = edited("deny-rules.json", |v| {
        for r in v["requests"].as_array_mut().unwrap() {
            if r["name"] == name {
                r["expect"] = json!("Success");
            }
        }
    });
    let fixes = suggest(&text, request(&text, name));
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].code, "blocked-by-identity-deny");
    assert!(!fixes[0].changes_text());
    assert_eq!(
        fixes[0].param("identity"),
        Some("arn:aws:iam::111111111111:user/Dave")
    );
    check_messages(&fixes[0]);
}

#[test]
fn no_fix_for_requests_that_get_what_they_expect_or_fail_for_the_key() {
    let text = fixture("deny-rules.json");
    for i in 0..26 {
        assert!(suggest(&text, i).is_empty(), "request {i}");
    }
    // Out of range, unreadable.
    assert!(suggest(&text, 99).is_empty());
    assert!(suggest("{", 0).is_empty());
    // A disabled key: no policy change makes Success come out.
    let text = fixture("key-state-disabled.json");
    let file = kmsplay_playground::read(&text).unwrap();
    for (i, r) in file.requests.iter().enumerate() {
        if r.expect == Some(Expect::Outcome(Outcome::Success)) {
            assert!(suggest(&text, i).iter().all(|f| f.changes_text()));
        }
    }
}

#[test]
fn operations_no_other_account_may_call_are_explained() {
    let name = "Alice ScheduleKeyDeletion: key policy half and IAM half, but not a cross-account operation";
    let text = edited("alice-cross-account.json", |v| {
        let r = v["requests"].as_array_mut().unwrap().last_mut().unwrap();
        r["name"] = json!(name);
        r["expect"] = json!("allowed");
    });
    let fixes = suggest(&text, request(&text, name));
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].code, "operation-not-cross-account");
    assert!(!fixes[0].changes_text());
    check_messages(&fixes[0]);
}

// --- unwanted passes ------------------------------------------------------------------------

fn expect_denied(name: &str, file: &str, request_name: &str) -> (String, usize) {
    let text = edited(file, |v| {
        for r in v["requests"].as_array_mut().unwrap() {
            if r["name"] == request_name {
                r["expect"] = json!(name);
            }
        }
    });
    let i = request(&text, request_name);
    (text, i)
}

#[test]
fn unwanted_pass_names_the_key_policy_statement() {
    let (text, i) = expect_denied(
        "implicitDeny",
        "bob-same-account.json",
        "Bob reads a trail log file through S3",
    );
    let file = kmsplay_playground::read(&text).unwrap();
    assert_eq!(problem(&file, i), Some(Problem::Allowed));
    assert!(suggest(&text, i).is_empty());
    let culprits = explain_unwanted(&text, i);
    assert_eq!(culprits.len(), 1, "{culprits:#?}");
    let c = &culprits[0];
    assert_eq!(c.code, "key-policy-statement");
    assert_eq!(c.source, Some(PolicySource::Key));
    let span = c.span.unwrap();
    let st = &text[span.start..span.end];
    assert!(
        st.contains("\"Sid\": \"Enable CloudTrail log decrypt permissions\""),
        "{st}"
    );
    assert!(st.contains("user/Bob"));
    for lang in Lang::ALL {
        let m = render(lang, &format!("culprit.{}", c.code), &c.params);
        assert!(!m.contains('{') && m.contains("#2"), "{m}");
    }
}

#[test]
fn unwanted_pass_through_root_delegation_names_both_policies() {
    let (text, i) = expect_denied(
        "AccessDeniedException",
        "bob-same-account.json",
        "Carol: IAM policy + root delegation, same account",
    );
    let culprits = explain_unwanted(&text, i);
    let codes: Vec<&str> = culprits.iter().map(|c| c.code).collect();
    assert_eq!(codes, ["key-policy-delegates", "identity-policy-statement"]);
    let c = &culprits[1];
    assert_eq!(
        c.source,
        Some(PolicySource::Identity {
            identity: 1,
            policy: 0
        })
    );
    let span = c.span.unwrap();
    assert!(text[span.start..span.end].contains("\"Effect\": \"Allow\""));
    for c in &culprits {
        for lang in Lang::ALL {
            let m = render(lang, &format!("culprit.{}", c.code), &c.params);
            assert!(!m.contains('{'), "{m}");
        }
    }
}

#[test]
fn unwanted_pass_through_a_grant_and_across_accounts() {
    let (text, i) = expect_denied(
        "implicitDeny",
        "deny-rules.json",
        "Eve decrypts through her grant",
    );
    let culprits = explain_unwanted(&text, i);
    assert_eq!(culprits.len(), 1);
    assert_eq!(culprits[0].code, "grant");
    assert_eq!(culprits[0].source, None);
    let span = culprits[0].span.unwrap();
    assert!(text[span.start..span.end].contains("\"grant-eve\""));
    assert!(render(Lang::Ja, "culprit.grant", &culprits[0].params).contains("grant-eve"));

    let (text, i) = expect_denied(
        "implicitDeny",
        "alice-cross-account.json",
        "Alice reads a trail log file: key-policy half (account 222 root) + identity-policy half",
    );
    let codes: Vec<&str> = explain_unwanted(&text, i).iter().map(|c| c.code).collect();
    assert_eq!(
        codes,
        ["key-policy-cross-account", "identity-policy-statement"]
    );
    // Nothing to explain for a request that is denied as it should be.
    assert!(explain_unwanted(&fixture("deny-rules.json"), 1).is_empty());
}

// --- every fixture, one key-policy statement taken out at a time ---------------------------

/// Does this expectation call for the request to be allowed?
fn expects_allowed(e: Option<Expect>) -> bool {
    matches!(
        e,
        Some(Expect::Decision(Decision::Allowed)) | Some(Expect::Outcome(Outcome::Success))
    )
}

#[test]
fn every_fixture_with_one_statement_removed() {
    let dir = format!("{}/../../tests/playground", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    // Bounded: a few cases per fixture, so every fixture is visited.
    const PER_FIXTURE: usize = 6;
    const MAX_CASES: usize = 120;
    let mut cases = 0;
    let mut with_fixes = 0;
    let mut fixes_checked = 0;
    let mut codes = std::collections::BTreeSet::new();
    for name in &names {
        let original: Value = serde_json::from_str(&fixture(name)).unwrap();
        let count = original["key"]["policy"]["Statement"]
            .as_array()
            .map_or(0, Vec::len);
        let mut in_fixture = 0;
        'statements: for k in 0..count {
            let text = edited(name, |v| {
                statements(v).remove(k);
            });
            let file = kmsplay_playground::read(&text).unwrap();
            for (i, spec) in file.requests.iter().enumerate() {
                if !expects_allowed(spec.expect) || problem(&file, i) != Some(Problem::Denied) {
                    continue;
                }
                if in_fixture == PER_FIXTURE || cases == MAX_CASES {
                    break 'statements;
                }
                in_fixture += 1;
                cases += 1;
                let fixes = suggest(&text, i);
                if fixes.iter().any(Fix::changes_text) {
                    with_fixes += 1;
                }
                for fix in &fixes {
                    codes.insert(fix.code);
                    if fix.changes_text() {
                        check_fix(&text, i, fix);
                        fixes_checked += 1;
                    } else {
                        check_messages(fix);
                    }
                }
            }
        }
    }
    assert!(cases >= 60, "only {cases} cases");
    assert!(
        with_fixes * 2 >= cases,
        "{with_fixes} of {cases} cases got a fix"
    );
    assert!(fixes_checked >= with_fixes);
    for code in [
        "allow-service",
        "allow-caller",
        "add-iam-statement",
        "allow-account",
    ] {
        assert!(codes.contains(code), "{code} never came up: {codes:?}");
    }
}

/// Issue #16, item 7: a policy pasted with the documentation's placeholders
/// (`region`, `account-id`, `trail-name`) is corrected where it stands, not
/// given a second statement beside the broken one. Seed 002 prints these
/// statements with the placeholders to replace
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
#[test]
fn placeholders_are_filled_in_where_they_stand() {
    let exercise: Value = serde_json::from_str(include_str!(
        "../../../exercises/documents-placeholders.json"
    ))
    .unwrap();
    let mut file = exercise["start"].clone();
    file["requests"] = Value::Array(
        exercise["goals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["kind"] == "request")
            .map(|g| g["request"].clone())
            .collect(),
    );
    let text = serde_json::to_string_pretty(&file).unwrap();
    let fixes = suggest(&text, 0);
    let first = fixes.first().expect("a fix");
    assert_eq!(first.code, "fill-placeholders", "{fixes:#?}");
    check_messages(first);
    // The request passes, and no other request's met expectation breaks.
    let fixed = apply(&text, first).unwrap();
    let after = kmsplay_playground::read(&fixed).unwrap();
    assert_eq!(problem(&after, 0), None, "{}", first.diff);
    assert!(first.diff.contains("-                    \"aws:SourceArn\": \"arn:aws:cloudtrail:region:account-id:trail/trail-name\""), "{}", first.diff);
    let new = &first.new_text;
    assert!(
        new.contains("arn:aws:cloudtrail:us-west-2:111111111111:trail/management-events"),
        "{new}"
    );
    // The wildcard stays a wildcard; only the word is filled.
    assert!(
        new.contains("arn:aws:cloudtrail:*:111111111111:trail/*"),
        "{new}"
    );
    assert!(
        !new.contains("account-id") && !new.contains("trail-name"),
        "{new}"
    );
    // No second statement: as many statements as before.
    let count = |t: &str| {
        serde_json::from_str::<Value>(t).unwrap()["Statement"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(new), count(&key_policy_text(&text)));
    assert!(!new.contains("(2)"));
    assert!(first
        .param("placeholders")
        .unwrap()
        .contains("trail-name → management-events"));
}

/// Issue #16, item 7: a one-line policy's fix is shown as a readable diff of
/// the formatted statement, not one truncated `-{…}` / `+{…}` line pair.
#[test]
fn a_one_line_policys_fix_is_a_readable_diff() {
    let text = edited("cloudtrail-trail.json", |v| {
        let policy = v["key"]["policy"].clone();
        let policy: Value = match policy {
            Value::String(s) => serde_json::from_str(&s).unwrap(),
            other => other,
        };
        let mut policy = policy;
        policy["Statement"].as_array_mut().unwrap().truncate(1);
        v["key"]["policy"] = Value::String(policy.to_string());
    });
    let index = (0..20)
        .find(|&i| !suggest(&text, i).is_empty())
        .expect("a failing request");
    let fix = &suggest(&text, index)[0];
    assert!(key_policy_text(&text).lines().count() == 1);
    for line in fix.diff.lines() {
        assert!(line.chars().count() <= 162, "a readable line: {line}");
    }
    assert!(
        fix.diff.lines().filter(|l| l.starts_with('+')).count() > 3,
        "{}",
        fix.diff
    );
    check_fix(&text, index, fix);
}

// --- fixes in the other layers of the evaluation chain ---------------------------------
//
// The order AWS decides in, and which layer's words an AccessDenied names:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

const APP: &str = "arn:aws:sts::111111111111:assumed-role/App/s1";
const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A key in member account 111111111111 (under ou-work) whose policy lets
/// IAM policies count, and the App role with an IAM policy allowing every
/// KMS action on it: only the layer under test can refuse App's Decrypt.
fn layered(change: impl FnOnce(&mut Value)) -> String {
    let mut v = json!({
        "version": 1,
        "organization": {
            "id": "o-a1b2c3d4e5", "root": "r-a1b2", "management_account": "999999999999",
            "accounts": { "111111111111": ["ou-work"] }
        },
        "key": {
            "arn": KEY,
            "policy": { "Version": "2012-10-17", "Statement": [
                { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                  "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "kms:*", "Resource": "*" }
            ] }
        },
        "identities": [ { "arn": "arn:aws:iam::111111111111:role/App", "policies": [
            { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:*", "Resource": KEY } ] }
        ] } ],
        "requests": [
            { "name": "App encrypts", "principal": APP, "action": "kms:Encrypt", "expect": "allowed" },
            { "name": "App decrypts", "principal": APP, "action": "kms:Decrypt", "expect": "allowed" }
        ]
    });
    change(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn only_encrypt() -> Value {
    json!({ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*" } ] })
}

fn deny_decrypt() -> Value {
    json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": "*" },
        { "Sid": "NoDecrypt", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*",
          "Condition": { "StringNotEquals": { "aws:PrincipalTag/team": "data" } } }
    ] })
}

fn decide(text: &str, index: usize) -> kmsplay_kms::Authorization {
    let file = kmsplay_playground::read(text).unwrap();
    kmsplay_playground::decide(&file, &file.requests[index], false).authorization
}

/// The one fix for request 1 (App's Decrypt), decided first by `layer`:
/// it targets the layer's policy at `path`, and applied, the engine
/// allows the request.
fn layer_fix_lets_it_through(text: &str, layer: kmsplay_kms::PolicyType, path: &str) -> Fix {
    let before = decide(text, 1);
    assert_eq!(
        before.decision,
        Decision::ImplicitDeny,
        "{:?}",
        before.reasons
    );
    assert_eq!(before.policy_type, layer);
    let fixes = suggest(text, 1);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let fix = fixes[0].clone();
    assert_eq!(
        fix.target,
        FixTarget::Layer(PolicySource::from_path(path).unwrap())
    );
    assert_eq!(fix.target.kind(), layer.code());
    assert_eq!(fix.target.path().as_deref(), Some(path));
    assert!(fix.also.is_none(), "the layer alone was at fault");
    let new = check_fix(text, 1, &fix);
    assert_eq!(decide(&new, 1).decision, Decision::Allowed);
    fix
}

/// The explanation-only fix for an explicit deny in a guardrail layer.
fn guardrail_explained(text: &str, code: &str, path: &str) -> Vec<Fix> {
    let before = decide(text, 1);
    assert_eq!(
        before.decision,
        Decision::ExplicitDeny,
        "{:?}",
        before.reasons
    );
    let fixes = suggest(text, 1);
    assert!(!fixes.is_empty());
    let f = &fixes[0];
    assert_eq!(f.code, code);
    assert!(!f.changes_text(), "a guardrail's Deny is not weakened");
    assert_eq!(
        f.target,
        FixTarget::Layer(PolicySource::from_path(path).unwrap())
    );
    assert_eq!(apply(text, f).unwrap(), text);
    check_messages(f);
    fixes
}

#[test]
fn scp_without_an_allow_at_a_node_gets_the_action_added_there() {
    // "an Allow at every level from the root to the account":
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
    let text = layered(|v| v["organization"]["scps"] = json!({ "ou-work": [only_encrypt()] }));
    let fix = layer_fix_lets_it_through(
        &text,
        kmsplay_kms::PolicyType::ServiceControl,
        "organization.scps.ou-work[0]",
    );
    assert_eq!(fix.code, "scp-allow-action");
    assert_eq!(fix.param("node"), Some("ou-work"));
    assert!(fix.new_text.contains("\"kms:Decrypt\""), "{}", fix.new_text);
    // JSON target for the command line: {"kind": "scp", "path": …}.
    assert_eq!(fix.target.kind(), "scp");
}

#[test]
fn a_node_whose_scps_were_all_detached_gets_a_new_scp() {
    // A listed node has exactly the listed policies: none at all allows nothing.
    let text = layered(|v| {
        v["organization"]["scps"] = json!({ "ou-work": [] });
        v["requests"].as_array_mut().unwrap().remove(0);
        v["requests"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({ "name": "spacer", "principal": APP, "action": "kms:Encrypt", "expect": "implicitDeny" }));
    });
    let fix = layer_fix_lets_it_through(
        &text,
        kmsplay_kms::PolicyType::ServiceControl,
        "organization.scps.ou-work[0]",
    );
    assert!(
        !fix.diff.lines().any(|l| l.starts_with('-')),
        "{}",
        fix.diff
    );
}

#[test]
fn scp_deny_is_explained_not_weakened() {
    let text = layered(|v| v["organization"]["scps"] = json!({ "r-a1b2": [deny_decrypt()] }));
    let fixes = guardrail_explained(&text, "scp-deny", "organization.scps.r-a1b2[0]");
    assert_eq!(fixes.len(), 1);
    let f = &fixes[0];
    assert_eq!(f.param("statement"), Some("#2 \"NoDecrypt\""));
    assert_eq!(f.param("condition_key"), Some("aws:PrincipalTag/team"));
    assert_eq!(f.param("actual"), Some("—"));
}

#[test]
fn permissions_boundary_gets_the_action_on_the_key() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
    let text = layered(|v| v["identities"][0]["permissions_boundary"] = only_encrypt());
    let fix = layer_fix_lets_it_through(
        &text,
        kmsplay_kms::PolicyType::PermissionsBoundary,
        "identities[0].permissions_boundary",
    );
    assert_eq!(fix.code, "boundary-allow-action");
    assert!(
        fix.new_text.contains(KEY),
        "the key's ARN only: {}",
        fix.new_text
    );
    let text = layered(|v| v["identities"][0]["permissions_boundary"] = deny_decrypt());
    guardrail_explained(&text, "boundary-deny", "identities[0].permissions_boundary");
}

#[test]
fn session_policy_gets_the_action_on_the_key() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
    let text = layered(|v| v["requests"][1]["session_policies"] = json!([only_encrypt()]));
    let fix = layer_fix_lets_it_through(
        &text,
        kmsplay_kms::PolicyType::Session,
        "requests[1].session_policies[0]",
    );
    assert_eq!(fix.code, "session-allow-action");
    let text = layered(|v| v["requests"][1]["session_policies"] = json!([deny_decrypt()]));
    guardrail_explained(&text, "session-deny", "requests[1].session_policies[0]");
}

#[test]
fn vpc_endpoint_policy_gets_a_statement_for_the_caller() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html
    let endpoint = |policy: Value| json!({ "id": "vpce-1a2b3c4d", "policy": policy });
    let text = layered(|v| {
        v["requests"][1]["vpc_endpoint"] = endpoint(json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*" } ] }))
    });
    let fix = layer_fix_lets_it_through(
        &text,
        kmsplay_kms::PolicyType::VpcEndpoint,
        "requests[1].vpc_endpoint.policy",
    );
    assert_eq!(fix.code, "endpoint-allow-action");
    assert!(fix.new_text.contains("arn:aws:iam::111111111111:role/App"));
    let text = layered(|v| {
        v["requests"][1]["vpc_endpoint"] = endpoint(json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*" },
            { "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*" } ] }))
    });
    guardrail_explained(&text, "endpoint-deny", "requests[1].vpc_endpoint.policy");
}

#[test]
fn when_two_layers_refuse_the_fix_changes_both() {
    // No SCP Allow at the OU and no key policy statement for App: fixing the
    // SCP moves the fault to the key policy, which the fix changes too.
    let text = layered(|v| {
        v["organization"]["scps"] = json!({ "ou-work": [only_encrypt()] });
        v["key"]["policy"]["Statement"] = json!([]);
        v["requests"].as_array_mut().unwrap().remove(0);
        v["requests"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({ "name": "spacer", "principal": APP, "action": "kms:Encrypt", "expect": "implicitDeny" }));
    });
    assert_eq!(
        decide(&text, 1).policy_type,
        kmsplay_kms::PolicyType::ServiceControl
    );
    let fixes = suggest(&text, 1);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let fix = &fixes[0];
    assert_eq!(fix.target.kind(), "scp");
    let also = fix.also.as_deref().expect("the key policy too");
    assert_eq!(also.target, FixTarget::KeyPolicy);
    let new = check_fix(&text, 1, fix);
    assert_eq!(decide(&new, 1).decision, Decision::Allowed);
}

/// The data-perimeter scenario's file with its own snippet as the key
/// policy, and request `id` expected to be allowed.
fn perimeter_wanting(id: &str) -> (String, usize) {
    use kmsplay_lab::scenarios::{self, Params};
    let s = scenarios::scenario("data-perimeter").unwrap();
    let p = Params::defaults(s);
    let policy = kmsplay_lab::snippets::pretty(
        &kmsplay_lab::snippets::snippet(s, &p).as_policy(Some(p.text("key_account"))),
    );
    let mut v = scenarios::build(s, &p, &policy);
    let index = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["scenario_request"] == format!("data-perimeter/{id}"))
        .unwrap();
    v["requests"][index]["expect"] = json!("allowed");
    (serde_json::to_string_pretty(&v).unwrap(), index)
}

#[test]
fn rcp_identity_perimeter_is_explained_and_a_partner_exception_offered() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html:
    // "you might want to customize your policy to allow access by your
    // business partners".
    let (text, index) = perimeter_wanting("outside-account");
    let before = decide(&text, index);
    assert_eq!(before.policy_type, kmsplay_kms::PolicyType::ResourceControl);
    let fixes = suggest(&text, index);
    assert_eq!(
        fixes.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["rcp-deny", "rcp-partner-exception"]
    );
    let rcp = FixTarget::Layer(PolicySource::from_path("organization.rcps.r-p3r1[0]").unwrap());
    // The explanation names the condition the caller fails.
    let why = &fixes[0];
    assert!(!why.changes_text());
    assert_eq!(why.target, rcp);
    assert_eq!(why.param("condition_key"), Some("aws:PrincipalOrgID"));
    assert_eq!(why.param("expected"), Some("o-p3r1m3t3r0"));
    assert_eq!(why.param("actual"), Some("—"));
    check_messages(why);
    // The exception edits the RCP; the key policy's aws:PrincipalOrgID
    // statement does not let 444444444444 in either, so the fix changes
    // the key policy too, and the whole is checked.
    let exception = &fixes[1];
    assert_eq!(exception.target, rcp);
    assert!(
        diff_lines(&exception.diff, &['+'])
            .iter()
            .any(|l| l.contains("\"aws:PrincipalAccount\"")),
        "{}",
        exception.diff
    );
    assert!(exception.also.is_some());
    let new = check_fix(&text, index, exception);
    let after = decide(&new, index);
    assert_eq!(after.decision, Decision::Allowed);
    // The confused-deputy protection still refuses CloudTrail for that account.
    let (_, deputy) = perimeter_wanting("service-for-outsider");
    assert_eq!(
        decide(&new, deputy).policy_type,
        kmsplay_kms::PolicyType::ResourceControl
    );
}

#[test]
fn rcp_confused_deputy_is_explained_only() {
    let (text, index) = perimeter_wanting("service-for-outsider");
    let fixes = guardrail_explained_at(&text, index);
    assert_eq!(
        fixes.len(),
        1,
        "no exception weakens the confused-deputy guard"
    );
    assert_eq!(fixes[0].code, "rcp-deny");
    assert_eq!(fixes[0].param("condition_key"), Some("aws:SourceOrgID"));
    assert_eq!(
        fixes[0].param("actual"),
        Some("—"),
        "444444444444 is in no organization"
    );
}

fn guardrail_explained_at(text: &str, index: usize) -> Vec<Fix> {
    let fixes = suggest(text, index);
    for f in &fixes {
        assert!(!f.changes_text());
        check_messages(f);
    }
    fixes
}

#[test]
fn perimeter_endpoint_policy_is_fixed_in_the_endpoint_policy() {
    let (text, index) = perimeter_wanting("endpoint-policy-limits");
    let fixes = suggest(&text, index);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!(fixes[0].target.kind(), "vpc_endpoint_policy");
    assert_eq!(
        fixes[0].target.path(),
        Some(format!("requests[{index}].vpc_endpoint.policy"))
    );
    let new = check_fix(&text, index, &fixes[0]);
    assert_eq!(decide(&new, index).decision, Decision::Allowed);
}
