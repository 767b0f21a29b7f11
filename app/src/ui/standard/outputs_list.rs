use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookOutput;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// 表单与报告: the named forms and reports of the function, with what they must contain.
#[component]
pub fn OutputsList(outputs: Vec<HandbookOutput>) -> impl IntoView {
    let texts = use_texts();
    (!outputs.is_empty()).then(|| {
        view! {
            <section class="standard-section" aria-labelledby="standard-outputs">
                <h2 class="standard-section__title" id="standard-outputs">
                    {move || texts().outputs_title}
                </h2>
                <ul class="register-list">
                    {outputs.into_iter().map(|output| view! { <OutputCard output/> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn OutputCard(output: HandbookOutput) -> impl IntoView {
    let lang = use_lang();
    let contents = output
        .contents
        .as_ref()
        .map(|c| view! { <p class="register-card__contents">{tr(lang, c)}</p> });
    view! {
        <li class="register-card" data-output=output.code.clone()>
            <h3 class="register-card__name doc-name">{tr(lang, &output.name)}</h3>
            {contents}
        </li>
    }
}
