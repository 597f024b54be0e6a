//! The simulated AWS Key Management Service: keys, the operations
//! catalogue, grants, and the authorizer that decides a request from the
//! key policy, the caller's IAM policies and the key's grants, then lets the
//! key itself refuse what its state or spec cannot do.
#![deny(missing_docs)]

mod authorize;
pub mod catalogue;
pub mod chain;
pub mod grants;
mod key;
pub mod lifecycle;
pub mod records;
mod time;

pub use authorize::{
    authorize, authorize_for_trace, build_context, Authorization, CrossAccount, Decision, Detail,
    GrantTrace, GuardrailTrace, IdentityPolicyTrace, KmsRequest, NodeTrace, Outcome, Reason,
    Source, TraceInputs,
};
pub use chain::{Organization, PolicyType, VpcEndpoint};
pub use key::{
    grantee_matches, is_callers_identity, Grant, GrantConstraint, Identity, Key, KeyArnError,
    KeyReference,
};
