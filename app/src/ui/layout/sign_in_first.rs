//! What a page that needs a signed-in reader says to someone who is not: sign in, and come
//! back to this very address (its query included) afterwards.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::domain::lang::Lang;
use crate::ui::board::board_page::encode;
use crate::ui::i18n::use_lang;

#[component]
pub fn SignInFirst() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let next = move || {
        // The router's `search` comes without its `?`.
        let search = location.search.get();
        let query = search.trim_start_matches('?');
        let here = if query.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{query}", location.pathname.get())
        };
        format!("/signin?next={}", encode(&here))
    };
    view! {
        <div class="alert alert--info" role="status" data-testid="sign-in-first">
            {move || match lang.get() { Lang::Zh => "这一页需要登录后查看。", Lang::En => "Sign in to see this page." }}
            " "
            <a href=next>{move || match lang.get() { Lang::Zh => "登录", Lang::En => "Sign in" }}</a>
        </div>
    }
}
