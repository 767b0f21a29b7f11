use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::i18n::use_lang;

/// Any address without a page: says so, with a way back, and answers 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    let texts = move || lang.get().texts();
    view! {
        <Title text=move || texts().not_found_title.to_string()/>
        <section class="empty-state">
            <p class="empty-state__code" aria-hidden="true">"404"</p>
            <h1>{move || texts().not_found_title}</h1>
            <p>{move || texts().not_found_lead}</p>
            <a class="button button--primary" href="/">{move || texts().back_to_overview}</a>
        </section>
    }
}
