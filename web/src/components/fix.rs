//! The fixes offered for a request that does not get what it expects.

use super::util::extras_pending;
use crate::extras::OfferedFixes;
use crate::state::Notice;
use crate::workspace::Workspace;
use crate::{t, tp};
use kmsplay_messages::Lang;
use kmsplay_playground::PolicySource;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Where the policy text stops being JSON (line and column), if it does.
fn json_error_at(policy: &str) -> Option<(String, String)> {
    let e = kmsplay_json::parse(policy).err()?;
    let pos = kmsplay_json::LineIndex::new(policy).position(e.span.start);
    Some((pos.line.to_string(), pos.column.to_string()))
}

#[derive(Properties)]
pub(super) struct FixProps {
    /// The request's index in the file.
    pub(super) index: usize,
    pub(super) lang: Lang,
    /// The playground file in effect, which the fixes are worked out on.
    pub(super) file_text: String,
    /// The key policy as typed.
    pub(super) policy: Rc<str>,
    /// A scenario is chosen (its file is made around the policy: only the
    /// key policy and the guardrails can be changed).
    pub(super) scenario_mode: bool,
    /// A fix changed the key policy (with an undo point).
    pub(super) on_replace_policy: Callback<String>,
    /// A fix changed a guardrail policy over the scenario: its new text.
    pub(super) on_edit_layer: Callback<(PolicySource, String)>,
    /// A fix changed the file: the work with it applied.
    pub(super) on_load: Callback<Workspace>,
    pub(super) on_notify: Callback<Notice>,
}

/// Equal only for the same row in the same render of the app, which makes
/// its callbacks anew on every render (as the editor's props): the row's
/// index and one callback tell.
impl PartialEq for FixProps {
    fn eq(&self, other: &FixProps) -> bool {
        self.index == other.index && self.on_notify == other.on_notify
    }
}

/// For a request that does not get what it expects: the smallest changes
/// that make it, each checked by the engine first, applied with one click
/// (and undone with Undo); or, for an unwanted allow, what lets it through.
#[component]
pub(super) fn FixOffer(props: &FixProps) -> Html {
    let lang = props.lang;
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
        (props.file_text.clone(), props.index, ready, lang),
        |(text, index, ready, lang)| {
            if *ready {
                crate::extras::fix_offer(text, *index, *lang).unwrap_or_default()
            } else {
                OfferedFixes::default()
            }
        },
    );
    html! {
        <div class="fixes" data-testid="fixes">
            <button type="button" data-testid="fix-suggest" aria-expanded={open.to_string()} onclick={toggle}>{ t(lang, "ui.fix.suggest") }</button>
            if let Some(waiting) = pending {
                { waiting }
            } else if *open {
                if let Some((line, column)) = json_error_at(&props.policy) {
                    // No change to the policy's statements can be checked
                    // while its text is not JSON: that comes first.
                    <p class="file-error" data-testid="fix-json-first">{ tp(lang, "ui.fix.json-first", &[("line", line), ("column", column)]) }</p>
                } else if offer.is_empty() {
                    <p class="muted">{ t(lang, "ui.fix.none") }</p>
                }
                { for offer.culprits().map(|c| html! {
                    <p class="culprit" data-testid="culprit">{ c }</p>
                }) }
                { for offer.fixes().enumerate().map(|(n, fix)| {
                    let file_text = props.file_text.clone();
                    let (policy, scenario_mode) = (props.policy.clone(), props.scenario_mode);
                    let on_replace_policy = props.on_replace_policy.clone();
                    let on_edit_layer = props.on_edit_layer.clone();
                    let on_load = props.on_load.clone();
                    let on_notify = props.on_notify.clone();
                    let index = props.index;
                    let identity = fix.target() == "identity_policy";
                    let layer = fix.layer();
                    let apply = Callback::from(move |_| {
                        if scenario_mode && identity {
                            on_notify.emit(Notice { id: "ui.fix.file-only".into(), params: Vec::new(), error: true });
                            return;
                        }
                        let applied = crate::extras::fix_apply(&file_text, index, n)
                            .and_then(|text| Workspace::from_file_text(&text).ok());
                        let failed = || Notice { id: "ui.fix.failed".into(), params: Vec::new(), error: true };
                        match applied {
                            Some(ws) if scenario_mode => match &layer {
                                // Over a scenario, a guardrail's new text is
                                // an edit of that layer (kept like the
                                // panel's), and the key policy changes only
                                // if the fix changed it too.
                                Some(source) => {
                                    let mut file = ws.to_file_value();
                                    let text = crate::derive::layer_slot(&mut file, source).map(|slot| match slot {
                                        Value::String(s) => s.clone(),
                                        other => kmsplay_playground::json_pretty(other),
                                    });
                                    if *ws.policy != *policy {
                                        on_replace_policy.emit(ws.policy.clone());
                                    }
                                    match text {
                                        Some(text) => on_edit_layer.emit((source.clone(), text)),
                                        None => on_notify.emit(failed()),
                                    }
                                }
                                None => on_replace_policy.emit(ws.policy),
                            },
                            Some(ws) => on_load.emit(ws),
                            None => on_notify.emit(failed()),
                        }
                    });
                    html! {
                        <div class="fix" data-testid="fix" data-code={fix.code().to_string()} data-target={fix.target().to_string()}>
                            <p class="fix-title">{ fix.title() }</p>
                            <p class="muted">{ fix.detail() }</p>
                            if !fix.diff().is_empty() {
                                <pre class="code diff">{ fix.diff() }</pre>
                                <button type="button" data-testid="fix-apply" onclick={apply}>{ t(lang, "ui.fix.apply") }</button>
                            }
                        </div>
                    }
                }) }
            }
        </div>
    }
}
