//! Analysis queries on two policies and an action: never panics, every
//! Fail's counterexample is decided by the engine as claimed.
#![no_main]

use kmsplay_analysis::{
    access_not_granted, allow_everything, lockout, no_new_access, no_public_access, who_can,
    Counterexample, Setting, Verdict, DEFAULT_KEY_ARN,
};
use kmsplay_kms::catalogue::OPERATIONS;
use kmsplay_kms::{authorize, Decision, Identity};
use kmsplay_policy::{parse_text, PolicyKind};
use libfuzzer_sys::fuzz_target;

fn allowed(s: &Setting, c: &Counterexample) -> bool {
    let mut identities = s.identities.clone();
    identities.extend(c.identities.iter().map(|i| Identity {
        arn: i["arn"].as_str().unwrap_or_default().to_string(),
        policies: vec![Some(allow_everything())],
        permissions_boundary: None,
    }));
    authorize(&s.key, &identities, &c.sample.request(s), false).decision == Decision::Allowed
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // OLD, a NUL byte, NEW, a NUL byte, and a byte that picks the action.
    let mut parts = text.splitn(3, '\0');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else { return };
    let pick = parts.next().and_then(|p| p.bytes().next()).unwrap_or(0) as usize;
    let setting = |t: &str| {
        parse_text(t, PolicyKind::Resource)
            .policy
            .and_then(|p| Setting::from_policy(DEFAULT_KEY_ARN, p))
    };
    let (Some(old), Some(new)) = (setting(a), setting(b)) else { return };
    let r = no_new_access(&old, &new);
    if r.result == Verdict::Fail {
        for c in &r.counterexamples {
            assert!(allowed(&new, c) && !allowed(&old, c), "{c:?}");
        }
    }
    let r = no_public_access(&new);
    if r.result == Verdict::Fail {
        for c in &r.counterexamples {
            assert!(allowed(&new, c), "{c:?}");
        }
    }
    let op = &OPERATIONS[pick % OPERATIONS.len()];
    let r = access_not_granted(&new, &[op], &[]);
    if r.result == Verdict::Fail {
        for c in &r.counterexamples {
            assert!(allowed(&new, c), "{c:?}");
        }
    }
    let r = lockout(&old);
    if let Some(w) = &r.witness {
        assert!(allowed(&old, w));
    }
    for c in who_can(&new, op).callers {
        assert!(allowed(&new, &c.example));
    }
});
