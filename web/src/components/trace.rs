//! A policy's statements in a trace, as the key policy's trace and the
//! guardrails' show them.

use crate::{t, tp};
use kmsplay_messages::Lang;
use kmsplay_playground::answer::StatementAnswer;
use yew::prelude::*;

/// A policy's statements in a trace: whether each applies, and why. In a
/// limiting policy (an SCP, a boundary, a session policy) a statement
/// without `Principal` limits the caller rather than granting to them.
pub(crate) fn trace_statements(list: &[StatementAnswer], lang: Lang, limit: bool) -> Html {
    html! {
        <ul class="trace-statements">
            { for list.iter().map(|s| {
                let number = (s.statement + 1).to_string();
                let label = match &s.sid {
                    Some(sid) => tp(lang, "trace.statement-sid", &[("statement", number), ("sid", sid.clone())]),
                    None => tp(lang, "trace.statement", &[("statement", number)]),
                };
                html! {
                    <li class={classes!(if s.applies { "applies" } else { "not-applies" })}>
                        <strong>{ label }</strong>{ format!(" [{}] ", s.effect.unwrap_or("?")) }{ t(lang, s.verdict()) }
                        <div class="trace-parts">
                            { match s.principal {
                                "owner" if limit => t(lang, "trace.principal.limit"),
                                p => t(lang, &format!("trace.principal.{p}")),
                            } }{ "; " }
                            { t(lang, if s.action { "trace.action.match" } else { "trace.action.no-match" }) }{ "; " }
                            { t(lang, if s.resource { "trace.resource.match" } else { "trace.resource.no-match" }) }
                        </div>
                        <ul class="trace-conditions">
                            { for s.conditions.iter().map(|c| {
                                let request = match &c.request_values {
                                    Some(v) => json_strings(v),
                                    None => t(lang, "trace.condition.missing"),
                                };
                                let id = if c.result { "trace.condition.true" } else { "trace.condition.false" };
                                html! { <li><code>{ tp(lang, id, &[
                                    ("operator", c.operator.clone()),
                                    ("key", c.key.clone()),
                                    ("request", request),
                                    ("policy", json_strings(&c.policy_values)),
                                ]) }</code></li> }
                            }) }
                        </ul>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Strings as a compact JSON list, as the trace shows condition values.
fn json_strings(values: &[String]) -> String {
    let mut out = String::from("[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        kmsplay_json::write_string(v, &mut out);
    }
    out.push(']');
    out
}
