//! JSON text read by the engine's own parser into a `serde_json` value.
//!
//! The page's wasm carries `kmsplay_json` for every keystroke anyway;
//! reading with it instead of `serde_json::from_str` keeps serde's
//! deserializer (about 15 KB of wasm) out of the page's main module.

use kmsplay_json::{Node, Value as Json};
use serde_json::{Map, Number, Value};

/// Parses `text` as JSON (object members in their written order), or None
/// when it is not JSON — or has a duplicate member, which the playground
/// file and IAM refuse too (`serde_json` would keep the last).
pub fn json_value(text: &str) -> Option<Value> {
    kmsplay_json::parse(text).ok().map(|n| node_value(&n))
}

/// A parsed node as a `serde_json` value.
pub fn node_value(node: &Node) -> Value {
    match &node.value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => number(n),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(node_value).collect()),
        Json::Object(members) => {
            let mut map = Map::new();
            for m in members {
                map.insert(m.key.clone(), node_value(&m.value));
            }
            Value::Object(map)
        }
    }
}

/// A number as written: an integer when it is one, else a float; text
/// that no float holds (out of range) stays text.
pub fn number(n: &str) -> Value {
    if let Ok(i) = n.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Ok(u) = n.parse::<u64>() {
        return Value::Number(u.into());
    }
    n.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(n.to_string()), Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_serde_json_does() {
        for text in [
            r#"{"a": [1, -2, 3.5, 1e3, true, false, null, "x\u00e9\n"], "b": {"c": {}}}"#,
            r#"[18446744073709551615, -9223372036854775808, 0.1]"#,
            r#""just a string""#,
        ] {
            let ours = json_value(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        assert_eq!(json_value("{nope"), None);
        assert_eq!(json_value(r#"{"dup": 1, "dup": 2}"#), None);
        assert_eq!(json_value(""), None);
    }
}
