//! `kmsplay simulate`: the result lines (and traces) are the data, on
//! standard output; diagnostics and the summary line go to standard error.
//!
//! Results are written as they are decided ([`kmsplay_playground::read_streaming`]):
//! a file of hundreds of thousands of requests (a day of CloudTrail) is
//! never held as one report, so memory stays that of the file's text and
//! one request. The bytes are those of the whole report written at once
//! (`crates/cli/tests/simulate_stream.rs` compares them).

use crate::format::Format;
use crate::{io, text};
use kmsplay_messages::Lang;
use kmsplay_playground::answer::{self, DiagnosticAnswer, Summary};
use kmsplay_playground::{
    add_summary, empty_summary, tally, RequestAnswer, RequestSpec, StreamedFile,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};

/// Runs `kmsplay simulate PATH`.
pub fn simulate(path: &str, format: Format, trace: bool, lang: Lang) -> ExitCode {
    let bytes = match io::read_input(path, lang) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            let e = kmsplay_playground::read_bytes(&bytes).expect_err("invalid UTF-8 is an error");
            text::print_file_error(path, "", &e, lang);
            return ExitCode::from(2);
        }
    };
    let detail = trace || matches!(format, Format::Json);
    match kmsplay_playground::read_streaming(text) {
        Err(e) => {
            text::print_file_error(path, text, &e, lang);
            ExitCode::from(2)
        }
        Ok(Some(file)) => {
            let diagnostics = file.diagnostics(lang);
            if unreadable_policy(&diagnostics) {
                // Refused with its whole report, as below.
                return whole(path, text, format, trace, lang);
            }
            let all_met = match format {
                Format::Json => stream_json(&file, diagnostics, lang),
                Format::Text => {
                    text::print_diagnostics(path, text, &diagnostics, lang);
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    let write = |_: usize, r: &RequestAnswer, buf: &mut Vec<u8>| {
                        text::print_result(buf, r, trace, lang);
                    };
                    let summary = answer_all(&file, lang, detail, &write, &mut |bytes| {
                        out.write_all(bytes).is_ok()
                    });
                    let _ = out.flush();
                    drop(out);
                    text::print_summary(&summary, lang);
                    summary.expect_failed == 0
                }
            };
            exit(all_met)
        }
        // A request with policies of its own: the whole report at once.
        Ok(None) => whole(path, text, format, trace, lang),
    }
}

/// A policy that is not JSON at all (or is over KMS's size limit) has no
/// meaning to simulate: the file is refused.
fn unreadable_policy(diagnostics: &[DiagnosticAnswer]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.code.starts_with("json-") || d.code == "policy-too-large")
}

fn exit(all_met: bool) -> ExitCode {
    if all_met {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The report (`{"results": [...], "diagnostics": [...], "summary": {...}}`,
/// as `serde_json` pretty-prints a `ReportAnswer`), each result written as
/// soon as it is decided: written compact by the answers' own writer (the
/// same bytes as `serde_json`'s, faster), then laid out as the pretty
/// writer lays out an item of `results`.
fn stream_json(file: &StreamedFile<'_>, diagnostics: Vec<DiagnosticAnswer>, lang: Lang) -> bool {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let write = |index: usize, r: &RequestAnswer, buf: &mut Vec<u8>| {
        buf.extend_from_slice(if index == 0 {
            b"{\n  \"results\": [\n    "
        } else {
            b",\n    "
        });
        if let Ok(compact) = answer::json::to_string(r, 8192) {
            kmsplay_json::write_pretty(&compact, 2, buf);
        }
    };
    let summary = answer_all(file, lang, true, &write, &mut |bytes| {
        out.write_all(bytes).is_ok()
    });
    let mut buf = Vec::new();
    buf.extend_from_slice(if summary.total == 0 {
        b"{\n  \"results\": [],\n  \"diagnostics\": "
    } else {
        b"\n  ],\n  \"diagnostics\": "
    });
    let compact = serde_json::to_string(&diagnostics).unwrap_or_default();
    kmsplay_json::write_pretty(&compact, 1, &mut buf);
    buf.extend_from_slice(b",\n  \"summary\": ");
    let compact = serde_json::to_string(&summary).unwrap_or_default();
    kmsplay_json::write_pretty(&compact, 1, &mut buf);
    buf.extend_from_slice(b"\n}\n");
    let _ = out.write_all(&buf);
    let _ = out.flush();
    summary.expect_failed == 0
}

/// How many requests a thread takes at a time.
const BATCH: usize = 64;

/// Writes one answer (request `index` of the file) into a buffer.
type WriteAnswer<'w> = dyn Fn(usize, &RequestAnswer, &mut Vec<u8>) + Sync + 'w;

/// Answers every request of `file`, each written by `write`, and gives
/// the bytes to `sink` in the file's order (`sink` says false when its
/// output is gone: nothing more is answered then). The requests are
/// decided on every core: one thread reads them, in batches, the others
/// decide and write, and this one puts the batches back in order, so at
/// most a few batches are held at once.
fn answer_all(
    file: &StreamedFile<'_>,
    lang: Lang,
    detail: bool,
    write: &WriteAnswer<'_>,
    sink: &mut dyn FnMut(&[u8]) -> bool,
) -> Summary {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let spans = detail.then(|| file.trace_spans());
    let spans = spans.as_ref();
    if threads == 1 {
        let mut summary = empty_summary();
        let mut index = 0;
        let mut buf = Vec::new();
        let mut open = true;
        file.for_each_request(&mut |spec| {
            if !open {
                return;
            }
            let r = file.answer(&spec, lang, spans);
            tally(&mut summary, &r);
            buf.clear();
            write(index, &r, &mut buf);
            index += 1;
            open = sink(&buf);
        });
        return summary;
    }
    std::thread::scope(|scope| {
        // Each end is owned by the threads that use it, so that when one
        // side stops (the output is gone) the others' calls fail and they
        // stop too.
        let (work, jobs) = mpsc::sync_channel::<(usize, Vec<RequestSpec>)>(threads * 2);
        let jobs = Arc::new(Mutex::new(jobs));
        let (done, finished) = mpsc::sync_channel::<(usize, Vec<u8>, Summary)>(threads * 4);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut seq = 0;
            let mut open = true;
            file.for_each_request(&mut |spec| {
                batch.push(spec);
                if open && batch.len() == BATCH {
                    open = work.send((seq, std::mem::take(&mut batch))).is_ok();
                    seq += 1;
                }
                batch.truncate(if open { batch.len() } else { 0 });
            });
            if open && !batch.is_empty() {
                let _ = work.send((seq, batch));
            }
        });
        for _ in 0..threads {
            let done = done.clone();
            let jobs = Arc::clone(&jobs);
            scope.spawn(move || loop {
                let job = match jobs.lock() {
                    Ok(jobs) => jobs.recv(),
                    Err(_) => break,
                };
                let Ok((seq, specs)) = job else { break };
                let mut buf = Vec::new();
                let mut summary = empty_summary();
                for (j, spec) in specs.iter().enumerate() {
                    let r = file.answer(spec, lang, spans);
                    tally(&mut summary, &r);
                    write(seq * BATCH + j, &r, &mut buf);
                }
                if done.send((seq, buf, summary)).is_err() {
                    break;
                }
            });
        }
        drop(done);
        drop(jobs);
        let mut total = empty_summary();
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (seq, buf, part) in finished {
            pending.insert(seq, (buf, part));
            while let Some((buf, part)) = pending.remove(&next) {
                add_summary(&mut total, &part);
                next += 1;
                if !sink(&buf) {
                    // Dropping the receiver stops the threads.
                    return total;
                }
            }
        }
        total
    })
}

/// The whole report at once: for a file whose requests have policies of
/// their own (their diagnostics come before any result) and for a file
/// that is refused.
fn whole(path: &str, text: &str, format: Format, trace: bool, lang: Lang) -> ExitCode {
    let report = match kmsplay_playground::simulate_json(
        text,
        lang,
        trace || matches!(format, Format::Json),
    ) {
        Ok(r) => r,
        Err(e) => {
            text::print_file_error(path, text, &e, lang);
            return ExitCode::from(2);
        }
    };
    if unreadable_policy(&report.answer.diagnostics) {
        match format {
            Format::Json => out!(
                "{}",
                serde_json::to_string_pretty(&report.answer).unwrap_or_default()
            ),
            Format::Text => text::print_diagnostics(path, text, &report.answer.diagnostics, lang),
        }
        err!(
            "kmsplay: {}",
            kmsplay_messages::render(lang, "cli.invalid-file", &[("file", path.to_string())])
        );
        return ExitCode::from(2);
    }
    match format {
        Format::Json => {
            out!(
                "{}",
                serde_json::to_string_pretty(&report.answer).unwrap_or_default()
            );
        }
        Format::Text => text::print_report(path, text, &report.answer, trace, lang),
    }
    exit(report.all_met)
}
