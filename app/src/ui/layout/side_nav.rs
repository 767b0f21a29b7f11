use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::ui::i18n::use_lang;
use crate::ui::layout::shell_layout::use_shell_data;

/// The navigation: the overview, the 13 functions in the standard's order, and settings.
#[component]
pub fn SideNav() -> impl IntoView {
    let lang = use_lang();
    let functions = use_shell_data().functions;
    let me = use_shell_data().me;
    let pathname = use_location().pathname;
    let current = move |href: String| {
        let href2 = href.clone();
        move || (pathname.get() == href2).then_some("page")
    };
    let texts = move || lang.get().texts();

    view! {
        <nav id="sidenav" class="sidenav" aria-label=move || texts().nav_label>
            <a class="sidenav__link" href="/" aria-current=current("/".into())>
                {move || texts().nav_overview}
            </a>
            <a class="sidenav__link" href="/calendar" aria-current=current("/calendar".into())>
                {move || texts().nav_calendar}
            </a>
            <a class="sidenav__link" href="/dashboard" aria-current=current("/dashboard".into())>
                {move || crate::ui::dashboard::texts::dashboard_texts(lang.get()).title}
            </a>
            <a class="sidenav__link" href="/ledgers" aria-current=move || {
                pathname.with(|p| (p == "/ledgers" || p.starts_with("/ledgers/")).then_some("page"))
            }>
                {move || crate::ui::ledgers::texts::ledger_texts(lang.get()).title}
            </a>
            <a class="sidenav__link" href="/reports" aria-current=current("/reports".into())>
                {move || crate::ui::reports::reports_page::report_texts(lang.get()).title}
            </a>
            <h2 class="sidenav__heading">{move || texts().nav_functions}</h2>
            <Suspense fallback=|| view! { <div class="sidenav__skeleton"></div> }>
                {move || Suspend::new(async move {
                    let list = functions.await.unwrap_or_default();
                    view! {
                        <ol class="sidenav__functions">
                            {list
                                .into_iter()
                                .map(|f| {
                                    let href = format!("/functions/{}", f.code);
                                    let style = format!("--accent: {}", f.accent);
                                    let name = f.name.clone();
                                    view! {
                                        <li>
                                            <a
                                                class="sidenav__link sidenav__function"
                                                href=href.clone()
                                                style=style
                                                aria-current=current(href)
                                                data-function=f.code.clone()
                                            >
                                                <span class="sidenav__number" aria-hidden="true">
                                                    {format!("{:02}", f.number)}
                                                </span>
                                                <span class="sidenav__name">{move || name.get(lang.get()).to_string()}</span>
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                })}
            </Suspense>
            <div class="sidenav__footer">
                <a class="sidenav__link" href="/settings" aria-current=current("/settings".into())>
                    {move || texts().nav_settings}
                </a>
                <a
                    class="sidenav__link"
                    href="/settings/calendar"
                    aria-current=current("/settings/calendar".into())
                >
                    {move || texts().nav_working_calendar}
                </a>
                // People and roles, and the standard's editor: for administrators only (the pages refuse
                // anyone else).
                <Suspense>
                    {move || Suspend::new(async move {
                        let administrator = me.await.ok().flatten().is_some_and(|p| p.administrator);
                        administrator.then(|| view! {
                            <a
                                class="sidenav__link"
                                href="/settings/people"
                                aria-current=current("/settings/people".into())
                            >
                                {move || crate::ui::people::admin_texts::admin_texts(lang.get()).title}
                            </a>
                            <a
                                class="sidenav__link"
                                href="/settings/catalog"
                                aria-current=current("/settings/catalog".into())
                            >
                                {move || crate::ui::catalog_editor::texts::editor_texts(lang.get()).title}
                            </a>
                        })
                    })}
                </Suspense>
            </div>
        </nav>
    }
}
