use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::sign_in;
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::layout::browser::load_page;
use crate::ui::people::texts::people_texts;

/// Where to go after signing in: the `next` address when it is a path of this site (never
/// another site), else the inbox.
fn next_page(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/inbox".to_string())
}

/// Signing in with login and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || people_texts(lang.get());
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new(|(l, p): &(String, String)| sign_in(l.clone(), p.clone()));
    let error = move || submit.value().get().and_then(Result::err);
    let message = move |field: &'static str| {
        move || {
            error().and_then(|e: AppError| {
                e.field(field)
                    .map(|f| f.message.get(lang.get()).to_string())
            })
        }
    };
    let other =
        move || error().filter(|e| e.field("password").is_none() && e.field("login").is_none());
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            load_page(&next_page(query.with_untracked(|q| q.get("next"))));
        }
    });

    view! {
        <Title text=move || texts().sign_in_title.to_string()/>
        <div class="sign-in">
            <form
                class="card form sign-in__card"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch((login.get_untracked(), password.get_untracked()));
                }
            >
                <h1>{move || texts().sign_in_title}</h1>
                <p class="page-header__lead">{move || texts().sign_in_lead}</p>
                <div class="form__field" class:form__field--invalid=move || message("login")().is_some()>
                    <label for="login">{move || texts().login}</label>
                    <input
                        id="login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        prop:value=move || login.get()
                        on:input=move |ev| login.set(event_target_value(&ev))
                    />
                    <p class="form__error" role="alert">{message("login")}</p>
                </div>
                <div class="form__field" class:form__field--invalid=move || message("password")().is_some()>
                    <label for="password">{move || texts().password}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                    <p class="form__error" role="alert">{message("password")}</p>
                </div>
                {move || other().map(|e| view! {
                    <div class="alert alert--error" role="alert">{e.message(lang.get())}</div>
                })}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled=move || submit.pending().get()>
                        {move || if submit.pending().get() { texts().signing_in } else { texts().sign_in }}
                    </button>
                </div>
                <p class="form__help sign-in__demo">{move || texts().demo_hint}</p>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn only_paths_of_this_site_are_followed_after_signing_in() {
        assert_eq!(
            next_page(Some("/functions/documents".into())),
            "/functions/documents"
        );
        assert_eq!(next_page(Some("//evil.example".into())), "/inbox");
        assert_eq!(next_page(Some("https://evil.example".into())), "/inbox");
        assert_eq!(next_page(None), "/inbox");
    }
}
