use leptos::prelude::*;

use crate::domain::workflow::InboxItem;
use crate::error::AppError;

/// "Needs me now": the steps, approvals, escalations and repetitions that are the caller's,
/// overdue first (`POST /api/cases/inbox`, body `{}`, or `{"role": "office_director"}` to see
/// only what is addressed to one of the caller's roles).
#[server(prefix = "/api", endpoint = "cases/inbox", input = server_fn::codec::Json)]
pub async fn list_inbox(role: Option<String>) -> Result<Vec<InboxItem>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::error::FieldError;
    respond(
        async {
            let ports = ports()?;
            let mut actor = signed_in(&ports, "cases/inbox").await?;
            if let Some(role) = role.filter(|r| !r.trim().is_empty()) {
                let role = role.trim();
                if !actor.roles.iter().any(|r| r == role) {
                    return Err(AppError::invalid(FieldError::new(
                        "role",
                        "not_held",
                        "您不担任这个角色。",
                        "You do not hold this role.",
                    )));
                }
                actor.roles.retain(|r| r == role);
            }
            ports.cases.inbox(&actor, chrono::Utc::now()).await
        }
        .await,
    )
}

/// How much is waiting for the caller: `{"total": n, "overdue": m}` over the items of
/// `cases/inbox` (`POST /api/cases/inbox/count`, body `{}`); the top bar shows it.
#[server(prefix = "/api", endpoint = "cases/inbox/count", input = server_fn::codec::Json)]
pub async fn count_inbox() -> Result<crate::domain::workflow::inbox::InboxCount, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::workflow::inbox::InboxCount;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "cases/inbox/count").await?;
            let items = ports.cases.inbox(&actor, chrono::Utc::now()).await?;
            Ok(InboxCount::of(&items))
        }
        .await,
    )
}
