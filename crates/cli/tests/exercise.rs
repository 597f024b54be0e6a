//! `kmsplay exercise`: list, show, start, check (exit 0/1/2) and new.

mod common;

use common::{kmsplay, scratch, stderr, stdout};

use kmsplay_lab::exercises;

#[test]
fn list_names_every_exercise() {
    let out = kmsplay(&["exercise", "list"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for ex in exercises::catalogue() {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(ex.id.as_str()))
            .unwrap_or_else(|| panic!("{} not listed:\n{text}", ex.id));
        assert!(line.contains(ex.level.as_str()), "{line}");
        assert!(
            line.contains(&kmsplay_messages::text(
                kmsplay_messages::Lang::En,
                &ex.title
            )),
            "{line}"
        );
    }
    let ja = kmsplay(&["--lang", "ja", "exercise", "list"], None);
    assert_eq!(ja.status.code(), Some(0));
    assert!(stdout(&ja).contains("初級"));
}

#[test]
fn check_passes_with_the_solution_and_fails_with_the_start() {
    for ex in exercises::catalogue() {
        // The solution as a playground file (key policy and IAM policies),
        // or as the bare key policy when only the key policy is edited.
        let solved = if ex.solution.identity_policies.is_empty() {
            ex.solution.key_policy.clone()
        } else {
            let mut file = ex.start.clone();
            file["key"]["policy"] = serde_json::Value::String(ex.solution.key_policy.clone());
            for (i, j, text) in &ex.solution.identity_policies {
                file["identities"][*i]["policies"][*j] = serde_json::Value::String(text.clone());
            }
            serde_json::to_string_pretty(&file).unwrap()
        };
        let path = scratch(&format!("{}-solution.json", ex.id), &solved);
        let out = kmsplay(&["exercise", "check", &ex.id, &path], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}{}",
            ex.id,
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout(&out).contains('✗'), "{}", stdout(&out));

        let start = kmsplay(&["exercise", "start", &ex.id], None);
        assert_eq!(start.status.code(), Some(0));
        let start_text = stdout(&start);
        serde_json::from_str::<serde_json::Value>(&start_text).expect("start prints JSON");
        let out = kmsplay(&["exercise", "check", &ex.id, "-"], Some(&start_text));
        assert_eq!(out.status.code(), Some(1), "{}: {}", ex.id, stdout(&out));
        let report = stdout(&out);
        assert!(report.contains('✗') && report.contains('✓') || report.contains('✗'));
    }
}

#[test]
fn the_report_says_why_a_goal_is_not_met() {
    let ex = exercises::exercise("documents-placeholders").unwrap();
    let out = kmsplay(
        &["exercise", "check", &ex.id, "-"],
        Some(&ex.start_key_policy),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("✗ CloudTrail can check the key"), "{text}");
    assert!(text.contains("got implicitDeny"), "{text}");
    assert!(text.contains("line "), "a finding is placed: {text}");
    assert!(text.contains("placeholder"), "{text}");
    // The count is a note for people: on standard error.
    assert!(
        stderr(&out).contains("0 of 5 goals met"),
        "{}",
        stderr(&out)
    );
    let ja = kmsplay(
        &["--lang", "ja", "exercise", "check", &ex.id, "-"],
        Some(&ex.start_key_policy),
    );
    assert_eq!(ja.status.code(), Some(1));
    // The Japanese count ("5 個中 0 個の目標を達成しました。") on standard error too.
    assert!(stderr(&ja).contains("目標"), "{}", stderr(&ja));
}

#[test]
fn unknown_exercise_and_unreadable_file_exit_2() {
    let out = kmsplay(&["exercise", "check", "no-such-exercise", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-exercise"));
    let out = kmsplay(
        &[
            "exercise",
            "check",
            "trail-source-arn",
            "/no/such/file.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.json"));
    for args in [
        &["exercise", "show", "nope"][..],
        &["exercise", "start", "nope"][..],
    ] {
        assert_eq!(kmsplay(args, None).status.code(), Some(2));
    }
}

#[test]
fn a_key_policy_that_is_not_json_fails_the_goals() {
    let out = kmsplay(
        &["exercise", "check", "root-delegation", "-"],
        Some("{ not json"),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn show_prints_the_brief_goals_and_hints() {
    let ex = exercises::exercise("deny-outside-s3").unwrap();
    let out = kmsplay(&["exercise", "show", &ex.id], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let en = |id: &str| kmsplay_messages::text(kmsplay_messages::Lang::En, id);
    assert!(text.contains(&en(&ex.brief)));
    for g in &ex.goals {
        assert!(text.contains(&en(&g.text)), "{text}");
    }
    assert!(!text.contains(&en(&ex.hints[0])), "hints only on request");
    let out = kmsplay(&["exercise", "show", &ex.id, "--hints"], None);
    assert!(stdout(&out).contains(&en(&ex.hints[0])));
}

#[test]
fn new_prints_a_template_that_is_json_and_an_exercise() {
    for lang in ["en", "ja"] {
        let out = kmsplay(&["--lang", lang, "exercise", "new"], None);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        let v: serde_json::Value = serde_json::from_str(&text).expect("the template is JSON");
        assert_eq!(v["id"], "my-exercise");
        assert!(v["_comment"].as_str().is_some_and(|c| !c.is_empty()));
        exercises::parse("my-exercise", &text).unwrap_or_else(|e| panic!("{e}"));
    }
}
