//! Walking the request space: for each caller and operation, every
//! combination of the values of the condition keys that the statements
//! which can apply to them read, each decided by the engine.

use crate::limit::Limit;
use crate::setting::Setting;
use crate::space::Space;
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_kms::{authorize, Authorization, Decision, Identity, Key, KmsRequest};
use kmsplay_policy::{
    arn, condition_holds, statement_parts, Condition, ContextValue, Parsed, Policy, Principal,
    PrincipalKind, Request, RequestContext, Statement,
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

/// An operation's name and, for each key-policy statement, whether its
/// action and resource can match it.
type OperationMask = (&'static str, Rc<Vec<bool>>);

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
    matchers: Matchers,
    principal_masks: RefCell<HashMap<String, Rc<Vec<u32>>>>,
    /// The last caller asked about and its statements: the checks ask
    /// for one caller's operations in a row.
    last_caller: RefCell<Option<(Principal, Rc<Vec<u32>>)>>,
    caller_identities: RefCell<HashMap<String, Rc<Vec<Identity>>>>,
    /// A few operations (one per class): searched in a row.
    operation_masks: RefCell<Vec<OperationMask>>,
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
            matchers: Matchers::new(setting),
            principal_masks: RefCell::default(),
            last_caller: RefCell::default(),
            caller_identities: RefCell::default(),
            operation_masks: RefCell::default(),
            keys: RefCell::default(),
        }
    }

    /// Does the engine allow `sample` in this setting (the whole key
    /// policy, nothing left out)?
    pub fn allows(&self, sample: &Sample) -> bool {
        self.authorize(sample).decision == Decision::Allowed
    }

    /// The engine's answer for `sample` in this setting: the whole key
    /// policy, and the caller's own identity. The engine reads only the
    /// first identity that is the caller's (its policies and boundary),
    /// and that is the one [`Self::identities`] would give it, so the
    /// answer is the one for all of them, without matching every
    /// identity of the space against the caller.
    pub fn authorize(&self, sample: &Sample) -> Authorization {
        let identities = self.callers_identities(&sample.principal);
        authorize(
            &self.setting.key,
            &identities,
            &sample.request(self.setting),
            false,
        )
    }

    fn statements(&self) -> &[Statement] {
        self.setting
            .key
            .policy
            .as_ref()
            .map_or(&[], |p| p.statements.as_slice())
    }

    /// The key-policy statements whose principal can match `principal`,
    /// in order. The engine decides it for the statements [`Matchers`]
    /// cannot rule out.
    fn principal_statements(&self, principal: &Principal) -> Rc<Vec<u32>> {
        if let Some((p, m)) = &*self.last_caller.borrow() {
            if p == principal {
                return m.clone();
            }
        }
        let name = principal_name(principal);
        let cached = self.principal_masks.borrow().get(&name).cloned();
        let list = cached.unwrap_or_else(|| {
            let list = Rc::new(self.match_principal(principal));
            self.principal_masks.borrow_mut().insert(name, list.clone());
            list
        });
        *self.last_caller.borrow_mut() = Some((principal.clone(), list.clone()));
        list
    }

    fn match_principal(&self, principal: &Principal) -> Vec<u32> {
        let ctx = RequestContext::new();
        let request = Request {
            principal,
            action: "",
            resource: &self.setting.key.arn,
            context: &ctx,
        };
        let statements = self.statements();
        let mut list = self.matchers.every.clone();
        let asked = self
            .matchers
            .always
            .iter()
            .chain(self.matchers.buckets(principal).into_iter().flatten());
        for &i in asked {
            if statement_parts(&statements[i as usize], &request, false)
                .0
                .matched()
            {
                list.push(i);
            }
        }
        list.sort_unstable();
        list.dedup();
        list
    }

    /// For each key-policy statement: can its action and resource match
    /// `operation` on the key?
    fn operation_mask(&self, operation: &'static Operation) -> Rc<Vec<bool>> {
        if let Some((_, m)) = self
            .operation_masks
            .borrow()
            .iter()
            .find(|(name, _)| *name == operation.name)
        {
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
            .push((operation.name, mask.clone()));
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

/// Which callers each key-policy statement's principal can match, worked
/// out once per setting so that a caller is matched (by the engine) only
/// against the statements that may name it. The engine's rules
/// (`kmsplay_policy::eval`'s `principal_match`): `*` matches everyone; an
/// `AWS` entry matches a caller whose ARN it is, a session whose role it
/// is (with or without the role's path), or, as `…:root`, every caller of
/// its account. So an entry naming an account can only match callers of
/// the account part of its ARN, and any other `AWS` entry only a caller
/// whose own or role's ARN has the same account part and ends in the same
/// name. A `Service` entry matches that service, without case. Anything
/// else (a `Federated` or `CanonicalUser` entry, no `Principal`, an entry
/// that is not an ARN) is asked of the engine for every caller.
struct Matchers {
    /// The statements that apply to every caller as far as their
    /// principal goes: `*`, and `NotPrincipal` (left to the engine's
    /// decision of the whole request).
    every: Vec<u32>,
    /// Asked of the engine for every caller.
    always: Vec<u32>,
    /// Statements with an `AWS` entry naming an account, by the account.
    accounts: HashMap<String, Vec<u32>>,
    /// Statements with any other `AWS` entry, by the account part of its
    /// ARN and the last `/` part of its resource part.
    named: HashMap<(String, String), Vec<u32>>,
    /// Statements with a `Service` entry, by its lower-case name.
    services: HashMap<String, Vec<u32>>,
}

/// The account part of an ARN and the last `/` part of its resource part.
fn account_and_name(text: &str) -> Option<(String, String)> {
    let parts = arn::split(text)?;
    let name = parts[5].rsplit('/').next().unwrap_or_default();
    Some((parts[4].to_string(), name.to_string()))
}

impl Matchers {
    fn new(setting: &Setting) -> Matchers {
        let statements = setting
            .key
            .policy
            .as_ref()
            .map_or(&[][..], |p| p.statements.as_slice());
        let mut m = Matchers {
            every: Vec::new(),
            always: Vec::new(),
            accounts: HashMap::new(),
            named: HashMap::new(),
            services: HashMap::new(),
        };
        fn add<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, k: K, at: u32) {
            let v = map.entry(k).or_default();
            if v.last() != Some(&at) {
                v.push(at);
            }
        }
        for (i, st) in statements.iter().enumerate() {
            let at = i as u32;
            let Some(clause) = &st.principal else {
                m.always.push(at);
                continue;
            };
            if clause.negated
                || clause
                    .items
                    .iter()
                    .any(|e| e.value.kind == PrincipalKind::Any)
            {
                m.every.push(at);
                continue;
            }
            for e in &clause.items {
                let e = &e.value;
                match e.kind {
                    PrincipalKind::Aws => match (e.account_root(), arn::split(&e.value)) {
                        (Some(root), parts) => {
                            add(&mut m.accounts, root.to_string(), at);
                            if let Some(p) = parts {
                                add(&mut m.accounts, p[4].to_string(), at);
                            }
                        }
                        (None, Some(_)) => {
                            if let Some(k) = account_and_name(&e.value) {
                                add(&mut m.named, k, at);
                            }
                        }
                        (None, None) => m.always.push(at),
                    },
                    PrincipalKind::Service => {
                        add(&mut m.services, e.value.to_ascii_lowercase(), at);
                    }
                    _ => m.always.push(at),
                }
            }
        }
        m.always.dedup();
        m
    }

    /// The statements that may name `principal` beside [`Self::always`]:
    /// for an IAM caller, those naming its account (or the account of
    /// its ARN or of its role's ARN) and those naming its ARN's or its
    /// role's account and name; for a service, those naming it.
    fn buckets<'m>(&'m self, principal: &Principal) -> Vec<&'m [u32]> {
        let mut out: Vec<&'m [u32]> = Vec::new();
        match principal {
            Principal::Aws(a) => {
                let mut arns = vec![a.arn.as_str()];
                if let kmsplay_policy::AwsPrincipalKind::AssumedRole { role_arn } = &a.kind {
                    arns.push(role_arn);
                }
                let mut accounts = vec![a.account.clone()];
                for text in arns {
                    if let Some(k) = account_and_name(text) {
                        accounts.push(k.0.clone());
                        out.extend(self.named.get(&k).map(Vec::as_slice));
                    }
                }
                accounts.sort_unstable();
                accounts.dedup();
                for k in &accounts {
                    out.extend(self.accounts.get(k).map(Vec::as_slice));
                }
            }
            Principal::Service(s) => {
                out.extend(
                    self.services
                        .get(&s.to_ascii_lowercase())
                        .map(Vec::as_slice),
                );
            }
            Principal::Anonymous => {}
        }
        out
    }
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

    /// The engine's answer for `sample` (whose caller and operation are
    /// the ones narrowed to). The key-policy statements keep their
    /// positions in the whole policy, so its sources name them as the
    /// whole setting's answer would.
    pub fn authorize(&self, sample: &Sample) -> Authorization {
        authorize(
            &self.key,
            &self.identities,
            &sample.request(self.prepared.setting),
            false,
        )
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

/// The key-policy statements that can apply to one caller and
/// operation (their principal, action and resource can match), by
/// position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// Positions in the key policy, in order.
    pub statements: Vec<u32>,
    /// Some statement of them allows, or a grant may: without either KMS
    /// allows nothing.
    pub may_allow: bool,
}

impl Prepared<'_> {
    /// The statements that can apply to `principal` and `operation`.
    pub fn live(&self, principal: &Principal, operation: &'static Operation) -> Live {
        let om = self.operation_mask(operation);
        let statements: Vec<u32> = self
            .principal_statements(principal)
            .iter()
            .copied()
            .filter(|&i| om[i as usize])
            .collect();
        let all = self.statements();
        let mut may_allow = self
            .setting
            .key
            .grants
            .iter()
            .any(|g| g.operations.iter().any(|o| o.name == operation.name));
        may_allow |= statements
            .iter()
            .any(|&i| all[i as usize].effect() == Some(kmsplay_policy::Effect::Allow));
        Live {
            statements,
            may_allow,
        }
    }
}

/// Narrows `prepared` to `principal` and `operation`.
pub fn narrow<'p>(
    prepared: &'p Prepared<'p>,
    principal: &Principal,
    operation: &'static Operation,
) -> Narrowed<'p> {
    narrow_to(prepared, principal, prepared.live(principal, operation))
}

/// Narrows `prepared` to `principal` and the statements `live` (from
/// [`Prepared::live`] for the same caller).
pub fn narrow_to<'p>(
    prepared: &'p Prepared<'p>,
    principal: &Principal,
    live: Live,
) -> Narrowed<'p> {
    let may_allow = live.may_allow;
    let key = prepared.key_with(live.statements);
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
    pub(crate) fn callers_identities(&self, principal: &Principal) -> Rc<Vec<Identity>> {
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
    Key(&'s str, Vec<&'s Option<ContextValue>>),
    KeyRef(&'s [Option<String>]),
    Context(Vec<Vec<(String, String)>>),
}

/// What the statements of the policies that take part say about the
/// values of each condition key, for merging the space's values for one
/// caller and operation: two values of a key that every condition on it
/// in these policies treats alike lead every request of theirs to the
/// same decision (`condition_holds` reads the key's value and the
/// condition's operator and values, nothing else), so one of them is
/// enough. Not merged: keys a policy variable reads (their value also
/// counts where the variable is), keys compared with a variable (the
/// comparison reads another key), keys the check itself reads, the
/// source account when there is an organization (the engine derives the
/// source's organization from it), and encryption contexts when a grant
/// for the operation constrains them (a grant compares the pairs
/// themselves).
struct Merging<'p> {
    by_key: HashMap<&'p str, Vec<&'p Condition>>,
    /// Keys whose values are all tried.
    fixed: BTreeSet<String>,
    contexts: bool,
}

impl<'p> Merging<'p> {
    fn new(
        live: &[&'p Policy],
        settings: &[&Setting],
        operation: &'static Operation,
        check_reads: &[&str],
    ) -> Merging<'p> {
        let mut by_key: HashMap<&'p str, Vec<&'p Condition>> = HashMap::new();
        let mut fixed: BTreeSet<String> = check_reads.iter().map(|k| k.to_string()).collect();
        for p in live {
            for st in &p.statements {
                for c in &st.conditions {
                    by_key.entry(c.key_lower.as_str()).or_default().push(c);
                    for v in &c.values {
                        if let Parsed::Template(t) = &v.value.parsed {
                            fixed.insert(c.key_lower.clone());
                            fixed.extend(t.variables().map(str::to_ascii_lowercase));
                        }
                    }
                }
                for r in st.resource.iter().flat_map(|r| &r.items) {
                    fixed.extend(r.value.template.variables().map(str::to_ascii_lowercase));
                }
            }
        }
        if settings.iter().any(|s| s.organization.is_some()) {
            fixed.insert("aws:sourceaccount".into());
        }
        let constrained = settings.iter().any(|s| {
            s.key.grants.iter().any(|g| {
                g.constraint.is_some() && g.operations.iter().any(|o| o.name == operation.name)
            })
        });
        let contexts =
            !constrained && !fixed.iter().any(|k| k.starts_with("kms:encryptioncontext"));
        Merging {
            by_key,
            fixed,
            contexts,
        }
    }

    /// Which conditions on `key` hold for `value` (absent: None).
    fn truths(&self, key: &str, value: Option<&ContextValue>) -> Vec<bool> {
        let mut ctx = RequestContext::new();
        if let Some(v) = value {
            ctx.insert(key, v.clone());
        }
        self.by_key
            .get(key)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|c| condition_holds(c, &ctx))
            .collect()
    }

    /// One value of each kind of `values` of `key`, in order; absent
    /// stays on its own.
    fn values<'s>(
        &self,
        key: &str,
        values: &'s [Option<ContextValue>],
    ) -> Vec<&'s Option<ContextValue>> {
        if self.fixed.contains(key) {
            return values.iter().collect();
        }
        let mut seen: Vec<Vec<bool>> = Vec::new();
        let mut out = Vec::new();
        for v in values {
            match v {
                None => out.push(v),
                Some(x) => {
                    let t = self.truths(key, Some(x));
                    if !seen.contains(&t) {
                        seen.push(t);
                        out.push(v);
                    }
                }
            }
        }
        out
    }

    /// The space's encryption contexts with each value replaced by the
    /// first of its kind (for its pair name), each once, in order.
    fn contexts(&self, space: &Space) -> Vec<Vec<(String, String)>> {
        if !self.contexts {
            return space.contexts.clone();
        }
        let names = &space.context_names;
        // For each name, each value's first value of the same kind.
        let first: Vec<Vec<usize>> = names
            .iter()
            .map(|(name, values)| {
                let key = format!("kms:encryptioncontext:{}", name.to_ascii_lowercase());
                if !self.by_key.contains_key(key.as_str()) {
                    // No condition reads it: every value is alike.
                    return vec![0; values.len()];
                }
                let truths: Vec<Vec<bool>> = values
                    .iter()
                    .map(|v| self.truths(&key, Some(&ContextValue::Single(v.clone()))))
                    .collect();
                (0..values.len())
                    .map(|j| truths.iter().position(|t| *t == truths[j]).unwrap_or(j))
                    .collect()
            })
            .collect();
        let mut seen: std::collections::HashSet<Vec<(usize, usize)>> = Default::default();
        let mut out = Vec::new();
        for c in &space.context_indices {
            let merged: Vec<(usize, usize)> = c.iter().map(|&(n, v)| (n, first[n][v])).collect();
            if seen.insert(merged.clone()) {
                out.push(crate::space::context_text(names, &merged));
            }
        }
        out
    }
}

/// Keys the check reads from a request itself (no public access asks
/// whether the caller is outside by these): their values are not merged.
pub const OUTSIDE_KEYS: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:principalorgid",
    "aws:principalorgpaths",
];

/// Calls `visit` with every request of the space for `principal` and
/// `operation`, until it returns false. Returns false when stopped.
/// Values of a key that every condition of `live` on the key treats
/// alike are tried once, and so are encryption-context values that every
/// condition on their pair name treats alike; not merged are keys a
/// policy variable reads or that are compared with one, the source
/// account when there is an organization, contexts a grant for the
/// operation constrains, and `check_reads`: keys (lower case, or a
/// `kms:encryptioncontext:` prefix for the contexts) that `visit` reads
/// itself.
#[allow(clippy::too_many_arguments)]
pub fn walk(
    space: &Space,
    settings: &[&Setting],
    live: &[&Policy],
    principal: &Principal,
    operation: &'static Operation,
    check_reads: &[&str],
    coverage: &mut Coverage,
    visit: &mut dyn FnMut(&Sample) -> bool,
) -> bool {
    let resource = settings.first().map_or("", |s| s.key.arn.as_str());
    let keys = read_keys(live, principal, operation, resource);
    let merging = Merging::new(live, settings, operation, check_reads);
    let mut dims: Vec<Dim<'_>> = Vec::new();
    // A service principal's request carries no organization or tags of
    // its caller: AWS sends those keys for IAM principals only.
    let service = matches!(principal, Principal::Service(_));
    for k in &keys {
        if service && (k.starts_with("aws:principalorg") || k.starts_with("aws:principaltag/")) {
            continue;
        }
        if let Some((written, d)) = space.domains.get(k) {
            dims.push(Dim::Key(written, merging.values(k, &d.values)));
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
        dims.push(Dim::Context(merging.contexts(space)));
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
    // One request, refilled for each combination.
    let mut sample = Sample {
        principal: principal.clone(),
        operation,
        key_ref: None,
        encryption_context: Vec::new(),
        context: Vec::new(),
        grant_tokens: space.grant_tokens.clone(),
    };
    for _ in 0..total.min(COMBINATIONS) {
        sample.key_ref = None;
        sample.encryption_context.clear();
        sample.context.clear();
        for (d, &i) in dims.iter().zip(&index) {
            match d {
                Dim::Key(k, values) => {
                    if let Some(v) = values[i] {
                        sample.context.push((k.to_string(), v.clone()));
                    }
                }
                Dim::KeyRef(refs) => sample.key_ref.clone_from(&refs[i]),
                Dim::Context(cs) => sample.encryption_context.clone_from(&cs[i]),
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

#[cfg(test)]
mod tests {
    use super::*;
    use kmsplay_policy::{parse_text, PolicyKind};

    /// The index of statements by the callers they may name leaves out
    /// no statement whose principal the engine matches: the same lists as
    /// asking the engine about every statement.
    #[test]
    fn the_principal_index_agrees_with_the_engine() {
        let principals = [
            r#""*""#,
            r#"{"AWS":"*"}"#,
            r#"{"AWS":"111122223333"}"#,
            r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
            r#"{"AWS":"arn:aws:iam::444455556666:role/Reader"}"#,
            r#"{"AWS":"arn:aws:iam::444455556666:role/team/Reader"}"#,
            r#"{"AWS":"arn:aws:iam::444455556666:user/ops/Bob"}"#,
            r#"{"AWS":"arn:aws:sts::444455556666:assumed-role/Reader/s1"}"#,
            r#"{"AWS":["arn:aws:iam::777788889999:role/A","arn:aws:iam::444455556666:root"]}"#,
            r#"{"AWS":"AIDAJQABLZS4A3QDU576Q"}"#,
            r#"{"Service":"CloudTrail.amazonaws.com"}"#,
            r#"{"Federated":"cognito-identity.amazonaws.com"}"#,
            r#"{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
        ];
        let mut statements = Vec::new();
        for p in principals {
            for element in ["Principal", "NotPrincipal"] {
                statements.push(format!(
                    r#"{{"Effect":"Deny","{element}":{p},"Action":"kms:Decrypt","Resource":"*"}}"#
                ));
            }
        }
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        );
        let policy = parse_text(&text, PolicyKind::Resource).policy.unwrap();
        let setting = Setting::from_policy(crate::DEFAULT_KEY_ARN, policy).unwrap();
        let space = Space::new(&[&setting]);
        let prepared = Prepared::new(&setting, &space);
        let mut callers = space.principals.clone();
        for extra in [
            "arn:aws:sts::444455556666:assumed-role/Reader/s1",
            "arn:aws:sts::444455556666:assumed-role/Readers/s1",
            "arn:aws:iam::444455556666:user/ops/Bob",
            "arn:aws:iam::444455556666:user/Bob",
            "arn:aws:iam::111122223333:user/Carol",
            "arn:aws:sts::777788889999:assumed-role/A/x",
            "cloudtrail.amazonaws.com",
            "CLOUDTRAIL.amazonaws.com",
            "*",
        ] {
            callers.push(Principal::parse(extra).unwrap());
        }
        let all = prepared.statements();
        for caller in &callers {
            let ctx = RequestContext::new();
            let request = Request {
                principal: caller,
                action: "",
                resource: &setting.key.arn,
                context: &ctx,
            };
            let engine: Vec<u32> = (0..all.len())
                .filter(|&i| {
                    let st = &all[i];
                    st.principal.as_ref().is_some_and(|p| p.negated)
                        || statement_parts(st, &request, false).0.matched()
                })
                .map(|i| i as u32)
                .collect();
            assert_eq!(*prepared.principal_statements(caller), engine, "{caller:?}");
        }
    }
}
