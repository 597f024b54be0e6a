//! The engine's side of the differential test: playground files in (one per
//! line of standard input), decisions and traces out (one JSON line each).

use kmsplay_kms::{Decision, GuardrailTrace, NodeTrace};
use kmsplay_policy::{ContextValue, StatementTrace};
use serde_json::{json, Map, Value};
use std::io::{BufRead, BufWriter, Write};

fn statements(traces: &[StatementTrace]) -> Value {
    traces
        .iter()
        .map(|t| {
            json!({
                "i": t.index,
                "valid": t.valid,
                "p": t.principal.code(),
                "a": t.action,
                "r": t.resource,
                "c": t.conditions.iter().map(|c| c.result).collect::<Vec<_>>(),
                "applies": t.applies,
            })
        })
        .collect()
}

fn nodes(list: &[NodeTrace]) -> Value {
    list.iter()
        .map(|n| {
            json!({
                "node": n.node,
                "default_only": n.default_only,
                "policies": n.policies.iter().map(|p| statements(p)).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The layers beyond the key policy and the identity policies, statement
/// by statement (absent when the request has none).
fn chain(g: &GuardrailTrace) -> Value {
    json!({
        "scps": nodes(&g.scps),
        "rcps": nodes(&g.rcps),
        "boundary": g.permissions_boundary.as_ref().map(|(_, s)| statements(s)),
        "session": g.session_policies.iter().map(|p| statements(p)).collect::<Vec<_>>(),
        "vpce": g.vpc_endpoint.as_ref().map(|(_, p)| p.as_ref().map(|s| statements(s))),
    })
}

fn one(line: &str) -> Value {
    let file = match kmsplay_playground::read(line) {
        Ok(f) => f,
        Err(e) => return json!({"ok": false, "error": e.code, "path": e.path}),
    };
    let diagnostics: Vec<&str> = file
        .policies
        .iter()
        .flat_map(|p| p.diagnostics.iter().map(|d| d.code))
        .collect();
    let results: Vec<Value> = kmsplay_playground::run(&file, true)
        .iter()
        .map(|r| {
            let a = &r.authorization;
            let detail = a.detail.as_ref().expect("traced run");
            let mut context = Map::new();
            for (k, v) in detail.context.iter() {
                let v = match v {
                    ContextValue::Single(s) => json!(s),
                    other => json!(other.values()),
                };
                context.insert(k.to_string(), v);
            }
            json!({
                "decision": a.decision.as_str(),
                "allowed": a.decision == Decision::Allowed,
                "outcome": a.outcome.as_str(),
                "reasons": a.reasons.iter().map(|r| r.code).collect::<Vec<_>>(),
                "context": context,
                "key_policy": statements(&detail.key_policy),
                "identity": detail.identity_policies.iter().map(|p| statements(&p.statements)).collect::<Vec<_>>(),
                "chain": detail.guardrails.as_deref().map(chain),
            })
        })
        .collect();
    json!({"ok": true, "diagnostics": diagnostics, "results": results})
}

fn main() {
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = one(&line);
        let _ = writeln!(out, "{answer}");
        // One answer per line, as soon as it is ready: the caller streams.
        let _ = out.flush();
    }
}
