//! Every text a person reads comes from the catalogues. This test fails
//! when UI code (the page's components, the command line's output) writes
//! words of its own instead of asking for a message id.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(sources(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// Does a literal read as words (two letters in a row, outside `{…}`
/// placeholders)? Symbols, punctuation and format strings made only of
/// placeholders are fine.
fn has_words(literal: &str) -> bool {
    let mut depth = 0;
    let mut run = 0;
    for c in literal.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 && c.is_alphabetic() => {
                run += 1;
                if run >= 2 {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        run = 0;
    }
    false
}

/// String literals of a line (simple: UI text uses no raw strings).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'/') {
            break;
        }
        if c == '\'' {
            // A char literal such as '"': skip it.
            let mut ahead = chars.clone();
            let first = ahead.next();
            let second = ahead.next();
            if first == Some('\\') || second == Some('\'') {
                chars.next();
                chars.next();
                if first == Some('\\') {
                    chars.next();
                }
            }
            continue;
        }
        if c == '"' {
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    c => s.push(c),
                }
            }
            out.push(s);
        }
    }
    out
}

/// The literal a person would see on this line, if any: an html! text
/// node, an attribute people read, or a printed format string.
fn visible_literal(line: &str) -> Option<String> {
    let l = line.trim_start();
    let start = if l.starts_with("{ \"") {
        Some(2)
    } else {
        [
            "aria-label=\"",
            "title=\"",
            "placeholder=\"",
            "alt=\"",
            "out!(\"",
            "err!(\"",
            "println!(\"",
            "eprintln!(\"",
        ]
        .iter()
        .find_map(|p| l.find(p).map(|i| i + p.len() - 1))
    }?;
    literals(&l[start..]).into_iter().next()
}

fn visible_position(line: &str) -> bool {
    visible_literal(line).is_some()
}

#[test]
fn ui_code_writes_no_words_of_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut offenders = Vec::new();
    for dir in ["web/src", "crates/cli/src"] {
        for file in sources(&root.join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains("#[cfg(test)]") {
                    break;
                }
                if line.trim_start().starts_with("//") {
                    continue;
                }
                if let Some(lit) = visible_literal(line).filter(|l| has_words(l)) {
                    offenders.push(format!("{}:{}: \"{lit}\"", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "user-visible text written outside the catalogues:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_check_catches_a_literal() {
    assert!(visible_position(r#"                { "Hello there" }"#));
    assert!(visible_position(r#"    out!("{mark} done");"#));
    assert_eq!(
        visible_literal(r#"    out!("    {}", field(r, "message"));"#).as_deref(),
        Some("    {}")
    );
    assert!(has_words("Hello there"));
    assert!(has_words("{mark} done"));
    assert!(!has_words("{name}: {value}"));
    assert!(!has_words(" → "));
    assert_eq!(
        literals(r#"out!("{a} x", b); // "comment""#),
        vec!["{a} x".to_string()]
    );
    assert_eq!(
        literals(r#"let q = '"'; out!("x");"#),
        vec!["x".to_string()]
    );
}
