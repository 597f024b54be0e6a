//! What the lifecycle panel does to the playground file: a key-service
//! session over the file in effect, one action or grant call at a time,
//! written back into the file. Pure functions, natively testable.

use kmsplay_kms::catalogue;
use kmsplay_kms::grants::{CreateGrantRequest, EndGrantRequest, GrantRef};
use kmsplay_kms::lifecycle::Action;
use kmsplay_kms::GrantConstraint;
use kmsplay_messages::Lang;
use kmsplay_playground::lifecycle::Session;
use kmsplay_policy::Principal;
use serde_json::{json, Value};

/// The file after a step, and what to tell the person.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The new playground file.
    pub file: Value,
    /// What happened (change, created grant, …) as the shared JSON.
    pub report: Value,
    /// True when KMS refused.
    pub refused: bool,
}

impl Step {
    /// The step as the page's main module reads it back:
    /// `{"file": …, "report": …, "refused": …}`.
    pub fn to_json(&self) -> Value {
        json!({ "file": self.file, "report": self.report, "refused": self.refused })
    }
}

/// The step for what KMS answered: on success the session's state
/// written back into the file, on refusal the file unchanged.
fn step(s: &Session, original: Value, answer: Result<Value, Value>) -> Step {
    match answer {
        Ok(report) => Step {
            report,
            file: s.write_back(&original),
            refused: false,
        },
        Err(report) => Step {
            report,
            file: original,
            refused: true,
        },
    }
}

fn session(file_text: &str) -> Option<(Session, Value)> {
    let file = kmsplay_playground::read(file_text).ok()?;
    let original: Value = serde_json::from_str(file_text).ok()?;
    Some((Session::new(&file), original))
}

/// Applies a lifecycle action (`disable`, `schedule-deletion`, `wait`, …).
pub fn lifecycle(file_text: &str, action: &str, days: Option<i64>, lang: Lang) -> Option<Step> {
    let (mut s, original) = session(file_text)?;
    let a = Action::parse(action, days)?;
    let answer = s
        .apply(a)
        .map(|change| s.change_json(action, &change, lang))
        .map_err(|e| kmsplay_playground::lifecycle::lifecycle_error_json(&e, lang));
    Some(step(&s, original, answer))
}

/// The key's account root: the caller for the panel's grant calls.
fn key_root(file: &Value) -> Option<Principal> {
    let arn = file["key"]["arn"].as_str()?;
    let account = kmsplay_policy::arn::account(arn)?;
    Principal::parse(account)
}

/// CreateGrant by the key's account root.
pub fn create_grant(
    file_text: &str,
    grantee: &str,
    operations: &str,
    subset: &str,
    name: &str,
    lang: Lang,
) -> Option<Step> {
    let (mut s, original) = session(file_text)?;
    let ops = operations
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .filter_map(catalogue::operation)
        .collect();
    let pairs: Vec<(String, String)> = subset
        .split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let req = CreateGrantRequest {
        principal: key_root(&original)?,
        key: None,
        grantee: grantee.trim().to_string(),
        operations: ops,
        constraint: (!pairs.is_empty()).then_some(GrantConstraint::Subset(pairs)),
        retiring_principal: None,
        name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
        grant_tokens: Vec::new(),
        context: Vec::new(),
    };
    let now = s.clock;
    let answer = s
        .service
        .create_grant(&req, now)
        .map(|created| s.created_json(&created))
        .map_err(|f| kmsplay_playground::lifecycle::grant_failure_json(&f, lang));
    Some(step(&s, original, answer))
}

/// RevokeGrant by the key's account root.
pub fn revoke_grant(file_text: &str, grant_id: &str, lang: Lang) -> Option<Step> {
    let (mut s, original) = session(file_text)?;
    let req = EndGrantRequest {
        principal: key_root(&original)?,
        key: None,
        grant: GrantRef::Id(grant_id.to_string()),
        context: Vec::new(),
    };
    let now = s.clock;
    let answer = s
        .service
        .revoke_grant(&req, now)
        .map(|ended| s.ended_json(&ended, lang))
        .map_err(|f| kmsplay_playground::lifecycle::grant_failure_json(&f, lang));
    Some(step(&s, original, answer))
}

/// Adds two requests that use a grant: without its token and with it (see
/// [`kmsplay_playground::lifecycle::grant_trial`], where the rule lives).
pub fn try_grant(file: &Value, grant: &Value) -> Value {
    kmsplay_playground::lifecycle::grant_trial(file, grant)
}

/// Which of the file's rules match which of its events, or why a rule's
/// pattern is invalid.
pub fn rule_matches(file_text: &str, lang: Lang) -> Vec<Value> {
    let Ok(file) = kmsplay_playground::read(file_text) else {
        return Vec::new();
    };
    file.rules
        .iter()
        .map(|rule| match kmsplay_events::Pattern::parse(&rule.pattern) {
            Ok(p) => {
                let matched: Vec<usize> = file
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| p.matches(e))
                    .map(|(i, _)| i)
                    .collect();
                json!({ "name": rule.name, "matches": matched })
            }
            Err(e) => {
                let index = kmsplay_json::LineIndex::new(&rule.pattern);
                let pos = index.position(e.span.start);
                json!({
                    "name": rule.name,
                    "error": kmsplay_messages::render(lang, &e.message_id(), &e.params),
                    "line": pos.line,
                    "column": pos.column,
                })
            }
        })
        .collect()
}

/// The CloudTrail records of the file's requests.
pub fn records(file_text: &str) -> Vec<Value> {
    kmsplay_playground::read(file_text)
        .map(|f| kmsplay_playground::lifecycle::records(&f))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's bundled example, as the page starts with it.
    fn file_text() -> String {
        include_str!("../../../examples/alice-cross-account.json").to_string()
    }

    #[test]
    fn disabling_emits_no_event_but_changes_the_state() {
        let step = lifecycle(&file_text(), "disable", None, Lang::En).unwrap();
        assert!(!step.refused);
        assert_eq!(step.file["key"]["state"], "Disabled");
        assert_eq!(step.report["after"], "Disabled");
    }

    #[test]
    fn scheduled_deletion_then_waiting_deletes_and_sends_the_event_twice() {
        let step = lifecycle(&file_text(), "schedule-deletion", Some(7), Lang::En).unwrap();
        let text = serde_json::to_string(&step.file).unwrap();
        let step = lifecycle(&text, "wait", Some(8), Lang::En).unwrap();
        assert_eq!(step.file["key"]["state"], "Deleted");
        let events = step.report["events"].as_array().unwrap();
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0]["detail-type"], "KMS CMK Deletion");
    }

    #[test]
    fn a_created_grant_is_pending_and_works_with_its_token() {
        let step = create_grant(
            &file_text(),
            "arn:aws:iam::111111111111:user/Bob",
            "Decrypt",
            "Department=IT",
            "bob-grant",
            Lang::En,
        )
        .unwrap();
        assert!(!step.refused, "{}", step.report);
        let grant = step.file["key"]["grants"][0].clone();
        let file = try_grant(&step.file, &grant);
        let report = kmsplay_playground::simulate_json(&file.to_string(), Lang::En, false)
            .unwrap()
            .json();
        let results = report["results"].as_array().unwrap();
        let n = results.len();
        assert_eq!(
            results[n - 2]["decision"],
            "implicitDeny",
            "without the token"
        );
        assert_eq!(results[n - 1]["decision"], "allowed", "with the token");
    }
}
