//! Loads the page's data files: the message catalogues and the exercises.
//!
//! They are not compiled into the wasm. A reader downloads the catalogue of
//! the language they read, not both; the exercises come when a learner
//! opens one. Only the page's own files are fetched (`locales/…`,
//! `exercises/…`, next to `index.html`), with nothing of the user's in the
//! request. Soon after the first render the rest is fetched too, so that
//! switching language or opening an exercise also works once the network
//! is gone.

use crate::extras;
use kmsplay_lab::exercises::EXERCISE_IDS;
use kmsplay_messages::Lang;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// What went wrong loading a file: its address and the browser's reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file, relative to the page.
    pub path: String,
    /// The HTTP status or the browser's error.
    pub reason: String,
}

/// Fetches every file in `paths` (all requests in flight at once) and
/// returns their texts in the same order.
async fn fetch_texts(paths: &[String]) -> Result<Vec<String>, LoadError> {
    let window = gloo::utils::window();
    // Start every request before waiting for any.
    let pending: Vec<_> = paths.iter().map(|p| window.fetch_with_str(p)).collect();
    let mut texts = Vec::with_capacity(paths.len());
    for (path, promise) in paths.iter().zip(pending) {
        let fail = |reason: JsValue| LoadError {
            path: path.clone(),
            reason: reason.as_string().unwrap_or_else(|| format!("{reason:?}")),
        };
        let response: web_sys::Response = JsFuture::from(promise)
            .await
            .map_err(fail)?
            .dyn_into()
            .map_err(fail)?;
        if !response.ok() {
            return Err(fail(JsValue::from_str(&response.status().to_string())));
        }
        let text = JsFuture::from(response.text().map_err(fail)?)
            .await
            .map_err(fail)?;
        texts.push(text.as_string().unwrap_or_default());
    }
    Ok(texts)
}

/// Makes `lang`'s messages available, fetching its catalogue files unless
/// they already are.
pub async fn load_lang(lang: Lang) -> Result<(), LoadError> {
    if kmsplay_messages::is_available(lang) {
        return Ok(());
    }
    let paths: Vec<String> = Lang::FILES
        .iter()
        .map(|name| format!("locales/{}", lang.file_path(name)))
        .collect();
    let texts = fetch_texts(&paths).await?;
    kmsplay_messages::install(lang, texts);
    Ok(())
}

/// Makes the exercises available, fetching their files unless they
/// already are. The page's second module reads and checks them
/// (`crate::extras`), so it is loaded too.
pub async fn load_exercises() -> Result<(), LoadError> {
    if extras::exercises_available() {
        return Ok(());
    }
    // Both at once: the module and the files.
    extras::load(|| {});
    let paths: Vec<String> = EXERCISE_IDS
        .iter()
        .map(|id| format!("exercises/{id}.json"))
        .collect();
    let texts = fetch_texts(&paths).await?;
    if !extras::ready().await || !extras::install_exercises(EXERCISE_IDS, texts) {
        return Err(LoadError {
            path: "kmsplay-web-extras.js".into(),
            reason: "the second module could not be loaded".into(),
        });
    }
    Ok(())
}

/// Runs `then` once `lang`'s messages are available, with `true`: at once
/// when they are, after loading them otherwise; with `false` when they
/// could not be loaded (the page stays in the language it shows).
pub fn with_lang(lang: Lang, then: impl FnOnce(bool) + 'static) {
    run_when_loaded(kmsplay_messages::is_available(lang), load_lang(lang), then);
}

/// Runs `then` once the exercises are available (as [`with_lang`]); the
/// second module, which reads them, is loaded too.
pub fn with_exercises(then: impl FnOnce(bool) + 'static) {
    run_when_loaded(extras::exercises_available(), load_exercises(), then);
}

fn run_when_loaded(
    available: bool,
    load: impl std::future::Future<Output = Result<(), LoadError>> + 'static,
    then: impl FnOnce(bool) + 'static,
) {
    if available {
        then(true);
        return;
    }
    spawn_local(async move {
        let loaded = load.await;
        if let Err(e) = &loaded {
            report(e);
        }
        then(loaded.is_ok());
    });
}

/// Fetches, a moment after the first render, what a later click may need:
/// every other language, the exercises and the page's second module.
/// Failures only log: the page fetches again on the click itself.
pub fn prefetch_rest() {
    gloo::timers::callback::Timeout::new(1_000, || {
        spawn_local(async {
            for lang in Lang::ALL {
                if let Err(e) = load_lang(lang).await {
                    report(&e);
                }
            }
            if let Err(e) = load_exercises().await {
                report(&e);
            }
        });
    })
    .forget();
}

/// Logs a failed load for developers; no user text is involved.
fn report(e: &LoadError) {
    gloo::console::warn!(format!("could not load {}: {}", e.path, e.reason));
}
