//! Runs one check of the benchmark's 32 KB policies a number of times,
//! for a profiler (criterion's timing loop is noise under callgrind):
//!
//! ```sh
//! cargo build --profile bench -p kmsplay-analysis --example profile
//! valgrind --tool=callgrind target/release/examples/profile no-new-access 3
//! ```
//!
//! Checks: `no-new-access`, `same` (a policy against itself),
//! `contexts` (every encryption-context condition changed),
//! `public`, `who-can`, `lockout`, `space`.

#[path = "../benches/common/mod.rs"]
mod common;

use kmsplay_analysis::{lockout, no_new_access, no_public_access, space::Space, who_can};

fn main() {
    let mut args = std::env::args().skip(1);
    let check = args.next().unwrap_or_else(|| "no-new-access".into());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let old = common::setting(&common::big_policy(32 * 1024, false));
    let new = common::setting(&common::big_policy(32 * 1024, true));
    let contexts = common::setting(&common::contexts_changed(&common::big_policy(
        32 * 1024,
        false,
    )));
    let decrypt = kmsplay_kms::catalogue::operation("Decrypt").expect("Decrypt");
    for _ in 0..times {
        let summary = match check.as_str() {
            "no-new-access" => format!("{:?}", no_new_access(&old, &new).result),
            "same" => format!("{:?}", no_new_access(&old, &old).result),
            "contexts" => format!("{:?}", no_new_access(&old, &contexts).result),
            "public" => format!("{:?}", no_public_access(&new).result),
            "who-can" => format!("{} classes", who_can(&new, decrypt).callers.len()),
            "lockout" => format!("{:?}", lockout(&new).result),
            "space" => format!("{} callers", Space::new(&[&old, &new]).principals.len()),
            other => {
                eprintln!("unknown check {other}");
                std::process::exit(2);
            }
        };
        println!("{check}: {summary}");
    }
}
