//! The learner's work read from a document, and checking it.

use super::check::{check, Checklist};
use super::model::{AllowedBy, Editable, Exercise, GoalKind};
use kmsplay_json::{Node, Value as JsonValue};
use kmsplay_messages::Lang;
use serde_json::{json, Value};

/// What a learner wrote: the key policy text and the editable identity
/// policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    /// The key policy text.
    pub key_policy: String,
    /// Identity policies, as (identity index, policy index, text).
    pub identity_policies: Vec<(usize, usize, String)>,
}

/// Reads the learner's work from a document that is either the key policy
/// itself or a playground file (an object with `version` and `key`) whose
/// `key.policy` and editable `identities[i].policies[j]` hold it. A policy
/// given as an object is taken exactly as written in the document.
pub fn read_work(ex: &Exercise, text: &str) -> Work {
    let root = kmsplay_json::parse(text).ok();
    let playground = root
        .as_ref()
        .filter(|r| r.get("version").is_some() && r.get("key").is_some());
    let Some(root) = playground else {
        return Work {
            key_policy: text.to_string(),
            identity_policies: Vec::new(),
        };
    };
    let as_text = |n: &Node| match &n.value {
        JsonValue::String(s) => s.clone(),
        _ => text[n.span.start..n.span.end].to_string(),
    };
    let key_policy = root
        .get("key")
        .and_then(|k| k.get("policy"))
        .map(as_text)
        .unwrap_or_default();
    let mut identity_policies = Vec::new();
    for e in &ex.editable {
        let Editable::IdentityPolicy { identity, policy } = *e else {
            continue;
        };
        let node = match root.get("identities").map(|n| &n.value) {
            Some(JsonValue::Array(items)) => {
                items
                    .get(identity)
                    .and_then(|i| match i.get("policies").map(|p| &p.value) {
                        Some(JsonValue::Array(ps)) => ps.get(policy),
                        _ => None,
                    })
            }
            _ => None,
        };
        if let Some(n) = node {
            identity_policies.push((identity, policy, as_text(n)));
        }
    }
    Work {
        key_policy,
        identity_policies,
    }
}

impl Exercise {
    /// Checks the starting file as the learner first sees it.
    pub fn check_start(&self) -> Checklist {
        check(self, &self.start_key_policy, &self.start_identity_policies)
    }

    /// Checks the reference solution.
    pub fn check_solution(&self) -> Checklist {
        // Identity policies the solution leaves alone stay as they start.
        let mut identities = self.start_identity_policies.clone();
        for (i, j, text) in &self.solution.identity_policies {
            match identities.iter_mut().find(|(a, b, _)| a == i && b == j) {
                Some(slot) => slot.2 = text.clone(),
                None => identities.push((*i, *j, text.clone())),
            }
        }
        check(self, &self.solution.key_policy, &identities)
    }

    /// Every message id the exercise uses (title, brief, goals, hints).
    pub fn message_ids(&self) -> Vec<&str> {
        let mut ids = vec![self.title.as_str(), self.brief.as_str()];
        ids.extend(self.goals.iter().map(|g| g.text.as_str()));
        ids.extend(self.hints.iter().map(String::as_str));
        ids
    }

    /// As JSON for a page: id, level, words in `lang`, what is editable,
    /// the starting file and policies, goals, hints and the solution.
    pub fn to_json(&self, lang: Lang) -> Value {
        let t = |id: &str| kmsplay_messages::text(lang, id);
        let identity = |list: &[(usize, usize, String)]| {
            list.iter()
                .map(|(i, j, text)| {
                    json!({
                        "path": Editable::IdentityPolicy { identity: *i, policy: *j }.path(),
                        "identity": i,
                        "policy": j,
                        "text": text,
                    })
                })
                .collect::<Vec<_>>()
        };
        json!({
            "id": self.id,
            "level": self.level.as_str(),
            "level_label": t(&self.level.label()),
            "title": t(&self.title),
            "brief": t(&self.brief),
            "scenario": self.scenario,
            "editable": self.editable.iter().map(|e| e.path()).collect::<Vec<_>>(),
            "start": self.start,
            "start_key_policy": self.start_key_policy,
            "start_identity_policies": identity(&self.start_identity_policies),
            "goals": self.goals.iter().map(|g| {
                let mut o = json!({ "text_id": g.text, "text": t(&g.text) });
                match &g.kind {
                    GoalKind::Request { request, expect, allowed_by, .. } => {
                        o["kind"] = json!("request");
                        o["request"] = request.clone();
                        o["expect"] = json!(expect.as_str());
                        o["allowed_by"] = json!(allowed_by.map(AllowedBy::as_str));
                    }
                    GoalKind::Rule(rule) => {
                        o["kind"] = json!("rule");
                        o["rule"] = json!(rule.name());
                    }
                    GoalKind::Expectations => o["kind"] = json!("expectations"),
                }
                o
            }).collect::<Vec<_>>(),
            "hints": self.hints.iter().map(|h| t(h)).collect::<Vec<_>>(),
            "solution": {
                "key_policy": self.solution.key_policy,
                "identity_policies": identity(&self.solution.identity_policies),
            },
        })
    }
}
