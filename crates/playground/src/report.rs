//! Results as JSON for machines and as words for people. Every sentence
//! comes from the message catalogues; this module only chooses ids and
//! fills parameters.

use crate::file::{FileError, PlaygroundFile, PolicyDiagnostics, PolicySource, RequestSpec};
use crate::{run, RequestResult};
use kmsplay_json::{LineIndex, Span};
use kmsplay_kms::{Authorization, Decision, Reason, Source};
use kmsplay_messages::{render, render_pieces, Lang};
use kmsplay_policy::{Diagnostic, Policy, StatementTrace};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// The full result, trace included, of request `index` of a playground
/// file's text (what a page shows when a row is opened).
pub fn request_json(text: &str, index: usize, lang: Lang) -> Option<Value> {
    let file = crate::read(text).ok()?;
    let spec = file.requests.get(index)?;
    let r = crate::decide(&file, spec, true);
    let index = LineIndex::new(text);
    let own = key_policy_index(&file);
    Some(result_json(
        &file,
        spec,
        &r,
        lang,
        true,
        own.as_ref().unwrap_or(&index),
    ))
}

/// Statement spans point into the key policy's text when the policy was a
/// string (what the editor holds), into the file otherwise: the index of
/// that text, or None for the file's.
fn key_policy_index(file: &PlaygroundFile) -> Option<LineIndex<'_>> {
    file.policies
        .iter()
        .find(|p| p.source == PolicySource::Key)
        .and_then(|p| p.text.as_deref())
        .map(LineIndex::new)
}

/// A file's results, ready to print.
#[derive(Debug, Clone)]
pub struct Report {
    /// The JSON document (`{"results": [...], "diagnostics": [...], "summary": {...}}`).
    pub json: Value,
    /// True when every `expect` was met.
    pub all_met: bool,
}

/// Reads, runs and reports a playground file's text. `detail` adds the
/// full trace of every request.
pub fn simulate_json(text: &str, lang: Lang, detail: bool) -> Result<Report, FileError> {
    let file = crate::read(text)?;
    Ok(report_file(&file, text, lang, detail))
}

/// Runs and reports an already read file (`text` is what it was read from,
/// for line and column numbers).
pub fn report_file(file: &PlaygroundFile, text: &str, lang: Lang, detail: bool) -> Report {
    let results = run(file, detail);
    let index = LineIndex::new(text);
    // Built once for every request's trace.
    let own = detail.then(|| key_policy_index(file)).flatten();
    let key_index = own.as_ref().unwrap_or(&index);
    let json_results: Vec<Value> = file
        .requests
        .iter()
        .zip(&results)
        .map(|(spec, r)| result_json(file, spec, r, lang, detail, key_index))
        .collect();
    let allowed = results
        .iter()
        .filter(|r| r.authorization.decision == Decision::Allowed)
        .count();
    let met = results
        .iter()
        .filter(|r| r.expect_met == Some(true))
        .count();
    let failed = results
        .iter()
        .filter(|r| r.expect_met == Some(false))
        .count();
    let diagnostics: Vec<Value> = file
        .policies
        .iter()
        .flat_map(|p| p.diagnostics.iter().map(move |d| (p, d)))
        .map(|(p, d)| diagnostic_json(file, p, d, lang, &index))
        .collect();
    Report {
        all_met: failed == 0,
        json: json!({
            "results": json_results,
            "diagnostics": diagnostics,
            "summary": {
                "total": results.len(),
                "allowed": allowed,
                "denied": results.len() - allowed,
                "expect_met": met,
                "expect_failed": failed,
            },
        }),
    }
}

/// `#2 "Sid"` or `#2`: statements are numbered from 1 for people.
pub fn statement_label(policy: Option<&Policy>, index: usize) -> String {
    let sid = policy
        .and_then(|p| p.statements.get(index))
        .and_then(|s| s.sid.as_ref())
        .map(|s| s.value.as_str())
        .filter(|s| !s.is_empty());
    // Written by hand, not with `format!`: a result names a statement or
    // two, and the formatting machinery cost more than the rest of it.
    let mut label = String::with_capacity(24 + sid.map_or(0, str::len));
    label.push('#');
    push_number(&mut label, index + 1);
    if let Some(sid) = sid {
        label.push_str(" \"");
        label.push_str(sid);
        label.push('"');
    }
    label
}

/// Appends a non-negative integer in decimal.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
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
    let mut sentence = String::with_capacity(128);
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

fn params_json(params: &[(&'static str, String)]) -> Value {
    Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
            .collect(),
    )
}

/// A [`Source`] as the report writes it.
pub fn source_json(file: &PlaygroundFile, s: &Source) -> Value {
    match s {
        Source::KeyPolicy { statement } => json!({
            "kind": "key_policy",
            "statement": statement,
            "label": statement_label(file.key.policy.as_ref(), *statement),
        }),
        Source::IdentityPolicy {
            identity,
            policy,
            statement,
        } => json!({
            "kind": "identity_policy",
            "identity": identity,
            "policy": policy,
            "statement": statement,
        }),
        Source::Grant { id } => json!({ "kind": "grant", "grant": id }),
        Source::Scp {
            node,
            policy,
            statement,
        } => json!({ "kind": "scp", "node": node, "policy": policy, "statement": statement }),
        Source::Rcp {
            node,
            policy,
            statement,
        } => json!({ "kind": "rcp", "node": node, "policy": policy, "statement": statement }),
        Source::VpcEndpoint {
            endpoint,
            statement,
        } => json!({ "kind": "vpc_endpoint_policy", "endpoint": endpoint, "statement": statement }),
        Source::PermissionsBoundary {
            identity,
            statement,
        } => {
            json!({ "kind": "permissions_boundary", "identity": identity, "statement": statement })
        }
        Source::SessionPolicy { policy, statement } => {
            json!({ "kind": "session_policy", "policy": policy, "statement": statement })
        }
    }
}

fn span_json(span: Span, index: &LineIndex<'_>) -> Value {
    let start = index.position(span.start);
    let end = index.position(span.end);
    json!({
        "start": span.start,
        "end": span.end,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
    })
}

fn statements_json(statements: &[StatementTrace], index: Option<&LineIndex<'_>>) -> Value {
    Value::Array(
        statements
            .iter()
            .map(|s| {
                let mut o = json!({
                    "statement": s.index,
                    "sid": s.sid,
                    "effect": s.effect.map(|e| e.as_str()),
                    "valid": s.valid,
                    "principal": s.principal.code(),
                    "action": s.action,
                    "resource": s.resource,
                    "applies": s.applies,
                    "conditions": s.conditions.iter().map(|c| json!({
                        "operator": c.operator,
                        "key": c.key,
                        "policy_values": c.policy_values,
                        "request_values": c.request_values,
                        "result": c.result,
                    })).collect::<Vec<_>>(),
                });
                if let Some(index) = index {
                    o["span"] = span_json(s.span, index);
                }
                o
            })
            .collect(),
    )
}

/// `key_index` is the index of the text the key policy's statement spans
/// point into (see [`key_policy_index`]).
fn result_json(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    r: &RequestResult,
    lang: Lang,
    detail: bool,
    key_index: &LineIndex<'_>,
) -> Value {
    let auth = &r.authorization;
    let reasons: Vec<Value> = auth
        .reasons
        .iter()
        .map(|reason| {
            json!({
                "code": reason.code,
                "params": params_json(&reason.params),
                "message": render_reason(file, spec, auth, reason, lang),
            })
        })
        .collect();
    let mut o = json!({
        "name": spec.name,
        "principal": spec.principal_text,
        "action": format!("kms:{}", spec.operation.name),
        "decision": auth.decision.as_str(),
        "outcome": auth.outcome.as_str(),
        "reasons": reasons,
        "allowed_by": auth.allowed_by.iter().map(|s| source_json(file, s)).collect::<Vec<_>>(),
        "denied_by": auth.denied_by.as_ref().map(|s| source_json(file, s)),
        "cross_account": auth.cross_account.map(|c| json!({
            "key_policy": c.key_policy,
            "identity_policy": c.identity_policy,
        })),
        "policy_type": auth.policy_type.code(),
        "access_denied_message": auth.access_denied_message(&file.key, &crate::kms_request(spec)),
    });
    // The key-policy statement that decided, so a page can highlight it
    // without asking for the whole trace.
    let deciding = match (&auth.denied_by, auth.allowed_by.first()) {
        (Some(Source::KeyPolicy { statement }), _)
        | (None, Some(Source::KeyPolicy { statement })) => Some(*statement),
        _ => None,
    };
    if let Some(st) = deciding.and_then(|i| file.key.policy.as_ref()?.statements.get(i)) {
        o["decided_by"] =
            json!({ "statement": st.index, "start": st.span.start, "end": st.span.end });
    } else if let Some(d) = other_layer_decided_by(file, spec, auth) {
        o["decided_by"] = d;
    }
    if let Some(e) = spec.expect {
        o["expect"] = Value::String(e.as_str().to_string());
        o["expect_met"] = Value::Bool(r.expect_met == Some(true));
    }
    if let (true, Some(d)) = (detail, &auth.detail) {
        let context: Map<String, Value> = d
            .context
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    kmsplay_policy::ContextValue::Single(s) => Value::String(s.clone()),
                    kmsplay_policy::ContextValue::Multi(m) => json!(m),
                };
                (k.to_string(), value)
            })
            .collect();
        o["trace"] = json!({
            "context": context,
            "key_policy": statements_json(&d.key_policy, Some(key_index)),
            "identity_policies": d.identity_policies.iter().map(|ip| json!({
                "identity": ip.identity,
                "policy": ip.policy,
                "statements": statements_json(&ip.statements, None),
            })).collect::<Vec<_>>(),
            "grants": d.grants.iter().map(|g| json!({
                "grant": g.id,
                "grantee": g.grantee,
                "grantee_account": g.grantee_account,
                "operation": g.operation,
                "constraint": g.constraint,
                "usable": g.usable,
                "applies": g.applies,
            })).collect::<Vec<_>>(),
        });
        if let Some(g) = &d.guardrails {
            o["trace"]["guardrails"] = guardrails_json(file, spec, g);
        }
    }
    o
}

/// The statement of an SCP, RCP, boundary, session or endpoint policy that
/// decided, for a page to highlight in whichever policy holds it: the
/// policy's field, the statement, and its span in that policy's text (or
/// in the file, for a policy written as an object).
pub fn other_layer_decided_by(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    auth: &Authorization,
) -> Option<Value> {
    let source = auth.denied_by.as_ref()?;
    let statement = match source {
        Source::Scp { statement, .. }
        | Source::Rcp { statement, .. }
        | Source::VpcEndpoint { statement, .. }
        | Source::PermissionsBoundary { statement, .. }
        | Source::SessionPolicy { statement, .. } => *statement,
        _ => return None,
    };
    let st = source_policy(file, spec, source)?
        .statements
        .get(statement)?;
    let (field, text) = source_field(file, spec, source)?;
    Some(json!({
        "policy": field.path(),
        "in_policy_text": text.is_some(),
        "statement": st.index,
        "start": st.span.start,
        "end": st.span.end,
    }))
}

/// The trace of the layers beyond the key policy, identity policies and
/// grants; statement spans point into each policy's own text when it was a
/// string, into the file otherwise (`in_policy_text` says which).
pub fn guardrails_json(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    g: &kmsplay_kms::GuardrailTrace,
) -> Value {
    let request = file
        .requests
        .iter()
        .position(|r| std::ptr::eq(r, spec))
        .unwrap_or(0);
    let policy_json = |source: PolicySource, statements: &[StatementTrace]| {
        let text = file
            .policies
            .iter()
            .find(|p| p.source == source)
            .and_then(|p| p.text.as_deref());
        let own = text.map(LineIndex::new);
        json!({
            "policy": source.path(),
            "in_policy_text": text.is_some(),
            "statements": statements_json(statements, own.as_ref()),
        })
    };
    let nodes_json = |nodes: &[kmsplay_kms::NodeTrace], rcp: bool| {
        nodes
            .iter()
            .map(|n| {
                let policies: Vec<Value> = n
                    .policies
                    .iter()
                    .enumerate()
                    .map(|(i, st)| {
                        let node = n.node.clone();
                        let source = if rcp {
                            PolicySource::Rcp { node, policy: i }
                        } else {
                            PolicySource::Scp { node, policy: i }
                        };
                        policy_json(source, st)
                    })
                    .collect();
                json!({
                    "node": n.node,
                    "default_only": n.default_only,
                    "allows": n.allows,
                    "policies": policies,
                })
            })
            .collect::<Vec<_>>()
    };
    let mut o = Map::new();
    if !g.scps.is_empty() {
        o.insert("scps".into(), Value::Array(nodes_json(&g.scps, false)));
    }
    if !g.rcps.is_empty() {
        o.insert("rcps".into(), Value::Array(nodes_json(&g.rcps, true)));
    }
    if let Some((identity, statements)) = &g.permissions_boundary {
        let at = file.identities.iter().position(|i| i.arn == *identity);
        let mut b = policy_json(
            PolicySource::Boundary {
                identity: at.unwrap_or(0),
            },
            statements,
        );
        b["identity"] = Value::String(identity.clone());
        o.insert("permissions_boundary".into(), b);
    }
    if !g.session_policies.is_empty() {
        let list = g
            .session_policies
            .iter()
            .enumerate()
            .map(|(i, st)| policy_json(PolicySource::Session { request, policy: i }, st))
            .collect();
        o.insert("session_policies".into(), Value::Array(list));
    }
    if let Some((id, statements)) = &g.vpc_endpoint {
        let mut e = match statements {
            Some(st) => policy_json(PolicySource::Endpoint { request }, st),
            // The default endpoint policy allows everything.
            None => json!({ "policy": null, "default_policy": true }),
        };
        e["endpoint"] = Value::String(id.clone());
        o.insert("vpc_endpoint".into(), e);
    }
    Value::Object(o)
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

fn diagnostic_json(
    file: &PlaygroundFile,
    p: &PolicyDiagnostics,
    d: &Diagnostic,
    lang: Lang,
    file_index: &LineIndex<'_>,
) -> Value {
    let own;
    let index = match &p.text {
        Some(text) => {
            own = LineIndex::new(text);
            &own
        }
        None => file_index,
    };
    let start = index.position(d.span.start);
    let end = index.position(d.span.end);
    let (policy, identity) = match &p.source {
        PolicySource::Key => ("key".to_string(), None),
        PolicySource::Identity { identity, .. } | PolicySource::Boundary { identity } => (
            p.source.path(),
            file.identities.get(*identity).map(|i| i.arn.clone()),
        ),
        other => (other.path(), None),
    };
    json!({
        "policy": policy,
        "identity": identity,
        "in_policy_text": p.text.is_some(),
        "policy_text": p.text,
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": diagnostic_message(d, lang),
        "params": params_json(&d.params),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "start": d.span.start,
        "end": d.span.end,
    })
}

/// The sentence for a file error.
pub fn file_error_message(e: &FileError, lang: Lang) -> String {
    message_with_hints(lang, e.code, &e.params)
}
