//! Why the request space may miss requests.

use serde::Serialize;

/// Why the space may miss requests: a stable code (a message id under
/// `analysis.limit.`) and the key, variable or figure it is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Limit {
    /// `types`, `variable`, `patterns`, `sets`, `combinations`, `contexts`.
    pub code: &'static str,
    /// What it is about.
    pub subject: String,
}

impl Limit {
    /// A limit with its code and subject.
    pub fn new(code: &'static str, subject: impl Into<String>) -> Limit {
        Limit {
            code,
            subject: subject.into(),
        }
    }
}
