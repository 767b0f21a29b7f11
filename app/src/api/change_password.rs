use leptos::prelude::*;

use crate::error::AppError;

/// Changes the signed-in person's password (`POST /api/auth/password`, body
/// `{"current": "…", "new": "…"}`); their other sessions end.
#[server(prefix = "/api", endpoint = "auth/password", input = server_fn::codec::Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use super::ssr::{ports, respond, session_token, signed_in};
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "auth/password").await?;
            let token = session_token().ok_or(AppError::Unauthenticated)?;
            ports
                .people
                .change_password(actor.user, &current, &new, &token, chrono::Utc::now())
                .await
        }
        .await,
    )
}
