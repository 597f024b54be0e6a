//! `kmsplay`: the KMS Policy Playground on the command line, for CI and
//! instructors. A thin shell: every rule lives in the engine crates.

use clap::{Parser, Subcommand};
use format::Format;
use kmsplay_messages::Lang;
use std::process::ExitCode;

/// Prints a line to standard output, ignoring a closed pipe (`| head`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Prints a line to standard error, ignoring a closed pipe.
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($t)*);
    }};
}

mod check;
mod events;
mod exercise;
mod fix;
mod format;
mod grant;
mod import;
mod io;
mod lifecycle;
mod lint;
mod records;
mod sarif;
mod scenario;
mod simulate;
mod snippet;
mod text;

#[derive(Parser)]
#[command(
    name = "kmsplay",
    version,
    about = "Decide AWS KMS requests against key policies, as AWS would"
)]
struct Cli {
    /// Language for messages (en, ja); defaults to $LANG, then English.
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every request of a playground file and say which are allowed, and why.
    #[command(
        after_help = "Example:\n  kmsplay simulate tests/playground/alice-cross-account.json\n  kmsplay simulate --format json - < playground.json\n\nExit status: 0 when every `expect` is met, 1 when one is not, 2 when the file is not a valid playground file."
    )]
    Simulate {
        /// The playground file; `-` reads standard input.
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show every statement, condition and grant considered.
        #[arg(long)]
        trace: bool,
    },
    /// Find mistakes in a key policy (or every policy of a playground file) before AWS does.
    #[command(
        after_help = "Example:\n  kmsplay lint key-policy.json\n  kmsplay lint --format json tests/playground/cloudtrail-trail.json\n\nExit status: 1 when any finding is an error or a security problem, 0 otherwise, 2 when the file cannot be read."
    )]
    Lint {
        /// A key policy, an identity policy, or a playground file; `-` reads standard input.
        file: String,
        /// Output format (`sarif`: SARIF 2.1.0 for GitHub code scanning).
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Text)]
        format: check::CheckFormat,
    },
    /// The scenarios of the source documents: list, show, or run one against a policy.
    Scenario {
        #[command(subcommand)]
        command: ScenarioCommand,
    },
    /// Print the key-policy statements a scenario needs, for your names; or merge them into a policy.
    #[command(
        after_help = "Example:\n  kmsplay snippet cloudtrail-trail --param trail_name=Audit > statements.json\n  kmsplay snippet cloudtrail-trail --merge key-policy.json > merged.json\n\nStandard output has the statements (with --merge: the merged policy) as JSON; the notes, and the policies other principals need, go to standard error. `--format json` puts everything in one JSON document."
    )]
    Snippet {
        /// Scenario id (see `kmsplay scenario list`).
        id: String,
        /// A scenario parameter, `name=value`; repeat for more.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Add the missing statements to this key policy, or to the key policy of this playground file (printed, the file is not changed).
        #[arg(long, value_name = "FILE")]
        merge: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Suggest the smallest policy change that makes a failing request of a playground file pass.
    #[command(
        after_help = "Example:\n  kmsplay fix tests/playground/alice-cross-account.json --request 3"
    )]
    Fix {
        /// The playground file; `-` reads standard input.
        file: String,
        /// Only this request (numbered from 1).
        #[arg(long, value_name = "N")]
        request: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Exercises: list them, show one, print its starting file, check your answer.
    Exercise {
        #[command(subcommand)]
        command: ExerciseCommand,
    },
    /// Create, retire, revoke and list grants on a playground file's key.
    Grant(grant::Args),
    /// Disable, enable, delete, rotate or expire the key of a playground file, and see the events.
    Lifecycle(lifecycle::Args),
    /// Match EventBridge event patterns against events.
    Events(events::Args),
    /// The CloudTrail records of a playground file's requests.
    Records(records::Args),
    /// Build a playground file from what AWS printed: CloudTrail, aws kms and aws iam output, an AccessDenied message.
    Import(import::Args),
    /// Check a key policy against every request: no new access, no public access, access not granted, lockout.
    #[command(
        after_help = "Example:\n  kmsplay check no-new-access old-policy.json new-policy.json\n  kmsplay check no-public-access --format sarif key-policy.json > results.sarif\n\nExit status: 0 pass, 1 fail (or unknown), 2 bad input."
    )]
    Check {
        #[command(subcommand)]
        command: check::CheckCommand,
    },
    /// Every class of caller that can be allowed an action, with the conditions it must meet.
    #[command(after_help = "Example:\n  kmsplay who-can key-policy.json --action kms:Decrypt")]
    WhoCan {
        /// A key policy or a playground file.
        file: String,
        /// The KMS action (`kms:Decrypt`).
        #[arg(long)]
        action: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Text)]
        format: check::CheckFormat,
    },
}

#[derive(Subcommand)]
enum ExerciseCommand {
    /// List the exercises.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show an exercise's brief and goals.
    Show {
        /// Exercise id.
        id: String,
        /// Show the hints too.
        #[arg(long)]
        hints: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print an exercise's starting playground file.
    Start {
        /// Exercise id.
        id: String,
        /// Output format (the file is JSON in either).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check your key policy (or a playground file holding your work) against an exercise's goals.
    #[command(
        after_help = "Example:\n  kmsplay exercise start trail-source-arn > work.json\n  kmsplay exercise check trail-source-arn work.json\n\nExit status: 0 when every goal is met, 1 when one is not, 2 for an unknown exercise or an unreadable file."
    )]
    Check {
        /// Exercise id.
        id: String,
        /// The key policy, or a playground file; `-` reads standard input.
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print a template exercise file for instructors.
    New {
        /// Output format (the file is JSON in either).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ScenarioCommand {
    /// List the scenarios.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show a scenario's parameters and requests.
    Show {
        /// Scenario id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run a scenario's requests against a key policy.
    #[command(
        after_help = "Example:\n  kmsplay scenario run cloudtrail-trail --policy key-policy.json --param trail_name=Audit"
    )]
    Run {
        /// Scenario id.
        id: String,
        /// The key policy; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        policy: String,
        /// A scenario parameter, `name=value`; repeat for more.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| {
            std::env::var("LANG")
                .ok()
                .as_deref()
                .and_then(Lang::from_tag)
        })
        .unwrap_or_default();
    match cli.command {
        Command::Grant(args) => grant::run(args, lang),
        Command::Lifecycle(args) => lifecycle::run(args, lang),
        Command::Events(args) => events::run(args, lang),
        Command::Records(args) => records::run(args, lang),
        Command::Import(args) => import::run(args, lang),
        Command::Check { command } => check::run(command, lang),
        Command::WhoCan {
            file,
            action,
            format,
        } => check::who_can(&file, &action, format, lang),
        Command::Simulate {
            file,
            format,
            trace,
        } => simulate::simulate(&file, format, trace, lang),
        Command::Lint { file, format } => lint::run(&file, format, lang),
        Command::Scenario { command } => match command {
            ScenarioCommand::List { format } => scenario::list(format, lang),
            ScenarioCommand::Show { id, format } => scenario::show(&id, format, lang),
            ScenarioCommand::Run {
                id,
                policy,
                params,
                format,
            } => scenario::run(&id, &policy, &params, matches!(format, Format::Json), lang),
        },
        Command::Fix {
            file,
            request,
            format,
        } => fix::run(&file, request, matches!(format, Format::Json), lang),
        Command::Snippet {
            id,
            params,
            merge,
            format,
        } => snippet::run(&id, &params, merge.as_deref(), format, lang),
        Command::Exercise { command } => match command {
            ExerciseCommand::List { format } => exercise::list(format, lang),
            ExerciseCommand::Show { id, hints, format } => exercise::show(&id, hints, format, lang),
            // The file is JSON whatever the format.
            ExerciseCommand::Start { id, format: _ } => exercise::start(&id, lang),
            ExerciseCommand::Check { id, file, format } => {
                exercise::check(&id, &file, format, lang)
            }
            ExerciseCommand::New { format: _ } => exercise::new(lang),
        },
    }
}
