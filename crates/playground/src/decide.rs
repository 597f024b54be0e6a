//! Deciding a file's requests: each request of a playground file as the
//! KMS request it makes, through the simulated KMS, with whether its
//! `expect` was met.

use crate::file::{PlaygroundFile, RequestSpec};
use kmsplay_kms::{authorize, authorize_for_trace, Authorization, KmsRequest, TraceInputs};

/// The result of one request of a file.
#[derive(Debug, Clone)]
pub struct RequestResult {
    /// The decision, outcome and explanation.
    pub authorization: Authorization,
    /// Whether the request's `expect` was met (None without one).
    pub expect_met: Option<bool>,
}

/// The KMS request a request of the file makes.
pub fn kms_request(spec: &RequestSpec) -> KmsRequest<'_> {
    KmsRequest {
        principal: &spec.principal,
        operation: spec.operation,
        key: spec.key.as_deref(),
        encryption_context: &spec.encryption_context,
        context: &spec.context,
        grant_tokens: &spec.grant_tokens,
        organization: None,
        session_policies: &spec.session_policies,
        vpc_endpoint: spec.vpc_endpoint.as_ref(),
    }
}

/// The KMS request a request of `file` makes, with the file's organization.
fn file_request<'a>(file: &'a PlaygroundFile, spec: &'a RequestSpec) -> KmsRequest<'a> {
    KmsRequest {
        organization: file.organization.as_ref(),
        ..kms_request(spec)
    }
}

/// Decides one request of `file`.
pub fn decide(file: &PlaygroundFile, spec: &RequestSpec, detail: bool) -> RequestResult {
    let authorization = authorize(
        &file.key,
        &file.identities,
        &file_request(file, spec),
        detail,
    );
    result(spec, authorization)
}

/// Decides one request of `file` as [`decide`] with `detail` does, but
/// leaves the statement traces to the writer: see
/// [`kmsplay_kms::authorize_for_trace`].
pub fn decide_for_trace(file: &PlaygroundFile, spec: &RequestSpec) -> (RequestResult, TraceInputs) {
    let (authorization, inputs) =
        authorize_for_trace(&file.key, &file.identities, &file_request(file, spec));
    (result(spec, authorization), inputs)
}

fn result(spec: &RequestSpec, authorization: Authorization) -> RequestResult {
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
