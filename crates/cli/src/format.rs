//! The `--format` option every data command takes (its own module: each
//! command's module uses it, and none of them needs the rest of main).

use clap::ValueEnum;

/// `--format`: `text` for people (the data on standard output, notes on
/// standard error), `json` for scripts (one JSON document on standard
/// output). Every command that prints data takes it.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}
