//! Policies written as text: pretty with the documents' element order, or
//! compact, in the indentation and line ends of the text they go into.

use serde_json::Value;

/// Where a policy element goes: the order AWS's documents write them in
/// (unknown keys last).
fn rank(key: &str) -> usize {
    let order = || {
        kmsplay_policy::TOP_ELEMENTS
            .iter()
            .chain(kmsplay_policy::STATEMENT_ELEMENTS)
    };
    order().position(|k| *k == key).unwrap_or(order().count())
}

fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    members.sort_unstable_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
    members
}

/// Pretty JSON with two-space indentation and policy elements in the
/// documents' order (Sid, Effect, Principal, Action, Resource, Condition).
pub fn pretty(value: &Value) -> String {
    render(value, "", "  ", "\n")
}

/// Writes `value` as multi-line JSON whose first line starts where the
/// caller puts it and whose following lines start with `indent` plus one
/// `unit` per level; lines end with `eol`.
pub fn render(value: &Value, indent: &str, unit: &str, eol: &str) -> String {
    let mut out = String::new();
    write_pretty(value, indent, unit, eol, &mut out);
    out
}

fn write_pretty(value: &Value, indent: &str, unit: &str, eol: &str, out: &mut String) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            let inner = format!("{indent}{unit}");
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(eol);
                out.push_str(&inner);
                write_pretty(item, &inner, unit, eol, out);
            }
            out.push_str(eol);
            out.push_str(indent);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let inner = format!("{indent}{unit}");
            out.push('{');
            for (i, (k, v)) in ordered(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(eol);
                out.push_str(&inner);
                kmsplay_json::write_string(k, out);
                out.push_str(": ");
                write_pretty(v, &inner, unit, eol, out);
            }
            out.push_str(eol);
            out.push_str(indent);
            out.push('}');
        }
        other => write_compact(other, ": ", ", ", out),
    }
}

/// Writes `value` on one line, with `colon` after keys and `comma` between
/// members, policy elements in the documents' order.
pub fn compact(value: &Value, colon: &str, comma: &str) -> String {
    let mut out = String::new();
    write_compact(value, colon, comma, &mut out);
    out
}

fn write_compact(value: &Value, colon: &str, comma: &str, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => kmsplay_json::write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                write_compact(item, colon, comma, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in ordered(map).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                kmsplay_json::write_string(k, out);
                out.push_str(colon);
                write_compact(v, colon, comma, out);
            }
            out.push('}');
        }
    }
}
