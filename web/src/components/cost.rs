//! What a CloudTrail trail costs in KMS requests.

use crate::{t, tp};
use kmsplay_messages::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct CostProps {
    pub(super) lang: Lang,
}

/// What a trail costs in KMS requests, for a number of regions and
/// accounts, with the formula (document 004: about 288 GenerateDataKey
/// calls a day per region and account).
#[component]
pub(super) fn CostLine(props: &CostProps) -> Html {
    let lang = props.lang;
    let regions = use_state(|| "1".to_string());
    let accounts = use_state(|| "1".to_string());
    let reads = use_state(|| "0".to_string());
    let n = |h: &UseStateHandle<String>| h.trim().parse::<u64>().unwrap_or(0).min(1_000_000);
    // The engine's estimate, put in words here (not as the CLI's JSON).
    let cost =
        kmsplay_kms::records::trail_cost(n(&regions).max(1), n(&accounts).max(1), n(&reads), 30);
    let formula = tp(
        lang,
        kmsplay_kms::records::TrailCost::FORMULA,
        &cost.params(),
    );
    let number = |h: &UseStateHandle<String>, label: &'static str, testid: &'static str| {
        let handle = h.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            handle.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        });
        html! {
            <label class="param">
                <span>{ t(lang, label) }</span>
                <input type="number" min="0" data-testid={testid} value={(**h).clone()} {oninput} />
            </label>
        }
    };
    html! {
        <div class="cost" data-testid="cost">
            <h4>{ t(lang, "ui.cost.title") }</h4>
            <div class="params-grid">
                { number(&regions, "ui.cost.regions", "cost-regions") }
                { number(&accounts, "ui.cost.accounts", "cost-accounts") }
                { number(&reads, "ui.cost.reads", "cost-reads") }
            </div>
            <p data-testid="cost-formula">{ formula }</p>
        </div>
    }
}
