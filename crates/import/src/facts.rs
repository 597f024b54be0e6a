//! What the inputs say about a key and the identities, gathered as it is
//! read (the builder writes files from it, the comparison reads it).

use crate::denied::AccessDenied;
use crate::types::Note;
use kmsplay_kms::lifecycle::Time;

/// What AWS answered a request, for the comparison with the engine.
#[derive(Debug, Clone, Default)]
pub(crate) struct AwsAnswer {
    /// The AccessDenied message's reading, when AWS gave one.
    pub denied: Option<AccessDenied>,
    /// The error code, when AWS refused.
    pub error: Option<String>,
}

/// One key and everything imported about it.
#[derive(Debug, Default)]
pub(crate) struct KeyInfo {
    pub arn: String,
    pub spec: Option<String>,
    pub usage: Option<String>,
    pub origin: Option<String>,
    pub state: Option<String>,
    pub multi_region: Option<bool>,
    pub tags: Vec<(String, String)>,
    pub aliases: Vec<String>,
    /// The key policy, as JSON text (an object, or a string holding the
    /// pasted text).
    pub policy: Option<String>,
    /// Grants, each a JSON object's text.
    pub grants: Vec<String>,
    /// The requests so far, each a JSON object's text, one per line.
    pub requests: String,
    pub request_count: usize,
    pub answers: Vec<AwsAnswer>,
    /// The latest record's time.
    pub clock: Option<(Time, String)>,
    /// describe-key was imported.
    pub described: bool,
}

impl KeyInfo {
    /// The key id (the ARN's last part).
    pub fn id(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or_default()
    }

    /// The account that owns it.
    pub fn account(&self) -> &str {
        kmsplay_policy::arn::account(&self.arn).unwrap_or_default()
    }
}

/// An IAM user or role and its policies.
#[derive(Debug, Default)]
pub(crate) struct IdentityInfo {
    pub arn: String,
    pub policies: Vec<String>,
    pub boundary: Option<String>,
}

/// Adds a note, or counts it again.
pub(crate) fn add_note(
    notes: &mut Vec<Note>,
    code: &'static str,
    params: Vec<(&'static str, String)>,
) {
    match notes
        .iter_mut()
        .find(|n| n.code == code && n.params == params)
    {
        Some(n) => n.count += 1,
        None => notes.push(Note {
            code,
            params,
            count: 1,
        }),
    }
}

/// `alias/name` of `alias/name` or an alias ARN.
pub(crate) fn alias_name(text: &str) -> Option<&str> {
    if text.starts_with("alias/") {
        return Some(text);
    }
    let i = text.find(":alias/")?;
    text.starts_with("arn:").then(|| &text[i + 1..])
}
