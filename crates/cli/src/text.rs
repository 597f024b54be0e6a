//! Output for people: results one line each with the reason under it, and
//! diagnostics like a compiler's, with the source line and a caret.

use kmsplay_json::LineIndex;
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::{file_error_message, FileError};
use serde_json::Value;

/// `file:line:col: error[code]: message`, the line, a caret.
pub fn print_file_error(path: &str, source: &str, e: &FileError, lang: Lang) {
    let index = LineIndex::new(source);
    let pos = index.position(e.span.start);
    let mut message = file_error_message(e, lang);
    if !e.path.is_empty() && !message.contains(&e.path) {
        message = format!("{}: {message}", e.path);
    }
    err!(
        "{path}:{}:{}: {}[{}]: {message}",
        pos.line,
        pos.column,
        text(lang, "cli.error"),
        e.code
    );
    print_caret(&index, pos.line, pos.column);
    err!(
        "kmsplay: {}",
        render(lang, "cli.invalid-file", &[("file", path.to_string())])
    );
}

fn print_caret(index: &LineIndex<'_>, line: usize, column: usize) {
    let src = index.line_text(line);
    if src.is_empty() {
        return;
    }
    err!("{line:>5} | {src}");
    err!("      | {}^", " ".repeat(column.saturating_sub(1)));
}

fn field<'v>(v: &'v Value, name: &str) -> &'v str {
    v.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// Prints the results and the policies' diagnostics.
pub fn print_report(path: &str, source: &str, report: &Value, trace: bool, lang: Lang) {
    print_diagnostics(path, source, report, lang);
    print_results(report, trace, lang);
}

/// Prints the policies' diagnostics like a compiler.
pub fn print_diagnostics(path: &str, source: &str, report: &Value, lang: Lang) {
    let file_index = LineIndex::new(source);
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let line = d["line"].as_u64().unwrap_or(1) as usize;
        let column = d["column"].as_u64().unwrap_or(1) as usize;
        let severity = text(lang, &format!("cli.{}", field(d, "severity")));
        let place = if d["in_policy_text"].as_bool() == Some(true) {
            format!("{path} ({})", field(d, "policy"))
        } else {
            path.to_string()
        };
        err!(
            "{place}:{line}:{column}: {severity}[{}]: {}",
            field(d, "code"),
            field(d, "message")
        );
        if d["in_policy_text"].as_bool() != Some(true) {
            print_caret(&file_index, line, column);
        } else if let Some(policy_text) = d["policy_text"].as_str() {
            print_caret(&LineIndex::new(policy_text), line, column);
        }
    }
}

fn print_results(report: &Value, trace: bool, lang: Lang) {
    for r in report["results"].as_array().into_iter().flatten() {
        let mark = match r.get("expect_met").and_then(Value::as_bool) {
            Some(true) => "✓",
            Some(false) => "✗",
            None if field(r, "outcome") == "Success" => "✓",
            None => "✗",
        };
        let decision = text(lang, &format!("decision.{}", field(r, "decision")));
        let mut line = format!(
            "{mark} {} — {decision} ({})",
            field(r, "name"),
            field(r, "outcome")
        );
        if let Some(met) = r.get("expect_met").and_then(Value::as_bool) {
            let id = if met {
                "cli.expect-met"
            } else {
                "cli.expect-failed"
            };
            line.push_str(" · ");
            line.push_str(&render(
                lang,
                id,
                &[("expect", field(r, "expect").to_string())],
            ));
        }
        out!("{line}");
        for reason in r["reasons"].as_array().into_iter().flatten() {
            out!("    {}", field(reason, "message"));
        }
        if trace {
            print_trace(r, lang);
        }
    }
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or(0).to_string();
    out!(
        "\n{}",
        render(
            lang,
            "cli.summary",
            &[
                ("total", n("total")),
                ("allowed", n("allowed")),
                ("denied", n("denied")),
                ("met", n("expect_met")),
                ("failed", n("expect_failed")),
            ]
        )
    );
}

fn print_trace(r: &Value, lang: Lang) {
    let Some(t) = r.get("trace") else { return };
    let yes_no = |b: bool| text(lang, if b { "trace.yes" } else { "trace.no" });
    if let Some(c) = r.get("cross_account").filter(|c| !c.is_null()) {
        out!(
            "      {}",
            render(
                lang,
                "trace.cross-account",
                &[
                    (
                        "key_policy",
                        yes_no(c["key_policy"].as_bool() == Some(true))
                    ),
                    (
                        "identity_policy",
                        yes_no(c["identity_policy"].as_bool() == Some(true))
                    ),
                ]
            )
        );
    }
    out!("      {}:", text(lang, "trace.key-policy"));
    print_statements(&t["key_policy"], lang);
    for ip in t["identity_policies"].as_array().into_iter().flatten() {
        let label = render(
            lang,
            "trace.identity-policy",
            &[
                (
                    "policy",
                    (ip["policy"].as_u64().unwrap_or(0) + 1).to_string(),
                ),
                ("identity", field(ip, "identity").to_string()),
            ],
        );
        out!("      {label}:");
        print_statements(&ip["statements"], lang);
    }
    let grants = t["grants"].as_array().cloned().unwrap_or_default();
    if !grants.is_empty() {
        out!("      {}:", text(lang, "trace.grants"));
        for g in grants {
            let id = if g["applies"].as_bool() == Some(true) {
                "trace.grant.applies"
            } else if g["grantee"].as_bool() != Some(true)
                && g["grantee_account"].as_bool() != Some(true)
            {
                "trace.grant.grantee-no"
            } else if g["operation"].as_bool() != Some(true) {
                "trace.grant.operation-no"
            } else if g["constraint"].as_bool() != Some(true) {
                "trace.grant.constraint-no"
            } else {
                "trace.grant.pending"
            };
            let name = render(
                lang,
                "trace.grant",
                &[("grant", field(&g, "grant").to_string())],
            );
            out!("        {name}: {}", text(lang, id));
        }
    }
}

fn print_statements(statements: &Value, lang: Lang) {
    for s in statements.as_array().into_iter().flatten() {
        let number = (s["statement"].as_u64().unwrap_or(0) + 1).to_string();
        let label = match s["sid"].as_str() {
            Some(sid) => render(
                lang,
                "trace.statement-sid",
                &[("statement", number), ("sid", sid.to_string())],
            ),
            None => render(lang, "trace.statement", &[("statement", number)]),
        };
        let verdict = if s["valid"].as_bool() != Some(true) {
            text(lang, "trace.invalid")
        } else if s["applies"].as_bool() == Some(true) {
            text(lang, "trace.applies")
        } else {
            text(lang, "trace.does-not-apply")
        };
        out!("        {label} [{}]: {verdict}", field(s, "effect"));
        let principal = text(lang, &format!("trace.principal.{}", field(s, "principal")));
        let action = text(
            lang,
            if s["action"].as_bool() == Some(true) {
                "trace.action.match"
            } else {
                "trace.action.no-match"
            },
        );
        let resource = text(
            lang,
            if s["resource"].as_bool() == Some(true) {
                "trace.resource.match"
            } else {
                "trace.resource.no-match"
            },
        );
        out!("          {principal}; {action}; {resource}");
        for c in s["conditions"].as_array().into_iter().flatten() {
            let request = match c["request_values"].as_array() {
                Some(v) => Value::Array(v.clone()).to_string(),
                None => text(lang, "trace.condition.missing"),
            };
            let id = if c["result"].as_bool() == Some(true) {
                "trace.condition.true"
            } else {
                "trace.condition.false"
            };
            out!(
                "          {}",
                render(
                    lang,
                    id,
                    &[
                        ("operator", field(c, "operator").to_string()),
                        ("key", field(c, "key").to_string()),
                        ("request", request),
                        ("policy", c["policy_values"].to_string()),
                    ]
                )
            );
        }
    }
}
