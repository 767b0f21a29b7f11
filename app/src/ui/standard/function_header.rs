use leptos::prelude::*;

use crate::domain::catalog::handbook::FunctionHandbook;
use crate::ui::i18n::use_lang;
use crate::ui::standard::print_button::PrintButton;
use crate::ui::standard::texts::{tr, use_texts};

/// The function's number badge in its accent colour, its name and positioning statement.
#[component]
pub fn FunctionHeader(handbook: FunctionHandbook) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let number = handbook.number;
    let kicker = move || {
        let ordinal = (lang.get().texts().function_number)(number);
        format!(
            "{} · {}",
            texts().kicker,
            (texts().function_ordinal)(&ordinal)
        )
    };
    view! {
        <header class="standard-header">
            <span class="standard-header__badge" aria-hidden="true">{format!("{number:02}")}</span>
            <div class="standard-header__text">
                <p class="standard-header__kicker">{kicker}</p>
                <h1 class="standard-header__name">{tr(lang, &handbook.name)}</h1>
                <p class="standard-header__positioning">{tr(lang, &handbook.positioning)}</p>
            </div>
            <a class="button button--primary standard-header__board" href=format!("/functions/{}/board", handbook.code)>
                {move || crate::ui::board::texts::board_texts(lang.get()).board}
            </a>
            <PrintButton/>
        </header>
    }
}
