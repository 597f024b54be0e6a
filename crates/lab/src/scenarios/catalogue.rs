//! The scenarios themselves, as data: each one's parameters with the
//! documents' defaults, and the kinds of request it makes.

/// What kind of value a parameter takes (the form's field type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A 12-digit AWS account id.
    AccountId,
    /// A region such as `us-west-2`.
    Region,
    /// A key id (the last part of a key ARN).
    KeyId,
    /// A name: trail, bucket, role, session, connection (letters, digits, `.`, `_`, `-`).
    Name,
    /// An IAM principal ARN (user, role, root or role session).
    Arn,
    /// A comma-separated list of values of one kind.
    List(&'static ParamKind),
    /// `true` or `false`.
    Bool,
}

impl ParamKind {
    /// `account-id`, `region`, `key-id`, `name`, `arn`, `list`, `bool`.
    pub fn code(self) -> &'static str {
        match self {
            ParamKind::AccountId => "account-id",
            ParamKind::Region => "region",
            ParamKind::KeyId => "key-id",
            ParamKind::Name => "name",
            ParamKind::Arn => "arn",
            ParamKind::List(_) => "list",
            ParamKind::Bool => "bool",
        }
    }

    /// The kind of a list's items.
    pub fn item(self) -> Option<ParamKind> {
        match self {
            ParamKind::List(k) => Some(*k),
            _ => None,
        }
    }
}

/// One parameter of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name, as given on the command line (`key_account=…`).
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// The default, from the documents. `{other}` stands for the value of an
    /// earlier parameter; lists are comma-separated.
    pub default: &'static str,
    /// The message id of its label (`scenario.<id>.param.<name>`).
    pub label: &'static str,
}

/// A kind of request a scenario makes (one or several instances, e.g. one
/// per reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestKind {
    /// Its id within the scenario.
    pub id: &'static str,
    /// Message id: what the request is for, in plain words.
    pub purpose: &'static str,
    /// Message id: what happens when it does not get the expected answer.
    pub consequence: &'static str,
}

/// A scenario of the source documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// Stable id (`cloudtrail-trail`, …).
    pub id: &'static str,
    /// Message id of its title.
    pub title: &'static str,
    /// Message id of a one-paragraph summary.
    pub summary: &'static str,
    /// The AWS pages it follows.
    pub sources: &'static [&'static str],
    /// Its parameters, in form order.
    pub params: &'static [Param],
    /// The kinds of request it makes.
    pub requests: &'static [RequestKind],
}

impl Scenario {
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The request kind called `id`.
    pub fn request(&self, id: &str) -> Option<&'static RequestKind> {
        self.requests.iter().find(|r| r.id == id)
    }
}

macro_rules! param {
    ($sc:literal, $name:literal, $kind:expr, $default:literal) => {
        Param {
            name: $name,
            kind: $kind,
            default: $default,
            label: concat!("scenario.", $sc, ".param.", $name),
        }
    };
}

macro_rules! request {
    ($sc:literal, $id:literal) => {
        RequestKind {
            id: $id,
            purpose: concat!("scenario.", $sc, ".request.", $id, ".purpose"),
            consequence: concat!("scenario.", $sc, ".request.", $id, ".consequence"),
        }
    };
}

macro_rules! scenario {
    ($id:literal, $sources:expr, $params:expr, $requests:expr) => {
        Scenario {
            id: $id,
            title: concat!("scenario.", $id, ".title"),
            summary: concat!("scenario.", $id, ".summary"),
            sources: $sources,
            params: $params,
            requests: $requests,
        }
    };
}

const CLOUDTRAIL_POLICY_PAGE: &str =
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html";
const CLOUDTRAIL_KMS_PAGE: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html";
const EVENTBRIDGE_PAGE: &str =
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html";
const CROSS_ACCOUNT_PAGE: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html";
const DEFAULT_POLICY_PAGE: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html";

const RCP_KMS_PAGE: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html";
const PRINCIPAL_ORG_PAGE: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid";
const VPCE_PAGE: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition";

const ACCOUNT: ParamKind = ParamKind::AccountId;
const ARN: ParamKind = ParamKind::Arn;

static CATALOGUE: [Scenario; 6] = [
    scenario!(
        "cloudtrail-trail",
        &[CLOUDTRAIL_POLICY_PAGE, CLOUDTRAIL_KMS_PAGE],
        &[
            // Key, alias, trail and bucket of seed 004's CloudTrail records;
            // the account is seed 002's 111111111111.
            param!("cloudtrail-trail", "key_account", ACCOUNT, "111111111111"),
            param!("cloudtrail-trail", "region", ParamKind::Region, "us-west-2"),
            param!(
                "cloudtrail-trail",
                "key_id",
                ParamKind::KeyId,
                "1234abcd-12ab-34cd-56ef-1234567890ab"
            ),
            param!(
                "cloudtrail-trail",
                "trail_accounts",
                ParamKind::List(&ACCOUNT),
                "{key_account}"
            ),
            param!("cloudtrail-trail", "trail_name", ParamKind::Name, "Default"),
            param!(
                "cloudtrail-trail",
                "bucket",
                ParamKind::Name,
                "example-bucket-for-CT-logs"
            ),
            param!(
                "cloudtrail-trail",
                "readers",
                ParamKind::List(&ARN),
                "arn:aws:iam::{key_account}:user/cloudtrail-admin"
            ),
            param!(
                "cloudtrail-trail",
                "s3_bucket_key",
                ParamKind::Bool,
                "false"
            ),
        ],
        &[
            request!("cloudtrail-trail", "create-check"),
            request!("cloudtrail-trail", "delivery"),
            request!("cloudtrail-trail", "describe"),
            request!("cloudtrail-trail", "bucket-key-decrypt"),
            request!("cloudtrail-trail", "read"),
        ]
    ),
    scenario!(
        "cloudtrail-event-data-store",
        &[CLOUDTRAIL_POLICY_PAGE],
        &[
            param!(
                "cloudtrail-event-data-store",
                "key_account",
                ACCOUNT,
                "111111111111"
            ),
            param!(
                "cloudtrail-event-data-store",
                "region",
                ParamKind::Region,
                "us-east-1"
            ),
            param!(
                "cloudtrail-event-data-store",
                "key_id",
                ParamKind::KeyId,
                "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
            ),
            param!(
                "cloudtrail-event-data-store",
                "store_id",
                ParamKind::Name,
                "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"
            ),
            param!(
                "cloudtrail-event-data-store",
                "users",
                ParamKind::List(&ARN),
                "arn:aws:iam::{key_account}:user/LakeAnalyst"
            ),
        ],
        &[
            request!("cloudtrail-event-data-store", "service-generate"),
            request!("cloudtrail-event-data-store", "service-decrypt"),
            request!("cloudtrail-event-data-store", "describe"),
            request!("cloudtrail-event-data-store", "user-generate"),
            request!("cloudtrail-event-data-store", "user-decrypt"),
        ]
    ),
    scenario!(
        "cross-account-readers",
        &[CLOUDTRAIL_POLICY_PAGE, CROSS_ACCOUNT_PAGE],
        &[
            param!(
                "cross-account-readers",
                "key_account",
                ACCOUNT,
                "111111111111"
            ),
            param!(
                "cross-account-readers",
                "region",
                ParamKind::Region,
                "us-west-2"
            ),
            // Alice's IAM policy in seed 002 names key/KeyA.
            param!("cross-account-readers", "key_id", ParamKind::KeyId, "KeyA"),
            param!(
                "cross-account-readers",
                "trail_name",
                ParamKind::Name,
                "management-events"
            ),
            param!(
                "cross-account-readers",
                "bucket",
                ParamKind::Name,
                "aws-cloudtrail-logs-{key_account}"
            ),
            param!(
                "cross-account-readers",
                "bob_reads",
                ParamKind::Bool,
                "true"
            ),
            param!(
                "cross-account-readers",
                "bob",
                ARN,
                "arn:aws:iam::{key_account}:user/Bob"
            ),
            param!(
                "cross-account-readers",
                "reader_account",
                ACCOUNT,
                "222222222222"
            ),
            param!(
                "cross-account-readers",
                "alice_reads",
                ParamKind::Bool,
                "true"
            ),
            param!(
                "cross-account-readers",
                "alice",
                ARN,
                "arn:aws:iam::{reader_account}:user/Alice"
            ),
            param!(
                "cross-account-readers",
                "alice_bucket",
                ParamKind::Name,
                "alice-cloudtrail-logs-{reader_account}"
            ),
            param!(
                "cross-account-readers",
                "alice_iam_policy",
                ParamKind::Bool,
                "true"
            ),
            param!(
                "cross-account-readers",
                "role_reads",
                ParamKind::Bool,
                "true"
            ),
            param!(
                "cross-account-readers",
                "read_role",
                ParamKind::Name,
                "CloudTrailReadRole"
            ),
            param!(
                "cross-account-readers",
                "session",
                ParamKind::Name,
                "alice-from-{reader_account}"
            ),
        ],
        &[
            request!("cross-account-readers", "bob-read"),
            request!("cross-account-readers", "bob-only-trail-logs"),
            request!("cross-account-readers", "alice-read"),
            request!("cross-account-readers", "role-read"),
        ]
    ),
    scenario!(
        "eventbridge-connection",
        &[EVENTBRIDGE_PAGE, CROSS_ACCOUNT_PAGE],
        &[
            // The account of seed 000's key policy example.
            param!(
                "eventbridge-connection",
                "key_account",
                ACCOUNT,
                "012345678901"
            ),
            param!(
                "eventbridge-connection",
                "region",
                ParamKind::Region,
                "us-east-1"
            ),
            param!(
                "eventbridge-connection",
                "key_id",
                ParamKind::KeyId,
                "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
            ),
            param!("eventbridge-connection", "key_tag", ParamKind::Bool, "true"),
            param!(
                "eventbridge-connection",
                "connection_name",
                ParamKind::Name,
                "github-api"
            ),
            param!(
                "eventbridge-connection",
                "connection_id",
                ParamKind::Name,
                "6f8c1a2e-1b2c-4d5e-9f00-123456789abc-AbC123"
            ),
            param!(
                "eventbridge-connection",
                "caller",
                ARN,
                "arn:aws:iam::{key_account}:role/EventBridgeConnectionManager"
            ),
            param!(
                "eventbridge-connection",
                "caller_iam_policy",
                ParamKind::Bool,
                "true"
            ),
            param!(
                "eventbridge-connection",
                "cross_account",
                ParamKind::Bool,
                "false"
            ),
            param!(
                "eventbridge-connection",
                "connection_account",
                ACCOUNT,
                "210987654321"
            ),
        ],
        &[
            request!("eventbridge-connection", "describe"),
            request!("eventbridge-connection", "generate"),
            request!("eventbridge-connection", "decrypt"),
            request!("eventbridge-connection", "cross-decrypt"),
            request!("eventbridge-connection", "cross-describe"),
        ]
    ),
    scenario!(
        "default-key-policy",
        &[DEFAULT_POLICY_PAGE],
        &[
            param!("default-key-policy", "key_account", ACCOUNT, "111122223333"),
            param!(
                "default-key-policy",
                "region",
                ParamKind::Region,
                "us-east-2"
            ),
            param!(
                "default-key-policy",
                "key_id",
                ParamKind::KeyId,
                "0987dcba-09fe-87dc-65ba-ab0987654321"
            ),
            param!(
                "default-key-policy",
                "administrators",
                ParamKind::List(&ARN),
                "arn:aws:iam::{key_account}:role/KeyAdmin"
            ),
            param!(
                "default-key-policy",
                "users",
                ParamKind::List(&ARN),
                "arn:aws:iam::{key_account}:role/KeyUser"
            ),
        ],
        &[
            request!("default-key-policy", "root-manage"),
            request!("default-key-policy", "admin-manage"),
            request!("default-key-policy", "admin-no-use"),
            request!("default-key-policy", "user-encrypt"),
            request!("default-key-policy", "user-decrypt"),
            request!("default-key-policy", "user-generate"),
            request!("default-key-policy", "user-grant-for-aws-resource"),
            request!("default-key-policy", "user-no-manage"),
        ]
    ),
    scenario!(
        "data-perimeter",
        &[RCP_KMS_PAGE, PRINCIPAL_ORG_PAGE, VPCE_PAGE],
        &[
            // The names of tests/playground/data-perimeter.json.
            param!("data-perimeter", "key_account", ACCOUNT, "111111111111"),
            param!("data-perimeter", "region", ParamKind::Region, "us-east-1"),
            param!(
                "data-perimeter",
                "key_id",
                ParamKind::KeyId,
                "0a1b2c3d-1111-2222-3333-444455556666"
            ),
            param!("data-perimeter", "org_id", ParamKind::Name, "o-p3r1m3t3r0"),
            param!("data-perimeter", "member_account", ACCOUNT, "222222222222"),
            param!("data-perimeter", "outside_account", ACCOUNT, "444444444444"),
            param!(
                "data-perimeter",
                "vpce",
                ParamKind::Name,
                "vpce-0a1b2c3d4e5f"
            ),
        ],
        &[
            request!("data-perimeter", "member-through-endpoint"),
            request!("data-perimeter", "owner-through-endpoint"),
            request!("data-perimeter", "member-describe"),
            request!("data-perimeter", "member-outside-endpoint"),
            request!("data-perimeter", "member-other-endpoint"),
            request!("data-perimeter", "endpoint-policy-limits"),
            request!("data-perimeter", "outside-account"),
            request!("data-perimeter", "service-for-member"),
            request!("data-perimeter", "service-for-outsider"),
        ]
    ),
];

/// Every scenario, in the order the page lists them.
pub fn catalogue() -> &'static [Scenario] {
    &CATALOGUE
}

/// The scenario called `id`.
pub fn scenario(id: &str) -> Option<&'static Scenario> {
    CATALOGUE.iter().find(|s| s.id == id)
}
