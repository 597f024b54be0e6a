//! `kmsplay scenario list | show ID | run ID --policy FILE` and
//! `kmsplay snippet ID [--param k=v] [--merge FILE]` through the binary.

mod common;

use common::{kmsplay, scratch, stderr, stdout};

use kmsplay_lab::scenarios::{catalogue, Params};
use serde_json::Value;

const IDS: [&str; 6] = [
    "cloudtrail-trail",
    "cloudtrail-event-data-store",
    "cross-account-readers",
    "eventbridge-connection",
    "default-key-policy",
    "data-perimeter",
];

/// A key policy with only the root statement of the scenario's default
/// key account, written the way people paste it (tabs, its own spacing).
fn root_only(id: &str) -> String {
    let s = catalogue().iter().find(|s| s.id == id).unwrap();
    let account = Params::defaults(s).text("key_account").to_string();
    format!(
        "{{\n\t\"Version\": \"2012-10-17\",\n\t\"Statement\": [\n\t\t{{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"arn:aws:iam::{account}:root\"}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}\n\t]\n}}\n"
    )
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.bytes();
    needle.bytes().all(|b| hay.any(|h| h == b))
}

#[test]
fn list_names_every_scenario() {
    assert_eq!(catalogue().len(), IDS.len());
    let out = kmsplay(&["scenario", "list"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for id in IDS {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(id)),
            "{id}: {text}"
        );
    }
    // The header is a hint for people: on standard error.
    let ja = kmsplay(&["--lang", "ja", "scenario", "list"], None);
    assert!(stderr(&ja).starts_with("シナリオ"), "{}", stderr(&ja));
}

#[test]
fn show_gives_parameters_requests_and_sources() {
    for id in IDS {
        let out = kmsplay(&["scenario", "show", id], None);
        assert_eq!(out.status.code(), Some(0), "{id}");
        let text = stdout(&out);
        assert!(text.contains(&format!("({id})")), "{text}");
        assert!(text.contains("key_account (account ID) = "), "{text}");
        assert!(text.contains("https://docs.aws.amazon.com/"), "{text}");
        // The hint is for people: on standard error.
        assert!(
            stderr(&out).contains(&format!("kmsplay snippet {id}")),
            "{}",
            stderr(&out)
        );
    }
    let out = kmsplay(&["scenario", "show", "no-such-scenario"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-scenario"));
}

#[test]
fn snippet_merged_into_a_root_only_policy_passes_and_root_only_fails() {
    for id in IDS {
        let root = scratch(&format!("root-{id}.json"), &root_only(id));
        let merged = kmsplay(&["snippet", id, "--merge", &root], None);
        assert_eq!(merged.status.code(), Some(0), "{id}: {}", stderr(&merged));
        let merged_path = scratch(&format!("merged-{id}.json"), &stdout(&merged));
        let out = kmsplay(&["scenario", "run", id, "--policy", &merged_path], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{id} with its snippet:\n{}",
            stdout(&out)
        );
        // The verdict line is a note for people: on standard error.
        assert!(stderr(&out).contains("requests get the answer the documents call for"));

        let out = kmsplay(&["scenario", "run", id, "--policy", &root], None);
        if id == "eventbridge-connection" {
            // Its caller is a role of the key's account with an IAM policy
            // of its own: the root statement alone lets that policy count.
            continue;
        }
        assert_eq!(
            out.status.code(),
            Some(1),
            "{id} root only:\n{}",
            stdout(&out)
        );
        let text = stdout(&out);
        assert!(text.contains("✗ "), "{text}");
        assert!(
            stderr(&out).contains("do not get the answer the documents call for"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn run_as_json() {
    let id = "cloudtrail-trail";
    let root = scratch("root-json.json", &root_only(id));
    let out = kmsplay(
        &["scenario", "run", id, "--policy", &root, "--format", "json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scenario"], id);
    assert_eq!(v["verdict"], "fail");
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().any(|r| r["passed"] == false));
    assert!(results.iter().all(|r| r["purpose"].is_string()));
    assert_eq!(
        v["failed"].as_array().unwrap().len(),
        results.iter().filter(|r| r["passed"] == false).count()
    );
    // The playground file it ran can be simulated on its own.
    assert_eq!(v["playground_file"]["version"], 1);
}

#[test]
fn parameters_change_the_run_and_bad_ones_exit_2() {
    let id = "cloudtrail-trail";
    let root = scratch("root-params.json", &root_only(id));
    let out = kmsplay(
        &[
            "scenario",
            "run",
            id,
            "--policy",
            &root,
            "--param",
            "trail_name=Audit",
            "--format",
            "json",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["params"]["trail_name"], "Audit");
    for bad in ["nope=1", "key_account=123", "region=nowhere", "trail_name"] {
        let out = kmsplay(
            &["scenario", "run", id, "--policy", &root, "--param", bad],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).starts_with("kmsplay: "), "{}", stderr(&out));
        let out = kmsplay(&["snippet", id, "--param", bad], None);
        assert_eq!(out.status.code(), Some(2), "snippet {bad}");
    }
    let out = kmsplay(
        &[
            "scenario",
            "run",
            id,
            "--policy",
            "/nonexistent/policy.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn snippet_output_is_json() {
    for id in IDS {
        let out = kmsplay(&["snippet", id], None);
        assert_eq!(out.status.code(), Some(0), "{id}");
        let text = stdout(&out);
        // The statements as a JSON array, alone on standard output; the
        // header line (and other policies, when the scenario needs them)
        // on standard error.
        let header = stderr(&out);
        let header = header.lines().next().unwrap();
        assert!(header.ends_with(':'), "{header}");
        let first: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}\n{text}"));
        let statements = first.as_array().unwrap();
        assert!(!statements.is_empty());
        // Allow statements, and the data perimeter's network Deny.
        assert!(statements.iter().all(|s| (s["Effect"] == "Allow"
            || (id == "data-perimeter" && s["Effect"] == "Deny"))
            && s.get("Action").is_some()));
    }
    // Parameters reach the statements.
    let out = kmsplay(
        &["snippet", "cloudtrail-trail", "--param", "trail_name=Audit"],
        None,
    );
    assert!(stdout(&out).contains(":trail/Audit\""));
}

#[test]
fn merge_keeps_the_original_bytes() {
    let original = root_only("cloudtrail-trail");
    let path = scratch("keep.json", &original);
    let out = kmsplay(&["snippet", "cloudtrail-trail", "--merge", &path], None);
    assert_eq!(out.status.code(), Some(0));
    let merged = stdout(&out);
    assert!(merged.starts_with("{\n\t\"Version\": \"2012-10-17\",\n\t\"Statement\": [\n\t\t{\"Sid\": \"Enable IAM User Permissions\""));
    assert!(is_subsequence(&original, &merged));
    let v: Value = serde_json::from_str(&merged).unwrap();
    assert!(v["Statement"].as_array().unwrap().len() > 1);
    // The notes go to standard error, so the policy can be redirected.
    assert!(
        stderr(&out).contains("statements added"),
        "{}",
        stderr(&out)
    );
    // The file itself is not changed.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // Merging again adds nothing.
    let again_path = scratch("keep-again.json", &merged);
    let again = kmsplay(
        &["snippet", "cloudtrail-trail", "--merge", &again_path],
        None,
    );
    assert_eq!(stdout(&again), merged.clone() + "\n");
    // Broken JSON cannot be merged into: exit 2 with a position.
    let broken = scratch("broken.json", "{\n  \"Statement\": [\n");
    let out = kmsplay(&["snippet", "cloudtrail-trail", "--merge", &broken], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{broken}:")),
        "{}",
        stderr(&out)
    );
}
