//! The board's live connection: server-sent events name the cases that changed, and the
//! board fetches their cards; a `ready` after a reconnection, or a `reload` (the server says
//! this viewer fell behind), loads the whole board again. Every minute the board is loaded
//! again anyway, so SLA states and the time left stay current without anyone moving a card.

use crate::ui::board::board_state::BoardState;

/// How often the whole board is loaded again.
pub const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How long a board that drew only its first cards waits for the live connection before it
/// loads the rest itself.
pub const REST_WITHOUT_LIVE: std::time::Duration = std::time::Duration::from_secs(2);

/// Connects the board to the server's events, until the page is left.
pub fn connect(state: BoardState) {
    #[cfg(feature = "hydrate")]
    browser::connect(state);
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, EventSource, MessageEvent};

    use super::{REFRESH_EVERY, REST_WITHOUT_LIVE};
    use crate::domain::workflow::board::CaseChanged;
    use crate::ui::board::board_state::BoardState;

    pub fn connect(state: BoardState) {
        let url = format!("/api/boards/{}/events", state.function.get_value());
        let Ok(source) = EventSource::new(&url) else {
            return;
        };
        let on_case = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            if let Ok(event) = serde_json::from_str::<CaseChanged>(&text) {
                state.heard(event);
            }
        });
        let on_ready = Closure::<dyn FnMut(Event)>::new(move |_| {
            state.live.set(true);
            // Events sent before this connection (since the page was rendered, or while it
            // was down) are not replayed: catch up.
            state.reload();
        });
        let on_reload = Closure::<dyn FnMut(Event)>::new(move |_| state.reload());
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_| state.live.set(false));
        let listen = |name: &str, f: &web_sys::js_sys::Function| {
            let _ = source.add_event_listener_with_callback(name, f);
        };
        listen("case", on_case.as_ref().unchecked_ref());
        listen("ready", on_ready.as_ref().unchecked_ref());
        listen("reload", on_reload.as_ref().unchecked_ref());
        listen("error", on_error.as_ref().unchecked_ref());
        let refresh = set_interval_with_handle(move || state.reload(), REFRESH_EVERY).ok();
        // The page drew its first cards only; the live connection's `ready` loads the rest.
        // Should it not come soon (no live updates here), they are loaded anyway.
        if state.counts.with_untracked(Option::is_some) {
            set_timeout(
                move || {
                    if state.counts.try_with_untracked(Option::is_some) == Some(true) {
                        state.reload();
                    }
                },
                REST_WITHOUT_LIVE,
            );
        }
        // Kept (and dropped) with the board: the source and the handlers it calls.
        let kept = StoredValue::new_local((source, on_case, on_ready, on_reload, on_error));
        on_cleanup(move || {
            kept.try_with_value(|(source, ..)| source.close());
            if let Some(refresh) = refresh {
                refresh.clear();
            }
        });
    }
}
