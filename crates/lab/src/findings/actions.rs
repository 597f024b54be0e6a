//! Actions, and which statements cover which.

use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_policy::{ActionPattern, Effect, PrincipalKind, Spanned, Statement};

/// The KMS operations an action pattern matches (none for other services).
pub(super) fn kms_ops(a: &ActionPattern) -> Vec<&'static Operation> {
    let kms = a.text == "*"
        || a.text
            .split_once(':')
            .is_some_and(|(s, _)| s.eq_ignore_ascii_case("kms"));
    if !kms {
        return Vec::new();
    }
    // Most actions name one operation: look it up instead of matching the
    // pattern against every operation (a third of a 32 KB policy's lint).
    if !a.text.contains(['*', '?']) {
        return catalogue::operation(&a.text).into_iter().collect();
    }
    catalogue::OPERATIONS
        .iter()
        .filter(|op| a.pattern.matches(catalogue::action_lower(op)))
        .collect()
}

/// What a statement's `Action` covers.
pub(super) struct Actions<'s> {
    /// Each item with the KMS operations it matches (empty for NotAction).
    pub(super) items: Vec<(&'s Spanned<ActionPattern>, Vec<&'static Operation>)>,
    /// Every item is a `kms:` pattern (not `*`, not another service).
    pub(super) only_kms: bool,
    /// All of KMS: `*`, `kms:*`, or NotAction.
    pub(super) full: bool,
}

impl<'s> Actions<'s> {
    pub(super) fn of(st: &'s Statement) -> Actions<'s> {
        let Some(clause) = &st.action else {
            return Actions {
                items: Vec::new(),
                only_kms: false,
                full: false,
            };
        };
        if clause.negated {
            return Actions {
                items: Vec::new(),
                only_kms: false,
                full: true,
            };
        }
        let only_kms = clause.items.iter().all(|i| {
            i.value
                .text
                .split_once(':')
                .is_some_and(|(s, _)| s.eq_ignore_ascii_case("kms"))
        });
        let full = clause
            .items
            .iter()
            .any(|i| i.value.text == "*" || i.value.text.eq_ignore_ascii_case("kms:*"));
        Actions {
            items: clause
                .items
                .iter()
                .map(|i| (i, kms_ops(&i.value)))
                .collect(),
            only_kms,
            full,
        }
    }
}

/// Does the statement's Action/NotAction cover `action` (lower-cased)?
pub(super) fn covers_action(st: &Statement, action: &str) -> bool {
    st.action
        .as_ref()
        .is_some_and(|a| a.items.iter().any(|i| i.value.pattern.matches(action)) != a.negated)
}

/// Does the statement's Resource/NotResource cover the key (any key when
/// it is not known)?
pub(super) fn covers_key(st: &Statement, key_arn: Option<&str>) -> bool {
    let Some(r) = &st.resource else { return false };
    let Some(arn) = key_arn else {
        return !r.negated;
    };
    let hit = r.items.iter().any(|i| match &i.value.compiled {
        Some(p) => p.matches(arn),
        None => !r.negated,
    });
    hit != r.negated
}

pub(super) fn plain_allow(st: &Statement) -> bool {
    st.valid
        && st.effect() == Some(Effect::Allow)
        && st.action.as_ref().is_some_and(|a| !a.negated)
        && st.resource.as_ref().is_some_and(|r| !r.negated)
        && st.principal.as_ref().is_none_or(|p| !p.negated)
}

/// Does `b` name every principal `a` names? (Both without principals, as in
/// identity policies, count as the same.)
pub(super) fn principals_cover(b: &Statement, a: &Statement) -> bool {
    match (&b.principal, &a.principal) {
        (None, None) => true,
        (Some(pb), Some(pa)) => {
            !pa.items.is_empty()
                && pa.items.iter().all(|x| {
                    pb.items.iter().any(|y| {
                        y.value.kind == PrincipalKind::Any
                            || (y.value.kind == x.value.kind && y.value.value == x.value.value)
                    })
                })
        }
        _ => false,
    }
}

pub(super) fn actions_cover(b: &Statement, a: &Statement) -> bool {
    let (Some(ab), Some(aa)) = (&b.action, &a.action) else {
        return false;
    };
    !aa.items.is_empty()
        && aa.items.iter().all(|x| {
            let ops = kms_ops(&x.value);
            if ops.is_empty() {
                // Another service's action: covered by `*` or the same text.
                ab.items.iter().any(|y| {
                    y.value.text == "*" || y.value.text.eq_ignore_ascii_case(&x.value.text)
                })
            } else {
                ops.iter().all(|op| {
                    ab.items
                        .iter()
                        .any(|y| y.value.pattern.matches(catalogue::action_lower(op)))
                })
            }
        })
}

pub(super) fn resources_cover(b: &Statement, a: &Statement) -> bool {
    let (Some(rb), Some(ra)) = (&b.resource, &a.resource) else {
        return false;
    };
    !ra.items.is_empty()
        && ra.items.iter().all(|x| {
            rb.items
                .iter()
                .any(|y| y.value.text == "*" || y.value.text == x.value.text)
        })
}

pub(super) fn covers_mutually(a: &Statement, b: &Statement) -> bool {
    a.conditions.is_empty()
        && a.condition_span.is_none()
        && principals_cover(a, b)
        && actions_cover(a, b)
        && resources_cover(a, b)
}
