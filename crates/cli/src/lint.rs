//! `kmsplay lint FILE`: the findings of a key policy, an IAM policy, or
//! every policy of a playground file, printed like a compiler's
//! diagnostics (or as JSON). The rules live in `kmsplay_lab::findings`;
//! this module reads the file, picks the words and prints.
//!
//! Exit status: 1 when a finding is an `error` or `security` one, else 0;
//! 2 when the file cannot be read or is a broken playground file.

use crate::check::CheckFormat as Format;
use crate::io::{write_err, write_out};
use kmsplay_json::{LineIndex, Span};
use kmsplay_lab::findings::{
    findings_json, help, lint_document, message, policy_name, Finding, LintedPolicy, Severity,
};
use kmsplay_messages::{render, text, Lang};
use serde_json::{json, Value};
use std::process::ExitCode;

/// Lints FILE (`-` reads standard input) and prints the findings.
pub fn run(path: &str, format: Format, lang: Lang) -> ExitCode {
    let bytes = match crate::io::read_input(path, lang) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (source, linted) = match std::str::from_utf8(&bytes) {
        Ok(source) => match lint_document(source, None) {
            Ok(linted) => (source.to_string(), linted),
            Err(e) => {
                crate::text::print_file_error(path, source, &e, lang);
                return ExitCode::from(2);
            }
        },
        Err(_) => {
            // Not text: one JSON error at the first bad byte.
            let source = String::from_utf8_lossy(&bytes).into_owned();
            let e = kmsplay_json::parse_bytes(&bytes).expect_err("invalid UTF-8 is an error");
            let finding = Finding {
                code: e.kind.code(),
                severity: Severity::Error,
                span: e.span,
                params: e.kind.params(),
            };
            let linted = vec![LintedPolicy {
                source: None,
                text: None,
                findings: vec![finding],
            }];
            (source, linted)
        }
    };
    // The findings are the data (text: like a compiler's, on standard
    // output); the summary line after them ("errors: 1, …" or "no
    // findings") is a note for people, on standard error.
    let out = match format {
        Format::Text => render_text(path, &source, &linted, lang),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&render_json(&source, &linted, lang))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&render_sarif(path, &source, &linted, lang))
                .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    write_out(&out);
    if matches!(format, Format::Text) {
        write_err(&format!("{}\n", summary(&linted, lang)));
    }
    exit_code(&linted)
}

/// 1 when any finding is an error or a security finding, else 0.
fn exit_code(linted: &[LintedPolicy]) -> ExitCode {
    let serious = linted
        .iter()
        .flat_map(|p| &p.findings)
        .any(|f| matches!(f.severity, Severity::Error | Severity::Security));
    if serious {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The text a finding's span refers to.
fn base<'s>(source: &'s str, p: &'s LintedPolicy) -> &'s str {
    p.text.as_deref().unwrap_or(source)
}

/// Findings like a compiler prints them, each followed by a blank line.
fn render_text(path: &str, source: &str, linted: &[LintedPolicy], lang: Lang) -> String {
    let mut out = String::new();
    for p in linted {
        let index = LineIndex::new(base(source, p));
        let place = match (&p.source, &p.text) {
            (Some(s), Some(_)) => format!("{path} ({})", policy_name(s)),
            _ => path.to_string(),
        };
        for f in &p.findings {
            let start = index.position(f.span.start);
            out.push_str(&format!(
                "{place}:{}:{}: {}[{}]: {}\n",
                start.line,
                start.column,
                text_of(lang, f.severity),
                f.code,
                message(f, lang)
            ));
            out.push_str(&snippet(&index, f.span));
            if let Some(h) = help(f, lang) {
                out.push_str(&format!("  = {}: {h}\n", text(lang, "finding.help-label")));
            }
            out.push('\n');
        }
    }
    out
}

/// The count of findings of each severity, or "no findings".
fn summary(linted: &[LintedPolicy], lang: Lang) -> String {
    let mut counts = [0usize; 4];
    for f in linted.iter().flat_map(|p| &p.findings) {
        counts[f.severity as usize] += 1;
    }
    if counts.iter().sum::<usize>() == 0 {
        text(lang, "finding.none")
    } else {
        render(
            lang,
            "finding.summary",
            &[
                ("error", counts[0].to_string()),
                ("security", counts[1].to_string()),
                ("warning", counts[2].to_string()),
                ("suggestion", counts[3].to_string()),
            ],
        )
    }
}

fn text_of(lang: Lang, s: Severity) -> String {
    text(lang, &format!("finding.severity.{}", s.as_str()))
}

/// The span's first line with carets under it:
/// ` 4 | "Action": "kms:Decrpyt",` / `   |           ^^^^^^^^^^^^^`.
fn snippet(index: &LineIndex<'_>, span: Span) -> String {
    let start = index.position(span.start);
    let end = index.position(span.end);
    let line = index.line_text(start.line);
    if line.is_empty() {
        return String::new();
    }
    let width = line.chars().count();
    let last = if end.line == start.line {
        end.column.max(start.column + 1)
    } else {
        width + 1
    };
    let carets = last.min(width + 1).saturating_sub(start.column).max(1);
    let number = start.line.to_string();
    let pad = " ".repeat(number.len());
    format!(
        " {number} | {line}\n {pad} | {}{}\n",
        " ".repeat(start.column - 1),
        "^".repeat(carets)
    )
}

/// `{"findings": [{"code", "severity", "message", "help", "line", "column",
/// "end_line", "end_column", "start", "end", "params", "policy"?}]}`.
fn render_json(source: &str, linted: &[LintedPolicy], lang: Lang) -> Value {
    json!({ "findings": findings_json(source, linted, lang) })
}

/// The findings as a SARIF 2.1.0 log: one result per finding, `error`
/// for errors and security findings, `warning` and `note` for the rest.
/// A finding in a policy given as a string is placed at the string's
/// first line (its own spans are into the string's text).
fn render_sarif(path: &str, source: &str, linted: &[LintedPolicy], lang: Lang) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut results = Vec::new();
    for p in linted {
        for f in &p.findings {
            let id = format!("kmsplay/{}", f.code);
            if !rules.iter().any(|r| r["id"] == id.as_str()) {
                rules.push(
                    json!({ "id": id, "name": f.code, "shortDescription": { "text": f.code } }),
                );
            }
            let level = match f.severity {
                Severity::Error | Severity::Security => "error",
                Severity::Warning => "warning",
                Severity::Suggestion => "note",
            };
            let span = if p.text.is_some() {
                Span { start: 0, end: 0 }
            } else {
                f.span
            };
            results.push(crate::sarif::result(
                &id,
                level,
                &message(f, lang),
                path,
                crate::sarif::region(source, span),
            ));
        }
    }
    crate::sarif::log(rules, results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(source: &str) -> Vec<LintedPolicy> {
        lint_document(source, None).expect("lintable")
    }

    const TYPO: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/App\"},\n     \"Action\": \"kms:Decrpyt\", \"Resource\": \"*\"}\n  ]\n}\n";

    #[test]
    fn text_is_like_a_compilers() {
        let linted = lint(TYPO);
        let out = render_text("policy.json", TYPO, &linted, Lang::En);
        let expected = "policy.json:6:16: error[unknown-action]: `kms:Decrpyt` is not a KMS action: it matches nothing, so this part of the statement does nothing; did you mean `kms:Decrypt`?\n 6 |      \"Action\": \"kms:Decrpyt\", \"Resource\": \"*\"}\n   |                ^^^^^^^^^^^^^\n  = help: ";
        assert!(out.starts_with(expected), "{out}");
        assert!(out.ends_with("\n\n"), "{out}");
        assert_eq!(
            summary(&linted, Lang::En),
            "errors: 1, security: 0, warnings: 0, suggestions: 0"
        );
        assert_eq!(exit_code(&linted), ExitCode::from(1));
    }

    #[test]
    fn japanese_text() {
        let linted = lint(TYPO);
        let out = render_text("p.json", TYPO, &linted, Lang::Ja);
        assert!(out.contains("エラー[unknown-action]"), "{out}");
        assert!(out.contains("= ヘルプ: "), "{out}");
        assert!(out.contains("`kms:Decrypt` のことですか？"), "{out}");
    }

    #[test]
    fn json_has_positions_messages_and_help() {
        let linted = lint(TYPO);
        let v = render_json(TYPO, &linted, Lang::En);
        let f = &v["findings"][0];
        assert_eq!(f["code"], "unknown-action");
        assert_eq!(f["severity"], "error");
        assert_eq!(
            (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
            (&json!(6), &json!(16), &json!(6), &json!(29))
        );
        assert!(f["help"].as_str().is_some_and(|h| !h.is_empty()));
        assert_eq!(f["params"]["suggestion"], "kms:Decrypt");
        assert!(f.get("policy").is_none());
    }

    #[test]
    fn parser_errors_keep_their_messages_and_hints() {
        let broken = "{\"Version\": \"2012-10-17\" \"Statement\": []}";
        let linted = lint(broken);
        let out = render_text("p.json", broken, &linted, Lang::En);
        assert!(
            out.starts_with("p.json:1:26: error[json-unexpected-char]: unexpected `\"` here: a comma or } should come here"),
            "{out}"
        );
        assert!(
            out.contains("  = help: look just before this place"),
            "{out}"
        );
    }

    #[test]
    fn clean_policies_exit_zero_and_warnings_do_not_fail() {
        let clean = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        let linted = lint(clean);
        assert_eq!(render_text("p", clean, &linted, Lang::En), "");
        assert_eq!(summary(&linted, Lang::En), "no findings");
        assert_eq!(exit_code(&linted), ExitCode::SUCCESS);
        let warning = clean.replace("\"Version\": \"2012-10-17\", ", "");
        let linted = lint(&warning);
        assert_eq!(linted[0].findings[0].code, "missing-version");
        assert_eq!(exit_code(&linted), ExitCode::SUCCESS);
    }

    #[test]
    fn playground_files_name_the_policy() {
        let file = r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111122223333:key/k",
  "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}"},
  "identities": [{"arn": "arn:aws:iam::111122223333:user/Bob", "policies": [
    {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}]}]}"#;
        let linted = lint(file);
        let out = render_text("f.json", file, &linted, Lang::En);
        // The key policy is a string: positions are in it.
        assert!(
            out.contains("f.json (key):1:1: error[key-policy-lockout]"),
            "{out}"
        );
        assert!(
            out.contains("f.json (key):1:74: security[public-principal]"),
            "{out}"
        );
        // The identity policy is an object: positions are in the file.
        assert!(
            out.contains("f.json:4:5: warning[missing-version]"),
            "{out}"
        );
        let v = render_json(file, &linted, Lang::En);
        let policies: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["policy"].as_str().unwrap())
            .collect();
        assert!(policies.contains(&"key"));
        assert!(policies.contains(&"identities[0].policies[0]"));
    }

    #[test]
    fn carets_cover_the_span_on_its_first_line() {
        let text = "ab\ncdéfg\nh";
        let index = LineIndex::new(text);
        let s = text.find('é').unwrap();
        assert_eq!(
            snippet(&index, Span::new(s, s + 'é'.len_utf8() + 1)),
            " 2 | cdéfg\n   |   ^^\n"
        );
        // A span running over several lines: carets to the end of its first.
        assert_eq!(
            snippet(&index, Span::new(3, text.len())),
            " 2 | cdéfg\n   | ^^^^^\n"
        );
        // A zero-width span still gets one caret.
        assert_eq!(snippet(&index, Span::new(1, 1)), " 1 | ab\n   |  ^\n");
    }
}
