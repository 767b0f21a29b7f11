use leptos::prelude::*;

use crate::domain::people::Person;
use crate::error::AppError;

/// Who is signed in, if anyone (`POST /api/auth/me`).
#[server(prefix = "/api", endpoint = "auth/me", input = server_fn::codec::Json)]
pub async fn get_me() -> Result<Option<Person>, AppError> {
    use super::ssr::{authorize, ports, respond, session_token};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "auth/me").await?;
            match session_token() {
                Some(token) => ports.people.session(&token, chrono::Utc::now()).await,
                None => Ok(None),
            }
        }
        .await,
    )
}
