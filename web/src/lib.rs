//! The KMS Policy Playground page: Yew components over the engine crates.
//! Components only render and dispatch; every rule lives in the engine.

pub mod browser;
pub mod components;
pub mod derive;
pub mod extras;
pub mod guardrails;
pub mod highlight;
pub mod loader;
pub use kmsplay_web_extras::share;
pub mod state;
pub mod workspace;

pub mod words;

pub use words::{t, tp};

/// Starts the page: installs the panic hook, loads the messages of the
/// language the page opens in (and the exercises when the address opens
/// one), then mounts the app on `#app`. When those files cannot be loaded
/// the page says so (`#load-failed` in `index.html`, in both languages,
/// since no catalogue could be read).
pub fn start() {
    browser::install_panic_hook();
    let saved_lang = browser::load_autosave()
        .as_deref()
        .and_then(workspace::restore_state)
        .and_then(|p| p.lang);
    let lang = browser::initial_lang(saved_lang);
    let opens_exercise = browser::query_param("exercise").is_some();
    wasm_bindgen_futures::spawn_local(async move {
        let mut loaded = loader::load_lang(lang).await;
        if loaded.is_ok() && opens_exercise {
            loaded = loader::load_exercises().await;
        }
        if let Err(e) = loaded {
            browser::show_load_failure(&e);
            return;
        }
        let root = gloo::utils::document()
            .get_element_by_id("app")
            .unwrap_or_else(|| gloo::utils::body().into());
        yew::Renderer::<components::App>::with_root(root).render();
        // In a documentation page's frame, fetch only what is used: such
        // pages often hold several frames, and their readers rarely open
        // the lifecycle panel or switch language there.
        if !browser::embed_mode() {
            loader::prefetch_rest();
        }
    });
}
