//! The policy editor: a plain textarea over a coloured copy of the lines
//! in view, with line numbers, and the findings below it.

use super::findings::{findings, FindingsProps};
use crate::browser;
use crate::derive::{Derived, Mark};
use crate::highlight::{matching_bracket, runs};
use crate::state::Notice;
use crate::t;
use crate::workspace::Workspace;
use kmsplay_messages::Lang;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub(super) struct EditorProps {
    pub(super) lang: Lang,
    /// The key policy as typed (shared with the callbacks that read it).
    pub(super) policy: Rc<str>,
    /// The caret's byte offset.
    pub(super) cursor: usize,
    /// The byte span of the deciding statement, highlighted.
    pub(super) highlight: Option<(usize, usize)>,
    /// There is an earlier policy to go back to.
    pub(super) can_undo: bool,
    /// What was decided: its findings are underlined.
    pub(super) derived: Rc<Derived>,
    /// The policy checks' failures (a moment after typing stops), while
    /// the editor holds the text they were placed in; empty otherwise.
    pub(super) check_marks: Vec<Mark>,
    /// The user typed: the new text.
    pub(super) on_edit_policy: Callback<String>,
    /// The policy replaced by a new text, with an undo point (format).
    pub(super) on_replace_policy: Callback<String>,
    /// The caret moved: its byte offset.
    pub(super) on_cursor: Callback<usize>,
    pub(super) on_undo: Callback<MouseEvent>,
    pub(super) on_notify: Callback<Notice>,
}

/// Props are equal only when they come from the same render of the app:
/// it makes its callbacks anew on every render (so one of them tells), and
/// it renders again only when the state changed. Comparing every value, a
/// 32 KB policy and its marks among them, would cost time on every
/// keystroke and code in the page's wasm (as `Derived`'s equality says).
impl PartialEq for EditorProps {
    fn eq(&self, other: &EditorProps) -> bool {
        self.on_edit_policy == other.on_edit_policy
    }
}

#[component]
pub(super) fn EditorPane(props: &EditorProps) -> Html {
    let lang = props.lang;
    let text: &str = &props.policy;
    let mut marks = props.derived.marks.clone();
    marks.extend(props.check_marks.iter().cloned());
    // Only the lines in view (and a margin) are coloured: a 32 KB policy
    // has thousands of tokens, and re-rendering them all on every
    // keystroke would not fit in a frame. Spacers keep the scroll height.
    let scroll = use_state(|| (0i32, 900i32));
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_count = line_starts.len();
    let first = ((scroll.0 / LINE_PX) - MARGIN_LINES).max(0) as usize;
    let first = first.min(line_count);
    let last = (((scroll.0 + scroll.1) / LINE_PX) + MARGIN_LINES).max(0) as usize;
    let last = last.clamp(first, line_count);
    let from = line_starts.get(first).copied().unwrap_or(text.len());
    let to = line_starts.get(last).copied().unwrap_or(text.len());
    let shown = &text[from..to];
    let shift = |pos: usize| pos.checked_sub(from).filter(|p| *p <= shown.len());
    // The marks that touch the lines in view, in the shown text's offsets,
    // with what their underline shows.
    let visible_marks: Vec<VisibleMark> = marks
        .iter()
        .filter(|m| !(m.end < from || m.start > to))
        .map(|m| VisibleMark {
            start: m.start.saturating_sub(from).min(shown.len()),
            end: m.end.saturating_sub(from).min(shown.len()),
            severity: m.severity.clone(),
            message: m.message.clone(),
        })
        .collect();
    let brackets = matching_bracket(text, props.cursor).map(|(a, b)| {
        (
            shift(a).unwrap_or(usize::MAX / 2),
            shift(b).unwrap_or(usize::MAX / 2),
        )
    });
    let highlight = props
        .highlight
        .map(|(s, e)| (s.saturating_sub(from), e.saturating_sub(from)));
    // The overlay follows only from the lines in view, their marks, the
    // matched brackets and the highlighted span: a keystroke outside the
    // view (or a re-render for the results' sake) reuses the pieces, and
    // each line keeps its `Rc`, so Yew skips it on a pointer comparison.
    let lines = use_memo(
        (shown.to_string(), visible_marks, brackets, highlight),
        |(shown, marks, brackets, highlight)| overlay_lines(shown, marks, *brackets, *highlight),
    );
    // The textarea is not a controlled input: setting 32 KB of text back
    // into it on every keystroke costs a full re-layout. Its value is
    // written only when the state differs (a fix, an undo, an import).
    let area_ref = use_node_ref();
    {
        let area_ref = area_ref.clone();
        use_effect_with(props.policy.clone(), move |text| {
            if let Some(area) = area_ref.cast::<web_sys::HtmlTextAreaElement>() {
                if area.value() != **text {
                    area.set_value(text);
                }
            }
        });
    }
    let top_spacer = use_node_ref();
    let bottom_spacer = use_node_ref();
    let gutter_top = use_node_ref();
    let gutter_bottom = use_node_ref();
    {
        let refs = [
            (top_spacer.clone(), first),
            (bottom_spacer.clone(), line_count - last),
            (gutter_top.clone(), first),
            (gutter_bottom.clone(), line_count - last),
        ];
        use_effect(move || {
            // Heights through the CSSOM: the Content-Security-Policy
            // forbids inline style attributes.
            for (node, lines) in refs {
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    let _ = el
                        .style()
                        .set_property("height", &format!("{}px", lines as i32 * LINE_PX));
                }
            }
            sync_editor_scroll();
        });
    }

    let on_input = {
        let on_edit_policy = props.on_edit_policy.clone();
        let on_replace_policy = props.on_replace_policy.clone();
        let on_notify = props.on_notify.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            // A policy pasted on one line (as the console and the CLI print
            // it) would show only its tail: it is formatted at once, and
            // Undo gives it back exactly as pasted.
            // Read without trusting the type: a script (or a test) may send
            // a plain `input` Event, which has no inputType.
            let pasted = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|v| v.as_string())
                .is_some_and(|t| t == "insertFromPaste");
            let long = pasted && text.lines().any(|l| l.len() > 160);
            let formatted = long
                .then(|| {
                    Workspace {
                        policy: text.clone(),
                        rest: Value::Null,
                    }
                    .formatted_policy()
                })
                .flatten();
            on_edit_policy.emit(text);
            if let Some(f) = formatted {
                // Written here as well: when the formatted text equals what
                // the editor last rendered (the same policy pasted back on
                // one line), the render sees no change and would leave the
                // pasted line in the textarea.
                area.set_value(&f);
                on_replace_policy.emit(f);
                on_notify.emit(Notice {
                    id: "ui.format.on-paste".into(),
                    params: Vec::new(),
                    error: false,
                });
            }
        })
    };
    // Tab indents, as in code editors; Esc then Tab (or Shift+Tab) leaves
    // the editor, so keyboard users are never trapped.
    let escaped = use_mut_ref(|| false);
    let on_keydown = {
        let on_edit_policy = props.on_edit_policy.clone();
        let on_cursor = props.on_cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Escape" {
                *escaped.borrow_mut() = true;
                return;
            }
            let leave = std::mem::take(&mut *escaped.borrow_mut());
            if key != "Tab" || leave || e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key()
            {
                return;
            }
            e.prevent_default();
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(start);
            let (a, b) = (
                browser::utf16_to_byte(&text, start),
                browser::utf16_to_byte(&text, end),
            );
            let new = format!("{}  {}", &text[..a], &text[b..]);
            area.set_value(&new);
            let _ = area.set_selection_range(start + 2, start + 2);
            on_edit_policy.emit(new);
            on_cursor.emit(a + 2);
        })
    };
    let on_caret = {
        let on_cursor = props.on_cursor.clone();
        move |area: web_sys::HtmlTextAreaElement| {
            let value = area.value();
            let pos = area.selection_start().ok().flatten().unwrap_or(0);
            on_cursor.emit(browser::utf16_to_byte(&value, pos));
        }
    };
    let on_keyup = {
        let on_caret = on_caret.clone();
        Callback::from(move |e: KeyboardEvent| on_caret(e.target_unchecked_into()))
    };
    let on_click = Callback::from(move |e: MouseEvent| on_caret(e.target_unchecked_into()));
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            sync_editor_scroll();
            let now = (area.scroll_top(), area.client_height().max(LINE_PX));
            // Re-render only when the lines in view change enough.
            if (now.0 - scroll.0).abs() >= LINE_PX * (MARGIN_LINES / 2) || now.1 != scroll.1 {
                scroll.set(now);
            }
        })
    };
    let on_format = {
        let text = props.policy.clone();
        let on_replace_policy = props.on_replace_policy.clone();
        let on_notify = props.on_notify.clone();
        Callback::from(move |_| {
            let ws = Workspace {
                policy: text.to_string(),
                rest: Value::Null,
            };
            if let Some(f) = ws.formatted_policy() {
                on_replace_policy.emit(f);
            } else {
                on_notify.emit(Notice {
                    id: "ui.format.invalid".into(),
                    params: Vec::new(),
                    error: true,
                });
            }
        })
    };
    let on_jump = {
        let text = props.policy.clone();
        Callback::from(move |(start, end)| browser::focus_editor_at(&text, start, end))
    };
    html! {
        <>
            <div class="pane-head">
                <h2>{ t(lang, "ui.editor.title") }</h2>
                <div class="toolbar">
                    <button type="button" data-testid="format" onclick={on_format}>{ t(lang, "ui.format") }</button>
                    <button type="button" data-testid="undo" onclick={props.on_undo.clone()} disabled={!props.can_undo}>{ t(lang, "ui.undo") }</button>
                </div>
            </div>
            <div class="editor">
                <div class="editor-gutter" aria-hidden="true">
                    // Keyed: the spacers' heights are set outside Yew (by
                    // the effect above), so an unkeyed diff that turned a
                    // former spacer into a line number would keep its
                    // height (0 px) and shift every number below it.
                    <div class="spacer" key="top" ref={gutter_top}></div>
                    { for (first + 1..=last.max(first + 1).min(line_count)).map(|n| html! { <div key={n}>{ n }</div> }) }
                    <div class="spacer" key="bottom" ref={gutter_bottom}></div>
                </div>
                <div class="editor-body">
                    <pre class="editor-highlight" aria-hidden="true">
                        <span class="spacer" ref={top_spacer}></span>
                        { for lines.iter().map(|pieces| html! { <LineView pieces={pieces.clone()} /> }) }
                        { "\n" }
                        <span class="spacer" ref={bottom_spacer}></span>
                    </pre>
                    <textarea
                        class="editor-input"
                        data-testid="policy-editor"
                        aria-label={t(lang, "ui.editor.label")}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        ref={area_ref.clone()}
                        aria-describedby="editor-keys"
                        oninput={on_input}
                        onkeydown={on_keydown}
                        onkeyup={on_keyup}
                        onclick={on_click}
                        onscroll={on_scroll}
                    />
                </div>
            </div>
            <p class="muted editor-keys" id="editor-keys">{ t(lang, "ui.editor.keys") }</p>
            { findings(&FindingsProps { lang, marks, on_jump }) }
        </>
    }
}

/// A coloured piece of one line of the editor's overlay. `Eq`, so that
/// comparing two `Rc<[Piece]>` starts with their pointers.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    text: String,
    class: String,
    title: Option<String>,
}

/// A mark in the lines in view: offsets in the shown text, and what its
/// underline shows.
#[derive(Clone, PartialEq)]
pub(crate) struct VisibleMark {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) severity: String,
    pub(crate) message: String,
}

/// The overlay's pieces grouped by line: each line is a component, so a
/// change re-renders only the lines whose pieces changed.
pub(crate) fn overlay_lines(
    shown: &str,
    marks: &[VisibleMark],
    brackets: Option<(usize, usize)>,
    highlight: Option<(usize, usize)>,
) -> Vec<Rc<[Piece]>> {
    let ranges: Vec<(usize, usize)> = marks.iter().map(|m| (m.start, m.end)).collect();
    let mut lines: Vec<Rc<[Piece]>> = Vec::new();
    let mut line: Vec<Piece> = Vec::new();
    for r in runs(shown, &ranges, brackets) {
        let mut class = String::from(r.token.class());
        let mut title = None;
        if let Some(i) = r.mark {
            class.push_str(" mark mark-");
            class.push_str(&marks[i].severity);
            title = Some(marks[i].message.clone());
        }
        if r.bracket {
            class.push_str(" bracket-match");
        }
        if highlight.is_some_and(|(s, e)| r.start >= s && r.end <= e) {
            class.push_str(" decided");
        }
        let mut rest = &shown[r.start..r.end];
        while let Some(nl) = rest.find('\n') {
            line.push(Piece {
                text: rest[..=nl].to_string(),
                class: class.clone(),
                title: title.clone(),
            });
            lines.push(std::mem::take(&mut line).into());
            rest = &rest[nl + 1..];
        }
        if !rest.is_empty() {
            line.push(Piece {
                text: rest.to_string(),
                class,
                title,
            });
        }
    }
    lines.push(line.into());
    lines
}

#[derive(Properties, PartialEq)]
pub(crate) struct LineProps {
    pub(crate) pieces: Rc<[Piece]>,
}

/// One line of the overlay; unchanged lines are not re-rendered.
#[component]
pub(crate) fn LineView(props: &LineProps) -> Html {
    html! {
        <>
            { for props.pieces.iter().map(|p| {
                let class = if p.class.is_empty() { None } else { Some(p.class.clone()) };
                html! { <span class={class} title={p.title.clone()}>{ &p.text }</span> }
            }) }
        </>
    }
}

/// Height of one editor line in pixels (the CSS sets the same).
const LINE_PX: i32 = 20;
/// Lines coloured above and below the visible ones.
const MARGIN_LINES: i32 = 8;

/// Scrolls the coloured copy and the line numbers with the textarea.
fn sync_editor_scroll() {
    let doc = gloo::utils::document();
    let Some(area) = doc
        .query_selector("[data-testid=policy-editor]")
        .ok()
        .flatten()
    else {
        return;
    };
    let (top, left) = (area.scroll_top(), area.scroll_left());
    for sel in [".editor-highlight", ".editor-gutter"] {
        if let Some(el) = doc.query_selector(sel).ok().flatten() {
            el.set_scroll_top(top);
            if sel == ".editor-highlight" {
                el.set_scroll_left(left);
            }
        }
    }
}
