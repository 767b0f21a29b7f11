use leptos::prelude::*;

use crate::domain::workflow::AuditEntry;
use crate::error::AppError;

/// A case's audit trail, oldest first (`POST /api/cases/audit`, body `{"id": 1}`).
#[server(prefix = "/api", endpoint = "cases/audit", input = server_fn::codec::Json)]
pub async fn get_case_audit(id: i64) -> Result<Vec<AuditEntry>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "cases/audit").await?;
            ports.cases.audit(CaseId(id), &viewer).await
        }
        .await,
    )
}
