//! The answers in sentences for a person, in the reader's language: the
//! command line's text and the page's "What changed" and "Who can" panels
//! both print these (the sentences are in
//! `crates/messages/locales/*/analysis.txt`).

use crate::report::{Counterexample, Limit, Report};
use crate::who::{CallerClass, WhoCan};
use kmsplay_messages::{render, Lang};

/// The verdict's sentence, with `params` naming the inputs (`old`, `new`,
/// `file`, `actions`, `caller`).
pub fn verdict(report: &Report, params: &[(&str, String)], lang: Lang) -> String {
    render(
        lang,
        &format!("analysis.{}.{}", report.check, report.result.as_str()),
        params,
    )
}

/// One request: who may (or, `allowed` false, may not) call what, with
/// which values.
pub fn request(c: &Counterexample, allowed: bool, lang: Lang) -> String {
    let r = &c.request;
    let principal = r["principal"].as_str().unwrap_or_default().to_string();
    let action = r["action"].as_str().unwrap_or_default().to_string();
    if !allowed {
        return render(
            lang,
            "analysis.counterexample.refused",
            &[("principal", principal), ("action", action)],
        );
    }
    let mut pairs: Vec<String> = Vec::new();
    for field in ["context", "encryption_context"] {
        if let Some(m) = r[field].as_object() {
            for (k, v) in m {
                let prefix = if field == "encryption_context" {
                    "kms:EncryptionContext:"
                } else {
                    ""
                };
                pairs.push(format!("{prefix}{k}={v}"));
            }
        }
    }
    if let Some(k) = r["key"].as_str() {
        pairs.push(format!("key={k}"));
    }
    if pairs.is_empty() {
        render(
            lang,
            "analysis.counterexample.allowed",
            &[("principal", principal), ("action", action)],
        )
    } else {
        render(
            lang,
            "analysis.counterexample.allowed-with",
            &[
                ("principal", principal),
                ("action", action),
                ("pairs", pairs.join(", ")),
            ],
        )
    }
}

/// The identity a request assumes (an IAM policy that allows everything).
pub fn assumed_identity(arn: &str, lang: Lang) -> String {
    render(
        lang,
        "analysis.counterexample.identity",
        &[("arn", arn.to_string())],
    )
}

/// Why an answer is unknown (or what a fail did not try).
pub fn limit(l: &Limit, lang: Lang) -> String {
    render(
        lang,
        &format!("analysis.limit.{}", l.code),
        &[("subject", l.subject.clone())],
    )
}

/// One class of callers of [`WhoCan`], and under what each statement or
/// grant lets it in: `(class, [condition lines])`.
pub fn caller(c: &CallerClass, lang: Lang) -> (String, Vec<String>) {
    let params = [
        ("principal", c.principal.clone().unwrap_or_default()),
        ("account", c.account.clone().unwrap_or_default()),
    ];
    let class = render(
        lang,
        &format!("analysis.who-can.class.{}", c.class),
        &params,
    );
    let mut lines = Vec::new();
    for s in &c.statements {
        let label = s.sid.clone().unwrap_or_else(|| format!("#{}", s.index));
        if s.conditions.is_empty() {
            lines.push(format!(
                "[{label}] {}",
                render(lang, "analysis.who-can.unconditional", &[])
            ));
        }
        for cond in &s.conditions {
            lines.push(format!(
                "[{label}] {}",
                render(
                    lang,
                    "analysis.who-can.condition",
                    &[
                        ("key", cond.key.clone()),
                        ("operator", cond.operator.clone()),
                        ("values", cond.values.join(", ")),
                    ]
                )
            ));
        }
    }
    for g in &c.grants {
        lines.push(render(lang, "analysis.who-can.grant", &[("id", g.clone())]));
    }
    (class, lines)
}

/// The heading of a [`WhoCan`]: who can call the action, or nobody.
pub fn who_can_title(answer: &WhoCan, lang: Lang) -> String {
    let action = [("action", answer.action.clone())];
    let id = if answer.callers.is_empty() {
        "analysis.who-can.none"
    } else {
        "analysis.who-can.title"
    };
    render(lang, id, &action)
}
