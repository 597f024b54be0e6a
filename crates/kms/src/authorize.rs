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
    /// The full explanation, when asked for.
    pub detail: Option<Box<Detail>>,
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
    let wanted = Wanted {
        all: all_keys,
        policies: key
            .policy
            .iter()
            .chain(caller_policies.iter().map(|(_, _, p)| *p))
            .collect(),
    };
    let context = context_for(key, req, &reference, &wanted);
    let request = Request {
        principal: req.principal,
        action: catalogue::action_lower(req.operation),
        resource: &key.arn,
        context: &context,
    };

    let key_verdict = key
        .policy
        .as_ref()
        .map(|p| evaluate(p, &request, false))
        .unwrap_or_default();
    let mut identity_deny = None;
    let mut identity_allow = None;
    for (identity, index, policy) in &caller_policies {
        let v = evaluate(policy, &request, true);
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

    let caller_account = req.principal.account();
    let cross = caller_account.is_some_and(|a| a != key.account);
    let is_root = matches!(req.principal, Principal::Aws(p) if p.kind == AwsPrincipalKind::Root);
    // The root user needs no IAM policy of its own: it has every permission
    // in its account, so only the key policy's half counts.
    let identity_ok = identity_allow.is_some() || is_root;

    let mut reasons = Vec::new();
    let mut allowed_by = Vec::new();
    let mut cross_account = None;
    let grant_results = grant_traces(key, req, &request, identity_ok);

    let decision = if let Some(s) = key_verdict.deny {
        reasons.push(Reason::new("denied-by-key-policy").with("statement", s.to_string()));
        Decision::ExplicitDeny
    } else if let Some(Source::IdentityPolicy {
        identity,
        statement,
        ..
    }) = &identity_deny
    {
        reasons.push(
            Reason::new("denied-by-identity-policy")
                .with("identity", identity.clone())
                .with("statement", statement.to_string()),
        );
        Decision::ExplicitDeny
    } else if cross && !catalogue::cross_account(req.operation) {
        // Both halves may say yes, but KMS does not let another account
        // call this operation at all.
        reasons.push(
            Reason::new("operation-not-cross-account")
                .with("action", format!("kms:{}", req.operation.name)),
        );
        Decision::ImplicitDeny
    } else {
        let policy_allow = policy_allow(&key_verdict, cross, identity_ok);
        if cross {
            cross_account = Some(CrossAccount {
                key_policy: key_verdict.allow_any().is_some(),
                identity_policy: identity_ok,
            });
        }
        if let Some(statement) = policy_allow {
            allowed_by.push(Source::KeyPolicy { statement });
            let via_account = key_verdict.allow_direct.is_none();
            if cross || via_account {
                if let Some(src) = &identity_allow {
                    allowed_by.push(src.clone());
                }
            }
            let code = match (cross, via_account && !is_root) {
                (true, _) => "allowed-cross-account",
                (false, true) => "allowed-key-policy-and-iam",
                (false, false) => "allowed-by-key-policy",
            };
            let mut r = Reason::new(code).with("statement", statement.to_string());
            if let Some(Source::IdentityPolicy { identity, .. }) = &identity_allow {
                r = r.with("identity", identity.clone());
            }
            reasons.push(r);
            Decision::Allowed
        } else if let Some(g) = grant_results.iter().find(|g| g.applies) {
            allowed_by.push(Source::Grant { id: g.id.clone() });
            reasons.push(Reason::new("allowed-by-grant").with("grant", g.id.clone()));
            Decision::Allowed
        } else {
            reasons.push(implicit_deny_reason(
                key,
                req,
                &key_verdict,
                cross,
                identity_ok,
                &grant_results,
            ));
            reasons.extend(near_misses(key, &caller_policies, &request));
            Decision::ImplicitDeny
        }
    };

    let outcome = outcome(key, req, &reference, decision, &mut reasons);
    let authorization = Authorization {
        decision,
        outcome,
        reasons,
        allowed_by,
        denied_by: match decision {
            Decision::ExplicitDeny => key_verdict
                .deny
                .map(|statement| Source::KeyPolicy { statement })
                .or(identity_deny),
            _ => None,
        },
        cross_account,
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
        grants: grant_results,
        // The request is done with: the context moves, not copied.
        context,
    };
    (authorization, inputs)
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
    for (k, v) in req.context {
        ctx.insert(k, v.clone());
    }
    ctx
}
