//! The few places the UI touches the browser directly. On the server they do nothing.

use crate::domain::lang::Lang;

#[cfg(feature = "hydrate")]
fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The language the server rendered the page in (`<html lang>`).
pub fn document_lang() -> Option<Lang> {
    #[cfg(feature = "hydrate")]
    {
        let tag = document()?.document_element()?.get_attribute("lang")?;
        Lang::from_tag(&tag)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Marks the document as hydrated: interactive from now on (tests and styles rely on it).
pub fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Remembers the language for a year, so the server renders the next page in it.
pub fn remember_lang(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
            let cookie = format!(
                "{}={}; path=/; max-age=31536000; samesite=lax",
                crate::ui::i18n::LANG_COOKIE,
                lang.tag()
            );
            let _ = doc.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// Whether keyboard focus is in a place where typed characters are text, not shortcuts.
pub fn typing_in_field() -> bool {
    #[cfg(feature = "hydrate")]
    {
        let Some(active) = document().and_then(|d| d.active_element()) else {
            return false;
        };
        let tag = active.tag_name().to_ascii_lowercase();
        matches!(tag.as_str(), "input" | "textarea" | "select")
            || active
                .get_attribute("contenteditable")
                .is_some_and(|v| v != "false")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Loads `href` as a new page (after signing in or out, so that everything is fetched again
/// with the new session).
pub fn load_page(href: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(href);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}
