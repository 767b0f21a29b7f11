use leptos::prelude::*;

use crate::domain::workflow::board::Board;
use crate::error::AppError;

/// A function's board (`POST /api/boards/get`, body `{"function": "documents"}`): a lane per
/// process, a column per step with its work-in-progress limit, the open cases the caller may
/// see as cards, and whether the caller may set the limits.
#[server(prefix = "/api", endpoint = "boards/get", input = server_fn::codec::Json)]
pub async fn get_board(function: String) -> Result<Board, AppError> {
    use super::ssr::{ports, respond, signed_in_as};
    use crate::domain::people::policy::may_set_wip_limits;
    respond(
        async {
            let ports = ports()?;
            let (actor, administrator) = signed_in_as(&ports, "boards/get").await?;
            let function = function.trim();
            let mut board = ports
                .cases
                .board(function, &actor, chrono::Utc::now())
                .await?;
            let catalog = ports.catalog.current().await?;
            board.may_set_limits =
                may_set_wip_limits(&catalog.catalog, &actor, administrator, function);
            Ok(board)
        }
        .await,
    )
}
