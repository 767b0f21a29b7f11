use leptos::prelude::*;

use crate::error::AppError;

/// Enters a whole year's holiday arrangement from CSV in the format `date,kind,name`, replacing
/// that year's overrides; the year then counts as published (`POST /api/calendar/import`,
/// administrators only). Answers the number of dates entered.
#[server(prefix = "/api", endpoint = "calendar/import", input = server_fn::codec::Json)]
pub async fn import_calendar_year(year: i32, csv: String) -> Result<usize, AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::calendar::admin::parse_year_import;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "calendar/import").await?;
            let rows =
                parse_year_import(year, &csv).map_err(|fields| AppError::Invalid { fields })?;
            let count = rows.len();
            let now = chrono::Utc::now();
            ports.calendar.import_year(year, rows, now).await?;
            ports.cases.recompute_deadlines(now).await?;
            Ok(count)
        }
        .await,
    )
}
