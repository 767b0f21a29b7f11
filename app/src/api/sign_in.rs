use leptos::prelude::*;

use crate::domain::people::Person;
use crate::error::AppError;

/// Signs in with a login and password (`POST /api/auth/sign-in`, body
/// `{"login": "…", "password": "…"}`): sets the session cookie and answers who signed in.
/// Repeated failures are slowed down per account and per address (429 with the wait).
#[server(prefix = "/api", endpoint = "auth/sign-in", input = server_fn::codec::Json)]
pub async fn sign_in(login: String, password: String) -> Result<Person, AppError> {
    use super::ssr::{authorize, ports, request_origin, respond, session_cookie};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "auth/sign-in").await?;
            let signed = ports
                .people
                .sign_in(&login, &password, request_origin(), chrono::Utc::now())
                .await?;
            session_cookie(Some(&signed.token));
            Ok(signed.person)
        }
        .await,
    )
}
