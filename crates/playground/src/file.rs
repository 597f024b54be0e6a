//! Reading the playground file (format version 1; see
//! `shared/spec/playground-file.md`): one key, its identities, and requests.

use kmsplay_json::borrowed::Node as BorrowedNode;
use kmsplay_json::{JsonMember, JsonNode, Node, Span, View};
use kmsplay_kms::catalogue::{self, KeyState, KeyUsage, Operation};
use kmsplay_kms::grants::{GrantEnd, GrantEntry};
use kmsplay_kms::lifecycle::{Lifecycle, Rotation, RotationDone, Time, DEFAULT_WAITING_DAYS};
use kmsplay_kms::{Decision, Grant, GrantConstraint, Identity, Key, Outcome};
use kmsplay_policy::{parse_text, parse_tree, ContextValue, Diagnostic, PolicyKind, Principal};

/// A problem that makes the file unusable, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Stable code (a message id under `file.` or `diag.`).
    pub code: &'static str,
    /// The field, such as `requests[2].action`.
    pub path: String,
    /// Where in the file.
    pub span: Span,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

/// Where a policy's text lives, so diagnostics can be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// The key policy.
    Key,
    /// Policy `policy` of identity `identity` (indexes into the file).
    Identity {
        /// Index into `identities`.
        identity: usize,
        /// Index into its `policies`.
        policy: usize,
    },
}

/// The diagnostics of one policy, and the text their spans refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDiagnostics {
    /// Which policy.
    pub source: PolicySource,
    /// The policy text when it was given as a string (spans are into it);
    /// None when it was a JSON object (spans are into the file).
    pub text: Option<String>,
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a request expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An authorization decision.
    Decision(Decision),
    /// A KMS outcome.
    Outcome(Outcome),
}

impl Expect {
    /// Reads `allowed`, `explicitDeny`, `implicitDeny`, `Success` or an exception name.
    pub fn parse(text: &str) -> Option<Expect> {
        match text {
            "allowed" => Some(Expect::Decision(Decision::Allowed)),
            "explicitDeny" => Some(Expect::Decision(Decision::ExplicitDeny)),
            "implicitDeny" => Some(Expect::Decision(Decision::ImplicitDeny)),
            _ => Outcome::parse(text).map(Expect::Outcome),
        }
    }

    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Decision(d) => d.as_str(),
            Expect::Outcome(o) => o.as_str(),
        }
    }

    /// Is it met by this decision and outcome?
    pub fn met(self, decision: Decision, outcome: Outcome) -> bool {
        match self {
            Expect::Decision(d) => d == decision,
            Expect::Outcome(o) => o == outcome,
        }
    }
}

/// One request of the file.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// Its name (or `request N`).
    pub name: String,
    /// The principal as written.
    pub principal_text: String,
    /// The principal.
    pub principal: Principal,
    /// The operation.
    pub operation: &'static Operation,
    /// The key reference, if given.
    pub key: Option<String>,
    /// Encryption context pairs, in order.
    pub encryption_context: Vec<(String, String)>,
    /// Condition keys given by hand.
    pub context: Vec<(String, ContextValue)>,
    /// Grant tokens.
    pub grant_tokens: Vec<String>,
    /// The expectation, if any.
    pub expect: Option<Expect>,
    /// The request object's span in the file.
    pub span: Span,
}

/// A playground file, read and ready to run.
#[derive(Debug, Clone)]
pub struct PlaygroundFile {
    /// The key, its policy and grants.
    pub key: Key,
    /// Identities with their policies.
    pub identities: Vec<Identity>,
    /// Requests in order.
    pub requests: Vec<RequestSpec>,
    /// Diagnostics of every policy.
    pub policies: Vec<PolicyDiagnostics>,
    /// The simulated clock (`clock`; default [`Time::DEFAULT`]).
    pub clock: Time,
    /// The key's rotation, deletion date and material expiry
    /// (`key.rotation`, `key.rotations`, `key.deletion_date`,
    /// `key.material_expires`).
    pub lifecycle: Lifecycle,
    /// The grants of `key.grants`, same order, with what the file says
    /// beyond [`Grant`] (`name`, `creator`, `created`, `tokens`, `parent`,
    /// `retired` / `revoked`). A grant retired or revoked at least five
    /// minutes before the clock is in neither list.
    pub grant_entries: Vec<GrantEntry>,
    /// EventBridge rules (`rules`).
    pub rules: Vec<RuleSpec>,
    /// The event log (`events`), as written.
    pub events: Vec<serde_json::Value>,
}

/// An EventBridge rule of the file: a name and an event pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// `name`.
    pub name: String,
    /// The pattern's JSON text: the file's own text for an object, the
    /// string's value for a string.
    pub pattern: String,
    /// For an object, where its text starts in the file (add it to a
    /// pattern error's span); None for a string.
    pub offset: Option<usize>,
    /// The `pattern` value's span in the file.
    pub span: Span,
}

/// Reads a playground file from its text.
pub fn read(text: &str) -> Result<PlaygroundFile, FileError> {
    // A borrowed tree: the file keeps a few of its strings (a request's
    // name and caller, a policy's patterns), copied once; the rest — keys,
    // actions, expectations — is never copied at all. Copying every string
    // of the file into its own allocation, to free them all moments later,
    // was most of the cost of reading it.
    let root = kmsplay_json::parse_borrowed(text).map_err(|e| FileError {
        code: e.kind.code(),
        path: String::new(),
        span: e.span,
        params: e.kind.params(),
    })?;
    let mut file = Reader::default().file(&root)?;
    file.rules = rules(&root, text)?;
    Ok(file)
}

/// Reads a playground file from bytes (reporting invalid UTF-8 in place).
pub fn read_bytes(bytes: &[u8]) -> Result<PlaygroundFile, FileError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read(text),
        Err(_) => {
            let e = kmsplay_json::parse_bytes(bytes).expect_err("invalid UTF-8");
            Err(FileError {
                code: e.kind.code(),
                path: String::new(),
                span: e.span,
                params: Vec::new(),
            })
        }
    }
}

#[derive(Default)]
struct Reader {
    policies: Vec<PolicyDiagnostics>,
}

fn err(code: &'static str, path: impl Into<String>, span: Span) -> FileError {
    FileError {
        code,
        path: path.into(),
        span,
        params: Vec::new(),
    }
}

impl FileError {
    fn with(mut self, name: &'static str, value: impl Into<String>) -> FileError {
        self.params.push((name, value.into()));
        self
    }
}

fn wrong_type<N: JsonNode>(path: &str, expected: &str, node: &N) -> FileError {
    err("file.wrong-type", path, node.span())
        .with("field", path)
        .with("expected", expected)
}

fn object<'n, N: JsonNode>(node: &'n N, path: &str) -> Result<&'n [N::Member], FileError> {
    node.as_object()
        .ok_or_else(|| wrong_type(path, "an object", node))
}

fn string<'n, N: JsonNode>(node: &'n N, path: &str) -> Result<&'n str, FileError> {
    node.as_str()
        .ok_or_else(|| wrong_type(path, "a string", node))
}

fn required<'n, N: JsonNode>(parent: &'n N, field: &str, path: &str) -> Result<&'n N, FileError> {
    parent.get(field).ok_or_else(|| {
        let full = join(path, field);
        err("file.missing-field", full.clone(), parent.span()).with("field", full)
    })
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn string_pairs<N: JsonNode>(node: &N, path: &str) -> Result<Vec<(String, String)>, FileError> {
    object(node, path)?
        .iter()
        .map(|m| {
            let p = join(path, m.key());
            Ok((m.key().to_string(), string(m.value(), &p)?.to_string()))
        })
        .collect()
}

fn strings<N: JsonNode>(node: &N, path: &str) -> Result<Vec<String>, FileError> {
    match node.view() {
        View::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, n)| string(n, &format!("{path}[{i}]")).map(str::to_string))
            .collect(),
        _ => Err(wrong_type(path, "an array of strings", node)),
    }
}

impl Reader {
    fn file<N: JsonNode>(mut self, root: &N) -> Result<PlaygroundFile, FileError> {
        if root.as_object().is_none() {
            return Err(err("file.not-object", "", root.span()));
        }
        match root.get("version") {
            Some(v) if matches!(v.view(), View::Number("1")) => {}
            Some(v) => return Err(err("file.version", "version", v.span())),
            None => return Err(err("file.version", "version", root.span())),
        }
        let clock = match root.get("clock") {
            Some(n) => time(n, "clock")?,
            None => Time::DEFAULT,
        };
        let key_node = required(root, "key", "")?;
        let mut key = self.key(key_node)?;
        let (lifecycle, grant_entries) = key_extras(key_node, &mut key, clock)?;
        let mut identities = Vec::new();
        if let Some(list) = root.get("identities") {
            let View::Array(items) = list.view() else {
                return Err(wrong_type("identities", "an array", list));
            };
            identities.reserve_exact(items.len());
            for (i, item) in items.iter().enumerate() {
                identities.push(self.identity(item, i)?);
            }
        }
        let mut requests = Vec::new();
        if let Some(list) = root.get("requests") {
            let View::Array(items) = list.view() else {
                return Err(wrong_type("requests", "an array", list));
            };
            requests.reserve_exact(items.len());
            for (i, item) in items.iter().enumerate() {
                requests.push(request(item, i)?);
            }
        }
        let mut events = Vec::new();
        if let Some(list) = root.get("events") {
            let View::Array(items) = list.view() else {
                return Err(wrong_type("events", "an array", list));
            };
            for item in items {
                events.push(
                    serde_json::from_str(&item.to_owned_node().to_json()).unwrap_or_default(),
                );
            }
        }
        Ok(PlaygroundFile {
            key,
            identities,
            requests,
            policies: self.policies,
            clock,
            lifecycle,
            grant_entries,
            rules: Vec::new(),
            events,
        })
    }

    /// `path` names the field, for an error.
    fn policy<N: JsonNode>(
        &mut self,
        node: &N,
        path: impl Fn() -> String,
        source: PolicySource,
        kind: PolicyKind,
    ) -> Result<Option<kmsplay_policy::Policy>, FileError> {
        let (parsed, text) = match node.view() {
            View::String(text) => (parse_text(text, kind), Some(text.to_string())),
            View::Object(_) => {
                let max = kmsplay_policy::KEY_POLICY_MAX_BYTES;
                // The compact text is at most three times the source (`\b`
                // becomes `\u0008`): a policy that short needs no count.
                let short = (node.span().end - node.span().start).saturating_mul(3) <= max;
                let size = if kind == PolicyKind::Resource && !short {
                    node.json_len()
                } else {
                    0
                };
                if size > max {
                    // The same rule as for pasted text: KMS counts the document's bytes.
                    let d = Diagnostic::error("policy-too-large", node.span())
                        .with("size", size.to_string())
                        .with("max", kmsplay_policy::KEY_POLICY_MAX_BYTES.to_string());
                    (
                        kmsplay_policy::ParsedPolicy {
                            policy: None,
                            diagnostics: vec![d],
                        },
                        None,
                    )
                } else {
                    (parse_tree(node, kind), None)
                }
            }
            _ => return Err(wrong_type(&path(), "a policy object or a string", node)),
        };
        self.policies.push(PolicyDiagnostics {
            source,
            text,
            diagnostics: parsed.diagnostics,
        });
        Ok(parsed.policy)
    }

    fn key<N: JsonNode>(&mut self, node: &N) -> Result<Key, FileError> {
        object(node, "key")?;
        let arn_node = required(node, "arn", "key")?;
        let arn = string(arn_node, "key.arn")?;
        let mut key = Key::new(arn).map_err(|_| {
            err("file.invalid-key-arn", "key.arn", arn_node.span()).with("value", arn)
        })?;
        if let Some(n) = node.get("spec") {
            let s = string(n, "key.spec")?;
            key.spec = catalogue::key_spec(s)
                .ok_or_else(|| err("file.unknown-spec", "key.spec", n.span()).with("value", s))?;
            key.usage = catalogue::default_usage(key.spec);
        }
        if let Some(n) = node.get("usage") {
            let s = string(n, "key.usage")?;
            let usage = KeyUsage::parse(s).filter(|u| key.spec.usages.contains(u));
            key.usage = usage.ok_or_else(|| {
                err("file.unknown-usage", "key.usage", n.span())
                    .with("value", s)
                    .with("spec", key.spec.name)
            })?;
        }
        if let Some(n) = node.get("origin") {
            key.origin = string(n, "key.origin")?.to_string();
        }
        if let Some(n) = node.get("state") {
            let s = string(n, "key.state")?;
            key.state = KeyState::parse(s)
                .ok_or_else(|| err("file.unknown-state", "key.state", n.span()).with("value", s))?;
        }
        if let Some(n) = node.get("tags") {
            key.tags = string_pairs(n, "key.tags")?;
        }
        if let Some(n) = node.get("aliases") {
            key.aliases = strings(n, "key.aliases")?
                .into_iter()
                .map(|a| {
                    if a.starts_with("alias/") {
                        a
                    } else {
                        format!("alias/{a}")
                    }
                })
                .collect();
        }
        let policy_node = required(node, "policy", "key")?;
        key.policy = self.policy(
            policy_node,
            || "key.policy".to_string(),
            PolicySource::Key,
            PolicyKind::Resource,
        )?;
        if let Some(n) = node.get("grants") {
            let View::Array(items) = n.view() else {
                return Err(wrong_type("key.grants", "an array", n));
            };
            for (i, item) in items.iter().enumerate() {
                key.grants.push(grant(item, i)?);
            }
        }
        Ok(key)
    }

    fn identity<N: JsonNode>(&mut self, node: &N, i: usize) -> Result<Identity, FileError> {
        // Field paths are written only for an error: a file has an
        // identity per caller, and formatting them cost more than the rest.
        let path = || format!("identities[{i}]");
        if node.as_object().is_none() {
            return Err(wrong_type(&path(), "an object", node));
        }
        let arn_node = match node.get("arn") {
            Some(n) => n,
            None => return Err(required(node, "arn", &path()).err().expect("missing")),
        };
        let arn = arn_node
            .as_str()
            .ok_or_else(|| wrong_type(&format!("{}.arn", path()), "a string", arn_node))?;
        if Principal::parse(arn).is_none_or(|p| p.account().is_none()) {
            return Err(err(
                "file.invalid-principal",
                format!("{}.arn", path()),
                arn_node.span(),
            )
            .with("value", arn));
        }
        let mut policies = Vec::new();
        if let Some(list) = node.get("policies") {
            let View::Array(items) = list.view() else {
                return Err(wrong_type(
                    &format!("{}.policies", path()),
                    "an array",
                    list,
                ));
            };
            policies.reserve_exact(items.len());
            for (j, item) in items.iter().enumerate() {
                let p = || format!("{}.policies[{j}]", path());
                let source = PolicySource::Identity {
                    identity: i,
                    policy: j,
                };
                policies.push(self.policy(item, p, source, PolicyKind::Identity)?);
            }
        }
        Ok(Identity {
            arn: arn.to_string(),
            policies,
        })
    }
}

fn grant<N: JsonNode>(node: &N, i: usize) -> Result<Grant, FileError> {
    let path = format!("key.grants[{i}]");
    object(node, &path)?;
    let grantee_node = required(node, "grantee", &path)?;
    let grantee = string(grantee_node, &format!("{path}.grantee"))?.to_string();
    let ops_node = required(node, "operations", &path)?;
    let mut operations = Vec::new();
    let View::Array(ops) = ops_node.view() else {
        return Err(wrong_type(
            &format!("{path}.operations"),
            "an array of strings",
            ops_node,
        ));
    };
    for (j, op_node) in ops.iter().enumerate() {
        let p = format!("{path}.operations[{j}]");
        let name = string(op_node, &p)?;
        let op = catalogue::operation(name).ok_or_else(|| {
            err("file.unknown-operation", p.clone(), op_node.span()).with("value", name)
        })?;
        if !op.grant_operation {
            return Err(err("file.not-grant-operation", p, op_node.span()).with("value", name));
        }
        operations.push(op);
    }
    let mut constraint = None;
    if let Some(c) = node.get("constraints") {
        let cp = format!("{path}.constraints");
        object(c, &cp)?;
        let equals = c.get("encryption_context_equals");
        let subset = c.get("encryption_context_subset");
        constraint = match (equals, subset) {
            (Some(_), Some(_)) => return Err(err("file.two-constraints", cp, c.span())),
            (Some(e), None) => Some(GrantConstraint::Equals(string_pairs(
                e,
                &format!("{cp}.encryption_context_equals"),
            )?)),
            (None, Some(s)) => Some(GrantConstraint::Subset(string_pairs(
                s,
                &format!("{cp}.encryption_context_subset"),
            )?)),
            (None, None) => None,
        };
    }
    let opt_string = |field: &str| -> Result<Option<String>, FileError> {
        node.get(field)
            .map(|n| string(n, &format!("{path}.{field}")).map(str::to_string))
            .transpose()
    };
    let pending = match node.get("pending").map(|n| (n, n.view())) {
        None => false,
        Some((_, View::Bool(b))) => b,
        Some((n, _)) => return Err(wrong_type(&format!("{path}.pending"), "true or false", n)),
    };
    Ok(Grant {
        id: opt_string("id")?.unwrap_or_else(|| format!("grant-{}", i + 1)),
        grantee,
        operations,
        constraint,
        retiring_principal: opt_string("retiring_principal")?,
        token: opt_string("token")?,
        pending,
    })
}

fn request<N: JsonNode>(node: &N, i: usize) -> Result<RequestSpec, FileError> {
    if let Some(spec) = valid_request_in(node, i) {
        return Ok(spec);
    }
    request_or_error(node, i)
}

/// Request `i` of a file when it is valid, None at the first thing
/// [`request_or_error`] would refuse: the same reading, step by step,
/// without writing the field paths an error would need (they cost more
/// than the request itself). A test checks that the two agree on every
/// request of the fixtures.
pub fn valid_request(node: &Node, i: usize) -> Option<RequestSpec> {
    valid_request_in(node, i)
}

/// [`valid_request`] of a request in a tree from
/// [`kmsplay_json::parse_borrowed`].
pub fn valid_borrowed_request(node: &BorrowedNode<'_>, i: usize) -> Option<RequestSpec> {
    valid_request_in(node, i)
}

fn valid_request_in<N: JsonNode>(node: &N, i: usize) -> Option<RequestSpec> {
    node.as_object()?;
    let str_of = |n: &N| n.as_str().map(str::to_string);
    let name = match node.get("name") {
        Some(n) => str_of(n)?,
        None => format!("request {}", i + 1),
    };
    let principal_text = node.get("principal")?.as_str()?;
    let principal = Principal::parse(principal_text)?;
    let action = node.get("action")?.as_str()?;
    let operation = action
        .split_once(':')
        .filter(|(service, _)| service.eq_ignore_ascii_case("kms"))
        .and_then(|(_, name)| catalogue::operation(name))?;
    let key = match node.get("key") {
        Some(n) => Some(str_of(n)?),
        None => None,
    };
    let encryption_context = match node.get("encryption_context") {
        Some(n) => n
            .as_object()?
            .iter()
            .map(|m| Some((m.key().to_string(), str_of(m.value())?)))
            .collect::<Option<Vec<_>>>()?,
        None => Vec::new(),
    };
    let mut context = Vec::new();
    if let Some(n) = node.get("context") {
        for m in n.as_object()? {
            let (k, v) = (m.key(), m.value());
            let value = match v.as_array() {
                Some(items) => ContextValue::Multi(
                    items
                        .iter()
                        .map(|v| v.scalar_text().map(str::to_string))
                        .collect::<Option<_>>()?,
                ),
                None => ContextValue::Single(v.scalar_text()?.to_string()),
            };
            context.push((k.to_string(), value));
        }
    }
    let grant_tokens = match node.get("grant_tokens") {
        Some(n) => n.as_array()?.iter().map(str_of).collect::<Option<_>>()?,
        None => Vec::new(),
    };
    let expect = match node.get("expect") {
        Some(n) => Some(Expect::parse(n.as_str()?)?),
        None => None,
    };
    Some(RequestSpec {
        name,
        principal_text: principal_text.to_string(),
        principal,
        operation,
        key,
        encryption_context,
        context,
        grant_tokens,
        expect,
        span: node.span(),
    })
}

/// Reads request `i`, or says exactly what is wrong with it and where.
fn request_or_error<N: JsonNode>(node: &N, i: usize) -> Result<RequestSpec, FileError> {
    let path = format!("requests[{i}]");
    object(node, &path)?;
    let field = |name: &str| format!("{path}.{name}");
    let name = match node.get("name") {
        Some(n) => string(n, &field("name"))?.to_string(),
        None => format!("request {}", i + 1),
    };
    let principal_node = required(node, "principal", &path)?;
    let principal_text = string(principal_node, &field("principal"))?;
    let principal = Principal::parse(principal_text).ok_or_else(|| {
        err(
            "file.invalid-principal",
            field("principal"),
            principal_node.span(),
        )
        .with("value", principal_text)
    })?;
    let action_node = required(node, "action", &path)?;
    let action = string(action_node, &field("action"))?;
    let operation = action
        .split_once(':')
        .filter(|(service, _)| service.eq_ignore_ascii_case("kms"))
        .and_then(|(_, name)| catalogue::operation(name))
        .ok_or_else(|| {
            err(
                "file.unknown-operation",
                field("action"),
                action_node.span(),
            )
            .with("value", action)
        })?;
    let key = node
        .get("key")
        .map(|n| string(n, &field("key")).map(str::to_string))
        .transpose()?;
    let encryption_context = match node.get("encryption_context") {
        Some(n) => string_pairs(n, &field("encryption_context"))?,
        None => Vec::new(),
    };
    let mut context = Vec::new();
    if let Some(n) = node.get("context") {
        for m in object(n, &field("context"))? {
            let p = format!("{}.{}", field("context"), m.key());
            let value = match &m.value().view() {
                View::Array(items) => ContextValue::Multi(
                    items
                        .iter()
                        .map(|v| {
                            v.scalar_text()
                                .map(str::to_string)
                                .ok_or_else(|| wrong_type(&p, "strings", v))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => ContextValue::Single(
                    m.value()
                        .scalar_text()
                        .ok_or_else(|| {
                            wrong_type(&p, "a string, number, boolean or array", m.value())
                        })?
                        .to_string(),
                ),
            };
            context.push((m.key().to_string(), value));
        }
    }
    let grant_tokens = match node.get("grant_tokens") {
        Some(n) => strings(n, &field("grant_tokens"))?,
        None => Vec::new(),
    };
    let expect = match node.get("expect") {
        None => None,
        Some(n) => {
            let s = string(n, &field("expect"))?;
            Some(Expect::parse(s).ok_or_else(|| {
                err("file.invalid-expect", field("expect"), n.span()).with("value", s)
            })?)
        }
    };
    Ok(RequestSpec {
        name,
        principal_text: principal_text.to_string(),
        principal,
        operation,
        key,
        encryption_context,
        context,
        grant_tokens,
        expect,
        span: node.span(),
    })
}

// --- lifecycle, grant workflow and EventBridge fields -------------------------

fn time<N: JsonNode>(node: &N, path: &str) -> Result<Time, FileError> {
    let s = string(node, path)?;
    Time::parse(s).ok_or_else(|| {
        err("file.invalid-time", path, node.span())
            .with("field", path)
            .with("value", s)
    })
}

fn opt_time<N: JsonNode>(parent: &N, field: &str, path: &str) -> Result<Option<Time>, FileError> {
    parent
        .get(field)
        .map(|n| time(n, &join(path, field)))
        .transpose()
}

fn whole_number<N: JsonNode>(node: &N, path: &str) -> Result<i64, FileError> {
    match node.view() {
        View::Number(n) => n
            .parse::<i64>()
            .map_err(|_| wrong_type(path, "a whole number", node)),
        _ => Err(wrong_type(path, "a whole number", node)),
    }
}

/// `key.rotation`, `key.rotations`, `key.deletion_date`,
/// `key.material_expires`, and the grants' extra fields.
fn key_extras<N: JsonNode>(
    node: &N,
    key: &mut Key,
    clock: Time,
) -> Result<(Lifecycle, Vec<GrantEntry>), FileError> {
    let mut life = Lifecycle::default();
    if let Some(n) = node.get("rotation") {
        life.rotation = match n.view() {
            View::Bool(false) => None,
            View::Bool(true) => Some(Rotation {
                period_days: kmsplay_kms::lifecycle::DEFAULT_ROTATION_DAYS,
                next: clock.plus_days(kmsplay_kms::lifecycle::DEFAULT_ROTATION_DAYS),
            }),
            View::Object(_) => {
                let period_days = match n.get("period_days") {
                    Some(p) => whole_number(p, "key.rotation.period_days")?,
                    None => kmsplay_kms::lifecycle::DEFAULT_ROTATION_DAYS,
                };
                let next = opt_time(n, "next", "key.rotation")?
                    .unwrap_or_else(|| clock.plus_days(period_days));
                Some(Rotation { period_days, next })
            }
            _ => return Err(wrong_type("key.rotation", "true, false or an object", n)),
        };
    }
    if let Some(n) = node.get("rotations") {
        let View::Array(items) = n.view() else {
            return Err(wrong_type("key.rotations", "an array", n));
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("key.rotations[{i}]");
            let (at, on_demand) = match item.view() {
                View::String(_) => (time(item, &p)?, false),
                View::Object(_) => (
                    time(required(item, "at", &p)?, &join(&p, "at"))?,
                    matches!(
                        item.get("on_demand").map(|v| v.view()),
                        Some(View::Bool(true))
                    ),
                ),
                _ => return Err(wrong_type(&p, "a time or an object", item)),
            };
            life.rotations.push(RotationDone { at, on_demand });
        }
    }
    life.deletion_date = opt_time(node, "deletion_date", "key")?;
    if key.state == KeyState::PendingDeletion && life.deletion_date.is_none() {
        life.deletion_date = Some(clock.plus_days(DEFAULT_WAITING_DAYS));
    }
    life.material_expires = opt_time(node, "material_expires", "key")?;

    let mut entries = Vec::new();
    let items: &[N] = match node.get("grants").map(JsonNode::view) {
        Some(View::Array(items)) => items,
        _ => &[],
    };
    for (i, (item, grant)) in items.iter().zip(key.grants.drain(..)).enumerate() {
        let path = format!("key.grants[{i}]");
        let opt = |field: &str| -> Result<Option<String>, FileError> {
            item.get(field)
                .map(|n| string(n, &join(&path, field)).map(str::to_string))
                .transpose()
        };
        let mut tokens: Vec<String> = grant.token.iter().cloned().collect();
        if let Some(n) = item.get("tokens") {
            for t in strings(n, &join(&path, "tokens"))? {
                if !tokens.contains(&t) {
                    tokens.push(t);
                }
            }
        }
        let created = opt_time(item, "created", &path)?.or(grant.pending.then_some(clock));
        let ended = match (
            opt_time(item, "retired", &path)?,
            opt_time(item, "revoked", &path)?,
        ) {
            (Some(at), _) => Some(GrantEnd {
                at,
                revoked: false,
                by: opt("ended_by")?.unwrap_or_default(),
            }),
            (None, Some(at)) => Some(GrantEnd {
                at,
                revoked: true,
                by: opt("ended_by")?.unwrap_or_default(),
            }),
            (None, None) => None,
        };
        let entry = GrantEntry {
            grant: Grant {
                token: tokens.first().cloned(),
                ..grant
            },
            name: opt("name")?,
            creator: opt("creator")?,
            created,
            tokens,
            parent: opt("parent")?,
            ended,
        };
        if entry.effective_at(clock) {
            entries.push(entry);
        }
    }
    key.grants = entries
        .iter()
        .map(|e| Grant {
            pending: e.pending_at(clock),
            ..e.grant.clone()
        })
        .collect();
    Ok((life, entries))
}

/// `rules`: `[{"name": …, "pattern": {…} or "…"}]`.
fn rules<N: JsonNode>(root: &N, text: &str) -> Result<Vec<RuleSpec>, FileError> {
    let Some(list) = root.get("rules") else {
        return Ok(Vec::new());
    };
    let View::Array(items) = list.view() else {
        return Err(wrong_type("rules", "an array", list));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("rules[{i}]");
        object(item, &path)?;
        let name = match item.get("name") {
            Some(n) => string(n, &join(&path, "name"))?.to_string(),
            None => format!("rule {}", i + 1),
        };
        let pattern = required(item, "pattern", &path)?;
        let (text, offset) = match pattern.view() {
            View::String(s) => (s.to_string(), None),
            View::Object(_) => (
                text.get(pattern.span().start..pattern.span().end)
                    .unwrap_or_default()
                    .to_string(),
                Some(pattern.span().start),
            ),
            _ => {
                return Err(wrong_type(
                    &join(&path, "pattern"),
                    "an event pattern object or a string",
                    pattern,
                ))
            }
        };
        out.push(RuleSpec {
            name,
            pattern: text,
            offset,
            span: pattern.span(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `valid_request` reads every request as `request_or_error` does, and
    /// leaves every request that one refuses to it.
    #[test]
    fn valid_request_reads_as_the_request_reader() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
        let mut requests: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let root = kmsplay_json::parse(&text).unwrap();
            if let Some(View::Array(items)) = root.get("requests").map(|n| n.view()) {
                requests.extend(items.iter().map(Node::to_json));
            }
        }
        assert!(requests.len() > 300);
        let bob = r#""principal": "arn:aws:iam::111111111111:user/Bob""#;
        requests.extend(
            [
                r#""action": "kms:Decrypt", "name": null"#,
                r#""action": "s3:GetObject""#,
                r#""action": "kms:Decrypt", "context": {"a": {"b": 1}}"#,
                r#""action": "kms:Decrypt", "context": {"n": 1.50, "b": true, "m": [1, "x", false]}"#,
                r#""action": "kms:Decrypt", "context": {"m": [null]}"#,
                r#""action": "kms:Decrypt", "encryption_context": {"a": 1}"#,
                r#""action": "kms:Decrypt", "encryption_context": []"#,
                r#""action": "kms:Decrypt", "grant_tokens": "t""#,
                r#""action": "kms:Decrypt", "grant_tokens": ["t", 1]"#,
                r#""action": "kms:Decrypt", "expect": "maybe""#,
                r#""action": "kms:Decrypt", "expect": "allowed""#,
                r#""action": "kms:Decrypt", "key": 7"#,
                r#""action": 7"#,
                r#""name": "n""#,
            ]
            .map(|rest| format!("{{{bob}, {rest}}}")),
        );
        requests.extend(
            [
                r#"{"principal": "nobody", "action": "kms:Decrypt"}"#,
                r#"{"principal": 1, "action": "kms:Decrypt"}"#,
                r#"["not", "an", "object"]"#,
            ]
            .map(str::to_string),
        );
        for text in &requests {
            let node = kmsplay_json::parse(text).unwrap();
            for i in [0, 4] {
                let quick = valid_request(&node, i).map(|s| format!("{s:?}"));
                let full = request_or_error(&node, i).map(|s| format!("{s:?}"));
                match (quick, full) {
                    (Some(q), Ok(f)) => assert_eq!(q, f, "{text}"),
                    (None, Err(_)) => {}
                    (q, f) => panic!("{text}: valid_request {q:?}, reader {f:?}"),
                }
            }
        }
    }
}
