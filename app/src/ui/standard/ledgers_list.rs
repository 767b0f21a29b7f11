use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookLedger;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// 台账: the ledgers the function keeps, each with its columns.
#[component]
pub fn LedgersList(ledgers: Vec<HandbookLedger>) -> impl IntoView {
    let texts = use_texts();
    (!ledgers.is_empty()).then(|| {
        view! {
            <section class="standard-section" aria-labelledby="standard-ledgers">
                <h2 class="standard-section__title" id="standard-ledgers">
                    {move || texts().ledgers_title}
                </h2>
                <ul class="register-list">
                    {ledgers.into_iter().map(|ledger| view! { <LedgerCard ledger/> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn LedgerCard(ledger: HandbookLedger) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    view! {
        <li class="register-card" data-ledger=ledger.code.clone()>
            <h3 class="register-card__name doc-name">
                <a href=format!("/ledgers/{}", ledger.code)>{tr(lang, &ledger.name)}</a>
            </h3>
            <p class="register-card__label">{move || texts().columns}</p>
            <ul class="register-card__columns">
                {ledger.columns.iter().map(|c| view! { <li class="tag">{tr(lang, c)}</li> }).collect_view()}
            </ul>
        </li>
    }
}
