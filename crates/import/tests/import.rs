//! The import over real-format inputs (`tests/import/`, see its README for
//! where each comes from), the bad inputs, and a property: any bytes give
//! an import or an error placed inside the input, never a panic.

use kmsplay_import::{import, ImportError, Imported, Input, Options};
use proptest::prelude::*;
use std::path::PathBuf;

const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/import")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn run_with(names: &[&str], options: &Options) -> Result<Imported, ImportError> {
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| fixture(n)).collect();
    let inputs: Vec<Input<'_>> = names
        .iter()
        .zip(&bytes)
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    import(&inputs, options)
}

fn run(names: &[&str]) -> Imported {
    run_with(names, &Options::default()).unwrap_or_else(|e| panic!("{names:?}: {e:?}"))
}

fn codes(imported: &Imported) -> Vec<&'static str> {
    imported.notes.iter().map(|n| n.code).collect()
}

fn requests(imported: &Imported) -> Vec<serde_json::Value> {
    let file: serde_json::Value = serde_json::from_str(&imported.files[0].text).unwrap();
    file["requests"].as_array().unwrap().clone()
}

/// An input, what it is recognised as, how many entries are used, and the
/// skips by reason.
type KindCase = (
    &'static str,
    &'static str,
    usize,
    &'static [(&'static str, usize)],
);

/// Every kind of input is recognised, and counted.
#[test]
fn recognises_every_kind() {
    let cases: &[KindCase] = &[
        ("ct-decrypt.json", "cloudtrail-record", 1, &[]),
        ("ct-generatedatakey.json", "cloudtrail-record", 1, &[]),
        ("ct-creategrant.json", "cloudtrail-record", 1, &[]),
        ("ct-decrypt-fail.json", "cloudtrail-record", 1, &[]),
        ("seed-004-log.json", "cloudtrail-log", 3, &[]),
        ("seed-004-log.json.gz", "cloudtrail-log", 3, &[]),
        ("lookup-events.json", "cloudtrail-lookup-events", 1, &[]),
        (
            "lake-query-results.json",
            "cloudtrail-lake",
            1,
            &[("other-service", 1)],
        ),
        ("get-key-policy.json", "kms-get-key-policy", 1, &[]),
        ("describe-key.json", "kms-describe-key", 1, &[]),
        ("list-grants.json", "kms-list-grants", 1, &[]),
        ("list-resource-tags.json", "kms-list-resource-tags", 1, &[]),
        (
            "list-aliases.json",
            "kms-list-aliases",
            1,
            &[("no-target", 1)],
        ),
        (
            "authorization-details.json",
            "iam-authorization-details",
            2,
            &[],
        ),
        ("access-denied.txt", "access-denied-message", 1, &[]),
    ];
    for &(name, kind, used, skipped) in cases {
        let imported = run(&[name, "describe-key.json"]);
        let s = &imported.inputs[0];
        assert_eq!((s.kind, s.used), (kind, used), "{name}");
        let got: Vec<(&str, usize)> = s.skipped.iter().map(|k| (k.reason, k.count)).collect();
        assert_eq!(got, skipped, "{name}");
        assert_eq!(s.gzip, name.ends_with(".gz"), "{name}");
    }
}

/// The KMS guide's Decrypt example as a request: caller, operation, key,
/// encryption context, the source IP, and AWS's answer as the expectation.
#[test]
fn a_record_becomes_a_request() {
    let imported = run(&["ct-decrypt.json"]);
    assert_eq!(imported.files.len(), 1);
    assert_eq!(imported.files[0].key, KEY);
    let r = &requests(&imported)[0];
    assert_eq!(r["principal"], "arn:aws:iam::111122223333:user/Alice");
    assert_eq!(r["action"], "kms:Decrypt");
    assert_eq!(r["key"], KEY);
    assert_eq!(r["encryption_context"]["Department"], "Engineering");
    assert_eq!(r["context"]["aws:SourceIp"], "192.0.2.0");
    assert_eq!(r["expect"], "Success");
    assert_eq!(r["name"], "2025-05-20T20:45:00Z Alice kms:Decrypt");
    let file: serde_json::Value = serde_json::from_str(&imported.files[0].text).unwrap();
    assert_eq!(file["clock"], "2025-05-20T20:45:00Z");
    // Nothing but the record: the key policy is AWS's default, and the
    // caller has no IAM policy, so the playground denies what AWS allowed,
    // and says which input would settle it.
    assert_eq!(imported.files[0].disagree, 1);
    let c = codes(&imported);
    for code in [
        "import.note.key-policy-missing",
        "import.note.metadata-missing",
        "import.note.need-identity",
    ] {
        assert!(c.contains(&code), "{code} in {c:?}");
    }
    let identity = imported
        .notes
        .iter()
        .find(|n| n.code == "import.note.need-identity")
        .unwrap();
    assert_eq!(
        identity.params,
        vec![
            ("caller", "arn:aws:iam::111122223333:user/Alice".to_string()),
            ("account", "111122223333".to_string())
        ]
    );
}

/// The inputs complete: every request is decided as AWS decided it, and
/// the file simulates with every expectation met.
#[test]
fn complete_inputs_agree_with_aws() {
    let imported = run(&[
        "ct-decrypt.json",
        "ct-generatedatakey.json",
        "ct-decrypt-fail.json",
        "get-key-policy.json",
        "describe-key.json",
        "list-grants.json",
        "list-resource-tags.json",
        "list-aliases.json",
        "access-denied.txt",
    ]);
    let f = &imported.files[0];
    assert_eq!(
        (f.requests, f.agree, f.disagree),
        (4, 4, 0),
        "{:#?}",
        imported.notes
    );
    let report =
        kmsplay_playground::simulate_json(&f.text, kmsplay_messages::Lang::En, false).unwrap();
    assert!(report.all_met);
    let file: serde_json::Value = serde_json::from_str(&f.text).unwrap();
    assert_eq!(file["key"]["tags"]["Dept"], "IT");
    assert_eq!(file["key"]["aliases"][0], "alias/ExampleAlias");
    assert_eq!(
        file["key"]["grants"][0]["constraints"]["encryption_context_subset"]["Department"],
        "IT"
    );
    assert_eq!(file["key"]["state"], "Enabled");
    // The policy is kept as the string AWS printed, so positions in it are
    // the policy's own.
    assert!(file["key"]["policy"].is_string());
    // No finding: AWS's "no resource-based policy allows" is the engine's too.
    assert!(
        !codes(&imported)
            .iter()
            .any(|c| c.contains("differs") || c.contains("disagrees")),
        "{:#?}",
        imported.notes
    );
}

/// Seed 004's records (a log file, plain and gzip): three requests of the
/// same key, and the gzip import is the same file.
#[test]
fn the_seed_records_as_a_log_file() {
    let plain = run(&["seed-004-log.json"]);
    let gzip = run(&["seed-004-log.json.gz"]);
    assert_eq!(plain.files[0].text, gzip.files[0].text);
    let rs = requests(&plain);
    assert_eq!(rs.len(), 3);
    // The role session is the caller; its role's policies apply.
    assert_eq!(
        rs[1]["principal"],
        "arn:aws:sts::086441151436:assumed-role/AWSCloudTrail/i-34755b85"
    );
    // An alias ARN in keyId: the request names the alias, the key knows it.
    assert_eq!(
        rs[0]["key"],
        "arn:aws:kms:us-west-2:111122223333:alias/ExampleAliasForCloudTrailCMK"
    );
    let file: serde_json::Value = serde_json::from_str(&plain.files[0].text).unwrap();
    assert_eq!(
        file["key"]["aliases"][0],
        "alias/ExampleAliasForCloudTrailCMK"
    );
    assert_eq!(
        rs[2]["encryption_context"]["aws:cloudtrail:arn"],
        "arn:aws:cloudtrail:us-west-2:111122223333:trail/Default"
    );
    assert!(codes(&plain).contains(&"import.note.need-key-policy"));
}

/// `Records` need not come first.
#[test]
fn records_anywhere_in_a_log_file() {
    let log = String::from_utf8(fixture("seed-004-log.json")).unwrap();
    let moved = log.replacen('{', r#"{"Extra": {"Records": 1},"#, 1);
    let imported = import(
        &[Input {
            name: "moved.json",
            bytes: moved.as_bytes(),
        }],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        (imported.inputs[0].kind, imported.inputs[0].used),
        ("cloudtrail-log", 3)
    );
}

/// lookup-events and CloudTrail Lake give the request the record gives.
#[test]
fn lookup_events_and_lake_read_the_same_record() {
    let record = requests(&run(&["ct-decrypt.json"]))[0].clone();
    let lookup = requests(&run(&["lookup-events.json"]))[0].clone();
    assert_eq!(lookup, record);
    let lake_import = run(&["lake-query-results.json"]);
    let lake_file: serde_json::Value = serde_json::from_str(&lake_import.files[0].text).unwrap();
    assert_eq!(
        lake_file["clock"], "2025-05-20T20:45:00Z",
        "Lake's time, as ISO 8601"
    );
    let lake = requests(&lake_import)[0].clone();
    for field in ["principal", "action", "key", "encryption_context", "expect"] {
        assert_eq!(lake[field], record[field], "{field}");
    }
}

/// get-account-authorization-details: a user's group and managed policies
/// (the default version, not v1's Deny) are its identity policies; a role's
/// URL-encoded inline policy is decoded; its boundary is kept.
#[test]
fn authorization_details_become_identities() {
    let imported = run(&[
        "authorization-details.json",
        "ct-decrypt-fail.json",
        "get-key-policy.json",
        "describe-key.json",
    ]);
    let file: serde_json::Value = serde_json::from_str(&imported.files[0].text).unwrap();
    let ids = file["identities"].as_array().unwrap();
    let bob = ids
        .iter()
        .find(|i| i["arn"] == "arn:aws:iam::222222222222:user/Bob")
        .unwrap();
    let bob_policies = bob["policies"].as_array().unwrap();
    assert_eq!(
        bob_policies.len(),
        2,
        "managed KmsUse (v2) and the group's inline"
    );
    assert_eq!(bob_policies[0]["Statement"][0]["Effect"], "Allow");
    let ops = ids
        .iter()
        .find(|i| i["arn"] == "arn:aws:iam::222222222222:role/service-role/Ops")
        .unwrap();
    let inline: serde_json::Value =
        serde_json::from_str(ops["policies"][0].as_str().unwrap()).unwrap();
    assert_eq!(inline["Statement"][0]["Action"], "kms:Decrypt");
    assert_eq!(
        ops["permissions_boundary"]["Statement"][0]["Effect"],
        "Allow"
    );
    // Bob now has his IAM half; the key policy still lacks the other:
    // AWS's "no resource-based policy allows" is the engine's too.
    assert_eq!(imported.files[0].disagree, 0, "{:#?}", imported.notes);
}

/// An explicit deny in an SCP that the import has no way to know: the note
/// names the policy type and the account whose SCPs would settle it.
#[test]
fn says_which_input_is_missing() {
    let mut record: serde_json::Value =
        serde_json::from_slice(&fixture("ct-decrypt.json")).unwrap();
    record["errorCode"] = "AccessDenied".into();
    record["errorMessage"] = format!("User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:Decrypt on resource: {KEY} with an explicit deny in a service control policy").into();
    let text = record.to_string();
    let policy = fixture("get-key-policy.json");
    let inputs = [
        Input {
            name: "denied.json",
            bytes: text.as_bytes(),
        },
        Input {
            name: "get-key-policy.json",
            bytes: &policy,
        },
    ];
    let imported = import(&inputs, &Options::default()).unwrap();
    assert_eq!(requests(&imported)[0]["expect"], "explicitDeny");
    let n = imported
        .notes
        .iter()
        .find(|n| n.code == "import.note.need-scps")
        .expect("SCP note");
    assert_eq!(n.params, vec![("account", "111122223333".to_string())]);
    // AWS says a service control policy; the engine has none and allows.
    assert_eq!(imported.files[0].disagree, 1);
}

/// The layer AWS named against the engine's: a mismatch is a finding.
#[test]
fn a_different_layer_is_a_finding() {
    let mut record: serde_json::Value =
        serde_json::from_slice(&fixture("ct-decrypt-fail.json")).unwrap();
    record["errorMessage"] = format!("User: arn:aws:iam::222222222222:user/Bob is not authorized to perform: kms:Decrypt on resource: {KEY} because no identity-based policy allows the kms:Decrypt action").into();
    let text = record.to_string();
    let policy = fixture("get-key-policy.json");
    let inputs = [
        Input {
            name: "fail.json",
            bytes: text.as_bytes(),
        },
        Input {
            name: "p.json",
            bytes: &policy,
        },
    ];
    let imported = import(&inputs, &Options::default()).unwrap();
    let n = imported
        .notes
        .iter()
        .find(|n| n.code == "import.note.layer-differs")
        .expect("finding");
    assert_eq!(
        n.params[1],
        ("aws", "no identity-based policy allows".to_string())
    );
    assert_eq!(
        n.params[2],
        ("engine", "no resource-based policy allows".to_string())
    );
}

/// Records for two keys make two files; `--key` picks one and counts the rest.
#[test]
fn one_file_per_key() {
    let other = String::from_utf8(fixture("ct-decrypt.json"))
        .unwrap()
        .replace(
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "0987dcba-09fe-87dc-65ba-ab0987654321",
        );
    let mine = fixture("ct-decrypt.json");
    let inputs = [
        Input {
            name: "a.json",
            bytes: &mine,
        },
        Input {
            name: "b.json",
            bytes: other.as_bytes(),
        },
    ];
    let all = import(&inputs, &Options::default()).unwrap();
    assert_eq!(all.files.len(), 2);
    let one = import(
        &inputs,
        &Options {
            key: Some("1234abcd-12ab-34cd-56ef-1234567890ab".into()),
        },
    )
    .unwrap();
    assert_eq!(one.files.len(), 1);
    assert_eq!(one.files[0].key, KEY);
    let n = one
        .notes
        .iter()
        .find(|n| n.code == "import.note.other-keys")
        .unwrap();
    assert_eq!(n.params[0], ("requests", "1".to_string()));
}

/// A record whose key nothing resolves (an alias no list-aliases maps): a
/// note naming it, and the record skipped and counted.
#[test]
fn a_key_not_in_the_import_is_a_note() {
    let text = String::from_utf8(fixture("ct-generatedatakey.json"))
        .unwrap()
        .replace(
            r#""resources": [{
        "ARN": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "accountId": "111122223333"
    }],"#,
            "",
        )
        .replace(
            r#""keyId": "1234abcd-12ab-34cd-56ef-1234567890ab""#,
            r#""keyId": "alias/Unknown""#,
        );
    let desc = fixture("describe-key.json");
    let inputs = [
        Input {
            name: "r.json",
            bytes: text.as_bytes(),
        },
        Input {
            name: "d.json",
            bytes: &desc,
        },
    ];
    let imported = import(&inputs, &Options::default()).unwrap();
    assert_eq!(imported.inputs[0].skipped[0].reason, "key-unknown");
    let n = imported
        .notes
        .iter()
        .find(|n| n.code == "import.note.key-unresolved")
        .unwrap();
    assert_eq!(n.params, vec![("key", "alias/Unknown".to_string())]);
}

/// Bad input: a clear error that names the file, and says where.
#[test]
fn bad_inputs_are_errors_that_name_the_file() {
    let e = run_with(&["not-aws.txt"], &Options::default()).unwrap_err();
    assert_eq!(
        (e.code, e.file.as_str()),
        ("import.error.unrecognised", "not-aws.txt")
    );
    let e = run_with(&["truncated.json.gz"], &Options::default()).unwrap_err();
    assert_eq!(e.code, "import.error.gzip-truncated");
    // A gzip bomb: 80 MiB inflated from 80 KB, refused at the limit.
    let e = run_with(&["bomb.json.gz"], &Options::default()).unwrap_err();
    assert_eq!(e.code, "import.error.gzip-too-large");
    assert!(e
        .params
        .contains(&("max", kmsplay_import::MAX_TEXT_BYTES.to_string())));
    // The syntax error inside `Policy`, placed in the policy's own text:
    // line 16 lacks its comma, so line 17 column 13 is unexpected.
    let e = run_with(&["invalid-policy-syntax.json"], &Options::default()).unwrap_err();
    assert_eq!(
        (e.code, e.inner.as_deref(), e.line, e.column),
        ("json-unexpected-char", Some("Policy"), Some(17), Some(13))
    );
    // A truncated log file: the position is the end of its text.
    let log = fixture("seed-004-log.json");
    let cut = &log[..log.len() / 2];
    let e = import(
        &[Input {
            name: "cut.json",
            bytes: cut,
        }],
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.file.as_str()),
        ("json-unexpected-end", "cut.json")
    );
    assert!(e.line.is_some());
    // Over the size limit (100 MB), refused before it is read.
    let big = vec![b' '; kmsplay_import::MAX_INPUT_BYTES + 1];
    let e = import(
        &[Input {
            name: "big.json",
            bytes: &big,
        }],
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, "import.error.too-large");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Any bytes: an import or an error inside the input, never a panic.
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), prefix in 0usize..4) {
        let prefixes: [&[u8]; 4] = [b"", b"{\"Records\": [", b"{\"eventSource\": \"kms.amazonaws.com\", \"eventName\": \"Decrypt\", ", b"User: "];
        let mut input = prefixes[prefix].to_vec();
        input.extend(bytes);
        match import(&[Input { name: "x", bytes: &input }], &Options::default()) {
            Ok(imported) => {
                for f in &imported.files {
                    prop_assert!(kmsplay_playground::read(&f.text).is_ok(), "{}", f.text);
                }
            }
            Err(e) => {
                if let Some(s) = e.span {
                    prop_assert!(s.start <= s.end && s.end <= input.len());
                }
                prop_assert_eq!(e.file, "x");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// A real input with a few bytes changed or cut: still an import (every
    /// file it builds reads back) or an error inside the input.
    #[test]
    fn damaged_real_inputs(which in 0usize..6, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4), cut in any::<usize>()) {
        let names = ["ct-decrypt.json", "seed-004-log.json", "authorization-details.json", "lookup-events.json", "lake-query-results.json", "list-grants.json"];
        let mut bytes = fixture(names[which]);
        for (at, b) in edits {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        if cut % 3 == 0 {
            bytes.truncate(cut % bytes.len());
        }
        match import(&[Input { name: "y", bytes: &bytes }], &Options::default()) {
            Ok(imported) => {
                for f in &imported.files {
                    prop_assert!(kmsplay_playground::read(&f.text).is_ok(), "{}", f.text);
                }
            }
            Err(e) => {
                if let Some(s) = e.span {
                    prop_assert!(s.start <= s.end && s.end <= bytes.len());
                }
            }
        }
    }
}
