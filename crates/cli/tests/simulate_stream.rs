//! Issue #17 (scale): `kmsplay simulate` writes each result as it is
//! decided, on every core, without holding the report. What it writes
//! must be what the whole report gives: for every playground file in
//! `tests/playground` whose requests are streamed, a file with its
//! requests repeated many times (so that the batches the threads take do
//! not line up with the file's requests) prints its results repeated, in
//! order, in both formats; and the JSON equals the report that
//! `kmsplay_playground::simulate_json` builds whole.

mod common;

use common::{kmsplay, root};
use serde_json::Value;

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// `kmsplay simulate - ARGS`, the file on standard input (read whole
/// before anything is written, so the pipes cannot block each other).
fn simulate(file: &str, args: &[&str]) -> Run {
    let mut all = vec!["simulate", "-", "--lang", "en"];
    all.extend_from_slice(args);
    let out = kmsplay(&all, Some(file));
    Run {
        stdout: common::stdout(&out),
        stderr: common::stderr(&out),
        code: out.status.code(),
    }
}

/// The playground files whose requests have no policies of their own
/// (those are streamed; the others are reported whole).
fn streamed_files() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/playground")).expect("tests/playground") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let Some(requests) = v["requests"].as_array() else {
            continue;
        };
        let own = requests.iter().any(|r| {
            r.get("session_policies").is_some() || r["vpc_endpoint"].get("policy").is_some()
        });
        if !own && !requests.is_empty() && kmsplay_playground::read(&text).is_ok() {
            out.push((path.display().to_string(), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 20, "{} files", out.len());
    out
}

fn repeated(file: &Value, times: usize) -> Value {
    let mut file = file.clone();
    let requests = file["requests"].as_array().expect("requests").clone();
    let n = requests.len();
    file["requests"] = Value::Array(requests.into_iter().cycle().take(n * times).collect());
    file
}

#[test]
fn a_long_file_prints_its_results_in_order_as_the_whole_report_would() {
    const TIMES: usize = 23;
    for (path, file) in streamed_files() {
        let once = serde_json::to_string_pretty(&file).expect("JSON");
        let many = serde_json::to_string_pretty(&repeated(&file, TIMES)).expect("JSON");

        // Text: the result lines, repeated; the same exit status.
        let one = simulate(&once, &[]);
        let all = simulate(&many, &[]);
        assert_eq!(all.stdout, one.stdout.repeat(TIMES), "{path}");
        assert_eq!(all.code, one.code, "{path}");

        // JSON: the whole report's document, byte for byte.
        let all = simulate(&many, &["--format", "json"]);
        let whole = kmsplay_playground::simulate_json(&many, kmsplay_messages::Lang::En, true)
            .expect("reads");
        let want = serde_json::to_string_pretty(&whole.answer).expect("JSON") + "\n";
        assert!(
            all.stdout == want,
            "{path}: the streamed report differs from the whole one"
        );
        assert_eq!(all.code, one.code, "{path}");
        assert!(
            all.stderr.is_empty() || !all.stderr.contains("panicked"),
            "{path}"
        );
    }
}

/// A bad request far down a long file: exit 2, its place, and nothing on
/// standard output (every request is read before the first result).
#[test]
fn a_bad_request_at_the_end_is_refused_before_anything_is_printed() {
    let (_, file) = streamed_files().remove(0);
    let mut long = repeated(&file, 50);
    let requests = long["requests"].as_array_mut().expect("requests");
    let last = requests.len() - 1;
    requests[last]["action"] = Value::String("kms:NoSuchThing".into());
    let text = serde_json::to_string_pretty(&long).expect("JSON");
    for format in ["text", "json"] {
        let run = simulate(&text, &["--format", format]);
        assert_eq!(run.code, Some(2), "{format}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{format}");
        assert!(
            run.stderr.contains(&format!("requests[{last}]")),
            "{format}: {}",
            run.stderr
        );
    }
}
