//! ARNs split into their six parts, and part-wise wildcard matching as
//! `ArnLike`, `ArnEquals` and `Resource` do it.
//!
//! AWS: "Each of the six colon-delimited components of the ARN is checked
//! separately and each can include multi-character match wildcards (*) or
//! single-character match wildcards (?)" —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>

use crate::wildcard::Pattern;

/// The six parts of an ARN: `arn:partition:service:region:account:resource`.
/// The resource part keeps any further colons.
pub fn split(arn: &str) -> Option<[&str; 6]> {
    // `arn.splitn(6, ':')`, by hand: this runs for every ARN of every
    // request, and the general splitter costs several times more.
    if !arn.starts_with("arn:") {
        return None;
    }
    let bytes = arn.as_bytes();
    let mut out = [""; 6];
    let mut start = 0;
    for part in out.iter_mut().take(5) {
        let end = start + bytes[start..].iter().position(|&b| b == b':')?;
        *part = &arn[start..end];
        start = end + 1;
    }
    out[5] = &arn[start..];
    Some(out)
}

/// The account part of an ARN, if it has one.
pub fn account(arn: &str) -> Option<&str> {
    split(arn).map(|p| p[4]).filter(|a| !a.is_empty())
}

/// An ARN pattern compiled part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnPattern {
    parts: ArnParts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ArnParts {
    /// `*`: every ARN (and, for `Resource`, every resource).
    All,
    /// Six part patterns.
    Parts(Box<[Pattern; 6]>),
    /// Not an ARN: matched as one wildcard pattern over the whole text.
    Whole(Pattern),
    /// Starts like an ARN but has fewer than six parts: matches nothing.
    Never,
}

impl ArnPattern {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> ArnPattern {
        if pattern == "*" {
            return ArnPattern {
                parts: ArnParts::All,
            };
        }
        let parts = match split(pattern) {
            Some(p) => ArnParts::Parts(Box::new(p.map(|part| Pattern::new(part, false)))),
            None if pattern.starts_with("arn:") => ArnParts::Never,
            None => ArnParts::Whole(Pattern::new(pattern, false)),
        };
        ArnPattern { parts }
    }

    /// Compiles a `Resource` / `NotResource` entry. Unlike the `Arn*`
    /// condition operators, a trailing `*` in a resource ARN "can expand to
    /// match beyond the colon boundaries"
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>),
    /// so `arn:aws:kms:*` covers every key.
    pub fn resource(pattern: &str) -> ArnPattern {
        if split(pattern).is_none() && pattern.starts_with("arn:") && pattern.ends_with('*') {
            return ArnPattern {
                parts: ArnParts::Whole(Pattern::new(pattern, false)),
            };
        }
        ArnPattern::new(pattern)
    }

    /// Does the ARN `arn` match?
    pub fn matches(&self, arn: &str) -> bool {
        match &self.parts {
            ArnParts::All => true,
            ArnParts::Never => false,
            ArnParts::Whole(p) => p.matches(arn),
            ArnParts::Parts(patterns) => match split(arn) {
                Some(parts) => patterns.iter().zip(parts).all(|(p, t)| p.matches(t)),
                None => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/Default";
        let cases: &[(&str, &str, bool)] = &[
            ("*", "anything", true),
            ("arn:aws:cloudtrail:*:111111111111:trail/*", trail, true),
            ("arn:aws:cloudtrail:*:222222222222:trail/*", trail, false),
            // A star stays inside its part: it cannot swallow the colons.
            ("arn:aws:cloudtrail:*", trail, false),
            ("arn:aws:*:*:*:*", trail, true),
            (
                "arn:aws:cloudtrail:us-east-?:111111111111:trail/Default",
                trail,
                true,
            ),
            ("arn:aws:CloudTrail:*:111111111111:trail/*", trail, false),
            // The resource part keeps its own colons.
            (
                "arn:aws:secretsmanager:*:*:secret:events!connection/*",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/c/abc",
                true,
            ),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", true),
            ("arn:aws:s3:::bucket/*", "not-an-arn", false),
            ("not-an-arn*", "not-an-arn-really", true),
        ];
        for &(p, t, want) in cases {
            assert_eq!(ArnPattern::new(p).matches(t), want, "{p} vs {t}");
        }
    }

    #[test]
    fn split_and_account() {
        assert_eq!(
            account("arn:aws:iam::111111111111:user/Bob"),
            Some("111111111111")
        );
        assert_eq!(account("arn:aws:s3:::bucket"), None);
        assert_eq!(split("arn:aws:iam"), None);
        assert_eq!(split("urn:a:b:c:d:e"), None);
        for text in [
            "arn:aws:kms:us-east-1:111111111111:key/k",
            "arn:aws:logs:r:1:log-group:/a:b:*",
            "arn:::::",
            "arn:a:b:c:d",
            "arn:a:b:c:d:",
            "arnx:a:b:c:d:e",
            "arn",
            "",
            "arn:日本:b:c:d:e:f",
        ] {
            let mut parts = text.splitn(6, ':');
            let reference = (|| {
                let out = [(); 6].map(|_| parts.next());
                let out = [out[0]?, out[1]?, out[2]?, out[3]?, out[4]?, out[5]?];
                (out[0] == "arn").then_some(out)
            })();
            assert_eq!(split(text), reference, "{text}");
        }
    }
}
