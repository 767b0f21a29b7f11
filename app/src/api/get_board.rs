use leptos::prelude::*;

use crate::domain::workflow::board::Board;
use crate::error::AppError;

/// A function's board (`POST /api/boards/get`, body `{"function": "documents"}`): a lane per
/// process, a column per step with its work-in-progress limit, the open cases the caller may
/// see as cards, and whether the caller may set the limits.
///
/// With `first` (the filters of the page's address as query pairs, `[["q", "通知"]]`), only
/// the cards a page draws first: each column's first [`WINDOW`] that the filters show, and
/// the board's `counts` of the rest. A page's first render then carries a screenful of cards
/// instead of every one; the browser loads the whole board once it is live.
///
/// [`WINDOW`]: crate::domain::workflow::board::WINDOW
#[server(prefix = "/api", endpoint = "boards/get", input = server_fn::codec::Json)]
pub async fn get_board(
    function: String,
    #[server(default)] first: Option<Vec<(String, String)>>,
) -> Result<Board, AppError> {
    use super::ssr::{ports, respond, signed_in_as};
    use crate::domain::people::policy::may_set_wip_limits;
    use crate::domain::workflow::board::WINDOW;
    use crate::domain::workflow::board_filter::BoardFilter;
    respond(
        async {
            let ports = ports()?;
            let (actor, administrator) = signed_in_as(&ports, "boards/get").await?;
            let function = function.trim();
            // Unknown keys are ignored, the search words cut to 100 characters.
            let filter = first.map(|pairs| {
                BoardFilter::from_pairs(
                    pairs.iter().take(20).map(|(k, v)| (k.as_str(), v.as_str())),
                )
            });
            let mut board = ports
                .cases
                .board(
                    function,
                    &actor,
                    chrono::Utc::now(),
                    filter.as_ref().map(|f| (f, WINDOW)),
                )
                .await?;
            let catalog = ports.catalog.current().await?;
            board.may_set_limits =
                may_set_wip_limits(&catalog.catalog, &actor, administrator, function);
            Ok(board)
        }
        .await,
    )
}
