//! `kmsplay records FILE`: the CloudTrail record AWS would write for each
//! request of a playground file (a JSON array, in request order), at the
//! file's clock plus one second per request.
//!
//! Exit status: 0, or 2 when the file is not a valid playground file.

use crate::format::Format;
use crate::grant::{load, print_json};
use kmsplay_messages::Lang;
use serde_json::Value;
use std::process::ExitCode;

/// Arguments of `kmsplay records`.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  kmsplay records tests/playground/cloudtrail-trail.json")]
pub struct Args {
    /// The playground file; `-` reads standard input.
    file: String,
    /// Output format (the records are JSON in either).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `kmsplay records FILE`: the records, a JSON array, are the data and all
/// there is, in either format.
pub fn run(args: Args, lang: Lang) -> ExitCode {
    let _ = args.format; // The records are JSON in either format.
    let loaded = match load(&args.file, lang) {
        Ok(l) => l,
        Err(code) => return code,
    };
    print_json(&Value::Array(kmsplay_playground::lifecycle::records(
        &loaded.file,
    )));
    ExitCode::SUCCESS
}
