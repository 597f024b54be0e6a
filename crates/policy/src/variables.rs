//! Policy variables: `${aws:username}`, `${aws:username, 'nobody'}`, and the
//! escapes `${*}`, `${?}`, `${$}`.
//!
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>:
//! variables work only in policies with `"Version": "2012-10-17"`; a
//! variable whose key is missing (and has no default) makes the element
//! fail to match; `${*}`, `${?}` and `${$}` stand for the literal
//! characters, so that a literal `*` can be written in a `*`-pattern.

use crate::context::{ContextValue, RequestContext};
use crate::wildcard::{LITERAL_QUESTION, LITERAL_STAR};

/// A value that may contain variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text to take as written (it may contain wildcards).
    Text(String),
    /// A character that was escaped: never a wildcard.
    Escaped(char),
    /// A condition key to substitute, lower-cased, with its default.
    Variable {
        key: String,
        default: Option<String>,
    },
}

impl Template {
    /// Reads `text`; with `enabled` false (policy version 2008-10-17) it is
    /// all literal text.
    pub fn parse(text: &str, enabled: bool) -> Template {
        if !enabled || find_open(text).is_none() {
            // Plain text, the usual case: taken as it is.
            let parts = if text.is_empty() {
                Vec::new()
            } else {
                vec![Part::Text(text.to_string())]
            };
            return Template { parts };
        }
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        loop {
            if !enabled {
                break;
            }
            let Some(start) = find_open(rest) else { break };
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            literal.push_str(&rest[..start]);
            let inner = rest[start + 2..start + len].trim();
            rest = &rest[start + len + 1..];
            match inner {
                "*" | "?" | "$" => {
                    flush(&mut literal, &mut parts);
                    parts.push(Part::Escaped(inner.chars().next().unwrap_or('$')));
                }
                _ => {
                    flush(&mut literal, &mut parts);
                    let (key, default) = match inner.split_once(',') {
                        Some((k, d)) => {
                            let d = d.trim();
                            let d = d
                                .strip_prefix('\'')
                                .and_then(|d| d.strip_suffix('\''))
                                .unwrap_or(d);
                            (k.trim(), Some(d.to_string()))
                        }
                        None => (inner, None),
                    };
                    parts.push(Part::Variable {
                        key: key.to_ascii_lowercase(),
                        default,
                    });
                }
            }
        }
        literal.push_str(rest);
        flush(&mut literal, &mut parts);
        Template { parts }
    }

    /// True when the text has no variables or escapes: it can be compiled once.
    pub fn is_plain(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    /// The text of a plain template.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            if let Part::Text(t) = p {
                out.push_str(t);
            }
        }
        out
    }

    /// The variables' keys (lower-cased).
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Variable { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Substitutes the variables from `ctx`. `escape` writes an escaped or
    /// substituted character so the caller's matcher takes it literally
    /// (wildcard patterns need that; plain comparisons do not). None when a
    /// variable is missing (or multivalued) and has no default.
    pub fn resolve(&self, ctx: &RequestContext, escape: bool) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Escaped(c) => push_literal(&mut out, &c.to_string(), escape),
                Part::Variable { key, default } => match (ctx.get_lower(key), default) {
                    (Some(ContextValue::Single(v)), _) => push_literal(&mut out, v, escape),
                    (_, Some(d)) => push_literal(&mut out, d, escape),
                    _ => return None,
                },
            }
        }
        Some(out)
    }
}

fn push_literal(out: &mut String, text: &str, escape: bool) {
    if !escape {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        out.push(match c {
            '*' => LITERAL_STAR,
            '?' => LITERAL_QUESTION,
            c => c,
        });
    }
}

fn flush(literal: &mut String, parts: &mut Vec<Part>) {
    if !literal.is_empty() {
        parts.push(Part::Text(std::mem::take(literal)));
    }
}

/// `text.find("${")`, without setting up a substring searcher.
fn find_open(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(p) = bytes[from..].iter().position(|&b| b == b'$') {
        let at = from + p;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_defaults_and_escapes() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:username", "Bob");
        let cases: &[(&str, bool, Option<&str>)] = &[
            (
                "arn:aws:iam::111111111111:user/${aws:username}",
                true,
                Some("arn:aws:iam::111111111111:user/Bob"),
            ),
            ("${AWS:UserName}", true, Some("Bob")),
            ("${aws:userid}", true, None),
            ("${aws:userid, 'nobody'}", true, Some("nobody")),
            ("a${*}b${?}c${$}", true, Some("a*b?c$")),
            ("${aws:username}", false, Some("${aws:username}")),
            (
                "unterminated ${aws:username",
                true,
                Some("unterminated ${aws:username"),
            ),
        ];
        for &(text, enabled, want) in cases {
            assert_eq!(
                Template::parse(text, enabled)
                    .resolve(&ctx, false)
                    .as_deref(),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn multivalued_keys_do_not_substitute() {
        let mut ctx = RequestContext::new();
        ctx.insert("aws:TagKeys", ContextValue::Multi(vec!["a".into()]));
        assert_eq!(
            Template::parse("${aws:TagKeys}", true).resolve(&ctx, false),
            None
        );
    }

    #[test]
    fn escaped_wildcards_become_markers() {
        let t = Template::parse("x${*}", true);
        assert!(!t.is_plain());
        assert_eq!(
            t.resolve(&RequestContext::new(), true),
            Some(format!("x{LITERAL_STAR}"))
        );
    }
}
