//! `kmsplay scenario list | show ID | run ID --policy FILE`: the source
//! documents' scenarios, run against a key policy. Every sentence comes from
//! the message catalogues; the rules live in `kmsplay_lab::scenarios`.
//!
//! Exit status of `run`: 0 when every request gets the answer the
//! documents call for, 1 when one does not, 2 for an unknown scenario, a
//! bad parameter, or a policy file that cannot be read or is not JSON.

use crate::format::Format;
use kmsplay_json::LineIndex;
use kmsplay_lab::scenarios::{self, Params, Scenario};
use kmsplay_messages::{render, text, Lang};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::ExitCode;

/// Prints a line to standard output, ignoring a closed pipe.
pub(crate) fn say(line: impl AsRef<str>) {
    let _ = writeln!(std::io::stdout().lock(), "{}", line.as_ref());
}

/// Prints a line to standard error, ignoring a closed pipe.
pub(crate) fn warn(line: impl AsRef<str>) {
    let _ = writeln!(std::io::stderr().lock(), "{}", line.as_ref());
}

/// The scenario `id`, or a message and exit status 2.
pub(crate) fn find(id: &str, lang: Lang) -> Result<&'static Scenario, ExitCode> {
    scenarios::scenario(id).ok_or_else(|| {
        warn(format!(
            "kmsplay: {}",
            render(
                lang,
                "scenario.error.unknown-scenario",
                &[("id", id.to_string())]
            )
        ));
        ExitCode::from(2)
    })
}

/// `name=value` arguments read for `scenario`, or every error and exit status 2.
pub(crate) fn read_params(
    scenario: &Scenario,
    args: &[String],
    lang: Lang,
) -> Result<Params, ExitCode> {
    Params::parse(scenario, args).map_err(|errors| {
        for e in errors {
            warn(format!(
                "kmsplay: {}",
                render(lang, &e.message_id(), &e.message_params())
            ));
        }
        ExitCode::from(2)
    })
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read_text(path: &str, lang: Lang) -> Result<String, ExitCode> {
    let result = if path == "-" {
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf).map(|_| buf)
    } else {
        std::fs::read_to_string(path)
    };
    result.map_err(|e| {
        warn(format!(
            "kmsplay: {}",
            render(
                lang,
                "cli.cannot-read",
                &[("file", path.to_string()), ("error", e.to_string())]
            )
        ));
        ExitCode::from(2)
    })
}

/// Prints a JSON document on standard output.
pub(crate) fn say_json(v: &Value) {
    say(serde_json::to_string_pretty(v).unwrap_or_default());
}

/// `kmsplay scenario list`. The lines `id  title` are the data; the header
/// saying how to run one is a hint, on standard error. JSON: the array the
/// npm package's `scenarios()` gives ([`scenarios::catalogue_json`]).
pub fn list(format: Format, lang: Lang) -> ExitCode {
    if let Format::Json = format {
        say_json(&scenarios::catalogue_json(lang));
        return ExitCode::SUCCESS;
    }
    warn(text(lang, "scenario.cli.list-header"));
    let width = scenarios::catalogue()
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(0);
    for s in scenarios::catalogue() {
        say(format!("  {:width$}  {}", s.id, text(lang, s.title)));
    }
    ExitCode::SUCCESS
}

fn message_params(request: &Value) -> Vec<(&str, String)> {
    request["message_params"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default().to_string()))
        .collect()
}

fn field<'v>(v: &'v Value, name: &str) -> &'v str {
    v.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// `kmsplay scenario show ID`: what the scenario is, its parameters with
/// their defaults, and the requests it makes with the default parameters.
/// The title, summary, parameter, request and source lines are the data
/// (blocks apart by blank lines); the blocks' headings and the closing hint
/// (`kmsplay snippet ID`) are for people, on standard error. JSON: the
/// scenario as `scenario list --format json` has it, plus
/// `default_requests`, the requests made with the default parameters, with
/// the field names of `scenario run --format json`'s results.
pub fn show(id: &str, format: Format, lang: Lang) -> ExitCode {
    let s = match find(id, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let defaults = Params::defaults(s);
    if let Format::Json = format {
        let file = scenarios::build(s, &defaults, "{}");
        let requests: Vec<Value> = file["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let params = message_params(r);
                let kind = field(r, "scenario_request").rsplit('/').next();
                json!({
                    "name": r["name"],
                    "request": kind,
                    "principal": r["principal"],
                    "action": r["action"],
                    "expect": r["expect"],
                    "purpose_id": r["purpose"],
                    "consequence_id": r["consequence"],
                    "purpose": render(lang, field(r, "purpose"), &params),
                    "consequence": render(lang, field(r, "consequence"), &params),
                })
            })
            .collect();
        let mut v = scenarios::scenario_json(s, lang);
        v["default_requests"] = Value::Array(requests);
        say_json(&v);
        return ExitCode::SUCCESS;
    }
    say(format!("{} ({})", text(lang, s.title), s.id));
    say("");
    say(text(lang, s.summary));
    say("");
    warn(text(lang, "scenario.cli.params"));
    for p in s.params {
        let default = defaults
            .get(p.name)
            .map(|v| v.to_text())
            .unwrap_or_default();
        say(format!(
            "  {}",
            render(
                lang,
                "scenario.cli.param-line",
                &[
                    ("name", p.name.to_string()),
                    (
                        "kind",
                        text(lang, &format!("scenario.kind.{}", p.kind.code()))
                    ),
                    ("default", default),
                    ("label", text(lang, p.label)),
                ],
            )
        ));
    }
    say("");
    warn(text(lang, "scenario.cli.requests"));
    let file = scenarios::build(s, &defaults, "{}");
    for r in file["requests"].as_array().into_iter().flatten() {
        let params = message_params(r);
        say(format!(
            "  - {} ({} {})",
            render(lang, field(r, "purpose"), &params),
            field(r, "action"),
            field(r, "principal")
        ));
        say(format!(
            "      {}",
            render(
                lang,
                "scenario.cli.if-fails",
                &[(
                    "consequence",
                    render(lang, field(r, "consequence"), &params)
                )]
            )
        ));
    }
    say("");
    warn(text(lang, "scenario.cli.sources"));
    for source in s.sources {
        say(format!("  {source}"));
    }
    warn("");
    warn(render(
        lang,
        "scenario.cli.snippet-hint",
        &[("id", s.id.to_string())],
    ));
    ExitCode::SUCCESS
}

/// Prints the key policy's diagnostics like a compiler; true when one of
/// them makes the policy unreadable (not JSON, or over KMS's size limit).
fn print_policy_diagnostics(
    path: &str,
    policy_text: &str,
    report: &kmsplay_playground::ReportAnswer,
    lang: Lang,
) -> bool {
    let index = LineIndex::new(policy_text);
    let mut unreadable = false;
    for d in report.diagnostics.iter().filter(|d| d.policy == "key") {
        let code = d.code;
        unreadable |= code.starts_with("json-") || code == "policy-too-large";
        let (line, column) = (d.line, d.column);
        warn(format!(
            "{path}:{line}:{column}: {}[{code}]: {}",
            text(lang, &format!("cli.{}", d.severity)),
            d.message
        ));
        let src = index.line_text(line);
        if !src.is_empty() {
            warn(format!("{line:>5} | {src}"));
            warn(format!("      | {}^", " ".repeat(column.saturating_sub(1))));
        }
    }
    unreadable
}

/// `kmsplay scenario run ID --policy FILE [--param k=v …] [--format json|text]`;
/// `json` is true for `--format json`. `-` reads the policy from standard input.
pub fn run(id: &str, policy_path: &str, params: &[String], json: bool, lang: Lang) -> ExitCode {
    let s = match find(id, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let p = match read_params(s, params, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let policy_text = match read_text(policy_path, lang) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let file = scenarios::build(s, &p, &policy_text);
    let (report, outcome) = match (
        kmsplay_playground::simulate_json(&file.to_string(), lang, json),
        scenarios::run(s, &p, &policy_text),
    ) {
        (Ok(report), Ok(outcome)) => (report, outcome),
        (Err(e), _) | (_, Err(e)) => {
            // Validated parameters always make a valid file; say so if not.
            warn(format!(
                "kmsplay: {}: {}",
                e.path,
                kmsplay_playground::file_error_message(&e, lang)
            ));
            return ExitCode::from(2);
        }
    };
    let unreadable = if json {
        report.answer.diagnostics.iter().any(|d| {
            d.policy == "key" && (d.code.starts_with("json-") || d.code == "policy-too-large")
        })
    } else {
        print_policy_diagnostics(policy_path, &policy_text, &report.answer, lang)
    };
    let refuse = || {
        warn(format!(
            "kmsplay: {}",
            render(
                lang,
                "scenario.cli.policy-invalid",
                &[("file", policy_path.to_string())]
            )
        ));
        ExitCode::from(2)
    };
    if unreadable && !json {
        // A policy that is not JSON means nothing to run: say where it
        // breaks, as `simulate` does.
        return refuse();
    }

    // As JSON objects: the scenario's own fields are added to each.
    let report_json = report.json();
    let results = report_json["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let requests = file["requests"].as_array().cloned().unwrap_or_default();
    let total = outcome.results.len();
    let failed: Vec<usize> = match &outcome.verdict {
        scenarios::Verdict::AllPass => Vec::new(),
        scenarios::Verdict::Fail(f) => f.clone(),
    };
    if json {
        let results: Vec<Value> = results
            .into_iter()
            .zip(&requests)
            .zip(&outcome.results)
            .map(|((mut r, req), o)| {
                let params = message_params(req);
                r["request"] = json!(o.request);
                r["purpose_id"] = json!(o.purpose);
                r["consequence_id"] = json!(o.consequence);
                r["purpose"] = json!(render(lang, o.purpose, &params));
                r["consequence"] = json!(render(lang, o.consequence, &params));
                r["passed"] = json!(o.passed);
                r
            })
            .collect();
        let doc = json!({
            "scenario": s.id,
            "title": text(lang, s.title),
            "params": p.to_json(),
            "verdict": if failed.is_empty() { "pass" } else { "fail" },
            "failed": failed,
            "results": results,
            "diagnostics": report_json["diagnostics"],
            "playground_file": file,
        });
        say(serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        // One mark line per request, with its answer (and, when it fails,
        // the reasons and the consequence), is the data; the header naming
        // the scenario and the policy, and the verdict line, are for
        // people, on standard error (the JSON has them as fields).
        warn(render(
            lang,
            "scenario.cli.run-header",
            &[
                ("title", text(lang, s.title)),
                ("id", s.id.to_string()),
                ("file", policy_path.to_string()),
            ],
        ));
        warn("");
        for ((r, req), o) in results.iter().zip(&requests).zip(&outcome.results) {
            let params = message_params(req);
            let mark = if o.passed { "✓" } else { "✗" };
            say(format!("{mark} {}", render(lang, o.purpose, &params)));
            say(format!(
                "    {}",
                render(
                    lang,
                    "scenario.cli.answer",
                    &[
                        (
                            "decision",
                            text(lang, &format!("decision.{}", field(r, "decision")))
                        ),
                        ("outcome", field(r, "outcome").to_string()),
                        ("expect", o.expect.to_string()),
                    ],
                )
            ));
            if !o.passed {
                for reason in r["reasons"].as_array().into_iter().flatten() {
                    say(format!("    {}", field(reason, "message")));
                }
                say(format!(
                    "    {}",
                    render(
                        lang,
                        "scenario.cli.consequence",
                        &[("consequence", render(lang, o.consequence, &params))]
                    )
                ));
            }
        }
        warn("");
        let (id, n) = if failed.is_empty() {
            ("scenario.cli.verdict-pass", 0)
        } else {
            ("scenario.cli.verdict-fail", failed.len())
        };
        warn(render(
            lang,
            id,
            &[("total", total.to_string()), ("failed", n.to_string())],
        ));
    }
    if unreadable {
        return refuse();
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
