//! CloudTrail records as requests: one record, a log file (read record by
//! record), `aws cloudtrail lookup-events` output (each record a string in
//! `Events[].CloudTrailEvent`), CloudTrail Lake query results
//! (`QueryResultRows`: each row a list of one-column maps), a JSON array of
//! records, and AccessDenied messages.
//!
//! The record fields are CloudTrail's (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>)
//! as KMS writes them (<https://docs.aws.amazon.com/kms/latest/developerguide/understanding-kms-entries.html>).

use crate::denied::{parse_access_denied, AccessDenied};
use crate::facts::{alias_name, AwsAnswer, KeyInfo};
use crate::kind::Kind;
use crate::model::Builder;
use crate::scan::{self, shift};
use crate::tally::Tally;
use crate::types::{ImportError, InputSummary};
use kmsplay_json::{write_string, JsonMember, JsonNode, ParseError, Span, View};
use kmsplay_kms::catalogue;
use kmsplay_kms::lifecycle::Time;
use kmsplay_policy::Principal;

/// Reads an input of records into requests.
pub(crate) fn read_records(
    b: &mut Builder,
    name: &str,
    text: &str,
    kind: Kind,
) -> Result<InputSummary, ImportError> {
    let mut tally = Tally::default();
    let json = |e: &ParseError| ImportError::json(name, text, e);
    match kind {
        Kind::Log => {
            let members = scan::top_members(text).map_err(|e| json(&e))?;
            for m in members {
                let piece = &text[m.value.start..m.value.end];
                if m.key != "Records" {
                    kmsplay_json::parse_borrowed(piece)
                        .map_err(|e| json(&shift(e, m.value.start)))?;
                    continue;
                }
                let r = scan::each_element(text, m.value, |span: Span| -> Result<(), ParseError> {
                    let piece = &text[span.start..span.end];
                    let node =
                        kmsplay_json::parse_borrowed(piece).map_err(|e| shift(e, span.start))?;
                    record(b, &node, &mut tally);
                    Ok(())
                });
                r.map_err(|e| json(&e))?;
            }
        }
        Kind::Record => {
            let root = kmsplay_json::parse_borrowed(text).map_err(|e| json(&e))?;
            record(b, &root, &mut tally);
        }
        Kind::RecordArray => {
            let root = kmsplay_json::parse_borrowed(text).map_err(|e| json(&e))?;
            for item in root.as_array().unwrap_or_default() {
                record(b, item, &mut tally);
            }
        }
        Kind::LookupEvents => {
            let root = kmsplay_json::parse_borrowed(text).map_err(|e| json(&e))?;
            let events = root
                .get("Events")
                .and_then(|e| e.as_array())
                .unwrap_or_default();
            for (i, event) in events.iter().enumerate() {
                let Some(inner) = event.get("CloudTrailEvent") else {
                    tally.skip("no-record");
                    continue;
                };
                let Some(s) = inner.as_str() else {
                    tally.skip("no-record");
                    continue;
                };
                let node = kmsplay_json::parse_borrowed(s).map_err(|e| {
                    let field = format!("Events[{i}].CloudTrailEvent");
                    ImportError::json_inner(name, text, inner.span(), &field, s, &e)
                })?;
                record(b, &node, &mut tally);
            }
        }
        Kind::Lake => {
            let root = kmsplay_json::parse_borrowed(text).map_err(|e| json(&e))?;
            let rows = root
                .get("QueryResultRows")
                .and_then(|r| r.as_array())
                .unwrap_or_default();
            for row in rows {
                let record_text = lake_row(row);
                match kmsplay_json::parse_borrowed(&record_text) {
                    Ok(node) => record(b, &node, &mut tally),
                    Err(_) => tally.skip("no-record"),
                }
            }
        }
        Kind::Denied => {
            for line in text.lines() {
                if let Some(d) = parse_access_denied(line) {
                    denied_request(b, d, &mut tally);
                }
            }
        }
        _ => unreachable!("not records"),
    }
    Ok(tally.summary(name, kind))
}

/// A string member at a path.
fn str_at<'n, N: JsonNode>(node: &'n N, path: &[&str]) -> Option<&'n str> {
    let mut n = node;
    for p in path {
        n = n.get(p)?;
    }
    n.as_str()
}

/// The key a record used: a key ARN in `resources`, else
/// `requestParameters.keyId` (an ARN, a key id with the record's region
/// and account, or an alias a `list-aliases` resolves). The alias, when
/// the request named one.
fn record_key<N: JsonNode>(
    b: &Builder,
    node: &N,
) -> Result<(String, Option<String>), &'static str> {
    let from_resources = node
        .get("resources")
        .and_then(|r| r.as_array())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.get("ARN").and_then(|a| a.as_str()))
        .find(|a| a.contains(":key/") && kmsplay_kms::Key::new(a).is_ok())
        .map(str::to_string);
    let key_id = str_at(node, &["requestParameters", "keyId"]);
    let alias = key_id
        .filter(|k| alias_name(k).is_some())
        .map(str::to_string);
    if let Some(arn) = from_resources {
        return Ok((arn, alias));
    }
    let Some(id) = key_id else {
        return Err("no-key");
    };
    if let Some(a) = &alias {
        return b
            .resolve_alias(a)
            .map(|arn| (arn, alias.clone()))
            .ok_or("key-unknown");
    }
    if id.starts_with("arn:") {
        return kmsplay_kms::Key::new(id)
            .map(|_| (id.to_string(), None))
            .map_err(|_| "key-unknown");
    }
    let region = str_at(node, &["awsRegion"]).unwrap_or_default();
    let account = str_at(node, &["recipientAccountId"])
        .or_else(|| str_at(node, &["userIdentity", "accountId"]))
        .unwrap_or_default();
    let arn = format!("arn:aws:kms:{region}:{account}:key/{id}");
    kmsplay_kms::Key::new(&arn)
        .map(|_| (arn, None))
        .map_err(|_| "key-unknown")
}

/// The caller: the identity's ARN (a session's ARN for an assumed role,
/// whose role's policies the playground applies), or the service for an
/// AWS service's own call.
fn record_caller<N: JsonNode>(node: &N) -> Option<String> {
    let identity = node.get("userIdentity")?;
    let kind = str_at(identity, &["type"]).unwrap_or_default();
    let caller = if kind == "AWSService" {
        str_at(identity, &["invokedBy"])?
    } else {
        str_at(identity, &["arn"])?
    };
    Principal::parse(caller)?;
    Some(caller.to_string())
}

/// `kms:ViaService` for a call a service made on the caller's behalf:
/// `SERVICE.REGION.amazonaws.com`
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service>).
fn via_service<N: JsonNode>(node: &N) -> Option<String> {
    let identity = node.get("userIdentity")?;
    if str_at(identity, &["type"]) == Some("AWSService") {
        return None;
    }
    let by = str_at(identity, &["invokedBy"]).or_else(|| str_at(node, &["sourceIPAddress"]))?;
    let service = by.strip_suffix(".amazonaws.com")?;
    // Not services that act for the caller: AWS's own plumbing and the
    // console's sign-in.
    if matches!(service, "internal" | "signin" | "console") || service.contains('.') {
        return None;
    }
    let region = str_at(node, &["awsRegion"])?;
    Some(format!("{service}.{region}.amazonaws.com"))
}

/// The `expect` for what AWS answered.
fn expect_of(error: Option<&str>, denied: Option<&AccessDenied>) -> Option<&'static str> {
    match error {
        None => Some("Success"),
        Some("AccessDenied" | "AccessDeniedException") => Some(match denied {
            Some(d) if d.explicit => "explicitDeny",
            Some(_) => "implicitDeny",
            None => "AccessDeniedException",
        }),
        Some(e) => kmsplay_kms::Outcome::parse(e).map(|o| o.as_str()),
    }
}

/// The short name of a caller for a request's name.
fn short(caller: &str) -> &str {
    match caller
        .split_once(":user/")
        .or_else(|| caller.split_once(":assumed-role/"))
        .or_else(|| caller.split_once(":role/"))
    {
        Some((_, rest)) => rest,
        None => caller.rsplit(':').next().unwrap_or(caller),
    }
}

/// One record → one request of its key's file (or a skip, counted).
fn record<N: JsonNode>(b: &mut Builder, node: &N, tally: &mut Tally) {
    if node.as_object().is_none() {
        tally.skip("no-record");
        return;
    }
    if str_at(node, &["eventSource"]) != Some("kms.amazonaws.com") {
        tally.skip("other-service");
        return;
    }
    let Some(op) = str_at(node, &["eventName"]).and_then(catalogue::operation) else {
        tally.skip("unknown-operation");
        return;
    };
    let Some(caller) = record_caller(node) else {
        tally.skip("caller-unknown");
        return;
    };
    let (key_arn, alias) = match record_key(b, node) {
        Ok(k) => k,
        Err(reason) => {
            if reason == "key-unknown" {
                if let Some(k) = str_at(node, &["requestParameters", "keyId"]) {
                    b.note("import.note.key-unresolved", vec![("key", k.to_string())]);
                }
            }
            tally.skip(reason);
            return;
        }
    };
    let time = str_at(node, &["eventTime"]).unwrap_or_default();
    let error = str_at(node, &["errorCode"]);
    let denied = str_at(node, &["errorMessage"]).and_then(parse_access_denied);
    let mut out = String::with_capacity(512);
    out.push_str("{\"name\": ");
    write_string(
        &format!("{time} {} kms:{}", short(&caller), op.name),
        &mut out,
    );
    out.push_str(", \"principal\": ");
    write_string(&caller, &mut out);
    out.push_str(", \"action\": ");
    write_string(&format!("kms:{}", op.name), &mut out);
    out.push_str(", \"key\": ");
    write_string(alias.as_deref().unwrap_or(&key_arn), &mut out);
    if let Some(ec) = node
        .get("requestParameters")
        .and_then(|p| p.get("encryptionContext"))
    {
        if let Some(members) = ec.as_object() {
            out.push_str(", \"encryption_context\": {");
            let mut first = true;
            for m in members {
                let Some(v) = m.value().scalar_text() else {
                    continue;
                };
                if !first {
                    out.push_str(", ");
                }
                first = false;
                write_string(m.key(), &mut out);
                out.push_str(": ");
                write_string(v, &mut out);
            }
            out.push('}');
        }
    }
    let mut context: Vec<(&str, String)> = Vec::new();
    if let Some(via) = via_service(node) {
        context.push(("kms:ViaService", via));
    }
    if let Some(ip) =
        str_at(node, &["sourceIPAddress"]).filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
    {
        context.push(("aws:SourceIp", ip.to_string()));
    }
    if !context.is_empty() {
        out.push_str(", \"context\": {");
        for (i, (k, v)) in context.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_string(k, &mut out);
            out.push_str(": ");
            write_string(v, &mut out);
        }
        out.push('}');
    }
    let tokens: Vec<&str> = node
        .get("requestParameters")
        .and_then(|p| p.get("grantTokens"))
        .and_then(|t| t.as_array())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    if !tokens.is_empty() {
        out.push_str(", \"grant_tokens\": [");
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_string(t, &mut out);
        }
        out.push(']');
    }
    if let Some(vpce) = str_at(node, &["vpcEndpointId"]).filter(|v| v.starts_with("vpce-")) {
        // The endpoint's policy is not in a record: the default one
        // (allow everything) until an import gives it.
        out.push_str(", \"vpc_endpoint\": {\"id\": ");
        write_string(vpce, &mut out);
        out.push('}');
    }
    match expect_of(error, denied.as_ref()) {
        Some(e) => {
            out.push_str(", \"expect\": ");
            write_string(e, &mut out);
        }
        None => b.note(
            "import.note.unmodelled-error",
            vec![("error", error.unwrap_or_default().to_string())],
        ),
    }
    out.push('}');
    let answer = AwsAnswer {
        denied,
        error: error.map(str::to_string),
    };
    // CloudTrail Lake prints `2025-05-20 20:45:00.000`: the same time.
    let parsed_time = Time::parse(time)
        .map(|t| (t, time.to_string()))
        .or_else(|| {
            let (date, clock) = time.split_once(' ')?;
            let iso = format!("{date}T{}Z", clock.split('.').next()?);
            Time::parse(&iso).map(|t| (t, iso))
        });
    let key = b.key_mut(&key_arn);
    if let Some(a) = alias.as_deref().and_then(alias_name) {
        if !key.aliases.iter().any(|k| k == a) {
            key.aliases.push(a.to_string());
        }
    }
    push_request(key, out, answer, parsed_time);
    tally.used_one();
}

fn push_request(
    key: &mut KeyInfo,
    request: String,
    answer: AwsAnswer,
    time: Option<(Time, String)>,
) {
    if key.request_count > 0 {
        key.requests.push_str(",\n    ");
    }
    key.requests.push_str(&request);
    key.request_count += 1;
    key.answers.push(answer);
    if let Some((t, text)) = time {
        if key.clock.as_ref().is_none_or(|(c, _)| t > *c) {
            key.clock = Some((t, text));
        }
    }
}

/// An AccessDenied message on its own → a denied request.
fn denied_request(b: &mut Builder, d: AccessDenied, tally: &mut Tally) {
    let op = d.action.strip_prefix("kms:").and_then(catalogue::operation);
    let (Some(op), true) = (op, kmsplay_kms::Key::new(&d.resource).is_ok()) else {
        tally.skip("not-kms-key");
        return;
    };
    if Principal::parse(&d.caller).is_none() {
        tally.skip("caller-unknown");
        return;
    }
    let mut out = String::with_capacity(256);
    out.push_str("{\"name\": ");
    write_string(
        &format!("AccessDenied {} kms:{}", short(&d.caller), op.name),
        &mut out,
    );
    out.push_str(", \"principal\": ");
    write_string(&d.caller, &mut out);
    out.push_str(", \"action\": ");
    write_string(&format!("kms:{}", op.name), &mut out);
    out.push_str(", \"key\": ");
    write_string(&d.resource, &mut out);
    out.push_str(", \"expect\": ");
    write_string(
        if d.explicit {
            "explicitDeny"
        } else {
            "implicitDeny"
        },
        &mut out,
    );
    out.push('}');
    let key = b.key_mut(&d.resource.clone());
    let answer = AwsAnswer {
        denied: Some(d),
        error: Some("AccessDeniedException".into()),
    };
    push_request(key, out, answer, None);
    tally.used_one();
}

/// A CloudTrail Lake result row (`[{"eventSource": "…"}, {"userIdentity":
/// "…"}, …]`) as a record's JSON text. A column's value is a string; one
/// that holds JSON, or a map as Lake prints it (`{type=IAMUser,
/// arn=arn:aws:iam::…}`), becomes that object.
fn lake_row<N: JsonNode>(row: &N) -> String {
    let mut out = String::from("{");
    let mut first = true;
    for column in row.as_array().unwrap_or_default() {
        for m in column.as_object().unwrap_or_default() {
            if !first {
                out.push(',');
            }
            first = false;
            write_string(m.key(), &mut out);
            out.push(':');
            match m.value().view() {
                View::String(s) => lake_value(s, &mut out),
                _ => out.push_str(&m.value().to_owned_node().to_json()),
            }
        }
    }
    out.push('}');
    out
}

fn lake_value(s: &str, out: &mut String) {
    let t = s.trim();
    if (t.starts_with('{') || t.starts_with('[')) && kmsplay_json::parse(t).is_ok() {
        out.push_str(t);
        return;
    }
    if t.starts_with('{') || t.starts_with('[') {
        let mut p = LakeMap {
            s: t.as_bytes(),
            text: t,
            i: 0,
        };
        let mut converted = String::new();
        if p.value(&mut converted, 0).is_some() && p.i == t.len() {
            out.push_str(&converted);
            return;
        }
    }
    write_string(s, out);
}

/// Lake's printed maps and arrays: `{k=v, k2={a=b}, k3=[x, y]}`.
struct LakeMap<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl LakeMap<'_> {
    fn value(&mut self, out: &mut String, depth: usize) -> Option<()> {
        if depth > 32 {
            return None;
        }
        match self.s.get(self.i)? {
            b'{' => {
                self.i += 1;
                out.push('{');
                let mut first = true;
                while *self.s.get(self.i)? != b'}' {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    let start = self.i;
                    while *self.s.get(self.i)? != b'=' {
                        self.i += 1;
                    }
                    write_string(self.text[start..self.i].trim(), out);
                    out.push(':');
                    self.i += 1;
                    self.value(out, depth + 1)?;
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                        while self.s.get(self.i) == Some(&b' ') {
                            self.i += 1;
                        }
                    }
                }
                self.i += 1;
                out.push('}');
            }
            b'[' => {
                self.i += 1;
                out.push('[');
                let mut first = true;
                while *self.s.get(self.i)? != b']' {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    self.value(out, depth + 1)?;
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                        while self.s.get(self.i) == Some(&b' ') {
                            self.i += 1;
                        }
                    }
                }
                self.i += 1;
                out.push(']');
            }
            _ => {
                let start = self.i;
                while !matches!(self.s.get(self.i), None | Some(b',' | b'}' | b']')) {
                    self.i += 1;
                }
                let v = self.text.get(start..self.i)?.trim();
                if v == "null" {
                    out.push_str("null");
                } else {
                    write_string(v, out);
                }
            }
        }
        Some(())
    }
}
