//! The results pane: the scenario picker, a row per request, and the
//! panels that change what the requests meet.

use super::fix::FixOffer;
use super::key_panel::{key_panel, key_property, KeyProps};
use super::lifecycle::LifecyclePanel;
use super::scenario::{scenario_form, scenario_key, FormProps};
use super::snippet::SnippetPanel;
use super::trace_view::TraceLoader;
use crate::derive::{chosen, Derived, RequestNote};
use crate::guardrails::GuardrailsProps;
use crate::state::Notice;
use crate::workspace::Workspace;
use crate::{t, tp};
use kmsplay_messages::Lang;
use kmsplay_playground::answer::DecidedBy;
use kmsplay_playground::{PolicySource, RequestAnswer};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// A row to open with the span of its deciding statement to highlight,
/// or `(None, None)` to close the open one.
pub(super) type Selection = (Option<usize>, Option<(usize, usize)>);

/// What the results pane and the panels in it show, borrowed from the
/// state while the app renders, and what can be done there. Most of the
/// callbacks are handed on to the rows and panels.
#[derive(PartialEq)]
pub(super) struct ResultsProps<'a> {
    pub(super) lang: Lang,
    /// What was decided.
    pub(super) derived: &'a Rc<Derived>,
    /// The key policy as typed (fixes and snippets are worked out on it).
    pub(super) policy: &'a Rc<str>,
    /// The playground file around the policy (the key's own properties,
    /// the account an organization is started around).
    pub(super) rest: &'a Value,
    /// The chosen scenario's id ("" for the file's own requests).
    pub(super) scenario: &'a str,
    /// The scenario form's values as typed.
    pub(super) params: &'a [(String, String)],
    /// Key properties set over the scenario.
    pub(super) key_overrides: &'a [(String, String)],
    /// The selected result row.
    pub(super) selected: Option<usize>,
    /// An exercise is open (an empty file says what to do there).
    pub(super) exercise: bool,
    /// The advanced editor's text, as typed.
    pub(super) rest_text: &'a str,
    /// Why the advanced editor's text is not used (a message id and
    /// position, `id:line:column`), if it is not.
    pub(super) rest_error: Option<&'a str>,
    /// A scenario was chosen: its id ("" for the file's own requests).
    pub(super) on_scenario: Callback<String>,
    /// The advanced editor's text was typed.
    pub(super) on_edit_rest: Callback<String>,
    /// A row was opened (with the span to highlight) or closed (`None`).
    pub(super) on_select: Callback<Selection>,
    /// A scenario parameter was set: its name and value.
    pub(super) on_param: Callback<(String, String)>,
    /// A key property was set: its name and value.
    pub(super) on_key_property: Callback<(String, String)>,
    /// A fix or a snippet's merge changed the key policy.
    pub(super) on_replace_policy: Callback<String>,
    /// A guardrail policy was edited, or changed by a fix.
    pub(super) on_edit_layer: Callback<(PolicySource, String)>,
    /// A fix changed the file: the work with it applied.
    pub(super) on_load: Callback<Workspace>,
    /// An organization is started: the file's new organization.
    pub(super) on_add_organization: Callback<Value>,
    pub(super) on_notify: Callback<Notice>,
}

/// The scenario picker, a row per request, and the panels below them.
pub(super) fn results_pane(props: &ResultsProps<'_>) -> Html {
    let lang = props.lang;
    let scenario_mode = !props.scenario.is_empty();
    let body = match &props.derived.report {
        Err(message) => html! {
            <p class="file-error" data-testid="file-error" role="alert">{ message }</p>
        },
        Ok(report) => {
            let results = &report.results;
            let summary = &report.summary;
            if results.is_empty() {
                // Not "0 requests: 0 allowed…" over nothing: say what to do.
                let id = if props.exercise {
                    "ui.results.none-exercise"
                } else {
                    "ui.results.none"
                };
                html! { <p class="muted" data-testid="no-requests">{ t(lang, id) }</p> }
            } else {
                html! {
                    <>
                        <p class="summary" data-testid="summary">{ tp(lang, "cli.summary", &[
                            ("total", summary.total.to_string()), ("allowed", summary.allowed.to_string()),
                            ("denied", summary.denied.to_string()), ("met", summary.expect_met.to_string()),
                            ("failed", summary.expect_failed.to_string()),
                        ]) }</p>
                        <ol class="results" data-testid="results">
                            { for results.iter().enumerate().map(|(i, r)| html! {
                                { result_row(&RowProps {
                                    index: i, result: r, note: props.derived.notes.get(i), lang,
                                    selected: props.selected == Some(i), file_text: &props.derived.file_text,
                                    policy: props.policy, scenario_mode, on_select: &props.on_select,
                                    on_replace_policy: &props.on_replace_policy, on_edit_layer: &props.on_edit_layer,
                                    on_load: &props.on_load, on_notify: &props.on_notify,
                                }) }
                            }) }
                        </ol>
                    </>
                }
            }
        }
    };
    let on_scenario = {
        let on_scenario = props.on_scenario.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            on_scenario.emit(value);
        })
    };
    let on_rest = {
        let on_edit_rest = props.on_edit_rest.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_edit_rest.emit(area.value());
        })
    };
    let key = |name, default| {
        key_property(
            props.rest,
            props.key_overrides,
            scenario_mode,
            name,
            default,
        )
    };
    let rest_error = props.rest_error.map(|e| {
        let mut parts = e.split(':');
        let id = parts.next().unwrap_or_default().to_string();
        let line = parts.next().unwrap_or("1").to_string();
        let column = parts.next().unwrap_or("1").to_string();
        tp(lang, &id, &[("line", line), ("column", column)])
    });
    html! {
        <>
            <div class="pane-head">
                <h2>{ t(lang, "ui.results.title") }</h2>
                <label class="scenario">
                    <span>{ t(lang, "ui.scenario.label") }</span>
                    <select data-testid="scenario-picker" aria-label={t(lang, "ui.scenario.label")} onchange={on_scenario}>
                        <option value="" selected={!scenario_mode}>{ t(lang, "ui.scenario.file") }</option>
                        { for kmsplay_lab::scenarios::catalogue().iter().map(|s| html! {
                            <option value={s.id} selected={props.scenario == s.id}>{ t(lang, s.title) }</option>
                        }) }
                    </select>
                </label>
            </div>
            // The answer first: the scenario in one paragraph, the rows,
            // then what can be changed (its parameters, folded).
            if let Some(s) = chosen(props.scenario) {
                <p class="scenario-summary" data-testid="scenario-summary">{ t(lang, s.summary) }</p>
                { scenario_key(lang, s, props.derived) }
            }
            { body }
            if let Some(s) = chosen(props.scenario) {
                { scenario_form(&FormProps {
                    lang, derived: props.derived, scenario_id: s.id, params: props.params,
                    on_param: props.on_param.clone(),
                }) }
            }
            { key_panel(&KeyProps {
                lang, key_state: key("state", "Enabled"), spec: key("spec", "SYMMETRIC_DEFAULT"),
                on_key_property: props.on_key_property.clone(),
            }) }
            <LifecyclePanel {lang} derived={props.derived.clone()} {scenario_mode} />
            { crate::guardrails::panel(&GuardrailsProps {
                lang, derived: props.derived, selected: props.selected, scenario_mode, rest: props.rest,
                on_add_organization: props.on_add_organization.clone(),
                on_edit_layer: props.on_edit_layer.clone(),
            }) }
            if props.derived.snippet_given.is_some() {
                <SnippetPanel {lang} scenario={props.scenario.to_string()} derived={props.derived.clone()}
                    policy={props.policy.clone()} on_replace_policy={props.on_replace_policy.clone()}
                    on_notify={props.on_notify.clone()} />
            }
            <details class="advanced">
                <summary>{ t(lang, "ui.advanced.title") }</summary>
                <p class="muted">{ t(lang, "ui.advanced.help") }</p>
                <textarea class="advanced-input" data-testid="advanced-editor" spellcheck="false"
                    aria-label={t(lang, "ui.advanced.title")} value={props.rest_text.to_string()} oninput={on_rest} />
                if let Some(e) = rest_error {
                    <p class="file-error" role="alert">{ e }</p>
                }
            </details>
        </>
    }
}

/// One result row: what it shows, and what its buttons do (the pane's
/// callbacks, borrowed: most rows hand none of them on).
struct RowProps<'a> {
    index: usize,
    result: &'a RequestAnswer,
    note: Option<&'a RequestNote>,
    lang: Lang,
    /// The row is open.
    selected: bool,
    /// The playground file in effect (fixes and the trace read it).
    file_text: &'a str,
    /// The key policy as typed, and whether a scenario is chosen: what a
    /// fix is applied to.
    policy: &'a Rc<str>,
    scenario_mode: bool,
    on_select: &'a Callback<Selection>,
    /// What an applied fix changes (see `FixProps`).
    on_replace_policy: &'a Callback<String>,
    on_edit_layer: &'a Callback<(PolicySource, String)>,
    on_load: &'a Callback<Workspace>,
    on_notify: &'a Callback<Notice>,
}

fn result_row(props: &RowProps<'_>) -> Html {
    let r = props.result;
    let lang = props.lang;
    let decision = r.decision.as_str();
    let outcome = r.outcome.as_str();
    let selected = props.selected;
    let ok = r.succeeds();
    let expect_met = r.expect_met;
    // The mark says whether the request gets what it should: its
    // expectation when it has one, else success.
    let as_it_should = expect_met.unwrap_or(ok);
    // An expectation in the page's words: a decision by its name, a KMS
    // outcome as AWS names it.
    let expect_words = r.expect.map(|e| match e {
        "allowed" | "explicitDeny" | "implicitDeny" | "Success" => {
            t(lang, &format!("ui.expect.{e}"))
        }
        other => tp(lang, "ui.expect.outcome", &[("outcome", other.to_string())]),
    });
    // A scenario's request reads by what it does (its purpose); its name
    // in the file is an id. A file's own requests keep the name given.
    let purpose = props
        .note
        .and_then(|n| n.purpose.as_deref())
        .filter(|p| !p.is_empty());
    let title = purpose.unwrap_or(&r.name);
    let needs_fix = expect_met == Some(false);
    let decided = r.decided_by.as_ref().and_then(DecidedBy::key_policy_span);
    let onclick = {
        let on_select = props.on_select.clone();
        let index = props.index;
        Callback::from(move |_| {
            if selected {
                on_select.emit((None, None));
            } else {
                on_select.emit((Some(index), decided));
            }
        })
    };
    html! {
        <li class={classes!("result", if as_it_should { "ok" } else { "denied" }, selected.then_some("selected"))}
            data-testid="result-row" data-decision={decision} data-outcome={outcome} data-as-it-should={as_it_should.to_string()}>
            <button type="button" class="result-head" aria-expanded={selected.to_string()} onclick={onclick}>
                <span class="mark-icon" aria-hidden="true">{ if as_it_should { "✓" } else { "✗" } }</span>
                <span class="result-name" data-name={r.name.clone()}>{ title }</span>
                <span class={classes!("badge", format!("badge-{decision}"))}>{ t(lang, &format!("decision.{decision}")) }</span>
                <span class="outcome">{ outcome }</span>
                if let (Some(met), Some(words)) = (expect_met, expect_words) {
                    <span class={classes!("expect", if met { "expect-met" } else { "expect-failed" })}>
                        { tp(lang, if met { "ui.expect.met" } else { "ui.expect.failed" }, &[("expect", words)]) }
                    </span>
                }
            </button>
            if let (false, Some(c)) = (ok, props.note.and_then(|n| n.consequence.as_deref())) {
                <p class="consequence" data-testid="consequence">{ c }</p>
            }
            <p class="who">
                <code>{ &r.principal }</code>{ " → " }<code>{ &r.action }</code>
            </p>
            if !ok {
                { crate::guardrails::deciding_layer(r, lang) }
            }
            <ul class="reasons">
                { for r.reasons.iter().map(|reason| html! {
                    <li>{ &reason.message }</li>
                }) }
            </ul>
            if needs_fix {
                <FixOffer index={props.index} {lang} file_text={props.file_text.to_string()}
                    policy={props.policy.clone()} scenario_mode={props.scenario_mode}
                    on_replace_policy={props.on_replace_policy.clone()} on_edit_layer={props.on_edit_layer.clone()}
                    on_load={props.on_load.clone()} on_notify={props.on_notify.clone()} />
            }
            if selected {
                <div class="drill" data-testid="trace">
                    if decided.is_none() {
                        <p class="muted" data-testid="no-deciding-statement">{ t(lang, "ui.results.no-statement") }</p>
                    }
                    <TraceLoader index={props.index} lang={lang} file_text={props.file_text.to_string()} />
                </div>
            }
        </li>
    }
}
