//! Compiled `*` / `?` wildcard patterns, as `StringLike`, `ArnLike`,
//! `Action` and `Resource` use them.
//!
//! A pattern is split once into literal segments between stars. Matching
//! finds each segment at its leftmost place after the previous one, which is
//! correct for globs (a star can always absorb more) and keeps matching
//! linear in the text for patterns such as `*a*a*a*a*b`: no backtracking.

/// The marker a resolved template ([`crate::Template`]) uses for a literal
/// `*` or `?` in a wildcard pattern (`${*}`, `${?}`): characters from the
/// Unicode private use area that no ARN or policy value contains, which a
/// pattern matches as the plain character. Simpler than a second pattern
/// syntax; the pattern language owns them, the templates write them.
pub(crate) const LITERAL_STAR: char = '\u{F8FF}';
/// See [`LITERAL_STAR`].
pub(crate) const LITERAL_QUESTION: char = '\u{F8FE}';

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Text between stars; `?` inside a segment matches one character.
    segments: Vec<Segment>,
    /// The pattern starts with `*` (the first segment floats).
    leading_star: bool,
    /// The pattern ends with `*` (the last segment floats).
    trailing_star: bool,
    /// Compare ASCII letters without case (actions, service names).
    ignore_case: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    text: String,
    has_question: bool,
}

impl Pattern {
    /// Compiles `pattern`, treating `*` and `?` as wildcards.
    pub fn new(pattern: &str, ignore_case: bool) -> Pattern {
        let lowered;
        let text = if ignore_case && pattern.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = pattern.to_ascii_lowercase();
            lowered.as_str()
        } else {
            pattern
        };
        let starred = text.contains('*');
        let segments = text
            .split('*')
            // Without a star, the whole text is the one segment, even empty.
            .filter(|p| !p.is_empty() || !starred)
            .map(|p| {
                let has_question = p.contains('?');
                // Markers from an escaped `${*}` / `${?}` (see variables.rs)
                // stand for the literal characters.
                let text = if !p.contains([LITERAL_STAR, LITERAL_QUESTION]) {
                    p.to_string()
                } else if has_question {
                    p.replace(LITERAL_STAR, "*")
                } else {
                    p.replace(LITERAL_STAR, "*").replace(LITERAL_QUESTION, "?")
                };
                Segment { text, has_question }
            })
            .collect();
        Pattern {
            segments,
            leading_star: starred && text.starts_with('*'),
            trailing_star: starred && text.ends_with('*'),
            ignore_case,
        }
    }

    /// Compiles `literal` so that it matches only itself.
    pub fn literal(literal: &str, ignore_case: bool) -> Pattern {
        let text = if ignore_case {
            literal.to_ascii_lowercase()
        } else {
            literal.to_string()
        };
        Pattern {
            segments: vec![Segment {
                text,
                has_question: false,
            }],
            leading_star: false,
            trailing_star: false,
            ignore_case,
        }
    }

    /// True when the pattern is a single `*` (matches everything).
    pub fn is_match_all(&self) -> bool {
        self.segments.is_empty() && self.leading_star
    }

    /// True when the pattern has any wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.leading_star
            || self.trailing_star
            || self.segments.len() > 1
            || self.segments.iter().any(|s| s.has_question)
    }

    /// Does `text` match? With `ignore_case`, `text` must already be
    /// ASCII-lowercased by the caller (done once per request, not per test).
    pub fn matches(&self, text: &str) -> bool {
        let _ = self.ignore_case;
        let segs = &self.segments;
        if segs.is_empty() {
            // "*" (or "**") matches anything; "" only the empty text.
            return self.leading_star || text.is_empty();
        }
        if !self.leading_star && !self.trailing_star && segs.len() == 1 {
            return match_fixed(&segs[0], text) == Some(text.len());
        }
        let mut rest = text;
        let mut first = 0;
        let mut last = segs.len();
        if !self.leading_star {
            match match_fixed(&segs[0], rest) {
                Some(n) => rest = &rest[n..],
                None => return false,
            }
            first = 1;
        }
        let mut tail: Option<&Segment> = None;
        if !self.trailing_star {
            // The last segment is anchored at the end; check it now.
            let seg = &segs[segs.len() - 1];
            if first == segs.len() {
                // The only segment was anchored at the start: a pattern like "a" handled above.
                return rest.is_empty();
            }
            tail = Some(seg);
            last -= 1;
        }
        for seg in &segs[first..last] {
            match find(seg, rest) {
                Some((_, end)) => rest = &rest[end..],
                None => return false,
            }
        }
        match tail {
            None => true,
            Some(seg) => match_suffix(seg, rest),
        }
    }
}

/// Matches `seg` at the start of `text`, returning the bytes consumed.
fn match_fixed(seg: &Segment, text: &str) -> Option<usize> {
    if !seg.has_question {
        return text
            .starts_with(seg.text.as_str())
            .then_some(seg.text.len());
    }
    let mut consumed = 0;
    let mut chars = text.chars();
    for p in seg.text.chars() {
        let c = chars.next()?;
        let same = match p {
            '?' => true,
            LITERAL_QUESTION => c == '?',
            p => p == c,
        };
        if !same {
            return None;
        }
        consumed += c.len_utf8();
    }
    Some(consumed)
}

/// Finds the leftmost match of `seg` in `text`: (start, end) in bytes.
fn find(seg: &Segment, text: &str) -> Option<(usize, usize)> {
    if !seg.has_question {
        return find_text(text, &seg.text).map(|i| (i, i + seg.text.len()));
    }
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .find_map(|i| match_fixed(seg, &text[i..]).map(|n| (i, i + n)))
}

/// `haystack.find(needle)`. Segments are short: looking for the first byte
/// and comparing the rest costs less than setting up `str::find`'s
/// two-way searcher on every call; long needles still go to it.
fn find_text(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return Some(0);
    };
    if n.len() > 64 {
        return haystack.find(needle);
    }
    let mut from = 0;
    while from + n.len() <= h.len() {
        let at = from
            + h[from..=h.len() - n.len()]
                .iter()
                .position(|&b| b == first)?;
        // `first` starts a character, so a match starts on a boundary.
        if &h[at + 1..at + n.len()] == rest {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Does `text` end with a match of `seg`?
fn match_suffix(seg: &Segment, text: &str) -> bool {
    let want = seg.text.chars().count();
    let have = text.chars().count();
    if have < want {
        return false;
    }
    let start = text
        .char_indices()
        .nth(have - want)
        .map_or(text.len(), |(i, _)| i);
    match_fixed(seg, &text[start..]) == Some(text.len() - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slow but obviously right reference matcher, to check the fast one.
    fn reference(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(a), Some(b)) => a == b && reference(&p[1..], &t[1..]),
            (Some(_), None) => false,
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("*", "anything", true),
            ("", "", true),
            ("", "a", false),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("*c", "abcd", false),
            ("a*c", "ac", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbbd", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "a日c", true),
            ("?", "日", true),
            ("*a*a*b", "aaaaab", true),
            ("*a*a*b", "ab", false),
            ("kms:gen*", "kms:generatedatakey", true),
            ("kms:*", "s3:getobject", false),
            ("a*b*a", "aba", true),
            ("a*b*a", "ab", false),
            ("*ab", "aab", true),
            ("ab*ab", "ab", false),
            ("ab*ab", "abab", true),
            ("?*?", "a", false),
            ("?*?", "ab", true),
            ("*?b", "b", false),
            ("*?b", "ab", true),
            ("**", "x", true),
            ("a**b", "ab", true),
        ];
        for &(p, t, want) in cases {
            assert_eq!(Pattern::new(p, false).matches(t), want, "{p:?} vs {t:?}");
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            assert_eq!(reference(&pc, &tc), want, "reference {p:?} vs {t:?}");
        }
    }

    #[test]
    fn ignore_case_lowers_the_pattern() {
        let p = Pattern::new("KMS:Generate*", true);
        assert!(p.matches("kms:generatedatakey"));
    }

    #[test]
    fn literal_ignores_wildcards() {
        let p = Pattern::literal("a*", false);
        assert!(p.matches("a*"));
        assert!(!p.matches("ab"));
    }

    #[test]
    fn pathological_pattern_stays_fast() {
        // 2,000 stars against 100 KB: a backtracking matcher would never end.
        let pattern = "*a".repeat(2000) + "*b";
        let text = "a".repeat(100_000);
        assert!(!Pattern::new(&pattern, false).matches(&text));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab?*]{0,8}", t in "[ab]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            proptest::prop_assert_eq!(Pattern::new(&p, false).matches(&t), reference(&pc, &tc));
        }
    }
}
