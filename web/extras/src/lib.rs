//! The page's second module: what the page needs only when someone asks
//! for it — the key's lifecycle, grant calls, EventBridge rules, CloudTrail
//! records, the exercises, the "Import from AWS" room, the fixes offered for a failing request, adding a scenario's
//! statements to the policy (and working those statements out), and writing share
//! links (deflate's tables are most of the cost; reading a link stays in
//! the main module, which uses [`share::decode`] from this crate).
//!
//! It is a wasm file of its own (`kmsplay-web-extras_bg.wasm`), loaded on
//! first use or soon after the first render, so the wasm every visitor
//! waits for holds only what re-decides the page on each keystroke. The
//! page's main module talks to it in text: playground files in, JSON out
//! (see `web/src/extras.rs`); [`calls`] declares every call once. These
//! are pure functions, tested natively.

pub mod aws_import;
pub mod calls;
pub mod checks;
pub mod checks_room;
pub mod exercises;
pub mod fixes;
pub mod lifecycle;
pub mod lifecycle_room;
pub mod merge;
pub mod room;
pub mod rooms;
pub mod share;
pub mod snippet;
