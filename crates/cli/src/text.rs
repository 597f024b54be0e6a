//! Output for people: results one line each with the reason under it, and
//! diagnostics like a compiler's, with the source line and a caret.

use kmsplay_json::LineIndex;
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::answer::{RequestAnswer, StatementAnswer};
use kmsplay_playground::{file_error_message, FileError, ReportAnswer};

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

/// Prints the results and the policies' diagnostics.
pub fn print_report(path: &str, source: &str, report: &ReportAnswer, trace: bool, lang: Lang) {
    print_diagnostics(path, source, report, lang);
    print_results(report, trace, lang);
}

/// Prints the policies' diagnostics like a compiler.
pub fn print_diagnostics(path: &str, source: &str, report: &ReportAnswer, lang: Lang) {
    let file_index = LineIndex::new(source);
    for d in &report.diagnostics {
        let (line, column) = (d.line, d.column);
        let severity = text(lang, &format!("cli.{}", d.severity));
        let place = if d.in_policy_text {
            format!("{path} ({})", d.policy)
        } else {
            path.to_string()
        };
        err!(
            "{place}:{line}:{column}: {severity}[{}]: {}",
            d.code,
            d.message
        );
        if !d.in_policy_text {
            print_caret(&file_index, line, column);
        } else if let Some(policy_text) = &d.policy_text {
            print_caret(&LineIndex::new(policy_text), line, column);
        }
    }
}

/// The results (and traces) are the data, on standard output; the summary
/// line after them is a note for people, on standard error (the JSON
/// format has it as `summary`).
fn print_results(report: &ReportAnswer, trace: bool, lang: Lang) {
    for r in &report.results {
        let mark = match r.expect_met {
            Some(true) => "✓",
            Some(false) => "✗",
            None if r.succeeds() => "✓",
            None => "✗",
        };
        let decision = text(lang, &format!("decision.{}", r.decision.as_str()));
        let mut line = format!("{mark} {} — {decision} ({})", r.name, r.outcome.as_str());
        if let Some(met) = r.expect_met {
            let id = if met {
                "cli.expect-met"
            } else {
                "cli.expect-failed"
            };
            line.push_str(" · ");
            line.push_str(&render(
                lang,
                id,
                &[("expect", r.expect.unwrap_or_default().to_string())],
            ));
        }
        out!("{line}");
        for reason in &r.reasons {
            out!("    {}", reason.message);
        }
        if trace {
            print_trace(r, lang);
        }
    }
    let s = &report.summary;
    err!(
        "\n{}",
        render(
            lang,
            "cli.summary",
            &[
                ("total", s.total.to_string()),
                ("allowed", s.allowed.to_string()),
                ("denied", s.denied.to_string()),
                ("met", s.expect_met.to_string()),
                ("failed", s.expect_failed.to_string()),
            ]
        )
    );
}

fn print_trace(r: &RequestAnswer, lang: Lang) {
    let Some(t) = &r.trace else { return };
    let yes_no = |b: bool| text(lang, if b { "trace.yes" } else { "trace.no" });
    if let Some(c) = &r.cross_account {
        out!(
            "      {}",
            render(
                lang,
                "trace.cross-account",
                &[
                    ("key_policy", yes_no(c.key_policy)),
                    ("identity_policy", yes_no(c.identity_policy)),
                ]
            )
        );
    }
    out!("      {}:", text(lang, "trace.key-policy"));
    print_statements(&t.key_policy, lang);
    for ip in &t.identity_policies {
        let label = render(
            lang,
            "trace.identity-policy",
            &[
                ("policy", (ip.policy + 1).to_string()),
                ("identity", ip.identity.clone()),
            ],
        );
        out!("      {label}:");
        print_statements(&ip.statements, lang);
    }
    if !t.grants.is_empty() {
        out!("      {}:", text(lang, "trace.grants"));
        for g in &t.grants {
            let name = render(lang, "trace.grant", &[("grant", g.grant.clone())]);
            out!("        {name}: {}", text(lang, g.verdict()));
        }
    }
}

fn print_statements(statements: &[StatementAnswer], lang: Lang) {
    for s in statements {
        let number = (s.statement + 1).to_string();
        let label = match &s.sid {
            Some(sid) => render(
                lang,
                "trace.statement-sid",
                &[("statement", number), ("sid", sid.clone())],
            ),
            None => render(lang, "trace.statement", &[("statement", number)]),
        };
        let verdict = text(lang, s.verdict());
        out!(
            "        {label} [{}]: {verdict}",
            s.effect.unwrap_or_default()
        );
        let principal = text(lang, &format!("trace.principal.{}", s.principal));
        let action = text(
            lang,
            if s.action {
                "trace.action.match"
            } else {
                "trace.action.no-match"
            },
        );
        let resource = text(
            lang,
            if s.resource {
                "trace.resource.match"
            } else {
                "trace.resource.no-match"
            },
        );
        out!("          {principal}; {action}; {resource}");
        for c in &s.conditions {
            let request = match &c.request_values {
                Some(v) => json_strings(v),
                None => text(lang, "trace.condition.missing"),
            };
            let id = if c.result {
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
                        ("operator", c.operator.clone()),
                        ("key", c.key.clone()),
                        ("request", request),
                        ("policy", json_strings(&c.policy_values)),
                    ]
                )
            );
        }
    }
}

/// A list of strings as compact JSON (`["a","b"]`).
fn json_strings(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}
