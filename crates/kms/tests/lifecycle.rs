//! The key's lifecycle over simulated time and the EventBridge events it
//! sends, compared field by field with seed 001's examples
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html>).

use kmsplay_kms::catalogue::{self, KeyState, KeyUsage};
use kmsplay_kms::lifecycle::{
    advance, apply, consequences, service_records, Action, EventKind, KmsEvent, Lifecycle,
    LifecycleError, Time, DAY, DEFAULT_ROTATION_DAYS, DEFAULT_WAITING_DAYS,
    ON_DEMAND_ROTATIONS_PER_KEY,
};
use kmsplay_kms::records::Json;
use kmsplay_kms::{authorize, Identity, Key, KmsRequest, Outcome};
use kmsplay_policy::{parse_text, PolicyKind, Principal};

/// The key, account, region and time of seed 001's examples.
const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const T: &str = "2022-08-10T16:37:50Z";

fn t0() -> Time {
    Time::parse(T).unwrap()
}

fn key() -> Key {
    let mut k = Key::new(KEY).unwrap();
    k.policy = parse_text(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Bob"},"Action":"kms:*","Resource":"*"}]}"#,
        PolicyKind::Resource,
    )
    .policy;
    k
}

fn external() -> Key {
    let mut k = key();
    k.origin = "EXTERNAL".into();
    k
}

/// What KMS answers Bob's Decrypt with the key as it is.
fn decrypt(k: &Key) -> Outcome {
    let bob = Principal::parse("arn:aws:iam::111122223333:user/Bob").unwrap();
    let req = KmsRequest {
        principal: &bob,
        operation: catalogue::operation("Decrypt").unwrap(),
        key: None,
        encryption_context: &[],
        context: &[],
        grant_tokens: &[],
        organization: None,
        session_policies: &[],
        vpc_endpoint: None,
    };
    authorize(k, &[] as &[Identity], &req, false).outcome
}

fn err(r: Result<kmsplay_kms::lifecycle::Change, LifecycleError>) -> (&'static str, &'static str) {
    let e = r.expect_err("the action is refused");
    (e.exception, e.code)
}

/// Seed 001's event, field by field, except `id` (the simulation's ids are
/// its own, derived from the inputs).
fn assert_seed_event(e: &KmsEvent, detail_type: &str) {
    let j = e.to_json();
    assert_eq!(
        j.keys(),
        [
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail"
        ]
    );
    let s = |p: &str| j.pointer(p).and_then(Json::as_str).map(str::to_string);
    assert_eq!(s("/version").as_deref(), Some("0"));
    assert_eq!(s("/detail-type").as_deref(), Some(detail_type));
    assert_eq!(s("/source").as_deref(), Some("aws.kms"));
    assert_eq!(s("/account").as_deref(), Some("111122223333"));
    assert_eq!(s("/time").as_deref(), Some(T));
    assert_eq!(s("/region").as_deref(), Some("us-west-2"));
    assert_eq!(
        j.get("resources").unwrap().to_compact(),
        format!(r#"["{KEY}"]"#)
    );
    assert_eq!(
        j.get("detail").unwrap().to_compact(),
        r#"{"key-id":"1234abcd-12ab-34cd-56ef-1234567890ab"}"#
    );
    let id = s("/id").unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(id.matches('-').count(), 4);
}

// Seed 001, "KMS CMK Rotation": the event of a rotation.
#[test]
fn rotation_event_matches_the_document() {
    let mut k = key();
    let mut life = Lifecycle::default();
    let c = apply(&mut k, &mut life, Action::Rotate, t0()).unwrap();
    assert_eq!(c.events.len(), 1);
    assert_eq!(c.events[0].kind, EventKind::Rotation);
    assert_seed_event(&c.events[0], "KMS CMK Rotation");
    assert_eq!(k.state, KeyState::Enabled);
    assert_eq!(decrypt(&k), Outcome::Success);
}

// Seed 001, "KMS Imported Key Material Expiration";
// importing-keys-delete-key-material.html: expired material is deleted and
// the key becomes PendingImport.
#[test]
fn material_expiration_event_and_pending_import() {
    let mut k = external();
    let mut life = Lifecycle {
        material_expires: Some(t0()),
        ..Lifecycle::default()
    };
    let events = advance(&mut k, &mut life, t0().plus_seconds(-60), t0());
    assert_eq!(events.len(), 1);
    assert_seed_event(&events[0], "KMS Imported Key Material Expiration");
    assert_eq!(k.state, KeyState::PendingImport);
    assert_eq!(life.material_expires, None);
    assert_eq!(decrypt(&k), Outcome::InvalidState);
    // Importing the material again makes the key usable.
    let c = apply(&mut k, &mut life, Action::Import { days: Some(30) }, t0()).unwrap();
    assert_eq!(
        (c.before, c.after),
        (KeyState::PendingImport, KeyState::Enabled)
    );
    assert_eq!(life.material_expires, Some(t0().plus_days(30)));
    // expire-import runs the clock to the expiry.
    let c = apply(&mut k, &mut life, Action::ExpireImport, t0()).unwrap();
    assert_eq!(c.now, t0().plus_days(30));
    assert_eq!(c.events[0].kind, EventKind::MaterialExpiration);
    assert_eq!(k.state, KeyState::PendingImport);
    // Only EXTERNAL keys have imported material.
    let mut aws = key();
    assert_eq!(
        err(apply(
            &mut aws,
            &mut Lifecycle::default(),
            Action::ExpireImport,
            t0()
        )),
        (
            "UnsupportedOperationException",
            "lifecycle.error.not-external"
        )
    );
    assert_eq!(
        err(apply(
            &mut aws,
            &mut Lifecycle::default(),
            Action::Import { days: None },
            t0()
        )),
        (
            "UnsupportedOperationException",
            "lifecycle.error.not-external"
        )
    );
    // Nothing left to expire.
    assert_eq!(
        err(apply(&mut k, &mut life, Action::ExpireImport, t0())),
        ("KMSInvalidStateException", "lifecycle.error.no-material")
    );
}

// Seed 001, "KMS CMK Deletion": sent at the end of the waiting period;
// "retries may generate multiple events deleting the same KMS key within
// seconds" — one duplicate, same detail, new id (lifecycle.rs notes).
// API_ScheduleKeyDeletion.html: 7–30 days, default 30.
#[test]
fn deletion_event_with_its_duplicate() {
    let mut k = key();
    let mut life = Lifecycle::default();
    let start = t0().plus_days(-30);
    let c = apply(
        &mut k,
        &mut life,
        Action::ScheduleDeletion { days: None },
        start,
    )
    .unwrap();
    assert_eq!(
        (c.before, c.after),
        (KeyState::Enabled, KeyState::PendingDeletion)
    );
    assert!(c.events.is_empty());
    assert_eq!(
        life.deletion_date,
        Some(start.plus_days(DEFAULT_WAITING_DAYS))
    );
    assert_eq!(life.deletion_date, Some(t0()));
    assert_eq!(decrypt(&k), Outcome::InvalidState);
    // One second before the date: nothing.
    assert!(advance(&mut k, &mut life, start, t0().plus_seconds(-1)).is_empty());
    assert_eq!(k.state, KeyState::PendingDeletion);
    let events = advance(&mut k, &mut life, t0().plus_seconds(-1), t0());
    assert_eq!(events.len(), 2);
    assert_seed_event(&events[0], "KMS CMK Deletion");
    assert_seed_event(&events[1], "KMS CMK Deletion");
    assert!(!events[0].duplicate && events[1].duplicate);
    assert_ne!(events[0].id, events[1].id);
    assert_eq!(
        events[0].to_json().get("detail"),
        events[1].to_json().get("detail")
    );
    assert_eq!(k.state, KeyState::Deleted);
    assert_eq!(decrypt(&k), Outcome::NotFound);
    // CloudTrail gets one DeleteKey record (ct-delete-key.html).
    let records = service_records(&k, &events);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].get("eventName").and_then(Json::as_str),
        Some("DeleteKey")
    );
    // Nothing happens to a deleted key any more.
    assert!(advance(&mut k, &mut life, t0(), t0().plus_days(400)).is_empty());
    assert_eq!(
        err(apply(&mut k, &mut life, Action::Enable, t0())),
        ("NotFoundException", "lifecycle.error.deleted")
    );
}

// The `delete` action lets the waiting period end: the clock moves to the
// deletion date.
#[test]
fn delete_runs_the_clock_to_the_deletion_date() {
    let mut k = key();
    let mut life = Lifecycle::default();
    apply(
        &mut k,
        &mut life,
        Action::ScheduleDeletion { days: Some(7) },
        t0(),
    )
    .unwrap();
    let c = apply(&mut k, &mut life, Action::Delete, t0().plus_days(1)).unwrap();
    assert_eq!(c.now, t0().plus_days(7));
    assert_eq!(
        (c.before, c.after),
        (KeyState::PendingDeletion, KeyState::Deleted)
    );
    assert_eq!(c.events.len(), 2);
    assert_eq!(c.events[0].time, t0().plus_days(7));
    // Not pending deletion: nothing to let end.
    let mut k = key();
    assert_eq!(
        err(apply(
            &mut k,
            &mut Lifecycle::default(),
            Action::Delete,
            t0()
        )),
        (
            "KMSInvalidStateException",
            "lifecycle.error.not-pending-deletion"
        )
    );
}

// API_ScheduleKeyDeletion.html: PendingWindowInDays 7–30; key-state.html:
// scheduling twice fails.
#[test]
fn schedule_deletion_checks_the_waiting_period() {
    let mut k = key();
    let mut life = Lifecycle::default();
    for bad in [6, 31, 0] {
        assert_eq!(
            err(apply(
                &mut k,
                &mut life,
                Action::ScheduleDeletion { days: Some(bad) },
                t0()
            )),
            ("ValidationException", "lifecycle.error.waiting-period")
        );
    }
    assert_eq!(k.state, KeyState::Enabled);
    apply(
        &mut k,
        &mut life,
        Action::ScheduleDeletion { days: Some(7) },
        t0(),
    )
    .unwrap();
    assert_eq!(life.deletion_date, Some(t0().plus_days(7)));
    assert_eq!(
        err(apply(
            &mut k,
            &mut life,
            Action::ScheduleDeletion { days: Some(30) },
            t0()
        )),
        ("KMSInvalidStateException", "lifecycle.error.invalid-state")
    );
    // A disabled key can be scheduled for deletion too.
    let mut k = key();
    k.state = KeyState::Disabled;
    apply(
        &mut k,
        &mut Lifecycle::default(),
        Action::ScheduleDeletion { days: Some(30) },
        t0(),
    )
    .unwrap();
    assert_eq!(k.state, KeyState::PendingDeletion);
}

// API_CancelKeyDeletion.html: after cancelling, the key is Disabled; not
// pending deletion → KMSInvalidStateException (key-state.html [4]).
#[test]
fn cancel_deletion() {
    let mut k = key();
    let mut life = Lifecycle::default();
    assert_eq!(
        err(apply(&mut k, &mut life, Action::CancelDeletion, t0())),
        ("KMSInvalidStateException", "lifecycle.error.invalid-state")
    );
    apply(
        &mut k,
        &mut life,
        Action::ScheduleDeletion { days: Some(7) },
        t0(),
    )
    .unwrap();
    let c = apply(&mut k, &mut life, Action::CancelDeletion, t0().plus_days(3)).unwrap();
    assert_eq!(
        (c.before, c.after),
        (KeyState::PendingDeletion, KeyState::Disabled)
    );
    assert!(c.events.is_empty());
    assert_eq!(life.deletion_date, None);
    assert_eq!(decrypt(&k), Outcome::Disabled);
    // The old date passes without a deletion.
    assert!(advance(&mut k, &mut life, t0(), t0().plus_days(60)).is_empty());
    assert_eq!(k.state, KeyState::Disabled);
}

// API_DisableKey.html / API_EnableKey.html; key-state.html: a disabled key
// answers DisabledException; EnableKey on a key pending deletion fails.
#[test]
fn disable_and_enable() {
    let mut k = key();
    let mut life = Lifecycle::default();
    let c = apply(&mut k, &mut life, Action::Disable, t0()).unwrap();
    assert_eq!((c.before, c.after), (KeyState::Enabled, KeyState::Disabled));
    assert!(c.events.is_empty());
    assert_eq!(decrypt(&k), Outcome::Disabled);
    let c = apply(&mut k, &mut life, Action::Enable, t0()).unwrap();
    assert_eq!(c.after, KeyState::Enabled);
    assert_eq!(decrypt(&k), Outcome::Success);
    apply(
        &mut k,
        &mut life,
        Action::ScheduleDeletion { days: None },
        t0(),
    )
    .unwrap();
    assert_eq!(
        err(apply(&mut k, &mut life, Action::Enable, t0())),
        ("KMSInvalidStateException", "lifecycle.error.invalid-state")
    );
    assert_eq!(
        err(apply(&mut k, &mut life, Action::Disable, t0())),
        ("KMSInvalidStateException", "lifecycle.error.invalid-state")
    );
}

// API_EnableKeyRotation.html: default 365 days, RotationPeriodInDays
// 90–2560; rotate-keys.html: rotated every period thereafter.
#[test]
fn automatic_rotation() {
    let mut k = key();
    let mut life = Lifecycle::default();
    apply(
        &mut k,
        &mut life,
        Action::EnableRotation { days: None },
        t0(),
    )
    .unwrap();
    assert_eq!(life.rotation.unwrap().period_days, DEFAULT_ROTATION_DAYS);
    assert!(advance(&mut k, &mut life, t0(), t0().plus_days(364)).is_empty());
    let events = advance(
        &mut k,
        &mut life,
        t0().plus_days(364),
        t0().plus_days(365 * 2),
    );
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.kind == EventKind::Rotation));
    assert_eq!(events[0].time, t0().plus_days(365));
    assert_eq!(events[1].time, t0().plus_days(730));
    assert_eq!(life.rotations.len(), 2);
    assert!(life.rotations.iter().all(|r| !r.on_demand));
    // One RotateKey record per rotation (ct-rotatekey.html).
    let records = service_records(&k, &events);
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0].get("eventName").and_then(Json::as_str),
        Some("RotateKey")
    );
    // Custom period; the limits.
    let mut k = key();
    let mut life = Lifecycle::default();
    for bad in [89, 2561] {
        assert_eq!(
            err(apply(
                &mut k,
                &mut life,
                Action::EnableRotation { days: Some(bad) },
                t0()
            )),
            ("ValidationException", "lifecycle.error.rotation-period")
        );
    }
    apply(
        &mut k,
        &mut life,
        Action::EnableRotation { days: Some(90) },
        t0(),
    )
    .unwrap();
    assert_eq!(
        advance(&mut k, &mut life, t0(), t0().plus_days(180)).len(),
        2
    );
    apply(
        &mut k,
        &mut life,
        Action::DisableRotation,
        t0().plus_days(180),
    )
    .unwrap();
    assert!(advance(&mut k, &mut life, t0().plus_days(180), t0().plus_days(1000)).is_empty());
}

// rotate-keys.html: a disabled key is not rotated; when it is enabled
// again after its rotation date, it is rotated at once.
#[test]
fn a_disabled_key_is_rotated_when_enabled_again() {
    let mut k = key();
    let mut life = Lifecycle::default();
    apply(
        &mut k,
        &mut life,
        Action::EnableRotation { days: Some(90) },
        t0(),
    )
    .unwrap();
    apply(&mut k, &mut life, Action::Disable, t0()).unwrap();
    assert!(advance(&mut k, &mut life, t0(), t0().plus_days(200)).is_empty());
    let c = apply(&mut k, &mut life, Action::Enable, t0().plus_days(200)).unwrap();
    assert_eq!(c.events.len(), 1);
    assert_eq!(c.events[0].kind, EventKind::Rotation);
    assert_eq!(c.events[0].time, t0().plus_days(200));
    assert_eq!(life.rotation.unwrap().next, t0().plus_days(290));
}

// API_RotateKeyOnDemand.html and resource-limits.html: symmetric
// encryption keys with KMS key material only; at most 25 on-demand
// rotations per key.
#[test]
fn on_demand_rotation() {
    let mut k = key();
    let mut life = Lifecycle::default();
    for i in 0..ON_DEMAND_ROTATIONS_PER_KEY {
        let c = apply(&mut k, &mut life, Action::Rotate, t0().plus_days(i as i64)).unwrap();
        assert_eq!(c.events[0].kind, EventKind::Rotation);
    }
    assert_eq!(
        err(apply(&mut k, &mut life, Action::Rotate, t0().plus_days(30))),
        ("LimitExceededException", "lifecycle.error.on-demand-limit")
    );
    let mut rsa = key();
    rsa.spec = catalogue::key_spec("RSA_2048").unwrap();
    rsa.usage = KeyUsage::EncryptDecrypt;
    assert_eq!(
        err(apply(
            &mut rsa,
            &mut Lifecycle::default(),
            Action::Rotate,
            t0()
        )),
        (
            "UnsupportedOperationException",
            "lifecycle.error.rotation-not-symmetric"
        )
    );
    let mut hmac = key();
    hmac.spec = catalogue::key_spec("HMAC_256").unwrap();
    hmac.usage = KeyUsage::GenerateVerifyMac;
    assert_eq!(
        err(apply(
            &mut hmac,
            &mut Lifecycle::default(),
            Action::EnableRotation { days: None },
            t0()
        ))
        .0,
        "UnsupportedOperationException"
    );
    assert_eq!(
        err(apply(
            &mut external(),
            &mut Lifecycle::default(),
            Action::Rotate,
            t0()
        )),
        (
            "UnsupportedOperationException",
            "lifecycle.error.rotation-origin"
        )
    );
    let mut off = key();
    off.state = KeyState::Disabled;
    assert_eq!(
        err(apply(
            &mut off,
            &mut Lifecycle::default(),
            Action::Rotate,
            t0()
        )),
        ("DisabledException", "lifecycle.error.disabled")
    );
}

// Time passes in order: expiry, rotations and deletion interleave by time.
#[test]
fn waiting_sends_events_in_time_order_and_is_deterministic() {
    let run = || {
        let mut k = external();
        let mut life = Lifecycle::default();
        apply(&mut k, &mut life, Action::Import { days: Some(20) }, t0()).unwrap();
        apply(
            &mut k,
            &mut life,
            Action::ScheduleDeletion { days: Some(10) },
            t0(),
        )
        .unwrap();
        let c = apply(&mut k, &mut life, Action::Wait { days: 40 }, t0()).unwrap();
        (c, k.state)
    };
    let (c, state) = run();
    assert_eq!(c.now, t0().plus_days(40));
    assert_eq!(state, KeyState::Deleted);
    // The deletion at day 10 comes first; the material of a deleted key
    // does not expire afterwards.
    let kinds: Vec<_> = c
        .events
        .iter()
        .map(|e| (e.kind, (e.time.0 - t0().0) / DAY))
        .collect();
    assert_eq!(
        kinds,
        vec![(EventKind::Deletion, 10), (EventKind::Deletion, 10)]
    );
    let (again, _) = run();
    assert_eq!(c.events, again.events, "same inputs, same event ids");
}

// Seeds 002 and 000: what a transition means for each scenario.
#[test]
fn consequences_per_scenario() {
    use KeyState::*;
    let c = |s, b, a, e| consequences(s, b, a, e);
    assert!(c("cloudtrail-trail", Enabled, Disabled, None)
        .contains(&"lifecycle.consequence.trail.cannot-deliver"));
    assert!(c(
        "cloudtrail-trail",
        PendingDeletion,
        Deleted,
        Some(EventKind::Deletion)
    )
    .contains(&"lifecycle.consequence.deleted.unrecoverable"));
    assert!(c("cloudtrail-event-data-store", Enabled, Deleted, None)
        .contains(&"lifecycle.consequence.event-data-store.stops"));
    let connection = c("eventbridge-connection", Enabled, Disabled, None);
    assert!(connection.contains(&"lifecycle.consequence.connection.deauthorized"));
    assert!(connection.contains(&"lifecycle.consequence.connection.cache-note"));
    assert!(c("eventbridge-connection", Disabled, Enabled, None)
        .contains(&"lifecycle.consequence.connection.reauthorize"));
    assert!(c("eventbridge-connection", Enabled, Enabled, None).is_empty());
    let rotated = c(
        "eventbridge-connection",
        Enabled,
        Enabled,
        Some(EventKind::Rotation),
    );
    assert_eq!(
        rotated,
        [
            "lifecycle.consequence.connection.cache-note",
            "lifecycle.consequence.rotation.transparent"
        ]
    );
    assert!(c(
        "cloudtrail-trail",
        Enabled,
        Enabled,
        Some(EventKind::Rotation)
    )
    .iter()
    .all(|id| !id.contains("cannot-deliver")));
    assert!(c(
        "cross-account-readers",
        Enabled,
        PendingImport,
        Some(EventKind::MaterialExpiration)
    )
    .contains(&"lifecycle.consequence.pending-import.reimport"));
    assert!(c(
        "cloudtrail-trail",
        PendingDeletion,
        Deleted,
        Some(EventKind::Deletion)
    )
    .contains(&"lifecycle.consequence.deletion.duplicate"));
}

#[test]
fn actions_parse_from_their_names() {
    for name in Action::NAMES {
        assert!(Action::parse(name, Some(7)).is_some(), "{name}");
    }
    assert_eq!(
        Action::parse("schedule-deletion", Some(9)),
        Some(Action::ScheduleDeletion { days: Some(9) })
    );
    assert_eq!(Action::parse("explode", None), None);
}
