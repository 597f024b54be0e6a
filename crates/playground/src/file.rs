//! Reading the playground file (format version 1; see
//! `shared/spec/playground-file.md`): one key, its identities, and requests.

use kmsplay_json::borrowed::Node as BorrowedNode;
use kmsplay_json::{JsonMember, JsonNode, Node, Span, View};
use kmsplay_kms::catalogue::{self, KeyState, KeyUsage, Operation};
use kmsplay_kms::grants::{GrantEnd, GrantEntry};
use kmsplay_kms::lifecycle::{Lifecycle, Rotation, RotationDone, Time, DEFAULT_WAITING_DAYS};
use kmsplay_kms::{
    Decision, Grant, GrantConstraint, Identity, Key, Organization, Outcome, VpcEndpoint,
};
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
    /// The permissions boundary of identity `identity`.
    Boundary {
        /// Index into `identities`.
        identity: usize,
    },
    /// SCP `policy` attached to `node` (`organization.scps`).
    Scp {
        /// The node id.
        node: String,
        /// Index into the node's list.
        policy: usize,
    },
    /// RCP `policy` attached to `node` (`organization.rcps`).
    Rcp {
        /// The node id.
        node: String,
        /// Index into the node's list.
        policy: usize,
    },
    /// Session policy `policy` of request `request`.
    Session {
        /// Index into `requests`.
        request: usize,
        /// Index into its `session_policies`.
        policy: usize,
    },
    /// The VPC endpoint policy of request `request`.
    Endpoint {
        /// Index into `requests`.
        request: usize,
    },
}

/// The policy a [`PolicySource`] names in a file (None for one that could
/// not be read).
pub fn source_policy_of<'f>(
    file: &'f PlaygroundFile,
    source: &PolicySource,
) -> Option<&'f kmsplay_policy::Policy> {
    match source {
        PolicySource::Key => file.key.policy.as_ref(),
        PolicySource::Identity { identity, policy } => file
            .identities
            .get(*identity)?
            .policies
            .get(*policy)?
            .as_ref(),
        PolicySource::Boundary { identity } => file
            .identities
            .get(*identity)?
            .permissions_boundary
            .as_ref()?
            .as_ref(),
        PolicySource::Scp { node, policy } => file
            .organization
            .as_ref()?
            .scps_at(node)?
            .get(*policy)?
            .as_ref(),
        PolicySource::Rcp { node, policy } => file
            .organization
            .as_ref()?
            .rcps_at(node)
            .get(*policy)?
            .as_ref(),
        PolicySource::Session { request, policy } => file
            .requests
            .get(*request)?
            .session_policies
            .get(*policy)?
            .as_ref(),
        PolicySource::Endpoint { request } => file
            .requests
            .get(*request)?
            .vpc_endpoint
            .as_ref()?
            .policy
            .as_ref()?
            .as_ref(),
    }
}

/// The kind of policy a [`PolicySource`] holds.
pub fn policy_kind(source: &PolicySource) -> PolicyKind {
    match source {
        PolicySource::Key => PolicyKind::Resource,
        PolicySource::Identity { .. } => PolicyKind::Identity,
        PolicySource::Boundary { .. } => PolicyKind::Boundary,
        PolicySource::Scp { .. } => PolicyKind::Scp,
        PolicySource::Rcp { .. } => PolicyKind::Rcp,
        PolicySource::Session { .. } => PolicyKind::Session,
        PolicySource::Endpoint { .. } => PolicyKind::Endpoint,
    }
}

impl PolicySource {
    /// The field that holds the policy, as a path into the file
    /// (`key.policy`, `identities[0].policies[1]`, `organization.scps.r-a1b2[0]`…).
    pub fn path(&self) -> String {
        match self {
            PolicySource::Key => "key.policy".into(),
            PolicySource::Identity { identity, policy } => {
                format!("identities[{identity}].policies[{policy}]")
            }
            PolicySource::Boundary { identity } => {
                format!("identities[{identity}].permissions_boundary")
            }
            PolicySource::Scp { node, policy } => format!("organization.scps.{node}[{policy}]"),
            PolicySource::Rcp { node, policy } => format!("organization.rcps.{node}[{policy}]"),
            PolicySource::Session { request, policy } => {
                format!("requests[{request}].session_policies[{policy}]")
            }
            PolicySource::Endpoint { request } => {
                format!("requests[{request}].vpc_endpoint.policy")
            }
        }
    }

    /// The policy a [`PolicySource::path`] names; None for any other text.
    pub fn from_path(path: &str) -> Option<PolicySource> {
        // `name[N]` → (name, N)
        fn indexed(s: &str) -> Option<(&str, usize)> {
            let (name, rest) = s.split_once('[')?;
            let n = rest.strip_suffix(']')?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((name, n.parse().ok()?))
        }
        if path == "key.policy" {
            return Some(PolicySource::Key);
        }
        if let Some(rest) = path.strip_prefix("organization.") {
            let (field, node_list) = rest.split_once('.')?;
            let (node, policy) = indexed(node_list)?;
            if node.is_empty() || node.contains(['.', '[', ']']) {
                return None;
            }
            let node = node.to_string();
            return match field {
                "scps" => Some(PolicySource::Scp { node, policy }),
                "rcps" => Some(PolicySource::Rcp { node, policy }),
                _ => None,
            };
        }
        let (head, tail) = path.split_once('.')?;
        let (list, i) = indexed(head)?;
        match (list, tail) {
            ("identities", "permissions_boundary") => Some(PolicySource::Boundary { identity: i }),
            ("requests", "vpc_endpoint.policy") => Some(PolicySource::Endpoint { request: i }),
            ("identities", t) => match indexed(t)? {
                ("policies", policy) => Some(PolicySource::Identity {
                    identity: i,
                    policy,
                }),
                _ => None,
            },
            ("requests", t) => match indexed(t)? {
                ("session_policies", policy) => Some(PolicySource::Session { request: i, policy }),
                _ => None,
            },
            _ => None,
        }
    }
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
    /// The session policies of the caller's session (`session_policies`).
    pub session_policies: Vec<Option<kmsplay_policy::Policy>>,
    /// The interface VPC endpoint the request came through (`vpc_endpoint`).
    pub vpc_endpoint: Option<VpcEndpoint>,
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
    /// The AWS organization around the accounts (`organization`).
    pub organization: Option<Organization>,
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
    read_tree(&root, text)
}

/// Reads a parsed playground file (`text` is what it was parsed from).
pub(crate) fn read_tree(root: &BorrowedNode<'_>, text: &str) -> Result<PlaygroundFile, FileError> {
    let mut file = Reader::default().file(root)?;
    file.rules = rules(root, text)?;
    Ok(file)
}

/// Reads request `i` of a file as [`read`] does (the same checks and
/// errors), and says whether it brought policies of its own (session or
/// VPC endpoint policies, whose diagnostics a report lists).
pub(crate) fn read_request(
    node: &BorrowedNode<'_>,
    i: usize,
) -> Result<(RequestSpec, bool), FileError> {
    let mut spec = request(node, i)?;
    let mut reader = Reader::default();
    reader.request_layers(node, i, &mut spec)?;
    Ok((spec, !reader.policies.is_empty()))
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
                let mut spec = request(item, i)?;
                self.request_layers(item, i, &mut spec)?;
                requests.push(spec);
            }
        }
        let organization = match root.get("organization") {
            Some(n) => Some(self.organization(n)?),
            None => None,
        };
        let mut events = Vec::new();
        if let Some(list) = root.get("events") {
            let View::Array(items) = list.view() else {
                return Err(wrong_type("events", "an array", list));
            };
            for item in items {
                events.push(crate::node_value(&item.to_owned_node()));
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
            organization,
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
                    let mut parsed = parse_tree(node, kind);
                    let org_max = kmsplay_policy::ORGANIZATION_POLICY_MAX_CHARS;
                    let org = matches!(kind, PolicyKind::Scp | PolicyKind::Rcp);
                    let long = (node.span().end - node.span().start).saturating_mul(3) > org_max;
                    if org && long && node.json_len() > org_max {
                        // Organizations counts the document as saved; the
                        // playground still reads it, to show what it does.
                        parsed.diagnostics.insert(
                            0,
                            Diagnostic::error("organization-policy-too-large", node.span())
                                .with("size", node.json_len().to_string())
                                .with("max", org_max.to_string()),
                        );
                    }
                    (parsed, None)
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

    /// `organization`: the account tree and the SCPs and RCPs of its nodes.
    fn organization<N: JsonNode>(&mut self, node: &N) -> Result<Organization, FileError> {
        object(node, "organization")?;
        let text_of = |field: &str| -> Result<String, FileError> {
            let n = required(node, field, "organization")?;
            Ok(string(n, &join("organization", field))?.to_string())
        };
        let mut org = Organization {
            id: text_of("id")?,
            root: text_of("root")?,
            ..Organization::default()
        };
        if let Some(n) = node.get("management_account") {
            let account = string(n, "organization.management_account")?;
            if !kmsplay_policy::is_account_id(account) {
                return Err(err(
                    "file.invalid-account",
                    "organization.management_account",
                    n.span(),
                )
                .with("value", account));
            }
            org.management_account = account.to_string();
        }
        // Each OU's parent, to see that the paths make one tree.
        let mut parents: Vec<(String, String)> = Vec::new();
        if let Some(n) = node.get("accounts") {
            for m in object(n, "organization.accounts")? {
                let path = format!("organization.accounts.{}", m.key());
                if !kmsplay_policy::is_account_id(m.key()) {
                    return Err(
                        err("file.invalid-account", path, m.key_span()).with("value", m.key())
                    );
                }
                let ous = strings(m.value(), &path)?;
                for (depth, ou) in ous.iter().enumerate() {
                    let parent = if depth == 0 {
                        org.root.clone()
                    } else {
                        ous[depth - 1].clone()
                    };
                    if *ou == org.root || ous[..depth].contains(ou) {
                        return Err(err("file.ou-path-loop", path, m.value().span())
                            .with("value", ou.clone()));
                    }
                    match parents.iter().find(|(o, _)| o == ou) {
                        Some((_, p)) if *p != parent => {
                            return Err(err("file.ou-two-parents", path, m.value().span())
                                .with("value", ou.clone())
                                .with("parent", p.clone())
                                .with("other", parent));
                        }
                        Some(_) => {}
                        None => parents.push((ou.clone(), parent)),
                    }
                }
                if m.key() == org.management_account && !ous.is_empty() {
                    return Err(err("file.management-account-path", path, m.value().span())
                        .with("value", m.key()));
                }
                org.accounts.push((m.key().to_string(), ous));
            }
        }
        // A cycle through OUs that no single path shows (a → b in one
        // account's path, b → a in another's) makes two parents above.
        for (field, rcp) in [("scps", false), ("rcps", true)] {
            let Some(n) = node.get(field) else { continue };
            let fpath = join("organization", field);
            for m in object(n, &fpath)? {
                let node_id = m.key();
                let path = format!("{fpath}.{node_id}");
                // An OU that no account sits under may still exist (its
                // policies then apply to nobody); an account or root id
                // must be the organization's.
                let known = node_id == org.root
                    || parents.iter().any(|(ou, _)| ou == node_id)
                    || (node_id.starts_with("ou-") && !kmsplay_policy::is_account_id(node_id))
                    || org.contains(node_id);
                if !known {
                    return Err(err("file.unknown-org-node", path, m.key_span())
                        .with("value", node_id)
                        .with("field", field));
                }
                let View::Array(items) = m.value().view() else {
                    return Err(wrong_type(&path, "an array of policies", m.value()));
                };
                let mut policies = Vec::with_capacity(items.len());
                for (j, item) in items.iter().enumerate() {
                    let (source, kind) = if rcp {
                        (
                            PolicySource::Rcp {
                                node: node_id.to_string(),
                                policy: j,
                            },
                            PolicyKind::Rcp,
                        )
                    } else {
                        (
                            PolicySource::Scp {
                                node: node_id.to_string(),
                                policy: j,
                            },
                            PolicyKind::Scp,
                        )
                    };
                    policies.push(self.policy(item, || format!("{path}[{j}]"), source, kind)?);
                }
                let list = if rcp { &mut org.rcps } else { &mut org.scps };
                list.push((node_id.to_string(), policies));
            }
        }
        Ok(org)
    }

    /// A request's `session_policies` and `vpc_endpoint`.
    fn request_layers<N: JsonNode>(
        &mut self,
        node: &N,
        i: usize,
        spec: &mut RequestSpec,
    ) -> Result<(), FileError> {
        if let Some(list) = node.get("session_policies") {
            let path = format!("requests[{i}].session_policies");
            let View::Array(items) = list.view() else {
                return Err(wrong_type(&path, "an array of policies", list));
            };
            let session = matches!(
                &spec.principal,
                Principal::Aws(p) if matches!(
                    p.kind,
                    kmsplay_policy::AwsPrincipalKind::AssumedRole { .. }
                        | kmsplay_policy::AwsPrincipalKind::FederatedUser
                )
            );
            if !session && !items.is_empty() {
                // Session policies are passed when a session is created.
                return Err(err("file.session-policy-not-session", path, list.span())
                    .with("value", spec.principal_text.clone()));
            }
            for (j, item) in items.iter().enumerate() {
                let source = PolicySource::Session {
                    request: i,
                    policy: j,
                };
                let p =
                    self.policy(item, || format!("{path}[{j}]"), source, PolicyKind::Session)?;
                spec.session_policies.push(p);
            }
        }
        if let Some(e) = node.get("vpc_endpoint") {
            let path = format!("requests[{i}].vpc_endpoint");
            object(e, &path)?;
            let id_node = required(e, "id", &path)?;
            let id = string(id_node, &join(&path, "id"))?.to_string();
            let vpc = e
                .get("vpc")
                .map(|n| string(n, &join(&path, "vpc")).map(str::to_string))
                .transpose()?;
            let policy = match e.get("policy") {
                None => None,
                Some(p) => Some(self.policy(
                    p,
                    || join(&path, "policy"),
                    PolicySource::Endpoint { request: i },
                    PolicyKind::Endpoint,
                )?),
            };
            spec.vpc_endpoint = Some(VpcEndpoint { id, vpc, policy });
        }
        Ok(())
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
        if let (Some(Principal::Service(_)), Some(b)) =
            (Principal::parse(arn), node.get("permissions_boundary"))
        {
            // Services have no IAM identity to bound.
            return Err(err(
                "file.boundary-on-service",
                format!("{}.permissions_boundary", path()),
                b.span(),
            )
            .with("value", arn));
        }
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
        let permissions_boundary = match node.get("permissions_boundary") {
            None => None,
            Some(b) => {
                let principal = Principal::parse(arn);
                if let Some(Principal::Aws(p)) = &principal {
                    if p.kind == kmsplay_policy::AwsPrincipalKind::Root {
                        // IAM attaches boundaries to users and roles only.
                        return Err(err(
                            "file.boundary-on-root",
                            format!("{}.permissions_boundary", path()),
                            b.span(),
                        )
                        .with("value", arn));
                    }
                }
                let p = || format!("{}.permissions_boundary", path());
                Some(self.policy(
                    b,
                    p,
                    PolicySource::Boundary { identity: i },
                    PolicyKind::Boundary,
                )?)
            }
        };
        Ok(Identity {
            arn: arn.to_string(),
            policies,
            permissions_boundary,
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
    if node.get("session_policies").is_some() || node.get("vpc_endpoint").is_some() {
        // Their policies are read by the file's reader, with diagnostics.
        return None;
    }
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
        session_policies: Vec::new(),
        vpc_endpoint: None,
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
        session_policies: Vec::new(),
        vpc_endpoint: None,
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
                    // Left to the file's reader, which reads their policies.
                    (None, Ok(_))
                        if node.get("session_policies").is_some()
                            || node.get("vpc_endpoint").is_some() => {}
                    (q, f) => panic!("{text}: valid_request {q:?}, reader {f:?}"),
                }
            }
        }
    }
}
