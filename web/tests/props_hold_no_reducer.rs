//! No props struct of the page's components holds the reducer (issue #14,
//! "Small rooms"). Each carries the values its component shows and one
//! callback for each thing the user can do there, made by the app
//! (`src/components/mod.rs`) from the one reducer; a `UseReducerHandle`
//! (or its dispatcher) in a props struct would let a component read and
//! change anything again.
//!
//! Reads the sources, as `crates/lab/tests/no_module_cycles.rs` does:
//! every `struct …Props` in `src/components/*.rs` and in
//! `src/guardrails.rs` (the panel the results pane renders), from its name
//! to the `}` that closes its body (or the `;` of a tuple struct), with
//! comments left out.

use std::fs;
use std::path::Path;

/// The reducer's handle and its dispatcher: either is the whole reducer.
const FORBIDDEN: [&str; 2] = ["UseReducerHandle", "UseReducerDispatcher"];

/// `src` without `//` comments: a doc comment may well name the handle.
fn without_comments(src: &str) -> String {
    src.lines()
        .map(|line| line.find("//").map_or(line, |i| &line[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every props struct of `src` (a struct whose name ends in `Props`): its
/// name and its text from the name to the end of its body.
fn props_structs(src: &str) -> Vec<(String, String)> {
    let src = without_comments(src);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = src[from..].find("struct ") {
        let start = from + at + "struct ".len();
        from = start;
        // `struct` as a word, not the end of another one.
        let word_start = src[..start - "struct ".len()]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &src[start..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !word_start || !name.ends_with("Props") {
            continue;
        }
        let Some(open) = rest.find(['{', ';']) else {
            break;
        };
        let mut end = rest.len();
        if rest.as_bytes()[open] == b';' {
            end = open;
        } else {
            let mut depth = 0;
            for (i, c) in rest[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        found.push((name, rest[..end].to_string()));
    }
    found
}

/// The props structs of `src` that hold the reducer, by name.
fn holding_the_reducer(src: &str) -> Vec<String> {
    props_structs(src)
        .into_iter()
        .filter(|(_, body)| FORBIDDEN.iter().any(|f| body.contains(f)))
        .map(|(name, _)| name)
        .collect()
}

/// The sources read: every component's file, and the guardrails panel.
fn sources() -> Vec<(String, String)> {
    let web = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = fs::read_dir(web.join("src/components"))
        .expect("src/components")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    paths.push(web.join("src/guardrails.rs"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).expect("a source file");
            let shown = p.strip_prefix(web).unwrap_or(&p).display().to_string();
            (shown, text)
        })
        .collect()
}

#[test]
fn no_props_struct_holds_the_reducer() {
    let mut names = Vec::new();
    let mut holding = Vec::new();
    for (path, text) in sources() {
        names.extend(props_structs(&text).into_iter().map(|(name, _)| name));
        holding.extend(
            holding_the_reducer(&text)
                .into_iter()
                .map(|name| format!("{path}: {name}")),
        );
    }
    assert!(
        holding.is_empty(),
        "props that hold the reducer (hand them the values they show and a callback per thing \
         they do, made in the app): {holding:?}"
    );
    // The reading found the props it must (else it would pass on nothing).
    for expected in ["EditorProps", "ResultsProps", "HeaderProps", "FixProps"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not found among {names:?}"
        );
    }
}

#[test]
fn a_props_struct_with_the_handle_is_caught() {
    let src = r#"
/// Not `UseReducerHandle` in a comment, nor in a function:
fn open(state: UseReducerHandle<AppState>) {}

#[derive(Properties, PartialEq)]
pub(super) struct PaneProps {
    pub(super) derived: Rc<Derived>,
    pub(super) state: UseReducerHandle<AppState>,
}

struct RowProps<'a> {
    // A comment naming UseReducerHandle is fine.
    dispatch: &'a UseReducerDispatcher<AppState>,
}

struct TupleProps(UseReducerHandle<AppState>);

#[derive(Properties, PartialEq)]
struct ListProps {
    lang: Lang,
    on_open: Callback<Nested<{ 1 }>>,
}

// Not props: the app's own state may well be kept beside a handle.
struct Rooms {
    state: UseReducerHandle<AppState>,
}
"#;
    assert_eq!(
        holding_the_reducer(src),
        ["PaneProps", "RowProps", "TupleProps"]
    );
    let names: Vec<String> = props_structs(src).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["PaneProps", "RowProps", "TupleProps", "ListProps"]);
}
