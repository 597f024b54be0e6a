//! `kmsplay lifecycle FILE --action ACTION [--days N]`: disable, enable,
//! schedule or cancel deletion, let the waiting period end, rotate, let
//! imported key material expire — at the file's clock — and print the
//! EventBridge events KMS sends, the CloudTrail records it writes, the new
//! key state and what it means for each scenario. `--write` updates the
//! file (state, clock, event log).
//!
//! Exit status: 0 when the action happens, 1 when KMS refuses it (for
//! example `KMSInvalidStateException` for cancelling a deletion that is not
//! scheduled), 2 for an invalid file or argument.

use crate::format::Format;
use crate::grant::{load, print_json, write_back, PROGRAM};
use kmsplay_kms::lifecycle::Action;
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::lifecycle::{lifecycle_error_json, Session};
use std::process::ExitCode;

/// Arguments of `kmsplay lifecycle`.
#[derive(clap::Args)]
#[command(
    after_help = "Actions: enable, disable, schedule-deletion, cancel-deletion, delete, rotate,\n  enable-rotation, disable-rotation, import, expire-import, wait\n\nExample:\n  kmsplay lifecycle playground.json --action schedule-deletion --days 7 --format json --write\n  kmsplay lifecycle playground.json --action delete --format json"
)]
pub struct Args {
    /// The playground file; `-` reads standard input.
    file: String,
    /// What to do.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Action::NAMES))]
    action: String,
    /// Days: the waiting period (7–30), the rotation period (90–2560), how
    /// long imported material is valid, or how long to wait.
    #[arg(long)]
    days: Option<i64>,
    /// Write the result back into FILE.
    #[arg(long)]
    write: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `kmsplay lifecycle`.
pub fn run(args: Args, lang: Lang) -> ExitCode {
    let loaded = match load(&args.file, lang) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(action) = Action::parse(&args.action, args.days) else {
        return ExitCode::from(2);
    };
    let mut session = Session::new(&loaded.file);
    let change = match session.apply(action) {
        Ok(c) => c,
        Err(e) => {
            let v = lifecycle_error_json(&e, lang);
            match args.format {
                Format::Json => print_json(&serde_json::json!({ "error": v })),
                Format::Text => err!("{PROGRAM}: {}", v["message"].as_str().unwrap_or_default()),
            }
            return ExitCode::from(1);
        }
    };
    let v = session.change_json(&args.action, &change, lang);
    match args.format {
        Format::Json => print_json(&v),
        Format::Text => {
            // The state change, each event (a line and its JSON) and each
            // consequence are the data; "no EventBridge event was sent" is
            // a note, on standard error.
            out!(
                "{}",
                render(
                    lang,
                    "lifecycle.cli.state",
                    &[
                        ("before", change.before.as_str().into()),
                        ("after", change.after.as_str().into()),
                        ("clock", session.clock.iso()),
                    ]
                )
            );
            if change.events.is_empty() {
                err!("{}", text(lang, "lifecycle.cli.no-events"));
            }
            for e in &change.events {
                let id = if e.duplicate {
                    "lifecycle.cli.event-duplicate"
                } else {
                    "lifecycle.cli.event"
                };
                out!(
                    "{}",
                    render(
                        lang,
                        id,
                        &[
                            ("type", e.kind.detail_type().into()),
                            ("time", e.time.iso()),
                            ("id", e.id.clone()),
                        ]
                    )
                );
                out!("{}", kmsplay_playground::lifecycle::event_json(e));
            }
            for (scenario, items) in v["consequences"].as_object().into_iter().flatten() {
                for item in items.as_array().into_iter().flatten() {
                    out!(
                        "{}",
                        render(
                            lang,
                            "lifecycle.cli.consequence",
                            &[
                                ("scenario", scenario.clone()),
                                (
                                    "message",
                                    item["message"].as_str().unwrap_or_default().into()
                                ),
                            ]
                        )
                    );
                }
            }
        }
    }
    if args.write {
        if let Err(code) = write_back(&loaded, &session, lang) {
            return code;
        }
    }
    ExitCode::SUCCESS
}
