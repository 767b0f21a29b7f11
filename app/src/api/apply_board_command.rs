use leptos::prelude::*;

use crate::domain::workflow::board::Card;
use crate::domain::workflow::Command;
use crate::error::AppError;

/// Runs one operation on a case from its board and answers its card as it now stands
/// (`POST /api/boards/apply`, the body of `cases/apply`): `null` when the case left the board
/// (it closed). A refusal or a conflict is answered as by `cases/apply`. A move that lands the
/// case in a column at its work-in-progress limit is refused (`invalid`, field `wip`, code
/// `wip_limit_reached`) unless `"confirm_over_limit": true`, and then recorded in the case's
/// history.
#[server(prefix = "/api", endpoint = "boards/apply", input = server_fn::codec::Json)]
pub async fn apply_board_command(
    id: i64,
    version: i64,
    command: Command,
    #[server(default)] confirm_over_limit: Option<bool>,
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
                .apply_move(
                    CaseId(id),
                    version,
                    command,
                    &actor,
                    now,
                    confirm_over_limit == Some(true),
                )
                .await?;
            ports.cases.card(CaseId(id), &actor, now).await
        }
        .await,
    )
}
