//! Everything the page shows that follows from the user's work: the
//! playground file in effect (the user's own, or a scenario's built around
//! the pasted policy), the report of every request, the policy's findings,
//! and the scenario's parameters in effect. Computed on every change, natively testable.

use crate::workspace::Workspace;
use kmsplay_json::LineIndex;
use kmsplay_lab::findings::{self, Finding};
use kmsplay_lab::scenarios::{self, Params, Scenario};
use kmsplay_lab::user_key::UserKey;
use kmsplay_messages::{render, Lang};
use kmsplay_playground::{PolicySource, ReportAnswer};
use serde_json::Value;

/// One underline in the editor and one line in the problems list.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// First byte in the policy text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// `error`, `security`, `warning`, `suggestion`.
    pub severity: String,
    /// Finding code.
    pub code: String,
    /// The message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Mark {
    /// A mark as the second module's policy checks send it (see
    /// `web/extras/src/checks_room.rs`); `None` when a field is missing.
    pub fn from_json(v: &Value) -> Option<Mark> {
        let number = |k: &str| v[k].as_u64().map(|n| n as usize);
        let text = |k: &str| v[k].as_str().map(str::to_string);
        Some(Mark {
            start: number("start")?,
            end: number("end")?,
            severity: text("severity")?,
            code: text("code")?,
            message: text("message")?,
            help: None,
            line: number("line")?,
            column: number("column")?,
        })
    }
}

/// What the page derives from the state.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The playground file in effect, as text (what fixes and traces read).
    pub file_text: String,
    /// The report, or why the file cannot run.
    pub report: Result<ReportAnswer, String>,
    /// A scenario's words for each request (its purpose, and what failing
    /// it means), in the report's order; empty for a file of one's own.
    pub notes: Vec<RequestNote>,
    /// The key policy's findings.
    pub marks: Vec<Mark>,
    /// Problems with the scenario's parameters (messages).
    pub param_errors: Vec<String>,
    /// The chosen scenario's parameters in effect, in form order.
    pub scenario_values: Vec<ParamInEffect>,
    /// The user's key the chosen scenario runs for (from the file's key ARN
    /// or the policy's root statement), when there is one.
    pub user_key: Option<UserKey>,
    /// The chosen scenario's key ARN (made from its parameters in effect).
    pub scenario_key_arn: Option<String>,
    /// The `[name, value]` pairs that give the chosen scenario's parameters
    /// in effect: its snippet (worked out by the second module) is made
    /// from them, so that it is for the account the results are for.
    pub snippet_given: Option<Vec<(String, String)>>,
    /// The layers beyond the key policy, identity policies and grants.
    pub guardrails: Guardrails,
}

/// A scenario request's purpose and consequence, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestNote {
    /// What the request is for (the row's title).
    pub purpose: Option<String>,
    /// What it means when it fails.
    pub consequence: Option<String>,
}

/// A `Derived` is equal only to itself: each one is worked out once per
/// change of what it depends on (a memo in the page), so two are the same
/// exactly when they are one value. Comparing the whole report field by
/// field on every render would cost time, and code in the page's wasm.
impl PartialEq for Derived {
    fn eq(&self, other: &Derived) -> bool {
        std::ptr::eq(self, other)
    }
}

/// One scenario parameter's value in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamInEffect {
    /// Its name.
    pub name: &'static str,
    /// Its value, as the form writes it.
    pub value: String,
    /// Where the value came from.
    pub origin: ParamOrigin,
}

/// Where a scenario parameter's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOrigin {
    /// Typed in the form.
    Typed,
    /// The user's own key (its ARN, or the policy's root statement).
    UserKey,
    /// The scenario's default (the documents' example).
    Default,
}

/// What the organization and guardrails panel shows: the account tree and
/// every SCP, RCP, permissions boundary, session policy and VPC endpoint
/// policy of the file in effect, each with its own text and findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Guardrails {
    /// The organization's tree, when the file has one.
    pub org: Option<OrgView>,
    /// The policies, in the file's order: SCPs and RCPs by node, then
    /// boundaries, then each request's session and endpoint policies.
    pub layers: Vec<Layer>,
    /// Requests that come through an endpoint with the default policy.
    pub default_endpoints: Vec<String>,
}

/// One policy of a layer, as the panel shows and edits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Where it is in the playground file.
    pub source: PolicySource,
    /// Its heading, in the page's language.
    pub title: String,
    /// Its text: as typed, or pretty-printed when the file holds a JSON
    /// object. The file the engine runs holds this text, so every span
    /// (findings, the deciding statement) is into it.
    pub text: String,
    /// Its findings (parser diagnostics and lints).
    pub marks: Vec<Mark>,
}

/// The organization as a tree, flattened in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgView {
    /// `o-…`.
    pub id: String,
    /// Root, OUs and accounts, each after its parent.
    pub nodes: Vec<OrgNode>,
}

/// What kind of node of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The root.
    Root,
    /// An organizational unit.
    Ou,
    /// A member or the management account.
    Account,
}

/// A node of the organization and the policies attached to it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgNode {
    /// Its id.
    pub id: String,
    /// Root, OU or account.
    pub kind: NodeKind,
    /// Depth below the root.
    pub depth: usize,
    /// Indexes into [`Guardrails::layers`] of its SCPs.
    pub scps: Vec<usize>,
    /// True when `scps` lists the node (FullAWSAccess is then detached).
    pub scps_listed: bool,
    /// Indexes into [`Guardrails::layers`] of its RCPs.
    pub rcps: Vec<usize>,
    /// The organization's management account.
    pub management: bool,
    /// The key's account.
    pub key_account: bool,
}

/// The scenario with `id`, if any.
pub fn chosen(id: &str) -> Option<&'static Scenario> {
    if id.is_empty() {
        None
    } else {
        scenarios::scenario(id)
    }
}

/// A scenario's parameters from the form's values (empty means default).
pub fn params(
    s: &'static Scenario,
    values: &[(String, String)],
) -> Result<Params, Vec<kmsplay_lab::scenarios::ParamError>> {
    let given: Vec<(&str, &str)> = values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Params::new(s, &given)
}

/// Derives everything.
pub fn derive(
    ws: &Workspace,
    scenario: &str,
    values: &[(String, String)],
    key_overrides: &[(String, String)],
    layer_edits: &[(PolicySource, String)],
    lang: Lang,
) -> Derived {
    let mut param_errors = Vec::new();
    let mut scenario_values = Vec::new();
    let mut user_key = None;
    let mut snippet_given = None;
    let mut scenario_key_arn = None;
    let mut notes = Vec::new();
    let file = match chosen(scenario) {
        Some(s) => {
            // The scenario runs for the user's key, unless a value is typed.
            let key = UserKey::find(ws.rest["key"]["arn"].as_str(), &ws.policy);
            let typed: Vec<(String, String)> = values
                .iter()
                .filter(|(n, v)| !v.trim().is_empty() && s.param(n).is_some())
                .cloned()
                .collect();
            let from_key: Vec<(String, String)> = key
                .as_ref()
                .map(|k| k.params(s))
                .unwrap_or_default()
                .into_iter()
                .filter(|(n, _)| !typed.iter().any(|(t, _)| t == n))
                .map(|(n, v)| (n.to_string(), v))
                .collect();
            let given: Vec<(String, String)> = values
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .cloned()
                .chain(from_key.iter().cloned())
                .collect();
            let (p, used) = match params(s, &given) {
                Ok(p) => (p, given),
                Err(errors) => {
                    param_errors = errors
                        .iter()
                        .map(|e| render(lang, &e.message_id(), &e.message_params()))
                        .collect();
                    // The user's key still counts while a typed value is wrong.
                    match params(s, &from_key) {
                        Ok(p) => (p, from_key.clone()),
                        Err(_) => (Params::defaults(s), Vec::new()),
                    }
                }
            };
            scenario_values = s
                .params
                .iter()
                .map(|param| ParamInEffect {
                    name: param.name,
                    value: p.get(param.name).map(|v| v.to_text()).unwrap_or_default(),
                    origin: if typed.iter().any(|(n, _)| n == param.name) {
                        ParamOrigin::Typed
                    } else if used.iter().any(|(n, _)| n == param.name) {
                        ParamOrigin::UserKey
                    } else {
                        ParamOrigin::Default
                    },
                })
                .collect();
            if scenario_values
                .iter()
                .any(|v| v.origin == ParamOrigin::UserKey)
            {
                user_key = key;
            }
            snippet_given = Some(used);
            let mut file = scenarios::build(s, &p, &ws.policy);
            scenario_key_arn = file["key"]["arn"].as_str().map(str::to_string);
            notes = request_notes(&file, lang);
            if let Some(key) = file.get_mut("key").and_then(|k| k.as_object_mut()) {
                for (name, value) in key_overrides {
                    kmsplay_playground::set_key_property(key, name, value);
                }
            }
            file
        }
        None => ws.to_file_value(),
    };
    let mut file = file;
    for (source, text) in layer_edits {
        if let Some(slot) = layer_slot(&mut file, source) {
            *slot = Value::String(text.clone());
        }
    }
    let mut guardrails = collect_layers(&mut file, lang);
    let file_text = kmsplay_playground::json_text(&file);
    // Read once; run and lint the same file.
    let (report, marks) = match kmsplay_playground::read(&file_text) {
        Ok(f) => {
            let answer = kmsplay_playground::report_file(&f, &file_text, lang, false).answer;
            let linted = findings::lint_file(&f, chosen(scenario).map(|s| s.id));
            let marks = key_policy_marks(&linted, &ws.policy, lang);
            layer_marks(&linted, &mut guardrails.layers, lang);
            (Ok(answer), marks)
        }
        Err(e) => {
            let mut message = kmsplay_playground::file_error_message(&e, lang);
            if !e.path.is_empty() && !message.contains(&e.path) {
                message = format!("{}: {message}", e.path);
            }
            (Err(message), Vec::new())
        }
    };
    Derived {
        file_text,
        report,
        notes,
        marks,
        param_errors,
        scenario_values,
        user_key,
        scenario_key_arn,
        snippet_given,
        guardrails,
    }
}

/// Each scenario request's purpose and consequence, rendered with its
/// message parameters.
fn request_notes(file: &Value, lang: Lang) -> Vec<RequestNote> {
    file["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let params: Vec<(&str, String)> = r["message_params"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let say = |field: &str| r[field].as_str().map(|id| render(lang, id, &params));
            RequestNote {
                purpose: say("purpose"),
                consequence: say("consequence"),
            }
        })
        .collect()
}

/// The key policy's findings, placed in the policy text.
fn key_policy_marks(
    linted: &[(PolicySource, Vec<Finding>)],
    policy: &str,
    lang: Lang,
) -> Vec<Mark> {
    let index = LineIndex::new(policy);
    linted
        .iter()
        .filter(|(source, _)| *source == PolicySource::Key)
        .flat_map(|(_, list)| list)
        .map(|f| {
            let mut m = mark(f, &index, lang);
            if m.code.ends_with("too-large") {
                // A size finding covers the whole text: underline its first
                // line only, so the rest stays readable (the message says it).
                let first = policy.get(m.start..).and_then(|t| t.find('\n'));
                m.end = first.map_or(m.end, |n| (m.start + n).min(m.end));
            }
            m
        })
        .collect()
}

fn mark(f: &Finding, index: &LineIndex, lang: Lang) -> Mark {
    let pos = index.position(f.span.start);
    Mark {
        start: f.span.start,
        end: f.span.end,
        severity: f.severity.as_str().to_string(),
        code: f.code.to_string(),
        message: findings::message(f, lang),
        help: findings::help(f, lang),
        line: pos.line,
        column: pos.column,
    }
}

/// Each layer's findings, placed in its own text.
fn layer_marks(linted: &[(PolicySource, Vec<Finding>)], layers: &mut [Layer], lang: Lang) {
    for layer in layers {
        let index = LineIndex::new(&layer.text);
        layer.marks = linted
            .iter()
            .filter(|(source, _)| *source == layer.source)
            .flat_map(|(_, list)| list)
            .map(|f| mark(f, &index, lang))
            .collect();
    }
}

/// Where the policy of `source` is in a playground file's JSON (SCPs,
/// RCPs, boundaries, session and endpoint policies; not the key policy
/// nor identity policies, which the panel does not edit).
pub fn layer_slot<'a>(file: &'a mut Value, source: &PolicySource) -> Option<&'a mut Value> {
    match source {
        PolicySource::Scp { node, policy } => file
            .get_mut("organization")?
            .get_mut("scps")?
            .get_mut(node.as_str())?
            .get_mut(*policy),
        PolicySource::Rcp { node, policy } => file
            .get_mut("organization")?
            .get_mut("rcps")?
            .get_mut(node.as_str())?
            .get_mut(*policy),
        PolicySource::Boundary { identity } => file
            .get_mut("identities")?
            .get_mut(*identity)?
            .get_mut("permissions_boundary"),
        PolicySource::Session { request, policy } => file
            .get_mut("requests")?
            .get_mut(*request)?
            .get_mut("session_policies")?
            .get_mut(*policy),
        PolicySource::Endpoint { request } => file
            .get_mut("requests")?
            .get_mut(*request)?
            .get_mut("vpc_endpoint")?
            .get_mut("policy"),
        _ => None,
    }
}

/// Turns every layer's policy into text (a policy given as an object is
/// pretty-printed, so that the panel shows it as the engine reads it) and
/// lists them with the organization's tree.
fn collect_layers(file: &mut Value, lang: Lang) -> Guardrails {
    let mut sources = Vec::new();
    if let Some(org) = file.get("organization") {
        for (field, rcp) in [("scps", false), ("rcps", true)] {
            for (node, list) in org
                .get(field)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                for i in 0..list.as_array().map_or(0, Vec::len) {
                    let node = node.clone();
                    sources.push(if rcp {
                        PolicySource::Rcp { node, policy: i }
                    } else {
                        PolicySource::Scp { node, policy: i }
                    });
                }
            }
        }
    }
    // Borrowed, not cloned: this runs on every keystroke.
    let identities = file["identities"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, id) in identities.iter().enumerate() {
        if id.get("permissions_boundary").is_some_and(|b| !b.is_null()) {
            sources.push(PolicySource::Boundary { identity: i });
        }
    }
    let requests = file["requests"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let request_name = |r: usize| {
        requests[r]["name"]
            .as_str()
            .map(str::to_string)
            // As the file's reader names it.
            .unwrap_or_else(|| format!("request {}", r + 1))
    };
    let mut default_endpoints = Vec::new();
    for (r, req) in requests.iter().enumerate() {
        for j in 0..req["session_policies"].as_array().map_or(0, Vec::len) {
            sources.push(PolicySource::Session {
                request: r,
                policy: j,
            });
        }
        if let Some(e) = req.get("vpc_endpoint").filter(|e| e.is_object()) {
            if e.get("policy").is_some_and(|p| !p.is_null()) {
                sources.push(PolicySource::Endpoint { request: r });
            } else {
                default_endpoints.push(render(
                    lang,
                    "guardrails.endpoint-default",
                    &[
                        ("request", request_name(r)),
                        ("endpoint", e["id"].as_str().unwrap_or_default().to_string()),
                    ],
                ));
            }
        }
    }
    // Headings first, while the file is only read; then each policy is
    // turned into text in place.
    let titled: Vec<(PolicySource, String)> = sources
        .into_iter()
        .filter_map(|source| {
            let title = match &source {
                PolicySource::Scp { node, policy } => render(
                    lang,
                    "guardrails.scp",
                    &[("n", (policy + 1).to_string()), ("node", node.clone())],
                ),
                PolicySource::Rcp { node, policy } => render(
                    lang,
                    "guardrails.rcp",
                    &[("n", (policy + 1).to_string()), ("node", node.clone())],
                ),
                PolicySource::Boundary { identity } => render(
                    lang,
                    "guardrails.boundary",
                    &[(
                        "identity",
                        identities[*identity]["arn"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    )],
                ),
                PolicySource::Session { request, policy } => render(
                    lang,
                    "guardrails.session",
                    &[
                        ("n", (policy + 1).to_string()),
                        ("request", request_name(*request)),
                    ],
                ),
                PolicySource::Endpoint { request } => render(
                    lang,
                    "guardrails.endpoint",
                    &[
                        ("request", request_name(*request)),
                        (
                            "endpoint",
                            requests[*request]["vpc_endpoint"]["id"]
                                .as_str()
                                .unwrap_or_default()
                                .to_string(),
                        ),
                    ],
                ),
                _ => return None,
            };
            Some((source, title))
        })
        .collect();
    let mut layers = Vec::with_capacity(titled.len());
    for (source, title) in titled {
        let Some(slot) = layer_slot(file, &source) else {
            continue;
        };
        let text = match slot {
            Value::String(s) => s.clone(),
            Value::Object(_) => {
                let pretty = kmsplay_playground::json_pretty(slot);
                *slot = Value::String(pretty.clone());
                pretty
            }
            // Not a policy: the file's reader says so.
            _ => continue,
        };
        layers.push(Layer {
            source,
            title,
            text,
            marks: Vec::new(),
        });
    }
    let org = file.get("organization").map(|o| org_view(o, file, &layers));
    Guardrails {
        org,
        layers,
        default_endpoints,
    }
}

/// The organization's tree: the root, then each OU after its parent and
/// each account after its OU, in the order the file names them.
fn org_view(org: &Value, file: &Value, layers: &[Layer]) -> OrgView {
    let root = org["root"].as_str().unwrap_or_default().to_string();
    let management = org["management_account"].as_str().unwrap_or_default();
    let key_account = file["key"]["arn"]
        .as_str()
        .and_then(|arn| arn.split(':').nth(4))
        .unwrap_or_default();
    // (parent, child, kind), first-seen order.
    let mut edges: Vec<(String, String, NodeKind)> = Vec::new();
    let mut add = |parent: &str, child: &str, kind: NodeKind| {
        if !edges.iter().any(|(_, c, _)| c == child) {
            edges.push((parent.to_string(), child.to_string(), kind));
        }
    };
    if !management.is_empty() {
        add(&root, management, NodeKind::Account);
    }
    for (account, path) in org["accounts"].as_object().into_iter().flatten() {
        let mut parent = root.clone();
        for ou in path
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            add(&parent, ou, NodeKind::Ou);
            parent = ou.to_string();
        }
        add(&parent, account, NodeKind::Account);
    }
    // OUs with policies but no account under them hang from the root.
    for field in ["scps", "rcps"] {
        for node in org[field].as_object().into_iter().flatten().map(|(k, _)| k) {
            if *node != root && node.starts_with("ou-") {
                add(&root, node, NodeKind::Ou);
            }
        }
    }
    let listed_scps = |node: &str| org["scps"].get(node).is_some();
    let attached = |node: &str, rcp: bool| -> Vec<usize> {
        layers
            .iter()
            .enumerate()
            .filter(|(_, l)| match &l.source {
                PolicySource::Scp { node: n, .. } => !rcp && n == node,
                PolicySource::Rcp { node: n, .. } => rcp && n == node,
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    };
    let mut nodes = Vec::new();
    let mut stack = vec![(root.clone(), NodeKind::Root, 0usize)];
    // Depth first, children in first-seen order; the edges form a tree
    // (the file's reader refuses loops), but a broken file must not hang
    // the page: each node is shown once.
    while let Some((id, kind, depth)) = stack.pop() {
        if nodes.iter().any(|n: &OrgNode| n.id == id) {
            continue;
        }
        nodes.push(OrgNode {
            scps: attached(&id, false),
            scps_listed: listed_scps(&id),
            rcps: attached(&id, true),
            management: kind == NodeKind::Account && id == management,
            key_account: kind == NodeKind::Account && id == key_account,
            id: id.clone(),
            kind,
            depth,
        });
        for (_, child, kind) in edges.iter().rev().filter(|(p, _, _)| *p == id) {
            stack.push((child.clone(), *kind, depth + 1));
        }
    }
    OrgView {
        id: org["id"].as_str().unwrap_or_default().to_string(),
        nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_has_results_and_no_serious_findings() {
        let d = derive(&Workspace::default_example(), "", &[], &[], &[], Lang::En);
        assert_eq!(d.report.unwrap().results.len(), 4);
        assert!(d.marks.iter().all(|m| m.severity != "error"));
    }

    #[test]
    fn every_scenario_runs_around_any_policy() {
        let ws = Workspace::default_example();
        for s in scenarios::catalogue() {
            let d = derive(&ws, s.id, &[], &[], &[], Lang::Ja);
            let report = d.report.unwrap();
            let results = &report.results;
            assert!(!results.is_empty(), "{}", s.id);
            assert!(
                d.notes[0].purpose.as_deref().is_some_and(|p| !p.is_empty()),
                "{}",
                s.id
            );
            assert!(d.snippet_given.is_some());
            assert_eq!(d.scenario_values.len(), s.params.len(), "{}", s.id);
        }
    }

    #[test]
    fn bad_parameters_are_reported_and_defaults_used() {
        let ws = Workspace::default_example();
        let d = derive(
            &ws,
            "cloudtrail-trail",
            &[("key_account".into(), "12345".into())],
            &[],
            &[],
            Lang::En,
        );
        assert_eq!(d.param_errors.len(), 1);
        assert!(d.report.is_ok());
    }

    #[test]
    fn an_oversized_policy_underlines_one_line_not_all() {
        let statement = "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
        let body = vec![statement; 400].join(",\n");
        let ws = Workspace {
            policy: format!("{{\"Version\": \"2012-10-17\", \"Statement\": [\n{body}\n]}}"),
            ..Workspace::default_example()
        };
        assert!(ws.policy.len() > 32 * 1024);
        let d = derive(&ws, "", &[], &[], &[], Lang::En);
        let m = d
            .marks
            .iter()
            .find(|m| m.code == "policy-too-large")
            .expect("a size finding");
        assert!(
            !ws.policy[m.start..m.end].contains('\n'),
            "one line underlined"
        );
    }

    #[test]
    fn broken_policy_text_is_a_finding_with_its_line() {
        let ws = Workspace {
            policy: "{\n  \"Version\": \"2012-10-17\",,\n}".into(),
            ..Workspace::default_example()
        };
        let d = derive(&ws, "", &[], &[], &[], Lang::En);
        assert_eq!(d.marks.len(), 1);
        assert_eq!(
            (d.marks[0].line, d.marks[0].severity.as_str()),
            (2, "error")
        );
    }
}

#[cfg(test)]
mod user_key_tests {
    //! Issue #16, item 1: a scenario runs for the user's own key.
    use super::*;

    /// A policy of the user's own account, 444455556666, with its trail
    /// in eu-west-1.
    fn own_policy() -> Workspace {
        Workspace {
            policy: r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Trail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
   "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:444455556666:trail/main"}}}]}"#
                .to_string(),
            rest: serde_json::json!({"version": 1}),
        }
    }

    /// The own policy under scenario `id` with typed `values`.
    fn run(id: &str, values: &[(String, String)]) -> Derived {
        derive(&own_policy(), id, values, &[], &[], Lang::En)
    }

    fn key_arn(d: &Derived) -> String {
        let file: Value = serde_json::from_str(&d.file_text).unwrap();
        file["key"]["arn"].as_str().unwrap().to_string()
    }

    #[test]
    fn every_scenario_takes_the_account_of_the_policys_root_statement() {
        for s in scenarios::catalogue() {
            let d = run(s.id, &[]);
            assert!(
                key_arn(&d).contains(":444455556666:key/"),
                "{}: {}",
                s.id,
                key_arn(&d)
            );
            let account = d
                .scenario_values
                .iter()
                .find(|v| v.name == "key_account")
                .unwrap();
            assert_eq!(account.origin, ParamOrigin::UserKey, "{}", s.id);
            assert!(d.user_key.is_some());
            // Never a statement for an account nobody chose: the snippet
            // is made from the same values.
            let given = d.snippet_given.unwrap();
            assert!(
                given.contains(&("key_account".into(), "444455556666".into())),
                "{}",
                s.id
            );
            // The user's own root statement is not a lockout.
            assert!(
                d.marks
                    .iter()
                    .all(|m| m.code != "key-policy-lockout" && m.code != "no-root-delegation"),
                "{}: {:?}",
                s.id,
                d.marks.iter().map(|m| &m.code).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn the_region_comes_from_an_arn_of_the_same_account() {
        let d = derive(
            &own_policy(),
            "eventbridge-connection",
            &[],
            &[],
            &[],
            Lang::En,
        );
        assert!(
            key_arn(&d).starts_with("arn:aws:kms:eu-west-1:444455556666:key/"),
            "{}",
            key_arn(&d)
        );
    }

    #[test]
    fn the_eventbridge_scenario_no_longer_fails_on_another_accounts_root() {
        // Before: every row failed with "the key policy does not allow the
        // account root (arn:aws:iam::012345678901:root)".
        let d = derive(
            &own_policy(),
            "eventbridge-connection",
            &[],
            &[],
            &[],
            Lang::En,
        );
        assert!(!d.file_text.contains("012345678901"), "{}", d.file_text);
    }

    #[test]
    fn a_typed_value_wins_and_a_file_key_arn_comes_first() {
        let d = run(
            "cloudtrail-trail",
            &[("key_account".into(), "777788889999".into())],
        );
        assert!(key_arn(&d).contains(":777788889999:"), "{}", key_arn(&d));
        let account = d
            .scenario_values
            .iter()
            .find(|v| v.name == "key_account")
            .unwrap();
        assert_eq!(account.origin, ParamOrigin::Typed);
        // The file's key ARN, when the policy is for the same account.
        let mut ws = own_policy();
        ws.rest = serde_json::json!({"version": 1, "key": {"arn": "arn:aws:kms:ap-northeast-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"}});
        let d = derive(&ws, "cloudtrail-trail", &[], &[], &[], Lang::En);
        assert_eq!(
            key_arn(&d),
            "arn:aws:kms:ap-northeast-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        );
        // A policy pasted over the example file (whose key is another
        // account's) is for the pasted policy's account.
        ws.rest = serde_json::json!({"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}});
        let d = derive(&ws, "eventbridge-connection", &[], &[], &[], Lang::En);
        assert!(
            key_arn(&d).contains(":444455556666:key/"),
            "{}",
            key_arn(&d)
        );
    }

    #[test]
    fn a_wrong_typed_value_keeps_the_users_account() {
        let d = run(
            "cloudtrail-trail",
            &[("region".into(), "not a region!".into())],
        );
        assert!(!d.param_errors.is_empty());
        assert!(key_arn(&d).contains(":444455556666:"), "{}", key_arn(&d));
    }

    #[test]
    fn without_an_account_the_documents_example_is_used_and_said() {
        let ws = Workspace {
            policy: "{\"Statement\": []}".into(),
            rest: serde_json::json!({"version": 1}),
        };
        let d = derive(&ws, "cloudtrail-trail", &[], &[], &[], Lang::En);
        assert!(d.user_key.is_none());
        assert!(d
            .scenario_values
            .iter()
            .all(|v| v.origin == ParamOrigin::Default));
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn a_disabled_key_fails_the_trail_with_its_consequence() {
        let ws = Workspace::default_example();
        let d = derive(
            &ws,
            "cloudtrail-trail",
            &[],
            &[("state".into(), "Disabled".into())],
            &[],
            Lang::En,
        );
        assert!(d.report.is_ok());
        // Not authorized here (the example policy has no CloudTrail
        // statement); with the snippet merged the outcome is the key's.
        assert!(d.notes[0].consequence.is_some());
    }
}

#[cfg(test)]
mod guardrail_tests {
    use super::*;

    const CHAIN: &str = include_str!("../../tests/playground/evaluation-chain.json");

    fn chain() -> Workspace {
        Workspace::from_file_text(CHAIN).unwrap()
    }

    #[test]
    fn every_layer_of_the_file_is_listed_with_its_text() {
        let d = derive(&chain(), "", &[], &[], &[], Lang::En);
        let paths: Vec<String> = d
            .guardrails
            .layers
            .iter()
            .map(|l| l.source.path())
            .collect();
        for want in [
            "organization.scps.ou-a1b2-sandbox[0]",
            "organization.scps.111111111111[0]",
            "organization.rcps.r-a1b2[0]",
        ] {
            assert!(paths.iter().any(|p| p == want), "{want} in {paths:?}");
        }
        assert!(paths.iter().any(|p| p.ends_with(".permissions_boundary")));
        assert!(paths.iter().any(|p| p.contains(".session_policies[")));
        assert!(paths.iter().any(|p| p.ends_with(".vpc_endpoint.policy")));
        // Objects in the file are shown pretty-printed, as the engine reads them.
        let scp = &d.guardrails.layers[0];
        assert!(scp.text.contains("\n  \"Statement\""), "{}", scp.text);
        assert!(d.report.is_ok());
    }

    #[test]
    fn the_tree_has_the_root_its_ous_and_accounts_in_order() {
        let d = derive(&chain(), "", &[], &[], &[], Lang::En);
        let org = d.guardrails.org.unwrap();
        let shown: Vec<(&str, usize)> =
            org.nodes.iter().map(|n| (n.id.as_str(), n.depth)).collect();
        assert_eq!(shown[0], ("r-a1b2", 0));
        let at = |id: &str| shown.iter().position(|(n, _)| *n == id).unwrap();
        assert!(at("ou-a1b2-workload") < at("111111111111"));
        assert_eq!(shown[at("111111111111")].1, 2);
        assert_eq!(shown[at("999999999999")].1, 1);
        let mgmt = &org.nodes[at("999999999999")];
        assert!(mgmt.management && !mgmt.key_account);
        let key = &org.nodes[at("111111111111")];
        assert!(key.key_account && key.scps_listed && key.scps.len() == 1);
        // The workload OU lists no SCP: FullAWSAccess only.
        assert!(!org.nodes[at("ou-a1b2-workload")].scps_listed);
        assert_eq!(org.nodes[0].rcps.len(), 1);
    }

    #[test]
    fn a_result_decided_in_a_layer_points_into_that_layers_text() {
        let d = derive(&chain(), "", &[], &[], &[], Lang::En);
        let report = d.report.unwrap();
        let mut seen = 0;
        for r in &report.results {
            let Some(policy) = r.decided_by.as_ref().and_then(|d| d.policy.as_deref()) else {
                continue;
            };
            let layer = d
                .guardrails
                .layers
                .iter()
                .find(|l| l.source.path() == policy)
                .unwrap_or_else(|| panic!("{policy} is a layer"));
            let d = r.decided_by.as_ref().unwrap();
            assert_eq!(d.in_policy_text, Some(true), "{policy}");
            let (s, e) = (d.start, d.end);
            let statement = &layer.text[s..e];
            assert!(
                statement.starts_with('{') && statement.ends_with('}'),
                "{statement}"
            );
            assert!(statement.contains("\"Effect\""), "{statement}");
            seen += 1;
        }
        assert!(
            seen >= 3,
            "the fixture has requests decided by SCPs, RCPs, endpoints…"
        );
    }

    #[test]
    fn a_layers_findings_are_placed_in_its_own_text() {
        let mut ws = chain();
        let scp = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}";
        let source = PolicySource::Scp {
            node: "ou-a1b2-sandbox".into(),
            policy: 0,
        };
        *layer_slot(&mut ws.rest, &source).unwrap() = Value::String(scp.into());
        let d = derive(&ws, "", &[], &[], &[], Lang::En);
        let layer = d
            .guardrails
            .layers
            .iter()
            .find(|l| l.source == source)
            .unwrap();
        assert_eq!(layer.text, scp, "the user's text, untouched");
        let m = layer
            .marks
            .iter()
            .find(|m| m.code == "principal-in-scp")
            .unwrap_or_else(|| panic!("{:?}", layer.marks));
        assert_eq!(m.line, 3);
        assert_eq!(&scp[m.start..m.start + 11], "\"Principal\"");
        // The key policy's problems are not mixed with it.
        assert!(d.marks.iter().all(|k| k.code != "principal-in-scp"));
    }

    #[test]
    fn a_broken_layer_keeps_its_text_and_says_where() {
        let mut ws = chain();
        let source = PolicySource::Rcp {
            node: "r-a1b2".into(),
            policy: 0,
        };
        let broken = "{\n  \"Version\": \"2012-10-17\",,\n}";
        *layer_slot(&mut ws.rest, &source).unwrap() = Value::String(broken.into());
        let d = derive(&ws, "", &[], &[], &[], Lang::Ja);
        let layer = d
            .guardrails
            .layers
            .iter()
            .find(|l| l.source == source)
            .unwrap();
        assert_eq!(layer.text, broken);
        assert!(layer
            .marks
            .iter()
            .any(|m| m.severity == "error" && m.line == 2));
    }

    #[test]
    fn edits_over_a_scenario_are_applied_to_its_file() {
        // Any scenario: with no organization there is no slot, and the
        // edit is ignored rather than inventing one.
        let ws = Workspace::default_example();
        let s = scenarios::catalogue()[0].id;
        let source = PolicySource::Scp {
            node: "r-a1b2".into(),
            policy: 0,
        };
        let d = derive(&ws, s, &[], &[], &[(source, "{}".into())], Lang::En);
        assert!(d.guardrails.layers.is_empty());
        assert!(d.report.is_ok());
    }

    #[test]
    fn the_default_example_has_no_guardrails() {
        let d = derive(&Workspace::default_example(), "", &[], &[], &[], Lang::En);
        assert_eq!(d.guardrails, Guardrails::default());
    }
}
