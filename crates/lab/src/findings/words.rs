//! Findings in words (from the message catalogues) and as JSON.

use super::finding::Finding;
use super::lint::LintedPolicy;
use kmsplay_playground::PolicySource;

/// The finding's message: `finding.<code>`, or the parser's `diag.<code>`
/// (with its hints) for grammar and JSON errors; a "did you mean" when the
/// finding carries a suggestion its help does not already give.
pub fn message(f: &Finding, lang: kmsplay_messages::Lang) -> String {
    let id = format!("finding.{}", f.code);
    if !kmsplay_messages::exists(&id) {
        let d = kmsplay_policy::Diagnostic {
            code: f.code,
            severity: kmsplay_policy::Severity::Error,
            span: f.span,
            params: f.params.clone(),
        };
        return kmsplay_playground::diagnostic_message(&d, lang);
    }
    let mut m = kmsplay_messages::render(lang, &id, &f.params);
    let help_names_it = kmsplay_messages::catalogue(kmsplay_messages::Lang::En)
        .text(&format!("{id}.help"))
        .is_some_and(|h| h.contains("{suggestion}"));
    if let (Some(s), false) = (f.param("suggestion"), help_names_it) {
        m.push_str("; ");
        m.push_str(&kmsplay_messages::render(
            lang,
            "finding.did-you-mean",
            &[("suggestion", s.to_string())],
        ));
    }
    m
}

/// The finding's help, when the catalogue has one.
pub fn help(f: &Finding, lang: kmsplay_messages::Lang) -> Option<String> {
    let id = format!("finding.{}.help", f.code);
    kmsplay_messages::exists(&id).then(|| kmsplay_messages::render(lang, &id, &f.params))
}

/// Where a linted policy stands in a playground file: `key` or
/// `identities[I].policies[J]`.
pub fn policy_name(source: &PolicySource) -> String {
    match source {
        PolicySource::Key => "key".to_string(),
        other => other.path(),
    }
}

/// Every finding of `linted` as the JSON the command line and the npm
/// package print: `code`, `severity`, `message`, `help`, `line`, `column`,
/// `end_line`, `end_column`, `start`, `end`, `params`, and for a playground
/// file `policy` and `in_policy_text`. `source` is the text that was linted.
pub fn findings_json(
    source: &str,
    linted: &[LintedPolicy],
    lang: kmsplay_messages::Lang,
) -> Vec<serde_json::Value> {
    use serde_json::{json, Map, Value};
    let mut findings = Vec::new();
    for p in linted {
        let index = kmsplay_json::LineIndex::new(p.text.as_deref().unwrap_or(source));
        for f in &p.findings {
            let start = index.position(f.span.start);
            let end = index.position(f.span.end);
            let params: Map<String, Value> = f
                .params
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                .collect();
            let mut o = json!({
                "code": f.code,
                "severity": f.severity.as_str(),
                "message": message(f, lang),
                "help": help(f, lang),
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "start": f.span.start,
                "end": f.span.end,
                "params": params,
            });
            if let Some(s) = &p.source {
                o["policy"] = Value::String(policy_name(s));
                o["in_policy_text"] = Value::Bool(p.text.is_some());
            }
            findings.push(o);
        }
    }
    findings
}
