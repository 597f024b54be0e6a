//! Small helpers the components share: the wait for the page's second
//! module, message parameters.

use crate::t;
use kmsplay_messages::Lang;
use yew::prelude::*;

/// While the page's second module (`crate::extras`) is not loaded: what to
/// show instead of a panel's content, having asked for it (`loaded` is
/// bumped when it arrives or fails, to render again). `None` once loaded.
pub(super) fn extras_pending(lang: Lang, loaded: &UseStateHandle<u32>) -> Option<Html> {
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

/// Message parameters with owned names, as a [`Notice`] keeps them.
pub(super) fn owned(params: &[(&str, String)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}
