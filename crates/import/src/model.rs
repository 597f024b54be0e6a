//! What the inputs say, gathered per key, and the playground files written
//! from it. Requests are written as JSON text the moment a record is read
//! (one line each), so a large log costs its output, not a tree of it.

use crate::facts::{add_note, alias_name, IdentityInfo, KeyInfo};
use crate::types::{ImportedFile, Note, Options};
use kmsplay_json::write_string;
use kmsplay_kms::catalogue::{self, KeyState, KeyUsage};

/// A keyless output (`get-key-policy`, `list-resource-tags`): attached to
/// the one key, or to the key whose id the input's name holds.
#[derive(Debug)]
pub(crate) enum Loose {
    Policy(String),
    Tags(Vec<(String, String)>),
}

/// Gathers what the inputs say.
pub(crate) struct Builder {
    want: Option<String>,
    pub keys: Vec<KeyInfo>,
    pub loose: Vec<(String, Loose)>,
    /// `alias/name` → key id (from `list-aliases`).
    pub aliases: Vec<(String, String)>,
    pub identities: Vec<IdentityInfo>,
    notes: Vec<Note>,
}

impl Builder {
    pub fn new(options: &Options) -> Builder {
        Builder {
            want: options.key.clone(),
            keys: Vec::new(),
            loose: Vec::new(),
            aliases: Vec::new(),
            identities: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a note, or counts it again when it is already there.
    pub fn note(&mut self, code: &'static str, params: Vec<(&'static str, String)>) {
        add_note(&mut self.notes, code, params);
    }

    /// The key with this ARN, added when new.
    pub fn key_mut(&mut self, arn: &str) -> &mut KeyInfo {
        match self.keys.iter().position(|k| k.arn == arn) {
            Some(i) => &mut self.keys[i],
            None => {
                self.keys.push(KeyInfo {
                    arn: arn.to_string(),
                    ..KeyInfo::default()
                });
                self.keys.last_mut().expect("just pushed")
            }
        }
    }

    /// The key ARN an alias names (`alias/x` or an alias ARN), from
    /// `list-aliases` or a record that showed both.
    pub fn resolve_alias(&self, alias: &str) -> Option<String> {
        let name = alias_name(alias)?;
        if let Some(k) = self
            .keys
            .iter()
            .find(|k| k.aliases.iter().any(|a| a == name))
        {
            return Some(k.arn.clone());
        }
        let (_, id) = self.aliases.iter().find(|(a, _)| a == name)?;
        if let Some(k) = self.keys.iter().find(|k| k.id() == id) {
            return Some(k.arn.clone());
        }
        // An alias ARN gives the region and account of the key it names.
        let parts = kmsplay_policy::arn::split(alias)?;
        let arn = format!("arn:aws:kms:{}:{}:key/{id}", parts[3], parts[4]);
        kmsplay_kms::Key::new(&arn).ok().map(|_| arn)
    }

    /// Whether `--key` lets this key through.
    pub fn wanted(&self, key: &KeyInfo) -> bool {
        let Some(want) = &self.want else { return true };
        want == &key.arn
            || want == key.id()
            || alias_name(want).is_some_and(|a| key.aliases.iter().any(|k| k == a))
            || self.resolve_alias(want).is_some_and(|arn| arn == key.arn)
    }

    /// Adds an identity's policies (merging with what is there).
    pub fn identity_mut(&mut self, arn: &str) -> &mut IdentityInfo {
        match self.identities.iter().position(|i| i.arn == arn) {
            Some(i) => &mut self.identities[i],
            None => {
                self.identities.push(IdentityInfo {
                    arn: arn.to_string(),
                    ..IdentityInfo::default()
                });
                self.identities.last_mut().expect("just pushed")
            }
        }
    }

    /// Writes the playground files, runs them, and says what is missing.
    pub fn finish(mut self) -> (Vec<ImportedFile>, Vec<Note>) {
        self.attach_loose();
        let mut keys = std::mem::take(&mut self.keys);
        keys.sort_by(|a, b| a.arn.cmp(&b.arn));
        let (wanted, other): (Vec<KeyInfo>, Vec<KeyInfo>) =
            keys.into_iter().partition(|k| self.wanted(k));
        let other_requests: usize = other.iter().map(|k| k.request_count).sum();
        if self.want.is_some() && !other.is_empty() {
            let list = other.iter().map(|k| k.arn.as_str()).collect::<Vec<_>>();
            add_note(
                &mut self.notes,
                "import.note.other-keys",
                vec![
                    ("requests", other_requests.to_string()),
                    ("keys", list.join(", ")),
                ],
            );
        }
        if let (Some(want), true) = (&self.want, wanted.is_empty()) {
            add_note(
                &mut self.notes,
                "import.note.key-not-found",
                vec![("key", want.clone())],
            );
        }
        let mut files = Vec::with_capacity(wanted.len());
        for key in wanted {
            let text = self.write_file(&key);
            let verdict = crate::compare::compare(&key, &text, &self.identities, &mut self.notes);
            files.push(ImportedFile {
                key: key.arn.clone(),
                requests: key.request_count,
                agree: verdict.0,
                disagree: verdict.1,
                text,
            });
        }
        (files, self.notes)
    }

    fn attach_loose(&mut self) {
        for (alias, id) in &self.aliases {
            if let Some(k) = self.keys.iter_mut().find(|k| k.id() == id) {
                if !k.aliases.contains(alias) {
                    k.aliases.push(alias.clone());
                }
            }
        }
        for (name, loose) in std::mem::take(&mut self.loose) {
            let target = if self.keys.len() == 1 {
                Some(0)
            } else {
                // Several keys: the one whose id the input's name holds
                // (`policy-1234abcd-….json`).
                let named: Vec<usize> = (0..self.keys.len())
                    .filter(|&i| name.contains(self.keys[i].id()))
                    .collect();
                (named.len() == 1).then(|| named[0])
            };
            let Some(i) = target else {
                add_note(
                    &mut self.notes,
                    "import.note.unattached",
                    vec![
                        ("file", name.clone()),
                        ("keys", self.keys.len().to_string()),
                    ],
                );
                continue;
            };
            let key = &mut self.keys[i];
            match loose {
                Loose::Policy(p) => key.policy = Some(p),
                Loose::Tags(t) => key.tags = t,
            }
        }
    }

    /// The playground file of one key, as JSON text.
    fn write_file(&mut self, key: &KeyInfo) -> String {
        let mut out = String::with_capacity(key.requests.len() + 4096);
        out.push_str("{\n  \"version\": 1,\n");
        if let Some((_, clock)) = &key.clock {
            out.push_str("  \"clock\": ");
            write_string(clock, &mut out);
            out.push_str(",\n");
        }
        out.push_str("  \"key\": {\n    \"arn\": ");
        write_string(&key.arn, &mut out);
        self.write_metadata(key, &mut out);
        if !key.tags.is_empty() {
            out.push_str(",\n    \"tags\": {");
            for (i, (k, v)) in key.tags.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(k, &mut out);
                out.push_str(": ");
                write_string(v, &mut out);
            }
            out.push('}');
        }
        if !key.aliases.is_empty() {
            out.push_str(",\n    \"aliases\": [");
            for (i, a) in key.aliases.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(a, &mut out);
            }
            out.push(']');
        }
        out.push_str(",\n    \"policy\": ");
        match &key.policy {
            Some(p) => out.push_str(p),
            None => {
                // AWS's default key policy: the account may use the key
                // through IAM policies. What the key really has is unknown.
                add_note(
                    &mut self.notes,
                    "import.note.key-policy-missing",
                    vec![("key", key.arn.clone())],
                );
                out.push_str(&default_key_policy(key.account()));
            }
        }
        if !key.grants.is_empty() {
            out.push_str(",\n    \"grants\": [\n      ");
            out.push_str(&key.grants.join(",\n      "));
            out.push_str("\n    ]");
        }
        out.push_str("\n  },\n  \"identities\": [");
        for (i, identity) in self.identities.iter().enumerate() {
            out.push_str(if i > 0 { ",\n    " } else { "\n    " });
            out.push_str("{\"arn\": ");
            write_string(&identity.arn, &mut out);
            out.push_str(", \"policies\": [");
            out.push_str(&identity.policies.join(", "));
            out.push(']');
            if let Some(b) = &identity.boundary {
                out.push_str(", \"permissions_boundary\": ");
                out.push_str(b);
            }
            out.push('}');
        }
        if !self.identities.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("],\n  \"requests\": [");
        if !key.requests.is_empty() {
            out.push_str("\n    ");
            out.push_str(&key.requests);
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    /// `spec`, `usage`, `origin`, `state` from describe-key, each only when
    /// the playground knows the value.
    fn write_metadata(&mut self, key: &KeyInfo, out: &mut String) {
        if !key.described {
            add_note(
                &mut self.notes,
                "import.note.metadata-missing",
                vec![("key", key.arn.clone())],
            );
        }
        let spec = key.spec.as_deref().and_then(catalogue::key_spec);
        if let Some(s) = spec {
            out.push_str(",\n    \"spec\": ");
            write_string(s.name, out);
        } else if let Some(s) = &key.spec {
            add_note(
                &mut self.notes,
                "import.note.unknown-value",
                vec![("field", "KeySpec".into()), ("value", s.clone())],
            );
        }
        if let Some(u) = &key.usage {
            let known = KeyUsage::parse(u).filter(|u| {
                spec.unwrap_or_else(|| catalogue::key_spec("SYMMETRIC_DEFAULT").expect("known"))
                    .usages
                    .contains(u)
            });
            if known.is_some() {
                out.push_str(",\n    \"usage\": ");
                write_string(u, out);
            } else {
                add_note(
                    &mut self.notes,
                    "import.note.unknown-value",
                    vec![("field", "KeyUsage".into()), ("value", u.clone())],
                );
            }
        }
        if let Some(o) = &key.origin {
            out.push_str(",\n    \"origin\": ");
            write_string(o, out);
        }
        if let Some(s) = &key.state {
            if KeyState::parse(s).is_some() {
                out.push_str(",\n    \"state\": ");
                write_string(s, out);
            } else {
                add_note(
                    &mut self.notes,
                    "import.note.unknown-value",
                    vec![("field", "KeyState".into()), ("value", s.clone())],
                );
            }
        }
        if key.multi_region == Some(true) {
            add_note(
                &mut self.notes,
                "import.note.multi-region",
                vec![("key", key.arn.clone())],
            );
        }
    }
}

/// AWS's default key policy for a key of `account`
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).
fn default_key_policy(account: &str) -> String {
    let mut root = String::new();
    write_string(&format!("arn:aws:iam::{account}:root"), &mut root);
    format!(
        "{{\"Version\": \"2012-10-17\", \"Id\": \"key-default-1\", \"Statement\": [{{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": {root}}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}"
    )
}
