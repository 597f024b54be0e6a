//! A file's report: read, run and answered (the answers are the types of
//! [`crate::answer`], their sentences come from [`crate::words`]).

use crate::answer::{report_answer, request_answer, ReportAnswer, RequestAnswer, TraceSpans};
use crate::decide::{decide_for_trace, run, RequestResult};
use crate::file::{FileError, PlaygroundFile};
use kmsplay_kms::TraceInputs;
use kmsplay_messages::Lang;
use serde_json::Value;

/// The full answer, trace included, of request `index` of a playground
/// file's text (what a page shows when a row is opened).
pub fn request_trace(text: &str, index: usize, lang: Lang) -> Option<RequestAnswer> {
    let file = crate::read(text).ok()?;
    let spec = file.requests.get(index)?;
    let (r, inputs) = decide_for_trace(&file, spec);
    let spans = TraceSpans::new(&file, text);
    Some(request_answer(
        &file,
        spec,
        &r,
        lang,
        Some((&inputs, &spans)),
    ))
}

/// A file's results, ready to print.
#[derive(Debug, Clone)]
pub struct Report {
    /// The answer (`{"results": [...], "diagnostics": [...], "summary": {...}}`).
    pub answer: ReportAnswer,
    /// True when every `expect` was met.
    pub all_met: bool,
}

impl Report {
    /// The answer as a JSON tree.
    pub fn json(&self) -> Value {
        serde_json::to_value(&self.answer).expect("answers serialise")
    }
}

/// Reads, runs and reports a playground file's text. `detail` adds the
/// full trace of every request.
pub fn simulate_json(text: &str, lang: Lang, detail: bool) -> Result<Report, FileError> {
    let file = crate::read(text)?;
    Ok(report_file(&file, text, lang, detail))
}

/// Runs and reports an already read file (`text` is what it was read from,
/// for line and column numbers).
pub fn report_file(file: &PlaygroundFile, text: &str, lang: Lang, detail: bool) -> Report {
    let (results, traces): (Vec<RequestResult>, Vec<TraceInputs>) = if detail {
        file.requests
            .iter()
            .map(|spec| decide_for_trace(file, spec))
            .unzip()
    } else {
        (run(file, false), Vec::new())
    };
    let answer = report_answer(file, text, &results, &traces, lang, None);
    Report {
        all_met: answer.all_met(),
        answer,
    }
}
