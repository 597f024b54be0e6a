//! Grants, the key's lifecycle, the event log and CloudTrail records of a
//! playground file, as the JSON the command line and the page share.
//!
//! A [`Session`] is a file's key service, lifecycle and clock; it applies
//! grant calls and lifecycle actions and writes the result back into the
//! file's JSON (every field it does not own is left as it was).

use crate::file::PlaygroundFile;
pub use crate::file::RuleSpec;
use kmsplay_kms::catalogue::KeyState;
use kmsplay_kms::grants::{
    list_grants_json, CreatedGrant, EndedGrant, GrantEntry, GrantFailure, GrantListEntry,
    KeyService,
};
use kmsplay_kms::lifecycle::{
    self, consequences, Action, Change, EventKind, KmsEvent, Lifecycle, LifecycleError, Time,
    SCENARIO_KINDS,
};
use kmsplay_kms::records::{self, Call, Json};
use kmsplay_kms::GrantConstraint;
use kmsplay_messages::{render, Lang};
use serde_json::{json, Map, Value};

/// The engine's JSON tree as a `serde_json` value (order kept).
pub fn to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => crate::json_value::number(n),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect(),
        ),
    }
}

fn message(lang: Lang, id: &str, params: &[(&'static str, String)]) -> Value {
    json!({
        "id": id,
        "params": params.iter().map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect::<Map<_, _>>(),
        "message": render(lang, id, params),
    })
}

/// What a transition from `before` to `state` (sending `event`) means for
/// each scenario kind: `{"cloudtrail-trail": [{"id", "message"}], …}`.
pub fn consequences_json(
    before: KeyState,
    state: KeyState,
    event: Option<EventKind>,
    lang: Lang,
) -> Value {
    Value::Object(
        SCENARIO_KINDS
            .iter()
            .map(|s| {
                let items = consequences(s, before, state, event)
                    .into_iter()
                    .map(|id| message(lang, id, &[]))
                    .collect();
                (s.to_string(), Value::Array(items))
            })
            .collect(),
    )
}

/// A failed grant call: `{"exception", "code", "message", "params", "decision"}`.
pub fn grant_failure_json(f: &GrantFailure, lang: Lang) -> Value {
    let mut v = message(lang, f.code, &f.params);
    v["exception"] = json!(f.exception);
    v["code"] = json!(f.code);
    if let Some(a) = &f.authorization {
        v["decision"] = json!(a.decision.as_str());
        v["reasons"] = Value::Array(
            a.reasons
                .iter()
                .map(|r| {
                    let text = render(lang, &format!("reason.{}", r.code), &r.params);
                    json!({"code": r.code, "message": text})
                })
                .collect(),
        );
    }
    v
}

/// A failed lifecycle action: `{"exception", "code", "message", "params"}`.
pub fn lifecycle_error_json(e: &LifecycleError, lang: Lang) -> Value {
    let mut v = message(lang, e.code, &e.params);
    v["exception"] = json!(e.exception);
    v["code"] = json!(e.code);
    v
}

/// A grant as the playground file writes it.
pub fn grant_json(e: &GrantEntry, now: Time) -> Value {
    let g = &e.grant;
    let mut o = Map::new();
    o.insert("id".into(), json!(g.id));
    if let Some(n) = &e.name {
        o.insert("name".into(), json!(n));
    }
    o.insert("grantee".into(), json!(g.grantee));
    o.insert(
        "operations".into(),
        Value::Array(g.operations.iter().map(|op| json!(op.name)).collect()),
    );
    if let Some(c) = &g.constraint {
        let (k, pairs) = match c {
            GrantConstraint::Equals(p) => ("encryption_context_equals", p),
            GrantConstraint::Subset(p) => ("encryption_context_subset", p),
        };
        let pairs: Map<String, Value> = pairs.iter().map(|(a, b)| (a.clone(), json!(b))).collect();
        o.insert("constraints".into(), json!({ k: pairs }));
    }
    if let Some(r) = &g.retiring_principal {
        o.insert("retiring_principal".into(), json!(r));
    }
    if let Some(t) = e.tokens.first() {
        o.insert("token".into(), json!(t));
    }
    if e.tokens.len() > 1 {
        o.insert("tokens".into(), json!(e.tokens));
    }
    if e.pending_at(now) {
        o.insert("pending".into(), json!(true));
    }
    if let Some(c) = e.created {
        o.insert("created".into(), json!(c.iso()));
    }
    if let Some(c) = &e.creator {
        o.insert("creator".into(), json!(c));
    }
    if let Some(p) = &e.parent {
        o.insert("parent".into(), json!(p));
    }
    if let Some(end) = &e.ended {
        let field = if end.revoked { "revoked" } else { "retired" };
        o.insert(field.into(), json!(end.at.iso()));
        if !end.by.is_empty() {
            o.insert("ended_by".into(), json!(end.by));
        }
    }
    Value::Object(o)
}

/// A playground file's key service, lifecycle, clock and event log.
#[derive(Debug, Clone)]
pub struct Session {
    /// The key, its grants and the identities.
    pub service: KeyService,
    /// Rotation, deletion date, material expiry.
    pub lifecycle: Lifecycle,
    /// The clock.
    pub clock: Time,
    /// The event log: the file's `events` and those sent since.
    pub events: Vec<Value>,
}

impl Session {
    /// The session of a file.
    pub fn new(file: &PlaygroundFile) -> Session {
        let mut service = KeyService::new(file.key.clone(), file.identities.clone(), file.clock);
        service.entries = file.grant_entries.clone();
        service.settle(file.clock);
        Session {
            service,
            lifecycle: file.lifecycle.clone(),
            clock: file.clock,
            events: file.events.clone(),
        }
    }

    /// Does a lifecycle action at the session's clock, moving the clock
    /// when the action lets time pass.
    pub fn apply(&mut self, action: Action) -> Result<Change, LifecycleError> {
        let change = lifecycle::apply(
            &mut self.service.key,
            &mut self.lifecycle,
            action,
            self.clock,
        )?;
        self.clock = change.now;
        self.service.settle(self.clock);
        self.events
            .extend(change.events.iter().map(|e| to_value(&e.to_json())));
        Ok(change)
    }

    /// The key's lifecycle fields as the file writes them.
    pub fn key_json(&self) -> Value {
        let life = &self.lifecycle;
        let mut o = Map::new();
        o.insert("state".into(), json!(self.service.key.state.as_str()));
        if let Some(r) = &life.rotation {
            o.insert(
                "rotation".into(),
                json!({"period_days": r.period_days, "next": r.next.iso()}),
            );
        }
        if !life.rotations.is_empty() {
            o.insert(
                "rotations".into(),
                Value::Array(
                    life.rotations
                        .iter()
                        .map(|r| json!({"at": r.at.iso(), "on_demand": r.on_demand}))
                        .collect(),
                ),
            );
        }
        if let Some(d) = life.deletion_date {
            o.insert("deletion_date".into(), json!(d.iso()));
        }
        if let Some(d) = life.material_expires {
            o.insert("material_expires".into(), json!(d.iso()));
        }
        Value::Object(o)
    }

    /// What an action did: the events sent (as EventBridge delivers them),
    /// the CloudTrail records KMS wrote, the new key state and clock, and
    /// what that means for each scenario kind.
    pub fn change_json(&self, action: &str, change: &Change, lang: Lang) -> Value {
        let last = change.events.last().map(|e| e.kind);
        json!({
            "action": action,
            "clock": self.clock.iso(),
            "before": change.before.as_str(),
            "after": change.after.as_str(),
            "key": self.key_json(),
            "events": change.events.iter().map(event_json).collect::<Vec<_>>(),
            "records": lifecycle::service_records(&self.service.key, &change.events)
                .iter()
                .map(to_value)
                .collect::<Vec<_>>(),
            "consequences": consequences_json(change.before, change.after, last, lang),
        })
    }

    /// The grants in effect or pending, as the file writes them.
    pub fn grants_json(&self) -> Vec<Value> {
        self.service
            .entries
            .iter()
            .filter(|e| e.effective_at(self.clock))
            .map(|e| grant_json(e, self.clock))
            .collect()
    }

    /// The ListGrants answer for every grant (no authorization).
    pub fn list_json(&self) -> Value {
        let list: Vec<GrantListEntry> = self.service.grant_list(self.clock);
        let mut v = to_value(&list_grants_json(&list));
        // The simulator's own field: which grants are not yet consistent.
        if let Some(items) = v["Grants"].as_array_mut() {
            for (item, entry) in items.iter_mut().zip(&list) {
                item["Pending"] = json!(entry.pending);
            }
        }
        v
    }

    /// CreateGrant's answer, with the grant as the file writes it.
    pub fn created_json(&self, c: &CreatedGrant) -> Value {
        let grant = self
            .service
            .entries
            .iter()
            .find(|e| e.grant.id == c.grant_id)
            .map(|e| grant_json(e, self.clock))
            .unwrap_or(Value::Null);
        json!({
            "GrantId": c.grant_id,
            "GrantToken": c.grant_token,
            "retry": c.retry,
            "via_grant": c.via_grant,
            "decision": c.authorization.decision.as_str(),
            "grant": grant,
        })
    }

    /// RetireGrant's or RevokeGrant's answer.
    pub fn ended_json(&self, e: &EndedGrant, lang: Lang) -> Value {
        let id = format!("grant.authority.{}", e.authority);
        json!({
            "GrantId": e.grant_id,
            "authority": e.authority,
            "authority_message": render(lang, &id, &[]),
            "effective_until": e.effective_until.iso(),
        })
    }

    /// The file's JSON with this session's key state, grants, lifecycle
    /// fields, clock and event log written in; every other field as it was.
    pub fn write_back(&self, original: &Value) -> Value {
        let mut v = original.clone();
        let Some(root) = v.as_object_mut() else {
            return v;
        };
        root.insert("clock".into(), json!(self.clock.iso()));
        if let Some(key) = root.get_mut("key").and_then(Value::as_object_mut) {
            for field in ["rotation", "rotations", "deletion_date", "material_expires"] {
                key.remove(field);
            }
            if let Value::Object(fields) = self.key_json() {
                for (k, val) in fields {
                    key.insert(k, val);
                }
            }
            let grants = self.grants_json();
            if !grants.is_empty() || key.contains_key("grants") {
                key.insert("grants".into(), Value::Array(grants));
            }
        }
        if !self.events.is_empty() || root.contains_key("events") {
            root.insert("events".into(), Value::Array(self.events.clone()));
        }
        v
    }
}

/// An event as EventBridge delivers it.
pub fn event_json(e: &KmsEvent) -> Value {
    to_value(&e.to_json())
}

/// The CloudTrail record of each request of `file`, in order: the record
/// the key's account gets, at the file's clock plus one second per request.
pub fn records(file: &PlaygroundFile) -> Vec<Value> {
    file.requests
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let result = crate::decide(file, spec, false);
            let req = crate::kms_request(spec);
            let call = Call::new(
                &file.key,
                &req,
                Some(&result.authorization),
                file.clock.plus_seconds(i as i64),
                i as u64,
            );
            to_value(&records::record(&call))
        })
        .collect()
}

/// A trail's KMS requests and their cost, with the formula in words:
/// `{"requests_per_day", …, "formula": {"id", "message", "params"}}`.
pub fn cost_json(regions: u64, accounts: u64, reads_per_day: u64, days: u64, lang: Lang) -> Value {
    let c = records::trail_cost(regions, accounts, reads_per_day, days);
    json!({
        "regions": c.regions,
        "accounts": c.accounts,
        "deliveries_per_day": c.deliveries_per_day,
        "reads_per_day": c.reads_per_day,
        "requests_per_day": c.requests_per_day,
        "days": c.days,
        "requests": c.requests,
        "cost_usd": records::dollars(c.cost_micro_usd),
        "billable_requests": c.billable_requests,
        "billable_cost_usd": records::dollars(c.billable_micro_usd),
        "formula": message(lang, records::TrailCost::FORMULA, &c.params()),
    })
}

/// `file` with two requests added that use `grant` (a grant as the file
/// writes it): its grantee calls the grant's first operation, with the
/// encryption context its constraint asks for, once without the grant's
/// token and once with it. A grant is eventually consistent: until it has
/// spread, only a request that carries its token can use it
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/grant-tokens.html>).
pub fn grant_trial(file: &Value, grant: &Value) -> Value {
    let mut file = file.clone();
    let grantee = grant["grantee"].as_str().unwrap_or_default().to_string();
    let op = grant["operations"][0]
        .as_str()
        .unwrap_or("Decrypt")
        .to_string();
    let id = grant["id"].as_str().unwrap_or_default().to_string();
    let token = grant["token"].as_str().map(str::to_string);
    let context = grant["constraints"]["encryption_context_subset"]
        .as_object()
        .or(grant["constraints"]["encryption_context_equals"].as_object())
        .cloned()
        .unwrap_or_default();
    let mut requests = file["requests"].as_array().cloned().unwrap_or_default();
    let base = json!({
        "principal": grantee,
        "action": format!("kms:{op}"),
        "encryption_context": context,
    });
    let mut without = base.clone();
    without["name"] = json!(format!("{grantee} uses grant {id} without its token"));
    requests.push(without);
    if let Some(t) = token {
        let mut with = base;
        with["name"] = json!(format!("{grantee} uses grant {id} with its token"));
        with["grant_tokens"] = json!([t]);
        requests.push(with);
    }
    file["requests"] = Value::Array(requests);
    file
}
