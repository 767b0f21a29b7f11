use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A deadline evaluated on the organisation's calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePreview {
    /// The due instant, RFC 3339 in the organisation's time zone.
    pub due: String,
    /// For window rules, when the item appears.
    pub opens: Option<String>,
    /// True when the count used days past the last published holiday arrangement.
    pub provisional: bool,
    /// The days counted and skipped, one per line (as `officeflow deadline --explain`).
    pub explanation: String,
}

/// Evaluates a rule of the catalog's notation from an anchor (RFC 3339)
/// (`POST /api/calendar/deadline`, body `{"rule": "wd(3)", "anchor": "2025-09-30T10:00:00+08:00"}`).
#[server(prefix = "/api", endpoint = "calendar/deadline", input = server_fn::codec::Json)]
pub async fn preview_deadline(rule: String, anchor: String) -> Result<DeadlinePreview, AppError> {
    use super::ssr::{ports, respond};
    use crate::domain::rules::DeadlineRule;
    use crate::error::FieldError;
    respond(
        async {
            super::ssr::authorize(&ports()?, "calendar/deadline").await?;
            let parsed: DeadlineRule =
                rule.parse()
                    .map_err(|e: crate::domain::rules::NotationError| {
                        let reason = e.to_string();
                        AppError::invalid(FieldError::new("rule", "invalid", &reason, &reason))
                    })?;
            let anchor = chrono::DateTime::parse_from_rfc3339(anchor.trim())
                .map_err(|_| {
                    AppError::invalid(FieldError::new(
                        "anchor",
                        "invalid",
                        "起算时间应为 RFC 3339 格式,例如 2025-09-30T10:00:00+08:00。",
                        "The anchor must be RFC 3339, e.g. 2025-09-30T10:00:00+08:00.",
                    ))
                })?
                .with_timezone(&chrono::Utc);
            let calendar = ports()?.calendar.calendar().await?;
            let zone = calendar.settings().time_zone;
            let due = calendar.due(&parsed, anchor);
            Ok(DeadlinePreview {
                due: due.at.with_timezone(&zone).to_rfc3339(),
                opens: due.opens_at.map(|t| t.with_timezone(&zone).to_rfc3339()),
                provisional: due.provisional,
                explanation: calendar.explain(&parsed, anchor).to_string(),
            })
        }
        .await,
    )
}
