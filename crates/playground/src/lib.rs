//! The playground file: read it, run its requests through the simulated
//! KMS, and report the results as the JSON the command line, the wasm
//! package and the page share.
#![deny(missing_docs)]

pub mod answer;
mod decide;
mod file;
mod json_value;
mod key_edit;
pub mod lifecycle;
mod report;
mod stream;
mod words;

pub use answer::{ReportAnswer, RequestAnswer};
pub use decide::{decide, decide_for_trace, kms_request, run, RequestResult};
pub use file::{
    policy_kind, read, read_bytes, source_policy_of, valid_borrowed_request, valid_request, Expect,
    FileError, PlaygroundFile, PolicyDiagnostics, PolicySource, RequestSpec,
};
pub use json_value::{json_pretty, json_text, json_value, node_value};
pub use key_edit::set_key_property;
pub use report::{report_file, request_trace, simulate_json, Report};
pub use stream::{add_summary, empty_summary, read_streaming, tally, StreamedFile};
pub use words::{
    diagnostic_message, file_error_message, reason_params, reason_pieces, render_reason,
    source_field, source_policy, statement_label,
};
