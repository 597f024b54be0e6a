//! Output for people: results one line each with the reason under it, and
//! diagnostics like a compiler's, with the source line and a caret.

use kmsplay_json::LineIndex;
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::answer::{DiagnosticAnswer, RequestAnswer, StatementAnswer, Summary};
use kmsplay_playground::{file_error_message, FileError, ReportAnswer};
use std::io::Write;

/// Writes a line to `w`, ignoring a closed pipe (`| head`), as `out!` does.
macro_rules! wln {
    ($w:expr, $($t:tt)*) => {{
        let _ = writeln!($w, $($t)*);
    }};
}

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
    print_diagnostics(path, source, &report.diagnostics, lang);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for r in &report.results {
        print_result(&mut out, r, trace, lang);
    }
    let _ = out.flush();
    print_summary(&report.summary, lang);
}

/// Prints the policies' diagnostics like a compiler.
pub fn print_diagnostics(path: &str, source: &str, diagnostics: &[DiagnosticAnswer], lang: Lang) {
    let file_index = LineIndex::new(source);
    for d in diagnostics {
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

/// One result (and its trace): data, for standard output.
pub fn print_result(w: &mut dyn Write, r: &RequestAnswer, trace: bool, lang: Lang) {
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
    wln!(w, "{line}");
    for reason in &r.reasons {
        wln!(w, "    {}", reason.message);
    }
    if trace {
        print_trace(w, r, lang);
    }
}

/// The summary line after the results is a note for people, on standard
/// error (the JSON format has it as `summary`).
pub fn print_summary(s: &Summary, lang: Lang) {
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

fn print_trace(w: &mut dyn Write, r: &RequestAnswer, lang: Lang) {
    let Some(t) = &r.trace else { return };
    let yes_no = |b: bool| text(lang, if b { "trace.yes" } else { "trace.no" });
    if let Some(c) = &r.cross_account {
        wln!(
            w,
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
    wln!(w, "      {}:", text(lang, "trace.key-policy"));
    print_statements(w, &t.key_policy, lang);
    for ip in &t.identity_policies {
        let label = render(
            lang,
            "trace.identity-policy",
            &[
                ("policy", (ip.policy + 1).to_string()),
                ("identity", ip.identity.clone()),
            ],
        );
        wln!(w, "      {label}:");
        print_statements(w, &ip.statements, lang);
    }
    if !t.grants.is_empty() {
        wln!(w, "      {}:", text(lang, "trace.grants"));
        for g in &t.grants {
            let name = render(lang, "trace.grant", &[("grant", g.grant.clone())]);
            wln!(w, "        {name}: {}", text(lang, g.verdict()));
        }
    }
}

fn print_statements(w: &mut dyn Write, statements: &[StatementAnswer], lang: Lang) {
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
        wln!(
            w,
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
        wln!(w, "          {principal}; {action}; {resource}");
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
            wln!(
                w,
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
