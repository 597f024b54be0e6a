//! What an input was recognised as.

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Record,
    Log,
    LookupEvents,
    Lake,
    RecordArray,
    Denied,
    GetKeyPolicy,
    BarePolicy,
    DescribeKey,
    ListGrants,
    ListTags,
    ListAliases,
    AuthDetails,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Record => "cloudtrail-record",
            Kind::Log => "cloudtrail-log",
            Kind::LookupEvents => "cloudtrail-lookup-events",
            Kind::Lake => "cloudtrail-lake",
            Kind::RecordArray => "cloudtrail-records",
            Kind::Denied => "access-denied-message",
            Kind::GetKeyPolicy => "kms-get-key-policy",
            Kind::BarePolicy => "key-policy",
            Kind::DescribeKey => "kms-describe-key",
            Kind::ListGrants => "kms-list-grants",
            Kind::ListTags => "kms-list-resource-tags",
            Kind::ListAliases => "kms-list-aliases",
            Kind::AuthDetails => "iam-authorization-details",
        }
    }

    /// Inputs that become requests (read after the others).
    pub fn is_records(self) -> bool {
        matches!(
            self,
            Kind::Record
                | Kind::Log
                | Kind::LookupEvents
                | Kind::Lake
                | Kind::RecordArray
                | Kind::Denied
        )
    }
}
