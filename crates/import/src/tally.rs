//! Counts of what an input gave: entries used, and skipped by reason.

use crate::kind::Kind;
use crate::types::{InputSummary, Skipped};

/// Counts of what was used and skipped.
#[derive(Default)]
pub(crate) struct Tally {
    used: usize,
    skipped: Vec<Skipped>,
}

impl Tally {
    /// One entry skipped, for `reason`.
    pub(crate) fn skip(&mut self, reason: &'static str) {
        match self.skipped.iter_mut().find(|s| s.reason == reason) {
            Some(s) => s.count += 1,
            None => self.skipped.push(Skipped { reason, count: 1 }),
        }
    }

    pub(crate) fn summary(self, name: &str, kind: Kind) -> InputSummary {
        InputSummary {
            name: name.to_string(),
            kind: kind.code(),
            gzip: false,
            used: self.used,
            skipped: self.skipped,
        }
    }
}

impl Tally {
    /// One entry used.
    pub(crate) fn used_one(&mut self) {
        self.used += 1;
    }
}
