//! `kmsplay check …` and `kmsplay who-can`: the analysis of every request
//! a key policy allows (`kmsplay_analysis`), printed as text, JSON or
//! SARIF 2.1.0 (for GitHub code scanning).
//!
//! Exit status: 0 pass, 1 fail (or unknown: not proven), 2 bad input
//! (a policy that does not parse, an action that does not exist, two
//! files for different keys), with a positioned error.

use crate::io::{write_err, write_out};
use clap::{Subcommand, ValueEnum};
use kmsplay_analysis::words::{limit as limit_line, request as request_line};
use kmsplay_analysis::{Report, Verdict, WhoCan};
use kmsplay_json::{LineIndex, Span};
use kmsplay_kms::catalogue::Operation;
use kmsplay_lab::checks::{self, CheckAnswer, CheckInput, InputError, Names};
use kmsplay_messages::{render, text, Lang};
use serde_json::Value;
use std::process::ExitCode;

/// `--format` of the analysis commands: text, JSON, or SARIF 2.1.0.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Subcommand)]
pub(crate) enum CheckCommand {
    /// Does NEW allow any request that OLD does not? Fails with such requests.
    NoNewAccess {
        /// The key policy (or playground file) before the change.
        old: String,
        /// The key policy (or playground file) after it.
        new: String,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Can a caller outside the key's account (and organization) be allowed?
    NoPublicAccess {
        /// A key policy or a playground file.
        file: String,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Is none of these actions allowed (to these principals)?
    AccessNotGranted {
        /// A key policy or a playground file.
        file: String,
        /// A KMS action (`kms:Decrypt`); repeat for more.
        #[arg(long = "action", required = true)]
        actions: Vec<String>,
        /// A principal ARN or an account id; repeat for more (default: anyone).
        #[arg(long = "principal")]
        principals: Vec<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Can a principal of the key's account still call kms:PutKeyPolicy?
    Lockout {
        /// A key policy or a playground file.
        file: String,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
}

/// A file read for the analysis: its path and text, and what
/// [`kmsplay_lab::checks::read`] made of it.
struct Input {
    path: String,
    text: String,
    read: CheckInput,
}

fn bad_input(
    path: &str,
    source: &str,
    span: Span,
    code: &str,
    message: &str,
    lang: Lang,
) -> ExitCode {
    let index = LineIndex::new(source);
    let pos = index.position(span.start);
    write_err(&format!(
        "{path}:{}:{}: {}[{code}]: {message}\n",
        pos.line,
        pos.column,
        text(lang, "cli.error")
    ));
    ExitCode::from(2)
}

fn load(path: &str, lang: Lang) -> Result<Input, ExitCode> {
    let bytes = crate::io::read_input(path, lang)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match checks::read(&text) {
        Ok(read) => Ok(Input {
            path: path.to_string(),
            text,
            read,
        }),
        Err(InputError::File(e)) => {
            crate::text::print_file_error(path, &text, &e, lang);
            Err(ExitCode::from(2))
        }
        Err(InputError::Policy {
            diagnostic: d,
            policy_text,
        }) => {
            let (source, in_string) = checks::error_source(&text, policy_text.as_deref());
            let shown = if in_string {
                format!("{path} (key.policy)")
            } else {
                path.to_string()
            };
            Err(bad_input(
                &shown,
                source,
                d.span,
                d.code,
                &kmsplay_playground::diagnostic_message(&d, lang),
                lang,
            ))
        }
        Err(InputError::Unreadable) => Err(unreadable(path, lang)),
    }
}

fn unreadable(path: &str, lang: Lang) -> ExitCode {
    write_err(&format!(
        "kmsplay: {}\n",
        render(
            lang,
            "analysis.error.unreadable-policy",
            &[("file", path.to_string())]
        )
    ));
    ExitCode::from(2)
}

/// Reads `kms:Decrypt` (any case, `kms:` optional) as an operation.
fn operation(action: &str, lang: Lang) -> Result<&'static Operation, ExitCode> {
    checks::operation(action).ok_or_else(|| {
        write_err(&format!(
            "kmsplay: {}: {}\n",
            text(lang, "cli.error"),
            render(
                lang,
                "analysis.error.unknown-action",
                &[("action", action.to_string())]
            )
        ));
        ExitCode::from(2)
    })
}

/// Runs `kmsplay check …`.
pub(crate) fn run(command: CheckCommand, lang: Lang) -> ExitCode {
    match command {
        CheckCommand::NoNewAccess { old, new, format } => {
            let (mut old, mut new) = match (load(&old, lang), load(&new, lang)) {
                (Ok(o), Ok(n)) => (o, n),
                (Err(c), _) | (_, Err(c)) => return c,
            };
            if let Err((a, b)) = checks::same_key(&mut old.read, &mut new.read) {
                return bad_input(
                    &new.path,
                    &new.text,
                    Span { start: 0, end: 0 },
                    "different-keys",
                    &render(
                        lang,
                        "analysis.error.different-keys",
                        &[("old", a), ("new", b)],
                    ),
                    lang,
                );
            }
            let report = kmsplay_analysis::no_new_access(&old.read.setting, &new.read.setting);
            let names = Names::Two {
                old: &old.path,
                new: &new.path,
            };
            print(&report, &new, names, &[], format, lang)
        }
        CheckCommand::NoPublicAccess { file, format } => {
            let input = match load(&file, lang) {
                Ok(i) => i,
                Err(c) => return c,
            };
            let report = kmsplay_analysis::no_public_access(&input.read.setting);
            print(&report, &input, Names::One(&file), &[], format, lang)
        }
        CheckCommand::AccessNotGranted {
            file,
            actions,
            principals,
            format,
        } => {
            let input = match load(&file, lang) {
                Ok(i) => i,
                Err(c) => return c,
            };
            let mut ops = Vec::new();
            for a in &actions {
                match operation(a, lang) {
                    Ok(op) => ops.push(op),
                    Err(c) => return c,
                }
            }
            if let Some(p) = principals.iter().find(|p| !checks::is_principal(p)) {
                write_err(&format!(
                    "kmsplay: {}: {}\n",
                    text(lang, "cli.error"),
                    render(
                        lang,
                        "analysis.error.bad-principal",
                        &[("principal", p.clone())]
                    )
                ));
                return ExitCode::from(2);
            }
            let report =
                kmsplay_analysis::access_not_granted(&input.read.setting, &ops, &principals);
            print(&report, &input, Names::One(&file), &ops, format, lang)
        }
        CheckCommand::Lockout { file, format } => {
            let input = match load(&file, lang) {
                Ok(i) => i,
                Err(c) => return c,
            };
            let report = kmsplay_analysis::lockout(&input.read.setting);
            print(&report, &input, Names::One(&file), &[], format, lang)
        }
    }
}

fn exit(result: Verdict) -> ExitCode {
    match result {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Fail | Verdict::Unknown => ExitCode::from(1),
    }
}

fn print(
    report: &Report,
    input: &Input,
    names: Names<'_>,
    actions: &[&'static Operation],
    format: CheckFormat,
    lang: Lang,
) -> ExitCode {
    let message = checks::message(report, names, actions, lang);
    match format {
        CheckFormat::Json => {
            let answer = CheckAnswer { report, message };
            write_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&answer).unwrap_or_default()
            ));
        }
        CheckFormat::Text => {
            let mut out = format!("{message}\n");
            let refused = report.check == "lockout";
            for c in report.counterexamples.iter().chain(&report.witness) {
                let allowed = !(refused && report.result == Verdict::Fail);
                out.push_str(&format!("  {}\n", request_line(c, allowed, lang)));
                for i in &c.identities {
                    out.push_str(&format!(
                        "    {}\n",
                        kmsplay_analysis::words::assumed_identity(
                            i["arn"].as_str().unwrap_or_default(),
                            lang
                        )
                    ));
                }
            }
            for l in &report.limits {
                out.push_str(&format!("  {}\n", limit_line(l, lang)));
            }
            write_out(&out);
            write_err(&format!(
                "{}\n",
                render(
                    lang,
                    "analysis.tried",
                    &[("count", report.requests_tried.to_string())]
                )
            ));
        }
        CheckFormat::Sarif => {
            let sarif = crate::sarif::check_log(
                report,
                &input.path,
                &|statement| input.statement_region(statement),
                &message,
                lang,
            );
            write_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&sarif).unwrap_or_default()
            ));
        }
    }
    exit(report.result)
}

impl Input {
    /// The line and column range of key-policy statement `index` in the
    /// file (the policy's first line for a policy given as a string).
    fn statement_region(&self, index: Option<usize>) -> Value {
        let span = match (self.read.spans_in_text, index) {
            (true, Some(i)) => self
                .read
                .setting
                .key
                .policy
                .as_ref()
                .and_then(|p| p.statements.get(i))
                .map(|st| st.span),
            (true, None) => self.read.setting.key.policy.as_ref().map(|p| p.span),
            (false, _) => None,
        }
        .unwrap_or(Span { start: 0, end: 0 });
        crate::sarif::region(&self.text, span)
    }
}

/// Runs `kmsplay who-can FILE --action A`.
pub(crate) fn who_can(path: &str, action: &str, format: CheckFormat, lang: Lang) -> ExitCode {
    let input = match load(path, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let op = match operation(action, lang) {
        Ok(op) => op,
        Err(c) => return c,
    };
    let answer = kmsplay_analysis::who_can(&input.read.setting, op);
    match format {
        CheckFormat::Json | CheckFormat::Sarif => write_out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&answer).unwrap_or_default()
        )),
        CheckFormat::Text => write_out(&who_can_text(&answer, lang)),
    }
    ExitCode::SUCCESS
}

fn who_can_text(answer: &WhoCan, lang: Lang) -> String {
    let mut out = format!("{}\n", kmsplay_analysis::words::who_can_title(answer, lang));
    for c in &answer.callers {
        let (class, lines) = kmsplay_analysis::words::caller(c, lang);
        out.push_str(&format!("- {class}\n"));
        for line in lines {
            out.push_str(&format!("    {line}\n"));
        }
    }
    for l in &answer.limits {
        out.push_str(&format!("  {}\n", limit_line(l, lang)));
    }
    out
}
