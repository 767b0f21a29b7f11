use leptos::prelude::*;

use crate::domain::workflow::reports::{Report, ReportQuery};
use crate::error::AppError;

/// A generated report from live data (`POST /api/reports/get`, body
/// `{"query": {"kind": "briefing" | "reimbursements" | "overdue", "period": "2026-W48" | "2026-11" | null}}`):
/// the weekly collaboration briefing (for the coordination function's roles), the monthly
/// reimbursement summary (the finance function's) and the monthly overdue report (each reader's
/// functions); the director reads all three.
#[server(prefix = "/api", endpoint = "reports/get", input = server_fn::codec::Json)]
pub async fn get_report(query: ReportQuery) -> Result<Report, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let viewer = signed_in(&ports, "reports/get").await?;
            ports
                .cases
                .report(&viewer, &query, chrono::Utc::now())
                .await
        }
        .await,
    )
}
