//! Prints every report of the benchmark's policies and of a few changes
//! to them (JSON, one line each, `requests_tried` left out), so that two
//! builds can be compared answer for answer:
//!
//! ```sh
//! cargo run --profile bench -p kmsplay-analysis --example reports > after.txt
//! ```

#[path = "../benches/common/mod.rs"]
mod common;
use kmsplay_analysis::*;
/// Every check, forward and backward, on each change.
fn main() {
    let old_t = common::big_policy(32 * 1024, false);
    let variants = [
        ("new", common::big_policy(32 * 1024, true)),
        ("ctx", common::contexts_changed(&old_t)),
        ("via", old_t.replace("s3.us-east-1.amazonaws.com", "s3.*.amazonaws.com").replace(r#""StringEquals":{"kms:ViaService""#, r#""StringLike":{"kms:ViaService""#)),
        ("root", old_t.replace(r#""Action":"kms:*""#, r#""Action":["kms:Describe*","kms:Put*","kms:Get*","kms:List*","kms:Create*","kms:Enable*","kms:Disable*"]"#)),
    ];
    let old = common::setting(&old_t);
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").unwrap();
    let put = kmsplay_kms::catalogue::operation("PutKeyPolicy").unwrap();
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("requests_tried");
        v
    };
    for (name, text) in &variants {
        let new = common::setting(text);
        println!(
            "{name} nna {}",
            strip(serde_json::to_value(no_new_access(&old, &new)).unwrap())
        );
        println!(
            "{name} nna-rev {}",
            strip(serde_json::to_value(no_new_access(&new, &old)).unwrap())
        );
        println!(
            "{name} public {}",
            strip(serde_json::to_value(no_public_access(&new)).unwrap())
        );
        println!(
            "{name} lockout {}",
            strip(serde_json::to_value(lockout(&new)).unwrap())
        );
        println!(
            "{name} ang {}",
            strip(serde_json::to_value(access_not_granted(&new, &[decrypt, put], &[])).unwrap())
        );
        println!(
            "{name} who {}",
            serde_json::to_value(who_can(&new, decrypt)).unwrap()
        );
        println!(
            "{name} who-put {}",
            serde_json::to_value(who_can(&new, put)).unwrap()
        );
    }
}
