//! `kmsplay snippet ID [--param k=v …] [--merge FILE]`: the statements the
//! documents prescribe for a scenario, for the user's own names; with
//! `--merge`, the policy in FILE with those statements added (printed on
//! standard output; the file is not changed).
//!
//! Exit status: 0, or 2 for an unknown scenario, a bad parameter, or a
//! policy file that cannot be read or edited.

use crate::format::Format;
use crate::scenario::{find, read_params, read_text, say, say_json, warn};
use kmsplay_json::LineIndex;
use kmsplay_lab::{merge, snippets};
use kmsplay_messages::{render, text, Lang};
use serde_json::json;
use std::process::ExitCode;

fn print_other_policies(s: &snippets::Snippet, lang: Lang, print: fn(String)) {
    for other in &s.other_policies {
        print(String::new());
        print(render(
            lang,
            other.label,
            &[("principal", other.attach_to.clone())],
        ));
        print(snippets::pretty(&other.policy));
    }
}

/// `kmsplay snippet ID [--param k=v …] [--merge FILE] [--format json|text]`.
///
/// JSON: without `--merge`, the document the npm package's `snippet()`
/// gives ([`snippets::Snippet::to_json`]: `scenario`, `params`,
/// `statements`, `statements_text`, `policy`, `other_policies`); with
/// `--merge`, `{"scenario", "params", "file", "text" (the merged policy),
/// "added", "skipped", "filled"` (counts, named as the page's merge names
/// them), `"renamed_sids": [{"statement", "sid"}], "other_policies"}`.
pub fn run(
    id: &str,
    params: &[String],
    merge_path: Option<&str>,
    format: Format,
    lang: Lang,
) -> ExitCode {
    let s = match find(id, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let p = match read_params(s, params, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let snippet = snippets::snippet(s, &p);
    let json = matches!(format, Format::Json);
    if json && merge_path.is_none() {
        say_json(&snippet.to_json(&p, lang));
        return ExitCode::SUCCESS;
    }
    let Some(path) = merge_path else {
        // The key-policy statements alone on standard output, as a JSON
        // array, so `kmsplay snippet ID > statements.json` is JSON; the
        // header and the policies other principals need (each with its
        // label saying where it goes) are notes, on standard error, as
        // with --merge. `--format json` has them all in one document.
        warn(text(lang, "snippet.cli.key-policy"));
        say(snippet.statements_text());
        print_other_policies(&snippet, lang, warn);
        return ExitCode::SUCCESS;
    };
    let policy = match read_text(path, lang) {
        Ok(t) => t,
        Err(code) => return code,
    };
    match merge::merge(&policy, &snippet.statements) {
        Ok(r) if json => {
            let mut v = json!({
                "scenario": s.id,
                "params": p.to_json(),
                "file": path,
                "text": r.text,
                "added": r.added.len(),
                "skipped": r.skipped_duplicates.len(),
                "filled": r.filled_in.len(),
                "renamed_sids": r.renamed_sids.iter().map(|(index, sid)| {
                    json!({ "statement": index + 1, "sid": sid })
                }).collect::<Vec<_>>(),
            });
            v["other_policies"] = snippet.to_json(&p, lang)["other_policies"].take();
            say_json(&v);
            ExitCode::SUCCESS
        }
        Ok(r) => {
            // The merged policy alone on standard output, so it can be
            // redirected to a file; the notes go to standard error.
            say(&r.text);
            warn(render(
                lang,
                "snippet.cli.merged",
                &[
                    ("file", path.to_string()),
                    ("added", r.added.len().to_string()),
                    ("skipped", r.skipped_duplicates.len().to_string()),
                ],
            ));
            if !r.filled_in.is_empty() {
                warn(render(
                    lang,
                    "snippet.cli.filled-in",
                    &[("count", r.filled_in.len().to_string())],
                ));
            }
            for (index, sid) in &r.renamed_sids {
                warn(render(
                    lang,
                    "snippet.cli.renamed",
                    &[("index", (index + 1).to_string()), ("sid", sid.clone())],
                ));
            }
            print_other_policies(&snippet, lang, warn);
            ExitCode::SUCCESS
        }
        Err(e) => {
            let pos = LineIndex::new(&policy).position(e.span.start);
            warn(format!(
                "{path}:{}:{}: {}[{}]: {}",
                pos.line,
                pos.column,
                text(lang, "cli.error"),
                e.code,
                render(lang, &e.message_id(), &e.params)
            ));
            ExitCode::from(2)
        }
    }
}
