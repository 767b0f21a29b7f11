use leptos::prelude::*;

use crate::domain::organisation::Organisation;
use crate::error::AppError;

/// The organisation's settings (`POST /api/organisation/get`, body `{}`).
#[server(prefix = "/api", endpoint = "organisation/get", input = server_fn::codec::Json)]
pub async fn get_organisation() -> Result<Organisation, AppError> {
    use super::ssr::{ports, respond};
    respond(async { ports()?.organisation.organisation().await }.await)
}
