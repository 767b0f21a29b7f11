use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{get_organisation, rename_organisation};
use crate::domain::organisation::{Organisation, MAX_NAME_CHARS};
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::layout::shell_layout::use_shell_data;
use crate::ui::resource::blocking_resource;

/// The organisation's settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    // Its own copy: saving updates the top bar's, and must not re-create this form.
    let organisation = blocking_resource(|| (), |_| get_organisation());
    let shell = use_shell_data();
    let texts = move || lang.get().texts();

    view! {
        <Title text=move || texts().settings_title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().settings_title}</h1>
            <p class="page-header__lead">{move || texts().settings_lead}</p>
        </header>
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                // Renaming is an administrator's (the server refuses anyone else): others
                // see the name, not a form they cannot save.
                let may_edit = matches!(shell.me.await, Ok(Some(person)) if person.administrator);
                match organisation.await {
                    Ok(org) => view! { <OrganisationForm org may_edit/> }.into_any(),
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">
                            <strong>{move || texts().load_failed}</strong>
                            " "
                            {move || error.message(lang.get())}
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrganisationForm(org: Organisation, may_edit: bool) -> impl IntoView {
    let lang = use_lang();
    let shell = use_shell_data();
    let texts = move || lang.get().texts();
    let name = RwSignal::new(org.name.clone());
    let updated_at = RwSignal::new(org.updated_at.clone());
    let save = Action::new(|name: &String| rename_organisation(name.clone()));
    let error = move || save.value().get().and_then(Result::err);
    let field_error = move || {
        error().and_then(|e: AppError| {
            e.field("name")
                .map(|f| f.message.get(lang.get()).to_string())
        })
    };
    let other_error = move || error().filter(|e| e.field("name").is_none());

    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            name.set(saved.name.clone());
            updated_at.set(saved.updated_at.clone());
            shell.organisation.set(Some(Ok(saved)));
        }
    });

    view! {
        <form
            class="card form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if may_edit {
                    save.dispatch(name.get_untracked());
                }
            }
        >
            <div class="form__field" class:form__field--invalid=move || field_error().is_some()>
                <label for="org-name">{move || texts().org_name_label}</label>
                <input
                    id="org-name"
                    name="name"
                    type="text"
                    autocomplete="organization"
                    maxlength=MAX_NAME_CHARS * 2
                    readonly=!may_edit
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=move || field_error().is_some().to_string()
                    aria-describedby="org-name-help org-name-error"
                />
                <p id="org-name-help" class="form__help">
                    {move || if may_edit { texts().org_name_help } else { texts().org_name_admin_only }}
                </p>
                <p id="org-name-error" class="form__error" role="alert">{field_error}</p>
            </div>
            {move || other_error().map(|e| view! {
                <div class="alert alert--error" role="alert">{e.message(lang.get())}</div>
            })}
            <div class="form__actions">
                {may_edit.then(|| view! {
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { texts().saving } else { texts().save }}
                    </button>
                })}
                <span class="form__status" role="status" data-testid="save-status">
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| texts().saved)}
                </span>
                <span class="form__meta">
                    {move || texts().last_changed} ": "
                    {move || {
                        updated_at
                            .get()
                            .map(|t| crate::domain::format::rfc3339_long(&t, lang.get()))
                            .unwrap_or_else(|| texts().never_changed.to_string())
                    }}
                </span>
            </div>
        </form>
    }
}
