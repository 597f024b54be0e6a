//! The fixes offered for one request, as JSON the page's main module
//! renders, and applying the n-th of them.

use kmsplay_lab::fixes::{self, FixTarget};
use serde_json::{json, Value};

fn params(list: &[(&'static str, String)]) -> Value {
    Value::Array(list.iter().map(|(k, v)| json!([k, v])).collect())
}

/// What could make request `index` get what it expects, and for an unwanted
/// allow, what lets it through:
/// `{"fixes": [{code, target, params, diff}], "culprits": [{code, params}]}`,
/// `params` as `[name, value]` pairs for the message of the same code.
/// `target` is `key-policy`, `identity-policy`, or `layer` for a policy of
/// another layer of the evaluation chain, which then comes with `layer`
/// (its policy type code: `scp`, `rcp`, `permissions_boundary`,
/// `session_policy`, `vpc_endpoint_policy`) and `path` (where the file
/// holds it, e.g. `organization.scps.r-a1b2[0]`).
pub fn offer(file_text: &str, index: usize) -> Value {
    let list: Vec<Value> = fixes::suggest(file_text, index)
        .iter()
        .map(|f| {
            let mut o = json!({
                "code": f.code,
                "target": match f.target {
                    FixTarget::KeyPolicy => "key-policy",
                    FixTarget::IdentityPolicy { .. } => "identity-policy",
                    FixTarget::Layer(_) => "layer",
                },
                "params": params(&f.params),
                "diff": f.diff,
            });
            if let FixTarget::Layer(source) = &f.target {
                o["layer"] = json!(f.target.kind());
                o["path"] = json!(source.path());
            }
            o
        })
        .collect();
    let culprits: Vec<Value> = fixes::explain_unwanted(file_text, index)
        .iter()
        .map(|c| json!({ "code": c.code, "params": params(&c.params) }))
        .collect();
    json!({ "fixes": list, "culprits": culprits })
}

/// The playground file after the `n`-th fix `offer` lists for request
/// `index`, or `None` when it no longer applies (the text changed since).
pub fn apply(file_text: &str, index: usize, n: usize) -> Option<String> {
    let fix = fixes::suggest(file_text, index).into_iter().nth(n)?;
    fixes::apply(file_text, &fix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bob-same-account fixture, but expecting Bob's Encrypt (index 6)
    /// to be allowed: the key policy needs a change.
    fn file() -> String {
        let mut file: Value = serde_json::from_str(include_str!(
            "../../../tests/playground/bob-same-account.json"
        ))
        .unwrap();
        assert_eq!(file["requests"][6]["name"], "Bob cannot Encrypt");
        file["requests"][6]["expect"] = json!("allowed");
        file.to_string()
    }

    #[test]
    fn offers_the_same_fixes_as_the_lab_and_applies_the_chosen_one() {
        let text = file();
        let index = 6;
        let offered = offer(&text, index);
        let lab = fixes::suggest(&text, index);
        assert!(!lab.is_empty(), "a fix is offered");
        let list = offered["fixes"].as_array().unwrap();
        assert_eq!(list.len(), lab.len());
        for (json, fix) in list.iter().zip(&lab) {
            assert_eq!(json["code"], fix.code);
            assert_eq!(json["diff"], fix.diff.as_str());
            assert_eq!(json["params"].as_array().unwrap().len(), fix.params.len());
        }
        for (n, fix) in lab.iter().enumerate() {
            let applied = apply(&text, index, n);
            assert!(applied.is_some(), "fix {n} applies");
            assert_eq!(applied, fixes::apply(&text, fix).ok(), "fix {n}");
        }
        assert_eq!(apply(&text, index, lab.len()), None, "past the last fix");
    }

    #[test]
    fn a_fix_in_another_layer_is_a_layer_with_its_path() {
        let key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = json!({
            "version": 1,
            "identities": [ { "arn": "arn:aws:iam::111111111111:role/App",
                "policies": [ { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:*", "Resource": key } ] } ],
                "permissions_boundary": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*" } ] } } ],
            "key": { "arn": key, "policy": { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "kms:*", "Resource": "*" } ] } },
            "requests": [ { "name": "App decrypts", "principal": "arn:aws:sts::111111111111:assumed-role/App/s1",
                            "action": "kms:Decrypt", "expect": "allowed" } ]
        })
        .to_string();
        let offered = offer(&text, 0);
        let fix = &offered["fixes"][0];
        assert_eq!(fix["target"], "layer");
        assert_eq!(fix["layer"], "permissions_boundary");
        assert_eq!(fix["path"], "identities[0].permissions_boundary");
        assert!(apply(&text, 0, 0).is_some());
    }
}
