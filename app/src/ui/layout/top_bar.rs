use leptos::prelude::*;

use crate::ui::i18n::use_lang;
use crate::ui::layout::icons::{KeyboardIcon, LogoMark, MenuIcon};
use crate::ui::layout::lang_switch::LangSwitch;
use crate::ui::layout::shell_layout::{use_shell_data, ShellState};
use crate::ui::people::account_menu::AccountMenu;

#[component]
pub fn TopBar() -> impl IntoView {
    let lang = use_lang();
    let state = expect_context::<ShellState>();
    let organisation = use_shell_data().organisation;
    let texts = move || lang.get().texts();

    view! {
        <header class="topbar">
            <button
                type="button"
                class="icon-button topbar__menu"
                aria-controls="sidenav"
                aria-expanded=move || state.menu_open.get().to_string()
                aria-label=move || if state.menu_open.get() { texts().close_menu } else { texts().open_menu }
                on:click=move |_| state.menu_open.update(|open| *open = !*open)
            >
                <MenuIcon/>
            </button>
            <a class="brand" href="/">
                <LogoMark/>
                <span class="brand__name">{move || texts().product}</span>
            </a>
            <Suspense fallback=|| view! { <span class="topbar__org skeleton-text"></span> }>
                {move || Suspend::new(async move {
                    organisation.await.ok().map(|o| view! { <span class="topbar__org">{o.name}</span> })
                })}
            </Suspense>
            <div class="topbar__spacer"></div>
            <AccountMenu/>
            <LangSwitch/>
            <button
                type="button"
                class="icon-button"
                aria-keyshortcuts="?"
                aria-haspopup="dialog"
                aria-label=move || texts().shortcuts
                title=move || texts().shortcuts
                on:click=move |_| state.help_open.set(true)
            >
                <KeyboardIcon/>
            </button>
        </header>
    }
}
