//! Changing one property of a playground file's key, as the page's key
//! panel does, with the rule that ties the properties together.

use serde_json::{Map, Value};

/// Sets the key's `name` (`state`, `spec`, `origin`, …) to `value` in the
/// file's `key` object. A new `spec` drops the `usage` the file gave: a
/// key's usage is chosen with its spec (an HMAC key cannot keep
/// `ENCRYPT_DECRYPT`), so the reader takes the spec's default usage again
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/create-keys.html>).
pub fn set_key_property(key: &mut Map<String, Value>, name: &str, value: &str) {
    key.insert(name.to_string(), Value::String(value.to_string()));
    if name == "spec" {
        key.remove("usage");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_spec_drops_the_usage_and_nothing_else_does() {
        let mut key = json!({"arn": "a", "spec": "SYMMETRIC_DEFAULT", "usage": "ENCRYPT_DECRYPT"})
            .as_object()
            .cloned()
            .unwrap();
        set_key_property(&mut key, "state", "Disabled");
        assert_eq!(key["usage"], "ENCRYPT_DECRYPT");
        assert_eq!(key["state"], "Disabled");
        set_key_property(&mut key, "spec", "HMAC_256");
        assert_eq!(key["spec"], "HMAC_256");
        assert!(key.get("usage").is_none());
    }

    /// What the rule is for: the file with the old usage and the new spec
    /// is refused, the file with the usage dropped reads.
    #[test]
    fn the_file_reads_after_a_spec_change() {
        let file = |key: &Map<String, Value>| {
            json!({"version": 1, "key": key, "requests": []}).to_string()
        };
        let mut key = json!({
            "arn": "arn:aws:kms:us-east-1:111111111111:key/k",
            "policy": {"Statement": []},
            "spec": "SYMMETRIC_DEFAULT",
            "usage": "ENCRYPT_DECRYPT"
        })
        .as_object()
        .cloned()
        .unwrap();
        let mut stale = key.clone();
        stale.insert("spec".into(), "HMAC_256".into());
        assert!(crate::read(&file(&stale)).is_err());
        set_key_property(&mut key, "spec", "HMAC_256");
        assert!(crate::read(&file(&key)).is_ok());
    }
}
