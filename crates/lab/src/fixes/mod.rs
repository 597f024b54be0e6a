//! Fixes for failing requests, and the statements behind unwanted passes.
//!
//! For a request that should be allowed but is not, [`suggest`] proposes
//! the smallest policy changes that let it through, each as the new text of
//! one policy and a line diff. Every candidate is checked by running the
//! engine on the whole playground file with the change applied: the request
//! must now pass, and no request whose `expect` was met before may stop
//! meeting it; candidates that fail either test are dropped.
//!
//! What is proposed follows the documents:
//! - cross account, one half missing: the other half — an IAM policy
//!   statement of the caller naming the key ARN, or a key policy statement
//!   allowing the caller's account root
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>);
//! - same account, an IAM policy allows but the key policy does not let IAM
//!   policies count: a statement naming the caller first (least privilege),
//!   the "Enable IAM User Permissions" statement as the alternative
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>);
//! - a service principal: a statement for the service and the action with
//!   `aws:SourceArn` (or `aws:SourceAccount`) from the request, as the
//!   CloudTrail document recommends, and encryption-context conditions;
//! - an IAM user or role: a statement naming it (a role session by its
//!   role's ARN) with conditions on the request's encryption context, so the
//!   change is no broader than needed (for CloudTrail logs the documents'
//!   `StringLike` / `Null … "false"` forms, since every log file has its
//!   own `aws:s3:arn`);
//! - a statement whose condition fails is never edited (seed 002: "do not
//!   change any existing sections"): a new narrow statement is added, and
//!   the fix says which condition blocked the request.
//!
//! An explicit deny is never worked around: the fix only names the Deny
//! statement (no new text). Key-policy additions go through
//! [`crate::merge::merge`], so every byte the user wrote stays.
//!
//! The layer at fault may be another one of the evaluation chain
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>);
//! the fix then changes that layer's policy ([`FixTarget::Layer`]):
//! - no SCP at a node from the root down to the caller's account allows the
//!   action: an Allow for it in the SCP at that node
//!   (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>);
//! - the permissions boundary or the session policies allow nothing that
//!   covers the call: a statement for the action on the key in the boundary
//!   or the first session policy
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>);
//! - the VPC endpoint's policy does not allow it: a statement for the caller
//!   and the action on the key in the endpoint policy
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html>);
//! - an explicit deny in any of these (an RCP's included) is a guardrail:
//!   the fix only explains it, naming the statement and the condition the
//!   caller fails; for the identity-perimeter RCP of the KMS RCP page and a
//!   caller outside the organization it also offers the exception that page
//!   suggests for business partners, `aws:PrincipalAccount` in the Deny's
//!   negated block
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).
//!
//! When fixing the layer at fault leaves another layer refusing the call,
//! that layer's fix comes with it (`also`), so the whole chain is checked.
//!
//! Every front end writes fixes and culprits as [`FixAnswer`] and
//! [`CulpritAnswer`] (one typed shape, `serde::Serialize`).
mod answer;
mod apply;
mod diff;
mod locate;
mod model;
mod placeholders;
mod suggest;
mod unwanted;

pub use answer::{
    culprit_message, culprit_text, fix_detail, fix_title, positions, CulpritAnswer, FixAnswer,
    Params, SpanPlace, TargetAnswer,
};
pub use apply::{apply, is_subsequence};
pub use diff::line_diff;
pub use model::{layer_type, problem, Culprit, Fix, FixTarget, Problem};
pub use suggest::suggest;
pub use unwanted::explain_unwanted;

#[cfg(test)]
mod tests {
    use super::apply::*;
    use super::diff::*;
    use serde_json::json;

    #[test]
    fn diff_of_an_insertion() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\ne\nX\nY\nf\ng\nh\n";
        assert_eq!(
            line_diff(old, new, 0),
            "@@ -3,6 +3,8 @@\n c\n d\n e\n+X\n+Y\n f\n g\n h\n"
        );
        // File line numbers for a policy that starts on line 10.
        assert!(line_diff(old, new, 9).starts_with("@@ -12,6 +12,8 @@\n"));
    }

    #[test]
    fn diff_of_a_new_text_and_a_change() {
        assert_eq!(line_diff("", "{\n}", 0), "@@ -0,0 +1,2 @@\n+{\n+}\n");
        assert_eq!(
            line_diff("a\nb\nc", "a\nB\nc", 0),
            "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(line_diff("same", "same", 0), "");
        // Two changes far apart make two hunks.
        let old: String = (0..20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("17\n", "seventeen\n");
        let d = line_diff(&old, &new, 0);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }

    #[test]
    fn subsequences() {
        assert!(is_subsequence("ace", "abcde"));
        assert!(!is_subsequence("aec", "abcde"));
        assert!(is_subsequence("", "x"));
    }

    #[test]
    fn new_members_and_items_follow_the_style() {
        let text = "{\n  \"version\": 1,\n  \"identities\": []\n}";
        let root = kmsplay_json::parse(text).unwrap();
        let (at, s) = append_item(text, root.get("identities").unwrap(), &json!({"arn": "x"}));
        let mut out = text.to_string();
        out.insert_str(at, &s);
        assert_eq!(
            out,
            "{\n  \"version\": 1,\n  \"identities\": [\n    {\n      \"arn\": \"x\"\n    }\n  ]\n}"
        );
        let (at, s) = add_member(text, &root, "requests", &json!([]));
        let mut out = text.to_string();
        out.insert_str(at, &s);
        assert!(
            out.ends_with("\"identities\": [],\n  \"requests\": []\n}"),
            "{out}"
        );
        let one_line = r#"{"a": [1]}"#;
        let root = kmsplay_json::parse(one_line).unwrap();
        let (at, s) = append_item(one_line, root.get("a").unwrap(), &json!(2));
        let mut out = one_line.to_string();
        out.insert_str(at, &s);
        assert_eq!(out, r#"{"a": [1, 2]}"#);
    }
}
