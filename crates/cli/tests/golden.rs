//! Every output of the command line, byte for byte: each command over
//! every file in `tests/playground/`, every scenario and every exercise,
//! in both languages. A refactoring of how answers are built must not
//! change a byte of what people and scripts read.
//!
//! The expected outputs are kept as fingerprints (FNV-1a of standard
//! output, of standard error, and the exit status) in
//! `tests/golden/cli.txt`, one line per command, so the file stays small.
//! When an output changes on purpose, rewrite it with
//! `KMSPLAY_GOLDEN=write cargo test -p kmsplay --test golden` and say
//! why in the commit; `git stash` and the command on the failing line show
//! what changed.

mod common;

use common::{ids, root};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The file names under `dir` ending in `.json`, sorted.
fn json_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

/// Every command whose output is fixed, as the words given to `kmsplay`
/// (paths relative to the repository root).
fn commands(scratch: &Path) -> Vec<Vec<String>> {
    let mut list: Vec<Vec<String>> = Vec::new();
    let mut add = |words: &[&str]| list.push(words.iter().map(|w| w.to_string()).collect());
    let dir = root().join("tests/playground");
    let mut files: Vec<String> = json_files(&dir)
        .into_iter()
        .map(|n| format!("tests/playground/{n}"))
        .collect();
    files.extend(
        json_files(&dir.join("invalid"))
            .into_iter()
            .map(|n| format!("tests/playground/invalid/{n}")),
    );
    for f in &files {
        for lang in ["en", "ja"] {
            add(&["simulate", f, "--lang", lang]);
            add(&["simulate", f, "--lang", lang, "--format", "json"]);
            add(&["simulate", f, "--lang", lang, "--format", "json", "--trace"]);
            add(&["lint", f, "--lang", lang]);
            add(&["lint", f, "--lang", lang, "--format", "json"]);
            add(&["fix", f, "--lang", lang]);
            add(&["fix", f, "--lang", lang, "--format", "json"]);
        }
        add(&["records", f, "--lang", "en"]);
        add(&["records", f, "--lang", "en", "--format", "json"]);
    }
    let scenarios = ids(&["scenario", "list"]);
    assert!(scenarios.len() >= 6, "scenario ids: {scenarios:?}");
    for lang in ["en", "ja"] {
        add(&["scenario", "list", "--lang", lang]);
        add(&["scenario", "list", "--lang", lang, "--format", "json"]);
        add(&["exercise", "list", "--lang", lang]);
        add(&["exercise", "list", "--lang", lang, "--format", "json"]);
        add(&["exercise", "new", "--lang", lang]);
        add(&["exercise", "new", "--lang", lang, "--format", "json"]);
    }
    let policy = "tests/playground/cloudtrail-trail.json";
    for id in &scenarios {
        for lang in ["en", "ja"] {
            add(&["scenario", "show", id, "--lang", lang]);
            add(&["scenario", "show", id, "--lang", lang, "--format", "json"]);
            add(&["snippet", id, "--lang", lang]);
            add(&["snippet", id, "--lang", lang, "--format", "json"]);
            add(&["snippet", id, "--lang", lang, "--merge", policy]);
            add(&[
                "snippet", id, "--lang", lang, "--merge", policy, "--format", "json",
            ]);
        }
        add(&["scenario", "run", id, "--policy", policy, "--lang", "en"]);
        add(&[
            "scenario", "run", id, "--policy", policy, "--lang", "en", "--format", "json",
        ]);
    }
    let exercises = ids(&["exercise", "list"]);
    assert!(exercises.len() >= 6, "exercise ids: {exercises:?}");
    for id in &exercises {
        for lang in ["en", "ja"] {
            add(&["exercise", "show", id, "--hints", "--lang", lang]);
            add(&[
                "exercise", "show", id, "--hints", "--lang", lang, "--format", "json",
            ]);
        }
        add(&["exercise", "show", id, "--lang", "en", "--format", "json"]);
        add(&["exercise", "start", id, "--lang", "en"]);
        add(&["exercise", "start", id, "--lang", "en", "--format", "json"]);
        // Checking the starting file itself: the goals it does not meet yet.
        let start = scratch.join(format!("{id}.json"));
        let out = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
            .args(["exercise", "start", id])
            .current_dir(root())
            .output()
            .unwrap();
        std::fs::write(&start, out.stdout).unwrap();
        let start = start.to_string_lossy().into_owned();
        for lang in ["en", "ja"] {
            add(&["exercise", "check", id, &start, "--lang", lang]);
            add(&[
                "exercise", "check", id, &start, "--lang", lang, "--format", "json",
            ]);
        }
    }
    list
}

/// The command's line in the manifest: scratch paths written as `$TMP`.
fn label(words: &[String], scratch: &Path) -> String {
    words.join(" ").replace(&*scratch.to_string_lossy(), "$TMP")
}

#[test]
fn every_output_is_as_recorded() {
    let scratch = std::env::temp_dir().join(format!("kmsplay-golden-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut got = BTreeMap::new();
    for words in commands(&scratch) {
        let out = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
            .args(&words)
            .env("LANG", "C")
            .current_dir(root())
            .output()
            .unwrap();
        // Paths of the scratch files appear in some messages.
        let clean = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .replace(&*scratch.to_string_lossy(), "$TMP")
                .into_bytes()
        };
        let line = format!(
            "{} {} {}",
            fingerprint(&clean(&out.stdout)),
            fingerprint(&clean(&out.stderr)),
            out.status.code().unwrap_or(-1)
        );
        got.insert(label(&words, &scratch), line);
    }
    std::fs::remove_dir_all(&scratch).ok();
    let manifest = root().join("tests/golden/cli.txt");
    let written: String = got
        .iter()
        .map(|(cmd, line)| format!("{line}  {cmd}\n"))
        .collect();
    if std::env::var("KMSPLAY_GOLDEN").as_deref() == Ok("write") {
        std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
        std::fs::write(&manifest, written).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&manifest).expect("tests/golden/cli.txt");
    let mut want = BTreeMap::new();
    for l in expected.lines() {
        let (line, cmd) = l.split_once("  ").expect("fingerprints  command");
        want.insert(cmd.to_string(), line.to_string());
    }
    let mut wrong = Vec::new();
    for (cmd, line) in &got {
        match want.get(cmd) {
            Some(w) if w == line => {}
            Some(w) => wrong.push(format!("changed: kmsplay {cmd}\n  was {w}\n  now {line}")),
            None => wrong.push(format!("new: kmsplay {cmd}")),
        }
    }
    for cmd in want.keys().filter(|c| !got.contains_key(*c)) {
        wrong.push(format!("gone: kmsplay {cmd}"));
    }
    assert!(
        wrong.is_empty(),
        "{} of {} outputs differ (stdout, stderr, exit status):\n{}",
        wrong.len(),
        got.len(),
        wrong.join("\n")
    );
}
