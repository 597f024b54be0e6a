//! The exercises: their list, and the open one with its goals and hints.

use crate::browser;
use crate::state::{Notice, View};
use crate::workspace::Workspace;
use crate::{t, tp};
use kmsplay_messages::Lang;
use yew::prelude::*;

/// The workspace an exercise opens with: the learner's saved work, or the
/// exercise's starting file.
pub(super) fn exercise_workspace(ex: &crate::extras::Exercise) -> Workspace {
    browser::load_exercise_work(&ex.id)
        .and_then(|text| Workspace::from_file_text(&text).ok())
        .or_else(|| Workspace::from_file_text(&kmsplay_playground::json_text(&ex.start)).ok())
        .unwrap_or_else(Workspace::default_example)
}

#[derive(Properties, PartialEq)]
pub(super) struct ListProps {
    pub(super) lang: Lang,
    /// Opens a view with the work to show in it (an exercise, with the
    /// learner's saved work or its start).
    pub(super) on_open: Callback<(View, Option<Workspace>)>,
}

/// Every exercise with its level and whether it is solved.
pub(super) fn exercise_list(props: &ListProps) -> Html {
    let lang = props.lang;
    let solved = browser::solved_exercises();
    let all = crate::extras::exercise_catalogue();
    html! {
        <main class="exercises pane" data-testid="exercise-list">
            <h2>{ t(lang, "ui.exercises.title") }</h2>
            <p class="muted">{ tp(lang, "ui.exercises.progress", &[("solved", solved.iter().filter(|s| all.iter().any(|e| &e.id == *s)).count().to_string()), ("total", all.len().to_string())]) }</p>
            <ol>
                { for all.iter().map(|ex| {
                    let on_open = props.on_open.clone();
                    let ex2 = ex.clone();
                    let done = solved.contains(&ex.id);
                    let onclick = Callback::from(move |_| on_open.emit((View::Exercise(ex2.id.clone()), Some(exercise_workspace(&ex2)))));
                    html! {
                        <li class={classes!("exercise-item", done.then_some("solved"))} data-testid="exercise-item" data-id={ex.id.clone()} data-solved={done.to_string()}>
                            <button type="button" {onclick}>
                                <span class="mark-icon" aria-hidden="true">{ if done { "✓" } else { "○" } }</span>
                                <span class="result-name">{ t(lang, &ex.title) }</span>
                                <span class="badge">{ t(lang, &ex.level) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </main>
    }
}

/// Borrowed from the state: the panel is a plain function the app calls
/// while it renders, and the work is checked on every keystroke.
#[derive(PartialEq)]
pub(super) struct ExerciseProps<'a> {
    pub(super) lang: Lang,
    pub(super) id: &'a str,
    /// The learner's work, which the goals are checked against.
    pub(super) ws: &'a Workspace,
    /// How many hints are shown.
    pub(super) hints: usize,
    pub(super) solution_shown: bool,
    /// Shows the next hint.
    pub(super) on_hint: Callback<MouseEvent>,
    /// Puts the solution (this policy text) in the editor.
    pub(super) on_show_solution: Callback<String>,
    /// Goes back to the list of exercises.
    pub(super) on_back: Callback<MouseEvent>,
}

/// An open exercise: brief, goals checked live as the learner types,
/// hints on request, the solution after a confirm.
pub(super) fn exercise_panel(props: &ExerciseProps<'_>) -> Html {
    let lang = props.lang;
    let Some(ex) = crate::extras::exercise(props.id) else {
        return html! {};
    };
    let identity_policies: Vec<(usize, usize, String)> = props.ws.rest["identities"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(i, id)| {
            id["policies"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(j, p)| {
                    let text = p
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| kmsplay_playground::json_pretty(p));
                    (i, j, text)
                })
        })
        .collect();
    let checklist =
        crate::extras::exercise_check(&ex.id, &props.ws.policy, &identity_policies, lang);
    if checklist.all_met && !props.solution_shown {
        browser::mark_solved(&ex.id);
    }
    let on_solution = {
        let on_show_solution = props.on_show_solution.clone();
        let solution = ex.solution.clone();
        Callback::from(move |_| {
            if browser::confirm(&t(lang, "ui.exercise.confirm-solution")) {
                on_show_solution.emit(solution.clone());
            }
        })
    };
    html! {
        <section class="exercise pane" data-testid="exercise" data-id={ex.id.clone()} data-all-met={checklist.all_met.to_string()}>
            <div class="pane-head">
                <h2>{ t(lang, &ex.title) }</h2>
                <button type="button" onclick={props.on_back.clone()}>{ t(lang, "ui.exercise.back") }</button>
            </div>
            <p class="brief">{ t(lang, &ex.brief) }</p>
            <h3>{ tp(lang, "ui.exercise.goals", &[("met", checklist.goals.iter().filter(|g| g.met).count().to_string()), ("total", checklist.goals.len().to_string())]) }</h3>
            <ul class="goals" data-testid="goals">
                { for checklist.goals.iter().map(|g| html! {
                    <li class={classes!("goal", if g.met { "met" } else { "unmet" })} data-testid="goal" data-met={g.met.to_string()}>
                        <span class="mark-icon" aria-hidden="true">{ if g.met { "✓" } else { "✗" } }</span>
                        <span>{ t(lang, &g.text_id) }</span>
                        if let (false, Some(d)) = (g.met, &g.detail) {
                            <span class="goal-detail">{ d }</span>
                        }
                    </li>
                }) }
            </ul>
            if checklist.all_met {
                <p class="solved" role="status" data-testid="solved">{ t(lang, "ui.exercise.solved") }</p>
            }
            <ol class="hints">
                { for ex.hints.iter().take(props.hints).map(|h| html! { <li data-testid="hint">{ t(lang, h) }</li> }) }
            </ol>
            <div class="toolbar">
                <button type="button" data-testid="hint-button" onclick={props.on_hint.clone()} disabled={props.hints >= ex.hints.len()}>{ t(lang, "ui.exercise.hint") }</button>
                <button type="button" data-testid="solution-button" onclick={on_solution}>{ t(lang, "ui.exercise.solution") }</button>
            </div>
        </section>
    }
}

/// Opens the list of exercises once they (and the second module, which
/// reads them) are loaded; says so when they cannot be.
pub(super) fn open_exercises(
    on_open: Callback<(View, Option<Workspace>)>,
    on_notify: Callback<Notice>,
) {
    crate::loader::with_exercises(move |loaded| {
        if loaded {
            browser::set_query_param("exercise", None);
            on_open.emit((View::Exercises, None))
        } else {
            on_notify.emit(Notice {
                id: "ui.extras.failed".into(),
                params: Vec::new(),
                error: true,
            })
        }
    })
}
