use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::ui::i18n::use_lang;
use crate::ui::layout::browser::typing_in_field;
use crate::ui::layout::shell_layout::ShellState;

/// Global keyboard shortcuts: `?` help, `g o` overview, `g s` settings, `Esc` close.
#[component]
pub fn ShortcutKeys() -> impl IntoView {
    let state = expect_context::<ShellState>();
    let navigate = use_navigate();
    let pending_g = RwSignal::new(false);
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let key = event.key();
        if key == "Escape" {
            state.help_open.set(false);
            state.menu_open.set(false);
            return;
        }
        if typing_in_field() {
            return;
        }
        match (pending_g.get_untracked(), key.as_str()) {
            (_, "?") => state.help_open.set(true),
            (true, "o") => navigate("/", Default::default()),
            (true, "s") => navigate("/settings", Default::default()),
            (false, "g") => {
                pending_g.set(true);
                return;
            }
            _ => {}
        }
        pending_g.set(false);
    });
    on_cleanup(move || handle.remove());
}

/// The list of shortcuts, behind `?`.
#[component]
pub fn ShortcutsDialog() -> impl IntoView {
    let lang = use_lang();
    let state = expect_context::<ShellState>();
    let close_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if state.help_open.get() {
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        }
    });
    let texts = move || lang.get().texts();
    let row = move |keys: &'static [&'static str],
                    what: fn(&'static crate::ui::i18n::Texts) -> &'static str| {
        view! {
            <div class="shortcuts__row">
                <dt>{keys.iter().map(|k| view! { <kbd>{*k}</kbd> }).collect_view()}</dt>
                <dd>{move || what(texts())}</dd>
            </div>
        }
    };

    view! {
        <Show when=move || state.help_open.get()>
            <div class="dialog-backdrop" on:click=move |_| state.help_open.set(false)></div>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="shortcuts-title"
                data-testid="shortcuts-dialog"
            >
                <header class="dialog__header">
                    <h2 id="shortcuts-title">{move || texts().shortcuts_title}</h2>
                    <button
                        type="button"
                        class="button button--ghost"
                        node_ref=close_button
                        on:click=move |_| state.help_open.set(false)
                    >
                        {move || texts().close}
                    </button>
                </header>
                <dl class="shortcuts">
                    {row(&["?"], |t| t.shortcut_help)}
                    {row(&["g", "o"], |t| t.shortcut_overview)}
                    {row(&["g", "s"], |t| t.shortcut_settings)}
                    {row(&["Esc"], |t| t.shortcut_close)}
                </dl>
            </div>
        </Show>
    }
}
