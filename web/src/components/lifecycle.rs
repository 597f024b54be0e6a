//! Grants, the key's lifecycle, EventBridge rules and CloudTrail records:
//! a folded section whose content the page's second module renders
//! (`web/extras/src/lifecycle_room.rs`), so that this module carries none
//! of it. What a step changes comes back as a `kmsplay:set-file` event.

use super::util::extras_pending;
use crate::derive::Derived;
use crate::t;
use kmsplay_messages::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct LifecycleProps {
    pub(super) lang: Lang,
    /// The playground file in effect (what the panel steps through).
    pub(super) derived: Rc<Derived>,
    /// A scenario is chosen (a step changes only the key's state over it).
    pub(super) scenario_mode: bool,
}

/// The folded "Lifecycle" section and, once opened, the second module's
/// panel inside it.
#[component]
pub(super) fn LifecyclePanel(props: &LifecycleProps) -> Html {
    let lang = props.lang;
    let opened = use_state(|| false);
    let loaded = use_state(|| 0u32);
    let on_summary = {
        let opened = opened.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            opened.set(!*opened);
        })
    };
    // Closed: nothing is computed (it would re-read the file on every
    // keystroke). Every hook above runs either way, as Yew requires.
    let body = opened.then(|| {
        extras_pending(lang, &loaded).unwrap_or_else(|| {
            // Rendered by the second module once this element is drawn.
            crate::extras::show_lifecycle(&props.derived.file_text, !props.scenario_mode, lang);
            html! { <div id="lifecycle-room"></div> }
        })
    });
    html! {
        <details class="lifecycle" data-testid="lifecycle" open={*opened}>
            <summary onclick={on_summary}>{ t(lang, "ui.lifecycle.title") }</summary>
            { for body }
        </details>
    }
}
