use leptos::prelude::*;

use crate::domain::workflow::wip::WipLimit;
use crate::error::AppError;

/// Sets or removes one board column's work-in-progress limit (`POST /api/boards/wip`, body
/// `{"function": "documents", "process": "incoming_document", "step": "sign_and_number",
/// "limit": 4}`; `"limit": null` removes it). For the function's lead, the director and
/// administrators; answers the board's limits.
#[server(prefix = "/api", endpoint = "boards/wip", input = server_fn::codec::Json)]
pub async fn set_wip_limit(
    function: String,
    process: String,
    step: String,
    limit: Option<i64>,
) -> Result<Vec<WipLimit>, AppError> {
    use super::ssr::{ports, respond, signed_in_as};
    use crate::domain::catalog::StepCode;
    use crate::domain::people::policy::may_set_wip_limits;
    use crate::domain::workflow::wip::parse_limit;
    respond(
        async {
            let ports = ports()?;
            let (actor, administrator) = signed_in_as(&ports, "boards/wip").await?;
            let function = function.trim();
            let catalog = ports.catalog.current().await?;
            if catalog.catalog.function(function).is_none() {
                return Err(AppError::NotFound);
            }
            if !may_set_wip_limits(&catalog.catalog, &actor, administrator, function) {
                return Err(AppError::Forbidden);
            }
            let limit = parse_limit(limit).map_err(|e| AppError::Invalid { fields: vec![e] })?;
            ports
                .cases
                .set_wip_limit(
                    function,
                    process.trim(),
                    &StepCode::new(step.trim()),
                    limit,
                    &actor,
                    chrono::Utc::now(),
                )
                .await
        }
        .await,
    )
}
