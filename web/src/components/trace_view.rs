//! The full trace of an open result row, computed only while it is open.

use super::trace::trace_statements;
use crate::{t, tp};
use kmsplay_messages::Lang;
use kmsplay_playground::answer::{ContextAnswer, ContextValueAnswer};
use kmsplay_playground::RequestAnswer;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct LoaderProps {
    pub(super) index: usize,
    pub(super) lang: Lang,
    pub(super) file_text: String,
}

/// Computes the full trace of one request only when its row is open.
#[component]
pub(super) fn TraceLoader(props: &LoaderProps) -> Html {
    let lang = props.lang;
    let trace = use_memo(
        (props.file_text.clone(), props.index, lang),
        |(text, index, lang)| kmsplay_playground::request_trace(text, *index, *lang).map(Rc::new),
    );
    match &*trace {
        Some(result) => trace_view(&TraceProps {
            result: result.clone(),
            lang,
        }),
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct TraceProps {
    result: Rc<RequestAnswer>,
    lang: Lang,
}

fn trace_view(props: &TraceProps) -> Html {
    let lang = props.lang;
    let Some(trace) = &props.result.trace else {
        return html! {};
    };
    html! {
        <>
            <h4>{ t(lang, "trace.key-policy") }</h4>
            { trace_statements(&trace.key_policy, lang, false) }
            { for trace.identity_policies.iter().map(|ip| html! {
                <>
                    <h4>{ tp(lang, "trace.identity-policy", &[
                        ("policy", (ip.policy + 1).to_string()),
                        ("identity", ip.identity.clone()),
                    ]) }</h4>
                    { trace_statements(&ip.statements, lang, false) }
                </>
            }) }
            if !trace.grants.is_empty() {
                <h4>{ t(lang, "trace.grants") }</h4>
                <ul>
                    { for trace.grants.iter().map(|g| html! {
                        <li>{ tp(lang, "trace.grant", &[("grant", g.grant.clone())]) }{ ": " }{ t(lang, g.verdict()) }</li>
                    }) }
                </ul>
            }
            if let Some(g) = &trace.guardrails {
                { crate::guardrails::trace(g, lang) }
            }
            <h4>{ t(lang, "trace.context") }</h4>
            <pre class="context">{ context_text(&trace.context) }</pre>
        </>
    }
}

/// The request's condition keys as pretty JSON, as the trace shows them.
fn context_text(context: &ContextAnswer) -> String {
    let object = context
        .0
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ContextValueAnswer::Single(s) => Value::String(s.clone()),
                ContextValueAnswer::Multi(m) => {
                    Value::Array(m.iter().cloned().map(Value::String).collect())
                }
            };
            (k.clone(), value)
        })
        .collect();
    kmsplay_playground::json_pretty(&Value::Object(object))
}
