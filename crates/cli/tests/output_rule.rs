//! Issue #14: standard output carries the data, standard error the notes
//! for people. For every subcommand, in both formats: `--format json`
//! prints one JSON document on standard output; the text format keeps its
//! headings, hints and summary lines off standard output (they are on
//! standard error, word for word); and where the data is itself JSON (a
//! snippet, a merged policy, a playground file) standard output parses as
//! JSON in the text format too, so `kmsplay … > file.json` gives a file
//! that is JSON.

mod common;

use common::{root, scratch};
use kmsplay_lab::exercises;
use kmsplay_lab::scenarios;
use kmsplay_messages::{render, text, Lang};
use serde_json::{json, Value};

const EN: Lang = Lang::En;

/// One run of the command line: what went where, and the exit status.
struct Run {
    args: String,
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// `kmsplay ARGS --lang en`, from the repository root.
fn kmsplay(args: &[&str]) -> Run {
    let out = common::kmsplay_en(args);
    Run {
        args: args.join(" "),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code(),
    }
}

impl Run {
    /// Standard output as one JSON document.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "kmsplay {}: standard output is not one JSON document ({e}); exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.args, self.code, self.stdout, self.stderr
            )
        })
    }

    /// `line` is a line of standard error and of no line of standard output.
    fn moved(&self, line: &str) -> &Self {
        assert!(
            !self.stdout.lines().any(|l| l.trim_end() == line.trim_end()),
            "kmsplay {}: {line:?} is on standard output:\n{}",
            self.args,
            self.stdout
        );
        assert!(
            self.stderr.lines().any(|l| l.trim_end() == line.trim_end()),
            "kmsplay {}: {line:?} is not on standard error:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    fn exits(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "kmsplay {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// The first word of each line of `kmsplay <list command>` that looks like
/// an id (`deny-outside-s3` has a digit).
fn ids(list: &[&str]) -> Vec<String> {
    let ids = common::ids(list);
    assert!(ids.len() >= 6, "{list:?}: {ids:?}");
    ids
}

const FILE: &str = "tests/playground/alice-cross-account.json";

// ---------------------------------------------------------------------------
// simulate, lint, fix, records
// ---------------------------------------------------------------------------

#[test]
fn simulate_results_on_stdout_summary_on_stderr() {
    let v = kmsplay(&["simulate", FILE, "--format", "json"])
        .exits(0)
        .json();
    let s = &v["summary"];
    let n = |k: &str| s[k].as_u64().unwrap().to_string();
    let summary = render(
        EN,
        "cli.summary",
        &[
            ("total", n("total")),
            ("allowed", n("allowed")),
            ("denied", n("denied")),
            ("met", n("expect_met")),
            ("failed", n("expect_failed")),
        ],
    );
    for trace in [false, true] {
        let mut args = vec!["simulate", FILE];
        if trace {
            args.push("--trace");
        }
        let r = kmsplay(&args);
        r.exits(0).moved(&summary);
        // The results stay: one line per request.
        let results = v["results"].as_array().unwrap();
        for res in results {
            let name = res["name"].as_str().unwrap();
            assert!(
                r.stdout
                    .lines()
                    .any(|l| l.starts_with("✓ ") && l.contains(name)),
                "{name}: {}",
                r.stdout
            );
        }
        args.extend(["--format", "json"]);
        assert_eq!(kmsplay(&args).exits(0).json()["results"], v["results"]);
    }
}

#[test]
fn lint_findings_on_stdout_summary_on_stderr() {
    let v = kmsplay(&["lint", FILE, "--format", "json"]).exits(1).json();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let count = |sev: &str| {
        findings
            .iter()
            .filter(|f| f["severity"] == sev)
            .count()
            .to_string()
    };
    let summary = render(
        EN,
        "finding.summary",
        &[
            ("error", count("error")),
            ("security", count("security")),
            ("warning", count("warning")),
            ("suggestion", count("suggestion")),
        ],
    );
    let r = kmsplay(&["lint", FILE]);
    r.exits(1).moved(&summary);
    let code = findings[0]["code"].as_str().unwrap();
    assert!(r.stdout.contains(&format!("[{code}]: ")), "{}", r.stdout);

    // No findings: nothing on standard output, the note on standard error.
    let clean = "tests/playground/bob-same-account.json";
    let r = kmsplay(&["lint", clean]);
    r.exits(0).moved(&text(EN, "finding.none"));
    assert_eq!(r.stdout, "");
    let v = kmsplay(&["lint", clean, "--format", "json"])
        .exits(0)
        .json();
    assert_eq!(v["findings"], json!([]));
}

/// Bob's fixture with one request that passes but should not and one that
/// is denied but should pass.
fn failing_file() -> String {
    let source =
        std::fs::read_to_string(root().join("tests/playground/bob-same-account.json")).unwrap();
    let mut v: Value = serde_json::from_str(&source).unwrap();
    v["requests"][0]["expect"] = json!("implicitDeny");
    let requests = v["requests"].as_array_mut().unwrap();
    let denied = requests
        .iter()
        .position(|r| r["expect"] == "implicitDeny" || r["expect"] == "explicitDeny")
        .filter(|&i| i > 0);
    if let Some(i) = denied {
        requests[i]["expect"] = json!("allowed");
    }
    scratch("failing.json", &serde_json::to_string_pretty(&v).unwrap())
}

#[test]
fn fix_report_on_stdout_summary_on_stderr() {
    let file = failing_file();
    let v = kmsplay(&["fix", &file, "--format", "json"]).exits(1).json();
    let s = &v["summary"];
    let summary = render(
        EN,
        "fix.cli.summary",
        &[
            ("problems", s["problems"].to_string()),
            ("total", s["total"].to_string()),
            ("fixes", s["fixes"].to_string()),
        ],
    );
    let r = kmsplay(&["fix", &file]);
    r.exits(1).moved(&summary);
    assert!(r.stdout.starts_with("✗ "), "{}", r.stdout);

    // Nothing to fix: the note goes to standard error, for one request too.
    let r = kmsplay(&["fix", FILE]);
    r.exits(0).moved(&text(EN, "fix.cli.nothing"));
    assert_eq!(r.stdout, "");
    let v = kmsplay(&["fix", FILE, "--format", "json"]).exits(0).json();
    assert_eq!(v["requests"], json!([]));
    let name = kmsplay(&["simulate", FILE, "--format", "json"]).json()["results"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let one = render(
        EN,
        "fix.cli.request-ok",
        &[("number", "1".to_string()), ("name", name)],
    );
    kmsplay(&["fix", FILE, "--request", "1"])
        .exits(0)
        .moved(&one);
    kmsplay(&["fix", FILE, "--request", "1", "--format", "json"])
        .exits(0)
        .json();
}

#[test]
fn records_are_json_in_both_formats() {
    let file = "tests/playground/cloudtrail-trail.json";
    let text_run = kmsplay(&["records", file]);
    let records = text_run.exits(0).json();
    assert!(records.as_array().is_some_and(|a| !a.is_empty()));
    let json_run = kmsplay(&["records", file, "--format", "json"]);
    assert_eq!(json_run.exits(0).json(), records);
}

// ---------------------------------------------------------------------------
// scenario list | show | run, snippet
// ---------------------------------------------------------------------------

/// `kmsplay KIND list`: its header on standard error, and in JSON the same
/// ids as the text lists; gives the JSON list.
fn list_header_on_stderr(kind: &str) -> Value {
    let r = kmsplay(&[kind, "list"]);
    r.exits(0)
        .moved(&text(EN, &format!("{kind}.cli.list-header")));
    let v = kmsplay(&[kind, "list", "--format", "json"]).exits(0).json();
    let listed: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids(&[kind, "list"]));
    v
}

#[test]
fn scenario_list_header_on_stderr() {
    let v = list_header_on_stderr("scenario");
    assert!(v[0]["title"].is_string() && v[0]["params"].is_array());
}

#[test]
fn scenario_show_headings_and_hint_on_stderr() {
    for id in ids(&["scenario", "list"]) {
        let r = kmsplay(&["scenario", "show", &id]);
        r.exits(0)
            .moved(&text(EN, "scenario.cli.params"))
            .moved(&text(EN, "scenario.cli.requests"))
            .moved(&text(EN, "scenario.cli.sources"))
            .moved(&render(
                EN,
                "scenario.cli.snippet-hint",
                &[("id", id.clone())],
            ));
        assert!(r.stdout.contains(&format!("({id})")), "{}", r.stdout);
        assert!(r.stdout.contains("https://docs.aws.amazon.com/"));
        let v = kmsplay(&["scenario", "show", &id, "--format", "json"])
            .exits(0)
            .json();
        assert_eq!(v["id"], id.as_str());
        // The requests made with the default parameters, in words …
        let requests = v["default_requests"].as_array().unwrap();
        assert!(!requests.is_empty());
        assert!(requests.iter().all(|q| q["purpose"].is_string()
            && q["action"].is_string()
            && q["principal"].is_string()
            && q["consequence"].is_string()));
        // … beside the scenario as `scenario list --format json` has it.
        let mut rest = v.clone();
        rest.as_object_mut().unwrap().remove("default_requests");
        let list = kmsplay(&["scenario", "list", "--format", "json"]).json();
        let listed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id.as_str());
        assert_eq!(Some(&rest), listed);
    }
}

#[test]
fn scenario_run_header_and_verdict_on_stderr() {
    let policy = "examples/cloudtrail-key-policy.json";
    for id in ids(&["scenario", "list"]) {
        let j = kmsplay(&[
            "scenario", "run", &id, "--policy", policy, "--format", "json",
        ]);
        let code = j.code.unwrap();
        assert!(code == 0 || code == 1, "{}: {}", j.args, j.stderr);
        let v = j.json();
        assert_eq!(v["scenario"], id.as_str());
        let total = v["results"].as_array().unwrap().len();
        let failed = v["failed"].as_array().unwrap().len();
        let verdict = if failed == 0 {
            render(
                EN,
                "scenario.cli.verdict-pass",
                &[("total", total.to_string()), ("failed", "0".into())],
            )
        } else {
            render(
                EN,
                "scenario.cli.verdict-fail",
                &[("total", total.to_string()), ("failed", failed.to_string())],
            )
        };
        let s = scenarios::scenario(&id).unwrap();
        let header = render(
            EN,
            "scenario.cli.run-header",
            &[
                ("title", text(EN, s.title)),
                ("id", id.clone()),
                ("file", policy.to_string()),
            ],
        );
        let r = kmsplay(&["scenario", "run", &id, "--policy", policy]);
        r.exits(code).moved(&header).moved(&verdict);
        assert!(
            r.stdout.starts_with("✓ ") || r.stdout.starts_with("✗ "),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn snippet_stdout_is_the_statements_as_json() {
    for id in ids(&["scenario", "list"]) {
        let r = kmsplay(&["snippet", &id]);
        r.exits(0).moved(&text(EN, "snippet.cli.key-policy"));
        // `kmsplay snippet ID > f.json` gives a file that is JSON.
        let statements = r.json();
        assert!(statements.as_array().is_some_and(|a| !a.is_empty()));
        let v = kmsplay(&["snippet", &id, "--format", "json"])
            .exits(0)
            .json();
        assert_eq!(v["scenario"], id.as_str());
        assert_eq!(v["statements"], statements);
        // The policies for other principals are notes beside the key
        // policy's statements: on standard error, labelled.
        for other in v["other_policies"].as_array().unwrap() {
            r.moved(other["label"].as_str().unwrap());
        }
    }
}

#[test]
fn snippet_merge_stdout_is_the_merged_policy() {
    let policy = "examples/cloudtrail-key-policy.json";
    for id in ids(&["scenario", "list"]) {
        let r = kmsplay(&["snippet", &id, "--merge", policy]);
        r.exits(0);
        let merged = r.json();
        assert!(merged["Statement"].is_array(), "{}", r.stdout);
        assert!(r.stderr.contains(policy), "{}", r.stderr);
        let v = kmsplay(&["snippet", &id, "--merge", policy, "--format", "json"])
            .exits(0)
            .json();
        assert_eq!(v["scenario"], id.as_str());
        assert_eq!(v["file"], policy);
        assert_eq!(v["text"].as_str().unwrap().trim_end(), r.stdout.trim_end());
        assert!(v["added"].is_u64() && v["skipped"].is_u64() && v["filled"].is_u64());
    }
}

// ---------------------------------------------------------------------------
// exercise list | show | start | check | new
// ---------------------------------------------------------------------------

#[test]
fn exercise_list_header_on_stderr() {
    let v = list_header_on_stderr("exercise");
    assert!(v[0]["level"].is_string() && v[0]["title"].is_string());
}

#[test]
fn exercise_show_headings_on_stderr() {
    for id in ids(&["exercise", "list"]) {
        let r = kmsplay(&["exercise", "show", &id, "--hints"]);
        r.exits(0)
            .moved(&text(EN, "exercise.cli.goals"))
            .moved(&text(EN, "exercise.cli.hints"));
        let ex = exercises::exercise(&id).unwrap();
        assert!(r.stdout.contains(&text(EN, &ex.brief)));
        let v = kmsplay(&["exercise", "show", &id, "--hints", "--format", "json"])
            .exits(0)
            .json();
        assert_eq!(v["id"], id.as_str());
        assert_eq!(v["goals"].as_array().unwrap().len(), ex.goals.len());
        assert_eq!(v["hints"].as_array().unwrap().len(), ex.hints.len());
        // What `show` does not print is not in its JSON either.
        assert!(v.get("solution").is_none(), "{id}: the solution is shown");
        let v = kmsplay(&["exercise", "show", &id, "--format", "json"])
            .exits(0)
            .json();
        assert!(v.get("hints").is_none(), "{id}: hints only on request");
    }
}

#[test]
fn exercise_start_and_new_print_json_in_both_formats() {
    for id in ids(&["exercise", "list"]) {
        let file = kmsplay(&["exercise", "start", &id]).exits(0).json();
        assert_eq!(file["version"], 1);
        let j = kmsplay(&["exercise", "start", &id, "--format", "json"]);
        assert_eq!(j.exits(0).json(), file);
    }
    let template = kmsplay(&["exercise", "new"]).exits(0).json();
    assert_eq!(template["id"], "my-exercise");
    let j = kmsplay(&["exercise", "new", "--format", "json"]);
    assert_eq!(j.exits(0).json(), template);
}

#[test]
fn exercise_check_title_and_summary_on_stderr() {
    for id in ids(&["exercise", "list"]) {
        let start = kmsplay(&["exercise", "start", &id]).stdout;
        let path = scratch(&format!("start-{id}.json"), &start);
        let ex = exercises::exercise(&id).unwrap();
        let v = kmsplay(&["exercise", "check", &id, &path, "--format", "json"])
            .exits(1)
            .json();
        assert_eq!(v["exercise"], id.as_str());
        assert_eq!(v["all_met"], false);
        let goals = v["goals"].as_array().unwrap();
        assert_eq!(goals.len(), ex.goals.len());
        let summary = render(
            EN,
            "exercise.cli.summary",
            &[
                ("met", v["met"].to_string()),
                ("total", goals.len().to_string()),
            ],
        );
        let r = kmsplay(&["exercise", "check", &id, &path]);
        r.exits(1)
            .moved(&format!("{} ({id})", text(EN, &ex.title)))
            .moved(&summary);
        assert!(r.stdout.contains("  ✗ "), "{}", r.stdout);
    }
    // Solved: the closing note goes to standard error too.
    let ex = exercises::catalogue()
        .into_iter()
        .find(|e| e.solution.identity_policies.is_empty())
        .unwrap();
    let path = scratch("solved.json", &ex.solution.key_policy);
    let r = kmsplay(&["exercise", "check", &ex.id, &path]);
    r.exits(0).moved(&text(EN, "exercise.cli.solved"));
    assert!(!r.stdout.contains('✗'), "{}", r.stdout);
    let v = kmsplay(&["exercise", "check", &ex.id, &path, "--format", "json"])
        .exits(0)
        .json();
    assert_eq!(v["all_met"], true);
}

// ---------------------------------------------------------------------------
// grant, lifecycle, events
// ---------------------------------------------------------------------------

const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ADMIN: &str = "arn:aws:iam::111122223333:role/adminRole";
const BOB: &str = "arn:aws:iam::111122223333:user/Bob";

/// A key with one consistent grant (or none) and two rules.
fn key_file(name: &str, with_grant: bool) -> String {
    let grants = if with_grant {
        json!([{"id": "grant-bob", "grantee": BOB, "operations": ["Decrypt", "RetireGrant"]}])
    } else {
        json!([])
    };
    let v = json!({
        "version": 1,
        "clock": "2022-08-10T16:37:50Z",
        "key": {
            "arn": KEY,
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": ["kms:CreateGrant", "kms:RevokeGrant", "kms:ListGrants"], "Resource": "*"}
            ]},
            "grants": grants
        },
        "rules": [
            {"name": "deletions", "pattern": {"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}}
        ],
        "requests": [
            {"name": "Bob decrypts", "principal": BOB, "action": "kms:Decrypt"}
        ]
    });
    scratch(name, &v.to_string())
}

#[test]
fn grant_create_data_on_stdout_the_pending_note_on_stderr() {
    let file = key_file("grant-create.json", false);
    let args = [
        "grant",
        "create",
        &file,
        "--principal",
        ADMIN,
        "--grantee",
        BOB,
        "--operations",
        "Decrypt",
    ];
    let v = {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        kmsplay(&a).exits(0).json()
    };
    let id = v["GrantId"].as_str().unwrap();
    let r = kmsplay(&args);
    r.exits(0);
    assert!(
        r.stdout
            .lines()
            .any(|l| l == render(EN, "grant.cli.created", &[("grant", id.to_string())])),
        "{}",
        r.stdout
    );
    let pending = r
        .stderr
        .lines()
        .find(|l| {
            let note = render(EN, "grant.cli.pending", &[("until", "\u{1}".into())]);
            let (head, tail) = note.split_once('\u{1}').unwrap();
            l.starts_with(head) && l.ends_with(tail)
        })
        .unwrap_or_else(|| panic!("no pending note on standard error: {}", r.stderr))
        .to_string();
    r.moved(&pending);
}

#[test]
fn grant_list_retire_revoke() {
    // No grants: the note on standard error, nothing on standard output.
    let none = key_file("grant-none.json", false);
    let r = kmsplay(&["grant", "list", &none]);
    r.exits(0).moved(&text(EN, "grant.cli.none"));
    assert_eq!(r.stdout, "");
    let v = kmsplay(&["grant", "list", &none, "--format", "json"])
        .exits(0)
        .json();
    assert_eq!(v["Grants"], json!([]));

    let file = key_file("grant-one.json", true);
    let r = kmsplay(&["grant", "list", &file]);
    r.exits(0);
    assert!(r.stdout.starts_with("grant-bob "), "{}", r.stdout);
    let v = kmsplay(&["grant", "list", &file, "--format", "json"])
        .exits(0)
        .json();
    assert_eq!(v["Grants"][0]["GrantId"], "grant-bob");

    for (sub, who) in [("retire", BOB), ("revoke", ADMIN)] {
        let args = [
            "grant",
            sub,
            &file,
            "--principal",
            who,
            "--grant-id",
            "grant-bob",
        ];
        let r = kmsplay(&args);
        r.exits(0);
        assert!(r.stdout.contains("grant-bob"), "{}", r.stdout);
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        kmsplay(&a).exits(0).json();
    }
    // KMS refusing: the error as JSON on standard output with --format json.
    let args = [
        "grant",
        "revoke",
        &file,
        "--principal",
        BOB,
        "--grant-id",
        "grant-bob",
    ];
    let r = kmsplay(&args);
    r.exits(1);
    assert_eq!(r.stdout, "");
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    assert!(kmsplay(&a).exits(1).json()["error"].is_object());
}

#[test]
fn lifecycle_no_events_note_on_stderr() {
    let file = key_file("lifecycle.json", false);
    let args = [
        "lifecycle",
        &file,
        "--action",
        "schedule-deletion",
        "--days",
        "7",
    ];
    let r = kmsplay(&args);
    r.exits(0).moved(&text(EN, "lifecycle.cli.no-events"));
    assert!(r.stdout.contains("PendingDeletion"), "{}", r.stdout);
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let v = kmsplay(&a).exits(0).json();
    assert_eq!(v["after"], "PendingDeletion");
    // An action with events: the events are data, on standard output.
    let args = ["lifecycle", &file, "--action", "rotate"];
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let v = kmsplay(&a).exits(0).json();
    assert!(!v["events"].as_array().unwrap().is_empty());
    let r = kmsplay(&args);
    r.exits(0);
    assert!(r.stdout.contains("KMS CMK Rotation"), "{}", r.stdout);
    assert!(!r.stderr.contains(&text(EN, "lifecycle.cli.no-events")));
}

#[test]
fn events_match_and_rules() {
    let event = scratch(
        "event.json",
        &json!({"version": "0", "id": "e1", "detail-type": "KMS CMK Deletion", "source": "aws.kms",
                "account": "111122223333", "time": "2022-08-10T16:37:50Z", "region": "us-west-2",
                "resources": [KEY], "detail": {"key-id": "1234abcd-12ab-34cd-56ef-1234567890ab"}})
        .to_string(),
    );
    let pattern = scratch(
        "pattern.json",
        r#"{"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}"#,
    );
    let args = ["events", "match", "--pattern", &pattern, "--event", &event];
    let r = kmsplay(&args);
    r.exits(0);
    assert_eq!(r.stdout.trim_end(), text(EN, "events.cli.matched"));
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    assert_eq!(kmsplay(&a).exits(0).json()["matched"], true);

    let file = key_file("rules.json", false);
    let r = kmsplay(&["events", "rules", &file]);
    r.exits(0);
    assert!(r.stdout.contains("deletions"), "{}", r.stdout);
    let v = kmsplay(&["events", "rules", &file, "--format", "json"])
        .exits(0)
        .json();
    assert_eq!(v["rules"][0]["rule"], "deletions");
}
