use leptos::prelude::*;

use crate::domain::workflow::detail::CaseDetail;
use crate::error::AppError;

/// Everything a card's drawer shows about a case, with what the caller may do on it
/// (`POST /api/cases/detail`, body `{"id": 7}`): form values, the work of each step under way,
/// every step's deadline, comments and the audit history (newest first).
#[server(prefix = "/api", endpoint = "cases/detail", input = server_fn::codec::Json)]
pub async fn get_case_detail(id: i64) -> Result<CaseDetail, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "cases/detail").await?;
            ports
                .cases
                .detail(CaseId(id), &viewer, chrono::Utc::now())
                .await
        }
        .await,
    )
}
