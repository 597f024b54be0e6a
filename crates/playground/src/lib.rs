//! The playground file: read it, run its requests through the simulated
//! KMS, and report the results as the JSON the command line, the wasm
//! package and the page share.
#![deny(missing_docs)]

mod file;
pub mod lifecycle;
mod report;

pub use file::{
    read, read_bytes, Expect, FileError, PlaygroundFile, PolicyDiagnostics, PolicySource,
    RequestSpec,
};
pub use report::{
    diagnostic_message, file_error_message, render_reason, report_file, request_json,
    simulate_json, statement_label, Report,
};

use kmsplay_kms::{authorize, Authorization, KmsRequest};

/// The result of one request of a file.
#[derive(Debug, Clone)]
pub struct RequestResult {
    /// The decision, outcome and explanation.
    pub authorization: Authorization,
    /// Whether the request's `expect` was met (None without one).
    pub expect_met: Option<bool>,
}

/// Decides one request of `file`.
pub fn decide(file: &PlaygroundFile, spec: &RequestSpec, detail: bool) -> RequestResult {
    let req = KmsRequest {
        principal: &spec.principal,
        operation: spec.operation,
        key: spec.key.as_deref(),
        encryption_context: &spec.encryption_context,
        context: &spec.context,
        grant_tokens: &spec.grant_tokens,
    };
    let authorization = authorize(&file.key, &file.identities, &req, detail);
    let expect_met = spec
        .expect
        .map(|e| e.met(authorization.decision, authorization.outcome));
    RequestResult {
        authorization,
        expect_met,
    }
}

/// Decides every request of `file`, in order.
pub fn run(file: &PlaygroundFile, detail: bool) -> Vec<RequestResult> {
    file.requests
        .iter()
        .map(|r| decide(file, r, detail))
        .collect()
}
