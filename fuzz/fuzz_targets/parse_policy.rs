//! Policy text of either kind: the parser must never panic, and every
//! diagnostic must point inside the text (the editor underlines it).
#![no_main]

use kmsplay_policy::{parse_text, PolicyKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Bytes that are not UTF-8 must be located, not crash the parser.
        let e = kmsplay_json::parse_bytes(data).expect_err("not UTF-8");
        assert!(e.span.start <= data.len());
        return;
    };
    for kind in [PolicyKind::Resource, PolicyKind::Identity] {
        let parsed = parse_text(text, kind);
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end, "{d:?}");
            assert!(
                d.span.end <= text.len(),
                "{d:?} past the end of {} bytes",
                text.len()
            );
        }
        if let Some(policy) = &parsed.policy {
            for st in &policy.statements {
                assert!(st.span.end <= text.len());
            }
        }
        // Positions are what people see: LineIndex must take any span.
        let index = kmsplay_json::LineIndex::new(text);
        for d in &parsed.diagnostics {
            let p = index.position(d.span.start);
            let _ = index.line_text(p.line);
        }
    }
});
