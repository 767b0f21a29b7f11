use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookRepeat;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// Obligations repeating while a case is open (每日跟进, 每4小时更新《事件进展报告》).
#[component]
pub fn RepeatsList(repeats: Vec<HandbookRepeat>) -> impl IntoView {
    let texts = use_texts();
    (!repeats.is_empty()).then(|| {
        view! {
            <div class="repeats">
                <h4 class="repeats__title">{move || texts().repeats}</h4>
                <ul class="repeats__list">
                    {repeats.into_iter().map(|repeat| view! { <RepeatItem repeat/> }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn RepeatItem(repeat: HandbookRepeat) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let during = repeat.during.map(|d| {
        view! {
            <span class="repeats__meta">
                <span class="repeats__key">{move || texts().during}</span>
                {tr(lang, &d)}
            </span>
        }
    });
    let condition = repeat.condition.map(|c| {
        view! {
            <span class="repeats__meta">
                <span class="repeats__key">{move || texts().only_when}</span>
                {tr(lang, &c)}
            </span>
        }
    });
    let output = repeat
        .output
        .map(|o| view! { <span class="repeats__output">{tr(lang, &o)}</span> });
    view! {
        <li class="repeats__item">
            <span class="chip chip--rhythm">{tr(lang, &repeat.every)}</span>
            <span class="repeats__name">{tr(lang, &repeat.name)}</span>
            <span class="chip chip--owner">{tr(lang, &repeat.owner)}</span>
            {during}
            {condition}
            {output}
        </li>
    }
}
