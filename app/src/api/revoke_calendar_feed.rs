use leptos::prelude::*;

use crate::error::AppError;

/// Revokes the caller's feed address (`POST /api/calendar/feed/revoke`, body `{}`): calendar
/// programs subscribed to it get "not found" from then on.
#[server(prefix = "/api", endpoint = "calendar/feed/revoke", input = server_fn::codec::Json)]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "calendar/feed/revoke").await?;
            ports.people.revoke_feed(actor.user).await
        }
        .await,
    )
}
