use leptos::prelude::*;

use crate::domain::people::Person;
use crate::error::AppError;

/// Who is signed in, if anyone (`POST /api/auth/me`).
#[server(prefix = "/api", endpoint = "auth/me", input = server_fn::codec::Json)]
pub async fn get_me() -> Result<Option<Person>, AppError> {
    use super::ssr::{authorize, ports, respond, session_person};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "auth/me").await?;
            let parts = use_context::<http::request::Parts>();
            let headers = parts.map(|p| p.headers).unwrap_or_default();
            session_person(&ports, &headers).await
        }
        .await,
    )
}
