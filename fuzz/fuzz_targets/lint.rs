//! The linter on arbitrary text: as a key policy and as an identity policy,
//! for each scenario, and `lint_document` (which also reads playground
//! files). Findings must point inside the text they are about.
#![no_main]

use kmsplay_lab::findings::{lint_document, lint_text, LintContext};
use kmsplay_policy::PolicyKind;
use libfuzzer_sys::fuzz_target;

const SCENARIOS: [Option<&str>; 4] = [
    None,
    Some("cloudtrail-trail"),
    Some("cloudtrail-event-data-store"),
    Some("eventbridge-connection"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scenario = SCENARIOS[data
        .first()
        .map_or(0, |b| usize::from(*b) % SCENARIOS.len())];
    for kind in [PolicyKind::Resource, PolicyKind::Identity] {
        let ctx = LintContext {
            key: None,
            kind,
            scenario,
        };
        for f in lint_text(text, &ctx) {
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "{f:?}"
            );
            let _ = kmsplay_lab::findings::message(&f, kmsplay_messages::Lang::En);
            let _ = kmsplay_lab::findings::help(&f, kmsplay_messages::Lang::Ja);
        }
    }
    if let Ok(policies) = lint_document(text, scenario) {
        for p in policies {
            let len = p.text.as_ref().map_or(text.len(), String::len);
            for f in p.findings {
                assert!(f.span.start <= f.span.end && f.span.end <= len, "{f:?}");
            }
        }
    }
});
