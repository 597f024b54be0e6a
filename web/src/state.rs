//! The page's state and the actions that change it (a Yew reducer).

use crate::workspace::Workspace;
use kmsplay_messages::Lang;
use std::rc::Rc;
use yew::Reducible;

/// A message for the user in the notice bar: id and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Message id.
    pub id: String,
    /// Parameters (names owned: some come from the second module's JSON).
    pub params: Vec<(String, String)>,
    /// An error (shown in red) or information.
    pub error: bool,
}

/// Which part of the page is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The playground.
    Playground,
    /// The list of exercises.
    Exercises,
    /// One exercise, by id.
    Exercise(String),
}

/// Everything the page shows, besides what is derived from it.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The user's work.
    pub ws: Workspace,
    /// Language.
    pub lang: Lang,
    /// Chosen scenario id ("" for the file's own requests).
    pub scenario: String,
    /// The scenario form's values as typed (empty means the default).
    pub params: Vec<(String, String)>,
    /// The selected result row.
    pub selected: Option<usize>,
    /// Earlier work, for undoing applied fixes, merges and imports.
    pub undo: Vec<Workspace>,
    /// The notice bar.
    pub notice: Option<Notice>,
    /// The advanced editor's text (kept even while it is not valid JSON).
    pub rest_text: String,
    /// Why the advanced editor's text is not used, if it is not.
    pub rest_error: Option<String>,
    /// The caret's byte offset in the policy editor.
    pub cursor: usize,
    /// A byte range of the policy to highlight (the deciding statement).
    pub highlight: Option<(usize, usize)>,
    /// Which part of the page is open.
    pub view: View,
    /// How many hints of the open exercise are shown.
    pub hints: usize,
    /// The open exercise's solution is shown.
    pub solution_shown: bool,
    /// Key properties set on the page for a scenario (state, spec), which
    /// replace the scenario's defaults.
    pub key_overrides: Vec<(String, String)>,
    /// Guardrail policies edited over a scenario (SCPs, RCPs, boundaries,
    /// session and endpoint policies), as typed; a file's own are edited
    /// in the file.
    pub layer_edits: Vec<(kmsplay_playground::PolicySource, String)>,
    /// The work was imported from AWS's output (it holds account ids and
    /// ARNs: share links say so).
    pub imported: bool,
    /// The key policy the "Policy checks" panel compares the editor's with:
    /// the policy as it was loaded, imported or last marked.
    pub baseline: String,
    /// The policy checks' failures as findings, and the policy text they
    /// are placed in (shown only while the editor holds that text).
    pub check_findings: (String, Vec<crate::derive::Mark>),
}

impl AppState {
    /// A fresh state around a workspace.
    pub fn new(ws: Workspace, lang: Lang, scenario: String) -> AppState {
        let rest_text = ws.rest_text();
        AppState {
            baseline: ws.policy.clone(),
            check_findings: (String::new(), Vec::new()),
            ws,
            lang,
            scenario,
            params: Vec::new(),
            selected: None,
            undo: Vec::new(),
            notice: None,
            rest_text,
            rest_error: None,
            cursor: 0,
            highlight: None,
            view: View::Playground,
            hints: 0,
            solution_shown: false,
            key_overrides: Vec::new(),
            layer_edits: Vec::new(),
            imported: false,
        }
    }
}

/// What can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed in the policy editor.
    EditPolicy(String),
    /// The caret moved.
    Cursor(usize),
    /// Replace the policy with an undo point (fix, merge, format).
    ReplacePolicy(String),
    /// Undo the last replacement.
    Undo,
    /// The user typed in the advanced editor.
    EditRest(String),
    /// Replace everything (import, share link).
    Load(Workspace),
    /// Replace everything with a file imported from AWS's output: its own
    /// requests are shown, and share links warn that they hold its ids.
    Imported(Workspace),
    /// The work with a request added (a policy check's counterexample):
    /// the file's own requests are shown, the new one selected.
    AddRequest(Workspace),
    /// The work as it is becomes the policy checks' baseline.
    MarkBaseline,
    /// The policy checks' failures, placed in this policy text.
    CheckFindings(String, Vec<crate::derive::Mark>),
    /// Choose a language.
    Lang(Lang),
    /// Choose a scenario.
    Scenario(String),
    /// Set a scenario parameter.
    Param(String, String),
    /// Select a result row and the span to highlight.
    Select(Option<usize>, Option<(usize, usize)>),
    /// Show a notice.
    Notify(Notice),
    /// Hide the notice.
    Dismiss,
    /// Open a view, with the work to show in it.
    Open(View, Option<Workspace>),
    /// Show the next hint.
    Hint,
    /// Show the solution (after the learner confirmed).
    ShowSolution(String),
    /// Set a key property (`state`, `spec`): in the file, or over a scenario.
    KeyProperty(String, String),
    /// Replace the playground file around the policy (a lifecycle step,
    /// a grant call).
    SetFile(serde_json::Value),
    /// Set the text of a guardrail policy (SCP, RCP, boundary, session or
    /// endpoint policy): in the file, or over a scenario.
    EditLayer(kmsplay_playground::PolicySource, String),
    /// Give the file an organization (the panel's starting point).
    AddOrganization(serde_json::Value),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let imported = matches!(action, Action::Imported(_));
        match action {
            Action::EditPolicy(text) => {
                s.ws.policy = text;
                s.highlight = None;
                // "Not valid JSON, cannot be formatted" is about the text
                // that was there; once the text is valid it is stale.
                if s.notice
                    .as_ref()
                    .is_some_and(|n| n.id == "ui.format.invalid")
                    && kmsplay_json::parse(&s.ws.policy).is_ok()
                {
                    s.notice = None;
                }
            }
            Action::Cursor(c) => s.cursor = c,
            Action::ReplacePolicy(text) => {
                if text != s.ws.policy {
                    s.undo.push(s.ws.clone());
                    if s.undo.len() > 50 {
                        s.undo.remove(0);
                    }
                    s.ws.policy = text;
                }
                s.highlight = None;
            }
            Action::Undo => {
                if let Some(previous) = s.undo.pop() {
                    s.rest_text = previous.rest_text();
                    s.rest_error = None;
                    s.ws = previous;
                }
            }
            Action::EditRest(text) => {
                match kmsplay_json::parse(&text) {
                    Ok(node) => {
                        let v = kmsplay_playground::node_value(&node);
                        if v.get("key").is_some_and(|k| k.is_object()) {
                            s.ws.rest = v;
                            s.rest_error = None;
                        } else {
                            s.rest_error = Some("ui.advanced.needs-key".into());
                        }
                    }
                    Err(e) => {
                        let at = kmsplay_json::LineIndex::new(&text).position(e.span.start);
                        s.rest_error =
                            Some(format!("ui.advanced.bad-json:{}:{}", at.line, at.column))
                    }
                }
                s.rest_text = text;
            }
            Action::Load(ws) | Action::Imported(ws) => {
                s.imported = imported;
                if imported {
                    // The imported calls are what the person came with.
                    s.view = View::Playground;
                    s.notice = Some(Notice {
                        id: "ui.import-aws.opened".into(),
                        params: Vec::new(),
                        error: false,
                    });
                    s.scenario.clear();
                    s.params.clear();
                    s.key_overrides.clear();
                    s.layer_edits.clear();
                }
                s.undo.push(s.ws.clone());
                s.rest_text = ws.rest_text();
                s.rest_error = None;
                s.baseline = ws.policy.clone();
                s.ws = ws;
                s.selected = None;
                s.highlight = None;
            }
            Action::AddRequest(ws) => {
                s.undo.push(std::mem::replace(&mut s.ws, ws));
                s.rest_text = s.ws.rest_text();
                s.rest_error = None;
                s.scenario.clear();
                s.params.clear();
                s.selected = s.ws.rest["requests"]
                    .as_array()
                    .and_then(|r| r.len().checked_sub(1));
                s.highlight = None;
            }
            Action::MarkBaseline => s.baseline = s.ws.policy.clone(),
            Action::CheckFindings(policy, marks) => s.check_findings = (policy, marks),
            Action::Lang(lang) => s.lang = lang,
            Action::Scenario(id) => {
                s.scenario = id;
                s.params.clear();
                s.layer_edits.clear();
                s.selected = None;
                s.highlight = None;
            }
            Action::Param(name, value) => match s.params.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = value,
                None => s.params.push((name, value)),
            },
            Action::Select(row, span) => {
                s.selected = row;
                s.highlight = span;
            }
            Action::Notify(n) => s.notice = Some(n),
            Action::Dismiss => s.notice = None,
            Action::Open(view, ws) => {
                if let Some(ws) = ws {
                    s.rest_text = ws.rest_text();
                    s.rest_error = None;
                    s.ws = ws;
                    s.undo.clear();
                }
                if matches!(view, View::Exercise(_)) {
                    s.scenario.clear();
                    s.params.clear();
                }
                s.view = view;
                s.hints = 0;
                s.solution_shown = false;
                s.selected = None;
                s.highlight = None;
            }
            Action::Hint => s.hints += 1,
            Action::SetFile(mut file) => {
                if let Some(key) = file.get_mut("key").and_then(|k| k.as_object_mut()) {
                    key.remove("policy");
                }
                if s.scenario.is_empty() {
                    s.ws.rest = file;
                    s.rest_text = s.ws.rest_text();
                } else if let Some(state) = file["key"]["state"].as_str() {
                    s.key_overrides.retain(|(n, _)| n != "state");
                    s.key_overrides.push(("state".into(), state.to_string()));
                }
            }
            Action::EditLayer(source, text) => {
                if s.scenario.is_empty() {
                    // Kept as a string: the user's text exactly, even
                    // while it is not valid JSON.
                    if let Some(slot) = crate::derive::layer_slot(&mut s.ws.rest, &source) {
                        *slot = serde_json::Value::String(text);
                        s.rest_text = s.ws.rest_text();
                    }
                } else {
                    match s.layer_edits.iter_mut().find(|(src, _)| *src == source) {
                        Some(entry) => entry.1 = text,
                        None => s.layer_edits.push((source, text)),
                    }
                }
            }
            Action::AddOrganization(org) => {
                if s.scenario.is_empty() && s.ws.rest.get("organization").is_none() {
                    s.undo.push(s.ws.clone());
                    s.ws.rest["organization"] = org;
                    s.rest_text = s.ws.rest_text();
                }
            }
            Action::KeyProperty(name, value) => {
                if s.scenario.is_empty() {
                    if let Some(key) = s.ws.rest.get_mut("key").and_then(|k| k.as_object_mut()) {
                        kmsplay_playground::set_key_property(key, &name, &value);
                    }
                    s.rest_text = s.ws.rest_text();
                } else {
                    s.key_overrides.retain(|(n, _)| *n != name);
                    s.key_overrides.push((name, value));
                }
            }
            Action::ShowSolution(policy) => {
                s.undo.push(s.ws.clone());
                s.ws.policy = policy;
                s.solution_shown = true;
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod layer_tests {
    use super::*;
    use kmsplay_playground::PolicySource;

    fn chain_state() -> Rc<AppState> {
        let ws =
            Workspace::from_file_text(include_str!("../../tests/playground/evaluation-chain.json"))
                .unwrap();
        Rc::new(AppState::new(ws, Lang::En, String::new()))
    }

    #[test]
    fn the_cannot_format_notice_goes_once_the_policy_is_valid() {
        let mut s = (*chain_state()).clone();
        s.notice = Some(Notice {
            id: "ui.format.invalid".into(),
            params: Vec::new(),
            error: true,
        });
        let s = Rc::new(s).reduce(Action::EditPolicy("{ still broken".into()));
        assert!(s.notice.is_some());
        let s = s.reduce(Action::EditPolicy("{}".into()));
        assert!(s.notice.is_none());
    }

    #[test]
    fn editing_a_layer_of_the_file_keeps_the_text_as_typed() {
        let source = PolicySource::Scp {
            node: "r-a1b2".into(),
            policy: 0,
        };
        // The root lists no SCP: there is nothing to edit there.
        let s = chain_state().reduce(Action::EditLayer(source, "{".into()));
        assert!(s.ws.rest["organization"]["scps"].get("r-a1b2").is_none());
        let source = PolicySource::Scp {
            node: "ou-a1b2-sandbox".into(),
            policy: 0,
        };
        let s = s.reduce(Action::EditLayer(source, "{ not json".into()));
        assert_eq!(
            s.ws.rest["organization"]["scps"]["ou-a1b2-sandbox"][0],
            "{ not json"
        );
        assert!(s.rest_text.contains("{ not json"));
        assert!(s.layer_edits.is_empty());
    }

    #[test]
    fn editing_a_layer_over_a_scenario_is_kept_beside_it_until_another_is_chosen() {
        let s = Rc::new(AppState::new(
            Workspace::default_example(),
            Lang::En,
            "cloudtrail-trail".into(),
        ));
        let source = PolicySource::Endpoint { request: 0 };
        let s = s.reduce(Action::EditLayer(source.clone(), "{}".into()));
        let s = s.reduce(Action::EditLayer(source.clone(), "{ }".into()));
        assert_eq!(s.layer_edits, vec![(source, "{ }".to_string())]);
        let s = s.reduce(Action::Scenario(String::new()));
        assert!(s.layer_edits.is_empty());
    }

    #[test]
    fn an_organization_is_added_once_and_can_be_undone() {
        let s = Rc::new(AppState::new(
            Workspace::default_example(),
            Lang::En,
            String::new(),
        ));
        let s = s.reduce(Action::AddOrganization(serde_json::json!({"id": "o-1"})));
        assert_eq!(s.ws.rest["organization"]["id"], "o-1");
        let s = s.reduce(Action::AddOrganization(serde_json::json!({"id": "o-2"})));
        assert_eq!(s.ws.rest["organization"]["id"], "o-1");
        let s = s.reduce(Action::Undo);
        assert!(s.ws.rest.get("organization").is_none());
    }
}
