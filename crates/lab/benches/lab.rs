//! The lab's costs: every scenario's requests run against the key policy
//! its own snippet generates (as the page does on each keystroke), and the
//! linter on a 10-statement policy and on one at KMS's 32 KB limit.
//! Run: `cargo bench -p kmsplay-lab --bench lab`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kmsplay_kms::Key;
use kmsplay_lab::findings::{lint_text, LintContext};
use kmsplay_lab::scenarios::{self, Params};
use kmsplay_lab::snippets;
use kmsplay_policy::PolicyKind;

#[path = "../../../bench/fixtures.rs"]
mod fixtures;

fn bench(c: &mut Criterion) {
    for s in scenarios::catalogue() {
        let p = Params::defaults(s);
        let policy =
            snippets::pretty(&snippets::snippet(s, &p).as_policy(Some(p.text("key_account"))));
        let run = scenarios::run(s, &p, &policy).expect("the scenario's file builds");
        assert!(run.passed(), "{}: its own policy fails it", s.id);
        let n = run.results.len();
        c.bench_function(&format!("scenario run: {} ({n} requests)", s.id), |b| {
            b.iter(|| scenarios::run(s, black_box(&p), black_box(&policy)).map(|r| r.passed()))
        });
        c.bench_function(
            &format!("scenario decide only: {} ({n} requests)", s.id),
            |b| b.iter(|| kmsplay_playground::run(black_box(&run.file), false).len()),
        );
    }
    let key = Key::new(fixtures::KEY_ARN).unwrap();
    let ctx = LintContext {
        key: Some(&key),
        kind: PolicyKind::Resource,
        scenario: None,
    };
    for (name, text) in [
        ("10 statements", fixtures::ten_statements()),
        ("32 KB", fixtures::at_limit()),
    ] {
        c.bench_function(&format!("lint: {name} ({} bytes)", text.len()), |b| {
            b.iter(|| lint_text(black_box(&text), &ctx).len())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
