use leptos::prelude::*;

use crate::error::AppError;

/// Signs out (`POST /api/auth/sign-out`): ends the session and clears the cookie.
#[server(prefix = "/api", endpoint = "auth/sign-out", input = server_fn::codec::Json)]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ssr::{authorize, ports, respond, session_cookie, session_token};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "auth/sign-out").await?;
            if let Some(token) = session_token() {
                ports.people.sign_out(&token).await?;
            }
            session_cookie(None);
            Ok(())
        }
        .await,
    )
}
