//! `kmsplay events match --pattern FILE --event FILE`: does an EventBridge
//! rule's event pattern match an event? `kmsplay events rules FILE`: which
//! rules of a playground file match which events of its event log.
//!
//! Exit status of `match`: 0 when the event matches, 1 when it does not
//! (the first field that failed is named), 2 when the pattern is not valid
//! (with its line and column) or a file cannot be read. `rules`: 0, or 2
//! for an invalid file or pattern.

use crate::format::Format;
use crate::grant::{load, print_json};
use kmsplay_events::{Pattern, PatternError};
use kmsplay_json::{LineIndex, Span};
use kmsplay_messages::{render, text, Lang};
use serde_json::{json, Value};
use std::process::ExitCode;

/// Arguments of `kmsplay events`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Match one event against one event pattern.
    #[command(
        after_help = "Example:\n  kmsplay events match --pattern rule.json --event deletion-event.json\n\nExit status: 0 match, 1 no match, 2 invalid pattern or unreadable file."
    )]
    Match {
        /// The event pattern (JSON); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        pattern: String,
        /// The event (JSON); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        event: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Match every event of a playground file's event log against its rules.
    Rules {
        /// The playground file; `-` reads standard input.
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// `kmsplay events …`.
pub fn run(args: Args, lang: Lang) -> ExitCode {
    match args.command {
        Sub::Match {
            pattern,
            event,
            format,
        } => match_one(&pattern, &event, format, lang),
        Sub::Rules { file, format } => rules(&file, format, lang),
    }
}

fn read_text(path: &str, lang: Lang) -> Result<String, ExitCode> {
    let bytes = crate::io::read_input(path, lang)?;
    String::from_utf8(bytes).map_err(|_| {
        err!(
            "{path}: {}[json-invalid-utf8]: {}",
            text(lang, "cli.error"),
            text(lang, "diag.json-invalid-utf8")
        );
        ExitCode::from(2)
    })
}

/// `file:line:col: error[code]: message`, the line and a caret.
fn print_error(path: &str, source: &str, span: Span, code: &str, message: &str, lang: Lang) {
    let index = LineIndex::new(source);
    let pos = index.position(span.start);
    err!(
        "{path}:{}:{}: {}[{code}]: {message}",
        pos.line,
        pos.column,
        text(lang, "cli.error")
    );
    let line = index.line_text(pos.line);
    if !line.is_empty() {
        err!("{:>5} | {line}", pos.line);
        err!("      | {}^", " ".repeat(pos.column.saturating_sub(1)));
    }
}

fn pattern_error_json(e: &PatternError, source: &str, lang: Lang) -> Value {
    let pos = LineIndex::new(source).position(e.span.start);
    json!({
        "code": e.code,
        "message": render(lang, &e.message_id(), &e.params),
        "line": pos.line,
        "column": pos.column,
        "start": e.span.start,
        "end": e.span.end,
    })
}

fn read_event(path: &str, lang: Lang) -> Result<Value, ExitCode> {
    let source = read_text(path, lang)?;
    match kmsplay_json::parse(&source) {
        Err(e) => {
            let message = render(lang, &format!("diag.{}", e.kind.code()), &e.kind.params());
            print_error(path, &source, e.span, e.kind.code(), &message, lang);
            Err(ExitCode::from(2))
        }
        Ok(_) => serde_json::from_str(&source).map_err(|_| ExitCode::from(2)),
    }
}

fn match_one(pattern_path: &str, event_path: &str, format: Format, lang: Lang) -> ExitCode {
    let source = match read_text(pattern_path, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let pattern = match Pattern::parse(&source) {
        Ok(p) => p,
        Err(e) => {
            let v = pattern_error_json(&e, &source, lang);
            match format {
                Format::Json => print_json(&json!({ "valid": false, "error": v })),
                Format::Text => print_error(
                    pattern_path,
                    &source,
                    e.span,
                    e.code,
                    v["message"].as_str().unwrap_or_default(),
                    lang,
                ),
            }
            return ExitCode::from(2);
        }
    };
    let event = match read_event(event_path, lang) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mismatch = pattern.explain(&event);
    match format {
        Format::Json => print_json(&json!({
            "valid": true,
            "matched": mismatch.is_none(),
            "mismatch": mismatch.as_ref().map(|m| json!({
                "path": m.path,
                "code": m.code,
                "message": render(lang, &m.message_id(), &m.params),
            })),
        })),
        // The answer line is the data (there are no notes to move).
        Format::Text => match &mismatch {
            None => out!("{}", text(lang, "events.cli.matched")),
            Some(m) => out!(
                "{}",
                render(
                    lang,
                    "events.cli.not-matched",
                    &[("reason", render(lang, &m.message_id(), &m.params))]
                )
            ),
        },
    }
    if mismatch.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn rules(path: &str, format: Format, lang: Lang) -> ExitCode {
    let loaded = match load(path, lang) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut results = Vec::new();
    for rule in &loaded.file.rules {
        let pattern = match Pattern::parse(&rule.pattern) {
            Ok(p) => p,
            Err(mut e) => {
                // Place the error in the file: inside an object pattern, or
                // at the string that holds the pattern.
                e.span = match rule.offset {
                    Some(o) => Span::new(e.span.start + o, e.span.end + o),
                    None => rule.span,
                };
                let message = render(lang, &e.message_id(), &e.params);
                print_error(path, &loaded.text, e.span, e.code, &message, lang);
                return ExitCode::from(2);
            }
        };
        let matched: Vec<Value> = loaded
            .file
            .events
            .iter()
            .filter(|ev| pattern.matches(ev))
            .map(|ev| ev["id"].clone())
            .collect();
        results.push(json!({ "rule": rule.name, "matched": matched }));
    }
    match format {
        Format::Json => print_json(&json!({ "rules": results })),
        // One line per rule, the data (there are no notes to move).
        Format::Text => {
            for r in &results {
                let ids: Vec<&str> = r["matched"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                out!(
                    "{}",
                    render(
                        lang,
                        "events.cli.rule",
                        &[
                            ("rule", r["rule"].as_str().unwrap_or_default().into()),
                            ("count", ids.len().to_string()),
                            ("events", ids.join(", ")),
                        ]
                    )
                );
            }
        }
    }
    ExitCode::SUCCESS
}
