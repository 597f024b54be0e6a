//! The statements behind an unwanted pass.

use super::locate::array;
use super::model::{problem_of, Culprit, Problem};
use kmsplay_kms::Source;
use kmsplay_playground::{statement_label, PolicySource};

/// For a request that passes but should not (its expect is a deny but it is
/// allowed): the statement(s) or grant that let it through, with where they
/// are. Empty for any other request.
pub fn explain_unwanted(file_text: &str, index: usize) -> Vec<Culprit> {
    let Ok(file) = kmsplay_playground::read(file_text) else {
        return Vec::new();
    };
    let Some(spec) = file.requests.get(index) else {
        return Vec::new();
    };
    let r = kmsplay_playground::decide(&file, spec, false);
    let a = &r.authorization;
    if problem_of(spec.expect, a) != Some(Problem::Allowed) {
        return Vec::new();
    }
    let how = a.reasons.first().map(|r| r.code).unwrap_or_default();
    let base = || {
        vec![
            ("caller", spec.principal_text.clone()),
            ("action", format!("kms:{}", spec.operation.name)),
            ("account", file.key.account.clone()),
            (
                "caller_account",
                spec.principal.account().unwrap_or_default().to_string(),
            ),
        ]
    };
    a.allowed_by
        .iter()
        // Only the key policy, IAM policies and grants ever allow.
        .filter(|s| {
            matches!(
                s,
                Source::KeyPolicy { .. } | Source::IdentityPolicy { .. } | Source::Grant { .. }
            )
        })
        .map(|source| match source {
            Source::KeyPolicy { statement } => {
                let code = match how {
                    "allowed-key-policy-and-iam" => "key-policy-delegates",
                    "allowed-cross-account" => "key-policy-cross-account",
                    _ => "key-policy-statement",
                };
                let policy = file.key.policy.as_ref();
                let mut params = base();
                params.push(("statement", statement_label(policy, *statement)));
                Culprit {
                    code,
                    params,
                    span: policy
                        .and_then(|p| p.statements.get(*statement))
                        .map(|s| s.span),
                    source: Some(PolicySource::Key),
                }
            }
            Source::IdentityPolicy {
                identity,
                policy,
                statement,
            } => {
                let index = file.identities.iter().position(|i| &i.arn == identity);
                let p = index
                    .and_then(|i| file.identities[i].policies.get(*policy))
                    .and_then(Option::as_ref);
                let mut params = base();
                params.push(("identity", identity.clone()));
                params.push(("policy", (policy + 1).to_string()));
                params.push(("statement", statement_label(p, *statement)));
                Culprit {
                    code: "identity-policy-statement",
                    params,
                    span: p.and_then(|p| p.statements.get(*statement)).map(|s| s.span),
                    source: index.map(|identity| PolicySource::Identity {
                        identity,
                        policy: *policy,
                    }),
                }
            }
            Source::Grant { id } => {
                let mut params = base();
                params.push(("grant", id.clone()));
                let span = file
                    .key
                    .grants
                    .iter()
                    .position(|g| &g.id == id)
                    .and_then(|i| {
                        let root = kmsplay_json::parse(file_text).ok()?;
                        let grants = root.get("key")?.get("grants")?;
                        array(grants)?.get(i).map(|n| n.span)
                    });
                Culprit {
                    code: "grant",
                    params,
                    span,
                    source: None,
                }
            }
            _ => unreachable!("filtered above"),
        })
        .collect()
}
