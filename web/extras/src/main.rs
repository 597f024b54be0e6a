//! The page's second module as wasm: every call of
//! `kmsplay_web_extras::with_calls!` exported for `web/src/extras.rs` to
//! call (text in, text out). Built by Trunk next to the main module
//! (`index.html`), never loaded by itself.

kmsplay_web_extras::export_calls!();

fn main() {}
