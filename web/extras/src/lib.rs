//! The page's second module: what the page needs only when someone asks
//! for it — the key's lifecycle, grant calls, EventBridge rules, CloudTrail
//! records and the fixes offered for a failing request.
//!
//! It is a wasm file of its own (`kmsplay-web-extras_bg.wasm`), loaded on
//! first use or soon after the first render, so the wasm every visitor
//! waits for holds only what re-decides the page on each keystroke. The
//! page's main module talks to it in text: playground files in, JSON out
//! (see `web/src/extras.rs`). These are pure functions, tested natively.

pub mod fixes;
pub mod lifecycle;
