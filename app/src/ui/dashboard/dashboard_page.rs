//! The dashboard (`/dashboard`, `?function=documents&from=2026-11-01&to=2026-11-30`): the
//! work under way and how the steps of the standard fare over a period, for the office or one
//! function. The query lives in the address, so a view can be bookmarked and shared.

use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::charts::{LateChart, LoadChart, TrendChart};
use super::texts::dashboard_texts;
use crate::api::get_dashboard;
use crate::domain::lang::Lang;
use crate::domain::workflow::dashboard::{
    span_words, Counts, Dashboard, DashboardQuery, StepFigures,
};
use crate::domain::workflow::ledger_view::month_of;
use crate::error::AppError;
use crate::ui::board::board_page::encode;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

fn search_of(query: &DashboardQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(function) = &query.function {
        pairs.push(("function", function.clone()));
    }
    if let Some(from) = query.from {
        pairs.push(("from", from.to_string()));
    }
    if let Some(to) = query.to {
        pairs.push(("to", to.to_string()));
    }
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("?{}", joined.join("&"))
}

fn rate_text(counts: &Counts) -> String {
    counts
        .on_time_percent()
        .map_or_else(|| "—".to_string(), |r| format!("{r:.1}%"))
}

fn minutes_text(minutes: Option<u32>, step: &StepFigures, lang: Lang) -> String {
    minutes.map_or_else(
        || "—".to_string(),
        |m| span_words(m, step.measure).get(lang).to_string(),
    )
}

fn percent_text(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".to_string(), |p| format!("{p:.0}%"))
}

/// The page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || dashboard_texts(lang.get());
    let address = use_query_map();
    let query = Memo::new(move |_| {
        address.with(|q| {
            let date = |key: &str| q.get_str(key).and_then(|v| v.parse().ok());
            DashboardQuery {
                function: q
                    .get_str("function")
                    .map(str::to_string)
                    .filter(|f| !f.is_empty()),
                from: date("from"),
                to: date("to"),
            }
        })
    });
    let board = blocking_resource(move || query.get(), get_dashboard);
    let navigate = use_navigate();
    let go = Callback::new(move |next: DashboardQuery| {
        navigate(
            &format!("/dashboard{}", search_of(&next)),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <Transition fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || {
                lang.track();
                Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <DashboardView board query go/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <crate::ui::layout::sign_in_first::SignInFirst/> }.into_any(),
                        Err(error) => {
                            let refused = matches!(error, AppError::Forbidden);
                            // A period that is refused: the reason, and a way back to a view that works.
                            let reset = query.with_untracked(|q| {
                                search_of(&DashboardQuery { function: q.function.clone(), from: None, to: None })
                            });
                            view! {
                                <div class="alert alert--error" role="alert" data-testid="dashboard-refused">
                                    <strong>{move || if refused { texts().not_allowed } else { texts().load_failed }}</strong>
                                    " "
                                    {move || (!refused).then(|| error.message(lang.get()))}
                                    {(!refused).then(|| view! {
                                        " "
                                        <a href=format!("/dashboard{reset}") data-testid="dashboard-reset">{move || texts().reset}</a>
                                    })}
                                </div>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

/// The first day of `day`'s quarter.
fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

#[component]
fn DashboardView(
    board: Dashboard,
    query: Memo<DashboardQuery>,
    go: Callback<DashboardQuery>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let t = dashboard_texts(l);
    let today = board.today;
    // Edits gather in a draft: a period that does not read (a start after the end, over two
    // years, a year being typed) is said under the filters and not asked for, so the filters
    // stay and the next edit can mend it.
    let draft = RwSignal::new(query.get_untracked());
    let problem = RwSignal::new(None::<crate::error::FieldError>);
    let change = move |edit: &dyn Fn(&mut DashboardQuery)| {
        let mut next = draft.get_untracked();
        edit(&mut next);
        draft.set(next.clone());
        match next.period(today) {
            Ok(_) => {
                problem.set(None);
                go.run(next);
            }
            Err(errors) => problem.set(errors.into_iter().next()),
        }
    };
    let presets: Vec<(&'static str, Option<NaiveDate>, Option<NaiveDate>)> = vec![
        (t.last_7, Some(today - Duration::days(6)), Some(today)),
        (t.last_30, None, None),
        {
            // Up to today: the weeks after it have nothing yet.
            let (a, b) = month_of(today, 0);
            (t.this_month, Some(a), Some(b.min(today)))
        },
        {
            let (a, b) = month_of(today, 1);
            (t.last_month, Some(a), Some(b))
        },
        (t.this_quarter, Some(quarter_start(today)), Some(today)),
        (t.this_year, today.with_ordinal(1), Some(today)),
    ];
    let current = query.get_untracked();
    let preset_buttons = presets
        .into_iter()
        .map(|(label, from, to)| {
            let pressed = current.from == from && current.to == to;
            view! {
                <button
                    type="button"
                    class="button button--quiet"
                    aria-pressed=pressed.to_string()
                    on:click=move |_| change(&move |q: &mut DashboardQuery| {
                        q.from = from;
                        q.to = to;
                    })
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let choices = board.choices.clone();
    let selected = board.function.clone().unwrap_or_default();
    let total = board.total.clone();
    let period = (t.as_of)(&board.from.to_string(), &board.to.to_string());
    let office = board.function.is_none();
    let scope_name = if office {
        t.whole_office.to_string()
    } else {
        total.name.get(l).to_string()
    };
    let has_late = !board.late_steps.is_empty();
    let has_steps = !board.steps.is_empty();
    view! {
        <section class="card dashboard" data-testid="dashboard">
            <form class="dashboard__filters" on:submit=|ev| ev.prevent_default()>
                <label class="ledger-filters__field">
                    <span>{t.function}</span>
                    <select
                        name="function"
                        data-testid="dashboard-function"
                        on:change=move |ev| {
                            let function = Some(event_target_value(&ev)).filter(|f| !f.is_empty());
                            change(&move |q: &mut DashboardQuery| q.function = function.clone());
                        }
                    >
                        <option value="" selected=selected.is_empty()>{t.whole_office}</option>
                        {choices.into_iter().map(|c| {
                            let is = c.code == selected;
                            view! { <option value=c.code.clone() selected=is>{c.name.get(l).to_string()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="ledger-filters__periods" role="group" aria-label=t.period>{preset_buttons}</div>
                <label class="ledger-filters__field">
                    <span>{t.from}</span>
                    <input
                        type="date"
                        name="from"
                        data-testid="dashboard-from"
                        prop:value=board.from.to_string()
                        on:change=move |ev| {
                            let day = event_target_value(&ev).parse().ok();
                            change(&move |q: &mut DashboardQuery| q.from = day);
                        }
                    />
                </label>
                <label class="ledger-filters__field">
                    <span>{t.to}</span>
                    <input
                        type="date"
                        name="to"
                        data-testid="dashboard-to"
                        prop:value=board.to.to_string()
                        on:change=move |ev| {
                            let day = event_target_value(&ev).parse().ok();
                            change(&move |q: &mut DashboardQuery| q.to = day);
                        }
                    />
                </label>
            </form>
            <p class="form__error" role="alert" data-testid="dashboard-period-error">
                {move || problem.get().map(|e| e.message.get(lang.get()).to_string())}
            </p>
            <p class="dashboard__scope" data-testid="dashboard-scope">{scope_name}" · "{period}</p>
            <div class="dashboard__tiles" data-testid="dashboard-tiles">
                <div class="stat-tile">
                    <span class="stat-tile__label">{t.open}</span>
                    <strong class="stat-tile__value" data-testid="tile-open">{total.open.to_string()}</strong>
                </div>
                <div class="stat-tile stat-tile--warn">
                    <span class="stat-tile__label">{t.due_soon}</span>
                    <strong class="stat-tile__value" data-testid="tile-due-soon">{total.due_soon.to_string()}</strong>
                </div>
                <div class="stat-tile stat-tile--danger">
                    <span class="stat-tile__label">{t.overdue}</span>
                    <strong class="stat-tile__value" data-testid="tile-overdue">{total.overdue.to_string()}</strong>
                </div>
                <div class="stat-tile stat-tile--ok">
                    <span class="stat-tile__label">{t.on_time_rate}</span>
                    <strong class="stat-tile__value" data-testid="tile-rate">{rate_text(&total.counts)}</strong>
                    <span class="stat-tile__note">{(t.done_in_period)(total.counts.done)}</span>
                </div>
            </div>
        </section>

        <div class="dashboard__grid">
            <section class="card dashboard__panel" aria-labelledby="dashboard-load">
                <h2 id="dashboard-load" class="card__title">{t.load_title}</h2>
                <ul class="chart-legend">
                    <li><span class="chart-legend__swatch chart__ok"></span>{t.on_track}</li>
                    <li><span class="chart-legend__swatch chart__warn"></span>{t.due_soon}</li>
                    <li><span class="chart-legend__swatch chart__danger"></span>{t.overdue}</li>
                </ul>
                <div class="chart-scroll"><LoadChart functions=board.functions.clone() lang=l/></div>
                <details class="dashboard__table">
                    <summary>{t.show_table}</summary>
                    <table class="table table--compact" data-testid="table-load">
                        <thead><tr>
                            <th scope="col">{t.function_column}</th>
                            <th scope="col" class="num">{t.open}</th>
                            <th scope="col" class="num">{t.due_soon}</th>
                            <th scope="col" class="num">{t.overdue}</th>
                            <th scope="col" class="num">{t.completed}</th>
                            <th scope="col" class="num">{t.on_time_rate}</th>
                        </tr></thead>
                        <tbody>
                            {board.functions.iter().map(|f| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/functions/{}/board", f.code)>{f.name.get(l).to_string()}</a></th>
                                    <td class="num">{f.open.to_string()}</td>
                                    <td class="num">{f.due_soon.to_string()}</td>
                                    <td class="num">{f.overdue.to_string()}</td>
                                    <td class="num">{f.counts.done.to_string()}</td>
                                    <td class="num">{rate_text(&f.counts)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </section>

            <section class="card dashboard__panel" aria-labelledby="dashboard-trend">
                <h2 id="dashboard-trend" class="card__title">{t.trend_title}</h2>
                <ul class="chart-legend">
                    <li><span class="chart-legend__swatch chart__ok"></span>{t.on_time}</li>
                    <li><span class="chart-legend__swatch chart__danger"></span>{t.late}</li>
                    <li><span class="chart-legend__swatch chart__muted"></span>{t.no_deadline}</li>
                    <li><span class="chart-legend__line"></span>{t.on_time_rate}</li>
                </ul>
                <div class="chart-scroll"><TrendChart weeks=board.weeks.clone() lang=l/></div>
                <details class="dashboard__table">
                    <summary>{t.show_table}</summary>
                    <table class="table table--compact" data-testid="table-trend">
                        <thead><tr>
                            <th scope="col">{t.week}</th>
                            <th scope="col" class="num">{t.raised}</th>
                            <th scope="col" class="num">{t.closed}</th>
                            <th scope="col" class="num">{t.completed}</th>
                            <th scope="col" class="num">{t.late}</th>
                            <th scope="col" class="num">{t.on_time_rate}</th>
                        </tr></thead>
                        <tbody>
                            {board.weeks.iter().map(|w| view! {
                                <tr>
                                    <th scope="row">{w.start.to_string()}</th>
                                    <td class="num">{w.raised.to_string()}</td>
                                    <td class="num">{w.closed.to_string()}</td>
                                    <td class="num">{w.counts.done.to_string()}</td>
                                    <td class="num">{w.counts.late.to_string()}</td>
                                    <td class="num">{rate_text(&w.counts)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </section>
        </div>

        <section class="card dashboard__panel" aria-labelledby="dashboard-late" data-testid="dashboard-late">
            <h2 id="dashboard-late" class="card__title">{t.late_title}</h2>
            <p class="card__lead">{t.late_lead}</p>
            {if has_late {
                view! {
                    <div class="chart-scroll"><LateChart steps=board.late_steps.clone() lang=l/></div>
                    <details class="dashboard__table">
                        <summary>{t.show_table}</summary>
                        <table class="table table--compact" data-testid="table-late">
                            <thead><tr>
                                <th scope="col">{t.process}</th>
                                <th scope="col">{t.step}</th>
                                <th scope="col" class="num">{t.late}</th>
                                <th scope="col" class="num">{t.on_time_rate}</th>
                                <th scope="col" class="num">{t.median_of_allowed}</th>
                                <th scope="col" class="num">{t.p90_of_allowed}</th>
                            </tr></thead>
                            <tbody>
                                {board.late_steps.iter().map(|s| view! {
                                    <tr>
                                        <td>{s.process_name.get(l).to_string()}</td>
                                        <th scope="row">{s.step_name.get(l).to_string()}</th>
                                        <td class="num">{s.counts.late.to_string()}</td>
                                        <td class="num">{rate_text(&s.counts)}</td>
                                        <td class="num">{percent_text(s.median_of_allowed_percent())}</td>
                                        <td class="num">{percent_text(s.p90_of_allowed_percent())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }
                .into_any()
            } else {
                view! { <p class="dashboard__empty">{t.late_none}</p> }.into_any()
            }}
        </section>

        <section class="card dashboard__panel" aria-labelledby="dashboard-steps">
            <h2 id="dashboard-steps" class="card__title">{t.steps_title}</h2>
            <p class="card__lead">{t.steps_lead}</p>
            {if has_steps {
                view! { <StepsTable steps=board.steps.clone() lang=l/> }.into_any()
            } else {
                view! { <p class="dashboard__empty" data-testid="dashboard-steps-empty">{t.steps_none}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn StepsTable(steps: Vec<StepFigures>, lang: Lang) -> impl IntoView {
    let t = dashboard_texts(lang);
    view! {
        <div class="ledger-page__scroll">
            <table class="table table--compact dashboard__steps" data-testid="table-steps">
                <thead><tr>
                    <th scope="col">{t.process}</th>
                    <th scope="col">{t.step}</th>
                    <th scope="col">{t.deadline}</th>
                    <th scope="col" class="num">{t.completed}</th>
                    <th scope="col" class="num">{t.late}</th>
                    <th scope="col" class="num">{t.on_time_rate}</th>
                    <th scope="col" class="num">{t.median}</th>
                    <th scope="col" class="num">{t.p90}</th>
                    <th scope="col" class="num">{t.allowed}</th>
                    <th scope="col" class="num">{t.p90_of_allowed}</th>
                </tr></thead>
                <tbody>
                    {steps.into_iter().map(|s| {
                        let over = s.p90_of_allowed_percent().is_some_and(|p| p > 100.0);
                        let late_class = if s.counts.late > 0 { "num dashboard__late" } else { "num" };
                        let ratio_class = if over { "num dashboard__late" } else { "num" };
                        view! {
                            <tr data-step=format!("{}/{}", s.process, s.step)>
                                <td>{s.process_name.get(lang).to_string()}</td>
                                <th scope="row">{s.step_name.get(lang).to_string()}</th>
                                <td>{s.deadline.get(lang).to_string()}</td>
                                <td class="num">{s.counts.done.to_string()}</td>
                                <td class=late_class>{s.counts.late.to_string()}</td>
                                <td class="num">{rate_text(&s.counts)}</td>
                                <td class="num">{minutes_text(s.median_minutes, &s, lang)}</td>
                                <td class="num">{minutes_text(s.p90_minutes, &s, lang)}</td>
                                <td class="num">{minutes_text(s.allowed_median_minutes, &s, lang)}</td>
                                <td class=ratio_class>{percent_text(s.p90_of_allowed_percent())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
