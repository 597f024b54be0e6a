//! The key's state and spec.

use super::util::PaneProps;
use crate::state::Action;
use crate::t;
use yew::prelude::*;

/// The key's state and spec: what a transition does to every request.
pub(super) fn key_panel(props: &PaneProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    // From the state, not by re-reading the whole file on every keystroke.
    let current = |name: &str, default: &str| -> String {
        if state.scenario.is_empty() {
            state.ws.rest["key"][name]
                .as_str()
                .unwrap_or(default)
                .to_string()
        } else {
            state
                .key_overrides
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map_or_else(|| default.to_string(), |(_, v)| v.clone())
        }
    };
    let key_state = current("state", "Enabled");
    let spec = current("spec", "SYMMETRIC_DEFAULT");
    let select = |name: &'static str| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            state.dispatch(Action::KeyProperty(name.to_string(), value));
        })
    };
    html! {
        <div class="key-panel" data-testid="key-panel">
            <label>
                <span>{ t(lang, "ui.key.state") }</span>
                <select data-testid="key-state" onchange={select("state")}>
                    // Every state the engine knows, from the engine.
                    { for kmsplay_kms::catalogue::KeyState::ALL.iter().map(|s| s.as_str()).map(|s| html! { <option value={s} selected={key_state == s}>{ s }</option> }) }
                </select>
            </label>
            <label>
                <span>{ t(lang, "ui.key.spec") }</span>
                <select data-testid="key-spec" onchange={select("spec")}>
                    { for kmsplay_kms::catalogue::KEY_SPECS.iter().map(|k| html! { <option value={k.name} selected={spec == k.name}>{ k.name }</option> }) }
                </select>
            </label>
        </div>
    }
}
