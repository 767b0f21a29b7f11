use leptos::prelude::*;

use crate::domain::catalog::handbook::FunctionHandbook;
use crate::error::AppError;

/// One function of the standard as the handbook shows it, every rule in words
/// (`POST /api/catalog/function`, body `{"code": "documents"}`); 404 for an unknown function.
#[server(prefix = "/api", endpoint = "catalog/function", input = server_fn::codec::Json)]
pub async fn get_function_standard(code: String) -> Result<FunctionHandbook, AppError> {
    use super::ssr::{ports, respond};
    use crate::domain::catalog::handbook::function_handbook;
    respond(
        async {
            super::ssr::authorize(&ports()?, "catalog/function").await?;
            let version = ports()?.catalog.current().await?;
            function_handbook(&version.catalog, &code).ok_or(AppError::NotFound)
        }
        .await,
    )
}
