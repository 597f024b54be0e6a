//! Walking the request space: for each caller and operation, every
//! combination of the values of the condition keys that the statements
//! which can apply to them read, each decided by the engine.

use crate::report::Limit;
use crate::setting::Setting;
use crate::space::Space;
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_kms::{authorize, Decision, Identity, Key, KmsRequest};
use kmsplay_policy::{
    statement_parts, ContextValue, Policy, Principal, Request, RequestContext, Statement,
};
use std::collections::BTreeSet;

/// How many combinations of values one caller and operation may take
/// before the walk stops short (and the answer can no longer be a Pass).
pub const COMBINATIONS: usize = 4096;

/// One request of the space.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The caller.
    pub principal: Principal,
    /// The operation.
    pub operation: &'static Operation,
    /// The key name used (None: the key ARN).
    pub key_ref: Option<String>,
    /// The encryption context.
    pub encryption_context: Vec<(String, String)>,
    /// Free condition keys.
    pub context: Vec<(String, ContextValue)>,
    /// Grant tokens sent.
    pub grant_tokens: Vec<String>,
}

impl Sample {
    /// The KMS request it makes in `setting`.
    pub fn request<'a>(&'a self, setting: &'a Setting) -> KmsRequest<'a> {
        KmsRequest {
            principal: &self.principal,
            operation: self.operation,
            key: self.key_ref.as_deref(),
            encryption_context: &self.encryption_context,
            context: &self.context,
            grant_tokens: &self.grant_tokens,
            organization: setting.organization.as_ref(),
            session_policies: &[],
            vpc_endpoint: None,
        }
    }
}

/// A setting ready for the walk: its identities with the assumed ones
/// after them (the file's own come first, so they win).
pub struct Prepared<'s> {
    /// The setting.
    pub setting: &'s Setting,
    /// The file's identities, then one allowing everything for every
    /// IAM caller of the space the file does not describe.
    pub identities: Vec<Identity>,
}

impl<'s> Prepared<'s> {
    /// Prepares `setting` for `space`.
    pub fn new(setting: &'s Setting, space: &Space) -> Prepared<'s> {
        let mut identities = setting.identities.clone();
        identities.extend(space.assumed.iter().cloned());
        Prepared {
            setting,
            identities,
        }
    }

    /// Does the engine allow `sample` in this setting (the whole key
    /// policy, nothing left out)?
    pub fn allows(&self, sample: &Sample) -> bool {
        decide(&self.setting.key, self.setting, &self.identities, sample)
    }
}

fn decide(key: &Key, setting: &Setting, identities: &[Identity], sample: &Sample) -> bool {
    authorize(key, identities, &sample.request(setting), false).decision == Decision::Allowed
}

/// A setting narrowed to one caller and operation: the key-policy
/// statements that can never apply to them are left out (their
/// principal or action does not match, whatever the context), which
/// changes no decision and makes each one cheaper.
pub struct Narrowed<'p> {
    prepared: &'p Prepared<'p>,
    key: Key,
    /// Some statement of the key policy, or a grant, may allow.
    pub may_allow: bool,
}

impl Narrowed<'_> {
    /// Does the engine allow `sample` (whose caller and operation are the
    /// ones narrowed to)?
    pub fn allows(&self, sample: &Sample) -> bool {
        decide(
            &self.key,
            self.prepared.setting,
            &self.prepared.identities,
            sample,
        )
    }
}

fn can_apply(st: &Statement, request: &Request<'_>) -> bool {
    let (principal, action, resource) = statement_parts(st, request, false);
    let variable_resource = st
        .resource
        .as_ref()
        .is_some_and(|r| r.items.iter().any(|i| i.value.compiled.is_none()));
    let negated = st.principal.as_ref().is_some_and(|p| p.negated);
    (principal.matched() || negated) && action && (resource || variable_resource)
}

/// Narrows `prepared` to `principal` and `operation`.
pub fn narrow<'p>(
    prepared: &'p Prepared<'p>,
    principal: &Principal,
    operation: &'static Operation,
) -> Narrowed<'p> {
    let ctx = RequestContext::new();
    let source = &prepared.setting.key;
    let request = Request {
        principal,
        action: catalogue::action_lower(operation),
        resource: &source.arn,
        context: &ctx,
    };
    let mut key = Key {
        policy: None,
        grants: Vec::new(),
        ..source.clone()
    };
    key.grants = source.grants.clone();
    let mut may_allow = source
        .grants
        .iter()
        .any(|g| g.operations.iter().any(|o| o.name == operation.name));
    if let Some(p) = &source.policy {
        let statements: Vec<Statement> = p
            .statements
            .iter()
            .filter(|st| can_apply(st, &request))
            .cloned()
            .collect();
        may_allow |= statements
            .iter()
            .any(|st| st.effect() == Some(kmsplay_policy::Effect::Allow));
        key.policy = Some(Policy {
            statements,
            ..Policy {
                version: p.version.clone(),
                id: None,
                statements: Vec::new(),
                span: p.span,
                condition_keys: p.condition_keys.clone(),
            }
        });
    }
    Narrowed {
        prepared,
        key,
        may_allow,
    }
}

/// The condition keys read by the statements of `policies` that can
/// apply to the caller and operation (identity policies, SCPs and the
/// like have no principal: their statements count when the action
/// matches).
fn read_keys(
    policies: &[&Policy],
    principal: &Principal,
    operation: &'static Operation,
    resource: &str,
) -> BTreeSet<String> {
    let ctx = RequestContext::new();
    let request = Request {
        principal,
        action: catalogue::action_lower(operation),
        resource,
        context: &ctx,
    };
    let mut out = BTreeSet::new();
    for p in policies {
        for st in &p.statements {
            let (pm, action, _) = statement_parts(st, &request, st.principal.is_none());
            let negated = st.principal.as_ref().is_some_and(|c| c.negated);
            if action && (pm.matched() || negated) {
                out.extend(st.conditions.iter().map(|c| c.key_lower.clone()));
                for c in &st.conditions {
                    for v in &c.values {
                        if let kmsplay_policy::Parsed::Template(t) = &v.value.parsed {
                            out.extend(t.variables().map(str::to_ascii_lowercase));
                        }
                    }
                }
                if let Some(r) = &st.resource {
                    for i in &r.items {
                        out.extend(i.value.template.variables().map(str::to_ascii_lowercase));
                    }
                }
            }
        }
    }
    out
}

/// What the walk saw beyond the requests themselves.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// Why some requests may not have been tried (empty: every class
    /// was).
    pub inexact: Vec<Limit>,
}

/// One dimension of the combinations for a caller and operation.
enum Dim<'s> {
    Key(&'s str, &'s [Option<ContextValue>]),
    KeyRef(&'s [Option<String>]),
    Context(Vec<Vec<(String, String)>>),
}

/// Calls `visit` with every request of the space for `principal` and
/// `operation`, until it returns false. Returns false when stopped.
pub fn walk(
    space: &Space,
    settings: &[&Setting],
    principal: &Principal,
    operation: &'static Operation,
    coverage: &mut Coverage,
    visit: &mut dyn FnMut(&Sample) -> bool,
) -> bool {
    let policies: Vec<&Policy> = settings.iter().flat_map(|s| s.policies()).collect();
    let resource = settings.first().map_or("", |s| s.key.arn.as_str());
    let keys = read_keys(&policies, principal, operation, resource);
    let mut dims: Vec<Dim<'_>> = Vec::new();
    // A service principal's request carries no organization or tags of
    // its caller: AWS sends those keys for IAM principals only.
    let service = matches!(principal, Principal::Service(_));
    for k in &keys {
        if service && (k.starts_with("aws:principalorg") || k.starts_with("aws:principaltag/")) {
            continue;
        }
        if let Some((written, d)) = space.domains.get(k) {
            dims.push(Dim::Key(written, &d.values));
            for reason in &d.inexact {
                coverage.inexact.push(reason.clone());
            }
        }
    }
    if keys.contains("kms:requestalias") && space.key_refs.len() > 1 {
        dims.push(Dim::KeyRef(&space.key_refs));
    }
    let context_matters = operation.encryption_context
        && (keys.iter().any(|k| k.starts_with("kms:encryptioncontext"))
            || settings.iter().any(|s| {
                s.key.grants.iter().any(|g| {
                    g.constraint.is_some() && g.operations.iter().any(|o| o.name == operation.name)
                })
            }));
    if context_matters {
        dims.push(Dim::Context(contexts(space, coverage)));
    }
    let sizes: Vec<usize> = dims
        .iter()
        .map(|d| match d {
            Dim::Key(_, v) => v.len(),
            Dim::KeyRef(v) => v.len(),
            Dim::Context(v) => v.len(),
        })
        .collect();
    let total = sizes
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(*s))
        .unwrap_or(usize::MAX);
    if total > COMBINATIONS {
        coverage.inexact.push(Limit::new(
            "combinations",
            format!("{} kms:{}", principal_name(principal), operation.name),
        ));
    }
    let mut index = vec![0usize; dims.len()];
    for _ in 0..total.min(COMBINATIONS) {
        let mut sample = Sample {
            principal: principal.clone(),
            operation,
            key_ref: None,
            encryption_context: Vec::new(),
            context: Vec::new(),
            grant_tokens: space.grant_tokens.clone(),
        };
        for (d, &i) in dims.iter().zip(&index) {
            match d {
                Dim::Key(k, values) => {
                    if let Some(v) = &values[i] {
                        sample.context.push((k.to_string(), v.clone()));
                    }
                }
                Dim::KeyRef(refs) => sample.key_ref = refs[i].clone(),
                Dim::Context(cs) => sample.encryption_context = cs[i].clone(),
            }
        }
        if !visit(&sample) {
            return false;
        }
        // The next combination (the last dimension turns fastest).
        for (slot, size) in index.iter_mut().zip(&sizes).rev() {
            *slot += 1;
            if *slot < *size {
                break;
            }
            *slot = 0;
        }
    }
    true
}

/// Every encryption context worth trying: each set of the names the
/// policies and grants name (with a fresh one), each name with each of
/// its values.
fn contexts(space: &Space, coverage: &mut Coverage) -> Vec<Vec<(String, String)>> {
    let names = &space.context_names;
    let n = names.len();
    let mut sets: Vec<Vec<usize>> = Vec::new();
    if n <= 6 {
        for mask in 0u32..(1 << n) {
            sets.push((0..n).filter(|i| mask & (1 << i) != 0).collect());
        }
    } else {
        coverage.inexact.push(Limit::new("contexts", n.to_string()));
        sets.push(Vec::new());
        for i in 0..n {
            sets.push(vec![i]);
            for j in i + 1..n {
                sets.push(vec![i, j]);
            }
        }
    }
    let mut out = Vec::new();
    for set in sets {
        let mut partial: Vec<Vec<(String, String)>> = vec![Vec::new()];
        for &i in &set {
            let (name, values) = &names[i];
            let mut next = Vec::new();
            for p in &partial {
                for v in values {
                    let mut q = p.clone();
                    q.push((name.clone(), v.clone()));
                    next.push(q);
                }
            }
            partial = next;
            if partial.len() > COMBINATIONS {
                break;
            }
        }
        out.extend(partial);
        if out.len() > COMBINATIONS {
            coverage
                .inexact
                .push(Limit::new("contexts", out.len().to_string()));
            out.truncate(COMBINATIONS);
            break;
        }
    }
    out
}

/// A caller as the playground file writes it.
pub fn principal_name(p: &Principal) -> String {
    match p {
        Principal::Aws(a) => a.arn.clone(),
        Principal::Service(s) => s.clone(),
        Principal::Anonymous => "*".into(),
    }
}
