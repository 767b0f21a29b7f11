use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookRole;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts};

/// 角色分工: the office roles of the function as cards, the director first.
#[component]
pub fn RolesList(roles: Vec<HandbookRole>) -> impl IntoView {
    let texts = use_texts();
    view! {
        <section class="standard-section" aria-labelledby="standard-roles">
            <h2 class="standard-section__title" id="standard-roles">{move || texts().roles_title}</h2>
            <ul class="role-list">
                {roles.into_iter().map(|role| view! { <RoleCard role/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RoleCard(role: HandbookRole) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let initial = {
        let name = role.name.clone();
        move || {
            name.get(lang.get())
                .chars()
                .next()
                .unwrap_or('·')
                .to_string()
        }
    };
    view! {
        <li class="role-card" data-role=role.code.clone()>
            <div class="role-card__head">
                <span class="avatar" aria-hidden="true">{initial}</span>
                <h3 class="role-card__name">{tr(lang, &role.name)}</h3>
            </div>
            {(role.serves_all || role.may_be_external).then(|| view! {
                <p class="role-card__flags">
                    {role.serves_all.then(|| view! {
                        <span class="tag">{move || texts().serves_all}</span>
                    })}
                    {role.may_be_external.then(|| view! {
                        <span class="tag tag--accent">{move || texts().may_be_external}</span>
                    })}
                </p>
            })}
            <p class="role-card__duty">{tr(lang, &role.responsibilities)}</p>
        </li>
    }
}
