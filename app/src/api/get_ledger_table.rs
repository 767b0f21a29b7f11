use leptos::prelude::*;

use crate::domain::workflow::ledger_view::{LedgerQuery, LedgerTable};
use crate::error::AppError;

/// One ledger as a page: its columns and the rows of a period, department and words, sorted
/// by a column (`POST /api/ledgers/table`, body `{"query": LedgerQuery}`); for holders of the
/// ledger's function's roles.
#[server(prefix = "/api", endpoint = "ledgers/table", input = server_fn::codec::Json)]
pub async fn get_ledger_table(query: LedgerQuery) -> Result<LedgerTable, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "ledgers/table").await?;
            ledger_table_for(&ports, &viewer, &query)
                .await
                .map(|(table, _)| table)
        }
        .await,
    )
}

/// The page and every matching row of `query` as `viewer` may read them; shared by the page
/// and the downloads.
#[cfg(feature = "ssr")]
pub async fn ledger_table_for(
    ports: &crate::ports::Ports,
    viewer: &crate::domain::workflow::Actor,
    query: &LedgerQuery,
) -> Result<
    (
        LedgerTable,
        Vec<crate::domain::workflow::ledger_view::TableRow>,
    ),
    AppError,
> {
    use crate::domain::workflow::ledger_view::{ledger_table, matching_rows};
    let current = ports.catalog.current().await?;
    let ledger = current
        .catalog
        .ledger(&query.ledger)
        .ok_or(AppError::NotFound)?
        .clone();
    query
        .check(&ledger)
        .map_err(|fields| AppError::Invalid { fields })?;
    let zone = ports.calendar.calendar().await?.settings().time_zone;
    let (since, until) = query.bounds(zone);
    let entries = ports
        .cases
        .ledger_entries(
            &query.ledger,
            viewer,
            since,
            until,
            query.department.clone(),
        )
        .await?;
    let departments = ports
        .people
        .departments()
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect();
    let rows = matching_rows(&ledger, entries, query, zone);
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    Ok((
        ledger_table(&ledger, rows.clone(), departments, today),
        rows,
    ))
}
