//! The user interface: the application shell, its routes and the pages.

pub mod agenda;
pub mod board;
pub mod catalog_editor;
pub mod dashboard;
pub mod home_page;
pub mod i18n;
pub mod layout;
pub mod ledgers;
pub mod not_found_page;
pub mod people;
pub mod reports;
pub mod resource;
pub mod settings_page;
pub mod standard;
pub mod working_calendar;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::domain::lang::Lang;
use agenda::calendar_page::CalendarPage;
use board::board_page::BoardPage;
use catalog_editor::catalog_editor_page::CatalogEditorPage;
use dashboard::dashboard_page::DashboardPage;
use home_page::HomePage;
use i18n::Locale;
use layout::shell_layout::ShellLayout;
use ledgers::ledger_page::LedgerPage;
use ledgers::ledgers_page::LedgersPage;
use not_found_page::NotFoundPage;
use people::inbox_page::InboxPage;
use people::people_admin_page::PeopleAdminPage;
use people::sign_in_page::SignInPage;
use reports::reports_page::ReportsPage;
use settings_page::SettingsPage;
use standard::function_page::FunctionPage;
use working_calendar::working_calendar_page::WorkingCalendarPage;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language the page starts in: the cookie on the server, the rendered `<html lang>` in
/// the browser (so hydration sees exactly what the server rendered).
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)?
                    .to_str()
                    .ok()
                    .map(str::to_owned)
            })
            .and_then(|header| i18n::lang_from_cookie_header(&header))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::ui::layout::browser::document_lang().unwrap_or_default()
    }
}

/// The whole application: language, metadata and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(Locale(lang));
    Effect::new(move |_| layout::browser::mark_hydrated());

    view! {
        <Html attr:lang=move || lang.get().tag() attr:dir="ltr"/>
        <Title formatter=move |page: String| {
            let product = lang.get().texts().product;
            if page.is_empty() { product.to_string() } else { format!("{page} · {product}") }
        }/>
        <Meta name="description" content="OfficeFlow 办公流程"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Stylesheet id="leptos" href="/pkg/officeflow.css"/>
        <Router>
            <ShellLayout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/inbox") view=InboxPage/>
                    <Route path=path!("/calendar") view=CalendarPage/>
                    <Route path=path!("/dashboard") view=DashboardPage/>
                    <Route path=path!("/ledgers") view=LedgersPage/>
                    <Route path=path!("/reports") view=ReportsPage/>
                    <Route path=path!("/ledgers/:code") view=LedgerPage/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/settings/calendar") view=WorkingCalendarPage/>
                    <Route path=path!("/settings/people") view=PeopleAdminPage/>
                    <Route path=path!("/settings/catalog") view=CatalogEditorPage/>
                    <Route path=path!("/functions/:code") view=FunctionPage/>
                    <Route path=path!("/functions/:code/board") view=BoardPage/>
                </Routes>
            </ShellLayout>
        </Router>
    }
}
