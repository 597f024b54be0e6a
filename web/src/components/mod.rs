//! The page's components. They render the engine's report and dispatch
//! actions; no AWS rule is decided here.

use crate::browser;
use crate::derive::{chosen, Derived, Mark, ParamOrigin, RequestNote};
use crate::highlight::{matching_bracket, runs};
use crate::share;
use crate::state::{Action, AppState, Notice, View};
use crate::workspace::{restore_state, saved_state, PageState, Workspace};
use crate::{t, tp};
use kmsplay_lab::scenarios::Scenario;
use kmsplay_lab::user_key::KeyOrigin;
use kmsplay_messages::Lang;
use kmsplay_playground::answer::{ContextAnswer, DecidedBy, StatementAnswer};
use kmsplay_playground::RequestAnswer;
use kmsplay_policy::ContextValue;
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

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
                ),
            ),
            move |(ws, scenario, lang, view, (params, key_overrides, layer_edits, selected))| {
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
    let mut classes = classes!("page");
    if *embed {
        classes.push("embed");
    }
    html! {
        <div class={classes} data-decide-ms={decide_ms}>
            { header(&HeaderProps { state: state.clone(), embed: *embed }) }
            if let Some(n) = &state.notice {
                { notice_bar(&NoticeProps { notice: n.clone(), lang, state: state.clone() }) }
            }
            if state.view == View::Exercises {
                { exercise_list(&ListProps { state: state.clone() }) }
            } else {
            if let View::Exercise(id) = &state.view {
                { exercise_panel(&ExerciseProps { state: state.clone(), id: id.clone() }) }
            }
            <main class="layout">
                <section class="pane pane-editor" aria-label={t(lang, "ui.editor.label")}>
                    <EditorPane state={state.clone()} derived={derived.clone()} />
                </section>
                <section class="pane pane-results" aria-label={t(lang, "ui.results.label")}>
                    { results_pane(&PaneProps { state: state.clone(), derived: derived.clone() }) }
                </section>
            </main>
            }
            if !*embed {
                <footer class="footer">
                    <p>{ t(lang, "ui.privacy") }</p>
                </footer>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HeaderProps {
    state: UseReducerHandle<AppState>,
    embed: bool,
}

fn header(props: &HeaderProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(l) = Lang::from_tag(&value) {
                let state = state.clone();
                let picker: web_sys::HtmlSelectElement = e.target_unchecked_into();
                crate::loader::with_lang(l, move |loaded| {
                    if loaded {
                        state.dispatch(Action::Lang(l));
                    } else {
                        // The picker shows the language the page is in.
                        picker.set_value(state.lang.tag());
                        state.dispatch(Action::Notify(Notice {
                            id: "ui.lang.load-failed".into(),
                            params: Vec::new(),
                            error: true,
                        }));
                    }
                });
            }
        })
    };
    let on_playground = {
        let state = state.clone();
        Callback::from(move |_| {
            if state.view != View::Playground {
                let restored = browser::load_autosave()
                    .as_deref()
                    .and_then(restore_state)
                    .map(|p| p.ws)
                    .unwrap_or_else(Workspace::default_example);
                // Leaving an exercise: the address no longer names it.
                browser::set_query_param("exercise", None);
                state.dispatch(Action::Open(View::Playground, Some(restored)));
            }
        })
    };
    let on_exercises = {
        let state = state.clone();
        Callback::from(move |_| open_exercises(state.clone()))
    };
    let on_share = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            let page = saved_state(&PageState {
                ws: state.ws.clone(),
                scenario: state.scenario.clone(),
                params: state.params.clone(),
                key_overrides: state.key_overrides.clone(),
                layer_edits: state.layer_edits.clone(),
                selected: state.selected,
                lang: Some(state.lang),
                exercises: state.view == View::Exercises,
            });
            crate::extras::share_fragment(page, move |fragment| {
                let Some(fragment) = fragment else {
                    state.dispatch(Action::Notify(Notice {
                        id: "ui.extras.failed".into(),
                        params: Vec::new(),
                        error: true,
                    }));
                    return;
                };
                browser::set_share_url(&fragment, state.lang);
                browser::copy(&browser::href());
                state.dispatch(Action::Notify(Notice {
                    id: "ui.share.copied".into(),
                    params: Vec::new(),
                    error: false,
                }));
            })
        })
    };
    let on_export = {
        let state = state.clone();
        Callback::from(move |_| browser::download("playground.json", &state.ws.to_file_text()))
    };
    let on_import = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let state = state.clone();
            let reader = web_sys::FileReader::new().expect("FileReader");
            let reader_in = reader.clone();
            let onload = wasm_bindgen::closure::Closure::once(move || {
                let text = reader_in
                    .result()
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match Workspace::from_file_text(&text) {
                    Ok(ws) => state.dispatch(Action::Load(ws)),
                    Err(e) => state.dispatch(Action::Notify(Notice {
                        id: e.id,
                        params: owned(&e.params),
                        error: true,
                    })),
                }
            });
            reader.set_onload(Some(onload.as_ref().unchecked_ref()));
            onload.forget();
            let _ = reader.read_as_text(&file);
            input.set_value("");
        })
    };
    html! {
        <header class="header">
            <h1 class="title">{ t(lang, "ui.title") }</h1>
            if !props.embed {
                <p class="tagline">{ t(lang, "ui.tagline") }</p>
            }
            <nav class="tabs" aria-label={t(lang, "ui.tabs.label")}>
                <button type="button" data-testid="tab-playground" aria-current={(state.view == View::Playground).then_some("page")} onclick={on_playground}>{ t(lang, "ui.tabs.playground") }</button>
                <button type="button" data-testid="tab-exercises" aria-current={(state.view != View::Playground).then_some("page")} onclick={on_exercises}>{ t(lang, "ui.tabs.exercises") }</button>
            </nav>
            <div class="toolbar">
                <label class="lang">
                    <span class="visually-hidden">{ t(lang, "ui.lang.label") }</span>
                    <select data-testid="lang-picker" onchange={on_lang} aria-label={t(lang, "ui.lang.label")}>
                        // Each language by its own name, from the catalogue
                        // on screen: the other one may not be loaded yet.
                        { for Lang::ALL.iter().map(|l| html! {
                            <option value={l.tag()} selected={*l == lang}>{ t(lang, &format!("ui.lang.name.{}", l.tag())) }</option>
                        }) }
                    </select>
                </label>
                <button type="button" data-testid="share" onclick={on_share}>{ t(lang, "ui.share") }</button>
                <button type="button" data-testid="export" onclick={on_export}>{ t(lang, "ui.export") }</button>
                <label class="button">
                    { t(lang, "ui.import") }
                    <input type="file" accept=".json,application/json" data-testid="import" class="visually-hidden" onchange={on_import} />
                </label>
            </div>
            <p class="privacy-badge" data-testid="privacy">{ t(lang, "ui.privacy.short") }</p>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct NoticeProps {
    notice: Notice,
    lang: Lang,
    state: UseReducerHandle<AppState>,
}

fn notice_bar(props: &NoticeProps) -> Html {
    let dismiss = {
        let state = props.state.clone();
        Callback::from(move |_| state.dispatch(Action::Dismiss))
    };
    let class = if props.notice.error {
        "notice notice-error"
    } else {
        "notice"
    };
    html! {
        <div class={class} role="status" data-testid="notice">
            <span>{ tp(props.lang, &props.notice.id, &props.notice.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect::<Vec<_>>()) }</span>
            <button type="button" onclick={dismiss} aria-label={t(props.lang, "ui.dismiss")}>{ "×" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PaneProps {
    state: UseReducerHandle<AppState>,
    derived: Rc<Derived>,
}

#[component]
fn EditorPane(props: &PaneProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let text = state.ws.policy.clone();
    let marks = props.derived.marks.clone();
    // Only the lines in view (and a margin) are coloured: a 32 KB policy
    // has thousands of tokens, and re-rendering them all on every
    // keystroke would not fit in a frame. Spacers keep the scroll height.
    let scroll = use_state(|| (0i32, 900i32));
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_count = line_starts.len();
    let first = ((scroll.0 / LINE_PX) - MARGIN_LINES).max(0) as usize;
    let first = first.min(line_count);
    let last = (((scroll.0 + scroll.1) / LINE_PX) + MARGIN_LINES).max(0) as usize;
    let last = last.clamp(first, line_count);
    let from = line_starts.get(first).copied().unwrap_or(text.len());
    let to = line_starts.get(last).copied().unwrap_or(text.len());
    let shown = &text[from..to];
    let shift = |pos: usize| pos.checked_sub(from).filter(|p| *p <= shown.len());
    // The marks that touch the lines in view, in the shown text's offsets,
    // with what their underline shows.
    let visible_marks: Vec<VisibleMark> = marks
        .iter()
        .filter(|m| !(m.end < from || m.start > to))
        .map(|m| VisibleMark {
            start: m.start.saturating_sub(from).min(shown.len()),
            end: m.end.saturating_sub(from).min(shown.len()),
            severity: m.severity.clone(),
            message: m.message.clone(),
        })
        .collect();
    let brackets = matching_bracket(&text, state.cursor).map(|(a, b)| {
        (
            shift(a).unwrap_or(usize::MAX / 2),
            shift(b).unwrap_or(usize::MAX / 2),
        )
    });
    let highlight = state
        .highlight
        .map(|(s, e)| (s.saturating_sub(from), e.saturating_sub(from)));
    // The overlay follows only from the lines in view, their marks, the
    // matched brackets and the highlighted span: a keystroke outside the
    // view (or a re-render for the results' sake) reuses the pieces, and
    // each line keeps its `Rc`, so Yew skips it on a pointer comparison.
    let lines = use_memo(
        (shown.to_string(), visible_marks, brackets, highlight),
        |(shown, marks, brackets, highlight)| overlay_lines(shown, marks, *brackets, *highlight),
    );
    // The textarea is not a controlled input: setting 32 KB of text back
    // into it on every keystroke costs a full re-layout. Its value is
    // written only when the state differs (a fix, an undo, an import).
    let area_ref = use_node_ref();
    {
        let area_ref = area_ref.clone();
        let text = text.clone();
        use_effect_with(text, move |text| {
            if let Some(area) = area_ref.cast::<web_sys::HtmlTextAreaElement>() {
                if area.value() != *text {
                    area.set_value(text);
                }
            }
        });
    }
    let top_spacer = use_node_ref();
    let bottom_spacer = use_node_ref();
    let gutter_top = use_node_ref();
    let gutter_bottom = use_node_ref();
    {
        let refs = [
            (top_spacer.clone(), first),
            (bottom_spacer.clone(), line_count - last),
            (gutter_top.clone(), first),
            (gutter_bottom.clone(), line_count - last),
        ];
        use_effect(move || {
            // Heights through the CSSOM: the Content-Security-Policy
            // forbids inline style attributes.
            for (node, lines) in refs {
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    let _ = el
                        .style()
                        .set_property("height", &format!("{}px", lines as i32 * LINE_PX));
                }
            }
            sync_editor_scroll();
        });
    }

    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            // A policy pasted on one line (as the console and the CLI print
            // it) would show only its tail: it is formatted at once, and
            // Undo gives it back exactly as pasted.
            // Read without trusting the type: a script (or a test) may send
            // a plain `input` Event, which has no inputType.
            let pasted = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|v| v.as_string())
                .is_some_and(|t| t == "insertFromPaste");
            let long = pasted && text.lines().any(|l| l.len() > 160);
            let formatted = long
                .then(|| {
                    Workspace {
                        policy: text.clone(),
                        rest: Value::Null,
                    }
                    .formatted_policy()
                })
                .flatten();
            state.dispatch(Action::EditPolicy(text));
            if let Some(f) = formatted {
                // Written here as well: when the formatted text equals what
                // the editor last rendered (the same policy pasted back on
                // one line), the render sees no change and would leave the
                // pasted line in the textarea.
                area.set_value(&f);
                state.dispatch(Action::ReplacePolicy(f));
                state.dispatch(Action::Notify(Notice {
                    id: "ui.format.on-paste".into(),
                    params: Vec::new(),
                    error: false,
                }));
            }
        })
    };
    // Tab indents, as in code editors; Esc then Tab (or Shift+Tab) leaves
    // the editor, so keyboard users are never trapped.
    let escaped = use_mut_ref(|| false);
    let on_keydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Escape" {
                *escaped.borrow_mut() = true;
                return;
            }
            let leave = std::mem::take(&mut *escaped.borrow_mut());
            if key != "Tab" || leave || e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key()
            {
                return;
            }
            e.prevent_default();
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(start);
            let (a, b) = (
                browser::utf16_to_byte(&text, start),
                browser::utf16_to_byte(&text, end),
            );
            let new = format!("{}  {}", &text[..a], &text[b..]);
            area.set_value(&new);
            let _ = area.set_selection_range(start + 2, start + 2);
            state.dispatch(Action::EditPolicy(new));
            state.dispatch(Action::Cursor(a + 2));
        })
    };
    let on_caret = {
        let state = state.clone();
        move |area: web_sys::HtmlTextAreaElement| {
            let value = area.value();
            let pos = area.selection_start().ok().flatten().unwrap_or(0);
            state.dispatch(Action::Cursor(browser::utf16_to_byte(&value, pos)));
        }
    };
    let on_keyup = {
        let on_caret = on_caret.clone();
        Callback::from(move |e: KeyboardEvent| on_caret(e.target_unchecked_into()))
    };
    let on_click = Callback::from(move |e: MouseEvent| on_caret(e.target_unchecked_into()));
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            sync_editor_scroll();
            let now = (area.scroll_top(), area.client_height().max(LINE_PX));
            // Re-render only when the lines in view change enough.
            if (now.0 - scroll.0).abs() >= LINE_PX * (MARGIN_LINES / 2) || now.1 != scroll.1 {
                scroll.set(now);
            }
        })
    };
    let on_format = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(f) = state.ws.formatted_policy() {
                state.dispatch(Action::ReplacePolicy(f));
            } else {
                state.dispatch(Action::Notify(Notice {
                    id: "ui.format.invalid".into(),
                    params: Vec::new(),
                    error: true,
                }));
            }
        })
    };
    let on_undo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Undo))
    };
    html! {
        <>
            <div class="pane-head">
                <h2>{ t(lang, "ui.editor.title") }</h2>
                <div class="toolbar">
                    <button type="button" data-testid="format" onclick={on_format}>{ t(lang, "ui.format") }</button>
                    <button type="button" data-testid="undo" onclick={on_undo} disabled={state.undo.is_empty()}>{ t(lang, "ui.undo") }</button>
                </div>
            </div>
            <div class="editor">
                <div class="editor-gutter" aria-hidden="true">
                    // Keyed: the spacers' heights are set outside Yew (by
                    // the effect above), so an unkeyed diff that turned a
                    // former spacer into a line number would keep its
                    // height (0 px) and shift every number below it.
                    <div class="spacer" key="top" ref={gutter_top}></div>
                    { for (first + 1..=last.max(first + 1).min(line_count)).map(|n| html! { <div key={n}>{ n }</div> }) }
                    <div class="spacer" key="bottom" ref={gutter_bottom}></div>
                </div>
                <div class="editor-body">
                    <pre class="editor-highlight" aria-hidden="true">
                        <span class="spacer" ref={top_spacer}></span>
                        { for lines.iter().map(|pieces| html! { <LineView pieces={pieces.clone()} /> }) }
                        { "\n" }
                        <span class="spacer" ref={bottom_spacer}></span>
                    </pre>
                    <textarea
                        class="editor-input"
                        data-testid="policy-editor"
                        aria-label={t(lang, "ui.editor.label")}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        ref={area_ref.clone()}
                        aria-describedby="editor-keys"
                        oninput={on_input}
                        onkeydown={on_keydown}
                        onkeyup={on_keyup}
                        onclick={on_click}
                        onscroll={on_scroll}
                    />
                </div>
            </div>
            <p class="muted editor-keys" id="editor-keys">{ t(lang, "ui.editor.keys") }</p>
            { findings(&FindingsProps { state: state.clone(), marks }) }
        </>
    }
}

/// A coloured piece of one line of the editor's overlay. `Eq`, so that
/// comparing two `Rc<[Piece]>` starts with their pointers.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    text: String,
    class: String,
    title: Option<String>,
}

/// A mark in the lines in view: offsets in the shown text, and what its
/// underline shows.
#[derive(Clone, PartialEq)]
pub(crate) struct VisibleMark {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) severity: String,
    pub(crate) message: String,
}

/// The overlay's pieces grouped by line: each line is a component, so a
/// change re-renders only the lines whose pieces changed.
pub(crate) fn overlay_lines(
    shown: &str,
    marks: &[VisibleMark],
    brackets: Option<(usize, usize)>,
    highlight: Option<(usize, usize)>,
) -> Vec<Rc<[Piece]>> {
    let ranges: Vec<(usize, usize)> = marks.iter().map(|m| (m.start, m.end)).collect();
    let mut lines: Vec<Rc<[Piece]>> = Vec::new();
    let mut line: Vec<Piece> = Vec::new();
    for r in runs(shown, &ranges, brackets) {
        let mut class = String::from(r.token.class());
        let mut title = None;
        if let Some(i) = r.mark {
            class.push_str(" mark mark-");
            class.push_str(&marks[i].severity);
            title = Some(marks[i].message.clone());
        }
        if r.bracket {
            class.push_str(" bracket-match");
        }
        if highlight.is_some_and(|(s, e)| r.start >= s && r.end <= e) {
            class.push_str(" decided");
        }
        let mut rest = &shown[r.start..r.end];
        while let Some(nl) = rest.find('\n') {
            line.push(Piece {
                text: rest[..=nl].to_string(),
                class: class.clone(),
                title: title.clone(),
            });
            lines.push(std::mem::take(&mut line).into());
            rest = &rest[nl + 1..];
        }
        if !rest.is_empty() {
            line.push(Piece {
                text: rest.to_string(),
                class,
                title,
            });
        }
    }
    lines.push(line.into());
    lines
}

#[derive(Properties, PartialEq)]
pub(crate) struct LineProps {
    pub(crate) pieces: Rc<[Piece]>,
}

/// One line of the overlay; unchanged lines are not re-rendered.
#[component]
pub(crate) fn LineView(props: &LineProps) -> Html {
    html! {
        <>
            { for props.pieces.iter().map(|p| {
                let class = if p.class.is_empty() { None } else { Some(p.class.clone()) };
                html! { <span class={class} title={p.title.clone()}>{ &p.text }</span> }
            }) }
        </>
    }
}

/// Height of one editor line in pixels (the CSS sets the same).
const LINE_PX: i32 = 20;
/// Lines coloured above and below the visible ones.
const MARGIN_LINES: i32 = 8;

/// Scrolls the coloured copy and the line numbers with the textarea.
fn sync_editor_scroll() {
    let doc = gloo::utils::document();
    let Some(area) = doc
        .query_selector("[data-testid=policy-editor]")
        .ok()
        .flatten()
    else {
        return;
    };
    let (top, left) = (area.scroll_top(), area.scroll_left());
    for sel in [".editor-highlight", ".editor-gutter"] {
        if let Some(el) = doc.query_selector(sel).ok().flatten() {
            el.set_scroll_top(top);
            if sel == ".editor-highlight" {
                el.set_scroll_left(left);
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct FindingsProps {
    state: UseReducerHandle<AppState>,
    marks: Vec<Mark>,
}

fn findings(props: &FindingsProps) -> Html {
    let lang = props.state.lang;
    html! {
        <div class="findings" data-testid="findings">
            <h3>{ tp(lang, "ui.findings.title", &[("count", props.marks.len().to_string())]) }</h3>
            if props.marks.is_empty() {
                <p class="muted">{ t(lang, "ui.findings.none") }</p>
            }
            <ul>
                { for props.marks.iter().map(|m| {
                    let state = props.state.clone();
                    let (start, end) = (m.start, m.end);
                    let onclick = Callback::from(move |_| browser::focus_editor_at(&state.ws.policy, start, end));
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

/// The byte span of the key-policy statement that decided a result.
fn results_pane(props: &PaneProps) -> Html {
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

#[derive(Properties, PartialEq)]
struct LoaderProps {
    index: usize,
    lang: Lang,
    file_text: String,
}

/// Computes the full trace of one request only when its row is open.
#[component]
fn TraceLoader(props: &LoaderProps) -> Html {
    let lang = props.lang;
    let trace = use_memo(
        (props.file_text.clone(), props.index, lang),
        |(text, index, lang)| kmsplay_playground::request_trace(text, *index, *lang).map(Rc::new),
    );
    match &*trace {
        Some(result) => trace_view(&TraceProps {
            result: result.clone(),
            lang,
        }),
        None => html! {},
    }
}

/// A policy's statements in a trace: whether each applies, and why. In a
/// limiting policy (an SCP, a boundary, a session policy) a statement
/// without `Principal` limits the caller rather than granting to them.
pub(crate) fn trace_statements(list: &[StatementAnswer], lang: Lang, limit: bool) -> Html {
    html! {
        <ul class="trace-statements">
            { for list.iter().map(|s| {
                let number = (s.statement + 1).to_string();
                let label = match &s.sid {
                    Some(sid) => tp(lang, "trace.statement-sid", &[("statement", number), ("sid", sid.clone())]),
                    None => tp(lang, "trace.statement", &[("statement", number)]),
                };
                html! {
                    <li class={classes!(if s.applies { "applies" } else { "not-applies" })}>
                        <strong>{ label }</strong>{ format!(" [{}] ", s.effect.unwrap_or("?")) }{ t(lang, s.verdict()) }
                        <div class="trace-parts">
                            { match s.principal {
                                "owner" if limit => t(lang, "trace.principal.limit"),
                                p => t(lang, &format!("trace.principal.{p}")),
                            } }{ "; " }
                            { t(lang, if s.action { "trace.action.match" } else { "trace.action.no-match" }) }{ "; " }
                            { t(lang, if s.resource { "trace.resource.match" } else { "trace.resource.no-match" }) }
                        </div>
                        <ul class="trace-conditions">
                            { for s.conditions.iter().map(|c| {
                                let request = match &c.request_values {
                                    Some(v) => json_strings(v),
                                    None => t(lang, "trace.condition.missing"),
                                };
                                let id = if c.result { "trace.condition.true" } else { "trace.condition.false" };
                                html! { <li><code>{ tp(lang, id, &[
                                    ("operator", c.operator.clone()),
                                    ("key", c.key.clone()),
                                    ("request", request),
                                    ("policy", json_strings(&c.policy_values)),
                                ]) }</code></li> }
                            }) }
                        </ul>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Strings as a compact JSON list, as the trace shows condition values.
fn json_strings(values: &[String]) -> String {
    let mut out = String::from("[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        kmsplay_json::write_string(v, &mut out);
    }
    out.push(']');
    out
}

#[derive(Properties, PartialEq)]
struct TraceProps {
    result: Rc<RequestAnswer>,
    lang: Lang,
}

fn trace_view(props: &TraceProps) -> Html {
    let lang = props.lang;
    let Some(trace) = &props.result.trace else {
        return html! {};
    };
    html! {
        <>
            <h4>{ t(lang, "trace.key-policy") }</h4>
            { trace_statements(&trace.key_policy, lang, false) }
            { for trace.identity_policies.iter().map(|ip| html! {
                <>
                    <h4>{ tp(lang, "trace.identity-policy", &[
                        ("policy", (ip.policy + 1).to_string()),
                        ("identity", ip.identity.clone()),
                    ]) }</h4>
                    { trace_statements(&ip.statements, lang, false) }
                </>
            }) }
            if !trace.grants.is_empty() {
                <h4>{ t(lang, "trace.grants") }</h4>
                <ul>
                    { for trace.grants.iter().map(|g| html! {
                        <li>{ tp(lang, "trace.grant", &[("grant", g.grant.clone())]) }{ ": " }{ t(lang, g.verdict()) }</li>
                    }) }
                </ul>
            }
            if let Some(g) = &trace.guardrails {
                { crate::guardrails::trace(g, lang) }
            }
            <h4>{ t(lang, "trace.context") }</h4>
            <pre class="context">{ context_text(&trace.context) }</pre>
        </>
    }
}

/// The request's condition keys as pretty JSON, as the trace shows them.
fn context_text(context: &ContextAnswer) -> String {
    let object = context
        .0
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ContextValue::Single(s) => Value::String(s.clone()),
                ContextValue::Multi(m) => {
                    Value::Array(m.iter().cloned().map(Value::String).collect())
                }
            };
            (k.clone(), value)
        })
        .collect();
    kmsplay_playground::json_pretty(&Value::Object(object))
}

#[derive(Properties, PartialEq)]
struct FormProps {
    state: UseReducerHandle<AppState>,
    derived: Rc<Derived>,
    scenario_id: &'static str,
}

/// Which key the chosen scenario runs for, and which of its values are
/// still the documents' examples.
fn scenario_key(lang: Lang, s: &Scenario, derived: &Derived) -> Html {
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
fn scenario_form(props: &FormProps) -> Html {
    let lang = props.state.lang;
    let Some(s) = chosen(props.scenario_id) else {
        return html! {};
    };
    html! {
        // Folded, open when a value is wrong: the rows come first.
        <details class="params" data-testid="scenario-params" open={!props.derived.param_errors.is_empty()}>
            <summary>{ tp(lang, "ui.scenario.params", &[("count", s.params.len().to_string())]) }</summary>
            <div class="params-grid">
                { for s.params.iter().map(|p| {
                    let state = props.state.clone();
                    let name = p.name.to_string();
                    // The value in effect is written in the field (not a
                    // grey placeholder that looks empty); its tag says
                    // whose it is. Emptying the field goes back to it.
                    let effect = props.derived.scenario_values.iter().find(|v| v.name == p.name);
                    let typed = props.state.params.iter().find(|(n, v)| *n == p.name && !v.trim().is_empty()).map(|(_, v)| v.clone());
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
                            state.dispatch(Action::Param(name.clone(), input.checked().to_string()));
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
                        state.dispatch(Action::Param(name.clone(), input.value()));
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

/// The statements the scenario needs: copy them, or add the missing ones
/// to the policy (never changing what is there; undoable).
#[component]
fn SnippetPanel(props: &PaneProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let loaded = use_state(|| 0u32);
    // Worked out by the page's second module, from the values the results
    // use (so for the user's own account), once it is loaded; once per
    // scenario and values, not on every keystroke in the policy.
    let ready = crate::extras::availability() == crate::extras::Availability::Ready;
    let snip = use_memo(
        (
            state.scenario.clone(),
            props.derived.snippet_given.clone(),
            ready,
        ),
        |(scenario, given, ready)| match (ready, given) {
            (true, Some(given)) => crate::extras::snippet(scenario, given).unwrap_or_default(),
            _ => Value::Null,
        },
    );
    if props.derived.snippet_given.is_none() {
        return html! {};
    }
    let pending = extras_pending(lang, &loaded);
    let text = snip["text"].as_str().unwrap_or_default().to_string();
    let on_copy = {
        let text = text.clone();
        let state = state.clone();
        Callback::from(move |_| {
            browser::copy(&text);
            state.dispatch(Action::Notify(Notice {
                id: "ui.snippet.copied".into(),
                params: Vec::new(),
                error: false,
            }));
        })
    };
    let on_merge = {
        let state = state.clone();
        let statements = snip["statements"].as_array().cloned().unwrap_or_default();
        Callback::from(move |_| {
            let notice = match crate::extras::merge(&state.ws.policy, &statements) {
                Some(m) if m["text"].is_string() => {
                    state.dispatch(Action::ReplacePolicy(
                        m["text"].as_str().unwrap_or_default().to_string(),
                    ));
                    Notice {
                        id: "ui.snippet.merged".into(),
                        params: vec![
                            ("added".into(), kmsplay_playground::json_text(&m["added"])),
                            (
                                "skipped".into(),
                                kmsplay_playground::json_text(&m["skipped"]),
                            ),
                            ("filled".into(), kmsplay_playground::json_text(&m["filled"])),
                        ],
                        error: false,
                    }
                }
                Some(m) => Notice {
                    id: m["error"].as_str().unwrap_or_default().to_string(),
                    params: owned(&crate::extras::params(&m["params"])),
                    error: true,
                },
                None => Notice {
                    id: "ui.extras.failed".into(),
                    params: Vec::new(),
                    error: true,
                },
            };
            state.dispatch(Action::Notify(notice));
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
            { for snip["others"].as_array().into_iter().flatten().map(|o| html! {
                <>
                    <h4>{ tp(lang, o["label"].as_str().unwrap_or_default(), &[("principal", o["attach_to"].as_str().unwrap_or_default().to_string())]) }</h4>
                    <pre class="code">{ o["text"].as_str().unwrap_or_default() }</pre>
                </>
            }) }
        </details>
    }
}

/// The workspace an exercise opens with: the learner's saved work, or the
/// exercise's starting file.
fn exercise_workspace(ex: &crate::extras::Exercise) -> Workspace {
    browser::load_exercise_work(&ex.id)
        .and_then(|text| Workspace::from_file_text(&text).ok())
        .or_else(|| Workspace::from_file_text(&kmsplay_playground::json_text(&ex.start)).ok())
        .unwrap_or_else(Workspace::default_example)
}

#[derive(Properties, PartialEq)]
struct ListProps {
    state: UseReducerHandle<AppState>,
}

/// Every exercise with its level and whether it is solved.
fn exercise_list(props: &ListProps) -> Html {
    let lang = props.state.lang;
    let solved = browser::solved_exercises();
    let all = crate::extras::exercise_catalogue();
    html! {
        <main class="exercises pane" data-testid="exercise-list">
            <h2>{ t(lang, "ui.exercises.title") }</h2>
            <p class="muted">{ tp(lang, "ui.exercises.progress", &[("solved", solved.iter().filter(|s| all.iter().any(|e| &e.id == *s)).count().to_string()), ("total", all.len().to_string())]) }</p>
            <ol>
                { for all.iter().map(|ex| {
                    let state = props.state.clone();
                    let ex2 = ex.clone();
                    let done = solved.contains(&ex.id);
                    let onclick = Callback::from(move |_| state.dispatch(Action::Open(View::Exercise(ex2.id.clone()), Some(exercise_workspace(&ex2)))));
                    html! {
                        <li class={classes!("exercise-item", done.then_some("solved"))} data-testid="exercise-item" data-id={ex.id.clone()} data-solved={done.to_string()}>
                            <button type="button" {onclick}>
                                <span class="mark-icon" aria-hidden="true">{ if done { "✓" } else { "○" } }</span>
                                <span class="result-name">{ t(lang, &ex.title) }</span>
                                <span class="badge">{ t(lang, &ex.level) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ExerciseProps {
    state: UseReducerHandle<AppState>,
    id: String,
}

/// An open exercise: brief, goals checked live as the learner types,
/// hints on request, the solution after a confirm.
fn exercise_panel(props: &ExerciseProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let Some(ex) = crate::extras::exercise(&props.id) else {
        return html! {};
    };
    let identity_policies: Vec<(usize, usize, String)> = state.ws.rest["identities"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(i, id)| {
            id["policies"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(j, p)| {
                    let text = p
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| kmsplay_playground::json_pretty(p));
                    (i, j, text)
                })
        })
        .collect();
    let checklist =
        crate::extras::exercise_check(&ex.id, &state.ws.policy, &identity_policies, lang);
    if checklist.all_met && !state.solution_shown {
        browser::mark_solved(&ex.id);
    }
    let on_hint = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Hint))
    };
    let on_solution = {
        let state = state.clone();
        let solution = ex.solution.clone();
        Callback::from(move |_| {
            if browser::confirm(&t(state.lang, "ui.exercise.confirm-solution")) {
                state.dispatch(Action::ShowSolution(solution.clone()));
            }
        })
    };
    let on_back = {
        let state = state.clone();
        Callback::from(move |_| open_exercises(state.clone()))
    };
    html! {
        <section class="exercise pane" data-testid="exercise" data-id={ex.id.clone()} data-all-met={checklist.all_met.to_string()}>
            <div class="pane-head">
                <h2>{ t(lang, &ex.title) }</h2>
                <button type="button" onclick={on_back}>{ t(lang, "ui.exercise.back") }</button>
            </div>
            <p class="brief">{ t(lang, &ex.brief) }</p>
            <h3>{ tp(lang, "ui.exercise.goals", &[("met", checklist.goals.iter().filter(|g| g.met).count().to_string()), ("total", checklist.goals.len().to_string())]) }</h3>
            <ul class="goals" data-testid="goals">
                { for checklist.goals.iter().map(|g| html! {
                    <li class={classes!("goal", if g.met { "met" } else { "unmet" })} data-testid="goal" data-met={g.met.to_string()}>
                        <span class="mark-icon" aria-hidden="true">{ if g.met { "✓" } else { "✗" } }</span>
                        <span>{ t(lang, &g.text_id) }</span>
                        if let (false, Some(d)) = (g.met, &g.detail) {
                            <span class="goal-detail">{ d }</span>
                        }
                    </li>
                }) }
            </ul>
            if checklist.all_met {
                <p class="solved" role="status" data-testid="solved">{ t(lang, "ui.exercise.solved") }</p>
            }
            <ol class="hints">
                { for ex.hints.iter().take(state.hints).map(|h| html! { <li data-testid="hint">{ t(lang, h) }</li> }) }
            </ol>
            <div class="toolbar">
                <button type="button" data-testid="hint-button" onclick={on_hint} disabled={state.hints >= ex.hints.len()}>{ t(lang, "ui.exercise.hint") }</button>
                <button type="button" data-testid="solution-button" onclick={on_solution}>{ t(lang, "ui.exercise.solution") }</button>
            </div>
        </section>
    }
}

/// The key's state and spec: what a transition does to every request.
fn key_panel(props: &PaneProps) -> Html {
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
    const STATES: [&str; 6] = [
        "Enabled",
        "Disabled",
        "PendingDeletion",
        "PendingImport",
        "Unavailable",
        "Deleted",
    ];
    html! {
        <div class="key-panel" data-testid="key-panel">
            <label>
                <span>{ t(lang, "ui.key.state") }</span>
                <select data-testid="key-state" onchange={select("state")}>
                    { for STATES.iter().map(|s| html! { <option value={*s} selected={key_state == *s}>{ *s }</option> }) }
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

/// While the page's second module (`crate::extras`) is not loaded: what to
/// show instead of a panel's content, having asked for it (`loaded` is
/// bumped when it arrives or fails, to render again). `None` once loaded.
fn extras_pending(lang: Lang, loaded: &UseStateHandle<u32>) -> Option<Html> {
    match crate::extras::availability() {
        crate::extras::Availability::Ready => None,
        crate::extras::Availability::Loading => {
            let loaded = loaded.clone();
            crate::extras::load(move || loaded.set(*loaded + 1));
            Some(
                html! { <p class="muted" role="status" data-testid="extras-loading">{ t(lang, "ui.extras.loading") }</p> },
            )
        }
        crate::extras::Availability::Failed => {
            let loaded = loaded.clone();
            let retry = Callback::from(move |_| {
                let loaded = loaded.clone();
                crate::extras::load(move || loaded.set(*loaded + 1));
            });
            Some(html! {
                <p class="file-error" data-testid="extras-failed" role="alert">
                    { t(lang, "ui.extras.failed") }{ " " }
                    <button type="button" onclick={retry}>{ t(lang, "ui.extras.retry") }</button>
                </p>
            })
        }
    }
}

/// Opens the list of exercises once they (and the second module, which
/// reads them) are loaded; says so when they cannot be.
fn open_exercises(state: UseReducerHandle<AppState>) {
    crate::loader::with_exercises(move |loaded| {
        state.dispatch(if loaded {
            browser::set_query_param("exercise", None);
            Action::Open(View::Exercises, None)
        } else {
            Action::Notify(Notice {
                id: "ui.extras.failed".into(),
                params: Vec::new(),
                error: true,
            })
        })
    })
}

/// Message parameters with owned names, as a [`Notice`] keeps them.
fn owned(params: &[(&str, String)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// Grants, the key's lifecycle with its clock, EventBridge rules over the
/// events KMS sent, and the CloudTrail records of the requests.
#[component]
fn LifecyclePanel(props: &PaneProps) -> Html {
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

/// Where the policy text stops being JSON (line and column), if it does.
fn json_error_at(policy: &str) -> Option<(String, String)> {
    let e = kmsplay_json::parse(policy).err()?;
    let pos = kmsplay_json::LineIndex::new(policy).position(e.span.start);
    Some((pos.line.to_string(), pos.column.to_string()))
}

#[derive(Properties, PartialEq)]
struct FixProps {
    index: usize,
    state: UseReducerHandle<AppState>,
    file_text: String,
}

/// For a request that does not get what it expects: the smallest changes
/// that make it, each checked by the engine first, applied with one click
/// (and undone with Undo); or, for an unwanted allow, what lets it through.
#[component]
fn FixOffer(props: &FixProps) -> Html {
    let lang = props.state.lang;
    let open = use_state(|| false);
    let loaded = use_state(|| 0u32);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let pending = if *open {
        extras_pending(lang, &loaded)
    } else {
        None
    };
    let ready = *open && pending.is_none();
    let offer = use_memo(
        (props.file_text.clone(), props.index, ready),
        |(text, index, ready)| {
            if *ready {
                crate::extras::fix_offer(text, *index).unwrap_or_default()
            } else {
                Value::Null
            }
        },
    );
    let list = offer["fixes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let culprits = offer["culprits"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    html! {
        <div class="fixes" data-testid="fixes">
            <button type="button" data-testid="fix-suggest" aria-expanded={open.to_string()} onclick={toggle}>{ t(lang, "ui.fix.suggest") }</button>
            if let Some(waiting) = pending {
                { waiting }
            } else if *open {
                if let Some((line, column)) = json_error_at(&props.state.ws.policy) {
                    // No change to the policy's statements can be checked
                    // while its text is not JSON: that comes first.
                    <p class="file-error" data-testid="fix-json-first">{ tp(lang, "ui.fix.json-first", &[("line", line), ("column", column)]) }</p>
                } else if list.is_empty() && culprits.is_empty() {
                    <p class="muted">{ t(lang, "ui.fix.none") }</p>
                }
                { for culprits.iter().map(|c| html! {
                    <p class="culprit" data-testid="culprit">{ tp(lang, &format!("culprit.{}", c["code"].as_str().unwrap_or_default()), &crate::extras::params(&c["params"])) }</p>
                }) }
                { for list.iter().enumerate().map(|(n, fix)| {
                    let state = props.state.clone();
                    let file_text = props.file_text.clone();
                    let index = props.index;
                    let code = fix["code"].as_str().unwrap_or_default();
                    let target = fix["target"].as_str().unwrap_or_default();
                    let identity = target == "identity-policy";
                    let layer = fix["path"].as_str().and_then(kmsplay_playground::PolicySource::from_path);
                    let params = crate::extras::params(&fix["params"]);
                    let diff = fix["diff"].as_str().unwrap_or_default();
                    let apply = Callback::from(move |_| {
                        let scenario_mode = !state.scenario.is_empty();
                        if scenario_mode && identity {
                            state.dispatch(Action::Notify(Notice { id: "ui.fix.file-only".into(), params: Vec::new(), error: true }));
                            return;
                        }
                        let applied = crate::extras::fix_apply(&file_text, index, n)
                            .and_then(|text| Workspace::from_file_text(&text).ok());
                        match applied {
                            // Over a scenario, a guardrail's new text is an
                            // edit of that layer (kept like the panel's),
                            // and the key policy changes only if the fix
                            // changed it too.
                            Some(ws) if scenario_mode && layer.is_some() => {
                                let source = layer.clone().expect("checked");
                                let mut file = ws.to_file_value();
                                let text = crate::derive::layer_slot(&mut file, &source).map(|slot| match slot {
                                    Value::String(s) => s.clone(),
                                    other => kmsplay_playground::json_pretty(other),
                                });
                                if ws.policy != state.ws.policy {
                                    state.dispatch(Action::ReplacePolicy(ws.policy.clone()));
                                }
                                match text {
                                    Some(text) => state.dispatch(Action::EditLayer(source, text)),
                                    None => state.dispatch(Action::Notify(Notice { id: "ui.fix.failed".into(), params: Vec::new(), error: true })),
                                }
                            }
                            Some(ws) if scenario_mode => state.dispatch(Action::ReplacePolicy(ws.policy)),
                            Some(ws) => state.dispatch(Action::Load(ws)),
                            None => state.dispatch(Action::Notify(Notice { id: "ui.fix.failed".into(), params: Vec::new(), error: true })),
                        }
                    });
                    html! {
                        <div class="fix" data-testid="fix" data-code={code.to_string()} data-target={target.to_string()}>
                            <p class="fix-title">{ tp(lang, &format!("fix.{code}.title"), &params) }</p>
                            <p class="muted">{ tp(lang, &format!("fix.{code}.detail"), &params) }</p>
                            if !diff.is_empty() {
                                <pre class="code diff">{ diff }</pre>
                                <button type="button" data-testid="fix-apply" onclick={apply}>{ t(lang, "ui.fix.apply") }</button>
                            }
                        </div>
                    }
                }) }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CostProps {
    lang: Lang,
}

/// What a trail costs in KMS requests, for a number of regions and
/// accounts, with the formula (document 004: about 288 GenerateDataKey
/// calls a day per region and account).
#[component]
fn CostLine(props: &CostProps) -> Html {
    let lang = props.lang;
    let regions = use_state(|| "1".to_string());
    let accounts = use_state(|| "1".to_string());
    let reads = use_state(|| "0".to_string());
    let n = |h: &UseStateHandle<String>| h.trim().parse::<u64>().unwrap_or(0).min(1_000_000);
    // The engine's estimate, put in words here (not as the CLI's JSON).
    let cost =
        kmsplay_kms::records::trail_cost(n(&regions).max(1), n(&accounts).max(1), n(&reads), 30);
    let formula = tp(
        lang,
        kmsplay_kms::records::TrailCost::FORMULA,
        &cost.params(),
    );
    let number = |h: &UseStateHandle<String>, label: &'static str, testid: &'static str| {
        let handle = h.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            handle.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        });
        html! {
            <label class="param">
                <span>{ t(lang, label) }</span>
                <input type="number" min="0" data-testid={testid} value={(**h).clone()} {oninput} />
            </label>
        }
    };
    html! {
        <div class="cost" data-testid="cost">
            <h4>{ t(lang, "ui.cost.title") }</h4>
            <div class="params-grid">
                { number(&regions, "ui.cost.regions", "cost-regions") }
                { number(&accounts, "ui.cost.accounts", "cost-accounts") }
                { number(&reads, "ui.cost.reads", "cost-reads") }
            </div>
            <p data-testid="cost-formula">{ formula }</p>
        </div>
    }
}
