//! The source documents' scenarios as parameterized simulations.
//!
//! Each [`Scenario`] is data: typed parameters with defaults taken from the
//! documents (one source of truth that the page renders as a form), and the
//! kinds of request the scenario makes, each with a plain-words purpose and
//! the consequence of its failure as message ids. [`build`] turns a scenario,
//! its [`Params`] and the key policy a user pasted into a playground file
//! (`shared/spec/playground-file.md`); [`run`] decides every request with the
//! engine and says which ones fail.
//!
//! Sources: seed 002 (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>),
//! seed 004 (<https://docs.aws.amazon.com/kms/latest/developerguide/services-cloudtrail.html>),
//! seed 000 (<https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html>)
//! the console's default key policy
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>)
//! and the data perimeter of the KMS RCP page
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).

mod build;
mod catalogue;
mod describe;
mod names;
mod params;
mod run;

pub use build::{build, build_file};
pub use catalogue::{catalogue, scenario, Param, ParamKind, RequestKind, Scenario};
pub use describe::{catalogue_json, scenario_json};
pub use names::{
    connection_secret_arn, event_data_store_arn, eventbridge_cross_account_role, key_arn,
    log_object_arn, perimeter_role, root_arn, trail_arn, OTHER_VPCE, PERIMETER_OU, PERIMETER_ROOT,
};
pub use params::{ParamError, ParamValue, Params};
pub use run::{run, RequestOutcome, ScenarioRun, Verdict};
