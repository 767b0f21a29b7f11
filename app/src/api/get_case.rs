use leptos::prelude::*;

use crate::domain::workflow::CaseView;
use crate::error::AppError;

/// One case with everything done on it (`POST /api/cases/get`, body `{"id": 1}`).
#[server(prefix = "/api", endpoint = "cases/get", input = server_fn::codec::Json)]
pub async fn get_case(id: i64) -> Result<CaseView, AppError> {
    use super::ssr::{operator_actor, ports, respond};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            operator_actor(&ports).await?;
            ports.cases.get(CaseId(id)).await
        }
        .await,
    )
}
