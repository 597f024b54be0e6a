//! Walking the request space: for each caller and operation, every
//! combination of the values of the condition keys that the statements
//! which can apply to them read, each decided by the engine.

use crate::limit::Limit;
use crate::setting::Setting;
use crate::space::Space;
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_kms::{authorize, Decision, Identity, Key, KmsRequest};
use kmsplay_policy::{
    statement_parts, ContextValue, Policy, Principal, Request, RequestContext, Statement,
};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

pub use crate::space::COMBINATIONS;

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
/// after them (the file's own come first, so they win), and what it
/// learns about its statements as the walk asks (which callers and which
/// operations each can match), kept so that no statement is matched
/// twice against the same caller or operation.
pub struct Prepared<'s> {
    /// The setting.
    pub setting: &'s Setting,
    /// The file's identities, then one allowing everything for every
    /// IAM caller of the space the file does not describe.
    pub identities: Vec<Identity>,
    /// Where each assumed identity is in `identities`, by ARN.
    assumed: HashMap<String, usize>,
    principal_masks: RefCell<HashMap<String, Rc<Vec<bool>>>>,
    caller_identities: RefCell<HashMap<String, Rc<Vec<Identity>>>>,
    operation_masks: RefCell<HashMap<&'static str, Rc<Vec<bool>>>>,
    keys: RefCell<HashMap<Vec<u32>, Rc<Key>>>,
}

impl<'s> Prepared<'s> {
    /// Prepares `setting` for `space`.
    pub fn new(setting: &'s Setting, space: &Space) -> Prepared<'s> {
        let mut identities = setting.identities.clone();
        let assumed = space
            .assumed
            .iter()
            .enumerate()
            .map(|(i, a)| (a.arn.clone(), identities.len() + i))
            .collect();
        identities.extend(space.assumed.iter().cloned());
        Prepared {
            setting,
            identities,
            assumed,
            principal_masks: RefCell::default(),
            caller_identities: RefCell::default(),
            operation_masks: RefCell::default(),
            keys: RefCell::default(),
        }
    }

    /// Does the engine allow `sample` in this setting (the whole key
    /// policy, nothing left out)?
    pub fn allows(&self, sample: &Sample) -> bool {
        decide(&self.setting.key, self.setting, &self.identities, sample)
    }

    fn statements(&self) -> &[Statement] {
        self.setting
            .key
            .policy
            .as_ref()
            .map_or(&[], |p| p.statements.as_slice())
    }

    /// For each key-policy statement: can its principal match `principal`?
    fn principal_mask(&self, principal: &Principal) -> Rc<Vec<bool>> {
        let name = principal_name(principal);
        if let Some(m) = self.principal_masks.borrow().get(&name) {
            return m.clone();
        }
        let ctx = RequestContext::new();
        let request = Request {
            principal,
            action: "",
            resource: &self.setting.key.arn,
            context: &ctx,
        };
        let mask: Vec<bool> = self
            .statements()
            .iter()
            .map(|st| {
                let negated = st.principal.as_ref().is_some_and(|p| p.negated);
                negated || statement_parts(st, &request, false).0.matched()
            })
            .collect();
        let mask = Rc::new(mask);
        self.principal_masks.borrow_mut().insert(name, mask.clone());
        mask
    }

    /// For each key-policy statement: can its action and resource match
    /// `operation` on the key?
    fn operation_mask(&self, operation: &'static Operation) -> Rc<Vec<bool>> {
        if let Some(m) = self.operation_masks.borrow().get(operation.name) {
            return m.clone();
        }
        let ctx = RequestContext::new();
        let nobody = Principal::Anonymous;
        let request = Request {
            principal: &nobody,
            action: catalogue::action_lower(operation),
            resource: &self.setting.key.arn,
            context: &ctx,
        };
        let mask: Vec<bool> = self
            .statements()
            .iter()
            .map(|st| {
                let (_, action, resource) = statement_parts(st, &request, false);
                let variable_resource = st
                    .resource
                    .as_ref()
                    .is_some_and(|r| r.items.iter().any(|i| i.value.compiled.is_none()));
                st.valid && action && (resource || variable_resource)
            })
            .collect();
        let mask = Rc::new(mask);
        self.operation_masks
            .borrow_mut()
            .insert(operation.name, mask.clone());
        mask
    }

    /// The key with only the statements at `live`.
    fn key_with(&self, live: Vec<u32>) -> Rc<Key> {
        if let Some(k) = self.keys.borrow().get(&live) {
            return k.clone();
        }
        let source = &self.setting.key;
        let policy = source.policy.as_ref().map(|p| Policy {
            version: p.version.clone(),
            id: None,
            statements: live
                .iter()
                .map(|&i| p.statements[i as usize].clone())
                .collect(),
            span: p.span,
            condition_keys: p.condition_keys.clone(),
        });
        let key = Rc::new(Key {
            arn: source.arn.clone(),
            account: source.account.clone(),
            region: source.region.clone(),
            key_id: source.key_id.clone(),
            spec: source.spec,
            usage: source.usage,
            origin: source.origin.clone(),
            state: source.state,
            tags: source.tags.clone(),
            aliases: source.aliases.clone(),
            policy,
            grants: source.grants.clone(),
        });
        self.keys.borrow_mut().insert(live, key.clone());
        key
    }
}

fn decide(key: &Key, setting: &Setting, identities: &[Identity], sample: &Sample) -> bool {
    authorize(key, identities, &sample.request(setting), false).decision == Decision::Allowed
}

/// A setting narrowed to one caller and operation: the key-policy
/// statements that can never apply to them are left out (their
/// principal or action does not match, whatever the context), and only
/// the caller's own identities are kept, which changes no decision and
/// makes each one cheaper.
pub struct Narrowed<'p> {
    prepared: &'p Prepared<'p>,
    key: Rc<Key>,
    identities: Rc<Vec<Identity>>,
    /// Some statement of the key policy, or a grant, may allow.
    pub may_allow: bool,
}

impl Narrowed<'_> {
    /// Does the engine allow `sample` (whose caller and operation are the
    /// ones narrowed to)?
    pub fn allows(&self, sample: &Sample) -> bool {
        decide(&self.key, self.prepared.setting, &self.identities, sample)
    }

    /// The policies whose statements can apply: the narrowed key policy,
    /// the caller's identity policies and boundary, the organization's.
    pub fn policies(&self) -> Vec<&Policy> {
        let mut out: Vec<&Policy> = self.key.policy.iter().collect();
        for i in self.identities.iter() {
            out.extend(i.policies.iter().flatten());
            if let Some(Some(b)) = &i.permissions_boundary {
                out.push(b);
            }
        }
        if let Some(org) = &self.prepared.setting.organization {
            out.extend(org.policies());
        }
        out
    }
}

/// Narrows `prepared` to `principal` and `operation`.
pub fn narrow<'p>(
    prepared: &'p Prepared<'p>,
    principal: &Principal,
    operation: &'static Operation,
) -> Narrowed<'p> {
    let pm = prepared.principal_mask(principal);
    let om = prepared.operation_mask(operation);
    let live: Vec<u32> = (0..pm.len())
        .filter(|&i| pm[i] && om[i])
        .map(|i| i as u32)
        .collect();
    let statements = prepared.statements();
    let mut may_allow = prepared
        .setting
        .key
        .grants
        .iter()
        .any(|g| g.operations.iter().any(|o| o.name == operation.name));
    may_allow |= live
        .iter()
        .any(|&i| statements[i as usize].effect() == Some(kmsplay_policy::Effect::Allow));
    let key = prepared.key_with(live);
    let identities = prepared.callers_identities(principal);
    Narrowed {
        prepared,
        key,
        identities,
        may_allow,
    }
}

impl Prepared<'_> {
    /// The caller's own identities: the file's, else the assumed one.
    fn callers_identities(&self, principal: &Principal) -> Rc<Vec<Identity>> {
        let name = principal_name(principal);
        if let Some(v) = self.caller_identities.borrow().get(&name) {
            return v.clone();
        }
        let prepared = self;
        let mut identities: Vec<Identity> = prepared
            .setting
            .identities
            .iter()
            .filter(|i| kmsplay_kms::is_callers_identity(&i.arn, principal))
            .cloned()
            .collect();
        if identities.is_empty() {
            if let Some(&i) = principal
                .principal_arn()
                .and_then(|arn| prepared.assumed.get(arn))
            {
                identities.push(prepared.identities[i].clone());
            }
        }
        let identities = Rc::new(identities);
        self.caller_identities
            .borrow_mut()
            .insert(name, identities.clone());
        identities
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
    live: &[&Policy],
    principal: &Principal,
    operation: &'static Operation,
    coverage: &mut Coverage,
    visit: &mut dyn FnMut(&Sample) -> bool,
) -> bool {
    let resource = settings.first().map_or("", |s| s.key.arn.as_str());
    let keys = read_keys(live, principal, operation, resource);
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
        coverage
            .inexact
            .extend(space.context_limits.iter().cloned());
        dims.push(Dim::Context(space.contexts.clone()));
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

/// A caller as the playground file writes it.
pub fn principal_name(p: &Principal) -> String {
    match p {
        Principal::Aws(a) => a.arn.clone(),
        Principal::Service(s) => s.clone(),
        Principal::Anonymous => "*".into(),
    }
}
