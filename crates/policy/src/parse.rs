//! From JSON to a typed [`Policy`], collecting every problem on the way.
//!
//! The parser never stops at the first problem: it reports each one with its
//! span and keeps what it can, so the rest of the policy can still be
//! evaluated and the editor can underline everything at once.

use crate::arn::ArnPattern;
use crate::ast::*;
use crate::context::is_account_id;
use crate::diagnostic::Diagnostic;
use crate::values;
use crate::variables::Template;
use crate::wildcard::Pattern;
use kmsplay_json::{JsonMember, JsonNode, Node, Span, View};

/// What kind of policy is being read; it decides which elements belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// A resource-based policy such as a key policy: `Principal` required.
    Resource,
    /// An identity policy attached to a user or role: no `Principal`.
    Identity,
    /// A service control policy of AWS Organizations: no `Principal`
    /// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html>).
    Scp,
    /// A resource control policy of AWS Organizations: `Principal` must be
    /// `"*"`, and `NotPrincipal` is not supported
    /// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>).
    Rcp,
    /// A permissions boundary of an IAM user or role: an identity policy.
    Boundary,
    /// A session policy passed when a role session or federated user
    /// session is created: an identity policy.
    Session,
    /// A VPC endpoint policy: a resource-based policy with a `Principal`
    /// (<https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>).
    Endpoint,
}

impl PolicyKind {
    /// True for the kinds whose statements name a principal (key policy,
    /// RCP, endpoint policy); the others apply to their owner.
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Rcp | PolicyKind::Endpoint
        )
    }

    /// The largest document AWS accepts for this kind, in characters: 32 KB
    /// for a key policy, 5,120 for SCPs and RCPs (Organizations quotas:
    /// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html>).
    /// None where the playground does not check it.
    pub fn max_size(self) -> Option<usize> {
        match self {
            PolicyKind::Resource => Some(KEY_POLICY_MAX_BYTES),
            PolicyKind::Scp | PolicyKind::Rcp => Some(ORGANIZATION_POLICY_MAX_CHARS),
            _ => None,
        }
    }
}

/// Organizations refuses SCPs and RCPs over 5,120 characters:
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html>.
pub const ORGANIZATION_POLICY_MAX_CHARS: usize = 5_120;

/// KMS refuses key policies over 32 KB:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html#key-policy-limit>.
pub const KEY_POLICY_MAX_BYTES: usize = 32_768;

/// The result of reading a policy: the policy (None when the text is not a
/// usable policy at all) and every diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    /// The policy, when it could be built.
    pub policy: Option<Policy>,
    /// Errors and warnings, in text order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedPolicy {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::Severity::Error)
    }
}

/// Reads a policy from the text a user pasted.
pub fn parse_text(text: &str, kind: PolicyKind) -> ParsedPolicy {
    if matches!(kind, PolicyKind::Scp | PolicyKind::Rcp)
        && text.len() > ORGANIZATION_POLICY_MAX_CHARS
        && text.chars().count() > ORGANIZATION_POLICY_MAX_CHARS
    {
        // Organizations refuses it, but the playground still reads it, so
        // that what it would do can be seen while it is being shortened.
        let chars = text.chars().count();
        let mut parsed = parse_text(text, PolicyKind::Identity);
        if let Ok(node) = kmsplay_json::parse_borrowed(text) {
            parsed = parse_tree(&node, kind);
        }
        parsed.diagnostics.insert(
            0,
            Diagnostic::error("organization-policy-too-large", Span::new(0, text.len()))
                .with("size", chars.to_string())
                .with("max", ORGANIZATION_POLICY_MAX_CHARS.to_string()),
        );
        return parsed;
    }
    if text.len() > KEY_POLICY_MAX_BYTES && kind == PolicyKind::Resource {
        return ParsedPolicy {
            policy: None,
            diagnostics: vec![
                Diagnostic::error("policy-too-large", Span::new(0, text.len()))
                    .with("size", text.len().to_string())
                    .with("max", KEY_POLICY_MAX_BYTES.to_string()),
            ],
        };
    }
    // Borrowed: the policy copies the strings it keeps, and no others.
    match kmsplay_json::parse_borrowed(text) {
        Ok(node) => parse_tree(&node, kind),
        Err(e) => ParsedPolicy {
            policy: None,
            diagnostics: vec![Diagnostic::from(&e)],
        },
    }
}

/// Reads a policy from an already parsed JSON value (spans refer to the
/// text that value came from).
pub fn parse_node(node: &Node, kind: PolicyKind) -> ParsedPolicy {
    parse_tree(node, kind)
}

/// [`parse_node`] of either JSON tree: [`kmsplay_json::Node`] or a
/// borrowed one ([`kmsplay_json::parse_borrowed`]).
pub fn parse_tree<N: JsonNode>(node: &N, kind: PolicyKind) -> ParsedPolicy {
    let mut p = PolicyParser {
        kind,
        diagnostics: Vec::new(),
        variables: false,
    };
    let policy = p.policy(node);
    kmsplay_json::sort_by_offsets(&mut p.diagnostics, |d| (d.span.start, d.span.end));
    ParsedPolicy {
        policy,
        diagnostics: p.diagnostics,
    }
}

struct PolicyParser {
    kind: PolicyKind,
    diagnostics: Vec<Diagnostic>,
    variables: bool,
}

/// The elements of a policy document, in the order AWS's documents write them.
pub const TOP_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
/// The elements of a statement, in the order AWS's documents write them.
pub const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

impl PolicyParser {
    fn error(&mut self, code: &'static str, span: Span) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(code, span));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn wrong_type<N: JsonNode>(&mut self, element: &str, expected: &'static str, node: &N) {
        self.error("wrong-type", node.span()).params.extend([
            ("element", element.to_string()),
            ("expected", expected.to_string()),
            ("found", node.type_name().to_string()),
        ]);
    }

    fn unknown_element(&mut self, member: &impl JsonMember, known: &[&str]) {
        let d = self.error("unknown-element", member.key_span());
        d.params.push(("element", member.key().to_string()));
        if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(member.key())) {
            d.params.push(("suggestion", k.to_string()));
        }
    }

    fn string<'n, N: JsonNode>(&mut self, element: &str, node: &'n N) -> Option<&'n str> {
        let s = node.as_str();
        if s.is_none() {
            self.wrong_type(element, "string", node);
        }
        s
    }

    fn policy<N: JsonNode>(&mut self, node: &N) -> Option<Policy> {
        let Some(members) = node.as_object() else {
            self.wrong_type("policy", "object", node);
            return None;
        };
        let mut version = None;
        let mut id = None;
        let mut statement_node = None;
        for m in members {
            match m.key() {
                "Version" => {
                    if let Some(v) = self.string("Version", m.value()) {
                        if v != "2012-10-17" && v != "2008-10-17" {
                            self.error("invalid-version", m.value().span())
                                .params
                                .push(("version", v.to_string()));
                        }
                        version = Some(Spanned {
                            value: v.to_string(),
                            span: m.value().span(),
                        });
                    }
                }
                "Id" => {
                    if let Some(v) = self.string("Id", m.value()) {
                        id = Some(Spanned {
                            value: v.to_string(),
                            span: m.value().span(),
                        });
                    }
                }
                "Statement" => statement_node = Some(m.value()),
                _ => self.unknown_element(m, TOP_ELEMENTS),
            }
        }
        self.variables = version.as_ref().is_some_and(|v| v.value == "2012-10-17");
        let mut statements = Vec::new();
        match statement_node {
            None => {
                self.error("missing-element", node.span())
                    .params
                    .push(("element", "Statement".into()));
            }
            Some(s) => match s.view() {
                View::Object(_) => statements.push(self.statement(0, s)),
                View::Array(items) => {
                    statements.reserve_exact(items.len());
                    for (i, item) in items.iter().enumerate() {
                        if item.as_object().is_some() {
                            statements.push(self.statement(i, item));
                        } else {
                            self.wrong_type("Statement", "object", item);
                        }
                    }
                }
                _ => self.wrong_type("Statement", "object or array", s),
            },
        }
        let condition_keys = referenced_keys(&statements);
        Some(Policy {
            version,
            id,
            statements,
            span: node.span(),
            condition_keys,
        })
    }

    fn statement<N: JsonNode>(&mut self, index: usize, node: &N) -> Statement {
        let errors_before = self.error_count();
        let mut st = Statement {
            index,
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            conditions: Vec::new(),
            condition_span: None,
            span: node.span(),
            valid: true,
        };
        let members = node.as_object().unwrap_or_default();
        for m in members {
            let span = m.key_span().join(m.value().span());
            match m.key() {
                "Sid" => {
                    if let Some(v) = self.string("Sid", m.value()) {
                        st.sid = Some(Spanned {
                            value: v.to_string(),
                            span: m.value().span(),
                        });
                    }
                }
                "Effect" => {
                    if let Some(effect) = self.effect(m.value()) {
                        st.effect = Some(effect);
                    }
                }
                "Principal" | "NotPrincipal" => self.principal_element::<N>(&mut st, m, span),
                "Action" | "NotAction" => self.action_element::<N>(&mut st, m, span),
                "Resource" | "NotResource" => self.resource_element::<N>(&mut st, m, span),
                "Condition" => {
                    st.condition_span = Some(span);
                    st.conditions = self.conditions(m.value());
                }
                _ => self.unknown_element(m, STATEMENT_ELEMENTS),
            }
        }
        self.missing_elements(&st, members, node.span());
        if let (Some(p), Some(Effect::Allow)) = (&st.principal, st.effect()) {
            if p.negated {
                // AWS: "NotPrincipal must be used with Effect: Deny".
                self.error("notprincipal-with-allow", p.span);
            }
        }
        // A statement that AWS would reject, or that cannot be evaluated,
        // takes no part in decisions.
        st.valid = self.statement_is_evaluable(&st) && !self.has_blocking_error(errors_before);
        st
    }

    /// `Effect`: `Allow` (which an RCP may not use) or `Deny`.
    fn effect<N: JsonNode>(&mut self, value: &N) -> Option<Spanned<Effect>> {
        let v = self.string("Effect", value)?;
        let effect = match v {
            "Allow" => {
                if self.kind == PolicyKind::Rcp {
                    // Only RCPFullAWSAccess may allow.
                    self.error("rcp-allow", value.span());
                }
                Effect::Allow
            }
            "Deny" => Effect::Deny,
            _ => {
                self.error("invalid-effect", value.span())
                    .params
                    .push(("effect", v.to_string()));
                return None;
            }
        };
        Some(Spanned {
            value: effect,
            span: value.span(),
        })
    }

    /// `Principal` or `NotPrincipal`, where the policy kind allows one.
    fn principal_element<N: JsonNode>(&mut self, st: &mut Statement, m: &N::Member, span: Span) {
        let negated = m.key() == "NotPrincipal";
        if st.principal.is_some() {
            self.error("conflicting-elements", m.key_span())
                .params
                .extend([
                    ("element", m.key().to_string()),
                    ("other", "Principal".into()),
                ]);
        } else if self.kind == PolicyKind::Scp {
            // Organizations rejects an SCP with a principal element: an SCP
            // applies to the accounts below it.
            self.error("principal-in-scp", m.key_span())
                .params
                .push(("element", m.key().to_string()));
        } else if !self.kind.has_principal() {
            self.error("principal-in-identity-policy", m.key_span())
                .params
                .push(("element", m.key().to_string()));
        } else if self.kind == PolicyKind::Rcp && negated {
            // RCPs do not support NotPrincipal.
            self.error("notprincipal-in-rcp", m.key_span());
        } else {
            st.principal = self.principal(negated, m.key(), m.value(), span);
            let everyone = st
                .principal
                .as_ref()
                .is_some_and(|c| c.items.iter().all(|e| e.value.kind == PrincipalKind::Any));
            if self.kind == PolicyKind::Rcp && !everyone {
                // RCPs restrict every caller of the resource: Organizations
                // takes only `"Principal": "*"`.
                self.error("rcp-principal-not-any", m.value().span());
            }
        }
    }

    /// `Action` or `NotAction` (which an RCP may not use).
    fn action_element<N: JsonNode>(&mut self, st: &mut Statement, m: &N::Member, span: Span) {
        let negated = m.key() == "NotAction";
        if negated && self.kind == PolicyKind::Rcp {
            // RCPs do not support NotAction.
            self.error("notaction-in-rcp", m.key_span());
        }
        if st.action.is_some() {
            self.error("conflicting-elements", m.key_span())
                .params
                .extend([("element", m.key().to_string()), ("other", "Action".into())]);
        } else {
            st.action = self.list(m.key(), m.value(), negated, span, |p, item, text| {
                p.action(item, text)
            });
        }
    }

    /// `Resource` or `NotResource`: ARN patterns, compiled when they hold
    /// no policy variable.
    fn resource_element<N: JsonNode>(&mut self, st: &mut Statement, m: &N::Member, span: Span) {
        let negated = m.key() == "NotResource";
        if st.resource.is_some() {
            self.error("conflicting-elements", m.key_span())
                .params
                .extend([
                    ("element", m.key().to_string()),
                    ("other", "Resource".into()),
                ]);
            return;
        }
        let variables = self.variables;
        st.resource = self.list(m.key(), m.value(), negated, span, |_, _, text| {
            let template = Template::parse(text, variables);
            let compiled = template
                .is_plain()
                .then(|| ArnPattern::resource(&template.plain_text()));
            Some(ResourcePattern {
                text: text.to_string(),
                compiled,
                template,
            })
        });
    }

    /// The elements a statement must have (`Principal` only in a policy
    /// that takes one), each reported once when absent.
    fn missing_elements<M: JsonMember>(&mut self, st: &Statement, members: &[M], at: Span) {
        let has = |names: &[&str]| members.iter().any(|m| names.contains(&m.key()));
        let missing = [
            (st.effect.is_none() && !has(&["Effect"]), "Effect"),
            (
                st.action.is_none() && !has(&["Action", "NotAction"]),
                "Action",
            ),
            (
                st.resource.is_none() && !has(&["Resource", "NotResource"]),
                "Resource",
            ),
            (
                self.kind.has_principal()
                    && st.principal.is_none()
                    && !has(&["Principal", "NotPrincipal"]),
                "Principal",
            ),
        ];
        for (absent, name) in missing {
            if absent {
                self.error("missing-element", at)
                    .params
                    .push(("element", name.to_string()));
            }
        }
    }

    fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .count()
    }

    /// Errors that leave the statement's meaning unknown; others (an
    /// invalid principal entry or value that simply never matches) let the
    /// rest of the statement be evaluated.
    fn has_blocking_error(&self, from: usize) -> bool {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .skip(from)
            .any(|d| !NON_BLOCKING.contains(&d.code))
    }

    fn statement_is_evaluable(&self, st: &Statement) -> bool {
        st.effect.is_some()
            && st.action.is_some()
            && st.resource.is_some()
            && (!self.kind.has_principal() || st.principal.is_some())
    }

    fn list<T, N: JsonNode>(
        &mut self,
        element: &str,
        node: &N,
        negated: bool,
        span: Span,
        mut item: impl FnMut(&mut Self, &N, &str) -> Option<T>,
    ) -> Option<Clause<T>> {
        let nodes: &[N] = match node.view() {
            View::String(_) => std::slice::from_ref(node),
            View::Array(items) => items,
            _ => {
                self.wrong_type(element, "string or array of strings", node);
                return None;
            }
        };
        if nodes.is_empty() {
            self.error("empty-element", node.span())
                .params
                .push(("element", element.to_string()));
        }
        let mut items = Vec::with_capacity(nodes.len());
        for n in nodes {
            let Some(text) = self.string(element, n) else {
                continue;
            };
            if let Some(v) = item(self, n, text) {
                items.push(Spanned {
                    value: v,
                    span: n.span(),
                });
            }
        }
        Some(Clause {
            negated,
            items,
            span,
        })
    }

    fn action<N: JsonNode>(&mut self, node: &N, text: &str) -> Option<ActionPattern> {
        if text != "*" {
            let valid = text.split_once(':').is_some_and(|(service, name)| {
                !service.is_empty()
                    && !name.is_empty()
                    && service
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !name.contains(':')
            });
            if !valid {
                self.error("invalid-action", node.span())
                    .params
                    .push(("action", text.to_string()));
                return None;
            }
        }
        Some(ActionPattern {
            text: text.to_string(),
            pattern: Pattern::new(text, true),
        })
    }

    fn principal<N: JsonNode>(
        &mut self,
        negated: bool,
        element: &str,
        node: &N,
        span: Span,
    ) -> Option<PrincipalClause> {
        let mut items = Vec::new();
        match node.view() {
            View::String("*") => items.push(Spanned {
                value: PrincipalEntry::new(PrincipalKind::Any, "*", "*".into()),
                span: node.span(),
            }),
            View::Object(members) => {
                if members.is_empty() {
                    self.error("empty-element", node.span())
                        .params
                        .push(("element", element.to_string()));
                }
                for m in members {
                    let kind = match m.key() {
                        "AWS" => PrincipalKind::Aws,
                        "Service" => PrincipalKind::Service,
                        "Federated" => PrincipalKind::Federated,
                        "CanonicalUser" => PrincipalKind::CanonicalUser,
                        _ => {
                            self.unknown_element(
                                m,
                                &["AWS", "Service", "Federated", "CanonicalUser"],
                            );
                            continue;
                        }
                    };
                    let values: Vec<&N> = match m.value().view() {
                        View::String(_) => vec![m.value()],
                        View::Array(a) => a.iter().collect(),
                        _ => {
                            self.wrong_type(m.key(), "string or array of strings", m.value());
                            continue;
                        }
                    };
                    for v in values {
                        let Some(text) = self.string(m.key(), v) else {
                            continue;
                        };
                        if let Some(entry) = self.principal_entry(kind, text, v.span()) {
                            items.push(Spanned {
                                value: entry,
                                span: v.span(),
                            });
                        }
                    }
                }
            }
            View::String(s) => {
                self.error("invalid-principal", node.span())
                    .params
                    .push(("principal", s.to_string()));
            }
            _ => {
                self.wrong_type(element, "\"*\" or object", node);
                return None;
            }
        }
        Some(PrincipalClause {
            negated,
            items,
            span,
        })
    }

    fn principal_entry(
        &mut self,
        kind: PrincipalKind,
        text: &str,
        span: Span,
    ) -> Option<PrincipalEntry> {
        let entry = |kind, value: String| PrincipalEntry::new(kind, text, value);
        match kind {
            PrincipalKind::Aws if text == "*" => Some(entry(PrincipalKind::Any, "*".into())),
            PrincipalKind::Aws if is_account_id(text) => {
                Some(entry(kind, format!("arn:aws:iam::{text}:root")))
            }
            PrincipalKind::Aws => {
                let parts = crate::arn::split(text);
                let ok = parts.is_some_and(|p| {
                    (p[2] == "iam" || p[2] == "sts") && is_account_id(p[4]) && !p[5].is_empty()
                });
                if text.contains('*') || text.contains('?') {
                    // Key policies take no wildcards in principals but "*":
                    // use a condition on aws:PrincipalArn instead.
                    self.error("principal-wildcard", span)
                        .params
                        .push(("principal", text.to_string()));
                    None
                } else if !ok {
                    self.error("invalid-principal", span)
                        .params
                        .push(("principal", text.to_string()));
                    None
                } else {
                    Some(entry(kind, text.to_string()))
                }
            }
            PrincipalKind::Service => {
                if text.contains('*') {
                    self.error("principal-wildcard", span)
                        .params
                        .push(("principal", text.to_string()));
                    None
                } else {
                    Some(entry(kind, text.to_string()))
                }
            }
            _ => Some(entry(kind, text.to_string())),
        }
    }

    fn conditions<N: JsonNode>(&mut self, node: &N) -> Vec<Condition> {
        let Some(operators) = node.as_object() else {
            self.wrong_type("Condition", "object", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for op_member in operators {
            let Some(operator) = Operator::parse(op_member.key()) else {
                let d = self.error("unknown-operator", op_member.key_span());
                d.params.push(("operator", op_member.key().to_string()));
                if let Some((_, name)) = OperatorKind::ALL.iter().find(|(_, n)| {
                    op_member
                        .key()
                        .to_ascii_lowercase()
                        .contains(&n.to_ascii_lowercase())
                }) {
                    d.params.push(("suggestion", name.to_string()));
                }
                continue;
            };
            let Some(keys) = op_member.value().as_object() else {
                self.wrong_type(op_member.key(), "object", op_member.value());
                continue;
            };
            if keys.is_empty() {
                self.error("empty-element", op_member.value().span())
                    .params
                    .push(("element", op_member.key().to_string()));
            }
            for key_member in keys {
                let values = self.condition_values::<N>(&operator, key_member);
                out.push(Condition {
                    operator,
                    operator_span: op_member.key_span(),
                    key: key_member.key().to_string(),
                    key_lower: key_member.key().to_ascii_lowercase(),
                    key_span: key_member.key_span(),
                    values,
                });
            }
        }
        out
    }

    fn condition_values<N: JsonNode>(
        &mut self,
        operator: &Operator,
        member: &N::Member,
    ) -> Vec<Spanned<ConditionValue>> {
        let nodes: Vec<&N> = match member.value().view() {
            View::Array(items) => items.iter().collect(),
            _ => vec![member.value()],
        };
        if nodes.is_empty() {
            self.error("empty-element", member.value().span())
                .params
                .push(("element", member.key().to_string()));
        }
        let mut out = Vec::new();
        for n in nodes {
            let Some(text) = n.scalar_text() else {
                self.wrong_type(member.key(), "string, number or boolean", n);
                continue;
            };
            let parsed = self.condition_value(operator.kind, text, n.span());
            out.push(Spanned {
                value: ConditionValue {
                    text: text.to_string(),
                    parsed,
                },
                span: n.span(),
            });
        }
        out
    }

    fn condition_value(&mut self, kind: OperatorKind, text: &str, span: Span) -> Parsed {
        let template = Template::parse(text, self.variables);
        let typed = match kind.value_type() {
            // BinaryEquals takes no policy variables (policy variables page).
            ValueType::String | ValueType::Arn if !template.is_plain() => {
                return Parsed::Template(template);
            }
            ValueType::String if kind.uses_wildcards() => {
                Some(Parsed::Like(Pattern::new(text, false)))
            }
            ValueType::String | ValueType::Binary => Some(Parsed::Text(text.to_string())),
            ValueType::Arn => Some(Parsed::Arn(ArnPattern::new(text))),
            ValueType::Numeric => values::number(text).map(Parsed::Number),
            ValueType::Date => values::date(text).map(Parsed::Date),
            ValueType::Bool | ValueType::Null => values::boolean(text).map(Parsed::Bool),
            ValueType::Ip => values::Cidr::parse(text).map(Parsed::Cidr),
        };
        typed.unwrap_or_else(|| {
            self.error("invalid-condition-value", span).params.extend([
                ("value", text.to_string()),
                ("operator", kind.name().to_string()),
            ]);
            Parsed::Invalid
        })
    }
}

fn referenced_keys(statements: &[Statement]) -> Vec<String> {
    let mut keys = Vec::new();
    for st in statements {
        for c in &st.conditions {
            keys.push(c.key_lower.clone());
            for v in &c.values {
                if let Parsed::Template(t) = &v.value.parsed {
                    keys.extend(t.variables().map(str::to_string));
                }
            }
        }
        for r in st.resource.iter().flat_map(|r| &r.items) {
            keys.extend(r.value.template.variables().map(str::to_string));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Errors after which the statement can still be evaluated meaningfully:
/// the offending entry or value simply never matches.
const NON_BLOCKING: &[&str] = &[
    "invalid-principal",
    "principal-wildcard",
    "invalid-condition-value",
    "invalid-version",
];
