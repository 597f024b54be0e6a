//! What the command-line tests share: running `kmsplay`, reading what it
//! printed, the repository's files and scratch files. Each test file is a
//! crate of its own that includes this module (`mod common;`) and uses
//! part of it, hence the `allow` below.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The path of `tests/playground/NAME`.
pub fn fixture(name: &str) -> String {
    format!(
        "{}/../../tests/playground/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `kmsplay ARGS` with `LANG=C`, given `stdin` (or an empty standard
/// input).
pub fn kmsplay(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kmsplay runs");
    let mut input = child.stdin.take().expect("piped");
    if let Some(text) = stdin {
        // A command that does not read its input may exit first.
        let _ = input.write_all(text.as_bytes());
    }
    drop(input);
    child.wait_with_output().expect("kmsplay ends")
}

/// `kmsplay ARGS --lang en`, from the repository root (paths in `args`
/// relative to it).
pub fn kmsplay_en(args: &[&str]) -> Output {
    kmsplay_en_in(&root(), args)
}

/// `kmsplay ARGS --lang en`, from the folder `dir`.
pub fn kmsplay_en_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(args)
        .args(["--lang", "en"])
        .env("LANG", "C")
        .current_dir(dir)
        .output()
        .expect("kmsplay runs")
}

/// What it printed on standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// What it printed on standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Standard output as one JSON document.
pub fn json_out(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

/// Writes a scratch file of this test file's run and gives its path.
pub fn scratch(name: &str, content: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(env!("CARGO_CRATE_NAME"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

/// The first word of each line of `kmsplay <list command>` that looks like
/// an id (lower case, digits and dashes: `deny-outside-s3`).
pub fn ids(list: &[&str]) -> Vec<String> {
    stdout(&kmsplay_en(list))
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_string)
        .collect()
}
