//! `kmsplay exercise list | show ID | start ID | check ID FILE | new`: the
//! exercises of `exercises/`, checked against a learner's key policy. Every
//! sentence comes from the message catalogues; the rules live in
//! `kmsplay_lab::exercises`.
//!
//! Exit status of `check`: 0 when every goal is met, 1 when one is not, 2
//! for an unknown exercise or a file that cannot be read.

use crate::format::Format;
use crate::scenario::{read_text, say, say_json, warn};
use kmsplay_json::LineIndex;
use kmsplay_lab::exercises::{self, Exercise};
use kmsplay_messages::{render, text, Lang};
use serde_json::{json, Value};
use std::process::ExitCode;

/// The exercise `id`, or a message and exit status 2.
fn find(id: &str, lang: Lang) -> Result<Exercise, ExitCode> {
    exercises::exercise(id).ok_or_else(|| {
        warn(format!(
            "kmsplay: {}",
            render(lang, "exercise.cli.unknown", &[("id", id.to_string())])
        ));
        ExitCode::from(2)
    })
}

/// `kmsplay exercise list`: id, level and title of every exercise. Those
/// lines are the data; the header saying what to do with an id is a hint,
/// on standard error. JSON: `[{"id", "level", "level_label", "title"}]`,
/// those fields of [`Exercise::to_json`].
pub fn list(format: Format, lang: Lang) -> ExitCode {
    for e in exercises::errors() {
        warn(format!("kmsplay: {}", e.message(lang)));
    }
    let all = exercises::catalogue();
    if let Format::Json = format {
        let list: Vec<Value> = all
            .iter()
            .map(|e| {
                let v = e.to_json(lang);
                json!({
                    "id": v["id"],
                    "level": v["level"],
                    "level_label": v["level_label"],
                    "title": v["title"],
                })
            })
            .collect();
        say_json(&Value::Array(list));
        return ExitCode::SUCCESS;
    }
    warn(text(lang, "exercise.cli.list-header"));
    let id_width = all.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let levels: Vec<String> = all.iter().map(|e| text(lang, &e.level.label())).collect();
    let level_width = levels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (e, level) in all.iter().zip(&levels) {
        let pad = level_width.saturating_sub(level.chars().count());
        say(format!(
            "  {:id_width$}  {level}{}  {}",
            e.id,
            " ".repeat(pad),
            text(lang, &e.title)
        ));
    }
    ExitCode::SUCCESS
}

/// `kmsplay exercise show ID [--hints]`: the brief, what to edit, the goals
/// and, when asked, the hints. Title, level, what to edit, the brief, the
/// numbered goals and hints are the data (blocks apart by blank lines); the
/// headings `Goals:` and `Hints:` are for people, on standard error.
/// JSON: [`Exercise::to_json`] without what `show` does not print: the
/// solution, and the hints unless `--hints`.
pub fn show(id: &str, hints: bool, format: Format, lang: Lang) -> ExitCode {
    let ex = match find(id, lang) {
        Ok(e) => e,
        Err(code) => return code,
    };
    if let Format::Json = format {
        let mut v = ex.to_json(lang);
        if let Some(o) = v.as_object_mut() {
            o.remove("solution");
            if !hints {
                o.remove("hints");
            }
        }
        say_json(&v);
        return ExitCode::SUCCESS;
    }
    say(format!("{} ({})", text(lang, &ex.title), ex.id));
    say(render(
        lang,
        "exercise.cli.level",
        &[("level", text(lang, &ex.level.label()))],
    ));
    let paths: Vec<String> = ex.editable.iter().map(|e| e.path()).collect();
    say(render(
        lang,
        "exercise.cli.editable",
        &[("paths", paths.join(", "))],
    ));
    say("");
    say(text(lang, &ex.brief));
    say("");
    warn(text(lang, "exercise.cli.goals"));
    for (i, g) in ex.goals.iter().enumerate() {
        say(format!("  {}. {}", i + 1, text(lang, &g.text)));
    }
    if hints {
        say("");
        warn(text(lang, "exercise.cli.hints"));
        for (i, h) in ex.hints.iter().enumerate() {
            say(format!("  {}. {}", i + 1, text(lang, h)));
        }
    }
    ExitCode::SUCCESS
}

/// `kmsplay exercise start ID`: the starting playground file, to edit and
/// check. The file is the data, and all there is: nothing goes to standard
/// error.
pub fn start(id: &str, lang: Lang) -> ExitCode {
    let ex = match find(id, lang) {
        Ok(e) => e,
        Err(code) => return code,
    };
    say(serde_json::to_string_pretty(&ex.start).unwrap_or_default());
    ExitCode::SUCCESS
}

/// `kmsplay exercise check ID FILE`: every goal with ✓ or ✗, and why a goal
/// is not met. FILE is the key policy, or a playground file whose
/// `key.policy` (and editable identity policies) hold the learner's work;
/// `-` reads standard input. The goal lines (✓ or ✗, and why) are the
/// data; the title above them and the count and "solved" lines below are
/// for people, on standard error (the JSON has `met`, `total`, `all_met`).
/// JSON: `{"exercise", "title"}` and [`exercises::Checklist::to_json`],
/// each goal's `span` also with the `line` and `column` the text gives.
pub fn check(id: &str, path: &str, format: Format, lang: Lang) -> ExitCode {
    let ex = match find(id, lang) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let input = match read_text(path, lang) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let work = exercises::read_work(&ex, &input);
    let checklist = exercises::check(&ex, &work.key_policy, &work.identity_policies);
    let index = LineIndex::new(&work.key_policy);
    let exit = if checklist.all_met {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if let Format::Json = format {
        let mut v = json!({ "exercise": ex.id, "title": text(lang, &ex.title) });
        let mut list = checklist.to_json(lang);
        for (g, goal) in list["goals"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .zip(&checklist.goals)
        {
            if let Some(span) = goal.span {
                let p = index.position(span.start);
                g["span"]["line"] = json!(p.line);
                g["span"]["column"] = json!(p.column);
            }
        }
        if let (Some(o), Value::Object(l)) = (v.as_object_mut(), list) {
            o.extend(l);
        }
        say_json(&v);
        return exit;
    }
    warn(format!("{} ({})", text(lang, &ex.title), ex.id));
    for g in &checklist.goals {
        let mark = if g.met { "✓" } else { "✗" };
        say(format!("  {mark} {}", text(lang, &g.text_id)));
        if g.met {
            continue;
        }
        let mut why = Vec::new();
        if let Some(name) = &g.request {
            why.push(format!("\"{name}\""));
        }
        if let Some(got) = &g.got {
            why.push(render(lang, "exercise.cli.got", &[("got", got.clone())]));
        }
        if let Some(span) = g.span {
            let p = index.position(span.start);
            why.push(render(
                lang,
                "exercise.cli.at",
                &[
                    ("line", p.line.to_string()),
                    ("column", p.column.to_string()),
                ],
            ));
        }
        if let Some(d) = &g.detail {
            why.push(d.message(lang));
        }
        if !why.is_empty() {
            say(format!("      {}", why.join(": ")));
        }
    }
    warn("");
    warn(render(
        lang,
        "exercise.cli.summary",
        &[
            ("met", checklist.met().to_string()),
            ("total", checklist.goals.len().to_string()),
        ],
    ));
    if checklist.all_met {
        warn(text(lang, "exercise.cli.solved"));
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `kmsplay exercise new`: a template exercise file for instructors (JSON,
/// its explanations in `_comment` fields): the data, all of it.
pub fn new(lang: Lang) -> ExitCode {
    let t = exercises::new_template_in(lang);
    say(t.trim_end());
    ExitCode::SUCCESS
}
