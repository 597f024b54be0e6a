//! The classes of strings a set of patterns tells apart, found exactly by
//! walking the product of the patterns' automata (see the crate docs,
//! "Why a Pass is sound").
//!
//! Each pattern (a `StringLike` glob, an `Arn*` pattern matched part by
//! part, a `StringEquals` literal, an `…IgnoreCase` literal) is a small
//! automaton over its positions. Every string drives all of them at once;
//! two strings that end in the same tuple of automaton states match the
//! same patterns. A breadth-first walk over the tuples reachable with the
//! characters the patterns name (plus one character none of them names,
//! which stands for all the others) reaches every tuple some string
//! reaches, so it finds a witness for every set of patterns some string
//! matches exactly.

use std::collections::{HashMap, VecDeque};

/// One position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// This character (without case when the flag is set).
    Char(char, bool),
    /// Any one character (`?`); the flag: it may be a colon.
    Any(bool),
    /// Any run of characters (`*`); the flag: they may be colons.
    Star(bool),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    /// A literal, compared with or without case.
    pub fn literal(text: &str, ignore_case: bool) -> Glob {
        Glob {
            tokens: text.chars().map(|c| Token::Char(c, ignore_case)).collect(),
        }
    }

    /// A `StringLike` pattern: `*` and `?` are wildcards, case counts.
    pub fn like(text: &str) -> Glob {
        Glob {
            tokens: text.chars().map(|c| wild(c, true)).collect(),
        }
    }

    /// An `Arn*` pattern: six colon-separated parts each matched on its
    /// own (wildcards in the first five do not cross a colon; the
    /// resource part keeps its colons), `*` alone matches everything, and
    /// a text that is not an ARN is one pattern over the whole value.
    pub fn arn(text: &str) -> Glob {
        if text == "*" || !text.starts_with("arn:") {
            return Glob::like(text);
        }
        let mut tokens = Vec::new();
        let mut colons = 0;
        for c in text.chars() {
            if c == ':' && colons < 5 {
                colons += 1;
                tokens.push(Token::Char(':', false));
            } else {
                tokens.push(wild(c, colons >= 5));
            }
        }
        if colons < 5 {
            // Starts like an ARN with fewer than six parts: matches nothing.
            tokens.push(Token::Char('\u{F8FD}', false));
        }
        Glob { tokens }
    }

    fn closure(&self, states: &mut Vec<u16>) {
        let mut i = 0;
        while i < states.len() {
            let s = states[i] as usize;
            if let Some(Token::Star(_)) = self.tokens.get(s) {
                let next = (s + 1) as u16;
                if !states.contains(&next) {
                    states.push(next);
                }
            }
            i += 1;
        }
        states.sort_unstable();
    }

    fn start(&self) -> Vec<u16> {
        let mut s = vec![0];
        self.closure(&mut s);
        s
    }

    fn step(&self, states: &[u16], c: char) -> Vec<u16> {
        let mut out = Vec::new();
        for &s in states {
            let s = s as usize;
            let next = match self.tokens.get(s) {
                Some(Token::Char(t, ic)) => {
                    let ok = *t == c || (*ic && t.to_lowercase().eq(c.to_lowercase()));
                    ok.then_some(s + 1)
                }
                Some(Token::Any(colon)) => (*colon || c != ':').then_some(s + 1),
                Some(Token::Star(colon)) => (*colon || c != ':').then_some(s),
                None => None,
            };
            if let Some(n) = next {
                let n = n as u16;
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        self.closure(&mut out);
        out
    }

    fn accepts(&self, states: &[u16]) -> bool {
        states
            .last()
            .is_some_and(|&s| s as usize == self.tokens.len())
    }

    fn chars(&self, out: &mut Vec<char>) {
        for t in &self.tokens {
            if let Token::Char(c, ic) = t {
                out.push(*c);
                if *ic {
                    out.extend(c.to_lowercase());
                    out.extend(c.to_uppercase());
                }
            }
        }
    }
}

fn wild(c: char, colon: bool) -> Token {
    match c {
        '*' => Token::Star(colon),
        '?' => Token::Any(colon),
        c => Token::Char(c, false),
    }
}

/// A witness string for every set of `globs` that some string matches
/// exactly (the set itself is not returned: the caller decides each
/// witness with the engine). None when the walk would take more than
/// `budget` states: then the classes are not known exactly.
pub fn witnesses(globs: &[Glob], budget: usize) -> Option<Vec<String>> {
    let mut alphabet: Vec<char> = vec![':'];
    for g in globs {
        g.chars(&mut alphabet);
    }
    alphabet.sort_unstable();
    alphabet.dedup();
    alphabet.retain(|c| *c != '\u{F8FD}');
    // One character no pattern names stands for all of them.
    let fresh = ['z', 'q', 'x', '0', '_', '~', '\u{E000}']
        .into_iter()
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{E001}');
    alphabet.push(fresh);

    type State = Vec<Vec<u16>>;
    let start: State = globs.iter().map(Glob::start).collect();
    let mut seen: HashMap<State, ()> = HashMap::new();
    let mut signatures: HashMap<Vec<bool>, ()> = HashMap::new();
    let mut out = Vec::new();
    let mut queue: VecDeque<(State, String)> = VecDeque::new();
    seen.insert(start.clone(), ());
    queue.push_back((start, String::new()));
    while let Some((state, text)) = queue.pop_front() {
        let sig: Vec<bool> = globs
            .iter()
            .zip(&state)
            .map(|(g, s)| g.accepts(s))
            .collect();
        if signatures.insert(sig, ()).is_none() {
            out.push(text.clone());
        }
        if state.iter().all(Vec::is_empty) {
            continue;
        }
        for &c in &alphabet {
            let next: State = globs
                .iter()
                .zip(&state)
                .map(|(g, s)| g.step(s, c))
                .collect();
            if seen.contains_key(&next) {
                continue;
            }
            if seen.len() >= budget {
                return None;
            }
            seen.insert(next.clone(), ());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_overlapping_globs_have_four_classes() {
        let w = witnesses(&[Glob::like("a*"), Glob::like("*b")], 1000).unwrap();
        let p1 = kmsplay_policy::wildcard::Pattern::new("a*", false);
        let p2 = kmsplay_policy::wildcard::Pattern::new("*b", false);
        let mut sigs: Vec<(bool, bool)> =
            w.iter().map(|s| (p1.matches(s), p2.matches(s))).collect();
        sigs.sort();
        sigs.dedup();
        assert_eq!(sigs.len(), 4, "{w:?}");
    }

    #[test]
    fn arn_parts_do_not_cross_colons() {
        let w = witnesses(&[Glob::arn("arn:aws:iam::*:root")], 10_000).unwrap();
        let p = kmsplay_policy::arn::ArnPattern::new("arn:aws:iam::*:root");
        assert!(w.iter().any(|s| p.matches(s)));
        assert!(w.iter().any(|s| !p.matches(s)));
    }
}
