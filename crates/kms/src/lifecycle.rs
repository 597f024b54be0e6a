//! The key's life over simulated time: enable and disable, scheduled
//! deletion, automatic and on-demand rotation, imported key material that
//! expires — and the EventBridge events KMS sends when they happen.
//!
//! There is no clock here: every function takes the time it runs at, and
//! [`advance`] moves a key from one time to another, returning the events
//! that fall in between. Each transition changes [`Key::state`], so requests
//! decided afterwards get `DisabledException`, `KMSInvalidStateException`
//! or `NotFoundException` from the authorizer as KMS would.
//!
//! Sources (cited again beside the tests):
//! - seed 001, <https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html>
//!   (the three events, their JSON, "best effort" vs. guaranteed deletion
//!   events that retries may send more than once)
//! - <https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html>
//!   (waiting period 7–30 days, default 30; state `PendingDeletion`)
//! - <https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html>
//!   (after cancelling, the key is `Disabled`)
//! - <https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html>
//!   (symmetric encryption keys only, not imported material; period 90–2560
//!   days, default 365)
//! - <https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html>
//!   and <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>
//!   (on-demand rotation: symmetric keys, at most 25 per key)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>
//!   (a disabled or pending-deletion key is not rotated; it is rotated at
//!   once when enabled again if its rotation date has passed)
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-delete-key-material.html>
//!   (expired imported material is deleted; the key becomes `PendingImport`)
//!
//! Choice for the duplicate deletion event: the document warns that
//! retries "may generate multiple events deleting the same KMS key within
//! seconds". The simulation always sends exactly one duplicate, at the same
//! time, with the same `detail` and `resources` but a new `id` — so a rule's
//! target must be idempotent, which is the point the page makes.

use crate::authorize::Outcome;
use crate::catalogue::{self, KeyClass, KeyState, StateEffect};
use crate::key::Key;
use crate::records::{self, deterministic_uuid, Json, ServiceEvent};

/// The simulation's clock values (kept at this path: the key's life is
/// where callers meet them first).
pub use crate::time::{Time, DAY};

// ---------------------------------------------------------------------------
// The key's lifecycle settings
// ---------------------------------------------------------------------------

/// Shortest waiting period ScheduleKeyDeletion accepts, in days.
pub const MIN_WAITING_DAYS: i64 = 7;
/// Longest waiting period, in days.
pub const MAX_WAITING_DAYS: i64 = 30;
/// The waiting period when none is given.
pub const DEFAULT_WAITING_DAYS: i64 = 30;
/// Rotation period when EnableKeyRotation gives none, in days.
pub const DEFAULT_ROTATION_DAYS: i64 = 365;
/// Shortest rotation period.
pub const MIN_ROTATION_DAYS: i64 = 90;
/// Longest rotation period.
pub const MAX_ROTATION_DAYS: i64 = 2560;
/// On-demand rotations a key may have (not adjustable).
pub const ON_DEMAND_ROTATIONS_PER_KEY: usize = 25;

/// Automatic rotation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// Days between rotations.
    pub period_days: i64,
    /// When the material is next rotated (a rotation that fell due while
    /// the key was not enabled happens when it is enabled again).
    pub next: Time,
}

/// One rotation that happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationDone {
    /// When.
    pub at: Time,
    /// `RotateKeyOnDemand` (true) or automatic (false).
    pub on_demand: bool,
}

/// What the key's lifecycle holds besides its state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// Automatic rotation, when enabled.
    pub rotation: Option<Rotation>,
    /// Rotations so far.
    pub rotations: Vec<RotationDone>,
    /// When a key pending deletion is deleted.
    pub deletion_date: Option<Time>,
    /// When imported key material expires (origin `EXTERNAL`).
    pub material_expires: Option<Time>,
    /// Events sent so far, to number new ones.
    pub sent: u64,
}

// ---------------------------------------------------------------------------
// EventBridge events
// ---------------------------------------------------------------------------

/// The three KMS events of seed 001.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `KMS CMK Rotation` (best effort).
    Rotation,
    /// `KMS Imported Key Material Expiration` (best effort).
    MaterialExpiration,
    /// `KMS CMK Deletion` (guaranteed; may come more than once).
    Deletion,
}

impl EventKind {
    /// The `detail-type`.
    pub fn detail_type(self) -> &'static str {
        match self {
            EventKind::Rotation => "KMS CMK Rotation",
            EventKind::MaterialExpiration => "KMS Imported Key Material Expiration",
            EventKind::Deletion => "KMS CMK Deletion",
        }
    }

    /// A stable code (`rotation`, `material-expiration`, `deletion`).
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Rotation => "rotation",
            EventKind::MaterialExpiration => "material-expiration",
            EventKind::Deletion => "deletion",
        }
    }

    /// The record KMS writes to CloudTrail at the same moment.
    pub fn service_event(self) -> ServiceEvent {
        match self {
            EventKind::Rotation => ServiceEvent::RotateKey,
            EventKind::MaterialExpiration => ServiceEvent::DeleteExpiredKeyMaterial,
            EventKind::Deletion => ServiceEvent::DeleteKey,
        }
    }
}

/// `version` of every event.
pub const EVENT_VERSION: &str = "0";
/// `source` of every KMS event.
pub const EVENT_SOURCE: &str = "aws.kms";

/// An event KMS sends to EventBridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsEvent {
    /// Which.
    pub kind: EventKind,
    /// `id` (deterministic, see [`deterministic_uuid`]).
    pub id: String,
    /// `account`.
    pub account: String,
    /// `time`.
    pub time: Time,
    /// `region`.
    pub region: String,
    /// `resources`: the key ARN.
    pub resources: Vec<String>,
    /// `detail.key-id`.
    pub key_id: String,
    /// A repeat of the previous deletion event (see the module notes).
    pub duplicate: bool,
}

impl KmsEvent {
    fn new(
        key: &Key,
        life: &mut Lifecycle,
        kind: EventKind,
        time: Time,
        duplicate: bool,
    ) -> KmsEvent {
        life.sent += 1;
        let n = life.sent.to_string();
        KmsEvent {
            kind,
            id: deterministic_uuid(&[&key.arn, kind.detail_type(), &time.iso(), &n]),
            account: key.account.clone(),
            time,
            region: key.region.clone(),
            resources: vec![key.arn.clone()],
            key_id: key.key_id.clone(),
            duplicate,
        }
    }

    /// The event as EventBridge delivers it, fields in seed 001's order.
    pub fn to_json(&self) -> Json {
        Json::obj([
            ("version", Json::str(EVENT_VERSION)),
            ("id", Json::str(self.id.clone())),
            ("detail-type", Json::str(self.kind.detail_type())),
            ("source", Json::str(EVENT_SOURCE)),
            ("account", Json::str(self.account.clone())),
            ("time", Json::str(self.time.iso())),
            ("region", Json::str(self.region.clone())),
            ("resources", Json::strings(&self.resources)),
            (
                "detail",
                Json::obj([("key-id", Json::str(self.key_id.clone()))]),
            ),
        ])
    }
}

// ---------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------

/// Something a person (or the clock) does to the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// EnableKey.
    Enable,
    /// DisableKey.
    Disable,
    /// ScheduleKeyDeletion with a waiting period (default 30 days).
    ScheduleDeletion {
        /// Days; None for the default.
        days: Option<i64>,
    },
    /// CancelKeyDeletion.
    CancelDeletion,
    /// Let the clock run to the end of the waiting period.
    Delete,
    /// RotateKeyOnDemand.
    Rotate,
    /// EnableKeyRotation with a period (default 365 days).
    EnableRotation {
        /// Days; None for the default.
        days: Option<i64>,
    },
    /// DisableKeyRotation.
    DisableRotation,
    /// ImportKeyMaterial, expiring after `days` (None: never).
    Import {
        /// Days until the material expires.
        days: Option<i64>,
    },
    /// Let the clock run until the imported material expires (now, if it
    /// has no expiry).
    ExpireImport,
    /// Let the clock run for this many days.
    Wait {
        /// Days.
        days: i64,
    },
}

impl Action {
    /// Reads a command-line action name; `days` goes to the actions that take it.
    pub fn parse(name: &str, days: Option<i64>) -> Option<Action> {
        Some(match name {
            "enable" => Action::Enable,
            "disable" => Action::Disable,
            "schedule-deletion" => Action::ScheduleDeletion { days },
            "cancel-deletion" => Action::CancelDeletion,
            "delete" => Action::Delete,
            "rotate" => Action::Rotate,
            "enable-rotation" => Action::EnableRotation { days },
            "disable-rotation" => Action::DisableRotation,
            "import" => Action::Import { days },
            "expire-import" => Action::ExpireImport,
            "wait" => Action::Wait {
                days: days.unwrap_or(1),
            },
            _ => return None,
        })
    }

    /// Every action name [`Action::parse`] reads.
    pub const NAMES: [&'static str; 11] = [
        "enable",
        "disable",
        "schedule-deletion",
        "cancel-deletion",
        "delete",
        "rotate",
        "enable-rotation",
        "disable-rotation",
        "import",
        "expire-import",
        "wait",
    ];

    /// The KMS operation the action calls, if it is a call.
    pub fn operation(self) -> Option<&'static str> {
        match self {
            Action::Enable => Some("EnableKey"),
            Action::Disable => Some("DisableKey"),
            Action::ScheduleDeletion { .. } => Some("ScheduleKeyDeletion"),
            Action::CancelDeletion => Some("CancelKeyDeletion"),
            Action::Rotate => Some("RotateKeyOnDemand"),
            Action::EnableRotation { .. } => Some("EnableKeyRotation"),
            Action::DisableRotation => Some("DisableKeyRotation"),
            Action::Import { .. } => Some("ImportKeyMaterial"),
            Action::Delete | Action::ExpireImport | Action::Wait { .. } => None,
        }
    }
}

/// Why an action could not happen: the exception KMS returns and a message
/// id (`lifecycle.error.*`) with parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleError {
    /// `KMSInvalidStateException`, `ValidationException`, …
    pub exception: &'static str,
    /// Message id.
    pub code: &'static str,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl LifecycleError {
    fn new(exception: &'static str, code: &'static str) -> LifecycleError {
        LifecycleError {
            exception,
            code,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> LifecycleError {
        self.params.push((name, value.into()));
        self
    }
}

/// What an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The clock after the action (later than before for `delete`,
    /// `expire-import` and `wait`).
    pub now: Time,
    /// The key state before.
    pub before: KeyState,
    /// The key state after.
    pub after: KeyState,
    /// The EventBridge events sent, in order.
    pub events: Vec<KmsEvent>,
}

fn state_check(key: &Key, op_name: &str) -> Result<(), LifecycleError> {
    let op = catalogue::operation(op_name).expect("lifecycle operations are in the catalogue");
    let err = |outcome: Outcome, code: &'static str| {
        Err(LifecycleError::new(outcome.as_str(), code)
            .with("state", key.state.as_str())
            .with("action", format!("kms:{op_name}")))
    };
    match op.state_effect(key.state) {
        StateEffect::Proceeds => Ok(()),
        StateEffect::Disabled => err(Outcome::Disabled, "lifecycle.error.disabled"),
        StateEffect::InvalidState => err(Outcome::InvalidState, "lifecycle.error.invalid-state"),
        StateEffect::NotFound => err(Outcome::NotFound, "lifecycle.error.deleted"),
    }
}

fn symmetric_aws_kms(key: &Key, op: &str) -> Result<(), LifecycleError> {
    if catalogue::key_class(key.spec, key.usage) != KeyClass::SymmetricEncryption {
        return Err(LifecycleError::new(
            "UnsupportedOperationException",
            "lifecycle.error.rotation-not-symmetric",
        )
        .with("spec", key.spec.name)
        .with("action", format!("kms:{op}")));
    }
    if key.origin != "AWS_KMS" {
        return Err(LifecycleError::new(
            "UnsupportedOperationException",
            "lifecycle.error.rotation-origin",
        )
        .with("origin", key.origin.clone())
        .with("action", format!("kms:{op}")));
    }
    Ok(())
}

fn days_in(
    days: Option<i64>,
    default: i64,
    min: i64,
    max: i64,
    code: &'static str,
) -> Result<i64, LifecycleError> {
    let d = days.unwrap_or(default);
    if (min..=max).contains(&d) {
        Ok(d)
    } else {
        Err(LifecycleError::new("ValidationException", code)
            .with("days", d.to_string())
            .with("min", min.to_string())
            .with("max", max.to_string()))
    }
}

fn rotate(key: &Key, life: &mut Lifecycle, at: Time, on_demand: bool, events: &mut Vec<KmsEvent>) {
    life.rotations.push(RotationDone { at, on_demand });
    events.push(KmsEvent::new(key, life, EventKind::Rotation, at, false));
}

/// Does one action at time `now`.
pub fn apply(
    key: &mut Key,
    life: &mut Lifecycle,
    action: Action,
    now: Time,
) -> Result<Change, LifecycleError> {
    let before = key.state;
    let mut events = Vec::new();
    let mut clock = now;
    if let Some(op) = action.operation() {
        state_check(key, op)?;
    }
    match action {
        Action::Enable => enable(key, life, before, now, &mut events),
        Action::Disable => key.state = KeyState::Disabled,
        Action::ScheduleDeletion { days } => {
            let d = days_in(
                days,
                DEFAULT_WAITING_DAYS,
                MIN_WAITING_DAYS,
                MAX_WAITING_DAYS,
                "lifecycle.error.waiting-period",
            )?;
            key.state = KeyState::PendingDeletion;
            life.deletion_date = Some(now.plus_days(d));
        }
        Action::CancelDeletion => {
            key.state = KeyState::Disabled;
            life.deletion_date = None;
        }
        Action::Delete => {
            clock = deletion_time(key, life, now)?;
            events = advance(key, life, now, clock);
        }
        Action::Rotate => rotate_on_demand(key, life, now, &mut events)?,
        Action::EnableRotation { days } => {
            symmetric_aws_kms(key, "EnableKeyRotation")?;
            let d = days_in(
                days,
                DEFAULT_ROTATION_DAYS,
                MIN_ROTATION_DAYS,
                MAX_ROTATION_DAYS,
                "lifecycle.error.rotation-period",
            )?;
            life.rotation = Some(Rotation {
                period_days: d,
                next: now.plus_days(d),
            });
        }
        Action::DisableRotation => life.rotation = None,
        Action::Import { days } => import(key, life, days, now)?,
        Action::ExpireImport => {
            clock = expiry_time(key, life, now)?;
            events = advance(key, life, now, clock);
        }
        Action::Wait { days } => {
            clock = now.plus_days(days.max(0));
            events = advance(key, life, now, clock);
        }
    }
    Ok(Change {
        now: clock,
        before,
        after: key.state,
        events,
    })
}

/// EnableKey: a rotation that fell due while the key was off happens now.
fn enable(
    key: &mut Key,
    life: &mut Lifecycle,
    before: KeyState,
    now: Time,
    events: &mut Vec<KmsEvent>,
) {
    key.state = KeyState::Enabled;
    if let Some(r) = life
        .rotation
        .filter(|r| r.next <= now && before != KeyState::Enabled)
    {
        rotate(key, life, now, false, events);
        life.rotation = Some(Rotation {
            next: now.plus_days(r.period_days),
            ..r
        });
    }
}

/// When a key pending deletion is deleted: its deletion date (or now, if
/// that has passed).
fn deletion_time(key: &Key, life: &Lifecycle, now: Time) -> Result<Time, LifecycleError> {
    let Some(date) = life
        .deletion_date
        .filter(|_| key.state == KeyState::PendingDeletion)
    else {
        return Err(LifecycleError::new(
            Outcome::InvalidState.as_str(),
            "lifecycle.error.not-pending-deletion",
        )
        .with("state", key.state.as_str()));
    };
    Ok(date.max(now))
}

/// RotateKeyOnDemand, within its limit per key.
fn rotate_on_demand(
    key: &Key,
    life: &mut Lifecycle,
    now: Time,
    events: &mut Vec<KmsEvent>,
) -> Result<(), LifecycleError> {
    symmetric_aws_kms(key, "RotateKeyOnDemand")?;
    let done = life.rotations.iter().filter(|r| r.on_demand).count();
    if done >= ON_DEMAND_ROTATIONS_PER_KEY {
        return Err(LifecycleError::new(
            "LimitExceededException",
            "lifecycle.error.on-demand-limit",
        )
        .with("limit", ON_DEMAND_ROTATIONS_PER_KEY.to_string()));
    }
    rotate(key, life, now, true, events);
    Ok(())
}

/// Imported key material needs a key whose origin is `EXTERNAL`.
fn external_only(key: &Key) -> Result<(), LifecycleError> {
    if key.origin == "EXTERNAL" {
        return Ok(());
    }
    Err(LifecycleError::new(
        "UnsupportedOperationException",
        "lifecycle.error.not-external",
    )
    .with("origin", key.origin.clone()))
}

/// ImportKeyMaterial, valid for `days` (1 to 365) or without expiry.
fn import(
    key: &mut Key,
    life: &mut Lifecycle,
    days: Option<i64>,
    now: Time,
) -> Result<(), LifecycleError> {
    external_only(key)?;
    let expires = match days {
        None => None,
        Some(d) => Some(now.plus_days(days_in(
            Some(d),
            d,
            1,
            365,
            "lifecycle.error.import-validity",
        )?)),
    };
    life.material_expires = expires;
    if key.state == KeyState::PendingImport {
        key.state = KeyState::Enabled;
    }
    Ok(())
}

/// When the imported material expires, made due now at the latest.
fn expiry_time(key: &Key, life: &mut Lifecycle, now: Time) -> Result<Time, LifecycleError> {
    external_only(key)?;
    if key.state == KeyState::PendingImport || key.state == KeyState::Deleted {
        return Err(LifecycleError::new(
            Outcome::InvalidState.as_str(),
            "lifecycle.error.no-material",
        )
        .with("state", key.state.as_str()));
    }
    let at = life.material_expires.unwrap_or(now).max(now);
    life.material_expires = Some(at);
    Ok(at)
}

/// Runs the clock from `from` to `to` (inclusive): rotations that fall due
/// on an enabled key, imported material that expires, and the deletion of a
/// key pending deletion, in time order. Returns the events sent.
pub fn advance(key: &mut Key, life: &mut Lifecycle, from: Time, to: Time) -> Vec<KmsEvent> {
    let mut events = Vec::new();
    if to < from {
        return events;
    }
    loop {
        if key.state == KeyState::Deleted {
            break;
        }
        // The next thing due, earliest first; at equal times the material
        // expires before a rotation and the deletion comes last.
        let rotation = life
            .rotation
            .filter(|r| key.state == KeyState::Enabled && r.next <= to)
            .map(|r| (r.next.max(from), 1));
        let expiry = life
            .material_expires
            .filter(|t| *t <= to)
            .map(|t| (t.max(from), 0));
        let deletion = life
            .deletion_date
            .filter(|t| *t <= to && key.state == KeyState::PendingDeletion)
            .map(|t| (t.max(from), 2));
        let Some((at, which)) = [expiry, rotation, deletion].into_iter().flatten().min() else {
            break;
        };
        match which {
            0 => {
                life.material_expires = None;
                if key.state != KeyState::PendingDeletion {
                    key.state = KeyState::PendingImport;
                }
                events.push(KmsEvent::new(
                    key,
                    life,
                    EventKind::MaterialExpiration,
                    at,
                    false,
                ));
            }
            1 => {
                rotate(key, life, at, false, &mut events);
                if let Some(r) = life.rotation.as_mut() {
                    r.next = at.plus_days(r.period_days);
                }
            }
            _ => {
                key.state = KeyState::Deleted;
                life.deletion_date = None;
                life.rotation = None;
                life.material_expires = None;
                events.push(KmsEvent::new(key, life, EventKind::Deletion, at, false));
                events.push(KmsEvent::new(key, life, EventKind::Deletion, at, true));
            }
        }
    }
    events
}

/// The CloudTrail records KMS writes for the events (one per event; the
/// duplicate deletion event has no record of its own).
pub fn service_records(key: &Key, events: &[KmsEvent]) -> Vec<Json> {
    events
        .iter()
        .filter(|e| !e.duplicate)
        .enumerate()
        .map(|(i, e)| records::service_event_record(key, e.kind.service_event(), e.time, i as u64))
        .collect()
}

// ---------------------------------------------------------------------------
// Consequences for the scenarios
// ---------------------------------------------------------------------------

/// What a key in some state means for a scenario: message ids
/// (`lifecycle.consequence.*`) the page and the command line show.
///
/// `scenario` is a scenario id of the lab catalogue (`cloudtrail-trail`,
/// `cloudtrail-event-data-store`, `cross-account-readers`,
/// `eventbridge-connection`, …); `before` and `state` the key state before
/// and after the transition; `event` the last event it sent, if any.
/// Sources: seed 002 (a disabled or deleted key: CloudTrail cannot deliver
/// logs / events to the store), seed 000 (EventBridge deauthorizes the
/// connection; revoking through the key is not immediate because EventBridge
/// caches it, deauthorizing the connection is).
pub fn consequences(
    scenario: &str,
    before: KeyState,
    state: KeyState,
    event: Option<EventKind>,
) -> Vec<&'static str> {
    let unusable_state = |s: KeyState| {
        matches!(
            s,
            KeyState::Disabled
                | KeyState::PendingDeletion
                | KeyState::PendingImport
                | KeyState::Deleted
                | KeyState::Unavailable
        )
    };
    let unusable = unusable_state(state);
    let mut out = Vec::new();
    match scenario {
        "cloudtrail-trail" if unusable => {
            out.push("lifecycle.consequence.trail.cannot-deliver");
            out.push("lifecycle.consequence.trail.readers-cannot-decrypt");
        }
        "cloudtrail-event-data-store" if unusable => {
            out.push("lifecycle.consequence.event-data-store.stops");
        }
        "cross-account-readers" if unusable => {
            out.push("lifecycle.consequence.trail.readers-cannot-decrypt");
        }
        "eventbridge-connection" => {
            if unusable {
                out.push("lifecycle.consequence.connection.deauthorized");
            }
            if unusable || event == Some(EventKind::Rotation) {
                out.push("lifecycle.consequence.connection.cache-note");
            }
            if state == KeyState::Enabled && unusable_state(before) {
                out.push("lifecycle.consequence.connection.reauthorize");
            }
        }
        _ if unusable => out.push("lifecycle.consequence.generic.unusable"),
        _ => {}
    }
    match state {
        KeyState::PendingDeletion => out.push("lifecycle.consequence.pending-deletion.cancellable"),
        KeyState::Deleted => out.push("lifecycle.consequence.deleted.unrecoverable"),
        KeyState::PendingImport => out.push("lifecycle.consequence.pending-import.reimport"),
        KeyState::Disabled => out.push("lifecycle.consequence.disabled.reversible"),
        _ => {}
    }
    if event == Some(EventKind::Rotation) {
        out.push("lifecycle.consequence.rotation.transparent");
    }
    if event == Some(EventKind::Deletion) {
        out.push("lifecycle.consequence.deletion.duplicate");
    }
    out
}

/// The scenario ids [`consequences`] knows.
pub const SCENARIO_KINDS: [&str; 5] = [
    "cloudtrail-trail",
    "cloudtrail-event-data-store",
    "cross-account-readers",
    "eventbridge-connection",
    "default-key-policy",
];
