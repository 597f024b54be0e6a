//! The JavaScript API's work, in plain Rust (no `wasm-bindgen` types), so it
//! runs natively in tests and benchmarks. `lib.rs` only converts.

use kmsplay_analysis::Report;
use kmsplay_json::LineIndex;
use kmsplay_kms::catalogue::Operation;
use kmsplay_lab::checks::{self, CheckAnswer, CheckInput, InputError, Names};
use kmsplay_lab::findings::{lint_document, LintedPolicy};
use kmsplay_lab::scenarios::{self, Params};
use kmsplay_lab::snippets;
use kmsplay_messages::{render, Lang};
use kmsplay_playground::answer::{
    report_answer, request_answer, to_json_text, ReportAnswer, RequestAnswer, TraceSpans,
};
use kmsplay_playground::{file_error_message, FileError, PlaygroundFile, RequestSpec};
use serde_json::{json, Map, Value};
use std::cell::OnceCell;

/// An error for JavaScript: a stable code, words, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// `file.missing-field`, `json-unexpected-char`, `unknown-scenario`, …
    pub code: String,
    /// The sentence, in the language asked for.
    pub message: String,
    /// The field it is about (`requests[2].action`), when there is one.
    pub path: Option<String>,
    /// 1-based line in the text given, when the error has a place.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the text given.
    pub column: Option<usize>,
    /// Further structured details (every parameter error of a snippet).
    pub details: Option<Value>,
}

impl ApiError {
    /// An error without a place.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Box<ApiError> {
        Box::new(ApiError {
            code: code.into(),
            message: message.into(),
            path: None,
            line: None,
            column: None,
            details: None,
        })
    }

    /// A playground file's error, placed in `text`; the message names the
    /// field as the command line does.
    pub fn from_file_error(e: &FileError, text: &str, lang: Lang) -> Box<ApiError> {
        let pos = LineIndex::new(text).position(e.span.start);
        let mut message = file_error_message(e, lang);
        if !e.path.is_empty() && !message.contains(&e.path) {
            message = format!("{}: {message}", e.path);
        }
        Box::new(ApiError {
            code: e.code.to_string(),
            message,
            path: (!e.path.is_empty()).then(|| e.path.clone()),
            line: Some(pos.line),
            column: Some(pos.column),
            details: None,
        })
    }
}

/// `kmsplay simulate --format json FILE`: the report of a playground
/// file's text as JSON text, every request with its trace when `trace` is
/// true (the command line's JSON always has it).
pub fn simulate(text: &str, lang: Lang, trace: bool) -> Result<String, Box<ApiError>> {
    let file =
        kmsplay_playground::read(text).map_err(|e| ApiError::from_file_error(&e, text, lang))?;
    let (results, traces) = run(&file, trace);
    // The answer borrows its texts from the file and the traces: they are
    // written out at once, never kept.
    let answer: ReportAnswer<&str> = report_answer(&file, text, &results, &traces, lang, None);
    Ok(json_text(&answer, &traces))
}

/// A report as compact JSON text (JavaScript reads it with one
/// `JSON.parse`), in a buffer sized for its results: about 1 KB each, 6 KB
/// with a trace.
fn json_text(answer: &ReportAnswer<&str>, traces: &[kmsplay_kms::TraceInputs]) -> String {
    let each = if traces.is_empty() { 1024 } else { 6144 };
    to_json_text(answer, 2048 + answer.results.len() * each)
}

/// Every request of `file` decided; with `trace`, each one's trace inputs
/// too (the results writer walks the policies itself).
fn run(
    file: &PlaygroundFile,
    trace: bool,
) -> (
    Vec<kmsplay_playground::RequestResult>,
    Vec<kmsplay_kms::TraceInputs>,
) {
    if !trace {
        return (kmsplay_playground::run(file, false), Vec::new());
    }
    file.requests
        .iter()
        .map(|spec| kmsplay_playground::decide_for_trace(file, spec))
        .unzip()
}

/// A playground file read once, to run again and again.
#[derive(Debug, Clone)]
pub struct Compiled {
    file: PlaygroundFile,
    text: String,
    spans: OnceCell<TraceSpans>,
}

/// The part of the synthetic one-request file before the request.
const REQUEST_PREFIX: &str = r#"{"version":1,"key":{"arn":"arn:aws:kms:us-east-1:000000000000:key/k","policy":{"Statement":[]}},"requests":["#;
const REQUEST_SUFFIX: &str = "]}";

impl Compiled {
    /// Reads a playground file's text.
    pub fn new(text: &str, lang: Lang) -> Result<Compiled, Box<ApiError>> {
        let file = kmsplay_playground::read(text)
            .map_err(|e| ApiError::from_file_error(&e, text, lang))?;
        Ok(Compiled {
            file,
            text: text.to_string(),
            spans: OnceCell::new(),
        })
    }

    /// The file, as read.
    pub fn file(&self) -> &PlaygroundFile {
        &self.file
    }

    /// Every request's result, as [`simulate`] gives them (without reading
    /// the text again), as JSON text.
    pub fn simulate(&self, lang: Lang, trace: bool) -> String {
        let (results, traces) = run(&self.file, trace);
        let answer: ReportAnswer<&str> = report_answer(
            &self.file,
            &self.text,
            &results,
            &traces,
            lang,
            trace.then(|| self.spans()),
        );
        json_text(&answer, &traces)
    }

    fn spans(&self) -> &TraceSpans {
        self.spans
            .get_or_init(|| TraceSpans::new(&self.file, &self.text))
    }

    /// Reads one request in the playground file's request format (a JSON
    /// object like an element of `requests`). Errors are placed in
    /// `request_text` and name the field `request.…`.
    pub fn read_request(request_text: &str, lang: Lang) -> Result<RequestSpec, Box<ApiError>> {
        if let Some(spec) = quick_request(request_text) {
            return Ok(spec);
        }
        Compiled::read_request_as_file(request_text, lang)
    }

    /// [`Compiled::read_request`] by the file reader itself: a file whose
    /// only request is this one, with an empty key policy. The reference
    /// for [`quick_request`], and the maker of every error message.
    pub fn read_request_as_file(
        request_text: &str,
        lang: Lang,
    ) -> Result<RequestSpec, Box<ApiError>> {
        let mut wrapped =
            String::with_capacity(REQUEST_PREFIX.len() + request_text.len() + REQUEST_SUFFIX.len());
        wrapped.push_str(REQUEST_PREFIX);
        wrapped.push_str(request_text);
        wrapped.push_str(REQUEST_SUFFIX);
        match kmsplay_playground::read(&wrapped) {
            Ok(mut file) if file.requests.len() == 1 => Ok(file.requests.pop().expect("one")),
            Ok(_) => Err(match kmsplay_json::parse(request_text) {
                Err(pe) => json_error(&pe, request_text, lang),
                Ok(_) => not_one_request(lang),
            }),
            Err(e) => Err(request_error(&e, request_text, lang)),
        }
    }

    /// Decides one request (see [`Compiled::read_request`]) against the
    /// file's key and identities; its result object as in `results`.
    pub fn decide(
        &self,
        request_text: &str,
        lang: Lang,
        trace: bool,
    ) -> Result<String, Box<ApiError>> {
        let spec = Compiled::read_request(request_text, lang)?;
        Ok(self.decide_spec(&spec, lang, trace))
    }

    /// Decides a request that was already read; its result as JSON text.
    pub fn decide_spec(&self, spec: &RequestSpec, lang: Lang, trace: bool) -> String {
        if trace {
            let (r, inputs) = kmsplay_playground::decide_for_trace(&self.file, spec);
            let answer: RequestAnswer<&str> =
                request_answer(&self.file, spec, &r, lang, Some((&inputs, self.spans())));
            to_json_text(&answer, 6144)
        } else {
            let r = kmsplay_playground::decide(&self.file, spec, false);
            let answer: RequestAnswer<&str> = request_answer(&self.file, spec, &r, lang, None);
            to_json_text(&answer, 1024)
        }
    }
}

/// A valid request read without the detour through a whole file (whose
/// key and empty policy cost twice the request itself): the file reader's
/// own [`kmsplay_playground::valid_request`], which gives up — `None` — at
/// the first thing the reader would refuse, so that
/// [`Compiled::read_request_as_file`] makes the error. A test checks that
/// the two agree on every request of the fixtures.
pub fn quick_request(text: &str) -> Option<RequestSpec> {
    // Borrowed: the request keeps a few of its strings, copied once.
    let node = kmsplay_json::parse_borrowed(text).ok()?;
    kmsplay_playground::valid_borrowed_request(&node, 0)
}

fn json_error(pe: &kmsplay_json::ParseError, text: &str, lang: Lang) -> Box<ApiError> {
    let fe = FileError {
        code: pe.kind.code(),
        path: String::new(),
        span: pe.span,
        params: pe.kind.params(),
    };
    ApiError::from_file_error(&fe, text, lang)
}

fn not_one_request(lang: Lang) -> Box<ApiError> {
    let mut e = ApiError::new(
        "file.wrong-type",
        render(
            lang,
            "file.wrong-type",
            &[
                ("field", "request".to_string()),
                ("expected", "an object".to_string()),
            ],
        ),
    );
    e.path = Some("request".to_string());
    e.line = Some(1);
    e.column = Some(1);
    e
}

/// A file error of the synthetic file, told in terms of the request text.
fn request_error(e: &FileError, request_text: &str, lang: Lang) -> Box<ApiError> {
    // Not JSON at all: the request's own parse places the error exactly.
    if let Err(pe) = kmsplay_json::parse(request_text) {
        return json_error(&pe, request_text, lang);
    }
    let rename = |s: &str| s.replacen("requests[0]", "request", 1);
    let start = e.span.start.saturating_sub(REQUEST_PREFIX.len());
    let end = e.span.end.saturating_sub(REQUEST_PREFIX.len());
    let fe = FileError {
        code: e.code,
        path: rename(&e.path),
        span: kmsplay_json::Span::new(start.min(request_text.len()), end.min(request_text.len())),
        params: e.params.iter().map(|(k, v)| (*k, rename(v))).collect(),
    };
    ApiError::from_file_error(&fe, request_text, lang)
}

/// `kmsplay lint --format json`: the findings of a key policy, an IAM
/// policy, or every policy of a playground file.
pub fn lint(text: &str, lang: Lang, scenario: Option<&str>) -> Result<Value, Box<ApiError>> {
    let linted =
        lint_document(text, scenario).map_err(|e| ApiError::from_file_error(&e, text, lang))?;
    Ok(findings_json(text, &linted, lang))
}

/// `{"findings": [...], "summary": {...}}`, each finding as the command
/// line's JSON has it (one writer for both: `findings::findings_json`).
fn findings_json(source: &str, linted: &[LintedPolicy], lang: Lang) -> Value {
    let mut counts = [0usize; 4];
    for f in linted.iter().flat_map(|p| &p.findings) {
        counts[f.severity as usize] += 1;
    }
    json!({
        "findings": kmsplay_lab::findings::findings_json(source, linted, lang),
        "summary": {
            "error": counts[0],
            "security": counts[1],
            "warning": counts[2],
            "suggestion": counts[3],
        },
    })
}

/// The scenarios of the source documents, with their parameters (defaults
/// resolved) and the kinds of request they make, in words.
pub fn scenarios(lang: Lang) -> Value {
    scenarios::catalogue_json(lang)
}

/// A parameter value as a person writes it: lists comma-separated.
fn param_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(",")),
        _ => None,
    }
}

/// The statements scenario `id` prescribes for `params` (an object of
/// name → string, array of strings, or boolean; missing ones take their
/// defaults): the statements, a whole key policy made of the key account's
/// root statement and them, and the other policies the set-up needs.
pub fn snippet(id: &str, params: &Map<String, Value>, lang: Lang) -> Result<Value, Box<ApiError>> {
    let s = scenarios::scenario(id).ok_or_else(|| {
        let mut e = ApiError::new(
            "unknown-scenario",
            render(
                lang,
                "scenario.error.unknown-scenario",
                &[("id", id.to_string())],
            ),
        );
        e.details = Some(json!({
            "known": scenarios::catalogue().iter().map(|s| s.id).collect::<Vec<_>>(),
        }));
        e
    })?;
    let mut given = Vec::new();
    for (name, value) in params {
        let text = param_text(value).ok_or_else(|| {
            let mut e = ApiError::new(
                "param-syntax",
                render(
                    lang,
                    "scenario.error.param-syntax",
                    &[("param", name.clone()), ("value", value.to_string())],
                ),
            );
            e.path = Some(name.clone());
            e
        })?;
        given.push((name.as_str(), text));
    }
    let pairs: Vec<(&str, &str)> = given.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let p = Params::new(s, &pairs).map_err(|errors| {
        let first = &errors[0];
        let mut e = ApiError::new(
            first.code,
            errors
                .iter()
                .map(|e| render(lang, &e.message_id(), &e.message_params()))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        e.path = Some(first.param.clone());
        e.details = Some(Value::Array(
            errors
                .iter()
                .map(|e| {
                    json!({
                        "code": e.code,
                        "param": e.param,
                        "value": e.value,
                        "message": render(lang, &e.message_id(), &e.message_params()),
                    })
                })
                .collect(),
        ));
        e
    })?;
    Ok(snippets::snippet(s, &p).to_json(&p, lang))
}

/// `importAws`: what AWS printed (each input a name and its text) as
/// playground files, with what each input was recognised as and the notes
/// (each with its sentence in `lang`) — the command line's `kmsplay
/// import`, as one JSON value.
pub fn import_aws(
    inputs: &[(String, String)],
    key: Option<&str>,
    lang: Lang,
) -> Result<Value, Box<ApiError>> {
    let list: Vec<kmsplay_import::Input<'_>> = inputs
        .iter()
        .map(|(name, text)| kmsplay_import::Input {
            name,
            bytes: text.as_bytes(),
        })
        .collect();
    let options = kmsplay_import::Options {
        key: key.map(str::to_string),
    };
    let imported = kmsplay_import::import(&list, &options).map_err(|e| {
        Box::new(ApiError {
            code: e.code.to_string(),
            message: kmsplay_import::error_message(&e, lang),
            path: Some(e.file.clone()),
            line: e.line.map(|l| l as usize),
            column: e.column.map(|c| c as usize),
            details: e
                .inner
                .as_ref()
                .map(|f| serde_json::json!({ "inner": &**f })),
        })
    })?;
    let mut value = serde_json::to_value(&imported).expect("imports serialise");
    if let Some(notes) = value.get_mut("notes").and_then(Value::as_array_mut) {
        for (note, n) in notes.iter_mut().zip(&imported.notes) {
            note["message"] = Value::from(kmsplay_import::note_message(n, lang));
        }
    }
    Ok(value)
}

/// What the analysis functions call an input in their messages when they
/// are not told: `-`, as the command line calls standard input.
pub const STDIN: &str = "-";

/// A key policy or playground file read for the analysis (see
/// [`kmsplay_lab::checks::read`]); errors are placed in `text`, or in the
/// policy string of a file (path `key.policy`), as the command line places
/// them.
pub fn check_input(text: &str, name: &str, lang: Lang) -> Result<CheckInput, Box<ApiError>> {
    checks::read(text).map_err(|e| match e {
        InputError::File(f) => ApiError::from_file_error(&f, text, lang),
        InputError::Policy {
            diagnostic: d,
            policy_text,
        } => {
            let (source, in_string) = checks::error_source(text, policy_text.as_deref());
            let pos = LineIndex::new(source).position(d.span.start);
            Box::new(ApiError {
                code: d.code.to_string(),
                message: kmsplay_playground::diagnostic_message(&d, lang),
                path: in_string.then(|| "key.policy".to_string()),
                line: Some(pos.line),
                column: Some(pos.column),
                details: None,
            })
        }
        InputError::Unreadable => ApiError::new(
            "unreadable-policy",
            render(
                lang,
                "analysis.error.unreadable-policy",
                &[("file", name.to_string())],
            ),
        ),
    })
}

/// `e` about input `which` (`old`, `new`): its path says so.
fn about(which: &str, mut e: Box<ApiError>) -> Box<ApiError> {
    e.path = Some(match e.path.take() {
        Some(p) => format!("{which}.{p}"),
        None => which.to_string(),
    });
    e
}

fn answer(report: &Report, names: Names<'_>, actions: &[&'static Operation], lang: Lang) -> String {
    let answer = CheckAnswer {
        report,
        message: checks::message(report, names, actions, lang),
    };
    serde_json::to_string(&answer).expect("answers serialise")
}

/// `kmsplay check no-new-access OLD NEW --format json`, as JSON text:
/// does `new_text` allow a request `old_text` does not? A bare policy is
/// for the other input's key; two playground files must be for one key.
/// Errors name their input in `path` (`old`, `new.key.policy`, …).
pub fn check_no_new_access(
    old_text: &str,
    new_text: &str,
    names: (&str, &str),
    lang: Lang,
) -> Result<String, Box<ApiError>> {
    let mut old = check_input(old_text, names.0, lang).map_err(|e| about("old", e))?;
    let mut new = check_input(new_text, names.1, lang).map_err(|e| about("new", e))?;
    checks::same_key(&mut old, &mut new).map_err(|(a, b)| {
        let mut e = ApiError::new(
            "different-keys",
            render(
                lang,
                "analysis.error.different-keys",
                &[("old", a), ("new", b)],
            ),
        );
        e.path = Some("new".to_string());
        e.line = Some(1);
        e.column = Some(1);
        e
    })?;
    let report = kmsplay_analysis::no_new_access(&old.setting, &new.setting);
    let names = Names::Two {
        old: names.0,
        new: names.1,
    };
    Ok(answer(&report, names, &[], lang))
}

/// `kmsplay check no-public-access FILE --format json`, as JSON text.
pub fn check_no_public_access(text: &str, name: &str, lang: Lang) -> Result<String, Box<ApiError>> {
    let input = check_input(text, name, lang)?;
    let report = kmsplay_analysis::no_public_access(&input.setting);
    Ok(answer(&report, Names::One(name), &[], lang))
}

/// An action (`kms:Decrypt`, any case, `kms:` optional) as an operation;
/// `path` names the argument in the error.
fn action_operation(
    action: &str,
    path: String,
    lang: Lang,
) -> Result<&'static Operation, Box<ApiError>> {
    checks::operation(action).ok_or_else(|| {
        let mut e = ApiError::new(
            "unknown-action",
            render(
                lang,
                "analysis.error.unknown-action",
                &[("action", action.to_string())],
            ),
        );
        e.path = Some(path);
        e
    })
}

/// `kmsplay check access-not-granted FILE --action A… [--principal P…]
/// --format json`, as JSON text.
pub fn check_access_not_granted(
    text: &str,
    actions: &[String],
    principals: &[String],
    name: &str,
    lang: Lang,
) -> Result<String, Box<ApiError>> {
    let input = check_input(text, name, lang)?;
    if actions.is_empty() {
        let mut e = ApiError::new(
            "missing-actions",
            render(lang, "analysis.error.missing-actions", &[]),
        );
        e.path = Some("actions".to_string());
        return Err(e);
    }
    let ops = actions
        .iter()
        .enumerate()
        .map(|(i, a)| action_operation(a, format!("actions[{i}]"), lang))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some((i, p)) = principals
        .iter()
        .enumerate()
        .find(|(_, p)| !checks::is_principal(p))
    {
        let mut e = ApiError::new(
            "bad-principal",
            render(
                lang,
                "analysis.error.bad-principal",
                &[("principal", p.clone())],
            ),
        );
        e.path = Some(format!("principals[{i}]"));
        return Err(e);
    }
    let report = kmsplay_analysis::access_not_granted(&input.setting, &ops, principals);
    Ok(answer(&report, Names::One(name), &ops, lang))
}

/// `kmsplay check lockout FILE --format json`, as JSON text.
pub fn check_lockout(text: &str, name: &str, lang: Lang) -> Result<String, Box<ApiError>> {
    let input = check_input(text, name, lang)?;
    let report = kmsplay_analysis::lockout(&input.setting);
    Ok(answer(&report, Names::One(name), &[], lang))
}

/// `kmsplay who-can FILE --action A --format json`, as JSON text.
pub fn who_can(text: &str, action: &str, lang: Lang) -> Result<String, Box<ApiError>> {
    let input = check_input(text, STDIN, lang)?;
    let op = action_operation(action, "action".to_string(), lang)?;
    let answer = kmsplay_analysis::who_can(&input.setting, op);
    Ok(serde_json::to_string(&answer).expect("answers serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"version": 1,
  "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k",
    "policy": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}]}},
  "identities": [{"arn": "arn:aws:iam::111111111111:user/Bob", "policies": [
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}]}],
  "requests": [
    {"name": "Bob decrypts", "principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt", "expect": "allowed"},
    {"name": "Bob encrypts", "principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Encrypt", "expect": "implicitDeny"}
  ]}"#;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn simulate_is_the_command_lines_json() {
        let c = Compiled::new(FILE, Lang::En).unwrap();
        for trace in [false, true] {
            for lang in Lang::ALL {
                let cli = kmsplay_playground::simulate_json(FILE, lang, trace)
                    .unwrap()
                    .json();
                assert_eq!(parse(&simulate(FILE, lang, trace).unwrap()), cli);
                assert_eq!(parse(&c.simulate(lang, trace)), cli);
                // Same text too: the same fields in the same order.
                assert_eq!(simulate(FILE, lang, trace).unwrap(), cli.to_string());
            }
        }
    }

    #[test]
    fn decide_is_the_files_result() {
        let c = Compiled::new(FILE, Lang::En).unwrap();
        let all = parse(&simulate(FILE, Lang::En, false).unwrap());
        let r = c
            .decide(
                r#"{"name": "Bob encrypts", "principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Encrypt", "expect": "implicitDeny"}"#,
                Lang::En,
                false,
            )
            .unwrap();
        let r = parse(&r);
        assert_eq!(r, all["results"][1]);
        assert_eq!(r["decision"], "implicitDeny");
    }

    #[test]
    fn request_errors_are_placed_in_the_request() {
        let e = Compiled::read_request(
            "{\"principal\": \"arn:aws:iam::111111111111:user/Bob\",\n \"action\": \"kms:Decrpyt\"}",
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(e.code, "file.unknown-operation");
        assert_eq!(e.path.as_deref(), Some("request.action"));
        assert_eq!((e.line, e.column), (Some(2), Some(12)));
        let e = Compiled::read_request("{\"principal\": ", Lang::En).unwrap_err();
        assert!(e.code.starts_with("json-"), "{e:?}");
        assert_eq!(e.line, Some(1));
        let e = Compiled::read_request(
            r#"{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt"}, {"principal": "x", "action": "kms:Decrypt"}"#,
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(e.code, "json-trailing-characters");
        assert_eq!(e.column, Some(77));
    }

    #[test]
    fn file_errors_have_code_and_position() {
        let e = simulate("{\"version\": 1,\n \"key\": {}}", Lang::En, true).unwrap_err();
        assert_eq!(e.code, "file.missing-field");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("key.arn"), "{}", e.message);
    }

    #[test]
    fn lint_finds_a_typo() {
        let v = lint(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrpyt", "Resource": "*"}]}"#,
            Lang::En,
            None,
        )
        .unwrap();
        let codes: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"unknown-action"), "{codes:?}");
        assert!(v["summary"]["error"].as_u64().unwrap() >= 1);
    }

    #[test]
    fn scenarios_and_snippets() {
        let all = scenarios(Lang::Ja);
        assert_eq!(all.as_array().unwrap().len(), scenarios::catalogue().len());
        assert!(all[0]["params"][0]["default"].is_string());
        let mut params = Map::new();
        params.insert("trail_name".into(), json!("Audit"));
        let s = snippet("cloudtrail-trail", &params, Lang::En).unwrap();
        assert!(s["statements_text"]
            .as_str()
            .unwrap()
            .contains("trail/Audit"));
        assert!(s["policy"]["Statement"].as_array().unwrap().len() > 1);
        let e = snippet("nope", &Map::new(), Lang::En).unwrap_err();
        assert_eq!(e.code, "unknown-scenario");
        params.insert("key_account".into(), json!("12"));
        let e = snippet("cloudtrail-trail", &params, Lang::En).unwrap_err();
        assert_eq!(e.code, "invalid-account-id");
        assert_eq!(e.path.as_deref(), Some("key_account"));
    }

    const OLD: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    const NEW: &str = r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#;

    #[test]
    fn checks_answer_with_the_report_and_its_sentence() {
        let v = parse(&check_no_new_access(OLD, NEW, ("old.json", "new.json"), Lang::En).unwrap());
        assert_eq!(v["check"], "no-new-access");
        assert_eq!(v["result"], "fail");
        assert_eq!(v["counterexamples"][0]["request"]["action"], "kms:Decrypt");
        assert!(v["message"].as_str().unwrap().contains("new.json"), "{v}");
        let v = parse(&check_no_public_access(OLD, STDIN, Lang::Ja).unwrap());
        assert_eq!(v["result"], "pass");
        let v = parse(&check_lockout(OLD, STDIN, Lang::En).unwrap());
        assert_eq!(v["result"], "pass");
        assert!(v["witness"]["request"]["principal"].is_string());
        let v = parse(
            &check_access_not_granted(
                NEW,
                &["kms:decrypt".to_string()],
                &["444455556666".to_string()],
                STDIN,
                Lang::En,
            )
            .unwrap(),
        );
        assert_eq!(v["result"], "fail");
        assert!(
            v["message"].as_str().unwrap().contains("kms:Decrypt"),
            "{v}"
        );
        let v = parse(&who_can(NEW, "kms:Decrypt", Lang::En).unwrap());
        assert_eq!(v["action"], "kms:Decrypt");
        assert!(v["callers"].as_array().unwrap().len() >= 2, "{v}");
    }

    #[test]
    fn check_errors_name_the_input_and_the_place() {
        // A policy error in the old input: line and column in its text.
        let broken = "{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\",}]}";
        let e = check_no_new_access(broken, NEW, (STDIN, STDIN), Lang::En).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("old"));
        assert_eq!(e.line, Some(2));
        // A policy given as a string inside a playground file: placed in
        // the string, path `key.policy` (after the input's name).
        let quoted = serde_json::to_string("{\"Statement\": [}").unwrap();
        let f = format!(
            r#"{{"version":1,"key":{{"arn":"arn:aws:kms:us-east-1:111122223333:key/k","policy":{quoted}}},"requests":[]}}"#
        );
        let e = check_no_new_access(OLD, &f, (STDIN, STDIN), Lang::En).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("new.key.policy"));
        assert_eq!((e.line, e.column), (Some(1), Some(16)), "{e:?}");
        let e = check_lockout(&f, STDIN, Lang::En).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("key.policy"));
        // A playground file that does not read.
        let e =
            check_no_public_access("{\"version\": 1,\n \"key\": {}}", STDIN, Lang::En).unwrap_err();
        assert_eq!(e.code, "file.missing-field");
        assert_eq!(e.line, Some(2));
        // Two files for two keys.
        let file = |k: &str| {
            format!(
                r#"{{"version":1,"key":{{"arn":"arn:aws:kms:us-east-1:111122223333:key/{k}","policy":{OLD}}},"requests":[]}}"#
            )
        };
        let e = check_no_new_access(&file("a"), &file("b"), (STDIN, STDIN), Lang::Ja).unwrap_err();
        assert_eq!(e.code, "different-keys");
        assert_eq!(e.path.as_deref(), Some("new"));
        // Arguments.
        let e = check_access_not_granted(
            OLD,
            &["kms:Decrypt".to_string(), "kms:Nope".to_string()],
            &[],
            STDIN,
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.path.as_deref()),
            ("unknown-action", Some("actions[1]"))
        );
        let e = check_access_not_granted(
            OLD,
            &["kms:Decrypt".to_string()],
            &["444455556666".to_string(), "nope".to_string()],
            STDIN,
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.path.as_deref()),
            ("bad-principal", Some("principals[1]"))
        );
        let e = check_access_not_granted(OLD, &[], &[], STDIN, Lang::Ja).unwrap_err();
        assert_eq!(e.code, "missing-actions");
        assert!(!e.message.is_empty());
        let e = who_can(OLD, "", Lang::En).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.path.as_deref()),
            ("unknown-action", Some("action"))
        );
    }
}
