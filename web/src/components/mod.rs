//! The page's components. They render the engine's report and dispatch
//! actions; no AWS rule is decided here.
//!
//! One file per component or view; this one holds the [`App`] and what
//! only it needs. The leaf views the guardrails panel shares (`editor`,
//! `findings`, `trace`) use neither this module nor the panel.

mod cost;
pub(crate) mod editor;
mod exercises;
pub(crate) mod findings;
mod fix;
mod header;
mod key_panel;
mod lifecycle;
mod notice;
mod results;
mod scenario;
mod snippet;
pub(crate) mod trace;
mod trace_view;
mod util;

use crate::browser;
use crate::derive::chosen;
use crate::share;
use crate::state::{Action, AppState, Notice, View};
use crate::t;
use crate::workspace::{restore_state, saved_state, PageState, Workspace};
use editor::EditorPane;
use exercises::{
    exercise_list, exercise_panel, exercise_workspace, open_exercises, ExerciseProps, ListProps,
};
use header::{header, HeaderProps};
use notice::{notice_bar, NoticeProps};
use results::{results_pane, ResultsProps};
use std::rc::Rc;
use util::owned;
use yew::prelude::*;

/// How long after the last change the policy checks run.
const CHECKS_SETTLE_MS: u32 = 400;

thread_local! {
    /// The policy checks waiting for typing to settle.
    static CHECKS_TIMER: std::cell::RefCell<Option<gloo::timers::callback::Timeout>> =
        const { std::cell::RefCell::new(None) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Listens (once) to the second module's rooms, which hand work back as
/// events on `window` whose `detail` is text: "Import from AWS" the file
/// it made, the policy checks a file with a counterexample added or a new
/// baseline (and its failures as findings of the editor's text), the
/// lifecycle panel the file after a step (or a file to download,
/// `NAME\nTEXT`).
fn listen_to_rooms(state: &UseReducerHandle<AppState>) {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    for name in [
        "kmsplay:import",
        "kmsplay:add-request",
        "kmsplay:baseline",
        "kmsplay:set-file",
        "kmsplay:download",
        "kmsplay:findings",
    ] {
        let state = state.clone();
        gloo::events::EventListener::new(&gloo::utils::window(), name, move |e| {
            let text = js_sys::Reflect::get(e, &"detail".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            match name {
                "kmsplay:baseline" => return state.dispatch(Action::MarkBaseline),
                // A lifecycle step or grant call: the file around the policy.
                "kmsplay:set-file" => {
                    if let Some(file) = kmsplay_playground::json_value(&text) {
                        state.dispatch(Action::SetFile(file));
                    }
                    return;
                }
                // The policy checks' failures, for the editor's list.
                "kmsplay:findings" => {
                    if let Some((policy, marks)) = crate::extras::checks_findings(&text) {
                        state.dispatch(Action::CheckFindings(policy, marks));
                    }
                    return;
                }
                "kmsplay:download" => {
                    if let Some((file_name, content)) = text.split_once('\n') {
                        browser::download(file_name, content);
                    }
                    return;
                }
                _ => {}
            }
            match Workspace::from_file_text(&text) {
                Ok(ws) if name == "kmsplay:import" => {
                    browser::set_query_param("exercise", None);
                    state.dispatch(Action::Imported(ws))
                }
                Ok(ws) => state.dispatch(Action::AddRequest(ws)),
                Err(e) => state.dispatch(Action::Notify(Notice {
                    id: e.id,
                    params: owned(&e.params),
                    error: true,
                })),
            }
        })
        .forget();
    }
}

/// Runs the policy checks of `file` (the playground file in effect; none
/// when the panel is not shown) a moment after the work last changed
/// (they take tens of milliseconds on a large policy: never on a
/// keystroke), in the second module, which renders them into
/// `#checks-room`: `policy` (the editor's text) against `baseline` (the
/// policy as loaded, imported or last marked).
fn schedule_checks(file: Option<&str>, baseline: &str, policy: &str, lang: kmsplay_messages::Lang) {
    let pending = file.map(|file| {
        let (file, baseline, policy) = (file.to_string(), baseline.to_string(), policy.to_string());
        gloo::timers::callback::Timeout::new(CHECKS_SETTLE_MS, move || {
            crate::extras::show_checks(baseline, file, policy, lang)
        })
    });
    CHECKS_TIMER.with(|t| *t.borrow_mut() = pending);
}

/// A callback that hands its value to the reducer as the action `action`
/// makes of it. `action` is a plain function (a variant of [`Action`], or a
/// closure that captures nothing), so every callback of one value type
/// shares one body: a closure each would be code each in the page's wasm.
fn reform<T: 'static>(state: &UseReducerHandle<AppState>, action: fn(T) -> Action) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(action(value)))
}

fn initial_state() -> AppState {
    let saved = browser::load_autosave();
    let restored = saved.as_deref().and_then(restore_state);
    let mut notice = None;
    if saved.is_some() && restored.is_none() {
        notice = Some(Notice {
            id: "ui.autosave.corrupt".into(),
            params: Vec::new(),
            error: true,
        });
    }
    let mut page = restored.unwrap_or_default();
    let lang = browser::initial_lang(page.lang);
    // A share link wins over the autosave: it is what the user just opened.
    // It holds the whole page state; links written before it did hold only
    // the playground file.
    if let Some(result) = share::decode(&browser::fragment()) {
        match result
            .map_err(|e| (e.message_id().to_string(), Vec::new()))
            .and_then(|text| match restore_state(&text) {
                Some(shared) => Ok(shared),
                None => Workspace::from_file_text(&text)
                    .map(|ws| PageState {
                        ws,
                        ..PageState::default()
                    })
                    .map_err(|e| (e.id, e.params)),
            }) {
            Ok(shared) => page = shared,
            Err((id, params)) => {
                notice = Some(Notice {
                    id,
                    params: owned(&params),
                    error: true,
                });
            }
        }
    }
    // A scenario's deep link: `?scenario=ID` (its parameters, which may be
    // the user's own, travel only in a share link's fragment).
    if let Some(id) = browser::query_param("scenario") {
        if chosen(&id).is_some() {
            if page.scenario != id {
                page.scenario = id;
                page.params.clear();
                page.key_overrides.clear();
                page.layer_edits.clear();
                page.selected = None;
            }
        } else {
            notice = Some(Notice {
                id: "ui.scenario.unknown".into(),
                params: vec![("id".into(), id)],
                error: true,
            });
        }
    }
    let mut state = AppState::new(page.ws, lang, page.scenario);
    state.params = page.params;
    state.key_overrides = page.key_overrides;
    state.layer_edits = page.layer_edits;
    state.selected = page.selected;
    if page.exercises {
        state.view = View::Exercises;
    }
    state.notice = notice;
    if let Some(id) = browser::query_param("exercise") {
        match crate::extras::exercise(&id) {
            Some(ex) => {
                state = AppState::new(exercise_workspace(&ex), lang, String::new());
                state.view = View::Exercise(ex.id.clone());
            }
            None => {
                state.notice = Some(Notice {
                    id: "ui.exercise.unknown".into(),
                    params: vec![("id".into(), id)],
                    error: true,
                })
            }
        }
    }
    state
}

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let lang = state.lang;
    let embed = use_memo((), |_| browser::embed_mode());

    // Everything is decided again on every change: that is the product.
    let derived = use_memo(
        (
            state.ws.clone(),
            state.scenario.clone(),
            state.params.clone(),
            state.key_overrides.clone(),
            state.layer_edits.clone(),
            lang,
        ),
        |(ws, scenario, params, overrides, layer_edits, lang)| {
            let started = browser::now_ms();
            let d = Rc::new(crate::derive::derive(
                ws,
                scenario,
                params,
                overrides,
                layer_edits,
                *lang,
            ));
            let elapsed = browser::now_ms() - started;
            (d, elapsed)
        },
    );

    let checks_shown = !*embed && state.view == View::Playground;
    {
        let state = state.clone();
        use_effect_with(
            (
                state.ws.clone(),
                state.scenario.clone(),
                lang,
                state.view.clone(),
                (
                    state.params.clone(),
                    state.key_overrides.clone(),
                    state.layer_edits.clone(),
                    state.selected,
                    state.baseline.clone(),
                    // The file in effect (the scenario's, around the pasted
                    // policy and its key, or the user's own): what is checked.
                    checks_shown.then(|| derived.0.file_text.clone()),
                ),
            ),
            move |(
                ws,
                scenario,
                lang,
                view,
                (params, key_overrides, layer_edits, selected, baseline, checked),
            )| {
                // One effect for all of this: each effect of its own costs
                // the page's wasm about a kilobyte.
                listen_to_rooms(&state);
                schedule_checks(checked.as_deref(), baseline, &ws.policy, *lang);
                match view {
                    // An exercise's work is kept apart from the playground's.
                    View::Exercise(id) => browser::save_exercise_work(id, &ws.to_file_text()),
                    _ => browser::save_autosave(&saved_state(&PageState {
                        ws: ws.clone(),
                        scenario: scenario.clone(),
                        params: params.clone(),
                        key_overrides: key_overrides.clone(),
                        layer_edits: layer_edits.clone(),
                        selected: *selected,
                        lang: Some(*lang),
                        exercises: *view == View::Exercises,
                    })),
                }
                // The address names the scenario on screen: a deep link.
                browser::set_query_param(
                    "scenario",
                    (!scenario.is_empty()).then_some(scenario.as_str()),
                );
            },
        );
    }
    // Only when the language changes: setting `<html lang>` (even to the
    // same value) makes the browser restyle the whole page, about 3.5 ms
    // a keystroke in a 32 KB policy.
    use_effect_with(lang, |lang| browser::set_document_lang(*lang));

    let (derived, elapsed) = &*derived;
    // Milliseconds with two decimals, written with integers: formatting a
    // float would bring 10 KB of float printing into the wasm.
    let hundredths = (elapsed * 100.0).round().max(0.0) as u64;
    let decide_ms = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    // What the user can do, each a callback made here from the one
    // reducer; the components are handed the ones they use.
    let on_notify = reform(&state, Action::Notify);
    let on_open = reform(&state, |(view, ws)| Action::Open(view, ws));
    let on_load = reform(&state, Action::Load);
    let on_replace_policy = reform(&state, Action::ReplacePolicy);
    let on_exercises = {
        let (on_open, on_notify) = (on_open.clone(), on_notify.clone());
        Callback::from(move |_| open_exercises(on_open.clone(), on_notify.clone()))
    };
    let on_share = {
        let (state, on_notify) = (state.clone(), on_notify.clone());
        Callback::from(move |_| header::share(&state, on_notify.clone()))
    };
    let on_export = {
        let state = state.clone();
        Callback::from(move |_| browser::download("playground.json", &state.ws.to_file_text()))
    };
    // Copied once a render and shared by the editor, the fixes and the
    // snippet panel.
    let policy: Rc<str> = state.ws.policy.as_str().into();
    // The policy checks' failures are shown while the editor holds the
    // text they were placed in.
    let check_marks = if state.check_findings.0 == state.ws.policy {
        state.check_findings.1.clone()
    } else {
        Vec::new()
    };
    let mut classes = classes!("page");
    if *embed {
        classes.push("embed");
    }
    html! {
        <div class={classes} data-decide-ms={decide_ms}>
            { header(&HeaderProps {
                lang, playground: state.view == View::Playground, embed: *embed,
                on_lang: reform(&state, Action::Lang), on_open: on_open.clone(),
                on_exercises: on_exercises.clone(), on_share, on_export, on_load: on_load.clone(),
                on_notify: on_notify.clone(),
            }) }
            if let Some(n) = &state.notice {
                { notice_bar(&NoticeProps { notice: n.clone(), lang, on_dismiss: reform(&state, |_| Action::Dismiss) }) }
            }
            if state.view == View::Exercises {
                { exercise_list(&ListProps { lang, on_open: on_open.clone() }) }
            } else {
            if let View::Exercise(id) = &state.view {
                { exercise_panel(&ExerciseProps {
                    lang, id, ws: &state.ws, hints: state.hints, solution_shown: state.solution_shown,
                    on_hint: reform(&state, |_| Action::Hint), on_show_solution: reform(&state, Action::ShowSolution),
                    on_back: on_exercises.clone(),
                }) }
            }
            <main class="layout">
                <section class="pane pane-editor" aria-label={t(lang, "ui.editor.label")}>
                    <EditorPane {lang} policy={policy.clone()} cursor={state.cursor} highlight={state.highlight}
                        can_undo={!state.undo.is_empty()} derived={derived.clone()} {check_marks}
                        on_edit_policy={reform(&state, Action::EditPolicy)} on_replace_policy={on_replace_policy.clone()}
                        on_cursor={reform(&state, Action::Cursor)} on_undo={reform(&state, |_| Action::Undo)}
                        on_notify={on_notify.clone()} />
                </section>
                <section class="pane pane-results" aria-label={t(lang, "ui.results.label")}>
                    { results_pane(&ResultsProps {
                        lang, derived, policy: &policy, rest: &state.ws.rest, scenario: &state.scenario,
                        params: &state.params, key_overrides: &state.key_overrides, selected: state.selected,
                        exercise: matches!(state.view, View::Exercise(_)), rest_text: &state.rest_text,
                        rest_error: state.rest_error.as_deref(),
                        on_scenario: reform(&state, Action::Scenario), on_edit_rest: reform(&state, Action::EditRest),
                        on_select: reform(&state, |(row, span)| Action::Select(row, span)),
                        on_param: reform(&state, |(name, value)| Action::Param(name, value)),
                        on_key_property: reform(&state, |(name, value)| Action::KeyProperty(name, value)),
                        on_replace_policy, on_edit_layer: reform(&state, |(source, text)| Action::EditLayer(source, text)),
                        on_load, on_add_organization: reform(&state, Action::AddOrganization),
                        on_notify: on_notify.clone(),
                    }) }
                </section>
            </main>
            if checks_shown {
                // Kept empty here: the second module renders into it.
                <section id="checks-room" class="pane checks-host" data-testid="checks-host"></section>
            }
            }
            if !*embed {
                <footer class="footer">
                    <p>{ t(lang, "ui.privacy") }</p>
                </footer>
            }
        </div>
    }
}
