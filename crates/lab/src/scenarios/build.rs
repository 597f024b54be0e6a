//! A scenario, its parameters and the key policy a user pasted, built
//! into a playground file (`shared/spec/playground-file.md`): the key, the
//! identities with the policies the snippets prescribe for them, the
//! organization, and every request the scenario makes.

use super::catalogue::{RequestKind, Scenario};
use super::names::{
    connection_secret_arn, event_data_store_arn, eventbridge_cross_account_role, key_arn,
    log_object_arn, perimeter_role, root_arn, trail_arn, OTHER_VPCE, PERIMETER_OU, PERIMETER_ROOT,
};
use super::params::Params;
use crate::snippets::{other_policies, policy_document, OtherPolicyKind};
use kmsplay_kms::PolicyType;
use kmsplay_playground::{FileError, PlaygroundFile};
use serde_json::{json, Map, Value};

/// The account of an IAM or STS ARN.
fn account_of(arn: &str) -> &str {
    kmsplay_policy::arn::account(arn).unwrap_or_default()
}

/// One concrete request of a scenario.
#[derive(Debug, Clone)]
pub(super) struct Req {
    pub(super) kind: &'static RequestKind,
    subject: Option<String>,
    principal: String,
    action: &'static str,
    encryption_context: Vec<(String, String)>,
    context: Vec<(&'static str, Value)>,
    vpc_endpoint: Option<Value>,
    pub(super) expect: &'static str,
    pub(super) layer: Option<PolicyType>,
    pub(super) params: Vec<(&'static str, String)>,
}

pub(super) struct Setup {
    tags: Vec<(&'static str, &'static str)>,
    organization: Option<Value>,
    identities: Vec<(String, Vec<Value>)>,
    pub(super) requests: Vec<Req>,
}

const SUCCESS: &str = "Success";
const DENIED: &str = "AccessDeniedException";

struct Builder<'a> {
    scenario: &'static Scenario,
    requests: Vec<Req>,
    params: &'a Params,
}

impl<'a> Builder<'a> {
    fn new(scenario: &'static Scenario, params: &'a Params) -> Builder<'a> {
        Builder {
            scenario,
            requests: Vec::new(),
            params,
        }
    }

    fn push(&mut self, kind: &str, principal: &str, action: &'static str) -> &mut Req {
        let kind = self
            .scenario
            .request(kind)
            .expect("request kinds are declared in the catalogue");
        self.requests.push(Req {
            kind,
            subject: None,
            principal: principal.to_string(),
            action,
            encryption_context: Vec::new(),
            context: Vec::new(),
            vpc_endpoint: None,
            expect: SUCCESS,
            layer: None,
            params: Vec::new(),
        });
        self.requests.last_mut().expect("just pushed")
    }
}

impl Req {
    fn subject(&mut self, s: impl Into<String>) -> &mut Req {
        self.subject = Some(s.into());
        self
    }

    fn ec(&mut self, k: &str, v: impl Into<String>) -> &mut Req {
        self.encryption_context.push((k.to_string(), v.into()));
        self
    }

    fn ctx(&mut self, k: &'static str, v: impl Into<String>) -> &mut Req {
        self.context.push((k, Value::String(v.into())));
        self
    }

    fn endpoint(&mut self, id: impl Into<String>) -> &mut Req {
        self.vpc_endpoint = Some(json!({ "id": id.into() }));
        self
    }

    /// The request comes through an endpoint with this endpoint policy.
    fn endpoint_policy(&mut self, policy: Value) -> &mut Req {
        if let Some(Value::Object(e)) = &mut self.vpc_endpoint {
            e.insert("policy".into(), policy);
        }
        self
    }

    /// The policy type AWS's answer names: the one that allows, that
    /// denies, or whose missing Allow leaves the request denied.
    fn decided_by(&mut self, layer: PolicyType) -> &mut Req {
        self.layer = Some(layer);
        self
    }

    fn param(&mut self, k: &'static str, v: impl Into<String>) -> &mut Req {
        self.params.push((k, v.into()));
        self
    }

    fn denied(&mut self) -> &mut Req {
        self.expect = DENIED;
        self
    }

    pub(super) fn name(&self) -> String {
        match &self.subject {
            Some(s) => format!("{} [{s}]", self.kind.id),
            None => self.kind.id.to_string(),
        }
    }

    fn to_json(&self, scenario: &Scenario) -> Value {
        let mut o = Map::new();
        o.insert("name".into(), Value::String(self.name()));
        o.insert("principal".into(), Value::String(self.principal.clone()));
        o.insert("action".into(), Value::String(self.action.to_string()));
        if !self.encryption_context.is_empty() {
            o.insert(
                "encryption_context".into(),
                Value::Object(
                    self.encryption_context
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                ),
            );
        }
        if !self.context.is_empty() {
            o.insert(
                "context".into(),
                Value::Object(
                    self.context
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect(),
                ),
            );
        }
        if let Some(e) = &self.vpc_endpoint {
            o.insert("vpc_endpoint".into(), e.clone());
        }
        o.insert("expect".into(), Value::String(self.expect.to_string()));
        o.insert(
            "scenario_request".into(),
            Value::String(format!("{}/{}", scenario.id, self.kind.id)),
        );
        o.insert(
            "purpose".into(),
            Value::String(self.kind.purpose.to_string()),
        );
        o.insert(
            "consequence".into(),
            Value::String(self.kind.consequence.to_string()),
        );
        o.insert(
            "message_params".into(),
            Value::Object(
                self.params
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                    .collect(),
            ),
        );
        Value::Object(o)
    }
}

pub(super) fn setup(scenario: &'static Scenario, p: &Params) -> Setup {
    let mut b = Builder::new(scenario, p);
    let mut tags = Vec::new();
    let mut organization = None;
    let mut identities: Vec<(String, Vec<Value>)> = Vec::new();
    let region = p.text("region").to_string();
    let key_account = p.text("key_account").to_string();
    let key = key_arn(p);
    match scenario.id {
        "cloudtrail-trail" => trail_requests(&mut b, &region),
        "cloudtrail-event-data-store" => event_data_store_requests(&mut b, &region, &key_account),
        "cross-account-readers" => readers_requests(&mut b, &region, &key_account),
        "eventbridge-connection" => {
            eventbridge_requests(&mut b, &region, &key, &mut tags, &mut identities)
        }
        "default-key-policy" => default_policy_requests(&mut b, &region, &key_account),
        "data-perimeter" => {
            perimeter_requests(&mut b, &region, &key_account, &key, &mut identities)
        }
        _ => {}
    }
    // The identity policies the snippets prescribe for the other account,
    // and the RCPs they prescribe for the organization.
    let mut rcps: Vec<(String, Value)> = Vec::new();
    for other in other_policies(scenario, p) {
        match other.kind {
            OtherPolicyKind::Identity => match identities
                .iter_mut()
                .find(|(arn, _)| *arn == other.attach_to)
            {
                Some((_, policies)) => policies.push(other.policy),
                None => identities.push((other.attach_to, vec![other.policy])),
            },
            OtherPolicyKind::Rcp => rcps.push((other.attach_to, other.policy)),
            OtherPolicyKind::Trust => {}
        }
    }
    if scenario.id == "data-perimeter" {
        organization = Some(perimeter_organization(p, &rcps));
    }
    Setup {
        tags,
        organization,
        identities,
        requests: b.requests,
    }
}

/// The requests of a CloudTrail Lake event data store.
fn event_data_store_requests(b: &mut Builder<'_>, region: &str, key_account: &str) {
    let p = b.params;
    let store = event_data_store_arn(region, key_account, p.text("store_id"));
    // aws:SourceArn and aws:SourceAccount are not supported for
    // event data stores (seed 002), so the requests carry neither.
    b.push(
        "service-generate",
        "cloudtrail.amazonaws.com",
        "kms:GenerateDataKey",
    )
    .param("store", &store);
    b.push("service-decrypt", "cloudtrail.amazonaws.com", "kms:Decrypt")
        .param("store", &store);
    b.push("describe", "cloudtrail.amazonaws.com", "kms:DescribeKey")
        .param("store", &store);
    for user in p.list("users") {
        b.push("user-generate", user, "kms:GenerateDataKey")
            .subject(user)
            .param("user", user)
            .param("store", &store);
        b.push("user-decrypt", user, "kms:Decrypt")
            .subject(user)
            .param("user", user)
            .param("store", &store);
    }
}

/// The requests of an EventBridge connection; the key's tags and the caller's IAM policy the scenario gives.
fn eventbridge_requests(
    b: &mut Builder<'_>,
    region: &str,
    key: &str,
    tags: &mut Vec<(&'static str, &'static str)>,
    identities: &mut Vec<(String, Vec<Value>)>,
) {
    let p = b.params;
    if p.flag("key_tag") {
        tags.push(("EventBridgeApiDestinations", "true"));
    }
    let name = p.text("connection_name");
    let id = p.text("connection_id");
    let caller = p.text("caller");
    let secret = connection_secret_arn(region, account_of(caller), name, id);
    let via = format!("secretsmanager.{region}.amazonaws.com");
    b.push("describe", caller, "kms:DescribeKey")
        .param("connection", name)
        .param("caller", caller);
    b.push("generate", caller, "kms:GenerateDataKey")
        .ec("SecretARN", &secret)
        .ctx("kms:ViaService", &via)
        .param("connection", name)
        .param("caller", caller);
    b.push("decrypt", caller, "kms:Decrypt")
        .ec("SecretARN", &secret)
        .ctx("kms:ViaService", &via)
        .param("connection", name)
        .param("caller", caller);
    if p.flag("caller_iam_policy") {
        // What EventBridge does "on your behalf" needs the caller's
        // own permission too when the key policy delegates to IAM
        // (seed 000's example key policy is the root statement only).
        identities.push((
            caller.to_string(),
            vec![json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
                    "Resource": key,
                }],
            })],
        ));
    }
    if p.flag("cross_account") {
        let account = p.text("connection_account");
        let role = eventbridge_cross_account_role(account);
        let secret = connection_secret_arn(region, account, name, id);
        b.push("cross-decrypt", &role, "kms:Decrypt")
            .ec("SecretARN", &secret)
            .ctx("kms:ViaService", &via)
            .param("role", &role)
            .param("connection", name);
        b.push("cross-describe", &role, "kms:DescribeKey")
            .param("role", &role)
            .param("connection", name);
    }
}

/// The requests of the console's default key policy.
fn default_policy_requests(b: &mut Builder<'_>, region: &str, key_account: &str) {
    let p = b.params;
    let root = root_arn(key_account);
    b.push("root-manage", &root, "kms:PutKeyPolicy")
        .param("account", key_account);
    for admin in p.list("administrators") {
        b.push("admin-manage", admin, "kms:PutKeyPolicy")
            .subject(admin)
            .param("admin", admin);
        b.push("admin-no-use", admin, "kms:Decrypt")
            .subject(admin)
            .param("admin", admin)
            .denied();
    }
    for user in p.list("users") {
        b.push("user-encrypt", user, "kms:Encrypt")
            .subject(user)
            .param("user", user);
        b.push("user-decrypt", user, "kms:Decrypt")
            .subject(user)
            .param("user", user);
        b.push("user-generate", user, "kms:GenerateDataKey")
            .subject(user)
            .param("user", user);
        // An AWS service integrated with KMS creates the grant on the
        // user's behalf; kms:GrantIsForAWSResource is then true.
        b.push("user-grant-for-aws-resource", user, "kms:CreateGrant")
            .subject(user)
            .ctx("kms:GrantIsForAWSResource", "true")
            .ctx("kms:ViaService", format!("ec2.{region}.amazonaws.com"))
            .param("user", user);
        b.push("user-no-manage", user, "kms:ScheduleKeyDeletion")
            .subject(user)
            .param("user", user)
            .denied();
    }
}

/// The requests of the data perimeter, and the outside account's own IAM policy.
fn perimeter_requests(
    b: &mut Builder<'_>,
    region: &str,
    key_account: &str,
    key: &str,
    identities: &mut Vec<(String, Vec<Value>)>,
) {
    let p = b.params;
    let org = p.text("org_id").to_string();
    let member = p.text("member_account").to_string();
    let outside = p.text("outside_account").to_string();
    let vpce = p.text("vpce").to_string();
    let reader = perimeter_session(&member, "Reader");
    let app = perimeter_session(key_account, "App");
    let partner = perimeter_session(&outside, "Partner");
    // The outside account's own IAM policy allows the call: only the
    // perimeter keeps it out.
    identities.push((
        perimeter_role(&outside, "Partner"),
        vec![policy_document(vec![json!({
            "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": key,
        })])],
    ));
    b.push("member-through-endpoint", &reader, "kms:Decrypt")
        .endpoint(&vpce)
        .decided_by(PolicyType::ResourceBased)
        .param("account", &member)
        .param("vpce", &vpce);
    b.push("owner-through-endpoint", &app, "kms:Encrypt")
        .endpoint(&vpce)
        .decided_by(PolicyType::ResourceBased)
        .param("account", key_account)
        .param("vpce", &vpce);
    // The network Deny names the data actions only.
    b.push("member-describe", &reader, "kms:DescribeKey")
        .decided_by(PolicyType::ResourceBased)
        .param("account", &member);
    b.push("member-outside-endpoint", &reader, "kms:Decrypt")
        .decided_by(PolicyType::ResourceBased)
        .param("account", &member)
        .param("vpce", &vpce)
        .denied();
    b.push("member-other-endpoint", &reader, "kms:Decrypt")
        .endpoint(OTHER_VPCE)
        .decided_by(PolicyType::ResourceBased)
        .param("account", &member)
        .param("vpce", &vpce)
        .param("other", OTHER_VPCE)
        .denied();
    // The right endpoint, but its own policy allows only DescribeKey
    // (https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html).
    b.push("endpoint-policy-limits", &app, "kms:Encrypt")
        .endpoint(&vpce)
        .endpoint_policy(policy_document(vec![json!({
            "Effect": "Allow", "Principal": "*", "Action": "kms:DescribeKey", "Resource": "*",
        })]))
        .decided_by(PolicyType::VpcEndpoint)
        .param("account", key_account)
        .param("vpce", &vpce)
        .denied();
    // Through the endpoint and allowed by its own IAM policy: only
    // the identity-perimeter RCP keeps the outsider out.
    b.push("outside-account", &partner, "kms:Decrypt")
        .endpoint(&vpce)
        .decided_by(PolicyType::ResourceControl)
        .param("account", &outside)
        .param("org", &org)
        .denied();
    b.push(
        "service-for-member",
        "cloudtrail.amazonaws.com",
        "kms:GenerateDataKey",
    )
    .ctx("aws:SourceAccount", &member)
    .ctx("aws:SourceArn", trail_arn(region, &member, "org-trail"))
    .decided_by(PolicyType::ResourceBased)
    .param("account", &member);
    b.push(
        "service-for-outsider",
        "cloudtrail.amazonaws.com",
        "kms:GenerateDataKey",
    )
    .ctx("aws:SourceAccount", &outside)
    .ctx("aws:SourceArn", trail_arn(region, &outside, "their-trail"))
    .decided_by(PolicyType::ResourceControl)
    .param("account", &outside)
    .param("org", &org)
    .denied();
}

/// A session of that role (`arn:aws:sts::ACCOUNT:assumed-role/NAME/s1`).
fn perimeter_session(account: &str, name: &str) -> String {
    format!("arn:aws:sts::{account}:assumed-role/{name}/s1")
}

/// The data-perimeter scenario's organization (the fields of
/// `shared/spec/playground-file.md`, "The rest of the evaluation chain"):
/// the key's account and the member account in one OU, a management
/// account that is neither, and at each node the RCPs the snippet
/// prescribes (the KMS RCP page's identity perimeter and confused-deputy
/// protection, at the root). The outside account is in no organization.
fn perimeter_organization(p: &Params, rcps: &[(String, Value)]) -> Value {
    let key_account = p.text("key_account");
    let member = p.text("member_account");
    let outside = p.text("outside_account");
    let management = ["999999999999", "999999999998", "999999999997"]
        .into_iter()
        .find(|a| ![key_account, member, outside].contains(a))
        .expect("three accounts leave one of four free");
    let mut nodes = Map::new();
    for (node, policy) in rcps {
        match nodes.entry(node.clone()).or_insert_with(|| json!([])) {
            Value::Array(list) => list.push(policy.clone()),
            _ => unreachable!("built as arrays"),
        }
    }
    json!({
        "id": p.text("org_id"),
        "root": PERIMETER_ROOT,
        "management_account": management,
        "accounts": { key_account: [PERIMETER_OU], member: [PERIMETER_OU] },
        "rcps": nodes,
    })
}

fn trail_requests(b: &mut Builder<'_>, region: &str) {
    let p = b.params;
    let name = p.text("trail_name").to_string();
    let bucket = p.text("bucket").to_string();
    let accounts = p.list("trail_accounts").to_vec();
    for account in &accounts {
        let trail = trail_arn(region, account, &name);
        let object = log_object_arn(&bucket, account, region);
        // Seed 004: on create/update CloudTrail calls GenerateDataKey with
        // the trail ARN as context to check the key (and drops the data key).
        b.push(
            "create-check",
            "cloudtrail.amazonaws.com",
            "kms:GenerateDataKey",
        )
        .subject(&trail)
        .ec("aws:cloudtrail:arn", &trail)
        .ctx("aws:SourceArn", &trail)
        .ctx("aws:SourceAccount", account)
        .param("trail", &trail);
        // Each log file delivery: the trail and the S3 object as context.
        b.push(
            "delivery",
            "cloudtrail.amazonaws.com",
            "kms:GenerateDataKey",
        )
        .subject(&trail)
        .ec("aws:cloudtrail:arn", &trail)
        .ec("aws:s3:arn", &object)
        .ctx("aws:SourceArn", &trail)
        .ctx("aws:SourceAccount", account)
        .param("trail", &trail)
        .param("bucket", &bucket);
        b.push("describe", "cloudtrail.amazonaws.com", "kms:DescribeKey")
            .subject(&trail)
            .ctx("aws:SourceArn", &trail)
            .ctx("aws:SourceAccount", account)
            .param("trail", &trail);
        if p.flag("s3_bucket_key") {
            // With an S3 Bucket Key the encryption context is the bucket ARN
            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
            b.push(
                "bucket-key-decrypt",
                "cloudtrail.amazonaws.com",
                "kms:Decrypt",
            )
            .subject(&trail)
            .ec("aws:s3:arn", format!("arn:aws:s3:::{bucket}"))
            .ctx("aws:SourceArn", &trail)
            .ctx("aws:SourceAccount", account)
            .param("trail", &trail)
            .param("bucket", &bucket);
        }
    }
    for account in &accounts {
        let trail = trail_arn(region, account, &name);
        let object = log_object_arn(&bucket, account, region);
        for reader in p.list("readers") {
            // Seed 004: reading a log file makes S3 call Decrypt on the
            // reader's behalf with the delivery's context.
            b.push("read", reader, "kms:Decrypt")
                .subject(format!("{reader} {trail}"))
                .ec("aws:cloudtrail:arn", &trail)
                .ec("aws:s3:arn", &object)
                .ctx("kms:ViaService", format!("s3.{region}.amazonaws.com"))
                .param("reader", reader)
                .param("trail", &trail);
        }
    }
}

fn readers_requests(b: &mut Builder<'_>, region: &str, key_account: &str) {
    let p = b.params;
    let trail = trail_arn(region, key_account, p.text("trail_name"));
    let via = format!("s3.{region}.amazonaws.com");
    let reader_account = p.text("reader_account").to_string();
    if p.flag("bob_reads") {
        let bob = p.text("bob").to_string();
        let object = log_object_arn(p.text("bucket"), key_account, region);
        b.push("bob-read", &bob, "kms:Decrypt")
            .ec("aws:cloudtrail:arn", &trail)
            .ec("aws:s3:arn", &object)
            .ctx("kms:ViaService", &via)
            .param("bob", &bob);
        // "Bob can decrypt trail logs and nothing else": the Null condition
        // refuses data without the CloudTrail context pair.
        b.push("bob-only-trail-logs", &bob, "kms:Decrypt")
            .ec(
                "aws:s3:arn",
                format!("arn:aws:s3:::{}/not-a-log.txt", p.text("bucket")),
            )
            .ctx("kms:ViaService", &via)
            .param("bob", &bob)
            .denied();
    }
    if p.flag("alice_reads") {
        let alice = p.text("alice").to_string();
        let object = log_object_arn(p.text("alice_bucket"), key_account, region);
        b.push("alice-read", &alice, "kms:Decrypt")
            .ec("aws:cloudtrail:arn", &trail)
            .ec("aws:s3:arn", &object)
            .ctx("kms:ViaService", &via)
            .param("alice", &alice)
            .param("account", &reader_account);
    }
    if p.flag("role_reads") {
        let role = p.text("read_role");
        let session = format!(
            "arn:aws:sts::{key_account}:assumed-role/{role}/{}",
            p.text("session")
        );
        let object = log_object_arn(p.text("bucket"), key_account, region);
        b.push("role-read", &session, "kms:Decrypt")
            .ec("aws:cloudtrail:arn", &trail)
            .ec("aws:s3:arn", &object)
            .ctx("kms:ViaService", &via)
            .param("role", format!("arn:aws:iam::{key_account}:role/{role}"))
            .param("account", &reader_account);
    }
}

/// The playground file for `scenario` with `params`, around the key policy
/// text a user pasted (kept as a string, so positions in diagnostics refer
/// to that text). Requests carry `name` and `expect` as the file format
/// defines them, and `scenario_request`, `purpose` and `consequence`
/// (message ids) and `message_params` for the page.
pub fn build(scenario: &'static Scenario, params: &Params, policy_text: &str) -> Value {
    let s = setup(scenario, params);
    file_json(scenario, params, policy_text, &s)
}

pub(super) fn file_json(
    scenario: &Scenario,
    params: &Params,
    policy_text: &str,
    s: &Setup,
) -> Value {
    let tags: Map<String, Value> = s
        .tags
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    let mut file = json!({
        "version": 1,
        "scenario": { "id": scenario.id, "params": params.to_json() },
        "key": {
            "arn": key_arn(params),
            "spec": "SYMMETRIC_DEFAULT",
            "usage": "ENCRYPT_DECRYPT",
            "state": "Enabled",
            "tags": tags,
            "policy": policy_text,
        },
        "identities": s.identities.iter().map(|(arn, policies)| json!({
            "arn": arn,
            "policies": policies,
        })).collect::<Vec<_>>(),
        "requests": s.requests.iter().map(|r| r.to_json(scenario)).collect::<Vec<_>>(),
    });
    if let Some(org) = &s.organization {
        file["organization"] = org.clone();
    }
    file
}

/// [`build`], read as a playground file.
pub fn build_file(
    scenario: &'static Scenario,
    params: &Params,
    policy_text: &str,
) -> Result<PlaygroundFile, FileError> {
    kmsplay_playground::read(&build(scenario, params, policy_text).to_string())
}
