//! The results pane: the scenario picker, a row per request, and the
//! panels that change what the requests meet.

use super::fix::FixOffer;
use super::key_panel::key_panel;
use super::lifecycle::LifecyclePanel;
use super::scenario::{scenario_form, scenario_key, FormProps};
use super::snippet::SnippetPanel;
use super::trace_view::TraceLoader;
use super::util::PaneProps;
use crate::derive::{chosen, RequestNote};
use crate::state::{Action, AppState, View};
use crate::{t, tp};
use kmsplay_playground::answer::DecidedBy;
use kmsplay_playground::RequestAnswer;
use yew::prelude::*;

/// The byte span of the key-policy statement that decided a result.
pub(super) fn results_pane(props: &PaneProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let body = match &props.derived.report {
        Err(message) => html! {
            <p class="file-error" data-testid="file-error" role="alert">{ message }</p>
        },
        Ok(report) => {
            let results = &report.results;
            let summary = &report.summary;
            if results.is_empty() {
                // Not "0 requests: 0 allowed…" over nothing: say what to do.
                let id = if matches!(state.view, View::Exercise(_)) {
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
                                { result_row(&RowProps { index: i, result: r, note: props.derived.notes.get(i), state, file_text: &props.derived.file_text }) }
                            }) }
                        </ol>
                    </>
                }
            }
        }
    };
    let on_scenario = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            state.dispatch(Action::Scenario(value));
        })
    };
    let on_rest = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::EditRest(area.value()));
        })
    };
    let rest_error = state.rest_error.as_ref().map(|e| {
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
                        <option value="" selected={state.scenario.is_empty()}>{ t(lang, "ui.scenario.file") }</option>
                        { for kmsplay_lab::scenarios::catalogue().iter().map(|s| html! {
                            <option value={s.id} selected={state.scenario == s.id}>{ t(lang, s.title) }</option>
                        }) }
                    </select>
                </label>
            </div>
            // The answer first: the scenario in one paragraph, the rows,
            // then what can be changed (its parameters, folded).
            if let Some(s) = chosen(&state.scenario) {
                <p class="scenario-summary" data-testid="scenario-summary">{ t(lang, s.summary) }</p>
                { scenario_key(lang, s, &props.derived) }
            }
            { body }
            if let Some(s) = chosen(&state.scenario) {
                { scenario_form(&FormProps { state: state.clone(), derived: props.derived.clone(), scenario_id: s.id }) }
            }
            { key_panel(&PaneProps { state: state.clone(), derived: props.derived.clone() }) }
            <LifecyclePanel state={state.clone()} derived={props.derived.clone()} />
            { crate::guardrails::panel(state, &props.derived) }
            if props.derived.snippet_given.is_some() {
                <SnippetPanel state={state.clone()} derived={props.derived.clone()} />
            }
            <details class="advanced">
                <summary>{ t(lang, "ui.advanced.title") }</summary>
                <p class="muted">{ t(lang, "ui.advanced.help") }</p>
                <textarea class="advanced-input" data-testid="advanced-editor" spellcheck="false"
                    aria-label={t(lang, "ui.advanced.title")} value={state.rest_text.clone()} oninput={on_rest} />
                if let Some(e) = rest_error {
                    <p class="file-error" role="alert">{ e }</p>
                }
            </details>
        </>
    }
}

/// One result row: what it shows, and the state its buttons change.
struct RowProps<'a> {
    index: usize,
    result: &'a RequestAnswer,
    note: Option<&'a RequestNote>,
    state: &'a UseReducerHandle<AppState>,
    file_text: &'a str,
}

fn result_row(props: &RowProps<'_>) -> Html {
    let r = props.result;
    let lang = props.state.lang;
    let decision = r.decision.as_str();
    let outcome = r.outcome.as_str();
    let selected = props.state.selected == Some(props.index);
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
        let state = props.state.clone();
        let index = props.index;
        Callback::from(move |_| {
            if state.selected == Some(index) {
                state.dispatch(Action::Select(None, None));
            } else {
                state.dispatch(Action::Select(Some(index), decided));
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
                <FixOffer index={props.index} state={props.state.clone()} file_text={props.file_text.to_string()} />
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
