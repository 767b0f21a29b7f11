use leptos::prelude::*;

use crate::api::sign_out;
use crate::ui::i18n::use_lang;
use crate::ui::layout::browser::load_page;
use crate::ui::layout::shell_layout::use_shell_data;
use crate::ui::people::texts::people_texts;

/// The top bar's account corner: the signed-in person with a way out, or a way in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let lang = use_lang();
    let texts = move || people_texts(lang.get());
    let me = use_shell_data().me;
    let leave = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if let Some(Ok(())) = leave.value().get() {
            load_page("/signin");
        }
    });

    view! {
        <Suspense fallback=|| view! { <span class="account skeleton-text"></span> }>
            {move || Suspend::new(async move {
                match me.await.ok().flatten() {
                    Some(person) => {
                        let initial: String = person.name.chars().next().map(String::from).unwrap_or_default();
                        view! {
                            <div class="account" data-testid="account">
                                <a class="account__inbox" href="/inbox">{move || texts().inbox}</a>
                                <span class="avatar" aria-hidden="true">{initial}</span>
                                <span class="account__name">{person.name.clone()}</span>
                                <button
                                    type="button"
                                    class="button button--quiet"
                                    on:click=move |_| { leave.dispatch(()); }
                                >
                                    {move || texts().sign_out}
                                </button>
                            </div>
                        }
                        .into_any()
                    }
                    None => view! {
                        <a class="button button--quiet" href="/signin">{move || texts().sign_in}</a>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
