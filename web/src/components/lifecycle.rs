//! Grants, the key's lifecycle, EventBridge rules and CloudTrail records.

use super::util::{extras_pending, input_value, PaneProps};
use crate::browser;
use crate::state::{Action, AppState};
use crate::{t, tp};
use serde_json::Value;
use yew::prelude::*;

/// Grants, the key's lifecycle with its clock, EventBridge rules over the
/// events KMS sent, and the CloudTrail records of the requests.
#[component]
pub(super) fn LifecyclePanel(props: &PaneProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let opened = use_state(|| false);
    let last = use_state(|| None::<(Value, bool)>);
    let days = use_state(|| "7".to_string());
    let grantee = use_state(|| "arn:aws:iam::111111111111:user/Bob".to_string());
    let operations = use_state(|| "Decrypt".to_string());
    let subset = use_state(String::new);
    let grant_name = use_state(String::new);
    let on_summary = {
        let opened = opened.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            opened.set(!*opened);
        })
    };
    let loaded = use_state(|| 0u32);
    if !*opened {
        // Closed: nothing is computed (it would re-read the file on every
        // keystroke). Every hook above runs either way, as Yew requires.
        return html! {
            <details class="lifecycle" data-testid="lifecycle">
                <summary onclick={on_summary}>{ t(lang, "ui.lifecycle.title") }</summary>
            </details>
        };
    }
    // The panel's work is done by the page's second module.
    if let Some(waiting) = extras_pending(lang, &loaded) {
        return html! {
            <details class="lifecycle" data-testid="lifecycle" open=true>
                <summary onclick={on_summary}>{ t(lang, "ui.lifecycle.title") }</summary>
                { waiting }
            </details>
        };
    }
    let file_text = props.derived.file_text.clone();
    let file: Value = kmsplay_playground::json_value(&file_text).unwrap_or_default();
    let file_mode = state.scenario.is_empty();

    let step_callback = |step: Option<crate::extras::Step>,
                         state: &UseReducerHandle<AppState>,
                         last: &UseStateHandle<Option<(Value, bool)>>| {
        if let Some(step) = step {
            last.set(Some((step.report.clone(), step.refused)));
            if !step.refused {
                state.dispatch(Action::SetFile(step.file));
            }
        }
    };
    let action_button = |name: &'static str, with_days: bool| {
        let state = state.clone();
        let last = last.clone();
        let days = days.clone();
        let file_text = file_text.clone();
        let onclick = Callback::from(move |_| {
            let d = if with_days {
                days.parse::<i64>().ok()
            } else {
                None
            };
            step_callback(
                crate::extras::lifecycle(&file_text, name, d, state.lang),
                &state,
                &last,
            );
        });
        html! { <button type="button" data-action={name} {onclick}>{ t(lang, &format!("ui.lifecycle.action.{name}")) }</button> }
    };
    let on_create = {
        let (state, last, file_text) = (state.clone(), last.clone(), file_text.clone());
        let (grantee, operations, subset, grant_name) = (
            grantee.clone(),
            operations.clone(),
            subset.clone(),
            grant_name.clone(),
        );
        Callback::from(move |_| {
            let step = crate::extras::create_grant(
                &file_text,
                &grantee,
                &operations,
                &subset,
                &grant_name,
                state.lang,
            );
            step_callback(step, &state, &last);
        })
    };
    let field = |handle: &UseStateHandle<String>, testid: &'static str, label: &'static str| {
        let h = handle.clone();
        let onchange = Callback::from(move |e: Event| h.set(input_value(&e)));
        html! {
            <label class="param">
                <span>{ t(lang, label) }</span>
                <input type="text" data-testid={testid} value={(**handle).clone()} {onchange} />
            </label>
        }
    };
    let grants = file["key"]["grants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let events = file["events"].as_array().cloned().unwrap_or_default();
    let rules = crate::extras::rule_matches(&file_text, lang);
    let records = crate::extras::records(&file_text);
    let records_text = kmsplay_playground::json_pretty(&Value::Array(records.clone()));
    let on_records =
        Callback::from(move |_| browser::download("cloudtrail-records.json", &records_text));
    html! {
        <details class="lifecycle" data-testid="lifecycle" open=true>
            <summary onclick={on_summary}>{ t(lang, "ui.lifecycle.title") }</summary>
            <p class="muted" data-testid="lifecycle-clock">{ {
                let key_state = ("state", file["key"]["state"].as_str().unwrap_or("Enabled").to_string());
                match file["clock"].as_str() {
                    Some(clock) => tp(lang, "ui.lifecycle.clock", &[("clock", clock.to_string()), key_state]),
                    // Before the first step the file has no simulated time.
                    None => tp(lang, "ui.lifecycle.no-clock", &[key_state]),
                }
            } }</p>
            <div class="toolbar">
                { action_button("disable", false) }
                { action_button("enable", false) }
                { action_button("schedule-deletion", true) }
                { action_button("cancel-deletion", false) }
                { action_button("rotate", false) }
                { action_button("expire-import", false) }
                { action_button("wait", true) }
                <label class="param days">
                    <span>{ t(lang, "ui.lifecycle.days") }</span>
                    <input type="number" min="1" max="400" data-testid="lifecycle-days" value={(*days).clone()}
                        onchange={{ let d = days.clone(); Callback::from(move |e: Event| d.set(input_value(&e))) }} />
                </label>
            </div>
            if let Some((report, refused)) = &*last {
                <div class={classes!("step", refused.then_some("refused"))} data-testid="lifecycle-step">
                    if let Some(m) = report["message"].as_str() {
                        <p>{ m }</p>
                    }
                    if let Some(before) = report["before"].as_str() {
                        <p>{ tp(lang, "ui.lifecycle.changed", &[("before", before.to_string()), ("after", report["after"].as_str().unwrap_or_default().to_string())]) }</p>
                    }
                    <ul class="consequences" data-testid="lifecycle-consequences">
                        { for report["consequences"].as_object().into_iter().flatten().flat_map(|(_, list)| list.as_array().cloned().unwrap_or_default()).map(|c| html! {
                            <li>{ c["message"].as_str().unwrap_or_default() }</li>
                        }) }
                    </ul>
                    if report["events"].as_array().is_some_and(|e| !e.is_empty()) {
                        <pre class="code" data-testid="lifecycle-events">{ kmsplay_playground::json_pretty(&report["events"]) }</pre>
                    }
                    if let Some(token) = report["GrantToken"].as_str() {
                        <p>{ tp(lang, "ui.grants.created", &[("id", report["GrantId"].as_str().unwrap_or_default().to_string()), ("token", token.to_string())]) }</p>
                    }
                </div>
            }
            <h4>{ t(lang, "ui.grants.title") }</h4>
            if !file_mode {
                <p class="muted">{ t(lang, "ui.grants.file-only") }</p>
            }
            <ul class="grants" data-testid="grants">
                { for grants.iter().map(|g| {
                    let try_it = {
                        let (state, g, file) = (state.clone(), g.clone(), file.clone());
                        Callback::from(move |_| {
                            if let Some(file) = crate::extras::try_grant(&file, &g) {
                                state.dispatch(Action::SetFile(file));
                            }
                        })
                    };
                    let revoke = {
                        let (state, last, file_text) = (state.clone(), last.clone(), file_text.clone());
                        let id = g["id"].as_str().unwrap_or_default().to_string();
                        Callback::from(move |_| step_callback(crate::extras::revoke_grant(&file_text, &id, state.lang), &state, &last))
                    };
                    html! {
                        <li data-testid="grant" data-pending={g["pending"].as_bool().unwrap_or(false).to_string()}>
                            <code>{ g["id"].as_str().unwrap_or_default() }</code>{ " → " }<code>{ g["grantee"].as_str().unwrap_or_default() }</code>
                            { format!(" {}", kmsplay_playground::json_text(&g["operations"])) }
                            if g["pending"] == true {
                                <span class="badge">{ t(lang, "ui.grants.pending") }</span>
                            }
                            <button type="button" data-testid="grant-try" disabled={!file_mode} onclick={try_it}>{ t(lang, "ui.grants.try") }</button>
                            <button type="button" data-testid="grant-revoke" disabled={!file_mode} onclick={revoke}>{ t(lang, "ui.grants.revoke") }</button>
                        </li>
                    }
                }) }
            </ul>
            if file_mode {
                <div class="params-grid">
                    { field(&grantee, "grant-grantee", "ui.grants.grantee") }
                    { field(&operations, "grant-operations", "ui.grants.operations") }
                    { field(&subset, "grant-constraint", "ui.grants.constraint") }
                    { field(&grant_name, "grant-name", "ui.grants.name") }
                </div>
                <button type="button" data-testid="grant-create" onclick={on_create}>{ t(lang, "ui.grants.create") }</button>
            }
            <h4>{ tp(lang, "ui.events.title", &[("count", events.len().to_string())]) }</h4>
            <ul data-testid="rules">
                { for rules.iter().map(|r| html! {
                    <li data-testid="rule">
                        <code>{ r["name"].as_str().unwrap_or_default() }</code>{ ": " }
                        if let Some(e) = r["error"].as_str() {
                            <span class="file-error">{ tp(lang, "ui.events.invalid", &[("line", kmsplay_playground::json_text(&r["line"])), ("column", kmsplay_playground::json_text(&r["column"])), ("error", e.to_string())]) }</span>
                        } else {
                            { tp(lang, "ui.events.matches", &[("count", r["matches"].as_array().map_or(0, Vec::len).to_string())]) }
                        }
                    </li>
                }) }
            </ul>
            if rules.is_empty() {
                <p class="muted">{ t(lang, "ui.events.no-rules") }</p>
            }
            <h4>{ tp(lang, "ui.records.title", &[("count", records.len().to_string())]) }</h4>
            <button type="button" data-testid="records-download" onclick={on_records}>{ t(lang, "ui.records.download") }</button>
            <pre class="code" data-testid="records">{ kmsplay_playground::json_pretty(&Value::Array(records.iter().take(3).cloned().collect())) }</pre>
        </details>
    }
}
