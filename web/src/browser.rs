//! The few places the page touches the browser: URL, storage, clipboard,
//! downloads, the embedding page. None of them sends anything anywhere.

use kmsplay_messages::Lang;
use wasm_bindgen::JsCast;

/// localStorage key of the autosave.
pub const AUTOSAVE_KEY: &str = "kmsplay.autosave.v1";

/// A query parameter of the page's URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// The URL fragment (with `#`), or empty.
pub fn fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Puts the share fragment in the URL together with `?lang=` (other query
/// parameters such as `embed` are kept), without reloading.
pub fn set_share_url(fragment: &str, lang: Lang) {
    let window = gloo::utils::window();
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let query = match web_sys::UrlSearchParams::new_with_str(&search) {
        Ok(params) => {
            params.set("lang", lang.tag());
            String::from(params.to_string())
        }
        Err(_) => format!("lang={}", lang.tag()),
    };
    let url = format!(
        "{}?{query}#{fragment}",
        location.pathname().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's full URL.
pub fn href() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// Is the page in embed mode (`?embed=1`)?
pub fn embed_mode() -> bool {
    query_param("embed").is_some_and(|v| v == "1" || v == "true")
}

/// The language: `?lang=`, then the saved choice, then the browser's.
pub fn initial_lang(saved: Option<Lang>) -> Lang {
    query_param("lang")
        .as_deref()
        .and_then(Lang::from_tag)
        .or(saved)
        .or_else(|| {
            gloo::utils::window()
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::from_tag)
        })
        .unwrap_or_default()
}

/// Reads the autosave entry.
pub fn load_autosave() -> Option<String> {
    gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(AUTOSAVE_KEY)
        .ok()
        .flatten()
}

/// Writes the autosave entry (quota errors are ignored: the text is still
/// in the editor).
pub fn save_autosave(text: &str) {
    if let Some(storage) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = storage.set_item(AUTOSAVE_KEY, text);
    }
}

/// Copies text to the clipboard (best effort).
pub fn copy(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

/// Offers `text` as a file download, made in the page (no request).
pub fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Milliseconds since the page started (for the figures the tests print).
pub fn now_ms() -> f64 {
    gloo::utils::window()
        .performance()
        .map(|p| p.now())
        .unwrap_or_default()
}

/// On a panic: show a message, keep the user's text (it stays in the editor
/// and in the autosave), never a blank page.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let document = gloo::utils::document();
        if let Some(el) = document.get_element_by_id("panic") {
            let lang = Lang::from_tag(
                &document
                    .document_element()
                    .map(|e| e.get_attribute("lang").unwrap_or_default())
                    .unwrap_or_default(),
            )
            .unwrap_or_default();
            // Before a catalogue is loaded, index.html's own text (in both
            // languages) stays.
            if kmsplay_messages::is_available(lang) {
                el.set_text_content(Some(&crate::t(lang, "ui.panic")));
            }
            let _ = el.remove_attribute("hidden");
        }
        gloo::console::error!(info.to_string());
    }));
}

/// Shows `#load-failed` (its text is in `index.html`, in both languages)
/// with the file that could not be loaded, and logs why.
pub fn show_load_failure(e: &crate::loader::LoadError) {
    let document = gloo::utils::document();
    if let Some(el) = document.get_element_by_id("load-failed") {
        let _ = el.set_attribute("data-path", &e.path);
        let _ = el.remove_attribute("hidden");
    }
    gloo::console::error!(format!("could not load {}: {}", e.path, e.reason));
}

/// Sets `<html lang>` and the title.
pub fn set_document_lang(lang: Lang) {
    let document = gloo::utils::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
    document.set_title(&crate::t(lang, "ui.title"));
}

/// Moves the editor's caret to byte `offset` of `text` and focuses it.
pub fn focus_editor_at(text: &str, offset: usize, end: usize) {
    let Some(el) = gloo::utils::document()
        .query_selector("[data-testid=policy-editor]")
        .ok()
        .flatten()
    else {
        return;
    };
    let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return;
    };
    let to_utf16 = |byte: usize| -> u32 {
        let byte = byte.min(text.len());
        let mut b = byte;
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        text[..b].encode_utf16().count() as u32
    };
    let _ = area.focus();
    let _ = area.set_selection_range(to_utf16(offset), to_utf16(end.max(offset)));
}

/// Converts a UTF-16 caret position from the textarea into a byte offset.
pub fn utf16_to_byte(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// localStorage key of the solved exercises (a JSON array of ids).
pub const PROGRESS_KEY: &str = "kmsplay.progress.v1";

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The ids of the solved exercises (an unreadable entry counts as none).
pub fn solved_exercises() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .and_then(|text| kmsplay_playground::json_value(&text))
        .and_then(|v| {
            v.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Marks an exercise solved.
pub fn mark_solved(id: &str) {
    let mut solved = solved_exercises();
    if !solved.iter().any(|s| s == id) {
        solved.push(id.to_string());
        if let Some(s) = storage() {
            let list = serde_json::Value::from(solved);
            let _ = s.set_item(PROGRESS_KEY, &kmsplay_playground::json_text(&list));
        }
    }
}

/// The learner's saved work on an exercise.
pub fn load_exercise_work(id: &str) -> Option<String> {
    storage()?
        .get_item(&format!("kmsplay.exercise.{id}"))
        .ok()
        .flatten()
}

/// Saves the learner's work on an exercise.
pub fn save_exercise_work(id: &str, text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("kmsplay.exercise.{id}"), text);
    }
}

/// Asks the person to confirm (the browser's own dialog).
pub fn confirm(message: &str) -> bool {
    gloo::utils::window()
        .confirm_with_message(message)
        .unwrap_or(false)
}

/// Focuses the textarea that `selector` finds and selects bytes
/// `offset..end` of its `text` (a guardrail policy's editor).
pub fn focus_area_at(selector: &str, text: &str, offset: usize, end: usize) {
    let Some(area) = gloo::utils::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let to_utf16 = |byte: usize| -> u32 {
        let mut b = byte.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        text[..b].encode_utf16().count() as u32
    };
    let _ = area.focus();
    let _ = area.set_selection_range(to_utf16(offset), to_utf16(end.max(offset)));
}

/// Sets (or, with None, removes) query parameter `name` in the address
/// without reloading; the fragment and other parameters stay.
pub fn set_query_param(name: &str, value: Option<&str>) {
    let window = gloo::utils::window();
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    if params.get(name).as_deref() == value {
        return;
    }
    match value {
        Some(v) => params.set(name, v),
        None => params.delete(name),
    }
    let query = String::from(params.to_string());
    let url = format!(
        "{}{}{}{}",
        location.pathname().unwrap_or_default(),
        if query.is_empty() { "" } else { "?" },
        query,
        location.hash().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
