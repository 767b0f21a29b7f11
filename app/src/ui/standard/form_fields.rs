use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookField;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// The process's form: each field with its type, whether it is required and who records it.
#[component]
pub fn FormFields(fields: Vec<HandbookField>) -> impl IntoView {
    let texts = use_texts();
    (!fields.is_empty()).then(|| {
        view! {
            <div class="form-fields">
                <h4 class="form-fields__title">{move || texts().fields}</h4>
                <ul class="form-fields__list">
                    {fields.into_iter().map(|field| view! { <FieldItem field/> }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn FieldItem(field: HandbookField) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let required = field.required;
    let filled_by = field.filled_by.map(|role| {
        let role = tr(lang, &role);
        view! { <span class="form-fields__who">{move || (texts().filled_by)(&role())}</span> }
    });
    view! {
        <li class="form-fields__item" class:form-fields__item--optional=!required>
            <span class="form-fields__label">{tr(lang, &field.label)}</span>
            <span class="form-fields__kind">{tr(lang, &field.kind)}</span>
            <span class="form-fields__need">
                {move || if required { texts().required } else { texts().optional }}
            </span>
            {filled_by}
        </li>
    }
}
