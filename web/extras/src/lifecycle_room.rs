//! The lifecycle panel's content: grants, the key's lifecycle with its
//! clock, EventBridge rules over the events KMS sent, and the CloudTrail
//! records of the requests. A Yew app of this module's own, rendered into
//! `#lifecycle-room`, which the page's main module keeps empty for it
//! inside its folded "Lifecycle" section, so that the main module carries
//! none of it. What a step changes goes back to the main module as events
//! on `window` whose `detail` is text: `kmsplay:set-file` (the playground
//! file after the step) and `kmsplay:download` (`NAME\nTEXT`).

use std::rc::Rc;

use kmsplay_messages::{render, Lang};
use serde_json::Value;
use yew::prelude::*;

use crate::lifecycle::Step;
use crate::rooms::{send, show_in, Mounted};

/// The host element's id.
pub const HOST: &str = "lifecycle-room";
const SET_FILE: &str = "kmsplay:set-file";
const DOWNLOAD: &str = "kmsplay:download";

/// The panel's properties.
#[derive(Properties, PartialEq, Clone)]
pub struct LifecycleProps {
    /// The playground file (of the file, or of the scenario on screen).
    pub file_text: Rc<str>,
    /// True when the page shows the file's own requests (grant calls
    /// change the file; over a scenario they are not offered).
    pub file_mode: bool,
    /// The page's language.
    pub lang: Lang,
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// The panel.
#[function_component]
pub fn LifecycleRoom(props: &LifecycleProps) -> Html {
    let lang = props.lang;
    let t = |id: &str| render(lang, id, &[]);
    let tp = |id: &str, params: &[(&str, String)]| render(lang, id, params);
    let file_mode = props.file_mode;
    let last = use_state(|| None::<(Value, bool)>);
    let days = use_state(|| "7".to_string());
    let grantee = use_state(|| "arn:aws:iam::111111111111:user/Bob".to_string());
    let operations = use_state(|| "Decrypt".to_string());
    let subset = use_state(String::new);
    let grant_name = use_state(String::new);
    let file_text: Rc<str> = props.file_text.clone();
    let file: Value = kmsplay_playground::json_value(&file_text).unwrap_or_default();

    let step_callback = |step: Option<Step>, last: &UseStateHandle<Option<(Value, bool)>>| {
        if let Some(step) = step {
            last.set(Some((step.report.clone(), step.refused)));
            if !step.refused {
                send(SET_FILE, &kmsplay_playground::json_text(&step.file));
            }
        }
    };
    let action_button = |name: &'static str, with_days: bool| {
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
                crate::lifecycle::lifecycle(&file_text, name, d, lang),
                &last,
            );
        });
        html! { <button type="button" data-action={name} {onclick}>{ t( &format!("ui.lifecycle.action.{name}")) }</button> }
    };
    let on_create = {
        let (last, file_text) = (last.clone(), file_text.clone());
        let (grantee, operations, subset, grant_name) = (
            grantee.clone(),
            operations.clone(),
            subset.clone(),
            grant_name.clone(),
        );
        Callback::from(move |_| {
            let step = crate::lifecycle::create_grant(
                &file_text,
                &grantee,
                &operations,
                &subset,
                &grant_name,
                lang,
            );
            step_callback(step, &last);
        })
    };
    let field = |handle: &UseStateHandle<String>, testid: &'static str, label: &'static str| {
        let h = handle.clone();
        let onchange = Callback::from(move |e: Event| h.set(input_value(&e)));
        html! {
            <label class="param">
                <span>{ t( label) }</span>
                <input type="text" data-testid={testid} value={(**handle).clone()} {onchange} />
            </label>
        }
    };
    let grants = file["key"]["grants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let events = file["events"].as_array().cloned().unwrap_or_default();
    let rules = crate::lifecycle::rule_matches(&file_text, lang);
    let records = crate::lifecycle::records(&file_text);
    let records_text = kmsplay_playground::json_pretty(&Value::Array(records.clone()));
    // The main module downloads it (it has the page's download).
    let on_records = Callback::from(move |_| {
        send(
            DOWNLOAD,
            &format!("cloudtrail-records.json\n{records_text}"),
        )
    });
    html! {
        <div class="lifecycle-body">
            <p class="muted" data-testid="lifecycle-clock">{ {
                let key_state = ("state", file["key"]["state"].as_str().unwrap_or("Enabled").to_string());
                match file["clock"].as_str() {
                    Some(clock) => tp( "ui.lifecycle.clock", &[("clock", clock.to_string()), key_state]),
                    // Before the first step the file has no simulated time.
                    None => tp( "ui.lifecycle.no-clock", &[key_state]),
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
                    <span>{ t( "ui.lifecycle.days") }</span>
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
                        <p>{ tp( "ui.lifecycle.changed", &[("before", before.to_string()), ("after", report["after"].as_str().unwrap_or_default().to_string())]) }</p>
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
                        <p>{ tp( "ui.grants.created", &[("id", report["GrantId"].as_str().unwrap_or_default().to_string()), ("token", token.to_string())]) }</p>
                    }
                </div>
            }
            <h4>{ t( "ui.grants.title") }</h4>
            if !file_mode {
                <p class="muted">{ t( "ui.grants.file-only") }</p>
            }
            <ul class="grants" data-testid="grants">
                { for grants.iter().map(|g| {
                    let try_it = {
                        let (g, file) = (g.clone(), file.clone());
                        Callback::from(move |_| {
                            send(SET_FILE, &kmsplay_playground::json_text(&crate::lifecycle::try_grant(&file, &g)))
                        })
                    };
                    let revoke = {
                        let (last, file_text) = (last.clone(), file_text.clone());
                        let id = g["id"].as_str().unwrap_or_default().to_string();
                        Callback::from(move |_| step_callback(crate::lifecycle::revoke_grant(&file_text, &id, lang), &last))
                    };
                    html! {
                        <li data-testid="grant" data-pending={g["pending"].as_bool().unwrap_or(false).to_string()}>
                            <code>{ g["id"].as_str().unwrap_or_default() }</code>{ " → " }<code>{ g["grantee"].as_str().unwrap_or_default() }</code>
                            { format!(" {}", kmsplay_playground::json_text(&g["operations"])) }
                            if g["pending"] == true {
                                <span class="badge">{ t( "ui.grants.pending") }</span>
                            }
                            <button type="button" data-testid="grant-try" disabled={!file_mode} onclick={try_it}>{ t( "ui.grants.try") }</button>
                            <button type="button" data-testid="grant-revoke" disabled={!file_mode} onclick={revoke}>{ t( "ui.grants.revoke") }</button>
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
                <button type="button" data-testid="grant-create" onclick={on_create}>{ t( "ui.grants.create") }</button>
            }
            <h4>{ tp( "ui.events.title", &[("count", events.len().to_string())]) }</h4>
            <ul data-testid="rules">
                { for rules.iter().map(|r| html! {
                    <li data-testid="rule">
                        <code>{ r["name"].as_str().unwrap_or_default() }</code>{ ": " }
                        if let Some(e) = r["error"].as_str() {
                            <span class="file-error">{ tp( "ui.events.invalid", &[("line", kmsplay_playground::json_text(&r["line"])), ("column", kmsplay_playground::json_text(&r["column"])), ("error", e.to_string())]) }</span>
                        } else {
                            { tp( "ui.events.matches", &[("count", r["matches"].as_array().map_or(0, Vec::len).to_string())]) }
                        }
                    </li>
                }) }
            </ul>
            if rules.is_empty() {
                <p class="muted">{ t( "ui.events.no-rules") }</p>
            }
            <h4>{ tp( "ui.records.title", &[("count", records.len().to_string())]) }</h4>
            <button type="button" data-testid="records-download" onclick={on_records}>{ t( "ui.records.download") }</button>
            <pre class="code" data-testid="records">{ kmsplay_playground::json_pretty(&Value::Array(records.iter().take(3).cloned().collect())) }</pre>
        </div>
    }
}

thread_local! {
    static APP: Mounted<LifecycleRoom> = const { std::cell::RefCell::new(None) };
}

/// Shows the panel for `file_text` in the host element (once the main
/// module has rendered it).
pub fn show(file_text: &str, file_mode: bool, lang: Lang) -> bool {
    let props = LifecycleProps {
        file_text: Rc::from(file_text),
        file_mode,
        lang,
    };
    show_in(&APP, HOST, props)
}
