//! Every sentence a person reads, in one place.
//!
//! The engine crates speak in codes with named parameters; this crate turns
//! them into English or Japanese. Catalogues are plain text files, one
//! `id = text with {param}` per line, so a third language is one more file.
//!
//! Why not Fluent: the playground needs named parameters and nothing else —
//! no plural or gender selectors (Japanese has none; English messages are
//! written to avoid them) — and Fluent's runtime (plural rules, locale
//! negotiation, bidi isolation marks) would add to every download of the
//! wasm bundle. A 100-line renderer tested against both catalogues does the
//! job.
#![deny(missing_docs)]

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language the playground speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Picks a language from a tag or a `LANG`-style value (`ja_JP.UTF-8`,
    /// `ja-JP`, `en`); None for anything else.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The catalogue files of every language, by name: each area of the
    /// product keeps its own file so that work on one does not collide
    /// with another. `locales/<tag>/<name>.txt` in this crate.
    pub const FILES: [&'static str; 9] = [
        "core",
        "findings",
        "scenarios",
        "exercises",
        "ui",
        "lifecycle",
        "guardrails",
        "import",
        "analysis",
    ];

    /// Where catalogue file `name` lives, relative to the `locales`
    /// directory (`ja/ui.txt`): a page that loads its catalogues at run
    /// time fetches these.
    pub fn file_path(self, name: &str) -> String {
        format!("{}/{name}.txt", self.tag())
    }

    /// The catalogue files of a language, compiled in.
    #[cfg(feature = "embedded")]
    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::En => &[
                include_str!("../locales/en/core.txt"),
                include_str!("../locales/en/findings.txt"),
                include_str!("../locales/en/scenarios.txt"),
                include_str!("../locales/en/exercises.txt"),
                include_str!("../locales/en/ui.txt"),
                include_str!("../locales/en/lifecycle.txt"),
                include_str!("../locales/en/guardrails.txt"),
                include_str!("../locales/en/import.txt"),
                include_str!("../locales/en/analysis.txt"),
            ],
            Lang::Ja => &[
                include_str!("../locales/ja/core.txt"),
                include_str!("../locales/ja/findings.txt"),
                include_str!("../locales/ja/scenarios.txt"),
                include_str!("../locales/ja/exercises.txt"),
                include_str!("../locales/ja/ui.txt"),
                include_str!("../locales/ja/lifecycle.txt"),
                include_str!("../locales/ja/guardrails.txt"),
                include_str!("../locales/ja/import.txt"),
                include_str!("../locales/ja/analysis.txt"),
            ],
        }
    }

    fn cell(self) -> &'static OnceLock<Catalogue> {
        static CATALOGUES: [OnceLock<Catalogue>; 2] = [OnceLock::new(), OnceLock::new()];
        &CATALOGUES[self as usize]
    }

    /// With the `embedded` feature the catalogue is read from the compiled-in
    /// text on first use; without it, it is whatever [`install`] was given
    /// (empty until then, so every message renders as its id).
    fn catalogue(self) -> &'static Catalogue {
        #[cfg(feature = "embedded")]
        {
            self.cell()
                .get_or_init(|| Catalogue::read(self.sources().iter().copied()))
        }
        #[cfg(not(feature = "embedded"))]
        {
            static EMPTY: OnceLock<Catalogue> = OnceLock::new();
            self.cell()
                .get()
                .unwrap_or_else(|| EMPTY.get_or_init(Catalogue::default))
        }
    }
}

/// Gives `lang` its catalogue at run time: the text of its [`Lang::FILES`],
/// in any order. The web page does this instead of compiling the
/// catalogues into its wasm (the `embedded` feature), so that a reader
/// downloads only the language they read. False when `lang` already has a
/// catalogue (compiled in, or installed before); the first one stays.
pub fn install(lang: Lang, files: Vec<String>) -> bool {
    // Messages are borrowed for the life of the program, as compiled-in
    // ones are: a catalogue is installed once per language and page.
    let sources = files.into_iter().map(|f| &*Box::leak(f.into_boxed_str()));
    let mut installed = false;
    lang.cell().get_or_init(|| {
        installed = true;
        Catalogue::read(sources)
    });
    installed
}

/// True when `lang`'s messages can be rendered: compiled in, or installed.
pub fn is_available(lang: Lang) -> bool {
    cfg!(feature = "embedded") || lang.cell().get().is_some()
}

/// How message ids are hashed. With `fast-ids`, foldhash with a fixed
/// seed: ids are the engine's own, not an attacker's, so there is no
/// denial of service to defend against.
#[cfg(feature = "fast-ids")]
type IdHasher = foldhash::fast::FixedState;
#[cfg(not(feature = "fast-ids"))]
type IdHasher = std::collections::hash_map::RandomState;

/// A parsed catalogue: message id → text.
#[derive(Debug, Default)]
pub struct Catalogue {
    messages: HashMap<&'static str, &'static str, IdHasher>,
    /// The files it was read from (the web page hands them on to its
    /// second module, which renders messages too).
    files: Vec<&'static str>,
}

impl Catalogue {
    /// Reads `id = text` lines; `#` starts a comment line; blank lines are
    /// skipped. A trailing `\` continues nothing: one message, one line.
    pub fn parse(source: &'static str) -> Catalogue {
        let messages = source
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(id, text)| (id.trim(), text.trim()))
            .collect();
        Catalogue {
            messages,
            files: vec![source],
        }
    }

    /// Reads several catalogue files into one.
    fn read<'a>(sources: impl Iterator<Item = &'static str> + 'a) -> Catalogue {
        let mut all = Catalogue::default();
        for source in sources {
            all.messages.extend(Catalogue::parse(source).messages);
            all.files.push(source);
        }
        all
    }

    /// The ids, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.messages.keys().copied()
    }

    /// The raw text of `id`.
    pub fn text(&self, id: &str) -> Option<&'static str> {
        self.messages.get(id).copied()
    }
}

/// The text of the files `lang`'s catalogue was read from (compiled in,
/// or given to [`install`]); empty before it has any.
pub fn files(lang: Lang) -> &'static [&'static str] {
    &lang.catalogue().files
}

/// The catalogue of `lang`.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    lang.catalogue()
}

/// Renders message `id` in `lang` with named parameters. Falls back to
/// English, then to the id itself, so a missing translation shows as
/// something a developer can find rather than as nothing.
pub fn render(lang: Lang, id: &str, params: &[(&str, String)]) -> String {
    let text = lang
        .catalogue()
        .text(id)
        .or_else(|| Lang::En.catalogue().text(id));
    match text {
        Some(t) => fill(t, params),
        None => id.to_string(),
    }
}

/// Like [`render`] for a message without parameters.
pub fn text(lang: Lang, id: &str) -> String {
    render(lang, id, &[])
}

/// True when `id` exists in the English catalogue.
pub fn exists(id: &str) -> bool {
    Lang::En.catalogue().text(id).is_some()
}

/// Substitutes `{name}`; `{{` and `}}` are literal braces. An unknown
/// parameter is left as written.
fn fill(text: &str, params: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{') {
            if let Some(end) = tail.find('}') {
                let name = &tail[1..end];
                match params.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// [`render`] without building the sentence: `out` receives it piece by
/// piece (the message's own text between parameters, each parameter's
/// value), so that a caller writing it into a larger buffer — escaped as a
/// JSON string, say — copies it once and allocates nothing. The id is
/// `prefix` followed by `name` (`"reason."` and a reason's code), looked up
/// without joining them first. The same text as [`render`] with those
/// parameters, fallbacks included.
pub fn render_pieces<V: AsRef<str>>(
    lang: Lang,
    prefix: &str,
    name: &str,
    params: &[(&str, V)],
    mut out: impl FnMut(&str),
) {
    // Ids are short: joined on the stack, or in a String when one is not.
    let mut buf = [0u8; 96];
    let joined;
    let id = match buf.get_mut(..prefix.len() + name.len()) {
        Some(dst) => {
            dst[..prefix.len()].copy_from_slice(prefix.as_bytes());
            dst[prefix.len()..].copy_from_slice(name.as_bytes());
            std::str::from_utf8(dst).expect("two strings joined")
        }
        None => {
            joined = format!("{prefix}{name}");
            joined.as_str()
        }
    };
    let text = lang
        .catalogue()
        .text(id)
        .or_else(|| Lang::En.catalogue().text(id));
    match text {
        Some(t) => fill_pieces(t, params, &mut out),
        None => out(id),
    }
}

/// The index of the first `{` or `}` in `bytes` (its length when there is
/// none): a sentence is 100–200 bytes with two or three parameters, and
/// looking at each byte cost more than the rest of rendering.
fn next_brace(bytes: &[u8]) -> usize {
    memchr::memchr2(b'{', b'}', bytes).unwrap_or(bytes.len())
}

/// [`fill`], handing the pieces to `out` instead of joining them.
fn fill_pieces<V: AsRef<str>>(text: &str, params: &[(&str, V)], out: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    // `plain` starts the text not yet handed out; `i` looks for braces.
    let mut plain = 0;
    let mut i = 0;
    loop {
        i += next_brace(&bytes[i..]);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        // `{{` and `}}` stand for one brace: hand out the text up to and
        // including the first, skip the second.
        if bytes.get(i + 1) == Some(&b) {
            out(&text[plain..=i]);
            i += 2;
            plain = i;
            continue;
        }
        if b == b'{' {
            if let Some(len) = text[i..].find('}') {
                let end = i + len;
                if let Some((_, v)) = params.iter().find(|(n, _)| *n == &text[i + 1..end]) {
                    if plain < i {
                        out(&text[plain..i]);
                    }
                    let v = v.as_ref();
                    if !v.is_empty() {
                        out(v);
                    }
                    plain = end + 1;
                }
                // An unknown parameter stays as written.
                i = end + 1;
                continue;
            }
        }
        // A lone brace is itself.
        i += 1;
    }
    if plain < bytes.len() {
        out(&text[plain..]);
    }
}

/// The parameter names a message text uses, sorted.
pub fn parameters(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text.replace("{{", "").replace("}}", "");
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_string());
        rest = rest[start + len + 1..].to_string();
    }
    names.sort();
    names.dedup();
    names
}

// The compiled-in catalogues are what every test reads.
#[cfg(all(test, feature = "embedded"))]
mod tests {
    use super::*;

    #[test]
    fn the_files_read_are_kept_and_read_back_into_the_same_catalogue() {
        for lang in Lang::ALL {
            let files = files(lang);
            assert_eq!(files.len(), Lang::FILES.len(), "{lang:?}");
            let again = Catalogue::read(files.iter().copied());
            assert_eq!(again.messages, catalogue(lang).messages, "{lang:?}");
        }
    }

    #[test]
    fn fills_parameters() {
        let p = [("a", "1".to_string())];
        assert_eq!(fill("x {a} y {b} {{z}}", &p), "x 1 y {b} {z}");
        assert_eq!(fill("no params", &[]), "no params");
        assert_eq!(fill("broken {a", &p), "broken {a");
    }

    #[test]
    fn pieces_make_the_same_text() {
        let p = [
            ("a", "1".to_string()),
            ("b", String::new()),
            ("a", "2".into()),
        ];
        for text in [
            "x {a} y {b} {{z}}",
            "no params",
            "broken {a",
            "{a}{a}}}{{",
            "} { {c} {a{b} {}",
            "{{a}} {{{a}}}",
            "",
            "日本語 {a} です",
        ] {
            let mut pieces = String::new();
            fill_pieces(text, &p, &mut |s: &str| pieces.push_str(s));
            assert_eq!(pieces, fill(text, &p), "{text:?}");
        }
        for lang in Lang::ALL {
            for id in catalogue(lang).ids() {
                let (prefix, name) = id.split_at(id.find('.').map_or(0, |i| i + 1));
                let names = parameters(catalogue(lang).text(id).unwrap());
                let values: Vec<(&str, String)> = names
                    .iter()
                    .map(|n| (n.as_str(), format!("<{n}>")))
                    .collect();
                let mut pieces = String::new();
                render_pieces(lang, prefix, name, &values, |s| pieces.push_str(s));
                assert_eq!(pieces, render(lang, id, &values), "{id}");
            }
        }
        let mut pieces = String::new();
        render_pieces(Lang::Ja, "no.such.", &"x".repeat(100), &[("a", "b")], |s| {
            pieces.push_str(s)
        });
        assert_eq!(pieces, format!("no.such.{}", "x".repeat(100)));
    }

    #[test]
    fn picks_languages() {
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C"), None);
    }

    #[test]
    fn both_catalogues_have_the_same_ids_and_parameters() {
        let en = catalogue(Lang::En);
        let ja = catalogue(Lang::Ja);
        let mut missing = Vec::new();
        for id in en.ids() {
            match ja.text(id) {
                None => missing.push(format!("ja lacks {id}")),
                Some(t) => {
                    let want = parameters(en.text(id).unwrap_or_default());
                    if parameters(t) != want {
                        missing.push(format!("{id}: parameters differ"));
                    }
                    if t.trim().is_empty() {
                        missing.push(format!("{id}: empty"));
                    }
                }
            }
        }
        for id in ja.ids() {
            if en.text(id).is_none() {
                missing.push(format!("en lacks {id}"));
            }
        }
        missing.sort();
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn the_file_list_names_every_compiled_in_file() {
        // The page fetches Lang::FILES; the compiled-in list must be the same files.
        for lang in Lang::ALL {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales/");
            for (name, source) in Lang::FILES.iter().zip(lang.sources()) {
                let on_disk = std::fs::read_to_string(format!("{dir}{}", lang.file_path(name)))
                    .expect("catalogue file");
                assert_eq!(&on_disk, source, "{} {name}", lang.tag());
            }
            let mut names: Vec<String> = std::fs::read_dir(format!("{dir}{}", lang.tag()))
                .expect("locale dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            let mut want: Vec<String> = Lang::FILES.iter().map(|n| format!("{n}.txt")).collect();
            want.sort();
            assert_eq!(names, want, "{}", lang.tag());
        }
    }

    #[test]
    fn installing_keeps_the_first_catalogue() {
        // Compiled in here (tests run with `embedded`): installing is refused.
        assert!(!install(Lang::En, vec!["ui.title = other".into()]));
        assert_ne!(text(Lang::En, "ui.title"), "other");
        assert!(is_available(Lang::Ja));
    }

    #[test]
    fn no_id_is_defined_twice() {
        for lang in Lang::ALL {
            let mut seen = std::collections::HashSet::new();
            for source in lang.sources() {
                for line in source.lines().map(str::trim) {
                    if line.is_empty() || line.starts_with('#') {
                        continue;
                    }
                    let id = line
                        .split_once('=')
                        .map(|(id, _)| id.trim())
                        .unwrap_or(line);
                    assert!(seen.insert(id), "{} defines {id} twice", lang.tag());
                }
            }
        }
    }

    #[test]
    fn falls_back_to_the_id() {
        assert_eq!(render(Lang::Ja, "no.such.id", &[]), "no.such.id");
    }
}
