//! The line diff a fix shows.

use crate::snippets::pretty;
use kmsplay_json::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Del,
    Add,
}

/// Lines without their ending (`\r\n` or `\n`); a final line break ends
/// the last line rather than starting an empty one.
fn split_lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// A unified-style diff of `old` and `new` by lines (longest common
/// subsequence), three lines of context, `@@ -a,b +c,d @@` headers whose
/// line numbers start after `first_line`.
pub fn line_diff(old: &str, new: &str, first_line: usize) -> String {
    // A policy on one line (as pasted from the console or a CLI's output)
    // would give a single `-{…}` / `+{…}` line pair nobody can read: the
    // change is shown between the formatted texts instead.
    const READABLE: usize = 160;
    let long = |t: &str| t.lines().any(|l| l.chars().count() > READABLE);
    if long(old) || long(new) {
        if let (Ok(a), Ok(b)) = (kmsplay_json::parse(old), kmsplay_json::parse(new)) {
            let (a, b) = (formatted(&a), formatted(&b));
            if !long(&a) && !long(&b) {
                return plain_line_diff(&a, &b, 0);
            }
        }
    }
    plain_line_diff(old, new, first_line)
}

/// A JSON text formatted as the page's Format button writes it.
fn formatted(node: &Node) -> String {
    pretty(&kmsplay_playground::node_value(node))
}

fn plain_line_diff(old: &str, new: &str, first_line: usize) -> String {
    let a = split_lines(old);
    let b = split_lines(new);
    // The common head and tail need no table.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops = vec![Op::Same; head];
    ops.extend(lcs(am, bm));
    ops.extend(std::iter::repeat_n(Op::Same, tail));

    // Line numbers (0-based) of each op in old and new.
    let mut rows = Vec::with_capacity(ops.len());
    let (mut i, mut j) = (0usize, 0usize);
    for op in &ops {
        rows.push((*op, i, j));
        match op {
            Op::Same => {
                i += 1;
                j += 1;
            }
            Op::Del => i += 1,
            Op::Add => j += 1,
        }
    }
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..rows.len()).filter(|&k| rows[k].0 != Op::Same).collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = (changed[k] + CONTEXT + 1).min(rows.len());
        k += 1;
        while k < changed.len() && changed[k] <= end + CONTEXT {
            end = (changed[k] + CONTEXT + 1).min(rows.len());
            k += 1;
        }
        let hunk = &rows[start..end];
        let old_count = hunk.iter().filter(|r| r.0 != Op::Add).count();
        let new_count = hunk.iter().filter(|r| r.0 != Op::Del).count();
        let old_start = if old_count == 0 {
            hunk[0].1
        } else {
            hunk[0].1 + 1
        };
        let new_start = if new_count == 0 {
            hunk[0].2
        } else {
            hunk[0].2 + 1
        };
        let offset = |n: usize, count: usize| {
            if n == 0 && count == 0 {
                // An empty side: `-0,0`, as diff writes it.
                0
            } else {
                n + first_line
            }
        };
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            offset(old_start, old_count),
            old_count,
            offset(new_start, new_count),
            new_count
        ));
        for (op, i, j) in hunk {
            let (mark, line) = match op {
                Op::Same => (' ', a[*i]),
                Op::Del => ('-', a[*i]),
                Op::Add => ('+', b[*j]),
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The edit script of a longest common subsequence of `a` and `b`.
fn lcs(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // table[i][j]: LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i] == b[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            ops.push(Op::Same);
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            ops.push(Op::Del);
            i += 1;
        } else {
            ops.push(Op::Add);
            j += 1;
        }
    }
    ops.extend(std::iter::repeat_n(Op::Del, n - i));
    ops.extend(std::iter::repeat_n(Op::Add, m - j));
    ops
}
