//! What the engine answers about a playground file, as plain Rust types:
//! the report, each request's result, its reasons, the statement that
//! decided, the trace of every layer, and the file's diagnostics.
//!
//! Every front end starts from these values. The command line and the npm
//! package serialise them (`serde`; the field order is the JSON's), the
//! page reads their fields. A field added here appears everywhere.

use crate::file::{PlaygroundFile, PolicyDiagnostics, PolicySource, RequestSpec};
use crate::words::{
    diagnostic_message, push_label, reason_pieces, render_reason, source_field, source_policy,
    statement_label, statement_sid,
};
use crate::RequestResult;
use kmsplay_json::{LineIndex, Span};
use kmsplay_kms::catalogue::Operation;
use kmsplay_kms::{Decision, GuardrailTrace, NodeTrace, Outcome, Reason, Source, TraceInputs};
use kmsplay_messages::Lang;
use kmsplay_policy::{ContextValue, Policy, RequestContext, StatementTrace};
pub mod json;

/// What an answer holds that it does not own outright: a result's reasons
/// (each with its parameters and sentence), the statements that allowed
/// it, a key-policy statement's label. Owned answers (`String`) keep them
/// as values (lists, strings); borrowed ones (`&'a str`) point at the
/// result they answer and write them only when serialised (no list,
/// sentence or label built first: the npm package writes each answer at
/// once).
pub trait Texts {
    /// A result's reasons: a list of [`ReasonAnswer`].
    type Reasons: Serialize + Clone + std::fmt::Debug + PartialEq;
    /// The statements or grants that allowed a request: a list of
    /// [`SourceAnswer`].
    type Sources: Serialize + Clone + std::fmt::Debug + PartialEq;
    /// A reason's parameters.
    type Params: Serialize + Clone + std::fmt::Debug + PartialEq;
    /// A reason's sentence.
    type Sentence: Serialize + Clone + std::fmt::Debug + PartialEq;
    /// A key-policy statement's label, `#2 "Sid"`.
    type Label: Serialize + Clone + std::fmt::Debug + PartialEq + Eq;
}

impl Texts for String {
    type Reasons = Vec<ReasonAnswer>;
    type Sources = Vec<SourceAnswer>;
    type Params = Params;
    type Sentence = String;
    type Label = String;
}

impl<'a> Texts for &'a str {
    type Reasons = ReasonsOf<'a>;
    type Sources = SourcesOf<'a>;
    type Params = ParamsOf<'a>;
    type Sentence = Sentence<'a>;
    type Label = Label<'a>;
}

/// The texts of an answer: `String` (the default: an answer that owns
/// them, to keep) or `&'a str` (borrowed from the file, the request, the
/// result and the decision's trace, to serialise at once: nothing copied).
pub trait Text<'a>:
    Texts + From<&'a str> + AsRef<str> + Serialize + Clone + std::fmt::Debug + PartialEq + Eq + Default
{
    /// An operation's IAM action, `kms:Decrypt`.
    fn action(op: &'static Operation) -> Self;

    /// A result's reasons.
    fn reasons(reasons: &'a [Reason], about: About<'a>) -> Self::Reasons;

    /// The statements or grants that allowed a request.
    fn sources(file: &'a PlaygroundFile, sources: &'a [Source]) -> Self::Sources;

    /// A reason's parameters, as the engine gave them.
    fn params(params: &'a [(&'static str, String)]) -> Self::Params;

    /// A reason's sentence.
    fn sentence(reason: &'a Reason, about: About<'a>) -> Self::Sentence;

    /// The label of statement `index` of the key policy.
    fn label(policy: Option<&'a Policy>, index: usize) -> Self::Label;
}

impl<'a> Text<'a> for String {
    fn action(op: &'static Operation) -> String {
        let mut action = String::with_capacity(4 + op.name.len());
        action.push_str("kms:");
        action.push_str(op.name);
        action
    }

    fn reasons(reasons: &'a [Reason], about: About<'a>) -> Vec<ReasonAnswer> {
        reasons
            .iter()
            .map(|r| ReasonAnswer::new(r, about))
            .collect()
    }

    fn sources(file: &'a PlaygroundFile, sources: &'a [Source]) -> Vec<SourceAnswer> {
        sources.iter().map(|s| SourceAnswer::new(file, s)).collect()
    }

    fn params(params: &'a [(&'static str, String)]) -> Params {
        Params(params.to_vec())
    }

    fn sentence(reason: &'a Reason, about: About<'a>) -> String {
        render_reason(about.file, about.spec, about.auth, reason, about.lang)
    }

    fn label(policy: Option<&'a Policy>, index: usize) -> String {
        statement_label(policy, index)
    }
}

impl<'a> Text<'a> for &'a str {
    fn action(op: &'static Operation) -> &'a str {
        kmsplay_kms::catalogue::action_name(op)
    }

    fn reasons(reasons: &'a [Reason], about: About<'a>) -> ReasonsOf<'a> {
        AnswersOf {
            items: reasons,
            context: about,
        }
    }

    fn sources(file: &'a PlaygroundFile, sources: &'a [Source]) -> SourcesOf<'a> {
        AnswersOf {
            items: sources,
            context: file,
        }
    }

    fn params(params: &'a [(&'static str, String)]) -> ParamsOf<'a> {
        ParamsOf(params)
    }

    fn sentence(reason: &'a Reason, about: About<'a>) -> Sentence<'a> {
        Sentence { reason, about }
    }

    fn label(policy: Option<&'a Policy>, index: usize) -> Label<'a> {
        Label {
            index,
            sid: statement_sid(policy, index),
        }
    }
}

/// What a borrowed answer's list holds: one of the result's values (a
/// reason, a source), answered with `C` when the list is written.
pub trait Answered<'a, C> {
    /// Its answer.
    type Answer;
    /// Its answer, with `context`.
    fn answer(&'a self, context: C) -> Self::Answer;
}

impl<'a> Answered<'a, About<'a>> for Reason {
    type Answer = ReasonAnswer<&'a str>;
    fn answer(&'a self, about: About<'a>) -> ReasonAnswer<&'a str> {
        ReasonAnswer::new(self, about)
    }
}

impl<'a> Answered<'a, &'a PlaygroundFile> for Source {
    type Answer = SourceAnswer<&'a str>;
    fn answer(&'a self, file: &'a PlaygroundFile) -> SourceAnswer<&'a str> {
        SourceAnswer::new(file, self)
    }
}

/// A list of the result's own values (its reasons, its sources), each
/// answered with `context` when it is serialised or read: a borrowed
/// answer's list, built only as it is written.
pub struct AnswersOf<'a, T, C> {
    items: &'a [T],
    context: C,
}

/// A result's reasons, each a [`ReasonAnswer`].
pub type ReasonsOf<'a> = AnswersOf<'a, Reason, About<'a>>;

/// The statements or grants that allowed a request, each a
/// [`SourceAnswer`].
pub type SourcesOf<'a> = AnswersOf<'a, Source, &'a PlaygroundFile>;

impl<'a, T: Answered<'a, C>, C: Copy> AnswersOf<'a, T, C> {
    /// Each item's answer.
    pub fn iter(&self) -> impl Iterator<Item = T::Answer> + use<'_, 'a, T, C> {
        self.items.iter().map(|item| item.answer(self.context))
    }
}

// By hand, not derived: the derives would ask the same of `T` and `C`.
impl<T, C: Copy> Clone for AnswersOf<'_, T, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, C: Copy> Copy for AnswersOf<'_, T, C> {}

impl<'a, T: Answered<'a, C>, C: Copy> Serialize for AnswersOf<'a, T, C>
where
    T::Answer: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'a, T: Answered<'a, C>, C: Copy> std::fmt::Debug for AnswersOf<'a, T, C>
where
    T::Answer: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T, C> PartialEq for AnswersOf<'_, T, C> {
    /// The same items of the same result (a view equals only itself).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.items, other.items)
    }
}

/// What a reason's sentence is about: the file, the request, its
/// authorization and the language.
#[derive(Clone, Copy)]
pub struct About<'a> {
    file: &'a PlaygroundFile,
    spec: &'a RequestSpec,
    auth: &'a kmsplay_kms::Authorization,
    lang: Lang,
}

/// A reason's sentence, put together only when serialised (in the
/// thread's scratch buffer, then written as one string: the writer
/// escapes it in one pass) or shown (`Display`).
#[derive(Clone, Copy)]
pub struct Sentence<'a> {
    reason: &'a Reason,
    about: About<'a>,
}

impl std::fmt::Display for Sentence<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = &self.about;
        let mut written = Ok(());
        reason_pieces(a.file, a.spec, a.auth, self.reason, a.lang, |piece| {
            if written.is_ok() {
                written = f.write_str(piece);
            }
        });
        written
    }
}

impl std::fmt::Debug for Sentence<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl PartialEq for Sentence<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Serialize for Sentence<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.about;
        with_scratch(|text| {
            reason_pieces(a.file, a.spec, a.auth, self.reason, a.lang, |piece| {
                text.push_str(piece)
            });
            s.serialize_str(text)
        })
    }
}

thread_local! {
    /// Room to put a sentence or a label together before it is written:
    /// one buffer for the life of the thread, not one per answer (and the
    /// writer escapes the whole text at once, not piece by piece).
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `f` with an empty buffer: the thread's, or a new one when that is
/// in use.
fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            f(&mut text)
        }
        Err(_) => f(&mut String::new()),
    })
}

/// A key-policy statement's label, `#2 "Sid"` (numbered from 1 for
/// people), written when serialised: the text [`statement_label`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label<'a> {
    index: usize,
    sid: Option<&'a str>,
}

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        with_scratch(|text| {
            push_label(text, self.sid, self.index);
            f.write_str(text)
        })
    }
}

impl Serialize for Label<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        with_scratch(|text| {
            push_label(text, self.sid, self.index);
            s.serialize_str(text)
        })
    }
}

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A file's results: `{"results": [...], "diagnostics": [...], "summary": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
#[serde(bound(serialize = "S: Serialize + AsRef<str>"))]
pub struct ReportAnswer<S: Texts = String> {
    /// One per request, in the file's order.
    pub results: Vec<RequestAnswer<S>>,
    /// What the policy parser said of every policy in the file.
    pub diagnostics: Vec<DiagnosticAnswer<S>>,
    /// Counts over the results.
    pub summary: Summary,
}

impl<S: Texts> ReportAnswer<S> {
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
pub struct RequestAnswer<S: Texts = String> {
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
    #[cfg_attr(feature = "ts", ts(type = "Array<ReasonAnswer>"))]
    pub reasons: S::Reasons,
    /// The statements or grants that allowed it.
    #[cfg_attr(feature = "ts", ts(type = "Array<SourceAnswer>"))]
    pub allowed_by: S::Sources,
    /// The statement that denied it.
    pub denied_by: Option<SourceAnswer<S>>,
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

impl<S: Texts> RequestAnswer<S> {
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
#[cfg_attr(feature = "ts", ts(concrete(S = String)))]
pub struct ReasonAnswer<S: Texts = String> {
    /// `allowed-by-key-policy`, `denied-by-scp`, …
    #[serde(with = "word")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub code: &'static str,
    /// The message's parameters, as the engine gave them.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string>"))]
    pub params: S::Params,
    /// The sentence, in the language asked for.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub message: S::Sentence,
}

impl<'a, S: Text<'a>> ReasonAnswer<S> {
    /// A reason of the authorization `about` describes.
    pub fn new(reason: &'a Reason, about: About<'a>) -> ReasonAnswer<S> {
        ReasonAnswer {
            code: reason.code,
            params: S::params(&reason.params),
            message: S::sentence(reason, about),
        }
    }
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

/// [`Params`] borrowed from the reason: written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamsOf<'a>(pub &'a [(&'static str, String)]);

impl Serialize for ParamsOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_pairs(s, self.0, |(k, _)| k, |(_, v)| v)
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
///
/// Written as an object whose `kind` (the variant's name in snake case)
/// comes first, then the variant's fields: serde's internally tagged
/// layout, serialised by hand (see the `Serialize` impl).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(
    feature = "ts",
    ts(concrete(S = String), tag = "kind", rename_all = "snake_case")
)]
pub enum SourceAnswer<S: Texts = String> {
    /// A key-policy statement.
    KeyPolicy {
        /// Its index from 0.
        statement: usize,
        /// `#2 "Sid"`.
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        label: S::Label,
    },
    /// A statement of one of the caller's identity policies.
    IdentityPolicy {
        /// The identity's ARN.
        identity: S,
        /// The policy's index among the identity's.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A grant.
    Grant {
        /// Its id.
        grant: S,
    },
    /// A statement of an SCP.
    Scp {
        /// The root, OU or account it is attached to.
        node: S,
        /// The policy's index at that node.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of an RCP.
    Rcp {
        /// The root, OU or account it is attached to.
        node: S,
        /// The policy's index at that node.
        policy: usize,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of the VPC endpoint's policy.
    VpcEndpointPolicy {
        /// The endpoint id.
        endpoint: S,
        /// The statement's index.
        statement: usize,
    },
    /// A statement of the caller's permissions boundary.
    PermissionsBoundary {
        /// Whose boundary.
        identity: S,
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

impl<S: Texts + Serialize> Serialize for SourceAnswer<S> {
    // By hand, not derived: serde's derive of an internally tagged enum
    // writes through a wrapper serializer, which cost twice the rest of a
    // source's writing. The same JSON (checked against `serde_json` in the
    // tests of `json`, and by every golden output).
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        use serde::ser::SerializeStruct;
        struct Word(&'static str);
        impl Serialize for Word {
            fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                word::serialize(&self.0, z)
            }
        }
        let (kind, fields) = match self {
            SourceAnswer::KeyPolicy { .. } => ("key_policy", 2),
            SourceAnswer::IdentityPolicy { .. } => ("identity_policy", 3),
            SourceAnswer::Grant { .. } => ("grant", 1),
            SourceAnswer::Scp { .. } => ("scp", 3),
            SourceAnswer::Rcp { .. } => ("rcp", 3),
            SourceAnswer::VpcEndpointPolicy { .. } => ("vpc_endpoint_policy", 2),
            SourceAnswer::PermissionsBoundary { .. } => ("permissions_boundary", 2),
            SourceAnswer::SessionPolicy { .. } => ("session_policy", 2),
        };
        let mut m = z.serialize_struct("SourceAnswer", fields + 1)?;
        m.serialize_field("kind", &Word(kind))?;
        match self {
            SourceAnswer::KeyPolicy { statement, label } => {
                m.serialize_field("statement", statement)?;
                m.serialize_field("label", label)?;
            }
            SourceAnswer::IdentityPolicy {
                identity,
                policy,
                statement,
            } => {
                m.serialize_field("identity", identity)?;
                m.serialize_field("policy", policy)?;
                m.serialize_field("statement", statement)?;
            }
            SourceAnswer::Grant { grant } => m.serialize_field("grant", grant)?,
            SourceAnswer::Scp {
                node,
                policy,
                statement,
            }
            | SourceAnswer::Rcp {
                node,
                policy,
                statement,
            } => {
                m.serialize_field("node", node)?;
                m.serialize_field("policy", policy)?;
                m.serialize_field("statement", statement)?;
            }
            SourceAnswer::VpcEndpointPolicy {
                endpoint,
                statement,
            } => {
                m.serialize_field("endpoint", endpoint)?;
                m.serialize_field("statement", statement)?;
            }
            SourceAnswer::PermissionsBoundary {
                identity,
                statement,
            } => {
                m.serialize_field("identity", identity)?;
                m.serialize_field("statement", statement)?;
            }
            SourceAnswer::SessionPolicy { policy, statement } => {
                m.serialize_field("policy", policy)?;
                m.serialize_field("statement", statement)?;
            }
        }
        m.end()
    }
}

impl<'a, S: Text<'a>> SourceAnswer<S> {
    /// The engine's source, its texts taken from it, with the key-policy
    /// statement's label.
    pub fn new(file: &'a PlaygroundFile, s: &'a Source) -> SourceAnswer<S> {
        match s {
            Source::KeyPolicy { statement } => SourceAnswer::KeyPolicy {
                statement: *statement,
                label: S::label(file.key.policy.as_ref(), *statement),
            },
            Source::IdentityPolicy {
                identity,
                policy,
                statement,
            } => SourceAnswer::IdentityPolicy {
                identity: S::from(identity),
                policy: *policy,
                statement: *statement,
            },
            Source::Grant { id } => SourceAnswer::Grant { grant: S::from(id) },
            Source::Scp {
                node,
                policy,
                statement,
            } => SourceAnswer::Scp {
                node: S::from(node),
                policy: *policy,
                statement: *statement,
            },
            Source::Rcp {
                node,
                policy,
                statement,
            } => SourceAnswer::Rcp {
                node: S::from(node),
                policy: *policy,
                statement: *statement,
            },
            Source::VpcEndpoint {
                endpoint,
                statement,
            } => SourceAnswer::VpcEndpointPolicy {
                endpoint: S::from(endpoint),
                statement: *statement,
            },
            Source::PermissionsBoundary {
                identity,
                statement,
            } => SourceAnswer::PermissionsBoundary {
                identity: S::from(identity),
                statement: *statement,
            },
            Source::SessionPolicy { policy, statement } => SourceAnswer::SessionPolicy {
                policy: *policy,
                statement: *statement,
            },
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

impl<S> StatementAnswer<S> {
    /// The engine's trace of a statement
    /// ([`kmsplay_policy::trace_statement_as`]), with its place when
    /// known: its texts move into the answer.
    pub fn new(s: StatementTrace<S>, span: Option<SpanAnswer>) -> StatementAnswer<S> {
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
                    key_span: c.span,
                })
                .collect(),
            span,
        }
    }
}

impl<'a, S: Text<'a>> StatementAnswer<S> {
    /// A statement the decision traced (another layer's), with its place
    /// when known; its texts taken from the trace (copied when `S` owns
    /// them).
    pub fn of_trace(s: &'a StatementTrace, span: Option<SpanAnswer>) -> StatementAnswer<S> {
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
                    key_span: c.span,
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
    /// Where its key is in the policy (not written out). Kept so that an
    /// answer is laid out as the engine's trace is and takes its list of
    /// conditions over in place.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub key_span: Span,
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
/// everything it considered. The answer's texts are `S`: copies
/// (`String`), or borrowed from the file, the request, the result and the
/// trace inputs (`&'a str`; its sentences and labels are then written
/// only when it is serialised).
pub fn request_answer<'a, S: Text<'a>>(
    file: &'a PlaygroundFile,
    spec: &'a RequestSpec,
    r: &'a RequestResult,
    lang: Lang,
    trace: Option<(&'a TraceInputs, &TraceSpans)>,
) -> RequestAnswer<S> {
    let auth = &r.authorization;
    let about = About {
        file,
        spec,
        auth,
        lang,
    };
    RequestAnswer {
        name: S::from(&spec.name),
        principal: S::from(&spec.principal_text),
        action: S::action(spec.operation),
        decision: auth.decision,
        outcome: auth.outcome,
        reasons: S::reasons(&auth.reasons, about),
        allowed_by: S::sources(file, &auth.allowed_by),
        denied_by: auth.denied_by.as_ref().map(|s| SourceAnswer::new(file, s)),
        cross_account: auth.cross_account.map(|c| CrossAccountAnswer {
            key_policy: c.key_policy,
            identity_policy: c.identity_policy,
        }),
        policy_type: auth.policy_type.code(),
        access_denied_message: auth.access_denied_message(&file.key, &crate::kms_request(spec)),
        decided_by: decided_by(file, spec, auth),
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
                StatementAnswer::new(
                    kmsplay_policy::trace_statement_as(st, &request, false),
                    span.copied(),
                )
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
                .map(|st| {
                    StatementAnswer::new(
                        kmsplay_policy::trace_statement_as(st, &request, true),
                        None,
                    )
                })
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
                    StatementAnswer::of_trace(s, span)
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
    results: &'a [RequestResult],
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
    use serde_json::json;

    /// `SourceAnswer` is serialised by hand: the layout serde's derive
    /// (`#[serde(tag = "kind", rename_all = "snake_case")]`) gives, kind
    /// first, for every variant, both through `serde_json` and the
    /// engine's writer, owned and borrowed.
    #[test]
    fn sources_are_internally_tagged() {
        let cases: Vec<(SourceAnswer, serde_json::Value)> = vec![
            (
                SourceAnswer::KeyPolicy {
                    statement: 1,
                    label: "#2 \"Sid\"".into(),
                },
                json!({"kind": "key_policy", "statement": 1, "label": "#2 \"Sid\""}),
            ),
            (
                SourceAnswer::IdentityPolicy {
                    identity: "arn:i".into(),
                    policy: 2,
                    statement: 3,
                },
                json!({"kind": "identity_policy", "identity": "arn:i", "policy": 2, "statement": 3}),
            ),
            (
                SourceAnswer::Grant { grant: "g1".into() },
                json!({"kind": "grant", "grant": "g1"}),
            ),
            (
                SourceAnswer::Scp {
                    node: "r-1".into(),
                    policy: 0,
                    statement: 4,
                },
                json!({"kind": "scp", "node": "r-1", "policy": 0, "statement": 4}),
            ),
            (
                SourceAnswer::Rcp {
                    node: "ou-1".into(),
                    policy: 1,
                    statement: 0,
                },
                json!({"kind": "rcp", "node": "ou-1", "policy": 1, "statement": 0}),
            ),
            (
                SourceAnswer::VpcEndpointPolicy {
                    endpoint: "vpce-1".into(),
                    statement: 12,
                },
                json!({"kind": "vpc_endpoint_policy", "endpoint": "vpce-1", "statement": 12}),
            ),
            (
                SourceAnswer::PermissionsBoundary {
                    identity: "arn:b".into(),
                    statement: 0,
                },
                json!({"kind": "permissions_boundary", "identity": "arn:b", "statement": 0}),
            ),
            (
                SourceAnswer::SessionPolicy {
                    policy: 0,
                    statement: 1,
                },
                json!({"kind": "session_policy", "policy": 0, "statement": 1}),
            ),
        ];
        for (answer, want) in cases {
            // serde_json keeps the object's order (preserve_order): the
            // text says kind comes first.
            let text = serde_json::to_string(&answer).unwrap();
            assert_eq!(text, serde_json::to_string(&want).unwrap());
            assert_eq!(to_json_text(&answer, 0), text);
        }
    }

    /// A borrowed label and sentence write what the owned ones hold.
    #[test]
    fn borrowed_labels_and_sentences_are_the_owned_text() {
        let text = r#"{"version": 1, "key": {"arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": {"Version": "2012-10-17", "Statement": [
            {"Sid": "Say \"hi\"", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}},
          "requests": [{"name": "r", "principal": "arn:aws:iam::111122223333:role/Alice", "action": "kms:Decrypt"},
                       {"name": "s", "principal": "arn:aws:iam::111122223333:role/Alice", "action": "kms:Encrypt"}]}"#;
        let file = crate::read(text).unwrap();
        let results = crate::run(&file, false);
        for lang in Lang::ALL {
            for (spec, r) in file.requests.iter().zip(&results) {
                let owned: RequestAnswer = request_answer(&file, spec, r, lang, None);
                let borrowed: RequestAnswer<&str> = request_answer(&file, spec, r, lang, None);
                assert_eq!(
                    to_json_text(&borrowed, 0),
                    serde_json::to_string(&owned).unwrap()
                );
                assert_eq!(
                    serde_json::to_string(&borrowed).unwrap(),
                    serde_json::to_string(&owned).unwrap()
                );
                for (b, o) in borrowed.reasons.iter().zip(&owned.reasons) {
                    assert_eq!(b.message.to_string(), o.message);
                }
            }
        }
        let policy = file.key.policy.as_ref();
        for index in [0, 1, 9] {
            assert_eq!(
                <&str>::label(policy, index).to_string(),
                statement_label(policy, index)
            );
        }
        assert_eq!(<&str>::label(policy, 0).to_string(), "#1 \"Say \"hi\"\"");
    }

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
