//! A scenario's snippet — the statements it needs and the other principals'
//! policies — as JSON the page's main module reads. It depends only on the
//! scenario and its parameters, never on the policy being typed, so it is
//! not worth carrying in the wasm that re-decides every keystroke.

use kmsplay_lab::scenarios::{self, Params};
use kmsplay_lab::snippets::{pretty, snippet};
use serde_json::{json, Value};

/// The snippet of scenario `scenario_id` for the parameter values `given`
/// (`[[name, value]…]`; invalid values fall back to the defaults, as the
/// page's results do): `{"statements": [...], "text", "others": [{"label",
/// "attach_to", "text"}]}`, or `None` for an unknown scenario.
pub fn scenario_snippet(scenario_id: &str, given: &[(String, String)]) -> Option<Value> {
    let s = scenarios::catalogue()
        .iter()
        .find(|s| s.id == scenario_id)?;
    let pairs: Vec<(&str, &str)> = given
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let params = Params::new(s, &pairs).unwrap_or_else(|_| Params::defaults(s));
    let snip = snippet(s, &params);
    Some(json!({
        "statements": snip.statements,
        "text": snip.statements_text(),
        "others": snip.other_policies.iter().map(|o| json!({
            "label": o.label,
            "attach_to": o.attach_to,
            "text": pretty(&o.policy),
        })).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_follows_the_parameters() {
        let given = vec![("key_account".to_string(), "444455556666".to_string())];
        let out = scenario_snippet("cloudtrail-trail", &given).unwrap();
        let text = out["text"].as_str().unwrap();
        assert!(text.contains("444455556666"), "{text}");
        assert!(!out["statements"].as_array().unwrap().is_empty());
    }

    #[test]
    fn invalid_values_fall_back_to_the_defaults_and_unknown_scenarios_to_none() {
        let given = vec![("key_account".to_string(), "not an account".to_string())];
        let bad = scenario_snippet("cloudtrail-trail", &given).unwrap();
        let defaults = scenario_snippet("cloudtrail-trail", &[]).unwrap();
        assert_eq!(bad, defaults);
        assert!(scenario_snippet("no-such-scenario", &[]).is_none());
    }

    #[test]
    fn other_principals_policies_come_with_their_label() {
        let out = scenario_snippet("cross-account-readers", &[]).unwrap();
        let others = out["others"].as_array().unwrap();
        assert!(!others.is_empty(), "{out}");
        assert!(
            others[0]["label"].as_str().unwrap().starts_with("snippet."),
            "{out}"
        );
    }
}
