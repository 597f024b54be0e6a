//! SARIF 2.1.0 logs, as GitHub code scanning reads them
//! (<https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>):
//! one run, the tool's rules, and one result per finding or per failed
//! check's counterexample, placed in the policy's own text.

use kmsplay_analysis::{Report, Verdict};
use kmsplay_json::{LineIndex, Span};
use kmsplay_messages::Lang;
use serde_json::{json, Value};

/// The region of `span` in `text` (SARIF lines and columns count from 1).
pub(crate) fn region(text: &str, span: Span) -> Value {
    let index = LineIndex::new(text);
    let start = index.position(span.start);
    let end = index.position(span.end.max(span.start));
    json!({
        "startLine": start.line.max(1),
        "startColumn": start.column.max(1),
        "endLine": end.line.max(start.line).max(1),
        "endColumn": end.column.max(1),
    })
}

/// A path as a SARIF artifact URI: relative, with forward slashes.
pub(crate) fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

/// A whole log with one run of `rules` and `results`.
pub(crate) fn log(rules: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kmsplay",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/kms-policy-playground/kms-policy-playground",
                    "rules": rules,
                }
            },
            "results": results,
        }]
    })
}

/// One result.
pub(crate) fn result(rule: &str, level: &str, message: &str, path: &str, region: Value) -> Value {
    json!({
        "ruleId": rule,
        "level": level,
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(path) },
                "region": region,
            }
        }],
    })
}

/// The log of one check: nothing for a pass; for a fail one error per
/// counterexample, at the statement that allows it; for an unknown one
/// warning at the policy.
/// `region_of` places a key-policy statement (None: the policy) in the
/// file `path`.
pub(crate) fn check_log(
    report: &Report,
    path: &str,
    region_of: &dyn Fn(Option<usize>) -> Value,
    verdict: &str,
    lang: Lang,
) -> Value {
    let rule = format!("kmsplay/{}", report.check);
    let rules = vec![json!({
        "id": rule,
        "name": report.check,
        "shortDescription": { "text": report.check },
        "defaultConfiguration": { "level": "error" },
    })];
    let mut results = Vec::new();
    match report.result {
        Verdict::Pass => {}
        Verdict::Fail if !report.counterexamples.is_empty() => {
            for c in &report.counterexamples {
                let request = serde_json::to_string(&c.request).unwrap_or_default();
                let message = kmsplay_messages::render(
                    lang,
                    "analysis.sarif.failed-check",
                    &[
                        ("check", report.check.to_string()),
                        ("message", format!("{verdict} {request}")),
                    ],
                );
                results.push(result(
                    &rule,
                    "error",
                    &message,
                    path,
                    region_of(c.statement),
                ));
            }
        }
        _ => {
            let level = if report.result == Verdict::Fail {
                "error"
            } else {
                "warning"
            };
            results.push(result(&rule, level, verdict, path, region_of(None)));
        }
    }
    log(rules, results)
}
