use leptos::prelude::*;

use super::FeedAddress;
use crate::error::AppError;

/// Makes the caller a new secret feed address, ending the old one (`POST
/// /api/calendar/feed/renew`, body `{}`); the answer's `path` is the only time it is shown.
#[server(prefix = "/api", endpoint = "calendar/feed/renew", input = server_fn::codec::Json)]
pub async fn renew_calendar_feed() -> Result<FeedAddress, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::form::instant_text;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "calendar/feed/renew").await?;
            let now = chrono::Utc::now();
            let token = ports.people.renew_feed(actor.user, now).await?;
            let zone = ports.calendar.calendar().await?.settings().time_zone;
            Ok(FeedAddress {
                made_at: Some(instant_text(now, zone)),
                path: Some(format!("/feeds/{token}.ics")),
            })
        }
        .await,
    )
}
