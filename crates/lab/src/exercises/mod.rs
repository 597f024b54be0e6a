//! Exercises: a starting playground file, goals to reach by editing the key
//! policy (and, where an exercise says so, an IAM policy), progressive
//! hints and a reference solution.
//!
//! The exercises are data: one JSON file per exercise under `exercises/`
//! at the repository root (the format is documented in
//! `exercises/README.md`). With the `embedded` feature they are compiled in
//! ([`EXERCISES`]); without it (the web page, which fetches them only for a
//! learner who opens one) they are [`install`]ed at run time.
//! Every sentence a learner reads is a message id of the catalogues
//! (`exercise.<id>.title`, `.brief`, `.goal.<n>`, `.hint.<n>`), so each
//! exercise exists in English and Japanese.
//!
//! [`check`] decides the goals against what the learner typed: one parse
//! of the key policy (plus the editable IAM policies), one lint when a rule
//! needs findings, and one decision per request goal, so a page can run it
//! on every keystroke.

mod check;
mod files;
mod load;
mod model;
mod parse;
mod template;
mod work;

pub use check::{check, Checklist, Detail, GoalResult};
#[cfg(feature = "embedded")]
pub use files::EXERCISES;
pub use files::EXERCISE_IDS;
pub use load::{catalogue, errors, exercise, install, is_available};
pub use model::{
    AllowedBy, Editable, Exercise, ExerciseError, Goal, GoalKind, Level, Rule, Solution,
};
pub use parse::parse;
pub use template::{new_template, new_template_in};
pub use work::{read_work, Work};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn editable_paths_round_trip() {
        for p in [
            "key_policy",
            "identities[0].policies[0]",
            "identities[3].policies[12]",
        ] {
            assert_eq!(Editable::parse(p).map(|e| e.path()).as_deref(), Some(p));
        }
        for p in [
            "identities[].policies[0]",
            "identities[x].policies[0]",
            "key",
            "identities[0]",
        ] {
            assert_eq!(Editable::parse(p), None, "{p}");
        }
    }

    #[test]
    fn the_template_is_an_exercise() {
        let t = new_template();
        let ex = parse("my-exercise", &t).unwrap_or_else(|e| panic!("{e}"));
        assert!(ex.check_solution().all_met, "{:#?}", ex.check_solution());
        assert!(!ex.check_start().all_met);
    }

    #[test]
    fn statement_count_rule() {
        let mut v: Value = serde_json::from_str(&new_template()).unwrap();
        v["goals"][2] =
            json!({"kind": "rule", "rule": "statement-count-at-most", "count": 1, "text": "t"});
        let ex = parse("my-exercise", &v.to_string()).unwrap();
        let c = ex.check_solution();
        assert!(!c.goals[2].met);
        assert_eq!(
            c.goals[2].detail.as_ref().map(|d| d.code.as_str()),
            Some("exercise.detail.statement-count")
        );
        v["goals"][2]["count"] = json!(2);
        let ex = parse("my-exercise", &v.to_string()).unwrap();
        assert!(ex.check_solution().all_met);
        v["goals"][2]["count"] = json!("two");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "wrong-type"
        );
    }

    #[test]
    fn mistakes_are_errors_not_panics() {
        let t = new_template();
        let mut v: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(parse("other", &t).unwrap_err().code, "id-mismatch");
        v["level"] = json!("expert");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "invalid-level"
        );
        v["level"] = json!("beginner");
        v["goals"][2]["rule"] = json!("no-such-rule");
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "invalid-rule"
        );
        v["goals"][2]["rule"] = json!("no-statement-modified");
        v["goals"][0]["request"]["action"] = json!("kms:Decrpyt");
        let e = parse("my-exercise", &v.to_string()).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            ("start-invalid", "goals[0].request.action")
        );
        v["goals"][0]["request"]["action"] = json!("kms:Decrypt");
        v["hint"] = json!([]);
        assert_eq!(
            parse("my-exercise", &v.to_string()).unwrap_err().code,
            "unknown-field"
        );
        assert_eq!(parse("my-exercise", "{").unwrap_err().code, "json");
    }
}
