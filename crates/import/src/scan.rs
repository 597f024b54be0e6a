//! A CloudTrail log file (`{"Records": [...]}`) read one record at a
//! time: the scanner finds where each record's text starts and ends, and
//! only that record is parsed (with spans) and turned into a request. A
//! 10 MB log then never becomes one tree of every record; memory is the
//! record being read and the output written so far.

use kmsplay_json::{ErrorKind, Expected, ParseError, Span, MAX_DEPTH};

/// One member of the top-level object: its key (unescaped) and where its
/// value's text is.
pub(crate) struct TopMember {
    pub key: String,
    pub value: Span,
}

fn error(kind: ErrorKind, at: usize) -> ParseError {
    ParseError {
        kind,
        span: Span::new(at, at + 1),
    }
}

/// The character at `at` cannot stand there; `expected` could.
fn unexpected(text: &str, at: usize, expected: Expected) -> ParseError {
    match text.get(at..).and_then(|t| t.chars().next()) {
        Some(c) => ParseError {
            kind: ErrorKind::UnexpectedChar(c, expected),
            span: Span::new(at, at + c.len_utf8()),
        },
        None => end_error(text),
    }
}

fn end_error(text: &str) -> ParseError {
    ParseError {
        kind: ErrorKind::UnexpectedEnd,
        span: Span::new(text.len(), text.len()),
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (its opening quote).
fn skip_string(text: &str, mut i: usize) -> Result<usize, ParseError> {
    let b = text.as_bytes();
    i += 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Ok(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    Err(end_error(text))
}

/// The end of the value starting at `i`. The scan only finds the value's
/// extent; its text is parsed (and checked) afterwards.
fn skip_value(text: &str, i: usize) -> Result<usize, ParseError> {
    let b = text.as_bytes();
    let Some(&first) = b.get(i) else {
        return Err(end_error(text));
    };
    match first {
        b'"' => skip_string(text, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(text, j)?;
                        continue;
                    }
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(error(ErrorKind::TooDeep, j));
                        }
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Err(end_error(text))
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            if j == i {
                return Err(unexpected(text, i, Expected::Value));
            }
            Ok(j)
        }
    }
}

/// True when the text is an object whose first key is `Records`: a
/// CloudTrail log file, read record by record.
pub(crate) fn is_log_file(text: &str) -> bool {
    let b = text.as_bytes();
    let i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return false;
    }
    let j = skip_ws(b, i + 1);
    text[j..].starts_with("\"Records\"")
}

/// The members of the top-level object, each value's extent found but not
/// parsed.
pub(crate) fn top_members(text: &str) -> Result<Vec<TopMember>, ParseError> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Err(unexpected(text, i, Expected::Value));
    }
    i = skip_ws(b, i + 1);
    let mut members = Vec::new();
    if b.get(i) == Some(&b'}') {
        return Ok(members);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return Err(unexpected(text, i, Expected::Key));
        }
        let key_end = skip_string(text, i)?;
        let key = kmsplay_json::parse(&text[i..key_end])
            .map_err(|e| shift(e, i))?
            .as_str()
            .unwrap_or_default()
            .to_string();
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return Err(unexpected(text, i, Expected::Colon));
        }
        i = skip_ws(b, i + 1);
        let end = skip_value(text, i)?;
        if members.iter().any(|m: &TopMember| m.key == key) {
            return Err(ParseError {
                kind: ErrorKind::DuplicateKey(key),
                span: Span::new(i, end),
            });
        }
        members.push(TopMember {
            key,
            value: Span::new(i, end),
        });
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => break,
            _ => return Err(unexpected(text, i, Expected::CommaOrBrace)),
        }
    }
    let after = skip_ws(b, i + 1);
    if after < b.len() {
        return Err(ParseError {
            kind: ErrorKind::TrailingCharacters,
            span: Span::new(after, b.len()),
        });
    }
    Ok(members)
}

/// Calls `each` with the extent of every element of the array at `span`.
pub(crate) fn each_element<E>(
    text: &str,
    span: Span,
    mut each: impl FnMut(Span) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<ParseError>,
{
    let b = text.as_bytes();
    if b.get(span.start) != Some(&b'[') {
        return Err(unexpected(text, span.start, Expected::Value).into());
    }
    let mut i = skip_ws(b, span.start + 1);
    if b.get(i) == Some(&b']') {
        return Ok(());
    }
    loop {
        let end = skip_value(text, i)?;
        each(Span::new(i, end))?;
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b']') => return Ok(()),
            _ => return Err(unexpected(text, i, Expected::CommaOrBracket).into()),
        }
    }
}

/// An error of a piece parsed alone, placed in the whole text.
pub(crate) fn shift(mut e: ParseError, by: usize) -> ParseError {
    e.span = Span::new(e.span.start + by, e.span.end + by);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_record_and_the_errors() {
        let text = r#" {"Records": [{"a": "x]}"}, {"b": [1, {"c": 2}]} ], "x": 1} "#;
        assert!(is_log_file(text));
        let members = top_members(text).unwrap();
        assert_eq!(members.len(), 2);
        let mut seen = Vec::new();
        each_element::<ParseError>(text, members[0].value, |s| {
            seen.push(text[s.start..s.end].to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [r#"{"a": "x]}"}"#, r#"{"b": [1, {"c": 2}]}"#]);
        for bad in [
            r#"{"Records": [{}"#,
            r#"{"Records": [] "#,
            r#"{"Records": []} x"#,
        ] {
            let r = top_members(bad)
                .and_then(|m| each_element::<ParseError>(bad, m[0].value, |_| Ok(())));
            let e = r.unwrap_err();
            assert!(e.span.end <= bad.len(), "{bad}");
        }
    }
}
