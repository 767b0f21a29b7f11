use leptos::prelude::*;

use crate::domain::organisation::Organisation;
use crate::error::AppError;

/// Renames the organisation (`POST /api/organisation/rename`, body `{"name": "…"}`).
#[server(prefix = "/api", endpoint = "organisation/rename", input = server_fn::codec::Json)]
pub async fn rename_organisation(name: String) -> Result<Organisation, AppError> {
    use super::ssr::{in_org_zone, ports, respond};
    use crate::domain::organisation::OrganisationName;
    respond(
        async {
            super::ssr::authorize(&ports()?, "organisation/rename").await?;
            let name = OrganisationName::parse(&name).map_err(AppError::invalid)?;
            let ports = ports()?;
            let mut org = ports
                .organisation
                .rename_organisation(name, chrono::Utc::now())
                .await?;
            org.updated_at = in_org_zone(&ports, org.updated_at).await?;
            Ok(org)
        }
        .await,
    )
}
