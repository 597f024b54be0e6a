//! The answers: a result, the requests that prove it, and why an answer
//! is "unknown".

pub use crate::limit::Limit;
use crate::search::{principal_name, Sample};
use crate::setting::{Setting, ALLOW_EVERYTHING};
use kmsplay_kms::{authorize, is_callers_identity, Authorization, Identity, Source};
use kmsplay_policy::{ContextValue, Principal};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Pass, fail or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Verdict {
    /// No request of the modelled space breaks the property.
    Pass,
    /// These requests break it (each re-checked with the engine).
    Fail,
    /// Some construct could not be decided exactly and no request was
    /// found that breaks it.
    Unknown,
}

impl Verdict {
    /// `pass`, `fail`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
        }
    }
}

/// A request as the playground file writes it, with the identities it
/// needs that the file does not have: paste both into a file to see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counterexample {
    /// A `requests[]` entry.
    #[cfg_attr(
        feature = "ts",
        ts(type = "{ principal: string, action: string, key?: string, \
                   encryption_context?: Record<string, string>, \
                   context?: Record<string, string | string[]>, grant_tokens?: string[] }")
    )]
    pub request: Value,
    /// `identities[]` entries.
    #[cfg_attr(
        feature = "ts",
        ts(type = "Array<{ arn: string, policies: object[] }>")
    )]
    pub identities: Vec<Value>,
    /// The key-policy statement (from 0) that allows it, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub statement: Option<usize>,
    /// The request itself.
    #[serde(skip)]
    pub sample: Sample,
}

/// The answer to one check.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// `no-new-access`, `no-public-access`, `access-not-granted`, `lockout`.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "\"no-new-access\" | \"no-public-access\" | \"access-not-granted\" | \"lockout\""
        )
    )]
    pub check: &'static str,
    /// The verdict.
    pub result: Verdict,
    /// For a fail, the requests that break the property; for a lockout
    /// fail, the key account's callers that are refused.
    pub counterexamples: Vec<Counterexample>,
    /// For a pass of `lockout`, a caller that can still change the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub witness: Option<Counterexample>,
    /// Why the answer is unknown (or, with a fail, what was not tried).
    pub limits: Vec<Limit>,
    /// How many requests the engine decided.
    pub requests_tried: usize,
}

impl Counterexample {
    /// The counterexample for `sample` in `setting` (decided with
    /// `identities`: the file's and the assumed ones).
    pub fn new(sample: &Sample, setting: &Setting, identities: &[Identity]) -> Counterexample {
        let auth = authorize(&setting.key, identities, &sample.request(setting), false);
        Counterexample::decided(sample, setting, &auth)
    }

    /// The counterexample for `sample` as `prepared`'s setting decides it.
    pub fn of(prepared: &crate::search::Prepared<'_>, sample: &Sample) -> Counterexample {
        Counterexample::decided(sample, prepared.setting, &prepared.authorize(sample))
    }

    /// The counterexample for `sample` in `setting`, which the engine
    /// answered with `auth`.
    pub fn decided(sample: &Sample, setting: &Setting, auth: &Authorization) -> Counterexample {
        let statement = auth.allowed_by.iter().find_map(|s| match s {
            Source::KeyPolicy { statement } => Some(*statement),
            _ => None,
        });
        Counterexample {
            request: request_json(sample),
            identities: identities_json(sample, setting),
            statement,
            sample: sample.clone(),
        }
    }
}

fn request_json(s: &Sample) -> Value {
    let mut m = Map::new();
    m.insert("principal".into(), json!(principal_name(&s.principal)));
    m.insert("action".into(), json!(format!("kms:{}", s.operation.name)));
    if let Some(k) = &s.key_ref {
        m.insert("key".into(), json!(k));
    }
    if !s.encryption_context.is_empty() {
        let ec: Map<String, Value> = s
            .encryption_context
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        m.insert("encryption_context".into(), Value::Object(ec));
    }
    if !s.context.is_empty() {
        let ctx: Map<String, Value> = s
            .context
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    ContextValue::Single(x) => json!(x),
                    ContextValue::Multi(xs) => json!(xs),
                };
                (k.clone(), v)
            })
            .collect();
        m.insert("context".into(), Value::Object(ctx));
    }
    if !s.grant_tokens.is_empty() {
        m.insert("grant_tokens".into(), json!(s.grant_tokens));
    }
    Value::Object(m)
}

/// The identity an IAM caller the file does not describe is assumed to
/// have (see [`crate::setting::allow_everything`]).
fn identities_json(s: &Sample, setting: &Setting) -> Vec<Value> {
    let Principal::Aws(a) = &s.principal else {
        return Vec::new();
    };
    if a.kind == kmsplay_policy::AwsPrincipalKind::Root
        || setting
            .identities
            .iter()
            .any(|i| is_callers_identity(&i.arn, &s.principal))
    {
        return Vec::new();
    }
    let arn = s.principal.principal_arn().unwrap_or(&a.arn);
    let policy: Value = serde_json::from_str(ALLOW_EVERYTHING).unwrap_or(Value::Null);
    vec![json!({ "arn": arn, "policies": [policy] })]
}
