//! What a policy is analysed with: the key (its policy and grants), the
//! identities a file describes, and the organization around the accounts.

use kmsplay_kms::{Identity, Key, Organization};
use kmsplay_playground::PlaygroundFile;
use kmsplay_policy::{parse_text, Policy, PolicyKind};

/// The key ARN a bare key policy is analysed for.
pub const DEFAULT_KEY_ARN: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A key policy with everything around it that takes part in deciding.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The key, its policy and its grants.
    pub key: Key,
    /// The IAM users and roles the file describes, with their policies.
    pub identities: Vec<Identity>,
    /// The organization, when the file has one.
    pub organization: Option<Organization>,
}

impl Setting {
    /// The setting of a playground file.
    pub fn from_file(file: &PlaygroundFile) -> Setting {
        Setting {
            key: file.key.clone(),
            identities: file.identities.clone(),
            organization: file.organization.clone(),
        }
    }

    /// A bare key policy, for the key `key_arn`, with nothing around it.
    /// None when the ARN is not a key ARN.
    pub fn from_policy(key_arn: &str, policy: Policy) -> Option<Setting> {
        let mut key = Key::new(key_arn).ok()?;
        key.policy = Some(policy);
        Some(Setting {
            key,
            identities: Vec::new(),
            organization: None,
        })
    }

    /// Every policy that takes part: the key policy, identity policies,
    /// boundaries, SCPs and RCPs.
    pub fn policies(&self) -> Vec<&Policy> {
        let mut out: Vec<&Policy> = self.key.policy.iter().collect();
        for i in &self.identities {
            out.extend(i.policies.iter().flatten());
            if let Some(Some(b)) = &i.permissions_boundary {
                out.push(b);
            }
        }
        if let Some(org) = &self.organization {
            out.extend(org.policies());
        }
        out
    }
}

/// The identity policy an IAM principal the file does not describe is
/// given: everything. Its administrators could attach it, so access the
/// key policy opens to its account is access someone can have.
pub fn allow_everything() -> Policy {
    parse_text(ALLOW_EVERYTHING, PolicyKind::Identity)
        .policy
        .expect("a valid policy")
}

/// [`allow_everything`]'s text.
pub const ALLOW_EVERYTHING: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
