//! A scenario described as JSON, for the npm package and the command line.

use super::catalogue::{catalogue, Scenario};
use super::params::Params;
use serde_json::{json, Value};

/// A scenario as JSON, its words in `lang`: `{"id", "title", "summary",
/// "sources", "params": [{"name", "kind", "label", "default", "item_kind"?}],
/// "requests": [{"id", "purpose_id", "consequence_id"}]}` (defaults
/// resolved). The npm package's `scenarios()` and `kmsplay scenario list
/// --format json` give these.
pub fn scenario_json(s: &Scenario, lang: kmsplay_messages::Lang) -> Value {
    let text = |id: &str| kmsplay_messages::text(lang, id);
    let defaults = Params::defaults(s);
    json!({
        "id": s.id,
        "title": text(s.title),
        "summary": text(s.summary),
        "sources": s.sources,
        "params": s.params.iter().map(|p| {
            let mut o = json!({
                "name": p.name,
                "kind": p.kind.code(),
                "label": text(p.label),
                "default": defaults.get(p.name).map(|v| v.to_json()),
            });
            if let Some(item) = p.kind.item() {
                o["item_kind"] = Value::String(item.code().to_string());
            }
            o
        }).collect::<Vec<_>>(),
        "requests": s.requests.iter().map(|r| json!({
            "id": r.id,
            "purpose_id": r.purpose,
            "consequence_id": r.consequence,
        })).collect::<Vec<_>>(),
    })
}

/// Every scenario as [`scenario_json`], in the catalogue's order.
pub fn catalogue_json(lang: kmsplay_messages::Lang) -> Value {
    Value::Array(catalogue().iter().map(|s| scenario_json(s, lang)).collect())
}
