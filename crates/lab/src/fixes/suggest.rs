//! Suggesting fixes: the candidates for a request that should pass, in
//! the key policy or the layer of the evaluation chain at fault, each
//! verified by running the engine on the changed file.

use super::apply::{add_member, apply};
use super::diff::line_diff;
use super::locate::{
    array, identity_node, key_policy_node, layer_list, layer_node, policies_of, policy_text,
};
use super::model::{param, problem_of, Fix, FixTarget, Problem};
use super::placeholders;
use crate::merge;
use crate::snippets::{policy_document, pretty, root_statement};
use kmsplay_json::{LineIndex, Node};
use kmsplay_kms::catalogue::{self, KeyClass};
use kmsplay_kms::{Authorization, Decision, Reason, Source};
use kmsplay_playground::{source_policy_of, statement_label, PlaygroundFile, PolicySource};
use kmsplay_policy::{AwsPrincipalKind, ContextValue, Principal};
use serde_json::{json, Map, Value};

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
