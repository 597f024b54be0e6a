//! The organization and guardrails panel: the account tree, and every
//! policy AWS applies beyond the key policy, identity policies and grants
//! (SCPs and RCPs by node, permissions boundaries, session policies, VPC
//! endpoint policies), each in an editor with colouring, findings and the
//! deciding statement highlighted. Also the parts of a result row and of a
//! trace that name those layers. Nothing here decides: the engine's report
//! says which layer decided and why.

use crate::browser;
use crate::components::{overlay_lines, trace_statements, LineView, VisibleMark};
use crate::derive::{Derived, Layer, NodeKind, OrgNode};
use crate::state::{Action, AppState};
use crate::{t, tp};
use kmsplay_messages::Lang;
use serde_json::{json, Value};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GuardrailsProps {
    /// The page's state.
    pub state: UseReducerHandle<AppState>,
    /// What follows from it.
    pub derived: Rc<Derived>,
}

/// The panel. Open when the file in effect has any guardrail; otherwise
/// folded, with a way to start an organization around the key's account.
#[component]
pub fn GuardrailsPanel(props: &GuardrailsProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let g = &props.derived.guardrails;
    let any = g.org.is_some() || !g.layers.is_empty() || !g.default_endpoints.is_empty();
    // The deciding statement of the selected row, when it is in a layer.
    let decided: Option<(String, usize, usize)> = state.selected.and_then(|i| {
        let report = props.derived.report.as_ref().ok()?;
        let d = &report["results"][i]["decided_by"];
        Some((
            d["policy"].as_str()?.to_string(),
            d["start"].as_u64()? as usize,
            d["end"].as_u64()? as usize,
        ))
    });
    let on_add = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::AddOrganization(starter_organization(
                &state.ws.rest,
            )))
        })
    };
    let dispatcher = state.dispatcher();
    html! {
        <details class="guardrails" data-testid="guardrails" open={any}>
            <summary>
                { t(lang, "guardrails.title") }
                if !g.layers.is_empty() {
                    <span class="muted">{ " · " }{ tp(lang, "guardrails.count", &[("count", g.layers.len().to_string())]) }</span>
                }
            </summary>
            if !any {
                <p class="muted">{ t(lang, "guardrails.none") }</p>
                if state.scenario.is_empty() {
                    <button type="button" data-testid="add-organization" onclick={on_add}>{ t(lang, "guardrails.add-organization") }</button>
                }
            }
            if any && !state.scenario.is_empty() {
                <p class="muted">{ t(lang, "guardrails.scenario-note") }</p>
            }
            if let Some(org) = &g.org {
                <div class="org-tree" data-testid="org-tree">
                    <h3>{ tp(lang, "guardrails.tree", &[("id", org.id.clone())]) }</h3>
                    <ul>
                        { for org.nodes.iter().map(|n| html! { <OrgNodeView node={n.clone()} {lang} /> }) }
                    </ul>
                </div>
            }
            { for g.default_endpoints.iter().map(|note| html! { <p class="muted" data-testid="default-endpoint">{ note }</p> }) }
            { for g.layers.iter().enumerate().map(|(i, layer)| {
                let path = layer.source.path();
                let span = decided.as_ref().filter(|(p, _, _)| *p == path).map(|(_, s, e)| (*s, *e));
                html! {
                    <LayerEditor key={path} index={i} layer={Rc::new(layer.clone())} decided={span}
                        dispatcher={dispatcher.clone()} {lang} />
                }
            }) }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct NodeProps {
    node: OrgNode,
    lang: Lang,
}

/// One node of the account tree, with what is attached to it.
#[component]
fn OrgNodeView(props: &NodeProps) -> Html {
    let n = &props.node;
    let lang = props.lang;
    let (label, kind) = match n.kind {
        NodeKind::Root => ("guardrails.root", "root"),
        NodeKind::Ou => ("guardrails.ou", "ou"),
        NodeKind::Account => ("guardrails.account", "account"),
    };
    let scps = if n.scps_listed {
        tp(
            lang,
            "guardrails.scp-listed",
            &[("count", n.scps.len().to_string())],
        )
    } else {
        t(lang, "guardrails.scp-default")
    };
    let rcps = if n.rcps.is_empty() {
        t(lang, "guardrails.rcp-default")
    } else {
        tp(
            lang,
            "guardrails.rcp-listed",
            &[("count", n.rcps.len().to_string())],
        )
    };
    html! {
        <li class={classes!("org-node", format!("depth-{}", n.depth.min(6)))}
            data-testid="org-node" data-node={n.id.clone()} data-kind={kind}>
            <span class="org-label">{ tp(lang, label, &[("id", n.id.clone())]) }</span>
            if n.key_account {
                <span class="chip">{ t(lang, "guardrails.key-account") }</span>
            }
            if n.management {
                <span class="chip muted">{ t(lang, "guardrails.management") }</span>
            } else {
                <span class={classes!("chip", n.scps_listed.then_some("chip-strong"))}>{ scps }</span>
                <span class={classes!("chip", (!n.rcps.is_empty()).then_some("chip-strong"))}>{ rcps }</span>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct LayerProps {
    index: usize,
    layer: Rc<Layer>,
    /// The deciding statement's span in this policy's text.
    decided: Option<(usize, usize)>,
    dispatcher: UseReducerDispatcher<AppState>,
    lang: Lang,
}

/// One guardrail policy: the same colouring and underlines as the key
/// policy's editor, its findings with line and column, and the statement
/// that decided the selected request. It grows with its text (policies of
/// these kinds are at most a few KB), so it needs no scrolling of its own.
#[component]
fn LayerEditor(props: &LayerProps) -> Html {
    let lang = props.lang;
    let layer = &props.layer;
    let path = layer.source.path();
    let marks: Vec<VisibleMark> = layer
        .marks
        .iter()
        .map(|m| VisibleMark {
            start: m.start.min(layer.text.len()),
            end: m.end.min(layer.text.len()),
            severity: m.severity.clone(),
            message: m.message.clone(),
        })
        .collect();
    let lines = use_memo(
        (layer.text.clone(), marks, props.decided),
        |(text, marks, decided)| overlay_lines(text, marks, None, *decided),
    );
    let oninput = {
        let dispatcher = props.dispatcher.clone();
        let source = layer.source.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            dispatcher.dispatch(Action::EditLayer(source.clone(), area.value()));
        })
    };
    let area_id = format!("layer-{}", props.index);
    html! {
        <section class={classes!("layer", props.decided.is_some().then_some("layer-decided"))}
            data-testid="layer" data-policy={path.clone()} data-decided={props.decided.is_some().to_string()}>
            <h4 class="layer-title">{ &layer.title }</h4>
            if props.decided.is_some() {
                <p class="layer-note" data-testid="layer-decided">{ t(lang, "guardrails.decided") }</p>
            }
            <div class="layer-editor">
                <pre class="layer-highlight" aria-hidden="true">
                    { for lines.iter().map(|pieces| html! { <LineView pieces={pieces.clone()} /> }) }
                    { "\n" }
                </pre>
                <textarea id={area_id.clone()} class="layer-input" data-testid="layer-input" rows="1"
                    spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-label={format!("{} — {}", layer.title, t(lang, "guardrails.policy-editor"))}
                    value={layer.text.clone()} {oninput} />
            </div>
            if !layer.marks.is_empty() {
                <div class="findings layer-findings">
                    <h5>{ tp(lang, "guardrails.findings", &[("count", layer.marks.len().to_string())]) }</h5>
                    <ul>
                        { for layer.marks.iter().map(|m| {
                            let (start, end) = (m.start, m.end);
                            let text = layer.text.clone();
                            let selector = format!("#{area_id}");
                            let onclick = Callback::from(move |_| browser::focus_area_at(&selector, &text, start, end));
                            html! {
                                <li>
                                    <button type="button" class={classes!("finding", format!("sev-{}", m.severity))}
                                        data-testid="layer-finding" data-code={m.code.clone()} data-severity={m.severity.clone()}
                                        data-line={m.line.to_string()} data-column={m.column.to_string()} {onclick}>
                                        <span class="finding-where">{ tp(lang, "ui.findings.where", &[("line", m.line.to_string()), ("column", m.column.to_string())]) }</span>
                                        <span class="finding-sev">{ t(lang, &format!("ui.severity.{}", m.severity)) }</span>
                                        <span class="finding-msg">{ &m.message }
                                            if let Some(h) = &m.help {
                                                <span class="finding-help">{ h }</span>
                                            }
                                        </span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}

/// An organization to start from, around the key's account: one OU with
/// an SCP that keeps every permission but scheduling key deletion (a
/// common guardrail). It names no account but the key's.
fn starter_organization(rest: &Value) -> Value {
    let account = rest["key"]["arn"]
        .as_str()
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("111122223333")
        .to_string();
    json!({
        "id": "o-a1b2c3d4e5",
        "root": "r-a1b2",
        "accounts": { account: ["ou-a1b2-workload"] },
        "scps": {
            "ou-a1b2-workload": [{
                "Version": "2012-10-17",
                "Statement": [
                    { "Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*" },
                    { "Sid": "NoKeyDeletion", "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*" }
                ]
            }]
        }
    })
}

#[derive(Properties, PartialEq)]
pub struct ResultProps {
    /// One result of the report.
    pub result: Rc<Value>,
    /// The page's language.
    pub lang: Lang,
}

/// Which policy type decided a denied request, and the AccessDenied
/// message AWS prints for it.
#[component]
pub fn DecidingLayer(props: &ResultProps) -> Html {
    let r = &*props.result;
    let lang = props.lang;
    if r["decision"] == "allowed" {
        return html! {};
    }
    let Some(kind) = r["policy_type"].as_str() else {
        return html! {};
    };
    let layer = t(lang, &format!("policy-type.{kind}"));
    html! {
        <div class="deciding-layer" data-testid="deciding-layer" data-policy-type={kind.to_string()}>
            <p>{ tp(lang, "guardrails.decided-by", &[("layer", layer)]) }</p>
            if let Some(m) = r["access_denied_message"].as_str() {
                <p class="aws-message"><span class="muted">{ t(lang, "guardrails.aws-says") }{ " " }</span><code data-testid="access-denied-message">{ m }</code></p>
            }
        </div>
    }
}

/// The trace of every layer beyond the key policy, identity policies and
/// grants: each SCP node from the root to the caller's account, each RCP
/// node, the boundary, the session policies, the endpoint policy, with the
/// same detail as the key policy's statements.
#[component]
pub fn GuardrailTrace(props: &ResultProps) -> Html {
    let lang = props.lang;
    let g = &props.result["trace"]["guardrails"];
    if !g.is_object() {
        return html! {};
    }
    let nodes = |list: &Value, rcp: bool| -> Html {
        html! {
            <ul class="trace-nodes">
                { for list.as_array().into_iter().flatten().map(|n| {
                    let verdict = if n["default_only"] == true {
                        if rcp { "trace.node.default-rcp" } else { "trace.node.default-scp" }
                    } else if rcp {
                        ""
                    } else if n["allows"] == true {
                        "trace.node.allows"
                    } else {
                        "trace.node.no-allow"
                    };
                    html! {
                        <li data-testid="trace-node" data-node={n["node"].as_str().unwrap_or_default().to_string()}>
                            <strong>{ tp(lang, "trace.node", &[("node", n["node"].as_str().unwrap_or_default().to_string())]) }</strong>
                            if !verdict.is_empty() {
                                { ": " }{ t(lang, verdict) }
                            }
                            { for n["policies"].as_array().into_iter().flatten().enumerate().map(|(i, p)| html! {
                                <div class="trace-policy">
                                    <span class="muted">{ tp(lang, "trace.node.policy", &[("n", (i + 1).to_string())]) }</span>
                                    { trace_statements(&p["statements"], lang) }
                                </div>
                            }) }
                        </li>
                    }
                }) }
            </ul>
        }
    };
    html! {
        <div class="trace-guardrails" data-testid="trace-guardrails">
            if g.get("scps").is_some() {
                <h4>{ t(lang, "trace.scps") }</h4>
                { nodes(&g["scps"], false) }
            }
            if g.get("rcps").is_some() {
                <h4>{ t(lang, "trace.rcps") }</h4>
                { nodes(&g["rcps"], true) }
            }
            if let Some(b) = g.get("permissions_boundary") {
                <h4>{ tp(lang, "trace.boundary", &[("identity", b["identity"].as_str().unwrap_or_default().to_string())]) }</h4>
                { trace_statements(&b["statements"], lang) }
            }
            { for g["session_policies"].as_array().into_iter().flatten().enumerate().map(|(i, p)| html! {
                <>
                    <h4>{ tp(lang, "trace.session", &[("n", (i + 1).to_string())]) }</h4>
                    { trace_statements(&p["statements"], lang) }
                </>
            }) }
            if let Some(e) = g.get("vpc_endpoint") {
                if e["default_policy"] == true {
                    <h4>{ tp(lang, "trace.endpoint.default", &[("endpoint", e["endpoint"].as_str().unwrap_or_default().to_string())]) }</h4>
                } else {
                    <h4>{ tp(lang, "trace.endpoint", &[("endpoint", e["endpoint"].as_str().unwrap_or_default().to_string())]) }</h4>
                    { trace_statements(&e["statements"], lang) }
                }
            }
        </div>
    }
}
