//! Times the page's derivation for a 32 KB policy natively (a rough guide
//! to where a keystroke's time goes): `cargo run --release -p kmsplay-web --example derive_timing`.
use kmsplay_messages::Lang;
use kmsplay_web::derive::derive;
use kmsplay_web::workspace::Workspace;
use std::time::Instant;

fn main() {
    let mut statements = Vec::new();
    let mut body = String::new();
    for i in 0.. {
        let s = format!(
            r#"{{"Sid":"Reader {i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::222222222222:user/reader{i}"}},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.us-west-2.amazonaws.com"}}}}}}"#
        );
        statements.push(s);
        let next = format!(
            "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
            statements.join(",\n")
        );
        if next.len() > 32000 {
            break;
        }
        body = next;
    }
    let ws = Workspace {
        policy: body.clone(),
        ..Workspace::default_example()
    };
    for scenario in ["", "cloudtrail-trail"] {
        let t = Instant::now();
        let n = 20;
        for _ in 0..n {
            std::hint::black_box(derive(&ws, scenario, &[], &[], &[], Lang::En));
        }
        println!(
            "derive {scenario:?}: {:.2} ms",
            t.elapsed().as_secs_f64() * 1000.0 / n as f64
        );
    }
    let t = Instant::now();
    for _ in 0..20 {
        std::hint::black_box(kmsplay_policy::parse_text(
            &body,
            kmsplay_policy::PolicyKind::Resource,
        ));
    }
    println!("parse: {:.2} ms", t.elapsed().as_secs_f64() * 1000.0 / 20.0);
    let t = Instant::now();
    let ctx = kmsplay_lab::findings::LintContext {
        key: None,
        kind: kmsplay_policy::PolicyKind::Resource,
        scenario: None,
    };
    for _ in 0..20 {
        std::hint::black_box(kmsplay_lab::findings::lint_text(&body, &ctx));
    }
    println!("lint: {:.2} ms", t.elapsed().as_secs_f64() * 1000.0 / 20.0);
    let file = ws.to_file_text();
    let t = Instant::now();
    for _ in 0..20 {
        std::hint::black_box(kmsplay_playground::simulate_json(&file, Lang::En, false).ok());
    }
    println!(
        "simulate_json: {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0 / 20.0
    );

    // The steps of one derivation, to see which of them a keystroke pays for.
    let step = |name: &str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..20 {
            f();
        }
        println!(
            "  {name}: {:.2} ms",
            t.elapsed().as_secs_f64() * 1000.0 / 20.0
        );
    };
    let file_text = serde_json::to_string(&ws.to_file_value()).unwrap_or_default();
    let parsed = kmsplay_playground::read(&file_text).expect("the file reads");
    step("file text", &mut || {
        std::hint::black_box(serde_json::to_string(&ws.to_file_value()).ok());
    });
    step("read", &mut || {
        std::hint::black_box(kmsplay_playground::read(&file_text).ok());
    });
    step("report", &mut || {
        std::hint::black_box(kmsplay_playground::report_file(
            &parsed,
            &file_text,
            Lang::En,
            false,
        ));
    });
    step("lint file", &mut || {
        std::hint::black_box(kmsplay_lab::findings::lint_file(&parsed, None));
    });
    step("line index", &mut || {
        std::hint::black_box(kmsplay_json::LineIndex::new(&ws.policy));
    });
}
