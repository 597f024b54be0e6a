//! `kmsplay grant create|retire|revoke|list FILE …`: the grant workflow on
//! a playground file's key, at the file's clock. With `--write` the file
//! is updated in place (the new grant, its retirement, …), so commands can
//! be chained; otherwise nothing is written.
//!
//! Exit status: 0 when KMS would accept the call, 1 when it refuses it
//! (AccessDeniedException, ValidationError, LimitExceededException, …), 2
//! for a file that is not a valid playground file or a bad argument.

use crate::format::Format;
use kmsplay_kms::catalogue;
use kmsplay_kms::grants::{CreateGrantRequest, EndGrantRequest, GrantRef};
use kmsplay_kms::GrantConstraint;
use kmsplay_messages::{render, text, Lang};
use kmsplay_playground::lifecycle::{grant_failure_json, Session};
use kmsplay_playground::PlaygroundFile;
use kmsplay_policy::{ContextValue, Principal};
use serde_json::Value;
use std::process::ExitCode;

/// Arguments of `kmsplay grant`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Args)]
struct Common {
    /// The playground file; `-` reads standard input.
    file: String,
    /// Who calls (an IAM or STS ARN, or an account id).
    #[arg(long, value_name = "ARN")]
    principal: Option<String>,
    /// How the call names the key (key ARN, key id, alias); default: the file's key.
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// A condition key of the request, `name=value`; repeat for more.
    #[arg(long = "context", value_name = "NAME=VALUE")]
    context: Vec<String>,
    /// Write the result back into FILE.
    #[arg(long)]
    write: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// CreateGrant: give a grantee some operations on the key.
    #[command(
        after_help = "Example:\n  kmsplay grant create playground.json --principal arn:aws:iam::111111111111:role/Admin \\\n    --grantee arn:aws:iam::111111111111:user/Bob --operations Decrypt,RetireGrant \\\n    --constraint-subset Department=IT --name bob-decrypt --write"
    )]
    Create {
        #[command(flatten)]
        common: Common,
        /// `GranteePrincipal`.
        #[arg(long, value_name = "ARN")]
        grantee: String,
        /// `Operations`, comma-separated or repeated.
        #[arg(
            long = "operations",
            value_name = "OPS",
            value_delimiter = ',',
            required = true
        )]
        operations: Vec<String>,
        /// An `EncryptionContextEquals` pair, `key=value`; repeat for more.
        #[arg(long = "constraint-equals", value_name = "K=V")]
        equals: Vec<String>,
        /// An `EncryptionContextSubset` pair, `key=value`; repeat for more.
        #[arg(long = "constraint-subset", value_name = "K=V")]
        subset: Vec<String>,
        /// `RetiringPrincipal`.
        #[arg(long, value_name = "ARN")]
        retiring_principal: Option<String>,
        /// `Name` (makes retries idempotent).
        #[arg(long)]
        name: Option<String>,
        /// A grant token the caller sends; repeat for more.
        #[arg(long = "grant-token", value_name = "TOKEN")]
        grant_tokens: Vec<String>,
    },
    /// RetireGrant: by the retiring principal, the grantee (when the grant allows RetireGrant) or the key's account.
    Retire {
        #[command(flatten)]
        common: Common,
        /// The grant id.
        #[arg(long, value_name = "ID", conflicts_with = "grant_token")]
        grant_id: Option<String>,
        /// The grant token (works before the grant is consistent).
        #[arg(long, value_name = "TOKEN")]
        grant_token: Option<String>,
    },
    /// RevokeGrant: by a principal with kms:RevokeGrant.
    Revoke {
        #[command(flatten)]
        common: Common,
        /// The grant id.
        #[arg(long, value_name = "ID")]
        grant_id: String,
    },
    /// ListGrants: every grant of the key (authorized as --principal when given).
    List {
        #[command(flatten)]
        common: Common,
        /// Only this grant.
        #[arg(long, value_name = "ID")]
        grant_id: Option<String>,
        /// Only grants for this grantee.
        #[arg(long, value_name = "ARN")]
        grantee: Option<String>,
    },
}

/// The program's name, before its messages on standard error.
pub(crate) const PROGRAM: &str = "kmsplay";

/// A playground file read for a command: the file, its text and JSON.
pub(crate) struct Loaded {
    pub path: String,
    pub text: String,
    pub file: PlaygroundFile,
    pub json: Value,
}

/// Reads a playground file, or prints why it cannot and returns exit status 2.
pub(crate) fn load(path: &str, lang: Lang) -> Result<Loaded, ExitCode> {
    let bytes = crate::io::read_input(path, lang)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            if let Err(e) = kmsplay_playground::read_bytes(&bytes) {
                crate::text::print_file_error(path, "", &e, lang);
            }
            return Err(ExitCode::from(2));
        }
    };
    let file = kmsplay_playground::read(text).map_err(|e| {
        crate::text::print_file_error(path, text, &e, lang);
        ExitCode::from(2)
    })?;
    let json = serde_json::from_str(text).unwrap_or(Value::Null);
    Ok(Loaded {
        path: path.to_string(),
        text: text.to_string(),
        file,
        json,
    })
}

/// Writes the session back into the file (for `--write`).
pub(crate) fn write_back(loaded: &Loaded, session: &Session, lang: Lang) -> Result<(), ExitCode> {
    if loaded.path == "-" {
        err!("{PROGRAM}: {}", text(lang, "grant.cli.write-stdin"));
        return Err(ExitCode::from(2));
    }
    let updated = session.write_back(&loaded.json);
    let body = serde_json::to_string_pretty(&updated).unwrap_or_default() + "\n";
    std::fs::write(&loaded.path, body).map_err(|e| {
        err!(
            "{PROGRAM}: {}",
            render(
                lang,
                "grant.cli.cannot-write",
                &[("file", loaded.path.clone()), ("error", e.to_string())]
            )
        );
        ExitCode::from(2)
    })
}

/// `name=value` pairs, or a message and exit status 2.
pub(crate) fn pairs(args: &[String], lang: Lang) -> Result<Vec<(String, String)>, ExitCode> {
    args.iter()
        .map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    err!(
                        "{PROGRAM}: {}",
                        render(lang, "grant.cli.bad-pair", &[("value", a.clone())])
                    );
                    ExitCode::from(2)
                })
        })
        .collect()
}

fn context(args: &[String], lang: Lang) -> Result<Vec<(String, ContextValue)>, ExitCode> {
    Ok(pairs(args, lang)?
        .into_iter()
        .map(|(k, v)| (k, ContextValue::Single(v)))
        .collect())
}

pub(crate) fn principal(text_value: Option<&str>, lang: Lang) -> Result<Principal, ExitCode> {
    let Some(t) = text_value else {
        err!("{PROGRAM}: {}", text(lang, "grant.cli.principal-required"));
        return Err(ExitCode::from(2));
    };
    Principal::parse(t).ok_or_else(|| {
        err!(
            "{PROGRAM}: {}",
            render(lang, "file.invalid-principal", &[("value", t.to_string())])
        );
        ExitCode::from(2)
    })
}

pub(crate) fn print_json(v: &Value) {
    out!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn failure(f: &kmsplay_kms::grants::GrantFailure, format: Format, lang: Lang) -> ExitCode {
    let v = grant_failure_json(f, lang);
    match format {
        Format::Json => print_json(&serde_json::json!({ "error": v })),
        Format::Text => {
            err!("{PROGRAM}: {}", v["message"].as_str().unwrap_or_default());
            for r in v["reasons"].as_array().into_iter().flatten() {
                err!("  {}", r["message"].as_str().unwrap_or_default());
            }
        }
    }
    ExitCode::from(1)
}

fn finish(loaded: &Loaded, session: &Session, write: bool, lang: Lang) -> ExitCode {
    if write {
        if let Err(code) = write_back(loaded, session, lang) {
            return code;
        }
    }
    ExitCode::SUCCESS
}

fn operations(
    names: &[String],
    lang: Lang,
) -> Result<Vec<&'static catalogue::Operation>, ExitCode> {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| {
            catalogue::operation(n.trim()).ok_or_else(|| {
                err!(
                    "{PROGRAM}: {}",
                    render(lang, "file.unknown-operation", &[("value", n.clone())])
                );
                ExitCode::from(2)
            })
        })
        .collect()
}

/// `kmsplay grant …`.
pub fn run(args: Args, lang: Lang) -> ExitCode {
    match run_inner(args, lang) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: Args, lang: Lang) -> Result<ExitCode, ExitCode> {
    match args.command {
        Sub::Create {
            common,
            grantee,
            operations: ops,
            equals,
            subset,
            retiring_principal,
            name,
            grant_tokens,
        } => {
            let loaded = load(&common.file, lang)?;
            let mut session = Session::new(&loaded.file);
            let constraint = match (equals.is_empty(), subset.is_empty()) {
                (true, true) => None,
                (false, true) => Some(GrantConstraint::Equals(pairs(&equals, lang)?)),
                (true, false) => Some(GrantConstraint::Subset(pairs(&subset, lang)?)),
                (false, false) => {
                    err!("{PROGRAM}: {}", render(lang, "file.two-constraints", &[]));
                    return Err(ExitCode::from(2));
                }
            };
            let req = CreateGrantRequest {
                principal: principal(common.principal.as_deref(), lang)?,
                key: common.key.clone(),
                grantee,
                operations: operations(&ops, lang)?,
                constraint,
                retiring_principal,
                name,
                grant_tokens,
                context: context(&common.context, lang)?,
            };
            let now = session.clock;
            match session.service.create_grant(&req, now) {
                Err(f) => Ok(failure(&f, common.format, lang)),
                Ok(created) => {
                    let v = session.created_json(&created);
                    match common.format {
                        Format::Json => print_json(&v),
                        Format::Text => {
                            // The grant id and token are the data; when the
                            // grant is usable only with its token is a note
                            // for people, on standard error (the JSON has
                            // `grant.pending`).
                            let id = if created.retry {
                                "grant.cli.retried"
                            } else {
                                "grant.cli.created"
                            };
                            out!(
                                "{}",
                                render(lang, id, &[("grant", created.grant_id.clone())])
                            );
                            out!(
                                "{}",
                                render(
                                    lang,
                                    "grant.cli.token",
                                    &[("token", created.grant_token.clone())]
                                )
                            );
                            err!(
                                "{}",
                                render(
                                    lang,
                                    "grant.cli.pending",
                                    &[(
                                        "until",
                                        now.plus_seconds(kmsplay_kms::grants::CONSISTENCY_SECONDS)
                                            .iso()
                                    )]
                                )
                            );
                        }
                    }
                    Ok(finish(&loaded, &session, common.write, lang))
                }
            }
        }
        Sub::Retire {
            common,
            grant_id,
            grant_token,
        } => {
            let grant = match (grant_id, grant_token) {
                (Some(id), _) => GrantRef::Id(id),
                (None, Some(t)) => GrantRef::Token(t),
                (None, None) => {
                    err!("{PROGRAM}: {}", text(lang, "grant.cli.grant-required"));
                    return Err(ExitCode::from(2));
                }
            };
            end(common, grant, false, lang)
        }
        Sub::Revoke { common, grant_id } => end(common, GrantRef::Id(grant_id), true, lang),
        Sub::List {
            common,
            grant_id,
            grantee,
        } => {
            let loaded = load(&common.file, lang)?;
            let mut session = Session::new(&loaded.file);
            let now = session.clock;
            if let Some(p) = common.principal.as_deref() {
                let caller = principal(Some(p), lang)?;
                if let Err(f) = session.service.list_grants(
                    &caller,
                    common.key.as_deref(),
                    grant_id.as_deref(),
                    grantee.as_deref(),
                    now,
                ) {
                    return Ok(failure(&f, common.format, lang));
                }
            }
            let mut v = session.list_json();
            if let Some(items) = v["Grants"].as_array_mut() {
                items.retain(|g| {
                    grant_id.as_deref().is_none_or(|id| g["GrantId"] == id)
                        && grantee
                            .as_deref()
                            .is_none_or(|p| g["GranteePrincipal"] == p)
                });
            }
            match common.format {
                Format::Json => print_json(&v),
                Format::Text => {
                    // One line per grant is the data; "the key has no
                    // grants" is a note, on standard error (standard
                    // output stays empty, as the list is).
                    let grants = v["Grants"].as_array().cloned().unwrap_or_default();
                    if grants.is_empty() {
                        err!("{}", text(lang, "grant.cli.none"));
                    }
                    for g in grants {
                        let ops: Vec<&str> = g["Operations"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .collect();
                        let id = if g["Pending"] == true {
                            "grant.cli.line-pending"
                        } else {
                            "grant.cli.line"
                        };
                        out!(
                            "{}",
                            render(
                                lang,
                                id,
                                &[
                                    ("grant", g["GrantId"].as_str().unwrap_or_default().into()),
                                    (
                                        "grantee",
                                        g["GranteePrincipal"].as_str().unwrap_or_default().into()
                                    ),
                                    ("operations", ops.join(", ")),
                                ]
                            )
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn end(common: Common, grant: GrantRef, revoke: bool, lang: Lang) -> Result<ExitCode, ExitCode> {
    let loaded = load(&common.file, lang)?;
    let mut session = Session::new(&loaded.file);
    let req = EndGrantRequest {
        principal: principal(common.principal.as_deref(), lang)?,
        key: common.key.clone(),
        grant,
        context: context(&common.context, lang)?,
    };
    let now = session.clock;
    let result = if revoke {
        session.service.revoke_grant(&req, now)
    } else {
        session.service.retire_grant(&req, now)
    };
    match result {
        Err(f) => Ok(failure(&f, common.format, lang)),
        Ok(ended) => {
            let v = session.ended_json(&ended, lang);
            match common.format {
                Format::Json => print_json(&v),
                Format::Text => {
                    // One line, the data: which grant ended, on whose
                    // authority, until when it may still work.
                    let id = if revoke {
                        "grant.cli.revoked"
                    } else {
                        "grant.cli.retired"
                    };
                    out!(
                        "{}",
                        render(
                            lang,
                            id,
                            &[
                                ("grant", ended.grant_id.clone()),
                                ("until", ended.effective_until.iso()),
                                (
                                    "authority",
                                    v["authority_message"].as_str().unwrap_or_default().into()
                                ),
                            ]
                        )
                    );
                }
            }
            Ok(finish(&loaded, &session, common.write, lang))
        }
    }
}
