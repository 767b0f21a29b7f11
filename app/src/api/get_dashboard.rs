use leptos::prelude::*;

use crate::domain::workflow::dashboard::{Dashboard, DashboardQuery};
use crate::error::AppError;

/// The dashboard: open, due-soon and overdue counts per function, each step's on-time rate and
/// time taken over a period, the steps that run late and the weekly trend
/// (`POST /api/dashboard/get`, body `{"query": {"function": null, "from": null, "to": null}}`:
/// the functions the caller serves over the last 30 days). For holders of a function's office
/// roles (their functions) and the director (all of them).
#[server(prefix = "/api", endpoint = "dashboard/get", input = server_fn::codec::Json)]
pub async fn get_dashboard(query: DashboardQuery) -> Result<Dashboard, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "dashboard/get").await?;
            ports
                .cases
                .dashboard(&viewer, &query, chrono::Utc::now())
                .await
        }
        .await,
    )
}
