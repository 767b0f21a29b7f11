use leptos::prelude::*;

use crate::domain::workflow::CaseView;
use crate::error::AppError;

/// One case with everything done on it (`POST /api/cases/get`, body `{"id": 1}`).
#[server(prefix = "/api", endpoint = "cases/get", input = server_fn::codec::Json)]
pub async fn get_case(id: i64) -> Result<CaseView, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "cases/get").await?;
            ports.cases.get(CaseId(id), &viewer).await
        }
        .await,
    )
}
