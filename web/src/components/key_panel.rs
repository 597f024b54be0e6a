//! The key's state and spec.

use crate::t;
use kmsplay_messages::Lang;
use serde_json::Value;
use yew::prelude::*;

/// Borrowed: the panel is a plain function the results pane calls while
/// it renders.
#[derive(PartialEq)]
pub(super) struct KeyProps<'a> {
    pub(super) lang: Lang,
    /// The key's state in effect (`Enabled`, …).
    pub(super) key_state: &'a str,
    /// The key's spec in effect.
    pub(super) spec: &'a str,
    /// A key property (`state`, `spec`) was chosen: its name and value.
    pub(super) on_key_property: Callback<(String, String)>,
}

/// A key property in effect: the file's own (`rest`, the file around the
/// policy), or with a scenario chosen the one set over it, else `default`.
/// Read from the state, not by re-reading the whole file on every
/// keystroke.
pub(super) fn key_property<'a>(
    rest: &'a Value,
    key_overrides: &'a [(String, String)],
    scenario_mode: bool,
    name: &str,
    default: &'a str,
) -> &'a str {
    if scenario_mode {
        key_overrides
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(default, |(_, v)| v.as_str())
    } else {
        rest["key"][name].as_str().unwrap_or(default)
    }
}

/// The key's state and spec: what a transition does to every request.
pub(super) fn key_panel(props: &KeyProps<'_>) -> Html {
    let lang = props.lang;
    let (key_state, spec) = (props.key_state, props.spec);
    let select = |name: &'static str| {
        let on_key_property = props.on_key_property.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            on_key_property.emit((name.to_string(), value));
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
