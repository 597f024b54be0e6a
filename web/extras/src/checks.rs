//! What the page's "Policy checks" panel shows (issue #18): whether the
//! policy as edited grants access the baseline did not (the policy as it
//! was loaded, imported or last marked), with the requests that prove it;
//! whether a caller outside the key's account can be allowed; whether the
//! policy locks the account out of `kms:PutKeyPolicy`; and who can call an
//! operation, under which conditions. A pure function of the two
//! playground files (tested natively), which [`crate::checks_room`]
//! renders; the reasoning is `kmsplay_analysis`'s, the same as
//! `kmsplay check` and `kmsplay who-can`.

use kmsplay_analysis::{words, Report, Setting, Verdict};
use kmsplay_lab::checks::Names;
use kmsplay_messages::{render, Lang};
use serde_json::Value;

/// The panel's content.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChecksView {
    /// Why nothing could be checked (the policy does not parse), if so.
    pub unreadable: Option<String>,
    /// "What changed": the edit against the baseline.
    pub changed: Option<Check>,
    /// Callers outside the key's account.
    pub public: Option<Check>,
    /// The policy lockout safety check.
    pub lockout: Option<Check>,
    /// Who can call the chosen operation.
    pub who_can: Option<WhoCanView>,
    /// The failed outside-access and lockout checks as findings of the
    /// policy text the editor shows (see [`editor_findings`]).
    pub findings: Vec<EditorFinding>,
    /// Milliseconds the no-new-access check took (by the clock given).
    pub no_new_access_ms: Option<f64>,
    /// Milliseconds all the checks took.
    pub total_ms: f64,
}

/// One check's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// `pass`, `fail` or `unknown`.
    pub result: &'static str,
    /// The verdict's sentence.
    pub verdict: String,
    /// The requests that prove a fail (or a lockout's refused callers),
    /// each with what adding it to the file makes.
    pub requests: Vec<Proof>,
    /// Why an answer is unknown.
    pub limits: Vec<String>,
}

/// A request that proves a check's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// It in words ("… may call kms:Decrypt with …").
    pub words: String,
    /// The playground file with it added as a request (and the identities
    /// it assumes), for "Add as a request".
    pub file_with_it: String,
}

/// Who can call an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoCanView {
    /// "Who can call kms:Decrypt:" or "Nobody can call …".
    pub title: String,
    /// Each class of callers, with the conditions it must meet.
    pub callers: Vec<(String, Vec<String>)>,
    /// Why the list may be incomplete.
    pub limits: Vec<String>,
}

/// A check's failure as a finding in the editor: where in the policy
/// text, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorFinding {
    /// `analysis-outside-access` or `analysis-lockout`.
    pub code: &'static str,
    /// `warning` (outside access: often meant, as a named other account)
    /// or `error` (lockout: KMS refuses the policy), as the linter's severities.
    pub severity: &'static str,
    /// First byte in the policy text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line and column of `start`.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The sentence.
    pub message: String,
}

/// The outside-access and lockout failures placed in `policy_text` (the
/// editor's text): outside access on each statement that lets a caller
/// from outside in, lockout on the policy as a whole (no statement is to
/// blame: one is missing).
pub fn editor_findings(
    policy_text: &str,
    public: &Check,
    public_report: &Report,
    lockout: &Check,
    lang: Lang,
) -> Vec<EditorFinding> {
    let parsed = kmsplay_policy::parse_text(policy_text, kmsplay_policy::PolicyKind::Resource);
    let Some(policy) = parsed.policy else {
        return Vec::new();
    };
    let lines = kmsplay_json::LineIndex::new(policy_text);
    let at = |code, severity, span: kmsplay_json::Span, message| {
        let p = lines.position(span.start);
        EditorFinding {
            code,
            severity,
            start: span.start,
            end: span.end,
            line: p.line,
            column: p.column,
            message,
        }
    };
    let mut out = Vec::new();
    if public.result == "fail" {
        let mut seen = Vec::new();
        for (c, proof) in public_report.counterexamples.iter().zip(&public.requests) {
            let Some(i) = c.statement.filter(|i| !seen.contains(i)) else {
                continue;
            };
            seen.push(i);
            if let Some(st) = policy.statements.get(i) {
                let message = render(
                    lang,
                    "analysis.room.finding.outside-access",
                    &[("request", proof.words.clone())],
                );
                out.push(at("analysis-outside-access", "warning", st.span, message));
            }
        }
    }
    if lockout.result == "fail" {
        let message = render(lang, "analysis.room.finding.lockout", &[]);
        out.push(at("analysis-lockout", "error", policy.span, message));
    }
    out
}

/// The setting of a playground file's text, or why there is none.
fn setting(text: &str, lang: Lang) -> Result<(Setting, Value), String> {
    let file = kmsplay_playground::read(text).map_err(|e| {
        render(
            lang,
            "analysis.room.unreadable",
            &[("code", e.code.to_string())],
        )
    })?;
    // A key policy AWS would refuse is not checked (as `kmsplay check`
    // refuses it): read leniently, it might allow less than it says.
    let refused = file
        .policies
        .iter()
        .filter(|p| p.source == kmsplay_playground::PolicySource::Key)
        .flat_map(|p| &p.diagnostics)
        .any(|d| d.severity == kmsplay_policy::Severity::Error);
    if file.key.policy.is_none() || refused {
        return Err(render(lang, "analysis.room.no-policy", &[]));
    }
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    Ok((Setting::from_file(&file), value))
}

/// `file` with the report's requests added, one file per request.
fn check(report: &Report, names: Names<'_>, file: &Value, lang: Lang) -> Check {
    let refused = report.check == "lockout" && report.result == Verdict::Fail;
    let requests = report
        .counterexamples
        .iter()
        .map(|c| {
            let mut with_it = file.clone();
            let words = words::request(c, !refused, lang);
            let name = format!(
                "{words} ({})",
                render(lang, &format!("analysis.room.from.{}", report.check), &[])
            );
            let mut request = c.request.clone();
            request["name"] = Value::from(name);
            push(&mut with_it, "requests", request);
            for identity in &c.identities {
                let known = with_it["identities"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|i| i["arn"] == identity["arn"]));
                if !known {
                    push(&mut with_it, "identities", identity.clone());
                }
            }
            Proof {
                words,
                file_with_it: kmsplay_playground::json_text(&with_it),
            }
        })
        .collect();
    Check {
        result: report.result.as_str(),
        verdict: kmsplay_lab::checks::message(report, names, &[], lang),
        requests,
        limits: report
            .limits
            .iter()
            .map(|l| words::limit(l, lang))
            .collect(),
    }
}

/// `file`'s text with its key policy replaced by `policy_text` (kept as
/// the text it is: the file reads it as a policy document).
fn with_policy(file: &Value, policy_text: &str) -> String {
    let mut old = file.clone();
    old["key"]["policy"] = Value::from(policy_text);
    kmsplay_playground::json_text(&old)
}

fn push(file: &mut Value, field: &str, item: Value) {
    if !file[field].is_array() {
        file[field] = Value::Array(Vec::new());
    }
    if let Some(list) = file[field].as_array_mut() {
        list.push(item);
    }
}

/// Checks the playground file `current` against `baseline`, a key policy's
/// text (the same file with that policy instead: "What changed" compares
/// the policies under the same key, grants and identities; no baseline, no
/// "What changed"), and who can call `operation`; `clock` (milliseconds)
/// times them. `policy_text` is the key policy as the editor shows it,
/// where the findings are placed.
pub fn view(
    baseline: Option<&str>,
    current: &str,
    policy_text: &str,
    operation: &str,
    lang: Lang,
    clock: &dyn Fn() -> f64,
) -> ChecksView {
    let started = clock();
    let (new, file) = match setting(current, lang) {
        Ok(s) => s,
        Err(why) => {
            return ChecksView {
                unreadable: Some(why),
                ..ChecksView::default()
            }
        }
    };
    let this = render(lang, "analysis.room.this", &[]);
    let mut no_new_access_ms = None;
    let changed = baseline
        .and_then(|b| setting(&with_policy(&file, b), lang).ok())
        .map(|(old, _)| {
            let before = clock();
            let report = kmsplay_analysis::no_new_access(&old, &new);
            no_new_access_ms = Some(clock() - before);
            let old = render(lang, "analysis.room.baseline", &[]);
            let names = Names::Two {
                old: &old,
                new: &this,
            };
            check(&report, names, &file, lang)
        });
    let public_report = kmsplay_analysis::no_public_access(&new);
    let public = check(&public_report, Names::One(&this), &file, lang);
    let lockout = check(
        &kmsplay_analysis::lockout(&new),
        Names::One(&this),
        &file,
        lang,
    );
    let who_can =
        kmsplay_kms::catalogue::operation(operation.trim_start_matches("kms:")).map(|op| {
            let answer = kmsplay_analysis::who_can(&new, op);
            WhoCanView {
                title: words::who_can_title(&answer, lang),
                callers: answer
                    .callers
                    .iter()
                    .map(|c| words::caller(c, lang))
                    .collect(),
                limits: answer
                    .limits
                    .iter()
                    .map(|l| words::limit(l, lang))
                    .collect(),
            }
        });
    let findings = editor_findings(policy_text, &public, &public_report, &lockout, lang);
    ChecksView {
        unreadable: None,
        findings,
        changed,
        public: Some(public),
        lockout: Some(lockout),
        who_can,
        no_new_access_ms,
        total_ms: clock() - started,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(statements: &str) -> String {
        format!(
            r#"{{"version": 1, "key": {{"arn": "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
              "policy": {{"Version": "2012-10-17", "Statement": [{statements}]}}}}}}"#
        )
    }

    fn policy(statements: &str) -> String {
        format!("{{\"Version\": \"2012-10-17\",\n \"Statement\": [\n{statements}]}}")
    }

    const ROOT: &str = r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}"#;
    const BOB: &str = r#"{"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#;

    #[test]
    fn an_edit_that_opens_the_key_to_another_account_fails_with_a_request_that_proves_it() {
        let old = policy(ROOT);
        let new = file(&format!("{ROOT}, {BOB}"));
        let v = view(Some(&old), &new, "", "kms:Decrypt", Lang::En, &|| 0.0);
        let changed = v.changed.expect("checked");
        assert_eq!(changed.result, "fail", "{changed:?}");
        assert!(changed.verdict.starts_with("FAIL"), "{}", changed.verdict);
        let proof = &changed.requests[0];
        assert!(
            proof.words.contains("222222222222:user/Bob"),
            "{}",
            proof.words
        );
        // Adding it to the file: the engine allows it there.
        let with_it = kmsplay_playground::read(&proof.file_with_it).expect("a playground file");
        let results = kmsplay_playground::run(&with_it, false);
        assert_eq!(results.len(), 1);
        assert_eq!(
            results[0].authorization.decision,
            kmsplay_kms::Decision::Allowed,
            "{:?}",
            results[0].authorization
        );
        // And the other checks: another account can use the key.
        assert_eq!(v.public.expect("checked").result, "fail");
        assert_eq!(v.lockout.expect("checked").result, "pass");
        let who = v.who_can.expect("an operation");
        assert!(
            who.callers
                .iter()
                .any(|(class, _)| class.contains("222222222222:user/Bob")),
            "{who:?}"
        );
    }

    #[test]
    fn the_same_policy_passes_and_no_baseline_is_no_what_changed() {
        let old = file(ROOT);
        let v = view(
            Some(&policy(ROOT)),
            &old,
            "",
            "kms:Decrypt",
            Lang::En,
            &|| 0.0,
        );
        assert_eq!(v.changed.expect("checked").result, "pass");
        // A baseline that is not a policy AWS would accept compares nothing
        // (rather than failing: it would allow nothing).
        let v = view(Some(&old), &old, "", "kms:Decrypt", Lang::En, &|| 0.0);
        assert_eq!(v.changed, None);
        assert_eq!(
            view(None, &old, "", "kms:Decrypt", Lang::En, &|| 0.0).changed,
            None
        );
    }

    #[test]
    fn a_policy_without_the_root_statement_locks_the_account_out() {
        let v = view(
            None,
            &file(BOB),
            &policy(BOB),
            "kms:Decrypt",
            Lang::Ja,
            &|| 0.0,
        );
        let lockout = v.lockout.expect("checked");
        assert_eq!(lockout.result, "fail");
        assert!(
            !lockout.verdict.is_ascii(),
            "in Japanese: {}",
            lockout.verdict
        );
    }

    #[test]
    fn a_policy_that_does_not_parse_is_said_so() {
        let v = view(
            None,
            "{\"version\": 1, \"key\": ",
            "",
            "kms:Decrypt",
            Lang::En,
            &|| 0.0,
        );
        assert!(v.unreadable.is_some());
        assert_eq!(v.changed, None);
    }
}
