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

/// `value` as compact JSON, as `serde_json::to_string` writes it (without
/// serde's serializer in the page's wasm, which needs only this).
pub fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write(value, None, 0, &mut out);
    out
}

/// `value` as JSON with two-space indentation, as
/// `serde_json::to_string_pretty` writes it.
pub fn json_pretty(value: &Value) -> String {
    let mut out = String::new();
    write(value, Some("  "), 0, &mut out);
    out
}

fn newline(indent: Option<&str>, depth: usize, out: &mut String) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    }
}

fn write(value: &Value, indent: Option<&str>, depth: usize, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => kmsplay_json::write_string(s, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                write(item, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                kmsplay_json::write_string(k, out);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write(v, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push('}');
        }
    }
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
        let tricky = serde_json::json!({
            "s": "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{7} del \u{7f} é 日本 \u{2028}",
            "n": [0, -1, 1.5, 1e300, 18446744073709551615u64],
            "e": [[], {}], "nested": {"a": [{"b": null}], "t": true}
        });
        assert_eq!(json_text(&tricky), serde_json::to_string(&tricky).unwrap());
        assert_eq!(
            json_pretty(&tricky),
            serde_json::to_string_pretty(&tricky).unwrap()
        );
        assert_eq!(json_value(r#"{"dup": 1, "dup": 2}"#), None);
        assert_eq!(json_value(""), None);
    }
}
