//! A scenario's parameters: given values read, checked against their
//! kinds and against each other, defaults filled in.

use super::catalogue::{ParamKind, Scenario};
use kmsplay_policy::Principal;
use serde_json::{json, Value};

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// Account id, region, key id, name or ARN.
    Text(String),
    /// A list.
    List(Vec<String>),
    /// A flag.
    Bool(bool),
}

impl ParamValue {
    /// As a person writes it (lists comma-separated).
    pub fn to_text(&self) -> String {
        match self {
            ParamValue::Text(t) => t.clone(),
            ParamValue::List(items) => items.join(","),
            ParamValue::Bool(b) => b.to_string(),
        }
    }

    /// As JSON (string, array of strings, or boolean).
    pub fn to_json(&self) -> Value {
        match self {
            ParamValue::Text(t) => Value::String(t.clone()),
            ParamValue::List(items) => json!(items),
            ParamValue::Bool(b) => Value::Bool(*b),
        }
    }
}

/// Why a parameter value was refused: a code (message id
/// `scenario.error.<code>`) with the parameter and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// `unknown-param`, `duplicate-param`, `param-syntax`, `invalid-account-id`,
    /// `invalid-region`, `invalid-key-id`, `invalid-name`, `invalid-arn`,
    /// `invalid-bool`, `empty-list`, `same-account`, `outside-is-member`.
    pub code: &'static str,
    /// The parameter's name (or what was written, for `param-syntax`).
    pub param: String,
    /// The value refused.
    pub value: String,
}

impl ParamError {
    fn new(code: &'static str, param: &str, value: &str) -> ParamError {
        ParamError {
            code,
            param: param.to_string(),
            value: value.to_string(),
        }
    }

    /// The message id.
    pub fn message_id(&self) -> String {
        format!("scenario.error.{}", self.code)
    }

    /// The message's parameters.
    pub fn message_params(&self) -> Vec<(&'static str, String)> {
        vec![("param", self.param.clone()), ("value", self.value.clone())]
    }
}

/// A scenario's parameter values, every one filled in (defaults for those
/// not given) and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    scenario: &'static str,
    values: Vec<(&'static str, ParamValue)>,
}

impl Params {
    /// Every parameter at its default.
    pub fn defaults(scenario: &Scenario) -> Params {
        Params::new(scenario, &[]).expect("the catalogue's defaults are valid (tested)")
    }

    /// Reads `name=value` arguments (lists comma-separated).
    pub fn parse(scenario: &Scenario, args: &[String]) -> Result<Params, Vec<ParamError>> {
        let mut pairs = Vec::new();
        let mut errors = Vec::new();
        for arg in args {
            match arg.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => pairs.push((k.trim(), v.trim())),
                _ => errors.push(ParamError::new("param-syntax", arg, arg)),
            }
        }
        match Params::new(scenario, &pairs) {
            Ok(p) if errors.is_empty() => Ok(p),
            Ok(_) => Err(errors),
            Err(mut e) => {
                errors.append(&mut e);
                Err(errors)
            }
        }
    }

    /// The given values, defaults for the others; every error at once.
    pub fn new(scenario: &Scenario, given: &[(&str, &str)]) -> Result<Params, Vec<ParamError>> {
        let mut errors = Vec::new();
        for (i, (name, value)) in given.iter().enumerate() {
            if scenario.param(name).is_none() {
                errors.push(ParamError::new("unknown-param", name, value));
            } else if given[..i].iter().any(|(n, _)| n == name) {
                errors.push(ParamError::new("duplicate-param", name, value));
            }
        }
        let mut values: Vec<(&'static str, ParamValue)> = Vec::new();
        for p in scenario.params {
            let raw = match given.iter().find(|(n, _)| *n == p.name) {
                Some((_, v)) => v.to_string(),
                None => substitute(p.default, &values),
            };
            match parse_value(p.kind, p.name, &raw) {
                Ok(v) => values.push((p.name, v)),
                Err(e) => {
                    errors.push(e);
                    // Keep going with the default so later defaults resolve.
                    let fallback = substitute(p.default, &values);
                    if let Ok(v) = parse_value(p.kind, p.name, &fallback) {
                        values.push((p.name, v));
                    }
                }
            }
        }
        let params = Params {
            scenario: scenario.id,
            values,
        };
        if errors.is_empty() {
            errors.extend(params.cross_checks());
        }
        if errors.is_empty() {
            Ok(params)
        } else {
            Err(errors)
        }
    }

    fn cross_checks(&self) -> Vec<ParamError> {
        let mut errors = Vec::new();
        let key_account = self.text("key_account");
        let mut other = |name: &str| {
            let v = self.text(name);
            if !v.is_empty() && v == key_account {
                errors.push(ParamError::new("same-account", name, v));
            }
        };
        match self.scenario {
            "cross-account-readers" => other("reader_account"),
            "eventbridge-connection" if self.flag("cross_account") => other("connection_account"),
            "data-perimeter" => {
                other("member_account");
                other("outside_account");
                let (member, outside) = (self.text("member_account"), self.text("outside_account"));
                if member == outside {
                    errors.push(ParamError::new(
                        "outside-is-member",
                        "outside_account",
                        outside,
                    ));
                }
            }
            _ => {}
        }
        errors
    }

    /// The scenario these values are for.
    pub fn scenario(&self) -> &'static str {
        self.scenario
    }

    /// Every value, in the scenario's parameter order.
    pub fn values(&self) -> &[(&'static str, ParamValue)] {
        &self.values
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A text value ("" when `name` is not a text parameter).
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(ParamValue::Text(t)) => t,
            _ => "",
        }
    }

    /// A list value (empty when `name` is not a list parameter).
    pub fn list(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(ParamValue::List(l)) => l,
            _ => &[],
        }
    }

    /// A flag (false when `name` is not a flag).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(ParamValue::Bool(true)))
    }

    /// `{"name": value, …}`.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_json()))
                .collect(),
        )
    }
}

/// Fills `{name}` with earlier values.
fn substitute(template: &str, values: &[(&'static str, ParamValue)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_text());
    }
    out
}

fn parse_value(kind: ParamKind, name: &str, raw: &str) -> Result<ParamValue, ParamError> {
    let raw = raw.trim();
    match kind {
        ParamKind::List(item) => {
            let items: Vec<String> = raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if items.is_empty() {
                return Err(ParamError::new("empty-list", name, raw));
            }
            for i in &items {
                check_text(*item, name, i)?;
            }
            let mut unique: Vec<String> = Vec::new();
            for i in items {
                if !unique.contains(&i) {
                    unique.push(i);
                }
            }
            Ok(ParamValue::List(unique))
        }
        ParamKind::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(ParamValue::Bool(true)),
            "false" | "no" | "off" | "0" => Ok(ParamValue::Bool(false)),
            _ => Err(ParamError::new("invalid-bool", name, raw)),
        },
        _ => {
            check_text(kind, name, raw)?;
            Ok(ParamValue::Text(raw.to_string()))
        }
    }
}

fn check_text(kind: ParamKind, name: &str, v: &str) -> Result<(), ParamError> {
    let ok = match kind {
        ParamKind::AccountId => kmsplay_policy::is_account_id(v),
        ParamKind::Region => valid_region(v),
        ParamKind::KeyId => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        ParamKind::Name => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        ParamKind::Arn => {
            v.starts_with("arn:")
                && matches!(Principal::parse(v), Some(Principal::Aws(p)) if !p.account.is_empty())
        }
        ParamKind::List(_) | ParamKind::Bool => false,
    };
    if ok {
        Ok(())
    } else {
        let code = match kind {
            ParamKind::AccountId => "invalid-account-id",
            ParamKind::Region => "invalid-region",
            ParamKind::KeyId => "invalid-key-id",
            ParamKind::Name => "invalid-name",
            _ => "invalid-arn",
        };
        Err(ParamError::new(code, name, v))
    }
}

/// `us-west-2`, `ap-northeast-1`, `us-gov-west-1`, `eu-central-2`: lower-case
/// words joined by `-`, ending in a number.
fn valid_region(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    let Some((last, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}
