//! `kmsplay check …` and `kmsplay who-can`: the analysis of every request
//! a key policy allows (`kmsplay_analysis`), printed as text, JSON or
//! SARIF 2.1.0 (for GitHub code scanning).
//!
//! Exit status: 0 pass, 1 fail (or unknown: not proven), 2 bad input
//! (a policy that does not parse, an action that does not exist, two
//! files for different keys), with a positioned error.

use crate::io::{write_err, write_out};
use clap::{Subcommand, ValueEnum};
use kmsplay_analysis::words::{
    limit as limit_line, request as request_line, verdict as verdict_line,
};
use kmsplay_analysis::{Report, Setting, Verdict, WhoCan, DEFAULT_KEY_ARN};
use kmsplay_json::{LineIndex, Span};
use kmsplay_kms::catalogue::{self, Operation};
use kmsplay_messages::{render, text, Lang};
use kmsplay_policy::{parse_text, PolicyKind, Severity};
use serde_json::{json, Value};
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

/// A file read for the analysis: its text, its setting, and where its key
/// policy's text is.
struct Input {
    path: String,
    text: String,
    setting: Setting,
    /// True when the key policy's spans are into `text` (a bare policy,
    /// or a file whose policy is an object); false for a policy given as
    /// a string inside a playground file.
    spans_in_text: bool,
    /// The key ARN, when the file names one.
    key_arn: Option<String>,
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
    let looks_like_file = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("key")))
        .unwrap_or(false);
    if looks_like_file {
        let file = kmsplay_playground::read(&text).map_err(|e| {
            crate::text::print_file_error(path, &text, &e, lang);
            ExitCode::from(2)
        })?;
        let key_policy = file
            .policies
            .iter()
            .find(|p| p.source == kmsplay_playground::PolicySource::Key);
        if let Some(d) = key_policy
            .into_iter()
            .flat_map(|p| &p.diagnostics)
            .find(|d| d.severity == Severity::Error)
        {
            let (t, in_text) = match key_policy.and_then(|p| p.text.as_deref()) {
                Some(t) => (t.to_string(), false),
                None => (text.clone(), true),
            };
            let shown = if in_text {
                path.to_string()
            } else {
                format!("{path} (key.policy)")
            };
            return Err(bad_input(
                &shown,
                &t,
                d.span,
                d.code,
                &kmsplay_playground::diagnostic_message(d, lang),
                lang,
            ));
        }
        if file.key.policy.is_none() {
            return Err(unreadable(path, lang));
        }
        let spans_in_text = key_policy.is_none_or(|p| p.text.is_none());
        return Ok(Input {
            path: path.to_string(),
            key_arn: Some(file.key.arn.clone()),
            setting: Setting::from_file(&file),
            text,
            spans_in_text,
        });
    }
    let parsed = parse_text(&text, PolicyKind::Resource);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return Err(bad_input(
            path,
            &text,
            d.span,
            d.code,
            &kmsplay_playground::diagnostic_message(d, lang),
            lang,
        ));
    }
    let Some(policy) = parsed.policy else {
        return Err(unreadable(path, lang));
    };
    let setting = Setting::from_policy(DEFAULT_KEY_ARN, policy).expect("the default key ARN");
    Ok(Input {
        path: path.to_string(),
        text,
        setting,
        spans_in_text: true,
        key_arn: None,
    })
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
    let name = action
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("kms:"))
        .map_or(action, |_| &action[4..]);
    catalogue::OPERATIONS
        .iter()
        .find(|op| op.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
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
            let (old, new) = match (load(&old, lang), load(&new, lang)) {
                (Ok(o), Ok(n)) => (o, n),
                (Err(c), _) | (_, Err(c)) => return c,
            };
            let (mut old, new) = (old, new);
            match (&old.key_arn, &new.key_arn) {
                (Some(a), Some(b)) if a != b => {
                    return bad_input(
                        &new.path,
                        &new.text,
                        Span { start: 0, end: 0 },
                        "different-keys",
                        &render(
                            lang,
                            "analysis.error.different-keys",
                            &[("old", a.clone()), ("new", b.clone())],
                        ),
                        lang,
                    );
                }
                // A bare policy is for the other file's key.
                (None, Some(_)) => {
                    old.setting.key =
                        Key::with_policy(&new.setting.key, old.setting.key.policy.take());
                }
                _ => {}
            }
            let mut new = new;
            if let (Some(_), None) = (&old.key_arn, &new.key_arn) {
                new.setting.key = Key::with_policy(&old.setting.key, new.setting.key.policy.take());
            }
            let report = kmsplay_analysis::no_new_access(&old.setting, &new.setting);
            let params = vec![("old", old.path.clone()), ("new", new.path.clone())];
            print(&report, &new, &params, format, lang)
        }
        CheckCommand::NoPublicAccess { file, format } => {
            let input = match load(&file, lang) {
                Ok(i) => i,
                Err(c) => return c,
            };
            let report = kmsplay_analysis::no_public_access(&input.setting);
            print(&report, &input, &[("file", file.clone())], format, lang)
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
            for p in &principals {
                if !kmsplay_policy::is_account_id(p)
                    && kmsplay_policy::Principal::parse(p).is_none()
                {
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
            }
            let report = kmsplay_analysis::access_not_granted(&input.setting, &ops, &principals);
            let names = ops
                .iter()
                .map(|o| format!("kms:{}", o.name))
                .collect::<Vec<_>>()
                .join(", ");
            print(
                &report,
                &input,
                &[("file", file.clone()), ("actions", names)],
                format,
                lang,
            )
        }
        CheckCommand::Lockout { file, format } => {
            let input = match load(&file, lang) {
                Ok(i) => i,
                Err(c) => return c,
            };
            let report = kmsplay_analysis::lockout(&input.setting);
            let caller = report
                .witness
                .as_ref()
                .and_then(|w| w.request["principal"].as_str())
                .unwrap_or_default()
                .to_string();
            print(
                &report,
                &input,
                &[("file", file.clone()), ("caller", caller)],
                format,
                lang,
            )
        }
    }
}

/// A key like `base` with `policy`.
struct Key;
impl Key {
    fn with_policy(
        base: &kmsplay_kms::Key,
        policy: Option<kmsplay_policy::Policy>,
    ) -> kmsplay_kms::Key {
        kmsplay_kms::Key {
            policy,
            ..base.clone()
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
    params: &[(&str, String)],
    format: CheckFormat,
    lang: Lang,
) -> ExitCode {
    match format {
        CheckFormat::Json => {
            let mut v = serde_json::to_value(report).unwrap_or(Value::Null);
            v["message"] = json!(verdict_line(report, params, lang));
            write_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        CheckFormat::Text => {
            let mut out = format!("{}\n", verdict_line(report, params, lang));
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
                &verdict_line(report, params, lang),
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
        let span = match (self.spans_in_text, index) {
            (true, Some(i)) => self
                .setting
                .key
                .policy
                .as_ref()
                .and_then(|p| p.statements.get(i))
                .map(|st| st.span),
            (true, None) => self.setting.key.policy.as_ref().map(|p| p.span),
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
    let answer = kmsplay_analysis::who_can(&input.setting, op);
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
