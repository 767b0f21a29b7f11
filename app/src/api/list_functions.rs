use leptos::prelude::*;

use crate::domain::function::FunctionSummary;
use crate::error::AppError;

/// The office functions in the standard's order (`POST /api/catalog/functions`, body `{}`).
#[server(prefix = "/api", endpoint = "catalog/functions", input = server_fn::codec::Json)]
pub async fn list_functions() -> Result<Vec<FunctionSummary>, AppError> {
    use super::ssr::{ports, respond};
    respond(
        async {
            let ports = ports()?;
            super::ssr::authorize(&ports, "catalog/functions").await?;
            Ok(ports.catalog.current().await?.function_summaries())
        }
        .await,
    )
}
