//! Where a fix's policy stands in the playground file's text.

use kmsplay_json::{Node, Span};
use kmsplay_playground::{FileError, PolicySource};

pub(super) fn key_policy_node(root: &Node) -> Option<&Node> {
    root.get("key")?.get("policy")
}

pub(super) fn array(node: &Node) -> Option<&[Node]> {
    match &node.value {
        kmsplay_json::Value::Array(items) => Some(items),
        _ => None,
    }
}

/// The identity whose `arn` is exactly `arn`, with its index.
pub(super) fn identity_node<'n>(root: &'n Node, arn: &str) -> Option<(usize, &'n Node)> {
    array(root.get("identities")?)?
        .iter()
        .enumerate()
        .find(|(_, i)| i.get("arn").and_then(Node::as_str) == Some(arn))
}

pub(super) fn policies_of(identity: &Node) -> Option<&[Node]> {
    array(identity.get("policies")?)
}

/// The list a layer policy sits in (a node's SCPs or RCPs, a request's
/// session policies); None for the policies that are not in a list.
pub(super) fn layer_list<'n>(root: &'n Node, source: &PolicySource) -> Option<&'n Node> {
    match source {
        PolicySource::Scp { node, .. } => root.get("organization")?.get("scps")?.get(node),
        PolicySource::Rcp { node, .. } => root.get("organization")?.get("rcps")?.get(node),
        PolicySource::Session { request, .. } => array(root.get("requests")?)?
            .get(*request)?
            .get("session_policies"),
        _ => None,
    }
    .filter(|n| array(n).is_some())
}

/// The policy a [`PolicySource`] names, in the file's JSON.
pub(super) fn layer_node<'n>(root: &'n Node, source: &PolicySource) -> Option<&'n Node> {
    let item = |list: &'n Node, i: usize| array(list)?.get(i);
    match source {
        PolicySource::Key => key_policy_node(root),
        PolicySource::Identity { identity, policy } => {
            policies_of(item(root.get("identities")?, *identity)?)?.get(*policy)
        }
        PolicySource::Boundary { identity } => {
            item(root.get("identities")?, *identity)?.get("permissions_boundary")
        }
        PolicySource::Scp { policy, .. } | PolicySource::Rcp { policy, .. } => {
            item(layer_list(root, source)?, *policy)
        }
        PolicySource::Session { policy, .. } => item(layer_list(root, source)?, *policy),
        PolicySource::Endpoint { request } => item(root.get("requests")?, *request)?
            .get("vpc_endpoint")?
            .get("policy"),
    }
}

/// A policy's text: the string's value, or the object's bytes in the file;
/// and whether it was a string.
pub(super) fn policy_text(file_text: &str, node: &Node) -> Option<(String, bool)> {
    match &node.value {
        kmsplay_json::Value::String(s) => Some((s.clone(), true)),
        kmsplay_json::Value::Object(_) => {
            Some((file_text[node.span.start..node.span.end].to_string(), false))
        }
        _ => None,
    }
}

pub(super) fn stale(span: Span) -> FileError {
    FileError {
        code: "file.fix-stale",
        path: String::new(),
        span,
        params: Vec::new(),
    }
}
