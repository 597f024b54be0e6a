//! Grants as a workflow: CreateGrant, RetireGrant, RevokeGrant and
//! ListGrants over a key service whose time is passed in, with the eventual
//! consistency, grant tokens, idempotent names and the per-key quota of AWS.
//!
//! Sources (cited again beside the tests):
//! - seed 003, <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>
//!   (grant operations; `ValidationError` for an operation the key does not
//!   support; grantee principals; eventual consistency "usually less than
//!   five minutes"; grant tokens; only CreateGrant returns a token)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html>
//!   (encryption-context constraints only for symmetric encryption keys;
//!   `Name` makes retries idempotent; "Granting CreateGrant permission": a
//!   child grant allows some or all of the parent's operations and
//!   constraints at least as strict — pairs may be added to
//!   `EncryptionContextSubset`, which may become `EncryptionContextEquals`,
//!   not the reverse)
//! - <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html>
//!   (`Name`: same name and parameters return the original grant id and a
//!   new token; all tokens of a grant are interchangeable)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html>
//!   (RetireGrant: the retiring principal, the grantee when the grant allows
//!   RetireGrant, the account the grant was created in, and IAM principals
//!   it delegates `kms:RetireGrant` to; `kms:RetireGrant` is not effective in
//!   a key policy; a deny in an IAM policy stops it; RevokeGrant: any
//!   principal with `kms:RevokeGrant`; a new grant can be deleted at once
//!   only by retiring it with its token, a token cannot revoke)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html>
//!   (`kms:GrantOperations`, `kms:GranteePrincipal`, `kms:RetiringPrincipal`,
//!   `kms:GrantIsForAWSResource`, `kms:GrantConstraintType`)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>
//!   ("Grants per KMS key: 50,000"; `LimitExceededException`)
//!
//! Choices: the simulation takes the worst case of each "may" — a new grant
//! is unusable without its token until [`CONSISTENCY_SECONDS`] have passed,
//! a retired or revoked grant keeps working until then, and a grant that is
//! not yet consistent cannot be found by its id (retire it with its token).
//! Parameters are checked after authorization and the key's state, so a
//! caller without permission learns nothing about the key.

use crate::authorize::{authorize, build_context, Authorization, KmsRequest, Outcome, Source};
use crate::catalogue::{self, KeyClass, Operation};
use crate::key::{grantee_matches, Grant, GrantConstraint, Identity, Key, KeyReference};
use crate::records::{base64, digest_bytes, digest_hex, Json};
use crate::time::Time;
use kmsplay_policy::{evaluate, AwsPrincipalKind, ContextValue, Principal, Request};

/// Grants per KMS key (resource quota, adjustable).
pub const GRANTS_PER_KEY: usize = 50_000;

/// Seconds until a created, retired or revoked grant is consistent
/// throughout KMS ("usually less than five minutes").
pub const CONSISTENCY_SECONDS: i64 = 300;

/// How a grant ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantEnd {
    /// When.
    pub at: Time,
    /// Revoked (true) or retired (false).
    pub revoked: bool,
    /// Who did it.
    pub by: String,
}

/// A grant with what the service knows about it beyond [`Grant`].
#[derive(Debug, Clone)]
pub struct GrantEntry {
    /// The grant (its `token` is the first of `tokens`).
    pub grant: Grant,
    /// `Name`, if given.
    pub name: Option<String>,
    /// Who created it (principal ARN), if known.
    pub creator: Option<String>,
    /// When it was created; None for a grant older than the simulation.
    pub created: Option<Time>,
    /// Every token CreateGrant returned for it (retries return new ones).
    pub tokens: Vec<String>,
    /// The grant whose CreateGrant permission created it, if any.
    pub parent: Option<String>,
    /// Retired or revoked.
    pub ended: Option<GrantEnd>,
}

impl GrantEntry {
    /// An entry for a grant as a playground file gives it: not pending
    /// grants are taken as consistent, pending ones as created at `now`.
    pub fn from_grant(grant: Grant, now: Time) -> GrantEntry {
        GrantEntry {
            created: grant.pending.then_some(now),
            tokens: grant.token.iter().cloned().collect(),
            grant,
            name: None,
            creator: None,
            parent: None,
            ended: None,
        }
    }

    /// Not yet consistent at `now`.
    pub fn pending_at(&self, now: Time) -> bool {
        self.created
            .is_some_and(|c| now < c.plus_seconds(CONSISTENCY_SECONDS))
    }

    /// Still in effect somewhere at `now` (not ended, or ended less than
    /// [`CONSISTENCY_SECONDS`] ago).
    pub fn effective_at(&self, now: Time) -> bool {
        self.ended
            .as_ref()
            .is_none_or(|e| now < e.at.plus_seconds(CONSISTENCY_SECONDS))
    }
}

/// Why a grant call failed: the exception, a message id (`grant.error.*`)
/// with parameters, and the authorization when one was made.
#[derive(Debug, Clone)]
pub struct GrantFailure {
    /// `AccessDeniedException`, `ValidationError`, `LimitExceededException`,
    /// `NotFoundException`, `DisabledException`, `KMSInvalidStateException`.
    pub exception: &'static str,
    /// Message id.
    pub code: &'static str,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
    /// The decision, when the call was authorized through the key policy.
    pub authorization: Option<Box<Authorization>>,
}

impl GrantFailure {
    fn new(exception: &'static str, code: &'static str) -> GrantFailure {
        GrantFailure {
            exception,
            code,
            params: Vec::new(),
            authorization: None,
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> GrantFailure {
        self.params.push((name, value.into()));
        self
    }

    fn from_authorization(auth: Authorization) -> GrantFailure {
        let code = match auth.outcome {
            Outcome::AccessDenied => "grant.error.access-denied",
            Outcome::NotFound => "grant.error.key-not-found",
            Outcome::Disabled => "grant.error.key-disabled",
            Outcome::InvalidState => "grant.error.key-state",
            Outcome::InvalidKeyUsage | Outcome::Success => "grant.error.key-usage",
        };
        GrantFailure {
            exception: auth.outcome.as_str(),
            code,
            params: Vec::new(),
            authorization: Some(Box::new(auth)),
        }
    }
}

/// A CreateGrant call.
#[derive(Debug, Clone)]
pub struct CreateGrantRequest {
    /// The caller.
    pub principal: Principal,
    /// How the call names the key (None: the key itself).
    pub key: Option<String>,
    /// `GranteePrincipal`.
    pub grantee: String,
    /// `Operations`.
    pub operations: Vec<&'static Operation>,
    /// `Constraints`.
    pub constraint: Option<GrantConstraint>,
    /// `RetiringPrincipal`.
    pub retiring_principal: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `GrantTokens` (for a caller whose permission is a new grant).
    pub grant_tokens: Vec<String>,
    /// Condition keys given by hand (`kms:ViaService`, …).
    pub context: Vec<(String, ContextValue)>,
}

/// What CreateGrant returned.
#[derive(Debug, Clone)]
pub struct CreatedGrant {
    /// `GrantId`.
    pub grant_id: String,
    /// `GrantToken` (new for every call, even a retry).
    pub grant_token: String,
    /// A retry of an earlier call with the same name and parameters.
    pub retry: bool,
    /// The grant whose CreateGrant permission allowed the call, if any.
    pub via_grant: Option<String>,
    /// The decision.
    pub authorization: Authorization,
}

/// How RetireGrant and RevokeGrant name the grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantRef {
    /// `GrantId` (with the key).
    Id(String),
    /// `GrantToken` (RetireGrant only).
    Token(String),
}

/// A RetireGrant or RevokeGrant call.
#[derive(Debug, Clone)]
pub struct EndGrantRequest {
    /// The caller.
    pub principal: Principal,
    /// How the call names the key (None: the key itself).
    pub key: Option<String>,
    /// Which grant.
    pub grant: GrantRef,
    /// Condition keys given by hand.
    pub context: Vec<(String, ContextValue)>,
}

/// What RetireGrant or RevokeGrant did.
#[derive(Debug, Clone)]
pub struct EndedGrant {
    /// The grant id.
    pub grant_id: String,
    /// Why the caller could: `retiring-principal`, `grantee`,
    /// `issuing-account`, `delegated` (RetireGrant) or `policy` (RevokeGrant).
    pub authority: &'static str,
    /// When the grant stops working everywhere.
    pub effective_until: Time,
    /// The decision, for RevokeGrant.
    pub authorization: Option<Authorization>,
}

/// One grant as ListGrants returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantListEntry {
    /// `KeyId` (the key ARN).
    pub key_id: String,
    /// `GrantId`.
    pub grant_id: String,
    /// `Name` ("" when none).
    pub name: String,
    /// `CreationDate`.
    pub creation_date: Option<Time>,
    /// `GranteePrincipal`.
    pub grantee: String,
    /// `RetiringPrincipal`.
    pub retiring_principal: Option<String>,
    /// `IssuingAccount` (`arn:aws:iam::ACCOUNT:root`).
    pub issuing_account: String,
    /// `Operations`.
    pub operations: Vec<&'static str>,
    /// `Constraints`.
    pub constraint: Option<GrantConstraint>,
    /// Not yet consistent (a simulator field, not in the AWS answer).
    pub pending: bool,
}

fn constraint_json(c: &GrantConstraint, camel: bool) -> Json {
    let (name, pairs) = match c {
        GrantConstraint::Equals(p) => ("EncryptionContextEquals", p),
        GrantConstraint::Subset(p) => ("EncryptionContextSubset", p),
    };
    let name = if camel {
        let mut n = name.to_string();
        n[..1].make_ascii_lowercase();
        n
    } else {
        name.to_string()
    };
    Json::obj([(name, Json::string_map(pairs))])
}

impl GrantListEntry {
    /// The entry as the ListGrants response shows it.
    pub fn to_json(&self) -> Json {
        let mut m: Vec<(String, Json)> = vec![
            ("KeyId".into(), Json::str(self.key_id.clone())),
            ("GrantId".into(), Json::str(self.grant_id.clone())),
            ("Name".into(), Json::str(self.name.clone())),
        ];
        if let Some(t) = self.creation_date {
            m.push(("CreationDate".into(), Json::Number(format!("{}.0", t.0))));
        }
        m.push(("GranteePrincipal".into(), Json::str(self.grantee.clone())));
        if let Some(r) = &self.retiring_principal {
            m.push(("RetiringPrincipal".into(), Json::str(r.clone())));
        }
        m.push((
            "IssuingAccount".into(),
            Json::str(self.issuing_account.clone()),
        ));
        m.push(("Operations".into(), Json::strings(&self.operations)));
        if let Some(c) = &self.constraint {
            m.push(("Constraints".into(), constraint_json(c, false)));
        }
        Json::Object(m)
    }
}

/// The ListGrants response for `entries`.
pub fn list_grants_json(entries: &[GrantListEntry]) -> Json {
    Json::obj([
        (
            "Grants",
            Json::Array(entries.iter().map(GrantListEntry::to_json).collect()),
        ),
        ("Truncated", Json::Bool(false)),
    ])
}

/// The condition keys of a CreateGrant request: the request's own, and
/// those KMS derives from its parameters (unless the request sets them).
fn create_grant_context(req: &CreateGrantRequest) -> Vec<(String, ContextValue)> {
    let mut context = req.context.clone();
    let mut derive = |k: &str, v: ContextValue| {
        if !context_has(&context, k) {
            context.push((k.to_string(), v));
        }
    };
    derive(
        "kms:GrantOperations",
        ContextValue::Multi(req.operations.iter().map(|o| o.name.to_string()).collect()),
    );
    derive(
        "kms:GranteePrincipal",
        ContextValue::Single(req.grantee.clone()),
    );
    if let Some(r) = &req.retiring_principal {
        derive("kms:RetiringPrincipal", ContextValue::Single(r.clone()));
    }
    let via_service = context_has(&req.context, "kms:ViaService");
    derive(
        "kms:GrantIsForAWSResource",
        ContextValue::Single(via_service.to_string()),
    );
    if let Some(c) = &req.constraint {
        let t = match c {
            GrantConstraint::Equals(_) => "EncryptionContextEquals",
            GrantConstraint::Subset(_) => "EncryptionContextSubset",
        };
        derive("kms:GrantConstraintType", ContextValue::Single(t.into()));
    }
    context
}

/// The CloudTrail `requestParameters` CreateGrant adds besides `keyId`
/// (`ct-creategrant.html`).
pub fn create_grant_parameters(req: &CreateGrantRequest) -> Vec<(String, Json)> {
    let mut m: Vec<(String, Json)> = Vec::new();
    if let Some(c) = &req.constraint {
        m.push(("constraints".into(), constraint_json(c, true)));
    }
    m.push((
        "operations".into(),
        Json::strings(req.operations.iter().map(|o| o.name)),
    ));
    m.push(("granteePrincipal".into(), Json::str(req.grantee.clone())));
    if let Some(r) = &req.retiring_principal {
        m.push(("retiringPrincipal".into(), Json::str(r.clone())));
    }
    if let Some(n) = &req.name {
        m.push(("name".into(), Json::str(n.clone())));
    }
    m
}

/// A key with its grants over time, and the identities whose IAM policies
/// matter. Every call takes the time it happens at.
#[derive(Debug, Clone)]
pub struct KeyService {
    /// The key; its `grants` are the grants in effect at the last call.
    pub key: Key,
    /// IAM users and roles with their policies.
    pub identities: Vec<Identity>,
    /// Every grant, ended ones included.
    pub entries: Vec<GrantEntry>,
    /// The grant quota (default [`GRANTS_PER_KEY`]).
    pub grant_limit: usize,
    /// The organization whose SCPs and RCPs apply, if any.
    pub organization: Option<crate::Organization>,
}

fn context_has(context: &[(String, ContextValue)], key: &str) -> bool {
    context.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
}

fn operations_key(ops: &[&'static Operation]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = ops.iter().map(|o| o.name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn sorted_pairs(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut p = pairs.to_vec();
    p.sort_unstable();
    p
}

fn same_constraint(a: &Option<GrantConstraint>, b: &Option<GrantConstraint>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(GrantConstraint::Equals(x)), Some(GrantConstraint::Equals(y)))
        | (Some(GrantConstraint::Subset(x)), Some(GrantConstraint::Subset(y))) => {
            sorted_pairs(x) == sorted_pairs(y)
        }
        _ => false,
    }
}

/// Is `child` at least as strict as `parent`? (Grant constraints, case
/// sensitive.)
pub fn at_least_as_strict(
    parent: &Option<GrantConstraint>,
    child: &Option<GrantConstraint>,
) -> bool {
    let contains = |big: &[(String, String)], small: &[(String, String)]| {
        small.iter().all(|p| big.contains(p))
    };
    match (parent, child) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(GrantConstraint::Subset(p)), Some(GrantConstraint::Subset(c)))
        | (Some(GrantConstraint::Subset(p)), Some(GrantConstraint::Equals(c))) => contains(c, p),
        (Some(GrantConstraint::Equals(p)), Some(GrantConstraint::Equals(c))) => {
            sorted_pairs(p) == sorted_pairs(c)
        }
        (Some(GrantConstraint::Equals(_)), Some(GrantConstraint::Subset(_))) => false,
    }
}

impl KeyService {
    /// A service for `key` (its grants become entries) at time `now`.
    pub fn new(key: Key, identities: Vec<Identity>, now: Time) -> KeyService {
        let entries = key
            .grants
            .iter()
            .cloned()
            .map(|g| GrantEntry::from_grant(g, now))
            .collect();
        let mut s = KeyService {
            key,
            identities,
            entries,
            grant_limit: GRANTS_PER_KEY,
            organization: None,
        };
        s.settle(now);
        s
    }

    /// The same service inside an organization: its SCPs and RCPs apply.
    pub fn with_organization(mut self, organization: Option<crate::Organization>) -> KeyService {
        self.organization = organization;
        self
    }

    /// The same service with another grant quota (for tests and exercises).
    pub fn with_limit(mut self, limit: usize) -> KeyService {
        self.grant_limit = limit;
        self
    }

    /// Brings `key.grants` to what is in effect at `now`: pending flags, and
    /// ended grants dropped once consistent.
    pub fn settle(&mut self, now: Time) {
        self.key.grants = self
            .entries
            .iter()
            .filter(|e| e.effective_at(now))
            .map(|e| Grant {
                pending: e.pending_at(now),
                token: e.tokens.first().cloned(),
                ..e.grant.clone()
            })
            .collect();
    }

    /// Grants not retired or revoked.
    pub fn active(&self) -> impl Iterator<Item = &GrantEntry> {
        self.entries.iter().filter(|e| e.ended.is_none())
    }

    /// Every token a request sends that belongs to a grant, replaced by the
    /// grant's first token (all tokens of a grant are interchangeable).
    fn canonical_tokens(&self, tokens: &[String]) -> Vec<String> {
        tokens
            .iter()
            .map(|t| {
                self.entries
                    .iter()
                    .find(|e| e.tokens.contains(t))
                    .and_then(|e| e.tokens.first().cloned())
                    .unwrap_or_else(|| t.clone())
            })
            .collect()
    }

    /// Decides a request at `now` (after settling the grants).
    pub fn decide(&mut self, req: &KmsRequest<'_>, now: Time, detail: bool) -> Authorization {
        self.settle(now);
        let tokens = self.canonical_tokens(req.grant_tokens);
        let req = KmsRequest {
            grant_tokens: &tokens,
            organization: req.organization.or(self.organization.as_ref()),
            ..*req
        };
        authorize(&self.key, &self.identities, &req, detail)
    }

    /// The `index`-th token of a grant: every CreateGrant call returns a
    /// new one, derived from the grant id and how many came before.
    fn new_token(&self, grant_id: &str, index: usize) -> String {
        let n = index.to_string();
        base64(&digest_bytes(
            &["grant-token", &self.key.arn, grant_id, &n],
            48,
        ))
    }

    /// CreateGrant at `now`.
    pub fn create_grant(
        &mut self,
        req: &CreateGrantRequest,
        now: Time,
    ) -> Result<CreatedGrant, GrantFailure> {
        self.settle(now);
        let op = catalogue::operation("CreateGrant").expect("CreateGrant is in the catalogue");
        let context = create_grant_context(req);
        // CreateGrant's encryption-context condition keys come from the
        // constraint's pairs (catalogue: `encryption_context`).
        let pairs: Vec<(String, String)> = match &req.constraint {
            Some(GrantConstraint::Equals(p)) | Some(GrantConstraint::Subset(p)) => p.clone(),
            None => Vec::new(),
        };
        let tokens = self.canonical_tokens(&req.grant_tokens);
        let kreq = KmsRequest {
            principal: &req.principal,
            operation: op,
            key: req.key.as_deref(),
            encryption_context: &pairs,
            context: &context,
            grant_tokens: &tokens,
            organization: self.organization.as_ref(),
            session_policies: &[],
            vpc_endpoint: None,
        };
        let auth = authorize(&self.key, &self.identities, &kreq, true);
        let via_grant = match self.delegating_grant(req, &auth, now) {
            Ok(via) => via,
            Err(mut f) => {
                let mut a = auth;
                a.decision = crate::Decision::ImplicitDeny;
                a.outcome = Outcome::AccessDenied;
                a.allowed_by.clear();
                f.authorization = Some(Box::new(a));
                return Err(f);
            }
        };
        if auth.outcome != Outcome::Success {
            return Err(GrantFailure::from_authorization(auth));
        }
        self.validate(req)?;
        if let Some((grant_id, grant_token)) = self.retried(req, now) {
            return Ok(CreatedGrant {
                grant_id,
                grant_token,
                retry: true,
                via_grant,
                authorization: auth,
            });
        }
        if self.active().count() >= self.grant_limit {
            return Err(
                GrantFailure::new("LimitExceededException", "grant.error.limit")
                    .with("limit", self.grant_limit.to_string()),
            );
        }
        let id = self.new_grant_id(req, now);
        let token = self.new_token(&id, 0);
        self.entries.push(GrantEntry {
            grant: Grant {
                id: id.clone(),
                grantee: req.grantee.clone(),
                operations: req.operations.clone(),
                constraint: req.constraint.clone(),
                retiring_principal: req.retiring_principal.clone(),
                token: Some(token.clone()),
                pending: true,
            },
            name: req.name.clone(),
            creator: principal_text(&req.principal),
            created: Some(now),
            tokens: vec![token.clone()],
            parent: via_grant.clone(),
            ended: None,
        });
        self.settle(now);
        Ok(CreatedGrant {
            grant_id: id,
            grant_token: token,
            retry: false,
            via_grant,
            authorization: auth,
        })
    }

    /// When no policy allows CreateGrant (and none denies it), the grant
    /// whose authority the caller uses: it must allow every operation asked
    /// for, with constraints at least as strict. `Err` names why the grants
    /// that could have been used were not (the caller adds the
    /// authorization); `Ok(None)` when a policy allows, or no grant is
    /// usable at all.
    fn delegating_grant(
        &self,
        req: &CreateGrantRequest,
        auth: &Authorization,
        now: Time,
    ) -> Result<Option<String>, GrantFailure> {
        let by_policy = auth.decision == crate::Decision::Allowed
            && auth
                .allowed_by
                .iter()
                .any(|s| !matches!(s, Source::Grant { .. }));
        if by_policy || auth.decision == crate::Decision::ExplicitDeny {
            return Ok(None);
        }
        let traces = auth
            .detail
            .as_ref()
            .map(|d| d.grants.clone())
            .unwrap_or_default();
        let mut refusal = None;
        for t in traces
            .iter()
            .filter(|t| t.operation && t.usable && (t.grantee || t.grantee_account))
        {
            let Some(parent) = self
                .entries
                .iter()
                .find(|e| e.grant.id == t.id && e.effective_at(now))
            else {
                continue;
            };
            let extra: Vec<&str> = req
                .operations
                .iter()
                .map(|o| o.name)
                .filter(|n| !parent.grant.operations.iter().any(|p| p.name == *n))
                .collect();
            let strict = at_least_as_strict(&parent.grant.constraint, &req.constraint);
            if extra.is_empty() && strict && t.applies {
                return Ok(Some(t.id.clone()));
            }
            refusal.get_or_insert(if !extra.is_empty() {
                GrantFailure::new("AccessDeniedException", "grant.error.delegation-operations")
                    .with("grant", t.id.clone())
                    .with("operations", extra.join(", "))
            } else {
                GrantFailure::new("AccessDeniedException", "grant.error.delegation-constraint")
                    .with("grant", t.id.clone())
            });
        }
        match refusal {
            Some(f) => Err(f),
            None => Ok(None),
        }
    }

    /// A retry: same name and parameters as a grant that still exists gets
    /// that grant's id and a new token.
    fn retried(&mut self, req: &CreateGrantRequest, now: Time) -> Option<(String, String)> {
        let name = req.name.as_ref()?;
        let ops = operations_key(&req.operations);
        let i = self.entries.iter().position(|e| {
            e.ended.is_none()
                && e.name.as_deref() == Some(name.as_str())
                && e.grant.grantee == req.grantee
                && operations_key(&e.grant.operations) == ops
                && same_constraint(&e.grant.constraint, &req.constraint)
                && e.grant.retiring_principal == req.retiring_principal
        })?;
        let id = self.entries[i].grant.id.clone();
        let token = self.new_token(&id, self.entries[i].tokens.len());
        self.entries[i].tokens.push(token.clone());
        self.settle(now);
        Some((id, token))
    }

    /// A new grant's id: unique among the key's grants, and the same for
    /// the same history.
    fn new_grant_id(&self, req: &CreateGrantRequest, now: Time) -> String {
        let mut n = self.entries.len();
        loop {
            let id = digest_hex(
                &[
                    "grant-id",
                    &self.key.arn,
                    &req.grantee,
                    &operations_key(&req.operations).join(","),
                    req.name.as_deref().unwrap_or(""),
                    &now.iso(),
                    &n.to_string(),
                ],
                32,
            );
            if !self.entries.iter().any(|e| e.grant.id == id) {
                return id;
            }
            n += 1;
        }
    }

    fn validate(&self, req: &CreateGrantRequest) -> Result<(), GrantFailure> {
        let invalid = |code| GrantFailure::new("ValidationError", code);
        match Principal::parse(&req.grantee) {
            Some(Principal::Aws(p)) if p.kind != AwsPrincipalKind::Other => {}
            _ => {
                return Err(
                    invalid("grant.error.invalid-grantee").with("grantee", req.grantee.clone())
                )
            }
        }
        if let Some(r) = &req.retiring_principal {
            if !matches!(Principal::parse(r), Some(Principal::Aws(_))) {
                return Err(
                    invalid("grant.error.invalid-retiring-principal").with("principal", r.clone())
                );
            }
        }
        if req.operations.is_empty() {
            return Err(invalid("grant.error.no-operations"));
        }
        let class = catalogue::key_class(self.key.spec, self.key.usage);
        for op in &req.operations {
            if !op.grant_operation {
                return Err(invalid("grant.error.not-grant-operation").with("operation", op.name));
            }
            if !op.supports(class) {
                return Err(invalid("grant.error.unsupported-operation")
                    .with("operation", op.name)
                    .with("spec", self.key.spec.name)
                    .with("usage", self.key.usage.as_str()));
            }
        }
        if req.constraint.is_some() && class != KeyClass::SymmetricEncryption {
            return Err(invalid("grant.error.constraint-not-symmetric")
                .with("spec", self.key.spec.name)
                .with("usage", self.key.usage.as_str()));
        }
        Ok(())
    }

    /// The entry a RetireGrant / RevokeGrant names, or NotFound.
    fn find(&self, grant: &GrantRef, now: Time) -> Result<usize, GrantFailure> {
        let found = match grant {
            GrantRef::Token(t) => self
                .entries
                .iter()
                .position(|e| e.ended.is_none() && e.tokens.contains(t)),
            GrantRef::Id(id) => self
                .entries
                .iter()
                .position(|e| e.ended.is_none() && e.grant.id == *id),
        };
        match (found, grant) {
            (None, _) => Err(GrantFailure::new(
                "NotFoundException",
                "grant.error.not-found",
            )),
            (Some(i), GrantRef::Id(id)) if self.entries[i].pending_at(now) => Err(
                GrantFailure::new("NotFoundException", "grant.error.not-yet-consistent")
                    .with("grant", id.clone()),
            ),
            (Some(i), _) => Ok(i),
        }
    }

    fn key_usable(&self, key_ref: Option<&str>) -> Result<(), GrantFailure> {
        let known = key_ref.is_none_or(|r| self.key.resolve(r) != KeyReference::Unknown);
        if !known || self.key.state == catalogue::KeyState::Deleted {
            return Err(GrantFailure::new(
                "NotFoundException",
                "grant.error.key-not-found",
            ));
        }
        Ok(())
    }

    /// Does an identity policy of the caller allow (and none deny) `op`?
    fn iam(
        &self,
        principal: &Principal,
        op: &'static Operation,
        context: &[(String, ContextValue)],
    ) -> (bool, bool) {
        let Principal::Aws(p) = principal else {
            return (false, false);
        };
        let role = principal.principal_arn().unwrap_or(&p.arn);
        let req = KmsRequest {
            principal,
            operation: op,
            key: None,
            encryption_context: &[],
            context,
            grant_tokens: &[],
            organization: self.organization.as_ref(),
            session_policies: &[],
            vpc_endpoint: None,
        };
        let ctx = build_context(&self.key, &req, &KeyReference::Key);
        let request = Request {
            principal,
            action: catalogue::action_lower(op),
            resource: &self.key.arn,
            context: &ctx,
        };
        let mut allow = false;
        let mut deny = false;
        for identity in self
            .identities
            .iter()
            .filter(|i| i.arn == p.arn || i.arn == role)
        {
            for policy in identity.policies.iter().flatten() {
                let v = evaluate(policy, &request, true);
                allow |= v.allow_direct.is_some();
                deny |= v.deny.is_some();
            }
        }
        (allow, deny)
    }

    /// RetireGrant at `now`.
    pub fn retire_grant(
        &mut self,
        req: &EndGrantRequest,
        now: Time,
    ) -> Result<EndedGrant, GrantFailure> {
        self.settle(now);
        self.key_usable(req.key.as_deref())?;
        let i = self.find(&req.grant, now)?;
        let op = catalogue::operation("RetireGrant").expect("RetireGrant is in the catalogue");
        let (iam_allows, iam_denies) = self.iam(&req.principal, op, &req.context);
        let denied = |code| GrantFailure::new("AccessDeniedException", code);
        if iam_denies {
            return Err(denied("grant.error.retire-denied"));
        }
        let e = &self.entries[i];
        let account = req.principal.account().map(str::to_string);
        let is_root =
            matches!(&req.principal, Principal::Aws(p) if p.kind == AwsPrincipalKind::Root);
        let root_of = |a: &str| format!("arn:aws:iam::{a}:root");
        let by_account = |who: &str| {
            account
                .as_deref()
                .is_some_and(|a| who == root_of(a) && (is_root || iam_allows))
        };
        let authority = if e
            .grant
            .retiring_principal
            .as_deref()
            .is_some_and(|r| grantee_matches(r, &req.principal))
        {
            "retiring-principal"
        } else if e
            .grant
            .retiring_principal
            .as_deref()
            .is_some_and(by_account)
        {
            "delegated"
        } else if e.grant.operations.iter().any(|o| o.name == "RetireGrant")
            && (grantee_matches(&e.grant.grantee, &req.principal) || by_account(&e.grant.grantee))
        {
            "grantee"
        } else if account.as_deref() == Some(self.key.account.as_str()) && is_root {
            "issuing-account"
        } else if account.as_deref() == Some(self.key.account.as_str()) && iam_allows {
            "delegated"
        } else {
            return Err(denied("grant.error.retire-not-allowed")
                .with("grant", e.grant.id.clone())
                .with("caller", principal_text(&req.principal).unwrap_or_default()));
        };
        Ok(self.end(i, now, false, &req.principal, authority, None))
    }

    fn end(
        &mut self,
        i: usize,
        now: Time,
        revoked: bool,
        by: &Principal,
        authority: &'static str,
        authorization: Option<Authorization>,
    ) -> EndedGrant {
        self.entries[i].ended = Some(GrantEnd {
            at: now,
            revoked,
            by: principal_text(by).unwrap_or_default(),
        });
        self.settle(now);
        EndedGrant {
            grant_id: self.entries[i].grant.id.clone(),
            authority,
            effective_until: now.plus_seconds(CONSISTENCY_SECONDS),
            authorization,
        }
    }

    fn authorize_op(
        &mut self,
        name: &str,
        principal: &Principal,
        key: Option<&str>,
        context: &[(String, ContextValue)],
    ) -> Authorization {
        let op = catalogue::operation(name).expect("grant operations are in the catalogue");
        let mut context = context.to_vec();
        if !context_has(&context, "kms:GrantIsForAWSResource") {
            let via = context_has(&context, "kms:ViaService");
            context.push((
                "kms:GrantIsForAWSResource".into(),
                ContextValue::Single(via.to_string()),
            ));
        }
        let req = KmsRequest {
            principal,
            operation: op,
            key,
            encryption_context: &[],
            context: &context,
            grant_tokens: &[],
            organization: self.organization.as_ref(),
            session_policies: &[],
            vpc_endpoint: None,
        };
        authorize(&self.key, &self.identities, &req, false)
    }

    /// RevokeGrant at `now`.
    pub fn revoke_grant(
        &mut self,
        req: &EndGrantRequest,
        now: Time,
    ) -> Result<EndedGrant, GrantFailure> {
        self.settle(now);
        let auth = self.authorize_op(
            "RevokeGrant",
            &req.principal,
            req.key.as_deref(),
            &req.context,
        );
        if auth.outcome != Outcome::Success {
            return Err(GrantFailure::from_authorization(auth));
        }
        if let GrantRef::Token(_) = req.grant {
            return Err(GrantFailure::new(
                "ValidationError",
                "grant.error.revoke-token",
            ));
        }
        let i = self.find(&req.grant, now)?;
        Ok(self.end(i, now, true, &req.principal, "policy", Some(auth)))
    }

    /// ListGrants at `now`, optionally for one grant id or grantee.
    pub fn list_grants(
        &mut self,
        principal: &Principal,
        key: Option<&str>,
        grant_id: Option<&str>,
        grantee: Option<&str>,
        now: Time,
    ) -> Result<Vec<GrantListEntry>, GrantFailure> {
        self.settle(now);
        let auth = self.authorize_op("ListGrants", principal, key, &[]);
        if auth.outcome != Outcome::Success {
            return Err(GrantFailure::from_authorization(auth));
        }
        Ok(self
            .grant_list(now)
            .into_iter()
            .filter(|g| grant_id.is_none_or(|id| g.grant_id == id))
            .filter(|g| grantee.is_none_or(|p| g.grantee == p))
            .collect())
    }

    /// Every grant not retired or revoked, as ListGrants shows it (no
    /// authorization: for the page).
    pub fn grant_list(&self, now: Time) -> Vec<GrantListEntry> {
        self.active()
            .map(|e| GrantListEntry {
                key_id: self.key.arn.clone(),
                grant_id: e.grant.id.clone(),
                name: e.name.clone().unwrap_or_default(),
                creation_date: e.created,
                grantee: e.grant.grantee.clone(),
                retiring_principal: e.grant.retiring_principal.clone(),
                issuing_account: format!("arn:aws:iam::{}:root", self.key.account),
                operations: e.grant.operations.iter().map(|o| o.name).collect(),
                constraint: e.grant.constraint.clone(),
                pending: e.pending_at(now),
            })
            .collect()
    }
}

fn principal_text(p: &Principal) -> Option<String> {
    match p {
        Principal::Aws(a) => Some(a.arn.clone()),
        Principal::Service(s) => Some(s.clone()),
        Principal::Anonymous => None,
    }
}
