//! The authorizer: key policy, identity policies and grants combined the
//! way KMS combines them, then the key's own refusals.
//!
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html>
//!   (explicit deny wins; the key policy is the primary control)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>
//!   (IAM policies count only when the key policy allows the account)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>
//!   (cross account: the key policy *and* an IAM policy in the caller's account)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html> (grants allow, never deny)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html> (key states)

use crate::catalogue::{self, KeyState, Operation, StateEffect};
use crate::chain::{self, Organization, PolicyType, ScpVerdict, VpcEndpoint};
use crate::key::{grantee_matches, is_callers_identity, Identity, Key, KeyReference};
use kmsplay_policy::{
    evaluate, trace, AwsPrincipalKind, ContextValue, PolicyVerdict, Principal, Request,
    RequestContext, StatementTrace,
};

/// One KMS request.
#[derive(Debug, Clone, Copy)]
pub struct KmsRequest<'a> {
    /// Who calls.
    pub principal: &'a Principal,
    /// Which operation.
    pub operation: &'static Operation,
    /// How the key is named (ARN, id, alias); None for the key itself.
    pub key: Option<&'a str>,
    /// The encryption context (string pairs, case-sensitive).
    pub encryption_context: &'a [(String, String)],
    /// Condition keys given by hand; they replace derived ones.
    pub context: &'a [(String, ContextValue)],
    /// Grant tokens sent with the request.
    pub grant_tokens: &'a [String],
    /// The organization the accounts belong to, when there is one.
    pub organization: Option<&'a Organization>,
    /// The session policies of the caller's session (empty: none).
    pub session_policies: &'a [Option<kmsplay_policy::Policy>],
    /// The interface VPC endpoint the request came through.
    pub vpc_endpoint: Option<&'a VpcEndpoint>,
}

/// The authorization decision from policies and grants alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allowed,
    /// A Deny statement applies.
    ExplicitDeny,
    /// Nothing allows it.
    ImplicitDeny,
}

impl Decision {
    /// `allowed`, `explicitDeny`, `implicitDeny`: the playground file's words.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// What KMS answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The call succeeds.
    Success,
    /// Not authorized.
    AccessDenied,
    /// The key does not exist (deleted, or not this key).
    NotFound,
    /// The key is disabled.
    Disabled,
    /// The key's state does not allow the operation.
    InvalidState,
    /// The key's spec or usage does not support the operation.
    InvalidKeyUsage,
}

impl Outcome {
    /// The exception name, or `Success`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "Success",
            Outcome::AccessDenied => "AccessDeniedException",
            Outcome::NotFound => "NotFoundException",
            Outcome::Disabled => "DisabledException",
            Outcome::InvalidState => "KMSInvalidStateException",
            Outcome::InvalidKeyUsage => "InvalidKeyUsageException",
        }
    }

    /// Reads an outcome name.
    pub fn parse(text: &str) -> Option<Outcome> {
        [
            Outcome::Success,
            Outcome::AccessDenied,
            Outcome::NotFound,
            Outcome::Disabled,
            Outcome::InvalidState,
            Outcome::InvalidKeyUsage,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// Where an allow or deny came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A key policy statement.
    KeyPolicy {
        /// Statement index.
        statement: usize,
    },
    /// A statement of one of the caller's identity policies.
    IdentityPolicy {
        /// The identity's ARN.
        identity: String,
        /// Which of its policies.
        policy: usize,
        /// Statement index.
        statement: usize,
    },
    /// A grant.
    Grant {
        /// Grant id.
        id: String,
    },
    /// A statement of an SCP.
    Scp {
        /// The node (root, OU or account id) it is attached to.
        node: String,
        /// Which of the node's SCPs.
        policy: usize,
        /// Statement index.
        statement: usize,
    },
    /// A statement of an RCP.
    Rcp {
        /// The node it is attached to.
        node: String,
        /// Which of the node's RCPs.
        policy: usize,
        /// Statement index.
        statement: usize,
    },
    /// A statement of the VPC endpoint's policy.
    VpcEndpoint {
        /// The endpoint id.
        endpoint: String,
        /// Statement index.
        statement: usize,
    },
    /// A statement of the caller's permissions boundary.
    PermissionsBoundary {
        /// The user's or role's ARN.
        identity: String,
        /// Statement index.
        statement: usize,
    },
    /// A statement of one of the request's session policies.
    SessionPolicy {
        /// Which session policy.
        policy: usize,
        /// Statement index.
        statement: usize,
    },
}

impl Source {
    /// The policy type that holds it.
    pub fn policy_type(&self) -> PolicyType {
        match self {
            Source::KeyPolicy { .. } => PolicyType::ResourceBased,
            Source::IdentityPolicy { .. } => PolicyType::IdentityBased,
            Source::Grant { .. } => PolicyType::Grant,
            Source::Scp { .. } => PolicyType::ServiceControl,
            Source::Rcp { .. } => PolicyType::ResourceControl,
            Source::VpcEndpoint { .. } => PolicyType::VpcEndpoint,
            Source::PermissionsBoundary { .. } => PolicyType::PermissionsBoundary,
            Source::SessionPolicy { .. } => PolicyType::Session,
        }
    }
}

/// Why the decision came out as it did: a code with parameters, rendered
/// into words by the message catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Stable code, e.g. `cross-account-missing-identity`.
    pub code: &'static str,
    /// Named parameters.
    pub params: Vec<(&'static str, String)>,
}

impl Reason {
    fn new(code: &'static str) -> Reason {
        Reason {
            code,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Reason {
        self.params.push((name, value.into()));
        self
    }
}

/// The result for one request.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The decision from policies and grants.
    pub decision: Decision,
    /// What KMS answers.
    pub outcome: Outcome,
    /// Why, in codes: the main reason first, then the key's refusal if any.
    pub reasons: Vec<Reason>,
    /// The statement or grant that allowed it.
    pub allowed_by: Vec<Source>,
    /// The statement that denied it.
    pub denied_by: Option<Source>,
    /// For a cross-account caller: did each half allow?
    pub cross_account: Option<CrossAccount>,
    /// The policy type that decided: the one that allowed, that denied, or
    /// whose missing Allow left the request denied.
    pub policy_type: PolicyType,
    /// The full explanation, when asked for.
    pub detail: Option<Box<Detail>>,
}

impl Authorization {
    /// AWS's AccessDenied message for a request this decision denies
    /// (None when it is allowed): the same words AWS prints, naming the
    /// policy type that refused.
    pub fn access_denied_message(&self, key: &Key, req: &KmsRequest<'_>) -> Option<String> {
        if self.decision == Decision::Allowed {
            return None;
        }
        let caller = caller_name(req);
        let action = concat("kms:", req.operation.name);
        Some(chain::access_denied_message(
            &caller,
            &action,
            &key.arn,
            self.policy_type,
            self.decision == Decision::ExplicitDeny,
        ))
    }
}

/// The caller's name in KMS's error sentences.
pub(crate) fn caller_name(req: &KmsRequest<'_>) -> String {
    match req.principal {
        Principal::Aws(p) => p.arn.clone(),
        Principal::Service(s) => s.clone(),
        Principal::Anonymous => "anonymous".into(),
    }
}

/// The two halves a cross-account request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossAccount {
    /// The key policy allows the caller or its account.
    pub key_policy: bool,
    /// An identity policy in the caller's account allows it.
    pub identity_policy: bool,
}

/// Everything that was considered.
#[derive(Debug, Clone)]
pub struct Detail {
    /// The condition keys the request carried (derived and given).
    pub context: RequestContext,
    /// Every key-policy statement.
    pub key_policy: Vec<StatementTrace>,
    /// Every statement of every identity policy of the caller.
    pub identity_policies: Vec<IdentityPolicyTrace>,
    /// Every grant on the key.
    pub grants: Vec<GrantTrace>,
    /// The other layers, when the request has any.
    pub guardrails: Option<Box<GuardrailTrace>>,
}

/// The trace of the layers beyond the key policy, identity policies and
/// grants: each with the same detail as the key policy's statements.
#[derive(Debug, Clone, Default)]
pub struct GuardrailTrace {
    /// Each node from the root to the caller's account, with its SCPs
    /// (empty when SCPs do not apply to the caller).
    pub scps: Vec<NodeTrace>,
    /// Each node from the root to the key's account, with its RCPs
    /// (empty when RCPs do not apply).
    pub rcps: Vec<NodeTrace>,
    /// The caller's permissions boundary: whose, and its statements.
    pub permissions_boundary: Option<(String, Vec<StatementTrace>)>,
    /// Each session policy's statements.
    pub session_policies: Vec<Vec<StatementTrace>>,
    /// The endpoint and its policy's statements (None for the default
    /// policy, which allows everything).
    pub vpc_endpoint: Option<(String, Option<Vec<StatementTrace>>)>,
}

/// One node of the organization and its policies, traced.
#[derive(Debug, Clone, Default)]
pub struct NodeTrace {
    /// Root, OU or account id.
    pub node: String,
    /// True when nothing is listed for the node: it has only the
    /// default (`FullAWSAccess` / `RCPFullAWSAccess`).
    pub default_only: bool,
    /// Each attached policy's statements, in order.
    pub policies: Vec<Vec<StatementTrace>>,
    /// For SCPs: did some statement at this node allow the request?
    pub allows: bool,
}

/// The trace of one identity policy.
#[derive(Debug, Clone)]
pub struct IdentityPolicyTrace {
    /// Whose.
    pub identity: String,
    /// Which of its policies.
    pub policy: usize,
    /// Its statements.
    pub statements: Vec<StatementTrace>,
}

/// How one grant related to the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantTrace {
    /// Grant id.
    pub id: String,
    /// The grantee is the caller (or its role).
    pub grantee: bool,
    /// The grantee is the caller's account (needs an IAM policy too).
    pub grantee_account: bool,
    /// The grant lists the operation.
    pub operation: bool,
    /// The constraint holds (true when there is none or it does not apply).
    pub constraint: bool,
    /// Not pending, or its token was sent.
    pub usable: bool,
    /// It allows the request.
    pub applies: bool,
}

/// Decides a request. With `detail`, the answer carries the full trace.
pub fn authorize(
    key: &Key,
    identities: &[Identity],
    req: &KmsRequest<'_>,
    detail: bool,
) -> Authorization {
    if !detail {
        return decide(key, identities, req, false).0;
    }
    let (mut authorization, inputs) = decide(key, identities, req, true);
    let request = inputs.request(key, req);
    let key_policy = key
        .policy
        .as_ref()
        .map(|p| trace(p, &request, false))
        .unwrap_or_default();
    let identity_policies = inputs
        .identity_policies(identities)
        .map(|(identity, index, policy)| IdentityPolicyTrace {
            identity: identity.arn.clone(),
            policy: index,
            statements: trace(policy, &request, true),
        })
        .collect();
    authorization.detail = Some(Box::new(Detail {
        key_policy,
        identity_policies,
        grants: inputs.grants,
        guardrails: inputs.guardrails,
        context: inputs.context,
    }));
    authorization
}

/// What a full trace is made of besides the policies themselves, for a
/// writer that walks the policies while it writes (no [`StatementTrace`]
/// copied out of them): [`authorize_for_trace`] gives it.
#[derive(Debug, Clone)]
pub struct TraceInputs {
    /// Every condition key of the request (derived and given), as in
    /// [`Detail::context`].
    pub context: RequestContext,
    /// The caller's identity policies: the identity's place in the
    /// identities given, and each policy's place among its policies.
    pub identity_policies: Vec<(usize, usize)>,
    /// Every grant on the key, as in [`Detail::grants`].
    pub grants: Vec<GrantTrace>,
    /// The other layers, as in [`Detail::guardrails`].
    pub guardrails: Option<Box<GuardrailTrace>>,
}

impl TraceInputs {
    /// The request the policies were evaluated against.
    pub fn request<'a>(&'a self, key: &'a Key, req: &KmsRequest<'a>) -> Request<'a> {
        Request {
            principal: req.principal,
            action: catalogue::action_lower(req.operation),
            resource: &key.arn,
            context: &self.context,
        }
    }

    /// The caller's identity policies, in trace order: the identity, the
    /// policy's index among its policies, and the policy.
    pub fn identity_policies<'i>(
        &'i self,
        identities: &'i [Identity],
    ) -> impl Iterator<Item = (&'i Identity, usize, &'i kmsplay_policy::Policy)> + 'i {
        self.identity_policies.iter().filter_map(|&(i, j)| {
            let identity = identities.get(i)?;
            Some((identity, j, identity.policies.get(j)?.as_ref()?))
        })
    }
}

/// Decides a request as [`authorize`] with `detail` does, but leaves the
/// statement traces out: the answer (without `detail`) and what a trace
/// writer needs to write them itself (`kmsplay_policy::trace_statement`
/// of each statement of the key policy and of
/// [`TraceInputs::identity_policies`] against [`TraceInputs::request`]).
pub fn authorize_for_trace(
    key: &Key,
    identities: &[Identity],
    req: &KmsRequest<'_>,
) -> (Authorization, TraceInputs) {
    decide(key, identities, req, true)
}

/// What the layers around the key policy and identity policies said: see
/// [`crate::chain`].
#[derive(Debug, Default)]
struct Guardrails {
    /// A Deny in one of them, outermost first.
    deny: Option<Source>,
    /// The SCP node with no Allow, when SCPs apply.
    scp_missing: Option<String>,
    /// The endpoint whose policy does not allow the request.
    endpoint_missing: Option<String>,
    /// The caller has a permissions boundary; does it allow?
    boundary: Option<bool>,
    /// The request has session policies; does one allow?
    session: Option<bool>,
    /// A Deny in the boundary or a session policy: named after the key
    /// policy's and the identity policies' own denies.
    late_deny: Option<Source>,
}

impl Guardrails {
    /// Do the boundary and the session policies let an identity-based
    /// grant (an IAM policy, or a key-policy statement naming the role or
    /// the account) through?
    fn limits_allow(&self) -> bool {
        self.boundary != Some(false) && self.session != Some(false)
    }

    /// The layer that stops an identity-based grant, if any.
    fn limiting(&self) -> Option<PolicyType> {
        if self.boundary == Some(false) {
            Some(PolicyType::PermissionsBoundary)
        } else if self.session == Some(false) {
            Some(PolicyType::Session)
        } else {
            None
        }
    }
}

/// The caller's permissions boundary: its own identity's, or for a role
/// session its role's. A root user has none.
fn boundary_of<'k>(
    identities: &'k [Identity],
    principal: &Principal,
) -> Option<(&'k Identity, Option<&'k kmsplay_policy::Policy>)> {
    if matches!(principal, Principal::Aws(p) if p.kind == AwsPrincipalKind::Root) {
        return None;
    }
    identities
        .iter()
        .find(|i| is_callers_identity(&i.arn, principal))
        .and_then(|i| i.permissions_boundary.as_ref().map(|b| (i, b.as_ref())))
}

fn guardrails(
    key: &Key,
    req: &KmsRequest<'_>,
    request: &Request<'_>,
    boundary: Option<(&Identity, Option<&kmsplay_policy::Policy>)>,
) -> Guardrails {
    let mut g = Guardrails::default();
    let deny = |g: &mut Guardrails, s: Source| {
        g.deny.get_or_insert(s);
    };
    if let Some(org) = req.organization {
        if chain::scps_apply(org, req.principal) {
            let account = req.principal.account().unwrap_or_default();
            match chain::evaluate_scps(org, account, request) {
                ScpVerdict::Denied { node, at } => deny(
                    &mut g,
                    Source::Scp {
                        node,
                        policy: at.0,
                        statement: at.1,
                    },
                ),
                ScpVerdict::NotAllowed { node } => g.scp_missing = Some(node),
                ScpVerdict::Allowed | ScpVerdict::NotApplicable => {}
            }
        }
        if chain::rcps_apply(org, &key.account, req.operation.name, req.principal) {
            if let Some((node, at)) = chain::rcp_deny(org, &key.account, request) {
                deny(
                    &mut g,
                    Source::Rcp {
                        node,
                        policy: at.0,
                        statement: at.1,
                    },
                );
            }
        }
    }
    if let Some(endpoint) = req.vpc_endpoint {
        match &endpoint.policy {
            None => {}
            Some(policy) => {
                let v = policy
                    .as_ref()
                    .map(|p| kmsplay_policy::evaluate(p, request, false))
                    .unwrap_or_default();
                if let Some(statement) = v.deny {
                    deny(
                        &mut g,
                        Source::VpcEndpoint {
                            endpoint: endpoint.id.clone(),
                            statement,
                        },
                    );
                } else if v.allow_any().is_none() {
                    g.endpoint_missing = Some(endpoint.id.clone());
                }
            }
        }
    }
    if let Some((identity, policy)) = boundary {
        let v = policy
            .map(|p| kmsplay_policy::evaluate(p, request, true))
            .unwrap_or_default();
        g.boundary = Some(v.allow_any().is_some());
        g.boundary_deny(v.deny, &identity.arn);
    }
    if !req.session_policies.is_empty() {
        let v = chain::evaluate_set(req.session_policies, request, true);
        g.session = Some(v.allow.is_some());
        if let Some((policy, statement)) = v.deny {
            g.later_deny(Source::SessionPolicy { policy, statement });
        }
    }
    g
}

impl Guardrails {
    fn boundary_deny(&mut self, statement: Option<usize>, identity: &str) {
        if let Some(statement) = statement {
            self.later_deny(Source::PermissionsBoundary {
                identity: identity.to_string(),
                statement,
            });
        }
    }

    /// Boundary and session-policy denies are named after the key
    /// policy's and the identity policies' own.
    fn later_deny(&mut self, s: Source) {
        self.late_deny.get_or_insert(s);
    }
}

/// The decision; with `all_keys`, the context holds every condition key,
/// not only the ones the policies read.
fn decide(
    key: &Key,
    identities: &[Identity],
    req: &KmsRequest<'_>,
    all_keys: bool,
) -> (Authorization, TraceInputs) {
    let reference = match req.key {
        None => KeyReference::Key,
        Some(r) => key.resolve(r),
    };
    let caller_policies = identity_policies(identities, req.principal);
    let boundary = boundary_of(identities, req.principal);
    let wanted = Wanted {
        all: all_keys,
        policies: key
            .policy
            .iter()
            .chain(caller_policies.iter().map(|(_, _, p)| *p))
            .chain(guardrail_policies(req, boundary))
            .collect(),
    };
    let context = context_for(key, req, &reference, &wanted);
    let request = Request {
        principal: req.principal,
        action: catalogue::action_lower(req.operation),
        resource: &key.arn,
        context: &context,
    };

    let chained = req.organization.is_some()
        || req.vpc_endpoint.is_some()
        || boundary.is_some()
        || !req.session_policies.is_empty();
    let mut guard = if chained {
        guardrails(key, req, &request, boundary)
    } else {
        Guardrails::default()
    };
    let halves = Halves::of(key, req, &request, &caller_policies, boundary, &guard);
    let mut out = Verdict {
        reasons: Vec::new(),
        allowed_by: Vec::new(),
        cross_account: None,
        policy_type: PolicyType::ResourceBased,
    };
    let decision = match explicit_or_layer_deny(&halves, &mut guard, &mut out) {
        Some(decision) => decision,
        None => allow_or_implicit_deny(&halves, &guard, &mut out),
    };

    let mut reasons = out.reasons;
    let outcome = outcome(key, req, &reference, decision, &mut reasons);
    let denied_by = match decision {
        Decision::ExplicitDeny => guard.deny.take().or_else(|| {
            halves
                .key_verdict
                .deny
                .map(|statement| Source::KeyPolicy { statement })
                .or(halves.identity_deny.clone())
        }),
        _ => None,
    };
    let authorization = Authorization {
        decision,
        outcome,
        reasons,
        allowed_by: out.allowed_by,
        denied_by,
        cross_account: out.cross_account,
        policy_type: out.policy_type,
        detail: None,
    };
    let inputs = TraceInputs {
        // Only a trace needs them.
        identity_policies: caller_policies
            .iter()
            .filter(|_| all_keys)
            .map(|(identity, index, _)| {
                let at = identities
                    .iter()
                    .position(|i| std::ptr::eq(i, *identity))
                    .expect("one of the identities");
                (at, *index)
            })
            .collect(),
        grants: halves.grant_results,
        guardrails: (all_keys && chained)
            .then(|| Box::new(guardrail_trace(key, req, &request, boundary))),
        // The request is done with: the context moves, not copied.
        context,
    };
    (authorization, inputs)
}

/// What the key policy, the caller's identity policies and the key's
/// grants say about one request: the two halves of KMS's decision.
struct Halves<'a> {
    key: &'a Key,
    req: &'a KmsRequest<'a>,
    request: &'a Request<'a>,
    caller_policies: &'a [(&'a Identity, usize, &'a kmsplay_policy::Policy)],
    boundary: Option<(&'a Identity, Option<&'a kmsplay_policy::Policy>)>,
    key_verdict: PolicyVerdict,
    /// The first identity-policy Deny and Allow.
    identity_deny: Option<Source>,
    identity_allow: Option<Source>,
    /// The caller is in another account than the key.
    cross: bool,
    is_root: bool,
    /// The identity half holds: an IAM policy allows (and the boundary and
    /// session policies let it through), or the caller is the root user.
    identity_ok: bool,
    grant_results: Vec<GrantTrace>,
}

impl<'a> Halves<'a> {
    fn of(
        key: &'a Key,
        req: &'a KmsRequest<'a>,
        request: &'a Request<'a>,
        caller_policies: &'a [(&'a Identity, usize, &'a kmsplay_policy::Policy)],
        boundary: Option<(&'a Identity, Option<&'a kmsplay_policy::Policy>)>,
        guard: &Guardrails,
    ) -> Halves<'a> {
        let mut key_verdict = key
            .policy
            .as_ref()
            .map(|p| evaluate(p, request, false))
            .unwrap_or_default();
        if boundary.is_some() && key_verdict.deny.is_none() {
            // A Deny with NotPrincipal denies every caller with a boundary.
            key_verdict.deny = key
                .policy
                .as_ref()
                .and_then(|p| chain::not_principal_deny(p, request));
        }
        let (identity_deny, identity_allow) = identity_verdicts(caller_policies, request);
        let caller_account = req.principal.account();
        let cross = caller_account.is_some_and(|a| a != key.account);
        let is_root =
            matches!(req.principal, Principal::Aws(p) if p.kind == AwsPrincipalKind::Root);
        // The root user needs no IAM policy of its own: it has every
        // permission in its account, so only the key policy's half counts.
        // A boundary and session policies limit what IAM policies grant.
        let identity_ok = (identity_allow.is_some() && guard.limits_allow()) || is_root;
        // A key-policy statement that names the caller's own ARN (a user, a
        // session) is not limited by a boundary or a session policy; one
        // that names the role or the account is.
        let limits_apply = guard.boundary.is_some() || guard.session.is_some();
        if limits_apply && !cross && !guard.limits_allow() {
            key_verdict.allow_direct = key
                .policy
                .as_ref()
                .and_then(|p| chain::allow_naming_caller(p, request));
        }
        let grant_results = grant_traces(key, req, request, identity_ok);
        Halves {
            key,
            req,
            request,
            caller_policies,
            boundary,
            key_verdict,
            identity_deny,
            identity_allow,
            cross,
            is_root,
            identity_ok,
            grant_results,
        }
    }
}

/// The first Deny and the first direct Allow among the caller's identity
/// policies.
fn identity_verdicts(
    caller_policies: &[(&Identity, usize, &kmsplay_policy::Policy)],
    request: &Request<'_>,
) -> (Option<Source>, Option<Source>) {
    let mut identity_deny = None;
    let mut identity_allow = None;
    for (identity, index, policy) in caller_policies {
        let v = evaluate(policy, request, true);
        if let (None, Some(s)) = (&identity_deny, v.deny) {
            identity_deny = Some(Source::IdentityPolicy {
                identity: identity.arn.clone(),
                policy: *index,
                statement: s,
            });
        }
        if let (None, Some(s)) = (&identity_allow, v.allow_direct) {
            identity_allow = Some(Source::IdentityPolicy {
                identity: identity.arn.clone(),
                policy: *index,
                statement: s,
            });
        }
    }
    (identity_deny, identity_allow)
}

/// What a decision writes besides the decision itself.
struct Verdict {
    reasons: Vec<Reason>,
    allowed_by: Vec<Source>,
    cross_account: Option<CrossAccount>,
    policy_type: PolicyType,
}

/// The denies that come before both halves are weighed, in KMS's order:
/// an explicit Deny of an outer layer, of the key policy, of an identity
/// policy, of a boundary or session policy; then an SCP or a VPC
/// endpoint policy without an Allow; then an operation another account may
/// never call. None when none applies.
fn explicit_or_layer_deny(
    h: &Halves<'_>,
    guard: &mut Guardrails,
    out: &mut Verdict,
) -> Option<Decision> {
    let req = h.req;
    let late_deny = guard.late_deny.take();
    let decision = if let Some(source) = guard.deny.take() {
        out.policy_type = source.policy_type();
        out.reasons.push(denied_reason(&source, req));
        guard.deny = Some(source);
        Decision::ExplicitDeny
    } else if let Some(s) = h.key_verdict.deny {
        out.reasons
            .push(Reason::new("denied-by-key-policy").with("statement", s.to_string()));
        Decision::ExplicitDeny
    } else if let Some(Source::IdentityPolicy {
        identity,
        statement,
        ..
    }) = &h.identity_deny
    {
        out.policy_type = PolicyType::IdentityBased;
        out.reasons.push(
            Reason::new("denied-by-identity-policy")
                .with("identity", identity.clone())
                .with("statement", statement.to_string()),
        );
        Decision::ExplicitDeny
    } else if let Some(source) = late_deny {
        out.policy_type = source.policy_type();
        out.reasons.push(denied_reason(&source, req));
        guard.deny = Some(source);
        Decision::ExplicitDeny
    } else if let Some(node) = &guard.scp_missing {
        out.policy_type = PolicyType::ServiceControl;
        out.reasons.push(
            Reason::new("scp-not-allowed")
                .with("node", node.clone())
                .with("action", concat("kms:", req.operation.name)),
        );
        Decision::ImplicitDeny
    } else if let Some(endpoint) = &guard.endpoint_missing {
        out.policy_type = PolicyType::VpcEndpoint;
        out.reasons.push(
            Reason::new("vpc-endpoint-not-allowed")
                .with("endpoint", endpoint.clone())
                .with("action", concat("kms:", req.operation.name)),
        );
        Decision::ImplicitDeny
    } else if h.cross && !catalogue::cross_account(req.operation) {
        // Both halves may say yes, but KMS does not let another account
        // call this operation at all.
        out.reasons.push(
            Reason::new("operation-not-cross-account")
                .with("action", format!("kms:{}", req.operation.name)),
        );
        if h.key_verdict.allow_any().is_some() {
            out.policy_type = PolicyType::IdentityBased;
        }
        Decision::ImplicitDeny
    } else {
        return None;
    };
    Some(decision)
}

/// With no deny before them: allowed by the key policy (with the IAM
/// policy where that half is needed) or by a grant; otherwise an implicit
/// deny, named after the layer that limits or the half that is missing.
fn allow_or_implicit_deny(h: &Halves<'_>, guard: &Guardrails, out: &mut Verdict) -> Decision {
    let (key, req) = (h.key, h.req);
    let key_allow = policy_allow(&h.key_verdict, h.cross, h.identity_ok);
    if h.cross {
        out.cross_account = Some(CrossAccount {
            key_policy: h.key_verdict.allow_any().is_some(),
            identity_policy: h.identity_ok,
        });
    }
    if let Some(statement) = key_allow {
        out.allowed_by.push(Source::KeyPolicy { statement });
        let via_account = h.key_verdict.allow_direct.is_none();
        if h.cross || via_account {
            if let Some(src) = &h.identity_allow {
                out.allowed_by.push(src.clone());
            }
        }
        let code = match (h.cross, via_account && !h.is_root) {
            (true, _) => "allowed-cross-account",
            (false, true) => "allowed-key-policy-and-iam",
            (false, false) => "allowed-by-key-policy",
        };
        let mut r = Reason::new(code).with("statement", statement.to_string());
        if let Some(Source::IdentityPolicy { identity, .. }) = &h.identity_allow {
            r = r.with("identity", identity.clone());
        }
        out.reasons.push(r);
        return Decision::Allowed;
    }
    if let Some(g) = h.grant_results.iter().find(|g| g.applies) {
        out.policy_type = PolicyType::Grant;
        out.allowed_by.push(Source::Grant { id: g.id.clone() });
        out.reasons
            .push(Reason::new("allowed-by-grant").with("grant", g.id.clone()));
        return Decision::Allowed;
    }
    let limited = guard.limiting().filter(|_| {
        // Without the limits, would the key policy and the IAM policies
        // have allowed it?
        let unlimited_identity = h.identity_allow.is_some() || h.is_root;
        let unlimited_key = key
            .policy
            .as_ref()
            .map(|p| evaluate(p, h.request, false))
            .unwrap_or_default();
        policy_allow(&unlimited_key, h.cross, unlimited_identity).is_some()
    });
    if let Some(layer) = limited {
        out.policy_type = layer;
        let (code, param) = match layer {
            PolicyType::PermissionsBoundary => (
                "boundary-not-allowed",
                h.boundary.map(|(i, _)| i.arn.clone()).unwrap_or_default(),
            ),
            _ => ("session-policy-not-allowed", String::new()),
        };
        out.reasons.push(
            Reason::new(code)
                .with("identity", param)
                .with("action", concat("kms:", req.operation.name)),
        );
    } else {
        // The key policy's half is there (it allows the caller or its
        // account): what is missing is an IAM policy.
        if h.key_verdict.allow_any().is_some() {
            out.policy_type = PolicyType::IdentityBased;
        }
        out.reasons.push(implicit_deny_reason(
            key,
            req,
            &h.key_verdict,
            h.cross,
            h.identity_ok,
            &h.grant_results,
        ));
    }
    out.reasons
        .extend(near_misses(key, h.caller_policies, h.request));
    Decision::ImplicitDeny
}

/// The policies of the other layers, for [`Wanted`].
fn guardrail_policies<'p>(
    req: &KmsRequest<'p>,
    boundary: Option<(&'p Identity, Option<&'p kmsplay_policy::Policy>)>,
) -> impl Iterator<Item = &'p kmsplay_policy::Policy> {
    req.organization
        .into_iter()
        .flat_map(|o| o.policies())
        .chain(req.session_policies.iter().flatten())
        .chain(
            req.vpc_endpoint
                .and_then(|e| e.policy.as_ref())
                .and_then(Option::as_ref),
        )
        .chain(boundary.and_then(|(_, p)| p))
}

/// The reason for a Deny in one of the other layers.
fn denied_reason(source: &Source, req: &KmsRequest<'_>) -> Reason {
    let action = concat("kms:", req.operation.name);
    match source {
        Source::Scp {
            node,
            policy,
            statement,
        } => Reason::new("denied-by-scp")
            .with("node", node.clone())
            .with("policy", policy.to_string())
            .with("statement", statement.to_string())
            .with("action", action),
        Source::Rcp {
            node,
            policy,
            statement,
        } => Reason::new("denied-by-rcp")
            .with("node", node.clone())
            .with("policy", policy.to_string())
            .with("statement", statement.to_string())
            .with("action", action),
        Source::VpcEndpoint {
            endpoint,
            statement,
        } => Reason::new("denied-by-vpc-endpoint-policy")
            .with("endpoint", endpoint.clone())
            .with("statement", statement.to_string())
            .with("action", action),
        Source::PermissionsBoundary {
            identity,
            statement,
        } => Reason::new("denied-by-permissions-boundary")
            .with("identity", identity.clone())
            .with("statement", statement.to_string())
            .with("action", action),
        Source::SessionPolicy { policy, statement } => Reason::new("denied-by-session-policy")
            .with("policy", policy.to_string())
            .with("statement", statement.to_string())
            .with("action", action),
        Source::KeyPolicy { statement } => {
            Reason::new("denied-by-key-policy").with("statement", statement.to_string())
        }
        Source::IdentityPolicy {
            identity,
            statement,
            ..
        } => Reason::new("denied-by-identity-policy")
            .with("identity", identity.clone())
            .with("statement", statement.to_string()),
        Source::Grant { id } => Reason::new("allowed-by-grant").with("grant", id.clone()),
    }
}

/// Every layer beyond the key policy, identity policies and grants, traced.
fn guardrail_trace(
    key: &Key,
    req: &KmsRequest<'_>,
    request: &Request<'_>,
    boundary: Option<(&Identity, Option<&kmsplay_policy::Policy>)>,
) -> GuardrailTrace {
    let traced = |policies: &[Option<kmsplay_policy::Policy>], identity: bool| {
        policies
            .iter()
            .map(|p| {
                p.as_ref()
                    .map(|p| trace(p, request, identity))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    };
    let mut out = GuardrailTrace::default();
    if let Some(org) = req.organization {
        if chain::scps_apply(org, req.principal) {
            let account = req.principal.account().unwrap_or_default();
            for node in org.nodes(account).unwrap_or_default() {
                let (default_only, policies, allows) = match org.scps_at(node) {
                    None => (true, Vec::new(), true),
                    Some(list) => (
                        false,
                        traced(list, true),
                        chain::evaluate_set(list, request, true).allow.is_some(),
                    ),
                };
                out.scps.push(NodeTrace {
                    node: node.to_string(),
                    default_only,
                    policies,
                    allows,
                });
            }
        }
        if chain::rcps_apply(org, &key.account, req.operation.name, req.principal) {
            for node in org.nodes(&key.account).unwrap_or_default() {
                let list = org.rcps_at(node);
                out.rcps.push(NodeTrace {
                    node: node.to_string(),
                    default_only: list.is_empty(),
                    policies: traced(list, false),
                    allows: true,
                });
            }
        }
    }
    if let Some((identity, policy)) = boundary {
        out.permissions_boundary = Some((
            identity.arn.clone(),
            policy.map(|p| trace(p, request, true)).unwrap_or_default(),
        ));
    }
    out.session_policies = traced(req.session_policies, true);
    if let Some(e) = req.vpc_endpoint {
        out.vpc_endpoint = Some((
            e.id.clone(),
            e.policy.as_ref().map(|p| {
                p.as_ref()
                    .map(|p| trace(p, request, false))
                    .unwrap_or_default()
            }),
        ));
    }
    out
}

/// Allow statements that name the caller, the action and the key but whose
/// condition does not hold: usually the real reason a request fails, so
/// say which condition and with what values.
fn near_misses(
    key: &Key,
    caller_policies: &[(&Identity, usize, &kmsplay_policy::Policy)],
    request: &Request<'_>,
) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut check =
        |policy: &kmsplay_policy::Policy, identity: bool, owner: Option<(&str, usize)>| {
            for st in &policy.statements {
                if st.effect() != Some(kmsplay_policy::Effect::Allow)
                    || !st.valid
                    || st.conditions.is_empty()
                {
                    continue;
                }
                let Some(c) = kmsplay_policy::first_unmet_condition(st, request, identity) else {
                    continue;
                };
                let actual = kmsplay_policy::request_values(c, request.context);
                let code = match (identity, actual.is_some()) {
                    (false, true) => "key-policy-condition-not-met",
                    (false, false) => "key-policy-condition-key-missing",
                    (true, true) => "identity-condition-not-met",
                    (true, false) => "identity-condition-key-missing",
                };
                let expected = c
                    .values
                    .iter()
                    .map(|v| v.value.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut r = Reason::new(code)
                    .with("statement", st.index.to_string())
                    .with("operator", c.operator.name())
                    .with("key", c.key.clone())
                    .with("expected", expected)
                    .with("actual", actual.map(|v| v.join(", ")).unwrap_or_default());
                if let Some((arn, index)) = owner {
                    r = r
                        .with("identity", arn.to_string())
                        .with("policy", index.to_string());
                }
                out.push(r);
            }
        };
    if let Some(p) = &key.policy {
        check(p, false, None);
    }
    for (identity, index, policy) in caller_policies {
        check(policy, true, Some((&identity.arn, *index)));
    }
    out.truncate(3);
    out
}

/// Which key-policy statement lets the request through, given the IAM half.
fn policy_allow(key: &PolicyVerdict, cross: bool, identity_ok: bool) -> Option<usize> {
    if cross {
        // Both halves: the key policy must name the caller, its account or
        // everyone, and an IAM policy in the caller's account must agree.
        return key.allow_any().filter(|_| identity_ok);
    }
    key.allow_direct
        .or_else(|| key.allow_account.filter(|_| identity_ok))
}

/// `prefix` followed by `name`, in one exact allocation: `format!` costs
/// several times as much, and a decision builds a few of these.
fn concat(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    s
}

fn implicit_deny_reason(
    key: &Key,
    req: &KmsRequest<'_>,
    verdict: &PolicyVerdict,
    cross: bool,
    identity_ok: bool,
    grants: &[GrantTrace],
) -> Reason {
    let action = concat("kms:", req.operation.name);
    if key.policy.is_none() {
        return Reason::new("key-policy-invalid");
    }
    if let Some(g) = grants
        .iter()
        .find(|g| g.grantee && g.operation && g.constraint && !g.usable)
    {
        return Reason::new("grant-pending").with("grant", g.id.clone());
    }
    if let Some(g) = grants
        .iter()
        .find(|g| g.grantee && g.operation && !g.constraint)
    {
        return Reason::new("grant-constraint-unmet").with("grant", g.id.clone());
    }
    if let Principal::Service(s) = req.principal {
        return Reason::new("service-not-allowed")
            .with("service", s.clone())
            .with("action", action);
    }
    let caller = req.principal.principal_arn().unwrap_or("*").to_string();
    if cross {
        return match (verdict.allow_any(), identity_ok) {
            (Some(s), false) => Reason::new("cross-account-missing-identity")
                .with("statement", s.to_string())
                .with("caller", caller)
                .with("action", action),
            (None, true) => Reason::new("cross-account-missing-key-policy")
                .with("caller", caller)
                .with("action", action),
            _ => Reason::new("cross-account-missing-both")
                .with("caller", caller)
                .with("action", action),
        };
    }
    match (verdict.allow_account, identity_ok) {
        (Some(s), false) => Reason::new("iam-policy-missing")
            .with("statement", s.to_string())
            .with("caller", caller)
            .with("action", action),
        (None, true) => Reason::new("iam-not-delegated")
            .with("caller", caller)
            .with("action", action)
            .with("account", key.account.clone()),
        _ => Reason::new("no-statement-allows")
            .with("caller", caller)
            .with("action", action),
    }
}

fn outcome(
    key: &Key,
    req: &KmsRequest<'_>,
    reference: &KeyReference,
    decision: Decision,
    reasons: &mut Vec<Reason>,
) -> Outcome {
    if key.state == KeyState::Deleted {
        reasons.push(Reason::new("key-deleted"));
        return Outcome::NotFound;
    }
    if *reference == KeyReference::Unknown {
        reasons.push(Reason::new("key-not-found").with("key", req.key.unwrap_or_default()));
        return Outcome::NotFound;
    }
    if decision != Decision::Allowed {
        return Outcome::AccessDenied;
    }
    match req.operation.state_effect(key.state) {
        StateEffect::Proceeds => {}
        StateEffect::Disabled => {
            reasons.push(
                Reason::new("key-disabled").with("action", format!("kms:{}", req.operation.name)),
            );
            return Outcome::Disabled;
        }
        StateEffect::InvalidState => {
            reasons.push(
                Reason::new("key-invalid-state")
                    .with("state", key.state.as_str())
                    .with("action", format!("kms:{}", req.operation.name)),
            );
            return Outcome::InvalidState;
        }
        StateEffect::NotFound => {
            reasons.push(Reason::new("key-deleted"));
            return Outcome::NotFound;
        }
    }
    if !req
        .operation
        .supports(catalogue::key_class(key.spec, key.usage))
    {
        reasons.push(
            Reason::new("key-usage-unsupported")
                .with("action", format!("kms:{}", req.operation.name))
                .with("spec", key.spec.name)
                .with("usage", key.usage.as_str()),
        );
        return Outcome::InvalidKeyUsage;
    }
    Outcome::Success
}

/// Only symmetric encryption keys take an encryption context; asymmetric
/// and HMAC operations have none, so its condition keys stay absent.
/// <https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html>
fn takes_encryption_context(key: &Key, op: &Operation) -> bool {
    op.encryption_context
        && (!op.key_resource
            || catalogue::key_class(key.spec, key.usage)
                == catalogue::KeyClass::SymmetricEncryption
            || op.needs.is_empty())
}

/// The caller's identity policies: its own, or for a role session its role's.
fn identity_policies<'k>(
    identities: &'k [Identity],
    principal: &Principal,
) -> Vec<(&'k Identity, usize, &'k kmsplay_policy::Policy)> {
    let owner = identities
        .iter()
        .find(|i| is_callers_identity(&i.arn, principal));
    owner
        .map(|i| {
            i.policies
                .iter()
                .enumerate()
                .filter_map(|(n, p)| p.as_ref().map(|p| (i, n, p)))
                .collect()
        })
        .unwrap_or_default()
}

fn grant_traces(
    key: &Key,
    req: &KmsRequest<'_>,
    _request: &Request<'_>,
    identity_ok: bool,
) -> Vec<GrantTrace> {
    key.grants
        .iter()
        .map(|g| {
            let grantee = grantee_matches(&g.grantee, req.principal);
            // A grant to an account lets that account's administrators
            // delegate it with IAM policies.
            let grantee_account = !grantee
                && req
                    .principal
                    .account()
                    .is_some_and(|a| g.grantee == format!("arn:aws:iam::{a}:root"));
            let operation = g.operations.iter().any(|op| op.name == req.operation.name);
            // Constraints apply only to operations that take an encryption
            // context; DescribeKey or RetireGrant in a constrained grant are
            // allowed without one.
            let constraint = !req.operation.encryption_context
                || g.constraint
                    .as_ref()
                    .is_none_or(|c| c.met_by(req.encryption_context));
            let usable = !g.pending
                || g.token
                    .as_ref()
                    .is_some_and(|t| req.grant_tokens.iter().any(|sent| sent == t));
            let applies =
                (grantee || (grantee_account && identity_ok)) && operation && constraint && usable;
            GrantTrace {
                id: g.id.clone(),
                grantee,
                grantee_account,
                operation,
                constraint,
                usable,
                applies,
            }
        })
        .collect()
}

/// The condition keys KMS and IAM put in the request context, then the
/// ones the request gives by hand (which win).
/// <https://docs.aws.amazon.com/kms/latest/developerguide/policy-conditions.html>
pub fn build_context(key: &Key, req: &KmsRequest<'_>, reference: &KeyReference) -> RequestContext {
    context_for(
        key,
        req,
        reference,
        &Wanted {
            all: true,
            policies: Vec::new(),
        },
    )
}

/// Which derived keys to compute: all of them for a trace, or only those
/// the policies read (deriving the rest would be wasted work on every
/// keystroke).
struct Wanted<'p> {
    all: bool,
    policies: Vec<&'p kmsplay_policy::Policy>,
}

impl Wanted<'_> {
    fn key(&self, k: &str) -> bool {
        self.all || self.policies.iter().any(|p| p.reads_key(k))
    }

    fn parts(&self, prefix: &str, suffix: &str) -> bool {
        self.all
            || self
                .policies
                .iter()
                .any(|p| p.reads_key_parts(prefix, suffix))
    }
}

fn context_for(
    key: &Key,
    req: &KmsRequest<'_>,
    reference: &KeyReference,
    wanted: &Wanted<'_>,
) -> RequestContext {
    let mut ctx = RequestContext::new();
    let mut set = |k: &str, v: &dyn Fn() -> String| {
        if wanted.key(k) {
            ctx.set(k, v());
        }
    };
    match req.principal {
        Principal::Aws(p) => {
            if let Some(arn) = req.principal.principal_arn() {
                set("aws:PrincipalArn", &|| arn.to_string());
            }
            set("aws:PrincipalAccount", &|| p.account.clone());
            set("kms:CallerAccount", &|| p.account.clone());
            set("aws:PrincipalIsAWSService", &|| "false".into());
            let principal_type = match p.kind {
                AwsPrincipalKind::Root => "Account",
                AwsPrincipalKind::User => "User",
                AwsPrincipalKind::AssumedRole { .. } | AwsPrincipalKind::Role => "AssumedRole",
                AwsPrincipalKind::FederatedUser => "FederatedUser",
                AwsPrincipalKind::Other => "User",
            };
            set("aws:PrincipalType", &|| principal_type.into());
            if p.kind == AwsPrincipalKind::User {
                if let Some(name) = p.arn.rsplit('/').next() {
                    set("aws:username", &|| name.into());
                }
            }
        }
        Principal::Service(s) => {
            set("aws:PrincipalIsAWSService", &|| "true".into());
            set("aws:PrincipalServicePrincipal", &|| s.clone());
        }
        Principal::Anonymous => {
            set("aws:PrincipalType", &|| "Anonymous".into());
        }
    }
    if req.operation.key_resource {
        set("kms:KeySpec", &|| key.spec.name.into());
        set("kms:KeyUsage", &|| key.usage.as_str().into());
        set("kms:KeyOrigin", &|| key.origin.clone());
    }
    if let KeyReference::Alias(a) = reference {
        set("kms:RequestAlias", &|| a.clone());
    }
    if takes_encryption_context(key, req.operation) && !req.encryption_context.is_empty() {
        for (k, v) in req.encryption_context {
            if wanted.parts("kms:EncryptionContext:", k) {
                ctx.set(&concat("kms:EncryptionContext:", k), v.clone());
            }
        }
        if wanted.key("kms:EncryptionContextKeys") {
            ctx.insert(
                "kms:EncryptionContextKeys",
                ContextValue::Multi(
                    req.encryption_context
                        .iter()
                        .map(|(k, _)| k.clone())
                        .collect(),
                ),
            );
        }
    }
    if req.operation.key_resource {
        for (k, v) in &key.tags {
            if wanted.parts("aws:ResourceTag/", k) {
                ctx.set(&concat("aws:ResourceTag/", k), v.clone());
            }
        }
        if !key.aliases.is_empty() && wanted.key("kms:ResourceAliases") {
            ctx.insert(
                "kms:ResourceAliases",
                ContextValue::Multi(key.aliases.clone()),
            );
        }
    }
    organization_keys(&mut ctx, key, req, wanted);
    for (k, v) in req.context {
        ctx.insert(k, v.clone());
    }
    ctx
}

/// The keys AWS Organizations and the VPC endpoint add: the caller's,
/// the key's and the calling service's resource's organization, and the
/// endpoint the request came through
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).
fn organization_keys(
    ctx: &mut RequestContext,
    key: &Key,
    req: &KmsRequest<'_>,
    wanted: &Wanted<'_>,
) {
    if let Some(org) = req.organization {
        let mut org_of = |id_key: &str, paths_key: &str, account: &str| {
            if !org.contains(account) {
                return;
            }
            if wanted.key(id_key) {
                ctx.set(id_key, org.id.clone());
            }
            if wanted.key(paths_key) {
                if let Some(path) = org.org_path(account) {
                    ctx.insert(paths_key, ContextValue::Multi(vec![path]));
                }
            }
        };
        if let Some(account) = req.principal.account() {
            org_of("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", account);
        }
        org_of("aws:ResourceOrgID", "aws:ResourceOrgPaths", &key.account);
        let source_account = req
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("aws:SourceAccount"))
            .and_then(|(_, v)| v.values().first());
        if let Some(account) = source_account {
            org_of("aws:SourceOrgID", "aws:SourceOrgPaths", account);
        }
    }
    if let Some(endpoint) = req.vpc_endpoint {
        if wanted.key("aws:SourceVpce") {
            ctx.set("aws:SourceVpce", endpoint.id.clone());
        }
        if let Some(vpc) = endpoint
            .vpc
            .as_ref()
            .filter(|_| wanted.key("aws:SourceVpc"))
        {
            ctx.set("aws:SourceVpc", vpc.clone());
        }
    }
}
