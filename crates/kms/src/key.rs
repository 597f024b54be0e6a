//! The simulated key and the people and grants around it.

use crate::catalogue::{self, KeySpec, KeyState, KeyUsage, Operation};
use kmsplay_policy::{Policy, Principal};

/// A KMS key with its policy and grants.
#[derive(Debug, Clone)]
pub struct Key {
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`
    pub arn: String,
    /// The key's account.
    pub account: String,
    /// The key's region.
    pub region: String,
    /// The key id (the ARN's last part).
    pub key_id: String,
    /// Key spec.
    pub spec: &'static KeySpec,
    /// Key usage.
    pub usage: KeyUsage,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// Key state.
    pub state: KeyState,
    /// Tags, in order.
    pub tags: Vec<(String, String)>,
    /// Alias names (`alias/…`).
    pub aliases: Vec<String>,
    /// The key policy; None when it could not be read (AWS would have
    /// refused it), which leaves nothing allowed by the key policy.
    pub policy: Option<Policy>,
    /// Grants on the key.
    pub grants: Vec<Grant>,
}

/// Why a key ARN is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyArnError {
    /// Not `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`.
    Malformed,
}

impl Key {
    /// A key with defaults for everything but its ARN: symmetric, enabled,
    /// no tags, aliases, policy or grants.
    pub fn new(arn: &str) -> Result<Key, KeyArnError> {
        let parts = kmsplay_policy::arn::split(arn).ok_or(KeyArnError::Malformed)?;
        let key_id = parts[5]
            .strip_prefix("key/")
            .ok_or(KeyArnError::Malformed)?;
        if parts[2] != "kms"
            || parts[3].is_empty()
            || !kmsplay_policy::is_account_id(parts[4])
            || key_id.is_empty()
        {
            return Err(KeyArnError::Malformed);
        }
        let spec = catalogue::key_spec("SYMMETRIC_DEFAULT")
            .expect("SYMMETRIC_DEFAULT is in the catalogue");
        Ok(Key {
            arn: arn.to_string(),
            account: parts[4].to_string(),
            region: parts[3].to_string(),
            key_id: key_id.to_string(),
            spec,
            usage: catalogue::default_usage(spec),
            origin: "AWS_KMS".to_string(),
            state: KeyState::Enabled,
            tags: Vec::new(),
            aliases: Vec::new(),
            policy: None,
            grants: Vec::new(),
        })
    }

    /// Does `reference` (key ARN, key id, alias name or alias ARN) name
    /// this key? Returns the alias used, if any.
    pub fn resolve(&self, reference: &str) -> KeyReference {
        if reference == self.arn || reference == self.key_id {
            return KeyReference::Key;
        }
        let alias_name = if reference.starts_with("alias/") {
            Some(reference.to_string())
        } else {
            kmsplay_policy::arn::split(reference).and_then(|p| {
                (p[2] == "kms"
                    && p[3] == self.region
                    && p[4] == self.account
                    && p[5].starts_with("alias/"))
                .then(|| p[5].to_string())
            })
        };
        match alias_name {
            Some(a) if self.aliases.contains(&a) => KeyReference::Alias(a),
            _ => KeyReference::Unknown,
        }
    }
}

/// What a request's key reference resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyReference {
    /// The key, by ARN or id.
    Key,
    /// The key, through this alias name.
    Alias(String),
    /// Not this key.
    Unknown,
}

/// An IAM user or role and its identity policies.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Its ARN.
    pub arn: String,
    /// Its policies (None for one that could not be read).
    pub policies: Vec<Option<Policy>>,
    /// Its permissions boundary: None without one, `Some(None)` for one
    /// that could not be read (it allows nothing).
    pub permissions_boundary: Option<Option<Policy>>,
}

/// A grant.
#[derive(Debug, Clone)]
pub struct Grant {
    /// Grant id.
    pub id: String,
    /// The grantee principal's ARN.
    pub grantee: String,
    /// The operations it allows.
    pub operations: Vec<&'static Operation>,
    /// Its encryption-context constraint, if any.
    pub constraint: Option<GrantConstraint>,
    /// Who may retire it.
    pub retiring_principal: Option<String>,
    /// The token CreateGrant returned.
    pub token: Option<String>,
    /// Not yet eventually consistent: usable only with its token.
    pub pending: bool,
}

/// A grant's encryption-context constraint (keys and values case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantConstraint {
    /// The request's context must be exactly these pairs.
    Equals(Vec<(String, String)>),
    /// The request's context must include these pairs.
    Subset(Vec<(String, String)>),
}

impl GrantConstraint {
    /// Is the constraint met by `context`? In a grant constraint the key of
    /// each pair is not case-sensitive but the value is
    /// (<https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html>).
    pub fn met_by(&self, context: &[(String, String)]) -> bool {
        let has = |(k, v): &(String, String)| {
            context
                .iter()
                .any(|(ck, cv)| ck.eq_ignore_ascii_case(k) && cv == v)
        };
        match self {
            GrantConstraint::Equals(pairs) => pairs.len() == context.len() && pairs.iter().all(has),
            GrantConstraint::Subset(pairs) => pairs.iter().all(has),
        }
    }
}

/// Does a grant's grantee name the caller? A role names its sessions.
pub fn grantee_matches(grantee: &str, principal: &Principal) -> bool {
    match principal {
        Principal::Aws(p) => {
            grantee == p.arn
                || principal
                    .principal_arn()
                    .is_some_and(|role| role == grantee || same_role(grantee, role))
        }
        _ => false,
    }
}

/// True when the identity `identity_arn` is the caller's: the caller
/// itself, or for a role session its role (`role/path/Name` and
/// `role/Name` in the same account are the same role). Its identity
/// policies are the caller's.
pub fn is_callers_identity(identity_arn: &str, principal: &Principal) -> bool {
    let Principal::Aws(p) = principal else {
        return false;
    };
    identity_arn == p.arn
        || match &p.kind {
            kmsplay_policy::AwsPrincipalKind::AssumedRole { role_arn } => {
                identity_arn == role_arn || same_role(identity_arn, role_arn)
            }
            _ => false,
        }
}

/// `role/path/Name` and `role/Name` in the same account are the same role.
pub(crate) fn same_role(a: &str, b: &str) -> bool {
    match (kmsplay_policy::arn::split(a), kmsplay_policy::arn::split(b)) {
        (Some(x), Some(y)) => {
            x[4] == y[4]
                && x[5].starts_with("role/")
                && y[5].starts_with("role/")
                && x[5].rsplit('/').next() == y[5].rsplit('/').next()
        }
        _ => false,
    }
}
