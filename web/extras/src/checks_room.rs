//! The "Policy checks" panel: a Yew app of this module's own, rendered
//! into the element `#checks-room` that the page's main module keeps
//! empty for it, and given the baseline and the current playground file a
//! moment after typing stops (never on the keystroke path: the checks
//! take tens of milliseconds on a large policy). What it shows is
//! [`crate::checks::view`]. It hands back to the main module, as events on
//! `window` whose `detail` is text: `kmsplay:add-request` (the playground
//! file with a counterexample added) and `kmsplay:baseline` (mark the
//! policy as edited as the new baseline).

use std::cell::RefCell;
use std::rc::Rc;

use kmsplay_messages::{render, Lang};
use yew::prelude::*;

use crate::checks::{view, Check, ChecksView};
use crate::rooms::{send, show_in, Mounted};

/// The host element's id.
pub const HOST: &str = "checks-room";

/// The panel's properties.
#[derive(Properties, PartialEq, Clone)]
pub struct ChecksProps {
    /// The baseline key policy's text (none: no "What changed").
    pub baseline: Option<Rc<str>>,
    /// The playground file as edited.
    pub current: Rc<str>,
    /// The key policy as the editor shows it (where findings are placed).
    pub policy: Rc<str>,
    /// The page's language.
    pub lang: Lang,
}

fn check_block(testid: &'static str, heading: String, check: &Check, lang: Lang) -> Html {
    html! {
        <section class={classes!("check", format!("check-{}", check.result))} data-testid={testid} data-result={check.result}>
            <h3>{ heading }</h3>
            <p class="verdict">{ &check.verdict }</p>
            if !check.requests.is_empty() {
                <ul class="proofs">
                    { for check.requests.iter().map(|p| {
                        let file = p.file_with_it.clone();
                        html! {
                            <li>
                                <span>{ &p.words }</span>{ " " }
                                <button type="button" class="small" data-testid="check-add" onclick={Callback::from(move |_| send("kmsplay:add-request", &file))}>{ render(lang, "analysis.room.add", &[]) }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            { for check.limits.iter().map(|l| html! { <p class="muted">{ l }</p> }) }
        </section>
    }
}

/// Gives the main module the checks' findings for the editor, with the
/// policy text they are placed in (it drops them if the text has changed
/// since): `{"policy": TEXT, "findings": [{code, severity, start, end,
/// line, column, message}…]}`.
fn send_findings(policy: &str, findings: &[crate::checks::EditorFinding]) {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "code": f.code, "severity": f.severity, "start": f.start, "end": f.end,
                "line": f.line, "column": f.column, "message": f.message,
            })
        })
        .collect();
    let detail = serde_json::json!({ "policy": policy, "findings": list });
    send("kmsplay:findings", &detail.to_string());
}

/// The page's clock, in milliseconds (for the figures the end-to-end
/// tests print).
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Milliseconds as text with two decimals, for a `data-` attribute.
fn ms(v: f64) -> String {
    format!("{v:.2}")
}

/// The operations "Who can" offers: those on a key.
fn operations() -> impl Iterator<Item = &'static str> {
    kmsplay_kms::catalogue::OPERATIONS
        .iter()
        .filter(|op| op.key_resource)
        .map(|op| op.name)
}

/// The panel.
#[function_component]
pub fn ChecksPanel(props: &ChecksProps) -> Html {
    let lang = props.lang;
    let operation = use_state(|| "Decrypt".to_string());
    let shown: Rc<ChecksView> = use_memo(
        (
            props.baseline.clone(),
            props.current.clone(),
            props.policy.clone(),
            (*operation).clone(),
            lang,
        ),
        |(baseline, current, policy, operation, lang)| {
            let v = view(
                baseline.as_deref(),
                current,
                policy,
                operation,
                *lang,
                &now_ms,
            );
            send_findings(policy, &v.findings);
            v
        },
    );
    let t = |id: &str| render(lang, id, &[]);
    let on_operation = {
        let operation = operation.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            operation.set(select.value());
        })
    };
    let on_mark = Callback::from(|_| send("kmsplay:baseline", ""));
    html! {
        <div class="checks" data-testid="checks" data-checks-ms={ms(shown.total_ms)} data-no-new-access-ms={shown.no_new_access_ms.map(ms)}>
            <h2>{ t("analysis.room.title") }</h2>
            <p class="muted">{ t("analysis.room.intro") }</p>
            if let Some(why) = &shown.unreadable {
                <p class="muted" data-testid="checks-unreadable">{ why }</p>
            }
            if let Some(changed) = &shown.changed {
                { check_block("check-changed", t("analysis.room.changed"), changed, lang) }
            }
            if shown.unreadable.is_none() {
                <p class="muted small">
                    { t("analysis.room.baseline-note") }{ " " }
                    <button type="button" class="small" data-testid="check-mark" onclick={on_mark}>{ t("analysis.room.mark") }</button>
                </p>
            }
            if let Some(public) = &shown.public {
                { check_block("check-public", t("analysis.room.public"), public, lang) }
            }
            if let Some(lockout) = &shown.lockout {
                { check_block("check-lockout", t("analysis.room.lockout"), lockout, lang) }
            }
            if let Some(who) = &shown.who_can {
                <section class="check who-can" data-testid="who-can">
                    <h3>{ t("analysis.room.who-can") }</h3>
                    <label class="who-can-op">
                        <span>{ t("analysis.room.operation") }</span>
                        <select data-testid="who-can-operation" onchange={on_operation}>
                            { for operations().map(|op| html! {
                                <option value={op} selected={op == operation.as_str()}>{ format!("kms:{op}") }</option>
                            }) }
                        </select>
                    </label>
                    <p>{ &who.title }</p>
                    <table class="who-can-table">
                        <tbody>
                            { for who.callers.iter().map(|(class, lines)| html! {
                                <tr data-testid="who-can-row">
                                    <th scope="row">{ class }</th>
                                    <td><ul>{ for lines.iter().map(|l| html! { <li>{ l }</li> }) }</ul></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    { for who.limits.iter().map(|l| html! { <p class="muted">{ l }</p> }) }
                </section>
            }
        </div>
    }
}

thread_local! {
    static APP: Mounted<ChecksPanel> = const { RefCell::new(None) };
}

/// Shows the checks of `current` against `baseline` (empty: none) in the
/// host element; false when the page has no host now.
pub fn show(baseline: &str, current: &str, policy: &str, lang: Lang) -> bool {
    let props = ChecksProps {
        baseline: (!baseline.is_empty()).then(|| Rc::from(baseline)),
        current: Rc::from(current),
        policy: Rc::from(policy),
        lang,
    };
    show_in(&APP, HOST, props)
}
