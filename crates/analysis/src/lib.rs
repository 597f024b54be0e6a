//! Reasoning about every request a key policy allows, with a concrete
//! request as proof: no new access, no public access, access not granted,
//! who can, and the policy lockout check.
//!
//! ```
//! use kmsplay_analysis::*;
//! use kmsplay_policy::{parse_text, PolicyKind};
//! let policy = |text: &str| parse_text(text, PolicyKind::Resource).policy.unwrap();
//! let old = Setting::from_policy(DEFAULT_KEY_ARN, policy(r#"{"Version":"2012-10-17","Statement":[
//!   {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#)).unwrap();
//! let new = Setting::from_policy(DEFAULT_KEY_ARN, policy(r#"{"Version":"2012-10-17","Statement":[
//!   {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
//!   {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#)).unwrap();
//! assert_eq!(no_new_access(&old, &new).result, Verdict::Fail);
//! assert_eq!(no_new_access(&new, &old).result, Verdict::Pass);
//! ```
//!
//! # The request space
//!
//! A request is a caller, an operation, the name the key is called by, an
//! encryption context, and the condition keys the caller's request
//! carries. The analysis tries:
//!
//! - **callers**: in every account any policy, grant, identity or the
//!   organization names, in the key's account, and in one account nobody
//!   names: the root user, an IAM user and a role session with names no
//!   policy uses (and a federated user when a policy reads
//!   `aws:PrincipalType`, a service-linked role's session when there is an
//!   organization); every principal named anywhere (a role calls as one of
//!   its sessions); a caller for every class of the patterns compared with
//!   `aws:PrincipalArn` in every account, a user of every name compared with
//!   `aws:username`; every service principal named, and one no policy names.
//!   An IAM caller the file does not describe is given an identity policy
//!   that allows everything: its account's administrators could attach
//!   it, so whatever the key policy opens to an account is access someone
//!   in it can have. The file's identities keep their own policies.
//! - **operations**: every operation of the catalogue
//!   (`kmsplay_kms::catalogue::OPERATIONS`), one per class of operations
//!   that every action pattern of every policy, every grant's operation
//!   list and every property of the operation the engine reads (key
//!   resource, encryption context, cross-account, RetireGrant's exemption
//!   from RCPs, key classes) treat alike.
//! - **condition keys**: every key any condition reads, except the ones the
//!   engine derives from the caller, the key or the encryption context
//!   (those follow from the callers and contexts tried). For each key, a
//!   value of every class of values its conditions tell apart, and absent:
//!   see below. Multivalued keys (and keys compared with `ForAnyValue:` /
//!   `ForAllValues:`) take every set of up to six classes.
//! - **encryption contexts**: every set of the pair names the policies and
//!   grants name (and one they do not), each with a value of every class.
//! - **key names**: the key ARN and each alias, when a policy reads
//!   `kms:RequestAlias`; every grant token the files hold is sent.
//!
//! For each caller and operation, every combination of the values of the
//! keys read by the statements that can apply to them is decided by the
//! engine ([`kmsplay_kms::authorize`]), with the key-policy statements
//! whose principal or action can never match left out (which changes no
//! decision). Of the space's values of a key, the ones that every
//! condition on the key in those statements treats alike are one value
//! there (an encryption context's values likewise, pair name by pair
//! name); keys a policy variable reads, keys compared with a variable and
//! keys the check reads itself keep every value (`search::walk`). A
//! caller and operation that no key-policy Allow statement and no grant
//! can reach is skipped: KMS allows nothing without one. No new access
//! also skips a caller and operation to which statements of the same
//! meaning apply in both policies, when nothing else differs: every
//! request of theirs is decided alike (`same`).
//!
//! # Why a Pass is sound
//!
//! A condition compares the request's value for one key with the
//! policy's constants. Two values that every condition on the key treats
//! alike (every operator, with and without `IfExists`, with either set
//! operator) lead every request to the same decision, so one value of
//! each class stands for all of its class. The classes are found exactly:
//!
//! - strings, ARNs and binary values: the patterns and literals are small
//!   automata (`*` and `?` wildcards; in `Arn*` operators, each of the six
//!   parts on its own; `…IgnoreCase` without case). A walk over the
//!   product of the automata, over the characters they name plus one they
//!   do not (which stands for all the others), reaches every combination
//!   of states some string reaches, so it finds a value for every set of
//!   patterns some value matches exactly (`glob`);
//! - numbers: each constant, a point between each two, and one beyond
//!   either end — numeric ranges with many constants are fine, the points
//!   between boundaries cover them; dates: each constant and the
//!   millisecond either side; IP ranges: each range's first and last
//!   address and the ones just outside; booleans: `true`, `false`, other;
//!   and always a value that is none of these types;
//! - `Null` only asks absent or present: absent is always tried.
//!
//! Every value found is decided by the engine's own `condition_holds`,
//! and values that every condition treats alike are merged, so the
//! classes are the engine's, not a restatement of its rules.
//!
//! Callers are classes too: two callers of the same kind in the same
//! account whose ARNs no policy names and no pattern tells apart are
//! decided alike. Operations likewise (see above).
//!
//! # Unknown
//!
//! The answer is `unknown` (never `pass`) when the classes cannot be known
//! exactly: a key compared with a **policy variable** (its value is tied
//! to another key's, so classes of each key alone do not tell every
//! request apart — variables matched against wildcards especially), a key
//! compared as **more than one type** (a pattern and a number), patterns
//! whose automata have more than 20,000 combined states, a set key with
//! more than six classes, more than 4,096 combinations for one caller and
//! operation, more than six encryption-context names. Each comes with its
//! [`Limit`]. A `fail` never depends on them: every counterexample is
//! decided again by the engine on the whole setting before it is shown.
#![deny(missing_docs)]

mod checks;
mod glob;
mod limit;
mod report;
mod same;
pub mod search;
mod setting;
pub mod space;
mod values;
mod who;
pub mod words;

pub use checks::{
    access_not_granted, lockout, no_new_access, no_public_access, outside, MAX_COUNTEREXAMPLES,
};
pub use report::{Counterexample, Limit, Report, Verdict};
pub use setting::{allow_everything, Setting, ALLOW_EVERYTHING, DEFAULT_KEY_ARN};
pub use who::{who_can, CallerClass, ConditionWords, StatementConditions, WhoCan};
