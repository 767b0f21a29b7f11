//! The director's overview of a function's board: every open card under one of four shared
//! states (待受理 / 办理中 / 待审批), and the cases closed in the last week (已办结). Cards
//! open their drawer; moves are made on the lanes, where each column is a step.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::format::rfc3339_long;
use crate::domain::workflow::overview::{ClosedCard, Stage};
use crate::ui::board::board_page::{CardView, MoreCards};
use crate::ui::board::board_state::{BoardState, WINDOW};
use crate::ui::board::case_drawer::drawer_href;
use crate::ui::board::raise_texts::raise_texts;
use crate::ui::board::texts::board_texts;
use crate::ui::i18n::use_lang;

#[component]
pub fn OverviewBoard() -> impl IntoView {
    view! {
        <div class="board overview" data-testid="board-overview">
            <div class="overview__columns" role="list">
                {[Stage::Intake, Stage::InProgress, Stage::AwaitingApproval]
                    .into_iter()
                    .map(|stage| view! { <StageColumn stage/> })
                    .collect_view()}
                <DoneStage/>
            </div>
        </div>
    }
}

#[component]
fn StageColumn(stage: Stage) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let rt = move || raise_texts(lang.get());
    let state = expect_context::<BoardState>();
    let window = RwSignal::new(WINDOW);
    let cards = Memo::new(move |_| state.stage_cards(stage, window.get()));
    let name = stage.name();
    let label = stage.name();
    view! {
        <section
            class=format!("column overview__stage overview__stage--{}", stage.code())
            role="listitem"
            data-stage=stage.code()
            aria-label=move || format!("{} {}", label.get(lang.get()), (texts().cases_in_column)(cards.with(|s| s.total)))
        >
            <header class="column__header">
                <span class="column__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="column__count" data-testid="stage-count">{move || cards.with(|s| s.total)}</span>
            </header>
            <ol class="column__cards">
                <For
                    each=move || cards.with(|s| s.cards.clone())
                    key=|card| (card.case_id, card.version, card.sla, card.sla_left.map(|s| s.shown()))
                    children=move |card| view! { <CardView card movable=false/> }
                />
            </ol>
            <MoreCards cards window/>
            {move || cards.with(|s| s.total == 0).then(|| view! { <p class="column__empty">{move || rt().overview_empty}</p> })}
        </section>
    }
}

#[component]
fn DoneStage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let rt = move || raise_texts(lang.get());
    let state = expect_context::<BoardState>();
    let cards = Memo::new(move |_| state.closed_cards());
    let name = Stage::Done.name();
    let label = Stage::Done.name();
    view! {
        <section
            class="column column--done overview__stage overview__stage--done"
            role="listitem"
            data-stage="done"
            aria-label=move || format!("{} {}", label.get(lang.get()), (texts().cases_in_column)(cards.with(Vec::len)))
        >
            <header class="column__header">
                <span class="column__number" aria-hidden="true">"✓"</span>
                <span class="column__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="column__count" data-testid="stage-count">{move || cards.with(Vec::len)}</span>
            </header>
            <p class="column__empty overview__hint" data-testid="closed-hint">
                {move || if cards.with(Vec::is_empty) { rt().closed_none } else { rt().closed_hint }}
            </p>
            <ol class="column__cards">
                <For
                    each=move || cards.get()
                    key=|card| card.case_id
                    children=move |card| view! { <ClosedCardView card/> }
                />
            </ol>
        </section>
    }
}

#[component]
fn ClosedCardView(card: ClosedCard) -> impl IntoView {
    let lang = use_lang();
    let rt = move || raise_texts(lang.get());
    let state = expect_context::<BoardState>();
    let query = use_query_map();
    let path = format!("/functions/{}/board", state.function.get_value());
    let id = card.case_id;
    let href = move || query.with(|q| drawer_href(&path, q, Some(id)));
    let process = state.lane_name(&card.process);
    let meta = match &card.department {
        Some(d) => format!("#{} · {} · {}", card.case_id, card.requester, d),
        None => format!("#{} · {}", card.case_id, card.requester),
    };
    let late = card.late_steps;
    let at = card.closed_at.clone();
    let shown_at = card.closed_at.clone();
    view! {
        <li class="board-card board-card--closed" data-case=id>
            <p class="board-card__process">{move || process.get(lang.get()).to_string()}</p>
            <p class="board-card__title">
                <a class="board-card__open" href=href>{card.title.clone()}</a>
            </p>
            <p class="board-card__meta">{meta}</p>
            <div class="board-card__row board-card__due">
                {if late > 0 {
                    view! { <span class="sla sla--overdue">{move || (rt().closed_late)(late)}</span> }.into_any()
                } else {
                    view! { <span class="sla sla--on-time">{move || rt().closed_on_time}</span> }.into_any()
                }}
            </div>
            <time class="board-card__at" datetime=at>
                {move || format!("{} {}", rt().closed_at, rfc3339_long(&shown_at, lang.get()))}
            </time>
        </li>
    }
}
