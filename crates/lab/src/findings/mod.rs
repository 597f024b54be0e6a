//! Findings: the mistakes a linter catches in a key policy or an IAM
//! policy before AWS (or a failing CloudTrail trail) does.
//!
//! Each finding is a stable kebab-case code, a [`Severity`], the span of
//! the text it is about and named parameters; the message catalogues hold
//! the words (`finding.<code>` for what is wrong, `finding.<code>.help` for
//! what to do). The parser's own diagnostics (JSON and grammar errors) pass
//! through with their codes, so an editor shows one list.
//!
//! The severities follow IAM Access Analyzer's policy validation
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>):
//! `error` (AWS rejects the policy, or the setup cannot work), `security`
//! (it works but lets in more than intended), `warning` (part of it never
//! matches or does not mean what it seems), `suggestion` (clean-up).
//!
//! The AWS pages behind each rule are cited next to it below.

mod actions;
mod conditions;
mod finding;
mod lint;
mod linter;
mod suggest;
mod values;
mod words;

pub use finding::{Finding, LintContext, Severity};
pub use lint::{lint_document, lint_file, lint_policy, lint_text, LintedPolicy};
pub use words::{findings_json, help, message, policy_name};
