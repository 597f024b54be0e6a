//! The chosen scenario: which key it runs for, and its parameters.

use super::cost::CostLine;
use crate::derive::{chosen, Derived, ParamOrigin};
use crate::{t, tp};
use kmsplay_lab::scenarios::Scenario;
use kmsplay_lab::user_key::KeyOrigin;
use kmsplay_messages::Lang;
use yew::prelude::*;

/// Borrowed: the form is a plain function the results pane calls while
/// it renders.
#[derive(PartialEq)]
pub(super) struct FormProps<'a> {
    pub(super) lang: Lang,
    /// The parameters in effect and what is wrong with them.
    pub(super) derived: &'a Derived,
    pub(super) scenario_id: &'static str,
    /// The values as typed (empty means the default).
    pub(super) params: &'a [(String, String)],
    /// A parameter was set: its name and value.
    pub(super) on_param: Callback<(String, String)>,
}

/// Which key the chosen scenario runs for, and which of its values are
/// still the documents' examples.
pub(super) fn scenario_key(lang: Lang, s: &Scenario, derived: &Derived) -> Html {
    let value = |name: &str| {
        derived
            .scenario_values
            .iter()
            .find(|v| v.name == name)
            .map(|v| (v.value.clone(), v.origin))
    };
    let Some((account, account_origin)) = value("key_account") else {
        return html! {};
    };
    let mut lines = Vec::new();
    match (&derived.user_key, account_origin) {
        (Some(k), ParamOrigin::UserKey) if k.origin == KeyOrigin::KeyArn => {
            let arn = derived.scenario_key_arn.clone().unwrap_or_default();
            lines.push(tp(lang, "ui.scenario.key.arn", &[("arn", arn)]));
        }
        (Some(_), ParamOrigin::UserKey) => {
            lines.push(tp(lang, "ui.scenario.key.root", &[("account", account)]));
            if let Some((region, ParamOrigin::UserKey)) = value("region") {
                lines.push(tp(lang, "ui.scenario.key.region", &[("region", region)]));
            }
        }
        (_, ParamOrigin::Default) => {
            lines.push(tp(lang, "ui.scenario.key.none", &[("account", account)]));
        }
        _ => {}
    }
    if account_origin != ParamOrigin::Default {
        let defaults: Vec<String> = ["region", "key_id"]
            .iter()
            .filter(|n| matches!(value(n), Some((_, ParamOrigin::Default))))
            .filter_map(|n| s.param(n))
            .map(|p| t(lang, p.label))
            .collect();
        if !defaults.is_empty() {
            lines.push(tp(
                lang,
                "ui.scenario.key.defaults",
                &[("names", defaults.join(", "))],
            ));
        }
    }
    if lines.is_empty() {
        return html! {};
    }
    html! { <p class="scenario-key muted" data-testid="scenario-key">{ lines.join(" ") }</p> }
}

/// The chosen scenario's parameters as a form; empty fields take the
/// documents' defaults (shown as placeholders).
pub(super) fn scenario_form(props: &FormProps<'_>) -> Html {
    let lang = props.lang;
    let Some(s) = chosen(props.scenario_id) else {
        return html! {};
    };
    html! {
        // Folded, open when a value is wrong: the rows come first.
        <details class="params" data-testid="scenario-params" open={!props.derived.param_errors.is_empty()}>
            <summary>{ tp(lang, "ui.scenario.params", &[("count", s.params.len().to_string())]) }</summary>
            <div class="params-grid">
                { for s.params.iter().map(|p| {
                    let on_param = props.on_param.clone();
                    let name = p.name.to_string();
                    // The value in effect is written in the field (not a
                    // grey placeholder that looks empty); its tag says
                    // whose it is. Emptying the field goes back to it.
                    let effect = props.derived.scenario_values.iter().find(|v| v.name == p.name);
                    let typed = props.params.iter().find(|(n, v)| *n == p.name && !v.trim().is_empty()).map(|(_, v)| v.clone());
                    let value = typed.clone().or_else(|| effect.map(|e| e.value.clone())).unwrap_or_default();
                    let origin = match effect.map(|e| e.origin) {
                        _ if typed.is_some() => "typed",
                        Some(ParamOrigin::UserKey) => "from-key",
                        _ => "default",
                    };
                    let id = format!("param-{}", p.name);
                    if p.kind == kmsplay_lab::scenarios::ParamKind::Bool {
                        // A yes/no setting (the S3 Bucket Key, say) is a
                        // checkbox, not free text.
                        let onchange = Callback::from(move |e: Event| {
                            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                            on_param.emit((name.clone(), input.checked().to_string()));
                        });
                        return html! {
                            <label class="param param-flag" for={id.clone()}>
                                <input id={id} type="checkbox" data-param={p.name} checked={value == "true"} {onchange} />
                                <span>{ t(lang, p.label) }{ " " }<small class={classes!("param-origin", origin)} data-origin={origin}>{ t(lang, &format!("ui.param.{origin}")) }</small></span>
                            </label>
                        };
                    }
                    let oninput = Callback::from(move |e: InputEvent| {
                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                        on_param.emit((name.clone(), input.value()));
                    });
                    html! {
                        <label class="param" for={id.clone()}>
                            <span>{ t(lang, p.label) }{ " " }<small class={classes!("param-origin", origin)} data-origin={origin}>{ t(lang, &format!("ui.param.{origin}")) }</small></span>
                            <input id={id} type="text" data-param={p.name} {value} {oninput} />
                        </label>
                    }
                }) }
            </div>
            { for props.derived.param_errors.iter().map(|e| html! { <p class="file-error" role="alert">{ e }</p> }) }
            if s.id.starts_with("cloudtrail-trail") {
                <CostLine {lang} />
            }
        </details>
    }
}
