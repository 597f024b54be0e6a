//! Recognising an input by its shape, and the outputs of `aws kms` and
//! `aws iam` commands (<https://docs.aws.amazon.com/cli/latest/reference/kms/>,
//! <https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html>).

pub(crate) use crate::kind::Kind;
use crate::model::{Builder, Loose};
use crate::scan;
use crate::tally::Tally;
use crate::types::{ImportError, InputSummary};
use kmsplay_json::{write_string, JsonMember, JsonNode, Span, View};
use kmsplay_kms::catalogue;

const DENIED_WORDS: &str = "is not authorized to perform:";

/// Recognises an input by its shape.
pub(crate) fn recognise(name: &str, text: &str) -> Result<Kind, ImportError> {
    if scan::is_log_file(text) {
        return Ok(Kind::Log);
    }
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['{', '[']) {
        if text.contains(DENIED_WORDS) {
            return Ok(Kind::Denied);
        }
        return Err(ImportError::new("import.error.unrecognised", name));
    }
    let root = match kmsplay_json::parse_borrowed(text) {
        Ok(r) => r,
        Err(e) => return Err(ImportError::json(name, text, &e)),
    };
    let has = |k: &str| root.get(k).is_some();
    let kind = match root.view() {
        View::Array(items) => items
            .first()
            .filter(|r| r.get("eventSource").is_some())
            .map(|_| Kind::RecordArray),
        View::Object(_) => {
            if has("eventSource") && has("eventName") {
                Some(Kind::Record)
            } else if root.get("Records").and_then(|r| r.as_array()).is_some() {
                // A log file whose first member is not `Records`.
                Some(Kind::Log)
            } else if root.get("Events").and_then(|e| e.as_array()).is_some() {
                Some(Kind::LookupEvents)
            } else if has("QueryResultRows") {
                Some(Kind::Lake)
            } else if root.get("Policy").is_some_and(|p| p.as_str().is_some()) {
                Some(Kind::GetKeyPolicy)
            } else if has("KeyMetadata") {
                Some(Kind::DescribeKey)
            } else if has("Grants") {
                Some(Kind::ListGrants)
            } else if has("Tags") {
                Some(Kind::ListTags)
            } else if has("Aliases") {
                Some(Kind::ListAliases)
            } else if has("UserDetailList") || has("RoleDetailList") || has("GroupDetailList") {
                Some(Kind::AuthDetails)
            } else if has("Statement") {
                Some(Kind::BarePolicy)
            } else {
                None
            }
        }
        _ => None,
    };
    kind.ok_or_else(|| ImportError::new("import.error.unrecognised", name))
}

fn str_of<'n, N: JsonNode>(node: &'n N, field: &str) -> Option<&'n str> {
    node.get(field).and_then(|n| n.as_str())
}

fn items<'n, N: JsonNode>(node: &'n N, field: &str) -> &'n [N] {
    node.get(field)
        .and_then(|n| n.as_array())
        .unwrap_or_default()
}

/// The text of a value of the input, as it stands there.
fn raw(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

/// A policy of an output, checked: a JSON object (its text kept as
/// written) or a string holding the document — URL-encoded in the IAM
/// API's own responses (`%7B%22Version%22…`), plain in the CLI's. A string
/// that is not JSON is an error placed in the string's own text.
fn policy_json<N: JsonNode>(
    name: &str,
    text: &str,
    node: &N,
    field: &str,
) -> Result<String, ImportError> {
    match node.view() {
        View::Object(_) => Ok(raw(text, node.span()).to_string()),
        View::String(s) => {
            let decoded;
            let doc = if s.trim_start().starts_with('%') {
                decoded = url_decode(s);
                decoded.as_str()
            } else {
                s
            };
            if let Err(e) = kmsplay_json::parse(doc) {
                return Err(ImportError::json_inner(
                    name,
                    text,
                    node.span(),
                    field,
                    doc,
                    &e,
                ));
            }
            let mut out = String::with_capacity(doc.len() + 16);
            write_string(doc, &mut out);
            Ok(out)
        }
        _ => Err(ImportError::new("import.error.not-a-policy", name)
            .at(text, node.span().start, node.span().end)
            .with("field", field)),
    }
}

/// Percent-decoding (`%22` → `"`, `+` kept: IAM encodes spaces as `%20`).
fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads an output that is not records.
pub(crate) fn read_outputs(
    b: &mut Builder,
    name: &str,
    text: &str,
    kind: Kind,
) -> Result<InputSummary, ImportError> {
    let root = kmsplay_json::parse_borrowed(text).map_err(|e| ImportError::json(name, text, &e))?;
    let mut tally = Tally::default();
    match kind {
        Kind::GetKeyPolicy => {
            let p = root.get("Policy").expect("recognised");
            let policy = policy_json(name, text, p, "Policy")?;
            b.loose.push((name.to_string(), Loose::Policy(policy)));
            tally.used_one();
        }
        Kind::BarePolicy => {
            let policy = policy_json(name, text, &root, "")?;
            b.loose.push((name.to_string(), Loose::Policy(policy)));
            tally.used_one();
        }
        Kind::DescribeKey => describe_key(b, name, text, &root, &mut tally)?,
        Kind::ListGrants => list_grants(b, &root, &mut tally),
        Kind::ListTags => {
            let tags = items(&root, "Tags")
                .iter()
                .filter_map(|t| {
                    Some((
                        str_of(t, "TagKey")?.to_string(),
                        str_of(t, "TagValue")?.to_string(),
                    ))
                })
                .collect();
            b.loose.push((name.to_string(), Loose::Tags(tags)));
            tally.used_one();
        }
        Kind::ListAliases => {
            for a in items(&root, "Aliases") {
                match (str_of(a, "AliasName"), str_of(a, "TargetKeyId")) {
                    (Some(alias), Some(id)) => {
                        b.aliases.push((alias.to_string(), id.to_string()));
                        tally.used_one();
                    }
                    // AWS managed aliases not yet used have no target.
                    _ => tally.skip("no-target"),
                }
            }
        }
        Kind::AuthDetails => auth_details(b, name, text, &root, &mut tally)?,
        _ => unreachable!("records are read elsewhere"),
    }
    Ok(tally.summary(name, kind))
}

fn describe_key<N: JsonNode>(
    b: &mut Builder,
    name: &str,
    text: &str,
    root: &N,
    tally: &mut Tally,
) -> Result<(), ImportError> {
    let m = root.get("KeyMetadata").expect("recognised");
    let Some(arn) = str_of(m, "Arn").filter(|a| kmsplay_kms::Key::new(a).is_ok()) else {
        return Err(ImportError::new("import.error.no-key-arn", name).at(
            text,
            m.span().start,
            m.span().end,
        ));
    };
    let key = b.key_mut(arn);
    key.described = true;
    // `CustomerMasterKeySpec` is the older name of `KeySpec`.
    key.spec = str_of(m, "KeySpec")
        .or_else(|| str_of(m, "CustomerMasterKeySpec"))
        .map(str::to_string);
    key.usage = str_of(m, "KeyUsage").map(str::to_string);
    key.origin = str_of(m, "Origin").map(str::to_string);
    key.state = str_of(m, "KeyState").map(str::to_string);
    key.multi_region = m.get("MultiRegion").and_then(|v| match v.view() {
        View::Bool(x) => Some(x),
        _ => None,
    });
    tally.used_one();
    Ok(())
}

/// `list-grants`: each grant with its grantee, operations, constraints.
fn list_grants<N: JsonNode>(b: &mut Builder, root: &N, tally: &mut Tally) {
    for g in items(root, "Grants") {
        let (Some(key), Some(grantee)) = (str_of(g, "KeyId"), str_of(g, "GranteePrincipal")) else {
            tally.skip("no-key");
            continue;
        };
        if kmsplay_kms::Key::new(key).is_err() {
            tally.skip("no-key");
            continue;
        }
        let mut ops = Vec::new();
        for op in items(g, "Operations") {
            match op
                .as_str()
                .and_then(catalogue::operation)
                .filter(|o| o.grant_operation)
            {
                Some(o) => ops.push(o.name),
                None => tally.skip("unknown-grant-operation"),
            }
        }
        let mut out = String::from("{\"id\": ");
        write_string(str_of(g, "GrantId").unwrap_or("grant"), &mut out);
        out.push_str(", \"grantee\": ");
        write_string(grantee, &mut out);
        out.push_str(", \"operations\": [");
        for (i, o) in ops.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_string(o, &mut out);
        }
        out.push(']');
        if let Some(c) = g.get("Constraints") {
            let pairs = |field: &str| {
                c.get(field).and_then(|n| n.as_object()).map(|members| {
                    let mut s = String::from("{");
                    for (i, m) in members.iter().enumerate() {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        write_string(m.key(), &mut s);
                        s.push_str(": ");
                        write_string(m.value().scalar_text().unwrap_or_default(), &mut s);
                    }
                    s.push('}');
                    s
                })
            };
            if let Some(p) = pairs("EncryptionContextEquals") {
                out.push_str(", \"constraints\": {\"encryption_context_equals\": ");
                out.push_str(&p);
                out.push('}');
            } else if let Some(p) = pairs("EncryptionContextSubset") {
                out.push_str(", \"constraints\": {\"encryption_context_subset\": ");
                out.push_str(&p);
                out.push('}');
            }
        }
        if let Some(r) = str_of(g, "RetiringPrincipal") {
            out.push_str(", \"retiring_principal\": ");
            write_string(r, &mut out);
        }
        if let Some(n) = str_of(g, "Name") {
            out.push_str(", \"name\": ");
            write_string(n, &mut out);
        }
        out.push('}');
        b.key_mut(key).grants.push(out);
        tally.used_one();
    }
}

/// `get-account-authorization-details`: users and roles with their inline
/// and attached managed policies (the default version), a user's groups'
/// policies, and permissions boundaries.
fn auth_details<N: JsonNode>(
    b: &mut Builder,
    name: &str,
    text: &str,
    root: &N,
    tally: &mut Tally,
) -> Result<(), ImportError> {
    // Managed policies: ARN → the default version's document.
    let mut managed: Vec<(&str, String)> = Vec::new();
    for (i, p) in items(root, "Policies").iter().enumerate() {
        let Some(arn) = str_of(p, "Arn") else {
            continue;
        };
        let default = str_of(p, "DefaultVersionId");
        let versions = items(p, "PolicyVersionList");
        let version = versions.iter().enumerate().find(|(_, v)| {
            matches!(
                v.get("IsDefaultVersion").map(|n| n.view()),
                Some(View::Bool(true))
            ) || (default.is_some() && str_of(*v, "VersionId") == default)
        });
        if let Some((j, v)) = version {
            if let Some(doc) = v.get("Document") {
                let field = format!("Policies[{i}].PolicyVersionList[{j}].Document");
                managed.push((arn, policy_json(name, text, doc, &field)?));
            }
        }
    }
    // Groups: name → their inline and managed policies.
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (i, g) in items(root, "GroupDetailList").iter().enumerate() {
        let Some(gname) = str_of(g, "GroupName") else {
            continue;
        };
        let policies = entity_policies(
            b,
            name,
            text,
            g,
            "GroupPolicyList",
            &format!("GroupDetailList[{i}]"),
            &managed,
        )?;
        groups.push((gname, policies));
    }
    for (list, inline) in [
        ("UserDetailList", "UserPolicyList"),
        ("RoleDetailList", "RolePolicyList"),
    ] {
        for (i, e) in items(root, list).iter().enumerate() {
            let Some(arn) = str_of(e, "Arn").filter(|a| is_user_or_role(a)) else {
                tally.skip("caller-unknown");
                continue;
            };
            let mut policies =
                entity_policies(b, name, text, e, inline, &format!("{list}[{i}]"), &managed)?;
            for g in items(e, "GroupList") {
                let Some(gname) = g.as_str() else { continue };
                match groups.iter().find(|(n, _)| *n == gname) {
                    Some((_, p)) => policies.extend(p.iter().cloned()),
                    None => b.note(
                        "import.note.group-missing",
                        vec![("group", gname.to_string()), ("identity", arn.to_string())],
                    ),
                }
            }
            let boundary = e
                .get("PermissionsBoundary")
                .and_then(|pb| str_of(pb, "PermissionsBoundaryArn"))
                .map(|pb_arn| match managed.iter().find(|(a, _)| *a == pb_arn) {
                    Some((_, doc)) => Some(doc.clone()),
                    None => {
                        b.note(
                            "import.note.managed-policy-missing",
                            vec![
                                ("policy", pb_arn.to_string()),
                                ("identity", arn.to_string()),
                            ],
                        );
                        None
                    }
                });
            let identity = b.identity_mut(arn);
            identity.policies.extend(policies);
            // A boundary that is not in the import is left out (and said,
            // above).
            if let Some(Some(doc)) = boundary {
                identity.boundary = Some(doc);
            }
            tally.used_one();
        }
    }
    Ok(())
}

/// An entity's inline policies and the attached managed policies found.
fn entity_policies<N: JsonNode>(
    b: &mut Builder,
    name: &str,
    text: &str,
    entity: &N,
    inline: &str,
    path: &str,
    managed: &[(&str, String)],
) -> Result<Vec<String>, ImportError> {
    let mut policies = Vec::new();
    for (j, p) in items(entity, inline).iter().enumerate() {
        if let Some(doc) = p.get("PolicyDocument") {
            policies.push(policy_json(
                name,
                text,
                doc,
                &format!("{path}.{inline}[{j}].PolicyDocument"),
            )?);
        }
    }
    let who = str_of(entity, "Arn").unwrap_or(path).to_string();
    for a in items(entity, "AttachedManagedPolicies") {
        let Some(arn) = str_of(a, "PolicyArn") else {
            continue;
        };
        match managed.iter().find(|(m, _)| *m == arn) {
            Some((_, doc)) => policies.push(doc.clone()),
            None => b.note(
                "import.note.managed-policy-missing",
                vec![("policy", arn.to_string()), ("identity", who.clone())],
            ),
        }
    }
    Ok(policies)
}

/// An IAM user's or role's ARN: what a playground file's identities hold.
fn is_user_or_role(arn: &str) -> bool {
    use kmsplay_policy::{AwsPrincipalKind, Principal};
    matches!(
        Principal::parse(arn),
        Some(Principal::Aws(p)) if matches!(p.kind, AwsPrincipalKind::User | AwsPrincipalKind::Role)
    )
}
