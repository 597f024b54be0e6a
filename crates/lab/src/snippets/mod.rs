//! The exact statements the documents prescribe for a scenario, generated
//! for the user's own names: the key-policy statements with the documents'
//! own Sids and best-practice conditions (`aws:SourceArn` for trails; none
//! for event data stores, where it is not supported; `kms:ViaService`,
//! `kms:EncryptionContext:SecretARN` and `aws:ResourceTag/EventBridgeApiDestinations`
//! for EventBridge connections; `aws:PrincipalOrgID` and `aws:SourceVpce`
//! for the data perimeter), for cross-account set-ups the IAM policy and
//! trust policy the other account needs, and the organization's resource
//! control policies where a scenario has them.
//!
//! Where a document gives no Sid (or two alternatives share one), the Sid
//! is ours and says so in a comment below.

use crate::scenarios::{
    eventbridge_cross_account_role, key_arn, perimeter_role, root_arn, trail_arn, Params, Scenario,
    PERIMETER_ROOT,
};
use serde_json::{json, Value};

pub mod merge;
mod text;

pub use text::{compact, pretty, render};

/// What kind of policy, besides the key policy, a scenario needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherPolicyKind {
    /// An IAM identity policy of a user or role (the other half of a
    /// cross-account pair).
    Identity,
    /// A role's trust policy (who may assume it).
    Trust,
    /// A resource control policy of the organization; `attach_to` is the
    /// node (root, OU or account id) to attach it to.
    Rcp,
}

impl OtherPolicyKind {
    /// `identity`, `trust` or `rcp`.
    pub fn code(self) -> &'static str {
        match self {
            OtherPolicyKind::Identity => "identity",
            OtherPolicyKind::Trust => "trust",
            OtherPolicyKind::Rcp => "rcp",
        }
    }
}

/// A policy outside the key policy.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherPolicy {
    /// Identity or trust policy.
    pub kind: OtherPolicyKind,
    /// The user or role it belongs to (for an RCP: the node it is attached to).
    pub attach_to: String,
    /// Message id saying what it is for.
    pub label: &'static str,
    /// The policy document.
    pub policy: Value,
}

/// Everything a scenario needs, for one set of parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    /// The scenario's id.
    pub scenario: &'static str,
    /// Key-policy statements to add, in order.
    pub statements: Vec<Value>,
    /// IAM and trust policies for other principals.
    pub other_policies: Vec<OtherPolicy>,
}

impl Snippet {
    /// The statements as a pretty JSON array.
    pub fn statements_text(&self) -> String {
        pretty(&Value::Array(self.statements.clone()))
    }

    /// A whole key policy: the root statement of `root_account` (when
    /// given) followed by the snippet's statements (a statement equal to
    /// the root one is not repeated).
    pub fn as_policy(&self, root_account: Option<&str>) -> Value {
        let mut statements = Vec::new();
        if let Some(account) = root_account {
            statements.push(root_statement(account));
        }
        for s in &self.statements {
            if !statements.iter().any(|t| merge::same_statement(t, s)) {
                statements.push(s.clone());
            }
        }
        policy_document(statements)
    }

    /// As JSON, for the `params` it was made with, labels in `lang`:
    /// `{"scenario", "params", "statements", "statements_text", "policy"
    /// (the key account's root statement and the statements),
    /// "other_policies": [{"kind", "attach_to", "label", "policy"}]}`. The
    /// npm package's `snippet()` and `kmsplay snippet --format json` give it.
    pub fn to_json(&self, params: &Params, lang: kmsplay_messages::Lang) -> Value {
        json!({
            "scenario": self.scenario,
            "params": params.to_json(),
            "statements": self.statements,
            "statements_text": self.statements_text(),
            "policy": self.as_policy(Some(params.text("key_account"))),
            "other_policies": self.other_policies.iter().map(|o| json!({
                "kind": o.kind.code(),
                "attach_to": o.attach_to,
                "label": kmsplay_messages::render(lang, o.label, &[("principal", o.attach_to.clone())]),
                "policy": o.policy,
            })).collect::<Vec<_>>(),
        })
    }
}

/// `{"Version": "2012-10-17", "Statement": statements}`.
pub fn policy_document(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// The "Enable IAM User Permissions" statement: the key's account root may
/// do everything, which lets IAM policies of that account count
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>).
pub fn root_statement(account: &str) -> Value {
    json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": root_arn(account) },
        "Action": "kms:*",
        "Resource": "*",
    })
}

/// One string for one value, an array for several (as the documents write them).
fn one_or_many(values: &[String]) -> Value {
    match values {
        [one] => Value::String(one.clone()),
        many => json!(many),
    }
}

const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// The Null condition of seed 002's reader statements: only data that
/// carries the CloudTrail context pair (trail logs) may be decrypted.
fn trail_logs_only() -> Value {
    json!({ "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } })
}

fn decrypt_iam_policy(actions: Value, key: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": key }],
    })
}

/// The condition block seed 000 recommends for EventBridge connections.
pub fn eventbridge_condition() -> Value {
    json!({
        "StringLike": {
            "kms:ViaService": "secretsmanager.*.amazonaws.com",
            "kms:EncryptionContext:SecretARN": ["arn:aws:secretsmanager:*:*:secret:events!connection/*"],
        },
        "StringEquals": { "aws:ResourceTag/EventBridgeApiDestinations": "true" },
    })
}

/// The key-policy statement that lets every principal of organization
/// `org` use the key, and no one else: `"Principal": "*"` limited by
/// `aws:PrincipalOrgID` (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid>).
pub fn org_only_statement(org: &str) -> Value {
    json!({
        "Sid": "AllowUseInsideTheOrganization",
        "Effect": "Allow",
        "Principal": { "AWS": "*" },
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": { "StringEquals": { "aws:PrincipalOrgID": org } },
    })
}

/// The key-policy statement of the network perimeter: data calls that do
/// not come through endpoint `vpce` are denied (a negated operator with
/// IfExists matches when `aws:SourceVpce` is missing, as it is for a call
/// from the internet); AWS services, which have no endpoint, are left out
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition>,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice>).
pub fn endpoint_only_statement(vpce: &str) -> Value {
    json!({
        "Sid": "DenyDataUseOutsideTheEndpoint",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": { "aws:SourceVpce": vpce },
            "Bool": { "aws:PrincipalIsAWSService": "false" },
        },
    })
}

/// The identity-perimeter RCP of the KMS RCP page, for organization `org`
/// (the page's `my-org-id`): callers outside the organization are denied
/// every KMS action, AWS services excepted
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).
pub fn identity_perimeter_rcp(org: &str) -> Value {
    policy_document(vec![json!({
        "Sid": "RCPEnforceIdentityPerimeter",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "kms:*",
        "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": { "aws:PrincipalOrgID": org },
            "Bool": { "aws:PrincipalIsAWSService": "false" },
        },
    })])
}

/// The confused-deputy RCP of the same page: an AWS service may use the
/// key only for a source account in the organization (`aws:SourceOrgID`),
/// and only calls that carry `aws:SourceAccount` are checked (the Null
/// condition), so service integrations without it keep working
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).
pub fn confused_deputy_rcp(org: &str) -> Value {
    policy_document(vec![json!({
        "Sid": "RCPEnforceConfusedDeputyProtection",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "kms:*",
        "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": { "aws:SourceOrgID": org },
            "Bool": { "aws:PrincipalIsAWSService": "true" },
            "Null": { "aws:SourceAccount": "false" },
        },
    })])
}

/// The statements and other policies `scenario` prescribes for `params`.
pub fn snippet(scenario: &Scenario, params: &Params) -> Snippet {
    let statements = match scenario.id {
        "cloudtrail-trail" => trail_statements(params),
        "cloudtrail-event-data-store" => event_data_store_statements(params),
        "cross-account-readers" => cross_account_reader_statements(params),
        "eventbridge-connection" => eventbridge_statements(params),
        "data-perimeter" => perimeter_statements(params),
        "default-key-policy" => default_policy_statements(params),
        _ => Vec::new(),
    };
    Snippet {
        scenario: scenario.id,
        statements,
        other_policies: other_policies(scenario, params),
    }
}

/// The key-policy statements of a trail (seed 002).
fn trail_statements(p: &Params) -> Vec<Value> {
    let key = key_arn(p);
    let region = p.text("region");
    let mut statements = Vec::new();
    let accounts = p.list("trail_accounts");
    let trails: Vec<String> = accounts
        .iter()
        .map(|a| trail_arn(region, a, p.text("trail_name")))
        .collect();
    let contexts: Vec<String> = accounts
        .iter()
        .map(|a| format!("arn:aws:cloudtrail:*:{a}:trail/*"))
        .collect();
    // Seed 002 names the one-account statement "Allow CloudTrail to
    // encrypt logs" and the several-accounts one "Enable CloudTrail
    // encrypt permissions".
    let sid = if accounts.len() == 1 {
        "Allow CloudTrail to encrypt logs"
    } else {
        "Enable CloudTrail encrypt permissions"
    };
    statements.push(json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {
            "StringEquals": { "aws:SourceArn": one_or_many(&trails) },
            "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": one_or_many(&contexts) },
        },
    }));
    statements.push(json!({
        "Sid": "Allow CloudTrail access",
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": "kms:DescribeKey",
        "Resource": key,
        "Condition": { "StringEquals": { "aws:SourceArn": one_or_many(&trails) } },
    }));
    let readers = p.list("readers");
    statements.push(json!({
        "Sid": "Enable CloudTrail log decrypt permissions",
        "Effect": "Allow",
        "Principal": { "AWS": one_or_many(readers) },
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": trail_logs_only(),
    }));
    if p.flag("s3_bucket_key") {
        statements.push(json!({
            "Sid": "Allow CloudTrail to decrypt a trail",
            "Effect": "Allow",
            "Principal": { "Service": CLOUDTRAIL },
            "Action": "kms:Decrypt",
            "Resource": "*",
        }));
    }
    statements
}

/// The key-policy statements of a CloudTrail Lake event data store (seed 002).
fn event_data_store_statements(p: &Params) -> Vec<Value> {
    let key = key_arn(p);
    let mut statements = Vec::new();
    statements.push(json!({
        "Sid": "Allow CloudTrail to encrypt event data store",
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
    }));
    // The seed's text of this statement lacks the comma after its
    // Sid (invalid JSON); the statement itself is this one.
    statements.push(json!({
        "Sid": "Enable user key permissions for event data stores",
        "Effect": "Allow",
        "Principal": { "AWS": one_or_many(p.list("users")) },
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
    }));
    statements.push(json!({
        "Sid": "Allow CloudTrail to decrypt an event data store",
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": "kms:Decrypt",
        "Resource": "*",
    }));
    // The trail's describe statement without aws:SourceArn, which
    // event data stores do not support.
    statements.push(json!({
        "Sid": "Allow CloudTrail access",
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": "kms:DescribeKey",
        "Resource": key,
    }));
    statements
}

/// The key-policy statements for readers of the logs in other accounts (seed 002).
fn cross_account_reader_statements(p: &Params) -> Vec<Value> {
    let key = key_arn(p);
    let key_account = p.text("key_account");
    let mut statements = Vec::new();
    let read_access = "Enable encrypted CloudTrail log read access";
    if p.flag("bob_reads") {
        statements.push(json!({
            "Sid": "Enable CloudTrail log decrypt permissions",
            "Effect": "Allow",
            "Principal": { "AWS": p.text("bob") },
            "Action": "kms:Decrypt",
            "Resource": key,
            "Condition": trail_logs_only(),
        }));
    }
    let reader_account = p.text("reader_account");
    if p.flag("alice_reads") {
        statements.push(json!({
            "Sid": read_access,
            "Effect": "Allow",
            "Principal": { "AWS": [root_arn(reader_account)] },
            "Action": "kms:Decrypt",
            "Resource": key,
            "Condition": trail_logs_only(),
        }));
    }
    if p.flag("role_reads") {
        let role = format!("arn:aws:iam::{key_account}:role/{}", p.text("read_role"));
        // Seed 002 gives the role variant the same Sid as Alice's
        // statement (they are alternatives); a key policy with both
        // needs distinct Sids (duplicate Sids are refused:
        // https://aws.amazon.com/premiumsupport/knowledge-center/kms-policy-error-invalid-principals/).
        let sid = if p.flag("alice_reads") {
            format!("{read_access} ({})", p.text("read_role"))
        } else {
            read_access.to_string()
        };
        statements.push(json!({
            "Sid": sid,
            "Effect": "Allow",
            "Principal": { "AWS": [role] },
            "Action": "kms:Decrypt",
            "Resource": key,
            "Condition": trail_logs_only(),
        }));
    }
    statements
}

/// The key-policy statements of an EventBridge connection (seed 000).
fn eventbridge_statements(p: &Params) -> Vec<Value> {
    let mut statements = Vec::new();
    let caller = p.text("caller");
    // Seed 000 gives the condition block but no statement around it,
    // so these two Sids are ours. DescribeKey carries no encryption
    // context and no kms:ViaService, so under the whole block it
    // could never be allowed: it gets the tag condition only.
    statements.push(json!({
        "Sid": "Allow EventBridge connections to use the key",
        "Effect": "Allow",
        "Principal": { "AWS": caller },
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": eventbridge_condition(),
    }));
    statements.push(json!({
        "Sid": "Allow EventBridge connections to describe the key",
        "Effect": "Allow",
        "Principal": { "AWS": caller },
        "Action": "kms:DescribeKey",
        "Resource": "*",
        "Condition": {
            "StringEquals": { "aws:ResourceTag/EventBridgeApiDestinations": "true" },
        },
    }));
    if p.flag("cross_account") {
        let role = eventbridge_cross_account_role(p.text("connection_account"));
        // Seed 000's statement, which has no Sid.
        statements.push(json!({
            "Effect": "Allow",
            "Principal": { "AWS": role },
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": "*",
        }));
    }
    statements
}

/// The key-policy statements of the data perimeter.
///
/// The data perimeter: use by the organization only (aws:PrincipalOrgID),
/// CloudTrail only for trails of the organization (aws:SourceOrgID), and
/// data calls by people and roles only through the VPC endpoint
/// (aws:SourceVpce; AWS services call from AWS's network and are left
/// out with aws:PrincipalIsAWSService), plus the KMS RCP page's two
/// RCPs at the organization's root. The Sids of the key-policy
/// statements are ours.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid>
/// <https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition>
/// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>
fn perimeter_statements(p: &Params) -> Vec<Value> {
    let key_account = p.text("key_account");
    let mut statements = Vec::new();
    let org = p.text("org_id");
    statements.push(root_statement(key_account));
    statements.push(org_only_statement(org));
    statements.push(json!({
        "Sid": "AllowCloudTrailForTheOrganization",
        "Effect": "Allow",
        "Principal": { "Service": CLOUDTRAIL },
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": { "StringEquals": { "aws:SourceOrgID": org } },
    }));
    statements.push(endpoint_only_statement(p.text("vpce")));
    statements
}

/// The console's default key policy.
fn default_policy_statements(p: &Params) -> Vec<Value> {
    let key_account = p.text("key_account");
    let mut statements = Vec::new();
    statements.push(root_statement(key_account));
    statements.push(json!({
        "Sid": "Allow access for Key Administrators",
        "Effect": "Allow",
        "Principal": { "AWS": one_or_many(p.list("administrators")) },
        "Action": [
            "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
            "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
            "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
        ],
        "Resource": "*",
    }));
    let users = one_or_many(p.list("users"));
    statements.push(json!({
        "Sid": "Allow use of the key",
        "Effect": "Allow",
        "Principal": { "AWS": users },
        "Action": [
            "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
    }));
    statements.push(json!({
        "Sid": "Allow attachment of persistent resources",
        "Effect": "Allow",
        "Principal": { "AWS": users },
        "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        "Resource": "*",
        "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } },
    }));
    statements
}

/// The IAM and trust policies `scenario` prescribes for principals other
/// than the key (the scenario's requests use the identity policies among
/// them, so this part is kept apart from the key-policy statements).
pub fn other_policies(scenario: &Scenario, params: &Params) -> Vec<OtherPolicy> {
    let p = params;
    let key = key_arn(p);
    let key_account = p.text("key_account");
    let mut others = Vec::new();
    match scenario.id {
        "cloudtrail-trail" => {
            for reader in p.list("readers") {
                if kmsplay_policy::arn::account(reader) != Some(key_account) {
                    others.push(OtherPolicy {
                        kind: OtherPolicyKind::Identity,
                        attach_to: iam_owner(reader),
                        label: "snippet.other.reader-iam-policy",
                        policy: decrypt_iam_policy(json!("kms:Decrypt"), &key),
                    });
                }
            }
        }
        "cross-account-readers" => {
            let reader_account = p.text("reader_account");
            if p.flag("alice_reads") && p.flag("alice_iam_policy") {
                others.push(OtherPolicy {
                    kind: OtherPolicyKind::Identity,
                    attach_to: p.text("alice").to_string(),
                    label: "snippet.other.alice-iam-policy",
                    policy: decrypt_iam_policy(json!("kms:Decrypt"), &key),
                });
            }
            if p.flag("role_reads") {
                let role = format!("arn:aws:iam::{key_account}:role/{}", p.text("read_role"));
                others.push(OtherPolicy {
                    kind: OtherPolicyKind::Trust,
                    attach_to: role,
                    label: "snippet.other.read-role-trust-policy",
                    policy: json!({
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "Allow CloudTrail access",
                            "Effect": "Allow",
                            "Principal": { "AWS": root_arn(reader_account) },
                            "Action": "sts:AssumeRole",
                        }],
                    }),
                });
            }
        }
        "eventbridge-connection" if p.flag("cross_account") => {
            let role = eventbridge_cross_account_role(p.text("connection_account"));
            others.push(OtherPolicy {
                kind: OtherPolicyKind::Identity,
                attach_to: role,
                label: "snippet.other.eventbridge-role-iam-policy",
                policy: decrypt_iam_policy(json!(["kms:Decrypt", "kms:DescribeKey"]), &key),
            });
        }
        "data-perimeter" => {
            let org = p.text("org_id");
            others.push(OtherPolicy {
                kind: OtherPolicyKind::Identity,
                attach_to: perimeter_role(p.text("member_account"), "Reader"),
                label: "snippet.other.perimeter-member-iam-policy",
                policy: decrypt_iam_policy(json!(["kms:Decrypt", "kms:DescribeKey"]), &key),
            });
            others.push(OtherPolicy {
                kind: OtherPolicyKind::Rcp,
                attach_to: PERIMETER_ROOT.to_string(),
                label: "snippet.other.rcp-identity-perimeter",
                policy: identity_perimeter_rcp(org),
            });
            others.push(OtherPolicy {
                kind: OtherPolicyKind::Rcp,
                attach_to: PERIMETER_ROOT.to_string(),
                label: "snippet.other.rcp-confused-deputy",
                policy: confused_deputy_rcp(org),
            });
        }
        _ => {}
    }
    others
}

/// The IAM user or role an identity policy attaches to: a role session's
/// policies are its role's.
fn iam_owner(arn: &str) -> String {
    match kmsplay_policy::Principal::parse(arn) {
        Some(kmsplay_policy::Principal::Aws(kmsplay_policy::AwsPrincipal {
            kind: kmsplay_policy::AwsPrincipalKind::AssumedRole { role_arn },
            ..
        })) => role_arn,
        _ => arn.to_string(),
    }
}
