//! Hostile and broken input: every one must give a clear error code at a
//! place a person can find (byte span, then line and column), never a
//! panic, a stack overflow or a hang.

use kmsplay_json::{parse, parse_bytes, ErrorKind, LineIndex, Position, Value, MAX_DEPTH};

/// The error's code, start byte, and 1-based line and column.
fn error_at(text: &str) -> (&'static str, usize, usize, usize) {
    let e = parse(text).expect_err("must be refused");
    assert!(
        e.span.start <= e.span.end && e.span.end <= text.len(),
        "{e:?}"
    );
    let Position { line, column } = LineIndex::new(text).position(e.span.start);
    (e.kind.code(), e.span.start, line, column)
}

#[test]
fn empty_and_blank_input() {
    assert_eq!(error_at(""), ("json-empty", 0, 1, 1));
    assert_eq!(error_at(" \n\t\r\n "), ("json-empty", 0, 1, 1));
}

/// What an error names: its code, byte offset, line and column.
type Place = (&'static str, usize, usize, usize);

#[test]
fn text_that_is_not_json() {
    let cases: &[(&str, Place)] = &[
        ("hello", ("json-unexpected-char", 0, 1, 1)),
        ("<Policy/>", ("json-unexpected-char", 0, 1, 1)),
        ("Version: 2012-10-17", ("json-unexpected-char", 0, 1, 1)),
        (
            "{'Version': '2012-10-17'}",
            ("json-unexpected-char", 1, 1, 2),
        ),
        ("{\n  \"a\": True\n}", ("json-unexpected-char", 9, 2, 8)),
        ("{\n  \"a\": 1,\n}", ("json-unexpected-char", 12, 3, 1)),
        ("[1 2]", ("json-unexpected-char", 3, 1, 4)),
        ("{\"a\" 1}", ("json-unexpected-char", 5, 1, 6)),
        ("{\"a\":}", ("json-unexpected-char", 5, 1, 6)),
        ("{1:2}", ("json-unexpected-char", 1, 1, 2)),
        ("\"unterminated", ("json-unexpected-end", 13, 1, 14)),
        ("{\"a\": [1, 2", ("json-unexpected-end", 11, 1, 12)),
        ("nul", ("json-unexpected-end", 3, 1, 4)),
        ("nulL", ("json-unexpected-char", 3, 1, 4)),
        // A byte-order mark is not JSON white space.
        ("\u{feff}{}", ("json-unexpected-char", 0, 1, 1)),
    ];
    for (text, want) in cases {
        assert_eq!(&error_at(text), want, "input {text:?}");
    }
}

#[test]
fn scalars_and_arrays_are_json_but_say_what_they_are() {
    for (text, name) in [
        ("null", "null"),
        ("true", "boolean"),
        ("42", "number"),
        ("\"a policy\"", "string"),
        ("[]", "array"),
        ("{}", "object"),
    ] {
        assert_eq!(parse(text).unwrap().value.type_name(), name, "{text}");
    }
}

#[test]
fn trailing_garbage_is_located() {
    assert_eq!(error_at("{} {}"), ("json-trailing-characters", 3, 1, 4));
    assert_eq!(
        error_at("{\"a\": 1}\n\ngarbage"),
        ("json-trailing-characters", 10, 3, 1)
    );
    assert_eq!(error_at("[1]]"), ("json-trailing-characters", 3, 1, 4));
    // A NUL after the document (as C strings leave behind).
    assert_eq!(error_at("{}\0"), ("json-trailing-characters", 2, 1, 3));
}

#[test]
fn duplicate_keys_point_at_the_second_one() {
    let text =
        "{\n  \"Statement\": {\n    \"Effect\": \"Allow\",\n    \"Effect\": \"Deny\"\n  }\n}";
    let e = parse(text).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DuplicateKey("Effect".into()));
    assert_eq!(&text[e.span.start..e.span.end], "\"Effect\"");
    let p = LineIndex::new(text).position(e.span.start);
    assert_eq!((p.line, p.column), (4, 5));
    // Keys are compared after unescaping: IAM sees the same key twice.
    let e = parse(r#"{"a": 1, "\u0061": 2}"#).unwrap_err();
    assert_eq!(e.kind.code(), "json-duplicate-key");
    assert_eq!(e.kind.params(), vec![("key", "a".to_string())]);
    // Same name in different objects is fine; different case is a different key.
    assert!(parse(r#"{"a": {"a": 1}, "b": {"a": 2}, "A": 3}"#).is_ok());
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for deep in [
        "[".repeat(100_000),
        "{\"a\":".repeat(100_000),
        "[{\"a\":".repeat(50_000),
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.kind.code(), "json-too-deep");
        assert_eq!(e.kind.params(), vec![("max", MAX_DEPTH.to_string())]);
    }
    // The limit itself: MAX_DEPTH levels parse, one more does not, and the
    // error points at the bracket that went too deep.
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
    let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(
        error_at(&over),
        ("json-too-deep", MAX_DEPTH, 1, MAX_DEPTH + 1)
    );
    // Brackets inside a string are not nesting.
    let in_string = format!("\"{}\"", "[".repeat(100_000));
    assert_eq!(parse(&in_string).unwrap().as_str().unwrap().len(), 100_000);
}

#[test]
fn very_long_strings_survive_intact() {
    let long = "x".repeat(10 * 1024 * 1024);
    let text = format!("{{\"Sid\": \"{long}\"}}");
    let node = parse(&text).unwrap();
    assert_eq!(node.get("Sid").unwrap().as_str().unwrap().len(), long.len());
    // Unterminated: the error is at the end, not somewhere in the middle.
    let text = format!("{{\"Sid\": \"{long}");
    assert_eq!(error_at(&text).0, "json-unexpected-end");
    assert_eq!(error_at(&text).1, text.len());
    // A long string full of escapes.
    let escaped = "\\u00e9".repeat(200_000);
    let node = parse(&format!("\"{escaped}\"")).unwrap();
    assert_eq!(node.as_str().unwrap().chars().count(), 200_000);
}

#[test]
fn huge_numbers_are_kept_as_written() {
    let digits = "9".repeat(5_000);
    for n in [
        "1e999999".to_string(),
        "-1e-999999".to_string(),
        digits.clone(),
        format!("-{digits}.{digits}E+{digits}"),
        "-0".to_string(),
        "0.0000000000000000000000000001".to_string(),
    ] {
        let node = parse(&n).unwrap_or_else(|e| panic!("{n:.40}: {e}"));
        assert_eq!(node.value, Value::Number(n.clone()));
    }
}

#[test]
fn malformed_numbers_are_located() {
    for (text, at) in [
        ("[01]", 1),
        ("[1.]", 1),
        ("[.5]", 1),
        ("[+1]", 1),
        ("[1e]", 1),
        ("[1e+]", 1),
        ("[--1]", 1),
        ("[0x10]", 2),
        ("[1.2.3]", 1),
        ("[-]", 1),
    ] {
        let (code, start, _, _) = error_at(text);
        assert!(
            code == "json-invalid-number" || code == "json-unexpected-char",
            "{text}: {code}"
        );
        assert_eq!(start, at, "{text}");
    }
    for word in ["NaN", "Infinity", "-Infinity", "undefined"] {
        let (code, _, _, _) = error_at(word);
        assert!(code.starts_with("json-"), "{word}: {code}");
    }
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let cases: &[(&[u8], usize)] = &[
        (b"\xff", 0),
        (b"{\"a\": \"\x80\"}", 7),
        // Overlong encoding of '/'.
        (b"{\"a\": \"\xc0\xaf\"}", 7),
        // A UTF-16 surrogate encoded in UTF-8.
        (b"[\"ok\", \"\xed\xa0\x80\"]", 8),
        // Truncated multi-byte sequence at the very end.
        (b"\"abc\xe6\x97", 4),
        // Latin-1 text pasted as bytes.
        (b"{\"Sid\": \"caf\xe9\"}", 12),
    ];
    for &(bytes, at) in cases {
        let e = parse_bytes(bytes).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8, "{bytes:?}");
        assert_eq!(e.span.start, at, "{bytes:?}");
        assert!(e.span.end > e.span.start && e.span.end <= bytes.len());
    }
    // Valid UTF-8 goes through parse_bytes like parse.
    assert!(parse_bytes("{\"a\": \"日本語\"}".as_bytes()).is_ok());
}

#[test]
fn nul_and_control_characters() {
    // Raw NUL inside a string: a control character, at its byte.
    assert_eq!(
        error_at("{\"a\": \"x\0y\"}"),
        ("json-control-character", 8, 1, 9)
    );
    // Raw NUL where a value should be: named, escaped for display.
    let e = parse("{\"a\": \0}").unwrap_err();
    assert_eq!(e.kind.code(), "json-unexpected-char");
    assert_eq!(e.kind.params()[0], ("char", "\\0".to_string()));
    // NUL in a key.
    assert_eq!(error_at("{\"a\0\": 1}").0, "json-control-character");
    // Escaped NUL is a valid character of the value.
    assert_eq!(parse("\"a\\u0000b\"").unwrap().as_str(), Some("a\0b"));
    // Raw tab and newline inside strings are refused too.
    assert_eq!(error_at("\"a\tb\"").0, "json-control-character");
    assert_eq!(error_at("\"a\nb\"").0, "json-control-character");
}

#[test]
fn broken_escapes() {
    for (text, code) in [
        ("\"\\x41\"", "json-invalid-escape"),
        ("\"\\u12\"", "json-invalid-escape"),
        ("\"\\uZZZZ\"", "json-invalid-escape"),
        ("\"\\ud800\"", "json-invalid-escape"),
        ("\"\\ud800\\u0041\"", "json-invalid-escape"),
        ("\"\\udc00\"", "json-invalid-escape"),
        ("\"\\", "json-unexpected-end"),
        ("\"\\u", "json-invalid-escape"),
        ("\"\\é\"", "json-invalid-escape"),
    ] {
        assert_eq!(error_at(text).0, code, "{text}");
    }
    assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap().as_str(), Some("😀"));
}

#[test]
fn errors_after_multibyte_text_count_columns_in_characters() {
    let text = "{\"名前\": \"日本語\" ,, }";
    let (code, start, line, column) = error_at(text);
    assert_eq!(code, "json-unexpected-char");
    assert_eq!(&text[start..start + 1], ",");
    assert_eq!((line, column), (1, 15));
    // An unexpected multi-byte character: the span covers all its bytes.
    let e = parse("[1, é]").unwrap_err();
    assert_eq!(e.span.end - e.span.start, 'é'.len_utf8());
}
