//! A scenario run: every request of its file decided, and which of them
//! fail.

use super::build::{file_json, setup};
use super::catalogue::Scenario;
use super::params::Params;
use kmsplay_kms::{Authorization, PolicyType};
use kmsplay_playground::{FileError, PlaygroundFile};
use kmsplay_policy::{Diagnostic, Severity};
use serde_json::Value;

/// The result of one request of a scenario.
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// The request's name in the file.
    pub name: String,
    /// Its kind's id within the scenario.
    pub request: &'static str,
    /// Message id of its purpose.
    pub purpose: &'static str,
    /// Message id of the consequence of failure.
    pub consequence: &'static str,
    /// The parameters those two messages take.
    pub message_params: Vec<(&'static str, String)>,
    /// The outcome the documents call for (`Success` or `AccessDeniedException`).
    pub expect: &'static str,
    /// The policy type that decides when the scenario's own statements are
    /// in place, where the scenario says (the data perimeter's requests):
    /// compare with `authorization.policy_type`.
    pub decided_by: Option<PolicyType>,
    /// The engine's answer.
    pub authorization: Authorization,
    /// Whether the answer is what the documents call for.
    pub passed: bool,
}

/// Pass or fail for the whole scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every request got the answer the documents call for.
    AllPass,
    /// These requests (indexes into the results) did not.
    Fail(Vec<usize>),
}

/// A scenario run against a key policy.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    /// The scenario's id.
    pub scenario: &'static str,
    /// The playground file that was run (export it, share it).
    pub json: Value,
    /// The same file, read.
    pub file: PlaygroundFile,
    /// One result per request, in order.
    pub results: Vec<RequestOutcome>,
    /// The verdict.
    pub verdict: Verdict,
}

impl ScenarioRun {
    /// True when every request passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::AllPass
    }

    /// Errors in the pasted key policy (AWS would refuse it); when there
    /// are any, the key policy allows nothing.
    pub fn policy_errors(&self) -> Vec<&Diagnostic> {
        self.file
            .policies
            .iter()
            .filter(|p| p.source == kmsplay_playground::PolicySource::Key)
            .flat_map(|p| &p.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }
}

/// Runs `scenario` against the key policy text a user pasted. The error
/// case means the file could not be built from these parameters, which
/// validated [`Params`] rule out.
pub fn run(
    scenario: &'static Scenario,
    params: &Params,
    policy_text: &str,
) -> Result<ScenarioRun, FileError> {
    let s = setup(scenario, params);
    let json = file_json(scenario, params, policy_text, &s);
    let file = kmsplay_playground::read(&json.to_string())?;
    let results: Vec<RequestOutcome> = s
        .requests
        .iter()
        .zip(kmsplay_playground::run(&file, false))
        .map(|(req, r)| RequestOutcome {
            name: req.name(),
            request: req.kind.id,
            purpose: req.kind.purpose,
            consequence: req.kind.consequence,
            message_params: req.params.clone(),
            expect: req.expect,
            decided_by: req.layer,
            passed: r.expect_met == Some(true),
            authorization: r.authorization,
        })
        .collect();
    let failed: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.passed)
        .map(|(i, _)| i)
        .collect();
    Ok(ScenarioRun {
        scenario: scenario.id,
        json,
        file,
        results,
        verdict: if failed.is_empty() {
            Verdict::AllPass
        } else {
            Verdict::Fail(failed)
        },
    })
}
