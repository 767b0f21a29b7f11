use leptos::prelude::*;

use crate::domain::workflow::agenda::{CalendarFilter, CalendarPage};
use crate::error::AppError;

/// The calendar of deadlines (`POST /api/calendar/view`, body `{"view": "month", "date":
/// "2025-10-01", "filter": {…}}`): the days of the month (or week) with their 休/班 marks,
/// and the deadlines, case dates and recurring obligations the caller may see that pass the
/// filter. `date` is a day or a month (`2025-10`); empty means today.
#[server(prefix = "/api", endpoint = "calendar/view", input = server_fn::codec::Json)]
pub async fn get_calendar_view(
    view: String,
    date: Option<String>,
    filter: CalendarFilter,
) -> Result<CalendarPage, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::agenda::{
        calendar_page, day_start, parse_calendar_date, CalendarView, Found, MONTH_SHOWN_PER_DAY,
    };
    use crate::domain::workflow::board_filter::Viewer;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "calendar/view").await?;
            let now = chrono::Utc::now();
            let calendar = ports.calendar.calendar().await?;
            let date = match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                Some(text) => parse_calendar_date(text).map_err(AppError::invalid)?,
                None => calendar.local_date(now),
            };
            let view = CalendarView::from_code(view.trim());
            let (from, to) = view.range(date);
            let zone = calendar.settings().time_zone;
            // The month lists a few items a day: the store samples it, ranking and counting
            // in the database, unless a filter needs every item named.
            let found = if view == CalendarView::Month && filter.store_applies() {
                Found::Sample(
                    ports
                        .cases
                        .agenda_sample(&actor, (from, to), &filter, MONTH_SHOWN_PER_DAY, now)
                        .await?,
                )
            } else {
                Found::All(
                    ports
                        .cases
                        .agenda(
                            &actor,
                            day_start(zone, from),
                            day_start(zone, to + chrono::Duration::days(1)),
                            now,
                        )
                        .await?,
                )
            };
            let catalog = ports.catalog.current().await?;
            let viewer = Viewer::of(&actor);
            Ok(calendar_page(
                &catalog.catalog,
                &calendar,
                view,
                date,
                found,
                &filter,
                &viewer,
                now,
            ))
        }
        .await,
    )
}
