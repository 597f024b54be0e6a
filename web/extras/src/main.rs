//! The page's second module as wasm: the functions of this crate's
//! library behind text in, text out, for `web/src/extras.rs` to call.
//! Built by Trunk next to the main module (`index.html`), never loaded
//! by itself.

use kmsplay_messages::Lang;
use kmsplay_web_extras::{fixes, lifecycle};
use wasm_bindgen::prelude::*;

fn lang(tag: &str) -> Lang {
    Lang::from_tag(tag).unwrap_or(Lang::En)
}

fn step_json(step: Option<lifecycle::Step>) -> Option<String> {
    step.map(|s| s.to_json().to_string())
}

/// Installs a language's message catalogue, whose files the main module
/// fetched (in `Lang::FILES` order). True when it was new.
#[wasm_bindgen]
pub fn install(lang_tag: &str, files: Vec<String>) -> bool {
    Lang::from_tag(lang_tag).is_some_and(|l| kmsplay_messages::install(l, files))
}

/// A lifecycle action on the file (`disable`, `wait`, …): the step as
/// `{"file", "report", "refused"}`, or nothing when the file or action is
/// not understood.
#[wasm_bindgen]
pub fn lifecycle_action(
    file_text: &str,
    action: &str,
    days: Option<i32>,
    lang_tag: &str,
) -> Option<String> {
    step_json(lifecycle::lifecycle(
        file_text,
        action,
        days.map(i64::from),
        lang(lang_tag),
    ))
}

/// CreateGrant by the key's account root, as a step.
#[wasm_bindgen]
pub fn create_grant(
    file_text: &str,
    grantee: &str,
    operations: &str,
    subset: &str,
    name: &str,
    lang_tag: &str,
) -> Option<String> {
    step_json(lifecycle::create_grant(
        file_text,
        grantee,
        operations,
        subset,
        name,
        lang(lang_tag),
    ))
}

/// RevokeGrant by the key's account root, as a step.
#[wasm_bindgen]
pub fn revoke_grant(file_text: &str, grant_id: &str, lang_tag: &str) -> Option<String> {
    step_json(lifecycle::revoke_grant(file_text, grant_id, lang(lang_tag)))
}

/// The file's EventBridge rules and the events each matches, as a JSON array.
#[wasm_bindgen]
pub fn rule_matches(file_text: &str, lang_tag: &str) -> String {
    serde_json::Value::Array(lifecycle::rule_matches(file_text, lang(lang_tag))).to_string()
}

/// The CloudTrail records of the file's requests, as a JSON array.
#[wasm_bindgen]
pub fn records(file_text: &str) -> String {
    serde_json::Value::Array(lifecycle::records(file_text)).to_string()
}

/// The fixes for request `index`, as `fixes::offer` writes them.
#[wasm_bindgen]
pub fn fix_offer(file_text: &str, index: u32) -> String {
    fixes::offer(file_text, index as usize).to_string()
}

/// The file after the `n`-th offered fix, or nothing when it no longer applies.
#[wasm_bindgen]
pub fn fix_apply(file_text: &str, index: u32, n: u32) -> Option<String> {
    fixes::apply(file_text, index as usize, n as usize)
}

fn main() {}
