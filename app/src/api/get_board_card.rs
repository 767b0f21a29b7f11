use leptos::prelude::*;

use crate::domain::workflow::board::Card;
use crate::error::AppError;

/// One case's card as it stands now (`POST /api/boards/card`, body `{"id": 7}`): `null` when
/// the case is no longer open. Live boards fetch the cards their events name with it.
#[server(prefix = "/api", endpoint = "boards/card", input = server_fn::codec::Json)]
pub async fn get_board_card(id: i64) -> Result<Option<Card>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::CaseId;
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "boards/card").await?;
            ports
                .cases
                .card(CaseId(id), &viewer, chrono::Utc::now())
                .await
        }
        .await,
    )
}
