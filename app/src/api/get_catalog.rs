use leptos::prelude::*;

use crate::domain::catalog::CatalogVersion;
use crate::error::AppError;

/// The catalog in force, or a stored version (`POST /api/catalog/get`, body `{}` or
/// `{"version": 2}`).
#[server(prefix = "/api", endpoint = "catalog/get", input = server_fn::codec::Json)]
pub async fn get_catalog(version: Option<u32>) -> Result<CatalogVersion, AppError> {
    use super::ssr::{ports, respond};
    respond(
        async {
            super::ssr::authorize(&ports()?, "catalog/get").await?;
            let catalog = ports()?.catalog;
            let found = match version {
                Some(number) => catalog.version(number).await?,
                None => catalog.current().await?,
            };
            Ok(found.as_ref().clone())
        }
        .await,
    )
}
