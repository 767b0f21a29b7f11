use leptos::prelude::*;

use crate::domain::workflow::{CaseView, Command};
use crate::error::AppError;

/// Runs one operation on a case the caller saw at `version` (`POST /api/cases/apply`, body
/// `{"id": 1, "version": 3, "command": {"op": "complete_step", "step": "…"}}`).
#[server(prefix = "/api", endpoint = "cases/apply", input = server_fn::codec::Json)]
pub async fn apply_case_command(
    id: i64,
    version: i64,
    command: Command,
) -> Result<CaseView, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "cases/apply").await?;
            ports
                .cases
                .apply(CaseId(id), version, command, &actor, chrono::Utc::now())
                .await
        }
        .await,
    )
}
