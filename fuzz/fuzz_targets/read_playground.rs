//! Playground files as bytes: read them (invalid UTF-8 included) and run
//! every request with the full trace; read them for streaming too, which
//! must accept and refuse what the whole reader does and answer the same.
//! No input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        streaming_agrees(text);
    }
    match kmsplay_playground::read_bytes(data) {
        Ok(file) => {
            let fast = kmsplay_playground::run(&file, false);
            let traced = kmsplay_playground::run(&file, true);
            for (a, b) in fast.iter().zip(&traced) {
                // Deriving only the keys the policies read (the fast path)
                // must not change any decision.
                assert_eq!(a.authorization.decision, b.authorization.decision);
                assert_eq!(a.authorization.outcome, b.authorization.outcome);
            }
        }
        Err(e) => {
            assert!(e.span.start <= e.span.end);
            assert!(e.span.end <= data.len(), "{e:?}");
        }
    }
});

/// `read_streaming` errs exactly when `read` does, with the same error, and
/// a streamed file answers every request as the whole report does.
fn streaming_agrees(text: &str) {
    let lang = kmsplay_messages::Lang::En;
    match (
        kmsplay_playground::read_streaming(text),
        kmsplay_playground::simulate_json(text, lang, false),
    ) {
        (Err(a), Err(b)) => assert_eq!(a, b),
        (Ok(Some(file)), Ok(report)) => {
            let mut answers = Vec::new();
            let summary = file.answer_each(lang, false, &mut |r| answers.push(r));
            assert_eq!(answers, report.answer.results);
            assert_eq!(summary, report.answer.summary);
        }
        (Ok(None), Ok(_)) => {}
        (a, b) => panic!(
            "streaming {:?} vs whole {:?}",
            a.map(|f| f.map(|f| f.requests())),
            b.map(|r| r.all_met)
        ),
    }
}
