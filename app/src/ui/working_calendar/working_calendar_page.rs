use chrono::{NaiveTime, Timelike};
use leptos::prelude::*;
use leptos_meta::Title;

use super::deadline_calculator::DeadlineCalculator;
use super::overrides_table::OverridesTable;
use super::texts::texts;
use crate::api::get_calendar;
use crate::domain::calendar::admin::CalendarOverview;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

/// `/settings/calendar`: what the deadlines count on.
#[component]
pub fn WorkingCalendarPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let overview = blocking_resource(|| (), |_| get_calendar());

    view! {
        <Title text=move || t().title.to_string()/>
        <header class="page-header">
            <h1>{move || t().title}</h1>
            <p class="page-header__lead">{move || t().lead}</p>
        </header>
        <Suspense fallback=|| view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <CalendarOverviewView overview/> }.into_any(),
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
        <DeadlineCalculator/>
    }
}

/// `09:00–18:00` (plain integer formatting: chrono's `format` would bring its whole
/// strftime machinery into the WebAssembly for one pattern).
fn span(from: NaiveTime, to: NaiveTime) -> String {
    format!(
        "{:02}:{:02}–{:02}:{:02}",
        from.hour(),
        from.minute(),
        to.hour(),
        to.minute()
    )
}

#[component]
fn CalendarOverviewView(overview: CalendarOverview) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let missing = overview
        .years_without_data
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let settings = overview.settings.clone();
    let hours = span(settings.work_start, settings.work_end);
    let lunch = settings.lunch.map(|(a, b)| span(a, b));
    let zone = settings.time_zone;
    let due_soon = settings.due_soon;
    let last = overview.last_published_day.clone();
    let years = overview.published_years.clone();

    view! {
        {(!missing.is_empty()).then(|| {
            let missing = missing.clone();
            view! {
                <div class="alert alert--warning" role="status" data-testid="missing-years">
                    {move || (t().missing_years)(&missing)}
                </div>
            }
        })}
        <div class="calendar-cards">
            <section class="card" aria-labelledby="hours-title">
                <h2 id="hours-title" class="card__title">{move || t().hours_title}</h2>
                <dl class="facts">
                    <div><dt>{move || t().time_zone}</dt><dd>{zone}</dd></div>
                    <div><dt>{move || t().working_hours}</dt><dd class="tabular">{hours}</dd></div>
                    <div>
                        <dt>{move || t().lunch}</dt>
                        <dd class="tabular">{move || lunch.clone().unwrap_or_else(|| t().no_lunch.to_string())}</dd>
                    </div>
                    <div>
                        <dt>{move || t().due_soon}</dt>
                        <dd>{move || (t().due_soon_rule)(due_soon.percent_of_allowed, due_soon.minutes_left)}</dd>
                    </div>
                </dl>
            </section>
            <section class="card" aria-labelledby="published-title">
                <h2 id="published-title" class="card__title">{move || t().published_title}</h2>
                <p class="card__lead">{move || t().published_lead}</p>
                <ul class="badges" data-testid="published-years">
                    {years.into_iter().map(|y| view! { <li class="badge">{y}</li> }).collect_view()}
                </ul>
                {last.map(|day| view! {
                    <p class="card__meta">{move || t().last_published} " " <span class="tabular">{day.clone()}</span></p>
                })}
            </section>
        </div>
        <OverridesTable overrides=overview.overrides/>
    }
}
