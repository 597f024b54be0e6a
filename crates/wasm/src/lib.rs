//! The KMS Policy Playground engine for JavaScript (browsers and Node),
//! through `wasm-bindgen`.
//!
//! ```js
//! import { simulate, Playground, lint, scenarios, snippet, checkNoNewAccess } from '@kms-policy-playground/engine'
//! const report = simulate(fileText)               // what `kmsplay simulate --format json` prints
//! const pg = new Playground(fileText)             // read once…
//! pg.decide('{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt"}')
//! checkNoNewAccess(oldPolicy, newPolicy).result   // "pass", "fail" or "unknown"
//! ```
//!
//! Every function takes text (a playground file, a policy, a request: the
//! JSON a person pasted, so errors can say where) and returns plain
//! objects. Errors are thrown as `Error` objects with `code`, `message`,
//! `line`, `column` and, when there is one, `path` (the field).
//! The language of messages is `options.lang`: `"en"` (default) or `"ja"`.
//!
//! The work is done in [`engine`], in plain Rust, so it is tested and
//! benchmarked natively.

pub mod engine;

use engine::{ApiError, Compiled};
use kmsplay_messages::Lang;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The language of messages. */
export type Lang = "en" | "ja";

/** An input of `importAws`: its text, or a name (for messages) and its text. */
export type ImportInput = string | { name: string; text: string };

/** Options of `importAws`. */
export interface ImportOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
  /** Only this key (ARN, key id or alias); records for other keys are counted in a note. */
  key?: string;
}

/** What `importAws` returns. */
export interface ImportResult {
  /** One playground file per key: `text` is the file (JSON text) to simulate. */
  files: { key: string; requests: number; agree: number; disagree: number; text: string }[];
  /** What each input was recognised as, with the records used and skipped. */
  inputs: { name: string; kind: string; gzip: boolean; used: number; skipped: { reason: string; count: number }[] }[];
  /** What is missing, what was assumed, findings: `message` is the sentence. */
  notes: { code: string; params: Record<string, string>; count: number; message: string }[];
}

/** Options of `simulate` and `Playground`. */
export interface SimulateOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
  /** Include every request's full trace (statements, conditions, grants, condition keys). Default: `true` for `simulate` (as the command line's JSON), `false` for `Playground.simulate` and `Playground.decide`. */
  trace?: boolean;
}

/** Options of `lint`. */
export interface LintOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
  /** The scenario the key serves (`cloudtrail-trail`, `cloudtrail-event-data-store`, `eventbridge-connection`, …); a playground file's own top-level `scenario` wins. */
  scenario?: string;
}

/** Options of `scenarios` and `snippet`. */
export interface LangOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
}

/** What `simulate` returns: `ReportAnswer`, by the name it had first. */
export type Report = ReportAnswer;
/** One request's result (`RequestAnswer`'s former name). */
export type RequestResult = RequestAnswer;
/** `ReasonAnswer`'s former name. */
export type Reason = ReasonAnswer;
/** `SourceAnswer`'s former name. */
export type DecisionSource = SourceAnswer;
/** `StatementAnswer`'s former name. */
export type StatementTrace = StatementAnswer;
/** `DiagnosticAnswer`'s former name. */
export type Diagnostic = DiagnosticAnswer;

/** One linter finding. */
export interface Finding {
  code: string;
  severity: "error" | "security" | "warning" | "suggestion";
  message: string;
  help: string | null;
  line: number; column: number; end_line: number; end_column: number;
  start: number; end: number;
  params: Record<string, string>;
  /** In a playground file: `key` or `identities[I].policies[J]`. */
  policy?: string;
  in_policy_text?: boolean;
}

/** What `lint` returns. */
export interface LintReport {
  findings: Finding[];
  summary: { error: number; security: number; warning: number; suggestion: number };
}

/** A scenario of the source documents. */
export interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  sources: string[];
  params: { name: string; kind: string; item_kind?: string; label: string; default: string | string[] | boolean }[];
  requests: { id: string; purpose_id: string; consequence_id: string }[];
}

/** What `snippet` returns. */
export interface Snippet {
  scenario: string;
  /** Every parameter's value, defaults filled in. */
  params: Record<string, string | string[] | boolean>;
  /** Key-policy statements to add. */
  statements: object[];
  /** The same, as pretty JSON text. */
  statements_text: string;
  /** A whole key policy: the key account's root statement, then the statements. */
  policy: object;
  /** IAM and trust policies other principals need. */
  other_policies: { kind: "identity" | "trust"; attach_to: string; label: string; policy: object }[];
}

/** Options of `checkNoPublicAccess` and `checkLockout`. */
export interface CheckOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
  /** What `message` calls the input (default `"-"`, as the command line calls standard input). */
  name?: string;
}

/** Options of `checkNoNewAccess`. */
export interface NoNewAccessOptions {
  /** Language of messages (default `"en"`). */
  lang?: Lang;
  /** What `message` calls the old input (default `"-"`). */
  oldName?: string;
  /** What `message` calls the new input (default `"-"`). */
  newName?: string;
}

/** What `checkAccessNotGranted` asks about. */
export interface AccessNotGrantedOptions extends CheckOptions {
  /** KMS actions (`kms:Decrypt`; any case, `kms:` optional): one or more. */
  actions: string[];
  /** Principal ARNs or account ids (default: anyone). */
  principals?: string[];
}

/** What `whoCan` asks about. */
export interface WhoCanOptions {
  /** Language of error messages (default `"en"`). */
  lang?: Lang;
  /** A KMS action (`kms:Decrypt`). */
  action: string;
}

/** The errors this package throws. */
export interface PlaygroundError extends Error {
  /** Stable code: `file.missing-field`, `json-unexpected-char`, `unknown-scenario`, `invalid-account-id`, … */
  code: string;
  /** The field (`requests[2].action`, `request.principal`, a parameter name, `key.policy`, `actions[1]`), when there is one; for `checkNoNewAccess`, prefixed with the input (`old`, `new.key.policy`). */
  path?: string;
  /** 1-based line in the text given, when the error has a place. */
  line?: number;
  /** 1-based column (characters) in the text given. */
  column?: number;
  /** Every parameter error, for `snippet`. */
  details?: unknown;
}
"#;

/// The answers' types (`ReportAnswer`, `RequestAnswer`, …), generated from
/// the Rust types by `tests/ts_types.rs`.
#[wasm_bindgen(typescript_custom_section)]
const ANSWER_TYPES: &'static str = include_str!("../types/answers.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `SimulateOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "SimulateOptions")]
    pub type SimulateOptionsJs;
    /// `LintOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "LintOptions")]
    pub type LintOptionsJs;
    /// `LangOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "LangOptions")]
    pub type LangOptionsJs;
    /// `ImportOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "ImportOptions")]
    pub type ImportOptionsJs;
    /// `importAws`'s inputs (TypeScript).
    #[wasm_bindgen(typescript_type = "ImportInput[]")]
    pub type ImportInputsJs;
    /// `CheckOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "CheckOptions")]
    pub type CheckOptionsJs;
    /// `NoNewAccessOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "NoNewAccessOptions")]
    pub type NoNewAccessOptionsJs;
    /// `AccessNotGrantedOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "AccessNotGrantedOptions")]
    pub type AccessNotGrantedOptionsJs;
    /// `WhoCanOptions` (TypeScript).
    #[wasm_bindgen(typescript_type = "WhoCanOptions")]
    pub type WhoCanOptionsJs;
    /// A snippet's parameters (TypeScript).
    #[wasm_bindgen(typescript_type = "Record<string, string | string[] | boolean>")]
    pub type SnippetParamsJs;
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Options {
    lang: Option<String>,
    trace: Option<bool>,
    scenario: Option<String>,
    key: Option<String>,
    name: Option<String>,
    old_name: Option<String>,
    new_name: Option<String>,
    actions: Option<Vec<String>>,
    principals: Option<Vec<String>>,
    action: Option<String>,
}

fn options<T: AsRef<JsValue>>(value: &Option<T>) -> Result<Options, JsValue> {
    let Some(value) = value
        .as_ref()
        .map(AsRef::as_ref)
        .filter(|v| !v.is_undefined() && !v.is_null())
    else {
        return Ok(Options::default());
    };
    serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| throw(&ApiError::new("invalid-options", e.to_string())))
}

impl Options {
    fn lang(&self) -> Result<Lang, JsValue> {
        match self.lang.as_deref() {
            None => Ok(Lang::En),
            Some(tag) => Lang::from_tag(tag).ok_or_else(|| {
                throw(&ApiError::new(
                    "invalid-options",
                    format!("unknown language `{tag}`: use \"en\" or \"ja\""),
                ))
            }),
        }
    }
}

/// Turns an error into a JavaScript `Error` with `code`, `line`, `column`.
fn throw(e: &ApiError) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("PlaygroundError");
    let obj: &JsValue = err.as_ref();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(k), &v);
    };
    set("code", JsValue::from_str(&e.code));
    if let Some(p) = &e.path {
        set("path", JsValue::from_str(p));
    }
    if let Some(l) = e.line {
        set("line", JsValue::from_f64(l as f64));
    }
    if let Some(c) = e.column {
        set("column", JsValue::from_f64(c as f64));
    }
    if let Some(d) = &e.details {
        set("details", to_js(d));
    }
    err.into()
}

/// JSON text to a plain JavaScript object. The text goes over once and
/// the JavaScript engine's own `JSON.parse` builds the object: far fewer
/// crossings than setting each property from wasm (what
/// `serde-wasm-bindgen` does), and faster for `decide`'s result (see
/// bench/README.md).
fn parse_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

fn to_js(v: &Value) -> JsValue {
    parse_js(&v.to_string())
}

/// Runs every request of a playground file and returns the report
/// `kmsplay simulate --format json` prints: `results` (in request order,
/// each with `name`, `decision`, `outcome`, `reasons`, `expect_met`, … and,
/// unless `trace: false`, the full `trace`), `diagnostics` of the policies,
/// and a `summary`. Throws a `PlaygroundError` when the text is not a valid
/// playground file (its `line` and `column` say where).
#[wasm_bindgen(unchecked_return_type = "ReportAnswer")]
pub fn simulate(
    #[wasm_bindgen(js_name = "playgroundFileJson")] playground_file_json: &str,
    options: Option<SimulateOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    engine::simulate(playground_file_json, o.lang()?, o.trace.unwrap_or(true))
        .map(|t| parse_js(&t))
        .map_err(|e| throw(&e))
}

/// A playground file read once (its key, policies and identities parsed),
/// to decide requests against again and again.
#[wasm_bindgen]
pub struct Playground {
    compiled: Compiled,
    lang: Lang,
    trace: bool,
}

#[wasm_bindgen]
impl Playground {
    /// Reads a playground file. `options` set the defaults of `simulate`
    /// and `decide` (`lang`, `trace`, which is `false` unless given).
    /// Throws a `PlaygroundError` for an invalid file.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = "playgroundFileJson")] playground_file_json: &str,
        options: Option<SimulateOptionsJs>,
    ) -> Result<Playground, JsValue> {
        let o = self::options(&options)?;
        let lang = o.lang()?;
        let compiled = Compiled::new(playground_file_json, lang).map_err(|e| throw(&e))?;
        Ok(Playground {
            compiled,
            lang,
            trace: o.trace.unwrap_or(false),
        })
    }

    /// How many requests the file has.
    #[wasm_bindgen(getter, js_name = "requestCount")]
    pub fn request_count(&self) -> usize {
        self.compiled.file().requests.len()
    }

    /// The key's ARN.
    #[wasm_bindgen(getter, js_name = "keyArn")]
    pub fn key_arn(&self) -> String {
        self.compiled.file().key.arn.to_string()
    }

    /// Decides every request of the file: the same report as `simulate`
    /// (with traces only when `trace` is true).
    #[wasm_bindgen(unchecked_return_type = "ReportAnswer")]
    pub fn simulate(&self, options: Option<SimulateOptionsJs>) -> Result<JsValue, JsValue> {
        let (lang, trace) = self.settings(&options)?;
        Ok(parse_js(&self.compiled.simulate(lang, trace)))
    }

    /// Decides one request against the file's key and identities. The
    /// request is JSON in the playground file's request format
    /// (`{"principal": …, "action": "kms:Decrypt", "encryption_context": {…},
    /// "context": {…}, "grant_tokens": […], "expect": …}`); the answer is
    /// its result object, as an element of `Report.results`. Throws a
    /// `PlaygroundError` placed in `requestJson` (path `request.…`).
    #[wasm_bindgen(unchecked_return_type = "RequestAnswer")]
    pub fn decide(
        &self,
        #[wasm_bindgen(js_name = "requestJson")] request_json: &str,
        options: Option<SimulateOptionsJs>,
    ) -> Result<JsValue, JsValue> {
        let (lang, trace) = self.settings(&options)?;
        self.compiled
            .decide(request_json, lang, trace)
            .map(|t| parse_js(&t))
            .map_err(|e| throw(&e))
    }

    /// Only the decision of one request (`allowed`, `explicitDeny` or
    /// `implicitDeny`) and KMS's outcome, as `"decision outcome"`: the
    /// cheapest call, for bulk checks. Throws as `decide` does.
    #[wasm_bindgen(js_name = "decisionOf")]
    pub fn decision_of(
        &self,
        #[wasm_bindgen(js_name = "requestJson")] request_json: &str,
    ) -> Result<String, JsValue> {
        let spec = Compiled::read_request(request_json, self.lang).map_err(|e| throw(&e))?;
        let r = kmsplay_playground::decide(self.compiled.file(), &spec, false);
        Ok(format!(
            "{} {}",
            r.authorization.decision.as_str(),
            r.authorization.outcome.as_str()
        ))
    }
}

impl Playground {
    fn settings(&self, options: &Option<SimulateOptionsJs>) -> Result<(Lang, bool), JsValue> {
        if options
            .as_ref()
            .is_none_or(|o| o.is_undefined() || o.is_null())
        {
            return Ok((self.lang, self.trace));
        }
        let o = self::options(options)?;
        let lang = match o.lang {
            Some(_) => o.lang()?,
            None => self.lang,
        };
        Ok((lang, o.trace.unwrap_or(self.trace)))
    }
}

/// The linter's findings for a key policy, an IAM policy, or every policy
/// of a playground file (what `kmsplay lint --format json` prints, with a
/// `summary` of counts by severity). Positions are 1-based lines and
/// columns in the text given (for a policy given as a string inside a
/// playground file: in that string; `in_policy_text` says so). A policy
/// that is not JSON gives a finding, not an error; a broken playground
/// file throws a `PlaygroundError`.
#[wasm_bindgen(unchecked_return_type = "LintReport")]
pub fn lint(
    #[wasm_bindgen(js_name = "policyOrFileJson")] policy_or_file_json: &str,
    options: Option<LintOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    engine::lint(policy_or_file_json, o.lang()?, o.scenario.as_deref())
        .map(|v| to_js(&v))
        .map_err(|e| throw(&e))
}

/// The scenarios of the source documents (CloudTrail trails and event data
/// stores, cross-account readers, EventBridge connections, the default
/// key policy): ids, titles, parameters with their defaults, requests.
#[wasm_bindgen(unchecked_return_type = "ScenarioInfo[]")]
pub fn scenarios(options: Option<LangOptionsJs>) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    Ok(to_js(&engine::scenarios(o.lang()?)))
}

/// The key-policy statements scenario `id` prescribes for your names.
/// `params` maps parameter names (see `scenarios()`) to strings, arrays of
/// strings or booleans; those left out take their defaults. Throws a
/// `PlaygroundError` for an unknown scenario (`unknown-scenario`) or a bad
/// value (`invalid-account-id`, …; `details` lists every one).
#[wasm_bindgen(unchecked_return_type = "Snippet")]
pub fn snippet(
    id: &str,
    params: Option<SnippetParamsJs>,
    options: Option<LangOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    let params: serde_json::Map<String, Value> = match params
        .map(JsValue::from)
        .filter(|p| !p.is_undefined() && !p.is_null())
    {
        None => serde_json::Map::new(),
        Some(params) => serde_wasm_bindgen::from_value(params).map_err(|e| {
            throw(&ApiError::new(
                "param-syntax",
                format!("params must be an object of strings, arrays of strings or booleans: {e}"),
            ))
        })?,
    };
    engine::snippet(id, &params, o.lang()?)
        .map(|v| to_js(&v))
        .map_err(|e| throw(&e))
}

/// One input of `importAws`: a text, or a name and a text.
#[derive(Deserialize)]
#[serde(untagged)]
enum ImportInput {
    Text(String),
    Named { name: String, text: String },
}

/// Builds playground files from what AWS printed — CloudTrail records, log
/// files, `lookup-events` and CloudTrail Lake output, `aws kms
/// get-key-policy` / `describe-key` / `list-grants` / `list-resource-tags` /
/// `list-aliases`, `aws iam get-account-authorization-details`, an
/// AccessDenied message — each recognised by its shape: what `kmsplay
/// import` does. Returns `{files, inputs, notes}`; throws a
/// `PlaygroundError` whose `path` names the input that cannot be read
/// (`line` and `column` say where).
#[wasm_bindgen(js_name = "importAws", unchecked_return_type = "ImportResult")]
pub fn import_aws(
    texts: ImportInputsJs,
    options: Option<ImportOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    let inputs: Vec<ImportInput> = serde_wasm_bindgen::from_value(texts.into())
        .map_err(|e| throw(&ApiError::new("invalid-options", e.to_string())))?;
    let named: Vec<(String, String)> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| match input {
            ImportInput::Text(text) => (format!("input {}", i + 1), text),
            ImportInput::Named { name, text } => (name, text),
        })
        .collect();
    engine::import_aws(&named, o.key.as_deref(), o.lang()?)
        .map(|v| to_js(&v))
        .map_err(|e| throw(&e))
}

/// Does the new key policy allow any request the old one does not? What
/// `kmsplay check no-new-access OLD NEW --format json` prints: `result`
/// (`pass`, `fail` or `unknown`), `counterexamples` (requests as a
/// playground file writes them, with the identities they assume),
/// `limits`, `requests_tried` and `message`. Each input is a key policy or
/// a playground file; a bare policy is for the other input's key. Throws
/// a `PlaygroundError` placed in the input it is about (`path` `old…` or
/// `new…`).
#[wasm_bindgen(js_name = "checkNoNewAccess", unchecked_return_type = "CheckAnswer")]
pub fn check_no_new_access(
    #[wasm_bindgen(js_name = "oldJson")] old_json: &str,
    #[wasm_bindgen(js_name = "newJson")] new_json: &str,
    options: Option<NoNewAccessOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    let names = (
        o.old_name.as_deref().unwrap_or(engine::STDIN),
        o.new_name.as_deref().unwrap_or(engine::STDIN),
    );
    engine::check_no_new_access(old_json, new_json, names, o.lang()?)
        .map(|t| parse_js(&t))
        .map_err(|e| throw(&e))
}

/// Can a caller outside the key's account and organization be allowed?
/// What `kmsplay check no-public-access FILE --format json` prints (see
/// `checkNoNewAccess`). Stricter than IAM Access Analyzer's
/// CheckNoPublicAccess: one other account named is outside too.
#[wasm_bindgen(js_name = "checkNoPublicAccess", unchecked_return_type = "CheckAnswer")]
pub fn check_no_public_access(
    #[wasm_bindgen(js_name = "policyOrFileJson")] policy_or_file_json: &str,
    options: Option<CheckOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    let name = o.name.as_deref().unwrap_or(engine::STDIN);
    engine::check_no_public_access(policy_or_file_json, name, o.lang()?)
        .map(|t| parse_js(&t))
        .map_err(|e| throw(&e))
}

/// Is none of `actions` allowed (to `principals`, when given: ARNs or
/// account ids)? What `kmsplay check access-not-granted FILE --action A…
/// [--principal P…] --format json` prints. Throws a `PlaygroundError`
/// (`unknown-action`, `bad-principal`, `missing-actions`) whose `path`
/// names the argument (`actions[1]`).
#[wasm_bindgen(
    js_name = "checkAccessNotGranted",
    unchecked_return_type = "CheckAnswer"
)]
pub fn check_access_not_granted(
    #[wasm_bindgen(js_name = "policyOrFileJson")] policy_or_file_json: &str,
    options: AccessNotGrantedOptionsJs,
) -> Result<JsValue, JsValue> {
    let o = self::options(&Some(options))?;
    let name = o.name.as_deref().unwrap_or(engine::STDIN);
    engine::check_access_not_granted(
        policy_or_file_json,
        o.actions.as_deref().unwrap_or_default(),
        o.principals.as_deref().unwrap_or_default(),
        name,
        o.lang()?,
    )
    .map(|t| parse_js(&t))
    .map_err(|e| throw(&e))
}

/// Who can call `action`: every class of caller the policy (and the
/// file's grants and identities) allows, with the statements, their
/// conditions and the grants that allow it, and one allowed request each.
/// What `kmsplay who-can FILE --action A --format json` prints.
#[wasm_bindgen(js_name = "whoCan", unchecked_return_type = "WhoCan")]
pub fn who_can(
    #[wasm_bindgen(js_name = "policyOrFileJson")] policy_or_file_json: &str,
    options: WhoCanOptionsJs,
) -> Result<JsValue, JsValue> {
    let o = self::options(&Some(options))?;
    let action = o.action.as_deref().unwrap_or_default();
    engine::who_can(policy_or_file_json, action, o.lang()?)
        .map(|t| parse_js(&t))
        .map_err(|e| throw(&e))
}

/// Can a principal of the key's account still call `kms:PutKeyPolicy`
/// (KMS refuses a policy that locks everyone out, unless told to bypass
/// the check)? What `kmsplay check lockout FILE --format json` prints: a
/// `pass` has the caller as `witness`.
#[wasm_bindgen(js_name = "checkLockout", unchecked_return_type = "CheckAnswer")]
pub fn check_lockout(
    #[wasm_bindgen(js_name = "policyOrFileJson")] policy_or_file_json: &str,
    options: Option<CheckOptionsJs>,
) -> Result<JsValue, JsValue> {
    let o = self::options(&options)?;
    let name = o.name.as_deref().unwrap_or(engine::STDIN);
    engine::check_lockout(policy_or_file_json, name, o.lang()?)
        .map(|t| parse_js(&t))
        .map_err(|e| throw(&e))
}

/// The engine's version (the crate's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
