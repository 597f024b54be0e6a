//! What the JavaScript API costs before any JavaScript: `Playground.decide`
//! split into its parts (reading the request, deciding, building the result
//! object), whole-file `simulate` with parsing, and every fixture of
//! tests/playground simulated.
//! Run: `cargo bench -p kmsplay-wasm --bench engine`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kmsplay_messages::Lang;
use kmsplay_wasm::engine::{self, Compiled};

#[path = "../../../bench/fixtures.rs"]
mod fixtures;

fn bench(c: &mut Criterion) {
    for (name, policy) in [
        ("10 statements", fixtures::ten_statements()),
        ("32 KB", fixtures::at_limit()),
    ] {
        let file = fixtures::playground_file(&policy);
        let compiled = Compiled::new(&file, Lang::En).unwrap();
        let req = fixtures::ALICE_REQUEST;
        let spec = Compiled::read_request(req, Lang::En).unwrap();
        assert!(compiled
            .decide(req, Lang::En, false)
            .unwrap()
            .contains(r#""decision":"allowed""#));
        c.bench_function(&format!("Playground.decide: {name}"), |b| {
            b.iter(|| compiled.decide(black_box(req), Lang::En, false).unwrap())
        });
        c.bench_function(&format!("  read request: {name}"), |b| {
            b.iter(|| Compiled::read_request(black_box(req), Lang::En).unwrap())
        });
        c.bench_function(&format!("  decide + result object: {name}"), |b| {
            b.iter(|| compiled.decide_spec(black_box(&spec), Lang::En, false))
        });
        c.bench_function(&format!("  decide only: {name}"), |b| {
            b.iter(|| {
                kmsplay_playground::decide(compiled.file(), black_box(&spec), false)
                    .authorization
                    .decision
            })
        });
        c.bench_function(
            &format!("simulate (parse + decide + report): {name}"),
            |b| b.iter(|| engine::simulate(black_box(&file), Lang::En, false).unwrap()),
        );
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    files.sort();
    let requests: usize = files
        .iter()
        .map(|f| Compiled::new(f, Lang::En).unwrap().file().requests.len())
        .sum();
    for trace in [false, true] {
        c.bench_function(
            &format!(
                "simulate every fixture ({} files, {requests} requests), trace {trace}",
                files.len()
            ),
            |b| {
                b.iter(|| {
                    files
                        .iter()
                        .filter(|f| engine::simulate(black_box(f), Lang::En, trace).is_ok())
                        .count()
                })
            },
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
