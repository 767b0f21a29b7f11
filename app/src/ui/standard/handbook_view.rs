use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::catalog::handbook::FunctionHandbook;
use crate::ui::i18n::use_lang;
use crate::ui::standard::contents_nav::ContentsNav;
use crate::ui::standard::function_header::FunctionHeader;
use crate::ui::standard::ledgers_list::LedgersList;
use crate::ui::standard::outputs_list::OutputsList;
use crate::ui::standard::process_section::ProcessSection;
use crate::ui::standard::roles_list::RolesList;
use crate::ui::standard::texts::{tr, use_texts};

/// The handbook of one function: header, roles, processes, ledgers and outputs, with a
/// table of contents beside it on wide screens.
#[component]
pub fn HandbookView(handbook: FunctionHandbook) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let title = tr(lang, &handbook.name);
    let FunctionHandbook {
        roles,
        processes,
        ledgers,
        outputs,
        ..
    } = handbook.clone();
    let accent = format!("--accent: {}", handbook.accent);

    view! {
        <Title text=title/>
        <article class="standard" style=accent>
            <FunctionHeader handbook=handbook.clone()/>
            <div class="standard__layout">
                <ContentsNav handbook/>
                <div class="standard__body">
                    <RolesList roles/>
                    <section class="standard-section" aria-labelledby="standard-processes">
                        <h2 class="standard-section__title" id="standard-processes">
                            {move || texts().processes_title}
                        </h2>
                        {processes
                            .into_iter()
                            .map(|process| view! { <ProcessSection process/> })
                            .collect_view()}
                    </section>
                    <LedgersList ledgers/>
                    <OutputsList outputs/>
                </div>
            </div>
        </article>
    }
}
