//! The page's header: title, tabs, language, share, export and import.

use super::exercises::open_exercises;
use super::util::owned;
use crate::browser;
use crate::state::{Action, AppState, Notice, View};
use crate::t;
use crate::workspace::{restore_state, saved_state, PageState, Workspace};
use kmsplay_messages::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct HeaderProps {
    pub(super) state: UseReducerHandle<AppState>,
    pub(super) embed: bool,
}

pub(super) fn header(props: &HeaderProps) -> Html {
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
                // An imported file holds the account's ids and ARNs.
                let copied = if state.imported {
                    "ui.share.copied-imported"
                } else {
                    "ui.share.copied"
                };
                state.dispatch(Action::Notify(Notice {
                    id: copied.into(),
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
    let on_import_aws = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            crate::extras::open_import(state.lang, move || {
                state.dispatch(Action::Notify(Notice {
                    id: "ui.extras.failed".into(),
                    params: Vec::new(),
                    error: true,
                }))
            });
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
                <button type="button" data-testid="import-aws" onclick={on_import_aws}>{ t(lang, "ui.import-aws") }</button>
            </div>
            <p class="privacy-badge" data-testid="privacy">{ t(lang, "ui.privacy.short") }</p>
        </header>
    }
}
