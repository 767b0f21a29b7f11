use leptos::prelude::*;

use leptos_router::hooks::use_location;

use crate::api::{count_inbox, sign_out};
use crate::domain::workflow::inbox::InboxCount;
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
                                <InboxLink/>
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

/// 我的待办 with how much waits, red when something is overdue. Counted in the browser after
/// the page has come alive (an effect, so the server's page and the hydrated one agree), and
/// again on every page the person opens.
#[component]
fn InboxLink() -> impl IntoView {
    let lang = use_lang();
    let texts = move || people_texts(lang.get());
    let pathname = use_location().pathname;
    let counted = RwSignal::new(None::<InboxCount>);
    Effect::new(move |_| {
        pathname.track();
        leptos::task::spawn_local(async move {
            if let Ok(count) = count_inbox().await {
                counted.set(Some(count));
            }
        });
    });
    view! {
        <a
            class="account__inbox"
            href="/inbox"
            data-testid="inbox-link"
            aria-label=move || counted.get().map(|c| (texts().inbox_count)(c.total, c.overdue))
        >
            <span class="account__inbox-label">{move || texts().inbox}</span>
            {move || counted.get().filter(|c| c.total > 0).map(|c| {
                let overdue = c.overdue > 0;
                view! {
                    <span class="inbox-count" class:inbox-count--overdue=overdue data-testid="inbox-count">
                        {c.total}
                    </span>
                }
            })}
        </a>
    }
}
