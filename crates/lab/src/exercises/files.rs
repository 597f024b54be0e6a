//! The exercise files: their ids in order and, with `embedded`, their
//! text.

/// Every exercise's id, in the order a learner meets them: the file of
/// each is `exercises/<id>.json`.
pub const EXERCISE_IDS: &[&str] = &[
    "root-delegation",
    "admins-and-users",
    "no-public-principal",
    "trail-source-arn",
    "bob-reads-logs",
    "documents-placeholders",
    "eleven-digit-account",
    "trail-bucket-key",
    "alice-cross-account",
    "read-role-sessions",
    "event-data-store",
    "eventbridge-connection",
    "grant-constraint",
    "grant-retired",
    "admin-lockout",
    "trail-multi-account",
    "eventbridge-cross-account",
    "deny-outside-s3",
    "perimeter-org-only",
    "perimeter-confused-deputy",
    "perimeter-vpc-endpoint",
    "tidy-without-new-access",
];

/// Every exercise file, as (id, JSON text), in the order of
/// [`EXERCISE_IDS`]. Keep both in sync with the files in `exercises/` (a
/// test compares them).
#[cfg(feature = "embedded")]
pub const EXERCISES: &[(&str, &str)] = &[
    (
        "root-delegation",
        include_str!("../../../../exercises/root-delegation.json"),
    ),
    (
        "admins-and-users",
        include_str!("../../../../exercises/admins-and-users.json"),
    ),
    (
        "no-public-principal",
        include_str!("../../../../exercises/no-public-principal.json"),
    ),
    (
        "trail-source-arn",
        include_str!("../../../../exercises/trail-source-arn.json"),
    ),
    (
        "bob-reads-logs",
        include_str!("../../../../exercises/bob-reads-logs.json"),
    ),
    (
        "documents-placeholders",
        include_str!("../../../../exercises/documents-placeholders.json"),
    ),
    (
        "eleven-digit-account",
        include_str!("../../../../exercises/eleven-digit-account.json"),
    ),
    (
        "trail-bucket-key",
        include_str!("../../../../exercises/trail-bucket-key.json"),
    ),
    (
        "alice-cross-account",
        include_str!("../../../../exercises/alice-cross-account.json"),
    ),
    (
        "read-role-sessions",
        include_str!("../../../../exercises/read-role-sessions.json"),
    ),
    (
        "event-data-store",
        include_str!("../../../../exercises/event-data-store.json"),
    ),
    (
        "eventbridge-connection",
        include_str!("../../../../exercises/eventbridge-connection.json"),
    ),
    (
        "grant-constraint",
        include_str!("../../../../exercises/grant-constraint.json"),
    ),
    (
        "grant-retired",
        include_str!("../../../../exercises/grant-retired.json"),
    ),
    (
        "admin-lockout",
        include_str!("../../../../exercises/admin-lockout.json"),
    ),
    (
        "trail-multi-account",
        include_str!("../../../../exercises/trail-multi-account.json"),
    ),
    (
        "eventbridge-cross-account",
        include_str!("../../../../exercises/eventbridge-cross-account.json"),
    ),
    (
        "deny-outside-s3",
        include_str!("../../../../exercises/deny-outside-s3.json"),
    ),
    (
        "perimeter-org-only",
        include_str!("../../../../exercises/perimeter-org-only.json"),
    ),
    (
        "perimeter-confused-deputy",
        include_str!("../../../../exercises/perimeter-confused-deputy.json"),
    ),
    (
        "perimeter-vpc-endpoint",
        include_str!("../../../../exercises/perimeter-vpc-endpoint.json"),
    ),
    (
        "tidy-without-new-access",
        include_str!("../../../../exercises/tidy-without-new-access.json"),
    ),
];
