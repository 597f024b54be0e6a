//! The page's header: title, tabs, language, share, export and import.

use super::util::owned;
use crate::browser;
use crate::state::{AppState, Notice, View};
use crate::t;
use crate::workspace::{restore_state, saved_state, PageState, Workspace};
use kmsplay_messages::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct HeaderProps {
    pub(super) lang: Lang,
    /// The playground is open (not the exercises).
    pub(super) playground: bool,
    pub(super) embed: bool,
    /// Switches to a language whose messages are loaded.
    pub(super) on_lang: Callback<Lang>,
    /// Opens a view with the work to show in it (the playground, with
    /// its saved work).
    pub(super) on_open: Callback<(View, Option<Workspace>)>,
    /// Opens the list of exercises.
    pub(super) on_exercises: Callback<MouseEvent>,
    /// Copies a share link of the whole page.
    pub(super) on_share: Callback<MouseEvent>,
    /// Downloads the playground file.
    pub(super) on_export: Callback<MouseEvent>,
    /// Replaces the work with an imported playground file.
    pub(super) on_load: Callback<Workspace>,
    pub(super) on_notify: Callback<Notice>,
}

pub(super) fn header(props: &HeaderProps) -> Html {
    let lang = props.lang;
    let on_lang = {
        let (on_lang, on_notify) = (props.on_lang.clone(), props.on_notify.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(l) = Lang::from_tag(&value) {
                let (on_lang, on_notify) = (on_lang.clone(), on_notify.clone());
                let picker: web_sys::HtmlSelectElement = e.target_unchecked_into();
                crate::loader::with_lang(l, move |loaded| {
                    if loaded {
                        on_lang.emit(l);
                    } else {
                        // The picker shows the language the page is in.
                        picker.set_value(lang.tag());
                        on_notify.emit(Notice {
                            id: "ui.lang.load-failed".into(),
                            params: Vec::new(),
                            error: true,
                        });
                    }
                });
            }
        })
    };
    let on_playground = {
        let (playground, on_open) = (props.playground, props.on_open.clone());
        Callback::from(move |_| {
            if !playground {
                let restored = browser::load_autosave()
                    .as_deref()
                    .and_then(restore_state)
                    .map(|p| p.ws)
                    .unwrap_or_else(Workspace::default_example);
                // Leaving an exercise: the address no longer names it.
                browser::set_query_param("exercise", None);
                on_open.emit((View::Playground, Some(restored)));
            }
        })
    };
    let on_import = {
        let (on_load, on_notify) = (props.on_load.clone(), props.on_notify.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (on_load, on_notify) = (on_load.clone(), on_notify.clone());
            let reader = web_sys::FileReader::new().expect("FileReader");
            let reader_in = reader.clone();
            let onload = wasm_bindgen::closure::Closure::once(move || {
                let text = reader_in
                    .result()
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match Workspace::from_file_text(&text) {
                    Ok(ws) => on_load.emit(ws),
                    Err(e) => on_notify.emit(Notice {
                        id: e.id,
                        params: owned(&e.params),
                        error: true,
                    }),
                }
            });
            reader.set_onload(Some(onload.as_ref().unchecked_ref()));
            onload.forget();
            let _ = reader.read_as_text(&file);
            input.set_value("");
        })
    };
    let on_import_aws = {
        let on_notify = props.on_notify.clone();
        Callback::from(move |_| {
            let on_notify = on_notify.clone();
            crate::extras::open_import(lang, move || {
                on_notify.emit(Notice {
                    id: "ui.extras.failed".into(),
                    params: Vec::new(),
                    error: true,
                })
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
                <button type="button" data-testid="tab-playground" aria-current={props.playground.then_some("page")} onclick={on_playground}>{ t(lang, "ui.tabs.playground") }</button>
                <button type="button" data-testid="tab-exercises" aria-current={(!props.playground).then_some("page")} onclick={props.on_exercises.clone()}>{ t(lang, "ui.tabs.exercises") }</button>
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
                <button type="button" data-testid="share" onclick={props.on_share.clone()}>{ t(lang, "ui.share") }</button>
                <button type="button" data-testid="export" onclick={props.on_export.clone()}>{ t(lang, "ui.export") }</button>
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

/// Copies a link to the page as it is in `state` (the whole page state, in
/// the fragment) and says so through `on_notify`. The header's share
/// button calls it from the app, which holds the state.
pub(super) fn share(state: &AppState, on_notify: Callback<Notice>) {
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
    let (lang, imported) = (state.lang, state.imported);
    crate::extras::share_fragment(page, move |fragment| {
        let Some(fragment) = fragment else {
            on_notify.emit(Notice {
                id: "ui.extras.failed".into(),
                params: Vec::new(),
                error: true,
            });
            return;
        };
        browser::set_share_url(&fragment, lang);
        browser::copy(&browser::href());
        // An imported file holds the account's ids and ARNs.
        let copied = if imported {
            "ui.share.copied-imported"
        } else {
            "ui.share.copied"
        };
        on_notify.emit(Notice {
            id: copied.into(),
            params: Vec::new(),
            error: false,
        });
    })
}
