use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::get_board;
use crate::domain::calendar::SlaState;
use crate::domain::workflow::board::{Board, Card, Column, Lane};
use crate::error::AppError;
use crate::ui::board::texts::board_texts;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

fn sla_class(sla: Option<SlaState>) -> &'static str {
    match sla {
        Some(SlaState::Overdue) => "overdue",
        Some(SlaState::DueSoon) => "due-soon",
        Some(SlaState::OnTime) => "on-time",
        None => "none",
    }
}

/// A function's board.
#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let board = blocking_resource(code, get_board);

    view! {
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <BoardView board/> }.into_any(),
                    Err(AppError::Unauthenticated) => {
                        let next = format!("/signin?next=/functions/{}/board", code());
                        view! {
                            <Title text=move || texts().board.to_string()/>
                            <div class="alert alert--info" role="status">
                                {move || texts().sign_in_lead} " "
                                <a href=next>{move || texts().sign_in}</a>
                            </div>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <Title text=move || texts().board.to_string()/>
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let name = board.name.clone();
    let title_name = board.name.clone();
    let as_of = board.as_of.clone();
    let handbook = format!("/functions/{}", board.function);
    view! {
        <Title text=move || format!("{} · {}", title_name.get(lang.get()), texts().board)/>
        <header class="page-header board-header" style=format!("--accent: {}", board.accent)>
            <div>
                <h1>{move || name.get(lang.get()).to_string()} " · " {move || texts().board}</h1>
                <p class="page-header__lead">{move || texts().lead}</p>
            </div>
            <div class="board-header__meta">
                <a class="button" href=handbook>{move || texts().handbook}</a>
                <span class="board-header__asof">
                    {move || texts().as_of} " "
                    {move || crate::domain::format::rfc3339_long(&as_of, lang.get())}
                </span>
            </div>
        </header>
        <div class="board" data-testid="board" style=format!("--accent: {}", board.accent)>
            {board.lanes.into_iter().map(|lane| view! { <LaneView lane/> }).collect_view()}
        </div>
    }
}

#[component]
fn LaneView(lane: Lane) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let name = lane.name.clone();
    let (open, overdue) = (lane.open, lane.overdue);
    view! {
        <details class="lane" open={lane.open > 0} data-process=lane.process.clone()>
            <summary class="lane__summary">
                <span class="lane__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="lane__count">{move || (texts().open)(open)}</span>
                {(overdue > 0).then(|| view! {
                    <span class="sla sla--overdue">{move || (texts().overdue)(overdue)}</span>
                })}
            </summary>
            <div class="lane__columns" role="list">
                {lane.columns.into_iter().map(|column| view! { <ColumnView column/> }).collect_view()}
            </div>
        </details>
    }
}

#[component]
fn ColumnView(column: Column) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let (name, owner) = (column.name.clone(), column.owner_name.clone());
    let label_name = column.name.clone();
    let n = column.cards.len();
    let number = column.number;
    let empty = column.cards.is_empty();
    view! {
        <section
            class="column"
            role="listitem"
            data-step=column.step.to_string()
            aria-label=move || format!("{} {}", label_name.get(lang.get()), (texts().cases_in_column)(n))
        >
            <header class="column__header">
                <span class="column__number" aria-hidden="true">{number}</span>
                <span class="column__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="column__count">{n}</span>
                <span class="column__owner">{move || owner.get(lang.get()).to_string()}</span>
            </header>
            <ol class="column__cards">
                {column.cards.into_iter().map(|card| view! { <CardView card/> }).collect_view()}
            </ol>
            {empty.then(|| view! { <p class="column__empty">{move || texts().empty_column}</p> })}
        </section>
    }
}

#[component]
fn CardView(card: Card) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let owner_name = card.owner_name.clone();
    let initial = owner_name
        .zh
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let sla = card.sla;
    let words = card.sla_words.clone();
    let due_at = card.due_at.clone();
    let (approvals, outputs) = (card.approvals_missing, card.outputs_missing);
    let meta = match &card.department {
        Some(d) => format!("#{} · {} · {}", card.case_id, card.requester, d),
        None => format!("#{} · {}", card.case_id, card.requester),
    };
    view! {
        <li class=format!("board-card board-card--{}", sla_class(sla)) data-case=card.case_id data-sla=sla_class(sla)>
            <p class="board-card__title">{card.title.clone()}</p>
            <p class="board-card__meta">{meta}</p>
            <div class="board-card__row">
                <span class="avatar avatar--sm" aria-hidden="true">{initial}</span>
                <span class="board-card__owner">{move || owner_name.get(lang.get()).to_string()}</span>
            </div>
            <div class="board-card__row board-card__due">
                {match sla {
                    Some(state) => view! {
                        <span class=format!("sla sla--{}", sla_class(Some(state)))>
                            {move || state.label(lang.get())}
                        </span>
                    }
                    .into_any(),
                    None => view! { <span class="board-card__none">{move || texts().no_deadline}</span> }.into_any(),
                }}
                {move || words.as_ref().map(|w| view! { <span class="board-card__left">{w.get(lang.get()).to_string()}</span> })}
            </div>
            {due_at.map(|t| {
                let t2 = t.clone();
                view! {
                    <time class="board-card__at" datetime=t>
                        {move || crate::domain::format::rfc3339_long(&t2, lang.get())}
                    </time>
                }
            })}
            {(approvals > 0 || outputs > 0 || card.escalated).then(|| view! {
                <ul class="badges board-card__badges">
                    {(approvals > 0).then(|| view! { <li class="badge badge--muted">{move || (texts().approvals_missing)(approvals)}</li> })}
                    {(outputs > 0).then(|| view! { <li class="badge badge--muted">{move || (texts().outputs_missing)(outputs)}</li> })}
                    {card.escalated.then(|| view! { <li class="badge badge--warning">{move || texts().escalated}</li> })}
                </ul>
            })}
        </li>
    }
}
