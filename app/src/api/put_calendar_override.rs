use leptos::prelude::*;

use crate::error::AppError;

/// Adds or replaces the override of one date: an extra day off (`kind: "holiday"`) or an extra
/// working day (`kind: "workday"`); it applies at once (`POST /api/calendar/override/put`,
/// administrators only).
#[server(prefix = "/api", endpoint = "calendar/override/put", input = server_fn::codec::Json)]
pub async fn put_calendar_override(
    date: String,
    kind: String,
    name: String,
) -> Result<(), AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::calendar::admin::parse_override;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "calendar/override/put").await?;
            let day = parse_override(&date, &kind, &name)
                .map_err(|fields| AppError::Invalid { fields })?;
            let now = chrono::Utc::now();
            ports.calendar.put_override(day, now).await?;
            ports.cases.recompute_deadlines(now).await.map(drop)
        }
        .await,
    )
}
