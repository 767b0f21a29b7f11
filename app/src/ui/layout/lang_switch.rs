use leptos::prelude::*;

use crate::domain::lang::Lang;
use crate::ui::i18n::use_lang;
use crate::ui::layout::browser::remember_lang;

/// 简体中文 / English: switches at once and is remembered for the next visit.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let option = move |value: Lang, label: &'static str, short: &'static str| {
        view! {
            <button
                type="button"
                class="lang-switch__option"
                lang=value.tag()
                aria-pressed=move || (lang.get() == value).to_string()
                title=label
                on:click=move |_| {
                    lang.set(value);
                    remember_lang(value);
                }
            >
                <span class="lang-switch__long">{label}</span>
                <span class="lang-switch__short" aria-hidden="true">{short}</span>
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || lang.get().texts().language>
            {option(Lang::Zh, "简体中文", "中")}
            {option(Lang::En, "English", "EN")}
        </div>
    }
}
