//! What the "Import from AWS" room shows for what the person pasted and
//! dropped: a pure function of the inputs (tested natively), which the
//! room's view ([`crate::room`]) renders. The import itself is
//! `kmsplay_import`'s, the same as `kmsplay import` and `importAws`.

use kmsplay_messages::{render, Lang};

/// One dropped or chosen file, as read by the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// Its name (what messages call it).
    pub name: String,
    /// Its bytes: text, or gzip as S3 stores CloudTrail logs.
    pub bytes: Vec<u8>,
}

/// What the room shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportView {
    /// What each input was recognised as (empty when the import failed).
    pub inputs: Vec<kmsplay_import::DescribedInput>,
    /// Why the import failed: the file, the place and what is wrong.
    pub error: Option<String>,
    /// What is missing, what was assumed, and findings.
    pub notes: Vec<String>,
    /// The playground files built, one per key.
    pub files: Vec<FileChoice>,
}

/// One playground file the import built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChoice {
    /// The key's ARN.
    pub key: String,
    /// "KEY: N requests; N decided as AWS did, N not".
    pub summary: String,
    /// The playground file's text, which "Open in the playground" loads.
    pub text: String,
}

/// Imports the pasted text (when not blank, named `import.room.paste-name`)
/// followed by the dropped files, and says what came of it in `lang`.
/// Nothing pasted or dropped is an empty view (no error).
pub fn view(pasted: &str, dropped: &[Dropped], lang: Lang) -> ImportView {
    let paste_name = render(lang, "import.room.paste-name", &[]);
    let mut inputs = Vec::with_capacity(dropped.len() + 1);
    if !pasted.trim().is_empty() {
        inputs.push(kmsplay_import::Input {
            name: &paste_name,
            bytes: pasted.as_bytes(),
        });
    }
    inputs.extend(dropped.iter().map(|d| kmsplay_import::Input {
        name: &d.name,
        bytes: &d.bytes,
    }));
    if inputs.is_empty() {
        return ImportView::default();
    }
    match kmsplay_import::import(&inputs, &kmsplay_import::Options::default()) {
        Ok(imported) => {
            let described = kmsplay_import::describe(&imported, lang);
            ImportView {
                inputs: described.inputs,
                error: None,
                notes: described.notes,
                files: imported
                    .files
                    .into_iter()
                    .zip(described.files)
                    .map(|(f, summary)| FileChoice {
                        key: f.key,
                        summary,
                        text: f.text,
                    })
                    .collect(),
            }
        }
        Err(e) => ImportView {
            error: Some(kmsplay_import::error_message(&e, lang)),
            ..ImportView::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = include_str!("../../../tests/import/ct-decrypt.json");
    const KEY_POLICY: &str = include_str!("../../../tests/import/get-key-policy.json");

    #[test]
    fn nothing_pasted_is_an_empty_view() {
        assert_eq!(view("  \n", &[], Lang::En), ImportView::default());
    }

    #[test]
    fn a_pasted_record_and_a_dropped_policy_make_one_file() {
        let dropped = [Dropped {
            name: "policy.json".into(),
            bytes: KEY_POLICY.as_bytes().to_vec(),
        }];
        let v = view(RECORD, &dropped, Lang::En);
        assert_eq!(v.error, None);
        assert_eq!(v.inputs.len(), 2, "{v:?}");
        assert!(
            v.inputs[0]
                .line
                .starts_with("pasted text: a CloudTrail record"),
            "{}",
            v.inputs[0].line
        );
        assert!(
            v.inputs[1].line.contains("aws kms get-key-policy output"),
            "{}",
            v.inputs[1].line
        );
        assert_eq!(v.files.len(), 1);
        let file: serde_json::Value = serde_json::from_str(&v.files[0].text).unwrap();
        assert_eq!(file["requests"].as_array().map(Vec::len), Some(1));
        assert!(
            v.files[0].summary.contains("1 requests"),
            "{}",
            v.files[0].summary
        );
    }

    #[test]
    fn the_room_speaks_japanese() {
        let v = view(RECORD, &[], Lang::Ja);
        assert!(
            v.inputs[0].line.starts_with("貼り付けたテキスト"),
            "{}",
            v.inputs[0].line
        );
    }

    #[test]
    fn an_error_names_the_input_and_the_place() {
        let dropped = [Dropped {
            name: "broken.json".into(),
            bytes: include_bytes!("../../../tests/import/invalid-policy-syntax.json").to_vec(),
        }];
        let v = view("", &dropped, Lang::En);
        let error = v.error.expect("an error");
        // Placed in the policy's own text, inside the field that held it.
        assert!(error.starts_with("broken.json"), "{error}");
        assert!(error.contains("Policy"), "{error}");
        assert!(v.files.is_empty() && v.inputs.is_empty());
    }

    #[test]
    fn a_truncated_gzip_is_an_error_not_a_panic() {
        let dropped = [Dropped {
            name: "log.json.gz".into(),
            bytes: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2],
        }];
        let error = view("", &dropped, Lang::En).error.expect("an error");
        assert!(error.contains("log.json.gz"), "{error}");
    }
}
