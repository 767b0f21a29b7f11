use leptos::prelude::*;

use crate::domain::catalog::handbook::FunctionHandbook;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// The page's table of contents: roles, each process, ledgers and outputs (wide screens).
#[component]
pub fn ContentsNav(handbook: FunctionHandbook) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let processes = handbook
        .processes
        .iter()
        .map(|p| {
            let steps = p.steps.len();
            view! {
                <li>
                    <a class="standard-toc__link" href=format!("#process-{}", p.code)>
                        <span>{tr(lang, &p.name)}</span>
                        <span class="standard-toc__count">{move || (texts().step_count)(steps)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let has_ledgers = !handbook.ledgers.is_empty();
    let has_outputs = !handbook.outputs.is_empty();

    view! {
        <nav class="standard-toc" aria-label=move || texts().contents>
            <p class="standard-toc__title" aria-hidden="true">{move || texts().contents}</p>
            <ol class="standard-toc__list">
                <li>
                    <a class="standard-toc__link" href="#standard-roles">{move || texts().roles_title}</a>
                </li>
                <li>
                    <a class="standard-toc__link" href="#standard-processes">
                        {move || texts().processes_title}
                    </a>
                    <ol class="standard-toc__list standard-toc__list--nested">{processes}</ol>
                </li>
                {has_ledgers.then(|| view! {
                    <li>
                        <a class="standard-toc__link" href="#standard-ledgers">
                            {move || texts().ledgers_title}
                        </a>
                    </li>
                })}
                {has_outputs.then(|| view! {
                    <li>
                        <a class="standard-toc__link" href="#standard-outputs">
                            {move || texts().outputs_title}
                        </a>
                    </li>
                })}
            </ol>
        </nav>
    }
}
