//! JSON syntax colouring and underlines for the editor's overlay.
//!
//! The editor is a plain `<textarea>` (so typing, undo, IME input, screen
//! readers and mobile keyboards all work as the browser does them) over a
//! `<pre>` that shows the same text coloured. This module cuts the text
//! into runs, each with its token class and whether a diagnostic covers it.

/// The kind of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// An object key.
    Key,
    /// A string value.
    String,
    /// A number.
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// Brackets, braces, commas, colons.
    Punct,
    /// Anything else (white space, garbage).
    Plain,
}

impl Token {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Token::Key => "tk-key",
            Token::String => "tk-str",
            Token::Number => "tk-num",
            Token::Literal => "tk-lit",
            Token::Punct => "tk-punct",
            Token::Plain => "",
        }
    }
}

/// A run of text: `start..end` bytes, a token, and the diagnostic covering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Token kind.
    pub token: Token,
    /// Index of the underline covering this run, if any.
    pub mark: Option<usize>,
    /// This run is a bracket matched with the one at the cursor.
    pub bracket: bool,
}

/// Splits `text` into tokens (tolerant: never fails on broken JSON).
pub fn tokens(text: &str) -> Vec<(usize, usize, Token)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let token = match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(b.len());
                // A string followed by a colon is a key.
                let mut j = i;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                if b.get(j) == Some(&b':') {
                    Token::Key
                } else {
                    Token::String
                }
            }
            b'-' | b'0'..=b'9' => {
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                Token::Number
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Token::Punct
            }
            c if c.is_ascii_alphabetic() => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                match &text[start..i] {
                    "true" | "false" | "null" => Token::Literal,
                    _ => Token::Plain,
                }
            }
            _ => {
                i += 1;
                while i < b.len()
                    && !matches!(
                        b[i],
                        b'"' | b'-' | b'0'..=b'9' | b'{' | b'}' | b'[' | b']' | b',' | b':'
                    )
                    && !b[i].is_ascii_alphabetic()
                {
                    i += 1;
                }
                Token::Plain
            }
        };
        // Keep runs on character boundaries.
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        out.push((start, i, token));
    }
    out
}

/// The bracket matching the one at (or just before) byte `cursor`.
pub fn matching_bracket(text: &str, cursor: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let at = [cursor, cursor.wrapping_sub(1)]
        .into_iter()
        .find(|&i| i < b.len() && matches!(b[i], b'{' | b'}' | b'[' | b']'))?;
    let (open, close, forward) = match b[at] {
        b'{' => (b'{', b'}', true),
        b'[' => (b'[', b']', true),
        b'}' => (b'{', b'}', false),
        _ => (b'[', b']', false),
    };
    let in_string = strings_mask(b);
    if in_string[at] {
        return None;
    }
    let mut depth = 0i32;
    let range: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(at..b.len())
    } else {
        Box::new((0..=at).rev())
    };
    for i in range {
        if in_string[i] {
            continue;
        }
        if b[i] == open {
            depth += if forward { 1 } else { -1 };
        } else if b[i] == close {
            depth += if forward { -1 } else { 1 };
        }
        if depth == 0 {
            return Some((at, i));
        }
    }
    None
}

fn strings_mask(b: &[u8]) -> Vec<bool> {
    let mut mask = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            for m in mask.iter_mut().take((i + 1).min(b.len())).skip(start) {
                *m = true;
            }
        }
        i += 1;
    }
    mask
}

/// Cuts tokens further at underline and bracket boundaries.
pub fn runs(text: &str, marks: &[(usize, usize)], brackets: Option<(usize, usize)>) -> Vec<Run> {
    let mut cuts: Vec<usize> = Vec::new();
    for &(s, e) in marks {
        cuts.push(s.min(text.len()));
        cuts.push(e.min(text.len()));
    }
    if let Some((a, b)) = brackets {
        cuts.extend([a, a + 1, b, b + 1]);
    }
    cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Run> = Vec::new();
    let mut push = |run: Run| {
        // Merge neighbours that look the same (white space and punctuation
        // between tokens): fewer nodes for the browser to lay out on every
        // keystroke in a 32 KB policy.
        if let Some(last) = out.last_mut() {
            let plain = |t: Token| matches!(t, Token::Plain | Token::Punct);
            if last.end == run.start
                && last.mark == run.mark
                && !last.bracket
                && !run.bracket
                && (last.token == run.token || (plain(last.token) && plain(run.token)))
            {
                last.end = run.end;
                if last.token != run.token {
                    last.token = Token::Punct;
                }
                return;
            }
        }
        out.push(run);
    };
    for (start, end, token) in tokens(text) {
        let mut s = start;
        for &c in cuts.iter().filter(|&&c| c > start && c < end) {
            push(make_run(s, c, token, marks, brackets));
            s = c;
        }
        push(make_run(s, end, token, marks, brackets));
    }
    out
}

fn make_run(
    start: usize,
    end: usize,
    token: Token,
    marks: &[(usize, usize)],
    brackets: Option<(usize, usize)>,
) -> Run {
    // A zero-width mark (an error at the end of the text) covers the
    // character before it, so it is still visible.
    let mark = marks.iter().position(|&(s, e)| {
        let (s, e) = if s == e {
            (s.saturating_sub(1), e)
        } else {
            (s, e)
        };
        start < e && s < end
    });
    let bracket = brackets.is_some_and(|(a, b)| start == a || start == b);
    Run {
        start,
        end,
        token,
        mark,
        bracket,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_the_text() {
        let text = r#"{"a": [1, "x", true], "b": nul}"#;
        let t = tokens(text);
        assert_eq!(t.first().unwrap().0, 0);
        assert_eq!(t.last().unwrap().1, text.len());
        for w in t.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        let key = t.iter().find(|x| &text[x.0..x.1] == "\"a\"").unwrap();
        assert_eq!(key.2, Token::Key);
        let s = t.iter().find(|x| &text[x.0..x.1] == "\"x\"").unwrap();
        assert_eq!(s.2, Token::String);
    }

    #[test]
    fn brackets_match_outside_strings() {
        let text = r#"{"a": "}", "b": [1]}"#;
        assert_eq!(matching_bracket(text, 0), Some((0, text.len() - 1)));
        let open = text.find('[').unwrap();
        assert_eq!(matching_bracket(text, open), Some((open, open + 2)));
        assert_eq!(
            matching_bracket(text, text.len()),
            Some((text.len() - 1, 0))
        );
    }

    #[test]
    fn runs_split_at_marks() {
        let text = "\"abcdef\"";
        let r = runs(text, &[(2, 4)], None);
        assert!(r
            .iter()
            .any(|x| x.start == 2 && x.end == 4 && x.mark == Some(0)));
        assert_eq!(r.iter().map(|x| x.end - x.start).sum::<usize>(), text.len());
    }

    #[test]
    fn japanese_text_is_cut_on_character_boundaries() {
        let text = "{\"日本\": 1}";
        for r in runs(text, &[(3, 5)], None) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
