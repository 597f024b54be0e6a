//! Errors and warnings about a policy's text, as codes with parameters.
//! Turning them into sentences is the message catalogue's job.

use kmsplay_json::{ParseError, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS would reject the policy.
    Error,
    /// Accepted by AWS but almost certainly not what was meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable code such as `unknown-operator`.
    pub code: &'static str,
    /// How bad.
    pub severity: Severity,
    /// Where, in the text the policy was read from.
    pub span: Span,
    /// Named values the message needs.
    pub params: Vec<(&'static str, String)>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            span,
            params: Vec::new(),
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span)
        }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Diagnostic {
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

impl From<&ParseError> for Diagnostic {
    fn from(e: &ParseError) -> Diagnostic {
        Diagnostic {
            code: e.kind.code(),
            severity: Severity::Error,
            span: e.span,
            params: e.kind.params(),
        }
    }
}
