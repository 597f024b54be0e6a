//! The notice bar: what the page last said, until dismissed.

use crate::state::Notice;
use crate::{t, tp};
use kmsplay_messages::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct NoticeProps {
    pub(super) notice: Notice,
    pub(super) lang: Lang,
    /// Dismisses the notice.
    pub(super) on_dismiss: Callback<MouseEvent>,
}

pub(super) fn notice_bar(props: &NoticeProps) -> Html {
    let class = if props.notice.error {
        "notice notice-error"
    } else {
        "notice"
    };
    html! {
        <div class={class} role="status" data-testid="notice">
            <span>{ tp(props.lang, &props.notice.id, &props.notice.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect::<Vec<_>>()) }</span>
            <button type="button" onclick={props.on_dismiss.clone()} aria-label={t(props.lang, "ui.dismiss")}>{ "×" }</button>
        </div>
    }
}
