//! "Add to my policy": the scenario's statements merged into the policy
//! text, as JSON the page's main module reads.

use serde_json::{json, Value};

/// `kmsplay_lab::merge::merge` as JSON: `{"text", "added", "skipped"}`
/// (counts of statements added and left out as duplicates), or
/// `{"error": message id, "params": [[name, value]…]}`.
pub fn merge(policy_text: &str, statements: &[Value]) -> Value {
    match kmsplay_lab::merge::merge(policy_text, statements) {
        Ok(m) => json!({
            "text": m.text,
            "added": m.added.len(),
            "skipped": m.skipped_duplicates.len(),
            "filled": m.filled_in.len(),
        }),
        Err(e) => json!({
            "error": e.message_id(),
            "params": e.params.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_new_statements_and_skips_those_already_there() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        let existing: Value = serde_json::from_str(policy).unwrap();
        let new = json!({"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*"});
        let out = merge(policy, &[existing["Statement"][0].clone(), new]);
        assert_eq!(out["added"], 1, "{out}");
        assert_eq!(out["skipped"], 1, "{out}");
        let text = out["text"].as_str().unwrap();
        assert!(text.contains("cloudtrail.amazonaws.com"), "{text}");
    }

    #[test]
    fn a_broken_policy_is_an_error_with_its_message() {
        let out = merge("{\"Statement\": [", &[json!({"Effect": "Allow"})]);
        assert!(
            out["error"].as_str().unwrap().starts_with("diag.json-"),
            "{out}"
        );
        let out = merge("{}", &[json!(1)]);
        assert_eq!(out["error"], "merge.error.not-a-statement");
        assert_eq!(out["params"], json!([["index", "1"]]));
    }
}
