use leptos::prelude::*;

use crate::domain::workflow::LedgerRow;
use crate::error::AppError;

/// The rows of one ledger, in the order written (`POST /api/ledgers/rows`, body
/// `{"ledger": "document_flow"}`).
#[server(prefix = "/api", endpoint = "ledgers/rows", input = server_fn::codec::Json)]
pub async fn list_ledger_rows(ledger: String) -> Result<Vec<LedgerRow>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "ledgers/rows").await?;
            ports.cases.ledger_rows(ledger, &viewer).await
        }
        .await,
    )
}
