//! "Did you mean": the nearest known name.

use super::conditions::family_prefix;
use kmsplay_kms::catalogue::{self};

/// Optimal string alignment distance (edits and adjacent swaps), ASCII
/// case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The closest candidate within a few edits.
pub(super) fn nearest<'c, T>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
    show: impl Fn(&'c str) -> T,
) -> Option<T> {
    let limit = (word.len() / 4).clamp(1, 3);
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| show(c))
}

/// Canonical spellings of the known keys, for suggestions.
fn canonical_keys() -> Vec<String> {
    let mut keys: Vec<String> = catalogue::OPERATIONS
        .iter()
        .flat_map(|op| op.condition_keys.iter())
        .map(|k| family_prefix(k).to_string())
        .collect();
    keys.extend(
        [
            "aws:CalledVia",
            "aws:CurrentTime",
            "aws:EpochTime",
            "aws:MultiFactorAuthAge",
            "aws:MultiFactorAuthPresent",
            "aws:PrincipalAccount",
            "aws:PrincipalArn",
            "aws:PrincipalIsAWSService",
            "aws:PrincipalOrgID",
            "aws:PrincipalOrgPaths",
            "aws:PrincipalServiceName",
            "aws:PrincipalTag/",
            "aws:PrincipalType",
            "aws:RequestedRegion",
            "aws:SecureTransport",
            "aws:SourceAccount",
            "aws:SourceArn",
            "aws:SourceIp",
            "aws:SourceOrgID",
            "aws:SourceVpc",
            "aws:SourceVpce",
            "aws:userid",
            "aws:username",
            "aws:ViaAWSService",
        ]
        .map(str::to_string),
    );
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A known key close to `key`: the whole key, or the family part of
/// `kms:EncryptionContex:aws:cloudtrail:arn` / `aws:ResourceTags/Project`.
pub(super) fn suggest_key(key: &str) -> Option<String> {
    let keys = canonical_keys();
    // A family: split at the slash (aws:ResourceTag/) or after the second
    // colon (kms:EncryptionContext:), and correct the family part.
    let splits = [
        key.find('/').map(|i| i + 1),
        key.match_indices(':').nth(1).map(|(i, _)| i + 1),
    ];
    for at in splits.into_iter().flatten() {
        let (family, rest) = key.split_at(at);
        let families = keys.iter().filter(|k| k.ends_with(':') || k.ends_with('/'));
        if let Some(f) = nearest(family, families.map(String::as_str), str::to_string) {
            return Some(format!("{f}{rest}"));
        }
    }
    let whole = keys
        .iter()
        .filter(|k| !k.ends_with(':') && !k.ends_with('/'));
    nearest(key, whole.map(String::as_str), str::to_string)
}
