use leptos::prelude::*;

use crate::domain::workflow::board::Card;
use crate::domain::workflow::Command;
use crate::error::AppError;

/// Runs one operation on a case from its board and answers its card as it now stands
/// (`POST /api/boards/apply`, the body of `cases/apply`): `null` when the case left the board
/// (it closed). A refusal or a conflict is answered as by `cases/apply`.
#[server(prefix = "/api", endpoint = "boards/apply", input = server_fn::codec::Json)]
pub async fn apply_board_command(
    id: i64,
    version: i64,
    command: Command,
) -> Result<Option<Card>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "boards/apply").await?;
            let now = chrono::Utc::now();
            ports
                .cases
                .apply(CaseId(id), version, command, &actor, now)
                .await?;
            ports.cases.card(CaseId(id), &actor, now).await
        }
        .await,
    )
}
