//! The names a scenario's file and its snippets share: the key's ARN, the
//! trail's, the roles' and the data perimeter's organization.

use super::params::Params;

/// `arn:aws:kms:REGION:ACCOUNT:key/ID` of the scenario's key.
pub fn key_arn(params: &Params) -> String {
    format!(
        "arn:aws:kms:{}:{}:key/{}",
        params.text("region"),
        params.text("key_account"),
        params.text("key_id")
    )
}

/// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
pub fn trail_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}")
}

/// A log file object in the trail's bucket, named as in seed 004's record.
pub fn log_object_arn(bucket: &str, account: &str, region: &str) -> String {
    format!(
        "arn:aws:s3:::{bucket}/AWSLogs/{account}/CloudTrail/{region}/2015/11/11/{account}_CloudTrail_{region}_20151111T2115Z_7JREEBimdK8d2nC9.json.gz"
    )
}

/// `arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`.
pub fn event_data_store_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{account}:eventdatastore/{id}")
}

/// The Secrets Manager secret EventBridge keeps a connection's
/// authorization in: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:events!connection/NAME/ID`.
pub fn connection_secret_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:events!connection/{name}/{id}")
}

/// The role seed 000 names for a connection in another account.
pub fn eventbridge_cross_account_role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/AmazonEventBridgeApiDestinationsInternalServiceRolePolicy")
}

/// `arn:aws:iam::ACCOUNT:root`.
pub fn root_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The endpoint of the data-perimeter scenario's request that comes
/// through a VPC endpoint other than the one the key policy names.
pub const OTHER_VPCE: &str = "vpce-0ffffffffffff";

/// The root of the data-perimeter scenario's organization.
pub const PERIMETER_ROOT: &str = "r-p3r1";

/// The OU the data-perimeter scenario's two member accounts sit in.
pub const PERIMETER_OU: &str = "ou-p3r1-workloads";

/// A role of the data-perimeter scenario.
pub fn perimeter_role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}
