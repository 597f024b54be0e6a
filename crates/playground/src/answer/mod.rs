//! What the engine answers about a playground file, as plain Rust types:
//! the report, each request's result, its reasons, the statement that
//! decided, the trace of every layer, and the file's diagnostics.
//!
//! Every front end starts from these values. The command line and the npm
//! package serialise them (`serde`; the field order is the JSON's), the
//! page reads their fields. A field added here appears everywhere.

use crate::file::{PlaygroundFile, PolicyDiagnostics, PolicySource, RequestSpec};
use crate::report::{
    diagnostic_message, render_reason, source_field, source_policy, statement_label,
};
use crate::RequestResult;
use kmsplay_json::{LineIndex, Span};
use kmsplay_kms::catalogue::Operation;
use kmsplay_kms::{Decision, GuardrailTrace, NodeTrace, Outcome, Source, TraceInputs};
use kmsplay_messages::Lang;
use kmsplay_policy::{
    condition_holds, request_values, statement_applies, statement_parts, ContextValue, Request,
    RequestContext, Statement, StatementTrace,
};
pub mod json;

/// The texts of an answer: `String` (the default: an answer that owns
/// them, to keep) or `&'a str` (borrowed from the file, the request and
/// the decision's trace, to serialise at once: nothing copied).
pub trait Text<'a>:
    From<&'a str> + AsRef<str> + Serialize + Clone + std::fmt::Debug + PartialEq + Eq + Default
{
    /// An operation's IAM action, `kms:Decrypt`.
    fn action(op: &'static Operation) -> Self;

    /// A statement of a policy, traced against the request.
    fn statement(
        st: &'a Statement,
        request: &Request<'a>,
        identity: bool,
        span: Option<SpanAnswer>,
    ) -> StatementAnswer<Self>;

    /// A statement the decision traced (another layer's).
    fn traced_statement(s: &'a StatementTrace, span: Option<SpanAnswer>) -> StatementAnswer<Self>;
}

impl<'a> Text<'a> for String {
    fn action(op: &'static Operation) -> String {
        let mut action = String::with_capacity(4 + op.name.len());
        action.push_str("kms:");
        action.push_str(op.name);
        action
    }

    // Owned answers (the page's, the command line's) take the engine's
    // trace as it is: the page's code stays that one routine.
    fn statement(
        st: &'a Statement,
        request: &Request<'a>,
        identity: bool,
        span: Option<SpanAnswer>,
    ) -> StatementAnswer {
        StatementAnswer::new(kmsplay_policy::trace_statement(st, request, identity), span)
    }

    fn traced_statement(s: &'a StatementTrace, span: Option<SpanAnswer>) -> StatementAnswer {
        StatementAnswer::new(s.clone(), span)
    }
}

impl<'a> Text<'a> for &'a str {
    fn action(op: &'static Operation) -> &'a str {
        kmsplay_kms::catalogue::action_name(op)
    }

    fn statement(
        st: &'a Statement,
        request: &Request<'a>,
        identity: bool,
        span: Option<SpanAnswer>,
    ) -> StatementAnswer<&'a str> {
        StatementAnswer::traced(st, request, identity, span)
    }

    fn traced_statement(
        s: &'a StatementTrace,
        span: Option<SpanAnswer>,
    ) -> StatementAnswer<&'a str> {
        StatementAnswer::borrowed(s, span)
    }
}

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A file's results: `{"results": [...], "diagnostics": [...], "summary": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
#[serde(bound(serialize = "S: Serialize + AsRef<str>"))]
pub struct ReportAnswer<S = String> {
    /// One per request, in the file's order.
    pub results: Vec<RequestAnswer<S>>,
    /// What the policy parser said of every policy in the file.
    pub diagnostics: Vec<DiagnosticAnswer<S>>,
    /// Counts over the results.
    pub summary: Summary,
}

impl<S> ReportAnswer<S> {
    /// True when no request failed its `expect`.
    pub fn all_met(&self) -> bool {
        self.summary.expect_failed == 0
    }
}

/// Counts over a report's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    /// Requests.
    pub total: usize,
    /// Requests allowed.
    pub allowed: usize,
    /// Requests denied (explicitly or implicitly).
    pub denied: usize,
    /// Requests whose `expect` was met.
    pub expect_met: usize,
    /// Requests whose `expect` was not met.
    pub expect_failed: usize,
}

/// One request's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
#[serde(bound(serialize = "S: Serialize + AsRef<str>"))]
pub struct RequestAnswer<S = String> {
    /// The request's name in the file.
    pub name: S,
    /// The caller, as written.
    pub principal: S,
    /// `kms:Operation`.
    pub action: S,
    /// Allowed, explicit deny or implicit deny.
    #[serde(with = "decision")]
    #[cfg_attr(feature = "ts", ts(type = "Decision"))]
    pub decision: Decision,
    /// What KMS answers (`Success`, `AccessDeniedException`, …).
    #[serde(with = "outcome")]
    #[cfg_attr(feature = "ts", ts(type = "Outcome"))]
    pub outcome: Outcome,
    /// Why, the main reason first.
    pub reasons: Vec<ReasonAnswer>,
    /// The statements or grants that allowed it.
    pub allowed_by: Vec<SourceAnswer>,
    /// The statement that denied it.
    pub denied_by: Option<SourceAnswer>,
    /// For a caller of another account: which half allowed it.
    pub cross_account: Option<CrossAccountAnswer>,
    /// The policy type AWS names in its message (`policy_type` codes).
    #[serde(with = "word")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub policy_type: &'static str,
    /// The message AWS would return, for a denied request.
    pub access_denied_message: Option<String>,
    /// The statement that decided, for a page to highlight.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub decided_by: Option<DecidedBy>,
    /// The request's expectation (`allowed`, `implicitDeny`, an outcome).
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_word")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub expect: Option<&'static str>,
    /// Whether it was met (present with `expect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub expect_met: Option<bool>,
    /// Every statement, condition and grant considered, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub trace: Option<TraceAnswer<S>>,
}

impl<S> RequestAnswer<S> {
    /// The call succeeds.
    pub fn succeeds(&self) -> bool {
        self.outcome == Outcome::Success
    }
}

// Fields written by hand (`#[serde(with = …)]`: a module's `serialize`).

// The helpers take their types from the crates that define them, not
// from this module (which uses them): no module cycle.
mod decision {
    use super::word;
    use kmsplay_kms::Decision;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(d: &Decision, s: S) -> Result<S::Ok, S::Error> {
        word::serialize(&d.as_str(), s)
    }
}

mod outcome {
    use super::word;
    use kmsplay_kms::Outcome;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(o: &Outcome, s: S) -> Result<S::Ok, S::Error> {
        word::serialize(&o.as_str(), s)
    }
}

/// One of the engine's own words (a code, a decision, an effect), given
/// to the serializer as a unit variant: a string to `serde_json`, copied
/// without looking for characters to escape by [`json`] (a word has none).
mod word {
    use serde::Serializer;
    pub fn serialize<S: Serializer>(w: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit_variant("word", 0, w)
    }
}

/// [`word`], or `null`.
mod opt_word {
    use super::word;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(w: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        match w {
            Some(w) => word::serialize(w, s),
            None => s.serialize_none(),
        }
    }
}

/// One reason: a stable code, its parameters, and the sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReasonAnswer {
    /// `allowed-by-key-policy`, `denied-by-scp`, …
    #[serde(with = "word")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub code: &'static str,
    /// The message's parameters, as the engine gave them.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string>"))]
    pub params: Params,
    /// The sentence, in the language asked for.
    pub message: String,
}

/// Message parameters, written as a JSON object: a name given twice keeps
/// its first place and its last value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Params(pub Vec<(&'static str, String)>);

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_pairs(s, &self.0, |(k, _)| k, |(_, v)| v)
    }
}

/// A JSON object from pairs, as an ordered map builds it: a name given
/// twice keeps its first place and its last value. Read in place (no
/// list of the pairs made first): answers have few pairs, and almost
/// never a name twice.
fn serialize_pairs<'a, S, T, V>(
    s: S,
    pairs: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
    value: impl Fn(&'a T) -> &'a V,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Serialize + 'a,
{
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (i, pair) in pairs.iter().enumerate() {
        let k = key(pair);
        if pairs[..i].iter().any(|p| key(p) == k) {
            continue;
        }
        let last = pairs[i + 1..]
            .iter()
            .rev()
            .find(|p| key(p) == k)
            .unwrap_or(pair);
        map.serialize_entry(k, value(last))?;
    }
    map.end()
}

/// A statement or grant that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceAnswer {
    /// A key-policy statement.
    KeyPolicy {
        /// Its index from 0.
        statement: usize,
        /// `#2 "Sid"`.
        label: String,
    },
    /// A statement of one of the caller's identity policies.
    IdentityPolicy {
        /// The identity's ARN.
        identity: String,
        /// The policy's index among the identity's.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A grant.
    Grant {
        /// Its id.
        grant: String,
    },
    /// A statement of an SCP.
    Scp {
        /// The root, OU or account it is attached to.
        node: String,
        /// The policy's index at that node.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of an RCP.
    Rcp {
        /// The root, OU or account it is attached to.
        node: String,
        /// The policy's index at that node.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of the VPC endpoint's policy.
    VpcEndpointPolicy {
        /// The endpoint id.
        endpoint: String,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of the caller's permissions boundary.
    PermissionsBoundary {
        /// Whose boundary.
        identity: String,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of a session policy.
    SessionPolicy {
        /// The session policy's index.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
}

impl SourceAnswer {
    /// The engine's source (its texts move in), with the key-policy
    /// statement's label.
    pub fn new(file: &PlaygroundFile, s: Source) -> SourceAnswer {
        match s {
            Source::KeyPolicy { statement } => SourceAnswer::KeyPolicy {
                statement,
                label: statement_label(file.key.policy.as_ref(), statement),
            },
            Source::IdentityPolicy {
                identity,
                policy,
                statement,
            } => SourceAnswer::IdentityPolicy {
                identity,
                policy,
                statement,
            },
            Source::Grant { id } => SourceAnswer::Grant { grant: id },
            Source::Scp {
                node,
                policy,
                statement,
            } => SourceAnswer::Scp {
                node,
                policy,
                statement,
            },
            Source::Rcp {
                node,
                policy,
                statement,
            } => SourceAnswer::Rcp {
                node,
                policy,
                statement,
            },
            Source::VpcEndpoint {
                endpoint,
                statement,
            } => SourceAnswer::VpcEndpointPolicy {
                endpoint,
                statement,
            },
            Source::PermissionsBoundary {
                identity,
                statement,
            } => SourceAnswer::PermissionsBoundary {
                identity,
                statement,
            },
            Source::SessionPolicy { policy, statement } => {
                SourceAnswer::SessionPolicy { policy, statement }
            }
        }
    }
}

/// For a caller of another account: both halves must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrossAccountAnswer {
    /// The key policy allows the caller or its account.
    pub key_policy: bool,
    /// An identity policy in the caller's account allows it.
    pub identity_policy: bool,
}

/// The statement that decided: in the key policy (no `policy`), or in
/// another layer's policy (`policy` names its field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecidedBy {
    /// The field of the policy that holds it (`organization.scps.…`);
    /// absent for the key policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub policy: Option<String>,
    /// Whether `start`/`end` are in that policy's own text (it was a
    /// string) rather than in the file's; absent for the key policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub in_policy_text: Option<bool>,
    /// The statement's index.
    pub statement: usize,
    /// Byte offsets of the statement.
    pub start: usize,
    /// End of the statement (exclusive).
    pub end: usize,
}

impl DecidedBy {
    /// The key-policy statement's span, when a key-policy statement
    /// decided (another layer's is shown in its own editor).
    pub fn key_policy_span(&self) -> Option<(usize, usize)> {
        self.policy.is_none().then_some((self.start, self.end))
    }
}

/// A span with its 1-based lines and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SpanAnswer {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// Line of the start.
    pub line: usize,
    /// Column (in characters) of the start.
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column of the end.
    pub end_column: usize,
}

/// Everything a request's decision considered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
#[serde(bound(serialize = "S: Serialize + AsRef<str>"))]
pub struct TraceAnswer<S = String> {
    /// Every condition key of the request (derived and given).
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string | string[]>"))]
    pub context: ContextAnswer<S>,
    /// Every key-policy statement.
    pub key_policy: Vec<StatementAnswer<S>>,
    /// Every identity policy of the caller.
    pub identity_policies: Vec<IdentityPolicyAnswer<S>>,
    /// Every grant on the key.
    pub grants: Vec<GrantAnswer<S>>,
    /// The layers beyond these, when the request has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub guardrails: Option<GuardrailsAnswer<S>>,
}

/// A request's condition keys, written as a JSON object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContextAnswer<S = String>(pub Vec<(S, ContextValueAnswer<S>)>);

/// One condition key's value: a string, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
#[serde(untagged)]
pub enum ContextValueAnswer<S = String> {
    /// One value.
    Single(S),
    /// Several values (a multivalued key).
    Multi(Vec<S>),
}

impl<T: AsRef<str> + Serialize> Serialize for ContextAnswer<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_pairs(s, &self.0, |(k, _)| k.as_ref(), |(_, v)| v)
    }
}

impl<'a, S: Text<'a>> ContextAnswer<S> {
    fn new(context: &'a RequestContext) -> ContextAnswer<S> {
        ContextAnswer(
            context
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        ContextValue::Single(one) => ContextValueAnswer::Single(S::from(one)),
                        ContextValue::Multi(many) => {
                            ContextValueAnswer::Multi(many.iter().map(|m| S::from(m)).collect())
                        }
                    };
                    (S::from(k), v)
                })
                .collect(),
        )
    }
}

/// One statement of a policy, as the decision saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct StatementAnswer<S = String> {
    /// Its index from 0.
    pub statement: usize,
    /// Its Sid.
    pub sid: Option<S>,
    /// `Allow` or `Deny` (none when invalid).
    #[serde(with = "opt_word")]
    #[cfg_attr(feature = "ts", ts(type = "\"Allow\" | \"Deny\" | null"))]
    pub effect: Option<&'static str>,
    /// False when the statement is malformed (it never applies).
    pub valid: bool,
    /// How the principal matched (`exact`, `account`, `unmatched`, …).
    #[serde(with = "word")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub principal: &'static str,
    /// The action matched.
    pub action: bool,
    /// The resource matched.
    pub resource: bool,
    /// The statement applies to the request.
    pub applies: bool,
    /// Each condition and its result.
    pub conditions: Vec<ConditionAnswer<S>>,
    /// Where it is (in the key policy's trace only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub span: Option<SpanAnswer>,
}

impl<'a, S: Text<'a>> StatementAnswer<S> {
    /// A statement of `policy` as [`kmsplay_policy::trace_statement`]
    /// traces it, with its place when known; its texts taken from the
    /// policy and the request's context, not copied when `S` borrows.
    pub fn traced(
        st: &'a Statement,
        request: &Request<'a>,
        identity: bool,
        span: Option<SpanAnswer>,
    ) -> StatementAnswer<S> {
        let (principal, action, resource) = statement_parts(st, request, identity);
        let conditions: Vec<ConditionAnswer<S>> = st
            .conditions
            .iter()
            .map(|c| ConditionAnswer {
                operator: c.operator.name(),
                key: S::from(&c.key),
                policy_values: c.values.iter().map(|v| S::from(&v.value.text)).collect(),
                request_values: request_values(c, request.context)
                    .map(|vs| vs.iter().map(|v| S::from(v)).collect()),
                result: condition_holds(c, request.context),
            })
            .collect();
        let applies = statement_applies(
            st,
            principal.matched(),
            action,
            resource,
            conditions.iter().map(|c| c.result),
        );
        StatementAnswer {
            statement: st.index,
            sid: st.sid.as_ref().map(|s| S::from(&s.value)),
            effect: st.effect().map(|e| e.as_str()),
            valid: st.valid,
            principal: principal.code(),
            action,
            resource,
            applies,
            conditions,
            span,
        }
    }

    /// The engine's trace of a statement (another layer's, traced by the
    /// decision), with its place when known; its texts taken from it.
    pub fn borrowed(s: &'a StatementTrace, span: Option<SpanAnswer>) -> StatementAnswer<S> {
        StatementAnswer {
            statement: s.index,
            sid: s.sid.as_deref().map(S::from),
            effect: s.effect.map(|e| e.as_str()),
            valid: s.valid,
            principal: s.principal.code(),
            action: s.action,
            resource: s.resource,
            applies: s.applies,
            conditions: s
                .conditions
                .iter()
                .map(|c| ConditionAnswer {
                    operator: c.operator.clone(),
                    key: S::from(&c.key),
                    policy_values: c.policy_values.iter().map(|v| S::from(v)).collect(),
                    request_values: c
                        .request_values
                        .as_ref()
                        .map(|vs| vs.iter().map(|v| S::from(v)).collect()),
                    result: c.result,
                })
                .collect(),
            span,
        }
    }
}

impl StatementAnswer {
    /// The engine's trace of a statement, with its place when known: its
    /// texts move into the answer.
    pub fn new(s: StatementTrace, span: Option<SpanAnswer>) -> StatementAnswer {
        StatementAnswer {
            statement: s.index,
            sid: s.sid,
            effect: s.effect.map(|e| e.as_str()),
            valid: s.valid,
            principal: s.principal.code(),
            action: s.action,
            resource: s.resource,
            applies: s.applies,
            conditions: s
                .conditions
                .into_iter()
                .map(|c| ConditionAnswer {
                    operator: c.operator,
                    key: c.key,
                    policy_values: c.policy_values,
                    request_values: c.request_values,
                    result: c.result,
                })
                .collect(),
            span,
        }
    }
}

impl<S> StatementAnswer<S> {
    /// The message id of what happened to it: invalid, applies, or not.
    pub fn verdict(&self) -> &'static str {
        if !self.valid {
            "trace.invalid"
        } else if self.applies {
            "trace.applies"
        } else {
            "trace.does-not-apply"
        }
    }
}

/// One condition of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct ConditionAnswer<S = String> {
    /// `StringEquals`, `ForAnyValue:StringLike`, …
    pub operator: String,
    /// The condition key.
    pub key: S,
    /// The values the policy gives.
    pub policy_values: Vec<S>,
    /// The request's values (none when the key is absent).
    pub request_values: Option<Vec<S>>,
    /// Whether it holds.
    pub result: bool,
}

/// One identity policy in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct IdentityPolicyAnswer<S = String> {
    /// The identity's ARN.
    pub identity: S,
    /// The policy's index among the identity's.
    pub policy: usize,
    /// Its statements.
    pub statements: Vec<StatementAnswer<S>>,
}

/// One grant in a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct GrantAnswer<S = String> {
    /// The grant id.
    pub grant: S,
    /// The grantee is the caller (or its role).
    pub grantee: bool,
    /// The grantee is the caller's account.
    pub grantee_account: bool,
    /// The grant lists the operation.
    pub operation: bool,
    /// Its constraint holds.
    pub constraint: bool,
    /// Not pending, or its token was sent.
    pub usable: bool,
    /// The grant allows the request.
    pub applies: bool,
}

impl<S> GrantAnswer<S> {
    /// The message id of why it did or did not allow the request: the
    /// first test it failed.
    pub fn verdict(&self) -> &'static str {
        if self.applies {
            "trace.grant.applies"
        } else if !self.grantee && !self.grantee_account {
            "trace.grant.grantee-no"
        } else if !self.operation {
            "trace.grant.operation-no"
        } else if !self.constraint {
            "trace.grant.constraint-no"
        } else {
            "trace.grant.pending"
        }
    }
}

/// The trace of the layers beyond the key policy, identity policies and
/// grants.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct GuardrailsAnswer<S = String> {
    /// Each node from the root to the caller's account, with its SCPs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub scps: Vec<NodeAnswer<S>>,
    /// Each node from the root to the key's account, with its RCPs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub rcps: Vec<NodeAnswer<S>>,
    /// The caller's permissions boundary.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub permissions_boundary: Option<BoundaryAnswer<S>>,
    /// Each session policy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub session_policies: Vec<LayerPolicyAnswer<S>>,
    /// The VPC endpoint the request came through.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub vpc_endpoint: Option<EndpointAnswer<S>>,
}

/// A node of the organization in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct NodeAnswer<S = String> {
    /// Root, OU or account id.
    pub node: S,
    /// Only the default policy (`FullAWSAccess` / `RCPFullAWSAccess`).
    pub default_only: bool,
    /// For SCPs: some statement at this node allows the request.
    pub allows: bool,
    /// Each attached policy.
    pub policies: Vec<LayerPolicyAnswer<S>>,
}

/// One policy of another layer, in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct LayerPolicyAnswer<S = String> {
    /// Its field in the file ([`PolicySource::path`]).
    pub policy: String,
    /// Statement spans are in the policy's own text (it was a string).
    pub in_policy_text: bool,
    /// Its statements.
    pub statements: Vec<StatementAnswer<S>>,
}

/// The caller's permissions boundary, in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct BoundaryAnswer<S = String> {
    /// Its field in the file.
    pub policy: String,
    /// Statement spans are in the policy's own text.
    pub in_policy_text: bool,
    /// Its statements.
    pub statements: Vec<StatementAnswer<S>>,
    /// Whose boundary.
    pub identity: S,
}

/// The VPC endpoint in a trace: its policy, or the default one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct EndpointAnswer<S = String> {
    /// Its policy's field (none for the default policy).
    pub policy: Option<String>,
    /// Statement spans are in the policy's own text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub in_policy_text: Option<bool>,
    /// Its statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub statements: Option<Vec<StatementAnswer<S>>>,
    /// True for the default endpoint policy, which allows everything.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub default_policy: Option<bool>,
    /// The endpoint id.
    pub endpoint: S,
}

/// A diagnostic of one of the file's policies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct DiagnosticAnswer<S = String> {
    /// `key`, or the policy's field.
    pub policy: String,
    /// The identity whose policy or boundary it is.
    pub identity: Option<S>,
    /// The positions are in the policy's own text (it was a string).
    pub in_policy_text: bool,
    /// That text.
    pub policy_text: Option<S>,
    /// `unknown-action`, `json-unexpected-char`, …
    pub code: &'static str,
    /// `error`, `warning`, …
    pub severity: &'static str,
    /// The sentence, with its hint.
    pub message: String,
    /// The message's parameters.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string>"))]
    pub params: Params,
    /// Line of the start.
    pub line: usize,
    /// Column of the start.
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column of the end.
    pub end_column: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
}

/// 1-based line and column (in characters) of byte offsets, as
/// [`LineIndex::position`] gives them, for many offsets in one pass.
pub fn positions(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let clamp = |o: usize| {
        let mut o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    kmsplay_json::sort_by_offsets(&mut order, |&i| (clamp(offsets[i]), 0));
    let mut out = vec![(1, 1); offsets.len()];
    let bytes = text.as_bytes();
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    for i in order {
        let target = clamp(offsets[i]);
        for &b in &bytes[at.min(target)..target] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xc0 != 0x80 {
                // Count each character once, at its first byte.
                column += 1;
            }
        }
        at = at.max(target);
        out[i] = (line, column);
    }
    out
}

fn span_answer(span: Span, start: (usize, usize), end: (usize, usize)) -> SpanAnswer {
    SpanAnswer {
        start: span.start,
        end: span.end,
        line: start.0,
        column: start.1,
        end_line: end.0,
        end_column: end.1,
    }
}

/// The place of every key-policy statement, worked out once per file (a
/// statement's place does not change from one request to the next). In
/// the policy's own text when it was a string, else in the file's.
#[derive(Debug, Clone, Default)]
pub struct TraceSpans {
    spans: Vec<SpanAnswer>,
}

impl TraceSpans {
    /// The spans of `file`'s key-policy statements (`file_text` is what the
    /// file was read from).
    pub fn new(file: &PlaygroundFile, file_text: &str) -> TraceSpans {
        let Some(policy) = &file.key.policy else {
            return TraceSpans::default();
        };
        let text = file
            .policies
            .iter()
            .find(|p| p.source == PolicySource::Key)
            .and_then(|p| p.text.as_deref())
            .unwrap_or(file_text);
        let offsets: Vec<usize> = policy
            .statements
            .iter()
            .flat_map(|s| [s.span.start, s.span.end])
            .collect();
        let pos = positions(text, &offsets);
        let spans = policy
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| span_answer(s.span, pos[2 * i], pos[2 * i + 1]))
            .collect();
        TraceSpans { spans }
    }
}

/// The request's place among the file's (0 when it is not one of them:
/// a request decided on its own).
fn request_index(file: &PlaygroundFile, spec: &RequestSpec) -> usize {
    file.requests
        .iter()
        .position(|r| std::ptr::eq(r, spec))
        .unwrap_or(0)
}

/// One request's answer; with `trace` (what
/// [`crate::decide_for_trace`] gave, and the file's statement places),
/// everything it considered. The result is taken, not copied: its reasons'
/// parameters and its sources move into the answer. The answer's texts
/// are `S`: copies (`String`), or borrowed from the file, the request and
/// the trace inputs (`&'a str`).
pub fn request_answer<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    spec: &'a RequestSpec,
    r: RequestResult,
    lang: Lang,
    trace: Option<(&'a TraceInputs, &TraceSpans)>,
) -> RequestAnswer<S> {
    let mut auth = r.authorization;
    // The reasons move out; each one's sentence reads the rest of the
    // authorization (never its reasons).
    let reasons = std::mem::take(&mut auth.reasons);
    let reasons = reasons
        .into_iter()
        .map(|reason| {
            let message = render_reason(file, spec, &auth, &reason, lang);
            ReasonAnswer {
                code: reason.code,
                params: Params(reason.params),
                message,
            }
        })
        .collect();
    let access_denied_message = auth.access_denied_message(&file.key, &crate::kms_request(spec));
    let decided_by = decided_by(file, spec, &auth);
    RequestAnswer {
        name: S::from(&spec.name),
        principal: S::from(&spec.principal_text),
        action: S::action(spec.operation),
        decision: auth.decision,
        outcome: auth.outcome,
        reasons,
        allowed_by: auth
            .allowed_by
            .into_iter()
            .map(|s| SourceAnswer::new(file, s))
            .collect(),
        denied_by: auth.denied_by.map(|s| SourceAnswer::new(file, s)),
        cross_account: auth.cross_account.map(|c| CrossAccountAnswer {
            key_policy: c.key_policy,
            identity_policy: c.identity_policy,
        }),
        policy_type: auth.policy_type.code(),
        access_denied_message,
        decided_by,
        expect: spec.expect.map(|e| e.as_str()),
        expect_met: spec.expect.map(|_| r.expect_met == Some(true)),
        trace: trace.map(|(inputs, spans)| trace_answer(file, spec, inputs, spans)),
    }
}

/// An answer as compact JSON text (what `serde_json::to_string` gives,
/// written faster: see [`json`]), in a buffer of `size_hint` bytes to
/// start (about 1 KB a result, 6 KB with a trace).
pub fn to_json_text(answer: &impl Serialize, size_hint: usize) -> String {
    json::to_string(answer, size_hint).expect("answers hold no floating-point numbers")
}

/// The statement that decided: the key policy's, or another layer's.
fn decided_by(
    file: &PlaygroundFile,
    spec: &RequestSpec,
    auth: &kmsplay_kms::Authorization,
) -> Option<DecidedBy> {
    let deciding = match (&auth.denied_by, auth.allowed_by.first()) {
        (Some(Source::KeyPolicy { statement }), _)
        | (None, Some(Source::KeyPolicy { statement })) => Some(*statement),
        _ => None,
    };
    if let Some(st) = deciding.and_then(|i| file.key.policy.as_ref()?.statements.get(i)) {
        return Some(DecidedBy {
            policy: None,
            in_policy_text: None,
            statement: st.index,
            start: st.span.start,
            end: st.span.end,
        });
    }
    let source = auth.denied_by.as_ref()?;
    let statement = match source {
        Source::Scp { statement, .. }
        | Source::Rcp { statement, .. }
        | Source::VpcEndpoint { statement, .. }
        | Source::PermissionsBoundary { statement, .. }
        | Source::SessionPolicy { statement, .. } => *statement,
        _ => return None,
    };
    let st = source_policy(file, spec, source)?
        .statements
        .get(statement)?;
    let (field, text) = source_field(file, spec, source)?;
    Some(DecidedBy {
        policy: Some(field.path()),
        in_policy_text: Some(text.is_some()),
        statement: st.index,
        start: st.span.start,
        end: st.span.end,
    })
}

fn trace_answer<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    spec: &'a RequestSpec,
    inputs: &'a TraceInputs,
    spans: &TraceSpans,
) -> TraceAnswer<S> {
    let req = crate::kms_request(spec);
    let request = inputs.request(&file.key, &req);
    let key_policy = match &file.key.policy {
        Some(p) => p
            .statements
            .iter()
            .map(|st| {
                let span = spans
                    .spans
                    .get(st.index)
                    .filter(|s| s.start == st.span.start && s.end == st.span.end);
                S::statement(st, &request, false, span.copied())
            })
            .collect(),
        None => Vec::new(),
    };
    let identity_policies = inputs
        .identity_policies(&file.identities)
        .map(|(identity, index, policy)| IdentityPolicyAnswer {
            identity: S::from(&identity.arn),
            policy: index,
            statements: policy
                .statements
                .iter()
                .map(|st| S::statement(st, &request, true, None))
                .collect(),
        })
        .collect();
    TraceAnswer {
        context: ContextAnswer::new(&inputs.context),
        key_policy,
        identity_policies,
        grants: inputs
            .grants
            .iter()
            .map(|g| GrantAnswer {
                grant: S::from(&g.id),
                grantee: g.grantee,
                grantee_account: g.grantee_account,
                operation: g.operation,
                constraint: g.constraint,
                usable: g.usable,
                applies: g.applies,
            })
            .collect(),
        guardrails: inputs
            .guardrails
            .as_deref()
            .map(|g| guardrails_answer(file, spec, g)),
    }
}

/// The trace of the other layers; statement spans point into each
/// policy's own text when it was a string, into the file otherwise.
fn guardrails_answer<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    spec: &'a RequestSpec,
    g: &'a GuardrailTrace,
) -> GuardrailsAnswer<S> {
    let request = request_index(file, spec);
    let layer = |source: PolicySource, statements: &'a [StatementTrace]| {
        let text = file
            .policies
            .iter()
            .find(|p| p.source == source)
            .and_then(|p| p.text.as_deref());
        let own = text.map(LineIndex::new);
        LayerPolicyAnswer {
            policy: source.path(),
            in_policy_text: text.is_some(),
            statements: statements
                .iter()
                .map(|s| {
                    let span = own.as_ref().map(|index| {
                        let start = index.position(s.span.start);
                        let end = index.position(s.span.end);
                        span_answer(s.span, (start.line, start.column), (end.line, end.column))
                    });
                    S::traced_statement(s, span)
                })
                .collect(),
        }
    };
    let nodes = |nodes: &'a [NodeTrace], rcp: bool| {
        nodes
            .iter()
            .map(|n| NodeAnswer {
                node: S::from(&n.node),
                default_only: n.default_only,
                allows: n.allows,
                policies: n
                    .policies
                    .iter()
                    .enumerate()
                    .map(|(i, st)| {
                        let node = n.node.clone();
                        let source = if rcp {
                            PolicySource::Rcp { node, policy: i }
                        } else {
                            PolicySource::Scp { node, policy: i }
                        };
                        layer(source, st)
                    })
                    .collect(),
            })
            .collect()
    };
    GuardrailsAnswer {
        scps: nodes(&g.scps, false),
        rcps: nodes(&g.rcps, true),
        permissions_boundary: g.permissions_boundary.as_ref().map(|(identity, st)| {
            let at = file.identities.iter().position(|i| i.arn == *identity);
            let b = layer(
                PolicySource::Boundary {
                    identity: at.unwrap_or(0),
                },
                st,
            );
            BoundaryAnswer {
                policy: b.policy,
                in_policy_text: b.in_policy_text,
                statements: b.statements,
                identity: S::from(identity),
            }
        }),
        session_policies: g
            .session_policies
            .iter()
            .enumerate()
            .map(|(i, st)| layer(PolicySource::Session { request, policy: i }, st))
            .collect(),
        vpc_endpoint: g
            .vpc_endpoint
            .as_ref()
            .map(|(id, statements)| match statements {
                Some(st) => {
                    let p = layer(PolicySource::Endpoint { request }, st);
                    EndpointAnswer {
                        policy: Some(p.policy),
                        in_policy_text: Some(p.in_policy_text),
                        statements: Some(p.statements),
                        default_policy: None,
                        endpoint: S::from(id),
                    }
                }
                // The default endpoint policy allows everything.
                None => EndpointAnswer {
                    policy: None,
                    in_policy_text: None,
                    statements: None,
                    default_policy: Some(true),
                    endpoint: S::from(id),
                },
            }),
    }
}

/// The whole report of a file. `traces` is empty, or holds each result's
/// trace inputs (then `spans` are the file's, worked out here when not
/// given).
pub fn report_answer<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    file_text: &str,
    results: Vec<RequestResult>,
    traces: &'a [TraceInputs],
    lang: Lang,
    spans: Option<&TraceSpans>,
) -> ReportAnswer<S> {
    let own;
    let spans = match spans {
        Some(s) => s,
        None if !traces.is_empty() => {
            own = TraceSpans::new(file, file_text);
            &own
        }
        None => {
            own = TraceSpans::default();
            &own
        }
    };
    let total = results.len();
    let allowed = results
        .iter()
        .filter(|r| r.authorization.decision == Decision::Allowed)
        .count();
    let met = results
        .iter()
        .filter(|r| r.expect_met == Some(true))
        .count();
    let failed = results
        .iter()
        .filter(|r| r.expect_met == Some(false))
        .count();
    let answers = file
        .requests
        .iter()
        .zip(results)
        .enumerate()
        .map(|(i, (spec, r))| {
            let trace = traces.get(i).map(|t| (t, spans));
            request_answer(file, spec, r, lang, trace)
        })
        .collect();
    ReportAnswer {
        results: answers,
        diagnostics: diagnostics(file, file_text, lang),
        summary: Summary {
            total,
            allowed,
            denied: total - allowed,
            expect_met: met,
            expect_failed: failed,
        },
    }
}

/// Every policy's diagnostics, placed in the text they came from.
pub(crate) fn diagnostics<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    file_text: &str,
    lang: Lang,
) -> Vec<DiagnosticAnswer<S>> {
    let mut out = Vec::new();
    let mut file_index = None;
    for p in &file.policies {
        if p.diagnostics.is_empty() {
            continue;
        }
        let offsets: Vec<usize> = p
            .diagnostics
            .iter()
            .flat_map(|d| [d.span.start, d.span.end])
            .collect();
        let pos = match &p.text {
            Some(text) => positions(text, &offsets),
            None => {
                // Positions in the file's text: indexed once for all policies.
                let index = file_index.get_or_insert_with(|| LineIndex::new(file_text));
                offsets
                    .iter()
                    .map(|&o| {
                        let p = index.position(o);
                        (p.line, p.column)
                    })
                    .collect()
            }
        };
        for (j, d) in p.diagnostics.iter().enumerate() {
            out.push(diagnostic(file, p, d, lang, pos[2 * j], pos[2 * j + 1]));
        }
    }
    out
}

fn diagnostic<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    p: &'a PolicyDiagnostics,
    d: &kmsplay_policy::Diagnostic,
    lang: Lang,
    start: (usize, usize),
    end: (usize, usize),
) -> DiagnosticAnswer<S> {
    let (policy, identity) = match &p.source {
        PolicySource::Key => ("key".to_string(), None),
        PolicySource::Identity { identity, .. } | PolicySource::Boundary { identity } => (
            p.source.path(),
            file.identities.get(*identity).map(|i| S::from(&i.arn)),
        ),
        other => (other.path(), None),
    };
    DiagnosticAnswer {
        policy,
        identity,
        in_policy_text: p.text.is_some(),
        policy_text: p.text.as_deref().map(S::from),
        code: d.code,
        severity: d.severity.as_str(),
        message: diagnostic_message(d, lang),
        params: Params(d.params.clone()),
        line: start.0,
        column: start.1,
        end_line: end.0,
        end_column: end.1,
        start: d.span.start,
        end: d.span.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_line_index_positions() {
        let text = "ab\ncdéfg\r\n\nh日本\n";
        let offsets: Vec<usize> = (0..=text.len() + 2).rev().collect();
        let index = LineIndex::new(text);
        let got = positions(text, &offsets);
        for (o, g) in offsets.iter().zip(got) {
            let p = index.position(*o);
            assert_eq!(g, (p.line, p.column), "offset {o}");
        }
    }

    #[test]
    fn params_keep_first_place_and_last_value() {
        let p = Params(vec![
            ("a", "1".into()),
            ("b", "2".into()),
            ("a", "3".into()),
        ]);
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"a":"3","b":"2"}"#);
    }
}
