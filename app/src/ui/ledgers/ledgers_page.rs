//! 台账 (`/ledgers`): every ledger of the standard, by function, with the step that writes it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::texts::ledger_texts;
use crate::api::get_catalog;
use crate::domain::workflow::ledger_view::writers;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

/// The index of the ledgers.
#[component]
pub fn LedgersPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || ledger_texts(lang.get());
    let catalog = blocking_resource(|| (), |_| get_catalog(None));
    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                let version = match catalog.await {
                    Ok(version) => version,
                    Err(error) => {
                        return view! {
                            <div class="alert alert--error" role="alert">
                                {move || texts().load_failed} " " {move || error.message(lang.get())}
                            </div>
                        }
                        .into_any();
                    }
                };
                let catalog = version.catalog;
                let groups: Vec<_> = catalog
                    .functions
                    .iter()
                    .filter_map(|f| {
                        let ledgers: Vec<_> = catalog
                            .ledgers_of(f.code.as_str())
                            .map(|l| (l.clone(), writers(&catalog, l.code.as_str())))
                            .collect();
                        (!ledgers.is_empty()).then(|| (f.clone(), ledgers))
                    })
                    .collect();
                view! {
                    <div class="ledger-index" data-testid="ledger-index">
                        {groups.into_iter().map(|(function, ledgers)| {
                            let accent = format!("--accent: {}", function.accent);
                            view! {
                                <section class="card ledger-index__group" style=accent>
                                    <h2 class="ledger-index__function">{move || function.name.get(lang.get()).to_string()}</h2>
                                    <ul class="ledger-index__list">
                                        {ledgers.into_iter().map(|(ledger, written)| {
                                            let href = format!("/ledgers/{}", ledger.code);
                                            let columns = ledger.columns.len();
                                            view! {
                                                <li class="ledger-index__item" data-ledger=ledger.code.to_string()>
                                                    <a class="ledger-index__name doc-name" href=href>
                                                        {move || ledger.name.get(lang.get()).to_string()}
                                                    </a>
                                                    <span class="ledger-index__meta">
                                                        {move || (texts().columns)(columns)}
                                                        {written.into_iter().map(|(process, step)| view! {
                                                            " · " {move || texts().written_by} ":"
                                                            {move || format!("{} · {}", process.get(lang.get()), step.get(lang.get()))}
                                                        }).collect_view()}
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }
                        }).collect_view()}
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}
