//! The public types of the import: inputs, options, what it made, notes
//! and errors (a module of its own, so that every other module can use
//! them without going through the crate root).

use kmsplay_json::{LineIndex, ParseError, Span};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The largest input read, compressed or not: 64 MiB. A bigger file is
/// refused with this limit in the message (split the log, or filter it
/// with `jq` first).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The largest text a gzip input may inflate to: 64 MiB. Inflating stops
/// there, so a gzip bomb costs at most this much.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// One input: a name for messages (a file name, `-`, `pasted text 1`) and
/// its bytes (text, or gzip).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What to call it in messages.
    pub name: &'a str,
    /// Its content.
    pub bytes: &'a [u8],
}

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only this key (its ARN, key id or an alias of it); records for other
    /// keys are skipped and counted.
    pub key: Option<String>,
}

/// What an import made.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// One playground file per key, ordered by key ARN.
    pub files: Vec<ImportedFile>,
    /// What each input was recognised as, in input order.
    pub inputs: Vec<InputSummary>,
    /// What is missing, what was assumed, and where the playground and AWS
    /// disagree (each note once, with how many times it applied).
    pub notes: Vec<Note>,
}

/// One playground file.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedFile {
    /// The key's ARN.
    pub key: String,
    /// How many requests it holds.
    pub requests: usize,
    /// Of those with an `expect`, how many the playground decides as AWS did.
    pub agree: usize,
    /// … and how many it does not.
    pub disagree: usize,
    /// The playground file, as JSON text.
    pub text: String,
}

/// What one input was recognised as.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// The input's name.
    pub name: String,
    /// `cloudtrail-record`, `cloudtrail-log`, `cloudtrail-lookup-events`,
    /// `cloudtrail-lake`, `cloudtrail-records`, `kms-get-key-policy`,
    /// `key-policy`, `kms-describe-key`, `kms-list-grants`,
    /// `kms-list-resource-tags`, `kms-list-aliases`,
    /// `iam-authorization-details`, `access-denied-message`.
    pub kind: &'static str,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Records (or entries) used.
    pub used: usize,
    /// Records (or entries) skipped, by reason.
    pub skipped: Vec<Skipped>,
}

/// Records skipped for one reason.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// `other-service`, `unknown-operation`, `no-key`, `key-unknown`,
    /// `caller-unknown`, `no-record`, `not-kms-key`, `unknown-grant-operation`,
    /// `no-target`.
    pub reason: &'static str,
    /// How many.
    pub count: usize,
}

/// A note for a person: a message id under `import.note.` and its
/// parameters (the sentences are in `crates/messages/locales/*/import.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The message id.
    pub code: &'static str,
    /// Its parameters.
    pub params: Vec<(&'static str, String)>,
    /// How many times it applied (requests, records).
    pub count: usize,
}

impl Serialize for Note {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("code", self.code)?;
        m.serialize_entry("params", &Params(&self.params))?;
        m.serialize_entry("count", &self.count)?;
        m.end()
    }
}

pub(crate) struct Params<'a>(&'a [(&'static str, String)]);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Why an input could not be imported: a message id under `import.error.`
/// (or a JSON parse code), the input it is about, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The message id (`import.error.unrecognised`, `json-unexpected-end`, …).
    pub code: &'static str,
    /// The input's name.
    pub file: String,
    /// The byte span in the input's text (after gzip), when there is one.
    pub span: Option<Span>,
    /// The 1-based line and column: in the input's text, or — when
    /// `inner` is set — in the text held by that field (a policy inside
    /// `Policy`, a record inside `CloudTrailEvent`).
    pub line: Option<u32>,
    /// See `line`.
    pub column: Option<u32>,
    /// The field whose string held the text `line` and `column` count in.
    pub inner: Option<Box<str>>,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl Serialize for ImportError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.code)?;
        m.serialize_entry("file", &self.file)?;
        m.serialize_entry("line", &self.line)?;
        m.serialize_entry("column", &self.column)?;
        m.serialize_entry("inner", &self.inner)?;
        m.serialize_entry("params", &Params(&self.params))?;
        m.end()
    }
}

impl ImportError {
    pub(crate) fn new(code: &'static str, file: &str) -> ImportError {
        ImportError {
            code,
            file: file.to_string(),
            span: None,
            line: None,
            column: None,
            inner: None,
            params: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> ImportError {
        self.params.push((name, value.into()));
        self
    }

    /// Places the error at `start..end` of `text` (the input's text).
    pub(crate) fn at(mut self, text: &str, start: usize, end: usize) -> ImportError {
        let p = LineIndex::new(text).position(start);
        self.span = Some(Span::new(start.min(text.len()), end.min(text.len())));
        self.line = Some(clamp(p.line));
        self.column = Some(clamp(p.column));
        self
    }

    /// A JSON error of the input's text.
    pub(crate) fn json(file: &str, text: &str, e: &ParseError) -> ImportError {
        let mut err = ImportError::new(e.kind.code(), file).at(text, e.span.start, e.span.end);
        err.params.extend(e.kind.params());
        err
    }

    /// A JSON error inside the string at `outer` (the field `field`), placed
    /// in that string's own text.
    pub(crate) fn json_inner(
        file: &str,
        text: &str,
        outer: Span,
        field: &str,
        inner_text: &str,
        e: &ParseError,
    ) -> ImportError {
        let p = LineIndex::new(inner_text).position(e.span.start);
        let mut err = ImportError::new(e.kind.code(), file);
        err.params.extend(e.kind.params());
        err.span = Some(Span::new(
            outer.start.min(text.len()),
            outer.end.min(text.len()),
        ));
        err.line = Some(clamp(p.line));
        err.column = Some(clamp(p.column));
        err.inner = Some(field.into());
        err
    }

    /// The parameters of its message, the file and the place included.
    pub fn message_params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("file", self.file.clone())];
        if let (Some(l), Some(c)) = (self.line, self.column) {
            params.push(("line", l.to_string()));
            params.push(("column", c.to_string()));
        }
        if let Some(f) = &self.inner {
            params.push(("field", f.to_string()));
        }
        params.extend(self.params.iter().cloned());
        params
    }
}

/// A line or column as stored (an input is at most 64 MiB, so it fits).
fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
