//! `kmsplay import`: the playground file on standard output, the notes on
//! standard error, exit 2 for bad input with nothing on standard output;
//! and end to end, `kmsplay import … > f.json && kmsplay simulate f.json`
//! agrees with AWS (exit 0) where the inputs are complete.

mod common;

use common::{root, stderr};
use std::process::{Command, Output};

/// `kmsplay ARGS --lang en` in `tests/import`, where the inputs are.
fn kmsplay(args: &[&str]) -> Output {
    common::kmsplay_en_in(&root().join("tests/import"), args)
}

#[test]
fn import_then_simulate_agrees_with_aws() {
    let o = kmsplay(&[
        "import",
        "ct-decrypt.json",
        "ct-generatedatakey.json",
        "ct-decrypt-fail.json",
        "get-key-policy.json",
        "describe-key.json",
        "list-grants.json",
        "access-denied.txt",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is the file");
    assert_eq!(file["requests"].as_array().unwrap().len(), 4);
    assert!(stderr(&o).contains("ct-decrypt.json: a CloudTrail record; 1 used"));
    assert!(stderr(&o).contains("4 decided as AWS did, 0 not"));
    let dir = std::env::temp_dir().join(format!("kmsplay-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f.json");
    std::fs::write(&path, &o.stdout).unwrap();
    let sim = kmsplay(&["simulate", path.to_str().unwrap()]);
    assert_eq!(
        sim.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&sim.stdout)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn standard_input_and_gzip() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmsplay"))
        .args(["import", "-", "--lang", "en"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let gz = std::fs::read(root().join("tests/import/seed-004-log.json.gz")).unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&gz).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("-: a CloudTrail log file, gzip-compressed; 3 used"));
    let plain = kmsplay(&["import", "seed-004-log.json"]);
    assert_eq!(o.stdout, plain.stdout);
    // The notes say what is missing.
    assert!(stderr(&plain).contains("import `aws kms get-key-policy"));
}

#[test]
fn bad_input_exits_2_naming_the_file_with_nothing_on_stdout() {
    let cases: &[(&[&str], &str)] = &[
        (&["ct-decrypt.json", "not-aws.txt"], "not-aws.txt is none of what the import reads"),
        (&["truncated.json.gz"], "truncated.json.gz is a gzip file that ends too early"),
        (&["bomb.json.gz"], "bomb.json.gz inflates to more than 67108864 bytes"),
        (
            &["ct-decrypt.json", "invalid-policy-syntax.json"],
            "invalid-policy-syntax.json: in the text of Policy, line 17, column 13: unexpected `\"` here",
        ),
        (&["no-such-file.json"], "cannot read no-such-file.json"),
        (&["get-key-policy.json"], "Nothing imported names a key"),
    ];
    for (args, want) in cases {
        let mut all = vec!["import"];
        all.extend_from_slice(args);
        let o = kmsplay(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let dir = std::env::temp_dir().join(format!("kmsplay-import-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.json");
    // 100 MB, sparse: the import reads one byte past its limit and stops.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1000 * 1000).unwrap();
    let o = kmsplay(&["import", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("the import reads files of at most 67108864 bytes"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn several_keys_need_key_or_out_dir() {
    let dir = std::env::temp_dir().join(format!("kmsplay-import-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = std::fs::read_to_string(root().join("tests/import/ct-decrypt.json"))
        .unwrap()
        .replace(
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "0987dcba-09fe-87dc-65ba-ab0987654321",
        );
    let other_path = dir.join("other.json");
    std::fs::write(&other_path, other).unwrap();
    let other_arg = other_path.to_str().unwrap();
    let o = kmsplay(&["import", "ct-decrypt.json", other_arg]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("The import has 2 keys"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("key/0987dcba-09fe-87dc-65ba-ab0987654321"));
    let o = kmsplay(&[
        "import",
        "ct-decrypt.json",
        other_arg,
        "--key",
        "0987dcba-09fe-87dc-65ba-ab0987654321",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(file["key"]["arn"]
        .as_str()
        .unwrap()
        .ends_with("0987dcba-09fe-87dc-65ba-ab0987654321"));
    let out = dir.join("out");
    let o = kmsplay(&[
        "import",
        "ct-decrypt.json",
        other_arg,
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out
        .join("1234abcd-12ab-34cd-56ef-1234567890ab.json")
        .exists());
    assert!(out
        .join("0987dcba-09fe-87dc-65ba-ab0987654321.json")
        .exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_notes_are_one_document_on_stderr() {
    let o = kmsplay(&["import", "ct-decrypt.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let notes: serde_json::Value = serde_json::from_slice(&o.stderr).expect("stderr is JSON");
    assert_eq!(notes["inputs"][0]["kind"], "cloudtrail-record");
    assert!(notes["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "import.note.need-identity"));
    serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("stdout is the file");
}
