//! The JSON text the package writes is the command line's, byte for byte,
//! for every playground fixture: whole-file `simulate`, `Playground`'s
//! compiled `simulate`, and `decide` of each request.

use kmsplay_messages::Lang;
use kmsplay_wasm::engine::{quick_request, simulate, Compiled};
use serde_json::Value;

fn fixtures() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.push(format!("{dir}/invalid/event-data-store-missing-comma.json").into());
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_is_the_command_lines_json() {
    let files = fixtures();
    assert!(files.len() > 20);
    for (path, text) in &files {
        let compiled = Compiled::new(text, Lang::En).unwrap();
        let requests: Vec<Value> = serde_json::from_str::<Value>(text).unwrap()["requests"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for lang in Lang::ALL {
            for trace in [false, true] {
                let cli = kmsplay_playground::simulate_json(text, lang, trace)
                    .unwrap()
                    .json();
                let want = cli.to_string();
                assert_eq!(simulate(text, lang, trace).unwrap(), want, "{path}");
                assert_eq!(compiled.simulate(lang, trace), want, "{path}");
                for (i, r) in requests.iter().enumerate() {
                    let mut got: Value = serde_json::from_str(
                        &compiled.decide(&r.to_string(), lang, trace).unwrap(),
                    )
                    .unwrap();
                    // A request without a name is named by its place in the file.
                    if r.get("name").is_none() {
                        got["name"] = cli["results"][i]["name"].clone();
                    }
                    let mut want_one = cli["results"][i].clone();
                    if r.get("session_policies").is_some() || r.get("vpc_endpoint").is_some() {
                        // A request decided on its own names its policies
                        // `requests[0]…` and places them in its own text.
                        for v in [&mut got, &mut want_one] {
                            if let Some(o) = v.as_object_mut() {
                                o.remove("decided_by");
                            }
                            if let Some(g) = v.pointer_mut("/trace/guardrails") {
                                for part in ["session_policies", "vpc_endpoint"] {
                                    g.as_object_mut().unwrap().remove(part);
                                }
                            }
                        }
                    }
                    assert_eq!(got, want_one, "{path} request {i}");
                }
            }
        }
    }
}

/// The quick request reader reads every request as the file reader does,
/// and leaves every request the file reader refuses to it.
#[test]
fn quick_request_reads_as_the_file_reader() {
    let mut requests: Vec<String> = Vec::new();
    for (_, text) in fixtures() {
        let file: Value = serde_json::from_str(&text).unwrap();
        for r in file["requests"].as_array().into_iter().flatten() {
            requests.push(r.to_string());
            requests.push(serde_json::to_string_pretty(r).unwrap());
        }
    }
    assert!(requests.len() > 600);
    requests.extend(
        [
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "name": null}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "s3:GetObject"}"#,
            r#"{"principal": "nobody", "action": "kms:Decrypt"}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob"}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "context": {"a": {"b": 1}}}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "context": {"n": 1.50, "b": true, "m": [1, "x", false]}}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "encryption_context": {"a": 1}}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "grant_tokens": "t"}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "grant_tokens": ["t", 1]}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "expect": "maybe"}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "key": 7}"#,
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "key": "alias/x", "x": [}"#,
            r#"["not", "an", "object"]"#,
            "",
        ]
        .map(str::to_string),
    );
    for r in &requests {
        let quick = quick_request(r).map(|s| format!("{s:?}"));
        let file = Compiled::read_request_as_file(r, Lang::En).map(|s| format!("{s:?}"));
        match (quick, file) {
            (Some(q), Ok(f)) => {
                // The span is the request's own, not the synthetic file's.
                let strip = |s: &str| s[..s.rfind("span:").unwrap()].to_string();
                assert_eq!(strip(&q), strip(&f), "{r}");
            }
            (None, Err(_)) => {}
            // Left to the file reader, which reads their policies.
            (None, Ok(_))
                if r.contains("\"session_policies\"") || r.contains("\"vpc_endpoint\"") => {}
            (q, f) => panic!("{r}: quick {q:?}, file reader {f:?}"),
        }
    }
}
