use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::standard::texts::use_texts;

/// The designed state for an address naming no function of the standard; answers 404.
#[component]
pub fn FunctionNotFound(code: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    let texts = use_texts();
    view! {
        <Title text=move || texts().not_found_title.to_string()/>
        <section class="empty-state standard-missing" data-testid="function-not-found">
            <p class="empty-state__code" aria-hidden="true">"404"</p>
            <h1>{move || texts().not_found_title}</h1>
            <p>{move || (texts().not_found_lead)(&code)}</p>
            <a class="button button--primary" href="/">{move || texts().back_to_overview}</a>
        </section>
    }
}
