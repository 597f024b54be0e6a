//! What an exercise is: its level, editable policies, goals and rules,
//! solution, and the errors of a file that does not read.

use crate::findings::Severity;
use kmsplay_messages::{render, Lang};
use kmsplay_playground::{Expect, PlaygroundFile};
use serde_json::Value;

/// How much an exercise asks of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// One statement, one idea.
    Beginner,
    /// Conditions, other accounts, grants.
    Intermediate,
    /// Several requirements that pull against each other.
    Advanced,
}

impl Level {
    /// `beginner`, `intermediate` or `advanced`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    /// Reads the word written in an exercise file.
    pub fn parse(text: &str) -> Option<Level> {
        [Level::Beginner, Level::Intermediate, Level::Advanced]
            .into_iter()
            .find(|l| l.as_str() == text)
    }

    /// The message id of its label (`exercise.level.<level>`).
    pub fn label(self) -> String {
        format!("exercise.level.{}", self.as_str())
    }
}

/// A policy the learner may edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Editable {
    /// The key policy (always editable).
    KeyPolicy,
    /// Policy `policy` of identity `identity` of the starting file.
    IdentityPolicy {
        /// Index into the file's `identities`.
        identity: usize,
        /// Index into that identity's `policies`.
        policy: usize,
    },
}

impl Editable {
    /// Reads `key_policy` or `identities[I].policies[J]`.
    pub fn parse(path: &str) -> Option<Editable> {
        if path == "key_policy" {
            return Some(Editable::KeyPolicy);
        }
        let rest = path.strip_prefix("identities[")?;
        let (i, rest) = rest.split_once("].policies[")?;
        let j = rest.strip_suffix(']')?;
        let index = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<usize>().ok())
                .flatten()
        };
        Some(Editable::IdentityPolicy {
            identity: index(i)?,
            policy: index(j)?,
        })
    }

    /// As written in exercise files.
    pub fn path(self) -> String {
        match self {
            Editable::KeyPolicy => "key_policy".to_string(),
            Editable::IdentityPolicy { identity, policy } => {
                format!("identities[{identity}].policies[{policy}]")
            }
        }
    }
}

/// What allowed a request, for goals that care about the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowedBy {
    /// A key-policy statement (with or without an IAM policy's half).
    KeyPolicy,
    /// A grant, and no policy.
    Grant,
}

impl AllowedBy {
    /// `key_policy` or `grant`.
    pub fn as_str(self) -> &'static str {
        match self {
            AllowedBy::KeyPolicy => "key_policy",
            AllowedBy::Grant => "grant",
        }
    }

    pub(super) fn parse(text: &str) -> Option<AllowedBy> {
        match text {
            "key_policy" => Some(AllowedBy::KeyPolicy),
            "grant" => Some(AllowedBy::Grant),
            _ => None,
        }
    }
}

/// A rule over the learner's key policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// No Allow statement lets `"Principal": "*"` in without a condition
    /// that limits it (the linter's `public-principal` finding).
    NoPrincipalStarWithoutCondition,
    /// No finding of these severities in the key policy.
    NoFindingOfSeverity(Vec<Severity>),
    /// No finding with these codes in the key policy.
    NoFinding(Vec<String>),
    /// At most this many statements.
    StatementCountAtMost(usize),
    /// Every statement of the starting key policy is still there, unchanged
    /// in meaning (Sid, order, layout and list order aside): the learner
    /// may only add statements.
    NoStatementModified,
    /// The key policy (with the file's grants and identities) allows no
    /// request that the starting one did not: `kmsplay check
    /// no-new-access` of the start against the learner's work passes.
    NoNewAccess,
}

impl Rule {
    /// The rule's name in exercise files.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::NoPrincipalStarWithoutCondition => "no-principal-star-without-condition",
            Rule::NoFindingOfSeverity(_) => "no-finding-of-severity",
            Rule::NoFinding(_) => "no-finding",
            Rule::StatementCountAtMost(_) => "statement-count-at-most",
            Rule::NoStatementModified => "no-statement-modified",
            Rule::NoNewAccess => "no-new-access",
        }
    }

    pub(super) fn needs_findings(&self) -> bool {
        matches!(
            self,
            Rule::NoPrincipalStarWithoutCondition
                | Rule::NoFindingOfSeverity(_)
                | Rule::NoFinding(_)
        )
    }
}

/// What a goal asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum GoalKind {
    /// A request must get this decision or outcome.
    Request {
        /// The request object as written in the exercise file (a playground
        /// file request), for a page to show or run.
        request: Value,
        /// The decision or outcome it must get.
        expect: Expect,
        /// When set, what must have allowed it.
        allowed_by: Option<AllowedBy>,
        /// Index of the request in the exercise's internal file.
        index: usize,
    },
    /// A rule over the key policy.
    Rule(Rule),
    /// Every request of the starting file that has an `expect` meets it.
    Expectations,
}

/// One goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Message id of the goal's sentence.
    pub text: String,
    /// What it asks for.
    pub kind: GoalKind,
}

/// The reference solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The key policy text.
    pub key_policy: String,
    /// Identity policies, as (identity index, policy index, text).
    pub identity_policies: Vec<(usize, usize, String)>,
}

/// One exercise, read and checked.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Stable id (the file name without `.json`).
    pub id: String,
    /// Level.
    pub level: Level,
    /// Message id of the title.
    pub title: String,
    /// Message id of the brief (what to do and why).
    pub brief: String,
    /// The scenario the key serves (`cloudtrail-trail`, …), used as the
    /// linter's context and to link to the scenario.
    pub scenario: Option<String>,
    /// What the learner may edit; the key policy always.
    pub editable: Vec<Editable>,
    /// The starting playground file, as a page loads it.
    pub start: Value,
    /// The key policy text the learner starts from.
    pub start_key_policy: String,
    /// The starting text of every editable identity policy, as (identity
    /// index, policy index, text).
    pub start_identity_policies: Vec<(usize, usize, String)>,
    /// The goals, in order.
    pub goals: Vec<Goal>,
    /// Message ids of the hints, from gentle to explicit.
    pub hints: Vec<String>,
    /// The reference solution.
    pub solution: Solution,
    /// The starting file with the goals' requests appended.
    pub(super) file: PlaygroundFile,
    /// How many requests of `file` come from the starting file.
    pub(super) start_requests: usize,
    /// The starting key policy's statements, normalised.
    pub(super) start_statements: Vec<(String, Value)>,
}

/// Why an exercise file cannot be used: a code (message id
/// `exercise.error.<code>`), the field, and named values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseError {
    /// The exercise.
    pub id: String,
    /// `json`, `missing-field`, `wrong-type`, `unknown-field`, `id-mismatch`,
    /// `invalid-level`, `invalid-editable`, `no-such-policy`, `start-invalid`,
    /// `start-scenario`, `invalid-goal-kind`, `invalid-expect`,
    /// `invalid-allowed-by`, `invalid-rule`, `invalid-severity`,
    /// `no-goals`, `unknown-solution-policy`.
    pub code: &'static str,
    /// The field, such as `goals[2].rule`.
    pub path: String,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl ExerciseError {
    pub(super) fn new(id: &str, code: &'static str, path: impl Into<String>) -> ExerciseError {
        ExerciseError {
            id: id.to_string(),
            code,
            path: path.into(),
            params: Vec::new(),
        }
    }

    pub(super) fn with(mut self, name: &'static str, value: impl Into<String>) -> ExerciseError {
        self.params.push((name, value.into()));
        self
    }

    /// The message id.
    pub fn message_id(&self) -> String {
        format!("exercise.error.{}", self.code)
    }

    /// The sentence, with the exercise and the field.
    pub fn message(&self, lang: Lang) -> String {
        let mut params = self.params.clone();
        params.push(("id", self.id.clone()));
        params.push(("path", self.path.clone()));
        render(lang, &self.message_id(), &params)
    }
}

impl std::fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}
