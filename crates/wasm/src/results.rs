//! Results as JSON text, written straight into a `String`: the same
//! document `kmsplay simulate --format json` prints (`report` in
//! `kmsplay_playground`), field for field and in the same order, without
//! building a `serde_json::Value` tree first — for `Playground.decide`
//! that tree (an ordered map per object, a copy per nested value) cost
//! three times the decision itself. JavaScript turns the text into objects
//! with one `JSON.parse`.
//!
//! `tests/node/same-as-cli.mjs` compares this output with the command
//! line's on every fixture (both languages, with and without traces), so a
//! field added there and not here fails the test.

use kmsplay_json::Span;
use kmsplay_kms::{Source, TraceInputs};
use kmsplay_messages::Lang;
use kmsplay_playground::{
    reason_pieces, statement_label, PlaygroundFile, PolicyDiagnostics, PolicySource, RequestResult,
    RequestSpec,
};
use kmsplay_policy::{
    condition_holds, request_values, statement_parts, ContextValue, Diagnostic, Policy, Request,
};

/// Appends `s` as a JSON string literal.
pub fn string(out: &mut String, s: &str) {
    kmsplay_json::write_string(s, out);
}

/// Appends a non-negative integer.
pub fn number(out: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("digits"));
}

fn boolean(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

fn opt_string(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.push_str("null"),
    }
}

/// `,"key":` (or `"key":` first in an object).
fn key(out: &mut String, first: bool, k: &str) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(k);
    out.push_str("\":");
}

fn params(out: &mut String, params: &[(&'static str, String)]) {
    // As a JSON object built from the pairs: a repeated name keeps its
    // first place and its last value.
    out.push('{');
    let mut first = true;
    for (i, (k, _)) in params.iter().enumerate() {
        if params[..i].iter().any(|(p, _)| p == k) {
            continue;
        }
        let v = &params
            .iter()
            .rev()
            .find(|(p, _)| p == k)
            .expect("present")
            .1;
        if !first {
            out.push(',');
        }
        first = false;
        string(out, k);
        out.push(':');
        string(out, v);
    }
    out.push('}');
}

fn strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, s);
    }
    out.push(']');
}

fn source(out: &mut String, file: &PlaygroundFile, s: &Source) {
    match s {
        Source::KeyPolicy { statement } => {
            out.push_str("{\"kind\":\"key_policy\",\"statement\":");
            number(out, *statement);
            out.push_str(",\"label\":");
            string(out, &statement_label(file.key.policy.as_ref(), *statement));
            out.push('}');
        }
        Source::IdentityPolicy {
            identity,
            policy,
            statement,
        } => {
            out.push_str("{\"kind\":\"identity_policy\",\"identity\":");
            string(out, identity);
            out.push_str(",\"policy\":");
            number(out, *policy);
            out.push_str(",\"statement\":");
            number(out, *statement);
            out.push('}');
        }
        Source::Grant { id } => {
            out.push_str("{\"kind\":\"grant\",\"grant\":");
            string(out, id);
            out.push('}');
        }
        // The other layers are rare: their JSON comes from the report's
        // own writer.
        other => out.push_str(&kmsplay_playground::source_json(file, other).to_string()),
    }
}

/// 1-based line and column (in characters) of byte offsets, as
/// `kmsplay_json::LineIndex::position` gives them, for many offsets in one
/// pass over the text.
pub fn positions(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    let clamp = |o: usize| {
        let mut o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    order.sort_by_key(|&i| clamp(offsets[i]));
    let mut out = vec![(1, 1); offsets.len()];
    let bytes = text.as_bytes();
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    for i in order {
        let target = clamp(offsets[i]);
        for &b in &bytes[at.min(target)..target] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xc0 != 0x80 {
                // Count each character once, at its first byte.
                column += 1;
            }
        }
        at = at.max(target);
        out[i] = (line, column);
    }
    out
}

fn span_text(out: &mut String, span: Span, start: (usize, usize), end: (usize, usize)) {
    out.push_str("{\"start\":");
    number(out, span.start);
    out.push_str(",\"end\":");
    number(out, span.end);
    out.push_str(",\"line\":");
    number(out, start.0);
    out.push_str(",\"column\":");
    number(out, start.1);
    out.push_str(",\"end_line\":");
    number(out, end.0);
    out.push_str(",\"end_column\":");
    number(out, end.1);
    out.push('}');
}

/// What traces need besides the result: the `span` object of every
/// key-policy statement, computed once per file (a statement's place does
/// not change from one request to the next).
#[derive(Debug, Clone, Default)]
pub struct TraceSpans {
    /// Per statement, by index: its span and the object's text.
    spans: Vec<(Span, String)>,
}

impl TraceSpans {
    /// The spans of `file`'s key-policy statements. Their positions are in
    /// the policy's own text when it was given as a string, else in the
    /// file's text.
    pub fn new(file: &PlaygroundFile, file_text: &str) -> TraceSpans {
        let Some(policy) = &file.key.policy else {
            return TraceSpans::default();
        };
        let text = file
            .policies
            .iter()
            .find(|p| p.source == PolicySource::Key)
            .and_then(|p| p.text.as_deref())
            .unwrap_or(file_text);
        let offsets: Vec<usize> = policy
            .statements
            .iter()
            .flat_map(|s| [s.span.start, s.span.end])
            .collect();
        let pos = positions(text, &offsets);
        let spans = policy
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut o = String::with_capacity(96);
                span_text(&mut o, s.span, pos[2 * i], pos[2 * i + 1]);
                (s.span, o)
            })
            .collect();
        TraceSpans { spans }
    }
}

/// The trace of every statement of `policy`, as `kmsplay_policy::trace`
/// gives it, written while the policy is walked: nothing is copied out of
/// the policy or the context first.
fn statements(
    out: &mut String,
    policy: &Policy,
    request: &Request<'_>,
    identity: bool,
    spans: Option<&TraceSpans>,
) {
    out.push('[');
    for (i, st) in policy.statements.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (principal, action, resource) = statement_parts(st, request, identity);
        let holds: Vec<bool> = st
            .conditions
            .iter()
            .map(|c| condition_holds(c, request.context))
            .collect();
        let applies =
            st.valid && principal.matched() && action && resource && holds.iter().all(|&h| h);
        out.push_str("{\"statement\":");
        number(out, st.index);
        out.push_str(",\"sid\":");
        opt_string(out, st.sid.as_ref().map(|s| s.value.as_str()));
        out.push_str(",\"effect\":");
        opt_string(out, st.effect().map(|e| e.as_str()));
        out.push_str(",\"valid\":");
        boolean(out, st.valid);
        out.push_str(",\"principal\":");
        string(out, principal.code());
        out.push_str(",\"action\":");
        boolean(out, action);
        out.push_str(",\"resource\":");
        boolean(out, resource);
        out.push_str(",\"applies\":");
        boolean(out, applies);
        out.push_str(",\"conditions\":[");
        for (j, (c, held)) in st.conditions.iter().zip(holds).enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"operator\":\"");
            // Operator names are letters and a colon: nothing to escape.
            c.operator.name_parts().iter().for_each(|p| out.push_str(p));
            out.push('"');
            out.push_str(",\"key\":");
            string(out, &c.key);
            out.push_str(",\"policy_values\":[");
            for (k, v) in c.values.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                string(out, &v.value.text);
            }
            out.push_str("],\"request_values\":");
            match request_values(c, request.context) {
                Some(v) => strings(out, v),
                None => out.push_str("null"),
            }
            out.push_str(",\"result\":");
            boolean(out, held);
            out.push('}');
        }
        out.push(']');
        if let Some(spans) = spans {
            out.push_str(",\"span\":");
            match spans
                .spans
                .get(st.index)
                .filter(|(span, _)| *span == st.span)
            {
                Some((_, t)) => out.push_str(t),
                None => out.push_str("null"),
            }
        }
        out.push('}');
    }
    out.push(']');
}

/// The `trace` member of a result: what `Detail` holds, in the command
/// line's order.
fn trace(
    out: &mut String,
    file: &PlaygroundFile,
    spec: &RequestSpec,
    inputs: &TraceInputs,
    spans: &TraceSpans,
) {
    let req = kmsplay_playground::kms_request(spec);
    let request = inputs.request(&file.key, &req);
    out.push_str(",\"trace\":{\"context\":{");
    // As a JSON object: a key given twice keeps its first place and its
    // last value.
    let entries: Vec<(&str, &ContextValue)> = inputs.context.iter().collect();
    let mut first = true;
    for (i, (k, _)) in entries.iter().enumerate() {
        if entries[..i].iter().any(|(p, _)| p == k) {
            continue;
        }
        let v = entries
            .iter()
            .rev()
            .find(|(p, _)| p == k)
            .expect("present")
            .1;
        if !first {
            out.push(',');
        }
        first = false;
        string(out, k);
        out.push(':');
        match v {
            ContextValue::Single(s) => string(out, s),
            ContextValue::Multi(m) => strings(out, m),
        }
    }
    out.push_str("},\"key_policy\":");
    match &file.key.policy {
        Some(p) => statements(out, p, &request, false, Some(spans)),
        None => out.push_str("[]"),
    }
    out.push_str(",\"identity_policies\":[");
    for (i, (identity, index, policy)) in inputs.identity_policies(&file.identities).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"identity\":");
        string(out, &identity.arn);
        out.push_str(",\"policy\":");
        number(out, index);
        out.push_str(",\"statements\":");
        statements(out, policy, &request, true, None);
        out.push('}');
    }
    out.push_str("],\"grants\":[");
    for (i, g) in inputs.grants.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"grant\":");
        string(out, &g.id);
        for (name, v) in [
            ("grantee", g.grantee),
            ("grantee_account", g.grantee_account),
            ("operation", g.operation),
            ("constraint", g.constraint),
            ("usable", g.usable),
            ("applies", g.applies),
        ] {
            key(out, false, name);
            boolean(out, v);
        }
        out.push('}');
    }
    out.push(']');
    if let Some(g) = &inputs.guardrails {
        out.push_str(",\"guardrails\":");
        out.push_str(&kmsplay_playground::guardrails_json(file, spec, g).to_string());
    }
    out.push('}');
}

/// Appends one request's result object, with its trace when `trace` is
/// given (what `kmsplay_playground::decide_for_trace` gave with the
/// result, and the file's statement spans).
pub fn result(
    out: &mut String,
    file: &PlaygroundFile,
    spec: &RequestSpec,
    r: &RequestResult,
    lang: Lang,
    trace: Option<(&TraceInputs, &TraceSpans)>,
) {
    let auth = &r.authorization;
    out.push_str("{\"name\":");
    string(out, &spec.name);
    out.push_str(",\"principal\":");
    string(out, &spec.principal_text);
    out.push_str(",\"action\":\"kms:");
    out.push_str(spec.operation.name);
    out.push_str("\",\"decision\":\"");
    out.push_str(auth.decision.as_str());
    out.push_str("\",\"outcome\":\"");
    out.push_str(auth.outcome.as_str());
    out.push_str("\",\"reasons\":[");
    for (i, reason) in auth.reasons.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"code\":");
        string(out, reason.code);
        out.push_str(",\"params\":");
        params(out, &reason.params);
        out.push_str(",\"message\":");
        // Escaped straight into the output, piece by piece: no sentence
        // built and copied.
        out.push('"');
        reason_pieces(file, spec, auth, reason, lang, |piece| {
            kmsplay_json::write_string_content(piece, out)
        });
        out.push('"');
        out.push('}');
    }
    out.push_str("],\"allowed_by\":[");
    for (i, s) in auth.allowed_by.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        source(out, file, s);
    }
    out.push_str("],\"denied_by\":");
    match &auth.denied_by {
        Some(s) => source(out, file, s),
        None => out.push_str("null"),
    }
    out.push_str(",\"cross_account\":");
    match auth.cross_account {
        Some(c) => {
            out.push_str("{\"key_policy\":");
            boolean(out, c.key_policy);
            out.push_str(",\"identity_policy\":");
            boolean(out, c.identity_policy);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"policy_type\":\"");
    out.push_str(auth.policy_type.code());
    out.push_str("\",\"access_denied_message\":");
    let req = kmsplay_playground::kms_request(spec);
    opt_string(out, auth.access_denied_message(&file.key, &req).as_deref());
    // The key-policy statement that decided, so a page can highlight it
    // without asking for the whole trace.
    let deciding = match (&auth.denied_by, auth.allowed_by.first()) {
        (Some(Source::KeyPolicy { statement }), _)
        | (None, Some(Source::KeyPolicy { statement })) => Some(*statement),
        _ => None,
    };
    if let Some(st) = deciding.and_then(|i| file.key.policy.as_ref()?.statements.get(i)) {
        out.push_str(",\"decided_by\":{\"statement\":");
        number(out, st.index);
        out.push_str(",\"start\":");
        number(out, st.span.start);
        out.push_str(",\"end\":");
        number(out, st.span.end);
        out.push('}');
    } else if let Some(d) = kmsplay_playground::other_layer_decided_by(file, spec, auth) {
        out.push_str(",\"decided_by\":");
        out.push_str(&d.to_string());
    }
    if let Some(e) = spec.expect {
        out.push_str(",\"expect\":");
        string(out, e.as_str());
        out.push_str(",\"expect_met\":");
        boolean(out, r.expect_met == Some(true));
    }
    if let Some((inputs, spans)) = trace {
        self::trace(out, file, spec, inputs, spans);
    }
    out.push('}');
}

/// The whole report of a file: `{"results", "diagnostics", "summary"}`.
/// `traces` is empty, or holds each result's trace inputs (then `spans`
/// are the file's, computed here when not given).
pub fn report(
    file: &PlaygroundFile,
    file_text: &str,
    results: &[RequestResult],
    traces: &[TraceInputs],
    lang: Lang,
    spans: Option<&TraceSpans>,
) -> String {
    // A result is about 1 KB, 6 KB with its trace.
    let each = if traces.is_empty() { 1024 } else { 6144 };
    let mut out = String::with_capacity(2048 + results.len() * each);
    let own;
    let spans = match spans {
        Some(s) => s,
        None if !traces.is_empty() => {
            own = TraceSpans::new(file, file_text);
            &own
        }
        None => {
            own = TraceSpans::default();
            &own
        }
    };
    out.push_str("{\"results\":[");
    for (i, (spec, r)) in file.requests.iter().zip(results).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let trace = traces.get(i).map(|t| (t, spans));
        result(&mut out, file, spec, r, lang, trace);
    }
    out.push_str("],\"diagnostics\":[");
    let mut first = true;
    let mut file_index = None;
    for p in &file.policies {
        if p.diagnostics.is_empty() {
            continue;
        }
        let text = match &p.text {
            Some(t) => t.as_str(),
            None => file_text,
        };
        let offsets: Vec<usize> = p
            .diagnostics
            .iter()
            .flat_map(|d| [d.span.start, d.span.end])
            .collect();
        let pos = if p.text.is_some() {
            positions(text, &offsets)
        } else {
            // Positions in the file's text: index it once for all policies.
            let index = file_index.get_or_insert_with(|| kmsplay_json::LineIndex::new(file_text));
            offsets
                .iter()
                .map(|&o| {
                    let p = index.position(o);
                    (p.line, p.column)
                })
                .collect()
        };
        for (j, d) in p.diagnostics.iter().enumerate() {
            if !first {
                out.push(',');
            }
            first = false;
            diagnostic(&mut out, file, p, d, lang, pos[2 * j], pos[2 * j + 1]);
        }
    }
    let allowed = results
        .iter()
        .filter(|r| r.authorization.decision == kmsplay_kms::Decision::Allowed)
        .count();
    let met = results
        .iter()
        .filter(|r| r.expect_met == Some(true))
        .count();
    let failed = results
        .iter()
        .filter(|r| r.expect_met == Some(false))
        .count();
    out.push_str("],\"summary\":{\"total\":");
    number(&mut out, results.len());
    out.push_str(",\"allowed\":");
    number(&mut out, allowed);
    out.push_str(",\"denied\":");
    number(&mut out, results.len() - allowed);
    out.push_str(",\"expect_met\":");
    number(&mut out, met);
    out.push_str(",\"expect_failed\":");
    number(&mut out, failed);
    out.push_str("}}");
    out
}

fn diagnostic(
    out: &mut String,
    file: &PlaygroundFile,
    p: &PolicyDiagnostics,
    d: &Diagnostic,
    lang: Lang,
    start: (usize, usize),
    end: (usize, usize),
) {
    out.push_str("{\"policy\":");
    match &p.source {
        PolicySource::Key => {
            out.push_str("\"key\",\"identity\":null");
        }
        PolicySource::Identity { identity, .. } | PolicySource::Boundary { identity } => {
            string(out, &p.source.path());
            out.push_str(",\"identity\":");
            opt_string(out, file.identities.get(*identity).map(|i| i.arn.as_str()));
        }
        other => {
            string(out, &other.path());
            out.push_str(",\"identity\":null");
        }
    }
    out.push_str(",\"in_policy_text\":");
    boolean(out, p.text.is_some());
    out.push_str(",\"policy_text\":");
    opt_string(out, p.text.as_deref());
    out.push_str(",\"code\":");
    string(out, d.code);
    out.push_str(",\"severity\":");
    string(out, d.severity.as_str());
    out.push_str(",\"message\":");
    string(out, &kmsplay_playground::diagnostic_message(d, lang));
    out.push_str(",\"params\":");
    params(out, &d.params);
    for (name, v) in [
        ("line", start.0),
        ("column", start.1),
        ("end_line", end.0),
        ("end_column", end.1),
        ("start", d.span.start),
        ("end", d.span.end),
    ] {
        key(out, false, name);
        number(out, v);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use kmsplay_json::LineIndex;

    #[test]
    fn strings_escape_as_json() {
        for s in [
            "plain",
            "q\"uote\\",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}",
            "日本語 ✓",
        ] {
            let mut out = String::new();
            string(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s, "{out}");
        }
    }

    #[test]
    fn numbers() {
        for n in [0usize, 7, 10, 12345, usize::MAX] {
            let mut out = String::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn positions_are_line_index_positions() {
        let text = "ab\ncdéfg\r\n\nh日本\n";
        let offsets: Vec<usize> = (0..=text.len() + 2).rev().collect();
        let index = LineIndex::new(text);
        let got = positions(text, &offsets);
        for (o, g) in offsets.iter().zip(got) {
            let p = index.position(*o);
            assert_eq!(g, (p.line, p.column), "offset {o}");
        }
    }
}
