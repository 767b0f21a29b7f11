use leptos::prelude::*;

use crate::ui::standard::texts::use_texts;

/// Placeholder blocks in the handbook's shape while it loads, so nothing jumps.
#[component]
pub fn HandbookSkeleton() -> impl IntoView {
    let texts = use_texts();
    view! {
        <div class="standard-skeleton" aria-busy="true" aria-live="polite">
            <span class="visually-hidden">{move || texts().loading}</span>
            <div class="standard-skeleton__header"></div>
            <div class="standard-skeleton__row">
                <div class="standard-skeleton__card"></div>
                <div class="standard-skeleton__card"></div>
                <div class="standard-skeleton__card"></div>
            </div>
            <div class="standard-skeleton__block"></div>
            <div class="standard-skeleton__block"></div>
        </div>
    }
}
