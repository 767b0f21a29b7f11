use leptos::prelude::*;

use crate::domain::workflow::board::Board;
use crate::error::AppError;

/// A function's board (`POST /api/boards/get`, body `{"function": "documents"}`): a lane per
/// process, a column per step, the open cases the caller may see as cards.
#[server(prefix = "/api", endpoint = "boards/get", input = server_fn::codec::Json)]
pub async fn get_board(function: String) -> Result<Board, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "boards/get").await?;
            ports
                .cases
                .board(function.trim(), &viewer, chrono::Utc::now())
                .await
        }
        .await,
    )
}
