use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{get_board, set_wip_limit};
use crate::domain::calendar::SlaState;
use crate::domain::catalog::StepCode;
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::board::{Board, Card, Column, Lane, MovePlan};
use crate::domain::workflow::board_filter::{BoardFilter, Viewer};
use crate::domain::workflow::wip::WipLoad;
use crate::error::AppError;
use crate::ui::board::board_state::{BoardState, Shown, Target, WINDOW};
use crate::ui::board::case_drawer::{drawer_href, CaseDrawer};
use crate::ui::board::overview_view::OverviewBoard;
use crate::ui::board::raise_dialog::{raise_href, RaiseDialog};
use crate::ui::board::raise_texts::raise_texts;
use crate::ui::board::texts::board_texts;
use crate::ui::board::{board_dnd, board_live};
use crate::ui::i18n::{use_lang, Locale};
use crate::ui::layout::shell_layout::use_shell_data;
use crate::ui::resource::blocking_resource;

/// The CSS modifier of an SLA state (`board-card--overdue`, `sla--due-soon` …).
pub(crate) fn sla_class(sla: Option<SlaState>) -> &'static str {
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
    let query = use_query_map();
    // The lanes' first cards under the filters in the address (read once: changing a filter
    // later narrows the cards at hand, it does not load the board again). The overview
    // counts stages over every card: it loads them all.
    let board = blocking_resource(code, move |code| {
        let first = query.with_untracked(|q| {
            (q.get("view").as_deref() != Some("overview")).then(|| {
                FILTER_KEYS
                    .iter()
                    .filter_map(|k| q.get(k).map(|v| (k.to_string(), v)))
                    .collect::<Vec<_>>()
            })
        });
        get_board(code, first)
    });

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
    let handbook = format!("/functions/{}", board.function);
    let accent = board.accent.clone();
    let locale = expect_context::<Locale>();
    let query = use_query_map();
    let filter = Signal::derive(move || {
        query.with(|q| {
            let values: Vec<(&str, String)> = FILTER_KEYS
                .iter()
                .filter_map(|k| q.get(k).map(|v| (*k, v)))
                .collect();
            BoardFilter::from_pairs(values.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let me = use_shell_data().me;
    let viewer = Signal::derive(move || match me.get() {
        Some(Ok(Some(person))) => Viewer {
            user: person.id.0,
            roles: person.roles,
        },
        _ => Viewer::default(),
    });
    let board_path = format!("/functions/{}/board", board.function);
    let overview = Memo::new(move |_| query.with(|q| q.get("view").as_deref() == Some("overview")));
    let state = BoardState::new(board, locale.0, filter, viewer);
    provide_context(state);
    Effect::new(move |_| state.overview_shown.set_value(overview.get()));
    // Live updates and the periodic refresh run in the browser only.
    Effect::new(move |_| board_live::connect(state));
    let lanes = state.lanes.get_value();
    view! {
        <Title text=move || format!("{} · {}", title_name.get(lang.get()), texts().board)/>
        <header class="page-header board-header" style=format!("--accent: {accent}")>
            <div>
                <h1>{move || name.get(lang.get()).to_string()} " · " {move || texts().board}</h1>
                <p class="page-header__lead">{move || texts().lead}</p>
            </div>
            <div class="board-header__meta">
                <div class="board-header__actions">
                    <RaiseButton path=board_path.clone()/>
                    <a class="button" href=handbook>{move || texts().handbook}</a>
                </div>
                <span class="board-header__asof">
                    <span
                        class="live-dot"
                        class:live-dot--on=move || state.live.get()
                        data-testid="board-live-state"
                        data-live=move || state.live.get().to_string()
                    >
                        {move || if state.live.get() { texts().live } else { texts().reconnecting }}
                    </span>
                    " · " {move || texts().as_of} " "
                    {move || crate::domain::format::rfc3339_long(&state.as_of.get(), lang.get())}
                </span>
            </div>
        </header>
        <p id="board-how-to-move" class="visually-hidden">{move || texts().how_to_move}</p>
        <p class="visually-hidden" aria-live="assertive" role="status" data-testid="board-announcer">
            {move || state.announcement.get()}
        </p>
        <FilterBar/>
        <div class="board" data-testid="board" style=format!("--accent: {}", accent) hidden=move || overview.get()>
            {lanes.into_iter().map(|lane| view! { <LaneView lane/> }).collect_view()}
        </div>
        <Show when=move || overview.get()>
            <OverviewBoard/>
        </Show>
        <ReturnDialog/>
        <OverLimitDialog/>
        <CaseDrawer path=board_path.clone()/>
        <RaiseDialog path=board_path/>
    }
}

/// Opens "raise a request" on the process the filters show, else the function's first one
/// someone raises.
#[component]
fn RaiseButton(path: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    let state = expect_context::<BoardState>();
    let query = use_query_map();
    let href = move || {
        let process = state.filter.with(|f| f.process.clone());
        query.with(|q| raise_href(&path, q, Some(process.as_deref().unwrap_or("new"))))
    };
    view! {
        <a class="button button--primary" href=href data-testid="raise-open">
            <span aria-hidden="true">"+ "</span>{move || t().raise}
        </a>
    }
}

/// Switches between the lanes (a column per step) and the overview (four shared states).
#[component]
fn ViewSwitch() -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    let state = expect_context::<BoardState>();
    let query = use_query_map();
    let path = format!("/functions/{}/board", state.function.get_value());
    let href = move |overview: bool| {
        let path = path.clone();
        move || {
            query.with(|q| {
                let mut q = q.clone();
                q.remove("view");
                if overview {
                    q.replace("view", "overview".to_string());
                }
                format!("{path}{}", q.to_query_string())
            })
        }
    };
    let is_overview = move || query.with(|q| q.get("view").as_deref() == Some("overview"));
    view! {
        <nav class="view-switch" aria-label=move || t().view_label data-testid="view-switch">
            <a
                class="view-switch__option"
                href=href(false)
                aria-current=move || (!is_overview()).then_some("page")
            >
                {move || t().view_lanes}
            </a>
            <a
                class="view-switch__option"
                href=href(true)
                aria-current=move || is_overview().then_some("page")
            >
                {move || t().view_overview}
            </a>
        </nav>
    }
}

#[component]
fn LaneView(lane: Lane) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let name = lane.name.clone();
    let process = lane.process.clone();
    let counts = {
        let process = process.clone();
        Memo::new(move |_| state.lane_counts(&process))
    };
    let open_at_start = counts.get_untracked().0 > 0;
    // A lane the filters emptied opens again when cards come back into it (filters cleared
    // or changed); one the person closed with cards in it stays closed.
    let lane_node = NodeRef::<html::Details>::new();
    Effect::new(move |before: Option<usize>| {
        let shown = counts.get().0;
        if before == Some(0) && shown > 0 {
            if let Some(details) = lane_node.get_untracked() {
                let _ = details.set_attribute("open", "");
            }
        }
        shown
    });
    let hidden = {
        let process = process.clone();
        move || {
            state
                .filter
                .with(|f| f.process.as_ref().is_some_and(|p| p != &process))
        }
    };
    view! {
        <details class="lane" node_ref=lane_node open=open_at_start hidden=hidden data-process=process.clone()>
            <summary class="lane__summary">
                <span class="lane__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="lane__count">{move || (texts().open)(counts.get().0)}</span>
                {move || {
                    let overdue = counts.get().1;
                    (overdue > 0).then(|| view! {
                        <span class="sla sla--overdue">{move || (texts().overdue)(overdue)}</span>
                    })
                }}
            </summary>
            <div class="lane__columns" role="list">
                {lane
                    .columns
                    .into_iter()
                    .map(|column| view! { <ColumnView process=process.clone() column/> })
                    .collect_view()}
                <DoneColumn process=process.clone()/>
            </div>
        </details>
    }
}

/// Whether the card being moved is over this target: `None` if not, `Some(refused)` if so.
fn hovering(state: BoardState, process: String, target: Target) -> Memo<Option<bool>> {
    Memo::new(move |_| {
        let over = state.drag.with(|d| match d {
            Some(d) if d.process == process && d.target.as_ref() == Some(&target) => {
                Some(d.case_id)
            }
            _ => None,
        })?;
        Some(matches!(
            state.plan(over, &target),
            Some(MovePlan::Refused(_))
        ))
    })
}

#[component]
fn ColumnView(process: String, column: Column) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let (name, owner) = (column.name.clone(), column.owner_name.clone());
    let label_name = column.name.clone();
    let label_name_wip = column.name.clone();
    let number = column.number;
    let step: StepCode = column.step.clone();
    let window = RwSignal::new(WINDOW);
    let cards = {
        let (process, step) = (process.clone(), step.clone());
        Memo::new(move |_| state.column_cards(&process, &step, window.get()))
    };
    let over = hovering(state, process.clone(), Target::Step(step.clone()));
    let load = {
        let (process, step) = (process.clone(), step.clone());
        Memo::new(move |_| state.column_load(&process, &step))
    };
    let fill = move || match load.get() {
        (count, Some(limit)) => Some(crate::domain::workflow::wip::load(count, limit)),
        _ => None,
    };
    let editor_name = column.name.clone();
    let node = NodeRef::<html::Section>::new();
    // The column chosen with the arrow keys comes into view (a wide lane scrolls sideways).
    Effect::new(move |_| {
        let keyboard = state.drag.with(|d| d.as_ref().is_some_and(|d| d.keyboard));
        if over.get().is_some() && keyboard {
            if let Some(element) = node.get_untracked() {
                scroll_into_view(&element);
            }
        }
    });
    view! {
        <section
            node_ref=node
            class="column"
            class:is-target=move || over.get() == Some(false)
            class:is-refused-target=move || over.get() == Some(true)
            class:is-full=move || fill() == Some(WipLoad::Full)
            class:is-over=move || fill() == Some(WipLoad::Over)
            role="listitem"
            data-step=step.to_string()
            data-drop=step.to_string()
            data-lane=process.clone()
            aria-label=move || format!("{} {}", label_name.get(lang.get()), (texts().cases_in_column)(cards.with(|s| s.total)))
        >
            <header class="column__header">
                <span class="column__number" aria-hidden="true">{number}</span>
                <span class="column__name">{move || name.get(lang.get()).to_string()}</span>
                <span class="column__count" data-testid="column-count">{move || cards.with(|s| s.total)}</span>
                {move || load.get().1.map(|limit| {
                    let count = load.get().0;
                    let label_name_wip = label_name_wip.clone();
                    view! {
                        <span
                            class="column__wip"
                            data-testid="column-wip"
                            title=move || (texts().wip_label)(label_name_wip.get(lang.get()))
                        >
                            {move || (texts().wip_of)(count, limit)}
                        </span>
                    }
                })}
                <span class="column__owner">{move || owner.get(lang.get()).to_string()}</span>
                {state.may_set_limits.then(|| view! {
                    <WipEditor process=process.clone() step=step.clone() name=editor_name.clone() limit=Signal::derive(move || load.get().1)/>
                })}
            </header>
            <ol class="column__cards">
                <For
                    each=move || cards.with(|s| s.cards.clone())
                    key=|card| (card.case_id, card.version, card.step.clone(), card.sla, card.sla_left.map(|s| s.shown()))
                    children=move |card| view! { <CardView card/> }
                />
            </ol>
            <MoreCards cards window/>
            {move || cards.with(|s| s.total == 0).then(|| view! { <p class="column__empty">{move || texts().empty_column}</p> })}
        </section>
    }
}

/// The end of a column that draws only its first cards: how many more there are, a button
/// that draws the next ones, and (in the browser) the same as soon as the button comes near
/// the screen, so that scrolling down a long column just goes on.
#[component]
pub(crate) fn MoreCards(cards: Memo<Shown>, window: RwSignal<usize>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let node = NodeRef::<html::Button>::new();
    let more = move || window.update(|w| *w += WINDOW);
    Effect::new(move |_| {
        if let Some(button) = node.get() {
            when_near_screen(button, more);
        }
    });
    view! {
        <Show when=move || cards.with(|s| s.hidden() > 0)>
            <button
                type="button"
                class="button button--quiet column__more"
                data-testid="column-more"
                node_ref=node
                on:click=move |_| more()
            >
                {move || {
                    let (drawn, total) = cards.with(|s| (s.cards.len(), s.total));
                    (texts().show_more)(WINDOW.min(total - drawn), drawn, total)
                }}
            </button>
        </Show>
    }
}

/// Sets a column's work-in-progress limit (for the function's lead, the director and
/// administrators).
#[component]
fn WipEditor(
    process: String,
    step: StepCode,
    name: Text,
    limit: Signal<Option<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let open = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Text>);
    let saving = RwSignal::new(false);
    let field_id = format!("wip-{process}-{}", step.as_str());
    let save = move |limit: Option<i64>| {
        let (function, process, step) = (
            state.function.get_value(),
            process.clone(),
            step.to_string(),
        );
        saving.set(true);
        leptos::task::spawn_local(async move {
            let answer = set_wip_limit(function, process, step, limit).await;
            saving.try_set(false);
            match answer {
                Ok(limits) => {
                    state.limits.try_set(limits);
                    open.try_set(false);
                }
                Err(AppError::Invalid { fields }) => {
                    error.try_set(fields.into_iter().next().map(|f| f.message));
                }
                Err(other) => {
                    error.try_set(Some(Text::new(
                        other.message(Lang::Zh),
                        other.message(Lang::En),
                    )));
                }
            }
        });
    };
    let save = StoredValue::new(save);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = value.get_untracked();
        match text.trim().parse::<i64>() {
            Ok(n) => save.with_value(|s| s(Some(n))),
            Err(_) if text.trim().is_empty() => save.with_value(|s| s(None)),
            Err(_) => save.with_value(|s| s(Some(0))),
        }
    };
    let label = StoredValue::new(name.clone());
    view! {
        <div class="column__wip-editor">
            <button
                type="button"
                class="button button--quiet column__wip-button"
                aria-expanded=move || open.get().to_string()
                aria-label=move || (texts().wip_label)(name.get(lang.get()))
                on:click=move |_| {
                    value.set(limit.get_untracked().map(|l| l.to_string()).unwrap_or_default());
                    error.set(None);
                    open.update(|o| *o = !*o);
                }
            >
                {move || texts().wip_set}
            </button>
            <Show when=move || open.get()>
                <form class="column__wip-form" on:submit=submit data-testid="wip-form">
                    <label class="visually-hidden" for=field_id.clone()>{move || label.with_value(|l| (texts().wip_label)(l.get(lang.get())))}</label>
                    <input
                        id=field_id.clone()
                        type="number"
                        min="1"
                        max="999"
                        inputmode="numeric"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button--primary" disabled=move || saving.get()>{move || texts().wip_save}</button>
                    <button type="button" class="button" disabled=move || saving.get() on:click=move |_| save.with_value(|s| s(None))>{move || texts().wip_remove}</button>
                    <button type="button" class="button button--quiet" on:click=move |_| open.set(false)>{move || texts().wip_cancel}</button>
                    {move || error.get().map(|e| view! { <p class="form__error" role="alert">{move || e.get(lang.get()).to_string()}</p> })}
                </form>
            </Show>
        </div>
    }
}

/// Asks before a card goes into a column at its work-in-progress limit.
#[component]
fn OverLimitDialog() -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let go = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if state.asking_over_limit.with(Option::is_some) {
            if let Some(button) = go.get() {
                let _ = button.focus();
            }
        }
    });
    view! {
        <Show when=move || state.asking_over_limit.with(Option::is_some)>
            <div class="dialog-backdrop" on:click=move |_| state.answer_over_limit(false)></div>
            <div
                class="dialog"
                role="alertdialog"
                aria-modal="true"
                aria-labelledby="over-limit-title"
                aria-describedby="over-limit-lead"
                data-testid="over-limit-dialog"
                on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); state.answer_over_limit(false) }
            >
                <header class="dialog__header">
                    <h2 id="over-limit-title">{move || texts().over_limit_title}</h2>
                </header>
                <p id="over-limit-lead" class="dialog__lead">
                    {move || state.asking_over_limit.get().map(|ask| format!("{} · {}", ask.title, (texts().over_limit_ask)(ask.column.get(lang.get()), ask.count, ask.limit)))}
                </p>
                <div class="form__actions">
                    <button type="button" class="button" on:click=move |_| state.answer_over_limit(false)>{move || texts().over_limit_back}</button>
                    <button type="button" class="button button--primary" node_ref=go on:click=move |_| state.answer_over_limit(true)>{move || texts().over_limit_go}</button>
                </div>
            </div>
        </Show>
    }
}

/// The lane's last column: a card at the last step dropped here has its step completed.
#[component]
fn DoneColumn(process: String) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let over = hovering(state, process.clone(), Target::Done);
    view! {
        <section
            class="column column--done"
            class:is-target=move || over.get() == Some(false)
            class:is-refused-target=move || over.get() == Some(true)
            role="listitem"
            data-drop="done"
            data-lane=process
            aria-label=move || texts().done_column
        >
            <header class="column__header">
                <span class="column__number" aria-hidden="true">"✓"</span>
                <span class="column__name">{move || texts().done_column}</span>
            </header>
            <p class="column__empty">{move || texts().done_hint}</p>
        </section>
    }
}

/// A card. On the lanes it moves (mouse, touch, keyboard); on the overview it only opens its
/// drawer, and says which process it belongs to.
#[component]
pub(crate) fn CardView(card: Card, #[prop(default = true)] movable: bool) -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let id = card.case_id;
    let owner_name = card.owner_name.clone();
    let initial = owner_name
        .zh
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let sla = card.sla;
    let left = card.sla_left;
    let due_at = card.due_at.clone();
    let (approvals, outputs) = (card.approvals_missing, card.outputs_missing);
    let meta = match &card.department {
        Some(d) => format!("#{} · {} · {}", card.case_id, card.requester, d),
        None => format!("#{} · {}", card.case_id, card.requester),
    };
    let step_name = state.target_name(&card.process, &Target::Step(card.step.clone()));
    let title = card.title.clone();
    let link_title = card.title.clone();
    let query = use_query_map();
    let path = format!("/functions/{}/board", state.function.get_value());
    let open_href = move || query.with(|q| drawer_href(&path, q, Some(id)));
    let node = NodeRef::<html::Li>::new();
    // A card drawn anew while it had the focus (it changed under the keyboard) takes it back,
    // unless the focus went somewhere else meanwhile.
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            if state.focused.get_value() == Some(id) && focus_is_nowhere() {
                let _ = element.focus();
            }
        }
    });
    let moving = Memo::new(move |_| {
        state
            .drag
            .with(|d| d.as_ref().filter(|d| d.case_id == id).map(|d| d.keyboard))
    });
    let pending = Memo::new(move |_| state.pending.with(|p| p.contains(&id)));
    let refusal = Memo::new(move |_| {
        state.refusals.with(|r| {
            r.iter()
                .find(|(case, _)| *case == id)
                .map(|(_, why)| why.clone())
        })
    });
    view! {
        <li
            class=format!("board-card board-card--{}", sla_class(sla))
            class:is-dragging=move || moving.get() == Some(false)
            class:is-picked=move || moving.get() == Some(true)
            class:is-pending=move || pending.get()
            data-case=id
            data-version=card.version
            data-step=card.step.to_string()
            data-sla=sla_class(sla)
            tabindex="0"
            aria-roledescription=move || movable.then(|| if lang.get() == crate::domain::lang::Lang::Zh { "可移动的卡片" } else { "movable card" })
            aria-label=move || (texts().card_label)(&title, step_name.get(lang.get()))
            aria-describedby=movable.then_some("board-how-to-move")
            aria-busy=move || pending.get().to_string()
            on:keydown=move |ev| if movable { board_dnd::key_down(state, id, &ev) }
            node_ref=node
            on:focus=move |_| state.focused.set_value(Some(id))
            on:blur=move |_| {
                if movable {
                    board_dnd::blur(state, id);
                }
                forget_focus_later(state, id, node);
            }
            on:pointerdown=move |ev| if movable { board_dnd::pointer_down(state, id, &ev) }
            on:pointermove=move |ev| if movable { board_dnd::pointer_move(state, &ev) }
            on:pointerup=move |ev| if movable { board_dnd::pointer_up(state, &ev) }
            on:pointercancel=move |ev| if movable { board_dnd::pointer_cancel(state, &ev) }
        >
            {(!movable).then(|| {
                let process = state.lane_name(&card.process);
                let step = step_name.clone();
                view! {
                    <p class="board-card__process">
                        {move || format!("{} · {}", process.get(lang.get()), step.get(lang.get()))}
                    </p>
                }
            })}
            <div class="board-card__top">
                <p class="board-card__title">
                    <a
                        class="board-card__open"
                        href=open_href
                        draggable="false"
                        on:click=|ev| board_dnd::title_click(&ev)
                        aria-label=move || (crate::ui::board::drawer_texts::drawer_texts(lang.get()).open_card)(&link_title)
                    >
                        {card.title.clone()}
                    </a>
                </p>
                {movable.then(|| view! { <span class="board-card__handle" aria-hidden="true" title=move || texts().drag_handle>"⠿"</span> })}
            </div>
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
                {move || left.map(|s| view! { <span class="board-card__left">{s.words(lang.get())}</span> })}
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
            {move || pending.get().then(|| view! { <p class="board-card__saving">{move || texts().saving}</p> })}
            {move || refusal.get().map(|reasons| view! {
                <div class="board-card__refusal" role="alert" data-testid="card-refusal">
                    <p class="board-card__refusal-title">{move || texts().refused_title}</p>
                    <ul>
                        {reasons.into_iter().map(|r| view! { <li>{move || r.get(lang.get()).to_string()}</li> }).collect_view()}
                    </ul>
                    <button
                        type="button"
                        class="button button--quiet"
                        on:click=move |_| state.set_refusal(id, Vec::new())
                    >
                        {move || texts().dismiss}
                    </button>
                </div>
            })}
        </li>
    }
}

/// Asks why a card is returned to an earlier step.
#[component]
fn ReturnDialog() -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let field = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if state.asking_return.with(Option::is_some) {
            reason.set(String::new());
            missing.set(false);
            if let Some(field) = field.get() {
                let _ = field.focus();
            }
        }
    });
    let close = move || {
        if let Some(ask) = state.asking_return.get_untracked() {
            state.asking_return.set(None);
            state.cancel();
            crate::ui::board::board_state::focus_card(ask.case_id);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            missing.set(true);
            return;
        }
        state.confirm_return(text);
    };
    view! {
        <Show when=move || state.asking_return.with(Option::is_some)>
            <div class="dialog-backdrop" on:click=move |_| close()></div>
            <form
                class="dialog form"
                role="dialog"
                aria-modal="true"
                aria-labelledby="return-title"
                data-testid="return-dialog"
                on:submit=submit
                on:keydown=move |ev| if ev.key() == "Escape" { close() }
            >
                <header class="dialog__header">
                    <h2 id="return-title">{move || texts().return_title}</h2>
                </header>
                <p class="dialog__lead">
                    {move || state.asking_return.get().map(|ask| (texts().return_lead)(&ask.title, ask.to_name.get(lang.get())))}
                </p>
                <div class="form__field" class:form__field--invalid=move || missing.get()>
                    <label for="return-reason">{move || texts().return_reason}</label>
                    <textarea
                        id="return-reason"
                        rows="3"
                        maxlength="500"
                        node_ref=field
                        name="reason"
                        aria-invalid=move || missing.get().to_string()
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    {move || missing.get().then(|| view! { <p class="form__error" role="alert">{move || texts().return_needs_reason}</p> })}
                </div>
                <div class="form__actions">
                    <button type="button" class="button" on:click=move |_| close()>{move || texts().return_cancel}</button>
                    <button type="submit" class="button button--primary">{move || texts().return_confirm}</button>
                </div>
            </form>
        </Show>
    }
}

/// The query keys the filters use.
const FILTER_KEYS: [&str; 7] = [
    "mine",
    "role",
    "overdue",
    "soon",
    "process",
    "department",
    "q",
];

/// Percent-encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The board's filters, kept in the page's address.
#[component]
fn FilterBar() -> impl IntoView {
    let lang = use_lang();
    let texts = move || board_texts(lang.get());
    let state = expect_context::<BoardState>();
    let navigate = use_navigate();
    let page_query = use_query_map();
    let path = format!("/functions/{}/board", state.function.get_value());
    let apply = move |change: &dyn Fn(&mut BoardFilter)| {
        let mut filter = state.filter.get_untracked();
        change(&mut filter);
        let query: Vec<String> = filter
            .to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        let mut query = query;
        // The view and an open drawer or form stay as they are.
        for key in ["view", "case", "raise"] {
            if let Some(value) = page_query.with_untracked(|q| q.get(key)) {
                query.push(format!("{key}={}", encode(&value)));
            }
        }
        let href = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", query.join("&"))
        };
        navigate(
            &href,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let apply = StoredValue::new(apply);
    let chip = move |label: fn(&'static crate::ui::board::texts::BoardTexts) -> &'static str,
                     get: fn(&BoardFilter) -> bool,
                     set: fn(&mut BoardFilter, bool)| {
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || state.filter.with(get).to_string()
                on:click=move |_| {
                    let on = !state.filter.with_untracked(get);
                    apply.with_value(|apply| apply(&move |f: &mut BoardFilter| set(f, on)));
                }
            >
                {move || label(texts())}
            </button>
        }
    };
    let lanes = state.lanes.get_value();
    view! {
        <form class="board-filters" role="search" data-testid="board-filters" on:submit=|ev| ev.prevent_default()>
            <ViewSwitch/>
            <div class="board-filters__chips" role="group" aria-label=move || texts().filters>
                {chip(|t| t.filter_mine, |f| f.mine, |f, on| f.mine = on)}
                {chip(|t| t.filter_my_roles, |f| f.my_roles, |f, on| f.my_roles = on)}
                {chip(|t| t.filter_overdue, |f| f.overdue, |f, on| f.overdue = on)}
                {chip(|t| t.filter_due_soon, |f| f.due_soon, |f, on| f.due_soon = on)}
            </div>
            <select
                class="board-filters__select"
                aria-label=move || texts().filter_process
                prop:value=move || state.filter.with(|f| f.process.clone().unwrap_or_default())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    apply.with_value(|apply| apply(&|f: &mut BoardFilter| f.process = (!value.is_empty()).then(|| value.clone())));
                }
            >
                <option value="">{move || texts().all_processes}</option>
                {lanes
                    .into_iter()
                    .map(|lane| {
                        let name = lane.name.clone();
                        view! { <option value=lane.process.clone()>{move || name.get(lang.get()).to_string()}</option> }
                    })
                    .collect_view()}
            </select>
            <select
                class="board-filters__select"
                aria-label=move || texts().filter_department
                prop:value=move || state.filter.with(|f| f.department.clone().unwrap_or_default())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    apply.with_value(|apply| apply(&|f: &mut BoardFilter| f.department = (!value.is_empty()).then(|| value.clone())));
                }
            >
                <option value="">{move || texts().all_departments}</option>
                <For
                    each=move || state.departments()
                    key=|d| d.clone()
                    children=move |d| view! { <option value=d.clone()>{d.clone()}</option> }
                />
            </select>
            <input
                type="search"
                class="board-filters__search"
                aria-label=move || texts().filter_text
                placeholder=move || texts().filter_text
                prop:value=move || state.filter.with(|f| f.text.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    apply.with_value(|apply| apply(&|f: &mut BoardFilter| f.text = value.clone()));
                }
            />
            <span class="board-filters__count" data-testid="board-shown" aria-live="polite">
                {move || {
                    let (shown, all) = state.shown_of_all();
                    (texts().shown)(shown, all)
                }}
            </span>
            {move || (!state.filter.with(BoardFilter::is_default)).then(|| view! {
                <button
                    type="button"
                    class="button button--quiet"
                    on:click=move |_| apply.with_value(|apply| apply(&|f: &mut BoardFilter| *f = BoardFilter::default()))
                >
                    {move || texts().clear_filters}
                </button>
            })}
            {move || {
                let (shown, all) = state.shown_of_all();
                (shown == 0 && all > 0).then(|| view! {
                    <p class="board-filters__none" data-testid="board-none-shown">{(texts().none_shown)(all)}</p>
                })
            }}
        </form>
    }
}

/// Whether the keyboard focus is on nothing in particular (the page itself).
fn focus_is_nowhere() -> bool {
    #[cfg(feature = "hydrate")]
    {
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        match active {
            None => true,
            Some(element) => element.tag_name().eq_ignore_ascii_case("body"),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// A card that lost the focus because the user went elsewhere forgets it had it; one that
/// lost it because it was taken off the page (to be drawn anew) remembers.
fn forget_focus_later(state: BoardState, id: i64, node: NodeRef<html::Li>) {
    request_animation_frame(move || {
        let connected = node
            .try_get_untracked()
            .flatten()
            .is_some_and(|element| element.is_connected());
        if connected && state.focused.try_get_value().flatten() == Some(id) {
            state.focused.try_set_value(None);
        }
    });
}

/// Scrolls an element into view along the shortest way.
fn scroll_into_view(element: &leptos::web_sys::HtmlElement) {
    #[cfg(feature = "hydrate")]
    {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = element;
}

/// Calls `f` when the page (or any part of it) is scrolled while `element` is shown and its
/// top is less than a screen and a half below the top of the window, until the element
/// leaves the page. Scrolling is what asks: a column whose end is on screen from the start
/// does not draw more by itself (its button does). Nothing happens on the server.
fn when_near_screen(element: leptos::web_sys::HtmlButtonElement, f: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        let Some(window) = web_sys::window() else {
            return;
        };
        let watched = element.clone();
        let on_scroll = Closure::<dyn FnMut()>::new(move || {
            let height = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            let rect = watched.get_bounding_client_rect();
            // A button in a closed lane or a hidden view has no box.
            if watched.is_connected() && rect.height() > 0.0 && rect.top() < 1.5 * height {
                f();
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        // Captured on the window: the scrolling of every element passes there.
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            "scroll",
            on_scroll.as_ref().unchecked_ref(),
            &options,
        );
        let kept = StoredValue::new_local((window, on_scroll));
        on_cleanup(move || {
            kept.try_with_value(|(window, on_scroll)| {
                let _ = window.remove_event_listener_with_callback_and_bool(
                    "scroll",
                    on_scroll.as_ref().unchecked_ref(),
                    true,
                );
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (element, f);
}
