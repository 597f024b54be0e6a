//! What a finding is: a code, a severity, a span and parameters, and
//! what the linter knows of the policy's use.

use kmsplay_json::Span;
use kmsplay_kms::Key;
use kmsplay_policy::PolicyKind;

/// How bad a finding is, in IAM Access Analyzer's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS rejects the policy, or what it is for cannot work.
    Error,
    /// It works, but lets in more than was probably meant.
    Security,
    /// Accepted, but part of it never matches or does not mean what it seems.
    Warning,
    /// Worth tidying.
    Suggestion,
}

impl Severity {
    /// `error`, `security`, `warning` or `suggestion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Security => "security",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable kebab-case code; the message ids are `finding.<code>` and
    /// `finding.<code>.help` (parser codes keep their `diag.<code>` message).
    pub code: &'static str,
    /// How bad.
    pub severity: Severity,
    /// Where, in the text the policy was read from.
    pub span: Span,
    /// Named values the messages need. A `suggestion` parameter, when
    /// present, is a "did you mean" replacement.
    pub params: Vec<(&'static str, String)>,
}

impl Finding {
    pub(super) fn new(code: &'static str, severity: Severity, span: Span) -> Finding {
        Finding {
            code,
            severity,
            span,
            params: Vec::new(),
        }
    }

    pub(super) fn with(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.params.push((name, value.into()));
        self
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the linter knows besides the policy text.
#[derive(Debug, Clone, Copy)]
pub struct LintContext<'a> {
    /// The key the policy belongs to (its account, ARN, spec and tags);
    /// without it the account-dependent checks assume any account may be
    /// the key's.
    pub key: Option<&'a Key>,
    /// A key policy or an IAM identity policy.
    pub kind: PolicyKind,
    /// The scenario the key serves: `cloudtrail-trail`,
    /// `cloudtrail-event-data-store` or `eventbridge-connection`.
    pub scenario: Option<&'a str>,
}
