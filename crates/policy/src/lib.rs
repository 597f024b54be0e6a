//! The IAM JSON policy language, knowing nothing of KMS.
//!
//! Text goes in ([`parse_text`]), a typed [`Policy`] with the source span of
//! every part comes out together with [`Diagnostic`]s, and [`evaluate`]
//! decides it against a [`Request`] — or [`trace`] explains the decision
//! statement by statement, condition by condition.
//!
//! ```
//! use kmsplay_policy::*;
//! let parsed = parse_text(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
//!   "Principal":{"AWS":"arn:aws:iam::111111111111:user/Bob"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
//!   PolicyKind::Resource);
//! let policy = parsed.policy.unwrap();
//! let bob = Principal::parse("arn:aws:iam::111111111111:user/Bob").unwrap();
//! let ctx = RequestContext::new();
//! let request = Request { principal: &bob, action: "kms:decrypt", resource: "arn:aws:kms:us-west-2:111111111111:key/k", context: &ctx };
//! assert_eq!(evaluate(&policy, &request, false).allow_direct, Some(0));
//! ```
#![deny(missing_docs)]

pub mod arn;
mod ast;
mod context;
mod diagnostic;
mod eval;
mod parse;
pub mod values;
mod variables;
pub mod wildcard;

pub use ast::*;
pub use context::{
    is_account_id, AwsPrincipal, AwsPrincipalKind, ContextValue, Principal, Request, RequestContext,
};
pub use diagnostic::{Diagnostic, Severity};
pub use eval::{
    applies, condition_holds, evaluate, first_unmet_condition, request_values, statement_applies,
    statement_parts, trace, trace_statement, trace_statement_as, ConditionTrace, PolicyVerdict,
    PrincipalMatch, StatementTrace,
};
pub use kmsplay_json::Span;
pub use parse::{
    parse_node, parse_text, parse_tree, ParsedPolicy, PolicyKind, KEY_POLICY_MAX_BYTES,
    ORGANIZATION_POLICY_MAX_CHARS, STATEMENT_ELEMENTS, TOP_ELEMENTS,
};
pub use variables::Template;
