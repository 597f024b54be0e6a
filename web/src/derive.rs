//! Everything the page shows that follows from the user's work: the
//! playground file in effect (the user's own, or a scenario's built around
//! the pasted policy), the report of every request, the policy's findings,
//! and the scenario's snippet. Computed on every change, natively testable.

use crate::workspace::Workspace;
use kmsplay_json::LineIndex;
use kmsplay_lab::findings::{self, Finding};
use kmsplay_lab::scenarios::{self, Params, Scenario};
use kmsplay_lab::snippets::{snippet, Snippet};
use kmsplay_messages::{render, Lang};
use kmsplay_playground::PolicySource;
use serde_json::Value;

/// One underline in the editor and one line in the problems list.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// First byte in the policy text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// `error`, `security`, `warning`, `suggestion`.
    pub severity: String,
    /// Finding code.
    pub code: String,
    /// The message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What the page derives from the state.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The playground file in effect, as text (what fixes and traces read).
    pub file_text: String,
    /// The report, or why the file cannot run.
    pub report: Result<Value, String>,
    /// The key policy's findings.
    pub marks: Vec<Mark>,
    /// Problems with the scenario's parameters (messages).
    pub param_errors: Vec<String>,
    /// The scenario's statements, when a scenario is chosen.
    pub snippet: Option<Snippet>,
}

/// The scenario with `id`, if any.
pub fn chosen(id: &str) -> Option<&'static Scenario> {
    if id.is_empty() {
        None
    } else {
        scenarios::scenario(id)
    }
}

/// A scenario's parameters from the form's values (empty means default).
pub fn params(
    s: &'static Scenario,
    values: &[(String, String)],
) -> Result<Params, Vec<kmsplay_lab::scenarios::ParamError>> {
    let given: Vec<(&str, &str)> = values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Params::new(s, &given)
}

/// Derives everything.
pub fn derive(
    ws: &Workspace,
    scenario: &str,
    values: &[(String, String)],
    key_overrides: &[(String, String)],
    lang: Lang,
) -> Derived {
    let mut param_errors = Vec::new();
    let mut snip = None;
    let file = match chosen(scenario) {
        Some(s) => {
            let p = match params(s, values) {
                Ok(p) => p,
                Err(errors) => {
                    param_errors = errors
                        .iter()
                        .map(|e| render(lang, &e.message_id(), &e.message_params()))
                        .collect();
                    Params::defaults(s)
                }
            };
            snip = Some(snippet(s, &p));
            let mut file = scenarios::build(s, &p, &ws.policy);
            annotate_requests(&mut file, lang);
            if let Some(key) = file.get_mut("key").and_then(|k| k.as_object_mut()) {
                for (name, value) in key_overrides {
                    key.insert(name.clone(), Value::String(value.clone()));
                    if name == "spec" {
                        key.remove("usage");
                    }
                }
            }
            file
        }
        None => ws.to_file_value(),
    };
    let file_text = serde_json::to_string(&file).unwrap_or_default();
    // Read once; run and lint the same file.
    let (report, marks) = match kmsplay_playground::read(&file_text) {
        Ok(f) => {
            let mut json = kmsplay_playground::report_file(&f, &file_text, lang, false).json;
            copy_request_notes(&file, &mut json);
            let marks = key_policy_marks(&f, &ws.policy, chosen(scenario).map(|s| s.id), lang);
            (Ok(json), marks)
        }
        Err(e) => {
            let mut message = kmsplay_playground::file_error_message(&e, lang);
            if !e.path.is_empty() && !message.contains(&e.path) {
                message = format!("{}: {message}", e.path);
            }
            (Err(message), Vec::new())
        }
    };
    Derived {
        file_text,
        report,
        marks,
        param_errors,
        snippet: snip,
    }
}

/// Renders each scenario request's purpose and consequence into the file
/// (as `_purpose` / `_consequence`), so the page shows them beside results.
fn annotate_requests(file: &mut Value, lang: Lang) {
    for r in file["requests"].as_array_mut().into_iter().flatten() {
        let params: Vec<(&str, String)> = r["message_params"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let purpose = r["purpose"].as_str().map(|id| render(lang, id, &params));
        let consequence = r["consequence"]
            .as_str()
            .map(|id| render(lang, id, &params));
        if let Some(p) = purpose {
            r["_purpose"] = Value::String(p);
        }
        if let Some(c) = consequence {
            r["_consequence"] = Value::String(c);
        }
    }
}

fn copy_request_notes(file: &Value, report: &mut Value) {
    let requests = file["requests"].as_array().cloned().unwrap_or_default();
    for (r, req) in report["results"]
        .as_array_mut()
        .into_iter()
        .flatten()
        .zip(requests)
    {
        for key in ["_purpose", "_consequence"] {
            if let Some(v) = req.get(key) {
                r[key.trim_start_matches('_')] = v.clone();
            }
        }
    }
}

/// The key policy's findings, placed in the policy text.
fn key_policy_marks(
    file: &kmsplay_playground::PlaygroundFile,
    policy: &str,
    scenario: Option<&str>,
    lang: Lang,
) -> Vec<Mark> {
    let index = LineIndex::new(policy);
    findings::lint_file(file, scenario)
        .into_iter()
        .filter(|(source, _)| *source == PolicySource::Key)
        .flat_map(|(_, list)| list)
        .map(|f: Finding| {
            let pos = index.position(f.span.start);
            Mark {
                start: f.span.start,
                end: f.span.end,
                severity: f.severity.as_str().to_string(),
                code: f.code.to_string(),
                message: findings::message(&f, lang),
                help: findings::help(&f, lang),
                line: pos.line,
                column: pos.column,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_has_results_and_no_serious_findings() {
        let d = derive(&Workspace::default_example(), "", &[], &[], Lang::En);
        assert_eq!(d.report.unwrap()["results"].as_array().unwrap().len(), 4);
        assert!(d.marks.iter().all(|m| m.severity != "error"));
    }

    #[test]
    fn every_scenario_runs_around_any_policy() {
        let ws = Workspace::default_example();
        for s in scenarios::catalogue() {
            let d = derive(&ws, s.id, &[], &[], Lang::Ja);
            let report = d.report.unwrap();
            let results = report["results"].as_array().unwrap();
            assert!(!results.is_empty(), "{}", s.id);
            assert!(
                results[0]["purpose"]
                    .as_str()
                    .is_some_and(|p| !p.is_empty()),
                "{}",
                s.id
            );
            assert!(d.snippet.is_some());
        }
    }

    #[test]
    fn bad_parameters_are_reported_and_defaults_used() {
        let ws = Workspace::default_example();
        let d = derive(
            &ws,
            "cloudtrail-trail",
            &[("key_account".into(), "12345".into())],
            &[],
            Lang::En,
        );
        assert_eq!(d.param_errors.len(), 1);
        assert!(d.report.is_ok());
    }

    #[test]
    fn broken_policy_text_is_a_finding_with_its_line() {
        let ws = Workspace {
            policy: "{\n  \"Version\": \"2012-10-17\",,\n}".into(),
            ..Workspace::default_example()
        };
        let d = derive(&ws, "", &[], &[], Lang::En);
        assert_eq!(d.marks.len(), 1);
        assert_eq!(
            (d.marks[0].line, d.marks[0].severity.as_str()),
            (2, "error")
        );
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn a_disabled_key_fails_the_trail_with_its_consequence() {
        let ws = Workspace::default_example();
        let d = derive(
            &ws,
            "cloudtrail-trail",
            &[],
            &[("state".into(), "Disabled".into())],
            Lang::En,
        );
        let report = d.report.unwrap();
        let first = &report["results"][0];
        // Not authorized here (the example policy has no CloudTrail
        // statement); with the snippet merged the outcome is the key's.
        assert!(first["consequence"].as_str().is_some());
    }
}
