//! JSON string literals: writing a string escaped, and finding the runs
//! of bytes that need no escape (the parser's fast path too).

/// Appends `s` as a JSON string literal.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    write_string_content(s, out);
    out.push('"');
}

/// Appends `s` escaped as inside a JSON string literal, without the
/// quotes: a literal written in several pieces is `"`, each piece's
/// content, `"`.
pub fn write_string_content(s: &str, out: &mut String) {
    let mut rest = s;
    loop {
        // Copy the run that needs no escape in one go.
        let plain = plain_prefix_len(rest.as_bytes());
        out.push_str(&rest[..plain]);
        let Some(&b) = rest.as_bytes().get(plain) else {
            break;
        };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
        // The byte is ASCII, so the next one starts a character.
        rest = &rest[plain + 1..];
    }
}

/// The length of `s` written by [`write_string`].
pub(crate) fn string_json_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut len = 2;
    let mut at = 0;
    loop {
        let plain = plain_prefix_len(&bytes[at..]);
        len += plain;
        at += plain;
        match bytes.get(at) {
            None => return len,
            Some(b'"' | b'\\' | b'\n' | b'\r' | b'\t') => len += 2,
            Some(_) => len += 6,
        }
        at += 1;
    }
}

/// The length of the longest prefix of `bytes` without a `"`, a `\\` or
/// a control character (below U+0020): the bytes a JSON string holds as
/// they are, in both directions. Eight bytes at a time.
pub fn plain_prefix_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        // A byte's high bit ends up set when some byte is zero (below
        // 0x20): the usual "has zero / has less" tests. A borrow may flag
        // bytes above the first such byte too, never below it: the lowest
        // flag is where the run ends.
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x))
            & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}
