//! The checks: each walks the space and re-checks every request it
//! reports with the engine, on the whole setting.

use crate::report::{Counterexample, Limit, Report, Verdict};
use crate::same::{same_surroundings, statement_ids};
use crate::search::{narrow, narrow_to, walk, Coverage, Prepared, Sample, OUTSIDE_KEYS};
use crate::setting::Setting;
use crate::space::Space;
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_policy::{ContextValue, OperatorKind, Parsed, Principal};

/// At most this many counterexamples, at most one per caller and
/// operation.
pub const MAX_COUNTEREXAMPLES: usize = 5;

/// State shared by the checks' walks.
struct Run<'a> {
    space: Space,
    settings: Vec<&'a Setting>,
    coverage: Coverage,
    found: Vec<Counterexample>,
    tried: usize,
}

impl<'a> Run<'a> {
    fn new(settings: Vec<&'a Setting>) -> Run<'a> {
        Run::in_space(Space::new(&settings), settings)
    }

    fn in_space(space: Space, settings: Vec<&'a Setting>) -> Run<'a> {
        Run {
            space,
            settings,
            coverage: Coverage::default(),
            found: Vec::new(),
            tried: 0,
        }
    }

    fn report(mut self, check: &'static str) -> Report {
        let mut limits: Vec<Limit> = self.coverage.inexact;
        limits.extend(self.space.inexact.iter().cloned());
        limits.sort();
        limits.dedup();
        let result = if !self.found.is_empty() {
            Verdict::Fail
        } else if limits.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Unknown
        };
        self.found.truncate(MAX_COUNTEREXAMPLES);
        Report {
            check,
            result,
            counterexamples: self.found,
            witness: None,
            limits,
            requests_tried: self.tried,
        }
    }
}

/// Does `new` allow a request that `old` does not? Fail with such
/// requests. The two settings must be for the same key.
///
/// A caller and operation to which the same key-policy statements apply
/// in both (the same meaning, in any order), when nothing else differs
/// (identities, grants, organization, the key), are decided alike for
/// every request, and are not walked.
pub fn no_new_access(old: &Setting, new: &Setting) -> Report {
    let mut run = Run::new(vec![old, new]);
    let p_old = Prepared::new(old, &run.space);
    let p_new = Prepared::new(new, &run.space);
    let shared = same_surroundings(old, new)
        .then(|| statement_ids(key_statements(old), key_statements(new)));
    let meanings = |ids: &[u32], live: &[u32]| {
        let mut m: Vec<u32> = live.iter().map(|&i| ids[i as usize]).collect();
        m.sort_unstable();
        m
    };
    'outer: for principal in &run.space.principals {
        for &op in &run.space.operations {
            if shown(&run.found, principal, op) {
                continue;
            }
            let l_new = p_new.live(principal, op);
            if !l_new.may_allow {
                continue;
            }
            let l_old = p_old.live(principal, op);
            if let Some((ids_old, ids_new)) = &shared {
                if meanings(ids_old, &l_old.statements) == meanings(ids_new, &l_new.statements) {
                    continue;
                }
            }
            let n_new = narrow_to(&p_new, principal, l_new);
            let n_old = narrow_to(&p_old, principal, l_old);
            let mut live = n_new.policies();
            live.extend(n_old.policies());
            let mut hit: Option<Sample> = None;
            let tried = &mut run.tried;
            walk(
                &run.space,
                &run.settings,
                &live,
                principal,
                op,
                &[],
                &mut run.coverage,
                &mut |s| {
                    *tried += 1;
                    if n_new.allows(s) && !n_old.allows(s) && p_new.allows(s) && !p_old.allows(s) {
                        hit = Some(s.clone());
                        return false;
                    }
                    true
                },
            );
            if let Some(s) = hit {
                run.found.push(Counterexample::of(&p_new, &s));
                if run.found.len() >= MAX_COUNTEREXAMPLES {
                    break 'outer;
                }
            }
        }
    }
    run.report("no-new-access")
}

fn key_statements(s: &Setting) -> &[kmsplay_policy::Statement] {
    s.key
        .policy
        .as_ref()
        .map_or(&[], |p| p.statements.as_slice())
}

/// Can a caller from outside the key's account (and outside its
/// organization) be allowed? Fail with such callers' requests.
pub fn no_public_access(setting: &Setting) -> Report {
    let mut run = Run::new(vec![setting]);
    let prepared = Prepared::new(setting, &run.space);
    let principals = run.space.principals.clone();
    let operations = run.space.operations.clone();
    find_allowed(
        &mut run,
        &prepared,
        &principals,
        &operations,
        OUTSIDE_KEYS,
        &|s| outside(setting, s),
    );
    run.report("no-public-access")
}

/// Is none of `operations` allowed to any caller (to the callers
/// `principals` name, when given: an ARN, or an account id for all of its
/// callers)? Fail with allowed requests.
pub fn access_not_granted(
    setting: &Setting,
    operations: &[&'static Operation],
    principals: &[String],
) -> Report {
    // The callers asked about are in the space (with their assumed
    // identity policies) even when no policy names them.
    let mut run = Run::in_space(Space::with_callers(&[setting], principals), vec![setting]);
    let prepared = Prepared::new(setting, &run.space);
    let callers = callers_named(&run.space, principals);
    find_allowed(&mut run, &prepared, &callers, operations, &[], &|_| true);
    run.report("access-not-granted")
}

/// Can no caller of the key's account call `kms:PutKeyPolicy` any more?
/// Pass with one that can; fail (with the refused requests of the
/// account's root user and of an IAM user) when none can.
pub fn lockout(setting: &Setting) -> Report {
    let mut run = Run::new(vec![setting]);
    let prepared = Prepared::new(setting, &run.space);
    let put = catalogue::operation("PutKeyPolicy").expect("PutKeyPolicy is in the catalogue");
    let account = setting.key.account.clone();
    let callers: Vec<Principal> = run
        .space
        .principals
        .iter()
        .filter(|p| p.account() == Some(account.as_str()))
        .cloned()
        .collect();
    find_allowed(&mut run, &prepared, &callers, &[put], &[], &|_| true);
    let found = std::mem::take(&mut run.found);
    let mut report = run.report("lockout");
    if let Some(w) = found.into_iter().next() {
        report.result = Verdict::Pass;
        report.witness = Some(w);
        return report;
    }
    if report.result == Verdict::Pass {
        // Nobody found, and the space was covered: locked out. The
        // account's root user and an IAM user (with every IAM
        // permission) show it.
        report.result = Verdict::Fail;
        for text in [
            format!("arn:aws:iam::{account}:root"),
            format!("arn:aws:iam::{account}:user/{}", crate::space::FRESH_NAME),
        ] {
            let Some(principal) = Principal::parse(&text) else {
                continue;
            };
            let sample = Sample {
                principal,
                operation: put,
                key_ref: None,
                encryption_context: Vec::new(),
                context: Vec::new(),
                grant_tokens: Vec::new(),
            };
            if !prepared.allows(&sample) {
                report
                    .counterexamples
                    .push(Counterexample::of(&prepared, &sample));
            }
        }
    }
    report
}

/// Walks `callers` × `operations` and keeps (re-checked) allowed
/// requests that `keep` accepts, one per caller and operation. `keep`
/// reads the keys `check_reads` (lower case) of a request.
fn find_allowed(
    run: &mut Run<'_>,
    prepared: &Prepared<'_>,
    callers: &[Principal],
    operations: &[&'static Operation],
    check_reads: &[&str],
    keep: &dyn Fn(&Sample) -> bool,
) {
    for principal in callers {
        for &op in operations {
            if shown(&run.found, principal, op) {
                continue;
            }
            let narrowed = narrow(prepared, principal, op);
            if !narrowed.may_allow {
                continue;
            }
            let mut hit = None;
            let tried = &mut run.tried;
            walk(
                &run.space,
                &run.settings,
                &narrowed.policies(),
                principal,
                op,
                check_reads,
                &mut run.coverage,
                &mut |s| {
                    *tried += 1;
                    if keep(s) && narrowed.allows(s) && prepared.allows(s) {
                        hit = Some(s.clone());
                        return false;
                    }
                    true
                },
            );
            if let Some(s) = hit {
                run.found.push(Counterexample::of(prepared, &s));
                if run.found.len() >= MAX_COUNTEREXAMPLES {
                    return;
                }
            }
        }
    }
}

/// Is there a counterexample already for a caller of the same account
/// (or the same service) and the same operation? One is enough to show.
fn shown(found: &[Counterexample], principal: &Principal, op: &'static Operation) -> bool {
    found.iter().any(|c| {
        c.sample.operation.name == op.name
            && match (&c.sample.principal, principal) {
                (Principal::Aws(a), Principal::Aws(b)) => a.account == b.account,
                (a, b) => a == b,
            }
    })
}

/// The callers of the space that `names` name; every caller when empty.
fn callers_named(space: &Space, names: &[String]) -> Vec<Principal> {
    if names.is_empty() {
        return space.principals.clone();
    }
    let mut out: Vec<Principal> = Vec::new();
    for n in names {
        if kmsplay_policy::is_account_id(n) {
            out.extend(
                space
                    .principals
                    .iter()
                    .filter(|p| p.account() == Some(n.as_str()))
                    .cloned(),
            );
        } else if let Some(p) = Principal::parse(n) {
            out.push(p);
        }
    }
    out
}

/// Is the caller of `sample` outside the key's account and organization?
/// A service is outside unless the request says it acts for the key's
/// account (`aws:SourceAccount`, or the account of `aws:SourceArn`) or a
/// member of its organization.
pub fn outside(setting: &Setting, sample: &Sample) -> bool {
    let key_account = setting.key.account.as_str();
    let ours = |account: &str| {
        account == key_account
            || setting
                .organization
                .as_ref()
                .is_some_and(|o| o.contains(account))
    };
    match &sample.principal {
        Principal::Aws(a) => !ours(&a.account) && !claims_named_org(setting, sample),
        Principal::Service(_) => {
            let by_account = value(sample, "aws:sourceaccount").is_some_and(ours);
            let by_arn = value(sample, "aws:sourcearn")
                .and_then(kmsplay_policy::arn::account)
                .is_some_and(ours);
            !(by_account || by_arn)
        }
        Principal::Anonymous => true,
    }
}

fn value<'s>(sample: &'s Sample, key: &str) -> Option<&'s str> {
    sample
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.values().first())
        .map(String::as_str)
}

/// Without an organization in the file, a caller whose
/// `aws:PrincipalOrgID` (or `aws:PrincipalOrgPaths`) is one the key
/// policy names with a positive operator is in the organization the
/// policy restricts to.
fn claims_named_org(setting: &Setting, sample: &Sample) -> bool {
    if setting.organization.is_some() {
        return false;
    }
    let Some(policy) = &setting.key.policy else {
        return false;
    };
    let named = |key: &str, v: &str| {
        policy
            .statements
            .iter()
            .flat_map(|st| &st.conditions)
            .filter(|c| c.key_lower == key && !c.operator.kind.is_negated())
            .filter(|c| c.operator.kind != OperatorKind::Null)
            .flat_map(|c| &c.values)
            .any(|pv| match &pv.value.parsed {
                Parsed::Text(t) => t == v,
                Parsed::Like(p) => p.matches(v),
                _ => false,
            })
    };
    sample.context.iter().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        (k == "aws:principalorgid" || k == "aws:principalorgpaths")
            && match v {
                ContextValue::Single(x) => named(&k, x),
                ContextValue::Multi(xs) => xs.iter().any(|x| named(&k, x)),
            }
    })
}
