//! The typed policy, with the source span of every part.

use crate::arn::ArnPattern;
use crate::variables::Template;
use crate::wildcard::Pattern;
use kmsplay_json::Span;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Its place in the policy text.
    pub span: Span,
}

/// A parsed policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version`, if written.
    pub version: Option<Spanned<String>>,
    /// `Id`, if written.
    pub id: Option<Spanned<String>>,
    /// The statements in order.
    pub statements: Vec<Statement>,
    /// The whole policy object.
    pub span: Span,
    /// Every condition key the policy reads (in conditions and in policy
    /// variables), lower-cased and sorted: a caller can skip deriving the
    /// others.
    pub condition_keys: Vec<String>,
}

impl Policy {
    /// Does the policy read condition key `key` (any case)?
    pub fn reads_key(&self, key: &str) -> bool {
        self.condition_keys
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key))
    }

    /// Does the policy read a key made of `prefix` and `suffix` (any case)?
    /// Used for families such as `kms:EncryptionContext:<key>`.
    pub fn reads_key_parts(&self, prefix: &str, suffix: &str) -> bool {
        self.condition_keys.iter().any(|k| {
            k.len() == prefix.len() + suffix.len()
                && k.is_char_boundary(prefix.len())
                && k[..prefix.len()].eq_ignore_ascii_case(prefix)
                && k[prefix.len()..].eq_ignore_ascii_case(suffix)
        })
    }

    /// Policy variables work only with `"Version": "2012-10-17"`.
    pub fn variables_enabled(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.value == "2012-10-17")
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants access.
    Allow,
    /// Refuses access, overriding every allow.
    Deny,
}

impl Effect {
    /// As written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position in the `Statement` list, from 0.
    pub index: usize,
    /// `Sid`, if written.
    pub sid: Option<Spanned<String>>,
    /// `Effect`; None when missing or invalid (the statement is then invalid).
    pub effect: Option<Spanned<Effect>>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<PrincipalClause>,
    /// `Action` or `NotAction`.
    pub action: Option<Clause<ActionPattern>>,
    /// `Resource` or `NotResource`.
    pub resource: Option<Clause<ResourcePattern>>,
    /// `Condition` blocks, one per operator and key.
    pub conditions: Vec<Condition>,
    /// The span of the `Condition` element, if any.
    pub condition_span: Option<Span>,
    /// The statement object.
    pub span: Span,
    /// False when the statement has an error that AWS would reject; it is
    /// then left out of evaluation (and the trace says so).
    pub valid: bool,
}

impl Statement {
    /// The effect, when valid.
    pub fn effect(&self) -> Option<Effect> {
        self.effect.as_ref().map(|e| e.value)
    }
}

/// A list element that may be negated (`NotAction`, `NotResource`).
#[derive(Debug, Clone, PartialEq)]
pub struct Clause<T> {
    /// Written as `Not…`.
    pub negated: bool,
    /// The entries (a single string is a list of one).
    pub items: Vec<Spanned<T>>,
    /// The whole element, key included.
    pub span: Span,
}

/// An action pattern such as `kms:Decrypt`, `kms:Generate*` or `*`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPattern {
    /// As written.
    pub text: String,
    /// Compiled, case-insensitive.
    pub pattern: Pattern,
}

/// A resource pattern (an ARN with wildcards, maybe with variables).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePattern {
    /// As written.
    pub text: String,
    /// Compiled when it has no variables.
    pub compiled: Option<ArnPattern>,
    /// The template, for resolving variables per request.
    pub template: Template,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalClause {
    /// Written as `NotPrincipal`.
    pub negated: bool,
    /// The entries; `"*"` is one entry of kind [`PrincipalKind::Any`].
    pub items: Vec<Spanned<PrincipalEntry>>,
    /// The whole element.
    pub span: Span,
}

/// The kind of a principal entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `"Principal": "*"`, or `{"AWS": "*"}`: everyone.
    Any,
    /// `AWS`: accounts, users, roles, sessions.
    Aws,
    /// `Service`: service principals.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`.
    CanonicalUser,
}

impl PrincipalKind {
    /// The key as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Any => "*",
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One principal entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    /// Its kind.
    pub kind: PrincipalKind,
    /// As written.
    pub text: String,
    /// Normalised: a bare account id becomes `arn:aws:iam::ID:root`.
    pub value: String,
    /// The account when the entry names a whole account (`…:root` or a
    /// bare id), worked out once at parse time: every request asks.
    pub account: Option<String>,
}

impl PrincipalEntry {
    /// The account this entry names as a whole (`…:root` or a bare id).
    pub fn account_root(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// Builds an entry, working out the account it names as a whole.
    pub fn new(kind: PrincipalKind, text: &str, value: String) -> PrincipalEntry {
        let account = (kind == PrincipalKind::Aws)
            .then(|| crate::arn::split(&value))
            .flatten()
            .filter(|p| p[2] == "iam" && p[5] == "root")
            .map(|p| p[4].to_string());
        PrincipalEntry {
            kind,
            text: text.to_string(),
            value,
            account,
        }
    }
}

/// The base comparison of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// `StringEquals`
    StringEquals,
    /// `StringNotEquals`
    StringNotEquals,
    /// `StringEqualsIgnoreCase`
    StringEqualsIgnoreCase,
    /// `StringNotEqualsIgnoreCase`
    StringNotEqualsIgnoreCase,
    /// `StringLike`
    StringLike,
    /// `StringNotLike`
    StringNotLike,
    /// `NumericEquals`
    NumericEquals,
    /// `NumericNotEquals`
    NumericNotEquals,
    /// `NumericLessThan`
    NumericLessThan,
    /// `NumericLessThanEquals`
    NumericLessThanEquals,
    /// `NumericGreaterThan`
    NumericGreaterThan,
    /// `NumericGreaterThanEquals`
    NumericGreaterThanEquals,
    /// `DateEquals`
    DateEquals,
    /// `DateNotEquals`
    DateNotEquals,
    /// `DateLessThan`
    DateLessThan,
    /// `DateLessThanEquals`
    DateLessThanEquals,
    /// `DateGreaterThan`
    DateGreaterThan,
    /// `DateGreaterThanEquals`
    DateGreaterThanEquals,
    /// `Bool`
    Bool,
    /// `BinaryEquals`
    BinaryEquals,
    /// `IpAddress`
    IpAddress,
    /// `NotIpAddress`
    NotIpAddress,
    /// `ArnEquals`
    ArnEquals,
    /// `ArnLike`
    ArnLike,
    /// `ArnNotEquals`
    ArnNotEquals,
    /// `ArnNotLike`
    ArnNotLike,
    /// `Null`
    Null,
}

/// The type of values an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// Strings.
    String,
    /// Numbers.
    Numeric,
    /// Dates.
    Date,
    /// Booleans.
    Bool,
    /// Base64 binary.
    Binary,
    /// IP addresses and ranges.
    Ip,
    /// ARNs.
    Arn,
    /// `Null`'s `true`/`false`.
    Null,
}

impl OperatorKind {
    /// Every operator, with its name as written.
    pub const ALL: [(OperatorKind, &'static str); 27] = [
        (OperatorKind::StringEquals, "StringEquals"),
        (OperatorKind::StringNotEquals, "StringNotEquals"),
        (
            OperatorKind::StringEqualsIgnoreCase,
            "StringEqualsIgnoreCase",
        ),
        (
            OperatorKind::StringNotEqualsIgnoreCase,
            "StringNotEqualsIgnoreCase",
        ),
        (OperatorKind::StringLike, "StringLike"),
        (OperatorKind::StringNotLike, "StringNotLike"),
        (OperatorKind::NumericEquals, "NumericEquals"),
        (OperatorKind::NumericNotEquals, "NumericNotEquals"),
        (OperatorKind::NumericLessThan, "NumericLessThan"),
        (OperatorKind::NumericLessThanEquals, "NumericLessThanEquals"),
        (OperatorKind::NumericGreaterThan, "NumericGreaterThan"),
        (
            OperatorKind::NumericGreaterThanEquals,
            "NumericGreaterThanEquals",
        ),
        (OperatorKind::DateEquals, "DateEquals"),
        (OperatorKind::DateNotEquals, "DateNotEquals"),
        (OperatorKind::DateLessThan, "DateLessThan"),
        (OperatorKind::DateLessThanEquals, "DateLessThanEquals"),
        (OperatorKind::DateGreaterThan, "DateGreaterThan"),
        (OperatorKind::DateGreaterThanEquals, "DateGreaterThanEquals"),
        (OperatorKind::Bool, "Bool"),
        (OperatorKind::BinaryEquals, "BinaryEquals"),
        (OperatorKind::IpAddress, "IpAddress"),
        (OperatorKind::NotIpAddress, "NotIpAddress"),
        (OperatorKind::ArnEquals, "ArnEquals"),
        (OperatorKind::ArnLike, "ArnLike"),
        (OperatorKind::ArnNotEquals, "ArnNotEquals"),
        (OperatorKind::ArnNotLike, "ArnNotLike"),
        (OperatorKind::Null, "Null"),
    ];

    /// The name as written.
    pub fn name(self) -> &'static str {
        OperatorKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, n)| n)
    }

    /// Negated operators are true when nothing matches, and when the key is missing.
    pub fn is_negated(self) -> bool {
        use OperatorKind::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The type of values compared.
    pub fn value_type(self) -> ValueType {
        use OperatorKind::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => ValueType::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => ValueType::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => ValueType::Date,
            Bool => ValueType::Bool,
            BinaryEquals => ValueType::Binary,
            IpAddress | NotIpAddress => ValueType::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => ValueType::Arn,
            Null => ValueType::Null,
        }
    }

    /// Whether `*` and `?` are wildcards in the values.
    pub fn uses_wildcards(self) -> bool {
        use OperatorKind::*;
        matches!(
            self,
            StringLike | StringNotLike | ArnEquals | ArnLike | ArnNotEquals | ArnNotLike
        )
    }
}

/// A `ForAnyValue:` / `ForAllValues:` qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// At least one request value must satisfy the operator.
    ForAnyValue,
    /// Every request value must satisfy it (true on an empty or missing set).
    ForAllValues,
}

/// A full operator: qualifier, base, and `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The base comparison.
    pub kind: OperatorKind,
    /// `ForAnyValue:` / `ForAllValues:`.
    pub set: Option<SetQualifier>,
    /// `…IfExists`.
    pub if_exists: bool,
}

impl Operator {
    /// Reads an operator name; case-sensitive, as AWS reads it.
    pub fn parse(text: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let kind = OperatorKind::ALL.iter().find(|(_, n)| *n == base)?.0;
        if kind == OperatorKind::Null && if_exists {
            // "NullIfExists" makes no sense and AWS rejects it.
            return None;
        }
        Some(Operator {
            kind,
            set,
            if_exists,
        })
    }

    /// The name as written.
    pub fn name(&self) -> String {
        let parts = self.name_parts();
        let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        parts.iter().for_each(|p| s.push_str(p));
        s
    }

    /// [`Operator::name`] in its three parts, to write without building
    /// the string: the set qualifier with its colon (or nothing), the
    /// operator, and `IfExists` (or nothing).
    pub fn name_parts(&self) -> [&'static str; 3] {
        let set = match self.set {
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            None => "",
        };
        let if_exists = if self.if_exists { "IfExists" } else { "" };
        [set, self.kind.name(), if_exists]
    }
}

/// One condition: an operator, a key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The operator's key span in the text.
    pub operator_span: Span,
    /// The condition key as written.
    pub key: String,
    /// The condition key lower-cased, for lookups.
    pub key_lower: String,
    /// The key's span.
    pub key_span: Span,
    /// The values (OR-ed).
    pub values: Vec<Spanned<ConditionValue>>,
}

/// A condition value, pre-parsed for its operator's type.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionValue {
    /// As written (numbers and booleans as their JSON text).
    pub text: String,
    /// Ready to compare.
    pub parsed: Parsed,
}

/// A condition value prepared once at parse time.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A string to compare as is (or without case).
    Text(String),
    /// A wildcard pattern.
    Like(Pattern),
    /// An ARN pattern.
    Arn(ArnPattern),
    /// A value with policy variables, resolved per request.
    Template(Template),
    /// A number.
    Number(f64),
    /// A date, in ms since the epoch.
    Date(i64),
    /// A boolean (also `Null`'s value).
    Bool(bool),
    /// An IP range.
    Cidr(crate::values::Cidr),
    /// A value that does not parse for the operator's type: never matches.
    Invalid,
}
