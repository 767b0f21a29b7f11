//! "Subscribe on your phone": the person's secret iCalendar address, made, shown once,
//! renewed or turned off.

use leptos::prelude::*;

use crate::api::{get_calendar_feed, renew_calendar_feed, revoke_calendar_feed, FeedAddress};
use crate::error::AppError;
use crate::ui::agenda::texts::calendar_texts;
use crate::ui::i18n::use_lang;

/// The address calendar apps subscribe with: `webcal://` for the `https://` or `http://` one.
fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_string(),
    }
}

#[cfg(feature = "hydrate")]
fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn page_origin() -> String {
    String::new()
}

#[cfg(feature = "hydrate")]
fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[cfg(not(feature = "hydrate"))]
fn confirmed(_: &str) -> bool {
    false
}

/// Copies the text of the input with `id` (selects it, then the browser's copy command).
#[cfg(feature = "hydrate")]
fn copy_input(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(input) = document
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return false;
    };
    input.select();
    document
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false)
}

#[cfg(not(feature = "hydrate"))]
fn copy_input(_: &str) -> bool {
    false
}

#[component]
pub fn FeedPanel() -> impl IntoView {
    let lang = use_lang();
    let t = move || calendar_texts(lang.get());
    let loaded = Resource::new(|| (), |_| get_calendar_feed());
    // What the actions changed since the page loaded: the address as now known.
    let current = RwSignal::new(None::<FeedAddress>);
    let note = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<AppError>);
    let copied = RwSignal::new(false);
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(page_origin()));
    let renew = Action::new(|_: &()| renew_calendar_feed());
    let revoke = Action::new(|_: &()| revoke_calendar_feed());
    Effect::new(move |_| match renew.value().get() {
        Some(Ok(address)) => {
            current.set(Some(address));
            note.set(None);
            error.set(None);
            copied.set(false);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => {
            current.set(Some(FeedAddress::default()));
            note.set(Some(calendar_texts(lang.get_untracked()).feed_revoked));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let busy = move || renew.pending().get() || revoke.pending().get();

    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let first = match loaded.await {
                    Ok(address) => address,
                    // Signed out: the calendar says so above; nothing to subscribe to.
                    Err(_) => return None,
                };
                let first = StoredValue::new(first);
                let address = move || current.get().unwrap_or_else(|| first.get_value());
                let made_at = move || address().made_at;
                let path = move || address().path;
                Some(view! {
                    <section class="card calendar-feed" data-testid="calendar-feed" aria-labelledby="calendar-feed-title">
                        <h2 id="calendar-feed-title" class="calendar-feed__title">{move || t().feed_title}</h2>
                        <p class="calendar-feed__lead">{move || t().feed_lead}</p>
                        <p class="calendar-feed__state" data-testid="feed-state">
                            {move || match made_at() {
                                Some(at) => (t().feed_made)(&crate::domain::format::rfc3339_long(&at, lang.get())),
                                None => t().feed_none.to_string(),
                            }}
                        </p>
                        {move || path().map(|path| {
                            let url = format!("{}{path}", origin.get());
                            let subscribe = webcal(&url);
                            view! {
                                <div class="calendar-feed__address">
                                    <label for="calendar-feed-url">{move || t().feed_once}</label>
                                    <div class="calendar-feed__row">
                                        <input
                                            id="calendar-feed-url"
                                            class="calendar-feed__url"
                                            type="text"
                                            readonly
                                            prop:value=url.clone()
                                            data-testid="feed-url"
                                        />
                                        <button
                                            type="button"
                                            class="button"
                                            on:click=move |_| copied.set(copy_input("calendar-feed-url"))
                                        >
                                            {move || if copied.get() { t().feed_copied } else { t().feed_copy }}
                                        </button>
                                        <a class="button button--ghost" href=subscribe>{move || t().feed_open}</a>
                                    </div>
                                </div>
                            }
                        })}
                        <div class="calendar-feed__actions">
                            <button
                                type="button"
                                class="button button--primary"
                                data-testid="feed-renew"
                                disabled=busy
                                on:click=move |_| {
                                    if made_at().is_none() || confirmed(t().feed_renew_confirm) {
                                        renew.dispatch(());
                                    }
                                }
                            >
                                {move || if made_at().is_some() { t().feed_renew } else { t().feed_make }}
                            </button>
                            {move || made_at().is_some().then(|| view! {
                                <button
                                    type="button"
                                    class="button button--ghost"
                                    data-testid="feed-revoke"
                                    disabled=busy
                                    on:click=move |_| { revoke.dispatch(()); }
                                >
                                    {move || t().feed_revoke}
                                </button>
                            })}
                        </div>
                        <p class="calendar-feed__note" role="status">{move || note.get()}</p>
                        {move || error.get().map(|e| view! {
                            <p class="alert alert--error" role="alert">{e.message(lang.get())}</p>
                        })}
                    </section>
                })
            })}
        </Suspense>
    }
}
