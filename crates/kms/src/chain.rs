//! The rest of AWS's evaluation chain around a KMS request: AWS
//! Organizations (the account tree, its SCPs and RCPs), permissions
//! boundaries, session policies and VPC endpoint policies. The authorizer
//! combines them with the key policy, the identity policies and the grants.
//!
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>
//!   (the order: deny evaluation, RCPs, SCPs, resource-based policies,
//!   identity-based policies, permissions boundaries, session policies)
//! - <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>
//!   (an Allow at every level from the root to the account)
//! - <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>
//!   (RCPFullAWSAccess at every node; not the management account)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>
//!   (RCPs do not apply to kms:RetireGrant)
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>
//! - <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>
//! - <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>

use kmsplay_policy::{AwsPrincipalKind, Effect, Policy, Principal, Request};

/// An AWS organization: its account tree and the policies attached to it.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// The root's id, `r-…`.
    pub root: String,
    /// The management account (directly under the root).
    pub management_account: String,
    /// Each member account and its path of OU ids below the root.
    pub accounts: Vec<(String, Vec<String>)>,
    /// Node id → the SCPs attached there. A node not listed has only
    /// `FullAWSAccess`; a listed node has exactly the listed policies.
    pub scps: Vec<(String, Vec<Option<Policy>>)>,
    /// Node id → the RCPs attached there beside `RCPFullAWSAccess`.
    pub rcps: Vec<(String, Vec<Option<Policy>>)>,
}

impl Organization {
    /// The OU path of an account in the organization (`[]` for one
    /// directly under the root, the management account included); None
    /// for an account outside it.
    pub fn ous(&self, account: &str) -> Option<&[String]> {
        if account == self.management_account {
            return Some(&[]);
        }
        self.accounts
            .iter()
            .find(|(a, _)| a == account)
            .map(|(_, path)| path.as_slice())
    }

    /// Is the account in the organization?
    pub fn contains(&self, account: &str) -> bool {
        self.ous(account).is_some()
    }

    /// Is the account a member account (in the organization, not its
    /// management account)? SCPs and RCPs apply only there.
    pub fn is_member(&self, account: &str) -> bool {
        account != self.management_account && self.contains(account)
    }

    /// The nodes from the root down to the account: the root id, each OU
    /// id, the account id.
    pub fn nodes<'a>(&'a self, account: &'a str) -> Option<Vec<&'a str>> {
        let ous = self.ous(account)?;
        let mut nodes = Vec::with_capacity(ous.len() + 2);
        nodes.push(self.root.as_str());
        nodes.extend(ous.iter().map(String::as_str));
        nodes.push(account);
        Some(nodes)
    }

    /// `aws:PrincipalOrgPaths` / `aws:ResourceOrgPaths` of an account:
    /// `o-…/r-…/ou-…/` down to the OU that holds it, with a trailing slash
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths>).
    pub fn org_path(&self, account: &str) -> Option<String> {
        let ous = self.ous(account)?;
        let mut path = String::with_capacity(self.id.len() + self.root.len() + 2 + ous.len() * 20);
        path.push_str(&self.id);
        path.push('/');
        path.push_str(&self.root);
        path.push('/');
        for ou in ous {
            path.push_str(ou);
            path.push('/');
        }
        Some(path)
    }

    /// The SCPs attached to a node; None when it has only `FullAWSAccess`.
    pub fn scps_at(&self, node: &str) -> Option<&[Option<Policy>]> {
        self.scps
            .iter()
            .find(|(n, _)| n == node)
            .map(|(_, p)| p.as_slice())
    }

    /// The RCPs attached to a node beside `RCPFullAWSAccess`.
    pub fn rcps_at(&self, node: &str) -> &[Option<Policy>] {
        self.rcps
            .iter()
            .find(|(n, _)| n == node)
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default()
    }

    /// Every policy of the organization that could be read.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.scps
            .iter()
            .chain(&self.rcps)
            .flat_map(|(_, list)| list.iter().flatten())
    }
}

/// The interface VPC endpoint a request came through.
#[derive(Debug, Clone, Default)]
pub struct VpcEndpoint {
    /// `vpce-…` (`aws:SourceVpce`).
    pub id: String,
    /// `vpc-…` (`aws:SourceVpc`), when known.
    pub vpc: Option<String>,
    /// The endpoint policy; None for the default policy (full access),
    /// `Some(None)` for one that could not be read (it allows nothing).
    pub policy: Option<Option<Policy>>,
}

/// The policy types of AWS's evaluation chain, as AWS's AccessDenied
/// messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// A service control policy (AWS Organizations).
    ServiceControl,
    /// A resource control policy (AWS Organizations).
    ResourceControl,
    /// A VPC endpoint policy.
    VpcEndpoint,
    /// The key policy (a resource-based policy).
    ResourceBased,
    /// An IAM policy of the caller.
    IdentityBased,
    /// The caller's permissions boundary.
    PermissionsBoundary,
    /// A session policy of the caller's session.
    Session,
    /// A grant on the key.
    Grant,
}

impl PolicyType {
    /// Stable code: `scp`, `rcp`, `vpc_endpoint_policy`, `key_policy`,
    /// `identity_policy`, `permissions_boundary`, `session_policy`, `grant`.
    pub fn code(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "scp",
            PolicyType::ResourceControl => "rcp",
            PolicyType::VpcEndpoint => "vpc_endpoint_policy",
            PolicyType::ResourceBased => "key_policy",
            PolicyType::IdentityBased => "identity_policy",
            PolicyType::PermissionsBoundary => "permissions_boundary",
            PolicyType::Session => "session_policy",
            PolicyType::Grant => "grant",
        }
    }

    /// The words AWS's AccessDenied messages use for it
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>).
    pub fn aws_words(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
            PolicyType::VpcEndpoint => "VPC endpoint policy",
            PolicyType::ResourceBased | PolicyType::Grant => "resource-based policy",
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
        }
    }
}

/// `User: CALLER is not authorized to perform: ACTION on resource: KEY
/// because no TYPE allows the ACTION action` (or `with an explicit deny in
/// a TYPE`): AWS's AccessDenied message, word for word
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>).
pub fn access_denied_message(
    caller: &str,
    action: &str,
    resource: &str,
    policy_type: PolicyType,
    explicit: bool,
) -> String {
    let words = policy_type.aws_words();
    let mut m = String::with_capacity(96 + caller.len() + 2 * action.len() + resource.len());
    m.push_str("User: ");
    m.push_str(caller);
    m.push_str(" is not authorized to perform: ");
    m.push_str(action);
    m.push_str(" on resource: ");
    m.push_str(resource);
    if explicit {
        m.push_str(" with an explicit deny in ");
        m.push_str(if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an "
        } else {
            "a "
        });
        m.push_str(words);
    } else {
        m.push_str(" because no ");
        m.push_str(words);
        m.push_str(" allows the ");
        m.push_str(action);
        m.push_str(" action");
    }
    m
}

/// Where a statement of a policy set sits: the policy's place in its list
/// and the statement's place in the policy.
pub type StatementAt = (usize, usize);

/// What a list of policies of one kind says: the first Deny that applies,
/// and the first Allow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetVerdict {
    /// The first applicable Deny.
    pub deny: Option<StatementAt>,
    /// The first applicable Allow.
    pub allow: Option<StatementAt>,
}

/// Evaluates each policy of a list. `identity` says the policies apply to
/// their owner (SCPs, boundaries, session policies) rather than naming a
/// principal (RCPs, endpoint policies).
pub fn evaluate_set(
    policies: &[Option<Policy>],
    request: &Request<'_>,
    identity: bool,
) -> SetVerdict {
    let mut out = SetVerdict::default();
    for (i, policy) in policies.iter().enumerate() {
        let Some(policy) = policy else { continue };
        let v = kmsplay_policy::evaluate(policy, request, identity);
        if out.deny.is_none() {
            out.deny = v.deny.map(|s| (i, s));
        }
        if out.allow.is_none() {
            out.allow = v.allow_any().map(|s| (i, s));
        }
        if out.deny.is_some() && out.allow.is_some() {
            break;
        }
    }
    out
}

/// What the SCPs of the caller's account say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScpVerdict {
    /// SCPs do not apply to this caller.
    NotApplicable,
    /// Every node allows and none denies.
    Allowed,
    /// A Deny at `node`.
    Denied {
        /// The node id.
        node: String,
        /// Where the Deny is.
        at: StatementAt,
    },
    /// No SCP at `node` allows the request.
    NotAllowed {
        /// The node id.
        node: String,
    },
}

/// Do SCPs apply to this caller? Only to IAM principals (root user
/// included) of member accounts, not to the management account, service
/// principals or service-linked roles
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html>).
pub fn scps_apply(org: &Organization, principal: &Principal) -> bool {
    match principal {
        Principal::Aws(p) => org.is_member(&p.account) && !is_service_linked_role(principal),
        _ => false,
    }
}

/// A service-linked role (path `/aws-service-role/`, names
/// `AWSServiceRoleFor…`) or one of its sessions.
pub fn is_service_linked_role(principal: &Principal) -> bool {
    let Principal::Aws(p) = principal else {
        return false;
    };
    let arn = match &p.kind {
        AwsPrincipalKind::AssumedRole { role_arn } => role_arn.as_str(),
        AwsPrincipalKind::Role => p.arn.as_str(),
        _ => return false,
    };
    arn.contains(":role/aws-service-role/")
        || arn
            .rsplit('/')
            .next()
            .is_some_and(|name| name.starts_with("AWSServiceRoleFor"))
}

/// Decides the SCPs for a caller of `account` (see [`scps_apply`]).
pub fn evaluate_scps(org: &Organization, account: &str, request: &Request<'_>) -> ScpVerdict {
    let Some(nodes) = org.nodes(account) else {
        return ScpVerdict::NotApplicable;
    };
    let mut missing = None;
    for node in nodes {
        let Some(policies) = org.scps_at(node) else {
            // FullAWSAccess: allows everything, denies nothing.
            continue;
        };
        let v = evaluate_set(policies, request, true);
        if let Some(at) = v.deny {
            return ScpVerdict::Denied {
                node: node.to_string(),
                at,
            };
        }
        if v.allow.is_none() && missing.is_none() {
            missing = Some(node.to_string());
        }
    }
    match missing {
        Some(node) => ScpVerdict::NotAllowed { node },
        None => ScpVerdict::Allowed,
    }
}

/// Do the RCPs of the key's account apply? To every caller of a key in a
/// member account, whatever organization the caller belongs to, service
/// principals included; never to `kms:RetireGrant` ("RCPs do not impact
/// the kms:RetireGrant permission") nor to calls made by service-linked
/// roles (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>,
/// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).
pub fn rcps_apply(
    org: &Organization,
    key_account: &str,
    operation: &str,
    principal: &Principal,
) -> bool {
    org.is_member(key_account) && operation != "RetireGrant" && !is_service_linked_role(principal)
}

/// The first RCP Deny along the key account's path: the node and where.
/// `RCPFullAWSAccess` allows everything at every node, so an RCP can only
/// take access away.
pub fn rcp_deny(
    org: &Organization,
    key_account: &str,
    request: &Request<'_>,
) -> Option<(String, StatementAt)> {
    for node in org.nodes(key_account)? {
        let policies = org.rcps_at(node);
        if policies.is_empty() {
            continue;
        }
        if let Some(at) = evaluate_set(policies, request, false).deny {
            return Some((node.to_string(), at));
        }
    }
    None
}

/// A Deny statement with `NotPrincipal` of a resource-based policy that
/// applies to a caller with a permissions boundary whoever it lists: "The
/// NotPrincipal element with a Deny effect will always deny any IAM
/// principal that has a permissions boundary policy attached, regardless
/// of the values specified in the NotPrincipal element"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>).
pub fn not_principal_deny(policy: &Policy, request: &Request<'_>) -> Option<usize> {
    policy.statements.iter().find_map(|st| {
        let negated = st.principal.as_ref().is_some_and(|p| p.negated);
        if !st.valid || !negated || st.effect() != Some(Effect::Deny) {
            return None;
        }
        let (_, action, resource) = kmsplay_policy::statement_parts(st, request, false);
        (action
            && resource
            && st
                .conditions
                .iter()
                .all(|c| kmsplay_policy::condition_holds(c, request.context)))
        .then_some(st.index)
    })
}

/// Does an applicable Allow statement of the key policy name the caller's
/// own ARN — an IAM user, a role session, a federated user session — or
/// everyone? Such a grant is not limited by a permissions boundary or a
/// session policy; one that names the role ARN or the account is
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>,
/// "Resource-based policies").
pub fn allow_naming_caller(policy: &Policy, request: &Request<'_>) -> Option<usize> {
    let Principal::Aws(p) = request.principal else {
        return None;
    };
    if p.kind == AwsPrincipalKind::Role {
        // A role acting as itself: a statement naming its ARN names the
        // role, which boundaries and session policies do limit.
        return None;
    }
    policy.statements.iter().find_map(|st| {
        if st.effect() != Some(Effect::Allow) {
            return None;
        }
        let clause = st.principal.as_ref().filter(|c| !c.negated)?;
        let names = clause.items.iter().any(|e| {
            e.value.kind == kmsplay_policy::PrincipalKind::Any
                || (e.value.kind == kmsplay_policy::PrincipalKind::Aws && e.value.value == p.arn)
        });
        (names && kmsplay_policy::applies(st, request, false).is_some()).then_some(st.index)
    })
}
