//! Inline SVG icons (no icon font, no download).

use leptos::prelude::*;

#[component]
pub fn LogoMark() -> impl IntoView {
    view! {
        <svg class="logo-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--color-primary)"/>
            <rect x="7" y="8" width="5" height="16" rx="1.5" fill="#fff"/>
            <rect x="13.5" y="8" width="5" height="11" rx="1.5" fill="#fff" opacity=".85"/>
            <rect x="20" y="8" width="5" height="7" rx="1.5" fill="#fff" opacity=".7"/>
        </svg>
    }
}

#[component]
pub fn MenuIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
        </svg>
    }
}

#[component]
pub fn KeyboardIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <rect x="2.5" y="6" width="19" height="12" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <path d="M6 10h1M9.5 10h1M13 10h1M16.5 10h1M7 14h10" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
        </svg>
    }
}
