//! Reading an exercise file: every field checked, the starting file
//! (given, or built from a scenario) read with the goals' requests.

use super::model::{
    AllowedBy, Editable, Exercise, ExerciseError, Goal, GoalKind, Level, Rule, Solution,
};
use crate::findings::Severity;
use crate::scenarios;
use kmsplay_playground::{Expect, PlaygroundFile};
use serde_json::{Map, Value};

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

/// Reads exercise `id` from the text of its file. The parts are read in
/// the file's order (header, start, editable policies, goals, hints,
/// solution) and the first problem is the error.
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
    let (level, title, brief) = header(&cx, o)?;
    let (start, scenario) = start_file(&cx, o)?;
    let editable = editable_policies(&cx, o)?;
    let (start_key_policy, start_identity_policies) = start_policies(&cx, &start, &editable)?;
    let goals = read_goals(&cx, o, &start)?;
    let file = goals_file(&cx, &start, &goals)?;
    let hints = read_hints(&cx, o)?;
    let solution = read_solution(&cx, o, &editable)?;
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
        goals: goals.goals,
        hints,
        solution,
        file,
        start_requests: goals.start_requests,
        start_statements,
    })
}

/// `id` (which must be the file's), `level`, `title` and `brief`.
fn header(cx: &Ctx<'_>, o: &Map<String, Value>) -> Result<(Level, String, String), ExerciseError> {
    let file_id = cx.string(o, "id", "")?;
    if file_id != cx.id {
        return Err(cx.err("id-mismatch", "id").with("value", file_id));
    }
    let level_text = cx.string(o, "level", "")?;
    let level = Level::parse(level_text)
        .ok_or_else(|| cx.err("invalid-level", "level").with("value", level_text))?;
    let title = cx.string(o, "title", "")?.to_string();
    let brief = cx.string(o, "brief", "")?.to_string();
    Ok((level, title, brief))
}

/// The starting file (given, or built from a scenario) and the scenario it
/// follows, which must exist.
fn start_file(
    cx: &Ctx<'_>,
    o: &Map<String, Value>,
) -> Result<(Value, Option<String>), ExerciseError> {
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
        let built = from_scenario(cx, start_obj)?;
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
    Ok((start, scenario))
}

/// `editable`: the policies the learner may change (the key policy always
/// among them; only the key policy when the field is absent).
fn editable_policies(cx: &Ctx<'_>, o: &Map<String, Value>) -> Result<Vec<Editable>, ExerciseError> {
    let mut editable = vec![Editable::KeyPolicy];
    let Some(list) = o.get("editable") else {
        return Ok(editable);
    };
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
    Ok(editable)
}

/// The texts of the editable policies in the starting file: the key
/// policy, and each editable identity policy as (identity, policy, text).
type StartPolicies = (String, Vec<(usize, usize, String)>);

fn start_policies(
    cx: &Ctx<'_>,
    start: &Value,
    editable: &[Editable],
) -> Result<StartPolicies, ExerciseError> {
    let start_key_policy = start
        .pointer("/key/policy")
        .and_then(policy_text)
        .ok_or_else(|| cx.err("missing-field", "start.key.policy"))?;
    let mut start_identity_policies = Vec::new();
    for e in editable {
        if let Editable::IdentityPolicy { identity, policy } = *e {
            let text = start
                .pointer(&format!("/identities/{identity}/policies/{policy}"))
                .and_then(policy_text)
                .ok_or_else(|| cx.err("no-such-policy", "editable").with("value", e.path()))?;
            start_identity_policies.push((identity, policy, text));
        }
    }
    Ok((start_key_policy, start_identity_policies))
}

/// The goals, and the requests they add to the starting file's own.
struct ReadGoals {
    goals: Vec<Goal>,
    /// The starting file's requests, then one per request goal.
    requests: Vec<Value>,
    /// How many of `requests` are the starting file's.
    start_requests: usize,
    /// For each request after those, the goal it belongs to.
    goal_of_request: Vec<usize>,
}

/// `goals`: requests are appended to the starting file's own requests and
/// read with it, so they mean exactly what a playground file means.
fn read_goals(
    cx: &Ctx<'_>,
    o: &Map<String, Value>,
    start: &Value,
) -> Result<ReadGoals, ExerciseError> {
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
    let mut read = ReadGoals {
        goals: Vec::new(),
        requests: start
            .get("requests")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        start_requests,
        goal_of_request: Vec::new(),
    };
    for (n, g) in goal_items.iter().enumerate() {
        let path = format!("goals[{n}]");
        let Some(go) = g.as_object() else {
            return Err(cx.wrong_type(&path, "an object"));
        };
        cx.known_fields(go, GOAL_FIELDS, &path)?;
        let text = cx.string(go, "text", &path)?.to_string();
        let kind = match cx.string(go, "kind", &path)? {
            "request" => {
                let (request, expect, allowed_by) = request_goal(cx, go, &path)?;
                let index = read.requests.len();
                read.requests.push(request.clone());
                read.goal_of_request.push(n);
                GoalKind::Request {
                    request,
                    expect,
                    allowed_by,
                    index,
                }
            }
            "rule" => GoalKind::Rule(rule(cx, go, &path)?),
            "expectations" => GoalKind::Expectations,
            other => {
                return Err(cx
                    .err("invalid-goal-kind", join(&path, "kind"))
                    .with("value", other))
            }
        };
        read.goals.push(Goal { text, kind });
    }
    Ok(read)
}

/// A request goal's `request`, its expected `decision` or `outcome` (one
/// of the two), and `allowed_by`.
fn request_goal(
    cx: &Ctx<'_>,
    go: &Map<String, Value>,
    path: &str,
) -> Result<(Value, Expect, Option<AllowedBy>), ExerciseError> {
    let request = cx.field(go, "request", path)?.clone();
    let expect = match (go.get("decision"), go.get("outcome")) {
        (Some(Value::String(d)), None) => Expect::parse(d)
            .filter(|e| matches!(e, Expect::Decision(_)))
            .ok_or_else(|| {
                cx.err("invalid-expect", join(path, "decision"))
                    .with("value", d.clone())
            })?,
        (None, Some(Value::String(d))) => Expect::parse(d)
            .filter(|e| matches!(e, Expect::Outcome(_)))
            .ok_or_else(|| {
                cx.err("invalid-expect", join(path, "outcome"))
                    .with("value", d.clone())
            })?,
        _ => {
            return Err(cx
                .err("invalid-expect", path.to_string())
                .with("value", String::new()))
        }
    };
    let allowed_by = match go.get("allowed_by") {
        None => None,
        Some(Value::String(s)) => Some(AllowedBy::parse(s).ok_or_else(|| {
            cx.err("invalid-allowed-by", join(path, "allowed_by"))
                .with("value", s.clone())
        })?),
        Some(_) => return Err(cx.wrong_type(&join(path, "allowed_by"), "a string")),
    };
    Ok((request, expect, allowed_by))
}

/// The starting file with the goals' requests, read as a playground file;
/// a problem in a goal's request is reported at the goal.
fn goals_file(
    cx: &Ctx<'_>,
    start: &Value,
    goals: &ReadGoals,
) -> Result<PlaygroundFile, ExerciseError> {
    let mut internal = start.clone();
    internal["requests"] = Value::Array(goals.requests.clone());
    kmsplay_playground::read(&internal.to_string()).map_err(|e| {
        let path = e
            .path
            .strip_prefix("requests[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, tail)| i.parse::<usize>().ok().map(|i| (i, tail)))
            .and_then(|(i, tail)| {
                i.checked_sub(goals.start_requests)
                    .and_then(|k| goals.goal_of_request.get(k))
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
    })
}

/// `hints`: non-empty strings (none when absent).
fn read_hints(cx: &Ctx<'_>, o: &Map<String, Value>) -> Result<Vec<String>, ExerciseError> {
    match o.get("hints") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, h)| match h {
                Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
                _ => Err(cx.wrong_type(&format!("hints[{i}]"), "a non-empty string")),
            })
            .collect(),
        Some(_) => Err(cx.wrong_type("hints", "an array of strings")),
    }
}

/// `solution`: the key policy, and the identity policies (only editable
/// ones) by their path.
fn read_solution(
    cx: &Ctx<'_>,
    o: &Map<String, Value>,
    editable: &[Editable],
) -> Result<Solution, ExerciseError> {
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
    Ok(Solution {
        key_policy,
        identity_policies,
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
        "no-new-access" => Rule::NoNewAccess,
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
pub(super) fn statements_of(text: &str) -> Vec<Value> {
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
