//! Who can call an operation: every class of caller the space holds that
//! the engine allows, with the statements (and their conditions) or the
//! grants that allow it.

use crate::report::{Counterexample, Limit, Verdict};
use crate::search::{narrow, principal_name, walk, Coverage, Prepared};
use crate::setting::Setting;
use crate::space::Space;
use kmsplay_kms::catalogue::Operation;
use kmsplay_kms::Source;
use kmsplay_policy::{Principal, PrincipalKind};
use serde::Serialize;

/// The answer to "who can call this operation?".
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WhoCan {
    /// `kms:Operation`.
    pub action: String,
    /// `pass` when every class of caller was decided exactly, `unknown`
    /// when some requests could not be (the list may then miss some).
    pub result: Verdict,
    /// Each class of caller that can be allowed.
    pub callers: Vec<CallerClass>,
    /// Why the list may be incomplete.
    pub limits: Vec<Limit>,
}

/// One class of caller.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallerClass {
    /// `account-iam` (the key's account, through IAM policies), `named`
    /// (a principal a policy or grant names), `other-account`,
    /// `organization` (a member account of the file's organization),
    /// `any-account` (an account no policy names), `service`.
    pub class: &'static str,
    /// The caller's ARN (named) or service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub principal: Option<String>,
    /// The account.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub account: Option<String>,
    /// The key-policy statements that allow it (any one suffices), each
    /// with the conditions it must meet.
    pub statements: Vec<StatementConditions>,
    /// The grants that allow it.
    pub grants: Vec<String>,
    /// One allowed request.
    pub example: Counterexample,
}

/// A statement and its conditions.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementConditions {
    /// Its index, from 0.
    pub index: usize,
    /// Its `Sid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sid: Option<String>,
    /// Each condition: operator, key, values.
    pub conditions: Vec<ConditionWords>,
}

/// A condition as written.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConditionWords {
    /// The operator.
    pub operator: String,
    /// The key.
    pub key: String,
    /// The values.
    pub values: Vec<String>,
}

/// Every class of caller that can be allowed `operation` in `setting`.
pub fn who_can(setting: &Setting, operation: &'static Operation) -> WhoCan {
    let space = Space::new(&[setting]);
    let prepared = Prepared::new(setting, &space);
    let mut coverage = Coverage::default();
    let mut callers: Vec<CallerClass> = Vec::new();
    for principal in &space.principals {
        let narrowed = narrow(&prepared, principal, operation);
        if !narrowed.may_allow {
            continue;
        }
        let mut statements: Vec<StatementConditions> = Vec::new();
        let mut grants: Vec<String> = Vec::new();
        let mut example = None;
        walk(
            &space,
            &[setting],
            &narrowed.policies(),
            principal,
            operation,
            &[],
            &mut coverage,
            &mut |s| {
                // The narrowed setting decides as the whole one does and
                // names the statements by their place in the whole policy.
                let auth = narrowed.authorize(s);
                if auth.decision != kmsplay_kms::Decision::Allowed {
                    return true;
                }
                if example.is_none() {
                    // The request shown is decided again on the whole
                    // setting, as every check's are.
                    let whole = prepared.authorize(s);
                    if whole.decision != kmsplay_kms::Decision::Allowed {
                        return true;
                    }
                    example = Some(Counterexample::decided(s, setting, &whole));
                }
                for source in &auth.allowed_by {
                    match source {
                        Source::KeyPolicy { statement } => {
                            if let Some(sc) = statement_conditions(setting, *statement) {
                                if !statements.contains(&sc) {
                                    statements.push(sc);
                                }
                            }
                        }
                        Source::Grant { id } if !grants.contains(id) => grants.push(id.clone()),
                        _ => {}
                    }
                }
                true
            },
        );
        let Some(example) = example else { continue };
        let (class, named, account) = classify(setting, &space, principal);
        let same = callers
            .iter_mut()
            .find(|c| c.class == class && c.principal == named && c.account == account);
        match same {
            Some(c) => {
                for s in statements {
                    if !c.statements.contains(&s) {
                        c.statements.push(s);
                    }
                }
                for g in grants {
                    if !c.grants.contains(&g) {
                        c.grants.push(g);
                    }
                }
            }
            None => callers.push(CallerClass {
                class,
                principal: named,
                account,
                statements,
                grants,
                example,
            }),
        }
    }
    let mut limits = coverage.inexact;
    limits.extend(space.inexact.iter().cloned());
    limits.sort();
    limits.dedup();
    for c in &mut callers {
        c.statements.sort_by_key(|s| s.index);
    }
    WhoCan {
        action: format!("kms:{}", operation.name),
        result: if limits.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Unknown
        },
        callers,
        limits,
    }
}

fn statement_conditions(setting: &Setting, index: usize) -> Option<StatementConditions> {
    let st = setting.key.policy.as_ref()?.statements.get(index)?;
    Some(StatementConditions {
        index,
        sid: st.sid.as_ref().map(|s| s.value.clone()),
        conditions: st
            .conditions
            .iter()
            .map(|c| ConditionWords {
                operator: c.operator.name(),
                key: c.key.clone(),
                values: c.values.iter().map(|v| v.value.text.clone()).collect(),
            })
            .collect(),
    })
}

/// The class of a caller, and the principal or account that names it.
fn classify(
    setting: &Setting,
    space: &Space,
    principal: &Principal,
) -> (&'static str, Option<String>, Option<String>) {
    let Principal::Aws(a) = principal else {
        return ("service", Some(principal_name(principal)), None);
    };
    let named = setting.policies().iter().any(|p| {
        p.statements
            .iter()
            .flat_map(|st| st.principal.iter().flat_map(|c| &c.items))
            .any(|e| {
                e.value.kind == PrincipalKind::Aws
                    && (e.value.value == a.arn
                        || principal.principal_arn() == Some(e.value.value.as_str())
                            && a.kind != kmsplay_policy::AwsPrincipalKind::Root)
            })
    }) || setting
        .key
        .grants
        .iter()
        .any(|g| kmsplay_kms::grantee_matches(&g.grantee, principal));
    let root = a.kind == kmsplay_policy::AwsPrincipalKind::Root;
    if named && !root {
        return ("named", Some(a.arn.clone()), Some(a.account.clone()));
    }
    let account = Some(a.account.clone());
    if a.account == setting.key.account {
        ("account-iam", None, account)
    } else if a.account == space.fresh_account {
        ("any-account", None, None)
    } else if setting
        .organization
        .as_ref()
        .is_some_and(|o| o.contains(&a.account))
    {
        ("organization", None, account)
    } else {
        ("other-account", None, account)
    }
}
