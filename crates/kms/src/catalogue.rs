//! The KMS catalogue: the single source of truth for the AWS KMS API
//! operations, key specs, key usages and key states that the playground
//! simulates.
//!
//! Everything here is a `static` table or a small lookup over one: no
//! allocation and nothing beyond `core`, so the module builds in `#![no_std]`
//! crates and for `wasm32-unknown-unknown`.
//!
//! Each table names the AWS page it was taken from in a comment above it.
//! Where the documentation is silent or ambiguous the choice made is written
//! next to the entry (search this file for "Not in the" and "Choice:").

// ---------------------------------------------------------------------------
// Key usages
// ---------------------------------------------------------------------------

/// How a key may be used (the `KeyUsage` of a KMS key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// `ENCRYPT_DECRYPT`: encryption and decryption.
    EncryptDecrypt,
    /// `SIGN_VERIFY`: signing and verification.
    SignVerify,
    /// `GENERATE_VERIFY_MAC`: generating and verifying HMACs.
    GenerateVerifyMac,
    /// `KEY_AGREEMENT`: deriving shared secrets.
    KeyAgreement,
}

impl KeyUsage {
    /// The API spelling, for example `"ENCRYPT_DECRYPT"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            KeyUsage::EncryptDecrypt => "ENCRYPT_DECRYPT",
            KeyUsage::SignVerify => "SIGN_VERIFY",
            KeyUsage::GenerateVerifyMac => "GENERATE_VERIFY_MAC",
            KeyUsage::KeyAgreement => "KEY_AGREEMENT",
        }
    }

    /// Parses the API spelling (exact and case-sensitive, as KMS is).
    #[must_use]
    pub fn parse(s: &str) -> Option<KeyUsage> {
        match s {
            "ENCRYPT_DECRYPT" => Some(KeyUsage::EncryptDecrypt),
            "SIGN_VERIFY" => Some(KeyUsage::SignVerify),
            "GENERATE_VERIFY_MAC" => Some(KeyUsage::GenerateVerifyMac),
            "KEY_AGREEMENT" => Some(KeyUsage::KeyAgreement),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Key specs
// ---------------------------------------------------------------------------

/// One KMS key spec and the key usages it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    /// The API spelling, for example `"RSA_2048"`.
    pub name: &'static str,
    /// The key usages a key of this spec may be created with, in the order
    /// the CreateKey documentation lists them.
    pub usages: &'static [KeyUsage],
    /// Whether the key is symmetric (`SYMMETRIC_DEFAULT` and the HMAC specs).
    pub symmetric: bool,
}

const U_ENCRYPT: &[KeyUsage] = &[KeyUsage::EncryptDecrypt];
const U_RSA: &[KeyUsage] = &[KeyUsage::EncryptDecrypt, KeyUsage::SignVerify];
const U_NIST_ECC: &[KeyUsage] = &[KeyUsage::SignVerify, KeyUsage::KeyAgreement];
const U_SIGN: &[KeyUsage] = &[KeyUsage::SignVerify];
const U_SM2: &[KeyUsage] = &[
    KeyUsage::EncryptDecrypt,
    KeyUsage::SignVerify,
    KeyUsage::KeyAgreement,
];
const U_MAC: &[KeyUsage] = &[KeyUsage::GenerateVerifyMac];

const fn spec(name: &'static str, usages: &'static [KeyUsage], symmetric: bool) -> KeySpec {
    KeySpec {
        name,
        usages,
        symmetric,
    }
}

// Sources:
// https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html
//   (key spec reference: RSA = encrypt/decrypt or sign/verify; NIST ECC =
//   sign/verify or derive shared secret; ECC_NIST_EDWARDS25519 = sign/verify
//   only; ECC_SECG_P256K1 = sign/verify; SM2 = encrypt/decrypt, sign/verify or
//   derive shared secret (China Regions only); HMAC; ML-DSA)
// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-KeyUsage
//   (valid KeyUsage per key spec; ML-DSA = SIGN_VERIFY)
// Not in the table: ML_KEM_512/768/1024. Newer SDK enums list them together
// with a fifth key usage, ENCAPSULATE_DECAPSULATE, which `KeyUsage` cannot
// express and the key spec reference used here does not describe.
/// Every key spec the playground accepts.
pub static KEY_SPECS: &[KeySpec] = &[
    spec("SYMMETRIC_DEFAULT", U_ENCRYPT, true),
    spec("RSA_2048", U_RSA, false),
    spec("RSA_3072", U_RSA, false),
    spec("RSA_4096", U_RSA, false),
    spec("ECC_NIST_P256", U_NIST_ECC, false),
    spec("ECC_NIST_P384", U_NIST_ECC, false),
    spec("ECC_NIST_P521", U_NIST_ECC, false),
    spec("ECC_NIST_EDWARDS25519", U_SIGN, false),
    spec("ECC_SECG_P256K1", U_SIGN, false),
    spec("ML_DSA_44", U_SIGN, false),
    spec("ML_DSA_65", U_SIGN, false),
    spec("ML_DSA_87", U_SIGN, false),
    spec("SM2", U_SM2, false),
    spec("HMAC_224", U_MAC, true),
    spec("HMAC_256", U_MAC, true),
    spec("HMAC_384", U_MAC, true),
    spec("HMAC_512", U_MAC, true),
];

/// Looks up a key spec by its exact, case-sensitive API name.
#[must_use]
pub fn key_spec(name: &str) -> Option<&'static KeySpec> {
    KEY_SPECS.iter().find(|s| s.name == name)
}

/// The usage the playground assumes when a key declares none:
/// `ENCRYPT_DECRYPT` where the spec allows it, otherwise the first usage the
/// spec lists (the only one, except for the NIST ECC specs, where it is
/// `SIGN_VERIFY`).
///
/// KMS itself defaults only symmetric keys; CreateKey requires an explicit
/// `KeyUsage` for every other spec.
#[must_use]
pub fn default_usage(spec: &KeySpec) -> KeyUsage {
    if spec.usages.contains(&KeyUsage::EncryptDecrypt) {
        KeyUsage::EncryptDecrypt
    } else {
        // Every spec lists at least one usage (checked by the tests).
        spec.usages[0]
    }
}

// ---------------------------------------------------------------------------
// Key classes
// ---------------------------------------------------------------------------

/// What kind of key an operation needs: the columns of the KMS key type
/// table. An empty [`Operation::needs`] means any key (or no key at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyClass {
    /// A symmetric encryption key (`SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`).
    SymmetricEncryption,
    /// An asymmetric key with `ENCRYPT_DECRYPT` usage (RSA, SM2).
    AsymmetricEncryption,
    /// An asymmetric key with `SIGN_VERIFY` usage.
    AsymmetricSigning,
    /// An HMAC key (`GENERATE_VERIFY_MAC`).
    Hmac,
    /// An asymmetric key with `KEY_AGREEMENT` usage.
    KeyAgreement,
}

/// The class of a key with this spec and usage. It does not check that the
/// spec allows the usage; see [`KeySpec::usages`] for that.
#[must_use]
pub fn key_class(spec: &KeySpec, usage: KeyUsage) -> KeyClass {
    match usage {
        KeyUsage::EncryptDecrypt if spec.symmetric => KeyClass::SymmetricEncryption,
        KeyUsage::EncryptDecrypt => KeyClass::AsymmetricEncryption,
        KeyUsage::SignVerify => KeyClass::AsymmetricSigning,
        KeyUsage::GenerateVerifyMac => KeyClass::Hmac,
        KeyUsage::KeyAgreement => KeyClass::KeyAgreement,
    }
}

// ---------------------------------------------------------------------------
// Key states
// ---------------------------------------------------------------------------

/// A key state as the playground file names it. All but `Deleted` are the
/// KMS `KeyState` values; `Deleted` stands for a key whose waiting period has
/// ended, which KMS no longer finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyState {
    /// `Enabled`: usable.
    Enabled,
    /// `Disabled`: turned off with DisableKey.
    Disabled,
    /// `PendingDeletion`: scheduled for deletion.
    PendingDeletion,
    /// `PendingImport`: a key with imported key material that has none.
    PendingImport,
    /// `Unavailable`: a key in a disconnected custom key store.
    Unavailable,
    /// `Deleted`: gone; every call naming it gets `NotFoundException`.
    Deleted,
    /// `Creating`: a multi-Region replica key while ReplicateKey runs.
    Creating,
    /// `Updating`: a multi-Region key while UpdatePrimaryRegion runs.
    Updating,
    /// `PendingReplicaDeletion`: a multi-Region primary key scheduled for
    /// deletion that still has replica keys.
    PendingReplicaDeletion,
}

impl KeyState {
    /// Every state, in the order a person meets them: the usable one, the
    /// ones a user sets, then those KMS passes through on its own.
    pub const ALL: [KeyState; 9] = [
        KeyState::Enabled,
        KeyState::Disabled,
        KeyState::PendingDeletion,
        KeyState::PendingImport,
        KeyState::Unavailable,
        KeyState::Deleted,
        KeyState::Creating,
        KeyState::Updating,
        KeyState::PendingReplicaDeletion,
    ];

    /// The playground spelling (the KMS spelling, plus `"Deleted"`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
            KeyState::PendingImport => "PendingImport",
            KeyState::Unavailable => "Unavailable",
            KeyState::Deleted => "Deleted",
            KeyState::Creating => "Creating",
            KeyState::Updating => "Updating",
            KeyState::PendingReplicaDeletion => "PendingReplicaDeletion",
        }
    }

    /// Parses the spelling [`KeyState::as_str`] returns (exact and
    /// case-sensitive).
    #[must_use]
    pub fn parse(s: &str) -> Option<KeyState> {
        match s {
            "Enabled" => Some(KeyState::Enabled),
            "Disabled" => Some(KeyState::Disabled),
            "PendingDeletion" => Some(KeyState::PendingDeletion),
            "PendingImport" => Some(KeyState::PendingImport),
            "Unavailable" => Some(KeyState::Unavailable),
            "Deleted" => Some(KeyState::Deleted),
            "Creating" => Some(KeyState::Creating),
            "Updating" => Some(KeyState::Updating),
            "PendingReplicaDeletion" => Some(KeyState::PendingReplicaDeletion),
            _ => None,
        }
    }
}

/// What a key in some state does to an authorized call of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateEffect {
    /// The key state does not stop the call.
    Proceeds,
    /// The call fails with `DisabledException`.
    Disabled,
    /// The call fails with `KMSInvalidStateException`.
    InvalidState,
    /// The call fails with `NotFoundException`.
    NotFound,
}

impl StateEffect {
    /// The KMS exception name the call fails with, or `None` if it proceeds.
    #[must_use]
    pub fn exception(self) -> Option<&'static str> {
        match self {
            StateEffect::Proceeds => None,
            StateEffect::Disabled => Some("DisabledException"),
            StateEffect::InvalidState => Some("KMSInvalidStateException"),
            StateEffect::NotFound => Some("NotFoundException"),
        }
    }
}

/// Per-state effect of the key's state on an operation, for the states whose
/// effect varies most. Read it through [`Operation::state_effect`], which
/// also covers `Enabled`, `Deleted` and the multi-Region transient states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateRule {
    /// Effect when the key is `Disabled`.
    pub disabled: StateEffect,
    /// Effect when the key is `PendingDeletion` (and `PendingReplicaDeletion`,
    /// which shares its column in the key-state table).
    pub pending_deletion: StateEffect,
    /// Effect when the key is `PendingImport`.
    pub pending_import: StateEffect,
    /// Effect when the key is `Unavailable`.
    pub unavailable: StateEffect,
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/// One KMS API action, as the service authorization reference lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The action name without the `kms:` prefix, for example `"Decrypt"`.
    pub name: &'static str,
    /// Whether the operation may appear in a grant's `Operations`.
    pub grant_operation: bool,
    /// The CloudTrail `readOnly` value of the operation's log records.
    pub read_only: bool,
    /// Whether the resource the action authorizes is a KMS key (false for
    /// actions whose IAM resource is `*`, such as CreateKey, ListKeys,
    /// ListAliases and GenerateRandom).
    pub key_resource: bool,
    /// The key classes the operation supports; empty means any key.
    pub needs: &'static [KeyClass],
    /// Whether the request carries an encryption context (or, for
    /// CreateGrant, encryption-context grant constraints) that fills
    /// `kms:EncryptionContext:*` and `kms:EncryptionContextKeys`.
    pub encryption_context: bool,
    /// The `kms:*` and `aws:*` condition keys the service authorization
    /// reference lists for the action, plus, for key actions, those of the
    /// `key` resource type. AWS spelling, sorted by byte value.
    pub condition_keys: &'static [&'static str],
    /// How the key's state affects an authorized call.
    pub states: StateRule,
}

impl Operation {
    /// The effect of a key in `state` on an authorized call of this operation.
    ///
    /// Operations whose resource is not a KMS key always proceed. For key
    /// operations `Deleted` gives `NotFound`, `PendingReplicaDeletion` shares
    /// the `PendingDeletion` column, and `Enabled`, `Creating` and `Updating`
    /// follow the key-state table (almost everything proceeds on an enabled
    /// key; CancelKeyDeletion does not).
    #[must_use]
    pub fn state_effect(&self, state: KeyState) -> StateEffect {
        if !self.key_resource {
            return StateEffect::Proceeds;
        }
        let fails_if = |fails: bool| {
            if fails {
                StateEffect::InvalidState
            } else {
                StateEffect::Proceeds
            }
        };
        match state {
            KeyState::Enabled => fails_if(listed(self.name, FAILS_WHEN_ENABLED)),
            KeyState::Disabled => self.states.disabled,
            KeyState::PendingDeletion | KeyState::PendingReplicaDeletion => {
                self.states.pending_deletion
            }
            KeyState::PendingImport => self.states.pending_import,
            KeyState::Unavailable => self.states.unavailable,
            KeyState::Deleted => StateEffect::NotFound,
            KeyState::Creating => fails_if(listed(self.name, FAILS_WHILE_CREATING)),
            KeyState::Updating => fails_if(listed(self.name, FAILS_WHILE_UPDATING)),
        }
    }

    /// Whether the operation works on a key of this class.
    #[must_use]
    pub fn supports(&self, class: KeyClass) -> bool {
        self.needs.is_empty() || self.needs.contains(&class)
    }
}

fn listed(name: &str, list: &[&str]) -> bool {
    list.contains(&name)
}

// Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
// ("Key state table": the Enabled, Creating and Updating columns; the other
// columns are in each operation's `states`).
//
// Footnotes of that table as they map to `StateEffect`:
//   [1] DisabledException: <key> is disabled                    -> Disabled
//   [2] or [3] DisabledException / KMSInvalidStateException: pending deletion
//       -> InvalidState (Choice: the table allows either; KMS answers
//          KMSInvalidStateException "... is pending deletion")
//   [3] [4] [5] [11] [14] [15] KMSInvalidStateException       -> InvalidState
//   [6] [7] [9] UnsupportedOperationException (origin EXTERNAL, custom key
//       store, no imported material)                           -> InvalidState
//       (Choice: `StateEffect` has no variant for it; the call fails either way)
//   [12] DisableKey/EnableKey on an Unavailable key succeed     -> Proceeds
//   "?" cells fail only for some key types (origin, key store) -> Proceeds
//   "N/A" cells (a key of that type cannot be in that state)   -> the effect
//       of the neighbouring cryptographic operations, InvalidState
//
// Enabled column: only CancelKeyDeletion fails ([4] "is not pending deletion").
const FAILS_WHEN_ENABLED: &[&str] = &["CancelKeyDeletion"];

// Creating column ([14], and [4] for CancelKeyDeletion). Not in the table:
// DeriveSharedSecret (treated like Sign) and RotateKeyOnDemand (treated like
// EnableKeyRotation).
const FAILS_WHILE_CREATING: &[&str] = &[
    "CancelKeyDeletion",
    "CreateGrant",
    "Decrypt",
    "DeleteImportedKeyMaterial",
    "DeriveSharedSecret",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GetParametersForImport",
    "GetPublicKey",
    "ImportKeyMaterial",
    "ReEncryptFrom",
    "ReEncryptTo",
    "ReplicateKey",
    "RotateKeyOnDemand",
    "Sign",
    "UpdatePrimaryRegion",
    "Verify",
    "VerifyMac",
];

// Updating column ([15], and [4] for CancelKeyDeletion).
const FAILS_WHILE_UPDATING: &[&str] = &[
    "CancelKeyDeletion",
    "DeleteImportedKeyMaterial",
    "DisableKey",
    "EnableKey",
    "GetParametersForImport",
    "ReplicateKey",
    "ScheduleKeyDeletion",
];

const OK: StateEffect = StateEffect::Proceeds;
const DIS: StateEffect = StateEffect::Disabled;
const INV: StateEffect = StateEffect::InvalidState;

const fn rule(
    disabled: StateEffect,
    pending_deletion: StateEffect,
    pending_import: StateEffect,
    unavailable: StateEffect,
) -> StateRule {
    StateRule {
        disabled,
        pending_deletion,
        pending_import,
        unavailable,
    }
}

// Rows of the key-state table (Disabled, PendingDeletion, PendingImport,
// Unavailable). Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
/// Every state lets the call through (DescribeKey, GetKeyPolicy, grants, ...).
const S_ANY: StateRule = rule(OK, OK, OK, OK);
/// Cryptographic operations: [1], [2]/[3], [5] (N/A for asymmetric and HMAC
/// keys), [11] (N/A for asymmetric and HMAC keys).
const S_CRYPTO: StateRule = rule(DIS, INV, INV, INV);
/// CreateGrant: [1], [2]/[3], [5], and it works on an Unavailable key.
const S_CREATE_GRANT: StateRule = rule(DIS, INV, INV, OK);
/// CreateAlias, TagResource, UntagResource, UpdateKeyDescription: only
/// pending deletion [3] stops them.
const S_NOT_PENDING_DELETION: StateRule = rule(OK, INV, OK, OK);
/// EnableKey, DisableKey: [3], [5]; Unavailable keys succeed [12].
const S_ENABLE_DISABLE: StateRule = rule(OK, INV, INV, OK);
/// EnableKeyRotation, DisableKeyRotation: [1] or [7], [3] or [7], [6], [7].
const S_ROTATION_CHANGE: StateRule = rule(DIS, INV, INV, INV);
/// GetKeyRotationStatus: "?" [7] except PendingImport [6] and Unavailable [7].
const S_ROTATION_READ: StateRule = rule(OK, OK, INV, INV);
/// GetParametersForImport, ImportKeyMaterial: "?" [9], [8] or [9], allowed in
/// PendingImport, [9] when Unavailable.
const S_IMPORT: StateRule = rule(OK, INV, OK, INV);
/// DeleteImportedKeyMaterial: allowed ([9] otherwise) except Unavailable (N/A:
/// keys in custom key stores cannot have imported key material).
const S_DELETE_IMPORTED: StateRule = rule(OK, OK, OK, INV);
/// ScheduleKeyDeletion: fails only when already pending deletion [3].
const S_SCHEDULE_DELETION: StateRule = rule(OK, INV, OK, OK);
/// CancelKeyDeletion: [4] in every state but PendingDeletion.
const S_CANCEL_DELETION: StateRule = rule(INV, OK, INV, INV);
/// UpdateAlias: [10] fails when the target key is pending deletion.
/// Choice: the key checked is the `TargetKeyId` of the request.
const S_UPDATE_ALIAS: StateRule = rule(OK, INV, OK, OK);
/// ReplicateKey, UpdatePrimaryRegion: [1], [2]/[3], [5]; Unavailable is N/A
/// (multi-Region keys cannot be in custom key stores).
const S_MULTI_REGION: StateRule = rule(DIS, INV, INV, INV);

// Key classes. Source:
// https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-compare.html
// ("Key type table"), and for rotation
// https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
// https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html
// ("supported only on symmetric encryption KMS keys"; HMAC keys are excluded).
const N_ANY: &[KeyClass] = &[];
const N_SYMMETRIC: &[KeyClass] = &[KeyClass::SymmetricEncryption];
const N_ENCRYPT: &[KeyClass] = &[
    KeyClass::SymmetricEncryption,
    KeyClass::AsymmetricEncryption,
];
const N_SIGN: &[KeyClass] = &[KeyClass::AsymmetricSigning];
const N_MAC: &[KeyClass] = &[KeyClass::Hmac];
const N_AGREE: &[KeyClass] = &[KeyClass::KeyAgreement];
const N_ASYMMETRIC: &[KeyClass] = &[
    KeyClass::AsymmetricEncryption,
    KeyClass::AsymmetricSigning,
    KeyClass::KeyAgreement,
];

/// Builds a condition-key list with the `kms:RecipientAttestation:*` keys
/// (Nitro Enclaves / NitroTPM attestation) between `before` and `after`.
macro_rules! with_recipient_attestation {
    ([$($before:expr),* $(,)?], [$($after:expr),* $(,)?]) => {
        &[
            $($before,)*
            "kms:RecipientAttestation:ImageSha384",
            "kms:RecipientAttestation:NitroTPMPCR0",
            "kms:RecipientAttestation:NitroTPMPCR1",
            "kms:RecipientAttestation:NitroTPMPCR10",
            "kms:RecipientAttestation:NitroTPMPCR11",
            "kms:RecipientAttestation:NitroTPMPCR12",
            "kms:RecipientAttestation:NitroTPMPCR13",
            "kms:RecipientAttestation:NitroTPMPCR14",
            "kms:RecipientAttestation:NitroTPMPCR15",
            "kms:RecipientAttestation:NitroTPMPCR16",
            "kms:RecipientAttestation:NitroTPMPCR17",
            "kms:RecipientAttestation:NitroTPMPCR18",
            "kms:RecipientAttestation:NitroTPMPCR19",
            "kms:RecipientAttestation:NitroTPMPCR2",
            "kms:RecipientAttestation:NitroTPMPCR20",
            "kms:RecipientAttestation:NitroTPMPCR21",
            "kms:RecipientAttestation:NitroTPMPCR22",
            "kms:RecipientAttestation:NitroTPMPCR23",
            "kms:RecipientAttestation:NitroTPMPCR3",
            "kms:RecipientAttestation:NitroTPMPCR4",
            "kms:RecipientAttestation:NitroTPMPCR5",
            "kms:RecipientAttestation:NitroTPMPCR6",
            "kms:RecipientAttestation:NitroTPMPCR7",
            "kms:RecipientAttestation:NitroTPMPCR8",
            "kms:RecipientAttestation:NitroTPMPCR9",
            "kms:RecipientAttestation:PCR0",
            "kms:RecipientAttestation:PCR1",
            "kms:RecipientAttestation:PCR10",
            "kms:RecipientAttestation:PCR11",
            "kms:RecipientAttestation:PCR12",
            "kms:RecipientAttestation:PCR13",
            "kms:RecipientAttestation:PCR14",
            "kms:RecipientAttestation:PCR15",
            "kms:RecipientAttestation:PCR16",
            "kms:RecipientAttestation:PCR17",
            "kms:RecipientAttestation:PCR18",
            "kms:RecipientAttestation:PCR19",
            "kms:RecipientAttestation:PCR2",
            "kms:RecipientAttestation:PCR20",
            "kms:RecipientAttestation:PCR21",
            "kms:RecipientAttestation:PCR22",
            "kms:RecipientAttestation:PCR23",
            "kms:RecipientAttestation:PCR24",
            "kms:RecipientAttestation:PCR25",
            "kms:RecipientAttestation:PCR26",
            "kms:RecipientAttestation:PCR27",
            "kms:RecipientAttestation:PCR28",
            "kms:RecipientAttestation:PCR29",
            "kms:RecipientAttestation:PCR3",
            "kms:RecipientAttestation:PCR30",
            "kms:RecipientAttestation:PCR31",
            "kms:RecipientAttestation:PCR4",
            "kms:RecipientAttestation:PCR5",
            "kms:RecipientAttestation:PCR6",
            "kms:RecipientAttestation:PCR7",
            "kms:RecipientAttestation:PCR8",
            "kms:RecipientAttestation:PCR9",
            $($after,)*
        ]
    };
}

// Condition keys of the `key` resource type, which every action on a key
// also accepts: aws:ResourceTag/${TagKey}, kms:KeyOrigin, kms:KeySpec,
// kms:KeyUsage, kms:MultiRegion, kms:MultiRegionKeyType, kms:ResourceAliases.
// The `alias` resource type has none.
/// Keys of an action on a key that adds only kms:CallerAccount and
/// kms:ViaService to the key resource's keys.
const K_KEY_OP: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
/// Custom key store actions (resource `*`).
const K_KEY_STORE: &[&str] = &["kms:CallerAccount"];
const K_NONE: &[&str] = &[];
const K_READ_WITH_ALIAS: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_ENCRYPT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:EncryptionAlgorithm",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:EncryptionContextKeys",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_DECRYPT: &[&str] = with_recipient_attestation!(
    [
        "aws:ResourceTag/${TagKey}",
        "kms:CallerAccount",
        "kms:EncryptionAlgorithm",
        "kms:EncryptionContext:${EncryptionContextKey}",
        "kms:EncryptionContextKeys",
        "kms:KeyOrigin",
        "kms:KeySpec",
        "kms:KeyUsage",
        "kms:MultiRegion",
        "kms:MultiRegionKeyType",
    ],
    ["kms:RequestAlias", "kms:ResourceAliases", "kms:ViaService"]
);
const K_DATA_KEY_PAIR: &[&str] = with_recipient_attestation!(
    [
        "aws:ResourceTag/${TagKey}",
        "kms:CallerAccount",
        "kms:DataKeyPairSpec",
        "kms:EncryptionAlgorithm",
        "kms:EncryptionContext:${EncryptionContextKey}",
        "kms:EncryptionContextKeys",
        "kms:KeyOrigin",
        "kms:KeySpec",
        "kms:KeyUsage",
        "kms:MultiRegion",
        "kms:MultiRegionKeyType",
    ],
    ["kms:RequestAlias", "kms:ResourceAliases", "kms:ViaService"]
);
const K_DATA_KEY_PAIR_NO_PLAINTEXT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:DataKeyPairSpec",
    "kms:EncryptionAlgorithm",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:EncryptionContextKeys",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_RE_ENCRYPT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:EncryptionAlgorithm",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:EncryptionContextKeys",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ReEncryptOnSameKey",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_DERIVE_SHARED_SECRET: &[&str] = with_recipient_attestation!(
    [
        "aws:ResourceTag/${TagKey}",
        "kms:CallerAccount",
        "kms:KeyAgreementAlgorithm",
        "kms:KeyOrigin",
        "kms:KeySpec",
        "kms:KeyUsage",
        "kms:MultiRegion",
        "kms:MultiRegionKeyType",
    ],
    ["kms:RequestAlias", "kms:ResourceAliases", "kms:ViaService"]
);
const K_GENERATE_RANDOM: &[&str] = with_recipient_attestation!([], []);
const K_SIGN: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MessageType",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:SigningAlgorithm",
    "kms:ViaService",
];
const K_MAC: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MacAlgorithm",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_CREATE_GRANT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:EncryptionContextKeys",
    "kms:GrantConstraintSourceArn",
    "kms:GrantConstraintType",
    "kms:GrantIsForAWSResource",
    "kms:GrantOperations",
    "kms:GranteePrincipal",
    "kms:GranteeServicePrincipal",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:RetiringPrincipal",
    "kms:RetiringServicePrincipal",
    "kms:ViaService",
];
const K_RETIRE_GRANT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:EncryptionContextKeys",
    "kms:GrantConstraintType",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_GRANT_FOR_AWS_RESOURCE: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:GrantIsForAWSResource",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_CREATE_KEY: &[&str] = &[
    "aws:RequestTag/${TagKey}",
    "aws:ResourceTag/${TagKey}",
    "aws:TagKeys",
    "kms:BypassPolicyLockoutSafetyCheck",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ViaService",
];
const K_PUT_KEY_POLICY: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:BypassPolicyLockoutSafetyCheck",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_DISABLE_KEY: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:TrailingDaysWithoutKeyUsage",
    "kms:ViaService",
];
const K_SCHEDULE_DELETION: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ScheduleKeyDeletionPendingWindowInDays",
    "kms:TrailingDaysWithoutKeyUsage",
    "kms:ViaService",
];
const K_ENABLE_ROTATION: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:RotationPeriodInDays",
    "kms:ViaService",
];
const K_GET_PARAMETERS_FOR_IMPORT: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
    "kms:WrappingAlgorithm",
    "kms:WrappingKeySpec",
];
const K_IMPORT_KEY_MATERIAL: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:ExpirationModel",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ValidTo",
    "kms:ViaService",
];
const K_REPLICATE_KEY: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ReplicaRegion",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_UPDATE_PRIMARY_REGION: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:PrimaryRegion",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_TAG_RESOURCE: &[&str] = &[
    "aws:RequestTag/${TagKey}",
    "aws:ResourceTag/${TagKey}",
    "aws:TagKeys",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
const K_UNTAG_RESOURCE: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "aws:TagKeys",
    "kms:CallerAccount",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
    "kms:ViaService",
];
/// SynchronizeMultiRegionKey lists no action condition keys of its own.
const K_KEY_RESOURCE_ONLY: &[&str] = &[
    "aws:ResourceTag/${TagKey}",
    "kms:KeyOrigin",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "kms:ResourceAliases",
];

#[allow(clippy::too_many_arguments)]
const fn op(
    name: &'static str,
    grant_operation: bool,
    read_only: bool,
    key_resource: bool,
    needs: &'static [KeyClass],
    encryption_context: bool,
    condition_keys: &'static [&'static str],
    states: StateRule,
) -> Operation {
    Operation {
        name,
        grant_operation,
        read_only,
        key_resource,
        needs,
        encryption_context,
        condition_keys,
        states,
    }
}

const GRANT: bool = true;
const NO_GRANT: bool = false;
const READ: bool = true;
const WRITE: bool = false;
const KEY: bool = true;
const NO_KEY: bool = false;
const CONTEXT: bool = true;
const NO_CONTEXT: bool = false;

// Sources, column by column:
// - name, key_resource, condition_keys: the service authorization reference,
//   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
//   (actions table; "key" resource type keys added to every key action),
//   cross-checked with
//   https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
// - grant_operation: https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations
//   and the `Operations` valid values of
//   https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
// - read_only: the CloudTrail examples, https://docs.aws.amazon.com/kms/latest/developerguide/ct-<operation>.html
//   (for instance ct-encrypt.html, ct-rotatekeyondemand.html, ct-getkeylastusage.html)
// - needs: https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-compare.html
// - encryption_context: the `EncryptionContext` request parameters in
//   https://docs.aws.amazon.com/kms/latest/APIReference/ and
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys
// - states: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
/// Every KMS action in the service authorization reference, alphabetically.
#[rustfmt::skip]
pub static OPERATIONS: &[Operation] = &[
    op("CancelKeyDeletion", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_CANCEL_DELETION),
    op("ConnectCustomKeyStore", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    op("CreateAlias", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_NOT_PENDING_DELETION),
    op("CreateCustomKeyStore", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    op("CreateGrant", GRANT, WRITE, KEY, N_ANY, CONTEXT, K_CREATE_GRANT, S_CREATE_GRANT),
    op("CreateKey", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_CREATE_KEY, S_ANY),
    op("Decrypt", GRANT, READ, KEY, N_ENCRYPT, CONTEXT, K_DECRYPT, S_CRYPTO),
    op("DeleteAlias", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ANY),
    op("DeleteCustomKeyStore", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    // Imported key material: any key type with origin EXTERNAL (the 2023 key
    // type table still said symmetric only). Choice: `needs` is any key.
    op("DeleteImportedKeyMaterial", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_DELETE_IMPORTED),
    // Not in the key-state table: states as for Sign. readOnly as for the
    // other cryptographic operations (no CloudTrail example found).
    op("DeriveSharedSecret", GRANT, READ, KEY, N_AGREE, NO_CONTEXT, K_DERIVE_SHARED_SECRET, S_CRYPTO),
    op("DescribeCustomKeyStores", NO_GRANT, READ, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    op("DescribeKey", GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_READ_WITH_ALIAS, S_ANY),
    op("DisableKey", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_DISABLE_KEY, S_ENABLE_DISABLE),
    op("DisableKeyRotation", NO_GRANT, WRITE, KEY, N_SYMMETRIC, NO_CONTEXT, K_KEY_OP, S_ROTATION_CHANGE),
    op("DisconnectCustomKeyStore", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    op("EnableKey", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ENABLE_DISABLE),
    op("EnableKeyRotation", NO_GRANT, WRITE, KEY, N_SYMMETRIC, NO_CONTEXT, K_ENABLE_ROTATION, S_ROTATION_CHANGE),
    op("Encrypt", GRANT, READ, KEY, N_ENCRYPT, CONTEXT, K_ENCRYPT, S_CRYPTO),
    op("GenerateDataKey", GRANT, READ, KEY, N_SYMMETRIC, CONTEXT, K_DECRYPT, S_CRYPTO),
    op("GenerateDataKeyPair", GRANT, READ, KEY, N_SYMMETRIC, CONTEXT, K_DATA_KEY_PAIR, S_CRYPTO),
    op("GenerateDataKeyPairWithoutPlaintext", GRANT, READ, KEY, N_SYMMETRIC, CONTEXT, K_DATA_KEY_PAIR_NO_PLAINTEXT, S_CRYPTO),
    op("GenerateDataKeyWithoutPlaintext", GRANT, READ, KEY, N_SYMMETRIC, CONTEXT, K_ENCRYPT, S_CRYPTO),
    op("GenerateMac", GRANT, READ, KEY, N_MAC, NO_CONTEXT, K_MAC, S_CRYPTO),
    op("GenerateRandom", NO_GRANT, READ, NO_KEY, N_ANY, NO_CONTEXT, K_GENERATE_RANDOM, S_ANY),
    // New in 2026, so not in the key-state table: states as for DescribeKey.
    op("GetKeyLastUsage", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ANY),
    op("GetKeyPolicy", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ANY),
    // The key type table allows every key type ("KeyRotationEnabled will
    // always be false" for the others), so `needs` is any key.
    op("GetKeyRotationStatus", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ROTATION_READ),
    // Any key type, as for DeleteImportedKeyMaterial.
    op("GetParametersForImport", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_GET_PARAMETERS_FOR_IMPORT, S_IMPORT),
    op("GetPublicKey", GRANT, READ, KEY, N_ASYMMETRIC, NO_CONTEXT, K_READ_WITH_ALIAS, S_CRYPTO),
    // Any key type, as for DeleteImportedKeyMaterial.
    op("ImportKeyMaterial", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_IMPORT_KEY_MATERIAL, S_IMPORT),
    op("ListAliases", NO_GRANT, READ, NO_KEY, N_ANY, NO_CONTEXT, K_NONE, S_ANY),
    op("ListGrants", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_GRANT_FOR_AWS_RESOURCE, S_ANY),
    op("ListKeyPolicies", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ANY),
    // Not in the key-state or key type tables: treated like
    // GetKeyRotationStatus (any key; fails in PendingImport and Unavailable).
    op("ListKeyRotations", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ROTATION_READ),
    op("ListKeys", NO_GRANT, READ, NO_KEY, N_ANY, NO_CONTEXT, K_NONE, S_ANY),
    op("ListResourceTags", NO_GRANT, READ, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_ANY),
    op("ListRetirableGrants", NO_GRANT, READ, NO_KEY, N_ANY, NO_CONTEXT, K_NONE, S_ANY),
    op("PutKeyPolicy", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_PUT_KEY_POLICY, S_ANY),
    op("ReEncryptFrom", GRANT, READ, KEY, N_ENCRYPT, CONTEXT, K_RE_ENCRYPT, S_CRYPTO),
    op("ReEncryptTo", GRANT, READ, KEY, N_ENCRYPT, CONTEXT, K_RE_ENCRYPT, S_CRYPTO),
    op("ReplicateKey", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_REPLICATE_KEY, S_MULTI_REGION),
    op("RetireGrant", GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_RETIRE_GRANT, S_ANY),
    op("RevokeGrant", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_GRANT_FOR_AWS_RESOURCE, S_ANY),
    // Not in the key-state table: states as for EnableKeyRotation.
    op("RotateKeyOnDemand", NO_GRANT, WRITE, KEY, N_SYMMETRIC, NO_CONTEXT, K_KEY_OP, S_ROTATION_CHANGE),
    op("ScheduleKeyDeletion", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_SCHEDULE_DELETION, S_SCHEDULE_DELETION),
    op("Sign", GRANT, READ, KEY, N_SIGN, NO_CONTEXT, K_SIGN, S_CRYPTO),
    // A permission-only action KMS itself uses to copy shared properties to
    // replica keys; not in the key-state table, so no state stops it.
    op("SynchronizeMultiRegionKey", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_RESOURCE_ONLY, S_ANY),
    op("TagResource", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_TAG_RESOURCE, S_NOT_PENDING_DELETION),
    op("UntagResource", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_UNTAG_RESOURCE, S_NOT_PENDING_DELETION),
    op("UpdateAlias", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_UPDATE_ALIAS),
    op("UpdateCustomKeyStore", NO_GRANT, WRITE, NO_KEY, N_ANY, NO_CONTEXT, K_KEY_STORE, S_ANY),
    op("UpdateKeyDescription", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_KEY_OP, S_NOT_PENDING_DELETION),
    op("UpdatePrimaryRegion", NO_GRANT, WRITE, KEY, N_ANY, NO_CONTEXT, K_UPDATE_PRIMARY_REGION, S_MULTI_REGION),
    op("Verify", GRANT, READ, KEY, N_SIGN, NO_CONTEXT, K_SIGN, S_CRYPTO),
    op("VerifyMac", GRANT, READ, KEY, N_MAC, NO_CONTEXT, K_MAC, S_CRYPTO),
];

/// Looks up an operation by name: ASCII case-insensitive, with or without a
/// `kms:` prefix (itself in any case). Allocates nothing.
#[must_use]
pub fn operation(name: &str) -> Option<&'static Operation> {
    let bare = match name.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("kms:") => &name[4..],
        _ => name,
    };
    OPERATIONS
        .iter()
        .find(|op| op.name.eq_ignore_ascii_case(bare))
}

/// The IAM action of an operation, lower-cased (`kms:decrypt`): what
/// policy `Action` patterns are matched against. Computed once.
pub fn action_lower(op: &'static Operation) -> &'static str {
    static LOWER: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let table = LOWER.get_or_init(|| {
        OPERATIONS
            .iter()
            .map(|o| format!("kms:{}", o.name).to_ascii_lowercase())
            .collect()
    });
    operation_index(op).map_or("", |i| table[i].as_str())
}

/// The IAM action of an operation as AWS writes it (`kms:Decrypt`), for
/// answers that borrow their texts. Computed once.
pub fn action_name(op: &'static Operation) -> &'static str {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let table = NAMES.get_or_init(|| {
        OPERATIONS
            .iter()
            .map(|o| format!("kms:{}", o.name))
            .collect()
    });
    operation_index(op).map_or("", |i| table[i].as_str())
}

/// An operation's place in [`OPERATIONS`]: found by address (constant
/// time), or, for an `Operation` from elsewhere, by name.
fn operation_index(op: &'static Operation) -> Option<usize> {
    let base = OPERATIONS.as_ptr() as usize;
    let offset = (op as *const Operation as usize).wrapping_sub(base);
    let size = std::mem::size_of::<Operation>();
    if offset % size == 0 && offset / size < OPERATIONS.len() {
        Some(offset / size)
    } else {
        OPERATIONS.iter().position(|o| o.name == op.name)
    }
}

/// Operations a principal in another account may call on a key; for every
/// other operation a cross-account permission has no effect.
/// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>
/// ("Cross-account permissions are effective only for the following operations").
const CROSS_ACCOUNT: &[&str] = &[
    "CreateGrant",
    "Decrypt",
    "DeriveSharedSecret",
    "DescribeKey",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GetKeyRotationStatus",
    "GetPublicKey",
    "ListGrants",
    "ReEncryptFrom",
    "ReEncryptTo",
    "RetireGrant",
    "RevokeGrant",
    "Sign",
    "Verify",
    "VerifyMac",
];

/// Can a principal of another account call `op` on a key?
pub fn cross_account(op: &Operation) -> bool {
    CROSS_ACCOUNT.contains(&op.name)
}

/// The operations a grant may allow, in table order.
pub fn grant_operations() -> impl Iterator<Item = &'static Operation> {
    OPERATIONS.iter().filter(|op| op.grant_operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_STATES: [KeyState; 9] = KeyState::ALL;
    const ALL_USAGES: [KeyUsage; 4] = [
        KeyUsage::EncryptDecrypt,
        KeyUsage::SignVerify,
        KeyUsage::GenerateVerifyMac,
        KeyUsage::KeyAgreement,
    ];
    const ALL_CLASSES: [KeyClass; 5] = [
        KeyClass::SymmetricEncryption,
        KeyClass::AsymmetricEncryption,
        KeyClass::AsymmetricSigning,
        KeyClass::Hmac,
        KeyClass::KeyAgreement,
    ];

    fn op(name: &str) -> &'static Operation {
        match operation(name) {
            Some(op) => op,
            None => panic!("no operation {name}"),
        }
    }

    fn spec(name: &str) -> &'static KeySpec {
        match key_spec(name) {
            Some(spec) => spec,
            None => panic!("no key spec {name}"),
        }
    }

    use KeyState as K;
    use StateEffect::{Disabled as DIS_, InvalidState as INV_, NotFound as NF_, Proceeds as OK_};

    // ----- spot checks against the AWS documentation -----------------------

    // https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
    // (key state table, with footnotes [1]-[15])
    #[test]
    fn key_state_table_rows() {
        let cases: &[(&str, KeyState, StateEffect)] = &[
            // Cryptographic operations: [1] disabled, [3] pending deletion,
            // [5] pending import, [11] unavailable, [14] creating.
            ("Decrypt", K::Enabled, OK_),
            ("Decrypt", K::Disabled, DIS_),
            ("Decrypt", K::PendingDeletion, INV_),
            ("Decrypt", K::PendingReplicaDeletion, INV_),
            ("Decrypt", K::PendingImport, INV_),
            ("Decrypt", K::Unavailable, INV_),
            ("Decrypt", K::Creating, INV_),
            ("Decrypt", K::Updating, OK_),
            ("Decrypt", K::Deleted, NF_),
            ("GenerateDataKeyPair", K::Disabled, DIS_),
            ("Sign", K::Disabled, DIS_),
            ("VerifyMac", K::PendingDeletion, INV_),
            // DescribeKey works in every state.
            ("DescribeKey", K::Disabled, OK_),
            ("DescribeKey", K::PendingDeletion, OK_),
            ("DescribeKey", K::PendingImport, OK_),
            ("DescribeKey", K::Unavailable, OK_),
            ("DescribeKey", K::Creating, OK_),
            ("DescribeKey", K::Updating, OK_),
            ("DescribeKey", K::Deleted, NF_),
            // CancelKeyDeletion: [4] "is not pending deletion" otherwise.
            ("CancelKeyDeletion", K::PendingDeletion, OK_),
            ("CancelKeyDeletion", K::PendingReplicaDeletion, OK_),
            ("CancelKeyDeletion", K::Enabled, INV_),
            ("CancelKeyDeletion", K::Disabled, INV_),
            ("CancelKeyDeletion", K::Updating, INV_),
            // EnableKey / DisableKey: allowed when disabled and unavailable
            // ([12]), not when pending deletion [3] or pending import [5].
            ("EnableKey", K::Disabled, OK_),
            ("EnableKey", K::Unavailable, OK_),
            ("EnableKey", K::PendingDeletion, INV_),
            ("DisableKey", K::PendingImport, INV_),
            ("DisableKey", K::Updating, INV_),
            // ScheduleKeyDeletion: [3] when already pending, [15] updating.
            ("ScheduleKeyDeletion", K::Disabled, OK_),
            ("ScheduleKeyDeletion", K::PendingImport, OK_),
            ("ScheduleKeyDeletion", K::PendingDeletion, INV_),
            ("ScheduleKeyDeletion", K::Creating, OK_),
            ("ScheduleKeyDeletion", K::Updating, INV_),
            // Aliases and tags: only pending deletion [3] stops them.
            ("CreateAlias", K::Disabled, OK_),
            ("CreateAlias", K::PendingDeletion, INV_),
            ("DeleteAlias", K::PendingDeletion, OK_),
            ("TagResource", K::PendingDeletion, INV_),
            ("UpdateKeyDescription", K::PendingImport, OK_),
            // CreateGrant works on an unavailable key, not a disabled one.
            ("CreateGrant", K::Unavailable, OK_),
            ("CreateGrant", K::Disabled, DIS_),
            ("CreateGrant", K::Creating, INV_),
            ("CreateGrant", K::Updating, OK_),
            // Grants and policies are managed in every state.
            ("RetireGrant", K::PendingDeletion, OK_),
            ("RevokeGrant", K::Disabled, OK_),
            ("PutKeyPolicy", K::PendingDeletion, OK_),
            // Import: allowed in PendingImport, [8] when pending deletion.
            ("ImportKeyMaterial", K::PendingImport, OK_),
            ("ImportKeyMaterial", K::PendingDeletion, INV_),
            ("GetParametersForImport", K::Updating, INV_),
            ("DeleteImportedKeyMaterial", K::PendingDeletion, OK_),
            // Rotation: [1] or [7] disabled, [6] pending import.
            ("EnableKeyRotation", K::Disabled, DIS_),
            ("EnableKeyRotation", K::PendingImport, INV_),
            ("EnableKeyRotation", K::Updating, OK_),
            ("GetKeyRotationStatus", K::Disabled, OK_),
            ("GetKeyRotationStatus", K::PendingImport, INV_),
            // Multi-Region operations.
            ("ReplicateKey", K::Disabled, DIS_),
            ("ReplicateKey", K::Updating, INV_),
            ("UpdatePrimaryRegion", K::Updating, OK_),
            ("UpdatePrimaryRegion", K::Creating, INV_),
        ];
        for &(name, state, expected) in cases {
            assert_eq!(
                op(name).state_effect(state),
                expected,
                "{name} in {state:?}"
            );
        }
    }

    // https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-compare.html
    // (key type table)
    #[test]
    fn key_type_table_rows() {
        use KeyClass::*;
        let cases: &[(&str, &[KeyClass], &[KeyClass])] = &[
            // (operation, supported, unsupported)
            (
                "Encrypt",
                &[SymmetricEncryption, AsymmetricEncryption],
                &[AsymmetricSigning, Hmac, KeyAgreement],
            ),
            (
                "Decrypt",
                &[SymmetricEncryption, AsymmetricEncryption],
                &[AsymmetricSigning, Hmac, KeyAgreement],
            ),
            (
                "ReEncryptFrom",
                &[SymmetricEncryption, AsymmetricEncryption],
                &[Hmac],
            ),
            (
                "ReEncryptTo",
                &[SymmetricEncryption, AsymmetricEncryption],
                &[Hmac],
            ),
            (
                "GenerateDataKey",
                &[SymmetricEncryption],
                &[AsymmetricEncryption, Hmac],
            ),
            (
                "GenerateDataKeyWithoutPlaintext",
                &[SymmetricEncryption],
                &[AsymmetricEncryption],
            ),
            (
                "GenerateDataKeyPair",
                &[SymmetricEncryption],
                &[AsymmetricEncryption, AsymmetricSigning],
            ),
            (
                "GenerateDataKeyPairWithoutPlaintext",
                &[SymmetricEncryption],
                &[AsymmetricEncryption],
            ),
            (
                "Sign",
                &[AsymmetricSigning],
                &[
                    SymmetricEncryption,
                    AsymmetricEncryption,
                    Hmac,
                    KeyAgreement,
                ],
            ),
            ("Verify", &[AsymmetricSigning], &[SymmetricEncryption, Hmac]),
            (
                "GetPublicKey",
                &[AsymmetricEncryption, AsymmetricSigning, KeyAgreement],
                &[SymmetricEncryption, Hmac],
            ),
            (
                "GenerateMac",
                &[Hmac],
                &[SymmetricEncryption, AsymmetricSigning],
            ),
            (
                "VerifyMac",
                &[Hmac],
                &[SymmetricEncryption, AsymmetricSigning],
            ),
            (
                "DeriveSharedSecret",
                &[KeyAgreement],
                &[SymmetricEncryption, AsymmetricSigning, Hmac],
            ),
            // https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
            // "supported only on symmetric encryption KMS keys" (not HMAC).
            (
                "EnableKeyRotation",
                &[SymmetricEncryption],
                &[Hmac, AsymmetricEncryption],
            ),
            ("DisableKeyRotation", &[SymmetricEncryption], &[Hmac]),
            (
                "RotateKeyOnDemand",
                &[SymmetricEncryption],
                &[Hmac, AsymmetricSigning],
            ),
            (
                "GetKeyRotationStatus",
                &[SymmetricEncryption, Hmac, AsymmetricSigning],
                &[],
            ),
            ("DescribeKey", &ALL_CLASSES, &[]),
            ("CreateGrant", &ALL_CLASSES, &[]),
        ];
        for &(name, yes, no) in cases {
            for &class in yes {
                assert!(op(name).supports(class), "{name} should support {class:?}");
            }
            for &class in no {
                assert!(
                    !op(name).supports(class),
                    "{name} should not support {class:?}"
                );
            }
        }
    }

    // https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations
    // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html (Operations)
    #[test]
    fn grant_operations_match_the_docs() {
        let expected = [
            "CreateGrant",
            "Decrypt",
            "DeriveSharedSecret",
            "DescribeKey",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateMac",
            "GetPublicKey",
            "ReEncryptFrom",
            "ReEncryptTo",
            "RetireGrant",
            "Sign",
            "Verify",
            "VerifyMac",
        ];
        assert_eq!(grant_operations().count(), expected.len());
        for (got, want) in grant_operations().zip(expected) {
            assert_eq!(got.name, want);
        }
        assert!(!op("ListGrants").grant_operation);
        assert!(!op("RevokeGrant").grant_operation);
    }

    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
    #[test]
    fn condition_keys_from_the_service_authorization_reference() {
        let has = |name: &str, key: &str| op(name).condition_keys.contains(&key);
        for key in [
            "kms:CallerAccount",
            "kms:EncryptionAlgorithm",
            "kms:EncryptionContext:${EncryptionContextKey}",
            "kms:EncryptionContextKeys",
            "kms:RecipientAttestation:ImageSha384",
            "kms:RecipientAttestation:PCR0",
            "kms:RecipientAttestation:NitroTPMPCR23",
            "kms:RequestAlias",
            "kms:ViaService",
            "kms:KeyOrigin",
            "kms:KeySpec",
            "kms:KeyUsage",
            "kms:ResourceAliases",
            "aws:ResourceTag/${TagKey}",
        ] {
            assert!(has("Decrypt", key), "Decrypt lacks {key}");
        }
        assert!(!has("Decrypt", "kms:GrantConstraintType"));
        assert!(!has("Encrypt", "kms:RecipientAttestation:PCR0"));
        assert!(has("RetireGrant", "kms:GrantConstraintType"));
        assert!(has("CreateGrant", "kms:GrantOperations"));
        assert!(has("CreateGrant", "kms:GranteePrincipal"));
        assert!(has("CreateKey", "kms:BypassPolicyLockoutSafetyCheck"));
        assert!(has("CreateKey", "aws:RequestTag/${TagKey}"));
        assert!(!has("CreateKey", "kms:ResourceAliases"));
        assert!(has(
            "ScheduleKeyDeletion",
            "kms:ScheduleKeyDeletionPendingWindowInDays"
        ));
        assert!(has(
            "ScheduleKeyDeletion",
            "kms:TrailingDaysWithoutKeyUsage"
        ));
        assert!(has("ReEncryptFrom", "kms:ReEncryptOnSameKey"));
        assert!(has("Sign", "kms:SigningAlgorithm"));
        assert!(has("GenerateMac", "kms:MacAlgorithm"));
        assert!(has("DeriveSharedSecret", "kms:KeyAgreementAlgorithm"));
        assert!(has("GenerateDataKeyPair", "kms:DataKeyPairSpec"));
        assert!(has("GetParametersForImport", "kms:WrappingKeySpec"));
        assert!(has("ImportKeyMaterial", "kms:ValidTo"));
        assert!(has("ReplicateKey", "kms:ReplicaRegion"));
        assert!(has("UpdatePrimaryRegion", "kms:PrimaryRegion"));
        assert!(has("EnableKeyRotation", "kms:RotationPeriodInDays"));
        assert!(has("TagResource", "aws:TagKeys"));
        assert_eq!(op("GenerateRandom").condition_keys.len(), 57);
        assert!(op("ListKeys").condition_keys.is_empty());
        assert_eq!(
            op("CreateCustomKeyStore").condition_keys,
            &["kms:CallerAccount"]
        );
    }

    // https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html
    // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html (KeyUsage)
    #[test]
    fn key_spec_reference() {
        use KeyUsage::*;
        let cases: &[(&str, &[KeyUsage], bool)] = &[
            ("SYMMETRIC_DEFAULT", &[EncryptDecrypt], true),
            ("RSA_2048", &[EncryptDecrypt, SignVerify], false),
            ("RSA_4096", &[EncryptDecrypt, SignVerify], false),
            ("ECC_NIST_P256", &[SignVerify, KeyAgreement], false),
            ("ECC_NIST_P521", &[SignVerify, KeyAgreement], false),
            ("ECC_NIST_EDWARDS25519", &[SignVerify], false),
            ("ECC_SECG_P256K1", &[SignVerify], false),
            ("ML_DSA_65", &[SignVerify], false),
            ("SM2", &[EncryptDecrypt, SignVerify, KeyAgreement], false),
            ("HMAC_256", &[GenerateVerifyMac], true),
        ];
        for &(name, usages, symmetric) in cases {
            assert_eq!(spec(name).usages, usages, "{name}");
            assert_eq!(spec(name).symmetric, symmetric, "{name}");
        }
        assert_eq!(default_usage(spec("SYMMETRIC_DEFAULT")), EncryptDecrypt);
        assert_eq!(default_usage(spec("RSA_3072")), EncryptDecrypt);
        assert_eq!(default_usage(spec("SM2")), EncryptDecrypt);
        assert_eq!(default_usage(spec("ECC_SECG_P256K1")), SignVerify);
        assert_eq!(default_usage(spec("ECC_NIST_P384")), SignVerify);
        assert_eq!(default_usage(spec("HMAC_512")), GenerateVerifyMac);
        assert_eq!(key_spec("rsa_2048"), None);
        assert_eq!(key_spec("RSA_1024"), None);
        assert_eq!(key_spec("ML_KEM_768"), None);
    }

    #[test]
    fn key_classes() {
        use KeyClass::*;
        use KeyUsage::*;
        let cases: &[(&str, KeyUsage, KeyClass)] = &[
            ("SYMMETRIC_DEFAULT", EncryptDecrypt, SymmetricEncryption),
            ("RSA_2048", EncryptDecrypt, AsymmetricEncryption),
            ("RSA_2048", SignVerify, AsymmetricSigning),
            ("SM2", EncryptDecrypt, AsymmetricEncryption),
            ("SM2", KeyUsage::KeyAgreement, KeyClass::KeyAgreement),
            (
                "ECC_NIST_P256",
                KeyUsage::KeyAgreement,
                KeyClass::KeyAgreement,
            ),
            ("HMAC_224", GenerateVerifyMac, Hmac),
        ];
        for &(name, usage, class) in cases {
            assert_eq!(key_class(spec(name), usage), class, "{name} {usage:?}");
        }
    }

    // https://docs.aws.amazon.com/kms/latest/developerguide/ct-encrypt.html (readOnly true)
    // https://docs.aws.amazon.com/kms/latest/developerguide/ct-rotatekeyondemand.html (false)
    // https://docs.aws.amazon.com/kms/latest/developerguide/ct-listkeyrotations.html (true)
    // https://docs.aws.amazon.com/kms/latest/developerguide/ct-getkeylastusage.html (true)
    // https://docs.aws.amazon.com/kms/latest/developerguide/ct-synchronize-multi-region-key.html (false)
    #[test]
    fn cloudtrail_read_only() {
        let cases = [
            ("Encrypt", true),
            ("Decrypt", true),
            ("GenerateMac", true),
            ("GetParametersForImport", true),
            ("ReEncryptFrom", true),
            ("RotateKeyOnDemand", false),
            ("ListKeyRotations", true),
            ("GetKeyLastUsage", true),
            ("SynchronizeMultiRegionKey", false),
            ("CreateKey", false),
            ("PutKeyPolicy", false),
        ];
        for (name, read_only) in cases {
            assert_eq!(op(name).read_only, read_only, "{name}");
        }
    }

    // https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
    // (Resources column: `*` for these, "KMS key" for the others)
    #[test]
    fn resource_is_a_key() {
        for name in [
            "CreateKey",
            "ListKeys",
            "ListAliases",
            "ListRetirableGrants",
            "GenerateRandom",
            "CreateCustomKeyStore",
            "DescribeCustomKeyStores",
        ] {
            assert!(!op(name).key_resource, "{name}");
        }
        for name in ["Decrypt", "CreateAlias", "GetKeyLastUsage", "RetireGrant"] {
            assert!(op(name).key_resource, "{name}");
        }
    }

    // ----- invariants -----------------------------------------------------

    #[test]
    fn about_fifty_operations_with_unique_names() {
        assert!(OPERATIONS.len() >= 50, "{}", OPERATIONS.len());
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert!(!a.name.eq_ignore_ascii_case(b.name), "duplicate {}", a.name);
            }
        }
    }

    #[test]
    fn operations_are_sorted_by_name() {
        for pair in OPERATIONS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn operation_finds_every_entry_in_any_case_with_or_without_prefix() {
        let mut lower = [0u8; 64];
        let mut upper = [0u8; 64];
        let mut prefixed = [0u8; 68];
        for entry in OPERATIONS {
            let n = entry.name.len();
            lower[..n].copy_from_slice(entry.name.as_bytes());
            lower[..n].make_ascii_lowercase();
            upper[..n].copy_from_slice(entry.name.as_bytes());
            upper[..n].make_ascii_uppercase();
            prefixed[..4].copy_from_slice(b"KmS:");
            prefixed[4..4 + n].copy_from_slice(entry.name.as_bytes());
            let lower = core::str::from_utf8(&lower[..n]).unwrap();
            let upper = core::str::from_utf8(&upper[..n]).unwrap();
            let prefixed = core::str::from_utf8(&prefixed[..4 + n]).unwrap();
            for query in [entry.name, lower, upper, prefixed] {
                let found = operation(query).map(|o| o.name);
                assert_eq!(found, Some(entry.name), "query {query}");
            }
        }
        assert!(operation("kms:Decrypt").is_some());
        for miss in [
            "",
            "kms:",
            "kms",
            "Decryp",
            "kms:kms:Decrypt",
            "kms-Decrypt",
            "kms:*",
            "é",
        ] {
            assert!(operation(miss).is_none(), "{miss}");
        }
    }

    #[test]
    fn every_grant_operation_is_a_key_operation() {
        for op in grant_operations() {
            assert!(op.key_resource, "{}", op.name);
        }
    }

    #[test]
    fn condition_keys_are_sorted_unique_and_namespaced() {
        for op in OPERATIONS {
            for key in op.condition_keys {
                assert!(
                    key.starts_with("kms:") || key.starts_with("aws:"),
                    "{}: {key}",
                    op.name
                );
            }
            for pair in op.condition_keys.windows(2) {
                assert!(pair[0] < pair[1], "{}: {} / {}", op.name, pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn key_operations_have_the_key_resource_condition_keys() {
        for op in OPERATIONS {
            let has = |key: &str| op.condition_keys.contains(&key);
            let resource_keys = [
                "aws:ResourceTag/${TagKey}",
                "kms:KeyOrigin",
                "kms:KeySpec",
                "kms:KeyUsage",
                "kms:MultiRegion",
                "kms:MultiRegionKeyType",
                "kms:ResourceAliases",
            ];
            for key in resource_keys {
                if op.key_resource {
                    assert!(has(key), "{} lacks {key}", op.name);
                }
            }
            assert_eq!(has("kms:ResourceAliases"), op.key_resource, "{}", op.name);
            if op.encryption_context {
                assert!(has("kms:EncryptionContextKeys"), "{}", op.name);
                assert!(
                    has("kms:EncryptionContext:${EncryptionContextKey}"),
                    "{}",
                    op.name
                );
            }
        }
    }

    #[test]
    fn operations_without_a_key_ignore_key_state() {
        for op in OPERATIONS.iter().filter(|op| !op.key_resource) {
            assert!(op.needs.is_empty(), "{}", op.name);
            for state in ALL_STATES {
                assert_eq!(op.state_effect(state), StateEffect::Proceeds, "{}", op.name);
            }
        }
    }

    #[test]
    fn key_operations_follow_the_fixed_columns() {
        for op in OPERATIONS.iter().filter(|op| op.key_resource) {
            assert_eq!(
                op.state_effect(KeyState::Deleted),
                StateEffect::NotFound,
                "{}",
                op.name
            );
            assert_eq!(
                op.state_effect(KeyState::PendingReplicaDeletion),
                op.state_effect(KeyState::PendingDeletion),
                "{}",
                op.name
            );
            let enabled = op.state_effect(KeyState::Enabled);
            let expected = if op.name == "CancelKeyDeletion" {
                StateEffect::InvalidState
            } else {
                StateEffect::Proceeds
            };
            assert_eq!(enabled, expected, "{}", op.name);
            for state in ALL_STATES {
                assert_ne!(
                    state != KeyState::Deleted,
                    op.state_effect(state) == StateEffect::NotFound,
                    "{} in {state:?}",
                    op.name
                );
            }
        }
    }

    #[test]
    fn transient_state_lists_name_real_key_operations() {
        for list in [
            FAILS_WHEN_ENABLED,
            FAILS_WHILE_CREATING,
            FAILS_WHILE_UPDATING,
        ] {
            for name in list {
                let found = OPERATIONS.iter().find(|op| op.name == *name);
                assert!(found.is_some_and(|op| op.key_resource), "{name}");
            }
        }
    }

    #[test]
    fn cryptographic_operations_fail_on_disabled_keys() {
        for op in OPERATIONS.iter().filter(|op| !op.needs.is_empty()) {
            assert_ne!(
                op.state_effect(KeyState::Disabled),
                StateEffect::Proceeds,
                "{}",
                op.name
            );
        }
        for op in grant_operations() {
            if op.needs.is_empty() {
                continue;
            }
            assert_eq!(
                op.state_effect(KeyState::Disabled),
                StateEffect::Disabled,
                "{}",
                op.name
            );
        }
    }

    #[test]
    fn specs_are_unique_and_usable() {
        assert_eq!(KEY_SPECS.len(), 17);
        for (i, s) in KEY_SPECS.iter().enumerate() {
            assert!(!s.usages.is_empty(), "{}", s.name);
            assert!(s.usages.contains(&default_usage(s)), "{}", s.name);
            assert_eq!(key_spec(s.name), Some(s));
            for t in &KEY_SPECS[i + 1..] {
                assert_ne!(s.name, t.name);
            }
            for (j, u) in s.usages.iter().enumerate() {
                assert!(!s.usages[j + 1..].contains(u), "{}", s.name);
                // Every usage of every spec is supported by some operation.
                let class = key_class(s, *u);
                assert!(
                    OPERATIONS.iter().any(|op| op.needs.contains(&class)),
                    "{} {u:?}",
                    s.name
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for usage in ALL_USAGES {
            assert_eq!(KeyUsage::parse(usage.as_str()), Some(usage));
        }
        for state in ALL_STATES {
            assert_eq!(KeyState::parse(state.as_str()), Some(state));
        }
        assert_eq!(KeyUsage::parse("encrypt_decrypt"), None);
        assert_eq!(KeyState::parse("enabled"), None);
        assert_eq!(KeyState::parse("PENDING_DELETION"), None);
    }

    #[test]
    fn exceptions() {
        assert_eq!(StateEffect::Proceeds.exception(), None);
        assert_eq!(StateEffect::Disabled.exception(), Some("DisabledException"));
        assert_eq!(
            StateEffect::InvalidState.exception(),
            Some("KMSInvalidStateException")
        );
        assert_eq!(StateEffect::NotFound.exception(), Some("NotFoundException"));
    }
}
