//! The statements a scenario needs, to copy or to add to the policy.

use super::util::extras_pending;
use crate::browser;
use crate::derive::Derived;
use crate::extras::{Merged, Snippet};
use crate::state::Notice;
use crate::{t, tp};
use kmsplay_messages::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub(super) struct SnippetProps {
    pub(super) lang: Lang,
    /// The chosen scenario's id.
    pub(super) scenario: String,
    /// The values the results use (`snippet_given`).
    pub(super) derived: Rc<Derived>,
    /// The key policy as typed, which the statements are merged into.
    pub(super) policy: Rc<str>,
    /// The missing statements were added: the policy with them (undoable).
    pub(super) on_replace_policy: Callback<String>,
    pub(super) on_notify: Callback<Notice>,
}

/// Equal only when they come from the same render of the app, which makes
/// its callbacks anew on every render (as the editor's props).
impl PartialEq for SnippetProps {
    fn eq(&self, other: &SnippetProps) -> bool {
        self.on_notify == other.on_notify
    }
}

/// The statements the scenario needs: copy them, or add the missing ones
/// to the policy (never changing what is there; undoable).
#[component]
pub(super) fn SnippetPanel(props: &SnippetProps) -> Html {
    let lang = props.lang;
    let loaded = use_state(|| 0u32);
    // Worked out by the page's second module, from the values the results
    // use (so for the user's own account), once it is loaded; once per
    // scenario and values, not on every keystroke in the policy.
    let ready = crate::extras::availability() == crate::extras::Availability::Ready;
    let snip = use_memo(
        (
            props.scenario.clone(),
            props.derived.snippet_given.clone(),
            ready,
        ),
        |(scenario, given, ready)| match (ready, given) {
            (true, Some(given)) => crate::extras::snippet(scenario, given).unwrap_or_default(),
            _ => Snippet::default(),
        },
    );
    if props.derived.snippet_given.is_none() {
        return html! {};
    }
    let pending = extras_pending(lang, &loaded);
    let text = snip.text().to_string();
    let on_copy = {
        let text = text.clone();
        let on_notify = props.on_notify.clone();
        Callback::from(move |_| {
            browser::copy(&text);
            on_notify.emit(Notice {
                id: "ui.snippet.copied".into(),
                params: Vec::new(),
                error: false,
            });
        })
    };
    let on_merge = {
        let policy = props.policy.clone();
        let on_replace_policy = props.on_replace_policy.clone();
        let on_notify = props.on_notify.clone();
        let statements = snip.statements().to_vec();
        Callback::from(move |_| {
            let notice = match crate::extras::merge(&policy, &statements) {
                Some(Merged::Text {
                    text,
                    added,
                    skipped,
                    filled,
                }) => {
                    on_replace_policy.emit(text);
                    Notice {
                        id: "ui.snippet.merged".into(),
                        params: vec![
                            ("added".into(), added),
                            ("skipped".into(), skipped),
                            ("filled".into(), filled),
                        ],
                        error: false,
                    }
                }
                Some(Merged::Refused { id, params }) => Notice {
                    id,
                    params,
                    error: true,
                },
                None => Notice {
                    id: "ui.extras.failed".into(),
                    params: Vec::new(),
                    error: true,
                },
            };
            on_notify.emit(notice);
        })
    };
    html! {
        <details class="snippet" open=true data-testid="snippet">
            <summary>{ t(lang, "ui.snippet.title") }</summary>
            <div class="toolbar">
                <button type="button" data-testid="snippet-copy" onclick={on_copy}>{ t(lang, "ui.snippet.copy") }</button>
                <button type="button" data-testid="snippet-merge" onclick={on_merge} disabled={pending.is_some()}>{ t(lang, "ui.snippet.merge") }</button>
            </div>
            { pending.unwrap_or_default() }
            <pre class="code">{ text }</pre>
            { for snip.others().map(|(label, attach_to, text)| html! {
                <>
                    <h4>{ tp(lang, label, &[("principal", attach_to.to_string())]) }</h4>
                    <pre class="code">{ text }</pre>
                </>
            }) }
        </details>
    }
}
