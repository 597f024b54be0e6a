//! CloudTrail records of simulated KMS calls, and what a trail's calls cost.
//!
//! Every KMS call (a request and its [`Authorization`]) leaves the record
//! CloudTrail would write for the key's account. The layout follows the
//! records of seed 004 (`How AWS CloudTrail uses AWS KMS`), field by field
//! and in the same order, with the fields today's records add
//! (`resources[].type`, `managementEvent`, `eventCategory`):
//!
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>
//!   (seed 004: the `GenerateDataKey` and `Decrypt` records of a trail)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/ct-decrypt.html>
//!   (`type: AWS::KMS::Key`, `managementEvent`, `eventCategory`, a failed call
//!   with `errorCode` / `errorMessage`)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/ct-rotatekey.html>,
//!   <https://docs.aws.amazon.com/kms/latest/developerguide/ct-delete-key.html>,
//!   <https://docs.aws.amazon.com/kms/latest/developerguide/ct-deleteexpiredkeymaterial.html>
//!   (records KMS writes itself: `AwsServiceEvent`, `invokedBy: AWS Internal`,
//!   `serviceEventDetails.keyId`)
//! - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html>
//!   (`userIdentity` by principal kind; `AWSAccount` for another account's caller)
//!
//! Choices, each tested:
//! - `eventVersion` is [`EVENT_VERSION`] ("1.08"): the documents' records are
//!   from 2015 ("1.02") and lack the fields above, which every record written
//!   today carries.
//! - Identifiers (`requestID`, `eventID`, `principalId`, `accessKeyId`) are
//!   derived from the inputs with a fixed hash, never random: the same file
//!   gives the same records. Synthetic key ids end in `EXAMPLE`, as the
//!   documents' do.
//! - `eventType` is `AwsServiceEvent` when an AWS service principal calls
//!   (seed 004: CloudTrail's own `GenerateDataKey` calls) and for the records
//!   KMS writes itself; `AwsApiCall` otherwise (seed 004: the `Decrypt` that
//!   S3 makes for a reader).
//! - A call through a service (`kms:ViaService`) or by a service principal
//!   shows `sourceIPAddress` and `userAgent` `internal.amazonaws.com` (seed
//!   004); a direct call shows the documentation address `192.0.2.0` and
//!   `AWS Internal` (the `ct-*.html` examples), unless the request gives
//!   `aws:SourceIp` / `aws:UserAgent`.
//! - A denied call records `errorCode` `AccessDenied` (CloudTrail's spelling
//!   for KMS's `AccessDeniedException`) and KMS's sentence naming the missing
//!   or denying policy; other failures record the exception name.
//! - The record is the key owner's copy: a caller from another account
//!   appears as `AWSAccount` (CloudTrail hides the other account's details).

use crate::authorize::{caller_name, Authorization, KmsRequest, Outcome};
use crate::catalogue::{self, KeyClass, Operation};
use crate::key::Key;
use crate::time::Time;
use kmsplay_policy::{AwsPrincipalKind, ContextValue, Principal};

// ---------------------------------------------------------------------------
// A small JSON tree (the engine has no serde): records, events and grants
// are built as `Json` and written as text; callers parse that text with
// whatever JSON library they use.
// ---------------------------------------------------------------------------

/// A JSON value whose objects keep their members in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    /// An integer value.
    pub fn int(n: i64) -> Json {
        Json::Number(n.to_string())
    }

    /// An object from pairs, in order.
    pub fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// An object of string pairs.
    pub fn string_map(pairs: &[(String, String)]) -> Json {
        Json::obj(pairs.iter().map(|(k, v)| (k.clone(), Json::str(v.clone()))))
    }

    /// An array of strings.
    pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Json {
        Json::Array(items.into_iter().map(|s| Json::str(s.as_ref())).collect())
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A value by path: `/userIdentity/type`, `/resources/0/ARN`.
    pub fn pointer(&self, path: &str) -> Option<&Json> {
        path.split('/')
            .filter(|p| !p.is_empty())
            .try_fold(self, |node, part| match node {
                Json::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => node.get(part),
            })
    }

    /// The string, for a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member names of an object, in order.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Json::Object(members) => members.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// Compact JSON text.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None, 0);
        out
    }

    /// JSON text indented by two spaces.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(2), 0);
        out
    }

    fn write(&self, out: &mut String, indent: Option<usize>, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            if let Some(n) = indent {
                out.push('\n');
                out.push_str(&" ".repeat(n * depth));
            }
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(s, out),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_string(k, out);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    v.write(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// Deterministic identifiers
// ---------------------------------------------------------------------------

/// 64-bit FNV-1a with a seed, finished with splitmix64. Not cryptographic:
/// it only has to be stable and well spread.
fn hash64(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `n` bytes derived from `parts`.
pub(crate) fn digest_bytes(parts: &[&str], n: usize) -> Vec<u8> {
    (0..n.div_ceil(8) as u64)
        .flat_map(|i| hash64(i + 1, parts).to_be_bytes())
        .take(n)
        .collect()
}

/// Lower-case hex of `n` bytes derived from `parts`.
pub(crate) fn digest_hex(parts: &[&str], n: usize) -> String {
    digest_bytes(parts, n)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A UUID-shaped identifier (version 4 layout) derived from `parts`: the
/// same parts always give the same id.
pub fn deterministic_uuid(parts: &[&str]) -> String {
    let mut b = digest_bytes(parts, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Standard base64 (with padding) of `bytes`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Upper-case letters and digits derived from `parts` (IAM unique ids).
fn id_chars(parts: &[&str], n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    digest_bytes(parts, n)
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect()
}

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

/// The `eventVersion` of the records (see the module notes).
pub const EVENT_VERSION: &str = "1.08";
/// `eventSource` of every KMS record.
pub const EVENT_SOURCE: &str = "kms.amazonaws.com";
/// What seed 004 shows for calls made inside AWS.
pub const INTERNAL: &str = "internal.amazonaws.com";
/// `invokedBy`, `sourceIPAddress` and `userAgent` of the records KMS writes itself.
pub const AWS_INTERNAL: &str = "AWS Internal";
/// The documentation address the `ct-*.html` examples use for direct calls.
pub const EXAMPLE_SOURCE_IP: &str = "192.0.2.0";
/// The data key spec CloudTrail's `GenerateDataKey` calls ask for (seed 004).
pub const DATA_KEY_SPEC: &str = "AES_256";

/// One KMS call to record.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The key.
    pub key: &'a Key,
    /// The request.
    pub request: &'a KmsRequest<'a>,
    /// Its answer, when it was decided (None records a success).
    pub authorization: Option<&'a Authorization>,
    /// When.
    pub time: Time,
    /// A number that makes the ids of otherwise equal calls differ (its
    /// position in a file, say).
    pub sequence: u64,
    /// Request parameters besides `keyId`, `encryptionContext` and `keySpec`
    /// (CreateGrant's `granteePrincipal`, …), in order.
    pub extra_parameters: Vec<(String, Json)>,
    /// `responseElements` (null when None).
    pub response: Option<Json>,
    /// An error the call failed with that the authorization does not show
    /// (`ValidationError`, `LimitExceededException`, …): code and message.
    pub error: Option<(String, String)>,
}

impl<'a> Call<'a> {
    /// A call with no extra parameters or response.
    pub fn new(
        key: &'a Key,
        request: &'a KmsRequest<'a>,
        authorization: Option<&'a Authorization>,
        time: Time,
        sequence: u64,
    ) -> Call<'a> {
        Call {
            key,
            request,
            authorization,
            time,
            sequence,
            extra_parameters: Vec::new(),
            response: None,
            error: None,
        }
    }
}

fn context_value<'r>(req: &'r KmsRequest<'_>, key: &str) -> Option<&'r str> {
    req.context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| match v {
            ContextValue::Single(s) => Some(s.as_str()),
            ContextValue::Multi(v) => v.first().map(String::as_str),
        })
}

/// `s3.us-west-2.amazonaws.com` → `s3.amazonaws.com`.
fn service_without_region(via: &str) -> String {
    let parts: Vec<&str> = via.split('.').collect();
    if parts.len() == 4 && parts[2] == "amazonaws" {
        format!("{}.amazonaws.com", parts[0])
    } else {
        via.to_string()
    }
}

fn last_segment(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// The `userIdentity` block of a call, as the key owner's record shows it.
///
/// Long (about 120 lines) on purpose: one arm per principal kind, each the
/// fields of CloudTrail's userIdentity reference in its order, so an arm
/// reads against the document's example side by side.
pub fn user_identity(key: &Key, req: &KmsRequest<'_>, time: Time) -> Json {
    let via = context_value(req, "kms:ViaService").map(service_without_region);
    let with_via = |mut members: Vec<(String, Json)>| {
        if let Some(v) = &via {
            members.push(("invokedBy".into(), Json::str(v.clone())));
        }
        Json::Object(members)
    };
    let p = match req.principal {
        Principal::Service(s) => {
            return Json::obj([
                ("type", Json::str("AWSService")),
                ("invokedBy", Json::str(s.clone())),
            ])
        }
        Principal::Anonymous => {
            return Json::obj([
                ("type", Json::str("AWSAccount")),
                ("principalId", Json::str("")),
                ("accountId", Json::str("ANONYMOUS_PRINCIPAL")),
            ])
        }
        Principal::Aws(p) => p,
    };
    let unique = |prefix: &str, arn: &str| format!("{prefix}{}EXAMPLE", id_chars(&[arn], 10));
    let access_key = |prefix: &str| format!("{prefix}{}EXAMPLE", id_chars(&[&p.arn, "key"], 9));
    let role_arn = match &p.kind {
        AwsPrincipalKind::AssumedRole { role_arn } => Some(role_arn.clone()),
        AwsPrincipalKind::Role => Some(p.arn.clone()),
        _ => None,
    };
    let session = match &p.kind {
        AwsPrincipalKind::AssumedRole { .. } => last_segment(&p.arn).to_string(),
        _ => "kmsplay-session".to_string(),
    };
    if p.account != key.account {
        // Another account's caller: the key owner's copy shows only its
        // account (user-identity reference, "AWSAccount").
        let principal_id = match &role_arn {
            Some(r) => format!("{}:{session}", unique("AROA", r)),
            None if p.kind == AwsPrincipalKind::Root => p.account.clone(),
            None => unique("AIDA", &p.arn),
        };
        return with_via(vec![
            ("type".into(), Json::str("AWSAccount")),
            ("principalId".into(), Json::str(principal_id)),
            ("accountId".into(), Json::str(p.account.clone())),
        ]);
    }
    match (&p.kind, role_arn) {
        (AwsPrincipalKind::Root, _) => with_via(vec![
            ("type".into(), Json::str("Root")),
            ("principalId".into(), Json::str(p.account.clone())),
            ("arn".into(), Json::str(p.arn.clone())),
            ("accountId".into(), Json::str(p.account.clone())),
            ("accessKeyId".into(), Json::str(access_key("AKIA"))),
        ]),
        (_, Some(role)) => {
            let role_id = unique("AROA", &role);
            let session_arn = match &p.kind {
                AwsPrincipalKind::AssumedRole { .. } => p.arn.clone(),
                _ => format!(
                    "arn:aws:sts::{}:assumed-role/{}/{session}",
                    p.account,
                    last_segment(&role)
                ),
            };
            with_via(vec![
                ("type".into(), Json::str("AssumedRole")),
                (
                    "principalId".into(),
                    Json::str(format!("{role_id}:{session}")),
                ),
                ("arn".into(), Json::str(session_arn)),
                ("accountId".into(), Json::str(p.account.clone())),
                ("accessKeyId".into(), Json::str(access_key("ASIA"))),
                (
                    "sessionContext".into(),
                    Json::obj([
                        (
                            "attributes",
                            Json::obj([
                                ("mfaAuthenticated", Json::str("false")),
                                ("creationDate", Json::str(time.iso())),
                            ]),
                        ),
                        (
                            "sessionIssuer",
                            Json::obj([
                                ("type", Json::str("Role")),
                                ("principalId", Json::str(role_id)),
                                ("arn", Json::str(role.clone())),
                                ("accountId", Json::str(p.account.clone())),
                                ("userName", Json::str(last_segment(&role))),
                            ]),
                        ),
                    ]),
                ),
            ])
        }
        (AwsPrincipalKind::FederatedUser, _) => with_via(vec![
            ("type".into(), Json::str("FederatedUser")),
            (
                "principalId".into(),
                Json::str(format!("{}:{}", p.account, last_segment(&p.arn))),
            ),
            ("arn".into(), Json::str(p.arn.clone())),
            ("accountId".into(), Json::str(p.account.clone())),
            ("accessKeyId".into(), Json::str(access_key("ASIA"))),
        ]),
        _ => with_via(vec![
            ("type".into(), Json::str("IAMUser")),
            ("principalId".into(), Json::str(unique("AIDA", &p.arn))),
            ("arn".into(), Json::str(p.arn.clone())),
            ("accountId".into(), Json::str(p.account.clone())),
            ("accessKeyId".into(), Json::str(access_key("AKIA"))),
            ("userName".into(), Json::str(last_segment(&p.arn))),
        ]),
    }
}

/// `errorCode` and `errorMessage` for a failed call: KMS's own wording
/// (data a record holds, not text of the playground).
pub fn error_of(key: &Key, req: &KmsRequest<'_>, auth: &Authorization) -> Option<(String, String)> {
    let key_named = req.key.unwrap_or(&key.arn);
    let message = match auth.outcome {
        Outcome::Success => return None,
        Outcome::AccessDenied => {
            // The decision names the policy type that refused, as AWS's
            // message does.
            let message = auth.access_denied_message(key, req).unwrap_or_default();
            return Some(("AccessDenied".into(), message));
        }
        Outcome::NotFound => format!("Key '{key_named}' does not exist"),
        Outcome::Disabled => format!("{} is disabled.", key.arn),
        Outcome::InvalidState => format!("{} is {}.", key.arn, state_words(key)),
        Outcome::InvalidKeyUsage => format!(
            "You cannot use the KMS key {} for {}: its KeyUsage is {}.",
            key.arn,
            req.operation.name,
            key.usage.as_str()
        ),
    };
    Some((auth.outcome.as_str().to_string(), message))
}

fn state_words(key: &Key) -> &'static str {
    use crate::catalogue::KeyState as S;
    match key.state {
        S::PendingDeletion | S::PendingReplicaDeletion => "pending deletion",
        S::PendingImport => "pending import",
        S::Unavailable => "unavailable",
        S::Disabled => "disabled",
        S::Creating => "creating",
        S::Updating => "updating",
        S::Enabled | S::Deleted => "not in a valid state for this operation",
    }
}

fn is_data_key(op: &Operation) -> bool {
    matches!(
        op.name,
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext"
    )
}

/// The `requestParameters` of a call.
fn request_parameters(call: &Call<'_>) -> Json {
    let req = call.request;
    if !req.operation.key_resource && call.extra_parameters.is_empty() {
        return Json::Null;
    }
    let mut members: Vec<(String, Json)> = Vec::new();
    let key_id = Json::str(req.key.unwrap_or(&call.key.arn).to_string());
    // Seed 004: S3's Decrypt names no key (a symmetric ciphertext carries
    // it), and its record shows only the encryption context.
    let names_key =
        req.operation.key_resource && !(req.operation.name == "Decrypt" && req.key.is_none());
    let context = (req.operation.encryption_context
        && !req.encryption_context.is_empty()
        && catalogue::key_class(call.key.spec, call.key.usage) == KeyClass::SymmetricEncryption)
        .then(|| Json::string_map(req.encryption_context));
    // Seed 004 orders a named key first when the request named it by alias
    // (the create/update check) and the context first otherwise.
    let alias_named = req.key.is_some_and(|k| k.contains("alias/"));
    if names_key && (alias_named || context.is_none()) {
        members.push(("keyId".into(), key_id.clone()));
    }
    if req.operation.name != "CreateGrant" {
        if let Some(c) = context {
            members.push(("encryptionContext".into(), c));
        }
    }
    if names_key && !alias_named && !members.iter().any(|(k, _)| k == "keyId") {
        members.push(("keyId".into(), key_id));
    }
    if is_data_key(req.operation) {
        members.push(("keySpec".into(), Json::str(DATA_KEY_SPEC)));
    }
    members.extend(call.extra_parameters.iter().cloned());
    Json::Object(members)
}

/// The CloudTrail record of a call.
pub fn record(call: &Call<'_>) -> Json {
    let req = call.request;
    let key = call.key;
    let via = context_value(req, "kms:ViaService").is_some();
    let service = matches!(req.principal, Principal::Service(_));
    let internal = via || service;
    let source_ip = context_value(req, "aws:SourceIp")
        .map(str::to_string)
        .unwrap_or_else(|| {
            if internal {
                INTERNAL
            } else {
                EXAMPLE_SOURCE_IP
            }
            .to_string()
        });
    let user_agent = context_value(req, "aws:UserAgent")
        .map(str::to_string)
        .unwrap_or_else(|| if internal { INTERNAL } else { AWS_INTERNAL }.to_string());
    let seq = call.sequence.to_string();
    let time = call.time.iso();
    let ids = [
        key.arn.as_str(),
        req.operation.name,
        &caller_name(req),
        &time,
        &seq,
    ];
    let mut members: Vec<(String, Json)> = vec![
        ("eventVersion".into(), Json::str(EVENT_VERSION)),
        ("userIdentity".into(), user_identity(key, req, call.time)),
        ("eventTime".into(), Json::str(time.clone())),
        ("eventSource".into(), Json::str(EVENT_SOURCE)),
        ("eventName".into(), Json::str(req.operation.name)),
        ("awsRegion".into(), Json::str(key.region.clone())),
        ("sourceIPAddress".into(), Json::str(source_ip)),
        ("userAgent".into(), Json::str(user_agent)),
    ];
    let error = call
        .error
        .clone()
        .or_else(|| call.authorization.and_then(|a| error_of(key, req, a)));
    if let Some((code, message)) = error {
        members.push(("errorCode".into(), Json::str(code)));
        members.push(("errorMessage".into(), Json::str(message)));
    }
    members.push(("requestParameters".into(), request_parameters(call)));
    members.push((
        "responseElements".into(),
        call.response.clone().unwrap_or(Json::Null),
    ));
    members.push((
        "requestID".into(),
        Json::str(deterministic_uuid(&[&ids[..], &["request"]].concat())),
    ));
    members.push((
        "eventID".into(),
        Json::str(deterministic_uuid(&[&ids[..], &["event"]].concat())),
    ));
    members.push(("readOnly".into(), Json::Bool(req.operation.read_only)));
    if req.operation.key_resource {
        members.push(("resources".into(), resources(key)));
    }
    members.push((
        "eventType".into(),
        Json::str(if service {
            "AwsServiceEvent"
        } else {
            "AwsApiCall"
        }),
    ));
    members.push(("managementEvent".into(), Json::Bool(true)));
    members.push(("recipientAccountId".into(), Json::str(key.account.clone())));
    members.push(("eventCategory".into(), Json::str("Management")));
    Json::Object(members)
}

fn resources(key: &Key) -> Json {
    Json::Array(vec![Json::obj([
        ("ARN", Json::str(key.arn.clone())),
        ("accountId", Json::str(key.account.clone())),
        ("type", Json::str("AWS::KMS::Key")),
    ])])
}

/// Records KMS writes itself when the clock moves a key along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceEvent {
    /// Automatic (or on-demand) rotation of the key material.
    RotateKey,
    /// The key was deleted at the end of its waiting period.
    DeleteKey,
    /// Imported key material expired and was deleted.
    DeleteExpiredKeyMaterial,
}

impl ServiceEvent {
    /// The `eventName`.
    pub fn name(self) -> &'static str {
        match self {
            ServiceEvent::RotateKey => "RotateKey",
            ServiceEvent::DeleteKey => "DeleteKey",
            ServiceEvent::DeleteExpiredKeyMaterial => "DeleteExpiredKeyMaterial",
        }
    }
}

/// The record of an event KMS writes itself (`ct-rotatekey.html`,
/// `ct-delete-key.html`, `ct-deleteexpiredkeymaterial.html`).
pub fn service_event_record(key: &Key, event: ServiceEvent, time: Time, sequence: u64) -> Json {
    let t = time.iso();
    let seq = sequence.to_string();
    Json::obj([
        ("eventVersion", Json::str(EVENT_VERSION)),
        (
            "userIdentity",
            Json::obj([
                ("accountId", Json::str(key.account.clone())),
                ("invokedBy", Json::str(AWS_INTERNAL)),
            ]),
        ),
        ("eventTime", Json::str(t.clone())),
        ("eventSource", Json::str(EVENT_SOURCE)),
        ("eventName", Json::str(event.name())),
        ("awsRegion", Json::str(key.region.clone())),
        ("sourceIPAddress", Json::str(AWS_INTERNAL)),
        ("userAgent", Json::str(AWS_INTERNAL)),
        ("requestParameters", Json::Null),
        ("responseElements", Json::Null),
        (
            "eventID",
            Json::str(deterministic_uuid(&[&key.arn, event.name(), &t, &seq])),
        ),
        ("readOnly", Json::Bool(false)),
        ("resources", resources(key)),
        ("eventType", Json::str("AwsServiceEvent")),
        ("managementEvent", Json::Bool(true)),
        ("recipientAccountId", Json::str(key.account.clone())),
        ("eventCategory", Json::str("Management")),
        (
            "serviceEventDetails",
            Json::obj([("keyId", Json::str(key.key_id.clone()))]),
        ),
    ])
}

// ---------------------------------------------------------------------------
// Cost of a trail's KMS calls
// ---------------------------------------------------------------------------

/// Log file deliveries per day per region per account: CloudTrail delivers
/// about every five minutes, each delivery one `GenerateDataKey` (seed 004:
/// "about 288 … per day, per region, per account"; 2 regions → 576,
/// 3 accounts × 2 regions → 1,728).
pub const TRAIL_DELIVERIES_PER_DAY: u64 = 288;

/// Price of KMS requests in US dollars per 10,000, in millionths of a
/// dollar (0.03 USD): <https://aws.amazon.com/kms/pricing/> ("$0.03 per
/// 10,000 requests" for symmetric-key requests such as GenerateDataKey and
/// Decrypt).
pub const PRICE_PER_10K_MICRO_USD: u64 = 30_000;

/// Requests a month the AWS Free Tier covers, across all regions
/// (<https://aws.amazon.com/kms/pricing/>, "Free Tier").
pub const FREE_REQUESTS_PER_MONTH: u64 = 20_000;

/// What a trail's use of the key costs, with the numbers of the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailCost {
    /// Regions with the trail.
    pub regions: u64,
    /// Accounts whose trails use the key.
    pub accounts: u64,
    /// `GenerateDataKey` calls a day (288 × regions × accounts).
    pub deliveries_per_day: u64,
    /// `Decrypt` calls a day for reading log files (one per file read).
    pub reads_per_day: u64,
    /// Both, per day.
    pub requests_per_day: u64,
    /// Days counted.
    pub days: u64,
    /// Requests over the days.
    pub requests: u64,
    /// Their price, in millionths of a dollar, before the free tier.
    pub cost_micro_usd: u64,
    /// Requests over the free tier, for a period of 30 days or less.
    pub billable_requests: u64,
    /// Price of those, in millionths of a dollar.
    pub billable_micro_usd: u64,
}

impl TrailCost {
    /// Message id of the formula text (`records.cost.formula`).
    pub const FORMULA: &'static str = "records.cost.formula";

    /// The formula's parameters, for the message catalogue.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("per_region", TRAIL_DELIVERIES_PER_DAY.to_string()),
            ("regions", self.regions.to_string()),
            ("accounts", self.accounts.to_string()),
            ("deliveries", group(self.deliveries_per_day)),
            ("reads", group(self.reads_per_day)),
            ("per_day", group(self.requests_per_day)),
            ("days", self.days.to_string()),
            ("requests", group(self.requests)),
            ("price", dollars(PRICE_PER_10K_MICRO_USD)),
            ("cost", dollars(self.cost_micro_usd)),
            ("free", group(FREE_REQUESTS_PER_MONTH)),
            ("billable", group(self.billable_requests)),
            ("billable_cost", dollars(self.billable_micro_usd)),
        ]
    }
}

/// The requests and cost of trails in `regions` regions of `accounts`
/// accounts over `days` days, with `reads_per_day` log files read a day.
pub fn trail_cost(regions: u64, accounts: u64, reads_per_day: u64, days: u64) -> TrailCost {
    let deliveries_per_day = TRAIL_DELIVERIES_PER_DAY * regions * accounts;
    let requests_per_day = deliveries_per_day + reads_per_day;
    let requests = requests_per_day * days;
    // The free tier is monthly; for a period of up to a month it applies once.
    let billable_requests = if days <= 30 {
        requests.saturating_sub(FREE_REQUESTS_PER_MONTH)
    } else {
        requests.saturating_sub(FREE_REQUESTS_PER_MONTH * days.div_ceil(30))
    };
    let price = |n: u64| n * PRICE_PER_10K_MICRO_USD / 10_000;
    TrailCost {
        regions,
        accounts,
        deliveries_per_day,
        reads_per_day,
        requests_per_day,
        days,
        requests,
        cost_micro_usd: price(requests),
        billable_requests,
        billable_micro_usd: price(billable_requests),
    }
}

/// `1728` → `1,728`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Millionths of a dollar as dollars with at least two decimals and no
/// trailing zeros beyond them (`25920` → `0.02592`, `30000` → `0.03`).
pub fn dollars(micro: u64) -> String {
    let whole = micro / 1_000_000;
    let mut frac = format!("{:06}", micro % 1_000_000);
    while frac.len() > 2 && frac.ends_with('0') {
        frac.pop();
    }
    format!("{}.{frac}", group(whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text() {
        let j = Json::obj([
            ("a", Json::strings(["x", "y"])),
            ("b", Json::Null),
            ("c", Json::obj([("d", Json::str("q\"\n"))])),
            ("e", Json::Array(vec![])),
        ]);
        assert_eq!(
            j.to_compact(),
            r#"{"a":["x","y"],"b":null,"c":{"d":"q\"\n"},"e":[]}"#
        );
        assert!(j.to_pretty().contains("\n  \"a\": [\n    \"x\","));
        assert_eq!(j.pointer("/a/1").and_then(Json::as_str), Some("y"));
        assert_eq!(j.pointer("/c/d").and_then(Json::as_str), Some("q\"\n"));
    }

    #[test]
    fn identifiers_are_stable_and_shaped() {
        let a = deterministic_uuid(&["x", "1"]);
        assert_eq!(a, deterministic_uuid(&["x", "1"]));
        assert_ne!(a, deterministic_uuid(&["x", "2"]));
        assert_ne!(
            deterministic_uuid(&["ab", "c"]),
            deterministic_uuid(&["a", "bc"])
        );
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(digest_hex(&["g"], 32).len(), 64);
    }

    #[test]
    fn money_and_numbers() {
        assert_eq!(group(1728), "1,728");
        assert_eq!(group(576), "576");
        assert_eq!(group(1_000_000), "1,000,000");
        assert_eq!(dollars(30_000), "0.03");
        assert_eq!(dollars(25_920), "0.02592");
        assert_eq!(dollars(1_500_000), "1.50");
    }
}
