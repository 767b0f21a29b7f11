use leptos::prelude::*;

use crate::api::{get_me, get_organisation, list_functions};
use crate::domain::function::FunctionSummary;
use crate::domain::organisation::Organisation;
use crate::domain::people::Person;
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::layout::shortcuts::{ShortcutKeys, ShortcutsDialog};
use crate::ui::layout::side_nav::SideNav;
use crate::ui::layout::top_bar::TopBar;
use crate::ui::resource::{blocking_resource, ServerResource};

/// Data every page of the shell shares, loaded once and rendered on the server.
#[derive(Clone, Copy)]
pub struct ShellData {
    pub functions: ServerResource<Result<Vec<FunctionSummary>, AppError>>,
    pub organisation: ServerResource<Result<Organisation, AppError>>,
    /// Who is signed in, if anyone.
    pub me: ServerResource<Result<Option<Person>, AppError>>,
}

/// The shell data (provided by [`ShellLayout`]).
pub fn use_shell_data() -> ShellData {
    expect_context::<ShellData>()
}

/// Whether the narrow-screen navigation drawer and the shortcut help are open.
#[derive(Clone, Copy)]
pub struct ShellState {
    pub menu_open: RwSignal<bool>,
    pub help_open: RwSignal<bool>,
}

/// Top bar, navigation and the page's content.
#[component]
pub fn ShellLayout(children: Children) -> impl IntoView {
    let data = ShellData {
        functions: blocking_resource(|| (), |_| list_functions()),
        organisation: blocking_resource(|| (), |_| get_organisation()),
        me: blocking_resource(|| (), |_| get_me()),
    };
    provide_context(data);
    let state = ShellState {
        menu_open: RwSignal::new(false),
        help_open: RwSignal::new(false),
    };
    provide_context(state);
    let lang = use_lang();

    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        state.menu_open.set(false);
    });

    view! {
        <a class="skip-link" href="#main">{move || lang.get().texts().skip_to_content}</a>
        <TopBar/>
        <div class="shell" class:shell--menu-open=move || state.menu_open.get()>
            <SideNav/>
            <div
                class="shell__scrim"
                aria-hidden="true"
                on:click=move |_| state.menu_open.set(false)
            ></div>
            <main id="main" class="shell__main" tabindex="-1">
                {children()}
            </main>
        </div>
        <ShortcutKeys/>
        <ShortcutsDialog/>
    }
}
