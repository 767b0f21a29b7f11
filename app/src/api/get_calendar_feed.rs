use leptos::prelude::*;

use crate::error::AppError;

/// The caller's iCalendar feed address as the calendar page shows it. The secret `path` is
/// only ever in the answer that made it (`calendar/feed/renew`); the hash alone is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeedAddress {
    /// When the address was made (local time), if the caller has one.
    pub made_at: Option<String>,
    /// `/feeds/<token>.ics`, just after it was made.
    pub path: Option<String>,
}

/// Whether the caller has a feed address (`POST /api/calendar/feed`, body `{}`).
#[server(prefix = "/api", endpoint = "calendar/feed", input = server_fn::codec::Json)]
pub async fn get_calendar_feed() -> Result<FeedAddress, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::form::instant_text;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "calendar/feed").await?;
            let made = ports.people.feed_made_at(actor.user).await?;
            let zone = ports.calendar.calendar().await?.settings().time_zone;
            Ok(FeedAddress {
                made_at: made.map(|t| instant_text(t, zone)),
                path: None,
            })
        }
        .await,
    )
}
