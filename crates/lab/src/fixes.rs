//! Fixes for failing requests, and the statements behind unwanted passes.
//!
//! For a request that should be allowed but is not, [`suggest`] proposes
//! the smallest policy changes that let it through, each as the new text of
//! one policy and a line diff. Every candidate is checked by running the
//! engine on the whole playground file with the change applied: the request
//! must now pass, and no request whose `expect` was met before may stop
//! meeting it; candidates that fail either test are dropped.
//!
//! What is proposed follows the documents:
//! - cross account, one half missing: the other half — an IAM policy
//!   statement of the caller naming the key ARN, or a key policy statement
//!   allowing the caller's account root
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>);
//! - same account, an IAM policy allows but the key policy does not let IAM
//!   policies count: a statement naming the caller first (least privilege),
//!   the "Enable IAM User Permissions" statement as the alternative
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>);
//! - a service principal: a statement for the service and the action with
//!   `aws:SourceArn` (or `aws:SourceAccount`) from the request, as the
//!   CloudTrail document recommends, and encryption-context conditions;
//! - an IAM user or role: a statement naming it (a role session by its
//!   role's ARN) with conditions on the request's encryption context, so the
//!   change is no broader than needed (for CloudTrail logs the documents'
//!   `StringLike` / `Null … "false"` forms, since every log file has its
//!   own `aws:s3:arn`);
//! - a statement whose condition fails is never edited (seed 002: "do not
//!   change any existing sections"): a new narrow statement is added, and
//!   the fix says which condition blocked the request.
//!
//! An explicit deny is never worked around: the fix only names the Deny
//! statement (no new text). Key-policy additions go through
//! [`crate::merge::merge`], so every byte the user wrote stays.
//!
//! The layer at fault may be another one of the evaluation chain
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>);
//! the fix then changes that layer's policy ([`FixTarget::Layer`]):
//! - no SCP at a node from the root down to the caller's account allows the
//!   action: an Allow for it in the SCP at that node
//!   (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>);
//! - the permissions boundary or the session policies allow nothing that
//!   covers the call: a statement for the action on the key in the boundary
//!   or the first session policy
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>);
//! - the VPC endpoint's policy does not allow it: a statement for the caller
//!   and the action on the key in the endpoint policy
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html>);
//! - an explicit deny in any of these (an RCP's included) is a guardrail:
//!   the fix only explains it, naming the statement and the condition the
//!   caller fails; for the identity-perimeter RCP of the KMS RCP page and a
//!   caller outside the organization it also offers the exception that page
//!   suggests for business partners, `aws:PrincipalAccount` in the Deny's
//!   negated block
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).
//!
//! When fixing the layer at fault leaves another layer refusing the call,
//! that layer's fix comes with it (`also`), so the whole chain is checked.

mod placeholders;

use crate::merge;
use crate::snippets::{compact, policy_document, pretty, render, root_statement};
use kmsplay_json::{LineIndex, Node, Span};
use kmsplay_kms::catalogue::{self, KeyClass};
use kmsplay_kms::{Authorization, Decision, Outcome, PolicyType, Reason, Source};
use kmsplay_playground::{
    source_policy_of, statement_label, Expect, FileError, PlaygroundFile, PolicySource,
};
use kmsplay_policy::{AwsPrincipalKind, ContextValue, Principal};
use serde_json::{json, Map, Value};

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
    /// half of a cross-account pair when both are missing); [`apply`]
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
    /// but the policies do not allow it: [`suggest`] applies.
    Denied,
    /// It should be refused but is allowed: [`explain_unwanted`] applies.
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

fn param<'p>(params: &'p [(&'static str, String)], name: &str) -> Option<&'p str> {
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

fn problem_of(expect: Option<Expect>, a: &Authorization) -> Option<Problem> {
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

// --- suggesting -----------------------------------------------------------------

/// For request `index` of the playground file `file_text` (whose key policy
/// may be a string or an object): fixes that make a request that should
/// pass (expect `allowed`/`Success`, or no expect but denied) pass,
/// smallest first. Each candidate is checked by re-running the engine on
/// the whole file: the request now passes and no request whose expect was
/// met before is now unmet; otherwise it is dropped. For an explicit deny
/// the only answer is a fix without text naming the Deny statement.
pub fn suggest(file_text: &str, index: usize) -> Vec<Fix> {
    suggest_at(file_text, index, MAX_LAYERS)
}

/// How many layers one fix may change, one after the other.
const MAX_LAYERS: usize = 4;

fn suggest_at(file_text: &str, index: usize, depth: usize) -> Vec<Fix> {
    let Ok(file) = kmsplay_playground::read(file_text) else {
        return Vec::new();
    };
    let Ok(root) = kmsplay_json::parse(file_text) else {
        return Vec::new();
    };
    let Some(spec) = file.requests.get(index) else {
        return Vec::new();
    };
    let before = kmsplay_playground::run(&file, false);
    let auth = &before[index].authorization;
    if problem_of(spec.expect, auth) != Some(Problem::Denied) {
        return Vec::new();
    }
    let ctx = Ctx {
        file: &file,
        text: file_text,
        root: &root,
        spec,
        index,
        auth,
    };
    if auth.decision == Decision::ExplicitDeny {
        if let Some(fixes) = ctx.guardrail_deny() {
            return fixes
                .into_iter()
                .filter_map(|f| complete(file_text, index, f, &before, depth))
                .collect();
        }
        return ctx.deny_explanation().into_iter().collect();
    }
    if let Some(fix) = ctx.layer_fix() {
        return complete(file_text, index, fix, &before, depth)
            .into_iter()
            .collect();
    }
    if auth
        .reasons
        .first()
        .is_some_and(|r| r.code == "operation-not-cross-account")
    {
        return vec![ctx.explanation("operation-not-cross-account", FixTarget::KeyPolicy)];
    }
    let mut out: Vec<Fix> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    // The documentation's placeholders filled in where they stand, before
    // any statement is added beside them.
    if let Some((mut fix, _)) = placeholders::correct_in_place(file_text, &root, &file, spec) {
        if let Some((old, first_line)) = key_policy_node(&root)
            .and_then(|n| Some((policy_text(file_text, n)?.0, ctx.first_line(n))))
        {
            fix.diff = line_diff(&old, &fix.new_text, first_line);
        }
        if let Ok(new_file) = apply(file_text, &fix) {
            if verified(&new_file, index, &before) {
                seen.push(new_file);
                out.push(fix);
            }
        }
    }
    for candidate in ctx.candidates() {
        for variant in 0..candidate.variants() {
            let Some(fix) = ctx.build(&candidate, variant) else {
                continue;
            };
            let Ok(new_file) = apply(file_text, &fix) else {
                continue;
            };
            if seen.contains(&new_file) || !verified(&new_file, index, &before) {
                continue;
            }
            seen.push(new_file);
            out.push(fix);
            break;
        }
    }
    out
}

/// A fix of a guardrail layer, checked: explanations as they are; a change
/// that lets the request through as it is, or, when another layer still
/// refuses it, together with the first fix for that layer (`also`); None
/// when nothing gets it through without breaking a request that passes.
fn complete(
    file_text: &str,
    index: usize,
    fix: Fix,
    before: &[kmsplay_playground::RequestResult],
    depth: usize,
) -> Option<Fix> {
    if !fix.changes_text() {
        return Some(fix);
    }
    let new_file = apply(file_text, &fix).ok()?;
    if verified(&new_file, index, before) {
        return Some(fix);
    }
    if depth == 0 {
        return None;
    }
    for next in suggest_at(&new_file, index, depth - 1) {
        if !next.changes_text() {
            continue;
        }
        let mut whole = fix.clone();
        let mut last = &mut whole;
        while last.also.is_some() {
            last = last.also.as_mut().expect("checked");
        }
        last.also = Some(Box::new(next));
        if apply(file_text, &whole).is_ok_and(|t| verified(&t, index, before)) {
            return Some(whole);
        }
    }
    None
}

/// The fixed file reads, request `index` passes, and every request whose
/// expect was met still meets it.
fn verified(new_file: &str, index: usize, before: &[kmsplay_playground::RequestResult]) -> bool {
    let Ok(file) = kmsplay_playground::read(new_file) else {
        return false;
    };
    if file.requests.len() != before.len() {
        return false;
    }
    let after = kmsplay_playground::run(&file, false);
    let fixed = problem_of(file.requests[index].expect, &after[index].authorization).is_none();
    fixed
        && before
            .iter()
            .zip(&after)
            .all(|(b, a)| b.expect_met != Some(true) || a.expect_met == Some(true))
}

/// A statement to add, and where.
#[derive(Debug, Clone)]
struct Candidate {
    code: &'static str,
    params: Vec<(&'static str, String)>,
    place: Place,
    /// The statement in the order tried: with the request's usual
    /// conditions, with every condition the request pins down, and
    /// without conditions; the first that passes is offered.
    statements: Vec<Value>,
    also: Option<Box<Candidate>>,
}

impl Candidate {
    fn variants(&self) -> usize {
        self.statements.len()
    }
}

#[derive(Debug, Clone)]
enum Place {
    Key,
    /// The identity's ARN as the file writes it (or the one to add).
    Identity(String),
}

struct Ctx<'a> {
    file: &'a PlaygroundFile,
    text: &'a str,
    root: &'a Node,
    spec: &'a kmsplay_playground::RequestSpec,
    /// The request's index in the file.
    index: usize,
    auth: &'a Authorization,
}

fn reason<'r>(a: &'r Authorization, codes: &[&str]) -> Option<&'r Reason> {
    a.reasons.iter().find(|r| codes.contains(&r.code))
}

fn push_unique(params: &mut Vec<(&'static str, String)>, name: &'static str, value: String) {
    if !params.iter().any(|(n, _)| *n == name) {
        params.push((name, value));
    }
}

impl Ctx<'_> {
    fn action(&self) -> String {
        format!("kms:{}", self.spec.operation.name)
    }

    /// Parameters every fix carries.
    fn base_params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("caller", self.spec.principal_text.clone()),
            ("action", self.action()),
            ("key", self.file.key.arn.clone()),
            ("account", self.file.key.account.clone()),
            (
                "caller_account",
                self.spec
                    .principal
                    .account()
                    .unwrap_or_default()
                    .to_string(),
            ),
        ]
    }

    fn explanation(&self, code: &'static str, target: FixTarget) -> Fix {
        let params = self.base_params();
        Fix {
            code,
            params,
            target,
            new_text: String::new(),
            diff: String::new(),
            also: None,
        }
    }

    fn deny_explanation(&self) -> Option<Fix> {
        match self.auth.denied_by.as_ref()? {
            Source::KeyPolicy { statement } => {
                let mut f = self.explanation("blocked-by-deny", FixTarget::KeyPolicy);
                f.params.push((
                    "statement",
                    statement_label(self.file.key.policy.as_ref(), *statement),
                ));
                Some(f)
            }
            Source::IdentityPolicy {
                identity,
                policy,
                statement,
            } => {
                let p = self
                    .file
                    .identities
                    .iter()
                    .find(|i| &i.arn == identity)
                    .and_then(|i| i.policies.get(*policy))
                    .and_then(Option::as_ref);
                let mut f = self.explanation(
                    "blocked-by-identity-deny",
                    FixTarget::IdentityPolicy {
                        identity: identity.clone(),
                        policy: Some(*policy),
                    },
                );
                f.params.push(("identity", identity.clone()));
                f.params.push(("policy", (policy + 1).to_string()));
                f.params.push(("statement", statement_label(p, *statement)));
                Some(f)
            }
            // Grants never deny; the other layers' fixes are offered by
            // `guardrail_fixes`.
            _ => None,
        }
    }

    /// The identity of the file whose policies the caller uses, by index.
    fn caller_identity(&self) -> Option<usize> {
        self.file
            .identities
            .iter()
            .position(|i| kmsplay_kms::is_callers_identity(&i.arn, &self.spec.principal))
    }

    /// The ARN an identity policy of the caller is attached to.
    fn identity_arn(&self) -> Option<String> {
        match self.caller_identity() {
            Some(i) => Some(self.file.identities[i].arn.clone()),
            None => self.spec.principal.principal_arn().map(str::to_string),
        }
    }

    /// Does the request carry `kms:EncryptionContext:*` keys at all?
    fn takes_context(&self) -> bool {
        let op = self.spec.operation;
        let key = &self.file.key;
        op.encryption_context
            && (!op.key_resource
                || catalogue::key_class(key.spec, key.usage) == KeyClass::SymmetricEncryption
                || op.needs.is_empty())
    }

    /// The conditions that keep a new statement to requests like this one:
    /// its encryption context (CloudTrail log files each have their own
    /// `aws:s3:arn`, so that pair is never pinned and the trail ARN is
    /// matched as the documents do), and for a service
    /// `aws:SourceArn` (else `aws:SourceAccount`), the CloudTrail
    /// document's best practice.
    fn request_conditions(&self, service: bool) -> Map<String, Value> {
        let mut cond: Map<String, Value> = Map::new();
        if self.takes_context() {
            for (k, v) in &self.spec.encryption_context {
                let key = format!("kms:EncryptionContext:{k}");
                match k.as_str() {
                    "aws:s3:arn" => {}
                    "aws:cloudtrail:arn" if service => {
                        // Seed 002: StringLike arn:aws:cloudtrail:*:<account>:trail/*.
                        let value = match kmsplay_policy::arn::account(v) {
                            Some(a) => format!("arn:aws:cloudtrail:*:{a}:trail/*"),
                            None => v.clone(),
                        };
                        add_condition(&mut cond, "StringLike", key, Value::String(value));
                    }
                    // Seed 002's readers: Null … "false" (trail logs only).
                    "aws:cloudtrail:arn" => add_condition(&mut cond, "Null", key, json!("false")),
                    _ => add_condition(&mut cond, "StringEquals", key, Value::String(v.clone())),
                }
            }
        }
        if service {
            let source = ["aws:SourceArn", "aws:SourceAccount"]
                .into_iter()
                .find_map(|k| self.context_value(k).map(|v| (k, v)));
            if let Some((k, v)) = source {
                add_condition(&mut cond, "StringEquals", k.into(), Value::String(v));
            }
        }
        cond
    }

    /// `conditions` plus every other condition key the request gives by
    /// hand (single values, such as `kms:ViaService`), the root user's own
    /// ARN, its exact set of encryption context keys (or none) and the
    /// key's tags as they are, for when the usual conditions are not narrow
    /// enough.
    fn narrowest(&self, conditions: &Map<String, Value>) -> Map<String, Value> {
        const SKIP: [&str; 4] = [
            "aws:currenttime",
            "aws:epochtime",
            "aws:tokenissuetime",
            "aws:multifactorauthage",
        ];
        let mut cond = conditions.clone();
        let present = |cond: &Map<String, Value>, key: &str| {
            cond.values().any(|block| {
                block
                    .as_object()
                    .is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case(key)))
            })
        };
        for (k, v) in &self.spec.context {
            let ContextValue::Single(v) = v else { continue };
            if SKIP.contains(&k.to_ascii_lowercase().as_str()) || present(&cond, k) {
                continue;
            }
            let op = if k.eq_ignore_ascii_case("aws:SourceIp") {
                "IpAddress"
            } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
                "Bool"
            } else {
                "StringEquals"
            };
            add_condition(&mut cond, op, k.clone(), Value::String(v.clone()));
        }
        // A statement for an account root also matches every principal the
        // account's IAM policies allow: for the root user itself, say so.
        if let Principal::Aws(p) = &self.spec.principal {
            if p.kind == AwsPrincipalKind::Root && !present(&cond, "aws:PrincipalArn") {
                let key = "aws:PrincipalArn".to_string();
                add_condition(&mut cond, "ArnEquals", key, Value::String(p.arn.clone()));
            }
        }
        // Exactly the request's context keys, or none at all.
        if self.takes_context() && !present(&cond, "kms:EncryptionContextKeys") {
            if self.spec.encryption_context.is_empty() {
                let key = "kms:EncryptionContextKeys".to_string();
                add_condition(&mut cond, "Null", key, json!("true"));
            } else {
                let keys: Vec<&str> = self
                    .spec
                    .encryption_context
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect();
                let key = "kms:EncryptionContextKeys".to_string();
                add_condition(&mut cond, "ForAllValues:StringEquals", key, json!(keys));
            }
        }
        if self.spec.operation.key_resource {
            for (k, v) in &self.file.key.tags {
                let key = format!("aws:ResourceTag/{k}");
                if !present(&cond, &key) {
                    add_condition(&mut cond, "StringEquals", key, Value::String(v.clone()));
                }
            }
        }
        cond
    }

    /// The statement with the request's conditions, with every hand-given
    /// key too, then with none: the first that passes is offered.
    fn variants(&self, plain: Value, conditions: Map<String, Value>) -> Vec<Value> {
        let with = |c: &Map<String, Value>| {
            let mut s = plain.clone();
            s["Condition"] = Value::Object(c.clone());
            s
        };
        let mut out = Vec::new();
        if !conditions.is_empty() {
            out.push(with(&conditions));
        }
        let narrowest = self.narrowest(&conditions);
        if narrowest != conditions {
            out.push(with(&narrowest));
        }
        out.push(plain);
        out
    }

    fn context_value(&self, name: &str) -> Option<String> {
        self.spec
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| match v {
                ContextValue::Single(s) => Some(s.clone()),
                ContextValue::Multi(_) => None,
            })
    }

    /// A key policy statement for `principal`, narrow then plain.
    fn key_statements(&self, principal: Value, conditions: Map<String, Value>) -> Vec<Value> {
        let plain = json!({
            "Effect": "Allow",
            "Principal": principal,
            "Action": self.action(),
            "Resource": "*",
        });
        self.variants(plain, conditions)
    }

    /// An identity policy statement for the key, narrow then plain.
    fn identity_statements(&self, conditions: Map<String, Value>) -> Vec<Value> {
        let plain = json!({
            "Effect": "Allow",
            "Action": self.action(),
            "Resource": self.file.key.arn,
        });
        self.variants(plain, conditions)
    }

    fn key_candidate(
        &self,
        code: &'static str,
        principal: Value,
        conditions: Map<String, Value>,
        extra: Vec<(&'static str, String)>,
    ) -> Candidate {
        let mut params = self.base_params();
        let shown = match &principal {
            Value::Object(m) => m
                .values()
                .next()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        };
        params.push(("principal", shown));
        params.extend(extra);
        Candidate {
            code,
            params,
            place: Place::Key,
            statements: self.key_statements(principal, conditions),
            also: None,
        }
    }

    fn identity_candidate(
        &self,
        code: &'static str,
        statement: Option<String>,
    ) -> Option<Candidate> {
        let identity = self.identity_arn()?;
        let mut params = self.base_params();
        params.push(("identity", identity.clone()));
        if let Some(s) = statement {
            params.push(("statement", s));
        }
        Some(Candidate {
            code,
            params,
            place: Place::Identity(identity),
            statements: self.identity_statements(self.request_conditions(false)),
            also: None,
        })
    }

    /// The key policy statement behind a reason's `statement` parameter.
    fn key_label(&self, r: &Reason) -> Option<String> {
        let index: usize = param(&r.params, "statement")?.parse().ok()?;
        Some(statement_label(self.file.key.policy.as_ref(), index))
    }

    /// Turns a key policy candidate into the "condition not met" kind when
    /// an existing statement would allow the request but for a condition.
    fn blocked_by_condition(&self, mut c: Candidate, identity: bool) -> Candidate {
        let codes: &[&str] = if identity {
            &[
                "identity-condition-not-met",
                "identity-condition-key-missing",
            ]
        } else {
            &[
                "key-policy-condition-not-met",
                "key-policy-condition-key-missing",
            ]
        };
        let Some(r) = reason(self.auth, codes) else {
            return c;
        };
        c.code = match r.code {
            "key-policy-condition-not-met" => "condition-not-met",
            "key-policy-condition-key-missing" => "condition-key-missing",
            "identity-condition-not-met" => "identity-condition-not-met",
            _ => "identity-condition-key-missing",
        };
        let label = if identity {
            let owner = param(&r.params, "identity");
            let policy: Option<usize> = param(&r.params, "policy").and_then(|p| p.parse().ok());
            let p = owner.zip(policy).and_then(|(o, n)| {
                self.file
                    .identities
                    .iter()
                    .find(|i| i.arn == o)
                    .and_then(|i| i.policies.get(n))
                    .and_then(Option::as_ref)
            });
            if let Some(n) = policy {
                push_unique(&mut c.params, "policy", (n + 1).to_string());
            }
            param(&r.params, "statement")
                .and_then(|s| s.parse().ok())
                .map(|s| statement_label(p, s))
        } else {
            self.key_label(r)
        };
        c.params.retain(|(n, _)| *n != "statement");
        c.params.push(("statement", label.unwrap_or_default()));
        for (from, to) in [
            ("operator", "operator"),
            ("key", "condition_key"),
            ("expected", "expected"),
            ("actual", "actual"),
        ] {
            push_unique(
                &mut c.params,
                to,
                param(&r.params, from).unwrap_or_default().to_string(),
            );
        }
        c
    }

    /// The candidates for this request, smallest first.
    fn candidates(&self) -> Vec<Candidate> {
        let mut out = Vec::new();
        let a = self.auth;
        match &self.spec.principal {
            Principal::Anonymous => {}
            Principal::Service(service) => {
                let cond = self.request_conditions(true);
                let c = self.key_candidate(
                    "allow-service",
                    json!({ "Service": service }),
                    cond,
                    vec![("service", service.clone())],
                );
                out.push(self.blocked_by_condition(c, false));
            }
            Principal::Aws(p) => {
                let caller = self
                    .spec
                    .principal
                    .principal_arn()
                    .unwrap_or(&p.arn)
                    .to_string();
                let me = || json!({ "AWS": caller });
                let cond = || self.request_conditions(false);
                let is_root = p.kind == AwsPrincipalKind::Root;
                if let Some(halves) = a.cross_account {
                    let account_root = json!({ "AWS": format!("arn:aws:iam::{}:root", p.account) });
                    let statement = reason(a, &["cross-account-missing-identity"])
                        .and_then(|r| self.key_label(r));
                    match (halves.key_policy, halves.identity_policy) {
                        (true, false) => {
                            if let Some(c) = self.identity_candidate("add-identity-half", statement)
                            {
                                out.push(self.blocked_by_condition(c, true));
                            }
                        }
                        (false, true) => {
                            let c = self.key_candidate(
                                "allow-account",
                                account_root,
                                cond(),
                                Vec::new(),
                            );
                            out.push(self.blocked_by_condition(c, false));
                            if !is_root {
                                let c = self.key_candidate(
                                    "allow-caller-cross-account",
                                    me(),
                                    cond(),
                                    Vec::new(),
                                );
                                out.push(self.blocked_by_condition(c, false));
                            }
                        }
                        (false, false) => {
                            let mut c =
                                self.key_candidate("both-halves", account_root, cond(), Vec::new());
                            if let Some(half) =
                                self.identity_candidate("both-halves-identity", None)
                            {
                                c.also = Some(Box::new(half));
                                out.push(c);
                            }
                        }
                        (true, true) => {}
                    }
                } else {
                    let code = a.reasons.first().map(|r| r.code).unwrap_or_default();
                    match code {
                        "iam-policy-missing" => {
                            let statement = a.reasons.first().and_then(|r| self.key_label(r));
                            if !is_root {
                                if let Some(c) =
                                    self.identity_candidate("add-iam-statement", statement)
                                {
                                    out.push(self.blocked_by_condition(c, true));
                                }
                            }
                            let c = self.key_candidate("allow-caller", me(), cond(), Vec::new());
                            out.push(self.blocked_by_condition(c, false));
                        }
                        "iam-not-delegated" => {
                            // The root user needs no IAM policy: nothing was
                            // left undelegated, the key policy just does not
                            // name it.
                            let code = if is_root {
                                "allow-caller"
                            } else {
                                "allow-caller-not-delegated"
                            };
                            let c = self.key_candidate(code, me(), cond(), Vec::new());
                            out.push(self.blocked_by_condition(c, false));
                            let mut params = self.base_params();
                            params.push(("principal", caller.clone()));
                            out.push(Candidate {
                                code: "enable-iam-policies",
                                params,
                                place: Place::Key,
                                statements: vec![root_statement(&self.file.key.account)],
                                also: None,
                            });
                        }
                        _ => {
                            let c = self.key_candidate("allow-caller", me(), cond(), Vec::new());
                            out.push(self.blocked_by_condition(c, false));
                        }
                    }
                }
            }
        }
        out
    }

    /// The fix for one variant of a candidate (None when the statement is
    /// already there or the policy cannot be edited).
    fn build(&self, c: &Candidate, variant: usize) -> Option<Fix> {
        let statement = c.statements.get(variant)?;
        let also = match &c.also {
            Some(other) => Some(Box::new(
                self.build(other, variant.min(other.variants() - 1))?,
            )),
            None => None,
        };
        let (target, old, new_text, first_line) = match &c.place {
            Place::Key => {
                let node = key_policy_node(self.root)?;
                let (old, _) = policy_text(self.text, node)?;
                let merged = merge::merge(&old, std::slice::from_ref(statement)).ok()?;
                if merged.added.is_empty() {
                    return None;
                }
                (
                    FixTarget::KeyPolicy,
                    old,
                    merged.text,
                    self.first_line(node),
                )
            }
            Place::Identity(arn) => {
                let existing = identity_node(self.root, arn).and_then(|(i, _)| {
                    let policies = self.file.identities.get(i)?.policies.iter();
                    policies
                        .enumerate()
                        .find(|(_, p)| p.is_some())
                        .map(|(j, _)| j)
                });
                match existing {
                    Some(j) => {
                        let (_, ident) = identity_node(self.root, arn)?;
                        let node = policies_of(ident)?.get(j)?;
                        let (old, _) = policy_text(self.text, node)?;
                        let merged = merge::merge(&old, std::slice::from_ref(statement)).ok()?;
                        if merged.added.is_empty() {
                            return None;
                        }
                        (
                            FixTarget::IdentityPolicy {
                                identity: arn.clone(),
                                policy: Some(j),
                            },
                            old,
                            merged.text,
                            self.first_line(node),
                        )
                    }
                    None => (
                        FixTarget::IdentityPolicy {
                            identity: arn.clone(),
                            policy: None,
                        },
                        String::new(),
                        pretty(&policy_document(vec![statement.clone()])),
                        0,
                    ),
                }
            }
        };
        let diff = line_diff(&old, &new_text, first_line);
        Some(Fix {
            code: c.code,
            params: c.params.clone(),
            target,
            new_text,
            diff,
            also,
        })
    }

    /// For a policy written as an object in the file, the file line it
    /// starts on less one (so the diff shows file line numbers); 0 for a
    /// policy given as a string.
    fn first_line(&self, node: &Node) -> usize {
        match node.value {
            kmsplay_json::Value::Object(_) => {
                LineIndex::new(self.text).position(node.span.start).line - 1
            }
            _ => 0,
        }
    }
}

// --- the other layers -------------------------------------------------------------

/// The condition of a Deny statement that makes it apply to the caller:
/// the first negated one (`StringNotEquals…`, `ArnNotLike…`: "not inside the
/// perimeter"), else the first.
fn perimeter_condition(
    trace: &kmsplay_policy::StatementTrace,
) -> Option<&kmsplay_policy::ConditionTrace> {
    trace
        .conditions
        .iter()
        .find(|c| c.operator.contains("Not"))
        .or_else(|| trace.conditions.first())
}

fn join_values(values: &[String]) -> String {
    values.join(", ")
}

impl Ctx<'_> {
    /// The file's index of the identity with this ARN.
    fn identity_index(&self, arn: &str) -> Option<usize> {
        self.file.identities.iter().position(|i| i.arn == arn)
    }

    /// For an implicit deny by a layer beyond the key policy and the
    /// identity policies (no Allow in the SCPs at a node, in the endpoint
    /// policy, in the permissions boundary or in the session policies): a
    /// statement for that layer's policy.
    fn layer_fix(&self) -> Option<Fix> {
        let r = self.auth.reasons.first()?;
        let action = self.action();
        let key = self.file.key.arn.clone();
        let mut params = self.base_params();
        let (code, source, statement) = match r.code {
            "scp-not-allowed" => {
                let node = param(&r.params, "node")?.to_string();
                let org = self.file.organization.as_ref()?;
                let list = org.scps_at(&node)?;
                // The node's first SCP that could be read, else a new one.
                let policy = list.iter().position(Option::is_some).unwrap_or(list.len());
                params.push(("node", node.clone()));
                params.push(("policy", (policy + 1).to_string()));
                // SCPs set the most an account's principals may do; the
                // key policy keeps deciding which key.
                let statement = json!({ "Effect": "Allow", "Action": action, "Resource": "*" });
                (
                    "scp-allow-action",
                    PolicySource::Scp { node, policy },
                    statement,
                )
            }
            "vpc-endpoint-not-allowed" => {
                let endpoint = param(&r.params, "endpoint")?.to_string();
                let principal = match self.spec.principal.principal_arn() {
                    Some(arn) => json!({ "AWS": arn }),
                    None => json!("*"),
                };
                params.push(("endpoint", endpoint));
                params.push((
                    "principal",
                    self.spec
                        .principal
                        .principal_arn()
                        .unwrap_or("*")
                        .to_string(),
                ));
                let statement = json!({
                    "Effect": "Allow", "Principal": principal, "Action": action, "Resource": key,
                });
                (
                    "endpoint-allow-action",
                    PolicySource::Endpoint {
                        request: self.index,
                    },
                    statement,
                )
            }
            "boundary-not-allowed" => {
                let arn = param(&r.params, "identity")?.to_string();
                let identity = self.identity_index(&arn)?;
                params.push(("identity", arn));
                let statement = json!({ "Effect": "Allow", "Action": action, "Resource": key });
                (
                    "boundary-allow-action",
                    PolicySource::Boundary { identity },
                    statement,
                )
            }
            "session-policy-not-allowed" => {
                params.push(("policy", "1".to_string()));
                let statement = json!({ "Effect": "Allow", "Action": action, "Resource": key });
                (
                    "session-allow-action",
                    PolicySource::Session {
                        request: self.index,
                        policy: 0,
                    },
                    statement,
                )
            }
            _ => return None,
        };
        params.push(("path", source.path()));
        self.layer_edit(code, params, source, &statement)
    }

    /// A fix adding `statement` to the layer policy at `source` (a new
    /// policy when the list has none there).
    fn layer_edit(
        &self,
        code: &'static str,
        params: Vec<(&'static str, String)>,
        source: PolicySource,
        statement: &Value,
    ) -> Option<Fix> {
        let (old, new_text, first_line) = match layer_node(self.root, &source) {
            Some(node) => {
                let (old, _) = policy_text(self.text, node)?;
                let merged = merge::merge(&old, std::slice::from_ref(statement)).ok()?;
                if merged.added.is_empty() {
                    return None;
                }
                (old, merged.text, self.first_line(node))
            }
            None => {
                layer_list(self.root, &source)?;
                (
                    String::new(),
                    pretty(&policy_document(vec![statement.clone()])),
                    0,
                )
            }
        };
        let diff = line_diff(&old, &new_text, first_line);
        Some(Fix {
            code,
            params,
            target: FixTarget::Layer(source),
            new_text,
            diff,
            also: None,
        })
    }

    /// For an explicit deny in an SCP, an RCP, the endpoint policy, the
    /// permissions boundary or a session policy: the explanation (a
    /// guardrail is not weakened), and for the identity-perimeter RCP the
    /// trusted-account exception. None when the Deny is the key policy's
    /// or an identity policy's.
    fn guardrail_deny(&self) -> Option<Vec<Fix>> {
        let denied = self.auth.denied_by.as_ref()?;
        let (code, source, statement) = match denied {
            Source::Scp {
                node,
                policy,
                statement,
            } => (
                "scp-deny",
                PolicySource::Scp {
                    node: node.clone(),
                    policy: *policy,
                },
                *statement,
            ),
            Source::Rcp {
                node,
                policy,
                statement,
            } => (
                "rcp-deny",
                PolicySource::Rcp {
                    node: node.clone(),
                    policy: *policy,
                },
                *statement,
            ),
            Source::VpcEndpoint { statement, .. } => (
                "endpoint-deny",
                PolicySource::Endpoint {
                    request: self.index,
                },
                *statement,
            ),
            Source::PermissionsBoundary {
                identity,
                statement,
            } => (
                "boundary-deny",
                PolicySource::Boundary {
                    identity: self.identity_index(identity)?,
                },
                *statement,
            ),
            Source::SessionPolicy { policy, statement } => (
                "session-deny",
                PolicySource::Session {
                    request: self.index,
                    policy: *policy,
                },
                *statement,
            ),
            _ => return None,
        };
        let mut params = self.base_params();
        params.push(("path", source.path()));
        params.push((
            "statement",
            statement_label(source_policy_of(self.file, &source), statement),
        ));
        match denied {
            Source::Scp { node, .. } | Source::Rcp { node, .. } => {
                params.push(("node", node.clone()));
            }
            Source::VpcEndpoint { endpoint, .. } => params.push(("endpoint", endpoint.clone())),
            Source::PermissionsBoundary { identity, .. } => {
                params.push(("identity", identity.clone()));
            }
            _ => {}
        }
        // The condition the caller fails, as the engine traced it.
        let traced = self.deny_trace(denied);
        let condition = traced.as_ref().and_then(perimeter_condition);
        params.push((
            "operator",
            condition.map(|c| c.operator.clone()).unwrap_or_default(),
        ));
        params.push((
            "condition_key",
            condition.map(|c| c.key.clone()).unwrap_or_default(),
        ));
        params.push((
            "expected",
            condition
                .map(|c| join_values(&c.policy_values))
                .unwrap_or_default(),
        ));
        params.push((
            "actual",
            condition
                .and_then(|c| c.request_values.as_deref())
                .map(join_values)
                .unwrap_or_else(|| "—".to_string()),
        ));
        let explanation = Fix {
            code,
            params: params.clone(),
            target: FixTarget::Layer(source.clone()),
            new_text: String::new(),
            diff: String::new(),
            also: None,
        };
        let mut out = vec![explanation];
        if let (PolicySource::Rcp { .. }, Some(c)) = (&source, condition) {
            if let Some(f) = self.partner_exception(&source, statement, c, params) {
                out.push(f);
            }
        }
        Some(out)
    }

    /// The engine's trace of the Deny statement that decided.
    fn deny_trace(&self, denied: &Source) -> Option<kmsplay_policy::StatementTrace> {
        let r = kmsplay_playground::decide(self.file, self.spec, true);
        let g = r.authorization.detail?.guardrails?;
        let nodes = |list: &[kmsplay_kms::NodeTrace], node: &str, policy: usize, st: usize| {
            list.iter()
                .find(|n| n.node == node)
                .and_then(|n| n.policies.get(policy))
                .and_then(|p| p.get(st))
                .cloned()
        };
        match denied {
            Source::Scp {
                node,
                policy,
                statement,
            } => nodes(&g.scps, node, *policy, *statement),
            Source::Rcp {
                node,
                policy,
                statement,
            } => nodes(&g.rcps, node, *policy, *statement),
            Source::VpcEndpoint { statement, .. } => g.vpc_endpoint?.1?.get(*statement).cloned(),
            Source::PermissionsBoundary { statement, .. } => {
                g.permissions_boundary?.1.get(*statement).cloned()
            }
            Source::SessionPolicy { policy, statement } => {
                g.session_policies.get(*policy)?.get(*statement).cloned()
            }
            _ => None,
        }
    }

    /// The KMS RCP page's identity-perimeter Deny can be "customized to
    /// allow access by your business partners": for a caller of an account
    /// outside the organization, `aws:PrincipalAccount` with that account
    /// in the same negated block as `aws:PrincipalOrgID` (keys of one
    /// block must all match, so the Deny then skips that account). Not
    /// offered for any other RCP condition (the confused-deputy guard
    /// stays).
    fn partner_exception(
        &self,
        source: &PolicySource,
        statement: usize,
        condition: &kmsplay_policy::ConditionTrace,
        mut params: Vec<(&'static str, String)>,
    ) -> Option<Fix> {
        if !condition.key.eq_ignore_ascii_case("aws:PrincipalOrgID")
            || !condition.operator.starts_with("StringNotEquals")
        {
            return None;
        }
        let account = match &self.spec.principal {
            Principal::Aws(p) if !p.account.is_empty() => p.account.clone(),
            _ => return None,
        };
        if self
            .file
            .organization
            .as_ref()
            .is_some_and(|o| o.contains(&account))
        {
            return None;
        }
        let node = layer_node(self.root, source)?;
        let (old, _) = policy_text(self.text, node)?;
        let policy = kmsplay_json::parse(&old).ok()?;
        let statements = policy.get("Statement")?;
        let st = match array(statements) {
            Some(list) => list.get(statement)?,
            None if statement == 0 => statements,
            None => return None,
        };
        let block = st
            .get("Condition")?
            .as_object()?
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case(&condition.operator))?;
        let members = block.value.as_object()?;
        if members
            .iter()
            .any(|m| m.key.eq_ignore_ascii_case("aws:PrincipalAccount"))
        {
            return None;
        }
        let (at, insert) = add_member(
            &old,
            &block.value,
            "aws:PrincipalAccount",
            &json!([account]),
        );
        let mut new_text = String::with_capacity(old.len() + insert.len());
        new_text.push_str(&old[..at]);
        new_text.push_str(&insert);
        new_text.push_str(&old[at..]);
        let diff = line_diff(&old, &new_text, self.first_line(node));
        params.retain(|(n, _)| *n != "operator");
        params.push(("operator", block.key.clone()));
        Some(Fix {
            code: "rcp-partner-exception",
            params,
            target: FixTarget::Layer(source.clone()),
            new_text,
            diff,
            also: None,
        })
    }
}

/// Adds `key: value` to the `op` block of a Condition element.
fn add_condition(cond: &mut Map<String, Value>, op: &str, key: String, value: Value) {
    let block = cond
        .entry(op.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = block {
        m.insert(key, value);
    }
}

// --- the file's text ---------------------------------------------------------------

fn key_policy_node(root: &Node) -> Option<&Node> {
    root.get("key")?.get("policy")
}

fn array(node: &Node) -> Option<&[Node]> {
    match &node.value {
        kmsplay_json::Value::Array(items) => Some(items),
        _ => None,
    }
}

/// The identity whose `arn` is exactly `arn`, with its index.
fn identity_node<'n>(root: &'n Node, arn: &str) -> Option<(usize, &'n Node)> {
    array(root.get("identities")?)?
        .iter()
        .enumerate()
        .find(|(_, i)| i.get("arn").and_then(Node::as_str) == Some(arn))
}

fn policies_of(identity: &Node) -> Option<&[Node]> {
    array(identity.get("policies")?)
}

/// The list a layer policy sits in (a node's SCPs or RCPs, a request's
/// session policies); None for the policies that are not in a list.
fn layer_list<'n>(root: &'n Node, source: &PolicySource) -> Option<&'n Node> {
    match source {
        PolicySource::Scp { node, .. } => root.get("organization")?.get("scps")?.get(node),
        PolicySource::Rcp { node, .. } => root.get("organization")?.get("rcps")?.get(node),
        PolicySource::Session { request, .. } => array(root.get("requests")?)?
            .get(*request)?
            .get("session_policies"),
        _ => None,
    }
    .filter(|n| array(n).is_some())
}

/// The policy a [`PolicySource`] names, in the file's JSON.
fn layer_node<'n>(root: &'n Node, source: &PolicySource) -> Option<&'n Node> {
    let item = |list: &'n Node, i: usize| array(list)?.get(i);
    match source {
        PolicySource::Key => key_policy_node(root),
        PolicySource::Identity { identity, policy } => {
            policies_of(item(root.get("identities")?, *identity)?)?.get(*policy)
        }
        PolicySource::Boundary { identity } => {
            item(root.get("identities")?, *identity)?.get("permissions_boundary")
        }
        PolicySource::Scp { policy, .. } | PolicySource::Rcp { policy, .. } => {
            item(layer_list(root, source)?, *policy)
        }
        PolicySource::Session { policy, .. } => item(layer_list(root, source)?, *policy),
        PolicySource::Endpoint { request } => item(root.get("requests")?, *request)?
            .get("vpc_endpoint")?
            .get("policy"),
    }
}

/// A policy's text: the string's value, or the object's bytes in the file;
/// and whether it was a string.
fn policy_text(file_text: &str, node: &Node) -> Option<(String, bool)> {
    match &node.value {
        kmsplay_json::Value::String(s) => Some((s.clone(), true)),
        kmsplay_json::Value::Object(_) => {
            Some((file_text[node.span.start..node.span.end].to_string(), false))
        }
        _ => None,
    }
}

fn stale(span: Span) -> FileError {
    FileError {
        code: "file.fix-stale",
        path: String::new(),
        span,
        params: Vec::new(),
    }
}

/// Is `needle` a subsequence of `hay` (bytes in order, gaps allowed)?
pub fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.bytes();
    needle.bytes().all(|b| hay.any(|h| h == b))
}

/// Applies a fix to the file text, returning the new playground file text.
/// A key policy given as a string stays a string (its text is the fix's
/// `new_text`, which [`crate::merge::merge`] built keeping every byte of
/// the old one); a policy given as an object is replaced by the new
/// object text in place; a new identity policy (and, when needed, a new
/// identity) is added as a JSON object in the style of the file. A fix
/// that only explains leaves the text as it is. Fails when the file is not
/// JSON or the policy the fix was made for is no longer there as it was
/// (`file.fix-stale`).
pub fn apply(file_text: &str, fix: &Fix) -> Result<String, FileError> {
    if !fix.changes_text() {
        return Ok(file_text.to_string());
    }
    let root = kmsplay_json::parse(file_text).map_err(|e| FileError {
        code: e.kind.code(),
        path: String::new(),
        span: e.span,
        params: e.kind.params(),
    })?;
    let (at, remove, insert) = match &fix.target {
        FixTarget::KeyPolicy => {
            let node = key_policy_node(&root).ok_or_else(|| stale(root.span))?;
            replacement(file_text, node, fix)?
        }
        FixTarget::IdentityPolicy {
            identity,
            policy: Some(j),
        } => {
            let node = identity_node(&root, identity)
                .and_then(|(_, i)| policies_of(i)?.get(*j))
                .ok_or_else(|| stale(root.span))?;
            replacement(file_text, node, fix)?
        }
        FixTarget::IdentityPolicy {
            identity,
            policy: None,
        } => {
            let policy: Value =
                serde_json::from_str(&fix.new_text).map_err(|_| stale(root.span))?;
            let (at, insert) = match identity_node(&root, identity) {
                Some((_, node)) => match node.get("policies") {
                    Some(list) if array(list).is_some() => append_item(file_text, list, &policy),
                    Some(other) => return Err(stale(other.span)),
                    None => add_member(file_text, node, "policies", &json!([policy])),
                },
                None => {
                    let entry = json!({ "arn": identity, "policies": [policy] });
                    match root.get("identities") {
                        Some(list) if array(list).is_some() => append_item(file_text, list, &entry),
                        Some(other) => return Err(stale(other.span)),
                        None => add_member(file_text, &root, "identities", &json!([entry])),
                    }
                }
            };
            (at, 0, insert)
        }
        FixTarget::Layer(source) => match layer_node(&root, source) {
            Some(node) => replacement(file_text, node, fix)?,
            None => {
                // A new policy at the end of its list.
                let list = layer_list(&root, source).ok_or_else(|| stale(root.span))?;
                let policy: Value =
                    serde_json::from_str(&fix.new_text).map_err(|_| stale(root.span))?;
                let (at, insert) = append_item(file_text, list, &policy);
                (at, 0, insert)
            }
        },
    };
    let mut out = String::with_capacity(file_text.len() + insert.len());
    out.push_str(&file_text[..at]);
    out.push_str(&insert);
    out.push_str(&file_text[at + remove..]);
    match &fix.also {
        Some(other) => apply(&out, other),
        None => Ok(out),
    }
}

/// Replace the policy at `node` with `new_text` (as a string when it was one).
fn replacement(
    file_text: &str,
    node: &Node,
    fix: &Fix,
) -> Result<(usize, usize, String), FileError> {
    let new_text = fix.new_text.as_str();
    let (old, is_string) = policy_text(file_text, node).ok_or_else(|| stale(node.span))?;
    // Every byte the user wrote stays, except the placeholders the
    // fill-placeholders fix writes over (it changes string values only).
    if fix.code != placeholders::CODE && !is_subsequence(&old, new_text) {
        return Err(stale(node.span));
    }
    let insert = if is_string {
        let mut s = String::new();
        kmsplay_json::write_string(new_text, &mut s);
        s
    } else {
        new_text.to_string()
    };
    Ok((node.span.start, node.span.end - node.span.start, insert))
}

fn eol_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The smallest indentation of any indented line: one unit.
fn unit_of(text: &str) -> String {
    text.lines()
        .filter_map(|l| {
            let ws = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
            (!ws.is_empty() && ws.len() < l.len()).then_some(ws)
        })
        .min_by_key(|ws| ws.len())
        .unwrap_or("  ")
        .to_string()
}

/// The whitespace at the start of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The whitespace before `offset` when only whitespace precedes it on its line.
fn own_line_indent(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    before
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(before)
}

/// Where and what to insert to add `value` at the end of the array `list`.
fn append_item(text: &str, list: &Node, value: &Value) -> (usize, String) {
    let eol = eol_of(text);
    let unit = unit_of(text);
    let items = array(list).unwrap_or_default();
    if let Some(last) = items.last() {
        return match own_line_indent(text, last.span.start) {
            Some(indent) => (
                last.span.end,
                format!(",{eol}{indent}{}", render(value, indent, &unit, eol)),
            ),
            None if text[list.span.start..list.span.end].contains('\n') => {
                let indent = line_indent(text, last.span.end);
                (
                    last.span.end,
                    format!(", {}", render(value, indent, &unit, eol)),
                )
            }
            None => (last.span.end, format!(", {}", compact(value, ": ", ", "))),
        };
    }
    let inside = list.span.start + 1;
    if !text.contains('\n') {
        return (inside, compact(value, ": ", ", "));
    }
    let base = line_indent(text, list.span.start);
    let indent = format!("{base}{unit}");
    let rendered = render(value, &indent, &unit, eol);
    if text[inside..list.span.end - 1].contains('\n') {
        (inside, format!("{eol}{indent}{rendered}"))
    } else {
        (inside, format!("{eol}{indent}{rendered}{eol}{base}"))
    }
}

/// Where and what to insert to add member `key` to the object `object`.
fn add_member(text: &str, object: &Node, key: &str, value: &Value) -> (usize, String) {
    let eol = eol_of(text);
    let unit = unit_of(text);
    let mut name = String::new();
    kmsplay_json::write_string(key, &mut name);
    let members = object.as_object().unwrap_or_default();
    if let Some(last) = members.last() {
        return match own_line_indent(text, last.key_span.start) {
            Some(indent) => (
                last.value.span.end,
                format!(
                    ",{eol}{indent}{name}: {}",
                    render(value, indent, &unit, eol)
                ),
            ),
            None => (
                last.value.span.end,
                format!(", {name}: {}", compact(value, ": ", ", ")),
            ),
        };
    }
    let inside = object.span.start + 1;
    if !text.contains('\n') {
        return (inside, format!("{name}: {}", compact(value, ": ", ", ")));
    }
    let base = line_indent(text, object.span.start);
    let indent = format!("{base}{unit}");
    let rendered = render(value, &indent, &unit, eol);
    if text[inside..object.span.end - 1].contains('\n') {
        (inside, format!("{eol}{indent}{name}: {rendered}"))
    } else {
        (
            inside,
            format!("{eol}{indent}{name}: {rendered}{eol}{base}"),
        )
    }
}

// --- the diff ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Del,
    Add,
}

/// Lines without their ending (`\r\n` or `\n`); a final line break ends
/// the last line rather than starting an empty one.
fn split_lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// A unified-style diff of `old` and `new` by lines (longest common
/// subsequence), three lines of context, `@@ -a,b +c,d @@` headers whose
/// line numbers start after `first_line`.
pub fn line_diff(old: &str, new: &str, first_line: usize) -> String {
    // A policy on one line (as pasted from the console or a CLI's output)
    // would give a single `-{…}` / `+{…}` line pair nobody can read: the
    // change is shown between the formatted texts instead.
    const READABLE: usize = 160;
    let long = |t: &str| t.lines().any(|l| l.chars().count() > READABLE);
    if long(old) || long(new) {
        if let (Ok(a), Ok(b)) = (kmsplay_json::parse(old), kmsplay_json::parse(new)) {
            let (a, b) = (formatted(&a), formatted(&b));
            if !long(&a) && !long(&b) {
                return plain_line_diff(&a, &b, 0);
            }
        }
    }
    plain_line_diff(old, new, first_line)
}

/// A JSON text formatted as the page's Format button writes it.
fn formatted(node: &Node) -> String {
    pretty(&kmsplay_playground::node_value(node))
}

fn plain_line_diff(old: &str, new: &str, first_line: usize) -> String {
    let a = split_lines(old);
    let b = split_lines(new);
    // The common head and tail need no table.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops = vec![Op::Same; head];
    ops.extend(lcs(am, bm));
    ops.extend(std::iter::repeat_n(Op::Same, tail));

    // Line numbers (0-based) of each op in old and new.
    let mut rows = Vec::with_capacity(ops.len());
    let (mut i, mut j) = (0usize, 0usize);
    for op in &ops {
        rows.push((*op, i, j));
        match op {
            Op::Same => {
                i += 1;
                j += 1;
            }
            Op::Del => i += 1,
            Op::Add => j += 1,
        }
    }
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..rows.len()).filter(|&k| rows[k].0 != Op::Same).collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = (changed[k] + CONTEXT + 1).min(rows.len());
        k += 1;
        while k < changed.len() && changed[k] <= end + CONTEXT {
            end = (changed[k] + CONTEXT + 1).min(rows.len());
            k += 1;
        }
        let hunk = &rows[start..end];
        let old_count = hunk.iter().filter(|r| r.0 != Op::Add).count();
        let new_count = hunk.iter().filter(|r| r.0 != Op::Del).count();
        let old_start = if old_count == 0 {
            hunk[0].1
        } else {
            hunk[0].1 + 1
        };
        let new_start = if new_count == 0 {
            hunk[0].2
        } else {
            hunk[0].2 + 1
        };
        let offset = |n: usize, count: usize| {
            if n == 0 && count == 0 {
                // An empty side: `-0,0`, as diff writes it.
                0
            } else {
                n + first_line
            }
        };
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            offset(old_start, old_count),
            old_count,
            offset(new_start, new_count),
            new_count
        ));
        for (op, i, j) in hunk {
            let (mark, line) = match op {
                Op::Same => (' ', a[*i]),
                Op::Del => ('-', a[*i]),
                Op::Add => ('+', b[*j]),
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The edit script of a longest common subsequence of `a` and `b`.
fn lcs(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // table[i][j]: LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i] == b[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            ops.push(Op::Same);
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            ops.push(Op::Del);
            i += 1;
        } else {
            ops.push(Op::Add);
            j += 1;
        }
    }
    ops.extend(std::iter::repeat_n(Op::Del, n - i));
    ops.extend(std::iter::repeat_n(Op::Add, m - j));
    ops
}

// --- unwanted passes -------------------------------------------------------------------

/// For a request that passes but should not (its expect is a deny but it is
/// allowed): the statement(s) or grant that let it through, with where they
/// are. Empty for any other request.
pub fn explain_unwanted(file_text: &str, index: usize) -> Vec<Culprit> {
    let Ok(file) = kmsplay_playground::read(file_text) else {
        return Vec::new();
    };
    let Some(spec) = file.requests.get(index) else {
        return Vec::new();
    };
    let r = kmsplay_playground::decide(&file, spec, false);
    let a = &r.authorization;
    if problem_of(spec.expect, a) != Some(Problem::Allowed) {
        return Vec::new();
    }
    let how = a.reasons.first().map(|r| r.code).unwrap_or_default();
    let base = || {
        vec![
            ("caller", spec.principal_text.clone()),
            ("action", format!("kms:{}", spec.operation.name)),
            ("account", file.key.account.clone()),
            (
                "caller_account",
                spec.principal.account().unwrap_or_default().to_string(),
            ),
        ]
    };
    a.allowed_by
        .iter()
        // Only the key policy, IAM policies and grants ever allow.
        .filter(|s| {
            matches!(
                s,
                Source::KeyPolicy { .. } | Source::IdentityPolicy { .. } | Source::Grant { .. }
            )
        })
        .map(|source| match source {
            Source::KeyPolicy { statement } => {
                let code = match how {
                    "allowed-key-policy-and-iam" => "key-policy-delegates",
                    "allowed-cross-account" => "key-policy-cross-account",
                    _ => "key-policy-statement",
                };
                let policy = file.key.policy.as_ref();
                let mut params = base();
                params.push(("statement", statement_label(policy, *statement)));
                Culprit {
                    code,
                    params,
                    span: policy
                        .and_then(|p| p.statements.get(*statement))
                        .map(|s| s.span),
                    source: Some(PolicySource::Key),
                }
            }
            Source::IdentityPolicy {
                identity,
                policy,
                statement,
            } => {
                let index = file.identities.iter().position(|i| &i.arn == identity);
                let p = index
                    .and_then(|i| file.identities[i].policies.get(*policy))
                    .and_then(Option::as_ref);
                let mut params = base();
                params.push(("identity", identity.clone()));
                params.push(("policy", (policy + 1).to_string()));
                params.push(("statement", statement_label(p, *statement)));
                Culprit {
                    code: "identity-policy-statement",
                    params,
                    span: p.and_then(|p| p.statements.get(*statement)).map(|s| s.span),
                    source: index.map(|identity| PolicySource::Identity {
                        identity,
                        policy: *policy,
                    }),
                }
            }
            Source::Grant { id } => {
                let mut params = base();
                params.push(("grant", id.clone()));
                let span = file
                    .key
                    .grants
                    .iter()
                    .position(|g| &g.id == id)
                    .and_then(|i| {
                        let root = kmsplay_json::parse(file_text).ok()?;
                        let grants = root.get("key")?.get("grants")?;
                        array(grants)?.get(i).map(|n| n.span)
                    });
                Culprit {
                    code: "grant",
                    params,
                    span,
                    source: None,
                }
            }
            _ => unreachable!("filtered above"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_of_an_insertion() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\ne\nX\nY\nf\ng\nh\n";
        assert_eq!(
            line_diff(old, new, 0),
            "@@ -3,6 +3,8 @@\n c\n d\n e\n+X\n+Y\n f\n g\n h\n"
        );
        // File line numbers for a policy that starts on line 10.
        assert!(line_diff(old, new, 9).starts_with("@@ -12,6 +12,8 @@\n"));
    }

    #[test]
    fn diff_of_a_new_text_and_a_change() {
        assert_eq!(line_diff("", "{\n}", 0), "@@ -0,0 +1,2 @@\n+{\n+}\n");
        assert_eq!(
            line_diff("a\nb\nc", "a\nB\nc", 0),
            "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(line_diff("same", "same", 0), "");
        // Two changes far apart make two hunks.
        let old: String = (0..20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("17\n", "seventeen\n");
        let d = line_diff(&old, &new, 0);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }

    #[test]
    fn subsequences() {
        assert!(is_subsequence("ace", "abcde"));
        assert!(!is_subsequence("aec", "abcde"));
        assert!(is_subsequence("", "x"));
    }

    #[test]
    fn new_members_and_items_follow_the_style() {
        let text = "{\n  \"version\": 1,\n  \"identities\": []\n}";
        let root = kmsplay_json::parse(text).unwrap();
        let (at, s) = append_item(text, root.get("identities").unwrap(), &json!({"arn": "x"}));
        let mut out = text.to_string();
        out.insert_str(at, &s);
        assert_eq!(
            out,
            "{\n  \"version\": 1,\n  \"identities\": [\n    {\n      \"arn\": \"x\"\n    }\n  ]\n}"
        );
        let (at, s) = add_member(text, &root, "requests", &json!([]));
        let mut out = text.to_string();
        out.insert_str(at, &s);
        assert!(
            out.ends_with("\"identities\": [],\n  \"requests\": []\n}"),
            "{out}"
        );
        let one_line = r#"{"a": [1]}"#;
        let root = kmsplay_json::parse(one_line).unwrap();
        let (at, s) = append_item(one_line, root.get("a").unwrap(), &json!(2));
        let mut out = one_line.to_string();
        out.insert_str(at, &s);
        assert_eq!(out, r#"{"a": [1, 2]}"#);
    }
}
