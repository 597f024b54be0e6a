//! What the user is working on, independent of the UI: the key policy text
//! exactly as typed, and the rest of the playground file (key properties,
//! identities, grants, requests). Export, import, autosave and share links
//! all go through the playground file format, so they stay one contract.

use kmsplay_messages::Lang;
use serde_json::{json, Value};

/// The default example: the CloudTrail document's cross-account readers.
pub const DEFAULT_FILE: &str = include_str!("../../examples/alice-cross-account.json");

/// The user's work.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The key policy, byte for byte as typed.
    pub policy: String,
    /// The playground file without `key.policy`.
    pub rest: Value,
}

/// Why an imported text could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Message id.
    pub id: String,
    /// Parameters.
    pub params: Vec<(&'static str, String)>,
}

impl Workspace {
    /// Reads a playground file's text (an import, a share link, autosave).
    /// The key policy may be an object (it is pretty-printed) or a string
    /// (kept byte for byte).
    pub fn from_file_text(text: &str) -> Result<Workspace, ImportError> {
        let node = kmsplay_json::parse(text).map_err(|e| {
            let index = kmsplay_json::LineIndex::new(text);
            let pos = index.position(e.span.start);
            ImportError {
                id: "ui.import.bad-json".into(),
                params: vec![
                    ("line", pos.line.to_string()),
                    ("column", pos.column.to_string()),
                    ("code", e.kind.code().to_string()),
                ],
            }
        })?;
        let mut rest: Value = kmsplay_playground::node_value(&node);
        let policy = match rest
            .get_mut("key")
            .and_then(|k| k.as_object_mut())
            .and_then(|k| k.remove("policy"))
        {
            Some(Value::String(s)) => s,
            Some(other) => kmsplay_playground::json_pretty(&other),
            None => {
                return Err(ImportError {
                    id: "ui.import.not-playground".into(),
                    params: Vec::new(),
                })
            }
        };
        if !rest.is_object() {
            return Err(ImportError {
                id: "ui.import.not-playground".into(),
                params: Vec::new(),
            });
        }
        Ok(Workspace { policy, rest })
    }

    /// The default workspace.
    pub fn default_example() -> Workspace {
        Workspace::from_file_text(DEFAULT_FILE).expect("the bundled example is a playground file")
    }

    /// The playground file with the policy as a string (so positions in
    /// diagnostics point into the editor's text).
    pub fn to_file_value(&self) -> Value {
        let mut file = self.rest.clone();
        if let Some(key) = file.get_mut("key").and_then(Value::as_object_mut) {
            key.insert("policy".into(), Value::String(self.policy.clone()));
        }
        file
    }

    /// The playground file's text, for export and share links.
    pub fn to_file_text(&self) -> String {
        kmsplay_playground::json_pretty(&self.to_file_value())
    }

    /// The part of the file besides the policy, as pretty JSON for the
    /// advanced editor.
    pub fn rest_text(&self) -> String {
        kmsplay_playground::json_pretty(&self.rest)
    }

    /// Runs everything: the report of every request and the policy's
    /// diagnostics, or the reason the file cannot run.
    pub fn simulate(&self, lang: Lang) -> Result<kmsplay_playground::ReportAnswer, String> {
        let text = kmsplay_playground::json_text(&self.to_file_value());
        kmsplay_playground::simulate_json(&text, lang, false)
            .map(|r| r.answer)
            .map_err(|e| {
                let mut message = kmsplay_playground::file_error_message(&e, lang);
                if !e.path.is_empty() && !message.contains(&e.path) {
                    message = format!("{}: {message}", e.path);
                }
                message
            })
    }

    /// Pretty-prints the policy when it is valid JSON (keeping key order);
    /// leaves it alone otherwise.
    pub fn formatted_policy(&self) -> Option<String> {
        let node = kmsplay_json::parse(&self.policy).ok()?;
        let mut out = String::new();
        pretty(&node, 0, &mut out);
        Some(out)
    }
}

/// Pretty JSON with two-space indents, members in their written order.
pub fn pretty(node: &kmsplay_json::Node, indent: usize, out: &mut String) {
    use kmsplay_json::Value as V;
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n));
    match &node.value {
        V::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(indent + 2, out);
                pretty(item, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push(']');
        }
        V::Object(members) if !members.is_empty() => {
            out.push_str("{\n");
            for (i, m) in members.iter().enumerate() {
                pad(indent + 2, out);
                kmsplay_json::write_string(&m.key, out);
                out.push_str(": ");
                pretty(&m.value, indent + 2, out);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push('}');
        }
        _ => out.push_str(&node.to_json()),
    }
}

/// What autosave and share links keep: the file and everything the page
/// shows around it, so that a link reopens exactly what was on screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageState {
    /// The user's work.
    pub ws: Workspace,
    /// The chosen scenario ("" for the file's own requests).
    pub scenario: String,
    /// The scenario form's values as typed.
    pub params: Vec<(String, String)>,
    /// Key properties set over a scenario.
    pub key_overrides: Vec<(String, String)>,
    /// Guardrail policies edited over a scenario.
    pub layer_edits: Vec<(kmsplay_playground::PolicySource, String)>,
    /// The selected result row.
    pub selected: Option<usize>,
    /// The page's language, when chosen.
    pub lang: Option<Lang>,
    /// The exercise list was open.
    pub exercises: bool,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::default_example()
    }
}

fn pairs(v: &[(String, String)]) -> Value {
    Value::Array(v.iter().map(|(a, b)| json!([a, b])).collect())
}

fn read_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
        .collect()
}

/// The page state as text (JSON: `file`, `scenario`, `lang`, and when set
/// `params`, `key`, `layers`, `selected`, `view`).
pub fn saved_state(p: &PageState) -> String {
    let mut o = json!({ "file": p.ws.to_file_value(), "scenario": p.scenario });
    if let Some(lang) = p.lang {
        o["lang"] = json!(lang.tag());
    }
    if !p.params.is_empty() {
        o["params"] = pairs(&p.params);
    }
    if !p.key_overrides.is_empty() {
        o["key"] = pairs(&p.key_overrides);
    }
    if !p.layer_edits.is_empty() {
        let layers: Vec<(String, String)> = p
            .layer_edits
            .iter()
            .map(|(s, t)| (s.path(), t.clone()))
            .collect();
        o["layers"] = pairs(&layers);
    }
    if let Some(i) = p.selected {
        o["selected"] = json!(i);
    }
    if p.exercises {
        o["view"] = json!("exercises");
    }
    kmsplay_playground::json_text(&o)
}

/// Reads what [`saved_state`] wrote; None for anything unusable (a
/// corrupted entry is reported by the caller and replaced by the default).
/// Parts it cannot read (an unknown policy path) are left out.
pub fn restore_state(text: &str) -> Option<PageState> {
    let v: Value = kmsplay_playground::json_value(text)?;
    let file = kmsplay_playground::json_text(v.get("file")?);
    let ws = Workspace::from_file_text(&file).ok()?;
    Some(PageState {
        ws,
        scenario: v
            .get("scenario")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        params: read_pairs(v.get("params")),
        key_overrides: read_pairs(v.get("key")),
        layer_edits: read_pairs(v.get("layers"))
            .into_iter()
            .filter_map(|(path, text)| {
                Some((kmsplay_playground::PolicySource::from_path(&path)?, text))
            })
            .collect(),
        selected: v
            .get("selected")
            .and_then(Value::as_u64)
            .map(|i| i as usize),
        lang: v
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Lang::from_tag),
        exercises: v.get("view").and_then(Value::as_str) == Some("exercises"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_example_runs() {
        let ws = Workspace::default_example();
        let report = ws.simulate(Lang::En).unwrap();
        assert_eq!(report.results.len(), 4);
    }

    #[test]
    fn policy_text_is_kept_byte_for_byte() {
        let ws = Workspace::default_example();
        let odd = "{ \"Version\" :\"2012-10-17\",\n\t\"Statement\": [] }".to_string();
        let ws = Workspace {
            policy: odd.clone(),
            ..ws
        };
        let back = Workspace::from_file_text(&ws.to_file_text()).unwrap();
        assert_eq!(back.policy, odd);
    }

    #[test]
    fn import_errors_name_the_place() {
        let e = Workspace::from_file_text("{\n  \"version\": 1,,\n}").unwrap_err();
        assert_eq!(e.id, "ui.import.bad-json");
        assert!(e.params.contains(&("line", "2".into())));
        assert_eq!(
            Workspace::from_file_text("[]").unwrap_err().id,
            "ui.import.not-playground"
        );
    }

    #[test]
    fn formatting_keeps_member_order() {
        let ws = Workspace {
            policy: r#"{"Version":"2012-10-17","Statement":[{"Sid":"b","Effect":"Allow"}]}"#.into(),
            ..Workspace::default_example()
        };
        let f = ws.formatted_policy().unwrap();
        assert!(f.find("Sid").unwrap() < f.find("Effect").unwrap());
        assert!(f.contains("\n    {\n      \"Sid\": \"b\","));
    }

    #[test]
    fn corrupted_autosave_is_ignored() {
        assert!(restore_state("not json").is_none());
        assert!(restore_state("{\"file\": 3}").is_none());
        let ws = Workspace::default_example();
        let saved = saved_state(&PageState {
            ws: ws.clone(),
            scenario: "cloudtrail-trail".into(),
            lang: Some(Lang::Ja),
            ..PageState::default()
        });
        let back = restore_state(&saved).unwrap();
        assert_eq!(back.ws, ws);
        assert_eq!(back.scenario, "cloudtrail-trail");
        assert_eq!(back.lang, Some(Lang::Ja));
    }

    #[test]
    fn the_page_state_reads_back_whole() {
        let state = PageState {
            ws: Workspace::default_example(),
            scenario: "eventbridge-connection".into(),
            params: vec![
                ("region".into(), "eu-west-1".into()),
                ("key_account".into(), "111111111111".into()),
            ],
            key_overrides: vec![("state".into(), "Disabled".into())],
            layer_edits: vec![(
                kmsplay_playground::PolicySource::Scp {
                    node: "ou-a1b2-x".into(),
                    policy: 0,
                },
                "{ typed".into(),
            )],
            selected: Some(2),
            lang: Some(Lang::En),
            exercises: true,
        };
        assert_eq!(restore_state(&saved_state(&state)), Some(state));
        // What earlier versions wrote still reads.
        let old = format!(
            "{{\"file\": {}, \"scenario\": \"\", \"lang\": \"ja\"}}",
            Workspace::default_example().to_file_text()
        );
        let back = restore_state(&old).unwrap();
        assert_eq!(
            (back.lang, back.selected, back.params.len()),
            (Some(Lang::Ja), None, 0)
        );
    }
}
