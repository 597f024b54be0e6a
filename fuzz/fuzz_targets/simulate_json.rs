//! The whole report path (what `kmsplay simulate --format json` and the
//! page run): read, decide with traces, render every message in both
//! languages.
#![no_main]

use kmsplay_messages::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lang in [Lang::En, Lang::Ja] {
        match kmsplay_playground::simulate_json(text, lang, true) {
            Ok(report) => {
                let _ = serde_json_len(&report.json());
            }
            Err(e) => {
                let _ = kmsplay_playground::file_error_message(&e, lang);
            }
        }
    }
    let _ = kmsplay_playground::request_trace(text, 0, Lang::En);
});

fn serde_json_len(v: &impl std::fmt::Display) -> usize {
    v.to_string().len()
}
