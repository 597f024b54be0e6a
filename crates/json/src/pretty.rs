//! Compact JSON text re-indented as `serde_json`'s pretty writer lays it
//! out (two spaces, `"key": value`, `[]` and `{}` when empty), starting at
//! a given depth: a long report can then be written item by item, each
//! item written compact by a fast writer and laid out here, with the bytes
//! of the whole report pretty-printed at once.

/// Appends `compact` (JSON text with no white space outside its strings,
/// as a compact writer gives it) to `out`, laid out as `serde_json`'s
/// pretty writer would lay it out at nesting depth `depth` (the first line
/// is not indented: it continues the line `out` ends with).
pub fn write_pretty(compact: &str, depth: usize, out: &mut Vec<u8>) {
    let bytes = compact.as_bytes();
    out.reserve(bytes.len() + bytes.len() / 2);
    let mut depth = depth;
    let mut i = 0;
    // A line break and the indentation of up to 16 levels at once.
    const BREAK: &[u8; 33] = b"\n                                ";
    let newline = |out: &mut Vec<u8>, depth: usize| {
        let width = 2 * depth;
        if width < BREAK.len() {
            out.extend_from_slice(&BREAK[..=width]);
        } else {
            out.push(b'\n');
            out.resize(out.len() + width, b' ');
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Copy the string whole, escapes included, runs of plain
                // characters eight bytes at a time.
                let start = i;
                i += 1;
                loop {
                    i += crate::plain_prefix_len(&bytes[i..]);
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') | None => break,
                        // A control character: not in compact JSON text,
                        // copied as it is.
                        Some(_) => i += 1,
                    }
                }
                i = (i + 1).min(bytes.len());
                out.extend_from_slice(&bytes[start..i]);
                continue;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                if bytes.get(i + 1) == Some(&close) {
                    out.extend_from_slice(&[open, close]);
                    i += 2;
                    continue;
                }
                out.push(open);
                depth += 1;
                newline(out, depth);
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(close);
            }
            b',' => {
                out.push(b',');
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => {
                // A number or a literal: up to the next structural byte.
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']' | b':' | b'"') {
                    i += 1;
                }
                out.extend_from_slice(&bytes[start..i]);
                continue;
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::write_pretty;

    /// The same layout as `serde_json::to_string_pretty`, checked by hand
    /// here (the crate has no dependencies) and against serde_json in the
    /// playground crate's tests.
    #[test]
    fn lays_out_as_serde_json_pretty() {
        let cases = [
            ("{}", "{}"),
            ("[]", "[]"),
            ("1", "1"),
            ("\"a,b:{}[]\\\"\"", "\"a,b:{}[]\\\"\""),
            (
                r#"{"a":[1,true,null],"b":{},"c":[],"d":{"e":"x"}}"#,
                "{\n  \"a\": [\n    1,\n    true,\n    null\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": \"x\"\n  }\n}",
            ),
        ];
        for (compact, want) in cases {
            let mut out = Vec::new();
            write_pretty(compact, 0, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{compact}");
        }
        let mut out = Vec::new();
        write_pretty(r#"{"a":1}"#, 2, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\n      \"a\": 1\n    }");
    }
}
