//! The npm package's TypeScript declarations of the answers
//! (`types/answers.d.ts`, included in the package's `.d.ts` by `lib.rs`)
//! are generated from the Rust answer types (`ts-rs`, through the `ts`
//! features of `kmsplay-playground`, `kmsplay-analysis` and
//! `kmsplay-lab`): this test fails when the file is
//! not what the types give today. `KMSPLAY_TS=write cargo test -p
//! kmsplay-wasm --test ts_types` writes it.

use kmsplay_analysis::{
    CallerClass, ConditionWords, Counterexample, Limit, StatementConditions, Verdict, WhoCan,
};
use kmsplay_kms::{Decision, Outcome};
use kmsplay_lab::checks::CheckAnswer;
use kmsplay_playground::answer::*;
use ts_rs::{Config, TS};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/types/answers.d.ts");

/// Every decision, by a match that stops compiling when one is added.
fn decisions() -> Vec<&'static str> {
    let all = [
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ];
    for d in all {
        match d {
            Decision::Allowed | Decision::ExplicitDeny | Decision::ImplicitDeny => {}
        }
    }
    all.iter().map(|d| d.as_str()).collect()
}

/// Every outcome, the same way.
fn outcomes() -> Vec<&'static str> {
    let all = [
        Outcome::Success,
        Outcome::AccessDenied,
        Outcome::NotFound,
        Outcome::Disabled,
        Outcome::InvalidState,
        Outcome::InvalidKeyUsage,
    ];
    for o in all {
        match o {
            Outcome::Success
            | Outcome::AccessDenied
            | Outcome::NotFound
            | Outcome::Disabled
            | Outcome::InvalidState
            | Outcome::InvalidKeyUsage => {}
        }
    }
    all.iter().map(|o| o.as_str()).collect()
}

fn union(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The declarations, as the types give them.
fn generated() -> String {
    let cfg = Config::new();
    let mut out = String::from(
        "// Generated from the Rust answer types (kmsplay_playground::answer,\n\
         // kmsplay_analysis, kmsplay_lab::checks::CheckAnswer) by\n\
         // crates/wasm/tests/ts_types.rs: do not edit; regenerate with\n\
         // KMSPLAY_TS=write cargo test -p kmsplay-wasm --test ts_types\n\n",
    );
    out.push_str("/** `allowed`, `explicitDeny` or `implicitDeny`: the decision from policies and grants alone. */\n");
    out.push_str(&format!(
        "export type Decision = {};\n\n",
        union(&decisions())
    ));
    out.push_str("/** What KMS answers. */\n");
    out.push_str(&format!(
        "export type Outcome = {};\n\n",
        union(&outcomes())
    ));
    for decl in [
        <ReportAnswer>::decl(&cfg),
        <Summary>::decl(&cfg),
        <RequestAnswer>::decl(&cfg),
        <ReasonAnswer>::decl(&cfg),
        <SourceAnswer>::decl(&cfg),
        <CrossAccountAnswer>::decl(&cfg),
        <DecidedBy>::decl(&cfg),
        <SpanAnswer>::decl(&cfg),
        <TraceAnswer>::decl(&cfg),
        <ContextValueAnswer>::decl(&cfg),
        <StatementAnswer>::decl(&cfg),
        <ConditionAnswer>::decl(&cfg),
        <IdentityPolicyAnswer>::decl(&cfg),
        <GrantAnswer>::decl(&cfg),
        <GuardrailsAnswer>::decl(&cfg),
        <NodeAnswer>::decl(&cfg),
        <LayerPolicyAnswer>::decl(&cfg),
        <BoundaryAnswer>::decl(&cfg),
        <EndpointAnswer>::decl(&cfg),
        <DiagnosticAnswer>::decl(&cfg),
        // The policy checks' answers.
        <CheckAnswer>::decl(&cfg),
        <Verdict>::decl(&cfg),
        <Counterexample>::decl(&cfg),
        <Limit>::decl(&cfg),
        <WhoCan>::decl(&cfg),
        <CallerClass>::decl(&cfg),
        <StatementConditions>::decl(&cfg),
        <ConditionWords>::decl(&cfg),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn the_packages_answer_types_are_generated_from_the_rust_types() {
    let want = generated();
    if std::env::var("KMSPLAY_TS").as_deref() == Ok("write") {
        std::fs::write(PATH, &want).expect("write types/answers.d.ts");
        return;
    }
    let have = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        have == want,
        "crates/wasm/types/answers.d.ts is not what the answer types give: \
         regenerate it with KMSPLAY_TS=write cargo test -p kmsplay-wasm --test ts_types"
    );
}
