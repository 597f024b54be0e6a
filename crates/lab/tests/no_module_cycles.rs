//! No module of any crate of the workspace depends on itself through other
//! modules (issue #14, "Small rooms").
//!
//! For each package (`crates/*`, `web`, `web/extras`) and each of its crate
//! roots (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`) the test walks the
//! `mod` declarations to every file of the crate, reads each module's
//! paths — `use crate::…`, `crate::x::…`, `super::…`, `self::…` and the
//! paths that start with one of the module's own child modules, in `use`
//! declarations and in code alike — and resolves each to the module that
//! defines the named item, following `pub use` re-exports (so `crate::Foo`
//! re-exported at the root from `a` counts as a dependency on `a`, not on
//! the root). A module depends on another when it names anything of it;
//! a parent does not depend on a child merely by declaring it. Test modules
//! (`#[cfg(test)]` items) are left out: `use super::*` in a test module is
//! how tests work. The graph must have no cycle; when it has, the test
//! fails naming each one with the file and line of every edge.
//!
//! Only the standard library is used: a small lexer skips comments,
//! strings and characters, and a small parser reads `use` trees, `mod`
//! declarations, item names and paths.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Tokens of `src`, without comments, string and character literals and
/// numbers (only identifiers, `::` and punctuation are kept).
fn lex(src: &str) -> Vec<Token> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let n = s.len();
    while i < n {
        let c = s[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && i + 1 < n && s[i + 1] == '/' {
            while i < n && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && i + 1 < n && s[i + 1] == '*' {
            let mut depth = 0;
            while i < n {
                if s[i] == '/' && i + 1 < n && s[i + 1] == '*' {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && i + 1 < n && s[i + 1] == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if s[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&s, i + 1, &mut line);
        } else if (c == 'r' || c == 'b') && raw_or_byte_string_at(&s, i) {
            i = skip_raw_or_byte_literal(&s, i, &mut line);
        } else if c == '\'' {
            // A character literal or a lifetime.
            if i + 1 < n && s[i + 1] == '\\' {
                i = skip_char_literal(&s, i);
            } else if i + 2 < n && s[i + 2] == '\'' {
                i += 3;
            } else {
                // A lifetime: skip the quote and its name.
                i += 1;
                while i < n && is_ident_char(s[i]) {
                    i += 1;
                }
            }
        } else if c == 'r' && i + 2 < n && s[i + 1] == '#' && is_ident_start(s[i + 2]) {
            // A raw identifier.
            let start = i + 2;
            i = start;
            while i < n && is_ident_char(s[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(s[start..i].iter().collect()),
                line,
            });
        } else if is_ident_start(c) {
            let start = i;
            while i < n && is_ident_char(s[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(s[start..i].iter().collect()),
                line,
            });
        } else if c.is_ascii_digit() {
            while i < n
                && (is_ident_char(s[i]) || s[i] == '.' && i + 1 < n && s[i + 1].is_ascii_digit())
            {
                i += 1;
            }
        } else if c == ':' && i + 1 < n && s[i + 1] == ':' {
            out.push(Token {
                tok: Tok::Path,
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                tok: Tok::Punct(c),
                line,
            });
            i += 1;
        }
    }
    out
}

/// Index after the raw string, byte string or byte character starting at
/// `i` (`r"…"`, `r#"…"#`, `b"…"`, `br"…"`, `b'…'`).
fn skip_raw_or_byte_literal(s: &[char], i: usize, line: &mut usize) -> usize {
    let n = s.len();
    let mut j = i;
    if s[j] == 'b' {
        j += 1;
    }
    if j < n && s[j] == '\'' {
        return skip_char_literal(s, j);
    }
    if j >= n || s[j] != 'r' {
        return skip_string(s, j + 1, line);
    }
    j += 1;
    let mut hashes = 0;
    while j < n && s[j] == '#' {
        hashes += 1;
        j += 1;
    }
    // s[j] is the opening quote.
    j += 1;
    while j < n {
        if s[j] == '\n' {
            *line += 1;
        }
        if s[j] == '"' && (0..hashes).all(|k| j + 1 + k < n && s[j + 1 + k] == '#') {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// Whether a raw string, a byte string or a byte character starts at `i`.
fn raw_or_byte_string_at(s: &[char], i: usize) -> bool {
    if i > 0 && is_ident_char(s[i - 1]) {
        return false;
    }
    let mut j = i;
    if s[j] == 'b' {
        j += 1;
        if j < s.len() && (s[j] == '"' || s[j] == '\'') {
            return true;
        }
    }
    if j < s.len() && s[j] == 'r' {
        j += 1;
        while j < s.len() && s[j] == '#' {
            j += 1;
        }
        return j < s.len() && s[j] == '"';
    }
    false
}

/// Index after the closing quote of a string whose body starts at `i`.
fn skip_string(s: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < s.len() {
        match s[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            '\n' => {
                *line += 1;
                i += 1
            }
            _ => i += 1,
        }
    }
    i
}

/// Index after a character literal whose opening quote is at `i`.
fn skip_char_literal(s: &[char], i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() {
        match s[j] {
            '\\' => j += 2,
            '\'' => return j + 1,
            _ => j += 1,
        }
    }
    j
}

// ---------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------

/// A module's path inside its crate: empty for the crate root.
type ModPath = Vec<String>;

#[derive(Debug, Default)]
struct Module {
    file: PathBuf,
    /// Names of the items the module defines (functions, types, consts,
    /// statics, traits, macros, child modules).
    items: BTreeSet<String>,
    /// Child modules.
    children: BTreeSet<String>,
    /// `pub use` re-exports: the name it is known by here, and the path it
    /// names (as written, resolved later relative to this module).
    reexports: Vec<(String, Vec<String>)>,
    /// `pub use path::*`.
    globs: Vec<Vec<String>>,
    /// Every path this module names that may lead to a module of the
    /// crate (as written), with its line.
    refs: Vec<(Vec<String>, usize)>,
}

/// The crate behind `root_file`, one module per inline or file module.
struct Crate {
    name: String,
    modules: BTreeMap<ModPath, Module>,
}

/// Where the files of the child modules of a module live.
fn child_dir(file: &Path, inline: &[String]) -> PathBuf {
    let dir = file.parent().unwrap().to_path_buf();
    let stem = file.file_stem().unwrap().to_string_lossy().to_string();
    let mut d = if matches!(stem.as_str(), "mod" | "lib" | "main") || is_bin_root(file) {
        dir
    } else {
        dir.join(stem)
    };
    for m in inline {
        d = d.join(m);
    }
    d
}

fn is_bin_root(file: &Path) -> bool {
    file.parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "bin")
}

type Reader<'a> = &'a dyn Fn(&Path) -> Option<String>;

fn load_crate(name: &str, root_file: &Path, read: Reader) -> Crate {
    let mut krate = Crate {
        name: name.to_string(),
        modules: BTreeMap::new(),
    };
    load_file(&mut krate, Vec::new(), root_file, read);
    krate
}

fn load_file(krate: &mut Crate, path: ModPath, file: &Path, read: Reader) {
    let src = read(file).unwrap_or_else(|| panic!("cannot read {}", file.display()));
    let toks = lex(&src);
    let mut p = Parser { toks: &toks, i: 0 };
    let mut pending = Vec::new();
    p.items(krate, &path, file, &[], &mut pending);
    for (child_path, child_file) in pending {
        load_file(krate, child_path, &child_file, read);
    }
}

struct Parser<'t> {
    toks: &'t [Token],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k).map(|t| &t.tok)
    }

    fn ident(&self, k: usize) -> Option<&str> {
        match self.peek(k) {
            Some(Tok::Ident(s)) => Some(s),
            _ => None,
        }
    }

    fn punct(&self, k: usize, c: char) -> bool {
        self.peek(k) == Some(&Tok::Punct(c))
    }

    fn line(&self) -> usize {
        self.toks.get(self.i).map_or(0, |t| t.line)
    }

    /// Skips a bracketed group starting at the current `(`, `[` or `{`.
    fn skip_group(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek(0) {
            match t {
                Tok::Punct('(' | '[' | '{') => depth += 1,
                Tok::Punct(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Skips one item: up to a `;` or the end of its first top-level `{}`
    /// block (and a `;` right after it).
    fn skip_item(&mut self) {
        while let Some(t) = self.peek(0) {
            match t {
                Tok::Punct(';') => {
                    self.i += 1;
                    return;
                }
                Tok::Punct('{') => {
                    self.skip_group();
                    if self.punct(0, ';') {
                        self.i += 1;
                    }
                    return;
                }
                Tok::Punct('(' | '[') => self.skip_group(),
                Tok::Punct('}') => return,
                _ => self.i += 1,
            }
        }
    }

    /// Reads the items of module `path` up to the end of the tokens or the
    /// `}` closing an inline module. `inline` is the chain of inline
    /// modules inside the file; the file modules it declares are queued in
    /// `pending`.
    fn items(
        &mut self,
        krate: &mut Crate,
        path: &ModPath,
        file: &Path,
        inline: &[String],
        pending: &mut Vec<(ModPath, PathBuf)>,
    ) {
        krate.modules.entry(path.clone()).or_default().file = file.to_path_buf();
        // Braces opened inside this module's items (function bodies, impl
        // blocks, …): items in them are not the module's.
        let mut depth = 0usize;
        let mut is_pub = false;
        while let Some(tok) = self.peek(0).cloned() {
            let mut keeps_pub = false;
            match tok {
                Tok::Punct('#') => self.attribute(),
                Tok::Punct('{') => {
                    depth += 1;
                    self.i += 1;
                }
                Tok::Punct('}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Tok::Ident(ref w) if w == "pub" => {
                    keeps_pub = true;
                    self.i += 1;
                    if self.punct(0, '(') {
                        // pub(crate), pub(super), pub(in path): still a
                        // re-export for the modules that may see it.
                        self.skip_group();
                    }
                }
                Tok::Ident(ref w) if w == "use" && self.prev_is_item_start() => {
                    let m = krate.modules.get_mut(path).unwrap();
                    self.use_declaration(m, is_pub && depth == 0);
                }
                Tok::Ident(ref w) if w == "mod" && depth == 0 => {
                    self.module_declaration(krate, path, file, inline, pending);
                }
                Tok::Ident(ref w) if depth == 0 && is_item_keyword(w) => {
                    if let Some(name) = self.item_name(w) {
                        krate.modules.get_mut(path).unwrap().items.insert(name);
                    }
                    self.i += 1;
                }
                Tok::Ident(_) if self.starts_path() => {
                    let line = self.line();
                    let segs = self.path();
                    if !segs.is_empty() {
                        krate.modules.get_mut(path).unwrap().refs.push((segs, line));
                    }
                    keeps_pub = is_pub;
                }
                _ => {
                    self.i += 1;
                    keeps_pub = is_pub && matches!(tok, Tok::Ident(ref w) if is_modifier(w));
                }
            }
            is_pub = keeps_pub;
        }
    }

    /// An attribute (`#[…]` or `#![…]`); after `#[cfg(test)]` the item it
    /// stands on is skipped.
    fn attribute(&mut self) {
        let k = if self.punct(1, '!') { 2 } else { 1 };
        if !self.punct(k, '[') {
            self.i += 1;
            return;
        }
        let start = self.i + k;
        self.i = start;
        self.skip_group();
        let attr: Vec<&Tok> = self.toks[start..self.i].iter().map(|t| &t.tok).collect();
        let cfg_test = attr.len() >= 6
            && attr[1] == &Tok::Ident("cfg".into())
            && attr[2] == &Tok::Punct('(')
            && attr[3] == &Tok::Ident("test".into())
            && attr[4] == &Tok::Punct(')');
        if cfg_test && k == 1 {
            // Skip further attributes, then the item.
            while self.punct(0, '#') && self.punct(1, '[') {
                self.i += 1;
                self.skip_group();
            }
            self.skip_item();
        }
    }

    /// A `use` declaration of module `m`: every leaf is a reference, and a
    /// re-export too when `re_export` (a `pub use` among the module's items).
    fn use_declaration(&mut self, m: &mut Module, re_export: bool) {
        self.i += 1;
        let line = self.line();
        let mut leaves = Vec::new();
        self.use_tree(Vec::new(), &mut leaves);
        for (full, alias) in leaves {
            m.refs.push((full.clone(), line));
            if re_export {
                match alias {
                    Some(name) => m.reexports.push((name, full)),
                    None => m.globs.push(full),
                }
            }
        }
    }

    /// `mod name;` (the file is queued in `pending`) or `mod name { … }`
    /// (read here).
    fn module_declaration(
        &mut self,
        krate: &mut Crate,
        path: &ModPath,
        file: &Path,
        inline: &[String],
        pending: &mut Vec<(ModPath, PathBuf)>,
    ) {
        let Some(name) = self.ident(1).map(str::to_string) else {
            self.i += 1;
            return;
        };
        self.i += 2;
        let mut child = path.clone();
        child.push(name.clone());
        let m = krate.modules.get_mut(path).unwrap();
        m.children.insert(name.clone());
        m.items.insert(name.clone());
        if self.punct(0, ';') {
            self.i += 1;
            let dir = child_dir(file, inline);
            let flat = dir.join(format!("{name}.rs"));
            let nested = dir.join(&name).join("mod.rs");
            let f = if flat.exists() || !nested.exists() {
                flat
            } else {
                nested
            };
            pending.push((child, f));
        } else if self.punct(0, '{') {
            self.i += 1;
            let mut inner = inline.to_vec();
            inner.push(name);
            self.items(krate, &child, file, &inner, pending);
            // The closing brace.
            self.i += 1;
        }
    }

    /// The name an item keyword here introduces (`fn f`, `static mut S`,
    /// `macro_rules! m`, …), if any.
    fn item_name(&self, keyword: &str) -> Option<String> {
        let k = match keyword {
            "static" if self.ident(1) == Some("mut") => 2,
            "macro_rules" if self.punct(1, '!') => 2,
            _ => 1,
        };
        self.ident(k).filter(|n| *n != "fn").map(str::to_string)
    }

    fn prev_is_item_start(&self) -> bool {
        self.i == 0
            || matches!(
                self.toks[self.i - 1].tok,
                Tok::Punct(';' | '{' | '}' | ']' | ')') | Tok::Ident(_)
            )
    }

    /// Whether the identifier here starts a path (it does not follow `::`,
    /// `.` or `$`).
    fn starts_path(&self) -> bool {
        if self.i > 0 {
            match &self.toks[self.i - 1].tok {
                Tok::Path | Tok::Punct('.' | '$') => return false,
                _ => {}
            }
        }
        true
    }

    /// Reads `a::b::c` (stopping before a turbofish, braces or `*`).
    fn path(&mut self) -> Vec<String> {
        let mut segs = Vec::new();
        while let Some(name) = self.ident(0) {
            segs.push(name.to_string());
            self.i += 1;
            if self.peek(0) == Some(&Tok::Path) && self.ident(1).is_some() {
                self.i += 1;
            } else {
                break;
            }
        }
        segs
    }

    /// Reads a use tree after `use` (or inside braces), pushing each leaf's
    /// full path and the name it brings in (None for a glob). Ends after
    /// the closing `;` at the top level.
    fn use_tree(&mut self, prefix: Vec<String>, leaves: &mut Vec<(Vec<String>, Option<String>)>) {
        let top = prefix.is_empty();
        loop {
            let mut full = prefix.clone();
            if self.peek(0) == Some(&Tok::Path) {
                self.i += 1; // a leading `::`
            }
            while let Some(Tok::Ident(s)) = self.peek(0) {
                full.push(s.clone());
                self.i += 1;
                if self.peek(0) == Some(&Tok::Path) {
                    self.i += 1;
                } else {
                    break;
                }
            }
            match self.peek(0) {
                Some(Tok::Punct('{')) => {
                    self.i += 1;
                    self.use_tree(full, leaves);
                    // use_tree inside braces stops at the closing `}`.
                    self.i += 1;
                }
                Some(Tok::Punct('*')) => {
                    self.i += 1;
                    leaves.push((full, None));
                }
                _ => {
                    let mut alias = full.last().cloned();
                    if self.ident(0) == Some("as") {
                        alias = self.ident(1).map(str::to_string);
                        self.i += 2;
                    }
                    if alias.as_deref() == Some("self") {
                        alias = full.iter().rev().nth(1).cloned();
                    }
                    if !full.is_empty() {
                        leaves.push((full, alias));
                    }
                }
            }
            match self.peek(0) {
                Some(Tok::Punct(',')) => {
                    self.i += 1;
                    if !top && self.punct(0, '}') {
                        return;
                    }
                }
                Some(Tok::Punct('}')) if !top => return,
                Some(Tok::Punct(';')) if top => {
                    self.i += 1;
                    return;
                }
                None => return,
                _ => {
                    // Something unexpected: give up on this declaration.
                    if top {
                        self.skip_item();
                    }
                    return;
                }
            }
        }
    }
}

fn is_item_keyword(w: &str) -> bool {
    matches!(
        w,
        "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static" | "union" | "macro_rules"
    )
}

fn is_modifier(w: &str) -> bool {
    matches!(w, "unsafe" | "async" | "extern" | "const" | "default")
}

// ---------------------------------------------------------------------
// Resolution and the graph
// ---------------------------------------------------------------------

impl Crate {
    /// The module a path written in module `from` names (the module that
    /// defines the item, following re-exports), or None when the path does
    /// not lead into this crate.
    fn resolve(&self, from: &ModPath, segs: &[String]) -> Option<ModPath> {
        let (base, rest) = self.anchor(from, segs)?;
        self.descend(base, rest, 0)
    }

    /// Where a path starts: `crate`, `super`, `self` or a child module of
    /// `from`; the remaining segments.
    fn anchor<'s>(&self, from: &ModPath, segs: &'s [String]) -> Option<(ModPath, &'s [String])> {
        let first = segs.first()?;
        match first.as_str() {
            "crate" => Some((Vec::new(), &segs[1..])),
            "self" => Some((from.clone(), &segs[1..])),
            "super" => {
                let mut base = from.clone();
                let mut k = 0;
                while segs.get(k).map(String::as_str) == Some("super") {
                    base.pop()?;
                    k += 1;
                }
                Some((base, &segs[k..]))
            }
            name if self.modules.get(from)?.children.contains(name) => Some((from.clone(), segs)),
            _ => None,
        }
    }

    /// Follows `rest` from module `base` down its child modules, then
    /// through the re-exports of the item it names.
    fn descend(&self, mut base: ModPath, rest: &[String], hops: usize) -> Option<ModPath> {
        if hops > 32 {
            return Some(base);
        }
        let mut k = 0;
        while let Some(seg) = rest.get(k) {
            let m = self.modules.get(&base)?;
            if m.children.contains(seg) {
                base.push(seg.clone());
                k += 1;
            } else {
                break;
            }
        }
        let Some(name) = rest.get(k) else {
            return Some(base);
        };
        if name == "self" {
            return Some(base);
        }
        let m = self.modules.get(&base)?;
        if m.items.contains(name) {
            return Some(base);
        }
        // Re-exported under this name: the path it names, from here.
        for (alias, target) in &m.reexports {
            if alias == name {
                return match self.anchor(&base, target) {
                    Some((b, r)) => self.descend(b, r, hops + 1).or(Some(base)),
                    // Re-exported from another crate: no module of this one.
                    None => None,
                };
            }
        }
        for glob in &m.globs {
            let Some((b, r)) = self.anchor(&base, glob) else {
                continue;
            };
            let Some(g) = self.descend(b, r, hops + 1) else {
                continue;
            };
            let Some(gm) = self.modules.get(&g) else {
                continue;
            };
            if gm.items.contains(name) || gm.reexports.iter().any(|(a, _)| a == name) {
                return self.descend(g, std::slice::from_ref(name), hops + 1);
            }
        }
        Some(base)
    }

    /// Every dependency between two different modules, with the first
    /// place (file and line) that makes it.
    fn edges(&self) -> BTreeMap<(ModPath, ModPath), (PathBuf, usize)> {
        let mut edges = BTreeMap::new();
        for (from, m) in &self.modules {
            for (segs, line) in &m.refs {
                let Some(to) = self.resolve(from, segs) else {
                    continue;
                };
                if &to == from {
                    continue;
                }
                edges
                    .entry((from.clone(), to))
                    .or_insert_with(|| (m.file.clone(), *line));
            }
        }
        edges
    }
}

fn show(p: &ModPath) -> String {
    if p.is_empty() {
        "crate".to_string()
    } else {
        format!("crate::{}", p.join("::"))
    }
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles_of(
    nodes: &[ModPath],
    edges: &BTreeMap<(ModPath, ModPath), (PathBuf, usize)>,
) -> Vec<Vec<ModPath>> {
    let index: HashMap<&ModPath, usize> = nodes.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut adj = vec![Vec::new(); nodes.len()];
    for (a, b) in edges.keys() {
        if let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) {
            adj[i].push(j);
        }
    }
    struct T<'a> {
        adj: &'a [Vec<usize>],
        idx: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T, v: usize) {
        t.idx[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for k in 0..t.adj[v].len() {
            let w = t.adj[v][k];
            match t.idx[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.idx[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        adj: &adj,
        idx: vec![None; nodes.len()],
        low: vec![0; nodes.len()],
        on: vec![false; nodes.len()],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..nodes.len() {
        if t.idx[v].is_none() {
            visit(&mut t, v);
        }
    }
    let mut comps: Vec<Vec<ModPath>> = t
        .out
        .into_iter()
        .map(|c| {
            let mut c: Vec<ModPath> = c.into_iter().map(|i| nodes[i].clone()).collect();
            c.sort();
            c
        })
        .collect();
    comps.sort();
    comps
}

/// A shortest cycle through the first module of a component.
fn one_cycle(
    comp: &[ModPath],
    edges: &BTreeMap<(ModPath, ModPath), (PathBuf, usize)>,
) -> Vec<ModPath> {
    let start = &comp[0];
    let inside: BTreeSet<&ModPath> = comp.iter().collect();
    let mut prev: BTreeMap<ModPath, ModPath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    while let Some(v) = queue.pop_front() {
        for (a, b) in edges.keys() {
            if a != &v || !inside.contains(b) {
                continue;
            }
            if b == start {
                let mut path = vec![v.clone()];
                let mut cur = v.clone();
                while &cur != start {
                    cur = prev[&cur].clone();
                    path.push(cur.clone());
                }
                path.reverse();
                path.push(start.clone());
                return path;
            }
            if !prev.contains_key(b) {
                prev.insert(b.clone(), v.clone());
                queue.push_back(b.clone());
            }
        }
    }
    comp.to_vec()
}

/// A knot of modules that depend on each other, in one crate.
struct Knot {
    /// The crate, as `folder (root file)`.
    krate: String,
    /// Its modules, sorted.
    modules: Vec<String>,
    /// One cycle through it and every dependency inside it, with places.
    text: String,
}

/// The cycles of a crate, each described with the place of every edge.
fn describe_cycles(krate: &Crate, root: &Path) -> Vec<Knot> {
    let nodes: Vec<ModPath> = krate.modules.keys().cloned().collect();
    let edges = krate.edges();
    let mut out = Vec::new();
    for comp in cycles_of(&nodes, &edges) {
        let cycle = one_cycle(&comp, &edges);
        let names: Vec<String> = cycle.iter().map(show).collect();
        let mut text = format!("{}: {}\n", krate.name, names.join(" -> "));
        for w in cycle.windows(2) {
            let (file, line) = &edges[&(w[0].clone(), w[1].clone())];
            let file = file.strip_prefix(root).unwrap_or(file);
            text += &format!(
                "  {} uses {} at {}:{}\n",
                show(&w[0]),
                show(&w[1]),
                file.display(),
                line
            );
        }
        if comp.len() + 1 > cycle.len() {
            // More modules are tied in the same knot: every dependency
            // among them, since each may need breaking.
            let all: Vec<String> = comp.iter().map(show).collect();
            text += &format!("  the same knot ties {}:\n", all.join(", "));
            let inside: BTreeSet<&ModPath> = comp.iter().collect();
            for ((a, b), (file, line)) in &edges {
                if inside.contains(a) && inside.contains(b) {
                    let file = file.strip_prefix(root).unwrap_or(file);
                    text += &format!(
                        "    {} uses {} at {}:{}\n",
                        show(a),
                        show(b),
                        file.display(),
                        line
                    );
                }
            }
        }
        out.push(Knot {
            krate: krate.name.clone(),
            modules: comp.iter().map(show).collect(),
            text,
        });
    }
    out
}

// ---------------------------------------------------------------------
// The workspace
// ---------------------------------------------------------------------

/// The workspace this test belongs to, or the tree `KMSPLAY_CYCLES_ROOT`
/// names (to run the detector on another checkout, such as an older one).
fn workspace_root() -> PathBuf {
    let root = match std::env::var_os("KMSPLAY_CYCLES_ROOT") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    };
    root.canonicalize().unwrap()
}

/// The workspace's packages: every folder with a Cargo.toml and a src/.
fn packages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for parent in [root.join("crates"), root.to_path_buf()] {
        let Ok(entries) = fs::read_dir(&parent) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.join("Cargo.toml").is_file() && p.join("src").is_dir() {
                out.push(p);
            }
        }
    }
    let web_extras = root.join("web/extras");
    if web_extras.join("src").is_dir() {
        out.push(web_extras);
    }
    out.sort();
    out
}

fn crate_roots(pkg: &Path) -> Vec<PathBuf> {
    let src = pkg.join("src");
    let mut roots: Vec<PathBuf> = ["lib.rs", "main.rs"]
        .iter()
        .map(|f| src.join(f))
        .filter(|p| p.is_file())
        .collect();
    if let Ok(entries) = fs::read_dir(src.join("bin")) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "rs") {
                roots.push(e.path());
            }
        }
    }
    roots
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn read_disk(p: &Path) -> Option<String> {
    fs::read_to_string(p).ok()
}

/// Knots left in place on purpose, each with the reason. The test fails
/// when one of them is no longer there as listed (untied, or tied
/// differently: update the list) and when any other appears.
const KNOWN: &[(&str, &[&str], &str)] = &[];

#[test]
fn no_crate_has_a_module_cycle() {
    let root = workspace_root();
    let pkgs = packages(&root);
    assert!(
        pkgs.len() >= 10,
        "expected the workspace's packages, found {pkgs:?}"
    );
    let mut knots = Vec::new();
    let mut unreached = Vec::new();
    let mut modules = 0;
    for pkg in &pkgs {
        let mut reached = BTreeSet::new();
        for file in crate_roots(pkg) {
            let name = format!(
                "{} ({})",
                pkg.strip_prefix(&root).unwrap().display(),
                file.file_name().unwrap().to_string_lossy()
            );
            let krate = load_crate(&name, &file, &read_disk);
            modules += krate.modules.len();
            reached.extend(krate.modules.values().map(|m| m.file.clone()));
            knots.extend(describe_cycles(&krate, &root));
        }
        let mut all = Vec::new();
        rs_files(&pkg.join("src"), &mut all);
        for f in all {
            if !reached.contains(&f) {
                unreached.push(f.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    assert!(modules > 50, "only {modules} modules read");
    assert!(
        unreached.is_empty(),
        "files under src/ that no crate root reaches (not checked): {unreached:?}"
    );
    let is_known = |k: &Knot| {
        KNOWN
            .iter()
            .any(|(c, m, _)| *c == k.krate && m.iter().eq(k.modules.iter()))
    };
    let stale: Vec<String> = KNOWN
        .iter()
        .filter(|(c, m, _)| {
            !knots
                .iter()
                .any(|k| *c == k.krate && m.iter().eq(k.modules.iter()))
        })
        .map(|(c, m, _)| format!("{c}: {}", m.join(", ")))
        .collect();
    let new: Vec<&Knot> = knots.iter().filter(|k| !is_known(k)).collect();
    let text: String = new.iter().map(|k| k.text.as_str()).collect();
    assert!(new.is_empty(), "{} module cycle(s):\n{text}", new.len());
    assert!(
        stale.is_empty(),
        "listed in KNOWN but no longer there as listed (update the list): {stale:?}"
    );
}

// ---------------------------------------------------------------------
// The detector on small made-up crates
// ---------------------------------------------------------------------

fn cycles_in(files: &[(&str, &str)]) -> Vec<String> {
    let map: HashMap<PathBuf, String> = files
        .iter()
        .map(|(p, s)| (PathBuf::from(p), s.to_string()))
        .collect();
    let read = move |p: &Path| map.get(p).cloned();
    // `child_dir` looks for `x/mod.rs` on disk; these made-up crates use
    // flat files only.
    let krate = load_crate("t", Path::new("/t/src/lib.rs"), &read);
    describe_cycles(&krate, Path::new("/t"))
        .into_iter()
        .map(|k| k.text)
        .collect()
}

#[test]
fn a_cycle_through_three_modules_is_named_with_its_lines() {
    let found = cycles_in(&[
        ("/t/src/lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\n"),
        ("/t/src/a.rs", "use crate::b::B;\npub fn a() {}\n"),
        ("/t/src/b.rs", "pub struct B;\nfn f() { crate::c::c(); }\n"),
        (
            "/t/src/c.rs",
            "pub fn c() {}\nfn g() {\n    super::a::a()\n}\n",
        ),
        ("/t/src/d.rs", "use crate::a;\n"),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    let text = &found[0];
    assert!(
        text.contains("crate::a -> crate::b -> crate::c -> crate::a"),
        "{text}"
    );
    assert!(
        text.contains("crate::c uses crate::a at src/c.rs:3"),
        "{text}"
    );
}

#[test]
fn re_exports_at_the_root_count_as_the_defining_module() {
    // `crate::B` is b's; a names it, b names a: a cycle, not one through
    // the root.
    let found = cycles_in(&[
        (
            "/t/src/lib.rs",
            "mod a;\nmod b;\npub use b::{B, X as Y};\npub use a::*;\n",
        ),
        ("/t/src/a.rs", "pub fn a() -> crate::B { crate::B }\n"),
        (
            "/t/src/b.rs",
            "pub struct B;\npub struct X;\nfn f() { crate::a(); }\n",
        ),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("crate::a -> crate::b -> crate::a"),
        "{found:?}"
    );
    // The root itself only re-exports: no root in the cycle.
    assert!(!found[0].contains("crate ->"), "{found:?}");
}

#[test]
fn a_child_naming_its_parent_that_names_it_is_a_cycle() {
    let found = cycles_in(&[
        ("/t/src/lib.rs", "mod a;\n"),
        ("/t/src/a.rs", "mod inner {\n    use super::Shared;\n    pub fn go() {}\n}\npub struct Shared;\npub fn run() { inner::go() }\n"),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("crate::a -> crate::a::inner -> crate::a"),
        "{found:?}"
    );
}

#[test]
fn test_modules_comments_and_strings_do_not_count() {
    let found = cycles_in(&[
        ("/t/src/lib.rs", "mod a;\nmod b;\n"),
        (
            "/t/src/a.rs",
            "pub fn a() { crate::b::b() }\n#[cfg(test)]\nmod tests {\n    use crate::b::*;\n}\n",
        ),
        (
            "/t/src/b.rs",
            "//! See [`crate::a::a`].\npub fn b() { let _ = \"crate::a::a\"; let _ = r#\"crate::a\"#; let _c = '\"'; }\n/* crate::a::a() */\n#[cfg(test)]\nfn helper() { crate::a::a() }\n",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn another_crates_item_re_exported_at_the_root_is_not_the_roots() {
    let found = cycles_in(&[
        (
            "/t/src/lib.rs",
            "pub mod a;\npub use other::share;\npub fn root() { a::a() }\n",
        ),
        ("/t/src/a.rs", "use crate::share;\npub fn a() {}\n"),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_parent_declaring_a_child_does_not_depend_on_it() {
    let found = cycles_in(&[
        ("/t/src/lib.rs", "mod a;\npub fn root() {}\n"),
        ("/t/src/a.rs", "pub fn a() { crate::root() }\n"),
    ]);
    assert!(found.is_empty(), "{found:?}");
}
