//! The imported file through the engine, request by request, against what
//! AWS answered: where they differ, what input would settle it (the
//! policy type AWS's message names is the layer the import lacks), or a
//! finding when the import had everything and the playground still
//! decides otherwise.

use crate::facts::{add_note, IdentityInfo, KeyInfo};
use crate::types::Note;
use kmsplay_kms::{Decision, Outcome, PolicyType};
use kmsplay_policy::Principal;

/// Runs `text` (the file of `key`) and compares; returns (agree, disagree).
pub(crate) fn compare(
    key: &KeyInfo,
    text: &str,
    identities: &[IdentityInfo],
    notes: &mut Vec<Note>,
) -> (usize, usize) {
    let file = match kmsplay_playground::read(text) {
        Ok(f) => f,
        Err(e) => {
            // The import writes only what the reader takes; this is a bug,
            // said plainly rather than hidden.
            add_note(
                notes,
                "import.note.file-unreadable",
                vec![
                    ("key", key.arn.clone()),
                    ("code", e.code.to_string()),
                    ("field", e.path),
                ],
            );
            return (0, 0);
        }
    };
    let results = kmsplay_playground::run(&file, false);
    let (mut agree, mut disagree) = (0, 0);
    for ((spec, result), answer) in file.requests.iter().zip(&results).zip(&key.answers) {
        let auth = &result.authorization;
        let caller = spec.principal_text.clone();
        let has_identity = identities
            .iter()
            .any(|i| kmsplay_kms::is_callers_identity(&i.arn, &spec.principal));
        let is_service = matches!(spec.principal, Principal::Service(_));
        let account = spec.principal.account().unwrap_or_default().to_string();
        let engine_denied = auth.decision != Decision::Allowed;
        // The layer AWS named against the engine's own, word for word.
        if let (Some(d), true) = (&answer.denied, engine_denied) {
            if let Some(t) = d.policy_type {
                let same = t.aws_words() == auth.policy_type.aws_words()
                    && d.explicit == (auth.decision == Decision::ExplicitDeny);
                if !same {
                    add_note(
                        notes,
                        "import.note.layer-differs",
                        vec![
                            ("request", spec.name.clone()),
                            ("aws", layer_words(t, d.explicit)),
                            (
                                "engine",
                                layer_words(
                                    auth.policy_type,
                                    auth.decision == Decision::ExplicitDeny,
                                ),
                            ),
                        ],
                    );
                }
            }
        }
        match result.expect_met {
            Some(true) => {
                agree += 1;
                continue;
            }
            None => continue,
            Some(false) => disagree += 1,
        }
        let aws_denied = matches!(
            answer.error.as_deref(),
            Some("AccessDenied" | "AccessDeniedException")
        );
        let (code, params): (&'static str, Vec<(&'static str, String)>) = if aws_denied
            && !engine_denied
        {
            match answer.denied.as_ref().and_then(|d| d.policy_type) {
                Some(PolicyType::ServiceControl) => {
                    ("import.note.need-scps", vec![("account", account)])
                }
                Some(PolicyType::ResourceControl) => (
                    "import.note.need-rcps",
                    vec![("account", key.account().to_string())],
                ),
                Some(PolicyType::VpcEndpoint) => (
                    "import.note.need-endpoint-policy",
                    vec![(
                        "endpoint",
                        spec.vpc_endpoint
                            .as_ref()
                            .map(|e| e.id.clone())
                            .unwrap_or_default(),
                    )],
                ),
                Some(PolicyType::PermissionsBoundary) => {
                    ("import.note.need-boundary", vec![("caller", caller)])
                }
                Some(PolicyType::Session) => {
                    ("import.note.need-session-policy", vec![("caller", caller)])
                }
                Some(PolicyType::IdentityBased) if !has_identity => (
                    "import.note.need-identity",
                    vec![("caller", caller), ("account", account)],
                ),
                Some(PolicyType::ResourceBased | PolicyType::Grant) if key.policy.is_none() => (
                    "import.note.need-key-policy",
                    vec![("key", key.arn.clone())],
                ),
                None if key.policy.is_none() => (
                    "import.note.need-key-policy",
                    vec![("key", key.arn.clone())],
                ),
                None if !has_identity && !is_service => (
                    "import.note.need-identity",
                    vec![("caller", caller), ("account", account)],
                ),
                _ => mismatch(spec, auth.decision, auth.outcome, answer.error.as_deref()),
            }
        } else if !aws_denied && engine_denied {
            match auth.policy_type {
                PolicyType::ResourceBased | PolicyType::Grant if key.policy.is_none() => (
                    "import.note.need-key-policy",
                    vec![("key", key.arn.clone())],
                ),
                PolicyType::IdentityBased if !has_identity && !is_service => (
                    "import.note.need-identity",
                    vec![("caller", caller), ("account", account)],
                ),
                _ if key.policy.is_none() => (
                    "import.note.need-key-policy",
                    vec![("key", key.arn.clone())],
                ),
                _ => mismatch(spec, auth.decision, auth.outcome, answer.error.as_deref()),
            }
        } else if answer.error.is_some() && !aws_denied && !key.described {
            // AWS refused for the key's state or spec, which only
            // describe-key tells.
            (
                "import.note.need-describe-key",
                vec![
                    ("key", key.arn.clone()),
                    ("error", answer.error.clone().unwrap_or_default()),
                ],
            )
        } else {
            mismatch(spec, auth.decision, auth.outcome, answer.error.as_deref())
        };
        add_note(notes, code, params);
    }
    (agree, disagree)
}

fn layer_words(t: PolicyType, explicit: bool) -> String {
    if explicit {
        format!("an explicit deny in a {}", t.aws_words())
    } else {
        format!("no {} allows", t.aws_words())
    }
}

/// A finding: the import had what it needs, and the playground decides
/// otherwise than AWS did.
fn mismatch(
    spec: &kmsplay_playground::RequestSpec,
    decision: Decision,
    outcome: Outcome,
    aws_error: Option<&str>,
) -> (&'static str, Vec<(&'static str, String)>) {
    (
        "import.note.disagrees",
        vec![
            ("request", spec.name.clone()),
            ("aws", aws_error.unwrap_or("Success").to_string()),
            (
                "engine",
                format!("{} ({})", outcome.as_str(), decision.as_str()),
            ),
        ],
    )
}
