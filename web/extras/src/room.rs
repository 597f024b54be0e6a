//! The "Import from AWS" room: a dialog of its own, rendered by this module
//! (a Yew app apart from the page's), so that the main module carries only
//! the button that opens it. The person pastes text or drops files; the
//! room shows what each was recognised as, what is missing, and the
//! playground files built; "Open in the playground" hands the chosen file
//! to the main module as the `detail` of a `kmsplay:import` event on
//! `window` (text, as every call between the two modules).
//!
//! Nothing leaves the browser: files are read with `Blob.arrayBuffer()`
//! and imported here, in wasm.

use std::cell::RefCell;
use std::rc::Rc;

use kmsplay_messages::{render, Lang};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::aws_import::{view, Dropped, ImportView};

/// The event the main module listens for on `window`.
pub const EVENT: &str = "kmsplay:import";

/// How long typing in the paste box waits before the import runs again:
/// an import of a large dropped log takes a moment, and a person types
/// faster than that.
const SETTLE_MS: u32 = 200;

/// What the room holds: the pasted text and the dropped files.
#[derive(Debug, Clone, PartialEq, Default)]
struct Room {
    /// The paste box's text as typed (kept whatever happens).
    draft: String,
    /// The text imported (the draft once typing settled).
    pasted: String,
    /// The files, in the order they came.
    dropped: Rc<Vec<Dropped>>,
    /// Files the browser could not read, or too large to try.
    refused: Vec<String>,
    /// Changes each time `dropped` does (what the import depends on).
    revision: u32,
    /// The file chosen to open, when the import made several.
    chosen: usize,
}

enum Change {
    Draft(String),
    Settle,
    Add(Dropped),
    Refuse(String),
    Remove(usize),
    Choose(usize),
}

impl Reducible for Room {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut room = (*self).clone();
        match change {
            Change::Draft(text) => room.draft = text,
            Change::Settle => room.pasted = room.draft.clone(),
            Change::Add(file) => {
                Rc::make_mut(&mut room.dropped).push(file);
                room.revision += 1;
            }
            Change::Refuse(message) => room.refused.push(message),
            Change::Remove(i) => {
                let dropped = Rc::make_mut(&mut room.dropped);
                if i < dropped.len() {
                    dropped.remove(i);
                    room.revision += 1;
                }
            }
            Change::Choose(i) => room.chosen = i,
        }
        Rc::new(room)
    }
}

/// The room's properties: the page's language.
#[derive(Properties, PartialEq, Clone)]
pub struct RoomProps {
    /// The language the page is in.
    pub lang: Lang,
}

fn dialog() -> Option<web_sys::HtmlDialogElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id("aws-import")?
        .dyn_into()
        .ok()
}

/// Reads `files` (dropped or chosen) and adds each to the room.
fn read_files(files: Option<web_sys::FileList>, room: UseReducerHandle<Room>, lang: Lang) {
    let Some(files) = files else { return };
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let name = file.name();
        // Refused before reading: a file past the limit is not copied into
        // the page's memory at all.
        if file.size() > kmsplay_import::MAX_INPUT_BYTES as f64 {
            room.dispatch(Change::Refuse(render(
                lang,
                "import.error.too-large",
                &[
                    ("file", name),
                    ("size", format!("{}", file.size() as u64)),
                    ("max", kmsplay_import::MAX_INPUT_BYTES.to_string()),
                ],
            )));
            continue;
        }
        let room = room.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => room.dispatch(Change::Add(Dropped {
                    name,
                    bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
                })),
                Err(_) => room.dispatch(Change::Refuse(render(
                    lang,
                    "import.room.unreadable",
                    &[("file", name)],
                ))),
            }
        });
    }
}

/// The room.
#[function_component]
pub fn ImportRoom(props: &RoomProps) -> Html {
    let lang = props.lang;
    let room = use_reducer(Room::default);
    let settle = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let shown: Rc<ImportView> = use_memo(
        (room.pasted.clone(), room.revision, lang),
        |(pasted, _, lang)| view(pasted, &room.dropped, *lang),
    );
    let t = |id: &str| render(lang, id, &[]);

    let on_input = {
        let room = room.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            room.dispatch(Change::Draft(area.value()));
            let room = room.clone();
            *settle.borrow_mut() =
                Some(gloo_timers::callback::Timeout::new(SETTLE_MS, move || {
                    room.dispatch(Change::Settle)
                }));
        })
    };
    let on_drop = {
        let room = room.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            read_files(
                e.data_transfer().and_then(|d| d.files()),
                room.clone(),
                lang,
            );
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_choose = {
        let room = room.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            read_files(input.files(), room.clone(), lang);
            input.set_value("");
        })
    };
    let on_close = Callback::from(|_| {
        if let Some(d) = dialog() {
            d.close();
        }
    });
    let chosen = room.chosen.min(shown.files.len().saturating_sub(1));
    let on_open = {
        let shown = shown.clone();
        Callback::from(move |_| {
            if let Some(file) = shown.files.get(chosen) {
                crate::rooms::send(EVENT, &file.text);
                if let Some(d) = dialog() {
                    d.close();
                }
            }
        })
    };
    let nothing = room.draft.trim().is_empty() && room.dropped.is_empty();

    html! {
        <div class="room-body">
            <header class="room-head">
                <h2 id="aws-import-title">{ t("import.room.title") }</h2>
                <button type="button" class="room-close" data-testid="aws-import-close" onclick={on_close.clone()}>{ t("import.room.close") }</button>
            </header>
            <p class="privacy-badge" data-testid="aws-import-privacy">{ t("import.room.privacy") }</p>
            <p class="hint">{ t("import.room.what") }</p>
            <label class="room-paste">
                <span>{ t("import.room.paste") }</span>
                <textarea data-testid="aws-import-text" spellcheck="false" rows="8" value={room.draft.clone()} oninput={on_input} />
            </label>
            <div class="room-drop" data-testid="aws-import-drop" ondrop={on_drop} ondragover={on_drag_over}>
                { t("import.room.drop") }{ " " }
                <label class="button">
                    { t("import.room.choose") }
                    <input type="file" multiple=true data-testid="aws-import-files" class="visually-hidden" onchange={on_choose} />
                </label>
            </div>
            if !room.dropped.is_empty() {
                <ul class="room-files">
                    { for room.dropped.iter().enumerate().map(|(i, d)| {
                        let room = room.clone();
                        let label = render(lang, "import.room.remove", &[("file", d.name.clone())]);
                        html! {
                            <li>
                                <span>{ &d.name }</span>
                                <button type="button" class="link" aria-label={label.clone()} title={label} onclick={Callback::from(move |_| room.dispatch(Change::Remove(i)))}>{ "×" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            { for room.refused.iter().map(|m| html! { <p class="error" role="alert">{ m }</p> }) }
            if let Some(error) = &shown.error {
                <p class="error" role="alert" data-testid="aws-import-error">{ error }</p>
            }
            if nothing {
                <p class="muted">{ t("import.room.empty") }</p>
            }
            if !shown.inputs.is_empty() {
                <section data-testid="aws-import-recognised">
                    <h3>{ t("import.room.recognised") }</h3>
                    <ul>
                        { for shown.inputs.iter().map(|i| html! {
                            <li>
                                { &i.line }
                                if !i.skipped.is_empty() {
                                    <ul>{ for i.skipped.iter().map(|s| html! { <li class="muted">{ s }</li> }) }</ul>
                                }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            if !shown.files.is_empty() {
                <section data-testid="aws-import-keys">
                    <h3>{ t("import.room.keys") }</h3>
                    <ul class="room-keys">
                        { for shown.files.iter().enumerate().map(|(i, f)| {
                            let room = room.clone();
                            html! {
                                <li>
                                    <label>
                                        <input type="radio" name="aws-import-key" checked={i == chosen} onchange={Callback::from(move |_| room.dispatch(Change::Choose(i)))} />
                                        { " " }{ &f.summary }
                                    </label>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
            if !shown.notes.is_empty() {
                <section data-testid="aws-import-notes">
                    <h3>{ t("import.room.notes") }</h3>
                    <ul>{ for shown.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </section>
            }
            if !nothing && shown.error.is_none() && shown.files.is_empty() {
                <p class="muted">{ t("import.room.no-file") }</p>
            }
            <footer class="room-foot">
                <button type="button" class="primary" data-testid="aws-import-open" disabled={shown.files.is_empty()} onclick={on_open}>{ t("import.room.open") }</button>
                <button type="button" onclick={on_close}>{ t("import.room.close") }</button>
            </footer>
        </div>
    }
}

thread_local! {
    static APP: crate::rooms::Mounted<ImportRoom> = const { RefCell::new(None) };
}

/// Opens the room in `lang` (made on first use, kept with what it holds
/// when closed). False when there is no document to show it in.
pub fn open(lang: Lang) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let dialog = match dialog() {
        Some(d) => d,
        None => {
            let Some(d) = document
                .create_element("dialog")
                .ok()
                .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
            else {
                return false;
            };
            d.set_id("aws-import");
            d.set_class_name("room");
            let _ = d.set_attribute("data-testid", "aws-import");
            let _ = d.set_attribute("aria-labelledby", "aws-import-title");
            let Some(body) = document.body() else {
                return false;
            };
            if body.append_child(&d).is_err() {
                return false;
            }
            d
        }
    };
    // The dialog is in the page now: the room is mounted (or updated) in it.
    crate::rooms::show_in(&APP, "aws-import", RoomProps { lang });
    if !dialog.open() {
        let _ = dialog.show_modal();
    }
    true
}
