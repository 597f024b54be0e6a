//! A no-new-access check of two 32 KB key policies (the figure:
//! at most 10 ms natively), and the other checks on the same policy.
//! `cargo bench -p kmsplay-analysis`.

use criterion::{criterion_group, criterion_main, Criterion};
use kmsplay_analysis::{lockout, no_new_access, no_public_access, who_can};

mod common;
use common::{big_policy, setting};

fn bench(c: &mut Criterion) {
    let old_text = big_policy(32 * 1024, false);
    let new_text = big_policy(32 * 1024, true);
    assert!(old_text.len() <= 32 * 1024 && new_text.len() <= 32 * 1024);
    // Every encryption-context condition changed (33 statements): no
    // caller and operation of those statements is skipped, and the walk
    // decides their requests.
    let contexts_text = common::contexts_changed(&old_text);
    assert!(contexts_text.len() <= 32 * 1024);
    let (old, new) = (setting(&old_text), setting(&new_text));
    let contexts = setting(&contexts_text);
    let report = no_new_access(&old, &new);
    eprintln!(
        "no-new-access of {} B and {} B: {:?}, {} requests decided",
        old_text.len(),
        new_text.len(),
        report.result,
        report.requests_tried
    );
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").expect("Decrypt");
    for (name, r) in [
        (
            "no-new-access, contexts changed",
            no_new_access(&old, &contexts),
        ),
        ("no-public-access", no_public_access(&new)),
        ("lockout", lockout(&new)),
    ] {
        eprintln!(
            "{name}: {:?}, {} requests decided",
            r.result, r.requests_tried
        );
    }
    let w = who_can(&new, decrypt);
    eprintln!(
        "who-can kms:Decrypt: {:?}, {} classes",
        w.result,
        w.callers.len()
    );
    c.bench_function("no_new_access_32k", |b| {
        b.iter(|| no_new_access(&old, &new))
    });
    c.bench_function("no_new_access_32k_contexts", |b| {
        b.iter(|| no_new_access(&old, &contexts))
    });
    c.bench_function("space_32k", |b| {
        b.iter(|| kmsplay_analysis::space::Space::new(&[&old, &new]))
    });
    c.bench_function("no_new_access_32k_same", |b| {
        b.iter(|| no_new_access(&old, &old))
    });
    // The single-policy checks on the larger of the two policies, so that
    // a speed-up of the shared walk is seen to help (or not hurt) them.
    c.bench_function("no_public_access_32k", |b| {
        b.iter(|| no_public_access(&new))
    });
    c.bench_function("who_can_decrypt_32k", |b| b.iter(|| who_can(&new, decrypt)));
    c.bench_function("lockout_32k", |b| b.iter(|| lockout(&new)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
