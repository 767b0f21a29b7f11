//! The calendar of deadlines: month, week and list views of every open step's due time, the
//! dates requests carry and the recurring duties to come, on the working-day calendar (休/班
//! with the holiday's name, today highlighted, weeks from Monday). The view, the date and
//! the filters live in the address (`/calendar?view=week&date=2025-10-08&fn=meetings&mine=1`),
//! so a filtered calendar can be shared as a link; an item opens its case's drawer on its
//! board.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{apply_case_command, get_calendar_view};
use crate::domain::format::date_long;
use crate::domain::lang::Lang;
use crate::domain::workflow::agenda::{
    rescheduled, AgendaItem, CalendarFilter, CalendarPage as Page, CalendarView, DayCell, DayMark,
    ItemKind,
};
use crate::domain::workflow::Command;
use crate::error::AppError;
use crate::ui::agenda::feed_panel::FeedPanel;
use crate::ui::agenda::texts::{calendar_texts, CalendarTexts};
use crate::ui::board::board_page::{encode, sla_class};
use crate::ui::i18n::use_lang;
use crate::ui::resource::{blocking_resource, ServerResource};

const FILTER_KEYS: [&str; 6] = ["mine", "role", "overdue", "soon", "fn", "q"];

/// Dragging a planned date to another day: what is being dragged, the day under it, what
/// the last drag said (moved, or why it cannot move), and the page to reload after a move.
#[derive(Clone, Copy)]
struct Reschedule {
    dragging: RwSignal<Option<AgendaItem>>,
    over: RwSignal<Option<NaiveDate>>,
    note: RwSignal<Option<String>>,
    page: ServerResource<Result<Page, AppError>>,
}

impl Reschedule {
    /// A drag begins: a movable event is picked up; anything else says why it stays.
    fn start(self, item: &AgendaItem, lang: Lang, ev: &leptos::ev::DragEvent) {
        let t = calendar_texts(lang);
        if item.movable {
            // Some browsers start a drag only with data set.
            #[cfg(feature = "hydrate")]
            if let Some(data) = ev.data_transfer() {
                let _ = data.set_data("text/plain", &item.key);
                data.set_effect_allowed("move");
            }
            self.dragging.set(Some(item.clone()));
            self.note.set(None);
        } else {
            ev.prevent_default();
            self.note.set(Some(match item.kind {
                ItemKind::Obligation => t.fixed_obligation.to_string(),
                _ => (t.fixed_deadline)(item.what.get(lang)),
            }));
        }
    }

    /// Over a day: it takes the drop when something movable is dragged.
    fn over(self, date: NaiveDate, ev: &leptos::ev::DragEvent) {
        if self
            .dragging
            .with_untracked(|d| d.as_ref().is_some_and(|i| i.movable))
        {
            ev.prevent_default();
            if self.over.get_untracked() != Some(date) {
                self.over.set(Some(date));
            }
        }
    }

    fn end(self) {
        self.dragging.set(None);
        self.over.set(None);
    }

    /// Dropped on `date`: records the field on that day (same time), then reloads the view,
    /// where the deadlines counted from it show where they moved.
    fn drop_on(self, date: NaiveDate, lang: Lang, ev: &leptos::ev::DragEvent) {
        ev.prevent_default();
        let item = self.dragging.get_untracked();
        self.end();
        let Some(item) = item else { return };
        let (Some(values), Some(id)) = (rescheduled(&item, date), item.case_id) else {
            return;
        };
        let t = calendar_texts(lang);
        self.note.set(Some(t.moving.to_string()));
        let what = item.what.get(lang).to_string();
        leptos::task::spawn_local(async move {
            let answer =
                apply_case_command(id, item.version, Command::RecordFields { values }).await;
            let note = match answer {
                Ok(_) => (t.moved)(&what, &date_long(date, lang)),
                Err(error) => error.message(lang),
            };
            self.note.try_set(Some(note));
            self.page.refetch();
        });
    }
}

/// The filters the page shows, for links that keep them ("还有 N 项" to the week).
#[derive(Clone, Copy)]
struct ShownFilter(Memo<CalendarFilter>);

/// The week of `date` with the filters shown: where a day's "还有 N 项" leads.
fn week_href(date: NaiveDate) -> impl Fn() -> String + Send + Sync + 'static {
    let filter = expect_context::<ShownFilter>().0;
    move || filter.with(|f| calendar_href(CalendarView::Week, Some(date), f))
}

/// The page's address for a view, a date and filters.
fn calendar_href(view: CalendarView, date: Option<NaiveDate>, filter: &CalendarFilter) -> String {
    let mut query = vec![format!("view={}", view.code())];
    if let Some(date) = date {
        query.push(format!("date={date}"));
    }
    for (key, value) in filter.to_pairs() {
        query.push(format!("{key}={}", encode(&value)));
    }
    format!("/calendar?{}", query.join("&"))
}

/// Where an item leads: its case's drawer on its board.
fn item_href(item: &AgendaItem) -> Option<String> {
    item.case_id
        .map(|id| format!("/functions/{}/board?case={id}", item.function))
}

fn kind_code(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Deadline => "deadline",
        ItemKind::Event => "event",
        ItemKind::Obligation => "obligation",
    }
}

fn kind_label(t: &CalendarTexts, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Deadline => t.kind_deadline,
        ItemKind::Event => t.kind_event,
        ItemKind::Obligation => t.kind_obligation,
    }
}

/// Everything about an item in one sentence, for its tooltip and screen readers.
fn item_sentence(item: &AgendaItem, lang: Lang) -> String {
    let t = calendar_texts(lang);
    let when = match &item.time {
        Some(time) => format!("{} {time}", date_long(item.date, lang)),
        None => format!("{} {}", date_long(item.date, lang), t.whole_day),
    };
    let mut parts = vec![
        format!("{} {when}", kind_label(t, item.kind)),
        item.title.clone(),
        format!("{} · {}", item.process_name.get(lang), item.what.get(lang)),
    ];
    if !item.owner.is_empty() {
        parts.push(format!("{}: {}", t.owner, item.owner_name.get(lang)));
    }
    if let (Some(sla), Some(words)) = (item.sla, &item.sla_words) {
        parts.push(format!("{} ({})", sla.label(lang), words.get(lang)));
    }
    if item.kind == ItemKind::Obligation {
        parts.push(t.obligation_note.to_string());
    }
    parts.join(" · ")
}

/// The calendar page.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let query = use_query_map();
    let view_code = Memo::new(move |_| {
        query.with(|q| CalendarView::from_code(&q.get("view").unwrap_or_default()))
    });
    let date = Memo::new(move |_| query.with(|q| q.get("date").unwrap_or_default()));
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let values: Vec<(&str, String)> = FILTER_KEYS
                .iter()
                .filter_map(|k| q.get(k).map(|v| (*k, v)))
                .collect();
            CalendarFilter::from_pairs(values.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let page = blocking_resource(
        move || (view_code.get(), date.get(), filter.get()),
        |(view, date, filter)| async move {
            get_calendar_view(view.code().to_string(), Some(date), filter).await
        },
    );
    provide_context(ShownFilter(filter));
    provide_context(Reschedule {
        dragging: RwSignal::new(None),
        over: RwSignal::new(None),
        note: RwSignal::new(None),
        page,
    });

    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <Transition fallback=move || view! { <div class="calendar calendar--skeleton card" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CalendarBody page filter/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <div class="alert alert--info" role="status">
                            {move || texts().sign_in_first} " "
                            <a href="/signin?next=/calendar">{move || texts().sign_in}</a>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
        <FeedPanel/>
    }
}

#[component]
fn CalendarBody(page: Page, filter: Memo<CalendarFilter>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let (total, overdue) = (page.total, page.overdue);
    let as_of = page.as_of.clone();
    let empty = page.items.is_empty();
    let filtered = !filter.get_untracked().is_default();
    let body = match page.view {
        CalendarView::Month => view! { <MonthGrid page=page.clone()/> }.into_any(),
        CalendarView::Week => view! { <WeekGrid page=page.clone()/> }.into_any(),
        CalendarView::Agenda => view! { <AgendaList page=page.clone()/> }.into_any(),
    };
    view! {
        <section class="calendar" data-testid="calendar" data-view=page.view.code()>
            <CalendarToolbar page=page.clone() filter/>
            <CalendarFilters page=page.clone() filter/>
            <p class="calendar__count" role="status" data-testid="calendar-count">
                {move || (texts().counts)(total, overdue)}
                <span class="calendar__as-of">
                    " · " {move || texts().as_of} " "
                    {
                        let as_of = as_of.clone();
                        move || crate::domain::format::rfc3339_long(&as_of, lang.get())
                    }
                </span>
            </p>
            <CalendarNote/>
            {body}
            {(empty && page.view != CalendarView::Month).then(|| {
                let view = page.view;
                let date = page.date;
                view! {
                    <p class="calendar__empty card">
                        {move || if filtered { texts().empty_filtered } else { texts().empty_range }}
                        {filtered.then(|| view! {
                            " "
                            <a href=calendar_href(view, Some(date), &CalendarFilter::default())>
                                {move || texts().clear_filters}
                            </a>
                        })}
                    </p>
                }
            })}
            <Legend page=page.clone()/>
        </section>
    }
}

/// What the last drag said, announced to screen readers.
#[component]
fn CalendarNote() -> impl IntoView {
    let moves = expect_context::<Reschedule>();
    view! {
        <p class="calendar__note" role="status" aria-live="polite" data-testid="calendar-note">
            {move || moves.note.get()}
        </p>
    }
}

#[component]
fn CalendarToolbar(page: Page, filter: Memo<CalendarFilter>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let (view, date, today) = (page.view, page.date, page.today);
    let f = filter.get_untracked();
    let previous = calendar_href(view, Some(view.step(date, false)), &f);
    let next = calendar_href(view, Some(view.step(date, true)), &f);
    let today_href = calendar_href(view, Some(today), &f);
    let (from, to) = (page.from, page.to);
    let title = move || {
        let t = texts();
        match view {
            CalendarView::Week => {
                (t.week_title)(&date_long(from, lang.get()), &date_long(to, lang.get()))
            }
            _ => (t.month_title)(date.year(), date.month()),
        }
    };
    let week = view == CalendarView::Week;
    let switch = move |target: CalendarView, label: fn(&CalendarTexts) -> &'static str| {
        let href = calendar_href(target, Some(date), &filter.get_untracked());
        view! {
            <a
                class="view-switch__option"
                href=href
                aria-current=(view == target).then_some("page")
                data-view=target.code()
            >
                {move || label(texts())}
            </a>
        }
    };
    view! {
        <div class="calendar__toolbar">
            <div class="calendar__nav">
                <a
                    class="button button--ghost calendar__step"
                    href=previous
                    rel="prev"
                    aria-label=move || if week { texts().previous_week } else { texts().previous_month }
                    data-testid="calendar-previous"
                >
                    "‹"
                </a>
                <a class="button" href=today_href data-testid="calendar-today">
                    {move || texts().today}
                </a>
                <a
                    class="button button--ghost calendar__step"
                    href=next
                    rel="next"
                    aria-label=move || if week { texts().next_week } else { texts().next_month }
                    data-testid="calendar-next"
                >
                    "›"
                </a>
                <h2 class="calendar__title" data-testid="calendar-title">{title}</h2>
            </div>
            <nav class="view-switch" aria-label=move || texts().views data-testid="calendar-views">
                {switch(CalendarView::Month, |t| t.month)}
                {switch(CalendarView::Week, |t| t.week)}
                {switch(CalendarView::Agenda, |t| t.agenda)}
            </nav>
        </div>
    }
}

#[component]
fn CalendarFilters(page: Page, filter: Memo<CalendarFilter>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let navigate = use_navigate();
    let (view, date) = (page.view, page.date);
    let apply = move |change: &dyn Fn(&mut CalendarFilter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        navigate(
            &calendar_href(view, Some(date), &f),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let apply = StoredValue::new(apply);
    let chip = move |label: fn(&CalendarTexts) -> &'static str,
                     get: fn(&CalendarFilter) -> bool,
                     set: fn(&mut CalendarFilter, bool)| {
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || filter.with(get).to_string()
                on:click=move |_| {
                    let on = !filter.with_untracked(get);
                    apply.with_value(|apply| apply(&move |f: &mut CalendarFilter| set(f, on)));
                }
            >
                {move || label(texts())}
            </button>
        }
    };
    let chosen = filter.get_untracked().function.unwrap_or_default();
    view! {
        <form class="board-filters calendar__filters" role="search" data-testid="calendar-filters" on:submit=|ev| ev.prevent_default()>
            <div class="board-filters__chips" role="group" aria-label=move || texts().filters>
                {chip(|t| t.filter_mine, |f| f.mine, |f, on| f.mine = on)}
                {chip(|t| t.filter_my_roles, |f| f.my_roles, |f, on| f.my_roles = on)}
                {chip(|t| t.filter_overdue, |f| f.overdue, |f, on| f.overdue = on)}
                {chip(|t| t.filter_due_soon, |f| f.due_soon, |f, on| f.due_soon = on)}
            </div>
            <select
                class="board-filters__select"
                aria-label=move || texts().filter_function
                data-testid="calendar-function"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    apply.with_value(|apply| apply(&|f: &mut CalendarFilter| f.function = (!value.is_empty()).then(|| value.clone())));
                }
            >
                <option value="" selected=chosen.is_empty()>{move || texts().all_functions}</option>
                {page
                    .functions
                    .iter()
                    .map(|f| {
                        let name = f.name.clone();
                        view! {
                            <option value=f.code.clone() selected=f.code == chosen>
                                {move || name.get(lang.get()).to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <input
                type="search"
                class="board-filters__search"
                aria-label=move || texts().filter_text
                placeholder=move || texts().filter_text
                prop:value=move || filter.with(|f| f.text.clone())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    apply.with_value(|apply| apply(&|f: &mut CalendarFilter| f.text = value.clone()));
                }
            />
        </form>
    }
}

/// A day's heading marks: 休/班 with the holiday's name.
#[component]
fn DayMarkBadge(mark: Option<DayMark>) -> impl IntoView {
    let lang = use_lang();
    mark.map(|mark| {
        let class = match mark {
            DayMark::Off(_) => "cal-mark cal-mark--off",
            DayMark::MakeUp(_) => "cal-mark cal-mark--work",
        };
        let name = mark.name().to_string();
        let title = name.clone();
        let badge_mark = mark.clone();
        view! {
            <span class=class title=title data-testid="day-mark">
                <span class="cal-mark__badge">{move || badge_mark.badge(lang.get())}</span>
                <span class="cal-mark__name">{name}</span>
            </span>
        }
    })
}

fn day_class(day: &DayCell) -> String {
    let mut class = String::from("cal-day");
    match day.mark {
        Some(DayMark::Off(_)) => class.push_str(" cal-day--off"),
        Some(DayMark::MakeUp(_)) => class.push_str(" cal-day--work"),
        None if day.weekend => class.push_str(" cal-day--weekend"),
        None => {}
    }
    if day.today {
        class.push_str(" cal-day--today");
    }
    if !day.in_month {
        class.push_str(" cal-day--outside");
    }
    class
}

/// One item: a link to its case (an obligation not raised yet is plain text), coloured by its
/// function, its SLA state in colour and words.
#[component]
fn ItemView(item: AgendaItem, compact: bool, accent: String) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let sentence = {
        let item = item.clone();
        move || item_sentence(&item, lang.get())
    };
    let sentence2 = sentence.clone();
    let class = format!(
        "cal-item cal-item--{} cal-item--sla-{}",
        kind_code(item.kind),
        sla_class(item.sla)
    );
    let style = format!("--accent: {accent}");
    let kind = item.kind;
    let sla = item.sla;
    let sla_words = item.sla_words.clone();
    let what = item.what.clone();
    let process_name = item.process_name.clone();
    let owner_name = item.owner_name.clone();
    let has_owner = !item.owner.is_empty();
    let time = item.time.clone();
    let title = item.title.clone();
    let provisional = item.provisional;
    let moves = expect_context::<Reschedule>();
    let dragged = StoredValue::new(item.clone());
    let on_drag = move |ev: leptos::ev::DragEvent| {
        dragged.with_value(|item| moves.start(item, lang.get_untracked(), &ev))
    };
    let class = if item.movable {
        format!("{class} cal-item--movable")
    } else {
        class
    };
    let inner = view! {
        <span class="cal-item__time">
            {move || time.clone().unwrap_or_else(|| texts().whole_day.to_string())}
        </span>
        <span class="cal-item__kind">{move || kind_label(texts(), kind)}</span>
        <span class="cal-item__title">{title}</span>
        {(!compact).then(|| view! {
            <span class="cal-item__step">
                {move || format!("{} · {}", process_name.get(lang.get()), what.get(lang.get()))}
            </span>
            {has_owner.then(|| view! {
                <span class="cal-item__owner">
                    {move || texts().owner} ": " {move || owner_name.get(lang.get()).to_string()}
                </span>
            })}
        })}
        {sla.map(|sla| {
            let words = sla_words.clone();
            view! {
                <span class=format!("sla sla--{}", sla_class(Some(sla)))>
                    // The words say the state ("剩余 2 个工作日", "已超时 3 小时"); a month's
                    // cell has room for the state alone.
                    {move || match (&words, compact) {
                        (Some(w), false) => w.get(lang.get()).to_string(),
                        _ => sla.label(lang.get()).to_string(),
                    }}
                </span>
            }
        })}
        {provisional.then(|| view! { <span class="cal-item__provisional">{move || texts().provisional}</span> })}
    };
    match item_href(&item) {
        Some(href) => view! {
            <a
                class=class
                style=style
                href=href
                title=sentence
                aria-label=sentence2
                draggable="true"
                on:dragstart=on_drag
                on:dragend=move |_| moves.end()
                data-key=item.key.clone()
                data-case=item.case_id
                data-function=item.function.clone()
                data-movable=item.movable.to_string()
            >
                {inner}
            </a>
        }
        .into_any(),
        None => view! {
            <span
                class=class
                style=style
                title=sentence
                aria-label=sentence2
                draggable="true"
                on:dragstart=on_drag
                data-key=item.key.clone()
                data-function=item.function.clone()
            >
                {inner}
            </span>
        }
        .into_any(),
    }
}

fn accent_of(page: &Page, function: &str) -> String {
    page.functions
        .iter()
        .find(|f| f.code == function)
        .map(|f| f.accent.clone())
        .unwrap_or_else(|| "#5b6470".into())
}

fn items_on<'a>(page: &'a Page, date: NaiveDate) -> impl Iterator<Item = &'a AgendaItem> + 'a {
    page.items.iter().filter(move |i| i.date == date)
}

fn more_on(page: &Page, date: NaiveDate) -> usize {
    page.more
        .iter()
        .find(|(d, _)| *d == date)
        .map_or(0, |(_, n)| *n)
}

#[component]
fn MonthGrid(page: Page) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let weeks: Vec<Vec<DayCell>> = page.days.chunks(7).map(<[DayCell]>::to_vec).collect();
    let page = StoredValue::new(page);
    let label = move || page.with_value(|p| (texts().month_title)(p.date.year(), p.date.month()));
    view! {
        <div class="cal-month" role="grid" aria-label=label data-testid="calendar-month">
            <div class="cal-month__head" role="row">
                {(0..7)
                    .map(|i| view! {
                        <div class="cal-month__weekday" role="columnheader">{move || texts().weekdays[i]}</div>
                    })
                    .collect_view()}
            </div>
            {weeks
                .into_iter()
                .map(|week| view! {
                    <div class="cal-month__week" role="row">
                        {week.into_iter().map(|day| view! { <MonthDay day page/> }).collect_view()}
                    </div>
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn MonthDay(day: DayCell, page: StoredValue<Page>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let (items, more) = page.with_value(|p| {
        let items: Vec<(AgendaItem, String)> = items_on(p, day.date)
            .map(|i| (i.clone(), accent_of(p, &i.function)))
            .collect();
        (items, more_on(p, day.date))
    });
    let date = day.date;
    let more_href = week_href(date);
    let label = move || date_long(date, lang.get());
    let moves = expect_context::<Reschedule>();
    view! {
        <div
            class=day_class(&day)
            class:cal-day--drop=move || moves.over.get() == Some(date)
            role="gridcell"
            data-date=date.to_string()
            aria-current=day.today.then_some("date")
            on:dragover=move |ev| moves.over(date, &ev)
            on:drop=move |ev| moves.drop_on(date, lang.get_untracked(), &ev)
        >
            <div class="cal-day__head">
                <span class="cal-day__number" aria-label=label>{date.day()}</span>
                <span class="cal-day__weekday" aria-hidden="true">
                    {move || texts().weekdays[date.weekday().num_days_from_monday() as usize]}
                </span>
                <DayMarkBadge mark=day.mark.clone()/>
            </div>
            <ul class="cal-day__items">
                {items
                    .into_iter()
                    .map(|(item, accent)| view! { <li><ItemView item compact=true accent/></li> })
                    .collect_view()}
            </ul>
            {(more > 0).then(|| view! {
                <a class="cal-day__more" href=more_href data-testid="day-more">{move || (texts().more)(more)}</a>
            })}
        </div>
    }
}

#[component]
fn WeekGrid(page: Page) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let days = page.days.clone();
    let page = StoredValue::new(page);
    let moves = expect_context::<Reschedule>();
    view! {
        <div class="cal-week" data-testid="calendar-week">
            {days
                .into_iter()
                .map(|day| {
                    let date = day.date;
                    let items: Vec<(AgendaItem, String)> = page.with_value(|p| {
                        items_on(p, date).map(|i| (i.clone(), accent_of(p, &i.function))).collect()
                    });
                    let weekday = date.weekday().num_days_from_monday() as usize;
                    view! {
                        <section
                            class=format!("{} cal-week__day", day_class(&day))
                            class:cal-day--drop=move || moves.over.get() == Some(date)
                            data-date=date.to_string()
                            aria-current=day.today.then_some("date")
                            on:dragover=move |ev| moves.over(date, &ev)
                            on:drop=move |ev| moves.drop_on(date, lang.get_untracked(), &ev)
                        >
                            <h3 class="cal-day__head">
                                <span class="cal-week__weekday">{move || texts().weekdays[weekday]}</span>
                                <span class="cal-day__number">{format!("{}/{}", date.month(), date.day())}</span>
                                <DayMarkBadge mark=day.mark.clone()/>
                            </h3>
                            <ul class="cal-day__items">
                                {items
                                    .into_iter()
                                    .map(|(item, accent)| view! { <li><ItemView item compact=false accent/></li> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn AgendaList(page: Page) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    // The days with items, and the marked days (holidays) even without any.
    let days: Vec<DayCell> = page
        .days
        .iter()
        .filter(|d| d.mark.is_some() || d.today || page.items.iter().any(|i| i.date == d.date))
        .cloned()
        .collect();
    let page = StoredValue::new(page);
    view! {
        <ol class="cal-agenda" data-testid="calendar-agenda">
            {days
                .into_iter()
                .map(|day| {
                    let date = day.date;
                    let (items, more): (Vec<(AgendaItem, String)>, usize) = page.with_value(|p| {
                        (
                            items_on(p, date).map(|i| (i.clone(), accent_of(p, &i.function))).collect(),
                            more_on(p, date),
                        )
                    });
                    let more_href = week_href(date);
                    view! {
                        <li class=format!("{} cal-agenda__day", day_class(&day)) data-date=date.to_string()>
                            <h3 class="cal-agenda__date">
                                <time datetime=date.to_string()>{move || date_long(date, lang.get())}</time>
                                <DayMarkBadge mark=day.mark.clone()/>
                            </h3>
                            <ul class="cal-day__items">
                                {items
                                    .into_iter()
                                    .map(|(item, accent)| view! { <li><ItemView item compact=false accent/></li> })
                                    .collect_view()}
                            </ul>
                            {(more > 0).then(|| view! {
                                <a class="cal-day__more" href=more_href>{move || (texts().more)(more)}</a>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn Legend(page: Page) -> impl IntoView {
    let lang = use_lang();
    let texts = move || calendar_texts(lang.get());
    let shown: Vec<String> = page.items.iter().map(|i| i.function.clone()).collect();
    view! {
        <footer class="calendar__legend" aria-label=move || texts().legend>
            <span class="calendar__legend-marks">{move || texts().legend_marks}</span>
            <ul class="calendar__functions">
                {page
                    .functions
                    .into_iter()
                    .filter(|f| shown.contains(&f.code))
                    .map(|f| {
                        let name = f.name.clone();
                        view! {
                            <li class="calendar__function" style=format!("--accent: {}", f.accent)>
                                {move || name.get(lang.get()).to_string()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <span class="calendar__fixed">{move || texts().fixed_note}</span>
        </footer>
    }
}
