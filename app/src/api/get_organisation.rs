use leptos::prelude::*;

use crate::domain::organisation::Organisation;
use crate::error::AppError;

/// The organisation's settings (`POST /api/organisation/get`, body `{}`).
#[server(prefix = "/api", endpoint = "organisation/get", input = server_fn::codec::Json)]
pub async fn get_organisation() -> Result<Organisation, AppError> {
    use super::ssr::{in_org_zone, ports, respond};
    respond(
        async {
            super::ssr::authorize(&ports()?, "organisation/get").await?;
            let ports = ports()?;
            let mut org = ports.organisation.organisation().await?;
            org.updated_at = in_org_zone(&ports, org.updated_at).await?;
            Ok(org)
        }
        .await,
    )
}
