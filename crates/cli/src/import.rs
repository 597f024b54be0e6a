//! `kmsplay import FILE... [-] [--key KEY] [--out-dir DIR]`: what AWS
//! printed (CloudTrail records and log files, `aws kms` and `aws iam`
//! output, an AccessDenied message) as a playground file.
//!
//! Standard output has the playground file (JSON, in either format);
//! standard error what each input was recognised as and what is missing.
//! Nothing is written until every input has been read: an error leaves
//! standard output (and `--out-dir`) untouched. Exit status: 0, or 2 for
//! an input that cannot be imported (the error names the file), for
//! several keys without `--key` or `--out-dir`, or for no key at all.

use crate::format::Format;
use crate::io::{write_err, write_out};
use kmsplay_import::{ImportError, Imported, Input, Options, MAX_INPUT_BYTES};
use kmsplay_messages::{render, Lang};
use std::io::Read;
use std::process::ExitCode;

/// Arguments of `kmsplay import`.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  kmsplay import record.json get-key-policy.json describe-key.json > file.json\n  kmsplay simulate file.json\n  kmsplay import 111122223333_CloudTrail_us-west-2_20250520T2045Z.json.gz --out-dir imported/\n\nExit status: 0, or 2 when an input cannot be imported (the error names the file), or when the import has several keys and neither --key nor --out-dir."
)]
pub struct Args {
    /// The inputs; `-` reads standard input. Each is recognised by its shape.
    #[arg(required = true)]
    files: Vec<String>,
    /// Only this key (its ARN, key id or an alias).
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// Write one playground file per key into this directory (KEY-ID.json).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<String>,
    /// Notes on standard error as words (text) or one JSON document (json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Reads at most one byte past the limit, so a 100 MB file is refused
/// without being read whole.
fn read_limited(path: &str) -> std::io::Result<Vec<u8>> {
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// `kmsplay import`.
pub fn run(args: Args, lang: Lang) -> ExitCode {
    let mut contents = Vec::with_capacity(args.files.len());
    for path in &args.files {
        match read_limited(path) {
            Ok(b) => contents.push(b),
            Err(e) => {
                say_error(
                    lang,
                    "cli.cannot-read",
                    &[("file", path.clone()), ("error", e.to_string())],
                );
                return ExitCode::from(2);
            }
        }
    }
    let inputs: Vec<Input<'_>> = args
        .files
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let options = Options {
        key: args.key.clone(),
    };
    let imported = match kmsplay_import::import(&inputs, &options) {
        Ok(i) => i,
        Err(e) => {
            print_import_error(&e, lang);
            return ExitCode::from(2);
        }
    };
    drop(contents);
    print_notes(&imported, matches!(args.format, Format::Json), lang);
    if imported.files.is_empty() {
        say_error(lang, "import.error.no-key", &[]);
        return ExitCode::from(2);
    }
    if let Some(dir) = &args.out_dir {
        return write_all(dir, &imported, lang);
    }
    if imported.files.len() > 1 {
        let keys: Vec<&str> = imported.files.iter().map(|f| f.key.as_str()).collect();
        say_error(
            lang,
            "import.error.several-keys",
            &[("count", keys.len().to_string()), ("keys", keys.join(", "))],
        );
        return ExitCode::from(2);
    }
    write_out(&imported.files[0].text);
    ExitCode::SUCCESS
}

fn write_all(dir: &str, imported: &Imported, lang: Lang) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        say_error(
            lang,
            "import.error.cannot-write",
            &[("path", dir.to_string()), ("error", e.to_string())],
        );
        return ExitCode::from(2);
    }
    for file in &imported.files {
        let id = file.key.rsplit('/').next().unwrap_or("key");
        let path = std::path::Path::new(dir).join(format!("{id}.json"));
        let shown = path.display().to_string();
        if let Err(e) = std::fs::write(&path, &file.text) {
            say_error(
                lang,
                "import.error.cannot-write",
                &[("path", shown), ("error", e.to_string())],
            );
            return ExitCode::from(2);
        }
        write_err(&format!(
            "{}\n",
            render(lang, "import.wrote", &[("path", shown)])
        ));
    }
    ExitCode::SUCCESS
}

fn say_error(lang: Lang, id: &str, params: &[(&str, String)]) {
    write_err(&format!("kmsplay: {}\n", render(lang, id, params)));
}

fn print_import_error(e: &ImportError, lang: Lang) {
    write_err(&format!(
        "kmsplay: {} [{}]\n",
        kmsplay_import::error_message(e, lang),
        e.code
    ));
}

/// What each input was, the files made, and the notes: on standard error.
fn print_notes(imported: &Imported, json: bool, lang: Lang) {
    if json {
        let doc = serde_json::json!({
            "inputs": imported.inputs,
            "files": imported.files.iter().map(|f| serde_json::json!({
                "key": f.key, "requests": f.requests, "agree": f.agree, "disagree": f.disagree,
            })).collect::<Vec<_>>(),
            "notes": imported.notes.iter().map(|n| {
                serde_json::json!({
                    "code": n.code,
                    "params": n.params.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<String, serde_json::Value>>(),
                    "count": n.count,
                    "message": kmsplay_import::note_message(n, lang),
                })
            }).collect::<Vec<_>>(),
        });
        write_err(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        ));
        return;
    }
    let described = kmsplay_import::describe(imported, lang);
    let mut out = String::new();
    for input in &described.inputs {
        out.push_str(&input.line);
        out.push('\n');
        for skipped in &input.skipped {
            out.push_str("  ");
            out.push_str(skipped);
            out.push('\n');
        }
    }
    for file in &described.files {
        out.push_str(file);
        out.push('\n');
    }
    for note in &described.notes {
        out.push_str("- ");
        out.push_str(note);
        out.push('\n');
    }
    write_err(&out);
}
