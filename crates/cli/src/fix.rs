//! `kmsplay fix FILE [--request N] [--format json|text]`: for every request
//! of a playground file that does not get the answer it expects (or the
//! one given, numbered from 1), the policy changes that make it pass, each
//! checked by running the file again, with a diff of the policy text; for a
//! request that passes but should not, the statements or grant that let it
//! through. The rules live in `kmsplay_lab::fixes`; this module reads the
//! file, picks the words from the catalogues and prints.
//!
//! Exit status: 0 when there is nothing to fix, 1 when a request does not
//! get what it expects, 2 when the file cannot be read, is not a playground
//! file, has a policy that is not JSON, or has no request N.

use crate::io::{write_err, write_out};
use kmsplay_json::LineIndex;
use kmsplay_lab::fixes::{
    self, culprit_message, fix_detail, fix_title, positions, Culprit, CulpritAnswer, Fix,
    FixAnswer, FixTarget, Problem,
};
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::{PlaygroundFile, PolicySource, RequestSpec};
use serde_json::{json, Value};
use std::process::ExitCode;

/// Runs `kmsplay fix` on `path` (`-` reads standard input); `request` is
/// 1-based; `json` selects JSON output.
pub fn run(path: &str, request: Option<usize>, json: bool, lang: Lang) -> ExitCode {
    let bytes = match crate::io::read_input(path, lang) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let source = match std::str::from_utf8(&bytes) {
        Ok(s) => s,
        Err(_) => {
            let e = kmsplay_playground::read_bytes(&bytes).expect_err("invalid UTF-8 is an error");
            crate::text::print_file_error(path, "", &e, lang);
            return ExitCode::from(2);
        }
    };
    let file = match kmsplay_playground::read(source) {
        Ok(f) => f,
        Err(e) => {
            crate::text::print_file_error(path, source, &e, lang);
            return ExitCode::from(2);
        }
    };
    // A policy that is not JSON cannot be edited: say where it breaks.
    if unreadable_policies(path, source, &file, lang) {
        write_err(&format!(
            "kmsplay: {}\n",
            render(lang, "cli.invalid-file", &[("file", path.to_string())])
        ));
        return ExitCode::from(2);
    }
    let count = file.requests.len();
    let selected: Vec<usize> = match request {
        Some(n) if (1..=count).contains(&n) => vec![n - 1],
        Some(n) => {
            write_err(&format!(
                "kmsplay: {}\n",
                render(
                    lang,
                    "fix.cli.no-such-request",
                    &[("number", n.to_string()), ("count", count.to_string())]
                )
            ));
            return ExitCode::from(2);
        }
        None => (0..count).collect(),
    };
    let reports: Vec<RequestReport> = selected
        .iter()
        .filter_map(|&i| RequestReport::new(source, &file, i))
        .collect();
    // Each failing request with its fixes (or culprits) is the data, on
    // standard output; the closing line ("N of M requests need fixing", or
    // "nothing to fix" when stdout stays empty) is a note for people, on
    // standard error (the JSON format has it as `summary`).
    if json {
        let mut s = serde_json::to_string_pretty(&render_json(
            path, source, &file, &reports, &selected, lang,
        ))
        .unwrap_or_default();
        s.push('\n');
        write_out(&s);
    } else {
        write_out(&render_text(path, source, &file, &reports, lang));
        write_err(&note(&file, &reports, &selected, lang));
    }
    if reports.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints the JSON errors of policies given as text (or too large), like
/// `simulate` does; true when there were any.
fn unreadable_policies(path: &str, source: &str, file: &PlaygroundFile, lang: Lang) -> bool {
    let mut any = false;
    for p in &file.policies {
        for d in &p.diagnostics {
            if !(d.code.starts_with("json-") || d.code == "policy-too-large") {
                continue;
            }
            any = true;
            let (place, base) = place_of(path, source, file, &p.source);
            let pos = LineIndex::new(base).position(d.span.start);
            write_err(&format!(
                "{place}:{}:{}: {}[{}]: {}\n",
                pos.line,
                pos.column,
                text(lang, "cli.error"),
                d.code,
                kmsplay_playground::diagnostic_message(d, lang)
            ));
        }
    }
    any
}

/// `key` or `identities[I].policies[J]`, as `simulate` and `lint` name policies.
fn policy_name(source: &PolicySource) -> String {
    kmsplay_lab::findings::policy_name(source)
}

/// Where a span of `policy` is read: the policy's own text when it was
/// given as a string (named `file (policy)`), else the file.
fn place_of<'s>(
    path: &str,
    source: &'s str,
    file: &'s PlaygroundFile,
    policy: &PolicySource,
) -> (String, &'s str) {
    match file
        .policies
        .iter()
        .find(|p| &p.source == policy)
        .and_then(|p| p.text.as_deref())
    {
        Some(own) => (format!("{path} ({})", policy_name(policy)), own),
        None => (path.to_string(), source),
    }
}

/// What is wrong with one request and what to do about it.
struct RequestReport {
    index: usize,
    problem: Problem,
    fixes: Vec<Fix>,
    culprits: Vec<Culprit>,
}

impl RequestReport {
    /// None when the request gets what it expects.
    fn new(source: &str, file: &PlaygroundFile, index: usize) -> Option<RequestReport> {
        let problem = fixes::problem(file, index)?;
        let (fixes, culprits) = match problem {
            Problem::Denied => (fixes::suggest(source, index), Vec::new()),
            Problem::Allowed => (Vec::new(), fixes::explain_unwanted(source, index)),
            Problem::Other => (Vec::new(), Vec::new()),
        };
        Some(RequestReport {
            index,
            problem,
            fixes,
            culprits,
        })
    }

    fn useful_fixes(&self) -> usize {
        self.fixes.iter().filter(|f| f.changes_text()).count()
    }
}

/// The header line of a request: its answer and what it expected.
fn request_line(spec: &RequestSpec, index: usize, file: &PlaygroundFile, lang: Lang) -> String {
    let r = kmsplay_playground::decide(file, spec, false);
    let decision = text(
        lang,
        &format!("decision.{}", r.authorization.decision.as_str()),
    );
    let mut params = vec![
        ("number", (index + 1).to_string()),
        ("name", spec.name.clone()),
        ("decision", decision),
        ("outcome", r.authorization.outcome.as_str().to_string()),
    ];
    let id = match spec.expect {
        Some(e) => {
            params.push(("expect", e.as_str().to_string()));
            "fix.cli.request"
        }
        None => "fix.cli.request-no-expect",
    };
    render(lang, id, &params)
}

/// The reasons the engine gives for the request's answer.
fn reasons(file: &PlaygroundFile, spec: &RequestSpec, lang: Lang) -> Vec<(String, String)> {
    let r = kmsplay_playground::decide(file, spec, false);
    r.authorization
        .reasons
        .iter()
        .map(|reason| {
            (
                reason.code.to_string(),
                kmsplay_playground::render_reason(file, spec, &r.authorization, reason, lang),
            )
        })
        .collect()
}

fn target_line(fix: &Fix, lang: Lang) -> String {
    match &fix.target {
        FixTarget::KeyPolicy => text(lang, "fix.cli.target-key"),
        FixTarget::IdentityPolicy {
            identity,
            policy: Some(j),
        } => render(
            lang,
            "fix.cli.target-identity",
            &[
                ("identity", identity.clone()),
                ("policy", (j + 1).to_string()),
            ],
        ),
        FixTarget::IdentityPolicy {
            identity,
            policy: None,
        } => render(
            lang,
            "fix.cli.target-identity-new",
            &[("identity", identity.clone())],
        ),
        FixTarget::Layer(source) => {
            // A policy of its own text, or one the fix adds to a list.
            let id = if fix
                .diff
                .lines()
                .any(|l| l.starts_with('-') || l.starts_with(' '))
            {
                "fix.cli.target-layer"
            } else {
                "fix.cli.target-layer-new"
            };
            render(
                lang,
                id,
                &[
                    (
                        "kind",
                        text(lang, &format!("policy-type.{}", fix.target.kind())),
                    ),
                    ("path", source.path()),
                ],
            )
        }
    }
}

fn push_fix_text(out: &mut String, fix: &Fix, indent: &str, lang: Lang) {
    out.push_str(&format!("{indent}{}\n", fix_detail(fix, lang)));
    if fix.changes_text() {
        out.push_str(&format!("{indent}{}\n", target_line(fix, lang)));
        for line in fix.diff.lines() {
            out.push_str(&format!("{indent}  {line}\n"));
        }
    }
    if let Some(also) = &fix.also {
        let title = fix_title(also, lang);
        out.push_str(&format!(
            "{indent}{}\n",
            render(lang, "fix.cli.also", &[("title", title)])
        ));
        push_fix_text(out, also, &format!("{indent}  "), lang);
    }
}

/// Where a culprit is, and the text its span is in.
fn culprit_place<'s>(
    path: &str,
    source: &'s str,
    file: &'s PlaygroundFile,
    c: &Culprit,
) -> (String, &'s str) {
    match &c.source {
        Some(policy) => place_of(path, source, file, policy),
        None => (path.to_string(), source),
    }
}

/// Every failing request with its reasons and fixes (or culprits), each
/// followed by a blank line.
fn render_text(
    path: &str,
    source: &str,
    file: &PlaygroundFile,
    reports: &[RequestReport],
    lang: Lang,
) -> String {
    let mut out = String::new();
    for report in reports {
        let spec = &file.requests[report.index];
        out.push_str(&format!(
            "✗ {}\n",
            request_line(spec, report.index, file, lang)
        ));
        for (_, message) in reasons(file, spec, lang) {
            out.push_str(&format!("    {message}\n"));
        }
        match report.problem {
            Problem::Denied if report.fixes.is_empty() => {
                out.push_str(&format!("  {}\n", text(lang, "fix.cli.no-fix")));
            }
            Problem::Denied => {
                for (n, fix) in report.fixes.iter().enumerate() {
                    let title = fix_title(fix, lang);
                    out.push_str(&format!(
                        "  {}\n",
                        render(
                            lang,
                            "fix.cli.fix",
                            &[("number", (n + 1).to_string()), ("title", title)]
                        )
                    ));
                    push_fix_text(&mut out, fix, "    ", lang);
                }
            }
            Problem::Allowed => {
                out.push_str(&format!("  {}\n", text(lang, "fix.cli.culprits")));
                for c in &report.culprits {
                    out.push_str(&format!("    {}\n", culprit_message(c, lang)));
                    if let Some(span) = c.span {
                        let (place, base) = culprit_place(path, source, file, c);
                        let ((line, column), _) = positions(base, span);
                        out.push_str(&format!("      {place}:{line}:{column}\n"));
                    }
                }
                out.push_str(&format!(
                    "  = {}: {}\n",
                    text(lang, "finding.help-label"),
                    text(lang, "fix.cli.unwanted-help")
                ));
            }
            Problem::Other => {
                out.push_str(&format!("  {}\n", text(lang, "fix.cli.other")));
            }
        }
        out.push('\n');
    }
    out
}

/// The closing line: nothing to fix (for the file or the one request
/// asked for), or how many requests need fixing.
fn note(
    file: &PlaygroundFile,
    reports: &[RequestReport],
    selected: &[usize],
    lang: Lang,
) -> String {
    let line = match (reports, selected) {
        ([], [one]) => render(
            lang,
            "fix.cli.request-ok",
            &[
                ("number", (one + 1).to_string()),
                ("name", file.requests[*one].name.clone()),
            ],
        ),
        ([], _) => text(lang, "fix.cli.nothing"),
        _ => summary(reports, selected, lang),
    };
    line + "\n"
}

fn summary(reports: &[RequestReport], selected: &[usize], lang: Lang) -> String {
    render(
        lang,
        "fix.cli.summary",
        &[
            ("problems", reports.len().to_string()),
            ("total", selected.len().to_string()),
            (
                "fixes",
                reports
                    .iter()
                    .map(RequestReport::useful_fixes)
                    .sum::<usize>()
                    .to_string(),
            ),
        ],
    )
}

fn fix_json(fix: &Fix, lang: Lang) -> Value {
    serde_json::to_value(FixAnswer::new(fix, lang)).unwrap_or_default()
}

fn culprit_json(source: &str, file: &PlaygroundFile, c: &Culprit, lang: Lang) -> Value {
    serde_json::to_value(CulpritAnswer::new(c, source, file, lang)).unwrap_or_default()
}

/// `{"file", "requests": [{"request", "name", …, "problem", "reasons",
/// "fixes", "culprits"}], "summary": {"total", "problems", "fixes"}}`.
fn render_json(
    path: &str,
    source: &str,
    file: &PlaygroundFile,
    reports: &[RequestReport],
    selected: &[usize],
    lang: Lang,
) -> Value {
    let requests: Vec<Value> = reports
        .iter()
        .map(|report| {
            let spec = &file.requests[report.index];
            let r = kmsplay_playground::decide(file, spec, false);
            json!({
                "request": report.index + 1,
                "name": spec.name,
                "principal": spec.principal_text,
                "action": format!("kms:{}", spec.operation.name),
                "decision": r.authorization.decision.as_str(),
                "outcome": r.authorization.outcome.as_str(),
                "expect": spec.expect.map(|e| e.as_str()),
                "problem": report.problem.as_str(),
                "reasons": reasons(file, spec, lang)
                    .into_iter()
                    .map(|(code, message)| json!({"code": code, "message": message}))
                    .collect::<Vec<_>>(),
                "fixes": report.fixes.iter().map(|f| fix_json(f, lang)).collect::<Vec<_>>(),
                "culprits": report
                    .culprits
                    .iter()
                    .map(|c| culprit_json(source, file, c, lang))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "file": path,
        "requests": requests,
        "summary": {
            "total": selected.len(),
            "problems": reports.len(),
            "fixes": reports.iter().map(RequestReport::useful_fixes).sum::<usize>(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/../../tests/playground/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    fn report(source: &str) -> (PlaygroundFile, Vec<RequestReport>, Vec<usize>) {
        let file = kmsplay_playground::read(source).unwrap();
        let selected: Vec<usize> = (0..file.requests.len()).collect();
        let reports = selected
            .iter()
            .filter_map(|&i| RequestReport::new(source, &file, i))
            .collect();
        (file, reports, selected)
    }

    /// Carol's root delegation taken out of Bob's fixture.
    fn without_root() -> String {
        let mut v: Value = serde_json::from_str(&fixture("bob-same-account.json")).unwrap();
        v["key"]["policy"]["Statement"]
            .as_array_mut()
            .unwrap()
            .remove(0);
        serde_json::to_string_pretty(&v).unwrap()
    }

    #[test]
    fn a_passing_file_has_nothing_to_fix() {
        let source = fixture("deny-rules.json");
        let (file, reports, selected) = report(&source);
        assert!(reports.is_empty());
        assert_eq!(
            render_text("f.json", &source, &file, &reports, Lang::En),
            ""
        );
        assert_eq!(
            note(&file, &reports, &selected, Lang::En),
            "Every request gets the answer it expects: nothing to fix.\n"
        );
        let out = note(&file, &reports, &[3], Lang::En);
        assert!(out.starts_with("Request 4 “"), "{out}");
    }

    #[test]
    fn text_shows_each_failing_request_with_its_fixes_and_diffs() {
        let source = without_root();
        let (file, reports, selected) = report(&source);
        assert!(!reports.is_empty());
        let out = render_text("f.json", &source, &file, &reports, Lang::En);
        assert!(
            out.contains("✗ Request 11 “Carol: IAM policy + root delegation, same account”: implicit deny (AccessDeniedException); expected allowed\n"),
            "{out}"
        );
        assert!(
            out.contains("  Fix 1: Allow arn:aws:iam::111111111111:user/Carol to call kms:Decrypt in the key policy\n"),
            "{out}"
        );
        assert!(out.contains("  Fix 2: Add the \"Enable IAM User Permissions\" statement for account 111111111111\n"), "{out}");
        assert!(out.contains("    Key policy:\n      @@ -"), "{out}");
        assert!(out.contains("      +          \"Principal\": {\n"), "{out}");
        assert!(out.ends_with("\n\n"), "{out}");
        let note = note(&file, &reports, &selected, Lang::En);
        assert!(note.ends_with("fixes suggested.\n"), "{note}");
        let ja = render_text("f.json", &source, &file, &reports, Lang::Ja);
        assert!(ja.contains("修正 1: キーポリシーで"), "{ja}");
        assert!(ja.contains("キーポリシー:\n"), "{ja}");
    }

    #[test]
    fn json_carries_fixes_and_culprits() {
        let source = without_root();
        let (file, reports, selected) = report(&source);
        let v = render_json("f.json", &source, &file, &reports, &selected, Lang::En);
        let carol = v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["request"] == 11)
            .unwrap();
        assert_eq!(carol["problem"], "denied");
        assert_eq!(carol["fixes"][0]["code"], "allow-caller-not-delegated");
        assert_eq!(carol["fixes"][0]["target"]["kind"], "key_policy");
        assert_eq!(carol["fixes"][1]["code"], "enable-iam-policies");
        assert!(carol["fixes"][0]["diff"]
            .as_str()
            .unwrap()
            .starts_with("@@ -"));
        assert!(v["summary"]["fixes"].as_u64().unwrap() >= 2);

        // An unwanted pass names the statement, with its place in the file.
        let mut doc: Value = serde_json::from_str(&fixture("bob-same-account.json")).unwrap();
        doc["requests"][0]["expect"] = json!("implicitDeny");
        let source = serde_json::to_string_pretty(&doc).unwrap();
        let (file, reports, selected) = report(&source);
        assert_eq!(reports.len(), 1);
        let v = render_json("f.json", &source, &file, &reports, &selected, Lang::En);
        let c = &v["requests"][0]["culprits"][0];
        assert_eq!(c["code"], "key-policy-statement");
        assert_eq!(c["policy"], "key");
        assert_eq!(c["in_policy_text"], false);
        let line = c["line"].as_u64().unwrap() as usize;
        assert!(source.lines().nth(line - 1).unwrap().trim() == "{");
        let out = render_text("f.json", &source, &file, &reports, Lang::En);
        assert!(
            out.contains("  Let through by:\n    Key policy statement #2"),
            "{out}"
        );
        assert!(out.contains(&format!("      f.json:{line}:")), "{out}");
        assert!(out.contains("  = help: To refuse it"), "{out}");
    }

    /// App's Decrypt refused by the SCP at ou-work (it allows Encrypt only).
    fn scp_file() -> String {
        let key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        serde_json::to_string_pretty(&json!({
            "version": 1,
            "organization": {
                "id": "o-a1b2c3d4e5", "root": "r-a1b2", "management_account": "999999999999",
                "accounts": { "111111111111": ["ou-work"] },
                "scps": { "ou-work": [ { "Version": "2012-10-17", "Statement": [
                    { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*" } ] } ] }
            },
            "key": { "arn": key, "policy": { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
                  "Action": "kms:*", "Resource": "*" } ] } },
            "identities": [ { "arn": "arn:aws:iam::111111111111:role/App", "policies": [
                { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:*", "Resource": key } ] } ] } ],
            "requests": [ { "name": "App decrypts", "principal": "arn:aws:sts::111111111111:assumed-role/App/s1",
                            "action": "kms:Decrypt", "expect": "allowed" } ]
        }))
        .unwrap()
    }

    #[test]
    fn a_fix_in_another_layer_names_it_and_its_path() {
        let source = scp_file();
        let (file, reports, selected) = report(&source);
        let v = render_json("f.json", &source, &file, &reports, &selected, Lang::En);
        let fix = &v["requests"][0]["fixes"][0];
        assert_eq!(fix["code"], "scp-allow-action");
        assert_eq!(
            fix["target"],
            json!({"kind": "scp", "path": "organization.scps.ou-work[0]"})
        );
        let out = render_text("f.json", &source, &file, &reports, Lang::En);
        assert!(
            out.contains("service control policy (SCP) organization.scps.ou-work[0]:\n"),
            "{out}"
        );
        let ja = render_text("f.json", &source, &file, &reports, Lang::Ja);
        assert!(ja.contains("organization.scps.ou-work[0]:\n"), "{ja}");
    }
}
