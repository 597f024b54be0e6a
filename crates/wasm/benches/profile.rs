//! A loop to profile, not a benchmark: runs one piece of the hot path N
//! times so `perf record` or `valgrind --tool=callgrind` can say where the
//! time goes (instruction counts do not depend on the machine's load).
//!
//! ```sh
//! cargo bench -p kmsplay-wasm --bench profile --no-run
//! valgrind --tool=callgrind --callgrind-out-file=target/callgrind.out \
//!   target/release/deps/profile-* authorize 20000
//! callgrind_annotate target/callgrind.out | head -40
//! ```
//!
//! What: `authorize` (the engine's decision, 10-statement policy),
//! `authorize-32k`, `authorize-trace` (with the full trace), `read-request`, `result` (decide + result object),
//! `decide` (`Playground.decide` without JavaScript), `simulate` (a whole
//! 10-statement file, parse included), `parse` (the 10-statement policy),
//! `fixtures` (`Playground.decide` of every request of tests/playground,
//! each file read once), `fixtures-authorize` (only their decisions),
//! `fixtures-simulate` and `fixtures-simulate-trace` (whole-file `simulate`
//! of every fixture).

use kmsplay_messages::Lang;
use kmsplay_policy::{parse_text, PolicyKind};
use kmsplay_wasm::engine::{self, Compiled};
use std::hint::black_box;

#[path = "../../../bench/fixtures.rs"]
mod fixtures;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let what = args.next().unwrap_or_else(|| "authorize".to_string());
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let policy = if what.ends_with("-32k") {
        fixtures::at_limit()
    } else {
        fixtures::ten_statements()
    };
    let file = fixtures::playground_file(&policy);
    let compiled = Compiled::new(&file, Lang::En).unwrap();
    let spec = Compiled::read_request(fixtures::ALICE_REQUEST, Lang::En).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/playground");
    let texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let fixtures: Vec<(Compiled, Vec<String>)> = texts
        .iter()
        .map(|text| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            let requests = v["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.to_string())
                .collect();
            (Compiled::new(text, Lang::En).unwrap(), requests)
        })
        .collect();
    let specs: Vec<Vec<_>> = fixtures
        .iter()
        .map(|(_, rs)| {
            rs.iter()
                .map(|r| Compiled::read_request(r, Lang::En).unwrap())
                .collect()
        })
        .collect();
    let start = std::time::Instant::now();
    for _ in 0..n {
        match what.trim_end_matches("-32k") {
            "authorize" => {
                black_box(kmsplay_playground::decide(
                    compiled.file(),
                    black_box(&spec),
                    false,
                ));
            }
            "authorize-trace" => {
                black_box(kmsplay_playground::decide(
                    compiled.file(),
                    black_box(&spec),
                    true,
                ));
            }
            "read-request" => {
                black_box(
                    Compiled::read_request(black_box(fixtures::ALICE_REQUEST), Lang::En).ok(),
                );
            }
            "result" => {
                black_box(compiled.decide_spec(black_box(&spec), Lang::En, false));
            }
            "decide" => {
                black_box(
                    compiled
                        .decide(black_box(fixtures::ALICE_REQUEST), Lang::En, false)
                        .ok(),
                );
            }
            "simulate" => {
                black_box(engine::simulate(black_box(&file), Lang::En, false).ok());
            }
            "parse" => {
                black_box(parse_text(black_box(&policy), PolicyKind::Resource));
            }
            "fixtures" => {
                for (c, rs) in &fixtures {
                    for r in rs {
                        black_box(c.decide(black_box(r), Lang::En, false).ok());
                    }
                }
            }
            "fixtures-simulate" | "fixtures-simulate-trace" => {
                for t in &texts {
                    black_box(
                        engine::simulate(black_box(t), Lang::En, what.ends_with("trace")).ok(),
                    );
                }
            }
            "fixtures-authorize" => {
                for ((c, _), ss) in fixtures.iter().zip(&specs) {
                    for s in ss {
                        black_box(kmsplay_playground::decide(c.file(), black_box(s), false));
                    }
                }
            }
            other => panic!("unknown: {other}"),
        }
    }
    let each = start.elapsed().as_secs_f64() / n as f64;
    eprintln!("{what}: {n} runs, {:.3} µs each", each * 1e6);
}
