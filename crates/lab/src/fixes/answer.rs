//! A fix and a culprit as every front end writes them — `kmsplay fix
//! --format json` and the page's second module — one typed shape,
//! serialised with serde, with its words rendered in the asker's language.

use super::{Culprit, Fix, FixTarget};
use crate::findings::policy_name;
use kmsplay_json::{LineIndex, Span};
use kmsplay_messages::{render, Lang};
use kmsplay_playground::PlaygroundFile;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A message's named values, written as one JSON object `{name: value}`
/// in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params(pub Vec<(&'static str, String)>);

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// Which policy a fix changes: `{"kind": "key_policy"}`,
/// `{"kind": "identity_policy", "identity", "policy"}` (`policy` the index
/// of the identity's policy, null for a new one), or for another layer its
/// policy type code and where the file holds it: `{"kind": "scp", "path":
/// "organization.scps.r-a1b2[0]"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TargetAnswer {
    /// The key policy.
    KeyPolicy {
        /// `key_policy`.
        kind: &'static str,
    },
    /// An identity policy.
    IdentityPolicy {
        /// `identity_policy`.
        kind: &'static str,
        /// The identity's ARN.
        identity: String,
        /// Which of its policies; None for a new one.
        policy: Option<usize>,
    },
    /// A policy of another layer.
    Layer {
        /// The layer's policy type code ([`FixTarget::kind`]).
        kind: &'static str,
        /// Where the file holds it ([`kmsplay_playground::PolicySource::path`]).
        path: String,
    },
}

impl TargetAnswer {
    /// The policy type code: `key_policy`, `identity_policy`, `scp`, ….
    pub fn kind(&self) -> &'static str {
        match self {
            TargetAnswer::KeyPolicy { kind }
            | TargetAnswer::IdentityPolicy { kind, .. }
            | TargetAnswer::Layer { kind, .. } => kind,
        }
    }
}

/// A fix as the front ends write it: `{"code", "title", "detail",
/// "params", "target", "changes_text", "new_text", "diff", "also"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixAnswer {
    /// [`Fix::code`].
    pub code: &'static str,
    /// The message `fix.<code>.title`.
    pub title: String,
    /// The message `fix.<code>.detail`.
    pub detail: String,
    /// The messages' named values.
    pub params: Params,
    /// The policy it changes.
    pub target: TargetAnswer,
    /// False for a fix that only explains.
    pub changes_text: bool,
    /// [`Fix::new_text`].
    pub new_text: String,
    /// [`Fix::diff`].
    pub diff: String,
    /// The change that goes with it, if any.
    pub also: Option<Box<FixAnswer>>,
}

impl FixAnswer {
    /// `fix` with its words in `lang`.
    pub fn new(fix: &Fix, lang: Lang) -> FixAnswer {
        let target = match &fix.target {
            FixTarget::KeyPolicy => TargetAnswer::KeyPolicy {
                kind: fix.target.kind(),
            },
            FixTarget::IdentityPolicy { identity, policy } => TargetAnswer::IdentityPolicy {
                kind: fix.target.kind(),
                identity: identity.clone(),
                policy: *policy,
            },
            FixTarget::Layer(source) => TargetAnswer::Layer {
                kind: fix.target.kind(),
                path: source.path(),
            },
        };
        FixAnswer {
            code: fix.code,
            title: fix_title(fix, lang),
            detail: fix_detail(fix, lang),
            params: Params(fix.params.clone()),
            target,
            changes_text: fix.changes_text(),
            new_text: fix.new_text.clone(),
            diff: fix.diff.clone(),
            also: fix
                .also
                .as_deref()
                .map(|f| Box::new(FixAnswer::new(f, lang))),
        }
    }
}

/// Where a culprit's span is: in the policy's own text (a policy given as
/// a string) or in the file; lines and columns from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpanPlace {
    /// True when the positions are in the policy's own text.
    pub in_policy_text: bool,
    /// Where it starts.
    pub line: usize,
    /// Where it starts.
    pub column: usize,
    /// Where it ends.
    pub end_line: usize,
    /// Where it ends.
    pub end_column: usize,
}

/// A culprit as the front ends write it: `{"code", "message", "params",
/// "policy"}`, with its place (`in_policy_text`, `line`, `column`,
/// `end_line`, `end_column`) when it has a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CulpritAnswer {
    /// [`Culprit::code`].
    pub code: &'static str,
    /// The message `culprit.<code>`.
    pub message: String,
    /// The message's named values.
    pub params: Params,
    /// The policy it is in (`key`, `identities[0].policies[1]`, …); None
    /// for a grant.
    pub policy: Option<String>,
    /// Where it is.
    #[serde(flatten)]
    pub place: Option<SpanPlace>,
}

impl CulpritAnswer {
    /// `c`, found in the playground file `file` read from `source`, with
    /// its words in `lang`.
    pub fn new(c: &Culprit, source: &str, file: &PlaygroundFile, lang: Lang) -> CulpritAnswer {
        let place = c.span.map(|span| {
            let base = culprit_text(c, source, file);
            let (start, end) = positions(base, span);
            SpanPlace {
                in_policy_text: !std::ptr::eq(base, source),
                line: start.0,
                column: start.1,
                end_line: end.0,
                end_column: end.1,
            }
        });
        CulpritAnswer {
            code: c.code,
            message: culprit_message(c, lang),
            params: Params(c.params.clone()),
            policy: c.source.as_ref().map(policy_name),
            place,
        }
    }
}

/// A fix's title (the message `fix.<code>.title`) in `lang`.
pub fn fix_title(fix: &Fix, lang: Lang) -> String {
    render(lang, &format!("fix.{}.title", fix.code), &fix.params)
}

/// A fix's detail (the message `fix.<code>.detail`) in `lang`.
pub fn fix_detail(fix: &Fix, lang: Lang) -> String {
    render(lang, &format!("fix.{}.detail", fix.code), &fix.params)
}

/// What a culprit is (the message `culprit.<code>`) in `lang`.
pub fn culprit_message(c: &Culprit, lang: Lang) -> String {
    render(lang, &format!("culprit.{}", c.code), &c.params)
}

/// The text a culprit's span is in: its policy's own text when that policy
/// was given as a string, else `source`, the file's.
pub fn culprit_text<'s>(c: &Culprit, source: &'s str, file: &'s PlaygroundFile) -> &'s str {
    c.source
        .as_ref()
        .and_then(|policy| file.policies.iter().find(|p| &p.source == policy))
        .and_then(|p| p.text.as_deref())
        .unwrap_or(source)
}

/// The span's start and end as (line, column) pairs, in the text it is in.
pub fn positions(base: &str, span: Span) -> ((usize, usize), (usize, usize)) {
    let index = LineIndex::new(base);
    let start = index.position(span.start);
    let end = index.position(span.end);
    ((start.line, start.column), (end.line, end.column))
}
