//! A template exercise file for instructors.

use kmsplay_messages::Lang;
use serde_json::{json, Value};

/// A template exercise file for instructors, explained in English.
pub fn new_template() -> String {
    new_template_in(Lang::En)
}

/// A template exercise file for instructors: a small but complete
/// exercise (it reads with [`parse`](super::parse)) whose `_comment` fields, in `lang`,
/// explain each part.
pub fn new_template_in(lang: Lang) -> String {
    let c = |id: &str| {
        Value::String(kmsplay_messages::text(
            lang,
            &format!("exercise.template.{id}"),
        ))
    };
    let key = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let root = json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
        "Action": "kms:*",
        "Resource": "*"
    });
    let bob = json!({
        "Sid": "Allow Bob to decrypt trail logs",
        "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::111111111111:user/Bob" },
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": { "Null": { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } }
    });
    let start_policy = json!({ "Version": "2012-10-17", "Statement": [root.clone()] });
    let solution_policy = json!({ "Version": "2012-10-17", "Statement": [root, bob] });
    let template = json!({
        "_comment": c("comment"),
        "id": "my-exercise",
        "level": "beginner",
        "_comment_level": c("level"),
        "title": "exercise.my-exercise.title",
        "brief": "exercise.my-exercise.brief",
        "_comment_messages": c("messages"),
        "scenario": "cloudtrail-trail",
        "_comment_scenario": c("scenario"),
        "editable": ["key_policy"],
        "_comment_editable": c("editable"),
        "_comment_start": c("start"),
        "start": {
            "version": 1,
            "key": {
                "arn": key,
                "policy": crate::snippets::pretty(&start_policy),
            },
            "identities": [
                { "arn": "arn:aws:iam::111111111111:user/Bob", "policies": [] }
            ]
        },
        "_comment_goals": c("goals"),
        "goals": [
            {
                "kind": "request",
                "request": {
                    "name": "Bob reads a trail log file",
                    "principal": "arn:aws:iam::111111111111:user/Bob",
                    "action": "kms:Decrypt",
                    "encryption_context": {
                        "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"
                    },
                    "context": { "kms:ViaService": "s3.us-west-2.amazonaws.com" }
                },
                "decision": "allowed",
                "text": "exercise.my-exercise.goal.1"
            },
            {
                "kind": "request",
                "request": {
                    "principal": "arn:aws:iam::111111111111:user/Bob",
                    "action": "kms:Encrypt"
                },
                "decision": "implicitDeny",
                "text": "exercise.my-exercise.goal.2"
            },
            {
                "kind": "rule",
                "rule": "no-statement-modified",
                "text": "exercise.my-exercise.goal.3"
            }
        ],
        "_comment_rules": c("rules"),
        "hints": ["exercise.my-exercise.hint.1", "exercise.my-exercise.hint.2"],
        "_comment_hints": c("hints"),
        "solution": {
            "key_policy": solution_policy,
        },
        "_comment_solution": c("solution"),
    });
    let mut out = serde_json::to_string_pretty(&template).unwrap_or_default();
    out.push('\n');
    out
}
