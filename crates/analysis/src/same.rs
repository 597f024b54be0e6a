//! What two settings share: a no-new-access check need not walk a caller
//! and operation whose narrowed settings are the same in both (every
//! request of theirs is decided alike), so it asks here.
//!
//! Equality is on purpose strict: the structs are taken apart field by
//! field without `..`, so a field added to them later stops the build
//! here instead of being silently ignored, and the rest is compared with
//! the derived `PartialEq` (only the spans, positions and `Sid`s of key
//! policy statements, which no decision reads, are set aside). A false
//! "different" only costs a walk; a false "same" would hide new access.

use crate::setting::Setting;
use kmsplay_kms::{Grant, Identity, Key, Organization};
use kmsplay_policy::{Clause, Condition, Policy, PrincipalClause, Spanned, Statement};
use std::collections::HashMap;

/// Do `a` and `b` agree on everything that takes part in a decision but
/// their key policies' statements: the key's properties, aliases, tags
/// and grants, the key policy's version, the identities and the
/// organization?
pub fn same_surroundings(a: &Setting, b: &Setting) -> bool {
    let Setting {
        key: a_key,
        identities: a_identities,
        organization: a_organization,
    } = a;
    let Setting {
        key: b_key,
        identities: b_identities,
        organization: b_organization,
    } = b;
    same_key(a_key, b_key)
        && a_identities.len() == b_identities.len()
        && a_identities
            .iter()
            .zip(b_identities)
            .all(|(x, y)| same_identity(x, y))
        && match (a_organization, b_organization) {
            (None, None) => true,
            (Some(x), Some(y)) => same_organization(x, y),
            _ => false,
        }
}

fn same_key(a: &Key, b: &Key) -> bool {
    let Key {
        arn,
        account,
        region,
        key_id,
        spec,
        usage,
        origin,
        state,
        tags,
        aliases,
        policy,
        grants,
    } = a;
    let policies = match (policy, &b.policy) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            let Policy {
                version,
                id: _,
                statements: _,
                span: _,
                condition_keys: _,
            } = x;
            version.as_ref().map(|v| &v.value) == y.version.as_ref().map(|v| &v.value)
        }
        _ => false,
    };
    policies
        && *arn == b.arn
        && *account == b.account
        && *region == b.region
        && *key_id == b.key_id
        && **spec == *b.spec
        && *usage == b.usage
        && *origin == b.origin
        && *state == b.state
        && *tags == b.tags
        && *aliases == b.aliases
        && grants.len() == b.grants.len()
        && grants.iter().zip(&b.grants).all(|(x, y)| same_grant(x, y))
}

fn same_grant(a: &Grant, b: &Grant) -> bool {
    let Grant {
        id,
        grantee,
        operations,
        constraint,
        retiring_principal,
        token,
        pending,
    } = a;
    *id == b.id
        && *grantee == b.grantee
        && *operations == b.operations
        && *constraint == b.constraint
        && *retiring_principal == b.retiring_principal
        && *token == b.token
        && *pending == b.pending
}

fn same_identity(a: &Identity, b: &Identity) -> bool {
    let Identity {
        arn,
        policies,
        permissions_boundary,
    } = a;
    *arn == b.arn && *policies == b.policies && *permissions_boundary == b.permissions_boundary
}

fn same_organization(a: &Organization, b: &Organization) -> bool {
    let Organization {
        id,
        root,
        management_account,
        accounts,
        scps,
        rcps,
    } = a;
    *id == b.id
        && *root == b.root
        && *management_account == b.management_account
        && *accounts == b.accounts
        && *scps == b.scps
        && *rcps == b.rcps
}

/// Do two statements mean the same: everything but their position, their
/// `Sid` and their spans alike? The structs are taken apart without `..`
/// (see the module's note).
fn same_meaning(a: &Statement, b: &Statement) -> bool {
    let Statement {
        index: _,
        sid: _,
        effect,
        principal,
        action,
        resource,
        conditions,
        condition_span: _,
        span: _,
        valid,
    } = a;
    *valid == b.valid
        && effect.as_ref().map(|e| e.value) == b.effect.as_ref().map(|e| e.value)
        && same_option(principal, &b.principal, same_principals)
        && same_option(action, &b.action, same_clause)
        && same_option(resource, &b.resource, same_clause)
        && conditions.len() == b.conditions.len()
        && conditions
            .iter()
            .zip(&b.conditions)
            .all(|(x, y)| same_condition(x, y))
}

fn same_option<T>(a: &Option<T>, b: &Option<T>, same: fn(&T, &T) -> bool) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same(x, y),
        _ => false,
    }
}

/// Two lists of spanned values, spans aside.
fn same_values<T: PartialEq>(a: &[Spanned<T>], b: &[Spanned<T>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            let Spanned { value, span: _ } = x;
            *value == y.value
        })
}

fn same_principals(a: &PrincipalClause, b: &PrincipalClause) -> bool {
    let PrincipalClause {
        negated,
        items,
        span: _,
    } = a;
    *negated == b.negated && same_values(items, &b.items)
}

fn same_clause<T: PartialEq>(a: &Clause<T>, b: &Clause<T>) -> bool {
    let Clause {
        negated,
        items,
        span: _,
    } = a;
    *negated == b.negated && same_values(items, &b.items)
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    let Condition {
        operator,
        operator_span: _,
        key,
        key_lower,
        key_span: _,
        values,
    } = a;
    *operator == b.operator
        && *key == b.key
        && *key_lower == b.key_lower
        && same_values(values, &b.values)
}

/// A number for each statement of `a` and of `b` (in order): two
/// statements get the same number exactly when they mean the same (see
/// [`meaning`]).
pub fn statement_ids<'s>(a: &'s [Statement], b: &'s [Statement]) -> (Vec<u32>, Vec<u32>) {
    // Statements are bucketed by what they allow or deny, as written, and
    // compared in full only within a bucket.
    let mut buckets: HashMap<String, Vec<(&'s Statement, u32)>> = HashMap::new();
    let mut next = 0u32;
    let mut ids = [Vec::with_capacity(a.len()), Vec::with_capacity(b.len())];
    for (out, list) in ids.iter_mut().zip([a, b]) {
        for st in list {
            let bucket = buckets.entry(fingerprint(st)).or_default();
            let id = match bucket.iter().find(|(other, _)| same_meaning(other, st)) {
                Some((_, n)) => *n,
                None => {
                    let n = next;
                    next += 1;
                    bucket.push((st, n));
                    n
                }
            };
            out.push(id);
        }
    }
    let [ids_a, ids_b] = ids;
    (ids_a, ids_b)
}

/// The statement's principal, action and resource texts.
fn fingerprint(st: &Statement) -> String {
    let mut out = String::new();
    for e in st.principal.iter().flat_map(|p| &p.items) {
        out.push_str(&e.value.value);
        out.push('\u{1}');
    }
    for a in st.action.iter().flat_map(|a| &a.items) {
        out.push_str(&a.value.text);
        out.push('\u{1}');
    }
    for r in st.resource.iter().flat_map(|r| &r.items) {
        out.push_str(&r.value.text);
        out.push('\u{1}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kmsplay_policy::{parse_text, PolicyKind};

    fn statements(text: &str) -> Vec<Statement> {
        parse_text(text, PolicyKind::Resource)
            .policy
            .expect("parses")
            .statements
    }

    #[test]
    fn layout_position_and_sid_do_not_count_but_meaning_does() {
        let a = statements(
            r#"{"Version":"2012-10-17","Statement":[
              {"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*"},
              {"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
        );
        let b = statements(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
              {"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",
               "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Sid":"B","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
        );
        let (ia, ib) = statement_ids(&a, &b);
        // The Allow without a condition is b's third; the Deny, moved and
        // laid out differently, is b's second; b's first has a condition
        // more and is new.
        assert_eq!(ia[0], ib[2]);
        assert_eq!(ia[1], ib[1]);
        assert!(!ia.contains(&ib[0]));
    }
}
