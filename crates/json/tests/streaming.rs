//! `parse_borrowed_streaming` hands out the items of one top-level array
//! and otherwise parses exactly as `parse_borrowed` does.

use kmsplay_json::borrowed::{Node, Value};
use kmsplay_json::{parse_borrowed, parse_borrowed_streaming, ParseError};

fn requests<'n, 'a>(root: &'n Node<'a>) -> Option<&'n Node<'a>> {
    match &root.value {
        Value::Object(members) => members
            .iter()
            .find(|m| m.key == "requests")
            .map(|m| &m.value),
        _ => None,
    }
}

fn streamed(text: &str) -> (Result<Node<'_>, ParseError>, Vec<String>) {
    let mut items = Vec::new();
    let root = parse_borrowed_streaming(text, "requests", &mut |item| {
        items.push(format!("{:?}", item));
    });
    (root, items)
}

/// Documents, valid and not: what is streamed and what is kept.
const CASES: &[&str] = &[
    r#"{"version": 1, "requests": [{"a": 1}, [2, 3], "x", {"b": {"c": [4]}}], "key": {}}"#,
    r#"{"requests": []}"#,
    r#"{"requests": [ ] , "z": null}"#,
    r#"{"requests": 5}"#,
    r#"{"other": [1, 2], "nested": {"requests": [1, 2]}}"#,
    r#"[{"requests": [1]}]"#,
    r#"{"requests": [1, 2,]}"#,
    r#"{"requests": [1 2]}"#,
    r#"{"requests": [1], "requests": [2]}"#,
    r#"{"requests": [{"a": tru}]}"#,
    r#"{"requests": [1, 2]"#,
    r#"{"requests": [1, 2]} trailing"#,
    "",
    "   ",
    r#"{"requests": ["\u00e9\n", "日本"]}"#,
];

#[test]
fn streaming_accepts_and_refuses_what_parse_borrowed_does() {
    for text in CASES {
        let whole = parse_borrowed(text);
        let (root, items) = streamed(text);
        match (&whole, &root) {
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            (Ok(whole), Ok(root)) => {
                // The items streamed are the array's, in order …
                let array = requests(whole);
                match array.map(|a| &a.value) {
                    Some(Value::Array(want)) => {
                        let want: Vec<String> = want.iter().map(|n| format!("{n:?}")).collect();
                        assert_eq!(items, want, "{text}");
                        // … and the tree keeps the array, emptied, in place.
                        let kept = requests(root).expect("still there");
                        assert_eq!(kept.span, array.expect("array").span, "{text}");
                        assert!(matches!(&kept.value, Value::Array(a) if a.is_empty()));
                    }
                    _ => {
                        assert!(items.is_empty(), "{text}");
                        assert_eq!(whole, root, "{text}");
                    }
                }
            }
            _ => panic!("{text}: {whole:?} vs {root:?}"),
        }
    }
}
