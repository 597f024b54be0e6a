//! The playground's knowledge on top of the engine: the scenarios of the
//! source documents as parameterized simulations, the statements each one
//! needs (generated for the user's own names and merged into a pasted
//! policy without touching what is there), fixes for failing requests, and
//! findings that catch mistakes before AWS does.
//!
//! Everything here speaks in codes with parameters; the message catalogues
//! turn them into words.
#![deny(missing_docs)]

#[cfg(feature = "analysis")]
pub mod checks;
pub mod exercises;
pub mod findings;
pub mod fixes;
mod placeholders;
pub mod scenarios;
pub mod snippets;
pub mod user_key;

/// Merging statements into a pasted policy (`snippets::merge`), at its
/// old path.
pub use snippets::merge;
