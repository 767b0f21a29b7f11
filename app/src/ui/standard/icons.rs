//! The handbook's inline icons.

use leptos::prelude::*;

#[component]
pub fn PrinterIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path d="M7 8V3.5h10V8" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>
            <rect x="3" y="8" width="18" height="9" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <rect x="7" y="13.5" width="10" height="7" rx="1" fill="var(--color-surface)" stroke="currentColor" stroke-width="1.6"/>
        </svg>
    }
}

#[component]
pub fn ClockIcon() -> impl IntoView {
    view! {
        <svg class="chip__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.4"/>
            <path d="M8 4.6V8l2.4 1.6" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>
        </svg>
    }
}
