use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_inbox;
use crate::domain::calendar::SlaState;
use crate::domain::workflow::{InboxItem, InboxKind};
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::people::texts::people_texts;
use crate::ui::resource::blocking_resource;

fn sla_class(sla: Option<SlaState>) -> &'static str {
    match sla {
        Some(SlaState::Overdue) => "sla sla--overdue",
        Some(SlaState::DueSoon) => "sla sla--due-soon",
        Some(SlaState::OnTime) => "sla sla--on-time",
        None => "sla sla--none",
    }
}

/// "Needs me now": what the signed-in person has to do, overdue first.
#[component]
pub fn InboxPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || people_texts(lang.get());
    let items = blocking_resource(|| (), |_| list_inbox(None));

    view! {
        <Title text=move || texts().inbox_title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().inbox_title}</h1>
            <p class="page-header__lead">{move || texts().inbox_lead}</p>
        </header>
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="card inbox__empty">{move || texts().inbox_empty}</p>
                    }
                    .into_any(),
                    Ok(list) => {
                        let n = list.len();
                        view! {
                            <p class="inbox__count" role="status">{move || (texts().count)(n)}</p>
                            <ol class="inbox" data-testid="inbox">
                                {list.into_iter().map(|item| view! { <InboxRow item/> }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! {
                        <div class="alert alert--info" role="status">
                            {move || texts().inbox_sign_in} " "
                            <a href="/signin?next=/inbox">{move || texts().sign_in}</a>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InboxRow(item: InboxItem) -> impl IntoView {
    let lang = use_lang();
    let texts = move || people_texts(lang.get());
    let kind = item.kind;
    let kind_label = move || match kind {
        InboxKind::Step => texts().kind_step,
        InboxKind::Approval => texts().kind_approval,
        InboxKind::Escalation => texts().kind_escalation,
        InboxKind::Repeat => texts().kind_repeat,
    };
    let sla = item.sla;
    let sla_label = move || sla.map(|s| s.label(lang.get()));
    let (what, process_name, role_name) = (
        item.what.clone(),
        item.process_name.clone(),
        item.role_name.clone(),
    );
    let due_at = item.due_at.clone();
    let kind_code = match kind {
        InboxKind::Step => "step",
        InboxKind::Approval => "approval",
        InboxKind::Escalation => "escalation",
        InboxKind::Repeat => "repeat",
    };
    let kind_class = format!("inbox__kind inbox__kind--{kind_code}");
    let datetime = due_at.clone().unwrap_or_default();

    view! {
        <li class="inbox__item" data-kind=kind_code data-case=item.case_id>
            <span class=kind_class>{kind_label}</span>
            <div class="inbox__main">
                <p class="inbox__what">
                    <a href=format!("/functions/{}/board", item.function)>{move || what.get(lang.get()).to_string()}</a>
                </p>
                <p class="inbox__case">
                    <span class="inbox__number">{format!("#{}", item.case_id)}</span>
                    " " {item.case_title.clone()} " · "
                    {move || process_name.get(lang.get()).to_string()}
                </p>
                <p class="inbox__role">{move || texts().role} ": " {move || role_name.get(lang.get()).to_string()}</p>
            </div>
            <div class="inbox__due">
                <span class=sla_class(sla)>{sla_label}</span>
                <time datetime=datetime>
                    {move || match &due_at {
                        Some(t) => crate::domain::format::rfc3339_long(t, lang.get()),
                        None => texts().no_deadline.to_string(),
                    }}
                </time>
            </div>
        </li>
    }
}
