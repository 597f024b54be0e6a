//! Playground files as bytes: read them (invalid UTF-8 included) and run
//! every request with the full trace. No input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
