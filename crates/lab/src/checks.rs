//! What the analysis commands read and write, shared by `kmsplay check …`
//! / `kmsplay who-can` and the npm package's `checkNoNewAccess`, … so both
//! read a key policy or a playground file alike, refuse the same inputs
//! with the same codes and places, and write the same JSON.

use kmsplay_analysis::{Report, Setting, DEFAULT_KEY_ARN};
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_messages::Lang;
use kmsplay_playground::{FileError, PolicySource};
use kmsplay_policy::{parse_text, Diagnostic, PolicyKind, Severity};
use serde::Serialize;
use serde_json::Value;

/// A key policy or a playground file, read for the analysis.
#[derive(Debug, Clone)]
pub struct CheckInput {
    /// The key with its policy, the identities and the organization.
    pub setting: Setting,
    /// The key ARN, when the text is a playground file (a bare policy is
    /// analysed for [`DEFAULT_KEY_ARN`], or for the other input's key).
    pub key_arn: Option<String>,
    /// True when the key policy's spans are into the text read (a bare
    /// policy, or a file whose policy is an object); false for a policy
    /// given as a string inside a playground file.
    pub spans_in_text: bool,
}

/// Why a text cannot be analysed.
#[derive(Debug, Clone)]
pub enum InputError {
    /// A playground file that does not read (its span is in the text).
    File(FileError),
    /// A key policy with an error. `policy_text` is the policy's own text
    /// when it is a string inside a playground file (`key.policy`), which
    /// the span is into; otherwise the span is into the text read.
    Policy {
        /// The parser's error.
        diagnostic: Diagnostic,
        /// The policy string's text, for a policy given as a string.
        policy_text: Option<String>,
    },
    /// A playground file without a key policy AWS would accept.
    Unreadable,
}

/// Reads `text`: a playground file when it is a JSON object with a `key`,
/// else a key policy.
pub fn read(text: &str) -> Result<CheckInput, InputError> {
    let looks_like_file = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("key")))
        .unwrap_or(false);
    if looks_like_file {
        let file = kmsplay_playground::read(text).map_err(InputError::File)?;
        let key_policy = file.policies.iter().find(|p| p.source == PolicySource::Key);
        if let Some(d) = key_policy
            .into_iter()
            .flat_map(|p| &p.diagnostics)
            .find(|d| d.severity == Severity::Error)
        {
            return Err(InputError::Policy {
                diagnostic: d.clone(),
                policy_text: key_policy.and_then(|p| p.text.clone()),
            });
        }
        if file.key.policy.is_none() {
            return Err(InputError::Unreadable);
        }
        return Ok(CheckInput {
            spans_in_text: key_policy.is_none_or(|p| p.text.is_none()),
            key_arn: Some(file.key.arn.clone()),
            setting: Setting::from_file(&file),
        });
    }
    let parsed = parse_text(text, PolicyKind::Resource);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return Err(InputError::Policy {
            diagnostic: d.clone(),
            policy_text: None,
        });
    }
    let policy = parsed.policy.ok_or(InputError::Unreadable)?;
    Ok(CheckInput {
        setting: Setting::from_policy(DEFAULT_KEY_ARN, policy).ok_or(InputError::Unreadable)?,
        key_arn: None,
        spans_in_text: true,
    })
}

/// Puts `old` and `new` on one key: a bare policy is for the other
/// input's key. Two playground files for different keys are refused with
/// their ARNs (old, new).
pub fn same_key(old: &mut CheckInput, new: &mut CheckInput) -> Result<(), (String, String)> {
    match (&old.key_arn, &new.key_arn) {
        (Some(a), Some(b)) if a != b => Err((a.clone(), b.clone())),
        (None, Some(_)) => {
            old.setting.key = with_policy(&new.setting.key, old.setting.key.policy.take());
            Ok(())
        }
        (Some(_), None) => {
            new.setting.key = with_policy(&old.setting.key, new.setting.key.policy.take());
            Ok(())
        }
        _ => Ok(()),
    }
}

fn with_policy(
    base: &kmsplay_kms::Key,
    policy: Option<kmsplay_policy::Policy>,
) -> kmsplay_kms::Key {
    kmsplay_kms::Key {
        policy,
        ..base.clone()
    }
}

/// Reads `kms:Decrypt` (any case, `kms:` optional) as an operation.
pub fn operation(action: &str) -> Option<&'static Operation> {
    let name = action
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("kms:"))
        .map_or(action, |_| &action[4..]);
    catalogue::OPERATIONS
        .iter()
        .find(|op| op.name.eq_ignore_ascii_case(name))
}

/// Is `principal` one `access_not_granted` can ask about: an account id
/// or a principal ARN?
pub fn is_principal(principal: &str) -> bool {
    kmsplay_policy::is_account_id(principal)
        || kmsplay_policy::Principal::parse(principal).is_some()
}

/// What the inputs are called in the verdict's sentence.
#[derive(Debug, Clone, Copy)]
pub enum Names<'a> {
    /// One input (every check but no-new-access).
    One(&'a str),
    /// The old and the new input of no-new-access.
    Two {
        /// The input before the change.
        old: &'a str,
        /// The input after it.
        new: &'a str,
    },
}

/// The verdict in a sentence (`analysis.<check>.<result>`), naming the
/// inputs, the actions asked about and, for a lockout pass, the caller
/// that can still change the policy.
pub fn message(
    report: &Report,
    names: Names<'_>,
    actions: &[&'static Operation],
    lang: Lang,
) -> String {
    let mut params: Vec<(&str, String)> = match names {
        Names::One(file) => vec![("file", file.to_string())],
        Names::Two { old, new } => vec![("old", old.to_string()), ("new", new.to_string())],
    };
    if report.check == "access-not-granted" {
        let list = actions
            .iter()
            .map(|o| format!("kms:{}", o.name))
            .collect::<Vec<_>>()
            .join(", ");
        params.push(("actions", list));
    }
    if report.check == "lockout" {
        let caller = report
            .witness
            .as_ref()
            .and_then(|w| w.request["principal"].as_str())
            .unwrap_or_default();
        params.push(("caller", caller.to_string()));
    }
    kmsplay_analysis::words::verdict(report, &params, lang)
}

/// What `kmsplay check … --format json` prints and the npm package's
/// checks return: the report, and its verdict in a sentence.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckAnswer<'r> {
    /// The report.
    #[serde(flatten)]
    pub report: &'r Report,
    /// The verdict in a sentence, in the language asked for.
    pub message: String,
}

/// Where a key policy's error is, for a person: the text the span is into
/// and whether that is the policy string `key.policy` of a playground file.
pub fn error_source<'t>(text: &'t str, policy_text: Option<&'t str>) -> (&'t str, bool) {
    match policy_text {
        Some(t) => (t, true),
        None => (text, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

    fn file(key: &str, policy: &str) -> String {
        format!(r#"{{"version":1,"key":{{"arn":"{key}","policy":{policy}}},"requests":[]}}"#)
    }

    #[test]
    fn a_bare_policy_is_for_the_default_key_a_file_for_its_own() {
        let bare = read(POLICY).unwrap();
        assert_eq!(bare.key_arn, None);
        assert_eq!(bare.setting.key.arn, DEFAULT_KEY_ARN);
        assert!(bare.spans_in_text);
        let arn = "arn:aws:kms:us-west-2:111122223333:key/k";
        let f = read(&file(arn, POLICY)).unwrap();
        assert_eq!(f.key_arn.as_deref(), Some(arn));
        assert!(f.spans_in_text);
        // A policy given as a string: its spans are into the string.
        let quoted = serde_json::to_string(POLICY).unwrap();
        assert!(!read(&file(arn, &quoted)).unwrap().spans_in_text);
    }

    #[test]
    fn errors_say_where() {
        match read("{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\",}]}") {
            Err(InputError::Policy {
                diagnostic,
                policy_text: None,
            }) => assert!(diagnostic.span.start > 20, "{diagnostic:?}"),
            other => panic!("{other:?}"),
        }
        let arn = "arn:aws:kms:us-west-2:111122223333:key/k";
        let broken = serde_json::to_string("{\"Statement\": [}").unwrap();
        match read(&file(arn, &broken)) {
            Err(InputError::Policy {
                policy_text: Some(t),
                ..
            }) => assert_eq!(t, "{\"Statement\": [}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read(r#"{"version":1,"key":{}}"#),
            Err(InputError::File(_))
        ));
    }

    #[test]
    fn a_bare_policy_takes_the_other_inputs_key() {
        let arn = "arn:aws:kms:us-west-2:111122223333:key/k";
        let mut old = read(POLICY).unwrap();
        let mut new = read(&file(arn, POLICY)).unwrap();
        same_key(&mut old, &mut new).unwrap();
        assert_eq!(old.setting.key.arn, arn);
        assert!(old.setting.key.policy.is_some());
        let mut other = read(&file("arn:aws:kms:us-west-2:111122223333:key/j", POLICY)).unwrap();
        assert_eq!(
            same_key(&mut new, &mut other),
            Err((
                arn.to_string(),
                "arn:aws:kms:us-west-2:111122223333:key/j".to_string()
            ))
        );
    }

    #[test]
    fn actions_and_principals() {
        assert_eq!(operation("kms:decrypt").map(|o| o.name), Some("Decrypt"));
        assert_eq!(operation("Decrypt").map(|o| o.name), Some("Decrypt"));
        assert!(operation("kms:Nope").is_none());
        assert!(is_principal("444455556666"));
        assert!(is_principal("arn:aws:iam::444455556666:role/R"));
        assert!(!is_principal("nope"));
    }
}
