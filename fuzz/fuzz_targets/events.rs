//! EventBridge event patterns (kmsplay-events): arbitrary pattern text
//! matched against an arbitrary event. The input is the pattern, a NUL
//! byte, then the event JSON (a KMS key-deletion event when the rest is
//! not JSON). Errors and mismatches must point inside the pattern text.
#![no_main]

use kmsplay_events::Pattern;
use libfuzzer_sys::fuzz_target;

const DEFAULT_EVENT: &str = r#"{"version":"0","id":"e1","detail-type":"KMS CMK Deletion","source":"aws.kms",
"account":"111122223333","time":"2026-01-01T00:00:00Z","region":"us-west-2",
"resources":["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
"detail":{"key-id":"1234abcd-12ab-34cd-56ef-1234567890ab","count":3,"ok":true,"tags":[],"ip":"203.0.113.7"}}"#;

fuzz_target!(|data: &[u8]| {
    let (pattern, event) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(text) = std::str::from_utf8(pattern) else {
        return;
    };
    let event: serde_json::Value = serde_json::from_slice(event)
        .unwrap_or_else(|_| serde_json::from_str(DEFAULT_EVENT).expect("default event"));
    match Pattern::parse(text) {
        Ok(p) => {
            let matched = p.matches(&event);
            match p.explain(&event) {
                None => assert!(matched),
                Some(m) => {
                    assert!(!matched);
                    assert!(
                        m.span.start <= m.span.end && m.span.end <= text.len(),
                        "{m:?}"
                    );
                }
            }
        }
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{e:?}"
            );
        }
    }
});
