//! The page's second module, `kmsplay-web-extras` (`web/extras`): the key's
//! lifecycle, grant calls, EventBridge rules, CloudTrail records, the
//! exercises, the fixes offered for a failing request, "add to my policy"
//! and writing share links.
//!
//! Those run only when someone opens their panel, so they are not in the
//! wasm every visitor waits for. The module is fetched from the page's own
//! origin on first use, or a moment after the first render (with the other
//! language and the exercises), so it also works once the network is gone.
//! `web/boot.js` imports it; this file calls it, text in and JSON out.
//! Until it is loaded the panels say so; if it cannot be loaded they say
//! that, and the rest of the page works on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use kmsplay_messages::Lang;
use kmsplay_playground::PolicySource;
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
    /// The exercises, read from the module once it has their files.
    static EXERCISES: RefCell<Option<Rc<Vec<Exercise>>>> = const { RefCell::new(None) };
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

/// Resolves once the module has loaded (true) or failed to (false).
pub async fn ready() -> bool {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        load(move || {
            let _ = resolve.call0(&JsValue::NULL);
        })
    });
    let _ = JsFuture::from(promise).await;
    availability() == Availability::Ready
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
fn with_lang(lang: Lang) -> &'static str {
    let bit = 1u8 << Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    if INSTALLED.with(Cell::get) & bit == 0 {
        let files = kmsplay_messages::files(lang);
        if !files.is_empty() && Exports::install(lang.tag(), files).is_some() {
            INSTALLED.with(|i| i.set(i.get() | bit));
        }
    }
    lang.tag()
}

fn json_of(v: Option<String>) -> Option<Value> {
    kmsplay_playground::json_value(&v?)
}

/// An argument of a call, as it crosses to the module (the argument types
/// [`kmsplay_web_extras::with_calls!`] allows); a list is given here as
/// borrowed text (`Given`), so nothing is copied on the way.
pub trait Arg {
    /// What the proxy takes.
    type Given<'a>;
    /// It as JavaScript.
    fn to_js(v: Self::Given<'_>) -> JsValue;
}

impl Arg for &str {
    type Given<'a> = &'a str;
    fn to_js(v: &str) -> JsValue {
        v.into()
    }
}

impl Arg for u32 {
    type Given<'a> = u32;
    fn to_js(v: u32) -> JsValue {
        v.into()
    }
}

impl Arg for bool {
    type Given<'a> = bool;
    fn to_js(v: bool) -> JsValue {
        v.into()
    }
}

impl Arg for Option<i32> {
    type Given<'a> = Option<i32>;
    fn to_js(v: Option<i32>) -> JsValue {
        v.map_or(JsValue::UNDEFINED, JsValue::from)
    }
}

impl Arg for Vec<String> {
    type Given<'a> = &'a [&'a str];
    fn to_js(v: &[&str]) -> JsValue {
        v.iter()
            .map(|s| JsValue::from_str(s))
            .collect::<js_sys::Array>()
            .into()
    }
}

/// A call's result, as it comes back from the module (the result types
/// [`kmsplay_web_extras::with_calls!`] allows); `None` when it is not one.
pub trait Answer {
    /// What the proxy gives: a result the module may leave out comes as
    /// one `Option` with the not-loaded case.
    type Read;
    /// The result read back.
    fn from_js(v: JsValue) -> Option<Self::Read>;
}

impl Answer for String {
    type Read = String;
    fn from_js(v: JsValue) -> Option<String> {
        v.as_string()
    }
}

/// `null` or `undefined` (the module answered with nothing) and a module
/// that did not answer are both `None`.
impl Answer for Option<String> {
    type Read = String;
    fn from_js(v: JsValue) -> Option<String> {
        v.as_string()
    }
}

impl Answer for bool {
    type Read = bool;
    fn from_js(v: JsValue) -> Option<bool> {
        v.as_bool()
    }
}

/// Writes a proxy per call (the bodies run in the module, so they are
/// dropped here): it calls the module's export of the same name, `None`
/// when the module is not loaded or the call failed.
macro_rules! proxies {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block)*) => {
        impl Exports {
            /// The name of every call, as the module exports it.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            $(
                $(#[$doc])*
                #[inline(always)]
                pub fn $name($($arg: <$ty as Arg>::Given<'_>),*) -> Option<<$ret as Answer>::Read> {
                    <$ret as Answer>::from_js(call(stringify!($name), &[$(<$ty as Arg>::to_js($arg)),*])?)
                }
            )*
        }
    };
}

/// The second module's exports, a function per call of
/// [`kmsplay_web_extras::with_calls!`], each called by its name.
pub struct Exports;

kmsplay_web_extras::with_calls!(proxies);

/// Shows the lifecycle panel (the module renders it into
/// `#lifecycle-room`) for the playground file `file_text`; `file_mode`
/// when the page shows the file's own requests. Called while the page
/// renders the element: the module draws into it right after.
pub fn show_lifecycle(file_text: &str, file_mode: bool, lang: Lang) {
    let lang = with_lang(lang);
    let _ = Exports::show_lifecycle(file_text, file_mode, lang);
}

/// The fixes offered for a request that does not get what it expects
/// and, for an unwanted allow, what lets it through: the module's answer
/// (`{"fixes": [...], "culprits": [...]}`, each as `kmsplay fix --format
/// json` writes it), read through these methods only.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfferedFixes(Value);

impl OfferedFixes {
    /// Each fix, in the order offered (its place is its number for
    /// [`fix_apply`]).
    pub fn fixes(&self) -> impl Iterator<Item = OfferedFix<'_>> {
        list(&self.0["fixes"]).iter().map(OfferedFix)
    }

    /// What lets an unwanted allow through, in words.
    pub fn culprits(&self) -> impl Iterator<Item = &str> {
        list(&self.0["culprits"])
            .iter()
            .map(|c| str_of(&c["message"]))
    }

    /// Neither a fix nor a culprit.
    pub fn is_empty(&self) -> bool {
        list(&self.0["fixes"]).is_empty() && list(&self.0["culprits"]).is_empty()
    }
}

/// One offered fix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfferedFix<'a>(&'a Value);

impl<'a> OfferedFix<'a> {
    /// Its code (`add-key-policy-statement`, …).
    pub fn code(&self) -> &'a str {
        str_of(&self.0["code"])
    }
    /// What it changes: `key_policy`, `identity_policy`, `layer`, ….
    pub fn target(&self) -> &'a str {
        str_of(&self.0["target"]["kind"])
    }
    /// The other layer's policy it changes (only such a target has a path).
    pub fn layer(&self) -> Option<PolicySource> {
        self.0["target"]["path"]
            .as_str()
            .and_then(PolicySource::from_path)
    }
    /// What changes, as a diff (empty when it cannot be applied).
    pub fn diff(&self) -> &'a str {
        str_of(&self.0["diff"])
    }
    /// Its title, in words.
    pub fn title(&self) -> &'a str {
        str_of(&self.0["title"])
    }
    /// What it does, in words.
    pub fn detail(&self) -> &'a str {
        str_of(&self.0["detail"])
    }
}

/// The fixes offered for request `index` and, for an unwanted allow, what
/// lets it through, their words in `lang` (see
/// `kmsplay_web_extras::fixes::offer`).
pub fn fix_offer(file_text: &str, index: usize, lang: Lang) -> Option<OfferedFixes> {
    let lang = with_lang(lang);
    json_of(Exports::fix_offer(file_text, index as u32, lang)).map(OfferedFixes)
}

/// The playground file after the `n`-th offered fix for request `index`,
/// or `None` when it no longer applies.
pub fn fix_apply(file_text: &str, index: usize, n: usize) -> Option<String> {
    Exports::fix_apply(file_text, index as u32, n as u32)
}

/// What adding statements to a policy gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Merged {
    /// The policy with them, and the lists of what was added, skipped
    /// (already there) and filled in (placeholders of a statement with
    /// the same Sid), as JSON text for the notice.
    Text {
        text: String,
        added: String,
        skipped: String,
        filled: String,
    },
    /// Why they could not be added: a message id and its parameters.
    Refused {
        id: String,
        params: Vec<(String, String)>,
    },
}

/// Adds `statements` to the policy text (see `kmsplay_web_extras::merge`,
/// which answers `{"text", "added", "skipped", "filled"}` or `{"error",
/// "params"}`); `None` when the module is not loaded. Synchronous on
/// purpose: the page offers it only once the module is there, so the text
/// merged is the text shown (a merge finishing after a load could
/// overwrite what was typed since).
pub fn merge(policy_text: &str, statements: &[Value]) -> Option<Merged> {
    let statements = kmsplay_playground::json_text(&Value::from(statements.to_vec()));
    let m = json_of(Exports::merge_statements(policy_text, &statements))?;
    Some(match m["text"].as_str() {
        Some(text) => Merged::Text {
            text: text.to_string(),
            added: kmsplay_playground::json_text(&m["added"]),
            skipped: kmsplay_playground::json_text(&m["skipped"]),
            filled: kmsplay_playground::json_text(&m["filled"]),
        },
        None => Merged::Refused {
            id: text(&m["error"]),
            params: params(&m["params"])
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        },
    })
}

/// The statements a scenario needs, and the other principals' policies:
/// the module's answer (`{"statements", "text", "others": [{"label",
/// "attach_to", "text"}]}`), read through these methods only.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snippet(Value);

impl Snippet {
    /// The key policy statements, to merge into the policy.
    pub fn statements(&self) -> &[Value] {
        list(&self.0["statements"])
    }
    /// The same, as text to copy.
    pub fn text(&self) -> &str {
        str_of(&self.0["text"])
    }
    /// The policies other principals need: the message id of each one's
    /// heading (with `principal`), whom it is attached to, and its text.
    pub fn others(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        list(&self.0["others"]).iter().map(|o| {
            (
                str_of(&o["label"]),
                str_of(&o["attach_to"]),
                str_of(&o["text"]),
            )
        })
    }
}

/// The statements scenario `scenario` needs for the parameter values
/// `given`, and the other principals' policies (see
/// `kmsplay_web_extras::snippet`); `None` until the module is loaded.
pub fn snippet(scenario: &str, given: &[(String, String)]) -> Option<Snippet> {
    let pairs: Vec<Value> = given.iter().map(|(k, v)| json!([k, v])).collect();
    let given = kmsplay_playground::json_text(&Value::Array(pairs));
    json_of(Exports::scenario_snippet(scenario, &given)).map(Snippet)
}

/// Opens the "Import from AWS" room, which the module renders (loading it
/// first if needed); `failed` runs when it cannot be loaded. The room hands
/// the file it made back as a `kmsplay:import` event (see `components`).
pub fn open_import(lang: Lang, failed: impl FnOnce() + 'static) {
    load(move || {
        let tag = with_lang(lang);
        if Exports::open_import(tag) != Some(true) {
            failed();
        }
    });
}

/// Shows the "Policy checks" panel (the module renders it into
/// `#checks-room`): the playground file `current` with its key policy
/// `policy` (the editor's text) against the key policy `baseline`, loading
/// the module first if needed; the findings come back placed in `policy`
/// (a `kmsplay:findings` event). Called a moment after typing stops, never
/// on a keystroke.
pub fn show_checks(baseline: String, current: String, policy: String, lang: Lang) {
    load(move || {
        let tag = with_lang(lang);
        let _ = Exports::show_checks(&baseline, &current, &policy, tag);
    });
}

/// Writes the share link's fragment (`pg=…`) for `text` in the module,
/// loading it first if needed; `then` gets `None` when it cannot be loaded.
pub fn share_fragment(text: String, then: impl FnOnce(Option<String>) + 'static) {
    load(move || then(Exports::share_encode(&text)));
}

/// An exercise as the page shows it (`title`, `level`, `brief` and `hints`
/// are message ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// Its id (the file's name).
    pub id: String,
    /// Message id of its title.
    pub title: String,
    /// Message id of its level's label.
    pub level: String,
    /// Message id of its brief.
    pub brief: String,
    /// Message ids of its hints, in order.
    pub hints: Vec<String>,
    /// The playground file it starts from.
    pub start: Value,
    /// The solved key policy's text.
    pub solution: String,
}

/// True once the module has the exercises (see [`install_exercises`]).
pub fn exercises_available() -> bool {
    EXERCISES.with(|e| e.borrow().is_some())
}

/// Gives the (loaded) module the exercise files, texts in the order of
/// `ids`, and reads its catalogue back. False when the module is not
/// loaded.
pub fn install_exercises(ids: &[&str], texts: Vec<String>) -> bool {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    if Exports::install_exercises(ids, &texts).is_none() {
        return false;
    }
    let Some(Value::Array(list)) = json_of(Exports::exercise_catalogue()) else {
        return false;
    };
    let list = list
        .iter()
        .map(|e| Exercise {
            id: text(&e["id"]),
            title: text(&e["title"]),
            level: text(&e["level"]),
            brief: text(&e["brief"]),
            hints: e["hints"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect(),
            start: e["start"].clone(),
            solution: text(&e["solution"]),
        })
        .collect();
    EXERCISES.with(|e| *e.borrow_mut() = Some(Rc::new(list)));
    true
}

/// Every exercise (none before [`install_exercises`]).
pub fn exercise_catalogue() -> Rc<Vec<Exercise>> {
    EXERCISES.with(|e| e.borrow().clone().unwrap_or_default())
}

/// The exercise called `id`.
pub fn exercise(id: &str) -> Option<Exercise> {
    exercise_catalogue().iter().find(|e| e.id == id).cloned()
}

/// One goal of an exercise, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalCheck {
    /// Message id of the goal's sentence.
    pub text_id: String,
    /// Is it met?
    pub met: bool,
    /// Why not, in the page's language.
    pub detail: Option<String>,
}

/// Every goal of an exercise, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Checklist {
    /// In the exercise's order.
    pub goals: Vec<GoalCheck>,
    /// True when every goal is met.
    pub all_met: bool,
}

/// Checks every goal of exercise `id` against the learner's key policy
/// and identity policies (identity index, policy index, text).
pub fn exercise_check(
    id: &str,
    key_policy: &str,
    identity_policies: &[(usize, usize, String)],
    lang: Lang,
) -> Checklist {
    let lang = with_lang(lang);
    let identity = kmsplay_playground::json_text(&json!(identity_policies));
    let Some(v) = json_of(Exports::exercise_check(id, key_policy, &identity, lang)) else {
        return Checklist::default();
    };
    Checklist {
        all_met: v["all_met"].as_bool().unwrap_or(false),
        goals: v["goals"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| GoalCheck {
                text_id: g["text_id"].as_str().unwrap_or_default().to_string(),
                met: g["met"].as_bool().unwrap_or(false),
                detail: g["detail"].as_str().map(str::to_string),
            })
            .collect(),
    }
}

/// The policy checks' failures as the checks room sends them (a
/// `kmsplay:findings` event: `{"policy", "findings": [...]}`, see
/// `web/extras/src/checks_room.rs`): the policy text they were placed in,
/// and the marks for the editor.
pub fn checks_findings(event_text: &str) -> Option<(String, Vec<crate::derive::Mark>)> {
    let v = kmsplay_playground::json_value(event_text)?;
    let marks = list(&v["findings"])
        .iter()
        .filter_map(crate::derive::Mark::from_json)
        .collect();
    Some((text(&v["policy"]), marks))
}

/// A text the module wrote (empty when it wrote none).
fn text(v: &Value) -> String {
    str_of(v).to_string()
}

/// [`text`], borrowed.
fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A list the module wrote (empty when it wrote none).
fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[][..], Vec::as_slice)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The module's answers are read into the values the page shows (the
    /// shapes `kmsplay fix --format json` and `kmsplay snippet --format
    /// json` write; the e2e tests apply a fix and merge a snippet for real).
    #[test]
    fn the_modules_answers_read_as_values() {
        let offer = OfferedFixes(json!({
            "fixes": [
                {"code": "add-key-policy-statement", "target": {"kind": "key_policy"},
                 "diff": "+ {…}", "title": "Add a statement", "detail": "Lets Bob decrypt"},
                {"code": "add-layer-allow", "target": {"kind": "layer", "path": "organization.scps.r-1[0]"},
                 "diff": "", "title": "Allow in the SCP", "detail": "…"}
            ],
            "culprits": [{"message": "Statement #2 allows everyone"}]
        }));
        let fixes: Vec<OfferedFix> = offer.fixes().collect();
        assert_eq!(fixes.len(), 2);
        assert_eq!(fixes[0].code(), "add-key-policy-statement");
        assert_eq!(fixes[0].target(), "key_policy");
        assert_eq!(fixes[0].layer(), None);
        assert_eq!(
            (fixes[0].title(), fixes[0].detail()),
            ("Add a statement", "Lets Bob decrypt")
        );
        assert_eq!(fixes[0].diff(), "+ {…}");
        assert_eq!(
            fixes[1].layer(),
            PolicySource::from_path("organization.scps.r-1[0]")
        );
        assert!(fixes[1].layer().is_some());
        assert_eq!(
            offer.culprits().collect::<Vec<_>>(),
            ["Statement #2 allows everyone"]
        );
        assert!(!offer.is_empty());
        assert!(OfferedFixes::default().is_empty());

        let snippet = Snippet(json!({
            "statements": [{"Sid": "A"}],
            "text": "{\n  \"Sid\": \"A\"\n}",
            "others": [{"label": "snippet.other.bucket", "attach_to": "arn:aws:s3:::b", "text": "{}"}]
        }));
        assert_eq!(snippet.statements(), [json!({"Sid": "A"})]);
        assert!(snippet.text().contains("\"Sid\""));
        assert_eq!(
            snippet.others().collect::<Vec<_>>(),
            [("snippet.other.bucket", "arn:aws:s3:::b", "{}")]
        );
        assert_eq!(Snippet::default().others().count(), 0);

        let (policy, marks) = checks_findings(
            r#"{"policy": "{}", "findings": [
                {"start": 1, "end": 2, "severity": "error", "code": "lockout", "message": "m", "line": 1, "column": 2},
                {"start": 1}
            ]}"#,
        )
        .unwrap();
        assert_eq!(policy, "{}");
        assert_eq!(marks.len(), 1, "a mark without its fields is dropped");
        assert_eq!((marks[0].code.as_str(), marks[0].column), ("lockout", 2));
        assert!(checks_findings("not json").is_none());
    }
}
