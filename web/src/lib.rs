//! The KMS Policy Playground page: Yew components over the engine crates.
//! Components only render and dispatch; every rule lives in the engine.

pub mod browser;
pub mod components;
pub mod derive;
pub mod highlight;
pub mod lifecycle;
pub mod share;
pub mod state;
pub mod workspace;

use kmsplay_messages::Lang;

/// Renders message `id` in `lang`: the only way the page shows words.
pub fn t(lang: Lang, id: &str) -> String {
    kmsplay_messages::text(lang, id)
}

/// Renders message `id` with parameters.
pub fn tp(lang: Lang, id: &str, params: &[(&str, String)]) -> String {
    kmsplay_messages::render(lang, id, params)
}

/// Starts the page: installs the panic hook and mounts the app on `#app`.
pub fn start() {
    browser::install_panic_hook();
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .unwrap_or_else(|| gloo::utils::body().into());
    yew::Renderer::<components::App>::with_root(root).render();
}
