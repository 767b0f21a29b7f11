use leptos::prelude::*;

use crate::domain::workflow::CaseSummary;
use crate::error::AppError;

/// The open cases, newest first, optionally of one function or process
/// (`POST /api/cases/list`, body `{}` or `{"function": "documents"}`).
#[server(prefix = "/api", endpoint = "cases/list", input = server_fn::codec::Json)]
pub async fn list_cases(
    function: Option<String>,
    process: Option<String>,
) -> Result<Vec<CaseSummary>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "cases/list").await?;
            ports.cases.list_open(function, process, &viewer).await
        }
        .await,
    )
}
