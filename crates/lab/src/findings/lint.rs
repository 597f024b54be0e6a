//! Linting a policy text, a parsed policy, a playground file or any
//! document the command line is given.

use super::finding::{Finding, LintContext, Severity};
use super::linter::{head, lint_parts};
use kmsplay_json::{Node, Value};
use kmsplay_kms::catalogue::{self};
use kmsplay_playground::{FileError, PlaygroundFile, PolicySource};
use kmsplay_policy::{parse_text, PolicyKind};

/// Lints policy text (what a user pasted). JSON and grammar errors from the
/// parser become findings of severity [`Severity::Error`] with the parser's
/// codes.
pub fn lint_text(text: &str, ctx: &LintContext) -> Vec<Finding> {
    lint_policy(&parse_text(text, ctx.kind), ctx)
}

/// Lints an already parsed policy (spans into whatever text it came from).
pub fn lint_policy(parsed: &kmsplay_policy::ParsedPolicy, ctx: &LintContext) -> Vec<Finding> {
    lint_parts(parsed.policy.as_ref(), &parsed.diagnostics, ctx)
}

/// Lints every policy of a playground file: the key policy with the file's
/// key as context, identity policies as [`PolicyKind::Identity`]. Spans are
/// into the policy's own text when it was given as a string (see
/// [`kmsplay_playground::PolicyDiagnostics::text`]), else into the file.
pub fn lint_file(
    file: &PlaygroundFile,
    scenario: Option<&str>,
) -> Vec<(PolicySource, Vec<Finding>)> {
    let mut linted: Vec<(PolicySource, Vec<Finding>)> = file
        .policies
        .iter()
        .map(|p| {
            let (policy, kind) = match &p.source {
                PolicySource::Key => (file.key.policy.as_ref(), PolicyKind::Resource),
                PolicySource::Identity { identity, policy } => (
                    file.identities
                        .get(*identity)
                        .and_then(|i| i.policies.get(*policy))
                        .and_then(Option::as_ref),
                    PolicyKind::Identity,
                ),
                other => (
                    kmsplay_playground::source_policy_of(file, other),
                    kmsplay_playground::policy_kind(other),
                ),
            };
            let ctx = LintContext {
                key: Some(&file.key),
                kind,
                scenario,
            };
            (p.source.clone(), lint_parts(policy, &p.diagnostics, &ctx))
        })
        .collect();
    scp_without_kms(file, &mut linted);
    linted
}

/// Does this statement allow the (lower-case) action?
fn allows_action(st: &kmsplay_policy::Statement, action: &str) -> bool {
    let allow = st
        .effect
        .as_ref()
        .is_some_and(|e| e.value == kmsplay_policy::Effect::Allow);
    let Some(clause) = &st.action else {
        return false;
    };
    let named = clause.items.iter().any(|i| i.value.pattern.matches(action));
    allow && named != clause.negated
}

/// A node whose listed SCPs (which replace `FullAWSAccess`) allow none of
/// the KMS actions its accounts' requests use, or no KMS action at all when
/// no request comes from below it: every such call is implicitly denied,
/// because an Allow is needed at every node from the root to the account
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
/// The finding goes on the node's first SCP.
fn scp_without_kms(file: &PlaygroundFile, linted: &mut [(PolicySource, Vec<Finding>)]) {
    let Some(org) = &file.organization else {
        return;
    };
    for (node, policies) in &org.scps {
        if *node == org.management_account {
            continue;
        }
        let under = |account: &str| {
            *node == org.root
                || node == account
                || org
                    .accounts
                    .iter()
                    .any(|(a, path)| a == account && path.contains(node))
        };
        let mut wanted: Vec<&'static str> = Vec::new();
        for r in &file.requests {
            let Some(account) = r.principal.account() else {
                continue;
            };
            if org.is_member(account) && under(account) {
                let action = catalogue::action_lower(r.operation);
                if !wanted.contains(&action) {
                    wanted.push(action);
                }
            }
        }
        let allowed = |action: &str| {
            policies
                .iter()
                .flatten()
                .flat_map(|p| &p.statements)
                .any(|st| allows_action(st, action))
        };
        let missing: Vec<String> = if wanted.is_empty() {
            let any = catalogue::OPERATIONS
                .iter()
                .any(|op| allowed(catalogue::action_lower(op)));
            if any {
                continue;
            }
            vec!["kms:*".to_string()]
        } else {
            wanted
                .iter()
                .filter(|a| !allowed(a))
                .map(|a| {
                    let op = catalogue::operation(a).map_or(*a, |o| o.name);
                    format!("kms:{op}")
                })
                .collect()
        };
        if missing.is_empty() {
            continue;
        }
        let Some((index, policy)) = policies
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.as_ref().map(|p| (i, p)))
        else {
            continue;
        };
        let source = PolicySource::Scp {
            node: node.clone(),
            policy: index,
        };
        if let Some((_, findings)) = linted.iter_mut().find(|(s, _)| *s == source) {
            findings.push(
                Finding::new("scp-blocks-kms", Severity::Warning, head(policy.span))
                    .with("node", node.clone())
                    .with("actions", missing.join(", ")),
            );
            kmsplay_json::sort_by_offsets(findings, |f| (f.span.start, f.span.end));
        }
    }
}

/// The findings of one policy of a linted document.
#[derive(Debug, Clone, PartialEq)]
pub struct LintedPolicy {
    /// Which policy of a playground file; None for a bare policy.
    pub source: Option<PolicySource>,
    /// The policy text the spans refer to, when it is not the document
    /// itself (a policy given as a string inside a playground file).
    pub text: Option<String>,
    /// The findings, sorted by position.
    pub findings: Vec<Finding>,
}

/// Lints a document that is either a policy or a playground file (an
/// object with `"version"` and `"key"`), as the command line reads it.
///
/// A bare policy in which no statement has `Principal` or `NotPrincipal`
/// is read as an identity policy, any other as a key policy. A playground
/// file's optional top-level `"scenario"` string overrides `scenario`.
/// Fails only for a playground file that cannot be read.
pub fn lint_document(text: &str, scenario: Option<&str>) -> Result<Vec<LintedPolicy>, FileError> {
    let root = kmsplay_json::parse(text).ok();
    let is_playground = root
        .as_ref()
        .is_some_and(|r| r.get("version").is_some() && r.get("key").is_some());
    if is_playground {
        let file = kmsplay_playground::read(text)?;
        let own = root
            .as_ref()
            .and_then(|r| r.get("scenario"))
            .and_then(Node::as_str);
        let scenario = own.or(scenario);
        return Ok(lint_file(&file, scenario)
            .into_iter()
            .map(|(source, findings)| LintedPolicy {
                text: file
                    .policies
                    .iter()
                    .find(|p| p.source == source)
                    .and_then(|p| p.text.clone()),
                source: Some(source),
                findings,
            })
            .collect());
    }
    let kind = match &root {
        Some(r) if !names_principal(r) => PolicyKind::Identity,
        _ => PolicyKind::Resource,
    };
    let ctx = LintContext {
        key: None,
        kind,
        scenario,
    };
    Ok(vec![LintedPolicy {
        source: None,
        text: None,
        findings: lint_text(text, &ctx),
    }])
}

/// Does some statement of this policy JSON have `Principal` or
/// `NotPrincipal`? (True when there is no statement to look at.)
fn names_principal(root: &Node) -> bool {
    let statements: Vec<&Node> = match root.get("Statement").map(|s| &s.value) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(_)) => root.get("Statement").into_iter().collect(),
        _ => return true,
    };
    statements.is_empty()
        || statements
            .iter()
            .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
}
