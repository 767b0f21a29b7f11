use leptos::prelude::*;

use crate::error::AppError;

/// Removes the override of one date (`POST /api/calendar/override/remove`, body
/// `{"date": "2026-12-31"}`, administrators only); `not_found` when there is none.
#[server(prefix = "/api", endpoint = "calendar/override/remove", input = server_fn::codec::Json)]
pub async fn remove_calendar_override(date: String) -> Result<(), AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::error::FieldError;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "calendar/override/remove").await?;
            let date =
                chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                    AppError::invalid(FieldError::new(
                        "date",
                        "invalid",
                        "日期格式应为 年-月-日。",
                        "Use the form YYYY-MM-DD.",
                    ))
                })?;
            let now = chrono::Utc::now();
            if !ports.calendar.remove_override(date, now).await? {
                return Err(AppError::NotFound);
            }
            ports.cases.recompute_deadlines(now).await.map(drop)
        }
        .await,
    )
}
