//! Exercises: a starting playground file, goals to reach by editing the key
//! policy (and, where an exercise says so, an IAM policy), progressive
//! hints and a reference solution.
//!
//! The exercises are data: one JSON file per exercise under `exercises/`
//! at the repository root (the format is documented in
//! `exercises/README.md`). With the `embedded` feature they are compiled in
//! ([`EXERCISES`]); without it (the web page, which fetches them only for a
//! learner who opens one) they are [`install`]ed at run time.
//! Every sentence a learner reads is a message id of the catalogues
//! (`exercise.<id>.title`, `.brief`, `.goal.<n>`, `.hint.<n>`), so each
//! exercise exists in English and Japanese.
//!
//! [`check`] decides the goals against what the learner typed: one parse
//! of the key policy (plus the editable IAM policies), one lint when a rule
//! needs findings, and one decision per request goal, so a page can run it
//! on every keystroke.

use crate::findings::{self, Finding, LintContext, Severity};
use crate::scenarios;
use kmsplay_json::{Node, Span, Value as JsonValue};
use kmsplay_kms::{Authorization, Decision, Reason, Source};
use kmsplay_messages::{render, Lang};
use kmsplay_playground::{Expect, PlaygroundFile};
use kmsplay_policy::{parse_text, PolicyKind};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// Every exercise's id, in the order a learner meets them: the file of
/// each is `exercises/<id>.json`.
pub const EXERCISE_IDS: &[&str] = &[
    "root-delegation",
    "admins-and-users",
    "no-public-principal",
    "trail-source-arn",
    "bob-reads-logs",
    "documents-placeholders",
    "eleven-digit-account",
    "trail-bucket-key",
    "alice-cross-account",
    "read-role-sessions",
    "event-data-store",
    "eventbridge-connection",
    "grant-constraint",
    "grant-retired",
    "admin-lockout",
    "trail-multi-account",
    "eventbridge-cross-account",
    "deny-outside-s3",
    "perimeter-org-only",
    "perimeter-confused-deputy",
    "perimeter-vpc-endpoint",
];

/// Every exercise file, as (id, JSON text), in the order of
/// [`EXERCISE_IDS`]. Keep both in sync with the files in `exercises/` (a
/// test compares them).
#[cfg(feature = "embedded")]
pub const EXERCISES: &[(&str, &str)] = &[
    (
        "root-delegation",
        include_str!("../../../exercises/root-delegation.json"),
    ),
    (
        "admins-and-users",
        include_str!("../../../exercises/admins-and-users.json"),
    ),
    (
        "no-public-principal",
        include_str!("../../../exercises/no-public-principal.json"),
    ),
    (
        "trail-source-arn",
        include_str!("../../../exercises/trail-source-arn.json"),
    ),
    (
        "bob-reads-logs",
        include_str!("../../../exercises/bob-reads-logs.json"),
    ),
    (
        "documents-placeholders",
        include_str!("../../../exercises/documents-placeholders.json"),
    ),
    (
        "eleven-digit-account",
        include_str!("../../../exercises/eleven-digit-account.json"),
    ),
    (
        "trail-bucket-key",
        include_str!("../../../exercises/trail-bucket-key.json"),
    ),
    (
        "alice-cross-account",
        include_str!("../../../exercises/alice-cross-account.json"),
    ),
    (
        "read-role-sessions",
        include_str!("../../../exercises/read-role-sessions.json"),
    ),
    (
        "event-data-store",
        include_str!("../../../exercises/event-data-store.json"),
    ),
    (
        "eventbridge-connection",
        include_str!("../../../exercises/eventbridge-connection.json"),
    ),
    (
        "grant-constraint",
        include_str!("../../../exercises/grant-constraint.json"),
    ),
    (
        "grant-retired",
        include_str!("../../../exercises/grant-retired.json"),
    ),
    (
        "admin-lockout",
        include_str!("../../../exercises/admin-lockout.json"),
    ),
    (
        "trail-multi-account",
        include_str!("../../../exercises/trail-multi-account.json"),
    ),
    (
        "eventbridge-cross-account",
        include_str!("../../../exercises/eventbridge-cross-account.json"),
    ),
    (
        "deny-outside-s3",
        include_str!("../../../exercises/deny-outside-s3.json"),
    ),
    (
        "perimeter-org-only",
        include_str!("../../../exercises/perimeter-org-only.json"),
    ),
    (
        "perimeter-confused-deputy",
        include_str!("../../../exercises/perimeter-confused-deputy.json"),
    ),
    (
        "perimeter-vpc-endpoint",
        include_str!("../../../exercises/perimeter-vpc-endpoint.json"),
    ),
];

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/// How much an exercise asks of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// One statement, one idea.
    Beginner,
    /// Conditions, other accounts, grants.
    Intermediate,
    /// Several requirements that pull against each other.
    Advanced,
}

impl Level {
    /// `beginner`, `intermediate` or `advanced`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    /// Reads the word written in an exercise file.
    pub fn parse(text: &str) -> Option<Level> {
        [Level::Beginner, Level::Intermediate, Level::Advanced]
            .into_iter()
            .find(|l| l.as_str() == text)
    }

    /// The message id of its label (`exercise.level.<level>`).
    pub fn label(self) -> String {
        format!("exercise.level.{}", self.as_str())
    }
}

/// A policy the learner may edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Editable {
    /// The key policy (always editable).
    KeyPolicy,
    /// Policy `policy` of identity `identity` of the starting file.
    IdentityPolicy {
        /// Index into the file's `identities`.
        identity: usize,
        /// Index into that identity's `policies`.
        policy: usize,
    },
}

impl Editable {
    /// Reads `key_policy` or `identities[I].policies[J]`.
    pub fn parse(path: &str) -> Option<Editable> {
        if path == "key_policy" {
            return Some(Editable::KeyPolicy);
        }
        let rest = path.strip_prefix("identities[")?;
        let (i, rest) = rest.split_once("].policies[")?;
        let j = rest.strip_suffix(']')?;
        let index = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<usize>().ok())
                .flatten()
        };
        Some(Editable::IdentityPolicy {
            identity: index(i)?,
            policy: index(j)?,
        })
    }

    /// As written in exercise files.
    pub fn path(self) -> String {
        match self {
            Editable::KeyPolicy => "key_policy".to_string(),
            Editable::IdentityPolicy { identity, policy } => {
                format!("identities[{identity}].policies[{policy}]")
            }
        }
    }
}

/// What allowed a request, for goals that care about the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowedBy {
    /// A key-policy statement (with or without an IAM policy's half).
    KeyPolicy,
    /// A grant, and no policy.
    Grant,
}

impl AllowedBy {
    /// `key_policy` or `grant`.
    pub fn as_str(self) -> &'static str {
        match self {
            AllowedBy::KeyPolicy => "key_policy",
            AllowedBy::Grant => "grant",
        }
    }

    fn parse(text: &str) -> Option<AllowedBy> {
        match text {
            "key_policy" => Some(AllowedBy::KeyPolicy),
            "grant" => Some(AllowedBy::Grant),
            _ => None,
        }
    }
}

/// A rule over the learner's key policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// No Allow statement lets `"Principal": "*"` in without a condition
    /// that limits it (the linter's `public-principal` finding).
    NoPrincipalStarWithoutCondition,
    /// No finding of these severities in the key policy.
    NoFindingOfSeverity(Vec<Severity>),
    /// No finding with these codes in the key policy.
    NoFinding(Vec<String>),
    /// At most this many statements.
    StatementCountAtMost(usize),
    /// Every statement of the starting key policy is still there, unchanged
    /// in meaning (Sid, order, layout and list order aside): the learner
    /// may only add statements.
    NoStatementModified,
}

impl Rule {
    /// The rule's name in exercise files.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::NoPrincipalStarWithoutCondition => "no-principal-star-without-condition",
            Rule::NoFindingOfSeverity(_) => "no-finding-of-severity",
            Rule::NoFinding(_) => "no-finding",
            Rule::StatementCountAtMost(_) => "statement-count-at-most",
            Rule::NoStatementModified => "no-statement-modified",
        }
    }

    fn needs_findings(&self) -> bool {
        matches!(
            self,
            Rule::NoPrincipalStarWithoutCondition
                | Rule::NoFindingOfSeverity(_)
                | Rule::NoFinding(_)
        )
    }
}

/// What a goal asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum GoalKind {
    /// A request must get this decision or outcome.
    Request {
        /// The request object as written in the exercise file (a playground
        /// file request), for a page to show or run.
        request: Value,
        /// The decision or outcome it must get.
        expect: Expect,
        /// When set, what must have allowed it.
        allowed_by: Option<AllowedBy>,
        /// Index of the request in the exercise's internal file.
        index: usize,
    },
    /// A rule over the key policy.
    Rule(Rule),
    /// Every request of the starting file that has an `expect` meets it.
    Expectations,
}

/// One goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Message id of the goal's sentence.
    pub text: String,
    /// What it asks for.
    pub kind: GoalKind,
}

/// The reference solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The key policy text.
    pub key_policy: String,
    /// Identity policies, as (identity index, policy index, text).
    pub identity_policies: Vec<(usize, usize, String)>,
}

/// One exercise, read and checked.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Stable id (the file name without `.json`).
    pub id: String,
    /// Level.
    pub level: Level,
    /// Message id of the title.
    pub title: String,
    /// Message id of the brief (what to do and why).
    pub brief: String,
    /// The scenario the key serves (`cloudtrail-trail`, …), used as the
    /// linter's context and to link to the scenario.
    pub scenario: Option<String>,
    /// What the learner may edit; the key policy always.
    pub editable: Vec<Editable>,
    /// The starting playground file, as a page loads it.
    pub start: Value,
    /// The key policy text the learner starts from.
    pub start_key_policy: String,
    /// The starting text of every editable identity policy, as (identity
    /// index, policy index, text).
    pub start_identity_policies: Vec<(usize, usize, String)>,
    /// The goals, in order.
    pub goals: Vec<Goal>,
    /// Message ids of the hints, from gentle to explicit.
    pub hints: Vec<String>,
    /// The reference solution.
    pub solution: Solution,
    /// The starting file with the goals' requests appended.
    file: PlaygroundFile,
    /// How many requests of `file` come from the starting file.
    start_requests: usize,
    /// The starting key policy's statements, normalised.
    start_statements: Vec<(String, Value)>,
}

/// Why an exercise file cannot be used: a code (message id
/// `exercise.error.<code>`), the field, and named values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseError {
    /// The exercise.
    pub id: String,
    /// `json`, `missing-field`, `wrong-type`, `unknown-field`, `id-mismatch`,
    /// `invalid-level`, `invalid-editable`, `no-such-policy`, `start-invalid`,
    /// `start-scenario`, `invalid-goal-kind`, `invalid-expect`,
    /// `invalid-allowed-by`, `invalid-rule`, `invalid-severity`,
    /// `no-goals`, `unknown-solution-policy`.
    pub code: &'static str,
    /// The field, such as `goals[2].rule`.
    pub path: String,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl ExerciseError {
    fn new(id: &str, code: &'static str, path: impl Into<String>) -> ExerciseError {
        ExerciseError {
            id: id.to_string(),
            code,
            path: path.into(),
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> ExerciseError {
        self.params.push((name, value.into()));
        self
    }

    /// The message id.
    pub fn message_id(&self) -> String {
        format!("exercise.error.{}", self.code)
    }

    /// The sentence, with the exercise and the field.
    pub fn message(&self, lang: Lang) -> String {
        let mut params = self.params.clone();
        params.push(("id", self.id.clone()));
        params.push(("path", self.path.clone()));
        render(lang, &self.message_id(), &params)
    }
}

impl std::fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

// ---------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------

type Loaded = Vec<Result<Exercise, ExerciseError>>;

static LOADED: OnceLock<Loaded> = OnceLock::new();

/// Compiled in: read on first use. Otherwise: what [`install`] was given,
/// nothing before that.
fn loaded() -> &'static [Result<Exercise, ExerciseError>] {
    #[cfg(feature = "embedded")]
    {
        LOADED.get_or_init(|| EXERCISES.iter().map(|(id, text)| parse(id, text)).collect())
    }
    #[cfg(not(feature = "embedded"))]
    {
        LOADED.get().map(Vec::as_slice).unwrap_or_default()
    }
}

/// Gives the catalogue its exercises at run time, as (id, JSON text) in
/// the order of [`EXERCISE_IDS`]. False when it already has them (compiled
/// in, or installed before); the first ones stay.
pub fn install(files: Vec<(String, String)>) -> bool {
    let mut installed = false;
    LOADED.get_or_init(|| {
        installed = true;
        files.iter().map(|(id, text)| parse(id, text)).collect()
    });
    installed
}

/// True when the exercises can be read: compiled in, or installed.
pub fn is_available() -> bool {
    cfg!(feature = "embedded") || LOADED.get().is_some()
}

/// Every exercise that reads (an exercise file with a mistake is left out;
/// [`errors`] says which and why, and the tests fail on it).
pub fn catalogue() -> Vec<Exercise> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .cloned()
        .collect()
}

/// The exercise called `id`.
pub fn exercise(id: &str) -> Option<Exercise> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .find(|e| e.id == id)
        .cloned()
}

/// The problems of the embedded exercise files (empty when all read).
pub fn errors() -> Vec<ExerciseError> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().err())
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------
// Reading an exercise file
// ---------------------------------------------------------------------------

const TOP_FIELDS: &[&str] = &[
    "id", "level", "title", "brief", "scenario", "editable", "start", "goals", "hints", "solution",
];
const GOAL_FIELDS: &[&str] = &[
    "kind",
    "text",
    "request",
    "decision",
    "outcome",
    "allowed_by",
    "rule",
    "severities",
    "codes",
    "count",
];

struct Ctx<'a> {
    id: &'a str,
}

impl Ctx<'_> {
    fn err(&self, code: &'static str, path: impl Into<String>) -> ExerciseError {
        ExerciseError::new(self.id, code, path)
    }

    fn wrong_type(&self, path: &str, expected: &str) -> ExerciseError {
        self.err("wrong-type", path).with("expected", expected)
    }

    fn field<'v>(
        &self,
        o: &'v Map<String, Value>,
        name: &str,
        path: &str,
    ) -> Result<&'v Value, ExerciseError> {
        o.get(name)
            .ok_or_else(|| self.err("missing-field", join(path, name)))
    }

    fn string<'v>(
        &self,
        o: &'v Map<String, Value>,
        name: &str,
        path: &str,
    ) -> Result<&'v str, ExerciseError> {
        let p = join(path, name);
        match self.field(o, name, path)? {
            Value::String(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.wrong_type(&p, "a non-empty string")),
        }
    }

    fn known_fields(
        &self,
        o: &Map<String, Value>,
        known: &[&str],
        path: &str,
    ) -> Result<(), ExerciseError> {
        match o
            .keys()
            .find(|k| !k.starts_with('_') && !known.contains(&k.as_str()))
        {
            Some(k) => Err(self.err("unknown-field", join(path, k))),
            None => Ok(()),
        }
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// A policy given as a string (kept as written) or as an object (written
/// out the way the documents lay policies out).
fn policy_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(_) => Some(crate::snippets::pretty(v)),
        _ => None,
    }
}

/// Reads exercise `id` from the text of its file.
pub fn parse(id: &str, text: &str) -> Result<Exercise, ExerciseError> {
    let cx = Ctx { id };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        cx.err("json", "")
            .with("line", e.line().to_string())
            .with("column", e.column().to_string())
    })?;
    let Some(o) = root.as_object() else {
        return Err(cx.wrong_type("", "an object"));
    };
    cx.known_fields(o, TOP_FIELDS, "")?;
    let file_id = cx.string(o, "id", "")?;
    if file_id != id {
        return Err(cx.err("id-mismatch", "id").with("value", file_id));
    }
    let level_text = cx.string(o, "level", "")?;
    let level = Level::parse(level_text)
        .ok_or_else(|| cx.err("invalid-level", "level").with("value", level_text))?;
    let title = cx.string(o, "title", "")?.to_string();
    let brief = cx.string(o, "brief", "")?.to_string();

    // The starting file, possibly built from a scenario.
    let start_node = cx.field(o, "start", "")?;
    let Some(start_obj) = start_node.as_object() else {
        return Err(cx.wrong_type("start", "a playground file or a scenario"));
    };
    let mut scenario = match o.get("scenario") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(cx.wrong_type("scenario", "a string")),
    };
    let start = if start_obj.contains_key("version") {
        start_node.clone()
    } else {
        let built = from_scenario(&cx, start_obj)?;
        scenario = scenario.or_else(|| built.0.clone());
        built.1
    };
    if let Some(s) = &scenario {
        if scenarios::scenario(s).is_none() {
            return Err(cx
                .err("start-scenario", "scenario")
                .with("value", s.clone()));
        }
    }

    // Editable policies.
    let mut editable = vec![Editable::KeyPolicy];
    if let Some(list) = o.get("editable") {
        let Some(items) = list.as_array() else {
            return Err(cx.wrong_type("editable", "an array of strings"));
        };
        editable.clear();
        for (i, item) in items.iter().enumerate() {
            let p = format!("editable[{i}]");
            let text = item.as_str().ok_or_else(|| cx.wrong_type(&p, "a string"))?;
            let e = Editable::parse(text)
                .ok_or_else(|| cx.err("invalid-editable", p.clone()).with("value", text))?;
            if !editable.contains(&e) {
                editable.push(e);
            }
        }
        if !editable.contains(&Editable::KeyPolicy) {
            return Err(cx
                .err("invalid-editable", "editable")
                .with("value", "key_policy"));
        }
    }

    let start_key_policy = start
        .pointer("/key/policy")
        .and_then(policy_text)
        .ok_or_else(|| cx.err("missing-field", "start.key.policy"))?;
    let mut start_identity_policies = Vec::new();
    for e in &editable {
        if let Editable::IdentityPolicy { identity, policy } = *e {
            let text = start
                .pointer(&format!("/identities/{identity}/policies/{policy}"))
                .and_then(policy_text)
                .ok_or_else(|| cx.err("no-such-policy", "editable").with("value", e.path()))?;
            start_identity_policies.push((identity, policy, text));
        }
    }

    // Goals: requests are appended to the starting file's own requests and
    // read with it, so they mean exactly what a playground file means.
    let goals_node = cx.field(o, "goals", "")?;
    let Some(goal_items) = goals_node.as_array() else {
        return Err(cx.wrong_type("goals", "an array"));
    };
    if goal_items.is_empty() {
        return Err(cx.err("no-goals", "goals"));
    }
    let start_requests = match start.get("requests") {
        None => 0,
        Some(Value::Array(a)) => a.len(),
        Some(_) => return Err(cx.wrong_type("start.requests", "an array")),
    };
    let mut requests: Vec<Value> = start
        .get("requests")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut goals = Vec::new();
    let mut goal_of_request = Vec::new();
    for (n, g) in goal_items.iter().enumerate() {
        let path = format!("goals[{n}]");
        let Some(go) = g.as_object() else {
            return Err(cx.wrong_type(&path, "an object"));
        };
        cx.known_fields(go, GOAL_FIELDS, &path)?;
        let text = cx.string(go, "text", &path)?.to_string();
        let kind_text = cx.string(go, "kind", &path)?;
        let kind = match kind_text {
            "request" => {
                let request = cx.field(go, "request", &path)?.clone();
                let expect = match (go.get("decision"), go.get("outcome")) {
                    (Some(Value::String(d)), None) => Expect::parse(d)
                        .filter(|e| matches!(e, Expect::Decision(_)))
                        .ok_or_else(|| {
                            cx.err("invalid-expect", join(&path, "decision"))
                                .with("value", d.clone())
                        })?,
                    (None, Some(Value::String(d))) => Expect::parse(d)
                        .filter(|e| matches!(e, Expect::Outcome(_)))
                        .ok_or_else(|| {
                            cx.err("invalid-expect", join(&path, "outcome"))
                                .with("value", d.clone())
                        })?,
                    _ => {
                        return Err(cx
                            .err("invalid-expect", path.clone())
                            .with("value", String::new()))
                    }
                };
                let allowed_by = match go.get("allowed_by") {
                    None => None,
                    Some(Value::String(s)) => Some(AllowedBy::parse(s).ok_or_else(|| {
                        cx.err("invalid-allowed-by", join(&path, "allowed_by"))
                            .with("value", s.clone())
                    })?),
                    Some(_) => return Err(cx.wrong_type(&join(&path, "allowed_by"), "a string")),
                };
                let index = requests.len();
                requests.push(request.clone());
                goal_of_request.push(n);
                GoalKind::Request {
                    request,
                    expect,
                    allowed_by,
                    index,
                }
            }
            "rule" => GoalKind::Rule(rule(&cx, go, &path)?),
            "expectations" => GoalKind::Expectations,
            other => {
                return Err(cx
                    .err("invalid-goal-kind", join(&path, "kind"))
                    .with("value", other))
            }
        };
        goals.push(Goal { text, kind });
    }

    let mut internal = start.clone();
    internal["requests"] = Value::Array(requests);
    let file = kmsplay_playground::read(&internal.to_string()).map_err(|e| {
        // A goal's request is reported at the goal.
        let path = e
            .path
            .strip_prefix("requests[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, tail)| i.parse::<usize>().ok().map(|i| (i, tail)))
            .and_then(|(i, tail)| {
                i.checked_sub(start_requests)
                    .and_then(|k| goal_of_request.get(k))
                    .map(|n| format!("goals[{n}].request{tail}"))
            })
            .unwrap_or_else(|| format!("start.{}", e.path));
        let mut err = cx.err("start-invalid", path).with("code", e.code);
        if let Some(field) = e.params.iter().find(|(n, _)| *n == "value") {
            err = err.with("value", field.1.clone());
        } else {
            err = err.with("value", String::new());
        }
        err
    })?;

    let hints = match o.get("hints") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, h)| match h {
                Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
                _ => Err(cx.wrong_type(&format!("hints[{i}]"), "a non-empty string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(cx.wrong_type("hints", "an array of strings")),
    };

    let sol = cx.field(o, "solution", "")?;
    let Some(sol_obj) = sol.as_object() else {
        return Err(cx.wrong_type("solution", "an object"));
    };
    cx.known_fields(sol_obj, &["key_policy", "identity_policies"], "solution")?;
    let solution_key = cx.field(sol_obj, "key_policy", "solution")?;
    let key_policy = policy_text(solution_key)
        .ok_or_else(|| cx.wrong_type("solution.key_policy", "a policy object or a string"))?;
    let mut identity_policies = Vec::new();
    if let Some(ip) = sol_obj.get("identity_policies") {
        let Some(map) = ip.as_object() else {
            return Err(cx.wrong_type("solution.identity_policies", "an object"));
        };
        for (path, policy) in map {
            let p = format!("solution.identity_policies.{path}");
            let e = Editable::parse(path)
                .filter(|e| editable.contains(e) && *e != Editable::KeyPolicy)
                .ok_or_else(|| {
                    cx.err("unknown-solution-policy", p.clone())
                        .with("value", path.clone())
                })?;
            let Editable::IdentityPolicy {
                identity,
                policy: j,
            } = e
            else {
                continue;
            };
            let text = policy_text(policy)
                .ok_or_else(|| cx.wrong_type(&p, "a policy object or a string"))?;
            identity_policies.push((identity, j, text));
        }
    }

    let start_statements = statements_of(&start_key_policy)
        .into_iter()
        .enumerate()
        .map(|(i, st)| (start_label(&st, i), crate::merge::normalise(&st)))
        .collect();

    Ok(Exercise {
        id: id.to_string(),
        level,
        title,
        brief,
        scenario,
        editable,
        start,
        start_key_policy,
        start_identity_policies,
        goals,
        hints,
        solution: Solution {
            key_policy,
            identity_policies,
        },
        file,
        start_requests,
        start_statements,
    })
}

/// `{"scenario": ID, "params": {...}, "key_policy": …}`: the scenario's
/// playground file around that key policy.
fn from_scenario(
    cx: &Ctx<'_>,
    o: &Map<String, Value>,
) -> Result<(Option<String>, Value), ExerciseError> {
    cx.known_fields(o, &["scenario", "params", "key_policy"], "start")?;
    let id = cx.string(o, "scenario", "start")?;
    let scenario = scenarios::scenario(id)
        .ok_or_else(|| cx.err("start-scenario", "start.scenario").with("value", id))?;
    let mut given: Vec<(String, String)> = Vec::new();
    if let Some(p) = o.get("params") {
        let Some(map) = p.as_object() else {
            return Err(cx.wrong_type("start.params", "an object"));
        };
        for (name, v) in map {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                _ => return Err(cx.wrong_type(&format!("start.params.{name}"), "a string")),
            };
            given.push((name.clone(), text));
        }
    }
    let pairs: Vec<(&str, &str)> = given
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let params = scenarios::Params::new(scenario, &pairs).map_err(|errors| {
        let e = &errors[0];
        cx.err("start-scenario", format!("start.params.{}", e.param))
            .with("value", e.value.clone())
    })?;
    let policy = cx.field(o, "key_policy", "start")?;
    let text = policy_text(policy)
        .ok_or_else(|| cx.wrong_type("start.key_policy", "a policy object or a string"))?;
    Ok((
        Some(scenario.id.to_string()),
        scenarios::build(scenario, &params, &text),
    ))
}

fn rule(cx: &Ctx<'_>, go: &Map<String, Value>, path: &str) -> Result<Rule, ExerciseError> {
    let name = cx.string(go, "rule", path)?;
    let strings = |field: &str| -> Result<Vec<String>, ExerciseError> {
        let p = join(path, field);
        match cx.field(go, field, path)? {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| cx.wrong_type(&p, "an array of strings"))
                })
                .collect(),
            _ => Err(cx.wrong_type(&p, "a non-empty array of strings")),
        }
    };
    Ok(match name {
        "no-principal-star-without-condition" => Rule::NoPrincipalStarWithoutCondition,
        "no-finding-of-severity" => {
            let mut severities = Vec::new();
            for s in strings("severities")? {
                let sev = [
                    Severity::Error,
                    Severity::Security,
                    Severity::Warning,
                    Severity::Suggestion,
                ]
                .into_iter()
                .find(|v| v.as_str() == s)
                .ok_or_else(|| {
                    cx.err("invalid-severity", join(path, "severities"))
                        .with("value", s.clone())
                })?;
                severities.push(sev);
            }
            Rule::NoFindingOfSeverity(severities)
        }
        "no-finding" => Rule::NoFinding(strings("codes")?),
        "statement-count-at-most" => {
            let p = join(path, "count");
            let n = cx
                .field(go, "count", path)?
                .as_u64()
                .ok_or_else(|| cx.wrong_type(&p, "a whole number"))?;
            Rule::StatementCountAtMost(n as usize)
        }
        "no-statement-modified" => Rule::NoStatementModified,
        other => {
            return Err(cx
                .err("invalid-rule", join(path, "rule"))
                .with("value", other))
        }
    })
}

/// The statements of a key policy's text, as JSON values (none when the
/// text is not JSON).
fn statements_of(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => match v.get("Statement") {
            Some(Value::Array(items)) => items.clone(),
            Some(o @ Value::Object(_)) => vec![o.clone()],
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    }
}

fn start_label(statement: &Value, index: usize) -> String {
    match statement.get("Sid").and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => format!("#{} \"{sid}\"", index + 1),
        _ => format!("#{}", index + 1),
    }
}

// ---------------------------------------------------------------------------
// Checking the learner's work
// ---------------------------------------------------------------------------

/// Why a goal is not met: a message id and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Message id: `reason.<code>` (the engine's explanation of a
    /// request, for request and expectations goals), `finding.<code>` /
    /// `diag.<code>` (a finding in the key policy), or
    /// `exercise.detail.<code>`.
    pub code: String,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl Detail {
    fn new(code: impl Into<String>) -> Detail {
        Detail {
            code: code.into(),
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Detail {
        self.params.push((name, value.into()));
        self
    }

    /// The sentence.
    pub fn message(&self, lang: Lang) -> String {
        render(lang, &self.code, &self.params)
    }
}

/// The state of one goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalResult {
    /// Message id of the goal's sentence.
    pub text_id: String,
    /// Is it met?
    pub met: bool,
    /// For a request goal (and an `expectations` goal that is not met): the
    /// decision (`allowed`, …) or, when the goal asks for an outcome, the
    /// outcome (`Success`, `DisabledException`, …) the request got.
    pub got: Option<String>,
    /// For an `expectations` goal that is not met: the name of the first
    /// request of the starting file that does not get its `expect`.
    pub request: Option<String>,
    /// Why it is not met (None when met).
    pub detail: Option<Detail>,
    /// Where in the key policy text the problem is, when it has a place.
    pub span: Option<Span>,
}

/// Every goal's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// One result per goal, in the exercise's order.
    pub goals: Vec<GoalResult>,
    /// True when every goal is met.
    pub all_met: bool,
}

impl Checklist {
    /// How many goals are met.
    pub fn met(&self) -> usize {
        self.goals.iter().filter(|g| g.met).count()
    }

    /// As JSON for a page: `{"all_met", "met", "total", "goals": [{"text_id",
    /// "text", "met", "got", "request", "detail": {"code", "params", "message"},
    /// "span": {"start", "end"}}]}`.
    pub fn to_json(&self, lang: Lang) -> Value {
        json!({
            "all_met": self.all_met,
            "met": self.met(),
            "total": self.goals.len(),
            "goals": self.goals.iter().map(|g| json!({
                "text_id": g.text_id,
                "text": kmsplay_messages::text(lang, &g.text_id),
                "met": g.met,
                "got": g.got,
                "request": g.request,
                "detail": g.detail.as_ref().map(|d| json!({
                    "code": d.code,
                    "params": Value::Object(d.params.iter().map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect()),
                    "message": d.message(lang),
                })),
                "span": g.span.map(|s| json!({ "start": s.start, "end": s.end })),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Decides every goal of `ex` against the learner's key policy text and
/// the learner's identity policies (identity index, policy index, text;
/// policies the exercise does not let the learner edit are ignored and the
/// starting ones used).
pub fn check(
    ex: &Exercise,
    key_policy_text: &str,
    identity_policies: &[(usize, usize, String)],
) -> Checklist {
    let parsed = parse_text(key_policy_text, PolicyKind::Resource);
    let mut file = ex.file.clone();
    for (i, j, text) in identity_policies {
        let e = Editable::IdentityPolicy {
            identity: *i,
            policy: *j,
        };
        if !ex.editable.contains(&e) {
            continue;
        }
        if let Some(slot) = file
            .identities
            .get_mut(*i)
            .and_then(|id| id.policies.get_mut(*j))
        {
            *slot = parse_text(text, PolicyKind::Identity).policy;
        }
    }
    let needs_findings = ex
        .goals
        .iter()
        .any(|g| matches!(&g.kind, GoalKind::Rule(r) if r.needs_findings()));
    let found: Vec<Finding> = if needs_findings {
        findings::lint_policy(
            &parsed,
            &LintContext {
                key: Some(&file.key),
                kind: PolicyKind::Resource,
                scenario: ex.scenario.as_deref(),
            },
        )
    } else {
        Vec::new()
    };
    file.key.policy = parsed.policy;

    let goals: Vec<GoalResult> = ex
        .goals
        .iter()
        .map(|g| {
            let mut r = GoalResult {
                text_id: g.text.clone(),
                met: true,
                got: None,
                request: None,
                detail: None,
                span: None,
            };
            match &g.kind {
                GoalKind::Request {
                    expect,
                    allowed_by,
                    index,
                    ..
                } => request_goal(&file, *index, *expect, *allowed_by, &mut r),
                GoalKind::Expectations => expectations_goal(&file, ex.start_requests, &mut r),
                GoalKind::Rule(rule) => rule_goal(ex, rule, key_policy_text, &file, &found, &mut r),
            }
            r
        })
        .collect();
    Checklist {
        all_met: goals.iter().all(|g| g.met),
        goals,
    }
}

fn request_goal(
    file: &PlaygroundFile,
    index: usize,
    expect: Expect,
    allowed_by: Option<AllowedBy>,
    r: &mut GoalResult,
) {
    if let Some(spec) = file.requests.get(index) {
        request_goal_for(file, spec, expect, allowed_by, r);
    }
}

fn request_goal_for(
    file: &PlaygroundFile,
    spec: &kmsplay_playground::RequestSpec,
    expect: Expect,
    allowed_by: Option<AllowedBy>,
    r: &mut GoalResult,
) {
    let auth = kmsplay_playground::decide(file, spec, false).authorization;
    r.got = Some(match expect {
        Expect::Decision(_) => auth.decision.as_str().to_string(),
        Expect::Outcome(_) => auth.outcome.as_str().to_string(),
    });
    if !expect.met(auth.decision, auth.outcome) {
        r.met = false;
        let reason = match (expect, auth.decision) {
            // Authorized, but the key refused: its refusal is the last reason.
            (Expect::Outcome(_), Decision::Allowed) => auth.reasons.last(),
            // Denied: the near miss (a condition that did not hold) says more
            // than "nothing allows it".
            (_, Decision::ImplicitDeny) => auth
                .reasons
                .iter()
                .find(|x| x.code.contains("condition"))
                .or(auth.reasons.first()),
            _ => auth.reasons.first(),
        };
        r.detail = reason.map(|x| reason_detail(file, spec, &auth, x));
        return;
    }
    let Some(wanted) = allowed_by else { return };
    let first = auth.allowed_by.first();
    let ok = match wanted {
        AllowedBy::Grant => matches!(first, Some(Source::Grant { .. })),
        AllowedBy::KeyPolicy => matches!(first, Some(Source::KeyPolicy { .. })),
    };
    if !ok {
        r.met = false;
        r.detail = match first {
            Some(Source::KeyPolicy { statement }) => {
                Some(Detail::new("exercise.detail.allowed-by-key-policy").with(
                    "statement",
                    kmsplay_playground::statement_label(file.key.policy.as_ref(), *statement),
                ))
            }
            Some(Source::Grant { id }) => {
                Some(Detail::new("exercise.detail.allowed-by-grant").with("grant", id.clone()))
            }
            Some(Source::IdentityPolicy { identity, .. }) => Some(
                Detail::new("exercise.detail.allowed-by-identity-policy")
                    .with("identity", identity.clone()),
            ),
            // Only the key policy, IAM policies and grants allow.
            Some(_) | None => None,
        };
        if let (Some(Source::KeyPolicy { statement }), Some(p)) = (first, &file.key.policy) {
            r.span = p.statements.get(*statement).map(|s| s.span);
        }
    }
}

/// The engine's reason as a detail, with the parameters the playground's
/// report gives it (statement labels, caller, action).
fn reason_detail(
    file: &PlaygroundFile,
    spec: &kmsplay_playground::RequestSpec,
    auth: &Authorization,
    reason: &Reason,
) -> Detail {
    let params = kmsplay_playground::reason_params(file, spec, auth, reason)
        .into_iter()
        .map(|(name, value)| (name, value.into_owned()))
        .collect();
    Detail {
        code: format!("reason.{}", reason.code),
        params,
    }
}

fn expectations_goal(file: &PlaygroundFile, count: usize, r: &mut GoalResult) {
    for spec in file.requests.iter().take(count) {
        let Some(expect) = spec.expect else { continue };
        request_goal_for(file, spec, expect, None, r);
        if !r.met {
            r.request = Some(spec.name.clone());
            return;
        }
        r.got = None;
    }
}

fn finding_detail(f: &Finding) -> Detail {
    let id = format!("finding.{}", f.code);
    let code = if kmsplay_messages::exists(&id) {
        id
    } else {
        format!("diag.{}", f.code)
    };
    Detail {
        code,
        params: f.params.clone(),
    }
}

fn rule_goal(
    ex: &Exercise,
    rule: &Rule,
    text: &str,
    file: &PlaygroundFile,
    found: &[Finding],
    r: &mut GoalResult,
) {
    let first = |pred: &dyn Fn(&Finding) -> bool| found.iter().find(|f| pred(f));
    let offending = match rule {
        Rule::NoPrincipalStarWithoutCondition => first(&|f| f.code == "public-principal"),
        Rule::NoFindingOfSeverity(sev) => first(&|f| sev.contains(&f.severity)),
        Rule::NoFinding(codes) => first(&|f| codes.iter().any(|c| c == f.code)),
        Rule::StatementCountAtMost(max) => {
            let count = file.key.policy.as_ref().map_or(0, |p| p.statements.len());
            if count > *max {
                r.met = false;
                r.detail = Some(
                    Detail::new("exercise.detail.statement-count")
                        .with("count", count.to_string())
                        .with("max", max.to_string()),
                );
            }
            return;
        }
        Rule::NoStatementModified => {
            let mut now: Vec<Option<Value>> = statements_of(text)
                .iter()
                .map(|s| Some(crate::merge::normalise(s)))
                .collect();
            for (label, st) in &ex.start_statements {
                match now.iter_mut().find(|n| n.as_ref() == Some(st)) {
                    Some(slot) => *slot = None,
                    None => {
                        r.met = false;
                        r.detail = Some(
                            Detail::new("exercise.detail.statement-modified")
                                .with("statement", label.clone()),
                        );
                        return;
                    }
                }
            }
            return;
        }
    };
    if let Some(f) = offending {
        r.met = false;
        r.detail = Some(finding_detail(f));
        r.span = Some(f.span);
    }
}

// ---------------------------------------------------------------------------
// The learner's work from a document
// ---------------------------------------------------------------------------

/// What a learner wrote: the key policy text and the editable identity
/// policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    /// The key policy text.
    pub key_policy: String,
    /// Identity policies, as (identity index, policy index, text).
    pub identity_policies: Vec<(usize, usize, String)>,
}

/// Reads the learner's work from a document that is either the key policy
/// itself or a playground file (an object with `version` and `key`) whose
/// `key.policy` and editable `identities[i].policies[j]` hold it. A policy
/// given as an object is taken exactly as written in the document.
pub fn read_work(ex: &Exercise, text: &str) -> Work {
    let root = kmsplay_json::parse(text).ok();
    let playground = root
        .as_ref()
        .filter(|r| r.get("version").is_some() && r.get("key").is_some());
    let Some(root) = playground else {
        return Work {
            key_policy: text.to_string(),
            identity_policies: Vec::new(),
        };
    };
    let as_text = |n: &Node| match &n.value {
        JsonValue::String(s) => s.clone(),
        _ => text[n.span.start..n.span.end].to_string(),
    };
    let key_policy = root
        .get("key")
        .and_then(|k| k.get("policy"))
        .map(as_text)
        .unwrap_or_default();
    let mut identity_policies = Vec::new();
    for e in &ex.editable {
        let Editable::IdentityPolicy { identity, policy } = *e else {
            continue;
        };
        let node = match root.get("identities").map(|n| &n.value) {
            Some(JsonValue::Array(items)) => {
                items
                    .get(identity)
                    .and_then(|i| match i.get("policies").map(|p| &p.value) {
                        Some(JsonValue::Array(ps)) => ps.get(policy),
                        _ => None,
                    })
            }
            _ => None,
        };
        if let Some(n) = node {
            identity_policies.push((identity, policy, as_text(n)));
        }
    }
    Work {
        key_policy,
        identity_policies,
    }
}

impl Exercise {
    /// Checks the starting file as the learner first sees it.
    pub fn check_start(&self) -> Checklist {
        check(self, &self.start_key_policy, &self.start_identity_policies)
    }

    /// Checks the reference solution.
    pub fn check_solution(&self) -> Checklist {
        // Identity policies the solution leaves alone stay as they start.
        let mut identities = self.start_identity_policies.clone();
        for (i, j, text) in &self.solution.identity_policies {
            match identities.iter_mut().find(|(a, b, _)| a == i && b == j) {
                Some(slot) => slot.2 = text.clone(),
                None => identities.push((*i, *j, text.clone())),
            }
        }
        check(self, &self.solution.key_policy, &identities)
    }

    /// Every message id the exercise uses (title, brief, goals, hints).
    pub fn message_ids(&self) -> Vec<&str> {
        let mut ids = vec![self.title.as_str(), self.brief.as_str()];
        ids.extend(self.goals.iter().map(|g| g.text.as_str()));
        ids.extend(self.hints.iter().map(String::as_str));
        ids
    }

    /// As JSON for a page: id, level, words in `lang`, what is editable,
    /// the starting file and policies, goals, hints and the solution.
    pub fn to_json(&self, lang: Lang) -> Value {
        let t = |id: &str| kmsplay_messages::text(lang, id);
        let identity = |list: &[(usize, usize, String)]| {
            list.iter()
                .map(|(i, j, text)| {
                    json!({
                        "path": Editable::IdentityPolicy { identity: *i, policy: *j }.path(),
                        "identity": i,
                        "policy": j,
                        "text": text,
                    })
                })
                .collect::<Vec<_>>()
        };
        json!({
            "id": self.id,
            "level": self.level.as_str(),
            "level_label": t(&self.level.label()),
            "title": t(&self.title),
            "brief": t(&self.brief),
            "scenario": self.scenario,
            "editable": self.editable.iter().map(|e| e.path()).collect::<Vec<_>>(),
            "start": self.start,
            "start_key_policy": self.start_key_policy,
            "start_identity_policies": identity(&self.start_identity_policies),
            "goals": self.goals.iter().map(|g| {
                let mut o = json!({ "text_id": g.text, "text": t(&g.text) });
                match &g.kind {
                    GoalKind::Request { request, expect, allowed_by, .. } => {
                        o["kind"] = json!("request");
                        o["request"] = request.clone();
                        o["expect"] = json!(expect.as_str());
                        o["allowed_by"] = json!(allowed_by.map(AllowedBy::as_str));
                    }
                    GoalKind::Rule(rule) => {
                        o["kind"] = json!("rule");
                        o["rule"] = json!(rule.name());
                    }
                    GoalKind::Expectations => o["kind"] = json!("expectations"),
                }
                o
            }).collect::<Vec<_>>(),
            "hints": self.hints.iter().map(|h| t(h)).collect::<Vec<_>>(),
            "solution": {
                "key_policy": self.solution.key_policy,
                "identity_policies": identity(&self.solution.identity_policies),
            },
        })
    }
}

// ---------------------------------------------------------------------------
// A template for instructors
// ---------------------------------------------------------------------------

/// A template exercise file for instructors, explained in English.
pub fn new_template() -> String {
    new_template_in(Lang::En)
}

/// A template exercise file for instructors: a small but complete
/// exercise (it reads with [`parse`]) whose `_comment` fields, in `lang`,
/// explain each part.
pub fn new_template_in(lang: Lang) -> String {
    let c = |id: &str| {
        Value::String(kmsplay_messages::text(
            lang,
            &format!("exercise.template.{id}"),
        ))
    };
    let key = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let root = json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
        "Action": "kms:*",
        "Resource": "*"
    });
    let bob = json!({
        "Sid": "Allow Bob to decrypt trail logs",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" },
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } }
    });
    let start_policy = json!({ "Version": "2012-10-17", "Statement": [root.clone()] });
    let solution_policy = json!({ "Version": "2012-10-17", "Statement": [root, bob] });
    let template = json!({
        "_comment": c("comment"),
        "id": "my-exercise",
        "level": "beginner",
        "_comment_level": c("level"),
        "title": "exercise.my-exercise.title",
        "brief": "exercise.my-exercise.brief",
        "_comment_messages": c("messages"),
        "scenario": "cloudtrail-trail",
        "_comment_scenario": c("scenario"),
        "editable": ["key_policy"],
        "_comment_editable": c("editable"),
        "_comment_start": c("start"),
        "start": {
            "version": 1,
            "key": {
                "arn": key,
                "policy": crate::snippets::pretty(&start_policy),
            },
            "identities": [
                { "arn": "arn:aws:iam::111111111111:user/Bob", "policies": [] }
            ]
        },
        "_comment_goals": c("goals"),
        "goals": [
            {
                "kind": "request",
                "request": {
                    "name": "Bob reads a trail log file",
                    "principal": "arn:aws:iam::111111111111:user/Bob",
                    "action": "kms:Decrypt",
                    "encryption_context": {
                        "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"
                    },
                    "context": { "kms:ViaService": "s3.us-west-2.amazonaws.com" }
                },
                "decision": "allowed",
                "text": "exercise.my-exercise.goal.1"
            },
            {
                "kind": "request",
                "request": {
                    "principal": "arn:aws:iam::111111111111:user/Bob",
                    "action": "kms:Encrypt"
                },
                "decision": "implicitDeny",
                "text": "exercise.my-exercise.goal.2"
            },
            {
                "kind": "rule",
                "rule": "no-statement-modified",
                "text": "exercise.my-exercise.goal.3"
            }
        ],
        "_comment_rules": c("rules"),
        "hints": ["exercise.my-exercise.hint.1", "exercise.my-exercise.hint.2"],
        "_comment_hints": c("hints"),
        "solution": {
            "key_policy": solution_policy,
        },
        "_comment_solution": c("solution"),
    });
    let mut out = serde_json::to_string_pretty(&template).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editable_paths_round_trip() {
        for p in [
            "key_policy",
            "identities[0].policies[0]",
            "identities[3].policies[12]",
        ] {
            assert_eq!(Editable::parse(p).map(|e| e.path()).as_deref(), Some(p));
        }
        for p in [
            "identities[].policies[0]",
            "identities[x].policies[0]",
            "key",
            "identities[0]",
        ] {
            assert_eq!(Editable::parse(p), None, "{p}");
        }
    }

    #[test]
    fn the_template_is_an_exercise() {
        let t = new_template();
        let ex = parse("my-exercise", &t).unwrap_or_else(|e| panic!("{e}"));
        assert!(ex.check_solution().all_met, "{:#?}", ex.check_solution());
        assert!(!ex.check_start().all_met);
    }

    #[test]
    fn statement_count_rule() {
        let mut v: Value = serde_json::from_str(&new_template()).unwrap();
        v["goals"][2] =
            json!({"kind": "rule", "rule": "statement-count-at-most", "count": 1, "text": "t"});
        let ex = parse("my-exercise", &v.to_string()).unwrap();
        let c = ex.check_solution();
        assert!(!c.goals[2].met);
        assert_eq!(
            c.goals[2].detail.as_ref().map(|d| d.code.as_str()),
            Some("exercise.detail.statement-count")
        );
        v["goals"][2]["count"] = json!(2);
        let ex = parse("my-exercise", &v.to_string()).unwrap();
        assert!(ex.check_solution().all_met);
        v["goals"][2]["count"] = json!("two");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "wrong-type"
        );
    }

    #[test]
    fn mistakes_are_errors_not_panics() {
        let t = new_template();
        let mut v: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(parse("other", &t).unwrap_err().code, "id-mismatch");
        v["level"] = json!("expert");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "invalid-level"
        );
        v["level"] = json!("beginner");
        v["goals"][2]["rule"] = json!("no-such-rule");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "invalid-rule"
        );
        v["goals"][2]["rule"] = json!("no-statement-modified");
        v["goals"][0]["request"]["action"] = json!("kms:Decrpyt");
        let e = parse("my-exercise", &v.to_string()).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            ("start-invalid", "goals[0].request.action")
        );
        v["goals"][0]["request"]["action"] = json!("kms:Decrypt");
        v["hint"] = json!([]);
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "unknown-field"
        );
        assert_eq!(parse("my-exercise", "{").unwrap_err().code, "json");
    }
}
