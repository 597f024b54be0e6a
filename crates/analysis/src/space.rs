//! The request space: the callers, actions, key names and condition
//! values worth trying, worked out from the constants the policies name.

use crate::limit::Limit;
use crate::setting::{allow_everything, Setting};
use crate::values::{self, Domain};
use kmsplay_kms::catalogue::{self, Operation, OPERATIONS};
use kmsplay_kms::Identity;
use kmsplay_policy::{
    arn, statement_parts, AwsPrincipalKind, Condition, Parsed, Policy, Principal, PrincipalKind,
    Request, RequestContext, Statement,
};
use std::collections::{BTreeMap, BTreeSet};

/// Condition keys the engine works out from the caller, the key, the
/// operation or the encryption context; the analysis never gives them by
/// hand (a real request cannot choose them): the callers, actions and
/// encryption contexts it tries cover them instead.
const DERIVED: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:principalisawsservice",
    "aws:principaltype",
    "aws:username",
    "aws:principalserviceprincipal",
    "kms:keyspec",
    "kms:keyusage",
    "kms:keyorigin",
    "kms:requestalias",
    "kms:resourcealiases",
    "kms:encryptioncontextkeys",
];

/// Derived from the organization, when the file has one.
const DERIVED_WITH_ORGANIZATION: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
];

/// Is `key` (lower case) derived rather than free?
pub fn derived(key: &str, organization: bool) -> bool {
    DERIVED.contains(&key)
        || key.starts_with("aws:resourcetag/")
        || key.starts_with("kms:encryptioncontext:")
        || (organization && DERIVED_WITH_ORGANIZATION.contains(&key))
}

/// The space, for a set of settings analysed together.
pub struct Space {
    /// Callers to try.
    pub principals: Vec<Principal>,
    /// One operation of every class of operations the policies and grants
    /// tell apart.
    pub operations: Vec<&'static Operation>,
    /// Key names to try: the key itself, and each alias.
    pub key_refs: Vec<Option<String>>,
    /// Free condition keys (lower case) with the name as first written
    /// and their values.
    pub domains: BTreeMap<String, (String, Domain)>,
    /// Encryption-context pair names to try and, per name, the values.
    pub context_names: Vec<(String, Vec<String>)>,
    /// The encryption contexts to try (see [`contexts_of`]).
    pub contexts: Vec<Vec<(String, String)>>,
    /// The same, each pair by its place in `context_names` (see
    /// [`context_indices`]).
    pub context_indices: Vec<Vec<(usize, usize)>>,
    /// Why they may miss some.
    pub context_limits: Vec<Limit>,
    /// Grant tokens every request sends (a caller with a grant's token
    /// can use it before it is consistent).
    pub grant_tokens: Vec<String>,
    /// Identity policies for the IAM callers the files do not describe.
    pub assumed: Vec<Identity>,
    /// Why the space may miss requests (empty: it does not).
    pub inexact: Vec<Limit>,
    /// The account whose callers are "fresh": named by no policy.
    pub fresh_account: String,
}

/// How many combinations of values one caller and operation may take
/// before the walk stops short (and the answer can no longer be a Pass).
pub const COMBINATIONS: usize = 4096;

/// The name of a fresh IAM user, role and service.
pub const FRESH_NAME: &str = "kmsplay-analysis";

impl Space {
    /// The space for `settings` (they share one key).
    pub fn new(settings: &[&Setting]) -> Space {
        Space::with_callers(settings, &[])
    }

    /// The space for `settings` with the callers `names` name too: account
    /// ids and principal ARNs a check asks about, which no policy may name
    /// (a caller of an account no policy names is otherwise only tried in
    /// the fresh account, and could not be asked about).
    pub fn with_callers(settings: &[&Setting], names: &[String]) -> Space {
        let policies: Vec<&Policy> = settings.iter().flat_map(|s| s.policies()).collect();
        let organization = settings.iter().any(|s| s.organization.is_some());
        let mut inexact = Vec::new();
        let mut by_key: BTreeMap<String, Vec<&Condition>> = BTreeMap::new();
        for p in &policies {
            for st in &p.statements {
                note_templates(st, &mut inexact, &mut by_key);
                for c in &st.conditions {
                    by_key.entry(c.key_lower.clone()).or_default().push(c);
                }
            }
        }
        let mut domains = BTreeMap::new();
        let mut context_names: Vec<(String, Vec<String>)> = Vec::new();
        for (key, conds) in &by_key {
            if let Some(name) = key.strip_prefix("kms:encryptioncontext:") {
                let d = values::domain(key, conds);
                inexact.extend(d.inexact.iter().cloned());
                let written = conds
                    .first()
                    .map(|c| c.key["kms:encryptioncontext:".len()..].to_string())
                    .unwrap_or_else(|| name.to_string());
                let vals = d
                    .values
                    .iter()
                    .flatten()
                    .filter_map(|v| v.values().first().cloned())
                    .collect();
                context_names.push((written, vals));
            } else if !derived(key, organization) {
                let d = values::domain(key, conds);
                inexact.extend(d.inexact.iter().cloned());
                let written = conds.first().map_or_else(|| key.clone(), |c| c.key.clone());
                domains.insert(key.clone(), (written, d));
            }
        }
        // Names the key set is compared with are names a context can hold.
        if let Some(conds) = by_key.get("kms:encryptioncontextkeys") {
            let d = values::domain("kms:encryptioncontextkeys", conds);
            inexact.extend(d.inexact.iter().cloned());
            for v in d.values.iter().flatten() {
                for name in v.values() {
                    add_context_name(&mut context_names, name, None);
                }
            }
        }
        for s in settings {
            for g in &s.key.grants {
                let pairs = match &g.constraint {
                    Some(kmsplay_kms::GrantConstraint::Equals(p))
                    | Some(kmsplay_kms::GrantConstraint::Subset(p)) => p.clone(),
                    None => Vec::new(),
                };
                for (k, v) in pairs {
                    add_context_name(&mut context_names, &k, Some(v));
                }
            }
        }
        add_context_name(&mut context_names, FRESH_NAME, None);
        let mut accounts = accounts(settings, &policies, &by_key);
        accounts.extend(
            names
                .iter()
                .filter_map(|n| arn::account(n).or(Some(n.as_str())))
                .filter(|a| kmsplay_policy::is_account_id(a))
                .map(str::to_string),
        );
        let fresh_account = fresh_account(&accounts);
        let mut principals = principals(settings, &policies, &by_key, &accounts, &fresh_account);
        for n in names {
            if let Some(p) = caller(n) {
                if !principals.contains(&p) {
                    principals.push(p);
                }
            }
        }
        let operations = operation_classes(settings, &policies);
        let mut key_refs: Vec<Option<String>> = vec![None];
        for s in settings {
            for a in &s.key.aliases {
                if !key_refs.contains(&Some(a.clone())) {
                    key_refs.push(Some(a.clone()));
                }
            }
        }
        let grant_tokens = settings
            .iter()
            .flat_map(|s| s.key.grants.iter().filter_map(|g| g.token.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let allow = allow_everything();
        let assumed = principals
            .iter()
            .filter_map(|p| match p {
                Principal::Aws(a) if a.kind != AwsPrincipalKind::Root => {
                    p.principal_arn().map(|arn| (a, arn.to_string()))
                }
                _ => None,
            })
            .map(|(_, arn)| Identity {
                arn,
                policies: vec![Some(allow.clone())],
                permissions_boundary: None,
            })
            .collect();
        inexact.sort();
        inexact.dedup();
        let mut context_limits = Vec::new();
        let context_indices = context_indices(&context_names, &mut context_limits);
        let contexts = context_indices
            .iter()
            .map(|c| context_text(&context_names, c))
            .collect();
        Space {
            contexts,
            context_indices,
            context_limits,
            principals,
            operations,
            key_refs,
            domains,
            context_names,
            grant_tokens,
            assumed,
            inexact,
            fresh_account,
        }
    }
}

fn add_context_name(names: &mut Vec<(String, Vec<String>)>, name: &str, value: Option<String>) {
    let at = match names.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(i) => i,
        None => {
            names.push((name.to_string(), vec!["kmsplay-other".to_string()]));
            names.len() - 1
        }
    };
    if let Some(v) = value {
        if !names[at].1.contains(&v) {
            names[at].1.push(v);
        }
    }
}

/// Policy variables tie one key's value to another's: the classes of each
/// key alone no longer tell every request apart.
fn note_templates(
    st: &Statement,
    inexact: &mut Vec<Limit>,
    by_key: &mut BTreeMap<String, Vec<&Condition>>,
) {
    let mut vars: Vec<String> = Vec::new();
    for c in &st.conditions {
        for v in &c.values {
            if let Parsed::Template(t) = &v.value.parsed {
                vars.extend(t.variables().map(str::to_ascii_lowercase));
            }
        }
    }
    if let Some(r) = &st.resource {
        for item in &r.items {
            if item.value.compiled.is_none() {
                vars.extend(item.value.template.variables().map(str::to_ascii_lowercase));
            }
        }
    }
    for v in vars {
        inexact.push(Limit::new("variable", format!("${{{v}}}")));
        by_key.entry(v).or_default();
    }
}

/// Every account a policy, a grant, an identity or the organization
/// names, and the key's.
fn accounts(
    settings: &[&Setting],
    policies: &[&Policy],
    by_key: &BTreeMap<String, Vec<&Condition>>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in settings {
        out.insert(s.key.account.clone());
        for g in &s.key.grants {
            out.extend(arn::account(&g.grantee).map(str::to_string));
        }
        for i in &s.identities {
            out.extend(arn::account(&i.arn).map(str::to_string));
        }
        if let Some(org) = &s.organization {
            out.insert(org.management_account.clone());
            out.extend(org.accounts.iter().map(|(a, _)| a.clone()));
        }
    }
    for p in policies {
        for st in &p.statements {
            for e in st.principal.iter().flat_map(|c| &c.items) {
                if e.value.kind == PrincipalKind::Aws {
                    out.extend(arn::account(&e.value.value).map(str::to_string));
                }
            }
        }
    }
    for key in [
        "aws:principalaccount",
        "kms:calleraccount",
        "aws:principalarn",
    ] {
        for c in by_key.get(key).into_iter().flatten() {
            for v in &c.values {
                let t = &v.value.text;
                if kmsplay_policy::is_account_id(t) {
                    out.insert(t.clone());
                } else if let Some(a) = arn::account(t) {
                    if kmsplay_policy::is_account_id(a) {
                        out.insert(a.to_string());
                    }
                }
            }
        }
    }
    out.retain(|a| kmsplay_policy::is_account_id(a));
    out
}

fn fresh_account(accounts: &BTreeSet<String>) -> String {
    (0u64..)
        .map(|i| format!("{:012}", 999_988_887_777 - i))
        .find(|a| !accounts.contains(a))
        .expect("a free account id")
}

/// The callers to try: in every account named, and in one no policy
/// names, its root, a user and a role session of names no policy names;
/// every principal named anywhere (a role as one of its sessions); a
/// caller for every class of the ARN patterns compared with
/// `aws:PrincipalArn`; every service named, and one that is not.
fn principals(
    settings: &[&Setting],
    policies: &[&Policy],
    by_key: &BTreeMap<String, Vec<&Condition>>,
    accounts: &BTreeSet<String>,
    fresh_account: &str,
) -> Vec<Principal> {
    let mut texts: Vec<String> = Vec::new();
    let organization = settings.iter().any(|s| s.organization.is_some());
    let reads_type = by_key.contains_key("aws:principaltype");
    let mut all_accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    all_accounts.push(fresh_account);
    for a in &all_accounts {
        texts.push(format!("arn:aws:iam::{a}:root"));
        texts.push(format!("arn:aws:iam::{a}:user/{FRESH_NAME}"));
        texts.push(format!(
            "arn:aws:sts::{a}:assumed-role/{FRESH_NAME}/{FRESH_NAME}"
        ));
        if reads_type {
            texts.push(format!("arn:aws:sts::{a}:federated-user/{FRESH_NAME}"));
        }
        if organization {
            texts.push(format!(
                "arn:aws:sts::{a}:assumed-role/AWSServiceRoleForKmsplayAnalysis/{FRESH_NAME}"
            ));
        }
    }
    let mut services = vec![format!("{FRESH_NAME}.amazonaws.com")];
    for p in policies {
        for st in &p.statements {
            for e in st.principal.iter().flat_map(|c| &c.items) {
                match e.value.kind {
                    PrincipalKind::Aws => texts.push(e.value.value.clone()),
                    PrincipalKind::Service => services.push(e.value.value.clone()),
                    _ => {}
                }
            }
        }
    }
    for s in settings {
        texts.extend(s.key.grants.iter().map(|g| g.grantee.clone()));
        texts.extend(s.identities.iter().map(|i| i.arn.clone()));
    }
    if let Some(conds) = by_key.get("aws:principalarn") {
        let d = values::domain("aws:principalarn", conds);
        // Only a pattern with a wildcard can match the same name in
        // another account; an exact ARN names one caller.
        let wild = conds
            .iter()
            .flat_map(|c| &c.values)
            .any(|v| v.value.text.contains(['*', '?', '$']));
        let variants: &[&str] = if wild { &all_accounts } else { &[] };
        for v in d.values.iter().flatten() {
            for t in v.values() {
                if let Some(parts) = arn::split(t) {
                    for a in variants {
                        texts.push(format!(
                            "arn:{}:{}:{}:{a}:{}",
                            parts[1], parts[2], parts[3], parts[5]
                        ));
                    }
                    texts.push(t.clone());
                }
            }
        }
    }
    for key in ["aws:username"] {
        for c in by_key.get(key).into_iter().flatten() {
            for v in &c.values {
                for a in &all_accounts {
                    texts.push(format!("arn:aws:iam::{a}:user/{}", v.value.text));
                }
            }
        }
    }
    for c in by_key
        .get("aws:principalserviceprincipal")
        .into_iter()
        .flatten()
    {
        services.extend(c.values.iter().map(|v| v.value.text.clone()));
    }
    let mut out: Vec<Principal> = Vec::new();
    let mut seen = BTreeSet::new();
    for t in texts.iter().chain(&services) {
        let Some(p) = caller(t) else { continue };
        let key = match &p {
            Principal::Aws(a) => a.arn.clone(),
            Principal::Service(s) => s.to_ascii_lowercase(),
            Principal::Anonymous => continue,
        };
        if seen.insert(key) {
            out.push(p);
        }
    }
    out
}

/// The caller an ARN names: a role calls as one of its sessions.
fn caller(text: &str) -> Option<Principal> {
    let p = Principal::parse(text)?;
    match &p {
        Principal::Aws(a) if a.kind == AwsPrincipalKind::Role => {
            let name = a.arn.rsplit('/').next()?;
            Principal::parse(&format!(
                "arn:aws:sts::{}:assumed-role/{name}/{FRESH_NAME}",
                a.account
            ))
        }
        Principal::Aws(a) if a.kind == AwsPrincipalKind::Other => None,
        _ => Some(p),
    }
}

/// One operation for every class of operations that every action
/// pattern of every policy, every grant, and every property of the
/// operation the engine reads treat alike.
fn operation_classes(settings: &[&Setting], policies: &[&Policy]) -> Vec<&'static Operation> {
    let nobody = Principal::Anonymous;
    let ctx = RequestContext::new();
    // Statements with the same `Action` / `NotAction` (as values, spans
    // aside) match the same operations: one of each is asked.
    let mut actions: Vec<&Statement> = Vec::new();
    for p in policies {
        for st in &p.statements {
            if !actions.iter().any(|a| same_action(a, st)) {
                actions.push(st);
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for op in OPERATIONS {
        let action = catalogue::action_lower(op);
        let request = Request {
            principal: &nobody,
            action,
            resource: "",
            context: &ctx,
        };
        let mut sig: Vec<bool> = vec![
            op.key_resource,
            op.encryption_context,
            catalogue::cross_account(op),
            op.name == "RetireGrant",
            op.needs.is_empty(),
        ];
        for st in &actions {
            sig.push(statement_parts(st, &request, true).1);
        }
        for s in settings {
            for g in &s.key.grants {
                sig.push(g.operations.iter().any(|o| o.name == op.name));
            }
        }
        if seen.insert(sig) {
            out.push(op);
        }
    }
    out
}

/// Do two statements have the same action element, spans aside?
fn same_action(a: &Statement, b: &Statement) -> bool {
    match (&a.action, &b.action) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            x.negated == y.negated
                && x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(&y.items)
                    .all(|(i, j)| i.value == j.value)
        }
        _ => false,
    }
}

/// Every encryption context worth trying: each set of the names the
/// policies and grants name (with a fresh one), each name with each of
/// its values; and why the list may be short.
pub fn contexts_of(
    names: &[(String, Vec<String>)],
    limits: &mut Vec<Limit>,
) -> Vec<Vec<(String, String)>> {
    context_indices(names, limits)
        .iter()
        .map(|c| context_text(names, c))
        .collect()
}

/// A context of [`context_indices`] as pairs of text.
pub fn context_text(
    names: &[(String, Vec<String>)],
    pairs: &[(usize, usize)],
) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|&(n, v)| (names[n].0.clone(), names[n].1[v].clone()))
        .collect()
}

/// [`contexts_of`], each pair as the place of its name in `names` and
/// of its value among the name's values.
pub fn context_indices(
    names: &[(String, Vec<String>)],
    limits: &mut Vec<Limit>,
) -> Vec<Vec<(usize, usize)>> {
    let n = names.len();
    let mut sets: Vec<Vec<usize>> = Vec::new();
    if n <= 6 {
        for mask in 0u32..(1 << n) {
            sets.push((0..n).filter(|i| mask & (1 << i) != 0).collect());
        }
    } else {
        limits.push(Limit::new("contexts", n.to_string()));
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
        let mut partial: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        for &i in &set {
            let values = &names[i].1;
            let mut next = Vec::new();
            for p in &partial {
                for v in 0..values.len() {
                    let mut q = p.clone();
                    q.push((i, v));
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
            limits.push(Limit::new("contexts", out.len().to_string()));
            out.truncate(COMBINATIONS);
            break;
        }
    }
    out
}
