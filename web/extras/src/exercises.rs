//! The exercises for the page: their catalogue, and the live check of
//! every goal as the learner types, as JSON the main module renders.

use kmsplay_lab::exercises;
use kmsplay_messages::Lang;
use serde_json::{json, Value};

/// Gives the catalogue the exercise files the main module fetched (texts
/// in the order of `ids`). False when it already had them.
pub fn install(ids: Vec<String>, texts: Vec<String>) -> bool {
    exercises::install(ids.into_iter().zip(texts).collect())
}

/// Every exercise that reads: `[{id, title, level, brief, hints, start,
/// solution}]`, with `title`, `level`, `brief` and `hints` as message ids,
/// `start` the starting playground file and `solution` the solved key
/// policy's text.
pub fn catalogue() -> Value {
    exercises::catalogue()
        .iter()
        .map(|ex| {
            json!({
                "id": ex.id,
                "title": ex.title,
                "level": ex.level.label(),
                "brief": ex.brief,
                "hints": ex.hints,
                "start": ex.start,
                "solution": ex.solution.key_policy,
            })
        })
        .collect()
}

/// Every goal of exercise `id` against the learner's key policy and
/// identity policies (identity index, policy index, text):
/// `{"all_met", "goals": [{text_id, met, detail}]}`, `detail` being the
/// sentence saying why a goal is not met, in `lang`. `None` for an
/// unknown exercise.
pub fn check(
    id: &str,
    key_policy_text: &str,
    identity_policies: &[(usize, usize, String)],
    lang: Lang,
) -> Option<Value> {
    let ex = exercises::exercise(id)?;
    let checklist = exercises::check(&ex, key_policy_text, identity_policies);
    let goals: Vec<Value> = checklist
        .goals
        .iter()
        .map(|g| {
            json!({
                "text_id": g.text_id,
                "met": g.met,
                "detail": g.detail.as_ref().map(|d| d.message(lang)),
            })
        })
        .collect();
    Some(json!({ "all_met": checklist.all_met, "goals": goals }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_lists_every_exercise_with_what_the_page_shows() {
        let list = catalogue();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), exercises::EXERCISE_IDS.len());
        for (json, ex) in list.iter().zip(exercises::catalogue()) {
            assert_eq!(json["id"], ex.id.as_str());
            assert_eq!(json["level"], ex.level.label());
            assert_eq!(json["hints"].as_array().unwrap().len(), ex.hints.len());
            assert_eq!(json["solution"], ex.solution.key_policy.as_str());
            assert!(json["start"]["key"].is_object(), "{}", ex.id);
        }
    }

    #[test]
    fn the_start_fails_and_the_solution_meets_every_goal_as_the_lab_says() {
        for ex in exercises::catalogue() {
            let start = check(
                &ex.id,
                &ex.start_key_policy,
                &ex.start_identity_policies,
                Lang::En,
            )
            .unwrap();
            let lab = ex.check_start();
            assert_eq!(start["all_met"], lab.all_met, "{}", ex.id);
            assert!(!lab.all_met, "{} starts unsolved", ex.id);
            let unmet = &start["goals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["met"] == false)
                .unwrap()["detail"];
            assert!(
                unmet.as_str().is_some_and(|d| !d.is_empty()),
                "{}: an unmet goal says why",
                ex.id
            );
            let solved = check(
                &ex.id,
                &ex.solution.key_policy,
                &ex.solution.identity_policies,
                Lang::En,
            )
            .unwrap();
            assert_eq!(solved["all_met"], true, "{}", ex.id);
        }
        assert_eq!(check("no-such-exercise", "{}", &[], Lang::En), None);
    }
}
