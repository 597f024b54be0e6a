//! Component tests in a real browser (headless Chromium via
//! wasm-bindgen-test): mount the app, type into the editor as a person
//! would (set the value, fire `input`), and read what the page shows.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn settle() {
    // Yew renders on the next tick; give it a few.
    for _ in 0..5 {
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
}

async fn mount() -> web_sys::Element {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let doc = document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<kmsplay_web::components::App>::with_root(root.clone()).render();
    settle().await;
    root
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

async fn type_policy(root: &web_sys::Element, text: &str) {
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("[data-testid=policy-editor]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn renders_a_row_per_request_with_its_decision() {
    let root = mount().await;
    let rows = all(&root, "[data-testid=result-row]");
    assert_eq!(rows.len(), 4);
    let decisions: Vec<String> = rows
        .iter()
        .map(|r| r.get_attribute("data-decision").unwrap())
        .collect();
    assert_eq!(
        decisions,
        ["allowed", "implicitDeny", "implicitDeny", "implicitDeny"]
    );
    assert_eq!(
        rows[0].get_attribute("data-outcome").as_deref(),
        Some("Success")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn typing_redecides_and_underlines_errors() {
    let root = mount().await;
    type_policy(&root, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\" \"Principal\": \"*\"}\n  ]\n}").await;
    let findings = all(&root, "[data-testid=finding]");
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].get_attribute("data-code").as_deref(),
        Some("json-unexpected-char")
    );
    assert_eq!(findings[0].get_attribute("data-line").as_deref(), Some("4"));
    assert!(
        !all(&root, ".mark-error").is_empty(),
        "the error is underlined in the editor"
    );
    // Nothing is allowed by a policy that is not JSON.
    for row in all(&root, "[data-testid=result-row]") {
        assert_ne!(
            row.get_attribute("data-decision").as_deref(),
            Some("allowed")
        );
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn a_valid_policy_allows_again() {
    let root = mount().await;
    type_policy(&root, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#).await;
    let rows = all(&root, "[data-testid=result-row]");
    // Bob is in the key's account: "*" allows him directly.
    assert_eq!(
        rows[3].get_attribute("data-decision").as_deref(),
        Some("allowed")
    );
    // Valid JSON, but "*" with kms:* and no condition is a security finding.
    let codes: Vec<String> = all(&root, "[data-testid=finding]")
        .iter()
        .map(|f| f.get_attribute("data-code").unwrap_or_default())
        .collect();
    assert!(codes.contains(&"public-principal".to_string()), "{codes:?}");
    assert!(all(&root, "[data-testid=finding][data-severity=error]").is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn line_numbers_stay_in_step_when_the_text_grows() {
    let root = mount().await;
    // One line, then thirty: the gutter's rows are rebuilt from one to many.
    type_policy(&root, "{}").await;
    let long = format!("{{\n{}  \"Version\": \"2012-10-17\"\n}}", "  \n".repeat(27));
    type_policy(&root, &long).await;
    let gutter = all(&root, ".editor-gutter > div");
    let is_spacer = |d: &web_sys::Element| d.class_name().split_whitespace().any(|c| c == "spacer");
    let numbers: Vec<String> = gutter
        .iter()
        .filter(|d| !is_spacer(d))
        .map(|d| d.text_content().unwrap_or_default())
        .collect();
    let want: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
    assert_eq!(numbers, want);
    assert!(numbers.len() >= 20, "{numbers:?}");
    // Only the spacers are sized from outside Yew; a number row with a
    // height of its own would hide the row above it.
    for row in gutter.iter().filter(|d| !is_spacer(d)) {
        assert_eq!(
            row.get_attribute("style"),
            None,
            "line {}",
            row.text_content().unwrap_or_default()
        );
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn without_the_second_module_its_panel_says_so_and_the_page_works_on() {
    // Here no `web/boot.js` defines the loader: the module cannot load.
    let root = mount().await;
    let summary: web_sys::HtmlElement = root
        .query_selector("[data-testid=lifecycle] summary")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    summary.click();
    settle().await;
    let failed = all(&root, "[data-testid=extras-failed]");
    assert_eq!(failed.len(), 1, "the panel says it could not load");
    assert_eq!(failed[0].get_attribute("role").as_deref(), Some("alert"));
    assert!(all(&root, "[data-testid=lifecycle] [data-action]").is_empty());
    // Typing still re-decides everything.
    type_policy(&root, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#).await;
    let rows = all(&root, "[data-testid=result-row]");
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[3].get_attribute("data-decision").as_deref(),
        Some("allowed")
    );
    root.remove();
}

// The second module's exports, made here from the same declarations
// (`kmsplay_web_extras::with_calls!`) as in its own wasm
// (web/extras/src/main.rs), so that this test sees what it exports.
kmsplay_web_extras::export_calls!();

#[wasm_bindgen_test]
fn every_call_the_page_makes_is_exported_by_the_second_module() {
    let exports = wasm_bindgen::exports();
    let calls = kmsplay_web::extras::Exports::NAMES;
    // The page's calls: fixes, exercises, snippets, merging, share links
    // and the catalogues; and showing the rooms the module renders (the
    // lifecycle panel, the policy checks, "Import from AWS").
    assert_eq!(calls.len(), 12, "{calls:?}");
    for name in calls {
        let export = js_sys::Reflect::get(&exports, &(*name).into()).unwrap();
        assert!(export.is_function(), "the module exports {name}");
    }
    let missing = js_sys::Reflect::get(&exports, &"no_such_call".into()).unwrap();
    assert!(missing.is_undefined(), "the check can fail");
}
