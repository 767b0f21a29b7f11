use leptos::prelude::*;

use crate::domain::calendar::CalendarSettings;
use crate::error::AppError;

/// Saves the organisation's time zone, working hours, lunch break and due-soon thresholds
/// (`POST /api/calendar/settings/save`, administrators only).
#[server(prefix = "/api", endpoint = "calendar/settings/save", input = server_fn::codec::Json)]
pub async fn save_calendar_settings(settings: CalendarSettings) -> Result<(), AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::calendar::admin::check_settings;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "calendar/settings/save").await?;
            check_settings(&settings).map_err(|fields| AppError::Invalid { fields })?;
            let now = chrono::Utc::now();
            ports.calendar.save_settings(settings, now).await?;
            ports.cases.recompute_deadlines(now).await.map(drop)
        }
        .await,
    )
}
