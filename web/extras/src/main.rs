//! The page's second module as wasm: the functions of this crate's
//! library behind text in, text out, for `web/src/extras.rs` to call.
//! Built by Trunk next to the main module (`index.html`), never loaded
//! by itself.

use kmsplay_messages::Lang;
use kmsplay_web_extras::{exercises, fixes, lifecycle, merge, share, snippet};
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

/// A scenario's snippet for the parameter values `given_json`
/// (`[[name, value]…]`), as JSON (see `snippet::scenario_snippet`).
#[wasm_bindgen]
pub fn scenario_snippet(scenario_id: &str, given_json: &str) -> Option<String> {
    let given: Vec<(String, String)> = serde_json::from_str(given_json).ok()?;
    snippet::scenario_snippet(scenario_id, &given).map(|v| v.to_string())
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

/// The file (JSON) with two requests added that use the grant (JSON):
/// without its token and with it.
#[wasm_bindgen]
pub fn try_grant(file_json: &str, grant_json: &str) -> Option<String> {
    let file: serde_json::Value = serde_json::from_str(file_json).ok()?;
    let grant: serde_json::Value = serde_json::from_str(grant_json).ok()?;
    Some(lifecycle::try_grant(&file, &grant).to_string())
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

/// Gives the exercise catalogue its files (texts in the order of `ids`).
#[wasm_bindgen]
pub fn install_exercises(ids: Vec<String>, texts: Vec<String>) -> bool {
    exercises::install(ids, texts)
}

/// The exercises, as `exercises::catalogue` writes them.
#[wasm_bindgen]
pub fn exercise_catalogue() -> String {
    exercises::catalogue().to_string()
}

/// Every goal of exercise `id` checked against the learner's key policy
/// and identity policies (a JSON array of `[identity, policy, text]`), as
/// `exercises::check` writes it; nothing for an unknown exercise.
#[wasm_bindgen]
pub fn exercise_check(
    id: &str,
    key_policy: &str,
    identity_policies_json: &str,
    lang_tag: &str,
) -> Option<String> {
    let identity: Vec<(usize, usize, String)> =
        serde_json::from_str(identity_policies_json).unwrap_or_default();
    exercises::check(id, key_policy, &identity, lang(lang_tag)).map(|v| v.to_string())
}

/// The scenario's statements (a JSON array) added to the policy text, as
/// `merge::merge` writes the outcome.
#[wasm_bindgen]
pub fn merge_statements(policy_text: &str, statements_json: &str) -> String {
    let statements: Vec<serde_json::Value> =
        serde_json::from_str(statements_json).unwrap_or_default();
    merge::merge(policy_text, &statements).to_string()
}

/// The share link's fragment (`pg=…`) for a playground file's text.
#[wasm_bindgen]
pub fn share_encode(text: &str) -> String {
    share::encode(text)
}

fn main() {}
