use leptos::prelude::*;

use crate::domain::calendar::admin::CalendarOverview;
use crate::error::AppError;

/// The working-day calendar: settings, overrides, published years and the years that lack an
/// arrangement (`POST /api/calendar/get`, body `{}`).
#[server(prefix = "/api", endpoint = "calendar/get", input = server_fn::codec::Json)]
pub async fn get_calendar() -> Result<CalendarOverview, AppError> {
    use super::ssr::{ports, respond};
    use chrono::Datelike;
    respond(
        async {
            super::ssr::authorize(&ports()?, "calendar/get").await?;
            let store = ports()?.calendar;
            let calendar = store.calendar().await?;
            let this_year = calendar.local_date(chrono::Utc::now()).year();
            Ok(CalendarOverview {
                settings: calendar.settings().into(),
                overrides: store.overrides().await?,
                published_years: calendar.published_years(),
                years_without_data: calendar.years_without_data(this_year - 1..=this_year + 1),
                last_published_day: calendar.last_published_day().map(|d| d.to_string()),
            })
        }
        .await,
    )
}
