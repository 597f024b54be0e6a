//! The source documents' scenarios as parameterized simulations.
//!
//! Each [`Scenario`] is data: typed parameters with defaults taken from the
//! documents (one source of truth that the page renders as a form), and the
//! kinds of request the scenario makes, each with a plain-words purpose and
//! the consequence of its failure as message ids. [`build`] turns a scenario,
//! its [`Params`] and the key policy a user pasted into a playground file
//! (`shared/spec/playground-file.md`); [`run`] decides every request with the
//! engine and says which ones fail.
//!
//! Sources: seed 002 (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>),
//! seed 004 (<https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>),
//! seed 000 (<https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html>)
//! the console's default key policy
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>)
//! and the data perimeter of the KMS RCP page
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).

use kmsplay_kms::{Authorization, PolicyType};
use kmsplay_playground::{FileError, PlaygroundFile};
use kmsplay_policy::{Diagnostic, Principal, Severity};
use serde_json::{json, Map, Value};

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

/// A scenario as JSON, its words in `lang`: `{"id", "title", "summary",
/// "sources", "params": [{"name", "kind", "label", "default", "item_kind"?}],
/// "requests": [{"id", "purpose_id", "consequence_id"}]}` (defaults
/// resolved). The npm package's `scenarios()` and `kmsplay scenario list
/// --format json` give these.
pub fn scenario_json(s: &Scenario, lang: kmsplay_messages::Lang) -> Value {
    let text = |id: &str| kmsplay_messages::text(lang, id);
    let defaults = Params::defaults(s);
    json!({
        "id": s.id,
        "title": text(s.title),
        "summary": text(s.summary),
        "sources": s.sources,
        "params": s.params.iter().map(|p| {
            let mut o = json!({
                "name": p.name,
                "kind": p.kind.code(),
                "label": text(p.label),
                "default": defaults.get(p.name).map(|v| v.to_json()),
            });
            if let Some(item) = p.kind.item() {
                o["item_kind"] = Value::String(item.code().to_string());
            }
            o
        }).collect::<Vec<_>>(),
        "requests": s.requests.iter().map(|r| json!({
            "id": r.id,
            "purpose_id": r.purpose,
            "consequence_id": r.consequence,
        })).collect::<Vec<_>>(),
    })
}

/// Every scenario as [`scenario_json`], in the catalogue's order.
pub fn catalogue_json(lang: kmsplay_messages::Lang) -> Value {
    Value::Array(catalogue().iter().map(|s| scenario_json(s, lang)).collect())
}

// --- parameters ------------------------------------------------------------

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// Account id, region, key id, name or ARN.
    Text(String),
    /// A list.
    List(Vec<String>),
    /// A flag.
    Bool(bool),
}

impl ParamValue {
    /// As a person writes it (lists comma-separated).
    pub fn to_text(&self) -> String {
        match self {
            ParamValue::Text(t) => t.clone(),
            ParamValue::List(items) => items.join(","),
            ParamValue::Bool(b) => b.to_string(),
        }
    }

    /// As JSON (string, array of strings, or boolean).
    pub fn to_json(&self) -> Value {
        match self {
            ParamValue::Text(t) => Value::String(t.clone()),
            ParamValue::List(items) => json!(items),
            ParamValue::Bool(b) => Value::Bool(*b),
        }
    }
}

/// Why a parameter value was refused: a code (message id
/// `scenario.error.<code>`) with the parameter and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// `unknown-param`, `duplicate-param`, `param-syntax`, `invalid-account-id`,
    /// `invalid-region`, `invalid-key-id`, `invalid-name`, `invalid-arn`,
    /// `invalid-bool`, `empty-list`, `same-account`, `outside-is-member`.
    pub code: &'static str,
    /// The parameter's name (or what was written, for `param-syntax`).
    pub param: String,
    /// The value refused.
    pub value: String,
}

impl ParamError {
    fn new(code: &'static str, param: &str, value: &str) -> ParamError {
        ParamError {
            code,
            param: param.to_string(),
            value: value.to_string(),
        }
    }

    /// The message id.
    pub fn message_id(&self) -> String {
        format!("scenario.error.{}", self.code)
    }

    /// The message's parameters.
    pub fn message_params(&self) -> Vec<(&'static str, String)> {
        vec![("param", self.param.clone()), ("value", self.value.clone())]
    }
}

/// A scenario's parameter values, every one filled in (defaults for those
/// not given) and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    scenario: &'static str,
    values: Vec<(&'static str, ParamValue)>,
}

impl Params {
    /// Every parameter at its default.
    pub fn defaults(scenario: &Scenario) -> Params {
        Params::new(scenario, &[]).expect("the catalogue's defaults are valid (tested)")
    }

    /// Reads `name=value` arguments (lists comma-separated).
    pub fn parse(scenario: &Scenario, args: &[String]) -> Result<Params, Vec<ParamError>> {
        let mut pairs = Vec::new();
        let mut errors = Vec::new();
        for arg in args {
            match arg.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => pairs.push((k.trim(), v.trim())),
                _ => errors.push(ParamError::new("param-syntax", arg, arg)),
            }
        }
        match Params::new(scenario, &pairs) {
            Ok(p) if errors.is_empty() => Ok(p),
            Ok(_) => Err(errors),
            Err(mut e) => {
                errors.append(&mut e);
                Err(errors)
            }
        }
    }

    /// The given values, defaults for the others; every error at once.
    pub fn new(scenario: &Scenario, given: &[(&str, &str)]) -> Result<Params, Vec<ParamError>> {
        let mut errors = Vec::new();
        for (i, (name, value)) in given.iter().enumerate() {
            if scenario.param(name).is_none() {
                errors.push(ParamError::new("unknown-param", name, value));
            } else if given[..i].iter().any(|(n, _)| n == name) {
                errors.push(ParamError::new("duplicate-param", name, value));
            }
        }
        let mut values: Vec<(&'static str, ParamValue)> = Vec::new();
        for p in scenario.params {
            let raw = match given.iter().find(|(n, _)| *n == p.name) {
                Some((_, v)) => v.to_string(),
                None => substitute(p.default, &values),
            };
            match parse_value(p.kind, p.name, &raw) {
                Ok(v) => values.push((p.name, v)),
                Err(e) => {
                    errors.push(e);
                    // Keep going with the default so later defaults resolve.
                    let fallback = substitute(p.default, &values);
                    if let Ok(v) = parse_value(p.kind, p.name, &fallback) {
                        values.push((p.name, v));
                    }
                }
            }
        }
        let params = Params {
            scenario: scenario.id,
            values,
        };
        if errors.is_empty() {
            errors.extend(params.cross_checks());
        }
        if errors.is_empty() {
            Ok(params)
        } else {
            Err(errors)
        }
    }

    fn cross_checks(&self) -> Vec<ParamError> {
        let mut errors = Vec::new();
        let key_account = self.text("key_account");
        let mut other = |name: &str| {
            let v = self.text(name);
            if !v.is_empty() && v == key_account {
                errors.push(ParamError::new("same-account", name, v));
            }
        };
        match self.scenario {
            "cross-account-readers" => other("reader_account"),
            "eventbridge-connection" if self.flag("cross_account") => other("connection_account"),
            "data-perimeter" => {
                other("member_account");
                other("outside_account");
                let (member, outside) = (self.text("member_account"), self.text("outside_account"));
                if member == outside {
                    errors.push(ParamError::new(
                        "outside-is-member",
                        "outside_account",
                        outside,
                    ));
                }
            }
            _ => {}
        }
        errors
    }

    /// The scenario these values are for.
    pub fn scenario(&self) -> &'static str {
        self.scenario
    }

    /// Every value, in the scenario's parameter order.
    pub fn values(&self) -> &[(&'static str, ParamValue)] {
        &self.values
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A text value ("" when `name` is not a text parameter).
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(ParamValue::Text(t)) => t,
            _ => "",
        }
    }

    /// A list value (empty when `name` is not a list parameter).
    pub fn list(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(ParamValue::List(l)) => l,
            _ => &[],
        }
    }

    /// A flag (false when `name` is not a flag).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(ParamValue::Bool(true)))
    }

    /// `{"name": value, …}`.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_json()))
                .collect(),
        )
    }
}

/// Fills `{name}` with earlier values.
fn substitute(template: &str, values: &[(&'static str, ParamValue)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_text());
    }
    out
}

fn parse_value(kind: ParamKind, name: &str, raw: &str) -> Result<ParamValue, ParamError> {
    let raw = raw.trim();
    match kind {
        ParamKind::List(item) => {
            let items: Vec<String> = raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if items.is_empty() {
                return Err(ParamError::new("empty-list", name, raw));
            }
            for i in &items {
                check_text(*item, name, i)?;
            }
            let mut unique: Vec<String> = Vec::new();
            for i in items {
                if !unique.contains(&i) {
                    unique.push(i);
                }
            }
            Ok(ParamValue::List(unique))
        }
        ParamKind::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(ParamValue::Bool(true)),
            "false" | "no" | "off" | "0" => Ok(ParamValue::Bool(false)),
            _ => Err(ParamError::new("invalid-bool", name, raw)),
        },
        _ => {
            check_text(kind, name, raw)?;
            Ok(ParamValue::Text(raw.to_string()))
        }
    }
}

fn check_text(kind: ParamKind, name: &str, v: &str) -> Result<(), ParamError> {
    let ok = match kind {
        ParamKind::AccountId => kmsplay_policy::is_account_id(v),
        ParamKind::Region => valid_region(v),
        ParamKind::KeyId => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        ParamKind::Name => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        ParamKind::Arn => {
            v.starts_with("arn:")
                && matches!(Principal::parse(v), Some(Principal::Aws(p)) if !p.account.is_empty())
        }
        ParamKind::List(_) | ParamKind::Bool => false,
    };
    if ok {
        Ok(())
    } else {
        let code = match kind {
            ParamKind::AccountId => "invalid-account-id",
            ParamKind::Region => "invalid-region",
            ParamKind::KeyId => "invalid-key-id",
            ParamKind::Name => "invalid-name",
            _ => "invalid-arn",
        };
        Err(ParamError::new(code, name, v))
    }
}

/// `us-west-2`, `ap-northeast-1`, `us-gov-west-1`, `eu-central-2`: lower-case
/// words joined by `-`, ending in a number.
fn valid_region(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    let Some((last, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

// --- values shared with the snippets ------------------------------------------

/// `arn:aws:kms:REGION:ACCOUNT:key/ID` of the scenario's key.
pub fn key_arn(params: &Params) -> String {
    format!(
        "arn:aws:kms:{}:{}:key/{}",
        params.text("region"),
        params.text("key_account"),
        params.text("key_id")
    )
}

/// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
pub fn trail_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}")
}

/// A log file object in the trail's bucket, named as in seed 004's record.
pub fn log_object_arn(bucket: &str, account: &str, region: &str) -> String {
    format!(
        "arn:aws:s3:::{bucket}/AWSLogs/{account}/CloudTrail/{region}/2015/11/11/{account}_CloudTrail_{region}_20151111T2115Z_7JREEBimdK8d2nC9.json.gz"
    )
}

/// `arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`.
pub fn event_data_store_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{account}:eventdatastore/{id}")
}

/// The Secrets Manager secret EventBridge keeps a connection's
/// authorization in: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:events!connection/NAME/ID`.
pub fn connection_secret_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:events!connection/{name}/{id}")
}

/// The role seed 000 names for a connection in another account.
pub fn eventbridge_cross_account_role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy")
}

/// `arn:aws:iam::ACCOUNT:root`.
pub fn root_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The account of an IAM or STS ARN.
fn account_of(arn: &str) -> &str {
    kmsplay_policy::arn::account(arn).unwrap_or_default()
}

// --- building the playground file -----------------------------------------------

/// One concrete request of a scenario.
#[derive(Debug, Clone)]
struct Req {
    kind: &'static RequestKind,
    subject: Option<String>,
    principal: String,
    action: &'static str,
    encryption_context: Vec<(String, String)>,
    context: Vec<(&'static str, Value)>,
    vpc_endpoint: Option<Value>,
    expect: &'static str,
    layer: Option<PolicyType>,
    params: Vec<(&'static str, String)>,
}

struct Setup {
    tags: Vec<(&'static str, &'static str)>,
    organization: Option<Value>,
    identities: Vec<(String, Vec<Value>)>,
    requests: Vec<Req>,
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

    fn name(&self) -> String {
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

fn setup(scenario: &'static Scenario, p: &Params) -> Setup {
    let mut b = Builder::new(scenario, p);
    let mut tags = Vec::new();
    let mut organization = None;
    let mut identities: Vec<(String, Vec<Value>)> = Vec::new();
    let region = p.text("region").to_string();
    let key_account = p.text("key_account").to_string();
    let key = key_arn(p);
    match scenario.id {
        "cloudtrail-trail" => trail_requests(&mut b, &region),
        "cloudtrail-event-data-store" => {
            let store = event_data_store_arn(&region, &key_account, p.text("store_id"));
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
        "cross-account-readers" => readers_requests(&mut b, &region, &key_account),
        "eventbridge-connection" => {
            if p.flag("key_tag") {
                tags.push(("EventBridgeApiDestinations", "true"));
            }
            let name = p.text("connection_name");
            let id = p.text("connection_id");
            let caller = p.text("caller");
            let secret = connection_secret_arn(&region, account_of(caller), name, id);
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
                let secret = connection_secret_arn(&region, account, name, id);
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
        "default-key-policy" => {
            let root = root_arn(&key_account);
            b.push("root-manage", &root, "kms:PutKeyPolicy")
                .param("account", &key_account);
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
        "data-perimeter" => {
            let org = p.text("org_id").to_string();
            let member = p.text("member_account").to_string();
            let outside = p.text("outside_account").to_string();
            let vpce = p.text("vpce").to_string();
            let reader = perimeter_session(&member, "Reader");
            let app = perimeter_session(&key_account, "App");
            let partner = perimeter_session(&outside, "Partner");
            // The outside account's own IAM policy allows the call: only the
            // perimeter keeps it out.
            identities.push((
                perimeter_role(&outside, "Partner"),
                vec![crate::snippets::policy_document(vec![json!({
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
                .param("account", &key_account)
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
                .endpoint_policy(crate::snippets::policy_document(vec![json!({
                    "Effect": "Allow", "Principal": "*", "Action": "kms:DescribeKey", "Resource": "*",
                })]))
                .decided_by(PolicyType::VpcEndpoint)
                .param("account", &key_account)
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
            .ctx("aws:SourceArn", trail_arn(&region, &member, "org-trail"))
            .decided_by(PolicyType::ResourceBased)
            .param("account", &member);
            b.push(
                "service-for-outsider",
                "cloudtrail.amazonaws.com",
                "kms:GenerateDataKey",
            )
            .ctx("aws:SourceAccount", &outside)
            .ctx("aws:SourceArn", trail_arn(&region, &outside, "their-trail"))
            .decided_by(PolicyType::ResourceControl)
            .param("account", &outside)
            .param("org", &org)
            .denied();
        }
        _ => {}
    }
    // The identity policies the snippets prescribe for the other account,
    // and the RCPs they prescribe for the organization.
    let mut rcps: Vec<(String, Value)> = Vec::new();
    for other in crate::snippets::other_policies(scenario, p) {
        match other.kind {
            crate::snippets::OtherPolicyKind::Identity => match identities
                .iter_mut()
                .find(|(arn, _)| *arn == other.attach_to)
            {
                Some((_, policies)) => policies.push(other.policy),
                None => identities.push((other.attach_to, vec![other.policy])),
            },
            crate::snippets::OtherPolicyKind::Rcp => rcps.push((other.attach_to, other.policy)),
            crate::snippets::OtherPolicyKind::Trust => {}
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

/// The endpoint of the data-perimeter scenario's request that comes
/// through a VPC endpoint other than the one the key policy names.
pub const OTHER_VPCE: &str = "vpce-0ffffffffffff";

/// The root of the data-perimeter scenario's organization.
pub const PERIMETER_ROOT: &str = "r-p3r1";

/// The OU the data-perimeter scenario's two member accounts sit in.
pub const PERIMETER_OU: &str = "ou-p3r1-workloads";

/// A role of the data-perimeter scenario.
pub fn perimeter_role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
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

fn file_json(scenario: &Scenario, params: &Params, policy_text: &str, s: &Setup) -> Value {
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

// --- running ------------------------------------------------------------------

/// The result of one request of a scenario.
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// The request's name in the file.
    pub name: String,
    /// Its kind's id within the scenario.
    pub request: &'static str,
    /// Message id of its purpose.
    pub purpose: &'static str,
    /// Message id of the consequence of failure.
    pub consequence: &'static str,
    /// The parameters those two messages take.
    pub message_params: Vec<(&'static str, String)>,
    /// The outcome the documents call for (`Success` or `AccessDeniedException`).
    pub expect: &'static str,
    /// The policy type that decides when the scenario's own statements are
    /// in place, where the scenario says (the data perimeter's requests):
    /// compare with `authorization.policy_type`.
    pub decided_by: Option<PolicyType>,
    /// The engine's answer.
    pub authorization: Authorization,
    /// Whether the answer is what the documents call for.
    pub passed: bool,
}

/// Pass or fail for the whole scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every request got the answer the documents call for.
    AllPass,
    /// These requests (indexes into the results) did not.
    Fail(Vec<usize>),
}

/// A scenario run against a key policy.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    /// The scenario's id.
    pub scenario: &'static str,
    /// The playground file that was run (export it, share it).
    pub json: Value,
    /// The same file, read.
    pub file: PlaygroundFile,
    /// One result per request, in order.
    pub results: Vec<RequestOutcome>,
    /// The verdict.
    pub verdict: Verdict,
}

impl ScenarioRun {
    /// True when every request passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::AllPass
    }

    /// Errors in the pasted key policy (AWS would refuse it); when there
    /// are any, the key policy allows nothing.
    pub fn policy_errors(&self) -> Vec<&Diagnostic> {
        self.file
            .policies
            .iter()
            .filter(|p| p.source == kmsplay_playground::PolicySource::Key)
            .flat_map(|p| &p.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }
}

/// Runs `scenario` against the key policy text a user pasted. The error
/// case means the file could not be built from these parameters, which
/// validated [`Params`] rule out.
pub fn run(
    scenario: &'static Scenario,
    params: &Params,
    policy_text: &str,
) -> Result<ScenarioRun, FileError> {
    let s = setup(scenario, params);
    let json = file_json(scenario, params, policy_text, &s);
    let file = kmsplay_playground::read(&json.to_string())?;
    let results: Vec<RequestOutcome> = s
        .requests
        .iter()
        .zip(kmsplay_playground::run(&file, false))
        .map(|(req, r)| RequestOutcome {
            name: req.name(),
            request: req.kind.id,
            purpose: req.kind.purpose,
            consequence: req.kind.consequence,
            message_params: req.params.clone(),
            expect: req.expect,
            decided_by: req.layer,
            passed: r.expect_met == Some(true),
            authorization: r.authorization,
        })
        .collect();
    let failed: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.passed)
        .map(|(i, _)| i)
        .collect();
    Ok(ScenarioRun {
        scenario: scenario.id,
        json,
        file,
        results,
        verdict: if failed.is_empty() {
            Verdict::AllPass
        } else {
            Verdict::Fail(failed)
        },
    })
}
