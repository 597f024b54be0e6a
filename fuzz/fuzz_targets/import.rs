//! `kmsplay import` (kmsplay-import): arbitrary bytes as one input, and the
//! same bytes split at the first NUL into two inputs (an AWS output beside
//! a CloudTrail record, say). Never a panic; an error names its input and
//! its span lies inside that input's text; every file built reads back as
//! a playground file.
#![no_main]

use kmsplay_import::{import, Input, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&x| x == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let sets: [&[Input<'_>]; 2] = [
        &[Input { name: "whole", bytes: data }],
        &[Input { name: "first", bytes: a }, Input { name: "second", bytes: b }],
    ];
    for inputs in sets {
        match import(inputs, &Options::default()) {
            Ok(imported) => {
                for f in &imported.files {
                    assert!(kmsplay_playground::read(&f.text).is_ok(), "{}", f.text);
                }
            }
            Err(e) => {
                let input = inputs.iter().find(|i| i.name == e.file).expect("names an input");
                // Spans are into the text after gzip: bounded by the
                // inflate limit for gzip, by the input otherwise.
                if let Some(s) = e.span {
                    let gzip = input.bytes.starts_with(&[0x1f, 0x8b]);
                    let max = if gzip { kmsplay_import::MAX_TEXT_BYTES } else { input.bytes.len() };
                    assert!(s.start <= s.end && s.end <= max, "{e:?}");
                }
            }
        }
    }
});
