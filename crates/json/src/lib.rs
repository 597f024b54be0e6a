//! A small JSON parser that remembers where everything came from.
//!
//! `serde_json` throws positions away once a value is built, but the
//! playground must underline the exact statement, key or value a finding is
//! about, in the text the user pasted. This crate parses JSON (RFC 8259) into
//! a tree whose every node carries its byte [`Span`], reports errors with a
//! code and a span, refuses duplicate object keys (IAM rejects them too), and
//! bounds nesting depth so no input can exhaust the stack.
#![deny(missing_docs)]

pub mod borrowed;
mod escape;
mod lines;
mod parse;
mod pretty;
mod tree;

pub use escape::{plain_prefix_len, write_string, write_string_content};
pub use lines::{sort_by_offsets, LineIndex, Position};
pub use parse::{
    parse, parse_borrowed, parse_borrowed_streaming, parse_bytes, ErrorKind, Expected, ParseError,
    MAX_DEPTH,
};
pub use pretty::write_pretty;
pub use tree::{JsonMember, JsonNode, Member, Node, Span, Value, View};

#[cfg(test)]
mod tests {
    #[test]
    fn sort_by_offsets_is_a_stable_sort() {
        let mut items: Vec<(usize, usize, char)> = vec![
            (5, 9, 'a'),
            (1, 2, 'b'),
            (5, 9, 'c'),
            (1, 1, 'd'),
            (5, 7, 'e'),
            (1, 2, 'f'),
        ];
        let mut want = items.clone();
        want.sort_by_key(|t| (t.0, t.1));
        super::sort_by_offsets(&mut items, |t| (t.0, t.1));
        assert_eq!(items, want);
        let mut empty: Vec<(usize, usize, char)> = Vec::new();
        super::sort_by_offsets(&mut empty, |t| (t.0, t.1));
        assert!(empty.is_empty());
    }

    use super::*;

    fn err(text: &str) -> (String, usize) {
        let e = parse(text).unwrap_err();
        (e.kind.code().to_string(), e.span.start)
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b": "x\ny\u00e9\ud83d\ude00"} "#;
        let node = parse(text).unwrap();
        assert_eq!(node.span, Span::new(1, text.len() - 1));
        let a = node.get("a").unwrap();
        assert_eq!(&text[a.span.start..a.span.end], "[1, -2.5e3, true, null]");
        assert_eq!(node.get("b").unwrap().as_str(), Some("x\nyé😀"));
        let members = node.as_object().unwrap();
        assert_eq!(
            &text[members[1].key_span.start..members[1].key_span.end],
            "\"b\""
        );
    }

    #[test]
    fn errors_name_code_and_place() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "json-empty", 0),
            ("   \n ", "json-empty", 0),
            ("{", "json-unexpected-end", 1),
            ("{\"a\" 1}", "json-unexpected-char", 5),
            ("{} x", "json-trailing-characters", 3),
            ("[01]", "json-invalid-number", 1),
            ("[1.]", "json-invalid-number", 1),
            ("[-]", "json-invalid-number", 1),
            ("\"\\x\"", "json-invalid-escape", 1),
            ("\"\\ud800\"", "json-invalid-escape", 1),
            ("\"a\nb\"", "json-control-character", 2),
            ("\"a\0b\"", "json-control-character", 2),
            ("{\"a\":1,\"a\":2}", "json-duplicate-key", 7),
            ("[1,]", "json-unexpected-char", 3),
            ("{\"a\":1,}", "json-unexpected-char", 7),
            ("tru", "json-unexpected-end", 3),
            ("nul!", "json-unexpected-char", 3),
            ("'a'", "json-unexpected-char", 0),
        ];
        for &(text, code, at) in cases {
            assert_eq!(err(text), (code.to_string(), at), "input {text:?}");
            assert_eq!(parse_borrowed(text).err(), parse(text).err(), "{text:?}");
        }
    }

    #[test]
    fn the_borrowed_tree_is_the_owned_one() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(!texts.is_empty());
        texts.extend(
            [
                r#"{"a\n\u00e9\ud83d\ude00": ["x\"y", 1.5e3, -0, true, false, null, {}, []]}"#,
                r#"  "plain"  "#,
                "[[[[1]]], {\"k\": {\"k\": \"v\"}}]",
            ]
            .map(String::from),
        );
        for text in &texts {
            let owned = parse(text).unwrap();
            let borrowed = parse_borrowed(text).unwrap();
            assert_eq!(borrowed.to_owned_node(), owned);
            // Strings without escapes point into the text.
            fn no_copies(n: &borrowed::Node<'_>) -> bool {
                use std::borrow::Cow;
                match &n.value {
                    borrowed::Value::String(s) => {
                        matches!(s, Cow::Borrowed(_))
                            || s.contains(['"', '\\', '\n', '\u{e9}', '\u{1f600}'])
                    }
                    borrowed::Value::Array(items) => items.iter().all(no_copies),
                    borrowed::Value::Object(members) => members.iter().all(|m| no_copies(&m.value)),
                    _ => true,
                }
            }
            assert!(no_copies(&borrowed), "{text}");
        }
    }

    #[test]
    fn depth_is_bounded_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep).0, "json-too-deep");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.span.start, 7);
    }

    #[test]
    fn huge_numbers_are_kept_as_written() {
        let n = parse("123456789012345678901234567890e999").unwrap();
        assert_eq!(n.scalar_text(), Some("123456789012345678901234567890e999"));
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\n日本語x\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x), Position { line: 2, column: 4 });
        assert_eq!(idx.line_text(2), "日本語x");
        assert_eq!(idx.position(text.len()), Position { line: 3, column: 2 });
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn writes_back_compact_json() {
        let n = parse("{ \"a\" : [ 1 , \"q\\\"\" ] }").unwrap();
        assert_eq!(n.to_json(), r#"{"a":[1,"q\""]}"#);
        for text in [
            r#"{ "a" : [ 1 , "q\"", null, true, false, {}, [] ], "k\u0001\\": "\n\t\r\u001f日本" }"#,
            "[]",
            "\"\"",
            "-1.5e3",
        ] {
            let n = parse(text).unwrap();
            assert_eq!(n.json_len(), n.to_json().len(), "{text}");
        }
    }

    #[test]
    fn plain_prefix_stops_at_the_first_byte_to_escape() {
        let base = "abcdefghijklmnopqrstuvwxyz日本語 0123456789";
        for at in 0..=base.len() {
            if !base.is_char_boundary(at) {
                continue;
            }
            for special in ["\"", "\\", "\n", "\u{0}", "\u{1f}"] {
                let text = format!("{}{special}{}", &base[..at], &base[at..]);
                assert_eq!(plain_prefix_len(text.as_bytes()), at, "{text:?}");
            }
        }
        assert_eq!(plain_prefix_len(base.as_bytes()), base.len());
        assert_eq!(plain_prefix_len(b"\x7f\x20 ~"), 4);
        // Bytes just past the first special one, which the eight-byte test
        // may flag as well (a borrow), do not move the answer.
        for at in 0..16 {
            let mut bytes = vec![b'a'; 24];
            bytes[at] = b'"';
            bytes[at + 1] = 0x01;
            bytes[at + 2] = b'"' ^ 0x01;
            bytes[at + 3] = 0x21;
            assert_eq!(plain_prefix_len(&bytes), at);
        }
    }

    #[test]
    fn writes_strings_as_json_escapes_them() {
        for s in [
            "",
            "plain",
            "q\"uote\\",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}x",
            "日本語 ✓ and a long tail",
        ] {
            let mut out = String::new();
            write_string(s, &mut out);
            let parsed = parse(&out).unwrap();
            assert_eq!(parsed.as_str(), Some(s), "{out}");
        }
        let mut out = String::new();
        write_string("\u{1}\u{8}\u{c}", &mut out);
        assert_eq!(out, r#""\u0001\u0008\u000c""#);
    }
}
