//! Import what AWS printed — CloudTrail records and log files, the output
//! of `aws kms` and `aws iam` commands, an `AccessDeniedException` message —
//! as playground files (`shared/spec/playground-file.md`), one per key, each
//! request carrying an `expect` taken from what AWS answered; then run them
//! through the engine and say what is missing where the playground cannot
//! reproduce AWS's answer.
//!
//! ```
//! use kmsplay_import::{import, Input, Options};
//! let record = br#"{"eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
//!   "eventTime": "2025-05-20T20:45:00Z", "awsRegion": "us-west-2",
//!   "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/Alice", "accountId": "111122223333"},
//!   "resources": [{"ARN": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#;
//! let imported = import(&[Input { name: "record.json", bytes: record }], &Options::default()).unwrap();
//! assert_eq!(imported.files.len(), 1);
//! assert_eq!(imported.inputs[0].kind, "cloudtrail-record");
//! ```
//!
//! No file system here: the crate builds for wasm32 too (the page imports
//! pasted and dropped files with it).
#![deny(missing_docs)]

mod aws;
mod cloudtrail;
mod compare;
mod denied;
mod facts;
mod input;
mod kind;
mod model;
mod scan;
mod tally;
mod types;

pub use denied::{parse_access_denied, AccessDenied};
pub use types::{
    ImportError, Imported, ImportedFile, Input, InputSummary, Note, Options, Skipped,
    MAX_INPUT_BYTES, MAX_TEXT_BYTES,
};

/// Imports the inputs: recognises each by its shape, builds one playground
/// file per key (or only `options.key`'s), runs each through the engine
/// and compares with what AWS answered.
pub fn import(inputs: &[Input<'_>], options: &Options) -> Result<Imported, ImportError> {
    let mut texts = Vec::with_capacity(inputs.len());
    for input in inputs {
        texts.push(input::text_of(input.name, input.bytes)?);
    }
    let mut builder = model::Builder::new(options);
    let mut summaries = Vec::with_capacity(inputs.len());
    // Everything but records first: the aliases of `list-aliases` say
    // which key a record naming an alias used, and the policies and
    // metadata belong to keys the records name.
    let mut kinds = Vec::with_capacity(inputs.len());
    for (input, text) in inputs.iter().zip(&texts) {
        kinds.push(aws::recognise(input.name, &text.text)?);
    }
    for ((input, text), kind) in inputs.iter().zip(&texts).zip(&kinds) {
        if !kind.is_records() {
            let s = aws::read_outputs(&mut builder, input.name, &text.text, *kind)?;
            summaries.push(Some(s));
        } else {
            summaries.push(None);
        }
    }
    for (i, ((input, text), kind)) in inputs.iter().zip(&texts).zip(&kinds).enumerate() {
        if kind.is_records() {
            let s = cloudtrail::read_records(&mut builder, input.name, &text.text, *kind)?;
            summaries[i] = Some(s);
        }
    }
    let summaries = summaries
        .into_iter()
        .zip(&texts)
        .map(|(s, t)| {
            let mut s: InputSummary = s.expect("every input read");
            s.gzip = t.gzip;
            s
        })
        .collect();
    let (files, notes) = builder.finish();
    Ok(Imported {
        files,
        inputs: summaries,
        notes,
    })
}

/// An import error's sentence, with the file and the place, in `lang`.
pub fn error_message(e: &ImportError, lang: kmsplay_messages::Lang) -> String {
    use kmsplay_messages::{exists, render};
    let params = e.message_params();
    if e.code.starts_with("import.") {
        return render(lang, e.code, &params);
    }
    // A JSON error: the parser's sentence, placed.
    let id = format!("diag.{}", e.code);
    let message = if exists(&id) {
        render(lang, &id, &params)
    } else {
        e.code.to_string()
    };
    let mut placed = params;
    placed.push(("message", message));
    let wrapper = if e.inner.is_some() {
        "import.error.inner"
    } else {
        "import.error.at"
    };
    render(lang, wrapper, &placed)
}

/// A note's sentence in `lang`.
pub fn note_message(n: &Note, lang: kmsplay_messages::Lang) -> String {
    kmsplay_messages::render(lang, n.code, &n.params)
}

/// What an import made, in sentences for a person: what each input was
/// recognised as, each file built, and the notes. The command line's text
/// and the page's "Import from AWS" room both print these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// One per input, in input order.
    pub inputs: Vec<DescribedInput>,
    /// One sentence per playground file built.
    pub files: Vec<String>,
    /// One sentence per note (with how many times it applied, past one).
    pub notes: Vec<String>,
}

/// What one input was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedInput {
    /// The input's name.
    pub name: String,
    /// "FILE: KIND; N used".
    pub line: String,
    /// A sentence per reason records were skipped.
    pub skipped: Vec<String>,
}

/// [`Described`] of `imported`, in `lang`.
pub fn describe(imported: &Imported, lang: kmsplay_messages::Lang) -> Described {
    use kmsplay_messages::render;
    let inputs = imported
        .inputs
        .iter()
        .map(|s| {
            let gzip = if s.gzip {
                render(lang, "import.gzip", &[])
            } else {
                String::new()
            };
            let kind = render(lang, &format!("import.kind.{}", s.kind), &[]);
            DescribedInput {
                name: s.name.clone(),
                line: render(
                    lang,
                    "import.recognised",
                    &[
                        ("file", s.name.clone()),
                        ("kind", kind),
                        ("gzip", gzip),
                        ("used", s.used.to_string()),
                    ],
                ),
                skipped: s
                    .skipped
                    .iter()
                    .map(|k| {
                        let reason = render(lang, &format!("import.skip.{}", k.reason), &[]);
                        render(
                            lang,
                            "import.skipped",
                            &[("count", k.count.to_string()), ("reason", reason)],
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let files = imported
        .files
        .iter()
        .map(|f| {
            render(
                lang,
                "import.file",
                &[
                    ("key", f.key.clone()),
                    ("requests", f.requests.to_string()),
                    ("agree", f.agree.to_string()),
                    ("disagree", f.disagree.to_string()),
                ],
            )
        })
        .collect();
    let notes = imported
        .notes
        .iter()
        .map(|n| {
            let mut s = note_message(n, lang);
            if n.count > 1 {
                s.push(' ');
                s.push_str(&render(
                    lang,
                    "import.times",
                    &[("count", n.count.to_string())],
                ));
            }
            s
        })
        .collect();
    Described {
        inputs,
        files,
        notes,
    }
}
