//! Findings: the mistakes a linter catches in a key policy or an IAM
//! policy before AWS (or a failing CloudTrail trail) does.
//!
//! Each finding is a stable kebab-case code, a [`Severity`], the span of
//! the text it is about and named parameters; the message catalogues hold
//! the words (`finding.<code>` for what is wrong, `finding.<code>.help` for
//! what to do). The parser's own diagnostics (JSON and grammar errors) pass
//! through with their codes, so an editor shows one list.
//!
//! The severities follow IAM Access Analyzer's policy validation
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>):
//! `error` (AWS rejects the policy, or the setup cannot work), `security`
//! (it works but lets in more than intended), `warning` (part of it never
//! matches or does not mean what it seems), `suggestion` (clean-up).
//!
//! The AWS pages behind each rule are cited next to it below.

use kmsplay_json::{Node, Span, Value};
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_kms::Key;
use kmsplay_playground::{FileError, PlaygroundFile, PolicySource};
use kmsplay_policy::{
    arn, is_account_id, parse_text, ActionPattern, Condition, Diagnostic, Effect, OperatorKind,
    Parsed, Policy, PolicyKind, PrincipalKind, SetQualifier, Spanned, Statement,
};

/// How bad a finding is, in IAM Access Analyzer's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS rejects the policy, or what it is for cannot work.
    Error,
    /// It works, but lets in more than was probably meant.
    Security,
    /// Accepted, but part of it never matches or does not mean what it seems.
    Warning,
    /// Worth tidying.
    Suggestion,
}

impl Severity {
    /// `error`, `security`, `warning` or `suggestion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Security => "security",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable kebab-case code; the message ids are `finding.<code>` and
    /// `finding.<code>.help` (parser codes keep their `diag.<code>` message).
    pub code: &'static str,
    /// How bad.
    pub severity: Severity,
    /// Where, in the text the policy was read from.
    pub span: Span,
    /// Named values the messages need. A `suggestion` parameter, when
    /// present, is a "did you mean" replacement.
    pub params: Vec<(&'static str, String)>,
}

impl Finding {
    fn new(code: &'static str, severity: Severity, span: Span) -> Finding {
        Finding {
            code,
            severity,
            span,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.params.push((name, value.into()));
        self
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the linter knows besides the policy text.
#[derive(Debug, Clone, Copy)]
pub struct LintContext<'a> {
    /// The key the policy belongs to (its account, ARN, spec and tags);
    /// without it the account-dependent checks assume any account may be
    /// the key's.
    pub key: Option<&'a Key>,
    /// A key policy or an IAM identity policy.
    pub kind: PolicyKind,
    /// The scenario the key serves: `cloudtrail-trail`,
    /// `cloudtrail-event-data-store` or `eventbridge-connection`.
    pub scenario: Option<&'a str>,
}

/// Lints policy text (what a user pasted). JSON and grammar errors from the
/// parser become findings of severity [`Severity::Error`] with the parser's
/// codes.
pub fn lint_text(text: &str, ctx: &LintContext) -> Vec<Finding> {
    lint_policy(&parse_text(text, ctx.kind), ctx)
}

/// Lints an already parsed policy (spans into whatever text it came from).
pub fn lint_policy(parsed: &kmsplay_policy::ParsedPolicy, ctx: &LintContext) -> Vec<Finding> {
    lint_parts(parsed.policy.as_ref(), &parsed.diagnostics, ctx)
}

/// Lints every policy of a playground file: the key policy with the file's
/// key as context, identity policies as [`PolicyKind::Identity`]. Spans are
/// into the policy's own text when it was given as a string (see
/// [`kmsplay_playground::PolicyDiagnostics::text`]), else into the file.
pub fn lint_file(
    file: &PlaygroundFile,
    scenario: Option<&str>,
) -> Vec<(PolicySource, Vec<Finding>)> {
    let mut linted: Vec<(PolicySource, Vec<Finding>)> = file
        .policies
        .iter()
        .map(|p| {
            let (policy, kind) = match &p.source {
                PolicySource::Key => (file.key.policy.as_ref(), PolicyKind::Resource),
                PolicySource::Identity { identity, policy } => (
                    file.identities
                        .get(*identity)
                        .and_then(|i| i.policies.get(*policy))
                        .and_then(Option::as_ref),
                    PolicyKind::Identity,
                ),
                other => (
                    kmsplay_playground::source_policy_of(file, other),
                    kmsplay_playground::policy_kind(other),
                ),
            };
            let ctx = LintContext {
                key: Some(&file.key),
                kind,
                scenario,
            };
            (p.source.clone(), lint_parts(policy, &p.diagnostics, &ctx))
        })
        .collect();
    scp_without_kms(file, &mut linted);
    linted
}

/// Does this statement allow the (lower-case) action?
fn allows_action(st: &kmsplay_policy::Statement, action: &str) -> bool {
    let allow = st
        .effect
        .as_ref()
        .is_some_and(|e| e.value == kmsplay_policy::Effect::Allow);
    let Some(clause) = &st.action else {
        return false;
    };
    let named = clause.items.iter().any(|i| i.value.pattern.matches(action));
    allow && named != clause.negated
}

/// A node whose listed SCPs (which replace `FullAWSAccess`) allow none of
/// the KMS actions its accounts' requests use, or no KMS action at all when
/// no request comes from below it: every such call is implicitly denied,
/// because an Allow is needed at every node from the root to the account
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
/// The finding goes on the node's first SCP.
fn scp_without_kms(file: &PlaygroundFile, linted: &mut [(PolicySource, Vec<Finding>)]) {
    let Some(org) = &file.organization else {
        return;
    };
    for (node, policies) in &org.scps {
        if *node == org.management_account {
            continue;
        }
        let under = |account: &str| {
            *node == org.root
                || node == account
                || org
                    .accounts
                    .iter()
                    .any(|(a, path)| a == account && path.contains(node))
        };
        let mut wanted: Vec<&'static str> = Vec::new();
        for r in &file.requests {
            let Some(account) = r.principal.account() else {
                continue;
            };
            if org.is_member(account) && under(account) {
                let action = catalogue::action_lower(r.operation);
                if !wanted.contains(&action) {
                    wanted.push(action);
                }
            }
        }
        let allowed = |action: &str| {
            policies
                .iter()
                .flatten()
                .flat_map(|p| &p.statements)
                .any(|st| allows_action(st, action))
        };
        let missing: Vec<String> = if wanted.is_empty() {
            let any = catalogue::OPERATIONS
                .iter()
                .any(|op| allowed(catalogue::action_lower(op)));
            if any {
                continue;
            }
            vec!["kms:*".to_string()]
        } else {
            wanted
                .iter()
                .filter(|a| !allowed(a))
                .map(|a| {
                    let op = catalogue::operation(a).map_or(*a, |o| o.name);
                    format!("kms:{op}")
                })
                .collect()
        };
        if missing.is_empty() {
            continue;
        }
        let Some((index, policy)) = policies
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.as_ref().map(|p| (i, p)))
        else {
            continue;
        };
        let source = PolicySource::Scp {
            node: node.clone(),
            policy: index,
        };
        if let Some((_, findings)) = linted.iter_mut().find(|(s, _)| *s == source) {
            findings.push(
                Finding::new("scp-blocks-kms", Severity::Warning, head(policy.span))
                    .with("node", node.clone())
                    .with("actions", missing.join(", ")),
            );
            kmsplay_json::sort_by_offsets(findings, |f| (f.span.start, f.span.end));
        }
    }
}

/// The findings of one policy of a linted document.
#[derive(Debug, Clone, PartialEq)]
pub struct LintedPolicy {
    /// Which policy of a playground file; None for a bare policy.
    pub source: Option<PolicySource>,
    /// The policy text the spans refer to, when it is not the document
    /// itself (a policy given as a string inside a playground file).
    pub text: Option<String>,
    /// The findings, sorted by position.
    pub findings: Vec<Finding>,
}

/// Lints a document that is either a policy or a playground file (an
/// object with `"version"` and `"key"`), as the command line reads it.
///
/// A bare policy in which no statement has `Principal` or `NotPrincipal`
/// is read as an identity policy, any other as a key policy. A playground
/// file's optional top-level `"scenario"` string overrides `scenario`.
/// Fails only for a playground file that cannot be read.
pub fn lint_document(text: &str, scenario: Option<&str>) -> Result<Vec<LintedPolicy>, FileError> {
    let root = kmsplay_json::parse(text).ok();
    let is_playground = root
        .as_ref()
        .is_some_and(|r| r.get("version").is_some() && r.get("key").is_some());
    if is_playground {
        let file = kmsplay_playground::read(text)?;
        let own = root
            .as_ref()
            .and_then(|r| r.get("scenario"))
            .and_then(Node::as_str);
        let scenario = own.or(scenario);
        return Ok(lint_file(&file, scenario)
            .into_iter()
            .map(|(source, findings)| LintedPolicy {
                text: file
                    .policies
                    .iter()
                    .find(|p| p.source == source)
                    .and_then(|p| p.text.clone()),
                source: Some(source),
                findings,
            })
            .collect());
    }
    let kind = match &root {
        Some(r) if !names_principal(r) => PolicyKind::Identity,
        _ => PolicyKind::Resource,
    };
    let ctx = LintContext {
        key: None,
        kind,
        scenario,
    };
    Ok(vec![LintedPolicy {
        source: None,
        text: None,
        findings: lint_text(text, &ctx),
    }])
}

/// Does some statement of this policy JSON have `Principal` or
/// `NotPrincipal`? (True when there is no statement to look at.)
fn names_principal(root: &Node) -> bool {
    let statements: Vec<&Node> = match root.get("Statement").map(|s| &s.value) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(_)) => root.get("Statement").into_iter().collect(),
        _ => return true,
    };
    statements.is_empty()
        || statements
            .iter()
            .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
}

// ---------------------------------------------------------------------------
// The linter
// ---------------------------------------------------------------------------

fn lint_parts(
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
fn head(span: Span) -> Span {
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

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

/// The KMS operations an action pattern matches (none for other services).
fn kms_ops(a: &ActionPattern) -> Vec<&'static Operation> {
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
struct Actions<'s> {
    /// Each item with the KMS operations it matches (empty for NotAction).
    items: Vec<(&'s Spanned<ActionPattern>, Vec<&'static Operation>)>,
    /// Every item is a `kms:` pattern (not `*`, not another service).
    only_kms: bool,
    /// All of KMS: `*`, `kms:*`, or NotAction.
    full: bool,
}

impl<'s> Actions<'s> {
    fn of(st: &'s Statement) -> Actions<'s> {
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
fn covers_action(st: &Statement, action: &str) -> bool {
    st.action
        .as_ref()
        .is_some_and(|a| a.items.iter().any(|i| i.value.pattern.matches(action)) != a.negated)
}

/// Does the statement's Resource/NotResource cover the key (any key when
/// it is not known)?
fn covers_key(st: &Statement, key_arn: Option<&str>) -> bool {
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

fn plain_allow(st: &Statement) -> bool {
    st.valid
        && st.effect() == Some(Effect::Allow)
        && st.action.as_ref().is_some_and(|a| !a.negated)
        && st.resource.as_ref().is_some_and(|r| !r.negated)
        && st.principal.as_ref().is_none_or(|p| !p.negated)
}

/// Does `b` name every principal `a` names? (Both without principals, as in
/// identity policies, count as the same.)
fn principals_cover(b: &Statement, a: &Statement) -> bool {
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

fn actions_cover(b: &Statement, a: &Statement) -> bool {
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

fn resources_cover(b: &Statement, a: &Statement) -> bool {
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

fn covers_mutually(a: &Statement, b: &Statement) -> bool {
    a.conditions.is_empty()
        && a.condition_span.is_none()
        && principals_cover(a, b)
        && actions_cover(a, b)
        && resources_cover(a, b)
}

// ---------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------

/// A condition key's type, as the key references list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    String,
    Arn,
    Numeric,
    Date,
    /// aws:EpochTime: Date or Numeric.
    Epoch,
    Bool,
    Ip,
    /// Not sure: no type check.
    Any,
}

impl KeyType {
    fn as_str(self) -> &'static str {
        match self {
            KeyType::String | KeyType::Any => "String",
            KeyType::Arn => "ARN",
            KeyType::Numeric => "Numeric",
            KeyType::Date | KeyType::Epoch => "Date",
            KeyType::Bool => "Bool",
            KeyType::Ip => "IPAddress",
        }
    }

    /// An operator of the key's type, to suggest.
    fn operator(self) -> &'static str {
        match self {
            KeyType::String | KeyType::Any => "StringEquals",
            KeyType::Arn => "ArnLike",
            KeyType::Numeric => "NumericEquals",
            KeyType::Date | KeyType::Epoch => "DateLessThan",
            KeyType::Bool => "Bool",
            KeyType::Ip => "IpAddress",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct KeyInfo {
    ty: KeyType,
    multi: bool,
}

/// Global condition keys (lower-cased) and their types:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.
const AWS_KEYS: &[(&str, KeyType, bool)] = &[
    ("aws:assumedroot", KeyType::Any, false),
    ("aws:calledvia", KeyType::String, true),
    ("aws:calledviafirst", KeyType::String, false),
    ("aws:calledvialast", KeyType::String, false),
    ("aws:chatbotsourcearn", KeyType::Arn, false),
    ("aws:currenttime", KeyType::Date, false),
    ("aws:ec2instancesourceprivateipv4", KeyType::Ip, false),
    ("aws:ec2instancesourcevpc", KeyType::String, false),
    ("aws:epochtime", KeyType::Epoch, false),
    ("aws:federatedprovider", KeyType::String, false),
    ("aws:multifactorauthage", KeyType::Numeric, false),
    ("aws:multifactorauthpresent", KeyType::Bool, false),
    ("aws:principalaccount", KeyType::String, false),
    ("aws:principalarn", KeyType::Arn, false),
    ("aws:principalisawsservice", KeyType::Bool, false),
    ("aws:principalorgid", KeyType::String, false),
    ("aws:principalorgpaths", KeyType::String, true),
    ("aws:principalservicename", KeyType::String, false),
    ("aws:principalservicenameslist", KeyType::String, true),
    ("aws:principaltype", KeyType::String, false),
    ("aws:referer", KeyType::String, false),
    ("aws:requestedregion", KeyType::String, false),
    ("aws:resourceaccount", KeyType::String, false),
    ("aws:resourceorgid", KeyType::String, false),
    ("aws:resourceorgpaths", KeyType::String, true),
    ("aws:securetransport", KeyType::Bool, false),
    ("aws:sourceaccount", KeyType::String, false),
    ("aws:sourcearn", KeyType::Arn, false),
    ("aws:sourceidentity", KeyType::String, false),
    ("aws:sourceip", KeyType::Ip, false),
    ("aws:sourceorgid", KeyType::String, false),
    ("aws:sourceorgpaths", KeyType::String, true),
    ("aws:sourcevpc", KeyType::String, false),
    ("aws:sourcevpcarn", KeyType::Arn, false),
    ("aws:sourcevpce", KeyType::String, false),
    ("aws:tagkeys", KeyType::String, true),
    ("aws:tokenissuetime", KeyType::Date, false),
    ("aws:useragent", KeyType::String, false),
    ("aws:userid", KeyType::String, false),
    ("aws:username", KeyType::String, false),
    ("aws:viaawsservice", KeyType::Bool, false),
    ("aws:vpcsourceip", KeyType::Ip, false),
    ("aws:vpceaccount", KeyType::String, false),
    ("aws:vpceorgid", KeyType::String, false),
    ("aws:vpceorgpaths", KeyType::String, true),
];

/// Global key families with a tag name after the slash.
const AWS_TAG_FAMILIES: &[&str] = &["aws:resourcetag/", "aws:requesttag/", "aws:principaltag/"];

/// KMS condition keys whose type is not String, or which are multivalued:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>
/// ("Condition key / Condition type / Value type" of each key).
const KMS_KEY_TYPES: &[(&str, KeyType, bool)] = &[
    ("kms:bypasspolicylockoutsafetycheck", KeyType::Bool, false),
    ("kms:encryptioncontextkeys", KeyType::String, true),
    ("kms:grantisforawsresource", KeyType::Bool, false),
    ("kms:grantoperations", KeyType::String, true),
    ("kms:multiregion", KeyType::Bool, false),
    ("kms:reencryptonsamekey", KeyType::Bool, false),
    ("kms:resourcealiases", KeyType::String, true),
    ("kms:rotationperiodindays", KeyType::Numeric, false),
    (
        "kms:schedulekeydeletionpendingwindowindays",
        KeyType::Numeric,
        false,
    ),
    ("kms:trailingdayswithoutkeyusage", KeyType::Numeric, false),
    ("kms:validto", KeyType::Date, false),
];

/// KMS keys the service authorization reference no longer lists for an
/// action but KMS still accepts (deprecated spellings).
const KMS_EXTRA_KEYS: &[&str] = &["kms:customermasterkeyspec", "kms:customermasterkeyusage"];

/// Keys whose values are account ids.
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:resourceaccount",
    "aws:sourceaccount",
    "aws:vpceaccount",
    "kms:calleraccount",
];

/// Only `aws:` and `kms:` keys (and keys with no service prefix at all)
/// are judged; other services' keys are left alone.
fn is_checked_namespace(lower: &str) -> bool {
    match lower.split_once(':') {
        Some((ns, _)) => ns == "aws" || ns == "kms",
        None => true,
    }
}

/// Every `kms:` key of the catalogue, lower-cased (families such as
/// `kms:encryptioncontext:` end with their separator).
fn kms_keys() -> &'static [String] {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = catalogue::OPERATIONS
            .iter()
            .flat_map(|op| op.condition_keys.iter())
            .filter(|k| k.starts_with("kms:"))
            .map(|k| family_prefix(k).to_ascii_lowercase())
            .chain(KMS_EXTRA_KEYS.iter().map(|k| k.to_string()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    })
}

/// `kms:EncryptionContext:${EncryptionContextKey}` → `kms:EncryptionContext:`.
fn family_prefix(key: &str) -> &str {
    key.find("${").map_or(key, |i| &key[..i])
}

/// Type and cardinality of a known `aws:` or `kms:` key; None for an
/// unknown key (and for other services' keys).
fn key_info(lower: &str) -> Option<KeyInfo> {
    if let Some(&(_, ty, multi)) = AWS_KEYS.iter().find(|(k, _, _)| *k == lower) {
        return Some(KeyInfo { ty, multi });
    }
    let string = Some(KeyInfo {
        ty: KeyType::String,
        multi: false,
    });
    if AWS_TAG_FAMILIES
        .iter()
        .any(|f| lower.len() > f.len() && lower.starts_with(f))
    {
        return string;
    }
    if !lower.starts_with("kms:") {
        return None;
    }
    let known = kms_keys().iter().any(|k| {
        if k.ends_with(':') || k.ends_with('/') {
            lower.len() > k.len() && lower.starts_with(k.as_str())
        } else {
            k == lower
        }
    });
    if !known {
        return None;
    }
    match KMS_KEY_TYPES.iter().find(|(k, _, _)| *k == lower) {
        Some(&(_, ty, multi)) => Some(KeyInfo { ty, multi }),
        None => string,
    }
}

/// Keys whose presence depends on the action: KMS's own keys (but
/// kms:CallerAccount, which every KMS request carries) and the tag keys.
fn action_dependent(lower: &str) -> bool {
    (lower.starts_with("kms:") && lower != "kms:calleraccount" && !KMS_EXTRA_KEYS.contains(&lower))
        || lower == "aws:tagkeys"
        || lower.starts_with("aws:requesttag/")
        || lower.starts_with("aws:resourcetag/")
}

/// Does a request for `op` carry condition key `lower`?
fn carries(op: &Operation, lower: &str) -> bool {
    // Each operation's keys, lower-cased once, families cut to their prefix
    // (this runs for every condition of every statement on each keystroke).
    static TABLE: std::sync::OnceLock<Vec<Vec<(String, bool)>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        catalogue::OPERATIONS
            .iter()
            .map(|o| {
                o.condition_keys
                    .iter()
                    .map(|k| {
                        let prefix = family_prefix(k);
                        (prefix.to_ascii_lowercase(), prefix.len() != k.len())
                    })
                    .collect()
            })
            .collect()
    });
    let keys = catalogue::OPERATIONS
        .iter()
        .position(|o| o.name == op.name)
        .and_then(|i| table.get(i));
    let Some(keys) = keys else {
        return false;
    };
    keys.iter().any(|(k, family)| {
        if *family {
            lower.len() > k.len() && lower.starts_with(k.as_str())
        } else {
            k == lower
        }
    })
}

/// Is the condition false when its key is missing from the request?
fn fails_when_missing(c: &Condition) -> bool {
    if c.operator.kind == OperatorKind::Null {
        // Null "true" holds on a missing key.
        return !c
            .values
            .iter()
            .any(|v| matches!(v.value.parsed, Parsed::Bool(true)));
    }
    !(c.operator.if_exists
        || c.operator.set == Some(SetQualifier::ForAllValues)
        || c.operator.kind.is_negated())
}

/// Keys that limit who can use a statement with a broad principal
/// (the brief's list, after the KMS key policy pages: kms:CallerAccount,
/// kms:ViaService; aws:PrincipalAccount, aws:PrincipalOrgID and the source
/// keys from the global keys page; encryption context keys).
const LIMITING_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "kms:calleraccount",
    "kms:encryptioncontextkeys",
    "kms:viaservice",
];

/// Does some condition of the statement narrow who can use it?
fn has_limiting_condition(st: &Statement) -> bool {
    st.conditions.iter().any(|c| {
        let op = c.operator;
        if op.kind == OperatorKind::Null {
            // Null "false" on an encryption context key: the context must
            // be there.
            return c.key_lower.starts_with("kms:encryptioncontext:")
                && c.values
                    .iter()
                    .all(|v| matches!(v.value.parsed, Parsed::Bool(false)));
        }
        if op.if_exists || op.kind.is_negated() || op.set == Some(SetQualifier::ForAllValues) {
            return false;
        }
        let everything = c.values.iter().all(|v| v.value.text == "*");
        if everything || c.values.is_empty() {
            return false;
        }
        if c.key_lower == "aws:principalarn" {
            // Only when each ARN pins the account.
            return c.values.iter().all(|v| {
                arn::account(&v.value.text).is_some_and(|a| !a.contains('*') && !a.contains('?'))
            });
        }
        LIMITING_KEYS.contains(&c.key_lower.as_str())
            || c.key_lower.starts_with("kms:encryptioncontext:")
    })
}

/// `*` or `?` outside `${…}` variables and escapes.
fn has_wildcard_outside_variables(text: &str) -> bool {
    let mut rest = text;
    loop {
        match rest.find("${") {
            Some(i) => {
                if rest[..i].contains(['*', '?']) {
                    return true;
                }
                match rest[i..].find('}') {
                    Some(j) => rest = &rest[i + j + 1..],
                    None => return rest[i..].contains(['*', '?']),
                }
            }
            None => return rest.contains(['*', '?']),
        }
    }
}

// ---------------------------------------------------------------------------
// Values: placeholders, ARNs, account ids
// ---------------------------------------------------------------------------

/// Where a value stands, which decides what it must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueRole {
    /// An `AWS` principal entry (ARN or account id).
    Principal,
    /// A `Resource` entry.
    Resource,
    /// A value of an account-id condition key.
    Account,
    /// Any other condition value.
    ConditionValue,
}

/// The placeholders in a value, comma-separated: documentation words in
/// ARN parts or as the whole value, or `<word>` / `{word}` (but not `${…}`).
fn placeholder_in(value: &str) -> Option<String> {
    if let Some(p) = bracketed(value) {
        return Some(p);
    }
    if crate::placeholders::WORDS.contains(&value) {
        return Some(value.to_string());
    }
    let [_, _, _, region, account, resource] = arn::split(value)?;
    let mut found: Vec<&str> = Vec::new();
    let parts = [region, account]
        .into_iter()
        .chain(resource.split(['/', ':']));
    for part in parts {
        if crate::placeholders::WORDS.contains(&part) && !found.contains(&part) {
            found.push(part);
        }
    }
    (!found.is_empty()).then(|| found.join(", "))
}

/// `<account>`, `<ACCOUNT_ID>`, `{account-id}`: a word in angle brackets or
/// in braces not opened by `${`.
fn bracketed(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let close = match b {
            b'<' => b'>',
            b'{' if i == 0 || bytes[i - 1] != b'$' => b'}',
            _ => continue,
        };
        let rest = &value[i + 1..];
        let Some(len) = rest.find(close as char) else {
            continue;
        };
        let word = &rest[..len];
        if !word.is_empty()
            && word
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            && word.bytes().any(|c| c.is_ascii_alphabetic())
        {
            return Some(value[i..i + len + 2].to_string());
        }
    }
    None
}

/// Partitions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Services whose ARNs carry a Region and an account.
const REGIONAL_SERVICES: &[&str] = &[
    "cloudtrail",
    "dynamodb",
    "ec2",
    "events",
    "kms",
    "lambda",
    "logs",
    "secretsmanager",
    "sns",
    "sqs",
];

fn has_wildcard_or_variable(part: &str) -> bool {
    part.contains(['*', '?']) || part.contains("${")
}

/// Looks for a placeholder, a mistyped account id or a malformed ARN.
fn check_value(value: &str, span: Span, role: ValueRole, out: &mut Vec<Finding>) {
    if let Some(p) = placeholder_in(value) {
        // Copied from the documentation without filling in the real value:
        // AWS compares it as an ordinary string, so the statement never
        // matches a real request (seed 002's statements).
        out.push(
            Finding::new("placeholder-left-in", Severity::Warning, span)
                .with("value", value.to_string())
                .with("placeholder", p),
        );
        return;
    }
    let bad_account = |account: &str| {
        !account.is_empty()
            && !is_account_id(account)
            && !has_wildcard_or_variable(account)
            && (account.bytes().all(|b| b.is_ascii_digit()) || role != ValueRole::ConditionValue)
    };
    // An account id is 12 digits: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
    // (seed 002 writes 11111111111, eleven digits).
    let account_finding = |account: &str| {
        Finding::new("malformed-account-id", Severity::Warning, span)
            .with("value", value.to_string())
            .with("account", account.to_string())
    };
    if !value.starts_with("arn:") {
        let is_digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        let account_like = match role {
            ValueRole::Account => !has_wildcard_or_variable(value),
            ValueRole::Principal => is_digits,
            _ => false,
        };
        if account_like && bad_account(value) {
            out.push(account_finding(value));
        }
        return;
    }
    if role == ValueRole::ConditionValue
        && has_wildcard_or_variable(value)
        && arn::split(value).is_none()
    {
        return;
    }
    // ARN format: arn:partition:service:region:account-id:resource —
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
    let malformed =
        || Finding::new("malformed-arn", Severity::Warning, span).with("value", value.to_string());
    let Some([_, partition, service, region, account, resource]) = arn::split(value) else {
        out.push(malformed());
        return;
    };
    let partition_ok = PARTITIONS.contains(&partition) || has_wildcard_or_variable(partition);
    let regional = REGIONAL_SERVICES.contains(&service);
    let needs_account = regional || service == "iam" || service == "sts";
    if !partition_ok
        || service.is_empty()
        || resource.is_empty()
        || (regional && region.is_empty())
        || (needs_account && account.is_empty())
    {
        out.push(malformed());
        return;
    }
    if account.bytes().all(|b| b.is_ascii_digit()) && bad_account(account) {
        out.push(account_finding(account));
    }
}

// ---------------------------------------------------------------------------
// "Did you mean"
// ---------------------------------------------------------------------------

/// Optimal string alignment distance (edits and adjacent swaps), ASCII
/// case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The closest candidate within a few edits.
fn nearest<'c, T>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
    show: impl Fn(&'c str) -> T,
) -> Option<T> {
    let limit = (word.len() / 4).clamp(1, 3);
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| show(c))
}

/// Canonical spellings of the known keys, for suggestions.
fn canonical_keys() -> Vec<String> {
    let mut keys: Vec<String> = catalogue::OPERATIONS
        .iter()
        .flat_map(|op| op.condition_keys.iter())
        .map(|k| family_prefix(k).to_string())
        .collect();
    keys.extend(
        [
            "aws:CalledVia",
            "aws:CurrentTime",
            "aws:EpochTime",
            "aws:MultiFactorAuthAge",
            "aws:MultiFactorAuthPresent",
            "aws:PrincipalAccount",
            "aws:PrincipalArn",
            "aws:PrincipalIsAWSService",
            "aws:PrincipalOrgID",
            "aws:PrincipalOrgPaths",
            "aws:PrincipalServiceName",
            "aws:PrincipalTag/",
            "aws:PrincipalType",
            "aws:RequestedRegion",
            "aws:SecureTransport",
            "aws:SourceAccount",
            "aws:SourceArn",
            "aws:SourceIp",
            "aws:SourceOrgID",
            "aws:SourceVpc",
            "aws:SourceVpce",
            "aws:userid",
            "aws:username",
            "aws:ViaAWSService",
        ]
        .map(str::to_string),
    );
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A known key close to `key`: the whole key, or the family part of
/// `kms:EncryptionContex:aws:cloudtrail:arn` / `aws:ResourceTags/Project`.
fn suggest_key(key: &str) -> Option<String> {
    let keys = canonical_keys();
    // A family: split at the slash (aws:ResourceTag/) or after the second
    // colon (kms:EncryptionContext:), and correct the family part.
    let splits = [
        key.find('/').map(|i| i + 1),
        key.match_indices(':').nth(1).map(|(i, _)| i + 1),
    ];
    for at in splits.into_iter().flatten() {
        let (family, rest) = key.split_at(at);
        let families = keys.iter().filter(|k| k.ends_with(':') || k.ends_with('/'));
        if let Some(f) = nearest(family, families.map(String::as_str), str::to_string) {
            return Some(format!("{f}{rest}"));
        }
    }
    let whole = keys
        .iter()
        .filter(|k| !k.ends_with(':') && !k.ends_with('/'));
    nearest(key, whole.map(String::as_str), str::to_string)
}

/// The finding's message: `finding.<code>`, or the parser's `diag.<code>`
/// (with its hints) for grammar and JSON errors; a "did you mean" when the
/// finding carries a suggestion its help does not already give.
pub fn message(f: &Finding, lang: kmsplay_messages::Lang) -> String {
    let id = format!("finding.{}", f.code);
    if !kmsplay_messages::exists(&id) {
        let d = kmsplay_policy::Diagnostic {
            code: f.code,
            severity: kmsplay_policy::Severity::Error,
            span: f.span,
            params: f.params.clone(),
        };
        return kmsplay_playground::diagnostic_message(&d, lang);
    }
    let mut m = kmsplay_messages::render(lang, &id, &f.params);
    let help_names_it = kmsplay_messages::catalogue(kmsplay_messages::Lang::En)
        .text(&format!("{id}.help"))
        .is_some_and(|h| h.contains("{suggestion}"));
    if let (Some(s), false) = (f.param("suggestion"), help_names_it) {
        m.push_str("; ");
        m.push_str(&kmsplay_messages::render(
            lang,
            "finding.did-you-mean",
            &[("suggestion", s.to_string())],
        ));
    }
    m
}

/// The finding's help, when the catalogue has one.
pub fn help(f: &Finding, lang: kmsplay_messages::Lang) -> Option<String> {
    let id = format!("finding.{}.help", f.code);
    kmsplay_messages::exists(&id).then(|| kmsplay_messages::render(lang, &id, &f.params))
}

/// Where a linted policy stands in a playground file: `key` or
/// `identities[I].policies[J]`.
pub fn policy_name(source: &PolicySource) -> String {
    match source {
        PolicySource::Key => "key".to_string(),
        other => other.path(),
    }
}

/// Every finding of `linted` as the JSON the command line and the npm
/// package print: `code`, `severity`, `message`, `help`, `line`, `column`,
/// `end_line`, `end_column`, `start`, `end`, `params`, and for a playground
/// file `policy` and `in_policy_text`. `source` is the text that was linted.
pub fn findings_json(
    source: &str,
    linted: &[LintedPolicy],
    lang: kmsplay_messages::Lang,
) -> Vec<serde_json::Value> {
    use serde_json::{json, Map, Value};
    let mut findings = Vec::new();
    for p in linted {
        let index = kmsplay_json::LineIndex::new(p.text.as_deref().unwrap_or(source));
        for f in &p.findings {
            let start = index.position(f.span.start);
            let end = index.position(f.span.end);
            let params: Map<String, Value> = f
                .params
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                .collect();
            let mut o = json!({
                "code": f.code,
                "severity": f.severity.as_str(),
                "message": message(f, lang),
                "help": help(f, lang),
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "start": f.span.start,
                "end": f.span.end,
                "params": params,
            });
            if let Some(s) = &p.source {
                o["policy"] = Value::String(policy_name(s));
                o["in_policy_text"] = Value::Bool(p.text.is_some());
            }
            findings.push(o);
        }
    }
    findings
}
