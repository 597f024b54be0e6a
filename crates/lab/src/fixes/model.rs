//! What a fix is, and the problem of a request it answers.

use kmsplay_json::Span;
use kmsplay_kms::{Authorization, Decision, Outcome, PolicyType};
use kmsplay_playground::{Expect, PlaygroundFile, PolicySource};

/// A proposed change to one policy of a playground file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Stable code; the message ids are `fix.<code>.title` and
    /// `fix.<code>.detail`.
    pub code: &'static str,
    /// Named values for the messages (statement numbers already written as
    /// labels such as `#2 "Sid"`).
    pub params: Vec<(&'static str, String)>,
    /// The policy it changes.
    pub target: FixTarget,
    /// The whole new text of that policy, exactly as it will stand in the
    /// file (for a key policy given as a JSON object, the object's text with
    /// the file's indentation). Empty for a fix that only explains (an
    /// explicit deny, an operation no other account may call).
    pub new_text: String,
    /// A unified-style line diff from the old policy text to `new_text`
    /// (`@@` hunk headers; lines prefixed `+`, `-` or a space; line numbers
    /// are the file's when the policy is a JSON object in it; a policy with
    /// lines too long to read is compared formatted). Empty when `new_text`
    /// is.
    pub diff: String,
    /// A change that must be applied together with this one (the other
    /// half of a cross-account pair when both are missing); [`apply`](super::apply)
    /// applies it too.
    pub also: Option<Box<Fix>>,
}

impl Fix {
    /// Does this fix change any text? (False for explanations.)
    pub fn changes_text(&self) -> bool {
        !self.new_text.is_empty()
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }
}

/// Which policy a fix changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixTarget {
    /// The key policy.
    KeyPolicy,
    /// An identity policy of an IAM user or role.
    IdentityPolicy {
        /// The identity's ARN (a role session's role). When the file has no
        /// identity with this ARN, applying the fix adds one.
        identity: String,
        /// Which of its policies (index into `policies`); None for a new
        /// policy.
        policy: Option<usize>,
    },
    /// A policy of another layer of the evaluation chain: an SCP or RCP at
    /// a node, a permissions boundary, a session policy or a VPC endpoint
    /// policy, where the file holds it. An index one past the end of a
    /// node's (or a request's) list is a new policy appended to it.
    Layer(PolicySource),
}

impl FixTarget {
    /// `key_policy`, `identity_policy`, or the layer's policy type code:
    /// `scp`, `rcp`, `permissions_boundary`, `session_policy`,
    /// `vpc_endpoint_policy`.
    pub fn kind(&self) -> &'static str {
        match self {
            FixTarget::KeyPolicy => "key_policy",
            FixTarget::IdentityPolicy { .. } => "identity_policy",
            FixTarget::Layer(source) => layer_type(source).code(),
        }
    }

    /// Where the policy is in the file ([`PolicySource::path`]); None for
    /// an identity policy, which is named by its identity's ARN.
    pub fn path(&self) -> Option<String> {
        match self {
            FixTarget::KeyPolicy => Some(PolicySource::Key.path()),
            FixTarget::IdentityPolicy { .. } => None,
            FixTarget::Layer(source) => Some(source.path()),
        }
    }
}

/// The policy type a policy of the file belongs to.
pub fn layer_type(source: &PolicySource) -> PolicyType {
    match source {
        PolicySource::Key => PolicyType::ResourceBased,
        PolicySource::Identity { .. } => PolicyType::IdentityBased,
        PolicySource::Boundary { .. } => PolicyType::PermissionsBoundary,
        PolicySource::Scp { .. } => PolicyType::ServiceControl,
        PolicySource::Rcp { .. } => PolicyType::ResourceControl,
        PolicySource::Session { .. } => PolicyType::Session,
        PolicySource::Endpoint { .. } => PolicyType::VpcEndpoint,
    }
}

/// A statement or grant that lets through a request that should be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Culprit {
    /// Stable code; the message id is `culprit.<code>`.
    pub code: &'static str,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
    /// Where the statement or grant is: in the policy's own text when that
    /// policy was given as a string, else in the file (see `source`).
    pub span: Option<Span>,
    /// The policy the span is in; None for a grant (its span is in the file).
    pub source: Option<PolicySource>,
}

/// What is wrong with a request, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// It should be allowed (its `expect` is `allowed`, `Success` or a key
    /// refusal that only an authorized call gets, or it has no `expect`)
    /// but the policies do not allow it: [`suggest`](super::suggest) applies.
    Denied,
    /// It should be refused but is allowed: [`explain_unwanted`](super::explain_unwanted) applies.
    Allowed,
    /// Its `expect` is not met for a reason no policy change fixes (the
    /// key's state or spec, a deny of the other kind, an unknown key).
    Other,
}

impl Problem {
    /// `denied`, `allowed` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Denied => "denied",
            Problem::Allowed => "allowed",
            Problem::Other => "other",
        }
    }
}

pub(super) fn param<'p>(params: &'p [(&'static str, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

/// Does an expectation need the call to be authorized?
fn wants_authorized(e: Expect) -> bool {
    matches!(
        e,
        Expect::Decision(Decision::Allowed)
            | Expect::Outcome(
                Outcome::Success
                    | Outcome::Disabled
                    | Outcome::InvalidState
                    | Outcome::InvalidKeyUsage
            )
    )
}

/// Does an expectation need the call to be refused by the policies?
fn wants_denied(e: Expect) -> bool {
    matches!(
        e,
        Expect::Decision(Decision::ExplicitDeny | Decision::ImplicitDeny)
            | Expect::Outcome(Outcome::AccessDenied)
    )
}

pub(super) fn problem_of(expect: Option<Expect>, a: &Authorization) -> Option<Problem> {
    match expect {
        None => (a.decision != Decision::Allowed).then_some(Problem::Denied),
        Some(e) if e.met(a.decision, a.outcome) => None,
        Some(e) if wants_authorized(e) && a.decision != Decision::Allowed => Some(Problem::Denied),
        Some(e) if wants_denied(e) && a.decision == Decision::Allowed => Some(Problem::Allowed),
        Some(_) => Some(Problem::Other),
    }
}

/// What is wrong with request `index` of `file` (None when it gets what it
/// expects, or, without `expect`, when it is allowed).
pub fn problem(file: &PlaygroundFile, index: usize) -> Option<Problem> {
    let spec = file.requests.get(index)?;
    let r = kmsplay_playground::decide(file, spec, false);
    problem_of(spec.expect, &r.authorization)
}
