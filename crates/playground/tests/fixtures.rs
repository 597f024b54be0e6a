//! Runs every playground file under `tests/playground/` and checks each
//! request's `expect`. The files carry the source documents' statements and
//! the AWS pages that justify each expectation.

use kmsplay_playground::{read, render_reason, run};
use std::path::PathBuf;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/playground")
}

fn fixtures() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(fixture_dir())
        .expect("tests/playground exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable fixture");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

#[test]
fn every_expectation_in_every_playground_file_is_met() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, text) in fixtures() {
        let file = match read(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: not a valid playground file: {e:?}"));
                continue;
            }
        };
        for (spec, result) in file.requests.iter().zip(run(&file, false)) {
            total += 1;
            let Some(expect) = spec.expect else {
                failures.push(format!("{name}: request `{}` has no expect", spec.name));
                continue;
            };
            if result.expect_met != Some(true) {
                let a = &result.authorization;
                let why: Vec<String> = a
                    .reasons
                    .iter()
                    .map(|r| render_reason(&file, spec, a, r, kmsplay_messages::Lang::En))
                    .collect();
                failures.push(format!(
                    "{name}: `{}` expected {} but got {} / {}: {}",
                    spec.name,
                    expect.as_str(),
                    a.decision.as_str(),
                    a.outcome.as_str(),
                    why.join(" ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total >= 100,
        "the playground files hold only {total} requests; the contract asks for at least 100"
    );
}

#[test]
fn policies_have_exactly_the_errors_their_file_declares() {
    // A file that keeps a document's broken statement on purpose (a
    // placeholder, the eleven-digit account) lists the error codes it
    // expects in a top-level `_expected_errors`; every other policy must be
    // free of errors.
    for (name, text) in fixtures() {
        let file = read(&text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let raw: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let mut declared: Vec<String> = raw["_expected_errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        declared.sort();
        declared.dedup();
        let mut found: Vec<String> = file
            .policies
            .iter()
            .flat_map(|p| &p.diagnostics)
            .filter(|d| d.severity == kmsplay_policy::Severity::Error)
            .map(|d| d.code.to_string())
            .collect();
        found.sort();
        found.dedup();
        assert_eq!(
            found, declared,
            "{name}: policy errors found vs declared in _expected_errors"
        );
    }
}
