//! The key policy's findings, each a click away from its place.

use crate::derive::Mark;
use crate::{t, tp};
use kmsplay_messages::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct FindingsProps {
    pub(super) lang: Lang,
    pub(super) marks: Vec<Mark>,
    /// Takes the editor's caret to a finding's place (its byte span).
    pub(super) on_jump: Callback<(usize, usize)>,
}

pub(super) fn findings(props: &FindingsProps) -> Html {
    let lang = props.lang;
    html! {
        <div class="findings" data-testid="findings">
            <h3>{ tp(lang, "ui.findings.title", &[("count", props.marks.len().to_string())]) }</h3>
            if props.marks.is_empty() {
                <p class="muted">{ t(lang, "ui.findings.none") }</p>
            }
            <ul>
                { for props.marks.iter().map(|m| {
                    let on_jump = props.on_jump.clone();
                    let span = (m.start, m.end);
                    let onclick = Callback::from(move |_| on_jump.emit(span));
                    finding_item(m, "finding", lang, onclick)
                }) }
            </ul>
        </div>
    }
}

/// One problem in a list: where, how serious, what and what to do; a
/// click (`onclick`) takes the cursor there. `testid` tells the key
/// policy's list from a guardrail policy's.
pub(crate) fn finding_item(
    m: &Mark,
    testid: &'static str,
    lang: Lang,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! {
        <li>
            <button type="button" class={classes!("finding", format!("sev-{}", m.severity))}
                data-testid={testid} data-code={m.code.clone()} data-severity={m.severity.clone()}
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
}
