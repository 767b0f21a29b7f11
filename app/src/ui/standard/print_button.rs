use leptos::prelude::*;

use crate::ui::standard::icons::PrinterIcon;
use crate::ui::standard::texts::use_texts;

/// Opens the browser's print dialog; the print styles turn the page into the handbook.
#[component]
pub fn PrintButton() -> impl IntoView {
    let texts = use_texts();
    view! {
        <button type="button" class="button standard-header__print" on:click=move |_| print_page()>
            <PrinterIcon/>
            <span>{move || texts().print}</span>
        </button>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
