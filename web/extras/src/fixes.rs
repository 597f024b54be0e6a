//! The fixes offered for one request, as JSON the page's main module
//! renders, and applying the n-th of them.

use kmsplay_lab::fixes::{self, CulpritAnswer, FixAnswer};
use kmsplay_messages::Lang;
use serde::Serialize;

/// What could make a request get what it expects, and for an unwanted
/// allow, what lets it through: each in the shape `kmsplay fix --format
/// json` writes ([`FixAnswer`], [`CulpritAnswer`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// The fixes, in the order [`apply`] numbers them.
    pub fixes: Vec<FixAnswer>,
    /// The statements or grants behind an unwanted allow.
    pub culprits: Vec<CulpritAnswer>,
}

/// The [`Offer`] for request `index` of the playground file `file_text`,
/// its words in `lang`, as JSON: `{"fixes": [...], "culprits": [...]}`
/// (both empty for a file that cannot be read).
pub fn offer(file_text: &str, index: usize, lang: Lang) -> String {
    let culprits = match kmsplay_playground::read(file_text) {
        Ok(file) => fixes::explain_unwanted(file_text, index)
            .iter()
            .map(|c| CulpritAnswer::new(c, file_text, &file, lang))
            .collect(),
        Err(_) => Vec::new(),
    };
    let offer = Offer {
        fixes: fixes::suggest(file_text, index)
            .iter()
            .map(|f| FixAnswer::new(f, lang))
            .collect(),
        culprits,
    };
    serde_json::to_string(&offer).unwrap_or_default()
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
    use serde_json::{json, Value};

    fn offered(text: &str, index: usize) -> Value {
        serde_json::from_str(&offer(text, index, Lang::En)).unwrap()
    }

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
        let offered = offered(&text, index);
        let lab = fixes::suggest(&text, index);
        assert!(!lab.is_empty(), "a fix is offered");
        let list = offered["fixes"].as_array().unwrap();
        assert_eq!(list.len(), lab.len());
        for (json, fix) in list.iter().zip(&lab) {
            assert_eq!(json["code"], fix.code);
            assert_eq!(json["diff"], fix.diff.as_str());
            assert_eq!(json["params"].as_object().unwrap().len(), fix.params.len());
            assert_eq!(
                json,
                &serde_json::to_value(FixAnswer::new(fix, Lang::En)).unwrap()
            );
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
        let offered = offered(&text, 0);
        let fix = &offered["fixes"][0];
        assert_eq!(
            fix["target"],
            json!({"kind": "permissions_boundary", "path": "identities[0].permissions_boundary"})
        );
        assert!(apply(&text, 0, 0).is_some());
    }

    #[test]
    fn an_unwanted_allow_names_its_statement_as_the_command_line_does() {
        let mut doc: Value = serde_json::from_str(include_str!(
            "../../../tests/playground/bob-same-account.json"
        ))
        .unwrap();
        doc["requests"][0]["expect"] = json!("implicitDeny");
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let c = &offered(&text, 0)["culprits"][0];
        assert_eq!(c["code"], "key-policy-statement");
        assert_eq!(c["policy"], "key");
        assert!(
            c["message"]
                .as_str()
                .unwrap()
                .starts_with("Key policy statement #2"),
            "{c}"
        );
        let line = c["line"].as_u64().unwrap() as usize;
        assert_eq!(text.lines().nth(line - 1).unwrap().trim(), "{");
    }
}
