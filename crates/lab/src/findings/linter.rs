//! The linter: every rule over one parsed policy.

use super::actions::{
    actions_cover, covers_action, covers_key, covers_mutually, kms_ops, plain_allow,
    principals_cover, resources_cover, Actions,
};
use super::conditions::{
    action_dependent, carries, fails_when_missing, has_limiting_condition,
    has_wildcard_outside_variables, is_checked_namespace, key_info, KeyInfo, KeyType, ACCOUNT_KEYS,
};
use super::finding::{Finding, LintContext, Severity};
use super::suggest::{nearest, suggest_key};
use super::values::{check_value, placeholder_in, ValueRole};
use kmsplay_json::Span;
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_policy::{
    arn, Condition, Diagnostic, Effect, OperatorKind, Policy, PolicyKind, PrincipalKind,
    SetQualifier, Statement,
};

pub(super) fn lint_parts(
    policy: Option<&Policy>,
    diagnostics: &[Diagnostic],
    ctx: &LintContext,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = diagnostics
        .iter()
        .map(|d| Finding {
            code: d.code,
            severity: match d.severity {
                kmsplay_policy::Severity::Error => Severity::Error,
                kmsplay_policy::Severity::Warning => Severity::Warning,
            },
            span: d.span,
            params: d.params.clone(),
        })
        .collect();
    // The parser drops principals it cannot read; say why when the reason
    // is a placeholder or a mistyped account id.
    for d in diagnostics.iter().filter(|d| d.code == "invalid-principal") {
        if let Some(text) = d.param("principal") {
            check_value(text, d.span, ValueRole::Principal, &mut out);
        }
    }
    if let Some(policy) = policy {
        let mut linter = Linter {
            ctx,
            policy,
            out: &mut out,
        };
        linter.run();
    }
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.severity, a.code).cmp(&(
            b.span.start,
            b.span.end,
            b.severity,
            b.code,
        ))
    });
    out.dedup();
    out
}

struct Linter<'a, 'o> {
    ctx: &'a LintContext<'a>,
    policy: &'a Policy,
    out: &'o mut Vec<Finding>,
}

/// The first character of a span: where a caret goes for something about a
/// whole policy or statement.
pub(super) fn head(span: Span) -> Span {
    Span::new(span.start, (span.start + 1).min(span.end.max(span.start)))
}

impl<'a> Linter<'a, '_> {
    fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    fn key_policy(&self) -> bool {
        self.ctx.kind == PolicyKind::Resource
    }

    fn key_account(&self) -> Option<&'a str> {
        self.ctx.key.map(|k| k.account.as_str())
    }

    fn run(&mut self) {
        self.version();
        self.duplicate_sids();
        let policy = self.policy;
        for st in &policy.statements {
            self.statement(st);
        }
        self.redundant_statements();
        if self.ctx.kind == PolicyKind::Rcp {
            self.rcp_retire_grant();
        }
        if self.key_policy() {
            self.lockout();
            self.root_delegation();
            self.scenario();
        }
    }

    /// RCPs never apply to kms:RetireGrant, even through `kms:*` or `*`
    /// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>):
    /// an action entry that names it (or a pattern that matches only it
    /// among KMS actions) has no effect. Wildcards that match more are fine.
    fn rcp_retire_grant(&mut self) {
        let policy = self.policy;
        for st in &policy.statements {
            let Some(clause) = &st.action else { continue };
            if clause.negated {
                continue;
            }
            for item in &clause.items {
                let pattern = &item.value.pattern;
                if !pattern.matches("kms:retiregrant") {
                    continue;
                }
                let others = catalogue::OPERATIONS
                    .iter()
                    .filter(|op| op.name != "RetireGrant")
                    .any(|op| pattern.matches(catalogue::action_lower(op)));
                if others {
                    continue;
                }
                let f = Finding::new("rcp-retire-grant", Severity::Warning, item.span)
                    .with("action", item.value.text.clone());
                self.push(f);
            }
        }
    }

    /// Policy variables need "2012-10-17"; "2008-10-17" is the old grammar.
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>
    fn version(&mut self) {
        match &self.policy.version {
            None => {
                let f = Finding::new("missing-version", Severity::Warning, head(self.policy.span));
                self.push(f);
            }
            Some(v) if v.value == "2008-10-17" => {
                let f = Finding::new("old-version", Severity::Suggestion, v.span);
                self.push(f);
            }
            Some(_) => {}
        }
    }

    /// Two statements with one `Sid`: IAM Access Analyzer reports
    /// duplicate statement ids; readers and tools that address statements
    /// by Sid pick the wrong one.
    fn duplicate_sids(&mut self) {
        let mut seen: Vec<&str> = Vec::new();
        let policy = self.policy;
        for st in &policy.statements {
            let Some(sid) = &st.sid else { continue };
            if sid.value.is_empty() {
                continue;
            }
            if seen.contains(&sid.value.as_str()) {
                let f = Finding::new("duplicate-sid", Severity::Warning, sid.span)
                    .with("sid", sid.value.clone());
                self.push(f);
            } else {
                seen.push(&sid.value);
            }
        }
    }

    fn statement(&mut self, st: &Statement) {
        let actions = Actions::of(st);
        self.actions(st);
        for c in &st.conditions {
            self.condition(st, c, &actions);
        }
        for r in st.resource.iter().flat_map(|r| &r.items) {
            check_value(&r.value.text, r.span, ValueRole::Resource, self.out);
        }
        if let Some(p) = &st.principal {
            for e in &p.items {
                if e.value.kind == PrincipalKind::Aws {
                    check_value(&e.value.text, e.span, ValueRole::Principal, self.out);
                }
            }
        }
        if st.effect() == Some(Effect::Allow) {
            self.allow_statement(st, &actions);
        }
        if self.key_policy() && st.valid {
            self.resource_is_this_key(st);
        }
        if self.key_policy() && self.ctx.scenario == Some("cloudtrail-event-data-store") {
            // "aws:SourceArn and aws:SourceAccount condition keys are not
            // supported in KMS key policies for event data stores":
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
            for c in &st.conditions {
                if c.key_lower == "aws:sourcearn" || c.key_lower == "aws:sourceaccount" {
                    let f = Finding::new(
                        "source-condition-on-event-data-store",
                        Severity::Error,
                        c.key_span,
                    )
                    .with("key", c.key.clone());
                    self.push(f);
                }
            }
        }
    }

    /// `kms:Decrpyt` and `kms:Foo*` name no KMS action: the statement does
    /// not allow or deny what it seems to. Actions from the service
    /// authorization reference,
    /// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html>
    /// (IAM Access Analyzer: "Invalid action").
    fn actions(&mut self, st: &Statement) {
        let Some(clause) = &st.action else { return };
        for item in &clause.items {
            let Some((service, name)) = item.value.text.split_once(':') else {
                continue;
            };
            if !service.eq_ignore_ascii_case("kms") || !kms_ops(&item.value).is_empty() {
                continue;
            }
            let mut f = Finding::new("unknown-action", Severity::Error, item.span)
                .with("action", item.value.text.clone());
            if !item.value.pattern.has_wildcard() {
                if let Some(op) = nearest(name, catalogue::OPERATIONS.iter().map(|o| o.name), |s| {
                    s.to_string()
                }) {
                    f = f.with("suggestion", format!("kms:{op}"));
                }
            }
            self.push(f);
        }
    }

    fn condition(&mut self, st: &Statement, c: &Condition, actions: &Actions) {
        let info = key_info(&c.key_lower);
        if info.is_none() {
            let mut f = Finding::new("unknown-condition-key", Severity::Warning, c.key_span)
                .with("key", c.key.clone());
            if let Some(s) = suggest_key(&c.key) {
                f = f.with("suggestion", s);
            }
            // Keys of other services are not ours to judge.
            if is_checked_namespace(&c.key_lower) {
                self.push(f);
            }
        }
        if let Some(info) = info {
            self.operator_type(c, info);
            self.set_operator(c, info);
            self.key_in_request(st, c, actions);
        }
        self.literal_wildcards(c);
        // A Null condition's values are `true`/`false`, whatever the key
        // (the KMS RCP page's `"Null": {"aws:SourceAccount": "false"}`).
        if c.operator.kind == OperatorKind::Null {
            return;
        }
        for v in &c.values {
            let role = if ACCOUNT_KEYS.contains(&c.key_lower.as_str()) {
                ValueRole::Account
            } else {
                ValueRole::ConditionValue
            };
            check_value(&v.value.text, v.span, role, self.out);
        }
    }

    /// An operator of one type on a key of another never matches as meant
    /// (NumericEquals on an encryption context value, StringLike on
    /// aws:SourceIp). Types from
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html> and
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>;
    /// operators from
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.
    fn operator_type(&mut self, c: &Condition, info: KeyInfo) {
        use kmsplay_policy::ValueType as V;
        let op = c.operator.kind.value_type();
        let fits = match (op, info.ty) {
            (V::Null, _) | (_, KeyType::Any) => true,
            (V::String, t) => !matches!(t, KeyType::Ip | KeyType::Date),
            (V::Arn, t) => matches!(t, KeyType::Arn | KeyType::String),
            (V::Numeric, t) => matches!(t, KeyType::Numeric | KeyType::Epoch),
            (V::Date, t) => matches!(t, KeyType::Date | KeyType::Epoch),
            (V::Bool, t) => t == KeyType::Bool,
            (V::Ip, t) => t == KeyType::Ip,
            (V::Binary, _) => false,
        };
        if !fits {
            let f = Finding::new("operator-type-mismatch", Severity::Warning, c.key_span)
                .with("operator", c.operator.name())
                .with("key", c.key.clone())
                .with("type", info.ty.as_str())
                .with("suggestion", info.ty.operator());
            self.push(f);
        }
    }

    /// Set operators belong to multivalued keys only, and multivalued keys
    /// need one:
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
    /// KMS refuses key policies with `ForAllValues` on
    /// `kms:EncryptionContext:<key>` or `aws:RequestTag/<tag>`
    /// ("kms:EncryptionContext ForAllValues not supported", section "Using
    /// set operators with condition keys" of
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>).
    fn set_operator(&mut self, c: &Condition, info: KeyInfo) {
        if c.operator.kind == OperatorKind::Null {
            return;
        }
        match (c.operator.set, info.multi) {
            (None, true) => {
                let f = Finding::new("missing-set-operator", Severity::Warning, c.key_span)
                    .with("operator", c.operator.name())
                    .with("key", c.key.clone());
                self.push(f);
            }
            (Some(set), false) => {
                let rejected = set == SetQualifier::ForAllValues
                    && self.key_policy()
                    && (c.key_lower.starts_with("kms:encryptioncontext:")
                        || c.key_lower.starts_with("aws:requesttag/"));
                let (code, severity) = if rejected {
                    ("forallvalues-rejected", Severity::Error)
                } else {
                    ("set-operator-on-single-valued-key", Severity::Warning)
                };
                let f = Finding::new(code, severity, c.key_span)
                    .with("operator", c.operator.name())
                    .with("key", c.key.clone());
                self.push(f);
            }
            _ => {}
        }
    }

    /// A condition on a key that none of the statement's actions carries
    /// fails for every request (unless the operator holds on a missing key):
    /// the statement never applies. Which action carries which key: the
    /// service authorization reference (the catalogue); "If you use this
    /// type of condition key with an operation that is not authorized for a
    /// particular KMS key resource ... the permission is not effective
    /// because the condition can never be satisfied":
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>.
    fn key_in_request(&mut self, st: &Statement, c: &Condition, actions: &Actions) {
        if !actions.only_kms || actions.items.is_empty() || !action_dependent(&c.key_lower) {
            return;
        }
        if !fails_when_missing(c) {
            return;
        }
        let carried = |ops: &[&'static Operation]| ops.iter().any(|op| carries(op, &c.key_lower));
        let all: Vec<&'static Operation> = actions
            .items
            .iter()
            .flat_map(|(_, ops)| ops.clone())
            .collect();
        if all.is_empty() {
            return;
        }
        if !carried(&all) {
            let names: Vec<&str> = st
                .action
                .iter()
                .flat_map(|a| &a.items)
                .map(|i| i.value.text.as_str())
                .collect();
            let f = Finding::new(
                "condition-key-not-in-request",
                Severity::Warning,
                c.key_span,
            )
            .with("key", c.key.clone())
            .with("actions", names.join(", "));
            self.push(f);
            return;
        }
        for (item, ops) in &actions.items {
            if !ops.is_empty() && !carried(ops) {
                let f = Finding::new(
                    "condition-key-not-for-action",
                    Severity::Suggestion,
                    item.span,
                )
                .with("action", item.value.text.clone())
                .with("key", c.key.clone());
                self.push(f);
            }
        }
    }

    /// `*` and `?` are wildcards only in the `…Like` and `Arn…` operators;
    /// in StringEquals they are literal characters:
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String>.
    fn literal_wildcards(&mut self, c: &Condition) {
        use OperatorKind::*;
        let like = match c.operator.kind {
            StringEquals | StringEqualsIgnoreCase => StringLike,
            StringNotEquals | StringNotEqualsIgnoreCase => StringNotLike,
            _ => return,
        };
        for v in &c.values {
            if has_wildcard_outside_variables(&v.value.text) {
                let suggestion = kmsplay_policy::Operator {
                    kind: like,
                    ..c.operator
                };
                let f = Finding::new("literal-wildcard", Severity::Warning, v.span)
                    .with("operator", c.operator.name())
                    .with("value", v.value.text.clone())
                    .with("suggestion", suggestion.name());
                self.push(f);
            }
        }
    }

    fn allow_statement(&mut self, st: &Statement, actions: &Actions) {
        if !matches!(self.ctx.kind, PolicyKind::Resource | PolicyKind::Identity) {
            // SCPs, RCPs, boundaries, session and endpoint policies only
            // limit: their Allow grants nothing, to anyone.
            return;
        }
        // "NotAction with Allow" allows everything not listed, including
        // actions AWS adds later: IAM Access Analyzer security warning
        // "Allow with NotAction";
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
        if let Some(a) = st.action.as_ref().filter(|a| a.negated) {
            self.push(Finding::new(
                "notaction-with-allow",
                Severity::Security,
                a.span,
            ));
        }
        let Some(principal) = st.principal.as_ref().filter(|p| !p.negated) else {
            return;
        };
        let limited = has_limiting_condition(st);
        for e in &principal.items {
            let entry = &e.value;
            match entry.kind {
                // "Principal": "*" without a condition on the caller's
                // account, organization or source lets anyone in: the
                // Principal element in
                // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html#key-policy-elements
                // and IAM Access Analyzer's public-access finding.
                PrincipalKind::Any if !limited => {
                    let f = Finding::new("public-principal", Severity::Security, e.span);
                    self.push(f);
                }
                PrincipalKind::Service if actions.full => {
                    let f = Finding::new("full-access-to-service", Severity::Security, e.span)
                        .with("principal", entry.text.clone());
                    self.push(f);
                }
                PrincipalKind::Aws => {
                    let Some(key_account) = self.key_account() else {
                        continue;
                    };
                    let account = arn::account(&entry.value).unwrap_or_default();
                    if account == key_account {
                        continue;
                    }
                    // Another account's principals: the key policy half of
                    // cross-account access,
                    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
                    if actions.full {
                        let f = Finding::new(
                            "full-access-to-other-account",
                            Severity::Security,
                            e.span,
                        )
                        .with("principal", entry.text.clone())
                        .with("account", account);
                        self.push(f);
                    } else if entry.account_root().is_some() && !limited {
                        let f =
                            Finding::new("external-account-unlimited", Severity::Security, e.span)
                                .with("account", account);
                        self.push(f);
                    }
                }
                _ => {}
            }
        }
    }

    /// In a key policy `"Resource": "*"` means this key; any other value
    /// must match the key's ARN or the statement never applies:
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html#key-policy-elements>.
    fn resource_is_this_key(&mut self, st: &Statement) {
        let (Some(key), Some(res)) = (self.ctx.key, &st.resource) else {
            return;
        };
        if res.negated || res.items.is_empty() {
            return;
        }
        let matches = res.items.iter().any(|r| match &r.value.compiled {
            Some(p) => p.matches(&key.arn),
            None => true, // a variable: may match
        });
        let placeholder = res
            .items
            .iter()
            .any(|r| placeholder_in(&r.value.text).is_some());
        if !matches && !placeholder {
            let first = &res.items[0];
            let f = Finding::new("resource-not-this-key", Severity::Warning, first.span)
                .with("resource", first.value.text.clone())
                .with("key", key.arn.clone());
            self.push(f);
        }
    }

    /// An Allow covered by another Allow (same principals or more, every
    /// action and resource, no condition) adds nothing.
    fn redundant_statements(&mut self) {
        let policy = self.policy;
        let statements = &policy.statements;
        for (i, a) in statements.iter().enumerate() {
            if !plain_allow(a) {
                continue;
            }
            let covering = statements.iter().enumerate().find(|(j, b)| {
                *j != i
                    && plain_allow(b)
                    && b.conditions.is_empty()
                    && b.condition_span.is_none()
                    && principals_cover(b, a)
                    && actions_cover(b, a)
                    && resources_cover(b, a)
                    // Two identical statements: report only the later one.
                    && !(*j > i && covers_mutually(a, b))
            });
            if let Some((j, b)) = covering {
                let label = match &b.sid {
                    Some(s) if !s.value.is_empty() => format!("#{} \"{}\"", j + 1, s.value),
                    _ => format!("#{}", j + 1),
                };
                let span = a.sid.as_ref().map_or(head(a.span), |s| s.span);
                let f = Finding::new("redundant-statement", Severity::Suggestion, span)
                    .with("statement", label);
                self.push(f);
            }
        }
    }

    /// KMS refuses a key policy that would not let the principal making the
    /// request call PutKeyPolicy again ("PutKeyPolicy
    /// BypassPolicyLockoutSafetyCheck"):
    /// <https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>
    /// and
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key>.
    /// Approximation: some Allow must cover kms:PutKeyPolicy on this key for
    /// the key account's root, an IAM principal of that account, or "*",
    /// and no unconditional Deny for "*" may take it away.
    fn lockout(&mut self) {
        let put = "kms:putkeypolicy";
        let key_arn = self.ctx.key.map(|k| k.arn.as_str());
        let key_account = self.key_account();
        let usable = |st: &Statement| st.valid && covers_action(st, put) && covers_key(st, key_arn);
        let allowed = self.policy.statements.iter().any(|st| {
            st.effect() == Some(Effect::Allow)
                && usable(st)
                && st.principal.as_ref().is_some_and(|p| {
                    !p.negated
                        && p.items.iter().any(|e| match e.value.kind {
                            PrincipalKind::Any => true,
                            PrincipalKind::Aws => {
                                key_account.is_none_or(|a| arn::account(&e.value.value) == Some(a))
                            }
                            _ => false,
                        })
                })
        });
        let denied = self.policy.statements.iter().any(|st| {
            st.effect() == Some(Effect::Deny)
                && usable(st)
                && st.conditions.is_empty()
                && st.principal.as_ref().is_some_and(|p| {
                    !p.negated && p.items.iter().any(|e| e.value.kind == PrincipalKind::Any)
                })
        });
        if !allowed || denied {
            let f = Finding::new(
                "key-policy-lockout",
                Severity::Error,
                head(self.policy.span),
            );
            self.push(f);
        }
    }

    /// Without an Allow for `arn:aws:iam::<key account>:root`, IAM policies
    /// in the key's account grant nothing on the key:
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>.
    fn root_delegation(&mut self) {
        let key_account = self.key_account();
        let key_arn = self.ctx.key.map(|k| k.arn.as_str());
        let delegated = self.policy.statements.iter().any(|st| {
            st.valid
                && st.effect() == Some(Effect::Allow)
                && covers_key(st, key_arn)
                && st.principal.as_ref().is_some_and(|p| {
                    !p.negated
                        && p.items.iter().any(|e| match e.value.account_root() {
                            Some(a) => key_account.is_none_or(|k| k == a),
                            None => false,
                        })
                })
        });
        if !delegated {
            let f = Finding::new(
                "no-root-delegation",
                Severity::Warning,
                head(self.policy.span),
            )
            .with("account", key_account.unwrap_or("ACCOUNT"));
            self.push(f);
        }
    }

    fn scenario(&mut self) {
        let (Some(key), Some(scenario)) = (self.ctx.key, self.ctx.scenario) else {
            return;
        };
        let at = head(self.policy.span);
        // CloudTrail encrypts with symmetric encryption KMS keys only
        // (seed 002/004; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html);
        // EventBridge too: it calls DescribeKey "to verify that the key is
        // symmetric" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html).
        // KMS key spec names: catalogue.rs (CreateKey reference).
        let service = if scenario.starts_with("cloudtrail") {
            Some("CloudTrail")
        } else if scenario == "eventbridge-connection" {
            Some("EventBridge")
        } else {
            None
        };
        let symmetric_encryption = key.spec.name == "SYMMETRIC_DEFAULT";
        if let (Some(service), false) = (service, symmetric_encryption) {
            let f = Finding::new("key-spec-unsupported-by-service", Severity::Error, at)
                .with("spec", key.spec.name)
                .with("service", service);
            self.push(f);
        }
        // "the key must have the resource tag EventBridgeApiDestinations
        // with the value true": seed 000,
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html
        if scenario == "eventbridge-connection"
            && !key
                .tags
                .iter()
                .any(|(k, v)| k == "EventBridgeApiDestinations" && v == "true")
        {
            self.push(Finding::new(
                "eventbridge-tag-missing",
                Severity::Warning,
                at,
            ));
        }
    }
}
