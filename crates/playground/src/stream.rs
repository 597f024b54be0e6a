//! A playground file's report, one request at a time: for files with a
//! great many requests (a day of CloudTrail for a busy account is hundreds
//! of thousands), whose whole report — every request read, decided, traced
//! and answered — would not fit in memory.
//!
//! [`read_streaming`] reads the file once, handing each request to the
//! reader as it is parsed and keeping none of them (so a bad request is
//! still found before anything is printed); [`StreamedFile::answer_each`]
//! reads the requests again, one at a time, and gives each one's answer as
//! soon as it is decided. The answers, the diagnostics and the summary are
//! exactly those of [`crate::report_file`]: the command line prints the
//! same bytes either way (a test compares them for every file in `tests/`).

use crate::answer::{self, request_answer, DiagnosticAnswer, RequestAnswer, Summary, TraceSpans};
use crate::decide::{decide, decide_for_trace};
use crate::file::{read, read_request, read_tree, FileError, PlaygroundFile, RequestSpec};
use kmsplay_json::parse_borrowed_streaming;
use kmsplay_kms::Decision;
use kmsplay_messages::Lang;

/// The member of the file whose items are streamed.
const REQUESTS: &str = "requests";

/// A playground file read for streaming: everything but its requests.
/// It can be shared by threads (`Sync`): see [`StreamedFile::answer`].
#[derive(Debug)]
pub struct StreamedFile<'t> {
    /// The file, with no requests (they are read one at a time).
    file: PlaygroundFile,
    text: &'t str,
    requests: usize,
}

/// Reads a playground file for streaming. The same checks and errors as
/// [`crate::read`]; `Ok(None)` when the file cannot be streamed exactly: a
/// request has a session or VPC endpoint policy of its own, whose
/// diagnostics the report lists beside the key's and the identities'
/// before any result (read it whole then, with [`crate::read`]).
pub fn read_streaming(text: &str) -> Result<Option<StreamedFile<'_>>, FileError> {
    let mut count = 0;
    let mut refused = false;
    let mut own_policies = false;
    let root = parse_borrowed_streaming(text, REQUESTS, &mut |item| {
        if !refused && !own_policies {
            match read_request(&item, count) {
                Ok((_, policies)) => own_policies = policies,
                Err(_) => refused = true,
            }
        }
        count += 1;
    });
    let root = match root {
        Ok(root) if !refused => root,
        // The error, exactly as reading the whole file gives it (which of
        // several comes first follows the reader's order, not the text's).
        _ => return read(text).map(|_| None),
    };
    if own_policies {
        return Ok(None);
    }
    let file = read_tree(&root, text)?;
    Ok(Some(StreamedFile {
        file,
        text,
        requests: count,
    }))
}

impl StreamedFile<'_> {
    /// How many requests the file has.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// The file without its requests.
    pub fn file(&self) -> &PlaygroundFile {
        &self.file
    }

    /// What the policy parser said of every policy in the file, as the
    /// report lists them.
    pub fn diagnostics(&self, lang: Lang) -> Vec<DiagnosticAnswer> {
        answer::diagnostics(&self.file, self.text, lang)
    }

    /// Reads the requests again, one at a time, in order, giving each to
    /// `each` before the next is read.
    pub fn for_each_request(&self, each: &mut dyn FnMut(RequestSpec)) {
        let mut index = 0;
        // The text was read once already: it parses, and every request
        // reads.
        let _ = parse_borrowed_streaming(self.text, REQUESTS, &mut |item| {
            let i = index;
            index += 1;
            if let Ok((spec, _)) = read_request(&item, i) {
                each(spec);
            }
        });
    }

    /// Where the statements of the file's policies are, for traces (worked
    /// out once for every request: the policies are the same for all).
    pub fn trace_spans(&self) -> TraceSpans {
        TraceSpans::new(&self.file, self.text)
    }

    /// Decides and answers one request of the file (one that
    /// [`Self::for_each_request`] gave); with `trace` (from
    /// [`Self::trace_spans`]), its full trace. The request need not be
    /// among the file's: that is looked up only for a request's own
    /// session and VPC endpoint policies, which a streamed file has none
    /// of. So requests can be answered on several threads at once.
    pub fn answer(
        &self,
        spec: &RequestSpec,
        lang: Lang,
        trace: Option<&TraceSpans>,
    ) -> RequestAnswer {
        match trace {
            Some(spans) => {
                let (result, inputs) = decide_for_trace(&self.file, spec);
                request_answer(&self.file, spec, &result, lang, Some((&inputs, spans)))
            }
            None => request_answer(
                &self.file,
                spec,
                &decide(&self.file, spec, false),
                lang,
                None,
            ),
        }
    }

    /// Reads, decides and answers each request in turn, giving `each` its
    /// answer (with `detail`, its full trace) before the next is read; the
    /// counts over all of them come back at the end.
    pub fn answer_each(
        &self,
        lang: Lang,
        detail: bool,
        each: &mut dyn FnMut(RequestAnswer),
    ) -> Summary {
        let spans = detail.then(|| self.trace_spans());
        let mut summary = empty_summary();
        self.for_each_request(&mut |spec| {
            let r = self.answer(&spec, lang, spans.as_ref());
            tally(&mut summary, &r);
            each(r);
        });
        summary
    }
}

/// A summary of no requests.
pub fn empty_summary() -> Summary {
    Summary {
        total: 0,
        allowed: 0,
        denied: 0,
        expect_met: 0,
        expect_failed: 0,
    }
}

/// Counts `r` into `summary`, as the report's summary counts it.
pub fn tally(summary: &mut Summary, r: &RequestAnswer) {
    summary.total += 1;
    if r.decision == Decision::Allowed {
        summary.allowed += 1;
    } else {
        summary.denied += 1;
    }
    match r.expect_met {
        Some(true) => summary.expect_met += 1,
        Some(false) => summary.expect_failed += 1,
        None => {}
    }
}

/// Adds the counts of `part` to `summary`.
pub fn add_summary(summary: &mut Summary, part: &Summary) {
    summary.total += part.total;
    summary.allowed += part.allowed;
    summary.denied += part.denied;
    summary.expect_met += part.expect_met;
    summary.expect_failed += part.expect_failed;
}
