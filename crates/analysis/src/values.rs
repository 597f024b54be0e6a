//! The values worth trying for one condition key: one for every class of
//! values the policies' conditions on that key tell apart, plus "absent".

use crate::glob::{self, Glob};
use crate::limit::Limit;
use kmsplay_policy::{
    condition_holds, values::Cidr, Condition, ContextValue, OperatorKind, Parsed, RequestContext,
    ValueType,
};
use std::collections::HashSet;

/// How many automaton states a key's patterns may take before the key is
/// called inexact.
const GLOB_BUDGET: usize = 20_000;
/// A multivalued key tries every set of up to this many single values;
/// beyond it, sets of one and two.
const MAX_SET_VALUES: usize = 6;

/// The values to try for a key, and whether they are known to cover every
/// class.
#[derive(Debug, Clone)]
pub struct Domain {
    /// `None` is "the key is absent".
    pub values: Vec<Option<ContextValue>>,
    /// Why the values may miss a class (empty: they do not).
    pub inexact: Vec<Limit>,
}

/// Multivalued keys AWS and KMS send as sets.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>
pub const MULTIVALUED: &[&str] = &[
    "kms:encryptioncontextkeys",
    "kms:grantoperations",
    "kms:resourcealiases",
    "aws:tagkeys",
    "aws:principalorgpaths",
    "aws:resourceorgpaths",
    "aws:sourceorgpaths",
    "aws:calledvia",
    "aws:principalservicenameslist",
];

/// The domain of the key `key_lower`, read by `conditions` (every
/// condition on it in every policy considered).
pub fn domain(key_lower: &str, conditions: &[&Condition]) -> Domain {
    // Conditions alike in operator and values hold for the same values
    // (`condition_holds` reads nothing else): one of each is enough, and
    // two policies compared share most of theirs.
    let mut distinct: Vec<&Condition> = Vec::new();
    for &c in conditions {
        if !distinct.iter().any(|d| alike(d, c)) {
            distinct.push(c);
        }
    }
    let conditions = distinct.as_slice();
    let mut inexact = Vec::new();
    let multi =
        MULTIVALUED.contains(&key_lower) || conditions.iter().any(|c| c.operator.set.is_some());
    let singles = single_values(key_lower, conditions, &mut inexact);
    let decide = |v: &ContextValue| -> Vec<bool> {
        let mut ctx = RequestContext::new();
        ctx.insert(key_lower, v.clone());
        conditions
            .iter()
            .map(|c| condition_holds(c, &ctx))
            .collect()
    };
    // One single value per class of truths.
    let mut seen = HashSet::new();
    let mut classes: Vec<String> = Vec::new();
    for s in singles {
        if seen.insert(decide(&ContextValue::Single(s.clone()))) {
            classes.push(s);
        }
    }
    let mut values: Vec<Option<ContextValue>> = vec![None];
    if !multi {
        values.extend(classes.into_iter().map(|s| Some(ContextValue::Single(s))));
    } else {
        let sets = subsets(&classes, &mut inexact, key_lower);
        let mut seen = HashSet::new();
        for set in sets {
            let v = ContextValue::Multi(set);
            if seen.insert(decide(&v)) {
                values.push(Some(v));
            }
        }
    }
    Domain { values, inexact }
}

/// Do two conditions compare their key with the same operator and values?
fn alike(a: &Condition, b: &Condition) -> bool {
    a.operator == b.operator
        && a.key_lower == b.key_lower
        && a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(x, y)| x.value == y.value)
}

fn subsets(classes: &[String], inexact: &mut Vec<Limit>, key: &str) -> Vec<Vec<String>> {
    let n = classes.len();
    let mut out = Vec::new();
    if n <= MAX_SET_VALUES {
        for mask in 1u32..(1 << n) {
            out.push(
                (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| classes[i].clone())
                    .collect(),
            );
        }
    } else {
        inexact.push(Limit::new("sets", key));
        for i in 0..n {
            out.push(vec![classes[i].clone()]);
            for j in i + 1..n {
                out.push(vec![classes[i].clone(), classes[j].clone()]);
            }
        }
    }
    out
}

/// The families of operators that compare a key: more than one (a
/// string pattern and a number, say) and the classes of each family no
/// longer combine exactly.
fn family(t: ValueType) -> u8 {
    match t {
        ValueType::String | ValueType::Arn | ValueType::Binary => 0,
        ValueType::Numeric => 1,
        ValueType::Date => 2,
        ValueType::Bool => 3,
        ValueType::Ip => 4,
        ValueType::Null => 5,
    }
}

fn single_values(key: &str, conditions: &[&Condition], inexact: &mut Vec<Limit>) -> Vec<String> {
    let mut families: Vec<u8> = conditions
        .iter()
        .map(|c| family(c.operator.kind.value_type()))
        .filter(|f| *f != 5)
        .collect();
    families.sort_unstable();
    families.dedup();
    if families.len() > 1 {
        inexact.push(Limit::new("types", key));
    }
    let mut out = vec!["kmsplay-other".to_string()];
    let mut globs = Vec::new();
    let mut literals_only: Vec<String> = Vec::new();
    let mut numbers = Vec::new();
    let mut dates = Vec::new();
    let mut ranges = Vec::new();
    for c in conditions {
        for v in &c.values {
            match (&v.value.parsed, c.operator.kind) {
                (Parsed::Template(_), _) => {
                    inexact.push(Limit::new("variable", key));
                }
                (
                    Parsed::Text(t),
                    OperatorKind::StringEqualsIgnoreCase | OperatorKind::StringNotEqualsIgnoreCase,
                ) => globs.push(Glob::literal(t, true)),
                (Parsed::Text(t), _) => literals_only.push(t.clone()),
                (Parsed::Like(_) | Parsed::Arn(_), _)
                    if v.value.text != "*" && !v.value.text.contains(['*', '?']) =>
                {
                    // No wildcard: the pattern matches itself alone (an
                    // ARN part by part is the whole ARN).
                    literals_only.push(v.value.text.clone());
                }
                (Parsed::Like(_), _) => globs.push(Glob::like(&v.value.text)),
                (Parsed::Arn(_), _) => globs.push(Glob::arn(&v.value.text)),
                (Parsed::Number(n), _) => numbers.push(*n),
                (Parsed::Date(d), _) => dates.push(*d),
                (Parsed::Cidr(_), _) => {
                    if let Some(r) = Cidr::parse(&v.value.text) {
                        ranges.push((r, v.value.text.clone()));
                    }
                }
                (Parsed::Bool(_), OperatorKind::Bool) => {
                    out.extend(["true".into(), "false".into(), "TRUE".into()]);
                }
                _ => {}
            }
        }
    }
    if !literals_only.is_empty() && globs.is_empty() {
        // Case-sensitive literals alone: each literal, and a value none is
        // (the first entry of `out`), are every class. No walk needed.
        out.extend(literals_only);
    } else if !globs.is_empty() {
        // Literals join the walk when wildcards or case do not split
        // classes so simply.
        globs.extend(literals_only.iter().map(|t| Glob::literal(t, false)));
        match glob::witnesses(&globs, GLOB_BUDGET) {
            Some(w) => out.extend(w),
            None => inexact.push(Limit::new("patterns", key)),
        }
    }
    out.extend(number_points(&numbers));
    out.extend(date_points(&dates));
    out.extend(ip_points(&ranges));
    out
}

/// Every constant, a point between each two, and one beyond each end.
fn number_points(numbers: &[f64]) -> Vec<String> {
    let mut n: Vec<f64> = numbers.to_vec();
    if n.is_empty() {
        return Vec::new();
    }
    n.sort_by(f64::total_cmp);
    n.dedup();
    let mut out = vec![n[0] - 1.0, n[n.len() - 1] + 1.0];
    for w in n.windows(2) {
        out.push(w[0] + (w[1] - w[0]) / 2.0);
    }
    out.extend(&n);
    out.into_iter().map(|v| format!("{v}")).collect()
}

/// Every constant and the millisecond on either side of it.
fn date_points(dates: &[i64]) -> Vec<String> {
    dates
        .iter()
        .flat_map(|d| [d - 1, *d, d + 1])
        .map(iso8601)
        .collect()
}

/// Each range's first and last address and the ones just outside, plus
/// one address of each family.
fn ip_points(ranges: &[(Cidr, String)]) -> Vec<String> {
    if ranges.is_empty() {
        return Vec::new();
    }
    let mut out = vec!["192.0.2.77".to_string(), "2001:db8::77".to_string()];
    for (_, text) in ranges {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.trim().to_string(), p.trim().parse::<u32>().ok()),
            None => (text.trim().to_string(), None),
        };
        match addr.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(a)) => {
                let p = prefix.unwrap_or(32).min(32);
                let mask = u32::MAX.checked_shl(32 - p).unwrap_or(0);
                let lo = u32::from(a) & mask;
                let hi = lo | !mask;
                for v in [lo.wrapping_sub(1), lo, hi, hi.wrapping_add(1)] {
                    out.push(std::net::Ipv4Addr::from(v).to_string());
                }
            }
            Ok(std::net::IpAddr::V6(a)) => {
                let p = prefix.unwrap_or(128).min(128);
                let mask = u128::MAX.checked_shl(128 - p).unwrap_or(0);
                let lo = u128::from(a) & mask;
                let hi = lo | !mask;
                for v in [lo.wrapping_sub(1), lo, hi, hi.wrapping_add(1)] {
                    out.push(std::net::Ipv6Addr::from(v).to_string());
                }
            }
            Err(_) => {}
        }
    }
    out
}

/// Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (the
/// engine's own clock text, with the milliseconds a boundary needs).
pub fn iso8601(ms: i64) -> String {
    let seconds = kmsplay_kms::lifecycle::Time(ms.div_euclid(1000)).iso();
    let whole = seconds.strip_suffix('Z').unwrap_or(&seconds);
    format!("{whole}.{:03}Z", ms.rem_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for ms in [0, 1, 1_735_689_600_000, 1_735_689_599_999, 951_782_400_123] {
            assert_eq!(kmsplay_policy::values::date(&iso8601(ms)), Some(ms), "{ms}");
        }
    }
}
