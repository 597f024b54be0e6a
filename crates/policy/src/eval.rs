//! Evaluating a policy against a request: a fast verdict, and on demand a
//! full trace of why.
//!
//! The rules follow AWS's policy evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>)
//! and the condition operator reference
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).

use crate::arn::ArnPattern;
use crate::ast::*;
use crate::context::{
    AwsPrincipal, AwsPrincipalKind, ContextValue, Principal, Request, RequestContext,
};
use crate::wildcard::Pattern;
use kmsplay_json::Span;

/// How a statement's `Principal` / `NotPrincipal` relates to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// The statement names no principal of the caller.
    Unmatched,
    /// The statement names the caller's account (`…:root` or the id), which
    /// for an IAM user or role delegates the decision to its IAM policies.
    Account,
    /// `Principal: "*"` (or `{"AWS": "*"}`).
    Any,
    /// The statement names the caller itself (for a role session, its role).
    Exact,
    /// `NotPrincipal` that does not exempt the caller: the statement applies.
    NotExempted,
    /// An identity policy: no principal element; it applies to its owner.
    Owner,
}

impl PrincipalMatch {
    /// True when the statement applies to the caller at all.
    pub fn matched(self) -> bool {
        self != PrincipalMatch::Unmatched
    }

    /// Stable code for traces and messages.
    pub fn code(self) -> &'static str {
        match self {
            PrincipalMatch::Unmatched => "unmatched",
            PrincipalMatch::Account => "account",
            PrincipalMatch::Any => "any",
            PrincipalMatch::Exact => "exact",
            PrincipalMatch::NotExempted => "not-exempted",
            PrincipalMatch::Owner => "owner",
        }
    }
}

/// What one policy says about a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyVerdict {
    /// The first applicable `Deny` statement.
    pub deny: Option<usize>,
    /// The first applicable `Allow` naming the caller itself, `*`, or (in an
    /// identity policy) the policy's owner.
    pub allow_direct: Option<usize>,
    /// The first applicable `Allow` naming only the caller's account.
    pub allow_account: Option<usize>,
}

impl PolicyVerdict {
    /// Any applicable Allow at all.
    pub fn allow_any(&self) -> Option<usize> {
        self.allow_direct.or(self.allow_account)
    }
}

/// Decides `policy` for `request` without building a trace. `identity`
/// says the policy is an identity policy of the caller.
pub fn evaluate(policy: &Policy, request: &Request<'_>, identity: bool) -> PolicyVerdict {
    let mut verdict = PolicyVerdict::default();
    for st in &policy.statements {
        let Some(pm) = applies(st, request, identity) else {
            continue;
        };
        match (st.effect(), pm) {
            (Some(Effect::Deny), _) => {
                verdict.deny.get_or_insert(st.index);
            }
            (Some(Effect::Allow), PrincipalMatch::Account) => {
                verdict.allow_account.get_or_insert(st.index);
            }
            (Some(Effect::Allow), PrincipalMatch::NotExempted) => {
                // NotPrincipal with Allow is rejected by AWS (reported at
                // parse time); such a statement grants nothing here.
            }
            (Some(Effect::Allow), _) => {
                verdict.allow_direct.get_or_insert(st.index);
            }
            (None, _) => {}
        }
    }
    verdict
}

/// Returns how the statement's principal matched when the whole statement
/// applies to the request, None otherwise.
pub fn applies(st: &Statement, request: &Request<'_>, identity: bool) -> Option<PrincipalMatch> {
    if !st.valid {
        return None;
    }
    let pm = principal_match(st, request.principal, identity);
    if !pm.matched()
        || !action_matches(st, request.action)
        || !resource_matches(st, request.resource, request.context)
    {
        return None;
    }
    st.conditions
        .iter()
        .all(|c| condition_holds(c, request.context))
        .then_some(pm)
}

/// The full story of one statement against one request. Its texts are
/// `S`: copies (`String`, the default), or borrowed from the policy and
/// the request (`&str`, for an answer written out at once).
#[derive(Debug, Clone, PartialEq)]
pub struct StatementTrace<S = String> {
    /// Position in the policy.
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<S>,
    /// The effect, when valid.
    pub effect: Option<Effect>,
    /// The statement's span.
    pub span: Span,
    /// False when the statement was left out because it is invalid.
    pub valid: bool,
    /// How the principal matched.
    pub principal: PrincipalMatch,
    /// Whether the action matched.
    pub action: bool,
    /// Whether the resource matched.
    pub resource: bool,
    /// Each condition, in order.
    pub conditions: Vec<ConditionTrace<S>>,
    /// Whether the whole statement applies.
    pub applies: bool,
}

/// The story of one condition.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionTrace<S = String> {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: S,
    /// The policy's values as written.
    pub policy_values: Vec<S>,
    /// The request's values, None when the key was missing.
    pub request_values: Option<Vec<S>>,
    /// Whether it held.
    pub result: bool,
    /// The key's span.
    pub span: Span,
}

/// Traces every statement of `policy`.
pub fn trace(policy: &Policy, request: &Request<'_>, identity: bool) -> Vec<StatementTrace> {
    policy
        .statements
        .iter()
        .map(|st| trace_statement(st, request, identity))
        .collect()
}

/// Whether a statement applies to a request, from what was matched: a
/// valid statement whose principal, action and resource match and whose
/// every condition holds. The one place this rule is written (traces of
/// every kind follow it).
pub fn statement_applies(
    st: &Statement,
    principal: bool,
    action: bool,
    resource: bool,
    conditions: impl IntoIterator<Item = bool>,
) -> bool {
    st.valid && principal && action && resource && conditions.into_iter().all(|held| held)
}

/// Traces one statement.
pub fn trace_statement(st: &Statement, request: &Request<'_>, identity: bool) -> StatementTrace {
    trace_statement_as(st, request, identity)
}

/// [`trace_statement`] with its texts as `S`: copied (`String`) or
/// borrowed from the statement and the request's context (`&'a str`).
/// The one place a statement's trace is put together.
pub fn trace_statement_as<'a, S: From<&'a str>>(
    st: &'a Statement,
    request: &Request<'a>,
    identity: bool,
) -> StatementTrace<S> {
    let (principal, action, resource) = statement_parts(st, request, identity);
    let conditions: Vec<ConditionTrace<S>> = st
        .conditions
        .iter()
        .map(|c| ConditionTrace {
            operator: c.operator.name(),
            key: S::from(c.key.as_str()),
            policy_values: c
                .values
                .iter()
                .map(|v| S::from(v.value.text.as_str()))
                .collect(),
            request_values: request_values(c, request.context)
                .map(|vs| vs.iter().map(|v| S::from(v.as_str())).collect()),
            result: condition_holds(c, request.context),
            span: c.key_span,
        })
        .collect();
    let applies = statement_applies(
        st,
        principal.matched(),
        action,
        resource,
        conditions.iter().map(|c| c.result),
    );
    StatementTrace {
        index: st.index,
        sid: st.sid.as_ref().map(|s| S::from(s.value.as_str())),
        effect: st.effect(),
        span: st.span,
        valid: st.valid,
        principal,
        action,
        resource,
        conditions,
        applies,
    }
}

/// How a statement's principal relates to the caller, and whether its
/// action and its resource match: the first parts of its
/// [`StatementTrace`] (the conditions are [`condition_holds`] each).
pub fn statement_parts(
    st: &Statement,
    request: &Request<'_>,
    identity: bool,
) -> (PrincipalMatch, bool, bool) {
    (
        principal_match(st, request.principal, identity),
        action_matches(st, request.action),
        resource_matches(st, request.resource, request.context),
    )
}

/// The first condition that does not hold, of a statement whose principal,
/// action and resource match the request: what [`trace_statement`] shows
/// as its first false condition, without building the trace. None when
/// the principal, the action or the resource does not match, or every
/// condition holds.
pub fn first_unmet_condition<'p>(
    st: &'p Statement,
    request: &Request<'_>,
    identity: bool,
) -> Option<&'p Condition> {
    let (principal, action, resource) = statement_parts(st, request, identity);
    if !(principal.matched() && action && resource) {
        return None;
    }
    st.conditions
        .iter()
        .find(|c| !condition_holds(c, request.context))
}

/// The request's values for a condition's key, as a trace shows them:
/// None when the key is missing or has no value.
pub fn request_values<'r>(c: &Condition, ctx: &'r RequestContext) -> Option<&'r [String]> {
    present(ctx.get_lower(&c.key_lower))
}

fn principal_match(st: &Statement, who: &Principal, identity: bool) -> PrincipalMatch {
    let Some(clause) = &st.principal else {
        return if identity {
            PrincipalMatch::Owner
        } else {
            PrincipalMatch::Unmatched
        };
    };
    if clause.negated {
        let exempt = !layers(who).is_empty()
            && layers(who)
                .iter()
                .all(|layer| clause.items.iter().any(|e| entry_names(&e.value, layer)));
        return if exempt {
            PrincipalMatch::Unmatched
        } else {
            PrincipalMatch::NotExempted
        };
    }
    let mut best = PrincipalMatch::Unmatched;
    for entry in &clause.items {
        let m = entry_match(&entry.value, who);
        if m > best {
            best = m;
        }
        if best == PrincipalMatch::Exact {
            break;
        }
    }
    best
}

/// The identities AWS checks against a `NotPrincipal` list: every one must
/// be listed to exempt the caller (the NotPrincipal page: a user must be
/// listed together with its account; a role session with its role and
/// account). <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>
fn layers(who: &Principal) -> Vec<Layer<'_>> {
    match who {
        Principal::Aws(p) => {
            let mut v = vec![Layer::Arn(&p.arn)];
            if let AwsPrincipalKind::AssumedRole { role_arn } = &p.kind {
                v.push(Layer::Arn(role_arn));
            }
            if p.kind != AwsPrincipalKind::Root {
                v.push(Layer::Account(&p.account));
            }
            v
        }
        Principal::Service(s) => vec![Layer::Service(s)],
        Principal::Anonymous => Vec::new(),
    }
}

enum Layer<'a> {
    Arn(&'a str),
    Account(&'a str),
    Service(&'a str),
}

fn entry_names(entry: &PrincipalEntry, layer: &Layer<'_>) -> bool {
    match (entry.kind, layer) {
        (PrincipalKind::Aws, Layer::Arn(arn)) => entry.value == *arn,
        (PrincipalKind::Aws, Layer::Account(acct)) => entry.account_root() == Some(acct),
        (PrincipalKind::Service, Layer::Service(s)) => entry.value.eq_ignore_ascii_case(s),
        _ => false,
    }
}

fn entry_match(entry: &PrincipalEntry, who: &Principal) -> PrincipalMatch {
    match (entry.kind, who) {
        (PrincipalKind::Any, _) => PrincipalMatch::Any,
        (PrincipalKind::Aws, Principal::Aws(p)) => aws_entry_match(entry, p),
        (PrincipalKind::Service, Principal::Service(s)) if entry.value.eq_ignore_ascii_case(s) => {
            PrincipalMatch::Exact
        }
        (PrincipalKind::Federated | PrincipalKind::CanonicalUser, Principal::Aws(p))
            if entry.value == p.arn =>
        {
            PrincipalMatch::Exact
        }
        _ => PrincipalMatch::Unmatched,
    }
}

fn aws_entry_match(entry: &PrincipalEntry, p: &AwsPrincipal) -> PrincipalMatch {
    if entry.value == p.arn {
        return PrincipalMatch::Exact;
    }
    if let AwsPrincipalKind::AssumedRole { role_arn } = &p.kind {
        if entry.value == *role_arn || role_path_matches(&entry.value, role_arn) {
            return PrincipalMatch::Exact;
        }
    }
    if entry.account_root() == Some(p.account.as_str()) {
        return PrincipalMatch::Account;
    }
    PrincipalMatch::Unmatched
}

/// A session ARN carries no role path, so `role/path/Name` in a policy
/// names the same role as the session's `role/Name`.
fn role_path_matches(policy_arn: &str, role_arn: &str) -> bool {
    let (Some(a), Some(b)) = (crate::arn::split(policy_arn), crate::arn::split(role_arn)) else {
        return false;
    };
    a[..5] == b[..5]
        && a[5].starts_with("role/")
        && a[5].rsplit('/').next() == b[5].rsplit('/').next()
}

fn action_matches(st: &Statement, action: &str) -> bool {
    let Some(clause) = &st.action else {
        return false;
    };
    let any = clause.items.iter().any(|a| a.value.pattern.matches(action));
    any != clause.negated
}

fn resource_matches(st: &Statement, resource: &str, ctx: &RequestContext) -> bool {
    let Some(clause) = &st.resource else {
        return false;
    };
    let mut any = false;
    for r in &clause.items {
        let matched = match &r.value.compiled {
            Some(p) => p.matches(resource),
            // A variable without a value makes the element fail to match
            // at all, for Resource and NotResource alike (policy variables
            // page: "causes the statement to be invalid").
            None => match r.value.template.resolve(ctx, true) {
                Some(text) => ArnPattern::resource(&text).matches(resource),
                None => return false,
            },
        };
        any |= matched;
    }
    any != clause.negated
}

/// A key counts as present when it has at least one value.
fn present(value: Option<&ContextValue>) -> Option<&[String]> {
    value.map(ContextValue::values).filter(|v| !v.is_empty())
}

/// Does the condition hold for the request context?
pub fn condition_holds(c: &Condition, ctx: &RequestContext) -> bool {
    let values = present(ctx.get_lower(&c.key_lower));
    let op = c.operator;
    if op.kind == OperatorKind::Null {
        // Null: "true" asks for the key to be absent, "false" present.
        return c.values.iter().any(|v| match v.value.parsed {
            Parsed::Bool(want_absent) => want_absent == values.is_none(),
            _ => false,
        });
    }
    let negated = op.kind.is_negated();
    let Some(values) = values else {
        // A missing key: IfExists and ForAllValues hold vacuously; negated
        // operators hold because nothing matches; everything else fails.
        // This comes before the policy's own variables are looked at: the
        // key decides first (found by the differential tests).
        return op.if_exists
            || op.set == Some(SetQualifier::ForAllValues)
            || (negated && op.set.is_none());
    };
    // A policy variable without a value makes the condition fail, whatever
    // the operator (policy variables page: "any attempt to match it fails").
    let unresolvable = c.values.iter().any(|v| match &v.value.parsed {
        Parsed::Template(t) => t.resolve(ctx, false).is_none(),
        _ => false,
    });
    if unresolvable {
        return false;
    }
    let matches = |rv: &str| {
        c.values
            .iter()
            .any(|pv| value_matches(op.kind, &pv.value.parsed, rv, ctx))
    };
    match op.set {
        None => values.iter().any(|v| matches(v)) != negated,
        Some(SetQualifier::ForAnyValue) => values.iter().any(|v| matches(v) != negated),
        Some(SetQualifier::ForAllValues) => values.iter().all(|v| matches(v) != negated),
    }
}

/// The positive comparison behind an operator (its negation is applied by
/// the caller): does request value `rv` match policy value `pv`?
fn value_matches(kind: OperatorKind, pv: &Parsed, rv: &str, ctx: &RequestContext) -> bool {
    use OperatorKind::*;
    match (kind.value_type(), pv) {
        (_, Parsed::Invalid) => false,
        (_, Parsed::Template(t)) => {
            let wildcard = kind.uses_wildcards();
            let Some(text) = t.resolve(ctx, wildcard) else {
                return false;
            };
            let resolved = match kind.value_type() {
                ValueType::Arn => Parsed::Arn(ArnPattern::new(&text)),
                _ if wildcard => Parsed::Like(Pattern::new(&text, false)),
                _ => Parsed::Text(text),
            };
            value_matches(kind, &resolved, rv, ctx)
        }
        (ValueType::String, Parsed::Text(t)) => match kind {
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => eq_ignore_case(t, rv),
            _ => t == rv,
        },
        (ValueType::String, Parsed::Like(p)) => p.matches(rv),
        (ValueType::Binary, Parsed::Text(t)) => t == rv,
        (ValueType::Arn, Parsed::Arn(p)) => p.matches(rv),
        (ValueType::Numeric, Parsed::Number(n)) => {
            crate::values::number(rv).is_some_and(|r| compare(kind, r.partial_cmp(n)))
        }
        (ValueType::Date, Parsed::Date(d)) => {
            crate::values::date(rv).is_some_and(|r| compare(kind, Some(r.cmp(d))))
        }
        (ValueType::Bool, Parsed::Bool(b)) => crate::values::boolean(rv) == Some(*b),
        (ValueType::Ip, Parsed::Cidr(net)) => rv
            .trim()
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| net.contains(ip)),
        _ => false,
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Applies a Numeric/Date operator to `request.cmp(policy)`.
fn compare(kind: OperatorKind, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    use OperatorKind::*;
    let Some(ord) = ord else { return false };
    match kind {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ord == Equal,
        NumericLessThan | DateLessThan => ord == Less,
        NumericLessThanEquals | DateLessThanEquals => ord != Greater,
        NumericGreaterThan | DateGreaterThan => ord == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}
