//! The page's second module, `kmsplay-web-extras` (`web/extras`): the key's
//! lifecycle, grant calls, EventBridge rules, CloudTrail records and the
//! fixes offered for a failing request.
//!
//! Those run only when someone opens their panel, so they are not in the
//! wasm every visitor waits for. The module is fetched from the page's own
//! origin on first use, or a moment after the first render (with the other
//! language and the exercises), so it also works once the network is gone.
//! `web/boot.js` imports it; this file calls it, text in and JSON out.
//! Until it is loaded the panels say so; if it cannot be loaded they say
//! that, and the rest of the page works on.

use std::cell::{Cell, RefCell};

use kmsplay_messages::Lang;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Where the second module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Not requested yet, or being fetched.
    Loading,
    /// Loaded: calls answer at once.
    Ready,
    /// It could not be loaded (or it failed); the next `load` tries again.
    Failed,
}

enum Status {
    Idle,
    Loading(Vec<Box<dyn FnOnce()>>),
    Ready(JsValue),
    Failed,
}

thread_local! {
    static STATUS: RefCell<Status> = const { RefCell::new(Status::Idle) };
    /// Which languages' catalogues the module has (bit per `Lang::ALL`).
    static INSTALLED: Cell<u8> = const { Cell::new(0) };
}

/// Where the module is now.
pub fn availability() -> Availability {
    STATUS.with(|s| match &*s.borrow() {
        Status::Ready(_) => Availability::Ready,
        Status::Failed => Availability::Failed,
        Status::Idle | Status::Loading(_) => Availability::Loading,
    })
}

/// Runs `then` once the module has loaded or failed to: at once when it
/// is loaded, after fetching it otherwise. Several callers share one fetch.
pub fn load(then: impl FnOnce() + 'static) {
    let mut then = Some(then);
    let fetch = STATUS.with(|s| {
        let mut s = s.borrow_mut();
        match &mut *s {
            Status::Ready(_) => false,
            Status::Loading(waiting) => {
                waiting.extend(then.take().map(|f| Box::new(f) as Box<dyn FnOnce()>));
                false
            }
            Status::Idle | Status::Failed => {
                let waiting = then.take().map(|f| Box::new(f) as Box<dyn FnOnce()>);
                *s = Status::Loading(waiting.into_iter().collect());
                true
            }
        }
    });
    // Already loaded: `then` was not queued.
    if let Some(then) = then {
        then();
    }
    if fetch {
        spawn_local(async {
            let loaded = import().await;
            if let Err(e) = &loaded {
                gloo::console::warn!(format!("could not load the extras module: {e:?}"));
            }
            let next = match loaded {
                Ok(module) => Status::Ready(module),
                Err(_) => Status::Failed,
            };
            let waiting = STATUS.with(|s| match std::mem::replace(&mut *s.borrow_mut(), next) {
                Status::Loading(waiting) => waiting,
                _ => Vec::new(),
            });
            waiting.into_iter().for_each(|f| f());
        });
    }
}

/// Calls `globalThis.kmsplayLoadExtras()`, which `web/boot.js` defines: it
/// imports the module's JavaScript and instantiates its wasm.
async fn import() -> Result<JsValue, JsValue> {
    let loader = js_sys::Reflect::get(&js_sys::global(), &"kmsplayLoadExtras".into())?;
    let loader: js_sys::Function = loader.dyn_into()?;
    let promise: js_sys::Promise = loader.call0(&JsValue::NULL)?.dyn_into()?;
    JsFuture::from(promise).await
}

/// Calls the module's function `name`. `None` when the module is not
/// loaded or the call threw (a panic in the module traps): the module is
/// then marked failed, so the panels say so instead of showing stale text.
fn call(name: &str, args: &[JsValue]) -> Option<JsValue> {
    let module = STATUS.with(|s| match &*s.borrow() {
        Status::Ready(m) => Some(m.clone()),
        _ => None,
    })?;
    let result = js_sys::Reflect::get(&module, &name.into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
        .and_then(|f| f.apply(&JsValue::NULL, &args.iter().collect::<js_sys::Array>()));
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            gloo::console::error!(format!("the extras module failed in {name}: {e:?}"));
            STATUS.with(|s| *s.borrow_mut() = Status::Failed);
            None
        }
    }
}

/// Gives the module `lang`'s catalogue (the files the main module fetched)
/// before its first call in that language.
fn with_lang(lang: Lang) -> JsValue {
    let bit = 1u8 << Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    if INSTALLED.with(Cell::get) & bit == 0 {
        if let Some(files) = crate::loader::catalogue_texts(lang) {
            let files: js_sys::Array = files.iter().map(|f| JsValue::from_str(f)).collect();
            if call("install", &[lang.tag().into(), files.into()]).is_some() {
                INSTALLED.with(|i| i.set(i.get() | bit));
            }
        }
    }
    lang.tag().into()
}

fn json_of(v: Option<JsValue>) -> Option<Value> {
    serde_json::from_str(&v?.as_string()?).ok()
}

/// The file after a lifecycle step or grant call, and what to tell the
/// person.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The new playground file.
    pub file: Value,
    /// What happened (change, created grant, …) as the shared JSON.
    pub report: Value,
    /// True when KMS refused.
    pub refused: bool,
}

fn step(v: Option<JsValue>) -> Option<Step> {
    let mut v = json_of(v)?;
    Some(Step {
        file: v["file"].take(),
        report: v["report"].take(),
        refused: v["refused"].as_bool().unwrap_or(false),
    })
}

/// Applies a lifecycle action (`disable`, `schedule-deletion`, `wait`, …).
pub fn lifecycle(file_text: &str, action: &str, days: Option<i64>, lang: Lang) -> Option<Step> {
    let lang = with_lang(lang);
    let days = days.map_or(JsValue::UNDEFINED, |d| JsValue::from_f64(d as f64));
    step(call(
        "lifecycle_action",
        &[file_text.into(), action.into(), days, lang],
    ))
}

/// CreateGrant by the key's account root.
pub fn create_grant(
    file_text: &str,
    grantee: &str,
    operations: &str,
    subset: &str,
    name: &str,
    lang: Lang,
) -> Option<Step> {
    let lang = with_lang(lang);
    step(call(
        "create_grant",
        &[
            file_text.into(),
            grantee.into(),
            operations.into(),
            subset.into(),
            name.into(),
            lang,
        ],
    ))
}

/// RevokeGrant by the key's account root.
pub fn revoke_grant(file_text: &str, grant_id: &str, lang: Lang) -> Option<Step> {
    let lang = with_lang(lang);
    step(call(
        "revoke_grant",
        &[file_text.into(), grant_id.into(), lang],
    ))
}

/// Which of the file's rules match which of its events, or why a rule's
/// pattern is invalid.
pub fn rule_matches(file_text: &str, lang: Lang) -> Vec<Value> {
    let lang = with_lang(lang);
    match json_of(call("rule_matches", &[file_text.into(), lang])) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

/// The CloudTrail records of the file's requests.
pub fn records(file_text: &str) -> Vec<Value> {
    match json_of(call("records", &[file_text.into()])) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

/// The fixes offered for request `index` and, for an unwanted allow, what
/// lets it through: `{"fixes": [{code, target, params, diff}], "culprits":
/// [{code, params}]}` (see `kmsplay_web_extras::fixes::offer`).
pub fn fix_offer(file_text: &str, index: usize) -> Option<Value> {
    json_of(call(
        "fix_offer",
        &[file_text.into(), JsValue::from_f64(index as f64)],
    ))
}

/// The playground file after the `n`-th offered fix for request `index`,
/// or `None` when it no longer applies.
pub fn fix_apply(file_text: &str, index: usize, n: usize) -> Option<String> {
    call(
        "fix_apply",
        &[
            file_text.into(),
            JsValue::from_f64(index as f64),
            JsValue::from_f64(n as f64),
        ],
    )?
    .as_string()
}

/// A message's parameters as the module writes them (`[[name, value]…]`).
pub fn params(v: &Value) -> Vec<(&str, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            let name = pair[0].as_str()?;
            let value = pair[1].as_str()?.to_string();
            Some((name, value))
        })
        .collect()
}

/// Adds two requests that use a grant: without its token and with it (a
/// pending grant works only with the token).
pub fn try_grant(file: &Value, grant: &Value) -> Value {
    let mut file = file.clone();
    let grantee = grant["grantee"].as_str().unwrap_or_default().to_string();
    let op = grant["operations"][0]
        .as_str()
        .unwrap_or("Decrypt")
        .to_string();
    let id = grant["id"].as_str().unwrap_or_default().to_string();
    let token = grant["token"].as_str().map(str::to_string);
    let context = grant["constraints"]["encryption_context_subset"]
        .as_object()
        .or(grant["constraints"]["encryption_context_equals"].as_object())
        .cloned()
        .unwrap_or_default();
    let mut requests = file["requests"].as_array().cloned().unwrap_or_default();
    let base = json!({
        "principal": grantee,
        "action": format!("kms:{op}"),
        "encryption_context": context,
    });
    let mut without = base.clone();
    without["name"] = json!(format!("{grantee} uses grant {id} without its token"));
    requests.push(without);
    if let Some(t) = token {
        let mut with = base;
        with["name"] = json!(format!("{grantee} uses grant {id} with its token"));
        with["grant_tokens"] = json!([t]);
        requests.push(with);
    }
    file["requests"] = Value::Array(requests);
    file
}
