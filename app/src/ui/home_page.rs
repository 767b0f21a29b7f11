use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::i18n::use_lang;
use crate::ui::layout::shell_layout::use_shell_data;

/// The office at a glance: the 13 functions, each with its positioning.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let functions = use_shell_data().functions;
    let texts = move || lang.get().texts();

    view! {
        <Title text=move || texts().overview_title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().overview_title}</h1>
            <p class="page-header__lead">{move || texts().overview_lead}</p>
        </header>
        <Suspense fallback=|| view! { <div class="function-grid function-grid--loading"></div> }>
            {move || Suspend::new(async move {
                let list = functions.await.unwrap_or_default();
                view! {
                    <ul class="function-grid">
                        {list
                            .into_iter()
                            .map(|f| {
                                let (name, positioning) = (f.name.clone(), f.positioning.clone());
                                let other = f.name.clone();
                                view! {
                                    <li class="function-card" style=format!("--accent: {}", f.accent)>
                                        <a class="function-card__link" href=format!("/functions/{}", f.code)>
                                            <span class="function-card__number">
                                                {move || (texts().function_number)(f.number)}
                                            </span>
                                            <span class="function-card__name">
                                                {move || name.get(lang.get()).to_string()}
                                            </span>
                                            <span class="function-card__alt" aria-hidden="true">
                                                {move || {
                                                    let other_lang = match lang.get() {
                                                        crate::domain::lang::Lang::Zh => crate::domain::lang::Lang::En,
                                                        crate::domain::lang::Lang::En => crate::domain::lang::Lang::Zh,
                                                    };
                                                    other.get(other_lang).to_string()
                                                }}
                                            </span>
                                        </a>
                                        <p class="function-card__positioning">
                                            {move || positioning.get(lang.get()).to_string()}
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        </Suspense>
    }
}
