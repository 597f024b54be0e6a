//! Results in words for people: every sentence comes from the message
//! catalogues; this module only chooses ids and fills parameters.

use crate::file::{FileError, PlaygroundFile, PolicySource, RequestSpec};
use kmsplay_kms::{Authorization, Reason, Source};
use kmsplay_messages::{render, render_pieces, Lang};
use kmsplay_policy::{Diagnostic, Policy};
use std::borrow::Cow;

/// `#2 "Sid"` or `#2`: statements are numbered from 1 for people.
pub fn statement_label(policy: Option<&Policy>, index: usize) -> String {
    let sid = statement_sid(policy, index);
    let mut label = String::with_capacity(24 + sid.map_or(0, str::len));
    push_label(&mut label, sid, index);
    label
}

/// The Sid of statement `index` of `policy`, when it has a non-empty one.
pub(crate) fn statement_sid(policy: Option<&Policy>, index: usize) -> Option<&str> {
    policy
        .and_then(|p| p.statements.get(index))
        .and_then(|s| s.sid.as_ref())
        .map(|s| s.value.as_str())
        .filter(|s| !s.is_empty())
}

/// Appends the label of statement `index` with `sid` (see
/// [`statement_label`]). Written by hand, not with `format!`: a result
/// names a statement or two, and the formatting machinery cost more than
/// the rest of it.
pub(crate) fn push_label(out: &mut String, sid: Option<&str>, index: usize) {
    out.push('#');
    push_number(out, index + 1);
    if let Some(sid) = sid {
        out.push_str(" \"");
        out.push_str(sid);
        out.push('"');
    }
}

/// Appends a non-negative integer in decimal.
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `prefix` followed by `name`, in one allocation.
fn concat(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    s
}

/// The parameters a reason's message needs, with statement numbers turned
/// into labels (of the key policy, or of the identity policy the reason
/// names) and the caller and action filled in. Borrowed where they can be:
/// a result writes a sentence per reason.
pub fn reason_params<'a>(
    file: &PlaygroundFile,
    spec: &'a RequestSpec,
    auth: &Authorization,
    reason: &'a Reason,
) -> Vec<(&'static str, Cow<'a, str>)> {
    let mut params: Vec<(&'static str, Cow<'a, str>)> = Vec::with_capacity(reason.params.len() + 3);
    params.extend(
        reason
            .params
            .iter()
            .map(|(name, value)| (*name, Cow::Borrowed(value.as_str()))),
    );
    for (name, value) in params.iter_mut() {
        if *name != "statement" {
            continue;
        }
        let Ok(index) = value.parse::<usize>() else {
            continue;
        };
        let policy = if reason.code == "denied-by-identity-policy" {
            match &auth.denied_by {
                Some(Source::IdentityPolicy {
                    identity, policy, ..
                }) => identity_policy(file, identity, *policy),
                _ => None,
            }
        } else if matches!(
            reason.code,
            "denied-by-scp"
                | "denied-by-rcp"
                | "denied-by-vpc-endpoint-policy"
                | "denied-by-permissions-boundary"
                | "denied-by-session-policy"
        ) {
            auth.denied_by
                .as_ref()
                .and_then(|s| source_policy(file, spec, s))
        } else if reason.code.starts_with("identity-") {
            let identity = reason
                .params
                .iter()
                .find(|(n, _)| *n == "identity")
                .map(|(_, v)| v.as_str());
            let policy = reason
                .params
                .iter()
                .find(|(n, _)| *n == "policy")
                .and_then(|(_, v)| v.parse().ok());
            identity
                .zip(policy)
                .and_then(|(i, p)| identity_policy(file, i, p))
        } else {
            file.key.policy.as_ref()
        };
        *value = Cow::Owned(statement_label(policy, index));
    }
    let mut add = |name: &'static str, value: &dyn Fn() -> Cow<'a, str>| {
        if !params.iter().any(|(n, _)| *n == name) {
            params.push((name, value()));
        }
    };
    add("caller", &|| Cow::Borrowed(&spec.principal_text));
    add("action", &|| {
        Cow::Owned(concat("kms:", spec.operation.name))
    });
    add("identity", &|| Cow::Borrowed(&spec.principal_text));
    params
}

/// The policy that holds a statement the authorizer names.
pub fn source_policy<'f>(
    file: &'f PlaygroundFile,
    spec: &'f RequestSpec,
    source: &Source,
) -> Option<&'f Policy> {
    let org = || file.organization.as_ref();
    match source {
        Source::KeyPolicy { .. } => file.key.policy.as_ref(),
        Source::IdentityPolicy {
            identity, policy, ..
        } => identity_policy(file, identity, *policy),
        Source::Grant { .. } => None,
        Source::Scp { node, policy, .. } => org()?.scps_at(node)?.get(*policy)?.as_ref(),
        Source::Rcp { node, policy, .. } => org()?.rcps_at(node).get(*policy)?.as_ref(),
        Source::VpcEndpoint { .. } => spec.vpc_endpoint.as_ref()?.policy.as_ref()?.as_ref(),
        Source::PermissionsBoundary { identity, .. } => file
            .identities
            .iter()
            .find(|i| i.arn == *identity)?
            .permissions_boundary
            .as_ref()?
            .as_ref(),
        Source::SessionPolicy { policy, .. } => spec.session_policies.get(*policy)?.as_ref(),
    }
}

/// Where the policy that holds a source's statement sits in the file:
/// the field (as [`PolicySource::path`]) and, when it was given as a
/// string, its text (spans point into it).
pub fn source_field<'f>(
    file: &'f PlaygroundFile,
    spec: &RequestSpec,
    source: &Source,
) -> Option<(PolicySource, Option<&'f str>)> {
    let request = file
        .requests
        .iter()
        .position(|r| std::ptr::eq(r, spec))
        .unwrap_or(0);
    let wanted = match source {
        Source::KeyPolicy { .. } => PolicySource::Key,
        Source::IdentityPolicy {
            identity, policy, ..
        } => PolicySource::Identity {
            identity: file.identities.iter().position(|i| i.arn == *identity)?,
            policy: *policy,
        },
        Source::Grant { .. } => return None,
        Source::Scp { node, policy, .. } => PolicySource::Scp {
            node: node.clone(),
            policy: *policy,
        },
        Source::Rcp { node, policy, .. } => PolicySource::Rcp {
            node: node.clone(),
            policy: *policy,
        },
        Source::VpcEndpoint { .. } => PolicySource::Endpoint { request },
        Source::PermissionsBoundary { identity, .. } => PolicySource::Boundary {
            identity: file.identities.iter().position(|i| i.arn == *identity)?,
        },
        Source::SessionPolicy { policy, .. } => PolicySource::Session {
            request,
            policy: *policy,
        },
    };
    let text = file
        .policies
        .iter()
        .find(|p| p.source == wanted)
        .and_then(|p| p.text.as_deref());
    Some((wanted, text))
}

fn identity_policy<'f>(file: &'f PlaygroundFile, arn: &str, index: usize) -> Option<&'f Policy> {
    file.identities
        .iter()
        .find(|i| i.arn == arn)
        .and_then(|i| i.policies.get(index))
        .and_then(Option::as_ref)
}

/// The sentence for one reason.
pub fn render_reason(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    auth: &Authorization,
    reason: &Reason,
    lang: Lang,
) -> String {
    // Most sentences are 100-250 bytes, with their ARNs: room for them
    // at once.
    let mut sentence = String::with_capacity(256);
    reason_pieces(file, spec, auth, reason, lang, |piece| {
        sentence.push_str(piece)
    });
    sentence
}

/// [`render_reason`], handed to `out` piece by piece (see
/// [`kmsplay_messages::render_pieces`]): for a writer that copies the
/// sentence straight into its output.
pub fn reason_pieces(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    auth: &Authorization,
    reason: &Reason,
    lang: Lang,
    out: impl FnMut(&str),
) {
    let params = reason_params(file, spec, auth, reason);
    render_pieces(lang, "reason.", reason.code, &params, out);
}

/// The sentence for a policy diagnostic, with its hint when it has one.
pub fn diagnostic_message(d: &Diagnostic, lang: Lang) -> String {
    message_with_hints(lang, d.code, &d.params)
}

/// A diagnostic's message followed by what the parser expected or a
/// "did you mean", when the parameters carry one.
fn message_with_hints(lang: Lang, code: &str, params: &[(&'static str, String)]) -> String {
    let id = if code.starts_with("file.") {
        code.to_string()
    } else {
        format!("diag.{code}")
    };
    let mut message = render(lang, &id, params);
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(expected) = param("expected").filter(|_| code == "json-unexpected-char") {
        message.push_str(": ");
        message.push_str(&render(lang, &format!("json.expected.{expected}"), &[]));
    }
    if let Some(s) = param("suggestion") {
        message.push_str("; ");
        message.push_str(&render(
            lang,
            &format!("{id}.suggestion"),
            &[("suggestion", s)],
        ));
    }
    message
}

/// The sentence for a file error.
pub fn file_error_message(e: &FileError, lang: Lang) -> String {
    message_with_hints(lang, e.code, &e.params)
}
