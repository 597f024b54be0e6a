//! The organization and guardrails panel: the account tree, and every
//! policy AWS applies beyond the key policy, identity policies and grants
//! (SCPs and RCPs by node, permissions boundaries, session policies, VPC
//! endpoint policies), each in an editor with colouring, findings and the
//! deciding statement highlighted. Also the parts of a result row and of a
//! trace that name those layers. Nothing here decides: the engine's report
//! says which layer decided and why.

use crate::browser;
use crate::components::editor::{overlay_lines, LineView, VisibleMark};
use crate::components::findings::finding_item;
use crate::components::trace::trace_statements;
use crate::derive::{Derived, Layer, NodeKind, OrgNode};
use crate::{t, tp};
use kmsplay_kms::Decision;
use kmsplay_messages::Lang;
use kmsplay_playground::answer::{GuardrailsAnswer, NodeAnswer};
use kmsplay_playground::{PolicySource, RequestAnswer};
use serde_json::Value;
use yew::prelude::*;

/// What the panel shows, borrowed while the results pane renders, and
/// what it does.
#[derive(PartialEq)]
pub struct GuardrailsProps<'a> {
    pub lang: Lang,
    /// The layers, the account tree and the report.
    pub derived: &'a Derived,
    /// The selected result row: its deciding statement is highlighted
    /// when it is in a layer.
    pub selected: Option<usize>,
    /// A scenario is chosen (its guardrails are edited over it).
    pub scenario_mode: bool,
    /// The file around the policy: an organization is started around its
    /// key's account.
    pub rest: &'a Value,
    /// Gives the file this organization.
    pub on_add_organization: Callback<Value>,
    /// A guardrail policy was edited: which, and its text as typed.
    pub on_edit_layer: Callback<(PolicySource, String)>,
}

/// The panel. Open when the file in effect has any guardrail; otherwise
/// folded, with a way to start an organization around the key's account.
/// Plain functions rather than components throughout: the page's main
/// wasm has a size budget, and each component costs its own machinery.
pub fn panel(props: &GuardrailsProps<'_>) -> Html {
    let lang = props.lang;
    let derived = props.derived;
    let g = &derived.guardrails;
    let any = g.org.is_some() || !g.layers.is_empty() || !g.default_endpoints.is_empty();
    // The deciding statement of the selected row, when it is in a layer.
    let decided: Option<(String, usize, usize)> = props.selected.and_then(|i| {
        let report = derived.report.as_ref().ok()?;
        let d = report.results.get(i)?.decided_by.as_ref()?;
        Some((d.policy.clone()?, d.start, d.end))
    });
    let on_add = {
        let on_add_organization = props.on_add_organization.clone();
        let key_arn = props.rest["key"]["arn"].as_str().map(str::to_string);
        Callback::from(move |_| on_add_organization.emit(starter_organization(key_arn.as_deref())))
    };
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
                if !props.scenario_mode {
                    <button type="button" data-testid="add-organization" onclick={on_add}>{ t(lang, "guardrails.add-organization") }</button>
                }
            }
            if any && props.scenario_mode {
                <p class="muted">{ t(lang, "guardrails.scenario-note") }</p>
            }
            if let Some(org) = &g.org {
                <div class="org-tree" data-testid="org-tree">
                    <h3>{ tp(lang, "guardrails.tree", &[("id", org.id.clone())]) }</h3>
                    <ul>
                        { for org.nodes.iter().map(|n| org_node(n, lang)) }
                    </ul>
                </div>
            }
            { for g.default_endpoints.iter().map(|note| html! { <p class="muted" data-testid="default-endpoint">{ note }</p> }) }
            { for g.layers.iter().enumerate().map(|(i, layer)| {
                let path = layer.source.path();
                let span = decided.as_ref().filter(|(p, _, _)| *p == path).map(|(_, s, e)| (*s, *e));
                layer_editor(i, layer, span, &props.on_edit_layer, lang)
            }) }
        </details>
    }
}

/// One node of the account tree, with what is attached to it.
fn org_node(n: &OrgNode, lang: Lang) -> Html {
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

/// One guardrail policy: the same colouring and underlines as the key
/// policy's editor, its findings with line and column, and the statement
/// that decided the selected request. It grows with its text (policies of
/// these kinds are at most a few KB), so it needs no scrolling of its own;
/// `decided` is the deciding statement's span in its text.
fn layer_editor(
    index: usize,
    layer: &Layer,
    decided: Option<(usize, usize)>,
    on_edit_layer: &Callback<(PolicySource, String)>,
    lang: Lang,
) -> Html {
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
    // Each line keeps its `Rc` only within one render: these texts are
    // short, and their lines are cheap to compare.
    let lines = overlay_lines(&layer.text, &marks, None, decided);
    let oninput = {
        let on_edit_layer = on_edit_layer.clone();
        let source = layer.source.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_edit_layer.emit((source.clone(), area.value()));
        })
    };
    let area_id = format!("layer-{index}");
    html! {
        <section class={classes!("layer", decided.is_some().then_some("layer-decided"))}
            data-testid="layer" data-policy={path.clone()} data-decided={decided.is_some().to_string()}>
            <h4 class="layer-title">{ &layer.title }</h4>
            if decided.is_some() {
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
                            finding_item(m, "layer-finding", lang, onclick)
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}

/// An organization to start from, around the key's account: one OU with
/// an SCP that keeps every permission but scheduling key deletion (a
/// common guardrail). It names no account but the key's (from its ARN).
fn starter_organization(key_arn: Option<&str>) -> Value {
    let account = key_arn
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("111122223333")
        .to_string();
    let text = include_str!("../examples/starter-organization.json").replace("ACCOUNT", &account);
    kmsplay_playground::json_value(&text).unwrap_or(Value::Null)
}

/// Which policy type decided a denied request, and the AccessDenied
/// message AWS prints for it.
pub fn deciding_layer(r: &RequestAnswer, lang: Lang) -> Html {
    if r.decision == Decision::Allowed {
        return html! {};
    }
    let kind = r.policy_type;
    let layer = t(lang, &format!("policy-type.{kind}"));
    html! {
        <div class="deciding-layer" data-testid="deciding-layer" data-policy-type={kind}>
            <p>{ tp(lang, "guardrails.decided-by", &[("layer", layer)]) }</p>
            if let Some(m) = &r.access_denied_message {
                <p class="aws-message"><span class="muted">{ t(lang, "guardrails.aws-says") }{ " " }</span><code data-testid="access-denied-message">{ m }</code></p>
            }
        </div>
    }
}

/// The trace of every layer beyond the key policy, identity policies and
/// grants: each SCP node from the root to the caller's account, each RCP
/// node, the boundary, the session policies, the endpoint policy, with the
/// same detail as the key policy's statements.
pub fn trace(g: &GuardrailsAnswer, lang: Lang) -> Html {
    let nodes = |list: &[NodeAnswer], rcp: bool| -> Html {
        html! {
            <ul class="trace-nodes">
                { for list.iter().map(|n| {
                    let verdict = if n.default_only {
                        if rcp { "trace.node.default-rcp" } else { "trace.node.default-scp" }
                    } else if rcp {
                        ""
                    } else if n.allows {
                        "trace.node.allows"
                    } else {
                        "trace.node.no-allow"
                    };
                    html! {
                        <li data-testid="trace-node" data-node={n.node.clone()}>
                            <strong>{ tp(lang, "trace.node", &[("node", n.node.clone())]) }</strong>
                            if !verdict.is_empty() {
                                { ": " }{ t(lang, verdict) }
                            }
                            { for n.policies.iter().enumerate().map(|(i, p)| html! {
                                <div class="trace-policy">
                                    <span class="muted">{ tp(lang, "trace.node.policy", &[("n", (i + 1).to_string())]) }</span>
                                    { trace_statements(&p.statements, lang, true) }
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
            if !g.scps.is_empty() {
                <h4>{ t(lang, "trace.scps") }</h4>
                { nodes(&g.scps, false) }
            }
            if !g.rcps.is_empty() {
                <h4>{ t(lang, "trace.rcps") }</h4>
                { nodes(&g.rcps, true) }
            }
            if let Some(b) = &g.permissions_boundary {
                <h4>{ tp(lang, "trace.boundary", &[("identity", b.identity.clone())]) }</h4>
                { trace_statements(&b.statements, lang, true) }
            }
            { for g.session_policies.iter().enumerate().map(|(i, p)| html! {
                <>
                    <h4>{ tp(lang, "trace.session", &[("n", (i + 1).to_string())]) }</h4>
                    { trace_statements(&p.statements, lang, true) }
                </>
            }) }
            if let Some(e) = &g.vpc_endpoint {
                if let Some(statements) = &e.statements {
                    <h4>{ tp(lang, "trace.endpoint", &[("endpoint", e.endpoint.clone())]) }</h4>
                    { trace_statements(statements, lang, true) }
                } else {
                    <h4>{ tp(lang, "trace.endpoint.default", &[("endpoint", e.endpoint.clone())]) }</h4>
                }
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_organization_names_only_the_keys_account_and_runs() {
        let mut ws = crate::workspace::Workspace::default_example();
        let account = ws.rest["key"]["arn"]
            .as_str()
            .unwrap()
            .split(':')
            .nth(4)
            .unwrap()
            .to_string();
        let org = starter_organization(ws.rest["key"]["arn"].as_str());
        assert_eq!(
            org["accounts"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            vec![&account]
        );
        ws.rest["organization"] = org;
        let d = crate::derive::derive(&ws, "", &[], &[], &[], Lang::En);
        assert!(d.report.is_ok(), "{:?}", d.report);
        assert_eq!(d.guardrails.layers.len(), 1);
        assert!(d
            .guardrails
            .org
            .unwrap()
            .nodes
            .iter()
            .any(|n| n.key_account));
    }
}
